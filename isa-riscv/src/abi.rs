//! riscv64 facts for the loader and the Linux layer: the [`RISCV64`] architecture value
//! (ELF machine, AT_HWCAP, `riscv_hwprobe` answers) and register names.

use remu_core::{Arch, ArchSyscall, Cpu};

use crate::interp::RiscvCpu;

/// ELF `e_machine` for RISC-V.
pub const EM_RISCV: u16 = 243;

/// AT_HWCAP: one bit per single-letter extension (bit = letter - 'A').
const fn letter(c: u8) -> u64 {
    1 << (c - b'A')
}
pub const HWCAP: u64 = letter(b'I') | letter(b'M') | letter(b'A') | letter(b'F') | letter(b'D') | letter(b'C');

/// `riscv_hwprobe` keys and values (Linux `asm/hwprobe.h`).
pub mod hwprobe {
    pub const KEY_MVENDORID: i64 = 0;
    pub const KEY_MARCHID: i64 = 1;
    pub const KEY_MIMPID: i64 = 2;
    pub const KEY_BASE_BEHAVIOR: i64 = 3;
    pub const BASE_BEHAVIOR_IMA: u64 = 1 << 0;
    pub const KEY_IMA_EXT_0: i64 = 4;
    pub const IMA_FD: u64 = 1 << 0;
    pub const IMA_C: u64 = 1 << 1;
    pub const EXT_ZBA: u64 = 1 << 3;
    pub const EXT_ZBB: u64 = 1 << 4;
    pub const EXT_ZBS: u64 = 1 << 5;
    pub const KEY_CPUPERF_0: i64 = 5;
    pub const MISALIGNED_FAST: u64 = 3;
}

static HWPROBE: [(i64, u64); 6] = [
    (hwprobe::KEY_MVENDORID, 0),
    (hwprobe::KEY_MARCHID, 0),
    (hwprobe::KEY_MIMPID, 0),
    (hwprobe::KEY_BASE_BEHAVIOR, hwprobe::BASE_BEHAVIOR_IMA),
    (hwprobe::KEY_IMA_EXT_0, hwprobe::IMA_FD | hwprobe::IMA_C | hwprobe::EXT_ZBA | hwprobe::EXT_ZBB | hwprobe::EXT_ZBS),
    // Misaligned accesses are plain host accesses: as fast as aligned ones.
    (hwprobe::KEY_CPUPERF_0, hwprobe::MISALIGNED_FAST),
];

fn new_cpu(entry: u64) -> Box<dyn Cpu> {
    Box::new(RiscvCpu::new(entry))
}

/// The riscv64 architecture (RV64GC + Zba/Zbb/Zbs, Linux ABI).
pub static RISCV64: Arch = Arch {
    name: "riscv64",
    elf_machine: EM_RISCV,
    hwcap: HWCAP,
    hwcap2: 0,
    platform: Some("riscv64"),
    address_bits: 38,
    extra_syscalls: &[(258, ArchSyscall::RiscvHwprobe), (259, ArchSyscall::RiscvFlushIcache)],
    hwprobe: &HWPROBE,
    new_cpu,
};

/// ABI names of x0..x31.
pub const XREG_NAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
    "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
];

/// ABI names of f0..f31.
pub const FREG_NAMES: [&str; 32] = [
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10",
    "ft11",
];
