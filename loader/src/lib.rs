//! Loads a guest ELF program into guest memory and builds its initial stack, as the Linux
//! kernel's ELF loader does: segments mapped with their permissions, bss zeroed, the program
//! break placed after the image, and argc/argv/envp/auxv laid out as the psABI requires.
//!
//! This crate knows the ELF format and the process start-up layout; it knows nothing of
//! instruction encodings (facts about the guest come from [`remu_core::Arch`]).

mod elf;
mod stack;

pub use elf::{elf_machine, machine_name};

use std::path::{Path, PathBuf};

use remu_core::mem::{page_down, page_up, Backing, Placement, Prot, PAGE_SIZE};
use remu_core::{Arch, Errno, GuestMemory};

/// Why a program could not be loaded. Messages are one line and name the file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {source}")]
    Open { path: PathBuf, source: std::io::Error },
    #[error("{path}: is a directory")]
    IsDirectory { path: PathBuf },
    #[error("{path}: not an ELF file")]
    NotElf { path: PathBuf },
    #[error("{path}: truncated or corrupt ELF: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path}: 32-bit ELF; remu runs 64-bit guests only")]
    Elf32 { path: PathBuf },
    #[error("{path}: big-endian ELF; remu runs little-endian guests only")]
    BigEndian { path: PathBuf },
    #[error("{path}: ELF is for machine {machine:#x} ({name}), expected {expected}")]
    WrongMachine { path: PathBuf, machine: u16, name: &'static str, expected: &'static str },
    #[error("{path}: ELF type {kind} is not an executable")]
    NotExecutable { path: PathBuf, kind: &'static str },
    #[error("{path}: dynamically linked, and its interpreter {interp} is not {where_}; give the guest's root file system with -L SYSROOT (or REMU_LD_PREFIX=SYSROOT)", where_ = match sysroot { Some(s) => format!("in the sysroot {}", s.display()), None => "installed (no sysroot given)".to_string() })]
    NoInterpreter { path: PathBuf, interp: String, sysroot: Option<PathBuf> },
    #[error("{path}: cannot map segment at {addr:#x}: {errno}")]
    Map { path: PathBuf, addr: u64, errno: String },
}

/// A loaded program, ready to start.
#[derive(Debug, Clone)]
pub struct Image {
    /// Where execution starts (the interpreter's entry for a dynamically linked program).
    pub entry: u64,
    /// Initial stack pointer (points at argc).
    pub sp: u64,
    /// Where the load bias put the program (0 for fixed-address executables).
    pub bias: u64,
    /// Where the dynamic linker was loaded (AT_BASE), if the program has one.
    pub interp_base: Option<u64>,
    /// The host file the dynamic linker was loaded from.
    pub interp_path: Option<PathBuf>,
    /// The auxiliary vector as written on the stack, without the terminating AT_NULL.
    pub auxv: Vec<(u64, u64)>,
}

/// The initial stack's size, as the default RLIMIT_STACK.
pub const STACK_SIZE: u64 = 8 << 20;

/// Loads `path` into `mem` for `arch`, with `argv` and `envp` on the stack, without a
/// sysroot (a dynamic linker is looked for on the host).
pub fn load(
    mem: &GuestMemory,
    arch: &Arch,
    path: &Path,
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
) -> Result<Image, LoadError> {
    load_with(mem, arch, path, argv, envp, None)
}

/// Loads `path` into `mem` for `arch`, with `argv` and `envp` on the stack. A dynamically
/// linked program's interpreter (PT_INTERP) is looked up in `sysroot` (then on the host, as
/// every other guest path), loaded below the mmap area like the kernel does, and started
/// first; AT_BASE tells it where it is.
pub fn load_with(
    mem: &GuestMemory,
    arch: &Arch,
    path: &Path,
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
    sysroot: Option<&Path>,
) -> Result<Image, LoadError> {
    let data = elf::read_file(path)?;
    let elf = elf::parse(path, &data, arch)?;

    // Find the interpreter before touching memory, so a missing one is a clean error.
    let interp = match &elf.interp {
        Some(name) => Some(find_interpreter(path, name, sysroot)?),
        None => None,
    };

    // Position-independent executables go where the kernel puts them: two thirds up the
    // address space (ELF_ET_DYN_BASE).
    let bias = if elf.pie { page_down(mem.size() / 3 * 2) - page_down(elf.lowest) } else { 0 };
    let brk = map_segments(mem, path, &data, &elf, bias)?;
    mem.set_brk_start(page_up(brk));

    let map_err = |addr: u64, e: Errno| map_error(path, addr, e);
    let stack_top = mem.size();
    mem.map_stack(stack_top, STACK_SIZE).map_err(|e| map_err(stack_top - STACK_SIZE, e))?;
    // Leave room below the stack for it to be the size the rlimit allows, then mmap grows down.
    mem.set_mmap_base(stack_top - STACK_SIZE - (256 << 20));

    // The interpreter goes where the first mmap would: at the top of the mmap area.
    let mut entry = elf.entry + bias;
    let mut interp_base = None;
    if let Some(ipath) = &interp {
        let idata = elf::read_file(ipath)?;
        let ielf = elf::parse(ipath, &idata, arch)?;
        if ielf.interp.is_some() {
            return Err(LoadError::Corrupt {
                path: ipath.clone(),
                detail: "the dynamic linker itself asks for an interpreter".into(),
            });
        }
        let span = page_up(ielf.segments.iter().map(|s| s.vaddr + s.memsz).max().unwrap_or(0)) - ielf.lowest;
        let ibias = if ielf.pie {
            // Reserve the whole span first (kernel: total_mapping_size), then map each
            // segment into it; the holes between segments stay inaccessible.
            let at = mem
                .map(Placement::Hint(0), span, Prot::NONE, false, None)
                .map_err(|e| map_error(ipath, 0, e))?;
            at - ielf.lowest
        } else {
            0
        };
        map_segments(mem, ipath, &idata, &ielf, ibias)?;
        entry = ielf.entry + ibias;
        interp_base = Some(ielf.lowest + ibias);
    }

    let phdr = elf.phdr_vaddr.map(|p| p + bias).unwrap_or(0);
    let execfn = path.as_os_str().as_encoded_bytes();
    let layout = stack::StartInfo {
        argv,
        envp,
        execfn,
        platform: arch.platform,
        hwcap: arch.hwcap,
        hwcap2: arch.hwcap2,
        phdr,
        phnum: elf.phnum as u64,
        entry: elf.entry + bias,
        interp_base: interp_base.unwrap_or(0),
    };
    let (sp, auxv) = stack::build(mem, stack_top, &layout).map_err(|_| LoadError::Corrupt {
        path: path.to_path_buf(),
        detail: "arguments and environment do not fit on the stack".into(),
    })?;
    Ok(Image { entry, sp, bias, interp_base, interp_path: interp, auxv })
}

fn map_error(path: &Path, addr: u64, e: Errno) -> LoadError {
    LoadError::Map {
        path: path.to_path_buf(),
        addr,
        errno: std::io::Error::from_raw_os_error(e.0).to_string(),
    }
}

/// The host file of interpreter `name` (an absolute guest path): in the sysroot when one is
/// given and holds it, else on the host. Symbolic links inside the sysroot are followed
/// within it (an absolute link target is a path in the sysroot, not on the host).
fn find_interpreter(path: &Path, name: &str, sysroot: Option<&Path>) -> Result<PathBuf, LoadError> {
    let missing = || LoadError::NoInterpreter {
        path: path.to_path_buf(),
        interp: name.to_string(),
        sysroot: sysroot.map(Path::to_path_buf),
    };
    if let Some(root) = sysroot {
        if let Some(found) = resolve_in_root(root, name) {
            return Ok(found);
        }
    }
    let host = PathBuf::from(name);
    if name.starts_with('/') && host.is_file() {
        return Ok(host);
    }
    Err(missing())
}

/// Resolves `path` inside `root` as if `root` were `/`: absolute symbolic link targets
/// restart at `root`, `..` never climbs above it. `None` if it does not name a regular file.
fn resolve_in_root(root: &Path, path: &str) -> Option<PathBuf> {
    let mut pending: Vec<String> = path.split('/').filter(|c| !c.is_empty()).rev().map(String::from).collect();
    let mut done: Vec<String> = Vec::new();
    let mut links = 0;
    while let Some(comp) = pending.pop() {
        match comp.as_str() {
            "." => continue,
            ".." => {
                done.pop();
                continue;
            }
            _ => {}
        }
        let here: PathBuf = done.iter().chain(std::iter::once(&comp)).fold(root.to_path_buf(), |p, c| p.join(c));
        let meta = std::fs::symlink_metadata(&here).ok()?;
        if meta.file_type().is_symlink() {
            links += 1;
            if links > 40 {
                return None;
            }
            let target = std::fs::read_link(&here).ok()?;
            let target = target.to_str()?;
            if target.starts_with('/') {
                done.clear();
            }
            pending.extend(target.split('/').filter(|c| !c.is_empty()).rev().map(String::from));
        } else {
            done.push(comp);
        }
    }
    let full = done.iter().fold(root.to_path_buf(), |p, c| p.join(c));
    full.is_file().then_some(full)
}

/// Maps `elf`'s PT_LOAD segments at `bias` with their permissions and bss zeroed; returns
/// the end of the highest segment (where the program break starts).
fn map_segments(mem: &GuestMemory, path: &Path, data: &[u8], elf: &elf::ElfInfo, bias: u64) -> Result<u64, LoadError> {
    let map_err = |addr: u64, e: Errno| map_error(path, addr, e);
    let mut brk = 0;
    // Highest page already mapped by an earlier segment and its permissions: two segments
    // may share a page, which then gets both segments' permissions.
    let mut mapped_to = 0u64;
    let mut last_prot = Prot::NONE;
    // What /proc/self/maps names the file's pages by, as the kernel would.
    let identity = {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok();
        let name = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        (name.to_string_lossy().into_owned(), meta.as_ref().map_or(0, |m| m.dev()), meta.as_ref().map_or(0, |m| m.ino()))
    };
    for seg in &elf.segments {
        let vaddr = seg.vaddr + bias;
        let mem_end = vaddr + seg.memsz;
        let end = page_up(mem_end);
        if end > mem.size() {
            return Err(LoadError::Corrupt {
                path: path.to_path_buf(),
                detail: format!("segment at {vaddr:#x} lies outside the guest address space"),
            });
        }
        let mut start = page_down(vaddr);
        let mut prot = seg.prot;
        if start < mapped_to {
            // The first page is shared with the previous segment: make it writable for the
            // copy, and give it the union of both permissions.
            mem.protect(start, PAGE_SIZE, Prot::RW).map_err(|e| map_err(start, e))?;
            prot = prot | last_prot;
            mem.write(vaddr, &data[seg.offset as usize..(seg.offset + seg.filesz) as usize])
                .map_err(|_| map_err(vaddr, Errno::EFAULT))?;
            mem.protect(start, PAGE_SIZE, prot).map_err(|e| map_err(start, e))?;
            start += PAGE_SIZE;
            prot = seg.prot;
            if start >= end {
                mapped_to = mapped_to.max(end);
                brk = brk.max(mem_end);
                continue;
            }
        }
        // Map writable first, fill it from the file, then set the segment's permissions.
        mem.map(Placement::Fixed(start), end - start, Prot::RW, false, None).map_err(|e| map_err(start, e))?;
        let from = vaddr.max(start);
        let skip = from - vaddr;
        if skip < seg.filesz {
            let bytes = &data[(seg.offset + skip) as usize..(seg.offset + seg.filesz) as usize];
            mem.write(from, bytes).map_err(|_| map_err(from, Errno::EFAULT))?;
        }
        mem.protect(start, end - start, prot).map_err(|e| map_err(start, e))?;
        // The pages holding file bytes show as the file; the rest of .bss as anonymous.
        let file_end = page_up(vaddr + seg.filesz).min(end);
        if seg.filesz > 0 && file_end > start {
            let offset = page_down(seg.offset) + (start - page_down(vaddr));
            let (path, dev, inode) = identity.clone();
            mem.set_backing(start, file_end - start, Backing::File { path, offset, dev, inode });
        }
        mapped_to = end;
        last_prot = seg.prot;
        brk = brk.max(mem_end);
    }
    Ok(brk)
}
