#include "common.h"
    .text
    .globl _start
_start:
    SAY_BEFORE
    /* mrs x0, sctlr_el1: an EL1 system register, undefined at EL0. */
    mrs x0, sctlr_el1
    EXIT
    MESSAGE
