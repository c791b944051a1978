/* coremark_like: a CoreMark-style mix (our own code, not CoreMark): linked-list search,
 * reversal and merge sort; integer matrix multiply-accumulate with bit extraction; a
 * state machine scanning text for numbers; CRC-16 (CCITT, bitwise) folding the results
 * of every part. Prints the final CRC, which is the same on every architecture. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define ITERATIONS 20000

static uint16_t crc16_byte(uint16_t crc, uint8_t b)
{
    crc ^= (uint16_t)b << 8;
    for (int i = 0; i < 8; i++)
        crc = crc & 0x8000 ? (uint16_t)(crc << 1) ^ 0x1021 : (uint16_t)(crc << 1);
    return crc;
}

static uint16_t crc16_u32(uint16_t crc, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        crc = crc16_byte(crc, (uint8_t)(v >> (8 * i)));
    return crc;
}

/* ---- linked lists ---- */
struct node {
    struct node *next;
    int16_t key;
    int16_t value;
};

#define LIST_LEN 200
static struct node pool[LIST_LEN];

static struct node *list_build(uint32_t seed)
{
    struct node *head = NULL;
    for (int i = 0; i < LIST_LEN; i++) {
        seed = seed * 1664525u + 1013904223u;
        pool[i].key = (int16_t)(seed >> 20);
        pool[i].value = (int16_t)i;
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}

static struct node *list_reverse(struct node *l)
{
    struct node *prev = NULL;
    while (l) {
        struct node *n = l->next;
        l->next = prev;
        prev = l;
        l = n;
    }
    return prev;
}

static struct node *list_find(struct node *l, int16_t key)
{
    while (l && l->key != key)
        l = l->next;
    return l;
}

static struct node *list_merge_sort(struct node *l)
{
    /* bottom-up merge sort on the keys, stable */
    int insize = 1;
    if (!l)
        return l;
    for (;;) {
        struct node *p = l, *tail = NULL;
        l = NULL;
        int merges = 0;
        while (p) {
            merges++;
            struct node *q = p;
            int psize = 0;
            for (int i = 0; i < insize && q; i++) {
                psize++;
                q = q->next;
            }
            int qsize = insize;
            while (psize > 0 || (qsize > 0 && q)) {
                struct node *e;
                if (psize == 0) {
                    e = q, q = q->next, qsize--;
                } else if (qsize == 0 || !q || p->key <= q->key) {
                    e = p, p = p->next, psize--;
                } else {
                    e = q, q = q->next, qsize--;
                }
                if (tail)
                    tail->next = e;
                else
                    l = e;
                tail = e;
            }
            p = q;
        }
        tail->next = NULL;
        if (merges <= 1)
            return l;
        insize *= 2;
    }
}

static uint16_t bench_list(uint16_t crc, uint32_t seed)
{
    struct node *l = list_build(seed);
    l = list_reverse(l);
    int found = 0;
    for (int k = 0; k < 40; k++) {
        struct node *n = list_find(l, pool[(k * 37) % LIST_LEN].key);
        if (n)
            found += n->value;
    }
    l = list_merge_sort(l);
    int32_t prev = -40000, sorted = 1;
    uint32_t acc = 0;
    for (struct node *n = l; n; n = n->next) {
        if (n->key < prev)
            sorted = 0;
        prev = n->key;
        acc = acc * 3 + (uint16_t)n->value;
    }
    crc = crc16_u32(crc, (uint32_t)found);
    crc = crc16_u32(crc, acc);
    return crc16_u32(crc, (uint32_t)sorted);
}

/* ---- matrices ---- */
#define MN 24
static int16_t ma[MN][MN], mb[MN][MN];
static int32_t mc[MN][MN];

static uint16_t bench_matrix(uint16_t crc, uint32_t seed)
{
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            seed = seed * 1103515245u + 12345u;
            ma[i][j] = (int16_t)((seed >> 16) & 0x3ff) - 512;
            mb[i][j] = (int16_t)((seed >> 6) & 0x3ff) - 512;
        }
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            int32_t s = 0;
            for (int k = 0; k < MN; k++)
                s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    uint32_t acc = 0;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            int32_t v = mc[i][j] + ma[i][j] * 3;
            acc += (uint32_t)((v >> 3) & 0xff) ^ (uint32_t)(v > 0 ? v % 1000 : -v % 777);
        }
    return crc16_u32(crc, acc);
}

/* ---- state machine: scans text, classifying integers, decimals, exponents, junk ---- */
enum state { START, INT, FRAC, EXP_START, EXP_SIGN, EXP, JUNK, NSTATES };

static const char *const texts[] = {
    "5012 1234 -874 +122 3.14159 -0.5 1e10 2.5E-3 0x1f 7. .5 --3 1e+ abc 99999 -1.e2",
    "T0.3e-1F -- 12,34 5.5.5 1E5x 42 0 -0 +.7 3e3e3 88 +1 - + e5 6.02e23 9.81",
};

static uint16_t bench_state(uint16_t crc)
{
    unsigned counts[NSTATES] = { 0 };
    unsigned transitions = 0;
    for (int t = 0; t < 2; t++) {
        const unsigned char *p = (const unsigned char *)texts[t];
        for (;;) {
            enum state s = START;
            while (*p == ' ' || *p == ',')
                p++;
            if (!*p)
                break;
            for (; *p && *p != ' ' && *p != ','; p++) {
                unsigned char c = *p;
                enum state n = JUNK;
                int digit = c >= '0' && c <= '9';
                switch (s) {
                case START:
                    n = digit ? INT : (c == '+' || c == '-') ? START : c == '.' ? FRAC : JUNK;
                    break;
                case INT:
                    n = digit ? INT : c == '.' ? FRAC : (c == 'e' || c == 'E') ? EXP_START : JUNK;
                    break;
                case FRAC:
                    n = digit ? FRAC : (c == 'e' || c == 'E') ? EXP_START : JUNK;
                    break;
                case EXP_START:
                    n = digit ? EXP : (c == '+' || c == '-') ? EXP_SIGN : JUNK;
                    break;
                case EXP_SIGN:
                case EXP:
                    n = digit ? EXP : JUNK;
                    break;
                default:
                    n = JUNK;
                }
                if (n != s)
                    transitions++;
                s = n;
            }
            counts[s]++;
        }
    }
    for (int i = 0; i < NSTATES; i++)
        crc = crc16_u32(crc, counts[i]);
    return crc16_u32(crc, transitions);
}

int main(int argc, char **argv)
{
    int iterations = argc > 1 ? atoi(argv[1]) : ITERATIONS;
    uint16_t crc = 0xffff;
    for (int it = 0; it < iterations; it++) {
        crc = bench_list(crc, (uint32_t)it * 2654435761u);
        crc = bench_matrix(crc, (uint32_t)it + 7);
        crc = bench_state(crc);
    }
    printf("iterations %d crc %04x\n", iterations, crc);
    return 0;
}
