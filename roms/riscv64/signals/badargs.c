/* badargs: signal and futex calls with bad arguments fail as the kernel's do (raw system
 * calls, so that libc checks nothing first) and the process carries on. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static void check(const char *what, long r)
{
    printf("%-40s %s\n", what, r == 0 ? "ok" : r > 0 ? "positive" : strerrorname_np(errno));
}

int main(void)
{
    /* The kernel's struct sigaction for rt_sigaction: handler, flags, (restorer), mask. */
    uint64_t act[4] = {(uint64_t)(uintptr_t)SIG_IGN, 0, 0, 0};
    check("rt_sigaction(65)", syscall(SYS_rt_sigaction, 65, act, NULL, 8));
    check("rt_sigaction(0)", syscall(SYS_rt_sigaction, 0, act, NULL, 8));
    check("rt_sigaction(SIGKILL, act)", syscall(SYS_rt_sigaction, SIGKILL, act, NULL, 8));
    check("rt_sigaction(SIGKILL, NULL, old)", syscall(SYS_rt_sigaction, SIGKILL, NULL, act, 8));
    check("rt_sigaction(sigsetsize 4)", syscall(SYS_rt_sigaction, SIGUSR1, act, NULL, 4));
    check("rt_sigaction(bad act pointer)", syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8));
    check("rt_sigaction(bad oldact pointer)", syscall(SYS_rt_sigaction, SIGUSR1, NULL, (void *)8, 8));
    uint64_t set = 0;
    check("rt_sigprocmask(how 7)", syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8));
    check("rt_sigprocmask(bad set pointer)", syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, NULL, 8));
    check("kill(self, 99)", syscall(SYS_kill, getpid(), 99));
    check("kill(self, 0)", syscall(SYS_kill, getpid(), 0));
    check("tgkill(self, -1, 0)", syscall(SYS_tgkill, getpid(), -1, 0));
    check("tgkill(self, self, 65)", syscall(SYS_tgkill, getpid(), gettid(), 65));
    check("rt_sigqueueinfo(bad info pointer)", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void *)8));
    stack_t ss = {.ss_sp = act, .ss_size = 64, .ss_flags = 0};
    check("sigaltstack(size 64)", syscall(SYS_sigaltstack, &ss, NULL));
    ss.ss_size = 65536;
    ss.ss_flags = 0x100;
    check("sigaltstack(bad flags)", syscall(SYS_sigaltstack, &ss, NULL));
    check("sigaltstack(bad pointer)", syscall(SYS_sigaltstack, (void *)8, NULL));
    check("rt_sigsuspend(sigsetsize 4)", syscall(SYS_rt_sigsuspend, &set, 4));
    check("rt_sigpending(sigsetsize 16)", syscall(SYS_rt_sigpending, &set, 16));

    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p, page);
    check("futex(unmapped, WAIT)", syscall(SYS_futex, p, FUTEX_WAIT, 0, NULL, NULL, 0));
    uint32_t word[2] = {5, 0};
    check("futex(misaligned, WAIT)", syscall(SYS_futex, (char *)word + 1, FUTEX_WAIT, 5, NULL, NULL, 0));
    check("futex(value differs, WAIT)", syscall(SYS_futex, word, FUTEX_WAIT, 6, NULL, NULL, 0));
    struct timespec ts = {0, 1000000};
    check("futex(WAIT, 1 ms timeout)", syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0));
    check("futex(bad op)", syscall(SYS_futex, word, 99, 0, NULL, NULL, 0));
    check("futex(WAKE, nobody)", syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0));
    printf("still running\n");
    return 0;
}
