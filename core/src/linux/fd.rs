//! File descriptor calls: read/write and their vector and positional forms, lseek, close,
//! dup, pipe2, fcntl, ioctl, sendfile, splice, tee, vmsplice, eventfd2.
//!
//! Guest descriptors are host descriptors. Buffers are passed to the host as pointers into
//! guest memory after checking the whole range is mapped with the right permission; the
//! layouts involved (iovec aside, which holds guest pointers) are identical on both sides.
//! Calls that can wait indefinitely (on pipes, sockets, terminals, locks) go through
//! [`blocking`] so that a signal for the guest can interrupt them.

use super::abi::*;
use super::syscall::{blocking, guest_buf, guest_buf_opt, host, host_size, int, plain, Ctx, SysResult};
use crate::isa::Access;
use crate::mem::{Errno, GuestMemory};

/// Checks that the guest may use `fd`: remu's own descriptors (if it keeps any open for
/// itself) are invisible to the guest.
pub fn guest_fd(c: &Ctx<'_>, fd: u64) -> Result<i32, Errno> {
    let fd = int(fd);
    if c.p.host_fds.contains(&fd) || fd >= 0 && super::vfork::private_fds().contains(&fd) {
        return Err(Errno::EBADF);
    }
    Ok(fd)
}

pub fn read(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let buf = guest_buf(c.mem, a[1], a[2], Access::Write)?;
    // `buf` points at `a[2]` writable bytes of guest memory (checked).
    Ok(blocking(libc::SYS_read, [fd as u64, buf as u64, a[2], 0, 0, 0])?)
}

pub fn write(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let buf = guest_buf(c.mem, a[1], a[2], Access::Read)?;
    // `buf` points at `a[2]` readable bytes of guest memory (checked).
    Ok(blocking(libc::SYS_write, [fd as u64, buf as u64, a[2], 0, 0, 0])?)
}

pub fn pread64(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let buf = guest_buf(c.mem, a[1], a[2], Access::Write)?;
    // SAFETY: as in `read`.
    Ok(host_size(unsafe { libc::pread(fd, buf, a[2] as usize, a[3] as i64) })?)
}

pub fn pwrite64(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let buf = guest_buf(c.mem, a[1], a[2], Access::Read)?;
    // SAFETY: as in `write`.
    Ok(host_size(unsafe { libc::pwrite(fd, buf, a[2] as usize, a[3] as i64) })?)
}

/// The largest iovec count the kernel accepts (UIO_MAXIOV).
const UIO_MAXIOV: u64 = 1024;

/// Reads the guest's `struct iovec` array (guest pointers) and turns it into host iovecs
/// pointing into guest memory, each checked for `access`.
pub fn iovecs(mem: &GuestMemory, addr: u64, count: u64, access: Access) -> Result<Vec<libc::iovec>, Errno> {
    let count = count as i32 as i64;
    if count < 0 || count as u64 > UIO_MAXIOV {
        return Err(Errno::EINVAL);
    }
    let raw = mem.read_vec(addr, count as usize * 16)?;
    let mut out = Vec::with_capacity(count as usize);
    let mut total: u64 = 0;
    for v in raw.chunks_exact(16) {
        let base = u64::from_le_bytes(v[..8].try_into().unwrap());
        let len = u64::from_le_bytes(v[8..].try_into().unwrap());
        total = total.checked_add(len).filter(|&t| t <= isize::MAX as u64).ok_or(Errno::EINVAL)?;
        let p = guest_buf(mem, base, len, access)?;
        out.push(libc::iovec { iov_base: p, iov_len: len as usize });
    }
    Ok(out)
}

pub fn readv(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let v = iovecs(c.mem, a[1], a[2], Access::Write)?;
    // Every iovec points at checked writable guest memory.
    Ok(blocking(libc::SYS_readv, [fd as u64, v.as_ptr() as u64, v.len() as u64, 0, 0, 0])?)
}

pub fn writev(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let v = iovecs(c.mem, a[1], a[2], Access::Read)?;
    // Every iovec points at checked readable guest memory.
    Ok(blocking(libc::SYS_writev, [fd as u64, v.as_ptr() as u64, v.len() as u64, 0, 0, 0])?)
}

pub fn preadv(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let v = iovecs(c.mem, a[1], a[2], Access::Write)?;
    // SAFETY: as in `readv`. On 64-bit the offset is the whole of `pos_l`.
    Ok(host_size(unsafe { libc::preadv(fd, v.as_ptr(), v.len() as i32, a[3] as i64) })?)
}

pub fn pwritev(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let v = iovecs(c.mem, a[1], a[2], Access::Read)?;
    // SAFETY: as in `writev`.
    Ok(host_size(unsafe { libc::pwritev(fd, v.as_ptr(), v.len() as i32, a[3] as i64) })?)
}

pub fn lseek(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: lseek takes no pointers.
    Ok(host(unsafe { libc::lseek(fd, a[1] as i64, int(a[2])) })?)
}

pub fn close(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: the descriptor belongs to the guest (not one remu keeps), so closing it
    // cannot invalidate anything remu holds.
    Ok(host(unsafe { libc::close(fd) })?)
}

pub fn dup(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: no pointers; the new descriptor is the lowest free one, never one remu holds.
    Ok(host(unsafe { libc::dup(fd) })?)
}

pub fn dup3(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let old = guest_fd(c, a[0])?;
    let new = guest_fd(c, a[1])?;
    if a[2] & !0o2000000 != 0 || old == new {
        return Err(Errno::EINVAL.into());
    }
    let flags = open_flags_to_host(c.p.arch, a[2]);
    // SAFETY: `new` is not a descriptor remu keeps (checked), so replacing it is the guest's
    // business.
    Ok(host(unsafe { libc::dup3(old, new, flags) })?)
}

pub fn pipe2(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    c.mem.check(a[0], 8, Access::Write)?;
    let flags = open_flags_to_host(c.p.arch, a[1]);
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is a two-int array we own.
    host(unsafe { libc::pipe2(fds.as_mut_ptr(), flags) })?;
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&fds[0].to_le_bytes());
    out[4..].copy_from_slice(&fds[1].to_le_bytes());
    if let Err(f) = c.mem.write(a[0], &out) {
        // SAFETY: the descriptors were just created for this call and are not used elsewhere.
        unsafe {
            libc::close(fds[0]);
            libc::close(fds[1]);
        }
        return Err(f.into());
    }
    Ok(0)
}

/// How an fcntl/ioctl argument is passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ArgKind {
    /// The argument is a plain value (or ignored).
    Value,
    /// A pointer to `n` bytes the host reads.
    In(u64),
    /// A pointer to `n` bytes the host writes (or reads and writes).
    Out(u64),
}

/// `struct flock` (asm-generic, 64-bit): short, short, off_t, off_t, pid_t + padding.
const FLOCK_SIZE: u64 = 32;

pub fn fcntl(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let cmd = int(a[1]);
    let kind = match cmd {
        // F_DUPFD, F_GETFD, F_SETFD, F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG
        0 | 1 | 2 | 8 | 9 | 10 | 11 => ArgKind::Value,
        // F_GETFL: flags translated back below.
        3 => ArgKind::Value,
        // F_SETFL
        4 => {
            let flags = open_flags_to_host(c.p.arch, a[2]);
            // SAFETY: F_SETFL takes an int.
            return Ok(host(unsafe { libc::fcntl(fd, libc::F_SETFL, flags) })?);
        }
        // F_GETLK, F_SETLK, F_SETLKW and the OFD forms: struct flock.
        5 | 36 => ArgKind::Out(FLOCK_SIZE),
        6 | 7 | 37 | 38 => ArgKind::In(FLOCK_SIZE),
        // F_SETOWN_EX / F_GETOWN_EX: struct f_owner_ex { int type; pid_t pid; }
        15 => ArgKind::In(8),
        16 => ArgKind::Out(8),
        // F_SETLEASE, F_GETLEASE, F_NOTIFY, F_DUPFD_CLOEXEC, pipe sizes, seals
        1024 | 1025 | 1026 | 1030 | 1031 | 1032 | 1033 | 1034 => ArgKind::Value,
        _ => return Err(Errno::EINVAL.into()),
    };
    let arg: u64 = match kind {
        ArgKind::Value => a[2],
        ArgKind::In(n) => c.mem.host_range(a[2], n, Access::Read)? as u64,
        ArgKind::Out(n) => c.mem.host_range(a[2], n, Access::Write)? as u64,
    };
    // F_SETLKW and F_OFD_SETLKW wait for the lock.
    if cmd == 7 || cmd == 38 {
        return Ok(blocking(libc::SYS_fcntl, [fd as u64, cmd as u64, arg, 0, 0, 0])?);
    }
    // SAFETY: pointer arguments point at checked guest memory of the size the command
    // reads or writes; value arguments are not dereferenced.
    let r = host(unsafe { libc::fcntl(fd, cmd, arg) })?;
    if cmd == 3 {
        return Ok(open_flags_to_guest(c.p.arch, r as i32) as i64);
    }
    Ok(r)
}

/// The terminal, file and socket ioctls remu passes through: each argument layout is
/// identical on the guest and the host. `struct termios` is the kernel's (not glibc's) 36
/// bytes.
const IOCTL_ARGS: &[(u64, ArgKind)] = &[
    (TCGETS, ArgKind::Out(36)),
    (TCSETS, ArgKind::In(36)),
    (TCSETSW, ArgKind::In(36)),
    (TCSETSF, ArgKind::In(36)),
    (TCSBRK, ArgKind::Value),
    (TCXONC, ArgKind::Value),
    (TCFLSH, ArgKind::Value),
    (TIOCSCTTY, ArgKind::Value),
    (TIOCGPGRP, ArgKind::Out(4)),
    (TIOCSPGRP, ArgKind::In(4)),
    (TIOCOUTQ, ArgKind::Out(4)),
    (TIOCGWINSZ, ArgKind::Out(8)),
    (TIOCSWINSZ, ArgKind::In(8)),
    (FIONREAD, ArgKind::Out(4)),
    (TIOCNOTTY, ArgKind::Value),
    (FIONBIO, ArgKind::In(4)),
    (TIOCGSID, ArgKind::Out(4)),
    (TIOCGPTN, ArgKind::Out(4)),
    (TIOCSPTLCK, ArgKind::In(4)),
    (FIONCLEX, ArgKind::Value),
    (FIOCLEX, ArgKind::Value),
    (FIOASYNC, ArgKind::In(4)),
    (TIOCEXCL, ArgKind::Value),
    (TIOCNXCL, ArgKind::Value),
    (TIOCSTI, ArgKind::In(1)),
    (TIOCMGET, ArgKind::Out(4)),
    (TIOCMBIS, ArgKind::In(4)),
    (TIOCMBIC, ArgKind::In(4)),
    (TIOCMSET, ArgKind::In(4)),
    (TIOCGSOFTCAR, ArgKind::Out(4)),
    (TIOCSSOFTCAR, ArgKind::In(4)),
    (TIOCPKT, ArgKind::In(4)),
    (TIOCSETD, ArgKind::In(4)),
    (TIOCGETD, ArgKind::Out(4)),
    (TCSBRKP, ArgKind::Value),
    (TIOCSBRK, ArgKind::Value),
    (TIOCCBRK, ArgKind::Value),
    (TIOCGPKT, ArgKind::Out(4)),
    (TIOCGPTLCK, ArgKind::Out(4)),
    (TIOCGEXCL, ArgKind::Out(4)),
    (TIOCGPTPEER, ArgKind::Value),
    (FIOQSIZE, ArgKind::Out(8)),
    // struct ifreq: 16 bytes of name, a 24-byte union (no pointers for these requests);
    // the kernel reads the name and writes the answer.
    (SIOCATMARK, ArgKind::Out(4)),
    (SIOCGIFNAME, ArgKind::Out(40)),
    (SIOCGIFFLAGS, ArgKind::Out(40)),
    (SIOCGIFADDR, ArgKind::Out(40)),
    (SIOCGIFDSTADDR, ArgKind::Out(40)),
    (SIOCGIFBRDADDR, ArgKind::Out(40)),
    (SIOCGIFNETMASK, ArgKind::Out(40)),
    (SIOCGIFMTU, ArgKind::Out(40)),
    (SIOCGIFHWADDR, ArgKind::Out(40)),
    (SIOCGIFINDEX, ArgKind::Out(40)),
    (SIOCGIFTXQLEN, ArgKind::Out(40)),
];

pub fn ioctl(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // The kernel takes the request as an unsigned int.
    let req = a[1] & 0xffff_ffff;
    let Some((_, kind)) = IOCTL_ARGS.iter().find(|(r, _)| *r == req) else {
        // An unknown request might carry guest pointers inside its argument: never pass it
        // on. Check the descriptor first so a bad one still says EBADF.
        // SAFETY: F_GETFD takes no pointer.
        host(unsafe { libc::fcntl(fd, libc::F_GETFD) })?;
        return Err(Errno::ENOTTY.into());
    };
    let arg: u64 = match kind {
        ArgKind::Value => a[2],
        ArgKind::In(n) => c.mem.host_range(a[2], *n, Access::Read)? as u64,
        ArgKind::Out(n) => c.mem.host_range(a[2], *n, Access::Write)? as u64,
    };
    // SAFETY: the request is one whose argument layout we know; pointers were checked for
    // the size the kernel accesses.
    Ok(host(unsafe { libc::ioctl(fd, req as libc::c_ulong, arg) })?)
}

pub fn sendfile(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let out = guest_fd(c, a[0])?;
    let inp = guest_fd(c, a[1])?;
    let off = guest_buf_opt(c.mem, a[2], 8, Access::Write)?;
    // `off` is NULL or 8 writable bytes of guest memory (an loff_t, same layout). Writing
    // to a pipe or socket may wait.
    Ok(blocking(libc::SYS_sendfile, [out as u64, inp as u64, off as u64, a[3], 0, 0])?)
}

pub fn splice(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd_in = guest_fd(c, a[0])?;
    let off_in = guest_buf_opt(c.mem, a[1], 8, Access::Write)?;
    let fd_out = guest_fd(c, a[2])?;
    let off_out = guest_buf_opt(c.mem, a[3], 8, Access::Write)?;
    // The offsets are NULL or loff_t in guest memory; SPLICE_F_* are the same everywhere.
    Ok(blocking(libc::SYS_splice, [fd_in as u64, off_in as u64, fd_out as u64, off_out as u64, a[4], a[5]])?)
}

pub fn tee(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd_in = guest_fd(c, a[0])?;
    let fd_out = guest_fd(c, a[1])?;
    Ok(blocking(libc::SYS_tee, [fd_in as u64, fd_out as u64, a[2], a[3], 0, 0])?)
}

pub fn vmsplice(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // Into a pipe (its write end) the host reads the guest's buffers, out of one (its read
    // end) it writes them.
    // SAFETY: F_GETFL takes no pointer.
    let mode = host(unsafe { libc::fcntl(fd, libc::F_GETFL) })? as i32 & libc::O_ACCMODE;
    let access = if mode == libc::O_RDONLY { Access::Write } else { Access::Read };
    let v = iovecs(c.mem, a[1], a[2], access)?;
    Ok(blocking(libc::SYS_vmsplice, [fd as u64, v.as_ptr() as u64, v.len() as u64, a[3], 0, 0])?)
}

pub fn close_range(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (first, last, flags) = (a[0] as u32, a[1] as u32, a[2] as u32);
    if first > last {
        return Err(Errno::EINVAL.into());
    }
    // Close the guest's part of the range around any descriptor remu keeps.
    let ours = c.p.host_fds.iter().copied().chain(super::vfork::private_fds()).filter(|&f| f >= 0);
    let mut keep: Vec<u32> = ours.map(|f| f as u32).filter(|f| (first..=last).contains(f)).collect();
    keep.sort_unstable();
    keep.dedup();
    let close = |lo: u32, hi: u32| {
        // SAFETY: `lo..=hi` holds no descriptor remu keeps; no pointers.
        host(unsafe { libc::syscall(libc::SYS_close_range, lo, hi, flags) })
    };
    let mut start = Some(first);
    for k in keep {
        if let Some(s) = start.filter(|&s| s < k) {
            close(s, k - 1)?;
        }
        start = k.checked_add(1);
    }
    if let Some(s) = start.filter(|&s| s <= last) {
        close(s, last)?;
    }
    Ok(0)
}

pub fn eventfd2(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // EFD_* flags equal the O_* ones of the same names (asm-generic on both sides).
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::eventfd(a[0] as u32, int(a[1])) })?)
}

/// preadv2(fd, iov, count, pos_l, pos_h, flags): on 64-bit the offset is `pos_l` alone;
/// -1 reads at (and advances) the file position. The RWF_* flags are the same everywhere.
pub fn preadv2(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let v = iovecs(c.mem, a[1], a[2], Access::Write)?;
    // Every iovec points at checked writable guest memory; RWF_NOWAIT aside, this can wait.
    Ok(blocking(libc::SYS_preadv2, [fd as u64, v.as_ptr() as u64, v.len() as u64, a[3], 0, int(a[5]) as u32 as u64])?)
}

pub fn pwritev2(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let v = iovecs(c.mem, a[1], a[2], Access::Read)?;
    // Every iovec points at checked readable guest memory.
    Ok(blocking(libc::SYS_pwritev2, [fd as u64, v.as_ptr() as u64, v.len() as u64, a[3], 0, int(a[5]) as u32 as u64])?)
}

pub fn readahead(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    Ok(plain(libc::SYS_readahead, &[fd as u64, a[1], a[2]])?)
}

/// sync_file_range(fd, offset, nbytes, flags): asm-generic and x86-64 share the order.
pub fn sync_file_range(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    Ok(plain(libc::SYS_sync_file_range, &[fd as u64, a[1], a[2], int(a[3]) as u32 as u64])?)
}

/// ioprio_get(which, who) and ioprio_set(which, who, ioprio): ids and a priority value.
pub fn ioprio_get(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_ioprio_get, &[int(a[0]) as u64, int(a[1]) as u64])?)
}

pub fn ioprio_set(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_ioprio_set, &[int(a[0]) as u64, int(a[1]) as u64, int(a[2]) as u64])?)
}
