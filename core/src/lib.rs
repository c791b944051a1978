//! remu's shared core.
//!
//! What lives here is the same for every guest instruction set:
//! - [`mem`]: guest memory, one reserved host region (guest address `a` is host `base + a`),
//!   with the guest's mappings and their permissions;
//! - [`fault`]: turning a host fault inside that region into a guest fault;
//! - [`interrupt`]: the per-thread flag that stops a CPU when a signal is waiting;
//! - [`hostfp`]: host floating point with a chosen rounding and its IEEE flags, the fast
//!   path of the ISA crates' FP units;
//! - [`isa`]: the [`isa::Cpu`] trait each ISA crate implements and the [`isa::Exit`]s a CPU
//!   returns when it needs the outside world, plus the per-architecture facts ([`isa::Arch`]);
//! - [`linux`]: the Linux personality (system calls, the process's signals and exit) and the
//!   run loop that drives a CPU.
//!
//! This crate knows nothing of instruction encodings; ISA crates know nothing of Linux.

pub mod fault;
#[cfg(target_arch = "x86_64")]
pub mod hostfp;
pub mod interrupt;
pub mod isa;
pub mod linux;
pub mod mem;

pub use interrupt::signal_pending;
pub use isa::{Access, Arch, ArchSyscall, Cpu, Exit, Registers};
pub use mem::{Errno, Fault, GuestMemory, Prot};
