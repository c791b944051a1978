//! Handlers for the AdvSIMD and FP-move forms compilers emit in integer code (vectorised
//! loops, glibc's string functions, the general/FP register moves of scalar code): whole
//! vectors as arrays of host integers, so the host compiler can use its own vector
//! instructions. Element size (`S`, log2 bytes), width (`Q`) and operation are const
//! parameters; anything else runs through `exec`.

use super::ops::{cont, r, w};
use super::*;

/// A vector element: u8, u16, u32 or u64.
trait El: Copy + Ord {
    /// The signed element of the same width.
    type S: Ord + Copy;
    const BITS: u32;
    const ONES: Self;
    const ZERO: Self;
    fn s(self) -> Self::S;
    fn from_s(v: Self::S) -> Self;
    fn wadd(self, o: Self) -> Self;
    fn wsub(self, o: Self) -> Self;
    fn wmul(self, o: Self) -> Self;
    fn wneg(self) -> Self;
    /// Shifts by `n` below BITS.
    fn shl(self, n: u32) -> Self;
    fn shr(self, n: u32) -> Self;
    fn sar(self, n: u32) -> Self;
    fn to64(self) -> u64;
    fn from64(v: u64) -> Self;
    /// Sign-extended to 64 bits.
    fn sx64(self) -> u64;
}
macro_rules! el {
    ($t:ty, $s:ty) => {
        impl El for $t {
            type S = $s;
            const BITS: u32 = <$t>::BITS;
            const ONES: Self = <$t>::MAX;
            const ZERO: Self = 0;
            #[inline(always)]
            fn s(self) -> $s {
                self as $s
            }
            #[inline(always)]
            fn from_s(v: $s) -> Self {
                v as $t
            }
            #[inline(always)]
            fn wadd(self, o: Self) -> Self {
                self.wrapping_add(o)
            }
            #[inline(always)]
            fn wsub(self, o: Self) -> Self {
                self.wrapping_sub(o)
            }
            #[inline(always)]
            fn wmul(self, o: Self) -> Self {
                self.wrapping_mul(o)
            }
            #[inline(always)]
            fn wneg(self) -> Self {
                self.wrapping_neg()
            }
            #[inline(always)]
            fn shl(self, n: u32) -> Self {
                self << n
            }
            #[inline(always)]
            fn shr(self, n: u32) -> Self {
                self >> n
            }
            #[inline(always)]
            fn sar(self, n: u32) -> Self {
                ((self as $s) >> n) as $t
            }
            #[inline(always)]
            fn to64(self) -> u64 {
                self as u64
            }
            #[inline(always)]
            fn from64(v: u64) -> Self {
                v as $t
            }
            #[inline(always)]
            fn sx64(self) -> u64 {
                self as $s as i64 as u64
            }
        }
    };
}
el!(u8, i8);
el!(u16, i16);
el!(u32, i32);
el!(u64, i64);

/// The lanes of vector register `i`, read as an array in place (a `u128` value in
/// between would be split into two host registers and its lanes shuffled out one by one).
#[inline(always)]
fn get<T: El, const N: usize>(c: &Ctx, i: u8) -> [T; N] {
    const { assert!(N * std::mem::size_of::<T>() == 16) };
    let p = &c.s.v[(i & 31) as usize] as *const u128 as *const [T; N];
    // SAFETY: `p` points to a u128 of the same size (asserted), aligned for any T; every
    // bit pattern is a valid [T; N]; little-endian, as the lanes are.
    unsafe { p.read() }
}
/// Writes vector register `i` from lanes: all 128 bits (`Q`) or the low 64, zeroing the rest.
#[inline(always)]
fn put<T: El, const N: usize, const Q: bool>(c: &mut Ctx, i: u8, v: [T; N]) {
    const { assert!(N * std::mem::size_of::<T>() == 16) };
    let p = &mut c.s.v[(i & 31) as usize] as *mut u128;
    // SAFETY: as in `get`; the upper half is the second u64 of the same u128.
    unsafe {
        (p as *mut [T; N]).write(v);
        if !Q {
            (p as *mut u64).add(1).write(0);
        }
    }
}

/// Runs `$body` with `$t` the element type of size `$s` and `$n` its lanes per vector.
macro_rules! by_size {
    ($s:expr, |$t:ident, $n:ident| $body:expr) => {
        match $s {
            0 => {
                type $t = u8;
                const $n: usize = 16;
                $body
            }
            1 => {
                type $t = u16;
                const $n: usize = 8;
                $body
            }
            2 => {
                type $t = u32;
                const $n: usize = 4;
                $body
            }
            _ => {
                type $t = u64;
                const $n: usize = 2;
                $body
            }
        }
    };
}

#[inline(always)]
fn vr(c: &Ctx, i: u8) -> u128 {
    c.s.v[(i & 31) as usize]
}

// ---------------------------------------------------------------------------------------
// Three registers, same element size
// ---------------------------------------------------------------------------------------

/// The bitwise ops of [`vbit`]: AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF.
pub(super) fn bit_op(op: VOp3) -> Option<usize> {
    Some(match op {
        VOp3::And => 0,
        VOp3::Bic => 1,
        VOp3::Orr => 2,
        VOp3::Orn => 3,
        VOp3::Eor => 4,
        VOp3::Bsl => 5,
        VOp3::Bit => 6,
        VOp3::Bif => 7,
        _ => return None,
    })
}
fn vbit<const OP: u8, const Q: bool>(c: &mut Ctx, o: &Op) -> Next {
    let (a, b, d) = (get::<u64, 2>(c, o.rn), get::<u64, 2>(c, o.rm), get::<u64, 2>(c, o.rd));
    let v: [u64; 2] = std::array::from_fn(|i| {
        let (a, b, d) = (a[i], b[i], d[i]);
        match OP {
            0 => a & b,
            1 => a & !b,
            2 => a | b,
            3 => a | !b,
            4 => a ^ b,
            5 => (d & a) | (!d & b),
            6 => (a & b) | (d & !b),
            _ => (d & b) | (a & !b),
        }
    });
    put::<u64, 2, Q>(c, o.rd, v);
    cont(c, o)
}

/// The lane-wise ops of [`v3`], by index.
pub(super) fn lane_op(op: VOp3) -> Option<usize> {
    Some(match op {
        VOp3::Add => 0,
        VOp3::Sub => 1,
        VOp3::Mul => 2,
        VOp3::Mla => 3,
        VOp3::Mls => 4,
        VOp3::Cmeq => 5,
        VOp3::Cmhs => 6,
        VOp3::Cmhi => 7,
        VOp3::Cmge => 8,
        VOp3::Cmgt => 9,
        VOp3::Cmtst => 10,
        VOp3::Umax => 11,
        VOp3::Umin => 12,
        VOp3::Smax => 13,
        VOp3::Smin => 14,
        VOp3::Addp => 15,
        VOp3::Umaxp => 16,
        VOp3::Uminp => 17,
        VOp3::Smaxp => 18,
        VOp3::Sminp => 19,
        VOp3::Uzp1 => 20,
        VOp3::Uzp2 => 21,
        VOp3::Zip1 => 22,
        VOp3::Zip2 => 23,
        VOp3::Trn1 => 24,
        VOp3::Trn2 => 25,
        _ => return None,
    })
}
/// The first pairwise op of [`lane_op`]; the permutes follow them.
pub(super) const PAIRWISE: usize = 15;
pub(super) const PERMUTE: usize = 20;

#[inline(always)]
fn mask<T: El>(b: bool) -> T {
    if b {
        T::ONES
    } else {
        T::ZERO
    }
}
#[inline(always)]
fn lane3<const OP: u8, T: El>(a: T, b: T, d: T) -> T {
    match OP {
        0 | 15 => a.wadd(b),
        1 => a.wsub(b),
        2 => a.wmul(b),
        3 => d.wadd(a.wmul(b)),
        4 => d.wsub(a.wmul(b)),
        5 => mask(a == b),
        6 => mask(a >= b),
        7 => mask(a > b),
        8 => mask(a.s() >= b.s()),
        9 => mask(a.s() > b.s()),
        10 => mask(and_nonzero(a, b)),
        11 | 16 => a.max(b),
        12 | 17 => a.min(b),
        13 | 18 => T::from_s(a.s().max(b.s())),
        _ => T::from_s(a.s().min(b.s())),
    }
}
/// CMTST's test, a & b != 0, through the trait's operations.
#[inline(always)]
fn and_nonzero<T: El>(a: T, b: T) -> bool {
    a.to64() & b.to64() != 0
}
#[inline(always)]
fn v3_lanes<const OP: u8, const Q: bool, T: El, const N: usize>(a: [T; N], b: [T; N], d: [T; N]) -> [T; N] {
    let n = if Q { N } else { N / 2 };
    let half = n / 2;
    let op = OP as usize;
    let r: [T; N] = if op < PAIRWISE {
        std::array::from_fn(|i| lane3::<OP, T>(a[i], b[i], d[i]))
    } else if op < PERMUTE {
        std::array::from_fn(|i| {
            let src = if i < half { &a } else { &b };
            let j = 2 * (i % half.max(1));
            if i < n {
                lane3::<OP, T>(src[j], src[j + 1], T::ZERO)
            } else {
                T::ZERO
            }
        })
    } else {
        std::array::from_fn(|i| {
            if i >= n {
                return T::ZERO;
            }
            let h = half.max(1);
            match OP {
                20 | 21 => {
                    let src = if i < half { &a } else { &b };
                    src[2 * (i % h) + (OP == 21) as usize]
                }
                22 | 23 => {
                    let base = if OP == 23 { half } else { 0 };
                    if i % 2 == 0 {
                        a[base + i / 2]
                    } else {
                        b[base + i / 2]
                    }
                }
                _ => {
                    let odd = (OP == 25) as usize;
                    if i % 2 == 0 {
                        a[i + odd]
                    } else {
                        b[i - 1 + odd]
                    }
                }
            }
        })
    };
    r
}
/// The three-same integer ops of [`lane_op`] on elements of size `S`.
fn v3<const OP: u8, const S: u8, const Q: bool>(c: &mut Ctx, o: &Op) -> Next {
    by_size!(S, |T, N| {
        let r = v3_lanes::<OP, Q, T, N>(get(c, o.rn), get(c, o.rm), get(c, o.rd));
        put::<T, N, Q>(c, o.rd, r);
    });
    cont(c, o)
}

// ---------------------------------------------------------------------------------------
// Two registers
// ---------------------------------------------------------------------------------------

/// The ops of [`v2`]: CMEQ, CMGE, CMGT, CMLE, CMLT against zero, NEG, ABS.
pub(super) fn v2_op(op: VOp2) -> Option<usize> {
    Some(match op {
        VOp2::Cmeq0 => 0,
        VOp2::Cmge0 => 1,
        VOp2::Cmgt0 => 2,
        VOp2::Cmle0 => 3,
        VOp2::Cmlt0 => 4,
        VOp2::Neg => 5,
        VOp2::Abs => 6,
        _ => return None,
    })
}
#[inline(always)]
fn v2_lanes<const OP: u8, T: El, const N: usize>(a: [T; N]) -> [T; N] {
    let z = T::ZERO.s();
    let r: [T; N] = std::array::from_fn(|i| {
        let x = a[i];
        match OP {
            0 => mask(x == T::ZERO),
            1 => mask(x.s() >= z),
            2 => mask(x.s() > z),
            3 => mask(x.s() <= z),
            4 => mask(x.s() < z),
            5 => x.wneg(),
            _ => {
                if x.s() < z {
                    x.wneg()
                } else {
                    x
                }
            }
        }
    });
    r
}
fn v2<const OP: u8, const S: u8, const Q: bool>(c: &mut Ctx, o: &Op) -> Next {
    by_size!(S, |T, N| {
        let r = v2_lanes::<OP, T, N>(get(c, o.rn));
        put::<T, N, Q>(c, o.rd, r);
    });
    cont(c, o)
}
/// NOT (MVN).
fn vnot<const Q: bool>(c: &mut Ctx, o: &Op) -> Next {
    let a = get::<u64, 2>(c, o.rn);
    put::<u64, 2, Q>(c, o.rd, [!a[0], !a[1]]);
    cont(c, o)
}

// ---------------------------------------------------------------------------------------
// Shifts by immediate
// ---------------------------------------------------------------------------------------

/// The ops of [`vshift`]: SHL, USHR, SSHR, USRA, SSRA.
pub(super) fn shift_op(op: VShiftOp) -> Option<usize> {
    Some(match op {
        VShiftOp::Shl => 0,
        VShiftOp::Ushr => 1,
        VShiftOp::Sshr => 2,
        VShiftOp::Usra => 3,
        VShiftOp::Ssra => 4,
        _ => return None,
    })
}
#[inline(always)]
fn shift_lanes<const OP: u8, T: El, const N: usize>(a: [T; N], d: [T; N], sh: u32) -> [T; N] {
    // Right shifts by the element size (allowed) give zero or the sign.
    let big = sh >= T::BITS;
    let r: [T; N] = std::array::from_fn(|i| {
        let x = a[i];
        let ushr = if big { T::ZERO } else { x.shr(sh) };
        let sshr = x.sar(sh.min(T::BITS - 1));
        match OP {
            0 => x.shl(sh.min(T::BITS - 1)),
            1 => ushr,
            2 => sshr,
            3 => d[i].wadd(ushr),
            _ => d[i].wadd(sshr),
        }
    });
    r
}
/// Shifts by immediate (`p0`) on elements of size `S`.
fn vshift<const OP: u8, const S: u8, const Q: bool>(c: &mut Ctx, o: &Op) -> Next {
    let sh = o.p0 as u32;
    by_size!(S, |T, N| {
        let r = shift_lanes::<OP, T, N>(get(c, o.rn), get(c, o.rd), sh);
        put::<T, N, Q>(c, o.rd, r);
    });
    cont(c, o)
}
/// SHRN, SHRN2: each element of size `S` shifted right by `p0` and narrowed, into the low
/// (or, for the `2` form, high) half.
fn shrn<const S: u8, const Q: bool>(c: &mut Ctx, o: &Op) -> Next {
    let sh = o.p0 as u32;
    let bits = 8u32 << S;
    let narrow: u64 = by_size!(S, |T, N| {
        let a = get::<T, N>(c, o.rn);
        let mut r = 0u64;
        for (i, x) in a.iter().enumerate() {
            r |= ((x.to64() >> sh) & ((1u64 << (bits / 2)) - 1)) << (i as u32 * bits / 2);
        }
        r
    });
    let d = get::<u64, 2>(c, o.rd);
    put::<u64, 2, true>(c, o.rd, if Q { [d[0], narrow] } else { [narrow, 0] });
    cont(c, o)
}
/// USHLL, SSHLL (UXTL, SXTL) and their `2` forms: the low (high) half's elements of size
/// `S` widened and shifted left by `p0`.
fn shll<const S: u8, const Q: bool, const SIGNED: bool>(c: &mut Ctx, o: &Op) -> Next {
    let half = get::<u64, 2>(c, o.rn)[Q as usize];
    let sh = o.p0 as u32;
    by_size!(S + 1, |T, N| {
        let r: [T; N] = std::array::from_fn(|i| {
            let x = (half >> (i as u32 * (8 << S))) & ((1u64 << (8 << S)) - 1);
            let x = if SIGNED { ((x << (64 - (8 << S))) as i64 >> (64 - (8 << S))) as u64 } else { x };
            T::from64(x << sh)
        });
        put::<T, N, true>(c, o.rd, r);
    });
    cont(c, o)
}

// ---------------------------------------------------------------------------------------
// Widening multiplies
// ---------------------------------------------------------------------------------------

/// SMULL, UMULL, SMLAL, UMLAL, SMLSL, UMLSL (OP 0, 1, 2) and their `2` forms: elements of
/// size `S` from the low (high) halves, products of size `S + 1`.
fn vmull<const OP: u8, const S: u8, const Q: bool, const SIGNED: bool>(c: &mut Ctx, o: &Op) -> Next {
    let (a, b) = (get::<u64, 2>(c, o.rn)[Q as usize], get::<u64, 2>(c, o.rm)[Q as usize]);
    let bits = 8u32 << S;
    by_size!(S + 1, |T, N| {
        let d = get::<T, N>(c, o.rd);
        let r: [T; N] = std::array::from_fn(|i| {
            let m = (1u64 << bits) - 1;
            let (x, y) = ((a >> (i as u32 * bits)) & m, (b >> (i as u32 * bits)) & m);
            let (x, y) = if SIGNED {
                (((x << (64 - bits)) as i64 >> (64 - bits)) as u64, ((y << (64 - bits)) as i64 >> (64 - bits)) as u64)
            } else {
                (x, y)
            };
            let p = T::from64(x.wrapping_mul(y));
            match OP {
                0 => p,
                1 => d[i].wadd(p),
                _ => d[i].wsub(p),
            }
        });
        put::<T, N, true>(c, o.rd, r);
    });
    cont(c, o)
}

// ---------------------------------------------------------------------------------------
// Moves, duplicates, reductions
// ---------------------------------------------------------------------------------------

/// FMOV from a general register: `p0` the width in bits (32 or 64) kept.
pub(super) fn fmov_to_fp(c: &mut Ctx, o: &Op) -> Next {
    let x = r(c, o.rn) & o.imm;
    c.s.v[(o.rd & 31) as usize] = x as u128;
    cont(c, o)
}
/// FMOV to a general register (and FMOV between FP registers: `rd` a vector register),
/// the low bits masked by `imm`.
pub(super) fn fmov_from_fp(c: &mut Ctx, o: &Op) -> Next {
    let x = vr(c, o.rn) as u64 & o.imm;
    w(c, o.rd, x);
    cont(c, o)
}
/// FMOV between FP registers: the low bits masked by `imm`, the rest zeroed.
pub(super) fn fmov_fp(c: &mut Ctx, o: &Op) -> Next {
    let x = vr(c, o.rn) as u64 & o.imm;
    c.s.v[(o.rd & 31) as usize] = x as u128;
    cont(c, o)
}
/// Scalar FADD, FSUB, FMUL, FDIV (`OP` 0 to 3) in single or double precision: the FP
/// unit's operation, without the slow path's dispatch (the semantics stay in `fpu`).
pub(super) fn fp_arith<const OP: u8, const DOUBLE: bool>(c: &mut Ctx, o: &Op) -> Next {
    let f = if DOUBLE { crate::fpu::D } else { crate::fpu::S };
    let (a, b) = (vr(c, o.rn) as u64 & f.mask(), vr(c, o.rm) as u64 & f.mask());
    let mut u = c.fpu();
    let r = match OP {
        0 => u.add(f, a, b),
        1 => u.sub(f, a, b),
        2 => u.mul(f, a, b, false),
        _ => u.div(f, a, b),
    };
    c.s.v[(o.rd & 31) as usize] = r as u128;
    cont(c, o)
}
/// Scalar FMADD, FMSUB, FNMADD, FNMSUB: `rd = ra + rn * rm` with the multiplicand and the
/// addend negated first as `NEG_N` and `NEG_A` say (as the Arm ARM does, NaNs included).
pub(super) fn fp_fma<const NEG_N: bool, const NEG_A: bool, const DOUBLE: bool>(c: &mut Ctx, o: &Op) -> Next {
    let f = if DOUBLE { crate::fpu::D } else { crate::fpu::S };
    let (n, m, a) = (vr(c, o.rn) as u64 & f.mask(), vr(c, o.rm) as u64 & f.mask(), vr(c, o.ra) as u64 & f.mask());
    let n = if NEG_N { f.neg(n) } else { n };
    let a = if NEG_A { f.neg(a) } else { a };
    let r = c.fpu().mul_add(f, a, n, m);
    c.s.v[(o.rd & 31) as usize] = r as u128;
    cont(c, o)
}
/// MOVI, MVNI, FMOV (vector, immediate): the 128-bit constant in `imm`/`imm2`.
pub(super) fn vconst(c: &mut Ctx, o: &Op) -> Next {
    c.s.v[(o.rd & 31) as usize] = (o.imm as u128) | ((o.imm2 as u128) << 64);
    cont(c, o)
}
/// DUP (general) and, with the element replicated at lowering, nothing else: every lane of
/// size `S` from a general register.
fn dup_gen<const S: u8, const Q: bool>(c: &mut Ctx, o: &Op) -> Next {
    let x = r(c, o.rn);
    by_size!(S, |T, N| put::<T, N, Q>(c, o.rd, [T::from64(x); N]));
    cont(c, o)
}
/// DUP (element): lane `p0` of size `S` in every lane.
fn dup_elem<const S: u8, const Q: bool>(c: &mut Ctx, o: &Op) -> Next {
    by_size!(S, |T, N| {
        let x = get::<T, N>(c, o.rn)[(o.p0 as usize) % N];
        put::<T, N, Q>(c, o.rd, [x; N]);
    });
    cont(c, o)
}
/// UMOV, SMOV (MOV to general): lane `p0` of size `S`, sign-extended if `SIGNED`, masked by
/// `imm` (32-bit destinations).
fn mov_to_gen<const S: u8, const SIGNED: bool>(c: &mut Ctx, o: &Op) -> Next {
    let x = by_size!(S, |T, N| {
        let x = get::<T, N>(c, o.rn)[(o.p0 as usize) % N];
        if SIGNED {
            x.sx64()
        } else {
            x.to64()
        }
    });
    w(c, o.rd, x & o.imm);
    cont(c, o)
}
/// INS (general): lane `p0` of size `S` from a general register.
fn ins_gen<const S: u8>(c: &mut Ctx, o: &Op) -> Next {
    let x = r(c, o.rn);
    by_size!(S, |T, N| {
        let mut l = get::<T, N>(c, o.rd);
        l[(o.p0 as usize) % N] = T::from64(x);
        put::<T, N, true>(c, o.rd, l);
    });
    cont(c, o)
}
/// INS (element): lane `p0` from lane `p1` of `rn`, of size `S`.
fn ins_elem<const S: u8>(c: &mut Ctx, o: &Op) -> Next {
    by_size!(S, |T, N| {
        let x = get::<T, N>(c, o.rn)[(o.p1 as usize) % N];
        let mut l = get::<T, N>(c, o.rd);
        l[(o.p0 as usize) % N] = x;
        put::<T, N, true>(c, o.rd, l);
    });
    cont(c, o)
}
/// DUP (element, scalar), MOV (scalar): lane `p0` of size `S` alone.
fn dup_scalar<const S: u8>(c: &mut Ctx, o: &Op) -> Next {
    let x = by_size!(S, |T, N| get::<T, N>(c, o.rn)[(o.p0 as usize) % N].to64());
    c.s.v[(o.rd & 31) as usize] = x as u128;
    cont(c, o)
}
/// ADDV, UMAXV, UMINV (OP 0, 1, 2) over the lanes of size `S`.
fn reduce<const OP: u8, const S: u8, const Q: bool>(c: &mut Ctx, o: &Op) -> Next {
    let x = by_size!(S, |T, N| {
        let l = get::<T, N>(c, o.rn);
        let n = if Q { N } else { N / 2 };
        let mut acc = l[0];
        for &x in &l[1..n] {
            acc = match OP {
                0 => acc.wadd(x),
                1 => acc.max(x),
                _ => acc.min(x),
            };
        }
        acc.to64()
    });
    c.s.v[(o.rd & 31) as usize] = x as u128;
    cont(c, o)
}

// ---------------------------------------------------------------------------------------
// Vector loads and stores
// ---------------------------------------------------------------------------------------

/// LD1, ST1 (multiple structures, no interleaving) of `p0` registers from `rd` (wrapping
/// at 31), at `rn`; post-index by `imm`, or by register `rm` (the zero slot when none).
fn ld1st1<const LOAD: bool, const Q: bool, const POST: bool>(c: &mut Ctx, o: &Op) -> Next {
    let base = r(c, o.rn);
    let per = if Q { 16 } else { 8 };
    for k in 0..o.p0 {
        let a = base.wrapping_add(k as u64 * per);
        let t = ((o.rd + k) & 31) as usize;
        let Some(p) = ops::host_ptr(c, o, a, per, if LOAD { Access::Read } else { Access::Write }) else {
            return EXIT;
        };
        // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
        unsafe {
            if LOAD {
                c.s.v[t] = if Q { read_u128(p) } else { (p as *const u64).read_unaligned() as u128 };
            } else if Q {
                write_u128(p, c.s.v[t]);
            } else {
                (p as *mut u64).write_unaligned(c.s.v[t] as u64);
            }
        }
    }
    if POST {
        let inc = o.imm.wrapping_add(r(c, o.rm));
        w(c, o.rn, base.wrapping_add(inc));
    }
    cont(c, o)
}
/// LD1R (one register): an element of size `S` in every lane; post-index as [`ld1st1`].
fn ld1r<const S: u8, const Q: bool, const POST: bool>(c: &mut Ctx, o: &Op) -> Next {
    let base = r(c, o.rn);
    let Some(p) = ops::host_ptr(c, o, base, 1 << S, Access::Read) else { return EXIT };
    by_size!(S, |T, N| {
        // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
        let x = unsafe { (p as *const T).read_unaligned() };
        put::<T, N, Q>(c, o.rd, [x; N]);
    });
    if POST {
        let inc = o.imm.wrapping_add(r(c, o.rm));
        w(c, o.rn, base.wrapping_add(inc));
    }
    cont(c, o)
}

// ---------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------

macro_rules! sq {
    ($f:ident, [$($pre:tt)*], [$($post:tt)*]) => {
        [
            [$f::<$($pre)* 0, false $($post)*> as Handler, $f::<$($pre)* 0, true $($post)*>],
            [$f::<$($pre)* 1, false $($post)*>, $f::<$($pre)* 1, true $($post)*>],
            [$f::<$($pre)* 2, false $($post)*>, $f::<$($pre)* 2, true $($post)*>],
            [$f::<$($pre)* 3, false $($post)*>, $f::<$($pre)* 3, true $($post)*>],
        ]
    };
}
/// By [op][q].
pub(super) static VBIT: [[Handler; 2]; 8] = [
    [vbit::<0, false>, vbit::<0, true>],
    [vbit::<1, false>, vbit::<1, true>],
    [vbit::<2, false>, vbit::<2, true>],
    [vbit::<3, false>, vbit::<3, true>],
    [vbit::<4, false>, vbit::<4, true>],
    [vbit::<5, false>, vbit::<5, true>],
    [vbit::<6, false>, vbit::<6, true>],
    [vbit::<7, false>, vbit::<7, true>],
];
/// By [op][size][q].
pub(super) static V3: [[[Handler; 2]; 4]; 26] = [
    sq!(v3, [0,], []),
    sq!(v3, [1,], []),
    sq!(v3, [2,], []),
    sq!(v3, [3,], []),
    sq!(v3, [4,], []),
    sq!(v3, [5,], []),
    sq!(v3, [6,], []),
    sq!(v3, [7,], []),
    sq!(v3, [8,], []),
    sq!(v3, [9,], []),
    sq!(v3, [10,], []),
    sq!(v3, [11,], []),
    sq!(v3, [12,], []),
    sq!(v3, [13,], []),
    sq!(v3, [14,], []),
    sq!(v3, [15,], []),
    sq!(v3, [16,], []),
    sq!(v3, [17,], []),
    sq!(v3, [18,], []),
    sq!(v3, [19,], []),
    sq!(v3, [20,], []),
    sq!(v3, [21,], []),
    sq!(v3, [22,], []),
    sq!(v3, [23,], []),
    sq!(v3, [24,], []),
    sq!(v3, [25,], []),
];
/// By [op][size][q].
pub(super) static V2: [[[Handler; 2]; 4]; 7] = [
    sq!(v2, [0,], []),
    sq!(v2, [1,], []),
    sq!(v2, [2,], []),
    sq!(v2, [3,], []),
    sq!(v2, [4,], []),
    sq!(v2, [5,], []),
    sq!(v2, [6,], []),
];
pub(super) static VNOT: [Handler; 2] = [vnot::<false>, vnot::<true>];
/// By [op][size][q].
pub(super) static VSHIFT: [[[Handler; 2]; 4]; 5] =
    [sq!(vshift, [0,], []), sq!(vshift, [1,], []), sq!(vshift, [2,], []), sq!(vshift, [3,], []), sq!(vshift, [4,], [])];
/// By [source size - 1][q].
pub(super) static SHRN: [[Handler; 2]; 3] =
    [[shrn::<1, false>, shrn::<1, true>], [shrn::<2, false>, shrn::<2, true>], [shrn::<3, false>, shrn::<3, true>]];
macro_rules! shll_row {
    ($s:expr) => {
        [[shll::<$s, false, false> as Handler, shll::<$s, false, true>], [shll::<$s, true, false>, shll::<$s, true, true>]]
    };
}
/// By [size][q][signed].
pub(super) static SHLL: [[[Handler; 2]; 2]; 3] = [shll_row!(0), shll_row!(1), shll_row!(2)];
macro_rules! mull_row {
    ($op:expr, $s:expr) => {
        [
            [vmull::<$op, $s, false, false> as Handler, vmull::<$op, $s, false, true>],
            [vmull::<$op, $s, true, false>, vmull::<$op, $s, true, true>],
        ]
    };
}
/// By [op][size][q][signed].
pub(super) static VMULL: [[[[Handler; 2]; 2]; 3]; 3] = [
    [mull_row!(0, 0), mull_row!(0, 1), mull_row!(0, 2)],
    [mull_row!(1, 0), mull_row!(1, 1), mull_row!(1, 2)],
    [mull_row!(2, 0), mull_row!(2, 1), mull_row!(2, 2)],
];
/// By [size][q].
pub(super) static DUP_GEN: [[Handler; 2]; 4] = sq!(dup_gen, [], []);
pub(super) static DUP_ELEM: [[Handler; 2]; 4] = sq!(dup_elem, [], []);
/// By [size][signed].
pub(super) static MOV_TO_GEN: [[Handler; 2]; 4] = sq!(mov_to_gen, [], []);
pub(super) static INS_GEN: [Handler; 4] = [ins_gen::<0>, ins_gen::<1>, ins_gen::<2>, ins_gen::<3>];
pub(super) static INS_ELEM: [Handler; 4] = [ins_elem::<0>, ins_elem::<1>, ins_elem::<2>, ins_elem::<3>];
pub(super) static DUP_SCALAR: [Handler; 4] = [dup_scalar::<0>, dup_scalar::<1>, dup_scalar::<2>, dup_scalar::<3>];
/// By [op][size][q].
pub(super) static REDUCE: [[[Handler; 2]; 4]; 3] = [sq!(reduce, [0,], []), sq!(reduce, [1,], []), sq!(reduce, [2,], [])];
/// By [load][q][post].
pub(super) static LD1ST1: [[[Handler; 2]; 2]; 2] = [
    [[ld1st1::<false, false, false>, ld1st1::<false, false, true>], [ld1st1::<false, true, false>, ld1st1::<false, true, true>]],
    [[ld1st1::<true, false, false>, ld1st1::<true, false, true>], [ld1st1::<true, true, false>, ld1st1::<true, true, true>]],
];
/// By [size][q][post].
pub(super) static LD1R: [[[Handler; 2]; 2]; 4] = [
    [[ld1r::<0, false, false>, ld1r::<0, false, true>], [ld1r::<0, true, false>, ld1r::<0, true, true>]],
    [[ld1r::<1, false, false>, ld1r::<1, false, true>], [ld1r::<1, true, false>, ld1r::<1, true, true>]],
    [[ld1r::<2, false, false>, ld1r::<2, false, true>], [ld1r::<2, true, false>, ld1r::<2, true, true>]],
    [[ld1r::<3, false, false>, ld1r::<3, false, true>], [ld1r::<3, true, false>, ld1r::<3, true, true>]],
];
