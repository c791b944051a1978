/* Flags and conditional execution: NZCV from adds/subs/ands/adcs/sbcs at the 32- and
 * 64-bit boundaries (AddWithCarry), every condition code through cset, ccmp/ccmn,
 * csel/csinc/csinv/csneg and their aliases, msr/mrs nzcv. NZCV is checked as a 4-bit
 * value: N=8 Z=4 C=2 V=1. */
#include "test.h"
TEST_START
    /* adds: carry and overflow */
    TEST_FLAGS(0b0000, li x1, 1; adds x0, x1, #1)
    TEST_FLAGS(0b0110, li x1, 0xffffffffffffffff; adds x0, x1, #1)
    TEST_FLAGS(0b1001, li x1, 0x7fffffffffffffff; adds x0, x1, #1)
    TEST_FLAGS(0b0111, li x1, 0x8000000000000000; adds x0, x1, x1)
    TEST_FLAGS(0b1000, li x1, 0x8000000000000000; adds x0, x1, #0)
    TEST_FLAGS(0b1001, li x1, 0x7fffffff; adds w0, w1, #1)
    TEST_FLAGS(0b0110, li x1, 0xffffffff; adds w0, w1, #1)
    TEST_FLAGS(0b0000, li x1, 0xffffffff; adds x0, x1, #1)
    /* subs: C is NOT borrow */
    TEST_FLAGS(0b0110, li x1, 5; subs x0, x1, #5)
    TEST_FLAGS(0b1000, li x1, 4; subs x0, x1, #5)
    TEST_FLAGS(0b0010, li x1, 6; subs x0, x1, #5)
    TEST_FLAGS(0b0011, li x1, 0x8000000000000000; li x2, 0; subs x0, x2, x1; cmp x1, #1)
    TEST_FLAGS(0b1001, li x1, 0x8000000000000000; li x2, 0; cmp x2, x1)
    TEST_FLAGS(0b0011, li x1, 0x80000000; cmp w1, #1)
    TEST_FLAGS(0b0110, li x1, 0; cmp x1, #0)
    TEST_FLAGS(0b1000, li x1, 0; cmn x1, #0; cmp x1, #1)
    TEST_FLAGS(0b0110, li x1, 0xffffffffffffffff; cmn x1, #1)
    /* logical flags clear C and V */
    TEST_FLAGS(0b0100, li x1, 0x7fffffffffffffff; adds x0, x1, #1; mov x2, #0xf0; tst x2, #0x0f)
    TEST_FLAGS(0b1000, li x1, 0x80000000; ands w0, w1, w1)
    TEST_FLAGS(0b0000, li x1, 0x80000000; ands x0, x1, x1)
    TEST_FLAGS(0b0100, li x1, 0xff; li x2, 0xff; bics x0, x1, x2)
    /* adcs/sbcs */
    TEST_FLAGS(0b0110, li x1, 0xffffffffffffffff; li x2, 0; cmp x2, #0; adcs x0, x1, x2)
    TEST_FLAGS(0b1001, li x1, 0x7fffffffffffffff; li x2, 0; cmp x2, #0; adcs x0, x1, x2)
    TEST_FLAGS(0b0110, li x1, 0; li x2, 0; cmp x2, #0; sbcs x0, x1, x2)
    TEST_FLAGS(0b1000, li x1, 0; li x2, 0; cmn x2, #0; sbcs x0, x1, x2)
    TEST_FLAGS(0b0111, li x1, 0x80000000; li x2, 0x7fffffff; cmn x2, #0; sbcs w0, w1, w2)
    /* msr/mrs nzcv round trip */
    TEST_FLAGS(0b1010, li x1, 0xa0000000; msr nzcv, x1)
    /* every condition: cset after known flags */
    TEST(x0, 1, li x1, 0x40000000; msr nzcv, x1; cset x0, eq)
    TEST(x0, 0, li x1, 0x40000000; msr nzcv, x1; cset x0, ne)
    TEST(x0, 1, li x1, 0x20000000; msr nzcv, x1; cset x0, hs)
    TEST(x0, 0, li x1, 0x20000000; msr nzcv, x1; cset x0, lo)
    TEST(x0, 1, li x1, 0x80000000; msr nzcv, x1; cset x0, mi)
    TEST(x0, 0, li x1, 0x80000000; msr nzcv, x1; cset x0, pl)
    TEST(x0, 1, li x1, 0x10000000; msr nzcv, x1; cset x0, vs)
    TEST(x0, 0, li x1, 0x10000000; msr nzcv, x1; cset x0, vc)
    TEST(x0, 1, li x1, 0x20000000; msr nzcv, x1; cset x0, hi)
    TEST(x0, 1, li x1, 0x60000000; msr nzcv, x1; cset x0, ls)
    TEST(x0, 1, li x1, 0x90000000; msr nzcv, x1; cset x0, ge)
    TEST(x0, 1, li x1, 0x80000000; msr nzcv, x1; cset x0, lt)
    TEST(x0, 0, li x1, 0xd0000000; msr nzcv, x1; cset x0, gt)
    TEST(x0, 1, li x1, 0x90000000; msr nzcv, x1; cset x0, gt)
    TEST(x0, 1, li x1, 0x40000000; msr nzcv, x1; cset x0, le)
    TEST(x0, 0xffffffffffffffff, li x1, 0; msr nzcv, x1; csetm x0, pl)
    /* signed/unsigned comparisons through cset */
    TEST(x0, 1, li x1, 0xffffffffffffffff; li x2, 1; cmp x1, x2; cset x0, lt)
    TEST(x0, 1, li x1, 0xffffffffffffffff; li x2, 1; cmp x1, x2; cset x0, hi)
    TEST(x0, 1, li x1, 0x80000000; li x2, 1; cmp w1, w2; cset x0, lt)
    /* ccmp/ccmn */
    TEST_FLAGS(0b0110, li x1, 5; li x2, 5; cmp x1, x1; ccmp x1, x2, #0, eq)
    TEST_FLAGS(0b1011, li x1, 5; li x2, 5; cmp x1, #1; ccmp x1, x2, #0b1011, eq)
    TEST_FLAGS(0b1000, li x1, 3; cmp x1, x1; ccmp x1, #4, #0, eq)
    TEST_FLAGS(0b0110, li x1, 0xfffffffffffffffc; cmp x1, x1; ccmn x1, #4, #0, eq)
    TEST_FLAGS(0b0011, li x1, 0x80000000; cmp x1, x1; ccmp w1, #1, #0, eq)
    TEST_FLAGS(0b0110, cmp x1, x1; ccmp x1, x1, #0b1111, al)
    /* conditional select family */
    TEST(x0, 1, li x1, 1; li x2, 2; cmp x1, x1; csel x0, x1, x2, eq)
    TEST(x0, 2, li x1, 1; li x2, 2; cmp x1, x2; csel x0, x1, x2, eq)
    TEST(x0, 3, li x1, 1; li x2, 2; cmp x1, x2; csinc x0, x1, x2, eq)
    TEST(x0, 0xfffffffffffffffd, li x1, 1; li x2, 2; cmp x1, x2; csinv x0, x1, x2, eq)
    TEST(x0, 0xfffffffffffffffe, li x1, 1; li x2, 2; cmp x1, x2; csneg x0, x1, x2, eq)
    TEST(x0, 0xfffffffe, li x1, 1; li x2, 2; cmp x1, x2; csneg w0, w1, w2, eq)
    TEST(x0, 6, li x1, 5; cmp x1, #0; cinc x0, x1, ne)
    TEST(x0, 0xfffffffffffffffb, li x1, 5; cmp x1, #0; cneg x0, x1, ne)
    TEST(x0, 0xfffffffa, li x1, 5; cmp x1, #0; cinv w0, w1, ne)
TEST_END
