/* timers: SIGALRM ticks counted while spinning, POSIX timers with values, alarm+pause,
 * and system calls interrupted by a signal: with SA_RESTART a read resumes, without it
 * fails with EINTR, and a sleep reports the time left. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t ticks, rt_hits, rt_value_ok, alarms;

static void on_tick(int sig)
{
    (void)sig;
    ticks++;
}

static void on_rt(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    rt_hits++;
    rt_value_ok += si->si_value.sival_int == 99 && si->si_code == SI_TIMER;
}

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static void handle(int sig, void (*h)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);

    /* A tight loop with no system calls still gets its ticks. */
    handle(SIGALRM, on_tick, 0);
    struct itimerval it = {.it_interval = {.tv_usec = 5000}, .it_value = {.tv_usec = 5000}};
    setitimer(ITIMER_REAL, &it, NULL);
    volatile unsigned long spins = 0;
    while (ticks < 20)
        spins++;
    struct itimerval off = {0};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("spinning: %d ticks\n", ticks >= 20 ? 20 : -1);

    /* A POSIX timer with a real-time signal and a value, periodic. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_rt;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN + 2, &sa, NULL);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGRTMIN + 2;
    sev.sigev_value.sival_int = 99;
    timer_t t;
    timer_create(CLOCK_MONOTONIC, &sev, &t);
    struct itimerspec its = {.it_interval = {.tv_nsec = 2000000}, .it_value = {.tv_nsec = 2000000}};
    timer_settime(t, 0, &its, NULL);
    while (rt_hits < 5)
        pause();
    timer_delete(t);
    printf("posix timer: hits>=5 %d values ok %d\n", rt_hits >= 5, rt_value_ok == rt_hits);

    /* alarm + pause. */
    handle(SIGALRM, on_alarm, 0);
    alarm(1);
    pause();
    printf("alarm: %d\n", alarms);

    /* A read on an empty pipe, interrupted by SIGALRM: without SA_RESTART it fails with
     * EINTR; with SA_RESTART it carries on and gets what the child writes later. */
    int fds[2];
    pipe(fds);
    it = (struct itimerval){.it_value = {.tv_usec = 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    char buf[16];
    ssize_t n = read(fds[0], buf, sizeof buf);
    printf("read without SA_RESTART: n=%zd errno=%s\n", n, n < 0 && errno == EINTR ? "EINTR" : "?");

    handle(SIGALRM, on_alarm, SA_RESTART);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(200000);
        write(fds[1], "late", 4);
        _exit(0);
    }
    alarms = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    n = read(fds[0], buf, sizeof buf);
    printf("read with SA_RESTART: n=%zd data=%.*s alarms=%d\n", n, n > 0 ? (int)n : 0, buf, alarms);
    waitpid(pid, NULL, 0);

    /* nanosleep interrupted: EINTR and the time left. */
    handle(SIGALRM, on_alarm, 0);
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec req = {2, 0}, rem = {0, 0};
    int r = nanosleep(&req, &rem);
    printf("nanosleep: r=%d errno=%s rem_ok=%d\n", r, r < 0 && errno == EINTR ? "EINTR" : "?",
           rem.tv_sec == 1 || (rem.tv_sec == 0 && rem.tv_nsec > 0));
    return 0;
}
