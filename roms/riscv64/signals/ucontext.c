/* ucontext: handlers that read and edit the interrupted context - the saved registers of a
 * faulting load, a saved pc moved past the fault, a register changed for the code that
 * resumes, and an asynchronous signal (a timer) that stops a spinning loop by editing the
 * register it waits on. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#define MAGIC 0x5eed1234abcdLL

static volatile long seen_magic, seen_fault_addr_ok, seen_fp, async_pc_in_loop;
extern char spin_start[], spin_end[];

#if defined(__riscv)
#define PC(uc) ((uc)->uc_mcontext.__gregs[REG_PC])
#define REG(uc, n) ((uc)->uc_mcontext.__gregs[n])
#define RESULT_REG 10 /* a0 */
#define MAGIC_REG 9   /* s1 */
#define WAIT_REG 6    /* t1 */
#define FP8(uc) ((uc)->uc_mcontext.__fpregs.__d.__f[8])
#else
#define PC(uc) ((uc)->uc_mcontext.pc)
#define REG(uc, n) ((uc)->uc_mcontext.regs[n])
#define RESULT_REG 0
#define MAGIC_REG 19
#define WAIT_REG 9
static uint64_t fp8(ucontext_t *uc)
{
    /* The FP/SIMD record is the first in __reserved. */
    struct {
        uint32_t magic, size, fpsr, fpcr;
        __uint128_t v[32];
    } *rec = (void *)uc->uc_mcontext.__reserved;
    return rec->magic == 0x46508001 ? (uint64_t)rec->v[8] : 0;
}
#define FP8(uc) fp8(uc)
#endif

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    ucontext_t *uc = ctx;
    seen_magic = REG(uc, MAGIC_REG) == MAGIC;
#if defined(__aarch64__)
    seen_fault_addr_ok = uc->uc_mcontext.fault_address == (uintptr_t)si->si_addr;
#else
    seen_fault_addr_ok = si->si_addr == (void *)16;
#endif
    double d;
    uint64_t bits = FP8(uc);
    memcpy(&d, &bits, sizeof d);
    seen_fp = d == 2.5;
    PC(uc) += 4;
    REG(uc, RESULT_REG) = 0x1234;
}

static void on_alarm(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ctx;
    uintptr_t pc = PC(uc);
    async_pc_in_loop = pc >= (uintptr_t)spin_start && pc < (uintptr_t)spin_end;
    if (!async_pc_in_loop)
        printf("pc %#lx not in [%p, %p)\n", (unsigned long)pc, (void *)spin_start, (void *)spin_end);
    REG(uc, WAIT_REG) = 7;
}

__attribute__((noinline)) static long faulting_load(void)
{
#if defined(__riscv)
    register long a0 __asm__("a0") = 16;
    register long s1 __asm__("s1") = MAGIC;
    register double fs0 __asm__("fs0") = 2.5;
    __asm__ volatile(".option push\n.option norvc\nld t0, 0(a0)\n.option pop" : "+r"(a0) : "r"(s1), "f"(fs0) : "t0", "memory");
    return a0;
#else
    register long x0 __asm__("x0") = 16;
    register long x19 __asm__("x19") = MAGIC;
    register double d8 __asm__("d8") = 2.5;
    __asm__ volatile("ldr x9, [x0]" : "+r"(x0) : "r"(x19), "w"(d8) : "x9", "memory");
    return x0;
#endif
}

__attribute__((noinline)) static long spin(void)
{
#if defined(__riscv)
    register long t1 __asm__("t1") = 0;
    __asm__ volatile(".globl spin_start\n.globl spin_end\nspin_start:\n1: beqz t1, 1b\nspin_end:\n" : "+r"(t1));
    return t1;
#else
    register long x9 __asm__("x9") = 0;
    __asm__ volatile(".globl spin_start\n.globl spin_end\nspin_start:\n1: cbz x9, 1b\nspin_end:\n" : "+r"(x9));
    return x9;
#endif
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    long r = faulting_load();
    printf("fault skipped: result=%#lx magic_seen=%ld fault_addr_ok=%ld fp_seen=%ld\n", r, seen_magic,
           seen_fault_addr_ok, seen_fp);

    sa.sa_sigaction = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {.it_value = {.tv_usec = 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    long w = spin();
    printf("spin ended by handler: value=%ld pc_in_loop=%ld\n", w, async_pc_in_loop);
    return 0;
}
