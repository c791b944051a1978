/* randsimd: random AdvSIMD instructions (integer, FP, permute, crypto; vector and scalar
 * forms) run and compared by hash: the SIMD counterpart of randinsn and randfp.
 *
 * Blocks of 8 random instructions from the AdvSIMD groups (three-same, three-different,
 * two-register misc, across lanes, shift by immediate, by element, their scalar forms,
 * pairwise, permutes, copies, TBL/TBX, AES/SHA/PMULL, FP<->fixed-point and half-precision
 * conversions) on v0..v15 and x0..x15, from random 128-bit values whose lanes are biased
 * towards zeros, infinities, NaNs, subnormals and integer boundaries, with a random FPCR
 * (rounding mode, and sometimes flush-to-zero and default NaN). x0..x15, v0..v15, NZCV and
 * FPSR are folded into a hash printed every 1000 blocks; an argument N prints block N, and
 * the argument `each` prints every block's own hash (to find the first that differs). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define RNG_SEED 0x2545f4914f6cdd1dULL
#define RANDBLOCK_FP
#include "randblock.h"
static uint32_t pick(const uint32_t *v, int n) { return v[rnd() % n]; }
#define PICK(a) pick(a, (int)(sizeof(a) / sizeof(a[0])))

/* Registers 0..15 only: v16..v31 are not part of the state (glibc may leave anything
 * there, and remu and qemu advertise different HWCAPs, so different routines run). */
static uint32_t rd_rn(void) { return bits(4) | bits(4) << 5; }
static uint32_t rm(void) { return bits(4) << 16; }

/* Entries: U << 31 | opcode << 8 | allowed sizes (bit s = size s; size 3 needs Q = 1). */
#define E(u, op, sizes) ((uint32_t)(u) << 31 | (uint32_t)(op) << 8 | (sizes))
static const uint32_t three_same_int[] = {
    E(0, 0x00, 7), E(0, 0x01, 15), E(0, 0x02, 7), E(0, 0x04, 7), E(0, 0x05, 15), E(0, 0x06, 15),
    E(0, 0x07, 15), E(0, 0x08, 15), E(0, 0x09, 15), E(0, 0x0a, 15), E(0, 0x0b, 15), E(0, 0x0c, 7),
    E(0, 0x0d, 7), E(0, 0x0e, 7), E(0, 0x0f, 7), E(0, 0x10, 15), E(0, 0x11, 15), E(0, 0x12, 7),
    E(0, 0x13, 7), E(0, 0x14, 7), E(0, 0x15, 7), E(0, 0x16, 6), E(0, 0x17, 15), E(1, 0x00, 7),
    E(1, 0x01, 15), E(1, 0x02, 7), E(1, 0x04, 7), E(1, 0x05, 15), E(1, 0x06, 15), E(1, 0x07, 15),
    E(1, 0x08, 15), E(1, 0x09, 15), E(1, 0x0a, 15), E(1, 0x0b, 15), E(1, 0x0c, 7), E(1, 0x0d, 7),
    E(1, 0x0e, 7), E(1, 0x0f, 7), E(1, 0x10, 15), E(1, 0x11, 15), E(1, 0x12, 7), E(1, 0x13, 1),
    E(1, 0x14, 7), E(1, 0x15, 7), E(1, 0x16, 6), E(0, 0x03, 15), E(1, 0x03, 15),
};
/* FP three-same: U << 31 | opcode << 8 | size<1> (the op selector). */
static const uint32_t three_same_fp[] = {
    E(0, 0x18, 0), E(0, 0x18, 1), E(0, 0x19, 0), E(0, 0x19, 1), E(0, 0x1a, 0), E(0, 0x1a, 1),
    E(0, 0x1b, 0), E(0, 0x1c, 0), E(0, 0x1e, 0), E(0, 0x1e, 1), E(0, 0x1f, 0), E(0, 0x1f, 1),
    E(1, 0x18, 0), E(1, 0x18, 1), E(1, 0x1a, 0), E(1, 0x1a, 1), E(1, 0x1b, 0), E(1, 0x1c, 0),
    E(1, 0x1c, 1), E(1, 0x1d, 0), E(1, 0x1d, 1), E(1, 0x1e, 0), E(1, 0x1e, 1), E(1, 0x1f, 0),
};
static const uint32_t three_diff[] = {
    E(0, 0, 7), E(1, 0, 7), E(0, 1, 7), E(1, 1, 7), E(0, 2, 7), E(1, 2, 7), E(0, 3, 7), E(1, 3, 7),
    E(0, 4, 7), E(1, 4, 7), E(0, 5, 7), E(1, 5, 7), E(0, 6, 7), E(1, 6, 7), E(0, 7, 7), E(1, 7, 7),
    E(0, 8, 7), E(1, 8, 7), E(0, 10, 7), E(1, 10, 7), E(0, 12, 7), E(1, 12, 7), E(0, 9, 6),
    E(0, 11, 6), E(0, 13, 6), E(0, 14, 9),
};
/* Integer two-register misc; bit 4 of the sizes marks narrowing ops (any Q). */
static const uint32_t two_misc_int[] = {
    E(0, 0x00, 7), E(0, 0x01, 1), E(0, 0x02, 7), E(0, 0x03, 15), E(0, 0x04, 7), E(0, 0x05, 1),
    E(0, 0x06, 7), E(0, 0x07, 15), E(0, 0x08, 15), E(0, 0x09, 15), E(0, 0x0a, 15), E(0, 0x0b, 15),
    E(0, 0x12, 0x17), E(0, 0x14, 0x17), E(1, 0x00, 3), E(1, 0x02, 7), E(1, 0x03, 15), E(1, 0x04, 7),
    E(1, 0x05, 3), E(1, 0x06, 7), E(1, 0x07, 15), E(1, 0x08, 15), E(1, 0x09, 15), E(1, 0x0b, 15),
    E(1, 0x12, 0x17), E(1, 0x13, 0x17), E(1, 0x14, 0x17),
};
/* FP two-register misc: U << 31 | opcode << 8 | size<1>. */
static const uint32_t two_misc_fp[] = {
    E(0, 0x0c, 1), E(0, 0x0d, 1), E(0, 0x0e, 1), E(0, 0x0f, 1), E(1, 0x0c, 1), E(1, 0x0d, 1),
    E(1, 0x0f, 1), E(1, 0x1f, 1), E(0, 0x18, 0), E(0, 0x18, 1), E(0, 0x19, 0), E(0, 0x19, 1),
    E(1, 0x18, 0), E(1, 0x19, 0), E(1, 0x19, 1), E(0, 0x1a, 0), E(0, 0x1a, 1), E(1, 0x1a, 0),
    E(1, 0x1a, 1), E(0, 0x1b, 0), E(0, 0x1b, 1), E(1, 0x1b, 0), E(1, 0x1b, 1), E(0, 0x1c, 0),
    E(1, 0x1c, 0), E(0, 0x1d, 0), E(1, 0x1d, 0), E(0, 0x1d, 1), E(1, 0x1d, 1),
};
/* Shift by immediate: U << 31 | opcode << 8 | kind (0 right, 1 left, 2 narrow, 3 long,
 * 4 fixed-point conversion). */
static const uint32_t shift_imm[] = {
    E(0, 0x00, 0), E(1, 0x00, 0), E(0, 0x02, 0), E(1, 0x02, 0), E(0, 0x04, 0), E(1, 0x04, 0),
    E(0, 0x06, 0), E(1, 0x06, 0), E(1, 0x08, 0), E(0, 0x0a, 1), E(1, 0x0a, 1), E(0, 0x0e, 1),
    E(1, 0x0e, 1), E(1, 0x0c, 1), E(0, 0x10, 2), E(0, 0x11, 2), E(0, 0x12, 2), E(1, 0x12, 2),
    E(0, 0x13, 2), E(1, 0x13, 2), E(1, 0x10, 2), E(1, 0x11, 2), E(0, 0x14, 3), E(1, 0x14, 3),
    E(0, 0x1c, 4), E(1, 0x1c, 4), E(0, 0x1f, 4), E(1, 0x1f, 4),
};
/* By element: U << 31 | opcode << 8 | kind (0 integer, 1 long, 2 FP). */
static const uint32_t by_elem[] = {
    E(0, 0x8, 0), E(1, 0x0, 0), E(1, 0x4, 0), E(0, 0xc, 0), E(0, 0xd, 0), E(0, 0x2, 1), E(1, 0x2, 1),
    E(0, 0x6, 1), E(1, 0x6, 1), E(0, 0xa, 1), E(1, 0xa, 1), E(0, 0x3, 1), E(0, 0x7, 1), E(0, 0xb, 1),
    E(0, 0x1, 2), E(0, 0x5, 2), E(0, 0x9, 2), E(1, 0x9, 2),
};
static const uint32_t scalar_same_int[] = {
    E(0, 0x01, 15), E(1, 0x01, 15), E(0, 0x05, 15), E(1, 0x05, 15), E(0, 0x09, 15), E(1, 0x09, 15),
    E(0, 0x0b, 15), E(1, 0x0b, 15), E(0, 0x16, 6), E(1, 0x16, 6), E(0, 0x06, 8), E(0, 0x07, 8),
    E(0, 0x08, 8), E(0, 0x0a, 8), E(0, 0x10, 8), E(0, 0x11, 8), E(1, 0x06, 8), E(1, 0x07, 8),
    E(1, 0x08, 8), E(1, 0x0a, 8), E(1, 0x10, 8), E(1, 0x11, 8),
};
static const uint32_t scalar_same_fp[] = {
    E(0, 0x1b, 0), E(0, 0x1c, 0), E(0, 0x1f, 0), E(0, 0x1f, 1), E(1, 0x1c, 0), E(1, 0x1d, 0),
    E(1, 0x1a, 1), E(1, 0x1c, 1), E(1, 0x1d, 1),
};
static const uint32_t scalar_misc_int[] = {
    E(0, 0x03, 15), E(0, 0x07, 15), E(1, 0x03, 15), E(1, 0x07, 15), E(0, 0x08, 8), E(0, 0x09, 8),
    E(0, 0x0a, 8), E(0, 0x0b, 8), E(1, 0x08, 8), E(1, 0x09, 8), E(1, 0x0b, 8), E(0, 0x14, 7),
    E(1, 0x12, 7), E(1, 0x14, 7), E(1, 0x16, 2),
};
static const uint32_t scalar_misc_fp[] = {
    E(0, 0x1a, 0), E(1, 0x1a, 0), E(0, 0x1b, 0), E(1, 0x1b, 0), E(0, 0x1c, 0), E(1, 0x1c, 0),
    E(0, 0x1d, 0), E(1, 0x1d, 0), E(0, 0x1a, 1), E(1, 0x1a, 1), E(0, 0x1b, 1), E(1, 0x1b, 1),
    E(0, 0x1d, 1), E(0, 0x1f, 1), E(1, 0x1d, 1), E(0, 0x0c, 1), E(0, 0x0d, 1), E(0, 0x0e, 1),
    E(1, 0x0c, 1), E(1, 0x0d, 1),
};

static uint32_t size_from(uint32_t allowed, uint32_t *q)
{
    for (;;) {
        uint32_t s = bits(2);
        if (!(allowed >> s & 1))
            continue;
        if (s == 3)
            *q = 1;
        return s;
    }
}

/* A shift-immediate immh:immb for element size s and the kind's shift direction. */
static uint32_t immhb(uint32_t s)
{
    uint32_t esize = 8u << s;
    uint32_t sh = (uint32_t)(rnd() % esize); /* left: 0..esize-1; right uses 2*esize - immhb */
    return (esize + sh) << 16;
}

static uint32_t gen(void)
{
    for (;;) {
        uint32_t q = bits(1), w, s;
        switch (rnd() % 24) {
        case 0:
        case 1: { /* three-same integer */
            uint32_t e = PICK(three_same_int);
            s = size_from(e & 15, &q);
            return q << 30 | (e >> 31) << 29 | 0x0e200400u | s << 22 | (e >> 8 & 0x1f) << 11 | rm() | rd_rn();
        }
        case 2:
        case 3: { /* three-same FP */
            uint32_t e = PICK(three_same_fp), sz = bits(1);
            if (sz)
                q = 1;
            return q << 30 | (e >> 31) << 29 | 0x0e200400u | (e & 1) << 23 | sz << 22 | (e >> 8 & 0x1f) << 11 | rm() | rd_rn();
        }
        case 4: { /* three-different */
            uint32_t e = PICK(three_diff);
            s = bits(2);
            if (!((e & 15) >> s & 1))
                continue;
            return q << 30 | (e >> 31) << 29 | 0x0e200000u | s << 22 | (e >> 8 & 0xf) << 12 | rm() | rd_rn();
        }
        case 5: { /* two-register misc, integer */
            uint32_t e = PICK(two_misc_int);
            s = bits(2);
            if (!((e & 15) >> s & 1))
                continue;
            if (s == 3 && !(e & 0x10))
                q = 1;
            return q << 30 | (e >> 31) << 29 | 0x0e200800u | s << 22 | (e >> 8 & 0x1f) << 12 | rd_rn();
        }
        case 6:
        case 7: { /* two-register misc, FP (and the narrowing/widening conversions) */
            uint32_t sz = bits(1);
            switch (rnd() % 8) {
            case 0: /* fcvtn/fcvtn2 (to half or single) */
                return q << 30 | 0x0e216800u | sz << 22 | rd_rn();
            case 1: /* fcvtl/fcvtl2 */
                return q << 30 | 0x0e217800u | sz << 22 | rd_rn();
            case 2: /* fcvtxn/fcvtxn2 */
                return q << 30 | 0x2e616800u | rd_rn();
            case 3: /* urecpe/ursqrte */
                return q << 30 | bits(1) << 29 | 0x0ea1c800u | rd_rn();
            default: {
                uint32_t e = PICK(two_misc_fp);
                if (sz)
                    q = 1;
                return q << 30 | (e >> 31) << 29 | 0x0e200800u | (e & 1) << 23 | sz << 22 | (e >> 8 & 0x1f) << 12 | rd_rn();
            }
            }
        }
        case 8: /* across lanes */
            if (rnd() % 3 == 0) /* fmaxnmv/fminnmv/fmaxv/fminv .4s */
                return 0x6e300800u | bits(1) << 23 | (rnd() % 2 ? 0x0c : 0x0f) << 12 | rd_rn();
            else {
                static const uint32_t ops[] = { E(0, 0x03, 0), E(1, 0x03, 0), E(0, 0x0a, 0), E(1, 0x0a, 0),
                                                E(0, 0x1a, 0), E(1, 0x1a, 0), E(0, 0x1b, 0) };
                uint32_t e = PICK(ops);
                s = rnd() % 3;
                if (s == 2)
                    q = 1;
                return q << 30 | (e >> 31) << 29 | 0x0e300800u | s << 22 | (e >> 8 & 0x1f) << 12 | rd_rn();
            }
        case 9:
        case 10: { /* shift by immediate, vector */
            uint32_t e = PICK(shift_imm), kind = e & 7;
            s = bits(2);
            if ((kind == 2 || kind == 3) && s == 3)
                continue;
            if (kind == 4 && s < 2)
                continue;
            if (s == 3)
                q = 1;
            return q << 30 | (e >> 31) << 29 | 0x0f000400u | immhb(s) | (e >> 8 & 0x1f) << 11 | rd_rn();
        }
        case 11: { /* by element, vector */
            uint32_t e = PICK(by_elem), kind = e & 3, hlm;
            if (kind == 2) {
                s = 2 + bits(1);
                if (s == 3) {
                    q = 1;
                    hlm = bits(1) << 11;
                } else
                    hlm = bits(1) << 11 | bits(1) << 21;
            } else {
                s = 1 + bits(1);
                hlm = bits(1) << 11 | bits(1) << 21 | (s == 1 ? bits(1) << 20 : 0);
            }
            return q << 30 | (e >> 31) << 29 | 0x0f000000u | s << 22 | hlm | (e >> 8 & 0xf) << 12 | rm() | rd_rn();
        }
        case 12: { /* scalar three-same */
            if (rnd() % 3 == 0) {
                uint32_t e = PICK(scalar_same_fp);
                return 0x5e200400u | (e >> 31) << 29 | (e & 1) << 23 | bits(1) << 22 | (e >> 8 & 0x1f) << 11 | rm() | rd_rn();
            }
            uint32_t e = PICK(scalar_same_int);
            s = bits(2);
            if (!((e & 15) >> s & 1))
                continue;
            return 0x5e200400u | (e >> 31) << 29 | s << 22 | (e >> 8 & 0x1f) << 11 | rm() | rd_rn();
        }
        case 13: { /* scalar two-register misc */
            if (rnd() % 2 == 0) {
                uint32_t e = PICK(scalar_misc_fp);
                return 0x5e200800u | (e >> 31) << 29 | (e & 1) << 23 | bits(1) << 22 | (e >> 8 & 0x1f) << 12 | rd_rn();
            }
            uint32_t e = PICK(scalar_misc_int);
            s = bits(2);
            if (!((e & 15) >> s & 1))
                continue;
            return 0x5e200800u | (e >> 31) << 29 | s << 22 | (e >> 8 & 0x1f) << 12 | rd_rn();
        }
        case 14: /* scalar pairwise and three-different */
            switch (rnd() % 3) {
            case 0:
                if (rnd() % 4 == 0)
                    return 0x5ef1b800u | rd_rn(); /* addp d, v.2d */
                return 0x7e300800u | bits(1) << 23 | bits(1) << 22 | (rnd() % 2 ? 0x0c : 0x0f) << 12 | rd_rn();
            case 1:
                return 0x7e30d800u | bits(1) << 22 | rd_rn(); /* faddp */
            default: {
                static const uint32_t ops[] = { 9, 11, 13 };
                return 0x5e200000u | (1 + bits(1)) << 22 | PICK(ops) << 12 | rm() | rd_rn();
            }
            }
        case 15: { /* scalar shift by immediate */
            uint32_t e = PICK(shift_imm), kind = e & 7;
            if (kind == 3 || e == E(0, 0x10, 2) || e == E(0, 0x11, 2))
                continue; /* no scalar sshll/shrn/rshrn */
            if (kind == 0 || e == E(0, 0x0a, 1) || e == E(1, 0x0a, 1))
                s = 3;
            else if (kind == 2)
                s = rnd() % 3;
            else if (kind == 4)
                s = 2 + bits(1);
            else
                s = bits(2);
            return 0x5f000400u | (e >> 31) << 29 | immhb(s) | (e >> 8 & 0x1f) << 11 | rd_rn();
        }
        case 16: { /* scalar by element */
            static const uint32_t ops[] = { E(0, 0xc, 0), E(0, 0xd, 0), E(0, 0x3, 0), E(0, 0x7, 0), E(0, 0xb, 0),
                                            E(0, 0x1, 2), E(0, 0x5, 2), E(0, 0x9, 2), E(1, 0x9, 2) };
            uint32_t e = PICK(ops), hlm;
            if (e & 2) {
                s = 2 + bits(1);
                hlm = bits(1) << 11 | (s == 2 ? bits(1) << 21 : 0);
            } else {
                s = 1 + bits(1);
                hlm = bits(1) << 11 | bits(1) << 21 | (s == 1 ? bits(1) << 20 : 0);
            }
            return 0x5f000000u | (e >> 31) << 29 | s << 22 | hlm | (e >> 8 & 0xf) << 12 | rm() | rd_rn();
        }
        case 17: /* permutes: uzp/trn/zip, ext, tbl/tbx */
            switch (rnd() % 3) {
            case 0: {
                static const uint32_t ops[] = { 1, 2, 3, 5, 6, 7 };
                s = bits(2);
                if (s == 3)
                    q = 1;
                return q << 30 | 0x0e000800u | s << 22 | PICK(ops) << 12 | rm() | rd_rn();
            }
            case 1:
                return q << 30 | 0x2e000000u | (q ? bits(4) : bits(3)) << 11 | rm() | rd_rn();
            default: {
                uint32_t len = bits(2);
                return q << 30 | 0x0e000000u | len << 13 | bits(1) << 12 | rm() | bits(4) | (uint32_t)(rnd() % (16 - len)) << 5;
            }
            }
        case 18: { /* copies: dup (element), ins (element), umov, smov, dup/ins (general) */
            uint32_t esz = rnd() % 4, imm5 = (bits(4 - esz) << 1 | 1) << esz;
            switch (rnd() % 5) {
            case 0:
                if (esz == 3)
                    q = 1;
                return q << 30 | 0x0e000400u | imm5 << 16 | rd_rn();
            case 1:
                return 0x6e000400u | imm5 << 16 | bits(4 - esz) << (11 + esz) | rd_rn();
            case 2: /* umov w/x */
                return (esz == 3) << 30 | 0x0e003c00u | imm5 << 16 | rd_rn();
            case 3: /* smov w/x from b/h, x from s */
                if (esz == 3)
                    continue;
                return (esz == 2 ? 1u : q) << 30 | 0x0e002c00u | imm5 << 16 | rd_rn();
            default:
                if (esz == 3)
                    q = 1;
                return q << 30 | (rnd() % 2 ? 0x0e000c00u : 0x4e001c00u) | imm5 << 16 | rd_rn();
            }
        }
        case 19: /* crypto */
            switch (rnd() % 4) {
            case 0:
                return 0x4e284800u | (4 + bits(2)) << 12 | rd_rn();
            case 1:
                return 0x5e000000u | (uint32_t)(rnd() % 7) << 12 | rm() | rd_rn();
            case 2:
                return 0x5e280800u | (uint32_t)(rnd() % 3) << 12 | rd_rn();
            default: /* pmull/pmull2 .8h and .1q */
                return q << 30 | 0x0e20e000u | (rnd() % 2 ? 3u : 0u) << 22 | rm() | rd_rn();
            }
        case 20: { /* fixed-point <-> FP with general registers */
            uint32_t sf = bits(1), ty = bits(1), scale = sf ? bits(6) : 32 + bits(5);
            static const uint32_t ops[] = { 0x02, 0x03, 0x18, 0x19 };
            return sf << 31 | 0x1e000000u | ty << 22 | PICK(ops) << 16 | scale << 10 | rd_rn();
        }
        case 21: { /* fcvt between half, single and double */
            static const uint32_t ops[] = { 0x1e23c000u, 0x1e63c000u, 0x1ee24000u, 0x1ee2c000u, 0x1e22c000u, 0x1e624000u };
            return PICK(ops) | rd_rn();
        }
        case 22: /* fcvt*s/u (vector, rounding variants) and scvtf/ucvtf (vector, integer) */
            w = PICK(two_misc_fp);
            if (bits(1))
                q = 1;
            return 0x4e200800u | (w >> 31) << 29 | (w & 1) << 23 | 1u << 22 | (w >> 8 & 0x1f) << 12 | rd_rn();
        default: /* sqdmulh/sqrdmulh and the saturating shifts again, with nasty inputs */
            return q << 30 | bits(1) << 29 | 0x0e200400u | (1 + bits(1)) << 22 | (rnd() % 2 ? 0x16 : 0x09 + 2 * bits(1)) << 11 | rm() | rd_rn();
        }
    }
}


static const uint64_t dspecial[] = {
    0, 0x8000000000000000ULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL, 0x7ff8000000000000ULL,
    0x7ff4000000000001ULL, 0xfff8000000000123ULL, 0x0000000000000001ULL, 0x000fffffffffffffULL,
    0x0010000000000000ULL, 0x3ff0000000000000ULL, 0xbff8000000000000ULL, 0x43e0000000000000ULL,
    0xc3e0000000000000ULL, 0x41dfffffffc00000ULL, 0x7fefffffffffffffULL, 0x4330000000000001ULL,
    0x3fe0000000000000ULL, 0x4004000000000000ULL, 0x380fffffefffffffULL, 0x36a0000000000000ULL,
    0x7fffffffffffffffULL, 0x8000000000000001ULL, 0x0000000100000000ULL,
};
static const uint32_t sspecial[] = {
    0, 0x80000000u, 0x7f800000u, 0xff800000u, 0x7fc00000u, 0x7fa00001u, 0xffc00123u, 1, 0x007fffffu,
    0x00800000u, 0x3f800000u, 0xbfc00000u, 0x5f000000u, 0xdf000000u, 0x4f000000u, 0x7f7fffffu,
    0x4b000001u, 0x3f000000u, 0x40200000u, 0x387fe000u, 0x33800000u, 0x477ff000u, 0x7fffffffu, 0x80000001u,
};
static const uint16_t hspecial[] = {
    0, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7d01, 0x0001, 0x03ff, 0x0400, 0x3c00, 0xbc00, 0x7bff, 0x7fff, 0x8001,
};

static uint64_t lane64(void)
{
    uint64_t r = rnd();
    switch (rnd() % 8) {
    case 0:
        return dspecial[rnd() % (sizeof dspecial / 8)];
    case 1:
    case 2: /* two singles */
        return (uint64_t)sspecial[rnd() % (sizeof sspecial / 4)] << (rnd() % 2 ? 32 : 0) |
               (rnd() % 2 ? (uint32_t)((r & 0x807fffffu) | (uint32_t)(0x60 + rnd() % 0x40) << 23) : 0);
    case 3: { /* four halves */
        uint64_t v = 0;
        for (int i = 0; i < 4; i++)
            v |= (uint64_t)(rnd() % 2 ? hspecial[rnd() % (sizeof hspecial / 2)] : (uint16_t)rnd()) << (16 * i);
        return v;
    }
    case 4: /* a double of moderate exponent */
        return (r & 0x800fffffffffffffULL) | (uint64_t)(0x3c0 + rnd() % 0x80) << 52;
    case 5: /* small signed integers in every lane width */
        return rnd() % 2 ? r & 0x8181818181818181ULL : r >> (rnd() % 64);
    case 6: /* shift amounts and saturation boundaries */
        return (rnd() % 2 ? 0x7f7f80807fff8000ULL : 0xc0f8f0ff01407f80ULL) ^ (r & 0x0101010101010101ULL);
    default:
        return r;
    }
}

#define BLOCKS 20000
#define LEN 8

int main(int argc, char **argv)
{
    int each = argc > 1 && strcmp(argv[1], "each") == 0;
    long show = argc > 1 && !each ? atol(argv[1]) : -1;
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
            regs[i] = rnd() % 3 == 0 ? lane64() : rnd() >> (rnd() % 64);
        regs[16] = (rnd() & 0xf) << 28;
        regs[17] = 0;
        /* RMode, and a quarter of the time FZ, a quarter DN */
        regs[18] = (rnd() & 3) << 22 | (uint64_t)(rnd() % 4 == 0) << 24 | (uint64_t)(rnd() % 4 == 0) << 25;
        for (int i = 0; i < 32; i++)
            regs[20 + i] = lane64();
        for (int i = 0; i < LEN; i++)
            code[i] = gen();
        code[LEN] = 0xd65f03c0; /* ret */
        __builtin___clear_cache((char *)code, (char *)(code + LEN + 1));
        run_block(code, regs);
        uint64_t hb = 14695981039346656037ULL;
        for (int i = 0; i < 52; i++) {
            h = (h ^ regs[i]) * 1099511628211ULL;
            hb = (hb ^ regs[i]) * 1099511628211ULL;
        }
        if (each)
            printf("%ld %016llx\n", b, (unsigned long long)hb);
        if (b == show) {
            for (int i = 0; i < LEN; i++)
                printf("%08x\n", code[i]);
            for (int i = 0; i < 52; i++)
                printf("r%d=%016llx\n", i, (unsigned long long)regs[i]);
        }
        if (show < 0 && !each && (b + 1) % 1000 == 0)
            printf("%6ld blocks: %016llx\n", b + 1, (unsigned long long)h);
    }
    return 0;
}
