/* sigchld_storm: 300 children exit while the parent reads pipes and computes; the SIGCHLD
 * handler (SA_RESTART) reaps them. Every signal arrives at an arbitrary point - after a
 * system call or between two blocks of straight-line code - and the interrupted code
 * must resume with every register intact: the computed value never changes. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int reaped;

static void on_chld(int sig)
{
    (void)sig;
    int st;
    while (waitpid(-1, &st, WNOHANG) > 0)
        reaped++;
}

__attribute__((noinline)) static long work(long a, long b, long c, long d)
{
    long s = 0;
    for (int i = 0; i < 1000; i++) {
        s += a * i ^ (b + c * d);
        a += 3;
        b ^= s;
        c -= 7;
        d += s & 15;
    }
    return s;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_chld;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    long ref = work(1, 2, 3, 4);
    int bad = 0;
    for (int k = 0; k < 300; k++) {
        int p[2];
        pipe(p);
        if (fork() == 0) {
            write(p[1], "hi\n", 3);
            _exit(0);
        }
        close(p[1]);
        char buf[8];
        long n = read(p[0], buf, sizeof buf);
        if (work(1, 2, 3, 4) != ref || n != 3)
            bad++;
        close(p[0]);
    }
    while (reaped < 300)
        if (work(1, 2, 3, 4) != ref)
            bad++;
    printf("corrupted: %d, reaped: %d\n", bad, reaped);
    return 0;
}
