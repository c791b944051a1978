//! Bad input gets one clear line on stderr and a non-zero exit, never a panic or a hang.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn hello() -> PathBuf {
    root().join("roms/riscv64/hello")
}

/// A scratch file in the target directory, removed on drop.
struct Scratch(PathBuf);
impl Scratch {
    fn new(name: &str, bytes: &[u8]) -> Scratch {
        let dir = std::env::temp_dir().join(format!("remu-bad-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        Scratch(p)
    }
    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}
impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs remu and checks: non-zero exit, exactly one line on stderr containing `needle`.
fn expect_error(args: &[&str], needle: &str) {
    let out = remu(args, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(status(&out), 0, "remu {args:?} succeeded; stderr: {err}");
    assert!(!err.contains("panicked"), "remu {args:?} panicked: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "remu {args:?} printed more than one line: {err}");
    assert!(err.contains(needle), "remu {args:?}: stderr {err:?} does not mention {needle:?}");
}

fn patched(name: &str, src: &Path, patch: impl FnOnce(&mut Vec<u8>)) -> Scratch {
    let mut b = std::fs::read(src).unwrap();
    patch(&mut b);
    Scratch::new(name, &b)
}

#[test]
fn missing_file() {
    expect_error(&["/nonexistent/prog"], "No such file");
}

#[test]
fn directory() {
    expect_error(&["--arch", "riscv64", "/tmp"], "is a directory");
    expect_error(&["/tmp"], "is a directory");
}

#[test]
fn not_elf() {
    let f = Scratch::new("script.txt", b"#!/bin/sh\necho hi\n");
    expect_error(&[f.path()], "not an ELF file");
    expect_error(&["--arch", "riscv64", f.path()], "not an ELF file");
    let empty = Scratch::new("empty", b"");
    expect_error(&[empty.path()], "not an ELF file");
}

#[test]
fn truncated_elf() {
    let b = std::fs::read(hello()).unwrap();
    let f = Scratch::new("truncated", &b[..40]);
    expect_error(&[f.path()], "truncated or corrupt");
    let f = Scratch::new("truncated2", &b[..b.len() / 2]);
    expect_error(&[f.path()], "truncated or corrupt");
}

#[test]
fn corrupt_program_headers() {
    // e_phoff (offset 32) pointing far past the end of the file.
    let f = patched("badphoff", &hello(), |b| b[32..40].copy_from_slice(&0x7fff_ffffu64.to_le_bytes()));
    expect_error(&[f.path()], "truncated or corrupt");
}

#[test]
fn elf32() {
    let f = patched("elf32", &hello(), |b| b[4] = 1);
    expect_error(&[f.path()], "32-bit ELF");
}

#[test]
fn other_machine() {
    // The test binary itself is an x86-64 ELF.
    let me = std::env::current_exe().unwrap();
    expect_error(&[me.to_str().unwrap()], "x86-64");
    expect_error(&["--arch", "riscv64", me.to_str().unwrap()], "expected riscv64");
    let f = patched("aarch64", &hello(), |b| b[18..20].copy_from_slice(&183u16.to_le_bytes()));
    expect_error(&["--arch", "riscv64", f.path()], "AArch64");
}

#[test]
fn dynamically_linked_with_a_missing_interpreter() {
    // A dynamically linked program (the x86-64 test binary relabelled as RISC-V) whose
    // interpreter exists nowhere: one line naming the interpreter and the -L flag.
    let me = std::env::current_exe().unwrap();
    let f = patched("dynamic", &me, |b| {
        b[18..20].copy_from_slice(&243u16.to_le_bytes());
        let old = b"/lib64/ld-linux-x86-64.so.2";
        let new = b"/lib64/ld-remu-missing-0.so";
        assert_eq!(old.len(), new.len());
        let at = b.windows(old.len()).position(|w| w == old).expect("the test binary has a PT_INTERP");
        b[at..at + old.len()].copy_from_slice(new);
    });
    expect_error(&[f.path()], "/lib64/ld-remu-missing-0.so");
    expect_error(&[f.path()], "-L SYSROOT");
    let empty = std::env::temp_dir().join(format!("remu-empty-sysroot-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    expect_error(&["-L", empty.to_str().unwrap(), f.path()], "not in the sysroot");
    let _ = std::fs::remove_dir(&empty);
}

#[test]
fn interpreter_for_another_architecture() {
    // The relabelled binary asks for the host's own dynamic linker: an x86-64 ELF.
    let me = std::env::current_exe().unwrap();
    let f = patched("dynamic-x86-interp", &me, |b| b[18..20].copy_from_slice(&243u16.to_le_bytes()));
    expect_error(&[f.path()], "x86-64");
}

#[test]
fn sysroot_that_does_not_exist() {
    expect_error(&["-L", "/nonexistent/remu-sysroot", hello().to_str().unwrap()], "does not exist");
    expect_error(&["-L", hello().to_str().unwrap(), hello().to_str().unwrap()], "not a directory");
}

#[test]
fn relocatable_object() {
    let f = patched("object", &hello(), |b| b[16..18].copy_from_slice(&1u16.to_le_bytes()));
    expect_error(&[f.path()], "not an executable");
}

#[test]
fn unknown_arch_and_flags() {
    expect_error(&["--arch", "sparc", hello().to_str().unwrap()], "unknown architecture");
    let out = remu(&["--no-such-flag", hello().to_str().unwrap()], &[]);
    assert_ne!(status(&out), 0);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    expect_error(&["-E", "NOEQUALS", hello().to_str().unwrap()], "VAR=VALUE");
}

/// Options end at PROGRAM, as for qemu-user: the guest's own `-E`, `-L` or `--strace` reach
/// it unchanged; an unknown option before PROGRAM is a usage error.
#[test]
fn options_end_at_the_program() {
    let args = root().join("roms/riscv64/args");
    let out = remu(&[args.to_str().unwrap(), "-E", "x", "-L", "--strace", "--", "-U"], &[]);
    assert_eq!(status(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for (i, a) in ["-E", "x", "-L", "--strace", "--", "-U"].iter().enumerate() {
        assert!(text.contains(&format!("argv[{}]=[{a}]\n", i + 1)), "{text}");
    }
    assert!(out.stderr.is_empty(), "no strace output: {}", String::from_utf8_lossy(&out.stderr));
    let out = remu(&["--no-such-flag", args.to_str().unwrap()], &[]);
    assert_eq!(status(&out), 2);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "remu: unknown option '--no-such-flag' for remu run (options go before PROGRAM; see remu run --help)\n"
    );
}
