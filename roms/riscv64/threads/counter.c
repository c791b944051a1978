/* counter: 8 threads each add 1 to two shared counters 10^6 times, one with an AMO
 * (__atomic_fetch_add compiles to amoadd.w) and one with an LR/SC retry loop in inline
 * assembly. Both totals must be exactly 8000000 on every run. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 8
#define ITERS 1000000

static uint32_t amo_count;
static uint64_t lrsc_count;
static pthread_barrier_t start;

static void lrsc_inc(uint64_t *p)
{
    uint64_t tmp, fail;
    __asm__ volatile("1: lr.d %0, (%2)\n"
                     "   addi %0, %0, 1\n"
                     "   sc.d %1, %0, (%2)\n"
                     "   bnez %1, 1b\n"
                     : "=&r"(tmp), "=&r"(fail)
                     : "r"(p)
                     : "memory");
}

static void *worker(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&start);
    for (int i = 0; i < ITERS; i++) {
        __atomic_fetch_add(&amo_count, 1, __ATOMIC_RELAXED);
        lrsc_inc(&lrsc_count);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    pthread_barrier_init(&start, NULL, THREADS);
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, worker, NULL) != 0)
            return 1;
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("amoadd: %u\n", amo_count);
    printf("lr/sc:  %llu\n", (unsigned long long)lrsc_count);
    return amo_count == THREADS * ITERS && lrsc_count == THREADS * ITERS ? 0 : 1;
}
