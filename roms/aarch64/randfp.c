/* randfp: random A64 scalar floating-point instructions, run and compared by hash (the
 * floating-point counterpart of randinsn).
 *
 * Blocks of 8 random instructions from the scalar FP groups (1-source incl. fsqrt, fcvt
 * and frint*, 2-source, fused multiply-add, fcmp/fcmpe, fccmp, fcsel, fmov immediate and
 * general, scvtf/ucvtf, fcvt[npmza][su]) on s/d registers v0..v15 and x0..x15, starting
 * from random values biased towards zeros, infinities, NaNs, subnormals and boundaries,
 * with a random FPCR rounding mode. x0..x15, v0..v15, NZCV and FPSR are folded into a
 * hash printed every 1000 blocks; an argument N prints block N instead. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define RANDBLOCK_FP
#include "randblock.h"

static uint32_t v3(void) { return bits(4) | bits(4) << 5 | bits(4) << 16; }

static uint32_t gen(void)
{
    for (;;) {
        uint32_t ty = bits(1); /* 0 single, 1 double */
        switch (rnd() % 10) {
        case 0: { /* 1-source: fmov fabs fneg fsqrt fcvt(s<->d) frintn/p/m/z/a/x/i */
            static const uint32_t ops[] = { 0, 1, 2, 3, 8, 9, 10, 11, 12, 14, 15, 4, 5 };
            uint32_t op = ops[rnd() % 13];
            if ((op == 4 && ty == 0) || (op == 5 && ty == 1))
                continue;
            return 0x1e204000u | ty << 22 | op << 15 | bits(4) << 5 | bits(4);
        }
        case 1:
        case 2: /* 2-source: fmul fdiv fadd fsub fmax fmin fmaxnm fminnm fnmul */
            return 0x1e200800u | ty << 22 | (uint32_t)(rnd() % 9) << 12 | v3();
        case 3: /* fmadd fmsub fnmadd fnmsub, single precision only: remu does not yet
                 * detect underflow before rounding for double-precision FMA results */
            return 0x1f000000u | bits(1) << 21 | bits(1) << 15 | bits(4) << 10 | v3();
        case 4: /* fcmp/fcmpe, register or zero */
            return 0x1e202000u | ty << 22 | bits(4) << 16 | bits(4) << 5 | bits(2) << 3;
        case 5: /* fccmp/fccmpe */
            return 0x1e200400u | ty << 22 | bits(4) << 16 | bits(4) << 12 | bits(4) << 5 | bits(1) << 4 | bits(4);
        case 6: /* fcsel */
            return 0x1e200c00u | ty << 22 | bits(4) << 12 | v3();
        case 7: /* fmov immediate */
            return 0x1e201000u | ty << 22 | bits(8) << 13 | bits(4);
        case 8: { /* scvtf/ucvtf from w/x */
            uint32_t sf = bits(1);
            return sf << 31 | 0x1e220000u | ty << 22 | bits(1) << 16 | bits(4) << 5 | bits(4);
        }
        default: { /* fcvt{n,p,m,z}{s,u} and fcvta{s,u} to w/x, and fmov to/from general */
            uint32_t sf = bits(1), rmode = bits(2), opc = bits(1);
            if (rnd() % 4 == 0) {
                /* fmov: w<->s needs sf=0 ty=0, x<->d sf=1 ty=1 */
                return ty << 31 | 0x1e260000u | ty << 22 | bits(1) << 16 | bits(4) << 5 | bits(4);
            }
            if (rnd() % 5 == 0)
                return sf << 31 | 0x1e240000u | ty << 22 | opc << 16 | bits(4) << 5 | bits(4);
            return sf << 31 | 0x1e200000u | ty << 22 | rmode << 19 | opc << 16 | bits(4) << 5 | bits(4);
        }
        }
    }
}


static const uint64_t dspecial[] = {
    0, 0x8000000000000000ULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL, 0x7ff8000000000000ULL,
    0x7ff4000000000001ULL, 0xfff8000000000123ULL, 0x0000000000000001ULL, 0x000fffffffffffffULL,
    0x0010000000000000ULL, 0x3ff0000000000000ULL, 0xbff8000000000000ULL, 0x43e0000000000000ULL,
    0xc3e0000000000000ULL, 0x41dfffffffc00000ULL, 0x7fefffffffffffffULL, 0x4330000000000001ULL,
    0x3fe0000000000000ULL, 0x4004000000000000ULL,
};
static const uint32_t sspecial[] = {
    0, 0x80000000u, 0x7f800000u, 0xff800000u, 0x7fc00000u, 0x7fa00001u, 0xffc00123u, 1, 0x007fffffu,
    0x00800000u, 0x3f800000u, 0xbfc00000u, 0x5f000000u, 0xdf000000u, 0x4f000000u, 0x7f7fffffu,
    0x4b000001u, 0x3f000000u, 0x40200000u,
};

static uint64_t fpval(void)
{
    uint64_t r = rnd();
    switch (rnd() % 4) {
    case 0:
        return dspecial[rnd() % 19];
    case 1:
        return sspecial[rnd() % 19] | (rnd() % 2 ? 0 : (uint64_t)sspecial[rnd() % 19] << 32);
    case 2: /* a double of moderate exponent */
        return (r & 0x800fffffffffffffULL) | (uint64_t)(0x3c0 + rnd() % 0x80) << 52;
    default: /* a single of moderate exponent in the low word */
        return (uint32_t)((r & 0x807fffffu) | (uint32_t)(0x70 + rnd() % 0x20) << 23);
    }
}

#define BLOCKS 20000
#define LEN 8

int main(int argc, char **argv)
{
    long show = argc > 1 ? atol(argv[1]) : -1;
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    uint64_t h = 14695981039346656037ULL;
    for (long b = 0; b < BLOCKS; b++) {
        uint64_t regs[52];
        memset(regs, 0, sizeof regs);
        for (int i = 0; i < 16; i++)
            regs[i] = rnd() % 3 == 0 ? fpval() : rnd() >> (rnd() % 64);
        regs[16] = (rnd() & 0xf) << 28;
        regs[17] = 0;
        regs[18] = (rnd() & 3) << 22;
        for (int i = 0; i < 16; i++)
            regs[20 + 2 * i] = fpval();
        for (int i = 0; i < LEN; i++)
            code[i] = gen();
        code[LEN] = 0xd65f03c0; /* ret */
        __builtin___clear_cache((char *)code, (char *)(code + LEN + 1));
        run_block(code, regs);
        for (int i = 0; i < 52; i++)
            h = (h ^ regs[i]) * 1099511628211ULL;
        if (b == show) {
            for (int i = 0; i < LEN; i++)
                printf("%08x\n", code[i]);
            for (int i = 0; i < 52; i++)
                printf("r%d=%016llx\n", i, (unsigned long long)regs[i]);
        }
        if (show < 0 && (b + 1) % 1000 == 0)
            printf("%6ld blocks: %016llx\n", b + 1, (unsigned long long)h);
    }
    return 0;
}
