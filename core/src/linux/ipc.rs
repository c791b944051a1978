//! System V IPC (message queues, semaphores, shared memory) and POSIX message queues.
//!
//! The 64-bit structures (`ipc64_perm`, `msqid64_ds`, `shmid64_ds`, the `*info` structures,
//! `struct sembuf`, `struct mq_attr`, `struct sigevent`) have the same layout on riscv64,
//! aarch64 and x86-64 (asm-generic's), so buffers pass through after being checked. Two
//! things are translated: x86-64's `semid64_ds`, which has a padding word after each time
//! (104 bytes against asm-generic's 88), and guest addresses: a segment attached
//! with `shmat` lands inside guest memory at a guest address, and `mq_notify`'s SIGEV_THREAD
//! cookie is a guest pointer. `cmd` arguments pass unchanged: neither side's kernel parses
//! an IPC_64 version bit on 64-bit.

use super::abi::open_flags_to_host;
use super::fd::guest_fd;
use super::syscall::{blocking, guest_buf, guest_buf_opt, host, int, plain, Ctx, SysResult};
use crate::isa::Access;
use crate::mem::{Backing, Errno, Placement, Prot, PAGE_SIZE};

// Commands (include/uapi/linux/ipc.h, msg.h, sem.h, shm.h).
const IPC_RMID: i32 = 0;
const IPC_SET: i32 = 1;
const IPC_STAT: i32 = 2;
const IPC_INFO: i32 = 3;
const MSG_STAT: i32 = 11;
const MSG_INFO: i32 = 12;
const MSG_STAT_ANY: i32 = 13;
// GETPID 11, GETVAL 12, GETNCNT 14, GETZCNT 15 take no buffer.
const GETALL: i32 = 13;
const SETVAL: i32 = 16;
const SETALL: i32 = 17;
const SEM_STAT: i32 = 18;
const SEM_INFO: i32 = 19;
const SEM_STAT_ANY: i32 = 20;
const SHM_LOCK: i32 = 11;
const SHM_UNLOCK: i32 = 12;
const SHM_STAT: i32 = 13;
const SHM_INFO: i32 = 14;
const SHM_STAT_ANY: i32 = 15;

// Structure sizes, LP64 asm-generic.
const MSQID_DS: u64 = 120;
const MSGINFO: u64 = 32;
const SEMID_DS: u64 = 88;
const SEMINFO: u64 = 40;
const SHMID_DS: u64 = 112;
const SHMINFO: u64 = 72;
const SHM_INFO_SIZE: u64 = 48;
const SEMBUF: u64 = 6;
const MQ_ATTR: u64 = 64;
const SIGEVENT: u64 = 64;

/// SEMOPM is 500 by default; the kernel says E2BIG above its limit, we only refuse counts
/// no kernel accepts before touching guest memory.
const SEMOPS_MAX: u64 = 1 << 16;

// shmat flags.
const SHM_RDONLY: u64 = 0o10000;
const SHM_RND: u64 = 0o20000;
const SHM_REMAP: u64 = 0o40000;
const SHM_EXEC: u64 = 0o100000;

/// The buffer a `*ctl` command reads or writes: (size, guest writes it).
fn ctl_buffer(cmd: i32, stat: &[i32], info: &[(i32, u64)], ds: u64) -> Option<(u64, Access)> {
    if stat.contains(&cmd) {
        return Some((ds, Access::Write));
    }
    if cmd == IPC_SET {
        return Some((ds, Access::Read));
    }
    info.iter().find(|(c, _)| *c == cmd).map(|(_, n)| (*n, Access::Write))
}

fn ctl_ptr(c: &Ctx<'_>, addr: u64, buf: Option<(u64, Access)>) -> Result<*mut libc::c_void, Errno> {
    match buf {
        Some((len, access)) => Ok(c.mem.host_range(addr, len, access)?.cast()),
        None => Ok(std::ptr::null_mut()),
    }
}

pub fn msgget(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_msgget, &[int(a[0]) as u64, int(a[1]) as u64])?)
}

pub fn msgctl(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let cmd = int(a[1]);
    let buf = ctl_buffer(cmd, &[IPC_STAT, MSG_STAT, MSG_STAT_ANY], &[(IPC_INFO, MSGINFO), (MSG_INFO, MSGINFO)], MSQID_DS);
    let p = ctl_ptr(c, a[2], buf)?;
    // SAFETY: `p` is NULL (commands without a buffer) or checked guest memory of the size
    // the command uses.
    Ok(host(unsafe { libc::syscall(libc::SYS_msgctl, int(a[0]), cmd, p) })?)
}

/// msgsnd(id, msgp, size, flags): `msgp` is a `long` type followed by `size` bytes.
pub fn msgsnd(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if (a[2] as i64) < 0 {
        return Err(Errno::EINVAL.into());
    }
    let msg = guest_buf(c.mem, a[1], 8 + a[2], Access::Read)?;
    Ok(blocking(libc::SYS_msgsnd, [int(a[0]) as u64, msg as u64, a[2], int(a[3]) as u64, 0, 0])?)
}

pub fn msgrcv(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if (a[2] as i64) < 0 {
        return Err(Errno::EINVAL.into());
    }
    let msg = guest_buf(c.mem, a[1], 8 + a[2], Access::Write)?;
    Ok(blocking(libc::SYS_msgrcv, [int(a[0]) as u64, msg as u64, a[2], a[3], int(a[4]) as u64, 0])?)
}

pub fn semget(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_semget, &[int(a[0]) as u64, int(a[1]) as u64, int(a[2]) as u64])?)
}

/// The host's (x86-64) semid64_ds as words: ipc64_perm (6 words), sem_otime, a pad,
/// sem_ctime, a pad, sem_nsems, two unused words.
type HostSemid = [u64; 13];
const HOST_OTIME: usize = 6;
const HOST_CTIME: usize = 8;
const HOST_NSEMS: usize = 10;
/// The guest's (asm-generic): ipc64_perm, sem_otime, sem_ctime, sem_nsems, two unused words.
const GUEST_OTIME: usize = 6;

fn sem_stat(id: i32, num: i32, cmd: i32) -> Result<(i64, HostSemid), Errno> {
    let mut ds: HostSemid = [0; 13];
    // SAFETY: `ds` is an x86-64 semid64_ds-sized buffer we own.
    let r = host(unsafe { libc::syscall(libc::SYS_semctl, id, num, cmd, ds.as_mut_ptr()) })?;
    Ok((r, ds))
}

/// The number of semaphores in set `id` (for GETALL/SETALL's array).
fn sem_count(id: i32) -> Result<u64, Errno> {
    Ok(sem_stat(id, 0, IPC_STAT)?.1[HOST_NSEMS])
}

/// IPC_STAT, SEM_STAT, SEM_STAT_ANY and IPC_SET, through the host's layout.
fn semctl_ds(c: &Ctx<'_>, id: i32, num: i32, cmd: i32, addr: u64) -> SysResult {
    c.mem.check(addr, SEMID_DS, if cmd == IPC_SET { Access::Read } else { Access::Write })?;
    if cmd == IPC_SET {
        let g = c.mem.read_vec(addr, SEMID_DS as usize)?;
        let word = |i: usize| u64::from_le_bytes(g[i * 8..i * 8 + 8].try_into().unwrap());
        let mut ds: HostSemid = [0; 13];
        ds[..6].iter_mut().enumerate().for_each(|(i, w)| *w = word(i));
        (ds[HOST_OTIME], ds[HOST_CTIME], ds[HOST_NSEMS]) = (word(GUEST_OTIME), word(GUEST_OTIME + 1), word(GUEST_OTIME + 2));
        // SAFETY: `ds` is an x86-64 semid64_ds we own.
        return Ok(host(unsafe { libc::syscall(libc::SYS_semctl, id, num, cmd, ds.as_ptr()) })?);
    }
    let (r, ds) = sem_stat(id, num, cmd)?;
    let mut g = [0u64; (SEMID_DS / 8) as usize];
    g[..6].copy_from_slice(&ds[..6]);
    (g[GUEST_OTIME], g[GUEST_OTIME + 1], g[GUEST_OTIME + 2]) = (ds[HOST_OTIME], ds[HOST_CTIME], ds[HOST_NSEMS]);
    let bytes: Vec<u8> = g.iter().flat_map(|w| w.to_le_bytes()).collect();
    c.mem.write(addr, &bytes)?;
    Ok(r)
}

/// semctl(id, num, cmd, arg): `arg` is `union semun` passed by value, a pointer for the
/// commands with a buffer and an int for SETVAL.
pub fn semctl(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (id, num, cmd) = (int(a[0]), int(a[1]), int(a[2]));
    let arg: u64 = match cmd {
        GETALL | SETALL => {
            let access = if cmd == GETALL { Access::Write } else { Access::Read };
            guest_buf(c.mem, a[3], sem_count(id)? * 2, access)? as u64
        }
        SETVAL => int(a[3]) as u64,
        IPC_STAT | SEM_STAT | SEM_STAT_ANY | IPC_SET => return semctl_ds(c, id, num, cmd, a[3]),
        IPC_INFO | SEM_INFO => c.mem.host_range(a[3], SEMINFO, Access::Write)? as u64,
        _ => 0,
    };
    // SAFETY: `arg` is an int or a checked host pointer of the size the command uses.
    Ok(host(unsafe { libc::syscall(libc::SYS_semctl, id, num, cmd, arg) })?)
}

pub fn semtimedop(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[2] > SEMOPS_MAX {
        return Err(Errno(libc::E2BIG).into());
    }
    let sops = guest_buf(c.mem, a[1], a[2] * SEMBUF, Access::Read)?;
    let timeout = guest_buf_opt(c.mem, a[3], 16, Access::Read)?;
    Ok(blocking(libc::SYS_semtimedop, [int(a[0]) as u64, sops as u64, a[2], timeout as u64, 0, 0])?)
}

/// semop is semtimedop without a timeout.
pub fn semop(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    semtimedop(c, [a[0], a[1], a[2], 0, 0, 0])
}

pub fn shmget(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_shmget, &[int(a[0]) as u64, a[1], int(a[2]) as u64])?)
}

pub fn shmctl(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let cmd = int(a[1]);
    let buf = match cmd {
        IPC_RMID | SHM_LOCK | SHM_UNLOCK => None,
        _ => ctl_buffer(cmd, &[IPC_STAT, SHM_STAT, SHM_STAT_ANY], &[(IPC_INFO, SHMINFO), (SHM_INFO, SHM_INFO_SIZE)], SHMID_DS),
    };
    let p = ctl_ptr(c, a[2], buf)?;
    // SAFETY: as in `msgctl`.
    Ok(host(unsafe { libc::syscall(libc::SYS_shmctl, int(a[0]), cmd, p) })?)
}

/// shmat(id, addr, flags): the segment is attached inside guest memory, at a guest address
/// chosen as the kernel would (top-down when `addr` is 0), and recorded as a shared area.
pub fn shmat(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (id, flags) = (int(a[0]), a[2]);
    let mut addr = a[1];
    if !addr.is_multiple_of(PAGE_SIZE) {
        if flags & SHM_RND == 0 {
            return Err(Errno::EINVAL.into());
        }
        addr -= addr % PAGE_SIZE;
    }
    if flags & SHM_REMAP != 0 && addr == 0 {
        return Err(Errno::EINVAL.into());
    }
    let mut ds = [0u64; (SHMID_DS / 8) as usize];
    // SAFETY: `ds` is a shmid64_ds-sized buffer we own.
    host(unsafe { libc::syscall(libc::SYS_shmctl, id, IPC_STAT, ds.as_mut_ptr()) })?;
    let (key, size) = (ds[0] as i32, ds[6]);
    let place = match (addr, flags & SHM_REMAP != 0) {
        (0, _) => Placement::Hint(0),
        (a, true) => Placement::Fixed(a),
        // Without SHM_REMAP an attach over existing pages fails with EINVAL.
        (a, false) => Placement::FixedNoReplace(a),
    };
    let mut prot = if flags & SHM_RDONLY != 0 { Prot::READ } else { Prot::RW };
    if flags & SHM_EXEC != 0 {
        prot = prot | Prot::EXEC;
    }
    let host_flags = (flags & SHM_RDONLY) as i32 | libc::SHM_REMAP;
    let r = c.mem.map_with(place, size, prot, Backing::Shm { key, id, size }, |at| {
        // SAFETY: `at` is the start of `size` (page-rounded) bytes of our reservation;
        // SHM_REMAP replaces exactly those pages.
        let p = unsafe { libc::shmat(id, at.cast(), host_flags) };
        if p as isize == -1 {
            Err(Errno::last())
        } else {
            Ok(())
        }
    });
    match r {
        Err(e) if e == Errno::EEXIST => Err(Errno::EINVAL.into()),
        r => Ok(r? as i64),
    }
}

pub fn shmdt(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    c.mem.shm_detach(a[0])?;
    Ok(0)
}

/// NAME_MAX for a queue name.
const MQ_NAME_MAX: usize = 255;

fn mq_name(c: &Ctx<'_>, addr: u64) -> Result<std::ffi::CString, Errno> {
    let raw = c.mem.read_cstr(addr, MQ_NAME_MAX + 1)?;
    if raw.len() > MQ_NAME_MAX {
        return Err(Errno(libc::ENAMETOOLONG));
    }
    std::ffi::CString::new(raw).map_err(|_| Errno::EINVAL)
}

/// mq_open(name, flags, mode, attr): queue names live in the mqueue file system, not in
/// the guest's file system view, so they pass unchanged.
pub fn mq_open(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let name = mq_name(c, a[0])?;
    let flags = open_flags_to_host(c.p.arch, a[1]);
    let attr = if flags & libc::O_CREAT != 0 { guest_buf_opt(c.mem, a[3], MQ_ATTR, Access::Read)? } else { std::ptr::null_mut() };
    // SAFETY: `name` is NUL-terminated; `attr` NULL or a checked mq_attr.
    Ok(host(unsafe { libc::syscall(libc::SYS_mq_open, name.as_ptr(), flags, (a[2] & 0o7777) as u32, attr) })?)
}

pub fn mq_unlink(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let name = mq_name(c, a[0])?;
    // SAFETY: `name` is NUL-terminated.
    Ok(host(unsafe { libc::syscall(libc::SYS_mq_unlink, name.as_ptr()) })?)
}

pub fn mq_timedsend(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let msg = guest_buf(c.mem, a[1], a[2], Access::Read)?;
    let timeout = guest_buf_opt(c.mem, a[4], 16, Access::Read)?;
    Ok(blocking(libc::SYS_mq_timedsend, [fd as u64, msg as u64, a[2], int(a[3]) as u32 as u64, timeout as u64, 0])?)
}

pub fn mq_timedreceive(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let msg = guest_buf(c.mem, a[1], a[2], Access::Write)?;
    let prio = guest_buf_opt(c.mem, a[3], 4, Access::Write)?;
    let timeout = guest_buf_opt(c.mem, a[4], 16, Access::Read)?;
    Ok(blocking(libc::SYS_mq_timedreceive, [fd as u64, msg as u64, a[2], prio as u64, timeout as u64, 0])?)
}

/// SIGEV_THREAD: the queue posts a notification cookie to a netlink socket; the sigevent's
/// value is then a pointer to the cookie (NOTIFY_COOKIE_LEN bytes), read by the kernel.
const SIGEV_THREAD: u32 = 2;
const NOTIFY_COOKIE_LEN: u64 = 32;

pub fn mq_notify(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let mut sev = [0u8; SIGEVENT as usize];
    let p = if a[1] == 0 {
        std::ptr::null()
    } else {
        c.mem.read(a[1], &mut sev)?;
        let notify = u32::from_le_bytes(sev[12..16].try_into().unwrap());
        if notify == SIGEV_THREAD {
            let cookie = u64::from_le_bytes(sev[..8].try_into().unwrap());
            let host_cookie = c.mem.host_range(cookie, NOTIFY_COOKIE_LEN, Access::Read)? as u64;
            sev[..8].copy_from_slice(&host_cookie.to_le_bytes());
        }
        sev.as_ptr()
    };
    // SAFETY: `p` is NULL or our copy of the sigevent, its pointer translated.
    Ok(host(unsafe { libc::syscall(libc::SYS_mq_notify, fd, p) })?)
}

pub fn mq_getsetattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    let new = guest_buf_opt(c.mem, a[1], MQ_ATTR, Access::Read)?;
    let old = guest_buf_opt(c.mem, a[2], MQ_ATTR, Access::Write)?;
    // SAFETY: each pointer is NULL or a checked mq_attr.
    Ok(host(unsafe { libc::syscall(libc::SYS_mq_getsetattr, fd, new, old) })?)
}
