//! The initial process stack, as the kernel lays it out (high to low addresses):
//! the program's file name (AT_EXECFN), environment and argument strings, the platform
//! string, 16 random bytes (AT_RANDOM), padding to 16 bytes, then auxv pairs, envp, argv
//! and argc at the stack pointer.

use remu_core::{Fault, GuestMemory};

// Auxiliary vector keys (include/uapi/linux/auxvec.h).
pub const AT_NULL: u64 = 0;
pub const AT_PHDR: u64 = 3;
pub const AT_PHENT: u64 = 4;
pub const AT_PHNUM: u64 = 5;
pub const AT_PAGESZ: u64 = 6;
pub const AT_BASE: u64 = 7;
pub const AT_FLAGS: u64 = 8;
pub const AT_ENTRY: u64 = 9;
pub const AT_UID: u64 = 11;
pub const AT_EUID: u64 = 12;
pub const AT_GID: u64 = 13;
pub const AT_EGID: u64 = 14;
pub const AT_PLATFORM: u64 = 15;
pub const AT_HWCAP: u64 = 16;
pub const AT_CLKTCK: u64 = 17;
pub const AT_SECURE: u64 = 23;
pub const AT_RANDOM: u64 = 25;
pub const AT_HWCAP2: u64 = 26;
pub const AT_EXECFN: u64 = 31;

/// What goes on the initial stack.
pub struct StartInfo<'a> {
    pub argv: &'a [Vec<u8>],
    pub envp: &'a [Vec<u8>],
    pub execfn: &'a [u8],
    pub platform: Option<&'a str>,
    pub hwcap: u64,
    pub hwcap2: u64,
    pub phdr: u64,
    pub phnum: u64,
    pub entry: u64,
    pub interp_base: u64,
}

/// Writes the start-up data below `top`; returns the stack pointer and the auxv written.
pub fn build(mem: &GuestMemory, top: u64, info: &StartInfo<'_>) -> Result<(u64, Vec<(u64, u64)>), Fault> {
    let mut sp = top;
    let mut push_bytes = |bytes: &[u8], nul: bool| -> Result<u64, Fault> {
        sp -= bytes.len() as u64 + nul as u64;
        mem.write(sp, bytes)?;
        if nul {
            mem.write(sp + bytes.len() as u64, &[0])?;
        }
        Ok(sp)
    };
    // An 8-byte end marker, as the kernel leaves, then the file name.
    push_bytes(&[0; 8], false)?;
    let execfn = push_bytes(info.execfn, true)?;
    let mut envp = Vec::with_capacity(info.envp.len());
    for e in info.envp.iter().rev() {
        envp.push(push_bytes(e, true)?);
    }
    envp.reverse();
    let mut argv = Vec::with_capacity(info.argv.len());
    for a in info.argv.iter().rev() {
        argv.push(push_bytes(a, true)?);
    }
    argv.reverse();
    let platform = match info.platform {
        Some(p) => Some(push_bytes(p.as_bytes(), true)?),
        None => None,
    };
    let random = push_bytes(&random_bytes(), false)?;

    // SAFETY: getuid and friends cannot fail and touch no memory.
    let (uid, euid, gid, egid) = unsafe { (libc::getuid(), libc::geteuid(), libc::getgid(), libc::getegid()) };
    let mut auxv = vec![
        (AT_HWCAP, info.hwcap),
        (AT_PAGESZ, 4096),
        (AT_CLKTCK, 100),
        (AT_PHDR, info.phdr),
        (AT_PHENT, 56),
        (AT_PHNUM, info.phnum),
        (AT_BASE, info.interp_base),
        (AT_FLAGS, 0),
        (AT_ENTRY, info.entry),
        (AT_UID, uid as u64),
        (AT_EUID, euid as u64),
        (AT_GID, gid as u64),
        (AT_EGID, egid as u64),
        (AT_SECURE, 0),
        (AT_RANDOM, random),
    ];
    if info.hwcap2 != 0 {
        auxv.push((AT_HWCAP2, info.hwcap2));
    }
    auxv.push((AT_EXECFN, execfn));
    if let Some(p) = platform {
        auxv.push((AT_PLATFORM, p));
    }

    // argc, argv + NULL, envp + NULL, auxv pairs + AT_NULL pair: the stack pointer (at argc)
    // must be 16-byte aligned.
    let words = 1 + argv.len() + 1 + envp.len() + 1 + 2 * (auxv.len() + 1);
    let mut at = (sp - 8 * words as u64) & !15;
    let start = at;
    let mut put = |v: u64| -> Result<(), Fault> {
        mem.write_u64(at, v)?;
        at += 8;
        Ok(())
    };
    put(argv.len() as u64)?;
    for a in &argv {
        put(*a)?;
    }
    put(0)?;
    for e in &envp {
        put(*e)?;
    }
    put(0)?;
    for &(k, v) in &auxv {
        put(k)?;
        put(v)?;
    }
    put(AT_NULL)?;
    put(0)?;
    Ok((start, auxv))
}

fn random_bytes() -> [u8; 16] {
    let mut b = [0u8; 16];
    // SAFETY: getrandom writes at most 16 bytes into our buffer.
    let n = unsafe { libc::getrandom(b.as_mut_ptr().cast(), 16, 0) };
    if n != 16 {
        // Fall back to something that still differs between runs.
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        b[..16].copy_from_slice(&(t.as_nanos() ^ (std::process::id() as u128) << 64).to_le_bytes());
    }
    b
}
