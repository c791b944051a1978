//! aarch64 facts for the loader and the Linux layer: the [`AARCH64`] architecture value
//! (ELF machine, AT_HWCAP) and register names.

use remu_core::{Arch, ArchSyscall, Cpu};

use crate::interp::ArmCpu;

/// ELF `e_machine` for AArch64.
pub const EM_AARCH64: u16 = 183;

/// AT_HWCAP bits (Linux `arch/arm64/include/uapi/asm/hwcap.h`).
pub mod hwcap {
    pub const FP: u64 = 1 << 0;
    pub const ASIMD: u64 = 1 << 1;
    pub const CRC32: u64 = 1 << 7;
    pub const ATOMICS: u64 = 1 << 8;
    pub const LRCPC: u64 = 1 << 15;
    pub const ILRCPC: u64 = 1 << 26;
}

/// What remu implements: FP, AdvSIMD, CRC32, LSE atomics, LDAPR and LDAPUR/STLUR. Not
/// CPUID: MRS of the ID registers is answered, but glibc would then pick cores' tuned
/// routines by MIDR.
pub const HWCAP: u64 = hwcap::FP | hwcap::ASIMD | hwcap::CRC32 | hwcap::ATOMICS | hwcap::LRCPC | hwcap::ILRCPC;

fn new_cpu(entry: u64) -> Box<dyn Cpu> {
    Box::new(ArmCpu::new(entry))
}

/// The aarch64 architecture (A64 with FP, AdvSIMD, LSE; Linux ABI).
pub static AARCH64: Arch = Arch {
    name: "aarch64",
    elf_machine: EM_AARCH64,
    hwcap: HWCAP,
    hwcap2: 0,
    platform: Some("aarch64"),
    address_bits: 40,
    extra_syscalls: &[(38, ArchSyscall::Renameat)],
    hwprobe: &[],
    new_cpu,
};
