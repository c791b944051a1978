/* qsort: sorts a million pseudo-random ints, three times, with the C library's qsort (fixed seed), then
 * verifies order and prints a checksum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define COUNT 1000000
#define PASSES 3

static int cmp(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    int32_t *v = malloc(COUNT * sizeof *v);
    uint64_t s = 0x123456789abcdefULL;
    int sorted = 1;
    for (int pass = 0; pass < PASSES; pass++) {
    for (int i = 0; i < COUNT; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        v[i] = (int32_t)(s >> 32);
    }
    qsort(v, COUNT, sizeof *v, cmp);
    uint64_t check = 0;
    for (int i = 0; i < COUNT; i++) {
        if (i && v[i - 1] > v[i])
            sorted = 0;
        check = check * 1000003 + (uint32_t)v[i];
    }
    printf("sorted %d min %d median %d max %d checksum %016llx\n", sorted, v[0], v[COUNT / 2],
           v[COUNT - 1], (unsigned long long)check);
    }
    free(v);
    return !sorted;
}
