//! Namespaces and mounts: unshare, setns, mount, umount2, pivot_root.
//!
//! Guest threads are host threads and the guest's namespaces are the host process's, so
//! these pass through: what the calling thread or process may do (and the errors when it
//! may not) is the host kernel's decision, as it would be under a guest kernel. Paths go
//! through the guest's file system view.

use std::ffi::CString;

use super::fd::guest_fd;
use super::fs::{host_path, translate_path};
use super::syscall::{host, int, plain, Ctx, SysResult};
use crate::mem::Errno;

pub fn unshare(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(plain(libc::SYS_unshare, &[a[0] as u32 as u64])?)
}

pub fn setns(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let fd = guest_fd(c, a[0])?;
    Ok(plain(libc::SYS_setns, &[fd as u64, int(a[1]) as u64])?)
}

/// An optional string argument (NULL stays NULL), at most a page as the kernel copies.
fn opt_str(c: &Ctx<'_>, addr: u64) -> Result<Option<CString>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    let raw = c.mem.read_cstr(addr, 4095)?;
    Ok(Some(CString::new(raw).map_err(|_| Errno::EINVAL)?))
}

fn ptr(s: &Option<CString>) -> *const libc::c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

/// mount(source, target, fstype, flags, data): `source` is a path for bind mounts and
/// block devices (an absolute one goes through the file system view; `proc`, `tmpfs`...
/// are not paths and pass unchanged); `data` is the file system's option string.
pub fn mount(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let source = match opt_str(c, a[0])? {
        Some(s) if s.as_bytes().starts_with(b"/") => {
            Some(CString::new(translate_path(c.p, s.as_bytes())).map_err(|_| Errno::EINVAL)?)
        }
        s => s,
    };
    let target = host_path(c, a[1])?;
    let fstype = opt_str(c, a[2])?;
    let data = opt_str(c, a[4])?;
    // SAFETY: every pointer is NULL or a NUL-terminated string we own.
    Ok(host(unsafe {
        libc::mount(ptr(&source), target.as_ptr(), ptr(&fstype), a[3] as libc::c_ulong, ptr(&data).cast())
    })?)
}

pub fn umount2(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let target = host_path(c, a[0])?;
    // SAFETY: `target` is NUL-terminated.
    Ok(host(unsafe { libc::umount2(target.as_ptr(), int(a[1])) })?)
}

pub fn pivot_root(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (new, old) = (host_path(c, a[0])?, host_path(c, a[1])?);
    // SAFETY: both paths are NUL-terminated.
    Ok(host(unsafe { libc::syscall(libc::SYS_pivot_root, new.as_ptr(), old.as_ptr()) })?)
}
