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

#[allow(dead_code)] // for entries, when there are any
const fn e(mask: u32, value: u32, name: &'static str, samples: &'static [u32]) -> Unimplemented {
    Unimplemented { mask, value, name, samples }
}

/// The list, most specific classes first ([`lookup`] returns the first match).
///
/// Empty: every A64 encoding capstone knows in the FP and AdvSIMD space is implemented
/// (FEAT_FP16, RDM, DotProd, FHM, FCMA, JSCVT, FRINTTS, BF16, I8MM, SHA3, SHA512, SM3 and
/// SM4 included); `coverage_tests` below checks that on a million random words.
pub const UNIMPLEMENTED: &[Unimplemented] = &[];

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
        // A listed class is named as such (the list is empty now: check the mechanism on
        // every entry there is, and that implemented and unallocated words are not named).
        for u in super::UNIMPLEMENTED {
            assert!(describe_word(u.samples[0], 0).starts_with(u.name));
        }
        // FADD h0, h1, h2 (half-precision arithmetic, once listed) disassembles now.
        assert_eq!(describe_word(0x1ee2_2820, 0), "fadd h0, h1, h2");
        // An unallocated word is just the raw word.
        assert_eq!(describe_word(0x0000_0000, 0), ".inst 0x00000000");
        assert_eq!(describe_word(0xd503_201f, 0), "nop");
    }
}
