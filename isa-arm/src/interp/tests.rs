//! The specialised ops against the slow path: random instruction sequences of the classes
//! `lower` specialises (data processing, loads and stores, branches, flag-setting
//! operations before B.cond, AdvSIMD data processing, FP moves and arithmetic, vector
//! loads and stores), from random register states and FP modes, run once lowered normally and
//! once with every instruction through `exec`; the exits, registers, flags, instret and
//! memory must agree.

use remu_core::mem::{GuestMemory, Placement, Prot};

use super::*;
use crate::decode::decode;

const CODE: u64 = 0x10000;
const DATA: u64 = 0x20000;
const DATA_LEN: usize = 0x2000;
const RO: u64 = 0x30000;
const SVC: u32 = 0xd400_0001;

use remu_testkit::Rng;

/// A register value: edge cases, code addresses, small numbers, pointers into DATA (so
/// many loads and stores succeed) or RO, or anything.
fn value(rng: &mut Rng) -> u64 {
    const EDGES: [u64; 10] = [0, 1, u64::MAX, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 1 << 63, i64::MAX as u64, 0x1_0000_0000, 63];
    match rng.below(8) {
        // Past every sequence (no loops): zeros, so illegal.
        0 if rng.below(4) == 0 => CODE + 4 * (8 + rng.below(8)),
        0 => EDGES[rng.below(EDGES.len() as u64) as usize],
        1 => rng.below(64),
        2..=4 => DATA + (rng.below(DATA_LEN as u64 / 2) & !rng.below(8)),
        5 => RO + rng.below(0x100),
        _ => rng.next(),
    }
}

/// A random instruction of one of the specialised classes (never Illegal).
fn word(rng: &mut Rng, class: u64) -> u32 {
    loop {
        let w = rng.next() as u32;
        let w = match class {
            // Data processing, immediate: op0 = 100x.
            0 => (w & !(0b111 << 26)) | (0b100 << 26),
            // Data processing, register: op0 = x101.
            1 => (w & !(0b111 << 25)) | (0b101 << 25),
            // Loads and stores: op0 = x1x0.
            2 => (w | (1 << 27)) & !(1 << 25),
            // Branches: op0 = 101x.
            3 => (w & !(0b111 << 26)) | (0b101 << 26),
            // B.cond.
            4 => (w & 0x00ff_ffef) | 0x5400_0000,
            // AdvSIMD vector data processing: op0 = 0111 with bit 28 clear; or one of its
            // groups: two-register misc, shift by immediate (and modified immediate),
            // copy, across lanes, three different, scalar copy.
            5 => match rng.below(8) {
                0 | 1 => (w & !(0xf << 25)) | (0b0111 << 25),
                2 => (w & 0x60c1_f3ff) | 0x0e20_0800,
                3 => (w & 0x607f_fbff) | 0x0f00_0400,
                4 => (w & 0x601f_7bff) | 0x0e00_0400,
                5 => (w & 0x60c1_f3ff) | 0x0e30_0800,
                6 => (w & 0x60df_f3ff) | 0x0e20_0000,
                // DUP (element, scalar).
                _ => (w & 0x001f_03ff) | 0x5e00_0400,
            },
            // FMOV and conversions between general and FP registers; FMOV (register); FP
            // two-source arithmetic and fused multiply-add.
            6 => match rng.below(4) {
                0 => (w & 0x80df_03ff) | 0x1e20_0000,
                1 => (w & 0x00c0_03ff) | 0x1e20_4000,
                2 => (w & 0x00df_f3ff) | 0x1e20_0800,
                _ => (w & 0x00ff_ffff) | 0x1f00_0000,
            },
            // AdvSIMD load/store multiple structures, and single structure (LD1R).
            _ => (w & 0x41ff_ffff) | 0x0c00_0000,
        };
        // Branch forward by 1 to 8 instructions, so every sequence ends.
        let fwd = 1 + (w & 7);
        let w = if class < 3 {
            w
        } else if w & 0x7c00_0000 == 0x1400_0000 {
            (w & 0xfc00_0000) | fwd
        } else if w & 0x7e00_0000 == 0x3600_0000 {
            (w & !(0x3fff << 5)) | fwd << 5
        } else if w & 0xff00_0010 == 0x5400_0000 || w & 0x7e00_0000 == 0x3400_0000 {
            (w & !(0x7ffff << 5)) | fwd << 5
        } else {
            w
        };
        if !matches!(decode(w), Inst::Illegal { .. }) {
            return w;
        }
    }
}

struct Outcome {
    exit: Exit,
    s: State,
    data: Vec<u8>,
}

fn run(m: &GuestMemory, code: &[u32], init: &State, data: &[u8], slow: bool) -> Outcome {
    let bytes: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    // The code is read-only while it runs: a store into it (self-modifying code, which
    // may execute stale instructions until `ic ivau`, differently for the two lowerings)
    // faults instead.
    m.protect(CODE, 0x4000, Prot::RW | Prot::EXEC).unwrap();
    m.write(CODE, &vec![0; 0x4000]).unwrap();
    m.write(CODE, &bytes).unwrap();
    m.protect(CODE, 0x4000, Prot::READ | Prot::EXEC).unwrap();
    m.write(DATA, data).unwrap();
    let mut cpu = ArmCpu::new(CODE);
    if slow {
        cpu.set_slow_only();
    }
    *cpu.state_mut() = init.clone();
    let exit = cpu.run(m);
    let mut out = vec![0; DATA_LEN];
    m.read(DATA, &mut out).unwrap();
    Outcome { exit, s: cpu.state().clone(), data: out }
}

#[test]
fn specialised_ops_agree_with_exec() {
    let m = GuestMemory::new(32).unwrap();
    m.map(Placement::Fixed(CODE), 0x4000, Prot::RW | Prot::EXEC, false, None).unwrap();
    m.map(Placement::Fixed(DATA), DATA_LEN as u64, Prot::RW, false, None).unwrap();
    m.map(Placement::Fixed(RO), 0x1000, Prot::READ, false, None).unwrap();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for case in 0..60_000 {
        let len = 1 + rng.below(4) as usize;
        let mut code: Vec<u32> = (0..len)
            .map(|_| {
                let class = [0, 1, 2, 3, 5, 5, 6, 7][rng.below(8) as usize];
                word(&mut rng, class)
            })
            .collect();
        if rng.below(3) == 0 {
            // A flag-setting operation (compare, ADDS, ANDS...) and B.cond.
            let flag_setter = loop {
                let class = rng.below(2);
                let w = word(&mut rng, class);
                if w & 0x2000_001f == 0x2000_001f || w >> 29 & 3 == 3 {
                    break w;
                }
            };
            code.push(flag_setter);
            code.push(word(&mut rng, 4));
        }
        code.push(SVC);
        let mut init = State::default();
        for x in &mut init.x[..32] {
            *x = value(&mut rng);
        }
        init.x[31] = DATA + 0x1000;
        for v in &mut init.v {
            *v = (rng.next() as u128) << 64 | rng.next() as u128;
        }
        init.nzcv = rng.below(16) << 28;
        // Rounding modes, FZ, DN; and FPSR.IXC set or not (the FP fast paths depend on it).
        init.fpcr = [0, 1 << 22, 3 << 22, 1 << 24, 1 << 25][rng.below(5) as usize];
        init.fpsr = [0, 0x10][rng.below(2) as usize];
        init.pc = CODE;
        let data: Vec<u8> = (0..DATA_LEN).map(|_| rng.next() as u8).collect();
        let fast = run(&m, &code, &init, &data, false);
        let slow = run(&m, &code, &init, &data, true);
        let what = || {
            let dis: Vec<String> = code.iter().enumerate().map(|(i, &w)| format!("{w:08x} {}", crate::disasm::disassemble(w, CODE + 4 * i as u64))).collect();
            format!("case {case}: {dis:#?}")
        };
        assert_eq!(fast.exit, slow.exit, "{}", what());
        assert_eq!(fast.s.pc, slow.s.pc, "pc: {}", what());
        assert_eq!(fast.s.instret, slow.s.instret, "instret: {}", what());
        assert_eq!(fast.s.nzcv, slow.s.nzcv, "nzcv: {}", what());
        for i in 0..32 {
            assert_eq!(fast.s.x[i], slow.s.x[i], "x{i}: {}", what());
        }
        assert_eq!(fast.s.v, slow.s.v, "v: {}", what());
        assert_eq!(fast.s.fpsr, slow.s.fpsr, "fpsr: {}", what());
        assert!(fast.data == slow.data, "memory: {}", what());
    }
}

/// An instruction that fuses (see `lower::fuse`): a simple register op, a compare, CCMP, a
/// load, B.cond or CBZ; registers, sizes, conditions and immediates at random.
fn fusable(rng: &mut Rng, what: u32) -> u32 {
    let w = rng.next() as u32;
    let (rd, rn, rm) = (w & 31, w >> 5 & 31, w >> 10 & 31);
    let sf = w >> 31;
    let fwd = 1 + (w >> 15 & 7);
    match what {
        // ADD/SUB (immediate), ADD/SUB (register), AND/ORR/EOR (register), MOVZ, FMOV, and
        // shifted forms.
        0 => match rng.below(13) {
            // EOR w (ROR), ROR w, BIC w, LSL x, LSR x, ADD x (LSL).
            7 => 0x4ac0_0000 | rm << 16 | (w >> 16 & 31) << 10 | rn << 5 | rd,
            8 => 0x1380_0000 | rn << 16 | (w >> 16 & 31) << 10 | rn << 5 | rd,
            9 => 0x0a20_0000 | rm << 16 | rn << 5 | rd,
            10 => {
                let k = w >> 16 & 63;
                0xd340_0000 | ((64 - k) & 63) << 16 | (63 - k) << 10 | rn << 5 | rd
            }
            11 => 0xd340_fc00 | (w >> 16 & 63) << 16 | rn << 5 | rd,
            12 => 0x8b00_0000 | rm << 16 | (w >> 16 & 63) << 10 | rn << 5 | rd,
            0 => sf << 31 | (w >> 20 & 1) << 30 | 0x1100_0000 | (w >> 16 & 0xfff) << 10 | rn << 5 | rd,
            1 => sf << 31 | (w >> 20 & 1) << 30 | 0x0b00_0000 | rm << 16 | rn << 5 | rd,
            2 => sf << 31 | ((w >> 20 & 3) % 3) << 29 | 0x0a00_0000 | rm << 16 | rn << 5 | rd,
            3 => sf << 31 | 0x5280_0000 | (w >> 20 & 1) << 21 | (w >> 15 & 0xffff) << 5 | rd,
            4 => 0x1e26_0000 | rn << 5 | rd,
            5 => 0x1e27_0000 | rn << 5 | rd,
            _ => 0x1e20_4000 | rn << 5 | rd,
        },
        // CMP (register or immediate), TST.
        1 => match rng.below(3) {
            0 => sf << 31 | 0x6b00_0000 | rm << 16 | rn << 5 | 31,
            1 => sf << 31 | 0x7100_0000 | (w >> 16 & 0xfff) << 10 | rn << 5 | 31,
            _ => sf << 31 | 0x6a00_0000 | rm << 16 | rn << 5 | 31,
        },
        // CCMP, CCMN (register).
        2 => sf << 31 | (w >> 20 & 1) << 30 | 0x3a40_0000 | rm << 16 | (w >> 21 & 15) << 12 | rn << 5 | (w & 15),
        // LDR x, LDR w, LDRB, LDRSH (unsigned offset); LDR w (register).
        3 => match rng.below(5) {
            0 => 0xf940_0000 | (w >> 16 & 0x3f) << 10 | rn << 5 | rd,
            1 => 0xb940_0000 | (w >> 16 & 0x3f) << 10 | rn << 5 | rd,
            2 => 0x3940_0000 | (w >> 16 & 0x3f) << 10 | rn << 5 | rd,
            3 => 0x7980_0000 | (w >> 16 & 0x3f) << 10 | rn << 5 | rd,
            _ => 0xb860_6800 | rm << 16 | rn << 5 | rd,
        },
        // B.cond.
        4 => 0x5400_0000 | fwd << 5 | (w >> 20 & 15),
        // CBZ, CBNZ.
        5 => sf << 31 | 0x3400_0000 | (w >> 20 & 1) << 24 | fwd << 5 | rd,
        // BR, BLR, RET.
        6 => [0xd61f_0000, 0xd63f_0000, 0xd65f_0000][rng.below(3) as usize] | rn << 5,
        // CSEL, CSINC, CSINV, CSNEG.
        8 => sf << 31 | (w >> 20 & 1) << 30 | 0x1a80_0000 | rm << 16 | (w >> 21 & 15) << 12 | (w >> 25 & 1) << 10 | rn << 5 | rd,
        // B, BL (forward; followed when blocks are formed).
        9 => (w >> 20 & 1) << 31 | 0x1400_0000 | fwd,
        // STR x, STR w, STRB (unsigned offset); STR w (register).
        _ => match rng.below(4) {
            0 => 0xf900_0000 | (w >> 16 & 0x3f) << 10 | rn << 5 | rd,
            1 => 0xb900_0000 | (w >> 16 & 0x3f) << 10 | rn << 5 | rd,
            2 => 0x3900_0000 | (w >> 16 & 0x3f) << 10 | rn << 5 | rd,
            _ => 0xb820_6800 | rm << 16 | rn << 5 | rd,
        },
    }
}

#[test]
fn fused_ops_agree_with_exec() {
    let m = GuestMemory::new(32).unwrap();
    m.map(Placement::Fixed(CODE), 0x4000, Prot::RW | Prot::EXEC, false, None).unwrap();
    m.map(Placement::Fixed(DATA), DATA_LEN as u64, Prot::RW, false, None).unwrap();
    m.map(Placement::Fixed(RO), 0x1000, Prot::READ, false, None).unwrap();
    let mut rng = Rng(0x0f1e_2d3c_4b5a_6978);
    // The sequences that fuse: two simple ops; a simple op, a compare, B.cond; a compare,
    // CCMP, B.cond; a load, CBZ; a simple op and CBZ, BR/BLR/RET, a load or a store; a
    // load, a compare, B.cond; two loads or stores; a compare and CSEL; and B or BL
    // followed.
    const SHAPES: [&[u32]; 18] = [
        &[0, 0],
        &[0, 0, 0],
        &[0, 1, 4],
        &[1, 2, 4],
        &[3, 5],
        &[0, 5],
        &[0, 6],
        &[0, 3],
        &[0, 7],
        &[3, 1, 4],
        &[3, 3],
        &[1, 8],
        &[0, 9, 0, 9, 0],
        &[9, 1, 4, 0],
        &[1, 9, 4, 9, 8],
        &[7, 7],
        &[3, 7],
        &[7, 3],
    ];
    for case in 0..30_000 {
        let shape = SHAPES[rng.below(SHAPES.len() as u64) as usize];
        let mut code: Vec<u32> = shape.iter().map(|&what| fusable(&mut rng, what)).collect();
        code.push(SVC);
        let mut init = State::default();
        for x in &mut init.x[..32] {
            *x = value(&mut rng);
        }
        init.x[31] = DATA + 0x1000;
        for v in &mut init.v {
            *v = (rng.next() as u128) << 64 | rng.next() as u128;
        }
        init.nzcv = rng.below(16) << 28;
        // Rounding modes, FZ, DN; and FPSR.IXC set or not (the FP fast paths depend on it).
        init.fpcr = [0, 1 << 22, 3 << 22, 1 << 24, 1 << 25][rng.below(5) as usize];
        init.fpsr = [0, 0x10][rng.below(2) as usize];
        init.pc = CODE;
        let data: Vec<u8> = (0..DATA_LEN).map(|_| rng.next() as u8).collect();
        let fast = run(&m, &code, &init, &data, false);
        let slow = run(&m, &code, &init, &data, true);
        let what = || {
            let dis: Vec<String> = code.iter().enumerate().map(|(i, &w)| format!("{w:08x} {}", crate::disasm::disassemble(w, CODE + 4 * i as u64))).collect();
            format!("case {case}: {dis:#?}")
        };
        assert_eq!(fast.exit, slow.exit, "{}", what());
        assert_eq!(fast.s.pc, slow.s.pc, "pc: {}", what());
        assert_eq!(fast.s.instret, slow.s.instret, "instret: {}", what());
        assert_eq!(fast.s.nzcv, slow.s.nzcv, "nzcv: {}", what());
        for i in 0..32 {
            assert_eq!(fast.s.x[i], slow.s.x[i], "x{i}: {}", what());
        }
        assert_eq!(fast.s.v, slow.s.v, "v: {}", what());
        assert_eq!(fast.s.fpsr, slow.s.fpsr, "fpsr: {}", what());
        assert!(fast.data == slow.data, "memory: {}", what());
    }
}
