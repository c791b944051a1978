//! The `remu` command: runs a Linux program built for another instruction set.
//!
//! `remu run [--arch riscv64] [-E VAR=VALUE] [-U VAR] [--strace] PROGRAM [ARGS...]`

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use remu_core::linux::{self, Outcome, Process};
use remu_core::{Arch, GuestMemory};

#[derive(Parser)]
#[command(name = "remu", version, about = "Runs Linux programs built for RISC-V (and soon AArch64) on this host")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a guest program.
    Run(RunArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// Guest architecture; taken from the ELF header when omitted.
    #[arg(long, value_name = "ARCH")]
    arch: Option<String>,
    /// Set an environment variable for the guest (repeatable).
    #[arg(short = 'E', value_name = "VAR=VALUE")]
    set_env: Vec<String>,
    /// Remove an environment variable from the guest's environment (repeatable).
    #[arg(short = 'U', value_name = "VAR")]
    unset_env: Vec<String>,
    /// Print each system call with its arguments and result on stderr.
    #[arg(long)]
    strace: bool,
    /// Print the number of guest instructions executed on stderr when the guest ends.
    #[arg(long)]
    count_insns: bool,
    /// The guest program.
    program: PathBuf,
    /// Its arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<OsString>,
}

/// Every architecture remu can run.
fn architectures() -> [&'static Arch; 1] {
    [&remu_isa_riscv::RISCV64]
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // One line: the error and its causes.
            let mut msg = format!("remu: {e}");
            for cause in e.chain().skip(1) {
                msg.push_str(&format!(": {cause}"));
            }
            eprintln!("{msg}");
            ExitCode::from(1)
        }
    }
}

fn pick_arch(args: &RunArgs) -> Result<&'static Arch> {
    let known: Vec<&str> = architectures().iter().map(|a| a.name).collect();
    if let Some(name) = &args.arch {
        let name = match name.as_str() {
            "rv64" | "riscv" | "rv64gc" => "riscv64",
            "arm64" => "aarch64",
            n => n,
        };
        return match architectures().into_iter().find(|a| a.name == name) {
            Some(a) => Ok(a),
            None => bail!("unknown architecture '{name}' (supported: {})", known.join(", ")),
        };
    }
    let machine = remu_loader::elf_machine(&args.program)?;
    match architectures().into_iter().find(|a| a.elf_machine == machine) {
        Some(a) => Ok(a),
        None => bail!(
            "{}: ELF is for machine {machine:#x} ({}), which remu does not run (supported: {})",
            args.program.display(),
            remu_loader::machine_name(machine),
            known.join(", ")
        ),
    }
}

fn guest_env(args: &RunArgs) -> Result<Vec<Vec<u8>>> {
    let mut env: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    for u in &args.unset_env {
        env.retain(|(k, _)| k != u.as_str());
    }
    for s in &args.set_env {
        let Some((k, v)) = s.split_once('=') else { bail!("-E takes VAR=VALUE, got '{s}'") };
        env.retain(|(ek, _)| ek != k);
        env.push((k.into(), v.into()));
    }
    Ok(env
        .into_iter()
        .map(|(k, v)| {
            let mut e = k.into_encoded_bytes();
            e.push(b'=');
            e.extend_from_slice(v.as_encoded_bytes());
            e
        })
        .collect())
}

fn run(args: RunArgs) -> Result<u8> {
    let arch = pick_arch(&args)?;
    let env = guest_env(&args)?;
    let mut argv = vec![args.program.as_os_str().as_encoded_bytes().to_vec()];
    argv.extend(args.args.iter().map(|a| a.as_encoded_bytes().to_vec()));

    let mem = Arc::new(GuestMemory::new(arch.address_bits).context("setting up guest memory")?);
    let image = remu_loader::load(&mem, arch, &args.program, &argv, &env)?;
    let exe = std::fs::canonicalize(&args.program).unwrap_or_else(|_| args.program.clone());
    let mut process = Process::new(arch, mem, exe);
    process.strace = args.strace;
    process.auxv = image.auxv.clone();

    let mut cpu = (arch.new_cpu)(image.entry);
    cpu.set_sp(image.sp);
    let outcome = linux::run(&process, cpu.as_mut());
    if let Outcome::Killed { reason, .. } = &outcome {
        eprintln!("remu: {reason}");
    }
    if args.count_insns {
        eprintln!("remu: {} guest instructions", cpu.instructions_retired());
    }
    Ok(outcome.exit_code() as u8)
}
