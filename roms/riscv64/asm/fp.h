/* Floating-point helpers shared by rv64f.S and rv64d.S (on top of test.h).
 * fflags bits: NV 0x10, DZ 0x08, OF 0x04, UF 0x02, NX 0x01. */
#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01

#define LD_D(freg, bits) li t0, bits; fmv.d.x freg, t0
#define LD_S(freg, bits) li t0, bits; fmv.w.x freg, t0

/* Run the code with fflags cleared; a0 = the 64 bits of fa0, a5 = fflags afterwards. */
#define TEST_FD(res, flags, ...) \
    TEST(a0, res, csrw fflags, zero; __VA_ARGS__; csrr a5, fflags; fmv.x.d a0, fa0); CHECK(a5, flags)
/* Same, a0 = the low 32 bits of fa0, zero-extended. */
#define TEST_FS(res, flags, ...) \
    TEST(a0, res, csrw fflags, zero; __VA_ARGS__; csrr a5, fflags; fmv.x.w a0, fa0; slli a0, a0, 32; srli a0, a0, 32); CHECK(a5, flags)
/* Result in integer register a0 (compares, classify, conversions to integer). */
#define TEST_FX(res, flags, ...) \
    TEST(a0, res, csrw fflags, zero; __VA_ARGS__; csrr a5, fflags); CHECK(a5, flags)

/* Binary ops with an explicit rounding-mode operand or none. */
#define TEST_D2(insn, x, y, res, flags) TEST_FD(res, flags, LD_D(fa1, x); LD_D(fa2, y); insn fa0, fa1, fa2)
#define TEST_D2RM(insn, rm, x, y, res, flags) TEST_FD(res, flags, LD_D(fa1, x); LD_D(fa2, y); insn fa0, fa1, fa2, rm)
#define TEST_D3(insn, x, y, z, res, flags) TEST_FD(res, flags, LD_D(fa1, x); LD_D(fa2, y); LD_D(fa3, z); insn fa0, fa1, fa2, fa3)
#define TEST_S2(insn, x, y, res, flags) TEST_FS(res, flags, LD_S(fa1, x); LD_S(fa2, y); insn fa0, fa1, fa2)
#define TEST_S2RM(insn, rm, x, y, res, flags) TEST_FS(res, flags, LD_S(fa1, x); LD_S(fa2, y); insn fa0, fa1, fa2, rm)
#define TEST_S3(insn, x, y, z, res, flags) TEST_FS(res, flags, LD_S(fa1, x); LD_S(fa2, y); LD_S(fa3, z); insn fa0, fa1, fa2, fa3)
/* Dynamic rounding: frm set to `mode`, instruction uses rm=dyn. */
#define TEST_D2DYN(insn, mode, x, y, res, flags) TEST_FD(res, flags, LD_D(fa1, x); LD_D(fa2, y); csrwi frm, mode; insn fa0, fa1, fa2; csrwi frm, 0)
#define TEST_S2DYN(insn, mode, x, y, res, flags) TEST_FS(res, flags, LD_S(fa1, x); LD_S(fa2, y); csrwi frm, mode; insn fa0, fa1, fa2; csrwi frm, 0)
/* Float to integer: a0 = insn(fa1 = x) with rounding mode rm. */
#define TEST_D2I(insn, rm, x, res, flags) TEST_FX(res, flags, LD_D(fa1, x); insn a0, fa1, rm)
#define TEST_S2I(insn, rm, x, res, flags) TEST_FX(res, flags, LD_S(fa1, x); insn a0, fa1, rm)
/* Compare: a0 = insn(fa1 = x, fa2 = y). */
#define TEST_DCMP(insn, x, y, res, flags) TEST_FX(res, flags, LD_D(fa1, x); LD_D(fa2, y); insn a0, fa1, fa2)
#define TEST_SCMP(insn, x, y, res, flags) TEST_FX(res, flags, LD_S(fa1, x); LD_S(fa2, y); insn a0, fa1, fa2)
