//! The loader against the kernel's conventions, checked on our own roms.

use std::path::PathBuf;

use remu_core::{Access, GuestMemory};
use remu_isa_riscv::RISCV64;
use remu_loader::{load, Image, LoadError};

fn rom(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../roms/riscv64").join(name)
}

fn load_rom(name: &str, argv: &[&str], envp: &[&str]) -> (GuestMemory, Image) {
    let mem = GuestMemory::new(RISCV64.address_bits).unwrap();
    let argv: Vec<Vec<u8>> = argv.iter().map(|s| s.as_bytes().to_vec()).collect();
    let envp: Vec<Vec<u8>> = envp.iter().map(|s| s.as_bytes().to_vec()).collect();
    let image = load(&mem, &RISCV64, &rom(name), &argv, &envp).unwrap();
    (mem, image)
}

fn cstr(mem: &GuestMemory, addr: u64) -> String {
    String::from_utf8(mem.read_cstr(addr, 4096).unwrap()).unwrap()
}

fn aux(image: &Image, key: u64) -> u64 {
    image.auxv.iter().find(|(k, _)| *k == key).unwrap_or_else(|| panic!("AT_{key} missing")).1
}

#[test]
fn initial_stack_layout() {
    let (mem, image) = load_rom("hello", &["hello", "a b", ""], &["X=1", "Y=two"]);
    assert_eq!(image.sp % 16, 0, "sp must be 16-byte aligned at entry");
    let word = |i: u64| mem.read_u64(image.sp + 8 * i).unwrap();
    assert_eq!(word(0), 3, "argc");
    assert_eq!(cstr(&mem, word(1)), "hello");
    assert_eq!(cstr(&mem, word(2)), "a b");
    assert_eq!(cstr(&mem, word(3)), "");
    assert_eq!(word(4), 0, "argv terminator");
    assert_eq!(cstr(&mem, word(5)), "X=1");
    assert_eq!(cstr(&mem, word(6)), "Y=two");
    assert_eq!(word(7), 0, "envp terminator");
    // The auxv on the stack is what the loader reports, then AT_NULL.
    let mut at = image.sp + 8 * 8;
    for &(k, v) in &image.auxv {
        assert_eq!((mem.read_u64(at).unwrap(), mem.read_u64(at + 8).unwrap()), (k, v));
        at += 16;
    }
    assert_eq!(mem.read_u64(at).unwrap(), 0, "AT_NULL");

    assert_eq!(aux(&image, 6), 4096, "AT_PAGESZ");
    assert_eq!(aux(&image, 17), 100, "AT_CLKTCK");
    assert_eq!(aux(&image, 16), RISCV64.hwcap, "AT_HWCAP");
    assert_eq!(aux(&image, 9), image.entry, "AT_ENTRY");
    assert_eq!(aux(&image, 7), 0, "AT_BASE without an interpreter");
    assert_eq!(aux(&image, 23), 0, "AT_SECURE");
    assert_eq!(cstr(&mem, aux(&image, 15)), "riscv64", "AT_PLATFORM");
    assert!(cstr(&mem, aux(&image, 31)).ends_with("roms/riscv64/hello"), "AT_EXECFN");
    let random = mem.read_vec(aux(&image, 25), 16).unwrap();
    assert!(random.iter().any(|&b| b != 0), "AT_RANDOM holds random bytes");
}

#[test]
fn program_headers_are_where_at_phdr_says() {
    let (mem, image) = load_rom("hello", &["hello"], &[]);
    let file = std::fs::read(rom("hello")).unwrap();
    let phoff = u64::from_le_bytes(file[32..40].try_into().unwrap()) as usize;
    let phnum = u16::from_le_bytes(file[56..58].try_into().unwrap()) as usize;
    assert_eq!(aux(&image, 5), phnum as u64, "AT_PHNUM");
    assert_eq!(aux(&image, 4), 56, "AT_PHENT");
    let in_memory = mem.read_vec(aux(&image, 3), phnum * 56).unwrap();
    assert_eq!(in_memory, file[phoff..phoff + phnum * 56]);
}

#[test]
fn segments_get_their_permissions_and_bss_is_zero() {
    let (mem, image) = load_rom("hello", &["hello"], &[]);
    // Code is readable and executable but not writable.
    assert!(mem.check(image.entry, 4, Access::Execute).is_ok());
    assert!(mem.check(image.entry, 4, Access::Write).is_err());
    // The stack is writable up to the top of the address space.
    assert!(mem.check(image.sp, 8, Access::Write).is_ok());
    assert!(mem.check(mem.size() - 8, 8, Access::Write).is_ok());
    // Something below the program is not mapped.
    assert!(mem.check(0, 1, Access::Read).is_err());
}

#[test]
fn pie_is_placed_high_with_its_entry_relocated() {
    let (mem, image) = load_rom("pie", &["pie"], &[]);
    assert!(image.bias >= mem.size() / 2, "a PIE goes two thirds up the address space");
    let file = std::fs::read(rom("pie")).unwrap();
    let e_entry = u64::from_le_bytes(file[24..32].try_into().unwrap());
    assert_eq!(image.entry, e_entry + image.bias);
    assert!(mem.check(image.entry, 4, Access::Execute).is_ok());
}

#[test]
fn errors_name_the_file() {
    let mem = GuestMemory::new(RISCV64.address_bits).unwrap();
    let e = load(&mem, &RISCV64, &rom("hello.c"), &[], &[]).unwrap_err();
    assert!(matches!(e, LoadError::NotElf { .. }));
    assert!(e.to_string().contains("hello.c: not an ELF file"), "{e}");
}
