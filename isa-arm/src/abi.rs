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
    pub const AES: u64 = 1 << 3;
    pub const PMULL: u64 = 1 << 4;
    pub const SHA1: u64 = 1 << 5;
    pub const SHA2: u64 = 1 << 6;
    pub const CRC32: u64 = 1 << 7;
    pub const ATOMICS: u64 = 1 << 8;
    pub const LRCPC: u64 = 1 << 15;
    pub const ILRCPC: u64 = 1 << 26;
    pub const FLAGM: u64 = 1 << 27;
}

/// AT_HWCAP2 bits.
pub mod hwcap2 {
    pub const FLAGM2: u64 = 1 << 7;
}

/// What remu implements: FP, AdvSIMD, the AES/PMULL/SHA1/SHA2 crypto instructions, CRC32,
/// LSE atomics, LDAPR and LDAPUR/STLUR, the flag manipulation instructions (CFINV, RMIF,
/// SETF8/16; XAFLAG/AXFLAG in HWCAP2). Not CPUID: MRS of the ID registers is answered,
/// but glibc would then pick cores' tuned routines by MIDR.
pub const HWCAP: u64 = hwcap::FP
    | hwcap::ASIMD
    | hwcap::AES
    | hwcap::PMULL
    | hwcap::SHA1
    | hwcap::SHA2
    | hwcap::CRC32
    | hwcap::ATOMICS
    | hwcap::LRCPC
    | hwcap::ILRCPC
    | hwcap::FLAGM;

/// AT_HWCAP2: FEAT_FlagM2.
pub const HWCAP2: u64 = hwcap2::FLAGM2;

fn new_cpu(entry: u64) -> Box<dyn Cpu> {
    Box::new(ArmCpu::new(entry))
}

/// The aarch64 architecture (A64 with FP, AdvSIMD, LSE; Linux ABI).
pub static AARCH64: Arch = Arch {
    name: "aarch64",
    elf_machine: EM_AARCH64,
    hwcap: HWCAP,
    hwcap2: HWCAP2,
    platform: Some("aarch64"),
    address_bits: 40,
    extra_syscalls: &[(38, ArchSyscall::Renameat)],
    hwprobe: &[],
    new_cpu,
};
