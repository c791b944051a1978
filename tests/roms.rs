//! Every rom runs end to end under remu with the expected stdout and exit status.

mod common;

use common::*;

fn check_all(dir: &str) {
    let roms = roms(dir);
    assert!(!roms.is_empty(), "no roms with expectations under roms/{dir}");
    let mut failures = Vec::new();
    for rom in &roms {
        let out = remu_rom(rom);
        let got = status(&out);
        if out.stdout != rom.stdout || got != rom.status {
            failures.push(format!(
                "{}: status {got} (want {}), stdout {} expectation\n--- stdout ---\n{}\n--- stderr ---\n{}",
                rom.name,
                rom.status,
                if out.stdout == rom.stdout { "matches" } else { "differs from" },
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
            ));
        }
    }
    println!("{} roms under roms/{dir}, {} failed", roms.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn riscv64_roms() {
    check_all("riscv64");
}

#[test]
fn aarch64_roms() {
    check_all("aarch64");
}
