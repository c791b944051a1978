//! The typed A64 instruction: what [`crate::decode`] produces and what the interpreter, the
//! disassembler (`Display`, in `disasm.rs`) and a JIT all `match` on.
//!
//! Register number 31 means the zero register or the stack pointer depending on the
//! operand; each variant documents which of its registers may be SP (named `*sp` fields).
//! Immediates are stored decoded (bitmask immediates expanded, shifts applied, branch
//! offsets in bytes) so consumers never look at encoding fields again.

/// A general-purpose register number 0..31 (31 = XZR/WZR or SP, per operand).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reg(pub u8);

/// A SIMD&FP register number 0..31.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VReg(pub u8);

/// Condition codes (Arm ARM, ConditionHolds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cond(pub u8);

/// Shift applied to a register operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shift {
    Lsl,
    Lsr,
    Asr,
    Ror,
}

/// Extend applied to a register operand (UXTB..SXTX).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extend {
    Uxtb,
    Uxth,
    Uxtw,
    Uxtx,
    Sxtb,
    Sxth,
    Sxtw,
    Sxtx,
}

/// Logical operations (the opc field plus the N/invert bit for register forms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogicOp {
    And,
    Orr,
    Eor,
    Ands,
}

/// Move-wide variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MovOp {
    N,
    Z,
    K,
}

/// Bitfield-move variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BfOp {
    Sbfm,
    Bfm,
    Ubfm,
}

/// Conditional-select variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelOp {
    Csel,
    Csinc,
    Csinv,
    Csneg,
}

/// One-source integer operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Rbit,
    Rev16,
    Rev32,
    Rev,
    Clz,
    Cls,
}

/// Indirect branch kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrKind {
    Br,
    Blr,
    Ret,
}

/// How a load or store computes its address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addr {
    /// `[rn, #imm]`; `unscaled` marks the LDUR/STUR family (disassembly only).
    Offset { rn: Reg, imm: i64, unscaled: bool },
    /// `[rn, #imm]` of LDTR/STTR (unprivileged: the same as Offset at EL0).
    Unpriv { rn: Reg, imm: i64 },
    /// `[rn, #imm]!`
    Pre { rn: Reg, imm: i64 },
    /// `[rn], #imm`
    Post { rn: Reg, imm: i64 },
    /// `[rn, rm, ext #amount]`; `shift` says whether the amount is applied (S bit).
    RegOff { rn: Reg, rm: Reg, ext: Extend, shift: bool },
    /// pc-relative literal: `offset` bytes from the instruction.
    Literal { offset: i64 },
}

impl Addr {
    /// The base register (SP-capable), if the mode has one.
    pub fn base(self) -> Option<Reg> {
        match self {
            Addr::Offset { rn, .. } | Addr::Unpriv { rn, .. } | Addr::Pre { rn, .. } | Addr::Post { rn, .. } | Addr::RegOff { rn, .. } => {
                Some(rn)
            }
            Addr::Literal { .. } => None,
        }
    }
}

/// What a single-register load/store moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemKind {
    /// Store the low `size` bytes of Xt/Wt.
    Str,
    /// Zero-extending load.
    Ldr,
    /// Sign-extending load into a 64-bit (`x64`) or 32-bit register.
    Ldrs { x64: bool },
    /// SIMD&FP register store (size 1..16 bytes).
    StrV,
    /// SIMD&FP register load (zeroes the rest of the register).
    LdrV,
    /// Prefetch: no effect.
    Prfm,
}

/// LSE atomic memory operations (LDADD family and SWP).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtomicOp {
    Add,
    Clr,
    Eor,
    Set,
    Smax,
    Smin,
    Umax,
    Umin,
    Swp,
}

/// Barrier kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Barrier {
    Dsb,
    Dmb,
    Isb,
    Clrex,
}

/// Scalar floating-point type: half, single or double precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FTy {
    S,
    D,
    H,
}

/// Two-operand scalar FP arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FOp2 {
    Mul,
    Div,
    Add,
    Sub,
    Max,
    Min,
    MaxNm,
    MinNm,
    Nmul,
}

/// One-operand scalar FP operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FOp1 {
    Mov,
    Abs,
    Neg,
    Sqrt,
    /// FRINTN/P/M/Z/A/X/I: round to integral with the given mode.
    Rint(Round),
    /// FRINT32Z/FRINT32X (`exact`: the FPCR mode, else toward zero) and the 64-bit forms
    /// (FEAT_FRINTTS): to an integral value that fits a 32- or 64-bit integer.
    Rint32 { exact: bool },
    Rint64 { exact: bool },
}

/// Rounding modes named by instructions (FCVT*, FRINT*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    /// To nearest, ties to even (N).
    Nearest,
    /// Toward +inf (P).
    Plus,
    /// Toward -inf (M).
    Minus,
    /// Toward zero (Z).
    Zero,
    /// To nearest, ties away (A).
    Away,
    /// Current FPCR mode, signalling inexact (X).
    Exact,
    /// Current FPCR mode (I).
    Current,
}

/// FMADD family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FmaOp {
    Madd,
    Msub,
    Nmadd,
    Nmsub,
}

/// AdvSIMD "three same" and similar element-wise operations on vectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VOp3 {
    Add,
    Sub,
    Mul,
    Cmeq,
    Cmge,
    Cmgt,
    Cmhi,
    Cmhs,
    Cmtst,
    Umax,
    Umin,
    Smax,
    Smin,
    Umaxp,
    Uminp,
    Smaxp,
    Sminp,
    Addp,
    And,
    Bic,
    Orr,
    Orn,
    Eor,
    Bsl,
    Bit,
    Bif,
    Uzp1,
    Uzp2,
    Zip1,
    Zip2,
    Trn1,
    Trn2,
    Ushl,
    Sshl,
    Fadd,
    Fsub,
    Fmul,
    Fdiv,
    Fmax,
    Fmin,
    Fmla,
    Fmls,
    Fcmeq,
    Fcmge,
    Fcmgt,
    Faddp,
    Mla,
    Mls,
    Uabd,
    Sabd,
    Uqsub,
    Uqadd,
    Sqadd,
    Sqsub,
    /// Halving add/subtract (rounding for the `r` forms).
    Shadd,
    Uhadd,
    Srhadd,
    Urhadd,
    Shsub,
    Uhsub,
    /// Absolute difference and accumulate.
    Saba,
    Uaba,
    /// Shift by a signed register amount: saturating, rounding, or both.
    Sqshl,
    Uqshl,
    Srshl,
    Urshl,
    Sqrshl,
    Uqrshl,
    /// Saturating doubling multiply returning the high half (rounding for `r`).
    Sqdmulh,
    Sqrdmulh,
    /// Polynomial (carry-less) multiply of bytes.
    Pmul,
    Fmaxnm,
    Fminnm,
    Fmulx,
    Frecps,
    Frsqrts,
    Fmaxnmp,
    Fminnmp,
    Fmaxp,
    Fminp,
    Facge,
    Facgt,
    Fabd,
    /// Saturating rounding doubling multiply accumulate/subtract returning the high half
    /// (FEAT_RDM).
    Sqrdmlah,
    Sqrdmlsh,
}

/// AdvSIMD "three different" widening operations (the `2` forms take the upper halves).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VLongOp {
    Addl,
    Addw,
    Subl,
    Subw,
    Abal,
    Abdl,
    Mlal,
    Mlsl,
    Mull,
    /// Saturating doubling multiply long (and accumulate/subtract); signed only.
    Sqdmull,
    Sqdmlal,
    Sqdmlsl,
    /// Polynomial multiply long: bytes to halfwords, or 64 to 128 bits (`size` 3).
    Pmull,
    /// Add/subtract returning the high narrow half (rounding for the `r` forms); `size` is
    /// the narrow result element.
    Addhn,
    Raddhn,
    Subhn,
    Rsubhn,
}

/// AdvSIMD one-source element-wise operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VOp2 {
    Cnt,
    Not,
    Rbit,
    Rev16,
    Rev32,
    Rev64,
    Cmeq0,
    Cmge0,
    Cmgt0,
    Cmle0,
    Cmlt0,
    Abs,
    Neg,
    Clz,
    Cls,
    Fabs,
    Fneg,
    Fsqrt,
    Scvtf,
    Ucvtf,
    Fcvtzs,
    Fcvtzu,
    /// XTN: narrow to half-width elements (writes the low half; XTN2 the high half).
    Xtn,
    /// Saturating narrows like XTN: signed, unsigned, and signed to unsigned.
    Sqxtn,
    Uqxtn,
    Sqxtun,
    Uaddlp,
    Saddlp,
    /// SHLL/SHLL2: widen and shift left by the element size.
    Shll,
    Sqabs,
    Sqneg,
    /// Saturating accumulate of an unsigned value into a signed one (and the reverse).
    Suqadd,
    Usqadd,
    Sadalp,
    Uadalp,
    /// FRINT{N,P,M,Z,A,X,I}.
    Frint(Round),
    /// FRINT32Z/X, FRINT64Z/X (FEAT_FRINTTS).
    Frint32 { exact: bool },
    Frint64 { exact: bool },
    /// BFCVTN/BFCVTN2: single to BFloat16 (FEAT_BF16).
    Bfcvtn,
    /// FCVT{N,P,M,A}{S,U} (FCVTZ* are Fcvtzs/Fcvtzu).
    Fcvt { round: Round, signed: bool },
    Frecpe,
    Frsqrte,
    Urecpe,
    Ursqrte,
    Frecpx,
    /// FP compares against zero.
    Fcmeq0,
    Fcmge0,
    Fcmgt0,
    Fcmle0,
    Fcmlt0,
    /// FCVTN/FCVTXN: narrow to `size` (half or single); FCVTL: widen from `size`.
    Fcvtn,
    Fcvtxn,
    Fcvtl,
}

/// AdvSIMD across-lanes reductions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VReduce {
    Addv,
    Umaxv,
    Uminv,
    Smaxv,
    Sminv,
    Uaddlv,
    Saddlv,
    Fmaxv,
    Fminv,
    Fmaxnmv,
    Fminnmv,
}

/// PSTATE flag operations (MSR immediate space).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagOp {
    Cfinv,
    Xaflag,
    Axflag,
}

/// AES round steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AesOp {
    E,
    D,
    Mc,
    Imc,
}

/// SHA1/SHA256 operations: three-register (`C`, `P`, `M`, `Su0`, `H256`, `H2`, `Su1_256`)
/// and two-register (`H`, `Su1`, `Su0_256`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShaOp {
    Sha1c,
    Sha1p,
    Sha1m,
    Sha1su0,
    Sha256h,
    Sha256h2,
    Sha256su1,
    Sha1h,
    Sha1su1,
    Sha256su0,
}

/// AdvSIMD shift by immediate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VShiftOp {
    Shl,
    Ushr,
    Sshr,
    Usra,
    Ssra,
    Sri,
    Sli,
    /// Shift right and narrow (SHRN/SHRN2).
    Shrn,
    Rshrn,
    /// USHLL/SSHLL (UXTL/SXTL when the shift is 0).
    Ushll,
    Sshll,
    /// Saturating (rounding) shift right narrow: signed to signed, unsigned to unsigned,
    /// and signed to unsigned (the `un` forms).
    Sqshrn,
    Sqrshrn,
    Uqshrn,
    Uqrshrn,
    Sqshrun,
    Sqrshrun,
    /// Rounding shift right (and accumulate).
    Srshr,
    Urshr,
    Srsra,
    Ursra,
    /// Saturating shift left: signed, unsigned, and signed to unsigned.
    Sqshl,
    Uqshl,
    Sqshlu,
    /// Fixed-point conversions (the shift is the number of fraction bits).
    Scvtf,
    Ucvtf,
    Fcvtzs,
    Fcvtzu,
}

impl VShiftOp {
    /// The shift-right-narrow forms (SHRN, RSHRN and the saturating ones).
    pub fn narrows(self) -> bool {
        matches!(
            self,
            VShiftOp::Shrn | VShiftOp::Rshrn | VShiftOp::Sqshrn | VShiftOp::Sqrshrn | VShiftOp::Uqshrn | VShiftOp::Uqrshrn | VShiftOp::Sqshrun | VShiftOp::Sqrshrun
        )
    }
}

/// AdvSIMD vector-by-element operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VElemOp {
    Mul,
    Mla,
    Mls,
    Fmul,
    Fmla,
    Fmls,
    Fmulx,
    Sqdmulh,
    Sqrdmulh,
    Sqrdmlah,
    Sqrdmlsh,
}

/// Dot products (FEAT_DotProd, FEAT_I8MM, FEAT_BF16): four byte products (two BFloat16
/// products for BFDOT) summed into each 32-bit lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DotKind {
    Sdot,
    Udot,
    /// Unsigned bytes of Rn times signed bytes of Rm.
    Usdot,
    /// Signed bytes of Rn times unsigned bytes of Rm (by element only).
    Sudot,
    Bfdot,
}

/// Matrix multiply-accumulate (FEAT_I8MM, FEAT_BF16): a 2x8 by 8x2 byte (2x4 by 4x2
/// BFloat16) product added to the 2x2 matrix of 32-bit lanes in Rd.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MmlaKind {
    Smmla,
    Ummla,
    Usmmla,
    Bfmmla,
}

/// The SHA3, SHA512, SM3 and SM4 instructions (FEAT_SHA3, FEAT_SHA512, FEAT_SM3, FEAT_SM4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CryptoOp {
    Eor3,
    Bcax,
    Rax1,
    /// XAR: `imm` is the rotate amount.
    Xar,
    Sha512h,
    Sha512h2,
    Sha512su0,
    Sha512su1,
    Sm3ss1,
    /// SM3TT1A/1B/2A/2B: `imm` is the lane index.
    Sm3tt1a,
    Sm3tt1b,
    Sm3tt2a,
    Sm3tt2b,
    Sm3partw1,
    Sm3partw2,
    Sm4e,
    Sm4ekey,
}

/// One decoded A64 instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inst {
    // ---- data processing, immediate ----
    /// ADD/ADDS/SUB/SUBS (immediate): `imm` already shifted. rn is SP-capable; rd too
    /// unless flags are set.
    AddSubImm { sf: bool, sub: bool, flags: bool, rd: Reg, rn: Reg, imm: u64, shift12: bool },
    /// AND/ORR/EOR/ANDS (immediate): `imm` is the expanded bitmask. rd is SP-capable unless ANDS.
    LogicImm { sf: bool, op: LogicOp, rd: Reg, rn: Reg, imm: u64 },
    /// MOVN/MOVZ/MOVK: `imm16 << shift`.
    MovWide { sf: bool, op: MovOp, rd: Reg, imm16: u16, shift: u8 },
    /// ADR (`page` false) or ADRP: rd = pc (or its page) + offset.
    Adr { page: bool, rd: Reg, offset: i64 },
    /// SBFM/BFM/UBFM.
    Bitfield { sf: bool, op: BfOp, rd: Reg, rn: Reg, immr: u8, imms: u8 },
    /// EXTR: rd = (rn:rm) >> lsb.
    Extr { sf: bool, rd: Reg, rn: Reg, rm: Reg, lsb: u8 },

    // ---- data processing, register ----
    /// ADD/SUB(S) (shifted register).
    AddSubShift { sf: bool, sub: bool, flags: bool, rd: Reg, rn: Reg, rm: Reg, shift: Shift, amount: u8 },
    /// ADD/SUB(S) (extended register): rn SP-capable, rd too unless flags.
    AddSubExt { sf: bool, sub: bool, flags: bool, rd: Reg, rn: Reg, rm: Reg, ext: Extend, amount: u8 },
    /// AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register); `not` inverts rm.
    LogicShift { sf: bool, op: LogicOp, not: bool, rd: Reg, rn: Reg, rm: Reg, shift: Shift, amount: u8 },
    /// ADC/ADCS/SBC/SBCS.
    AddSubCarry { sf: bool, sub: bool, flags: bool, rd: Reg, rn: Reg, rm: Reg },
    /// CCMP/CCMN, register (`imm` None) or immediate form.
    CondCmp { sf: bool, neg: bool, rn: Reg, rm: Reg, imm: Option<u8>, nzcv: u8, cond: Cond },
    /// CSEL/CSINC/CSINV/CSNEG.
    CondSel { sf: bool, op: SelOp, rd: Reg, rn: Reg, rm: Reg, cond: Cond },
    /// MADD/MSUB: rd = ra +/- rn * rm.
    MulAdd { sf: bool, sub: bool, rd: Reg, rn: Reg, rm: Reg, ra: Reg },
    /// SMADDL/SMSUBL/UMADDL/UMSUBL: 32x32 -> 64 multiply-accumulate.
    MulAddLong { signed: bool, sub: bool, rd: Reg, rn: Reg, rm: Reg, ra: Reg },
    /// SMULH/UMULH.
    MulHigh { signed: bool, rd: Reg, rn: Reg, rm: Reg },
    /// UDIV/SDIV.
    Div { sf: bool, signed: bool, rd: Reg, rn: Reg, rm: Reg },
    /// LSLV/LSRV/ASRV/RORV.
    ShiftVar { sf: bool, shift: Shift, rd: Reg, rn: Reg, rm: Reg },
    /// RBIT/REV16/REV32/REV/CLZ/CLS.
    Unary { sf: bool, op: UnaryOp, rd: Reg, rn: Reg },
    /// CRC32B/H/W/X (`c` false) and CRC32CB/H/W/X: `size` is the data bytes (1, 2, 4, 8).
    Crc32 { c: bool, size: u8, rd: Reg, rn: Reg, rm: Reg },

    // ---- branches ----
    /// B/BL: `offset` in bytes from the instruction.
    B { link: bool, offset: i64 },
    /// B.cond.
    BCond { cond: Cond, offset: i64 },
    /// BR/BLR/RET.
    Br { kind: BrKind, rn: Reg },
    /// CBZ/CBNZ.
    Cbz { sf: bool, nz: bool, rt: Reg, offset: i64 },
    /// TBZ/TBNZ.
    Tbz { nz: bool, rt: Reg, bit: u8, offset: i64 },

    // ---- loads and stores ----
    /// Single register load/store: `size` bytes (1, 2, 4, 8; 16 for Q registers).
    Mem { kind: MemKind, size: u8, rt: Reg, addr: Addr },
    /// LDP/STP/LDPSW/LDNP/STNP and their SIMD&FP forms; `addr` is Offset/Pre/Post.
    Pair { load: bool, fp: bool, signed: bool, nt: bool, size: u8, rt: Reg, rt2: Reg, addr: Addr },
    /// LDXR/LDAXR/STXR/STLXR/LDAR/STLR/LDXP/STXP...: `rs` is the status register of store
    /// exclusives; `rt2` the second register of pairs. `lo` marks LDLAR/STLLR (LORegion
    /// acquire/release, executed as LDAR/STLR: ordering every access is a valid way to order
    /// those in a limited ordering region).
    Excl { load: bool, excl: bool, pair: bool, acq: bool, rel: bool, lo: bool, size: u8, rs: Reg, rt: Reg, rt2: Reg, rn: Reg },
    /// LDAPR (RCpc acquire load).
    Ldapr { size: u8, rt: Reg, rn: Reg },
    /// LDAPUR/LDAPURS*/STLUR (RCpc, unscaled signed offset): `kind` is Ldr, Ldrs or Str.
    MemRcpc { kind: MemKind, size: u8, rt: Reg, rn: Reg, imm: i64 },
    /// LSE LD<op>/SWP: rt = old value, memory = op(old, rs).
    Atomic { op: AtomicOp, size: u8, acq: bool, rel: bool, rs: Reg, rt: Reg, rn: Reg },
    /// CAS/CASA/CASL/CASAL: compare with rs, store rt; rs = old.
    Cas { size: u8, acq: bool, rel: bool, rs: Reg, rt: Reg, rn: Reg },
    /// CASP family: compare the pair (rs, rs+1) with memory, store (rt, rt+1); `size` is
    /// one register's bytes (4 or 8); rs and rt are even.
    Casp { size: u8, acq: bool, rel: bool, rs: Reg, rt: Reg, rn: Reg },

    // ---- system ----
    Svc { imm: u16 },
    Brk { imm: u16 },
    /// HINT space: NOP, YIELD, WFE, ..., PAC/BTI hints (all no-ops here).
    Hint { imm: u8 },
    Barrier { kind: Barrier, crm: u8 },
    /// MRS: rt = system register `reg` (op0:op1:CRn:CRm:op2 packed as in the encoding).
    Mrs { rt: Reg, reg: u16 },
    /// MSR (register).
    Msr { rt: Reg, reg: u16 },
    /// SYS: cache maintenance and friends (DC ZVA, IC IVAU, DC CVAU ...).
    Sys { op1: u8, crn: u8, crm: u8, op2: u8, rt: Reg },
    /// The flag-manipulation forms of MSR (immediate) EL0 may execute: CFINV (FEAT_FlagM),
    /// XAFLAG and AXFLAG (FEAT_FlagM2). The other PSTATE fields are EL1-only, trapped
    /// (DAIF, SCTLR_EL1.UMA = 0 under Linux) or need features remu does not have (SSBS,
    /// DIT, TCO, SME): those stay unallocated (SIGILL).
    FlagOp { op: FlagOp },
    /// RMIF: NZCV bits selected by `mask` from `rn` rotated right by `shift`.
    Rmif { rn: Reg, shift: u8, mask: u8 },
    /// SETF8/SETF16: N, Z, V from the low 8 or 16 bits of `rn`.
    Setf { sixteen: bool, rn: Reg },

    // ---- scalar floating point ----
    /// FMOV between general and FP registers: `to_fp` direction, `top` for the upper
    /// 64 bits of a vector (`fmov v.d[1], x`).
    FMovGen { to_fp: bool, sf: bool, ty: FTy, top: bool, rd: u8, rn: u8 },
    /// FMOV (scalar, immediate): the expanded bits.
    FMovImm { ty: FTy, rd: VReg, imm: u64 },
    FOp1 { op: FOp1, ty: FTy, rd: VReg, rn: VReg },
    FOp2 { op: FOp2, ty: FTy, rd: VReg, rn: VReg, rm: VReg },
    Fma { op: FmaOp, ty: FTy, rd: VReg, rn: VReg, rm: VReg, ra: VReg },
    /// FCMP/FCMPE against rm or zero.
    FCmp { ty: FTy, rn: VReg, rm: VReg, zero: bool, signal: bool },
    /// FCCMP/FCCMPE.
    FCondCmp { ty: FTy, rn: VReg, rm: VReg, nzcv: u8, cond: Cond, signal: bool },
    FCsel { ty: FTy, rd: VReg, rn: VReg, rm: VReg, cond: Cond },
    /// FCVT between precisions.
    FCvt { from: FTy, to: FTy, rd: VReg, rn: VReg },
    /// SCVTF/UCVTF (from a general register).
    IntToFp { signed: bool, sf: bool, ty: FTy, rd: VReg, rn: Reg },
    /// FCVT{N,P,M,Z,A}{S,U} (to a general register).
    FpToInt { round: Round, signed: bool, sf: bool, ty: FTy, rd: Reg, rn: VReg },
    /// FJCVTZS (FEAT_JSCVT): double to Wd as JavaScript's ToInt32, Z set when exact.
    Fjcvtzs { rd: Reg, rn: VReg },
    /// BFCVT (FEAT_BF16): single to BFloat16 in Hd.
    Bfcvt { rd: VReg, rn: VReg },

    // ---- AdvSIMD ----
    /// Element-wise two-register-source ops: `size` is log2 element bytes, `q` 128-bit.
    V3 { op: VOp3, q: bool, size: u8, rd: VReg, rn: VReg, rm: VReg },
    /// Widening ops: `size` is log2 of the narrow element bytes; `q` selects the `2` form.
    VLong { op: VLongOp, signed: bool, q: bool, size: u8, rd: VReg, rn: VReg, rm: VReg },
    /// Scalar forms of two-register misc ops (SCVTF d0, d1): one element of `size`.
    S2 { op: VOp2, size: u8, rd: VReg, rn: VReg },
    V2 { op: VOp2, q: bool, size: u8, rd: VReg, rn: VReg },
    VReduce { op: VReduce, q: bool, size: u8, rd: VReg, rn: VReg },
    /// Shift by immediate: `size` is log2 of the (source) element bytes.
    VShift { op: VShiftOp, q: bool, size: u8, shift: u8, rd: VReg, rn: VReg },
    /// Widening multiply by element (SMULL/UMULL/SMLAL/UMLAL/SMLSL/UMLSL and `2` forms):
    /// `op` is Mull, Mlal or Mlsl; `size` is log2 of the narrow element bytes.
    VLongElem { op: VLongOp, signed: bool, q: bool, size: u8, index: u8, rd: VReg, rn: VReg, rm: VReg },
    /// Vector by element (`mul v0.4s, v1.4s, v2.s[1]`): `size` is log2 element bytes.
    VElem { op: VElemOp, q: bool, size: u8, index: u8, rd: VReg, rn: VReg, rm: VReg },
    /// Scalar shift by immediate (SHL d0, d1, #3): `size` as in [`Inst::VShift`].
    SShift { op: VShiftOp, size: u8, shift: u8, rd: VReg, rn: VReg },
    /// Scalar three-same (ADD d0, d1, d2; SQADD b0, b1, b2; FABD s0, s1, s2).
    S3 { op: VOp3, size: u8, rd: VReg, rn: VReg, rm: VReg },
    /// Scalar pairwise (ADDP d0, v1.2d; FADDP s0, v1.2s): the two lanes of `size`.
    SPair { op: VOp3, size: u8, rd: VReg, rn: VReg },
    /// Scalar three-different (SQDMULL s0, h1, h2): `size` is the narrow source.
    SLong { op: VLongOp, size: u8, rd: VReg, rn: VReg, rm: VReg },
    /// Scalar by element (FMUL s0, s1, v2.s[1]; SQDMULH h0, h1, v2.h[3]).
    SElem { op: VElemOp, size: u8, index: u8, rd: VReg, rn: VReg, rm: VReg },
    /// Scalar long by element (SQDMLAL s0, h1, v2.h[3]).
    SLongElem { op: VLongOp, size: u8, index: u8, rd: VReg, rn: VReg, rm: VReg },
    /// Dot products: `index` for the by-element forms (a 32-bit lane of Rm).
    Dot { kind: DotKind, q: bool, index: Option<u8>, rd: VReg, rn: VReg, rm: VReg },
    /// SMMLA/UMMLA/USMMLA/BFMMLA.
    Mmla { kind: MmlaKind, rd: VReg, rn: VReg, rm: VReg },
    /// BFMLALB/BFMLALT (`top`): even or odd BFloat16 lanes of Rn times those of Rm (or the
    /// element `index`), fused into the single-precision lanes of Rd.
    Bfmlal { top: bool, index: Option<u8>, rd: VReg, rn: VReg, rm: VReg },
    /// FMLAL/FMLSL (`sub`) and their `2` forms (`upper`: the upper half-precision lanes),
    /// widening to single precision (FEAT_FHM); `index` for the by-element forms.
    Fmlal { sub: bool, upper: bool, q: bool, index: Option<u8>, rd: VReg, rn: VReg, rm: VReg },
    /// FCMLA (FEAT_FCMA): complex multiply-accumulate, `rot` in units of 90 degrees;
    /// `index` selects a complex pair of Rm in the by-element forms.
    Fcmla { q: bool, size: u8, rot: u8, index: Option<u8>, rd: VReg, rn: VReg, rm: VReg },
    /// FCADD: complex add with Rm rotated by 90 (`rot270` false) or 270 degrees.
    Fcadd { q: bool, size: u8, rot270: bool, rd: VReg, rn: VReg, rm: VReg },
    /// SHA3/SHA512/SM3/SM4 (`ra` for the four-register forms, `imm` as the op says).
    Crypto { op: CryptoOp, rd: VReg, rn: VReg, rm: VReg, ra: VReg, imm: u8 },
    /// AESE/AESD/AESMC/AESIMC.
    Aes { op: AesOp, rd: VReg, rn: VReg },
    /// SHA1*/SHA256* (`rm` unused by the two-register forms).
    Sha { op: ShaOp, rd: VReg, rn: VReg, rm: VReg },
    /// SCVTF/UCVTF (general register, fixed-point with `fbits` fraction bits).
    FixedToFp { signed: bool, sf: bool, ty: FTy, fbits: u8, rd: VReg, rn: Reg },
    /// FCVTZS/FCVTZU (to a general register, fixed-point).
    FpToFixed { signed: bool, sf: bool, ty: FTy, fbits: u8, rd: Reg, rn: VReg },
    /// MOVI/MVNI/ORR/BIC (vector, immediate): `imm` is the expanded 64-bit pattern
    /// (replicated to both halves); `op` 0 = MOVI, 1 = MVNI, 2 = ORR, 3 = BIC, 4 = FMOV,
    /// 5 = MOVI (64-bit byte mask), 6 = FMOV (half precision). The rest
    /// of the fields keep the encoding for disassembly.
    VMovImm { q: bool, op: u8, rd: VReg, imm: u64, cmode: u8, abc: u8 },
    /// DUP (element): rd = every lane of `rn[index]`.
    DupElem { q: bool, size: u8, index: u8, rd: VReg, rn: VReg },
    /// DUP (element, scalar): rd = rn[index] as a scalar of `size`.
    DupScalar { size: u8, index: u8, rd: VReg, rn: VReg },
    /// DUP (general).
    DupGen { q: bool, size: u8, rd: VReg, rn: Reg },
    /// INS (general): rd[index] = rn.
    InsGen { size: u8, index: u8, rd: VReg, rn: Reg },
    /// INS (element): rd[i1] = rn[i2].
    InsElem { size: u8, i1: u8, i2: u8, rd: VReg, rn: VReg },
    /// UMOV/SMOV: rd = rn[index], zero- or sign-extended to 32 or 64 bits.
    MovToGen { signed: bool, sf: bool, size: u8, index: u8, rd: Reg, rn: VReg },
    /// EXT: bytes `index..` of rm:rn.
    Ext { q: bool, index: u8, rd: VReg, rn: VReg, rm: VReg },
    /// TBL/TBX with `len` table registers starting at rn.
    Tbl { q: bool, tbx: bool, len: u8, rd: VReg, rn: VReg, rm: VReg },
    /// LD1/ST1 (multiple structures, 1-4 consecutive registers), plus LD2-4/ST2-4 with
    /// interleaving (`nelem` > 1). `post` is the post-index: None, Some(rm) with rm = 31
    /// meaning the immediate (total size).
    VLdSt { load: bool, q: bool, size: u8, nreg: u8, interleave: u8, rt: VReg, rn: Reg, post: Option<Reg> },
    /// LD1R (load one element, replicate).
    /// LD1R-LD4R: `nreg` consecutive registers from rt, each filled with one element.
    VLd1r { q: bool, size: u8, nreg: u8, rt: VReg, rn: Reg, post: Option<Reg> },
    /// LD1/ST1 (single structure, one lane).
    /// LD2-4/ST2-4 (single structure): lane `index` of `nreg` consecutive registers.
    VLdStLane { load: bool, size: u8, nreg: u8, index: u8, rt: VReg, rn: Reg, post: Option<Reg> },

    /// Not an instruction remu implements (unallocated or not yet implemented).
    Illegal { raw: u32 },
}

impl Inst {
    /// Whether this instruction ends a basic block (control transfer, system call, or an
    /// instruction after which the block cache may be stale).
    pub fn ends_block(&self) -> bool {
        matches!(
            self,
            Inst::B { .. }
                | Inst::BCond { .. }
                | Inst::Br { .. }
                | Inst::Cbz { .. }
                | Inst::Tbz { .. }
                | Inst::Svc { .. }
                | Inst::Brk { .. }
                | Inst::Sys { .. }
                | Inst::Illegal { .. }
        )
    }
}

/// System register encodings (op0:op1:CRn:CRm:op2, 16 bits as in MRS/MSR bits 20..5).
pub mod sysreg {
    const fn enc(op0: u16, op1: u16, crn: u16, crm: u16, op2: u16) -> u16 {
        ((op0 - 2) << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2
    }
    pub const NZCV: u16 = enc(3, 3, 4, 2, 0);
    pub const FPCR: u16 = enc(3, 3, 4, 4, 0);
    pub const FPSR: u16 = enc(3, 3, 4, 4, 1);
    pub const TPIDR_EL0: u16 = enc(3, 3, 13, 0, 2);
    pub const TPIDRRO_EL0: u16 = enc(3, 3, 13, 0, 3);
    pub const CNTFRQ_EL0: u16 = enc(3, 3, 14, 0, 0);
    pub const CNTVCT_EL0: u16 = enc(3, 3, 14, 0, 2);
    pub const CTR_EL0: u16 = enc(3, 3, 0, 0, 1);
    pub const DCZID_EL0: u16 = enc(3, 3, 0, 0, 7);
    pub const MIDR_EL1: u16 = enc(3, 0, 0, 0, 0);
    pub const MPIDR_EL1: u16 = enc(3, 0, 0, 0, 5);
    pub const REVIDR_EL1: u16 = enc(3, 0, 0, 0, 6);
    /// ID_AA64* registers: op0=3, op1=0, CRn=0, CRm=4..7.
    pub fn is_id_aa64(r: u16) -> bool {
        r >> 7 == enc(3, 0, 0, 0, 0) >> 7 && (4..=7).contains(&((r >> 3) & 15))
    }
    /// Decodes (op0, op1, CRn, CRm, op2).
    pub fn fields(r: u16) -> (u16, u16, u16, u16, u16) {
        ((r >> 14) + 2, (r >> 11) & 7, (r >> 7) & 15, (r >> 3) & 15, r & 7)
    }
}
