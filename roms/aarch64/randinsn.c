/* randinsn: random A64 integer data-processing instructions, run and compared by hash.
 *
 * Generates blocks of 8 random instructions from the allocated encodings of every integer
 * data-processing group (add/sub immediate, shifted and extended register, logical
 * immediate and register, move wide, bitfield, extract, adc/sbc, conditional compare and
 * select, 1- and 2-source, multiply-add), with registers limited to x0..x15, writes each
 * block to executable memory (flushing the instruction cache, which exercises DC CVAU /
 * IC IVAU), runs it on random register values and flags, and folds x0..x15 and NZCV into a
 * hash printed every 1000 blocks. The expected output comes from qemu-aarch64; a remu
 * mismatch localises the bad block to a range of 1000. Run with an argument N to print
 * block N's words and results instead. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "randblock.h"

/* Registers 0..15 in the fields at bit 0 (Rd), 5 (Rn), 16 (Rm), 10 (Ra). */
static uint32_t regs3(void) { return bits(4) | bits(4) << 5 | bits(4) << 16; }

static int bitmask_ok(uint32_t n, uint32_t imms, int sf)
{
    if (!sf && n)
        return 0;
    uint32_t v = (n << 6) | (~imms & 0x3f);
    if (v == 0)
        return 0;
    int len = 31 - __builtin_clz(v);
    if (len < 1)
        return 0;
    uint32_t levels = (1u << len) - 1;
    return (imms & levels) != levels;
}

static uint32_t gen(void)
{
    for (;;) {
        uint32_t sf = bits(1), w;
        switch (rnd() % 16) {
        case 0: /* add/sub immediate */
            return sf << 31 | bits(2) << 29 | 0x22u << 23 | bits(1) << 22 | bits(12) << 10 | bits(4) << 5 | bits(4);
        case 1: { /* logical immediate */
            uint32_t n = bits(1), immr = bits(6), imms = bits(6);
            if (!bitmask_ok(n, imms, sf) || (!sf && immr >= 32))
                continue;
            return sf << 31 | bits(2) << 29 | 0x24u << 23 | n << 22 | immr << 16 | imms << 10 | bits(4) << 5 | bits(4);
        }
        case 2: { /* move wide */
            uint32_t opc = bits(2), hw = bits(2);
            if (opc == 1 || (!sf && hw >= 2))
                continue;
            return sf << 31 | opc << 29 | 0x25u << 23 | hw << 21 | bits(16) << 5 | bits(4);
        }
        case 3: { /* bitfield */
            uint32_t opc = bits(2), immr = bits(6), imms = bits(6);
            if (opc == 3 || (!sf && (immr >= 32 || imms >= 32)))
                continue;
            return sf << 31 | opc << 29 | 0x26u << 23 | sf << 22 | immr << 16 | imms << 10 | bits(4) << 5 | bits(4);
        }
        case 4: { /* extract */
            uint32_t imms = bits(6);
            if (!sf && imms >= 32)
                continue;
            return sf << 31 | 0x27u << 23 | sf << 22 | bits(4) << 16 | imms << 10 | bits(4) << 5 | bits(4);
        }
        case 5: { /* logical shifted register */
            uint32_t imm6 = bits(6);
            if (!sf && imm6 >= 32)
                continue;
            return sf << 31 | bits(2) << 29 | 0x0au << 24 | bits(2) << 22 | bits(1) << 21 | imm6 << 10 | regs3();
        }
        case 6: { /* add/sub shifted register */
            uint32_t shift = bits(2), imm6 = bits(6);
            if (shift == 3 || (!sf && imm6 >= 32))
                continue;
            return sf << 31 | bits(2) << 29 | 0x0bu << 24 | shift << 22 | imm6 << 10 | regs3();
        }
        case 7: { /* add/sub extended register */
            uint32_t imm3 = bits(3);
            if (imm3 > 4)
                continue;
            return sf << 31 | bits(2) << 29 | 0x0bu << 24 | 1u << 21 | bits(3) << 13 | imm3 << 10 | regs3();
        }
        case 8: /* adc/adcs/sbc/sbcs */
            return sf << 31 | bits(2) << 29 | 0xd0u << 21 | regs3();
        case 9: /* ccmp/ccmn register or immediate */
            return sf << 31 | bits(1) << 30 | 1u << 29 | 0xd2u << 21 | bits(4) << 16 | bits(4) << 12 |
                   bits(1) << 11 | bits(4) << 5 | bits(4);
        case 10: /* csel/csinc/csinv/csneg */
            return sf << 31 | bits(1) << 30 | 0xd4u << 21 | bits(4) << 12 | bits(1) << 10 | regs3();
        case 11: { /* udiv/sdiv/lslv/lsrv/asrv/rorv */
            static const uint32_t ops[] = { 2, 3, 8, 9, 10, 11 };
            return sf << 31 | 0xd6u << 21 | ops[rnd() % 6] << 10 | regs3();
        }
        case 12: { /* rbit/rev16/rev32/rev/clz/cls */
            uint32_t op = rnd() % 6;
            if (!sf && op == 3)
                continue;
            return sf << 31 | 1u << 30 | 0xd6u << 21 | op << 10 | bits(4) << 5 | bits(4);
        }
        case 13: /* madd/msub */
            return sf << 31 | 0xd8u << 21 | bits(1) << 15 | bits(4) << 10 | regs3();
        case 14: { /* smaddl/smsubl/umaddl/umsubl */
            uint32_t op31 = (rnd() & 1) ? 1 : 5;
            return 1u << 31 | 0x1bu << 24 | op31 << 21 | bits(1) << 15 | bits(4) << 10 | regs3();
        }
        default: { /* smulh/umulh */
            uint32_t op31 = (rnd() & 1) ? 2 : 6;
            w = 1u << 31 | 0x1bu << 24 | op31 << 21 | 31u << 10 | regs3();
            return w;
        }
        }
    }
}


static const uint64_t specials[] = { 0, 1, ~0ULL, 0x8000000000000000ULL, 0x7fffffffffffffffULL,
                                     0x80000000ULL, 0x7fffffffULL, 0xffffffffULL, 0x100000000ULL };

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
        uint64_t regs[17];
        for (int i = 0; i < 16; i++)
            regs[i] = (rnd() % 4 == 0) ? specials[rnd() % 9] : rnd() >> (rnd() % 64);
        regs[16] = (rnd() & 0xf) << 28;
        for (int i = 0; i < LEN; i++)
            code[i] = gen();
        code[LEN] = 0xd65f03c0; /* ret */
        __builtin___clear_cache((char *)code, (char *)(code + LEN + 1));
        run_block(code, regs);
        for (int i = 0; i < 17; i++)
            h = (h ^ regs[i]) * 1099511628211ULL;
        if (b == show) {
            for (int i = 0; i < LEN; i++)
                printf("%08x\n", code[i]);
            for (int i = 0; i < 17; i++)
                printf("r%d=%016llx\n", i, (unsigned long long)regs[i]);
        }
        if (show < 0 && (b + 1) % 1000 == 0)
            printf("%6ld blocks: %016llx\n", b + 1, (unsigned long long)h);
    }
    return 0;
}
