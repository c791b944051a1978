//! The RISC-V interpreter: guest state, a cache of decoded blocks, and the [`Cpu`] impl.
//!
//! A block (straight-line code up to a control transfer, a system instruction or 64
//! instructions) is decoded once and lowered to compact [`Op`]s, each carrying its
//! handler function and operands (some common pairs fused into one op, see [`fuse`]: an
//! ALU op with a branch, an ALU op or a load/store after it, a load with a branch; and
//! runs of three common ALU ops, see `fuse_triple`). A fused op that touches memory
//! keeps the memory instruction's pc and count, so a fault in it stays exact.
//!
//! Dispatch is threaded: each handler ends by calling the next op's handler in tail
//! position, which the optimiser turns into an indirect jump; the op ending a block
//! settles instret for the block and continues through its chain links (the successor
//! blocks' first ops, taken and not-taken, filled in by the run loop on first use; an
//! indirect jump keeps a one-entry inline cache). Every CHAIN_BUDGET instructions, and on
//! any exit or chain miss, control returns to the run loop, which bounds the stack even
//! where tail calls stay calls. Chain links point into the block cache, which is only
//! cleared (fence.i, code epoch change, `flush_code`) outside block execution.
//!
//! The guest pc is only written when leaving the run loop. A memory op records itself in
//! `Ctx::cur` before touching guest memory, so a host fault reports the exact
//! instruction's pc, and instret counts exactly the instructions before it.

use std::cell::Cell;
use std::collections::HashMap;
use std::ptr::NonNull;
use std::sync::atomic::{compiler_fence, AtomicI32, AtomicI64, AtomicU32, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use remu_core::fault::guarded;
use remu_core::{Access, Cpu, Exit, GuestMemory, Registers};

use crate::decode::decode;
use crate::fpu;
use crate::insn::*;

/// Guest-visible state, laid out for a JIT to address fields by offset.
#[repr(C)]
#[derive(Clone, Debug)]
pub struct State {
    /// x0..x31; x0 is always zero between instructions.
    pub x: [u64; 32],
    /// f0..f31 (singles NaN-boxed in the low 32 bits).
    pub f: [u64; 32],
    pub pc: u64,
    /// fcsr.fflags (accrued exception flags, 5 bits).
    pub fflags: u32,
    /// fcsr.frm (dynamic rounding mode, 3 bits).
    pub frm: u32,
    /// LR/SC reservation: address, value loaded, and whether it is held (0/1).
    pub res_addr: u64,
    pub res_val: u64,
    pub res_valid: u64,
    /// Retired instructions (settled when a block ends, and exactly when it stops early:
    /// an exit, a fault or an illegal instruction counts only the instructions before it).
    pub instret: u64,
    /// Host address of guest address 0, and the guest address space size (run-time
    /// context for memory ops, set on each `run`).
    pub base: *mut u8,
    pub size: u64,
}

impl Default for State {
    fn default() -> Self {
        State {
            x: [0; 32],
            f: [0; 32],
            pc: 0,
            fflags: 0,
            frm: 0,
            res_addr: 0,
            res_val: 0,
            res_valid: 0,
            instret: 0,
            base: std::ptr::null_mut(),
            size: 0,
        }
    }
}

/// An op handler: returns the next op to run, or [`EXIT`] to leave the run loop (with the
/// exit stored in [`Ctx::exit`], or a chain miss recorded in [`Ctx::miss`]).
type Handler = fn(&mut Ctx, &Op) -> Next;
/// The next op to run; [`EXIT`] (null) leaves the run loop.
type Next = *const Op;
const EXIT: Next = std::ptr::null();

/// Chain link slots of a block's last op: the taken edge (or the only successor) and the
/// not-taken edge of a conditional branch. Indirect jumps use both slots as a one-entry
/// inline cache (see [`goto_indirect`]).
const TAKEN: usize = 0;
const NOT_TAKEN: usize = 1;
const INDIRECT: u8 = 2;
/// The inline-cache tag of an empty indirect jump cache: odd, so no target matches it.
const NO_TARGET: usize = usize::MAX;

/// Machine state plus the pending exit; what handlers work on.
pub struct Ctx {
    pub s: State,
    exit: Exit,
    /// After a chain miss (a block-ending op whose link is not filled in): the op, and which
    /// link to fill in (TAKEN, NOT_TAKEN or INDIRECT); null for an ordinary exit.
    miss: *const Op,
    edge: u8,
    /// The memory op last about to touch guest memory: if the access faults on the host,
    /// `run` takes the pc (and the instructions retired in the block) from it.
    cur: *const Op,
    /// `s.size - 8`: guest addresses up to it take the fast path of the bounds check.
    lim8: u64,
    /// instret at which chained blocks return to the run loop (see [`enter`]).
    limit: u64,
}

/// One lowered instruction.
#[repr(C)]
pub struct Op {
    h: Handler,
    /// The instruction's guest pc.
    pc: u64,
    /// Immediate, absolute branch target, or raw bits (for ops that may raise illegal).
    imm: i64,
    rd: u8,
    rs1: u8,
    rs2: u8,
    rs3: u8,
    rm: u8,
    len: u8,
    /// 1-based index of the op's instruction in its block: at the block's last op, the
    /// number of instructions in the block. instret is settled from it when the block ends
    /// (or stops early).
    n: u16,
    /// A second immediate, and the second op's registers, for fused ops (see [`fuse`]).
    imm2: i32,
    ra: u8,
    rb: u8,
    rc: u8,
    /// The third op's rd, for fused ALU triples (rs1 and rs2 hold its operands).
    rx: u8,
    /// Chain links of a block-ending op (see [`TAKEN`]): the successor blocks' first ops,
    /// filled in by the dispatcher on first use.
    link: [Cell<Next>; 2],
}

/// A block's ops, at a fixed heap address for as long as the cache holds it (chain links
/// point into it).
struct Block(NonNull<[Op]>);

impl Block {
    fn new(ops: Vec<Op>) -> Block {
        Block(NonNull::from(Box::leak(ops.into_boxed_slice())))
    }
    fn first(&self) -> Next {
        self.0.as_ptr() as *const Op
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        // SAFETY: made by `Box::leak` in `new`, and dropped once.
        drop(unsafe { Box::from_raw(self.0.as_ptr()) });
    }
}

const SLOTS: usize = 1 << 14;
const MAX_BLOCK: usize = 64;

/// Decoded blocks by guest pc: a direct-mapped table in front of a hash map. Dropping a
/// block invalidates every chain link, so blocks are only dropped all at once, by `clear`,
/// which runs outside block execution.
struct BlockCache {
    slots: Box<[(u64, Next)]>,
    blocks: Vec<Block>,
    map: HashMap<u64, u32>,
}

impl BlockCache {
    fn new() -> Self {
        BlockCache { slots: vec![(1, EXIT); SLOTS].into_boxed_slice(), blocks: Vec::new(), map: HashMap::new() }
    }
    fn clear(&mut self) {
        self.slots.fill((1, EXIT));
        self.blocks.clear();
        self.map.clear();
    }
    #[inline(always)]
    fn slot(pc: u64) -> usize {
        ((pc >> 1) as usize) & (SLOTS - 1)
    }
    /// The first op of the block at `pc`, decoding it on first use.
    #[inline]
    fn lookup(&mut self, mem: &GuestMemory, pc: u64) -> Result<Next, Exit> {
        let slot = BlockCache::slot(pc);
        let (tag, first) = self.slots[slot];
        // An empty slot holds (1, EXIT): the null op tells it from a block at pc 1.
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
                let b = build_block(mem, pc)?;
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
    /// The guest pc of the block whose first op is `op` (a block's first op may be a fused
    /// op carrying a later instruction's pc). A linear search: only signal interrupts
    /// between chained blocks need it.
    fn block_pc(&self, op: Next) -> Option<u64> {
        self.map.iter().find(|(_, &i)| self.blocks[i as usize].first() == op).map(|(&pc, _)| pc)
    }
}

/// A RISC-V hart: state plus its block cache.
pub struct RiscvCpu {
    ctx: Ctx,
    cache: BlockCache,
    epoch: u64,
}

// SAFETY: `State::base` is a pointer into the shared guest region, which is Send + Sync
// (see GuestMemory); the other raw pointers point into this CPU's own block cache, which
// moves with it; nothing is thread-bound.
unsafe impl Send for RiscvCpu {}

impl RiscvCpu {
    pub fn new(entry: u64) -> RiscvCpu {
        let s = State { pc: entry, ..State::default() };
        RiscvCpu { ctx: Ctx::new(s), cache: BlockCache::new(), epoch: u64::MAX }
    }
    pub fn state(&self) -> &State {
        &self.ctx.s
    }
    pub fn state_mut(&mut self) -> &mut State {
        &mut self.ctx.s
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
                ctx.limit = ctx.s.instret.saturating_add(CHAIN_BUDGET);
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
            if ctx.edge == INDIRECT {
                from.link[0].set(std::ptr::without_provenance(pc as usize));
                from.link[1].set(op);
            } else {
                from.link[ctx.edge as usize].set(op);
            }
        }
    }
}

impl Ctx {
    fn new(s: State) -> Ctx {
        Ctx { s, exit: Exit::CodeFlushed, miss: EXIT, edge: 0, cur: EXIT, limit: 0, lim8: 0 }
    }
}

impl Cpu for RiscvCpu {
    fn run(&mut self, mem: &GuestMemory) -> Exit {
        let epoch = mem.code_epoch();
        if epoch != self.epoch {
            self.cache.clear();
            self.epoch = epoch;
        }
        self.ctx.s.base = mem.base();
        self.ctx.s.size = mem.size();
        self.ctx.lim8 = mem.size().saturating_sub(8);
        let exit = match guarded(mem.base(), mem.size(), || self.run_loop(mem)) {
            Ok(e) => e,
            Err(f) => {
                // A memory op faulted on the host: it recorded itself in `cur` first.
                // SAFETY: `cur` points into the cache, which is not cleared before this.
                if let Some(o) = unsafe { self.ctx.cur.as_ref() } {
                    self.ctx.s.pc = o.pc;
                    self.ctx.s.instret = self.ctx.s.instret.wrapping_add(o.n as u64 - 1);
                }
                if f.bus {
                    Exit::BusError { addr: f.addr }
                } else {
                    Exit::Fault { addr: f.addr, access: f.access }
                }
            }
        };
        if exit == Exit::CodeFlushed {
            self.cache.clear();
        }
        exit
    }
    fn syscall_args(&self) -> (u64, [u64; 6]) {
        let x = &self.ctx.s.x;
        (x[17], [x[10], x[11], x[12], x[13], x[14], x[15]])
    }
    fn set_syscall_result(&mut self, value: u64) {
        self.ctx.s.x[10] = value;
    }
    fn pc(&self) -> u64 {
        self.ctx.s.pc
    }
    fn set_pc(&mut self, pc: u64) {
        self.ctx.s.pc = pc;
    }
    fn sp(&self) -> u64 {
        self.ctx.s.x[2]
    }
    fn set_sp(&mut self, sp: u64) {
        self.ctx.s.x[2] = sp;
    }
    fn set_tls(&mut self, tp: u64) {
        self.ctx.s.x[4] = tp;
    }
    fn flush_code(&mut self, _start: u64, _end: u64) {
        self.cache.clear();
    }
    fn disassemble_at(&self, mem: &GuestMemory, pc: u64) -> Option<String> {
        let (word, _) = fetch(mem, pc).ok()?;
        Some(crate::disasm::disassemble(word))
    }
    fn instructions_retired(&self) -> u64 {
        self.ctx.s.instret
    }
    fn registers(&self) -> Registers {
        let s = &self.ctx.s;
        let mut v = [0u128; 32];
        for (d, f) in v.iter_mut().zip(s.f) {
            *d = f as u128;
        }
        Registers { pc: s.pc, x: s.x, v, fp_control: ((s.frm << 5) | s.fflags) as u64, fp_status: 0, flags: 0 }
    }
    fn set_registers(&mut self, r: &Registers) {
        let s = &mut self.ctx.s;
        s.pc = r.pc;
        s.x = r.x;
        s.x[0] = 0;
        for (f, v) in s.f.iter_mut().zip(r.v) {
            *f = v as u64;
        }
        s.fflags = (r.fp_control & 0x1f) as u32;
        s.frm = ((r.fp_control >> 5) & 7) as u32;
        s.res_valid = 0;
    }
    fn boxed_clone(&self) -> Box<dyn Cpu> {
        let mut s = self.ctx.s.clone();
        s.res_valid = 0;
        Box::new(RiscvCpu { ctx: Ctx::new(s), cache: BlockCache::new(), epoch: u64::MAX })
    }
}

/// Reads the instruction at `pc` with execute permission checks: (bits, length). A 32-bit
/// instruction may straddle a page boundary; each half is checked.
pub fn fetch(mem: &GuestMemory, pc: u64) -> Result<(u32, u8), Exit> {
    let fault = |addr| Exit::Fault { addr, access: Access::Execute };
    mem.check(pc, 2, Access::Execute).map_err(|f| fault(f.addr))?;
    let lo = mem.read_u16(pc).map_err(|f| fault(f.addr))?;
    if lo & 3 != 3 {
        return Ok((lo as u32, 2));
    }
    let hi_addr = pc.wrapping_add(2);
    mem.check(hi_addr, 2, Access::Execute).map_err(|f| fault(f.addr))?;
    let hi = mem.read_u16(hi_addr).map_err(|f| fault(f.addr))?;
    Ok((lo as u32 | (hi as u32) << 16, 4))
}

fn build_block(mem: &GuestMemory, start: u64) -> Result<Block, Exit> {
    let mut ops = Vec::with_capacity(16);
    let mut pc = start;
    let mut count = 0u16;
    // The previous instruction and the index of its first op.
    let mut prev: Option<(Inst, usize)> = None;
    // The ALU ops (F_*) of an ALU pair that is the last op so far.
    let mut pair: Option<(u8, u8)> = None;
    loop {
        let (word, len) = match fetch(mem, pc) {
            Ok(v) => v,
            // Fault at the block's first instruction: report it; otherwise end the block
            // here and fault when execution gets there.
            Err(e) if count == 0 => return Err(e),
            Err(_) => {
                ops.push(op(fallthrough, pc, 0, 0, 0, 0, count));
                break;
            }
        };
        let (inst, _) = decode(word);
        count += 1;
        let first = ops.len();
        lower(&mut ops, inst, pc, len, word);
        for o in &mut ops[first..] {
            o.n = count;
        }
        // An ALU pair followed by a third ALU op becomes a triple (see [`fuse_triple`]);
        // otherwise an instruction fused with the one before it is not fused again.
        if pair.take().is_some_and(|(a, b)| fuse_triple(&mut ops, a, b, inst, first)) {
            prev = None;
        } else if fuse(&mut ops, prev, inst, first) {
            // Two ALU ops fused into a pair: remember which, for a triple.
            if let (Some((p, _)), Some(b)) = (prev, fusable_alu(inst)) {
                pair = fusable_alu(p).map(|a| (a.0, b.0));
            }
            prev = None;
        } else {
            prev = Some((inst, first));
        }
        pc = pc.wrapping_add(len as u64);
        if inst.ends_block() {
            break;
        }
        if count as usize >= MAX_BLOCK {
            ops.push(op(fallthrough, pc, 0, 0, 0, 0, count));
            break;
        }
    }
    Ok(Block::new(ops))
}

/// A simple ALU instruction that fused ops can do: (F_* op, rd, rs1, rs2, imm).
fn fusable_alu(inst: Inst) -> Option<(u8, Reg, Reg, Reg, i64)> {
    let (a, rd, rs1, rs2, imm) = match inst {
        Inst::AluImm { op, rd, rs1, imm } => {
            let a = match op {
                AluImmOp::Addi => F_ADDI,
                AluImmOp::Addiw => F_ADDIW,
                AluImmOp::Andi => F_ANDI,
                AluImmOp::Slli => F_SLLI,
                AluImmOp::Srli => F_SRLI,
                AluImmOp::Slliw => F_SLLIW,
                AluImmOp::Srliw => F_SRLIW,
                AluImmOp::Xori => F_XORI,
                _ => return None,
            };
            (a, rd, rs1, Reg(0), imm)
        }
        Inst::Alu { op, rd, rs1, rs2 } => {
            let a = match op {
                AluOp::Add => F_ADD,
                AluOp::Addw => F_ADDW,
                AluOp::Sub => F_SUB,
                AluOp::Subw => F_SUBW,
                AluOp::And => F_AND,
                AluOp::Or => F_OR,
                AluOp::Xor => F_XOR,
                AluOp::Mulw => F_MULW,
                _ => return None,
            };
            (a, rd, rs1, rs2, 0)
        }
        _ => return None,
    };
    // A write to x0 is dropped (no op); the immediate must fit `imm2`.
    (rd.0 != 0 && i32::try_from(imm).is_ok()).then_some((a, rd, rs1, rs2, imm))
}

/// Fuses the ops of `inst` (from `ops[first..]`) with those of the instruction before it
/// (whose ops start at the index in `prev`), when that pays: a simple ALU op followed by
/// a conditional branch (a loop counter and its test, typically), by another simple ALU
/// op or by a load or store, or a load followed by a conditional branch, becomes one op.
/// Returns whether it fused.
fn fuse(ops: &mut Vec<Op>, prev: Option<(Inst, usize)>, inst: Inst, first: usize) -> bool {
    let Some((p, at)) = prev else { return false };
    // Both must be one op each, adjacent.
    if at + 1 != first || ops.len() != first + 1 {
        return false;
    }
    if let (Inst::Load { rd, rs1, offset, .. }, Inst::Branch { cond, .. }) = (p, inst) {
        // A load and a branch (a list walk, typically): the op keeps the load's pc and
        // count, so a fault in the load is reported exactly; the branch settles one more
        // instruction, and its fall-through pc is the load's pc plus both lengths.
        let (Some(m), Ok(off)) = (mem_kind(p), i32::try_from(offset)) else { return false };
        let b = ops.pop().expect("the branch op");
        let l = &mut ops[at];
        l.h = LOAD_BRANCH[m][cond_index(cond)];
        l.ra = rd.0 & 31;
        l.rb = rs1.0 & 31;
        l.imm2 = off;
        l.rs1 = b.rs1;
        l.rs2 = b.rs2;
        l.imm = b.imm;
        l.len = (l.len & 15) + (b.len & 15);
        return true;
    }
    let Some((a, rd, rs1, rs2, imm)) = fusable_alu(p) else { return false };
    let h = if let Some(m) = mem_kind(inst) {
        // The memory op keeps its own pc and count, so a fault in it reports its pc and
        // counts the ALU op (which has run) but not itself. The ALU op writes `ra`.
        let mut b = ops.pop().expect("the second op");
        b.h = ALU_MEM[a as usize][m];
        b.ra = rd.0 & 31;
        b.rs3 = rs1.0 & 31;
        b.rm = rs2.0 & 31;
        b.imm2 = imm as i32;
        ops[at] = b;
        return true;
    } else if let Inst::Branch { cond, .. } = inst {
        ALU_BRANCH[a as usize][cond_index(cond)]
    } else if let Some((b, rd2, rs1b, rs2b, imm_b)) = fusable_alu(inst) {
        let o = &mut ops[first];
        o.ra = rd2.0 & 31;
        o.rb = rs1b.0 & 31;
        o.rc = rs2b.0 & 31;
        o.imm = imm_b;
        ALU_PAIR[a as usize][b as usize]
    } else {
        return false;
    };
    let mut b = ops.pop().expect("the second op");
    b.h = h;
    b.rd = rd.0 & 31;
    b.rs3 = rs1.0 & 31;
    b.rm = rs2.0 & 31;
    b.imm2 = imm as i32;
    ops[at] = b;
    true
}

/// The ALU ops fused ALU triples do (most of SHA-style hashing and bit mixing), by their
/// index in [`ALU_TRI`].
fn tri_index(a: u8) -> Option<usize> {
    Some(match a {
        F_SRLIW => 0,
        F_SLLIW => 1,
        F_OR => 2,
        F_XOR => 3,
        F_AND => 4,
        F_ADDW => 5,
        F_ADDIW => 6,
        F_ADDI => 7,
        F_ADD => 8,
        F_MULW => 9,
        F_SLLI => 10,
        _ => return None,
    })
}

/// Extends the ALU pair (ops `a`, `b`) that is the op before `ops[first]` with `inst`'s
/// op, when `inst` is an ALU op too and all three are triple ops (see [`tri_index`]): the
/// third op's rd goes in `rx`, its operands in rs1 and rs2 (a register, or an immediate
/// that fits an i8). Returns whether it fused.
fn fuse_triple(ops: &mut Vec<Op>, a: u8, b: u8, inst: Inst, first: usize) -> bool {
    let Some((cop, rd, rs1, rs2, imm)) = fusable_alu(inst) else { return false };
    let (Some(i), Some(j), Some(k)) = (tri_index(a), tri_index(b), tri_index(cop)) else {
        return false;
    };
    if first == 0 || ops.len() != first + 1 {
        return false;
    }
    let second = if matches!(inst, Inst::AluImm { .. }) {
        let Ok(v) = i8::try_from(imm) else { return false };
        v as u8
    } else {
        rs2.0 & 31
    };
    let c = ops.pop().expect("the third op");
    let t = &mut ops[first - 1];
    t.h = ALU_TRI[i][j][k];
    t.rx = rd.0 & 31;
    t.rs1 = rs1.0 & 31;
    t.rs2 = second;
    t.pc = c.pc;
    t.n = c.n;
    t.len = c.len;
    true
}

/// The index of a branch condition in the fused branch tables.
fn cond_index(cond: BranchCond) -> usize {
    use BranchCond::*;
    match cond {
        Eq => 0,
        Ne => 1,
        Lt => 2,
        Ge => 3,
        Ltu => 4,
        Geu => 5,
    }
}

/// The index of a load or store in [`ALU_MEM`]'s rows.
fn mem_kind(inst: Inst) -> Option<usize> {
    match inst {
        Inst::Load { width, signed, .. } => Some(match (width, signed) {
            (Width::B, true) => 0,
            (Width::H, true) => 1,
            (Width::W, true) => 2,
            (Width::D, _) => 3,
            (Width::B, false) => 4,
            (Width::H, false) => 5,
            (Width::W, false) => 6,
        }),
        Inst::Store { width, .. } => Some(match width {
            Width::B => 7,
            Width::H => 8,
            Width::W => 9,
            Width::D => 10,
        }),
        _ => None,
    }
}

fn op(h: Handler, pc: u64, imm: i64, rd: u8, rs1: u8, rs2: u8, n: u16) -> Op {
    Op { h, pc, imm, rd, rs1, rs2, rs3: 0, rm: 0, len: 0, n, imm2: 0, ra: 0, rb: 0, rc: 0, rx: 0, link: Op::no_links() }
}

impl Op {
    fn no_links() -> [Cell<Next>; 2] {
        [Cell::new(EXIT), Cell::new(EXIT)]
    }
}

// ---------------------------------------------------------------------------------------
// Lowering: Inst -> Op
// ---------------------------------------------------------------------------------------

fn lower(ops: &mut Vec<Op>, inst: Inst, pc: u64, len: u8, raw: u32) {
    let mut o = Op { h: illegal, pc, imm: raw as i64, rd: 0, rs1: 0, rs2: 0, rs3: 0, rm: 0, len, n: 0, imm2: 0, ra: 0, rb: 0, rc: 0, rx: 0, link: Op::no_links() };
    // Ops with a side effect beyond rd keep running when rd is x0; this re-zeroes it.
    let mut rezero = false;
    match inst {
        Inst::Illegal { .. } => {}
        Inst::Lui { rd, imm } => {
            if rd.0 == 0 {
                return;
            }
            o.h = li;
            o.rd = rd.0;
            o.imm = imm;
        }
        Inst::Auipc { rd, imm } => {
            if rd.0 == 0 {
                return;
            }
            o.h = li;
            o.rd = rd.0;
            o.imm = pc.wrapping_add(imm as u64) as i64;
        }
        Inst::Jal { rd, offset } => {
            o.h = if rd.0 == 0 { jump } else { jal };
            o.rd = rd.0;
            o.imm = pc.wrapping_add(offset as u64) as i64;
        }
        Inst::Jalr { rd, rs1, offset } => {
            o.h = if rd.0 == 0 { jr } else { jalr };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.imm = offset;
            o.link[0].set(std::ptr::without_provenance(NO_TARGET));
        }
        Inst::Branch { cond, rs1, rs2, offset } => {
            o.h = match (cond, rs2.0 == 0) {
                (BranchCond::Eq, false) => beq,
                (BranchCond::Ne, false) => bne,
                (BranchCond::Lt, false) => blt,
                (BranchCond::Ge, false) => bge,
                (BranchCond::Ltu, false) => bltu,
                (BranchCond::Geu, false) => bgeu,
                (BranchCond::Eq, true) => beqz,
                (BranchCond::Ne, true) => bnez,
                (BranchCond::Lt, true) => bltz,
                (BranchCond::Ge, true) => bgez,
                (BranchCond::Ltu, true) => bltuz,
                (BranchCond::Geu, true) => bgeuz,
            };
            o.rs1 = rs1.0;
            o.rs2 = rs2.0;
            o.imm = pc.wrapping_add(offset as u64) as i64;
        }
        Inst::Load { width, signed, rd, rs1, offset } => {
            o.h = match (width, signed) {
                (Width::B, true) => lb,
                (Width::H, true) => lh,
                (Width::W, true) => lw,
                (Width::D, _) => ld,
                (Width::B, false) => lbu,
                (Width::H, false) => lhu,
                (Width::W, false) => lwu,
            };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.imm = offset;
            rezero = rd.0 == 0;
        }
        Inst::Store { width, rs1, rs2, offset } => {
            o.h = match width {
                Width::B => sb,
                Width::H => sh,
                Width::W => sw,
                Width::D => sd,
            };
            o.rs1 = rs1.0;
            o.rs2 = rs2.0;
            o.imm = offset;
        }
        Inst::AluImm { op: aop, rd, rs1, imm } => {
            if rd.0 == 0 {
                return;
            }
            use AluImmOp::*;
            o.h = match aop {
                Addi if rs1.0 == 0 => li,
                Addi if imm == 0 => mv,
                Addi => addi,
                Slti => slti,
                Sltiu => sltiu,
                Xori => xori,
                Ori => ori,
                Andi => andi,
                Slli => slli,
                Srli => srli,
                Srai => srai,
                Addiw => addiw,
                Slliw => slliw,
                Srliw => srliw,
                Sraiw => sraiw,
                SlliUw => slli_uw,
                Rori => rori,
                Roriw => roriw,
                Bclri => bclri,
                Bexti => bexti,
                Binvi => binvi,
                Bseti => bseti,
            };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.imm = imm;
        }
        Inst::Alu { op: aop, rd, rs1, rs2 } => {
            if rd.0 == 0 {
                return;
            }
            use AluOp::*;
            o.h = match aop {
                Add if rs1.0 == 0 => mv2,
                Add => add,
                Sub => sub,
                Sll => sll,
                Slt => slt,
                Sltu => sltu,
                Xor => xor,
                Srl => srl,
                Sra => sra,
                Or => or,
                And => and,
                Addw => addw,
                Subw => subw,
                Sllw => sllw,
                Srlw => srlw,
                Sraw => sraw,
                Mul => mul,
                Mulh => mulh,
                Mulhsu => mulhsu,
                Mulhu => mulhu,
                Div => div,
                Divu => divu,
                Rem => rem,
                Remu => remu,
                Mulw => mulw,
                Divw => divw,
                Divuw => divuw,
                Remw => remw,
                Remuw => remuw,
                AddUw => add_uw,
                Sh1add => sh1add,
                Sh2add => sh2add,
                Sh3add => sh3add,
                Sh1addUw => sh1add_uw,
                Sh2addUw => sh2add_uw,
                Sh3addUw => sh3add_uw,
                Andn => andn,
                Orn => orn,
                Xnor => xnor,
                Max => max,
                Maxu => maxu,
                Min => min,
                Minu => minu,
                Rol => rol,
                Rolw => rolw,
                Ror => ror,
                Rorw => rorw,
                Bclr => bclr,
                Bext => bext,
                Binv => binv,
                Bset => bset,
            };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.rs2 = rs2.0;
        }
        Inst::Unary { op: uop, rd, rs1 } => {
            if rd.0 == 0 {
                return;
            }
            use UnaryOp::*;
            o.h = match uop {
                Clz => clz,
                Clzw => clzw,
                Ctz => ctz,
                Ctzw => ctzw,
                Cpop => cpop,
                Cpopw => cpopw,
                SextB => sext_b,
                SextH => sext_h,
                ZextH => zext_h,
                OrcB => orc_b,
                Rev8 => rev8,
            };
            o.rd = rd.0;
            o.rs1 = rs1.0;
        }
        // Host memory accesses are already ordered at least as strongly as guest fences
        // need on x86-64, except store-load ordering, which a SeqCst fence provides.
        Inst::Fence { .. } => o.h = fence,
        Inst::FenceI => o.h = fence_i,
        Inst::Ecall => o.h = ecall,
        Inst::Ebreak => o.h = ebreak,
        Inst::Csr { op: cop, rd, rs1, csr } => {
            o.h = csr_reg;
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.rs2 = cop as u8;
            o.imm = (raw as i64) | ((csr as i64) << 32);
        }
        Inst::CsrImm { op: cop, rd, uimm, csr } => {
            o.h = csr_imm;
            o.rd = rd.0;
            o.rs1 = uimm;
            o.rs2 = cop as u8;
            o.imm = (raw as i64) | ((csr as i64) << 32);
        }
        Inst::Lr { width, rd, rs1, .. } => {
            o.h = if width == Width::W { lr_w } else { lr_d };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            rezero = rd.0 == 0;
        }
        Inst::Sc { width, rd, rs1, rs2, .. } => {
            o.h = if width == Width::W { sc_w } else { sc_d };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.rs2 = rs2.0;
            rezero = rd.0 == 0;
        }
        Inst::Amo { op: aop, width, rd, rs1, rs2, .. } => {
            use AmoOp::*;
            o.h = match (aop, width) {
                (Swap, Width::W) => amoswap_w,
                (Add, Width::W) => amoadd_w,
                (Xor, Width::W) => amoxor_w,
                (And, Width::W) => amoand_w,
                (Or, Width::W) => amoor_w,
                (Min, Width::W) => amomin_w,
                (Max, Width::W) => amomax_w,
                (Minu, Width::W) => amominu_w,
                (Maxu, Width::W) => amomaxu_w,
                (Swap, _) => amoswap_d,
                (Add, _) => amoadd_d,
                (Xor, _) => amoxor_d,
                (And, _) => amoand_d,
                (Or, _) => amoor_d,
                (Min, _) => amomin_d,
                (Max, _) => amomax_d,
                (Minu, _) => amominu_d,
                (Maxu, _) => amomaxu_d,
            };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.rs2 = rs2.0;
            rezero = rd.0 == 0;
        }
        Inst::FLoad { prec, rd, rs1, offset } => {
            o.h = if prec == Prec::S { flw } else { fld };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.imm = offset;
        }
        Inst::FStore { prec, rs1, rs2, offset } => {
            o.h = if prec == Prec::S { fsw } else { fsd };
            o.rs1 = rs1.0;
            o.rs2 = rs2.0;
            o.imm = offset;
        }
        Inst::FArith { op: fop, prec, rd, rs1, rs2, rm } => {
            use FOp::*;
            o.h = match (fop, prec) {
                (Add, Prec::S) => fadd_s,
                (Sub, Prec::S) => fsub_s,
                (Mul, Prec::S) => fmul_s,
                (Div, Prec::S) => fdiv_s,
                (Min, Prec::S) => fmin_s,
                (Max, Prec::S) => fmax_s,
                (Sgnj, Prec::S) => fsgnj_s,
                (Sgnjn, Prec::S) => fsgnjn_s,
                (Sgnjx, Prec::S) => fsgnjx_s,
                (Add, Prec::D) => fadd_d,
                (Sub, Prec::D) => fsub_d,
                (Mul, Prec::D) => fmul_d,
                (Div, Prec::D) => fdiv_d,
                (Min, Prec::D) => fmin_d,
                (Max, Prec::D) => fmax_d,
                (Sgnj, Prec::D) => fsgnj_d,
                (Sgnjn, Prec::D) => fsgnjn_d,
                (Sgnjx, Prec::D) => fsgnjx_d,
            };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.rs2 = rs2.0;
            o.rm = rm;
        }
        Inst::FSqrt { prec, rd, rs1, rm } => {
            o.h = if prec == Prec::S { fsqrt_s } else { fsqrt_d };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.rm = rm;
        }
        Inst::FFma { op: fop, prec, rd, rs1, rs2, rs3, rm } => {
            o.h = if prec == Prec::S { ffma_s } else { ffma_d };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.rs2 = rs2.0;
            o.rs3 = rs3.0;
            o.rm = rm;
            // Which operands to negate: bit 0 the product, bit 1 the addend.
            o.len |= match fop {
                FmaOp::Madd => 0,
                FmaOp::Msub => 2,
                FmaOp::Nmsub => 1,
                FmaOp::Nmadd => 3,
            } << 4;
        }
        Inst::FCmp { op: cop, prec, rd, rs1, rs2 } => {
            o.h = match (cop, prec) {
                (FCmp::Eq, Prec::S) => feq_s,
                (FCmp::Lt, Prec::S) => flt_s,
                (FCmp::Le, Prec::S) => fle_s,
                (FCmp::Eq, Prec::D) => feq_d,
                (FCmp::Lt, Prec::D) => flt_d,
                (FCmp::Le, Prec::D) => fle_d,
            };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.rs2 = rs2.0;
            rezero = rd.0 == 0;
        }
        Inst::FClass { prec, rd, rs1 } => {
            if rd.0 == 0 {
                return;
            }
            o.h = if prec == Prec::S { fclass_s } else { fclass_d };
            o.rd = rd.0;
            o.rs1 = rs1.0;
        }
        Inst::FCvtToInt { prec, ty, rd, rs1, rm } => {
            o.h = match (prec, ty) {
                (Prec::S, IntTy::W) => fcvt_w_s,
                (Prec::S, IntTy::Wu) => fcvt_wu_s,
                (Prec::S, IntTy::L) => fcvt_l_s,
                (Prec::S, IntTy::Lu) => fcvt_lu_s,
                (Prec::D, IntTy::W) => fcvt_w_d,
                (Prec::D, IntTy::Wu) => fcvt_wu_d,
                (Prec::D, IntTy::L) => fcvt_l_d,
                (Prec::D, IntTy::Lu) => fcvt_lu_d,
            };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.rm = rm;
            rezero = rd.0 == 0;
        }
        Inst::FCvtFromInt { prec, ty, rd, rs1, rm } => {
            o.h = match (prec, ty) {
                (Prec::S, IntTy::W) => fcvt_s_w,
                (Prec::S, IntTy::Wu) => fcvt_s_wu,
                (Prec::S, IntTy::L) => fcvt_s_l,
                (Prec::S, IntTy::Lu) => fcvt_s_lu,
                (Prec::D, IntTy::W) => fcvt_d_w,
                (Prec::D, IntTy::Wu) => fcvt_d_wu,
                (Prec::D, IntTy::L) => fcvt_d_l,
                (Prec::D, IntTy::Lu) => fcvt_d_lu,
            };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.rm = rm;
        }
        Inst::FCvtFF { to, rd, rs1, rm } => {
            o.h = if to == Prec::S { fcvt_s_d } else { fcvt_d_s };
            o.rd = rd.0;
            o.rs1 = rs1.0;
            o.rm = rm;
        }
        Inst::FMvToInt { prec, rd, rs1 } => {
            if rd.0 == 0 {
                return;
            }
            o.h = if prec == Prec::S { fmv_x_w } else { fmv_x_d };
            o.rd = rd.0;
            o.rs1 = rs1.0;
        }
        Inst::FMvFromInt { prec, rd, rs1 } => {
            o.h = if prec == Prec::S { fmv_w_x } else { fmv_d_x };
            o.rd = rd.0;
            o.rs1 = rs1.0;
        }
    }
    // Register fields index the register files unchecked (see `r`): keep them in range.
    // (csr ops keep a 5-bit immediate and a 2-bit operation in rs1/rs2, also in range.)
    o.rd &= 31;
    o.rs1 &= 31;
    o.rs2 &= 31;
    o.rs3 &= 31;
    ops.push(o);
    if rezero {
        ops.push(op(zero_x0, pc, 0, 0, 0, 0, 0));
    }
}

// ---------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------

// Register fields of ops are below 32 (`lower` masks them), so they index `x` unchecked.
#[inline(always)]
fn r(c: &Ctx, i: u8) -> u64 {
    debug_assert!(i < 32);
    // SAFETY: i < 32, see above.
    unsafe { *c.s.x.get_unchecked(i as usize) }
}
#[inline(always)]
fn w(c: &mut Ctx, i: u8, v: u64) {
    debug_assert!(i < 32);
    // SAFETY: i < 32, see above.
    unsafe { *c.s.x.get_unchecked_mut(i as usize) = v }
}
/// Continues with the op after `o` in its block, by calling its handler in tail position
/// (a jump, once optimised). Without that optimisation the stack grows by one frame per
/// op, but only until the block's last op, which returns to the run loop: the depth is
/// bounded by the block's length.
#[inline(always)]
fn cont(c: &mut Ctx, o: &Op) -> Next {
    // SAFETY: every op but a block's last is followed by another op of the same block
    // (only block-ending ops do not call this).
    unsafe {
        let n = &*(o as *const Op).add(1);
        (n.h)(c, n)
    }
}
#[inline(always)]
fn next_pc(o: &Op) -> u64 {
    o.pc.wrapping_add((o.len & 15) as u64)
}

/// Leaves the run loop with `e` at `pc`. `retired` says whether `o` itself completed (it
/// counts in instret) or not (a fault or an illegal instruction: only the ones before it).
#[cold]
fn stop(c: &mut Ctx, o: &Op, pc: u64, e: Exit, retired: bool) -> Next {
    c.s.pc = pc;
    c.s.instret = c.s.instret.wrapping_add(o.n as u64 - !retired as u64);
    c.exit = e;
    EXIT
}

fn illegal(c: &mut Ctx, o: &Op) -> Next {
    stop(c, o, o.pc, Exit::Illegal { raw: o.imm as u32, len: o.len & 15 }, false)
}
/// Ends a block that stops before a control transfer: continue at `o.pc`.
fn fallthrough(c: &mut Ctx, o: &Op) -> Next {
    goto(c, o, o.pc, TAKEN)
}
fn zero_x0(c: &mut Ctx, o: &Op) -> Next {
    c.s.x[0] = 0;
    cont(c, o)
}
fn fence(c: &mut Ctx, o: &Op) -> Next {
    std::sync::atomic::fence(Ordering::SeqCst);
    cont(c, o)
}
fn fence_i(c: &mut Ctx, o: &Op) -> Next {
    stop(c, o, next_pc(o), Exit::CodeFlushed, true)
}
fn ecall(c: &mut Ctx, o: &Op) -> Next {
    stop(c, o, next_pc(o), Exit::Syscall, true)
}
fn ebreak(c: &mut Ctx, o: &Op) -> Next {
    stop(c, o, o.pc, Exit::Breakpoint, false)
}

/// The end of a block: settles instret for the whole block and continues at guest `pc`
/// through the op's chain link `edge`, or, when the link is not filled in yet, leaves to
/// the dispatcher, which looks the block up and fills it in.
#[inline(always)]
fn goto(c: &mut Ctx, o: &Op, pc: u64, edge: usize) -> Next {
    goto_n(c, o, pc, edge, o.n as u64)
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
    // SAFETY: `p` is a block's first op, from a chain link (the cache is not cleared while
    // ops run).
    unsafe { ((*p).h)(c, &*p) }
}
/// Instructions run by chained tail calls before returning to the run loop (see
/// [`enter`]); fewer in unoptimised builds, which may not turn them into jumps.
const CHAIN_BUDGET: u64 = if cfg!(debug_assertions) { 16 } else { 256 };

/// An indirect jump: a one-entry inline cache, `link[0]` the last target pc and `link[1]`
/// its ops.
#[inline(always)]
fn goto_indirect(c: &mut Ctx, o: &Op, pc: u64) -> Next {
    if o.link[0].get() as u64 == pc {
        return enter(c, o, o.link[1].get());
    }
    c.s.instret = c.s.instret.wrapping_add(o.n as u64);
    c.s.pc = pc;
    c.miss = o;
    c.edge = INDIRECT;
    EXIT
}

// Control transfer. Jumps to a misaligned (odd) target cannot happen: jalr clears bit 0,
// and with C every even address is a valid target.
fn jal(c: &mut Ctx, o: &Op) -> Next {
    w(c, o.rd, next_pc(o));
    goto(c, o, o.imm as u64, TAKEN)
}
fn jump(c: &mut Ctx, o: &Op) -> Next {
    goto(c, o, o.imm as u64, TAKEN)
}
fn jalr(c: &mut Ctx, o: &Op) -> Next {
    let t = r(c, o.rs1).wrapping_add(o.imm as u64) & !1;
    w(c, o.rd, next_pc(o));
    goto_indirect(c, o, t)
}
fn jr(c: &mut Ctx, o: &Op) -> Next {
    let t = r(c, o.rs1).wrapping_add(o.imm as u64) & !1;
    goto_indirect(c, o, t)
}
macro_rules! branch {
    ($name:ident, $name0:ident, |$a:ident, $b:ident| $cond:expr) => {
        fn $name(c: &mut Ctx, o: &Op) -> Next {
            let $a = r(c, o.rs1);
            let $b = r(c, o.rs2);
            if $cond {
                goto(c, o, o.imm as u64, TAKEN)
            } else {
                goto(c, o, next_pc(o), NOT_TAKEN)
            }
        }
        /// The same against x0 (rs2 is x0).
        fn $name0(c: &mut Ctx, o: &Op) -> Next {
            let $a = r(c, o.rs1);
            let $b = 0u64;
            if $cond {
                goto(c, o, o.imm as u64, TAKEN)
            } else {
                goto(c, o, next_pc(o), NOT_TAKEN)
            }
        }
    };
}
// Fused ALU op + conditional branch (see [`fuse`]): the ALU op is rd = rs3 OP (rm or
// imm2), then the branch compares rs1 with rs2. `A` is the ALU op (F_*), `C` the
// condition (BranchCond as u8); both are constants in each instance.
const F_ADDI: u8 = 0;
const F_ADDIW: u8 = 1;
const F_ANDI: u8 = 2;
const F_SLLI: u8 = 3;
const F_SRLI: u8 = 4;
const F_ADD: u8 = 5;
const F_ADDW: u8 = 6;
const F_SUB: u8 = 7;
const F_SUBW: u8 = 8;
const F_AND: u8 = 9;
const F_OR: u8 = 10;
const F_XOR: u8 = 11;
const F_MULW: u8 = 12;
const F_SLLIW: u8 = 13;
const F_SRLIW: u8 = 14;
const F_XORI: u8 = 15;
/// Number of fusable ALU ops.
const F_COUNT: usize = 16;

#[inline(always)]
fn fused_alu<const A: u8>(a: u64, b: u64, i: i64) -> u64 {
    match A {
        F_ADDI => a.wrapping_add(i as u64),
        F_ADDIW => sx32(a.wrapping_add(i as u64)),
        F_ANDI => a & i as u64,
        F_SLLI => a << (i & 63),
        F_SRLI => a >> (i & 63),
        F_ADD => a.wrapping_add(b),
        F_ADDW => sx32(a.wrapping_add(b)),
        F_SUB => a.wrapping_sub(b),
        F_SUBW => sx32(a.wrapping_sub(b)),
        F_AND => a & b,
        F_OR => a | b,
        F_XOR => a ^ b,
        F_MULW => sx32(a.wrapping_mul(b)),
        F_SLLIW => sx32(a << (i & 31)),
        F_SRLIW => sx32(((a as u32) >> (i & 31)) as u64),
        _ => a ^ i as u64,
    }
}
fn alu_branch<const A: u8, const C: u8>(c: &mut Ctx, o: &Op) -> Next {
    let v = fused_alu::<A>(r(c, o.rs3), r(c, o.rm), o.imm2 as i64);
    w(c, o.rd, v);
    let a = r(c, o.rs1);
    let b = r(c, o.rs2);
    let taken = match C {
        0 => a == b,
        1 => a != b,
        2 => (a as i64) < (b as i64),
        3 => (a as i64) >= (b as i64),
        4 => a < b,
        _ => a >= b,
    };
    if taken {
        goto(c, o, o.imm as u64, TAKEN)
    } else {
        goto(c, o, next_pc(o), NOT_TAKEN)
    }
}
/// A fused load and conditional branch: ra = load `M` (see [`mem_kind`]) from rb + imm2,
/// then the branch compares rs1 with rs2. `pc` and `n` are the load's (see [`fuse`]).
fn load_branch<const M: u8, const C: u8>(c: &mut Ctx, o: &Op) -> Next {
    let a = r(c, o.rb).wrapping_add(o.imm2 as u64);
    let v = match M {
        0 => load_val::<i8>(c, o, a),
        1 => load_val::<i16>(c, o, a),
        2 => load_val::<i32>(c, o, a),
        3 => load_val::<u64>(c, o, a),
        4 => load_val::<u8>(c, o, a),
        5 => load_val::<u16>(c, o, a),
        _ => load_val::<u32>(c, o, a),
    };
    let Some(v) = v else { return EXIT };
    w(c, o.ra, v);
    let a = r(c, o.rs1);
    let b = r(c, o.rs2);
    let taken = match C {
        0 => a == b,
        1 => a != b,
        2 => (a as i64) < (b as i64),
        3 => (a as i64) >= (b as i64),
        4 => a < b,
        _ => a >= b,
    };
    let n = o.n as u64 + 1;
    if taken {
        goto_n(c, o, o.imm as u64, TAKEN, n)
    } else {
        goto_n(c, o, next_pc(o), NOT_TAKEN, n)
    }
}
macro_rules! load_branch_row {
    ($m:expr) => {
        [
            load_branch::<{ $m }, 0> as Handler,
            load_branch::<{ $m }, 1>,
            load_branch::<{ $m }, 2>,
            load_branch::<{ $m }, 3>,
            load_branch::<{ $m }, 4>,
            load_branch::<{ $m }, 5>,
        ]
    };
}
/// Fused load + branch handlers by [load][condition].
static LOAD_BRANCH: [[Handler; 6]; 7] = [
    load_branch_row!(0),
    load_branch_row!(1),
    load_branch_row!(2),
    load_branch_row!(3),
    load_branch_row!(4),
    load_branch_row!(5),
    load_branch_row!(6),
];

macro_rules! alu_branch_table {
    ($($a:expr),*) => {
        [$([
            alu_branch::<{ $a }, 0> as Handler,
            alu_branch::<{ $a }, 1>,
            alu_branch::<{ $a }, 2>,
            alu_branch::<{ $a }, 3>,
            alu_branch::<{ $a }, 4>,
            alu_branch::<{ $a }, 5>,
        ]),*]
    };
}
/// Fused handlers by [ALU op][condition].
static ALU_BRANCH: [[Handler; 6]; F_COUNT] = alu_branch_table!(
    F_ADDI, F_ADDIW, F_ANDI, F_SLLI, F_SRLI, F_ADD, F_ADDW, F_SUB, F_SUBW, F_AND, F_OR, F_XOR, F_MULW,
    F_SLLIW, F_SRLIW, F_XORI
);

/// Two ALU ops in one: rd = rs3 A (rm or imm2), then ra = rb B (rc or imm).
fn alu_pair<const A: u8, const B: u8>(c: &mut Ctx, o: &Op) -> Next {
    let v = fused_alu::<A>(r(c, o.rs3), r(c, o.rm), o.imm2 as i64);
    w(c, o.rd, v);
    let v = fused_alu::<B>(r(c, o.rb), r(c, o.rc), o.imm);
    w(c, o.ra, v);
    cont(c, o)
}
macro_rules! alu_pair_row {
    ($a:expr) => {
        [
            alu_pair::<{ $a }, 0> as Handler,
            alu_pair::<{ $a }, 1>,
            alu_pair::<{ $a }, 2>,
            alu_pair::<{ $a }, 3>,
            alu_pair::<{ $a }, 4>,
            alu_pair::<{ $a }, 5>,
            alu_pair::<{ $a }, 6>,
            alu_pair::<{ $a }, 7>,
            alu_pair::<{ $a }, 8>,
            alu_pair::<{ $a }, 9>,
            alu_pair::<{ $a }, 10>,
            alu_pair::<{ $a }, 11>,
            alu_pair::<{ $a }, 12>,
            alu_pair::<{ $a }, 13>,
            alu_pair::<{ $a }, 14>,
            alu_pair::<{ $a }, 15>,
        ]
    };
}
/// Three ALU ops in one: an [`alu_pair`], then rx = rs1 C (rs2, a register or an i8
/// immediate).
fn alu_tri<const A: u8, const B: u8, const C: u8>(c: &mut Ctx, o: &Op) -> Next {
    let v = fused_alu::<A>(r(c, o.rs3), r(c, o.rm), o.imm2 as i64);
    w(c, o.rd, v);
    let v = fused_alu::<B>(r(c, o.rb), r(c, o.rc), o.imm);
    w(c, o.ra, v);
    let v = fused_alu::<C>(r(c, o.rs1), r(c, o.rs2 & 31), o.rs2 as i8 as i64);
    w(c, o.rx, v);
    cont(c, o)
}
macro_rules! alu_tri_row {
    ($a:expr, $b:expr) => {
        [
            alu_tri::<{ $a }, { $b }, F_SRLIW> as Handler,
            alu_tri::<{ $a }, { $b }, F_SLLIW>,
            alu_tri::<{ $a }, { $b }, F_OR>,
            alu_tri::<{ $a }, { $b }, F_XOR>,
            alu_tri::<{ $a }, { $b }, F_AND>,
            alu_tri::<{ $a }, { $b }, F_ADDW>,
            alu_tri::<{ $a }, { $b }, F_ADDIW>,
            alu_tri::<{ $a }, { $b }, F_ADDI>,
            alu_tri::<{ $a }, { $b }, F_ADD>,
            alu_tri::<{ $a }, { $b }, F_MULW>,
            alu_tri::<{ $a }, { $b }, F_SLLI>,
        ]
    };
}
macro_rules! alu_tri_plane {
    ($a:expr) => {
        [
            alu_tri_row!($a, F_SRLIW),
            alu_tri_row!($a, F_SLLIW),
            alu_tri_row!($a, F_OR),
            alu_tri_row!($a, F_XOR),
            alu_tri_row!($a, F_AND),
            alu_tri_row!($a, F_ADDW),
            alu_tri_row!($a, F_ADDIW),
            alu_tri_row!($a, F_ADDI),
            alu_tri_row!($a, F_ADD),
            alu_tri_row!($a, F_MULW),
            alu_tri_row!($a, F_SLLI),
        ]
    };
}
/// Fused triple handlers by [first][second][third] op, indexed by [`tri_index`].
static ALU_TRI: [[[Handler; TRI_COUNT]; TRI_COUNT]; TRI_COUNT] = [
    alu_tri_plane!(F_SRLIW),
    alu_tri_plane!(F_SLLIW),
    alu_tri_plane!(F_OR),
    alu_tri_plane!(F_XOR),
    alu_tri_plane!(F_AND),
    alu_tri_plane!(F_ADDW),
    alu_tri_plane!(F_ADDIW),
    alu_tri_plane!(F_ADDI),
    alu_tri_plane!(F_ADD),
    alu_tri_plane!(F_MULW),
    alu_tri_plane!(F_SLLI),
];
/// Number of ALU ops fused triples do.
const TRI_COUNT: usize = 11;

/// Fused pair handlers by [first ALU op][second ALU op].
static ALU_PAIR: [[Handler; F_COUNT]; F_COUNT] = [
    alu_pair_row!(0),
    alu_pair_row!(1),
    alu_pair_row!(2),
    alu_pair_row!(3),
    alu_pair_row!(4),
    alu_pair_row!(5),
    alu_pair_row!(6),
    alu_pair_row!(7),
    alu_pair_row!(8),
    alu_pair_row!(9),
    alu_pair_row!(10),
    alu_pair_row!(11),
    alu_pair_row!(12),
    alu_pair_row!(13),
    alu_pair_row!(14),
    alu_pair_row!(15),
];

/// A fused ALU op and memory op: ra = rs3 A (rm or imm2), then load or store `M` (see
/// [`mem_kind`]) with the memory op's own fields.
fn alu_mem<const A: u8, const M: u8>(c: &mut Ctx, o: &Op) -> Next {
    let v = fused_alu::<A>(r(c, o.rs3), r(c, o.rm), o.imm2 as i64);
    w(c, o.ra, v);
    match M {
        0 => load_body::<i8>(c, o),
        1 => load_body::<i16>(c, o),
        2 => load_body::<i32>(c, o),
        3 => load_body::<u64>(c, o),
        4 => load_body::<u8>(c, o),
        5 => load_body::<u16>(c, o),
        6 => load_body::<u32>(c, o),
        7 => store_body::<u8>(c, o),
        8 => store_body::<u16>(c, o),
        9 => store_body::<u32>(c, o),
        _ => store_body::<u64>(c, o),
    }
}
macro_rules! alu_mem_row {
    ($a:expr) => {
        [
            alu_mem::<{ $a }, 0> as Handler,
            alu_mem::<{ $a }, 1>,
            alu_mem::<{ $a }, 2>,
            alu_mem::<{ $a }, 3>,
            alu_mem::<{ $a }, 4>,
            alu_mem::<{ $a }, 5>,
            alu_mem::<{ $a }, 6>,
            alu_mem::<{ $a }, 7>,
            alu_mem::<{ $a }, 8>,
            alu_mem::<{ $a }, 9>,
            alu_mem::<{ $a }, 10>,
        ]
    };
}
/// Fused ALU + memory handlers by [ALU op][memory op].
static ALU_MEM: [[Handler; 11]; F_COUNT] = [
    alu_mem_row!(0),
    alu_mem_row!(1),
    alu_mem_row!(2),
    alu_mem_row!(3),
    alu_mem_row!(4),
    alu_mem_row!(5),
    alu_mem_row!(6),
    alu_mem_row!(7),
    alu_mem_row!(8),
    alu_mem_row!(9),
    alu_mem_row!(10),
    alu_mem_row!(11),
    alu_mem_row!(12),
    alu_mem_row!(13),
    alu_mem_row!(14),
    alu_mem_row!(15),
];

branch!(beq, beqz, |a, b| a == b);
branch!(bne, bnez, |a, b| a != b);
branch!(blt, bltz, |a, b| (a as i64) < (b as i64));
branch!(bge, bgez, |a, b| (a as i64) >= (b as i64));
branch!(bltu, bltuz, |a, b| a < b);
branch!(bgeu, bgeuz, |a, b| a >= b);

// Integer ALU.
macro_rules! alu_imm {
    ($name:ident, |$a:ident, $i:ident| $e:expr) => {
        fn $name(c: &mut Ctx, o: &Op) -> Next {
            let $a = r(c, o.rs1);
            let $i = o.imm;
            w(c, o.rd, $e);
            cont(c, o)
        }
    };
}
macro_rules! alu {
    ($name:ident, |$a:ident, $b:ident| $e:expr) => {
        fn $name(c: &mut Ctx, o: &Op) -> Next {
            let $a = r(c, o.rs1);
            let $b = r(c, o.rs2);
            w(c, o.rd, $e);
            cont(c, o)
        }
    };
}
fn sx32(v: u64) -> u64 {
    v as i32 as i64 as u64
}
fn li(c: &mut Ctx, o: &Op) -> Next {
    w(c, o.rd, o.imm as u64);
    cont(c, o)
}
alu_imm!(mv, |a, _i| a);
alu_imm!(addi, |a, i| a.wrapping_add(i as u64));
alu_imm!(slti, |a, i| ((a as i64) < i) as u64);
alu_imm!(sltiu, |a, i| (a < i as u64) as u64);
alu_imm!(xori, |a, i| a ^ i as u64);
alu_imm!(ori, |a, i| a | i as u64);
alu_imm!(andi, |a, i| a & i as u64);
alu_imm!(slli, |a, i| a << (i & 63));
alu_imm!(srli, |a, i| a >> (i & 63));
alu_imm!(srai, |a, i| ((a as i64) >> (i & 63)) as u64);
alu_imm!(addiw, |a, i| sx32(a.wrapping_add(i as u64)));
alu_imm!(slliw, |a, i| sx32(a << (i & 31)));
alu_imm!(srliw, |a, i| sx32(((a as u32) >> (i & 31)) as u64));
alu_imm!(sraiw, |a, i| ((a as i32) >> (i & 31)) as i64 as u64);
alu_imm!(slli_uw, |a, i| (a & 0xffff_ffff) << (i & 63));
alu_imm!(rori, |a, i| a.rotate_right((i & 63) as u32));
alu_imm!(roriw, |a, i| sx32((a as u32).rotate_right((i & 31) as u32) as u64));
alu_imm!(bclri, |a, i| a & !(1u64 << (i & 63)));
alu_imm!(bexti, |a, i| (a >> (i & 63)) & 1);
alu_imm!(binvi, |a, i| a ^ (1u64 << (i & 63)));
alu_imm!(bseti, |a, i| a | (1u64 << (i & 63)));

alu!(mv2, |_a, b| b);
alu!(add, |a, b| a.wrapping_add(b));
alu!(sub, |a, b| a.wrapping_sub(b));
alu!(sll, |a, b| a << (b & 63));
alu!(slt, |a, b| ((a as i64) < (b as i64)) as u64);
alu!(sltu, |a, b| (a < b) as u64);
alu!(xor, |a, b| a ^ b);
alu!(srl, |a, b| a >> (b & 63));
alu!(sra, |a, b| ((a as i64) >> (b & 63)) as u64);
alu!(or, |a, b| a | b);
alu!(and, |a, b| a & b);
alu!(addw, |a, b| sx32(a.wrapping_add(b)));
alu!(subw, |a, b| sx32(a.wrapping_sub(b)));
alu!(sllw, |a, b| sx32(a << (b & 31)));
alu!(srlw, |a, b| sx32(((a as u32) >> (b & 31)) as u64));
alu!(sraw, |a, b| ((a as i32) >> (b & 31)) as i64 as u64);
alu!(mul, |a, b| a.wrapping_mul(b));
alu!(mulh, |a, b| ((a as i64 as i128 * b as i64 as i128) >> 64) as u64);
alu!(mulhsu, |a, b| ((a as i64 as i128).wrapping_mul(b as i128) >> 64) as u64);
alu!(mulhu, |a, b| ((a as u128 * b as u128) >> 64) as u64);
alu!(div, |a, b| {
    let (a, b) = (a as i64, b as i64);
    if b == 0 {
        u64::MAX
    } else {
        a.wrapping_div(b) as u64
    }
});
// RISC-V: unsigned division by zero gives all ones.
alu!(divu, |a, b| a.checked_div(b).unwrap_or(u64::MAX));
alu!(rem, |a, b| {
    let (a, b) = (a as i64, b as i64);
    if b == 0 {
        a as u64
    } else {
        a.wrapping_rem(b) as u64
    }
});
alu!(remu, |a, b| if b == 0 { a } else { a % b });
alu!(mulw, |a, b| sx32(a.wrapping_mul(b)));
alu!(divw, |a, b| {
    let (a, b) = (a as i32, b as i32);
    if b == 0 {
        u64::MAX
    } else {
        a.wrapping_div(b) as i64 as u64
    }
});
alu!(divuw, |a, b| {
    let (a, b) = (a as u32, b as u32);
    match a.checked_div(b) {
        None => u64::MAX,
        Some(q) => sx32(q as u64),
    }
});
alu!(remw, |a, b| {
    let (a, b) = (a as i32, b as i32);
    if b == 0 {
        a as i64 as u64
    } else {
        a.wrapping_rem(b) as i64 as u64
    }
});
alu!(remuw, |a, b| {
    let (a, b) = (a as u32, b as u32);
    if b == 0 {
        sx32(a as u64)
    } else {
        sx32((a % b) as u64)
    }
});
alu!(add_uw, |a, b| b.wrapping_add(a & 0xffff_ffff));
alu!(sh1add, |a, b| b.wrapping_add(a << 1));
alu!(sh2add, |a, b| b.wrapping_add(a << 2));
alu!(sh3add, |a, b| b.wrapping_add(a << 3));
alu!(sh1add_uw, |a, b| b.wrapping_add((a & 0xffff_ffff) << 1));
alu!(sh2add_uw, |a, b| b.wrapping_add((a & 0xffff_ffff) << 2));
alu!(sh3add_uw, |a, b| b.wrapping_add((a & 0xffff_ffff) << 3));
alu!(andn, |a, b| a & !b);
alu!(orn, |a, b| a | !b);
alu!(xnor, |a, b| !(a ^ b));
alu!(max, |a, b| (a as i64).max(b as i64) as u64);
alu!(maxu, |a, b| a.max(b));
alu!(min, |a, b| (a as i64).min(b as i64) as u64);
alu!(minu, |a, b| a.min(b));
alu!(rol, |a, b| a.rotate_left((b & 63) as u32));
alu!(rolw, |a, b| sx32((a as u32).rotate_left((b & 31) as u32) as u64));
alu!(ror, |a, b| a.rotate_right((b & 63) as u32));
alu!(rorw, |a, b| sx32((a as u32).rotate_right((b & 31) as u32) as u64));
alu!(bclr, |a, b| a & !(1u64 << (b & 63)));
alu!(bext, |a, b| (a >> (b & 63)) & 1);
alu!(binv, |a, b| a ^ (1u64 << (b & 63)));
alu!(bset, |a, b| a | (1u64 << (b & 63)));

alu_imm!(clz, |a, _i| a.leading_zeros() as u64);
alu_imm!(clzw, |a, _i| (a as u32).leading_zeros() as u64);
alu_imm!(ctz, |a, _i| a.trailing_zeros() as u64);
alu_imm!(ctzw, |a, _i| (a as u32).trailing_zeros() as u64);
alu_imm!(cpop, |a, _i| a.count_ones() as u64);
alu_imm!(cpopw, |a, _i| (a as u32).count_ones() as u64);
alu_imm!(sext_b, |a, _i| a as i8 as i64 as u64);
alu_imm!(sext_h, |a, _i| a as i16 as i64 as u64);
alu_imm!(zext_h, |a, _i| a & 0xffff);
alu_imm!(orc_b, |a, _i| {
    let mut v = 0u64;
    for i in 0..8 {
        if (a >> (i * 8)) & 0xff != 0 {
            v |= 0xff << (i * 8);
        }
    }
    v
});
alu_imm!(rev8, |a, _i| a.swap_bytes());

// Memory. The address check keeps every access inside the region; the host's page
// permissions (mirroring the guest's) catch the rest as a fault under `guarded`.

/// Checks `[a, a+n)` lies in the region and records the op for a host fault (from which
/// `run` recovers the pc and instret). Returns the host pointer, or None after setting the
/// exit.
#[inline(always)]
fn host_ptr(c: &mut Ctx, o: &Op, a: u64, n: u64, access: Access) -> Option<*mut u8> {
    // One compare against a precomputed bound on the fast path (n <= 8); exact after it.
    if a > c.lim8 && a > c.s.size - n {
        stop(c, o, o.pc, Exit::Fault { addr: a, access }, false);
        return None;
    }
    c.cur = o;
    // The store must not sink past the access, which may fault and leave this frame.
    compiler_fence(Ordering::SeqCst);
    // SAFETY: `a + n <= size`, so the pointer stays inside the region.
    Some(unsafe { c.s.base.add(a as usize) })
}

/// An integer type loads and stores move: its register value (sign- or zero-extended)
/// and its truncation from a register.
trait MemInt: Copy {
    fn to_reg(self) -> u64;
    fn from_reg(v: u64) -> Self;
}
macro_rules! mem_int {
    ($($t:ty),*) => {$(
        impl MemInt for $t {
            #[inline(always)]
            fn to_reg(self) -> u64 {
                self as i64 as u64
            }
            #[inline(always)]
            fn from_reg(v: u64) -> Self {
                v as $t
            }
        }
    )*};
}
mem_int!(i8, i16, i32, u8, u16, u32, u64);

/// Loads `T` at guest address `a` for op `o`: the register value, or None after setting
/// the exit.
#[inline(always)]
fn load_val<T: MemInt>(c: &mut Ctx, o: &Op, a: u64) -> Option<u64> {
    let p = host_ptr(c, o, a, std::mem::size_of::<T>() as u64, Access::Read)?;
    // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
    Some(unsafe { (p as *const T).read_unaligned() }.to_reg())
}
/// rd = load `T` from rs1 + imm, then the next op.
#[inline(always)]
fn load_body<T: MemInt>(c: &mut Ctx, o: &Op) -> Next {
    let a = r(c, o.rs1).wrapping_add(o.imm as u64);
    let Some(v) = load_val::<T>(c, o, a) else { return EXIT };
    w(c, o.rd, v);
    cont(c, o)
}
/// Store `T` from rs2 at rs1 + imm, then the next op.
#[inline(always)]
fn store_body<T: MemInt>(c: &mut Ctx, o: &Op) -> Next {
    let a = r(c, o.rs1).wrapping_add(o.imm as u64);
    let v = T::from_reg(r(c, o.rs2));
    let Some(p) = host_ptr(c, o, a, std::mem::size_of::<T>() as u64, Access::Write) else {
        return EXIT;
    };
    // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
    unsafe { (p as *mut T).write_unaligned(v) };
    cont(c, o)
}
fn lb(c: &mut Ctx, o: &Op) -> Next {
    load_body::<i8>(c, o)
}
fn lh(c: &mut Ctx, o: &Op) -> Next {
    load_body::<i16>(c, o)
}
fn lw(c: &mut Ctx, o: &Op) -> Next {
    load_body::<i32>(c, o)
}
fn ld(c: &mut Ctx, o: &Op) -> Next {
    load_body::<u64>(c, o)
}
fn lbu(c: &mut Ctx, o: &Op) -> Next {
    load_body::<u8>(c, o)
}
fn lhu(c: &mut Ctx, o: &Op) -> Next {
    load_body::<u16>(c, o)
}
fn lwu(c: &mut Ctx, o: &Op) -> Next {
    load_body::<u32>(c, o)
}
fn sb(c: &mut Ctx, o: &Op) -> Next {
    store_body::<u8>(c, o)
}
fn sh(c: &mut Ctx, o: &Op) -> Next {
    store_body::<u16>(c, o)
}
fn sw(c: &mut Ctx, o: &Op) -> Next {
    store_body::<u32>(c, o)
}
fn sd(c: &mut Ctx, o: &Op) -> Next {
    store_body::<u64>(c, o)
}

fn flw(c: &mut Ctx, o: &Op) -> Next {
    let a = r(c, o.rs1).wrapping_add(o.imm as u64);
    let Some(p) = host_ptr(c, o, a, 4, Access::Read) else { return EXIT };
    // SAFETY: as for integer loads.
    let v = unsafe { (p as *const u32).read_unaligned() };
    c.s.f[(o.rd & 31) as usize] = box_s(v);
    cont(c, o)
}
fn fld(c: &mut Ctx, o: &Op) -> Next {
    let a = r(c, o.rs1).wrapping_add(o.imm as u64);
    let Some(p) = host_ptr(c, o, a, 8, Access::Read) else { return EXIT };
    // SAFETY: as for integer loads.
    let v = unsafe { (p as *const u64).read_unaligned() };
    c.s.f[(o.rd & 31) as usize] = v;
    cont(c, o)
}
fn fsw(c: &mut Ctx, o: &Op) -> Next {
    let a = r(c, o.rs1).wrapping_add(o.imm as u64);
    let v = c.s.f[(o.rs2 & 31) as usize] as u32;
    let Some(p) = host_ptr(c, o, a, 4, Access::Write) else { return EXIT };
    // SAFETY: as for integer stores.
    unsafe { (p as *mut u32).write_unaligned(v) };
    cont(c, o)
}
fn fsd(c: &mut Ctx, o: &Op) -> Next {
    let a = r(c, o.rs1).wrapping_add(o.imm as u64);
    let v = c.s.f[(o.rs2 & 31) as usize];
    let Some(p) = host_ptr(c, o, a, 8, Access::Write) else { return EXIT };
    // SAFETY: as for integer stores.
    unsafe { (p as *mut u64).write_unaligned(v) };
    cont(c, o)
}

// Atomics: host atomics on the region. Misaligned atomics fault (the spec allows an
// address-misaligned exception); the Linux layer turns the fault into a signal.

#[inline(always)]
fn amo_ptr(c: &mut Ctx, o: &Op, n: u64) -> Option<*mut u8> {
    let a = r(c, o.rs1);
    if a & (n - 1) != 0 {
        stop(c, o, o.pc, Exit::Fault { addr: a, access: Access::Write }, false);
        return None;
    }
    host_ptr(c, o, a, n, Access::Write)
}

macro_rules! amo {
    ($name:ident, $atomic:ty, $t:ty, |$at:ident, $v:ident| $e:expr) => {
        fn $name(c: &mut Ctx, o: &Op) -> Next {
            let $v = r(c, o.rs2) as $t;
            let Some(p) = amo_ptr(c, o, std::mem::size_of::<$t>() as u64) else { return EXIT };
            // SAFETY: aligned and inside the region (checked); host faults are caught.
            let $at = unsafe { <$atomic>::from_ptr(p.cast()) };
            let old: $t = $e;
            w(c, o.rd, Ext::ext(old));
            cont(c, o)
        }
    };
}
const SC: Ordering = Ordering::SeqCst;
/// Sign-extends an AMO's old value to the register width.
trait Ext {
    fn ext(self) -> u64;
}
impl Ext for i32 {
    fn ext(self) -> u64 {
        self as i64 as u64
    }
}
impl Ext for u32 {
    fn ext(self) -> u64 {
        self as i32 as i64 as u64
    }
}
impl Ext for i64 {
    fn ext(self) -> u64 {
        self as u64
    }
}
impl Ext for u64 {
    fn ext(self) -> u64 {
        self
    }
}
amo!(amoswap_w, AtomicI32, i32, |at, v| at.swap(v, SC));
amo!(amoadd_w, AtomicI32, i32, |at, v| at.fetch_add(v, SC));
amo!(amoxor_w, AtomicI32, i32, |at, v| at.fetch_xor(v, SC));
amo!(amoand_w, AtomicI32, i32, |at, v| at.fetch_and(v, SC));
amo!(amoor_w, AtomicI32, i32, |at, v| at.fetch_or(v, SC));
amo!(amomin_w, AtomicI32, i32, |at, v| at.fetch_min(v, SC));
amo!(amomax_w, AtomicI32, i32, |at, v| at.fetch_max(v, SC));
amo!(amominu_w, AtomicU32, u32, |at, v| at.fetch_min(v, SC));
amo!(amomaxu_w, AtomicU32, u32, |at, v| at.fetch_max(v, SC));
amo!(amoswap_d, AtomicI64, i64, |at, v| at.swap(v, SC));
amo!(amoadd_d, AtomicI64, i64, |at, v| at.fetch_add(v, SC));
amo!(amoxor_d, AtomicI64, i64, |at, v| at.fetch_xor(v, SC));
amo!(amoand_d, AtomicI64, i64, |at, v| at.fetch_and(v, SC));
amo!(amoor_d, AtomicI64, i64, |at, v| at.fetch_or(v, SC));
amo!(amomin_d, AtomicI64, i64, |at, v| at.fetch_min(v, SC));
amo!(amomax_d, AtomicI64, i64, |at, v| at.fetch_max(v, SC));
amo!(amominu_d, AtomicU64, u64, |at, v| at.fetch_min(v, SC));
amo!(amomaxu_d, AtomicU64, u64, |at, v| at.fetch_max(v, SC));

// LR/SC: the reservation remembers the address and the value loaded; SC succeeds if the
// memory still holds that value (compare-and-swap), which is how host threads see it.
fn lr_w(c: &mut Ctx, o: &Op) -> Next {
    let Some(p) = amo_ptr(c, o, 4) else { return EXIT };
    // SAFETY: as for AMOs.
    let v = unsafe { AtomicI32::from_ptr(p.cast()) }.load(SC);
    c.s.res_addr = r(c, o.rs1);
    c.s.res_val = v as u32 as u64;
    c.s.res_valid = 4;
    w(c, o.rd, v as i64 as u64);
    cont(c, o)
}
fn lr_d(c: &mut Ctx, o: &Op) -> Next {
    let Some(p) = amo_ptr(c, o, 8) else { return EXIT };
    // SAFETY: as for AMOs.
    let v = unsafe { AtomicU64::from_ptr(p.cast()) }.load(SC);
    c.s.res_addr = r(c, o.rs1);
    c.s.res_val = v;
    c.s.res_valid = 8;
    w(c, o.rd, v);
    cont(c, o)
}
fn sc_w(c: &mut Ctx, o: &Op) -> Next {
    let Some(p) = amo_ptr(c, o, 4) else { return EXIT };
    let held = c.s.res_valid == 4 && c.s.res_addr == r(c, o.rs1);
    c.s.res_valid = 0;
    let ok = held && {
        // SAFETY: as for AMOs.
        let at = unsafe { AtomicU32::from_ptr(p.cast()) };
        at.compare_exchange(c.s.res_val as u32, r(c, o.rs2) as u32, SC, SC).is_ok()
    };
    w(c, o.rd, !ok as u64);
    cont(c, o)
}
fn sc_d(c: &mut Ctx, o: &Op) -> Next {
    let Some(p) = amo_ptr(c, o, 8) else { return EXIT };
    let held = c.s.res_valid == 8 && c.s.res_addr == r(c, o.rs1);
    c.s.res_valid = 0;
    let ok = held && {
        // SAFETY: as for AMOs.
        let at = unsafe { AtomicU64::from_ptr(p.cast()) };
        at.compare_exchange(c.s.res_val, r(c, o.rs2), SC, SC).is_ok()
    };
    w(c, o.rd, !ok as u64);
    cont(c, o)
}

// Zicsr.
const CSR_FFLAGS: u16 = 0x001;
const CSR_FRM: u16 = 0x002;
const CSR_FCSR: u16 = 0x003;
const CSR_CYCLE: u16 = 0xc00;
const CSR_TIME: u16 = 0xc01;
const CSR_INSTRET: u16 = 0xc02;

fn now_ns() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

fn csr_common(c: &mut Ctx, o: &Op, src: u64, writes: bool) -> Next {
    let csr = (o.imm >> 32) as u16;
    let old = match csr {
        CSR_FFLAGS => c.s.fflags as u64,
        CSR_FRM => c.s.frm as u64,
        CSR_FCSR => (c.s.frm << 5 | c.s.fflags) as u64,
        CSR_CYCLE | CSR_TIME => now_ns(),
        // instret is settled when the block ends, which this instruction does; `o.n - 1`
        // instructions of the block came before it.
        CSR_INSTRET => c.s.instret.wrapping_add(o.n as u64 - 1),
        _ => return illegal_raw(c, o),
    };
    if writes {
        if csr >> 10 == 3 {
            return illegal_raw(c, o);
        }
        let new = match o.rs2 {
            0 => src,
            1 => old | src,
            _ => old & !src,
        };
        match csr {
            CSR_FFLAGS => c.s.fflags = (new & 0x1f) as u32,
            CSR_FRM => c.s.frm = (new & 7) as u32,
            _ => {
                c.s.fflags = (new & 0x1f) as u32;
                c.s.frm = ((new >> 5) & 7) as u32;
            }
        }
    }
    if o.rd != 0 {
        w(c, o.rd, old);
    }
    goto(c, o, next_pc(o), TAKEN)
}
fn illegal_raw(c: &mut Ctx, o: &Op) -> Next {
    illegal(c, o)
}
fn csr_reg(c: &mut Ctx, o: &Op) -> Next {
    // csrrw always writes; csrrs/csrrc write only when rs1 is not x0.
    let writes = o.rs2 == 0 || o.rs1 != 0;
    let src = r(c, o.rs1);
    csr_common(c, o, src, writes)
}
fn csr_imm(c: &mut Ctx, o: &Op) -> Next {
    let writes = o.rs2 == 0 || o.rs1 != 0;
    csr_common(c, o, o.rs1 as u64, writes)
}

// F and D. Single values are NaN-boxed in the 64-bit registers.
const BOX: u64 = 0xffff_ffff_0000_0000;
const CANONICAL_NAN_S: u32 = 0x7fc0_0000;

#[inline(always)]
fn box_s(v: u32) -> u64 {
    BOX | v as u64
}
#[inline(always)]
fn unbox_s(v: u64) -> u32 {
    if v & BOX == BOX {
        v as u32
    } else {
        CANONICAL_NAN_S
    }
}
#[inline(always)]
fn fs(c: &Ctx, i: u8) -> u32 {
    unbox_s(c.s.f[(i & 31) as usize])
}
#[inline(always)]
fn fd(c: &Ctx, i: u8) -> u64 {
    c.s.f[(i & 31) as usize]
}
#[inline(always)]
fn set_fs(c: &mut Ctx, i: u8, v: u32) {
    c.s.f[(i & 31) as usize] = box_s(v);
}
#[inline(always)]
fn set_fd(c: &mut Ctx, i: u8, v: u64) {
    c.s.f[(i & 31) as usize] = v;
}

/// The effective rounding mode, or None (illegal instruction) for a reserved one.
#[inline(always)]
fn rm(c: &Ctx, o: &Op) -> Option<u8> {
    let m = if o.rm == 7 { c.s.frm as u8 } else { o.rm };
    (m < 5).then_some(m)
}

macro_rules! fbin {
    ($name:ident, $get:ident, $set:ident, $f:path) => {
        fn $name(c: &mut Ctx, o: &Op) -> Next {
            let Some(m) = rm(c, o) else { return illegal(c, o) };
            let (v, fl) = $f($get(c, o.rs1), $get(c, o.rs2), m);
            c.s.fflags |= fl as u32;
            $set(c, o.rd, v);
            cont(c, o)
        }
    };
}
fbin!(fadd_s, fs, set_fs, fpu::add_s);
fbin!(fsub_s, fs, set_fs, fpu::sub_s);
fbin!(fmul_s, fs, set_fs, fpu::mul_s);
fbin!(fdiv_s, fs, set_fs, fpu::div_s);
fbin!(fadd_d, fd, set_fd, fpu::add_d);
fbin!(fsub_d, fd, set_fd, fpu::sub_d);
fbin!(fmul_d, fd, set_fd, fpu::mul_d);
fbin!(fdiv_d, fd, set_fd, fpu::div_d);

macro_rules! fminmax {
    ($name:ident, $get:ident, $set:ident, $f:path) => {
        fn $name(c: &mut Ctx, o: &Op) -> Next {
            let (v, fl) = $f($get(c, o.rs1), $get(c, o.rs2));
            c.s.fflags |= fl as u32;
            $set(c, o.rd, v);
            cont(c, o)
        }
    };
}
fminmax!(fmin_s, fs, set_fs, fpu::min_s);
fminmax!(fmax_s, fs, set_fs, fpu::max_s);
fminmax!(fmin_d, fd, set_fd, fpu::min_d);
fminmax!(fmax_d, fd, set_fd, fpu::max_d);

macro_rules! fsgnj {
    ($name:ident, $get:ident, $set:ident, $sign:expr, |$a:ident, $b:ident| $e:expr) => {
        fn $name(c: &mut Ctx, o: &Op) -> Next {
            let $a = $get(c, o.rs1);
            let $b = $get(c, o.rs2);
            let sign = $sign;
            let v = ($a & !sign) | ($e & sign);
            $set(c, o.rd, v);
            cont(c, o)
        }
    };
}
fsgnj!(fsgnj_s, fs, set_fs, 1u32 << 31, |a, b| b);
fsgnj!(fsgnjn_s, fs, set_fs, 1u32 << 31, |a, b| !b);
fsgnj!(fsgnjx_s, fs, set_fs, 1u32 << 31, |a, b| a ^ b);
fsgnj!(fsgnj_d, fd, set_fd, 1u64 << 63, |a, b| b);
fsgnj!(fsgnjn_d, fd, set_fd, 1u64 << 63, |a, b| !b);
fsgnj!(fsgnjx_d, fd, set_fd, 1u64 << 63, |a, b| a ^ b);

fn fsqrt_s(c: &mut Ctx, o: &Op) -> Next {
    let Some(m) = rm(c, o) else { return illegal(c, o) };
    let (v, fl) = fpu::sqrt_s(fs(c, o.rs1), m);
    c.s.fflags |= fl as u32;
    set_fs(c, o.rd, v);
    cont(c, o)
}
fn fsqrt_d(c: &mut Ctx, o: &Op) -> Next {
    let Some(m) = rm(c, o) else { return illegal(c, o) };
    let (v, fl) = fpu::sqrt_d(fd(c, o.rs1), m);
    c.s.fflags |= fl as u32;
    set_fd(c, o.rd, v);
    cont(c, o)
}
fn ffma_s(c: &mut Ctx, o: &Op) -> Next {
    let Some(m) = rm(c, o) else { return illegal(c, o) };
    let neg = o.len >> 4;
    let a = fs(c, o.rs1) ^ if neg & 1 != 0 { 1 << 31 } else { 0 };
    let cc = fs(c, o.rs3) ^ if neg & 2 != 0 { 1 << 31 } else { 0 };
    let (v, fl) = fpu::fma_s(a, fs(c, o.rs2), cc, m);
    c.s.fflags |= fl as u32;
    set_fs(c, o.rd, v);
    cont(c, o)
}
fn ffma_d(c: &mut Ctx, o: &Op) -> Next {
    let Some(m) = rm(c, o) else { return illegal(c, o) };
    let neg = o.len >> 4;
    let a = fd(c, o.rs1) ^ if neg & 1 != 0 { 1 << 63 } else { 0 };
    let cc = fd(c, o.rs3) ^ if neg & 2 != 0 { 1 << 63 } else { 0 };
    let (v, fl) = fpu::fma_d(a, fd(c, o.rs2), cc, m);
    c.s.fflags |= fl as u32;
    set_fd(c, o.rd, v);
    cont(c, o)
}

macro_rules! fcmp {
    ($name:ident, $get:ident, $f:path) => {
        fn $name(c: &mut Ctx, o: &Op) -> Next {
            let (v, fl) = $f($get(c, o.rs1), $get(c, o.rs2));
            c.s.fflags |= fl as u32;
            w(c, o.rd, v as u64);
            cont(c, o)
        }
    };
}
fcmp!(feq_s, fs, fpu::eq_s);
fcmp!(flt_s, fs, fpu::lt_s);
fcmp!(fle_s, fs, fpu::le_s);
fcmp!(feq_d, fd, fpu::eq_d);
fcmp!(flt_d, fd, fpu::lt_d);
fcmp!(fle_d, fd, fpu::le_d);

fn fclass_s(c: &mut Ctx, o: &Op) -> Next {
    let v = fpu::class_s(fs(c, o.rs1));
    w(c, o.rd, v);
    cont(c, o)
}
fn fclass_d(c: &mut Ctx, o: &Op) -> Next {
    let v = fpu::class_d(fd(c, o.rs1));
    w(c, o.rd, v);
    cont(c, o)
}

macro_rules! fcvt {
    ($name:ident, $get:ident, $set:ident, $f:path) => {
        fn $name(c: &mut Ctx, o: &Op) -> Next {
            let Some(m) = rm(c, o) else { return illegal(c, o) };
            let (v, fl) = $f($get(c, o.rs1), m);
            c.s.fflags |= fl as u32;
            $set(c, o.rd, v);
            cont(c, o)
        }
    };
}
fcvt!(fcvt_w_s, fs, w, fpu::cvt_w_s);
fcvt!(fcvt_wu_s, fs, w, fpu::cvt_wu_s);
fcvt!(fcvt_l_s, fs, w, fpu::cvt_l_s);
fcvt!(fcvt_lu_s, fs, w, fpu::cvt_lu_s);
fcvt!(fcvt_w_d, fd, w, fpu::cvt_w_d);
fcvt!(fcvt_wu_d, fd, w, fpu::cvt_wu_d);
fcvt!(fcvt_l_d, fd, w, fpu::cvt_l_d);
fcvt!(fcvt_lu_d, fd, w, fpu::cvt_lu_d);
fcvt!(fcvt_s_w, r, set_fs, fpu::cvt_s_w);
fcvt!(fcvt_s_wu, r, set_fs, fpu::cvt_s_wu);
fcvt!(fcvt_s_l, r, set_fs, fpu::cvt_s_l);
fcvt!(fcvt_s_lu, r, set_fs, fpu::cvt_s_lu);
fcvt!(fcvt_d_w, r, set_fd, fpu::cvt_d_w);
fcvt!(fcvt_d_wu, r, set_fd, fpu::cvt_d_wu);
fcvt!(fcvt_d_l, r, set_fd, fpu::cvt_d_l);
fcvt!(fcvt_d_lu, r, set_fd, fpu::cvt_d_lu);
fcvt!(fcvt_s_d, fd, set_fs, fpu::cvt_s_d);
fn fcvt_d_s(c: &mut Ctx, o: &Op) -> Next {
    // Exact, so the rounding mode only has to be valid.
    if rm(c, o).is_none() {
        return illegal(c, o);
    }
    let (v, fl) = fpu::cvt_d_s(fs(c, o.rs1));
    c.s.fflags |= fl as u32;
    set_fd(c, o.rd, v);
    cont(c, o)
}
fn fmv_x_w(c: &mut Ctx, o: &Op) -> Next {
    let v = c.s.f[(o.rs1 & 31) as usize] as u32;
    w(c, o.rd, v as i32 as i64 as u64);
    cont(c, o)
}
fn fmv_x_d(c: &mut Ctx, o: &Op) -> Next {
    let v = c.s.f[(o.rs1 & 31) as usize];
    w(c, o.rd, v);
    cont(c, o)
}
fn fmv_w_x(c: &mut Ctx, o: &Op) -> Next {
    let v = r(c, o.rs1) as u32;
    set_fs(c, o.rd, v);
    cont(c, o)
}
fn fmv_d_x(c: &mut Ctx, o: &Op) -> Next {
    let v = r(c, o.rs1);
    set_fd(c, o.rd, v);
    cont(c, o)
}

#[cfg(test)]
mod tests;
