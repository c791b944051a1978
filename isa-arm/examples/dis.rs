//! Disassembles instruction words given as hex arguments (a debugging aid):
//! `cargo run -p remu-isa-arm --example dis -- d2800020 ...`.

fn main() {
    for a in std::env::args().skip(1) {
        match u32::from_str_radix(a.trim_start_matches("0x"), 16) {
            Ok(w) => println!("{w:08x}  {}", remu_isa_arm::disasm::disassemble(w, 0)),
            Err(e) => eprintln!("{a}: {e}"),
        }
    }
}
