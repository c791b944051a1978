//! Credentials: the uid/gid setters, supplementary groups, filesystem ids and capabilities.
//!
//! Guest threads are host threads, and the raw system calls change the calling thread's
//! credentials only, as the kernel's do. The guest's libc makes `setuid(3)` and friends
//! process-wide itself (it signals every thread to make the same call), so passing each
//! call through for the calling thread is exactly the kernel's behaviour. The structures
//! involved (`gid_t` arrays, the capability header and data) are the same on both sides.

use super::syscall::{host, plain, Ctx, SysResult};
use crate::isa::Access;
use crate::mem::Errno;

/// An id argument as the kernel reads it (`uid_t`/`gid_t` are 32-bit; -1 means "unchanged").
fn id(v: u64) -> u64 {
    v as u32 as u64
}

pub fn setuid(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_setuid, &[id(a[0])])?)
}

pub fn setgid(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_setgid, &[id(a[0])])?)
}

pub fn setreuid(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_setreuid, &[id(a[0]), id(a[1])])?)
}

pub fn setregid(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_setregid, &[id(a[0]), id(a[1])])?)
}

pub fn setresuid(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_setresuid, &[id(a[0]), id(a[1]), id(a[2])])?)
}

pub fn setresgid(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_setresgid, &[id(a[0]), id(a[1]), id(a[2])])?)
}

/// setfsuid/setfsgid return the previous id whether or not they changed it.
pub fn setfsuid(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_setfsuid, &[id(a[0])])?)
}

pub fn setfsgid(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_setfsgid, &[id(a[0])])?)
}

/// NGROUPS_MAX (include/uapi/linux/limits.h).
const NGROUPS_MAX: u64 = 65536;

pub fn setgroups(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let n = a[0] as i32 as i64;
    if n < 0 || n as u64 > NGROUPS_MAX {
        return Err(Errno::EINVAL.into());
    }
    let list = c.mem.read_vec(a[1], n as usize * 4)?;
    // SAFETY: `list` holds `n` gid_t values.
    Ok(host(unsafe { libc::syscall(libc::SYS_setgroups, n as usize, list.as_ptr()) })?)
}

/// The capability ABI versions (include/uapi/linux/capability.h): version 1 has one
/// 12-byte data element, versions 2 and 3 two.
const CAP_V1: u32 = 0x1998_0330;
const CAP_V2: u32 = 0x2007_1026;
const CAP_V3: u32 = 0x2008_0522;

fn cap_data_len(version: u32) -> u64 {
    match version {
        CAP_V1 => 12,
        CAP_V2 | CAP_V3 => 24,
        _ => 0,
    }
}

/// capget(header, data): an unknown version in the header gets EINVAL and the kernel's
/// preferred version written back; a NULL data pointer just asks for that version.
pub fn capget(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let hdr = c.mem.host_range(a[0], 8, Access::Write)?;
    let version = c.mem.read_u32(a[0])?;
    // With an unknown version the kernel looks at the data pointer only to tell "asking
    // for the version" (NULL: success) from a real request (EINVAL); it never touches it.
    let mut unused = [0u8; 24];
    let data = match (a[1], cap_data_len(version)) {
        (0, _) => std::ptr::null_mut(),
        (_, 0) => unused.as_mut_ptr(),
        (p, len) => c.mem.host_range(p, len, Access::Write)?,
    };
    // SAFETY: `hdr` is 8 writable guest bytes; `data` is NULL, the version's data size of
    // guest memory, or (unknown version) a buffer of ours the kernel will not use.
    Ok(host(unsafe { libc::syscall(libc::SYS_capget, hdr, data) })?)
}

pub fn capset(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let hdr = c.mem.host_range(a[0], 8, Access::Write)?;
    let version = c.mem.read_u32(a[0])?;
    let mut unused = [0u8; 24];
    let data = match cap_data_len(version) {
        0 => unused.as_mut_ptr(),
        len => c.mem.host_range(a[1], len, Access::Read)?,
    };
    // SAFETY: as in `capget`, data read-only.
    Ok(host(unsafe { libc::syscall(libc::SYS_capset, hdr, data) })?)
}
