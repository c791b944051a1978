//! Runs an aarch64 Linux ELF under remu's AArch64 interpreter, before the `remu` command
//! knows the architecture: `cargo run -p remu-isa-arm --example run -- PROGRAM [ARGS...]`.

use std::path::PathBuf;
use std::sync::Arc;

use remu_core::linux::{self, Outcome, Process};
use remu_core::GuestMemory;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(program) = args.first() else {
        eprintln!("usage: run PROGRAM [ARGS...]");
        std::process::exit(2);
    };
    let arch = &remu_isa_arm::AARCH64;
    let path = PathBuf::from(program);
    let argv: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    let env: Vec<Vec<u8>> = std::env::vars().map(|(k, v)| format!("{k}={v}").into_bytes()).collect();
    let mem = Arc::new(GuestMemory::new(arch.address_bits).expect("guest memory"));
    let image = match remu_loader::load(&mem, arch, &path, &argv, &env) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("run: {e}");
            std::process::exit(1);
        }
    };
    let exe = std::fs::canonicalize(&path).unwrap_or(path);
    let mut process = Process::new(arch, mem, exe);
    process.strace = std::env::var_os("REMU_STRACE").is_some();
    process.auxv = image.auxv.clone();
    let mut cpu = (arch.new_cpu)(image.entry);
    cpu.set_sp(image.sp);
    let outcome = linux::run(&process, cpu.as_mut());
    if let Outcome::Killed { reason, .. } = &outcome {
        eprintln!("remu: {reason}");
    }
    std::process::exit(outcome.exit_code());
}
