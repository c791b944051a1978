//! Disassembly: `Display` for [`Inst`] in the syntax capstone (LLVM's RISC-V printer)
//! uses: ABI register names, the common pseudo-instructions (`mv`, `ret`, `beqz`, `csrr`,
//! `fmv.d`...), immediates above 9 in hex, offsets as `8(sp)`, and the rounding mode only
//! when it is not `dyn`. Compressed instructions print with their `c.` mnemonic through
//! [`disassemble`], which needs the raw bits (e.g. `c.addi sp, 16` and `c.addi16sp sp, 16`
//! are the same `Inst`).

use std::fmt::{self, Display, Formatter};

use crate::abi::{FREG_NAMES, XREG_NAMES};
use crate::decode::decode;
use crate::insn::*;

impl Display for Reg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(XREG_NAMES[(self.0 & 31) as usize])
    }
}

impl Display for FReg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(FREG_NAMES[(self.0 & 31) as usize])
    }
}

/// An immediate as capstone prints it: decimal up to 9, hex beyond, sign in front.
struct Imm(i64);

impl Display for Imm {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let v = self.0;
        let m = v.unsigned_abs();
        let sign = if v < 0 { "-" } else { "" };
        if m > 9 {
            write!(f, "{sign}{m:#x}")
        } else {
            write!(f, "{sign}{m}")
        }
    }
}

/// A CSR by name where it has a standard one, else its number.
struct Csr(u16);

fn csr_name(n: u16) -> Option<String> {
    let s = match n {
        0x000 => "ustatus",
        0x001 => "fflags",
        0x002 => "frm",
        0x003 => "fcsr",
        0x004 => "uie",
        0x005 => "utvec",
        0x040 => "uscratch",
        0x041 => "uepc",
        0x042 => "ucause",
        0x043 => "utval",
        0x044 => "uip",
        0xc00 => "cycle",
        0xc01 => "time",
        0xc02 => "instret",
        0xc03..=0xc1f => return Some(format!("hpmcounter{}", n - 0xc00)),
        0xc80 => "cycleh",
        0xc81 => "timeh",
        0xc82 => "instreth",
        0xc83..=0xc9f => return Some(format!("hpmcounter{}h", n - 0xc80)),
        0x100 => "sstatus",
        0x102 => "sedeleg",
        0x103 => "sideleg",
        0x104 => "sie",
        0x105 => "stvec",
        0x106 => "scounteren",
        0x140 => "sscratch",
        0x141 => "sepc",
        0x142 => "scause",
        0x143 => "stval",
        0x144 => "sip",
        0x180 => "satp",
        0xf11 => "mvendorid",
        0xf12 => "marchid",
        0xf13 => "mimpid",
        0xf14 => "mhartid",
        0x300 => "mstatus",
        0x301 => "misa",
        0x302 => "medeleg",
        0x303 => "mideleg",
        0x304 => "mie",
        0x305 => "mtvec",
        0x306 => "mcounteren",
        0x340 => "mscratch",
        0x341 => "mepc",
        0x342 => "mcause",
        0x343 => "mtval",
        0x344 => "mip",
        0x3a0..=0x3a3 => return Some(format!("pmpcfg{}", n - 0x3a0)),
        0x3b0..=0x3bf => return Some(format!("pmpaddr{}", n - 0x3b0)),
        0xb00 => "mcycle",
        0xb02 => "minstret",
        0xb03..=0xb1f => return Some(format!("mhpmcounter{}", n - 0xb00)),
        0xb80 => "mcycleh",
        0xb82 => "minstreth",
        0xb83..=0xb9f => return Some(format!("mhpmcounter{}h", n - 0xb80)),
        0x323..=0x33f => return Some(format!("mhpmevent{}", n - 0x320)),
        0x7a0 => "tselect",
        0x7a1 => "tdata1",
        0x7a2 => "tdata2",
        0x7a3 => "tdata3",
        0x7b0 => "dcsr",
        0x7b1 => "dpc",
        0x7b2 => "dscratch",
        _ => return None,
    };
    Some(s.to_string())
}

impl Display for Csr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match csr_name(self.0) {
            Some(n) => f.write_str(&n),
            None => write!(f, "{}", self.0),
        }
    }
}

/// `, rtz` etc., nothing for dyn.
struct Rm(u8);

impl Display for Rm {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let s = match self.0 {
            0 => "rne",
            1 => "rtz",
            2 => "rdn",
            3 => "rup",
            4 => "rmm",
            7 => return Ok(()),
            _ => "invalid",
        };
        write!(f, ", {s}")
    }
}

fn width_char(w: Width) -> char {
    match w {
        Width::B => 'b',
        Width::H => 'h',
        Width::W => 'w',
        Width::D => 'd',
    }
}

fn prec_char(p: Prec) -> char {
    match p {
        Prec::S => 's',
        Prec::D => 'd',
    }
}

fn ordering(aq: bool, rl: bool) -> &'static str {
    match (aq, rl) {
        (false, false) => "",
        (true, false) => ".aq",
        (false, true) => ".rl",
        (true, true) => ".aqrl",
    }
}

fn fence_set(v: u8) -> String {
    let mut s = String::new();
    for (bit, c) in [(8, 'i'), (4, 'o'), (2, 'r'), (1, 'w')] {
        if v & bit != 0 {
            s.push(c);
        }
    }
    if s.is_empty() {
        s.push('0');
    }
    s
}

fn alu_imm_name(op: AluImmOp) -> &'static str {
    use AluImmOp::*;
    match op {
        Addi => "addi",
        Slti => "slti",
        Sltiu => "sltiu",
        Xori => "xori",
        Ori => "ori",
        Andi => "andi",
        Slli => "slli",
        Srli => "srli",
        Srai => "srai",
        Addiw => "addiw",
        Slliw => "slliw",
        Srliw => "srliw",
        Sraiw => "sraiw",
        SlliUw => "slli.uw",
        Rori => "rori",
        Roriw => "roriw",
        Bclri => "bclri",
        Bexti => "bexti",
        Binvi => "binvi",
        Bseti => "bseti",
    }
}

fn alu_name(op: AluOp) -> &'static str {
    use AluOp::*;
    match op {
        Add => "add",
        Sub => "sub",
        Sll => "sll",
        Slt => "slt",
        Sltu => "sltu",
        Xor => "xor",
        Srl => "srl",
        Sra => "sra",
        Or => "or",
        And => "and",
        Addw => "addw",
        Subw => "subw",
        Sllw => "sllw",
        Srlw => "srlw",
        Sraw => "sraw",
        Mul => "mul",
        Mulh => "mulh",
        Mulhsu => "mulhsu",
        Mulhu => "mulhu",
        Div => "div",
        Divu => "divu",
        Rem => "rem",
        Remu => "remu",
        Mulw => "mulw",
        Divw => "divw",
        Divuw => "divuw",
        Remw => "remw",
        Remuw => "remuw",
        AddUw => "add.uw",
        Sh1add => "sh1add",
        Sh2add => "sh2add",
        Sh3add => "sh3add",
        Sh1addUw => "sh1add.uw",
        Sh2addUw => "sh2add.uw",
        Sh3addUw => "sh3add.uw",
        Andn => "andn",
        Orn => "orn",
        Xnor => "xnor",
        Max => "max",
        Maxu => "maxu",
        Min => "min",
        Minu => "minu",
        Rol => "rol",
        Rolw => "rolw",
        Ror => "ror",
        Rorw => "rorw",
        Bclr => "bclr",
        Bext => "bext",
        Binv => "binv",
        Bset => "bset",
    }
}

fn unary_name(op: UnaryOp) -> &'static str {
    use UnaryOp::*;
    match op {
        Clz => "clz",
        Clzw => "clzw",
        Ctz => "ctz",
        Ctzw => "ctzw",
        Cpop => "cpop",
        Cpopw => "cpopw",
        SextB => "sext.b",
        SextH => "sext.h",
        ZextH => "zext.h",
        OrcB => "orc.b",
        Rev8 => "rev8",
    }
}

fn amo_name(op: AmoOp) -> &'static str {
    match op {
        AmoOp::Swap => "swap",
        AmoOp::Add => "add",
        AmoOp::Xor => "xor",
        AmoOp::And => "and",
        AmoOp::Or => "or",
        AmoOp::Min => "min",
        AmoOp::Max => "max",
        AmoOp::Minu => "minu",
        AmoOp::Maxu => "maxu",
    }
}

fn int_ty_name(t: IntTy) -> &'static str {
    match t {
        IntTy::W => "w",
        IntTy::Wu => "wu",
        IntTy::L => "l",
        IntTy::Lu => "lu",
    }
}

impl Display for Inst {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let z = Reg::ZERO;
        match *self {
            Inst::Lui { rd, imm } => write!(f, "lui {rd}, {}", Imm((imm >> 12) & 0xfffff)),
            Inst::Auipc { rd, imm } => write!(f, "auipc {rd}, {}", Imm((imm >> 12) & 0xfffff)),
            Inst::Jal { rd, offset } => match rd.0 {
                0 => write!(f, "j {}", Imm(offset)),
                1 => write!(f, "jal {}", Imm(offset)),
                _ => write!(f, "jal {rd}, {}", Imm(offset)),
            },
            Inst::Jalr { rd, rs1, offset } => match (rd.0, rs1.0, offset) {
                (0, 1, 0) => write!(f, "ret"),
                (0, _, 0) => write!(f, "jr {rs1}"),
                (1, _, 0) => write!(f, "jalr {rs1}"),
                _ => write!(f, "jalr {rd}, {rs1}, {}", Imm(offset)),
            },
            Inst::Branch { cond, rs1, rs2, offset } => {
                let o = Imm(offset);
                match (cond, rs1.0, rs2.0) {
                    (BranchCond::Eq, _, 0) => write!(f, "beqz {rs1}, {o}"),
                    (BranchCond::Ne, _, 0) => write!(f, "bnez {rs1}, {o}"),
                    (BranchCond::Lt, _, 0) => write!(f, "bltz {rs1}, {o}"),
                    // `bge zero, zero` prints as blez (capstone's alias order).
                    (BranchCond::Ge, 0, _) => write!(f, "blez {rs2}, {o}"),
                    (BranchCond::Ge, _, 0) => write!(f, "bgez {rs1}, {o}"),
                    (BranchCond::Lt, 0, _) => write!(f, "bgtz {rs2}, {o}"),
                    _ => {
                        let m = match cond {
                            BranchCond::Eq => "beq",
                            BranchCond::Ne => "bne",
                            BranchCond::Lt => "blt",
                            BranchCond::Ge => "bge",
                            BranchCond::Ltu => "bltu",
                            BranchCond::Geu => "bgeu",
                        };
                        write!(f, "{m} {rs1}, {rs2}, {o}")
                    }
                }
            }
            Inst::Load { width, signed, rd, rs1, offset } => {
                let u = if signed || width == Width::D { "" } else { "u" };
                write!(f, "l{}{u} {rd}, {}({rs1})", width_char(width), Imm(offset))
            }
            Inst::Store { width, rs1, rs2, offset } => {
                write!(f, "s{} {rs2}, {}({rs1})", width_char(width), Imm(offset))
            }
            Inst::AluImm { op, rd, rs1, imm } => match op {
                AluImmOp::Addi if rd.0 == 0 && rs1.0 == 0 && imm == 0 => write!(f, "nop"),
                AluImmOp::Addi if imm == 0 => write!(f, "mv {rd}, {rs1}"),
                AluImmOp::Xori if imm == -1 => write!(f, "not {rd}, {rs1}"),
                AluImmOp::Sltiu if imm == 1 => write!(f, "seqz {rd}, {rs1}"),
                AluImmOp::Addiw if imm == 0 => write!(f, "sext.w {rd}, {rs1}"),
                _ => write!(f, "{} {rd}, {rs1}, {}", alu_imm_name(op), Imm(imm)),
            },
            Inst::Alu { op, rd, rs1, rs2 } => match op {
                AluOp::Sub if rs1 == z => write!(f, "neg {rd}, {rs2}"),
                AluOp::Subw if rs1 == z => write!(f, "negw {rd}, {rs2}"),
                AluOp::Sltu if rs1 == z => write!(f, "snez {rd}, {rs2}"),
                AluOp::Slt if rs2 == z => write!(f, "sltz {rd}, {rs1}"),
                AluOp::Slt if rs1 == z => write!(f, "sgtz {rd}, {rs2}"),
                _ => write!(f, "{} {rd}, {rs1}, {rs2}", alu_name(op)),
            },
            Inst::Unary { op, rd, rs1 } => write!(f, "{} {rd}, {rs1}", unary_name(op)),
            Inst::Fence { pred, succ, fm } => {
                if fm == 8 && pred == 3 && succ == 3 {
                    write!(f, "fence.tso")
                } else if pred == 15 && succ == 15 {
                    write!(f, "fence")
                } else {
                    write!(f, "fence {}, {}", fence_set(pred), fence_set(succ))
                }
            }
            Inst::FenceI => write!(f, "fence.i"),
            Inst::Ecall => write!(f, "ecall"),
            Inst::Ebreak => write!(f, "ebreak"),
            Inst::Csr { op, rd, rs1, csr } => fmt_csr(f, op, rd, &rs1.to_string(), rs1.0, csr, false),
            Inst::CsrImm { op, rd, uimm, csr } => fmt_csr(f, op, rd, &Imm(uimm as i64).to_string(), uimm, csr, true),
            Inst::Lr { width, rd, rs1, aq, rl } => {
                write!(f, "lr.{}{} {rd}, ({rs1})", width_char(width), ordering(aq, rl))
            }
            Inst::Sc { width, rd, rs1, rs2, aq, rl } => {
                write!(f, "sc.{}{} {rd}, {rs2}, ({rs1})", width_char(width), ordering(aq, rl))
            }
            Inst::Amo { op, width, rd, rs1, rs2, aq, rl } => write!(
                f,
                "amo{}.{}{} {rd}, {rs2}, ({rs1})",
                amo_name(op),
                width_char(width),
                ordering(aq, rl)
            ),
            Inst::FLoad { prec, rd, rs1, offset } => {
                let m = if prec == Prec::S { "flw" } else { "fld" };
                write!(f, "{m} {rd}, {}({rs1})", Imm(offset))
            }
            Inst::FStore { prec, rs1, rs2, offset } => {
                let m = if prec == Prec::S { "fsw" } else { "fsd" };
                write!(f, "{m} {rs2}, {}({rs1})", Imm(offset))
            }
            Inst::FArith { op, prec, rd, rs1, rs2, rm } => {
                let p = prec_char(prec);
                let m = match op {
                    FOp::Add => "fadd",
                    FOp::Sub => "fsub",
                    FOp::Mul => "fmul",
                    FOp::Div => "fdiv",
                    FOp::Min => "fmin",
                    FOp::Max => "fmax",
                    FOp::Sgnj => "fsgnj",
                    FOp::Sgnjn => "fsgnjn",
                    FOp::Sgnjx => "fsgnjx",
                };
                match op {
                    FOp::Sgnj if rs1 == rs2 => write!(f, "fmv.{p} {rd}, {rs1}"),
                    FOp::Sgnjn if rs1 == rs2 => write!(f, "fneg.{p} {rd}, {rs1}"),
                    FOp::Sgnjx if rs1 == rs2 => write!(f, "fabs.{p} {rd}, {rs1}"),
                    FOp::Sgnj | FOp::Sgnjn | FOp::Sgnjx | FOp::Min | FOp::Max => {
                        write!(f, "{m}.{p} {rd}, {rs1}, {rs2}")
                    }
                    _ => write!(f, "{m}.{p} {rd}, {rs1}, {rs2}{}", Rm(rm)),
                }
            }
            Inst::FSqrt { prec, rd, rs1, rm } => write!(f, "fsqrt.{} {rd}, {rs1}{}", prec_char(prec), Rm(rm)),
            Inst::FFma { op, prec, rd, rs1, rs2, rs3, rm } => {
                let m = match op {
                    FmaOp::Madd => "fmadd",
                    FmaOp::Msub => "fmsub",
                    FmaOp::Nmsub => "fnmsub",
                    FmaOp::Nmadd => "fnmadd",
                };
                write!(f, "{m}.{} {rd}, {rs1}, {rs2}, {rs3}{}", prec_char(prec), Rm(rm))
            }
            Inst::FCmp { op, prec, rd, rs1, rs2 } => {
                let m = match op {
                    FCmp::Eq => "feq",
                    FCmp::Lt => "flt",
                    FCmp::Le => "fle",
                };
                write!(f, "{m}.{} {rd}, {rs1}, {rs2}", prec_char(prec))
            }
            Inst::FClass { prec, rd, rs1 } => write!(f, "fclass.{} {rd}, {rs1}", prec_char(prec)),
            Inst::FCvtToInt { prec, ty, rd, rs1, rm } => {
                write!(f, "fcvt.{}.{} {rd}, {rs1}{}", int_ty_name(ty), prec_char(prec), Rm(rm))
            }
            Inst::FCvtFromInt { prec, ty, rd, rs1, rm } => {
                // Conversions that are always exact take no rounding mode in the syntax.
                let exact = prec == Prec::D && matches!(ty, IntTy::W | IntTy::Wu);
                let rm = if exact { Rm(7) } else { Rm(rm) };
                write!(f, "fcvt.{}.{} {rd}, {rs1}{rm}", prec_char(prec), int_ty_name(ty))
            }
            Inst::FCvtFF { to, rd, rs1, rm } => match to {
                Prec::S => write!(f, "fcvt.s.d {rd}, {rs1}{}", Rm(rm)),
                Prec::D => write!(f, "fcvt.d.s {rd}, {rs1}"),
            },
            Inst::FMvToInt { prec, rd, rs1 } => {
                let m = if prec == Prec::S { "fmv.x.w" } else { "fmv.x.d" };
                write!(f, "{m} {rd}, {rs1}")
            }
            Inst::FMvFromInt { prec, rd, rs1 } => {
                let m = if prec == Prec::S { "fmv.w.x" } else { "fmv.d.x" };
                write!(f, "{m} {rd}, {rs1}")
            }
            Inst::Illegal { raw } => write!(f, ".insn {raw:#x}"),
        }
    }
}

fn fmt_csr(
    f: &mut Formatter<'_>,
    op: CsrOp,
    rd: Reg,
    src: &str,
    src_num: u8,
    csr: u16,
    imm: bool,
) -> fmt::Result {
    let i = if imm { "i" } else { "" };
    let base = match op {
        CsrOp::Rw => "w",
        CsrOp::Rs => "s",
        CsrOp::Rc => "c",
    };
    // Floating-point CSR shorthands.
    let fp = match csr {
        1 => Some("flags"),
        2 => Some("rm"),
        3 => Some("csr"),
        _ => None,
    };
    if let Some(name) = fp {
        if op == CsrOp::Rs && src_num == 0 && !imm {
            return write!(f, "fr{name} {rd}");
        }
        if op == CsrOp::Rw && (!imm || csr != 3) {
            return if rd.0 == 0 { write!(f, "fs{name}{i} {src}") } else { write!(f, "fs{name}{i} {rd}, {src}") };
        }
    }
    if op == CsrOp::Rs && src_num == 0 && !imm {
        let counter = match csr {
            0xc00 => Some("cycle"),
            0xc01 => Some("time"),
            0xc02 => Some("instret"),
            _ => None,
        };
        if let Some(c) = counter {
            return write!(f, "rd{c} {rd}");
        }
        return write!(f, "csrr {rd}, {}", Csr(csr));
    }
    if rd.0 == 0 {
        return write!(f, "csr{base}{i} {}, {src}", Csr(csr));
    }
    write!(f, "csrr{base}{i} {rd}, {}, {src}", Csr(csr))
}

/// Disassembles the instruction in the low bits of `word` (2 or 4 bytes), with compressed
/// instructions under their `c.` mnemonics as capstone prints them.
pub fn disassemble(word: u32) -> String {
    let (inst, len) = decode(word);
    if len == 4 || matches!(inst, Inst::Illegal { .. }) {
        return inst.to_string();
    }
    compressed_text(word as u16, inst)
}

fn compressed_text(h: u16, inst: Inst) -> String {
    let q = h & 3;
    let f3 = (h >> 13) & 7;
    match inst {
        Inst::AluImm { op, rd, rs1, imm } => {
            let m = match (q, f3, op) {
                (0, 0, _) => return format!("c.addi4spn {rd}, {rs1}, {}", Imm(imm)),
                // A nonzero immediate makes it a HINT; capstone prints plain c.nop.
                (1, 0, _) if rd.0 == 0 => return "c.nop".to_string(),
                (1, 0, _) => "c.addi",
                (1, 1, _) => "c.addiw",
                (1, 2, _) => "c.li",
                (1, 3, _) => "c.addi16sp",
                (1, 4, AluImmOp::Srli) => "c.srli",
                (1, 4, AluImmOp::Srai) => "c.srai",
                (1, 4, _) => "c.andi",
                _ => "c.slli",
            };
            format!("{m} {rd}, {}", Imm(imm))
        }
        Inst::Lui { rd, imm } => format!("c.lui {rd}, {}", Imm((imm >> 12) & 0xfffff)),
        Inst::Load { width, rd, rs1, offset, .. } => {
            let sp = if q == 2 { "sp" } else { "" };
            format!("c.l{}{sp} {rd}, {}({rs1})", width_char(width), Imm(offset))
        }
        Inst::Store { width, rs1, rs2, offset } => {
            let sp = if q == 2 { "sp" } else { "" };
            format!("c.s{}{sp} {rs2}, {}({rs1})", width_char(width), Imm(offset))
        }
        Inst::FLoad { rd, rs1, offset, .. } => {
            let sp = if q == 2 { "sp" } else { "" };
            format!("c.fld{sp} {rd}, {}({rs1})", Imm(offset))
        }
        Inst::FStore { rs1, rs2, offset, .. } => {
            let sp = if q == 2 { "sp" } else { "" };
            format!("c.fsd{sp} {rs2}, {}({rs1})", Imm(offset))
        }
        Inst::Alu { op, rd, rs1, rs2 } => {
            if op == AluOp::Add && rs1.0 == 0 && q == 2 && (h >> 12) & 1 == 0 {
                return format!("c.mv {rd}, {rs2}");
            }
            format!("c.{} {rd}, {rs2}", alu_name(op))
        }
        Inst::Jal { offset, .. } => format!("c.j {}", Imm(offset)),
        Inst::Jalr { rd, rs1, .. } => {
            if rd.0 == 0 {
                format!("c.jr {rs1}")
            } else {
                format!("c.jalr {rs1}")
            }
        }
        Inst::Branch { cond, rs1, offset, .. } => {
            let m = if cond == BranchCond::Eq { "c.beqz" } else { "c.bnez" };
            format!("{m} {rs1}, {}", Imm(offset))
        }
        Inst::Ebreak => "c.ebreak".to_string(),
        other => other.to_string(),
    }
}
