//! Signals: dispositions, masks, the alternate stack, and delivery to guest handlers.
//!
//! Guest signals are host signals. Guest threads are host threads and guest pids are host
//! pids, so `kill`, `tgkill` and timers go straight to the host kernel, which picks the
//! thread and queues, coalesces and blocks signals exactly as it does for the guest. To
//! make that work remu mirrors the guest's state onto the host:
//! - each thread's blocked mask is the guest's (except SIGSEGV/SIGBUS, which remu needs for
//!   its own fault handling and never blocks);
//! - a guest SIG_DFL or SIG_IGN is the host's, so the kernel applies default actions itself
//!   (remu dies of SIGTERM, stops on SIGTSTP, reaps children of an ignored SIGCHLD); a guest
//!   handler is remu's host handler, which copies the siginfo into the thread's queue and
//!   raises the [interrupt flag](crate::interrupt), without SA_RESTART so that a blocking
//!   host call returns EINTR.
//!
//! The run loop then calls [`deliver`], which builds the frame of the guest's kernel (see
//! [`sigframe`](super::sigframe)) and points the CPU at the handler, restarting the
//! interrupted system call when SA_RESTART asks for it as the kernel does.
//!
//! Synchronous signals (guest faults) never reach the host: [`deliver_fault`] runs the guest
//! handler, or reports that the default action (death) applies. A SIGSEGV or SIGBUS sent with
//! `kill` arrives at remu's fault handler, which passes it on to [`on_user_fault_signal`].
//!
//! The guest `struct sigaction` is asm-generic's: handler, flags, then `sa_restorer` only
//! where the architecture defines SA_RESTORER (aarch64, not riscv64), then the 8-byte mask.

use std::cell::{Cell, UnsafeCell};
use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};

use super::abi::SIG_SETSIZE;
use super::sigframe::{self, Frame, Layout, SIGINFO_SIZE};
use super::syscall::{blocking, host, int, Ctx, Stop, SysResult};
use super::{Outcome, Process};
use crate::interrupt;
use crate::isa::{Arch, Cpu};
use crate::mem::{Errno, Placement, Prot};

const SIG_DFL: u64 = 0;
const SIG_IGN: u64 = 1;
const SIGKILL: i32 = 9;
const SIGSTOP: i32 = 19;
const SIGSEGV: i32 = 11;
const SIGBUS: i32 = 7;

const SA_NOCLDSTOP: u64 = 1;
const SA_NOCLDWAIT: u64 = 2;
const SA_SIGINFO: u64 = 4;
const SA_RESTORER: u64 = 0x0400_0000;
const SA_ONSTACK: u64 = 0x0800_0000;
const SA_RESTART: u64 = 0x1000_0000;
const SA_NODEFER: u64 = 0x4000_0000;
const SA_RESETHAND: u64 = 0x8000_0000;

const SS_ONSTACK: u64 = 1;
const SS_DISABLE: u64 = 2;
const SS_AUTODISARM: u64 = 1 << 31;
const MINSIGSTKSZ: u64 = 2048;

const EINTR: i64 = -(libc::EINTR as i64);

fn bit(sig: i32) -> u64 {
    1 << (sig - 1)
}

/// Signals that can never be blocked or caught.
const UNBLOCKABLE: u64 = (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1));
/// Signals remu keeps for itself on the host (guest faults).
const HOST_RESERVED: u64 = (1 << (SIGSEGV - 1)) | (1 << (SIGBUS - 1));

fn has_restorer(arch: &Arch) -> bool {
    Layout::of(arch) == Layout::Aarch64
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

// ---- Per-thread state -------------------------------------------------------------------

/// A signal the host handler caught for this thread, not yet delivered.
#[derive(Clone, Copy)]
struct Caught {
    sig: i32,
    info: [u8; SIGINFO_SIZE],
}

const QUEUE_LEN: usize = 32;

struct Queue {
    len: usize,
    items: [Caught; QUEUE_LEN],
}

/// A guest thread's signal state. Touched only by its own host thread: by ordinary code,
/// and for the queue by the host signal handler, which runs with all signals blocked;
/// ordinary code touches the queue only with host signals blocked (see [`with_queue`]).
struct ThreadSignals {
    /// The guest's blocked mask.
    mask: Cell<u64>,
    /// The mask to restore after a call that waits with a temporary one (rt_sigsuspend,
    /// ppoll...): the signal frame saves this one instead of the temporary.
    saved_mask: Cell<Option<u64>>,
    /// sigaltstack: ss_sp, ss_flags, ss_size.
    altstack: Cell<[u64; 3]>,
    queue: UnsafeCell<Queue>,
}

thread_local! {
    static THREAD: ThreadSignals = const {
        ThreadSignals {
            mask: Cell::new(0),
            saved_mask: Cell::new(None),
            altstack: Cell::new([0, SS_DISABLE, 0]),
            queue: UnsafeCell::new(Queue { len: 0, items: [Caught { sig: 0, info: [0; SIGINFO_SIZE] }; QUEUE_LEN] }),
        }
    };
}

/// The guest handler address per signal (0 SIG_DFL, 1 SIG_IGN), readable from a host
/// signal handler; the full actions live in [`Process::signals`].
static HANDLERS: [AtomicU64; 65] = [const { AtomicU64::new(0) }; 65];

/// The calling thread's blocked mask.
pub fn current_mask() -> u64 {
    THREAD.with(|t| t.mask.get())
}

/// Sets the calling thread's blocked mask, on the host too; raises the interrupt flag when
/// a caught signal is no longer blocked.
fn set_mask(mask: u64) {
    let mask = mask & !UNBLOCKABLE;
    THREAD.with(|t| t.mask.set(mask));
    host_setmask(mask & !HOST_RESERVED);
    if with_queue(|q| q.items[..q.len].iter().any(|c| mask & bit(c.sig) == 0)) {
        interrupt::raise();
    }
}

/// For a call that waits with a temporary blocked mask (rt_sigsuspend, ppoll, pselect6,
/// epoll_pwait): installs `mask` until [`end_temporary_mask`]. While it is installed, the
/// host thread's mask is the temporary one, so the host call itself can be made without a
/// mask of its own.
pub fn begin_temporary_mask(mask: u64) {
    let old = current_mask();
    THREAD.with(|t| t.saved_mask.set(Some(old)));
    set_mask(mask);
}

/// Ends a temporary mask: when the call was interrupted (`-EINTR`) the old mask comes back
/// after the handler runs (its frame saves the old mask), otherwise now.
pub fn end_temporary_mask(result: i64) {
    if result != EINTR {
        if let Some(old) = THREAD.with(|t| t.saved_mask.take()) {
            set_mask(old);
        }
    }
}

/// The guest's blocked mask for a new thread (its creator's) and its host mask (inherited
/// by the host thread already); the alternate stack starts disabled.
pub fn init_thread(mask: u64) {
    THREAD.with(|t| t.mask.set(mask & !UNBLOCKABLE));
}

/// In a forked child: signals caught for the parent are the parent's (the kernel starts a
/// child with none pending).
pub fn forked_child() {
    with_queue(|q| q.len = 0);
    interrupt::clear();
}

/// Blocks every host signal on the calling host thread: it runs no guest thread any more,
/// so a process-wide signal must go to one that does.
pub fn retire_thread() {
    host_setmask(!HOST_RESERVED);
}

// ---- The host side ----------------------------------------------------------------------

/// x86-64 `struct kernel_sigaction`, for the raw rt_sigaction (glibc's refuses the two
/// signals it reserves, which guest glibc uses too).
#[repr(C)]
struct HostAction {
    handler: usize,
    flags: u64,
    restorer: usize,
    mask: u64,
}

std::arch::global_asm!(
    ".globl remu_host_sigreturn",
    "remu_host_sigreturn:",
    "mov rax, 15", // rt_sigreturn
    "syscall",
);

extern "C" {
    fn remu_host_sigreturn();
}

fn host_sigaction(sig: i32, handler: usize, flags: u64) {
    let act = HostAction {
        handler,
        flags: flags | SA_RESTORER,
        restorer: remu_host_sigreturn as unsafe extern "C" fn() as usize,
        // The handler runs with everything blocked but remu's fault signals.
        mask: !HOST_RESERVED,
    };
    // SAFETY: a valid kernel_sigaction; the handler and restorer are ours.
    unsafe { libc::syscall(libc::SYS_rt_sigaction, sig, &act as *const HostAction, 0usize, 8usize) };
}

fn host_setmask(mask: u64) -> u64 {
    let mut old = 0u64;
    // SAFETY: 8-byte sigsets on our stack.
    unsafe { libc::syscall(libc::SYS_rt_sigprocmask, libc::SIG_SETMASK, &mask as *const u64, &mut old as *mut u64, 8usize) };
    old
}

fn host_mask() -> u64 {
    let mut old = 0u64;
    // SAFETY: as above; reading only.
    unsafe { libc::syscall(libc::SYS_rt_sigprocmask, libc::SIG_SETMASK, 0usize, &mut old as *mut u64, 8usize) };
    old
}

/// Runs `f` on the calling thread's queue with host signals blocked.
fn with_queue<R>(f: impl FnOnce(&mut Queue) -> R) -> R {
    let old = host_setmask(!HOST_RESERVED);
    // SAFETY: only this thread touches its queue, and its signal handler cannot run now.
    let r = THREAD.with(|t| f(unsafe { &mut *t.queue.get() }));
    host_setmask(old);
    r
}

/// Records a caught signal in this thread's queue (from the host handler).
///
/// # Safety
/// Only from a host signal handler running with signals blocked, `info` valid.
unsafe fn enqueue(sig: i32, info: *const libc::siginfo_t) {
    THREAD.with(|t| {
        // SAFETY: the handler has the queue to itself (see `ThreadSignals`).
        let q = unsafe { &mut *t.queue.get() };
        // Standard signals do not queue: one pending instance at most.
        if sig < 32 && q.items[..q.len].iter().any(|c| c.sig == sig) {
            return;
        }
        if q.len < QUEUE_LEN {
            let mut c = Caught { sig, info: [0; SIGINFO_SIZE] };
            // SAFETY: the kernel's siginfo is 128 bytes, the same layout as the guest's.
            unsafe { std::ptr::copy_nonoverlapping(info.cast::<u8>(), c.info.as_mut_ptr(), SIGINFO_SIZE) };
            q.items[q.len] = c;
            q.len += 1;
        }
    });
}

extern "C" fn on_host_signal(sig: i32, info: *mut libc::siginfo_t, ctx: *mut c_void) {
    // SAFETY: called by the kernel as an SA_SIGINFO handler with every signal but the
    // fault signals blocked.
    unsafe {
        enqueue(sig, info);
        interrupt::raise();
        interrupt::rewind(ctx);
    }
}

/// A SIGSEGV or SIGBUS that some process sent (not a fault): remu's fault handler passes it
/// here. It acts as the guest's disposition says.
///
/// # Safety
/// From the fault handler, with the kernel's `info` and `ctx`.
pub(crate) unsafe fn on_user_fault_signal(sig: i32, info: *mut libc::siginfo_t, ctx: *mut c_void) {
    match HANDLERS[sig as usize].load(Ordering::Relaxed) {
        SIG_IGN => {}
        SIG_DFL => super::die_of(sig),
        _ => on_host_signal(sig, info, ctx),
    }
}

/// Mirrors guest action `act` for `sig` onto the host.
fn mirror(sig: i32, act: &[u64; 4]) {
    HANDLERS[sig as usize].store(act[0], Ordering::Relaxed);
    if bit(sig) & (HOST_RESERVED | UNBLOCKABLE) != 0 {
        return;
    }
    let child = if sig == libc::SIGCHLD { act[1] & (SA_NOCLDSTOP | SA_NOCLDWAIT) } else { 0 };
    let handler = match act[0] {
        SIG_DFL => libc::SIG_DFL,
        SIG_IGN => libc::SIG_IGN,
        _ => on_host_signal as extern "C" fn(i32, *mut libc::siginfo_t, *mut c_void) as usize,
    };
    let flags = if handler > 1 { SA_SIGINFO | SA_ONSTACK } else { 0 };
    host_sigaction(sig, handler, flags | child);
}

/// At the start of a guest process: what it inherits through execve — the blocked mask
/// and the ignored signals (what the kernel keeps across exec; handled signals were reset).
/// SIGPIPE goes back to its default, which Rust's runtime changed to "ignore" before remu's
/// `main` (so an inherited "ignore" cannot be told apart; the default is what nearly every
/// program starts with).
///
/// The host glibc claims signals 32 and 33 (its SIGCANCEL and SIGSETXID) the first time the
/// process creates a thread, which for remu is whenever the guest first does: it would
/// replace what the guest installed there (glibc's own setxid broadcast uses 33, so a
/// threaded guest calling setuid would run the host's handler). So that claim is made now,
/// with a thread that does nothing, and the two signals go back to the guest's default;
/// remu never uses them for itself.
pub fn init_process(p: &Process) {
    // The thread can only fail to start when the host is out of resources; then the claim
    // is simply not made now.
    let _ = std::thread::spawn(|| {}).join();
    let mut st = p.signals.lock().unwrap();
    for sig in 1..=64 {
        if bit(sig) & (UNBLOCKABLE | HOST_RESERVED) != 0 || sig == libc::SIGPIPE {
            continue;
        }
        let mut old = HostAction { handler: 0, flags: 0, restorer: 0, mask: 0 };
        // SAFETY: reads the current action into `old`.
        unsafe { libc::syscall(libc::SYS_rt_sigaction, sig, 0usize, &mut old as *mut HostAction, 8usize) };
        if old.handler == libc::SIG_IGN {
            st.actions[sig as usize][0] = SIG_IGN;
            HANDLERS[sig as usize].store(SIG_IGN, Ordering::Relaxed);
        } else if old.handler != libc::SIG_DFL && (sig == 32 || sig == 33) {
            host_sigaction(sig, libc::SIG_DFL, 0);
        }
    }
    host_sigaction(libc::SIGPIPE, libc::SIG_DFL, 0);
    init_thread(host_mask());
}

// ---- Delivery ---------------------------------------------------------------------------

/// The syscall a signal interrupted, for the restart decision.
#[derive(Clone, Copy, Debug)]
pub struct Interrupted {
    pub nr: u64,
    pub args: [u64; 6],
    pub result: i64,
}

/// Calls the kernel restarts after a handler with SA_RESTART (those returning
/// -ERESTARTSYS when a signal interrupts them); the others (sleeps, poll and select,
/// sigsuspend, sigtimedwait, timed futex waits) fail with EINTR.
fn restartable(nr: u64, args: &[u64; 6]) -> bool {
    match nr {
        // ioctl, fcntl, flock, openat, read, write, readv, writev, pread64, pwrite64,
        // preadv, pwritev, sendfile, splice, tee
        29 | 25 | 32 | 56 | 63..=71 | 76 | 77 => true,
        // waitid, wait4
        95 | 260 => true,
        // futex: waits without a timeout
        98 => args[3] == 0,
        // accept, connect, sendto, recvfrom, sendmsg, recvmsg, accept4, recvmmsg, sendmmsg
        202 | 203 | 206 | 207 | 211 | 212 | 242 | 243 | 269 => true,
        _ => false,
    }
}

/// Takes the first caught signal the mask does not block.
fn take_unblocked(mask: u64) -> Option<Caught> {
    with_queue(|q| {
        let i = q.items[..q.len].iter().position(|c| mask & bit(c.sig) == 0)?;
        let c = q.items[i];
        q.items.copy_within(i + 1..q.len, i);
        q.len -= 1;
        Some(c)
    })
}

/// Takes the first caught signal in `set`.
fn take_in(set: u64) -> Option<Caught> {
    take_unblocked(!set)
}

/// Delivers the caught signals the thread does not block: each handler gets a frame (the
/// last one delivered runs first, as with the kernel), ignored ones are dropped, and a
/// default action that kills ends remu by that signal. `syscall` is the system call that
/// just returned, if any: it is restarted as the kernel would.
pub fn deliver(p: &Process, cpu: &mut dyn Cpu, syscall: Option<Interrupted>) -> Result<(), Outcome> {
    interrupt::clear();
    let layout = Layout::of(p.arch);
    let mut syscall = syscall.filter(|s| s.result == EINTR);
    let mut any = false;
    while let Some(c) = take_unblocked(current_mask()) {
        any = true;
        let act = p.signals.lock().unwrap().actions[c.sig as usize];
        match act[0] {
            SIG_IGN => continue,
            SIG_DFL => match default_action(c.sig) {
                Default::Ignore => continue,
                Default::Stop => {
                    // The host disposition is the default too: stop remu as the kernel
                    // would stop the guest.
                    // SAFETY: plain signal to ourselves.
                    unsafe { libc::raise(c.sig) };
                    continue;
                }
                Default::Terminate => {
                    super::die_of(c.sig);
                    return Err(Outcome::Killed { signal: c.sig, reason: format!("guest killed by {}", super::signal_name(c.sig)) });
                }
            },
            _ => {}
        }
        if let Some(s) = syscall.take() {
            if act[1] & SA_RESTART != 0 && restartable(s.nr, &s.args) {
                restart(layout, cpu, &s);
            }
        }
        if !run_handler(p, cpu, c.sig, &c.info, &act, 0) {
            return Err(frame_fault(p, cpu, c.sig));
        }
    }
    // No handler ran: the interrupted call starts again, as the kernel restarts every
    // interrupted call when no handler is invoked.
    if let Some(s) = syscall {
        if any {
            restart(layout, cpu, &s);
        }
    }
    if let Some(old) = THREAD.with(|t| t.saved_mask.take()) {
        set_mask(old);
    }
    Ok(())
}

/// Points the CPU back at the system call instruction with its first argument restored.
fn restart(layout: Layout, cpu: &mut dyn Cpu, s: &Interrupted) {
    let mut r = cpu.registers();
    r.x[layout.arg0()] = s.args[0];
    // ecall and svc are both 4 bytes.
    r.pc = r.pc.wrapping_sub(4);
    cpu.set_registers(&r);
}

fn frame_fault(p: &Process, cpu: &dyn Cpu, sig: i32) -> Outcome {
    let sp = cpu.registers().x[Layout::of(p.arch).sp()];
    Outcome::Killed {
        signal: SIGSEGV,
        reason: format!("guest killed by SIGSEGV: cannot write the frame for {} below sp {sp:#x}", super::signal_name(sig)),
    }
}

/// A synchronous signal from a guest fault: runs the guest's handler when it has one and
/// does not block the signal; false when the default action (death) applies instead, as the
/// kernel forces it for a blocked or ignored fault signal.
pub fn deliver_fault(p: &Process, cpu: &mut dyn Cpu, sig: i32, code: i32, addr: u64) -> bool {
    let act = p.signals.lock().unwrap().actions[sig as usize];
    if act[0] == SIG_DFL || act[0] == SIG_IGN || current_mask() & bit(sig) != 0 {
        return false;
    }
    let mut info = [0u8; SIGINFO_SIZE];
    info[..4].copy_from_slice(&sig.to_le_bytes());
    info[8..12].copy_from_slice(&code.to_le_bytes());
    info[16..24].copy_from_slice(&addr.to_le_bytes());
    run_handler(p, cpu, sig, &info, &act, addr)
}

/// The address of the `rt_sigreturn` trampoline for handlers without SA_RESTORER (the
/// kernels use the vDSO's; remu maps one read-only executable page the first time).
fn trampoline(p: &Process) -> Option<u64> {
    let mut t = p.sigreturn_trampoline.lock().unwrap();
    if t.is_none() {
        let mem = &p.mem;
        let page = mem.map(Placement::Hint(0), 4096, Prot::READ | Prot::WRITE, false, None).ok()?;
        let [a, b] = Layout::of(p.arch).trampoline();
        let mut code = a.to_le_bytes().to_vec();
        code.extend_from_slice(&b.to_le_bytes());
        mem.write(page, &code).ok()?;
        mem.protect(page, 4096, Prot::READ | Prot::EXEC).ok()?;
        *t = Some(page);
    }
    *t
}

/// Builds the frame for `sig` with action `act` and enters the handler; false if the frame
/// cannot be written.
fn run_handler(p: &Process, cpu: &mut dyn Cpu, sig: i32, info: &[u8; SIGINFO_SIZE], act: &[u64; 4], fault_addr: u64) -> bool {
    let layout = Layout::of(p.arch);
    let regs = cpu.registers();
    let sp = regs.x[layout.sp()];
    let [ss_sp, ss_flags, ss_size] = THREAD.with(|t| t.altstack.get());
    let armed = ss_flags & SS_DISABLE == 0 && ss_size != 0;
    let on_alt = armed && ss_flags & SS_AUTODISARM == 0 && sp.wrapping_sub(ss_sp) < ss_size;
    // A frame that would overflow the alternate stack is a fault, as for the kernel.
    if on_alt && sp.wrapping_sub(layout.frame_size()).wrapping_sub(ss_sp) >= ss_size {
        return false;
    }
    let mut top = sp;
    if act[1] & SA_ONSTACK != 0 && armed && !on_alt {
        top = ss_sp.wrapping_add(ss_size);
    }
    let stack = [ss_sp, if on_alt { SS_ONSTACK } else if armed { ss_flags & SS_AUTODISARM } else { SS_DISABLE }, ss_size];
    if armed && ss_flags & SS_AUTODISARM != 0 {
        THREAD.with(|t| t.altstack.set([0, SS_DISABLE, 0]));
    }
    let cur = current_mask();
    let saved = THREAD.with(|t| t.saved_mask.take()).unwrap_or(cur);
    let return_to = if has_restorer(p.arch) && act[1] & SA_RESTORER != 0 {
        act[2]
    } else {
        match trampoline(p) {
            Some(t) => t,
            None => return false,
        }
    };
    let frame = Frame { sig, info, handler: act[0], return_to, mask: saved, stack, top, fault_addr };
    let Some(entry) = sigframe::push(layout, &p.mem, &regs, &frame) else {
        return false;
    };
    cpu.set_registers(&entry);
    let mut blocked = cur | act[3];
    if act[1] & SA_NODEFER == 0 {
        blocked |= bit(sig);
    }
    set_mask(blocked);
    if act[1] & SA_RESETHAND != 0 {
        let reset = [SIG_DFL, 0, 0, 0];
        p.signals.lock().unwrap().actions[sig as usize] = reset;
        mirror(sig, &reset);
    }
    true
}

// ---- System calls -----------------------------------------------------------------------

fn valid(sig: i32) -> bool {
    (1..=64).contains(&sig)
}

pub fn kill(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SAFETY: no pointers; guest pids are host pids. A signal for this process is caught
    // (or acted on) by the host kernel like any other.
    Ok(host(unsafe { libc::kill(int(a[0]), int(a[1])) })?)
}

pub fn tkill(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SAFETY: no pointers; guest thread ids are host thread ids.
    Ok(host(unsafe { libc::syscall(libc::SYS_tkill, int(a[0]), int(a[1])) })?)
}

pub fn tgkill(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SAFETY: as above.
    Ok(host(unsafe { libc::syscall(libc::SYS_tgkill, int(a[0]), int(a[1]), int(a[2])) })?)
}

/// rt_sigqueueinfo(tgid, sig, info) and rt_tgsigqueueinfo(tgid, tid, sig, info): siginfo has
/// the same 128-byte layout on both sides.
pub fn rt_sigqueueinfo(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let info = c.mem.read_vec(a[2], SIGINFO_SIZE)?;
    // SAFETY: `info` is 128 readable bytes.
    Ok(host(unsafe { libc::syscall(libc::SYS_rt_sigqueueinfo, int(a[0]), int(a[1]), info.as_ptr()) })?)
}

pub fn rt_tgsigqueueinfo(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let info = c.mem.read_vec(a[3], SIGINFO_SIZE)?;
    // SAFETY: as above.
    Ok(host(unsafe { libc::syscall(libc::SYS_rt_tgsigqueueinfo, int(a[0]), int(a[1]), int(a[2]), info.as_ptr()) })?)
}

pub fn rt_sigaction(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (sig, act, oact) = (int(a[0]), a[1], a[2]);
    if a[3] != SIG_SETSIZE || !valid(sig) {
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
        mirror(sig, &n);
    }
    Ok(0)
}

pub fn rt_sigprocmask(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (how, set, oset) = (int(a[0]), a[1], a[2]);
    if a[3] != SIG_SETSIZE {
        return Err(Errno::EINVAL.into());
    }
    let new = if set != 0 { Some(c.mem.read_u64(set)?) } else { None };
    let old = current_mask();
    let mask = match (new, how) {
        (None, _) => None,
        (Some(n), 0) => Some(old | n), // SIG_BLOCK
        (Some(n), 1) => Some(old & !n), // SIG_UNBLOCK
        (Some(n), 2) => Some(n),       // SIG_SETMASK
        _ => return Err(Errno::EINVAL.into()),
    };
    if oset != 0 {
        c.mem.write_u64(oset, old)?;
    }
    if let Some(m) = mask {
        set_mask(m);
    }
    Ok(0)
}

/// Signals pending for the thread: caught by remu and blocked since, or still pending on
/// the host because the guest blocks them.
fn pending() -> u64 {
    let queued = with_queue(|q| q.items[..q.len].iter().fold(0, |m, c| m | bit(c.sig)));
    let mut host_pending = 0u64;
    // SAFETY: an 8-byte sigset on our stack.
    unsafe { libc::syscall(libc::SYS_rt_sigpending, &mut host_pending as *mut u64, 8usize) };
    queued | host_pending
}

pub fn rt_sigpending(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[1] > SIG_SETSIZE {
        return Err(Errno::EINVAL.into());
    }
    c.mem.write(a[0], &pending().to_le_bytes()[..a[1] as usize])?;
    Ok(0)
}

/// rt_sigsuspend(mask): waits with `mask` blocked until a signal is delivered; always
/// EINTR, and the handler's frame saves the mask from before the call.
pub fn rt_sigsuspend(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[1] != SIG_SETSIZE {
        return Err(Errno::EINVAL.into());
    }
    let mask = c.mem.read_u64(a[0])? & !UNBLOCKABLE;
    begin_temporary_mask(mask);
    let host_mask = mask & !HOST_RESERVED;
    // Returns at once if a caught signal is already deliverable (the flag is up).
    let r = blocking(libc::SYS_rt_sigsuspend, [&host_mask as *const u64 as u64, 8, 0, 0, 0, 0]);
    let r = match r {
        Ok(v) => v,
        Err(e) => -(e.0 as i64),
    };
    end_temporary_mask(r);
    Err(Errno(libc::EINTR).into())
}

/// rt_sigtimedwait(set, info, timeout): takes a signal of `set` that remu already caught,
/// or waits on the host, where signals of `set` the guest blocks are still pending.
pub fn rt_sigtimedwait(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[3] != SIG_SETSIZE {
        return Err(Errno::EINVAL.into());
    }
    let set = c.mem.read_u64(a[0])? & !UNBLOCKABLE;
    let timeout = if a[2] != 0 { Some(c.mem.read_vec(a[2], 16)?) } else { None };
    if a[1] != 0 {
        c.mem.check(a[1], SIGINFO_SIZE as u64, crate::isa::Access::Write)?;
    }
    if let Some(caught) = take_in(set) {
        if a[1] != 0 {
            c.mem.write(a[1], &caught.info)?;
        }
        return Ok(caught.sig as i64);
    }
    let mut info = [0u8; SIGINFO_SIZE];
    let host_set = set & !HOST_RESERVED;
    let ts = timeout.as_ref().map_or(0, |t| t.as_ptr() as u64);
    let sig = blocking(libc::SYS_rt_sigtimedwait, [&host_set as *const u64 as u64, info.as_mut_ptr() as u64, ts, 8, 0, 0])?;
    if a[1] != 0 {
        c.mem.write(a[1], &info)?;
    }
    Ok(sig)
}

/// signalfd4(fd, mask, sizemask, flags): the host's; the guest blocks the signals it reads
/// this way, so they stay pending on the host. `struct signalfd_siginfo` is
/// architecture-independent.
pub fn signalfd4(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[2] != SIG_SETSIZE {
        return Err(Errno::EINVAL.into());
    }
    let mask = c.mem.read_u64(a[1])? & !HOST_RESERVED;
    // SAFETY: an 8-byte sigset on our stack.
    Ok(host(unsafe { libc::syscall(libc::SYS_signalfd4, int(a[0]), &mask as *const u64, 8usize, int(a[3])) })?)
}

/// rt_sigreturn: back from a handler, through the frame at the stack pointer.
pub fn rt_sigreturn(c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    let layout = Layout::of(c.p.arch);
    let regs = c.cpu.registers();
    let Some(back) = sigframe::pop(layout, c.mem, &regs) else {
        return Err(Stop::Kill(SIGSEGV));
    };
    c.cpu.set_registers(&back.regs);
    set_mask(back.mask);
    // The alternate stack comes back as saved, unless the thread is still running on it.
    let [ss_sp, ss_flags, ss_size] = THREAD.with(|t| t.altstack.get());
    let sp = back.regs.x[layout.sp()];
    let on_alt = ss_flags & (SS_DISABLE | SS_AUTODISARM) == 0 && ss_size != 0 && sp.wrapping_sub(ss_sp) < ss_size;
    if !on_alt {
        let [sp, flags, size] = back.stack;
        let restored = if flags & SS_DISABLE != 0 || size < MINSIGSTKSZ { [0, SS_DISABLE, 0] } else { [sp, flags & SS_AUTODISARM, size] };
        THREAD.with(|t| t.altstack.set(restored));
    }
    // The result register keeps its restored value (the run loop writes it back).
    Ok(back.regs.x[layout.arg0()] as i64)
}

/// sigaltstack(ss, old_ss): `stack_t` is { void *ss_sp; int ss_flags; size_t ss_size; },
/// 24 bytes; per thread.
pub fn sigaltstack(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let [cur_sp, cur_flags, cur_size] = THREAD.with(|t| t.altstack.get());
    let sp = c.cpu.registers().x[Layout::of(c.p.arch).sp()];
    let armed = cur_flags & SS_DISABLE == 0 && cur_size != 0;
    let on_alt = armed && cur_flags & SS_AUTODISARM == 0 && sp.wrapping_sub(cur_sp) < cur_size;
    let new = if a[0] != 0 {
        let ss_sp = c.mem.read_u64(a[0])?;
        let flags = c.mem.read_u32(a[0] + 8)? as u64;
        let size = c.mem.read_u64(a[0] + 16)?;
        if on_alt {
            return Err(Errno(libc::EPERM).into());
        }
        let mode = flags & !SS_AUTODISARM;
        if mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK {
            return Err(Errno::EINVAL.into());
        }
        if mode == SS_DISABLE {
            Some([0, SS_DISABLE, 0])
        } else if size < MINSIGSTKSZ {
            return Err(Errno(libc::ENOMEM).into());
        } else {
            Some([ss_sp, flags & SS_AUTODISARM, size])
        }
    } else {
        None
    };
    if a[1] != 0 {
        let flags = if on_alt { SS_ONSTACK } else if armed { cur_flags } else { SS_DISABLE };
        let mut b = [0u8; 24];
        b[..8].copy_from_slice(&cur_sp.to_le_bytes());
        b[8..12].copy_from_slice(&(flags as u32).to_le_bytes());
        b[16..].copy_from_slice(&cur_size.to_le_bytes());
        c.mem.write(a[1], &b)?;
    }
    if let Some(n) = new {
        THREAD.with(|t| t.altstack.set(n));
    }
    Ok(0)
}

/// pidfd_send_signal(pidfd, sig, info, flags): as kill or rt_sigqueueinfo, through a pidfd.
pub fn pidfd_send_signal(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let pidfd = super::fd::guest_fd(c, a[0])?;
    let info = if a[2] == 0 { None } else { Some(c.mem.read_vec(a[2], SIGINFO_SIZE)?) };
    let p = info.as_ref().map_or(std::ptr::null(), |i| i.as_ptr());
    // SAFETY: `p` is NULL or our 128-byte copy of the guest's siginfo (same layout).
    Ok(host(unsafe { libc::syscall(libc::SYS_pidfd_send_signal, pidfd, int(a[1]), p, int(a[3]) as u32) })?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restart_rules() {
        assert!(restartable(63, &[0; 6]));
        assert!(restartable(260, &[0; 6]));
        assert!(restartable(98, &[0, 0, 0, 0, 0, 0]));
        assert!(!restartable(98, &[0, 0, 0, 0x1000, 0, 0]));
        assert!(!restartable(101, &[0; 6]));
        assert!(!restartable(133, &[0; 6]));
        assert!(!restartable(73, &[0; 6]));
    }

    #[test]
    fn a_caught_signal_is_queued_and_flagged() {
        // SIGUSR2 to this very thread, with remu's host handler installed: it lands in this
        // thread's queue (other test threads never see a thread-directed signal).
        mirror(12, &[0x1000, 0, 0, 0]);
        interrupt::clear();
        // SAFETY: a signal to our own thread, caught by the handler just installed.
        unsafe { libc::syscall(libc::SYS_tgkill, libc::getpid(), libc::gettid(), 12) };
        assert!(interrupt::signal_pending());
        let c = take_in(bit(12)).expect("SIGUSR2 caught");
        assert_eq!(c.sig, 12);
        assert_eq!(i32::from_le_bytes(c.info[..4].try_into().unwrap()), 12);
        // si_code SI_TKILL (-6), si_pid our pid.
        assert_eq!(i32::from_le_bytes(c.info[8..12].try_into().unwrap()), -6);
        // SAFETY: no preconditions.
        assert_eq!(i32::from_le_bytes(c.info[16..20].try_into().unwrap()), unsafe { libc::getpid() });
        assert!(take_in(bit(12)).is_none());
        // Blocked, it stays pending on the host until unblocked, then is caught.
        interrupt::clear();
        set_mask(bit(12));
        // SAFETY: as above.
        unsafe { libc::syscall(libc::SYS_tgkill, libc::getpid(), libc::gettid(), 12) };
        assert!(!interrupt::signal_pending());
        assert_eq!(pending() & bit(12), bit(12));
        set_mask(0);
        assert!(interrupt::signal_pending());
        assert_eq!(take_in(bit(12)).map(|c| c.sig), Some(12));
        mirror(12, &[SIG_IGN, 0, 0, 0]);
        interrupt::clear();
    }
}

