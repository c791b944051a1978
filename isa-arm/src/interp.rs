//! The AArch64 interpreter: guest state, a cache of decoded blocks, and the [`Cpu`] impl.
//!
//! A block (code up to a conditional or indirect branch, a system call, a
//! cache-maintenance instruction or 64 instructions; unconditional B and BL are followed to
//! their targets) is decoded once and lowered (see `lower`) to compact `Op`s, each
//! carrying its handler and operands with register 31 already resolved to SP or to the
//! zero register's slots (see [`State::x`]). The integer forms compilers emit most, and the
//! AdvSIMD and FP-move forms of vectorised integer code, get handlers of their own (`ops`,
//! `vec`), specialised by width, operation, shift, condition and addressing mode; common
//! neighbours (a compare and B.cond, a load and CBZ, two register moves...) are fused into
//! one op. Every other instruction runs through `exec`, the one place that implements all
//! of them, by way of the per-variant functions of the `handlers!` table, so a new
//! [`Inst`] variant needs an arm in `exec` (or in `simd::exec`) and nothing here; the
//! random tests in `interp/tests.rs` check the specialised and fused ops against it.
//!
//! Dispatch is threaded (see `ops`): each handler ends by calling the next op's handler
//! in tail position, which the optimiser turns into an indirect jump; the op ending a block
//! settles instret for the block and continues through its chain links (the successor
//! blocks' first ops, taken and not-taken, filled in by the run loop on first use; an
//! indirect branch keeps a one-entry inline cache and looks misses up in the block table
//! itself). Every CHAIN_BUDGET instructions, and on any exit or chain miss, control returns
//! to the run loop, which checks for pending signals and bounds the stack even where tail
//! calls stay calls. Chain links point into the block cache, which is only cleared
//! (`ic ivau`, code epoch change, `flush_code`) outside block execution.
//!
//! The guest pc is only written when leaving the run loop, and instret when a block ends:
//! an op knows its instruction's pc and its index in the block, so an exit, an illegal
//! instruction or a fault reports the exact pc and counts exactly the instructions before
//! it. A memory op records itself in `Ctx::cur` before touching guest memory, so a host
//! fault under [`guarded`] is reported the same way.
//!
//! NZCV is kept lazily while ops run: a compare stores its operands and the kind of
//! operation (`Ctx::fk`), and a condition is evaluated from them directly. The flags are
//! settled into [`State::nzcv`] before any instruction that `exec` runs (which reads and
//! writes `nzcv` itself) and when the run loop returns.
//!
//! Floating point (scalar and vector, half, single and double precision) runs on the
//! software FP unit in `fpu.rs`: every FPCR rounding mode, FZ, FZ16, DN and AHP, and exact
//! FPSR cumulative flags.

mod lower;
mod ops;
mod vec;

use std::cell::Cell;
use std::collections::HashMap;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use remu_core::fault::guarded;
use remu_core::{Access, Cpu, Exit, GuestMemory, Registers};

use crate::insn::*;

/// Guest-visible state, laid out for a JIT to address fields by offset.
#[repr(C)]
#[derive(Clone, Debug)]
pub struct State {
    /// x0..x30, and SP in slot 31. Slots 32 and 33 are the zero register as ops address
    /// it: 32 always reads zero and 33 takes the writes that are discarded, so an op
    /// reads or writes register 31-as-XZR without a branch.
    pub x: [u64; 34],
    /// v0..v31, 128 bits each (little-endian lanes).
    pub v: [u128; 32],
    pub pc: u64,
    /// PSTATE.NZCV in bits 31..28, as MRS NZCV reads it (settled whenever `run` returns).
    pub nzcv: u64,
    pub fpcr: u64,
    pub fpsr: u64,
    /// TPIDR_EL0 (the thread pointer).
    pub tpidr: u64,
    /// Exclusive monitor: address, size in bytes (0 = open), and the value(s) loaded.
    pub excl_addr: u64,
    pub excl_size: u64,
    pub excl_val: u128,
    /// Retired instructions (settled when a block ends, and exactly when it stops early:
    /// an exit, a fault or an illegal instruction counts only the instructions before it).
    pub instret: u64,
}

impl Default for State {
    fn default() -> Self {
        State {
            x: [0; 34],
            v: [0; 32],
            pc: 0,
            nzcv: 0,
            fpcr: 0,
            fpsr: 0,
            tpidr: 0,
            excl_addr: 0,
            excl_size: 0,
            excl_val: 0,
            instret: 0,
        }
    }
}

/// The slot of [`State::x`] that reads as zero.
const ZR: u8 = 32;
/// The slot of [`State::x`] that takes discarded writes.
const ZW: u8 = 33;

/// An op handler: returns the next op to run, or [`EXIT`] to leave the run loop (with the
/// exit stored in [`Ctx::exit`], or a chain miss recorded in [`Ctx::miss`]).
type Handler = fn(&mut Ctx, &Op) -> Next;
/// The next op to run; [`EXIT`] (null) leaves the run loop.
type Next = *const Op;
const EXIT: Next = std::ptr::null();

/// `exec` specialised to one `Inst` variant (see `handlers!`): the slow path every
/// instruction without a handler of its own takes.
type ExecFn = fn(&mut Ctx, &Inst, u64) -> Flow;

/// Chain link slots of a block's last op: the taken edge (or the only successor) and the
/// not-taken edge of a conditional branch. Indirect branches use both slots as a one-entry
/// inline cache (target pc, then its first op).
const TAKEN: usize = 0;
const NOT_TAKEN: usize = 1;
const INDIRECT: u8 = 2;
/// A chain miss with no link to fill in (a jump from the slow path).
const NO_LINK: u8 = 3;
/// The inline-cache tag of an empty indirect-branch cache (whose op is null).
const NO_TARGET: usize = usize::MAX;

/// One lowered instruction (or a fused pair).
#[repr(C)]
struct Op {
    h: Handler,
    /// The instruction's guest pc (a fused op's: its first instruction's).
    pc: u64,
    /// Immediate, absolute branch target, or (for the slow path) a pointer to its [`Slow`].
    imm: u64,
    /// A second immediate: a mask, or the branch target of a fused compare and branch.
    imm2: u64,
    /// Register slots (indices into [`State::x`], below 34; vector ops index `v` with the
    /// low five bits): destination, sources, second destination or accumulator.
    rd: u8,
    rn: u8,
    rm: u8,
    ra: u8,
    /// Small parameters: shift amounts, extension shifts, bit numbers, conditions.
    p0: u8,
    p1: u8,
    /// 1-based index of the op's instruction in its block: at the block's last op, the
    /// number of instructions in the block. instret is settled from it when the block ends
    /// (or stops early).
    n: u16,
    /// The first instruction of a fused op, when it is a simple register op (see
    /// `ops::simple`): its destination, sources and immediate.
    xd: u8,
    xn: u8,
    xm: u8,
    ximm: i32,
    /// Chain links of a block-ending op (see [`TAKEN`]), filled in by the run loop on
    /// first use.
    link: [Cell<Next>; 2],
}

/// What the slow path needs of an instruction: its `exec` and the decoded instruction.
struct Slow {
    x: ExecFn,
    inst: Inst,
}

/// What executing one instruction in `exec` asks its op to do next.
pub(crate) enum Flow {
    Next,
    Jump(u64),
    /// Leave the run loop with [`Ctx::exit`].
    Stop,
}

/// A block's ops, at a fixed heap address for as long as the cache holds it (chain links
/// point into it), and the slow-path instructions its ops point to.
struct Block {
    ops: NonNull<[Op]>,
    _slow: Box<[Slow]>,
}

impl Block {
    fn new(ops: Vec<Op>, slow: Box<[Slow]>) -> Block {
        Block { ops: NonNull::from(Box::leak(ops.into_boxed_slice())), _slow: slow }
    }
    fn first(&self) -> Next {
        self.ops.as_ptr() as *const Op
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        // SAFETY: made by `Box::leak` in `new`, and dropped once.
        drop(unsafe { Box::from_raw(self.ops.as_ptr()) });
    }
}

const MAX_BLOCK: usize = 64;
const SLOTS: usize = 1 << 14;

/// Decoded blocks by guest pc: a direct-mapped table in front of a hash map. Dropping a
/// block invalidates every chain link, so blocks are only dropped all at once, by `clear`,
/// which runs outside block execution. Indirect branches probe the table themselves
/// (through `Ctx::slots`), so it is never reallocated.
struct BlockCache {
    slots: Box<[(u64, Next)]>,
    blocks: Vec<Block>,
    map: HashMap<u64, u32>,
    /// Lower every instruction to the slow path (the tests compare the two).
    slow_only: bool,
}

impl BlockCache {
    fn new() -> Self {
        BlockCache {
            slots: vec![(1, EXIT); SLOTS].into_boxed_slice(),
            blocks: Vec::new(),
            map: HashMap::new(),
            slow_only: false,
        }
    }
    fn clear(&mut self) {
        self.slots.fill((1, EXIT));
        self.blocks.clear();
        self.map.clear();
    }
    #[inline(always)]
    fn slot(pc: u64) -> usize {
        ((pc >> 2) as usize) & (SLOTS - 1)
    }
    /// The first op of the block at `pc`, decoding it on first use.
    #[inline]
    fn lookup(&mut self, mem: &GuestMemory, pc: u64) -> Result<Next, Exit> {
        let (tag, first) = self.slots[BlockCache::slot(pc)];
        // (An empty slot's tag is 1, which a misaligned pc may equal.)
        if tag == pc && !first.is_null() {
            return Ok(first);
        }
        self.lookup_slow(mem, pc)
    }
    #[inline(never)]
    fn lookup_slow(&mut self, mem: &GuestMemory, pc: u64) -> Result<Next, Exit> {
        let idx = match self.map.get(&pc) {
            Some(&i) => i,
            None => {
                let b = lower::build_block(mem, pc, self.slow_only)?;
                let i = self.blocks.len() as u32;
                self.blocks.push(b);
                self.map.insert(pc, i);
                i
            }
        };
        let first = self.blocks[idx as usize].first();
        self.slots[BlockCache::slot(pc)] = (pc, first);
        Ok(first)
    }
    /// The guest pc of the block whose first op is `op` (its first instruction may have no
    /// op of its own). A linear search: only signal interrupts between chained blocks need
    /// it.
    fn block_pc(&self, op: Next) -> Option<u64> {
        self.map.iter().find(|(_, &i)| self.blocks[i as usize].first() == op).map(|(&pc, _)| pc)
    }
}

/// Reads the instruction word at `pc` with execute permission checks.
pub fn fetch(mem: &GuestMemory, pc: u64) -> Result<u32, Exit> {
    let fault = |addr| Exit::Fault { addr, access: Access::Execute };
    if pc & 3 != 0 {
        return Err(Exit::BusError { addr: pc });
    }
    mem.check(pc, 4, Access::Execute).map_err(|f| fault(f.addr))?;
    mem.read_u32(pc).map_err(|f| fault(f.addr))
}

/// An AArch64 CPU: state plus its block cache.
pub struct ArmCpu {
    ctx: Ctx,
    cache: BlockCache,
    epoch: u64,
}

// SAFETY: the raw pointers in `Ctx` point into the shared guest region, which is Send +
// Sync (see GuestMemory), or into this CPU's own block cache, which moves with it; nothing
// is thread-bound.
unsafe impl Send for ArmCpu {}

impl ArmCpu {
    pub fn new(entry: u64) -> ArmCpu {
        let s = State { pc: entry, ..State::default() };
        ArmCpu { ctx: Ctx::new(s), cache: BlockCache::new(), epoch: u64::MAX }
    }
    pub fn state(&self) -> &State {
        &self.ctx.s
    }
    pub fn state_mut(&mut self) -> &mut State {
        &mut self.ctx.s
    }
    /// Runs every instruction through the slow path (`exec`), for comparison.
    #[cfg(test)]
    fn set_slow_only(&mut self) {
        self.cache.clear();
        self.cache.slow_only = true;
    }

    fn run_loop(&mut self, mem: &GuestMemory) -> Exit {
        let ctx = &mut self.ctx;
        ctx.miss = EXIT;
        let mut op = match self.cache.lookup(mem, ctx.s.pc) {
            Ok(p) => p,
            Err(e) => return e,
        };
        loop {
            while !op.is_null() {
                // A signal for this thread: stop at this block boundary (checked once per
                // chain, at most CHAIN_BUDGET instructions apart). `pc` is the block's
                // after a lookup; after a chain that ran out of budget, find it.
                if remu_core::signal_pending() {
                    if let Some(pc) = self.cache.block_pc(op) {
                        ctx.s.pc = pc;
                        return Exit::Interrupted;
                    }
                }
                // instret wraps only after centuries; saturate so the limit stays above.
                ctx.limit = ctx.s.instret.saturating_add(ops::CHAIN_BUDGET);
                // SAFETY: `op` points into a block of the cache (blocks end with an op
                // that leaves or links to another block's first op), and the cache is
                // only cleared outside this loop.
                unsafe {
                    let o = &*op;
                    op = (o.h)(ctx, o);
                }
            }
            if ctx.miss.is_null() {
                return ctx.exit;
            }
            // A chain miss: find the block at pc and link it in.
            let pc = ctx.s.pc;
            // SAFETY: `miss` is the op that just ran, still in the cache.
            let from = unsafe { &*ctx.miss };
            ctx.miss = EXIT;
            op = match self.cache.lookup(mem, pc) {
                Ok(p) => p,
                Err(e) => return e,
            };
            match ctx.edge {
                INDIRECT => {
                    from.link[0].set(std::ptr::without_provenance(pc as usize));
                    from.link[1].set(op);
                }
                NO_LINK => {}
                edge => from.link[edge as usize].set(op),
            }
        }
    }
}

impl Cpu for ArmCpu {
    fn run(&mut self, mem: &GuestMemory) -> Exit {
        let epoch = mem.code_epoch();
        if epoch != self.epoch {
            self.cache.clear();
            self.epoch = epoch;
        }
        self.ctx.base = mem.base();
        self.ctx.size = mem.size();
        self.ctx.lim = mem.size().saturating_sub(16);
        self.ctx.slots = self.cache.slots.as_ptr();
        let exit = match guarded(mem.base(), mem.size(), || self.run_loop(mem)) {
            Ok(e) => e,
            Err(f) => {
                // A memory op faulted on the host: it recorded itself in `cur` first, with
                // the index of the faulting instruction among its own in the low bits.
                let k = self.ctx.cur as usize & 7;
                let o = self.ctx.cur.map_addr(|a| a & !7);
                // SAFETY: `cur` points into the cache, which is not cleared before this.
                if let Some(o) = unsafe { o.as_ref() } {
                    self.ctx.s.pc = o.pc.wrapping_add(4 * k as u64);
                    self.ctx.s.instret = self.ctx.s.instret.wrapping_add(o.n as u64 - 1 + k as u64);
                }
                if f.bus {
                    Exit::BusError { addr: f.addr }
                } else {
                    Exit::Fault { addr: f.addr, access: f.access }
                }
            }
        };
        self.ctx.settle_flags();
        if exit == Exit::CodeFlushed {
            self.cache.clear();
        }
        exit
    }
    fn syscall_args(&self) -> (u64, [u64; 6]) {
        let x = &self.ctx.s.x;
        (x[8], [x[0], x[1], x[2], x[3], x[4], x[5]])
    }
    fn set_syscall_result(&mut self, value: u64) {
        self.ctx.s.x[0] = value;
    }
    fn pc(&self) -> u64 {
        self.ctx.s.pc
    }
    fn set_pc(&mut self, pc: u64) {
        self.ctx.s.pc = pc;
    }
    fn sp(&self) -> u64 {
        self.ctx.s.x[31]
    }
    fn set_sp(&mut self, sp: u64) {
        self.ctx.s.x[31] = sp;
    }
    fn set_tls(&mut self, tp: u64) {
        self.ctx.s.tpidr = tp;
    }
    fn flush_code(&mut self, _start: u64, _end: u64) {
        self.cache.clear();
    }
    fn disassemble_at(&self, mem: &GuestMemory, pc: u64) -> Option<String> {
        let word = fetch(mem, pc).ok()?;
        Some(describe_word(word, pc))
    }
    fn instructions_retired(&self) -> u64 {
        self.ctx.s.instret
    }
    fn registers(&self) -> Registers {
        let s = &self.ctx.s;
        let mut x = [0; 32];
        x.copy_from_slice(&s.x[..32]);
        Registers { pc: s.pc, x, v: s.v, fp_control: s.fpcr, fp_status: s.fpsr, flags: s.nzcv & 0xf000_0000 }
    }
    fn set_registers(&mut self, r: &Registers) {
        let s = &mut self.ctx.s;
        s.pc = r.pc;
        s.x[..32].copy_from_slice(&r.x);
        s.v = r.v;
        s.fpcr = r.fp_control;
        s.fpsr = r.fp_status;
        s.nzcv = r.flags & 0xf000_0000;
        s.excl_size = 0;
    }
    fn boxed_clone(&self) -> Box<dyn Cpu> {
        let mut s = self.ctx.s.clone();
        s.excl_size = 0;
        Box::new(ArmCpu { ctx: Ctx::new(s), cache: BlockCache::new(), epoch: u64::MAX })
    }
}

/// What an op works on: the state plus the guest region, the lazy flags and the run
/// loop's bookkeeping.
pub(crate) struct Ctx {
    pub s: State,
    /// Why the run loop stops (set before a handler returns [`Flow::Stop`] or [`EXIT`]).
    pub exit: Exit,
    /// Host address of guest address 0, and the guest address space size.
    base: *mut u8,
    size: u64,
    /// `size - 16`: guest addresses up to it take the fast path of the bounds check.
    lim: u64,
    /// Lazy NZCV (see `ops`): the kind of the last flag-setting operation (or `F_NZCV`:
    /// `s.nzcv` holds the flags) and its operands.
    fk: u8,
    fa: u64,
    fb: u64,
    /// After a chain miss (a block-ending op whose link is not filled in): the op, and which
    /// link to fill in (TAKEN, NOT_TAKEN or INDIRECT); null for an ordinary exit.
    miss: *const Op,
    edge: u8,
    /// The op last about to touch guest memory: if the access faults on the host, `run`
    /// takes the pc (and the instructions retired in the block) from it. A fused op whose
    /// second instruction makes the access adds 1 to the pointer (ops are 8-aligned).
    cur: *const Op,
    /// instret at which chained blocks return to the run loop (see `ops::enter`).
    limit: u64,
    /// The block cache's direct-mapped table, for indirect branches.
    slots: *const (u64, Next),
}

impl Ctx {
    fn new(s: State) -> Ctx {
        Ctx {
            s,
            exit: Exit::CodeFlushed,
            base: std::ptr::null_mut(),
            size: 0,
            lim: 0,
            fk: ops::F_NZCV,
            fa: 0,
            fb: 0,
            miss: EXIT,
            edge: 0,
            cur: EXIT,
            limit: 0,
            slots: std::ptr::null(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Register and flag helpers
// ---------------------------------------------------------------------------------------

impl Ctx {
    /// Xn with 31 = XZR.
    #[inline(always)]
    pub(crate) fn xz(&self, r: Reg) -> u64 {
        if r.0 == 31 {
            0
        } else {
            self.s.x[r.0 as usize]
        }
    }
    /// Xn with 31 = SP.
    #[inline(always)]
    pub(crate) fn xsp(&self, r: Reg) -> u64 {
        self.s.x[r.0 as usize & 31]
    }
    #[inline(always)]
    pub(crate) fn set_xz(&mut self, r: Reg, v: u64) {
        if r.0 != 31 {
            self.s.x[r.0 as usize] = v;
        }
    }
    #[inline(always)]
    pub(crate) fn set_xsp(&mut self, r: Reg, v: u64) {
        self.s.x[r.0 as usize & 31] = v;
    }
    /// Writes a result of width `sf` (zero-extending 32-bit results).
    #[inline(always)]
    pub(crate) fn set_res(&mut self, r: Reg, sf: bool, v: u64) {
        self.set_xz(r, if sf { v } else { v as u32 as u64 });
    }
    #[inline(always)]
    pub(crate) fn set_nzcv(&mut self, n: bool, z: bool, c: bool, v: bool) {
        self.s.nzcv = ((n as u64) << 31) | ((z as u64) << 30) | ((c as u64) << 29) | ((v as u64) << 28);
    }
    /// The software FP unit on this thread's FPCR and FPSR.
    pub(crate) fn fpu(&mut self) -> crate::fpu::Fpu<'_> {
        crate::fpu::Fpu { fpcr: self.s.fpcr, fpsr: &mut self.s.fpsr, fast: true }
    }
    pub(crate) fn set_nzcv_bits(&mut self, nzcv: u8) {
        self.s.nzcv = ((nzcv & 15) as u64) << 28;
    }

    // SIMD&FP registers.
    #[inline(always)]
    pub(crate) fn vr(&self, r: VReg) -> u128 {
        self.s.v[r.0 as usize & 31]
    }
    #[inline(always)]
    pub(crate) fn set_v(&mut self, r: VReg, v: u128) {
        self.s.v[r.0 as usize & 31] = v;
    }
    /// Writes a 64-bit (q = false: upper half zeroed) or 128-bit vector result.
    #[inline(always)]
    pub(crate) fn set_vq(&mut self, r: VReg, q: bool, v: u128) {
        self.set_v(r, if q { v } else { v as u64 as u128 });
    }
    // Memory.
    /// The host pointer for guest `[a, a+n)`, or a fault exit if it leaves the region.
    /// Permission faults inside the region are caught by `guarded`.
    #[inline(always)]
    pub(crate) fn host(&self, a: u64, n: u64, access: Access) -> Result<*mut u8, Exit> {
        if a > self.size.wrapping_sub(n) || n > self.size {
            return Err(Exit::Fault { addr: a, access });
        }
        // SAFETY: `a + n <= size`, so the pointer stays inside the region.
        Ok(unsafe { self.base.add(a as usize) })
    }
    #[inline(always)]
    pub(crate) fn load(&self, a: u64, n: u8) -> Result<u64, Exit> {
        let p = self.host(a, n as u64, Access::Read)?;
        // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
        Ok(unsafe {
            match n {
                1 => p.read() as u64,
                2 => (p as *const u16).read_unaligned() as u64,
                4 => (p as *const u32).read_unaligned() as u64,
                _ => (p as *const u64).read_unaligned(),
            }
        })
    }
    #[inline(always)]
    pub(crate) fn store(&self, a: u64, n: u8, v: u64) -> Result<(), Exit> {
        let p = self.host(a, n as u64, Access::Write)?;
        // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
        unsafe {
            match n {
                1 => p.write(v as u8),
                2 => (p as *mut u16).write_unaligned(v as u16),
                4 => (p as *mut u32).write_unaligned(v as u32),
                _ => (p as *mut u64).write_unaligned(v),
            }
        }
        Ok(())
    }
    pub(crate) fn load128(&self, a: u64) -> Result<u128, Exit> {
        let p = self.host(a, 16, Access::Read)?;
        // SAFETY: as for `load`.
        Ok(unsafe { read_u128(p) })
    }
    pub(crate) fn store128(&self, a: u64, v: u128) -> Result<(), Exit> {
        let p = self.host(a, 16, Access::Write)?;
        // SAFETY: as for `store`.
        unsafe { write_u128(p, v) };
        Ok(())
    }
    /// Loads `n` bytes (1..16) as a zero-extended 128-bit value.
    pub(crate) fn load_v(&self, a: u64, n: u8) -> Result<u128, Exit> {
        if n == 16 {
            self.load128(a)
        } else {
            self.load(a, n).map(|v| v as u128)
        }
    }
    pub(crate) fn store_v(&self, a: u64, n: u8, v: u128) -> Result<(), Exit> {
        if n == 16 {
            self.store128(a, v)
        } else {
            self.store(a, n, v as u64)
        }
    }
    /// An aligned host pointer for an atomic access; misaligned atomics raise SIGBUS as
    /// on hardware without LSE2.
    pub(crate) fn atomic_ptr(&self, a: u64, n: u64) -> Result<*mut u8, Exit> {
        if a & (n - 1) != 0 {
            return Err(Exit::BusError { addr: a });
        }
        self.host(a, n, Access::Write)
    }
}

/// Reads 16 bytes with one host access (a `u128` access may be split into two, in either
/// order, which would change the address a fault reports).
///
/// # Safety
/// `p..p+16` must be inside the guest region (a fault there is caught by `guarded`).
#[inline(always)]
unsafe fn read_u128(p: *const u8) -> u128 {
    use std::arch::x86_64::__m128i;
    let v: __m128i;
    // SAFETY: the caller's; one unaligned SSE2 load (part of x86-64) into a register.
    unsafe { std::arch::asm!("movdqu {v}, [{p}]", p = in(reg) p, v = out(xmm_reg) v, options(nostack, readonly, preserves_flags)) };
    // SAFETY: __m128i and u128 have the same size and no invalid bit patterns.
    unsafe { std::mem::transmute::<__m128i, u128>(v) }
}
/// Writes 16 bytes with one host access (see [`read_u128`]).
///
/// # Safety
/// As for [`read_u128`].
#[inline(always)]
unsafe fn write_u128(p: *mut u8, v: u128) {
    use std::arch::x86_64::__m128i;
    // SAFETY: as in `read_u128`.
    let v = unsafe { std::mem::transmute::<u128, __m128i>(v) };
    // SAFETY: the caller's; one unaligned SSE2 store.
    unsafe { std::arch::asm!("movdqu [{p}], {v}", p = in(reg) p, v = in(xmm_reg) v, options(nostack, preserves_flags)) };
}

/// ConditionHolds.
pub fn cond_holds(nzcv: u64, cond: Cond) -> bool {
    let n = nzcv >> 31 & 1 != 0;
    let z = nzcv >> 30 & 1 != 0;
    let c = nzcv >> 29 & 1 != 0;
    let v = nzcv >> 28 & 1 != 0;
    let r = match cond.0 >> 1 {
        0 => z,
        1 => c,
        2 => n,
        3 => v,
        4 => c && !z,
        5 => n == v,
        6 => n == v && !z,
        _ => true,
    };
    if cond.0 & 1 == 1 && cond.0 != 15 {
        !r
    } else {
        r
    }
}

/// AddWithCarry: the result (masked to the width) and NZCV in bits 3..0.
pub fn add_with_carry(sf: bool, x: u64, y: u64, carry: bool) -> (u64, u8) {
    if sf {
        let usum = x as u128 + y as u128 + carry as u128;
        let ssum = x as i64 as i128 + y as i64 as i128 + carry as i128;
        let r = usum as u64;
        let n = (r >> 63) as u8;
        let z = (r == 0) as u8;
        let c = (r as u128 != usum) as u8;
        let v = (r as i64 as i128 != ssum) as u8;
        (r, n << 3 | z << 2 | c << 1 | v)
    } else {
        let (x, y) = (x as u32, y as u32);
        let usum = x as u64 + y as u64 + carry as u64;
        let ssum = x as i32 as i64 + y as i32 as i64 + carry as i64;
        let r = usum as u32;
        let n = (r >> 31) as u8;
        let z = (r == 0) as u8;
        let c = (r as u64 != usum) as u8;
        let v = (r as i32 as i64 != ssum) as u8;
        (r as u64, n << 3 | z << 2 | c << 1 | v)
    }
}

fn shift_val(sf: bool, v: u64, shift: Shift, amount: u32) -> u64 {
    if sf {
        let a = amount & 63;
        match shift {
            Shift::Lsl => v << a,
            Shift::Lsr => v >> a,
            Shift::Asr => ((v as i64) >> a) as u64,
            Shift::Ror => v.rotate_right(a),
        }
    } else {
        let v = v as u32;
        let a = amount & 31;
        (match shift {
            Shift::Lsl => v << a,
            Shift::Lsr => v >> a,
            Shift::Asr => ((v as i32) >> a) as u32,
            Shift::Ror => v.rotate_right(a),
        }) as u64
    }
}

/// ExtendReg without the width mask.
pub fn extend_val(v: u64, ext: Extend) -> u64 {
    match ext {
        Extend::Uxtb => v as u8 as u64,
        Extend::Uxth => v as u16 as u64,
        Extend::Uxtw => v as u32 as u64,
        Extend::Uxtx | Extend::Sxtx => v,
        Extend::Sxtb => v as i8 as i64 as u64,
        Extend::Sxth => v as i16 as i64 as u64,
        Extend::Sxtw => v as i32 as i64 as u64,
    }
}

fn ones(n: u32) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}
fn sign_extend(v: u64, width: u32) -> u64 {
    if width >= 64 {
        v
    } else {
        (((v << (64 - width)) as i64) >> (64 - width)) as u64
    }
}

fn bitfield(op: BfOp, sf: bool, dst: u64, src: u64, immr: u32, imms: u32) -> u64 {
    let ds = if sf { 64 } else { 32 };
    let src = if sf { src } else { src as u32 as u64 };
    let r = if imms >= immr {
        let width = imms - immr + 1;
        let field = (src >> immr) & ones(width);
        match op {
            BfOp::Ubfm => field,
            BfOp::Sbfm => sign_extend(field, width),
            BfOp::Bfm => (dst & !ones(width)) | field,
        }
    } else {
        let width = imms + 1;
        let lsb = ds - immr;
        let field = (src & ones(width)) << lsb;
        match op {
            BfOp::Ubfm => field,
            BfOp::Sbfm => sign_extend(src & ones(width), width) << lsb,
            BfOp::Bfm => (dst & !(ones(width) << lsb)) | field,
        }
    };
    if sf {
        r
    } else {
        r as u32 as u64
    }
}

fn now_ns() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// CNTFRQ_EL0: the counter runs at 1 GHz (nanoseconds).
pub const CNTFRQ: u64 = 1_000_000_000;
/// CTR_EL0: 64-byte I and D cache lines, PIPT instruction cache.
pub const CTR: u64 = 0x8444_c004;
/// DCZID_EL0: DC ZVA permitted, 64-byte blocks (2^4 words).
pub const DCZID: u64 = 4;
/// DC ZVA block size in bytes.
pub const ZVA_BYTES: u64 = 64;
/// MIDR_EL1: implementer 0 (none), an otherwise neutral value.
pub const MIDR: u64 = 0x000f_0000;

// ---------------------------------------------------------------------------------------
// Execution
// ---------------------------------------------------------------------------------------

macro_rules! tr {
    ($c:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => {
                $c.exit = e;
                return Flow::Stop;
            }
        }
    };
}

#[inline(always)]
fn addr_of(c: &Ctx, addr: Addr, size: u8, pc: u64) -> (u64, Option<(Reg, u64)>) {
    match addr {
        Addr::Offset { rn, imm, .. } | Addr::Unpriv { rn, imm } => (c.xsp(rn).wrapping_add(imm as u64), None),
        Addr::Pre { rn, imm } => {
            let a = c.xsp(rn).wrapping_add(imm as u64);
            (a, Some((rn, a)))
        }
        Addr::Post { rn, imm } => {
            let a = c.xsp(rn);
            (a, Some((rn, a.wrapping_add(imm as u64))))
        }
        Addr::RegOff { rn, rm, ext, shift } => {
            let amt = if shift { size.trailing_zeros() } else { 0 };
            (c.xsp(rn).wrapping_add(extend_val(c.xz(rm), ext) << amt), None)
        }
        Addr::Literal { offset } => (pc.wrapping_add(offset as u64), None),
    }
}

/// The slow path: each variant gets its own copy of `exec` in which the compiler has folded
/// the `match` down to that variant's arm, so an instruction without a handler of its own
/// (see `lower`) runs a small function instead of dispatching through one large one.
macro_rules! handlers {
    ($($name:ident: $pat:pat,)*) => {
        $(
            fn $name(c: &mut Ctx, inst: &Inst, pc: u64) -> Flow {
                match *inst {
                    $pat => exec(c, inst, pc),
                    _ => illegal(c),
                }
            }
        )*
        fn handler(inst: &Inst) -> ExecFn {
            match inst {
                $($pat => $name,)*
                _ => crate::simd::exec,
            }
        }
    };
}

handlers! {
    h_add_sub_imm: Inst::AddSubImm { .. },
    h_logic_imm: Inst::LogicImm { .. },
    h_mov_wide: Inst::MovWide { .. },
    h_adr: Inst::Adr { .. },
    h_bitfield: Inst::Bitfield { .. },
    h_extr: Inst::Extr { .. },
    h_add_sub_shift: Inst::AddSubShift { .. },
    h_add_sub_ext: Inst::AddSubExt { .. },
    h_logic_shift: Inst::LogicShift { .. },
    h_add_sub_carry: Inst::AddSubCarry { .. },
    h_cond_cmp: Inst::CondCmp { .. },
    h_cond_sel: Inst::CondSel { .. },
    h_mul_add: Inst::MulAdd { .. },
    h_mul_add_long: Inst::MulAddLong { .. },
    h_mul_high: Inst::MulHigh { .. },
    h_div: Inst::Div { .. },
    h_shift_var: Inst::ShiftVar { .. },
    h_unary: Inst::Unary { .. },
    h_crc32: Inst::Crc32 { .. },
    h_b: Inst::B { .. },
    h_bcond: Inst::BCond { .. },
    h_br: Inst::Br { .. },
    h_cbz: Inst::Cbz { .. },
    h_tbz: Inst::Tbz { .. },
    h_mem: Inst::Mem { .. },
    h_pair: Inst::Pair { .. },
    h_excl: Inst::Excl { .. },
    h_ldapr: Inst::Ldapr { .. },
    h_mem_rcpc: Inst::MemRcpc { .. },
    h_atomic: Inst::Atomic { .. },
    h_cas: Inst::Cas { .. },
    h_casp: Inst::Casp { .. },
    h_svc: Inst::Svc { .. },
    h_brk: Inst::Brk { .. },
    h_hint: Inst::Hint { .. },
    h_barrier: Inst::Barrier { .. },
    h_mrs: Inst::Mrs { .. },
    h_msr: Inst::Msr { .. },
    h_sys: Inst::Sys { .. },
    h_illegal: Inst::Illegal { .. },
}

#[inline(always)]
fn exec(c: &mut Ctx, inst: &Inst, pc: u64) -> Flow {
    match *inst {
        Inst::AddSubImm { sf, sub, flags: false, rd, rn, imm, .. } => {
            let x = c.xsp(rn);
            let r = if sub { x.wrapping_sub(imm) } else { x.wrapping_add(imm) };
            c.set_xsp(rd, if sf { r } else { r as u32 as u64 });
        }
        Inst::AddSubImm { sf, sub, flags, rd, rn, imm, .. } => {
            let x = c.xsp(rn);
            let (r, nzcv) = if sub { add_with_carry(sf, x, !imm, true) } else { add_with_carry(sf, x, imm, false) };
            if flags {
                c.set_nzcv_bits(nzcv);
                c.set_xz(rd, r);
            } else {
                c.set_xsp(rd, r);
            }
        }
        Inst::LogicImm { sf, op, rd, rn, imm } => {
            let x = c.xz(rn);
            let r = match op {
                LogicOp::And | LogicOp::Ands => x & imm,
                LogicOp::Orr => x | imm,
                LogicOp::Eor => x ^ imm,
            };
            let r = if sf { r } else { r as u32 as u64 };
            if op == LogicOp::Ands {
                logic_flags(c, sf, r);
                c.set_xz(rd, r);
            } else {
                c.set_xsp(rd, r);
            }
        }
        Inst::MovWide { sf, op, rd, imm16, shift } => {
            let v = (imm16 as u64) << shift;
            let r = match op {
                MovOp::Z => v,
                MovOp::N => !v,
                MovOp::K => (c.xz(rd) & !(0xffffu64 << shift)) | v,
            };
            c.set_res(rd, sf, r);
        }
        Inst::Adr { page, rd, offset } => {
            let base = if page { pc & !0xfff } else { pc };
            c.set_xz(rd, base.wrapping_add(offset as u64));
        }
        Inst::Bitfield { sf, op, rd, rn, immr, imms } => {
            let r = bitfield(op, sf, c.xz(rd), c.xz(rn), immr as u32, imms as u32);
            c.set_xz(rd, r);
        }
        Inst::Extr { sf, rd, rn, rm, lsb } => {
            let (hi, lo) = (c.xz(rn), c.xz(rm));
            let r = if sf {
                if lsb == 0 {
                    lo
                } else {
                    (lo >> lsb) | (hi << (64 - lsb as u32))
                }
            } else {
                let cat = ((hi as u32 as u64) << 32) | lo as u32 as u64;
                (cat >> lsb) as u32 as u64
            };
            c.set_xz(rd, r);
        }
        Inst::AddSubShift { sf, sub, flags: false, rd, rn, rm, shift, amount } => {
            let y = shift_val(sf, c.xz(rm), shift, amount as u32);
            let x = c.xz(rn);
            c.set_res(rd, sf, if sub { x.wrapping_sub(y) } else { x.wrapping_add(y) });
        }
        Inst::AddSubShift { sf, sub, flags, rd, rn, rm, shift, amount } => {
            let y = shift_val(sf, c.xz(rm), shift, amount as u32);
            addsub(c, sf, sub, flags, rd, c.xz(rn), y);
        }
        Inst::AddSubExt { sf, sub, flags, rd, rn, rm, ext, amount } => {
            let y = extend_val(c.xz(rm), ext) << amount;
            let x = c.xsp(rn);
            let (r, nzcv) = if sub { add_with_carry(sf, x, !y, true) } else { add_with_carry(sf, x, y, false) };
            if flags {
                c.set_nzcv_bits(nzcv);
                c.set_xz(rd, r);
            } else {
                c.set_xsp(rd, r);
            }
        }
        Inst::LogicShift { sf, op, not, rd, rn, rm, shift, amount } => {
            let mut y = shift_val(sf, c.xz(rm), shift, amount as u32);
            if not {
                y = !y;
            }
            let x = c.xz(rn);
            let r = match op {
                LogicOp::And | LogicOp::Ands => x & y,
                LogicOp::Orr => x | y,
                LogicOp::Eor => x ^ y,
            };
            let r = if sf { r } else { r as u32 as u64 };
            if op == LogicOp::Ands {
                logic_flags(c, sf, r);
            }
            c.set_xz(rd, r);
        }
        Inst::AddSubCarry { sf, sub, flags, rd, rn, rm } => {
            let carry = c.s.nzcv >> 29 & 1 != 0;
            let y = if sub { !c.xz(rm) } else { c.xz(rm) };
            let (r, nzcv) = add_with_carry(sf, c.xz(rn), y, carry);
            if flags {
                c.set_nzcv_bits(nzcv);
            }
            c.set_xz(rd, r);
        }
        Inst::CondCmp { sf, neg, rn, rm, imm, nzcv, cond } => {
            if cond_holds(c.s.nzcv, cond) {
                let y = imm.map_or_else(|| c.xz(rm), |i| i as u64);
                let x = c.xz(rn);
                let (_, f) = if neg { add_with_carry(sf, x, y, false) } else { add_with_carry(sf, x, !y, true) };
                c.set_nzcv_bits(f);
            } else {
                c.set_nzcv_bits(nzcv);
            }
        }
        Inst::CondSel { sf, op, rd, rn, rm, cond } => {
            let r = if cond_holds(c.s.nzcv, cond) {
                c.xz(rn)
            } else {
                let m = c.xz(rm);
                match op {
                    SelOp::Csel => m,
                    SelOp::Csinc => m.wrapping_add(1),
                    SelOp::Csinv => !m,
                    SelOp::Csneg => m.wrapping_neg(),
                }
            };
            c.set_res(rd, sf, r);
        }
        Inst::MulAdd { sf, sub, rd, rn, rm, ra } => {
            let p = c.xz(rn).wrapping_mul(c.xz(rm));
            let a = c.xz(ra);
            c.set_res(rd, sf, if sub { a.wrapping_sub(p) } else { a.wrapping_add(p) });
        }
        Inst::MulAddLong { signed, sub, rd, rn, rm, ra } => {
            let (n, m) = (c.xz(rn), c.xz(rm));
            let p = if signed {
                (n as i32 as i64).wrapping_mul(m as i32 as i64) as u64
            } else {
                (n as u32 as u64).wrapping_mul(m as u32 as u64)
            };
            let a = c.xz(ra);
            c.set_xz(rd, if sub { a.wrapping_sub(p) } else { a.wrapping_add(p) });
        }
        Inst::MulHigh { signed, rd, rn, rm } => {
            let (n, m) = (c.xz(rn), c.xz(rm));
            let r = if signed {
                ((n as i64 as i128 * m as i64 as i128) >> 64) as u64
            } else {
                ((n as u128 * m as u128) >> 64) as u64
            };
            c.set_xz(rd, r);
        }
        Inst::Div { sf, signed, rd, rn, rm } => {
            let (n, m) = (c.xz(rn), c.xz(rm));
            let r = match (sf, signed) {
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
            c.set_res(rd, sf, r);
        }
        Inst::ShiftVar { sf, shift, rd, rn, rm } => {
            let r = shift_val(sf, c.xz(rn), shift, c.xz(rm) as u32);
            c.set_res(rd, sf, r);
        }
        Inst::Crc32 { c: castagnoli, size, rd, rn, rm } => {
            let r = crc32(castagnoli, c.xz(rn) as u32, c.xz(rm), size);
            c.set_xz(rd, r as u64);
        }
        Inst::Unary { sf, op, rd, rn } => {
            let x = c.xz(rn);
            let r = if sf {
                match op {
                    UnaryOp::Rbit => x.reverse_bits(),
                    UnaryOp::Rev16 => {
                        ((x >> 8) & 0x00ff_00ff_00ff_00ff) | ((x & 0x00ff_00ff_00ff_00ff) << 8)
                    }
                    UnaryOp::Rev32 => {
                        let lo = (x as u32).swap_bytes() as u64;
                        let hi = ((x >> 32) as u32).swap_bytes() as u64;
                        (hi << 32) | lo
                    }
                    UnaryOp::Rev => x.swap_bytes(),
                    UnaryOp::Clz => x.leading_zeros() as u64,
                    UnaryOp::Cls => ((x ^ (x << 1)) | 1).leading_zeros() as u64,
                }
            } else {
                let x = x as u32;
                (match op {
                    UnaryOp::Rbit => x.reverse_bits(),
                    UnaryOp::Rev16 => ((x >> 8) & 0x00ff_00ff) | ((x & 0x00ff_00ff) << 8),
                    UnaryOp::Rev32 | UnaryOp::Rev => x.swap_bytes(),
                    UnaryOp::Clz => x.leading_zeros(),
                    UnaryOp::Cls => ((x ^ (x << 1)) | 1).leading_zeros(),
                }) as u64
            };
            c.set_xz(rd, r);
        }

        // Branches.
        Inst::B { link, offset } => {
            if link {
                c.s.x[30] = pc.wrapping_add(4);
            }
            return Flow::Jump(pc.wrapping_add(offset as u64));
        }
        Inst::BCond { cond, offset } => {
            if cond_holds(c.s.nzcv, cond) {
                return Flow::Jump(pc.wrapping_add(offset as u64));
            }
            return Flow::Jump(pc.wrapping_add(4));
        }
        Inst::Br { kind, rn } => {
            let t = c.xz(rn);
            if kind == BrKind::Blr {
                c.s.x[30] = pc.wrapping_add(4);
            }
            return Flow::Jump(t);
        }
        Inst::Cbz { sf, nz, rt, offset } => {
            let v = if sf { c.xz(rt) } else { c.xz(rt) as u32 as u64 };
            let taken = (v != 0) == nz;
            return Flow::Jump(if taken { pc.wrapping_add(offset as u64) } else { pc.wrapping_add(4) });
        }
        Inst::Tbz { nz, rt, bit, offset } => {
            let set = c.xz(rt) >> bit & 1 != 0;
            return Flow::Jump(if set == nz { pc.wrapping_add(offset as u64) } else { pc.wrapping_add(4) });
        }

        // Loads and stores.
        Inst::Mem { kind, size, rt, addr } => {
            let (a, wb) = addr_of(c, addr, size, pc);
            match kind {
                MemKind::Str => tr!(c, c.store(a, size, c.xz(rt))),
                MemKind::Ldr => {
                    let v = tr!(c, c.load(a, size));
                    c.set_xz(rt, v);
                }
                MemKind::Ldrs { x64 } => {
                    let v = sign_extend(tr!(c, c.load(a, size)), size as u32 * 8);
                    c.set_xz(rt, if x64 { v } else { v as u32 as u64 });
                }
                MemKind::StrV => tr!(c, c.store_v(a, size, c.vr(VReg(rt.0)))),
                MemKind::LdrV => {
                    let v = tr!(c, c.load_v(a, size));
                    c.set_v(VReg(rt.0), v);
                }
                MemKind::Prfm => {}
            }
            if let Some((rn, v)) = wb {
                c.set_xsp(rn, v);
            }
        }
        Inst::Pair { load, fp, signed, size, rt, rt2, addr, .. } => {
            let (a, wb) = addr_of(c, addr, size, pc);
            let a2 = a.wrapping_add(size as u64);
            if fp {
                let (t1, t2) = (VReg(rt.0), VReg(rt2.0));
                if load {
                    let v1 = tr!(c, c.load_v(a, size));
                    let v2 = tr!(c, c.load_v(a2, size));
                    c.set_v(t1, v1);
                    c.set_v(t2, v2);
                } else {
                    tr!(c, c.store_v(a, size, c.vr(t1)));
                    tr!(c, c.store_v(a2, size, c.vr(t2)));
                }
            } else if load {
                let mut v1 = tr!(c, c.load(a, size));
                let mut v2 = tr!(c, c.load(a2, size));
                if signed {
                    v1 = sign_extend(v1, 32);
                    v2 = sign_extend(v2, 32);
                }
                c.set_xz(rt, v1);
                c.set_xz(rt2, v2);
            } else {
                tr!(c, c.store(a, size, c.xz(rt)));
                tr!(c, c.store(a2, size, c.xz(rt2)));
            }
            if let Some((rn, v)) = wb {
                c.set_xsp(rn, v);
            }
        }
        Inst::Excl { load, excl, pair, size, rs, rt, rt2, rn, .. } => {
            tr!(c, exclusive(c, load, excl, pair, size, rs, rt, rt2, rn));
        }
        Inst::MemRcpc { kind, size, rt, rn, imm } => {
            // Acquire loads and release stores, single-copy atomic (so aligned).
            let a = c.xsp(rn).wrapping_add(imm as u64);
            let p = tr!(c, c.atomic_ptr(a, size as u64));
            match kind {
                MemKind::Str => {
                    atomic_rmw(p, size, AtomicOp::Swp, c.xz(rt));
                }
                MemKind::Ldrs { x64 } => {
                    let v = sign_extend(atomic_load(p, size), size as u32 * 8);
                    c.set_xz(rt, if x64 { v } else { v as u32 as u64 });
                }
                _ => {
                    let v = atomic_load(p, size);
                    c.set_xz(rt, v);
                }
            }
        }
        Inst::Ldapr { size, rt, rn } => {
            let a = c.xsp(rn);
            let p = tr!(c, c.atomic_ptr(a, size as u64));
            let v = atomic_load(p, size);
            c.set_xz(rt, v);
        }
        Inst::Atomic { op, size, rs, rt, rn, .. } => {
            let a = c.xsp(rn);
            let p = tr!(c, c.atomic_ptr(a, size as u64));
            let old = atomic_rmw(p, size, op, c.xz(rs));
            c.set_xz(rt, old);
        }
        Inst::Cas { size, rs, rt, rn, .. } => {
            let a = c.xsp(rn);
            let p = tr!(c, c.atomic_ptr(a, size as u64));
            let old = atomic_cas(p, size, c.xz(rs), c.xz(rt));
            c.set_xz(rs, old);
        }

        Inst::Casp { size, rs, rt, rn, .. } => {
            let a = c.xsp(rn);
            let p = tr!(c, c.atomic_ptr(a, 2 * size as u64));
            let (s1, t1) = (Reg(rs.0 + 1), Reg(rt.0 + 1));
            if size == 8 {
                let expected = c.xz(rs) as u128 | (c.xz(s1) as u128) << 64;
                let new = c.xz(rt) as u128 | (c.xz(t1) as u128) << 64;
                // Compare and swap as one atomic step: retry while memory holds the
                // expected value but changed between the read and the swap.
                let old = loop {
                    let now = read128(p);
                    if now != expected || cas128(p, expected, new) {
                        break now;
                    }
                };
                c.set_xz(rs, old as u64);
                c.set_xz(s1, (old >> 64) as u64);
            } else {
                let expected = c.xz(rs) as u32 as u64 | c.xz(s1) << 32;
                let new = c.xz(rt) as u32 as u64 | c.xz(t1) << 32;
                let old = atomic_cas(p, 8, expected, new);
                c.set_xz(rs, old as u32 as u64);
                c.set_xz(s1, old >> 32);
            }
        }

        // System.
        Inst::Svc { .. } => {
            c.s.pc = pc.wrapping_add(4);
            c.s.instret += 1;
            c.exit = Exit::Syscall;
            return Flow::Stop;
        }
        Inst::Brk { .. } => {
            c.exit = Exit::Breakpoint;
            return Flow::Stop;
        }
        Inst::Hint { .. } => {}
        Inst::Barrier { kind, .. } => match kind {
            Barrier::Clrex => c.s.excl_size = 0,
            _ => std::sync::atomic::fence(Ordering::SeqCst),
        },
        Inst::Mrs { rt, reg } => {
            let v = match reg {
                sysreg::NZCV => c.s.nzcv,
                sysreg::FPCR => c.s.fpcr,
                sysreg::FPSR => c.s.fpsr,
                sysreg::TPIDR_EL0 => c.s.tpidr,
                sysreg::TPIDRRO_EL0 => 0,
                sysreg::CNTFRQ_EL0 => CNTFRQ,
                sysreg::CNTVCT_EL0 => now_ns(),
                sysreg::CTR_EL0 => CTR,
                sysreg::DCZID_EL0 => DCZID,
                sysreg::MIDR_EL1 => MIDR,
                sysreg::MPIDR_EL1 => 0x8000_0000,
                sysreg::REVIDR_EL1 => 0,
                r if sysreg::is_id_aa64(r) => id_reg(r),
                _ => return illegal(c),
            };
            c.set_xz(rt, v);
        }
        Inst::Msr { rt, reg } => {
            let v = c.xz(rt);
            match reg {
                sysreg::NZCV => c.s.nzcv = v & 0xf000_0000,
                sysreg::FPCR => c.s.fpcr = v & 0x07ff_ff00,
                sysreg::FPSR => c.s.fpsr = v & 0xf800_009f,
                sysreg::TPIDR_EL0 => c.s.tpidr = v,
                _ => return illegal(c),
            }
        }
        Inst::Sys { op1, crn, crm, op2, rt } => {
            match (op1, crn, crm, op2) {
                // DC ZVA
                (3, 7, 4, 1) => {
                    let a = c.xz(rt) & !(ZVA_BYTES - 1);
                    let p = tr!(c, c.host(a, ZVA_BYTES, Access::Write));
                    // SAFETY: in the region (checked); a permission fault is caught.
                    unsafe { std::ptr::write_bytes(p, 0, ZVA_BYTES as usize) };
                }
                // IC IVAU: the guest changed code; drop the block cache.
                (3, 7, 5, 1) => {
                    c.s.pc = pc.wrapping_add(4);
                    c.s.instret += 1;
                    c.exit = Exit::CodeFlushed;
                    return Flow::Stop;
                }
                // DC CVAU, CVAC, CVAP, CVADP, CIVAC; IC IALLU(IS): nothing to do.
                (3, 7, 11, 1) | (3, 7, 10, 1) | (3, 7, 12, 1) | (3, 7, 13, 1) | (3, 7, 14, 1) | (0, 7, 5, 0) | (0, 7, 1, 0) => {}
                _ => return illegal(c),
            }
        }

        Inst::Illegal { .. } => return illegal(c),
        _ => return crate::simd::exec(c, inst, pc),
    }
    Flow::Next
}

/// The disassembly of `word` for messages: an encoding remu knows to be valid but does not
/// implement yet (see [`crate::unimplemented`]) is named as such.
pub fn describe_word(word: u32, pc: u64) -> String {
    if let Inst::Illegal { .. } = crate::decode(word) {
        if let Some(name) = crate::unimplemented::lookup(word) {
            return format!("{name}: valid but not implemented in remu");
        }
    }
    crate::disasm::disassemble(word, pc)
}

pub(crate) fn illegal(c: &mut Ctx) -> Flow {
    // The word is read back from the pc (it was just fetched from there).
    let raw = c.load(c.s.pc, 4).unwrap_or(0) as u32;
    c.exit = Exit::Illegal { raw, len: 4 };
    Flow::Stop
}

/// CRC32/CRC32C: the accumulator updated with the low `size` bytes of `data`, bit-reflected
/// (least significant bit first) with no inversion, as the Arm ARM's CRC32 pseudocode.
pub fn crc32(castagnoli: bool, acc: u32, data: u64, size: u8) -> u32 {
    // The reflected polynomials 0x04C11DB7 and 0x1EDC6F41.
    let poly: u32 = if castagnoli { 0x82F6_3B78 } else { 0xEDB8_8320 };
    let mut crc = acc;
    for i in 0..size as u32 {
        crc ^= ((data >> (8 * i)) & 0xff) as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (poly & (crc & 1).wrapping_neg());
        }
    }
    crc
}

fn logic_flags(c: &mut Ctx, sf: bool, r: u64) {
    let n = if sf { r >> 63 } else { r >> 31 & 1 } != 0;
    c.set_nzcv(n, r == 0, false, false);
}

#[allow(clippy::too_many_arguments)]
fn addsub(c: &mut Ctx, sf: bool, sub: bool, flags: bool, rd: Reg, x: u64, y: u64) {
    let (r, nzcv) = if sub { add_with_carry(sf, x, !y, true) } else { add_with_carry(sf, x, y, false) };
    if flags {
        c.set_nzcv_bits(nzcv);
    }
    c.set_xz(rd, r);
}

/// ID_AA64* values consistent with the HWCAPs remu advertises (see `abi.rs`).
pub(crate) fn id_reg(r: u16) -> u64 {
    let (_, _, _, crm, op2) = sysreg::fields(r);
    match (crm, op2) {
        // ID_AA64PFR0_EL1: EL0/EL1 AArch64 only; FP and AdvSIMD with half precision (1).
        (4, 0) => 0x11 | (1 << 16) | (1 << 20),
        // ID_AA64ISAR0_EL1: FHM = 1, DP = 1, SM4 = 1, SM3 = 1, SHA3 = 1, RDM = 1,
        // TS = 2 (FlagM, FlagM2), atomics (LSE) = 2, CRC32 = 1, SHA2 = 2 (SHA512 too),
        // SHA1 = 1, AES = 2 (with PMULL).
        (6, 0) => {
            (1 << 48) | (1 << 44) | (1 << 40) | (1 << 36) | (1 << 32) | (1 << 28) | (2 << 52) | (2 << 20) | (1 << 16) | (2 << 12) | (1 << 8) | (2 << 4)
        }
        // ID_AA64ISAR1_EL1: I8MM = 1, BF16 = 1, FRINTTS = 1, LRCPC = 2 (LDAPR and
        // LDAPUR/STLUR), FCMA = 1, JSCVT = 1, DPB = 1 (DC CVAP).
        (6, 1) => (1 << 52) | (1 << 44) | (1 << 32) | (2 << 20) | (1 << 16) | (1 << 12) | 1,
        _ => 0,
    }
}

fn atomic_load(p: *mut u8, size: u8) -> u64 {
    const SC: Ordering = Ordering::SeqCst;
    // SAFETY: `p` is aligned for `size` and in the region (checked by `atomic_ptr`).
    unsafe {
        match size {
            1 => AtomicU8::from_ptr(p).load(SC) as u64,
            2 => AtomicU16::from_ptr(p.cast()).load(SC) as u64,
            4 => AtomicU32::from_ptr(p.cast()).load(SC) as u64,
            _ => AtomicU64::from_ptr(p.cast()).load(SC),
        }
    }
}

macro_rules! rmw {
    ($at:ty, $t:ty, $st:ty, $p:expr, $op:expr, $v:expr) => {{
        // SAFETY: `p` is aligned and in the region (checked by `atomic_ptr`).
        let a = unsafe { <$at>::from_ptr($p.cast()) };
        let v = $v as $t;
        const SC: Ordering = Ordering::SeqCst;
        (match $op {
            AtomicOp::Add => a.fetch_add(v, SC),
            AtomicOp::Clr => a.fetch_and(!v, SC),
            AtomicOp::Eor => a.fetch_xor(v, SC),
            AtomicOp::Set => a.fetch_or(v, SC),
            AtomicOp::Umax => a.fetch_max(v, SC),
            AtomicOp::Umin => a.fetch_min(v, SC),
            AtomicOp::Swp => a.swap(v, SC),
            AtomicOp::Smax => a.fetch_update(SC, SC, |o| Some(((o as $st).max(v as $st)) as $t)).unwrap_or(0),
            AtomicOp::Smin => a.fetch_update(SC, SC, |o| Some(((o as $st).min(v as $st)) as $t)).unwrap_or(0),
        }) as u64
    }};
}

fn atomic_rmw(p: *mut u8, size: u8, op: AtomicOp, v: u64) -> u64 {
    match size {
        1 => rmw!(AtomicU8, u8, i8, p, op, v),
        2 => rmw!(AtomicU16, u16, i16, p, op, v),
        4 => rmw!(AtomicU32, u32, i32, p, op, v),
        _ => rmw!(AtomicU64, u64, i64, p, op, v),
    }
}

fn atomic_cas(p: *mut u8, size: u8, expected: u64, new: u64) -> u64 {
    const SC: Ordering = Ordering::SeqCst;
    // SAFETY: `p` is aligned and in the region (checked by `atomic_ptr`).
    unsafe {
        match size {
            1 => AtomicU8::from_ptr(p).compare_exchange(expected as u8, new as u8, SC, SC).unwrap_or_else(|x| x) as u64,
            2 => AtomicU16::from_ptr(p.cast())
                .compare_exchange(expected as u16, new as u16, SC, SC)
                .unwrap_or_else(|x| x) as u64,
            4 => AtomicU32::from_ptr(p.cast())
                .compare_exchange(expected as u32, new as u32, SC, SC)
                .unwrap_or_else(|x| x) as u64,
            _ => AtomicU64::from_ptr(p.cast()).compare_exchange(expected, new, SC, SC).unwrap_or_else(|x| x),
        }
    }
}

/// A 16-byte compare-and-swap (`lock cmpxchg16b`); returns whether it stored.
fn cas128(p: *mut u8, expected: u128, new: u128) -> bool {
    let ok: u8;
    // SAFETY: `p` is 16-byte aligned and inside the region (checked by the caller);
    // cmpxchg16b is part of x86-64-v2 and present on every host remu supports. rbx is
    // reserved by LLVM, so the new value's low half is swapped in and out around the
    // instruction; every operand is in an explicit register so none can be rbx.
    unsafe {
        std::arch::asm!(
            "xchg rsi, rbx",
            "lock cmpxchg16b [rdi]",
            "sete r8b",
            "xchg rsi, rbx",
            in("rdi") p,
            inout("rsi") new as u64 => _,
            out("r8b") ok,
            in("rcx") (new >> 64) as u64,
            inout("rax") expected as u64 => _,
            inout("rdx") (expected >> 64) as u64 => _,
            options(nostack),
        );
    }
    ok != 0
}

/// Load/store exclusive and load-acquire/store-release. The monitor remembers the address
/// and the value loaded; a store exclusive succeeds if memory still holds that value
/// (compare-and-swap), which is how other host threads see it.
#[allow(clippy::too_many_arguments)]
fn exclusive(c: &mut Ctx, load: bool, excl: bool, pair: bool, size: u8, rs: Reg, rt: Reg, rt2: Reg, rn: Reg) -> Result<(), Exit> {
    let a = c.xsp(rn);
    let total = if pair { size as u64 * 2 } else { size as u64 };
    let p = c.atomic_ptr(a, total)?;
    if load {
        if pair && size == 8 {
            // A 16-byte atomic read: a CAS of 0 with 0 either fails (reading the value) or
            // stores the 0 that was there.
            let v = read128(p);
            c.set_xz(rt, v as u64);
            c.set_xz(rt2, (v >> 64) as u64);
            if excl {
                c.s.excl_val = v;
            }
        } else {
            let v = atomic_load(p, total as u8);
            if pair {
                c.set_xz(rt, v as u32 as u64);
                c.set_xz(rt2, v >> 32);
            } else {
                c.set_xz(rt, v);
            }
            if excl {
                c.s.excl_val = v as u128;
            }
        }
        if excl {
            c.s.excl_addr = a;
            c.s.excl_size = total;
        }
        return Ok(());
    }
    if !excl {
        // STLR: a release store.
        let v = c.xz(rt);
        std::sync::atomic::fence(Ordering::SeqCst);
        c.store(a, size, v)?;
        std::sync::atomic::fence(Ordering::SeqCst);
        return Ok(());
    }
    let held = c.s.excl_size == total && c.s.excl_addr == a;
    c.s.excl_size = 0;
    let ok = held && {
        let old = c.s.excl_val;
        if pair && size == 8 {
            let new = c.xz(rt) as u128 | (c.xz(rt2) as u128) << 64;
            cas128(p, old, new)
        } else {
            let new = if pair { c.xz(rt) as u32 as u64 | c.xz(rt2) << 32 } else { c.xz(rt) };
            atomic_cas(p, total as u8, old as u64, new) == old as u64 && {
                // atomic_cas returns the old value; equal means it stored.
                true
            }
        }
    };
    c.set_xz(rs, !ok as u64);
    Ok(())
}

fn read128(p: *mut u8) -> u128 {
    let mut v = 0u128;
    loop {
        if cas128(p, v, v) {
            return v;
        }
        // SAFETY: as for cas128; a plain read to guess the current value, retried until
        // the CAS confirms it.
        v = unsafe { (p as *const u128).read_volatile() };
        if cas128(p, v, v) {
            return v;
        }
    }
}

#[cfg(test)]
mod tests;
