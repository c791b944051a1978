//! Randomised differential test against qemu-aarch64: blocks of random A64 instructions
//! (integer, scalar FP, AdvSIMD, half precision and the optional extensions) run from
//! random register states under remu's interpreter and under qemu-aarch64, and the final
//! register state — X0-X30, SP, V0-V31, NZCV, FPCR, FPSR — must be identical.
//!
//! qemu runs the committed harness rom `roms/aarch64/diff/harness` (source beside it), which
//! reads records (a state area and code) from stdin, runs each and writes the state area
//! back. The code is generated here: a prologue loading every register from the state
//! area, the block, and an epilogue storing them all. remu runs the very same bytes at the
//! same address in-process. Seeds are fixed, so a failure is repeatable; it prints each
//! differing block with its disassembly and the registers that differ.
//!
//! Skipped, saying so, when qemu-aarch64 is not installed.

use std::path::PathBuf;

use remu_core::mem::{GuestMemory, Placement, Prot};
use remu_core::{Cpu, Exit};
use remu_isa_arm::disasm::disassemble;
use remu_isa_arm::{decode, ArmCpu, Inst};
use remu_testkit::{differential, qemu_path, DiffCase, Rng};

const REGION: u64 = 0x2000_0000;
const RECORD: usize = 4096;
const STATE: usize = 1024;
/// Where the in-process run returns to (a BRK).
const RET: u64 = 0x3000_0000;

// State area layout (bytes).
const X: usize = 0; // x0..x30
const SP: usize = 248;
const V: usize = 256; // v0..v31
const NZCV: usize = 768;
const FPCR: usize = 776;
const FPSR: usize = 784;
const SAVE_LR: usize = 792;
const SAVE_SP: usize = 800;
const SAVE_TP: usize = 808;
/// The part of the state area that is guest register state (compared).
const COMPARED: usize = 792;

// ---- encoders for the prologue and epilogue --------------------------------------------

fn ldr_x(rt: u32, rn: u32, off: usize) -> u32 {
    0xf940_0000 | ((off as u32 / 8) << 10) | rn << 5 | rt
}
fn str_x(rt: u32, rn: u32, off: usize) -> u32 {
    0xf900_0000 | ((off as u32 / 8) << 10) | rn << 5 | rt
}
fn ldp_x(rt: u32, rt2: u32, rn: u32, off: usize) -> u32 {
    0xa940_0000 | ((off as u32 / 8) & 0x7f) << 15 | rt2 << 10 | rn << 5 | rt
}
fn stp_x(rt: u32, rt2: u32, rn: u32, off: usize) -> u32 {
    0xa900_0000 | ((off as u32 / 8) & 0x7f) << 15 | rt2 << 10 | rn << 5 | rt
}
/// LDP/STP q, q, [rn], #32.
fn ldp_q_post(rt: u32, rt2: u32, rn: u32) -> u32 {
    0xacc1_0000 | rt2 << 10 | rn << 5 | rt
}
fn stp_q_post(rt: u32, rt2: u32, rn: u32) -> u32 {
    0xac81_0000 | rt2 << 10 | rn << 5 | rt
}
fn add_imm(rd: u32, rn: u32, imm: u32) -> u32 {
    0x9100_0000 | imm << 10 | rn << 5 | rd
}
const MOV_X1_SP: u32 = 0x9100_03e1;
const MOV_SP_X1: u32 = 0x9100_003f;
fn mrs(rt: u32, reg: u32) -> u32 {
    0xd530_0000 | reg << 5 | rt
}
fn msr(rt: u32, reg: u32) -> u32 {
    0xd510_0000 | reg << 5 | rt
}
const TPIDR: u32 = 0x5e82; // op0=3 op1=3 CRn=13 CRm=0 op2=2, as bits 19..5
const NZCV_R: u32 = 0x5a10;
const FPCR_R: u32 = 0x5a20;
const FPSR_R: u32 = 0x5a21;
fn adr(rd: u32, from: u64, to: u64) -> u32 {
    let off = to.wrapping_sub(from) as i64 as u32;
    0x1000_0000 | (off & 3) << 29 | ((off >> 2) & 0x7_ffff) << 5 | rd
}
const RET_X30: u32 = 0xd65f_03c0;
const BRK: u32 = 0xd420_0000;

fn prologue() -> Vec<u32> {
    let mut c = vec![str_x(30, 0, SAVE_LR), MOV_X1_SP, str_x(1, 0, SAVE_SP), mrs(1, TPIDR), str_x(1, 0, SAVE_TP), add_imm(1, 0, V as u32)];
    for k in 0..16 {
        c.push(ldp_q_post(2 * k, 2 * k + 1, 1));
    }
    for (off, reg) in [(NZCV, NZCV_R), (FPCR, FPCR_R), (FPSR, FPSR_R)] {
        c.push(ldr_x(1, 0, off));
        c.push(msr(1, reg));
    }
    c.push(ldr_x(1, 0, SP));
    c.push(MOV_SP_X1);
    for k in (2..30).step_by(2) {
        c.push(ldp_x(k, k + 1, 0, X + 8 * k as usize));
    }
    c.push(ldr_x(30, 0, X + 240));
    c.push(ldr_x(1, 0, X + 8));
    c.push(ldr_x(0, 0, X));
    c
}

/// The epilogue, starting at guest address `at`.
fn epilogue(at: u64) -> Vec<u32> {
    let mut c = vec![msr(0, TPIDR), adr(0, at + 4, REGION)];
    for k in (1..30).step_by(2) {
        c.push(stp_x(k, k + 1, 0, X + 8 * k as usize));
    }
    c.extend([mrs(1, TPIDR), str_x(1, 0, X), MOV_X1_SP, str_x(1, 0, SP)]);
    for (off, reg) in [(NZCV, NZCV_R), (FPCR, FPCR_R), (FPSR, FPSR_R)] {
        c.push(mrs(1, reg));
        c.push(str_x(1, 0, off));
    }
    c.push(add_imm(1, 0, V as u32));
    for k in 0..16 {
        c.push(stp_q_post(2 * k, 2 * k + 1, 1));
    }
    c.extend([0xd280_0001, msr(1, FPCR_R), msr(1, FPSR_R)]); // movz x1, #0
    c.extend([ldr_x(1, 0, SAVE_TP), msr(1, TPIDR), ldr_x(1, 0, SAVE_SP), MOV_SP_X1, ldr_x(30, 0, SAVE_LR), RET_X30]);
    c
}

// ---- random instructions and states ----------------------------------------------------

/// Encoding groups to draw from: bits under `mask` forced to `value`, the rest random.
const GROUPS: &[(u32, u32)] = &[
    (0x1c00_0000, 0x1000_0000), // data processing, immediate
    (0x0e00_0000, 0x0a00_0000), // data processing, register
    (0x7fe0_f000, 0x1ac0_4000), // crc32
    (0x5f20_0000, 0x1e20_0000), // scalar FP
    (0x7f20_0000, 0x1e00_0000), // FP <-> fixed point
    (0xff00_0000, 0x1f00_0000), // FMADD family
    (0x9f00_0000, 0x0e00_0000), // AdvSIMD vector
    (0x9f80_0400, 0x0f00_0400), // modified immediate, shift by immediate
    (0x9f00_0400, 0x0f00_0000), // by element
    (0x9f20_0400, 0x0e20_0400), // three same
    (0x9f20_0c00, 0x0e20_0000), // three different
    (0x9f3e_0c00, 0x0e20_0800), // two-register misc
    (0xdf20_0400, 0x5e20_0400), // scalar three same
    (0xdf3e_0c00, 0x5e20_0800), // scalar two-register misc
    (0xdf00_0400, 0x5f00_0000), // scalar by element
    (0xdf80_0400, 0x5f00_0400), // scalar shift by immediate
    (0xdf3e_0c00, 0x5e30_0800), // scalar pairwise
    (0xbfbf_fc00, 0x2e30_c800), // FP across lanes
    (0xffff_cc00, 0x4e28_4800), // AES
    (0xffe0_8c00, 0x5e00_0000), // SHA1/SHA256 three-register
    (0xffff_cc00, 0x5e28_0800), // SHA two-register
    (0xbf20_fc00, 0x0e20_e000), // PMULL
    (0x7fe0_0000, 0x1ee0_0000), // FP16 scalar
    (0x7fe0_0000, 0x1ec0_0000), // FP16 fixed point
    (0xffc0_0000, 0x1fc0_0000), // FP16 FMADD family
    (0x9f60_c400, 0x0e40_0400), // FP16 three same
    (0x9f7e_0c00, 0x0e78_0800), // FP16 two-register misc
    (0xbf7e_0c00, 0x0e30_0800), // FP16 across lanes
    (0xdf60_c400, 0x5e40_0400), // FP16 scalar three same
    (0xdf7e_0c00, 0x5e78_0800), // FP16 scalar two-register misc
    (0xff7e_0c00, 0x5e30_0800), // FP16 scalar pairwise
    (0x9ff0_e400, 0x0f10_e400), // FP16 fixed point, vector
    (0x9ff8_fc00, 0x0f00_fc00), // FP16 FMOV vector immediate
    (0x9fc0_0400, 0x0f00_0000), // FP16 by element
    (0x9f20_8400, 0x0e00_8400), // three same extra (RDM, dot, I8MM, FCMA, BF16)
    (0xdf20_8400, 0x5e00_8400), // scalar three same extra
    (0x9f60_dc00, 0x0e20_cc00), // FMLAL/FMLSL
    (0x9f00_0400, 0x0f80_0000), // by element (dot, FMLAL, BF16)
    (0xff3e_7c00, 0x1e28_4000), // FRINT32/64
    (0x9fbf_ec00, 0x0e21_e800), // FRINT32/64 vector
    (0xffff_fc00, 0x1e7e_0000), // FJCVTZS
    (0xffff_fc00, 0x1e63_4000), // BFCVT
    (0xbfff_fc00, 0x0ea1_6800), // BFCVTN
    (0xff00_0000, 0xce00_0000), // SHA3, SHA512, SM3, SM4
];

/// Instructions a block may contain: computation on registers only (no memory, branches,
/// system registers or exceptions).
fn allowed(i: &Inst) -> bool {
    !matches!(
        i,
        Inst::Illegal { .. }
            | Inst::B { .. }
            | Inst::BCond { .. }
            | Inst::Br { .. }
            | Inst::Cbz { .. }
            | Inst::Tbz { .. }
            | Inst::Mem { .. }
            | Inst::Pair { .. }
            | Inst::Excl { .. }
            | Inst::Ldapr { .. }
            | Inst::MemRcpc { .. }
            | Inst::Atomic { .. }
            | Inst::Cas { .. }
            | Inst::Casp { .. }
            | Inst::Svc { .. }
            | Inst::Brk { .. }
            | Inst::Hint { .. }
            | Inst::Barrier { .. }
            | Inst::Mrs { .. }
            | Inst::Msr { .. }
            | Inst::Sys { .. }
            | Inst::VLdSt { .. }
            | Inst::VLd1r { .. }
            | Inst::VLdStLane { .. }
    )
}

fn random_insn(rng: &mut Rng) -> u32 {
    loop {
        let (mask, value) = rng.pick(GROUPS);
        let w = (rng.next() as u32 & !mask) | value;
        if allowed(&decode(w)) {
            return w;
        }
    }
}

fn h16(rng: &mut Rng) -> u64 {
    rng.pick(&[0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7d00, 0xfe01, 0x0001, 0x03ff, 0x0400, 0x8401, 0x7bff, 0x3c00, 0xbc00, 0x3555, 0x4248, 0x5640, 0xc900, 0x3800, 0x3c01])
}
fn s32(rng: &mut Rng) -> u64 {
    rng.pick(&[
        0x0000_0000, 0x8000_0000, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 0x7fa0_0000, 0xffc0_0001, 0x0000_0001, 0x007f_ffff,
        0x0080_0000, 0x8080_0001, 0x7f7f_ffff, 0x3f80_0000, 0xbf80_0000, 0x3eaa_aaab, 0x4049_0fdb, 0x4f00_0000, 0xcf00_0000,
        0x4b80_0001, 0x3f00_0000, 0x3fc0_0000, 0x477f_e000, 0x3380_0000, 0x3f80_8000,
    ])
}
fn d64(rng: &mut Rng) -> u64 {
    rng.pick(&[
        0, 1 << 63, 0x7ff0_0000_0000_0000, 0xfff0_0000_0000_0000, 0x7ff8_0000_0000_0000, 0x7ff4_0000_0000_0000, 0x0000_0000_0000_0001,
        0x000f_ffff_ffff_ffff, 0x0010_0000_0000_0000, 0x7fef_ffff_ffff_ffff, 0x3ff0_0000_0000_0000, 0xbff0_0000_0000_0000,
        0x3fd5_5555_5555_5555, 0x4009_21fb_5444_2d18, 0x43e0_0000_0000_0000, 0xc1e0_0000_0000_0000, 0x41ef_ffff_ffe0_0000,
        0x4330_0000_0000_0001, 0x3fe0_0000_0000_0000, 0x3810_0000_0000_0000, 0x47ef_ffff_e000_0000, 0x36a0_0000_0000_0000,
    ])
}

fn random_v(rng: &mut Rng) -> u128 {
    let mut v = 0u128;
    match rng.below(6) {
        0 => v = rng.next() as u128 | (rng.next() as u128) << 64,
        1 => (0..8).for_each(|i| v |= (h16(rng) as u128) << (16 * i)),
        2 => (0..4).for_each(|i| v |= (s32(rng) as u128) << (32 * i)),
        3 => (0..2).for_each(|i| v |= (d64(rng) as u128) << (64 * i)),
        4 => {
            // Normal numbers of every size with random fractions.
            for i in 0..8 {
                let x = (rng.next() & 0x3fff) | 0x3000 | (rng.next() & 0x8000);
                v |= (x as u128) << (16 * i);
            }
        }
        _ => (0..16).for_each(|i| v |= ((rng.next() % 7) as u128).wrapping_sub(3) as u8 as u128 * (1u128 << (8 * i))),
    }
    v
}

fn random_x(rng: &mut Rng) -> u64 {
    match rng.below(8) {
        0 => rng.pick(&[0, 1, u64::MAX, 1 << 63, (1 << 63) - 1, 0x8000_0000, 0x7fff_ffff, 0xffff_ffff, 0x1_0000_0000]),
        1 => rng.below(64),
        2 => rng.below(64).wrapping_neg(),
        3 => d64(rng),
        4 => s32(rng) | h16(rng) << 32,
        _ => rng.next(),
    }
}

fn random_state(rng: &mut Rng) -> Vec<u8> {
    let mut s = vec![0u8; STATE];
    let put = |s: &mut Vec<u8>, off: usize, v: u64| s[off..off + 8].copy_from_slice(&v.to_le_bytes());
    for k in 0..31 {
        let x = random_x(rng);
        put(&mut s, X + 8 * k, x);
    }
    put(&mut s, SP, rng.next() & !15);
    for k in 0..32 {
        let v = random_v(rng);
        s[V + 16 * k..V + 16 * k + 16].copy_from_slice(&v.to_le_bytes());
    }
    put(&mut s, NZCV, (rng.below(16)) << 28);
    // FPCR: rounding mode, FZ, DN, FZ16 and (rarely) AHP.
    let mut fpcr = rng.below(4) << 22;
    if rng.below(4) == 0 {
        fpcr |= 1 << 24;
    }
    if rng.below(4) == 0 {
        fpcr |= 1 << 25;
    }
    if rng.below(4) == 0 {
        fpcr |= 1 << 19;
    }
    if rng.below(16) == 0 {
        fpcr |= 1 << 26;
    }
    put(&mut s, FPCR, fpcr);
    put(&mut s, FPSR, if rng.below(8) == 0 { rng.next() & 0x0800_009f } else { 0 });
    s
}

struct Case {
    record: Vec<u8>,
    block: Vec<u32>,
}

/// Whether qemu is known to get `w` wrong under `fpcr`, so it is left out of blocks.
///
/// - FJCVTZS with FPCR.FZ: a positive denormal input flushed to zero must clear Z (the Arm
///   ARM's FPToFixedJS: `sign == '0' && value == 0.0 && !IsZero(op<51:0>)`); qemu 7.2 sets
///   it. remu's answer is checked in `fpu::tests::conversions`.
/// - FCVTZS Hd, Hn, #fbits (scalar, half precision, fixed point): the result is 16 bits,
///   zero-extended in the register; qemu 7.2 writes it sign-extended to 32 bits.
fn qemu_gets_wrong(w: u32, fpcr: u64) -> bool {
    (w & 0xffff_fc00 == 0x1e7e_0000 && fpcr & (1 << 24) != 0) || w & 0xfff0_fc00 == 0x5f10_fc00
}

fn make_case(rng: &mut Rng) -> Case {
    let state = random_state(rng);
    let fpcr = u64::from_le_bytes(state[FPCR..FPCR + 8].try_into().unwrap());
    let n = 1 + rng.below(3) as usize;
    let block: Vec<u32> = (0..n)
        .map(|_| loop {
            let w = random_insn(rng);
            if !qemu_gets_wrong(w, fpcr) {
                break w;
            }
        })
        .collect();
    let mut code = prologue();
    code.extend(&block);
    let at = REGION + STATE as u64 + 4 * code.len() as u64;
    code.extend(epilogue(at));
    let mut record = state;
    record.resize(RECORD, 0);
    for (i, w) in code.iter().enumerate() {
        record[STATE + 4 * i..STATE + 4 * i + 4].copy_from_slice(&w.to_le_bytes());
    }
    Case { record, block }
}

/// Runs one record in-process: the state area after the code returned.
fn run_remu(mem: &GuestMemory, cpu: &mut ArmCpu, record: &[u8]) -> Result<Vec<u8>, String> {
    mem.write(REGION, record).map_err(|e| format!("write: {e:?}"))?;
    cpu.flush_code(REGION, REGION + RECORD as u64);
    let s = cpu.state_mut();
    *s = Default::default();
    s.pc = REGION + STATE as u64;
    s.x[0] = REGION;
    s.x[30] = RET;
    s.x[31] = 0x4000_0000;
    match cpu.run(mem) {
        Exit::Breakpoint => {}
        other => return Err(format!("remu stopped with {other:?} at pc {:#x}", cpu.state().pc)),
    }
    let mut out = vec![0u8; STATE];
    mem.read(REGION, &mut out).map_err(|e| format!("read: {e:?}"))?;
    Ok(out)
}

impl DiffCase for Case {
    fn record(&self) -> &[u8] {
        &self.record
    }
    fn listing(&self) -> String {
        self.block.iter().map(|w| format!("    {w:08x}  {}\n", disassemble(*w, 0))).collect()
    }
    fn describe(&self, ours: &[u8], theirs: &[u8]) -> String {
        describe(self, ours, theirs)
    }
}

fn describe(case: &Case, ours: &[u8], theirs: &[u8]) -> String {
    let rd = |s: &[u8], off: usize| u64::from_le_bytes(s[off..off + 8].try_into().unwrap());
    let rv = |s: &[u8], k: usize| u128::from_le_bytes(s[V + 16 * k..V + 16 * k + 16].try_into().unwrap());
    let mut t = case.listing();
    let init = &case.record[..STATE];
    t += &format!("  initial fpcr {:#x} fpsr {:#x} nzcv {:#x}\n", rd(init, FPCR), rd(init, FPSR), rd(init, NZCV));
    for k in 0..31 {
        if rd(ours, X + 8 * k) != rd(theirs, X + 8 * k) {
            t += &format!("  x{k}: remu {:#018x} qemu {:#018x} (was {:#x})\n", rd(ours, X + 8 * k), rd(theirs, X + 8 * k), rd(init, X + 8 * k));
        }
    }
    for (name, off) in [("sp", SP), ("nzcv", NZCV), ("fpcr", FPCR), ("fpsr", FPSR)] {
        if rd(ours, off) != rd(theirs, off) {
            t += &format!("  {name}: remu {:#x} qemu {:#x}\n", rd(ours, off), rd(theirs, off));
        }
    }
    for k in 0..32 {
        if rv(ours, k) != rv(theirs, k) {
            t += &format!("  v{k}: remu {:#034x} qemu {:#034x} (was {:#034x})\n", rv(ours, k), rv(theirs, k), rv(init, k));
        }
    }
    t
}

#[test]
fn random_blocks_match_qemu() {
    let Some(qemu) = qemu_path("qemu-aarch64") else {
        println!("SKIPPED: qemu-aarch64 is not installed (Debian package qemu-user); the randomised differential test did not run");
        return;
    };
    let harness = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../roms/aarch64/diff/harness");
    assert!(harness.is_file(), "{} is missing (make -C roms aarch64-diff)", harness.display());
    let cases_per_seed: usize = std::env::var("REMU_DIFF_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);

    let mem = GuestMemory::new(32).unwrap();
    mem.map(Placement::Fixed(REGION), RECORD as u64, Prot::RW | Prot::EXEC, false, None).unwrap();
    mem.map(Placement::Fixed(RET), 0x1000, Prot::RW | Prot::EXEC, false, None).unwrap();
    mem.write(RET, &BRK.to_le_bytes()).unwrap();
    let mut cpu = ArmCpu::new(REGION);

    let (total, failures) = differential(
        &qemu,
        &harness,
        [0x5eed_0001u64, 0x5eed_0002, 0x5eed_0003, 0x5eed_0004],
        cases_per_seed,
        STATE,
        COMPARED,
        make_case,
        |record| run_remu(&mem, &mut cpu, record),
    );
    println!("{total} random blocks compared with qemu-aarch64, {} differ", failures.len());
    let shown: Vec<&String> = failures.iter().take(40).collect();
    assert!(failures.is_empty(), "{} of {total} blocks differ:\n{}", failures.len(), shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"));
}
