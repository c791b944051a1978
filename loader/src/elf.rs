//! Reading and checking an ELF file's headers (goblin parses, we check what remu needs).

use std::path::Path;

use goblin::elf::header::{ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ET_DYN, ET_EXEC};
use goblin::elf::program_header::{PF_R, PF_W, PF_X, PT_INTERP, PT_LOAD, PT_PHDR};
use remu_core::{Arch, Prot};

use crate::LoadError;

/// One PT_LOAD segment.
#[derive(Debug)]
pub struct Segment {
    pub vaddr: u64,
    pub offset: u64,
    pub filesz: u64,
    pub memsz: u64,
    pub prot: Prot,
}

/// What the loader needs from an executable.
#[derive(Debug)]
pub struct ElfInfo {
    pub entry: u64,
    pub pie: bool,
    pub segments: Vec<Segment>,
    /// Lowest segment address (page-aligned down), for placing a PIE.
    pub lowest: u64,
    /// Where the program headers are in memory (unbiased), if loaded.
    pub phdr_vaddr: Option<u64>,
    pub phnum: usize,
    /// PT_INTERP: the dynamic linker the program asks for.
    pub interp: Option<String>,
}

pub fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    let open = |source| LoadError::Open { path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(open)?;
    if meta.is_dir() {
        return Err(LoadError::IsDirectory { path: path.to_path_buf() });
    }
    std::fs::read(path).map_err(open)
}

/// Names of the machines users are likely to hand us by mistake.
pub fn machine_name(machine: u16) -> &'static str {
    match machine {
        3 => "i386",
        8 => "MIPS",
        20 => "PowerPC",
        21 => "PowerPC64",
        22 => "s390",
        40 => "ARM",
        62 => "x86-64",
        183 => "AArch64",
        243 => "RISC-V",
        258 => "LoongArch",
        _ => "unknown",
    }
}

/// The `e_machine` of an ELF file, checking only what is needed to pick an architecture.
pub fn elf_machine(path: &Path) -> Result<u16, LoadError> {
    let data = read_file(path)?;
    let p = path.to_path_buf();
    check_ident(&p, &data)?;
    if data.len() < 20 {
        return Err(LoadError::Corrupt { path: p, detail: "header cut short".into() });
    }
    Ok(u16::from_le_bytes([data[18], data[19]]))
}

fn check_ident(path: &Path, data: &[u8]) -> Result<(), LoadError> {
    if data.len() < 4 || &data[..4] != b"\x7fELF" {
        return Err(LoadError::NotElf { path: path.to_path_buf() });
    }
    if data.len() < 64 {
        return Err(LoadError::Corrupt { path: path.to_path_buf(), detail: "header cut short".into() });
    }
    match data[4] {
        ELFCLASS64 => {}
        ELFCLASS32 => return Err(LoadError::Elf32 { path: path.to_path_buf() }),
        c => return Err(LoadError::Corrupt { path: path.to_path_buf(), detail: format!("unknown ELF class {c}") }),
    }
    if data[5] != ELFDATA2LSB {
        return Err(LoadError::BigEndian { path: path.to_path_buf() });
    }
    Ok(())
}

pub fn parse(path: &Path, data: &[u8], arch: &Arch) -> Result<ElfInfo, LoadError> {
    let p = path.to_path_buf();
    check_ident(&p, data)?;
    let corrupt = |detail: String| LoadError::Corrupt { path: p.clone(), detail };
    let machine = u16::from_le_bytes([data[18], data[19]]);
    if machine != arch.elf_machine {
        return Err(LoadError::WrongMachine {
            path: p.clone(),
            machine,
            name: machine_name(machine),
            expected: arch.name,
        });
    }
    let elf = goblin::elf::Elf::parse(data).map_err(|e| corrupt(e.to_string()))?;
    let pie = match elf.header.e_type {
        ET_EXEC => false,
        ET_DYN => true,
        t => {
            let kind = match t {
                goblin::elf::header::ET_REL => "REL (relocatable object)",
                goblin::elf::header::ET_CORE => "CORE (core dump)",
                _ => "unknown",
            };
            return Err(LoadError::NotExecutable { path: p.clone(), kind });
        }
    };
    let mut segments = Vec::new();
    let mut phdr_vaddr = None;
    let mut interp = None;
    for ph in &elf.program_headers {
        match ph.p_type {
            PT_INTERP => {
                match elf.interpreter {
                    Some(i) if !i.is_empty() => interp = Some(i.to_string()),
                    _ => return Err(corrupt("PT_INTERP does not hold a path".into())),
                }
            }
            PT_PHDR => phdr_vaddr = Some(ph.p_vaddr),
            PT_LOAD if ph.p_memsz > 0 => {
                let end = ph.p_offset.checked_add(ph.p_filesz);
                if end.is_none_or(|e| e > data.len() as u64) {
                    return Err(corrupt(format!("segment at file offset {:#x} runs past the end of the file", ph.p_offset)));
                }
                if ph.p_filesz > ph.p_memsz || ph.p_vaddr.checked_add(ph.p_memsz).is_none() {
                    return Err(corrupt(format!("segment at {:#x} has impossible sizes", ph.p_vaddr)));
                }
                if ph.p_vaddr % 4096 != ph.p_offset % 4096 {
                    return Err(corrupt(format!("segment at {:#x} is not page-congruent with its file offset", ph.p_vaddr)));
                }
                let mut prot = Prot::NONE;
                if ph.p_flags & PF_R != 0 {
                    prot = prot | Prot::READ;
                }
                if ph.p_flags & PF_W != 0 {
                    prot = prot | Prot::WRITE;
                }
                if ph.p_flags & PF_X != 0 {
                    prot = prot | Prot::EXEC;
                }
                segments.push(Segment { vaddr: ph.p_vaddr, offset: ph.p_offset, filesz: ph.p_filesz, memsz: ph.p_memsz, prot });
            }
            _ => {}
        }
    }
    if segments.is_empty() {
        return Err(corrupt("no loadable segments".into()));
    }
    segments.sort_by_key(|s| s.vaddr);
    for w in segments.windows(2) {
        if w[0].vaddr + w[0].memsz > w[1].vaddr {
            return Err(corrupt(format!("segments at {:#x} and {:#x} overlap", w[0].vaddr, w[1].vaddr)));
        }
    }
    // Without PT_PHDR, the headers are in memory if a segment covers their file offset.
    let phoff = elf.header.e_phoff;
    if phdr_vaddr.is_none() {
        phdr_vaddr = segments
            .iter()
            .find(|s| phoff >= s.offset && phoff < s.offset + s.filesz)
            .map(|s| s.vaddr + (phoff - s.offset));
    }
    let lowest = remu_core::mem::page_down(segments[0].vaddr);
    Ok(ElfInfo { entry: elf.entry, pie, segments, lowest, phdr_vaddr, phnum: elf.program_headers.len(), interp })
}
