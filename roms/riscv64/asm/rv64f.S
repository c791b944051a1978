/* RV64F: single-precision arithmetic in every rounding mode (static rm and dynamic frm),
 * fflags, canonical NaN, NaN-boxing of results and inputs, fmin/fmax with NaN and signed
 * zeros, conversions with saturation (.w/.wu/.l/.lu), fclass, moves, sign injection,
 * the fused multiply-add family, flw/fsw. */
#include "test.h"
#include "fp.h"

#define ONE   0x3f800000
#define MONE  0xbf800000
#define TWO   0x40000000
#define MTWO  0xc0000000
#define THREE 0x40400000
#define HALF  0x3f000000
#define PINF  0x7f800000
#define MINF  0xff800000
#define PZERO 0
#define MZERO 0x80000000
#define CNAN  0x7fc00000
#define QNANP 0x7fc00123
#define SNAN  0x7f800001
#define FMAX  0x7f7fffff
#define FMIN  0x00800000
#define HULP  0x33800000 /* 2^-24: half an ulp of 1.0f */
#define THIRD_DN 0x3eaaaaaa
#define THIRD_UP 0x3eaaaaab

TEST_START
    TEST_S2(fadd.s, ONE, TWO, THREE, 0)
    TEST_S2(fsub.s, ONE, TWO, MONE, 0)
    TEST_S2(fmul.s, TWO, THREE, 0x40c00000, 0)
    TEST_S2(fdiv.s, THREE, TWO, 0x3fc00000, 0)
    TEST_FS(0x3fb504f3, NX, LD_S(fa1, TWO); fsqrt.s fa0, fa1)
    TEST_FS(CNAN, NV, LD_S(fa1, MONE); fsqrt.s fa0, fa1)
    TEST_FS(MZERO, 0, LD_S(fa1, MZERO); fsqrt.s fa0, fa1)

    /* static rounding: 1/3 = 0x3eaaaaaa.aaa... */
    TEST_S2RM(fdiv.s, rne, ONE, THREE, THIRD_UP, NX)
    TEST_S2RM(fdiv.s, rtz, ONE, THREE, THIRD_DN, NX)
    TEST_S2RM(fdiv.s, rdn, ONE, THREE, THIRD_DN, NX)
    TEST_S2RM(fdiv.s, rup, ONE, THREE, THIRD_UP, NX)
    TEST_S2RM(fdiv.s, rmm, ONE, THREE, THIRD_UP, NX)
    TEST_S2RM(fdiv.s, rdn, MONE, THREE, 0xbeaaaaab, NX)
    TEST_S2RM(fdiv.s, rup, MONE, THREE, 0xbeaaaaaa, NX)
    TEST_S2RM(fadd.s, rne, ONE, HULP, ONE, NX)
    TEST_S2RM(fadd.s, rmm, ONE, HULP, 0x3f800001, NX)
    TEST_S2RM(fadd.s, rup, ONE, HULP, 0x3f800001, NX)
    TEST_S2RM(fadd.s, rdn, ONE, HULP, ONE, NX)
    TEST_S2RM(fadd.s, rtz, ONE, HULP, ONE, NX)
    TEST_S2RM(fadd.s, rne, 0x3f800001, HULP, 0x3f800002, NX)
    TEST_S2RM(fsub.s, rdn, ONE, ONE, MZERO, 0)
    TEST_S2RM(fmul.s, rtz, FMAX, TWO, FMAX, OF | NX)
    TEST_S2RM(fmul.s, rne, FMAX, TWO, PINF, OF | NX)
    TEST_S2RM(fmul.s, rup, FMAX, MTWO, 0xff7fffff, OF | NX)
    /* dynamic rounding */
    TEST_S2DYN(fdiv.s, 0, ONE, THREE, THIRD_UP, NX)
    TEST_S2DYN(fdiv.s, 1, ONE, THREE, THIRD_DN, NX)
    TEST_S2DYN(fdiv.s, 2, ONE, THREE, THIRD_DN, NX)
    TEST_S2DYN(fdiv.s, 3, ONE, THREE, THIRD_UP, NX)
    TEST_S2DYN(fadd.s, 4, ONE, HULP, 0x3f800001, NX)

    /* flags and NaNs */
    TEST_S2(fdiv.s, ONE, PZERO, PINF, DZ)
    TEST_S2(fdiv.s, PZERO, PZERO, CNAN, NV)
    TEST_S2(fadd.s, PINF, MINF, CNAN, NV)
    TEST_S2(fdiv.s, FMIN, THREE, 0x002aaaab, UF | NX)
    TEST_S2(fadd.s, QNANP, ONE, CNAN, 0)
    TEST_S2(fadd.s, SNAN, ONE, CNAN, NV)

    /* fmin/fmax */
    TEST_S2(fmin.s, ONE, TWO, ONE, 0)
    TEST_S2(fmax.s, ONE, TWO, TWO, 0)
    TEST_S2(fmin.s, PZERO, MZERO, MZERO, 0)
    TEST_S2(fmax.s, MZERO, PZERO, PZERO, 0)
    TEST_S2(fmin.s, QNANP, ONE, ONE, 0)
    TEST_S2(fmax.s, SNAN, ONE, ONE, NV)
    TEST_S2(fmax.s, QNANP, SNAN, CNAN, NV)

    /* compares */
    TEST_SCMP(feq.s, PZERO, MZERO, 1, 0)
    TEST_SCMP(feq.s, QNANP, ONE, 0, 0)
    TEST_SCMP(feq.s, SNAN, ONE, 0, NV)
    TEST_SCMP(flt.s, MONE, ONE, 1, 0)
    TEST_SCMP(flt.s, QNANP, ONE, 0, NV)
    TEST_SCMP(fle.s, ONE, ONE, 1, 0)
    TEST_SCMP(fle.s, TWO, ONE, 0, 0)

    /* fclass */
    TEST_FX(1 << 0, 0, LD_S(fa1, MINF); fclass.s a0, fa1)
    TEST_FX(1 << 1, 0, LD_S(fa1, MONE); fclass.s a0, fa1)
    TEST_FX(1 << 2, 0, LD_S(fa1, 0x807fffff); fclass.s a0, fa1)
    TEST_FX(1 << 3, 0, LD_S(fa1, MZERO); fclass.s a0, fa1)
    TEST_FX(1 << 4, 0, LD_S(fa1, PZERO); fclass.s a0, fa1)
    TEST_FX(1 << 5, 0, LD_S(fa1, 1); fclass.s a0, fa1)
    TEST_FX(1 << 6, 0, LD_S(fa1, FMAX); fclass.s a0, fa1)
    TEST_FX(1 << 7, 0, LD_S(fa1, PINF); fclass.s a0, fa1)
    TEST_FX(1 << 8, 0, LD_S(fa1, SNAN); fclass.s a0, fa1)
    TEST_FX(1 << 9, 0, LD_S(fa1, QNANP); fclass.s a0, fa1)
    /* an improperly boxed value classifies as the canonical quiet NaN */
    TEST_FX(1 << 9, 0, li t0, 0x3f800000; fmv.d.x fa1, t0; fclass.s a0, fa1)

    /* float -> integer with saturation */
    TEST_S2I(fcvt.w.s, rne, 0x40200000, 2, NX)
    TEST_S2I(fcvt.w.s, rmm, 0x40200000, 3, NX)
    TEST_S2I(fcvt.w.s, rdn, 0xc0200000, -3, NX)
    TEST_S2I(fcvt.w.s, rtz, 0x4effffff, 0x7fffff80, 0)
    TEST_S2I(fcvt.w.s, rtz, 0x4f000000, 0x7fffffff, NV)
    TEST_S2I(fcvt.w.s, rtz, 0xcf000000, 0xffffffff80000000, 0)
    TEST_S2I(fcvt.w.s, rtz, QNANP, 0x7fffffff, NV)
    TEST_S2I(fcvt.w.s, rtz, MINF, 0xffffffff80000000, NV)
    TEST_S2I(fcvt.wu.s, rtz, 0x4f7fffff, 0xffffffffffffff00, 0)
    TEST_S2I(fcvt.wu.s, rtz, 0x4f800000, -1, NV)
    TEST_S2I(fcvt.wu.s, rtz, MONE, 0, NV)
    TEST_S2I(fcvt.wu.s, rtz, 0xbf000000, 0, NX)
    TEST_S2I(fcvt.l.s, rtz, 0x5f000000, 0x7fffffffffffffff, NV)
    TEST_S2I(fcvt.l.s, rtz, 0xdf000000, 0x8000000000000000, 0)
    TEST_S2I(fcvt.l.s, rup, 0x3dcccccd, 1, NX)
    TEST_S2I(fcvt.l.s, rtz, SNAN, 0x7fffffffffffffff, NV)
    TEST_S2I(fcvt.lu.s, rtz, 0x5f7fffff, 0xffffff0000000000, 0)
    TEST_S2I(fcvt.lu.s, rtz, 0x5f800000, -1, NV)
    TEST_S2I(fcvt.lu.s, rtz, MINF, 0, NV)
    TEST_FX(3, NX, LD_S(fa1, 0x40200000); csrwi frm, 4; fcvt.w.s a0, fa1; csrwi frm, 0)

    /* integer -> float */
    TEST_FS(0xcf000000, 0, li a1, 0xffffffff80000000; fcvt.s.w fa0, a1)
    TEST_FS(0x4b800000, NX, li a1, 0x1000001; fcvt.s.w fa0, a1)
    TEST_FS(0x4b800001, NX, li a1, 0x1000001; fcvt.s.w fa0, a1, rup)
    TEST_FS(0x4f800000, NX, li a1, -1; fcvt.s.wu fa0, a1)
    TEST_FS(0x4f7fffff, NX, li a1, -1; fcvt.s.wu fa0, a1, rtz)
    TEST_FS(0xdf000000, 0, li a1, 0x8000000000000000; fcvt.s.l fa0, a1)
    TEST_FS(0x5f800000, NX, li a1, -1; fcvt.s.lu fa0, a1)
    TEST_FS(0x5f7fffff, NX, li a1, -1; fcvt.s.lu fa0, a1, rdn)

    /* moves, sign injection, NaN-boxing */
    TEST(a0, 0xffffffff80000000, li a1, 0x1234567880000000; fmv.w.x fa0, a1; fmv.x.w a0, fa0)
    TEST(a0, 0xffffffff12345678, li a1, 0xabcdef0012345678; fmv.w.x fa0, a1; fmv.x.d a0, fa0)
    TEST(a0, 0x7fffffff, li a1, 0x7fffffff; fmv.w.x fa0, a1; fmv.x.w a0, fa0)
    TEST_S2(fsgnj.s, ONE, MZERO, MONE, 0)
    TEST_S2(fsgnjn.s, ONE, MZERO, ONE, 0)
    TEST_S2(fsgnjn.s, MONE, MZERO, ONE, 0)
    TEST_S2(fsgnjx.s, MONE, MONE, ONE, 0)
    TEST_S2(fsgnjx.s, ONE, MONE, MONE, 0)
    TEST_FS(ONE, 0, LD_S(fa1, MONE); fabs.s fa0, fa1)
    TEST_FS(MONE, 0, LD_S(fa1, ONE); fneg.s fa0, fa1)
    TEST(a0, 0xffffffffffc00000, li t0, 0xfffffffe3f800000; fmv.d.x fa1, t0; LD_S(fa2, MONE); fsgnj.s fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST(a0, 0xffffffff7fc00000, li t0, 0x40000000; fmv.d.x fa1, t0; LD_S(fa2, ONE); fmul.s fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST(a0, 0xffffffff40400000, LD_S(fa1, ONE); LD_S(fa2, TWO); fadd.s fa0, fa1, fa2; fmv.x.d a0, fa0)

    /* fused multiply-add */
    TEST_S3(fmadd.s, TWO, THREE, ONE, 0x40e00000, 0)
    TEST_S3(fmsub.s, TWO, THREE, ONE, 0x40a00000, 0)
    TEST_S3(fnmsub.s, TWO, THREE, ONE, 0xc0a00000, 0)
    TEST_S3(fnmadd.s, TWO, THREE, ONE, 0xc0e00000, 0)
    TEST_S3(fmadd.s, PINF, PZERO, QNANP, CNAN, NV)
    TEST_S3(fmadd.s, 0x3f800001, 0x3f800001, MONE, 0x34800000, NX)
    TEST_FS(0x3f800001, NX, LD_S(fa1, ONE); LD_S(fa2, ONE); LD_S(fa3, HULP); fmadd.s fa0, fa1, fa2, fa3, rmm)
    TEST_FS(MZERO, 0, LD_S(fa1, ONE); LD_S(fa2, ONE); LD_S(fa3, ONE); fmsub.s fa0, fa1, fa2, fa3, rdn)

    /* flw / fsw */
    TEST(a0, 0xffffffff89abcdef, lla a1, fdata; flw fa0, 0(a1); fmv.x.d a0, fa0)
    TEST(a0, 0x0123456789abcdef, lla a1, fdata; flw fa0, 4(a1); fsw fa0, 12(a1); flw fa0, 0(a1); fsw fa0, 8(a1); ld a0, 8(a1))
    TEST(a0, 0x3f800000, lla a1, fdata; LD_S(fa0, ONE); fsw fa0, 16(a1); lwu a0, 16(a1))
TEST_END

    .data
    .balign 16
fdata:
    .dword 0x0123456789abcdef
    .dword 0
    .dword 0
