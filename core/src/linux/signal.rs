//! Signal calls. Dispositions and the mask live in [`Process::signals`](super::Process);
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

/// What happens when the process sends itself `sig` (pure, for tests).
fn self_signal(st: &SignalState, sig: i32) -> Result<i64, Stop> {
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
        // A blocked signal stays pending (not tracked yet).
        if st.mask & (1 << (sig - 1)) != 0 {
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
    let st = c.p.signals.lock().unwrap();
    self_signal(&st, sig)
}

pub fn kill(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (pid, sig) = (int(a[0]), int(a[1]));
    if pid == own_pid() || pid == 0 {
        return to_self(c, sig);
    }
    // SAFETY: no pointers; other processes are the host's.
    Ok(host(unsafe { libc::kill(pid, sig) })?)
}

pub fn tkill(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (tid, sig) = (int(a[0]), int(a[1]));
    if tid == own_tid() {
        return to_self(c, sig);
    }
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::syscall(libc::SYS_tkill, tid, sig) })?)
}

pub fn tgkill(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (tgid, tid, sig) = (int(a[0]), int(a[1]), int(a[2]));
    if tgid == own_pid() && tid == own_tid() {
        return to_self(c, sig);
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
    let mut st = c.p.signals.lock().unwrap();
    let old = st.mask;
    if let Some(n) = new {
        let mask = match how {
            0 => old | n,  // SIG_BLOCK
            1 => old & !n, // SIG_UNBLOCK
            2 => n,        // SIG_SETMASK
            _ => return Err(Errno::EINVAL.into()),
        };
        st.mask = mask & !UNBLOCKABLE;
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
    // No signal is ever left pending yet.
    c.mem.write(a[0], &vec![0u8; a[1] as usize])?;
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
        assert_eq!(self_signal(&st, 6), Err(Stop::Kill(6)));
        assert_eq!(self_signal(&st, 17), Ok(0));
        assert_eq!(self_signal(&st, 0), Ok(0));
        assert_eq!(self_signal(&st, 65), Err(Stop::Err(Errno::EINVAL)));
        st.actions[10][0] = SIG_IGN;
        assert_eq!(self_signal(&st, 10), Ok(0));
        st.actions[9][0] = SIG_IGN; // cannot really be set; SIGKILL still kills
        assert_eq!(self_signal(&st, 9), Err(Stop::Kill(9)));
        st.mask = 1 << (15 - 1);
        assert_eq!(self_signal(&st, 15), Ok(0));
    }
}
