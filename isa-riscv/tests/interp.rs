//! Interpreter tests: small hand-encoded programs in real guest memory.

use remu_core::mem::{GuestMemory, Placement, Prot};
use remu_core::{Access, Cpu, Exit};
use remu_isa_riscv::RiscvCpu;

const CODE: u64 = 0x10000;
const DATA: u64 = 0x20000;
const RO: u64 = 0x30000;

// Encoders for the formats the tests use.
fn r(f7: u32, rs2: u32, rs1: u32, f3: u32, rd: u32, op: u32) -> u32 {
    f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op
}
fn i(imm: i32, rs1: u32, f3: u32, rd: u32, op: u32) -> u32 {
    ((imm as u32) << 20) | rs1 << 15 | f3 << 12 | rd << 7 | op
}
fn s(imm: i32, rs2: u32, rs1: u32, f3: u32, op: u32) -> u32 {
    let imm = imm as u32;
    (imm >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 31) << 7 | op
}
fn b(imm: i32, rs2: u32, rs1: u32, f3: u32) -> u32 {
    let m = imm as u32;
    (m >> 12 & 1) << 31 | (m >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (m >> 1 & 0xf) << 8 | (m >> 11 & 1) << 7 | 0x63
}
fn addi(rd: u32, rs1: u32, imm: i32) -> u32 {
    i(imm, rs1, 0, rd, 0x13)
}
fn amo(f5: u32, aq: u32, rs2: u32, rs1: u32, f3: u32, rd: u32) -> u32 {
    f5 << 27 | aq << 26 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x2f
}
const ECALL: u32 = 0x73;
const A0: u32 = 10;
const A1: u32 = 11;
const A2: u32 = 12;
const A3: u32 = 13;

fn setup() -> GuestMemory {
    let m = GuestMemory::new(32).unwrap();
    m.map(Placement::Fixed(CODE), 0x4000, Prot::RW | Prot::EXEC, false, None).unwrap();
    m.map(Placement::Fixed(DATA), 0x1000, Prot::RW, false, None).unwrap();
    m.map(Placement::Fixed(RO), 0x1000, Prot::READ, false, None).unwrap();
    m
}

/// Code as a byte stream of 16- and 32-bit parcels.
enum P {
    W(u32),
    H(u16),
}

fn load(m: &GuestMemory, code: &[P]) {
    let mut bytes = Vec::new();
    for p in code {
        match p {
            P::W(w) => bytes.extend_from_slice(&w.to_le_bytes()),
            P::H(h) => bytes.extend_from_slice(&h.to_le_bytes()),
        }
    }
    m.write(CODE, &bytes).unwrap();
}

fn run_words(m: &GuestMemory, words: &[u32], init: &[(usize, u64)]) -> (RiscvCpu, Exit) {
    let code: Vec<P> = words.iter().map(|&w| P::W(w)).collect();
    load(m, &code);
    let mut cpu = RiscvCpu::new(CODE);
    for &(reg, v) in init {
        cpu.state_mut().x[reg] = v;
    }
    let e = cpu.run(m);
    (cpu, e)
}

#[test]
fn m_extension_edge_cases() {
    let m = setup();
    let min = i64::MIN as u64;
    let words = [
        r(1, A2, A1, 4, 14, 0x33), // div a4, a1, a2 (by zero)
        r(1, A2, A1, 6, 15, 0x33), // rem a5, a1, a2
        r(1, A2, A1, 5, 16, 0x33), // divu a6
        r(1, A2, A1, 7, 17, 0x33), // remu a7
        r(1, A3, A0, 4, 5, 0x33),  // div t0, a0(MIN), a3(-1)
        r(1, A3, A0, 6, 6, 0x33),  // rem t1
        r(1, A3, A0, 1, 7, 0x33),  // mulh t2, MIN, -1
        r(1, A3, A0, 3, 28, 0x33), // mulhu t3
        r(1, A3, A0, 2, 29, 0x33), // mulhsu t4, MIN, 0xfff..f
        r(1, A3, A1, 0, 30, 0x3b), // mulw t5, a1, -1
        r(1, A3, 31, 4, 31, 0x3b), // divw t6, t6(0x80000000), -1
        ECALL,
    ];
    let (cpu, e) = run_words(&m, &words, &[(A0 as usize, min), (A1 as usize, 7), (A3 as usize, u64::MAX), (31, 0x8000_0000)]);
    assert_eq!(e, Exit::Syscall);
    let x = &cpu.state().x;
    assert_eq!(x[14], u64::MAX);
    assert_eq!(x[15], 7);
    assert_eq!(x[16], u64::MAX);
    assert_eq!(x[17], 7);
    assert_eq!(x[5], min);
    assert_eq!(x[6], 0);
    assert_eq!(x[7], 0); // MIN * -1 = 2^63: high half 0
    assert_eq!(x[28], (1u64 << 63) - 1); // 2^63 * (2^64-1) >> 64
    assert_eq!(x[29], ((i64::MIN as i128 * u64::MAX as i128) >> 64) as u64);
    assert_eq!(x[30], (-7i64) as u64);
    assert_eq!(x[31], 0xffff_ffff_8000_0000);
    assert_eq!(cpu.pc(), CODE + 4 * 12);
}

#[test]
fn amos_and_lr_sc() {
    let m = setup();
    m.write_u64(DATA, 5).unwrap();
    m.write_u64(DATA + 8, 0xffff_fff0_0000_0010).unwrap();
    let words = [
        amo(0x00, 0, A1, A0, 3, 14),         // amoadd.d a4, a1, (a0): a4 = 5, mem = 5 + 3
        amo(0x01, 1, A2, A0, 3, 15),         // amoswap.d.aq a5, a2, (a0): a5 = 8, mem = a2
        amo(0x10, 0, A1, A3, 2, 16),         // amomin.w a6, a1, (a3): low word 0x10 vs 3
        amo(0x1c, 0, A2, A3, 2, 17),         // amomaxu.w a7, a2, (a3)
        amo(0x02, 0, 0, A0, 3, 5),           // lr.d t0, (a0)
        amo(0x03, 0, A1, A0, 3, 6),          // sc.d t1, a1, (a0): succeeds
        amo(0x03, 0, A2, A0, 3, 7),          // sc.d t2, a2, (a0): fails, no reservation
        i(0, A0, 3, 28, 0x03),               // ld t3, 0(a0)
        amo(0x00, 0, A1, A0, 2, 0),          // amoadd.w zero, a1, (a0) (rd = x0)
        ECALL,
    ];
    let (cpu, e) = run_words(
        &m,
        &words,
        &[(A0 as usize, DATA), (A1 as usize, 3), (A2 as usize, 0xffff_ffff_ffff_fffe), (A3 as usize, DATA + 8)],
    );
    assert_eq!(e, Exit::Syscall);
    let x = &cpu.state().x;
    assert_eq!(x[14], 5);
    assert_eq!(x[15], 8);
    assert_eq!(x[16], 0x10);
    assert_eq!(x[17], 3); // old low word after amomin = 3
    assert_eq!(m.read_u32(DATA + 8).unwrap(), 0xffff_fffe);
    assert_eq!(x[5], 0xffff_ffff_ffff_fffe);
    assert_eq!(x[6], 0);
    assert_eq!(x[7], 1);
    assert_eq!(x[28], 3);
    assert_eq!(x[0], 0);
    assert_eq!(m.read_u64(DATA).unwrap(), 6);
}

#[test]
fn compressed_and_branches() {
    let m = setup();
    // c.li a0, 0; c.li a1, 10; loop: c.add a0, a1; c.addi a1, -1; c.bnez a1, loop;
    // c.mv a2, a0; c.slli a2, 2; ecall
    let c_li_a0_0 = 0x4501u16;
    let c_li_a1_10 = 0x45a9u16;
    let c_add_a0_a1 = 0x952eu16;
    let c_addi_a1_m1 = 0x15fdu16;
    let c_bnez_a1_m4 = 0xfdf5u16;
    let c_mv_a2_a0 = 0x862au16;
    let c_slli_a2_2 = 0x060au16;
    load(
        &m,
        &[
            P::H(c_li_a0_0),
            P::H(c_li_a1_10),
            P::H(c_add_a0_a1),
            P::H(c_addi_a1_m1),
            P::H(c_bnez_a1_m4),
            P::H(c_mv_a2_a0),
            P::H(c_slli_a2_2),
            P::W(ECALL),
        ],
    );
    let mut cpu = RiscvCpu::new(CODE);
    assert_eq!(cpu.run(&m), Exit::Syscall);
    assert_eq!(cpu.state().x[10], 55);
    assert_eq!(cpu.state().x[12], 220);
    assert_eq!(cpu.pc(), CODE + 14 + 4);
    assert_eq!(cpu.disassemble_at(&m, CODE + 8).unwrap(), "c.bnez a1, -4");
}

#[test]
fn loop_with_32bit_branch_and_syscall_abi() {
    let m = setup();
    let words = [
        addi(A0, 0, 0),
        addi(A1, 0, 100),
        r(0, A1, A0, 0, A0, 0x33), // add a0, a0, a1
        addi(A1, A1, -1),
        b(-8, 0, A1, 1), // bnez a1, -8
        addi(17, 0, 93), // li a7, 93
        ECALL,
        addi(A0, A0, 1),
        ECALL,
    ];
    let (mut cpu, e) = run_words(&m, &words, &[]);
    assert_eq!(e, Exit::Syscall);
    assert_eq!(cpu.syscall_args(), (93, [5050, 0, 0, 0, 0, 0]));
    cpu.set_syscall_result(7);
    assert_eq!(cpu.run(&m), Exit::Syscall);
    assert_eq!(cpu.state().x[10], 8);
}

#[test]
fn faults_report_the_instruction() {
    let m = setup();
    // ld from unmapped memory (host SIGSEGV path).
    let (cpu, e) = run_words(&m, &[addi(A0, A0, 1), i(0, A1, 3, A0, 0x03), ECALL], &[(A1 as usize, 0x50000)]);
    assert_eq!(e, Exit::Fault { addr: 0x50000, access: Access::Read });
    assert_eq!(cpu.pc(), CODE + 4);
    assert_eq!(cpu.state().x[10], 1);
    // Store to a read-only page.
    let (cpu, e) = run_words(&m, &[addi(A0, A0, 1), s(8, A0, A1, 3, 0x23), ECALL], &[(A1 as usize, RO)]);
    assert_eq!(e, Exit::Fault { addr: RO + 8, access: Access::Write });
    assert_eq!(cpu.pc(), CODE + 4);
    // Outside the region: caught by the software bounds check.
    let (cpu, e) = run_words(&m, &[addi(A0, A0, 1), i(0, A1, 2, A0, 0x03), ECALL], &[(A1 as usize, 1 << 40)]);
    assert_eq!(e, Exit::Fault { addr: 1 << 40, access: Access::Read });
    assert_eq!(cpu.pc(), CODE + 4);
    // Jumping to non-executable memory.
    let (cpu, e) = run_words(&m, &[i(0, A1, 0, 0, 0x67)], &[(A1 as usize, DATA)]);
    assert_eq!(e, Exit::Fault { addr: DATA, access: Access::Execute });
    assert_eq!(cpu.pc(), DATA);
    // The CPU keeps working after a fault.
    let (cpu, e) = run_words(&m, &[addi(A0, 0, 3), ECALL], &[]);
    assert_eq!(e, Exit::Syscall);
    assert_eq!(cpu.state().x[10], 3);
}

#[test]
fn illegal_ebreak_and_fence_i() {
    let m = setup();
    let (cpu, e) = run_words(&m, &[addi(A0, 0, 1), 0xffff_ffff], &[]);
    assert_eq!(e, Exit::Illegal { raw: 0xffff_ffff, len: 4 });
    assert_eq!(cpu.pc(), CODE + 4);
    assert_eq!(cpu.state().x[10], 1);
    // All-zero halfword is illegal, length 2.
    let (cpu, e) = run_words(&m, &[0], &[]);
    assert_eq!(e, Exit::Illegal { raw: 0, len: 2 });
    assert_eq!(cpu.pc(), CODE);
    let (cpu, e) = run_words(&m, &[addi(A0, 0, 1), 0x0010_0073], &[]);
    assert_eq!(e, Exit::Breakpoint);
    assert_eq!(cpu.pc(), CODE + 4);
    let (mut cpu, e) = run_words(&m, &[addi(A0, 0, 1), 0x0000_100f, ECALL], &[]);
    assert_eq!(e, Exit::CodeFlushed);
    assert_eq!(cpu.pc(), CODE + 8);
    assert_eq!(cpu.run(&m), Exit::Syscall);
}

#[test]
fn self_modifying_code_after_fence_i() {
    let m = setup();
    let (mut cpu, e) = run_words(&m, &[addi(A0, 0, 1), ECALL], &[]);
    assert_eq!(e, Exit::Syscall);
    // Rewrite and flush, as the riscv_flush_icache syscall would.
    m.write_u32(CODE, addi(A0, 0, 2)).unwrap();
    cpu.flush_code(CODE, CODE + 8);
    cpu.set_pc(CODE);
    assert_eq!(cpu.run(&m), Exit::Syscall);
    assert_eq!(cpu.state().x[10], 2);
}

#[test]
fn csrs() {
    let m = setup();
    let words = [
        i(3, A0, 1, 0, 0x73),  // fsrm a0 (csrrw zero, frm, a0)
        i(2, 0, 2, A1, 0x73),  // frrm a1
        i(1, 5, 5, 0, 0x73),   // csrrwi zero, fflags, 5... (uimm in rs1 field)
        i(3, 0, 2, A2, 0x73),  // frcsr a2
        i(0xc02, 0, 2, A3, 0x73), // rdinstret a3
        ECALL,
    ];
    let (cpu, e) = run_words(&m, &words, &[(A0 as usize, 0x40 | 3 << 5 | 0x1f)]);
    assert_eq!(e, Exit::Syscall);
    let x = &cpu.state().x;
    assert_eq!(x[11], 3);
    assert_eq!(x[12], 3 << 5 | 5);
    assert!(x[13] >= 4);
    // Unknown CSR and writing a read-only counter are illegal.
    let (_, e) = run_words(&m, &[i(0x7c0, 0, 2, A1, 0x73)], &[]);
    assert!(matches!(e, Exit::Illegal { .. }));
    let (cpu, e) = run_words(&m, &[addi(A0, 0, 1), i(0xc00, A0, 1, A1, 0x73)], &[]);
    assert!(matches!(e, Exit::Illegal { len: 4, .. }));
    assert_eq!(cpu.pc(), CODE + 4);
}

#[test]
fn fp_boxing_moves_and_loads() {
    let m = setup();
    m.write_u32(DATA, 0x3f80_0000).unwrap(); // 1.0f
    let words = [
        i(0, A0, 2, 1, 0x07),         // flw ft1, 0(a0)
        r(0x78, 0, A1, 0, 2, 0x53),   // fmv.w.x ft2, a1
        r(0x10, 2, 1, 0, 3, 0x53),    // fsgnj.s ft3, ft1, ft2
        r(0x79, 0, A2, 0, 4, 0x53),   // fmv.d.x ft4, a2 (not a boxed single)
        r(0x10, 1, 4, 0, 5, 0x53),    // fsgnj.s ft5, ft4, ft1 -> canonical NaN, sign of ft1
        r(0x70, 0, 3, 0, 14, 0x53),   // fmv.x.w a4, ft3
        r(0x71, 0, 5, 0, 15, 0x53),   // fmv.x.d a5, ft5
        s(4, 3, A0, 2, 0x27),         // fsw ft3, 4(a0)
        r(0x00, 1, 1, 7, 6, 0x53),    // fadd.s ft6, ft1, ft1 (dyn)
        r(0x70, 0, 6, 0, 16, 0x53),   // fmv.x.w a6, ft6
        ECALL,
    ];
    let (cpu, e) = run_words(&m, &words, &[(A0 as usize, DATA), (A1 as usize, 0x8000_0000), (A2 as usize, 0x3ff0_0000_0000_0000)]);
    assert_eq!(e, Exit::Syscall);
    let st = cpu.state();
    assert_eq!(st.f[1], 0xffff_ffff_3f80_0000);
    assert_eq!(st.x[14], 0xffff_ffff_bf80_0000); // -1.0f, sign-extended
    assert_eq!(st.x[15], 0xffff_ffff_7fc0_0000);
    assert_eq!(m.read_u32(DATA + 4).unwrap(), 0xbf80_0000);
    assert_eq!(st.x[16], 0x4000_0000); // 2.0f
    // A reserved dynamic rounding mode makes fadd illegal.
    let (_, e) = run_words(&m, &[i(7, A0, 1, 0, 0x73), r(0x00, 1, 1, 7, 6, 0x53)], &[(A0 as usize, 7)]);
    assert!(matches!(e, Exit::Illegal { .. }));
}

#[test]
fn zb_extensions() {
    let m = setup();
    let words = [
        r(0x10, A1, A0, 2, 14, 0x33), // sh1add a4, a0, a1
        r(0x04, A1, A0, 0, 15, 0x3b), // add.uw a5, a0, a1
        i(0x600, A0, 1, 16, 0x13),    // clz a6, a0
        i(0x602, A0, 1, 17, 0x13),    // cpop a7, a0
        i(0x6b8, A0, 5, 5, 0x13),     // rev8 t0, a0
        i(0x604, A0, 1, 6, 0x13),     // sext.b t1, a0
        r(0x30, A1, A0, 5, 7, 0x33),  // ror t2, a0, a1
        i(0x287, A0, 5, 28, 0x13),    // orc.b t3, a0
        ECALL,
    ];
    let a0 = 0xffff_ffff_0000_0180u64;
    let (cpu, e) = run_words(&m, &words, &[(A0 as usize, a0), (A1 as usize, 4)]);
    assert_eq!(e, Exit::Syscall);
    let x = &cpu.state().x;
    assert_eq!(x[14], (a0 << 1).wrapping_add(4));
    assert_eq!(x[15], 0x184);
    assert_eq!(x[16], 0);
    assert_eq!(x[17], 34);
    assert_eq!(x[5], a0.swap_bytes());
    assert_eq!(x[6], 0xffff_ffff_ffff_ff80);
    assert_eq!(x[7], a0.rotate_right(4));
    assert_eq!(x[28], 0xffff_ffff_0000_ffff);
}

/// A pc of 1 (say, from a signal handler's edited ucontext) is a misaligned fetch, not the
/// block cache's empty-slot marker.
#[test]
fn pc_one_is_a_misaligned_fetch() {
    let m = setup();
    let mut cpu = RiscvCpu::new(1);
    let exit = cpu.run(&m);
    assert!(matches!(exit, Exit::BusError { addr: 1 } | Exit::Fault { addr: 1, .. }), "{exit:?}");
}
