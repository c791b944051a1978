//! Interpreter tests: small hand-encoded programs in real guest memory, plus the flag
//! arithmetic checked directly against the Arm ARM's AddWithCarry on edge cases.

use remu_core::mem::{GuestMemory, Placement, Prot};
use remu_core::{Access, Cpu, Exit};
use remu_isa_arm::interp::{add_with_carry, cond_holds};
use remu_isa_arm::insn::Cond;
use remu_isa_arm::ArmCpu;

const CODE: u64 = 0x10000;
const DATA: u64 = 0x20000;
const RO: u64 = 0x30000;

const SVC: u32 = 0xd400_0001;
const BRK: u32 = 0xd420_0000;
fn adds_x(rd: u32, rn: u32, rm: u32) -> u32 {
    0xab00_0000 | rm << 16 | rn << 5 | rd
}
fn subs_x(rd: u32, rn: u32, rm: u32) -> u32 {
    0xeb00_0000 | rm << 16 | rn << 5 | rd
}
fn adds_w(rd: u32, rn: u32, rm: u32) -> u32 {
    0x2b00_0000 | rm << 16 | rn << 5 | rd
}
fn subs_w(rd: u32, rn: u32, rm: u32) -> u32 {
    0x6b00_0000 | rm << 16 | rn << 5 | rd
}
fn mrs_nzcv(rt: u32) -> u32 {
    0xd53b_4200 | rt
}
fn ccmp_x(rn: u32, rm: u32, nzcv: u32, cond: u32) -> u32 {
    0xfa40_0000 | rm << 16 | cond << 12 | rn << 5 | nzcv
}
fn ccmn_x_imm(rn: u32, imm5: u32, nzcv: u32, cond: u32) -> u32 {
    0xba40_0800 | imm5 << 16 | cond << 12 | rn << 5 | nzcv
}
fn csel_x(rd: u32, rn: u32, rm: u32, cond: u32) -> u32 {
    0x9a80_0000 | rm << 16 | cond << 12 | rn << 5 | rd
}
fn csneg_x(rd: u32, rn: u32, rm: u32, cond: u32) -> u32 {
    0xda80_0400 | rm << 16 | cond << 12 | rn << 5 | rd
}
fn ldxr_x(rt: u32, rn: u32) -> u32 {
    0xc85f_7c00 | rn << 5 | rt
}
fn stxr_x(rs: u32, rt: u32, rn: u32) -> u32 {
    0xc800_7c00 | rs << 16 | rn << 5 | rt
}
fn ldr_x(rt: u32, rn: u32) -> u32 {
    0xf940_0000 | rn << 5 | rt
}
fn str_x(rt: u32, rn: u32) -> u32 {
    0xf900_0000 | rn << 5 | rt
}
fn add_imm_x(rd: u32, rn: u32, imm: u32) -> u32 {
    0x9100_0000 | imm << 10 | rn << 5 | rd
}
fn ic_ivau(rt: u32) -> u32 {
    0xd50b_7520 | rt
}
const NOP: u32 = 0xd503_201f;

fn setup() -> GuestMemory {
    let m = GuestMemory::new(32).unwrap();
    m.map(Placement::Fixed(CODE), 0x4000, Prot::RW | Prot::EXEC, false, None).unwrap();
    m.map(Placement::Fixed(DATA), 0x1000, Prot::RW, false, None).unwrap();
    m.map(Placement::Fixed(RO), 0x1000, Prot::READ, false, None).unwrap();
    m
}

fn load(m: &GuestMemory, code: &[u32]) {
    let bytes: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    m.write(CODE, &bytes).unwrap();
}

/// Runs `code` from CODE with x registers preset, until the first exit.
fn run(code: &[u32], regs: &[(usize, u64)], nzcv: u64) -> (ArmCpu, Exit, GuestMemory) {
    let m = setup();
    load(&m, code);
    let mut cpu = ArmCpu::new(CODE);
    for &(r, v) in regs {
        cpu.state_mut().x[r] = v;
    }
    cpu.state_mut().nzcv = nzcv << 28;
    let e = cpu.run(&m);
    (cpu, e, m)
}

#[test]
fn add_with_carry_edges() {
    // (sf, x, y, carry) -> (result, NZCV)
    let cases: &[(bool, u64, u64, bool, u64, u8)] = &[
        (true, 0, 0, false, 0, 0b0100),
        (true, u64::MAX, 1, false, 0, 0b0110),
        (true, i64::MAX as u64, 1, false, 1 << 63, 0b1001),
        (true, 1 << 63, 1 << 63, false, 0, 0b0111),
        (true, 1 << 63, u64::MAX, false, i64::MAX as u64, 0b0011),
        (true, u64::MAX, u64::MAX, true, u64::MAX, 0b1010),
        (true, 5, !5, true, 0, 0b0110),
        (true, 4, !5, true, u64::MAX, 0b1000),
        (false, 0x7fff_ffff, 1, false, 0x8000_0000, 0b1001),
        (false, 0xffff_ffff, 1, false, 0, 0b0110),
        (false, 0x8000_0000, 0x8000_0000, false, 0, 0b0111),
        (false, 0xffff_ffff_0000_0000, 0, false, 0, 0b0100),
        (false, 0, 0xffff_ffff, true, 0, 0b0110),
    ];
    for &(sf, x, y, c, r, f) in cases {
        assert_eq!(add_with_carry(sf, x, y, c), (r, f), "sf={sf} {x:#x} + {y:#x} + {c}");
    }
}

#[test]
fn conditions() {
    // NZCV = 0110 (equal, carry): eq, hs, ls, ge, le, al hold.
    let holds: Vec<bool> = (0..16).map(|c| cond_holds(0b0110 << 28, Cond(c))).collect();
    assert_eq!(
        holds,
        [true, false, true, false, false, true, false, true, false, true, true, false, false, true, true, true]
    );
    // N != V: lt and le hold, ge and gt do not.
    assert!(cond_holds(0b1000 << 28, Cond(11)) && cond_holds(0b0001 << 28, Cond(13)));
    assert!(!cond_holds(0b1000 << 28, Cond(10)) && !cond_holds(0b0001 << 28, Cond(12)));
}

#[test]
fn adds_subs_flags() {
    let cases: &[(u32, u64, u64, u64, u64)] = &[
        // (insn, x1, x2, x0 result, NZCV)
        (adds_x(0, 1, 2), i64::MAX as u64, 1, 1 << 63, 0b1001),
        (adds_x(0, 1, 2), u64::MAX, 1, 0, 0b0110),
        (subs_x(0, 1, 2), 0, 1, u64::MAX, 0b1000),
        (subs_x(0, 1, 2), 1 << 63, 1, i64::MAX as u64, 0b0011),
        (subs_x(0, 1, 2), 7, 7, 0, 0b0110),
        (adds_w(0, 1, 2), 0x7fff_ffff, 1, 0x8000_0000, 0b1001),
        (adds_w(0, 1, 2), 0xdead_0000_ffff_ffff, 1, 0, 0b0110),
        (subs_w(0, 1, 2), 0x8000_0000, 1, 0x7fff_ffff, 0b0011),
        (subs_w(0, 1, 2), 0, 1, 0xffff_ffff, 0b1000),
    ];
    for &(insn, a, b, r, f) in cases {
        let (cpu, e, _) = run(&[insn, mrs_nzcv(3), SVC], &[(1, a), (2, b)], 0);
        assert_eq!(e, Exit::Syscall);
        assert_eq!(cpu.state().x[0], r, "{insn:08x} {a:#x} {b:#x}");
        assert_eq!(cpu.state().x[3], f << 28, "{insn:08x} {a:#x} {b:#x}");
    }
}

#[test]
fn ccmp_and_csel() {
    const EQ: u32 = 0;
    const NE: u32 = 1;
    // Condition holds: flags from the comparison (5 - 7: N, borrow).
    let (cpu, _, _) = run(&[ccmp_x(1, 2, 0b0010, EQ), mrs_nzcv(3), SVC], &[(1, 5), (2, 7)], 0b0100);
    assert_eq!(cpu.state().x[3], 0b1000 << 28);
    // Condition fails: flags are the immediate nzcv.
    let (cpu, _, _) = run(&[ccmp_x(1, 2, 0b0010, EQ), mrs_nzcv(3), SVC], &[(1, 5), (2, 7)], 0);
    assert_eq!(cpu.state().x[3], 0b0010 << 28);
    // ccmn with an immediate: -3 + 3 = 0 with carry.
    let (cpu, _, _) = run(&[ccmn_x_imm(1, 3, 0, NE), mrs_nzcv(3), SVC], &[(1, (-3i64) as u64)], 0);
    assert_eq!(cpu.state().x[3], 0b0110 << 28);
    // csel picks rn when the condition holds, rm otherwise; csneg negates rm.
    let (cpu, _, _) = run(&[csel_x(0, 1, 2, EQ), csneg_x(4, 1, 2, NE), SVC], &[(1, 11), (2, 22)], 0b0100);
    assert_eq!((cpu.state().x[0], cpu.state().x[4]), (11, (-22i64) as u64));
    let (cpu, _, _) = run(&[csel_x(0, 1, 2, EQ), csneg_x(4, 1, 2, NE), SVC], &[(1, 11), (2, 22)], 0);
    assert_eq!((cpu.state().x[0], cpu.state().x[4]), (22, 11));
}

#[test]
fn exclusives() {
    // ldxr; stxr succeeds (status 0) and stores.
    let (cpu, e, m) = run(&[ldxr_x(1, 5), add_imm_x(1, 1, 1), stxr_x(2, 1, 5), SVC], &[(5, DATA)], 0);
    assert_eq!(e, Exit::Syscall);
    assert_eq!(cpu.state().x[2], 0);
    assert_eq!(m.read_u64(DATA).unwrap(), 1);
    // stxr without a reservation fails and stores nothing.
    let (cpu, _, m) = run(&[stxr_x(2, 1, 5), SVC], &[(5, DATA), (1, 99)], 0);
    assert_eq!(cpu.state().x[2], 1);
    assert_eq!(m.read_u64(DATA).unwrap(), 0);
    // Another agent changes memory between ldxr and stxr: the store exclusive fails.
    let m = setup();
    load(&m, &[ldxr_x(1, 5), SVC, stxr_x(2, 1, 5), SVC]);
    let mut cpu = ArmCpu::new(CODE);
    cpu.state_mut().x[5] = DATA;
    assert_eq!(cpu.run(&m), Exit::Syscall);
    m.write_u64(DATA, 42).unwrap();
    assert_eq!(cpu.run(&m), Exit::Syscall);
    assert_eq!(cpu.state().x[2], 1);
    assert_eq!(m.read_u64(DATA).unwrap(), 42);
    // A forked copy holds no reservation.
    let m = setup();
    load(&m, &[ldxr_x(1, 5), SVC, stxr_x(2, 1, 5), SVC]);
    let mut cpu = ArmCpu::new(CODE);
    cpu.state_mut().x[5] = DATA;
    assert_eq!(cpu.run(&m), Exit::Syscall);
    let mut child = cpu.boxed_clone();
    assert_eq!(child.run(&m), Exit::Syscall);
    assert_eq!(child.syscall_args().1[0], 0);
}

#[test]
fn faults_report_the_instruction() {
    // A load from unmapped memory: pc is the load's, the address the access's.
    let (cpu, e, _) = run(&[NOP, NOP, ldr_x(0, 1), SVC], &[(1, 0x50000)], 0);
    assert_eq!(e, Exit::Fault { addr: 0x50000, access: Access::Read });
    assert_eq!(cpu.pc(), CODE + 8);
    // A store to a read-only page (a host fault inside the region).
    let (cpu, e, _) = run(&[NOP, str_x(0, 1), SVC], &[(1, RO + 8)], 0);
    assert_eq!(e, Exit::Fault { addr: RO + 8, access: Access::Write });
    assert_eq!(cpu.pc(), CODE + 4);
    // Beyond the address space.
    let (cpu, e, _) = run(&[ldr_x(0, 1)], &[(1, 1 << 40)], 0);
    assert_eq!(e, Exit::Fault { addr: 1 << 40, access: Access::Read });
    assert_eq!(cpu.pc(), CODE);
    // Jumping to unmapped code.
    let (cpu, e, _) = run(&[0xd61f_0020], &[(1, 0x60000)], 0);
    assert_eq!(e, Exit::Fault { addr: 0x60000, access: Access::Execute });
    assert_eq!(cpu.pc(), 0x60000);
}

#[test]
fn illegal_breakpoint_and_syscall() {
    let (cpu, e, _) = run(&[NOP, 0x0000_0000], &[], 0);
    assert_eq!(e, Exit::Illegal { raw: 0, len: 4 });
    assert_eq!(cpu.pc(), CODE + 4);
    let (cpu, e, _) = run(&[NOP, BRK], &[], 0);
    assert_eq!(e, Exit::Breakpoint);
    assert_eq!(cpu.pc(), CODE + 4);
    let (cpu, e, _) = run(&[SVC], &[(8, 64), (0, 1), (1, 2), (5, 6)], 0);
    assert_eq!(e, Exit::Syscall);
    assert_eq!(cpu.pc(), CODE + 4);
    assert_eq!(cpu.syscall_args(), (64, [1, 2, 0, 0, 0, 6]));
    assert_eq!(cpu.instructions_retired(), 1);
}

#[test]
fn ic_ivau_flushes_the_block_cache() {
    // Run a block that returns x0 = 1, patch it to x0 = 2, `ic ivau`, run again.
    let movz = |v: u32| 0xd280_0000 | v << 5;
    let m = setup();
    // CODE: movz x0, #1; svc. CODE+8: str w2, [x3] (patch); ic ivau, x3; b CODE
    load(&m, &[movz(1), SVC, 0xb900_0062, ic_ivau(3), 0x17ff_fffc]);
    let mut cpu = ArmCpu::new(CODE);
    assert_eq!(cpu.run(&m), Exit::Syscall);
    assert_eq!(cpu.state().x[0], 1);
    cpu.set_pc(CODE + 8);
    cpu.state_mut().x[2] = movz(2) as u64;
    cpu.state_mut().x[3] = CODE;
    assert_eq!(cpu.run(&m), Exit::CodeFlushed);
    assert_eq!(cpu.run(&m), Exit::Syscall);
    assert_eq!(cpu.state().x[0], 2);
}

#[test]
fn msr_immediate_pstate_fields() {
    // CFINV, XAFLAG, AXFLAG, RMIF, SETF8, SETF16 on every NZCV value: (insn, nzcv in,
    // nzcv out) as the Arm ARM defines them.
    const CFINV: u32 = 0xd500_401f;
    const XAFLAG: u32 = 0xd500_403f;
    const AXFLAG: u32 = 0xd500_405f;
    for f in 0..16u64 {
        let (n, z, c, v) = (f >> 3 & 1, f >> 2 & 1, f >> 1 & 1, f & 1);
        let cases = [
            (CFINV, f ^ 0b0010),
            (XAFLAG, ((1 - c) & (1 - z)) << 3 | (z & c) << 2 | (c | z) << 1 | ((1 - c) & z)),
            (AXFLAG, (z | v) << 2 | (c & (1 - v)) << 1),
        ];
        let _ = n;
        for (insn, want) in cases {
            let (cpu, e, _) = run(&[insn, SVC], &[], f);
            assert_eq!(e, Exit::Syscall);
            assert_eq!(cpu.state().nzcv >> 28, want, "{insn:08x} on {f:04b}");
        }
    }
    // RMIF x1, #4, #0b1010: N and C from bits 7 and 5 of x1.
    let (cpu, _, _) = run(&[0xba02_042a, SVC], &[(1, 0xa0)], 0b0101);
    assert_eq!(cpu.state().nzcv >> 28, 0b1111);
    // SETF8 w1: N = bit 7, Z = low byte zero, V = bit 8 ^ bit 7, C kept.
    let (cpu, _, _) = run(&[0x3a00_082d, SVC], &[(1, 0x180)], 0b0010);
    assert_eq!(cpu.state().nzcv >> 28, 0b1010);
    // SETF16 w1
    let (cpu, _, _) = run(&[0x3a00_482d, SVC], &[(1, 0x1_0000)], 0);
    assert_eq!(cpu.state().nzcv >> 28, 0b0101);
    // Not executable at EL0 under Linux: DAIFSet/DAIFClr (SCTLR_EL1.UMA = 0), SPSel, PAN,
    // UAO; and features remu does not implement: SSBS, DIT, TCO.
    for insn in [0xd503_42df, 0xd503_42ff, 0xd500_41bf, 0xd500_419f, 0xd500_417f, 0xd503_413f, 0xd503_415f, 0xd503_419f] {
        let (_, e, _) = run(&[insn, SVC], &[], 0);
        assert!(matches!(e, Exit::Illegal { .. }), "{insn:08x}: {e:?}");
    }
}

#[test]
fn ldlar_stllr_are_ordered_loads_and_stores() {
    // STLLR x2, [x1]; LDLAR x3, [x1]
    let (cpu, e, _) = run(&[0xc89f_7c22, 0xc8df_7c23, SVC], &[(1, DATA), (2, 0x1234_5678_9abc_def0)], 0);
    assert_eq!(e, Exit::Syscall);
    assert_eq!(cpu.state().x[3], 0x1234_5678_9abc_def0);
}

#[test]
fn fused_ops_count_and_fault_exactly() {
    const ADD_X1_8: u32 = 0x9100_2021; // add x1, x1, #8
    const LDR_X2_X1: u32 = 0xf940_0022; // ldr x2, [x1]
    const CBZ_X2_8: u32 = 0xb400_0042; // cbz x2, +8
    const LDR_W2_X1: u32 = 0xb940_0022; // ldr w2, [x1]
    const CBNZ_W2_8: u32 = 0x3500_0042; // cbnz w2, +8
    const MOV_X3_X4: u32 = 0xaa04_03e3; // mov x3, x4
    const CMP_X3_X5: u32 = 0xeb05_007f; // cmp x3, x5
    const BNE_8: u32 = 0x5400_0041; // b.ne +8
    const MOVZ_X6_1: u32 = 0xd280_0026; // mov x6, #1

    // An ALU op, then a load fused with CBZ: the load faults; the pc is the load's, the ALU
    // op counts and has run.
    let (cpu, e, _) = run(&[ADD_X1_8, LDR_X2_X1, CBZ_X2_8, SVC], &[(1, 0x50000)], 0);
    assert_eq!(e, Exit::Fault { addr: 0x50008, access: Access::Read });
    assert_eq!((cpu.pc(), cpu.instructions_retired(), cpu.state().x[1]), (CODE + 4, 1, 0x50008));
    // (That was a host fault inside the region.) The same fused load at the block's start,
    // beyond the address space.
    let (cpu, e, _) = run(&[LDR_W2_X1, CBNZ_W2_8, SVC], &[(1, 1 << 40)], 0);
    assert_eq!(e, Exit::Fault { addr: 1 << 40, access: Access::Read });
    assert_eq!((cpu.pc(), cpu.instructions_retired()), (CODE, 0));
    // Fused load and CBNZ, taken and not taken.
    let code = [LDR_W2_X1, CBNZ_W2_8, MOVZ_X6_1, SVC];
    let (cpu, e, m) = run(&code, &[(1, DATA)], 0);
    assert_eq!((e, cpu.state().x[6], cpu.instructions_retired()), (Exit::Syscall, 1, 4));
    drop(m);
    let m = setup();
    load(&m, &code);
    m.write_u32(DATA, 7).unwrap();
    let mut cpu = ArmCpu::new(CODE);
    cpu.state_mut().x[1] = DATA;
    assert_eq!(cpu.run(&m), Exit::Syscall);
    assert_eq!((cpu.state().x[2], cpu.state().x[6], cpu.instructions_retired()), (7, 0, 3));
    // A move, a compare and B.cond in one op: taken skips the movz.
    let code = [MOV_X3_X4, CMP_X3_X5, BNE_8, MOVZ_X6_1, SVC];
    let (cpu, _, _) = run(&code, &[(4, 1), (5, 2)], 0);
    assert_eq!((cpu.state().x[3], cpu.state().x[6], cpu.instructions_retired(), cpu.pc()), (1, 0, 4, CODE + 20));
    assert_eq!(cpu.state().nzcv >> 28, 0b1000);
    let (cpu, _, _) = run(&code, &[(4, 2), (5, 2)], 0);
    assert_eq!((cpu.state().x[6], cpu.instructions_retired()), (1, 5));
    assert_eq!(cpu.state().nzcv >> 28, 0b0110);
}

#[test]
fn chained_loops_count_every_instruction() {
    // mov x0, #1000; loop: subs x0, x0, #1; b.ne loop; svc — blocks chained far beyond
    // the chain budget, then the exit.
    let (cpu, e, _) = run(&[0xd280_7d00, 0xf100_0400, 0x54ff_ffe1, SVC], &[], 0);
    assert_eq!(e, Exit::Syscall);
    assert_eq!(cpu.state().x[0], 0);
    assert_eq!(cpu.instructions_retired(), 1 + 2 * 1000 + 1);
    assert_eq!(cpu.pc(), CODE + 16);
    // The flags of the last subs (zero, carry) are settled into the state.
    assert_eq!(cpu.state().nzcv >> 28, 0b0110);
}

#[test]
fn indirect_branches_to_any_value() {
    // br x1 / blr x1 to misaligned targets, including the values empty caches are tagged
    // with: a bus error at the target, never a cached block.
    for insn in [0xd61f_0020, 0xd63f_0020] {
        for t in [u64::MAX, 1, 2] {
            let (cpu, e, _) = run(&[insn, SVC], &[(1, t)], 0);
            assert_eq!(e, Exit::BusError { addr: t }, "{insn:08x} to {t:#x}");
            assert_eq!((cpu.pc(), cpu.instructions_retired()), (t, 1));
        }
    }
}
