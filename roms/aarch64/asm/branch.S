/* Branches: b, bl (link register), br, blr, ret (to x30 and to another register),
 * b.cond taken and not taken for signed and unsigned conditions, cbz/cbnz on 32-bit views
 * of 64-bit values, tbz/tbnz on low and high bits, backward branches in a loop, and a
 * pc-relative jump table. */
#include "test.h"
TEST_START
    TEST(x0, 1, mov x0, #0; b 1f; mov x0, #2; 1: add x0, x0, #1)
    TEST(x0, 0, adr x1, 2f; bl 1f; 2: b 3f; 1: sub x0, x30, x1; ret; 3:)
    TEST(x0, 7, adr x1, 1f; mov x0, #0; br x1; mov x0, #9; 1: add x0, x0, #7)
    TEST(x0, 5, adr x1, 1f; adr x3, 2f; mov x0, #0; blr x1; 2: b 3f; 1: sub x4, x30, x3; cbnz x4, fail; mov x0, #5; ret; 3:)
    TEST(x0, 6, adr x1, 2f; adr x9, 1f; mov x0, #0; mov x30, #0; br x9; 1: mov x0, #6; ret x1; mov x0, #1; 2:)
    /* b.cond */
    TEST(x0, 1, mov x0, #0; mov x1, #-1; cmp x1, #1; b.lt 1f; b fail; 1: mov x0, #1)
    TEST(x0, 1, mov x0, #0; mov x1, #-1; cmp x1, #1; b.hi 1f; b fail; 1: mov x0, #1)
    TEST(x0, 1, mov x0, #1; mov x1, #3; cmp x1, #3; b.ne fail; b.gt fail; b.lo fail)
    TEST(x0, 1, mov x0, #1; mov x1, #3; cmp x1, #3; b.le 1f; b fail; 1: b.ge 2f; b fail; 2: b.hs 3f; b fail; 3: b.ls 4f; b fail; 4: b.pl 5f; b fail; 5: b.vc 6f; b fail; 6:)
    TEST(x0, 1, mov x0, #1; li x1, 0x7fffffffffffffff; adds x1, x1, #1; b.vs 1f; b fail; 1: b.mi 2f; b fail; 2: b.al 3f; b fail; 3:)
    /* cbz/cbnz look at 32 bits for w registers */
    TEST(x0, 1, mov x0, #0; li x1, 0x100000000; cbz w1, 1f; b fail; 1: cbnz x1, 2f; b fail; 2: mov x0, #1)
    TEST(x0, 1, mov x0, #1; li x1, 0x100000000; cbz x1, fail; cbnz w1, fail)
    /* tbz/tbnz */
    TEST(x0, 1, mov x0, #0; li x1, 0x8000000000000000; tbnz x1, #63, 1f; b fail; 1: tbz x1, #0, 2f; b fail; 2: mov x0, #1)
    TEST(x0, 1, mov x0, #1; li x1, 0x20; tbz w1, #5, fail; tbnz w1, #4, fail)
    /* a counted loop: sum 1..100 */
    TEST(x0, 5050, mov x0, #0; mov x1, #100; 1: add x0, x0, x1; subs x1, x1, #1; b.ne 1b)
    /* jump table */
    TEST(x0, 30, mov x2, #2; adr x1, 1f; ldr w3, [x1, x2, lsl #2]; add x1, x1, w3, sxtw; br x1; 1: .word 2f - 1b, 3f - 1b, 4f - 1b; 2: mov x0, #10; b 5f; 3: mov x0, #20; b 5f; 4: mov x0, #30; 5:)
TEST_END
