//! System call dispatch: looks the number up in the [`table`](super::table), runs the
//! handler, prints the strace line, and turns the result into an [`Action`].
//!
//! Handlers live in the area modules (`fd`, `fs`, `mem`, `time`, `process`, `signal`); each
//! has the signature [`Handler`] and returns a [`SysResult`]. They reach guest memory only
//! through [`GuestMemory`] (a bad pointer is `-EFAULT`, never a host crash).

use std::ffi::c_void;

use super::table::{self, Entry};
use super::{strace, Process};
use crate::isa::{Access, Cpu};
use crate::mem::{Errno, Fault, GuestMemory};

/// What the run loop does after a system call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Return this value to the guest (negative errno on failure).
    Return(i64),
    /// The process exits with this status (exit_group).
    Exit(i32),
    /// The calling thread exits with this status (exit); the process ends with it when it
    /// was the last thread.
    ExitThread(i32),
    /// The process is killed by this signal.
    Kill(i32),
}

/// Why a handler did not return a value: an error for the guest, or the end of the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    Err(Errno),
    Exit(i32),
    ExitThread(i32),
    Kill(i32),
}

impl From<Errno> for Stop {
    fn from(e: Errno) -> Stop {
        Stop::Err(e)
    }
}

impl From<Fault> for Stop {
    fn from(_: Fault) -> Stop {
        Stop::Err(Errno::EFAULT)
    }
}

/// A handler's result: the value returned to the guest, or why not.
pub type SysResult = Result<i64, Stop>;

/// What a handler gets besides its arguments.
pub struct Ctx<'a> {
    pub p: &'a Process,
    pub mem: &'a GuestMemory,
    pub cpu: &'a mut dyn Cpu,
}

/// A system call implementation.
pub type Handler = fn(&mut Ctx<'_>, [u64; 6]) -> SysResult;

/// Serves system call `nr` with `args`.
pub fn dispatch(p: &Process, cpu: &mut dyn Cpu, nr: u64, args: [u64; 6]) -> Action {
    let mem = &*p.mem;
    let entry = table::lookup(p.arch, nr);
    let result = match entry {
        Some(e) => {
            let mut ctx = Ctx { p, mem, cpu };
            (e.handler)(&mut ctx, args)
        }
        None => Err(Stop::Err(Errno::ENOSYS)),
    };
    let action = match result {
        Ok(v) => Action::Return(v),
        Err(Stop::Err(e)) => Action::Return(-(e.0 as i64)),
        Err(Stop::Exit(c)) => Action::Exit(c),
        Err(Stop::ExitThread(c)) => Action::ExitThread(c),
        Err(Stop::Kill(s)) => Action::Kill(s),
    };
    if p.strace {
        let line = format_action(entry, nr, &args, action, mem);
        strace::emit(&line);
    }
    action
}

/// The strace line for a finished call (`None` result for calls that do not return).
pub fn format_action(entry: Option<&Entry>, nr: u64, args: &[u64; 6], action: Action, mem: &GuestMemory) -> String {
    let result = match action {
        Action::Return(v) => Some(v),
        Action::Exit(_) | Action::ExitThread(_) | Action::Kill(_) => None,
    };
    let mut line = match entry {
        Some(e) => strace::format_call(e, args, result, mem),
        None => strace::format_unknown(nr, args, result),
    };
    if let Action::Kill(sig) = action {
        line.push_str(&format!("\n+++ killed by {} +++", super::signal_name(sig)));
    }
    line
}

/// Converts a host libc return value (`-1` and `errno` on failure) to a guest result.
pub fn host<T: Into<i64>>(r: T) -> Result<i64, Errno> {
    let r = r.into();
    if r < 0 {
        Err(Errno::last())
    } else {
        Ok(r)
    }
}

/// Makes a host system call that may block (read from a pipe, accept, futex wait, poll...)
/// such that a signal arriving for the calling guest thread interrupts it: the result is
/// `Err(EINTR)` then, even if the signal came just before the call started, and the run
/// loop delivers the signal. Every guest call that can wait indefinitely goes through here.
pub fn blocking(nr: libc::c_long, args: [u64; 6]) -> Result<i64, Errno> {
    // SAFETY: the caller passes arguments valid for `nr` (host pointers into guest memory
    // checked with `guest_buf` and friends).
    let r = unsafe { crate::interrupt::interruptible_syscall(nr, args) };
    if r < 0 && r > -4096 {
        Err(Errno(-r as i32))
    } else {
        Ok(r)
    }
}

/// Makes host system call `nr` whose arguments are all plain integers (ids, flags, sizes,
/// descriptors checked with `guest_fd`): nothing for the host to dereference, so nothing to
/// translate. Never use it for a call that takes a pointer.
pub fn plain(nr: libc::c_long, a: &[u64]) -> Result<i64, Errno> {
    let mut v = [0u64; 6];
    v[..a.len()].copy_from_slice(a);
    // SAFETY: by this function's contract no argument is a pointer.
    host(unsafe { libc::syscall(nr, v[0], v[1], v[2], v[3], v[4], v[5]) })
}

/// As [`host`], for calls returning `isize` (read, write, ...).
pub fn host_size(r: isize) -> Result<i64, Errno> {
    host(r as i64)
}

/// A host pointer to a guest buffer of `len` bytes that the host may access as `access`.
/// A zero-length buffer is never dereferenced, so any address (even one outside guest
/// memory) yields a harmless pointer to the region's start.
pub fn guest_buf(mem: &GuestMemory, addr: u64, len: u64, access: Access) -> Result<*mut c_void, Errno> {
    if len == 0 {
        return Ok(mem.base().cast());
    }
    Ok(mem.host_range(addr, len, access)?.cast())
}

/// As [`guest_buf`], but a NULL guest pointer gives a NULL host pointer.
pub fn guest_buf_opt(mem: &GuestMemory, addr: u64, len: u64, access: Access) -> Result<*mut c_void, Errno> {
    if addr == 0 {
        return Ok(std::ptr::null_mut());
    }
    Ok(mem.host_range(addr, len, access)?.cast())
}

/// Writes a plain host value (a `#[repr(C)]` struct whose layout equals the guest's) into
/// guest memory.
pub fn write_pod<T: Copy>(mem: &GuestMemory, addr: u64, v: &T) -> Result<(), Fault> {
    // SAFETY: `v` is a valid `T`, readable for `size_of::<T>()` bytes; we copy its bytes
    // (callers pass only padding-free or zero-initialised values).
    let bytes = unsafe { std::slice::from_raw_parts((v as *const T).cast::<u8>(), std::mem::size_of::<T>()) };
    mem.write(addr, bytes)
}

/// The argument as the C `int` the kernel sees (registers carry 64 bits; the kernel
/// truncates `int` arguments).
pub fn int(v: u64) -> i32 {
    v as i32
}
