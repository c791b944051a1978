//! Test support shared by remu's crates (a dev-dependency only).
//!
//! - [`Rng`]: the seeded generator every randomised test uses, so a failing seed
//!   reproduces;
//! - [`qemu_path`] and [`run_harness`]: the qemu-user side of the random differential tests
//!   (`isa-*/tests/random_diff.rs`), which feed records to a harness rom under qemu and read
//!   back one state area per record.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// xorshift64*: small, fast and plenty random for generating test cases.
pub struct Rng(pub u64);

impl Rng {
    // A generator, not an iterator: it never ends, so `next` returns the value itself.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform enough in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// `name` (e.g. `qemu-riscv64`) found on PATH.
pub fn qemu_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
}

/// Runs `harness` under `qemu` with `records` on its stdin: what it wrote (one state area
/// per record it finished, in order; fewer than the records if it died) and its exit
/// status.
pub fn run_harness(qemu: &Path, harness: &Path, records: &[u8]) -> (Vec<u8>, Option<i32>) {
    let mut child = Command::new(qemu)
        .arg(harness)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {}: {e}", qemu.display()));
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = records.to_vec();
    // Written from another thread: the harness answers while it reads, and both pipes
    // would fill otherwise.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("qemu output");
    let _ = writer.join();
    (out.stdout, out.status.code())
}
