//! Disassembles instruction words given as hex arguments, ours beside capstone's (a
//! debugging aid): `cargo run -p remu-isa-arm --example dis -- d2800020 ...`.

use capstone::arch::arm64::ArchMode;
use capstone::prelude::*;

fn main() {
    let cs = Capstone::new().arm64().mode(ArchMode::Arm).build().expect("capstone");
    for a in std::env::args().skip(1) {
        match u32::from_str_radix(a.trim_start_matches("0x"), 16) {
            Ok(w) => {
                let theirs = cs
                    .disasm_count(&w.to_le_bytes(), 0, 1)
                    .ok()
                    .and_then(|i| i.iter().next().map(|i| format!("{} {}", i.mnemonic().unwrap_or(""), i.op_str().unwrap_or(""))))
                    .unwrap_or_else(|| "(invalid)".into());
                println!("{w:08x}  {:40} | {theirs}", remu_isa_arm::disasm::disassemble(w, 0));
            }
            Err(e) => eprintln!("{a}: {e}"),
        }
    }
}
