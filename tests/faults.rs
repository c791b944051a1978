//! A guest killed by a synchronous signal: remu exits 128+N and says, in one line, which
//! signal, at which pc, and the instruction there.

mod common;

use common::*;

fn run_fault(name: &str) -> (i32, String) {
    run_fault_in("riscv64", name)
}

fn run_fault_in(arch: &str, name: &str) -> (i32, String) {
    let path = root().join("roms").join(arch).join("faults").join(name);
    let out = remu(&[path.to_str().unwrap()], &[]);
    assert_eq!(out.stdout, b"before\n", "{name}: the guest ran until the fault");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.trim_end().lines().count(), 1, "{name}: one line on stderr, got {err:?}");
    (status(&out), err)
}

#[test]
fn illegal_instruction_names_pc_bytes_and_disassembly() {
    let (code, err) = run_fault("sigill");
    assert_eq!(code, 132);
    assert!(err.contains("SIGILL"), "{err}");
    assert!(err.contains("c0001073"), "raw bytes missing: {err}");
    assert!(err.contains("pc 0x100c4"), "pc missing: {err}");
    assert!(err.contains("cycle"), "disassembly missing: {err}");
}

#[test]
fn unmapped_write_is_sigsegv() {
    let (code, err) = run_fault("sigsegv");
    assert_eq!(code, 139);
    assert!(err.contains("SIGSEGV") && err.contains("write to 0x10 ") && err.contains("unmapped"), "{err}");
    assert!(err.contains("sd zero, 0(t0)"), "{err}");
}

#[test]
fn write_to_read_only_data_is_sigsegv() {
    let (code, err) = run_fault("sigsegv_rodata");
    assert_eq!(code, 139);
    assert!(err.contains("not permitted") && err.contains("sb zero, 0(t0)"), "{err}");
}

#[test]
fn ebreak_is_sigtrap() {
    let (code, err) = run_fault("sigtrap");
    assert_eq!(code, 133);
    assert!(err.contains("SIGTRAP") && err.contains("pc 0x100c4"), "{err}");
}

#[test]
fn aarch64_illegal_instruction_names_pc_word_and_disassembly() {
    let (code, err) = run_fault_in("aarch64", "sigill");
    assert_eq!(code, 132);
    assert!(err.contains("SIGILL"), "{err}");
    assert!(err.contains("d5381000"), "raw word missing: {err}");
    assert!(err.contains("pc 0x40008c"), "pc missing: {err}");
    assert!(err.contains("mrs x0, s3_0_c1_c0_0"), "disassembly missing: {err}");
}

#[test]
fn aarch64_unmapped_write_is_sigsegv() {
    let (code, err) = run_fault_in("aarch64", "sigsegv");
    assert_eq!(code, 139);
    assert!(err.contains("SIGSEGV") && err.contains("write to 0x10 ") && err.contains("unmapped"), "{err}");
    assert!(err.contains("str xzr, [x0]"), "{err}");
}

#[test]
fn aarch64_write_to_read_only_data_is_sigsegv() {
    let (code, err) = run_fault_in("aarch64", "sigsegv_rodata");
    assert_eq!(code, 139);
    assert!(err.contains("not permitted") && err.contains("strb wzr, [x1]"), "{err}");
}

#[test]
fn aarch64_brk_is_sigtrap() {
    let (code, err) = run_fault_in("aarch64", "sigtrap");
    assert_eq!(code, 133);
    assert!(err.contains("SIGTRAP") && err.contains("pc 0x40008c"), "{err}");
}
