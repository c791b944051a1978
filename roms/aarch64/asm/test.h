/* Shared harness for the self-checking aarch64 assembly tests (the counterpart of
 * roms/riscv64/asm/test.h).
 *
 * Every check is numbered automatically (1, 2, 3, ... in source order, via __COUNTER__);
 * the number lives in x26 while the check runs and its source line in x25. On the first
 * mismatch the program writes "FAIL n\n" to stdout and "line L got 0xV\n" to stderr
 * (V = the value computed) and exits with status n (255 if n > 255). When every check
 * passed it writes "PASS\n" and exits 0. Only raw system calls are used: write (64) and
 * exit (93).
 *
 * Registers reserved by the harness: x24 (value checked), x25, x26 (bookkeeping),
 * x27 (expected value); flags are clobbered by CHECK.
 */
#define SYS_write 64
#define SYS_exit 93

/* li reg, imm64: load any 64-bit constant with movz + movk. */
.macro li reg, val
    movz \reg, #((\val) & 0xffff)
    movk \reg, #(((\val) >> 16) & 0xffff), lsl #16
    movk \reg, #(((\val) >> 32) & 0xffff), lsl #32
    movk \reg, #(((\val) >> 48) & 0xffff), lsl #48
.endm

#define NEXT_TEST li x26, (__COUNTER__ + 1); li x25, __LINE__

/* Compare 64-bit register `reg` with the constant `val`. */
#define CHECK(reg, val) mov x24, reg; li x27, val; cmp x24, x27; b.ne fail

/* Run arbitrary code (the variadic part, ';'-separated), then compare `reg`. */
#define TEST(reg, val, ...) NEXT_TEST; __VA_ARGS__; CHECK(reg, val)

/* Register-register op: x0 = insn(x1 = a, x2 = b). */
#define TEST_RR(insn, a, b, val) TEST(x0, val, li x1, a; li x2, b; insn x0, x1, x2)
/* 32-bit register-register op: w0 = insn(w1, w2); the check sees x0 (upper half zero). */
#define TEST_RR_W(insn, a, b, val) TEST(x0, val, li x1, a; li x2, b; insn w0, w1, w2)
/* Register-immediate op: x0 = insn(x1 = a, imm). */
#define TEST_RI(insn, a, imm, val) TEST(x0, val, li x1, a; insn x0, x1, imm)
/* Unary op: x0 = insn(x1 = a). */
#define TEST_R(insn, a, val) TEST(x0, val, li x1, a; insn x0, x1)
/* NZCV after the code (bits 31..28 of the NZCV register). */
#define TEST_FLAGS(val, ...) NEXT_TEST; __VA_ARGS__; mrs x24, nzcv; lsr x24, x24, #28; li x27, val; cmp x24, x27; b.ne fail

/* Vector helpers: v<n> = {lo, hi} (clobbers x1, x2); compare both halves of v<n>. */
.macro ldq n, lo, hi
    li x1, \lo
    li x2, \hi
    fmov d\n, x1
    mov v\n\().d[1], x2
.endm
#define CHECKQ(n, lo, hi) mov x0, v##n.d[0]; CHECK(x0, lo); mov x0, v##n.d[1]; CHECK(x0, hi)
/* FPSR's cumulative flags (IOC 1, DZC 2, OFC 4, UFC 8, IXC 0x10, IDC 0x80); clears them. */
#define CHECKFL(v) mrs x0, fpsr; mov x10, #0x9f; and x0, x0, x10; CHECK(x0, v); msr fpsr, xzr

#define TEST_START                 \
    .text;                         \
    .globl _start;                 \
_start:

#define TEST_END                   \
pass:                              \
    mov x0, #1;                    \
    adr x1, pass_msg;              \
    mov x2, #5;                    \
    mov x8, #SYS_write;            \
    svc #0;                        \
    mov x0, #0;                    \
    mov x8, #SYS_exit;             \
    svc #0;                        \
fail:                              \
    b fail_report;                 \
    TEST_COMMON

/* The failure report: "FAIL n\n" on stdout, "line L got 0xV\n" on stderr, exit(min(n,255)). */
#define TEST_COMMON                \
fail_report:                       \
    sub sp, sp, #128;              \
    mov w9, #70;                  \
    strb w9, [sp];                 \
    mov w9, #65;                  \
    strb w9, [sp, #1];             \
    mov w9, #73;                  \
    strb w9, [sp, #2];             \
    mov w9, #76;                  \
    strb w9, [sp, #3];             \
    mov w9, #32;                  \
    strb w9, [sp, #4];             \
    mov x0, #1;                    \
    mov x1, sp;                    \
    mov x2, #5;                    \
    mov x8, #SYS_write;            \
    svc #0;                        \
    mov x0, x26;                   \
    add x1, sp, #64;               \
    bl put_dec_line;               \
    mov x0, #2;                    \
    adr x1, line_msg;              \
    mov x2, #5;                    \
    mov x8, #SYS_write;            \
    svc #0;                        \
    mov x0, x25;                   \
    add x1, sp, #64;               \
    bl put_dec;                    \
    mov x0, #2;                    \
    adr x1, got_msg;               \
    mov x2, #7;                    \
    mov x8, #SYS_write;            \
    svc #0;                        \
    mov x0, x24;                   \
    add x1, sp, #64;               \
    bl put_hex_line;               \
    cmp x26, #255;                 \
    mov x9, #255;                  \
    csel x0, x26, x9, ls;          \
    mov x8, #SYS_exit;             \
    svc #0;                        \
/* put_dec(x0 = value, x1 = scratch, fd 1 for put_dec_line with newline, fd 2 otherwise) */ \
put_dec:                           \
    mov x3, #2;                    \
    mov x4, #0;                    \
    b 1f;                          \
put_dec_line:                      \
    mov x3, #1;                    \
    mov x4, #1;                    \
1:  add x5, x1, #40;               \
    mov x6, x5;                    \
    cbz x4, 2f;                    \
    mov w7, #10;                 \
    strb w7, [x6, #-1]!;           \
2:  mov x9, #10;                   \
3:  udiv x10, x0, x9;              \
    msub x11, x10, x9, x0;         \
    add w11, w11, #48;            \
    strb w11, [x6, #-1]!;          \
    mov x0, x10;                   \
    cbnz x0, 3b;                   \
    mov x0, x3;                    \
    mov x1, x6;                    \
    sub x2, x5, x6;                \
    mov x8, #SYS_write;            \
    svc #0;                        \
    ret;                           \
/* put_hex_line(x0 = value, x1 = scratch): "0x<hex>\n" on stderr */ \
put_hex_line:                      \
    add x5, x1, #40;               \
    mov x6, x5;                    \
    mov w7, #10;                 \
    strb w7, [x6, #-1]!;           \
4:  and x10, x0, #15;              \
    cmp x10, #10;                  \
    add x11, x10, #48;            \
    add x12, x10, #87;     \
    csel x11, x11, x12, lo;        \
    strb w11, [x6, #-1]!;          \
    lsr x0, x0, #4;                \
    cbnz x0, 4b;                   \
    mov x0, #2;                    \
    mov x1, x6;                    \
    sub x2, x5, x6;                \
    mov x8, #SYS_write;            \
    svc #0;                        \
    ret;                           \
    .section .rodata;              \
pass_msg: .ascii "PASS\n";         \
line_msg: .ascii "line ";          \
got_msg: .ascii " got 0x";         \
    .text

/* A scratch data area for memory tests: TEST_DATA declares `data` of n bytes. */
#define TEST_DATA(n) .data; .balign 64; data: .fill n, 1, 0; .text
