//! Memory calls: the mmap family and brk, on [`GuestMemory`](crate::mem::GuestMemory).
//!
//! File-backed mappings hand the host descriptor to `GuestMemory::map` through [`FileMap`];
//! the name `/proc/self/maps` shows comes from the descriptor's `/proc/self/fd/N` link.

use super::abi::*;
use super::fd::guest_fd;
use super::syscall::{host, int, Ctx, SysResult};
use crate::isa::Access;
use crate::mem::{page_up, Errno, FileMap, Placement, Prot, PAGE_SIZE};

/// Guest `PROT_*` bits → [`Prot`]; unknown bits are EINVAL as in the kernel.
fn prot(v: u64) -> Result<Prot, Errno> {
    if v & !(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP) != 0 {
        return Err(Errno::EINVAL);
    }
    Ok(Prot((v & 7) as u32))
}

/// The path a descriptor names, for `/proc/self/maps`.
fn fd_path(fd: i32) -> String {
    match std::fs::read_link(format!("/proc/self/fd/{fd}")) {
        Ok(p) => p.to_string_lossy().into_owned(),
        Err(_) => String::new(),
    }
}

pub fn mmap(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (addr, len, flags, off) = (a[0], a[1], a[3], a[5]);
    let prot = prot(a[2])?;
    let shared = match flags & MAP_TYPE {
        MAP_SHARED | MAP_SHARED_VALIDATE => true,
        MAP_PRIVATE => false,
        _ => return Err(Errno::EINVAL.into()),
    };
    if len == 0 || off % PAGE_SIZE != 0 {
        return Err(Errno::EINVAL.into());
    }
    if page_up(len) == 0 || page_up(len) >= c.mem.size() {
        return Err(Errno::ENOMEM.into());
    }
    let place = if flags & MAP_FIXED != 0 {
        Placement::Fixed(addr)
    } else if flags & MAP_FIXED_NOREPLACE != 0 {
        Placement::FixedNoReplace(addr)
    } else {
        Placement::Hint(addr)
    };
    let r = if flags & MAP_ANONYMOUS != 0 {
        c.mem.map(place, len, prot, shared, None)
    } else {
        let fd = guest_fd(c, a[4])?;
        let path = fd_path(fd);
        c.mem.map(place, len, prot, shared, Some(FileMap { fd, offset: off, path: &path }))
    };
    Ok(r? as i64)
}

pub fn munmap(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    c.mem.unmap(a[0], a[1])?;
    Ok(0)
}

pub fn mprotect(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let prot = prot(a[2])?;
    c.mem.protect(a[0], a[1], prot)?;
    Ok(0)
}

pub fn brk(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(c.mem.brk(a[0]) as i64)
}

pub fn mremap(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    Ok(c.mem.remap(a[0], a[1], a[2], a[3] as u32, a[4])? as i64)
}

pub fn madvise(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    c.mem.advise(a[0], a[1], int(a[2]))?;
    Ok(0)
}

pub fn msync(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[0] & (PAGE_SIZE - 1) != 0 {
        return Err(Errno::EINVAL.into());
    }
    let len = page_up(a[1]);
    if len == 0 {
        return Ok(0);
    }
    // The kernel wants the range mapped; PROT_NONE pages are mapped too, so check against
    // the reservation and let the host report holes (ENOMEM).
    if a[0].checked_add(len).is_none_or(|e| e > c.mem.size()) {
        return Err(Errno::ENOMEM.into());
    }
    // SAFETY: the range lies inside the guest reservation (checked above); msync does not
    // read or write memory contents on our behalf.
    let p = unsafe { c.mem.base().add(a[0] as usize) };
    // SAFETY: as above.
    Ok(host(unsafe { libc::msync(p.cast(), len as usize, int(a[2])) })?)
}

/// mlock/munlock: accepted; remu does not pin guest pages.
pub fn mlock(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[1] != 0 && c.mem.check(a[0], a[1], Access::Read).is_err() {
        return Err(Errno::ENOMEM.into());
    }
    Ok(0)
}

/// riscv_flush_icache(start, end, flags): drops all translated code.
pub fn riscv_flush_icache(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    // SYS_RISCV_FLUSH_ICACHE_LOCAL = 1 is the only flag.
    if a[2] & !1 != 0 {
        return Err(Errno::EINVAL.into());
    }
    c.mem.bump_code_epoch();
    Ok(0)
}

/// MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT.
const MCL_ALL: u64 = 7;

/// mlockall: accepted with the kernel's flag checks (ONFAULT alone is EINVAL); remu does not
/// pin guest pages.
pub fn mlockall(_c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[0] == 0 || a[0] & !MCL_ALL != 0 || a[0] == 4 {
        return Err(Errno::EINVAL.into());
    }
    Ok(0)
}

pub fn munlockall(_c: &mut Ctx<'_>, _a: [u64; 6]) -> SysResult {
    Ok(0)
}

/// mlock2(addr, len, flags): MLOCK_ONFAULT (1) is the only flag.
pub fn mlock2(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    if a[2] & !1 != 0 {
        return Err(Errno::EINVAL.into());
    }
    mlock(c, a)
}

/// mincore(addr, len, vec): one byte per page of a mapped range, from the host's answer for
/// the same pages; an unmapped page in the range is ENOMEM as in the kernel.
pub fn mincore(c: &mut Ctx<'_>, a: [u64; 6]) -> SysResult {
    let (addr, len) = (a[0], a[1]);
    if !addr.is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL.into());
    }
    let end = addr.checked_add(page_up(len)).filter(|&e| e <= c.mem.size()).ok_or(Errno::ENOMEM)?;
    if !c.mem.is_mapped(addr, end) {
        return Err(Errno::ENOMEM.into());
    }
    let vec = c.mem.host_range(a[2], (end - addr) / PAGE_SIZE, Access::Write)?;
    // SAFETY: `[addr, end)` lies inside the reservation; `vec` has one writable byte per page.
    Ok(host(unsafe { libc::mincore(c.mem.base().add(addr as usize).cast(), (end - addr) as usize, vec.cast()) })?)
}
