//! Process calls: exit, ids, uname, resource limits, sysinfo, getrandom, futex, the
//! thread bookkeeping calls (set_tid_address, robust lists) and riscv_hwprobe.
//!
//! The guest is the host process: ids, groups and scheduling pass through. Resource limits
//! that would constrain remu itself (RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK) are recorded for
//! the guest but not applied to the host.

use std::sync::atomic::Ordering;

use super::syscall::{blocking, guest_buf_opt, host, int, plain, write_pod, Ctx, Stop, SysResult};
use super::thread::{self, *};
use crate::isa::Access;
use crate::mem::Errno;

/// exit: ends the calling thread only (the process ends with its last thread).
pub fn exit(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // The raw status; `Outcome` keeps the low 8 bits as the kernel does.
    Err(Stop::ExitThread(a[0] as i32))
}

/// exit_group: ends the process, whichever thread calls it.
pub fn exit_group(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Err(Stop::Exit(a[0] as i32))
}

/// Names the calling host thread (its `comm`: `/proc/self/comm`, the name in
/// `/proc/self/stat` and `status`, what ps, top and pkill show) after the guest program, as
/// the kernel names a process after the file it executes: the path's last component, cut
/// to 15 bytes. Threads the guest starts inherit it, as on the kernel.
pub fn name_after_program(path: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let Some(base) = path.file_name() else { return };
    let mut name = [0u8; 16];
    let b = base.as_bytes();
    let n = b.len().min(15);
    name[..n].copy_from_slice(&b[..n]);
    // SAFETY: PR_SET_NAME reads a NUL-terminated name of at most 16 bytes from `name`.
    unsafe { libc::prctl(libc::PR_SET_NAME, name.as_ptr()) };
}

fn own_pid() -> i32 {
    // SAFETY: getpid has no preconditions.
    unsafe { libc::getpid() }
}

fn own_tid() -> i32 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::gettid() }
}

pub fn getpid(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    Ok(own_pid() as i64)
}
pub fn gettid(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    Ok(own_tid() as i64)
}
pub fn getppid(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    // SAFETY: no preconditions.
    Ok(unsafe { libc::getppid() } as i64)
}
pub fn getuid(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    // SAFETY: no preconditions.
    Ok(unsafe { libc::getuid() } as i64)
}
pub fn geteuid(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    // SAFETY: no preconditions.
    Ok(unsafe { libc::geteuid() } as i64)
}
pub fn getgid(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    // SAFETY: no preconditions.
    Ok(unsafe { libc::getgid() } as i64)
}
pub fn getegid(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    // SAFETY: no preconditions.
    Ok(unsafe { libc::getegid() } as i64)
}

pub fn setpgid(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::setpgid(int(a[0]), int(a[1])) })?)
}
pub fn getpgid(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::getpgid(int(a[0])) })?)
}
pub fn getsid(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::getsid(int(a[0])) })?)
}
pub fn setsid(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::setsid() })?)
}

fn write_ids(c: &Ctx<'_>, ptrs: &[u64], ids: [u32; 3]) -> SysResult {
    for (p, id) in ptrs.iter().zip(ids) {
        c.mem.write_u32(*p, id)?;
    }
    Ok(0)
}

pub fn getresuid(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (mut r, mut e, mut s) = (0, 0, 0);
    // SAFETY: three out-parameters we own.
    host(unsafe { libc::getresuid(&mut r, &mut e, &mut s) })?;
    write_ids(c, &a[..3], [r, e, s])
}

pub fn getresgid(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (mut r, mut e, mut s) = (0, 0, 0);
    // SAFETY: three out-parameters we own.
    host(unsafe { libc::getresgid(&mut r, &mut e, &mut s) })?;
    write_ids(c, &a[..3], [r, e, s])
}

pub fn getgroups(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let size = int(a[0]);
    if size < 0 {
        return Err(Errno::EINVAL.into());
    }
    let list =
        if size == 0 { std::ptr::null_mut() } else { c.mem.host_range(a[1], size as u64 * 4, Access::Write)?.cast() };
    // SAFETY: `list` is NULL (size 0) or `size` gid_t slots of writable guest memory.
    Ok(host(unsafe { libc::getgroups(size, list) })?)
}

pub fn umask(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SAFETY: no pointers.
    Ok(unsafe { libc::umask((a[0] & 0o777) as libc::mode_t) } as i64)
}

pub fn sched_yield(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    // SAFETY: no arguments.
    Ok(host(unsafe { libc::sched_yield() })?)
}

pub fn sched_getaffinity(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let buf = c.mem.host_range(a[2], a[1], Access::Write)?;
    // SAFETY: `buf` is `a[1]` writable bytes of guest memory (a cpu mask of longs).
    Ok(host(unsafe { libc::syscall(libc::SYS_sched_getaffinity, int(a[0]), a[1] as usize, buf) })?)
}

pub fn sched_setaffinity(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let buf = c.mem.host_range(a[2], a[1], Access::Read)?;
    // SAFETY: `buf` is `a[1]` readable bytes of guest memory.
    Ok(host(unsafe { libc::syscall(libc::SYS_sched_setaffinity, int(a[0]), a[1] as usize, buf) })?)
}

pub fn getcpu(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let cpu = guest_buf_opt(c.mem, a[0], 4, Access::Write)?;
    let node = guest_buf_opt(c.mem, a[1], 4, Access::Write)?;
    // SAFETY: each pointer is NULL or 4 writable bytes of guest memory; the cache argument
    // is unused by the kernel.
    Ok(host(unsafe { libc::syscall(libc::SYS_getcpu, cpu, node, 0usize) })?)
}

/// One `struct new_utsname` field: 65 bytes, NUL-padded.
fn uts_field(out: &mut [u8], s: &[u8]) {
    let n = s.len().min(64);
    out[..n].copy_from_slice(&s[..n]);
}

pub fn uname(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    c.mem.check(a[0], 6 * 65, Access::Write)?;
    let u = rustix::system::uname();
    let mut buf = [0u8; 6 * 65];
    let fields: [&[u8]; 6] = [
        u.sysname().to_bytes(),
        u.nodename().to_bytes(),
        u.release().to_bytes(),
        u.version().to_bytes(),
        c.p.arch.name.as_bytes(),
        u.domainname().to_bytes(),
    ];
    for (i, f) in fields.iter().enumerate() {
        uts_field(&mut buf[i * 65..(i + 1) * 65], f);
    }
    c.mem.write(a[0], &buf)?;
    Ok(0)
}

pub fn sysinfo(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    c.mem.check(a[0], std::mem::size_of::<libc::sysinfo>() as u64, Access::Write)?;
    // SAFETY: all-zero is a valid sysinfo (padding included), filled by the host.
    let mut si: libc::sysinfo = unsafe { std::mem::zeroed() };
    // SAFETY: `si` is a valid out-buffer.
    host(unsafe { libc::sysinfo(&mut si) })?;
    // The LP64 layout (112 bytes) is the same on the guest.
    write_pod(c.mem, a[0], &si)?;
    Ok(0)
}

pub fn getrandom(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[2] & !7 != 0 {
        return Err(Errno::EINVAL.into());
    }
    let len = a[1].min(isize::MAX as u64);
    let buf = super::syscall::guest_buf(c.mem, a[0], len, Access::Write)?;
    // SAFETY: `buf` is `len` writable bytes of guest memory.
    Ok(host(unsafe { libc::getrandom(buf, len as usize, a[2] as u32) } as i64)?)
}

pub fn set_tid_address(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    thread::set_clear_child_tid(a[0]);
    Ok(own_tid() as i64)
}

/// `struct robust_list_head` is three pointers.
const ROBUST_LIST_HEAD: u64 = 24;

pub fn set_robust_list(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[1] != ROBUST_LIST_HEAD {
        return Err(Errno::EINVAL.into());
    }
    thread::set_robust_list(a[0]);
    Ok(0)
}

pub fn get_robust_list(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let pid = int(a[0]);
    if pid != 0 && pid != own_tid() {
        return Err(Errno(libc::ESRCH).into());
    }
    c.mem.write_u64(a[1], thread::robust_list())?;
    c.mem.write_u64(a[2], ROBUST_LIST_HEAD)?;
    Ok(0)
}

pub fn futex(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let op = int(a[1]);
    // FUTEX_PRIVATE_FLAG (128) and FUTEX_CLOCK_REALTIME (256) modify the command.
    let cmd = op & 0x7f;
    if a[0] & 3 != 0 {
        return Err(Errno::EINVAL.into());
    }
    // Waits, wakes and requeues only read the word; WAKE_OP and the PI operations write it.
    let access = if matches!(cmd, 0 | 1 | 3 | 4 | 9 | 10) { Access::Read } else { Access::Write };
    let uaddr = c.mem.host_range(a[0], 4, access)?;
    let timeout_ptr = |c: &Ctx<'_>| guest_buf_opt(c.mem, a[3], 16, Access::Read).map(|p| p as usize);
    let uaddr2 = |c: &Ctx<'_>| {
        if a[4] & 3 != 0 {
            return Err(Errno::EINVAL);
        }
        Ok(c.mem.host_range(a[4], 4, access)? as usize)
    };
    let (arg4, arg5): (usize, usize) = match cmd {
        // WAIT, WAIT_BITSET, LOCK_PI, LOCK_PI2: a timeout pointer.
        0 | 9 | 6 | 13 => (timeout_ptr(c)?, 0),
        // WAKE, WAKE_BITSET, UNLOCK_PI, TRYLOCK_PI: nothing more.
        1 | 10 | 7 | 8 => (0, 0),
        // REQUEUE, CMP_REQUEUE, WAKE_OP, CMP_REQUEUE_PI: a count and a second futex.
        3 | 4 | 5 | 12 => (a[3] as usize, uaddr2(c)?),
        // WAIT_REQUEUE_PI: a timeout and a second futex.
        11 => (timeout_ptr(c)?, uaddr2(c)?),
        _ => return Err(Errno::ENOSYS.into()),
    };
    // Every pointer argument was checked to lie in guest memory with the size the kernel
    // accesses (a u32 futex word, a timespec); guest memory is host memory, so the host
    // futex serves the guest's threads directly. Waits are interruptible by signals.
    Ok(blocking(libc::SYS_futex, [uaddr as u64, op as u32 as u64, a[2] as u32 as u64, arg4 as u64, arg5 as u64, a[5] as u32 as u64])?)
}

const RLIM_NLIMITS: u64 = 16;

/// Limits remu keeps for the guest instead of applying to itself.
fn guest_only_limit(res: u64) -> bool {
    matches!(res, 2 | 3 | 9) // RLIMIT_DATA, RLIMIT_STACK, RLIMIT_AS
}

fn rlimit_self(c: &Ctx<'_>, res: u64, new: u64, old: u64) -> SysResult {
    if res >= RLIM_NLIMITS {
        return Err(Errno::EINVAL.into());
    }
    let new_val = if new != 0 {
        let cur = c.mem.read_u64(new)?;
        let max = c.mem.read_u64(new + 8)?;
        if cur > max {
            return Err(Errno::EINVAL.into());
        }
        Some([cur, max])
    } else {
        None
    };
    if old != 0 {
        c.mem.check(old, 16, Access::Write)?;
    }
    let mut saved = c.p.rlimits.lock().unwrap();
    let current = match saved[res as usize] {
        Some(v) => v,
        None => {
            let mut r = libc::rlimit64 { rlim_cur: 0, rlim_max: 0 };
            // SAFETY: `r` is a valid out-buffer.
            host(unsafe { libc::prlimit64(0, res as _, std::ptr::null(), &mut r) })?;
            [r.rlim_cur, r.rlim_max]
        }
    };
    if let Some([cur, max]) = new_val {
        if guest_only_limit(res) {
            // Raising the hard limit needs privilege, as in the kernel.
            // SAFETY: geteuid has no preconditions.
            if max > current[1] && unsafe { libc::geteuid() } != 0 {
                return Err(Errno::EPERM.into());
            }
            saved[res as usize] = Some([cur, max]);
        } else {
            let r = libc::rlimit64 { rlim_cur: cur, rlim_max: max };
            // SAFETY: `r` is a valid in-buffer.
            host(unsafe { libc::prlimit64(0, res as _, &r, std::ptr::null_mut()) })?;
        }
    }
    if old != 0 {
        c.mem.write_u64(old, current[0])?;
        c.mem.write_u64(old + 8, current[1])?;
    }
    Ok(0)
}

pub fn prlimit64(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let pid = int(a[0]);
    if pid == 0 || pid == own_pid() {
        return rlimit_self(c, a[1], a[2], a[3]);
    }
    // Another process: struct rlimit64 is two u64 on both sides.
    let new = guest_buf_opt(c.mem, a[2], 16, Access::Read)?;
    let old = guest_buf_opt(c.mem, a[3], 16, Access::Write)?;
    // SAFETY: `new` and `old` are NULL or 16 bytes of checked guest memory.
    Ok(host(unsafe { libc::syscall(libc::SYS_prlimit64, pid, int(a[1]), new, old) })?)
}

pub fn getrlimit(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    rlimit_self(c, a[0], 0, a[1])
}

pub fn setrlimit(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    rlimit_self(c, a[0], a[1], 0)
}

pub fn prctl(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    const PR_SET_PDEATHSIG: i32 = 1;
    const PR_GET_PDEATHSIG: i32 = 2;
    const PR_GET_DUMPABLE: i32 = 3;
    const PR_SET_DUMPABLE: i32 = 4;
    const PR_SET_NAME: i32 = 15;
    const PR_GET_NAME: i32 = 16;
    const PR_SET_VMA: i32 = 0x53564d41;
    const PR_GET_CHILD_SUBREAPER: i32 = 37;
    const PR_GET_AUXV: i32 = 0x4155_5856;
    // Options whose arguments are all integers, and that act on this process or thread as
    // they would under a guest kernel: keep-caps (7, 8), seccomp mode query (21), bounding
    // set (23, 24), securebits (27, 28), timer slack (29, 30), machine-check policy (33,
    // 34), child subreaper (36), no_new_privs (38, 39), THP (41, 42), ambient capabilities
    // (47), I/O flusher (57, 58) and Yama's ptracer (0x59616d61). Not PR_SET_SECCOMP: a
    // guest's filter would judge remu's system calls, not the guest's.
    const PLAIN: [i32; 20] = [7, 8, 21, 23, 24, 27, 28, 29, 30, 33, 34, 36, 38, 39, 41, 42, 47, 57, 58, 0x5961_6d61];
    let opt = int(a[0]);
    if opt == PR_GET_AUXV {
        // The guest's auxiliary vector (what /proc/self/auxv shows): its full size, as much
        // of it as fits copied.
        if a[3] != 0 || a[4] != 0 {
            return Err(Errno::EINVAL.into());
        }
        let auxv = c.p.auxv_bytes();
        let n = (a[2] as usize).min(auxv.len());
        c.mem.write(a[1], &auxv[..n])?;
        return Ok(auxv.len() as i64);
    }
    let arg2: u64 = match opt {
        PR_SET_PDEATHSIG | PR_GET_DUMPABLE | PR_SET_DUMPABLE => a[1],
        _ if PLAIN.contains(&opt) => a[1],
        PR_GET_PDEATHSIG | PR_GET_CHILD_SUBREAPER => c.mem.host_range(a[1], 4, Access::Write)? as u64,
        PR_SET_NAME => c.mem.host_range(a[1], 16, Access::Read)? as u64,
        PR_GET_NAME => c.mem.host_range(a[1], 16, Access::Write)? as u64,
        // Naming anonymous mappings: accepted, not shown in maps yet.
        PR_SET_VMA => return Ok(0),
        _ => return Err(Errno::EINVAL.into()),
    };
    // SAFETY: pointer arguments were checked for the size the option accesses.
    Ok(host(unsafe { libc::prctl(opt, arg2, a[2], a[3], a[4]) })?)
}

pub fn wait4(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let status = guest_buf_opt(c.mem, a[1], 4, Access::Write)?;
    let ru = guest_buf_opt(c.mem, a[3], 144, Access::Write)?;
    // NULL or checked guest memory of the sizes the kernel writes; a signal interrupts it.
    Ok(blocking(libc::SYS_wait4, [int(a[0]) as u64, status as u64, int(a[2]) as u64, ru as u64, 0, 0])?)
}

// clone flags (include/uapi/linux/sched.h) beyond those in `thread`.
const CLONE_PIDFD: u64 = 0x1000;
const CLONE_VFORK: u64 = 0x4000;
const CLONE_PARENT: u64 = 0x8000;
/// What remu does not do in a fork: shared tables, threads, new namespaces (CLONE_NEWNS,
/// CLONE_NEWCGROUP ... CLONE_IO).
const CLONE_UNSUPPORTED: u64 = CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_PIDFD | CLONE_PARENT | CLONE_THREAD | 0xfe02_0000;

/// clone(flags, newsp, parent_tid, tls, child_tid) on riscv64 (the kernel's
/// CONFIG_CLONE_BACKWARDS order), clone(flags, newsp, parent_tid, child_tid, tls) elsewhere
/// (the generic order, aarch64's). Fork-like clones (no CLONE_VM: fork; CLONE_VM|CLONE_VFORK:
/// vfork and posix_spawn) are a host fork: the guest memory region is a private mapping, so
/// the child gets a copy, and the child's CPU continues from the same state with 0 returned.
/// Threads (CLONE_VM without CLONE_VFORK) are host threads ([`thread::clone_thread`]).
/// Fork-like clones with exit signals other than SIGCHLD are not supported yet: ENOSYS.
pub fn clone(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // riscv64 and arm64 both have the CLONE_BACKWARDS order: flags, newsp, parent_tid,
    // tls, child_tid (glibc passes the child tid pointer fifth on both).
    fork_like(c, a[0], a[1], a[2], a[4], a[3])
}

/// clone3(struct clone_args *, size): the same as [`clone`], the arguments in a structure
/// (flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, ...).
pub fn clone3(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    const CLONE_ARGS_SIZE_VER0: u64 = 64;
    if a[1] < CLONE_ARGS_SIZE_VER0 || a[1] > 4096 {
        return Err(Errno::EINVAL.into());
    }
    let f = |i: u64| c.mem.read_u64(a[0] + 8 * i);
    let (flags, child_tid, parent_tid, exit_signal, stack, stack_size, tls) = (f(0)?, f(2)?, f(3)?, f(4)?, f(5)?, f(6)?, f(7)?);
    // Fields past the ones we know must be zero, as the kernel checks.
    for i in 8..a[1] / 8 {
        if f(i)? != 0 {
            return Err(Errno(libc::E2BIG).into());
        }
    }
    if flags & CSIGNAL != 0 || exit_signal > 64 || (stack == 0) != (stack_size == 0) {
        return Err(Errno::EINVAL.into());
    }
    let sp = if stack != 0 { stack + stack_size } else { 0 };
    fork_like(c, flags | exit_signal, sp, parent_tid, child_tid, tls)
}

fn fork_like(c: &mut Ctx<'_>, flags: u64, newsp: u64, ptid: u64, ctid: u64, tls: u64) -> SysResult {
    // The kernel's consistency rules (clone(2)): threads share signal handlers, which
    // needs shared memory.
    if flags & CLONE_THREAD != 0 && flags & CLONE_SIGHAND == 0 || flags & CLONE_SIGHAND != 0 && flags & CLONE_VM == 0 {
        return Err(Errno::EINVAL.into());
    }
    if flags & CLONE_VM != 0 && flags & CLONE_VFORK == 0 {
        return thread::clone_thread(c, flags, newsp, ptid, ctid, tls);
    }
    // Only children that report to their parent with SIGCHLD (fork, vfork, posix_spawn).
    if flags & CLONE_UNSUPPORTED != 0 || flags & CSIGNAL != libc::SIGCHLD as u64 {
        return Err(Errno::ENOSYS.into());
    }
    if flags & CLONE_PARENT_SETTID != 0 {
        c.mem.check(ptid, 4, Access::Write)?;
    }
    if flags & CLONE_CHILD_SETTID != 0 {
        c.mem.check(ctid, 4, Access::Write)?;
    }
    // A vfork parent waits for its child's exec or exit (see `vfork`), and takes back the
    // child's writes to its stack: the area around its stack pointer, if writable.
    let vfork = if flags & CLONE_VFORK != 0 { super::vfork::Pipes::new() } else { None };
    let stack = vfork
        .as_ref()
        .and_then(|_| c.mem.area_at(c.cpu.sp()))
        .filter(|a| a.prot.contains(crate::mem::Prot::WRITE) && a.end - a.start <= 1 << 26)
        .map(|a| (a.start, a.end));
    // The host fork is glibc's, which keeps the host process's own bookkeeping right in the
    // child.
    // SAFETY: the child continues in this very call with a copy of everything. With guest
    // threads running, a lock another host thread held at the fork stays held in the child
    // (as in any multi-threaded fork); remu's locks are short and never held across guest
    // code, and the child's first calls are the guest's own (typically execve).
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(Errno::last().into());
    }
    if pid > 0 {
        if flags & CLONE_PARENT_SETTID != 0 {
            c.mem.write_u32(ptid, pid as u32)?;
        }
        if let Some(v) = vfork {
            v.parent(c.mem, pid, stack);
        }
        return Ok(pid as i64);
    }
    // The child.
    if let Some(v) = vfork {
        v.child();
    }
    let tid = own_tid();
    if flags & CLONE_PARENT_SETTID != 0 {
        let _ = c.mem.write_u32(ptid, tid as u32);
    }
    if flags & CLONE_CHILD_SETTID != 0 {
        let _ = c.mem.write_u32(ctid, tid as u32);
    }
    // The child is one thread; its CLEARTID word is the one it was given, and it has no
    // robust list until it registers one (as the kernel's copy_process does).
    thread::set_clear_child_tid(if flags & CLONE_CHILD_CLEARTID != 0 { ctid } else { 0 });
    thread::set_robust_list(0);
    thread::forked_child(c.p);
    super::signal::forked_child();
    if newsp != 0 {
        c.cpu.set_sp(newsp);
    }
    if flags & CLONE_SETTLS != 0 {
        c.cpu.set_tls(tls);
    }
    c.p.die_by_signal.store(true, Ordering::Relaxed);
    Ok(0)
}

/// waitid(idtype, id, infop, options, rusage): siginfo_t (128 bytes) and struct rusage
/// (144 bytes) have the same LP64 layout on the guest as on the host.
pub fn waitid(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let info = guest_buf_opt(c.mem, a[2], 128, Access::Write)?;
    let ru = guest_buf_opt(c.mem, a[4], 144, Access::Write)?;
    // NULL or checked guest memory of the sizes the kernel writes; a signal interrupts it.
    Ok(blocking(libc::SYS_waitid, [int(a[0]) as u64, int(a[1]) as u32 as u64, info as u64, int(a[3]) as u64, ru as u64, 0])?)
}

/// A NULL-terminated array of guest string pointers (argv, envp); NULL is an empty array.
fn read_strings(c: &Ctx<'_>, addr: u64) -> Result<Vec<Vec<u8>>, Errno> {
    let mut out = Vec::new();
    if addr == 0 {
        return Ok(out);
    }
    let mut total = 0usize;
    loop {
        let p = c.mem.read_u64(addr + 8 * out.len() as u64)?;
        if p == 0 {
            return Ok(out);
        }
        let s = c.mem.read_cstr(p, 128 * 1024)?;
        total += s.len() + 1 + 8;
        // The kernel's limit on arguments plus environment (a quarter of the stack rlimit).
        if total > 2 << 20 {
            return Err(Errno(libc::E2BIG));
        }
        out.push(s);
    }
}

/// What kind of file an execve names, from its first bytes.
enum ExecKind {
    Elf(u16),
    /// `#!interpreter [one argument]`.
    Script(Vec<u8>, Option<Vec<u8>>),
    Other,
}

fn exec_kind(head: &[u8]) -> ExecKind {
    if head.len() >= 20 && head.starts_with(b"\x7fELF") {
        return ExecKind::Elf(u16::from_le_bytes([head[18], head[19]]));
    }
    if let Some(rest) = head.strip_prefix(b"#!") {
        // The kernel reads the first line (up to its buffer size): interpreter, then at most
        // one argument, the rest of the line, with surrounding blanks trimmed.
        let line = rest.split(|&b| b == b'\n').next().unwrap_or(b"");
        let is_blank = |b: &u8| *b == b' ' || *b == b'\t';
        let start = line.iter().position(|b| !is_blank(b)).unwrap_or(line.len());
        let line = &line[start..];
        let end = line.iter().rposition(|b| !is_blank(b)).map_or(0, |i| i + 1);
        let line = &line[..end];
        if line.is_empty() {
            return ExecKind::Other;
        }
        let split = line.iter().position(is_blank).unwrap_or(line.len());
        let interp = line[..split].to_vec();
        let arg = &line[split..];
        let arg_start = arg.iter().position(|b| !is_blank(b));
        let arg = arg_start.map(|i| arg[i..].to_vec());
        return ExecKind::Script(interp, arg);
    }
    ExecKind::Other
}

/// The first bytes of a host file (enough for an ELF header or a `#!` line).
fn file_head(path: &std::ffi::CStr) -> Result<Vec<u8>, Errno> {
    // SAFETY: `path` is NUL-terminated.
    let fd = host(unsafe { libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) })? as i32;
    let mut buf = vec![0u8; 256];
    // SAFETY: `buf` is 256 writable bytes; the descriptor is ours and closed right after.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    // SAFETY: as above.
    unsafe { libc::close(fd) };
    buf.truncate(n.max(0) as usize);
    Ok(buf)
}

fn cstrings(v: &[Vec<u8>]) -> Result<Vec<std::ffi::CString>, Errno> {
    v.iter().map(|s| std::ffi::CString::new(s.clone()).map_err(|_| Errno::EINVAL)).collect()
}

/// Replaces this host process: `execve(path, argv, envp)`; returns only on failure.
fn host_execve(path: &std::ffi::CStr, argv: &[Vec<u8>], envp: &[Vec<u8>]) -> SysResult {
    let argv = cstrings(argv)?;
    let envp = cstrings(envp)?;
    let mut av: Vec<*const libc::c_char> = argv.iter().map(|s| s.as_ptr()).collect();
    av.push(std::ptr::null());
    let mut ev: Vec<*const libc::c_char> = envp.iter().map(|s| s.as_ptr()).collect();
    ev.push(std::ptr::null());
    // SAFETY: every pointer is a NUL-terminated string alive until the call; both arrays
    // end with NULL.
    unsafe { libc::execve(path.as_ptr(), av.as_ptr(), ev.as_ptr()) };
    Err(Errno::last().into())
}

/// Runs another guest program in this process: remu itself (`/proc/self/exe`) with the
/// options this one has (`Process::exec_prefix`), the guest's argv[0] kept.
fn exec_guest(c: &Ctx<'_>, program: &[u8], argv0: &[u8], args: &[Vec<u8>], envp: &[Vec<u8>]) -> SysResult {
    if c.p.exec_prefix.is_empty() {
        return Err(Errno(libc::ENOEXEC).into());
    }
    use std::os::unix::ffi::OsStrExt;
    let mut argv: Vec<Vec<u8>> = vec![b"remu".to_vec()];
    argv.extend(c.p.exec_prefix.iter().map(|a| a.as_bytes().to_vec()));
    let mut a0 = b"--argv0=".to_vec();
    a0.extend_from_slice(argv0);
    argv.push(a0);
    argv.push(b"--".to_vec());
    argv.push(program.to_vec());
    argv.extend(args.iter().cloned());
    host_execve(c"/proc/self/exe", &argv, envp)
}

/// execve: a guest-architecture ELF (or a `#!` script whose interpreter is one) runs under
/// remu with the same options; anything else (a host program, a script for a host
/// interpreter) is the host's to execute. An ELF for a third architecture is ENOEXEC, as
/// the kernel says without binfmt_misc.
pub fn execve(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let guest_path = c.mem.read_cstr(a[0], 4095)?;
    execve_resolved(c, (221, a), guest_path, None, a[1], a[2])
}

/// execve of `guest_path` (as the guest named it) found at `host_path` (default: the
/// guest path through the file system view), with the guest's argv and envp arrays. `call`
/// (number and arguments) is what strace shows once the new program is about to start.
fn execve_resolved(c: &Ctx<'_>, call: (u64, [u64; 6]), guest_path: Vec<u8>, host_path: Option<Vec<u8>>, argv: u64, envp: u64) -> SysResult {
    let argv = read_strings(c, argv)?;
    let envp = read_strings(c, envp)?;
    let path = host_path.unwrap_or_else(|| super::fs::translate_path(c.p, &guest_path));
    let path = std::ffi::CString::new(path).map_err(|_| Errno::EINVAL)?;
    // The permission checks the kernel makes before it commits to the new program.
    // SAFETY: `path` is NUL-terminated.
    host(unsafe { libc::access(path.as_ptr(), libc::X_OK) })?;
    // SAFETY: an all-zero stat is valid; `st` is an out-buffer we own.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    host(unsafe { libc::stat(path.as_ptr(), &mut st) })?;
    if st.st_mode & libc::S_IFMT != libc::S_IFREG {
        return Err(Errno(libc::EACCES).into());
    }
    if c.p.strace {
        if let Some(e) = super::table::lookup(c.p.arch, call.0) {
            super::strace::emit(&super::strace::format_call(e, &call.1, None, c.mem));
        }
    }
    let head = match file_head(&path) {
        Ok(h) => h,
        // Execute-only: not ours to look into; the host decides.
        Err(_) => return host_execve(&path, &argv, &envp),
    };
    let argv0 = argv.first().cloned().unwrap_or_default();
    let rest = argv.get(1..).unwrap_or(&[]);
    match exec_kind(&head) {
        ExecKind::Elf(m) if m == c.p.arch.elf_machine => exec_guest(c, path.as_bytes(), &argv0, rest, &envp),
        ExecKind::Elf(EM_X86_64) => host_execve(&path, &argv, &envp),
        ExecKind::Elf(_) => Err(Errno(libc::ENOEXEC).into()),
        ExecKind::Script(interp, arg) => {
            let ihost = super::fs::translate_path(c.p, &interp);
            let ihost_c = std::ffi::CString::new(ihost.clone()).map_err(|_| Errno(libc::ENOEXEC))?;
            let guest_interp = matches!(file_head(&ihost_c).map(|h| exec_kind(&h)), Ok(ExecKind::Elf(m)) if m == c.p.arch.elf_machine);
            if !guest_interp {
                return host_execve(&path, &argv, &envp);
            }
            // As the kernel: interpreter [argument] script-path original-argv[1..].
            let mut args: Vec<Vec<u8>> = arg.into_iter().collect();
            args.push(guest_path);
            args.extend(rest.iter().cloned());
            exec_guest(c, &ihost, &interp, &args, &envp)
        }
        ExecKind::Other => host_execve(&path, &argv, &envp),
    }
}

const EM_X86_64: u16 = 62;

/// rseq: not supported (glibc then does without).
pub fn rseq(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    Err(Errno::ENOSYS.into())
}

/// riscv_hwprobe(pairs, pair_count, cpusetsize, cpus, flags): answers each
/// `struct riscv_hwprobe { i64 key; u64 value; }` from [`Arch::hwprobe`](crate::Arch);
/// unknown keys get key = -1 and value 0. All harts are alike, so the cpu set is ignored.
pub fn riscv_hwprobe(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[4] != 0 {
        return Err(Errno::EINVAL.into());
    }
    let (pairs, count) = (a[0], a[1]);
    if count == 0 {
        return Ok(0);
    }
    let len = count.checked_mul(16).ok_or(Errno::EFAULT)?;
    c.mem.check(pairs, len, Access::Write)?;
    for i in 0..count {
        let at = pairs + i * 16;
        let key = c.mem.read_u64(at)? as i64;
        match c.p.arch.hwprobe.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => c.mem.write_u64(at + 8, *v)?,
            None => {
                c.mem.write_u64(at, u64::MAX)?;
                c.mem.write_u64(at + 8, 0)?;
            }
        }
    }
    Ok(0)
}

pub fn getpriority(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // The raw call returns 20 - nice, never negative.
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::syscall(libc::SYS_getpriority, int(a[0]), int(a[1])) })?)
}

pub fn setpriority(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::syscall(libc::SYS_setpriority, int(a[0]), int(a[1]), int(a[2])) })?)
}

pub fn sched_getscheduler(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SAFETY: no pointers.
    Ok(host(unsafe { libc::sched_getscheduler(int(a[0])) })?)
}

pub fn sched_getparam(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let p = c.mem.host_range(a[1], 4, Access::Write)?;
    // SAFETY: struct sched_param is one int; `p` is 4 writable guest bytes.
    Ok(host(unsafe { libc::syscall(libc::SYS_sched_getparam, int(a[0]), p) })?)
}

/// personality: only PER_LINUX; 0xffffffff queries.
pub fn personality(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    match a[0] as u32 {
        0xffff_ffff | 0 => Ok(0),
        _ => Err(Errno::EINVAL.into()),
    }
}

pub fn sched_setparam(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let p = c.mem.host_range(a[1], 4, Access::Read)?;
    // SAFETY: struct sched_param is one int; `p` is 4 readable guest bytes.
    Ok(host(unsafe { libc::syscall(libc::SYS_sched_setparam, int(a[0]), p) })?)
}

pub fn sched_setscheduler(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let p = c.mem.host_range(a[2], 4, Access::Read)?;
    // SAFETY: as in `sched_setparam`.
    Ok(host(unsafe { libc::syscall(libc::SYS_sched_setscheduler, int(a[0]), int(a[1]), p) })?)
}

pub fn sched_get_priority_max(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_sched_get_priority_max, &[int(a[0]) as u64])?)
}

pub fn sched_get_priority_min(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_sched_get_priority_min, &[int(a[0]) as u64])?)
}

pub fn sched_rr_get_interval(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let tp = c.mem.host_range(a[1], 16, Access::Write)?;
    // SAFETY: `tp` is a writable timespec of guest memory.
    Ok(host(unsafe { libc::syscall(libc::SYS_sched_rr_get_interval, int(a[0]), tp) })?)
}

/// SCHED_ATTR_SIZE_VER0: the first `struct sched_attr`; its `size` field says which the
/// caller has (0 meaning this one).
const SCHED_ATTR_VER0: u64 = 48;

/// sched_setattr(pid, attr, flags): the kernel reads `attr->size` bytes (and writes its own
/// size back when it refuses a larger one with E2BIG).
pub fn sched_setattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let size = match c.mem.read_u32(a[1])? as u64 {
        0 => SCHED_ATTR_VER0,
        n => n.clamp(SCHED_ATTR_VER0, crate::mem::PAGE_SIZE),
    };
    c.mem.check(a[1], size, Access::Read)?;
    let attr = c.mem.host_range(a[1], SCHED_ATTR_VER0, Access::Write)?;
    // SAFETY: `attr` starts `size` readable guest bytes, its first 48 also writable.
    Ok(host(unsafe { libc::syscall(libc::SYS_sched_setattr, int(a[0]), attr, int(a[2]) as u32) })?)
}

pub fn sched_getattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let size = int(a[2]) as u32;
    if (size as u64) < SCHED_ATTR_VER0 || size as u64 > crate::mem::PAGE_SIZE {
        return Err(Errno::EINVAL.into());
    }
    let attr = c.mem.host_range(a[1], size as u64, Access::Write)?;
    // SAFETY: `attr` is `size` writable guest bytes.
    Ok(host(unsafe { libc::syscall(libc::SYS_sched_getattr, int(a[0]), attr, size, int(a[3]) as u32) })?)
}

/// sethostname/setdomainname(name, len): `len` bytes, not NUL-terminated.
fn set_uts(c: &Ctx<'_>, nr: libc::c_long, a: [u64; 6]) -> SysResult {
    let len = a[1] as i32 as i64;
    if !(0..=64).contains(&len) {
        return Err(Errno::EINVAL.into());
    }
    let name = c.mem.read_vec(a[0], len as usize)?;
    // SAFETY: `name` holds `len` bytes.
    Ok(host(unsafe { libc::syscall(nr, name.as_ptr(), len as usize) })?)
}

pub fn sethostname(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    set_uts(c, libc::SYS_sethostname, a)
}

pub fn setdomainname(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    set_uts(c, libc::SYS_setdomainname, a)
}

/// syslog(type, buf, len), the kernel log (klogctl): the READ actions (2, 3, 4) fill `buf`.
pub fn syslog(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (kind, len) = (int(a[0]), int(a[2]));
    let buf = if matches!(kind, 2..=4) && len > 0 {
        c.mem.host_range(a[1], len as u64, Access::Write)?.cast()
    } else {
        std::ptr::null_mut::<libc::c_void>()
    };
    // SAFETY: `buf` is NULL or `len` writable guest bytes for the reading actions.
    Ok(host(unsafe { libc::syscall(libc::SYS_syslog, kind, buf, len) })?)
}

/// pidfd_open(pid, flags): guest pids are host pids; PIDFD_NONBLOCK is O_NONBLOCK, which
/// aarch64 and x86-64 share.
pub fn pidfd_open(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_pidfd_open, &[int(a[0]) as u64, int(a[1]) as u32 as u64])?)
}

pub fn pidfd_getfd(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let pidfd = super::fd::guest_fd(c, a[0])?;
    Ok(plain(libc::SYS_pidfd_getfd, &[pidfd as u64, int(a[1]) as u64, int(a[2]) as u32 as u64])?)
}

/// execveat(dirfd, path, argv, envp, flags): resolved to the file it names, then run as
/// execve runs it. AT_EMPTY_PATH executes `dirfd` itself (fexecve); as the new program
/// starts in a fresh remu, a descriptor that exec would close is named by its path when
/// it has one, else by a duplicate that survives the exec.
pub fn execveat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    const AT_EMPTY_PATH: u64 = 0x1000;
    let flags = a[4];
    if flags & !(AT_EMPTY_PATH | libc::AT_SYMLINK_NOFOLLOW as u64) != 0 {
        return Err(Errno::EINVAL.into());
    }
    let raw = c.mem.read_cstr(a[1], 4095)?;
    let dirfd = int(a[0]);
    let guest_path: Vec<u8> = if raw.first() == Some(&b'/') || (dirfd == super::abi::AT_FDCWD && !raw.is_empty()) {
        raw.clone()
    } else {
        let fd = super::fd::guest_fd(c, a[0])?;
        let dir = std::fs::read_link(format!("/proc/self/fd/{fd}")).ok().filter(|p| p.exists());
        if raw.is_empty() {
            if flags & AT_EMPTY_PATH == 0 {
                return Err(Errno::ENOENT.into());
            }
            match dir {
                Some(p) => p.into_os_string().into_encoded_bytes(),
                None => {
                    // SAFETY: no pointers; the duplicate is not close-on-exec.
                    let dup = host(unsafe { libc::dup(fd) })?;
                    format!("/proc/self/fd/{dup}").into_bytes()
                }
            }
        } else {
            let mut p = dir.ok_or(Errno::EBADF)?.into_os_string().into_encoded_bytes();
            p.push(b'/');
            p.extend_from_slice(&raw);
            p
        }
    };
    let host_path = if guest_path == raw { None } else { Some(guest_path.clone()) };
    if flags & libc::AT_SYMLINK_NOFOLLOW as u64 != 0 {
        let hp = host_path.clone().unwrap_or_else(|| super::fs::translate_path(c.p, &raw));
        let meta = std::fs::symlink_metadata(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(&hp));
        if meta.is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Errno(libc::ELOOP).into());
        }
    }
    execve_resolved(c, (281, a), guest_path, host_path, a[2], a[3])
}
