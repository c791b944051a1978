//! Lowering: a block's decoded instructions to ops. The integer forms compilers emit most,
//! and scalar FP add, subtract, multiply, divide and fused multiply-add (which call the FP
//! unit directly), get a specialised handler (see `ops` and `vec`), with register 31 resolved to SP (slot 31) or the
//! zero register's slots (32 to read, 33 to write). Hints (NOP, BTI, PAC hints) and
//! prefetches get no op at all: the next op's instruction index counts them. Any other
//! instruction, including every one added to `exec` later, runs through the slow path.
//!
//! Common neighbours become one op (see [`fuse`]): a flag-setting compare, ADDS, SUBS or
//! ANDS and the B.cond after it (and a simple register op, a load or a compare and CCMP
//! before that), a compare and CSEL, a load and CBZ, two loads or stores, a simple
//! register op and a CBZ, BR/BLR/RET, load or store, and two simple register ops (moves,
//! add and subtract, logical ops, constants, FP moves, some shifts: `ops::simple`). A
//! fused op that may fault keeps the faulting instruction's pc and index (or, for its
//! second access, that instruction's: see `ops::host_ptr_k`).
//!
//! An unconditional B or BL does not end a block: decoding goes on at its target (a BL
//! leaves an op that writes the link register), unless the block already has that code.

use super::ops::*;
use super::vec::*;
use super::*;
use crate::decode::decode;

/// Decodes and lowers the block at `start` (every instruction to the slow path if
/// `slow_only`).
pub(super) fn build_block(mem: &GuestMemory, start: u64, slow_only: bool) -> Result<Block, Exit> {
    let mut ops = Vec::with_capacity(16);
    // What each op is, for fusion.
    let mut descs = Vec::with_capacity(16);
    let mut slow = Vec::new();
    let mut pc = start;
    let mut count = 0u16;
    // The address ranges decoded so far: earlier ones (left by a followed branch) and the
    // current one, from `seg`.
    let mut done: Vec<(u64, u64)> = Vec::new();
    let mut seg = start;
    loop {
        let word = match fetch(mem, pc) {
            Ok(w) => w,
            // Fault at the block's first instruction: report it; otherwise end the block
            // here and fault when execution gets there.
            Err(e) if count == 0 => return Err(e),
            Err(_) => {
                ops.push(op(fallthrough, pc, count));
                break;
            }
        };
        let inst = decode(word);
        count += 1;
        // An unconditional B or BL is followed: the block goes on at its target (BL leaves
        // only its link register write), unless that is code the block already has (a loop).
        if let (Inst::B { link, offset }, false) = (inst, slow_only) {
            let target = pc.wrapping_add(offset as u64);
            let seen = |t: u64| t >= seg && t <= pc || done.iter().any(|&(a, b)| t >= a && t < b);
            if !seen(target) && (count as usize) < MAX_BLOCK {
                if link {
                    let mut o = op(li, pc, count);
                    (o.rd, o.imm) = (30, pc.wrapping_add(4));
                    ops.push(o);
                    descs.push(li_desc(30, pc.wrapping_add(4)));
                    fuse(&mut ops, &mut descs);
                }
                done.push((seg, pc.wrapping_add(4)));
                (seg, pc) = (target, target);
                continue;
            }
        }
        let ends = inst.ends_block();
        let before = ops.len();
        let desc = if slow_only {
            push_slow(&mut ops, &mut slow, op(generic, pc, count), inst, ends)
        } else {
            lower(&mut ops, &mut slow, inst, pc, count, ends)
        };
        if ops.len() > before {
            descs.push(desc);
            fuse(&mut ops, &mut descs);
        }
        pc = pc.wrapping_add(4);
        if ends {
            break;
        }
        if count as usize >= MAX_BLOCK {
            ops.push(op(fallthrough, pc, count));
            break;
        }
    }
    // The slow-path instructions at their final addresses, and their ops pointing to them.
    let (at, slow): (Vec<usize>, Vec<Slow>) = slow.into_iter().unzip();
    let slow = slow.into_boxed_slice();
    for (&i, s) in at.iter().zip(slow.iter()) {
        ops[i].imm = s as *const Slow as u64;
    }
    Ok(Block::new(ops, slow))
}

/// What a lowered op is, as far as fusion cares.
#[derive(Clone, Copy)]
enum Desc {
    Other,
    /// A simple register op (see `ops::simple`): kind, d, n, m, immediate.
    Simple(u8, u8, u8, u8, i32),
    /// A flag-setting op in `flag_rr`'s form: K and sf.
    Flag(u8, bool),
    /// CCMP or CCMN: sf and neg.
    Ccmp(bool, bool),
    /// A single-register integer load or store: its kind (LDRB..=STRX) and addressing mode
    /// (OFF or REGU).
    Mem(u8, u8),
    /// BR or RET (false), BLR (true).
    Br(bool),
    BCond(u8),
    /// CSEL, CSINC, CSINV, CSNEG: op, sf, cond.
    Csel(u8, bool, u8),
    /// CBZ or CBNZ: sf and nz.
    Cbz(bool, bool),
}

/// Fuses the last op (just lowered) with the ones before it where a fused handler exists
/// (see the module doc). Fused ops are not fused again, except that a compare and branch
/// takes a simple op, a load or a compare before it.
fn fuse(ops: &mut Vec<Op>, descs: &mut Vec<Desc>) {
    let len = ops.len();
    if len < 2 {
        return;
    }
    let (a, b) = (descs[len - 2], descs[len - 1]);
    // Whether the instructions of ops i and i + 1 are neighbours (no op-less hint between
    // them), as handlers that compute a pc from the first one's need.
    let adjacent = |ops: &[Op], i: usize| ops[i].pc.wrapping_add(4) == ops[i + 1].pc;
    let ci = |c: u8| (c & 15) as usize;
    // A compare's operands for the x fields (the immediate of CMP fits).
    let cmp_x = |o: &Op| (o.rd, o.rn, o.rm, o.imm as i32);
    match (a, b) {
        (Desc::Flag(k, sf), Desc::BCond(cond)) if adjacent(ops, len - 2) => {
            let br = pop(ops, descs);
            let cmp = cmp_x(&ops[len - 2]);
            let o = &mut ops[len - 2];
            o.h = FLAG_BCOND[k as usize][sf as usize][ci(cond)];
            o.imm2 = br.imm;
            o.n = br.n;
            descs[len - 2] = Desc::Other;
            if k != K_SUB || len < 3 {
                return;
            }
            match descs[len - 3] {
                Desc::Simple(p, d, n, m, imm) if (p as usize) < S_PREFIX => {
                    remove(ops, descs, len - 3);
                    let o = &mut ops[len - 3];
                    o.h = PRE_CMP_BCOND[p as usize][sf as usize][ci(cond)];
                    (o.xd, o.xn, o.xm, o.ximm) = (d, n, m, imm);
                }
                Desc::Mem(m, M_OFF) if m <= LDRSHW && adjacent(ops, len - 3) => {
                    // The op keeps the load's pc and index (see `ops::load_cmp_bcond`).
                    remove(ops, descs, len - 2);
                    let o = &mut ops[len - 3];
                    o.h = LOAD_CMP_BCOND[m as usize][sf as usize][ci(cond)];
                    (o.xd, o.xn, o.xm, o.ximm) = cmp;
                    o.imm2 = br.imm;
                    descs[len - 3] = Desc::Other;
                }
                _ => {}
            }
        }
        (Desc::Ccmp(sf, neg), Desc::BCond(cond)) if adjacent(ops, len - 2) => {
            let br = pop(ops, descs);
            let o = &mut ops[len - 2];
            o.h = CCMP_BCOND[sf as usize][neg as usize][ci(cond)];
            o.imm2 = br.imm;
            o.n = br.n;
            descs[len - 2] = Desc::Other;
            if len < 3 {
                return;
            }
            if let Desc::Flag(K_SUB, sf1) = descs[len - 3] {
                let cmp = cmp_x(&ops[len - 3]);
                remove(ops, descs, len - 3);
                let o = &mut ops[len - 3];
                o.h = CMP_CCMP_BCOND[sf1 as usize][sf as usize][neg as usize][ci(cond)];
                (o.xd, o.xn, o.xm, o.ximm) = cmp;
            }
        }
        (Desc::Flag(K_SUB, sf1), Desc::Csel(op, sf, cond)) => {
            let cmp = cmp_x(&ops[len - 2]);
            remove(ops, descs, len - 2);
            let o = &mut ops[len - 2];
            o.h = CMP_CSEL[sf1 as usize][op as usize][sf as usize][ci(cond)];
            (o.xd, o.xn, o.xm, o.ximm) = cmp;
            descs[len - 2] = Desc::Other;
        }
        (Desc::Mem(m, mode), Desc::Cbz(sf, nz)) if m <= LDRSHW && adjacent(ops, len - 2) => {
            // The op keeps the load's pc and index (see `ops::load_cbz`).
            let br = pop(ops, descs);
            let o = &mut ops[len - 2];
            o.h = LOAD_CBZ[m as usize][(mode == M_REGU) as usize][sf as usize][nz as usize];
            o.xn = br.rn;
            o.imm2 = br.imm;
            descs[len - 2] = Desc::Other;
        }
        (Desc::Mem(m1, M_OFF), Desc::Mem(m2, M_OFF)) if adjacent(ops, len - 2) && i32::try_from(ops[len - 1].imm as i64).is_ok() => {
            // Two loads or stores: the op keeps the first's pc and index (see `ops::mem2`).
            let second = pop(ops, descs);
            let o = &mut ops[len - 2];
            o.h = MEM2[m1 as usize][m2 as usize];
            (o.xd, o.xn, o.ximm) = (second.rd, second.rn, second.imm as i32);
            descs[len - 2] = Desc::Other;
        }
        (Desc::Simple(p, d, n, m, imm), b) if (p as usize) < S_PREFIX && matches!(b, Desc::Cbz(..) | Desc::Br(_) | Desc::Mem(..)) => {
            // A simple op before a CBZ, a BR/BLR/RET, a load or a store, which keep their
            // own pc and index.
            remove(ops, descs, len - 2);
            let o = &mut ops[len - 2];
            o.h = match b {
                Desc::Cbz(sf, nz) => PRE_CBZ[p as usize][sf as usize][nz as usize],
                Desc::Br(link) => PRE_BR[p as usize][link as usize],
                Desc::Mem(mk, mode) => PRE_MEM[p as usize][mk as usize][(mode == M_REGU) as usize],
                _ => unreachable!("matched above"),
            };
            (o.xd, o.xn, o.xm, o.ximm) = (d, n, m, imm);
            descs[len - 2] = Desc::Other;
        }
        (Desc::Simple(k1, d, n, m, imm), Desc::Simple(k2, d2, n2, m2, imm2)) => {
            remove(ops, descs, len - 2);
            let o = &mut ops[len - 2];
            o.h = PAIR2[k1 as usize][k2 as usize];
            (o.xd, o.xn, o.xm, o.ximm) = (d, n, m, imm);
            (o.rd, o.rn, o.rm, o.imm) = (d2, n2, m2, imm2 as i64 as u64);
            descs[len - 2] = Desc::Other;
        }
        _ => {}
    }
}

fn remove(ops: &mut Vec<Op>, descs: &mut Vec<Desc>, i: usize) {
    ops.remove(i);
    descs.remove(i);
}

fn pop(ops: &mut Vec<Op>, descs: &mut Vec<Desc>) -> Op {
    descs.pop();
    ops.pop().expect("an op")
}

/// A constant as [`ops::simple`]'s S_LI takes it (a sign-extended 32-bit immediate).
fn li_desc(d: u8, v: u64) -> Desc {
    match i32::try_from(v as i64) {
        Ok(i) => Desc::Simple(S_LI, d, ZR, ZR, i),
        Err(_) => Desc::Other,
    }
}

fn op(h: Handler, pc: u64, n: u16) -> Op {
    Op {
        h,
        pc,
        imm: 0,
        imm2: 0,
        rd: 0,
        rn: 0,
        rm: 0,
        ra: 0,
        p0: 0,
        p1: 0,
        n,
        xd: ZW,
        xn: ZR,
        xm: ZR,
        ximm: 0,
        link: [Cell::new(EXIT), Cell::new(EXIT)],
    }
}

/// Register 31 as the zero register, read.
fn zr(r: Reg) -> u8 {
    if r.0 & 31 == 31 {
        ZR
    } else {
        r.0 & 31
    }
}
/// Register 31 as the zero register, written.
fn zw(r: Reg) -> u8 {
    if r.0 & 31 == 31 {
        ZW
    } else {
        r.0 & 31
    }
}
/// Register 31 as SP.
fn sp(r: Reg) -> u8 {
    r.0 & 31
}

fn shift_index(s: Shift) -> usize {
    match s {
        Shift::Lsl => 0,
        Shift::Lsr => 1,
        Shift::Asr => 2,
        Shift::Ror => 3,
    }
}

/// An extension's source width and signedness.
fn extension(e: Extend) -> (u8, bool) {
    match e {
        Extend::Uxtb => (8, false),
        Extend::Uxth => (16, false),
        Extend::Uxtw => (32, false),
        Extend::Uxtx => (64, false),
        Extend::Sxtb => (8, true),
        Extend::Sxth => (16, true),
        Extend::Sxtw => (32, true),
        Extend::Sxtx => (64, true),
    }
}

/// The low `n` bits set.
fn mask(n: u32) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

/// Lowers `inst` (the `n`th instruction of its block, at `pc`) onto `ops`; `ends` says it
/// is the block's last. Returns what the op is, for [`fuse`].
fn lower(ops: &mut Vec<Op>, slow: &mut Vec<(usize, Slow)>, inst: Inst, pc: u64, n: u16, ends: bool) -> Desc {
    let mut o = op(generic, pc, n);
    let mut desc = Desc::Other;
    let sfi = |sf: bool| sf as usize;
    let h: Handler = match inst {
        Inst::AddSubImm { sf, sub, flags: false, rd, rn, imm, .. } => {
            o.rd = sp(rd);
            o.rn = sp(rn);
            o.imm = if sub { imm.wrapping_neg() } else { imm };
            let k = match (imm, sf) {
                (0, true) => S_MOV,
                (0, false) => S_MOVW,
                (_, true) => S_ADDI,
                (_, false) => S_ADDIW,
            };
            desc = Desc::Simple(k, o.rd, o.rn, ZR, o.imm as i32);
            match (imm, sf) {
                (0, true) => mov,
                (0, false) => mov32,
                _ => ALU_RI[A_ADD as usize][sfi(sf)],
            }
        }
        Inst::AddSubImm { sf, sub, flags: true, rd, rn, imm, .. } => {
            o.rd = zw(rd);
            o.rn = sp(rn);
            o.rm = ZR;
            o.imm = imm;
            let k = if sub { K_SUB } else { K_ADD };
            desc = Desc::Flag(k, sf);
            FLAG_RR[k as usize][sfi(sf)]
        }
        Inst::AddSubShift { sf, sub, flags, rd, rn, rm, shift, amount } => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            o.rm = zr(rm);
            o.p0 = amount;
            let sh = shift_index(shift);
            if flags {
                let k = if sub { K_SUB } else { K_ADD };
                if amount == 0 {
                    desc = Desc::Flag(k, sf);
                    FLAG_RR[k as usize][sfi(sf)]
                } else {
                    FLAG_RS[k as usize][sfi(sf)][sh]
                }
            } else {
                let a = if sub { A_SUB } else { A_ADD };
                if amount == 0 {
                    desc = Desc::Simple([[S_ADDW, S_ADD], [S_SUBW, S_SUB]][sub as usize][sfi(sf)], o.rd, o.rn, o.rm, 0);
                } else if sf && !sub && shift == Shift::Lsl {
                    desc = Desc::Simple(S_ADD_LSL, o.rd, o.rn, o.rm, amount as i32);
                }
                match (amount, sub, rn.0 & 31) {
                    (0, false, 31) => {
                        o.rn = zr(rm);
                        desc = Desc::Simple(if sf { S_MOV } else { S_MOVW }, o.rd, o.rn, ZR, 0);
                        if sf {
                            mov
                        } else {
                            mov32
                        }
                    }
                    (0, _, _) => ALU_RR[a as usize][sfi(sf)],
                    _ => ALU_RS[a as usize][sfi(sf)][sh],
                }
            }
        }
        Inst::AddSubExt { sf, sub, flags, rd, rn, rm, ext, amount } => {
            o.rn = sp(rn);
            o.rm = zr(rm);
            let (bits, signed) = extension(ext);
            o.p0 = 64 - bits;
            o.p1 = amount;
            if flags {
                o.rd = zw(rd);
                FLAG_EXT[sub as usize][sfi(sf)][signed as usize]
            } else {
                o.rd = sp(rd);
                ALU_EXT[sub as usize][sfi(sf)][signed as usize]
            }
        }
        Inst::LogicImm { sf, op: lop, rd, rn, imm } => {
            o.rn = zr(rn);
            o.imm = if sf { imm } else { imm as u32 as u64 };
            match lop {
                LogicOp::Ands => {
                    o.rd = zw(rd);
                    o.rm = ZR;
                    desc = Desc::Flag(K_AND, sf);
                    FLAG_RR[K_AND as usize][sfi(sf)]
                }
                LogicOp::Orr if rn.0 & 31 == 31 => {
                    o.rd = sp(rd);
                    desc = li_desc(o.rd, o.imm);
                    li
                }
                _ => {
                    o.rd = sp(rd);
                    let a = match lop {
                        LogicOp::And => A_AND,
                        LogicOp::Orr => A_ORR,
                        _ => A_EOR,
                    };
                    ALU_RI[a as usize][sfi(sf)]
                }
            }
        }
        Inst::LogicShift { sf, op: lop, not, rd, rn, rm, shift, amount } => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            o.rm = zr(rm);
            o.p0 = amount;
            let sh = shift_index(shift);
            if lop == LogicOp::Ands {
                let k = if not { K_BIC } else { K_AND };
                if amount == 0 {
                    desc = Desc::Flag(k, sf);
                    FLAG_RR[k as usize][sfi(sf)]
                } else {
                    FLAG_RS[k as usize][sfi(sf)][sh]
                }
            } else {
                let a = match (lop, not) {
                    (LogicOp::And, false) => A_AND,
                    (LogicOp::And, true) => A_BIC,
                    (LogicOp::Orr, false) => A_ORR,
                    (LogicOp::Orr, true) => A_ORN,
                    (_, false) => A_EOR,
                    (_, true) => A_EON,
                };
                if amount == 0 && !not {
                    let k = match lop {
                        LogicOp::And => [S_ANDW, S_AND],
                        LogicOp::Orr => [S_ORRW, S_ORR],
                        _ => [S_EORW, S_EOR],
                    };
                    desc = Desc::Simple(k[sfi(sf)], o.rd, o.rn, o.rm, 0);
                } else if (lop, not, sf, shift) == (LogicOp::Eor, false, false, Shift::Ror) {
                    desc = Desc::Simple(S_EORW_ROR, o.rd, o.rn, o.rm, amount as i32);
                } else if (lop, not, sf, amount) == (LogicOp::And, true, false, 0) {
                    desc = Desc::Simple(S_BICW, o.rd, o.rn, o.rm, 0);
                }
                if a == A_ORR && amount == 0 && rn.0 & 31 == 31 {
                    o.rn = zr(rm);
                    desc = Desc::Simple(if sf { S_MOV } else { S_MOVW }, o.rd, o.rn, ZR, 0);
                    if sf {
                        mov
                    } else {
                        mov32
                    }
                } else if amount == 0 {
                    ALU_RR[a as usize][sfi(sf)]
                } else {
                    ALU_RS[a as usize][sfi(sf)][sh]
                }
            }
        }
        Inst::MovWide { sf, op: mop, rd, imm16, shift } => {
            let v = (imm16 as u64) << shift;
            o.rd = zw(rd);
            let v = match mop {
                MovOp::Z => v,
                MovOp::N => !v,
                MovOp::K => {
                    o.ra = zr(rd);
                    o.imm = v;
                    o.imm2 = 0xffff << shift;
                    return push(ops, o, MOVK[sfi(sf)], Desc::Other);
                }
            };
            o.imm = if sf { v } else { v as u32 as u64 };
            desc = li_desc(o.rd, o.imm);
            li
        }
        Inst::Adr { page, rd, offset } => {
            let base = if page { pc & !0xfff } else { pc };
            o.rd = zw(rd);
            o.imm = base.wrapping_add(offset as u64);
            desc = li_desc(o.rd, o.imm);
            li
        }
        Inst::Bitfield { sf, op: bop, rd, rn, immr, imms } => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            let ds = if sf { 64 } else { 32 };
            match bop {
                BfOp::Ubfm if imms >= immr => {
                    o.p0 = immr;
                    o.imm = mask((imms - immr + 1) as u32);
                    if sf && imms == 63 {
                        desc = Desc::Simple(S_LSRI, o.rd, o.rn, ZR, immr as i32);
                    }
                    ubfx
                }
                BfOp::Ubfm => {
                    o.imm = mask(imms as u32 + 1);
                    o.p0 = ds - immr;
                    if sf && imms + 1 == immr {
                        desc = Desc::Simple(S_LSLI, o.rd, o.rn, ZR, o.p0 as i32);
                    }
                    ubfiz
                }
                BfOp::Sbfm if imms >= immr => {
                    let width = imms - immr + 1;
                    o.p0 = 64 - immr - width;
                    o.p1 = 64 - width;
                    SBFX[sfi(sf)]
                }
                BfOp::Sbfm => {
                    o.p0 = 64 - (imms + 1);
                    o.p1 = ds - immr;
                    SBFIZ[sfi(sf)]
                }
                BfOp::Bfm => {
                    o.ra = zr(rd);
                    o.p0 = immr;
                    o.p1 = imms;
                    BFM[sfi(sf)]
                }
            }
        }
        Inst::Extr { sf, rd, rn, rm, lsb } => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            o.rm = zr(rm);
            o.p0 = lsb;
            if !sf && rn == rm {
                desc = Desc::Simple(S_RORW, o.rd, o.rn, ZR, lsb as i32);
            }
            EXTR[sfi(sf)]
        }
        Inst::AddSubCarry { sf, sub, flags, rd, rn, rm } => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            o.rm = zr(rm);
            ADC[sfi(sf)][sub as usize][flags as usize]
        }
        Inst::CondCmp { sf, neg, rn, rm, imm, nzcv, cond } => {
            o.rn = zr(rn);
            match imm {
                Some(i) => {
                    o.rm = ZR;
                    o.imm = i as u64;
                }
                None => o.rm = zr(rm),
            }
            o.p0 = cond.0 & 15;
            o.p1 = nzcv & 15;
            desc = Desc::Ccmp(sf, neg);
            CCMP[sfi(sf)][neg as usize]
        }
        Inst::CondSel { sf, op: sop, rd, rn, rm, cond } => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            o.rm = zr(rm);
            let i = match sop {
                SelOp::Csel => 0,
                SelOp::Csinc => 1,
                SelOp::Csinv => 2,
                SelOp::Csneg => 3,
            };
            desc = Desc::Csel(i as u8, sf, cond.0 & 15);
            CSEL[i][sfi(sf)][(cond.0 & 15) as usize]
        }
        Inst::MulAdd { sf, sub, rd, rn, rm, ra } => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            o.rm = zr(rm);
            o.ra = zr(ra);
            MADD[sfi(sf)][sub as usize]
        }
        Inst::MulAddLong { signed, sub, rd, rn, rm, ra } => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            o.rm = zr(rm);
            o.ra = zr(ra);
            MADDL[signed as usize][sub as usize]
        }
        Inst::MulHigh { signed, rd, rn, rm } => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            o.rm = zr(rm);
            MULH[signed as usize]
        }
        Inst::Div { sf, signed, rd, rn, rm } => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            o.rm = zr(rm);
            DIV[sfi(sf)][signed as usize]
        }
        Inst::ShiftVar { sf, shift, rd, rn, rm } => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            o.rm = zr(rm);
            SHIFTV[sfi(sf)][shift_index(shift)]
        }
        Inst::Unary { sf, op: uop, rd, rn } if matches!((sf, uop), (_, UnaryOp::Clz | UnaryOp::Rev | UnaryOp::Rbit) | (false, UnaryOp::Rev32)) => {
            o.rd = zw(rd);
            o.rn = zr(rn);
            o.p0 = match uop {
                UnaryOp::Clz => 0,
                UnaryOp::Rbit => 2,
                _ => 1,
            };
            UNARY[sfi(sf)]
        }

        // AdvSIMD and FP moves.
        Inst::FMovGen { to_fp, sf, ty: ty @ (FTy::S | FTy::D), top: false, rd, rn } => {
            if to_fp {
                o.rd = rd & 31;
                o.rn = zr(Reg(rn));
                o.imm = if ty == FTy::D { u64::MAX } else { u32::MAX as u64 };
                if ty == FTy::S {
                    desc = Desc::Simple(S_FMOVS, o.rd, o.rn, ZR, 0);
                }
                fmov_to_fp
            } else {
                o.rd = zw(Reg(rd));
                o.rn = rn & 31;
                o.imm = if sf { u64::MAX } else { u32::MAX as u64 };
                if !sf {
                    desc = Desc::Simple(S_FMOVW, o.rd, o.rn, ZR, 0);
                }
                fmov_from_fp
            }
        }
        Inst::FOp1 { op: FOp1::Mov, ty: ty @ (FTy::S | FTy::D), rd, rn } => {
            o.rd = rd.0 & 31;
            o.rn = rn.0 & 31;
            o.imm = if ty == FTy::D { u64::MAX } else { u32::MAX as u64 };
            if ty == FTy::S {
                desc = Desc::Simple(S_FMOVSS, o.rd, o.rn, ZR, 0);
            }
            fmov_fp
        }
        Inst::FOp2 { op: op @ (FOp2::Add | FOp2::Sub | FOp2::Mul | FOp2::Div), ty: ty @ (FTy::S | FTy::D), rd, rn, rm } => {
            (o.rd, o.rn, o.rm) = (rd.0 & 31, rn.0 & 31, rm.0 & 31);
            const T: [[Handler; 2]; 4] = [
                [fp_arith::<0, false>, fp_arith::<0, true>],
                [fp_arith::<1, false>, fp_arith::<1, true>],
                [fp_arith::<2, false>, fp_arith::<2, true>],
                [fp_arith::<3, false>, fp_arith::<3, true>],
            ];
            let k = match op {
                FOp2::Add => 0,
                FOp2::Sub => 1,
                FOp2::Mul => 2,
                _ => 3,
            };
            T[k][(ty == FTy::D) as usize]
        }
        Inst::Fma { op, ty: ty @ (FTy::S | FTy::D), rd, rn, rm, ra } => {
            (o.rd, o.rn, o.rm, o.ra) = (rd.0 & 31, rn.0 & 31, rm.0 & 31, ra.0 & 31);
            const T: [[Handler; 2]; 4] = [
                [fp_fma::<false, false, false>, fp_fma::<false, false, true>],
                [fp_fma::<true, false, false>, fp_fma::<true, false, true>],
                [fp_fma::<true, true, false>, fp_fma::<true, true, true>],
                [fp_fma::<false, true, false>, fp_fma::<false, true, true>],
            ];
            let k = match op {
                FmaOp::Madd => 0,
                FmaOp::Msub => 1,
                FmaOp::Nmadd => 2,
                FmaOp::Nmsub => 3,
            };
            T[k][(ty == FTy::D) as usize]
        }
        Inst::VMovImm { q, op: 0 | 1 | 4 | 5, rd, imm, .. } => {
            o.rd = rd.0 & 31;
            o.imm = imm;
            o.imm2 = if q { imm } else { 0 };
            vconst
        }
        Inst::V3 { op: vop, q, size, rd, rn, rm } if v3_handler(vop, q, size).is_some() => {
            o.rd = rd.0 & 31;
            o.rn = rn.0 & 31;
            o.rm = rm.0 & 31;
            v3_handler(vop, q, size).expect("checked")
        }
        Inst::V2 { op: vop, q, size, rd, rn } if vop == VOp2::Not || v2_op(vop).is_some() => {
            o.rd = rd.0 & 31;
            o.rn = rn.0 & 31;
            match v2_op(vop) {
                Some(i) => V2[i][(size & 3) as usize][q as usize],
                None => VNOT[q as usize],
            }
        }
        Inst::VShift { op: sop, q, size, shift, rd, rn } if vshift_handler(sop, q, size).is_some() => {
            o.rd = rd.0 & 31;
            o.rn = rn.0 & 31;
            o.p0 = shift;
            vshift_handler(sop, q, size).expect("checked")
        }
        Inst::VLong { op: lop @ (VLongOp::Mull | VLongOp::Mlal | VLongOp::Mlsl), signed, q, size: size @ 0..=2, rd, rn, rm } => {
            o.rd = rd.0 & 31;
            o.rn = rn.0 & 31;
            o.rm = rm.0 & 31;
            let i = match lop {
                VLongOp::Mull => 0,
                VLongOp::Mlal => 1,
                _ => 2,
            };
            VMULL[i][size as usize][q as usize][signed as usize]
        }
        Inst::DupGen { q, size, rd, rn } => {
            o.rd = rd.0 & 31;
            o.rn = zr(rn);
            DUP_GEN[(size & 3) as usize][q as usize]
        }
        Inst::DupElem { q, size, index, rd, rn } => {
            o.rd = rd.0 & 31;
            o.rn = rn.0 & 31;
            o.p0 = index;
            DUP_ELEM[(size & 3) as usize][q as usize]
        }
        Inst::DupScalar { size, index, rd, rn } => {
            o.rd = rd.0 & 31;
            o.rn = rn.0 & 31;
            o.p0 = index;
            DUP_SCALAR[(size & 3) as usize]
        }
        Inst::InsGen { size, index, rd, rn } => {
            o.rd = rd.0 & 31;
            o.rn = zr(rn);
            o.p0 = index;
            INS_GEN[(size & 3) as usize]
        }
        Inst::InsElem { size, i1, i2, rd, rn } => {
            o.rd = rd.0 & 31;
            o.rn = rn.0 & 31;
            o.p0 = i1;
            o.p1 = i2;
            INS_ELEM[(size & 3) as usize]
        }
        Inst::MovToGen { signed, sf, size, index, rd, rn } => {
            o.rd = zw(rd);
            o.rn = rn.0 & 31;
            o.p0 = index;
            o.imm = if sf { u64::MAX } else { u32::MAX as u64 };
            MOV_TO_GEN[(size & 3) as usize][signed as usize]
        }
        Inst::VReduce { op: rop @ (VReduce::Addv | VReduce::Umaxv | VReduce::Uminv), q, size, rd, rn } => {
            o.rd = rd.0 & 31;
            o.rn = rn.0 & 31;
            let i = match rop {
                VReduce::Addv => 0,
                VReduce::Umaxv => 1,
                _ => 2,
            };
            REDUCE[i][(size & 3) as usize][q as usize]
        }
        Inst::VLdSt { load, q, nreg, interleave: 1, rt, rn, post, .. } => {
            o.rd = rt.0 & 31;
            o.rn = sp(rn);
            o.p0 = nreg;
            o.rm = ZR;
            if let Some(rm) = post {
                if rm.0 & 31 == 31 {
                    o.imm = nreg as u64 * if q { 16 } else { 8 };
                } else {
                    o.rm = rm.0 & 31;
                }
            }
            LD1ST1[load as usize][q as usize][post.is_some() as usize]
        }
        Inst::VLd1r { q, size, nreg: 1, rt, rn, post } => {
            o.rd = rt.0 & 31;
            o.rn = sp(rn);
            o.rm = ZR;
            if let Some(rm) = post {
                if rm.0 & 31 == 31 {
                    o.imm = 1 << size;
                } else {
                    o.rm = rm.0 & 31;
                }
            }
            LD1R[(size & 3) as usize][q as usize][post.is_some() as usize]
        }

        Inst::B { link, offset } => {
            o.imm = pc.wrapping_add(offset as u64);
            if link {
                bl
            } else {
                b
            }
        }
        Inst::BCond { cond, offset } => {
            o.imm = pc.wrapping_add(offset as u64);
            desc = Desc::BCond(cond.0);
            BCOND[(cond.0 & 15) as usize]
        }
        Inst::Br { kind, rn } => {
            o.rn = zr(rn);
            o.link[0].set(std::ptr::without_provenance(NO_TARGET));
            desc = Desc::Br(kind == BrKind::Blr);
            if kind == BrKind::Blr {
                blr
            } else {
                br
            }
        }
        Inst::Cbz { sf, nz, rt, offset } => {
            o.rn = zr(rt);
            o.imm = pc.wrapping_add(offset as u64);
            desc = Desc::Cbz(sf, nz);
            CBZ[sfi(sf)][nz as usize]
        }
        Inst::Tbz { nz, rt, bit, offset } => {
            o.rn = zr(rt);
            o.p0 = bit;
            o.imm = pc.wrapping_add(offset as u64);
            TBZ[nz as usize]
        }
        Inst::Svc { .. } => svc,
        // No effect at EL0 (the PAC hints too: remu does not advertise pointer
        // authentication, so they are NOPs).
        Inst::Hint { .. } | Inst::Mem { kind: MemKind::Prfm, .. } if !ends => return Desc::Other,

        Inst::Mem { kind, size, rt, addr } => match mem_kind(kind, size) {
            Some(m) => {
                o.rd = match m {
                    LDRS..=STRQ => rt.0 & 31,
                    STRB..=STRX => zr(rt),
                    _ => zw(rt),
                };
                let mode = match addr {
                    Addr::Offset { rn, imm, .. } | Addr::Unpriv { rn, imm } => {
                        o.rn = sp(rn);
                        o.imm = imm as u64;
                        M_OFF
                    }
                    Addr::Pre { rn, imm } => {
                        o.rn = sp(rn);
                        o.imm = imm as u64;
                        M_PRE
                    }
                    Addr::Post { rn, imm } => {
                        o.rn = sp(rn);
                        o.imm = imm as u64;
                        M_POST
                    }
                    Addr::RegOff { rn, rm, ext, shift } => {
                        o.rn = sp(rn);
                        o.rm = zr(rm);
                        let (bits, signed) = extension(ext);
                        o.p0 = 64 - bits;
                        o.p1 = if shift { size.trailing_zeros() as u8 } else { 0 };
                        if signed {
                            M_REGS
                        } else {
                            M_REGU
                        }
                    }
                    Addr::Literal { offset } => {
                        o.rn = ZR;
                        o.imm = pc.wrapping_add(offset as u64);
                        M_OFF
                    }
                };
                if m <= STRX && (mode == M_OFF || mode == M_REGU) {
                    desc = Desc::Mem(m, mode);
                }
                MEM[m as usize][mode as usize]
            }
            None => return push_slow(ops, slow, o, inst, ends),
        },
        Inst::Pair { load, fp, signed, size, rt, rt2, addr, .. } => {
            let kind = match (load, fp, signed, size) {
                (true, false, false, 4) => LDRW,
                (true, false, false, 8) => LDRX,
                (true, false, true, 4) => LDRSWX,
                (false, false, _, 4) => STRW,
                (false, false, _, 8) => STRX,
                (true, true, _, 4) => LDRS,
                (true, true, _, 8) => LDRD,
                (true, true, _, 16) => LDRQ,
                (false, true, _, 4) => STRS,
                (false, true, _, 8) => STRD,
                (false, true, _, 16) => STRQ,
                _ => return push_slow(ops, slow, o, inst, ends),
            };
            let (rn, imm, mode) = match addr {
                Addr::Offset { rn, imm, .. } => (rn, imm, 0),
                Addr::Pre { rn, imm } => (rn, imm, 1),
                Addr::Post { rn, imm } => (rn, imm, 2),
                _ => return push_slow(ops, slow, o, inst, ends),
            };
            let slot = |r: Reg| match (fp, load) {
                (true, _) => r.0 & 31,
                (false, true) => zw(r),
                (false, false) => zr(r),
            };
            o.rd = slot(rt);
            o.ra = slot(rt2);
            o.rn = sp(rn);
            o.imm = imm as u64;
            o.p0 = size;
            let k = PAIR_KINDS.iter().position(|&p| p == kind).expect("a pair kind");
            PAIR[k][mode]
        }
        _ => return push_slow(ops, slow, o, inst, ends),
    };
    push(ops, o, h, desc)
}

fn push(ops: &mut Vec<Op>, mut o: Op, h: Handler, desc: Desc) -> Desc {
    o.h = h;
    ops.push(o);
    desc
}

/// An op that runs `inst` through `exec`.
fn push_slow(ops: &mut Vec<Op>, slow: &mut Vec<(usize, Slow)>, mut o: Op, inst: Inst, ends: bool) -> Desc {
    // `imm` is set when the block is complete (see `build_block`).
    slow.push((ops.len(), Slow { x: handler(&inst), inst }));
    o.h = if ends { generic_end } else { generic };
    ops.push(o);
    Desc::Other
}

/// The single-register load or store kind of [`ops::mem`], if it has one.
fn mem_kind(kind: MemKind, size: u8) -> Option<u8> {
    Some(match (kind, size) {
        (MemKind::Ldr, 1) => LDRB,
        (MemKind::Ldr, 2) => LDRH,
        (MemKind::Ldr, 4) => LDRW,
        (MemKind::Ldr, 8) => LDRX,
        (MemKind::Ldrs { x64: true }, 1) => LDRSBX,
        (MemKind::Ldrs { x64: true }, 2) => LDRSHX,
        (MemKind::Ldrs { x64: true }, 4) => LDRSWX,
        (MemKind::Ldrs { x64: false }, 1) => LDRSBW,
        (MemKind::Ldrs { x64: false }, 2) => LDRSHW,
        (MemKind::Str, 1) => STRB,
        (MemKind::Str, 2) => STRH,
        (MemKind::Str, 4) => STRW,
        (MemKind::Str, 8) => STRX,
        (MemKind::LdrV, 4) => LDRS,
        (MemKind::LdrV, 8) => LDRD,
        (MemKind::LdrV, 16) => LDRQ,
        (MemKind::StrV, 4) => STRS,
        (MemKind::StrV, 8) => STRD,
        (MemKind::StrV, 16) => STRQ,
        _ => return None,
    })
}

/// The specialised handler of a three-same integer op, if it has one.
fn v3_handler(op: VOp3, q: bool, size: u8) -> Option<Handler> {
    if let Some(i) = bit_op(op) {
        return Some(VBIT[i][q as usize]);
    }
    let i = lane_op(op)?;
    // 64-bit multiplies and the 64-bit-vector pairwise and permute ops with 64-bit
    // elements are not allocated; leave them to `exec`.
    let valid = size < 3 || (q && i != 2 && i != 3 && i != 4);
    valid.then(|| V3[i][size as usize][q as usize])
}

/// The specialised handler of a shift by immediate, if it has one.
fn vshift_handler(op: VShiftOp, q: bool, size: u8) -> Option<Handler> {
    if let Some(i) = shift_op(op) {
        return Some(VSHIFT[i][(size & 3) as usize][q as usize]);
    }
    match (op, size) {
        (VShiftOp::Shrn, 1..=3) => Some(SHRN[size as usize - 1][q as usize]),
        (VShiftOp::Ushll | VShiftOp::Sshll, 0..=2) => Some(SHLL[size as usize][q as usize][(op == VShiftOp::Sshll) as usize]),
        _ => None,
    }
}
