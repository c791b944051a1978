/* pthreads: a mutex + condition variable work queue, a barrier, a rwlock, thread-local
 * storage and join return values; every result is checked and printed deterministically. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORKERS 4
#define JOBS 1000

/* ---- work queue ---- */
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qnonempty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t qdone = PTHREAD_COND_INITIALIZER;
static int queue[JOBS], qhead, qtail, closed, finished;
static uint64_t results[JOBS];

static uint64_t work(int n)
{
    uint64_t x = (uint64_t)n * 2654435761u;
    for (int i = 0; i < 100; i++)
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x >> 16;
}

static void *queue_worker(void *arg)
{
    long done = 0;
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&qlock);
        while (qhead == qtail && !closed)
            pthread_cond_wait(&qnonempty, &qlock);
        if (qhead == qtail) {
            pthread_mutex_unlock(&qlock);
            break;
        }
        int job = queue[qhead++];
        pthread_mutex_unlock(&qlock);
        results[job] = work(job);
        done++;
        pthread_mutex_lock(&qlock);
        finished++;
        if (finished == JOBS)
            pthread_cond_signal(&qdone);
        pthread_mutex_unlock(&qlock);
    }
    return (void *)done;
}

static void test_queue(void)
{
    pthread_t t[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, queue_worker, NULL);
    for (int j = 0; j < JOBS; j++) {
        pthread_mutex_lock(&qlock);
        queue[qtail++] = j;
        pthread_cond_signal(&qnonempty);
        pthread_mutex_unlock(&qlock);
    }
    pthread_mutex_lock(&qlock);
    while (finished < JOBS)
        pthread_cond_wait(&qdone, &qlock);
    closed = 1;
    pthread_cond_broadcast(&qnonempty);
    pthread_mutex_unlock(&qlock);
    long total = 0;
    for (int i = 0; i < WORKERS; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (long)r;
    }
    uint64_t sum = 0, want = 0;
    for (int j = 0; j < JOBS; j++) {
        sum += results[j];
        want += work(j);
    }
    printf("queue: %ld jobs done, checksum %016llx %s\n", total, (unsigned long long)sum,
           sum == want ? "ok" : "WRONG");
}

/* ---- barrier: each phase every thread writes its slot, then reads all slots ---- */
#define PHASES 50
static pthread_barrier_t bar;
static int slots[WORKERS];
static int bar_errors;
static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;

static void *barrier_worker(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int ph = 0; ph < PHASES; ph++) {
        slots[me] = ph * 10 + me;
        pthread_barrier_wait(&bar);
        for (int i = 0; i < WORKERS; i++)
            if (__atomic_load_n(&slots[i], __ATOMIC_RELAXED) != ph * 10 + i) {
                pthread_mutex_lock(&err_lock);
                bar_errors++;
                pthread_mutex_unlock(&err_lock);
            }
        pthread_barrier_wait(&bar);
    }
    return NULL;
}

static void test_barrier(void)
{
    pthread_t t[WORKERS];
    pthread_barrier_init(&bar, NULL, WORKERS);
    for (int i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, barrier_worker, (void *)(intptr_t)i);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&bar);
    printf("barrier: %d phases, %d errors\n", PHASES, bar_errors);
}

/* ---- rwlock: writers keep two fields equal; readers check they are ---- */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long field_a, field_b;
static int rw_torn;

static void *rw_writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        pthread_rwlock_wrlock(&rw);
        field_a++;
        field_b++;
        pthread_rwlock_unlock(&rw);
    }
    return NULL;
}

static void *rw_reader(void *arg)
{
    (void)arg;
    int torn = 0;
    for (int i = 0; i < 20000; i++) {
        pthread_rwlock_rdlock(&rw);
        if (field_a != field_b)
            torn++;
        pthread_rwlock_unlock(&rw);
    }
    return (void *)(intptr_t)torn;
}

static void test_rwlock(void)
{
    pthread_t w[2], r[2];
    for (int i = 0; i < 2; i++) {
        pthread_create(&w[i], NULL, rw_writer, NULL);
        pthread_create(&r[i], NULL, rw_reader, NULL);
    }
    for (int i = 0; i < 2; i++) {
        void *res;
        pthread_join(w[i], NULL);
        pthread_join(r[i], &res);
        rw_torn += (int)(intptr_t)res;
    }
    printf("rwlock: a=%ld b=%ld torn=%d\n", field_a, field_b, rw_torn);
}

/* ---- thread-local storage ---- */
static __thread long tls_value = 7;
static __thread char tls_name[16];

static void *tls_worker(void *arg)
{
    long me = (long)(intptr_t)arg;
    long initial = tls_value;
    snprintf(tls_name, sizeof tls_name, "thread-%ld", me);
    for (int i = 0; i < 1000; i++) {
        tls_value += me;
        sched_yield();
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%s initial %ld final %ld", tls_name, initial, tls_value);
    return strdup(buf);
}

static void test_tls(void)
{
    pthread_t t[WORKERS];
    tls_value = 100;
    for (int i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, tls_worker, (void *)(intptr_t)(i + 1));
    for (int i = 0; i < WORKERS; i++) {
        void *s;
        pthread_join(t[i], &s);
        printf("tls: %s\n", (char *)s);
        free(s);
    }
    printf("tls: main still %ld\n", tls_value);
}

/* ---- join return values and pthread_self/tid distinctness ---- */
static void *squarer(void *arg)
{
    long n = (long)(intptr_t)arg;
    if (n == 5)
        pthread_exit((void *)(intptr_t)(n * n + 1000));
    return (void *)(intptr_t)(n * n);
}

static void test_join(void)
{
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, squarer, (void *)(intptr_t)i);
    printf("join:");
    for (int i = 0; i < 8; i++) {
        void *r;
        pthread_join(t[i], &r);
        printf(" %ld", (long)(intptr_t)r);
    }
    printf("\n");
}

int main(void)
{
    test_queue();
    test_barrier();
    test_rwlock();
    test_tls();
    test_join();
    return 0;
}
