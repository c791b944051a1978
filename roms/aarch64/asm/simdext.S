/* Instructions added after the first AdvSIMD cut, with known answers: CRC32/CRC32C (the
 * standard check values of "123456789"), the saturating and rounding shift-right-narrow
 * family with FPSR.QC, multiply (integer and FP) by element, and LD2/ST2/LD3/LD4
 * (multiple structures), and the RCpc unscaled LDAPUR/STLUR family. */
#include "test.h"
    .arch armv8.4-a

TEST_START
    adr x19, data
    /* CRC32: init ~0, final inversion, over "123456789" in different chunk sizes */
    TEST(x0, 0xcbf43926, mov w0, #-1; li x1, 0x3837363534333231; crc32x w0, w0, x1; mov w1, #0x39; crc32b w0, w0, w1; mvn w0, w0)
    TEST(x0, 0xcbf43926, mov w0, #-1; li x1, 0x3231; crc32h w0, w0, w1; li x1, 0x36353433; crc32w w0, w0, w1; li x1, 0x3837; crc32h w0, w0, w1; mov w1, #0x39; crc32b w0, w0, w1; mvn w0, w0)
    TEST(x0, 0xe3069283, mov w0, #-1; li x1, 0x34333231; crc32cw w0, w0, w1; li x1, 0x38373635; crc32cw w0, w0, w1; mov w1, #0x39; crc32cb w0, w0, w1; mvn w0, w0)
    TEST(x0, 0xe3069283, mov w0, #-1; li x1, 0x3837363534333231; crc32cx w0, w0, x1; mov w1, #0x39; crc32cb w0, w0, w1; mvn w0, w0)
    TEST(x0, 0, mov w0, #0; crc32cx w0, w0, xzr)
    /* shift right narrow, saturating: source .8h = 7fff 8000 0100 ff00 0010 fff0 0400 0002 */
    TEST(x0, 0x007ffc04c040807f, ldq 1, 0xff00010080007fff, 0x00020400fff00010; sqshrn v0.8b, v1.8h, #2; mov x0, v0.d[0])
    TEST(x0, 0x00ffff04ff40ffff, ldq 1, 0xff00010080007fff, 0x00020400fff00010; uqshrn v0.8b, v1.8h, #2; mov x0, v0.d[0])
    TEST(x0, 0x007ffe02e020807f, ldq 1, 0xff00010080007fff, 0x00020400fff00010; sqrshrn v0.8b, v1.8h, #3; mov x0, v0.d[0])
    TEST(x0, 0x0080ff02ff20ffff, ldq 1, 0xff00010080007fff, 0x00020400fff00010; uqrshrn v0.8b, v1.8h, #3; mov x0, v0.d[0])
    TEST(x0, 0x00400001001000ff, ldq 1, 0xff00010080007fff, 0x00020400fff00010; sqshrun v0.8b, v1.8h, #4; mov x0, v0.d[0])
    TEST(x0, 0x01ff0008008000ff, ldq 1, 0xff00010080007fff, 0x00020400fff00010; sqrshrun v0.8b, v1.8h, #1; mov x0, v0.d[0])
    /* the upper half of the destination is zeroed; the `2` forms keep the lower half */
    TEST(x0, 0, ldq 0, -1, -1; ldq 1, 0xff00010080007fff, 0x00020400fff00010; sqshrn v0.8b, v1.8h, #2; mov x0, v0.d[1])
    TEST(x0, 0x0000f80012347fff, ldq 0, 0x1111, 0x2222; ldq 1, 0x000123457fffffff, 0x00000007ffff8000; sqrshrn2 v0.8h, v1.4s, #4; mov x0, v0.d[1])
    TEST(x0, 0x1111, ldq 0, 0x1111, 0x2222; ldq 1, 0x000123457fffffff, 0x00000007ffff8000; sqrshrn2 v0.8h, v1.4s, #4; mov x0, v0.d[0])
    TEST(x0, 0x0003ffff91a2ffff, ldq 1, 0x000123457fffffff, 0x00000007ffff8000; uqshrn v0.4h, v1.4s, #1; mov x0, v0.d[0])
    /* FPSR.QC (bit 27): set by saturation, untouched otherwise */
    TEST(x0, 0x08000000, msr fpsr, xzr; ldq 1, 0x7fff, 0; sqshrn v0.8b, v1.8h, #1; mrs x0, fpsr)
    TEST(x0, 0, msr fpsr, xzr; ldq 1, 0x00ff, 0; sqshrn v0.8b, v1.8h, #1; mrs x0, fpsr)
    TEST(x0, 0x08000000, msr fpsr, xzr; ldq 1, 0x8000, 0; sqshrun v0.8b, v1.8h, #8; mrs x0, fpsr)
    /* saturating extract narrow, with QC */
    TEST(x0, 0x027ff010807f807f, ldq 1, 0xff00010080007fff, 0x00020400fff00010; sqxtn v0.8b, v1.8h; mov x0, v0.d[0])
    TEST(x0, 0x02ffff10ffffffff, ldq 1, 0xff00010080007fff, 0x00020400fff00010; uqxtn v0.8b, v1.8h; mov x0, v0.d[0])
    TEST(x0, 0x02ff001000ff00ff, ldq 1, 0xff00010080007fff, 0x00020400fff00010; sqxtun v0.8b, v1.8h; mov x0, v0.d[0])
    TEST(x0, 0x7fff0000ffff8000, ldq 0, 0x5555, 0; ldq 1, 0xffffffff80000000, 0x7fffffff00000000; sqxtn2 v0.8h, v1.4s; mov x0, v0.d[1])
    TEST(x0, 0x08000000, msr fpsr, xzr; ldq 1, 0x0100, 0; uqxtn v0.8b, v1.8h; mrs x0, fpsr)
    TEST(x0, 0, msr fpsr, xzr; ldq 1, 0x00ff, 0; uqxtn v0.8b, v1.8h; mrs x0, fpsr)
    /* saturating add/sub set QC only when they saturate */
    TEST(x0, 0x000000000001807f, ldq 1, 0x000000000000807f, 0; ldq 2, 0x000000000001ff01, 0; sqadd v0.16b, v1.16b, v2.16b; mov x0, v0.d[0])
    TEST(x0, 0x08000000, msr fpsr, xzr; ldq 1, 0x7f, 0; ldq 2, 0x01, 0; sqadd v0.16b, v1.16b, v2.16b; mrs x0, fpsr)
    TEST(x0, 0, msr fpsr, xzr; ldq 1, 0x7e, 0; ldq 2, 0x01, 0; sqadd v0.16b, v1.16b, v2.16b; mrs x0, fpsr)
    TEST(x0, 0x08000000, msr fpsr, xzr; ldq 1, 0, 0x1; ldq 2, 0, 0x2; uqsub v0.2d, v1.2d, v2.2d; mrs x0, fpsr)
    TEST(x0, 0x08000000, msr fpsr, xzr; ldq 1, 0xffff, 0; ldq 2, 0x0001, 0; uqadd v0.8h, v1.8h, v2.8h; mrs x0, fpsr)
    TEST(x0, 0x08000000, msr fpsr, xzr; ldq 1, 0x80000000, 0; ldq 2, 0x1, 0; sqsub v0.4s, v1.4s, v2.4s; mrs x0, fpsr)
    /* rounding shift right (and accumulate) */
    TEST(x0, 0xfffffffe00000002, ldq 1, 0xfffffff30000000d, 0xfffffffc7fffffff; srshr v0.4s, v1.4s, #3; mov x0, v0.d[0])
    TEST(x0, 0x0000000010000000, ldq 1, 0xfffffff30000000d, 0xfffffffc7fffffff; srshr v0.4s, v1.4s, #3; mov x0, v0.d[1])
    TEST(x0, 0x02010180, ldq 1, 0x030201ff, 0; urshr v0.16b, v1.16b, #1; mov x0, v0.d[0])
    TEST(x0, 6, ldq 1, 0x8000000000000000, 0; ldq 0, 5, 0; ursra v0.2d, v1.2d, #64; mov x0, v0.d[0])
    TEST(x0, 0x00660063, ldq 1, 0x0006fffa, 0; ldq 0, 0x00640064, 0; srsra v0.4h, v1.4h, #2; mov x0, v0.d[0])
    /* saturating shift left by immediate */
    TEST(x0, 0x0878807f, ldq 1, 0x010ff010, 0; sqshl v0.8b, v1.8b, #3; mov x0, v0.d[0])
    TEST(x0, 0xfffffff8ffffffff, ldq 1, 0x1fffffff20000000, 0; uqshl v0.4s, v1.4s, #3; mov x0, v0.d[0])
    TEST(x0, 0x8000000000000000, ldq 1, 0x10000000ffffffff, 0; sqshlu v0.4s, v1.4s, #3; mov x0, v0.d[0])
    TEST(x0, 0x08000000, msr fpsr, xzr; ldq 1, 0x10000000ffffffff, 0; sqshlu v0.4s, v1.4s, #3; mrs x0, fpsr)
    TEST(x0, 0, msr fpsr, xzr; ldq 1, 0x0f, 0; sqshl v0.16b, v1.16b, #3; mrs x0, fpsr)
    msr fpsr, xzr
    /* integer multiply by element: .4s a = 3, -1, 100000, 7; b = 11, 13, 0x10000, 5 */
    TEST(x0, 0xffff000000030000, ldq 1, 0xffffffff00000003, 0x00000007000186a0; ldq 2, 0x0000000d0000000b, 0x0000000500010000; mul v0.4s, v1.4s, v2.s[2]; mov x0, v0.d[0])
    TEST(x0, 0x0007000086a00000, ldq 1, 0xffffffff00000003, 0x00000007000186a0; ldq 2, 0x0000000d0000000b, 0x0000000500010000; mul v0.4s, v1.4s, v2.s[2]; mov x0, v0.d[1])
    TEST(x0, 0xfffffff500000028, ldq 0, 0x0000000200000001, 0x0000000400000003; ldq 1, 0xffffffff00000003, 0x00000007000186a0; ldq 2, 0x0000000d0000000b, 0x0000000500010000; mla v0.4s, v1.4s, v2.s[1]; mov x0, v0.d[0])
    TEST(x0, 0x0000005f0013d623, ldq 0, 0x0000000200000001, 0x0000000400000003; ldq 1, 0xffffffff00000003, 0x00000007000186a0; ldq 2, 0x0000000d0000000b, 0x0000000500010000; mla v0.4s, v1.4s, v2.s[1]; mov x0, v0.d[1])
    /* mls by h[7] with the element register v15 (the h form only reaches v0-v15) */
    TEST(x0, 0x123ec96edba2edd6, ldq 0, 0x000a000a000a000a, 0x000a000a000a000a; ldq 1, 0xffff000300020001, 0x0008000700060005; ldq 15, 0, 0x1234000000000000; mls v0.8h, v1.8h, v15.h[7]; mov x0, v0.d[0])
    TEST(x0, 0x6e6a809e92d2a506, ldq 0, 0x000a000a000a000a, 0x000a000a000a000a; ldq 1, 0xffff000300020001, 0x0008000700060005; ldq 15, 0, 0x1234000000000000; mls v0.8h, v1.8h, v15.h[7]; mov x0, v0.d[1])
    /* the 64-bit form zeroes the upper half */
    TEST(x0, 0, ldq 0, -1, -1; ldq 1, 0x0000000200000001, 0; ldq 2, 0x3, 0; mul v0.2s, v1.2s, v2.s[0]; mov x0, v0.d[1])
    TEST(x0, 0x0000000600000003, ldq 1, 0x0000000200000001, 0; ldq 2, 0x3, 0; mul v0.2s, v1.2s, v2.s[0]; mov x0, v0.d[0])
    /* widening multiply by element */
    TEST(x0, 0x00018000ffff0000, ldq 1, 0xffff03e8fffd0002, 0; ldq 2, 0x80000000, 0; smull v0.4s, v1.4h, v2.h[1]; mov x0, v0.d[0])
    TEST(x0, 0x00008000fe0c0000, ldq 1, 0xffff03e8fffd0002, 0; ldq 2, 0x80000000, 0; smull v0.4s, v1.4h, v2.h[1]; mov x0, v0.d[1])
    TEST(x0, 0xfffffffe00000001, ldq 1, 0, 0x00000002ffffffff; ldq 2, 0, 0xffffffff00000000; umull2 v0.2d, v1.4s, v2.s[3]; mov x0, v0.d[0])
    TEST(x0, 0x00000001fffffffe, ldq 1, 0, 0x00000002ffffffff; ldq 2, 0, 0xffffffff00000000; umull2 v0.2d, v1.4s, v2.s[3]; mov x0, v0.d[1])
    TEST(x0, 0xfffe800000010000, movi v0.16b, #0; ldq 1, 0xffff03e8fffd0002, 0; ldq 2, 0x80000000, 0; smlsl v0.4s, v1.4h, v2.h[1]; mov x0, v0.d[0])
    TEST(x0, 0x7ffe800100010001, ldq 0, 0x0000000100000001, 0x0000000100000001; ldq 1, 0xffff03e8fffd0002, 0; ldq 2, 0x80000000, 0; umlal v0.4s, v1.4h, v2.h[1]; mov x0, v0.d[0])
    /* FP by element: [1.5, -2, 3, 0.25] * 4.0 = [6, -8, 12, 1] */
    TEST(x0, 0xc100000040c00000, ldq 1, 0xc00000003fc00000, 0x3e80000040400000; ldq 2, 0, 0x4080000000000000; fmul v0.4s, v1.4s, v2.s[3]; mov x0, v0.d[0])
    TEST(x0, 0x3f80000041400000, ldq 1, 0xc00000003fc00000, 0x3e80000040400000; ldq 2, 0, 0x4080000000000000; fmul v0.4s, v1.4s, v2.s[3]; mov x0, v0.d[1])
    /* fmla .2d: [1, 2] + [3, -0.5] * 10 = [31, -3] */
    TEST(x0, 0x403f000000000000, fmov d0, #1.0; fmov d3, #2.0; mov v0.d[1], v3.d[0]; fmov d1, #3.0; fmov d3, #-0.5; mov v1.d[1], v3.d[0]; fmov d3, #10.0; dup v2.2d, v3.d[0]; fmla v0.2d, v1.2d, v2.d[1]; mov x0, v0.d[0])
    TEST(x0, 0xc008000000000000, fmov d0, #1.0; fmov d3, #2.0; mov v0.d[1], v3.d[0]; fmov d1, #3.0; fmov d3, #-0.5; mov v1.d[1], v3.d[0]; fmov d3, #10.0; dup v2.2d, v3.d[0]; fmla v0.2d, v1.2d, v2.d[1]; mov x0, v0.d[1])
    /* fmls .2s: [1, 1] - [2, 3] * 0.5 = [0, -0.5] */
    TEST(x0, 0xbf00000000000000, fmov v0.2s, #1.0; ldq 1, 0x4040000040000000, 0; ldq 2, 0x3f00000000000000, 0; fmls v0.2s, v1.2s, v2.s[1]; mov x0, v0.d[0])
    /* LD2/ST2/LD3/LD4 (multiple structures) on bytes 0, 1, 2, ... 63 */
    TEST(x0, 0x0e0c0a0806040200, ld2 {v0.16b, v1.16b}, [x19]; mov x0, v0.d[0])
    TEST(x0, 0x1f1d1b1917151311, ld2 {v0.16b, v1.16b}, [x19]; mov x0, v1.d[1])
    TEST(x0, 0x15140f0e09080302, ld3 {v0.8h, v1.8h, v2.8h}, [x19]; mov x0, v1.d[0])
    TEST(x0, 0x1f1b17130f0b0703, ld4 {v0.8b, v1.8b, v2.8b, v3.8b}, [x19]; mov x0, v3.d[0])
    TEST(x0, 0x0706050403020100, add x3, x19, #64; ld2 {v0.4s, v1.4s}, [x19]; st2 {v0.4s, v1.4s}, [x3]; ldr x0, [x3])
    TEST(x0, 0x1f1e1d1c1b1a1918, add x3, x19, #64; ld2 {v0.4s, v1.4s}, [x19]; st2 {v0.4s, v1.4s}, [x3]; ldr x0, [x3, #24])
    /* post-index by the immediate (the structure size) */
    TEST(x0, 48, mov x3, x19; ld3 {v0.16b, v1.16b, v2.16b}, [x3], #48; sub x0, x3, x19)
    /* LD2-4/ST2-4 (single structure) and LD2R-LD4R */
    TEST(x0, 0x0706050400000000, movi v0.16b, #0; movi v1.16b, #0; ld2 {v0.s, v1.s}[1], [x19]; mov x0, v1.d[0])
    TEST(x0, 0x03020100ffffffff, movi v0.16b, #0xff; movi v1.16b, #0; ld2 {v0.s, v1.s}[1], [x19]; mov x0, v0.d[0])
    TEST(x0, 0x0504050405040504, ld3r {v0.8h, v1.8h, v2.8h}, [x19]; mov x0, v2.d[1])
    TEST(x0, 0x1f1e1d1c1b1a1918, ld4r {v4.2d, v5.2d, v6.2d, v7.2d}, [x19]; mov x0, v7.d[1])
    TEST(x0, 0, ld4r {v4.8b, v5.8b, v6.8b, v7.8b}, [x19]; mov x0, v7.d[1])
    TEST(x0, 0x030201, movi v0.16b, #1; movi v1.16b, #2; movi v2.16b, #3; add x3, x19, #64; str xzr, [x3]; st3 {v0.b, v1.b, v2.b}[5], [x3]; ldr x0, [x3])
    TEST(x0, 0x0706, mov x3, x19; ld4 {v0.h, v1.h, v2.h, v3.h}[2], [x3], #8; umov w0, v3.h[2])
    TEST(x0, 8, mov x3, x19; ld4 {v0.h, v1.h, v2.h, v3.h}[2], [x3], #8; sub x0, x3, x19)
    TEST(x0, 5, mov x3, x19; mov x4, #5; ld2r {v0.16b, v1.16b}, [x3], x4; sub x0, x3, x19)
    TEST(x0, 1, mov x3, x19; mov x4, #5; ld2r {v0.16b, v1.16b}, [x3], x4; umov w0, v1.b[15])
    TEST(x0, 0x1f1e1d1c1b1a1918, add x3, x19, #16; ld2 {v31.d, v0.d}[1], [x3]; mov x0, v0.d[1])
    TEST(x0, 0x1716151413121110, add x3, x19, #16; ld2 {v31.d, v0.d}[1], [x3]; mov x0, v31.d[1])
    /* LDAPUR, LDAPURS{B,H,W} and STLUR (unscaled signed offset) */
    TEST(x0, 0x0706050403020100, add x3, x19, #8; ldapur x0, [x3, #-8])
    TEST(x0, 0x0b0a0908, add x3, x19, #1; ldapur w0, [x3, #7])
    TEST(x0, 0xffffffffffffff80, add x3, x19, #64; mov w1, #0x80; stlurb w1, [x3, #3]; ldapursb x0, [x3, #3])
    TEST(x0, 0xffff8000, add x3, x19, #64; mov w1, #0x8000; stlurh w1, [x3, #-2]; ldapursh w0, [x3, #-2])
    TEST(x0, 0xfffffffffedcba98, add x3, x19, #64; li x1, 0x12345678fedcba98; stlur w1, [x3, #16]; ldapursw x0, [x3, #16])
    TEST(x0, 0x12345678fedcba98, add x3, x19, #64; li x1, 0x12345678fedcba98; stlur x1, [x3, #24]; ldr x0, [x3, #24])
TEST_END

    .data
    .balign 16
data:
    .byte  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15
    .byte 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    .byte 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47
    .byte 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63
    .space 64
