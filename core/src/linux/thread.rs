//! Guest threads: a guest thread is a host thread (DESIGN.md, decision 3).
//!
//! `clone` with CLONE_VM|CLONE_THREAD starts a host thread (`std::thread`) that runs the
//! guest on a copy of the calling CPU ([`Cpu::boxed_clone`]) with the new stack pointer, TLS
//! and a return value of 0. Guest memory and the [`Process`] are shared; the block cache is
//! per CPU and follows the memory's code epoch. The guest's thread id is the host thread's
//! id, so `gettid`, `tgkill` and `/proc/self/task` need no translation.
//!
//! Per-thread kernel state that is not CPU state — the `set_tid_address` word and the robust
//! futex list head — lives in host thread-locals, which is where the kernel keeps it too
//! (in the task, not the process).
//!
//! Ending: `exit` ends the calling thread (after the robust-list walk and the
//! CLEARTID write and wake that `pthread_join` waits for); when it was the last thread the
//! process exits with its status. `exit_group`, a fatal signal or a fatal guest fault in any
//! thread ends the process at once ([`conclude`] then `std::process::exit`).

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, Ordering};

use super::syscall::{Ctx, SysResult};
use super::{conclude, run_thread, Process};
use crate::isa::{Access, Cpu};
use crate::mem::{Errno, GuestMemory};

thread_local! {
    /// `set_tid_address` / CLONE_CHILD_CLEARTID: zeroed and futex-woken at thread exit.
    static CLEAR_CHILD_TID: Cell<u64> = const { Cell::new(0) };
    /// `set_robust_list` head (0: none).
    static ROBUST_LIST: Cell<u64> = const { Cell::new(0) };
}

pub fn clear_child_tid() -> u64 {
    CLEAR_CHILD_TID.with(Cell::get)
}
pub fn set_clear_child_tid(addr: u64) {
    CLEAR_CHILD_TID.with(|c| c.set(addr));
}
pub fn robust_list() -> u64 {
    ROBUST_LIST.with(Cell::get)
}
pub fn set_robust_list(addr: u64) {
    ROBUST_LIST.with(|c| c.set(addr));
}

fn own_tid() -> i32 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::gettid() }
}

// clone flags (include/uapi/linux/sched.h).
pub const CSIGNAL: u64 = 0xff;
pub const CLONE_VM: u64 = 0x100;
pub const CLONE_FS: u64 = 0x200;
pub const CLONE_FILES: u64 = 0x400;
pub const CLONE_SIGHAND: u64 = 0x800;
pub const CLONE_PTRACE: u64 = 0x2000;
pub const CLONE_THREAD: u64 = 0x10000;
pub const CLONE_SYSVSEM: u64 = 0x40000;
pub const CLONE_SETTLS: u64 = 0x80000;
pub const CLONE_PARENT_SETTID: u64 = 0x100000;
pub const CLONE_CHILD_CLEARTID: u64 = 0x200000;
pub const CLONE_DETACHED: u64 = 0x400000;
pub const CLONE_UNTRACED: u64 = 0x800000;
pub const CLONE_CHILD_SETTID: u64 = 0x1000000;

/// What a thread clone may ask for. CLONE_FS and CLONE_FILES are what a host thread has
/// anyway (one cwd, one descriptor table), so they are accepted whether set or not;
/// CLONE_SYSVSEM is a no-op for remu (no SysV semaphore undo lists); the exit signal is
/// ignored for threads, as the kernel does. Tracing flags mean nothing here.
const THREAD_FLAGS: u64 = CSIGNAL
    | CLONE_VM
    | CLONE_FS
    | CLONE_FILES
    | CLONE_SIGHAND
    | CLONE_PTRACE
    | CLONE_THREAD
    | CLONE_SYSVSEM
    | CLONE_SETTLS
    | CLONE_PARENT_SETTID
    | CLONE_CHILD_CLEARTID
    | CLONE_DETACHED
    | CLONE_UNTRACED
    | CLONE_CHILD_SETTID;

/// Host stack of a guest thread (the guest's own stack is in guest memory). Address space
/// only; the interpreter needs far less.
const HOST_STACK: usize = 8 << 20;

/// clone / clone3 with CLONE_VM and without CLONE_VFORK: a new guest thread. `newsp` 0 keeps
/// the caller's stack pointer (as the kernel does).
pub fn clone_thread(c: &mut Ctx<'_>, flags: u64, newsp: u64, ptid: u64, ctid: u64, tls: u64) -> SysResult {
    // (The CLONE_THREAD ⇒ CLONE_SIGHAND ⇒ CLONE_VM rules are checked by the caller.)
    // A second process sharing our memory (CLONE_VM without CLONE_THREAD) would need the
    // guest region shared across host processes: not supported.
    if flags & CLONE_THREAD == 0 || flags & !THREAD_FLAGS != 0 {
        return Err(Errno::ENOSYS.into());
    }
    // Threads outlive the handler's borrow: they need the process for good.
    let Some(p) = c.p.shared() else {
        return Err(Errno::ENOSYS.into());
    };
    if flags & CLONE_PARENT_SETTID != 0 {
        c.mem.check(ptid, 4, Access::Write)?;
    }
    if flags & CLONE_CHILD_SETTID != 0 {
        c.mem.check(ctid, 4, Access::Write)?;
    }
    let mut child = c.cpu.boxed_clone();
    child.set_syscall_result(0);
    if newsp != 0 {
        child.set_sp(newsp);
    }
    if flags & CLONE_SETTLS != 0 {
        child.set_tls(tls);
    }
    // The new thread starts with its creator's blocked-signal mask.
    let mask = super::signal::current_mask();
    p.threads.fetch_add(1, Ordering::AcqRel);
    let (tx, rx) = std::sync::mpsc::sync_channel::<i32>(1);
    let spawned = std::thread::Builder::new().stack_size(HOST_STACK).spawn(move || {
        let tid = own_tid();
        // Both tid words are written before either side runs guest code again, as the
        // kernel writes them before the child first runs (glibc reads its own tid from
        // the parent-settid word).
        if flags & CLONE_PARENT_SETTID != 0 {
            let _ = p.mem.write_u32(ptid, tid as u32);
        }
        if flags & CLONE_CHILD_SETTID != 0 {
            let _ = p.mem.write_u32(ctid, tid as u32);
        }
        set_clear_child_tid(if flags & CLONE_CHILD_CLEARTID != 0 { ctid } else { 0 });
        set_robust_list(0);
        super::signal::init_thread(mask);
        if tx.send(tid).is_err() {
            return;
        }
        drop(tx);
        thread_main(p, child);
    });
    let tid = match spawned {
        Ok(handle) => {
            drop(handle); // detached: the guest joins through CLEARTID, not the host.
            rx.recv().ok()
        }
        Err(_) => None,
    };
    match tid {
        Some(tid) => Ok(tid as i64),
        None => {
            p.threads.fetch_sub(1, Ordering::AcqRel);
            Err(Errno(libc::EAGAIN).into())
        }
    }
}

/// In a forked child: the child is one thread, the one that forked.
pub fn forked_child(p: &Process) {
    p.threads.store(1, Ordering::Release);
    p.exited_insns.store(0, Ordering::Relaxed);
}

/// The body of a guest thread's host thread.
fn thread_main(p: &'static Process, mut cpu: Box<dyn Cpu>) {
    if let Some(outcome) = run_thread(p, cpu.as_mut()) {
        let code = conclude(p, &outcome, cpu.instructions_retired());
        std::process::exit(code);
    }
}

/// The calling thread ends with `exit(code)`: robust futexes are released and the
/// CLEARTID word cleared and woken. Returns the process's outcome when this was the last
/// thread, None when others still run.
pub fn exit_thread(p: &Process, cpu: &dyn Cpu, code: i32) -> Option<super::Outcome> {
    release(&p.mem);
    super::signal::retire_thread();
    if p.threads.fetch_sub(1, Ordering::AcqRel) == 1 {
        return Some(super::Outcome::Exited(code));
    }
    p.exited_insns.fetch_add(cpu.instructions_retired(), Ordering::Relaxed);
    None
}

/// What the kernel does for a dying thread's memory (mm_release): the robust list walk,
/// then the CLEARTID store and wake.
fn release(mem: &GuestMemory) {
    let head = robust_list();
    set_robust_list(0);
    if head != 0 {
        walk_robust_list(mem, head, own_tid() as u32);
    }
    let ctid = clear_child_tid();
    set_clear_child_tid(0);
    if ctid != 0 && ctid & 3 == 0 {
        if let Some(word) = futex_word(mem, ctid) {
            word.store(0, Ordering::SeqCst);
            // A shared (not private) wake, as the kernel's: pthread_join waits with a
            // shared futex on this word.
            futex_wake(word, 1);
        }
    }
}

/// The guest's u32 at `addr` as a host atomic, if mapped writable and aligned.
fn futex_word(mem: &GuestMemory, addr: u64) -> Option<&AtomicU32> {
    if addr & 3 != 0 {
        return None;
    }
    let p = mem.host_range(addr, 4, Access::Write).ok()?;
    // SAFETY: four aligned, mapped, writable bytes in the guest region, which lives as long
    // as the process; other threads access them only atomically or racily as the guest
    // would on hardware.
    Some(unsafe { AtomicU32::from_ptr(p.cast()) })
}

fn futex_wake(word: &AtomicU32, n: i32) {
    // SAFETY: `word` is a valid futex word; FUTEX_WAKE reads nothing else.
    unsafe { libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE, n, 0usize, 0usize, 0u32) };
}

const FUTEX_WAITERS: u32 = 0x8000_0000;
const FUTEX_OWNER_DIED: u32 = 0x4000_0000;
const FUTEX_TID_MASK: u32 = 0x3fff_ffff;
/// The kernel's bound on robust list entries walked (ROBUST_LIST_LIMIT).
const ROBUST_LIST_LIMIT: u32 = 2048;

/// Walks `struct robust_list_head { next; long futex_offset; list_op_pending; }` at `head`
/// (set_robust_list(2), the kernel's robust-futex ABI): every lock word this thread still
/// holds gets FUTEX_OWNER_DIED, and a waiter is woken. Entry pointers carry a PI flag in bit
/// 0. A bad pointer anywhere ends the walk silently, as in the kernel.
pub fn walk_robust_list(mem: &GuestMemory, head: u64, tid: u32) {
    let Ok(first) = mem.read_u64(head) else { return };
    let Ok(offset) = mem.read_u64(head + 8) else { return };
    let Ok(pending_raw) = mem.read_u64(head + 16) else { return };
    let pending = pending_raw & !1;
    let mut entry = first;
    let mut left = ROBUST_LIST_LIMIT;
    while entry & !1 != head {
        let e = entry & !1;
        // Read the next link first: once the lock word is released the entry may go away.
        let Ok(next) = mem.read_u64(e) else { return };
        if e != pending {
            futex_death(mem, e.wrapping_add(offset), tid, entry & 1 != 0, false);
        }
        entry = next;
        left -= 1;
        if left == 0 {
            break;
        }
    }
    if pending != 0 {
        futex_death(mem, pending.wrapping_add(offset), tid, pending_raw & 1 != 0, true);
    }
}

/// One robust lock word of a dying thread.
fn futex_death(mem: &GuestMemory, addr: u64, tid: u32, pi: bool, pending: bool) {
    let Some(word) = futex_word(mem, addr) else { return };
    let mut val = word.load(Ordering::SeqCst);
    // An operation was in flight on an unowned lock: a waiter may have been about to be
    // woken by us; wake one so nobody sleeps forever.
    if pending && !pi && val == 0 {
        futex_wake(word, 1);
        return;
    }
    loop {
        if val & FUTEX_TID_MASK != tid {
            return;
        }
        let new = (val & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        match word.compare_exchange(val, new, Ordering::SeqCst, Ordering::SeqCst) {
            Ok(_) => break,
            Err(now) => val = now,
        }
    }
    if !pi && val & FUTEX_WAITERS != 0 {
        futex_wake(word, 1);
    }
}

/// membarrier(cmd, flags, cpu_id): guest threads are host threads of this process, so the
/// host's barrier over this process is the guest's. Only the global and private expedited
/// commands are offered (no SYNC_CORE: remu's code cache follows fence.i, not this; no RSEQ:
/// rseq is not supported). Without a host membarrier, a sequentially consistent fence.
pub fn membarrier(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    const QUERY: i32 = 0;
    const OFFERED: i64 = 1 | 2 | 4 | 8 | 16; // GLOBAL, GLOBAL_EXPEDITED (+REGISTER), PRIVATE_EXPEDITED (+REGISTER)
    let (cmd, flags) = (a[0] as i32, a[1] as u32);
    if cmd == QUERY {
        return if flags != 0 { Err(Errno::EINVAL.into()) } else { Ok(OFFERED) };
    }
    if cmd < 0 || cmd as i64 & OFFERED != cmd as i64 || (cmd as u32).count_ones() != 1 || flags != 0 {
        return Err(Errno::EINVAL.into());
    }
    // SAFETY: no pointers.
    let r = unsafe { libc::syscall(libc::SYS_membarrier, cmd, 0u32, 0i32) };
    if r >= 0 {
        return Ok(r);
    }
    let e = Errno::last();
    if e.0 == libc::ENOSYS || e.0 == libc::EINVAL {
        std::sync::atomic::fence(Ordering::SeqCst);
        return Ok(0);
    }
    Err(e.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mem::{Placement, Prot};

    #[test]
    fn robust_list_marks_owned_locks() {
        let m = GuestMemory::new(32).unwrap();
        m.map(Placement::Fixed(0x10000), 0x1000, Prot::RW, false, None).unwrap();
        let head = 0x10000;
        // Two entries; the lock word sits 8 bytes after each entry (futex_offset 8).
        let (e1, e2) = (0x10100, 0x10200);
        m.write_u64(head, e1).unwrap();
        m.write_u64(head + 8, 8).unwrap();
        m.write_u64(head + 16, 0).unwrap();
        m.write_u64(e1, e2).unwrap();
        m.write_u64(e2, head).unwrap();
        m.write_u32(e1 + 8, 1234 | FUTEX_WAITERS).unwrap();
        m.write_u32(e2 + 8, 999).unwrap(); // someone else's
        walk_robust_list(&m, head, 1234);
        assert_eq!(m.read_u32(e1 + 8).unwrap(), FUTEX_WAITERS | FUTEX_OWNER_DIED);
        assert_eq!(m.read_u32(e2 + 8).unwrap(), 999);
        // A cycle does not hang the walk.
        m.write_u64(e2, e1).unwrap();
        walk_robust_list(&m, head, 1234);
    }
}
