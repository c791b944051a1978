//! Valid A64 encodings remu does not implement yet, in one place.
//!
//! Each entry is a class of encodings (`word & mask == value`) the decoder turns into
//! [`Inst::Illegal`](crate::Inst::Illegal) although the architecture defines them, with a
//! name for messages and sample words. The test below keeps the list honest: every sample
//! must match its class, decode to `Illegal`, and be a real instruction according to
//! capstone. Implementing one of these makes the test fail until its entry is removed;
//! the goal is an empty list.
//!
//! A class may be wider than what is unimplemented (masks cannot express every field
//! constraint), so [`lookup`] is only consulted for words the decoder rejected.

/// One class of valid but unimplemented encodings.
pub struct Unimplemented {
    pub mask: u32,
    pub value: u32,
    pub name: &'static str,
    /// Encodings of real instructions in the class (checked by the test).
    pub samples: &'static [u32],
}

const fn e(mask: u32, value: u32, name: &'static str, samples: &'static [u32]) -> Unimplemented {
    Unimplemented { mask, value, name, samples }
}

/// The list, most specific classes first ([`lookup`] returns the first match).
///
/// What is left is half-precision arithmetic (FEAT_FP16; the conversions to and from half
/// precision are implemented) and optional extensions remu does not advertise in HWCAP,
/// so programs that check HWCAP or the ID registers do not use them.
pub const UNIMPLEMENTED: &[Unimplemented] = &[
    // ---- scalar FP: FEAT_FP16 and other optional extensions ----
    e(0xffff_fc00, 0x1e7e_0000, "FJCVTZS (FEAT_JSCVT)", &[0x1e7e_026f]),
    e(0xffff_fc00, 0x1e63_4000, "BFCVT (FEAT_BF16)", &[0x1e63_4001]),
    e(0xff3e_7c00, 0x1e28_4000, "FRINT32/FRINT64 (FEAT_FRINTTS)", &[0x1e28_431f, 0x1e69_421a]),
    e(0x7fe0_0000, 0x1ee0_0000, "half-precision scalar FP (FEAT_FP16)", &[0x1ee2_2820, 0x1ee5_0883, 0x9ee2_0294]),
    e(0x7fe0_0000, 0x1ec0_0000, "half-precision fixed-point conversions (FEAT_FP16)", &[0x1ec2_9427]),
    e(0xffc0_0000, 0x1fc0_0000, "half-precision FMADD/FMSUB/FNMADD/FNMSUB (FEAT_FP16)", &[0x1fd5_1537, 0x1fe4_38fe]),
    // ---- optional crypto ----
    e(0xff00_0000, 0xce00_0000, "SHA3/SHA512/SM3/SM4 (FEAT_SHA3, FEAT_SHA512, FEAT_SM3, FEAT_SM4)", &[0xce2a_1a38, 0xce6b_8173, 0xce41_4047, 0xcec0_85a8]),
    // ---- AdvSIMD: FEAT_FP16 and other optional extensions ----
    e(0x9f20_8400, 0x0e00_8400, "three-same extra (SQRDMLAH/SQRDMLSH, SDOT/UDOT, FCMLA/FCADD, BF16, I8MM)", &[0x6e9c_8585, 0x4e98_96bc, 0x6ec0_e7d5, 0x6e42_ffff, 0x4e8e_a4e2]),
    e(0xdf20_8400, 0x5e00_8400, "scalar three-same extra (SQRDMLAH/SQRDMLSH)", &[0x7e83_8f4a]),
    e(0x9f60_dc00, 0x0e20_cc00, "FMLAL/FMLSL (FEAT_FHM)", &[0x0e28_ed5d, 0x2e20_ccd9, 0x0eab_ed57]),
    e(0xbfff_fc00, 0x0ea1_6800, "BFCVTN (FEAT_BF16)", &[0x0ea1_682b, 0x4ea1_6938]),
    e(0x9fbf_ec00, 0x0e21_e800, "FRINT32/FRINT64 vector (FEAT_FRINTTS)", &[0x6e61_e886, 0x6e21_fbe7]),
    e(0x9f60_c400, 0x0e40_0400, "half-precision vector three-same (FEAT_FP16)", &[0x4e42_1420, 0x6ed1_14d5, 0x0edd_3639]),
    e(0x9f7e_0c00, 0x0e78_0800, "half-precision vector two-register misc (FEAT_FP16)", &[0x0ef8_fbc9, 0x4e79_ca05, 0x6ef9_da5b]),
    e(0xbf7e_0c00, 0x0e30_0800, "half-precision across lanes (FEAT_FP16)", &[0x0e30_c9aa, 0x0e30_f9d4, 0x4eb0_c904]),
    e(0xdf60_c400, 0x5e40_0400, "half-precision scalar three-same (FEAT_FP16)", &[0x5e4e_24f4, 0x7e49_2f78, 0x5e51_1fb8]),
    e(0xdf7e_0c00, 0x5e78_0800, "half-precision scalar two-register misc (FEAT_FP16)", &[0x5e79_aae8, 0x5ef9_f9b6]),
    e(0xff7e_0c00, 0x5e30_0800, "half-precision scalar pairwise (FEAT_FP16)", &[0x5e30_d809, 0x5e30_c9b9, 0x5e30_fbe5]),
    e(0x9ff0_e400, 0x0f10_e400, "half-precision fixed-point conversions, vector (FEAT_FP16)", &[0x0f10_fe98, 0x6f1e_ff16, 0x0f1b_e64e]),
    e(0xdff0_e400, 0x5f10_e400, "half-precision fixed-point conversions, scalar (FEAT_FP16)", &[0x5f1a_fd03, 0x7f16_fe62, 0x5f15_e615]),
    e(0x9ff8_fc00, 0x0f00_fc00, "FMOV (vector, immediate, half precision) (FEAT_FP16)", &[0x4f00_ff7a]),
    e(0x9f00_0400, 0x0f00_0000, "by element (half precision, SDOT/UDOT, SQRDMLAH/SQRDMLSH, FMLAL, FCMLA, BF16)", &[0x0f15_1306, 0x4f95_e0d2, 0x2f72_d976, 0x4f90_0ba4, 0x6f5a_586e]),
    e(0xdf00_0400, 0x5f00_0000, "scalar by element (half precision, SQRDMLAH/SQRDMLSH)", &[0x5f1a_1ae0, 0x7fad_d26a]),
];

/// The name of the unimplemented class `word` belongs to, if any. Only meaningful for
/// words the decoder rejected.
pub fn lookup(word: u32) -> Option<&'static str> {
    UNIMPLEMENTED.iter().find(|u| word & u.mask == u.value).map(|u| u.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{decode, Inst};
    use capstone::arch::arm64::ArchMode;
    use capstone::prelude::*;

    #[test]
    fn the_list_is_honest() {
        let cs = Capstone::new().arm64().mode(ArchMode::Arm).build().unwrap();
        let mut bad = Vec::new();
        for u in UNIMPLEMENTED {
            assert!(!u.samples.is_empty(), "{}: no samples", u.name);
            for &w in u.samples {
                if w & u.mask != u.value {
                    bad.push(format!("{}: sample {w:08x} is not in the class", u.name));
                }
                if lookup(w) != Some(u.name) {
                    bad.push(format!("{}: sample {w:08x} is named {:?} by an earlier entry", u.name, lookup(w)));
                }
                if !matches!(decode(w), Inst::Illegal { .. }) {
                    bad.push(format!("{}: {w:08x} decodes as `{}`: implemented, remove it from the list", u.name, crate::disasm::disassemble(w, 0)));
                }
                match cs.disasm_count(&w.to_le_bytes(), 0, 1) {
                    Ok(insns) if insns.len() == 1 => {}
                    _ => bad.push(format!("{}: {w:08x} is not an instruction according to capstone", u.name)),
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

#[cfg(test)]
mod coverage_tests {
    use super::*;
    use crate::{decode, Inst};
    use capstone::arch::arm64::ArchMode;
    use capstone::prelude::*;

    /// Every word of the FP and AdvSIMD encoding space (op0 = x111) that capstone knows and
    /// our decoder rejects must be listed: nothing valid is missing silently.
    #[test]
    fn fp_simd_gaps_are_listed() {
        let cs = Capstone::new().arm64().mode(ArchMode::Arm).build().unwrap();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut bad = std::collections::BTreeMap::new();
        for _ in 0..1_000_000 {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            let w = (x.wrapping_mul(0x2545_f491_4f6c_dd1d) as u32) | 0x0e00_0000;
            if !matches!(decode(w), Inst::Illegal { .. }) || lookup(w).is_some() {
                continue;
            }
            if let Ok(insns) = cs.disasm_count(&w.to_le_bytes(), 0, 1) {
                if let Some(i) = insns.iter().next() {
                    bad.entry(i.mnemonic().unwrap_or("").to_string()).or_insert(w);
                }
            }
        }
        let list: Vec<String> = bad.iter().map(|(m, w)| format!("{m} ({w:08x})")).collect();
        assert!(list.is_empty(), "valid, rejected and not listed: {}", list.join(", "));
    }
}

#[cfg(test)]
mod message_tests {
    use crate::interp::describe_word;

    #[test]
    fn illegal_messages_name_unimplemented_classes() {
        // FADD h0, h1, h2 (half-precision arithmetic).
        assert_eq!(describe_word(0x1ee2_2820, 0), "half-precision scalar FP (FEAT_FP16): valid but not implemented in remu");
        // An unallocated word is just the raw word.
        assert_eq!(describe_word(0x0000_0000, 0), ".inst 0x00000000");
        assert_eq!(describe_word(0xd503_201f, 0), "nop");
    }
}
