//! Signal calls. Dispositions live in [`Process::signals`](super::Process), each thread's
//! mask and pending set in a table here;
//! nothing is applied to the host's own signal handling (remu needs SIGSEGV/SIGBUS for guest
//! faults). Delivering signals to guest handlers is later work: a signal a guest sends itself
//! is ignored if its disposition (or default action) ignores it, and otherwise ends the
//! process as the default action would.
//!
//! The guest `struct sigaction` for rt_sigaction is asm-generic's: handler, flags, then
//! `sa_restorer` only where the architecture defines SA_RESTORER (aarch64, not riscv64),
//! then the 8-byte mask.

use super::abi::SIG_SETSIZE;
use super::syscall::{host, int, Ctx, Stop, SysResult};
use super::SignalState;
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};
use crate::isa::Arch;
use crate::mem::Errno;

const SIG_IGN: u64 = 1;
const SIGKILL: i32 = 9;
const SIGSTOP: i32 = 19;
/// Unblockable signals, as mask bits.
const UNBLOCKABLE: u64 = (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1));

fn has_restorer(arch: &Arch) -> bool {
    arch.name == "aarch64"
}

/// What a signal's default action does to the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Default {
    Terminate,
    Ignore,
    Stop,
}

fn default_action(sig: i32) -> Default {
    match sig {
        17 | 18 | 23 | 28 => Default::Ignore, // SIGCHLD, SIGCONT, SIGURG, SIGWINCH
        19..=22 => Default::Stop,             // SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU
        _ => Default::Terminate,
    }
}

/// Each guest thread's blocked-signal mask and the signals pending for it, by thread id.
/// Guest threads are host threads of this host process, so one table per host process is
/// one per guest process; a lock per change is cheap next to the system call itself.
static MASKS: Mutex<BTreeMap<i32, [u64; 2]>> = Mutex::new(BTreeMap::new());

/// The table of `[mask, pending]` by thread, locked (for fork).
pub fn masks() -> MutexGuard<'static, BTreeMap<i32, [u64; 2]>> {
    MASKS.lock().unwrap()
}

/// The blocked mask of thread `tid` (0 for a thread that never set one).
pub fn thread_mask(tid: i32) -> u64 {
    MASKS.lock().unwrap().get(&tid).map_or(0, |e| e[0])
}

/// Sets the blocked mask of thread `tid` (a new thread inherits its creator's); returns the
/// signals pending for it that the new mask no longer blocks, now no longer pending.
pub fn set_thread_mask(tid: i32, mask: u64) -> u64 {
    let mut m = MASKS.lock().unwrap();
    let e = m.entry(tid).or_insert([0, 0]);
    e[0] = mask;
    let unblocked = e[1] & !mask;
    e[1] &= mask;
    if *e == [0, 0] {
        m.remove(&tid);
    }
    unblocked
}

/// Forgets an exited thread (its pending signals die with it).
pub fn forget_thread(tid: i32) {
    MASKS.lock().unwrap().remove(&tid);
}

fn mark_pending(tid: i32, sig: i32) {
    MASKS.lock().unwrap().entry(tid).or_insert([0, 0])[1] |= 1 << (sig - 1);
}

/// What happens when a thread of the process whose blocked mask is `mask` is sent `sig`
/// (pure, for tests).
fn self_signal(st: &SignalState, mask: u64, sig: i32) -> Result<i64, Stop> {
    if sig == 0 {
        return Ok(0);
    }
    if !(1..=64).contains(&sig) {
        return Err(Errno::EINVAL.into());
    }
    let catchable = sig != SIGKILL && sig != SIGSTOP;
    if catchable {
        if st.actions[sig as usize][0] == SIG_IGN {
            return Ok(0);
        }
        // A blocked signal stays pending (see `to_thread`).
        if mask & (1 << (sig - 1)) != 0 {
            return Ok(0);
        }
    }
    match default_action(sig) {
        Default::Terminate => Err(Stop::Kill(sig)),
        // Stopping the emulated process is not supported; carry on.
        Default::Ignore | Default::Stop => Ok(0),
    }
}

fn own_pid() -> i32 {
    // SAFETY: no preconditions.
    unsafe { libc::getpid() }
}

fn own_tid() -> i32 {
    // SAFETY: no preconditions.
    unsafe { libc::gettid() }
}

fn to_self(c: &Ctx<'_>, sig: i32) -> SysResult {
    to_thread(c, own_tid(), sig)
}

fn to_thread(c: &Ctx<'_>, tid: i32, sig: i32) -> SysResult {
    let mask = thread_mask(tid);
    let st = c.p.signals.lock().unwrap();
    let r = self_signal(&st, mask, sig);
    // Blocked, and would act when unblocked: pending until the thread unblocks it.
    if r == Ok(0) && (1..=64).contains(&sig) && mask & (1 << (sig - 1)) != 0 && self_signal(&st, 0, sig).is_err() {
        mark_pending(tid, sig);
    }
    r
}

pub fn kill(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (pid, sig) = (int(a[0]), int(a[1]));
    if pid == own_pid() || pid == 0 {
        return to_self(c, sig);
    }
    // SAFETY: no pointers; other processes are the host's.
    Ok(host(unsafe { libc::kill(pid, sig) })?)
}

/// Whether `tid` is a thread of this process (a guest thread: guest threads are host
/// threads of remu).
fn own_thread(tid: i32) -> bool {
    // SAFETY: signal 0 only checks that the thread exists in our thread group.
    tid > 0 && unsafe { libc::syscall(libc::SYS_tgkill, own_pid(), tid, 0) } == 0
}

/// A signal for a thread of this process: the disposition is the process's (CLONE_SIGHAND),
/// so until delivery to handlers exists the outcome is the same as for the calling thread:
/// ignored, left pending when blocked, or the default action for the whole process.
fn to_own_thread(c: &Ctx<'_>, tid: i32, sig: i32) -> SysResult {
    to_thread(c, tid, sig)
}

pub fn tkill(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (tid, sig) = (int(a[0]), int(a[1]));
    if tid <= 0 {
        return Err(Errno::EINVAL.into());
    }
    if tid == own_tid() || own_thread(tid) {
        return to_own_thread(c, tid, sig);
    }
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::syscall(libc::SYS_tkill, tid, sig) })?)
}

pub fn tgkill(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (tgid, tid, sig) = (int(a[0]), int(a[1]), int(a[2]));
    if tgid <= 0 || tid <= 0 {
        return Err(Errno::EINVAL.into());
    }
    if tgid == own_pid() && (tid == own_tid() || own_thread(tid)) {
        return to_own_thread(c, tid, sig);
    }
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::syscall(libc::SYS_tgkill, tgid, tid, sig) })?)
}

pub fn rt_sigaction(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (sig, act, oact) = (int(a[0]), a[1], a[2]);
    if a[3] != SIG_SETSIZE || !(1..=64).contains(&sig) {
        return Err(Errno::EINVAL.into());
    }
    if act != 0 && (sig == SIGKILL || sig == SIGSTOP) {
        return Err(Errno::EINVAL.into());
    }
    let restorer = has_restorer(c.p.arch);
    let size = if restorer { 32 } else { 24 };
    // Read the new action before changing anything, so a bad pointer changes nothing.
    let new = if act != 0 {
        let raw = c.mem.read_vec(act, size)?;
        let word = |i: usize| u64::from_le_bytes(raw[i * 8..i * 8 + 8].try_into().unwrap());
        Some(if restorer { [word(0), word(1), word(2), word(3)] } else { [word(0), word(1), 0, word(2)] })
    } else {
        None
    };
    let mut st = c.p.signals.lock().unwrap();
    let old = st.actions[sig as usize];
    if oact != 0 {
        let words: Vec<u64> = if restorer { old.to_vec() } else { vec![old[0], old[1], old[3]] };
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        c.mem.write(oact, &bytes)?;
    }
    if let Some(mut n) = new {
        n[3] &= !UNBLOCKABLE;
        st.actions[sig as usize] = n;
    }
    Ok(0)
}

pub fn rt_sigprocmask(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (how, set, oset) = (int(a[0]), a[1], a[2]);
    if a[3] != SIG_SETSIZE {
        return Err(Errno::EINVAL.into());
    }
    let new = if set != 0 { Some(c.mem.read_u64(set)?) } else { None };
    let tid = own_tid();
    let old = thread_mask(tid);
    if let Some(n) = new {
        let mask = match how {
            0 => old | n,  // SIG_BLOCK
            1 => old & !n, // SIG_UNBLOCK
            2 => n,        // SIG_SETMASK
            _ => return Err(Errno::EINVAL.into()),
        };
        let unblocked = set_thread_mask(tid, mask & !UNBLOCKABLE);
        if oset != 0 {
            c.mem.write_u64(oset, old)?;
        }
        // A pending signal acts as soon as it is unblocked.
        if unblocked != 0 {
            let st = c.p.signals.lock().unwrap();
            for sig in 1..=64 {
                if unblocked & (1 << (sig - 1)) != 0 {
                    self_signal(&st, 0, sig)?;
                }
            }
        }
        return Ok(0);
    }
    if oset != 0 {
        c.mem.write_u64(oset, old)?;
    }
    Ok(0)
}

pub fn rt_sigpending(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[1] > SIG_SETSIZE {
        return Err(Errno::EINVAL.into());
    }
    let pending = MASKS.lock().unwrap().get(&own_tid()).map_or(0, |e| e[1]);
    c.mem.write(a[0], &pending.to_le_bytes()[..a[1] as usize])?;
    Ok(0)
}

/// sigaltstack(ss, old_ss): `stack_t` is { void *ss_sp; int ss_flags; size_t ss_size; },
/// 24 bytes. Recorded for signal delivery.
pub fn sigaltstack(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    const SS_DISABLE: u64 = 2;
    const SS_AUTODISARM: u64 = 1 << 31;
    const MINSIGSTKSZ: u64 = 2048;
    let new = if a[0] != 0 {
        let sp = c.mem.read_u64(a[0])?;
        let flags = c.mem.read_u32(a[0] + 8)? as u64;
        let size = c.mem.read_u64(a[0] + 16)?;
        if flags & !(SS_DISABLE | SS_AUTODISARM) != 0 {
            return Err(Errno::EINVAL.into());
        }
        if flags & SS_DISABLE == 0 && size < MINSIGSTKSZ {
            return Err(Errno(libc::ENOMEM).into());
        }
        Some(if flags & SS_DISABLE != 0 { [0, SS_DISABLE, 0] } else { [sp, flags, size] })
    } else {
        None
    };
    let mut st = c.p.signals.lock().unwrap();
    if a[1] != 0 {
        let [sp, flags, size] = st.altstack;
        let mut b = [0u8; 24];
        b[..8].copy_from_slice(&sp.to_le_bytes());
        b[8..12].copy_from_slice(&(flags as u32).to_le_bytes());
        b[16..].copy_from_slice(&size.to_le_bytes());
        c.mem.write(a[1], &b)?;
    }
    if let Some(n) = new {
        st.altstack = n;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_signal_dispositions() {
        let mut st = SignalState::default();
        assert_eq!(self_signal(&st, 0, 6), Err(Stop::Kill(6)));
        assert_eq!(self_signal(&st, 0, 17), Ok(0));
        assert_eq!(self_signal(&st, 0, 0), Ok(0));
        assert_eq!(self_signal(&st, 0, 65), Err(Stop::Err(Errno::EINVAL)));
        st.actions[10][0] = SIG_IGN;
        assert_eq!(self_signal(&st, 0, 10), Ok(0));
        st.actions[9][0] = SIG_IGN; // cannot really be set; SIGKILL still kills
        assert_eq!(self_signal(&st, 0, 9), Err(Stop::Kill(9)));
        assert_eq!(self_signal(&st, 1 << (15 - 1), 15), Ok(0));
    }
}
