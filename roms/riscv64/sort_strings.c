/* sort_strings: qsort of ints and strings, and the results of the string.h functions
 * glibc implements with hand-written assembly or vectorised C (strlen, strcmp, memcpy,
 * memmove with overlap, strstr, strchr, strrchr, memset, memchr) plus snprintf. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t seed = 12345;

static uint32_t lcg(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 1;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

int main(void)
{
    /* ints */
    enum { N = 5000 };
    static int v[N];
    for (int i = 0; i < N; i++)
        v[i] = (int)(lcg() % 200001) - 100000;
    qsort(v, N, sizeof v[0], cmp_int);
    int sorted = 1;
    long long sum = 0;
    for (int i = 0; i < N; i++) {
        if (i && v[i - 1] > v[i])
            sorted = 0;
        sum += v[i];
    }
    printf("ints: sorted=%d min=%d median=%d max=%d sum=%lld\n", sorted, v[0], v[N / 2],
           v[N - 1], sum);

    /* strings */
    static const char *words[] = {
        "pear", "apple", "fig", "banana", "Cherry", "apple pie", "zucchini", "date",
        "", "elderberry", "grape", "applesauce", "Banana", "kiwi", "lemon", "lime",
    };
    enum { W = sizeof words / sizeof words[0] };
    const char *ws[W];
    memcpy(ws, words, sizeof words);
    qsort(ws, W, sizeof ws[0], cmp_str);
    printf("words:");
    for (int i = 0; i < W; i++)
        printf(" [%s]", ws[i]);
    printf("\n");

    /* many generated strings */
    enum { S = 2000 };
    static char store[S][24];
    static char *sp[S];
    for (int i = 0; i < S; i++) {
        int len = 1 + (int)(lcg() % 20);
        for (int j = 0; j < len; j++)
            store[i][j] = (char)('a' + lcg() % 26);
        store[i][len] = 0;
        sp[i] = store[i];
    }
    qsort(sp, S, sizeof sp[0], cmp_str);
    int ok = 1;
    size_t total = 0;
    for (int i = 0; i < S; i++) {
        if (i && strcmp(sp[i - 1], sp[i]) > 0)
            ok = 0;
        total += strlen(sp[i]);
    }
    printf("generated: sorted=%d total_len=%zu first=%s last=%s\n", ok, total, sp[0], sp[S - 1]);

    /* strlen at every alignment and length */
    char buf[256];
    unsigned long acc = 0;
    for (int off = 0; off < 16; off++)
        for (int len = 0; len < 100; len++) {
            memset(buf, 'x', sizeof buf);
            buf[off + len] = 0;
            acc += strlen(buf + off) == (size_t)len;
        }
    printf("strlen: %lu of 1600 right\n", acc);

    /* strcmp signs */
    printf("strcmp: %d %d %d %d %d\n", sign(strcmp("abc", "abd")), sign(strcmp("abc", "abc")),
           sign(strcmp("b", "abc")), sign(strcmp("ab", "abc")),
           sign(strcmp("\xff", "\x01")));
    printf("strncmp: %d %d memcmp: %d %d\n", sign(strncmp("abcdef", "abcxyz", 3)),
           sign(strncmp("abcdef", "abcxyz", 4)), sign(memcmp("\x80", "\x7f", 1)),
           sign(memcmp("same", "same", 4)));

    /* memcpy and memmove with overlap at assorted alignments */
    char m[128];
    for (int i = 0; i < 128; i++)
        m[i] = (char)i;
    memmove(m + 3, m, 50);
    memmove(m + 60, m + 67, 40);
    unsigned h = 0;
    for (int i = 0; i < 128; i++)
        h = h * 31 + (unsigned char)m[i];
    printf("memmove: m[3]=%d m[52]=%d m[60]=%d m[99]=%d hash=%08x\n", m[3], m[52], m[60], m[99], h);
    char dst[100];
    memset(dst, '.', sizeof dst);
    memcpy(dst + 5, "The quick brown fox jumps over the lazy dog", 43);
    dst[60] = 0;
    printf("memcpy: %s\n", dst);

    /* searching */
    const char *hay = "the quick brown fox jumps over the lazy dog; the end";
    printf("strstr: %td %td %s\n", strstr(hay, "the") - hay, strstr(hay + 1, "the") - hay,
           strstr(hay, "cat") ? "found" : "NULL");
    printf("strchr: %td strrchr: %td memchr: %td strchr-nul: %td\n", strchr(hay, 'q') - hay,
           strrchr(hay, 'e') - hay, (char *)memchr(hay, 'z', strlen(hay)) - hay,
           strchr(hay, 0) - hay);
    printf("strspn: %zu strcspn: %zu\n", strspn("aaabbbccc", "ab"), strcspn(hay, ";"));

    /* snprintf */
    char out[64];
    int n = snprintf(out, sizeof out, "%5d|%-5d|%05d|%x|%X|%o|%c|%s|%%", 42, 42, 42, 255, 255, 8,
                     'Z', "str");
    printf("snprintf: %d [%s]\n", n, out);
    const char *volatile too_long = "this is far too long for the buffer";
    n = snprintf(out, 10, "%s", too_long);
    printf("snprintf truncated: %d [%s]\n", n, out);
    n = snprintf(out, sizeof out, "%lld %llu %hhd %ld", -9223372036854775807LL - 1,
                 18446744073709551615ULL, (signed char)200, -1L);
    printf("snprintf wide: %d [%s]\n", n, out);
    n = snprintf(out, sizeof out, "%.3s|%10.4s|%*d|%-*d|", "abcdef", "abcdef", 6, 7, 4, 8);
    printf("snprintf prec: %d [%s]\n", n, out);

    /* strtok and strtol */
    char toks[] = "alpha, beta,,gamma ;delta";
    printf("strtok:");
    for (char *t = strtok(toks, ", ;"); t; t = strtok(NULL, ", ;"))
        printf(" <%s>", t);
    printf("\n");
    char *end;
    printf("strtol: %ld %ld %ld %lu\n", strtol("  -1234xyz", &end, 10), strtol("0x7f", NULL, 0),
           strtol("777", NULL, 8), strtoul("ffffffffffffffff", NULL, 16));
    printf("strtol end: [%s]\n", end);
    return 0;
}
