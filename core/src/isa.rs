//! The boundary between an instruction set and the rest of remu.
//!
//! A CPU runs guest code until something needs the outside world and returns an [`Exit`]
//! saying why; the Linux layer acts on it and resumes the CPU.

use crate::mem::GuestMemory;

/// The kind of memory access that faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    Execute,
}

/// Why a CPU stopped running guest code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The guest made a system call; [`Cpu::syscall_args`] has its number and arguments and
    /// the pc already points past the instruction.
    Syscall,
    /// A guest memory access failed (unmapped, or not permitted). The pc is the faulting
    /// instruction's.
    Fault { addr: u64, access: Access },
    /// The bytes at pc are not an instruction this CPU implements. `raw` holds them
    /// (`len` bytes, little-endian).
    Illegal { raw: u32, len: u8 },
    /// A host SIGBUS on guest memory (e.g. beyond the end of a mapped file).
    BusError { addr: u64 },
    /// A breakpoint instruction (RISC-V `ebreak`, AArch64 `brk`); pc is the instruction's.
    Breakpoint,
    /// A signal is waiting for this thread ([`crate::signal_pending`]); the CPU stopped at
    /// an instruction boundary, the pc is the next instruction's.
    Interrupted,
    /// The code cache was flushed by the guest (`fence.i`, `ic ivau`); informational for
    /// the run loop, which simply resumes.
    CodeFlushed,
}

/// The user-visible registers of a guest CPU in one shape for every ISA: what signal frames
/// save and restore (and what a debugger or a tracer reads).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registers {
    pub pc: u64,
    /// Integer registers: riscv64 x0..x31; aarch64 x0..x30, then SP in slot 31.
    pub x: [u64; 32],
    /// FP/SIMD registers: riscv64 f0..f31 in the low 64 bits; aarch64 v0..v31.
    pub v: [u128; 32],
    /// riscv64 fcsr (frm << 5 | fflags); aarch64 FPCR.
    pub fp_control: u64,
    /// aarch64 FPSR; 0 on riscv64.
    pub fp_status: u64,
    /// aarch64 PSTATE with NZCV in bits 31..28; 0 on riscv64.
    pub flags: u64,
}

/// A guest CPU: registers plus whatever the ISA caches (decoded blocks).
pub trait Cpu: Send {
    /// Runs guest code until an exit.
    fn run(&mut self, mem: &GuestMemory) -> Exit;
    /// The system call number and its six arguments, as the ABI passes them.
    fn syscall_args(&self) -> (u64, [u64; 6]);
    /// Sets the system call's return value as the ABI returns it.
    fn set_syscall_result(&mut self, value: u64);
    fn pc(&self) -> u64;
    fn set_pc(&mut self, pc: u64);
    /// A copy of the user-visible registers.
    fn registers(&self) -> Registers;
    /// Replaces the user-visible registers (a signal handler's entry or return); drops any
    /// LR/SC or exclusive-monitor reservation, as an exception return does.
    fn set_registers(&mut self, r: &Registers);
    /// The stack pointer.
    fn sp(&self) -> u64;
    /// Sets the stack pointer.
    fn set_sp(&mut self, sp: u64);
    /// Sets the thread pointer (TLS register).
    fn set_tls(&mut self, tp: u64);
    /// Drops cached translations of guest code in `[start, end)`.
    fn flush_code(&mut self, start: u64, end: u64);
    /// Disassembles the instruction at `pc` for error messages ("addi a0, a0, 1"); None when
    /// it cannot be read.
    fn disassemble_at(&self, mem: &GuestMemory, pc: u64) -> Option<String>;
    /// Guest instructions retired so far (for `--count-insns` and the benchmarks' MIPS).
    fn instructions_retired(&self) -> u64 {
        0
    }
    /// A copy of this CPU for a new thread or a forked child.
    fn boxed_clone(&self) -> Box<dyn Cpu>;
}

/// Facts about one guest architecture that the loader and the Linux layer need.
#[derive(Debug)]
pub struct Arch {
    /// The name users type after `--arch` and that `uname -m` reports ("riscv64").
    pub name: &'static str,
    /// ELF `e_machine`.
    pub elf_machine: u16,
    /// AT_HWCAP in the auxiliary vector.
    pub hwcap: u64,
    /// AT_HWCAP2.
    pub hwcap2: u64,
    /// AT_PLATFORM string, if the kernel sends one for this arch.
    pub platform: Option<&'static str>,
    /// Guest virtual address space size in bits; the host reserves 2^bits bytes.
    pub address_bits: u32,
    /// System calls this architecture has beyond the asm-generic set, by number.
    pub extra_syscalls: &'static [(u64, ArchSyscall)],
    /// `riscv_hwprobe` answers: (key, value) pairs; empty on other architectures.
    pub hwprobe: &'static [(i64, u64)],
    /// Creates a CPU that starts at `entry` with all registers zero.
    pub new_cpu: fn(entry: u64) -> Box<dyn Cpu>,
}

/// Architecture-specific system calls the shared Linux layer implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchSyscall {
    RiscvHwprobe,
    RiscvFlushIcache,
    /// `renameat(olddirfd, oldpath, newdirfd, newpath)`: aarch64 keeps it (38); riscv64 has
    /// only renameat2.
    Renameat,
}
