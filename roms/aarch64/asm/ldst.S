/* Loads and stores in every addressing mode: unsigned offset, unscaled, pre- and
 * post-index (with writeback checked), register offset with each extend and shift,
 * pc-relative literal, pairs (incl. ldpsw and SIMD&FP q/d/s pairs), sign extension at
 * every width, SIMD&FP single registers, and DC ZVA. x19 points at `data`. */
#include "test.h"
TEST_START
    adr x19, data
    li x1, 0x8877665544332211
    str x1, [x19]
    li x1, 0xffeeddccbbaa9988
    str x1, [x19, #8]
    /* unsigned offset, all widths and sign extensions */
    TEST(x0, 0x8877665544332211, ldr x0, [x19])
    TEST(x0, 0x44332211, ldr w0, [x19])
    TEST(x0, 0x88776655, ldr w0, [x19, #4])
    TEST(x0, 0x2211, ldrh w0, [x19])
    TEST(x0, 0x88, ldrb w0, [x19, #8])
    TEST(x0, 0xffffffffffffff88, ldrsb x0, [x19, #8])
    TEST(x0, 0x00000000ffffff88, ldrsb w0, [x19, #8])
    TEST(x0, 0xffffffffffff9988, ldrsh x0, [x19, #8])
    TEST(x0, 0x00000000ffff9988, ldrsh w0, [x19, #8])
    TEST(x0, 0xffffffffbbaa9988, ldrsw x0, [x19, #8])
    TEST(x0, 0x0000000044332211, ldrsw x0, [x19])
    /* unscaled and misaligned */
    TEST(x0, 0x9988887766554433, ldur x0, [x19, #2])
    TEST(x0, 0x8877665544332211, add x2, x19, #3; ldur x0, [x2, #-3])
    TEST(x0, 0xffffffffffffff99, ldursb x0, [x19, #9])
    /* pre-index: the address used is base + imm, written back */
    TEST(x0, 0xffeeddccbbaa9988, mov x2, x19; ldr x0, [x2, #8]!; sub x3, x2, x19; cmp x3, #8; b.ne fail)
    TEST(x0, 0x8877665544332211, add x2, x19, #16; ldr x0, [x2, #-16]!; cmp x2, x19; b.ne fail)
    /* post-index: the address used is the base, then base + imm written back */
    TEST(x0, 0x8877665544332211, mov x2, x19; ldr x0, [x2], #8; sub x3, x2, x19; cmp x3, #8; b.ne fail)
    TEST(x0, 0x2211, mov x2, x19; ldrh w0, [x2], #-2; add x3, x2, #2; cmp x3, x19; b.ne fail)
    /* stores */
    TEST(x0, 0x3322abcd, mov w1, #0xabcd; str xzr, [x19, #16]; strh w1, [x19, #16]; mov w1, #0x3322; strh w1, [x19, #18]; ldr x0, [x19, #16])
    TEST(x0, 0x00000000deadbeef, li x1, 0xdeadbeef; str xzr, [x19, #24]; str w1, [x19, #24]; ldr x0, [x19, #24])
    TEST(x0, 0x5a, mov w1, #0x5a; strb w1, [x19, #31]; ldrb w0, [x19, #31])
    TEST(x0, 0x1122, mov x2, x19; li x1, 0x1122; strh w1, [x2, #32]!; ldrh w0, [x19, #32]; sub x3, x2, x19; cmp x3, #32; b.ne fail)
    TEST(x0, 0x77, mov x2, x19; mov w1, #0x77; sturb w1, [x2, #33]; ldrb w0, [x19, #33])
    /* register offset: lsl, uxtw, sxtw, sxtx, with and without scaling */
    TEST(x0, 0xffeeddccbbaa9988, mov x2, #1; ldr x0, [x19, x2, lsl #3])
    TEST(x0, 0xffeeddccbbaa9988, mov x2, #8; ldr x0, [x19, x2])
    TEST(x0, 0x88776655, mov w2, #1; ldr w0, [x19, w2, uxtw #2])
    TEST(x0, 0x8877665544332211, add x3, x19, #8; mov w2, #-1; ldr x0, [x3, w2, sxtw #3])
    TEST(x0, 0x8877665544332211, add x3, x19, #8; li x2, 0xfffffffffffffff8; ldr x0, [x3, x2, sxtx])
    TEST(x0, 0x3322, add x3, x19, #1; mov w2, #0; ldrh w0, [x3, w2, uxtw])
    TEST(x0, 0x66, li x2, 0x100000005; ldrb w0, [x19, w2, uxtw])
    TEST(x0, 0xffffffffffffff88, mov x2, #8; ldrsb x0, [x19, x2, lsl #0])
    /* literal */
    TEST(x0, 0x0123456789abcdef, ldr x0, lit64)
    TEST(x0, 0xfffffffffedcba98, ldrsw x0, lit32)
    /* pairs */
    TEST(x0, 0xffeeddccbbaa9988, ldp x1, x0, [x19])
    TEST(x0, 0xffffffff88776655, ldpsw x1, x0, [x19])
    TEST(x0, 0x44332211, ldp w0, w1, [x19])
    TEST(x0, 0x8877665544332211, mov x2, x19; ldp x1, x3, [x2, #16]!; ldp x0, x3, [x2, #-16]; sub x4, x2, x19; cmp x4, #16; b.ne fail)
    TEST(x0, 0x1111, mov x2, x19; mov x1, #0x1111; mov x3, #0x2222; stp x1, x3, [x2], #48; ldr x0, [x19]; sub x4, x2, x19; cmp x4, #48; b.ne fail)
    TEST(x0, 0x2222, ldr x0, [x19, #8])
    TEST(x0, 0x4444, mov w1, #0x3333; mov w3, #0x4444; stp w1, w3, [x19, #64]; ldr w0, [x19, #68])
    TEST(x0, 0x5555, mov x1, #0x5555; mov x3, #0x6666; stnp x1, x3, [x19, #80]; ldnp x0, x3, [x19, #80])
    /* SIMD&FP registers: b/h/s/d/q single, and s/d/q pairs (as memcpy uses them) */
    li x1, 0x0706050403020100
    str x1, [x19, #128]
    li x1, 0x0f0e0d0c0b0a0908
    str x1, [x19, #136]
    TEST(x0, 0x0706050403020100, ldr q0, [x19, #128]; fmov x0, d0)
    TEST(x0, 0x0f0e0d0c0b0a0908, ldr q0, [x19, #128]; mov x0, v0.d[1])
    TEST(x0, 0x03020100, ldr s1, [x19, #128]; fmov w0, s1)
    TEST(x0, 0, ldr q1, [x19, #128]; ldr d1, [x19, #128]; mov x0, v1.d[1])
    TEST(x0, 0x0504, ldr h2, [x19, #132]; umov w0, v2.h[0])
    TEST(x0, 0x09, ldr b3, [x19, #137]; umov w0, v3.b[0])
    TEST(x0, 0x0f0e0d0c0b0a0908, ldp q4, q5, [x19, #128]; stp q4, q4, [x19, #160]; ldr x0, [x19, #168])
    TEST(x0, 0x0f0e0d0c0b0a0908, ldp d4, d5, [x19, #128]; stp d5, d4, [x19, #192]; ldr x0, [x19, #192])
    TEST(x0, 0x0b0a0908, ldp s4, s5, [x19, #132]; stp s5, s4, [x19, #200]; ldr w0, [x19, #200])
    TEST(x0, 0x0706050403020100, add x2, x19, #128; ldr q6, [x2], #16; str q6, [x19, #208]; ldr x0, [x19, #208]; sub x3, x2, x19; cmp x3, #144; b.ne fail)
    TEST(x0, 0x0f0e0d0c0b0a0908, add x2, x19, #240; ldr q6, [x19, #128]; str q6, [x2, #-16]!; ldr x0, [x19, #232])
    TEST(x0, 0x0302010000000000, stur s6, [x19, #244]; ldr x0, [x19, #240])
    /* DC ZVA zeroes the whole block (size from DCZID_EL0) holding the address, nothing else */
    mrs x1, dczid_el0
    and x1, x1, #0xf
    mov x5, #4
    lsl x5, x5, x1
    add x2, x19, #2048
    neg x6, x5
    and x2, x2, x6
    mov x7, #-1
    str x7, [x2]
    sub x8, x5, #8
    str x7, [x2, x8]
    str x7, [x2, x5]
    str x7, [x2, #-8]
    add x3, x2, #12
    TEST(x0, 0, dc zva, x3; ldr x0, [x2])
    TEST(x0, 0, ldr x0, [x2, x8])
    TEST(x0, 0xffffffffffffffff, ldr x0, [x2, x5])
    TEST(x0, 0xffffffffffffffff, ldr x0, [x2, #-8])
TEST_END
    .section .rodata
    .balign 8
lit64: .quad 0x0123456789abcdef
lit32: .word 0xfedcba98
TEST_DATA(4096)
