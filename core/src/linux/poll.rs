//! Waiting on descriptors: ppoll, pselect6, epoll_create1, epoll_ctl, epoll_pwait,
//! epoll_pwait2.
//!
//! `struct pollfd`, `fd_set` (longs of bits) and `struct timespec` are the same on the
//! guest and the host; they are copied in and out the way the kernel copies them, so a
//! read-only timeout works (the kernel does not insist on writing the time left back).
//! `struct epoll_event` is not: riscv64 and aarch64 have `{u32 events; u64 data}` aligned
//! to 16 bytes, x86-64 packs it into 12; [`epoll_event_to_host`] and
//! [`epoll_event_to_guest`] translate. Every wait goes through [`blocking`].

use super::abi::SIG_SETSIZE;
use super::fd::guest_fd;
use super::syscall::{blocking, host, int, Ctx, SysResult};
use crate::mem::{Errno, GuestMemory};

/// Size of the guest `struct epoll_event`.
pub const GUEST_EPOLL_EVENT: usize = 16;
/// The most events one epoll wait hands the host: a wait may report fewer events than are
/// ready (the rest stay ready for the next call), so this bounds remu's buffer, not the
/// guest.
const EPOLL_BATCH: usize = 1024;

fn ptr<T>(p: *const T) -> u64 {
    p as usize as u64
}

/// The host signal mask a wait with a guest-supplied mask (ppoll, pselect6, epoll_pwait)
/// runs with, from the guest's 64-bit mask. Signal numbers 1..=64 are the same bits on the
/// host; remu's own fault signals (SIGSEGV, SIGBUS) stay deliverable and SIGKILL/SIGSTOP
/// cannot be blocked anyway. Guest signal delivery will refine this.
pub fn guest_sigmask_for_host(_c: &Ctx<'_>, guest: u64) -> u64 {
    let bit = |s: i32| 1u64 << (s - 1);
    guest & !(bit(libc::SIGKILL) | bit(libc::SIGSTOP) | bit(libc::SIGSEGV) | bit(libc::SIGBUS))
}

/// Reads a guest sigmask argument pair (pointer, size) into a host mask; `None` for NULL.
fn read_sigmask(c: &Ctx<'_>, addr: u64, size: u64) -> Result<Option<u64>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    if size != SIG_SETSIZE {
        return Err(Errno::EINVAL);
    }
    let guest = c.mem.read_u64(addr)?;
    Ok(Some(guest_sigmask_for_host(c, guest)))
}

/// A pointer to the host mask for the raw call, or NULL.
fn mask_ptr(m: &Option<u64>) -> u64 {
    m.as_ref().map_or(0, |m| ptr(m as *const u64))
}

/// A guest timespec copied in (EFAULT if unreadable, EINVAL if out of range).
fn read_timespec(mem: &GuestMemory, addr: u64) -> Result<libc::timespec, Errno> {
    let sec = mem.read_u64(addr)? as i64;
    let nsec = mem.read_u64(addr + 8)? as i64;
    if sec < 0 || !(0..1_000_000_000).contains(&nsec) {
        return Err(Errno::EINVAL);
    }
    Ok(libc::timespec { tv_sec: sec, tv_nsec: nsec })
}

/// Writes the time left back into the guest's timeout, as ppoll and pselect6 do. A guest
/// that keeps its timeout in read-only memory does not get an error for it (the kernel
/// skips the update then).
fn write_back_timespec(mem: &GuestMemory, addr: u64, ts: &libc::timespec) {
    let _ = mem.write_u64(addr, ts.tv_sec as u64).and_then(|_| mem.write_u64(addr + 8, ts.tv_nsec as u64));
}

/// The host's soft RLIMIT_NOFILE: the kernel refuses to poll more descriptors than that.
fn nofile_limit() -> u64 {
    let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `r` is a valid rlimit to fill.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) };
    r.rlim_cur
}

pub fn ppoll(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // The kernel's order: timeout, then mask, then the descriptor count.
    let tmo = if a[2] == 0 { None } else { Some(read_timespec(c.mem, a[2])?) };
    let mask = read_sigmask(c, a[3], a[4])?;
    let nfds = a[1];
    if nfds > nofile_limit() {
        return Err(Errno::EINVAL.into());
    }
    // struct pollfd { int fd; short events; short revents; }: copied as the kernel copies it.
    let raw = c.mem.read_vec(a[0], nfds as usize * 8)?;
    let mut fds: Vec<libc::pollfd> = raw
        .chunks_exact(8)
        .map(|b| libc::pollfd {
            fd: i32::from_le_bytes(b[..4].try_into().unwrap()),
            events: i16::from_le_bytes(b[4..6].try_into().unwrap()),
            revents: 0,
        })
        .collect();
    let mut tmo_h = tmo;
    let tp = tmo_h.as_mut().map_or(0, |t| ptr(t as *const libc::timespec));
    let r = blocking(libc::SYS_ppoll, [ptr(fds.as_mut_ptr()), nfds, tp, mask_ptr(&mask), 8, 0]);
    if let (Some(t), true) = (tmo_h, a[2] != 0) {
        write_back_timespec(c.mem, a[2], &t);
    }
    let n = r?;
    let mut out = Vec::with_capacity(raw.len());
    for p in &fds {
        out.extend_from_slice(&p.fd.to_le_bytes());
        out.extend_from_slice(&p.events.to_le_bytes());
        out.extend_from_slice(&p.revents.to_le_bytes());
    }
    c.mem.write(a[0], &out)?;
    Ok(n)
}

pub fn pselect6(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let n = int(a[0]);
    if n < 0 {
        return Err(Errno::EINVAL.into());
    }
    // The kernel only looks at as many bits as its descriptor table has.
    let n = (n as u64).min(nofile_limit().max(64));
    let bytes = n.div_ceil(64) as usize * 8;
    let mut sets: [Option<Vec<u8>>; 3] = [None, None, None];
    for (i, set) in sets.iter_mut().enumerate() {
        if a[1 + i] != 0 {
            *set = Some(c.mem.read_vec(a[1 + i], bytes)?);
        }
    }
    let tmo = if a[4] == 0 { None } else { Some(read_timespec(c.mem, a[4])?) };
    // The sixth argument points at { const sigset_t *ss; size_t ss_len; }.
    let mask = if a[5] == 0 {
        None
    } else {
        let ss = c.mem.read_u64(a[5])?;
        let len = c.mem.read_u64(a[5] + 8)?;
        read_sigmask(c, ss, len)?
    };
    let host_sig = [mask_ptr(&mask), 8];
    let sig = if mask.is_some() { ptr(host_sig.as_ptr()) } else { 0 };
    let set_ptr = |s: &mut Option<Vec<u8>>| s.as_mut().map_or(0, |v| ptr(v.as_mut_ptr()));
    let (p0, p1, p2) = {
        let [s0, s1, s2] = &mut sets;
        (set_ptr(s0), set_ptr(s1), set_ptr(s2))
    };
    let mut tmo_h = tmo;
    let tp = tmo_h.as_mut().map_or(0, |t| ptr(t as *const libc::timespec));
    let r = blocking(libc::SYS_pselect6, [n, p0, p1, p2, tp, sig]);
    if let (Some(t), true) = (tmo_h, a[4] != 0) {
        write_back_timespec(c.mem, a[4], &t);
    }
    let ready = r?;
    for (i, set) in sets.iter().enumerate() {
        if let Some(v) = set {
            c.mem.write(a[1 + i], v)?;
        }
    }
    Ok(ready)
}

/// A guest `struct epoll_event` (16 bytes) as the host's packed one.
pub fn epoll_event_to_host(b: &[u8]) -> libc::epoll_event {
    libc::epoll_event {
        events: u32::from_le_bytes(b[..4].try_into().unwrap()),
        u64: u64::from_le_bytes(b[8..16].try_into().unwrap()),
    }
}

/// A host epoll_event as the guest's 16 bytes (padding zeroed).
pub fn epoll_event_to_guest(e: &libc::epoll_event) -> [u8; GUEST_EPOLL_EVENT] {
    let mut b = [0u8; GUEST_EPOLL_EVENT];
    // Copies out of the packed struct (no references to its unaligned fields).
    let (events, data) = (e.events, e.u64);
    b[..4].copy_from_slice(&events.to_le_bytes());
    b[8..].copy_from_slice(&data.to_le_bytes());
    b
}

pub fn epoll_create1(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // EPOLL_CLOEXEC is O_CLOEXEC, the same bit everywhere.
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::epoll_create1(int(a[0])) })?)
}

const EPOLL_CTL_DEL: i32 = 2;

pub fn epoll_ctl(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let epfd = guest_fd(c, a[0])?;
    let op = int(a[1]);
    let fd = guest_fd(c, a[2])?;
    // EPOLL_CTL_DEL ignores the event (it may be NULL); the others read it first.
    let mut ev = if op == EPOLL_CTL_DEL {
        None
    } else {
        Some(epoll_event_to_host(&c.mem.read_vec(a[3], GUEST_EPOLL_EVENT)?))
    };
    let evp = ev.as_mut().map_or(std::ptr::null_mut(), |e| e as *mut libc::epoll_event);
    // SAFETY: `evp` is NULL or a host epoll_event we own.
    Ok(host(unsafe { libc::epoll_ctl(epfd, op, fd, evp) })?)
}

/// Waits with the host's epoll and copies the events out in the guest's layout. Like the
/// kernel, a fault after some events were copied returns how many were; a fault on the
/// first is EFAULT.
fn epoll_wait_common(c: &mut Ctx<'_>, a: [u64; 6], nr: libc::c_long, timeout: u64) -> SysResult {
    let epfd = guest_fd(c, a[0])?;
    let max = int(a[2]);
    if max <= 0 || max as usize > i32::MAX as usize / GUEST_EPOLL_EVENT {
        return Err(Errno::EINVAL.into());
    }
    let mask = read_sigmask(c, a[4], a[5])?;
    let n = (max as usize).min(EPOLL_BATCH);
    let mut evs = vec![libc::epoll_event { events: 0, u64: 0 }; n];
    let got = blocking(nr, [epfd as u64, ptr(evs.as_mut_ptr()), n as u64, timeout, mask_ptr(&mask), 8])?;
    for (i, e) in evs.iter().take(got as usize).enumerate() {
        if c.mem.write(a[1] + (i * GUEST_EPOLL_EVENT) as u64, &epoll_event_to_guest(e)).is_err() {
            return if i == 0 { Err(Errno::EFAULT.into()) } else { Ok(i as i64) };
        }
    }
    Ok(got)
}

pub fn epoll_pwait(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    epoll_wait_common(c, a, libc::SYS_epoll_pwait, int(a[3]) as i64 as u64)
}

pub fn epoll_pwait2(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // The timeout is a timespec (NULL: wait forever), read and never written back.
    let tmo = if a[3] == 0 { None } else { Some(read_timespec(c.mem, a[3])?) };
    let tp = tmo.as_ref().map_or(0, |t| ptr(t as *const libc::timespec));
    epoll_wait_common(c, a, libc::SYS_epoll_pwait2, tp)
}
