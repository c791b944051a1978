//! Decoder unit tests: representative encodings, and every compressed form decoding to the
//! same `Inst` as its 32-bit twin (pairs assembled once with GNU as, kept here as data).

use remu_isa_riscv::decode::{decode, decode32, decode_compressed};
use remu_isa_riscv::insn::*;

/// (compressed halfword, its 32-bit expansion), from `riscv64-linux-gnu-as -march=rv64gc`.
const PAIRS: &[(u32, u32)] = &[
    (0x0800, 0x01010413), // c.addi4spn s0, sp, 16
    (0x2588, 0x0085b507), // c.fld fa0, 8(a1)
    (0x41c8, 0x0045a503), // c.lw a0, 4(a1)
    (0x7de8, 0x0f85b503), // c.ld a0, 248(a1)
    (0xa588, 0x00a5b427), // c.fsd fa0, 8(a1)
    (0xdde8, 0x06a5ae23), // c.sw a0, 124(a1)
    (0xe588, 0x00a5b423), // c.sd a0, 8(a1)
    (0x0001, 0x00000013), // c.nop
    (0x1501, 0xfe050513), // c.addi a0, -32
    (0x257d, 0x01f5051b), // c.addiw a0, 31
    (0x57fd, 0xfff00793), // c.li a5, -1
    (0x7101, 0xe0010113), // c.addi16sp sp, -512
    (0x7501, 0xfffe0537), // c.lui a0, 0xfffe0
    (0x62fd, 0x0001f2b7), // c.lui t0, 31
    (0x907d, 0x03f45413), // c.srli s0, 63
    (0x8485, 0x4014d493), // c.srai s1, 1
    (0x9a7d, 0xfff67613), // c.andi a2, -1
    (0x8d0d, 0x40b50533), // c.sub a0, a1
    (0x8d2d, 0x00b54533), // c.xor a0, a1
    (0x8d4d, 0x00b56533), // c.or a0, a1
    (0x8d6d, 0x00b57533), // c.and a0, a1
    (0x9d0d, 0x40b5053b), // c.subw a0, a1
    (0x9d2d, 0x00b5053b), // c.addw a0, a1
    (0xb001, 0x801ff06f), // c.j .-2048
    (0xd101, 0xf00500e3), // c.beqz a0, .-256
    (0xecfd, 0x0e049f63), // c.bnez s1, .+254
    (0x1ffe, 0x03ff9f93), // c.slli t6, 63
    (0x347e, 0x1f813407), // c.fldsp fs0, 504(sp)
    (0x50fe, 0x0fc12083), // c.lwsp ra, 252(sp)
    (0x7ffe, 0x1f813f83), // c.ldsp t6, 504(sp)
    (0x8082, 0x00008067), // c.jr ra
    (0x857e, 0x01f00533), // c.mv a0, t6
    (0x9002, 0x00100073), // c.ebreak
    (0x9502, 0x000500e7), // c.jalr a0
    (0x952e, 0x00b50533), // c.add a0, a1
    (0xbfee, 0x1fb13c27), // c.fsdsp fs11, 504(sp)
    (0xdfaa, 0x0ea12e23), // c.swsp a0, 252(sp)
    (0xffaa, 0x1ea13c23), // c.sdsp a0, 504(sp)
];

#[test]
fn every_compressed_form_matches_its_32bit_twin() {
    for &(c, w) in PAIRS {
        let (ci, clen) = decode(c);
        let (wi, wlen) = decode(w);
        assert_eq!((clen, wlen), (2, 4), "{c:04x}");
        assert!(!matches!(ci, Inst::Illegal { .. }), "{c:04x} illegal");
        assert_eq!(ci, wi, "{c:04x} vs {w:08x}");
    }
}

#[test]
fn reserved_compressed_encodings_are_illegal() {
    for h in [
        0x0000u16, // all zero (c.addi4spn imm=0)
        0x0004,    // c.addi4spn nzuimm=0
        0x6101,    // c.addi16sp imm=0
        0x6501,    // c.lui a0, 0
        0x8002,    // c.jr zero
        0x2001,    // c.addiw zero
        0x4002,    // c.lwsp zero
        0x6002,    // c.ldsp zero
        0x8000,    // quadrant 0 funct3 100
        0x9c41,    // c.subw/addw space, funct 10 (reserved in RV64C)
    ] {
        assert!(matches!(decode_compressed(h), Inst::Illegal { .. }), "{h:04x}");
    }
}

#[test]
fn representative_32bit_encodings() {
    let r = |n| Reg(n);
    let f = |n| FReg(n);
    assert_eq!(decode32(0x00150513), Inst::AluImm { op: AluImmOp::Addi, rd: r(10), rs1: r(10), imm: 1 });
    assert_eq!(decode32(0x12345537), Inst::Lui { rd: r(10), imm: 0x1234_5000 });
    assert_eq!(decode32(0xfffff537), Inst::Lui { rd: r(10), imm: -4096 });
    assert_eq!(decode32(0x00813503), Inst::Load { width: Width::D, signed: true, rd: r(10), rs1: r(2), offset: 8 });
    assert_eq!(decode32(0x00b50863), Inst::Branch { cond: BranchCond::Eq, rs1: r(10), rs2: r(11), offset: 16 });
    assert_eq!(decode32(0xfc1ff0ef), Inst::Jal { rd: r(1), offset: -64 });
    assert_eq!(decode32(0x02b54533), Inst::Alu { op: AluOp::Div, rd: r(10), rs1: r(10), rs2: r(11) });
    assert_eq!(
        decode32(0x0eb6352f),
        Inst::Amo { op: AmoOp::Swap, width: Width::D, rd: r(10), rs1: r(12), rs2: r(11), aq: true, rl: true }
    );
    assert_eq!(decode32(0x1005252f), Inst::Lr { width: Width::W, rd: r(10), rs1: r(10), aq: false, rl: false });
    assert_eq!(
        decode32(0x68c5f543),
        Inst::FFma { op: FmaOp::Madd, prec: Prec::S, rd: f(10), rs1: f(11), rs2: f(12), rs3: f(13), rm: 7 }
    );
    assert_eq!(
        decode32(0xc2051553),
        Inst::FCvtToInt { prec: Prec::D, ty: IntTy::W, rd: r(10), rs1: f(10), rm: 1 }
    );
    assert_eq!(decode32(0x00102573), Inst::Csr { op: CsrOp::Rs, rd: r(10), rs1: r(0), csr: 1 });
    assert_eq!(decode32(0x0000100f), Inst::FenceI);
    assert_eq!(decode32(0x00000073), Inst::Ecall);
    assert_eq!(decode32(0x00100073), Inst::Ebreak);
    // Zba/Zbb/Zbs
    assert_eq!(decode32(0x60451513), Inst::Unary { op: UnaryOp::SextB, rd: r(10), rs1: r(10) });
    assert_eq!(decode32(0x20b52533), Inst::Alu { op: AluOp::Sh1add, rd: r(10), rs1: r(10), rs2: r(11) });
    assert_eq!(decode32(0x0805053b), Inst::Alu { op: AluOp::AddUw, rd: r(10), rs1: r(10), rs2: r(0) });
    assert_eq!(decode32(0x6b855513), Inst::Unary { op: UnaryOp::Rev8, rd: r(10), rs1: r(10) });
    assert_eq!(decode32(0x48351513), Inst::AluImm { op: AluImmOp::Bclri, rd: r(10), rs1: r(10), imm: 3 });
    // Reserved rounding modes 5 and 6 do not decode.
    assert!(matches!(decode32(0x02b5d553), Inst::Illegal { .. }));
    assert!(matches!(decode32(0xffffffff), Inst::Illegal { .. }));
}
