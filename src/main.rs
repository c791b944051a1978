//! The `remu` command: runs a Linux program built for another instruction set.
//!
//! `remu run [--arch riscv64] [-L SYSROOT] [-E VAR=VALUE] [-U VAR] [--strace] PROGRAM [ARGS...]`
//! `remu binfmt --install | --uninstall | --print [--arch ARCH]`
//!
//! Started by the kernel for a binfmt_misc entry (see `binfmt.rs`), remu runs the program
//! the kernel names instead of parsing a command line.

mod binfmt;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use remu_core::linux::{self, Process};
use remu_core::{Arch, GuestMemory};

#[derive(Parser)]
#[command(name = "remu", version, about = "Runs Linux programs built for RISC-V and AArch64 on this host")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a guest program.
    Run(RunArgs),
    /// Register remu with the kernel's binfmt_misc, so riscv64 and aarch64 programs run
    /// directly (`./prog`); the entries are named remu-riscv64 and remu-aarch64.
    Binfmt(BinfmtArgs),
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("action").required(true).multiple(false)))]
struct BinfmtArgs {
    /// Register the entries (needs root; mounts binfmt_misc at /proc/sys/fs/binfmt_misc
    /// when it is not mounted).
    #[arg(long, group = "action")]
    install: bool,
    /// Remove the entries.
    #[arg(long, group = "action")]
    uninstall: bool,
    /// Print the lines --install would write to /proc/sys/fs/binfmt_misc/register.
    #[arg(long, group = "action")]
    print: bool,
    /// Only this guest architecture (default: all).
    #[arg(long, value_name = "ARCH")]
    arch: Option<String>,
}

#[derive(clap::Args)]
struct RunArgs {
    /// Guest architecture; taken from the ELF header when omitted.
    #[arg(long, value_name = "ARCH")]
    arch: Option<String>,
    /// The guest's root file system (dynamic linker, libraries): absolute paths the guest
    /// uses are looked up here first, then on the host. Also REMU_LD_PREFIX; by default
    /// /usr/<triple> (the Debian cross sysroot) when installed.
    #[arg(short = 'L', value_name = "SYSROOT")]
    sysroot: Option<PathBuf>,
    /// The guest's argv[0] (default: PROGRAM as given).
    #[arg(long, value_name = "NAME")]
    argv0: Option<OsString>,
    /// Internal (a guest's execve): die of the guest's fatal signal rather than exit 128+N.
    #[arg(long, hide = true)]
    die_by_signal: bool,
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
    /// The guest program and its arguments. Options end at PROGRAM, as for qemu-user:
    /// everything after it goes to the guest unchanged, `-E` and `--strace` included.
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true, value_name = "PROGRAM [ARGS]")]
    command: Vec<OsString>,
    /// The guest program (`command[0]`).
    #[arg(skip)]
    program: PathBuf,
    /// Its arguments (`command[1..]`).
    #[arg(skip)]
    args: Vec<OsString>,
}

impl RunArgs {
    /// Splits `command` into the program and its arguments. A first word that looks like
    /// an option is one remu does not know (clap takes the known ones before PROGRAM).
    fn split_command(mut self) -> Result<RunArgs, String> {
        let mut rest = std::mem::take(&mut self.command).into_iter();
        let program = rest.next().unwrap_or_default();
        if program.as_encoded_bytes().starts_with(b"-") && program != "-" {
            return Err(format!(
                "unknown option '{}' for remu run (options go before PROGRAM; see remu run --help)",
                program.to_string_lossy()
            ));
        }
        self.program = PathBuf::from(program);
        self.args = rest.collect();
        Ok(self)
    }
}

/// Every architecture remu can run.
fn architectures() -> [&'static Arch; 2] {
    [&remu_isa_riscv::RISCV64, &remu_isa_arm::AARCH64]
}

/// Which of descriptors 0, 1 and 2 remu was started without (bit N for descriptor N).
/// Rust's runtime opens /dev/null on a closed one before `main`; the guest must see it
/// closed, as it would natively (a program run with stdin closed checks exactly that), so
/// it is recorded before the runtime starts and closed again before the guest does.
static CLOSED_AT_START: AtomicU8 = AtomicU8::new(0);

/// Runs from the ELF `.init_array`, before Rust's runtime initialises.
extern "C" fn record_closed_stdio() {
    let mut mask = 0;
    for fd in 0..3 {
        // SAFETY: F_GETFD on a descriptor number reads its flags and nothing else.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            mask |= 1 << fd;
        }
    }
    CLOSED_AT_START.store(mask, Ordering::Relaxed);
}

#[used]
#[link_section = ".init_array"]
static RECORD_CLOSED_STDIO: extern "C" fn() = record_closed_stdio;

/// Closes again the standard descriptors remu was started without (see
/// [`CLOSED_AT_START`]), just before the guest starts: remu opens nothing it keeps.
fn close_runtime_stdio() {
    let mask = CLOSED_AT_START.load(Ordering::Relaxed);
    for fd in 0..3 {
        if mask & (1 << fd) != 0 {
            // SAFETY: the descriptor is the runtime's /dev/null, which remu never uses;
            // writes to a closed stderr are ignored by Rust's standard streams.
            unsafe { libc::close(fd) };
        }
    }
}

fn main() -> ExitCode {
    let result = if binfmt::kernel_invocation() {
        run_for_binfmt()
    } else {
        match Cli::parse().command {
            Command::Run(args) => match args.split_command() {
                Ok(args) => run(args),
                Err(usage) => {
                    eprintln!("remu: {usage}");
                    return ExitCode::from(2);
                }
            },
            Command::Binfmt(args) => binfmt_command(args),
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // One line: the error and its causes.
            let mut msg = format!("remu: {e}");
            for cause in e.chain().skip(1) {
                // Our errors often quote their cause already.
                let cause = cause.to_string();
                if !msg.contains(&cause) {
                    msg.push_str(&format!(": {cause}"));
                }
            }
            eprintln!("{msg}");
            ExitCode::from(1)
        }
    }
}

/// An architecture by name or alias (rv64, arm64...).
fn arch_by_name(name: &str) -> Result<&'static Arch> {
    let known: Vec<&str> = architectures().iter().map(|a| a.name).collect();
    let name = match name {
        "rv64" | "riscv" | "rv64gc" => "riscv64",
        "arm64" => "aarch64",
        n => n,
    };
    match architectures().into_iter().find(|a| a.name == name) {
        Some(a) => Ok(a),
        None => bail!("unknown architecture '{name}' (supported: {})", known.join(", ")),
    }
}

fn pick_arch(args: &RunArgs) -> Result<&'static Arch> {
    let known: Vec<&str> = architectures().iter().map(|a| a.name).collect();
    if let Some(name) = &args.arch {
        return arch_by_name(name);
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

/// The Debian multiarch triple of an architecture (where its cross sysroot is installed).
fn triple(arch: &Arch) -> Option<&'static str> {
    match arch.name {
        "riscv64" => Some("riscv64-linux-gnu"),
        "aarch64" => Some("aarch64-linux-gnu"),
        _ => None,
    }
}

/// The guest's sysroot: `-L`, else REMU_LD_PREFIX, else `/usr/<triple>` if it exists.
/// One that was asked for but is not a directory is an error. Made absolute, so that the
/// guest changing directory does not change it.
fn pick_sysroot(args: &RunArgs, arch: &Arch) -> Result<Option<PathBuf>> {
    let given = match &args.sysroot {
        Some(p) => Some((p.clone(), "-L")),
        None => std::env::var_os("REMU_LD_PREFIX").filter(|v| !v.is_empty()).map(|v| (PathBuf::from(v), "REMU_LD_PREFIX")),
    };
    if let Some((dir, from)) = given {
        return match std::fs::metadata(&dir) {
            Ok(m) if m.is_dir() => Ok(Some(std::fs::canonicalize(&dir).unwrap_or(dir))),
            Ok(_) => bail!("sysroot {} (from {from}) is not a directory", dir.display()),
            Err(e) => bail!("sysroot {} (from {from}) does not exist: {e}", dir.display()),
        };
    }
    Ok(triple(arch).map(|t| PathBuf::from("/usr").join(t)).filter(|d| d.is_dir()))
}

fn run(args: RunArgs) -> Result<u8> {
    let arch = pick_arch(&args)?;
    let sysroot = pick_sysroot(&args, arch)?;
    let env = guest_env(&args)?;
    let argv0 = args.argv0.clone().unwrap_or_else(|| args.program.clone().into_os_string());
    let mut argv = vec![argv0.as_encoded_bytes().to_vec()];
    argv.extend(args.args.iter().map(|a| a.as_encoded_bytes().to_vec()));

    let mem = Arc::new(GuestMemory::new(arch.address_bits).context("setting up guest memory")?);
    let image = remu_loader::load_with(&mem, arch, &args.program, &argv, &env, sysroot.as_deref())?;
    let exe = std::fs::canonicalize(&args.program).unwrap_or_else(|_| args.program.clone());
    let mut process = Process::new(arch, mem, exe);
    process.strace = args.strace;
    process.auxv = image.auxv.clone();
    process.cmdline = argv.iter().flat_map(|a| a.iter().copied().chain([0])).collect();
    // How a guest's execve of another guest program runs it: remu again, same options.
    let mut prefix: Vec<OsString> = vec!["run".into()];
    if let Some(root) = &sysroot {
        prefix.push("-L".into());
        prefix.push(root.clone().into_os_string());
    }
    if args.strace {
        prefix.push("--strace".into());
    }
    prefix.push("--die-by-signal".into());
    process.exec_prefix = prefix;
    process.sysroot = sysroot;
    if args.die_by_signal {
        process.die_by_signal.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    process.count_insns = args.count_insns;
    // Guest threads share the process for as long as remu runs (see `Process::leak`).
    let process = process.leak();

    let mut cpu = (arch.new_cpu)(image.entry);
    cpu.set_sp(image.sp);
    linux::name_after_program(&args.program);
    close_runtime_stdio();
    let outcome = linux::run(process, cpu.as_mut());
    // The message for a fatal signal, --count-insns; the same as when another guest thread
    // ends the process.
    let code = linux::conclude(process, &outcome, cpu.instructions_retired());
    Ok(code as u8)
}


/// The kernel ran `remu PATH ARGV0 ARGS...` for a binfmt_misc entry with the P flag: run
/// PATH with argv ARGV0 ARGS..., sysroot from REMU_LD_PREFIX or the default, and die of the
/// guest's fatal signal like a native program.
fn run_for_binfmt() -> Result<u8> {
    let mut argv = std::env::args_os().skip(1);
    let (Some(program), Some(argv0)) = (argv.next(), argv.next()) else {
        bail!("started by binfmt_misc without a program and its argv[0] (is the entry registered with the P flag?)");
    };
    run(RunArgs {
        arch: None,
        sysroot: None,
        argv0: Some(argv0),
        die_by_signal: true,
        set_env: Vec::new(),
        unset_env: Vec::new(),
        strace: false,
        count_insns: false,
        command: Vec::new(),
        program: PathBuf::from(program),
        args: argv.collect(),
    })
}

fn binfmt_command(args: BinfmtArgs) -> Result<u8> {
    let arches: Vec<&'static Arch> = match &args.arch {
        Some(name) => vec![arch_by_name(name)?],
        None => architectures().to_vec(),
    };
    let entries: Vec<binfmt::Entry> = arches.iter().map(|a| binfmt::Entry::for_arch(a)).collect();
    let remu = std::env::current_exe().context("finding the remu binary's path")?;
    let fs = binfmt::Binfmt::new();
    if args.print {
        for e in &entries {
            println!("{}", e.register_line(&remu)?);
        }
    } else if args.install {
        fs.ensure_mounted()?;
        for e in &entries {
            match fs.install(e, &remu)? {
                binfmt::Installed::Registered => println!("registered {} -> {}", e.name, remu.display()),
                binfmt::Installed::AlreadyRegistered => println!("{} is already registered -> {}", e.name, remu.display()),
            }
            for (name, other) in fs.rivals(e) {
                eprintln!(
                    "remu: note: binfmt_misc entry {name} ({}) claims the same files; the kernel uses the entry registered last",
                    other.interpreter
                );
            }
        }
    } else {
        if !fs.dir.join("register").exists() {
            println!("binfmt_misc is not mounted at {}: nothing registered", binfmt::MOUNT_POINT);
            return Ok(0);
        }
        for e in &entries {
            match fs.uninstall(e)? {
                Some(r) => println!("removed {} ({})", e.name, r.interpreter),
                None => println!("{} was not registered", e.name),
            }
        }
    }
    Ok(0)
}
