/* Saturating, rounding and halving integer AdvSIMD: shifts by register (SQSHL, UQSHL,
 * SRSHL, URSHL, SQRSHL, UQRSHL; vector and scalar, with shift counts past the element
 * width and -128), SQDMULH/SQRDMULH/SQDMULL/SQDMLAL/SQDMLSL (vector, scalar, by element),
 * SQABS/SQNEG/SUQADD/USQADD, scalar narrows, halving adds, SABA/UABA, SADALP/UADALP,
 * ADDHN/RADDHN/SUBHN/RSUBHN; FPSR.QC (bit 27) set exactly when a result saturates. */
#include "test.h"

/* FPSR.QC (0 or 1), then clears FPSR for the next test. */
#define CHECKQC(qc) mrs x0, fpsr; ubfx x0, x0, #27, #1; CHECK(x0, qc); msr fpsr, xzr

TEST_START
    msr fpsr, xzr
    /* shifts by register: counts 1, 1, 1, 15, 15, -4, 2, -128 */
    NEXT_TEST
    ldq 1, 0xffff80007fff4000, 0x1234c00001000001
    ldq 2, 0x000f000100010001, 0x0080000200fc000f
    sqshl v0.8h, v1.8h, v2.8h
    CHECKQ(0, 0x800080007fff7fff, 0x0000800000107fff)
    CHECKQC(1)
    NEXT_TEST
    uqshl v0.8h, v1.8h, v2.8h
    CHECKQ(0, 0xfffffffffffe8000, 0x0000ffff00108000)
    CHECKQC(1)
    NEXT_TEST
    ldq 1, 0xfffffff900000007, 0x0000000540000000
    ldq 2, 0x000000ff000000ff, 0x000000fd00000001
    srshl v0.4s, v1.4s, v2.4s
    CHECKQ(0, 0xfffffffd00000004, 0x0000000180000000)
    urshl v0.4s, v1.4s, v2.4s
    CHECKQ(0, 0x7ffffffd00000004, 0x0000000180000000)
    CHECKQC(0)
    NEXT_TEST
    ldq 2, 0x000000ff000000ff, 0x0000002000000002
    sqrshl v0.4s, v1.4s, v2.4s
    CHECKQ(0, 0xfffffffd00000004, 0x7fffffff7fffffff)
    CHECKQC(1)
    uqrshl v0.4s, v1.4s, v2.4s
    CHECKQ(0, 0x7ffffffd00000004, 0xffffffffffffffff)
    CHECKQC(1)
    /* scalar forms */
    TEST(x0, 0x7fffffffffffffff, li x1, 0x4000000000000000; fmov d1, x1; mov x2, #1; fmov d2, x2; sqshl d0, d1, d2; fmov x0, d0)
    CHECKQC(1)
    TEST(x0, 1, li x1, 0x8000000000000000; fmov d1, x1; mov x2, #0xc1; fmov d2, x2; uqshl d0, d1, d2; fmov x0, d0)
    TEST(x0, 0, mov x1, #-1; fmov d1, x1; mov x2, #0xc0; fmov d2, x2; srshl d0, d1, d2; fmov x0, d0)
    TEST(x0, 0xffffffffffffffff, li x1, 0x8000000000000000; fmov d1, x1; mov x2, #0xc1; fmov d2, x2; srshl d0, d1, d2; fmov x0, d0)
    TEST(x0, 1, mov x1, #-1; fmov d1, x1; mov x2, #0xc0; fmov d2, x2; urshl d0, d1, d2; fmov x0, d0)
    TEST(x0, 0x7f, mov w1, #0x40; fmov s1, w1; mov w2, #1; fmov s2, w2; sqshl b0, b1, b2; fmov x0, d0)
    CHECKQC(1)
    TEST(x0, 0xfff0, mov w1, #0xfff0; fmov s1, w1; mov w2, #0x80; fmov s2, w2; uqrshl h0, h1, h2; mov w3, #0xfff0; fmov s0, w3; fmov x0, d0)
    CHECKQC(0)

    /* doubling multiplies: 8000*8000 saturates */
    NEXT_TEST
    ldq 1, 0xffff7fff40008000, 0
    ldq 2, 0x00017fff40008000, 0
    sqdmulh v0.4h, v1.4h, v2.4h
    CHECKQ(0, 0xffff7ffe20007fff, 0)
    CHECKQC(1)
    sqrdmulh v0.4h, v1.4h, v2.4h
    CHECKQ(0, 0x00007ffe20007fff, 0)
    CHECKQC(1)
    sqdmull v0.4s, v1.4h, v2.4h
    CHECKQ(0, 0x200000007fffffff, 0xfffffffe7ffe0002)
    CHECKQC(1)
    NEXT_TEST
    ldq 0, 0x000000007fffffff, 0x0000000180000000
    sqdmlal v0.4s, v1.4h, v2.4h
    CHECKQ(0, 0x200000007fffffff, 0xfffffffffffe0002)
    CHECKQC(1)
    ldq 0, 0x000000007fffffff, 0x0000000180000000
    sqdmlsl v0.4s, v1.4h, v2.4h
    CHECKQ(0, 0xe000000000000000, 0x0000000380000000)
    CHECKQC(1)
    /* the upper-half forms */
    NEXT_TEST
    ldq 1, 0, 0xffff7fff40008000
    ldq 2, 0, 0x00017fff40008000
    sqdmull2 v0.4s, v1.8h, v2.8h
    CHECKQ(0, 0x200000007fffffff, 0xfffffffe7ffe0002)
    CHECKQC(1)
    /* no saturation: QC stays clear */
    NEXT_TEST
    ldq 1, 0x0000000300000002, 0
    ldq 2, 0x0000000500000004, 0
    sqdmull v0.2d, v1.2s, v2.2s
    CHECKQ(0, 16, 30)
    CHECKQC(0)
    /* by element and scalar */
    NEXT_TEST
    ldq 1, 0x4000000080000000, 0x00000001c0000000
    ldq 2, 0, 0x80000000
    sqdmulh v0.4s, v1.4s, v2.s[2]
    CHECKQ(0, 0xc00000007fffffff, 0xffffffff40000000)
    CHECKQC(1)
    NEXT_TEST
    ldq 2, 0x4000000000000000, 0
    sqrdmulh v0.4s, v1.4s, v2.s[1]
    CHECKQ(0, 0x20000000c0000000, 0x00000001e0000000)
    CHECKQC(0)
    TEST(x0, 0x7fff, mov w1, #0x8000; fmov s1, w1; fmov s2, w1; sqdmulh h0, h1, h2; fmov x0, d0)
    CHECKQC(1)
    TEST(x0, 0x7fffffff, mov w1, #0x8000; fmov s1, w1; fmov s2, w1; sqdmull s0, h1, h2; fmov x0, d0)
    CHECKQC(1)
    TEST(x0, 0x4000, mov w1, #0x4000; fmov s1, w1; ldq 2, 0x7fff000000000000, 0; sqrdmulh h0, h1, v2.h[3]; fmov x0, d0)
    TEST(x0, 0x7fffffffffffffff, li x0, 0x7ffffffffffffff0; fmov d0, x0; mov w1, #2; fmov s1, w1; mov w2, #4; fmov s2, w2; sqdmlal d0, s1, s2; fmov x0, d0)
    CHECKQC(1)
    TEST(x0, 0x0000000000000064, mov x0, #100; fmov d0, x0; ldq 1, 5, 0; ldq 2, 0, 0; sqdmlsl d0, s1, v2.s[3]; fmov x0, d0)
    CHECKQC(0)

    /* SQABS/SQNEG: -128 saturates; SUQADD/USQADD */
    NEXT_TEST
    ldq 1, 0x000000007f01ff80, 0
    sqabs v0.8b, v1.8b
    CHECKQ(0, 0x000000007f01017f, 0)
    CHECKQC(1)
    sqneg v0.8b, v1.8b
    CHECKQ(0, 0x0000000081ff017f, 0)
    CHECKQC(1)
    TEST(x0, 0x7f, mov w0, #0x70; fmov s0, w0; mov w1, #0x20; fmov s1, w1; suqadd b0, b1; fmov x0, d0)
    CHECKQC(1)
    TEST(x0, 0, mov w0, #0x10; fmov s0, w0; mov w1, #0xe0; fmov s1, w1; usqadd b0, b1; fmov x0, d0)
    CHECKQC(1)
    TEST(x0, 0x8000000000000001, ldq 1, 0x8000000000000000, 0; sqabs d0, d1; sqneg d0, d0; fmov x0, d0)
    CHECKQC(1)
    /* scalar narrows */
    TEST(x0, 0x7fff, li x1, 0x12345; fmov s1, w1; sqxtn h0, s1; fmov x0, d0)
    CHECKQC(1)
    TEST(x0, 0xff, mov w1, #0x100; fmov s1, w1; uqxtn b0, h1; fmov x0, d0)
    TEST(x0, 0, li x1, 0xffff8000; fmov s1, w1; sqxtun h0, s1; fmov x0, d0)
    TEST(x0, 0x7fff, li x1, 0x7ffff; fmov s1, w1; sqshrn h0, s1, #4; fmov x0, d0)
    TEST(x0, 0xff, mov w1, #0x1ff; fmov s1, w1; uqrshrn b0, h1, #1; fmov x0, d0)
    TEST(x0, 0x40, mov w1, #0x7f; fmov s1, w1; sqrshrun b0, h1, #1; fmov x0, d0)
    CHECKQC(1)

    /* halving adds and subtracts */
    NEXT_TEST
    ldq 1, 0x01ff7f80, 0
    ldq 2, 0xff010180, 0
    shadd v0.8b, v1.8b, v2.8b
    CHECKQ(0, 0x4080, 0)
    uhadd v0.8b, v1.8b, v2.8b
    CHECKQ(0, 0x80804080, 0)
    srhadd v0.8b, v1.8b, v2.8b
    CHECKQ(0, 0x4080, 0)
    urhadd v0.8b, v1.8b, v2.8b
    CHECKQ(0, 0x80804080, 0)
    shsub v0.8b, v1.8b, v2.8b
    CHECKQ(0, 0x01ff3f00, 0)
    uhsub v0.8b, v1.8b, v2.8b
    CHECKQ(0, 0x817f3f00, 0)
    /* absolute difference and accumulate */
    NEXT_TEST
    ldq 1, 0x7f80, 0
    ldq 2, 0x807f, 0
    ldq 0, 0x1010, 0
    saba v0.16b, v1.16b, v2.16b
    CHECKQ(0, 0x0f0f, 0)
    ldq 0, 0x1010, 0
    uaba v0.16b, v1.16b, v2.16b
    CHECKQ(0, 0x1111, 0)
    /* pairwise add long and accumulate */
    NEXT_TEST
    ldq 1, 0x000001ff7f7f8080, 0
    ldq 0, 0x0001000100010001, 0
    sadalp v0.4h, v1.8b
    CHECKQ(0, 0x0001000100ffff01, 0)
    ldq 0, 0x0001000100010001, 0
    uadalp v0.4h, v1.8b
    CHECKQ(0, 0x0001010100ff0101, 0)
    /* narrow high halves */
    NEXT_TEST
    ldq 1, 0xff7f1280, 0
    ldq 2, 0, 0
    addhn v0.8b, v1.8h, v2.8h
    CHECKQ(0, 0xff12, 0)
    raddhn v0.8b, v1.8h, v2.8h
    CHECKQ(0, 0xff13, 0)
    ldq 2, 0xff800001, 0
    subhn v0.8b, v1.8h, v2.8h
    CHECKQ(0, 0xff12, 0)
    rsubhn v0.8b, v1.8h, v2.8h
    CHECKQ(0, 0x0012, 0)
    ldq 0, 0x1111, 0x2222
    rsubhn2 v0.16b, v1.8h, v2.8h
    CHECKQ(0, 0x1111, 0x0012)
    CHECKQC(0)
TEST_END
