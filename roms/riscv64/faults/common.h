/* Guest programs that die of a synchronous signal: each prints "before\n", then faults.
 * Unhandled, the process is killed (status 128 + signal) and remu names the pc. */
#define SAY_BEFORE            \
    li a0, 1;                 \
    lla a1, before_msg;       \
    li a2, 7;                 \
    li a7, 64;                \
    ecall

#define MESSAGE .section .rodata; before_msg: .ascii "before\n"
