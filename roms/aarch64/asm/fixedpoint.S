/* Fixed-point conversions: SCVTF/UCVTF/FCVTZS/FCVTZU with #fbits between general and FP
 * registers, and their AdvSIMD scalar and vector forms; rounding (one rounding of the
 * scaled value, in the FPCR mode), saturation and FPSR.IOC/IXC. */
#include "test.h"

#define RZ li x9, 0xc00000; msr fpcr, x9
#define RN msr fpcr, xzr

TEST_START
    msr fpsr, xzr
    msr fpcr, xzr
    /* general register to FP */
    TEST(x0, 0x3fc00000, li x1, 0x18000; scvtf s0, w1, #16; fmov w0, s0)
    TEST(x0, 0xbfe0000000000000, li x1, 0x8000000000000000; scvtf d0, x1, #64; fmov x0, d0)
    TEST(x0, 0x3fe0000000000000, li x1, 0x8000000000000000; ucvtf d0, x1, #64; fmov x0, d0)
    TEST(x0, 0x5f000000, mov x1, #-1; ucvtf s0, x1, #1; fmov w0, s0)
    CHECKFL(0x10)
    TEST(x0, 0x5effffff, RZ; mov x1, #-1; ucvtf s0, x1, #1; fmov w0, s0; RN)
    CHECKFL(0x10)
    TEST(x0, 0x2f800000, mov w1, #1; scvtf s0, w1, #32; fmov w0, s0)
    TEST(x0, 0x4a000000, li x1, 0x1000001; scvtf s0, x1, #3; fmov w0, s0)
    CHECKFL(0x10)
    TEST(x0, 0xc1cfffffffc00000, li x1, 0x80000001; scvtf d0, w1, #1; fmov x0, d0)
    CHECKFL(0)
    /* FP to general register: truncation, saturation */
    TEST(x0, 0x18000, li x1, 0x3fc00000; fmov s1, w1; fcvtzs w0, s1, #16)
    TEST(x0, 0xfffe8000, li x1, 0xbfc00000; fmov s1, w1; fcvtzs w0, s1, #16)
    CHECKFL(0)
    TEST(x0, 0x7fffffff, li x1, 0x471c4000; fmov s1, w1; fcvtzs w0, s1, #16)
    CHECKFL(1)
    TEST(x0, 0xc000000000000000, li x1, 0x3fe8000000000000; fmov d1, x1; fcvtzu x0, d1, #64)
    TEST(x0, 0xffffffffffffffff, li x1, 0x3ff0000000000000; fmov d1, x1; fcvtzu x0, d1, #64)
    CHECKFL(1)
    TEST(x0, 0, li x1, 0x8000000000000000; fmov d1, x1; fcvtzu x0, d1, #64)
    CHECKFL(0)
    TEST(x0, 5, li x1, 0x4006000000000000; fmov d1, x1; fcvtzs x0, d1, #1)
    CHECKFL(0x10)
    TEST(x0, 0xfffffff6, li x1, 0xc0266666; fmov s1, w1; fcvtzu w0, s1, #2; mov w0, #-10)
    CHECKFL(1)
    /* vector */
    NEXT_TEST
    ldq 1, 0xffffff0000000100, 0x0000000100000080
    scvtf v0.4s, v1.4s, #8
    CHECKQ(0, 0xbf8000003f800000, 0x3b8000003f000000)
    ucvtf v0.4s, v1.4s, #8
    CHECKQ(0, 0x4b7fffff3f800000, 0x3b8000003f000000)
    CHECKFL(0)
    NEXT_TEST
    ldq 1, 0x0000000100000000, 0xffffffffffffffff
    ucvtf v0.2d, v1.2d, #32
    CHECKQ(0, 0x3ff0000000000000, 0x41f0000000000000)
    CHECKFL(0x10)
    NEXT_TEST
    ldq 1, 0xbf8000003fc00000, 0x7fc000004f000000
    fcvtzu v0.4s, v1.4s, #1
    CHECKQ(0, 0x0000000000000003, 0x00000000ffffffff)
    CHECKFL(1)
    fcvtzs v0.4s, v1.4s, #1
    CHECKQ(0, 0xfffffffe00000003, 0x000000007fffffff)
    CHECKFL(1)
    NEXT_TEST
    ldq 1, 0x4008000000000000, 0xbf50624dd2f1a9fc
    fcvtzs v0.2d, v1.2d, #10
    CHECKQ(0, 0xc00, 0xffffffffffffffff)
    CHECKFL(0x10)
    /* AdvSIMD scalar */
    TEST(x0, 0x4008000000000000, mov x1, #0x30; fmov d1, x1; scvtf d0, d1, #4; fmov x0, d0)
    TEST(x0, 0xfffffff6, li x1, 0xc0266666; fmov s1, w1; fcvtzs s0, s1, #2; fmov w0, s0)
    CHECKFL(0x10)
    TEST(x0, 0x3f000000, li x1, 0x80000000; fmov s1, w1; ucvtf s0, s1, #32; fmov w0, s0)
    TEST(x0, 0xffffffffffffffff, li x1, 0x43f0000000000000; fmov d1, x1; fcvtzu d0, d1, #1; fmov x0, d0)
    CHECKFL(1)
TEST_END
