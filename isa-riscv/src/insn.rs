//! The typed RISC-V instruction: what [`crate::decode`] produces and what the interpreter,
//! the disassembler (`Display`, in `disasm.rs`) and a JIT all `match` on.
//!
//! Compressed instructions have no variants of their own: `c.addi a0, 1` is
//! `Inst::AluImm { op: AluImmOp::Addi, .. }`, with the decoder reporting length 2.

/// An integer register x0..x31.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reg(pub u8);

/// A floating-point register f0..f31.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FReg(pub u8);

impl Reg {
    pub const ZERO: Reg = Reg(0);
    pub const RA: Reg = Reg(1);
    pub const SP: Reg = Reg(2);
}

/// Branch conditions (beq..bgeu).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BranchCond {
    Eq,
    Ne,
    Lt,
    Ge,
    Ltu,
    Geu,
}

/// Memory access width in bytes: 1, 2, 4 or 8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    B,
    H,
    W,
    D,
}

impl Width {
    pub fn bytes(self) -> u64 {
        match self {
            Width::B => 1,
            Width::H => 2,
            Width::W => 4,
            Width::D => 8,
        }
    }
}

/// Register-immediate ALU operations (RV64I, Zba `slli.uw`, Zbb `rori(w)`, Zbs `b*i`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AluImmOp {
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    Slli,
    Srli,
    Srai,
    Addiw,
    Slliw,
    Srliw,
    Sraiw,
    SlliUw,
    Rori,
    Roriw,
    Bclri,
    Bexti,
    Binvi,
    Bseti,
}

/// Register-register ALU operations (RV64I, M, Zba, Zbb, Zbs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AluOp {
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Addw,
    Subw,
    Sllw,
    Srlw,
    Sraw,
    // M
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    Mulw,
    Divw,
    Divuw,
    Remw,
    Remuw,
    // Zba
    AddUw,
    Sh1add,
    Sh2add,
    Sh3add,
    Sh1addUw,
    Sh2addUw,
    Sh3addUw,
    // Zbb
    Andn,
    Orn,
    Xnor,
    Max,
    Maxu,
    Min,
    Minu,
    Rol,
    Rolw,
    Ror,
    Rorw,
    // Zbs
    Bclr,
    Bext,
    Binv,
    Bset,
}

/// One-operand integer operations (Zbb).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Clz,
    Clzw,
    Ctz,
    Ctzw,
    Cpop,
    Cpopw,
    SextB,
    SextH,
    ZextH,
    OrcB,
    Rev8,
}

/// Zicsr operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsrOp {
    Rw,
    Rs,
    Rc,
}

/// Atomic memory operations (A extension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmoOp {
    Swap,
    Add,
    Xor,
    And,
    Or,
    Min,
    Max,
    Minu,
    Maxu,
}

/// Floating-point precision: single (F) or double (D).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prec {
    S,
    D,
}

/// Two-operand floating-point operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FOp {
    Add,
    Sub,
    Mul,
    Div,
    Min,
    Max,
    Sgnj,
    Sgnjn,
    Sgnjx,
}

/// Fused multiply-add family: `Madd` = a*b+c, `Msub` = a*b-c, `Nmsub` = -(a*b)+c,
/// `Nmadd` = -(a*b)-c.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FmaOp {
    Madd,
    Msub,
    Nmsub,
    Nmadd,
}

/// Floating-point comparisons writing an integer register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FCmp {
    Eq,
    Lt,
    Le,
}

/// The integer side of a conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntTy {
    W,
    Wu,
    L,
    Lu,
}

/// A decoded RISC-V instruction.
///
/// Immediates and offsets are sign-extended values; `rm` is the raw 3-bit rounding-mode
/// field (7 = dynamic, 5 and 6 reserved: decoded, rejected when executed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inst {
    Lui { rd: Reg, imm: i64 },
    Auipc { rd: Reg, imm: i64 },
    Jal { rd: Reg, offset: i64 },
    Jalr { rd: Reg, rs1: Reg, offset: i64 },
    Branch { cond: BranchCond, rs1: Reg, rs2: Reg, offset: i64 },
    Load { width: Width, signed: bool, rd: Reg, rs1: Reg, offset: i64 },
    Store { width: Width, rs1: Reg, rs2: Reg, offset: i64 },
    AluImm { op: AluImmOp, rd: Reg, rs1: Reg, imm: i64 },
    Alu { op: AluOp, rd: Reg, rs1: Reg, rs2: Reg },
    Unary { op: UnaryOp, rd: Reg, rs1: Reg },
    /// `fence pred, succ` (fm in the top bits: 8 = `fence.tso`).
    Fence { pred: u8, succ: u8, fm: u8 },
    FenceI,
    Ecall,
    Ebreak,
    Csr { op: CsrOp, rd: Reg, rs1: Reg, csr: u16 },
    CsrImm { op: CsrOp, rd: Reg, uimm: u8, csr: u16 },
    Lr { width: Width, rd: Reg, rs1: Reg, aq: bool, rl: bool },
    Sc { width: Width, rd: Reg, rs1: Reg, rs2: Reg, aq: bool, rl: bool },
    Amo { op: AmoOp, width: Width, rd: Reg, rs1: Reg, rs2: Reg, aq: bool, rl: bool },
    FLoad { prec: Prec, rd: FReg, rs1: Reg, offset: i64 },
    FStore { prec: Prec, rs1: Reg, rs2: FReg, offset: i64 },
    FArith { op: FOp, prec: Prec, rd: FReg, rs1: FReg, rs2: FReg, rm: u8 },
    FSqrt { prec: Prec, rd: FReg, rs1: FReg, rm: u8 },
    FFma { op: FmaOp, prec: Prec, rd: FReg, rs1: FReg, rs2: FReg, rs3: FReg, rm: u8 },
    FCmp { op: FCmp, prec: Prec, rd: Reg, rs1: FReg, rs2: FReg },
    FClass { prec: Prec, rd: Reg, rs1: FReg },
    /// fcvt.{w,wu,l,lu}.{s,d}
    FCvtToInt { prec: Prec, ty: IntTy, rd: Reg, rs1: FReg, rm: u8 },
    /// fcvt.{s,d}.{w,wu,l,lu}
    FCvtFromInt { prec: Prec, ty: IntTy, rd: FReg, rs1: Reg, rm: u8 },
    /// fcvt.s.d (`to` = S) or fcvt.d.s (`to` = D).
    FCvtFF { to: Prec, rd: FReg, rs1: FReg, rm: u8 },
    /// fmv.x.w / fmv.x.d
    FMvToInt { prec: Prec, rd: Reg, rs1: FReg },
    /// fmv.w.x / fmv.d.x
    FMvFromInt { prec: Prec, rd: FReg, rs1: Reg },
    /// Not an instruction remu implements; `raw` is the undecodable word.
    Illegal { raw: u32 },
}

impl Inst {
    /// True if the instruction may transfer control or needs the outside world, so a
    /// decoded block ends after it.
    pub fn ends_block(&self) -> bool {
        matches!(
            self,
            Inst::Jal { .. }
                | Inst::Jalr { .. }
                | Inst::Branch { .. }
                | Inst::FenceI
                | Inst::Ecall
                | Inst::Ebreak
                | Inst::Csr { .. }
                | Inst::CsrImm { .. }
                | Inst::Illegal { .. }
        )
    }
}
