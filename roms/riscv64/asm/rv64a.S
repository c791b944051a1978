/* RV64A: lr/sc success and failure, every AMO in .w and .d widths with the old value
 * returned and the new value in memory, min/max signed and unsigned, ordering bits. */
#include "test.h"

/* AMO on word at abuf: memory starts as `init`; a0 = returned old, a3 = memory after. */
#define TEST_AMO_W(insn, init, src, old, new) \
    TEST(a0, old, lla a1, abuf; li a2, init; sw a2, 0(a1); li a2, src; insn a0, a2, (a1)) \
    TEST(a3, new, lla a1, abuf; lw a3, 0(a1))
#define TEST_AMO_D(insn, init, src, old, new) \
    TEST(a0, old, lla a1, abuf; li a2, init; sd a2, 0(a1); li a2, src; insn a0, a2, (a1)) \
    TEST(a3, new, lla a1, abuf; ld a3, 0(a1))

TEST_START
    /* lr/sc success: sc writes 0 to rd and stores */
    TEST(a0, 0, lla a1, abuf; li a2, 0x1234; sd a2, 0(a1); lr.d a3, (a1); addi a3, a3, 1; sc.d a0, a3, (a1))
    TEST(a3, 0x1235, lla a1, abuf; ld a3, 0(a1))
    TEST(a3, 0x1235, lla a1, abuf; lr.d a3, (a1); sc.d a0, a3, (a1))
    /* lr.w sign-extends */
    TEST(a3, 0xffffffff80000000, lla a1, abuf; li a2, 0x80000000; sw a2, 0(a1); lr.w a3, (a1); sc.w a0, a3, (a1))
    TEST(a0, 0, lla a1, abuf; lr.w a3, (a1); li a2, 77; sc.w a0, a2, (a1))
    TEST(a3, 77, lla a1, abuf; lw a3, 0(a1))
    /* sc without a reservation fails (rd nonzero) and does not store */
    TEST(a0, 1, lla a1, abuf; li a2, 5; sd a2, 0(a1); lr.d a3, (a1); sc.d a4, a3, (a1); li a2, 9; sc.d a0, a2, (a1); snez a0, a0)
    TEST(a3, 5, lla a1, abuf; ld a3, 0(a1))
    TEST(a0, 1, lla a1, abuf; lr.w a3, (a1); sc.w a4, a3, (a1); li a2, 9; sc.w a0, a2, (a1); snez a0, a0)
    TEST(a3, 5, lla a1, abuf; ld a3, 0(a1))
    /* an lr/sc increment loop */
    TEST(a3, 15, lla a1, abuf; li t0, 10; 1: lr.d.aqrl a3, (a1); addi a3, a3, 1; sc.d.rl a4, a3, (a1); bnez a4, 1b; addi t0, t0, -1; bnez t0, 1b; ld a3, 0(a1))
    TEST(a3, 0xffffffff8000000b, lla a1, abuf; li a2, 0x7ffffffb; sw a2, 0(a1); li t0, 16; 1: lr.w.aq a3, (a1); addi a3, a3, 1; sc.w.aqrl a4, a3, (a1); bnez a4, 1b; addi t0, t0, -1; bnez t0, 1b; lw a3, 0(a1))

    TEST_AMO_W(amoswap.w, 0x11111111, 0x80000000, 0x11111111, 0xffffffff80000000)
    TEST_AMO_W(amoswap.w, 0x80000000, 0x1, 0xffffffff80000000, 1)
    TEST_AMO_W(amoadd.w, 0x7fffffff, 1, 0x7fffffff, 0xffffffff80000000)
    TEST_AMO_W(amoadd.w, 0xffffffff, 0x100000001, -1, 0)
    TEST_AMO_W(amoxor.w, 0x0ff00ff0, 0xffff0000, 0x0ff00ff0, 0xfffffffff00f0ff0)
    TEST_AMO_W(amoand.w, 0x0ff00ff0, 0xffff0000, 0x0ff00ff0, 0x0ff00000)
    TEST_AMO_W(amoor.w, 0x0ff00ff0, 0xf0000000, 0x0ff00ff0, 0xfffffffffff00ff0)
    TEST_AMO_W(amomin.w, 0xfffffffb, 3, -5, -5)
    TEST_AMO_W(amomin.w, 3, 0xfffffffb, 3, -5)
    TEST_AMO_W(amomin.w, 3, 0x1fffffffb, 3, -5)
    TEST_AMO_W(amomax.w, 0xfffffffb, 3, -5, 3)
    TEST_AMO_W(amomax.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_AMO_W(amominu.w, 0xfffffffb, 3, -5, 3)
    TEST_AMO_W(amominu.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_AMO_W(amomaxu.w, 3, 0xfffffffb, 3, -5)
    TEST_AMO_W(amomaxu.w, 0xffffffff, 0x7fffffff, -1, -1)
    TEST_AMO_W(amoadd.w.aq, 1, 2, 1, 3)
    TEST_AMO_W(amoswap.w.rl, 1, 2, 1, 2)
    TEST_AMO_W(amoor.w.aqrl, 1, 2, 1, 3)

    TEST_AMO_D(amoswap.d, 0x1111111111111111, 0x8000000000000000, 0x1111111111111111, 0x8000000000000000)
    TEST_AMO_D(amoadd.d, 0x7fffffffffffffff, 1, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_AMO_D(amoadd.d, 0xffffffff, 1, 0xffffffff, 0x100000000)
    TEST_AMO_D(amoxor.d, 0x0ff00ff00ff00ff0, 0xffff0000ffff0000, 0x0ff00ff00ff00ff0, 0xf00f0ff0f00f0ff0)
    TEST_AMO_D(amoand.d, 0x0ff00ff00ff00ff0, 0xffff0000ffff0000, 0x0ff00ff00ff00ff0, 0x0ff000000ff00000)
    TEST_AMO_D(amoor.d, 0x0ff00ff00ff00ff0, 0xf000000000000001, 0x0ff00ff00ff00ff0, 0xfff00ff00ff00ff1)
    TEST_AMO_D(amomin.d, -5, 3, -5, -5)
    TEST_AMO_D(amomin.d, 0xfffffffb, 3, 0xfffffffb, 3)
    TEST_AMO_D(amomax.d, -5, 3, -5, 3)
    TEST_AMO_D(amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(amominu.d, -5, 3, -5, 3)
    TEST_AMO_D(amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(amomaxu.d, 3, -5, 3, -5)
    TEST_AMO_D(amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
    TEST_AMO_D(amomaxu.d.aqrl, 1, 2, 1, 2)
    TEST_AMO_D(amominu.d.aq, 1, 2, 1, 1)
    /* a word AMO leaves the neighbouring word alone */
    TEST(a3, 0x12345678aaaaaaab, lla a1, abuf; li a2, 0x12345678aaaaaaaa; sd a2, 0(a1); li a2, 1; amoadd.w a0, a2, (a1); ld a3, 0(a1))
    TEST(a3, 0x12345679aaaaaaab, lla a1, abuf; li a2, 1; addi a4, a1, 4; amoadd.w a0, a2, (a4); ld a3, 0(a1))
    /* rd = x0 discards the old value but still updates memory */
    TEST(a3, 0x12345679aaaaaaac, lla a1, abuf; li a2, 1; amoadd.d zero, a2, (a1); ld a3, 0(a1))
TEST_END

    .bss
    .balign 16
abuf:
    .zero 16
