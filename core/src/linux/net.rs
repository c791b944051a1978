//! Sockets: socket, socketpair, bind, listen, accept(4), connect, getsockname, getpeername,
//! sendto, recvfrom, setsockopt, getsockopt, shutdown, sendmsg, recvmsg, sendmmsg, recvmmsg.
//!
//! Socket addresses, `socklen_t`, option values (int, `struct linger`, `struct ucred`,
//! `struct timeval`) and control messages (`struct cmsghdr` with SCM_RIGHTS descriptors or
//! SCM_CREDENTIALS) have the same LP64 layout and constants on riscv64, aarch64 and x86-64
//! (all use asm-generic/socket.h), so their bytes pass through in place. What holds guest
//! pointers is rebuilt with host pointers: `struct msghdr` (name, iovec array, control),
//! `struct mmsghdr`, and the few socket options whose value contains a pointer.

use std::ffi::c_void;

use super::fd::{guest_fd, iovecs};
use super::syscall::{blocking, guest_buf, host, int, Ctx, SysResult};
use crate::isa::Access;
use crate::mem::{Errno, GuestMemory};

/// sizeof(struct sockaddr_storage): no socket address is longer.
const SOCKADDR_MAX: u64 = 128;
/// The kernel's UIO_MAXIOV, the iovec limit of a msghdr and the batch limit of *mmsg.
const UIO_MAXIOV: u64 = 1024;
/// Guest `struct msghdr` (LP64): name 0, namelen 8, iov 16, iovlen 24, control 32,
/// controllen 40, flags 48.
pub const MSGHDR_SIZE: u64 = 56;
/// Guest `struct mmsghdr`: a msghdr, then `unsigned int msg_len` (padded to 8).
pub const MMSGHDR_SIZE: u64 = 64;

/// A host call that cannot block.
fn sys(nr: libc::c_long, a: [u64; 6]) -> Result<i64, Errno> {
    // SAFETY: callers pass arguments valid for `nr`: values, or host pointers to checked
    // guest memory or to locals that outlive the call.
    host(unsafe { libc::syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]) })
}

fn ptr<T>(p: *const T) -> u64 {
    p as usize as u64
}

/// A socket address the call reads: `len` bytes at `addr`, as the kernel's
/// move_addr_to_kernel takes it (0..=128 bytes, else EINVAL).
fn in_addr(mem: &GuestMemory, addr: u64, len: u64) -> Result<*mut c_void, Errno> {
    let len = int(len);
    if len < 0 || len as u64 > SOCKADDR_MAX {
        return Err(Errno::EINVAL);
    }
    guest_buf(mem, addr, len as u64, Access::Read)
}

/// A socket address the call writes (accept, getsockname, recvfrom): the guest's buffer
/// and a host copy of its in/out `socklen_t`, so the host never reads a length the guest
/// could change under it.
struct OutAddr {
    buf: *mut c_void,
    len: libc::socklen_t,
    len_addr: u64,
}

impl OutAddr {
    /// `None` when `addr` is NULL (the kernel then ignores the length pointer too).
    fn new(mem: &GuestMemory, addr: u64, len_addr: u64) -> Result<Option<OutAddr>, Errno> {
        if addr == 0 {
            return Ok(None);
        }
        let len = mem.read_u32(len_addr)?;
        mem.check(len_addr, 4, Access::Write)?;
        // The kernel writes at most min(len, actual length) <= 128 bytes; a negative length
        // is the host's EINVAL to report.
        let n = (len as i32).max(0) as u64;
        let buf = guest_buf(mem, addr, n.min(SOCKADDR_MAX), Access::Write)?;
        Ok(Some(OutAddr { buf, len, len_addr }))
    }
    fn args(o: &mut Option<OutAddr>) -> (u64, u64) {
        match o {
            Some(o) => (ptr(o.buf), ptr(&mut o.len as *mut libc::socklen_t)),
            None => (0, 0),
        }
    }
    /// Writes the address's real length back.
    fn finish(o: &Option<OutAddr>, mem: &GuestMemory) -> Result<(), Errno> {
        if let Some(o) = o {
            mem.write_u32(o.len_addr, o.len)?;
        }
        Ok(())
    }
}

pub fn socket(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SOCK_NONBLOCK/SOCK_CLOEXEC are O_NONBLOCK/O_CLOEXEC, the same bits on every arch.
    Ok(sys(libc::SYS_socket, [a[0], a[1], a[2], 0, 0, 0])?)
}

pub fn socketpair(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let mut sv = [0i32; 2];
    sys(libc::SYS_socketpair, [a[0], a[1], a[2], ptr(sv.as_mut_ptr()), 0, 0])?;
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&sv[0].to_le_bytes());
    out[4..].copy_from_slice(&sv[1].to_le_bytes());
    if let Err(f) = c.mem.write(a[3], &out) {
        // The kernel does not install the descriptors when it cannot report them.
        // SAFETY: both were created by this call and are known to nobody else.
        unsafe {
            libc::close(sv[0]);
            libc::close(sv[1]);
        }
        return Err(f.into());
    }
    Ok(0)
}

pub fn bind(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let addr = in_addr(c.mem, a[1], a[2])?;
    Ok(sys(libc::SYS_bind, [fd as u64, ptr(addr), a[2] & 0xffff_ffff, 0, 0, 0])?)
}

pub fn connect(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let addr = in_addr(c.mem, a[1], a[2])?;
    Ok(blocking(libc::SYS_connect, [fd as u64, ptr(addr), a[2] & 0xffff_ffff, 0, 0, 0])?)
}

pub fn listen(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    Ok(sys(libc::SYS_listen, [fd as u64, a[1], 0, 0, 0, 0])?)
}

pub fn accept(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    accept4(c, [a[0], a[1], a[2], 0, 0, 0])
}

pub fn accept4(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let mut out = OutAddr::new(c.mem, a[1], a[2])?;
    let (buf, len) = OutAddr::args(&mut out);
    let new = blocking(libc::SYS_accept4, [fd as u64, buf, len, a[3], 0, 0])?;
    if let Err(e) = OutAddr::finish(&out, c.mem) {
        // SAFETY: the descriptor was just made by this call; the guest never saw it.
        unsafe { libc::close(new as i32) };
        return Err(e.into());
    }
    Ok(new)
}

/// getsockname and getpeername: the address is required (NULL is the host's EFAULT).
fn sockname(c: &mut Ctx<'_>, a: [u64; 6], nr: libc::c_long) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    if a[1] == 0 {
        return Err(Errno::EFAULT.into());
    }
    let mut out = OutAddr::new(c.mem, a[1], a[2])?;
    let (buf, len) = OutAddr::args(&mut out);
    let r = sys(nr, [fd as u64, buf, len, 0, 0, 0])?;
    OutAddr::finish(&out, c.mem)?;
    Ok(r)
}

pub fn getsockname(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    sockname(c, a, libc::SYS_getsockname)
}

pub fn getpeername(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    sockname(c, a, libc::SYS_getpeername)
}

pub fn sendto(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let buf = guest_buf(c.mem, a[1], a[2], Access::Read)?;
    // A NULL address means "the connected peer" and its length is ignored.
    let (addr, len) = if a[4] == 0 { (0, 0) } else { (ptr(in_addr(c.mem, a[4], a[5])?), a[5] & 0xffff_ffff) };
    Ok(blocking(libc::SYS_sendto, [fd as u64, ptr(buf), a[2], a[3], addr, len])?)
}

pub fn recvfrom(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let buf = guest_buf(c.mem, a[1], a[2], Access::Write)?;
    let mut out = OutAddr::new(c.mem, a[4], a[5])?;
    let (addr, len) = OutAddr::args(&mut out);
    let n = blocking(libc::SYS_recvfrom, [fd as u64, ptr(buf), a[2], a[3], addr, len])?;
    OutAddr::finish(&out, c.mem)?;
    Ok(n)
}

pub fn shutdown(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    Ok(sys(libc::SYS_shutdown, [fd as u64, a[1], 0, 0, 0, 0])?)
}

// Socket option levels and the options whose values hold pointers.
const SOL_IP: i32 = 0;
const SOL_SOCKET: i32 = 1;
const SOL_TCP: i32 = 6;
const SOL_IPV6: i32 = 41;
const SOL_PACKET: i32 = 263;
const SO_ATTACH_FILTER: i32 = 26;
const SO_ATTACH_REUSEPORT_CBPF: i32 = 51;
const PACKET_FANOUT_DATA: i32 = 22;
/// `struct sock_fprog { unsigned short len; struct sock_filter *filter; }`.
const SOCK_FPROG_SIZE: u64 = 16;

/// Options remu does not pass on because their values carry guest pointers it does not
/// translate (iptables/ebtables replace and get-entries blobs, TCP zero-copy receive, which
/// maps pages at an address). The guest sees them as unknown options.
fn untranslated_option(level: i32, name: i32) -> bool {
    matches!(
        (level, name),
        (SOL_IP | SOL_IPV6, 64) // IPT_SO_SET_REPLACE / IP6T_SO_SET_REPLACE
            | (SOL_IP, 96) // ARPT_SO_SET_REPLACE
            | (SOL_IP, 128..=132) // EBT_SO_SET_ENTRIES ... EBT_SO_GET_INIT_ENTRIES
            | (SOL_TCP, 35) // TCP_ZEROCOPY_RECEIVE
    )
}

/// Whether a setsockopt value is a `struct sock_fprog` (a classic BPF program).
fn is_fprog(level: i32, name: i32, len: u64) -> bool {
    match (level, name) {
        (SOL_SOCKET, SO_ATTACH_FILTER | SO_ATTACH_REUSEPORT_CBPF) => true,
        // With an fprog's size the value is a classic BPF program, with an int's an eBPF fd.
        (SOL_PACKET, PACKET_FANOUT_DATA) => len == SOCK_FPROG_SIZE,
        _ => false,
    }
}

pub fn setsockopt(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let (level, name, len) = (int(a[1]), int(a[2]), int(a[4]));
    if len < 0 {
        return Err(Errno::EINVAL.into());
    }
    if untranslated_option(level, name) {
        return Err(Errno(libc::ENOPROTOOPT).into());
    }
    if is_fprog(level, name, len as u64) {
        // The kernel's copy_bpf_fprog_from_user takes exactly one sock_fprog.
        if len as u64 != SOCK_FPROG_SIZE {
            return Err(Errno::EINVAL.into());
        }
        let count = c.mem.read_u16(a[3])?;
        let filter = c.mem.read_u64(a[3] + 8)?;
        // struct sock_filter is 8 bytes of plain data.
        let prog = libc::sock_fprog {
            len: count,
            filter: guest_buf(c.mem, filter, count as u64 * 8, Access::Read)?.cast(),
        };
        return Ok(sys(
            libc::SYS_setsockopt,
            [fd as u64, a[1], a[2], ptr(&prog), SOCK_FPROG_SIZE, 0],
        )?);
    }
    let val = guest_buf(c.mem, a[3], len as u64, Access::Read)?;
    Ok(sys(libc::SYS_setsockopt, [fd as u64, a[1], a[2], ptr(val), len as u64, 0])?)
}

pub fn getsockopt(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let (level, name) = (int(a[1]), int(a[2]));
    let mut len = c.mem.read_u32(a[4])?;
    c.mem.check(a[4], 4, Access::Write)?;
    if (len as i32) < 0 {
        return Err(Errno::EINVAL.into());
    }
    if untranslated_option(level, name) {
        return Err(Errno(libc::ENOPROTOOPT).into());
    }
    // Some options read the value too (IP_MSFILTER): pass the guest's buffer in place.
    let val = guest_buf(c.mem, a[3], len as u64, Access::Write)?;
    let r = sys(libc::SYS_getsockopt, [fd as u64, a[1], a[2], ptr(val), ptr(&mut len as *mut u32), 0])?;
    c.mem.write_u32(a[4], len)?;
    Ok(r)
}

/// A guest `struct msghdr` rebuilt for the host: its pointers made host pointers into
/// guest memory, its iovec array a host copy.
pub struct HostMsg {
    pub hdr: libc::msghdr,
    /// Owns the array `hdr.msg_iov` points at.
    pub iov: Vec<libc::iovec>,
}

/// Reads the guest msghdr at `addr` for sending (`Access::Read`: the host reads the
/// buffers) or receiving (`Access::Write`), with the kernel's checks: a negative name
/// length is EINVAL, a longer one than sockaddr_storage is cut to it, more than UIO_MAXIOV
/// iovecs is EMSGSIZE, a control buffer over INT_MAX is ENOBUFS when sending.
pub fn read_msghdr(mem: &GuestMemory, addr: u64, access: Access) -> Result<HostMsg, Errno> {
    let raw = mem.read_vec(addr, MSGHDR_SIZE as usize)?;
    let u64_at = |o: usize| u64::from_le_bytes(raw[o..o + 8].try_into().unwrap());
    let name = u64_at(0);
    let namelen = i32::from_le_bytes(raw[8..12].try_into().unwrap());
    let (iov, iovlen, control, controllen) = (u64_at(16), u64_at(24), u64_at(32), u64_at(40));
    let flags = i32::from_le_bytes(raw[48..52].try_into().unwrap());
    let namelen = if name == 0 { 0 } else { namelen };
    if namelen < 0 {
        return Err(Errno::EINVAL);
    }
    let namelen = (namelen as u64).min(SOCKADDR_MAX);
    if iovlen > UIO_MAXIOV {
        return Err(Errno(libc::EMSGSIZE));
    }
    if access == Access::Read && controllen > i32::MAX as u64 {
        return Err(Errno(libc::ENOBUFS));
    }
    let iov = iovecs(mem, iov, iovlen, access)?;
    let name_p = if name == 0 { std::ptr::null_mut() } else { guest_buf(mem, name, namelen, access)? };
    let control_p = if control == 0 { std::ptr::null_mut() } else { guest_buf(mem, control, controllen, access)? };
    // SAFETY: msghdr is plain data; all-zero is a valid empty message.
    let mut hdr: libc::msghdr = unsafe { std::mem::zeroed() };
    hdr.msg_name = name_p;
    hdr.msg_namelen = namelen as u32;
    hdr.msg_iovlen = iov.len();
    hdr.msg_control = control_p;
    hdr.msg_controllen = controllen as usize;
    hdr.msg_flags = flags;
    let mut m = HostMsg { hdr, iov };
    m.hdr.msg_iov = m.iov.as_mut_ptr();
    Ok(m)
}

/// Writes back what recvmsg reports in the guest msghdr at `addr`: the name's length
/// (when there is a name buffer), the control data's length and the message flags.
pub fn write_msghdr_result(mem: &GuestMemory, addr: u64, m: &libc::msghdr) -> Result<(), Errno> {
    if mem.read_u64(addr)? != 0 {
        mem.write_u32(addr + 8, m.msg_namelen)?;
    }
    mem.write_u64(addr + 40, m.msg_controllen as u64)?;
    mem.write_u32(addr + 48, m.msg_flags as u32)?;
    Ok(())
}

pub fn sendmsg(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let m = read_msghdr(c.mem, a[1], Access::Read)?;
    Ok(blocking(libc::SYS_sendmsg, [fd as u64, ptr(&m.hdr), a[2], 0, 0, 0])?)
}

pub fn recvmsg(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let mut m = read_msghdr(c.mem, a[1], Access::Write)?;
    // Check before receiving, so a message is never consumed and then lost.
    c.mem.check(a[1], MSGHDR_SIZE, Access::Write)?;
    let n = blocking(libc::SYS_recvmsg, [fd as u64, ptr(&mut m.hdr as *mut libc::msghdr), a[2], 0, 0, 0])?;
    write_msghdr_result(c.mem, a[1], &m.hdr)?;
    Ok(n)
}

/// The guest's mmsghdr array as host messages. A bad entry after the first ends the batch
/// there (the kernel sends or receives the good ones and reports the error on the next
/// call); a bad first entry is the error.
fn read_mmsgs(mem: &GuestMemory, addr: u64, vlen: u64, access: Access) -> Result<Vec<HostMsg>, Errno> {
    let vlen = vlen.min(UIO_MAXIOV);
    let mut out = Vec::with_capacity(vlen as usize);
    for i in 0..vlen {
        let at = addr.wrapping_add(i * MMSGHDR_SIZE);
        let m = read_msghdr(mem, at, access).and_then(|m| {
            mem.check(at, MMSGHDR_SIZE, Access::Write)?;
            Ok(m)
        });
        match m {
            Ok(m) => out.push(m),
            Err(e) if i == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(out)
}

fn host_mmsgs(msgs: &[HostMsg]) -> Vec<libc::mmsghdr> {
    msgs.iter().map(|m| libc::mmsghdr { msg_hdr: m.hdr, msg_len: 0 }).collect()
}

pub fn sendmmsg(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let msgs = read_mmsgs(c.mem, a[1], a[2] as u32 as u64, Access::Read)?;
    let mut h = host_mmsgs(&msgs);
    let n = blocking(libc::SYS_sendmmsg, [fd as u64, ptr(h.as_mut_ptr()), h.len() as u64, a[3], 0, 0])?;
    for (i, m) in h.iter().take(n as usize).enumerate() {
        c.mem.write_u32(a[1] + i as u64 * MMSGHDR_SIZE + 56, m.msg_len)?;
    }
    Ok(n)
}

pub fn recvmmsg(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let msgs = read_mmsgs(c.mem, a[1], a[2] as u32 as u64, Access::Write)?;
    // The timeout (a timespec, same layout) is read and the time left written back.
    let tmo = if a[4] == 0 { 0 } else { ptr(c.mem.host_range(a[4], 16, Access::Write)?) };
    let mut h = host_mmsgs(&msgs);
    let n = blocking(libc::SYS_recvmmsg, [fd as u64, ptr(h.as_mut_ptr()), h.len() as u64, a[3], tmo, 0])?;
    for (i, m) in h.iter().take(n as usize).enumerate() {
        let at = a[1] + i as u64 * MMSGHDR_SIZE;
        write_msghdr_result(c.mem, at, &m.msg_hdr)?;
        c.mem.write_u32(at + 56, m.msg_len)?;
    }
    Ok(n)
}
