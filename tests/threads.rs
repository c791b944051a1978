//! Guest threads: atomics stay atomic across host threads, every run.

mod common;

use common::*;

/// 8 threads × 10^6 increments with amoadd and with an LR/SC loop: the totals are exact on
/// each of five runs in a row.
#[test]
fn atomic_counters_are_exact_every_run() {
    let rom = root().join("roms/riscv64/threads/counter");
    let want = std::fs::read(rom.with_extension("stdout")).unwrap();
    assert_eq!(String::from_utf8_lossy(&want), "amoadd: 8000000\nlr/sc:  8000000\n");
    for run in 1..=5 {
        let out = remu(&[rom.to_str().unwrap()], &[]);
        assert_eq!(
            (status(&out), String::from_utf8_lossy(&out.stdout).into_owned()),
            (0, String::from_utf8_lossy(&want).into_owned()),
            "run {run}; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The pthread roms' results do not depend on scheduling: run each a few times.
#[test]
fn pthread_roms_are_deterministic() {
    for name in ["pthreads", "robust", "kill_sibling"] {
        let rom = root().join("roms/riscv64/threads").join(name);
        let want = std::fs::read(rom.with_extension("stdout")).unwrap();
        let want_status: i32 = std::fs::read_to_string(rom.with_extension("status")).unwrap().trim().parse().unwrap();
        for run in 1..=3 {
            let out = remu(&[rom.to_str().unwrap()], &[]);
            assert_eq!(status(&out), want_status, "{name} run {run}: {}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(out.stdout, want, "{name} run {run}");
        }
    }
}
