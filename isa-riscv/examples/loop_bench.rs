use remu_core::mem::{GuestMemory, Placement, Prot};
use remu_core::{Cpu, Exit};
use remu_isa_riscv::RiscvCpu;
fn main() {
    let m = GuestMemory::new(32).unwrap();
    m.map(Placement::Fixed(0x10000), 0x1000, Prot::RW | Prot::EXEC, false, None).unwrap();
    m.map(Placement::Fixed(0x20000), 0x1000, Prot::RW, false, None).unwrap();
    // a0 = 0; a1 = N; loop: ld t0,0(a2); add a0,a0,t0; xor a0,a0,a1; sd a0,8(a2); addi a1,a1,-1; bnez a1, loop; ecall
    let words: [u32; 8] = [0x00000513, 0x05f5e5b7 /*lui a1, 0x5f5e*/, 0x00063283, 0x00550533, 0x00b54533, 0x00a63423, 0xfff58593, 0xfe0598e3];
    let mut bytes = Vec::new();
    for w in words { bytes.extend_from_slice(&w.to_le_bytes()); }
    bytes.extend_from_slice(&0x73u32.to_le_bytes());
    m.write(0x10000, &bytes).unwrap();
    let mut cpu = RiscvCpu::new(0x10000);
    cpu.state_mut().x[12] = 0x20000;
    let t = std::time::Instant::now();
    let e = cpu.run(&m);
    let dt = t.elapsed();
    let n = cpu.state().instret;
    assert_eq!(e, Exit::Syscall);
    println!("{n} insns in {dt:?}: {:.2} ns/insn, {:.0} MIPS", dt.as_nanos() as f64 / n as f64, n as f64 / dt.as_secs_f64() / 1e6);
}
