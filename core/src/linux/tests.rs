//! Drives [`dispatch`] directly with a fake CPU and real guest memory.

use std::ffi::CString;
use std::path::PathBuf;
use std::sync::Arc;

use super::table::{self, GENERIC};
use super::*;
use crate::isa::{ArchSyscall, Cpu, Exit};
use crate::mem::{Errno, Placement, Prot};

/// A CPU that never runs: the tests call `dispatch` themselves.
#[derive(Clone)]
struct FakeCpu;

impl Cpu for FakeCpu {
    fn run(&mut self, _mem: &GuestMemory) -> Exit {
        Exit::Breakpoint
    }
    fn syscall_args(&self) -> (u64, [u64; 6]) {
        (0, [0; 6])
    }
    fn set_syscall_result(&mut self, _value: u64) {}
    fn pc(&self) -> u64 {
        0
    }
    fn set_pc(&mut self, _pc: u64) {}
    fn registers(&self) -> crate::isa::Registers {
        crate::isa::Registers::default()
    }
    fn set_registers(&mut self, _r: &crate::isa::Registers) {}
    fn sp(&self) -> u64 {
        0
    }
    fn set_sp(&mut self, _sp: u64) {}
    fn set_tls(&mut self, _tp: u64) {}
    fn flush_code(&mut self, _start: u64, _end: u64) {}
    fn disassemble_at(&self, _mem: &GuestMemory, _pc: u64) -> Option<String> {
        None
    }
    fn boxed_clone(&self) -> Box<dyn Cpu> {
        Box::new(self.clone())
    }
}

fn fake_cpu(_entry: u64) -> Box<dyn Cpu> {
    Box::new(FakeCpu)
}

const HWPROBE_KEY_IMA: i64 = 4;

static TEST_ARCH: Arch = Arch {
    name: "riscv64",
    elf_machine: 243,
    hwcap: 0,
    hwcap2: 0,
    platform: None,
    address_bits: 32,
    extra_syscalls: &[(258, ArchSyscall::RiscvHwprobe), (259, ArchSyscall::RiscvFlushIcache)],
    hwprobe: &[(HWPROBE_KEY_IMA, 1), (3, 0x7)],
    new_cpu: fake_cpu,
};

/// Scratch guest memory: 64 KiB read-write at `BUF`, one read-only page at `RO`.
const BUF: u64 = 0x10_0000;
const RO: u64 = 0x20_0000;
const UNMAPPED: u64 = 0x30_0000;

struct T {
    p: Process,
    cpu: FakeCpu,
}

impl T {
    fn new() -> T {
        let mem = Arc::new(GuestMemory::new(32).unwrap());
        mem.set_mmap_base(0x8000_0000);
        mem.set_brk_start(0x40_0123);
        mem.map(Placement::Fixed(BUF), 0x10000, Prot::RW, false, None).unwrap();
        mem.map(Placement::Fixed(RO), 0x1000, Prot::READ, false, None).unwrap();
        T { p: Process::new(&TEST_ARCH, mem, PathBuf::from("/opt/guest/hello")), cpu: FakeCpu }
    }
    fn mem(&self) -> &GuestMemory {
        &self.p.mem
    }
    fn call(&mut self, nr: u64, args: &[u64]) -> i64 {
        match self.action(nr, args) {
            Action::Return(v) => v,
            other => panic!("syscall {nr} did not return: {other:?}"),
        }
    }
    fn action(&mut self, nr: u64, args: &[u64]) -> Action {
        let mut a = [0u64; 6];
        a[..args.len()].copy_from_slice(args);
        dispatch(&self.p, &mut self.cpu, nr, a)
    }
    /// Puts a NUL-terminated string in guest memory at `at`.
    fn cstr(&self, at: u64, s: &str) -> u64 {
        let c = CString::new(s).unwrap();
        self.mem().write(at, c.as_bytes_with_nul()).unwrap();
        at
    }
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("remu-linux-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const AT_FDCWD: u64 = -100i64 as u64;
const O_RDWR: u64 = 2;
const O_CREAT: u64 = 0o100;
const O_DIRECTORY: u64 = 0o200000;
const O_CLOEXEC: u64 = 0o2000000;
const EFAULT: i64 = -(libc::EFAULT as i64);

// asm-generic numbers
const OPENAT: u64 = 56;
const CLOSE: u64 = 57;
const LSEEK: u64 = 62;
const READ: u64 = 63;
const WRITE: u64 = 64;
const FSTAT: u64 = 80;
const NEWFSTATAT: u64 = 79;

#[test]
fn open_write_seek_read_round_trip() {
    let mut t = T::new();
    let dir = temp_dir("rw");
    let path = t.cstr(BUF, dir.join("f.txt").to_str().unwrap());
    let fd = t.call(OPENAT, &[AT_FDCWD, path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644]);
    assert!(fd >= 3, "openat returned {fd}");
    let data = BUF + 0x1000;
    t.mem().write(data, b"hello, guest").unwrap();
    assert_eq!(t.call(WRITE, &[fd as u64, data, 12]), 12);
    assert_eq!(t.call(LSEEK, &[fd as u64, 7, 0]), 7);
    let out = BUF + 0x2000;
    assert_eq!(t.call(READ, &[fd as u64, out, 100]), 5);
    assert_eq!(t.mem().read_vec(out, 5).unwrap(), b"guest");
    assert_eq!(t.call(CLOSE, &[fd as u64]), 0);
    assert_eq!(t.call(CLOSE, &[fd as u64]), -(libc::EBADF as i64));
    assert_eq!(std::fs::read(dir.join("f.txt")).unwrap(), b"hello, guest");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn fstat_translates_the_layout() {
    let mut t = T::new();
    let dir = temp_dir("stat");
    let file = dir.join("s");
    std::fs::write(&file, vec![7u8; 1234]).unwrap();
    let path = t.cstr(BUF, file.to_str().unwrap());
    let fd = t.call(OPENAT, &[AT_FDCWD, path, 0, 0]);
    assert!(fd >= 0);
    let st = BUF + 0x1000;
    assert_eq!(t.call(FSTAT, &[fd as u64, st]), 0);
    let meta = std::fs::metadata(&file).unwrap();
    use std::os::unix::fs::MetadataExt;
    let m = t.mem();
    assert_eq!(m.read_u64(st).unwrap(), meta.dev());
    assert_eq!(m.read_u64(st + 8).unwrap(), meta.ino());
    assert_eq!(m.read_u32(st + 16).unwrap(), meta.mode());
    assert_eq!(m.read_u32(st + 16).unwrap() & libc::S_IFMT, libc::S_IFREG);
    assert_eq!(m.read_u32(st + 20).unwrap(), 1); // st_nlink
    assert_eq!(m.read_u64(st + 48).unwrap(), 1234); // st_size
    assert_eq!(m.read_u32(st + 56).unwrap() as u64, meta.blksize());
    assert_eq!(m.read_u64(st + 64).unwrap(), meta.blocks());
    assert_eq!(m.read_u64(st + 88).unwrap() as i64, meta.mtime());
    assert_eq!(m.read_u64(st + 96).unwrap() as i64, meta.mtime_nsec());

    // newfstatat on the path agrees; a read-only buffer is EFAULT.
    let st2 = BUF + 0x2000;
    assert_eq!(t.call(NEWFSTATAT, &[AT_FDCWD, path, st2, 0]), 0);
    assert_eq!(t.mem().read_vec(st, 128).unwrap(), t.mem().read_vec(st2, 128).unwrap());
    assert_eq!(t.call(FSTAT, &[fd as u64, RO]), EFAULT);
    let missing = t.cstr(BUF + 0x3000, dir.join("nope").to_str().unwrap());
    assert_eq!(t.call(NEWFSTATAT, &[AT_FDCWD, missing, st2, 0]), -(libc::ENOENT as i64));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn getdents64_lists_a_directory() {
    let mut t = T::new();
    let dir = temp_dir("dents");
    std::fs::write(dir.join("alpha"), b"").unwrap();
    std::fs::create_dir(dir.join("beta")).unwrap();
    let path = t.cstr(BUF, dir.to_str().unwrap());
    let fd = t.call(OPENAT, &[AT_FDCWD, path, O_DIRECTORY, 0]);
    assert!(fd >= 0);
    let buf = BUF + 0x1000;
    let n = t.call(61, &[fd as u64, buf, 4096]);
    assert!(n > 0);
    let raw = t.mem().read_vec(buf, n as usize).unwrap();
    let mut names = Vec::new();
    let mut off = 0;
    while off < raw.len() {
        let reclen = u16::from_le_bytes([raw[off + 16], raw[off + 17]]) as usize;
        let dtype = raw[off + 18];
        let name = &raw[off + 19..off + reclen];
        let name = &name[..name.iter().position(|&b| b == 0).unwrap()];
        names.push((String::from_utf8(name.to_vec()).unwrap(), dtype));
        off += reclen;
    }
    names.sort();
    assert_eq!(
        names,
        vec![
            (".".into(), libc::DT_DIR),
            ("..".into(), libc::DT_DIR),
            ("alpha".into(), libc::DT_REG),
            ("beta".into(), libc::DT_DIR)
        ]
    );
    assert_eq!(t.call(61, &[fd as u64, buf, 4096]), 0);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn uname_reports_the_guest_machine() {
    let mut t = T::new();
    assert_eq!(t.call(160, &[BUF]), 0);
    let field = |i: u64| {
        let v = t.mem().read_vec(BUF + i * 65, 65).unwrap();
        String::from_utf8(v[..v.iter().position(|&b| b == 0).unwrap()].to_vec()).unwrap()
    };
    assert_eq!(field(0), "Linux");
    assert_eq!(field(4), "riscv64");
    assert!(!field(2).is_empty());
    assert_eq!(t.call(160, &[RO]), EFAULT);
}

#[test]
fn bad_pointers_are_efault() {
    let mut t = T::new();
    assert_eq!(t.call(WRITE, &[1, UNMAPPED, 10]), EFAULT);
    assert_eq!(t.call(READ, &[0, RO, 10]), EFAULT);
    assert_eq!(t.call(OPENAT, &[AT_FDCWD, UNMAPPED, 0, 0]), EFAULT);
    assert_eq!(t.call(113, &[1, UNMAPPED]), EFAULT); // clock_gettime
    assert_eq!(t.call(113, &[1, u64::MAX - 3]), EFAULT);
    assert_eq!(t.call(278, &[RO, 16, 0]), EFAULT); // getrandom
                                                   // An iovec pointing outside guest memory.
    t.mem().write_u64(BUF, 0xffff_ffff_0000).unwrap();
    t.mem().write_u64(BUF + 8, 16).unwrap();
    assert_eq!(t.call(66, &[1, BUF, 1]), EFAULT);
    // A zero-length write with a wild pointer is fine, as in the kernel.
    assert_eq!(t.call(WRITE, &[1, 0xdead_beef_0000, 0]), 0);
}

#[test]
fn unknown_syscalls_are_enosys() {
    let mut t = T::new();
    assert_eq!(t.call(451, &[1, 2, 3]), -(libc::ENOSYS as i64));
    assert_eq!(t.call(100_000, &[]), -(libc::ENOSYS as i64));
    // renameat (38) is not a riscv64 system call.
    assert_eq!(t.call(38, &[]), -(libc::ENOSYS as i64));
    assert_eq!(t.call(220, &[]), -(libc::ENOSYS as i64)); // clone: not yet
    let line = format_action(None, 451, &[1, 2, 3, 0, 0, 0], Action::Return(-38), t.mem());
    assert_eq!(line, "syscall_451(0x1, 0x2, 0x3, 0, 0, 0) = -1 ENOSYS (Function not implemented)");
}

#[test]
fn exit_and_exit_group_keep_the_raw_status() {
    let mut t = T::new();
    assert_eq!(t.action(94, &[0x1234]), Action::Exit(0x1234));
    assert_eq!(t.action(93, &[3]), Action::ExitThread(3));
    assert_eq!(Outcome::Exited(0x1234).exit_code(), 0x34);
}

fn strace_line(t: &T, nr: u64, args: &[u64], action: Action) -> String {
    let mut a = [0u64; 6];
    a[..args.len()].copy_from_slice(args);
    format_action(table::lookup(t.p.arch, nr), nr, &a, action, t.mem())
}

#[test]
fn strace_formats_like_strace() {
    let t = T::new();
    let path = t.cstr(BUF, "/etc/passwd");
    assert_eq!(
        strace_line(&t, OPENAT, &[AT_FDCWD, path, O_CLOEXEC, 0], Action::Return(3)),
        "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3"
    );
    assert_eq!(
        strace_line(&t, OPENAT, &[AT_FDCWD, path, 0, 0], Action::Return(-2)),
        "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY) = -1 ENOENT (No such file or directory)"
    );
    assert_eq!(
        strace_line(&t, OPENAT, &[AT_FDCWD, path, O_RDWR | O_CREAT, 0o644], Action::Return(4)),
        "openat(AT_FDCWD, \"/etc/passwd\", O_RDWR|O_CREAT, 0644) = 4"
    );
    let data = BUF + 0x100;
    t.mem().write(data, b"hello\n").unwrap();
    assert_eq!(strace_line(&t, WRITE, &[1, data, 6], Action::Return(6)), "write(1, \"hello\\n\", 6) = 6");
    let long = BUF + 0x200;
    t.mem().write(long, &[b'x'; 40]).unwrap();
    assert_eq!(
        strace_line(&t, WRITE, &[1, long, 40], Action::Return(40)),
        format!("write(1, \"{}\"..., 40) = 40", "x".repeat(32))
    );
    // read shows what was read, up to the result.
    t.mem().write(BUF + 0x300, b"ab\0\x01cd").unwrap();
    assert_eq!(strace_line(&t, READ, &[0, BUF + 0x300, 100], Action::Return(4)), "read(0, \"ab\\0\\1\", 100) = 4");
    assert_eq!(
        strace_line(&t, READ, &[0, BUF + 0x300, 100], Action::Return(-9)),
        "read(0, 0x100300, 100) = -1 EBADF (Bad file descriptor)"
    );
    assert_eq!(
        strace_line(&t, 222, &[0, 8192, 3, 0x22, u64::MAX, 0], Action::Return(0x7fff_e000)),
        "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffe000"
    );
    assert_eq!(
        strace_line(&t, 222, &[0x10000, 4096, 5, 0x812, 3, 0x2000], Action::Return(-1)),
        "mmap(0x10000, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x2000) = -1 EPERM (Operation not permitted)"
    );
    assert_eq!(strace_line(&t, 94, &[0], Action::Exit(0)), "exit_group(0) = ?");
    assert_eq!(
        strace_line(&t, 131, &[5, 5, 6], Action::Kill(6)),
        "tgkill(5, 5, SIGABRT) = ?\n+++ killed by SIGABRT +++"
    );
    assert_eq!(
        strace_line(&t, 134, &[2, BUF, 0, 8], Action::Return(0)),
        format!("rt_sigaction(SIGINT, {BUF:#x}, NULL, 8) = 0")
    );
    assert_eq!(strace_line(&t, 259, &[0, 0, 0], Action::Return(0)), "riscv_flush_icache(NULL, NULL, 0) = 0");
}

#[test]
fn strace_quoting() {
    use super::strace::quote;
    assert_eq!(quote(b"a\"b\\c\t", false), "\"a\\\"b\\\\c\\t\"");
    assert_eq!(quote(b"\x001", false), "\"\\0001\"");
    assert_eq!(quote(b"\x1b[0m", true), "\"\\33[0m\"...");
    assert_eq!(quote(&[0xff], false), "\"\\377\"");
}

#[test]
fn hwprobe_answers_known_keys_and_marks_unknown() {
    let mut t = T::new();
    let m = t.mem();
    m.write_u64(BUF, HWPROBE_KEY_IMA as u64).unwrap();
    m.write_u64(BUF + 16, 999).unwrap();
    m.write_u64(BUF + 24, 55).unwrap();
    m.write_u64(BUF + 32, 3).unwrap();
    assert_eq!(t.call(258, &[BUF, 3, 0, 0, 0]), 0);
    let m = t.mem();
    assert_eq!(m.read_u64(BUF).unwrap(), HWPROBE_KEY_IMA as u64);
    assert_eq!(m.read_u64(BUF + 8).unwrap(), 1);
    assert_eq!(m.read_u64(BUF + 16).unwrap() as i64, -1);
    assert_eq!(m.read_u64(BUF + 24).unwrap(), 0);
    assert_eq!(m.read_u64(BUF + 40).unwrap(), 7);
    assert_eq!(t.call(258, &[RO, 1, 0, 0, 0]), EFAULT);
    assert_eq!(t.call(258, &[BUF, 1, 0, 0, 8]), -(libc::EINVAL as i64));
}

#[test]
fn flush_icache_bumps_the_code_epoch() {
    let mut t = T::new();
    let before = t.mem().code_epoch();
    assert_eq!(t.call(259, &[0, u64::MAX, 0]), 0);
    assert!(t.mem().code_epoch() > before);
}

#[test]
fn sigaction_and_masks() {
    let mut t = T::new();
    // riscv64 struct sigaction: handler, flags, mask (no restorer).
    let act = BUF;
    t.mem().write_u64(act, 1).unwrap(); // SIG_IGN
    t.mem().write_u64(act + 8, 0x1000_0000).unwrap();
    t.mem().write_u64(act + 16, 0xff).unwrap();
    assert_eq!(t.call(134, &[10, act, 0, 8]), 0);
    let old = BUF + 0x100;
    assert_eq!(t.call(134, &[10, 0, old, 8]), 0);
    assert_eq!(t.mem().read_vec(old, 24).unwrap(), t.mem().read_vec(act, 24).unwrap());
    assert_eq!(t.call(134, &[9, act, 0, 8]), -(libc::EINVAL as i64));
    assert_eq!(t.call(134, &[10, act, 0, 4]), -(libc::EINVAL as i64));
    assert_eq!(t.call(134, &[10, UNMAPPED, 0, 8]), EFAULT);

    // Signals go to the host, which queues them for the thread that blocks them: SIGUSR1
    // is ignored now, but a blocked signal is pending even so (as the kernel keeps it),
    // and dropped when unblocked. Thread-directed, so no other test thread sees it.
    let pid = t.call(172, &[]) as u64;
    let tid = t.call(178, &[]) as u64;
    t.mem().write_u64(BUF + 0x200, 1 << (10 - 1)).unwrap();
    assert_eq!(t.call(135, &[0, BUF + 0x200, 0, 8]), 0);
    assert_eq!(t.call(131, &[pid, tid, 10]), 0);
    assert_eq!(t.call(135, &[0, 0, BUF + 0x208, 8]), 0);
    assert_eq!(t.mem().read_u64(BUF + 0x208).unwrap(), 1 << 9);
    assert_eq!(t.call(136, &[BUF + 0x210, 8]), 0);
    assert_eq!(t.mem().read_u64(BUF + 0x210).unwrap() & (1 << 9), 1 << 9);
    assert_eq!(t.call(135, &[1, BUF + 0x200, 0, 8]), 0);
    assert_eq!(t.call(136, &[BUF + 0x210, 8]), 0);
    assert_eq!(t.mem().read_u64(BUF + 0x210).unwrap() & (1 << 9), 0);
    assert_eq!(t.call(135, &[7, BUF + 0x200, 0, 8]), -(libc::EINVAL as i64));
    assert_eq!(t.call(131, &[pid, tid, 65]), -(libc::EINVAL as i64));
    // A thread id that is not ours (no such thread) goes to the host: ESRCH.
    assert_eq!(t.call(131, &[pid, 0x3fff_fff0, 0]), -(libc::ESRCH as i64));
}

#[test]
fn thread_calls() {
    let mut t = T::new();
    const CLONE: u64 = 220;
    let vm_thread = 0x100 | 0x800 | 0x10000;
    // CLONE_THREAD without CLONE_SIGHAND, CLONE_SIGHAND without CLONE_VM: EINVAL.
    assert_eq!(t.call(CLONE, &[0x100 | 0x10000, 0, 0, 0, 0]), -(libc::EINVAL as i64));
    assert_eq!(t.call(CLONE, &[0x800, 0, 0, 0, 0]), -(libc::EINVAL as i64));
    // A process that was not made 'static (Process::leak) cannot start threads.
    assert_eq!(t.call(CLONE, &[vm_thread, 0, 0, 0, 0]), -(libc::ENOSYS as i64));
    // exit ends the thread, exit_group the process.
    assert_eq!(t.action(93, &[7]), Action::ExitThread(7));
    assert_eq!(t.action(94, &[7]), Action::Exit(7));
    // Robust list head round trip (per thread).
    assert_eq!(t.call(99, &[BUF + 0x40, 24]), 0);
    assert_eq!(t.call(99, &[BUF + 0x40, 16]), -(libc::EINVAL as i64));
    assert_eq!(t.call(100, &[0, BUF, BUF + 8]), 0);
    assert_eq!(t.mem().read_u64(BUF).unwrap(), BUF + 0x40);
    assert_eq!(t.mem().read_u64(BUF + 8).unwrap(), 24);
    assert_eq!(t.call(99, &[0, 24]), 0);
    // futex: unmapped word EFAULT, misaligned EINVAL, a wait on a changed value EAGAIN, a
    // wait with a timeout times out, a wake with no waiter wakes nobody.
    const FUTEX: u64 = 98;
    assert_eq!(t.call(FUTEX, &[UNMAPPED, 0x80, 0, 0, 0, 0]), -(libc::EFAULT as i64));
    assert_eq!(t.call(FUTEX, &[BUF + 2, 0x81, 1, 0, 0, 0]), -(libc::EINVAL as i64));
    t.mem().write_u32(BUF + 0x80, 5).unwrap();
    assert_eq!(t.call(FUTEX, &[BUF + 0x80, 0x80, 4, 0, 0, 0]), -(libc::EAGAIN as i64));
    t.mem().write_u64(BUF + 0x90, 0).unwrap();
    t.mem().write_u64(BUF + 0x98, 1_000_000).unwrap();
    assert_eq!(t.call(FUTEX, &[BUF + 0x80, 0x80, 5, BUF + 0x90, 0, 0]), -(libc::ETIMEDOUT as i64));
    assert_eq!(t.call(FUTEX, &[BUF + 0x80, 0x81, 1, 0, 0, 0]), 0);
    assert_eq!(t.call(FUTEX, &[BUF + 0x80, 0x80 | 5, 1, 1, UNMAPPED, 0]), -(libc::EFAULT as i64));
    // A futex word in read-only memory can be waited on.
    assert_eq!(t.call(FUTEX, &[RO, 0x80, 1, 0, 0, 0]), -(libc::EAGAIN as i64));
    // membarrier: QUERY lists the global and private expedited commands.
    assert_eq!(t.call(283, &[0, 0, 0]), 31);
    assert_eq!(t.call(283, &[16, 0, 0]), 0);
    assert_eq!(t.call(283, &[8, 0, 0]), 0);
    assert_eq!(t.call(283, &[32, 0, 0]), -(libc::EINVAL as i64));
    assert_eq!(t.call(283, &[0, 1, 0]), -(libc::EINVAL as i64));
}

#[test]
fn mmap_anonymous_and_file() {
    let mut t = T::new();
    let a = t.call(222, &[0, 8192, 3, 0x22, u64::MAX, 0]);
    assert!(a > 0 && a as u64 & 4095 == 0);
    t.mem().write_u64(a as u64 + 4096, 99).unwrap();
    assert_eq!(t.call(226, &[a as u64, 4096, 1]), 0); // mprotect
    assert!(t.mem().write_u64(a as u64, 1).is_err());
    assert_eq!(t.call(215, &[a as u64, 8192]), 0);
    assert!(t.mem().read_u64(a as u64).is_err());
    assert_eq!(t.call(222, &[0, 0, 3, 0x22, u64::MAX, 0]), -(libc::EINVAL as i64));
    assert_eq!(t.call(222, &[0, 4096, 3, 0x20, u64::MAX, 0]), -(libc::EINVAL as i64)); // no type

    let dir = temp_dir("mmap");
    let file = dir.join("data");
    std::fs::write(&file, b"mapped file contents").unwrap();
    let path = t.cstr(BUF, file.to_str().unwrap());
    let fd = t.call(OPENAT, &[AT_FDCWD, path, 0, 0]);
    let m = t.call(222, &[0, 4096, 1, 2, fd as u64, 0]);
    assert!(m > 0, "mmap = {m}");
    assert_eq!(t.mem().read_vec(m as u64, 20).unwrap(), b"mapped file contents");
    let area = t.mem().areas().into_iter().find(|ar| ar.start == m as u64).unwrap();
    match area.backing {
        crate::mem::Backing::File { path, .. } => assert_eq!(path, file.to_str().unwrap()),
        other => panic!("backing {other:?}"),
    }
    assert_eq!(t.call(222, &[0, 4096, 1, 2, 999, 0]), -(libc::EBADF as i64));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn brk_moves_the_break() {
    let mut t = T::new();
    let b = t.call(214, &[0]);
    assert_eq!(b, 0x40_0123);
    assert_eq!(t.call(214, &[0x41_0000]), 0x41_0000);
    t.mem().write_u64(0x40_f000, 1).unwrap();
}

#[test]
fn pipe_writev_readv() {
    let mut t = T::new();
    assert_eq!(t.call(59, &[BUF, O_CLOEXEC]), 0);
    let rfd = t.mem().read_u32(BUF).unwrap() as u64;
    let wfd = t.mem().read_u32(BUF + 4).unwrap() as u64;
    let m = t.mem();
    m.write(BUF + 0x100, b"abc").unwrap();
    m.write(BUF + 0x200, b"defg").unwrap();
    let iov = BUF + 0x300;
    for (i, (base, len)) in [(BUF + 0x100, 3u64), (BUF + 0x200, 4)].iter().enumerate() {
        m.write_u64(iov + i as u64 * 16, *base).unwrap();
        m.write_u64(iov + i as u64 * 16 + 8, *len).unwrap();
    }
    assert_eq!(t.call(66, &[wfd, iov, 2]), 7);
    let m = t.mem();
    let riov = BUF + 0x400;
    m.write_u64(riov, BUF + 0x500).unwrap();
    m.write_u64(riov + 8, 2).unwrap();
    m.write_u64(riov + 16, BUF + 0x600).unwrap();
    m.write_u64(riov + 24, 10).unwrap();
    assert_eq!(t.call(65, &[rfd, riov, 2]), 7);
    assert_eq!(t.mem().read_vec(BUF + 0x500, 2).unwrap(), b"ab");
    assert_eq!(t.mem().read_vec(BUF + 0x600, 5).unwrap(), b"cdefg");
    assert_eq!(t.call(65, &[rfd, riov, 2000]), -(libc::EINVAL as i64));
    // FIONREAD on the pipe passes through; an unknown request is ENOTTY.
    assert_eq!(t.call(29, &[rfd, 0x541B, BUF + 0x700]), 0);
    assert_eq!(t.mem().read_u32(BUF + 0x700).unwrap(), 0);
    assert_eq!(t.call(29, &[rfd, 0xdead, BUF]), -(libc::ENOTTY as i64));
    assert_eq!(t.call(29, &[rfd, 0x5413, RO]), EFAULT);
    // fcntl F_GETFD sees the close-on-exec flag.
    assert_eq!(t.call(25, &[rfd, 1, 0]), 1);
    assert_eq!(t.call(57, &[rfd]), 0);
    assert_eq!(t.call(57, &[wfd]), 0);
}

#[test]
fn proc_self_exe_names_the_guest() {
    let mut t = T::new();
    let path = t.cstr(BUF, "/proc/self/exe");
    let n = t.call(78, &[AT_FDCWD, path, BUF + 0x100, 256]);
    assert_eq!(n, "/opt/guest/hello".len() as i64);
    assert_eq!(t.mem().read_vec(BUF + 0x100, n as usize).unwrap(), b"/opt/guest/hello");
    assert_eq!(t.call(78, &[AT_FDCWD, path, BUF + 0x100, 0]), -(libc::EINVAL as i64));
}

#[test]
fn getcwd_and_ids() {
    let mut t = T::new();
    let n = t.call(17, &[BUF, 4096]);
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(n as usize, cwd.as_os_str().len() + 1);
    assert_eq!(t.call(17, &[BUF, 1]), -(libc::ERANGE as i64));
    // SAFETY: getuid has no preconditions.
    assert_eq!(t.call(174, &[]), unsafe { libc::getuid() } as i64);
    assert_eq!(t.call(148, &[BUF, BUF + 4, BUF + 8]), 0);
    assert_eq!(t.call(148, &[BUF, RO, BUF + 8]), EFAULT);
    assert_eq!(t.call(96, &[BUF]), t.call(178, &[]));
    assert_eq!(t.call(99, &[BUF, 24]), 0);
    assert_eq!(t.call(99, &[BUF, 16]), -(libc::EINVAL as i64));
}

#[test]
fn stack_limit_is_kept_for_the_guest() {
    let mut t = T::new();
    assert_eq!(t.call(163, &[3, BUF]), 0); // getrlimit(RLIMIT_STACK)
    let max = t.mem().read_u64(BUF + 8).unwrap();
    let new = 1 << 20;
    t.mem().write_u64(BUF + 16, new).unwrap();
    t.mem().write_u64(BUF + 24, max).unwrap();
    assert_eq!(t.call(261, &[0, 3, BUF + 16, BUF + 32]), 0);
    assert_eq!(t.call(163, &[3, BUF + 48]), 0);
    assert_eq!(t.mem().read_u64(BUF + 48).unwrap(), new);
    // The host's own limit is unchanged.
    let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: a valid out-buffer.
    unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut r) };
    assert_ne!(r.rlim_cur, new);
    assert_eq!(t.call(163, &[99, BUF]), -(libc::EINVAL as i64));
}

#[test]
fn time_calls() {
    let mut t = T::new();
    assert_eq!(t.call(113, &[1, BUF]), 0);
    let sec = t.mem().read_u64(BUF).unwrap();
    let nsec = t.mem().read_u64(BUF + 8).unwrap();
    assert!(sec > 0 || nsec > 0);
    assert!(nsec < 1_000_000_000);
    assert_eq!(t.call(114, &[1, 0]), 0);
    assert_eq!(t.call(169, &[BUF, 0]), 0);
    t.mem().write_u64(BUF, 0).unwrap();
    t.mem().write_u64(BUF + 8, 1000).unwrap();
    assert_eq!(t.call(101, &[BUF, 0]), 0);
    assert_eq!(t.call(115, &[1, 0, BUF, 0]), 0);
    assert!(t.call(153, &[BUF]) > 0);
    assert_eq!(t.call(179, &[BUF]), 0);
    assert!(t.mem().read_u64(BUF + 32).unwrap() > 0); // totalram
}

#[test]
fn table_is_ordered_unique_and_complete() {
    for w in GENERIC.windows(2) {
        assert!(w[0].0 < w[1].0, "{} ({}) before {} ({})", w[0].1.name, w[0].0, w[1].1.name, w[1].0);
    }
    for (nr, e) in GENERIC {
        assert!(e.args.len() <= 6, "{}", e.name);
        assert_eq!(table::lookup(&TEST_ARCH, *nr).unwrap().name, e.name);
        // Architecture-specific numbers (244..=259) are never in the shared table.
        assert!(!(244..260).contains(nr), "{}", e.name);
    }
    assert!(table::lookup(&TEST_ARCH, 38).is_none());
    assert_eq!(table::name(&TEST_ARCH, 258), Some("riscv_hwprobe"));
    assert_eq!(table::name(&TEST_ARCH, 259), Some("riscv_flush_icache"));
    for name in [
        "read",
        "write",
        "readv",
        "writev",
        "pread64",
        "pwrite64",
        "openat",
        "close",
        "lseek",
        "fstat",
        "newfstatat",
        "statx",
        "faccessat",
        "faccessat2",
        "readlinkat",
        "getcwd",
        "chdir",
        "fchdir",
        "getdents64",
        "mkdirat",
        "unlinkat",
        "renameat2",
        "linkat",
        "symlinkat",
        "fcntl",
        "dup",
        "dup3",
        "pipe2",
        "ioctl",
        "mmap",
        "munmap",
        "mprotect",
        "brk",
        "mremap",
        "madvise",
        "exit",
        "exit_group",
        "uname",
        "getrandom",
        "clock_gettime",
        "clock_getres",
        "gettimeofday",
        "nanosleep",
        "clock_nanosleep",
        "getpid",
        "getppid",
        "gettid",
        "getuid",
        "geteuid",
        "getgid",
        "getegid",
        "getresuid",
        "getresgid",
        "getgroups",
        "set_tid_address",
        "set_robust_list",
        "rt_sigaction",
        "rt_sigprocmask",
        "prlimit64",
        "getrlimit",
        "setrlimit",
        "sysinfo",
        "umask",
        "sched_yield",
        "sched_getaffinity",
        "sched_setaffinity",
        "membarrier",
        "futex",
        "clone",
        "clone3",
        "get_robust_list",
        "getrusage",
        "times",
        "statfs",
        "fstatfs",
        "ftruncate",
        "fsync",
        "fchmod",
        "fchmodat",
        "utimensat",
        "kill",
        "tkill",
        "tgkill",
    ] {
        assert!(GENERIC.iter().any(|(_, e)| e.name == name), "{name} missing");
    }
}

#[test]
fn errno_names_match_the_host() {
    use super::abi::errno_name;
    for (e, n) in [
        (libc::EPERM, "EPERM"),
        (libc::ENOENT, "ENOENT"),
        (libc::ENOSYS, "ENOSYS"),
        (libc::ELOOP, "ELOOP"),
        (libc::ENOMSG, "ENOMSG"),
        (libc::EBFONT, "EBFONT"),
        (libc::EOVERFLOW, "EOVERFLOW"),
        (libc::ENOTSOCK, "ENOTSOCK"),
        (libc::ETIMEDOUT, "ETIMEDOUT"),
        (libc::ECANCELED, "ECANCELED"),
        (libc::EHWPOISON, "EHWPOISON"),
    ] {
        assert_eq!(errno_name(e), Some(n));
    }
    assert_eq!(errno_name(0), None);
    assert_eq!(errno_name(41), None);
    let _ = Errno::EPERM;
}

#[test]
fn fs_calls_in_a_temp_dir() {
    let mut t = T::new();
    let dir = temp_dir("fs");
    let d = dir.to_str().unwrap();
    let sub = t.cstr(BUF, &format!("{d}/sub"));
    assert_eq!(t.call(34, &[AT_FDCWD, sub, 0o755]), 0);
    assert_eq!(t.call(34, &[AT_FDCWD, sub, 0o755]), -(libc::EEXIST as i64));
    let target = t.cstr(BUF + 0x200, "sub");
    let link = t.cstr(BUF + 0x400, &format!("{d}/ln"));
    assert_eq!(t.call(36, &[target, AT_FDCWD, link]), 0);
    assert_eq!(t.call(78, &[AT_FDCWD, link, BUF + 0x600, 64]), 3);
    assert_eq!(t.mem().read_vec(BUF + 0x600, 3).unwrap(), b"sub");
    let renamed = t.cstr(BUF + 0x800, &format!("{d}/ln2"));
    assert_eq!(t.call(276, &[AT_FDCWD, link, AT_FDCWD, renamed, 0]), 0);
    assert_eq!(t.call(48, &[AT_FDCWD, renamed, 4]), 0); // faccessat R_OK
    assert_eq!(t.call(439, &[AT_FDCWD, link, 0, 0]), -(libc::ENOENT as i64));
    assert_eq!(t.call(35, &[AT_FDCWD, renamed, 0]), 0);
    assert_eq!(t.call(35, &[AT_FDCWD, sub, 0x200]), 0); // AT_REMOVEDIR
                                                        // statx: size of a file at offset 40 (stx_size) of the 256-byte struct.
    let f = t.cstr(BUF + 0xa00, &format!("{d}/f"));
    std::fs::write(format!("{d}/f"), b"12345").unwrap();
    assert_eq!(t.call(291, &[AT_FDCWD, f, 0, 0x7ff, BUF + 0x1000]), 0);
    assert_eq!(t.mem().read_u64(BUF + 0x1000 + 40).unwrap(), 5);
    assert_eq!(t.call(43, &[f, BUF + 0x2000]), 0); // statfs
    assert_ne!(t.mem().read_u64(BUF + 0x2000 + 8).unwrap(), 0); // f_bsize
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn proc_self_maps_and_auxv_describe_the_guest() {
    let mut t = T::new();
    t.p.auxv = vec![(6, 4096), (0, 0)];
    let path = t.cstr(BUF, "/proc/self/maps");
    let fd = t.call(OPENAT, &[AT_FDCWD, path, O_CLOEXEC, 0]);
    assert!(fd >= 0);
    let n = t.call(READ, &[fd as u64, BUF + 0x1000, 4096]);
    let text = String::from_utf8(t.mem().read_vec(BUF + 0x1000, n as usize).unwrap()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "00100000-00110000 rw-p 00000000 00:00 0 ");
    assert_eq!(lines[1], "00200000-00201000 r--p 00000000 00:00 0 ");
    assert_eq!(t.call(CLOSE, &[fd as u64]), 0);
    assert_eq!(t.call(OPENAT, &[AT_FDCWD, path, O_RDWR, 0]), -(libc::EACCES as i64));

    let path = t.cstr(BUF, "/proc/self/auxv");
    let fd = t.call(OPENAT, &[AT_FDCWD, path, 0, 0]);
    assert_eq!(t.call(READ, &[fd as u64, BUF + 0x1000, 4096]), 32);
    assert_eq!(t.mem().read_u64(BUF + 0x1000).unwrap(), 6);
    assert_eq!(t.mem().read_u64(BUF + 0x1008).unwrap(), 4096);
    assert_eq!(t.call(CLOSE, &[fd as u64]), 0);
    // The heap shows as [heap], padded to column 73 as the kernel does.
    t.call(214, &[0x41_0000]);
    let maps = super::fs::proc_maps(&t.p);
    let heap = maps.lines().find(|l| l.ends_with("[heap]")).unwrap();
    assert_eq!(heap.find("[heap]"), Some(73));
}

/// Sockets, polling and event descriptors (tests/io.rs).
mod io;
