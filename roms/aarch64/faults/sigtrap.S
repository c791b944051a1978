#include "common.h"
    .text
    .globl _start
_start:
    SAY_BEFORE
    brk #0
    EXIT
    MESSAGE
