//! `remu binfmt`: the registration lines it prints, and a real install, direct execution of
//! guest programs (`./hello`) and uninstall.
//!
//! The install test never touches the host's own binfmt_misc registrations: it works in a
//! private user and mount namespace (Linux 6.7 and later give such a namespace a
//! binfmt_misc instance of its own), held open by a `sleep` process and entered with
//! `nsenter` for each step. Where that is not possible it prints SKIPPED and why. With
//! `REMU_TEST_BINFMT_HOST=1` (root only) it uses the host's binfmt_misc instead — other
//! programs' executions of riscv64/aarch64 files then go through remu while it runs — and
//! refuses to run if an entry named like remu's already exists. Either way a drop guard
//! uninstalls what it registered, also when an assertion fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use common::*;

const REMU: &str = env!("CARGO_BIN_EXE_remu");
const NAMES: [&str; 2] = ["remu-riscv64", "remu-aarch64"];

fn remu_path() -> PathBuf {
    std::fs::canonicalize(REMU).unwrap()
}

fn remu(args: &[&str]) -> Output {
    run_with_timeout(Command::new(REMU).args(args), Duration::from_secs(30))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn print_shows_both_registration_lines() {
    let out = remu(&["binfmt", "--print"]);
    assert_eq!(status(&out), 0, "{}", text(&out.stderr));
    let mask = r"\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff";
    let head = r"\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00";
    let want = format!(
        ":remu-riscv64:M::{head}\\xf3\\x00:{mask}:{remu}:PF\n:remu-aarch64:M::{head}\\xb7\\x00:{mask}:{remu}:PF\n",
        remu = remu_path().display()
    );
    assert_eq!(text(&out.stdout), want);
    assert!(out.stderr.is_empty());
}

#[test]
fn print_for_one_arch_and_bad_input() {
    let out = remu(&["binfmt", "--print", "--arch", "arm64"]);
    assert_eq!(status(&out), 0);
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with(":remu-aarch64:M::\\x7f\\x45\\x4c\\x46"), "{}", lines[0]);

    let out = remu(&["binfmt", "--print", "--arch", "mips"]);
    assert_eq!(status(&out), 1);
    assert_eq!(text(&out.stderr), "remu: unknown architecture 'mips' (supported: riscv64, aarch64)\n");
    // Exactly one action.
    for args in [&["binfmt"][..], &["binfmt", "--install", "--uninstall"]] {
        let out = remu(args);
        assert_eq!(status(&out), 2, "{args:?}");
        assert!(text(&out.stderr).starts_with("error: "), "{}", text(&out.stderr));
    }
}

// ---------------------------------------------------------------------------------------
// Install, run, uninstall.

/// Where the steps run: a private namespace (entered with nsenter) or the host.
struct Place {
    holder: Option<Child>,
    /// On the host: binfmt_misc was not mounted before (`--install` mounts it; unmounted
    /// again at the end).
    unmount: bool,
}

impl Place {
    /// `program` run by a shell in the step's working directory (so `./hello` is looked up
    /// there, by the shell, as a user would type it).
    fn command(&self, program: &str, dir: &Path) -> Command {
        let mut c = match &self.holder {
            Some(h) => {
                // Entering a mount namespace moves to its root: --wd comes back.
                let mut c = Command::new("nsenter");
                c.args(["-t", &h.id().to_string(), "-U", "-m", "--preserve-credentials"]);
                c.arg(format!("--wd={}", dir.display())).args(["--", "sh"]);
                c
            }
            None => Command::new("sh"),
        };
        c.args(["-c", "exec \"$0\" \"$@\"", program]);
        c
    }

    fn run(&self, program: &str, args: &[&str], dir: &Path) -> Output {
        let mut c = self.command(program, dir);
        c.args(args).current_dir(dir);
        run_with_timeout(&mut c, Duration::from_secs(60))
    }

    /// The names of the registered entries.
    fn entries(&self) -> Vec<String> {
        let out = self.run("ls", &["/proc/sys/fs/binfmt_misc"], Path::new("/"));
        text(&out.stdout).lines().filter(|l| *l != "register" && *l != "status").map(String::from).collect()
    }
}

/// Uninstalls (and leaves the namespace) when dropped.
struct Installed<'a>(&'a Place);

impl Drop for Installed<'_> {
    fn drop(&mut self) {
        let out = self.0.run(REMU, &["binfmt", "--uninstall"], Path::new("/"));
        if status(&out) != 0 {
            eprintln!("binfmt test: uninstall failed: {}", text(&out.stderr));
        }
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Some(h) = &mut self.holder {
            let _ = h.kill();
            let _ = h.wait();
        }
        if self.unmount {
            let _ = Command::new("umount").arg("/proc/sys/fs/binfmt_misc").status();
        }
    }
}

/// A private user+mount namespace with binfmt_misc mountable, or why not.
fn private_place() -> Result<Place, String> {
    for tool in ["unshare", "nsenter"] {
        if Command::new(tool).arg("--version").output().is_err() {
            return Err(format!("{tool} (util-linux) not found"));
        }
    }
    let holder = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sleep", "300"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("unshare: {e}"))?;
    let place = Place { holder: Some(holder), unmount: false };
    // Wait until the namespace exists (unshare has exec'd sleep).
    let pid = place.holder.as_ref().unwrap().id();
    let me = std::fs::read_link("/proc/self/ns/user").ok();
    for _ in 0..100 {
        let ns = std::fs::read_link(format!("/proc/{pid}/ns/user")).ok();
        let cmd = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if ns.is_some() && ns != me && cmd.starts_with("sleep") {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = place.run("mount", &["-t", "binfmt_misc", "binfmt_misc", "/proc/sys/fs/binfmt_misc"], Path::new("/"));
    if status(&out) != 0 {
        return Err(format!(
            "binfmt_misc cannot be mounted in a private user namespace (needs Linux 6.7 or later): {}",
            text(&out.stderr).trim()
        ));
    }
    Ok(place)
}

fn host_place() -> Result<Place, String> {
    let unmount = !Path::new("/proc/sys/fs/binfmt_misc/register").exists();
    let place = Place { holder: None, unmount };
    let out = place.run("id", &["-u"], Path::new("/"));
    if text(&out.stdout).trim() != "0" {
        return Err("REMU_TEST_BINFMT_HOST needs root".into());
    }
    Ok(place)
}

#[test]
fn install_run_directly_and_uninstall() {
    let on_host = std::env::var_os("REMU_TEST_BINFMT_HOST").is_some_and(|v| v == "1");
    let place = match if on_host { host_place() } else { private_place() } {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: binfmt install test: {why}");
            return;
        }
    };
    // Never take over (or remove) a registration that was there before us.
    let before = place.entries();
    if let Some(n) = before.iter().find(|n| NAMES.contains(&n.as_str())) {
        println!("SKIPPED: binfmt install test: an entry {n} is already registered; not touching it");
        return;
    }

    let out = place.run(REMU, &["binfmt", "--install"], Path::new("/"));
    let _guard = Installed(&place);
    assert_eq!(status(&out), 0, "install: {}", text(&out.stderr));
    let want = format!("registered remu-riscv64 -> {0}\nregistered remu-aarch64 -> {0}\n", remu_path().display());
    assert_eq!(text(&out.stdout), want);
    let mut after = place.entries();
    after.retain(|n| !before.contains(n));
    after.sort();
    assert_eq!(after, ["remu-aarch64", "remu-riscv64"]);

    // The kernel's view of the entry.
    let shown = place.run("cat", &["/proc/sys/fs/binfmt_misc/remu-riscv64"], Path::new("/"));
    let shown = text(&shown.stdout);
    assert!(shown.starts_with("enabled\n"), "{shown}");
    assert!(shown.contains(&format!("interpreter {}\n", remu_path().display())), "{shown}");
    assert!(shown.contains("flags: PF\n") && shown.contains("magic 7f454c460201010000000000000000000200f300\n"), "{shown}");

    // Installing again changes nothing.
    let again = place.run(REMU, &["binfmt", "--install", "--arch", "riscv64"], Path::new("/"));
    assert_eq!(status(&again), 0);
    assert!(text(&again.stdout).contains("remu-riscv64 is already registered"), "{}", text(&again.stdout));

    // Guest programs run as ./hello.
    let roms = root().join("roms");
    let hello = place.run("./hello", &[], &roms.join("riscv64"));
    assert_eq!((status(&hello), text(&hello.stdout)), (0, "hello, world\n".into()), "{}", text(&hello.stderr));
    let hello = place.run("./hello", &[], &roms.join("aarch64"));
    assert_eq!((status(&hello), text(&hello.stdout)), (0, "hello, world\n".into()), "{}", text(&hello.stderr));
    // Arguments arrive unchanged and argv[0] is the caller's choice (the P flag).
    let args = place.run("sh", &["-c", "exec ./exitcode 9"], &roms.join("riscv64"));
    assert_eq!(status(&args), 9, "{}", text(&args.stderr));
    if Path::new("/usr/riscv64-linux-gnu/lib/libc.so.6").exists() {
        let dir = roms.join("riscv64/dynamic");
        let out = place.run("bash", &["-c", "exec -a my-name ./forkexec child 'a b' ''"], &dir);
        assert_eq!(status(&out), 3, "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "child: argv[0]=my-name argc=4 [a b] [] FORKEXEC_VAR=(unset) PATH set\n");
    } else {
        println!("SKIPPED: binfmt argv[0] check: the riscv64 sysroot is not installed (see .ci/run)");
    }
    // A guest killed by a signal looks like a native program killed by it.
    let segv = place.run("sh", &["-c", "./sigsegv; echo status $?"], &roms.join("riscv64/faults"));
    assert!(text(&segv.stdout).ends_with("status 139\n"), "{}", text(&segv.stdout));

    // Uninstall: the entries go, ./hello no longer runs.
    drop(_guard);
    let mut left = place.entries();
    left.retain(|n| !before.contains(n));
    assert!(left.is_empty(), "left behind: {left:?}");
    let hello = place.run("./hello", &[], &roms.join("riscv64"));
    assert_ne!(status(&hello), 0, "./hello still runs after --uninstall");
    let out = place.run(REMU, &["binfmt", "--uninstall"], Path::new("/"));
    assert_eq!(text(&out.stdout), "remu-riscv64 was not registered\nremu-aarch64 was not registered\n");
}
