//! The per-thread "a signal is waiting" flag, and host system calls that it interrupts.
//!
//! The host signal handler sets the flag on the thread the signal arrived on. A CPU polls it
//! at block boundaries (at least every few hundred guest instructions) and returns
//! [`Exit::Interrupted`](crate::Exit::Interrupted); the Linux layer delivers the signal
//! and clears it.
//!
//! A guest system call that blocks on the host (a read from a pipe, a futex wait) must not
//! sleep through a signal that arrived just before it started: [`interruptible_syscall`]
//! checks the flag and enters the kernel in a few instructions of assembly, and the signal
//! handler calls [`rewind`], which, when the thread was interrupted between the check and
//! the `syscall` instruction, makes the call return `-EINTR` without entering the kernel. A
//! signal arriving during the call interrupts it (the host handler is installed without
//! SA_RESTART), so in both cases the call ends and the run loop sees the signal.

use std::sync::atomic::{AtomicBool, Ordering};

thread_local! {
    // Const-initialised and without a destructor: a plain TLS slot, safe to touch from a
    // signal handler.
    static PENDING: AtomicBool = const { AtomicBool::new(false) };
}

/// Whether a signal is waiting for the calling thread (cheap: one thread-local load).
#[inline(always)]
pub fn signal_pending() -> bool {
    PENDING.with(|f| f.load(Ordering::Relaxed))
}

/// Marks a signal as waiting for the calling thread (async-signal-safe).
pub(crate) fn raise() {
    PENDING.with(|f| f.store(true, Ordering::Relaxed));
}

/// Clears the flag (the Linux layer, before it looks for signals to deliver).
pub(crate) fn clear() {
    PENDING.with(|f| f.store(false, Ordering::Relaxed));
}

std::arch::global_asm!(
    ".globl remu_interruptible_syscall",
    ".type remu_interruptible_syscall, @function",
    "remu_interruptible_syscall:",
    // SysV arguments: rdi = &flag, rsi = nr, rdx, rcx, r8, r9 = a0..a3, stack = a4, a5.
    // Linux: rax = nr, rdi, rsi, rdx, r10, r8, r9 = a0..a5.
    "mov r11, rdi",
    "mov rax, rsi",
    "mov rdi, rdx",
    "mov rsi, rcx",
    "mov rdx, r8",
    "mov r10, r9",
    "mov r8, [rsp + 8]",
    "mov r9, [rsp + 16]",
    ".globl remu_interruptible_start",
    "remu_interruptible_start:",
    "cmp byte ptr [r11], 0",
    "jne remu_interruptible_abort",
    "syscall",
    ".globl remu_interruptible_end",
    "remu_interruptible_end:",
    "ret",
    ".globl remu_interruptible_abort",
    "remu_interruptible_abort:",
    "mov rax, -4", // -EINTR
    "ret",
    ".size remu_interruptible_syscall, . - remu_interruptible_syscall",
);

extern "C" {
    fn remu_interruptible_syscall(flag: *const AtomicBool, nr: i64, a0: u64, a1: u64, a2: u64, a3: u64, a4: u64, a5: u64)
        -> i64;
    fn remu_interruptible_start();
    fn remu_interruptible_end();
    fn remu_interruptible_abort();
}

/// Makes host system call `nr`; returns the raw kernel result (`-errno` on failure), which
/// is `-EINTR` if a signal for this thread is, or becomes, pending before the call returns.
///
/// # Safety
/// As for `libc::syscall`: the arguments must be valid for `nr`.
pub unsafe fn interruptible_syscall(nr: i64, a: [u64; 6]) -> i64 {
    let flag = PENDING.with(|f| f as *const AtomicBool);
    // SAFETY: `flag` is this thread's live flag; the stub only reads it, then makes the call.
    unsafe { remu_interruptible_syscall(flag, nr, a[0], a[1], a[2], a[3], a[4], a[5]) }
}

/// Called by the host signal handler with the interrupted context: if the thread was
/// between the flag check and the `syscall` instruction of [`interruptible_syscall`], makes
/// it return -EINTR instead of entering the kernel.
///
/// # Safety
/// `ctx` must be the `ucontext_t` the kernel passed to an SA_SIGINFO handler.
pub(crate) unsafe fn rewind(ctx: *mut libc::c_void) {
    // SAFETY: per the contract, a valid ucontext of the interrupted thread.
    let uc = unsafe { &mut *ctx.cast::<libc::ucontext_t>() };
    let rip = uc.uc_mcontext.gregs[libc::REG_RIP as usize] as usize;
    let start = remu_interruptible_start as unsafe extern "C" fn() as usize;
    let end = remu_interruptible_end as unsafe extern "C" fn() as usize;
    // `end` follows the `syscall` instruction: a thread stopped at `end` has made the call.
    if (start..end).contains(&rip) {
        uc.uc_mcontext.gregs[libc::REG_RIP as usize] = remu_interruptible_abort as unsafe extern "C" fn() as usize as i64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_flag_aborts_the_call() {
        // getpid never fails; with the flag up the stub must not make the call at all.
        // SAFETY: getpid takes no arguments.
        let pid = unsafe { interruptible_syscall(libc::SYS_getpid, [0; 6]) };
        assert_eq!(pid, std::process::id() as i64);
        raise();
        // SAFETY: as above.
        assert_eq!(unsafe { interruptible_syscall(libc::SYS_getpid, [0; 6]) }, -(libc::EINTR as i64));
        clear();
        // Six arguments reach the kernel in the right registers: a failing read names EBADF
        // only if fd (a0) arrived; pread64's offset (a3) must arrive too.
        let mut b = [0u8; 4];
        // SAFETY: a read into a local buffer.
        let r = unsafe { interruptible_syscall(libc::SYS_read, [u64::MAX >> 1, b.as_mut_ptr() as u64, 4, 0, 0, 0]) };
        assert_eq!(r, -(libc::EBADF as i64));
    }
}
