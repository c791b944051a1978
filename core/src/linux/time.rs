//! Time calls. `timespec`, `timeval`, `struct timezone`, `struct tms` and `struct rusage`
//! have the same LP64 layout on the guest and the host, so the guest's buffers are handed to
//! the host directly (after checking them).

use super::syscall::{guest_buf_opt, host, int, Ctx, SysResult};
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
    // SAFETY: `req` is a readable timespec, `rem` NULL or a writable one, in guest memory.
    Ok(host(unsafe { libc::syscall(libc::SYS_nanosleep, req, rem) })?)
}

pub fn clock_nanosleep(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let req = c.mem.host_range(a[2], TIMESPEC, Access::Read)?;
    let rem = guest_buf_opt(c.mem, a[3], TIMESPEC, Access::Write)?;
    // SAFETY: as in `nanosleep`.
    Ok(host(unsafe { libc::syscall(libc::SYS_clock_nanosleep, int(a[0]), int(a[1]), req, rem) })?)
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
