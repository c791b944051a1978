/* robust: a thread dies holding a robust mutex; the next locker gets EOWNERDEAD, makes the
 * mutex consistent and goes on. Also a detached thread and a thread that outlives main's
 * pthread_exit (the process ends with the last thread). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t m;
static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static int locked;

static void *dier(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    pthread_mutex_lock(&ready_lock);
    locked = 1;
    pthread_cond_signal(&ready);
    pthread_mutex_unlock(&ready_lock);
    return NULL; /* exits holding m */
}

static void *last(void *arg)
{
    pthread_t main_thread = *(pthread_t *)arg;
    void *r;
    /* Joining the main thread after its pthread_exit is allowed. */
    int e = pthread_join(main_thread, &r);
    printf("last: joined main: %s\n", e == 0 ? "ok" : strerror(e));
    printf("last: done\n");
    fflush(stdout);
    return NULL;
}

int main(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&m, &a);

    pthread_t t;
    pthread_create(&t, NULL, dier, NULL);
    pthread_mutex_lock(&ready_lock);
    while (!locked)
        pthread_cond_wait(&ready, &ready_lock);
    pthread_mutex_unlock(&ready_lock);
    pthread_join(t, NULL);

    int e = pthread_mutex_lock(&m);
    printf("lock after owner died: %s\n", e == EOWNERDEAD ? "EOWNERDEAD" : e == 0 ? "0" : strerror(e));
    if (e == EOWNERDEAD)
        printf("consistent: %d\n", pthread_mutex_consistent(&m));
    printf("unlock: %d\n", pthread_mutex_unlock(&m));
    printf("relock: %d\n", pthread_mutex_lock(&m));
    pthread_mutex_unlock(&m);

    static pthread_t self;
    self = pthread_self();
    pthread_t l;
    pthread_create(&l, NULL, last, &self);
    printf("main: pthread_exit\n");
    fflush(stdout);
    pthread_exit(NULL);
}
