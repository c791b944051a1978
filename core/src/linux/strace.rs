//! `--strace`: one line per system call on stderr, in strace's style:
//! `openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3`, errors as
//! `= -1 ENOENT (No such file or directory)`, data strings quoted and cut at 32 bytes.
//!
//! The formatter is a pure function of the table entry, the arguments, the result and guest
//! memory, so tests can check it without running anything.

use std::io::Write;

use super::abi::{
    errno_name, AF_INET, AF_INET6, AF_UNIX, AT_FDCWD, MAP_FLAGS, MAP_TYPE, OPEN_FLAGS, O_ACCMODE, O_CREAT,
    O_TMPFILE_DIR, SOCKET_DOMAINS, SOCKET_TYPES, SOCK_FLAGS,
};
use super::table::{Arg, Entry, Ret};
use crate::mem::GuestMemory;

/// How many bytes of a data buffer strace shows (its `-s 32` default).
pub const STRING_LIMIT: usize = 32;
/// Paths are shown whole, up to PATH_MAX.
const PATH_LIMIT: usize = 4096;

/// Writes one finished line to stderr.
pub fn emit(line: &str) {
    let mut e = std::io::stderr().lock();
    let _ = e.write_all(line.as_bytes());
    let _ = e.write_all(b"\n");
}

/// Formats a call to a known system call. `result` is `None` for calls that do not return
/// (exit, exit_group, a fatal signal).
pub fn format_call(entry: &Entry, args: &[u64; 6], result: Option<i64>, mem: &GuestMemory) -> String {
    let shown: Vec<String> = entry
        .args
        .iter()
        .enumerate()
        .filter(|(_, a)| match a {
            Arg::CreateMode(n) => args[*n as usize] & (O_CREAT | O_TMPFILE_DIR) != 0,
            _ => true,
        })
        .map(|(i, a)| format_arg(*a, args[i], args, result, mem))
        .collect();
    format!("{}({}) = {}", entry.name, shown.join(", "), format_result(entry.ret, result))
}

/// Formats a call remu does not know, by number with all six arguments in hex.
pub fn format_unknown(nr: u64, args: &[u64; 6], result: Option<i64>) -> String {
    let shown: Vec<String> = args.iter().map(|a| hex(*a)).collect();
    format!("syscall_{nr}({}) = {}", shown.join(", "), format_result(Ret::Int, result))
}

/// The `= ...` part.
pub fn format_result(ret: Ret, result: Option<i64>) -> String {
    match result {
        None => "?".to_string(),
        Some(v) if (-4095..0).contains(&v) => {
            let e = (-v) as i32;
            let msg = std::io::Error::from_raw_os_error(e).to_string();
            let msg = match msg.find(" (os error") {
                Some(i) => msg[..i].to_string(),
                None => msg,
            };
            match errno_name(e) {
                Some(n) => format!("-1 {n} ({msg})"),
                None => format!("-1 E{e} ({msg})"),
            }
        }
        Some(v) => match ret {
            Ret::Int => v.to_string(),
            Ret::Hex => hex(v as u64),
        },
    }
}

fn hex(v: u64) -> String {
    if v == 0 {
        "0".to_string()
    } else {
        format!("{v:#x}")
    }
}

fn ptr(v: u64) -> String {
    if v == 0 {
        "NULL".to_string()
    } else {
        format!("{v:#x}")
    }
}

fn format_arg(arg: Arg, v: u64, args: &[u64; 6], result: Option<i64>, mem: &GuestMemory) -> String {
    match arg {
        Arg::Fd | Arg::Int => (v as i32).to_string(),
        Arg::DirFd if v as i32 == AT_FDCWD => "AT_FDCWD".to_string(),
        Arg::DirFd => (v as i32).to_string(),
        Arg::Long => (v as i64).to_string(),
        Arg::ULong => v.to_string(),
        Arg::Hex => hex(v),
        Arg::Ptr => ptr(v),
        Arg::Path => {
            if v == 0 {
                return "NULL".to_string();
            }
            match mem.read_cstr(v, PATH_LIMIT) {
                Ok(s) => quote(&s, false),
                Err(_) => hex(v),
            }
        }
        Arg::InBuf(n) => buffer(mem, v, args[n as usize]),
        Arg::OutBuf => match result {
            Some(r) if r >= 0 => buffer(mem, v, r as u64),
            _ => ptr(v),
        },
        Arg::Octal | Arg::CreateMode(_) => format!("0{:02o}", v),
        Arg::OpenFlags => open_flags(v),
        Arg::MapFlags => map_flags(v),
        Arg::Flags(names) => flags(v, names),
        Arg::Enum(names) => match names.iter().find(|(n, _)| *n == v) {
            Some((_, name)) => name.to_string(),
            None => (v as i64).to_string(),
        },
        Arg::Signal => signal(v as i32),
        Arg::SockAddr(n) if v != 0 => match mem.read_vec(v, (args[n as usize] as u32 as usize).min(128)) {
            Ok(b) => sockaddr(&b),
            Err(_) => hex(v),
        },
        Arg::SockAddrOut(n) if v != 0 && result.is_some_and(|r| r >= 0) => {
            let len = mem.read_u32(args[n as usize]).map_or(0, |l| (l as usize).min(128));
            match mem.read_vec(v, len) {
                Ok(b) => sockaddr(&b),
                Err(_) => hex(v),
            }
        }
        Arg::SockAddr(_) | Arg::SockAddrOut(_) => ptr(v),
        Arg::SockType => {
            let kind = v & 0xf;
            let kind = match SOCKET_TYPES.iter().find(|(n, _)| *n == kind) {
                Some((_, name)) => name.to_string(),
                None => kind.to_string(),
            };
            match v & !0xf {
                0 => kind,
                rest => format!("{kind}|{}", flags(rest, SOCK_FLAGS)),
            }
        }
    }
}

/// A socket address as strace shows it:
/// `{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}`.
pub fn sockaddr(b: &[u8]) -> String {
    if b.len() < 2 {
        return "{}".to_string();
    }
    let family = u16::from_le_bytes([b[0], b[1]]);
    let name = match SOCKET_DOMAINS.iter().find(|(n, _)| *n == family as u64) {
        Some((_, n)) => n.to_string(),
        None => family.to_string(),
    };
    let port = |b: &[u8]| u16::from_be_bytes([b[2], b[3]]);
    let rest = match family {
        AF_INET if b.len() >= 8 => {
            let ip = std::net::Ipv4Addr::new(b[4], b[5], b[6], b[7]);
            format!(", sin_port=htons({}), sin_addr=inet_addr(\"{ip}\")", port(b))
        }
        AF_INET6 if b.len() >= 28 => {
            let ip = std::net::Ipv6Addr::from(<[u8; 16]>::try_from(&b[8..24]).unwrap());
            let flow = u32::from_be_bytes(b[4..8].try_into().unwrap());
            let scope = u32::from_le_bytes(b[24..28].try_into().unwrap());
            format!(
                ", sin6_port=htons({}), sin6_flowinfo=htonl({flow}), inet_pton(AF_INET6, \"{ip}\", &sin6_addr), sin6_scope_id={scope}",
                port(b)
            )
        }
        AF_UNIX if b.len() > 2 => {
            let path = &b[2..];
            // An abstract name starts with a NUL byte (strace marks it with @).
            match path.split_first() {
                Some((0, name)) => format!(", sun_path=@{}", quote(name, false)),
                _ => {
                    let end = path.iter().position(|&c| c == 0).unwrap_or(path.len());
                    format!(", sun_path={}", quote(&path[..end], false))
                }
            }
        }
        _ => String::new(),
    };
    format!("{{sa_family={name}{rest}}}")
}

/// A data buffer: the first [`STRING_LIMIT`] bytes quoted, `...` if there is more.
fn buffer(mem: &GuestMemory, addr: u64, len: u64) -> String {
    let shown = (len as usize).min(STRING_LIMIT);
    match mem.read_vec(addr, shown) {
        Ok(bytes) => quote(&bytes, len as usize > shown),
        Err(_) => hex(addr),
    }
}

/// Quotes bytes the way strace does: C escapes, octal for the rest.
pub fn quote(bytes: &[u8], truncated: bool) -> String {
    let mut s = String::with_capacity(bytes.len() + 2);
    s.push('"');
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            b'\n' => s.push_str("\\n"),
            b'\t' => s.push_str("\\t"),
            b'\r' => s.push_str("\\r"),
            0x0b => s.push_str("\\v"),
            0x0c => s.push_str("\\f"),
            0x20..=0x7e => s.push(b as char),
            _ => {
                // Minimal octal, unless a digit follows and would be read as part of it.
                let next_is_digit = bytes.get(i + 1).is_some_and(|n| (b'0'..=b'7').contains(n));
                if next_is_digit {
                    s.push_str(&format!("\\{b:03o}"));
                } else {
                    s.push_str(&format!("\\{b:o}"));
                }
            }
        }
    }
    s.push('"');
    if truncated {
        s.push_str("...");
    }
    s
}

/// Bit flags by name, most specific (most bits) first; leftovers in hex; `0` when empty.
pub fn flags(v: u64, names: &[(u64, &str)]) -> String {
    let mut sorted: Vec<&(u64, &str)> = names.iter().filter(|(b, _)| *b != 0).collect();
    sorted.sort_by_key(|(b, _)| std::cmp::Reverse(b.count_ones()));
    let mut left = v;
    let mut parts = Vec::new();
    for (bits, name) in sorted {
        if left & bits == *bits {
            parts.push(name.to_string());
            left &= !bits;
        }
    }
    if left != 0 {
        parts.push(format!("{left:#x}"));
    }
    if parts.is_empty() {
        "0".to_string()
    } else {
        parts.join("|")
    }
}

fn open_flags(v: u64) -> String {
    let acc = match v & O_ACCMODE {
        0 => "O_RDONLY",
        1 => "O_WRONLY",
        2 => "O_RDWR",
        _ => "O_ACCMODE",
    };
    let rest = v & !O_ACCMODE;
    if rest == 0 {
        acc.to_string()
    } else {
        format!("{acc}|{}", flags(rest, OPEN_FLAGS))
    }
}

fn map_flags(v: u64) -> String {
    let kind = match v & MAP_TYPE {
        1 => "MAP_SHARED".to_string(),
        2 => "MAP_PRIVATE".to_string(),
        3 => "MAP_SHARED_VALIDATE".to_string(),
        t => format!("{t:#x}"),
    };
    let rest = v & !MAP_TYPE;
    if rest == 0 {
        kind
    } else {
        format!("{kind}|{}", flags(rest, MAP_FLAGS))
    }
}

fn signal(sig: i32) -> String {
    match sig {
        0 => "0".to_string(),
        1..=31 => super::signal_name(sig),
        32..=64 => format!("SIGRT_{}", sig - 32),
        _ => sig.to_string(),
    }
}
