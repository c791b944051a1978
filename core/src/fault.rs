//! Host faults inside the guest region become guest faults.
//!
//! The CPU accesses guest memory with plain host loads and stores (base + address); the host
//! page permissions mirror the guest's. When such an access faults, the SIGSEGV/SIGBUS handler
//! checks that the address lies in the region of the CPU running on this thread and, if so,
//! records the guest address and resumes execution at [`guarded`]'s exit with the stack
//! unwound to where it was entered — a longjmp done in a few lines of assembly, since the CPU
//! frames it skips hold nothing that needs dropping.
//!
//! Rules for code run under [`guarded`]: no locks held, no heap values whose loss matters
//! (a skipped frame's values are leaked, not dropped).

use std::cell::Cell;
use std::sync::Once;

use crate::isa::Access;

/// What the signal handler recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostFault {
    /// Guest address of the access.
    pub addr: u64,
    pub access: Access,
    /// SIGBUS rather than SIGSEGV (e.g. past the end of a mapped file).
    pub bus: bool,
}

/// Where [`guarded`] was entered and what faulted; read by the signal handler.
#[repr(C)]
struct Guard {
    /// Stack pointer saved by the trampoline (offset 0: the assembly reads it).
    rsp: u64,
    base: u64,
    size: u64,
    fault_addr: u64,
    fault_write: bool,
    fault_bus: bool,
    faulted: bool,
}

thread_local! {
    static ACTIVE: Cell<*mut Guard> = const { Cell::new(std::ptr::null_mut()) };
}

std::arch::global_asm!(
    ".globl remu_guarded_call",
    ".type remu_guarded_call, @function",
    "remu_guarded_call:",
    // rdi = function, rsi = its argument, rdx = &mut Guard
    "push rbp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "sub rsp, 8",
    "mov [rdx], rsp",
    "mov rax, rdi",
    "mov rdi, rsi",
    "call rax",
    "add rsp, 8",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    ".size remu_guarded_call, . - remu_guarded_call",
    ".globl remu_guarded_recover",
    ".type remu_guarded_recover, @function",
    "remu_guarded_recover:",
    // Entered from the signal handler's return with rdi = &Guard.
    "mov rsp, [rdi]",
    "add rsp, 8",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    ".size remu_guarded_recover, . - remu_guarded_recover",
);

extern "C" {
    fn remu_guarded_call(f: extern "C" fn(*mut u8), arg: *mut u8, guard: *mut Guard);
    fn remu_guarded_recover();
}

/// Runs `f`, turning a host fault on guest memory `[base, base+size)` into `Err`.
///
/// `f` must follow the module rules: on a fault its frames are abandoned, not unwound.
pub fn guarded<R, F: FnOnce() -> R>(base: *mut u8, size: u64, f: F) -> Result<R, HostFault> {
    install_handler();
    let mut guard =
        Guard { rsp: 0, base: base as u64, size, fault_addr: 0, fault_write: false, fault_bus: false, faulted: false };
    let mut state: (Option<F>, Option<R>) = (Some(f), None);

    extern "C" fn call<R, F: FnOnce() -> R>(arg: *mut u8) {
        // SAFETY: `arg` is the `state` tuple below, alive for the whole call.
        let state = unsafe { &mut *arg.cast::<(Option<F>, Option<R>)>() };
        let f = state.0.take().unwrap();
        state.1 = Some(f());
    }

    let prev = ACTIVE.with(|a| a.replace(&mut guard));
    // SAFETY: the trampoline calls `call` with our state and returns normally, or returns
    // through `remu_guarded_recover` with the callee-saved registers it saved; either way
    // control comes back here exactly once.
    unsafe {
        remu_guarded_call(call::<R, F>, (&mut state as *mut (Option<F>, Option<R>)).cast(), &mut guard);
    }
    ACTIVE.with(|a| a.set(prev));
    // Reading through a volatile pointer: the handler wrote these behind the compiler's back.
    let g = &guard as *const Guard;
    // SAFETY: `g` points at our live local.
    let faulted = unsafe { std::ptr::read_volatile(&(*g).faulted) };
    if faulted {
        // SAFETY: as above.
        let (addr, write, bus) = unsafe {
            (
                std::ptr::read_volatile(&(*g).fault_addr),
                std::ptr::read_volatile(&(*g).fault_write),
                std::ptr::read_volatile(&(*g).fault_bus),
            )
        };
        return Err(HostFault { addr, access: if write { Access::Write } else { Access::Read }, bus });
    }
    Ok(state.1.take().expect("guarded closure returned"))
}

static INSTALL: Once = Once::new();
static mut PREVIOUS: [libc::sigaction; 2] = [const { unsafe_zeroed_sigaction() }; 2];

const fn unsafe_zeroed_sigaction() -> libc::sigaction {
    // SAFETY: sigaction is plain data; all-zero is SIG_DFL with an empty mask.
    unsafe { std::mem::zeroed() }
}

fn install_handler() {
    INSTALL.call_once(|| {
        for (i, sig) in [libc::SIGSEGV, libc::SIGBUS].into_iter().enumerate() {
            // SAFETY: installing a handler with a zeroed, then filled, sigaction; the previous
            // action is saved once, before any other thread can race on it.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = handler as extern "C" fn(i32, *mut libc::siginfo_t, *mut libc::c_void) as usize;
                sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(sig, &sa, std::ptr::addr_of_mut!(PREVIOUS[i]));
            }
        }
    });
}

extern "C" fn handler(sig: i32, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes valid siginfo and ucontext pointers to an SA_SIGINFO handler;
    // ACTIVE is a const-initialised thread local without a destructor, safe to read here.
    unsafe {
        // Sent by a process (kill, tgkill, sigqueue), not a fault: a guest signal.
        if (*info).si_code <= 0 {
            crate::linux::on_user_fault_signal(sig, info, ctx);
            return;
        }
        let addr = (*info).si_addr() as u64;
        let guard = ACTIVE.with(|a| a.get());
        if !guard.is_null() && addr >= (*guard).base && addr - (*guard).base < (*guard).size {
            let uc = &mut *ctx.cast::<libc::ucontext_t>();
            let g = &mut *guard;
            g.fault_addr = addr - g.base;
            // Page-fault error code bit 1: the access was a write.
            g.fault_write = uc.uc_mcontext.gregs[libc::REG_ERR as usize] & 2 != 0;
            g.fault_bus = sig == libc::SIGBUS;
            g.faulted = true;
            uc.uc_mcontext.gregs[libc::REG_RIP as usize] = remu_guarded_recover as unsafe extern "C" fn() as usize as i64;
            uc.uc_mcontext.gregs[libc::REG_RDI as usize] = guard as i64;
            return;
        }
        // Not a guest access: a bug in remu itself. Hand over to whoever handled this before
        // (Rust's stack-overflow reporter) or die with the default action.
        let prev = &*std::ptr::addr_of!(PREVIOUS[if sig == libc::SIGBUS { 1 } else { 0 }]);
        if prev.sa_sigaction != libc::SIG_DFL && prev.sa_sigaction != libc::SIG_IGN {
            if prev.sa_flags & libc::SA_SIGINFO != 0 {
                let f: extern "C" fn(i32, *mut libc::siginfo_t, *mut libc::c_void) =
                    std::mem::transmute(prev.sa_sigaction);
                f(sig, info, ctx);
            } else {
                let f: extern "C" fn(i32) = std::mem::transmute(prev.sa_sigaction);
                f(sig);
            }
            return;
        }
        libc::signal(sig, libc::SIG_DFL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mem::{GuestMemory, Placement, Prot};

    #[test]
    fn fault_in_region_is_caught() {
        let m = GuestMemory::new(32).unwrap();
        m.map(Placement::Fixed(0x10000), 4096, Prot::READ, false, None).unwrap();
        let base = m.base();
        // SAFETY: reads and writes inside the region; faults are caught by `guarded`.
        let r = guarded(base, m.size(), || unsafe { std::ptr::read_volatile(base.add(0x10000)) });
        assert_eq!(r, Ok(0));
        // SAFETY: as above.
        let r = guarded(base, m.size(), || unsafe { std::ptr::write_volatile(base.add(0x10008), 1u8) });
        assert_eq!(r, Err(HostFault { addr: 0x10008, access: Access::Write, bus: false }));
        // SAFETY: as above.
        let r = guarded(base, m.size(), || unsafe { std::ptr::read_volatile(base.add(0x20000)) });
        assert_eq!(r, Err(HostFault { addr: 0x20000, access: Access::Read, bus: false }));
        // Still works after a fault.
        assert_eq!(guarded(base, m.size(), || 5), Ok(5));
    }
}
