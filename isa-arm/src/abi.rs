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
    pub const FPHP: u64 = 1 << 9;
    pub const ASIMDHP: u64 = 1 << 10;
    pub const ASIMDRDM: u64 = 1 << 12;
    pub const JSCVT: u64 = 1 << 13;
    pub const FCMA: u64 = 1 << 14;
    pub const LRCPC: u64 = 1 << 15;
    pub const DCPOP: u64 = 1 << 16;
    pub const SHA3: u64 = 1 << 17;
    pub const SM3: u64 = 1 << 18;
    pub const SM4: u64 = 1 << 19;
    pub const ASIMDDP: u64 = 1 << 20;
    pub const SHA512: u64 = 1 << 21;
    pub const ASIMDFHM: u64 = 1 << 23;
    pub const ILRCPC: u64 = 1 << 26;
    pub const FLAGM: u64 = 1 << 27;
}

/// AT_HWCAP2 bits.
pub mod hwcap2 {
    pub const FLAGM2: u64 = 1 << 7;
    pub const FRINT: u64 = 1 << 8;
    pub const I8MM: u64 = 1 << 13;
    pub const BF16: u64 = 1 << 14;
}

/// What remu implements: FP and AdvSIMD with half precision (FPHP, ASIMDHP), the AES/PMULL,
/// SHA1, SHA2, SHA3, SHA512, SM3 and SM4 crypto instructions, CRC32, LSE atomics, SQRDMLAH
/// (ASIMDRDM), FJCVTZS (JSCVT), FCMLA/FCADD (FCMA), LDAPR and LDAPUR/STLUR (LRCPC,
/// ILRCPC), DC CVAP (DCPOP), SDOT/UDOT (ASIMDDP), FMLAL (ASIMDFHM), the flag manipulation
/// instructions (CFINV, RMIF, SETF8/16; XAFLAG/AXFLAG in HWCAP2), and in HWCAP2 FRINT32/64
/// (FRINT), the int8 matrix multiplies (I8MM) and BFloat16 (BF16). Not CPUID: MRS of the
/// ID registers is answered, but glibc would then pick cores' tuned routines by MIDR.
pub const HWCAP: u64 = hwcap::FP
    | hwcap::ASIMD
    | hwcap::AES
    | hwcap::PMULL
    | hwcap::SHA1
    | hwcap::SHA2
    | hwcap::CRC32
    | hwcap::ATOMICS
    | hwcap::FPHP
    | hwcap::ASIMDHP
    | hwcap::ASIMDRDM
    | hwcap::JSCVT
    | hwcap::FCMA
    | hwcap::LRCPC
    | hwcap::DCPOP
    | hwcap::SHA3
    | hwcap::SM3
    | hwcap::SM4
    | hwcap::ASIMDDP
    | hwcap::SHA512
    | hwcap::ASIMDFHM
    | hwcap::ILRCPC
    | hwcap::FLAGM;

/// AT_HWCAP2: FEAT_FlagM2, FEAT_FRINTTS, FEAT_I8MM, FEAT_BF16.
pub const HWCAP2: u64 = hwcap2::FLAGM2 | hwcap2::FRINT | hwcap2::I8MM | hwcap2::BF16;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insn::sysreg;
    use crate::{decode, Inst};

    /// For every HWCAP (`false`) and HWCAP2 (`true`) bit: instructions it promises.
    const PROMISES: &[(bool, u64, &str, &[u32])] = &[
        (false, hwcap::FP, "fadd d0, d1, d2", &[0x1e62_2820]),
        (false, hwcap::ASIMD, "add v0.4s, v1.4s, v2.4s", &[0x4ea2_8420]),
        (false, hwcap::AES, "aese, aesmc", &[0x4e28_4820, 0x4e28_6820]),
        (false, hwcap::PMULL, "pmull v0.1q, v1.1d, v2.1d", &[0x0ee2_e020]),
        (false, hwcap::SHA1, "sha1c, sha1h", &[0x5e02_0020, 0x5e28_0820]),
        (false, hwcap::SHA2, "sha256h, sha256su0", &[0x5e02_4020, 0x5e28_2820]),
        (false, hwcap::CRC32, "crc32b, crc32cx", &[0x1ac2_4020, 0x9ac2_5c20]),
        (false, hwcap::ATOMICS, "ldadd, casal", &[0xf822_0020, 0xc8e2_fc20]),
        (false, hwcap::FPHP, "fadd h0, h1, h2; fmadd h; fcvtzs w, h", &[0x1ee2_2820, 0x1fc2_0c20, 0x1ef8_0020]),
        (false, hwcap::ASIMDHP, "fadd v0.8h; fmla v.8h by element; fmaxv h", &[0x4e42_1420, 0x4f12_1020, 0x4e30_f820]),
        (false, hwcap::ASIMDRDM, "sqrdmlah v0.4s; sqrdmlsh s0", &[0x6e82_8420, 0x7e82_8c20]),
        (false, hwcap::JSCVT, "fjcvtzs w0, d1", &[0x1e7e_0020]),
        (false, hwcap::FCMA, "fcmla, fcadd", &[0x6e82_c420, 0x6e82_e420]),
        (false, hwcap::LRCPC, "ldapr x0, [x1]", &[0xf8bf_c020]),
        (false, hwcap::DCPOP, "dc cvap, x0", &[0xd50b_7c20]),
        (false, hwcap::SHA3, "eor3, bcax, rax1, xar", &[0xce02_0c20, 0xce22_0c20, 0xce62_8c20, 0xce82_0c20]),
        (false, hwcap::SM3, "sm3ss1, sm3tt1a, sm3partw1", &[0xce42_0c20, 0xce42_8020, 0xce62_c020]),
        (false, hwcap::SM4, "sm4e, sm4ekey", &[0xcec0_8420, 0xce62_c820]),
        (false, hwcap::ASIMDDP, "sdot, udot by element", &[0x4e82_9420, 0x6f82_e020]),
        (false, hwcap::SHA512, "sha512h, sha512su0", &[0xce62_8020, 0xcec0_8020]),
        (false, hwcap::ASIMDFHM, "fmlal, fmlsl2 by element", &[0x4e22_ec20, 0x6f82_c020]),
        (false, hwcap::ILRCPC, "ldapur, stlur", &[0xd940_0020, 0xd900_0020]),
        (false, hwcap::FLAGM, "cfinv, rmif, setf8", &[0xd500_401f, 0xba00_0420, 0x3a00_082d]),
        (true, hwcap2::FLAGM2, "xaflag, axflag", &[0xd500_403f, 0xd500_405f]),
        (true, hwcap2::FRINT, "frint32z s, frint64x v.2d", &[0x1e28_4020, 0x6e61_f820]),
        (true, hwcap2::I8MM, "smmla, usdot, sudot", &[0x4e82_a420, 0x4e82_9c20, 0x4f02_f020]),
        (true, hwcap2::BF16, "bfcvt, bfcvtn, bfdot, bfmmla, bfmlalb", &[0x1e63_4020, 0x0ea1_6820, 0x2e42_fc20, 0x6e42_ec20, 0x2ec2_fc20]),
    ];

    #[test]
    fn every_advertised_bit_is_implemented() {
        for (two, bits) in [(false, HWCAP), (true, HWCAP2)] {
            for b in 0..64 {
                let bit = 1u64 << b;
                if bits & bit == 0 {
                    continue;
                }
                let p = PROMISES.iter().find(|p| p.0 == two && p.1 == bit);
                let p = p.unwrap_or_else(|| panic!("HWCAP{} bit {b} is advertised but no test says what it promises", if two { "2" } else { "" }));
                for &w in p.3 {
                    assert!(!matches!(decode(w), Inst::Illegal { .. }), "{}: {w:08x} does not decode", p.2);
                }
            }
        }
        // And nothing in the table is left unadvertised.
        for p in PROMISES {
            let bits = if p.0 { HWCAP2 } else { HWCAP };
            assert!(bits & p.1 != 0, "{} is implemented but not advertised", p.2);
        }
    }

    #[test]
    fn id_registers_agree_with_hwcap() {
        let id = |crm: u16, op2: u16| crate::interp::id_reg((1 << 14) | (crm << 3) | op2);
        let field = |v: u64, lo: u32| (v >> lo) & 0xf;
        let (pfr0, isar0, isar1) = (id(4, 0), id(6, 0), id(6, 1));
        assert!(sysreg::is_id_aa64((1 << 14) | (6 << 3)));
        // FP and AdvSIMD with half precision.
        assert_eq!((field(pfr0, 16), field(pfr0, 20)), (1, 1));
        let want0 = [(4, 2), (8, 1), (12, 2), (16, 1), (20, 2), (28, 1), (32, 1), (36, 1), (40, 1), (44, 1), (48, 1), (52, 2)];
        for (lo, v) in want0 {
            assert_eq!(field(isar0, lo), v, "ID_AA64ISAR0_EL1 bits {lo}+");
        }
        let want1 = [(0, 1), (12, 1), (16, 1), (20, 2), (32, 1), (44, 1), (52, 1)];
        for (lo, v) in want1 {
            assert_eq!(field(isar1, lo), v, "ID_AA64ISAR1_EL1 bits {lo}+");
        }
    }
}
