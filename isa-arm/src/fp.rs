//! Floating-point instruction semantics on top of the software FP unit ([`crate::fpu`]):
//! the scalar FP instructions and the FP element operations of the AdvSIMD ones, for half,
//! single and double precision alike (`size` 1, 2, 3 = log2 of the element bytes). Every
//! operation rounds in the FPCR mode (or the one the instruction names) and accrues exact
//! FPSR flags, vector lanes included.

use crate::fpu::{self, fmt_of, Fmt, Rel, Rounding, D, H, S};
use crate::insn::*;
use crate::interp::{cond_holds, Ctx};
use crate::simd::{lane, set_lane};

pub(crate) fn fmt_ty(ty: FTy) -> Fmt {
    match ty {
        FTy::H => H,
        FTy::S => S,
        FTy::D => D,
    }
}

/// The rounding an instruction names (Exact and Current: the FPCR mode).
pub(crate) fn rounding(c: &mut Ctx, r: Round) -> Rounding {
    match r {
        Round::Nearest => Rounding::TieEven,
        Round::Plus => Rounding::PosInf,
        Round::Minus => Rounding::NegInf,
        Round::Zero => Rounding::Zero,
        Round::Away => Rounding::TieAway,
        Round::Exact | Round::Current => c.fpu().rmode(),
    }
}

/// One FP element of a three-same operation: `a` from Rn, `b` from Rm, `d` the old
/// destination element. None if `op` is not an FP operation.
pub(crate) fn elem3(c: &mut Ctx, op: VOp3, size: u8, a: u64, b: u64, d: u64) -> Option<u64> {
    let f = fmt_of(size);
    let all = |t: bool| if t { f.mask() } else { 0 };
    let mut u = c.fpu();
    Some(match op {
        VOp3::Fadd | VOp3::Faddp => u.add(f, a, b),
        VOp3::Fsub => u.sub(f, a, b),
        VOp3::Fmul => u.mul(f, a, b, false),
        VOp3::Fmulx => u.mul(f, a, b, true),
        VOp3::Fdiv => u.div(f, a, b),
        VOp3::Fmax | VOp3::Fmaxp => u.max_min(f, a, b, true, false),
        VOp3::Fmin | VOp3::Fminp => u.max_min(f, a, b, false, false),
        VOp3::Fmaxnm | VOp3::Fmaxnmp => u.max_min(f, a, b, true, true),
        VOp3::Fminnm | VOp3::Fminnmp => u.max_min(f, a, b, false, true),
        // FPAbs of the difference: a NaN result loses its sign too.
        VOp3::Fabd => f.abs(u.sub(f, a, b)),
        VOp3::Fmla => u.mul_add(f, d, a, b),
        VOp3::Fmls => u.mul_add(f, d, f.neg(a), b),
        VOp3::Frecps => u.step(f, a, b, false),
        VOp3::Frsqrts => u.step(f, a, b, true),
        VOp3::Fcmeq => all(u.compare_rel(f, a, b, Rel::Eq)),
        VOp3::Fcmge => all(u.compare_rel(f, a, b, Rel::Ge)),
        VOp3::Fcmgt => all(u.compare_rel(f, a, b, Rel::Gt)),
        VOp3::Facge => all(u.compare_rel(f, f.abs(a), f.abs(b), Rel::Ge)),
        VOp3::Facgt => all(u.compare_rel(f, f.abs(a), f.abs(b), Rel::Gt)),
        _ => return None,
    })
}

/// One FP element of a two-register-misc operation (not the narrowing and widening ones).
/// None if `op` is not an FP operation.
pub(crate) fn elem2(c: &mut Ctx, op: VOp2, size: u8, a: u64) -> Option<u64> {
    let f = fmt_of(size);
    let bits = 8u32 << size;
    let all = |t: bool| if t { f.mask() } else { 0 };
    Some(match op {
        VOp2::Fabs => f.abs(a),
        VOp2::Fneg => f.neg(a),
        VOp2::Fsqrt => c.fpu().sqrt(f, a),
        VOp2::Frint(r) => {
            let rr = rounding(c, r);
            c.fpu().round_int(f, a, rr, r == Round::Exact)
        }
        VOp2::Frint32 { exact } | VOp2::Frint64 { exact } => {
            let rr = if exact { c.fpu().rmode() } else { Rounding::Zero };
            let n = if matches!(op, VOp2::Frint32 { .. }) { 32 } else { 64 };
            c.fpu().round_int_n(f, a, rr, n)
        }
        VOp2::Fcvt { round, signed } => {
            let rr = rounding(c, round);
            c.fpu().to_fixed(f, a, 0, !signed, rr, bits)
        }
        VOp2::Fcvtzs | VOp2::Fcvtzu => c.fpu().to_fixed(f, a, 0, op == VOp2::Fcvtzu, Rounding::Zero, bits),
        VOp2::Scvtf | VOp2::Ucvtf => {
            let mut u = c.fpu();
            let r = u.rmode();
            u.from_fixed(f, a, bits, op == VOp2::Scvtf, 0, r)
        }
        VOp2::Frecpe => c.fpu().recip_estimate(f, a),
        VOp2::Frsqrte => c.fpu().rsqrt_estimate(f, a),
        VOp2::Frecpx => c.fpu().recpx(f, a),
        VOp2::Fcmeq0 => all(c.fpu().compare_rel(f, a, 0, Rel::Eq)),
        VOp2::Fcmge0 => all(c.fpu().compare_rel(f, a, 0, Rel::Ge)),
        VOp2::Fcmgt0 => all(c.fpu().compare_rel(f, a, 0, Rel::Gt)),
        VOp2::Fcmle0 => all(c.fpu().compare_rel(f, 0, a, Rel::Ge)),
        VOp2::Fcmlt0 => all(c.fpu().compare_rel(f, 0, a, Rel::Gt)),
        _ => return None,
    })
}

/// Fixed-point conversions by immediate (`fbits` fraction bits), one element.
pub(crate) fn fixed_elem(c: &mut Ctx, op: VShiftOp, size: u8, fbits: u32, x: u64) -> u64 {
    let f = fmt_of(size);
    let bits = 8u32 << size;
    let mut u = c.fpu();
    match op {
        VShiftOp::Scvtf | VShiftOp::Ucvtf => {
            let r = u.rmode();
            u.from_fixed(f, x, bits, op == VShiftOp::Scvtf, fbits, r)
        }
        _ => u.to_fixed(f, x, fbits, op == VShiftOp::Fcvtzu, Rounding::Zero, bits),
    }
}

/// FCVTN (to half or single), FCVTXN (double to single, rounding to odd): one element of
/// the wide `size + 1` to `size`.
pub(crate) fn narrow(c: &mut Ctx, op: VOp2, size: u8, x: u64) -> u64 {
    let mut u = c.fpu();
    let r = if op == VOp2::Fcvtxn { Rounding::Odd } else { u.rmode() };
    u.convert(fmt_of(size + 1), fmt_of(size), x, r)
}

/// FCVTL: one element of `size` widened to `size + 1` (exact).
pub(crate) fn widen(c: &mut Ctx, size: u8, x: u64) -> u64 {
    c.fpu().convert(fmt_of(size), fmt_of(size + 1), x, Rounding::TieEven)
}

/// FMAXV/FMINV/FMAXNMV/FMINNMV: pairs first, halving, as the Arm ARM's Reduce.
pub(crate) fn reduce(c: &mut Ctx, op: VReduce, size: u8, n: usize, a: u128) -> u64 {
    let f = fmt_of(size);
    let (max, num) = match op {
        VReduce::Fmaxv => (true, false),
        VReduce::Fminv => (false, false),
        VReduce::Fmaxnmv => (true, true),
        _ => (false, true),
    };
    let mut v: Vec<u64> = (0..n).map(|i| lane(a, size, i)).collect();
    while v.len() > 1 {
        v = v.chunks(2).map(|p| c.fpu().max_min(f, p[0], p[1], max, num)).collect();
    }
    v[0]
}

/// The scalar FP instructions (and the conversions with general registers); false if
/// `inst` is not one.
pub(crate) fn exec_scalar(c: &mut Ctx, inst: &Inst) -> bool {
    match *inst {
        Inst::FMovGen { to_fp, sf, ty, top, rd, rn } => {
            if to_fp {
                let x = c.xz(Reg(rn));
                if top {
                    let old = c.vr(VReg(rd));
                    c.set_v(VReg(rd), (old as u64 as u128) | ((x as u128) << 64));
                } else {
                    c.set_v(VReg(rd), (x & fmt_ty(ty).mask()) as u128);
                }
            } else {
                let v = c.vr(VReg(rn));
                let x = if top { (v >> 64) as u64 } else { v as u64 & fmt_ty(ty).mask() };
                c.set_res(Reg(rd), sf, x);
            }
        }
        Inst::FMovImm { rd, imm, .. } => c.set_v(rd, imm as u128),
        Inst::FOp1 { op, ty, rd, rn } => {
            let f = fmt_ty(ty);
            let x = c.vr(rn) as u64 & f.mask();
            let r = match op {
                FOp1::Mov => x,
                FOp1::Abs => f.abs(x),
                FOp1::Neg => f.neg(x),
                FOp1::Sqrt => c.fpu().sqrt(f, x),
                FOp1::Rint(r) => {
                    let rr = rounding(c, r);
                    c.fpu().round_int(f, x, rr, r == Round::Exact)
                }
                FOp1::Rint32 { exact } | FOp1::Rint64 { exact } => {
                    let rr = if exact { c.fpu().rmode() } else { Rounding::Zero };
                    let n = if matches!(op, FOp1::Rint32 { .. }) { 32 } else { 64 };
                    c.fpu().round_int_n(f, x, rr, n)
                }
            };
            c.set_v(rd, r as u128);
        }
        Inst::FOp2 { op, ty, rd, rn, rm } => {
            let f = fmt_ty(ty);
            let (a, b) = (c.vr(rn) as u64 & f.mask(), c.vr(rm) as u64 & f.mask());
            let mut u = c.fpu();
            let r = match op {
                FOp2::Mul => u.mul(f, a, b, false),
                FOp2::Div => u.div(f, a, b),
                FOp2::Add => u.add(f, a, b),
                FOp2::Sub => u.sub(f, a, b),
                FOp2::Max => u.max_min(f, a, b, true, false),
                FOp2::Min => u.max_min(f, a, b, false, false),
                FOp2::MaxNm => u.max_min(f, a, b, true, true),
                FOp2::MinNm => u.max_min(f, a, b, false, true),
                FOp2::Nmul => f.neg(u.mul(f, a, b, false)),
            };
            c.set_v(rd, r as u128);
        }
        Inst::Fma { op, ty, rd, rn, rm, ra } => {
            let f = fmt_ty(ty);
            let (n, m, a) = (c.vr(rn) as u64 & f.mask(), c.vr(rm) as u64 & f.mask(), c.vr(ra) as u64 & f.mask());
            // The Arm ARM negates operands (NaNs included) before FPMulAdd.
            let (n, a) = match op {
                FmaOp::Madd => (n, a),
                FmaOp::Msub => (f.neg(n), a),
                FmaOp::Nmadd => (f.neg(n), f.neg(a)),
                FmaOp::Nmsub => (n, f.neg(a)),
            };
            let r = c.fpu().mul_add(f, a, n, m);
            c.set_v(rd, r as u128);
        }
        Inst::FCmp { ty, rn, rm, zero, signal } => {
            let f = fmt_ty(ty);
            let a = c.vr(rn) as u64 & f.mask();
            let b = if zero { 0 } else { c.vr(rm) as u64 & f.mask() };
            let nzcv = c.fpu().compare(f, a, b, signal);
            c.set_nzcv_bits(nzcv);
        }
        Inst::FCondCmp { ty, rn, rm, nzcv, cond, signal } => {
            let f = fmt_ty(ty);
            let flags = if cond_holds(c.s.nzcv, cond) {
                let (a, b) = (c.vr(rn) as u64 & f.mask(), c.vr(rm) as u64 & f.mask());
                c.fpu().compare(f, a, b, signal)
            } else {
                nzcv
            };
            c.set_nzcv_bits(flags);
        }
        Inst::FCsel { ty, rd, rn, rm, cond } => {
            let src = if cond_holds(c.s.nzcv, cond) { rn } else { rm };
            let v = c.vr(src) as u64 & fmt_ty(ty).mask();
            c.set_v(rd, v as u128);
        }
        Inst::FCvt { from, to, rd, rn } => {
            let (ff, ft) = (fmt_ty(from), fmt_ty(to));
            let x = c.vr(rn) as u64 & ff.mask();
            let mut u = c.fpu();
            let r = u.rmode();
            let v = u.convert(ff, ft, x, r);
            c.set_v(rd, v as u128);
        }
        Inst::IntToFp { signed, sf, ty, rd, rn } => {
            let x = c.xz(rn);
            let mut u = c.fpu();
            let r = u.rmode();
            let v = u.from_fixed(fmt_ty(ty), x, if sf { 64 } else { 32 }, signed, 0, r);
            c.set_v(rd, v as u128);
        }
        Inst::FixedToFp { signed, sf, ty, fbits, rd, rn } => {
            let x = c.xz(rn);
            let mut u = c.fpu();
            let r = u.rmode();
            let v = u.from_fixed(fmt_ty(ty), x, if sf { 64 } else { 32 }, signed, fbits as u32, r);
            c.set_v(rd, v as u128);
        }
        Inst::FpToInt { round, signed, sf, ty, rd, rn } => {
            let f = fmt_ty(ty);
            let x = c.vr(rn) as u64 & f.mask();
            let r = rounding(c, round);
            let v = c.fpu().to_fixed(f, x, 0, !signed, r, if sf { 64 } else { 32 });
            c.set_xz(rd, v);
        }
        Inst::FpToFixed { signed, sf, ty, fbits, rd, rn } => {
            let f = fmt_ty(ty);
            let x = c.vr(rn) as u64 & f.mask();
            let v = c.fpu().to_fixed(f, x, fbits as u32, !signed, Rounding::Zero, if sf { 64 } else { 32 });
            c.set_xz(rd, v);
        }
        Inst::Fjcvtzs { rd, rn } => {
            let x = c.vr(rn) as u64;
            let (v, z) = c.fpu().js_convert(x);
            c.set_xz(rd, v as u64);
            c.set_nzcv(false, z, false, false);
        }
        Inst::Bfcvt { rd, rn } => {
            let x = c.vr(rn) as u32 as u64;
            let v = c.fpu().to_bf16(x);
            c.set_v(rd, v as u128);
        }
        _ => return false,
    }
    true
}

/// BFCVTN/BFCVTN2: four singles to BFloat16 in the low (or, for `q`, high) half.
pub(crate) fn bfcvtn(c: &mut Ctx, q: bool, rd: VReg, rn: VReg) {
    let a = c.vr(rn);
    let mut out = if q { c.vr(rd) as u64 as u128 } else { 0 };
    for i in 0..4 {
        let h = c.fpu().to_bf16(lane(a, 2, i));
        set_lane(&mut out, 1, i + if q { 4 } else { 0 }, h as u64);
    }
    c.set_v(rd, out);
}

/// The BFloat16 product-sum helpers of BFDOT and BFMMLA, which ignore FPCR: BFloat16
/// inputs widened, denormals flushed, NaNs default, round to odd with overflow to infinity,
/// no flags (the Arm ARM's BFMul, BFAdd and BFRound).
pub(crate) fn bf_dot_add(sum: u32, a: u32, b: u32) -> u32 {
    let lo = |x: u32| x << 16;
    let hi = |x: u32| x & 0xffff_0000;
    let p1 = bf_mul(lo(a), lo(b));
    let p2 = bf_mul(hi(a), hi(b));
    bf_add(sum, bf_add(p1, p2))
}

fn bf_unpack(x: u32) -> (fpu::Class, bool, u64, i32) {
    let sign = x >> 31 != 0;
    let exp = (x >> 23) & 0xff;
    let frac = (x & 0x7f_ffff) as u64;
    match exp {
        0 => (fpu::Class::Zero, sign, 0, 0),
        0xff if frac == 0 => (fpu::Class::Inf, sign, 0, 0),
        0xff => (fpu::Class::QNaN, sign, 0, 0),
        _ => (fpu::Class::Num, sign, frac | 1 << 23, exp as i32 - 127 - 23),
    }
}

const BF_DNAN: u32 = 0x7fc0_0000;

fn bf_mul(a: u32, b: u32) -> u32 {
    use fpu::Class::*;
    let (ta, sa, ma, ea) = bf_unpack(a);
    let (tb, sb, mb, eb) = bf_unpack(b);
    let sign = sa != sb;
    match (ta, tb) {
        (QNaN, _) | (_, QNaN) => BF_DNAN,
        (Inf, Zero) | (Zero, Inf) => BF_DNAN,
        (Inf, _) | (_, Inf) => S.inf(sign) as u32,
        (Zero, _) | (_, Zero) => S.zero(sign) as u32,
        _ => bf_round(sign, ma as u128 * mb as u128, ea + eb, false),
    }
}

fn bf_add(a: u32, b: u32) -> u32 {
    use fpu::Class::*;
    let (ta, sa, ma, ea) = bf_unpack(a);
    let (tb, sb, mb, eb) = bf_unpack(b);
    match (ta, tb) {
        (QNaN, _) | (_, QNaN) => BF_DNAN,
        (Inf, Inf) if sa != sb => BF_DNAN,
        (Inf, _) => S.inf(sa) as u32,
        (_, Inf) => S.inf(sb) as u32,
        (Zero, Zero) if sa == sb => S.zero(sa) as u32,
        _ => {
            // The exact sum: align to the smaller exponent when the gap is small, else the
            // smaller operand only contributes a sticky bit below the larger's precision.
            let term = |t, s: bool, m: u64, e: i32| if t == Zero { None } else { Some((s, m, e)) };
            match (term(ta, sa, ma, ea), term(tb, sb, mb, eb)) {
                (None, None) => 0,
                (Some((s, m, e)), None) | (None, Some((s, m, e))) => bf_round(s, m as u128, e, false),
                (Some(x), Some(y)) => {
                    let (hi, lo) = if x.2 >= y.2 { (x, y) } else { (y, x) };
                    let d = (hi.2 - lo.2) as u32;
                    let (m_hi, m_lo, sticky, e) = if d <= 64 {
                        ((hi.1 as u128) << d, lo.1 as u128, false, lo.2)
                    } else {
                        // lo < 2^24 units of 2^lo.e, hi >= 2^23 units of 2^hi.e: keep hi
                        // shifted by 40 bits, lo as a sticky unit below it.
                        ((hi.1 as u128) << 40, 0, true, hi.2 - 40)
                    };
                    if hi.0 == lo.0 {
                        bf_round(hi.0, m_hi + m_lo, e, sticky)
                    } else {
                        let (s, m) = if m_hi >= m_lo { (hi.0, m_hi - m_lo) } else { (lo.0, m_lo - m_hi) };
                        if m == 0 && !sticky {
                            0
                        } else if sticky {
                            // hi - (something smaller than one unit): one unit less, sticky.
                            bf_round(s, m - 1, e, true)
                        } else {
                            bf_round(s, m, e, false)
                        }
                    }
                }
            }
        }
    }
}

/// BFRound: to single precision, flushing tiny values to zero, round to odd, overflow to
/// infinity.
fn bf_round(sign: bool, m: u128, e: i32, sticky: bool) -> u32 {
    debug_assert!(m != 0);
    let l = m.leading_zeros();
    let m = m << l;
    let e = e - l as i32;
    let lead = e + 127;
    let s = if sign { 0x8000_0000u32 } else { 0 };
    if lead < -126 {
        return s;
    }
    let biased = (lead + 127) as u32;
    // Keep 24 bits.
    let int = (m >> 104) as u32;
    let inexact = sticky || m & ((1u128 << 104) - 1) != 0;
    let int = if inexact { int | 1 } else { int };
    if biased >= 255 {
        return s | 0x7f80_0000;
    }
    s | biased << 23 | (int & 0x7f_ffff)
}
