//! Guest memory: one reserved host region.
//!
//! At start remu reserves 2^bits bytes of host address space (PROT_NONE, MAP_NORESERVE);
//! guest address `a` lives at host `base + a`. Guest mmap/munmap/mprotect/brk/mremap become
//! host calls with MAP_FIXED inside the region, so the host's page tables enforce the guest's
//! permissions and a stray guest access can never reach host memory outside the region.
//!
//! Beside the host mappings we keep the guest's own view (a map of areas with their guest
//! permissions and names): it answers `/proc/self/maps`, finds free space for new mappings,
//! and lets the Linux layer check a guest buffer before handing it to the host.

use std::collections::BTreeMap;
use std::ffi::c_void;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::isa::Access;

pub const PAGE_SIZE: u64 = 4096;

/// Rounds `x` up to a page boundary (saturating).
pub fn page_up(x: u64) -> u64 {
    x.saturating_add(PAGE_SIZE - 1) & !(PAGE_SIZE - 1)
}

/// Rounds `x` down to a page boundary.
pub fn page_down(x: u64) -> u64 {
    x & !(PAGE_SIZE - 1)
}

/// Guest page permissions, with the Linux `PROT_*` bit values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Prot(pub u32);

impl Prot {
    pub const NONE: Prot = Prot(0);
    pub const READ: Prot = Prot(1);
    pub const WRITE: Prot = Prot(2);
    pub const EXEC: Prot = Prot(4);
    pub const RW: Prot = Prot(3);

    pub fn contains(self, other: Prot) -> bool {
        self.0 & other.0 == other.0
    }
    pub fn allows(self, access: Access) -> bool {
        match access {
            Access::Read => self.contains(Prot::READ) || self.contains(Prot::EXEC),
            Access::Write => self.contains(Prot::WRITE),
            Access::Execute => self.contains(Prot::EXEC),
        }
    }
    /// What the host page gets: guest code is read by remu, never executed by the host.
    fn host(self) -> i32 {
        let mut p = 0;
        if self.contains(Prot::READ) || self.contains(Prot::EXEC) {
            p |= libc::PROT_READ;
        }
        if self.contains(Prot::WRITE) {
            p |= libc::PROT_WRITE;
        }
        p
    }
}

impl std::ops::BitOr for Prot {
    type Output = Prot;
    fn bitor(self, o: Prot) -> Prot {
        Prot(self.0 | o.0)
    }
}

/// A failed guest memory access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("guest {access:?} fault at {addr:#x}")]
pub struct Fault {
    pub addr: u64,
    pub access: Access,
}

/// A Linux error number (positive), as a system call returns it negated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub i32);

impl Errno {
    pub const EPERM: Errno = Errno(libc::EPERM);
    pub const ENOENT: Errno = Errno(libc::ENOENT);
    pub const EBADF: Errno = Errno(libc::EBADF);
    pub const ENOMEM: Errno = Errno(libc::ENOMEM);
    pub const EFAULT: Errno = Errno(libc::EFAULT);
    pub const EEXIST: Errno = Errno(libc::EEXIST);
    pub const EINVAL: Errno = Errno(libc::EINVAL);
    pub const ERANGE: Errno = Errno(libc::ERANGE);
    pub const ENOSYS: Errno = Errno(libc::ENOSYS);
    pub const ENOTTY: Errno = Errno(libc::ENOTTY);

    /// The errno the host set for the last failed libc call.
    pub fn last() -> Errno {
        Errno(std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO))
    }
}

impl From<Fault> for Errno {
    fn from(_: Fault) -> Errno {
        Errno::EFAULT
    }
}

/// What backs a guest mapping, for `/proc/self/maps`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backing {
    Anonymous,
    File { path: String, offset: u64, dev: u64, inode: u64 },
    Heap,
    Stack,
    /// A System V shared memory segment attached with `shmat` (`size`: the segment's,
    /// which bounds one attachment).
    Shm { key: i32, id: i32, size: u64 },
}

/// One guest mapping: `[start, end)`, page aligned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Area {
    pub start: u64,
    pub end: u64,
    pub prot: Prot,
    pub shared: bool,
    pub backing: Backing,
}

/// How a new mapping may be placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Anywhere; the address is a hint used when that range is free.
    Hint(u64),
    /// Exactly here, replacing what was mapped (MAP_FIXED).
    Fixed(u64),
    /// Exactly here, failing with EEXIST if anything is mapped (MAP_FIXED_NOREPLACE).
    FixedNoReplace(u64),
}

/// A file to map: the host descriptor, the offset, and what `/proc/self/maps` shows.
#[derive(Clone, Copy, Debug)]
pub struct FileMap<'a> {
    pub fd: RawFd,
    pub offset: u64,
    pub path: &'a str,
}

#[derive(Debug)]
struct Layout {
    areas: BTreeMap<u64, Area>,
    /// Top-down allocation starts below this.
    mmap_base: u64,
    brk_start: u64,
    brk: u64,
}

/// The guest's address space.
pub struct GuestMemory {
    base: *mut u8,
    size: u64,
    layout: Mutex<Layout>,
    /// Bumped whenever executable guest memory is unmapped or changes permission, so CPUs
    /// know to drop code they translated from it.
    code_epoch: AtomicU64,
}

// SAFETY: the region pointer is only dereferenced through checked accessors or by the CPU
// under the fault guard; the bookkeeping is behind a mutex.
unsafe impl Send for GuestMemory {}
// SAFETY: as above; concurrent guest accesses are the guest's own data races, as on hardware.
unsafe impl Sync for GuestMemory {}

/// Errors setting up guest memory.
#[derive(Debug, thiserror::Error)]
pub enum MemError {
    #[error("cannot reserve {size:#x} bytes of host address space for the guest: {source}")]
    Reserve { size: u64, source: std::io::Error },
}

impl GuestMemory {
    /// Reserves a 2^bits byte guest address space.
    pub fn new(bits: u32) -> Result<GuestMemory, MemError> {
        let size = 1u64 << bits;
        // SAFETY: a fresh anonymous PROT_NONE reservation at an address the kernel picks
        // touches no existing memory.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                size as usize,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(MemError::Reserve { size, source: std::io::Error::last_os_error() });
        }
        Ok(GuestMemory {
            base: p.cast(),
            size,
            layout: Mutex::new(Layout {
                areas: BTreeMap::new(),
                mmap_base: size,
                brk_start: 0,
                brk: 0,
            }),
            code_epoch: AtomicU64::new(0),
        })
    }

    /// Host address of guest address 0.
    #[inline(always)]
    pub fn base(&self) -> *mut u8 {
        self.base
    }

    /// Size of the guest address space in bytes (a power of two).
    #[inline(always)]
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Changes whenever executable memory is unmapped or reprotected.
    #[inline(always)]
    pub fn code_epoch(&self) -> u64 {
        self.code_epoch.load(Ordering::Acquire)
    }

    /// Drops all translated code (the guest flushed its instruction cache).
    pub fn bump_code_epoch(&self) {
        self.code_epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// Sets where top-down mmap allocation starts (just below the stack).
    pub fn set_mmap_base(&self, addr: u64) {
        self.layout.lock().unwrap().mmap_base = page_down(addr.min(self.size));
    }

    /// Sets the program break's start (the page after the highest loaded segment).
    pub fn set_brk_start(&self, addr: u64) {
        let mut l = self.layout.lock().unwrap();
        l.brk_start = page_up(addr);
        l.brk = addr;
    }

    /// A snapshot of the guest's mappings, in address order.
    pub fn areas(&self) -> Vec<Area> {
        self.layout.lock().unwrap().areas.values().cloned().collect()
    }

    /// Checks that `[addr, addr+len)` is mapped with permission for `access`.
    pub fn check(&self, addr: u64, len: u64, access: Access) -> Result<(), Fault> {
        if len == 0 {
            return Ok(());
        }
        let end = addr.checked_add(len).filter(|&e| e <= self.size).ok_or(Fault { addr, access })?;
        let l = self.layout.lock().unwrap();
        let mut at = addr;
        // Forward walk: every byte must be covered by an area allowing the access.
        while at < end {
            let Some((_, a)) = l.areas.range(..=at).next_back() else {
                return Err(Fault { addr: at, access });
            };
            if a.end <= at || !a.prot.allows(access) {
                return Err(Fault { addr: at, access });
            }
            at = a.end;
        }
        Ok(())
    }

    /// A host pointer to `len` bytes of guest memory at `addr`, after checking that the whole
    /// range is mapped for `access`. This is how the Linux layer hands guest buffers to the
    /// host kernel.
    pub fn host_range(&self, addr: u64, len: u64, access: Access) -> Result<*mut u8, Fault> {
        self.check(addr, len, access)?;
        // SAFETY: `check` proved `addr + len <= size`, so the pointer stays in the region.
        Ok(unsafe { self.base.add(addr as usize) })
    }

    /// Copies guest memory out.
    pub fn read(&self, addr: u64, buf: &mut [u8]) -> Result<(), Fault> {
        let p = self.host_range(addr, buf.len() as u64, Access::Read)?;
        // SAFETY: the range is mapped readable (checked) and does not overlap `buf`, which is
        // host memory outside the region.
        unsafe { std::ptr::copy_nonoverlapping(p, buf.as_mut_ptr(), buf.len()) };
        Ok(())
    }

    /// Copies into guest memory.
    pub fn write(&self, addr: u64, buf: &[u8]) -> Result<(), Fault> {
        let p = self.host_range(addr, buf.len() as u64, Access::Write)?;
        // SAFETY: the range is mapped writable (checked) and `buf` lies outside the region.
        unsafe { std::ptr::copy_nonoverlapping(buf.as_ptr(), p, buf.len()) };
        Ok(())
    }

    /// Reads `len` bytes into a new vector.
    pub fn read_vec(&self, addr: u64, len: usize) -> Result<Vec<u8>, Fault> {
        let mut v = vec![0; len];
        self.read(addr, &mut v)?;
        Ok(v)
    }

    pub fn read_u8(&self, addr: u64) -> Result<u8, Fault> {
        let mut b = [0; 1];
        self.read(addr, &mut b)?;
        Ok(b[0])
    }
    pub fn read_u16(&self, addr: u64) -> Result<u16, Fault> {
        let mut b = [0; 2];
        self.read(addr, &mut b)?;
        Ok(u16::from_le_bytes(b))
    }
    pub fn read_u32(&self, addr: u64) -> Result<u32, Fault> {
        let mut b = [0; 4];
        self.read(addr, &mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    pub fn read_u64(&self, addr: u64) -> Result<u64, Fault> {
        let mut b = [0; 8];
        self.read(addr, &mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    pub fn write_u32(&self, addr: u64, v: u32) -> Result<(), Fault> {
        self.write(addr, &v.to_le_bytes())
    }
    pub fn write_u64(&self, addr: u64, v: u64) -> Result<(), Fault> {
        self.write(addr, &v.to_le_bytes())
    }

    /// Reads a NUL-terminated string (without the NUL), at most `max` bytes long.
    pub fn read_cstr(&self, addr: u64, max: usize) -> Result<Vec<u8>, Errno> {
        let mut out = Vec::new();
        let mut at = addr;
        loop {
            // Read up to the end of the current page at a time.
            let chunk = (PAGE_SIZE - (at % PAGE_SIZE)) as usize;
            let mut buf = vec![0u8; chunk];
            self.read(at, &mut buf)?;
            if let Some(n) = buf.iter().position(|&b| b == 0) {
                out.extend_from_slice(&buf[..n]);
                return Ok(out);
            }
            out.extend_from_slice(&buf);
            if out.len() > max {
                return Err(Errno(libc::ENAMETOOLONG));
            }
            at += chunk as u64;
        }
    }

    /// Maps guest memory, with Linux `mmap` semantics. Returns the guest address.
    pub fn map(
        &self,
        place: Placement,
        len: u64,
        prot: Prot,
        shared: bool,
        file: Option<FileMap<'_>>,
    ) -> Result<u64, Errno> {
        let len = self.mapping_len(len)?;
        if let Some(f) = &file {
            if !f.offset.is_multiple_of(PAGE_SIZE) {
                return Err(Errno::EINVAL);
            }
        }
        let mut l = self.layout.lock().unwrap();
        let addr = self.choose(&l, place, len)?;
        self.host_map(addr, len, prot, shared, file)?;
        let backing = match file {
            Some(f) => {
                let (dev, inode) = fd_identity(f.fd);
                Backing::File { path: f.path.to_string(), offset: f.offset, dev, inode }
            }
            None => Backing::Anonymous,
        };
        self.record(&mut l, Area { start: addr, end: addr + len, prot, shared, backing });
        Ok(addr)
    }

    /// Maps guest memory whose host pages another host call makes (a System V segment's
    /// `shmat`): `attach` gets the host address of the guest range chosen as `map` would
    /// and must map exactly `len` bytes there, replacing the reservation.
    pub fn map_with(
        &self,
        place: Placement,
        len: u64,
        prot: Prot,
        backing: Backing,
        attach: impl FnOnce(*mut u8) -> Result<(), Errno>,
    ) -> Result<u64, Errno> {
        let len = self.mapping_len(len)?;
        let mut l = self.layout.lock().unwrap();
        let addr = self.choose(&l, place, len)?;
        // SAFETY: `addr + len` lies inside the reservation (`choose` checks it).
        attach(unsafe { self.base.add(addr as usize) })?;
        self.record(&mut l, Area { start: addr, end: addr + len, prot, shared: true, backing });
        Ok(addr)
    }

    /// Detaches the System V segment attached at `addr` (`shmdt`): every area from `addr`
    /// on that belongs to the same attachment goes back to the reservation.
    pub fn shm_detach(&self, addr: u64) -> Result<(), Errno> {
        let mut l = self.layout.lock().unwrap();
        let Some(Backing::Shm { id, size, .. }) = l.areas.get(&addr).map(|a| a.backing.clone()) else {
            return Err(Errno::EINVAL);
        };
        // Another attachment of the same segment may follow directly: stop at this one's end.
        let limit = addr.saturating_add(page_up(size));
        let mut end = addr;
        while let Some(a) = l.areas.get(&end) {
            if end >= limit || !matches!(a.backing, Backing::Shm { id: i, .. } if i == id) {
                break;
            }
            end = a.end;
        }
        if remove_range(&mut l, addr, end) {
            self.bump_code_epoch();
        }
        self.host_unmap(addr, end - addr);
        Ok(())
    }

    /// Replaces whatever was mapped under `area` by it in the bookkeeping.
    fn record(&self, l: &mut Layout, area: Area) {
        if remove_range(l, area.start, area.end) {
            self.bump_code_epoch();
        }
        l.areas.insert(area.start, area);
    }

    /// A new mapping's length rounded to pages: EINVAL for none, ENOMEM beyond the space.
    fn mapping_len(&self, len: u64) -> Result<u64, Errno> {
        if len == 0 {
            return Err(Errno::EINVAL);
        }
        let len = page_up(len);
        if len >= self.size {
            return Err(Errno::ENOMEM);
        }
        Ok(len)
    }

    /// Where a new mapping of `len` (page-rounded) bytes goes, by `mmap`'s rules.
    fn choose(&self, l: &Layout, place: Placement, len: u64) -> Result<u64, Errno> {
        Ok(match place {
            Placement::Fixed(a) | Placement::FixedNoReplace(a) => {
                if !a.is_multiple_of(PAGE_SIZE) {
                    return Err(Errno::EINVAL);
                }
                if a.checked_add(len).is_none_or(|e| e > self.size) {
                    return Err(Errno::ENOMEM);
                }
                if matches!(place, Placement::FixedNoReplace(_)) && overlaps(l, a, a + len) {
                    return Err(Errno::EEXIST);
                }
                a
            }
            Placement::Hint(h) => {
                let h = page_down(h);
                if h != 0 && h.checked_add(len).is_some_and(|e| e <= self.size) && !overlaps(l, h, h + len)
                {
                    h
                } else {
                    find_free(l, len, self.size).ok_or(Errno::ENOMEM)?
                }
            }
        })
    }

    fn host_map(
        &self,
        addr: u64,
        len: u64,
        prot: Prot,
        shared: bool,
        file: Option<FileMap<'_>>,
    ) -> Result<(), Errno> {
        let mut flags = libc::MAP_FIXED | if shared { libc::MAP_SHARED } else { libc::MAP_PRIVATE };
        let (fd, off) = match file {
            Some(f) => (f.fd, f.offset as libc::off_t),
            None => {
                flags |= libc::MAP_ANONYMOUS | libc::MAP_NORESERVE;
                (-1, 0)
            }
        };
        // SAFETY: `[addr, addr+len)` lies inside our reservation (callers check against
        // `size`), so MAP_FIXED replaces only guest pages, never host memory.
        let p = unsafe {
            libc::mmap(self.base.add(addr as usize).cast::<c_void>(), len as usize, prot.host(), flags, fd, off)
        };
        if p == libc::MAP_FAILED {
            return Err(Errno::last());
        }
        Ok(())
    }

    /// Returns `[addr, addr+len)` to the reservation.
    fn host_unmap(&self, addr: u64, len: u64) {
        // SAFETY: inside our reservation, as in `host_map`.
        unsafe {
            libc::mmap(
                self.base.add(addr as usize).cast::<c_void>(),
                len as usize,
                libc::PROT_NONE,
                libc::MAP_FIXED | libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            );
        }
    }

    /// Linux `munmap`.
    pub fn unmap(&self, addr: u64, len: u64) -> Result<(), Errno> {
        if !addr.is_multiple_of(PAGE_SIZE) || len == 0 {
            return Err(Errno::EINVAL);
        }
        let len = page_up(len);
        let end = addr.checked_add(len).ok_or(Errno::EINVAL)?.min(self.size);
        if addr >= self.size {
            return Ok(());
        }
        let mut l = self.layout.lock().unwrap();
        if remove_range(&mut l, addr, end) {
            self.bump_code_epoch();
        }
        self.host_unmap(addr, end - addr);
        Ok(())
    }

    /// Linux `mprotect`: the whole range must be mapped.
    pub fn protect(&self, addr: u64, len: u64, prot: Prot) -> Result<(), Errno> {
        if !addr.is_multiple_of(PAGE_SIZE) {
            return Err(Errno::EINVAL);
        }
        if len == 0 {
            return Ok(());
        }
        let end = addr.checked_add(page_up(len)).filter(|&e| e <= self.size).ok_or(Errno::ENOMEM)?;
        let mut l = self.layout.lock().unwrap();
        if !covered(&l, addr, end) {
            return Err(Errno::ENOMEM);
        }
        split_at(&mut l, addr);
        split_at(&mut l, end);
        let mut code_changed = false;
        for (_, a) in l.areas.range_mut(addr..end) {
            if a.prot.contains(Prot::EXEC) && a.prot != prot {
                code_changed = true;
            }
            a.prot = prot;
        }
        // SAFETY: inside the reservation (checked against `size` above).
        let r = unsafe {
            libc::mprotect(self.base.add(addr as usize).cast::<c_void>(), (end - addr) as usize, prot.host())
        };
        if r != 0 {
            return Err(Errno::last());
        }
        if code_changed {
            self.bump_code_epoch();
        }
        Ok(())
    }

    /// The area holding guest address `addr`, if mapped.
    pub fn area_at(&self, addr: u64) -> Option<Area> {
        let l = self.layout.lock().unwrap();
        l.areas.range(..=addr).next_back().map(|(_, a)| a).filter(|a| addr < a.end).cloned()
    }

    /// Whether every page of `[start, end)` is mapped, whatever its permissions.
    pub fn is_mapped(&self, start: u64, end: u64) -> bool {
        covered(&self.layout.lock().unwrap(), start, end)
    }

    /// Records what backs `[addr, addr + len)` (for `/proc/self/maps`): the loader copies
    /// a program's segments in, but they are the file's pages as far as the guest can tell.
    /// A file backing's offset is that of `addr`. Pages not mapped are left alone.
    pub fn set_backing(&self, addr: u64, len: u64, backing: Backing) {
        let end = addr.saturating_add(page_up(len)).min(self.size);
        let mut l = self.layout.lock().unwrap();
        split_at(&mut l, addr);
        split_at(&mut l, end);
        for (_, a) in l.areas.range_mut(addr..end) {
            let mut b = backing.clone();
            if let Backing::File { offset, .. } = &mut b {
                *offset += a.start - addr;
            }
            a.backing = b;
        }
    }

    /// Linux `brk`: returns the new break, or the old one when the request cannot be met.
    pub fn brk(&self, new: u64) -> u64 {
        let mut l = self.layout.lock().unwrap();
        let (start, old) = (l.brk_start, l.brk);
        if new < start {
            return old;
        }
        let old_top = page_up(old.max(start));
        let new_top = page_up(new);
        if new_top > old_top {
            if new_top > self.size || overlaps(&l, old_top, new_top) {
                return old;
            }
            if self.host_map(old_top, new_top - old_top, Prot::RW, false, None).is_err() {
                return old;
            }
            // Extend the heap area or start it.
            let heap = l.areas.values_mut().find(|a| a.backing == Backing::Heap && a.end == old_top);
            match heap {
                Some(a) => a.end = new_top,
                None => {
                    l.areas.insert(
                        old_top,
                        Area { start: old_top, end: new_top, prot: Prot::RW, shared: false, backing: Backing::Heap },
                    );
                }
            }
        } else if new_top < old_top {
            remove_range(&mut l, new_top, old_top);
            self.host_unmap(new_top, old_top - new_top);
        }
        l.brk = new;
        new
    }

    /// Linux `mremap` (MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4).
    pub fn remap(&self, old: u64, old_len: u64, new_len: u64, flags: u32, new_addr: u64) -> Result<u64, Errno> {
        const MAYMOVE: u32 = 1;
        const FIXED: u32 = 2;
        const DONTUNMAP: u32 = 4;
        if !old.is_multiple_of(PAGE_SIZE) || new_len == 0 || flags & !(MAYMOVE | FIXED | DONTUNMAP) != 0 {
            return Err(Errno::EINVAL);
        }
        if flags & FIXED != 0 && flags & MAYMOVE == 0 {
            return Err(Errno::EINVAL);
        }
        let old_len = page_up(old_len);
        let new_len = page_up(new_len);
        // DONTUNMAP moves the pages and leaves the old range mapped (fresh, zero-filled).
        let dont_unmap = flags & DONTUNMAP != 0;
        if dont_unmap && (flags & MAYMOVE == 0 || old_len != new_len) {
            return Err(Errno::EINVAL);
        }
        let mut l = self.layout.lock().unwrap();
        let Some(area) = l.areas.range(..=old).next_back().map(|(_, a)| a.clone()) else {
            return Err(Errno::EFAULT);
        };
        if area.end <= old || old + old_len.max(1) > area.end {
            return Err(Errno::EFAULT);
        }
        if flags & FIXED == 0 && !dont_unmap {
            if new_len <= old_len {
                if new_len < old_len {
                    remove_range(&mut l, old + new_len, old + old_len);
                    self.host_unmap(old + new_len, old_len - new_len);
                }
                return Ok(old);
            }
            // Grow in place if the pages after are free.
            let (gs, ge) = (old + old_len, old + new_len);
            if ge <= self.size && !overlaps(&l, gs, ge) && area.end == gs {
                let file = match &area.backing {
                    Backing::File { .. } | Backing::Shm { .. } => None, // growth in place: fall through to move
                    _ => Some(()),
                };
                if file.is_some() {
                    self.host_map(gs, ge - gs, area.prot, area.shared, None)?;
                    let a = l.areas.get_mut(&area.start).unwrap();
                    a.end = ge;
                    return Ok(old);
                }
            }
            if flags & MAYMOVE == 0 {
                return Err(Errno::ENOMEM);
            }
        }
        let dest = if flags & FIXED != 0 {
            if !new_addr.is_multiple_of(PAGE_SIZE) || new_addr.checked_add(new_len).is_none_or(|e| e > self.size) {
                return Err(Errno::EINVAL);
            }
            remove_range(&mut l, new_addr, new_addr + new_len);
            new_addr
        } else {
            find_free(&l, new_len, self.size).ok_or(Errno::ENOMEM)?
        };
        // SAFETY: both ranges lie inside the reservation; the host moves the pages.
        let p = unsafe {
            libc::mremap(
                self.base.add(old as usize).cast::<c_void>(),
                old_len as usize,
                new_len as usize,
                libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED | if dont_unmap { DONTUNMAP as i32 } else { 0 },
                self.base.add(dest as usize).cast::<c_void>(),
            )
        };
        if p == libc::MAP_FAILED {
            return Err(Errno::last());
        }
        if !dont_unmap {
            if remove_range(&mut l, old, old + old_len) {
                self.bump_code_epoch();
            }
            // The host left a hole where the old pages were: put the reservation back.
            self.host_unmap(old, old_len);
        }
        let mut moved = area.clone();
        moved.start = dest;
        moved.end = dest + new_len;
        if let Backing::File { offset, .. } = &mut moved.backing {
            *offset += old - area.start;
        }
        l.areas.insert(dest, moved);
        Ok(dest)
    }

    /// Linux `madvise`: advice the host can take is passed on, the rest is accepted.
    pub fn advise(&self, addr: u64, len: u64, advice: i32) -> Result<(), Errno> {
        if !addr.is_multiple_of(PAGE_SIZE) {
            return Err(Errno::EINVAL);
        }
        let end = addr.checked_add(page_up(len)).filter(|&e| e <= self.size).ok_or(Errno::ENOMEM)?;
        {
            let l = self.layout.lock().unwrap();
            if !covered(&l, addr, end) {
                return Err(Errno::ENOMEM);
            }
        }
        match advice {
            libc::MADV_DONTNEED | libc::MADV_FREE | libc::MADV_WILLNEED | libc::MADV_NORMAL
            | libc::MADV_RANDOM | libc::MADV_SEQUENTIAL => {
                // SAFETY: inside the reservation and mapped (checked above).
                let r = unsafe {
                    libc::madvise(self.base.add(addr as usize).cast::<c_void>(), (end - addr) as usize, advice)
                };
                if r != 0 {
                    return Err(Errno::last());
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Maps the initial stack: `size` bytes ending at `top`, shown as `[stack]`.
    pub fn map_stack(&self, top: u64, size: u64) -> Result<u64, Errno> {
        let start = top - size;
        self.map(Placement::Fixed(start), size, Prot::RW, false, None)?;
        let mut l = self.layout.lock().unwrap();
        if let Some(a) = l.areas.get_mut(&start) {
            a.backing = Backing::Stack;
        }
        Ok(start)
    }
}

impl Drop for GuestMemory {
    fn drop(&mut self) {
        // SAFETY: the region is ours alone and no CPU runs once the memory is dropped.
        unsafe { libc::munmap(self.base.cast::<c_void>(), self.size as usize) };
    }
}

fn fd_identity(fd: RawFd) -> (u64, u64) {
    // SAFETY: fstat writes into a zeroed stat buffer we own.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd, &mut st) == 0 {
            (st.st_dev, st.st_ino)
        } else {
            (0, 0)
        }
    }
}

fn overlaps(l: &Layout, start: u64, end: u64) -> bool {
    l.areas.range(..end).next_back().is_some_and(|(_, a)| a.end > start)
}

fn covered(l: &Layout, start: u64, end: u64) -> bool {
    let mut at = start;
    while at < end {
        match l.areas.range(..=at).next_back() {
            Some((_, a)) if a.end > at => at = a.end,
            _ => return false,
        }
    }
    true
}

/// Highest free gap of `len` bytes below `mmap_base`, else the lowest above it.
fn find_free(l: &Layout, len: u64, size: u64) -> Option<u64> {
    // Never hand out the first 64 KiB: keeps NULL-ish pointers faulting (like mmap_min_addr).
    const MIN: u64 = 0x10000;
    let mut top = l.mmap_base;
    for (_, a) in l.areas.range(..l.mmap_base).rev() {
        if a.end <= top && top - a.end >= len {
            return Some(top - len);
        }
        top = top.min(a.start);
    }
    if top >= MIN + len {
        return Some(top - len);
    }
    // Nothing below: look above mmap_base.
    let mut at = l.mmap_base;
    for (_, a) in l.areas.range(l.mmap_base..) {
        if a.start >= at + len {
            return Some(at);
        }
        at = at.max(a.end);
    }
    (at + len <= size).then_some(at)
}

/// Splits the area containing `at` so that an area starts exactly at `at`.
fn split_at(l: &mut Layout, at: u64) {
    let Some((_, a)) = l.areas.range(..at).next_back() else { return };
    if a.end <= at {
        return;
    }
    let mut tail = a.clone();
    let a_start = a.start;
    tail.start = at;
    if let Backing::File { offset, .. } = &mut tail.backing {
        *offset += at - a_start;
    }
    l.areas.get_mut(&a_start).unwrap().end = at;
    l.areas.insert(at, tail);
}

/// Removes `[start, end)` from the area map; true if any removed part was executable.
fn remove_range(l: &mut Layout, start: u64, end: u64) -> bool {
    split_at(l, start);
    split_at(l, end);
    let keys: Vec<u64> = l.areas.range(start..end).map(|(k, _)| *k).collect();
    let mut exec = false;
    for k in keys {
        let a = l.areas.remove(&k).unwrap();
        exec |= a.prot.contains(Prot::EXEC);
    }
    exec
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_write_read_unmap() {
        let m = GuestMemory::new(32).unwrap();
        m.set_mmap_base(0x8000_0000);
        let a = m.map(Placement::Hint(0), 8192, Prot::RW, false, None).unwrap();
        assert_eq!(a, 0x8000_0000 - 8192);
        m.write_u64(a + 8, 0x1122_3344_5566_7788).unwrap();
        assert_eq!(m.read_u64(a + 8).unwrap(), 0x1122_3344_5566_7788);
        m.unmap(a, 4096).unwrap();
        assert!(m.read_u64(a).is_err());
        assert_eq!(m.read_u64(a + 4096).unwrap(), 0);
    }

    #[test]
    fn protect_is_enforced_in_software_checks() {
        let m = GuestMemory::new(32).unwrap();
        let a = m.map(Placement::Fixed(0x10000), 4096 * 3, Prot::RW, false, None).unwrap();
        m.protect(a + 4096, 4096, Prot::READ).unwrap();
        assert!(m.write_u32(a + 4096, 1).is_err());
        assert!(m.write_u32(a, 1).is_ok());
        assert!(m.write_u32(a + 8192, 1).is_ok());
        assert_eq!(m.areas().len(), 3);
        // A write straddling into the read-only page fails.
        assert!(m.write(a + 4094, &[1, 2, 3, 4]).is_err());
        assert_eq!(m.protect(0x100000, 4096, Prot::READ), Err(Errno::ENOMEM));
    }

    #[test]
    fn fixed_noreplace_and_hint() {
        let m = GuestMemory::new(32).unwrap();
        m.set_mmap_base(0x4000_0000);
        m.map(Placement::Fixed(0x20000), 4096, Prot::RW, false, None).unwrap();
        assert_eq!(m.map(Placement::FixedNoReplace(0x20000), 4096, Prot::RW, false, None), Err(Errno::EEXIST));
        assert_eq!(m.map(Placement::Hint(0x30000), 4096, Prot::RW, false, None), Ok(0x30000));
        // An occupied hint is ignored.
        assert_ne!(m.map(Placement::Hint(0x30000), 4096, Prot::RW, false, None), Ok(0x30000));
    }

    #[test]
    fn brk_grows_and_shrinks() {
        let m = GuestMemory::new(32).unwrap();
        m.set_brk_start(0x50123);
        assert_eq!(m.brk(0), 0x50123);
        assert_eq!(m.brk(0x60000), 0x60000);
        m.write_u32(0x5f000, 7).unwrap();
        assert_eq!(m.brk(0x52000), 0x52000);
        assert!(m.read_u32(0x5f000).is_err());
        assert_eq!(m.read_u32(0x51000).unwrap(), 0);
    }

    #[test]
    fn remap_grows_and_moves() {
        let m = GuestMemory::new(32).unwrap();
        m.set_mmap_base(0x4000_0000);
        let a = m.map(Placement::Fixed(0x100000), 4096, Prot::RW, false, None).unwrap();
        m.write_u32(a, 42).unwrap();
        m.map(Placement::Fixed(0x101000), 4096, Prot::RW, false, None).unwrap();
        assert_eq!(m.remap(a, 4096, 8192, 0, 0), Err(Errno::ENOMEM));
        let b = m.remap(a, 4096, 8192, 1, 0).unwrap();
        assert_ne!(a, b);
        assert_eq!(m.read_u32(b).unwrap(), 42);
        assert!(m.read_u32(a).is_err());
        // DONTUNMAP: the data moves, the old range stays mapped and reads zero.
        let c = m.remap(b, 8192, 8192, 1 | 4, 0).unwrap();
        assert_eq!(m.read_u32(c).unwrap(), 42);
        assert_eq!(m.read_u32(b).unwrap(), 0);
        assert_eq!(m.remap(c, 8192, 4096, 1 | 4, 0), Err(Errno::EINVAL));
    }
}
