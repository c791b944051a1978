/* Scalar floating point and the AdvSIMD instructions glibc's string routines use: fmov
 * (register, immediate, general, top half), arithmetic, fused multiply-add, compares into
 * NZCV, conversions with their rounding and saturation, FPSR cumulative flags, default NaN;
 * then dup, movi, cmeq, umaxp, uminv, addp, orr/and/bic/eor, shrn, ins/umov, cnt, ext, uzp1,
 * zip1, tbl, ld1/st1. */
#include "test.h"
TEST_START
    adr x19, data
    /* fmov */
    TEST(x0, 0x3ff0000000000000, fmov d0, #1.0; fmov x0, d0)
    TEST(x0, 0xc1200000, fmov s0, #-2.5; fmov s1, #4.0; fmul s2, s0, s1; fmov w0, s2)
    TEST(x0, 0x1234, li x1, 0x1234; fmov d3, x1; fmov d4, d3; fmov x0, d4)
    TEST(x0, 0x5678, li x1, 0x5678; fmov v3.d[1], x1; fmov x0, v3.d[1])
    /* arithmetic */
    TEST(x0, 0x4008000000000000, fmov d0, #1.0; fmov d1, #2.0; fadd d2, d0, d1; fmov x0, d2)
    TEST(x0, 0xbff0000000000000, fmov d0, #1.0; fmov d1, #2.0; fsub d2, d0, d1; fmov x0, d2)
    TEST(x0, 0x3fe0000000000000, fmov d0, #1.0; fmov d1, #2.0; fdiv d2, d0, d1; fmov x0, d2)
    TEST(x0, 0x3ff6a09e667f3bcd, fmov d0, #2.0; fsqrt d1, d0; fmov x0, d1)
    TEST(x0, 0x4014000000000000, fmov d0, #2.0; fmov d1, #2.0; fmov d2, #1.0; fmadd d3, d0, d1, d2; fmov x0, d3)
    TEST(x0, 0xc014000000000000, fmov d0, #2.0; fmov d1, #2.0; fmov d2, #1.0; fnmadd d3, d0, d1, d2; fmov x0, d3)
    TEST(x0, 0xc0000000, fmov s0, #2.0; fneg s1, s0; fmov w0, s1)
    TEST(x0, 0x40000000, fmov s0, #-2.0; fabs s1, s0; fmov w0, s1)
    TEST(x0, 0x40000000, fmov s0, #-2.0; fmov s1, #2.0; fmax s2, s0, s1; fmov w0, s2)
    /* default NaN: 0/0 and sqrt(-1) give the positive quiet NaN */
    TEST(x0, 0x7ff8000000000000, fmov d0, xzr; fdiv d1, d0, d0; fmov x0, d1)
    TEST(x0, 0x7fc00000, fmov s0, #-1.0; fsqrt s1, s0; fmov w0, s1)
    /* compares */
    TEST_FLAGS(0b0110, fmov d0, #1.0; fcmp d0, d0)
    TEST_FLAGS(0b1000, fmov d0, #1.0; fmov d1, #2.0; fcmp d0, d1)
    TEST_FLAGS(0b0010, fmov d0, #1.0; fcmp d0, #0.0)
    TEST_FLAGS(0b0011, fmov d0, xzr; fdiv d1, d0, d0; fcmp d1, d0)
    TEST(x0, 0x4000000000000000, fmov d0, #1.0; fmov d1, #2.0; fcmp d0, d1; fcsel d2, d0, d1, gt; fmov x0, d2)
    /* conversions */
    TEST(x0, 0xfffffffffffffffe, fmov d0, #-2.5; fcvtzs x0, d0)
    TEST(x0, 0xfffffffffffffffd, fmov d0, #-2.5; fcvtms x0, d0)
    TEST(x0, 0xfffffffffffffffe, fmov d0, #-2.5; fcvtns x0, d0)
    TEST(x0, 0xfffffffffffffffd, fmov d0, #-2.5; fcvtas x0, d0)
    TEST(x0, 0, fmov d0, #-2.5; fcvtzu x0, d0)
    TEST(x0, 0x7fffffff, li x1, 0x7ff0000000000000; fmov d0, x1; fcvtzs w0, d0)
    TEST(x0, 0, fmov d0, xzr; fdiv d1, d0, d0; fcvtzs x0, d1)
    TEST(x0, 0x4059000000000000, mov x1, #100; scvtf d0, x1; fmov x0, d0)
    TEST(x0, 0x41efffffffe00000, li x1, 0xffffffff; ucvtf d0, w1; fmov x0, d0)
    TEST(x0, 0x3fb99999a0000000, li x1, 0x3dcccccd; fmov s0, w1; fcvt d1, s0; fmov x0, d1)
    TEST(x0, 0x3dcccccd, li x1, 0x3fb999999999999a; fmov d0, x1; fcvt s1, d0; fmov w0, s1)
    TEST(x0, 0x4000000000000000, fmov d0, #2.5; frintn d1, d0; fmov x0, d1)
    TEST(x0, 0x4008000000000000, fmov d0, #2.5; frinta d1, d0; fmov x0, d1)
    /* FPSR cumulative flags: IOC=1 DZC=2 OFC=4 UFC=8 IXC=16 */
    TEST(x0, 2, msr fpsr, xzr; fmov d0, #1.0; fmov d1, xzr; fdiv d2, d0, d1; mrs x0, fpsr)
    TEST(x0, 1, msr fpsr, xzr; fmov d1, xzr; fdiv d2, d1, d1; mrs x0, fpsr)
    TEST(x0, 16, msr fpsr, xzr; fmov d0, #1.0; fmov d1, #3.0; fdiv d2, d0, d1; mrs x0, fpsr)
    TEST(x0, 1, msr fpsr, xzr; li x1, 0x7ff0000000000000; fmov d0, x1; fcvtzs w0, d0; mrs x0, fpsr)
    TEST(x0, 16, msr fpsr, xzr; fmov d0, #-2.5; fcvtzs x0, d0; mrs x0, fpsr)
    TEST(x0, 0, msr fpsr, xzr; fmov d0, #2.0; fsqrt d1, d0; fmov d2, #4.0; fsqrt d3, d2; msr fpsr, xzr; fsqrt d1, d2; mrs x0, fpsr)
    /* FPCR rounding mode: round toward minus infinity */
    TEST(x0, 0x3fd5555555555555, mov x1, #(2 << 22); msr fpcr, x1; fmov d0, #1.0; fmov d1, #3.0; fdiv d2, d0, d1; msr fpcr, xzr; fmov x0, d2)
    TEST(x0, 0x3fd5555555555556, mov x1, #(1 << 22); msr fpcr, x1; fmov d0, #1.0; fmov d1, #3.0; fdiv d2, d0, d1; msr fpcr, xzr; fmov x0, d2)
    /* AdvSIMD */
    TEST(x0, 0x4141414141414141, mov w1, #0x41; dup v0.16b, w1; mov x0, v0.d[1])
    TEST(x0, 0xff00ff00ff00ff00, movi v1.2d, #0xff00ff00ff00ff00; fmov x0, d1)
    TEST(x0, 0x0000000000ff0000, li x1, 0x0000000000410000 | 0x4200; fmov d2, x1; mov w3, #0x41; dup v0.8b, w3; cmeq v3.8b, v2.8b, v0.8b; fmov x0, d3)
    TEST(x0, 0x30, li x1, 0x0102030405060708; li x2, 0x1011121314151617; fmov d4, x1; mov v4.d[1], x2; li x3, 0x30; movi v5.16b, #0x30; umaxp v6.16b, v4.16b, v5.16b; umov w0, v6.b[8])
    TEST(x0, 0x01, uminv b7, v4.16b; umov w0, v7.b[0])
    TEST(x0, 0x17, umaxv b7, v4.16b; umov w0, v7.b[0])
    TEST(x0, 0x11131517191b1d1f, addp d8, v4.2d; fmov x0, d8)
    TEST(x0, 0x0f0f0f0f0f0f0f0f, movi v9.16b, #0xf0; mvn v10.16b, v9.16b; fmov x0, d10)
    TEST(x0, 0x00f000f000f000f0, movi v11.8h, #0xf0; and v12.16b, v11.16b, v9.16b; fmov x0, d12)
    TEST(x0, 0xf000f000f000f000, bic v12.16b, v9.16b, v11.16b; fmov x0, d12)
    TEST(x0, 0xff0fff0fff0fff0f, orr v12.16b, v10.16b, v12.16b; eor v12.16b, v12.16b, v11.16b; eor v12.16b, v12.16b, v11.16b; fmov x0, d12)
    TEST(x0, 0x0f0f0f0f, li x1, 0xf0f0f0f0f0f0f0f0; fmov d13, x1; mov v13.d[1], x1; shrn v14.8b, v13.8h, #4; fmov x0, d14; and x0, x0, #0xffffffff)
    TEST(x0, 8, li x1, 0xff; fmov d15, x1; cnt v15.8b, v15.8b; addv b15, v15.8b; umov w0, v15.b[0])
    TEST(x0, 0x0908070605040302, li x1, 0x0706050403020100; li x2, 0x0f0e0d0c0b0a0908; fmov d16, x1; mov v16.d[1], x2; ext v17.16b, v16.16b, v16.16b, #2; fmov x0, d17)
    TEST(x0, 0x0e0c0a0806040200, uzp1 v18.16b, v16.16b, v16.16b; fmov x0, d18)
    TEST(x0, 0x0303020201010000, zip1 v18.16b, v16.16b, v16.16b; fmov x0, d18)
    TEST(x0, 0x00000000000f0e05, li x1, 0xff1f100f0e05; fmov d19, x1; tbl v20.8b, {v16.16b}, v19.8b; fmov x0, d20)
    TEST(x0, 0x0f0e0d0c0b0a0908, st1 {v16.16b}, [x19]; ld1 {v21.2d}, [x19]; mov x0, v21.d[1])
    TEST(x0, 0x0706050403020100, mov x2, x19; ld1 {v22.16b, v23.16b}, [x2], #32; sub x3, x2, x19; cmp x3, #32; b.ne fail; fmov x0, d22)
    TEST(x0, 0x77, mov w1, #0x77; ins v16.b[3], w1; umov w0, v16.b[3])
    TEST(x0, 0xfffffffffffffff7, mov w1, #0xf7; ins v16.b[3], w1; smov x0, v16.b[3])
    TEST(x0, 0x0002000200020002, movi v24.16b, #1; uaddlp v25.8h, v24.16b; fmov x0, d25)
    TEST(x0, 0x00000000ffffffff, movi v26.2s, #0x1; movi v27.2s, #0x2; cmhi v28.2s, v27.2s, v26.2s; fmov x0, d28; and x0, x0, #0xffffffff)
    TEST(x0, 0x4010000000000000, fmov d0, #2.0; dup v1.2d, v0.d[0]; fadd v2.2d, v1.2d, v1.2d; mov x0, v2.d[1])
TEST_END
TEST_DATA(64)
