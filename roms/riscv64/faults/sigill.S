#include "common.h"
    .text
    .globl _start
_start:
    SAY_BEFORE
    /* csrrw zero, cycle, zero: a write to a read-only counter is illegal (the "unimp"
     * idiom). */
    .4byte 0xc0001073
    li a7, 93
    ecall
    MESSAGE
