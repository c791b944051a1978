/* string_funcs: the C library's memory and string routines (glibc's tuned versions, reached
 * through function pointers so the compiler cannot substitute its own) over every
 * alignment 0..15 of source and destination and many lengths, each result checked against
 * a naive reference. Prints one line per function with the number of checks; any mismatch
 * is printed and makes the exit status nonzero. The same source runs on both arches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF 640
#define GUARD 32

static unsigned char src_buf[BUF + 2 * GUARD], dst_buf[BUF + 2 * GUARD], ref_buf[BUF + 2 * GUARD];
static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                               23, 24, 25, 31, 32, 33, 47, 48, 49, 63, 64, 65, 79, 95, 96, 97, 127,
                               128, 129, 200, 255, 256, 257, 300, 511, 512 };
#define NLENS (sizeof lens / sizeof lens[0])

static void *(*volatile p_memcpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile p_memmove)(void *, const void *, size_t) = memmove;
static void *(*volatile p_memset)(void *, int, size_t) = memset;
static int (*volatile p_memcmp)(const void *, const void *, size_t) = memcmp;
static size_t (*volatile p_strlen)(const char *) = strlen;
static char *(*volatile p_strchr)(const char *, int) = strchr;
static char *(*volatile p_strrchr)(const char *, int) = strrchr;
static int (*volatile p_strcmp)(const char *, const char *) = strcmp;
static int (*volatile p_strncmp)(const char *, const char *, size_t) = strncmp;
static void *(*volatile p_memchr)(const void *, int, size_t) = memchr;

static long failures;
static void fail(const char *fn, size_t sa, size_t da, size_t len, const char *what)
{
    if (failures < 20)
        printf("FAIL %s: src align %zu dst align %zu len %zu: %s\n", fn, sa, da, len, what);
    failures++;
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

/* Random bytes, eight at a time (xorshift64). */
static unsigned long long fill_state = 0x9e3779b97f4a7c15ull;
static void fill(unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i += 8) {
        fill_state ^= fill_state << 13;
        fill_state ^= fill_state >> 7;
        fill_state ^= fill_state << 17;
        unsigned long long x = fill_state;
        for (size_t j = 0; j < 8 && i + j < n; j++, x >>= 8)
            b[i + j] = (unsigned char)x;
    }
}

/* The bytes a test of `len` bytes at alignment up to 15 can touch, with guards. */
static size_t span(size_t len)
{
    return 2 * GUARD + 16 + len;
}

static long test_memcpy(void)
{
    long n = 0;
    for (size_t sa = 0; sa < 16; sa++)
        for (size_t da = 0; da < 16; da++)
            for (size_t k = 0; k < NLENS; k++) {
                size_t len = lens[k];
                fill(src_buf, span(len));
                fill(dst_buf, span(len));
                memcpy(ref_buf, dst_buf, span(len));
                for (size_t i = 0; i < len; i++)
                    ref_buf[GUARD + da + i] = src_buf[GUARD + sa + i];
                void *r = p_memcpy(dst_buf + GUARD + da, src_buf + GUARD + sa, len);
                if (r != dst_buf + GUARD + da)
                    fail("memcpy", sa, da, len, "return value");
                for (size_t i = 0; i < span(len); i++)
                    if (dst_buf[i] != ref_buf[i]) {
                        fail("memcpy", sa, da, len, "bytes differ");
                        break;
                    }
                n++;
            }
    return n;
}

/* memmove within one buffer: source and destination overlap in both directions. */
static long test_memmove(void)
{
    long n = 0;
    for (size_t sa = 0; sa < 16; sa++)
        for (size_t da = 0; da < 16; da++)
            for (size_t k = 0; k < NLENS; k++)
                for (int shift = -40; shift <= 40; shift += 20) {
                    size_t len = lens[k];
                    size_t s = GUARD + 64 + sa, d = GUARD + 64 + da + shift;
                    if (len + 64 + 16 + 40 > BUF)
                        continue;
                    size_t n_used = span(len) + 64 + 40;
                    fill(dst_buf, n_used);
                    memcpy(ref_buf, dst_buf, n_used);
                    unsigned char tmp[BUF];
                    for (size_t i = 0; i < len; i++)
                        tmp[i] = ref_buf[s + i];
                    for (size_t i = 0; i < len; i++)
                        ref_buf[d + i] = tmp[i];
                    void *r = p_memmove(dst_buf + d, dst_buf + s, len);
                    if (r != dst_buf + d)
                        fail("memmove", sa, da, len, "return value");
                    for (size_t i = 0; i < n_used; i++)
                        if (dst_buf[i] != ref_buf[i]) {
                            fail("memmove", sa, da, len, "bytes differ");
                            break;
                        }
                    n++;
                }
    return n;
}

static long test_memset(void)
{
    long n = 0;
    for (size_t da = 0; da < 16; da++)
        for (size_t k = 0; k < NLENS; k++)
            for (int c = 0; c < 256; c += 85) {
                size_t len = lens[k];
                fill(dst_buf, span(len));
                memcpy(ref_buf, dst_buf, span(len));
                for (size_t i = 0; i < len; i++)
                    ref_buf[GUARD + da + i] = (unsigned char)c;
                void *r = p_memset(dst_buf + GUARD + da, c | 0x100, len);
                if (r != dst_buf + GUARD + da)
                    fail("memset", 0, da, len, "return value");
                for (size_t i = 0; i < span(len); i++)
                    if (dst_buf[i] != ref_buf[i]) {
                        fail("memset", 0, da, len, "bytes differ");
                        break;
                    }
                n++;
            }
    return n;
}

/* Two equal regions, then (unless `at` == len) a difference at `at`. */
static void make_pair(size_t sa, size_t da, size_t len, size_t at, int strings)
{
    fill(src_buf, span(len));
    fill(dst_buf, span(len));
    for (size_t i = 0; i < len; i++) {
        unsigned char c = strings ? (unsigned char)(src_buf[GUARD + sa + i] | 1) : src_buf[GUARD + sa + i];
        src_buf[GUARD + sa + i] = c;
        dst_buf[GUARD + da + i] = c;
    }
    if (strings) {
        src_buf[GUARD + sa + len] = 0;
        dst_buf[GUARD + da + len] = 0;
    }
    if (at < len) {
        /* Differ with bytes on both sides of 0x80, so signedness matters. */
        unsigned char x = src_buf[GUARD + sa + at];
        dst_buf[GUARD + da + at] = (unsigned char)(x ^ 0x80) ? (unsigned char)(x ^ 0x80) : 1;
    }
}

static int ref_memcmp(const unsigned char *a, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}
static int ref_strncmp(const unsigned char *a, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
        if (a[i] == 0)
            return 0;
    }
    return 0;
}

static long test_compare(void)
{
    long n = 0;
    for (size_t sa = 0; sa < 16; sa++)
        for (size_t da = 0; da < 16; da++)
            for (size_t k = 0; k < NLENS; k++) {
                size_t len = lens[k];
                size_t ats[] = { 0, len / 2, len ? len - 1 : 0, len };
                for (int j = 0; j < 4; j++) {
                    size_t at = ats[j] > len ? len : ats[j];
                    const unsigned char *a = src_buf + GUARD + sa, *b = dst_buf + GUARD + da;
                    make_pair(sa, da, len, at, 0);
                    if (sign(p_memcmp(a, b, len)) != ref_memcmp(a, b, len))
                        fail("memcmp", sa, da, len, "result");
                    make_pair(sa, da, len, at, 1);
                    if (sign(p_strcmp((const char *)a, (const char *)b)) != ref_strncmp(a, b, (size_t)-1))
                        fail("strcmp", sa, da, len, "result");
                    size_t lim = len / 2 + 1;
                    if (sign(p_strncmp((const char *)a, (const char *)b, lim)) != ref_strncmp(a, b, lim))
                        fail("strncmp", sa, da, len, "result (limit)");
                    if (sign(p_strncmp((const char *)a, (const char *)b, len + 8)) != ref_strncmp(a, b, len + 8))
                        fail("strncmp", sa, da, len, "result");
                    n += 4;
                }
            }
    return n;
}

static long test_search(void)
{
    long n = 0;
    for (size_t sa = 0; sa < 16; sa++)
        for (size_t k = 0; k < NLENS; k++) {
            size_t len = lens[k];
            const int needle = 0xa5;
            size_t spots[] = { 0, 1, len / 3, len / 2, len ? len - 1 : 0, len + 100 };
            for (int j = 0; j < 6; j++) {
                fill(src_buf, span(len));
                char *s = (char *)src_buf + GUARD + sa;
                for (size_t i = 0; i < len; i++) {
                    unsigned char c = (unsigned char)s[i] | 1;
                    s[i] = (char)(c == needle ? 0x5b : c);
                }
                s[len] = 0;
                size_t at = spots[j];
                size_t at2 = at;
                if (at < len) {
                    s[at] = (char)needle;
                    /* A second occurrence for strrchr, when there is room after the first. */
                    at2 = at + (len - at) / 2;
                    s[at2] = (char)needle;
                }
                if (p_strlen(s) != len)
                    fail("strlen", sa, 0, len, "length");
                char *want = at < len ? s + at : NULL;
                if (p_strchr(s, needle) != want)
                    fail("strchr", sa, 0, len, "pointer");
                if (p_strchr(s, 0) != s + len)
                    fail("strchr", sa, 0, len, "terminator");
                char *want_r = at < len ? s + at2 : NULL;
                if (p_strrchr(s, needle) != want_r)
                    fail("strrchr", sa, 0, len, "pointer");
                if (p_memchr(s, needle, len) != want)
                    fail("memchr", sa, 0, len, "pointer");
                /* memchr does not stop at NUL: the needle past the terminator is found. */
                s[len] = (char)needle;
                if (at >= len && p_memchr(s, needle, len + 1) != s + len)
                    fail("memchr", sa, 0, len, "past the end");
                n += 5;
            }
        }
    return n;
}

int main(void)
{
    printf("memcpy: %ld checks\n", test_memcpy());
    printf("memmove: %ld checks\n", test_memmove());
    printf("memset: %ld checks\n", test_memset());
    printf("memcmp/strcmp/strncmp: %ld checks\n", test_compare());
    printf("strlen/strchr/strrchr/memchr: %ld checks\n", test_search());
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
