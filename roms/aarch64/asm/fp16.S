/* Half precision conversions (FCVT between h, s and d; FCVTN/FCVTN2 to half, FCVTL/FCVTL2
 * from half; FCVTXN round-to-odd): exact rounding in every FPCR mode, overflow, underflow
 * detected before rounding, NaN quieting and payloads, FPCR.DN and FPCR.FZ, and the FPSR
 * flags each conversion raises. */
#include "test.h"

#define MODE(m) li x9, (m) << 22; msr fpcr, x9
/* h0 = fcvt(s1 = bits), result in x0 */
#define S2H(bits) li x1, bits; fmov s1, w1; fcvt h0, s1; fmov w0, s0
#define D2H(bits) li x1, bits; fmov d1, x1; fcvt h0, d1; fmov w0, s0
#define H2S(bits) li x1, bits; fmov s1, w1; fcvt s0, h1; fmov w0, s0
#define H2D(bits) li x1, bits; fmov s1, w1; fcvt d0, h1; fmov x0, d0

TEST_START
    msr fpsr, xzr
    msr fpcr, xzr
    TEST(x0, 0x3c00, S2H(0x3f800000))
    TEST(x0, 0x7bff, S2H(0x477fe000))
    CHECKFL(0)
    /* 65520 is halfway to 65536: overflows to infinity when rounding to nearest */
    TEST(x0, 0x7c00, S2H(0x477ff000))
    CHECKFL(0x14)
    /* ... but not when the rounded result is the largest finite value */
    TEST(x0, 0x7bff, MODE(3); S2H(0x477ff000); MODE(0))
    CHECKFL(0x10)
    TEST(x0, 0xfbff, MODE(1); S2H(0xc77ff000); MODE(0))
    CHECKFL(0x10)
    TEST(x0, 0xfc00, MODE(2); S2H(0xc77ff000); MODE(0))
    CHECKFL(0x14)
    /* subnormal results: exact (no flags), halfway (ties to even), rounded up */
    TEST(x0, 0x0001, S2H(0x33800000))
    CHECKFL(0)
    TEST(x0, 0x0000, S2H(0x33000000))
    CHECKFL(0x18)
    TEST(x0, 0x0001, MODE(1); S2H(0x33000000); MODE(0))
    CHECKFL(0x18)
    TEST(x0, 0x0001, S2H(0x33400000))
    CHECKFL(0x18)
    TEST(x0, 0x8001, MODE(2); S2H(0x80000001); MODE(0))
    CHECKFL(0x18)
    /* rounds up to the smallest normal, but was tiny before rounding: UFC */
    TEST(x0, 0x0400, S2H(0x387fe000))
    CHECKFL(0x18)
    TEST(x0, 0x03ff, MODE(3); S2H(0x387fe000); MODE(0))
    CHECKFL(0x18)
    /* signed zeros, infinities, NaNs */
    TEST(x0, 0x8000, S2H(0x80000000))
    TEST(x0, 0xfc00, S2H(0xff800000))
    TEST(x0, 0x7e00, S2H(0x7fc00000))
    CHECKFL(0)
    TEST(x0, 0x7e00, S2H(0x7f800001))
    CHECKFL(1)
    TEST(x0, 0xfe09, S2H(0xffc12345))
    TEST(x0, 0x7e00, MODE(0x8); S2H(0xffc12345); MODE(0))
    CHECKFL(0)
    /* from double */
    TEST(x0, 0x3555, D2H(0x3fd5555555555555))
    TEST(x0, 0x3556, MODE(1); D2H(0x3fd5555555555555); MODE(0))
    TEST(x0, 0xb555, MODE(1); D2H(0xbfd5555555555555); MODE(0))
    CHECKFL(0x10)
    TEST(x0, 0x7c00, D2H(0x4100000000000000))
    CHECKFL(0x14)
    TEST(x0, 0x0000, D2H(0x0000000000000001))
    CHECKFL(0x18)
    TEST(x0, 0x7e00, D2H(0x7ff0000000000001))
    CHECKFL(1)
    /* to single and double: exact */
    TEST(x0, 0x33800000, H2S(0x0001))
    TEST(x0, 0x477fe000, H2S(0x7bff))
    TEST(x0, 0xff800000, H2S(0xfc00))
    TEST(x0, 0x387fc000, H2S(0x03ff))
    TEST(x0, 0x3fd5540000000000, H2D(0x3555))
    CHECKFL(0)
    TEST(x0, 0x7fe02000, H2S(0x7d01))
    CHECKFL(1)
    TEST(x0, 0xfff8040000000000, H2D(0xfe01))
    TEST(x0, 0x7ff8000000000000, MODE(0x8); H2D(0xfe01); MODE(0))
    CHECKFL(0)
    /* FPCR.FZ flushes single/double inputs (IDC), not half ones */
    TEST(x0, 0x8000, MODE(4); S2H(0x80000001); MODE(0))
    CHECKFL(0x80)
    TEST(x0, 0x33800000, MODE(4); H2S(0x0001); MODE(0))
    CHECKFL(0)

    /* vector: FCVTN/FCVTN2 to half, FCVTL/FCVTL2 from half */
    NEXT_TEST
    ldq 1, 0x477ff0003f800000, 0x8000000033000000
    ldq 0, -1, -1
    fcvtn v0.4h, v1.4s
    CHECKQ(0, 0x800000007c003c00, 0)
    CHECKFL(0x1c)
    ldq 0, 0x1234, 0x5678
    fcvtn2 v0.8h, v1.4s
    CHECKQ(0, 0x1234, 0x800000007c003c00)
    CHECKFL(0x1c)
    NEXT_TEST
    ldq 1, 0xfc007bff00013c00, 0x7e000400c0008001
    fcvtl v0.4s, v1.4h
    CHECKQ(0, 0x338000003f800000, 0xff800000477fe000)
    fcvtl2 v0.4s, v1.8h
    CHECKQ(0, 0xc0000000b3800000, 0x7fc0000038800000)
    fcvtl2 v0.2d, v0.4s
    CHECKQ(0, 0x3f10000000000000, 0x7ff8000000000000)
    CHECKFL(0)
    /* single <-> double vector forms */
    NEXT_TEST
    ldq 1, 0x3ff0000004000000, 0x3ff0000000000000
    fcvtn v0.2s, v1.2d
    CHECKQ(0, 0x3f8000003f800000, 0)
    CHECKFL(0x10)
    fcvtxn v0.2s, v1.2d
    CHECKQ(0, 0x3f8000003f800001, 0)
    CHECKFL(0x10)
    TEST(x0, 0x3f800001, li x1, 0x3ff0000004000000; fmov d1, x1; fcvtxn s0, d1; fmov w0, s0)
    TEST(x0, 0x7f7fffff, li x1, 0x7fefffffffffffff; fmov d1, x1; fcvtxn s0, d1; fmov w0, s0)
    CHECKFL(0x14)
    /* double to single: tiny before rounding although the result is the smallest normal */
    TEST(x0, 0x00800000, li x1, 0x380fffffffffffff; fmov d1, x1; fcvt s0, d1; fmov w0, s0)
    CHECKFL(0x18)
TEST_END
