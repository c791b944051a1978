/* counter: 8 threads each add 1 to two shared counters 10^6 times, one with an AMO
 * (__atomic_fetch_add compiles to amoadd.w) and one with an LR/SC retry loop in inline
 * assembly. Both totals must be exactly 8000000 on every run.
 *
 * The same source builds for aarch64 (with -march=armv8.1-a): there __atomic_fetch_add is
 * an LSE LDADD, the retry loop is LDXR/STXR, and a third counter uses an LSE CASAL loop.
 * The labels keep the RISC-V names, so the first two lines are the same on both arches. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 8
#define ITERS 1000000

static uint32_t amo_count;
static uint64_t lrsc_count;
static pthread_barrier_t start;

#ifdef __aarch64__
static uint64_t cas_count;

static void lrsc_inc(uint64_t *p)
{
    uint64_t tmp;
    uint32_t fail;
    __asm__ volatile("1: ldxr %0, [%2]\n"
                     "   add %0, %0, #1\n"
                     "   stxr %w1, %0, [%2]\n"
                     "   cbnz %w1, 1b\n"
                     : "=&r"(tmp), "=&r"(fail)
                     : "r"(p)
                     : "memory");
}

/* Compare-and-swap retry loop with the LSE CASAL instruction. */
static void cas_inc(uint64_t *p)
{
    uint64_t old = __atomic_load_n(p, __ATOMIC_RELAXED), seen;
    for (;;) {
        seen = old;
        __asm__ volatile("casal %0, %2, [%1]" : "+r"(seen) : "r"(p), "r"(old + 1) : "memory");
        if (seen == old)
            return;
        old = seen;
    }
}
#else
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
#endif

static void *worker(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&start);
    for (int i = 0; i < ITERS; i++) {
        __atomic_fetch_add(&amo_count, 1, __ATOMIC_RELAXED);
        lrsc_inc(&lrsc_count);
#ifdef __aarch64__
        cas_inc(&cas_count);
#endif
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
#ifdef __aarch64__
    printf("cas:    %llu\n", (unsigned long long)cas_count);
    if (cas_count != THREADS * ITERS)
        return 1;
#endif
    return amo_count == THREADS * ITERS && lrsc_count == THREADS * ITERS ? 0 : 1;
}
