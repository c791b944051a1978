/* Exclusives, acquire/release and LSE atomics: ldxr/stxr (success, and failure after
 * clrex or a different address), ldaxr/stlxr, pairs ldxp/stxp (64 and 128 bits),
 * ldar/stlr at each width, cas/casa/casal (hit and miss), casp/caspal (64 and 128 bits), ldadd/ldclr/ldeor/ldset/
 * ldsmax/ldsmin/ldumax/ldumin/swp at each width, the st<op> aliases, and ldapr. */
#include "test.h"
TEST_START
    adr x19, data
    li x1, 0x1122334455667788
    str x1, [x19]
    /* exclusive pair of instructions succeeds: status 0 and the store happened */
    TEST(x0, 0, ldxr x1, [x19]; add x1, x1, #1; stxr w0, x1, [x19])
    TEST(x0, 0x1122334455667789, ldr x0, [x19])
    TEST(x0, 0, ldaxr w1, [x19]; stlxr w0, w1, [x19])
    TEST(x0, 0, ldxrb w1, [x19]; stxrb w0, w1, [x19])
    TEST(x0, 0, ldxrh w1, [x19]; stxrh w0, w1, [x19])
    /* clrex and a store to another address fail with status 1 and store nothing */
    TEST(x0, 1, ldxr x1, [x19]; clrex; mov x1, #5; stxr w0, x1, [x19])
    TEST(x0, 0x1122334455667789, ldr x0, [x19])
    TEST(x0, 1, ldxr x1, [x19]; add x2, x19, #8; stxr w0, x1, [x2])
    TEST(x0, 1, mov x1, #0; stxr w0, x1, [x19])
    /* pairs */
    TEST(x0, 0, li x1, 0xaaaa; li x2, 0xbbbb; ldxp x3, x4, [x19]; stxp w0, x1, x2, [x19])
    TEST(x0, 0xbbbb, ldaxp x3, x0, [x19])
    TEST(x0, 0, ldxp w3, w4, [x19]; stlxp w0, w4, w3, [x19])
    TEST(x0, 0x0000aaaa00000000, ldr x0, [x19])
    /* acquire/release */
    TEST(x0, 0x1234, mov x1, #0x1234; stlr x1, [x19]; ldar x0, [x19])
    TEST(x0, 0x56, mov w1, #0x56; add x2, x19, #1; stlrb w1, [x2]; ldarb w0, [x2])
    TEST(x0, 0x5634, ldarh w0, [x19])
    TEST(x0, 0x5634, ldapr x0, [x19])
    /* cas: hit swaps and returns the old value; miss returns the current value */
    TEST(x0, 0x5634, mov x0, #0x5634; mov x1, #99; cas x0, x1, [x19])
    TEST(x0, 99, ldr x0, [x19])
    TEST(x0, 99, mov x0, #7; mov x1, #55; casa x0, x1, [x19])
    TEST(x0, 99, ldr x0, [x19])
    TEST(x0, 99, mov w0, #99; mov w1, #0x77; casalb w0, w1, [x19])
    TEST(x0, 0x77, ldrb w0, [x19])
    TEST(x0, 0x77, mov w0, #0x77; mov w1, #0x1234; caslh w0, w1, [x19])
    TEST(x0, 0x1234, ldrh w0, [x19])
    /* casp: the pair compares and swaps as one */
    li x1, 0x1111
    li x2, 0x2222
    stp x1, x2, [x19, #32]
    add x21, x19, #32
    TEST(x0, 0x1111, mov x4, #0x1111; mov x5, #0x2222; mov x6, #0x3333; mov x7, #0x4444; casp x4, x5, x6, x7, [x21]; mov x0, x4)
    TEST(x0, 0x4444, ldr x0, [x21, #8])
    TEST(x0, 0x4444, mov x4, #0x3333; mov x5, #0x9999; mov x6, #0; mov x7, #0; caspal x4, x5, x6, x7, [x21]; mov x0, x5)
    TEST(x0, 0x3333, ldr x0, [x21])
    TEST(x0, 0, mov w4, #0x3333; mov w5, #0; mov w6, #0x77; mov w7, #0x88; casp w4, w5, w6, w7, [x21]; mov x0, x5)
    TEST(x0, 0x0000008800000077, ldr x0, [x21])
    TEST(x0, 0x88, mov w4, #0x1; mov w5, #0x88; mov w6, #0; mov w7, #0; caspa w4, w5, w6, w7, [x21]; mov x0, x5)
    TEST(x0, 0x0000008800000077, ldr x0, [x21])
    /* LD<op>: rt gets the old value, memory gets op(old, rs) */
    li x1, 100
    str x1, [x19, #16]
    add x20, x19, #16
    TEST(x0, 100, mov x1, #5; ldadd x1, x0, [x20])
    TEST(x0, 105, ldr x0, [x20])
    TEST(x0, 105, mov x1, #1; ldclral x1, x0, [x20])
    TEST(x0, 104, ldr x0, [x20])
    TEST(x0, 104, mov x1, #0xff; ldeora x1, x0, [x20])
    TEST(x0, 0x97, ldr x0, [x20])
    TEST(x0, 0x97, mov x1, #0x100; ldsetl x1, x0, [x20])
    TEST(x0, 0x197, ldr x0, [x20])
    TEST(x0, 0x197, li x1, 0xffffffffffffffff; ldsmax x1, x0, [x20])
    TEST(x0, 0x197, ldr x0, [x20])
    TEST(x0, 0x197, li x1, 0xffffffffffffffff; ldsmin x1, x0, [x20])
    TEST(x0, 0xffffffffffffffff, ldr x0, [x20])
    TEST(x0, 0xffffffffffffffff, mov x1, #3; ldumin x1, x0, [x20])
    TEST(x0, 3, ldr x0, [x20])
    TEST(x0, 3, mov x1, #2; ldumax x1, x0, [x20])
    TEST(x0, 3, mov x1, #9; swpal x1, x0, [x20])
    TEST(x0, 9, ldr x0, [x20])
    /* narrower widths: signed min/max compare the element, results zero-extended */
    TEST(x0, 0x09, mov w1, #0x80; ldsmaxb w1, w0, [x20])
    TEST(x0, 0x09, ldrb w0, [x20])
    TEST(x0, 0x09, mov w1, #0x80; ldsminb w1, w0, [x20])
    TEST(x0, 0x80, ldrb w0, [x20])
    TEST(x0, 0x0080, mov w1, #0xffff; ldaddh w1, w0, [x20])
    TEST(x0, 0x007f, ldrh w0, [x20])
    TEST(x0, 0x7f, li x1, 0xffffffff; ldumaxa w1, w0, [x20])
    TEST(x0, 0xffffffff, ldr w0, [x20])
    TEST(x0, 0xffffffff, mov w1, #1; swp w1, w0, [x20])
    /* st<op> aliases discard the old value */
    TEST(x0, 3, mov w1, #2; stadd w1, [x20]; ldr w0, [x20])
    TEST(x0, 0xffffffff00000003, li x1, 0xffffffff00000000; stset x1, [x20]; ldr x0, [x20])
TEST_END
TEST_DATA(64)
