//! AArch64 (A64 with FP, AdvSIMD and LSE atomics) for remu.
//!
//! - [`insn`]: the typed instruction [`Inst`] everything else matches on;
//! - [`decode`]: the one decoder, instruction word to `Inst`;
//! - `disasm`: `Display` for `Inst`, in capstone's syntax;
//! - [`interp`]: guest state, the block-caching interpreter and the `Cpu` impl;
//!   `simd`, `advsimd`, `ext`: its AdvSIMD half (`ext`: dot products, matrix multiplies,
//!   BFloat16, FHM and complex arithmetic); `fp`: the FP instructions on [`fpu`], the
//!   software IEEE unit (half, single, double, BFloat16); `crypto`: AES, SHA1-3, SHA512,
//!   SM3, SM4;
//! - [`unimplemented`](mod@unimplemented): the valid encodings not implemented yet, kept honest by a test;
//! - [`abi`]: aarch64 facts for the loader and the Linux layer ([`AARCH64`]).
//!
//! This crate knows nothing of Linux: a CPU returns an exit (system call, fault, illegal
//! instruction) and the Linux layer in `remu-core` acts on it.

pub mod abi;
pub mod decode;
pub mod disasm;
pub mod insn;
pub mod interp;
pub mod unimplemented;
mod advsimd;
mod crypto;
mod ext;
mod fp;
pub mod fpu;
mod simd;

pub use abi::AARCH64;
pub use decode::decode;
pub use insn::Inst;
pub use interp::{ArmCpu, State};
