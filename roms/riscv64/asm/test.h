/* Shared harness for the self-checking assembly tests.
 *
 * Every check is numbered automatically (1, 2, 3, ... in source order, via __COUNTER__);
 * the number lives in s11 while the check runs and its source line in s10. On the first
 * mismatch the program writes "FAIL n\n" to stdout and "line L got 0xV\n" to stderr
 * (V = the value computed) and exits
 * with status n (255 if n > 255). When every check passed it writes "PASS\n" and exits 0.
 * Only raw system calls are used: write (64) and exit (93).
 *
 * Registers reserved by the harness: s9 (value checked), s10, s11 (bookkeeping),
 * t6 (expected value).
 * Code assembles uncompressed (.option norvc) unless a test turns RVC on itself.
 */
#define SYS_write 64
#define SYS_exit 93

#define NEXT_TEST li s11, (__COUNTER__ + 1); li s10, __LINE__

/* Compare register `reg` with the 64-bit constant `val`. */
#define CHECK(reg, val) mv s9, reg; li t6, val; beq s9, t6, 9999f; j fail; 9999:

/* Run arbitrary code (the variadic part, ';'-separated), then compare `reg`. */
#define TEST(reg, val, ...) NEXT_TEST; __VA_ARGS__; CHECK(reg, val)

/* Register-register op: a0 = insn(a1 = x, a2 = y). */
#define TEST_RR(insn, x, y, val) TEST(a0, val, li a1, x; li a2, y; insn a0, a1, a2)
/* Register-immediate op: a0 = insn(a1 = x, imm). */
#define TEST_RI(insn, x, imm, val) TEST(a0, val, li a1, x; insn a0, a1, imm)
/* Unary op: a0 = insn(a1 = x). */
#define TEST_R(insn, x, val) TEST(a0, val, li a1, x; insn a0, a1)
/* Same, with the destination also the source (rd == rs1 == rs2). */
#define TEST_RR_SAME(insn, x, val) TEST(a0, val, li a0, x; insn a0, a0, a0)
/* Destination x0 must stay zero. */
#define TEST_RR_ZERO(insn, x, y) TEST(zero, 0, li a1, x; li a2, y; insn zero, a1, a2)

#define TEST_START                 \
    .option norvc;                 \
    .text;                         \
    .globl _start;                 \
_start:                            \
    .option push;                  \
    .option norelax;               \
    lla gp, __global_pointer$;     \
    .option pop

#define TEST_END                   \
pass:                              \
    li a0, 1;                      \
    lla a1, pass_msg;              \
    li a2, 5;                      \
    li a7, SYS_write;              \
    ecall;                         \
    li a0, 0;                      \
    li a7, SYS_exit;               \
    ecall;                         \
fail:                              \
    j fail_report;                 \
    TEST_COMMON

/* The failure report: "FAIL n\n" on stdout, "line L\n" on stderr, exit(min(n, 255)). */
#define TEST_COMMON                \
fail_report:                       \
    addi sp, sp, -64;              \
    mv a0, s11;                    \
    addi a1, sp, 32;               \
    call put_dec;                  \
    li t0, 'F';                    \
    sb t0, 0(sp);                  \
    li t0, 'A';                    \
    sb t0, 1(sp);                  \
    li t0, 'I';                    \
    sb t0, 2(sp);                  \
    li t0, 'L';                    \
    sb t0, 3(sp);                  \
    li t0, ' ';                    \
    sb t0, 4(sp);                  \
    li a0, 1;                      \
    mv a1, sp;                     \
    li a2, 5;                      \
    li a7, SYS_write;              \
    ecall;                         \
    li a0, 1;                      \
    mv a1, s1;                     \
    mv a2, s2;                     \
    li a7, SYS_write;              \
    ecall;                         \
    li t0, 'l';                    \
    sb t0, 0(sp);                  \
    li t0, 'i';                    \
    sb t0, 1(sp);                  \
    li t0, 'n';                    \
    sb t0, 2(sp);                  \
    li t0, 'e';                    \
    sb t0, 3(sp);                  \
    li a0, 2;                      \
    mv a1, sp;                     \
    li a2, 5;                      \
    li a7, SYS_write;              \
    ecall;                         \
    mv a0, s10;                    \
    addi a1, sp, 32;               \
    call put_dec;                  \
    li a0, 2;                      \
    mv a1, s1;                     \
    addi a2, s2, -1;               \
    li a7, SYS_write;              \
    ecall;                         \
    /* " got 0x" + 16 hex digits + "\n" */ \
    li t0, 0x783020746f6720;       \
    sd t0, 0(sp);                  \
    li t1, 16;                     \
    addi t2, sp, 7;                \
3:  srli t0, s9, 60;               \
    slli s9, s9, 4;                \
    addi t0, t0, '0';              \
    li t3, '9';                    \
    ble t0, t3, 4f;                \
    addi t0, t0, 'a' - '9' - 1;    \
4:  sb t0, 0(t2);                  \
    addi t2, t2, 1;                \
    addi t1, t1, -1;               \
    bnez t1, 3b;                   \
    li t0, '\n';                   \
    sb t0, 0(t2);                  \
    li a0, 2;                      \
    mv a1, sp;                     \
    li a2, 24;                     \
    li a7, SYS_write;              \
    ecall;                         \
    li a0, 255;                    \
    bltu s11, a0, 1f;              \
    mv s11, a0;                    \
1:  mv a0, s11;                    \
    li a7, SYS_exit;               \
    ecall;                         \
/* put_dec: a0 = value, a1 = 32-byte buffer; leaves s1 = start, s2 = length, text ends in '\n' */ \
put_dec:                           \
    addi t1, a1, 31;               \
    li t0, '\n';                   \
    sb t0, 0(t1);                  \
    li t2, 10;                     \
2:  remu t0, a0, t2;               \
    addi t0, t0, '0';              \
    addi t1, t1, -1;               \
    sb t0, 0(t1);                  \
    divu a0, a0, t2;               \
    bnez a0, 2b;                   \
    mv s1, t1;                     \
    addi s2, a1, 32;               \
    sub s2, s2, t1;                \
    ret;                           \
    .section .rodata;              \
pass_msg:                          \
    .ascii "PASS\n";               \
    .text
