/* timer_threads: POSIX timers aimed at threads. SIGEV_THREAD_ID delivers to the one thread
 * it names (Go and glibc rely on it); SIGEV_THREAD runs a callback on a helper thread
 * (glibc builds it on SIGEV_THREAD_ID and an internal real-time signal); overruns are
 * counted while the signal is blocked. The output is the same on every run and natively. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t handled_on;
static volatile int hits;
static pid_t worker_tid;
static volatile int stop;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int callbacks;
static int callback_value;

static void on_usr1(int sig)
{
    (void)sig;
    handled_on = (pid_t)syscall(SYS_gettid);
    hits++;
}

static void *worker(void *arg)
{
    (void)arg;
    worker_tid = (pid_t)syscall(SYS_gettid);
    while (!stop)
        ; /* spin: the signal must interrupt a thread that makes no system calls */
    return NULL;
}

static void callback(union sigval v)
{
    pthread_mutex_lock(&lock);
    callbacks++;
    callback_value = v.sival_int;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}

static void arm(timer_t t, long first_ns, long interval_ns)
{
    struct itimerspec its = {{0, interval_ns}, {0, first_ns}};
    timer_settime(t, 0, &its, NULL);
}

int main(void)
{
    struct sigaction sa = {.sa_handler = on_usr1};
    sigaction(SIGUSR1, &sa, NULL);

    /* SIGEV_THREAD_ID: the spinning worker gets the signal, not main. */
    pthread_t th;
    pthread_create(&th, NULL, worker, NULL);
    while (!worker_tid)
        usleep(1000);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = SIGUSR1;
    sev._sigev_un._tid = worker_tid;
    timer_t t;
    printf("create thread-id timer: %d\n", timer_create(CLOCK_MONOTONIC, &sev, &t));
    arm(t, 10 * 1000 * 1000, 0);
    while (!hits)
        usleep(1000);
    printf("delivered to the worker: %s, not main: %s\n", handled_on == worker_tid ? "yes" : "no",
           handled_on != (pid_t)syscall(SYS_gettid) ? "yes" : "no");
    stop = 1;
    pthread_join(th, NULL);
    timer_delete(t);

    /* A tid that is not in this process: EINVAL. */
    sev._sigev_un._tid = 1;
    printf("thread-id timer for pid 1: %s\n", timer_create(CLOCK_MONOTONIC, &sev, &t) == 0 ? "created" : "refused");

    /* SIGEV_THREAD: three callbacks with the value given. */
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = callback;
    sev.sigev_value.sival_int = 4242;
    printf("create thread timer: %d\n", timer_create(CLOCK_REALTIME, &sev, &t));
    arm(t, 5 * 1000 * 1000, 5 * 1000 * 1000);
    pthread_mutex_lock(&lock);
    while (callbacks < 3)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    timer_delete(t);
    printf("callbacks: at least 3, value %d\n", callback_value);

    /* Overruns: a 1 ms timer while SIGUSR1 is blocked for 50 ms. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    timer_create(CLOCK_MONOTONIC, &sev, &t);
    arm(t, 1000 * 1000, 1000 * 1000);
    usleep(50 * 1000);
    siginfo_t si;
    int sig = sigwaitinfo(&set, &si);
    int over = timer_getoverrun(t);
    printf("overrun: signal %d, code SI_TIMER %s, overruns > 10: %s\n", sig, si.si_code == SI_TIMER ? "yes" : "no",
           over > 10 ? "yes" : "no");
    timer_delete(t);
    return 0;
}
