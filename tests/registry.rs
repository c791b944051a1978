//! Real third-party programs as published on the package registries for linux-riscv64 and
//! linux-arm64, doing real jobs under remu, under qemu-user and natively (the x86-64 build
//! of the same version): stdout, exit status and the files each run leaves must be the same
//! for all three.
//!
//! - ruff (PyPI wheel): a Rust program dynamically linked against glibc, multi-threaded,
//!   run with the Debian cross sysroot as the guest's libraries; it lints, formats and fixes
//!   the small Python package in `tests/data/registry/py`.
//! - esbuild (npm package): a Go program, statically linked, with Go's runtime (goroutines on
//!   several threads, preemption signals, its own signal handlers); it bundles and minifies a
//!   generated TypeScript project of a few hundred modules.
//!
//! The programs are not in the repository: `.ci/fetch-registry` downloads pinned versions
//! into `target/registry/`. Without them, without qemu-user or without the sysroot, each
//! test prints SKIPPED and why.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(300);

/// How a program was run.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Runner {
    Remu,
    Qemu,
    Native,
}

/// What one run produced: per step stdout and status, then every file left in its directory.
#[derive(PartialEq)]
struct Run {
    steps: Vec<(Vec<u8>, i32)>,
    stderr: Vec<Vec<u8>>,
    files: Vec<(String, Vec<u8>)>,
}

fn registry() -> PathBuf {
    common::root().join("target/registry")
}

/// The guest programs for `arch` (riscv64, aarch64) and the native one, with qemu; or None
/// after saying why the test is skipped.
fn programs(name: &str, arch: &str, needs_sysroot: bool) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let guest = registry().join(format!("{name}-{arch}")).join(name);
    let native = registry().join(format!("{name}-x86_64")).join(name);
    for p in [&guest, &native] {
        if !p.is_file() {
            let why = fs::read_to_string(registry().join("FAILED")).unwrap_or_else(|_| "not fetched".into());
            println!("SKIPPED: {name} ({arch}): {} missing: {} (run .ci/fetch-registry)", p.display(), why.trim());
            return None;
        }
    }
    let Some(qemu) = common::qemu(arch) else {
        println!("SKIPPED: {name} ({arch}): qemu-{arch} not installed (apt-get install qemu-user)");
        return None;
    };
    if needs_sysroot {
        let sysroot = sysroot(arch);
        if !sysroot.join("lib").is_dir() {
            println!("SKIPPED: {name} ({arch}): the sysroot {} is not installed (see .ci/run)", sysroot.display());
            return None;
        }
    }
    Some((guest, native, qemu))
}

fn sysroot(arch: &str) -> PathBuf {
    PathBuf::from(format!("/usr/{arch}-linux-gnu"))
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, p: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = fs::read_dir(p).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        for e in entries {
            let rel = e.strip_prefix(root).unwrap().display().to_string();
            if e.is_dir() {
                out.push((rel + "/", Vec::new()));
                walk(root, &e, out);
            } else {
                out.push((rel, fs::read(&e).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// Runs `steps` (argument lists) one after another in a fresh copy of `input`, made by
/// `prepare`, and snapshots the directory afterwards.
fn run(runner: Runner, arch: &str, prog: &Path, qemu: &Path, work: &Path, prepare: &dyn Fn(&Path), steps: &[Vec<String>]) -> Run {
    let _ = fs::remove_dir_all(work);
    fs::create_dir_all(work).unwrap();
    prepare(work);
    let mut out = Run { steps: Vec::new(), stderr: Vec::new(), files: Vec::new() };
    for args in steps {
        let mut cmd = match runner {
            Runner::Remu => {
                let mut c = Command::new(env!("CARGO_BIN_EXE_remu"));
                c.arg("run").arg(prog);
                c
            }
            Runner::Qemu => {
                let mut c = Command::new(qemu);
                c.env("QEMU_LD_PREFIX", sysroot(arch)).arg(prog);
                c
            }
            Runner::Native => Command::new(prog),
        };
        cmd.args(args).current_dir(work).env_remove("RUST_LOG").env("NO_COLOR", "1");
        let o = common::run_with_timeout(&mut cmd, LIMIT);
        let status = common::status(&o);
        out.steps.push((o.stdout, status));
        out.stderr.push(o.stderr);
    }
    out.files = snapshot(work);
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Where two runs first differ, for the failure message.
fn difference(a: &Run, b: &Run, steps: &[Vec<String>]) -> String {
    for (i, (x, y)) in a.steps.iter().zip(&b.steps).enumerate() {
        if x != y {
            return format!(
                "step `{}`: status {} vs {}\n--- stdout ---\n{}\n--- other stdout ---\n{}\n--- stderr ---\n{}\n--- other stderr ---\n{}",
                steps[i].join(" "),
                x.1,
                y.1,
                text(&x.0),
                text(&y.0),
                text(&a.stderr[i]),
                text(&b.stderr[i])
            );
        }
    }
    let names = |r: &Run| r.files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    let differing: Vec<_> = a.files.iter().filter(|f| !b.files.contains(f)).map(|f| f.0.clone()).collect();
    format!("files differ: {:?}\nvs {:?}\ndiffering: {differing:?}", names(a), names(b))
}

/// Runs the job under remu, qemu and natively and requires all three to agree; returns
/// remu's run for the job's own checks.
fn job(name: &str, arch: &str, needs_sysroot: bool, prepare: &dyn Fn(&Path), steps: &[&[&str]]) -> Option<Run> {
    let (guest, native, qemu) = programs(name, arch, needs_sysroot)?;
    let steps: Vec<Vec<String>> = steps.iter().map(|s| s.iter().map(|a| a.to_string()).collect()).collect();
    let base = std::env::temp_dir().join(format!("remu-registry-{name}-{arch}-{}", std::process::id()));
    let remu = run(Runner::Remu, arch, &guest, &qemu, &base.join("remu"), prepare, &steps);
    let theirs = run(Runner::Qemu, arch, &guest, &qemu, &base.join("qemu"), prepare, &steps);
    let host = run(Runner::Native, arch, &native, &qemu, &base.join("native"), prepare, &steps);
    let _ = fs::remove_dir_all(&base);
    assert!(remu == theirs, "{name} ({arch}): remu and qemu-{arch} differ: {}", difference(&remu, &theirs, &steps));
    assert!(remu == host, "{name} ({arch}): remu and the native x86-64 build differ: {}", difference(&remu, &host, &steps));
    println!("ok: {name} ({arch}): {} steps, {} files identical under remu, qemu-{arch} and natively", steps.len(), remu.files.len());
    Some(remu)
}

// ---------------------------------------------------------------------------------------
// ruff

fn python_package(dir: &Path) {
    copy_tree(&common::root().join("tests/data/registry/py"), dir);
}

fn ruff(arch: &str) {
    let steps: &[&[&str]] = &[
        &["--version"],
        &["check", "--no-cache", "--output-format", "concise", "."],
        &["check", "--no-cache", "--statistics", "."],
        &["format", "--no-cache", "--diff", "."],
        &["rule", "B006"],
        // The last two change the files: the snapshot afterwards holds ruff's edits.
        &["check", "--no-cache", "--fix", "--output-format", "concise", "."],
        &["format", "--no-cache", "."],
    ];
    let Some(r) = job("ruff", arch, true, &python_package, steps) else { return };
    // ruff really linted: the package has mistakes of several kinds, found and counted.
    assert_eq!(r.steps[1].1, 1, "ruff check finds problems");
    let report = text(&r.steps[1].0);
    for code in ["F401", "E711", "B006", "E722"] {
        assert!(report.contains(code), "ruff check reports {code}:\n{report}");
    }
    assert!(text(&r.steps[3].0).contains("+++ "), "ruff format --diff shows a diff");
    let fixed = r.files.iter().find(|f| f.0 == "inventory.py").expect("inventory.py is still there");
    assert!(!text(&fixed.1).contains("import os, sys"), "ruff --fix removed the unused imports");
}

#[test]
fn ruff_riscv64() {
    ruff("riscv64");
}

#[test]
fn ruff_aarch64() {
    ruff("aarch64");
}

// ---------------------------------------------------------------------------------------
// esbuild

/// A TypeScript project: `MODULES` modules in a chain of imports, each with a class, an
/// enum, generics and template strings, and an entry point that uses them all.
const MODULES: usize = 400;

fn typescript_project(dir: &Path) {
    let src = dir.join("src");
    fs::create_dir_all(&src).unwrap();
    for i in 0..MODULES {
        let mut m = String::new();
        if i > 0 {
            writeln!(m, "import {{ Shape{p}, area{p}, Kind{p} }} from \"./m{p}\";", p = i - 1).unwrap();
        }
        writeln!(m, "export enum Kind{i} {{ Small = {i}, Large = {} }}", i * 3 + 1).unwrap();
        writeln!(m, "export interface Sized{i}<T> {{ size: T; label?: string }}").unwrap();
        writeln!(m, "export class Shape{i} implements Sized{i}<number> {{").unwrap();
        writeln!(m, "  constructor(public size: number, private readonly tag: string = `shape-{i}`) {{}}").unwrap();
        writeln!(m, "  describe(): string {{ return `${{this.tag}}:${{this.size.toFixed(2)}}`; }}").unwrap();
        writeln!(m, "  static of(n: number): Shape{i} {{ return new Shape{i}(n * {} / 7); }}", i + 1).unwrap();
        writeln!(m, "}}").unwrap();
        writeln!(m, "export function area{i}(xs: readonly number[]): number {{").unwrap();
        if i > 0 {
            writeln!(m, "  const prev = area{}(xs.slice(0, 3)) + Shape{}.of(Kind{}.Large).size;", i - 1, i - 1, i - 1).unwrap();
        } else {
            writeln!(m, "  const prev = 0;").unwrap();
        }
        writeln!(m, "  return xs.reduce((a, x, j) => a + x * (j % {} + 1), prev) / {};", i % 5 + 1, i + 2).unwrap();
        writeln!(m, "}}").unwrap();
        writeln!(m, "export const unused{i} = () => \"this export is tree-shaken away in module {i}\";").unwrap();
        fs::write(src.join(format!("m{i}.ts")), m).unwrap();
    }
    let last = MODULES - 1;
    let entry = format!(
        "import {{ area{last}, Shape{last}, Kind{last} }} from \"./m{last}\";\n\
         const s = Shape{last}.of(Kind{last}.Small);\n\
         console.log(s.describe(), area{last}([1, 2, 3, 4, 5]).toFixed(6));\n"
    );
    fs::write(src.join("main.ts"), entry).unwrap();
}

fn esbuild(arch: &str) {
    let steps: &[&[&str]] = &[
        &["--version"],
        &["src/main.ts", "--bundle", "--minify", "--sourcemap", "--target=es2017", "--outfile=out/min.js", "--log-level=warning"],
        &["src/main.ts", "--bundle", "--format=esm", "--platform=node", "--outfile=out/esm.mjs", "--log-level=warning"],
        &["src/m7.ts", "src/m123.ts", "--outdir=out/each", "--log-level=warning"],
        &["src/missing.ts", "--bundle", "--log-level=error"],
    ];
    let Some(r) = job("esbuild", arch, false, &typescript_project, steps) else { return };
    assert_eq!(r.steps[1].1, 0);
    let min = r.files.iter().find(|f| f.0 == "out/min.js").expect("esbuild wrote out/min.js");
    let min = text(&min.1);
    assert!(min.contains("shape-399") && !min.contains("tree-shaken away"), "the bundle has the classes and no unused exports");
    assert!(r.files.iter().any(|f| f.0 == "out/min.js.map"), "a source map was written");
    assert_ne!(r.steps[4].1, 0, "a missing entry point is an error");
}

#[test]
fn esbuild_riscv64() {
    esbuild("riscv64");
}

#[test]
fn esbuild_aarch64() {
    esbuild("aarch64");
}
