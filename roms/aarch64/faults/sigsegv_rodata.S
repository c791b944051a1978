#include "common.h"
    .text
    .globl _start
_start:
    SAY_BEFORE
    adr x1, before_msg
    strb wzr, [x1]      /* read-only data: a protection fault */
    EXIT
    MESSAGE
