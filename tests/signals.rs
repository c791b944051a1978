//! Signals end to end: the signal roms' results do not depend on timing (run each a few
//! times), and Ctrl-C (SIGINT) ends remu promptly whatever the guest is doing.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const ARCHES: [&str; 2] = ["riscv64", "aarch64"];

#[test]
fn signal_roms_are_stable() {
    for arch in ARCHES {
        for rom in roms(&format!("{arch}/signals")) {
            for run in 1..=3 {
                let out = remu_rom(&rom);
                assert_eq!(
                    (status(&out), String::from_utf8_lossy(&out.stdout).into_owned()),
                    (rom.status, String::from_utf8_lossy(&rom.stdout).into_owned()),
                    "{arch}/{} run {run}; stderr: {}",
                    rom.name,
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }
}

/// Starts `remu run hang MODE`, waits for it to say "ready", sends SIGINT and expects it
/// to die of SIGINT within a second.
fn interrupt(arch: &str, mode: &str) {
    let rom = root().join("roms").join(arch).join("signals/hang");
    let mut child = Command::new(env!("CARGO_BIN_EXE_remu"))
        .args(["run", rom.to_str().unwrap(), mode])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line, "ready\n");
    // Give the guest time to reach its loop or its deadlock.
    std::thread::sleep(Duration::from_millis(200));
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let start = Instant::now();
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(st.signal(), Some(libc::SIGINT), "{arch} {mode}: {st:?}");
            return;
        }
        if start.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            panic!("{arch} {mode}: remu still running 5 s after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn ctrl_c_ends_a_spinning_guest() {
    for arch in ARCHES {
        interrupt(arch, "spin");
    }
}

#[test]
fn ctrl_c_ends_a_deadlocked_guest() {
    for arch in ARCHES {
        interrupt(arch, "deadlock");
    }
}
