/* malloc: allocator stress with a fixed-seed PRNG. Many allocations of varying sizes,
 * realloc growing and shrinking, frees in random order, large blocks that glibc serves
 * with mmap; every block carries a pattern that is verified before it is freed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
    /* xorshift64* */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dULL;
}

#define SLOTS 2048

struct slot {
    unsigned char *p;
    size_t size;
    uint32_t tag;
};

static struct slot slots[SLOTS];
static unsigned long bad;

static unsigned char pat(uint32_t tag, size_t i)
{
    return (unsigned char)(tag * 31u + i * 7u + (i >> 8));
}

static void fill(struct slot *s, size_t from)
{
    for (size_t i = from; i < s->size; i++)
        s->p[i] = pat(s->tag, i);
}

static int verify(const struct slot *s, size_t upto)
{
    for (size_t i = 0; i < upto; i++)
        if (s->p[i] != pat(s->tag, i))
            return 0;
    return 1;
}

static size_t pick_size(void)
{
    uint64_t r = next();
    switch (r % 16) {
    case 0:
        return 0;
    case 1: case 2: case 3: case 4: case 5: case 6:
        return 1 + (r >> 8) % 64;
    case 7: case 8: case 9: case 10:
        return 64 + (r >> 8) % 1024;
    case 11: case 12: case 13:
        return 1024 + (r >> 8) % 16384;
    case 14:
        return 16384 + (r >> 8) % 100000;
    default:
        /* mostly above glibc's default mmap threshold (128 KiB) */
        return 100000 + (r >> 8) % 300000;
    }
}

int main(void)
{
    unsigned long mallocs = 0, frees = 0, reallocs = 0, callocs = 0;
    uint64_t checksum = 0;
    uint32_t tag = 1;

    for (int op = 0; op < 5000; op++) {
        struct slot *s = &slots[next() % SLOTS];
        uint64_t what = next() % 10;
        if (s->p == NULL) {
            s->size = pick_size();
            s->tag = tag++;
            if (what < 2) {
                s->p = calloc(1, s->size ? s->size : 1);
                callocs++;
                for (size_t i = 0; i < s->size; i++)
                    if (s->p[i] != 0) {
                        bad++;
                        break;
                    }
            } else {
                s->p = malloc(s->size ? s->size : 1);
                mallocs++;
            }
            if (!s->p) {
                printf("allocation of %zu failed\n", s->size);
                return 1;
            }
            if (((uintptr_t)s->p & 15) != 0)
                bad++;
            fill(s, 0);
        } else if (what < 4) {
            size_t nsize = pick_size();
            size_t keep = nsize < s->size ? nsize : s->size;
            unsigned char *q = realloc(s->p, nsize ? nsize : 1);
            reallocs++;
            if (!q) {
                printf("realloc to %zu failed\n", nsize);
                return 1;
            }
            s->p = q;
            if (!verify(s, keep))
                bad++;
            size_t old = s->size;
            s->size = nsize;
            if (nsize > old)
                fill(s, old);
        } else {
            if (!verify(s, s->size))
                bad++;
            for (size_t i = 0; i < s->size; i += 97)
                checksum = checksum * 1099511628211ULL + s->p[i];
            free(s->p);
            s->p = NULL;
            frees++;
        }
    }
    /* free everything left, in a shuffled order */
    int order[SLOTS];
    for (int i = 0; i < SLOTS; i++)
        order[i] = i;
    for (int i = SLOTS - 1; i > 0; i--) {
        int j = (int)(next() % (uint64_t)(i + 1));
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    unsigned long left = 0;
    for (int i = 0; i < SLOTS; i++) {
        struct slot *s = &slots[order[i]];
        if (s->p) {
            if (!verify(s, s->size))
                bad++;
            free(s->p);
            s->p = NULL;
            left++;
        }
    }
    /* a few very large blocks, touched at every page */
    for (int i = 0; i < 4; i++) {
        size_t sz = (size_t)(8 + 8 * i) << 20;
        unsigned char *p = malloc(sz);
        if (!p) {
            printf("large malloc failed\n");
            return 1;
        }
        for (size_t j = 0; j < sz; j += 4096)
            p[j] = (unsigned char)(j >> 12);
        uint64_t sum = 0;
        for (size_t j = 0; j < sz; j += 4096)
            sum += p[j];
        printf("large block %zu MiB page-sum %llu\n", sz >> 20, (unsigned long long)sum);
        free(p);
    }
    printf("mallocs %lu callocs %lu reallocs %lu frees %lu left %lu\n", mallocs, callocs,
           reallocs, frees, left);
    printf("checksum %016llx\n", (unsigned long long)checksum);
    printf("bad %lu\n", bad);
    return bad ? 1 : 0;
}
