//! File system calls: open, stat, directories, links, paths.
//!
//! Guest paths reach the host through [`host_path`], which applies [`translate_path`]: the
//! sysroot view (`-L`) and the `/proc/self/exe` link. `struct stat` is translated
//! (asm-generic's 128-byte layout differs from x86-64's); `statx`, `statfs`,
//! `linux_dirent64` and `timespec` are the same on both sides and pass through.

use std::ffi::CString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use super::abi::*;
use super::fd::guest_fd;
use super::syscall::{blocking, guest_buf, guest_buf_opt, host, int, Ctx, SysResult};
use super::Process;
use crate::isa::Access;
use crate::mem::{Errno, GuestMemory};

/// PATH_MAX, including the terminating NUL.
const PATH_MAX: usize = 4096;

/// Maps a guest path to the host path it names: the one place where the guest's view of the
/// file system is made.
///
/// - `/proc/self/exe` (and `/proc/<own pid>/exe`) names the guest program, not remu;
/// - with a sysroot (`-L`), an absolute path is looked up in the sysroot first and on the
///   host second, as qemu-user's `-L` does: the sysroot's file wins when it exists (see
///   [`sysroot_path`]).
pub fn translate_path(p: &Process, path: &[u8]) -> Vec<u8> {
    if is_own_exe_link(path) {
        return p.exe.as_os_str().as_bytes().to_vec();
    }
    if let Some(root) = &p.sysroot {
        if let Some(found) = sysroot_path(root, path) {
            return found.into_os_string().into_vec();
        }
    }
    path.to_vec()
}

/// Where absolute guest path `path` is in `sysroot`, if it exists there (without following
/// a final symbolic link, so a dangling link in the sysroot still shadows the host's file).
/// Relative paths, `/` itself and the kernel's pseudo file systems (`/proc`, `/sys`, `/dev`,
/// which describe the running system even when a full root file system tree has empty
/// directories for them) are never taken from the sysroot.
pub fn sysroot_path(sysroot: &Path, path: &[u8]) -> Option<PathBuf> {
    let rest = path.strip_prefix(b"/")?;
    let rest = {
        let mut r = rest;
        while let Some(t) = r.strip_prefix(b"/") {
            r = t;
        }
        r
    };
    if rest.is_empty() {
        return None;
    }
    let first = rest.split(|&b| b == b'/').next().unwrap_or(b"");
    if matches!(first, b"proc" | b"sys" | b"dev") {
        return None;
    }
    let candidate = sysroot.join(std::ffi::OsStr::from_bytes(rest));
    std::fs::symlink_metadata(&candidate).is_ok().then_some(candidate)
}

/// `/proc/self/exe` or `/proc/<our pid>/exe`.
fn is_own_exe_link(path: &[u8]) -> bool {
    let Some(rest) = path.strip_prefix(b"/proc/").and_then(|r| r.strip_suffix(b"/exe")) else {
        return false;
    };
    rest == b"self" || rest == b"thread-self" || rest == std::process::id().to_string().as_bytes()
}

/// Reads a guest path and translates it for the host.
pub fn host_path(c: &Ctx<'_>, addr: u64) -> Result<CString, Errno> {
    host_path_mem(c.p, c.mem, addr)
}

fn host_path_mem(p: &Process, mem: &GuestMemory, addr: u64) -> Result<CString, Errno> {
    let raw = mem.read_cstr(addr, PATH_MAX - 1)?;
    if raw.len() >= PATH_MAX {
        return Err(Errno(libc::ENAMETOOLONG));
    }
    // `read_cstr` stops at the first NUL, so the bytes contain none.
    CString::new(translate_path(p, &raw)).map_err(|_| Errno::EINVAL)
}

/// The path of an `*at` call that may not follow a final symbolic link: with
/// AT_SYMLINK_NOFOLLOW, `/proc/self/exe` is the link itself (the host's own link is one
/// too), as the kernel reports it to `lstat`.
pub(super) fn host_path_at(c: &Ctx<'_>, addr: u64, flags: u64) -> Result<CString, Errno> {
    if flags & libc::AT_SYMLINK_NOFOLLOW as u64 != 0 {
        let raw = c.mem.read_cstr(addr, PATH_MAX - 1)?;
        if is_own_exe_link(&raw) {
            return CString::new(raw).map_err(|_| Errno::EINVAL);
        }
    }
    host_path(c, addr)
}

/// A directory descriptor argument (`AT_FDCWD` or a guest descriptor).
pub(super) fn dirfd(c: &Ctx<'_>, v: u64) -> Result<i32, Errno> {
    let fd = int(v);
    if fd == AT_FDCWD {
        return Ok(fd);
    }
    guest_fd(c, v)
}

/// Files under `/proc/self` whose host contents would describe remu rather than the guest:
/// their guest contents, generated now.
fn emulated_proc_file(p: &Process, path: &[u8]) -> Option<Vec<u8>> {
    if path == b"/proc/cpuinfo" {
        return proc_cpuinfo(p).map(String::into_bytes);
    }
    let rest = path.strip_prefix(b"/proc/")?;
    let (who, file) = rest.split_at(rest.iter().position(|&b| b == b'/')?);
    let own = who == b"self" || who == b"thread-self" || who == std::process::id().to_string().as_bytes();
    if !own {
        return None;
    }
    match file {
        b"/maps" => Some(proc_maps(p).into_bytes()),
        b"/cmdline" if !p.cmdline.is_empty() => Some(p.cmdline.clone()),
        b"/auxv" => Some(p.auxv_bytes()),
        _ => None,
    }
}

/// `/proc/cpuinfo` as the guest's kernel would show it: one entry per host CPU, describing
/// the guest's processor (what remu emulates), in the architecture's format. `None` for an
/// architecture without a guest view yet (the host's file is shown).
pub fn proc_cpuinfo(p: &Process) -> Option<String> {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) }.max(1);
    let mut out = String::new();
    match p.arch.name {
        "riscv64" => {
            // The single-letter extensions from AT_HWCAP (bit = letter - 'A'), then the
            // multi-letter ones remu implements.
            let letters: String = "imafdcv"
                .chars()
                .filter(|ch| p.arch.hwcap & (1 << (*ch as u8 - b'a')) != 0)
                .collect();
            let isa = format!("rv64{letters}_zicntr_zicsr_zifencei_zba_zbb_zbs");
            for i in 0..n {
                out.push_str(&format!(
                    "processor\t: {i}\nhart\t\t: {i}\nisa\t\t: {isa}\nmmu\t\t: sv39\nmvendorid\t: 0x0\nmarchid\t\t: 0x0\nmimpid\t\t: 0x0\n\n"
                ));
            }
        }
        "aarch64" => {
            // Feature names in AT_HWCAP bit order (arch/arm64 hwcap names).
            const NAMES: [&str; 16] = [
                "fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32", "atomics", "fphp", "asimdhp",
                "cpuid", "asimdrdm", "jscvt", "fcma", "lrcpc",
            ];
            let features: Vec<&str> =
                NAMES.iter().enumerate().filter(|(bit, _)| p.arch.hwcap & (1 << bit) != 0).map(|(_, n)| *n).collect();
            let features = features.join(" ");
            for i in 0..n {
                out.push_str(&format!(
                    "processor\t: {i}\nFeatures\t: {features}\nCPU implementer\t: 0x00\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0x000\nCPU revision\t: 0\n\n"
                ));
            }
        }
        _ => return None,
    }
    Some(out)
}

/// `/proc/self/maps` from the guest's areas, in the kernel's format.
pub fn proc_maps(p: &Process) -> String {
    use crate::mem::{Backing, Prot};
    let mut out = String::new();
    for a in p.mem.areas() {
        let (offset, dev, inode, name) = match &a.backing {
            Backing::File { path, offset, dev, inode } => (*offset, *dev, *inode, path.clone()),
            Backing::Heap => (0, 0, 0, "[heap]".to_string()),
            Backing::Stack => (0, 0, 0, "[stack]".to_string()),
            Backing::Anonymous => (0, 0, 0, String::new()),
            // As the kernel shows an attached segment: device 00:01, the segment id as inode.
            Backing::Shm { key, id, .. } => (0, 1, *id as u32 as u64, format!("/SYSV{:08x} (deleted)", *key as u32)),
        };
        let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
        let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
        let flag = |b: Prot, ch: char| if a.prot.contains(b) { ch } else { '-' };
        let mut line = format!(
            "{:08x}-{:08x} {}{}{}{} {:08x} {:02x}:{:02x} {} ",
            a.start,
            a.end,
            flag(Prot::READ, 'r'),
            flag(Prot::WRITE, 'w'),
            flag(Prot::EXEC, 'x'),
            if a.shared { 's' } else { 'p' },
            offset,
            major,
            minor,
            inode
        );
        if !name.is_empty() {
            while line.len() < 72 {
                line.push(' ');
            }
            line.push(' ');
            line.push_str(&name);
        }
        line.push('\n');
        out.push_str(&line);
    }
    out
}

/// A read-only descriptor holding `data` (a sealed-size memfd).
fn memfd_with(data: &[u8], cloexec: bool) -> Result<i64, Errno> {
    let name = c"remu-proc";
    let flags = if cloexec { libc::MFD_CLOEXEC } else { 0 };
    // SAFETY: `name` is NUL-terminated.
    let fd = host(unsafe { libc::memfd_create(name.as_ptr(), flags) })? as i32;
    let mut done = 0;
    while done < data.len() {
        // SAFETY: the slice is valid for its length.
        let n = unsafe { libc::write(fd, data[done..].as_ptr().cast(), data.len() - done) };
        if n <= 0 {
            let e = Errno::last();
            // SAFETY: the descriptor is ours, created above.
            unsafe { libc::close(fd) };
            return Err(e);
        }
        done += n as usize;
    }
    // SAFETY: no pointers.
    unsafe { libc::lseek(fd, 0, libc::SEEK_SET) };
    Ok(fd as i64)
}

pub fn openat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    let raw = c.mem.read_cstr(a[1], PATH_MAX - 1)?;
    if let Some(data) = emulated_proc_file(c.p, &raw) {
        if a[2] & O_ACCMODE != 0 {
            return Err(Errno(libc::EACCES).into());
        }
        return Ok(memfd_with(&data, a[2] & 0o2000000 != 0)?);
    }
    let path = host_path(c, a[1])?;
    let flags = open_flags_to_host(c.p.arch, a[2]);
    let mode = if a[2] & O_CREAT != 0 || a[2] & O_TMPFILE_DIR != 0 { (a[3] & 0o7777) as libc::c_uint } else { 0 };
    // `path` is a NUL-terminated host string we own. Opening a FIFO waits for its other
    // end, so this is a blocking call.
    Ok(blocking(libc::SYS_openat, [dfd as i64 as u64, path.as_ptr() as u64, flags as u32 as u64, mode as u64, 0, 0])?)
}

/// The asm-generic `struct stat` (riscv64, aarch64): 128 bytes.
pub fn guest_stat(st: &libc::stat) -> [u8; 128] {
    let mut b = [0u8; 128];
    let mut put = |off: usize, bytes: &[u8]| b[off..off + bytes.len()].copy_from_slice(bytes);
    put(0, &st.st_dev.to_le_bytes());
    put(8, &st.st_ino.to_le_bytes());
    put(16, &st.st_mode.to_le_bytes());
    put(20, &(st.st_nlink as u32).to_le_bytes());
    put(24, &st.st_uid.to_le_bytes());
    put(28, &st.st_gid.to_le_bytes());
    put(32, &st.st_rdev.to_le_bytes());
    put(48, &st.st_size.to_le_bytes());
    put(56, &(st.st_blksize as i32).to_le_bytes());
    put(64, &st.st_blocks.to_le_bytes());
    put(72, &st.st_atime.to_le_bytes());
    put(80, &st.st_atime_nsec.to_le_bytes());
    put(88, &st.st_mtime.to_le_bytes());
    put(96, &st.st_mtime_nsec.to_le_bytes());
    put(104, &st.st_ctime.to_le_bytes());
    put(112, &st.st_ctime_nsec.to_le_bytes());
    b
}

fn write_stat(c: &Ctx<'_>, addr: u64, st: &libc::stat) -> SysResult {
    c.mem.write(addr, &guest_stat(st))?;
    Ok(0)
}

pub fn fstat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    c.mem.check(a[1], 128, Access::Write)?;
    // SAFETY: an all-zero `stat` is valid; fstat fills the buffer we own.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a valid out-buffer.
    host(unsafe { libc::fstat(fd, &mut st) })?;
    write_stat(c, a[1], &st)
}

pub fn newfstatat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    let path = host_path_at(c, a[1], a[3])?;
    c.mem.check(a[2], 128, Access::Write)?;
    // SAFETY: as in `fstat`.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is NUL-terminated and `st` a valid out-buffer.
    host(unsafe { libc::fstatat(dfd, path.as_ptr(), &mut st, int(a[3])) })?;
    write_stat(c, a[2], &st)
}

pub fn statx(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    // A NULL path is allowed with AT_EMPTY_PATH.
    let path = if a[1] == 0 { None } else { Some(host_path_at(c, a[1], a[2])?) };
    let pp = path.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
    // struct statx is 256 bytes of fixed-size fields on every architecture.
    let buf = c.mem.host_range(a[4], 256, Access::Write)?;
    // SAFETY: `pp` is NULL or NUL-terminated; `buf` is 256 writable bytes of guest memory.
    Ok(host(unsafe { libc::syscall(libc::SYS_statx, dfd, pp, int(a[2]), int(a[3]), buf) })?)
}

pub fn faccessat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    let path = host_path(c, a[1])?;
    // SAFETY: `path` is NUL-terminated.
    Ok(host(unsafe { libc::syscall(libc::SYS_faccessat, dfd, path.as_ptr(), int(a[2])) })?)
}

pub fn faccessat2(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    let path = host_path(c, a[1])?;
    // SAFETY: `path` is NUL-terminated.
    Ok(host(unsafe { libc::syscall(libc::SYS_faccessat2, dfd, path.as_ptr(), int(a[2]), int(a[3])) })?)
}

pub fn readlinkat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    let size = a[3] as i32;
    if size <= 0 {
        return Err(Errno::EINVAL.into());
    }
    let raw = c.mem.read_cstr(a[1], PATH_MAX - 1)?;
    if is_own_exe_link(&raw) {
        let exe = c.p.exe.as_os_str().as_bytes();
        let n = exe.len().min(size as usize);
        c.mem.write(a[2], &exe[..n])?;
        return Ok(n as i64);
    }
    let path = host_path(c, a[1])?;
    let buf = c.mem.host_range(a[2], size as u64, Access::Write)?;
    // SAFETY: `path` is NUL-terminated; `buf` is `size` writable bytes of guest memory.
    Ok(host(unsafe { libc::readlinkat(dfd, path.as_ptr(), buf.cast(), size as usize) } as i64)?)
}

pub fn getcwd(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let buf = guest_buf(c.mem, a[0], a[1], Access::Write)?;
    // The raw call returns the length including the NUL (the libc wrapper returns the
    // pointer). With a sysroot the result will need translating back.
    // SAFETY: `buf` is `a[1]` writable bytes of guest memory.
    Ok(host(unsafe { libc::syscall(libc::SYS_getcwd, buf, a[1] as usize) })?)
}

pub fn chdir(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let path = host_path(c, a[0])?;
    // SAFETY: `path` is NUL-terminated.
    Ok(host(unsafe { libc::chdir(path.as_ptr()) })?)
}

pub fn fchdir(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::fchdir(fd) })?)
}

pub fn getdents64(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let count = a[2] & 0xffff_ffff;
    let buf = guest_buf(c.mem, a[1], count, Access::Write)?;
    // SAFETY: `buf` is `count` writable bytes; linux_dirent64 has the same layout everywhere.
    Ok(host(unsafe { libc::syscall(libc::SYS_getdents64, fd, buf, count as usize) })?)
}

pub fn mkdirat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    let path = host_path(c, a[1])?;
    // SAFETY: `path` is NUL-terminated.
    Ok(host(unsafe { libc::mkdirat(dfd, path.as_ptr(), (a[2] & 0o7777) as libc::mode_t) })?)
}

pub fn mknodat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    let path = host_path(c, a[1])?;
    // SAFETY: `path` is NUL-terminated.
    Ok(host(unsafe { libc::syscall(libc::SYS_mknodat, dfd, path.as_ptr(), a[2] as u32, a[3] as u32) })?)
}

pub fn unlinkat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    let path = host_path(c, a[1])?;
    // SAFETY: `path` is NUL-terminated.
    Ok(host(unsafe { libc::unlinkat(dfd, path.as_ptr(), int(a[2])) })?)
}

pub fn symlinkat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // The target is the link's contents, not a path looked up now: stored as given.
    let target = c.mem.read_cstr(a[0], PATH_MAX - 1)?;
    let target = CString::new(target).map_err(|_| Errno::EINVAL)?;
    let dfd = dirfd(c, a[1])?;
    let path = host_path(c, a[2])?;
    // SAFETY: both strings are NUL-terminated.
    Ok(host(unsafe { libc::symlinkat(target.as_ptr(), dfd, path.as_ptr()) })?)
}

pub fn linkat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (od, op) = (dirfd(c, a[0])?, host_path(c, a[1])?);
    let (nd, np) = (dirfd(c, a[2])?, host_path(c, a[3])?);
    // SAFETY: both paths are NUL-terminated.
    Ok(host(unsafe { libc::linkat(od, op.as_ptr(), nd, np.as_ptr(), int(a[4])) })?)
}

pub fn renameat2(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (od, op) = (dirfd(c, a[0])?, host_path(c, a[1])?);
    let (nd, np) = (dirfd(c, a[2])?, host_path(c, a[3])?);
    // SAFETY: both paths are NUL-terminated.
    Ok(host(unsafe { libc::syscall(libc::SYS_renameat2, od, op.as_ptr(), nd, np.as_ptr(), a[4] as u32) })?)
}

/// renameat is renameat2 without flags.
pub fn renameat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    renameat2(c, [a[0], a[1], a[2], a[3], 0, 0])
}

pub fn statfs(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let path = host_path(c, a[0])?;
    // asm-generic struct statfs with 64-bit words is 120 bytes; x86-64 uses the same.
    let buf = c.mem.host_range(a[1], 120, Access::Write)?;
    // SAFETY: `path` is NUL-terminated and `buf` 120 writable bytes of guest memory.
    Ok(host(unsafe { libc::syscall(libc::SYS_statfs, path.as_ptr(), buf) })?)
}

pub fn fstatfs(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let buf = c.mem.host_range(a[1], 120, Access::Write)?;
    // SAFETY: as in `statfs`.
    Ok(host(unsafe { libc::syscall(libc::SYS_fstatfs, fd, buf) })?)
}

pub fn truncate(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let path = host_path(c, a[0])?;
    // SAFETY: `path` is NUL-terminated.
    Ok(host(unsafe { libc::truncate(path.as_ptr(), a[1] as i64) })?)
}

pub fn ftruncate(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::ftruncate(fd, a[1] as i64) })?)
}

pub fn fallocate(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::fallocate(fd, int(a[1]), a[2] as i64, a[3] as i64) })?)
}

pub fn fchmod(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::fchmod(fd, (a[1] & 0o7777) as libc::mode_t) })?)
}

pub fn fchmodat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    let path = host_path(c, a[1])?;
    // The system call has no flags argument (that is fchmodat2).
    // SAFETY: `path` is NUL-terminated.
    Ok(host(unsafe { libc::syscall(libc::SYS_fchmodat, dfd, path.as_ptr(), (a[2] & 0o7777) as u32) })?)
}

pub fn fchownat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    let path = host_path(c, a[1])?;
    // SAFETY: `path` is NUL-terminated.
    Ok(host(unsafe { libc::fchownat(dfd, path.as_ptr(), a[2] as u32, a[3] as u32, int(a[4])) })?)
}

pub fn fchown(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::fchown(fd, a[1] as u32, a[2] as u32) })?)
}

pub fn sync(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    // SAFETY: no arguments.
    unsafe { libc::sync() };
    Ok(0)
}

pub fn fsync(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::fsync(fd) })?)
}

pub fn fdatasync(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::fdatasync(fd) })?)
}

pub fn utimensat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let dfd = dirfd(c, a[0])?;
    // A NULL path means the file `dfd` itself.
    let path = if a[1] == 0 { None } else { Some(host_path(c, a[1])?) };
    let pp = path.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
    // Two timespecs, the same layout on both sides.
    let times = guest_buf_opt(c.mem, a[2], 32, Access::Read)?;
    // SAFETY: `pp` is NULL or NUL-terminated; `times` NULL or 32 readable guest bytes.
    Ok(host(unsafe { libc::syscall(libc::SYS_utimensat, dfd, pp, times, int(a[3])) })?)
}

pub fn flock(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // Without LOCK_NB this waits for the lock.
    Ok(blocking(libc::SYS_flock, [fd as u64, a[1], 0, 0, 0, 0])?)
}

pub fn fadvise64(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // The raw call reports errors through errno like the others.
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::syscall(libc::SYS_fadvise64, fd, a[1] as i64, a[2] as i64, int(a[3])) })?)
}

pub fn syncfs(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::syncfs(fd) })?)
}

pub fn memfd_create(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let name = c.mem.read_cstr(a[0], 249)?;
    let name = CString::new(name).map_err(|_| Errno::EINVAL)?;
    // MFD_* flags are the same on every architecture.
    // SAFETY: `name` is NUL-terminated.
    Ok(host(unsafe { libc::memfd_create(name.as_ptr(), a[1] as u32) })?)
}

pub fn copy_file_range(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd_in = guest_fd(c, a[0])?;
    let off_in = guest_buf_opt(c.mem, a[1], 8, Access::Write)?;
    let fd_out = guest_fd(c, a[2])?;
    let off_out = guest_buf_opt(c.mem, a[3], 8, Access::Write)?;
    // SAFETY: the offsets are NULL or 8 writable bytes of guest memory (loff_t).
    Ok(host(unsafe {
        libc::syscall(libc::SYS_copy_file_range, fd_in, off_in, fd_out, off_out, a[4] as usize, a[5] as u32)
    })?)
}

/// `struct open_how` (include/uapi/linux/openat2.h): flags, mode, resolve; 24 bytes in
/// its first version, later versions only append.
const OPEN_HOW: u64 = 24;
/// RESOLVE_BENEATH and RESOLVE_IN_ROOT: absolute paths are then relative to the directory
/// descriptor, not to the guest's root, so the file system view is not applied to them.
const RESOLVE_SCOPED: u64 = 0x08 | 0x10;

/// openat2(dirfd, path, how, size): openat with resolution controls. A `how` larger than
/// the kernel knows must be zero beyond what it knows (E2BIG otherwise).
pub fn openat2(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let size = a[3];
    if size < OPEN_HOW {
        return Err(Errno::EINVAL.into());
    }
    if size > crate::mem::PAGE_SIZE {
        return Err(Errno(libc::E2BIG).into());
    }
    let how = c.mem.read_vec(a[2], size as usize)?;
    if how[OPEN_HOW as usize..].iter().any(|&b| b != 0) {
        return Err(Errno(libc::E2BIG).into());
    }
    let word = |i: usize| u64::from_le_bytes(how[i * 8..i * 8 + 8].try_into().unwrap());
    let (flags, mode, resolve) = (word(0), word(1), word(2));
    let dfd = dirfd(c, a[0])?;
    let raw = c.mem.read_cstr(a[1], PATH_MAX - 1)?;
    if let Some(data) = emulated_proc_file(c.p, &raw) {
        if flags & O_ACCMODE != 0 {
            return Err(Errno(libc::EACCES).into());
        }
        return Ok(memfd_with(&data, flags & 0o2000000 != 0)?);
    }
    let path = if resolve & RESOLVE_SCOPED != 0 { raw } else { translate_path(c.p, &raw) };
    let path = CString::new(path).map_err(|_| Errno::EINVAL)?;
    // Bits above the 32 open flags stay for the host kernel to refuse.
    let host_flags = (flags & !0xffff_ffff) | open_flags_to_host(c.p.arch, flags & 0xffff_ffff) as u32 as u64;
    let host_how = [host_flags, mode, resolve];
    // `path` and `host_how` are ours; opening a FIFO waits, so this can block.
    Ok(blocking(libc::SYS_openat2, [dfd as i64 as u64, path.as_ptr() as u64, host_how.as_ptr() as u64, OPEN_HOW, 0, 0])?)
}

pub fn chroot(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let path = host_path(c, a[0])?;
    // SAFETY: `path` is NUL-terminated.
    Ok(host(unsafe { libc::chroot(path.as_ptr()) })?)
}

/// acct(path): process accounting to `path`, or off with NULL.
pub fn acct(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let path = if a[0] == 0 { None } else { Some(host_path(c, a[0])?) };
    let p = path.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
    // SAFETY: `p` is NULL or NUL-terminated.
    Ok(host(unsafe { libc::acct(p) })?)
}
