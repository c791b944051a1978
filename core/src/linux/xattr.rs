//! Extended attributes: the set/get/list/remove calls in their path, link (`l`) and
//! descriptor (`f`) forms. Names and values are bytes, passed through; paths go through the
//! guest's file system view like every other path.

use std::ffi::CString;

use super::fd::guest_fd;
use super::fs::{host_path, host_path_at};
use super::syscall::{guest_buf, host, int, Ctx, SysResult};
use crate::isa::Access;
use crate::mem::Errno;

/// XATTR_NAME_MAX and XATTR_SIZE_MAX (include/uapi/linux/limits.h).
const NAME_MAX: usize = 255;
const SIZE_MAX: u64 = 65536;

/// Which object a call names: a path (following a final link), the link itself, or a
/// descriptor.
#[derive(Clone, Copy)]
enum Form {
    Follow,
    NoFollow,
    Fd,
}

enum Target {
    Path(CString),
    Link(CString),
    Fd(i32),
}

fn target(c: &Ctx<'_>, form: Form, v: u64) -> Result<Target, Errno> {
    Ok(match form {
        Form::Follow => Target::Path(host_path(c, v)?),
        Form::NoFollow => Target::Link(host_path_at(c, v, libc::AT_SYMLINK_NOFOLLOW as u64)?),
        Form::Fd => Target::Fd(guest_fd(c, v)?),
    })
}

/// The attribute name: ERANGE when empty or longer than XATTR_NAME_MAX, as the kernel says.
fn name(c: &Ctx<'_>, addr: u64) -> Result<CString, Errno> {
    let raw = c.mem.read_cstr(addr, NAME_MAX + 1)?;
    if raw.is_empty() || raw.len() > NAME_MAX {
        return Err(Errno(libc::ERANGE));
    }
    CString::new(raw).map_err(|_| Errno::EINVAL)
}

fn set(c: &Ctx<'_>, form: Form, a: [u64; 6]) -> SysResult {
    let t = target(c, form, a[0])?;
    let n = name(c, a[1])?;
    if a[3] > SIZE_MAX {
        return Err(Errno(libc::E2BIG).into());
    }
    let value = guest_buf(c.mem, a[2], a[3], Access::Read)?;
    let (size, flags) = (a[3] as usize, int(a[4]));
    // SAFETY: NUL-terminated strings we own; `value` is `size` readable guest bytes.
    let r = unsafe {
        match &t {
            Target::Link(p) => libc::lsetxattr(p.as_ptr(), n.as_ptr(), value, size, flags),
            Target::Path(p) => libc::setxattr(p.as_ptr(), n.as_ptr(), value, size, flags),
            Target::Fd(fd) => libc::fsetxattr(*fd, n.as_ptr(), value, size, flags),
        }
    };
    Ok(host(r)?)
}

fn get(c: &Ctx<'_>, form: Form, a: [u64; 6]) -> SysResult {
    let t = target(c, form, a[0])?;
    let n = name(c, a[1])?;
    let size = a[3].min(SIZE_MAX);
    let value = guest_buf(c.mem, a[2], size, Access::Write)?;
    // SAFETY: NUL-terminated strings we own; `value` is `size` writable guest bytes (size 0
    // asks for the length and writes nothing).
    let r = unsafe {
        match &t {
            Target::Link(p) => libc::lgetxattr(p.as_ptr(), n.as_ptr(), value, size as usize),
            Target::Path(p) => libc::getxattr(p.as_ptr(), n.as_ptr(), value, size as usize),
            Target::Fd(fd) => libc::fgetxattr(*fd, n.as_ptr(), value, size as usize),
        }
    };
    Ok(host(r as i64)?)
}

fn list(c: &Ctx<'_>, form: Form, a: [u64; 6]) -> SysResult {
    let t = target(c, form, a[0])?;
    let size = a[2].min(SIZE_MAX);
    let buf = guest_buf(c.mem, a[1], size, Access::Write)?;
    // SAFETY: as in `get`; the list is NUL-separated names written into `buf`.
    let r = unsafe {
        match &t {
            Target::Link(p) => libc::llistxattr(p.as_ptr(), buf.cast(), size as usize),
            Target::Path(p) => libc::listxattr(p.as_ptr(), buf.cast(), size as usize),
            Target::Fd(fd) => libc::flistxattr(*fd, buf.cast(), size as usize),
        }
    };
    Ok(host(r as i64)?)
}

fn remove(c: &Ctx<'_>, form: Form, a: [u64; 6]) -> SysResult {
    let t = target(c, form, a[0])?;
    let n = name(c, a[1])?;
    // SAFETY: NUL-terminated strings we own.
    let r = unsafe {
        match &t {
            Target::Link(p) => libc::lremovexattr(p.as_ptr(), n.as_ptr()),
            Target::Path(p) => libc::removexattr(p.as_ptr(), n.as_ptr()),
            Target::Fd(fd) => libc::fremovexattr(*fd, n.as_ptr()),
        }
    };
    Ok(host(r)?)
}

pub fn setxattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    set(c, Form::Follow, a)
}
pub fn lsetxattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    set(c, Form::NoFollow, a)
}
pub fn fsetxattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    set(c, Form::Fd, a)
}
pub fn getxattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    get(c, Form::Follow, a)
}
pub fn lgetxattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    get(c, Form::NoFollow, a)
}
pub fn fgetxattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    get(c, Form::Fd, a)
}
pub fn listxattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    list(c, Form::Follow, a)
}
pub fn llistxattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    list(c, Form::NoFollow, a)
}
pub fn flistxattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    list(c, Form::Fd, a)
}
pub fn removexattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    remove(c, Form::Follow, a)
}
pub fn lremovexattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    remove(c, Form::NoFollow, a)
}
pub fn fremovexattr(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    remove(c, Form::Fd, a)
}
