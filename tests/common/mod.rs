//! Helpers shared by the integration tests: finding roms, running remu and qemu-user with a
//! time limit so a hung guest fails the test instead of hanging it.
#![allow(dead_code)]

pub mod tasks;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A rom with its expectations: `NAME` beside `NAME.stdout`, `NAME.status` and optionally
/// `NAME.args` (one argument per line) and `NAME.env` (VAR=VALUE per line).
#[derive(Debug, Clone)]
pub struct Rom {
    pub name: String,
    pub path: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub stdout: Vec<u8>,
    pub status: i32,
}

/// Every rom with expectations under `roms/<dir>`, recursively, sorted by name.
pub fn roms(dir: &str) -> Vec<Rom> {
    let mut out = Vec::new();
    collect(&root().join("roms").join(dir), &mut out);
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The files a directory's `NEEDS_SYSROOT` marker lists (one absolute path a line: the
/// guest's dynamic linker and libraries) that are not installed; `None` without a marker.
pub fn missing_sysroot_files(dir: &Path) -> Option<Vec<String>> {
    let marker = std::fs::read_to_string(dir.join("NEEDS_SYSROOT")).ok()?;
    Some(marker.lines().map(str::trim).filter(|l| !l.is_empty() && !Path::new(l).exists()).map(String::from).collect())
}

fn collect(dir: &Path, out: &mut Vec<Rom>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    // Dynamically linked roms need the guest's sysroot (Debian's cross runtime packages,
    // installed by .ci/run); without it they are skipped, saying why.
    if let Some(missing) = missing_sysroot_files(dir) {
        if !missing.is_empty() {
            println!(
                "SKIPPED: roms in {} need the guest sysroot, and {} is missing (install libc6-riscv64-cross, libstdc++6-riscv64-cross: see .ci/run)",
                dir.display(),
                missing.join(", ")
            );
            return;
        }
    }
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
            continue;
        }
        if p.extension().and_then(|x| x.to_str()) != Some("stdout") {
            continue;
        }
        let bin = p.with_extension("");
        if !bin.is_file() {
            continue;
        }
        let read = |ext: &str| std::fs::read_to_string(bin.with_extension(ext)).ok();
        let lines = |s: Option<String>| -> Vec<String> {
            s.map(|s| s.lines().map(str::to_string).collect()).unwrap_or_default()
        };
        let status = read("status").map(|s| s.trim().parse().expect("status file holds a number")).unwrap_or(0);
        let env = lines(read("env"))
            .into_iter()
            .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
            .collect();
        let name = bin.strip_prefix(root().join("roms")).unwrap().display().to_string();
        out.push(Rom {
            name,
            args: lines(read("args")),
            env,
            stdout: std::fs::read(&p).unwrap(),
            status,
            path: bin,
        });
    }
}

/// Runs a command with a time limit, killing it when the limit passes.
pub fn run_with_timeout(cmd: &mut Command, limit: Duration) -> Output {
    let child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let pid = child.id();
    let start = Instant::now();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let d2 = done.clone();
    let watchdog = std::thread::spawn(move || {
        while !d2.load(std::sync::atomic::Ordering::Relaxed) {
            if start.elapsed() > limit {
                // SAFETY: kill sends a signal; the worst case is a pid that already exited.
                unsafe { libc_kill(pid as i32, 9) };
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    let out = child.wait_with_output().expect("wait");
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = watchdog.join();
    out
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

/// `remu run ARGS...` with the rom's environment, at most 120 s.
pub fn remu(args: &[&str], env: &[(String, String)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_remu"));
    c.arg("run");
    for (k, v) in env {
        c.arg("-E").arg(format!("{k}={v}"));
    }
    c.args(args);
    run_with_timeout(&mut c, Duration::from_secs(120))
}

/// Runs a rom under remu.
pub fn remu_rom(rom: &Rom) -> Output {
    let mut args = vec![rom.path.to_str().unwrap()];
    args.extend(rom.args.iter().map(String::as_str));
    remu(&args, &rom.env)
}

/// The qemu-user binary for an arch, if installed.
pub fn qemu(arch: &str) -> Option<PathBuf> {
    let name = format!("qemu-{arch}");
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(&name))
        .find(|p| p.is_file())
}

/// Runs a rom under qemu-user, at most 120 s.
pub fn qemu_rom(qemu: &Path, rom: &Rom) -> Output {
    qemu_rom_within(qemu, rom, Duration::from_secs(120))
}

/// Runs a rom under qemu-user, killed after `limit` (for roms qemu is known to hang on).
pub fn qemu_rom_within(qemu: &Path, rom: &Rom, limit: Duration) -> Output {
    // qemu-user dumps a core file into the working directory when its guest dies of a
    // signal; a test must not leave files behind.
    let mut c = Command::new("sh");
    c.arg("-c").arg("ulimit -c 0; exec \"$0\" \"$@\"").arg(qemu);
    // Dynamically linked roms find their dynamic linker and libraries in the Debian cross
    // sysroot (qemu's -L); static roms do not look.
    let arch = qemu.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_prefix("qemu-")).unwrap_or("");
    let triple = match arch {
        "aarch64" => "aarch64-linux-gnu",
        _ => "riscv64-linux-gnu",
    };
    c.env("QEMU_LD_PREFIX", format!("/usr/{triple}"));
    for (k, v) in &rom.env {
        c.arg("-E").arg(format!("{k}={v}"));
    }
    c.arg(&rom.path).args(&rom.args);
    run_with_timeout(&mut c, limit)
}

/// The exit status as a shell reports it (128 + signal for a killed process).
pub fn status(o: &Output) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    o.status.code().unwrap_or_else(|| 128 + o.status.signal().unwrap_or(0))
}
