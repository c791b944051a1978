//! Process calls: exit, ids, uname, resource limits, sysinfo, getrandom, futex, the
//! thread bookkeeping calls (set_tid_address, robust lists) and riscv_hwprobe.
//!
//! The guest is the host process: ids, groups and scheduling pass through. Resource limits
//! that would constrain remu itself (RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK) are recorded for
//! the guest but not applied to the host.

use std::sync::atomic::Ordering;

use super::syscall::{guest_buf_opt, host, int, write_pod, Ctx, Stop, SysResult};
use crate::isa::Access;
use crate::mem::Errno;

pub fn exit(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // The raw status; `Outcome` keeps the low 8 bits as the kernel does.
    Err(Stop::Exit(a[0] as i32))
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

pub fn set_tid_address(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    c.p.clear_child_tid.store(a[0], Ordering::Relaxed);
    Ok(own_tid() as i64)
}

/// `struct robust_list_head` is three pointers.
const ROBUST_LIST_HEAD: u64 = 24;

pub fn set_robust_list(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[1] != ROBUST_LIST_HEAD {
        return Err(Errno::EINVAL.into());
    }
    c.p.robust_list.store(a[0], Ordering::Relaxed);
    Ok(0)
}

pub fn get_robust_list(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let pid = int(a[0]);
    if pid != 0 && pid != own_tid() {
        return Err(Errno(libc::ESRCH).into());
    }
    c.mem.write_u64(a[1], c.p.robust_list.load(Ordering::Relaxed))?;
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
    let uaddr = c.mem.host_range(a[0], 4, Access::Write)?;
    let timeout_ptr = |c: &Ctx<'_>| guest_buf_opt(c.mem, a[3], 16, Access::Read).map(|p| p as usize);
    let uaddr2 = |c: &Ctx<'_>| c.mem.host_range(a[4], 4, Access::Write).map(|p| p as usize);
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
    // SAFETY: every pointer argument was checked to lie in guest memory with the size the
    // kernel accesses (a u32 futex word, a timespec); guest memory is host memory, so the
    // host futex serves the guest's threads directly.
    Ok(host(unsafe { libc::syscall(libc::SYS_futex, uaddr, op, a[2] as u32, arg4, arg5, a[5] as u32) })?)
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
    const PR_SET_NO_NEW_PRIVS: i32 = 38;
    const PR_GET_NO_NEW_PRIVS: i32 = 39;
    const PR_SET_VMA: i32 = 0x53564d41;
    let opt = int(a[0]);
    let arg2: u64 = match opt {
        PR_SET_PDEATHSIG | PR_GET_DUMPABLE | PR_SET_DUMPABLE | PR_SET_NO_NEW_PRIVS | PR_GET_NO_NEW_PRIVS => a[1],
        PR_GET_PDEATHSIG => c.mem.host_range(a[1], 4, Access::Write)? as u64,
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
    // SAFETY: NULL or checked guest memory of the sizes the kernel writes.
    Ok(host(unsafe { libc::syscall(libc::SYS_wait4, int(a[0]), status, int(a[2]), ru) })?)
}

/// clone/clone3: threads and fork come later.
pub fn clone(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    Err(Errno::ENOSYS.into())
}

/// execve: needs remu to load the new program; later.
pub fn execve(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    Err(Errno::ENOSYS.into())
}

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
