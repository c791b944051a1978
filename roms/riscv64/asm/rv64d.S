/* RV64D: double-precision arithmetic in every rounding mode (static rm and dynamic
 * frm), fflags, canonical NaN, fmin/fmax with NaN and signed zeros, conversions with
 * saturation, fclass, moves, sign injection, the fused multiply-add family, loads and
 * stores, and the NaN-boxing of single-precision values held in 64-bit registers. */
#include "test.h"
#include "fp.h"

#define ONE   0x3ff0000000000000
#define MONE  0xbff0000000000000
#define TWO   0x4000000000000000
#define THREE 0x4008000000000000
#define HALF  0x3fe0000000000000
#define TEN   0x4024000000000000
#define TENTH 0x3fb999999999999a
#define PINF  0x7ff0000000000000
#define MINF  0xfff0000000000000
#define PZERO 0
#define MZERO 0x8000000000000000
#define CNAN  0x7ff8000000000000
#define QNANP 0x7ff8000000000123
#define SNAN  0x7ff0000000000001
#define DMAX  0x7fefffffffffffff
#define DMIN  0x0010000000000000
#define HULP  0x3ca0000000000000 /* 2^-53: half an ulp of 1.0 */
#define THIRD_RNE 0x3fd5555555555555
#define THIRD_UP  0x3fd5555555555556

TEST_START
    /* fadd/fsub/fmul/fdiv/fsqrt basics */
    TEST_D2(fadd.d, ONE, TWO, THREE, 0)
    TEST_D2(fsub.d, ONE, TWO, MONE, 0)
    TEST_D2(fmul.d, TWO, THREE, 0x4018000000000000, 0)
    TEST_D2(fdiv.d, THREE, TWO, 0x3ff8000000000000, 0)
    TEST_FD(0x3ff6a09e667f3bcd, NX, LD_D(fa1, TWO); fsqrt.d fa0, fa1)
    TEST_FD(0x4000000000000000, 0, LD_D(fa1, 0x4010000000000000); fsqrt.d fa0, fa1)
    TEST_FD(CNAN, NV, LD_D(fa1, MONE); fsqrt.d fa0, fa1)
    TEST_FD(MZERO, 0, LD_D(fa1, MZERO); fsqrt.d fa0, fa1)

    /* rounding modes, static: 1/3 and -1/3 */
    TEST_D2RM(fdiv.d, rne, ONE, THREE, THIRD_RNE, NX)
    TEST_D2RM(fdiv.d, rtz, ONE, THREE, THIRD_RNE, NX)
    TEST_D2RM(fdiv.d, rdn, ONE, THREE, THIRD_RNE, NX)
    TEST_D2RM(fdiv.d, rup, ONE, THREE, THIRD_UP, NX)
    TEST_D2RM(fdiv.d, rmm, ONE, THREE, THIRD_RNE, NX)
    TEST_D2RM(fdiv.d, rdn, MONE, THREE, 0xbfd5555555555556, NX)
    TEST_D2RM(fdiv.d, rup, MONE, THREE, 0xbfd5555555555555, NX)
    TEST_D2RM(fdiv.d, rtz, MONE, THREE, 0xbfd5555555555555, NX)
    /* ties: 1 + 2^-53 is exactly half way */
    TEST_D2RM(fadd.d, rne, ONE, HULP, ONE, NX)
    TEST_D2RM(fadd.d, rmm, ONE, HULP, 0x3ff0000000000001, NX)
    TEST_D2RM(fadd.d, rup, ONE, HULP, 0x3ff0000000000001, NX)
    TEST_D2RM(fadd.d, rdn, ONE, HULP, ONE, NX)
    TEST_D2RM(fadd.d, rtz, ONE, HULP, ONE, NX)
    TEST_D2RM(fadd.d, rne, 0x3ff0000000000001, HULP, 0x3ff0000000000002, NX)
    TEST_D2RM(fsub.d, rdn, ONE, ONE, MZERO, 0)
    TEST_D2RM(fsub.d, rne, ONE, ONE, PZERO, 0)
    TEST_D2RM(fmul.d, rtz, DMAX, TWO, DMAX, OF | NX)
    TEST_D2RM(fmul.d, rne, DMAX, TWO, PINF, OF | NX)
    TEST_D2RM(fmul.d, rdn, DMAX, 0xc000000000000000, MINF, OF | NX)
    TEST_D2RM(fmul.d, rup, DMAX, 0xc000000000000000, 0xffefffffffffffff, OF | NX)
    /* dynamic rounding via frm */
    TEST_D2DYN(fdiv.d, 0, ONE, THREE, THIRD_RNE, NX)
    TEST_D2DYN(fdiv.d, 1, ONE, THREE, THIRD_RNE, NX)
    TEST_D2DYN(fdiv.d, 2, MONE, THREE, 0xbfd5555555555556, NX)
    TEST_D2DYN(fdiv.d, 3, ONE, THREE, THIRD_UP, NX)
    TEST_D2DYN(fadd.d, 4, ONE, HULP, 0x3ff0000000000001, NX)
    TEST_D2DYN(fadd.d, 0, ONE, HULP, ONE, NX)
    TEST_FD(THIRD_UP, NX, LD_D(fa1, ONE); LD_D(fa2, THREE); csrwi frm, 3; fdiv.d fa0, fa1, fa2, dyn; csrwi frm, 0)

    /* exception flags */
    TEST_D2(fdiv.d, ONE, PZERO, PINF, DZ)
    TEST_D2(fdiv.d, MONE, PZERO, MINF, DZ)
    TEST_D2(fdiv.d, PZERO, PZERO, CNAN, NV)
    TEST_D2(fadd.d, PINF, MINF, CNAN, NV)
    TEST_D2(fmul.d, PINF, PZERO, CNAN, NV)
    TEST_D2(fdiv.d, DMIN, THREE, 0x0005555555555555, UF | NX)
    TEST_D2(fmul.d, DMIN, HALF, 0x0008000000000000, 0)
    TEST_D2(fadd.d, PINF, ONE, PINF, 0)
    /* NaN handling: results are the canonical NaN; signalling inputs raise NV */
    TEST_D2(fadd.d, QNANP, ONE, CNAN, 0)
    TEST_D2(fadd.d, SNAN, ONE, CNAN, NV)
    TEST_D2(fmul.d, ONE, 0xfff8000000000000, CNAN, 0)

    /* fmin / fmax */
    TEST_D2(fmin.d, ONE, TWO, ONE, 0)
    TEST_D2(fmax.d, ONE, TWO, TWO, 0)
    TEST_D2(fmin.d, MZERO, PZERO, MZERO, 0)
    TEST_D2(fmin.d, PZERO, MZERO, MZERO, 0)
    TEST_D2(fmax.d, MZERO, PZERO, PZERO, 0)
    TEST_D2(fmax.d, PZERO, MZERO, PZERO, 0)
    TEST_D2(fmin.d, QNANP, ONE, ONE, 0)
    TEST_D2(fmax.d, ONE, QNANP, ONE, 0)
    TEST_D2(fmin.d, SNAN, ONE, ONE, NV)
    TEST_D2(fmax.d, QNANP, QNANP, CNAN, 0)
    TEST_D2(fmin.d, SNAN, QNANP, CNAN, NV)
    TEST_D2(fmin.d, MINF, PINF, MINF, 0)

    /* compares */
    TEST_DCMP(feq.d, ONE, ONE, 1, 0)
    TEST_DCMP(feq.d, PZERO, MZERO, 1, 0)
    TEST_DCMP(feq.d, QNANP, QNANP, 0, 0)
    TEST_DCMP(feq.d, SNAN, ONE, 0, NV)
    TEST_DCMP(flt.d, ONE, TWO, 1, 0)
    TEST_DCMP(flt.d, TWO, ONE, 0, 0)
    TEST_DCMP(flt.d, MZERO, PZERO, 0, 0)
    TEST_DCMP(flt.d, QNANP, ONE, 0, NV)
    TEST_DCMP(fle.d, ONE, ONE, 1, 0)
    TEST_DCMP(fle.d, MINF, MONE, 1, 0)
    TEST_DCMP(fle.d, ONE, QNANP, 0, NV)

    /* fclass: one of each of the ten classes */
    TEST_FX(1 << 0, 0, LD_D(fa1, MINF); fclass.d a0, fa1)
    TEST_FX(1 << 1, 0, LD_D(fa1, MONE); fclass.d a0, fa1)
    TEST_FX(1 << 2, 0, LD_D(fa1, 0x800fffffffffffff); fclass.d a0, fa1)
    TEST_FX(1 << 3, 0, LD_D(fa1, MZERO); fclass.d a0, fa1)
    TEST_FX(1 << 4, 0, LD_D(fa1, PZERO); fclass.d a0, fa1)
    TEST_FX(1 << 5, 0, LD_D(fa1, 1); fclass.d a0, fa1)
    TEST_FX(1 << 6, 0, LD_D(fa1, DMAX); fclass.d a0, fa1)
    TEST_FX(1 << 7, 0, LD_D(fa1, PINF); fclass.d a0, fa1)
    TEST_FX(1 << 8, 0, LD_D(fa1, SNAN); fclass.d a0, fa1)
    TEST_FX(1 << 9, 0, LD_D(fa1, QNANP); fclass.d a0, fa1)
    TEST_FX(1 << 9, 0, LD_D(fa1, 0xfff8000000000000); fclass.d a0, fa1)

    /* double -> integer, saturating, every rounding mode */
    TEST_D2I(fcvt.w.d, rne, 0x4004000000000000, 2, NX)
    TEST_D2I(fcvt.w.d, rmm, 0x4004000000000000, 3, NX)
    TEST_D2I(fcvt.w.d, rup, 0x4004000000000000, 3, NX)
    TEST_D2I(fcvt.w.d, rdn, 0xc004000000000000, -3, NX)
    TEST_D2I(fcvt.w.d, rtz, 0xc004000000000000, -2, NX)
    TEST_D2I(fcvt.w.d, rtz, 0x41dfffffffc00000, 0x7fffffff, 0)
    TEST_D2I(fcvt.w.d, rtz, 0x41e0000000000000, 0x7fffffff, NV)
    TEST_D2I(fcvt.w.d, rtz, 0xc1e0000000000000, 0xffffffff80000000, 0)
    TEST_D2I(fcvt.w.d, rtz, MINF, 0xffffffff80000000, NV)
    TEST_D2I(fcvt.w.d, rtz, QNANP, 0x7fffffff, NV)
    TEST_D2I(fcvt.wu.d, rtz, 0x41efffffffe00000, -1, 0)
    TEST_D2I(fcvt.wu.d, rtz, 0x41f0000000000000, -1, NV)
    TEST_D2I(fcvt.wu.d, rtz, MONE, 0, NV)
    TEST_D2I(fcvt.wu.d, rtz, 0xbfe0000000000000, 0, NX)
    TEST_D2I(fcvt.wu.d, rdn, 0xbfe0000000000000, 0, NV)
    TEST_D2I(fcvt.wu.d, rtz, 0x41e0000000000000, 0xffffffff80000000, 0)
    TEST_D2I(fcvt.l.d, rtz, 0x43e0000000000000, 0x7fffffffffffffff, NV)
    TEST_D2I(fcvt.l.d, rtz, 0xc3e0000000000000, 0x8000000000000000, 0)
    TEST_D2I(fcvt.l.d, rtz, 0x43dfffffffffffff, 0x7ffffffffffffc00, 0)
    TEST_D2I(fcvt.l.d, rtz, SNAN, 0x7fffffffffffffff, NV)
    TEST_D2I(fcvt.l.d, rmm, 0xc004000000000000, -3, NX)
    TEST_D2I(fcvt.lu.d, rtz, 0x43f0000000000000, -1, NV)
    TEST_D2I(fcvt.lu.d, rtz, 0x43efffffffffffff, 0xfffffffffffff800, 0)
    TEST_D2I(fcvt.lu.d, rtz, MINF, 0, NV)
    TEST_D2I(fcvt.lu.d, rup, 0x3fb999999999999a, 1, NX)
    TEST_FX(2, NX, LD_D(fa1, 0x4004000000000000); csrwi frm, 0; fcvt.l.d a0, fa1; csrwi frm, 0)
    TEST_FX(3, NX, LD_D(fa1, 0x4004000000000000); csrwi frm, 4; fcvt.l.d a0, fa1, dyn; csrwi frm, 0)

    /* integer -> double */
    TEST_FD(0xc1e0000000000000, 0, li a1, 0xffffffff80000000; fcvt.d.w fa0, a1)
    TEST_FD(0xbff0000000000000, 0, li a1, 0x12345678ffffffff; fcvt.d.w fa0, a1)
    TEST_FD(0x41efffffffe00000, 0, li a1, -1; fcvt.d.wu fa0, a1)
    TEST_FD(0xc3e0000000000000, 0, li a1, 0x8000000000000000; fcvt.d.l fa0, a1)
    TEST_FD(0x4340000000000000, NX, li a1, 0x20000000000001; fcvt.d.l fa0, a1)
    TEST_FD(0x4340000000000001, NX, li a1, 0x20000000000001; fcvt.d.l fa0, a1, rup)
    TEST_FD(0x43f0000000000000, NX, li a1, -1; fcvt.d.lu fa0, a1)
    TEST_FD(0x43efffffffffffff, NX, li a1, -1; fcvt.d.lu fa0, a1, rtz)
    TEST_FD(PZERO, 0, fcvt.d.lu fa0, zero)

    /* float <-> double */
    TEST_FD(0x3fd5555560000000, 0, LD_S(fa1, 0x3eaaaaab); fcvt.d.s fa0, fa1)
    TEST_FD(CNAN, NV, LD_S(fa1, 0x7f800001); fcvt.d.s fa0, fa1)
    TEST_FD(CNAN, 0, li t0, 0x3f800000; fmv.d.x fa1, t0; fcvt.d.s fa0, fa1)
    TEST_FD(0xffffffff3eaaaaab, NX, LD_D(fa1, THIRD_RNE); fcvt.s.d fa0, fa1)
    TEST_FD(0xffffffff3eaaaaaa, NX, LD_D(fa1, THIRD_RNE); fcvt.s.d fa0, fa1, rtz)
    TEST_FD(0xffffffff7f800000, OF | NX, LD_D(fa1, DMAX); fcvt.s.d fa0, fa1)
    TEST_FD(0xffffffff7fc00000, 0, LD_D(fa1, QNANP); fcvt.s.d fa0, fa1)

    /* moves and sign injection */
    TEST(a0, 0x123456789abcdef0, li a1, 0x123456789abcdef0; fmv.d.x fa0, a1; fmv.x.d a0, fa0)
    TEST_D2(fsgnj.d, ONE, MZERO, MONE, 0)
    TEST_D2(fsgnj.d, MONE, PZERO, ONE, 0)
    TEST_D2(fsgnjn.d, ONE, MZERO, ONE, 0)
    TEST_D2(fsgnjn.d, ONE, PZERO, MONE, 0)
    TEST_D2(fsgnjx.d, MONE, MONE, ONE, 0)
    TEST_D2(fsgnjx.d, MONE, ONE, MONE, 0)
    TEST_D2(fsgnj.d, SNAN, MONE, 0xfff0000000000001, 0)
    TEST_FD(ONE, 0, LD_D(fa1, MONE); fabs.d fa0, fa1)
    TEST_FD(MONE, 0, LD_D(fa1, ONE); fneg.d fa0, fa1)
    TEST_FD(ONE, 0, LD_D(fa1, ONE); fmv.d fa0, fa1)

    /* fused multiply-add family: one rounding */
    TEST_D3(fmadd.d, TENTH, TEN, MONE, 0x3c90000000000000, 0)
    TEST_D3(fmadd.d, TWO, THREE, ONE, 0x401c000000000000, 0)
    TEST_D3(fmsub.d, TWO, THREE, ONE, 0x4014000000000000, 0)
    TEST_D3(fnmsub.d, TWO, THREE, ONE, 0xc014000000000000, 0)
    TEST_D3(fnmadd.d, TWO, THREE, ONE, 0xc01c000000000000, 0)
    TEST_D3(fmadd.d, PINF, PZERO, QNANP, CNAN, NV)
    TEST_D3(fmadd.d, PINF, ONE, MINF, CNAN, NV)
    TEST_D3(fmadd.d, ONE, ONE, SNAN, CNAN, NV)
    TEST_D3(fnmadd.d, PZERO, ONE, PZERO, MZERO, 0)
    TEST_D3(fmsub.d, ONE, ONE, ONE, PZERO, 0)
    TEST_FD(MZERO, 0, LD_D(fa1, ONE); LD_D(fa2, ONE); LD_D(fa3, ONE); fmsub.d fa0, fa1, fa2, fa3, rdn)
    TEST_FD(0x3ff0000000000001, NX, LD_D(fa1, ONE); LD_D(fa2, ONE); LD_D(fa3, HULP); fmadd.d fa0, fa1, fa2, fa3, rmm)

    /* loads and stores, and single-precision values NaN-boxed in 64-bit registers */
    TEST(a0, 0x0123456789abcdef, lla a1, fdata; fld fa0, 0(a1); fsd fa0, 16(a1); ld a0, 16(a1))
    TEST(a0, 0xffffffff89abcdef, lla a1, fdata; flw fa0, 0(a1); fmv.x.d a0, fa0)
    TEST(a0, 0x1111111189abcdef, lla a1, fdata; li t0, 0x1111111111111111; sd t0, 24(a1); fld fa0, 0(a1); fsw fa0, 24(a1); ld a0, 24(a1))
    TEST(a0, 0xffffffff40400000, LD_S(fa1, 0x3f800000); LD_S(fa2, 0x40000000); fadd.s fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST(a0, 0xffffffff7fc00000, li t0, 0x000000003f800000; fmv.d.x fa1, t0; LD_S(fa2, 0x3f800000); fadd.s fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST(a0, 0xffffffffffc00000, li t0, 0xfffffffe3f800000; fmv.d.x fa1, t0; LD_S(fa2, 0xbf800000); fsgnj.s fa0, fa1, fa2; fmv.x.d a0, fa0)
    TEST(a0, 0x3f800000, li t0, 0x000000003f800000; fmv.d.x fa1, t0; fmv.x.w a0, fa1)
TEST_END

    .data
    .balign 16
fdata:
    .dword 0x0123456789abcdef
    .dword 0
    .dword 0
    .dword 0
