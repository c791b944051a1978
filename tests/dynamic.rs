//! Dynamically linked guests: the interpreter (PT_INTERP) loaded from the sysroot, the
//! sysroot chosen by -L, REMU_LD_PREFIX or the Debian default, and the guest's view of
//! paths. The roms themselves (roms/riscv64/dynamic) run in roms.rs and differential.rs;
//! these tests check what those cannot see. Without the cross sysroot installed they print
//! SKIPPED and pass.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::*;

const SYSROOT: &str = "/usr/riscv64-linux-gnu";

fn dyn_rom(name: &str) -> PathBuf {
    root().join("roms/riscv64/dynamic").join(name)
}

/// `None` (after printing why) when the riscv64 sysroot is not installed.
fn sysroot() -> Option<PathBuf> {
    let missing = missing_sysroot_files(&root().join("roms/riscv64/dynamic")).unwrap_or_default();
    if !missing.is_empty() {
        println!("SKIPPED: the riscv64 sysroot is not installed ({} missing; see .ci/run)", missing.join(", "));
        return None;
    }
    Some(PathBuf::from(SYSROOT))
}

/// remu with a controlled host environment (REMU_LD_PREFIX set or removed).
fn remu_env(args: &[&str], ld_prefix: Option<&str>) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_remu"));
    c.arg("run").args(args);
    match ld_prefix {
        Some(p) => c.env("REMU_LD_PREFIX", p),
        None => c.env_remove("REMU_LD_PREFIX"),
    };
    run_with_timeout(&mut c, Duration::from_secs(60))
}

fn expect_hello(out: &std::process::Output, how: &str) {
    let want = std::fs::read(dyn_rom("hello.stdout")).unwrap();
    assert_eq!(status(out), 0, "{how}: stderr {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, want, "{how}");
}

#[test]
fn sysroot_from_flag_env_and_default() {
    let Some(root) = sysroot() else { return };
    let hello = dyn_rom("hello");
    let hello = hello.to_str().unwrap();
    expect_hello(&remu_env(&["-L", root.to_str().unwrap(), hello], None), "-L");
    expect_hello(&remu_env(&[hello], Some(root.to_str().unwrap())), "REMU_LD_PREFIX");
    expect_hello(&remu_env(&[hello], None), "the default /usr/riscv64-linux-gnu");
    // -L wins over the environment.
    expect_hello(&remu_env(&["-L", root.to_str().unwrap(), hello], Some("/nonexistent")), "-L over REMU_LD_PREFIX");
    // A REMU_LD_PREFIX that does not exist is an error naming it.
    let out = remu_env(&[hello], Some("/nonexistent/sysroot"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(status(&out), 0);
    assert!(err.contains("/nonexistent/sysroot") && err.contains("REMU_LD_PREFIX"), "{err}");
}

#[test]
fn a_sysroot_elsewhere_with_absolute_symlinks() {
    // A sysroot that is a tree of its own, whose dynamic linker is an absolute symbolic link
    // (/lib/ld-linux... -> /opt/ld-linux...) meaning the sysroot's own /opt, not the host's.
    let Some(real) = sysroot() else { return };
    let dir = std::env::temp_dir().join(format!("remu-sysroot-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::create_dir_all(dir.join("opt")).unwrap();
    std::fs::copy(real.join("lib/ld-linux-riscv64-lp64d.so.1"), dir.join("opt/ld-linux-riscv64-lp64d.so.1")).unwrap();
    std::os::unix::fs::symlink("/opt/ld-linux-riscv64-lp64d.so.1", dir.join("lib/ld-linux-riscv64-lp64d.so.1")).unwrap();
    std::os::unix::fs::symlink(real.join("lib/libc.so.6"), dir.join("lib/libc.so.6")).unwrap();
    let out = remu_env(&["-L", dir.to_str().unwrap(), dyn_rom("hello").to_str().unwrap()], None);
    let _ = std::fs::remove_dir_all(&dir);
    expect_hello(&out, "sysroot with an absolute symlink to the interpreter");
}

#[test]
fn interpreter_placement_and_auxv() {
    let Some(root) = sysroot() else { return };
    use remu_core::{Access, GuestMemory};
    let arch = &remu_isa_riscv::RISCV64;
    let mem = GuestMemory::new(arch.address_bits).unwrap();
    let argv = vec![b"hello".to_vec()];
    let image = remu_loader::load_with(&mem, arch, &dyn_rom("hello"), &argv, &[], Some(&root)).unwrap();
    let aux = |k: u64| image.auxv.iter().find(|(key, _)| *key == k).map(|(_, v)| *v).unwrap();
    let base = image.interp_base.expect("an interpreter was loaded");
    assert_eq!(aux(7), base, "AT_BASE is the interpreter's load address");
    assert_eq!(image.interp_path.as_deref(), Some(Path::new("/usr/riscv64-linux-gnu/lib/ld-linux-riscv64-lp64d.so.1")));
    // The program is a PIE at ELF_ET_DYN_BASE; AT_ENTRY and AT_PHDR are the program's.
    let file = std::fs::read(dyn_rom("hello")).unwrap();
    let e_entry = u64::from_le_bytes(file[24..32].try_into().unwrap());
    assert_eq!(aux(9), e_entry + image.bias, "AT_ENTRY is the program's entry");
    assert_eq!(mem.read_vec(aux(3), 4).unwrap(), file[64..68], "AT_PHDR points at the program's headers");
    // Execution starts in the interpreter, which sits high, above the program and below
    // the stack, and is an ELF image itself (its header is mapped at AT_BASE).
    assert!(image.entry > base && image.entry < base + (1 << 20), "entry {:#x} in the interpreter at {base:#x}", image.entry);
    assert!(base > image.bias && base < image.sp, "interpreter at {base:#x}");
    assert_eq!(mem.read_vec(base, 4).unwrap(), b"\x7fELF");
    assert!(mem.check(image.entry, 4, Access::Execute).is_ok());
}

#[test]
fn path_view_prefers_the_sysroot() {
    use remu_core::linux::sysroot_path;
    let Some(root) = sysroot() else { return };
    // In the sysroot: its copy.
    assert_eq!(sysroot_path(&root, b"/lib/libc.so.6"), Some(root.join("lib/libc.so.6")));
    assert_eq!(sysroot_path(&root, b"//lib//libc.so.6").map(|p| p.exists()), Some(true));
    // Not there: the host's (no translation).
    assert_eq!(sysroot_path(&root, b"/etc/passwd"), None);
    // Relative paths, / itself and the kernel's file systems are never translated.
    assert_eq!(sysroot_path(&root, b"lib/libc.so.6"), None);
    assert_eq!(sysroot_path(&root, b"/"), None);
    assert_eq!(sysroot_path(Path::new("/"), b"/proc/self/maps"), None);
    assert_eq!(sysroot_path(Path::new("/"), b"/dev/null"), None);
}

#[test]
fn exec_passes_strace_and_sysroot_to_the_child() {
    let Some(root) = sysroot() else { return };
    let args: Vec<String> = std::fs::read_to_string(dyn_rom("forkexec.args")).unwrap().lines().map(String::from).collect();
    let mut all = vec!["-L", root.to_str().unwrap(), "--strace", "roms/riscv64/dynamic/forkexec"];
    all.extend(args.iter().map(String::as_str));
    let out = remu_env(&all, None);
    assert_eq!(status(&out), 0);
    assert_eq!(out.stdout, std::fs::read(dyn_rom("forkexec.stdout")).unwrap());
    let err = String::from_utf8_lossy(&out.stderr);
    // The parent's exec of the static rom, then the child remu's own trace of it.
    assert!(err.contains("execve(\"roms/riscv64/exitcode\""), "{err}");
    assert!(err.contains("exit_group(7)"), "the exec'd guest is traced too: {err}");
    assert!(err.contains("exit_group(3)"), "{err}");
}

#[test]
fn proc_cpuinfo_describes_the_guest() {
    use std::sync::Arc;
    let arch = &remu_isa_riscv::RISCV64;
    let mem = Arc::new(remu_core::GuestMemory::new(arch.address_bits).unwrap());
    let p = remu_core::linux::Process::new(arch, mem, PathBuf::from("/guest"));
    let text = remu_core::linux::proc_cpuinfo(&p).expect("riscv64 has a guest /proc/cpuinfo");
    assert!(text.starts_with("processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc_"), "{text}");
    assert!(text.contains("_zba_zbb_zbs\n"), "{text}");
    assert!(!text.contains("x86") && !text.contains("GenuineIntel") && !text.contains("AuthenticAMD"));
}

#[test]
fn proc_cpuinfo_describes_an_aarch64_guest() {
    use std::sync::Arc;
    let arch = &remu_isa_arm::AARCH64;
    let mem = Arc::new(remu_core::GuestMemory::new(arch.address_bits).unwrap());
    let p = remu_core::linux::Process::new(arch, mem, PathBuf::from("/guest"));
    let text = remu_core::linux::proc_cpuinfo(&p).expect("aarch64 has a guest /proc/cpuinfo");
    assert!(text.starts_with("processor\t: 0\nFeatures\t: fp asimd"), "{text}");
    assert!(text.contains("CPU architecture: 8\n"), "{text}");
    assert!(!text.contains("AuthenticAMD") && !text.contains("GenuineIntel"));
}
