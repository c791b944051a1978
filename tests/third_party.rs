//! Real third-party riscv64 and arm64 programs (Debian's statically linked busybox, bash, zsh
//! and sash), each running a set of ordinary tasks under remu and under qemu-user: stdout,
//! exit status and the files left in the working directory must be identical.
//!
//! The programs are not in the repository: `.ci/fetch-third-party` downloads them into
//! `target/third-party/ARCH/root`. Without them (or without qemu-user) each test prints
//! SKIPPED and passes.
//!
//! Tasks that need a feature remu does not have yet, tasks where
//! qemu-user is no oracle, and known bugs (reason starting with `BUG:`), are listed with `x(.., REASON)`: a mismatch
//! there is reported as `xfail` but does not fail the test, and a match is reported as XPASS
//! so the list can be shrunk.

mod common;

use common::tasks::*;

// ---------------------------------------------------------------------------------------
// The tasks.

fn busybox_tasks() -> Vec<Task> {
    let tasks = vec![
        c("echo", &["echo", "hello", "world"]),
        c("echo-e", &["echo", "-e", "a\\tb\\x41\\n\\0101"]),
        c("ls-la", &["ls", "-la", "sub"]),
        c("ls-la-dot", &["ls", "-la"]),
        c("ls-R", &["ls", "-1R"]),
        c("ls-full-time", &["ls", "-l", "--full-time", "-n", "a.txt", "sub"]),
        c("cat-n", &["cat", "-n", "a.txt", "b.txt"]),
        c("sort", &["sort", "data.txt"]),
        c("sort-rn", &["sort", "-rn", "nums.txt"]),
        c("sort-g", &["sort", "-g", "nums.txt"]),
        c("sort-key", &["sort", "-t", ",", "-k3,3nr", "csv.txt"]),
        c("sort-u", &["sort", "-u", "words.txt"]),
        c("uniq-c", &["uniq", "-c", "words.txt"]),
        c("wc", &["wc", "data.txt", "big.bin", "a.txt"]),
        c("wc-l", &["wc", "-l", "data.txt"]),
        c("sha256sum", &["sha256sum", "big.bin", "data.txt"]),
        c("md5sum", &["md5sum", "big.bin", "small.bin"]),
        c("sha1sum", &["sha1sum", "big.bin"]),
        c("sha512sum", &["sha512sum", "big.bin"]),
        c("sha3sum", &["sha3sum", "big.bin"]),
        c("cksum", &["cksum", "big.bin"]),
        c("crc32", &["crc32", "big.bin"]),
        c("md5sum-c", &["md5sum", "-c", "sums"]),
        c("sed", &["sed", "-e", "s/foo/FOO/g", "-e", "/apple/d", "data.txt"]),
        c("sed-n", &["sed", "-n", "2,5p;$=", "a.txt"]),
        c("sed-E", &["sed", "-E", "s/([a-z]+) ([0-9]+)/\\2:\\1/", "data.txt"]),
        c("sed-i", &["sed", "-i", "s/o/0/g", "a.txt"]),
        c("awk-sum", &["awk", "{ s += $1 } END { printf \"%.4f %d\\n\", s, NR }", "nums.txt"]),
        c("awk-fields", &["awk", "-F,", "NR > 1 { print $2, $3 * 2, NF, length($2) }", "csv.txt"]),
        c("awk-math", &["awk", "BEGIN { printf \"%.10f %.6g %.6g %.6g %.6g %d\\n\", atan2(1,1)*4, sin(1), exp(2), log(10), sqrt(2), int(-3.7) }"]),
        c("awk-arrays", &["awk", "{ c[$1]++ } END { n = 0; for (k in c) n++; print n; print c[\"apple\"], c[\"fig\"] }", "data.txt"]),
        c("awk-strings", &["awk", "{ print toupper(substr($1, 1, 3)), index($0, \"Bar\"), sprintf(\"%05x\", $2) ; n = split($0, a, \"o\"); print n, a[1] }", "data.txt"]),
        c("awk-loop", &["awk", "BEGIN { for (i = 0; i < 100000; i++) s += i * i % 7; print s }"]),
        c("awk-rand", &["awk", "BEGIN { srand(1); print int(rand() * 1000000) }"]),
        c("grep-E", &["grep", "-E", "ap+le|ch.rry", "data.txt"]),
        c("grep-cvin", &["grep", "-c", "-v", "-i", "BAR", "data.txt"]),
        c("grep-n", &["grep", "-n", "-i", "^FIG", "data.txt"]),
        c("grep-r", &["grep", "-r", "-l", "z", "sub"]),
        c("grep-nomatch", &["grep", "nothing-here", "data.txt"]),
        c("grep-o", &["grep", "-o", "-E", "[0-9]+", "a.txt", "csv.txt"]),
        c("tr", &["sh", "-c", "exec tr a-z A-Z < a.txt"]),
        c("cut", &["cut", "-d,", "-f2,3", "csv.txt"]),
        c("cut-c", &["cut", "-c1-4", "data.txt"]),
        t("expr", &[&["expr", "6", "*", "7"], &["expr", "length", "hello"], &["expr", "abc123", ":", "[a-z]*\\([0-9]*\\)"], &["expr", "3", ">", "5"]]),
        c("seq", &["seq", "1", "10"]),
        c("seq-s", &["seq", "-s,", "0", "7", "100"]),
        c("seq-float", &["seq", "1.5", "0.25", "3"]),
        c("seq-w", &["seq", "-w", "8", "11"]),
        c("printf", &["printf", "%5.2f|%-5s|%x|%o|%e|%c|%5d|%%\\n", "3.14159", "ab", "255", "8", "12345.678", "zeta", "-42"]),
        c("date-epoch", &["date", "-d", "@0", "-u"]),
        c("date-format", &["date", "-u", "-d", "@1700000000", "+%Y-%m-%d %H:%M:%S %a %b %j %s %Z"]),
        c("date-parse", &["date", "-u", "-d", "2024-02-29 12:34:56", "+%s %A"]),
        t("gzip-roundtrip", &[&["gzip", "-9", "-k", "big.bin"], &["gzip", "-t", "big.bin.gz"], &["rm", "big.bin"], &["gunzip", "big.bin.gz"], &["md5sum", "big.bin"]]),
        c("gzip-stdout", &["gzip", "-c", "-n", "data.txt"]),
        t("bzip2-roundtrip", &[&["bzip2", "-k", "big.bin"], &["bunzip2", "-c", "big.bin.bz2"]]),
        t("tar", &[&["tar", "-cf", "t.tar", "sub", "a.txt"], &["tar", "-tvf", "t.tar"], &["mkdir", "out"], &["tar", "-xf", "t.tar", "-C", "out"], &["ls", "-lR", "out"]]),
        t("tar-z", &[&["tar", "-czf", "t.tgz", "sub"], &["tar", "-tzvf", "t.tgz"]]),
        c("find", &["find", ".", "-name", "*.txt"]),
        c("find-type", &["find", "sub", "-type", "f", "-size", "-2"]),
        c("find-maxdepth", &["find", ".", "-maxdepth", "1", "-type", "d"]),
        // cat is a NOFORK applet: find runs it in-process.
        x("find-exec", &["find", "sub", "-name", "*.txt", "-exec", "cat", "{}", ";"], QEMU_NO_EXEC),
        c("stat-c", &["stat", "-c", "%n %s %a %F %Y %h", "a.txt", "sub", "link", "emptydir"]),
        c("stat-L", &["stat", "-L", "-c", "%n %s %F", "link"]),
        c("od", &["od", "-A", "x", "-t", "x1z", "small.bin"]),
        c("od-c", &["od", "-c", "small.bin"]),
        c("hexdump-C", &["hexdump", "-C", "small.bin"]),
        c("xxd", &["xxd", "small.bin"]),
        c("base64", &["base64", "small.bin"]),
        t("basename-dirname", &[&["basename", "/a/b/c.txt", ".txt"], &["dirname", "/a/b/c.txt"], &["dirname", "c"]]),
        c("factor", &["factor", "1234567890", "600851475143", "18446744073709551557", "97"]),
        c("bc", &["bc", "-l", "calc.bc"]),
        c("dc", &["dc", "-e", "2 64 ^ p 7 3 / p 20 k 1 3 / p"]),
        c("sh-for", &["sh", "-c", "for i in 1 2 3; do echo $i; done"]),
        c("sh-arith", &["sh", "-c", "i=0; s=0; while [ $i -lt 1000 ]; do s=$((s + i * i)); i=$((i + 1)); done; echo $s $((7 / 2)) $((-7 % 3)) $((1 << 40))"]),
        c("sh-strings", &["sh", "-c", "x=/usr/lib/file.tar.gz; echo ${x##*/} ${x%.*} ${x#*/} ${#x} ${y:-default}; case $x in *.gz) echo gz;; *) echo other;; esac"]),
        c("sh-functions", &["sh", "-c", "f() { local a=$1; echo \"f:$a:$#\"; return 5; }; f one two; echo rc=$?; set -- a 'b c'; echo $# \"$2\""]),
        c("sh-read", &["sh", "-c", "n=0; while read w rest; do n=$((n+1)); [ $n -le 3 ] && echo \"[$w]\"; done < data.txt; echo $n"]),
        c("sh-redirect", &["sh", "-c", "echo one > o.txt; echo two >> o.txt; printf '%s\\n' three >> o.txt; read l < o.txt; echo $l"]),
        c("sh-test", &["sh", "-c", "[ -f a.txt ] && echo file; [ -d sub ] && echo dir; [ -L link ] && echo link; [ -s sub/deeper/empty ] || echo empty; test 3 -gt 2 && echo gt"]),
        c("sh-glob", &["sh", "-c", "echo *.txt sub/*"]),
        c("sh-heredoc", &["sh", "-c", "read a b <<EOF\nhello there world\nEOF\necho \"$b|$a\""]),
        c("sh-script", &["sh", "script.sh", "x", "y z"]),
        c("sh-exit", &["sh", "-c", "exit 42"]),
        c("sh-cd-pwd", &["sh", "-c", "cd sub/deeper && pwd && cd .. && echo $PWD"]),
        c("sh-pipe", &["sh", "-c", "echo b a | tr ' ' '\\n' | sort"]),
        c("sh-cmdsubst", &["sh", "-c", "x=$(echo hi); echo \"[$x]\""]),
        // `sh -c CMD` with one command execs it without forking, and sort is a NOEXEC applet.
        c("sh-applet", &["sh", "-c", "sort -r words.txt"]),
        // ash forks for any applet that is not NOFORK, even as the first of two commands.
        c("sh-two-applets", &["sh", "-c", "head -n 2 a.txt; tail -n 1 a.txt"]),
        t("head-tail", &[&["head", "-n", "3", "data.txt"], &["tail", "-n", "2", "data.txt"], &["head", "-c", "10", "a.txt"], &["tail", "-c", "+199990", "big.bin"]]),
        t("tac-rev", &[&["tac", "a.txt"], &["rev", "a.txt"]]),
        t("nl-fold", &[&["nl", "a.txt"], &["fold", "-w", "7", "data.txt"]]),
        c("paste", &["paste", "-d:", "a.txt", "b.txt"]),
        c("comm", &["comm", "a.txt", "b.txt"]),
        c("diff", &["diff", "-u", "a.txt", "b.txt"]),
        c("cmp", &["cmp", "a.txt", "b.txt"]),
        c("dd", &["dd", "if=big.bin", "of=part.bin", "bs=1024", "skip=3", "count=5"]),
        t("cp-mv-rm", &[&["cp", "-r", "sub", "copy"], &["mv", "copy/x.txt", "copy/moved.txt"], &["rm", "-r", "copy/deeper"], &["ln", "-s", "moved.txt", "copy/l2"], &["readlink", "copy/l2"], &["ls", "-1", "copy"]]),
        t("mkdir-touch", &[&["mkdir", "-p", "n/e/s/t"], &["touch", "-d", "2020-01-02 03:04:05", "n/e/f"], &["stat", "-c", "%n %s %Y", "n/e/f"], &["rmdir", "n/e/s/t"]]),
        t("chmod", &[&["chmod", "751", "a.txt"], &["stat", "-c", "%a %A", "a.txt"]]),
        c("truncate", &["truncate", "-s", "12345", "b.txt"]),
        c("split", &["split", "-b", "50000", "big.bin", "part."]),
        c("strings", &["strings", "-n", "6", "big.bin"]),
        c("uname", &["uname", "-m", "-s"]),
        Task { unordered: true, ..c("env", &["env"]) },
        c("id", &["id", "-u"]),
        t("pwd-realpath", &[&["realpath", "link"], &["readlink", "-f", "sub/../a.txt"], &["pwd"]]),
        c("true-false", &["sh", "-c", "true; echo $?; false; echo $?"]),
        c("cat-missing", &["cat", "does-not-exist"]),
        c("ls-missing", &["ls", "does-not-exist"]),
        c("sleep", &["sleep", "0.2"]),
        c("cal", &["cal", "2", "2024"]),
        c("unix2dos", &["unix2dos", "a.txt"]),
        c("sum", &["sum", "big.bin"]),
        c("expand", &["expand", "small.bin"]),
        c("du", &["du", "-a", "-k", "sub"]),
        c("proc-self-exe", &["readlink", "/proc/self/exe"]),
        c("proc-self-cmdline", &["od", "-c", "/proc/self/cmdline"]),
        c("nproc", &["nproc"]),
        c("uname-a", &["uname", "-a"]),
        c("id-full", &["id"]),
        c("stat-dev", &["stat", "-c", "%n %F %t,%T %a", "/dev/null", "/dev/zero"]),
        t("mkfifo-ln", &[&["mkfifo", "p"], &["ln", "a.txt", "hard"], &["stat", "-c", "%n %F %h", "p", "hard", "a.txt"], &["rm", "p"]]),
        t("dd-zero", &[&["dd", "if=/dev/zero", "of=z.bin", "bs=1M", "count=20", "conv=fsync"], &["md5sum", "z.bin"], &["rm", "z.bin"]]),
        t("sort-large", &[&["awk", "BEGIN { for (i = 100000; i > 0; i--) print (i * 7919) % 100003 > \"s.txt\" }"], &["sort", "-n", "-o", "s.txt", "s.txt"], &["md5sum", "s.txt"], &["wc", "-l", "s.txt"]]),
        c("awk-printf-floats", &["awk", "BEGIN { printf \"%e %g %.15g %d %s %s\\n\", 1/3, 1e-5, 0.1+0.2, \"42abc\", 1e300*1e10, -1e300*1e10; x = \"3.5e2\" + 0; print x, 2^53 + 1, 017, length(12345.6) }"]),
        c("awk-regex", &["awk", "{ if (match($0, /[0-9]+/)) print RSTART, RLENGTH; gsub(/[aeiou]/, \"_\"); print }", "a.txt", "data.txt"]),
        c("awk-getline", &["awk", "BEGIN { while ((getline l < \"csv.txt\") > 0) n++; print n; close(\"csv.txt\") }"]),
        c("sed-hold", &["sed", "-n", "1!G;h;$p", "a.txt"]),
        c("sed-y", &["sed", "y/abc/xyz/", "data.txt"]),
        c("od-float", &["od", "-A", "d", "-t", "f8", "-t", "d4", "big.bin", "-N", "64"]),
        c("hexdump-fmt", &["hexdump", "-e", "8/1 \"%02x \" \"\\n\"", "-n", "32", "big.bin"]),
        c("sh-ulimit", &["sh", "-c", "ulimit -a"]),
        c("sh-trap-exit", &["sh", "-c", "trap 'echo trapped' EXIT; echo body; exit 3"]),
        c("sh-kill-0", &["sh", "-c", "kill -0 $$ && echo alive"]),
        c("sh-access", &["sh", "-c", "[ -w a.txt ] && echo w; [ -x script.sh ] || echo not-x; [ -r /etc/shadow ] && echo r; [ -e /nonexistent ] || echo missing"]),
        c("sh-getopts", &["sh", "-c", "while getopts ab:c o; do echo \"$o:$OPTARG\"; done", "sh", "-a", "-b", "val", "-c", "-z"]),
        c("sh-read-t", &["sh", "-c", "read -t 1 x < /dev/null; echo rc=$?"]),
        c("sh-umask", &["sh", "-c", "umask 077; echo > f; umask"]),
        t("usleep-sleep", &[&["usleep", "1000"], &["sleep", "0.01"]]),
        c("find-newer", &["find", ".", "-newer", "a.txt", "-o", "-name", "*.dat", "-print"]),
        t("find-delete", &[&["find", "sub", "-name", "*.txt", "-delete"], &["find", "sub"]]),
        t("rm-rf", &[&["rm", "-rf", "sub"], &["ls", "-A"]]),
        t("touch-r", &[&["touch", "-d", "2001-02-03 04:05:06.789", "a.txt"], &["touch", "-r", "a.txt", "b.txt"], &["ls", "-lt", "--full-time"], &["stat", "-c", "%y", "b.txt"]]),
        t("install", &[&["install", "-m", "640", "-D", "a.txt", "inst/dir/a"], &["stat", "-c", "%a %s", "inst/dir/a"]]),
        c("tee", &["tee", "t1", "t2"]),
        c("cat-devnull", &["cat", "/dev/null", "-"]),
        c("wc-L", &["wc", "-L", "data.txt"]),
        c("getopt", &["getopt", "-o", "ab:", "-l", "long:", "--", "-a", "-b", "x", "--long", "y", "rest"]),
        c("busybox-list", &["--list"]),
        c("ls-color", &["ls", "--color=always", "-F"]),
        c("dpkg-deb", &["ar", "t", "/dev/null"]),
    ];
    tasks
}

#[test]
fn busybox_riscv64() {
    if let Some(s) = program("riscv64", "usr/bin/busybox", "busybox-riscv64") {
        check("busybox", &s, busybox_tasks());
    }
}

#[test]
fn busybox_aarch64() {
    if let Some(s) = program("aarch64", "usr/bin/busybox", "busybox-aarch64") {
        check("busybox", &s, busybox_tasks());
    }
}

fn bash_static_tasks() -> Vec<Task> {
    let sh = |name: &'static str, script: &'static str| c(name, &["-c", script]);
    let tasks = vec![
        sh("for", "for i in 1 2 3; do echo $i; done"),
        sh("arith", "s=0; for ((i = 0; i < 20000; i++)); do ((s += i * i % 13)); done; echo $s $((2**62)) $((-7 / 2)) $((0x1f ^ 7))"),
        sh("arrays", "a=(zero one two three); a+=(four); echo ${#a[@]} ${a[2]} ${a[@]:1:2}; declare -A m=([x]=1 [y]=2); m[z]=3; echo ${m[y]} ${#m[@]}"),
        sh("strings", "x='Hello, World'; echo ${x^^} ${x,,} ${x/World/There} ${x:7} ${#x} ${x//l/L}"),
        sh("regex", "[[ 'abc-123-def' =~ ([a-z]+)-([0-9]+) ]] && echo ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"),
        sh("printf", "printf '%5.2f|%-6s|%#x|%q|%b\\n' 2.71828 hi 255 'a b' 'x\\ty'; printf -v v '%03d' 7; echo $v"),
        sh("printf-time", "printf '%(%Y-%m-%d %H:%M:%S)T\\n' 0 1700000000"),
        sh("read-file", "while IFS=, read -r id name score; do echo \"$name=$score\"; done < csv.txt"),
        sh("mapfile", "mapfile -t lines < a.txt; echo ${#lines[@]} ${lines[-1]}"),
        sh("fd-redirect", "exec 3< b.txt; read -u 3 l1; read -u 3 l2; echo $l1 $l2; exec 3<&-; echo x > out.txt; echo y >> out.txt; read l < out.txt; echo $l"),
        sh("herestring", "read a b <<< 'first second third'; echo $b; cat_count=0; while read l; do ((cat_count++)); done <<EOF\na\nb\nc\nEOF\necho $cat_count"),
        sh("glob", "shopt -s nullglob globstar; echo *.txt; echo **/*.txt; echo nomatch*"),
        sh("functions", "g() { echo \"$FUNCNAME:$#:$*\"; return 7; }; g a b; echo $?"),
        sh("recursion", "fib() { if (( $1 < 2 )); then r=$1; return; fi; fib $(( $1 - 1 )); local a=$r; fib $(( $1 - 2 )); r=$(( a + r )); }; fib 15; echo $r"),
        sh("cd-pwd", "cd sub/deeper && pwd && cd - >/dev/null && pwd; dirs"),
        sh("test-ops", "[[ -f a.txt && -d sub && -L link && ! -s sub/deeper/empty ]] && echo ok; [[ abc < abd ]] && echo lt; [ a.txt -ef a.txt ] && echo same"),
        sh("trap-exit", "trap 'echo bye' EXIT; echo hi"),
        sh("exit-status", "false; echo $?; ! true; echo $?; exit 42"),
        sh("random", "RANDOM=42; echo $RANDOM $RANDOM $RANDOM"),
        sh("declare", "declare -i n=5; n+=3; declare -r c=1; declare -p n c; type -t echo; type -t for"),
        sh("umask-ulimit", "umask 027; umask; ulimit -n"),
        sh("version", "echo ${BASH_VERSINFO[0]} ${BASH_VERSINFO[1]}; echo $MACHTYPE"),
        c("script", &["script.sh", "x", "y z"]),
        c("syntax-error", &["-c", "if then fi"]),
        c("pipe", &["-c", "echo a | while read l; do echo got $l; done"]),
        c("cmdsubst", &["-c", "x=$(echo hi); echo \"[$x]\""]),
        c("subshell", &["-c", "(echo in a subshell; exit 3); echo $?"]),
        c("kill-self", &["-c", "trap 'echo got USR1' USR1; kill -USR1 $$; echo after"]),
        sh("ulimit-a", "ulimit -a"),
        sh("ids", "echo $UID $EUID ${#GROUPS[@]} $HOSTTYPE $OSTYPE; echo ~root"),
        sh("brace", "echo {a..e}{1..2} {10..1..3}"),
        sh("getopts", "set -- -a -b val -c; while getopts ab:c o; do echo \"$o:$OPTARG\"; done"),
        sh("eval-let", "eval 'x=5; y=$((x*2))'; let z=y+1; echo $x $y $z"),
        sh("source", "source script.sh p q"),
        sh("extglob", "shopt -s extglob; x=aaa-bbb.txt; echo ${x%%+(b).txt} ${x##*-}; [[ $x == a*@(.txt|.dat) ]] && echo match"),
        sh("compgen", "compgen -b -X '!e*'"),
        sh("read-n", "read -n 3 a < data.txt; echo \"[$a]\""),
        sh("printf-floats", "printf '%.3e %g %.0f %d\\n' 12345.678 0.0001 2.5 -0"),
        sh("noclobber", "set -o noclobber; echo a > new.txt; echo b > new.txt; echo rc=$?; read l < new.txt; echo $l"),
        c("version", &["--version"]),
        c("syntax-check", &["-n", "script.sh"]),
    ];
    tasks
}

#[test]
fn bash_static_riscv64() {
    if let Some(s) = program("riscv64", "usr/bin/bash-static", "bash-riscv64") {
        check("bash", &s, bash_static_tasks());
    }
}

#[test]
fn bash_static_aarch64() {
    if let Some(s) = program("aarch64", "usr/bin/bash-static", "bash-aarch64") {
        check("bash", &s, bash_static_tasks());
    }
}

fn zsh_static_tasks() -> Vec<Task> {
    let sh = |name: &'static str, script: &'static str| c(name, &["-f", "-c", script]);
    let tasks = vec![
        sh("for", "for i in 1 2 3; do echo $i; done"),
        sh("float-arith", "echo $(( 1.0 / 3 )) $(( 2 ** 0.5 )) $(( 10 / 4 )) $(( 10.0 / 4 ))"),
        sh("mathfunc", "zmodload zsh/mathfunc && echo $(( sin(1.0) )) $(( sqrt(2.0) )) $(( int(7.9) ))"),
        sh("params", "a=(pear apple fig); print -l ${(o)a}; print ${(U)a[1]} ${#a} ${(j:,:)a}"),
        sh("assoc", "typeset -A m; m=(x 1 y 2 z 3); print ${(k)m[y]} $m[z] ${(o)${(k)m}}"),
        sh("glob", "setopt extendedglob; print -l **/*.txt; print -l *(/); print -l sub/**/*(.)"),
        sh("printf", "printf '%5.2f|%-5s|%x\\n' 3.14159 ab 255"),
        sh("repeat", "repeat 3 print x"),
        sh("strftime", "zmodload zsh/datetime && strftime '%Y-%m-%d %H:%M:%S' 1700000000"),
        sh("read-file", "while read -r l; do print -r -- \"<$l>\"; done < a.txt"),
        sh("functions", "f() { local x=$1; print \"f:$x:$#\"; return 4 }; f a b; print $?"),
        sh("exit-status", "false; print $?; exit 9"),
        sh("string-ops", "x='Hello World'; print ${x:l} ${x:u} ${x/World/There} ${#x} ${x[1,5]}"),
        sh("zstat", "zmodload zsh/stat && zstat -o +mode a.txt && zstat +size big.bin && zstat +mtime a.txt"),
        sh("zsh-files", "zmodload zsh/files && mkdir -p q/r && mv a.txt q/r/ && rm -r sub && print -l **/*"),
        sh("zsh-system", "zmodload zsh/system && sysopen -r -u 5 csv.txt && sysread -i 5 -s 8 buf && print -r -- \"[$buf]\" && print $sysparams[procsubstpid] ok"),
        sh("regex", "zmodload zsh/regex && [[ abc123 -regex-match '([a-z]+)([0-9]+)' ]] && print $match[2]"),
        sh("vars", "print $OSTYPE $MACHTYPE $CPUTYPE ${ZSH_VERSION%%.*}"),
        sh("limit", "ulimit -a"),
        sh("splitting", "x='a,b,,c'; print -l ${(s:,:)x}; print ${(on)${=:-10 9 100 1}}"),
        sh("zparseopts", "zmodload zsh/zutil && set -- -v -o out rest && zparseopts -D -E v=verb o:=out && print $verb $out $@"),
        c("version", &["--version"]),
        // zsh waits for the child in rt_sigsuspend until SIGCHLD arrives.
        c("cmdsubst", &["-f", "-c", "x=$(print hi); print \"[$x]\""]),
    ];
    tasks
}

#[test]
fn zsh_static_riscv64() {
    if let Some(s) = program("riscv64", "usr/bin/zsh-static", "zsh-riscv64") {
        check("zsh", &s, zsh_static_tasks());
    }
}

#[test]
fn zsh_static_aarch64() {
    if let Some(s) = program("aarch64", "usr/bin/zsh-static", "zsh-aarch64") {
        check("zsh", &s, zsh_static_tasks());
    }
}

fn sash_tasks() -> Vec<Task> {
    let tasks = vec![
        c("echo", &["-c", "-echo hello from sash"]),
        c("ls", &["-c", "-ls -l sub"]),
        c("grep", &["-c", "-grep apple data.txt"]),
        c("sum", &["-c", "-sum big.bin"]),
        t("cp-mv", &[&["-c", "-cp a.txt c.txt"], &["-c", "-mv c.txt d.txt"], &["-c", "-ls d.txt"]]),
        t("mkdir-rm", &[&["-c", "-mkdir newdir"], &["-c", "-touch newdir/f"], &["-c", "-rm newdir/f"], &["-c", "-rmdir newdir"]]),
        t("gzip", &[&["-c", "-gzip data.txt"], &["-c", "-gunzip data.txt.gz"]]),
        c("cmp", &["-c", "-cmp a.txt b.txt"]),
        c("pwd", &["-c", "-pwd"]),
        c("printenv", &["-c", "-printenv TZ"]),
        c("dd", &["-c", "-dd if=big.bin of=c.bin bs=1000 count=7 skip=2"]),
        t("tar", &[&["-c", "-tar cf t.tar sub"], &["-c", "-tar tvf t.tar"]]),
        c("find", &["-c", "-find sub -type f"]),
        c("where", &["-c", "-where sash"]),
        c("file", &["-c", "-file a.txt sub link big.bin"]),
        c("chmod", &["-c", "-chmod 600 a.txt"]),
        c("ln", &["-c", "-ln -s a.txt l2"]),
        c("help", &["-c", "help"]),
        c("external", &["-c", "echo external echo"]),
    ];
    tasks
}

#[test]
fn sash_riscv64() {
    if let Some(s) = program("riscv64", "usr/bin/sash", "sash-riscv64") {
        check("sash", &s, sash_tasks());
    }
}

#[test]
fn sash_aarch64() {
    if let Some(s) = program("aarch64", "usr/bin/sash", "sash-aarch64") {
        check("sash", &s, sash_tasks());
    }
}
