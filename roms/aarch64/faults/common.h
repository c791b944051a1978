/* Guest programs that die of a synchronous signal: each prints "before\n", then faults.
 * Unhandled, the process is killed (status 128 + signal) and remu names the pc. */
#define SAY_BEFORE            \
    mov x0, #1;               \
    adr x1, before_msg;       \
    mov x2, #7;               \
    mov x8, #64;              \
    svc #0

#define EXIT                  \
    mov x0, #0;               \
    mov x8, #93;              \
    svc #0

#define MESSAGE .section .rodata; before_msg: .ascii "before\n"
