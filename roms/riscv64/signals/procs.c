/* procs: processes and signals - a pipeline of forked children, exit statuses, children
 * killed by signals (sent, self-raised, abort, a default-fatal SIGPIPE), SIGCHLD, and
 * signals aimed at threads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, int status)
{
    if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: status %#x\n", what, status);
}

static pid_t child(void (*body)(void))
{
    pid_t pid = fork();
    if (pid == 0) {
        body();
        _exit(0);
    }
    return pid;
}

static void sleeper(void)
{
    for (;;)
        pause();
}
static void aborter(void)
{
    abort();
}
static void raiser(void)
{
    raise(SIGTERM);
    _exit(9);
}
static void spinner(void)
{
    for (volatile unsigned long i = 0;; i++)
        ;
}
static int pipefd[2];
static void pipe_writer(void)
{
    close(pipefd[0]);
    usleep(50000);
    for (;;)
        write(pipefd[1], "x", 1);
}

static volatile sig_atomic_t usr1_thread_ok, usr2_count;
static pthread_t target;

static void on_usr1(int sig)
{
    (void)sig;
    usr1_thread_ok = pthread_equal(pthread_self(), target);
}
static void on_usr2(int sig)
{
    (void)sig;
    usr2_count++;
}

static void *waiter(void *arg)
{
    (void)arg;
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    while (!usr1_thread_ok || usr2_count == 0)
        usleep(1000);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);

    /* A pipeline: three children each add to a number passed through pipes. */
    int in[2], out[2];
    pipe(in);
    int first = in[1];
    for (int i = 0; i < 3; i++) {
        pipe(out);
        if (fork() == 0) {
            close(first);
            close(out[0]);
            int v;
            read(in[0], &v, sizeof v);
            v = v * 10 + i + 1;
            write(out[1], &v, sizeof v);
            _exit(i);
        }
        close(in[0]);
        close(out[1]);
        in[0] = out[0];
    }
    int v = 7;
    write(first, &v, sizeof v);
    read(in[0], &v, sizeof v);
    int codes = 0, status;
    pid_t p;
    while ((p = wait(&status)) > 0)
        codes += WEXITSTATUS(status);
    printf("pipeline: %d, exit codes sum %d\n", v, codes);

    /* Deaths by signal. */
    pid_t s = child(sleeper);
    usleep(20000);
    kill(s, SIGTERM);
    waitpid(s, &status, 0);
    report("kill SIGTERM", status);
    s = child(spinner);
    usleep(20000);
    kill(s, SIGINT);
    waitpid(s, &status, 0);
    report("kill SIGINT while spinning", status);
    s = child(aborter);
    waitpid(s, &status, 0);
    report("abort", status);
    s = child(raiser);
    waitpid(s, &status, 0);
    report("raise SIGTERM", status);
    pipe(pipefd);
    s = child(pipe_writer);
    close(pipefd[1]);
    close(pipefd[0]);
    waitpid(s, &status, 0);
    report("write to a closed pipe", status);
    s = child(sleeper);
    usleep(20000);
    kill(s, SIGKILL);
    waitpid(s, &status, 0);
    report("SIGKILL", status);

    /* WNOHANG with a live child. */
    s = child(sleeper);
    printf("wnohang: %d\n", waitpid(s, &status, WNOHANG));
    kill(s, SIGHUP);
    waitpid(s, &status, 0);
    report("SIGHUP", status);

    /* Thread-directed and process-directed signals: the main thread blocks both, so the
     * process-directed one must go to the thread that does not. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_usr2;
    sigaction(SIGUSR2, &sa, NULL);
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &both, NULL);
    pthread_create(&target, NULL, waiter, NULL);
    pthread_kill(target, SIGUSR1);
    kill(getpid(), SIGUSR2);
    pthread_join(target, NULL);
    printf("threads: usr1 on target %d, usr2 delivered %d\n", usr1_thread_ok, usr2_count);
    return 0;
}
