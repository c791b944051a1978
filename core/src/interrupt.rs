//! The per-thread "a signal is waiting" flag that CPUs poll at block boundaries.
//!
//! The host signal handler sets it on the thread the signal arrived on; the CPU sees it at
//! its next check (at least every few hundred guest instructions) and returns
//! [`Exit::Interrupted`](crate::Exit::Interrupted); the Linux layer delivers the signal
//! and clears it.

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
