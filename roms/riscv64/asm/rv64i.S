/* RV64I: every base instruction with known answers from the ISA manual. */
#include "test.h"

#define TEST_BR(insn, x, y, taken) \
    TEST(a0, taken, li a1, x; li a2, y; li a0, 1; insn a1, a2, 8888f; li a0, 0; 8888:)

#define TEST_LD(insn, off, val) TEST(a0, val, lla a1, tdata; insn a0, off(a1))

TEST_START

    /* lui: upper 20 bits, sign-extended from bit 31 */
    TEST(a0, 0x7ffff000, lui a0, 0x7ffff)
    TEST(a0, 0xffffffff80000000, lui a0, 0x80000)
    TEST(a0, -4096, lui a0, 0xfffff)
    TEST(a0, 0x1000, lui a0, 1)
    TEST(zero, 0, lui zero, 0x12345)

    /* auipc: pc-relative */
    TEST(a0, 0, 1: auipc a0, 0; lla a1, 1b; sub a0, a0, a1)
    TEST(a0, 0x1000, 1: auipc a0, 1; lla a1, 1b; sub a0, a0, a1)
    TEST(a0, -0x1000, 1: auipc a0, 0xfffff; lla a1, 1b; sub a0, a0, a1)
    TEST(a0, 0x7ffff000, 1: auipc a0, 0x7ffff; lla a1, 1b; sub a0, a0, a1)

    /* jal: link is pc+4, forward and backward */
    TEST(a0, 4, 1: jal a1, 2f; j fail; 2: lla a2, 1b; sub a0, a1, a2)
    TEST(a0, 3, li a0, 0; j 3f; 2: addi a0, a0, 1; j 4f; 3: addi a0, a0, 2; jal zero, 2b; 4:)
    TEST(a0, 0, li a0, 0; jal zero, 2f; li a0, 1; 2:)

    /* jalr: base + offset, bit 0 cleared, rd == rs1 */
    TEST(a0, 4, lla a2, 2f; 1: jalr a1, 0(a2); j fail; 2: lla a2, 1b; sub a0, a1, a2)
    TEST(a0, 7, lla a2, 2f; addi a2, a2, -16; jalr a1, 16(a2); j fail; 2: li a0, 7)
    TEST(a0, 8, lla a2, 2f; jalr a1, 1(a2); j fail; 2: li a0, 8)
    TEST(a0, 4, lla a2, 2f; 1: jalr a2, 0(a2); j fail; 2: lla a3, 1b; sub a0, a2, a3)
    TEST(a0, 9, lla a2, 2f; addi a2, a2, 3; jalr zero, -3(a2); j fail; 2: li a0, 9)

    /* branches, both directions of each comparison */
    TEST_BR(beq, 5, 5, 1)
    TEST_BR(beq, 5, 6, 0)
    TEST_BR(beq, -1, 0xffffffffffffffff, 1)
    TEST_BR(bne, 5, 6, 1)
    TEST_BR(bne, 5, 5, 0)
    TEST_BR(blt, -1, 0, 1)
    TEST_BR(blt, 0, -1, 0)
    TEST_BR(blt, 3, 3, 0)
    TEST_BR(blt, 0x8000000000000000, 0x7fffffffffffffff, 1)
    TEST_BR(bge, 0, -1, 1)
    TEST_BR(bge, 3, 3, 1)
    TEST_BR(bge, -1, 0, 0)
    TEST_BR(bltu, 0, -1, 1)
    TEST_BR(bltu, -1, 0, 0)
    TEST_BR(bltu, 3, 3, 0)
    TEST_BR(bltu, 0x7fffffffffffffff, 0x8000000000000000, 1)
    TEST_BR(bgeu, -1, 0, 1)
    TEST_BR(bgeu, 3, 3, 1)
    TEST_BR(bgeu, 0, -1, 0)
    /* a backward conditional branch loop: sum 1..10 */
    TEST(a0, 55, li a0, 0; li a1, 10; 1: add a0, a0, a1; addi a1, a1, -1; bnez a1, 1b)

    /* loads of every width and signedness; tdata = 87 96 a5 b4 c3 d2 e1 f0 ef cd ab 89 67 45 23 01 */
    TEST_LD(lb, 0, 0xffffffffffffff87)
    TEST_LD(lb, 1, 0xffffffffffffff96)
    TEST_LD(lb, 15, 0x01)
    TEST_LD(lbu, 0, 0x87)
    TEST_LD(lbu, 7, 0xf0)
    TEST_LD(lh, 0, 0xffffffffffff9687)
    TEST_LD(lh, 2, 0xffffffffffffb4a5)
    TEST_LD(lh, 14, 0x0123)
    TEST_LD(lhu, 0, 0x9687)
    TEST_LD(lhu, 6, 0xf0e1)
    TEST_LD(lw, 0, 0xffffffffb4a59687)
    TEST_LD(lw, 4, 0xfffffffff0e1d2c3)
    TEST_LD(lw, 12, 0x01234567)
    TEST_LD(lwu, 0, 0xb4a59687)
    TEST_LD(lwu, 8, 0x89abcdef)
    TEST_LD(ld, 0, 0xf0e1d2c3b4a59687)
    TEST_LD(ld, 8, 0x0123456789abcdef)
    TEST(a0, 0xfffffffffffffff0, lla a1, tdata + 8; lb a0, -1(a1))
    TEST(a0, 0xf0e1d2c3b4a59687, lla a1, tdata + 2048; ld a0, -2048(a1))
    TEST(a0, 0x89abcdef, lla a1, tdata - 2039; lwu a0, 2047(a1))
    TEST(zero, 0, lla a1, tdata; ld zero, 0(a1))

    /* stores of every width, read back as a doubleword */
    TEST(a0, 0x00000000000000aa, lla a1, sbuf; sd zero, 0(a1); li a2, 0x1aa; sb a2, 0(a1); ld a0, 0(a1))
    TEST(a0, 0x0000bbbb000000aa, lla a1, sbuf; li a2, 0x7bbbb; sh a2, 4(a1); ld a0, 0(a1))
    TEST(a0, 0x0000bbbb12345678, lla a1, sbuf; li a2, 0xdead12345678; sw a2, 0(a1); ld a0, 0(a1))
    TEST(a0, 0x1122334455667788, lla a1, sbuf; li a2, 0x1122334455667788; sd a2, 8(a1); ld a0, 8(a1))
    TEST(a0, 0x11223344556677ff, lla a1, sbuf + 16; li a2, -1; sb a2, -8(a1); ld a0, -8(a1))
    TEST(a0, 0x77ff, lla a1, sbuf; lh a0, 8(a1))
    TEST(a0, 0x12345678, lla a1, sbuf + 2048; lwu a0, -2048(a1))

    /* immediate ALU */
    TEST_RI(addi, 5, -6, -1)
    TEST_RI(addi, 0x7fffffffffffffff, 1, 0x8000000000000000)
    TEST_RI(addi, 0, 2047, 2047)
    TEST_RI(addi, 0, -2048, -2048)
    TEST_RI(slti, -1, 0, 1)
    TEST_RI(slti, 0, -1, 0)
    TEST_RI(slti, 5, 5, 0)
    TEST_RI(sltiu, 0, -1, 1)
    TEST_RI(sltiu, -1, -1, 0)
    TEST_RI(sltiu, 0, 1, 1)
    TEST_RI(xori, 0x00ff00ff, -1, 0xffffffffff00ff00)
    TEST_RI(xori, 0x0f0, 0x0ff, 0x00f)
    TEST_RI(ori, 0x1000, -2048, 0xfffffffffffff800)
    TEST_RI(ori, 0x10, 0x01, 0x11)
    TEST_RI(andi, -1, 0x7ff, 0x7ff)
    TEST_RI(andi, 0x123456789, -16, 0x123456780)
    TEST_RI(slli, 1, 63, 0x8000000000000000)
    TEST_RI(slli, 0xff, 0, 0xff)
    TEST_RI(slli, 0x8000000000000001, 1, 2)
    TEST_RI(srli, 0x8000000000000000, 63, 1)
    TEST_RI(srli, -1, 32, 0xffffffff)
    TEST_RI(srli, -1, 0, -1)
    TEST_RI(srai, 0x8000000000000000, 63, -1)
    TEST_RI(srai, 0x8000000000000000, 4, 0xf800000000000000)
    TEST_RI(srai, 0x7fffffffffffffff, 62, 1)
    TEST(zero, 0, li a1, 5; addi zero, a1, 5)
    TEST(a0, 0x42, li a0, 0x42; nop)

    /* register ALU */
    TEST_RR(add, 1, 2, 3)
    TEST_RR(add, 0x7fffffffffffffff, 1, 0x8000000000000000)
    TEST_RR(add, -1, -1, -2)
    TEST_RR(sub, 1, 2, -1)
    TEST_RR(sub, 0x8000000000000000, 1, 0x7fffffffffffffff)
    TEST_RR(sll, 1, 63, 0x8000000000000000)
    TEST_RR(sll, 1, 64, 1)
    TEST_RR(sll, 1, -1, 0x8000000000000000)
    TEST_RR(sll, 3, 65, 6)
    TEST_RR(slt, -1, 1, 1)
    TEST_RR(slt, 1, -1, 0)
    TEST_RR(slt, 0x8000000000000000, 0, 1)
    TEST_RR(sltu, 1, -1, 1)
    TEST_RR(sltu, -1, 1, 0)
    TEST_RR(sltu, 0, 0, 0)
    TEST_RR(xor, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
    TEST_RR(srl, 0x8000000000000000, 63, 1)
    TEST_RR(srl, 0x8000000000000000, 64, 0x8000000000000000)
    TEST_RR(srl, -1, 0x7f, 1)
    TEST_RR(sra, 0x8000000000000000, 63, -1)
    TEST_RR(sra, 0x8000000000000000, 0xc1, 0xc000000000000000)
    TEST_RR(sra, 0x4000000000000000, 62, 1)
    TEST_RR(or, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0)
    TEST_RR(and, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00)
    TEST_RR_SAME(add, 0x4000000000000001, 0x8000000000000002)
    TEST_RR_SAME(sub, 12345, 0)
    TEST_RR_SAME(xor, 12345, 0)
    TEST_RR_SAME(sltu, 7, 0)
    TEST_RR_ZERO(add, 1, 2)
    TEST(a0, 5, li a1, 5; add a0, a1, zero)

    /* 32-bit W forms: result is the low 32 bits sign-extended */
    TEST_RI(addiw, 0x7fffffff, 1, 0xffffffff80000000)
    TEST_RI(addiw, 0xffffffff, 0, -1)
    TEST_RI(addiw, 0x123456789, 0, 0x23456789)
    TEST_RI(addiw, 0x80000000, -1, 0x7fffffff)
    TEST_RI(slliw, 1, 31, 0xffffffff80000000)
    TEST_RI(slliw, 0xffffffff00000003, 1, 6)
    TEST_RI(slliw, 0x80000001, 0, 0xffffffff80000001)
    TEST_RI(srliw, 0xffffffff80000000, 31, 1)
    TEST_RI(srliw, 0xffffffff80000000, 0, 0xffffffff80000000)
    TEST_RI(srliw, 0x1ffffffff, 4, 0x0fffffff)
    TEST_RI(sraiw, 0x80000000, 31, -1)
    TEST_RI(sraiw, 0x80000000, 4, 0xfffffffff8000000)
    TEST_RI(sraiw, 0x17fffffff, 30, 1)
    TEST_RR(addw, 0x7fffffff, 1, 0xffffffff80000000)
    TEST_RR(addw, 0xffffffff, 0xffffffff, -2)
    TEST_RR(addw, 0x100000000, 0x100000000, 0)
    TEST_RR(subw, 0, 0x80000000, 0xffffffff80000000)
    TEST_RR(subw, 0x100000001, 2, -1)
    TEST_RR(sllw, 1, 31, 0xffffffff80000000)
    TEST_RR(sllw, 1, 32, 1)
    TEST_RR(sllw, 3, 33, 6)
    TEST_RR(srlw, 0x80000000, 31, 1)
    TEST_RR(srlw, 0x80000000, 32, 0xffffffff80000000)
    TEST_RR(srlw, 0xffffffff00000000, 1, 0)
    TEST_RR(sraw, 0x80000000, 31, -1)
    TEST_RR(sraw, 0x80000000, 63, -1)
    TEST_RR(sraw, 0x7fffffff, 30, 1)
    TEST_RR(sraw, 0xffffffff7fffffff, 0, 0x7fffffff)

    /* fences and ecall (a harmless getpid-style call: write of 0 bytes) */
    TEST(a0, 1, fence; fence rw, rw; fence iorw, iorw; fence r, w; fence.i; li a0, 1)
    TEST(a0, 0, li a0, 1; lla a1, tdata; li a2, 0; li a7, SYS_write; ecall)

TEST_END

    .section .rodata
    .balign 16
tdata:
    .dword 0xf0e1d2c3b4a59687
    .dword 0x0123456789abcdef

    .bss
    .balign 16
sbuf:
    .zero 32
