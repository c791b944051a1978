/* Zicsr and the user counters: fflags, frm and fcsr through every CSR instruction form
 * (csrrw csrrs csrrc csrrwi csrrsi csrrci and the pseudo forms), the fflags/frm views of
 * fcsr, and rdcycle/rdtime/rdinstret increasing. */
#include "test.h"

TEST_START
    TEST(a0, 0, fscsr zero; frcsr a0)
    /* csrrw returns the old value */
    TEST(a0, 0x00, li a1, 0x1f; csrrw a0, fflags, a1)
    TEST(a0, 0x1f, csrr a0, fflags)
    TEST(a0, 0x1f, csrr a0, fcsr)
    TEST(a0, 0x1f, li a1, 0x3; csrrw a0, fflags, a1)
    TEST(a0, 0x03, csrr a0, fflags)
    /* only the low five bits of fflags exist */
    TEST(a0, 0x1f, li a1, -1; csrw fflags, a1; csrr a0, fflags)
    /* csrrs / csrrc */
    TEST(a0, 0x1f, li a1, 0x10; csrrc a0, fflags, a1)
    TEST(a0, 0x0f, csrr a0, fflags)
    TEST(a0, 0x0f, li a1, 0x10; csrrs a0, fflags, a1)
    TEST(a0, 0x1f, csrr a0, fflags)
    TEST(a0, 0x1f, csrrs a0, fflags, zero)
    TEST(a0, 0x1f, csrrc a0, fflags, zero)
    /* immediate forms */
    TEST(a0, 0x1f, csrrwi a0, fflags, 0x5)
    TEST(a0, 0x05, csrrsi a0, fflags, 0x2)
    TEST(a0, 0x07, csrrci a0, fflags, 0x1)
    TEST(a0, 0x06, csrr a0, fflags)
    TEST(a0, 0x06, csrrsi a0, fflags, 0)
    TEST(a0, 0x0, csrwi fflags, 0; csrsi fflags, 0x18; csrci fflags, 0x8; csrs fflags, zero; csrc fflags, zero; csrr a0, fflags; addi a0, a0, -0x10)
    /* frm and its place in fcsr (bits 7:5) */
    TEST(a0, 0, csrw fcsr, zero; csrrwi a0, frm, 3)
    TEST(a0, 0x60, csrr a0, fcsr)
    TEST(a0, 3, csrr a0, frm)
    TEST(a0, 3, li a1, 4; fsrm a0, a1)
    TEST(a0, 4, frrm a0)
    TEST(a0, 0x81, csrsi fflags, 1; csrr a0, fcsr)
    TEST(a0, 0x81, li a1, 0x3e; fscsr a0, a1)
    TEST(a0, 1, frrm a0)
    TEST(a0, 0x1e, frflags a0)
    TEST(a0, 0x1e, li a1, 0x01; fsflags a0, a1)
    TEST(a0, 0x21, frcsr a0)
    TEST(a0, 0xff, li a1, -1; csrw fcsr, a1; csrr a0, fcsr)
    TEST(a0, 7, csrr a0, frm)
    TEST(a0, 0x1f, csrr a0, fflags)
    TEST(a0, 7, csrrci a0, frm, 7)
    TEST(a0, 0x1f, csrr a0, fcsr)
    TEST(a0, 0x1f, csrrci a0, fcsr, 0x1f)
    TEST(a0, 0, csrr a0, fcsr)
    /* floating-point ops accumulate flags (sticky) */
    TEST(a0, 0x09, li a1, 1; fcvt.d.l fa1, a1; fcvt.d.l fa2, zero; fdiv.d fa0, fa1, fa2; li a1, 3; fcvt.d.l fa2, a1; fdiv.d fa0, fa1, fa2; csrr a0, fflags)
    TEST(a0, 0x09, fadd.d fa0, fa1, fa1; csrr a0, fflags)
    csrw fcsr, zero
    /* counters */
    TEST(a0, 1, rdcycle a1; li t0, 100; 1: addi t0, t0, -1; bnez t0, 1b; rdcycle a2; sltu a0, a1, a2)
    TEST(a0, 1, rdinstret a1; li t0, 100; 1: addi t0, t0, -1; bnez t0, 1b; rdinstret a2; sub a2, a2, a1; sltiu a0, a2, 200; xori a0, a0, 1)
    TEST(a0, 1, rdtime a1; li t0, 200000; 1: addi t0, t0, -1; bnez t0, 1b; rdtime a2; sltu a0, a1, a2)
    TEST(a0, 1, csrr a1, cycle; csrr a2, instret; csrr a3, time; snez a1, a1; snez a2, a2; snez a3, a3; and a0, a1, a2; and a0, a0, a3)
TEST_END
