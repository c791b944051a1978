/* AdvSIMD floating point beyond plain arithmetic: reciprocal and square-root estimates
 * (FRECPE/FRSQRTE/URECPE/URSQRTE/FRECPX) and steps (FRECPS/FRSQRTS), FRINT* and
 * FCVT{N,A}S vector forms, FMULX, FABD, FACGE/FACGT, pairwise and across-lane min/max,
 * FPCR.FZ (inputs flushed with IDC, tiny results flushed with UFC) and FPCR.DN, and the
 * FPSR flags of vector operations. */
#include "test.h"

#define FPCR(v) li x9, v; msr fpcr, x9

TEST_START
    msr fpsr, xzr
    msr fpcr, xzr
    /* estimates: FRECPE(1) = FRSQRTE(1) = 0.998046875 */
    NEXT_TEST
    ldq 1, 0x400000003f800000, 0x7f80000000000000
    frecpe v0.4s, v1.4s
    CHECKQ(0, 0x3eff80003f7f8000, 0x000000007f800000)
    CHECKFL(0x02)
    NEXT_TEST
    ldq 1, 0x408000003f800000, 0x7f800000bf800000
    frsqrte v0.4s, v1.4s
    CHECKQ(0, 0x3eff80003f7f8000, 0x000000007fc00000)
    CHECKFL(0x01)
    TEST(x0, 0x7ff0000000000000, li x1, 0x0002000000000000; fmov d1, x1; frecpe d0, d1; fmov x0, d0)
    CHECKFL(0x14)
    TEST(x0, 0x7fefffffffffffff, FPCR(0xc00000); li x1, 0x0002000000000000; fmov d1, x1; frecpe d0, d1; fmov x0, d0; msr fpcr, xzr)
    CHECKFL(0x14)
    NEXT_TEST
    ldq 1, 0x7fffffff80000000, 0x3fffffff40000000
    urecpe v0.4s, v1.4s
    CHECKQ(0, 0xffffffffff800000, 0xffffffffffffffff)
    ursqrte v0.4s, v1.4s
    CHECKQ(0, 0xb5000000b4800000, 0xffffffffff800000)
    TEST(x0, 0x40000000, li x1, 0x3f800000; fmov s1, w1; frecpx s0, s1; fmov w0, s0)
    TEST(x0, 0x7fe0000000000000, fmov d1, xzr; frecpx d0, d1; fmov x0, d0)
    CHECKFL(0)
    /* steps: FRECPS = 2 - a*b, FRSQRTS = (3 - a*b) / 2; inf * 0 gives 2 and 1.5 */
    NEXT_TEST
    ldq 1, 0x7f8000003fc00000, 0x000000003f800000
    ldq 2, 0x000000003f000000, 0x7f8000003f800000
    frecps v0.4s, v1.4s, v2.4s
    CHECKQ(0, 0x400000003fa00000, 0x400000003f800000)
    frsqrts v0.4s, v1.4s, v2.4s
    CHECKQ(0, 0x3fc000003f900000, 0x3fc000003f800000)
    CHECKFL(0)
    /* FMULX: inf * 0 = +-2 */
    NEXT_TEST
    ldq 1, 0xff8000007f800000, 0x4000000000000000
    ldq 2, 0x0000000000000000, 0x40400000ff800000
    fmulx v0.4s, v1.4s, v2.4s
    CHECKQ(0, 0xc000000040000000, 0x40c00000c0000000)
    CHECKFL(0)
    /* FABD clears the sign of a NaN result too; FACGE/FACGT compare magnitudes */
    NEXT_TEST
    ldq 1, 0xffc000013f800000, 0
    ldq 2, 0x3f80000040400000, 0
    fabd v0.2s, v1.2s, v2.2s
    CHECKQ(0, 0x7fc0000140000000, 0)
    ldq 1, 0x3f800000c0000000, 0
    ldq 2, 0xbf8000003f800000, 0
    facge v0.2s, v1.2s, v2.2s
    CHECKQ(0, 0xffffffffffffffff, 0)
    facgt v0.2s, v1.2s, v2.2s
    CHECKQ(0, 0x00000000ffffffff, 0)
    CHECKFL(0)
    /* round to integral and convert: 0.5, 1.5, 2.5, -0.5 */
    NEXT_TEST
    ldq 1, 0x3fc000003f000000, 0xbf00000040200000
    frintn v0.4s, v1.4s
    CHECKQ(0, 0x4000000000000000, 0x8000000040000000)
    frinta v0.4s, v1.4s
    CHECKQ(0, 0x400000003f800000, 0xbf80000040400000)
    frintp v0.4s, v1.4s
    CHECKQ(0, 0x400000003f800000, 0x8000000040400000)
    frintm v0.4s, v1.4s
    CHECKQ(0, 0x3f80000000000000, 0xbf80000040000000)
    frintz v0.4s, v1.4s
    CHECKQ(0, 0x3f80000000000000, 0x8000000040000000)
    CHECKFL(0)
    frintx v0.4s, v1.4s
    CHECKQ(0, 0x4000000000000000, 0x8000000040000000)
    CHECKFL(0x10)
    fcvtns v0.4s, v1.4s
    CHECKQ(0, 0x0000000200000000, 0x0000000000000002)
    fcvtas v0.4s, v1.4s
    CHECKQ(0, 0x0000000200000001, 0xffffffff00000003)
    fcvtmu v0.4s, v1.4s
    CHECKQ(0, 0x0000000100000000, 0x0000000000000002)
    CHECKFL(0x11)
    /* pairwise and across lanes */
    NEXT_TEST
    ldq 1, 0x3f8000007fc00000, 0xff80000040a00000
    fmaxnmv s0, v1.4s
    fmov w0, s0
    CHECK(x0, 0x40a00000)
    fminnmv s0, v1.4s
    fmov w0, s0
    CHECK(x0, 0xff800000)
    fmaxv s0, v1.4s
    fmov w0, s0
    CHECK(x0, 0x7fc00000)
    fmaxnmp s0, v1.2s
    fmov w0, s0
    CHECK(x0, 0x3f800000)
    CHECKFL(0)
    TEST(x0, 0x4008000000000000, li x1, 0x3ff0000000000000; li x2, 0x4000000000000000; fmov d1, x1; mov v1.d[1], x2; faddp d0, v1.2d; fmov x0, d0)
    /* FPCR.FZ: subnormal inputs read as zero (IDC), tiny results become zero (UFC) */
    NEXT_TEST
    FPCR(0x1000000)
    ldq 1, 0x0080000000000001, 0
    ldq 2, 0x3f00000000000000, 0
    fmul v0.2s, v1.2s, v2.2s
    msr fpcr, xzr
    CHECKQ(0, 0, 0)
    CHECKFL(0x88)
    NEXT_TEST
    ldq 1, 0x0080000000000001, 0
    ldq 2, 0x3f00000000000000, 0
    fmul v0.2s, v1.2s, v2.2s
    CHECKQ(0, 0x0040000000000000, 0)
    CHECKFL(0)
    /* FPCR.DN: NaN results are the default NaN */
    NEXT_TEST
    FPCR(0x2000000)
    ldq 1, 0xffc123453f800000, 0
    ldq 2, 0x3f8000007f800001, 0
    fadd v0.2s, v1.2s, v2.2s
    msr fpcr, xzr
    CHECKQ(0, 0x7fc000007fc00000, 0)
    CHECKFL(1)
    /* rounding mode applies to vector arithmetic: 1 + 2^-24 */
    NEXT_TEST
    ldq 1, 0x3f8000003f800000, 0
    ldq 2, 0x3380000033800000, 0
    FPCR(0x400000)
    fadd v0.2s, v1.2s, v2.2s
    msr fpcr, xzr
    CHECKQ(0, 0x3f8000013f800001, 0)
    fadd v0.2s, v1.2s, v2.2s
    CHECKQ(0, 0x3f8000003f800000, 0)
    CHECKFL(0x10)
TEST_END
