//! The ops' handlers: threaded dispatch, block ends and chaining, lazy flags, and the
//! specialised integer handlers `lower` picks from (by width, operation, shift,
//! condition and addressing mode, as const parameters, so each is a few host
//! instructions). `generic` and `generic_end` run any other instruction through `exec`.

use std::sync::atomic::{compiler_fence, Ordering};

use super::*;

// ---------------------------------------------------------------------------------------
// Registers, dispatch and block ends
// ---------------------------------------------------------------------------------------

/// Reads register slot `i` (below 34: `lower` only makes such slots, see [`State::x`]).
#[inline(always)]
pub(super) fn r(c: &Ctx, i: u8) -> u64 {
    debug_assert!(i < 34);
    // SAFETY: i < 34, see above.
    unsafe { *c.s.x.get_unchecked(i as usize) }
}
#[inline(always)]
pub(super) fn w(c: &mut Ctx, i: u8, v: u64) {
    debug_assert!(i < 34);
    // SAFETY: i < 34, see above.
    unsafe { *c.s.x.get_unchecked_mut(i as usize) = v }
}
/// A 32-bit (`SF` false) result zero-extended, or the 64-bit one.
#[inline(always)]
fn wsf<const SF: bool>(v: u64) -> u64 {
    if SF {
        v
    } else {
        v as u32 as u64
    }
}

/// Continues with the op after `o` in its block, by calling its handler in tail position
/// (a jump, once optimised). Without that optimisation the stack grows by one frame per
/// op, but only until the block's last op, which returns to the run loop or enters the
/// next block within the chain budget.
#[inline(always)]
pub(super) fn cont(c: &mut Ctx, o: &Op) -> Next {
    // SAFETY: every op but a block's last is followed by another op of the same block
    // (`lower` ends every block with an op that does not call this).
    unsafe {
        let n = &*(o as *const Op).add(1);
        (n.h)(c, n)
    }
}
#[inline(always)]
fn next_pc(o: &Op) -> u64 {
    o.pc.wrapping_add(4)
}

/// Leaves the run loop with `e` at `pc`. `retired` says whether `o` itself completed (it
/// counts in instret) or not (a fault: only the instructions before it).
#[cold]
fn stop(c: &mut Ctx, o: &Op, pc: u64, e: Exit, retired: bool) -> Next {
    c.s.pc = pc;
    c.s.instret = c.s.instret.wrapping_add(o.n as u64 - !retired as u64);
    c.exit = e;
    EXIT
}

/// Leaves the run loop with a fault of the `k`th instruction after `o`'s first.
#[cold]
fn stop_k(c: &mut Ctx, o: &Op, k: usize, e: Exit) -> Next {
    c.s.pc = o.pc.wrapping_add(4 * k as u64);
    c.s.instret = c.s.instret.wrapping_add(o.n as u64 - 1 + k as u64);
    c.exit = e;
    EXIT
}

/// The end of a block: settles instret for the whole block and continues at guest `pc`
/// through the op's chain link `edge`, or, when the link is not filled in yet, leaves to
/// the run loop, which looks the block up and fills it in.
#[inline(always)]
fn goto(c: &mut Ctx, o: &Op, pc: u64, edge: usize) -> Next {
    let p = o.link[edge].get();
    if !p.is_null() {
        return enter(c, o, p);
    }
    leave(c, o, pc, edge as u8)
}
/// [`goto`] for a block of `n` instructions (a fused op whose `n` is its first
/// instruction's).
#[inline(always)]
fn goto_n(c: &mut Ctx, o: &Op, pc: u64, edge: usize, n: u64) -> Next {
    let p = o.link[edge].get();
    if !p.is_null() {
        return enter_n(c, p, n);
    }
    c.s.instret = c.s.instret.wrapping_add(n);
    c.s.pc = pc;
    c.miss = o;
    c.edge = edge as u8;
    EXIT
}
/// Settles instret for the block `o` ends and enters the block starting at `p`: directly,
/// by a call in tail position, until CHAIN_BUDGET instructions have run since the run loop
/// last set `Ctx::limit`; then by returning `p` to the run loop. So if the compiler does
/// not turn the tail calls into jumps (unoptimised builds), the stack holds at most about
/// CHAIN_BUDGET instructions' worth of frames.
#[inline(always)]
fn enter(c: &mut Ctx, o: &Op, p: Next) -> Next {
    enter_n(c, p, o.n as u64)
}
#[inline(always)]
fn enter_n(c: &mut Ctx, p: Next, n: u64) -> Next {
    let n = c.s.instret.wrapping_add(n);
    c.s.instret = n;
    if n >= c.limit {
        return p;
    }
    // SAFETY: `p` is a block's first op, from a chain link or the block table (the cache
    // is not cleared while ops run).
    unsafe { ((*p).h)(c, &*p) }
}
/// Instructions run by chained tail calls before returning to the run loop (see
/// [`enter`]); fewer in unoptimised builds, which may not turn them into jumps.
pub(super) const CHAIN_BUDGET: u64 = if cfg!(debug_assertions) { 16 } else { 256 };

/// An indirect branch: a one-entry inline cache (`link[0]` the last target pc, `link[1]`
/// its first op), then the block table; a block not in the table yet goes to the run loop.
#[inline(always)]
fn goto_indirect(c: &mut Ctx, o: &Op, pc: u64) -> Next {
    // Any value may be a target (a misaligned one faults when looked up), so an empty
    // cache or slot is told by its null op, not by its tag.
    let p = o.link[1].get();
    if o.link[0].get() as usize as u64 == pc && !p.is_null() {
        return enter(c, o, p);
    }
    // SAFETY: `slots` is the cache's table of SLOTS entries, which lives (and is never
    // reallocated) as long as the CPU; the slot index is masked below SLOTS.
    let (tag, p) = unsafe { *c.slots.add(BlockCache::slot(pc)) };
    if tag == pc && !p.is_null() {
        o.link[0].set(std::ptr::without_provenance(pc as usize));
        o.link[1].set(p);
        return enter(c, o, p);
    }
    leave(c, o, pc, INDIRECT)
}
/// A jump from the slow path (`Flow::Jump`), whose op has no inline cache: the block
/// table, or the run loop.
fn goto_lookup(c: &mut Ctx, o: &Op, pc: u64) -> Next {
    // SAFETY: as in `goto_indirect`.
    let (tag, p) = unsafe { *c.slots.add(BlockCache::slot(pc)) };
    if tag == pc && !p.is_null() {
        return enter(c, o, p);
    }
    leave(c, o, pc, NO_LINK)
}
/// Leaves a block for the run loop, which looks up the block at `pc` and fills in the
/// link `edge` of `o`.
#[inline(always)]
fn leave(c: &mut Ctx, o: &Op, pc: u64, edge: u8) -> Next {
    c.s.instret = c.s.instret.wrapping_add(o.n as u64);
    c.s.pc = pc;
    c.miss = o;
    c.edge = edge;
    EXIT
}

/// Ends a block that stops before a control transfer (64 instructions, or code that
/// cannot be fetched): continue at `o.pc`.
pub(super) fn fallthrough(c: &mut Ctx, o: &Op) -> Next {
    goto(c, o, o.pc, TAKEN)
}

// ---------------------------------------------------------------------------------------
// The slow path
// ---------------------------------------------------------------------------------------

/// Runs `o`'s instruction through `exec`, with the pc, the fault record and the flags
/// settled as `exec` expects them.
#[inline(always)]
fn run_slow(c: &mut Ctx, o: &Op) -> Flow {
    // SAFETY: a slow-path op's `imm` points to its `Slow`, owned by the same block.
    let slow = unsafe { &*(o.imm as *const Slow) };
    c.s.pc = o.pc;
    c.cur = o;
    c.settle_flags();
    // The stores must not sink past guest memory accesses in `exec`, which may fault.
    compiler_fence(Ordering::SeqCst);
    (slow.x)(c, &slow.inst, o.pc)
}
/// An instruction in the middle of a block through the slow path.
pub(super) fn generic(c: &mut Ctx, o: &Op) -> Next {
    match run_slow(c, o) {
        Flow::Next => cont(c, o),
        Flow::Jump(t) => goto_lookup(c, o, t),
        Flow::Stop => stopped(c, o),
    }
}
/// A block-ending instruction through the slow path.
pub(super) fn generic_end(c: &mut Ctx, o: &Op) -> Next {
    match run_slow(c, o) {
        Flow::Next => goto(c, o, next_pc(o), TAKEN),
        Flow::Jump(t) => goto_lookup(c, o, t),
        Flow::Stop => stopped(c, o),
    }
}
/// `exec` stopped (its exit is set, the pc too): count the instructions before `o`
/// (instructions that complete before stopping, like svc, count themselves).
#[cold]
fn stopped(c: &mut Ctx, o: &Op) -> Next {
    c.s.instret = c.s.instret.wrapping_add(o.n as u64 - 1);
    EXIT
}

// ---------------------------------------------------------------------------------------
// Lazy flags
// ---------------------------------------------------------------------------------------

/// `Ctx::fk` values: `s.nzcv` holds the flags; they are those of `fa - fb`; of `fa + fb`.
/// 32-bit operations store their operands shifted left by 32, which gives the same N, Z,
/// C and V from the 64-bit arithmetic; a logical operation's result r is stored as the
/// addition r + 0 (C and V clear).
pub(super) const F_NZCV: u8 = 0;
const F_SUB: u8 = 1;
const F_ADD: u8 = 2;

#[inline(always)]
fn pack(n: bool, z: bool, c: bool, v: bool) -> u64 {
    ((n as u64) << 31) | ((z as u64) << 30) | ((c as u64) << 29) | ((v as u64) << 28)
}
#[inline(always)]
fn sub_nzcv(a: u64, b: u64) -> u64 {
    let (r, borrow) = a.overflowing_sub(b);
    pack((r as i64) < 0, r == 0, !borrow, (a as i64).overflowing_sub(b as i64).1)
}
#[inline(always)]
fn add_nzcv(a: u64, b: u64) -> u64 {
    let (r, carry) = a.overflowing_add(b);
    pack((r as i64) < 0, r == 0, carry, (a as i64).overflowing_add(b as i64).1)
}

impl Ctx {
    /// NZCV in bits 31..28.
    #[inline(always)]
    pub(super) fn nzcv(&self) -> u64 {
        match self.fk {
            F_SUB => sub_nzcv(self.fa, self.fb),
            F_ADD => add_nzcv(self.fa, self.fb),
            _ => self.s.nzcv,
        }
    }
    /// Stores the flags in `s.nzcv` (which `exec` reads and writes directly).
    #[inline(always)]
    pub(super) fn settle_flags(&mut self) {
        if self.fk != F_NZCV {
            self.s.nzcv = self.nzcv();
            self.fk = F_NZCV;
        }
    }
    #[inline(always)]
    fn set_flags_bits(&mut self, nzcv: u64) {
        self.s.nzcv = nzcv;
        self.fk = F_NZCV;
    }
}

/// For each condition, bit f set iff it holds for NZCV = f.
static COND_TABLE: [u16; 16] = {
    let mut t = [0u16; 16];
    let mut cond = 0;
    while cond < 16 {
        let mut f = 0;
        while f < 16 {
            let (n, z, c, v) = (f & 8 != 0, f & 4 != 0, f & 2 != 0, f & 1 != 0);
            let r = match cond >> 1 {
                0 => z,
                1 => c,
                2 => n,
                3 => v,
                4 => c && !z,
                5 => n == v,
                6 => n == v && !z,
                _ => true,
            };
            if r != (cond & 1 == 1 && cond != 15) {
                t[cond] |= 1 << f;
            }
            f += 1;
        }
        cond += 1;
    }
    t
};
#[inline(always)]
fn nzcv_holds(cond: u8, nzcv: u64) -> bool {
    (COND_TABLE[(cond & 15) as usize] >> ((nzcv >> 28) & 15)) & 1 != 0
}
/// Condition `C` on the flags of `a - b`, straight from the operands.
#[inline(always)]
fn sub_holds<const C: u8>(a: u64, b: u64) -> bool {
    let r = match C >> 1 {
        0 => a == b,
        1 => a >= b,
        2 => (a.wrapping_sub(b) as i64) < 0,
        3 => (a as i64).overflowing_sub(b as i64).1,
        4 => a > b,
        5 => (a as i64) >= (b as i64),
        6 => (a as i64) > (b as i64),
        _ => return true,
    };
    r != (C & 1 == 1)
}
/// Condition `C` on the current flags.
#[inline(always)]
fn holds<const C: u8>(c: &Ctx) -> bool {
    match c.fk {
        F_SUB => sub_holds::<C>(c.fa, c.fb),
        F_ADD => nzcv_holds(C, add_nzcv(c.fa, c.fb)),
        _ => nzcv_holds(C, c.s.nzcv),
    }
}
/// The carry flag.
#[inline(always)]
fn carry(c: &Ctx) -> bool {
    match c.fk {
        F_SUB => c.fa >= c.fb,
        F_ADD => c.fa.overflowing_add(c.fb).1,
        _ => c.s.nzcv >> 29 & 1 != 0,
    }
}

/// The flag-setting operations `K` of [`flags`].
pub(super) const K_SUB: u8 = 0;
pub(super) const K_ADD: u8 = 1;
pub(super) const K_AND: u8 = 2;
pub(super) const K_BIC: u8 = 3;

/// `x K y` at width `SF`, setting the flags lazily; returns the (zero-extended) result.
#[inline(always)]
fn flags<const K: u8, const SF: bool>(c: &mut Ctx, x: u64, y: u64) -> u64 {
    flags_ab::<K, SF>(c, x, y).0
}
/// [`flags`], also returning the operands it stored (for [`flags_hold`], so they need not
/// be read back after a register write that might alias them).
#[inline(always)]
fn flags_ab<const K: u8, const SF: bool>(c: &mut Ctx, x: u64, y: u64) -> (u64, (u64, u64)) {
    let (a, b) = if SF { (x, y) } else { (x << 32, y << 32) };
    match K {
        K_SUB => {
            c.fk = F_SUB;
            c.fa = a;
            c.fb = b;
            (wsf::<SF>(x.wrapping_sub(y)), (a, b))
        }
        K_ADD => {
            c.fk = F_ADD;
            c.fa = a;
            c.fb = b;
            (wsf::<SF>(x.wrapping_add(y)), (a, b))
        }
        _ => {
            let r = wsf::<SF>(if K == K_AND { x & y } else { x & !y });
            let a = if SF { r } else { r << 32 };
            c.fk = F_ADD;
            c.fa = a;
            c.fb = 0;
            (r, (a, 0))
        }
    }
}
/// Condition `C` after [`flags_ab`] of kind `K` stored operands `ab`.
#[inline(always)]
fn flags_hold<const K: u8, const C: u8>(ab: (u64, u64)) -> bool {
    if K == K_SUB {
        sub_holds::<C>(ab.0, ab.1)
    } else {
        nzcv_holds(C, add_nzcv(ab.0, ab.1))
    }
}

// ---------------------------------------------------------------------------------------
// Integer data processing
// ---------------------------------------------------------------------------------------

/// The two-operand operations of [`alu`].
pub(super) const A_ADD: u8 = 0;
pub(super) const A_SUB: u8 = 1;
pub(super) const A_AND: u8 = 2;
pub(super) const A_ORR: u8 = 3;
pub(super) const A_EOR: u8 = 4;
pub(super) const A_BIC: u8 = 5;
pub(super) const A_ORN: u8 = 6;
pub(super) const A_EON: u8 = 7;

#[inline(always)]
fn alu<const OP: u8>(a: u64, b: u64) -> u64 {
    match OP {
        A_ADD => a.wrapping_add(b),
        A_SUB => a.wrapping_sub(b),
        A_AND => a & b,
        A_ORR => a | b,
        A_EOR => a ^ b,
        A_BIC => a & !b,
        A_ORN => a | !b,
        _ => a ^ !b,
    }
}
/// The shifts `SH` of [`shift`]: LSL, LSR, ASR, ROR.
#[inline(always)]
fn shift<const SF: bool, const SH: u8>(v: u64, amount: u8) -> u64 {
    if SF {
        let a = (amount & 63) as u32;
        match SH {
            0 => v << a,
            1 => v >> a,
            2 => ((v as i64) >> a) as u64,
            _ => v.rotate_right(a),
        }
    } else {
        let v = v as u32;
        let a = (amount & 31) as u32;
        (match SH {
            0 => v << a,
            1 => v >> a,
            2 => ((v as i32) >> a) as u32,
            _ => v.rotate_right(a),
        }) as u64
    }
}
/// A register extended (UXTB..SXTX) then shifted: `p0` is 64 minus the source width,
/// `p1` the left shift.
#[inline(always)]
fn extend<const SIGNED: bool>(v: u64, p0: u8, p1: u8) -> u64 {
    let v = v << p0;
    let v = if SIGNED { ((v as i64) >> p0) as u64 } else { v >> p0 };
    v << (p1 & 63)
}

/// rd = imm (MOVZ, MOVN, ADR, ADRP, ORR with XZR).
pub(super) fn li(c: &mut Ctx, o: &Op) -> Next {
    w(c, o.rd, o.imm);
    cont(c, o)
}
/// rd = rn (MOV, including to and from SP).
pub(super) fn mov(c: &mut Ctx, o: &Op) -> Next {
    w(c, o.rd, r(c, o.rn));
    cont(c, o)
}
/// rd = wn.
pub(super) fn mov32(c: &mut Ctx, o: &Op) -> Next {
    w(c, o.rd, r(c, o.rn) as u32 as u64);
    cont(c, o)
}
/// rd = rn OP imm.
fn alu_ri<const OP: u8, const SF: bool>(c: &mut Ctx, o: &Op) -> Next {
    w(c, o.rd, wsf::<SF>(alu::<OP>(r(c, o.rn), o.imm)));
    cont(c, o)
}
/// rd = rn OP rm.
fn alu_rr<const OP: u8, const SF: bool>(c: &mut Ctx, o: &Op) -> Next {
    w(c, o.rd, wsf::<SF>(alu::<OP>(r(c, o.rn), r(c, o.rm))));
    cont(c, o)
}
/// rd = rn OP (rm SH p0).
fn alu_rs<const OP: u8, const SF: bool, const SH: u8>(c: &mut Ctx, o: &Op) -> Next {
    let b = shift::<SF, SH>(r(c, o.rm), o.p0);
    w(c, o.rd, wsf::<SF>(alu::<OP>(r(c, o.rn), b)));
    cont(c, o)
}
/// rd = rn OP extend(rm) (ADD/SUB, extended register).
fn alu_ext<const OP: u8, const SF: bool, const SIGNED: bool>(c: &mut Ctx, o: &Op) -> Next {
    let b = extend::<SIGNED>(r(c, o.rm), o.p0, o.p1);
    w(c, o.rd, wsf::<SF>(alu::<OP>(r(c, o.rn), b)));
    cont(c, o)
}
/// rd = rn K (rm + imm), setting flags: the register forms (imm 0) and the immediate
/// forms (rm the zero slot) of ADDS, SUBS, ANDS and BICS with no shift.
fn flag_rr<const K: u8, const SF: bool>(c: &mut Ctx, o: &Op) -> Next {
    let v = flags::<K, SF>(c, r(c, o.rn), r(c, o.rm).wrapping_add(o.imm));
    w(c, o.rd, v);
    cont(c, o)
}
/// rd = rn K (rm SH p0), setting flags.
fn flag_rs<const K: u8, const SF: bool, const SH: u8>(c: &mut Ctx, o: &Op) -> Next {
    let b = shift::<SF, SH>(r(c, o.rm), o.p0);
    let v = flags::<K, SF>(c, r(c, o.rn), b);
    w(c, o.rd, v);
    cont(c, o)
}
/// rd = rn K extend(rm), setting flags.
fn flag_ext<const K: u8, const SF: bool, const SIGNED: bool>(c: &mut Ctx, o: &Op) -> Next {
    let b = extend::<SIGNED>(r(c, o.rm), o.p0, o.p1);
    let v = flags::<K, SF>(c, r(c, o.rn), b);
    w(c, o.rd, v);
    cont(c, o)
}
/// A flag-setting op (as [`flag_rr`]) fused with the B.cond after it: the branch target
/// is `imm2`.
fn flag_bcond<const K: u8, const SF: bool, const C: u8>(c: &mut Ctx, o: &Op) -> Next {
    let (v, ab) = flags_ab::<K, SF>(c, r(c, o.rn), r(c, o.rm).wrapping_add(o.imm));
    w(c, o.rd, v);
    if flags_hold::<K, C>(ab) {
        goto(c, o, o.imm2, TAKEN)
    } else {
        goto(c, o, o.pc.wrapping_add(8), NOT_TAKEN)
    }
}
/// ADC, ADCS, SBC, SBCS.
fn adc<const SF: bool, const SUB: bool, const FLAGS: bool>(c: &mut Ctx, o: &Op) -> Next {
    let y = if SUB { !r(c, o.rm) } else { r(c, o.rm) };
    let (v, nzcv) = add_with_carry(SF, r(c, o.rn), y, carry(c));
    if FLAGS {
        c.set_flags_bits((nzcv as u64) << 28);
    }
    w(c, o.rd, v);
    cont(c, o)
}
/// CCMP/CCMN with the register (imm 0) or immediate (rm the zero slot) operand: the
/// condition in `p0`, the flags if it fails in `p1`.
fn ccmp<const SF: bool, const NEG: bool>(c: &mut Ctx, o: &Op) -> Next {
    if nzcv_holds(o.p0, c.nzcv()) {
        let y = r(c, o.rm).wrapping_add(o.imm);
        if NEG {
            flags::<K_ADD, SF>(c, r(c, o.rn), y);
        } else {
            flags::<K_SUB, SF>(c, r(c, o.rn), y);
        }
    } else {
        c.set_flags_bits((o.p1 as u64) << 28);
    }
    cont(c, o)
}
/// CSEL, CSINC, CSINV, CSNEG (OP 0..3) on condition `C`.
fn csel<const C: u8, const OP: u8, const SF: bool>(c: &mut Ctx, o: &Op) -> Next {
    let v = if holds::<C>(c) {
        r(c, o.rn)
    } else {
        let m = r(c, o.rm);
        match OP {
            0 => m,
            1 => m.wrapping_add(1),
            2 => !m,
            _ => m.wrapping_neg(),
        }
    };
    w(c, o.rd, wsf::<SF>(v));
    cont(c, o)
}
/// MOVK: rd = (rd & !imm2) | imm (the old value read through `ra`).
fn movk<const SF: bool>(c: &mut Ctx, o: &Op) -> Next {
    let v = (r(c, o.ra) & !o.imm2) | o.imm;
    w(c, o.rd, wsf::<SF>(v));
    cont(c, o)
}
/// UBFX, LSR (immediate), UXTB, UXTH: rd = (rn >> p0) & imm.
pub(super) fn ubfx(c: &mut Ctx, o: &Op) -> Next {
    w(c, o.rd, (r(c, o.rn) >> (o.p0 & 63)) & o.imm);
    cont(c, o)
}
/// UBFIZ, LSL (immediate): rd = (rn & imm) << p0.
pub(super) fn ubfiz(c: &mut Ctx, o: &Op) -> Next {
    w(c, o.rd, (r(c, o.rn) & o.imm) << (o.p0 & 63));
    cont(c, o)
}
/// SBFX, ASR (immediate), SXTB, SXTH, SXTW: the field moved to the top by `p0`, then
/// arithmetically down by `p1`.
fn sbfx<const SF: bool>(c: &mut Ctx, o: &Op) -> Next {
    let v = (((r(c, o.rn) << (o.p0 & 63)) as i64) >> (o.p1 & 63)) as u64;
    w(c, o.rd, wsf::<SF>(v));
    cont(c, o)
}
/// SBFIZ: the low field sign-extended (shifts by `p0`), then shifted left by `p1`.
fn sbfiz<const SF: bool>(c: &mut Ctx, o: &Op) -> Next {
    let v = ((((r(c, o.rn) << (o.p0 & 63)) as i64) >> (o.p0 & 63)) as u64) << (o.p1 & 63);
    w(c, o.rd, wsf::<SF>(v));
    cont(c, o)
}
/// BFM (BFI, BFXIL): `p0` immr, `p1` imms; the old value read through `ra`.
fn bfm<const SF: bool>(c: &mut Ctx, o: &Op) -> Next {
    let v = bitfield(BfOp::Bfm, SF, r(c, o.ra), r(c, o.rn), o.p0 as u32, o.p1 as u32);
    w(c, o.rd, v);
    cont(c, o)
}
/// EXTR (ROR immediate when rn = rm): rd = (rn:rm) >> p0.
fn extr<const SF: bool>(c: &mut Ctx, o: &Op) -> Next {
    let (hi, lo) = (r(c, o.rn), r(c, o.rm));
    let v = if SF {
        ((((hi as u128) << 64) | lo as u128) >> (o.p0 & 63)) as u64
    } else {
        ((((hi as u32 as u64) << 32) | lo as u32 as u64) >> (o.p0 & 31)) as u32 as u64
    };
    w(c, o.rd, v);
    cont(c, o)
}
/// LSLV, LSRV, ASRV, RORV.
fn shiftv<const SF: bool, const SH: u8>(c: &mut Ctx, o: &Op) -> Next {
    let v = shift::<SF, SH>(r(c, o.rn), r(c, o.rm) as u8);
    w(c, o.rd, v);
    cont(c, o)
}
/// MADD, MSUB (MUL, MNEG with ra the zero slot).
fn madd<const SF: bool, const SUB: bool>(c: &mut Ctx, o: &Op) -> Next {
    let p = r(c, o.rn).wrapping_mul(r(c, o.rm));
    let a = r(c, o.ra);
    w(c, o.rd, wsf::<SF>(if SUB { a.wrapping_sub(p) } else { a.wrapping_add(p) }));
    cont(c, o)
}
/// SMADDL, SMSUBL, UMADDL, UMSUBL (SMULL, UMULL with ra the zero slot).
fn maddl<const SIGNED: bool, const SUB: bool>(c: &mut Ctx, o: &Op) -> Next {
    let (n, m) = (r(c, o.rn), r(c, o.rm));
    let p = if SIGNED {
        (n as i32 as i64).wrapping_mul(m as i32 as i64) as u64
    } else {
        (n as u32 as u64).wrapping_mul(m as u32 as u64)
    };
    let a = r(c, o.ra);
    w(c, o.rd, if SUB { a.wrapping_sub(p) } else { a.wrapping_add(p) });
    cont(c, o)
}
/// SMULH, UMULH.
fn mulh<const SIGNED: bool>(c: &mut Ctx, o: &Op) -> Next {
    let (n, m) = (r(c, o.rn), r(c, o.rm));
    let v = if SIGNED {
        ((n as i64 as i128 * m as i64 as i128) >> 64) as u64
    } else {
        ((n as u128 * m as u128) >> 64) as u64
    };
    w(c, o.rd, v);
    cont(c, o)
}
/// UDIV, SDIV (division by zero gives zero).
fn div<const SF: bool, const SIGNED: bool>(c: &mut Ctx, o: &Op) -> Next {
    let (n, m) = (r(c, o.rn), r(c, o.rm));
    let v = match (SF, SIGNED) {
        (true, false) => n.checked_div(m).unwrap_or(0),
        (true, true) => {
            if m == 0 {
                0
            } else {
                (n as i64).wrapping_div(m as i64) as u64
            }
        }
        (false, false) => (n as u32).checked_div(m as u32).unwrap_or(0) as u64,
        (false, true) => {
            if m as u32 == 0 {
                0
            } else {
                (n as i32).wrapping_div(m as i32) as u32 as u64
            }
        }
    };
    w(c, o.rd, v);
    cont(c, o)
}
/// CLZ, REV and RBIT (`p0` 0, 1 and 2).
fn unary<const SF: bool>(c: &mut Ctx, o: &Op) -> Next {
    let x = r(c, o.rn);
    let v = match (SF, o.p0) {
        (true, 0) => x.leading_zeros() as u64,
        (true, 1) => x.swap_bytes(),
        (true, _) => x.reverse_bits(),
        (false, 0) => (x as u32).leading_zeros() as u64,
        (false, 1) => (x as u32).swap_bytes() as u64,
        (false, _) => (x as u32).reverse_bits() as u64,
    };
    w(c, o.rd, v);
    cont(c, o)
}

// ---------------------------------------------------------------------------------------
// Branches and system calls
// ---------------------------------------------------------------------------------------

/// B.
pub(super) fn b(c: &mut Ctx, o: &Op) -> Next {
    goto(c, o, o.imm, TAKEN)
}
/// BL.
pub(super) fn bl(c: &mut Ctx, o: &Op) -> Next {
    w(c, 30, next_pc(o));
    goto(c, o, o.imm, TAKEN)
}
/// B.cond.
fn bcond<const C: u8>(c: &mut Ctx, o: &Op) -> Next {
    if holds::<C>(c) {
        goto(c, o, o.imm, TAKEN)
    } else {
        goto(c, o, next_pc(o), NOT_TAKEN)
    }
}
/// CBZ, CBNZ.
fn cbz<const SF: bool, const NZ: bool>(c: &mut Ctx, o: &Op) -> Next {
    if (wsf::<SF>(r(c, o.rn)) != 0) == NZ {
        goto(c, o, o.imm, TAKEN)
    } else {
        goto(c, o, next_pc(o), NOT_TAKEN)
    }
}
/// TBZ, TBNZ on bit `p0`.
fn tbz<const NZ: bool>(c: &mut Ctx, o: &Op) -> Next {
    if ((r(c, o.rn) >> (o.p0 & 63)) & 1 != 0) == NZ {
        goto(c, o, o.imm, TAKEN)
    } else {
        goto(c, o, next_pc(o), NOT_TAKEN)
    }
}
/// BR, RET.
pub(super) fn br(c: &mut Ctx, o: &Op) -> Next {
    let t = r(c, o.rn);
    goto_indirect(c, o, t)
}
/// BLR (the target is read before x30 is written: `blr x30` works).
pub(super) fn blr(c: &mut Ctx, o: &Op) -> Next {
    let t = r(c, o.rn);
    w(c, 30, next_pc(o));
    goto_indirect(c, o, t)
}
/// SVC: leaves with the pc after it, counted.
pub(super) fn svc(c: &mut Ctx, o: &Op) -> Next {
    stop(c, o, next_pc(o), Exit::Syscall, true)
}

// ---------------------------------------------------------------------------------------
// Loads and stores
// ---------------------------------------------------------------------------------------

/// Checks `[a, a+n)` lies in the region and records the op for a host fault (from which
/// `run` recovers the pc and instret). Returns the host pointer, or None after setting the
/// exit.
#[inline(always)]
pub(super) fn host_ptr(c: &mut Ctx, o: &Op, a: u64, n: u64, access: Access) -> Option<*mut u8> {
    host_ptr_k::<0>(c, o, a, n, access)
}
/// [`host_ptr`] for the access of the `K`th instruction after the op's first (a fused op
/// with two memory instructions): a fault reports that instruction's pc and counts the
/// ones before it.
#[inline(always)]
fn host_ptr_k<const K: usize>(c: &mut Ctx, o: &Op, a: u64, n: u64, access: Access) -> Option<*mut u8> {
    // One compare against a precomputed bound on the fast path (n <= 16); exact after it.
    if a > c.lim && (n > c.size || a > c.size - n) {
        stop_k(c, o, K, Exit::Fault { addr: a, access });
        return None;
    }
    c.cur = (o as *const Op).map_addr(|p| p | K);
    // The store must not sink past the access, which may fault and leave this frame.
    compiler_fence(Ordering::SeqCst);
    // SAFETY: `a + n <= size`, so the pointer stays inside the region.
    Some(unsafe { c.base.add(a as usize) })
}

/// Addressing modes (`MODE` of [`mem`] and [`pair`]): base + imm; the same with the
/// address written back; base, then base + imm written back; base + an extended index
/// register (zero- or sign-extended, see [`extend`]).
pub(super) const M_OFF: u8 = 0;
pub(super) const M_PRE: u8 = 1;
pub(super) const M_POST: u8 = 2;
pub(super) const M_REGU: u8 = 3;
pub(super) const M_REGS: u8 = 4;

#[inline(always)]
fn address<const MODE: u8>(c: &Ctx, o: &Op) -> u64 {
    let base = r(c, o.rn);
    match MODE {
        M_OFF | M_PRE => base.wrapping_add(o.imm),
        M_POST => base,
        M_REGU => base.wrapping_add(extend::<false>(r(c, o.rm), o.p0, o.p1)),
        _ => base.wrapping_add(extend::<true>(r(c, o.rm), o.p0, o.p1)),
    }
}
#[inline(always)]
fn writeback<const MODE: u8>(c: &mut Ctx, o: &Op, a: u64) {
    match MODE {
        M_PRE => w(c, o.rn, a),
        M_POST => w(c, o.rn, a.wrapping_add(o.imm)),
        _ => {}
    }
}

/// The single-register loads and stores `M` of [`mem`]: integer loads (zero-extending,
/// then sign-extending to 64 and to 32 bits), integer stores, and SIMD&FP loads and
/// stores of S, D and Q registers.
pub(super) const LDRB: u8 = 0;
pub(super) const LDRH: u8 = 1;
pub(super) const LDRW: u8 = 2;
pub(super) const LDRX: u8 = 3;
pub(super) const LDRSBX: u8 = 4;
pub(super) const LDRSHX: u8 = 5;
pub(super) const LDRSWX: u8 = 6;
pub(super) const LDRSBW: u8 = 7;
pub(super) const LDRSHW: u8 = 8;
pub(super) const STRB: u8 = 9;
pub(super) const STRH: u8 = 10;
pub(super) const STRW: u8 = 11;
pub(super) const STRX: u8 = 12;
pub(super) const LDRS: u8 = 13;
pub(super) const LDRD: u8 = 14;
pub(super) const LDRQ: u8 = 15;
pub(super) const STRS: u8 = 16;
pub(super) const STRD: u8 = 17;
pub(super) const STRQ: u8 = 18;
pub(super) const MEM_KINDS: usize = 19;

/// Loads `T` from `a` for the `K`th instruction of the op (see [`host_ptr_k`]):
/// zero-extended to 128 bits, or None after setting the exit.
#[inline(always)]
fn load_k<T: Copy + Into<u128>, const K: usize>(c: &mut Ctx, o: &Op, a: u64) -> Option<u128> {
    let p = host_ptr_k::<K>(c, o, a, std::mem::size_of::<T>() as u64, Access::Read)?;
    // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
    Some(unsafe { (p as *const T).read_unaligned() }.into())
}
/// Stores `v` at `a` for the `K`th instruction of the op (see [`host_ptr_k`]); false after
/// setting the exit.
#[inline(always)]
fn store_k<T: Copy, const K: usize>(c: &mut Ctx, o: &Op, a: u64, v: T) -> bool {
    let Some(p) = host_ptr_k::<K>(c, o, a, std::mem::size_of::<T>() as u64, Access::Write) else {
        return false;
    };
    // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
    unsafe { (p as *mut T).write_unaligned(v) };
    true
}
/// Moves the register `t` (a slot, or a vector register for the SIMD&FP kinds) to or
/// from `a` for kind `M`; false after setting the exit.
#[inline(always)]
fn transfer<const M: u8>(c: &mut Ctx, o: &Op, t: u8, a: u64) -> bool {
    transfer_k::<M, 0>(c, o, t, a)
}
/// [`transfer`] by the `K`th instruction of the op (see [`host_ptr_k`]).
#[inline(always)]
fn transfer_k<const M: u8, const K: usize>(c: &mut Ctx, o: &Op, t: u8, a: u64) -> bool {
    let v = match M {
        LDRB => load_k::<u8, K>(c, o, a),
        LDRH => load_k::<u16, K>(c, o, a),
        LDRW => load_k::<u32, K>(c, o, a),
        LDRX => load_k::<u64, K>(c, o, a),
        LDRSBX => load_k::<u8, K>(c, o, a).map(|v| v as u8 as i8 as i64 as u128),
        LDRSHX => load_k::<u16, K>(c, o, a).map(|v| v as u16 as i16 as i64 as u128),
        LDRSWX => load_k::<u32, K>(c, o, a).map(|v| v as u32 as i32 as i64 as u128),
        LDRSBW => load_k::<u8, K>(c, o, a).map(|v| v as u8 as i8 as u32 as u128),
        LDRSHW => load_k::<u16, K>(c, o, a).map(|v| v as u16 as i16 as u32 as u128),
        STRB => return store_k::<_, K>(c, o, a, r(c, t) as u8),
        STRH => return store_k::<_, K>(c, o, a, r(c, t) as u16),
        STRW => return store_k::<_, K>(c, o, a, r(c, t) as u32),
        STRX => return store_k::<_, K>(c, o, a, r(c, t)),
        LDRS => {
            let Some(v) = load_k::<u32, K>(c, o, a) else { return false };
            c.s.v[(t & 31) as usize] = v;
            return true;
        }
        LDRD => {
            let Some(v) = load_k::<u64, K>(c, o, a) else { return false };
            c.s.v[(t & 31) as usize] = v;
            return true;
        }
        LDRQ => {
            let Some(p) = host_ptr_k::<K>(c, o, a, 16, Access::Read) else { return false };
            // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
            c.s.v[(t & 31) as usize] = unsafe { read_u128(p) };
            return true;
        }
        STRS => return store_k::<_, K>(c, o, a, c.s.v[(t & 31) as usize] as u32),
        STRD => return store_k::<_, K>(c, o, a, c.s.v[(t & 31) as usize] as u64),
        _ => {
            let v = c.s.v[(t & 31) as usize];
            let Some(p) = host_ptr_k::<K>(c, o, a, 16, Access::Write) else { return false };
            // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
            unsafe { write_u128(p, v) };
            return true;
        }
    };
    let Some(v) = v else { return false };
    w(c, t, v as u64);
    true
}
/// A single-register load or store: register `rd`, base `rn`, index `rm`.
fn mem<const M: u8, const MODE: u8>(c: &mut Ctx, o: &Op) -> Next {
    let a = address::<MODE>(c, o);
    if !transfer::<M>(c, o, o.rd, a) {
        return EXIT;
    }
    writeback::<MODE>(c, o, a);
    cont(c, o)
}
/// LDP, STP (and LDPSW, and the SIMD&FP forms): registers `rd` and `ra`, `M` the kind
/// of each transfer, `p0` the size of one.
fn pair<const M: u8, const MODE: u8>(c: &mut Ctx, o: &Op) -> Next {
    let a = address::<MODE>(c, o);
    let a2 = a.wrapping_add(o.p0 as u64);
    if M <= LDRSHW {
        // Loads: both values first, so a fault in the second leaves rd unchanged (and a
        // pair that loads its own base register sees the old base for both).
        let Some(v1) = pair_load::<M>(c, o, a) else { return EXIT };
        let Some(v2) = pair_load::<M>(c, o, a2) else { return EXIT };
        w(c, o.rd, v1);
        w(c, o.ra, v2);
    } else if !transfer::<M>(c, o, o.rd, a) || !transfer::<M>(c, o, o.ra, a2) {
        return EXIT;
    }
    writeback::<MODE>(c, o, a);
    cont(c, o)
}
#[inline(always)]
fn pair_load<const M: u8>(c: &mut Ctx, o: &Op, a: u64) -> Option<u64> {
    int_load::<M, 0>(c, o, a)
}
/// An integer load of kind `M` (LDRB..=LDRSHW) by the `K`th instruction of the op:
/// the register value, or None after setting the exit.
#[inline(always)]
fn int_load<const M: u8, const K: usize>(c: &mut Ctx, o: &Op, a: u64) -> Option<u64> {
    let v = match M {
        LDRB => load_k::<u8, K>(c, o, a),
        LDRH => load_k::<u16, K>(c, o, a),
        LDRW => load_k::<u32, K>(c, o, a),
        LDRX => load_k::<u64, K>(c, o, a),
        LDRSBX => load_k::<u8, K>(c, o, a).map(|v| v as u8 as i8 as i64 as u128),
        LDRSHX => load_k::<u16, K>(c, o, a).map(|v| v as u16 as i16 as i64 as u128),
        LDRSWX => load_k::<u32, K>(c, o, a).map(|v| v as u32 as i32 as i64 as u128),
        LDRSBW => load_k::<u8, K>(c, o, a).map(|v| v as u8 as i8 as u32 as u128),
        _ => load_k::<u16, K>(c, o, a).map(|v| v as u16 as i16 as u32 as u128),
    };
    v.map(|v| v as u64)
}

// ---------------------------------------------------------------------------------------
// Fused ops
// ---------------------------------------------------------------------------------------

/// The simple register ops fused ops do (`K` of [`simple`]): moves, add and subtract
/// (immediate and register), logical ops (register), a constant, the moves of 32 bits
/// between general and FP registers (`FMOVW`: w <- s, `FMOVS`: s <- w, `FMOVSS`: s <- s),
/// and some shifted forms: EOR w with ROR, ROR w, BIC w, LSL and LSR x by an immediate,
/// ADD x with LSL (the immediate is the shift).
pub(super) const S_MOV: u8 = 0;
pub(super) const S_MOVW: u8 = 1;
pub(super) const S_ADDI: u8 = 2;
pub(super) const S_ADDIW: u8 = 3;
pub(super) const S_ADD: u8 = 4;
pub(super) const S_SUB: u8 = 5;
pub(super) const S_ADDW: u8 = 6;
pub(super) const S_SUBW: u8 = 7;
pub(super) const S_AND: u8 = 8;
pub(super) const S_ORR: u8 = 9;
pub(super) const S_EOR: u8 = 10;
pub(super) const S_ANDW: u8 = 11;
pub(super) const S_ORRW: u8 = 12;
pub(super) const S_EORW: u8 = 13;
pub(super) const S_LI: u8 = 14;
pub(super) const S_FMOVW: u8 = 15;
pub(super) const S_FMOVS: u8 = 16;
pub(super) const S_FMOVSS: u8 = 17;
pub(super) const S_EORW_ROR: u8 = 18;
pub(super) const S_RORW: u8 = 19;
pub(super) const S_BICW: u8 = 20;
pub(super) const S_LSLI: u8 = 21;
pub(super) const S_LSRI: u8 = 22;
pub(super) const S_ADD_LSL: u8 = 23;
pub(super) const S_KINDS: usize = 24;
/// How many of the kinds (the first ones) may come before a compare and branch or a CBZ.
pub(super) const S_PREFIX: usize = 8;

/// Simple op `K`: d = n K (m or imm); for the FP moves, `d` or `n` (or both) are vector
/// registers.
#[inline(always)]
fn simple<const K: u8>(c: &mut Ctx, d: u8, n: u8, m: u8, imm: i32) {
    let x = r(c, n);
    let i = imm as i64 as u64;
    let v = match K {
        S_MOV => x,
        S_MOVW => x as u32 as u64,
        S_ADDI => x.wrapping_add(i),
        S_ADDIW => x.wrapping_add(i) as u32 as u64,
        S_ADD => x.wrapping_add(r(c, m)),
        S_SUB => x.wrapping_sub(r(c, m)),
        S_ADDW => x.wrapping_add(r(c, m)) as u32 as u64,
        S_SUBW => x.wrapping_sub(r(c, m)) as u32 as u64,
        S_AND => x & r(c, m),
        S_ORR => x | r(c, m),
        S_EOR => x ^ r(c, m),
        S_ANDW => (x & r(c, m)) as u32 as u64,
        S_ORRW => (x | r(c, m)) as u32 as u64,
        S_EORW => (x ^ r(c, m)) as u32 as u64,
        S_LI => i,
        S_FMOVW => c.s.v[(n & 31) as usize] as u32 as u64,
        S_EORW_ROR => (x as u32 ^ (r(c, m) as u32).rotate_right(imm as u32 & 31)) as u64,
        S_RORW => (x as u32).rotate_right(imm as u32 & 31) as u64,
        S_BICW => (x & !r(c, m)) as u32 as u64,
        S_LSLI => x << (imm & 63),
        S_LSRI => x >> (imm & 63),
        S_ADD_LSL => x.wrapping_add(r(c, m) << (imm & 63)),
        S_FMOVS => {
            c.s.v[(d & 31) as usize] = x as u32 as u128;
            return;
        }
        S_FMOVSS => {
            c.s.v[(d & 31) as usize] = c.s.v[(n & 31) as usize] as u32 as u128;
            return;
        }
        _ => unreachable!("a simple op kind"),
    };
    w(c, d, v);
}
/// The simple op in the x fields (the first of a fused op).
#[inline(always)]
fn first<const K: u8>(c: &mut Ctx, o: &Op) {
    simple::<K>(c, o.xd, o.xn, o.xm, o.ximm);
}
/// Two simple ops: the x fields', then rd = rn K2 (rm or imm).
fn pair2<const K1: u8, const K2: u8>(c: &mut Ctx, o: &Op) -> Next {
    first::<K1>(c, o);
    simple::<K2>(c, o.rd, o.rn, o.rm, o.imm as i32);
    cont(c, o)
}
/// A simple op, then a compare (SUBS) and B.cond as [`flag_bcond`].
fn pre_cmp_bcond<const P: u8, const SF: bool, const C: u8>(c: &mut Ctx, o: &Op) -> Next {
    first::<P>(c, o);
    flag_bcond::<K_SUB, SF, C>(c, o)
}
/// A simple op, then CBZ or CBNZ.
fn pre_cbz<const P: u8, const SF: bool, const NZ: bool>(c: &mut Ctx, o: &Op) -> Next {
    first::<P>(c, o);
    cbz::<SF, NZ>(c, o)
}
/// CCMP or CCMN (as [`ccmp`]), then B.cond to `imm2`.
fn ccmp_bcond<const SF: bool, const NEG: bool, const C: u8>(c: &mut Ctx, o: &Op) -> Next {
    if nzcv_holds(o.p0, c.nzcv()) {
        let y = r(c, o.rm).wrapping_add(o.imm);
        if NEG {
            let (_, ab) = flags_ab::<K_ADD, SF>(c, r(c, o.rn), y);
            if flags_hold::<K_ADD, C>(ab) {
                return goto(c, o, o.imm2, TAKEN);
            }
        } else {
            let (_, ab) = flags_ab::<K_SUB, SF>(c, r(c, o.rn), y);
            if flags_hold::<K_SUB, C>(ab) {
                return goto(c, o, o.imm2, TAKEN);
            }
        }
    } else {
        c.set_flags_bits((o.p1 as u64) << 28);
        if nzcv_holds(C, c.s.nzcv) {
            return goto(c, o, o.imm2, TAKEN);
        }
    }
    goto(c, o, o.pc.wrapping_add(8), NOT_TAKEN)
}
/// A load (as [`mem`], kind `M`, offset or register-index addressing) and CBZ or CBNZ on
/// register `xn` to `imm2`. The op has the load's pc and count, so a fault in the load is
/// reported exactly; the branch ends the block one instruction later.
fn load_cbz<const M: u8, const MODE: u8, const SF: bool, const NZ: bool>(c: &mut Ctx, o: &Op) -> Next {
    let a = address::<MODE>(c, o);
    if !transfer::<M>(c, o, o.rd, a) {
        return EXIT;
    }
    let n = o.n as u64 + 1;
    if (wsf::<SF>(r(c, o.xn)) != 0) == NZ {
        goto_n(c, o, o.imm2, TAKEN, n)
    } else {
        goto_n(c, o, o.pc.wrapping_add(8), NOT_TAKEN, n)
    }
}

/// A simple op, then a load or store (as [`mem`]) that keeps its own pc and index: a fault
/// in it counts the simple op, which has run.
fn pre_mem<const P: u8, const M: u8, const MODE: u8>(c: &mut Ctx, o: &Op) -> Next {
    first::<P>(c, o);
    mem::<M, MODE>(c, o)
}
/// A load (kind `M`, offset addressing), then a compare (SUBS, operands in the x fields)
/// and B.cond to `imm2`, with the load's pc and index.
fn load_cmp_bcond<const M: u8, const SF: bool, const C: u8>(c: &mut Ctx, o: &Op) -> Next {
    let a = address::<M_OFF>(c, o);
    let Some(v) = int_load::<M, 0>(c, o, a) else { return EXIT };
    w(c, o.rd, v);
    let (v, ab) = flags_ab::<K_SUB, SF>(c, r(c, o.xn), r(c, o.xm).wrapping_add(o.ximm as i64 as u64));
    w(c, o.xd, v);
    let n = o.n as u64 + 2;
    if flags_hold::<K_SUB, C>(ab) {
        goto_n(c, o, o.imm2, TAKEN, n)
    } else {
        goto_n(c, o, o.pc.wrapping_add(12), NOT_TAKEN, n)
    }
}
/// A compare (SUBS of width `SF1`, in the x fields), then CCMP/CCMN and B.cond as
/// [`ccmp_bcond`].
fn cmp_ccmp_bcond<const SF1: bool, const SF: bool, const NEG: bool, const C: u8>(c: &mut Ctx, o: &Op) -> Next {
    let v = flags::<K_SUB, SF1>(c, r(c, o.xn), r(c, o.xm).wrapping_add(o.ximm as i64 as u64));
    w(c, o.xd, v);
    ccmp_bcond::<SF, NEG, C>(c, o)
}
/// A compare (SUBS of width `SF1`, in the x fields), then CSEL, CSINC, CSINV or CSNEG as
/// [`csel`].
fn cmp_csel<const SF1: bool, const OP: u8, const SF: bool, const C: u8>(c: &mut Ctx, o: &Op) -> Next {
    let (v, ab) = flags_ab::<K_SUB, SF1>(c, r(c, o.xn), r(c, o.xm).wrapping_add(o.ximm as i64 as u64));
    w(c, o.xd, v);
    let v = if flags_hold::<K_SUB, C>(ab) {
        r(c, o.rn)
    } else {
        let m = r(c, o.rm);
        match OP {
            0 => m,
            1 => m.wrapping_add(1),
            2 => !m,
            _ => m.wrapping_neg(),
        }
    };
    w(c, o.rd, wsf::<SF>(v));
    cont(c, o)
}
/// A simple op, then BR/RET (`LINK` false) or BLR.
fn pre_br<const P: u8, const LINK: bool>(c: &mut Ctx, o: &Op) -> Next {
    first::<P>(c, o);
    if LINK {
        blr(c, o)
    } else {
        br(c, o)
    }
}
/// Two integer loads or stores (kinds `M1`, `M2`, offset addressing), the second's
/// register, base and offset in the x fields; the op has the first's pc and index.
fn mem2<const M1: u8, const M2: u8>(c: &mut Ctx, o: &Op) -> Next {
    let a = address::<M_OFF>(c, o);
    if !transfer_k::<M1, 0>(c, o, o.rd, a) {
        return EXIT;
    }
    let a = r(c, o.xn).wrapping_add(o.ximm as i64 as u64);
    if !transfer_k::<M2, 1>(c, o, o.xd, a) {
        return EXIT;
    }
    cont(c, o)
}

// ---------------------------------------------------------------------------------------
// Handler tables (by the const parameters `lower` chooses)
// ---------------------------------------------------------------------------------------

/// `[f::<pre.., 0, post..>, .., f::<pre.., 15, post..>]`, for a condition parameter.
macro_rules! by_cond {
    ($f:ident, [$($pre:tt)*], [$($post:tt)*]) => {
        [
            $f::<$($pre)* 0 $($post)*> as Handler, $f::<$($pre)* 1 $($post)*>, $f::<$($pre)* 2 $($post)*>,
            $f::<$($pre)* 3 $($post)*>, $f::<$($pre)* 4 $($post)*>, $f::<$($pre)* 5 $($post)*>,
            $f::<$($pre)* 6 $($post)*>, $f::<$($pre)* 7 $($post)*>, $f::<$($pre)* 8 $($post)*>,
            $f::<$($pre)* 9 $($post)*>, $f::<$($pre)* 10 $($post)*>, $f::<$($pre)* 11 $($post)*>,
            $f::<$($pre)* 12 $($post)*>, $f::<$($pre)* 13 $($post)*>, $f::<$($pre)* 14 $($post)*>,
            $f::<$($pre)* 15 $($post)*>,
        ]
    };
}
/// `[f::<pre.., false, post..>, f::<pre.., true, post..>]`.
macro_rules! by_bool {
    ($f:ident, [$($pre:tt)*], [$($post:tt)*]) => {
        [$f::<$($pre)* false $($post)*> as Handler, $f::<$($pre)* true $($post)*>]
    };
}
/// By the four shifts.
macro_rules! by_shift {
    ($f:ident, [$($pre:tt)*]) => {
        [$f::<$($pre)* 0> as Handler, $f::<$($pre)* 1>, $f::<$($pre)* 2>, $f::<$($pre)* 3>]
    };
}

pub(super) static ALU_RI: [[Handler; 2]; 8] = [
    by_bool!(alu_ri, [A_ADD,], []),
    by_bool!(alu_ri, [A_SUB,], []),
    by_bool!(alu_ri, [A_AND,], []),
    by_bool!(alu_ri, [A_ORR,], []),
    by_bool!(alu_ri, [A_EOR,], []),
    by_bool!(alu_ri, [A_BIC,], []),
    by_bool!(alu_ri, [A_ORN,], []),
    by_bool!(alu_ri, [A_EON,], []),
];
pub(super) static ALU_RR: [[Handler; 2]; 8] = [
    by_bool!(alu_rr, [A_ADD,], []),
    by_bool!(alu_rr, [A_SUB,], []),
    by_bool!(alu_rr, [A_AND,], []),
    by_bool!(alu_rr, [A_ORR,], []),
    by_bool!(alu_rr, [A_EOR,], []),
    by_bool!(alu_rr, [A_BIC,], []),
    by_bool!(alu_rr, [A_ORN,], []),
    by_bool!(alu_rr, [A_EON,], []),
];
macro_rules! alu_rs_row {
    ($op:expr) => {
        [by_shift!(alu_rs, [{ $op }, false,]), by_shift!(alu_rs, [{ $op }, true,])]
    };
}
pub(super) static ALU_RS: [[[Handler; 4]; 2]; 8] = [
    alu_rs_row!(A_ADD),
    alu_rs_row!(A_SUB),
    alu_rs_row!(A_AND),
    alu_rs_row!(A_ORR),
    alu_rs_row!(A_EOR),
    alu_rs_row!(A_BIC),
    alu_rs_row!(A_ORN),
    alu_rs_row!(A_EON),
];
/// By [sub][sf][signed].
pub(super) static ALU_EXT: [[[Handler; 2]; 2]; 2] = [
    [by_bool!(alu_ext, [A_ADD, false,], []), by_bool!(alu_ext, [A_ADD, true,], [])],
    [by_bool!(alu_ext, [A_SUB, false,], []), by_bool!(alu_ext, [A_SUB, true,], [])],
];
/// By [K][sf].
pub(super) static FLAG_RR: [[Handler; 2]; 4] = [
    by_bool!(flag_rr, [K_SUB,], []),
    by_bool!(flag_rr, [K_ADD,], []),
    by_bool!(flag_rr, [K_AND,], []),
    by_bool!(flag_rr, [K_BIC,], []),
];
macro_rules! flag_rs_row {
    ($k:expr) => {
        [by_shift!(flag_rs, [{ $k }, false,]), by_shift!(flag_rs, [{ $k }, true,])]
    };
}
/// By [K][sf][shift].
pub(super) static FLAG_RS: [[[Handler; 4]; 2]; 4] =
    [flag_rs_row!(K_SUB), flag_rs_row!(K_ADD), flag_rs_row!(K_AND), flag_rs_row!(K_BIC)];
/// By [sub][sf][signed].
pub(super) static FLAG_EXT: [[[Handler; 2]; 2]; 2] = [
    [by_bool!(flag_ext, [K_ADD, false,], []), by_bool!(flag_ext, [K_ADD, true,], [])],
    [by_bool!(flag_ext, [K_SUB, false,], []), by_bool!(flag_ext, [K_SUB, true,], [])],
];
/// By [K][sf][cond].
pub(super) static FLAG_BCOND: [[[Handler; 16]; 2]; 4] = [
    [by_cond!(flag_bcond, [K_SUB, false,], []), by_cond!(flag_bcond, [K_SUB, true,], [])],
    [by_cond!(flag_bcond, [K_ADD, false,], []), by_cond!(flag_bcond, [K_ADD, true,], [])],
    [by_cond!(flag_bcond, [K_AND, false,], []), by_cond!(flag_bcond, [K_AND, true,], [])],
    [by_cond!(flag_bcond, [K_BIC, false,], []), by_cond!(flag_bcond, [K_BIC, true,], [])],
];
/// By [sf][sub][flags].
pub(super) static ADC: [[[Handler; 2]; 2]; 2] = [
    [by_bool!(adc, [false, false,], []), by_bool!(adc, [false, true,], [])],
    [by_bool!(adc, [true, false,], []), by_bool!(adc, [true, true,], [])],
];
/// By [sf][neg].
pub(super) static CCMP: [[Handler; 2]; 2] = [by_bool!(ccmp, [false,], []), by_bool!(ccmp, [true,], [])];
macro_rules! csel_row {
    ($op:expr) => {
        [by_cond!(csel, [], [, { $op }, false]), by_cond!(csel, [], [, { $op }, true])]
    };
}
/// By [op][sf][cond].
pub(super) static CSEL: [[[Handler; 16]; 2]; 4] = [csel_row!(0), csel_row!(1), csel_row!(2), csel_row!(3)];
pub(super) static MOVK: [Handler; 2] = by_bool!(movk, [], []);
pub(super) static SBFX: [Handler; 2] = by_bool!(sbfx, [], []);
pub(super) static SBFIZ: [Handler; 2] = by_bool!(sbfiz, [], []);
pub(super) static BFM: [Handler; 2] = by_bool!(bfm, [], []);
pub(super) static EXTR: [Handler; 2] = by_bool!(extr, [], []);
/// By [sf][shift].
pub(super) static SHIFTV: [[Handler; 4]; 2] = [by_shift!(shiftv, [false,]), by_shift!(shiftv, [true,])];
/// By [sf][sub].
pub(super) static MADD: [[Handler; 2]; 2] = [by_bool!(madd, [false,], []), by_bool!(madd, [true,], [])];
/// By [signed][sub].
pub(super) static MADDL: [[Handler; 2]; 2] = [by_bool!(maddl, [false,], []), by_bool!(maddl, [true,], [])];
pub(super) static MULH: [Handler; 2] = by_bool!(mulh, [], []);
/// By [sf][signed].
pub(super) static DIV: [[Handler; 2]; 2] = [by_bool!(div, [false,], []), by_bool!(div, [true,], [])];
pub(super) static UNARY: [Handler; 2] = by_bool!(unary, [], []);
pub(super) static BCOND: [Handler; 16] = by_cond!(bcond, [], []);
/// By [sf][nz].
pub(super) static CBZ: [[Handler; 2]; 2] = [by_bool!(cbz, [false,], []), by_bool!(cbz, [true,], [])];
pub(super) static TBZ: [Handler; 2] = by_bool!(tbz, [], []);

macro_rules! by_mode {
    ($f:ident, $m:expr) => {
        [
            $f::<{ $m }, M_OFF> as Handler,
            $f::<{ $m }, M_PRE>,
            $f::<{ $m }, M_POST>,
            $f::<{ $m }, M_REGU>,
            $f::<{ $m }, M_REGS>,
        ]
    };
}
/// By [kind][mode].
pub(super) static MEM: [[Handler; 5]; MEM_KINDS] = [
    by_mode!(mem, LDRB),
    by_mode!(mem, LDRH),
    by_mode!(mem, LDRW),
    by_mode!(mem, LDRX),
    by_mode!(mem, LDRSBX),
    by_mode!(mem, LDRSHX),
    by_mode!(mem, LDRSWX),
    by_mode!(mem, LDRSBW),
    by_mode!(mem, LDRSHW),
    by_mode!(mem, STRB),
    by_mode!(mem, STRH),
    by_mode!(mem, STRW),
    by_mode!(mem, STRX),
    by_mode!(mem, LDRS),
    by_mode!(mem, LDRD),
    by_mode!(mem, LDRQ),
    by_mode!(mem, STRS),
    by_mode!(mem, STRD),
    by_mode!(mem, STRQ),
];
/// The pair kinds, by [`pair_index`]: LDP W, LDP X, LDPSW, STP W, STP X, and LDP, STP of
/// S, D, Q registers.
pub(super) const PAIR_KINDS: [u8; 11] = [LDRW, LDRX, LDRSWX, STRW, STRX, LDRS, LDRD, LDRQ, STRS, STRD, STRQ];
macro_rules! pair_row {
    ($m:expr) => {
        [pair::<{ $m }, M_OFF> as Handler, pair::<{ $m }, M_PRE>, pair::<{ $m }, M_POST>]
    };
}
/// By [pair kind][mode (OFF, PRE, POST)].
pub(super) static PAIR: [[Handler; 3]; 11] = [
    pair_row!(LDRW),
    pair_row!(LDRX),
    pair_row!(LDRSWX),
    pair_row!(STRW),
    pair_row!(STRX),
    pair_row!(LDRS),
    pair_row!(LDRD),
    pair_row!(LDRQ),
    pair_row!(STRS),
    pair_row!(STRD),
    pair_row!(STRQ),
];

macro_rules! pair2_row {
    ($k:expr) => {
        [
            pair2::<{ $k }, 0> as Handler,
            pair2::<{ $k }, 1>,
            pair2::<{ $k }, 2>,
            pair2::<{ $k }, 3>,
            pair2::<{ $k }, 4>,
            pair2::<{ $k }, 5>,
            pair2::<{ $k }, 6>,
            pair2::<{ $k }, 7>,
            pair2::<{ $k }, 8>,
            pair2::<{ $k }, 9>,
            pair2::<{ $k }, 10>,
            pair2::<{ $k }, 11>,
            pair2::<{ $k }, 12>,
            pair2::<{ $k }, 13>,
            pair2::<{ $k }, 14>,
            pair2::<{ $k }, 15>,
            pair2::<{ $k }, 16>,
            pair2::<{ $k }, 17>,
            pair2::<{ $k }, 18>,
            pair2::<{ $k }, 19>,
            pair2::<{ $k }, 20>,
            pair2::<{ $k }, 21>,
            pair2::<{ $k }, 22>,
            pair2::<{ $k }, 23>,
        ]
    };
}
/// By [first kind][second kind].
pub(super) static PAIR2: [[Handler; S_KINDS]; S_KINDS] = [
    pair2_row!(0),
    pair2_row!(1),
    pair2_row!(2),
    pair2_row!(3),
    pair2_row!(4),
    pair2_row!(5),
    pair2_row!(6),
    pair2_row!(7),
    pair2_row!(8),
    pair2_row!(9),
    pair2_row!(10),
    pair2_row!(11),
    pair2_row!(12),
    pair2_row!(13),
    pair2_row!(14),
    pair2_row!(15),
    pair2_row!(16),
    pair2_row!(17),
    pair2_row!(18),
    pair2_row!(19),
    pair2_row!(20),
    pair2_row!(21),
    pair2_row!(22),
    pair2_row!(23),
];
macro_rules! pre_cmp_row {
    ($p:expr) => {
        [by_cond!(pre_cmp_bcond, [{ $p }, false,], []), by_cond!(pre_cmp_bcond, [{ $p }, true,], [])]
    };
}
/// By [prefix kind][sf][cond].
pub(super) static PRE_CMP_BCOND: [[[Handler; 16]; 2]; S_PREFIX] = [
    pre_cmp_row!(0),
    pre_cmp_row!(1),
    pre_cmp_row!(2),
    pre_cmp_row!(3),
    pre_cmp_row!(4),
    pre_cmp_row!(5),
    pre_cmp_row!(6),
    pre_cmp_row!(7),
];
macro_rules! pre_cbz_row {
    ($p:expr) => {
        [by_bool!(pre_cbz, [{ $p }, false,], []), by_bool!(pre_cbz, [{ $p }, true,], [])]
    };
}
/// By [prefix kind][sf][nz].
pub(super) static PRE_CBZ: [[[Handler; 2]; 2]; S_PREFIX] = [
    pre_cbz_row!(0),
    pre_cbz_row!(1),
    pre_cbz_row!(2),
    pre_cbz_row!(3),
    pre_cbz_row!(4),
    pre_cbz_row!(5),
    pre_cbz_row!(6),
    pre_cbz_row!(7),
];
/// By [sf][neg][cond].
pub(super) static CCMP_BCOND: [[[Handler; 16]; 2]; 2] = [
    [by_cond!(ccmp_bcond, [false, false,], []), by_cond!(ccmp_bcond, [false, true,], [])],
    [by_cond!(ccmp_bcond, [true, false,], []), by_cond!(ccmp_bcond, [true, true,], [])],
];
macro_rules! load_cbz_row {
    ($m:expr) => {
        [
            [
                [load_cbz::<{ $m }, M_OFF, false, false> as Handler, load_cbz::<{ $m }, M_OFF, false, true>],
                [load_cbz::<{ $m }, M_OFF, true, false>, load_cbz::<{ $m }, M_OFF, true, true>],
            ],
            [
                [load_cbz::<{ $m }, M_REGU, false, false>, load_cbz::<{ $m }, M_REGU, false, true>],
                [load_cbz::<{ $m }, M_REGU, true, false>, load_cbz::<{ $m }, M_REGU, true, true>],
            ],
        ]
    };
}
/// By [load kind (LDRB..=LDRSHW)][mode (OFF, REGU)][sf][nz].
pub(super) static LOAD_CBZ: [[[[Handler; 2]; 2]; 2]; 9] = [
    load_cbz_row!(LDRB),
    load_cbz_row!(LDRH),
    load_cbz_row!(LDRW),
    load_cbz_row!(LDRX),
    load_cbz_row!(LDRSBX),
    load_cbz_row!(LDRSHX),
    load_cbz_row!(LDRSWX),
    load_cbz_row!(LDRSBW),
    load_cbz_row!(LDRSHW),
];

macro_rules! pre_mem_row {
    ($p:expr, $m:expr) => {
        [pre_mem::<{ $p }, { $m }, M_OFF> as Handler, pre_mem::<{ $p }, { $m }, M_REGU>]
    };
}
macro_rules! pre_mem_plane {
    ($p:expr) => {
        [
            pre_mem_row!($p, LDRB),
            pre_mem_row!($p, LDRH),
            pre_mem_row!($p, LDRW),
            pre_mem_row!($p, LDRX),
            pre_mem_row!($p, LDRSBX),
            pre_mem_row!($p, LDRSHX),
            pre_mem_row!($p, LDRSWX),
            pre_mem_row!($p, LDRSBW),
            pre_mem_row!($p, LDRSHW),
            pre_mem_row!($p, STRB),
            pre_mem_row!($p, STRH),
            pre_mem_row!($p, STRW),
            pre_mem_row!($p, STRX),
        ]
    };
}
/// By [prefix kind][integer load/store kind (LDRB..=STRX)][mode (OFF, REGU)].
pub(super) static PRE_MEM: [[[Handler; 2]; 13]; S_PREFIX] = [
    pre_mem_plane!(0),
    pre_mem_plane!(1),
    pre_mem_plane!(2),
    pre_mem_plane!(3),
    pre_mem_plane!(4),
    pre_mem_plane!(5),
    pre_mem_plane!(6),
    pre_mem_plane!(7),
];
macro_rules! load_cmp_row {
    ($m:expr) => {
        [by_cond!(load_cmp_bcond, [{ $m }, false,], []), by_cond!(load_cmp_bcond, [{ $m }, true,], [])]
    };
}
/// By [load kind (LDRB..=LDRSHW)][sf][cond].
pub(super) static LOAD_CMP_BCOND: [[[Handler; 16]; 2]; 9] = [
    load_cmp_row!(LDRB),
    load_cmp_row!(LDRH),
    load_cmp_row!(LDRW),
    load_cmp_row!(LDRX),
    load_cmp_row!(LDRSBX),
    load_cmp_row!(LDRSHX),
    load_cmp_row!(LDRSWX),
    load_cmp_row!(LDRSBW),
    load_cmp_row!(LDRSHW),
];
/// By [compare sf][ccmp sf][neg][cond].
pub(super) static CMP_CCMP_BCOND: [[[[Handler; 16]; 2]; 2]; 2] = [
    [
        [by_cond!(cmp_ccmp_bcond, [false, false, false,], []), by_cond!(cmp_ccmp_bcond, [false, false, true,], [])],
        [by_cond!(cmp_ccmp_bcond, [false, true, false,], []), by_cond!(cmp_ccmp_bcond, [false, true, true,], [])],
    ],
    [
        [by_cond!(cmp_ccmp_bcond, [true, false, false,], []), by_cond!(cmp_ccmp_bcond, [true, false, true,], [])],
        [by_cond!(cmp_ccmp_bcond, [true, true, false,], []), by_cond!(cmp_ccmp_bcond, [true, true, true,], [])],
    ],
];
/// By [prefix kind][link].
pub(super) static PRE_BR: [[Handler; 2]; S_PREFIX] = [
    by_bool!(pre_br, [0,], []),
    by_bool!(pre_br, [1,], []),
    by_bool!(pre_br, [2,], []),
    by_bool!(pre_br, [3,], []),
    by_bool!(pre_br, [4,], []),
    by_bool!(pre_br, [5,], []),
    by_bool!(pre_br, [6,], []),
    by_bool!(pre_br, [7,], []),
];
macro_rules! mem2_row {
    ($m:expr) => {
        [
            mem2::<{ $m }, LDRB> as Handler,
            mem2::<{ $m }, LDRH>,
            mem2::<{ $m }, LDRW>,
            mem2::<{ $m }, LDRX>,
            mem2::<{ $m }, LDRSBX>,
            mem2::<{ $m }, LDRSHX>,
            mem2::<{ $m }, LDRSWX>,
            mem2::<{ $m }, LDRSBW>,
            mem2::<{ $m }, LDRSHW>,
            mem2::<{ $m }, STRB>,
            mem2::<{ $m }, STRH>,
            mem2::<{ $m }, STRW>,
            mem2::<{ $m }, STRX>,
        ]
    };
}
/// By [first kind][second kind] (LDRB..=STRX).
pub(super) static MEM2: [[Handler; 13]; 13] = [
    mem2_row!(LDRB),
    mem2_row!(LDRH),
    mem2_row!(LDRW),
    mem2_row!(LDRX),
    mem2_row!(LDRSBX),
    mem2_row!(LDRSHX),
    mem2_row!(LDRSWX),
    mem2_row!(LDRSBW),
    mem2_row!(LDRSHW),
    mem2_row!(STRB),
    mem2_row!(STRH),
    mem2_row!(STRW),
    mem2_row!(STRX),
];
macro_rules! cmp_csel_row {
    ($sf1:expr, $op:expr) => {
        [by_cond!(cmp_csel, [$sf1, { $op }, false,], []), by_cond!(cmp_csel, [$sf1, { $op }, true,], [])]
    };
}
/// By [compare sf][op][sf][cond].
pub(super) static CMP_CSEL: [[[[Handler; 16]; 2]; 4]; 2] = [
    [cmp_csel_row!(false, 0), cmp_csel_row!(false, 1), cmp_csel_row!(false, 2), cmp_csel_row!(false, 3)],
    [cmp_csel_row!(true, 0), cmp_csel_row!(true, 1), cmp_csel_row!(true, 2), cmp_csel_row!(true, 3)],
];
