//! System call dispatch (a minimal first set; the table grows in its own modules).

use super::Process;
use crate::isa::Cpu;
use crate::mem::{Errno, Placement, Prot};

/// What the run loop does after a system call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Return this value to the guest (negative errno on failure).
    Return(i64),
    /// The process exits with this status.
    Exit(i32),
    /// The process is killed by this signal.
    Kill(i32),
}

fn ret(r: Result<i64, Errno>) -> Action {
    Action::Return(match r {
        Ok(v) => v,
        Err(e) => -(e.0 as i64),
    })
}

/// Serves system call `nr` with `args`.
pub fn dispatch(p: &Process, _cpu: &mut dyn Cpu, nr: u64, a: [u64; 6]) -> Action {
    let mem = &*p.mem;
    match nr {
        // write
        64 => ret((|| {
            let ptr = mem.host_range(a[1], a[2], crate::Access::Read)?;
            // SAFETY: the guest buffer was checked readable for a[2] bytes.
            let n = unsafe { libc::write(a[0] as i32, ptr.cast(), a[2] as usize) };
            if n < 0 { Err(Errno::last()) } else { Ok(n as i64) }
        })()),
        // exit, exit_group
        93 | 94 => Action::Exit(a[0] as i32),
        // brk
        214 => Action::Return(mem.brk(a[0]) as i64),
        // mmap (anonymous only in this first set)
        222 => ret((|| {
            let flags = a[3] as i32;
            if flags & libc::MAP_ANONYMOUS == 0 {
                return Err(Errno::ENOSYS);
            }
            let place = if flags & libc::MAP_FIXED != 0 { Placement::Fixed(a[0]) } else { Placement::Hint(a[0]) };
            mem.map(place, a[1], Prot(a[2] as u32), flags & libc::MAP_SHARED != 0, None).map(|v| v as i64)
        })()),
        215 => ret(mem.unmap(a[0], a[1]).map(|_| 0)),
        226 => ret(mem.protect(a[0], a[1], Prot(a[2] as u32)).map(|_| 0)),
        _ => Action::Return(-(libc::ENOSYS as i64)),
    }
}
