/* handlers: signal delivery to handlers - siginfo contents, masks during handlers,
 * SA_RESETHAND, SA_NODEFER, sa_mask, pending sets, sigsuspend, sigtimedwait, sigqueue,
 * signalfd and SIGCHLD. Every line printed is deterministic. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits, depth, max_depth, order[8], norder;
static volatile int last_code, last_pid_ok, last_value, usr2_blocked_in_handler;

static void on_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    hits++;
    last_code = si->si_code;
    last_pid_ok = si->si_pid == getpid();
    last_value = si->si_value.sival_int;
    if (si->si_signo != sig)
        printf("si_signo mismatch\n");
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    usr2_blocked_in_handler = sigismember(&cur, SIGUSR2);
}

static void on_nested(int sig)
{
    (void)sig;
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (depth < 3)
        raise(SIGUSR1);
    depth--;
}

static void on_order(int sig)
{
    order[norder++] = sig;
    if (sig == SIGUSR1 && norder == 1) {
        raise(SIGUSR1); /* blocked while we run: delivered right after we return */
        raise(SIGUSR2); /* not blocked: runs now, nested */
    }
}

static void on_plain(int sig)
{
    (void)sig;
    hits++;
}

static void install(int sig, void (*h)(int), int flags, int masked)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    if (masked)
        sigaddset(&sa.sa_mask, masked);
    if (sigaction(sig, &sa, NULL))
        perror("sigaction");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);

    /* siginfo from raise (tgkill: SI_TKILL) and from sigqueue (SI_QUEUE, with a value);
     * sa_mask blocks SIGUSR2 while the handler runs. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("raise: hits=%d code=%d pid_ok=%d usr2_blocked=%d\n", hits, last_code, last_pid_ok, usr2_blocked_in_handler);
    union sigval v = {.sival_int = 4242};
    sigqueue(getpid(), SIGUSR1, v);
    printf("sigqueue: hits=%d code=%d value=%d\n", hits, last_code, last_value);
    kill(getpid(), SIGUSR1);
    printf("kill: hits=%d code=%d pid_ok=%d\n", hits, last_code, last_pid_ok);
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("mask restored after handler: %d\n", !sigismember(&cur, SIGUSR2));

    /* SA_NODEFER lets the handler interrupt itself. */
    install(SIGUSR1, on_nested, SA_NODEFER, 0);
    raise(SIGUSR1);
    printf("nodefer: max depth %d\n", max_depth);

    /* Without it the signal waits until the handler returns. */
    install(SIGUSR1, on_order, 0, 0);
    install(SIGUSR2, on_order, 0, 0);
    raise(SIGUSR1);
    printf("deferred order:");
    for (int i = 0; i < norder; i++)
        printf(" %s", order[i] == SIGUSR1 ? "USR1" : "USR2");
    printf("\n");

    /* SA_RESETHAND: one delivery, then the default again. */
    hits = 0;
    install(SIGUSR2, on_plain, SA_RESETHAND, 0);
    raise(SIGUSR2);
    struct sigaction old;
    sigaction(SIGUSR2, NULL, &old);
    printf("resethand: hits=%d now default=%d\n", hits, old.sa_handler == SIG_DFL);

    /* Blocked signals are pending, delivered once on unblock (standard signals do not
     * queue); real-time signals queue. */
    hits = 0;
    install(SIGUSR1, on_plain, 0, 0);
    install(SIGRTMIN + 1, on_plain, 0, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    raise(SIGUSR1);
    raise(SIGRTMIN + 1);
    raise(SIGRTMIN + 1);
    raise(SIGRTMIN + 1);
    sigset_t pend;
    sigpending(&pend);
    printf("pending: usr1=%d rt=%d usr2=%d hits=%d\n", sigismember(&pend, SIGUSR1), sigismember(&pend, SIGRTMIN + 1),
           sigismember(&pend, SIGUSR2), hits);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("after unblock: hits=%d\n", hits);

    /* sigsuspend: wait with SIGUSR1 unblocked for a signal from a timer; the old mask
     * (SIGUSR1 blocked) is back afterwards. */
    hits = 0;
    sigprocmask(SIG_BLOCK, &set, NULL);
    timer_t t;
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    timer_create(CLOCK_MONOTONIC, &sev, &t);
    struct itimerspec its = {.it_value = {.tv_nsec = 20 * 1000 * 1000}};
    timer_settime(t, 0, &its, NULL);
    sigset_t wait_mask;
    sigemptyset(&wait_mask);
    int r = sigsuspend(&wait_mask);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("sigsuspend: r=%d hits=%d usr1 blocked again=%d\n", r, hits, sigismember(&cur, SIGUSR1));

    /* sigtimedwait takes a blocked signal without running the handler, and times out. */
    hits = 0;
    union sigval v2 = {.sival_int = 77};
    sigqueue(getpid(), SIGRTMIN + 1, v2);
    siginfo_t si;
    struct timespec ts = {0, 10 * 1000 * 1000};
    int got = sigtimedwait(&set, &si, &ts);
    printf("sigtimedwait: rt=%d value=%d hits=%d\n", got == SIGRTMIN + 1, si.si_value.sival_int, hits);
    got = sigtimedwait(&set, &si, &ts);
    printf("sigtimedwait timeout: %d\n", got);
    timer_settime(t, 0, &its, NULL);
    got = sigwaitinfo(&set, &si);
    printf("sigwaitinfo from timer: usr1=%d code_timer=%d\n", got == SIGUSR1, si.si_code == SI_TIMER);

    /* signalfd reads blocked signals as records. */
    int sfd = signalfd(-1, &set, 0);
    raise(SIGUSR1);
    struct signalfd_siginfo rec;
    ssize_t n = read(sfd, &rec, sizeof rec);
    printf("signalfd: n=%zd signo_usr1=%d code=%d\n", n, rec.ssi_signo == SIGUSR1, rec.ssi_code);
    close(sfd);

    /* SIGCHLD when a child exits. */
    hits = 0;
    install(SIGCHLD, on_plain, SA_RESTART, 0);
    pid_t pid = fork();
    if (pid == 0)
        _exit(3);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        ;
    printf("sigchld: hits=%d exit=%d\n", hits, WEXITSTATUS(status));

    /* Ignored signals vanish. */
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("ignored SIGUSR2: still here\n");
    return 0;
}
