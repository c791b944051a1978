//! IEEE 754 arithmetic in software, as the Arm ARM's FP pseudocode defines it, for half,
//! single and double precision (and the BFloat16 forms): every operation computes its exact
//! result and rounds once ([`Fpu::round`], the Arm ARM's FPRoundBase), so results and the
//! FPSR cumulative flags are exact in every FPCR rounding mode, with FPCR.FZ (single and
//! double), FPCR.FZ16 (half precision arithmetic), FPCR.DN and FPCR.AHP (half-precision
//! conversions) honoured and tininess detected before rounding.
//!
//! Values are raw bit patterns (`u64`, low bits used) with a [`Fmt`] naming the format, so
//! vector lanes and scalar registers use the same functions. Nothing here touches the host
//! floating-point unit.

use std::cmp::Ordering;

/// FPSR cumulative flags.
pub const IOC: u64 = 1 << 0;
pub const DZC: u64 = 1 << 1;
pub const OFC: u64 = 1 << 2;
pub const UFC: u64 = 1 << 3;
pub const IXC: u64 = 1 << 4;
pub const IDC: u64 = 1 << 7;
/// FPSR.QC: cumulative saturation (integer saturating operations).
pub const QC: u64 = 1 << 27;

/// FPCR fields.
pub const FZ16: u64 = 1 << 19;
pub const FZ: u64 = 1 << 24;
pub const DN: u64 = 1 << 25;
pub const AHP: u64 = 1 << 26;

/// A binary floating-point format: exponent and fraction widths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fmt {
    pub e: u32,
    pub f: u32,
}

pub const H: Fmt = Fmt { e: 5, f: 10 };
pub const S: Fmt = Fmt { e: 8, f: 23 };
pub const D: Fmt = Fmt { e: 11, f: 52 };
/// BFloat16 (the top half of a single).
pub const BF: Fmt = Fmt { e: 8, f: 7 };

/// The format of a lane of log2 `size` bytes (1 half, 2 single, 3 double).
pub fn fmt_of(size: u8) -> Fmt {
    match size {
        1 => H,
        2 => S,
        _ => D,
    }
}

impl Fmt {
    pub const fn width(self) -> u32 {
        1 + self.e + self.f
    }
    const fn bias(self) -> i32 {
        (1 << (self.e - 1)) - 1
    }
    const fn emin(self) -> i32 {
        1 - self.bias()
    }
    const fn exp_ones(self) -> u64 {
        (1 << self.e) - 1
    }
    const fn frac_mask(self) -> u64 {
        (1 << self.f) - 1
    }
    pub const fn sign_bit(self) -> u64 {
        1 << (self.e + self.f)
    }
    pub const fn mask(self) -> u64 {
        if self.width() == 64 {
            u64::MAX
        } else {
            (1 << self.width()) - 1
        }
    }
    pub fn zero(self, sign: bool) -> u64 {
        if sign {
            self.sign_bit()
        } else {
            0
        }
    }
    pub fn inf(self, sign: bool) -> u64 {
        self.zero(sign) | self.exp_ones() << self.f
    }
    fn max_normal(self, sign: bool) -> u64 {
        self.zero(sign) | (self.exp_ones() - 1) << self.f | self.frac_mask()
    }
    pub fn default_nan(self) -> u64 {
        self.exp_ones() << self.f | 1 << (self.f - 1)
    }
    /// A finite value `v` (exactly representable, e.g. 1.5, 2.0, 3.0) in this format.
    fn small(self, sign: bool, v: SmallConst) -> u64 {
        let (exp, frac) = match v {
            SmallConst::Two => (1, 0),
            SmallConst::OnePointFive => (0, 1 << (self.f - 1)),
        };
        self.zero(sign) | ((self.bias() + exp) as u64) << self.f | frac
    }
    pub fn is_nan(self, x: u64) -> bool {
        (x >> self.f) & self.exp_ones() == self.exp_ones() && x & self.frac_mask() != 0
    }
    fn quiet(self, x: u64) -> u64 {
        x | 1 << (self.f - 1)
    }
    pub fn neg(self, x: u64) -> u64 {
        x ^ self.sign_bit()
    }
    pub fn abs(self, x: u64) -> u64 {
        x & !self.sign_bit()
    }
}

#[derive(Clone, Copy)]
enum SmallConst {
    Two,
    OnePointFive,
}

/// FPType.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Zero,
    Num,
    Inf,
    QNaN,
    SNaN,
}

/// An unpacked operand: for `Num`, the value is `(-1)^sign * m * 2^e`.
#[derive(Clone, Copy, Debug)]
pub struct Val {
    pub class: Class,
    pub sign: bool,
    pub m: u64,
    pub e: i32,
}

impl Val {
    fn is_nan(&self) -> bool {
        matches!(self.class, Class::QNaN | Class::SNaN)
    }
}

/// FPRounding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    TieEven,
    PosInf,
    NegInf,
    Zero,
    TieAway,
    /// Round to odd (FCVTXN).
    Odd,
}

/// Where the discarded part of a value lies relative to half a unit in the last place.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rest {
    Zero,
    Below,
    Half,
    Above,
}

/// An exact intermediate result `(-1)^sign * (m + t) * 2^e` where `t` is 0, or strictly
/// between 0 and 1 when `sticky`.
#[derive(Clone, Copy, Debug)]
struct Exact {
    sign: bool,
    m: u128,
    e: i32,
    sticky: bool,
}

/// The FP unit's view of the guest state: FPCR to read, FPSR flags to accrue.
pub struct Fpu<'a> {
    pub fpcr: u64,
    pub fpsr: &'a mut u64,
    /// Whether add, mul, div and sqrt may take the host fast path (tests turn it off to
    /// check the general path against the host).
    pub fast: bool,
}

impl Fpu<'_> {
    fn raise(&mut self, flags: u64) {
        *self.fpsr |= flags;
    }
    fn dn(&self) -> bool {
        self.fpcr & DN != 0
    }
    /// The flush-to-zero control for arithmetic in `f` (FZ16 for half precision).
    fn fz(&self, f: Fmt) -> bool {
        if f == H {
            self.fpcr & FZ16 != 0
        } else {
            self.fpcr & FZ != 0
        }
    }
    /// FPRoundingMode(FPCR).
    pub fn rmode(&self) -> Rounding {
        match (self.fpcr >> 22) & 3 {
            0 => Rounding::TieEven,
            1 => Rounding::PosInf,
            2 => Rounding::NegInf,
            _ => Rounding::Zero,
        }
    }

    // ---- unpacking and NaNs --------------------------------------------------------

    /// FPUnpackBase: `fz` flushes denormals (raising IDC when `idc`); `ahp` reads half
    /// precision in the alternative format (no infinities or NaNs).
    fn unpack_base(&mut self, f: Fmt, x: u64, fz: bool, idc: bool, ahp: bool) -> Val {
        let sign = x & f.sign_bit() != 0;
        let exp = (x >> f.f) & f.exp_ones();
        let frac = x & f.frac_mask();
        let class = |class| Val { class, sign, m: 0, e: 0 };
        if exp == 0 {
            if frac == 0 {
                return class(Class::Zero);
            }
            if fz {
                if idc {
                    self.raise(IDC);
                }
                return class(Class::Zero);
            }
            return Val { class: Class::Num, sign, m: frac, e: f.emin() - f.f as i32 };
        }
        if exp == f.exp_ones() && !ahp {
            return class(if frac == 0 {
                Class::Inf
            } else if frac >> (f.f - 1) & 1 != 0 {
                Class::QNaN
            } else {
                Class::SNaN
            });
        }
        Val { class: Class::Num, sign, m: frac | 1 << f.f, e: exp as i32 - f.bias() - f.f as i32 }
    }

    /// FPUnpack: for arithmetic and conversions to and from integers. Half precision
    /// flushes with FZ16 (without IDC), the others with FZ.
    pub fn unpack(&mut self, f: Fmt, x: u64) -> Val {
        let fz = self.fz(f);
        self.unpack_base(f, x, fz, f != H, false)
    }

    /// FPUnpackCV: for conversions between FP formats. Half precision ignores FZ16 and
    /// observes AHP.
    fn unpack_cv(&mut self, f: Fmt, x: u64) -> Val {
        if f == H {
            let ahp = self.fpcr & AHP != 0;
            self.unpack_base(f, x, false, false, ahp)
        } else {
            let fz = self.fpcr & FZ != 0;
            self.unpack_base(f, x, fz, true, false)
        }
    }

    /// FPProcessNaN.
    fn process_nan(&mut self, f: Fmt, v: &Val, x: u64) -> u64 {
        if v.class == Class::SNaN {
            self.raise(IOC);
        }
        if self.dn() {
            f.default_nan()
        } else {
            f.quiet(x) & f.mask()
        }
    }

    /// FPProcessNaNs over any number of operands: signalling NaNs first, then quiet, in
    /// operand order.
    fn process_nans(&mut self, f: Fmt, ops: &[(Val, u64)]) -> Option<u64> {
        if let Some((v, x)) = ops.iter().find(|(v, _)| v.class == Class::SNaN) {
            return Some(self.process_nan(f, v, *x));
        }
        if let Some((v, x)) = ops.iter().find(|(v, _)| v.class == Class::QNaN) {
            return Some(self.process_nan(f, v, *x));
        }
        None
    }

    fn default_nan_invalid(&mut self, f: Fmt) -> u64 {
        self.raise(IOC);
        f.default_nan()
    }

    // ---- rounding ------------------------------------------------------------------

    /// FPRoundBase: rounds the nonzero `x` to `f` with rounding `r`; `fz` flushes tiny
    /// results to zero, `ahp` encodes half precision in the alternative format.
    fn round_base(&mut self, f: Fmt, x: Exact, r: Rounding, fz: bool, ahp: bool) -> u64 {
        debug_assert!(x.m != 0);
        let sign = x.sign;
        let l = x.m.leading_zeros();
        let m = x.m << l;
        let e = x.e - l as i32;
        // |value| = (m + t) * 2^e with m in [2^127, 2^128): its exponent is e + 127.
        let lead = e + 127;
        let emin = f.emin();
        if fz && lead < emin {
            self.raise(UFC);
            return f.zero(sign);
        }
        let mut biased = (lead - emin + 1).max(0) as u64;
        // The exponent of the result's last place, and the bits of m below it.
        let ulp = lead.max(emin) - f.f as i32;
        let sh = (ulp - e) as u32;
        let (mut int_mant, rest) = if sh > 128 {
            (0u128, Rest::Below)
        } else {
            let (int, rem, half) = if sh == 128 { (0, m, 1u128 << 127) } else { (m >> sh, m & ((1u128 << sh) - 1), 1u128 << (sh - 1)) };
            let rest = match rem.cmp(&half) {
                Ordering::Less if rem == 0 && !x.sticky => Rest::Zero,
                Ordering::Less => Rest::Below,
                Ordering::Equal if x.sticky => Rest::Above,
                Ordering::Equal => Rest::Half,
                Ordering::Greater => Rest::Above,
            };
            (int, rest)
        };
        let inexact = rest != Rest::Zero;
        if biased == 0 && inexact {
            self.raise(UFC);
        }
        let (up, to_inf) = match r {
            Rounding::TieEven => (rest == Rest::Above || (rest == Rest::Half && int_mant & 1 == 1), true),
            Rounding::TieAway => (rest == Rest::Above || rest == Rest::Half, true),
            Rounding::PosInf => (inexact && !sign, !sign),
            Rounding::NegInf => (inexact && sign, sign),
            Rounding::Zero | Rounding::Odd => (false, false),
        };
        if up {
            int_mant += 1;
            if int_mant == 1 << f.f {
                biased = 1;
            }
            if int_mant == 1 << (f.f + 1) {
                biased += 1;
                int_mant >>= 1;
            }
        }
        if r == Rounding::Odd && inexact {
            int_mant |= 1;
        }
        if !ahp {
            if biased >= f.exp_ones() {
                self.raise(OFC | IXC);
                return if to_inf { f.inf(sign) } else { f.max_normal(sign) };
            }
        } else if biased > f.exp_ones() {
            self.raise(IOC);
            return f.zero(sign) | (f.mask() >> 1);
        }
        if inexact {
            self.raise(IXC);
        }
        f.zero(sign) | biased << f.f | (int_mant as u64 & f.frac_mask())
    }

    /// FPRound for arithmetic results in `f`.
    fn round(&mut self, f: Fmt, x: Exact, r: Rounding) -> u64 {
        let fz = self.fz(f);
        self.round_base(f, x, r, fz, false)
    }

    /// FPRound in the FPCR rounding mode, or the signed zero an exact zero sum gets.
    fn round_sum(&mut self, f: Fmt, x: Option<Exact>) -> u64 {
        let r = self.rmode();
        match x {
            Some(x) => self.round(f, x, r),
            None => f.zero(r == Rounding::NegInf),
        }
    }

    // ---- arithmetic ----------------------------------------------------------------

    /// The fast path of add, mul, div and sqrt in single and double precision: in
    /// round-to-nearest the host's IEEE result is FPRound's whenever the operands are
    /// normal numbers or zeros and the result is zero, or normal and at least twice the
    /// smallest normal (so neither flushing, underflow nor overflow can be involved); the
    /// only possible flag is IXC, which an exact residual decides. None: use the general
    /// path.
    #[inline]
    fn fast(&mut self, f: Fmt, op: HostOp, a: u64, b: u64) -> Option<u64> {
        if !self.fast || self.fpcr & (3 << 22) != 0 {
            return None;
        }
        // IXC is sticky: once set, an inexact result changes no flag, and normal inputs
        // with a normal result raise nothing else, so the exactness test can go.
        if *self.fpsr & IXC != 0 {
            if let Some(r) = host_sticky(f, op, a, b) {
                return Some(r);
            }
        }
        let (r, exact) = if f == S {
            host_s(op, a as u32, b as u32)?
        } else if f == D {
            host_d(op, a, b)?
        } else {
            return None;
        };
        if !exact {
            self.raise(IXC);
        }
        Some(r)
    }

    /// The host's fused multiply-add (FMA3) for single and double precision, in any FPCR
    /// rounding mode, when the inputs are numbers (no NaN or infinity), flush-to-zero is
    /// off and the result is neither near the underflow threshold (x86 detects tininess
    /// after rounding, Arm before) nor an overflow or invalid case; then the host's inexact
    /// flag is the only one, and exact. Everything else takes the general path.
    ///
    /// Loading MXCSR to read that flag is slow (it serialises the host pipeline), and the
    /// flag is sticky: once FPSR.IXC is set, round-to-nearest needs no MXCSR at all.
    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn fast_fma(&mut self, f: Fmt, c: u64, a: u64, b: u64) -> Option<u64> {
        use remu_core::hostfp::{self as host, Round};
        if self.fz(f) || !host::has_fma() {
            return None;
        }
        let rm = [Round::Nearest, Round::Up, Round::Down, Round::TowardZero][(self.fpcr >> 22) as usize & 3];
        let bad = host::INVALID | host::DIVIDE_BY_ZERO | host::OVERFLOW | host::UNDERFLOW;
        // With IXC already accrued and no other flag possible, the flags need not be read:
        // report INEXACT, which changes nothing.
        let sticky = rm == Round::Nearest && *self.fpsr & IXC != 0;
        let (r, st) = if f == D {
            let finite = |x: u64| (x >> 52) & 0x7ff != 0x7ff;
            if !(finite(a) && finite(b) && finite(c)) {
                return None;
            }
            let (x, y, z) = (f64::from_bits(a), f64::from_bits(b), f64::from_bits(c));
            let (r, st) = if sticky { (host::fma_sd_nearest(x, y, z), host::INEXACT) } else { host::fma_sd(x, y, z, rm) };
            let tiny = r.abs() < 2.0 * f64::MIN_POSITIVE && !(r == 0.0 && st & host::INEXACT == 0);
            if tiny || !r.is_finite() {
                return None;
            }
            (r.to_bits(), st)
        } else if f == S {
            let finite = |x: u64| (x >> 23) & 0xff != 0xff;
            if !(finite(a) && finite(b) && finite(c)) {
                return None;
            }
            let (x, y, z) = (f32::from_bits(a as u32), f32::from_bits(b as u32), f32::from_bits(c as u32));
            let (r, st) = if sticky { (host::fma_ss_nearest(x, y, z), host::INEXACT) } else { host::fma_ss(x, y, z, rm) };
            let tiny = r.abs() < 2.0 * f32::MIN_POSITIVE && !(r == 0.0 && st & host::INEXACT == 0);
            if tiny || !r.is_finite() {
                return None;
            }
            (r.to_bits() as u64, st)
        } else {
            return None;
        };
        if st & bad != 0 {
            return None;
        }
        if st & host::INEXACT != 0 {
            self.raise(IXC);
        }
        Some(r)
    }

    /// FPAdd (and FPSub with `b` negated by the caller).
    pub fn add(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        if let Some(r) = self.fast(f, HostOp::Add, a, b) {
            return r;
        }
        let (va, vb) = (self.unpack(f, a), self.unpack(f, b));
        if let Some(n) = self.process_nans(f, &[(va, a), (vb, b)]) {
            return n;
        }
        match (va.class, vb.class) {
            (Class::Inf, Class::Inf) if va.sign != vb.sign => self.default_nan_invalid(f),
            (Class::Inf, _) => f.inf(va.sign),
            (_, Class::Inf) => f.inf(vb.sign),
            (Class::Zero, Class::Zero) if va.sign == vb.sign => f.zero(va.sign),
            _ => {
                let s = sum(term(&va), term(&vb));
                self.round_sum(f, s)
            }
        }
    }

    pub fn sub(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        if let Some(r) = self.fast(f, HostOp::Add, a, f.neg(b)) {
            return r;
        }
        // FPSub negates the second operand's value, not a NaN's sign.
        let (va, vb) = (self.unpack(f, a), self.unpack(f, b));
        if let Some(n) = self.process_nans(f, &[(va, a), (vb, b)]) {
            return n;
        }
        self.add(f, a, f.neg(b))
    }

    /// FPMul, or FPMulX (`x`: infinity times zero is two).
    pub fn mul(&mut self, f: Fmt, a: u64, b: u64, x: bool) -> u64 {
        if let Some(r) = self.fast(f, HostOp::Mul, a, b) {
            return r;
        }
        let (va, vb) = (self.unpack(f, a), self.unpack(f, b));
        if let Some(n) = self.process_nans(f, &[(va, a), (vb, b)]) {
            return n;
        }
        let sign = va.sign != vb.sign;
        match (va.class, vb.class) {
            (Class::Inf, Class::Zero) | (Class::Zero, Class::Inf) => {
                if x {
                    f.small(sign, SmallConst::Two)
                } else {
                    self.default_nan_invalid(f)
                }
            }
            (Class::Inf, _) | (_, Class::Inf) => f.inf(sign),
            (Class::Zero, _) | (_, Class::Zero) => f.zero(sign),
            _ => {
                let r = self.rmode();
                self.round(f, Exact { sign, m: va.m as u128 * vb.m as u128, e: va.e + vb.e, sticky: false }, r)
            }
        }
    }

    pub fn div(&mut self, f: Fmt, a: u64, b: u64) -> u64 {
        if let Some(r) = self.fast(f, HostOp::Div, a, b) {
            return r;
        }
        let (va, vb) = (self.unpack(f, a), self.unpack(f, b));
        if let Some(n) = self.process_nans(f, &[(va, a), (vb, b)]) {
            return n;
        }
        let sign = va.sign != vb.sign;
        match (va.class, vb.class) {
            (Class::Inf, Class::Inf) | (Class::Zero, Class::Zero) => self.default_nan_invalid(f),
            (Class::Inf, _) => f.inf(sign),
            (_, Class::Zero) => {
                self.raise(DZC);
                f.inf(sign)
            }
            (Class::Zero, _) | (_, Class::Inf) => f.zero(sign),
            _ => {
                let n = (va.m as u128) << (va.m as u128).leading_zeros();
                let k = (va.m as u128).leading_zeros() as i32;
                let d = vb.m as u128;
                let x = Exact { sign, m: n / d, e: va.e - k - vb.e, sticky: !n.is_multiple_of(d) };
                let r = self.rmode();
                self.round(f, x, r)
            }
        }
    }

    pub fn sqrt(&mut self, f: Fmt, a: u64) -> u64 {
        if let Some(r) = self.fast(f, HostOp::Sqrt, a, 0) {
            return r;
        }
        let va = self.unpack(f, a);
        if let Some(n) = self.process_nans(f, &[(va, a)]) {
            return n;
        }
        match va.class {
            Class::Zero => f.zero(va.sign),
            _ if va.sign => self.default_nan_invalid(f),
            Class::Inf => f.inf(false),
            _ => {
                let m = va.m as u128;
                // Shift m up to 126 or 127 bits so the exponent becomes even.
                let mut k = m.leading_zeros() as i32 - 1;
                if (va.e - k) & 1 != 0 {
                    k += 1;
                }
                let n = m << k;
                let root = isqrt(n);
                let x = Exact { sign: false, m: root, e: (va.e - k) / 2, sticky: root * root != n };
                let r = self.rmode();
                self.round(f, x, r)
            }
        }
    }

    /// FPMulAdd: `addend + a * b` with one rounding.
    pub fn mul_add(&mut self, f: Fmt, addend: u64, a: u64, b: u64) -> u64 {
        self.mul_add_fmt(f, f, addend, a, b)
    }

    /// FPMulAddH: a single-precision `addend` plus the product of two halves, with one
    /// rounding (FMLAL); half NaNs propagate converted to single precision.
    pub fn mul_add_h(&mut self, addend: u64, a: u64, b: u64) -> u64 {
        self.mul_add_fmt(S, H, addend, a, b)
    }

    /// `addend` and the result in `f`, the multiplicands in `fm` (no wider than `f`).
    fn mul_add_fmt(&mut self, f: Fmt, fm: Fmt, addend: u64, a: u64, b: u64) -> u64 {
        #[cfg(target_arch = "x86_64")]
        if f == fm && self.fast {
            if let Some(r) = self.fast_fma(f, addend, a, b) {
                return r;
            }
        }
        let (vc, va, vb) = (self.unpack(f, addend), self.unpack(fm, a), self.unpack(fm, b));
        let inf_zero = |x: &Val, y: &Val| {
            (x.class == Class::Inf && y.class == Class::Zero) || (x.class == Class::Zero && y.class == Class::Inf)
        };
        // A NaN multiplicand in `f`'s encoding (signalling stays signalling).
        let widen = |x: u64| {
            let frac = (x & fm.frac_mask()) << (f.f - fm.f);
            f.zero(x & fm.sign_bit() != 0) | f.exp_ones() << f.f | frac
        };
        let nan = self.process_nans(f, &[(vc, addend), (va, widen(a)), (vb, widen(b))]);
        if vc.class == Class::QNaN && inf_zero(&va, &vb) {
            return self.default_nan_invalid(f);
        }
        if let Some(n) = nan {
            return n;
        }
        let sp = va.sign != vb.sign;
        let inf_p = va.class == Class::Inf || vb.class == Class::Inf;
        let zero_p = va.class == Class::Zero || vb.class == Class::Zero;
        if inf_zero(&va, &vb) || (vc.class == Class::Inf && inf_p && vc.sign != sp) {
            return self.default_nan_invalid(f);
        }
        if vc.class == Class::Inf {
            return f.inf(vc.sign);
        }
        if inf_p {
            return f.inf(sp);
        }
        if vc.class == Class::Zero && zero_p && vc.sign == sp {
            return f.zero(sp);
        }
        let prod = if zero_p { None } else { Some(Exact { sign: sp, m: va.m as u128 * vb.m as u128, e: va.e + vb.e, sticky: false }) };
        let s = sum(term(&vc), prod);
        self.round_sum(f, s)
    }

    /// FPRecipStepFused (`sqrt` false: 2 - a*b) and FPRSqrtStepFused ((3 - a*b) / 2).
    pub fn step(&mut self, f: Fmt, a: u64, b: u64, sqrt: bool) -> u64 {
        let a = f.neg(a);
        let (va, vb) = (self.unpack(f, a), self.unpack(f, b));
        if let Some(n) = self.process_nans(f, &[(va, a), (vb, b)]) {
            return n;
        }
        let sign = va.sign != vb.sign;
        match (va.class, vb.class) {
            (Class::Inf, Class::Zero) | (Class::Zero, Class::Inf) => {
                f.small(false, if sqrt { SmallConst::OnePointFive } else { SmallConst::Two })
            }
            (Class::Inf, _) | (_, Class::Inf) => f.inf(sign),
            _ => {
                let k = Exact { sign: false, m: if sqrt { 3 } else { 2 }, e: 0, sticky: false };
                let prod = if va.class == Class::Zero || vb.class == Class::Zero {
                    None
                } else {
                    Some(Exact { sign, m: va.m as u128 * vb.m as u128, e: va.e + vb.e, sticky: false })
                };
                let s = sum(Some(k), prod).map(|mut x| {
                    if sqrt {
                        x.e -= 1;
                    }
                    x
                });
                self.round_sum(f, s)
            }
        }
    }

    /// FPMax/FPMin (`max`), and FPMaxNum/FPMinNum (`num`: a quiet NaN loses to a number).
    pub fn max_min(&mut self, f: Fmt, a: u64, b: u64, max: bool, num: bool) -> u64 {
        let (mut a, mut b) = (a, b);
        if num {
            // The quiet NaN becomes the infinity that loses.
            let inf = f.inf(max);
            let (qa, qb) = (self.is_qnan(f, a), self.is_qnan(f, b));
            if qa && !f.is_nan(b) {
                a = inf;
            } else if qb && !f.is_nan(a) {
                b = inf;
            }
        }
        let (va, vb) = (self.unpack(f, a), self.unpack(f, b));
        if let Some(n) = self.process_nans(f, &[(va, a), (vb, b)]) {
            return n;
        }
        if va.class == Class::Zero && vb.class == Class::Zero {
            let sign = if max { va.sign && vb.sign } else { va.sign || vb.sign };
            return f.zero(sign);
        }
        // FPMax takes the first operand if value1 > value2 (FPMin if value1 < value2),
        // else the second.
        let o = cmp(&va, &vb);
        let first = if max { o == Ordering::Greater } else { o == Ordering::Less };
        let (v, x) = if first { (va, a) } else { (vb, b) };
        match v.class {
            Class::Zero => f.zero(v.sign),
            Class::Inf => f.inf(v.sign),
            _ => x & f.mask(),
        }
    }

    fn is_qnan(&self, f: Fmt, x: u64) -> bool {
        f.is_nan(x) && x >> (f.f - 1) & 1 != 0
    }

    /// FPCompare: NZCV for FCMP/FCCMP (`signal` for the E forms).
    pub fn compare(&mut self, f: Fmt, a: u64, b: u64, signal: bool) -> u8 {
        let (va, vb) = (self.unpack(f, a), self.unpack(f, b));
        if va.is_nan() || vb.is_nan() {
            if signal || va.class == Class::SNaN || vb.class == Class::SNaN {
                self.raise(IOC);
            }
            return 0b0011;
        }
        match cmp(&va, &vb) {
            Ordering::Equal => 0b0110,
            Ordering::Less => 0b1000,
            Ordering::Greater => 0b0010,
        }
    }

    /// FPCompareEQ/GE/GT (`ord` the relation required of a against b).
    pub fn compare_rel(&mut self, f: Fmt, a: u64, b: u64, rel: Rel) -> bool {
        let (va, vb) = (self.unpack(f, a), self.unpack(f, b));
        if va.is_nan() || vb.is_nan() {
            if rel != Rel::Eq || va.class == Class::SNaN || vb.class == Class::SNaN {
                self.raise(IOC);
            }
            return false;
        }
        let o = cmp(&va, &vb);
        match rel {
            Rel::Eq => o == Ordering::Equal,
            Rel::Ge => o != Ordering::Less,
            Rel::Gt => o == Ordering::Greater,
        }
    }

    // ---- rounding to integral and conversions -------------------------------------

    /// FPRoundInt: to an integral value in `f` with rounding `r`; `exact` raises IXC when
    /// the value changes (FRINTX).
    pub fn round_int(&mut self, f: Fmt, a: u64, r: Rounding, exact: bool) -> u64 {
        let va = self.unpack(f, a);
        if let Some(n) = self.process_nans(f, &[(va, a)]) {
            return n;
        }
        match va.class {
            Class::Zero => f.zero(va.sign),
            Class::Inf => f.inf(va.sign),
            // Already integral (and so exactly representable as it is).
            _ if va.e >= 0 => a & f.mask(),
            _ => {
                let (int, rest) = int_part(va.m, va.e);
                let int = int + round_up(r, va.sign, rest, int) as u128;
                if exact && rest != Rest::Zero {
                    self.raise(IXC);
                }
                if int == 0 {
                    return f.zero(va.sign);
                }
                self.round(f, Exact { sign: va.sign, m: int, e: 0, sticky: false }, Rounding::Zero)
            }
        }
    }

    /// FPRoundIntN (FRINT32*/FRINT64*): like `round_int` but the integer must fit in
    /// `bits` signed bits; otherwise the result is the most negative such integer with IOC.
    pub fn round_int_n(&mut self, f: Fmt, a: u64, r: Rounding, bits: u32) -> u64 {
        let va = self.unpack(f, a);
        let limit = |s: &mut Self| {
            s.raise(IOC);
            f.sign_bit() | ((f.bias() + bits as i32 - 1) as u64) << f.f
        };
        match va.class {
            Class::Zero => f.zero(va.sign),
            Class::Num => {
                if va.e >= 0 && 64 - va.m.leading_zeros() as i32 + va.e > bits as i32 {
                    return limit(self);
                }
                let (int, rest) = int_part(va.m, va.e);
                let int = int + round_up(r, va.sign, rest, int) as u128;
                let max = if va.sign { 1u128 << (bits - 1) } else { (1u128 << (bits - 1)) - 1 };
                if int > max {
                    return limit(self);
                }
                if rest != Rest::Zero {
                    self.raise(IXC);
                }
                if int == 0 {
                    return f.zero(va.sign);
                }
                self.round(f, Exact { sign: va.sign, m: int, e: 0, sticky: false }, Rounding::Zero)
            }
            _ => limit(self),
        }
    }

    /// FPToFixed: `a * 2^fbits` rounded with `r` to a `bits`-bit signed or unsigned integer,
    /// saturating (IOC), inexact (IXC). Returns the integer's bits.
    pub fn to_fixed(&mut self, f: Fmt, a: u64, fbits: u32, unsigned: bool, r: Rounding, bits: u32) -> u64 {
        let va = self.unpack(f, a);
        let (max, min): (i128, i128) = if unsigned { ((1i128 << bits) - 1, 0) } else { ((1i128 << (bits - 1)) - 1, -(1i128 << (bits - 1))) };
        let mask = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
        let (int, rest) = match va.class {
            Class::QNaN | Class::SNaN => {
                self.raise(IOC);
                return 0;
            }
            Class::Zero => (0i128, Rest::Zero),
            Class::Inf => {
                self.raise(IOC);
                return (if va.sign { min } else { max }) as u64 & mask;
            }
            Class::Num => {
                let e = va.e + fbits as i32;
                if e > 64 {
                    self.raise(IOC);
                    return (if va.sign { min } else { max }) as u64 & mask;
                }
                let (int, rest) = int_part(va.m, e);
                let int = (int + round_up(r, va.sign, rest, int) as u128) as i128;
                (if va.sign { -int } else { int }, rest)
            }
        };
        if int > max || int < min {
            self.raise(IOC);
            return int.clamp(min, max) as u64 & mask;
        }
        if rest != Rest::Zero {
            self.raise(IXC);
        }
        int as u64 & mask
    }

    /// FixedToFP: the `bits`-bit integer `x` (signed or not) divided by 2^fbits, rounded
    /// to `f` with `r`.
    pub fn from_fixed(&mut self, f: Fmt, x: u64, bits: u32, signed: bool, fbits: u32, r: Rounding) -> u64 {
        let x = if bits == 64 { x } else { x & ((1u64 << bits) - 1) };
        let (sign, m) = if signed {
            let v = sext(x, bits);
            (v < 0, v.unsigned_abs())
        } else {
            (false, x)
        };
        if m == 0 {
            return f.zero(false);
        }
        self.round(f, Exact { sign, m: m as u128, e: -(fbits as i32), sticky: false }, r)
    }

    /// FPConvert between formats with rounding `r` (FCVT, FCVTN, FCVTL, FCVTXN).
    pub fn convert(&mut self, from: Fmt, to: Fmt, a: u64, r: Rounding) -> u64 {
        let v = self.unpack_cv(from, a);
        let alt = to == H && self.fpcr & AHP != 0;
        match v.class {
            Class::QNaN | Class::SNaN => {
                if v.class == Class::SNaN || alt {
                    self.raise(IOC);
                }
                if alt {
                    to.zero(v.sign)
                } else if self.dn() {
                    to.default_nan()
                } else {
                    // FPConvertNaN: quiet, the top fraction bits kept.
                    let frac = a & from.frac_mask();
                    let frac = if to.f >= from.f { frac << (to.f - from.f) } else { frac >> (from.f - to.f) };
                    to.zero(v.sign) | to.exp_ones() << to.f | 1 << (to.f - 1) | frac
                }
            }
            Class::Inf => {
                if alt {
                    self.raise(IOC);
                    to.zero(v.sign) | (to.mask() >> 1)
                } else {
                    to.inf(v.sign)
                }
            }
            Class::Zero => to.zero(v.sign),
            Class::Num => {
                let x = Exact { sign: v.sign, m: v.m as u128, e: v.e, sticky: false };
                // FPRoundCV: half precision ignores FZ16.
                let fz = to != H && self.fpcr & FZ != 0;
                self.round_base(to, x, r, fz, alt)
            }
        }
    }

    /// FPRecipEstimate (FRECPE).
    pub fn recip_estimate(&mut self, f: Fmt, a: u64) -> u64 {
        let v = self.unpack(f, a);
        match v.class {
            Class::QNaN | Class::SNaN => return self.process_nan(f, &v, a),
            Class::Inf => return f.zero(v.sign),
            Class::Zero => {
                self.raise(DZC);
                return f.inf(v.sign);
            }
            Class::Num => {}
        }
        let bias = f.bias() as i64;
        let exp = ((a >> f.f) & f.exp_ones()) as i64;
        let frac = a & f.frac_mask();
        if exp == 0 && frac >> (f.f - 2) == 0 {
            // |a| < 2^-(bias+1): the reciprocal overflows.
            self.raise(OFC | IXC);
            let to_inf = match self.rmode() {
                Rounding::TieEven => true,
                Rounding::PosInf => !v.sign,
                Rounding::NegInf => v.sign,
                _ => false,
            };
            return if to_inf { f.inf(v.sign) } else { f.max_normal(v.sign) };
        }
        if self.fz(f) && exp >= 2 * bias - 1 {
            self.raise(UFC);
            return f.zero(v.sign);
        }
        let mut f52 = frac << (52 - f.f);
        let mut e = exp;
        if e == 0 {
            if f52 >> 51 == 0 {
                e = -1;
                f52 = (f52 << 2) & ((1 << 52) - 1);
            } else {
                f52 = (f52 << 1) & ((1 << 52) - 1);
            }
        }
        let est = recip_estimate(256 | f52 >> 44);
        let mut rexp = 2 * bias - 1 - e;
        let mut rf = (est & 0xff) << 44;
        if rexp == 0 {
            rf = (1 << 51) | (rf >> 1);
        } else if rexp == -1 {
            rf = (1 << 50) | (rf >> 2);
            rexp = 0;
        }
        f.zero(v.sign) | (rexp as u64) << f.f | rf >> (52 - f.f)
    }

    /// FPRSqrtEstimate (FRSQRTE).
    pub fn rsqrt_estimate(&mut self, f: Fmt, a: u64) -> u64 {
        let v = self.unpack(f, a);
        match v.class {
            Class::QNaN | Class::SNaN => return self.process_nan(f, &v, a),
            Class::Zero => {
                self.raise(DZC);
                return f.inf(v.sign);
            }
            _ if v.sign => return self.default_nan_invalid(f),
            Class::Inf => return f.zero(false),
            Class::Num => {}
        }
        let bias = f.bias() as i64;
        let mut e = ((a >> f.f) & f.exp_ones()) as i64;
        let mut f52 = (a & f.frac_mask()) << (52 - f.f);
        if e == 0 {
            while f52 >> 51 == 0 {
                f52 <<= 1;
                e -= 1;
            }
            f52 = (f52 << 1) & ((1 << 52) - 1);
        }
        let scaled = if e & 1 == 0 { 256 | f52 >> 44 } else { 128 | f52 >> 45 };
        let rexp = (3 * bias - 1 - e) / 2;
        let est = recip_sqrt_estimate(scaled);
        (rexp as u64) << f.f | ((est & 0xff) << 44) >> (52 - f.f)
    }

    /// FPRecpX (FRECPX).
    pub fn recpx(&mut self, f: Fmt, a: u64) -> u64 {
        let v = self.unpack(f, a);
        if v.is_nan() {
            return self.process_nan(f, &v, a);
        }
        let exp = (a >> f.f) & f.exp_ones();
        let e = if exp == 0 { f.exp_ones() - 1 } else { !exp & f.exp_ones() };
        f.zero(v.sign) | e << f.f
    }

    /// FJCVTZS: double to a 32-bit integer rounding toward zero, modulo 2^32 (JavaScript
    /// ToInt32); the second value is the Z flag (set when the conversion was exact and in
    /// range, and the input not -0).
    pub fn js_convert(&mut self, a: u64) -> (u32, bool) {
        let v = self.unpack(D, a);
        let mut z = true;
        let (mag, rest) = match v.class {
            Class::QNaN | Class::SNaN => {
                self.raise(IOC);
                return (0, false);
            }
            Class::Inf => {
                self.raise(IOC);
                return (0, false);
            }
            Class::Zero => (0u128, Rest::Zero),
            Class::Num => {
                if v.e >= 64 {
                    // A multiple of 2^64: zero modulo 2^32, and out of range.
                    (1u128 << 64, Rest::Zero)
                } else {
                    int_part(v.m, v.e)
                }
            }
        };
        let low = mag as u32;
        let result = if v.sign { low.wrapping_neg() } else { low };
        let in_range = if v.sign { mag <= 1 << 31 } else { mag < 1 << 31 };
        if !in_range {
            self.raise(IOC);
            z = false;
        } else if rest != Rest::Zero {
            self.raise(IXC);
            z = false;
        } else if v.class == Class::Zero && (v.sign || a & D.frac_mask() != 0) {
            // -0, or a denormal flushed to zero.
            z = false;
        }
        (result, z)
    }

    // ---- BFloat16 ------------------------------------------------------------------

    /// BFCVT: single to BFloat16 in the FPCR rounding mode (FPCR.FZ flushes).
    pub fn to_bf16(&mut self, a: u64) -> u16 {
        let v = self.unpack(S, a);
        (match v.class {
            Class::QNaN | Class::SNaN => self.process_nan(S, &v, a) >> 16,
            Class::Inf => BF.inf(v.sign),
            Class::Zero => BF.zero(v.sign),
            Class::Num => {
                let r = self.rmode();
                let fz = self.fpcr & FZ != 0;
                self.round_base(BF, Exact { sign: v.sign, m: v.m as u128, e: v.e, sticky: false }, r, fz, false)
            }
        }) as u16
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HostOp {
    Add,
    Mul,
    Div,
    Sqrt,
}

/// `op` on the host, rounding to nearest, when both inputs are normal numbers or zeros and
/// the result a normal number (so that no flag but IXC can arise, whatever the FPCR's
/// flush controls); None otherwise.
#[inline]
fn host_sticky(f: Fmt, op: HostOp, a: u64, b: u64) -> Option<u64> {
    fn run<T: Copy + std::ops::Add<Output = T> + std::ops::Mul<Output = T> + std::ops::Div<Output = T>>(
        op: HostOp,
        x: T,
        y: T,
        sqrt: fn(T) -> T,
    ) -> T {
        match op {
            HostOp::Add => x + y,
            HostOp::Mul => x * y,
            HostOp::Div => x / y,
            HostOp::Sqrt => sqrt(x),
        }
    }
    if f == D {
        let (x, y) = (f64::from_bits(a), f64::from_bits(b));
        let ok = |v: f64| v == 0.0 || v.is_normal();
        if !ok(x) || (op != HostOp::Sqrt && !ok(y)) {
            return None;
        }
        let r = run(op, x, y, f64::sqrt);
        (r.is_normal() && r.abs() >= 2.0 * f64::MIN_POSITIVE).then_some(r.to_bits())
    } else if f == S {
        let (x, y) = (f32::from_bits(a as u32), f32::from_bits(b as u32));
        let ok = |v: f32| v == 0.0 || v.is_normal();
        if !ok(x) || (op != HostOp::Sqrt && !ok(y)) {
            return None;
        }
        let r = run(op, x, y, f32::sqrt);
        (r.is_normal() && r.abs() >= 2.0 * f32::MIN_POSITIVE).then_some(r.to_bits() as u64)
    } else {
        None
    }
}

/// A single-precision operation on the host (round to nearest): the result and whether
/// it was exact, or None where the fast path does not apply.
#[inline]
fn host_s(op: HostOp, a: u32, b: u32) -> Option<(u64, bool)> {
    let normal_or_zero = |x: u32| {
        let e = (x >> 23) & 0xff;
        (e != 0 && e != 0xff) || x << 1 == 0
    };
    if !normal_or_zero(a) || (op != HostOp::Sqrt && !normal_or_zero(b)) {
        return None;
    }
    let (x, y) = (f32::from_bits(a), f32::from_bits(b));
    let (r, exact) = match op {
        HostOp::Add => {
            let s = x + y;
            // TwoSum: the rounding error of s, exactly.
            let bb = s - x;
            let err = (x - (s - bb)) + (y - bb);
            (s, err == 0.0)
        }
        // Products and squares of singles are exact in double precision.
        HostOp::Mul => {
            let p = x * y;
            (p, p as f64 == x as f64 * y as f64)
        }
        HostOp::Div => {
            if y == 0.0 {
                return None;
            }
            let q = x / y;
            (q, q as f64 * y as f64 == x as f64)
        }
        HostOp::Sqrt => {
            if x < 0.0 {
                return None;
            }
            let r = x.sqrt();
            (r, r as f64 * r as f64 == x as f64)
        }
    };
    let bits = r.to_bits();
    // A zero only when exact; else normal, at least twice the smallest normal.
    let mag = bits << 1 >> 1;
    if mag >= 0x7f80_0000 || (mag < 0x0100_0000 && !(mag == 0 && exact)) {
        return None;
    }
    Some((bits as u64, exact))
}

/// [`host_s`] for double precision. The residuals of products, quotients and roots need a
/// fused multiply-add (without the host's FMA those are not on the fast path), and are
/// exact only while their last bits stay above the subnormal range: every nonzero operand
/// and the result at least 2^-916, and a zero result only from a zero operand.
#[inline]
fn host_d(op: HostOp, a: u64, b: u64) -> Option<(u64, bool)> {
    let exp = |x: u64| (x >> 52) & 0x7ff;
    let zero = |x: u64| x << 1 == 0;
    let (x, y) = (f64::from_bits(a), f64::from_bits(b));
    let (r, exact) = if op == HostOp::Add {
        let normal_or_zero = |v: u64| (exp(v) != 0 && exp(v) != 0x7ff) || zero(v);
        if !normal_or_zero(a) || !normal_or_zero(b) {
            return None;
        }
        let s = x + y;
        let bb = s - x;
        let err = (x - (s - bb)) + (y - bb);
        let bits = s.to_bits();
        if exp(bits) == 0x7ff || (exp(bits) < 2 && !(zero(bits) && err == 0.0)) {
            return None;
        }
        return Some((bits, err == 0.0));
    } else {
        let big = |v: u64| (exp(v) >= 107 && exp(v) != 0x7ff) || zero(v);
        if !big(a) || (op != HostOp::Sqrt && !big(b)) || !std::arch::is_x86_feature_detected!("fma") {
            return None;
        }
        // SAFETY: the host has FMA (checked just above).
        unsafe { host_d_fma(op, x, y)? }
    };
    let bits = r.to_bits();
    let zero_operand = zero(a) || (op == HostOp::Mul && zero(b));
    if exp(bits) == 0x7ff || (zero(bits) && !zero_operand) || (!zero(bits) && exp(bits) < 107) {
        return None;
    }
    Some((bits, exact))
}

#[target_feature(enable = "fma")]
fn host_d_fma(op: HostOp, x: f64, y: f64) -> Option<(f64, bool)> {
    use std::arch::x86_64::{_mm_cvtsd_f64, _mm_fmadd_sd, _mm_set_sd};
    // x * y + z with one rounding (exact for the residuals below).
    let fma = |x: f64, y: f64, z: f64| _mm_cvtsd_f64(_mm_fmadd_sd(_mm_set_sd(x), _mm_set_sd(y), _mm_set_sd(z)));
    Some(match op {
        HostOp::Mul => {
            let p = x * y;
            (p, fma(x, y, -p) == 0.0)
        }
        HostOp::Div => {
            if y == 0.0 {
                return None;
            }
            let q = x / y;
            (q, fma(-q, y, x) == 0.0)
        }
        HostOp::Sqrt => {
            if x < 0.0 {
                return None;
            }
            let r = x.sqrt();
            (r, fma(-r, r, x) == 0.0)
        }
        HostOp::Add => return None,
    })
}

/// The relations of the FP compare instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rel {
    Eq,
    Ge,
    Gt,
}

fn sext(x: u64, bits: u32) -> i64 {
    ((x << (64 - bits)) as i64) >> (64 - bits)
}

/// A number as an exact term (None for zero).
fn term(v: &Val) -> Option<Exact> {
    (v.class == Class::Num).then_some(Exact { sign: v.sign, m: v.m as u128, e: v.e, sticky: false })
}

/// The exact sum of two exact terms of at most 106 significant bits each, None when it
/// is zero (or both are).
fn sum(a: Option<Exact>, b: Option<Exact>) -> Option<Exact> {
    let (a, b) = match (a, b) {
        (None, None) => return None,
        (Some(x), None) | (None, Some(x)) => return Some(x),
        (Some(a), Some(b)) => (a, b),
    };
    // Normalise both so the leading bit is bit 125 (leaving room for a carry).
    let norm = |x: Exact| {
        let k = x.m.leading_zeros() as i32 - 2;
        Exact { m: x.m << k, e: x.e - k, ..x }
    };
    let (a, b) = (norm(a), norm(b));
    let (hi, lo) = match a.e.cmp(&b.e) {
        Ordering::Greater => (a, b),
        Ordering::Less => (b, a),
        Ordering::Equal => {
            if a.m >= b.m {
                (a, b)
            } else {
                (b, a)
            }
        }
    };
    let d = (hi.e - lo.e) as u32;
    let (lo_m, sticky) = if d >= 128 { (0, lo.m != 0) } else { (lo.m >> d, lo.m & ((1u128 << d) - 1) != 0) };
    let m = if hi.sign == lo.sign { hi.m + lo_m } else { hi.m - lo_m - sticky as u128 };
    if m == 0 && !sticky {
        return None;
    }
    Some(Exact { sign: hi.sign, m, e: hi.e, sticky })
}

/// Compares two non-NaN operands by value.
fn cmp(a: &Val, b: &Val) -> Ordering {
    let mag = |v: &Val| -> (u8, i32, u128) {
        match v.class {
            Class::Zero => (0, 0, 0),
            Class::Inf => (2, 0, 0),
            _ => {
                let k = v.m.leading_zeros() as i32;
                (1, v.e + 63 - k, (v.m as u128) << k)
            }
        }
    };
    let (ma, mb) = (mag(a), mag(b));
    let sa = a.sign && a.class != Class::Zero;
    let sb = b.sign && b.class != Class::Zero;
    match (sa, sb) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => ma.cmp(&mb),
        (true, true) => mb.cmp(&ma),
    }
}

/// The integer part of `m * 2^e` and where the fraction lies.
fn int_part(m: u64, e: i32) -> (u128, Rest) {
    if e >= 0 {
        return ((m as u128) << e, Rest::Zero);
    }
    let s = (-e) as u32;
    if s > 64 {
        return (0, Rest::Below);
    }
    let m = m as u128;
    let int = m >> s;
    let rem = m & ((1u128 << s) - 1);
    let half = 1u128 << (s - 1);
    let rest = match rem.cmp(&half) {
        _ if rem == 0 => Rest::Zero,
        Ordering::Less => Rest::Below,
        Ordering::Equal => Rest::Half,
        Ordering::Greater => Rest::Above,
    };
    (int, rest)
}

/// Whether rounding the magnitude `int` + `rest` with `r` goes up to the next integer (the
/// Arm ARM rounds the signed value; for a negative one the directed modes swap).
fn round_up(r: Rounding, sign: bool, rest: Rest, int: u128) -> bool {
    let inexact = rest != Rest::Zero;
    match r {
        Rounding::TieEven => rest == Rest::Above || (rest == Rest::Half && int & 1 == 1),
        Rounding::TieAway => rest == Rest::Above || rest == Rest::Half,
        Rounding::PosInf => inexact && !sign,
        Rounding::NegInf => inexact && sign,
        Rounding::Zero | Rounding::Odd => false,
    }
}

/// floor(sqrt(n)).
fn isqrt(n: u128) -> u128 {
    if n == 0 {
        return 0;
    }
    // Newton's iteration from above converges to the floor.
    let mut x = ((n as f64).sqrt() as u128).saturating_add(1 << 12).max(1);
    loop {
        let y = (x + n / x) >> 1;
        if y >= x {
            return x;
        }
        x = y;
    }
}

/// RecipEstimate: `a` in 256..512 (a 9-bit fixed-point operand in [0.5, 1)), result in
/// 256..512.
pub fn recip_estimate(a: u64) -> u64 {
    let a = a * 2 + 1;
    let b = (1u64 << 19) / a;
    b.div_ceil(2)
}

/// RecipSqrtEstimate: `a` in 128..512, result in 256..512.
pub fn recip_sqrt_estimate(a: u64) -> u64 {
    let a = if a < 256 { a * 2 + 1 } else { ((a >> 1) << 1) * 2 + 2 };
    // The largest b with a * b^2 < 2^28, starting from 512 (the result is at least that).
    let mut b = 512u64;
    while a * (b + 1) * (b + 1) < (1 << 28) {
        b += 1;
    }
    b.div_ceil(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with<T>(fpcr: u64, f: impl FnOnce(&mut Fpu) -> T) -> (T, u64) {
        let mut flags = 0;
        let r = f(&mut Fpu { fpcr, fpsr: &mut flags, fast: false });
        (r, flags)
    }
    fn with_fast<T>(fpcr: u64, f: impl FnOnce(&mut Fpu) -> T) -> (T, u64) {
        let mut flags = 0;
        let r = f(&mut Fpu { fpcr, fpsr: &mut flags, fast: true });
        (r, flags)
    }

    #[test]
    fn single_and_double_match_the_host_in_round_to_nearest() {
        // The host's IEEE arithmetic is correctly rounded: the results must agree.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        for _ in 0..200_000 {
            let (a, b, c) = (next(), next(), next());
            let (fa, fb, fc) = (f64::from_bits(a), f64::from_bits(b), f64::from_bits(c));
            if fa.is_nan() || fb.is_nan() || fc.is_nan() {
                continue;
            }
            let chk = |ours: u64, host: f64| host.is_nan() || ours == host.to_bits();
            // The host fast path agrees with the general path, flags included: on the
            // random bit patterns, and on numbers of moderate exponent (where it applies).
            let moderate = |x: u64, bias: u64, fb: u32| {
                let m = (1u64 << fb) - 1;
                (x & !(m | ((bias * 2 + 1) << fb))) | (x & m) | ((bias - 30 + (x >> 40) % 60) << fb)
            };
            let (ma, mb) = (moderate(a, 1023, 52), moderate(b, 1023, 52));
            let (na, nb) = (moderate(a as u32 as u64, 127, 23) & 0xffff_ffff, moderate(b as u32 as u64, 127, 23) & 0xffff_ffff);
            for (x, y, p, q) in [(a, b, a as u32 as u64, b as u32 as u64), (ma, mb, na, nb)] {
                for op in 0..4 {
                    let run = |u: &mut Fpu| match op {
                        0 => u.add(D, x, y),
                        1 => u.mul(D, x, y, false),
                        2 => u.div(D, x, y),
                        _ => u.sqrt(D, x),
                    };
                    assert_eq!(with(0, run), with_fast(0, run), "op {op} on {x:x}, {y:x}");
                    let run = |u: &mut Fpu| match op {
                        0 => u.add(S, p, q),
                        1 => u.mul(S, p, q, false),
                        2 => u.div(S, p, q),
                        _ => u.sqrt(S, p),
                    };
                    assert_eq!(with(0, run), with_fast(0, run), "op {op} on singles {p:x}, {q:x}");
                }
            }
            assert!(chk(with(0, |u| u.add(D, a, b)).0, fa + fb), "{fa:e} + {fb:e}");
            assert!(chk(with(0, |u| u.mul(D, a, b, false)).0, fa * fb), "{fa:e} * {fb:e}");
            assert!(chk(with(0, |u| u.div(D, a, b)).0, fa / fb), "{fa:e} / {fb:e}");
            assert!(chk(with(0, |u| u.sqrt(D, a)).0, fa.sqrt()), "sqrt {fa:e}");
            assert!(chk(with(0, |u| u.mul_add(D, c, a, b)).0, fa.mul_add(fb, fc)), "{fa:e} * {fb:e} + {fc:e}");
            let (sa, sb, sc) = (a as u32 as u64, b as u32 as u64, c as u32 as u64);
            let (ga, gb, gc) = (f32::from_bits(sa as u32), f32::from_bits(sb as u32), f32::from_bits(sc as u32));
            if ga.is_nan() || gb.is_nan() || gc.is_nan() {
                continue;
            }
            let chk = |ours: u64, host: f32| host.is_nan() || ours == host.to_bits() as u64;
            assert!(chk(with(0, |u| u.add(S, sa, sb)).0, ga + gb));
            assert!(chk(with(0, |u| u.mul(S, sa, sb, false)).0, ga * gb));
            assert!(chk(with(0, |u| u.div(S, sa, sb)).0, ga / gb));
            assert!(chk(with(0, |u| u.sqrt(S, sa)).0, ga.sqrt()));
            assert!(chk(with(0, |u| u.mul_add(S, sc, sa, sb)).0, ga.mul_add(gb, gc)));
            assert!(chk(with(0, |u| u.convert(D, S, a, Rounding::TieEven)).0, fa as f32));
        }
    }

    /// The host fast paths (MXCSR-read FMA in every rounding mode, and the paths that skip
    /// the exactness test once IXC is set) agree with the general path, result and flags,
    /// from clear and from IXC-set FPSRs, with and without FZ.
    #[test]
    fn fast_paths_agree_with_the_general_path() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        };
        let run_with = |fpcr: u64, fpsr: u64, fast: bool, op: u32, f: Fmt, a: u64, b: u64, c: u64| {
            let mut flags = fpsr;
            let mut u = Fpu { fpcr, fpsr: &mut flags, fast };
            let r = match op {
                0 => u.add(f, a, b),
                1 => u.mul(f, a, b, false),
                2 => u.div(f, a, b),
                3 => u.sqrt(f, a),
                _ => u.mul_add(f, c, a, b),
            };
            (r, flags)
        };
        for i in 0..300_000u32 {
            let (r1, r2, r3) = (next(), next(), next());
            // Mostly moderate exponents (where the fast paths apply), some edge cases.
            let shape = |r: u64, f: Fmt| -> u64 {
                let bias = (1u64 << (f.e - 1)) - 1;
                let frac = r & ((1u64 << f.f) - 1);
                let sign = (r >> 63) << (f.e + f.f);
                let e = match r >> 60 & 7 {
                    0 => r >> 20 & ((1 << f.e) - 1),
                    1 => (r >> 20) % 3,
                    _ => bias - 20 + (r >> 20) % 40,
                };
                sign | e << f.f | frac
            };
            let f = if i % 2 == 0 { D } else { S };
            let (a, b, c) = (shape(r1, f), shape(r2, f), shape(r3, f));
            let fpcr = [0, 1 << 22, 2 << 22, 3 << 22, FZ, DN][(r1 >> 8) as usize % 6];
            for fpsr in [0, IXC] {
                for op in 0..5 {
                    assert_eq!(
                        run_with(fpcr, fpsr, false, op, f, a, b, c),
                        run_with(fpcr, fpsr, true, op, f, a, b, c),
                        "op {op} fmt {f:?} fpcr {fpcr:x} fpsr {fpsr:x} on {a:x} {b:x} {c:x}"
                    );
                }
            }
        }
    }

    #[test]
    fn half_precision_edges() {
        // 1 + 2^-11 is a tie: to even (1.0), inexact.
        let one = 0x3c00;
        let (r, fl) = with(0, |u| u.add(H, one, 0x1000));
        assert_eq!((r, fl), (one, IXC));
        // Round toward +inf gives the next half above 1.
        assert_eq!(with(1 << 22, |u| u.add(H, one, 0x1000)).0, 0x3c01);
        // 65504 + 16 overflows to infinity in RN, to max normal in RZ.
        assert_eq!(with(0, |u| u.add(H, 0x7bff, 0x4c00)), (0x7c00, OFC | IXC));
        assert_eq!(with(3 << 22, |u| u.add(H, 0x7bff, 0x4c00)), (0x7bff, IXC));
        assert_eq!(with(3 << 22, |u| u.add(H, 0x7bff, 0x7bff)), (0x7bff, OFC | IXC));
        // The smallest subnormal halved: underflow and inexact, to zero (a tie to even).
        assert_eq!(with(0, |u| u.mul(H, 0x0001, 0x3800, false)), (0, UFC | IXC));
        // FZ16 flushes a subnormal result (UFC, no IXC) and subnormal inputs (no IDC).
        assert_eq!(with(FZ16, |u| u.mul(H, 0x0400, 0x3800, false)), (0x0000, UFC));
        assert_eq!(with(FZ16, |u| u.add(H, 0x0001, 0x0000)), (0x0000, 0));
        // FZ (single/double) does not affect half precision.
        assert_eq!(with(FZ, |u| u.add(H, 0x0001, 0x0000)), (0x0001, 0));
        // Tininess before rounding: just below the smallest normal, rounded up to it.
        assert_eq!(with(0, |u| u.mul(H, 0x03ff, 0x3c01, false)), (0x0400, UFC | IXC));
        // NaNs: signalling first, quieted; default NaN under DN.
        assert_eq!(with(0, |u| u.add(H, 0x7e01, 0x7c01)), (0x7e01, IOC));
        assert_eq!(with(DN, |u| u.add(H, 0x7e01, 0x3c00)), (0x7e00, 0));
        // inf - inf, 0 * inf.
        assert_eq!(with(0, |u| u.sub(H, 0x7c00, 0x7c00)), (0x7e00, IOC));
        assert_eq!(with(0, |u| u.mul(H, 0x7c00, 0, true)), (0x4000, 0));
    }

    #[test]
    fn conversions() {
        // FCVTZS h -> w: 2.5 -> 2 inexact; -0.5 unsigned: 0, inexact.
        assert_eq!(with(0, |u| u.to_fixed(H, 0x4100, 0, false, Rounding::Zero, 32)), (2, IXC));
        assert_eq!(with(0, |u| u.to_fixed(H, 0xb800, 0, true, Rounding::Zero, 32)), (0, IXC));
        assert_eq!(with(0, |u| u.to_fixed(H, 0xbc00, 0, true, Rounding::Zero, 32)), (0, IOC));
        assert_eq!(with(0, |u| u.to_fixed(D, 0x7ff0_0000_0000_0000, 0, false, Rounding::Zero, 32)), (0x7fff_ffff, IOC));
        // SCVTF: i64::MIN, and 65520 to half overflows.
        assert_eq!(with(0, |u| u.from_fixed(D, 1 << 63, 64, true, 0, Rounding::TieEven)).0, (-(2f64.powi(63))).to_bits());
        assert_eq!(with(0, |u| u.from_fixed(H, 65520, 32, false, 0, Rounding::TieEven)), (0x7c00, OFC | IXC));
        assert_eq!(with(0, |u| u.from_fixed(S, 0xffff_ffff, 32, true, 0, Rounding::TieEven)).0, (-1.0f32).to_bits() as u64);
        // FJCVTZS.
        assert_eq!(with(0, |u| u.js_convert((4294967297.5f64).to_bits())), ((1, false), IOC));
        assert_eq!(with(0, |u| u.js_convert((-3.0f64).to_bits())), ((-3i32 as u32, true), 0));
        assert_eq!(with(0, |u| u.js_convert((-0.0f64).to_bits())), ((0, false), 0));
        // A positive denormal flushed by FZ: zero, and Z clear (IDC for the flush).
        assert_eq!(with(FZ, |u| u.js_convert(1)), ((0, false), IDC));
        assert_eq!(with(0, |u| u.js_convert(1)), ((0, false), IXC));
        // FRINT32Z of 2^31 overflows; -2^31 fits.
        assert_eq!(with(0, |u| u.round_int_n(S, (2147483648.0f32).to_bits() as u64, Rounding::Zero, 32)), ((-2147483648.0f32).to_bits() as u64, IOC));
        assert_eq!(with(0, |u| u.round_int_n(S, (-2147483648.0f32).to_bits() as u64, Rounding::Zero, 32)), ((-2147483648.0f32).to_bits() as u64, 0));
        // BFCVT rounds to nearest even by default.
        assert_eq!(with(0, |u| u.to_bf16(0x3f80_8000)), (0x3f80, IXC));
        assert_eq!(with(0, |u| u.to_bf16(0x3f81_8000)), (0x3f82, IXC));
        // AHP: 65536 fits the alternative half format.
        assert_eq!(with(AHP, |u| u.convert(S, H, (65536.0f32).to_bits() as u64, Rounding::TieEven)), (0x7c00, 0));
    }
}
