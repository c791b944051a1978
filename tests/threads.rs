//! Guest threads: atomics stay atomic across host threads, every run, on both arches.

mod common;

use common::*;

/// 8 threads × 10^6 increments with an AMO and an LR/SC loop (riscv64), or with LSE LDADD,
/// an LDXR/STXR loop and a CASAL loop (aarch64): the totals are exact on each of five runs
/// in a row.
#[test]
fn atomic_counters_are_exact_every_run() {
    for (arch, want) in [
        ("riscv64", "amoadd: 8000000\nlr/sc:  8000000\n"),
        ("aarch64", "amoadd: 8000000\nlr/sc:  8000000\ncas:    8000000\n"),
    ] {
        let rom = root().join(format!("roms/{arch}/threads/counter"));
        let expected = std::fs::read(rom.with_extension("stdout")).unwrap();
        assert_eq!(String::from_utf8_lossy(&expected), want, "{arch} expectation");
        for run in 1..=5 {
            let out = remu(&[rom.to_str().unwrap()], &[]);
            assert_eq!(
                (status(&out), String::from_utf8_lossy(&out.stdout).into_owned()),
                (0, want.to_string()),
                "{arch} run {run}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// The pthread and futex roms' results do not depend on scheduling: run each a few times.
#[test]
fn pthread_roms_are_deterministic() {
    for arch in ["riscv64", "aarch64"] {
        for name in ["pthreads", "robust", "kill_sibling", "futex"] {
            let rom = root().join(format!("roms/{arch}/threads")).join(name);
            let want = std::fs::read(rom.with_extension("stdout")).unwrap();
            let want_status: i32 = std::fs::read_to_string(rom.with_extension("status")).unwrap().trim().parse().unwrap();
            for run in 1..=3 {
                let out = remu(&[rom.to_str().unwrap()], &[]);
                assert_eq!(status(&out), want_status, "{arch} {name} run {run}: {}", String::from_utf8_lossy(&out.stderr));
                assert_eq!(String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&want), "{arch} {name} run {run}");
            }
        }
    }
}
