#include "common.h"
    .text
    .globl _start
_start:
    SAY_BEFORE
    ebreak
    li a7, 93
    ecall
    MESSAGE
