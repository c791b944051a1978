#include "common.h"
    .text
    .globl _start
_start:
    SAY_BEFORE
    mov x0, #0x10
    str xzr, [x0]       /* the first page is never mapped */
    EXIT
    MESSAGE
