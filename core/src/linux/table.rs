//! The system call table: asm-generic number → name, handler, and how strace prints the
//! arguments and the result.
//!
//! riscv64 and aarch64 share this numbering; calls one architecture has beyond it come from
//! [`Arch::extra_syscalls`] and are looked up first. asm-generic's `renameat` (38) exists only
//! where the architecture defines `__ARCH_WANT_RENAMEAT` (aarch64, not riscv64), so it is not
//! in the shared table.

use std::sync::OnceLock;

use super::abi::*;
use super::syscall::Handler;
use super::{cred, events, fd, fs, ipc, mem, net, ns, poll, process, signal, thread, time, xattr};
use crate::isa::{Arch, ArchSyscall};

/// How strace prints one argument.
#[derive(Clone, Copy, Debug)]
pub enum Arg {
    /// A file descriptor (decimal).
    Fd,
    /// A directory descriptor for `*at` calls (`AT_FDCWD` by name).
    DirFd,
    /// A C `int` (decimal).
    Int,
    /// A signed 64-bit value (offsets).
    Long,
    /// An unsigned 64-bit value (sizes, counts).
    ULong,
    /// Hexadecimal.
    Hex,
    /// A pointer: `NULL` or hexadecimal.
    Ptr,
    /// A NUL-terminated path (or name: an attribute, a queue), printed in full.
    Path,
    /// Data the call reads from the guest; the length is argument `n`.
    InBuf(u8),
    /// Data the call wrote to the guest; its length is the call's result.
    OutBuf,
    /// A file mode in octal.
    Octal,
    /// The mode of `open`: shown only when the flags (argument `n`) create a file.
    CreateMode(u8),
    /// `open` flags: access mode plus flag names.
    OpenFlags,
    /// `mmap` flags: mapping type plus flag names.
    MapFlags,
    /// Bit flags by name; leftover bits in hex.
    Flags(&'static [(u64, &'static str)]),
    /// One value by name; unknown values in decimal.
    Enum(&'static [(u64, &'static str)]),
    /// A signal number by name.
    Signal,
    /// A socket address the call reads; its length is argument `n`.
    SockAddr(u8),
    /// A socket address the call wrote; argument `n` points at its length.
    SockAddrOut(u8),
    /// A socket type: `SOCK_STREAM|SOCK_CLOEXEC`.
    SockType,
}

/// How strace prints the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Int,
    Hex,
}

/// One system call.
pub struct Entry {
    pub name: &'static str,
    pub handler: Handler,
    pub args: &'static [Arg],
    pub ret: Ret,
}

const fn e(name: &'static str, handler: Handler, args: &'static [Arg]) -> Entry {
    Entry { name, handler, args, ret: Ret::Int }
}
const fn h(name: &'static str, handler: Handler, args: &'static [Arg]) -> Entry {
    Entry { name, handler, args, ret: Ret::Hex }
}

use Arg::*;

/// The asm-generic table (include/uapi/asm-generic/unistd.h), in number order.
pub static GENERIC: &[(u64, Entry)] = &[
    (5, e("setxattr", xattr::setxattr, &[Path, Path, Ptr, ULong, Hex])),
    (6, e("lsetxattr", xattr::lsetxattr, &[Path, Path, Ptr, ULong, Hex])),
    (7, e("fsetxattr", xattr::fsetxattr, &[Fd, Path, Ptr, ULong, Hex])),
    (8, e("getxattr", xattr::getxattr, &[Path, Path, Ptr, ULong])),
    (9, e("lgetxattr", xattr::lgetxattr, &[Path, Path, Ptr, ULong])),
    (10, e("fgetxattr", xattr::fgetxattr, &[Fd, Path, Ptr, ULong])),
    (11, e("listxattr", xattr::listxattr, &[Path, Ptr, ULong])),
    (12, e("llistxattr", xattr::llistxattr, &[Path, Ptr, ULong])),
    (13, e("flistxattr", xattr::flistxattr, &[Fd, Ptr, ULong])),
    (14, e("removexattr", xattr::removexattr, &[Path, Path])),
    (15, e("lremovexattr", xattr::lremovexattr, &[Path, Path])),
    (16, e("fremovexattr", xattr::fremovexattr, &[Fd, Path])),
    (17, e("getcwd", fs::getcwd, &[Ptr, ULong])),
    (19, e("eventfd2", fd::eventfd2, &[ULong, Flags(FD_FLAGS)])),
    (20, e("epoll_create1", poll::epoll_create1, &[Flags(FD_FLAGS)])),
    (21, e("epoll_ctl", poll::epoll_ctl, &[Fd, Enum(EPOLL_CTL_OPS), Fd, Ptr])),
    (22, e("epoll_pwait", poll::epoll_pwait, &[Fd, Ptr, Int, Int, Ptr, ULong])),
    (23, e("dup", fd::dup, &[Fd])),
    (24, e("dup3", fd::dup3, &[Fd, Fd, Flags(FD_FLAGS)])),
    (25, e("fcntl", fd::fcntl, &[Fd, Enum(FCNTL_CMDS), Hex])),
    (26, e("inotify_init1", events::inotify_init1, &[Flags(FD_FLAGS)])),
    (27, e("inotify_add_watch", events::inotify_add_watch, &[Fd, Path, Flags(INOTIFY_MASK)])),
    (28, e("inotify_rm_watch", events::inotify_rm_watch, &[Fd, Int])),
    (29, e("ioctl", fd::ioctl, &[Fd, Enum(IOCTLS), Hex])),
    (30, e("ioprio_set", fd::ioprio_set, &[Int, Int, Hex])),
    (31, e("ioprio_get", fd::ioprio_get, &[Int, Int])),
    (32, e("flock", fs::flock, &[Fd, Hex])),
    (33, e("mknodat", fs::mknodat, &[DirFd, Path, Octal, Hex])),
    (34, e("mkdirat", fs::mkdirat, &[DirFd, Path, Octal])),
    (35, e("unlinkat", fs::unlinkat, &[DirFd, Path, Flags(AT_FLAGS)])),
    (36, e("symlinkat", fs::symlinkat, &[Path, DirFd, Path])),
    (37, e("linkat", fs::linkat, &[DirFd, Path, DirFd, Path, Flags(AT_FLAGS)])),
    (39, e("umount2", ns::umount2, &[Path, Hex])),
    (40, e("mount", ns::mount, &[Path, Path, Path, Hex, Path])),
    (41, e("pivot_root", ns::pivot_root, &[Path, Path])),
    (43, e("statfs", fs::statfs, &[Path, Ptr])),
    (44, e("fstatfs", fs::fstatfs, &[Fd, Ptr])),
    (45, e("truncate", fs::truncate, &[Path, Long])),
    (46, e("ftruncate", fs::ftruncate, &[Fd, Long])),
    (47, e("fallocate", fs::fallocate, &[Fd, Hex, Long, Long])),
    (48, e("faccessat", fs::faccessat, &[DirFd, Path, Flags(ACCESS_MODES)])),
    (49, e("chdir", fs::chdir, &[Path])),
    (50, e("fchdir", fs::fchdir, &[Fd])),
    (51, e("chroot", fs::chroot, &[Path])),
    (52, e("fchmod", fs::fchmod, &[Fd, Octal])),
    (53, e("fchmodat", fs::fchmodat, &[DirFd, Path, Octal])),
    (54, e("fchownat", fs::fchownat, &[DirFd, Path, Int, Int, Flags(AT_FLAGS)])),
    (55, e("fchown", fs::fchown, &[Fd, Int, Int])),
    (56, e("openat", fs::openat, &[DirFd, Path, OpenFlags, CreateMode(2)])),
    (57, e("close", fd::close, &[Fd])),
    (59, e("pipe2", fd::pipe2, &[Ptr, Flags(FD_FLAGS)])),
    (61, e("getdents64", fs::getdents64, &[Fd, Ptr, ULong])),
    (62, e("lseek", fd::lseek, &[Fd, Long, Enum(WHENCE)])),
    (63, e("read", fd::read, &[Fd, OutBuf, ULong])),
    (64, e("write", fd::write, &[Fd, InBuf(2), ULong])),
    (65, e("readv", fd::readv, &[Fd, Ptr, Int])),
    (66, e("writev", fd::writev, &[Fd, Ptr, Int])),
    (67, e("pread64", fd::pread64, &[Fd, OutBuf, ULong, Long])),
    (68, e("pwrite64", fd::pwrite64, &[Fd, InBuf(2), ULong, Long])),
    (69, e("preadv", fd::preadv, &[Fd, Ptr, Int, Long])),
    (70, e("pwritev", fd::pwritev, &[Fd, Ptr, Int, Long])),
    (71, e("sendfile", fd::sendfile, &[Fd, Fd, Ptr, ULong])),
    (72, e("pselect6", poll::pselect6, &[Int, Ptr, Ptr, Ptr, Ptr, Ptr])),
    (73, e("ppoll", poll::ppoll, &[Ptr, ULong, Ptr, Ptr, ULong])),
    (74, e("signalfd4", signal::signalfd4, &[Fd, Ptr, ULong, Flags(FD_FLAGS)])),
    (75, e("vmsplice", fd::vmsplice, &[Fd, Ptr, ULong, Flags(SPLICE_FLAGS)])),
    (76, e("splice", fd::splice, &[Fd, Ptr, Fd, Ptr, ULong, Flags(SPLICE_FLAGS)])),
    (77, e("tee", fd::tee, &[Fd, Fd, ULong, Flags(SPLICE_FLAGS)])),
    (78, e("readlinkat", fs::readlinkat, &[DirFd, Path, OutBuf, ULong])),
    (79, e("newfstatat", fs::newfstatat, &[DirFd, Path, Ptr, Flags(AT_FLAGS)])),
    (80, e("fstat", fs::fstat, &[Fd, Ptr])),
    (81, e("sync", fs::sync, &[])),
    (82, e("fsync", fs::fsync, &[Fd])),
    (83, e("fdatasync", fs::fdatasync, &[Fd])),
    (84, e("sync_file_range", fd::sync_file_range, &[Fd, Long, Long, Hex])),
    (85, e("timerfd_create", events::timerfd_create, &[Enum(CLOCKS), Flags(FD_FLAGS)])),
    (86, e("timerfd_settime", events::timerfd_settime, &[Fd, Flags(TFD_SETTIME_FLAGS), Ptr, Ptr])),
    (87, e("timerfd_gettime", events::timerfd_gettime, &[Fd, Ptr])),
    (88, e("utimensat", fs::utimensat, &[DirFd, Path, Ptr, Flags(AT_FLAGS)])),
    (89, e("acct", fs::acct, &[Path])),
    (90, e("capget", cred::capget, &[Ptr, Ptr])),
    (91, e("capset", cred::capset, &[Ptr, Ptr])),
    (92, e("personality", process::personality, &[Hex])),
    (93, e("exit", process::exit, &[Int])),
    (94, e("exit_group", process::exit_group, &[Int])),
    (95, e("waitid", process::waitid, &[Int, Int, Ptr, Hex, Ptr])),
    (96, e("set_tid_address", process::set_tid_address, &[Ptr])),
    (97, e("unshare", ns::unshare, &[Hex])),
    (98, e("futex", process::futex, &[Ptr, Enum(FUTEX_OPS), Int, Ptr, Ptr, Int])),
    (99, e("set_robust_list", process::set_robust_list, &[Ptr, ULong])),
    (100, e("get_robust_list", process::get_robust_list, &[Int, Ptr, Ptr])),
    (101, e("nanosleep", time::nanosleep, &[Ptr, Ptr])),
    (102, e("getitimer", time::getitimer, &[Int, Ptr])),
    (103, e("setitimer", time::setitimer, &[Int, Ptr, Ptr])),
    (107, e("timer_create", time::timer_create, &[Enum(CLOCKS), Ptr, Ptr])),
    (108, e("timer_gettime", time::timer_gettime, &[Int, Ptr])),
    (109, e("timer_getoverrun", time::timer_getoverrun, &[Int])),
    (110, e("timer_settime", time::timer_settime, &[Int, Flags(TIMER_FLAGS), Ptr, Ptr])),
    (111, e("timer_delete", time::timer_delete, &[Int])),
    (112, e("clock_settime", time::clock_settime, &[Enum(CLOCKS), Ptr])),
    (113, e("clock_gettime", time::clock_gettime, &[Enum(CLOCKS), Ptr])),
    (114, e("clock_getres", time::clock_getres, &[Enum(CLOCKS), Ptr])),
    (115, e("clock_nanosleep", time::clock_nanosleep, &[Enum(CLOCKS), Flags(TIMER_FLAGS), Ptr, Ptr])),
    (116, e("syslog", process::syslog, &[Int, Ptr, Int])),
    (118, e("sched_setparam", process::sched_setparam, &[Int, Ptr])),
    (119, e("sched_setscheduler", process::sched_setscheduler, &[Int, Int, Ptr])),
    (120, e("sched_getscheduler", process::sched_getscheduler, &[Int])),
    (121, e("sched_getparam", process::sched_getparam, &[Int, Ptr])),
    (122, e("sched_setaffinity", process::sched_setaffinity, &[Int, ULong, Ptr])),
    (123, e("sched_getaffinity", process::sched_getaffinity, &[Int, ULong, Ptr])),
    (124, e("sched_yield", process::sched_yield, &[])),
    (125, e("sched_get_priority_max", process::sched_get_priority_max, &[Int])),
    (126, e("sched_get_priority_min", process::sched_get_priority_min, &[Int])),
    (127, e("sched_rr_get_interval", process::sched_rr_get_interval, &[Int, Ptr])),
    (129, e("kill", signal::kill, &[Int, Signal])),
    (130, e("tkill", signal::tkill, &[Int, Signal])),
    (131, e("tgkill", signal::tgkill, &[Int, Int, Signal])),
    (132, e("sigaltstack", signal::sigaltstack, &[Ptr, Ptr])),
    (133, e("rt_sigsuspend", signal::rt_sigsuspend, &[Ptr, ULong])),
    (134, e("rt_sigaction", signal::rt_sigaction, &[Signal, Ptr, Ptr, ULong])),
    (135, e("rt_sigprocmask", signal::rt_sigprocmask, &[Enum(SIGPROCMASK_HOW), Ptr, Ptr, ULong])),
    (136, e("rt_sigpending", signal::rt_sigpending, &[Ptr, ULong])),
    (137, e("rt_sigtimedwait", signal::rt_sigtimedwait, &[Ptr, Ptr, Ptr, ULong])),
    (138, e("rt_sigqueueinfo", signal::rt_sigqueueinfo, &[Int, Signal, Ptr])),
    (139, e("rt_sigreturn", signal::rt_sigreturn, &[])),
    (140, e("setpriority", process::setpriority, &[Int, Int, Int])),
    (141, e("getpriority", process::getpriority, &[Int, Int])),
    (143, e("setregid", cred::setregid, &[Int, Int])),
    (144, e("setgid", cred::setgid, &[Int])),
    (145, e("setreuid", cred::setreuid, &[Int, Int])),
    (146, e("setuid", cred::setuid, &[Int])),
    (147, e("setresuid", cred::setresuid, &[Int, Int, Int])),
    (148, e("getresuid", process::getresuid, &[Ptr, Ptr, Ptr])),
    (149, e("setresgid", cred::setresgid, &[Int, Int, Int])),
    (150, e("getresgid", process::getresgid, &[Ptr, Ptr, Ptr])),
    (151, e("setfsuid", cred::setfsuid, &[Int])),
    (152, e("setfsgid", cred::setfsgid, &[Int])),
    (153, e("times", time::times, &[Ptr])),
    (154, e("setpgid", process::setpgid, &[Int, Int])),
    (155, e("getpgid", process::getpgid, &[Int])),
    (156, e("getsid", process::getsid, &[Int])),
    (157, e("setsid", process::setsid, &[])),
    (158, e("getgroups", process::getgroups, &[Int, Ptr])),
    (159, e("setgroups", cred::setgroups, &[Int, Ptr])),
    (160, e("uname", process::uname, &[Ptr])),
    (161, e("sethostname", process::sethostname, &[InBuf(1), Int])),
    (162, e("setdomainname", process::setdomainname, &[InBuf(1), Int])),
    (163, e("getrlimit", process::getrlimit, &[Enum(RLIMITS), Ptr])),
    (164, e("setrlimit", process::setrlimit, &[Enum(RLIMITS), Ptr])),
    (165, e("getrusage", time::getrusage, &[Int, Ptr])),
    (166, e("umask", process::umask, &[Octal])),
    (167, e("prctl", process::prctl, &[Int, Hex, Hex, Hex, Hex])),
    (168, e("getcpu", process::getcpu, &[Ptr, Ptr, Ptr])),
    (169, e("gettimeofday", time::gettimeofday, &[Ptr, Ptr])),
    (170, e("settimeofday", time::settimeofday, &[Ptr, Ptr])),
    (171, e("adjtimex", time::adjtimex, &[Ptr])),
    (172, e("getpid", process::getpid, &[])),
    (173, e("getppid", process::getppid, &[])),
    (174, e("getuid", process::getuid, &[])),
    (175, e("geteuid", process::geteuid, &[])),
    (176, e("getgid", process::getgid, &[])),
    (177, e("getegid", process::getegid, &[])),
    (178, e("gettid", process::gettid, &[])),
    (179, e("sysinfo", process::sysinfo, &[Ptr])),
    (180, e("mq_open", ipc::mq_open, &[Path, OpenFlags, CreateMode(1), Ptr])),
    (181, e("mq_unlink", ipc::mq_unlink, &[Path])),
    (182, e("mq_timedsend", ipc::mq_timedsend, &[Fd, InBuf(2), ULong, Int, Ptr])),
    (183, e("mq_timedreceive", ipc::mq_timedreceive, &[Fd, OutBuf, ULong, Ptr, Ptr])),
    (184, e("mq_notify", ipc::mq_notify, &[Fd, Ptr])),
    (185, e("mq_getsetattr", ipc::mq_getsetattr, &[Fd, Ptr, Ptr])),
    (186, e("msgget", ipc::msgget, &[Hex, Octal])),
    (187, e("msgctl", ipc::msgctl, &[Int, Int, Ptr])),
    (188, e("msgrcv", ipc::msgrcv, &[Int, Ptr, ULong, Long, Hex])),
    (189, e("msgsnd", ipc::msgsnd, &[Int, Ptr, ULong, Hex])),
    (190, e("semget", ipc::semget, &[Hex, Int, Octal])),
    (191, e("semctl", ipc::semctl, &[Int, Int, Int, Hex])),
    (192, e("semtimedop", ipc::semtimedop, &[Int, Ptr, ULong, Ptr])),
    (193, e("semop", ipc::semop, &[Int, Ptr, ULong])),
    (194, e("shmget", ipc::shmget, &[Hex, ULong, Octal])),
    (195, e("shmctl", ipc::shmctl, &[Int, Int, Ptr])),
    (196, h("shmat", ipc::shmat, &[Int, Ptr, Hex])),
    (197, e("shmdt", ipc::shmdt, &[Ptr])),
    (198, e("socket", net::socket, &[Enum(SOCKET_DOMAINS), SockType, Int])),
    (199, e("socketpair", net::socketpair, &[Enum(SOCKET_DOMAINS), SockType, Int, Ptr])),
    (200, e("bind", net::bind, &[Fd, SockAddr(2), Int])),
    (201, e("listen", net::listen, &[Fd, Int])),
    (202, e("accept", net::accept, &[Fd, SockAddrOut(2), Ptr])),
    (203, e("connect", net::connect, &[Fd, SockAddr(2), Int])),
    (204, e("getsockname", net::getsockname, &[Fd, SockAddrOut(2), Ptr])),
    (205, e("getpeername", net::getpeername, &[Fd, SockAddrOut(2), Ptr])),
    (206, e("sendto", net::sendto, &[Fd, InBuf(2), ULong, Flags(MSG_FLAGS), SockAddr(5), Int])),
    (207, e("recvfrom", net::recvfrom, &[Fd, OutBuf, ULong, Flags(MSG_FLAGS), SockAddrOut(5), Ptr])),
    (208, e("setsockopt", net::setsockopt, &[Fd, Enum(SOCKOPT_LEVELS), Int, Ptr, Int])),
    (209, e("getsockopt", net::getsockopt, &[Fd, Enum(SOCKOPT_LEVELS), Int, Ptr, Ptr])),
    (210, e("shutdown", net::shutdown, &[Fd, Enum(SHUTDOWN_HOW)])),
    (211, e("sendmsg", net::sendmsg, &[Fd, Ptr, Flags(MSG_FLAGS)])),
    (212, e("recvmsg", net::recvmsg, &[Fd, Ptr, Flags(MSG_FLAGS)])),
    (213, e("readahead", fd::readahead, &[Fd, Long, ULong])),
    (214, h("brk", mem::brk, &[Ptr])),
    (215, e("munmap", mem::munmap, &[Ptr, ULong])),
    (216, h("mremap", mem::mremap, &[Ptr, ULong, ULong, Flags(MREMAP_FLAGS), Ptr])),
    (220, e("clone", process::clone, &[Hex, Ptr, Ptr, Ptr, Ptr])),
    (221, e("execve", process::execve, &[Path, Ptr, Ptr])),
    (222, h("mmap", mem::mmap, &[Ptr, ULong, Flags(PROT_FLAGS), MapFlags, Fd, Hex])),
    (223, e("fadvise64", fs::fadvise64, &[Fd, Long, Long, Int])),
    (226, e("mprotect", mem::mprotect, &[Ptr, ULong, Flags(PROT_FLAGS)])),
    (227, e("msync", mem::msync, &[Ptr, ULong, Hex])),
    (228, e("mlock", mem::mlock, &[Ptr, ULong])),
    (229, e("munlock", mem::mlock, &[Ptr, ULong])),
    (230, e("mlockall", mem::mlockall, &[Hex])),
    (231, e("munlockall", mem::munlockall, &[])),
    (232, e("mincore", mem::mincore, &[Ptr, ULong, Ptr])),
    (233, e("madvise", mem::madvise, &[Ptr, ULong, Enum(MADVISE)])),
    (240, e("rt_tgsigqueueinfo", signal::rt_tgsigqueueinfo, &[Int, Int, Signal, Ptr])),
    (242, e("accept4", net::accept4, &[Fd, SockAddrOut(2), Ptr, Flags(SOCK_FLAGS)])),
    (243, e("recvmmsg", net::recvmmsg, &[Fd, Ptr, Int, Flags(MSG_FLAGS), Ptr])),
    (260, e("wait4", process::wait4, &[Int, Ptr, Hex, Ptr])),
    (261, e("prlimit64", process::prlimit64, &[Int, Enum(RLIMITS), Ptr, Ptr])),
    (266, e("clock_adjtime", time::clock_adjtime, &[Enum(CLOCKS), Ptr])),
    (267, e("syncfs", fs::syncfs, &[Fd])),
    (268, e("setns", ns::setns, &[Fd, Hex])),
    (269, e("sendmmsg", net::sendmmsg, &[Fd, Ptr, Int, Flags(MSG_FLAGS)])),
    (274, e("sched_setattr", process::sched_setattr, &[Int, Ptr, Hex])),
    (275, e("sched_getattr", process::sched_getattr, &[Int, Ptr, ULong, Hex])),
    (276, e("renameat2", fs::renameat2, &[DirFd, Path, DirFd, Path, Flags(RENAME_FLAGS)])),
    (278, e("getrandom", process::getrandom, &[Ptr, ULong, Flags(GRND_FLAGS)])),
    (279, e("memfd_create", fs::memfd_create, &[Path, Hex])),
    (281, e("execveat", process::execveat, &[DirFd, Path, Ptr, Ptr, Flags(AT_FLAGS)])),
    (283, e("membarrier", thread::membarrier, &[Enum(MEMBARRIER_CMDS), Hex, Int])),
    (284, e("mlock2", mem::mlock2, &[Ptr, ULong, Hex])),
    (285, e("copy_file_range", fs::copy_file_range, &[Fd, Ptr, Fd, Ptr, ULong, Hex])),
    (286, e("preadv2", fd::preadv2, &[Fd, Ptr, Int, Long, Long, Hex])),
    (287, e("pwritev2", fd::pwritev2, &[Fd, Ptr, Int, Long, Long, Hex])),
    (291, e("statx", fs::statx, &[DirFd, Path, Flags(AT_FLAGS), Hex, Ptr])),
    (293, e("rseq", process::rseq, &[Ptr, ULong, Hex, Hex])),
    (424, e("pidfd_send_signal", signal::pidfd_send_signal, &[Fd, Signal, Ptr, Hex])),
    (434, e("pidfd_open", process::pidfd_open, &[Int, Hex])),
    (435, e("clone3", process::clone3, &[Ptr, ULong])),
    (436, e("close_range", fd::close_range, &[Fd, Fd, Hex])),
    (437, e("openat2", fs::openat2, &[DirFd, Path, Ptr, ULong])),
    (438, e("pidfd_getfd", process::pidfd_getfd, &[Fd, Int, Hex])),
    (439, e("faccessat2", fs::faccessat2, &[DirFd, Path, Flags(ACCESS_MODES), Flags(AT_FLAGS)])),
    (441, e("epoll_pwait2", poll::epoll_pwait2, &[Fd, Ptr, Int, Ptr, Ptr, ULong])),
];

static RISCV_HWPROBE: Entry = e("riscv_hwprobe", process::riscv_hwprobe, &[Ptr, ULong, ULong, Ptr, Hex]);
static RENAMEAT: Entry = e("renameat", fs::renameat, &[DirFd, Path, DirFd, Path]);
static RISCV_FLUSH_ICACHE: Entry = e("riscv_flush_icache", mem::riscv_flush_icache, &[Ptr, Ptr, Hex]);

/// The entry for an architecture-specific call.
pub fn arch_entry(s: ArchSyscall) -> &'static Entry {
    match s {
        ArchSyscall::RiscvHwprobe => &RISCV_HWPROBE,
        ArchSyscall::RiscvFlushIcache => &RISCV_FLUSH_ICACHE,
        ArchSyscall::Renameat => &RENAMEAT,
    }
}

/// Numbers below this index straight into [`index`].
const DIRECT: usize = 512;

fn index() -> &'static [u16; DIRECT] {
    static INDEX: OnceLock<Box<[u16; DIRECT]>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut ix = Box::new([u16::MAX; DIRECT]);
        for (i, (nr, _)) in GENERIC.iter().enumerate() {
            ix[*nr as usize] = i as u16;
        }
        ix
    })
}

/// The entry for `nr` on `arch`, if remu implements it.
pub fn lookup(arch: &Arch, nr: u64) -> Option<&'static Entry> {
    if let Some((_, s)) = arch.extra_syscalls.iter().find(|(n, _)| *n == nr) {
        return Some(arch_entry(*s));
    }
    let i = *index().get(nr as usize)?;
    GENERIC.get(i as usize).map(|(_, e)| e)
}

/// The name of `nr` on `arch`, if it is in the table.
pub fn name(arch: &Arch, nr: u64) -> Option<&'static str> {
    lookup(arch, nr).map(|e| e.name)
}
