//! Running a real program's tasks under remu and under an oracle (qemu-user, or for
//! shell pipelines whose children must be guests too, the host's own programs), each in a
//! fresh working directory with the same fixture, and comparing stdout, exit status and the
//! files left behind. Used by tests/third_party.rs and tests/userland.rs.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

/// Per step. Generous: on a loaded 2-core machine qemu-aarch64 takes over 30 s on some
/// tasks (its soft-float fmod in busybox awk), and remu's aarch64 interpreter over 60 s on
/// busybox factor of a 64-bit prime.
pub const LIMIT: Duration = Duration::from_secs(120);

/// Every fixture file and directory gets this modification time (2023-11-14 22:13:20 UTC),
/// so `ls -l`, `tar -tv`, `stat` and gzip headers agree between the two runs.
const MTIME: u64 = 1_700_000_000;

/// qemu-user cannot run a guest's execve of `/proc/self/exe` (busybox's way to run an applet
/// that is not NOFORK): it prints an error where remu runs the applet, so qemu is no oracle.
pub const QEMU_NO_EXEC: &str = "qemu-user fails the guest's execve of /proc/self/exe; remu runs it";

pub struct Task {
    pub name: &'static str,
    /// Each step is one run of the program with these arguments, in the same directory.
    pub steps: Vec<Vec<String>>,
    pub xfail: Option<&'static str>,
    /// Compare stdout as a sorted set of lines (qemu-user hands the guest its environment in
    /// reverse order; the kernel, and remu, keep the order given).
    pub unordered: bool,
}

pub fn t(name: &'static str, steps: &[&[&str]]) -> Task {
    Task {
        name,
        steps: steps.iter().map(|s| s.iter().map(|a| a.to_string()).collect()).collect(),
        xfail: None,
        unordered: false,
    }
}

pub fn x(name: &'static str, args: &[&str], why: &'static str) -> Task {
    xs(name, &[args], why)
}

pub fn xs(name: &'static str, steps: &[&[&str]], why: &'static str) -> Task {
    Task { xfail: Some(why), ..t(name, steps) }
}

/// One command: `sh -c SCRIPT` style tasks.
pub fn c(name: &'static str, args: &[&str]) -> Task {
    t(name, &[args])
}

pub fn third_party_root() -> PathBuf {
    super::root().join("target/third-party")
}

/// A guest program and what it is compared with.
pub struct Subject {
    pub arch: &'static str,
    /// The program each step runs (its arguments are the step's); None: each step's first
    /// argument is the program, an absolute path the guest resolves in its sysroot and the
    /// host oracle on the host.
    pub prog: Option<PathBuf>,
    /// The guest's sysroot (remu -L, qemu -L), for dynamically linked programs.
    pub sysroot: Option<PathBuf>,
    pub oracle: Oracle,
}

pub enum Oracle {
    /// qemu-user runs the same program.
    Qemu(PathBuf),
    /// The host runs its own program of the same name: for shell scripts whose children
    /// must be guest programs too, which qemu-user cannot run.
    Host(PathBuf),
}

impl Oracle {
    fn name(&self) -> String {
        match self {
            Oracle::Qemu(q) => q.file_name().unwrap().to_string_lossy().into_owned(),
            Oracle::Host(_) => "host".into(),
        }
    }
}

/// A static program from `target/third-party/ARCH/root` compared with qemu-user, or None
/// after printing why the test is skipped.
pub fn program(arch: &'static str, rel: &str, test: &str) -> Option<Subject> {
    let prog = fetched(&third_party_root().join(arch).join("root").join(rel), test)?;
    let qemu = qemu_for(arch, test)?;
    Some(Subject { arch, prog: Some(prog), sysroot: None, oracle: Oracle::Qemu(qemu) })
}

/// The Debian userland of `target/third-party/ARCH/rootfs`, or None after saying why not.
pub fn userland(arch: &str, test: &str) -> Option<PathBuf> {
    let root = third_party_root().join(arch).join("rootfs");
    fetched(&root.join("usr/bin/dash"), test)?;
    Some(root)
}

fn fetched(p: &Path, test: &str) -> Option<PathBuf> {
    if p.is_file() {
        return Some(p.to_path_buf());
    }
    let why = fs::read_to_string(third_party_root().join("FAILED")).unwrap_or_else(|_| "not fetched".into());
    println!("SKIPPED: {test}: {} missing: {} (run .ci/fetch-third-party)", p.display(), why.trim());
    None
}

pub fn qemu_for(arch: &str, test: &str) -> Option<PathBuf> {
    let q = super::qemu(arch);
    if q.is_none() {
        println!("SKIPPED: {test}: qemu-{arch} not installed (apt-get install qemu-user)");
    }
    q
}

// ---------------------------------------------------------------------------------------
// The working directory every task starts from.

pub fn data_lines() -> String {
    let words = ["pear", "apple", "fig", "banana", "apple", "cherry", "fig", "apple", "date", "kiwi"];
    let mut s = String::new();
    for i in 0..40u32 {
        let w = words[(i * 7 % 10) as usize];
        s += &format!("{w} {} foo{} Bar\n", (i * 37) % 101, i % 3);
    }
    s
}

pub fn big_bin() -> Vec<u8> {
    // A deterministic mix of compressible text and pseudo-random bytes.
    let mut v = Vec::with_capacity(200_000);
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..200_000u32 {
        if (i / 4096) % 2 == 0 {
            v.push(b"the quick brown fox jumps over the lazy dog\n"[(i % 44) as usize]);
        } else {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            v.push(x as u8);
        }
    }
    v
}

pub fn fixture(w: &Path) {
    let write = |p: &str, c: &[u8]| {
        let p = w.join(p);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, c).unwrap();
    };
    let data = data_lines();
    let mut sorted: Vec<&str> = data.lines().map(|l| l.split(' ').next().unwrap()).collect();
    sorted.sort();
    write("data.txt", data.as_bytes());
    write("words.txt", (sorted.join("\n") + "\n").as_bytes());
    write("nums.txt", b"10\n-3\n7.5\n100\n2\n0\n42\n1e3\n-0.25\n9\n");
    write("csv.txt", b"id,name,score\n1,alice,90\n2,bob,75\n3,carol,88\n4,dave,60\n5,eve,99\n");
    write("small.bin", b"Hello\x00\x01\x02\xff\tworld\n\x7fEND");
    write("big.bin", &big_bin());
    write("a.txt", b"one\ntwo\nthree\nfour\nfive\n");
    write("b.txt", b"one\n2\nthree\nfour\n5\nsix\n");
    write("sums", b"7fad74b001c55a2a11462be5af4e39c6  a.txt\n87ac74773a8570e5098dda4090e31061  b.txt\n");
    write("calc.bc", b"scale=20\n4*a(1)\n2^100\nsqrt(2)\ne(1)\nquit\n");
    let nums: Vec<String> = (1..=30).map(|n| format!("{{\"n\":{n},\"s\":\"v{}\"}}", n * 7 % 11)).collect();
    write("nums.json", format!("[{}]\n", nums.join(",")).as_bytes());
    write("script.sh", b"echo \"args: $# $*\"\nfor a in \"$@\"; do echo \"<$a>\"; done\nexit 3\n");
    write("sub/x.txt", b"x file\n");
    write("sub/y.dat", b"y data\n");
    write("sub/deeper/z.txt", b"zzz\n");
    write("sub/deeper/empty", b"");
    std::os::unix::fs::symlink("sub/x.txt", w.join("link")).unwrap();
    fs::create_dir(w.join("emptydir")).unwrap();
}

pub fn set_times(p: &Path) {
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(MTIME);
    let meta = fs::symlink_metadata(p).unwrap();
    if meta.file_type().is_symlink() {
        // std has no lutimes: the host's touch -h dates the link itself.
        let _ = Command::new("touch").arg("-h").arg("-d").arg(format!("@{MTIME}")).arg(p).status();
        return;
    }
    if meta.is_dir() {
        let mut entries: Vec<_> = fs::read_dir(p).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        for e in entries {
            set_times(&e);
        }
    }
    let f = fs::File::open(p).unwrap();
    f.set_times(fs::FileTimes::new().set_modified(t).set_accessed(t)).unwrap();
}

/// A fresh `BASE/w` with the fixture, BASE and w both dated MTIME (`ls -la` shows `..`).
pub fn fresh_dir(base: &Path) -> PathBuf {
    let _ = fs::remove_dir_all(base);
    let w = base.join("w");
    fs::create_dir_all(&w).unwrap();
    fixture(&w);
    set_times(base);
    w
}

/// Everything under `dir` as sorted (path, kind, content) lines.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, p: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = fs::read_dir(p).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        for e in entries {
            let rel = e.strip_prefix(root).unwrap().display().to_string();
            let m = fs::symlink_metadata(&e).unwrap();
            if m.file_type().is_symlink() {
                out.push((format!("{rel} -> {}", fs::read_link(&e).unwrap().display()), vec![]));
            } else if m.is_dir() {
                out.push((format!("{rel}/"), vec![]));
                walk(root, &e, out);
            } else {
                use std::os::unix::fs::PermissionsExt;
                out.push((format!("{rel} {:o}", m.permissions().mode() & 0o7777), fs::read(&e).unwrap_or_default()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

// ---------------------------------------------------------------------------------------
// Running.

pub struct Run {
    steps: Vec<(Vec<u8>, i32, Vec<u8>)>,
    files: Vec<(String, Vec<u8>)>,
}

pub fn guest_env(w: &Path) -> Vec<(String, String)> {
    vec![
        ("PATH".into(), "/usr/bin:/bin".into()),
        ("HOME".into(), w.display().to_string()),
        ("LC_ALL".into(), "C".into()),
        ("TZ".into(), "UTC".into()),
        ("TERM".into(), "dumb".into()),
    ]
}

/// Runs a task's steps under remu (`oracle` false) or the oracle, in a fresh directory.
pub fn run_task(s: &Subject, oracle: bool, task: &Task, base: &Path) -> Run {
    let w = fresh_dir(base);
    let mut steps = Vec::new();
    for args in &task.steps {
        let mut cmd = match (&s.oracle, oracle) {
            (_, false) => {
                let mut c = Command::new(env!("CARGO_BIN_EXE_remu"));
                c.arg("run");
                if let Some(root) = &s.sysroot {
                    c.arg("-L").arg(root);
                }
                c
            }
            (Oracle::Qemu(q), true) => {
                let mut c = Command::new(q);
                if let Some(root) = &s.sysroot {
                    c.arg("-L").arg(root);
                }
                c
            }
            (Oracle::Host(h), true) => Command::new(h),
        };
        cmd.env_clear().current_dir(&w).envs(guest_env(&w));
        let mut args = &args[..];
        match (&s.prog, &s.oracle, oracle) {
            (Some(_), Oracle::Host(_), true) => {}
            (Some(p), _, _) => {
                cmd.arg(p);
            }
            (None, Oracle::Host(_), true) => {
                cmd = Command::new(&args[0]);
                cmd.env_clear().current_dir(&w).envs(guest_env(&w));
                args = &args[1..];
            }
            (None, _, _) => {
                // The guest program's path in the sysroot, as qemu-user and remu take it.
                let root = s.sysroot.as_ref().expect("a program named by its guest path needs a sysroot");
                cmd.arg(root.join(args[0].trim_start_matches('/')));
                args = &args[1..];
            }
        }
        cmd.args(args);
        let o: Output = super::run_with_timeout(&mut cmd, LIMIT);
        steps.push((o.stdout.clone(), super::status(&o), o.stderr.clone()));
    }
    let files = snapshot(&w);
    let _ = fs::remove_dir_all(base);
    Run { steps, files }
}
/// Up to 12 lines of `b` starting two lines before line `from`.
pub fn show(b: &[u8], from: usize) -> String {
    let s = String::from_utf8_lossy(b);
    let lines: Vec<&str> = s.split('\n').collect();
    let start = from.saturating_sub(2).min(lines.len());
    let mut out = if start > 0 { format!("(from line {})\n      | ", start + 1) } else { String::new() };
    let shown: Vec<String> = lines[start..].iter().take(12).map(|l| l.chars().take(160).collect()).collect();
    out += &shown.join("\n      | ");
    out
}

/// The index of the first line where a and b differ.
pub fn first_diff_line(a: &[u8], b: &[u8]) -> usize {
    let n = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    a[..n].iter().filter(|&&c| c == b'\n').count()
}

/// Compares; returns a description of the first difference.
pub fn differ(remu: &Run, qemu: &Run, task: &Task, oracle: &str) -> Option<String> {
    for (i, ((ro, rs, re), (qo, qs, qe))) in remu.steps.iter().zip(&qemu.steps).enumerate() {
        let lines = |b: &[u8]| {
            let mut v: Vec<Vec<u8>> = b.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect();
            v.sort();
            v
        };
        let same = if task.unordered { lines(ro) == lines(qo) } else { ro == qo };
        if !same || rs != qs {
            return Some(format!(
                "step {} `{}`: status remu {rs} {oracle} {qs}\n    remu stdout | {}\n    {oracle} stdout | {}\n    remu stderr | {}\n    {oracle} stderr | {}",
                i + 1,
                task.steps[i].join(" "),
                show(ro, first_diff_line(ro, qo)),
                show(qo, first_diff_line(ro, qo)),
                show(re, 0),
                show(qe, 0)
            ));
        }
    }
    if remu.files != qemu.files {
        let rn: Vec<_> = remu.files.iter().map(|f| &f.0).collect();
        let qn: Vec<_> = qemu.files.iter().map(|f| &f.0).collect();
        let diff: Vec<_> = remu.files.iter().filter(|f| !qemu.files.contains(f)).map(|f| &f.0).collect();
        return Some(format!("files left differ: remu {rn:?}\n    {oracle} {qn:?}\n    differing (remu side): {diff:?}"));
    }
    None
}

/// Runs every task under remu and the oracle and fails the test on a difference that is
/// not listed as expected.
pub fn check(test: &str, subject: &Subject, tasks: Vec<Task>) {
    let test = &format!("{test}-{}", subject.arch);
    let oracle = subject.oracle.name();
    let tmp = std::env::temp_dir().join(format!("remu-3p-{test}-{}", std::process::id()));
    let (mut pass, mut xfail, mut xpass) = (0, 0, 0);
    let mut failures = Vec::new();
    for task in &tasks {
        let q = run_task(subject, true, task, &tmp.join(task.name).join("run"));
        let r = run_task(subject, false, task, &tmp.join(task.name).join("run"));
        match (differ(&r, &q, task, &oracle), task.xfail) {
            (None, None) => {
                pass += 1;
                println!("ok     {test}/{}", task.name);
            }
            (None, Some(why)) => {
                xpass += 1;
                println!("XPASS  {test}/{} (listed as expected failure: {why}; remove it from the list)", task.name);
            }
            (Some(d), Some(why)) => {
                xfail += 1;
                println!("xfail  {test}/{} ({why})\n    {d}", task.name);
            }
            (Some(d), None) => {
                println!("FAIL   {test}/{}\n    {d}", task.name);
                failures.push(task.name);
            }
        }
    }
    let _ = fs::remove_dir_all(&tmp);
    println!(
        "{test}: {pass} passed, {} failed, {xfail} expected failures, {xpass} unexpected passes",
        failures.len()
    );
    assert!(failures.is_empty(), "{test}: remu differs from {oracle} in {failures:?} (see the output above)");
}
