//! RISC-V (RV64GC with Zba/Zbb/Zbs) for remu.
//!
//! - [`insn`]: the typed instruction [`Inst`] everything else matches on;
//! - [`decode`]: the one decoder, 32-bit and compressed forms into the same `Inst`;
//! - `disasm`: `Display` for `Inst`, in capstone's syntax;
//! - [`interp`]: guest state, the block-caching interpreter and the `Cpu` impl;
//! - [`abi`]: riscv64 facts for the loader and the Linux layer ([`RISCV64`]).
//!
//! This crate knows nothing of Linux: a CPU returns an exit (system call, fault, illegal
//! instruction) and the Linux layer in `remu-core` acts on it.

pub mod abi;
pub mod decode;
pub mod disasm;
pub mod fpu;
pub mod insn;
pub mod interp;

pub use abi::RISCV64;
pub use decode::{decode, decode32, decode_compressed};
pub use insn::Inst;
pub use interp::{RiscvCpu, State};
