//! Disassembly: `Display` for [`Inst`] in capstone's syntax (the preferred aliases of the
//! Arm ARM: `mov`, `cmp`, `lsl`, `cset`, ...). Branch and literal targets print as offsets
//! from the instruction (`b #0x10`, `b #-0x8`); [`disassemble`] prints absolute addresses
//! as capstone does given the instruction's pc.

use std::fmt::{self, Write};

use crate::insn::*;

/// Disassembles one instruction word at `pc` (targets as absolute addresses).
pub fn disassemble(word: u32, pc: u64) -> String {
    Disasm { inst: crate::decode(word), pc }.to_string()
}

/// An instruction with the pc it sits at, for absolute branch targets.
pub struct Disasm {
    pub inst: Inst,
    pub pc: u64,
}

impl fmt::Display for Disasm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_inst(&self.inst, Some(self.pc), f)
    }
}

impl fmt::Display for Inst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_inst(self, None, f)
    }
}

const COND: [&str; 16] = ["eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"];

fn cond(c: Cond) -> &'static str {
    COND[(c.0 & 15) as usize]
}

/// Xn/Wn with 31 = zero register.
fn rz(r: Reg, sf: bool) -> String {
    match (r.0, sf) {
        (31, true) => "xzr".into(),
        (31, false) => "wzr".into(),
        (n, true) => format!("x{n}"),
        (n, false) => format!("w{n}"),
    }
}
/// Xn/Wn with 31 = stack pointer.
fn rsp(r: Reg, sf: bool) -> String {
    match (r.0, sf) {
        (31, true) => "sp".into(),
        (31, false) => "wsp".into(),
        (n, true) => format!("x{n}"),
        (n, false) => format!("w{n}"),
    }
}

/// Capstone's immediate style: decimal up to 9, hex above, sign in front.
pub fn imm(v: i64) -> String {
    if v < 0 {
        if v > -10 {
            format!("#{v}")
        } else {
            format!("#-0x{:x}", v.unsigned_abs())
        }
    } else if v > 9 {
        format!("#0x{v:x}")
    } else {
        format!("#{v}")
    }
}
fn uimm(v: u64) -> String {
    if v > 9 {
        format!("#0x{v:x}")
    } else {
        format!("#{v}")
    }
}

fn target(pc: Option<u64>, offset: i64) -> String {
    match pc {
        Some(pc) => format!("#0x{:x}", pc.wrapping_add(offset as u64)),
        None => imm(offset),
    }
}

fn shift_name(s: Shift) -> &'static str {
    match s {
        Shift::Lsl => "lsl",
        Shift::Lsr => "lsr",
        Shift::Asr => "asr",
        Shift::Ror => "ror",
    }
}

fn ext_name(e: Extend) -> &'static str {
    match e {
        Extend::Uxtb => "uxtb",
        Extend::Uxth => "uxth",
        Extend::Uxtw => "uxtw",
        Extend::Uxtx => "uxtx",
        Extend::Sxtb => "sxtb",
        Extend::Sxth => "sxth",
        Extend::Sxtw => "sxtw",
        Extend::Sxtx => "sxtx",
    }
}

fn vreg_scalar(size: u8, r: u8) -> String {
    let p = match size {
        1 => 'b',
        2 => 'h',
        4 => 's',
        8 => 'd',
        _ => 'q',
    };
    format!("{p}{r}")
}

fn fty_reg(ty: FTy, r: VReg) -> String {
    let p = match ty {
        FTy::S => 's',
        FTy::D => 'd',
        FTy::H => 'h',
    };
    format!("{p}{}", r.0)
}

/// Arrangement suffix: size = log2 element bytes.
fn arr(q: bool, size: u8) -> &'static str {
    match (size, q) {
        (0, false) => "8b",
        (0, true) => "16b",
        (1, false) => "4h",
        (1, true) => "8h",
        (2, false) => "2s",
        (2, true) => "4s",
        (3, false) => "1d",
        _ => "2d",
    }
}
fn esuffix(size: u8) -> char {
    ['b', 'h', 's', 'd', 'q'][size.min(4) as usize]
}
fn vr(r: VReg, q: bool, size: u8) -> String {
    format!("v{}.{}", r.0, arr(q, size))
}

fn fp_imm_str(bits: u64, ty: FTy) -> String {
    let v = match ty {
        FTy::S => f32::from_bits(bits as u32) as f64,
        FTy::D => f64::from_bits(bits),
        // FMOV immediates are normal numbers: 2^(exp-15) * (1 + frac/1024).
        FTy::H => {
            let mag = 2f64.powi(((bits >> 10) & 0x1f) as i32 - 15) * (1.0 + (bits & 0x3ff) as f64 / 1024.0);
            if bits & 0x8000 != 0 {
                -mag
            } else {
                mag
            }
        }
    };
    format!("#{v:.8}")
}

fn mem_addr(a: Addr, size: u8, pc: Option<u64>) -> String {
    match a {
        Addr::Offset { rn, imm: 0, .. } => format!("[{}]", rsp(rn, true)),
        Addr::Offset { rn, imm: i, .. } => format!("[{}, {}]", rsp(rn, true), imm(i)),
        Addr::Pre { rn, imm: i } => format!("[{}, {}]!", rsp(rn, true), imm(i)),
        Addr::Post { rn, imm: i } => format!("[{}], {}", rsp(rn, true), imm(i)),
        Addr::RegOff { rn, rm, ext, shift } => {
            let x = matches!(ext, Extend::Uxtx | Extend::Sxtx);
            let amount = size.trailing_zeros();
            let base = format!("[{}, {}", rsp(rn, true), rz(rm, x));
            let name = if ext == Extend::Uxtx { "lsl" } else { ext_name(ext) };
            if shift {
                format!("{base}, {name} #{amount}]")
            } else if ext == Extend::Uxtx {
                format!("{base}]")
            } else {
                format!("{base}, {name}]")
            }
        }
        Addr::Unpriv { rn, imm: 0 } => format!("[{}]", rsp(rn, true)),
        Addr::Unpriv { rn, imm: i } => format!("[{}, {}]", rsp(rn, true), imm(i)),
        Addr::Literal { offset } => target(pc, offset),
    }
}

fn sysreg_name(r: u16) -> String {
    match r {
        sysreg::NZCV => "nzcv".into(),
        sysreg::FPCR => "fpcr".into(),
        sysreg::FPSR => "fpsr".into(),
        sysreg::TPIDR_EL0 => "tpidr_el0".into(),
        sysreg::TPIDRRO_EL0 => "tpidrro_el0".into(),
        sysreg::CNTFRQ_EL0 => "cntfrq_el0".into(),
        sysreg::CNTVCT_EL0 => "cntvct_el0".into(),
        sysreg::CTR_EL0 => "ctr_el0".into(),
        sysreg::DCZID_EL0 => "dczid_el0".into(),
        sysreg::MIDR_EL1 => "midr_el1".into(),
        sysreg::MPIDR_EL1 => "mpidr_el1".into(),
        sysreg::REVIDR_EL1 => "revidr_el1".into(),
        _ => {
            let (op0, op1, crn, crm, op2) = sysreg::fields(r);
            format!("s{op0}_{op1}_c{crn}_c{crm}_{op2}")
        }
    }
}

fn fmt_inst(inst: &Inst, pc: Option<u64>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut s = String::new();
    write_inst(&mut s, inst, pc)?;
    f.write_str(&hexify(&s))
}

/// Capstone prints immediates above 9 in hex, but shift and extend amounts in decimal.
/// Operands are formatted in decimal and converted here, so the rule lives in one place.
fn hexify(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < b.len() {
        if b[i] == 1 {
            // Marker: the number that follows stays as written.
            i += 1;
            continue;
        }
        if b[i] == b'[' && i > 0 && b[i - 1] != b' ' {
            // A lane index: hex above 9.
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && j < b.len() && b[j] == b']' {
                if let Ok(v) = s[i + 1..j].parse::<u64>() {
                    out.push_str(&if v > 9 { format!("[0x{v:x}]") } else { format!("[{v}]") });
                    i = j + 1;
                    continue;
                }
            }
        }
        if b[i] == b'#' && !(i + 1 < b.len() && b[i + 1] == 1) {
            let mut j = i + 1;
            let neg = j < b.len() && b[j] == b'-';
            if neg {
                j += 1;
            }
            let start = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let is_num = j > start && !(j < b.len() && (b[j] == b'.' || b[j] == b'x'));
            let before = &s[..i];
            let shift_amount = ["lsl ", "lsr ", "asr ", "ror ", "msl ", "xtw ", "xtx ", "xtb ", "xth "]
                .iter()
                .any(|p| before.ends_with(p));
            if is_num && !shift_amount {
                if let Ok(v) = s[start..j].parse::<u64>() {
                    out.push('#');
                    if neg {
                        out.push('-');
                    }
                    if v > 9 {
                        out.push_str(&format!("0x{v:x}"));
                    } else {
                        out.push_str(&v.to_string());
                    }
                    i = j;
                    continue;
                }
            }
        }
        out.push(b[i] as char);
        i += 1;
    }
    out
}

fn write_inst(s: &mut String, inst: &Inst, pc: Option<u64>) -> fmt::Result {
    match *inst {
        Inst::AddSubImm { sf, sub, flags, rd, rn, imm: i, shift12 } => {
            let v = if shift12 { i >> 12 } else { i };
            let sh = if shift12 { ", lsl #12" } else { "" };
            if !sub && !flags && v == 0 && !shift12 && (rd.0 == 31 || rn.0 == 31) {
                return write!(s, "mov {}, {}", rsp(rd, sf), rsp(rn, sf));
            }
            if flags && rd.0 == 31 {
                let m = if sub { "cmp" } else { "cmn" };
                return write!(s, "{m} {}, {}{sh}", rsp(rn, sf), uimm(v));
            }
            let m = match (sub, flags) {
                (false, false) => "add",
                (false, true) => "adds",
                (true, false) => "sub",
                (true, true) => "subs",
            };
            let d = if flags { rz(rd, sf) } else { rsp(rd, sf) };
            write!(s, "{m} {d}, {}, {}{sh}", rsp(rn, sf), uimm(v))
        }
        Inst::LogicImm { sf, op, rd, rn, imm: i } => {
            if op == LogicOp::Orr && rn.0 == 31 {
                return write!(s, "mov {}, {}", rsp(rd, sf), mov_imm(i, sf));
            }
            if op == LogicOp::Ands && rd.0 == 31 {
                return write!(s, "tst {}, {}", rz(rn, sf), limm(i, sf));
            }
            let m = match op {
                LogicOp::And => "and",
                LogicOp::Orr => "orr",
                LogicOp::Eor => "eor",
                LogicOp::Ands => "ands",
            };
            let d = if op == LogicOp::Ands { rz(rd, sf) } else { rsp(rd, sf) };
            let v = if op == LogicOp::Ands { limm(i, sf) } else { uimm(i) };
            write!(s, "{m} {d}, {}, {v}", rz(rn, sf))
        }
        Inst::MovWide { sf, op, rd, imm16, shift } => {
            let v = (imm16 as u64) << shift;
            match op {
                MovOp::Z if !(imm16 == 0 && shift != 0) => write!(s, "mov {}, {}", rz(rd, sf), mov_imm(v, sf)),
                MovOp::N if !(imm16 == 0 && shift != 0) && (sf || imm16 != 0xffff) => {
                    let v = if sf { !v } else { !v & 0xffff_ffff };
                    write!(s, "mov {}, {}", rz(rd, sf), mov_imm(v, sf))
                }
                _ => {
                    let m = match op {
                        MovOp::N => "movn",
                        MovOp::Z => "movz",
                        MovOp::K => "movk",
                    };
                    write!(s, "{m} {}, {}", rz(rd, sf), uimm(imm16 as u64))?;
                    if shift != 0 {
                        write!(s, ", lsl #{shift}")?;
                    }
                    Ok(())
                }
            }
        }
        Inst::Adr { page, rd, offset } => {
            let t = match pc {
                Some(pc) if page => format!("#0x{:x}", (pc & !0xfff).wrapping_add(offset as u64)),
                _ => target(pc, offset),
            };
            write!(s, "{} {}, {t}", if page { "adrp" } else { "adr" }, rz(rd, true))
        }
        Inst::Bitfield { sf, op, rd, rn, immr, imms } => bitfield_alias(s, sf, op, rd, rn, immr as u32, imms as u32),
        Inst::Extr { sf, rd, rn, rm, lsb } => {
            if rn == rm {
                write!(s, "ror {}, {}, #{lsb}", rz(rd, sf), rz(rn, sf))
            } else {
                write!(s, "extr {}, {}, {}, #{lsb}", rz(rd, sf), rz(rn, sf), rz(rm, sf))
            }
        }
        Inst::AddSubShift { sf, sub, flags, rd, rn, rm, shift, amount } => {
            let sh = if amount != 0 || shift != Shift::Lsl { format!(", {} #{amount}", shift_name(shift)) } else { String::new() };
            if flags && rd.0 == 31 {
                let m = if sub { "cmp" } else { "cmn" };
                return write!(s, "{m} {}, {}{sh}", rz(rn, sf), rz(rm, sf));
            }
            if sub && rn.0 == 31 {
                let m = if flags { "negs" } else { "neg" };
                return write!(s, "{m} {}, {}{sh}", rz(rd, sf), rz(rm, sf));
            }
            let m = match (sub, flags) {
                (false, false) => "add",
                (false, true) => "adds",
                (true, false) => "sub",
                (true, true) => "subs",
            };
            write!(s, "{m} {}, {}, {}{sh}", rz(rd, sf), rz(rn, sf), rz(rm, sf))
        }
        Inst::AddSubExt { sf, sub, flags, rd, rn, rm, ext, amount } => {
            let mx = sf && matches!(ext, Extend::Uxtx | Extend::Sxtx);
            // LSL is preferred for UXTX/UXTW when rd or rn is SP.
            let lsl_ok = (rd.0 == 31 && !flags || rn.0 == 31) && ext == if sf { Extend::Uxtx } else { Extend::Uxtw };
            let e = if lsl_ok {
                if amount == 0 {
                    String::new()
                } else {
                    format!(", lsl #{amount}")
                }
            } else if amount == 0 {
                format!(", {}", ext_name(ext))
            } else {
                format!(", {} #{amount}", ext_name(ext))
            };
            if flags && rd.0 == 31 {
                let m = if sub { "cmp" } else { "cmn" };
                return write!(s, "{m} {}, {}{e}", rsp(rn, sf), rz(rm, mx));
            }
            let m = match (sub, flags) {
                (false, false) => "add",
                (false, true) => "adds",
                (true, false) => "sub",
                (true, true) => "subs",
            };
            let d = if flags { rz(rd, sf) } else { rsp(rd, sf) };
            write!(s, "{m} {d}, {}, {}{e}", rsp(rn, sf), rz(rm, mx))
        }
        Inst::LogicShift { sf, op, not, rd, rn, rm, shift, amount } => {
            let sh = if amount != 0 || shift != Shift::Lsl { format!(", {} #{amount}", shift_name(shift)) } else { String::new() };
            if op == LogicOp::Orr && rn.0 == 31 {
                if !not && amount == 0 && shift == Shift::Lsl {
                    return write!(s, "mov {}, {}", rz(rd, sf), rz(rm, sf));
                }
                if not {
                    return write!(s, "mvn {}, {}{sh}", rz(rd, sf), rz(rm, sf));
                }
            }
            if op == LogicOp::Ands && rd.0 == 31 && !not {
                return write!(s, "tst {}, {}{sh}", rz(rn, sf), rz(rm, sf));
            }
            let m = match (op, not) {
                (LogicOp::And, false) => "and",
                (LogicOp::And, true) => "bic",
                (LogicOp::Orr, false) => "orr",
                (LogicOp::Orr, true) => "orn",
                (LogicOp::Eor, false) => "eor",
                (LogicOp::Eor, true) => "eon",
                (LogicOp::Ands, false) => "ands",
                (LogicOp::Ands, true) => "bics",
            };
            write!(s, "{m} {}, {}, {}{sh}", rz(rd, sf), rz(rn, sf), rz(rm, sf))
        }
        Inst::AddSubCarry { sf, sub, flags, rd, rn, rm } => {
            if sub && rn.0 == 31 {
                let m = if flags { "ngcs" } else { "ngc" };
                return write!(s, "{m} {}, {}", rz(rd, sf), rz(rm, sf));
            }
            let m = match (sub, flags) {
                (false, false) => "adc",
                (false, true) => "adcs",
                (true, false) => "sbc",
                (true, true) => "sbcs",
            };
            write!(s, "{m} {}, {}, {}", rz(rd, sf), rz(rn, sf), rz(rm, sf))
        }
        Inst::CondCmp { sf, neg, rn, rm, imm: i, nzcv, cond: c } => {
            let m = if neg { "ccmn" } else { "ccmp" };
            let b = match i {
                Some(i) => uimm(i as u64),
                None => rz(rm, sf),
            };
            write!(s, "{m} {}, {b}, {}, {}", rz(rn, sf), uimm(nzcv as u64), cond(c))
        }
        Inst::CondSel { sf, op, rd, rn, rm, cond: c } => {
            let inv = Cond(c.0 ^ 1);
            if c.0 < 14 && rn == rm {
                match op {
                    SelOp::Csinc if rn.0 == 31 => return write!(s, "cset {}, {}", rz(rd, sf), cond(inv)),
                    SelOp::Csinv if rn.0 == 31 => return write!(s, "csetm {}, {}", rz(rd, sf), cond(inv)),
                    SelOp::Csinc => return write!(s, "cinc {}, {}, {}", rz(rd, sf), rz(rn, sf), cond(inv)),
                    SelOp::Csinv => return write!(s, "cinv {}, {}, {}", rz(rd, sf), rz(rn, sf), cond(inv)),
                    SelOp::Csneg => return write!(s, "cneg {}, {}, {}", rz(rd, sf), rz(rn, sf), cond(inv)),
                    SelOp::Csel => {}
                }
            }
            let m = match op {
                SelOp::Csel => "csel",
                SelOp::Csinc => "csinc",
                SelOp::Csinv => "csinv",
                SelOp::Csneg => "csneg",
            };
            write!(s, "{m} {}, {}, {}, {}", rz(rd, sf), rz(rn, sf), rz(rm, sf), cond(c))
        }
        Inst::MulAdd { sf, sub, rd, rn, rm, ra } => {
            if ra.0 == 31 {
                let m = if sub { "mneg" } else { "mul" };
                return write!(s, "{m} {}, {}, {}", rz(rd, sf), rz(rn, sf), rz(rm, sf));
            }
            let m = if sub { "msub" } else { "madd" };
            write!(s, "{m} {}, {}, {}, {}", rz(rd, sf), rz(rn, sf), rz(rm, sf), rz(ra, sf))
        }
        Inst::MulAddLong { signed, sub, rd, rn, rm, ra } => {
            let p = if signed { "s" } else { "u" };
            if ra.0 == 31 {
                let m = if sub { "mnegl" } else { "mull" };
                return write!(s, "{p}{m} {}, {}, {}", rz(rd, true), rz(rn, false), rz(rm, false));
            }
            let m = if sub { "msubl" } else { "maddl" };
            write!(s, "{p}{m} {}, {}, {}, {}", rz(rd, true), rz(rn, false), rz(rm, false), rz(ra, true))
        }
        Inst::MulHigh { signed, rd, rn, rm } => {
            write!(s, "{}mulh {}, {}, {}", if signed { "s" } else { "u" }, rz(rd, true), rz(rn, true), rz(rm, true))
        }
        Inst::Div { sf, signed, rd, rn, rm } => {
            write!(s, "{}div {}, {}, {}", if signed { "s" } else { "u" }, rz(rd, sf), rz(rn, sf), rz(rm, sf))
        }
        Inst::ShiftVar { sf, shift, rd, rn, rm } => {
            write!(s, "{} {}, {}, {}", shift_name(shift), rz(rd, sf), rz(rn, sf), rz(rm, sf))
        }
        Inst::Unary { sf, op, rd, rn } => {
            let m = match op {
                UnaryOp::Rbit => "rbit",
                UnaryOp::Rev16 => "rev16",
                UnaryOp::Rev32 => "rev32",
                UnaryOp::Rev => "rev",
                UnaryOp::Clz => "clz",
                UnaryOp::Cls => "cls",
            };
            write!(s, "{m} {}, {}", rz(rd, sf), rz(rn, sf))
        }
        Inst::Crc32 { c, size, rd, rn, rm } => {
            let sfx = match size {
                1 => 'b',
                2 => 'h',
                4 => 'w',
                _ => 'x',
            };
            let cc = if c { "c" } else { "" };
            write!(s, "crc32{cc}{sfx} {}, {}, {}", rz(rd, false), rz(rn, false), rz(rm, size == 8))
        }
        Inst::B { link, offset } => write!(s, "{} {}", if link { "bl" } else { "b" }, target(pc, offset)),
        Inst::BCond { cond: c, offset } => write!(s, "b.{} {}", cond(c), target(pc, offset)),
        Inst::Br { kind, rn } => match kind {
            BrKind::Br => write!(s, "br {}", rz(rn, true)),
            BrKind::Blr => write!(s, "blr {}", rz(rn, true)),
            BrKind::Ret if rn.0 == 30 => write!(s, "ret"),
            BrKind::Ret => write!(s, "ret {}", rz(rn, true)),
        },
        Inst::Cbz { sf, nz, rt, offset } => {
            write!(s, "{} {}, {}", if nz { "cbnz" } else { "cbz" }, rz(rt, sf), target(pc, offset))
        }
        Inst::Tbz { nz, rt, bit, offset } => {
            write!(s, "{} {}, #{bit}, {}", if nz { "tbnz" } else { "tbz" }, rz(rt, bit >= 32), target(pc, offset))
        }
        Inst::Mem { kind, size, rt, addr } => {
            let unscaled = matches!(addr, Addr::Offset { unscaled: true, .. });
            let (base, reg) = match kind {
                MemKind::Str => ("st", rz(rt, size == 8)),
                MemKind::Ldr => ("ld", rz(rt, size == 8)),
                MemKind::Ldrs { x64 } => ("ld", rz(rt, x64)),
                MemKind::StrV => ("st", vreg_scalar(size, rt.0)),
                MemKind::LdrV => ("ld", vreg_scalar(size, rt.0)),
                MemKind::Prfm => ("prf", prfop(rt.0)),
            };
            let suffix = match (kind, size) {
                (MemKind::StrV | MemKind::LdrV | MemKind::Prfm, _) => "",
                (_, 1) => "b",
                (_, 2) => "h",
                (MemKind::Ldrs { .. }, 4) => "w",
                _ => "",
            };
            let unpriv = matches!(addr, Addr::Unpriv { .. });
            let r = if unpriv {
                "tr"
            } else if unscaled {
                "ur"
            } else {
                "r"
            };
            let m = match kind {
                MemKind::Prfm if unscaled => "prfum".to_string(),
                MemKind::Prfm => "prfm".to_string(),
                MemKind::Ldrs { .. } => format!("ld{r}s{suffix}"),
                _ => format!("{base}{r}{suffix}"),
            };
            write!(s, "{m} {reg}, {}", mem_addr(addr, size, pc))
        }
        Inst::Pair { load, fp, signed, nt, size, rt, rt2, addr } => {
            let m = match (load, nt, signed) {
                (true, _, true) => "ldpsw",
                (true, true, _) => "ldnp",
                (true, false, _) => "ldp",
                (false, true, _) => "stnp",
                (false, false, _) => "stp",
            };
            let (a, b) = if fp {
                (vreg_scalar(size, rt.0), vreg_scalar(size, rt2.0))
            } else {
                let x = size == 8 || signed;
                (rz(rt, x), rz(rt2, x))
            };
            write!(s, "{m} {a}, {b}, {}", mem_addr(addr, size, pc))
        }
        Inst::Excl { load, excl, pair, acq, rel, lo, size, rs, rt, rt2, rn } => {
            let x = size == 8;
            let suffix = match size {
                1 => "b",
                2 => "h",
                _ => "",
            };
            let m = match (load, excl) {
                (true, true) => format!("ld{}x{}{suffix}", if acq { "a" } else { "" }, if pair { "p" } else { "r" }),
                (false, true) => format!("st{}x{}{suffix}", if rel { "l" } else { "" }, if pair { "p" } else { "r" }),
                (true, false) => format!("ld{}ar{suffix}", if lo { "l" } else { "" }),
                (false, false) => format!("st{}lr{suffix}", if lo { "l" } else { "" }),
            };
            let base = rsp(rn, true);
            match (load, excl, pair) {
                (true, _, false) | (false, false, _) => write!(s, "{m} {}, [{base}]", rz(rt, x)),
                (true, _, true) => write!(s, "{m} {}, {}, [{base}]", rz(rt, x), rz(rt2, x)),
                (false, true, false) => write!(s, "{m} {}, {}, [{base}]", rz(rs, false), rz(rt, x)),
                (false, true, true) => write!(s, "{m} {}, {}, {}, [{base}]", rz(rs, false), rz(rt, x), rz(rt2, x)),
            }
        }
        Inst::MemRcpc { kind, size, rt, rn, imm: i } => {
            let suffix = match size {
                1 => "b",
                2 => "h",
                4 if matches!(kind, MemKind::Ldrs { .. }) => "w",
                _ => "",
            };
            let (m, x) = match kind {
                MemKind::Str => ("stlur", size == 8),
                MemKind::Ldrs { x64 } => ("ldapurs", x64),
                _ => ("ldapur", size == 8),
            };
            let addr = if i == 0 { format!("[{}]", rsp(rn, true)) } else { format!("[{}, {}]", rsp(rn, true), imm(i)) };
            write!(s, "{m}{suffix} {}, {addr}", rz(rt, x))
        }
        Inst::Ldapr { size, rt, rn } => {
            let suffix = match size {
                1 => "b",
                2 => "h",
                _ => "",
            };
            write!(s, "ldapr{suffix} {}, [{}]", rz(rt, size == 8), rsp(rn, true))
        }
        Inst::Atomic { op, size, acq, rel, rs, rt, rn } => {
            let name = match op {
                AtomicOp::Add => "add",
                AtomicOp::Clr => "clr",
                AtomicOp::Eor => "eor",
                AtomicOp::Set => "set",
                AtomicOp::Smax => "smax",
                AtomicOp::Smin => "smin",
                AtomicOp::Umax => "umax",
                AtomicOp::Umin => "umin",
                AtomicOp::Swp => "swp",
            };
            let order = match (acq, rel) {
                (false, false) => "",
                (true, false) => "a",
                (false, true) => "l",
                (true, true) => "al",
            };
            let suffix = match size {
                1 => "b",
                2 => "h",
                _ => "",
            };
            let x = size == 8;
            if op == AtomicOp::Swp {
                return write!(s, "swp{order}{suffix} {}, {}, [{}]", rz(rs, x), rz(rt, x), rsp(rn, true));
            }
            if rt.0 == 31 && !acq {
                return write!(s, "st{name}{order}{suffix} {}, [{}]", rz(rs, x), rsp(rn, true));
            }
            write!(s, "ld{name}{order}{suffix} {}, {}, [{}]", rz(rs, x), rz(rt, x), rsp(rn, true))
        }
        Inst::Cas { size, acq, rel, rs, rt, rn } => {
            let order = match (acq, rel) {
                (false, false) => "",
                (true, false) => "a",
                (false, true) => "l",
                (true, true) => "al",
            };
            let suffix = match size {
                1 => "b",
                2 => "h",
                _ => "",
            };
            let x = size == 8;
            write!(s, "cas{order}{suffix} {}, {}, [{}]", rz(rs, x), rz(rt, x), rsp(rn, true))
        }
        Inst::Casp { size, acq, rel, rs, rt, rn } => {
            let order = match (acq, rel) {
                (false, false) => "",
                (true, false) => "a",
                (false, true) => "l",
                (true, true) => "al",
            };
            let x = size == 8;
            write!(
                s,
                "casp{order} {}, {}, {}, {}, [{}]",
                rz(rs, x),
                rz(Reg(rs.0 + 1), x),
                rz(rt, x),
                rz(Reg(rt.0 + 1), x),
                rsp(rn, true)
            )
        }
        Inst::Svc { imm: i } => write!(s, "svc {}", uimm(i as u64)),
        Inst::Brk { imm: i } => write!(s, "brk {}", uimm(i as u64)),
        Inst::Hint { imm: i } => match i {
            0 => write!(s, "nop"),
            1 => write!(s, "yield"),
            2 => write!(s, "wfe"),
            3 => write!(s, "wfi"),
            4 => write!(s, "sev"),
            5 => write!(s, "sevl"),
            7 => write!(s, "xpaclri"),
            8 => write!(s, "pacia1716"),
            10 => write!(s, "pacib1716"),
            12 => write!(s, "autia1716"),
            14 => write!(s, "autib1716"),
            24 => write!(s, "paciaz"),
            25 => write!(s, "paciasp"),
            26 => write!(s, "pacibz"),
            27 => write!(s, "pacibsp"),
            28 => write!(s, "autiaz"),
            29 => write!(s, "autiasp"),
            30 => write!(s, "autibz"),
            31 => write!(s, "autibsp"),
            32 => write!(s, "bti"),
            34 => write!(s, "bti c"),
            36 => write!(s, "bti j"),
            38 => write!(s, "bti jc"),
            _ => write!(s, "hint {}", uimm(i as u64)),
        },
        Inst::Barrier { kind, crm } => {
            let opt = match crm {
                1 => "oshld".to_string(),
                2 => "oshst".into(),
                3 => "osh".into(),
                5 => "nshld".into(),
                6 => "nshst".into(),
                7 => "nsh".into(),
                9 => "ishld".into(),
                10 => "ishst".into(),
                11 => "ish".into(),
                13 => "ld".into(),
                14 => "st".into(),
                15 => "sy".into(),
                n => format!("#0x{n:x}"),
            };
            match kind {
                Barrier::Dmb => write!(s, "dmb {opt}"),
                Barrier::Dsb => write!(s, "dsb {opt}"),
                Barrier::Isb if crm == 15 => write!(s, "isb"),
                Barrier::Isb => write!(s, "isb {}", uimm(crm as u64)),
                Barrier::Clrex if crm == 15 => write!(s, "clrex"),
                Barrier::Clrex => write!(s, "clrex {}", uimm(crm as u64)),
            }
        }
        Inst::Mrs { rt, reg } => write!(s, "mrs {}, {}", rz(rt, true), sysreg_name(reg)),
        Inst::Msr { rt, reg } => {
            // Read-only registers have no name as MSR destinations.
            let ro = matches!(
                reg,
                sysreg::MIDR_EL1 | sysreg::MPIDR_EL1 | sysreg::REVIDR_EL1 | sysreg::CTR_EL0 | sysreg::DCZID_EL0 | sysreg::CNTVCT_EL0
            );
            let name = if ro {
                let (op0, op1, crn, crm, op2) = sysreg::fields(reg);
                format!("s{op0}_{op1}_c{crn}_c{crm}_{op2}")
            } else {
                sysreg_name(reg)
            };
            write!(s, "msr {name}, {}", rz(rt, true))
        }
        Inst::Sys { op1, crn, crm, op2, rt } => {
            let name = match (op1, crn, crm, op2) {
                (3, 7, 4, 1) => Some("dc zva"),
                (3, 7, 5, 1) => Some("ic ivau"),
                (3, 7, 11, 1) => Some("dc cvau"),
                (3, 7, 10, 1) => Some("dc cvac"),
                (3, 7, 14, 1) => Some("dc civac"),
                (3, 7, 12, 1) => Some("dc cvap"),
                (0, 7, 5, 0) => return write!(s, "ic iallu"),
                (0, 7, 1, 0) => return write!(s, "ic ialluis"),
                _ => None,
            };
            match name {
                Some(n) => write!(s, "{n}, {}", rz(rt, true)),
                None if rt.0 == 31 => write!(s, "sys #{op1}, c{crn}, c{crm}, #{op2}"),
                None => write!(s, "sys #{op1}, c{crn}, c{crm}, #{op2}, {}", rz(rt, true)),
            }
        }
        Inst::FMovGen { to_fp, sf, ty, top, rd, rn } => {
            let v = if top {
                format!("v{}.d[1]", if to_fp { rd } else { rn })
            } else {
                fty_reg(ty, VReg(if to_fp { rd } else { rn }))
            };
            if to_fp {
                write!(s, "fmov {v}, {}", rz(Reg(rn), sf))
            } else {
                write!(s, "fmov {}, {v}", rz(Reg(rd), sf))
            }
        }
        Inst::FMovImm { ty, rd, imm: i } => write!(s, "fmov {}, {}", fty_reg(ty, rd), fp_imm_str(i, ty)),
        Inst::FOp1 { op, ty, rd, rn } => {
            let m = match op {
                FOp1::Mov => "fmov",
                FOp1::Abs => "fabs",
                FOp1::Neg => "fneg",
                FOp1::Sqrt => "fsqrt",
                FOp1::Rint32 { exact } => if exact { "frint32x" } else { "frint32z" },
                FOp1::Rint64 { exact } => if exact { "frint64x" } else { "frint64z" },
                FOp1::Rint(r) => match r {
                    Round::Nearest => "frintn",
                    Round::Plus => "frintp",
                    Round::Minus => "frintm",
                    Round::Zero => "frintz",
                    Round::Away => "frinta",
                    Round::Exact => "frintx",
                    Round::Current => "frinti",
                },
            };
            write!(s, "{m} {}, {}", fty_reg(ty, rd), fty_reg(ty, rn))
        }
        Inst::FOp2 { op, ty, rd, rn, rm } => {
            let m = match op {
                FOp2::Mul => "fmul",
                FOp2::Div => "fdiv",
                FOp2::Add => "fadd",
                FOp2::Sub => "fsub",
                FOp2::Max => "fmax",
                FOp2::Min => "fmin",
                FOp2::MaxNm => "fmaxnm",
                FOp2::MinNm => "fminnm",
                FOp2::Nmul => "fnmul",
            };
            write!(s, "{m} {}, {}, {}", fty_reg(ty, rd), fty_reg(ty, rn), fty_reg(ty, rm))
        }
        Inst::Fma { op, ty, rd, rn, rm, ra } => {
            let m = match op {
                FmaOp::Madd => "fmadd",
                FmaOp::Msub => "fmsub",
                FmaOp::Nmadd => "fnmadd",
                FmaOp::Nmsub => "fnmsub",
            };
            write!(s, "{m} {}, {}, {}, {}", fty_reg(ty, rd), fty_reg(ty, rn), fty_reg(ty, rm), fty_reg(ty, ra))
        }
        Inst::FCmp { ty, rn, rm, zero, signal } => {
            let m = if signal { "fcmpe" } else { "fcmp" };
            if zero {
                write!(s, "{m} {}, #0.0", fty_reg(ty, rn))
            } else {
                write!(s, "{m} {}, {}", fty_reg(ty, rn), fty_reg(ty, rm))
            }
        }
        Inst::FCondCmp { ty, rn, rm, nzcv, cond: c, signal } => {
            let m = if signal { "fccmpe" } else { "fccmp" };
            write!(s, "{m} {}, {}, {}, {}", fty_reg(ty, rn), fty_reg(ty, rm), uimm(nzcv as u64), cond(c))
        }
        Inst::FCsel { ty, rd, rn, rm, cond: c } => {
            write!(s, "fcsel {}, {}, {}, {}", fty_reg(ty, rd), fty_reg(ty, rn), fty_reg(ty, rm), cond(c))
        }
        Inst::FCvt { from, to, rd, rn } => write!(s, "fcvt {}, {}", fty_reg(to, rd), fty_reg(from, rn)),
        Inst::IntToFp { signed, sf, ty, rd, rn } => {
            write!(s, "{}cvtf {}, {}", if signed { "s" } else { "u" }, fty_reg(ty, rd), rz(rn, sf))
        }
        Inst::FpToInt { round, signed, sf, ty, rd, rn } => {
            let r = match round {
                Round::Nearest => 'n',
                Round::Plus => 'p',
                Round::Minus => 'm',
                Round::Zero => 'z',
                _ => 'a',
            };
            write!(s, "fcvt{r}{} {}, {}", if signed { 's' } else { 'u' }, rz(rd, sf), fty_reg(ty, rn))
        }
        Inst::V3 { op, q, size, rd, rn, rm } => {
            let m = v3_name(op);
            if op == VOp3::Orr && rn == rm {
                return write!(s, "mov {}, {}", vr(rd, q, 0), vr(rn, q, 0));
            }
            write!(s, "{m} {}, {}, {}", vr(rd, q, size), vr(rn, q, size), vr(rm, q, size))
        }
        Inst::VLong { op: op @ (VLongOp::Addhn | VLongOp::Raddhn | VLongOp::Subhn | VLongOp::Rsubhn), q, size, rd, rn, rm, .. } => {
            let m = match op {
                VLongOp::Addhn => "addhn",
                VLongOp::Raddhn => "raddhn",
                VLongOp::Subhn => "subhn",
                _ => "rsubhn",
            };
            let two = if q { "2" } else { "" };
            write!(s, "{m}{two} {}, {}, {}", vr(rd, q, size), vr(rn, true, size + 1), vr(rm, true, size + 1))
        }
        Inst::VLong { op: VLongOp::Pmull, q, size: 3, rd, rn, rm, .. } => {
            let two = if q { "2" } else { "" };
            write!(s, "pmull{two} v{}.1q, {}, {}", rd.0, vr(rn, q, 3), vr(rm, q, 3))
        }
        Inst::VLong { op: op @ (VLongOp::Pmull | VLongOp::Sqdmull | VLongOp::Sqdmlal | VLongOp::Sqdmlsl), q, size, rd, rn, rm, .. } => {
            let two = if q { "2" } else { "" };
            write!(s, "{}{two} {}, {}, {}", long_name(op), vr(rd, true, size + 1), vr(rn, q, size), vr(rm, q, size))
        }
        Inst::VLong { op, signed, q, size, rd, rn, rm } => {
            let m = match op {
                VLongOp::Addl => "addl",
                VLongOp::Addw => "addw",
                VLongOp::Subl => "subl",
                VLongOp::Subw => "subw",
                VLongOp::Abal => "abal",
                VLongOp::Abdl => "abdl",
                VLongOp::Mlal => "mlal",
                VLongOp::Mlsl => "mlsl",
                _ => "mull",
            };
            let wide_n = matches!(op, VLongOp::Addw | VLongOp::Subw);
            let n = if wide_n { vr(rn, true, size + 1) } else { vr(rn, q, size) };
            write!(
                s,
                "{}{m}{} {}, {n}, {}",
                if signed { 's' } else { 'u' },
                if q { "2" } else { "" },
                vr(rd, true, size + 1),
                vr(rm, q, size)
            )
        }
        Inst::S2 { op, size, rd, rn } => {
            let m = v2_name(op);
            let p = esuffix(size);
            match op {
                VOp2::Sqxtn | VOp2::Uqxtn | VOp2::Sqxtun | VOp2::Fcvtxn => write!(s, "{m} {p}{}, {}{}", rd.0, esuffix(size + 1), rn.0),
                VOp2::Cmeq0 | VOp2::Cmge0 | VOp2::Cmgt0 | VOp2::Cmle0 | VOp2::Cmlt0 => write!(s, "{m} {p}{}, {p}{}, #0", rd.0, rn.0),
                VOp2::Fcmeq0 | VOp2::Fcmge0 | VOp2::Fcmgt0 | VOp2::Fcmle0 | VOp2::Fcmlt0 => write!(s, "{m} {p}{}, {p}{}, #0.0", rd.0, rn.0),
                _ => write!(s, "{m} {p}{}, {p}{}", rd.0, rn.0),
            }
        }
        Inst::S3 { op, size, rd, rn, rm } => {
            let p = esuffix(size);
            write!(s, "{} {p}{}, {p}{}, {p}{}", v3_name(op), rd.0, rn.0, rm.0)
        }
        Inst::SPair { op, size, rd, rn } => {
            let m = if op == VOp3::Addp { "addp" } else { v3_name(op) };
            if size == 1 {
                return write!(s, "{m} h{}, v{}.2h", rd.0, rn.0);
            }
            write!(s, "{m} {}{}, {}", esuffix(size), rd.0, vr(rn, size == 3, size))
        }
        Inst::SLong { op, size, rd, rn, rm } => {
            let (w, n) = (esuffix(size + 1), esuffix(size));
            write!(s, "{} {w}{}, {n}{}, {n}{}", long_name(op), rd.0, rn.0, rm.0)
        }
        Inst::SLongElem { op, size, index, rd, rn, rm } => {
            let (w, n) = (esuffix(size + 1), esuffix(size));
            write!(s, "{} {w}{}, {n}{}, v{}.{n}[{index}]", long_name(op), rd.0, rn.0, rm.0)
        }
        Inst::SElem { op, size, index, rd, rn, rm } => {
            let p = esuffix(size);
            write!(s, "{} {p}{}, {p}{}, v{}.{p}[{index}]", elem_name(op), rd.0, rn.0, rm.0)
        }
        Inst::FlagOp { op } => write!(
            s,
            "{}",
            match op {
                FlagOp::Cfinv => "cfinv",
                FlagOp::Xaflag => "xaflag",
                FlagOp::Axflag => "axflag",
            }
        ),
        Inst::Rmif { rn, shift, mask } => write!(s, "rmif {}, {}, {}", rz(rn, true), uimm(shift as u64), uimm(mask as u64)),
        Inst::Setf { sixteen, rn } => write!(s, "setf{} {}", if sixteen { 16 } else { 8 }, rz(rn, false)),
        Inst::Aes { op, rd, rn } => {
            let m = match op {
                AesOp::E => "aese",
                AesOp::D => "aesd",
                AesOp::Mc => "aesmc",
                AesOp::Imc => "aesimc",
            };
            write!(s, "{m} v{}.16b, v{}.16b", rd.0, rn.0)
        }
        Inst::Sha { op, rd, rn, rm } => match op {
            ShaOp::Sha1c | ShaOp::Sha1p | ShaOp::Sha1m => {
                let m = ["sha1c", "sha1p", "sha1m"][op as usize];
                write!(s, "{m} q{}, s{}, v{}.4s", rd.0, rn.0, rm.0)
            }
            ShaOp::Sha256h => write!(s, "sha256h q{}, q{}, v{}.4s", rd.0, rn.0, rm.0),
            ShaOp::Sha256h2 => write!(s, "sha256h2 q{}, q{}, v{}.4s", rd.0, rn.0, rm.0),
            ShaOp::Sha1su0 => write!(s, "sha1su0 v{}.4s, v{}.4s, v{}.4s", rd.0, rn.0, rm.0),
            ShaOp::Sha256su1 => write!(s, "sha256su1 v{}.4s, v{}.4s, v{}.4s", rd.0, rn.0, rm.0),
            ShaOp::Sha1h => write!(s, "sha1h s{}, s{}", rd.0, rn.0),
            ShaOp::Sha1su1 => write!(s, "sha1su1 v{}.4s, v{}.4s", rd.0, rn.0),
            ShaOp::Sha256su0 => write!(s, "sha256su0 v{}.4s, v{}.4s", rd.0, rn.0),
        },
        Inst::FixedToFp { signed, sf, ty, fbits, rd, rn } => {
            write!(s, "{}cvtf {}, {}, #{fbits}", if signed { "s" } else { "u" }, fty_reg(ty, rd), rz(rn, sf))
        }
        Inst::FpToFixed { signed, sf, ty, fbits, rd, rn } => {
            write!(s, "fcvtz{} {}, {}, #{fbits}", if signed { "s" } else { "u" }, rz(rd, sf), fty_reg(ty, rn))
        }
        Inst::V2 { op, q, size, rd, rn } => {
            let m = v2_name(op);
            match op {
                VOp2::Xtn | VOp2::Sqxtn | VOp2::Uqxtn | VOp2::Sqxtun => {
                    write!(s, "{m}{} {}, {}", if q { "2" } else { "" }, vr(rd, q, size), vr(rn, true, size + 1))
                }
                VOp2::Uaddlp | VOp2::Saddlp => write!(s, "{m} {}, {}", vr(rd, q, size + 1), vr(rn, q, size)),
                VOp2::Shll => {
                    write!(s, "shll{} {}, {}, #\u{1}{}", if q { "2" } else { "" }, vr(rd, true, size + 1), vr(rn, q, size), 8 << size)
                }
                VOp2::Not => write!(s, "mvn {}, {}", vr(rd, q, 0), vr(rn, q, 0)),
                VOp2::Cmeq0 | VOp2::Cmge0 | VOp2::Cmgt0 | VOp2::Cmle0 | VOp2::Cmlt0 => {
                    write!(s, "{m} {}, {}, #0", vr(rd, q, size), vr(rn, q, size))
                }
                VOp2::Fcmeq0 | VOp2::Fcmge0 | VOp2::Fcmgt0 | VOp2::Fcmle0 | VOp2::Fcmlt0 => {
                    write!(s, "{m} {}, {}, #0.0", vr(rd, q, size), vr(rn, q, size))
                }
                VOp2::Bfcvtn => write!(s, "bfcvtn{} {}, {}", if q { "2" } else { "" }, vr(rd, q, 1), vr(rn, true, 2)),
                VOp2::Fcvtn | VOp2::Fcvtxn => {
                    write!(s, "{m}{} {}, {}", if q { "2" } else { "" }, vr(rd, q, size), vr(rn, true, size + 1))
                }
                VOp2::Fcvtl => write!(s, "fcvtl{} {}, {}", if q { "2" } else { "" }, vr(rd, true, size + 1), vr(rn, q, size)),
                VOp2::Uadalp | VOp2::Sadalp => write!(s, "{m} {}, {}", vr(rd, q, size + 1), vr(rn, q, size)),
                _ => write!(s, "{m} {}, {}", vr(rd, q, size), vr(rn, q, size)),
            }
        }
        Inst::VLongElem { op, signed, q, size, index, rd, rn, rm } => {
            let m = match op {
                VLongOp::Mlal => "mlal",
                VLongOp::Mlsl => "mlsl",
                VLongOp::Sqdmull => "qdmull",
                VLongOp::Sqdmlal => "qdmlal",
                VLongOp::Sqdmlsl => "qdmlsl",
                _ => "mull",
            };
            write!(
                s,
                "{}{m}{} {}, {}, v{}.{}[{index}]",
                if signed || matches!(op, VLongOp::Sqdmull | VLongOp::Sqdmlal | VLongOp::Sqdmlsl) { 's' } else { 'u' },
                if q { "2" } else { "" },
                vr(rd, true, size + 1),
                vr(rn, q, size),
                rm.0,
                ['b', 'h', 's', 'd'][size as usize]
            )
        }
        Inst::VElem { op, q, size, index, rd, rn, rm } => {
            let m = elem_name(op);
            write!(s, "{m} {}, {}, v{}.{}[{index}]", vr(rd, q, size), vr(rn, q, size), rm.0, ['b', 'h', 's', 'd'][size as usize])
        }
        Inst::VReduce { op, q, size, rd, rn } => {
            let m = match op {
                VReduce::Addv => "addv",
                VReduce::Umaxv => "umaxv",
                VReduce::Uminv => "uminv",
                VReduce::Smaxv => "smaxv",
                VReduce::Sminv => "sminv",
                VReduce::Uaddlv => "uaddlv",
                VReduce::Saddlv => "saddlv",
                VReduce::Fmaxv => "fmaxv",
                VReduce::Fminv => "fminv",
                VReduce::Fmaxnmv => "fmaxnmv",
                VReduce::Fminnmv => "fminnmv",
            };
            let out = if matches!(op, VReduce::Uaddlv | VReduce::Saddlv) { size + 1 } else { size };
            write!(s, "{m} {}{}, {}", esuffix(out), rd.0, vr(rn, q, size))
        }
        Inst::VShift { op, q, size, shift, rd, rn } => {
            let m = shift_name_of(op);
            let two = if q { "2" } else { "" };
            match op {
                _ if op.narrows() => {
                    write!(s, "{m}{two} {}, {}, #{shift}", vr(rd, q, size - 1), vr(rn, true, size))
                }
                VShiftOp::Ushll | VShiftOp::Sshll => {
                    write!(s, "{m}{two} {}, {}, #{shift}", vr(rd, true, size + 1), vr(rn, q, size))
                }
                _ => write!(s, "{m} {}, {}, #{shift}", vr(rd, q, size), vr(rn, q, size)),
            }
        }
        Inst::SShift { op, size, shift, rd, rn } => {
            let m = shift_name_of(op);
            let (d, n) = if op.narrows() { (esuffix(size - 1), esuffix(size)) } else { (esuffix(size), esuffix(size)) };
            write!(s, "{m} {d}{}, {n}{}, #{shift}", rd.0, rn.0)
        }
        Inst::VMovImm { q, op, rd, imm: i, cmode, abc: _ } => {
            if op == 6 {
                return write!(s, "fmov {}, {}", vr(rd, q, 1), fp_imm_str(i & 0xffff, FTy::H));
            }
            let m = match op {
                0 => "movi",
                1 => "mvni",
                2 => "orr",
                3 => "bic",
                _ => "fmov",
            };
            let (size, val, sh) = match cmode >> 1 {
                0..=3 => (2u8, (if op & 1 == 1 { !i } else { i }) as u32 >> (8 * (cmode >> 1)) & 0xff, 8 * (cmode >> 1) as u32),
                4 | 5 => (1, ((if op & 1 == 1 { !i } else { i }) as u16 >> (8 * ((cmode >> 1) - 4))) as u32 & 0xff, 8 * ((cmode >> 1) - 4) as u32),
                6 => {
                    let v = if op & 1 == 1 { !i } else { i } as u32;
                    let (sh, val) = if cmode & 1 == 0 { (8, (v >> 8) & 0xff) } else { (16, (v >> 16) & 0xff) };
                    return write!(s, "{m} {}, {}, msl #{sh}", vr(rd, q, 2), uimm(val as u64));
                }
                _ => {
                    if op == 4 {
                        let d = q && i >> 32 != i & 0xffff_ffff;
                        return if d {
                            write!(s, "fmov {}, {}", vr(rd, q, 3), fp_imm_str(i, FTy::D))
                        } else {
                            write!(s, "fmov {}, {}", vr(rd, q, 2), fp_imm_str(i & 0xffff_ffff, FTy::S))
                        };
                    }
                    if op == 0 && i == (i & 0xff) * 0x0101_0101_0101_0101 {
                        return write!(s, "movi {}, {}", vr(rd, q, 0), uimm(i & 0xff));
                    }
                    // Capstone prints the 64-bit pattern as 14 hex digits at least.
                    let v = format!("#\u{1}0x{i:014x}");
                    return if q { write!(s, "movi {}, {v}", vr(rd, true, 3)) } else { write!(s, "movi d{}, {v}", rd.0) };
                }
            };
            if sh == 0 {
                write!(s, "{m} {}, {}", vr(rd, q, size), uimm(val as u64))
            } else {
                write!(s, "{m} {}, {}, lsl #{sh}", vr(rd, q, size), uimm(val as u64))
            }
        }
        Inst::DupElem { q, size, index, rd, rn } => {
            write!(s, "dup {}, v{}.{}[{index}]", vr(rd, q, size), rn.0, esuffix(size))
        }
        Inst::DupScalar { size, index, rd, rn } => {
            let e = esuffix(size);
            write!(s, "mov {e}{}, v{}.{e}[{index}]", rd.0, rn.0)
        }
        Inst::DupGen { q, size, rd, rn } => write!(s, "dup {}, {}", vr(rd, q, size), rz(rn, size == 3)),
        Inst::InsGen { size, index, rd, rn } => {
            write!(s, "mov v{}.{}[{index}], {}", rd.0, esuffix(size), rz(rn, size == 3))
        }
        Inst::InsElem { size, i1, i2, rd, rn } => {
            let e = esuffix(size);
            write!(s, "mov v{}.{e}[{i1}], v{}.{e}[{i2}]", rd.0, rn.0)
        }
        Inst::MovToGen { signed, sf, size, index, rd, rn } => {
            let e = esuffix(size);
            if !signed && size >= 2 {
                write!(s, "mov {}, v{}.{e}[{index}]", rz(rd, sf), rn.0)
            } else {
                write!(s, "{}mov {}, v{}.{e}[{index}]", if signed { 's' } else { 'u' }, rz(rd, sf), rn.0)
            }
        }
        Inst::Ext { q, index, rd, rn, rm } => {
            write!(s, "ext {}, {}, {}, {}", vr(rd, q, 0), vr(rn, q, 0), vr(rm, q, 0), uimm(index as u64))
        }
        Inst::Tbl { q, tbx, len, rd, rn, rm } => {
            let list: Vec<String> = (0..len).map(|k| format!("v{}.16b", (rn.0 + k) % 32)).collect();
            write!(s, "{} {}, {{{}}}, {}", if tbx { "tbx" } else { "tbl" }, vr(rd, q, 0), list.join(", "), vr(rm, q, 0))
        }
        Inst::VLdSt { load, q, size, nreg, interleave, rt, rn, post } => {
            let m = format!("{}{}", if load { "ld" } else { "st" }, interleave);
            let list: Vec<String> = (0..nreg).map(|k| vr(VReg((rt.0 + k) % 32), q, size)).collect();
            let total = (if q { 16 } else { 8 }) * nreg as u64;
            write!(s, "{m} {{{}}}, [{}]", list.join(", "), rsp(rn, true))?;
            post_str(s, post, total)
        }
        Inst::VLd1r { q, size, nreg, rt, rn, post } => {
            let list: Vec<String> = (0..nreg).map(|k| vr(VReg((rt.0 + k) % 32), q, size)).collect();
            write!(s, "ld{nreg}r {{{}}}, [{}]", list.join(", "), rsp(rn, true))?;
            post_str(s, post, (nreg as u64) << size)
        }
        Inst::VLdStLane { load, size, nreg, index, rt, rn, post } => {
            let list: Vec<String> = (0..nreg).map(|k| format!("v{}.{}", (rt.0 + k) % 32, esuffix(size))).collect();
            write!(s, "{}{nreg} {{{}}}[{index}], [{}]", if load { "ld" } else { "st" }, list.join(", "), rsp(rn, true))?;
            post_str(s, post, (nreg as u64) << size)
        }
        Inst::Fjcvtzs { rd, rn } => write!(s, "fjcvtzs {}, d{}", rz(rd, false), rn.0),
        Inst::Bfcvt { rd, rn } => write!(s, "bfcvt h{}, s{}", rd.0, rn.0),
        Inst::Dot { kind, q, index, rd, rn, rm } => {
            let (m, src) = match kind {
                DotKind::Sdot => ("sdot", 0),
                DotKind::Udot => ("udot", 0),
                DotKind::Usdot => ("usdot", 0),
                DotKind::Sudot => ("sudot", 0),
                DotKind::Bfdot => ("bfdot", 1),
            };
            write!(s, "{m} {}, {}, ", vr(rd, q, 2), vr(rn, q, src))?;
            match index {
                None => write!(s, "{}", vr(rm, q, src)),
                Some(i) => write!(s, "v{}.{}[{i}]", rm.0, if src == 0 { "4b" } else { "2h" }),
            }
        }
        Inst::Mmla { kind, rd, rn, rm } => {
            let (m, src) = match kind {
                MmlaKind::Smmla => ("smmla", 0),
                MmlaKind::Ummla => ("ummla", 0),
                MmlaKind::Usmmla => ("usmmla", 0),
                MmlaKind::Bfmmla => ("bfmmla", 1),
            };
            write!(s, "{m} {}, {}, {}", vr(rd, true, 2), vr(rn, true, src), vr(rm, true, src))
        }
        Inst::Bfmlal { top, index, rd, rn, rm } => {
            write!(s, "bfmlal{} {}, {}, ", if top { 't' } else { 'b' }, vr(rd, true, 2), vr(rn, true, 1))?;
            match index {
                None => write!(s, "{}", vr(rm, true, 1)),
                Some(i) => write!(s, "v{}.h[{i}]", rm.0),
            }
        }
        Inst::Fmlal { sub, upper, q, index, rd, rn, rm } => {
            let m = if sub { "fmlsl" } else { "fmlal" };
            let h = if q { "4h" } else { "2h" };
            write!(s, "{m}{} {}, v{}.{h}, ", if upper { "2" } else { "" }, vr(rd, q, 2), rn.0)?;
            match index {
                None => write!(s, "v{}.{h}", rm.0),
                Some(i) => write!(s, "v{}.h[{i}]", rm.0),
            }
        }
        Inst::Fcmla { q, size, rot, index, rd, rn, rm } => {
            write!(s, "fcmla {}, {}, ", vr(rd, q, size), vr(rn, q, size))?;
            match index {
                None => write!(s, "{}", vr(rm, q, size))?,
                Some(i) => write!(s, "v{}.{}[{i}]", rm.0, esuffix(size))?,
            }
            write!(s, ", #{}", rot as u32 * 90)
        }
        Inst::Fcadd { q, size, rot270, rd, rn, rm } => {
            write!(s, "fcadd {}, {}, {}, #{}", vr(rd, q, size), vr(rn, q, size), vr(rm, q, size), if rot270 { 270 } else { 90 })
        }
        Inst::Crypto { op, rd, rn, rm, ra, imm: i } => {
            let (b16, d2, s4) = (|r: VReg| format!("v{}.16b", r.0), |r: VReg| format!("v{}.2d", r.0), |r: VReg| format!("v{}.4s", r.0));
            match op {
                CryptoOp::Eor3 => write!(s, "eor3 {}, {}, {}, {}", b16(rd), b16(rn), b16(rm), b16(ra)),
                CryptoOp::Bcax => write!(s, "bcax {}, {}, {}, {}", b16(rd), b16(rn), b16(rm), b16(ra)),
                CryptoOp::Rax1 => write!(s, "rax1 {}, {}, {}", d2(rd), d2(rn), d2(rm)),
                CryptoOp::Xar => write!(s, "xar {}, {}, {}, #{i}", d2(rd), d2(rn), d2(rm)),
                CryptoOp::Sha512h => write!(s, "sha512h q{}, q{}, {}", rd.0, rn.0, d2(rm)),
                CryptoOp::Sha512h2 => write!(s, "sha512h2 q{}, q{}, {}", rd.0, rn.0, d2(rm)),
                CryptoOp::Sha512su0 => write!(s, "sha512su0 {}, {}", d2(rd), d2(rn)),
                CryptoOp::Sha512su1 => write!(s, "sha512su1 {}, {}, {}", d2(rd), d2(rn), d2(rm)),
                CryptoOp::Sm3ss1 => write!(s, "sm3ss1 {}, {}, {}, {}", s4(rd), s4(rn), s4(rm), s4(ra)),
                CryptoOp::Sm3tt1a | CryptoOp::Sm3tt1b | CryptoOp::Sm3tt2a | CryptoOp::Sm3tt2b => {
                    let m = match op {
                        CryptoOp::Sm3tt1a => "sm3tt1a",
                        CryptoOp::Sm3tt1b => "sm3tt1b",
                        CryptoOp::Sm3tt2a => "sm3tt2a",
                        _ => "sm3tt2b",
                    };
                    write!(s, "{m} {}, {}, v{}.s[{i}]", s4(rd), s4(rn), rm.0)
                }
                CryptoOp::Sm3partw1 => write!(s, "sm3partw1 {}, {}, {}", s4(rd), s4(rn), s4(rm)),
                CryptoOp::Sm3partw2 => write!(s, "sm3partw2 {}, {}, {}", s4(rd), s4(rn), s4(rm)),
                CryptoOp::Sm4e => write!(s, "sm4e {}, {}", s4(rd), s4(rn)),
                CryptoOp::Sm4ekey => write!(s, "sm4ekey {}, {}, {}", s4(rd), s4(rn), s4(rm)),
            }
        }
        Inst::Illegal { raw } => write!(s, ".inst 0x{raw:08x}"),
    }
}


/// Logical immediates: 64-bit ones print signed, as capstone does.
fn limm(i: u64, sf: bool) -> String {
    if sf {
        imm(i as i64)
    } else {
        uimm(i)
    }
}

fn post_str(s: &mut String, post: Option<Reg>, total: u64) -> fmt::Result {
    match post {
        None => Ok(()),
        Some(Reg(31)) => write!(s, ", #\u{1}{total}"),
        Some(r) => write!(s, ", {}", rz(r, true)),
    }
}

fn mov_imm(v: u64, sf: bool) -> String {
    if sf {
        imm(v as i64)
    } else {
        imm(v as u32 as i32 as i64)
    }
}

fn prfop(rt: u8) -> String {
    let t = ["pld", "pli", "pst"];
    let l = ["l1", "l2", "l3"];
    let kind = rt >> 3;
    let target = (rt >> 1) & 3;
    if kind < 3 && target < 3 {
        format!("{}{}{}", t[kind as usize], l[target as usize], if rt & 1 == 1 { "strm" } else { "keep" })
    } else {
        uimm(rt as u64)
    }
}

fn shift_name_of(op: VShiftOp) -> &'static str {
    use VShiftOp::*;
    match op {
        Shl => "shl",
        Ushr => "ushr",
        Sshr => "sshr",
        Usra => "usra",
        Ssra => "ssra",
        Sri => "sri",
        Sli => "sli",
        Shrn => "shrn",
        Rshrn => "rshrn",
        Ushll => "ushll",
        Sshll => "sshll",
        Sqshrn => "sqshrn",
        Sqrshrn => "sqrshrn",
        Uqshrn => "uqshrn",
        Uqrshrn => "uqrshrn",
        Sqshrun => "sqshrun",
        Sqrshrun => "sqrshrun",
        Srshr => "srshr",
        Urshr => "urshr",
        Srsra => "srsra",
        Ursra => "ursra",
        Sqshl => "sqshl",
        Uqshl => "uqshl",
        Sqshlu => "sqshlu",
        Scvtf => "scvtf",
        Ucvtf => "ucvtf",
        Fcvtzs => "fcvtzs",
        Fcvtzu => "fcvtzu",
    }
}

fn long_name(op: VLongOp) -> &'static str {
    match op {
        VLongOp::Sqdmull => "sqdmull",
        VLongOp::Sqdmlal => "sqdmlal",
        VLongOp::Sqdmlsl => "sqdmlsl",
        _ => "pmull",
    }
}

fn elem_name(op: VElemOp) -> &'static str {
    match op {
        VElemOp::Mul => "mul",
        VElemOp::Mla => "mla",
        VElemOp::Mls => "mls",
        VElemOp::Fmul => "fmul",
        VElemOp::Fmla => "fmla",
        VElemOp::Fmls => "fmls",
        VElemOp::Fmulx => "fmulx",
        VElemOp::Sqdmulh => "sqdmulh",
        VElemOp::Sqrdmulh => "sqrdmulh",
        VElemOp::Sqrdmlah => "sqrdmlah",
        VElemOp::Sqrdmlsh => "sqrdmlsh",
    }
}

fn v3_name(op: VOp3) -> &'static str {
    use VOp3::*;
    match op {
        Add => "add",
        Sub => "sub",
        Mul => "mul",
        Cmeq => "cmeq",
        Cmge => "cmge",
        Cmgt => "cmgt",
        Cmhi => "cmhi",
        Cmhs => "cmhs",
        Cmtst => "cmtst",
        Umax => "umax",
        Umin => "umin",
        Smax => "smax",
        Smin => "smin",
        Umaxp => "umaxp",
        Uminp => "uminp",
        Smaxp => "smaxp",
        Sminp => "sminp",
        Addp => "addp",
        And => "and",
        Bic => "bic",
        Orr => "orr",
        Orn => "orn",
        Eor => "eor",
        Bsl => "bsl",
        Bit => "bit",
        Bif => "bif",
        Uzp1 => "uzp1",
        Uzp2 => "uzp2",
        Zip1 => "zip1",
        Zip2 => "zip2",
        Trn1 => "trn1",
        Trn2 => "trn2",
        Ushl => "ushl",
        Sshl => "sshl",
        Fadd => "fadd",
        Fsub => "fsub",
        Fmul => "fmul",
        Fdiv => "fdiv",
        Fmax => "fmax",
        Fmin => "fmin",
        Fmla => "fmla",
        Fmls => "fmls",
        Fcmeq => "fcmeq",
        Fcmge => "fcmge",
        Fcmgt => "fcmgt",
        Faddp => "faddp",
        Mla => "mla",
        Mls => "mls",
        Uabd => "uabd",
        Sabd => "sabd",
        Uqsub => "uqsub",
        Uqadd => "uqadd",
        Sqadd => "sqadd",
        Sqsub => "sqsub",
        Shadd => "shadd",
        Uhadd => "uhadd",
        Srhadd => "srhadd",
        Urhadd => "urhadd",
        Shsub => "shsub",
        Uhsub => "uhsub",
        Saba => "saba",
        Uaba => "uaba",
        Sqshl => "sqshl",
        Uqshl => "uqshl",
        Srshl => "srshl",
        Urshl => "urshl",
        Sqrshl => "sqrshl",
        Uqrshl => "uqrshl",
        Sqdmulh => "sqdmulh",
        Sqrdmulh => "sqrdmulh",
        Pmul => "pmul",
        Fmaxnm => "fmaxnm",
        Fminnm => "fminnm",
        Fmulx => "fmulx",
        Frecps => "frecps",
        Frsqrts => "frsqrts",
        Fmaxnmp => "fmaxnmp",
        Fminnmp => "fminnmp",
        Fmaxp => "fmaxp",
        Fminp => "fminp",
        Facge => "facge",
        Facgt => "facgt",
        Fabd => "fabd",
        Sqrdmlah => "sqrdmlah",
        Sqrdmlsh => "sqrdmlsh",
    }
}

fn v2_name(op: VOp2) -> &'static str {
    use VOp2::*;
    match op {
        Cnt => "cnt",
        Not => "mvn",
        Rbit => "rbit",
        Rev16 => "rev16",
        Rev32 => "rev32",
        Rev64 => "rev64",
        Sqxtn => "sqxtn",
        Uqxtn => "uqxtn",
        Sqxtun => "sqxtun",
        Cmeq0 => "cmeq",
        Cmge0 => "cmge",
        Cmgt0 => "cmgt",
        Cmle0 => "cmle",
        Cmlt0 => "cmlt",
        Abs => "abs",
        Neg => "neg",
        Clz => "clz",
        Cls => "cls",
        Fabs => "fabs",
        Fneg => "fneg",
        Fsqrt => "fsqrt",
        Scvtf => "scvtf",
        Ucvtf => "ucvtf",
        Fcvtzs => "fcvtzs",
        Fcvtzu => "fcvtzu",
        Xtn => "xtn",
        Uaddlp => "uaddlp",
        Saddlp => "saddlp",
        Shll => "shll",
        Sqabs => "sqabs",
        Sqneg => "sqneg",
        Suqadd => "suqadd",
        Usqadd => "usqadd",
        Sadalp => "sadalp",
        Uadalp => "uadalp",
        Frint(r) => match r {
            Round::Nearest => "frintn",
            Round::Plus => "frintp",
            Round::Minus => "frintm",
            Round::Zero => "frintz",
            Round::Away => "frinta",
            Round::Exact => "frintx",
            Round::Current => "frinti",
        },
        Fcvt { round, signed } => match (round, signed) {
            (Round::Nearest, true) => "fcvtns",
            (Round::Nearest, false) => "fcvtnu",
            (Round::Plus, true) => "fcvtps",
            (Round::Plus, false) => "fcvtpu",
            (Round::Minus, true) => "fcvtms",
            (Round::Minus, false) => "fcvtmu",
            (_, true) => "fcvtas",
            (_, false) => "fcvtau",
        },
        Frecpe => "frecpe",
        Frsqrte => "frsqrte",
        Urecpe => "urecpe",
        Ursqrte => "ursqrte",
        Frecpx => "frecpx",
        Fcmeq0 => "fcmeq",
        Fcmge0 => "fcmge",
        Fcmgt0 => "fcmgt",
        Fcmle0 => "fcmle",
        Fcmlt0 => "fcmlt",
        Fcvtn => "fcvtn",
        Fcvtxn => "fcvtxn",
        Fcvtl => "fcvtl",
        Frint32 { exact: false } => "frint32z",
        Frint32 { exact: true } => "frint32x",
        Frint64 { exact: false } => "frint64z",
        Frint64 { exact: true } => "frint64x",
        Bfcvtn => "bfcvtn",
    }
}

/// The preferred alias of SBFM/BFM/UBFM (Arm ARM alias conditions).
fn bitfield_alias(s: &mut String, sf: bool, op: BfOp, rd: Reg, rn: Reg, immr: u32, imms: u32) -> fmt::Result {
    let width = if sf { 64 } else { 32 };
    let (d, n) = (rz(rd, sf), rz(rn, sf));
    match op {
        BfOp::Ubfm => {
            if imms + 1 == immr && imms != width - 1 {
                return write!(s, "lsl {d}, {n}, #{}", width - 1 - imms);
            }
            if imms == width - 1 {
                return write!(s, "lsr {d}, {n}, #{immr}");
            }
            if immr == 0 && imms == 7 {
                return write!(s, "uxtb {d}, {}", rz(rn, false));
            }
            if immr == 0 && imms == 15 {
                return write!(s, "uxth {d}, {}", rz(rn, false));
            }
            if imms < immr {
                return write!(s, "ubfiz {d}, {n}, #{}, #{}", width - immr, imms + 1);
            }
            write!(s, "ubfx {d}, {n}, #{immr}, #{}", imms - immr + 1)
        }
        BfOp::Sbfm => {
            if imms == width - 1 {
                return write!(s, "asr {d}, {n}, #{immr}");
            }
            if immr == 0 && (imms == 7 || imms == 15 || imms == 31) {
                let m = match imms {
                    7 => "sxtb",
                    15 => "sxth",
                    _ => "sxtw",
                };
                return write!(s, "{m} {d}, {}", rz(rn, false));
            }
            if imms < immr {
                return write!(s, "sbfiz {d}, {n}, #{}, #{}", width - immr, imms + 1);
            }
            write!(s, "sbfx {d}, {n}, #{immr}, #{}", imms - immr + 1)
        }
        BfOp::Bfm => {
            if imms < immr {
                if rn.0 == 31 {
                    return write!(s, "bfc {d}, #{}, #{}", width - immr, imms + 1);
                }
                return write!(s, "bfi {d}, {n}, #{}, #{}", width - immr, imms + 1);
            }
            write!(s, "bfxil {d}, {n}, #{immr}, #{}", imms - immr + 1)
        }
    }
}
