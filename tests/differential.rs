//! Every rom runs under remu and under qemu-user with identical stdout and exit status.

mod common;

use common::*;

fn compare_all(dir: &str, arch: &str) {
    let Some(qemu) = qemu(arch) else {
        println!("SKIPPED: qemu-{arch} is not installed (Debian package qemu-user); differential tests did not run");
        return;
    };
    let roms = roms(dir);
    assert!(!roms.is_empty());
    let mut failures = Vec::new();
    let mut xfail = 0;
    for rom in &roms {
        // A rom that qemu-user itself gets wrong says so (and why) in NAME.qemu-xfail; for
        // it, remu must match the expectation (checked in roms.rs) and qemu must still fail,
        // so the note goes when qemu is fixed.
        // Some of those bugs are hangs: a short limit is enough to see qemu fail.
        if rom.path.with_extension("qemu-xfail").exists() {
            let theirs = qemu_rom_within(&qemu, rom, std::time::Duration::from_secs(20));
            assert!(
                theirs.stdout != rom.stdout || status(&theirs) != rom.status,
                "{}: qemu now passes; remove its .qemu-xfail",
                rom.name
            );
            xfail += 1;
            continue;
        }
        let ours = remu_rom(rom);
        let theirs = qemu_rom(&qemu, rom);
        if ours.stdout != theirs.stdout || status(&ours) != status(&theirs) {
            failures.push(format!(
                "{}: remu status {} vs qemu {}; stdout {}\n--- remu stdout ---\n{}\n--- qemu stdout ---\n{}\n--- remu stderr ---\n{}",
                rom.name,
                status(&ours),
                status(&theirs),
                if ours.stdout == theirs.stdout { "same" } else { "differs" },
                String::from_utf8_lossy(&ours.stdout),
                String::from_utf8_lossy(&theirs.stdout),
                String::from_utf8_lossy(&ours.stderr),
            ));
        }
    }
    println!(
        "{} roms compared against qemu-{arch}, {} differ, {xfail} known qemu bugs skipped",
        roms.len() - xfail,
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn riscv64_matches_qemu() {
    compare_all("riscv64", "riscv64");
}

#[test]
fn aarch64_matches_qemu() {
    compare_all("aarch64", "aarch64");
}
