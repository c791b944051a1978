/* futex: every futex operation glibc and Go use, with threads really blocked in the kernel:
 * WAIT/WAKE, timeouts (relative, and absolute on either clock), the bitset forms, REQUEUE,
 * CMP_REQUEUE, WAKE_OP, the private flag, and a wait interrupted by a signal (EINTR).
 * Raw system calls, so libc adds nothing. The output is the same on every run; the source
 * also builds natively, which is how its expectations were checked. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long futex(uint32_t *uaddr, int op, uint32_t val, const void *timeout_or_val2, uint32_t *uaddr2, uint32_t val3)
{
    return syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
}

static const char *result(long r)
{
    static char buf[32];
    if (r >= 0) {
        snprintf(buf, sizeof buf, "%ld", r);
        return buf;
    }
    return strerrorname_np(errno);
}

static uint32_t word_a, word_b;
static volatile int ready, woke_mask;

struct waiter {
    uint32_t *word;
    int op;
    uint32_t bitset;
    int id;
    long ret;
    int err;
};

static void *wait_thread(void *arg)
{
    struct waiter *w = arg;
    __atomic_fetch_add(&ready, 1, __ATOMIC_SEQ_CST);
    w->ret = futex(w->word, w->op, 0, NULL, NULL, w->bitset);
    w->err = w->ret < 0 ? errno : 0;
    __atomic_fetch_or(&woke_mask, 1 << w->id, __ATOMIC_SEQ_CST);
    return NULL;
}

/* Starts n waiters on word (value 0) and returns once they are all asleep in the kernel. */
static void start(pthread_t *t, struct waiter *w, int n)
{
    ready = 0;
    woke_mask = 0;
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, wait_thread, &w[i]);
    while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) < n)
        usleep(1000);
    /* They announced themselves just before the call: give them time to block in it. */
    usleep(100000);
}

static void join(pthread_t *t, int n)
{
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

static void on_usr1(int sig)
{
    (void)sig;
}

int main(void)
{
    pthread_t t[4];
    struct waiter w[4];

    /* Plain WAIT/WAKE, shared and private. */
    for (int priv = 0; priv < 2; priv++) {
        int pf = priv ? FUTEX_PRIVATE_FLAG : 0;
        word_a = 0;
        for (int i = 0; i < 2; i++)
            w[i] = (struct waiter){&word_a, FUTEX_WAIT | pf, 0, i, -9, 0};
        start(t, w, 2);
        printf("%s wake 1 of 2: %s\n", priv ? "private" : "shared", result(futex(&word_a, FUTEX_WAKE | pf, 1, NULL, NULL, 0)));
        usleep(50000);
        printf("  woken so far: %d\n", __builtin_popcount(woke_mask));
        printf("  wake the rest: %s\n", result(futex(&word_a, FUTEX_WAKE | pf, 10, NULL, NULL, 0)));
        join(t, 2);
        printf("  waits returned %ld %ld\n", w[0].ret, w[1].ret);
    }

    /* Value mismatch and timeouts. */
    word_a = 7;
    printf("wait, value differs: %s\n", result(futex(&word_a, FUTEX_WAIT, 6, NULL, NULL, 0)));
    struct timespec rel = {0, 20 * 1000 * 1000};
    printf("wait 20 ms: %s\n", result(futex(&word_a, FUTEX_WAIT_PRIVATE, 7, &rel, NULL, 0)));
    struct timespec now, abs;
    clock_gettime(CLOCK_MONOTONIC, &now);
    abs = now;
    abs.tv_nsec += 20 * 1000 * 1000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    printf("wait_bitset until monotonic +20 ms: %s\n",
           result(futex(&word_a, FUTEX_WAIT_BITSET_PRIVATE, 7, &abs, NULL, FUTEX_BITSET_MATCH_ANY)));
    clock_gettime(CLOCK_MONOTONIC, &now);
    printf("  the deadline has passed: %s\n", now.tv_sec > abs.tv_sec || (now.tv_sec == abs.tv_sec && now.tv_nsec >= abs.tv_nsec) ? "yes" : "no");
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_sec -= 1;
    printf("wait_bitset until realtime -1 s: %s\n",
           result(futex(&word_a, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 7, &abs, NULL, FUTEX_BITSET_MATCH_ANY)));
    printf("wait_bitset with bitset 0: %s\n", result(futex(&word_a, FUTEX_WAIT_BITSET, 7, NULL, NULL, 0)));

    /* Bitsets: waiters on bits 1, 2 and 4; wake bit 2, then bits 1|4. */
    word_a = 0;
    for (int i = 0; i < 3; i++)
        w[i] = (struct waiter){&word_a, FUTEX_WAIT_BITSET_PRIVATE, 1u << i, i, -9, 0};
    start(t, w, 3);
    printf("wake_bitset 2: %s\n", result(futex(&word_a, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 2)));
    usleep(50000);
    printf("  woken: mask %d\n", woke_mask);
    printf("wake_bitset 1|4: %s\n", result(futex(&word_a, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 5)));
    join(t, 3);

    /* REQUEUE: 4 waiters on A; wake 1 and move 2 to B; then B has 2 and A 1. */
    word_a = 0;
    word_b = 0;
    for (int i = 0; i < 4; i++)
        w[i] = (struct waiter){&word_a, FUTEX_WAIT_PRIVATE, 0, i, -9, 0};
    start(t, w, 4);
    printf("requeue wake 1 move 2: %s\n", result(futex(&word_a, FUTEX_REQUEUE_PRIVATE, 1, (void *)2, &word_b, 0)));
    usleep(50000);
    printf("  woken: %d\n", __builtin_popcount(woke_mask));
    printf("  wake on B: %s\n", result(futex(&word_b, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0)));
    printf("  wake on A: %s\n", result(futex(&word_a, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0)));
    join(t, 4);

    /* CMP_REQUEUE checks A's value first. */
    word_a = 3;
    printf("cmp_requeue, value differs: %s\n", result(futex(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word_b, 4)));
    word_a = 0;
    for (int i = 0; i < 3; i++)
        w[i] = (struct waiter){&word_a, FUTEX_WAIT_PRIVATE, 0, i, -9, 0};
    start(t, w, 3);
    printf("cmp_requeue wake 0 move all: %s\n", result(futex(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)10, &word_b, 0)));
    printf("  wake on A: %s\n", result(futex(&word_a, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0)));
    printf("  wake on B: %s\n", result(futex(&word_b, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0)));
    join(t, 3);

    /* WAKE_OP: wake 1 on A; B += 5 and, since B's old value was 0 (== 0), wake 1 on B too. */
    word_a = 0;
    word_b = 0;
    w[0] = (struct waiter){&word_a, FUTEX_WAIT_PRIVATE, 0, 0, -9, 0};
    w[1] = (struct waiter){&word_b, FUTEX_WAIT_PRIVATE, 0, 1, -9, 0};
    start(t, w, 2);
    int op = FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 0);
    printf("wake_op add 5, if old == 0: %s\n", result(futex(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word_b, op)));
    join(t, 2);
    printf("  B is now %u\n", word_b);
    op = FUTEX_OP(FUTEX_OP_OR, 8, FUTEX_OP_CMP_GT, 100);
    printf("wake_op or 8, if old > 100: %s", result(futex(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word_b, op)));
    printf(", B is %u\n", word_b);

    /* A wait interrupted by a signal whose handler has no SA_RESTART: EINTR. */
    struct sigaction sa = {.sa_handler = on_usr1};
    sigaction(SIGUSR1, &sa, NULL);
    word_a = 0;
    w[0] = (struct waiter){&word_a, FUTEX_WAIT_PRIVATE, 0, 0, -9, 0};
    start(t, w, 1);
    pthread_kill(t[0], SIGUSR1);
    join(t, 1);
    printf("wait interrupted by a signal: %ld %s\n", w[0].ret, w[0].ret < 0 ? strerrorname_np(w[0].err) : "");
    return 0;
}
