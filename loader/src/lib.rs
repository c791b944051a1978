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

use remu_core::mem::{page_down, page_up, Placement, Prot, PAGE_SIZE};
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
    #[error("{path}: dynamically linked (needs {interp}); remu runs static programs only for now")]
    Dynamic { path: PathBuf, interp: String },
    #[error("{path}: cannot map segment at {addr:#x}: {errno}")]
    Map { path: PathBuf, addr: u64, errno: String },
}

/// A loaded program, ready to start.
#[derive(Debug, Clone)]
pub struct Image {
    /// Where execution starts.
    pub entry: u64,
    /// Initial stack pointer (points at argc).
    pub sp: u64,
    /// Where the load bias put the program (0 for fixed-address executables).
    pub bias: u64,
    /// The auxiliary vector as written on the stack, without the terminating AT_NULL.
    pub auxv: Vec<(u64, u64)>,
}

/// The initial stack's size, as the default RLIMIT_STACK.
pub const STACK_SIZE: u64 = 8 << 20;

/// Loads `path` into `mem` for `arch`, with `argv` and `envp` on the stack.
pub fn load(
    mem: &GuestMemory,
    arch: &Arch,
    path: &Path,
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
) -> Result<Image, LoadError> {
    let data = elf::read_file(path)?;
    let elf = elf::parse(path, &data, arch)?;

    // Position-independent executables go where the kernel puts them: two thirds up the
    // address space (ELF_ET_DYN_BASE).
    let bias = if elf.pie { page_down(mem.size() / 3 * 2) - page_down(elf.lowest) } else { 0 };
    let map_err = |addr: u64, e: Errno| LoadError::Map {
        path: path.to_path_buf(),
        addr,
        errno: std::io::Error::from_raw_os_error(e.0).to_string(),
    };

    let mut brk = 0;
    // Highest page already mapped by an earlier segment and its permissions: two segments
    // may share a page, which then gets both segments' permissions.
    let mut mapped_to = 0u64;
    let mut last_prot = Prot::NONE;
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
        mapped_to = end;
        last_prot = seg.prot;
        brk = brk.max(mem_end);
    }
    mem.set_brk_start(page_up(brk));

    let stack_top = mem.size();
    mem.map_stack(stack_top, STACK_SIZE).map_err(|e| map_err(stack_top - STACK_SIZE, e))?;
    // Leave room below the stack for it to be the size the rlimit allows, then mmap grows down.
    mem.set_mmap_base(stack_top - STACK_SIZE - (256 << 20));

    let phdr = elf.phdr_vaddr.map(|p| p + bias).unwrap_or(0);
    let entry = elf.entry + bias;
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
        entry,
        interp_base: 0,
    };
    let (sp, auxv) = stack::build(mem, stack_top, &layout).map_err(|_| LoadError::Corrupt {
        path: path.to_path_buf(),
        detail: "arguments and environment do not fit on the stack".into(),
    })?;
    Ok(Image { entry, sp, bias, auxv })
}
