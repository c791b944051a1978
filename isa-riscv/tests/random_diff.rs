//! Randomised differential test against qemu-riscv64: blocks of random RV64GC + Zba/Zbb/Zbs
//! instructions (integer, multiply and divide, bit manipulation, compressed forms, single
//! and double precision with every rounding mode, the FP CSRs, loads, stores, AMOs and
//! LR/SC on a scratch area, forward branches and jumps) run from random register states under remu's interpreter and
//! under qemu-riscv64, and the final state — x1-x31, f0-f31, fcsr and the scratch memory —
//! must be identical.
//!
//! qemu runs the committed harness rom `roms/riscv64/diff/harness` (source beside it), which
//! reads records (a state area and code) from stdin, runs each and writes the state area
//! back. The code is generated here: a prologue loading every register from the state
//! area, the block, and an epilogue storing them all. remu runs the very same bytes at the
//! same address in-process, so the interpreter's block building, fusion and chaining are
//! what is tested. Seeds are fixed, so a failure is repeatable; it prints each differing
//! block with its disassembly and what differs. `REMU_DIFF_CASES=N` runs 16 seeds of N
//! blocks (500 by default).
//!
//! Skipped, saying so, when qemu-riscv64 is not installed.

use std::path::PathBuf;

use remu_core::mem::{GuestMemory, Placement, Prot};
use remu_core::{Cpu, Exit};
use remu_isa_riscv::insn::{CsrOp, Reg};
use remu_isa_riscv::{decode, Inst, RiscvCpu};
use remu_testkit::{differential, qemu_path, DiffCase, Rng};

const REGION: u64 = 0x2000_0000;
const RECORD: usize = 4096;
const STATE: usize = 1024;
/// Where the in-process run returns to (an EBREAK).
const RET: u64 = 0x3000_0000;

// State area layout (bytes).
const X: usize = 0; // x0..x31 (x0's slot unused)
const F: usize = 256; // f0..f31
const FCSR: usize = 512;
/// Memory the block's loads, stores and atomics use; x31 points at it throughout.
const SCRATCH: usize = 520;
const SCRATCH_LEN: usize = 480;
const SAVE_RA: usize = 1000;
const SAVE_SP: usize = 1008;
const SAVE_GP: usize = 1016;
/// The part of the state area that is guest state (compared).
const COMPARED: usize = 1000;
/// The register holding the scratch pointer: never written by a block.
const BASE: u32 = 31;

// ---- encoders ---------------------------------------------------------------------------

fn i_type(imm: i32, rs1: u32, f3: u32, rd: u32, op: u32) -> u32 {
    ((imm as u32 & 0xfff) << 20) | rs1 << 15 | f3 << 12 | rd << 7 | op
}
fn s_type(imm: i32, rs2: u32, rs1: u32, f3: u32, op: u32) -> u32 {
    let imm = imm as u32;
    (imm >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 31) << 7 | op
}
fn ld(rd: u32, rs1: u32, off: i32) -> u32 {
    i_type(off, rs1, 3, rd, 0x03)
}
fn sd(rs2: u32, rs1: u32, off: i32) -> u32 {
    s_type(off, rs2, rs1, 3, 0x23)
}
fn fld(rd: u32, rs1: u32, off: i32) -> u32 {
    i_type(off, rs1, 3, rd, 0x07)
}
fn fsd(rs2: u32, rs1: u32, off: i32) -> u32 {
    s_type(off, rs2, rs1, 3, 0x27)
}
fn addi(rd: u32, rs1: u32, imm: i32) -> u32 {
    i_type(imm, rs1, 0, rd, 0x13)
}
/// csrrw x0, fcsr, rs1 and csrrs rd, fcsr, x0.
fn fscsr(rs1: u32) -> u32 {
    i_type(3, rs1, 1, 0, 0x73)
}
fn frcsr(rd: u32) -> u32 {
    i_type(3, 0, 2, rd, 0x73)
}
const RET_RA: u32 = 0x0000_8067; // jalr x0, 0(ra)
const EBREAK: u32 = 0x0010_0073;

/// Offset of state byte `o` from the scratch pointer.
fn rel(o: usize) -> i32 {
    o as i32 - SCRATCH as i32
}

/// Entered with a0 = the state area: saves what the harness needs back, loads fcsr, f0-f31,
/// then x31 = the scratch pointer and x1-x30 through it.
fn prologue() -> Vec<u32> {
    let mut c = vec![sd(1, 10, SAVE_RA as i32), sd(2, 10, SAVE_SP as i32), sd(3, 10, SAVE_GP as i32)];
    c.push(ld(5, 10, FCSR as i32));
    c.push(fscsr(5));
    c.extend((0..32).map(|k| fld(k, 10, (F + 8 * k as usize) as i32)));
    c.push(addi(BASE, 10, SCRATCH as i32));
    c.extend((1..31).map(|k| ld(k, BASE, rel(X + 8 * k as usize))));
    c
}

/// Stores x1-x30, f0-f31 and fcsr through x31, restores the harness's registers, returns.
fn epilogue() -> Vec<u32> {
    let mut c: Vec<u32> = (1..31).map(|k| sd(k, BASE, rel(X + 8 * k as usize))).collect();
    c.extend((0..32).map(|k| fsd(k, BASE, rel(F + 8 * k as usize))));
    c.push(frcsr(5));
    c.push(sd(5, BASE, rel(FCSR)));
    c.push(ld(1, BASE, rel(SAVE_RA)));
    c.push(ld(2, BASE, rel(SAVE_SP)));
    c.push(ld(3, BASE, rel(SAVE_GP)));
    c.push(RET_RA);
    c
}

// ---- random instructions ----------------------------------------------------------------

/// The integer register an instruction writes, if any.
fn int_dest(i: &Inst) -> Option<Reg> {
    use Inst::*;
    match *i {
        Lui { rd, .. } | Auipc { rd, .. } | AluImm { rd, .. } | Alu { rd, .. } | Unary { rd, .. } => Some(rd),
        Csr { rd, .. } | CsrImm { rd, .. } | FCmp { rd, .. } | FClass { rd, .. } => Some(rd),
        FCvtToInt { rd, .. } | FMvToInt { rd, .. } => Some(rd),
        Load { rd, .. } | Lr { rd, .. } | Sc { rd, .. } | Amo { rd, .. } => Some(rd),
        Jal { rd, .. } | Jalr { rd, .. } => Some(rd),
        _ => None,
    }
}

/// Whether a decoded random word may go in a block: straight-line, no memory access (those
/// are generated on the scratch area), no write to the scratch pointer, only the FP CSRs
/// and only writes that leave the rounding mode valid, no reserved rounding mode.
fn allowed(i: &Inst) -> bool {
    use Inst::*;
    if int_dest(i).is_some_and(|r| r.0 == BASE as u8) {
        return false;
    }
    match *i {
        Illegal { .. } | Jal { .. } | Jalr { .. } | Branch { .. } | FenceI | Ecall | Ebreak => false,
        Load { .. } | Store { .. } | FLoad { .. } | FStore { .. } | Lr { .. } | Sc { .. } | Amo { .. } => false,
        // Reads of fflags, frm, fcsr; register writes only to fflags.
        Csr { rs1, csr, .. } => matches!(csr, 1..=3) && (rs1.0 == 0 || csr == 1),
        // An immediate fits fflags; for frm only a plain write of a valid mode.
        CsrImm { op, uimm, csr, .. } => match csr {
            1 | 3 => true,
            2 => op == CsrOp::Rw && uimm <= 4,
            _ => false,
        },
        FArith { rm, .. } | FSqrt { rm, .. } | FFma { rm, .. } | FCvtToInt { rm, .. } | FCvtFromInt { rm, .. } | FCvtFF { rm, .. } => {
            rm != 5 && rm != 6
        }
        _ => true,
    }
}

/// Major opcodes of the straight-line 32-bit instructions worth drawing from.
const OPCODES: [u32; 12] = [0x13, 0x1b, 0x33, 0x3b, 0x37, 0x17, 0x53, 0x43, 0x47, 0x4b, 0x4f, 0x73];

/// A random instruction: (its parcels as little-endian bytes, its decoded form).
fn random_insn(rng: &mut Rng) -> (Vec<u8>, Inst) {
    loop {
        let kind = rng.below(10);
        if kind < 2 {
            let w = memory_op(rng);
            return (w.to_le_bytes().to_vec(), decode(w).0);
        }
        if kind < 4 {
            let h = (rng.next() as u16) | if rng.below(2) == 0 { 0 } else { 1 };
            if h & 3 == 3 {
                continue;
            }
            let (inst, len) = decode(h as u32);
            if len == 2 && allowed(&inst) {
                return (h.to_le_bytes().to_vec(), inst);
            }
            continue;
        }
        let w = (rng.next() as u32 & !0x7f) | rng.pick(&OPCODES);
        let (inst, len) = decode(w);
        if len == 4 && allowed(&inst) {
            return (w.to_le_bytes().to_vec(), inst);
        }
    }
}

/// A load, store, FP load/store, AMO or LR/SC on the scratch area through x31, aligned.
fn memory_op(rng: &mut Rng) -> u32 {
    let rd = loop {
        let r = rng.below(31) as u32;
        if r != BASE {
            break r;
        }
    };
    let rs2 = rng.below(32) as u32;
    let (w, f3) = rng.pick(&[(1u32, 0u32), (2, 1), (4, 2), (8, 3), (1, 4), (2, 5), (4, 6)]);
    let off = (rng.below((SCRATCH_LEN - 8) as u64) as u32 & !(w - 1)) as i32;
    match rng.below(6) {
        0 | 1 => i_type(off, BASE, f3, rd, 0x03),
        2 => s_type(off, rs2, BASE, f3 & 3, 0x23),
        3 => {
            let d = rng.below(2) as u32;
            let off = off & !7;
            if rng.below(2) == 0 {
                i_type(off, BASE, 2 + d, rd, 0x07)
            } else {
                s_type(off, rs2, BASE, 2 + d, 0x27)
            }
        }
        // AMOs and LR/SC work on the word at the scratch pointer itself (no offset). LR and
        // SC are doublewords: whether an SC of another size than its LR succeeds is left to
        // the implementation (qemu lets it, remu does not).
        _ => {
            let f5 = rng.pick(&[0u32, 1, 2, 3, 4, 8, 12, 16, 20, 24, 28]);
            let f3 = if f5 == 2 || f5 == 3 { 3 } else { 2 + rng.below(2) as u32 };
            let aqrl = rng.below(4) as u32;
            let rs2 = if f5 == 2 { 0 } else { rs2 };
            f5 << 27 | aqrl << 25 | rs2 << 20 | BASE << 15 | f3 << 12 | rd << 7 | 0x2f
        }
    }
}

/// A register value: boundaries, small numbers, or anything.
fn random_x(rng: &mut Rng) -> u64 {
    match rng.below(8) {
        0 => rng.pick(&[0, 1, u64::MAX, 1 << 63, (1 << 63) - 1, 1 << 31, (1 << 31) - 1, 0xffff_ffff, 0xffff_ffff_8000_0000]),
        1 | 2 => rng.below(64),
        3 => rng.next() as i32 as i64 as u64,
        _ => rng.next(),
    }
}

/// An FP register value: a NaN-boxed single, a double, or special values of each.
fn random_f(rng: &mut Rng) -> u64 {
    let single = |rng: &mut Rng| -> u32 {
        match rng.below(6) {
            0 => rng.pick(&[0, 0x8000_0000, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 0x7f80_0001, 0x0000_0001, 0x3f80_0000, 0x4f00_0000, 0xcf00_0000]),
            1 => (rng.next() as u32 & 0x807f_ffff) | (rng.below(16) as u32 + 120) << 23,
            _ => rng.next() as u32,
        }
    };
    match rng.below(8) {
        0..=2 => 0xffff_ffff_0000_0000 | single(rng) as u64,
        3 => rng.pick(&[0, 1 << 63, 0x7ff0_0000_0000_0000, 0xfff0_0000_0000_0000, 0x7ff8_0000_0000_0000, 0x7ff0_0000_0000_0001, 1, 0x3ff0_0000_0000_0000, 0x43e0_0000_0000_0000, 0xc3e0_0000_0000_0000]),
        4 => (rng.next() & 0x800f_ffff_ffff_ffff) | (rng.below(64) + 1000) << 52,
        5 => single(rng) as u64, // not NaN-boxed: reads as the canonical NaN
        _ => rng.next(),
    }
}

fn random_state(rng: &mut Rng) -> Vec<u8> {
    let mut s = vec![0u8; STATE];
    let put = |s: &mut [u8], off: usize, v: u64| s[off..off + 8].copy_from_slice(&v.to_le_bytes());
    for k in 1..31 {
        put(&mut s, X + 8 * k, random_x(rng));
    }
    put(&mut s, X + 8 * 31, REGION + SCRATCH as u64);
    for k in 0..32 {
        put(&mut s, F + 8 * k, random_f(rng));
    }
    put(&mut s, FCSR, rng.below(5) << 5 | rng.below(32));
    for b in &mut s[SCRATCH..SCRATCH + SCRATCH_LEN] {
        *b = rng.next() as u8;
    }
    s
}

struct Case {
    record: Vec<u8>,
    block: Vec<(Vec<u8>, Inst)>,
}

/// A forward control transfer in a block: which form, and how many of the following
/// instructions it skips when taken (it may land just past the block's last one).
#[derive(Clone, Copy)]
enum Jump {
    /// beq/bne/blt/bge/bltu/bgeu (funct3) rs1, rs2.
    Branch(u32, u32, u32),
    /// c.beqz/c.bnez (funct3 6 or 7) rs1' (x8-x15).
    CBranch(u32, u32),
    /// jal rd.
    Jal(u32),
    /// c.j.
    CJ,
}

impl Jump {
    fn len(self) -> usize {
        match self {
            Jump::Branch(..) | Jump::Jal(_) => 4,
            Jump::CBranch(..) | Jump::CJ => 2,
        }
    }

    fn encode(self, off: u32) -> Vec<u8> {
        let bit = |b: u32| off >> b & 1;
        match self {
            Jump::Branch(f3, rs1, rs2) => {
                let w = bit(12) << 31 | (off >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (off >> 1 & 0xf) << 8 | bit(11) << 7 | 0x63;
                w.to_le_bytes().to_vec()
            }
            Jump::Jal(rd) => {
                let w = bit(20) << 31 | (off >> 1 & 0x3ff) << 21 | bit(11) << 20 | (off >> 12 & 0xff) << 12 | rd << 7 | 0x6f;
                w.to_le_bytes().to_vec()
            }
            Jump::CBranch(f3, rs1) => {
                let h = f3 << 13 | bit(8) << 12 | (off >> 3 & 3) << 10 | (rs1 - 8) << 7 | (off >> 6 & 3) << 5 | (off >> 1 & 3) << 3 | bit(5) << 2 | 1;
                (h as u16).to_le_bytes().to_vec()
            }
            Jump::CJ => {
                let h = 5 << 13 | bit(11) << 12 | bit(4) << 11 | (off >> 8 & 3) << 9 | bit(10) << 8 | bit(6) << 7 | bit(7) << 6 | (off >> 1 & 7) << 3 | bit(5) << 2 | 1;
                (h as u16).to_le_bytes().to_vec()
            }
        }
    }
}

fn random_jump(rng: &mut Rng) -> Jump {
    match rng.below(6) {
        0..=2 => Jump::Branch(rng.pick(&[0, 1, 4, 5, 6, 7]), rng.below(32) as u32, rng.below(32) as u32),
        3 => Jump::CBranch(6 + rng.below(2) as u32, 8 + rng.below(8) as u32),
        4 => Jump::Jal(loop {
            let r = rng.below(31) as u32;
            if r != BASE {
                break r;
            }
        }),
        _ => Jump::CJ,
    }
}

fn make_case(rng: &mut Rng) -> Case {
    let n = 1 + rng.below(12) as usize;
    // Straight-line instructions, and now and then a forward jump or branch (so blocks end
    // early and the interpreter's fused compare-and-branch ops and chaining are exercised).
    let items: Vec<Result<(Vec<u8>, Inst), Jump>> =
        (0..n).map(|_| if rng.below(6) == 0 { Err(random_jump(rng)) } else { Ok(random_insn(rng)) }).collect();
    let lens: Vec<usize> = items.iter().map(|i| i.as_ref().map_or_else(|j| j.len(), |(b, _)| b.len())).collect();
    let mut block = Vec::new();
    for (k, item) in items.iter().enumerate() {
        block.push(match item {
            Ok(insn) => insn.clone(),
            Err(j) => {
                let skip = rng.below((n - k) as u64) as usize;
                let off = lens[k..=k + skip].iter().sum::<usize>() as u32;
                let bytes = j.encode(off);
                let (inst, _) = decode(u32::from_le_bytes([bytes[0], bytes[1], *bytes.get(2).unwrap_or(&0), *bytes.get(3).unwrap_or(&0)]));
                // The encoders are this test's own: check them against the decoder.
                let target = match inst {
                    Inst::Branch { offset, .. } | Inst::Jal { offset, .. } => offset,
                    _ => -1,
                };
                assert_eq!(target, off as i64, "jump encoding: {inst}");
                (bytes, inst)
            }
        });
    }
    let mut code: Vec<u8> = prologue().iter().flat_map(|w| w.to_le_bytes()).collect();
    for (bytes, _) in &block {
        code.extend(bytes);
    }
    // The epilogue's stores are 4-byte instructions; keep them aligned as a compiler would
    // (a compressed parcel may have left the code 2 bytes off). A jump past the block's end
    // lands on this c.nop or on the epilogue.
    if !code.len().is_multiple_of(4) {
        code.extend(0x0001u16.to_le_bytes()); // c.nop
    }
    code.extend(epilogue().iter().flat_map(|w| w.to_le_bytes()));
    let mut record = random_state(rng);
    record.resize(RECORD, 0);
    record[STATE..STATE + code.len()].copy_from_slice(&code);
    Case { record, block }
}

/// Runs one record in-process: the state area after the code returned.
fn run_remu(mem: &GuestMemory, cpu: &mut RiscvCpu, record: &[u8]) -> Result<Vec<u8>, String> {
    mem.write(REGION, record).map_err(|e| format!("write: {e:?}"))?;
    cpu.flush_code(REGION, REGION + RECORD as u64);
    let s = cpu.state_mut();
    s.x = [0; 32];
    s.f = [0; 32];
    (s.fflags, s.frm, s.res_valid) = (0, 0, 0);
    s.pc = REGION + STATE as u64;
    s.x[10] = REGION;
    s.x[1] = RET;
    s.x[2] = 0x4000_0000;
    match cpu.run(mem) {
        Exit::Breakpoint => {}
        other => return Err(format!("remu stopped with {other:?} at pc {:#x}", cpu.state().pc)),
    }
    let mut out = vec![0u8; STATE];
    mem.read(REGION, &mut out).map_err(|e| format!("read: {e:?}"))?;
    Ok(out)
}

fn listing(case: &Case) -> String {
    case.block
        .iter()
        .map(|(b, i)| {
            let raw = b.iter().rev().map(|x| format!("{x:02x}")).collect::<String>();
            format!("    {raw:>8}  {i}\n")
        })
        .collect()
}

impl DiffCase for Case {
    fn record(&self) -> &[u8] {
        &self.record
    }
    fn listing(&self) -> String {
        listing(self)
    }
    fn describe(&self, ours: &[u8], theirs: &[u8]) -> String {
        describe(self, ours, theirs)
    }
}

fn describe(case: &Case, ours: &[u8], theirs: &[u8]) -> String {
    let word = |s: &[u8], off: usize| u64::from_le_bytes(s[off..off + 8].try_into().unwrap());
    let init = &case.record[..STATE];
    let mut t = listing(case);
    t += &format!("  initial fcsr {:#x}\n", word(init, FCSR));
    for k in 1..32 {
        let o = X + 8 * k;
        if word(ours, o) != word(theirs, o) {
            t += &format!("  x{k}: remu {:#018x} qemu {:#018x} (was {:#x})\n", word(ours, o), word(theirs, o), word(init, o));
        }
    }
    for k in 0..32 {
        let o = F + 8 * k;
        if word(ours, o) != word(theirs, o) {
            t += &format!("  f{k}: remu {:#018x} qemu {:#018x} (was {:#x})\n", word(ours, o), word(theirs, o), word(init, o));
        }
    }
    if word(ours, FCSR) != word(theirs, FCSR) {
        t += &format!("  fcsr: remu {:#x} qemu {:#x}\n", word(ours, FCSR), word(theirs, FCSR));
    }
    for o in (SCRATCH..SCRATCH + SCRATCH_LEN).step_by(8) {
        if word(ours, o) != word(theirs, o) {
            t += &format!("  scratch+{}: remu {:#018x} qemu {:#018x}\n", o - SCRATCH, word(ours, o), word(theirs, o));
        }
    }
    t
}

#[test]
fn random_blocks_match_qemu() {
    let Some(qemu) = qemu_path("qemu-riscv64") else {
        println!("SKIPPED: qemu-riscv64 is not installed (apt-get install qemu-user), so there is no oracle");
        return;
    };
    let harness = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../roms/riscv64/diff/harness");
    assert!(harness.is_file(), "{} is missing (make -C roms riscv64-diff)", harness.display());
    let mem = GuestMemory::new(36).unwrap();
    mem.map(Placement::Fixed(REGION), RECORD as u64, Prot::RW | Prot::EXEC, false, None).unwrap();
    mem.map(Placement::Fixed(RET), 0x1000, Prot::RW | Prot::EXEC, false, None).unwrap();
    mem.write(RET, &EBREAK.to_le_bytes()).unwrap();
    let mut cpu = RiscvCpu::new(REGION);
    // REMU_DIFF_CASES=N runs N blocks per seed instead of 500 (a longer fuzzing session;
    // the same knob as the aarch64 test's).
    let seeds = 16u64;
    let cases_per_seed: usize = std::env::var("REMU_DIFF_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let (total, failures) = differential(
        &qemu,
        &harness,
        (1..=seeds).map(|s| 0x9e37_79b9_7f4a_7c15 ^ s.wrapping_mul(0x2545_f491)),
        cases_per_seed,
        STATE,
        COMPARED,
        make_case,
        |record| run_remu(&mem, &mut cpu, record),
    );
    let shown: Vec<&String> = failures.iter().take(12).collect();
    assert!(
        failures.is_empty(),
        "{} of {total} blocks differ:\n{}",
        failures.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
    println!("{total} random blocks agree with qemu-riscv64");
}
