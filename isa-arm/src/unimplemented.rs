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
pub const UNIMPLEMENTED: &[Unimplemented] = &[
    // ---- loads and stores ----
    e(0x3fa0_8000, 0x0880_0000, "LDLAR/STLLR (LORegions)", &[0x88df_7c20, 0xc89f_7c20]),
    // ---- system ----
    e(0xfff8_f01f, 0xd500_401f, "MSR (immediate, PSTATE field)", &[0xd503_42df, 0xd500_41bf]),
    // ---- scalar FP ----
    e(0x7f20_0000, 0x1e00_0000, "SCVTF/UCVTF/FCVTZS/FCVTZU (fixed-point)", &[0x1e02_f420, 0x9e58_d820]),
    e(0x7fe0_0000, 0x1ee0_0000, "half-precision scalar FP", &[0x1ee2_2820, 0x1ee5_0883]),
    // ---- crypto ----
    e(0xffff_cc00, 0x4e28_4800, "AESE/AESD/AESMC/AESIMC", &[0x4e28_4820, 0x4e28_7820]),
    e(0xffe0_8c00, 0x5e00_0000, "SHA1/SHA256 (three registers)", &[0x5e02_0020, 0x5e02_4020]),
    e(0xffff_cc00, 0x5e28_0800, "SHA1H/SHA1SU1/SHA256SU0", &[0x5e28_0820, 0x5e28_2820]),
    e(0xbf20_fc00, 0x0e20_e000, "PMULL/PMULL2", &[0x0e22_e020, 0x4ee2_e020]),
    // ---- AdvSIMD vector ----
    e(0x9f20_fc00, 0x0e20_4c00, "SQSHL/UQSHL (vector, register)", &[0x4ea2_4c20]),
    e(0x9f20_f400, 0x0e20_5400, "SRSHL/URSHL/SQRSHL/UQRSHL (vector)", &[0x6e62_5420, 0x4e22_5c20]),
    // MUL/MLA/MLS/FMUL/FMLA/FMLS and the widening SMULL/UMULL/SMLAL/UMLAL/SMLSL/UMLSL by
    // element are implemented; the rest of the class is not.
    e(0x9f00_0400, 0x0f00_0000, "by element (SQDMULH/SQRDMULH/SQDMULL/FMULX/SDOT/half precision ...)", &[0x4fa2_c020, 0x6fa2_9020, 0x4f12_1020]),
    e(0xbf20_9c00, 0x0e20_9000, "SQDMULL/SQDMLAL/SQDMLSL", &[0x0e62_d020, 0x0e62_9020]),
    e(0x9f3f_bc00, 0x0e20_3800, "SQABS/SQNEG/SUQADD/USQADD", &[0x4ea0_7820, 0x4ea0_3820]),
    e(0x9fbf_ec00, 0x0e21_6800, "FCVTN/FCVTL/FCVTXN (vector)", &[0x0e21_6820, 0x0e61_7820, 0x2e61_6820]),
    e(0x9f3f_ec00, 0x0e21_8800, "FRINT* (vector)", &[0x4e21_8820, 0x4e61_9820, 0x4ea1_9820]),
    e(0x9f3f_fc00, 0x0e21_a800, "FCVTNS/FCVTNU/FCVTPS/FCVTPU (vector)", &[0x4e21_a820, 0x4ee1_a820]),
    e(0x9fbf_fc00, 0x0e21_b800, "FCVTMS/FCVTMU (vector)", &[0x4e21_b820]),
    e(0x9fbf_fc00, 0x0e21_c800, "FCVTAS/FCVTAU (vector)", &[0x6e21_c820]),
    e(0x9fbf_ec00, 0x0ea1_c800, "URECPE/URSQRTE/FRECPE/FRSQRTE (vector)", &[0x4ea1_c820, 0x4ea1_d820, 0x6ea1_d820, 0x6ea1_c820]),
    e(0x9fe0_c400, 0x0e40_0400, "half-precision vector FP", &[0x4e42_1420]),
    // ---- AdvSIMD scalar (the decoder has only ADDP, DUP and the int/FP conversions) ----
    e(0xdf20_0400, 0x5e20_0400, "AdvSIMD scalar three-same", &[0x5ee2_8420, 0x5ea2_0c20, 0x7ea2_d420]),
    e(0xdf3e_0c00, 0x5e20_0800, "AdvSIMD scalar two-register misc", &[0x5ee0_9820]),
    e(0xdf80_0400, 0x5f00_0400, "AdvSIMD scalar shift by immediate", &[0x5f0d_9420]),
    e(0xdf00_0400, 0x5f00_0000, "AdvSIMD scalar by element", &[0x5fa2_9020, 0x5fa2_c020]),
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
mod message_tests {
    use crate::interp::describe_word;

    #[test]
    fn illegal_messages_name_unimplemented_classes() {
        // AESE v0.16b, v1.16b.
        assert_eq!(describe_word(0x4e28_4820, 0), "AESE/AESD/AESMC/AESIMC: valid but not implemented in remu");
        // An unallocated word is just the raw word.
        assert_eq!(describe_word(0x0000_0000, 0), ".inst 0x00000000");
        assert_eq!(describe_word(0xd503_201f, 0), "nop");
    }
}
