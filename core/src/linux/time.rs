//! Time calls. `timespec`, `timeval`, `struct timezone`, `struct tms` and `struct rusage`
//! have the same LP64 layout on the guest and the host, so the guest's buffers are handed to
//! the host directly (after checking them).

use super::syscall::{blocking, guest_buf_opt, host, int, Ctx, SysResult};
use crate::isa::Access;
use crate::mem::Errno;

const TIMESPEC: u64 = 16;

pub fn clock_gettime(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let tp = c.mem.host_range(a[1], TIMESPEC, Access::Write)?;
    // SAFETY: `tp` is 16 writable bytes of guest memory, a timespec on both sides.
    Ok(host(unsafe { libc::clock_gettime(int(a[0]), tp.cast()) })?)
}

pub fn clock_getres(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let tp = guest_buf_opt(c.mem, a[1], TIMESPEC, Access::Write)?;
    // SAFETY: `tp` is NULL or 16 writable bytes of guest memory.
    Ok(host(unsafe { libc::syscall(libc::SYS_clock_getres, int(a[0]), tp) })?)
}

pub fn gettimeofday(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let tv = guest_buf_opt(c.mem, a[0], 16, Access::Write)?;
    let tz = guest_buf_opt(c.mem, a[1], 8, Access::Write)?;
    // SAFETY: each pointer is NULL or checked guest memory of the struct's size.
    Ok(host(unsafe { libc::syscall(libc::SYS_gettimeofday, tv, tz) })?)
}

pub fn nanosleep(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let req = c.mem.host_range(a[0], TIMESPEC, Access::Read)?;
    let rem = guest_buf_opt(c.mem, a[1], TIMESPEC, Access::Write)?;
    // A signal interrupts the sleep (EINTR, the time left in `rem`).
    Ok(blocking(libc::SYS_nanosleep, [req as u64, rem as u64, 0, 0, 0, 0])?)
}

pub fn clock_nanosleep(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let req = c.mem.host_range(a[2], TIMESPEC, Access::Read)?;
    let rem = guest_buf_opt(c.mem, a[3], TIMESPEC, Access::Write)?;
    Ok(blocking(libc::SYS_clock_nanosleep, [a[0] as i32 as u64, a[1] as i32 as u64, req as u64, rem as u64, 0, 0])?)
}

pub fn times(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // struct tms: four clock_t (long).
    let buf = guest_buf_opt(c.mem, a[0], 32, Access::Write)?;
    // SAFETY: `buf` is NULL or 32 writable bytes of guest memory.
    let r = unsafe { libc::syscall(libc::SYS_times, buf) };
    // The result is a tick count; only -1..-4095 are errors.
    if (-4095..0).contains(&r) {
        return Err(Errno::last().into());
    }
    Ok(r)
}

pub fn getrusage(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // struct rusage: two timevals and fourteen longs.
    let buf = c.mem.host_range(a[1], 144, Access::Write)?;
    // SAFETY: `buf` is 144 writable bytes of guest memory.
    Ok(host(unsafe { libc::syscall(libc::SYS_getrusage, int(a[0]), buf) })?)
}

// Interval timers and POSIX timers are the host's: their signals reach the guest through
// remu's mirrored dispositions (see `signal`). `struct itimerval`, `struct itimerspec`,
// `struct sigevent` (64 bytes, SIGEV_THREAD_ID naming a host tid = guest tid) and the
// kernel's `timer_t` (an int) have the same layout on the guest and the host.

const ITIMERVAL: u64 = 32;
const ITIMERSPEC: u64 = 32;
const SIGEVENT: u64 = 64;

pub fn getitimer(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let cur = c.mem.host_range(a[1], ITIMERVAL, Access::Write)?;
    // SAFETY: `cur` is checked guest memory of the struct's size.
    Ok(host(unsafe { libc::syscall(libc::SYS_getitimer, int(a[0]), cur) })?)
}

pub fn setitimer(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let new = guest_buf_opt(c.mem, a[1], ITIMERVAL, Access::Read)?;
    let old = guest_buf_opt(c.mem, a[2], ITIMERVAL, Access::Write)?;
    // SAFETY: each pointer is NULL or checked guest memory of the struct's size.
    Ok(host(unsafe { libc::syscall(libc::SYS_setitimer, int(a[0]), new, old) })?)
}

pub fn timer_create(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let sev = guest_buf_opt(c.mem, a[1], SIGEVENT, Access::Read)?;
    let id = c.mem.host_range(a[2], 4, Access::Write)?;
    // SAFETY: as above.
    Ok(host(unsafe { libc::syscall(libc::SYS_timer_create, int(a[0]), sev, id) })?)
}

pub fn timer_settime(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let new = c.mem.host_range(a[2], ITIMERSPEC, Access::Read)?;
    let old = guest_buf_opt(c.mem, a[3], ITIMERSPEC, Access::Write)?;
    // SAFETY: as above.
    Ok(host(unsafe { libc::syscall(libc::SYS_timer_settime, int(a[0]), int(a[1]), new, old) })?)
}

pub fn timer_gettime(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let cur = c.mem.host_range(a[1], ITIMERSPEC, Access::Write)?;
    // SAFETY: as above.
    Ok(host(unsafe { libc::syscall(libc::SYS_timer_gettime, int(a[0]), cur) })?)
}

pub fn timer_getoverrun(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::syscall(libc::SYS_timer_getoverrun, int(a[0])) })?)
}

pub fn timer_delete(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::syscall(libc::SYS_timer_delete, int(a[0])) })?)
}

/// `struct timex` (adjtimex, clock_adjtime): 208 bytes, the same LP64 layout on both sides.
const TIMEX: u64 = 208;

pub fn clock_settime(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let tp = c.mem.host_range(a[1], TIMESPEC, Access::Read)?;
    // SAFETY: `tp` is 16 readable bytes of guest memory.
    Ok(host(unsafe { libc::syscall(libc::SYS_clock_settime, int(a[0]), tp) })?)
}

pub fn settimeofday(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let tv = guest_buf_opt(c.mem, a[0], 16, Access::Read)?;
    let tz = guest_buf_opt(c.mem, a[1], 8, Access::Read)?;
    // SAFETY: each pointer is NULL or checked guest memory of the struct's size.
    Ok(host(unsafe { libc::syscall(libc::SYS_settimeofday, tv, tz) })?)
}

/// adjtimex(buf): reads the clock's parameters (and sets those `modes` names).
pub fn adjtimex(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    clock_adjtime(c, [libc::CLOCK_REALTIME as u64, a[0], 0, 0, 0, 0])
}

pub fn clock_adjtime(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    c.mem.check(a[1], TIMEX, Access::Read)?;
    let tx = c.mem.host_range(a[1], TIMEX, Access::Write)?;
    // SAFETY: `tx` is a struct timex of readable and writable guest memory.
    Ok(host(unsafe { libc::syscall(libc::SYS_clock_adjtime, int(a[0]), tx) })?)
}
