//! Event descriptors: timerfd, inotify (eventfd2 is with the other descriptor calls in
//! `fd.rs`).
//!
//! `struct itimerspec` (two timespecs) and `struct inotify_event` (int wd, u32 mask, cookie,
//! len, name) have the same layout on the guest and the host, and the flags (TFD_*, IN_*)
//! the same values, so only the pointers are checked and the buffers copied. Reading the
//! descriptors (which blocks) is the ordinary `read`, which goes through `blocking`.

use super::fd::guest_fd;
use super::fs::host_path;
use super::syscall::{host, int, Ctx, SysResult};
use crate::mem::{Errno, GuestMemory};

/// Size of `struct itimerspec`.
pub const ITIMERSPEC_SIZE: usize = 32;

/// A guest itimerspec copied in, as four longs (interval, value).
pub fn read_itimerspec(mem: &GuestMemory, addr: u64) -> Result<libc::itimerspec, Errno> {
    let b = mem.read_vec(addr, ITIMERSPEC_SIZE)?;
    let l = |i: usize| i64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap());
    Ok(libc::itimerspec {
        it_interval: libc::timespec { tv_sec: l(0), tv_nsec: l(1) },
        it_value: libc::timespec { tv_sec: l(2), tv_nsec: l(3) },
    })
}

/// Writes a host itimerspec to the guest.
pub fn write_itimerspec(mem: &GuestMemory, addr: u64, t: &libc::itimerspec) -> Result<(), Errno> {
    let mut b = [0u8; ITIMERSPEC_SIZE];
    for (i, v) in [t.it_interval.tv_sec, t.it_interval.tv_nsec, t.it_value.tv_sec, t.it_value.tv_nsec]
        .into_iter()
        .enumerate()
    {
        b[i * 8..i * 8 + 8].copy_from_slice(&v.to_le_bytes());
    }
    Ok(mem.write(addr, &b)?)
}

fn zero_itimerspec() -> libc::itimerspec {
    let z = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    libc::itimerspec { it_interval: z, it_value: z }
}

pub fn timerfd_create(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // TFD_CLOEXEC/TFD_NONBLOCK are O_CLOEXEC/O_NONBLOCK, the same bits everywhere.
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::timerfd_create(int(a[0]), int(a[1])) })?)
}

pub fn timerfd_settime(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let new = read_itimerspec(c.mem, a[2])?;
    let mut old = zero_itimerspec();
    let oldp = if a[3] == 0 { std::ptr::null_mut() } else { &mut old as *mut libc::itimerspec };
    // SAFETY: `new` and `old` are host values we own; `oldp` is NULL or points at `old`.
    let r = host(unsafe { libc::timerfd_settime(fd, int(a[1]), &new, oldp) })?;
    // As in the kernel, the timer is set even when the old value cannot be reported.
    if a[3] != 0 {
        write_itimerspec(c.mem, a[3], &old)?;
    }
    Ok(r)
}

pub fn timerfd_gettime(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let mut cur = zero_itimerspec();
    // SAFETY: `cur` is a host itimerspec we own.
    let r = host(unsafe { libc::timerfd_gettime(fd, &mut cur) })?;
    write_itimerspec(c.mem, a[1], &cur)?;
    Ok(r)
}

pub fn inotify_init1(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // IN_CLOEXEC/IN_NONBLOCK are O_CLOEXEC/O_NONBLOCK.
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::inotify_init1(int(a[0])) })?)
}

pub fn inotify_add_watch(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // The guest's view of the path (sysroot, /proc/self/exe).
    let path = host_path(c, a[1])?;
    // SAFETY: `path` is NUL-terminated.
    Ok(host(unsafe { libc::inotify_add_watch(fd, path.as_ptr(), a[2] as u32) })?)
}

pub fn inotify_rm_watch(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::inotify_rm_watch(fd, int(a[1])) })?)
}
