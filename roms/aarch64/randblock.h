/* randblock.h: what the random-instruction roms (randinsn, randfp, randsimd) share: the
 * xorshift generator (seeded with RNG_SEED), and run_block(code, regs), which loads a
 * register state, calls a generated block and stores the state back.
 *
 * With RANDBLOCK_FP defined, regs[0..15] are x0..x15, regs[16] NZCV, regs[17] FPSR,
 * regs[18] FPCR and regs[20..51] v0..v15 (two words each); without it, x0..x15 and NZCV. */
#include <stdint.h>

#ifndef RNG_SEED
#define RNG_SEED 0x9e3779b97f4a7c15ULL
#endif

static uint64_t rng_state = RNG_SEED;
static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dULL;
}
static uint32_t bits(int n) { return (uint32_t)rnd() & ((1u << n) - 1); }

#ifdef RANDBLOCK_FP
/* run_block(code, regs): regs[0..15] x0..x15, regs[16] NZCV, regs[17] FPSR, regs[18] FPCR,
 * regs[20..51] v0..v15 (two words each). */
void run_block(void *code, uint64_t *regs);
__asm__(".text\n"
        ".globl run_block\n"
        "run_block:\n"
        "    stp x29, x30, [sp, #-32]!\n"
        "    str x1, [sp, #16]\n"
        "    mov x16, x0\n"
        "    ldr x17, [x1, #128]\n"
        "    msr nzcv, x17\n"
        "    ldr x17, [x1, #136]\n"
        "    msr fpsr, x17\n"
        "    ldr x17, [x1, #144]\n"
        "    msr fpcr, x17\n"
        "    add x17, x1, #160\n"
        "    ldp q0, q1, [x17]\n"
        "    ldp q2, q3, [x17, #32]\n"
        "    ldp q4, q5, [x17, #64]\n"
        "    ldp q6, q7, [x17, #96]\n"
        "    ldp q8, q9, [x17, #128]\n"
        "    ldp q10, q11, [x17, #160]\n"
        "    ldp q12, q13, [x17, #192]\n"
        "    ldp q14, q15, [x17, #224]\n"
        "    ldp x2, x3, [x1, #16]\n"
        "    ldp x4, x5, [x1, #32]\n"
        "    ldp x6, x7, [x1, #48]\n"
        "    ldp x8, x9, [x1, #64]\n"
        "    ldp x10, x11, [x1, #80]\n"
        "    ldp x12, x13, [x1, #96]\n"
        "    ldp x14, x15, [x1, #112]\n"
        "    ldp x0, x1, [x1]\n"
        "    blr x16\n"
        "    ldr x16, [sp, #16]\n"
        "    mrs x17, nzcv\n"
        "    str x17, [x16, #128]\n"
        "    mrs x17, fpsr\n"
        "    str x17, [x16, #136]\n"
        "    msr fpcr, xzr\n"
        "    stp x0, x1, [x16]\n"
        "    stp x2, x3, [x16, #16]\n"
        "    stp x4, x5, [x16, #32]\n"
        "    stp x6, x7, [x16, #48]\n"
        "    stp x8, x9, [x16, #64]\n"
        "    stp x10, x11, [x16, #80]\n"
        "    stp x12, x13, [x16, #96]\n"
        "    stp x14, x15, [x16, #112]\n"
        "    add x17, x16, #160\n"
        "    stp q0, q1, [x17]\n"
        "    stp q2, q3, [x17, #32]\n"
        "    stp q4, q5, [x17, #64]\n"
        "    stp q6, q7, [x17, #96]\n"
        "    stp q8, q9, [x17, #128]\n"
        "    stp q10, q11, [x17, #160]\n"
        "    stp q12, q13, [x17, #192]\n"
        "    stp q14, q15, [x17, #224]\n"
        "    ldp x29, x30, [sp], #32\n"
        "    ret\n");
#else
/* run_block(code, regs): regs[0..15] are x0..x15 in and out, regs[16] is NZCV. */
void run_block(void *code, uint64_t *regs);
__asm__(".text\n"
        ".globl run_block\n"
        "run_block:\n"
        "    stp x29, x30, [sp, #-32]!\n"
        "    str x1, [sp, #16]\n"
        "    mov x16, x0\n"
        "    ldr x17, [x1, #128]\n"
        "    msr nzcv, x17\n"
        "    ldp x2, x3, [x1, #16]\n"
        "    ldp x4, x5, [x1, #32]\n"
        "    ldp x6, x7, [x1, #48]\n"
        "    ldp x8, x9, [x1, #64]\n"
        "    ldp x10, x11, [x1, #80]\n"
        "    ldp x12, x13, [x1, #96]\n"
        "    ldp x14, x15, [x1, #112]\n"
        "    ldp x0, x1, [x1]\n"
        "    blr x16\n"
        "    ldr x16, [sp, #16]\n"
        "    mrs x17, nzcv\n"
        "    str x17, [x16, #128]\n"
        "    stp x0, x1, [x16]\n"
        "    stp x2, x3, [x16, #16]\n"
        "    stp x4, x5, [x16, #32]\n"
        "    stp x6, x7, [x16, #48]\n"
        "    stp x8, x9, [x16, #64]\n"
        "    stp x10, x11, [x16, #80]\n"
        "    stp x12, x13, [x16, #96]\n"
        "    stp x14, x15, [x16, #112]\n"
        "    ldp x29, x30, [sp], #32\n"
        "    ret\n");
#endif
