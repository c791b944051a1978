/* RVC: every RV64 compressed instruction (except c.ebreak), written with explicit c.
 * mnemonics under .option rvc. Registers x8-x15 (s0, s1, a0-a5) for the 3-bit forms. */
#include "test.h"

#define C(...) .option push; .option rvc; __VA_ARGS__; .option pop

TEST_START
    addi sp, sp, -256
    /* c.li, c.lui, c.addi, c.addiw, c.addi16sp, c.addi4spn, c.nop */
    TEST(a0, -32, C(c.li a0, -32))
    TEST(a0, 31, C(c.li a0, 31))
    TEST(a0, 0xfffffffffffe0000, C(c.lui a0, 0xfffe0))
    TEST(a0, 0x1f000, C(c.lui a0, 0x1f))
    TEST(a0, 0x10, li a0, 0x30; C(c.addi a0, -32))
    TEST(a0, 0x4f, li a0, 0x30; C(c.addi a0, 31))
    TEST(a0, 0xffffffff80000000, li a0, 0x7fffffff; C(c.addiw a0, 1))
    TEST(a0, 0x23456789, li a0, 0x123456789; C(c.addiw a0, 0))
    TEST(a0, -512, mv s0, sp; C(c.addi16sp sp, -512); sub a0, sp, s0; C(c.addi16sp sp, 496); C(c.addi16sp sp, 16))
    TEST(a0, 1020, C(c.addi4spn a0, sp, 1020); sub a0, a0, sp)
    TEST(a0, 4, C(c.addi4spn a0, sp, 4); sub a0, a0, sp)
    TEST(a0, 9, li a0, 9; C(c.nop))
    /* c.mv, c.add, c.sub, c.xor, c.or, c.and, c.subw, c.addw */
    TEST(a0, 0x1234, li a1, 0x1234; C(c.mv a0, a1))
    TEST(t0, 0x1234, li a1, 0x1234; C(c.mv t0, a1))
    TEST(a0, 0x3000000000000000, li a0, 0x1000000000000000; li t0, 0x2000000000000000; C(c.add a0, t0))
    TEST(a0, -1, li a0, 1; li a1, 2; C(c.sub a0, a1))
    TEST(a0, 0xf0f0, li a0, 0xff00; li a1, 0x0ff0; C(c.xor a0, a1))
    TEST(a0, 0xfff0, li a0, 0xff00; li a1, 0x0ff0; C(c.or a0, a1))
    TEST(a0, 0x0f00, li a0, 0xff00; li a1, 0x0ff0; C(c.and a0, a1))
    TEST(a0, 0xffffffff80000000, li a0, 0; li a1, 0x80000000; C(c.subw a0, a1))
    TEST(a0, 0xffffffff80000000, li a0, 0x7fffffff; li a1, 0x100000001; C(c.addw a0, a1))
    /* c.srli, c.srai, c.andi, c.slli */
    TEST(a0, 1, li a0, 0x8000000000000000; C(c.srli a0, 63))
    TEST(a0, 0x0800000000000000, li a0, 0x8000000000000000; C(c.srli a0, 4))
    TEST(a0, -1, li a0, 0x8000000000000000; C(c.srai a0, 63))
    TEST(a0, 0xf800000000000000, li a0, 0x8000000000000000; C(c.srai a0, 4))
    TEST(a0, 0x12345670, li a0, 0x12345678; C(c.andi a0, -16))
    TEST(a0, 0x1f, li a0, -1; C(c.andi a0, 31))
    TEST(a0, 0x8000000000000000, li a0, 1; C(c.slli a0, 63))
    TEST(t1, 0x30, li t1, 3; C(c.slli t1, 4))
    /* loads and stores: c.lw c.ld c.sw c.sd c.fld c.fsd and the sp forms */
    TEST(a0, 0xffffffff89abcdef, lla a1, cdata; C(c.lw a0, 0(a1)))
    TEST(a0, 0x01234567, lla a1, cdata; C(c.lw a0, 4(a1)))
    TEST(a0, 0x0123456789abcdef, lla a1, cdata; C(c.ld a0, 0(a1)))
    TEST(a0, 0xfedcba9876543210, lla a1, cdata; C(c.ld a0, 8(a1)))
    TEST(a0, 0x5555555580000000, lla a1, cbuf; li a2, 0x5555555555555555; sd a2, 0(a1); li a2, 0x80000000; C(c.sw a2, 0(a1)); ld a0, 0(a1))
    TEST(a0, 0x1122334455667788, lla a1, cbuf; li a2, 0x1122334455667788; C(c.sd a2, 248(a1)); ld a0, 248(a1))
    TEST(a0, 0x0123456789abcdef, lla a1, cdata; C(c.fld fa0, 0(a1)); fmv.x.d a0, fa0)
    TEST(a0, 0x0123456789abcdef, lla a1, cdata; fld fa0, 0(a1); lla a2, cbuf; C(c.fsd fa0, 8(a2)); ld a0, 8(a2))
    TEST(a0, 0xffffffffcafef00d, li a1, 0xcafef00d; C(c.swsp a1, 252(sp)); C(c.lwsp a0, 252(sp)))
    TEST(a0, 0xcafef00d, li a1, 0xcafef00d; C(c.swsp a1, 0(sp)); lwu a0, 0(sp))
    TEST(a0, 0x0123456789abcdef, li a1, 0x0123456789abcdef; C(c.sdsp a1, 248(sp)); C(c.ldsp a0, 248(sp)))
    TEST(a0, 0x7ff0000000000000, li a1, 0x7ff0000000000000; fmv.d.x fa1, a1; C(c.fsdsp fa1, 16(sp)); C(c.fldsp fa0, 16(sp)); fmv.x.d a0, fa0)
    /* control flow: c.j, c.beqz, c.bnez, c.jr, c.jalr */
    TEST(a0, 1, li a0, 0; C(c.j 1f); li a0, 2; 1: addi a0, a0, 1)
    TEST(a0, 1, li a0, 0; li a1, 0; C(c.beqz a1, 1f); li a0, 2; 1: addi a0, a0, 1)
    TEST(a0, 3, li a0, 0; li a1, 1; C(c.beqz a1, 1f); li a0, 2; 1: addi a0, a0, 1)
    TEST(a0, 1, li a0, 0; li a1, -1; C(c.bnez a1, 1f); li a0, 2; 1: addi a0, a0, 1)
    TEST(a0, 3, li a0, 0; li a1, 0; C(c.bnez a1, 1f); li a0, 2; 1: addi a0, a0, 1)
    TEST(a0, 10, li a0, 0; li a1, 4; 1: add a0, a0, a1; addi a1, a1, -1; C(c.bnez a1, 1b))
    TEST(a0, 5, lla t0, 1f; C(c.jr t0); li a0, 6; j fail; 1: li a0, 5)
    TEST(a0, 2, lla t0, 2f; 1: C(c.jalr t0); j fail; 2: lla a1, 1b; sub a0, ra, a1)
    /* c.jalr and c.jr with rs1 == ra */
    TEST(a0, 7, lla ra, 1f; C(c.jr ra); j fail; 1: li a0, 7)
    addi sp, sp, 256
TEST_END

    .section .rodata
    .balign 16
cdata:
    .dword 0x0123456789abcdef
    .dword 0xfedcba9876543210

    .bss
    .balign 16
cbuf:
    .zero 256
