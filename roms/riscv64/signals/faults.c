/* faults: synchronous signals caught by handlers - SIGSEGV (unmapped and protection
 * faults, with si_addr and si_code) recovered with siglongjmp, SIGBUS past the end of a
 * file mapping, SIGILL and SIGTRAP at the faulting pc, and stack overflow handled on an
 * alternate signal stack. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int got_sig, got_code;
static void *volatile got_addr;
static volatile uintptr_t handler_sp;
static char *alt;
static size_t alt_size = 64 * 1024;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    char local;
    handler_sp = (uintptr_t)&local;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = si->si_addr;
    siglongjmp(env, 1);
}

static void install(int sig, int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static const char rodata[16] = "constant";

#pragma GCC diagnostic ignored "-Winfinite-recursion"
__attribute__((noinline)) static int recurse(int n)
{
    volatile char pad[1024];
    pad[0] = (char)n;
    return recurse(n + 1) + pad[0];
}

static void illegal(void)
{
#if defined(__riscv)
    __asm__ volatile(".4byte 0");
#else
    __asm__ volatile("udf #0");
#endif
}

static void breakpoint(void)
{
#if defined(__riscv)
    __asm__ volatile("ebreak");
#else
    __asm__ volatile("brk #0");
#endif
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    install(SIGSEGV, 0);
    install(SIGBUS, 0);
    install(SIGILL, 0);
    install(SIGTRAP, 0);

    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p, page);
    if (sigsetjmp(env, 1) == 0) {
        *(volatile char *)p = 1;
        printf("no fault?\n");
    }
    printf("unmapped write: sig=%d code=%s addr_ok=%d\n", got_sig, got_code == SEGV_MAPERR ? "MAPERR" : "?",
           got_addr == p);

    if (sigsetjmp(env, 1) == 0) {
        *(volatile char *)rodata = 'x';
        printf("no fault?\n");
    }
    printf("rodata write: sig=%d code=%s addr_ok=%d\n", got_sig, got_code == SEGV_ACCERR ? "ACCERR" : "?",
           got_addr == (void *)rodata);

    char *q = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(env, 1) == 0) {
        q[5] = 1;
        printf("no fault?\n");
    }
    printf("read-only page write: sig=%d code=%s addr_ok=%d\n", got_sig, got_code == SEGV_ACCERR ? "ACCERR" : "?",
           got_addr == q + 5);

    /* The signal mask is restored by siglongjmp: faults keep being caught. */
    int caught = 0;
    for (int i = 0; i < 100; i++) {
        if (sigsetjmp(env, 1) == 0)
            *(volatile int *)(uintptr_t)(16 + i) = i;
        else
            caught++;
    }
    printf("repeated faults caught: %d\n", caught);

    FILE *f = tmpfile();
    fputs("x", f);
    fflush(f);
    char *m = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, fileno(f), 0);
    if (sigsetjmp(env, 1) == 0) {
        volatile char c = m[page + 1];
        (void)c;
        printf("no fault?\n");
    }
    printf("past end of file: sig=%d code=%s addr_ok=%d\n", got_sig, got_code == BUS_ADRERR ? "ADRERR" : "?",
           got_addr == m + page + 1);

    if (sigsetjmp(env, 1) == 0)
        illegal();
    printf("illegal instruction: sig=%d code=%d\n", got_sig, got_code);

    if (sigsetjmp(env, 1) == 0)
        breakpoint();
    printf("breakpoint: sig=%d code=%s\n", got_sig, got_code == TRAP_BRKPT ? "BRKPT" : "?");

    /* Stack overflow: only an alternate stack leaves room for the handler. */
    alt = malloc(alt_size);
    stack_t ss = {.ss_sp = alt, .ss_size = alt_size, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    install(SIGSEGV, SA_ONSTACK);
    if (sigsetjmp(env, 1) == 0) {
        recurse(0);
        printf("no overflow?\n");
    }
    printf("stack overflow: sig=%d on altstack=%d\n", got_sig,
           handler_sp >= (uintptr_t)alt && handler_sp < (uintptr_t)alt + alt_size);
    stack_t now;
    sigaltstack(NULL, &now);
    printf("altstack after: flags=%d size_ok=%d\n", now.ss_flags, now.ss_size == alt_size);
    return 0;
}
