//! The RISC-V interpreter: guest state, a cache of decoded blocks, and the [`Cpu`] impl.
//!
//! A block (straight-line code up to a control transfer, a system instruction or 64
//! instructions) is decoded once and lowered to compact [`Op`]s, each carrying its
//! handler function and operands; running a block is a loop of indirect calls. The pc is
//! only written by the op that ends a block, and by memory ops before they touch guest
//! memory, so a fault reports the exact instruction.

use std::collections::HashMap;
use std::sync::atomic::{compiler_fence, AtomicI32, AtomicI64, AtomicU32, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use remu_core::fault::guarded;
use remu_core::{Access, Cpu, Exit, GuestMemory};

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
    /// Retired instructions (settled per block: a block counts whole when entered).
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

/// An op handler: true to continue with the next op, false to leave the run loop with the
/// exit stored in [`Ctx::exit`].
type Handler = fn(&mut Ctx, &Op) -> bool;

/// Machine state plus the pending exit; what handlers work on.
pub struct Ctx {
    pub s: State,
    exit: Exit,
}

/// One lowered instruction.
#[derive(Clone, Copy)]
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
}

struct Block {
    ops: Box<[Op]>,
    /// Instructions in the block (ops may include helpers).
    count: u64,
}

const SLOTS: usize = 1 << 14;
const MAX_BLOCK: usize = 64;

/// Decoded blocks by guest pc: a direct-mapped table in front of a hash map.
struct BlockCache {
    slots: Box<[(u64, u32)]>,
    blocks: Vec<Block>,
    map: HashMap<u64, u32>,
}

impl BlockCache {
    fn new() -> Self {
        BlockCache { slots: vec![(1, 0); SLOTS].into_boxed_slice(), blocks: Vec::new(), map: HashMap::new() }
    }
    fn clear(&mut self) {
        self.slots.fill((1, 0));
        self.blocks.clear();
        self.map.clear();
    }
    #[inline(always)]
    fn slot(pc: u64) -> usize {
        ((pc >> 1) as usize) & (SLOTS - 1)
    }
}

/// A RISC-V hart: state plus its block cache.
pub struct RiscvCpu {
    ctx: Ctx,
    cache: BlockCache,
    epoch: u64,
}

// SAFETY: `State::base` is a pointer into the shared guest region, which is Send + Sync
// (see GuestMemory); nothing else in the CPU is thread-bound.
unsafe impl Send for RiscvCpu {}

impl RiscvCpu {
    pub fn new(entry: u64) -> RiscvCpu {
        let s = State { pc: entry, ..State::default() };
        RiscvCpu { ctx: Ctx { s, exit: Exit::CodeFlushed }, cache: BlockCache::new(), epoch: u64::MAX }
    }
    pub fn state(&self) -> &State {
        &self.ctx.s
    }
    pub fn state_mut(&mut self) -> &mut State {
        &mut self.ctx.s
    }

    fn lookup(&mut self, mem: &GuestMemory, pc: u64) -> Result<u32, Exit> {
        let slot = BlockCache::slot(pc);
        let (tag, idx) = self.cache.slots[slot];
        if tag == pc {
            return Ok(idx);
        }
        let idx = match self.cache.map.get(&pc) {
            Some(&i) => i,
            None => {
                let b = build_block(mem, pc)?;
                let i = self.cache.blocks.len() as u32;
                self.cache.blocks.push(b);
                self.cache.map.insert(pc, i);
                i
            }
        };
        self.cache.slots[slot] = (pc, idx);
        Ok(idx)
    }

    fn run_loop(&mut self, mem: &GuestMemory) -> Exit {
        loop {
            let pc = self.ctx.s.pc;
            let idx = match self.lookup(mem, pc) {
                Ok(i) => i,
                Err(e) => return e,
            };
            let block = &self.cache.blocks[idx as usize];
            let ctx = &mut self.ctx;
            ctx.s.instret = ctx.s.instret.wrapping_add(block.count);
            for op in block.ops.iter() {
                if !(op.h)(ctx, op) {
                    return ctx.exit;
                }
            }
        }
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
        let exit = match guarded(mem.base(), mem.size(), || self.run_loop(mem)) {
            Ok(e) => e,
            Err(f) if f.bus => Exit::BusError { addr: f.addr },
            Err(f) => Exit::Fault { addr: f.addr, access: f.access },
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
    fn boxed_clone(&self) -> Box<dyn Cpu> {
        let mut s = self.ctx.s.clone();
        s.res_valid = 0;
        Box::new(RiscvCpu { ctx: Ctx { s, exit: Exit::CodeFlushed }, cache: BlockCache::new(), epoch: u64::MAX })
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
    let mut count = 0u64;
    loop {
        let (word, len) = match fetch(mem, pc) {
            Ok(v) => v,
            // Fault at the block's first instruction: report it; otherwise end the block
            // here and fault when execution gets there.
            Err(e) if count == 0 => return Err(e),
            Err(_) => {
                ops.push(op(fallthrough, pc, 0, 0, 0, 0));
                break;
            }
        };
        let (inst, _) = decode(word);
        lower(&mut ops, inst, pc, len, word);
        count += 1;
        pc = pc.wrapping_add(len as u64);
        if inst.ends_block() {
            break;
        }
        if count as usize >= MAX_BLOCK {
            ops.push(op(fallthrough, pc, 0, 0, 0, 0));
            break;
        }
    }
    Ok(Block { ops: ops.into_boxed_slice(), count })
}

fn op(h: Handler, pc: u64, imm: i64, rd: u8, rs1: u8, rs2: u8) -> Op {
    Op { h, pc, imm, rd, rs1, rs2, rs3: 0, rm: 0, len: 0 }
}

// ---------------------------------------------------------------------------------------
// Lowering: Inst -> Op
// ---------------------------------------------------------------------------------------

fn lower(ops: &mut Vec<Op>, inst: Inst, pc: u64, len: u8, raw: u32) {
    let mut o = Op { h: illegal, pc, imm: raw as i64, rd: 0, rs1: 0, rs2: 0, rs3: 0, rm: 0, len };
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
        }
        Inst::Branch { cond, rs1, rs2, offset } => {
            o.h = match cond {
                BranchCond::Eq => beq,
                BranchCond::Ne => bne,
                BranchCond::Lt => blt,
                BranchCond::Ge => bge,
                BranchCond::Ltu => bltu,
                BranchCond::Geu => bgeu,
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
    ops.push(o);
    if rezero {
        ops.push(op(zero_x0, pc, 0, 0, 0, 0));
    }
}

// ---------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------

#[inline(always)]
fn r(c: &Ctx, i: u8) -> u64 {
    c.s.x[(i & 31) as usize]
}
#[inline(always)]
fn w(c: &mut Ctx, i: u8, v: u64) {
    c.s.x[(i & 31) as usize] = v;
}
#[inline(always)]
fn next_pc(o: &Op) -> u64 {
    o.pc.wrapping_add((o.len & 15) as u64)
}

fn stop(c: &mut Ctx, pc: u64, e: Exit) -> bool {
    c.s.pc = pc;
    c.exit = e;
    false
}

fn illegal(c: &mut Ctx, o: &Op) -> bool {
    stop(c, o.pc, Exit::Illegal { raw: o.imm as u32, len: o.len & 15 })
}
fn fallthrough(c: &mut Ctx, o: &Op) -> bool {
    c.s.pc = o.pc;
    true
}
fn zero_x0(c: &mut Ctx, _o: &Op) -> bool {
    c.s.x[0] = 0;
    true
}
fn fence(_c: &mut Ctx, _o: &Op) -> bool {
    std::sync::atomic::fence(Ordering::SeqCst);
    true
}
fn fence_i(c: &mut Ctx, o: &Op) -> bool {
    stop(c, next_pc(o), Exit::CodeFlushed)
}
fn ecall(c: &mut Ctx, o: &Op) -> bool {
    stop(c, next_pc(o), Exit::Syscall)
}
fn ebreak(c: &mut Ctx, o: &Op) -> bool {
    stop(c, o.pc, Exit::Breakpoint)
}

// Control transfer. Jumps to a misaligned (odd) target cannot happen: jalr clears bit 0,
// and with C every even address is a valid target.
fn jal(c: &mut Ctx, o: &Op) -> bool {
    w(c, o.rd, next_pc(o));
    c.s.pc = o.imm as u64;
    true
}
fn jump(c: &mut Ctx, o: &Op) -> bool {
    c.s.pc = o.imm as u64;
    true
}
fn jalr(c: &mut Ctx, o: &Op) -> bool {
    let t = r(c, o.rs1).wrapping_add(o.imm as u64) & !1;
    w(c, o.rd, next_pc(o));
    c.s.pc = t;
    true
}
fn jr(c: &mut Ctx, o: &Op) -> bool {
    c.s.pc = r(c, o.rs1).wrapping_add(o.imm as u64) & !1;
    true
}
macro_rules! branch {
    ($name:ident, |$a:ident, $b:ident| $cond:expr) => {
        fn $name(c: &mut Ctx, o: &Op) -> bool {
            let $a = r(c, o.rs1);
            let $b = r(c, o.rs2);
            c.s.pc = if $cond { o.imm as u64 } else { next_pc(o) };
            true
        }
    };
}
branch!(beq, |a, b| a == b);
branch!(bne, |a, b| a != b);
branch!(blt, |a, b| (a as i64) < (b as i64));
branch!(bge, |a, b| (a as i64) >= (b as i64));
branch!(bltu, |a, b| a < b);
branch!(bgeu, |a, b| a >= b);

// Integer ALU.
macro_rules! alu_imm {
    ($name:ident, |$a:ident, $i:ident| $e:expr) => {
        fn $name(c: &mut Ctx, o: &Op) -> bool {
            let $a = r(c, o.rs1);
            let $i = o.imm;
            w(c, o.rd, $e);
            true
        }
    };
}
macro_rules! alu {
    ($name:ident, |$a:ident, $b:ident| $e:expr) => {
        fn $name(c: &mut Ctx, o: &Op) -> bool {
            let $a = r(c, o.rs1);
            let $b = r(c, o.rs2);
            w(c, o.rd, $e);
            true
        }
    };
}
fn sx32(v: u64) -> u64 {
    v as i32 as i64 as u64
}
fn li(c: &mut Ctx, o: &Op) -> bool {
    w(c, o.rd, o.imm as u64);
    true
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
alu!(divu, |a, b| if b == 0 { u64::MAX } else { a / b });
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
    if b == 0 {
        u64::MAX
    } else {
        sx32((a / b) as u64)
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

/// Checks `[a, a+n)` lies in the region and records the pc for a host fault. Returns the
/// host pointer, or None after setting the exit.
#[inline(always)]
fn host_ptr(c: &mut Ctx, o: &Op, a: u64, n: u64, access: Access) -> Option<*mut u8> {
    if a > c.s.size - n {
        c.s.pc = o.pc;
        c.exit = Exit::Fault { addr: a, access };
        return None;
    }
    c.s.pc = o.pc;
    // The pc store must not sink past the access, which may fault and leave this frame.
    compiler_fence(Ordering::SeqCst);
    // SAFETY: `a + n <= size`, so the pointer stays inside the region.
    Some(unsafe { c.s.base.add(a as usize) })
}

macro_rules! load {
    ($name:ident, $t:ty, |$v:ident| $e:expr) => {
        fn $name(c: &mut Ctx, o: &Op) -> bool {
            let a = r(c, o.rs1).wrapping_add(o.imm as u64);
            let Some(p) = host_ptr(c, o, a, std::mem::size_of::<$t>() as u64, Access::Read) else {
                return false;
            };
            // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
            let $v = unsafe { (p as *const $t).read_unaligned() };
            w(c, o.rd, $e);
            true
        }
    };
}
load!(lb, i8, |v| v as i64 as u64);
load!(lh, i16, |v| v as i64 as u64);
load!(lw, i32, |v| v as i64 as u64);
load!(ld, u64, |v| v);
load!(lbu, u8, |v| v as u64);
load!(lhu, u16, |v| v as u64);
load!(lwu, u32, |v| v as u64);

macro_rules! store {
    ($name:ident, $t:ty) => {
        fn $name(c: &mut Ctx, o: &Op) -> bool {
            let a = r(c, o.rs1).wrapping_add(o.imm as u64);
            let v = r(c, o.rs2) as $t;
            let Some(p) = host_ptr(c, o, a, std::mem::size_of::<$t>() as u64, Access::Write) else {
                return false;
            };
            // SAFETY: in the region (checked); a permission fault is caught by `guarded`.
            unsafe { (p as *mut $t).write_unaligned(v) };
            true
        }
    };
}
store!(sb, u8);
store!(sh, u16);
store!(sw, u32);
store!(sd, u64);

fn flw(c: &mut Ctx, o: &Op) -> bool {
    let a = r(c, o.rs1).wrapping_add(o.imm as u64);
    let Some(p) = host_ptr(c, o, a, 4, Access::Read) else { return false };
    // SAFETY: as for integer loads.
    let v = unsafe { (p as *const u32).read_unaligned() };
    c.s.f[(o.rd & 31) as usize] = box_s(v);
    true
}
fn fld(c: &mut Ctx, o: &Op) -> bool {
    let a = r(c, o.rs1).wrapping_add(o.imm as u64);
    let Some(p) = host_ptr(c, o, a, 8, Access::Read) else { return false };
    // SAFETY: as for integer loads.
    let v = unsafe { (p as *const u64).read_unaligned() };
    c.s.f[(o.rd & 31) as usize] = v;
    true
}
fn fsw(c: &mut Ctx, o: &Op) -> bool {
    let a = r(c, o.rs1).wrapping_add(o.imm as u64);
    let v = c.s.f[(o.rs2 & 31) as usize] as u32;
    let Some(p) = host_ptr(c, o, a, 4, Access::Write) else { return false };
    // SAFETY: as for integer stores.
    unsafe { (p as *mut u32).write_unaligned(v) };
    true
}
fn fsd(c: &mut Ctx, o: &Op) -> bool {
    let a = r(c, o.rs1).wrapping_add(o.imm as u64);
    let v = c.s.f[(o.rs2 & 31) as usize];
    let Some(p) = host_ptr(c, o, a, 8, Access::Write) else { return false };
    // SAFETY: as for integer stores.
    unsafe { (p as *mut u64).write_unaligned(v) };
    true
}

// Atomics: host atomics on the region. Misaligned atomics fault (the spec allows an
// address-misaligned exception); the Linux layer turns the fault into a signal.

#[inline(always)]
fn amo_ptr(c: &mut Ctx, o: &Op, n: u64) -> Option<*mut u8> {
    let a = r(c, o.rs1);
    if a & (n - 1) != 0 {
        c.s.pc = o.pc;
        c.exit = Exit::Fault { addr: a, access: Access::Write };
        return None;
    }
    host_ptr(c, o, a, n, Access::Write)
}

macro_rules! amo {
    ($name:ident, $atomic:ty, $t:ty, |$at:ident, $v:ident| $e:expr) => {
        fn $name(c: &mut Ctx, o: &Op) -> bool {
            let $v = r(c, o.rs2) as $t;
            let Some(p) = amo_ptr(c, o, std::mem::size_of::<$t>() as u64) else { return false };
            // SAFETY: aligned and inside the region (checked); host faults are caught.
            let $at = unsafe { <$atomic>::from_ptr(p.cast()) };
            let old: $t = $e;
            w(c, o.rd, Ext::ext(old));
            true
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
fn lr_w(c: &mut Ctx, o: &Op) -> bool {
    let Some(p) = amo_ptr(c, o, 4) else { return false };
    // SAFETY: as for AMOs.
    let v = unsafe { AtomicI32::from_ptr(p.cast()) }.load(SC);
    c.s.res_addr = r(c, o.rs1);
    c.s.res_val = v as u32 as u64;
    c.s.res_valid = 4;
    w(c, o.rd, v as i64 as u64);
    true
}
fn lr_d(c: &mut Ctx, o: &Op) -> bool {
    let Some(p) = amo_ptr(c, o, 8) else { return false };
    // SAFETY: as for AMOs.
    let v = unsafe { AtomicU64::from_ptr(p.cast()) }.load(SC);
    c.s.res_addr = r(c, o.rs1);
    c.s.res_val = v;
    c.s.res_valid = 8;
    w(c, o.rd, v);
    true
}
fn sc_w(c: &mut Ctx, o: &Op) -> bool {
    let Some(p) = amo_ptr(c, o, 4) else { return false };
    let held = c.s.res_valid == 4 && c.s.res_addr == r(c, o.rs1);
    c.s.res_valid = 0;
    let ok = held && {
        // SAFETY: as for AMOs.
        let at = unsafe { AtomicU32::from_ptr(p.cast()) };
        at.compare_exchange(c.s.res_val as u32, r(c, o.rs2) as u32, SC, SC).is_ok()
    };
    w(c, o.rd, !ok as u64);
    true
}
fn sc_d(c: &mut Ctx, o: &Op) -> bool {
    let Some(p) = amo_ptr(c, o, 8) else { return false };
    let held = c.s.res_valid == 8 && c.s.res_addr == r(c, o.rs1);
    c.s.res_valid = 0;
    let ok = held && {
        // SAFETY: as for AMOs.
        let at = unsafe { AtomicU64::from_ptr(p.cast()) };
        at.compare_exchange(c.s.res_val, r(c, o.rs2), SC, SC).is_ok()
    };
    w(c, o.rd, !ok as u64);
    true
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

fn csr_common(c: &mut Ctx, o: &Op, src: u64, writes: bool) -> bool {
    let csr = (o.imm >> 32) as u16;
    let old = match csr {
        CSR_FFLAGS => c.s.fflags as u64,
        CSR_FRM => c.s.frm as u64,
        CSR_FCSR => (c.s.frm << 5 | c.s.fflags) as u64,
        CSR_CYCLE | CSR_TIME => now_ns(),
        // instret was settled for the whole block, which this instruction ends.
        CSR_INSTRET => c.s.instret.wrapping_sub(1),
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
    c.s.pc = next_pc(o);
    true
}
fn illegal_raw(c: &mut Ctx, o: &Op) -> bool {
    stop(c, o.pc, Exit::Illegal { raw: o.imm as u32, len: o.len & 15 })
}
fn csr_reg(c: &mut Ctx, o: &Op) -> bool {
    // csrrw always writes; csrrs/csrrc write only when rs1 is not x0.
    let writes = o.rs2 == 0 || o.rs1 != 0;
    let src = r(c, o.rs1);
    csr_common(c, o, src, writes)
}
fn csr_imm(c: &mut Ctx, o: &Op) -> bool {
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
        fn $name(c: &mut Ctx, o: &Op) -> bool {
            let Some(m) = rm(c, o) else { return illegal(c, o) };
            let (v, fl) = $f($get(c, o.rs1), $get(c, o.rs2), m);
            c.s.fflags |= fl as u32;
            $set(c, o.rd, v);
            true
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
        fn $name(c: &mut Ctx, o: &Op) -> bool {
            let (v, fl) = $f($get(c, o.rs1), $get(c, o.rs2));
            c.s.fflags |= fl as u32;
            $set(c, o.rd, v);
            true
        }
    };
}
fminmax!(fmin_s, fs, set_fs, fpu::min_s);
fminmax!(fmax_s, fs, set_fs, fpu::max_s);
fminmax!(fmin_d, fd, set_fd, fpu::min_d);
fminmax!(fmax_d, fd, set_fd, fpu::max_d);

macro_rules! fsgnj {
    ($name:ident, $get:ident, $set:ident, $sign:expr, |$a:ident, $b:ident| $e:expr) => {
        fn $name(c: &mut Ctx, o: &Op) -> bool {
            let $a = $get(c, o.rs1);
            let $b = $get(c, o.rs2);
            let sign = $sign;
            let v = ($a & !sign) | ($e & sign);
            $set(c, o.rd, v);
            true
        }
    };
}
fsgnj!(fsgnj_s, fs, set_fs, 1u32 << 31, |a, b| b);
fsgnj!(fsgnjn_s, fs, set_fs, 1u32 << 31, |a, b| !b);
fsgnj!(fsgnjx_s, fs, set_fs, 1u32 << 31, |a, b| a ^ b);
fsgnj!(fsgnj_d, fd, set_fd, 1u64 << 63, |a, b| b);
fsgnj!(fsgnjn_d, fd, set_fd, 1u64 << 63, |a, b| !b);
fsgnj!(fsgnjx_d, fd, set_fd, 1u64 << 63, |a, b| a ^ b);

fn fsqrt_s(c: &mut Ctx, o: &Op) -> bool {
    let Some(m) = rm(c, o) else { return illegal(c, o) };
    let (v, fl) = fpu::sqrt_s(fs(c, o.rs1), m);
    c.s.fflags |= fl as u32;
    set_fs(c, o.rd, v);
    true
}
fn fsqrt_d(c: &mut Ctx, o: &Op) -> bool {
    let Some(m) = rm(c, o) else { return illegal(c, o) };
    let (v, fl) = fpu::sqrt_d(fd(c, o.rs1), m);
    c.s.fflags |= fl as u32;
    set_fd(c, o.rd, v);
    true
}
fn ffma_s(c: &mut Ctx, o: &Op) -> bool {
    let Some(m) = rm(c, o) else { return illegal(c, o) };
    let neg = o.len >> 4;
    let a = fs(c, o.rs1) ^ if neg & 1 != 0 { 1 << 31 } else { 0 };
    let cc = fs(c, o.rs3) ^ if neg & 2 != 0 { 1 << 31 } else { 0 };
    let (v, fl) = fpu::fma_s(a, fs(c, o.rs2), cc, m);
    c.s.fflags |= fl as u32;
    set_fs(c, o.rd, v);
    true
}
fn ffma_d(c: &mut Ctx, o: &Op) -> bool {
    let Some(m) = rm(c, o) else { return illegal(c, o) };
    let neg = o.len >> 4;
    let a = fd(c, o.rs1) ^ if neg & 1 != 0 { 1 << 63 } else { 0 };
    let cc = fd(c, o.rs3) ^ if neg & 2 != 0 { 1 << 63 } else { 0 };
    let (v, fl) = fpu::fma_d(a, fd(c, o.rs2), cc, m);
    c.s.fflags |= fl as u32;
    set_fd(c, o.rd, v);
    true
}

macro_rules! fcmp {
    ($name:ident, $get:ident, $f:path) => {
        fn $name(c: &mut Ctx, o: &Op) -> bool {
            let (v, fl) = $f($get(c, o.rs1), $get(c, o.rs2));
            c.s.fflags |= fl as u32;
            w(c, o.rd, v as u64);
            true
        }
    };
}
fcmp!(feq_s, fs, fpu::eq_s);
fcmp!(flt_s, fs, fpu::lt_s);
fcmp!(fle_s, fs, fpu::le_s);
fcmp!(feq_d, fd, fpu::eq_d);
fcmp!(flt_d, fd, fpu::lt_d);
fcmp!(fle_d, fd, fpu::le_d);

fn fclass_s(c: &mut Ctx, o: &Op) -> bool {
    let v = fpu::class_s(fs(c, o.rs1));
    w(c, o.rd, v);
    true
}
fn fclass_d(c: &mut Ctx, o: &Op) -> bool {
    let v = fpu::class_d(fd(c, o.rs1));
    w(c, o.rd, v);
    true
}

macro_rules! fcvt {
    ($name:ident, $get:ident, $set:ident, $f:path) => {
        fn $name(c: &mut Ctx, o: &Op) -> bool {
            let Some(m) = rm(c, o) else { return illegal(c, o) };
            let (v, fl) = $f($get(c, o.rs1), m);
            c.s.fflags |= fl as u32;
            $set(c, o.rd, v);
            true
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
fn fcvt_d_s(c: &mut Ctx, o: &Op) -> bool {
    // Exact, so the rounding mode only has to be valid.
    if rm(c, o).is_none() {
        return illegal(c, o);
    }
    let (v, fl) = fpu::cvt_d_s(fs(c, o.rs1));
    c.s.fflags |= fl as u32;
    set_fd(c, o.rd, v);
    true
}
fn fmv_x_w(c: &mut Ctx, o: &Op) -> bool {
    let v = c.s.f[(o.rs1 & 31) as usize] as u32;
    w(c, o.rd, v as i32 as i64 as u64);
    true
}
fn fmv_x_d(c: &mut Ctx, o: &Op) -> bool {
    let v = c.s.f[(o.rs1 & 31) as usize];
    w(c, o.rd, v);
    true
}
fn fmv_w_x(c: &mut Ctx, o: &Op) -> bool {
    let v = r(c, o.rs1) as u32;
    set_fs(c, o.rd, v);
    true
}
fn fmv_d_x(c: &mut Ctx, o: &Op) -> bool {
    let v = r(c, o.rs1);
    set_fd(c, o.rd, v);
    true
}
