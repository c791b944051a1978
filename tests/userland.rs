//! A real Debian userland (riscv64 and arm64 `debootstrap --variant=minbase` trees, fetched by
//! `.ci/fetch-third-party` into `target/third-party/ARCH/rootfs`) as the guest's sysroot:
//! dynamically linked Debian programs run under `remu run -L ROOTFS`.
//!
//! - Single programs (coreutils, grep, sed, mawk, perl, tar, gzip, findutils, diffutils...)
//!   against qemu-user with the same `-L`: stdout, status and files left must be identical.
//! - CPython's own test suite, run by the guest's python3, for the OS-facing modules.
//! - Shell scripts whose children are guest programs too (`sh -c 'ls | sort | head -3'`),
//!   which qemu-user cannot run, against the host's own `/bin/sh` and programs running the
//!   same script in the same fixture.
//!
//! Without the userland or qemu-user each test prints SKIPPED and why.

mod common;

use common::tasks::*;
use std::path::PathBuf;

/// Single programs, each step's first argument the program's path inside the userland.
fn program_tasks() -> Vec<Task> {
    vec![
        c("ls-la", &["/usr/bin/ls", "-la", "sub"]),
        c("ls-lR", &["/usr/bin/ls", "-lR", "--time-style=full-iso"]),
        c("ls-sort", &["/usr/bin/ls", "-1SrF"]),
        c("sort-key", &["/usr/bin/sort", "-t", ",", "-k3,3nr", "csv.txt"]),
        c("sort-g", &["/usr/bin/sort", "-g", "nums.txt"]),
        c("sort-uniq", &["/usr/bin/sort", "-u", "words.txt"]),
        c("uniq-c", &["/usr/bin/uniq", "-c", "words.txt"]),
        c("wc", &["/usr/bin/wc", "data.txt", "big.bin", "a.txt"]),
        c("head-tail", &["/usr/bin/tail", "-n", "+3", "a.txt"]),
        c("cut", &["/usr/bin/cut", "-d", ",", "-f", "2,3", "csv.txt"]),
        c("tr", &["/usr/bin/tr", "-s", "a-z", "A-Z", "a.txt"]),
        c("od", &["/usr/bin/od", "-An", "-tx1z", "small.bin"]),
        c("sums", &["/usr/bin/md5sum", "-c", "sums"]),
        c("sha256", &["/usr/bin/sha256sum", "big.bin", "data.txt"]),
        c("sha512", &["/usr/bin/sha512sum", "big.bin"]),
        c("b2sum", &["/usr/bin/b2sum", "big.bin"]),
        c("base64", &["/usr/bin/base64", "-w", "76", "small.bin"]),
        t("split-cat", &[&["/usr/bin/split", "-b", "30000", "-d", "big.bin", "part"], &["/usr/bin/cksum", "part00", "part06"]]),
        t("gzip", &[&["/usr/bin/gzip", "-9", "-k", "-n", "big.bin"], &["/usr/bin/gzip", "-l", "big.bin.gz"], &["/usr/bin/gzip", "-t", "big.bin.gz"]]),
        t("tar", &[&["/usr/bin/tar", "--mtime=@1700000000", "--owner=0", "--group=0", "--sort=name", "-cf", "t.tar", "sub"], &["/usr/bin/tar", "-tvf", "t.tar"]]),
        c("grep", &["/usr/bin/grep", "-E", "-n", "-i", "^(apple|fig) [0-9]+", "data.txt"]),
        c("grep-r", &["/usr/bin/grep", "-rl", "z", "sub"]),
        c("sed", &["/usr/bin/sed", "-E", "s/([a-z]+) ([0-9]+)/\\2:\\1/; /^1/d; 5q", "data.txt"]),
        c("awk", &["/usr/bin/mawk", "{ s[$1] += $2 } END { for (k in s) n++; print n, s[\"apple\"], s[\"fig\"] }", "data.txt"]),
        c("awk-printf", &["/usr/bin/mawk", "BEGIN { printf \"%.6f %e %d %x\\n\", atan2(1, 1) * 4, 2 ^ 70, -7 / 2, 255 }"]),
        c("perl", &["/usr/bin/perl", "-e", "my %h; $h{$_}++ for map { (split)[0] } <>; print join(',', map { \"$_=$h{$_}\" } sort keys %h), \"\\n\"; printf \"%.10g %s\\n\", exp(1), join ' ', map { $_ ** 3 } 1..5", "data.txt"]),
        c("perl-regex", &["/usr/bin/perl", "-ne", "print \"$2-$1\\n\" if /^(\\w+) (\\d+) foo([12])/ && $3 == 2", "data.txt"]),
        c("perl-pack", &["/usr/bin/perl", "-e", "print unpack('H*', pack('NnC', 0xdeadbeef, 513, 7)), ' ', sprintf('%b', 1234), \"\\n\""]),
        c("find", &["/usr/bin/find", ".", "-name", "*.txt", "-newer", "link", "-o", "-type", "f", "-size", "+1k", "-print"]),
        c("find-printf", &["/usr/bin/find", "sub", "-printf", "%p %s %m %y\\n"]),
        c("diff", &["/usr/bin/diff", "-u", "a.txt", "b.txt"]),
        c("cmp", &["/usr/bin/cmp", "-l", "a.txt", "b.txt"]),
        c("stat", &["/usr/bin/stat", "-c", "%n %s %a %F %Y", "a.txt", "sub", "link"]),
        c("date", &["/usr/bin/date", "-u", "-d", "@1700000000", "+%Y-%m-%d %H:%M:%S %A %j %s"]),
        c("seq", &["/usr/bin/seq", "-w", "-s", ",", "1", "3", "40"]),
        c("factor", &["/usr/bin/factor", "1234567890", "600851475143", "4294967291"]),
        c("numfmt", &["/usr/bin/numfmt", "--to=iec-i", "--suffix=B", "1024", "1048576", "123456789"]),
        c("expr", &["/usr/bin/expr", "length", "hello world", "+", "3"]),
        c("printf", &["/usr/bin/printf", "%5.2f|%-6s|%#o|%q\\n", "3.14159", "ab", "8", "a b"]),
        t("dd-truncate", &[&["/usr/bin/dd", "if=big.bin", "of=c.bin", "bs=4096", "skip=3", "count=5", "status=none"], &["/usr/bin/truncate", "-s", "10000", "c.bin"]]),
        t("cp-mv-rm", &[&["/usr/bin/cp", "-a", "sub", "sub2"], &["/usr/bin/mv", "sub2/x.txt", "moved.txt"], &["/usr/bin/rm", "-r", "sub2/deeper"]]),
        t("mkdir-ln-chmod", &[&["/usr/bin/mkdir", "-p", "n/e/w"], &["/usr/bin/ln", "-s", "../../a.txt", "n/e/l"], &["/usr/bin/chmod", "-R", "go-rwx", "n"]]),
        c("readlink", &["/usr/bin/readlink", "-f", "link"]),
        c("dash", &["/usr/bin/dash", "-c", "x=5; while [ $x -gt 0 ]; do printf '%s ' $x; x=$((x - 1)); done; echo; set -- a b c; echo $# \"$2\"; case abc in a*) echo glob;; esac"]),
        c("dash-script", &["/usr/bin/dash", "script.sh", "one", "two three"]),
        c("printenv", &["/usr/bin/printenv", "TZ", "LC_ALL"]),
        // Larger programs: an interpreter, a database, compressors, a JSON processor.
        c("python", &["/usr/bin/python3", "-B", "-c", PYTHON]),
        c("python-system", &["/usr/bin/python3", "-B", "-c", PYTHON_SYSTEM]),
        c("python-script", &["/usr/bin/python3", "-B", "-S", "-c", "import sys; print(sorted(sys.argv[1:], key=len), sys.byteorder, sys.maxsize)", "ccc", "a", "bb"]),
        c("python-error", &["/usr/bin/python3", "-B", "-c", "import json; json.loads('{bad')"]),
        t("sqlite", &[&["/usr/bin/sqlite3", "db.sqlite", SQL], &["/usr/bin/sqlite3", "-csv", "-header", "db.sqlite", "SELECT name, score FROM t ORDER BY score DESC LIMIT 3"]]),
        c("jq", &["/usr/bin/jq", "-c", "[.[] | select(.n % 3 == 0) | {k: .s, sq: (.n * .n)}] | sort_by(-.sq) | .[:4]", "nums.json"]),
        t("xz", &[&["/usr/bin/xz", "-k", "-6", "big.bin"], &["/usr/bin/xz", "-l", "--robot", "big.bin.xz"], &["/usr/bin/xz", "-t", "big.bin.xz"]]),
        t("zstd", &[&["/usr/bin/zstd", "-q", "-19", "big.bin", "-o", "big.zst"], &["/usr/bin/zstd", "-q", "-d", "big.zst", "-o", "back.bin"], &["/usr/bin/cmp", "big.bin", "back.bin"]]),
        t("bzip2", &[&["/usr/bin/bzip2", "-k", "-9", "data.txt"], &["/usr/bin/bzip2", "-t", "-v", "data.txt.bz2"]]),
        c("file", &["/usr/bin/file", "-m", "/usr/lib/file/magic.mgc", "a.txt", "small.bin", "big.bin", "sub", "link", "nums.json"]),
        c("bc", &["/usr/bin/bc", "-l", "calc.bc"]),
    ]
}

const PYTHON: &str = r#"
import collections, decimal, fractions, hashlib, json, math, re, struct, zlib
words = open("data.txt").read().split()
print(collections.Counter(w for w in words if w.isalpha()).most_common(3))
print(hashlib.sha256(open("big.bin", "rb").read()).hexdigest(), zlib.crc32(b"remu"))
print(math.pi, math.e ** 0.5, 1 / 3, 2 ** 100, -7 // 2, divmod(-7, 2), float("1e308") * 10)
decimal.getcontext().prec = 40
print(decimal.Decimal(2).sqrt(), fractions.Fraction(3, 7) + fractions.Fraction(1, 14))
print(struct.pack("<dIh", 1.5, 7, -2).hex(), re.sub(r"(\w+) (\d+)", r"=", "fig 7 pear 12"))
print(json.dumps({"k": [1, 2.25, None, True, "é"]}, sort_keys=True))
print(sorted({x * x % 17 for x in range(100)}), sum(range(10**6)))
"#;

/// asyncio over loopback TCP (epoll), a thread pool, a child process, a socketpair, an
/// interval timer's signal, fork/waitpid and a multiprocessing pool.
const PYTHON_SYSTEM: &str = r#"
import asyncio, os, signal, socket, subprocess, tempfile, time
import concurrent.futures as cf, multiprocessing as mp
async def handle(r, w):
    w.write((await r.read(100)).upper()); await w.drain(); w.close()
async def main():
    srv = await asyncio.start_server(handle, "127.0.0.1", 0)
    r, w = await asyncio.open_connection("127.0.0.1", srv.sockets[0].getsockname()[1])
    w.write(b"hello async"); await w.drain()
    print(await r.read(100)); w.close(); srv.close()
asyncio.run(main())
with cf.ThreadPoolExecutor(4) as ex: print(sum(ex.map(lambda x: x * x, range(1000))))
print(subprocess.run(["sh", "-c", "echo child $((6*7))"], capture_output=True, text=True).stdout.strip())
a, b = socket.socketpair(); a.send(b"sp"); print(b.recv(10))
signal.signal(signal.SIGALRM, lambda *a: print("alarm")); signal.setitimer(signal.ITIMER_REAL, 0.05); time.sleep(0.3)
with tempfile.TemporaryDirectory() as d:
    p = os.path.join(d, "f"); open(p, "w").write("x" * 1000); print(os.stat(p).st_size, os.listdir(d))
pid = os.fork()
if pid == 0: os._exit(7)
print(os.waitpid(pid, 0)[1] >> 8)
if __name__ == "__main__":
    with mp.Pool(2) as pool: print(pool.map(abs, [-1, -2, 3]))
"#;

const SQL: &str = "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL); \
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) \
    INSERT INTO t(name, score) SELECT 'row' || i, (i * 37 % 101) / 3.0 FROM n; \
    CREATE INDEX ts ON t(score); \
    SELECT count(*), round(avg(score), 4), max(name), sum(id * id) FROM t;";

fn programs(arch: &'static str) {
    let test = format!("userland-{arch}");
    let (Some(root), Some(qemu)) = (userland(arch, &test), qemu_for(arch, &test)) else { return };
    let s = Subject { arch, prog: None, sysroot: Some(root), oracle: Oracle::Qemu(qemu) };
    check("userland", &s, program_tasks());
}

#[test]
fn userland_programs_riscv64() {
    programs("riscv64");
}

#[test]
fn userland_programs_aarch64() {
    programs("aarch64");
}

/// Shell scripts: the guest's dash runs guest children (pipelines, command substitution,
/// background jobs, xargs, find -exec); the host's dash and programs are the oracle.
fn script_tasks() -> Vec<Task> {
    let sh = |name: &'static str, script: &'static str| c(name, &["-c", script]);
    vec![
        sh("ls-sort-head", "ls | sort | head -3"),
        sh("pipeline", "printf 'b\\na\\nc\\n' | sort -r | tr a-z A-Z | paste -sd, -"),
        sh("xargs", "find . -type f -name '*.txt' | sort | xargs wc -l | tail -1"),
        sh("find-exec", "find sub -type f -exec cat {} + | sort"),
        sh("cmdsubst", "n=$(grep -c apple data.txt); echo \"apples: $n, words: $(wc -w < data.txt)\""),
        sh("loop", "for f in *.txt; do echo \"$f $(wc -c < \"$f\")\"; done"),
        sh("background", "(sleep 0.2; echo late) & echo early; wait; echo done"),
        sh("status", "sh -c 'exit 3'; echo $?; false | true; echo $?; ! grep -q nothing a.txt && echo negated"),
        sh("heredoc", "cat <<EOF | sed 's/^/> /'\nline one\n$(echo two)\nEOF"),
        sh("redirects", "ls nothing 2>err.txt; echo rc=$?; wc -l < err.txt; sort data.txt > sorted.txt && head -2 sorted.txt"),
        sh("subshells", "(cd sub && ls) ; pwd | sed 's#.*/##'; echo $(( $(seq 1 100 | paste -sd+ -) ))"),
        sh("tar-gzip-pipe", "tar --sort=name --mtime=@0 --owner=0 --group=0 -cf - sub | gzip -n | gzip -dc | tar -tvf -"),
        sh("sum-check", "sha256sum a.txt b.txt > s.txt && sha256sum -c s.txt"),
        sh("awk-sort-uniq", "awk '{print $1}' data.txt | sort | uniq -c | sort -k1,1nr -k2 | head -4"),
        sh("perl-child", "perl -e 'print qq(from perl\\n); system(q(echo from its child)); exit 4'; echo rc=$?"),
        c("script-file", &["script.sh", "a", "b c"]),
    ]
}

fn scripts(arch: &'static str) {
    let test = format!("userland-sh-{arch}");
    let Some(root) = userland(arch, &test) else { return };
    let s = Subject {
        arch,
        prog: Some(root.join("usr/bin/dash")),
        sysroot: Some(root),
        oracle: Oracle::Host(PathBuf::from("/bin/sh")),
    };
    check("userland-sh", &s, script_tasks());
}

#[test]
fn userland_shell_scripts_riscv64() {
    scripts("riscv64");
}

#[test]
fn userland_shell_scripts_aarch64() {
    scripts("aarch64");
}

/// What the guest sees of itself through the shell: its machine, and that its children run
/// as guests of the same architecture.
fn guest_view(arch: &'static str) {
    let Some(root) = userland(arch, &format!("userland-view-{arch}")) else { return };
    let out = common::run_with_timeout(
        std::process::Command::new(env!("CARGO_BIN_EXE_remu"))
            .arg("run")
            .arg("-L")
            .arg(&root)
            .arg(root.join("usr/bin/dash"))
            .args(["-c", "uname -m; dpkg --print-architecture; perl -MConfig -e 'print $Config{archname}, qq(\\n)'"]),
        LIMIT,
    );
    assert_eq!(common::status(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let deb = if arch == "aarch64" { "arm64" } else { arch };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0], arch);
    assert_eq!(lines[1], deb);
    assert!(lines[2].starts_with(&format!("{arch}-linux")), "{text}");

    // /proc/self/maps names the program's and the dynamic linker's pages by their files,
    // with the kernel's offsets: the first mapping of each is at offset 0 and executable
    // or read-only, and a later one carries a nonzero file offset.
    let out = common::run_with_timeout(
        std::process::Command::new(env!("CARGO_BIN_EXE_remu")).arg("run").arg("-L").arg(&root).arg(root.join("usr/bin/cat")).arg("/proc/self/maps"),
        LIMIT,
    );
    let maps = String::from_utf8_lossy(&out.stdout).into_owned();
    for file in ["usr/bin/cat", "/ld-linux-"] {
        let lines: Vec<&str> = maps.lines().filter(|l| l.contains(file)).collect();
        assert!(lines.len() >= 2, "{file} in maps:\n{maps}");
        assert!(lines[0].split_whitespace().nth(2) == Some("00000000"), "{file}: {}", lines[0]);
        assert!(lines.iter().any(|l| l.split_whitespace().nth(2) != Some("00000000")), "{file}:\n{maps}");
        assert!(lines.iter().all(|l| l.split_whitespace().nth(4) != Some("0")), "{file} has an inode:\n{maps}");
    }
    assert!(maps.lines().any(|l| l.ends_with("[stack]")), "{maps}");

    // /proc/self/exe is a link to the guest program: lstat sees the link, stat the program.
    let out = common::run_with_timeout(
        std::process::Command::new(env!("CARGO_BIN_EXE_remu")).arg("run").arg("-L").arg(&root).arg(root.join("usr/bin/ls")).args(["-l", "/proc/self/exe"]),
        LIMIT,
    );
    let ls = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(ls.starts_with("lrwx") && ls.trim_end().ends_with("usr/bin/ls"), "{ls}");

    // The process is named after the program, as the kernel names it (what ps and pkill
    // see): a guest `cat` reading its own comm and status says "cat", and a shell's child
    // is named after the child.
    let out = common::run_with_timeout(
        std::process::Command::new(env!("CARGO_BIN_EXE_remu"))
            .arg("run")
            .arg("-L")
            .arg(&root)
            .arg(root.join("usr/bin/dash"))
            .args(["-c", "cat /proc/self/comm; grep '^Name:' /proc/self/status; read pid name rest < /proc/self/stat; echo $name"]),
        LIMIT,
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "cat\nName:\tgrep\n(dash)\n", "{}", String::from_utf8_lossy(&out.stderr));

    // Started with stdin closed, the guest finds it closed, and no descriptor of remu's
    // among its own: `ls /proc/self/fd` lists what the host's own ls lists.
    let listing = |cmd: String| {
        let out = common::run_with_timeout(std::process::Command::new("/bin/sh").args(["-c", &format!("exec 0<&-; {cmd}")]), LIMIT);
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let native = listing("ls /proc/self/fd".into());
    let guest = listing(format!("'{}' run -L '{}' '{}' /proc/self/fd", env!("CARGO_BIN_EXE_remu"), root.display(), root.join("usr/bin/ls").display()));
    assert!(native.starts_with("0\n1\n"), "{native}");
    assert_eq!(guest, native);
}

#[test]
fn guest_view_riscv64() {
    guest_view("riscv64");
}

#[test]
fn guest_view_aarch64() {
    guest_view("aarch64");
}

/// Operating-system services through a real program, where qemu-user is no oracle (it has
/// no pseudo-terminals): python3's ctypes with a C callback into Python (libffi closures),
/// anonymous and file mmap, a pty child, Unix sockets passing a descriptor (SCM_RIGHTS),
/// SO_PEERCRED, a signal handler with threads running, epoll, rlimits, errno.
const PYTHON_OS: &str = r#"
import ctypes, ctypes.util, mmap, os, pty, fcntl, termios, resource, select, socket, struct, threading, signal, time, sys, errno, array, zlib, hashlib, random, tty
libc = ctypes.CDLL(None)
print("getpid ok", libc.getpid() == os.getpid())
CMP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))
arr = (ctypes.c_int * 6)(5, 3, 9, 1, 7, 2)
libc.qsort(arr, 6, 4, CMP(lambda a, b: a[0] - b[0]))
print("qsort via ctypes callback", list(arr))
m = mmap.mmap(-1, 8192); m[:5] = b"hello"; m.seek(0); print(m.read(5)); m.close()
with open("mm.bin", "wb") as f: f.write(b"x" * 10000)
with open("mm.bin", "r+b") as f:
    mm = mmap.mmap(f.fileno(), 0); mm[0:3] = b"abc"; mm.flush(); mm.close()
print(open("mm.bin", "rb").read(4))
pid, fd = pty.fork()
if pid == 0:
    print("in pty child", os.isatty(0)); sys.stdout.flush(); os._exit(3)
out = b""
while True:
    try: d = os.read(fd, 100)
    except OSError: break
    if not d: break
    out += d
print(out.strip(), os.waitpid(pid, 0)[1] >> 8)
print("rlimit nofile", resource.getrlimit(resource.RLIMIT_NOFILE)[0] > 0)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); p = "t2.sock"
try: os.unlink(p)
except FileNotFoundError: pass
s.bind(p); s.listen(1)
c = socket.socket(socket.AF_UNIX); c.connect(p); a, _ = s.accept()
r, w = os.pipe(); c.sendmsg([b"fd"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i", w))])
msg, anc, flags, addr = a.recvmsg(10, socket.CMSG_SPACE(4))
nfd = struct.unpack("i", anc[0][2][:4])[0]; os.write(nfd, b"via passed fd"); print(msg, os.read(r, 100))
print("SO_RCVBUF", a.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) > 0, "peercred pid ok", struct.unpack("3i", a.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[0] == os.getpid())
ev = threading.Event(); got = []
signal.signal(signal.SIGUSR1, lambda *x: got.append(threading.current_thread().name))
t = threading.Thread(target=lambda: (ev.wait(), None)); t.start()
os.kill(os.getpid(), signal.SIGUSR1); time.sleep(0.05); ev.set(); t.join(); print("handler ran in", got)
ep = select.epoll(); rr, ww = os.pipe(); ep.register(rr, select.EPOLLIN); os.write(ww, b"z"); print("epoll", ep.poll(1) == [(rr, select.EPOLLIN)])
print(zlib.compress(b"a" * 1000)[:6].hex(), hashlib.blake2b(b"x").hexdigest()[:8], random.Random(1).random())
try: os.open("/nonexistent/x", os.O_RDONLY)
except OSError as e: print("errno", errno.errorcode[e.errno])
print("cpu_count", os.cpu_count() >= 1, "uname", os.uname().machine)
"#;

const PYTHON_OS_EXPECTED: &str = "getpid ok True
qsort via ctypes callback [1, 2, 3, 5, 7, 9]
b'hello'
b'abcx'
b'in pty child True' 3
rlimit nofile True
b'fd' b'via passed fd'
SO_RCVBUF True peercred pid ok True
handler ran in ['MainThread']
epoll True
789c4b4c1c05 0909377a 0.13436424411240122
errno ENOENT
cpu_count True uname {arch}
";

fn os_services(arch: &'static str) {
    let Some(root) = userland(arch, &format!("userland-os-{arch}")) else { return };
    let dir = std::env::temp_dir().join(format!("remu-userland-os-{arch}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = common::run_with_timeout(
        std::process::Command::new(env!("CARGO_BIN_EXE_remu"))
            .current_dir(&dir)
            .arg("run")
            .arg("-L")
            .arg(&root)
            .arg(root.join("usr/bin/python3"))
            .args(["-B", "-c", PYTHON_OS]),
        LIMIT,
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        (common::status(&out), String::from_utf8_lossy(&out.stdout).into_owned()),
        (0, PYTHON_OS_EXPECTED.replace("{arch}", arch)),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn python_os_services_riscv64() {
    os_services("riscv64");
}

#[test]
fn python_os_services_aarch64() {
    os_services("aarch64");
}

/// CPython's own tests (Debian's libpython3.N-testsuite, fetched into the userland) run
/// by the guest's python3 under remu: the OS-facing modules whole, and the tests of
/// subprocess and socket that depend on vfork and on interface ioctls. CPython checks the
/// kernel's behaviour itself here, so this needs no oracle: every test must pass.
fn cpython_tests(arch: &'static str) {
    let Some(root) = userland(arch, &format!("cpython-tests-{arch}")) else { return };
    let Some(py) = std::fs::read_dir(root.join("usr/lib")).ok().and_then(|d| {
        d.flatten().map(|e| e.path()).find(|p| p.join("test/test_posix.py").is_file())
    }) else {
        println!("SKIPPED: CPython's test suite is not in the {arch} userland (bash .ci/fetch-third-party)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("remu-cpython-{arch}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let runs: [&[&str]; 2] = [
        &["test_posix", "test_termios", "test_pty", "test_fcntl", "test_select", "test_poll", "test_epoll", "test_mmap", "test_resource", "test_stat", "test_sched"],
        &[
            "test_subprocess",
            "test_socket",
            "-m",
            "test_exception_bad_*",
            "-m",
            "test_file_not_found_includes_filename",
            "-m",
            "test_cwd_with_relative_*",
            "-m",
            "testInterfaceNameIndex",
            "-m",
            "test_get*info_ipv6_scopeid_symbolic",
        ],
    ];
    for args in runs {
        let out = common::run_with_timeout(
            std::process::Command::new(env!("CARGO_BIN_EXE_remu"))
                .current_dir(&dir)
                .arg("run")
                .arg("-L")
                .arg(&root)
                .arg(root.join("usr/bin/python3"))
                .args(["-B", "-m", "test"])
                .args(args),
            std::time::Duration::from_secs(600),
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        let ran: u32 = text.split("Total tests: run=").nth(1).and_then(|t| t.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()).unwrap_or(0);
        assert!(
            common::status(&out) == 0 && text.contains("Result: SUCCESS") && ran >= 10,
            "{arch} {}: python3 -m test {}:\n{text}",
            py.display(),
            args.join(" ")
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cpython_tests_riscv64() {
    cpython_tests("riscv64");
}

#[test]
fn cpython_tests_aarch64() {
    cpython_tests("aarch64");
}
