//! The RISC-V decoder: one function from instruction bits to [`Inst`], used by every
//! consumer. Compressed (RVC) encodings decode straight into the same `Inst` values as
//! their 32-bit twins. Never panics: anything not implemented is [`Inst::Illegal`].

use crate::insn::*;

/// Decodes the instruction starting in the low bits of `word` (little-endian fetch of up to
/// four bytes). Returns the instruction and its length in bytes (2 or 4).
pub fn decode(word: u32) -> (Inst, u8) {
    if word & 3 != 3 {
        (decode_compressed(word as u16), 2)
    } else {
        (decode32(word), 4)
    }
}

/// Length in bytes of the instruction whose first 16-bit parcel is `low`.
pub fn insn_len(low: u16) -> u8 {
    if low & 3 != 3 {
        2
    } else {
        4
    }
}

#[inline]
fn bits(w: u32, hi: u32, lo: u32) -> u32 {
    (w >> lo) & ((1u32 << (hi - lo + 1)) - 1)
}

#[inline]
fn sext(v: u32, width: u32) -> i64 {
    let shift = 64 - width;
    (((v as u64) << shift) as i64) >> shift
}

fn x(v: u32) -> Reg {
    Reg(v as u8 & 31)
}
fn f(v: u32) -> FReg {
    FReg(v as u8 & 31)
}

/// Decodes a 32-bit instruction.
pub fn decode32(w: u32) -> Inst {
    let ill = Inst::Illegal { raw: w };
    if w & 3 != 3 {
        return ill;
    }
    let opcode = w & 0x7f;
    let rd = x(bits(w, 11, 7));
    let rs1 = x(bits(w, 19, 15));
    let rs2 = x(bits(w, 24, 20));
    let f3 = bits(w, 14, 12);
    let f7 = bits(w, 31, 25);
    let imm_i = (w as i32 >> 20) as i64;
    let imm_s = (((w as i32 >> 25) << 5) as i64) | bits(w, 11, 7) as i64;
    let imm_b = sext((bits(w, 31, 31) << 12) | (bits(w, 7, 7) << 11) | (bits(w, 30, 25) << 5) | (bits(w, 11, 8) << 1), 13);
    let imm_u = (w & 0xffff_f000) as i32 as i64;
    let imm_j =
        sext((bits(w, 31, 31) << 20) | (bits(w, 19, 12) << 12) | (bits(w, 20, 20) << 11) | (bits(w, 30, 21) << 1), 21);
    match opcode {
        0x37 => Inst::Lui { rd, imm: imm_u },
        0x17 => Inst::Auipc { rd, imm: imm_u },
        0x6f => Inst::Jal { rd, offset: imm_j },
        0x67 if f3 == 0 => Inst::Jalr { rd, rs1, offset: imm_i },
        0x63 => {
            let cond = match f3 {
                0 => BranchCond::Eq,
                1 => BranchCond::Ne,
                4 => BranchCond::Lt,
                5 => BranchCond::Ge,
                6 => BranchCond::Ltu,
                7 => BranchCond::Geu,
                _ => return ill,
            };
            Inst::Branch { cond, rs1, rs2, offset: imm_b }
        }
        0x03 => {
            let (width, signed) = match f3 {
                0 => (Width::B, true),
                1 => (Width::H, true),
                2 => (Width::W, true),
                3 => (Width::D, true),
                4 => (Width::B, false),
                5 => (Width::H, false),
                6 => (Width::W, false),
                _ => return ill,
            };
            Inst::Load { width, signed, rd, rs1, offset: imm_i }
        }
        0x23 => {
            let width = match f3 {
                0 => Width::B,
                1 => Width::H,
                2 => Width::W,
                3 => Width::D,
                _ => return ill,
            };
            Inst::Store { width, rs1, rs2, offset: imm_s }
        }
        0x07 => match f3 {
            2 => Inst::FLoad { prec: Prec::S, rd: f(bits(w, 11, 7)), rs1, offset: imm_i },
            3 => Inst::FLoad { prec: Prec::D, rd: f(bits(w, 11, 7)), rs1, offset: imm_i },
            _ => ill,
        },
        0x27 => match f3 {
            2 => Inst::FStore { prec: Prec::S, rs1, rs2: f(bits(w, 24, 20)), offset: imm_s },
            3 => Inst::FStore { prec: Prec::D, rs1, rs2: f(bits(w, 24, 20)), offset: imm_s },
            _ => ill,
        },
        0x13 => decode_op_imm(w, rd, rs1, f3, imm_i).unwrap_or(ill),
        0x1b => decode_op_imm32(w, rd, rs1, f3, imm_i).unwrap_or(ill),
        0x33 => decode_op(rd, rs1, rs2, f3, f7).unwrap_or(ill),
        0x3b => decode_op32(rd, rs1, rs2, f3, f7).unwrap_or(ill),
        0x0f => match f3 {
            // Unused fields (rd, rs1, and fm other than TSO) are reserved and ignored, as the
            // spec asks of implementations.
            0 => Inst::Fence { pred: bits(w, 27, 24) as u8, succ: bits(w, 23, 20) as u8, fm: bits(w, 31, 28) as u8 },
            1 => Inst::FenceI,
            _ => ill,
        },
        0x73 => {
            let csr = bits(w, 31, 20) as u16;
            match f3 {
                0 => match w {
                    0x0000_0073 => Inst::Ecall,
                    0x0010_0073 => Inst::Ebreak,
                    _ => ill,
                },
                1 => Inst::Csr { op: CsrOp::Rw, rd, rs1, csr },
                2 => Inst::Csr { op: CsrOp::Rs, rd, rs1, csr },
                3 => Inst::Csr { op: CsrOp::Rc, rd, rs1, csr },
                5 => Inst::CsrImm { op: CsrOp::Rw, rd, uimm: rs1.0, csr },
                6 => Inst::CsrImm { op: CsrOp::Rs, rd, uimm: rs1.0, csr },
                7 => Inst::CsrImm { op: CsrOp::Rc, rd, uimm: rs1.0, csr },
                _ => ill,
            }
        }
        0x2f => decode_amo(w, rd, rs1, rs2, f3).unwrap_or(ill),
        0x43 | 0x47 | 0x4b | 0x4f => {
            let prec = match bits(w, 26, 25) {
                0 => Prec::S,
                1 => Prec::D,
                _ => return ill,
            };
            if f3 == 5 || f3 == 6 {
                return ill;
            }
            let op = match opcode {
                0x43 => FmaOp::Madd,
                0x47 => FmaOp::Msub,
                0x4b => FmaOp::Nmsub,
                _ => FmaOp::Nmadd,
            };
            Inst::FFma {
                op,
                prec,
                rd: f(bits(w, 11, 7)),
                rs1: f(bits(w, 19, 15)),
                rs2: f(bits(w, 24, 20)),
                rs3: f(bits(w, 31, 27)),
                rm: f3 as u8,
            }
        }
        0x53 => decode_op_fp(w, f3, f7).unwrap_or(ill),
        _ => ill,
    }
}

fn decode_op_imm(w: u32, rd: Reg, rs1: Reg, f3: u32, imm: i64) -> Option<Inst> {
    let shamt = bits(w, 25, 20) as i64;
    let f6 = bits(w, 31, 26);
    let f12 = bits(w, 31, 20);
    let op = match f3 {
        0 => AluImmOp::Addi,
        2 => AluImmOp::Slti,
        3 => AluImmOp::Sltiu,
        4 => AluImmOp::Xori,
        6 => AluImmOp::Ori,
        7 => AluImmOp::Andi,
        1 => {
            let op = match (f6, f12) {
                (0x00, _) => AluImmOp::Slli,
                (0x12, _) => AluImmOp::Bclri,
                (0x1a, _) => AluImmOp::Binvi,
                (0x0a, _) => AluImmOp::Bseti,
                (_, 0x600) => return Some(Inst::Unary { op: UnaryOp::Clz, rd, rs1 }),
                (_, 0x601) => return Some(Inst::Unary { op: UnaryOp::Ctz, rd, rs1 }),
                (_, 0x602) => return Some(Inst::Unary { op: UnaryOp::Cpop, rd, rs1 }),
                (_, 0x604) => return Some(Inst::Unary { op: UnaryOp::SextB, rd, rs1 }),
                (_, 0x605) => return Some(Inst::Unary { op: UnaryOp::SextH, rd, rs1 }),
                _ => return None,
            };
            return Some(Inst::AluImm { op, rd, rs1, imm: shamt });
        }
        _ => {
            let op = match (f6, f12) {
                (0x00, _) => AluImmOp::Srli,
                (0x10, _) => AluImmOp::Srai,
                (0x18, _) => AluImmOp::Rori,
                (0x12, _) => AluImmOp::Bexti,
                (_, 0x287) => return Some(Inst::Unary { op: UnaryOp::OrcB, rd, rs1 }),
                (_, 0x6b8) => return Some(Inst::Unary { op: UnaryOp::Rev8, rd, rs1 }),
                _ => return None,
            };
            return Some(Inst::AluImm { op, rd, rs1, imm: shamt });
        }
    };
    Some(Inst::AluImm { op, rd, rs1, imm })
}

fn decode_op_imm32(w: u32, rd: Reg, rs1: Reg, f3: u32, imm: i64) -> Option<Inst> {
    let shamt5 = bits(w, 24, 20) as i64;
    let f7 = bits(w, 31, 25);
    let f12 = bits(w, 31, 20);
    Some(match (f3, f7) {
        (0, _) => Inst::AluImm { op: AluImmOp::Addiw, rd, rs1, imm },
        (1, 0x00) => Inst::AluImm { op: AluImmOp::Slliw, rd, rs1, imm: shamt5 },
        (1, 0x04 | 0x05) => Inst::AluImm { op: AluImmOp::SlliUw, rd, rs1, imm: bits(w, 25, 20) as i64 },
        (1, 0x30) => match f12 {
            0x600 => Inst::Unary { op: UnaryOp::Clzw, rd, rs1 },
            0x601 => Inst::Unary { op: UnaryOp::Ctzw, rd, rs1 },
            0x602 => Inst::Unary { op: UnaryOp::Cpopw, rd, rs1 },
            _ => return None,
        },
        (5, 0x00) => Inst::AluImm { op: AluImmOp::Srliw, rd, rs1, imm: shamt5 },
        (5, 0x20) => Inst::AluImm { op: AluImmOp::Sraiw, rd, rs1, imm: shamt5 },
        (5, 0x30) => Inst::AluImm { op: AluImmOp::Roriw, rd, rs1, imm: shamt5 },
        _ => return None,
    })
}

fn decode_op(rd: Reg, rs1: Reg, rs2: Reg, f3: u32, f7: u32) -> Option<Inst> {
    use AluOp::*;
    let op = match (f7, f3) {
        (0x00, 0) => Add,
        (0x00, 1) => Sll,
        (0x00, 2) => Slt,
        (0x00, 3) => Sltu,
        (0x00, 4) => Xor,
        (0x00, 5) => Srl,
        (0x00, 6) => Or,
        (0x00, 7) => And,
        (0x20, 0) => Sub,
        (0x20, 5) => Sra,
        (0x20, 4) => Xnor,
        (0x20, 6) => Orn,
        (0x20, 7) => Andn,
        (0x01, 0) => Mul,
        (0x01, 1) => Mulh,
        (0x01, 2) => Mulhsu,
        (0x01, 3) => Mulhu,
        (0x01, 4) => Div,
        (0x01, 5) => Divu,
        (0x01, 6) => Rem,
        (0x01, 7) => Remu,
        (0x10, 2) => Sh1add,
        (0x10, 4) => Sh2add,
        (0x10, 6) => Sh3add,
        (0x05, 4) => Min,
        (0x05, 5) => Minu,
        (0x05, 6) => Max,
        (0x05, 7) => Maxu,
        (0x30, 1) => Rol,
        (0x30, 5) => Ror,
        (0x24, 1) => Bclr,
        (0x24, 5) => Bext,
        (0x34, 1) => Binv,
        (0x14, 1) => Bset,
        _ => return None,
    };
    Some(Inst::Alu { op, rd, rs1, rs2 })
}

fn decode_op32(rd: Reg, rs1: Reg, rs2: Reg, f3: u32, f7: u32) -> Option<Inst> {
    use AluOp::*;
    let op = match (f7, f3) {
        (0x00, 0) => Addw,
        (0x00, 1) => Sllw,
        (0x00, 5) => Srlw,
        (0x20, 0) => Subw,
        (0x20, 5) => Sraw,
        (0x01, 0) => Mulw,
        (0x01, 4) => Divw,
        (0x01, 5) => Divuw,
        (0x01, 6) => Remw,
        (0x01, 7) => Remuw,
        (0x04, 0) => AddUw,
        (0x04, 4) if rs2.0 == 0 => return Some(Inst::Unary { op: UnaryOp::ZextH, rd, rs1 }),
        (0x10, 2) => Sh1addUw,
        (0x10, 4) => Sh2addUw,
        (0x10, 6) => Sh3addUw,
        (0x30, 1) => Rolw,
        (0x30, 5) => Rorw,
        _ => return None,
    };
    Some(Inst::Alu { op, rd, rs1, rs2 })
}

fn decode_amo(w: u32, rd: Reg, rs1: Reg, rs2: Reg, f3: u32) -> Option<Inst> {
    let width = match f3 {
        2 => Width::W,
        3 => Width::D,
        _ => return None,
    };
    let aq = bits(w, 26, 26) != 0;
    let rl = bits(w, 25, 25) != 0;
    let op = match bits(w, 31, 27) {
        0x02 if rs2.0 == 0 => return Some(Inst::Lr { width, rd, rs1, aq, rl }),
        0x03 => return Some(Inst::Sc { width, rd, rs1, rs2, aq, rl }),
        0x01 => AmoOp::Swap,
        0x00 => AmoOp::Add,
        0x04 => AmoOp::Xor,
        0x0c => AmoOp::And,
        0x08 => AmoOp::Or,
        0x10 => AmoOp::Min,
        0x14 => AmoOp::Max,
        0x18 => AmoOp::Minu,
        0x1c => AmoOp::Maxu,
        _ => return None,
    };
    Some(Inst::Amo { op, width, rd, rs1, rs2, aq, rl })
}

fn decode_op_fp(w: u32, f3: u32, f7: u32) -> Option<Inst> {
    let prec = match f7 & 3 {
        0 => Prec::S,
        1 => Prec::D,
        _ => return None,
    };
    let rd = bits(w, 11, 7);
    let rs1 = bits(w, 19, 15);
    let rs2 = bits(w, 24, 20);
    let rm = f3 as u8;
    let rm_ok = f3 != 5 && f3 != 6;
    let int_ty = |v: u32| match v {
        0 => Some(IntTy::W),
        1 => Some(IntTy::Wu),
        2 => Some(IntTy::L),
        3 => Some(IntTy::Lu),
        _ => None,
    };
    let arith = |op| rm_ok.then_some(Inst::FArith { op, prec, rd: f(rd), rs1: f(rs1), rs2: f(rs2), rm });
    match f7 >> 2 {
        0x00 => arith(FOp::Add),
        0x01 => arith(FOp::Sub),
        0x02 => arith(FOp::Mul),
        0x03 => arith(FOp::Div),
        0x0b if rs2 == 0 && rm_ok => Some(Inst::FSqrt { prec, rd: f(rd), rs1: f(rs1), rm }),
        0x04 => {
            let op = match f3 {
                0 => FOp::Sgnj,
                1 => FOp::Sgnjn,
                2 => FOp::Sgnjx,
                _ => return None,
            };
            Some(Inst::FArith { op, prec, rd: f(rd), rs1: f(rs1), rs2: f(rs2), rm: 0 })
        }
        0x05 => {
            let op = match f3 {
                0 => FOp::Min,
                1 => FOp::Max,
                _ => return None,
            };
            Some(Inst::FArith { op, prec, rd: f(rd), rs1: f(rs1), rs2: f(rs2), rm: 0 })
        }
        0x08 if rm_ok => match (prec, rs2) {
            (Prec::S, 1) => Some(Inst::FCvtFF { to: Prec::S, rd: f(rd), rs1: f(rs1), rm }),
            (Prec::D, 0) => Some(Inst::FCvtFF { to: Prec::D, rd: f(rd), rs1: f(rs1), rm }),
            _ => None,
        },
        0x14 => {
            let op = match f3 {
                2 => FCmp::Eq,
                1 => FCmp::Lt,
                0 => FCmp::Le,
                _ => return None,
            };
            Some(Inst::FCmp { op, prec, rd: x(rd), rs1: f(rs1), rs2: f(rs2) })
        }
        0x18 if rm_ok => Some(Inst::FCvtToInt { prec, ty: int_ty(rs2)?, rd: x(rd), rs1: f(rs1), rm }),
        0x1a if rm_ok => Some(Inst::FCvtFromInt { prec, ty: int_ty(rs2)?, rd: f(rd), rs1: x(rs1), rm }),
        0x1c if rs2 == 0 && f3 == 0 => Some(Inst::FMvToInt { prec, rd: x(rd), rs1: f(rs1) }),
        0x1c if rs2 == 0 && f3 == 1 => Some(Inst::FClass { prec, rd: x(rd), rs1: f(rs1) }),
        0x1e if rs2 == 0 && f3 == 0 => Some(Inst::FMvFromInt { prec, rd: f(rd), rs1: x(rs1) }),
        _ => None,
    }
}

/// Decodes a 16-bit compressed instruction (RV64C) into its 32-bit equivalent.
pub fn decode_compressed(h: u16) -> Inst {
    let w = h as u32;
    let ill = Inst::Illegal { raw: w };
    let f3 = bits(w, 15, 13);
    // Registers: full 5-bit fields and the 3-bit x8..x15 forms.
    let r_full = bits(w, 11, 7);
    let r2_full = bits(w, 6, 2);
    let rp_hi = 8 + bits(w, 9, 7); // rs1'/rd' at 9:7
    let rp_lo = 8 + bits(w, 4, 2); // rd'/rs2' at 4:2
    let imm6 = sext((bits(w, 12, 12) << 5) | bits(w, 6, 2), 6);
    // Offsets of the register-based loads and stores.
    let off_w = (bits(w, 12, 10) << 3) | (bits(w, 6, 6) << 2) | (bits(w, 5, 5) << 6);
    let off_d = (bits(w, 12, 10) << 3) | (bits(w, 6, 5) << 6);
    match (w & 3, f3) {
        (0, 0) => {
            let imm = (bits(w, 12, 11) << 4) | (bits(w, 10, 7) << 6) | (bits(w, 6, 6) << 2) | (bits(w, 5, 5) << 3);
            if imm == 0 {
                return ill;
            }
            Inst::AluImm { op: AluImmOp::Addi, rd: x(rp_lo), rs1: Reg::SP, imm: imm as i64 }
        }
        (0, 1) => Inst::FLoad { prec: Prec::D, rd: f(rp_lo), rs1: x(rp_hi), offset: off_d as i64 },
        (0, 2) => Inst::Load { width: Width::W, signed: true, rd: x(rp_lo), rs1: x(rp_hi), offset: off_w as i64 },
        (0, 3) => Inst::Load { width: Width::D, signed: true, rd: x(rp_lo), rs1: x(rp_hi), offset: off_d as i64 },
        (0, 5) => Inst::FStore { prec: Prec::D, rs1: x(rp_hi), rs2: f(rp_lo), offset: off_d as i64 },
        (0, 6) => Inst::Store { width: Width::W, rs1: x(rp_hi), rs2: x(rp_lo), offset: off_w as i64 },
        (0, 7) => Inst::Store { width: Width::D, rs1: x(rp_hi), rs2: x(rp_lo), offset: off_d as i64 },
        (1, 0) => Inst::AluImm { op: AluImmOp::Addi, rd: x(r_full), rs1: x(r_full), imm: imm6 },
        (1, 1) => {
            if r_full == 0 {
                return ill;
            }
            Inst::AluImm { op: AluImmOp::Addiw, rd: x(r_full), rs1: x(r_full), imm: imm6 }
        }
        (1, 2) => Inst::AluImm { op: AluImmOp::Addi, rd: x(r_full), rs1: Reg::ZERO, imm: imm6 },
        (1, 3) => {
            if r_full == 2 {
                let imm = sext(
                    (bits(w, 12, 12) << 9)
                        | (bits(w, 6, 6) << 4)
                        | (bits(w, 5, 5) << 6)
                        | (bits(w, 4, 3) << 7)
                        | (bits(w, 2, 2) << 5),
                    10,
                );
                if imm == 0 {
                    return ill;
                }
                Inst::AluImm { op: AluImmOp::Addi, rd: Reg::SP, rs1: Reg::SP, imm }
            } else {
                if imm6 == 0 {
                    return ill;
                }
                Inst::Lui { rd: x(r_full), imm: imm6 << 12 }
            }
        }
        (1, 4) => {
            let rd = x(rp_hi);
            let shamt = ((bits(w, 12, 12) << 5) | bits(w, 6, 2)) as i64;
            match bits(w, 11, 10) {
                0 => Inst::AluImm { op: AluImmOp::Srli, rd, rs1: rd, imm: shamt },
                1 => Inst::AluImm { op: AluImmOp::Srai, rd, rs1: rd, imm: shamt },
                2 => Inst::AluImm { op: AluImmOp::Andi, rd, rs1: rd, imm: imm6 },
                _ => {
                    let op = match (bits(w, 12, 12), bits(w, 6, 5)) {
                        (0, 0) => AluOp::Sub,
                        (0, 1) => AluOp::Xor,
                        (0, 2) => AluOp::Or,
                        (0, 3) => AluOp::And,
                        (1, 0) => AluOp::Subw,
                        (1, 1) => AluOp::Addw,
                        _ => return ill,
                    };
                    Inst::Alu { op, rd, rs1: rd, rs2: x(rp_lo) }
                }
            }
        }
        (1, 5) => {
            let off = sext(
                (bits(w, 12, 12) << 11)
                    | (bits(w, 11, 11) << 4)
                    | (bits(w, 10, 9) << 8)
                    | (bits(w, 8, 8) << 10)
                    | (bits(w, 7, 7) << 6)
                    | (bits(w, 6, 6) << 7)
                    | (bits(w, 5, 3) << 1)
                    | (bits(w, 2, 2) << 5),
                12,
            );
            Inst::Jal { rd: Reg::ZERO, offset: off }
        }
        (1, 6) | (1, 7) => {
            let off = sext(
                (bits(w, 12, 12) << 8)
                    | (bits(w, 11, 10) << 3)
                    | (bits(w, 6, 5) << 6)
                    | (bits(w, 4, 3) << 1)
                    | (bits(w, 2, 2) << 5),
                9,
            );
            let cond = if f3 == 6 { BranchCond::Eq } else { BranchCond::Ne };
            Inst::Branch { cond, rs1: x(rp_hi), rs2: Reg::ZERO, offset: off }
        }
        (2, 0) => {
            let shamt = ((bits(w, 12, 12) << 5) | bits(w, 6, 2)) as i64;
            Inst::AluImm { op: AluImmOp::Slli, rd: x(r_full), rs1: x(r_full), imm: shamt }
        }
        (2, 1) => {
            let off = (bits(w, 12, 12) << 5) | (bits(w, 6, 5) << 3) | (bits(w, 4, 2) << 6);
            Inst::FLoad { prec: Prec::D, rd: f(r_full), rs1: Reg::SP, offset: off as i64 }
        }
        (2, 2) => {
            if r_full == 0 {
                return ill;
            }
            let off = (bits(w, 12, 12) << 5) | (bits(w, 6, 4) << 2) | (bits(w, 3, 2) << 6);
            Inst::Load { width: Width::W, signed: true, rd: x(r_full), rs1: Reg::SP, offset: off as i64 }
        }
        (2, 3) => {
            if r_full == 0 {
                return ill;
            }
            let off = (bits(w, 12, 12) << 5) | (bits(w, 6, 5) << 3) | (bits(w, 4, 2) << 6);
            Inst::Load { width: Width::D, signed: true, rd: x(r_full), rs1: Reg::SP, offset: off as i64 }
        }
        (2, 4) => match (bits(w, 12, 12), r_full, r2_full) {
            (0, 0, 0) => ill,
            (0, rs1, 0) => Inst::Jalr { rd: Reg::ZERO, rs1: x(rs1), offset: 0 },
            (0, rd, rs2) => Inst::Alu { op: AluOp::Add, rd: x(rd), rs1: Reg::ZERO, rs2: x(rs2) },
            (_, 0, 0) => Inst::Ebreak,
            (_, rs1, 0) => Inst::Jalr { rd: Reg::RA, rs1: x(rs1), offset: 0 },
            (_, rd, rs2) => Inst::Alu { op: AluOp::Add, rd: x(rd), rs1: x(rd), rs2: x(rs2) },
        },
        (2, 5) => {
            let off = (bits(w, 12, 10) << 3) | (bits(w, 9, 7) << 6);
            Inst::FStore { prec: Prec::D, rs1: Reg::SP, rs2: f(r2_full), offset: off as i64 }
        }
        (2, 6) => {
            let off = (bits(w, 12, 9) << 2) | (bits(w, 8, 7) << 6);
            Inst::Store { width: Width::W, rs1: Reg::SP, rs2: x(r2_full), offset: off as i64 }
        }
        (2, 7) => {
            let off = (bits(w, 12, 10) << 3) | (bits(w, 9, 7) << 6);
            Inst::Store { width: Width::D, rs1: Reg::SP, rs2: x(r2_full), offset: off as i64 }
        }
        _ => ill,
    }
}
