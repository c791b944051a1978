#include "common.h"
    .text
    .globl _start
_start:
    SAY_BEFORE
    lla t0, before_msg
    sb zero, 0(t0)      /* read-only data: a protection fault */
    li a7, 93
    ecall
    MESSAGE
