//! Fused ops: results, instret, and exact fault reporting in the fused memory ops.

use remu_core::mem::{GuestMemory, Placement, Prot};
use remu_core::{Access, Cpu, Exit};

use super::RiscvCpu;

const CODE: u64 = 0x10000;
const DATA: u64 = 0x20000;
const RO: u64 = 0x30000;
const ECALL: u32 = 0x73;

fn i(imm: i32, rs1: u32, f3: u32, rd: u32, op: u32) -> u32 {
    ((imm as u32) << 20) | rs1 << 15 | f3 << 12 | rd << 7 | op
}
fn r(f7: u32, rs2: u32, rs1: u32, f3: u32, rd: u32, op: u32) -> u32 {
    f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op
}
fn s(imm: i32, rs2: u32, rs1: u32, f3: u32) -> u32 {
    let imm = imm as u32;
    (imm >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 31) << 7 | 0x23
}
fn b(imm: i32, rs2: u32, rs1: u32, f3: u32) -> u32 {
    let m = imm as u32;
    (m >> 12 & 1) << 31 | (m >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (m >> 1 & 0xf) << 8 | (m >> 11 & 1) << 7 | 0x63
}
fn addi(rd: u32, rs1: u32, imm: i32) -> u32 {
    i(imm, rs1, 0, rd, 0x13)
}
fn lw(rd: u32, rs1: u32, imm: i32) -> u32 {
    i(imm, rs1, 2, rd, 0x03)
}
fn slt(rd: u32, rs1: u32, rs2: u32) -> u32 {
    r(0, rs2, rs1, 2, rd, 0x33)
}

fn run(words: &[u32], init: &[(usize, u64)]) -> (RiscvCpu, Exit) {
    let m = GuestMemory::new(32).unwrap();
    m.map(Placement::Fixed(CODE), 0x1000, Prot::RW | Prot::EXEC, false, None).unwrap();
    m.map(Placement::Fixed(DATA), 0x1000, Prot::RW, false, None).unwrap();
    m.map(Placement::Fixed(RO), 0x1000, Prot::READ, false, None).unwrap();
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    m.write(CODE, &bytes).unwrap();
    m.write_u32(DATA + 4, 7).unwrap();
    let mut cpu = RiscvCpu::new(CODE);
    for &(reg, v) in init {
        cpu.state_mut().x[reg] = v;
    }
    let e = cpu.run(&m);
    (cpu, e)
}

#[test]
fn alu_then_load_fault_counts_the_alu_op() {
    // addi a1, a1, 8; lw a2, 0(a1): a1 + 8 is unmapped.
    let (cpu, e) = run(&[addi(11, 11, 8), lw(12, 11, 0), ECALL], &[(11, 0x50000)]);
    assert_eq!(e, Exit::Fault { addr: 0x50008, access: Access::Read });
    assert_eq!(cpu.pc(), CODE + 4);
    assert_eq!(cpu.instructions_retired(), 1);
    assert_eq!(cpu.state().x[11], 0x50008);
}

#[test]
fn alu_then_store_host_fault_is_exact() {
    // slt a3, a0, a0; addi a1, a1, 4; sw a2, 0(a1): RO is mapped read-only.
    let (cpu, e) = run(&[slt(13, 10, 10), addi(11, 11, 4), s(0, 12, 11, 2), ECALL], &[(11, RO)]);
    assert_eq!(e, Exit::Fault { addr: RO + 4, access: Access::Write });
    assert_eq!(cpu.pc(), CODE + 8);
    assert_eq!(cpu.instructions_retired(), 2);
}

#[test]
fn load_then_branch() {
    // slt a3, a0, a0; lw a2, 4(a1); bne a2, zero, +8; addi a4, zero, 1; ecall
    let code = [slt(13, 10, 10), lw(12, 11, 4), b(8, 0, 12, 1), addi(14, 0, 1), ECALL];
    // Taken: skips the addi.
    let (cpu, e) = run(&code, &[(11, DATA)]);
    assert_eq!(e, Exit::Syscall);
    assert_eq!(cpu.state().x[12], 7);
    assert_eq!(cpu.state().x[14], 0);
    assert_eq!(cpu.pc(), CODE + 20);
    assert_eq!(cpu.instructions_retired(), 4);
    // Not taken (the word at DATA + 12 is 0): falls through to the addi.
    let (cpu, e) = run(&code, &[(11, DATA + 8)]);
    assert_eq!(e, Exit::Syscall);
    assert_eq!(cpu.state().x[14], 1);
    assert_eq!(cpu.instructions_retired(), 5);
    // A fault in the load reports the load and counts only the slt.
    let (cpu, e) = run(&code, &[(11, 0x50000)]);
    assert_eq!(e, Exit::Fault { addr: 0x50004, access: Access::Read });
    assert_eq!(cpu.pc(), CODE + 4);
    assert_eq!(cpu.instructions_retired(), 1);
}

#[test]
fn alu_triples() {
    // srliw a2, a0, 3; slliw a3, a0, 29; or a4, a2, a3 (rotr 3); xor a5, a4, a0;
    // addw a6, a5, a1; addi a7, a6, -5; ecall
    let srliw = |rd, rs1, sh| i(sh, rs1, 5, rd, 0x1b);
    let slliw = |rd, rs1, sh| i(sh, rs1, 1, rd, 0x1b);
    let code = [
        srliw(12, 10, 3),
        slliw(13, 10, 29),
        r(0, 13, 12, 6, 14, 0x33),
        r(0, 10, 14, 4, 15, 0x33),
        r(0, 11, 15, 0, 16, 0x3b),
        addi(17, 16, -5),
        ECALL,
    ];
    let a: u32 = 0x8765_4321;
    let (cpu, e) = run(&code, &[(10, a as i32 as i64 as u64), (11, 0x1234)]);
    assert_eq!(e, Exit::Syscall);
    let rot = a.rotate_right(3);
    let x = &cpu.state().x;
    assert_eq!(x[14], rot as i32 as i64 as u64);
    let v = ((rot ^ a).wrapping_add(0x1234)) as i32 as i64;
    assert_eq!(x[16], v as u64);
    assert_eq!(x[17], (v - 5) as u64);
    assert_eq!(cpu.instructions_retired(), 7);
}
