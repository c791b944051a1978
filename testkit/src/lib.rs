//! Test support shared by remu's crates (a dev-dependency only).
//!
//! - [`Rng`]: the seeded generator every randomised test uses, so a failing seed
//!   reproduces;
//! - [`qemu_path`], [`run_harness`] and [`differential`]: the random differential tests
//!   (`isa-*/tests/random_diff.rs`) feed records to a harness rom under qemu, read back one
//!   state area per record, and compare each with remu's run of the same record; each ISA
//!   supplies its cases ([`DiffCase`]) and its in-process run.

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

/// One generated case of a random differential test: the record the harness runs (a state
/// area and code) and how a failure shows it.
pub trait DiffCase {
    fn record(&self) -> &[u8];
    /// The block under test, an instruction a line.
    fn listing(&self) -> String;
    /// What differs between remu's final state area and qemu's.
    fn describe(&self, ours: &[u8], theirs: &[u8]) -> String;
}

/// The loop both ISAs' random differential tests share: for each generator state in
/// `seeds`, makes `per_seed` cases, runs them all under qemu's `harness` and each through
/// `remu`, and compares the first `compared` bytes of the `state`-byte state areas. Returns
/// how many cases were compared and a report for each that failed.
#[allow(clippy::too_many_arguments)]
pub fn differential<C: DiffCase>(
    qemu: &Path,
    harness: &Path,
    seeds: impl IntoIterator<Item = u64>,
    per_seed: usize,
    state: usize,
    compared: usize,
    mut make: impl FnMut(&mut Rng) -> C,
    mut remu: impl FnMut(&[u8]) -> Result<Vec<u8>, String>,
) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut total = 0;
    for seed in seeds {
        let mut rng = Rng(seed);
        let cases: Vec<C> = (0..per_seed).map(|_| make(&mut rng)).collect();
        let input: Vec<u8> = cases.iter().flat_map(|c| c.record().iter().copied()).collect();
        let (out, status) = run_harness(qemu, harness, &input);
        let done = out.len() / state;
        if done < cases.len() {
            failures.push(format!("seed {seed:#x} case {done}: qemu's harness died (status {status:?}) running:\n{}", cases[done].listing()));
        }
        for (k, c) in cases.iter().enumerate().take(done) {
            total += 1;
            let theirs = &out[k * state..(k + 1) * state];
            match remu(c.record()) {
                Ok(ours) if ours[..compared] == theirs[..compared] => {}
                Ok(ours) => failures.push(format!("seed {seed:#x} case {k}:\n{}", c.describe(&ours, theirs))),
                Err(e) => failures.push(format!("seed {seed:#x} case {k}: {e}\n{}", c.listing())),
            }
        }
    }
    (total, failures)
}
