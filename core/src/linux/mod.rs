//! The Linux personality: one implementation of the system calls for every guest ISA.
//!
//! riscv64 and aarch64 both use the asm-generic syscall numbers and LP64 layouts; where a
//! guest structure differs from the x86-64 host's it is translated, otherwise calls pass
//! through. Guest file descriptors are host file descriptors.
//!
//! [`run`] is the loop that drives a CPU: it runs guest code, serves the system calls the CPU
//! exits with, and turns guest faults into the signals that end the process.

mod abi;
mod cred;
mod events;
mod fd;
mod fs;
mod ipc;
mod mem;
mod net;
mod ns;
mod poll;
mod process;
mod sigframe;
mod signal;
pub mod strace;
mod syscall;
mod thread;
mod time;
pub mod table;
mod vfork;
mod xattr;
#[cfg(test)]
mod tests;

pub use fs::{proc_cpuinfo, sysroot_path, translate_path};
pub use process::name_after_program;
pub use syscall::{dispatch, format_action, Action};
pub(crate) use signal::on_user_fault_signal;

use std::os::fd::RawFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::isa::{Access, Arch, Cpu, Exit};
use crate::mem::GuestMemory;

/// Per-process state shared by all of a guest's threads.
pub struct Process {
    pub arch: &'static Arch,
    pub mem: Arc<GuestMemory>,
    /// The guest program as the host sees it (what `/proc/self/exe` names).
    pub exe: PathBuf,
    /// Print each system call strace-style on stderr.
    pub strace: bool,
    /// Signal dispositions (the blocked masks are per thread, see `signal`).
    pub signals: Mutex<SignalState>,
    /// Where handlers without SA_RESTORER return: a page holding an `rt_sigreturn` call,
    /// mapped on first use.
    pub sigreturn_trampoline: Mutex<Option<u64>>,
    /// The initial auxiliary vector as written on the stack (for `/proc/self/auxv`).
    pub auxv: Vec<(u64, u64)>,
    /// Host descriptors remu keeps for itself; the guest can neither use nor replace them
    /// (none today: guest descriptors are host descriptors, stdin/out/err included).
    pub host_fds: Vec<RawFd>,
    /// The guest's argv, each NUL-terminated (what `/proc/self/cmdline` shows).
    pub cmdline: Vec<u8>,
    /// The guest's root file system tree (`-L`): absolute paths are looked up here first.
    pub sysroot: Option<PathBuf>,
    /// How remu runs another guest program when this one execs it: the arguments of
    /// `remu` (after the executable) that come before `--argv0 NAME -- PROGRAM ARGS...`,
    /// e.g. `["run", "-L", "/usr/riscv64-linux-gnu", "--strace"]`. Empty: a guest-arch
    /// execve fails with ENOEXEC.
    pub exec_prefix: Vec<std::ffi::OsString>,
    /// Set in a child made by fork: when the guest dies of a signal, remu dies of the same
    /// signal so that the guest parent's wait sees it.
    pub die_by_signal: std::sync::atomic::AtomicBool,
    /// Resource limits kept for the guest rather than applied to remu (`[cur, max]`).
    pub rlimits: Mutex<[Option<[u64; 2]>; 16]>,
    /// `--count-insns`: [`conclude`] reports the guest instructions executed.
    pub count_insns: bool,
    /// Guest threads alive (the process ends when the last one exits).
    threads: AtomicUsize,
    /// Instructions retired by threads that have exited (for `--count-insns`).
    exited_insns: AtomicU64,
    /// This process as a `'static` reference once [`Process::leak`] made it one; only such
    /// a process can start threads.
    this: OnceLock<&'static Process>,
}

/// Signal dispositions the guest installed (mirrored on the host, see `signal`).
#[derive(Clone, Debug)]
pub struct SignalState {
    /// Raw guest `struct sigaction` per signal 1..=64: handler, flags, restorer, mask.
    pub actions: [[u64; 4]; 65],
}

impl Default for SignalState {
    fn default() -> Self {
        SignalState { actions: [[0; 4]; 65] }
    }
}

impl Process {
    /// The initial auxiliary vector as the kernel exports it (`/proc/self/auxv`,
    /// PR_GET_AUXV): 64-bit key and value pairs, little-endian.
    pub fn auxv_bytes(&self) -> Vec<u8> {
        self.auxv.iter().flat_map(|(k, v)| k.to_le_bytes().into_iter().chain(v.to_le_bytes())).collect()
    }

    pub fn new(arch: &'static Arch, mem: Arc<GuestMemory>, exe: PathBuf) -> Process {
        Process {
            arch,
            mem,
            exe,
            strace: false,
            signals: Mutex::new(SignalState::default()),
            sigreturn_trampoline: Mutex::new(None),
            auxv: Vec::new(),
            host_fds: Vec::new(),
            cmdline: Vec::new(),
            sysroot: None,
            exec_prefix: Vec::new(),
            die_by_signal: std::sync::atomic::AtomicBool::new(false),
            rlimits: Mutex::new([None; 16]),
            count_insns: false,
            threads: AtomicUsize::new(1),
            exited_insns: AtomicU64::new(0),
            this: OnceLock::new(),
        }
    }

    /// Makes the process `'static`, which guest threads need: each host thread running a
    /// guest thread holds a reference to it. A leak rather than an `Arc`, because the
    /// process lives exactly as long as remu's host process does: it ends with
    /// `exit`/`exit_group` of the host (which also ends every thread), never by dropping
    /// the `Process` while threads could still use it.
    pub fn leak(self) -> &'static Process {
        let p: &'static Process = Box::leak(Box::new(self));
        let _ = p.this.set(p);
        p
    }

    /// The `'static` process, when [`Process::leak`] made it one.
    fn shared(&self) -> Option<&'static Process> {
        self.this.get().copied()
    }
}

/// How a guest process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// exit/exit_group with this status (0..=255).
    Exited(i32),
    /// Killed by a signal; `reason` is one line for the user.
    Killed { signal: i32, reason: String },
}

impl Outcome {
    /// The exit status a shell would report: the status, or 128 + the signal number.
    pub fn exit_code(&self) -> i32 {
        match self {
            Outcome::Exited(c) => *c & 0xff,
            Outcome::Killed { signal, .. } => 128 + signal,
        }
    }
}

/// The name of a signal, for messages.
pub fn signal_name(sig: i32) -> String {
    let names = [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];
    match names.get(sig as usize) {
        Some(n) if sig > 0 => n.to_string(),
        _ => format!("SIG{sig}"),
    }
}

/// Runs the guest on `cpu` (the process's first thread, on the calling host thread) until
/// the process ends. If this thread exits while others still run, the calling host thread
/// waits here for good: the process ends from whichever thread ends it (see
/// [`conclude`]), so this returns only when this thread ends the process.
pub fn run(process: &Process, cpu: &mut dyn Cpu) -> Outcome {
    signal::init_process(process);
    match run_thread(process, cpu) {
        Some(outcome) => outcome,
        None => loop {
            std::thread::park();
        },
    }
}

/// Runs one guest thread on the calling host thread: the process's outcome when this thread
/// ends the process, None when it exited (`exit`) and other threads still run.
fn run_thread(process: &Process, cpu: &mut dyn Cpu) -> Option<Outcome> {
    match run_until_end(process, cpu) {
        Ok(outcome) => Some(outcome),
        Err(code) => thread::exit_thread(process, cpu, code),
    }
}

/// Runs guest code until the process ends (`Ok`) or this thread calls `exit` (`Err` with
/// the status).
fn run_until_end(process: &Process, cpu: &mut dyn Cpu) -> Result<Outcome, i32> {
    let mem = &*process.mem;
    loop {
        let exit = cpu.run(mem);
        let delivered = match exit {
            Exit::Syscall => {
                let (nr, args) = cpu.syscall_args();
                match dispatch(process, cpu, nr, args) {
                    Action::Return(v) => {
                        cpu.set_syscall_result(v as u64);
                        // rt_sigreturn has already put back the interrupted context.
                        let call = (nr != RT_SIGRETURN).then_some(signal::Interrupted { nr, args, result: v });
                        deliver(process, cpu, call)
                    }
                    Action::Exit(code) => return Ok(Outcome::Exited(code)),
                    Action::ExitThread(code) => return Err(code),
                    Action::Kill(signal) => {
                        return Ok(Outcome::Killed { signal, reason: format!("guest killed by {}", signal_name(signal)) })
                    }
                }
            }
            Exit::CodeFlushed | Exit::Interrupted => deliver(process, cpu, None),
            Exit::Fault { addr, access } => {
                let mapped = mem.check(addr, 1, Access::Read).is_ok() || access == Access::Execute && mem.check(addr, 1, Access::Execute).is_ok();
                // SEGV_ACCERR for a mapping that forbids the access, else SEGV_MAPERR.
                let code = if mapped { 2 } else { 1 };
                if signal::deliver_fault(process, cpu, libc::SIGSEGV, code, addr) {
                    continue;
                }
                let what = match access {
                    Access::Read => "read from",
                    Access::Write => "write to",
                    Access::Execute => "execute at",
                };
                let why = if mapped { "not permitted" } else { "unmapped" };
                return Ok(Outcome::Killed {
                    signal: libc::SIGSEGV,
                    reason: format!(
                        "guest killed by SIGSEGV: {what} {addr:#x} ({why}) at pc {:#x}{}",
                        cpu.pc(),
                        describe(process, cpu)
                    ),
                });
            }
            Exit::BusError { addr } => {
                // BUS_ADRERR
                if signal::deliver_fault(process, cpu, libc::SIGBUS, 2, addr) {
                    continue;
                }
                return Ok(Outcome::Killed {
                    signal: libc::SIGBUS,
                    reason: format!("guest killed by SIGBUS: access to {addr:#x} at pc {:#x}{}", cpu.pc(), describe(process, cpu)),
                });
            }
            Exit::Illegal { raw, len } => {
                // ILL_ILLOPC, at the instruction.
                let pc = cpu.pc();
                if signal::deliver_fault(process, cpu, libc::SIGILL, 1, pc) {
                    continue;
                }
                let bytes = match len {
                    2 => format!("{:04x}", raw & 0xffff),
                    _ => format!("{raw:08x}"),
                };
                return Ok(Outcome::Killed {
                    signal: libc::SIGILL,
                    reason: format!(
                        "guest killed by SIGILL: illegal instruction {bytes} at pc {:#x}{}",
                        cpu.pc(),
                        describe(process, cpu)
                    ),
                });
            }
            Exit::Breakpoint => {
                // TRAP_BRKPT
                let pc = cpu.pc();
                if signal::deliver_fault(process, cpu, libc::SIGTRAP, 1, pc) {
                    continue;
                }
                return Ok(Outcome::Killed {
                    signal: libc::SIGTRAP,
                    reason: format!("guest killed by SIGTRAP: breakpoint at pc {:#x}", cpu.pc()),
                });
            }
        };
        if let Err(outcome) = delivered {
            return Ok(outcome);
        }
    }
}

/// asm-generic `rt_sigreturn`.
const RT_SIGRETURN: u64 = 139;

/// Delivers the signals waiting for this thread, if the interrupt flag says there are any.
fn deliver(process: &Process, cpu: &mut dyn Cpu, call: Option<signal::Interrupted>) -> Result<(), Outcome> {
    if crate::interrupt::signal_pending() {
        signal::deliver(process, cpu, call)
    } else {
        Ok(())
    }
}

fn describe(process: &Process, cpu: &dyn Cpu) -> String {
    match cpu.disassemble_at(&process.mem, cpu.pc()) {
        Some(text) => format!(" ({text})"),
        None => String::new(),
    }
}

/// Reports how the process ended — the one-line message for a fatal signal (dying of it
/// when `die_by_signal` is set), the instruction count for `--count-insns` (`insns`: the
/// calling thread's; exited threads' are added) — and returns remu's exit status.
///
/// Exactly one thread ends the process: the first to get here; any other that tries later
/// waits here until the first has ended the host process.
pub fn conclude(p: &Process, outcome: &Outcome, insns: u64) -> i32 {
    static ENDING: Mutex<()> = Mutex::new(());
    std::mem::forget(ENDING.lock());
    // A vfork child that never exec'd: its parent reads back what it needs first.
    vfork::child_exits();
    if let Outcome::Killed { reason, signal } = outcome {
        eprintln!("remu: {reason}");
        if p.die_by_signal.load(Ordering::Relaxed) {
            die_of(*signal);
        }
    }
    if p.count_insns {
        eprintln!("remu: {} guest instructions", insns + p.exited_insns.load(Ordering::Relaxed));
    }
    outcome.exit_code()
}

/// Ends remu by signal `sig` (default action, no core dump), so that a guest parent's wait
/// sees its child killed by that signal. Returns only if the signal does not kill.
pub fn die_of(sig: i32) {
    // SAFETY: plain system calls on our own process; nothing else runs at this point.
    unsafe {
        let no_core = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(sig);
    }
}
