//! The A64 decoder: one function from a 32-bit instruction word to [`Inst`], used by every
//! consumer (interpreter, disassembler, tests). Follows the top-level grouping of the Arm
//! ARM's A64 encoding index. Never panics: anything unallocated or not implemented is
//! [`Inst::Illegal`].

use crate::insn::*;

#[inline]
fn bits(w: u32, hi: u32, lo: u32) -> u32 {
    (w >> lo) & ((1u32 << (hi - lo + 1)) - 1)
}
#[inline]
fn bit(w: u32, b: u32) -> bool {
    (w >> b) & 1 != 0
}
#[inline]
fn sext(v: u32, width: u32) -> i64 {
    let shift = 64 - width;
    (((v as u64) << shift) as i64) >> shift
}
fn r(w: u32, lo: u32) -> Reg {
    Reg(bits(w, lo + 4, lo) as u8)
}
fn v(w: u32, lo: u32) -> VReg {
    VReg(bits(w, lo + 4, lo) as u8)
}

/// Decodes one A64 instruction.
pub fn decode(w: u32) -> Inst {
    let op0 = bits(w, 28, 25);
    let d = match op0 {
        0b1000 | 0b1001 => dp_imm(w),
        0b1010 | 0b1011 => branch_sys(w),
        0b0100 | 0b0110 | 0b1100 | 0b1110 => ldst(w),
        0b0101 | 0b1101 => dp_reg(w),
        0b0111 | 0b1111 => simd_fp(w),
        _ => None,
    };
    d.unwrap_or(Inst::Illegal { raw: w })
}

/// DecodeBitMasks(N, imms, immr, immediate = TRUE) for a `width`-bit operation: the
/// `wmask`, or None when the encoding is reserved.
pub fn bitmask_imm(n: u32, imms: u32, immr: u32, width: u32) -> Option<u64> {
    let combined = (n << 6) | (!imms & 0x3f);
    if combined == 0 {
        return None;
    }
    let len = 31 - combined.leading_zeros();
    if len < 1 || (1u32 << len) > width {
        return None;
    }
    let levels = (1u32 << len) - 1;
    let s = imms & levels;
    let rot = immr & levels;
    if s == levels {
        return None;
    }
    let esize = 1u32 << len;
    let welem: u64 = (1u64 << (s + 1)) - 1;
    let emask: u64 = if esize == 64 { u64::MAX } else { (1u64 << esize) - 1 };
    let rotated = if rot == 0 { welem } else { ((welem >> rot) | (welem << (esize - rot))) & emask };
    let mut out = 0u64;
    let mut i = 0;
    while i < width {
        out |= rotated << i;
        i += esize;
    }
    if width == 32 {
        out &= 0xffff_ffff;
    }
    Some(out)
}

fn dp_imm(w: u32) -> Option<Inst> {
    let sf = bit(w, 31);
    let rd = r(w, 0);
    let rn = r(w, 5);
    match bits(w, 25, 23) {
        0b000 | 0b001 => {
            let page = bit(w, 31);
            let imm = (bits(w, 23, 5) << 2) | bits(w, 30, 29);
            let off = sext(imm, 21);
            Some(Inst::Adr { page, rd, offset: if page { off << 12 } else { off } })
        }
        0b010 => {
            let shift12 = bit(w, 22);
            let imm = (bits(w, 21, 10) as u64) << if shift12 { 12 } else { 0 };
            Some(Inst::AddSubImm { sf, sub: bit(w, 30), flags: bit(w, 29), rd, rn, imm, shift12 })
        }
        0b100 => {
            let n = bits(w, 22, 22);
            if !sf && n == 1 {
                return None;
            }
            let imm = bitmask_imm(n, bits(w, 15, 10), bits(w, 21, 16), if sf { 64 } else { 32 })?;
            let op = [LogicOp::And, LogicOp::Orr, LogicOp::Eor, LogicOp::Ands][bits(w, 30, 29) as usize];
            Some(Inst::LogicImm { sf, op, rd, rn, imm })
        }
        0b101 => {
            let hw = bits(w, 22, 21);
            if !sf && hw >= 2 {
                return None;
            }
            let op = match bits(w, 30, 29) {
                0 => MovOp::N,
                2 => MovOp::Z,
                3 => MovOp::K,
                _ => return None,
            };
            Some(Inst::MovWide { sf, op, rd, imm16: bits(w, 20, 5) as u16, shift: (hw * 16) as u8 })
        }
        0b110 => {
            let n = bit(w, 22);
            let (immr, imms) = (bits(w, 21, 16), bits(w, 15, 10));
            if n != sf || (!sf && (immr >= 32 || imms >= 32)) {
                return None;
            }
            let op = match bits(w, 30, 29) {
                0 => BfOp::Sbfm,
                1 => BfOp::Bfm,
                2 => BfOp::Ubfm,
                _ => return None,
            };
            Some(Inst::Bitfield { sf, op, rd, rn, immr: immr as u8, imms: imms as u8 })
        }
        0b111 => {
            let lsb = bits(w, 15, 10);
            if bits(w, 30, 29) != 0 || bit(w, 21) || bit(w, 22) != sf || (!sf && lsb >= 32) {
                return None;
            }
            Some(Inst::Extr { sf, rd, rn, rm: r(w, 16), lsb: lsb as u8 })
        }
        _ => None,
    }
}

fn branch_sys(w: u32) -> Option<Inst> {
    if bits(w, 30, 26) == 0b00101 {
        return Some(Inst::B { link: bit(w, 31), offset: sext(bits(w, 25, 0), 26) << 2 });
    }
    if bits(w, 30, 25) == 0b011010 {
        return Some(Inst::Cbz { sf: bit(w, 31), nz: bit(w, 24), rt: r(w, 0), offset: sext(bits(w, 23, 5), 19) << 2 });
    }
    if bits(w, 30, 25) == 0b011011 {
        let b = (bits(w, 31, 31) << 5) | bits(w, 23, 19);
        return Some(Inst::Tbz { nz: bit(w, 24), rt: r(w, 0), bit: b as u8, offset: sext(bits(w, 18, 5), 14) << 2 });
    }
    if bits(w, 31, 24) == 0b0101_0100 {
        if bit(w, 4) {
            return None;
        }
        return Some(Inst::BCond { cond: Cond(bits(w, 3, 0) as u8), offset: sext(bits(w, 23, 5), 19) << 2 });
    }
    if bits(w, 31, 24) == 0b1101_0100 {
        let imm = bits(w, 20, 5) as u16;
        return match (bits(w, 23, 21), bits(w, 4, 2), bits(w, 1, 0)) {
            (0b000, 0, 0b01) => Some(Inst::Svc { imm }),
            (0b001, 0, 0b00) => Some(Inst::Brk { imm }),
            _ => None,
        };
    }
    if bits(w, 31, 22) == 0b11_0101_0100 {
        return system(w);
    }
    if bits(w, 31, 25) == 0b1101011 {
        if bits(w, 20, 16) != 0b11111 || bits(w, 15, 10) != 0 || bits(w, 4, 0) != 0 {
            return None;
        }
        let kind = match bits(w, 24, 21) {
            0 => BrKind::Br,
            1 => BrKind::Blr,
            2 => BrKind::Ret,
            _ => return None,
        };
        return Some(Inst::Br { kind, rn: r(w, 5) });
    }
    None
}

fn system(w: u32) -> Option<Inst> {
    let l = bit(w, 21);
    let op0 = bits(w, 20, 19);
    let op1 = bits(w, 18, 16);
    let crn = bits(w, 15, 12);
    let crm = bits(w, 11, 8);
    let op2 = bits(w, 7, 5);
    let rt = r(w, 0);
    match (l, op0) {
        (false, 0) if crn == 0b0100 => {
            // MSR (immediate): only the flag manipulations are EL0-executable here.
            if rt.0 != 31 || op1 != 0 || crm != 0 {
                return None;
            }
            let op = match op2 {
                0 => FlagOp::Cfinv,
                1 => FlagOp::Xaflag,
                2 => FlagOp::Axflag,
                _ => return None,
            };
            Some(Inst::FlagOp { op })
        }
        (false, 0) => {
            if rt.0 != 31 || op1 != 0b011 {
                return None;
            }
            match crn {
                0b0010 => Some(Inst::Hint { imm: ((crm << 3) | op2) as u8 }),
                0b0011 => {
                    let kind = match op2 {
                        0b010 => Barrier::Clrex,
                        0b100 => Barrier::Dsb,
                        0b101 => Barrier::Dmb,
                        0b110 => Barrier::Isb,
                        _ => return None,
                    };
                    // DSB with CRm = 0 is SSBB/PSSBB space handled the same (a barrier).
                    Some(Inst::Barrier { kind, crm: crm as u8 })
                }
                _ => None,
            }
        }
        // SYS: only the cache maintenance operations EL0 may execute.
        (false, 1) => match (op1, crn, crm, op2) {
            (3, 7, 4, 1) | (3, 7, 5, 1) | (3, 7, 11, 1) | (3, 7, 10, 1) | (3, 7, 14, 1) | (3, 7, 12, 1) => {
                Some(Inst::Sys { op1: op1 as u8, crn: crn as u8, crm: crm as u8, op2: op2 as u8, rt })
            }
            _ => None,
        },
        (_, 2) | (_, 3) => {
            let reg = bits(w, 19, 5) as u16 & 0x7fff;
            if l {
                Some(Inst::Mrs { rt, reg })
            } else {
                Some(Inst::Msr { rt, reg })
            }
        }
        _ => None,
    }
}

fn extend(opt: u32) -> Extend {
    [
        Extend::Uxtb,
        Extend::Uxth,
        Extend::Uxtw,
        Extend::Uxtx,
        Extend::Sxtb,
        Extend::Sxth,
        Extend::Sxtw,
        Extend::Sxtx,
    ][opt as usize & 7]
}

fn ldst(w: u32) -> Option<Inst> {
    let vbit = bit(w, 26);
    let rt = r(w, 0);
    let rn = r(w, 5);
    // AdvSIMD structure loads/stores.
    if bits(w, 31, 31) == 0 && bits(w, 29, 24) == 0b001100 && vbit {
        return simd_ldst_multi(w);
    }
    if bits(w, 31, 31) == 0 && bits(w, 29, 24) == 0b001101 && vbit {
        return simd_ldst_single(w);
    }
    // LDAPUR/STLUR: size 011001 opc 0 imm9 00 Rn Rt.
    if bits(w, 29, 24) == 0b011001 && !bit(w, 21) && bits(w, 11, 10) == 0 {
        let size = bits(w, 31, 30);
        let kind = match (bits(w, 23, 22), size) {
            (0, _) => MemKind::Str,
            (1, _) => MemKind::Ldr,
            (2, 0..=2) => MemKind::Ldrs { x64: true },
            (3, 0..=1) => MemKind::Ldrs { x64: false },
            _ => return None,
        };
        return Some(Inst::MemRcpc { kind, size: 1 << size, rt, rn, imm: sext(bits(w, 20, 12), 9) });
    }
    match bits(w, 29, 27) {
        0b001 if !vbit && bits(w, 25, 24) == 0 => excl(w),
        0b011 if bits(w, 25, 24) == 0 => {
            let offset = sext(bits(w, 23, 5), 19) << 2;
            let addr = Addr::Literal { offset };
            let (kind, size) = match (bits(w, 31, 30), vbit) {
                (0, false) => (MemKind::Ldr, 4),
                (1, false) => (MemKind::Ldr, 8),
                (2, false) => (MemKind::Ldrs { x64: true }, 4),
                (3, false) => (MemKind::Prfm, 8),
                (0, true) => (MemKind::LdrV, 4),
                (1, true) => (MemKind::LdrV, 8),
                (2, true) => (MemKind::LdrV, 16),
                _ => return None,
            };
            Some(Inst::Mem { kind, size, rt, addr })
        }
        0b101 => {
            let opc = bits(w, 31, 30);
            let load = bit(w, 22);
            let mode = bits(w, 24, 23);
            let (size, signed) = match (opc, vbit) {
                (0, false) => (4, false),
                (1, false) if load && mode != 0 => (4, true),
                (2, false) => (8, false),
                (0, true) => (4, false),
                (1, true) => (8, false),
                (2, true) => (16, false),
                _ => return None,
            };
            let imm = sext(bits(w, 21, 15), 7) * size as i64;
            let addr = match mode {
                0 | 2 => Addr::Offset { rn, imm, unscaled: false },
                1 => Addr::Post { rn, imm },
                _ => Addr::Pre { rn, imm },
            };
            let rt2 = r(w, 10);
            // CONSTRAINED UNPREDICTABLE cases treated as unallocated (as capstone does):
            // loading the same register twice, and writeback into a transferred register.
            if load && rt == rt2 || wb_overlap(&addr, rt, Some(rt2), !vbit) {
                return None;
            }
            Some(Inst::Pair { load, fp: vbit, signed, nt: mode == 0, size, rt, rt2, addr })
        }
        0b111 => {
            let size = bits(w, 31, 30);
            let opc = bits(w, 23, 22);
            if bits(w, 25, 24) == 0 && bit(w, 21) && bits(w, 11, 10) == 0 {
                return if vbit { None } else { atomic(w) };
            }
            let (kind, bytes) = mem_kind(size, opc, vbit)?;
            match bits(w, 25, 24) {
                0b01 => {
                    let imm = bits(w, 21, 10) as i64 * bytes as i64;
                    Some(Inst::Mem { kind, size: bytes, rt, addr: Addr::Offset { rn, imm, unscaled: false } })
                }
                0b00 if !bit(w, 21) => {
                    let imm = sext(bits(w, 20, 12), 9);
                    let addr = match bits(w, 11, 10) {
                        0b00 => Addr::Offset { rn, imm, unscaled: true },
                        0b01 => Addr::Post { rn, imm },
                        0b11 => Addr::Pre { rn, imm },
                        // Unprivileged (LDTR/STTR): EL0 accesses are already unprivileged.
                        _ => {
                            if vbit || kind == MemKind::Prfm {
                                return None;
                            }
                            Addr::Unpriv { rn, imm }
                        }
                    };
                    if wb_overlap(&addr, rt, None, kind != MemKind::StrV && kind != MemKind::LdrV) {
                        return None;
                    }
                    if kind == MemKind::Prfm && !matches!(addr, Addr::Offset { .. }) {
                        return None;
                    }
                    Some(Inst::Mem { kind, size: bytes, rt, addr })
                }
                0b00 if bits(w, 11, 10) == 0b10 => {
                    let opt = bits(w, 15, 13);
                    if opt & 2 == 0 {
                        return None;
                    }
                    let addr = Addr::RegOff { rn, rm: r(w, 16), ext: extend(opt), shift: bit(w, 12) };
                    Some(Inst::Mem { kind, size: bytes, rt, addr })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Size and kind of a single-register load/store from size:opc:V.
fn mem_kind(size: u32, opc: u32, vbit: bool) -> Option<(MemKind, u8)> {
    let bytes = 1u8 << size;
    if vbit {
        return match (size, opc) {
            (_, 0) => Some((MemKind::StrV, bytes)),
            (_, 1) => Some((MemKind::LdrV, bytes)),
            (0, 2) => Some((MemKind::StrV, 16)),
            (0, 3) => Some((MemKind::LdrV, 16)),
            _ => None,
        };
    }
    match (size, opc) {
        (_, 0) => Some((MemKind::Str, bytes)),
        (_, 1) => Some((MemKind::Ldr, bytes)),
        (3, 2) => Some((MemKind::Prfm, 8)),
        (0..=2, 2) => Some((MemKind::Ldrs { x64: true }, bytes)),
        (0..=1, 3) => Some((MemKind::Ldrs { x64: false }, bytes)),
        _ => None,
    }
}

/// Whether a writeback addressing mode writes a base register that is also transferred.
fn wb_overlap(addr: &Addr, rt: Reg, rt2: Option<Reg>, gpr: bool) -> bool {
    match *addr {
        Addr::Pre { rn, .. } | Addr::Post { rn, .. } => gpr && rn.0 != 31 && (rn == rt || Some(rn) == rt2),
        _ => false,
    }
}

fn excl(w: u32) -> Option<Inst> {
    let size = bits(w, 31, 30);
    let o2 = bit(w, 23);
    let l = bit(w, 22);
    let o1 = bit(w, 21);
    let o0 = bit(w, 15);
    let rs = r(w, 16);
    let rt2 = r(w, 10);
    let rn = r(w, 5);
    let rt = r(w, 0);
    let bytes = 1u8 << size;
    // Fields the encoding requires to be all ones (Rs of loads and ordered stores, Rt2
    // of single-register forms).
    let rs_ones = rs.0 == 31;
    let rt2_ones = rt2.0 == 31;
    match (o2, o1) {
        (false, false) => {
            if !rt2_ones || (l && !rs_ones) {
                return None;
            }
            Some(Inst::Excl { load: l, excl: true, pair: false, acq: l && o0, rel: !l && o0, lo: false, size: bytes, rs, rt, rt2, rn })
        }
        (false, true) => {
            if size < 2 {
                // CASP (sz = size<0>): registers in even pairs, Rt2 all ones.
                if !rt2_ones || rs.0 & 1 == 1 || rt.0 & 1 == 1 {
                    return None;
                }
                return Some(Inst::Casp { size: 4 << size, acq: l, rel: o0, rs, rt, rn });
            }
            if l && (!rs_ones || rt == rt2) {
                return None;
            }
            Some(Inst::Excl { load: l, excl: true, pair: true, acq: l && o0, rel: !l && o0, lo: false, size: bytes, rs, rt, rt2, rn })
        }
        (true, false) => {
            // LDAR/STLR (o0 = 1); LDLAR/STLLR (o0 = 0, LORegions).
            if !rs_ones || !rt2_ones {
                return None;
            }
            Some(Inst::Excl { load: l, excl: false, pair: false, acq: l, rel: !l, lo: !o0, size: bytes, rs, rt, rt2, rn })
        }
        (true, true) => {
            if rt2.0 != 31 {
                return None;
            }
            Some(Inst::Cas { size: bytes, acq: l, rel: o0, rs, rt, rn })
        }
    }
}

fn atomic(w: u32) -> Option<Inst> {
    let size = 1u8 << bits(w, 31, 30);
    let acq = bit(w, 23);
    let rel = bit(w, 22);
    let rs = r(w, 16);
    let rt = r(w, 0);
    let rn = r(w, 5);
    let o3 = bit(w, 15);
    let opc = bits(w, 14, 12);
    let op = match (o3, opc) {
        (false, 0) => AtomicOp::Add,
        (false, 1) => AtomicOp::Clr,
        (false, 2) => AtomicOp::Eor,
        (false, 3) => AtomicOp::Set,
        (false, 4) => AtomicOp::Smax,
        (false, 5) => AtomicOp::Smin,
        (false, 6) => AtomicOp::Umax,
        (false, 7) => AtomicOp::Umin,
        (true, 0) => AtomicOp::Swp,
        (true, 4) if acq && !rel && rs.0 == 31 && size >= 1 => return Some(Inst::Ldapr { size, rt, rn }),
        _ => return None,
    };
    Some(Inst::Atomic { op, size, acq, rel, rs, rt, rn })
}

fn dp_reg(w: u32) -> Option<Inst> {
    let sf = bit(w, 31);
    let rd = r(w, 0);
    let rn = r(w, 5);
    let rm = r(w, 16);
    let op = bit(w, 30);
    let s = bit(w, 29);
    let imm6 = bits(w, 15, 10);
    let shift = [Shift::Lsl, Shift::Lsr, Shift::Asr, Shift::Ror][bits(w, 23, 22) as usize];
    if bits(w, 28, 24) == 0b01010 {
        if !sf && imm6 >= 32 {
            return None;
        }
        let lop = [LogicOp::And, LogicOp::Orr, LogicOp::Eor, LogicOp::Ands][bits(w, 30, 29) as usize];
        return Some(Inst::LogicShift { sf, op: lop, not: bit(w, 21), rd, rn, rm, shift, amount: imm6 as u8 });
    }
    if bits(w, 28, 24) == 0b01011 {
        if !bit(w, 21) {
            if shift == Shift::Ror || (!sf && imm6 >= 32) {
                return None;
            }
            return Some(Inst::AddSubShift { sf, sub: op, flags: s, rd, rn, rm, shift, amount: imm6 as u8 });
        }
        let amount = bits(w, 12, 10);
        if bits(w, 23, 22) != 0 || amount > 4 {
            return None;
        }
        return Some(Inst::AddSubExt { sf, sub: op, flags: s, rd, rn, rm, ext: extend(bits(w, 15, 13)), amount: amount as u8 });
    }
    if bits(w, 28, 24) == 0b11011 {
        let o0 = bit(w, 15);
        let ra = r(w, 10);
        if bits(w, 30, 29) != 0 {
            return None;
        }
        return match (bits(w, 23, 21), sf) {
            (0b000, _) => Some(Inst::MulAdd { sf, sub: o0, rd, rn, rm, ra }),
            (0b001, true) => Some(Inst::MulAddLong { signed: true, sub: o0, rd, rn, rm, ra }),
            (0b101, true) => Some(Inst::MulAddLong { signed: false, sub: o0, rd, rn, rm, ra }),
            (0b010, true) if !o0 => Some(Inst::MulHigh { signed: true, rd, rn, rm }),
            (0b110, true) if !o0 => Some(Inst::MulHigh { signed: false, rd, rn, rm }),
            _ => None,
        };
    }
    if bits(w, 28, 24) != 0b11010 {
        return None;
    }
    match bits(w, 23, 21) {
        0b000 if imm6 == 0 => Some(Inst::AddSubCarry { sf, sub: op, flags: s, rd, rn, rm }),
        0b000 if bits(w, 14, 10) == 0b00001 && sf && !op && s && !bit(w, 4) => {
            Some(Inst::Rmif { rn, shift: bits(w, 20, 15) as u8, mask: bits(w, 3, 0) as u8 })
        }
        0b000 if bits(w, 13, 10) == 0b0010 && !sf && !op && s && bits(w, 20, 15) == 0 && bits(w, 4, 0) == 0b01101 => {
            Some(Inst::Setf { sixteen: bit(w, 14), rn })
        }
        0b010 => {
            if !s || bit(w, 10) || bit(w, 4) {
                return None;
            }
            let imm = if bit(w, 11) { Some(bits(w, 20, 16) as u8) } else { None };
            Some(Inst::CondCmp { sf, neg: !op, rn, rm, imm, nzcv: bits(w, 3, 0) as u8, cond: Cond(bits(w, 15, 12) as u8) })
        }
        0b100 => {
            if s || bit(w, 11) {
                return None;
            }
            let sop = match (op, bit(w, 10)) {
                (false, false) => SelOp::Csel,
                (false, true) => SelOp::Csinc,
                (true, false) => SelOp::Csinv,
                (true, true) => SelOp::Csneg,
            };
            Some(Inst::CondSel { sf, op: sop, rd, rn, rm, cond: Cond(bits(w, 15, 12) as u8) })
        }
        0b110 if !op => {
            if s {
                return None;
            }
            match imm6 {
                0b000010 => Some(Inst::Div { sf, signed: false, rd, rn, rm }),
                0b000011 => Some(Inst::Div { sf, signed: true, rd, rn, rm }),
                0b010000..=0b010111 => {
                    let sz = imm6 & 3;
                    if sf != (sz == 3) {
                        return None;
                    }
                    Some(Inst::Crc32 { c: imm6 & 4 != 0, size: 1 << sz, rd, rn, rm })
                }
                0b001000..=0b001011 => Some(Inst::ShiftVar { sf, shift: [Shift::Lsl, Shift::Lsr, Shift::Asr, Shift::Ror][(imm6 & 3) as usize], rd, rn, rm }),
                _ => None,
            }
        }
        0b110 => {
            if s || bits(w, 20, 16) != 0 {
                return None;
            }
            let uop = match (imm6, sf) {
                (0, _) => UnaryOp::Rbit,
                (1, _) => UnaryOp::Rev16,
                (2, false) => UnaryOp::Rev,
                (2, true) => UnaryOp::Rev32,
                (3, true) => UnaryOp::Rev,
                (4, _) => UnaryOp::Clz,
                (5, _) => UnaryOp::Cls,
                _ => return None,
            };
            Some(Inst::Unary { sf, op: uop, rd, rn })
        }
        _ => None,
    }
}

fn fty(t: u32) -> Option<FTy> {
    match t {
        0 => Some(FTy::S),
        1 => Some(FTy::D),
        3 => Some(FTy::H),
        _ => None,
    }
}

/// VFPExpandImm: the 8-bit FMOV immediate in format `ty`.
pub fn fp_imm(imm8: u32, ty: FTy) -> u64 {
    let (e, f) = match ty {
        FTy::H => (5, 10),
        FTy::S => (8, 23),
        FTy::D => (11, 52),
    };
    let a = (imm8 >> 7) as u64 & 1;
    let b = (imm8 >> 6) as u64 & 1;
    let cd = (imm8 >> 4) as u64 & 3;
    let efgh = imm8 as u64 & 0xf;
    // exp = NOT(b) : Replicate(b, E-3) : cd
    let rep = if b == 1 { (1u64 << (e - 3)) - 1 } else { 0 };
    let exp = ((b ^ 1) << (e - 1)) | (rep << 2) | cd;
    (a << (e + f)) | (exp << f) | (efgh << (f - 4))
}

fn simd_fp(w: u32) -> Option<Inst> {
    if bits(w, 31, 24) == 0xce {
        return crypto_ext(w);
    }
    if bits(w, 30, 24) == 0b001_1110 && bit(w, 21) {
        return fp_scalar(w);
    }
    if bits(w, 30, 24) == 0b001_1110 && !bit(w, 21) && !bit(w, 29) {
        // Conversions between FP and fixed-point.
        let sf = bit(w, 31);
        let scale = bits(w, 15, 10);
        let ty = fty(bits(w, 23, 22))?;
        if !sf && scale < 32 {
            return None;
        }
        let fbits = (64 - scale) as u8;
        let (rd, rn) = (bits(w, 4, 0) as u8, bits(w, 9, 5) as u8);
        return match bits(w, 20, 16) {
            0b00010 => Some(Inst::FixedToFp { signed: true, sf, ty, fbits, rd: VReg(rd), rn: Reg(rn) }),
            0b00011 => Some(Inst::FixedToFp { signed: false, sf, ty, fbits, rd: VReg(rd), rn: Reg(rn) }),
            0b11000 => Some(Inst::FpToFixed { signed: true, sf, ty, fbits, rd: Reg(rd), rn: VReg(rn) }),
            0b11001 => Some(Inst::FpToFixed { signed: false, sf, ty, fbits, rd: Reg(rd), rn: VReg(rn) }),
            _ => None,
        };
    }
    if bits(w, 31, 24) == 0b0001_1111 {
        let ty = fty(bits(w, 23, 22))?;
        let op = match (bit(w, 21), bit(w, 15)) {
            (false, false) => FmaOp::Madd,
            (false, true) => FmaOp::Msub,
            (true, false) => FmaOp::Nmadd,
            (true, true) => FmaOp::Nmsub,
        };
        return Some(Inst::Fma { op, ty, rd: v(w, 0), rn: v(w, 5), rm: v(w, 16), ra: v(w, 10) });
    }
    if bit(w, 31) {
        return None;
    }
    if bits(w, 31, 30) == 0b01 && bits(w, 28, 24) == 0b11110 {
        return simd_scalar(w);
    }
    if bits(w, 31, 30) == 0b01 && bits(w, 28, 23) == 0b111110 && bit(w, 10) {
        return scalar_shift(w);
    }
    if bits(w, 31, 30) == 0b01 && bits(w, 28, 24) == 0b11111 && !bit(w, 10) {
        return scalar_elem(w);
    }
    if bits(w, 28, 24) == 0b01110 {
        return simd_vec(w);
    }
    if bits(w, 28, 24) == 0b01111 && !bit(w, 10) {
        return vec_elem(w);
    }
    if bits(w, 28, 23) == 0b011110 {
        return simd_imm_or_shift(w);
    }
    None
}

/// AdvSIMD vector x indexed element: 0 Q U 01111 size L M Rm opcode H 0 Rn Rd.
fn vec_elem(w: u32) -> Option<Inst> {
    let q = bit(w, 30);
    let u = bit(w, 29);
    let size = bits(w, 23, 22) as u8;
    let (h, l, m) = (bits(w, 11, 11), bits(w, 21, 21), bits(w, 20, 20));
    let long = match (u, bits(w, 15, 12)) {
        (_, 0b1010) => Some(VLongOp::Mull),
        (_, 0b0010) => Some(VLongOp::Mlal),
        (_, 0b0110) => Some(VLongOp::Mlsl),
        (false, 0b0011) => Some(VLongOp::Sqdmlal),
        (false, 0b0111) => Some(VLongOp::Sqdmlsl),
        (false, 0b1011) => Some(VLongOp::Sqdmull),
        _ => None,
    };
    if let Some(op) = long {
        let (size, index, rm) = match size {
            1 => (1, (h << 2) | (l << 1) | m, bits(w, 19, 16)),
            2 => (2, (h << 1) | l, bits(w, 20, 16)),
            _ => return None,
        };
        return Some(Inst::VLongElem { op, signed: !u, q, size, index: index as u8, rd: v(w, 0), rn: v(w, 5), rm: VReg(rm as u8) });
    }
    let (rd, rn) = (v(w, 0), v(w, 5));
    let rm4 = VReg(bits(w, 19, 16) as u8);
    let hlm = ((h << 2) | (l << 1) | m) as u8;
    let hl = ((h << 1) | l) as u8;
    match (u, bits(w, 15, 12), size) {
        (_, 0b0000, 2) | (_, 0b0100, 2) if !u => {
            return Some(Inst::Fmlal { sub: bits(w, 15, 12) == 0b0100, upper: false, q, index: Some(hlm), rd, rn, rm: rm4 });
        }
        (true, 0b1000, 2) | (true, 0b1100, 2) => {
            return Some(Inst::Fmlal { sub: bits(w, 15, 12) == 0b1100, upper: true, q, index: Some(hlm), rd, rn, rm: rm4 });
        }
        (_, 0b1110, 2) => {
            let kind = if u { DotKind::Udot } else { DotKind::Sdot };
            return Some(Inst::Dot { kind, q, index: Some(hl), rd, rn, rm: v(w, 16) });
        }
        (false, 0b1111, _) => {
            let kind = match size {
                0 => DotKind::Sudot,
                1 => DotKind::Bfdot,
                2 => DotKind::Usdot,
                _ => return Some(Inst::Bfmlal { top: q, index: Some(hlm), rd, rn, rm: rm4 }),
            };
            return Some(Inst::Dot { kind, q, index: Some(hl), rd, rn, rm: v(w, 16) });
        }
        (true, 0b0001 | 0b0011 | 0b0101 | 0b0111, 1 | 2) => {
            // FCMLA (by element): a complex pair of Rm.
            let rot = bits(w, 14, 13) as u8;
            let index = if size == 1 {
                if h == 1 && !q {
                    return None;
                }
                hl
            } else {
                if l == 1 || !q {
                    return None;
                }
                h as u8
            };
            return Some(Inst::Fcmla { q, size, rot, index: Some(index), rd, rn, rm: v(w, 16) });
        }
        _ => {}
    }
    let op = match (u, bits(w, 15, 12)) {
        (true, 0b1101) => VElemOp::Sqrdmlah,
        (true, 0b1111) => VElemOp::Sqrdmlsh,
        (false, 0b1000) => VElemOp::Mul,
        (true, 0b0000) => VElemOp::Mla,
        (true, 0b0100) => VElemOp::Mls,
        (false, 0b1001) => VElemOp::Fmul,
        (false, 0b0001) => VElemOp::Fmla,
        (false, 0b0101) => VElemOp::Fmls,
        (true, 0b1001) => VElemOp::Fmulx,
        (false, 0b1100) => VElemOp::Sqdmulh,
        (false, 0b1101) => VElemOp::Sqrdmulh,
        _ => return None,
    };
    let fp = matches!(op, VElemOp::Fmul | VElemOp::Fmla | VElemOp::Fmls | VElemOp::Fmulx);
    let (size, index, rm) = match (fp, size) {
        (true, 0) => (1, (h << 2) | (l << 1) | m, bits(w, 19, 16)),
        (false, 1) => (1, (h << 2) | (l << 1) | m, bits(w, 19, 16)),
        (false, 2) | (true, 2) => (2, (h << 1) | l, bits(w, 20, 16)),
        (true, 3) if l == 0 && q => (3, h, bits(w, 20, 16)),
        _ => return None,
    };
    Some(Inst::VElem { op, q, size, index: index as u8, rd: v(w, 0), rn: v(w, 5), rm: VReg(rm as u8) })
}

fn fp_scalar(w: u32) -> Option<Inst> {
    let ftype = bits(w, 23, 22);
    let rd = v(w, 0);
    let rn = v(w, 5);
    let rm = v(w, 16);
    if bits(w, 15, 10) == 0 {
        // Conversions between FP and integer.
        let sf = bit(w, 31);
        let rmode = bits(w, 20, 19);
        let opcode = bits(w, 18, 16);
        if bit(w, 29) {
            return None;
        }
        if (sf, ftype, rmode, opcode) == (false, 1, 3, 6) {
            return Some(Inst::Fjcvtzs { rd: r(w, 0), rn });
        }
        if opcode == 6 || opcode == 7 {
            let to_fp = opcode == 7;
            return match (sf, ftype, rmode) {
                (_, 3, 0) => Some(Inst::FMovGen { to_fp, sf, ty: FTy::H, top: false, rd: rd.0, rn: rn.0 }),
                (false, 0, 0) => Some(Inst::FMovGen { to_fp, sf, ty: FTy::S, top: false, rd: rd.0, rn: rn.0 }),
                (true, 1, 0) => Some(Inst::FMovGen { to_fp, sf, ty: FTy::D, top: false, rd: rd.0, rn: rn.0 }),
                (true, 2, 1) => Some(Inst::FMovGen { to_fp, sf, ty: FTy::D, top: true, rd: rd.0, rn: rn.0 }),
                _ => None,
            };
        }
        let ty = fty(ftype)?;
        let round = match (rmode, opcode >> 1) {
            (0, 0) => Round::Nearest,
            (0, 1) => {
                return Some(Inst::IntToFp { signed: opcode & 1 == 0, sf, ty, rd, rn: r(w, 5) });
            }
            (0, 2) => Round::Away,
            (1, 0) => Round::Plus,
            (2, 0) => Round::Minus,
            (3, 0) => Round::Zero,
            _ => return None,
        };
        return Some(Inst::FpToInt { round, signed: opcode & 1 == 0, sf, ty, rd: r(w, 0), rn });
    }
    if bit(w, 31) || bit(w, 29) {
        return None;
    }
    if bits(w, 14, 10) == 0b10000 {
        let opcode = bits(w, 20, 15);
        if ftype == 3 && (opcode == 4 || opcode == 5) {
            // FCVT from half.
            let to = if opcode == 4 { FTy::S } else { FTy::D };
            return Some(Inst::FCvt { from: FTy::H, to, rd, rn });
        }
        if ftype == 1 && opcode == 6 {
            return Some(Inst::Bfcvt { rd, rn });
        }
        let ty = fty(ftype)?;
        let op = match opcode {
            16..=19 if ty != FTy::H => {
                let exact = opcode & 1 == 1;
                if opcode < 18 {
                    FOp1::Rint32 { exact }
                } else {
                    FOp1::Rint64 { exact }
                }
            }
            0 => FOp1::Mov,
            1 => FOp1::Abs,
            2 => FOp1::Neg,
            3 => FOp1::Sqrt,
            4 | 5 | 7 => {
                let to = [FTy::S, FTy::D, FTy::H, FTy::H][(opcode - 4) as usize];
                if to == ty {
                    return None;
                }
                return Some(Inst::FCvt { from: ty, to, rd, rn });
            }
            8 => FOp1::Rint(Round::Nearest),
            9 => FOp1::Rint(Round::Plus),
            10 => FOp1::Rint(Round::Minus),
            11 => FOp1::Rint(Round::Zero),
            12 => FOp1::Rint(Round::Away),
            14 => FOp1::Rint(Round::Exact),
            15 => FOp1::Rint(Round::Current),
            _ => return None,
        };
        return Some(Inst::FOp1 { op, ty, rd, rn });
    }
    let ty = fty(ftype)?;
    if bits(w, 13, 10) == 0b1000 {
        if bits(w, 15, 14) != 0 || bits(w, 2, 0) != 0 {
            return None;
        }
        let zero = bit(w, 3);
        return Some(Inst::FCmp { ty, rn, rm, zero, signal: bit(w, 4) });
    }
    if bits(w, 12, 10) == 0b100 {
        if bits(w, 9, 5) != 0 {
            return None;
        }
        return Some(Inst::FMovImm { ty, rd, imm: fp_imm(bits(w, 20, 13), ty) });
    }
    let cond = Cond(bits(w, 15, 12) as u8);
    match bits(w, 11, 10) {
        0b01 => Some(Inst::FCondCmp { ty, rn, rm, nzcv: bits(w, 3, 0) as u8, cond, signal: bit(w, 4) }),
        0b10 => {
            let op = match bits(w, 15, 12) {
                0 => FOp2::Mul,
                1 => FOp2::Div,
                2 => FOp2::Add,
                3 => FOp2::Sub,
                4 => FOp2::Max,
                5 => FOp2::Min,
                6 => FOp2::MaxNm,
                7 => FOp2::MinNm,
                8 => FOp2::Nmul,
                _ => return None,
            };
            Some(Inst::FOp2 { op, ty, rd, rn, rm })
        }
        0b11 => Some(Inst::FCsel { ty, rd, rn, rm, cond }),
        _ => None,
    }
}

/// Scalar AdvSIMD (bits 31:30 = 01, 28:24 = 11110): three-same, three-different,
/// two-register misc, pairwise, copy; and the SHA instructions that share the space.
fn simd_scalar(w: u32) -> Option<Inst> {
    let u = bit(w, 29);
    let size = bits(w, 23, 22) as u8;
    let (rd, rn, rm) = (v(w, 0), v(w, 5), v(w, 16));
    if !u && bits(w, 23, 21) == 0 && bits(w, 15, 15) == 0 && bits(w, 11, 10) == 0 {
        let op = match bits(w, 14, 12) {
            0 => ShaOp::Sha1c,
            1 => ShaOp::Sha1p,
            2 => ShaOp::Sha1m,
            3 => ShaOp::Sha1su0,
            4 => ShaOp::Sha256h,
            5 => ShaOp::Sha256h2,
            6 => ShaOp::Sha256su1,
            _ => return None,
        };
        return Some(Inst::Sha { op, rd, rn, rm });
    }
    if !u && bits(w, 23, 17) == 0b0010100 && bits(w, 11, 10) == 0b10 {
        let op = match bits(w, 16, 12) {
            0 => ShaOp::Sha1h,
            1 => ShaOp::Sha1su1,
            2 => ShaOp::Sha256su0,
            _ => return None,
        };
        return Some(Inst::Sha { op, rd, rn, rm: VReg(0) });
    }
    // DUP (element, scalar), preferred as `mov d0, v1.d[1]`.
    if !u && bits(w, 23, 21) == 0 && bits(w, 15, 10) == 0b000001 {
        let imm5 = bits(w, 20, 16);
        if imm5 & 0xf == 0 {
            return None;
        }
        let size = imm5.trailing_zeros() as u8;
        return Some(Inst::DupScalar { size, index: (imm5 >> (size + 1)) as u8, rd, rn });
    }
    if !bit(w, 21) && bit(w, 15) && bit(w, 10) {
        // Scalar three-same extra: SQRDMLAH/SQRDMLSH (FEAT_RDM).
        let op = match (u, bits(w, 14, 11)) {
            (true, 0b0000) => VOp3::Sqrdmlah,
            (true, 0b0001) => VOp3::Sqrdmlsh,
            _ => return None,
        };
        return (size == 1 || size == 2).then_some(Inst::S3 { op, size, rd, rn, rm });
    }
    if !bit(w, 21) && bit(w, 22) && bits(w, 15, 14) == 0 && bit(w, 10) {
        // Half-precision scalar three-same (FEAT_FP16).
        let op = fp_three_same(u, size >> 1, 0b11000 | bits(w, 13, 11))?;
        let ok = matches!(
            op,
            VOp3::Fmulx | VOp3::Fcmeq | VOp3::Frecps | VOp3::Frsqrts | VOp3::Fcmge | VOp3::Facge | VOp3::Fabd | VOp3::Fcmgt | VOp3::Facgt
        );
        return ok.then_some(Inst::S3 { op, size: 1, rd, rn, rm });
    }
    if !bit(w, 21) {
        return None;
    }
    if bits(w, 11, 10) == 0b10 && bits(w, 22, 17) == 0b111100 {
        // Half-precision scalar two-register misc.
        let (op, size) = two_misc_op_fp(u, bits(w, 16, 12), size & 2, true, true)?;
        return Some(Inst::S2 { op, size, rd, rn });
    }
    if bits(w, 11, 10) == 0b10 && bits(w, 20, 17) == 0b1000 && !u && size & 1 == 0 {
        // Half-precision scalar pairwise.
        let op = match (bits(w, 16, 12), size >> 1) {
            (0b01100, 0) => VOp3::Fmaxnmp,
            (0b01100, _) => VOp3::Fminnmp,
            (0b01101, 0) => VOp3::Faddp,
            (0b01111, 0) => VOp3::Fmaxp,
            (0b01111, _) => VOp3::Fminp,
            _ => return None,
        };
        return Some(Inst::SPair { op, size: 1, rd, rn });
    }
    if bit(w, 10) {
        // Three-same.
        let opcode = bits(w, 15, 11);
        if opcode >= 0b11000 {
            let op = fp_three_same(u, size >> 1, opcode)?;
            let ok = matches!(
                op,
                VOp3::Fmulx | VOp3::Fcmeq | VOp3::Frecps | VOp3::Frsqrts | VOp3::Fcmge | VOp3::Facge | VOp3::Fabd | VOp3::Fcmgt | VOp3::Facgt
            );
            return ok.then_some(Inst::S3 { op, size: 2 + (size & 1), rd, rn, rm });
        }
        let op = match (u, opcode) {
            (false, 0b00001) => VOp3::Sqadd,
            (true, 0b00001) => VOp3::Uqadd,
            (false, 0b00101) => VOp3::Sqsub,
            (true, 0b00101) => VOp3::Uqsub,
            (false, 0b01001) => VOp3::Sqshl,
            (true, 0b01001) => VOp3::Uqshl,
            (false, 0b01011) => VOp3::Sqrshl,
            (true, 0b01011) => VOp3::Uqrshl,
            (false, 0b10110) if size == 1 || size == 2 => VOp3::Sqdmulh,
            (true, 0b10110) if size == 1 || size == 2 => VOp3::Sqrdmulh,
            (false, 0b00110) if size == 3 => VOp3::Cmgt,
            (false, 0b00111) if size == 3 => VOp3::Cmge,
            (false, 0b01000) if size == 3 => VOp3::Sshl,
            (false, 0b01010) if size == 3 => VOp3::Srshl,
            (false, 0b10000) if size == 3 => VOp3::Add,
            (false, 0b10001) if size == 3 => VOp3::Cmtst,
            (true, 0b00110) if size == 3 => VOp3::Cmhi,
            (true, 0b00111) if size == 3 => VOp3::Cmhs,
            (true, 0b01000) if size == 3 => VOp3::Ushl,
            (true, 0b01010) if size == 3 => VOp3::Urshl,
            (true, 0b10000) if size == 3 => VOp3::Sub,
            (true, 0b10001) if size == 3 => VOp3::Cmeq,
            _ => return None,
        };
        return Some(Inst::S3 { op, size, rd, rn, rm });
    }
    if bits(w, 11, 10) == 0 {
        // Three-different: SQDMLAL/SQDMLSL/SQDMULL.
        let op = match (u, bits(w, 15, 12)) {
            (false, 0b1001) => VLongOp::Sqdmlal,
            (false, 0b1011) => VLongOp::Sqdmlsl,
            (false, 0b1101) => VLongOp::Sqdmull,
            _ => return None,
        };
        if size != 1 && size != 2 {
            return None;
        }
        return Some(Inst::SLong { op, size, rd, rn, rm });
    }
    if bits(w, 11, 10) != 0b10 {
        return None;
    }
    match bits(w, 20, 17) {
        0b0000 => {
            let (op, size) = two_misc_op(u, bits(w, 16, 12), size, true)?;
            Some(Inst::S2 { op, size, rd, rn })
        }
        0b1000 => {
            let op = match (u, bits(w, 16, 12), size >> 1) {
                (false, 0b11011, _) if size == 3 => VOp3::Addp,
                (true, 0b01100, 0) => VOp3::Fmaxnmp,
                (true, 0b01100, 1) => VOp3::Fminnmp,
                (true, 0b01101, 0) => VOp3::Faddp,
                (true, 0b01111, 0) => VOp3::Fmaxp,
                (true, 0b01111, 1) => VOp3::Fminp,
                _ => return None,
            };
            let size = if op == VOp3::Addp { 3 } else { 2 + (size & 1) };
            Some(Inst::SPair { op, size, rd, rn })
        }
        _ => None,
    }
}

/// Scalar shift by immediate: 01 U 111110 immh immb opcode 1 Rn Rd.
fn scalar_shift(w: u32) -> Option<Inst> {
    let u = bit(w, 29);
    let immh = bits(w, 22, 19);
    if immh == 0 {
        return None;
    }
    let size = 31 - immh.leading_zeros();
    let esize = 8u32 << size;
    let immhb = (immh << 3) | bits(w, 18, 16);
    let right = 2 * esize - immhb;
    let left = immhb - esize;
    let (op, shift) = match (u, bits(w, 15, 11)) {
        (false, 0b00000) => (VShiftOp::Sshr, right),
        (true, 0b00000) => (VShiftOp::Ushr, right),
        (false, 0b00010) => (VShiftOp::Ssra, right),
        (true, 0b00010) => (VShiftOp::Usra, right),
        (false, 0b00100) => (VShiftOp::Srshr, right),
        (true, 0b00100) => (VShiftOp::Urshr, right),
        (false, 0b00110) => (VShiftOp::Srsra, right),
        (true, 0b00110) => (VShiftOp::Ursra, right),
        (true, 0b01000) => (VShiftOp::Sri, right),
        (false, 0b01010) => (VShiftOp::Shl, left),
        (true, 0b01010) => (VShiftOp::Sli, left),
        (false, 0b01110) => (VShiftOp::Sqshl, left),
        (true, 0b01110) => (VShiftOp::Uqshl, left),
        (true, 0b01100) => (VShiftOp::Sqshlu, left),
        (false, 0b10010) => (VShiftOp::Sqshrn, right),
        (false, 0b10011) => (VShiftOp::Sqrshrn, right),
        (true, 0b10010) => (VShiftOp::Uqshrn, right),
        (true, 0b10011) => (VShiftOp::Uqrshrn, right),
        (true, 0b10000) => (VShiftOp::Sqshrun, right),
        (true, 0b10001) => (VShiftOp::Sqrshrun, right),
        (false, 0b11100) => (VShiftOp::Scvtf, right),
        (true, 0b11100) => (VShiftOp::Ucvtf, right),
        (false, 0b11111) => (VShiftOp::Fcvtzs, right),
        (true, 0b11111) => (VShiftOp::Fcvtzu, right),
        _ => return None,
    };
    let d_only = matches!(
        op,
        VShiftOp::Sshr | VShiftOp::Ushr | VShiftOp::Ssra | VShiftOp::Usra | VShiftOp::Srshr | VShiftOp::Urshr | VShiftOp::Srsra
            | VShiftOp::Ursra | VShiftOp::Sri | VShiftOp::Shl | VShiftOp::Sli
    );
    let fixed = matches!(op, VShiftOp::Scvtf | VShiftOp::Ucvtf | VShiftOp::Fcvtzs | VShiftOp::Fcvtzu);
    if (d_only && size != 3) || (op.narrows() && size == 3) || (fixed && size < 1) {
        return None;
    }
    let size = if op.narrows() { size + 1 } else { size };
    Some(Inst::SShift { op, size: size as u8, shift: shift as u8, rd: v(w, 0), rn: v(w, 5) })
}

/// Scalar x indexed element: 01 U 11111 size L M Rm opcode H 0 Rn Rd.
fn scalar_elem(w: u32) -> Option<Inst> {
    let u = bit(w, 29);
    let size = bits(w, 23, 22) as u8;
    let (h, l, m) = (bits(w, 11, 11), bits(w, 21, 21), bits(w, 20, 20));
    let (rd, rn) = (v(w, 0), v(w, 5));
    let int_index = |size: u8| -> Option<(u8, u8, VReg)> {
        match size {
            1 => Some((1, ((h << 2) | (l << 1) | m) as u8, VReg(bits(w, 19, 16) as u8))),
            2 => Some((2, ((h << 1) | l) as u8, v(w, 16))),
            _ => None,
        }
    };
    let long = match (u, bits(w, 15, 12)) {
        (false, 0b0011) => Some(VLongOp::Sqdmlal),
        (false, 0b0111) => Some(VLongOp::Sqdmlsl),
        (false, 0b1011) => Some(VLongOp::Sqdmull),
        _ => None,
    };
    if let Some(op) = long {
        let (size, index, rm) = int_index(size)?;
        return Some(Inst::SLongElem { op, size, index, rd, rn, rm });
    }
    let op = match (u, bits(w, 15, 12)) {
        (true, 0b1101) => VElemOp::Sqrdmlah,
        (true, 0b1111) => VElemOp::Sqrdmlsh,
        (false, 0b1100) => VElemOp::Sqdmulh,
        (false, 0b1101) => VElemOp::Sqrdmulh,
        (false, 0b0001) => VElemOp::Fmla,
        (false, 0b0101) => VElemOp::Fmls,
        (false, 0b1001) => VElemOp::Fmul,
        (true, 0b1001) => VElemOp::Fmulx,
        _ => return None,
    };
    let (size, index, rm) = match (op, size) {
        (VElemOp::Sqdmulh | VElemOp::Sqrdmulh | VElemOp::Sqrdmlah | VElemOp::Sqrdmlsh, _) => int_index(size)?,
        (_, 0) => (1, ((h << 2) | (l << 1) | m) as u8, VReg(bits(w, 19, 16) as u8)),
        (_, 2) => (2, ((h << 1) | l) as u8, v(w, 16)),
        (_, 3) if l == 0 => (3, h as u8, v(w, 16)),
        _ => return None,
    };
    Some(Inst::SElem { op, size, index, rd, rn, rm })
}

fn simd_vec(w: u32) -> Option<Inst> {
    let q = bit(w, 30);
    let u = bit(w, 29);
    let size = bits(w, 23, 22) as u8;
    let rd = v(w, 0);
    let rn = v(w, 5);
    let rm = v(w, 16);
    // AES: 0100 1110 0010 1000 0 opcode 10 Rn Rd.
    if bits(w, 31, 17) == 0b010_0111_0001_0100 && bits(w, 11, 10) == 0b10 {
        let op = match bits(w, 16, 12) {
            0b00100 => AesOp::E,
            0b00101 => AesOp::D,
            0b00110 => AesOp::Mc,
            0b00111 => AesOp::Imc,
            _ => return None,
        };
        return Some(Inst::Aes { op, rd, rn });
    }
    // Copy (DUP/INS/UMOV/SMOV): bits 28:21 = 01110000, bit 15 = 0, bit 10 = 1.
    if bits(w, 23, 21) == 0 && !bit(w, 15) && bit(w, 10) {
        let imm5 = bits(w, 20, 16);
        let imm4 = bits(w, 14, 11);
        if imm5 & 0xf == 0 {
            return None;
        }
        let esz = imm5.trailing_zeros() as u8;
        let index = (imm5 >> (esz + 1)) as u8;
        if u {
            if !q {
                return None;
            }
            let i2 = (imm4 >> esz) as u8;
            return Some(Inst::InsElem { size: esz, i1: index, i2, rd, rn });
        }
        return match imm4 {
            0b0000 => {
                if esz == 3 && !q {
                    return None;
                }
                Some(Inst::DupElem { q, size: esz, index, rd, rn })
            }
            0b0001 => {
                if esz == 3 && !q {
                    return None;
                }
                Some(Inst::DupGen { q, size: esz, rd, rn: r(w, 5) })
            }
            0b0011 if q => Some(Inst::InsGen { size: esz, index, rd, rn: r(w, 5) }),
            0b0101 => {
                if esz == 3 || (esz == 2 && !q) {
                    return None;
                }
                Some(Inst::MovToGen { signed: true, sf: q, size: esz, index, rd: r(w, 0), rn })
            }
            0b0111 => {
                if (esz == 3) != q {
                    return None;
                }
                Some(Inst::MovToGen { signed: false, sf: q, size: esz, index, rd: r(w, 0), rn })
            }
            _ => None,
        };
    }
    // TBL/TBX: 0 Q 001110 000 rm 0 len op 00.
    if !u && bits(w, 23, 21) == 0 && !bit(w, 15) && bits(w, 11, 10) == 0 {
        return Some(Inst::Tbl { q, tbx: bit(w, 12), len: bits(w, 14, 13) as u8 + 1, rd, rn, rm });
    }
    // Permute: 0 Q 001110 size 0 rm 0 opcode 10.
    if !u && !bit(w, 21) && !bit(w, 15) && bits(w, 11, 10) == 0b10 {
        if size == 3 && !q {
            return None;
        }
        let op = match bits(w, 14, 12) {
            1 => VOp3::Uzp1,
            2 => VOp3::Trn1,
            3 => VOp3::Zip1,
            5 => VOp3::Uzp2,
            6 => VOp3::Trn2,
            7 => VOp3::Zip2,
            _ => return None,
        };
        return Some(Inst::V3 { op, q, size, rd, rn, rm });
    }
    // EXT: 0 Q 101110 00 0 rm 0 imm4 0.
    if u && bits(w, 23, 21) == 0 && !bit(w, 15) && !bit(w, 10) {
        let index = bits(w, 14, 11) as u8;
        if !q && index >= 8 {
            return None;
        }
        return Some(Inst::Ext { q, index, rd, rn, rm });
    }
    if !bit(w, 21) && bit(w, 15) && bit(w, 10) {
        return three_same_extra(w, q, u, size, rd, rn, rm);
    }
    if !bit(w, 21) && bit(w, 22) && bits(w, 15, 14) == 0 && bit(w, 10) {
        // Half-precision three-same (FEAT_FP16): a = size<1>.
        let op = fp_three_same(u, size >> 1, 0b11000 | bits(w, 13, 11))?;
        return Some(Inst::V3 { op, q, size: 1, rd, rn, rm });
    }
    if !bit(w, 21) {
        return None;
    }
    if bit(w, 10) {
        return three_same(w, q, u, size, rd, rn, rm);
    }
    if bits(w, 11, 10) == 0b10 && bits(w, 22, 17) == 0b111100 {
        // Half-precision two-register misc.
        let (op, size) = two_misc_op_fp(u, bits(w, 16, 12), size & 2, false, true)?;
        return Some(Inst::V2 { op, q, size, rd, rn });
    }
    if bits(w, 11, 10) == 0b10 && bits(w, 20, 17) == 0b1000 && !u && size & 1 == 0 && matches!(bits(w, 16, 12), 0b01100 | 0b01111) {
        // Half-precision across lanes.
        let op = match (bits(w, 16, 12), size >> 1) {
            (0b01100, 0) => VReduce::Fmaxnmv,
            (0b01100, _) => VReduce::Fminnmv,
            (_, 0) => VReduce::Fmaxv,
            _ => VReduce::Fminv,
        };
        return Some(Inst::VReduce { op, q, size: 1, rd, rn });
    }
    if bits(w, 11, 10) == 0 {
        let op = match (u, bits(w, 15, 12)) {
            (_, 0b0000) => VLongOp::Addl,
            (_, 0b0001) => VLongOp::Addw,
            (_, 0b0010) => VLongOp::Subl,
            (_, 0b0011) => VLongOp::Subw,
            (_, 0b0101) => VLongOp::Abal,
            (_, 0b0111) => VLongOp::Abdl,
            (_, 0b1000) => VLongOp::Mlal,
            (_, 0b1010) => VLongOp::Mlsl,
            (_, 0b1100) => VLongOp::Mull,
            (false, 0b0100) => VLongOp::Addhn,
            (true, 0b0100) => VLongOp::Raddhn,
            (false, 0b0110) => VLongOp::Subhn,
            (true, 0b0110) => VLongOp::Rsubhn,
            (false, 0b1001) => VLongOp::Sqdmlal,
            (false, 0b1011) => VLongOp::Sqdmlsl,
            (false, 0b1101) => VLongOp::Sqdmull,
            (false, 0b1110) => VLongOp::Pmull,
            _ => return None,
        };
        let ok = match op {
            VLongOp::Pmull => size == 0 || size == 3,
            VLongOp::Sqdmlal | VLongOp::Sqdmlsl | VLongOp::Sqdmull => size == 1 || size == 2,
            _ => size != 3,
        };
        if !ok {
            return None;
        }
        return Some(Inst::VLong { op, signed: !u, q, size, rd, rn, rm });
    }
    if bits(w, 11, 10) == 0b10 && bits(w, 20, 17) == 0b0000 {
        return two_misc(w, q, u, size, rd, rn);
    }
    if bits(w, 11, 10) == 0b10 && bits(w, 20, 17) == 0b1000 && u && size & 1 == 0 && (bits(w, 16, 12) == 0b01100 || bits(w, 16, 12) == 0b01111) {
        if !q {
            return None;
        }
        let op = match (bits(w, 16, 12), size >> 1) {
            (0b01100, 0) => VReduce::Fmaxnmv,
            (0b01100, _) => VReduce::Fminnmv,
            (_, 0) => VReduce::Fmaxv,
            _ => VReduce::Fminv,
        };
        return Some(Inst::VReduce { op, q, size: 2, rd, rn });
    }
    if bits(w, 11, 10) == 0b10 && bits(w, 20, 17) == 0b1000 {
        let op = match (u, bits(w, 16, 12)) {
            (false, 0b00011) => VReduce::Saddlv,
            (false, 0b01010) => VReduce::Smaxv,
            (false, 0b11010) => VReduce::Sminv,
            (false, 0b11011) => VReduce::Addv,
            (true, 0b00011) => VReduce::Uaddlv,
            (true, 0b01010) => VReduce::Umaxv,
            (true, 0b11010) => VReduce::Uminv,
            (true, 0b11011) => VReduce::Addv,
            _ => return None,
        };
        if u && op == VReduce::Addv {
            return None;
        }
        if size == 3 || (size == 2 && !q) {
            return None;
        }
        return Some(Inst::VReduce { op, q, size, rd, rn });
    }
    None
}

/// AdvSIMD three-same (extra): 0 Q U 01110 size 0 Rm 1 opcode 1 Rn Rd.
fn three_same_extra(w: u32, q: bool, u: bool, size: u8, rd: VReg, rn: VReg, rm: VReg) -> Option<Inst> {
    let opcode = bits(w, 14, 11);
    let dot = |kind| Some(Inst::Dot { kind, q, index: None, rd, rn, rm });
    let mmla = |kind| Some(Inst::Mmla { kind, rd, rn, rm });
    match (u, opcode) {
        (true, 0b0000) | (true, 0b0001) if size == 1 || size == 2 => {
            let op = if opcode == 0 { VOp3::Sqrdmlah } else { VOp3::Sqrdmlsh };
            Some(Inst::V3 { op, q, size, rd, rn, rm })
        }
        (false, 0b0010) if size == 2 => dot(DotKind::Sdot),
        (true, 0b0010) if size == 2 => dot(DotKind::Udot),
        (false, 0b0011) if size == 2 => dot(DotKind::Usdot),
        (false, 0b0100) if size == 2 && q => mmla(MmlaKind::Smmla),
        (true, 0b0100) if size == 2 && q => mmla(MmlaKind::Ummla),
        (false, 0b0101) if size == 2 && q => mmla(MmlaKind::Usmmla),
        (true, 0b1000..=0b1011) if size != 0 && (size != 3 || q) => {
            Some(Inst::Fcmla { q, size, rot: (opcode & 3) as u8, index: None, rd, rn, rm })
        }
        (true, 0b1100) | (true, 0b1110) if size != 0 && (size != 3 || q) => {
            Some(Inst::Fcadd { q, size, rot270: opcode & 2 != 0, rd, rn, rm })
        }
        (true, 0b1101) if size == 1 && q => mmla(MmlaKind::Bfmmla),
        (true, 0b1111) if size == 1 => dot(DotKind::Bfdot),
        (true, 0b1111) if size == 3 => Some(Inst::Bfmlal { top: q, index: None, rd, rn, rm }),
        _ => None,
    }
}

fn three_same(w: u32, q: bool, u: bool, size: u8, rd: VReg, rn: VReg, rm: VReg) -> Option<Inst> {
    let opcode = bits(w, 15, 11);
    if opcode >= 0b11000 {
        // FP: size<1> selects the op, size<0> the precision.
        let a = size >> 1;
        let sz = size & 1;
        if sz == 1 && !q {
            return None;
        }
        // FMLAL/FMLSL (U = 0) and FMLAL2/FMLSL2 (U = 1), FEAT_FHM.
        if sz == 0 && ((!u && opcode == 0b11101) || (u && opcode == 0b11001)) {
            return Some(Inst::Fmlal { sub: a == 1, upper: u, q, index: None, rd, rn, rm });
        }
        let op = fp_three_same(u, a, opcode)?;
        return Some(Inst::V3 { op, q, size: 2 + sz, rd, rn, rm });
    }
    if opcode == 0b00011 {
        let op = match (u, size) {
            (false, 0) => VOp3::And,
            (false, 1) => VOp3::Bic,
            (false, 2) => VOp3::Orr,
            (false, 3) => VOp3::Orn,
            (true, 0) => VOp3::Eor,
            (true, 1) => VOp3::Bsl,
            (true, 2) => VOp3::Bit,
            _ => VOp3::Bif,
        };
        return Some(Inst::V3 { op, q, size: 0, rd, rn, rm });
    }
    let op = match (u, opcode) {
        (false, 0b00000) => VOp3::Shadd,
        (true, 0b00000) => VOp3::Uhadd,
        (false, 0b00010) => VOp3::Srhadd,
        (true, 0b00010) => VOp3::Urhadd,
        (false, 0b00100) => VOp3::Shsub,
        (true, 0b00100) => VOp3::Uhsub,
        (false, 0b01001) => VOp3::Sqshl,
        (true, 0b01001) => VOp3::Uqshl,
        (false, 0b01010) => VOp3::Srshl,
        (true, 0b01010) => VOp3::Urshl,
        (false, 0b01011) => VOp3::Sqrshl,
        (true, 0b01011) => VOp3::Uqrshl,
        (false, 0b01111) => VOp3::Saba,
        (true, 0b01111) => VOp3::Uaba,
        (false, 0b10110) if size == 1 || size == 2 => VOp3::Sqdmulh,
        (true, 0b10110) if size == 1 || size == 2 => VOp3::Sqrdmulh,
        (true, 0b10011) if size == 0 => VOp3::Pmul,
        (false, 0b00001) => VOp3::Sqadd,
        (false, 0b00101) => VOp3::Sqsub,
        (false, 0b00110) => VOp3::Cmgt,
        (false, 0b00111) => VOp3::Cmge,
        (false, 0b01000) => VOp3::Sshl,
        (false, 0b01100) => VOp3::Smax,
        (false, 0b01101) => VOp3::Smin,
        (false, 0b01110) => VOp3::Sabd,
        (false, 0b10000) => VOp3::Add,
        (false, 0b10001) => VOp3::Cmtst,
        (false, 0b10010) => VOp3::Mla,
        (false, 0b10011) => VOp3::Mul,
        (false, 0b10100) => VOp3::Smaxp,
        (false, 0b10101) => VOp3::Sminp,
        (false, 0b10111) => VOp3::Addp,
        (true, 0b00001) => VOp3::Uqadd,
        (true, 0b00101) => VOp3::Uqsub,
        (true, 0b00110) => VOp3::Cmhi,
        (true, 0b00111) => VOp3::Cmhs,
        (true, 0b01000) => VOp3::Ushl,
        (true, 0b01100) => VOp3::Umax,
        (true, 0b01101) => VOp3::Umin,
        (true, 0b01110) => VOp3::Uabd,
        (true, 0b10000) => VOp3::Sub,
        (true, 0b10001) => VOp3::Cmeq,
        (true, 0b10010) => VOp3::Mls,
        (true, 0b10100) => VOp3::Umaxp,
        (true, 0b10101) => VOp3::Uminp,
        _ => return None,
    };
    let no_d = matches!(
        op,
        VOp3::Mul | VOp3::Mla | VOp3::Mls | VOp3::Smax | VOp3::Smin | VOp3::Umax | VOp3::Umin | VOp3::Smaxp
            | VOp3::Sminp | VOp3::Umaxp | VOp3::Uminp | VOp3::Sabd | VOp3::Uabd | VOp3::Shadd | VOp3::Uhadd
            | VOp3::Srhadd | VOp3::Urhadd | VOp3::Shsub | VOp3::Uhsub | VOp3::Saba | VOp3::Uaba
    );
    if size == 3 && (!q || no_d) {
        return None;
    }
    Some(Inst::V3 { op, q, size, rd, rn, rm })
}

/// The FP three-same operation for U, size<1> and opcode (vector and scalar share it;
/// the caller checks which forms exist for scalars).
fn fp_three_same(u: bool, a: u8, opcode: u32) -> Option<VOp3> {
    Some(match (u, a, opcode) {
        (false, 0, 0b11000) => VOp3::Fmaxnm,
        (false, 1, 0b11000) => VOp3::Fminnm,
        (false, 0, 0b11010) => VOp3::Fadd,
        (false, 1, 0b11010) => VOp3::Fsub,
        (false, 0, 0b11001) => VOp3::Fmla,
        (false, 1, 0b11001) => VOp3::Fmls,
        (false, 0, 0b11011) => VOp3::Fmulx,
        (false, 0, 0b11100) => VOp3::Fcmeq,
        (false, 0, 0b11110) => VOp3::Fmax,
        (false, 1, 0b11110) => VOp3::Fmin,
        (false, 0, 0b11111) => VOp3::Frecps,
        (false, 1, 0b11111) => VOp3::Frsqrts,
        (true, 0, 0b11000) => VOp3::Fmaxnmp,
        (true, 1, 0b11000) => VOp3::Fminnmp,
        (true, 0, 0b11010) => VOp3::Faddp,
        (true, 1, 0b11010) => VOp3::Fabd,
        (true, 0, 0b11011) => VOp3::Fmul,
        (true, 0, 0b11100) => VOp3::Fcmge,
        (true, 1, 0b11100) => VOp3::Fcmgt,
        (true, 0, 0b11101) => VOp3::Facge,
        (true, 1, 0b11101) => VOp3::Facgt,
        (true, 0, 0b11110) => VOp3::Fmaxp,
        (true, 1, 0b11110) => VOp3::Fminp,
        (true, 0, 0b11111) => VOp3::Fdiv,
        _ => return None,
    })
}

fn two_misc(w: u32, q: bool, u: bool, size: u8, rd: VReg, rn: VReg) -> Option<Inst> {
    let (op, size) = two_misc_op(u, bits(w, 16, 12), size, false)?;
    let narrowing = matches!(op, VOp2::Xtn | VOp2::Sqxtn | VOp2::Uqxtn | VOp2::Sqxtun | VOp2::Fcvtn | VOp2::Fcvtxn | VOp2::Fcvtl);
    if size == 3 && !q && !narrowing {
        return None;
    }
    Some(Inst::V2 { op, q, size, rd, rn })
}

/// Two-register misc, vector (`scalar` false) or scalar: the operation and its element
/// size (log2 bytes; for narrowing ops the narrow element, for FCVTL the source).
fn two_misc_op(u: bool, opcode: u32, size: u8, scalar: bool) -> Option<(VOp2, u8)> {
    two_misc_op_fp(u, opcode, size, scalar, false)
}

/// [`two_misc_op`], or with `half` the half-precision two-register misc group (FEAT_FP16,
/// `size` = a:0, FP operations only).
fn two_misc_op_fp(u: bool, opcode: u32, size: u8, scalar: bool, half: bool) -> Option<(VOp2, u8)> {
    let a = size >> 1;
    let fsz = if half { 1 } else { 2 + (size & 1) };
    if half && (opcode < 0b01100 || matches!(opcode, 0b10010..=0b10100)) {
        return None;
    }
    if opcode >= 0b01100 && opcode != 0b10010 && opcode != 0b10011 && opcode != 0b10100 {
        // Floating point: size<1> selects the op, size<0> the precision.
        let op = match (u, opcode, a) {
            _ if half && matches!(opcode, 0b10110 | 0b10111 | 0b11110) => return None,
            (false, 0b11100, 1) | (true, 0b11100, 1) | (_, 0b11111, 0) if half => return None,
            (false, 0b10110, 1) if size == 2 && !scalar => return Some((VOp2::Bfcvtn, 2)),
            (u, 0b11110, 0) if !scalar => VOp2::Frint32 { exact: u },
            (u, 0b11111, 0) if !scalar => VOp2::Frint64 { exact: u },
            (false, 0b10110, 0) if !scalar => return Some((VOp2::Fcvtn, 1 + (size & 1))),
            (true, 0b10110, 0) if size & 1 == 1 => return Some((VOp2::Fcvtxn, 2)),
            (false, 0b10111, 0) if !scalar => return Some((VOp2::Fcvtl, 1 + (size & 1))),
            (false, 0b11100, 1) if size & 1 == 0 && !scalar => return Some((VOp2::Urecpe, 2)),
            (true, 0b11100, 1) if size & 1 == 0 && !scalar => return Some((VOp2::Ursqrte, 2)),
            (false, 0b11000, 0) => VOp2::Frint(Round::Nearest),
            (false, 0b11000, 1) => VOp2::Frint(Round::Plus),
            (false, 0b11001, 0) => VOp2::Frint(Round::Minus),
            (false, 0b11001, 1) => VOp2::Frint(Round::Zero),
            (true, 0b11000, 0) => VOp2::Frint(Round::Away),
            (true, 0b11001, 0) => VOp2::Frint(Round::Exact),
            (true, 0b11001, 1) => VOp2::Frint(Round::Current),
            (_, 0b11010, 0) => VOp2::Fcvt { round: Round::Nearest, signed: !u },
            (_, 0b11010, 1) => VOp2::Fcvt { round: Round::Plus, signed: !u },
            (_, 0b11011, 0) => VOp2::Fcvt { round: Round::Minus, signed: !u },
            (false, 0b11011, 1) => VOp2::Fcvtzs,
            (true, 0b11011, 1) => VOp2::Fcvtzu,
            (_, 0b11100, 0) => VOp2::Fcvt { round: Round::Away, signed: !u },
            (false, 0b11101, 0) => VOp2::Scvtf,
            (true, 0b11101, 0) => VOp2::Ucvtf,
            (false, 0b11101, 1) => VOp2::Frecpe,
            (true, 0b11101, 1) => VOp2::Frsqrte,
            (false, 0b11111, 1) if scalar => VOp2::Frecpx,
            (false, 0b01100, 1) => VOp2::Fcmgt0,
            (false, 0b01101, 1) => VOp2::Fcmeq0,
            (false, 0b01110, 1) => VOp2::Fcmlt0,
            (true, 0b01100, 1) => VOp2::Fcmge0,
            (true, 0b01101, 1) => VOp2::Fcmle0,
            (false, 0b01111, 1) => VOp2::Fabs,
            (true, 0b01111, 1) => VOp2::Fneg,
            (true, 0b11111, 1) => VOp2::Fsqrt,
            _ => return None,
        };
        if scalar && matches!(op, VOp2::Frint(_) | VOp2::Fabs | VOp2::Fneg | VOp2::Fsqrt) {
            return None;
        }
        return Some((op, fsz));
    }
    let op = match (u, opcode) {
        (false, 0b00000) if size < 3 => VOp2::Rev64,
        (false, 0b00001) if size == 0 => VOp2::Rev16,
        (false, 0b00010) if size < 3 => VOp2::Saddlp,
        (false, 0b00011) => VOp2::Suqadd,
        (false, 0b00100) if size < 3 => VOp2::Cls,
        (false, 0b00101) if size == 0 => VOp2::Cnt,
        (false, 0b00110) if size < 3 => VOp2::Sadalp,
        (false, 0b00111) => VOp2::Sqabs,
        (false, 0b01000) => VOp2::Cmgt0,
        (false, 0b01001) => VOp2::Cmeq0,
        (false, 0b01010) => VOp2::Cmlt0,
        (false, 0b01011) => VOp2::Abs,
        (false, 0b10010) if size < 3 => VOp2::Xtn,
        (false, 0b10100) if size < 3 => VOp2::Sqxtn,
        (true, 0b00000) if size < 2 => VOp2::Rev32,
        (true, 0b00010) if size < 3 => VOp2::Uaddlp,
        (true, 0b00011) => VOp2::Usqadd,
        (true, 0b00100) if size < 3 => VOp2::Clz,
        (true, 0b00101) if size == 0 => VOp2::Not,
        (true, 0b00101) if size == 1 => VOp2::Rbit,
        (true, 0b00110) if size < 3 => VOp2::Uadalp,
        (true, 0b00111) => VOp2::Sqneg,
        (true, 0b01000) => VOp2::Cmge0,
        (true, 0b01001) => VOp2::Cmle0,
        (true, 0b01011) => VOp2::Neg,
        (true, 0b10010) if size < 3 => VOp2::Sqxtun,
        (true, 0b10011) if size < 3 => VOp2::Shll,
        (true, 0b10100) if size < 3 => VOp2::Uqxtn,
        _ => return None,
    };
    let d_only = matches!(op, VOp2::Cmgt0 | VOp2::Cmeq0 | VOp2::Cmlt0 | VOp2::Abs | VOp2::Cmge0 | VOp2::Cmle0 | VOp2::Neg);
    let size = match op {
        VOp2::Not | VOp2::Rbit => 0,
        _ => size,
    };
    if scalar {
        let ok = matches!(op, VOp2::Suqadd | VOp2::Usqadd | VOp2::Sqabs | VOp2::Sqneg | VOp2::Sqxtn | VOp2::Uqxtn | VOp2::Sqxtun)
            || (d_only && size == 3);
        return ok.then_some((op, size));
    }
    Some((op, size))
}

/// AdvSIMD modified immediate and shift by immediate (bits 28:23 = 01111x, bit 10 = 1).
fn simd_imm_or_shift(w: u32) -> Option<Inst> {
    if !bit(w, 10) {
        return None;
    }
    let q = bit(w, 30);
    let u = bit(w, 29);
    let rd = v(w, 0);
    let rn = v(w, 5);
    if bits(w, 23, 19) == 0 {
        // Modified immediate.
        let cmode = bits(w, 15, 12) as u8;
        let abc = bits(w, 18, 16);
        let defgh = bits(w, 9, 5);
        let imm8 = (abc << 5) | defgh;
        if bit(w, 11) {
            // FMOV (vector, immediate, half precision).
            if cmode != 0b1111 || u {
                return None;
            }
            let h = fp_imm(imm8, FTy::H);
            return Some(Inst::VMovImm { q, op: 6, rd, imm: h * 0x0001_0001_0001_0001, cmode, abc: abc as u8 });
        }
        let (op, imm) = modimm(u, cmode, imm8, q)?;
        return Some(Inst::VMovImm { q, op, rd, imm, cmode, abc: abc as u8 });
    }
    if bit(w, 23) {
        return None;
    }
    let immh = bits(w, 22, 19);
    let immb = bits(w, 18, 16);
    let size = 31 - immh.leading_zeros();
    let esize = 8u32 << size;
    let immhb = (immh << 3) | immb;
    let opcode = bits(w, 15, 11);
    let right = 2 * esize - immhb;
    let left = immhb - esize;
    let (op, shift) = match (u, opcode) {
        (false, 0b00000) => (VShiftOp::Sshr, right),
        (true, 0b00000) => (VShiftOp::Ushr, right),
        (false, 0b00010) => (VShiftOp::Ssra, right),
        (true, 0b00010) => (VShiftOp::Usra, right),
        (false, 0b01010) => (VShiftOp::Shl, left),
        (true, 0b01010) => (VShiftOp::Sli, left),
        (true, 0b01000) => (VShiftOp::Sri, right),
        (false, 0b10000) => (VShiftOp::Shrn, right),
        (false, 0b10001) => (VShiftOp::Rshrn, right),
        (false, 0b10100) => (VShiftOp::Sshll, left),
        (true, 0b10100) => (VShiftOp::Ushll, left),
        (false, 0b10010) => (VShiftOp::Sqshrn, right),
        (false, 0b10011) => (VShiftOp::Sqrshrn, right),
        (true, 0b10010) => (VShiftOp::Uqshrn, right),
        (true, 0b10011) => (VShiftOp::Uqrshrn, right),
        (true, 0b10000) => (VShiftOp::Sqshrun, right),
        (true, 0b10001) => (VShiftOp::Sqrshrun, right),
        (false, 0b00100) => (VShiftOp::Srshr, right),
        (true, 0b00100) => (VShiftOp::Urshr, right),
        (false, 0b00110) => (VShiftOp::Srsra, right),
        (true, 0b00110) => (VShiftOp::Ursra, right),
        (false, 0b01110) => (VShiftOp::Sqshl, left),
        (true, 0b01110) => (VShiftOp::Uqshl, left),
        (true, 0b01100) => (VShiftOp::Sqshlu, left),
        (false, 0b11100) => (VShiftOp::Scvtf, right),
        (true, 0b11100) => (VShiftOp::Ucvtf, right),
        (false, 0b11111) => (VShiftOp::Fcvtzs, right),
        (true, 0b11111) => (VShiftOp::Fcvtzu, right),
        _ => return None,
    };
    // Fixed-point conversions: half precision (FEAT_FP16), single and double.
    if matches!(op, VShiftOp::Scvtf | VShiftOp::Ucvtf | VShiftOp::Fcvtzs | VShiftOp::Fcvtzu) && size < 1 {
        return None;
    }
    let narrow_or_long = op.narrows() || matches!(op, VShiftOp::Sshll | VShiftOp::Ushll);
    if narrow_or_long && size == 3 {
        return None;
    }
    if !narrow_or_long && size == 3 && !q {
        return None;
    }
    // Narrowing ops name the destination element; keep `size` the source (wide) element.
    let size = if op.narrows() { size + 1 } else { size };
    let shift = if op.narrows() { 2 * esize - immhb } else { shift };
    Some(Inst::VShift { op, q, size: size as u8, shift: shift as u8, rd, rn })
}

/// AdvSIMDExpandImm plus the operation: (0 MOVI, 1 MVNI, 2 ORR, 3 BIC, 4 FMOV, 5 MOVI of
/// a 64-bit byte mask) and the
/// 64-bit pattern.
fn modimm(u: bool, cmode: u8, imm8: u32, q: bool) -> Option<(u8, u64)> {
    let i = imm8 as u64;
    let rep32 = |x: u64| x | (x << 32);
    let rep16 = |x: u64| x | (x << 16) | (x << 32) | (x << 48);
    let imm = match cmode >> 1 {
        0 => rep32(i),
        1 => rep32(i << 8),
        2 => rep32(i << 16),
        3 => rep32(i << 24),
        4 => rep16(i),
        5 => rep16(i << 8),
        6 => {
            if cmode & 1 == 0 {
                rep32((i << 8) | 0xff)
            } else {
                rep32((i << 16) | 0xffff)
            }
        }
        _ => {
            if cmode & 1 == 0 {
                if !u {
                    let b = i * 0x0101_0101_0101_0101;
                    return Some((0, b));
                }
                let mut out = 0u64;
                for k in 0..8 {
                    if (i >> k) & 1 != 0 {
                        out |= 0xff << (8 * k);
                    }
                }
                return Some((5, out));
            }
            if !u {
                let s = fp_imm(imm8, FTy::S);
                return Some((4, rep32(s)));
            }
            if !q {
                return None;
            }
            return Some((4, fp_imm(imm8, FTy::D)));
        }
    };
    let op = match (cmode >> 1, cmode & 1, u) {
        (0..=3, 0, false) | (4..=5, 0, false) | (6, _, false) => 0,
        (0..=3, 0, true) | (4..=5, 0, true) | (6, _, true) => 1,
        (_, 1, false) => 2,
        (_, _, true) => 3,
        _ => return None,
    };
    let imm = if op == 1 || op == 3 { !imm } else { imm };
    Some((op, imm))
}

fn post_reg(w: u32) -> Option<Reg> {
    if bit(w, 23) {
        Some(r(w, 16))
    } else {
        None
    }
}

fn simd_ldst_multi(w: u32) -> Option<Inst> {
    if !bit(w, 23) && bits(w, 21, 16) != 0 {
        return None;
    }
    if bit(w, 21) {
        return None;
    }
    let q = bit(w, 30);
    let load = bit(w, 22);
    let size = bits(w, 11, 10) as u8;
    let (nreg, interleave) = match bits(w, 15, 12) {
        0b0000 => (4, 4),
        0b0010 => (4, 1),
        0b0100 => (3, 3),
        0b0110 => (3, 1),
        0b0111 => (1, 1),
        0b1000 => (2, 2),
        0b1010 => (2, 1),
        _ => return None,
    };
    if size == 3 && !q && interleave > 1 {
        return None;
    }
    Some(Inst::VLdSt { load, q, size, nreg, interleave, rt: v(w, 0), rn: r(w, 5), post: post_reg(w) })
}

fn simd_ldst_single(w: u32) -> Option<Inst> {
    if !bit(w, 23) && bits(w, 20, 16) != 0 {
        return None;
    }
    let q = bit(w, 30);
    let load = bit(w, 22);
    let opcode = bits(w, 15, 13);
    // selem = opcode<0>:R + 1 registers; opcode<2:1> is the scale.
    let nreg = ((((opcode & 1) << 1) | bits(w, 21, 21)) + 1) as u8;
    let s = bits(w, 12, 12);
    let size = bits(w, 11, 10);
    let qi = q as u32;
    let (esz, index) = match opcode >> 1 {
        0 => (0, (qi << 3) | (s << 2) | size),
        1 if size & 1 == 0 => (1, (qi << 2) | (s << 1) | (size >> 1)),
        2 if size == 0 => (2, (qi << 1) | s),
        2 if size == 1 && s == 0 => (3, qi),
        3 if load && s == 0 => {
            return Some(Inst::VLd1r { q, size: size as u8, nreg, rt: v(w, 0), rn: r(w, 5), post: post_reg(w) });
        }
        _ => return None,
    };
    Some(Inst::VLdStLane { load, size: esz, nreg, index: index as u8, rt: v(w, 0), rn: r(w, 5), post: post_reg(w) })
}

/// SHA3, SHA512, SM3 and SM4: 1100 1110 xxx.
fn crypto_ext(w: u32) -> Option<Inst> {
    let (rd, rn, rm, ra) = (v(w, 0), v(w, 5), v(w, 16), v(w, 10));
    let mk = |op, imm: u32| Some(Inst::Crypto { op, rd, rn, rm, ra, imm: imm as u8 });
    let three = |op| Some(Inst::Crypto { op, rd, rn, rm, ra: VReg(0), imm: 0 });
    match bits(w, 23, 21) {
        0b000 if !bit(w, 15) => mk(CryptoOp::Eor3, 0),
        0b001 if !bit(w, 15) => mk(CryptoOp::Bcax, 0),
        0b010 if !bit(w, 15) => mk(CryptoOp::Sm3ss1, 0),
        0b010 if bits(w, 15, 14) == 0b10 => {
            let op = [CryptoOp::Sm3tt1a, CryptoOp::Sm3tt1b, CryptoOp::Sm3tt2a, CryptoOp::Sm3tt2b][bits(w, 11, 10) as usize];
            Some(Inst::Crypto { op, rd, rn, rm, ra: VReg(0), imm: bits(w, 13, 12) as u8 })
        }
        0b011 if bit(w, 15) && bits(w, 13, 12) == 0 => match (bit(w, 14), bits(w, 11, 10)) {
            (false, 0) => three(CryptoOp::Sha512h),
            (false, 1) => three(CryptoOp::Sha512h2),
            (false, 2) => three(CryptoOp::Sha512su1),
            (false, _) => three(CryptoOp::Rax1),
            (true, 0) => three(CryptoOp::Sm3partw1),
            (true, 1) => three(CryptoOp::Sm3partw2),
            (true, 2) => three(CryptoOp::Sm4ekey),
            _ => None,
        },
        0b100 => Some(Inst::Crypto { op: CryptoOp::Xar, rd, rn, rm, ra: VReg(0), imm: bits(w, 15, 10) as u8 }),
        0b110 if bits(w, 20, 11) == 0b00000_10000 => {
            let op = if bit(w, 10) { CryptoOp::Sm4e } else { CryptoOp::Sha512su0 };
            Some(Inst::Crypto { op, rd, rn, rm: VReg(0), ra: VReg(0), imm: 0 })
        }
        _ => None,
    }
}
