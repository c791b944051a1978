//! `remu binfmt`: registering remu with the kernel's binfmt_misc, so that riscv64 and
//! aarch64 ELF executables run directly (`./hello`), the way qemu-user-static does it.
//!
//! One entry per guest architecture, named `remu-<arch>`, of type `M` (magic): the first 20
//! bytes of the ELF header, matched under a mask —
//!
//! | bytes | field | required |
//! | --- | --- | --- |
//! | 0..4 | `\x7fELF` | exactly |
//! | 4, 5, 6 | class, data, version | 2 (64-bit), 1 (little endian), 1 |
//! | 7 | OS ABI | anything (masked out: SYSV and GNU/Linux both occur) |
//! | 8..16 | ABI version and padding | zero |
//! | 16, 17 | e_type | 2 (EXEC) or 3 (DYN): low byte masked with 0xfe |
//! | 18, 19 | e_machine | the architecture's (243 RISC-V, 183 AArch64) |
//!
//! The interpreter is the absolute path of the running remu binary, with the flags
//! - `F` (fix binary): the kernel opens remu when the entry is registered and keeps it open,
//!   so the entry works inside containers and chroots where that path does not exist;
//! - `P` (preserve argv[0]): the kernel runs `remu PATH ARGV0 ARGS...` instead of
//!   `remu PATH ARGS...`, so the guest sees the argv[0] its caller chose.
//!
//! **remu's entry convention.** With `P`, the kernel (Linux 5.12 and later) also sets
//! `AT_FLAGS_PRESERVE_ARGV0` in the `AT_FLAGS` word of remu's own auxiliary vector. That bit,
//! which an ordinary command line cannot set, is how remu knows the kernel started it for a
//! binfmt_misc entry ([`kernel_invocation`]): it then runs `PATH` as the guest with
//! `ARGV0 ARGS...` as its argv, the sysroot from `REMU_LD_PREFIX` or the Debian default, and
//! dies of the guest's fatal signal as a native program would. Any other start is the usual
//! command line (`remu run ...`).

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use remu_core::Arch;

/// Where binfmt_misc is mounted.
pub const MOUNT_POINT: &str = "/proc/sys/fs/binfmt_misc";
/// The registration flags (see the module documentation).
pub const FLAGS: &str = "PF";
/// Length of the matched ELF header prefix (up to and including e_machine).
const MAGIC_LEN: usize = 20;

/// One binfmt_misc entry for a guest architecture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `remu-<arch>`: the file under the binfmt_misc mount.
    pub name: String,
    pub magic: [u8; MAGIC_LEN],
    pub mask: [u8; MAGIC_LEN],
}

impl Entry {
    /// The entry that matches 64-bit little-endian executables and shared objects
    /// (ET_EXEC, ET_DYN) for `arch`.
    pub fn for_arch(arch: &Arch) -> Entry {
        let mut magic = [0u8; MAGIC_LEN];
        magic[..7].copy_from_slice(b"\x7fELF\x02\x01\x01");
        magic[16] = 2; // ET_EXEC; the mask admits ET_DYN (3) too
        magic[18..20].copy_from_slice(&arch.elf_machine.to_le_bytes());
        let mut mask = [0xffu8; MAGIC_LEN];
        mask[7] = 0x00; // EI_OSABI
        mask[16] = 0xfe; // e_type 2 or 3
        Entry { name: format!("remu-{}", arch.name), magic, mask }
    }

    /// The line written to `register`: `:name:M::magic:mask:interpreter:flags`, every
    /// magic and mask byte escaped as `\xNN` (so no byte can be taken for the `:` separator).
    pub fn register_line(&self, interpreter: &Path) -> Result<String, BinfmtError> {
        let interp = interpreter.to_str().ok_or_else(|| BinfmtError::BadInterpreter(interpreter.to_path_buf()))?;
        if !interpreter.is_absolute() || interp.contains([':', '\n']) {
            return Err(BinfmtError::BadInterpreter(interpreter.to_path_buf()));
        }
        let esc = |b: &[u8]| b.iter().map(|x| format!("\\x{x:02x}")).collect::<String>();
        Ok(format!(":{}:M::{}:{}:{interp}:{FLAGS}", self.name, esc(&self.magic), esc(&self.mask)))
    }

    /// Whether a file starting with `header` is one this entry hands to remu.
    #[cfg(test)]
    pub fn matches(&self, header: &[u8]) -> bool {
        header.len() >= MAGIC_LEN && (0..MAGIC_LEN).all(|i| header[i] & self.mask[i] == self.magic[i] & self.mask[i])
    }
}

/// What binfmt_misc reports about a registered entry (the file `MOUNT_POINT/NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Registered {
    pub enabled: bool,
    pub interpreter: String,
    pub flags: String,
    pub offset: usize,
    pub magic: Vec<u8>,
    pub mask: Vec<u8>,
}

impl Registered {
    /// Parses the kernel's text: `enabled`, `interpreter PATH`, `flags: PF`, `offset 0`,
    /// `magic HEX`, `mask HEX` (entries of type E have `extension .x` instead of magic).
    pub fn parse(text: &str) -> Registered {
        let hex = |s: &str| (0..s.len() / 2).filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()).collect();
        let mut r = Registered::default();
        for line in text.lines() {
            let (key, value) = line.split_once(' ').unwrap_or((line, ""));
            match key {
                "enabled" => r.enabled = true,
                "interpreter" => r.interpreter = value.to_string(),
                "flags:" => r.flags = value.trim().to_string(),
                "offset" => r.offset = value.trim().parse().unwrap_or(0),
                "magic" => r.magic = hex(value.trim()),
                "mask" => r.mask = hex(value.trim()),
                _ => {}
            }
        }
        r
    }

    /// Whether this is `entry` with `interpreter` and remu's flags, as `--install` writes it.
    pub fn is(&self, entry: &Entry, interpreter: &Path) -> bool {
        // (The kernel may show the magic already masked.)
        let same_magic = self.magic.len() == entry.magic.len()
            && (0..entry.magic.len()).all(|i| self.magic[i] & entry.mask[i] == entry.magic[i] & entry.mask[i]);
        Path::new(&self.interpreter) == interpreter
            && self.flags.contains('P')
            && self.flags.contains('F')
            && self.offset == 0
            && same_magic
            && self.mask == entry.mask
    }

    /// Whether files this entry matches include `header` (a sample ELF header).
    fn claims(&self, header: &[u8]) -> bool {
        if !self.enabled || self.magic.is_empty() || self.offset + self.magic.len() > header.len() {
            return false;
        }
        let h = &header[self.offset..];
        self.magic.iter().enumerate().all(|(i, &m)| {
            let k = self.mask.get(i).copied().unwrap_or(0xff);
            h[i] & k == m & k
        })
    }
}

/// What can go wrong; each is one line for the user.
#[derive(Debug)]
pub enum BinfmtError {
    /// The interpreter path cannot be registered.
    BadInterpreter(PathBuf),
    /// binfmt_misc is not mounted and could not be mounted.
    NotMounted { detail: String },
    /// Writing to binfmt_misc failed.
    Write { path: PathBuf, err: std::io::Error },
    /// An entry of that name exists and is not this remu's.
    Occupied { name: String, interpreter: String },
}

impl fmt::Display for BinfmtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BinfmtError::BadInterpreter(p) => write!(
                f,
                "cannot register {} as an interpreter: binfmt_misc needs an absolute path without ':' or newlines",
                p.display()
            ),
            BinfmtError::NotMounted { detail } => {
                write!(f, "binfmt_misc is not mounted at {MOUNT_POINT} and mounting it failed (needs root): {detail}")
            }
            BinfmtError::Write { path, err } => {
                let hint = match err.kind() {
                    std::io::ErrorKind::PermissionDenied => " (needs root)",
                    _ => "",
                };
                write!(f, "writing {}: {err}{hint}", path.display())
            }
            BinfmtError::Occupied { name, interpreter } => write!(
                f,
                "binfmt_misc already has an entry {name} with interpreter {interpreter}; \
                 run `remu binfmt --uninstall` with that remu first (nothing was changed)"
            ),
        }
    }
}

impl std::error::Error for BinfmtError {}

/// A binfmt_misc file system: [`MOUNT_POINT`], or another directory in tests.
pub struct Binfmt {
    pub dir: PathBuf,
}

/// What `install` did for one entry.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    Registered,
    AlreadyRegistered,
}

impl Binfmt {
    pub fn new() -> Binfmt {
        Binfmt { dir: PathBuf::from(MOUNT_POINT) }
    }

    fn mounted(&self) -> bool {
        self.dir.join("register").exists()
    }

    /// Mounts binfmt_misc when it is not (with mount(8), as systemd's
    /// proc-sys-fs-binfmt_misc.mount does).
    pub fn ensure_mounted(&self) -> Result<(), BinfmtError> {
        if self.mounted() {
            return Ok(());
        }
        let out = std::process::Command::new("mount")
            .args(["-t", "binfmt_misc", "binfmt_misc"])
            .arg(&self.dir)
            .output()
            .map_err(|e| BinfmtError::NotMounted { detail: format!("running mount: {e}") })?;
        if !out.status.success() || !self.mounted() {
            let msg = String::from_utf8_lossy(&out.stderr);
            let detail = msg.lines().next().unwrap_or("mount failed").trim().to_string();
            return Err(BinfmtError::NotMounted { detail });
        }
        Ok(())
    }

    /// The entry `name` as the kernel shows it, if registered.
    pub fn get(&self, name: &str) -> Option<Registered> {
        fs::read_to_string(self.dir.join(name)).ok().map(|t| Registered::parse(&t))
    }

    /// Every entry registered (name, state), sorted by name.
    pub fn list(&self) -> Vec<(String, Registered)> {
        let mut out: Vec<(String, Registered)> = fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n != "register" && n != "status")
            .filter_map(|n| self.get(&n).map(|r| (n, r)))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// One write(2) of `text` to `file`, as binfmt_misc wants.
    fn write(&self, file: &str, text: &str) -> Result<(), BinfmtError> {
        let path = self.dir.join(file);
        let mut f = fs::OpenOptions::new().write(true).open(&path).map_err(|err| BinfmtError::Write { path: path.clone(), err })?;
        match f.write(text.as_bytes()) {
            Ok(n) if n == text.len() => Ok(()),
            Ok(n) => Err(BinfmtError::Write { path, err: std::io::Error::other(format!("short write ({n} of {} bytes)", text.len())) }),
            Err(err) => Err(BinfmtError::Write { path, err }),
        }
    }

    /// Registers `entry` for `interpreter`, unless this very registration exists. An entry of
    /// the same name registered otherwise (another remu, another tool) is left alone.
    pub fn install(&self, entry: &Entry, interpreter: &Path) -> Result<Installed, BinfmtError> {
        let line = entry.register_line(interpreter)?;
        if let Some(r) = self.get(&entry.name) {
            if r.is(entry, interpreter) {
                return Ok(Installed::AlreadyRegistered);
            }
            return Err(BinfmtError::Occupied { name: entry.name.clone(), interpreter: r.interpreter });
        }
        self.write("register", &line)?;
        Ok(Installed::Registered)
    }

    /// Removes the entry named like `entry`; false when there was none.
    pub fn uninstall(&self, entry: &Entry) -> Result<Option<Registered>, BinfmtError> {
        let Some(r) = self.get(&entry.name) else { return Ok(None) };
        self.write(&entry.name, "-1")?;
        Ok(Some(r))
    }

    /// Other enabled entries that also claim files `entry` matches (qemu-user-static's, say).
    pub fn rivals(&self, entry: &Entry) -> Vec<(String, Registered)> {
        self.list().into_iter().filter(|(n, r)| *n != entry.name && r.claims(&entry.magic)).collect()
    }
}

impl Default for Binfmt {
    fn default() -> Self {
        Binfmt::new()
    }
}

/// `AT_FLAGS` in the auxiliary vector, and its bit for binfmt_misc's `P` flag.
const AT_FLAGS: u64 = 8;
const AT_FLAGS_PRESERVE_ARGV0: u64 = 1;

/// Whether the kernel started this process as the interpreter of a binfmt_misc entry with
/// the `P` flag (see the module documentation).
pub fn kernel_invocation() -> bool {
    let Ok(auxv) = fs::read("/proc/self/auxv") else { return false };
    at_flags(&auxv).is_some_and(|f| f & AT_FLAGS_PRESERVE_ARGV0 != 0)
}

/// The AT_FLAGS value in a host (64-bit, native endian) auxiliary vector.
fn at_flags(auxv: &[u8]) -> Option<u64> {
    auxv.chunks_exact(16)
        .map(|c| (u64::from_ne_bytes(c[..8].try_into().unwrap()), u64::from_ne_bytes(c[8..].try_into().unwrap())))
        .take_while(|&(k, _)| k != 0)
        .find(|&(k, _)| k == AT_FLAGS)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn riscv() -> Entry {
        Entry::for_arch(&remu_isa_riscv::RISCV64)
    }

    fn aarch64() -> Entry {
        Entry::for_arch(&remu_isa_arm::AARCH64)
    }

    #[test]
    fn magic_and_mask_bytes() {
        let r = riscv();
        assert_eq!(r.name, "remu-riscv64");
        assert_eq!(
            r.magic,
            [0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0xf3, 0]
        );
        assert_eq!(
            r.mask,
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff]
        );
        let a = aarch64();
        assert_eq!(a.name, "remu-aarch64");
        assert_eq!(a.magic[18..], [0xb7, 0]);
        assert_eq!(a.magic[..18], r.magic[..18]);
        assert_eq!(a.mask, r.mask);
    }

    #[test]
    fn register_lines_exactly() {
        let want_rv = concat!(
            r":remu-riscv64:M::",
            r"\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xf3\x00:",
            r"\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:",
            r"/opt/bin/remu:PF"
        );
        assert_eq!(riscv().register_line(Path::new("/opt/bin/remu")).unwrap(), want_rv);
        let a = aarch64().register_line(Path::new("/opt/bin/remu")).unwrap();
        assert_eq!(a, want_rv.replace("riscv64", "aarch64").replace(r"\x02\x00\xf3\x00:", r"\x02\x00\xb7\x00:"));
    }

    #[test]
    fn interpreters_binfmt_cannot_take() {
        for bad in ["relative/remu", "/a:b/remu", "/a\nb"] {
            let e = riscv().register_line(Path::new(bad)).unwrap_err();
            assert!(matches!(e, BinfmtError::BadInterpreter(_)), "{bad}");
            assert!(e.to_string().contains("absolute path"));
        }
    }

    #[test]
    fn matches_executables_and_pies_of_its_arch_only() {
        let roms = Path::new(env!("CARGO_MANIFEST_DIR")).join("roms");
        let head = |p: &str| fs::read(roms.join(p)).unwrap()[..64].to_vec();
        let (r, a) = (riscv(), aarch64());
        for rv in ["riscv64/hello", "riscv64/pie", "riscv64/dynamic/hello"] {
            assert!(r.matches(&head(rv)) && !a.matches(&head(rv)), "{rv}");
        }
        assert!(a.matches(&head("aarch64/hello")) && !r.matches(&head("aarch64/hello")));
        // A shared library is ET_DYN too (as for qemu-user-static); an object file is not.
        let mut rel = head("riscv64/hello");
        rel[16] = 1;
        assert!(!r.matches(&rel));
        // The OS ABI byte does not matter; a big-endian or 32-bit file does not match.
        let mut h = head("riscv64/hello");
        h[7] = 3;
        assert!(r.matches(&h));
        h[5] = 2;
        assert!(!r.matches(&h));
        let mut h = head("riscv64/hello");
        h[4] = 1;
        assert!(!r.matches(&h));
        // This host's own binaries are never claimed.
        assert!(!r.matches(&fs::read("/proc/self/exe").unwrap()[..64]));
    }

    #[test]
    fn parses_what_the_kernel_shows() {
        let text = "enabled\ninterpreter /opt/bin/remu\nflags: PF\noffset 0\n\
                    magic 7f454c460201010000000000000000000200f300\n\
                    mask ffffffffffffff00fffffffffffffffffeffffff\n";
        let r = Registered::parse(text);
        assert!(r.enabled);
        assert_eq!(r.interpreter, "/opt/bin/remu");
        assert_eq!(r.flags, "PF");
        assert!(r.is(&riscv(), Path::new("/opt/bin/remu")));
        assert!(!r.is(&riscv(), Path::new("/other/remu")));
        assert!(!r.is(&aarch64(), Path::new("/opt/bin/remu")));
        assert!(r.claims(&riscv().magic));
        assert!(!r.claims(&aarch64().magic));
        // qemu-user-static's riscv64 entry (magic without a mask byte for the OS ABI).
        let qemu = Registered::parse(
            "enabled\ninterpreter /usr/libexec/qemu-binfmt/riscv64-binfmt-P\nflags: POCF\noffset 0\n\
             magic 7f454c460201010000000000000000000200f300\nmask ffffffffffffff00fffffffffffffffffeffffff\n",
        );
        assert!(qemu.claims(&riscv().magic));
        assert!(!Registered::parse("disabled\nmagic 7f454c46\n").claims(&riscv().magic));
    }

    #[test]
    fn install_and_uninstall_leave_foreign_entries_alone() {
        // A stand-in directory: `register` is a plain file here, so only the refusals and the
        // already-registered case are observable without the kernel.
        let dir = std::env::temp_dir().join(format!("remu-binfmt-unit-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("register"), "").unwrap();
        let b = Binfmt { dir: dir.clone() };
        let remu = Path::new("/opt/bin/remu");
        fs::write(dir.join("remu-riscv64"), "enabled\ninterpreter /elsewhere/remu\nflags: PF\noffset 0\nmagic 00\n").unwrap();
        let err = b.install(&riscv(), remu).unwrap_err();
        assert!(matches!(&err, BinfmtError::Occupied { interpreter, .. } if interpreter == "/elsewhere/remu"), "{err}");
        assert_eq!(fs::read_to_string(dir.join("register")).unwrap(), "", "nothing written");
        fs::write(
            dir.join("remu-aarch64"),
            "enabled\ninterpreter /opt/bin/remu\nflags: PF\noffset 0\n\
             magic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n",
        )
        .unwrap();
        assert_eq!(b.install(&aarch64(), remu).unwrap(), Installed::AlreadyRegistered);
        assert_eq!(b.rivals(&riscv()).len(), 0);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn at_flags_from_an_auxv() {
        let mut auxv = Vec::new();
        for (k, v) in [(6u64, 4096u64), (AT_FLAGS, 1), (0, 0), (AT_FLAGS, 3)] {
            auxv.extend_from_slice(&k.to_ne_bytes());
            auxv.extend_from_slice(&v.to_ne_bytes());
        }
        assert_eq!(at_flags(&auxv), Some(1));
        assert_eq!(at_flags(&auxv[32..]), None, "after AT_NULL nothing counts");
        // A test process is not started by binfmt_misc.
        assert!(!kernel_invocation());
    }
}
