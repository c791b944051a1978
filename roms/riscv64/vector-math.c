/* vector-math: loops gcc -O3 auto-vectorises (with AdvSIMD on aarch64): element-wise
 * integer and FP arithmetic, widening and narrowing, saturation written as clamps,
 * conversions, min/max and integer reductions, and a small matrix multiply. Inputs come
 * from a fixed generator, so the output (checksums and a few values) is the same on every
 * machine; FP results are printed as exact bit patterns or in %a. */
#include <stdint.h>
#include <stdio.h>

#define N 1027 /* not a multiple of any vector length: the scalar tails run too */

static int32_t a32[N], b32[N], c32[N];
static int16_t a16[N], b16[N];
static uint8_t a8[N], b8[N], c8[N];
static float af[N], bf[N], cf[N];
static double ad[N], bd[N], cd[N];
static int64_t a64[N], c64[N];

static uint32_t seed = 2463534242u;
static uint32_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
}

static uint64_t hash = 1469598103934665603ull;
static void mix(uint64_t x)
{
    hash = (hash ^ x) * 1099511628211ull;
}
static uint64_t fbits(float f)
{
    union { float f; uint32_t u; } v = { f };
    return v.u;
}
static uint64_t dbits(double d)
{
    union { double d; uint64_t u; } v = { d };
    return v.u;
}

__attribute__((noinline)) static void int_ops(void)
{
    for (int i = 0; i < N; i++)
        c32[i] = (int32_t)((uint32_t)a32[i] * (uint32_t)b32[i] + (uint32_t)(a32[i] >> 3) - (uint32_t)(b32[i] ^ 0x5a5a));
    for (int i = 0; i < N; i++)
        c64[i] = (int64_t)a32[i] * b32[i]; /* widening multiply */
    for (int i = 0; i < N; i++)
        a64[i] = c64[i] >> 7;
    for (int i = 0; i < N; i++) {
        int x = a16[i] + b16[i]; /* saturating add as a clamp */
        a16[i] = (int16_t)(x > 32767 ? 32767 : x < -32768 ? -32768 : x);
    }
    for (int i = 0; i < N; i++) {
        unsigned x = (unsigned)a8[i] + b8[i];
        c8[i] = (uint8_t)(x > 255 ? 255 : x);
    }
    for (int i = 0; i < N; i++)
        b8[i] = (uint8_t)((a8[i] + b8[i] + 1) >> 1); /* rounding halving add */
    for (int i = 0; i < N; i++)
        b32[i] = a32[i] < 0 ? (int32_t)(0u - (uint32_t)a32[i]) : a32[i];
    for (int i = 0; i < N; i++)
        c32[i] = c32[i] > b32[i] ? c32[i] : b32[i];
    for (int i = 0; i < N; i++)
        b16[i] = (int16_t)(c32[i] >> 16); /* narrowing */
}

__attribute__((noinline)) static void reductions(void)
{
    int64_t s64 = 0;
    uint32_t s32 = 0;
    int32_t mx = INT32_MIN, mn = INT32_MAX;
    uint32_t su8 = 0;
    int64_t dot = 0;
    for (int i = 0; i < N; i++)
        s32 += (uint32_t)c32[i];
    for (int i = 0; i < N; i++)
        s64 += a64[i];
    for (int i = 0; i < N; i++)
        mx = a32[i] > mx ? a32[i] : mx;
    for (int i = 0; i < N; i++)
        mn = a32[i] < mn ? a32[i] : mn;
    for (int i = 0; i < N; i++)
        su8 += c8[i];
    for (int i = 0; i < N; i++)
        dot += (int32_t)a16[i] * b16[i];
    printf("sum32 %u sum64 %lld max %d min %d sum8 %u dot16 %lld\n", s32, (long long)s64, mx, mn, su8, (long long)dot);
    mix(s32);
    mix((uint64_t)s64);
    mix((uint64_t)dot);
}

__attribute__((noinline)) static void fp_ops(void)
{
    for (int i = 0; i < N; i++)
        cf[i] = af[i] * bf[i] + cf[i];
    for (int i = 0; i < N; i++)
        cd[i] = ad[i] * 2.5 - bd[i] / 3.0;
    for (int i = 0; i < N; i++)
        bf[i] = af[i] > bf[i] ? af[i] : bf[i];
    for (int i = 0; i < N; i++)
        af[i] = (float)cd[i]; /* narrowing conversion */
    for (int i = 0; i < N; i++)
        bd[i] = (double)cf[i] * cf[i]; /* widening */
    for (int i = 0; i < N; i++)
        c32[i] = (int32_t)(af[i] * 0.125f); /* to integer, toward zero */
    for (int i = 0; i < N; i++)
        cf[i] = (float)a32[i] / 1024.0f; /* from integer */
    for (int i = 0; i < N; i++)
        ad[i] = cd[i] < 0 ? -cd[i] : cd[i];
    uint64_t h = 0;
    for (int i = 0; i < N; i++)
        h = h * 31 + fbits(af[i]) + fbits(bf[i]) + fbits(cf[i]) + dbits(ad[i]) + dbits(bd[i]) + (uint32_t)c32[i];
    printf("fp checksum %016llx, cf[5] = %a, bd[7] = %a\n", (unsigned long long)h, cf[5], bd[7]);
    mix(h);
}

#define M 24
static float ma[M][M], mb[M][M], mc[M][M];
__attribute__((noinline)) static void matmul(void)
{
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++)
            mc[i][j] = 0;
    for (int i = 0; i < M; i++)
        for (int k = 0; k < M; k++)
            for (int j = 0; j < M; j++)
                mc[i][j] += ma[i][k] * mb[k][j];
    uint64_t h = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++)
            h = h * 131 + fbits(mc[i][j]);
    printf("matmul checksum %016llx, mc[3][4] = %a\n", (unsigned long long)h, mc[3][4]);
    mix(h);
}

int main(void)
{
    for (int i = 0; i < N; i++) {
        a32[i] = (int32_t)rnd() >> (rnd() % 16);
        b32[i] = (int32_t)rnd() >> (rnd() % 20);
        a16[i] = (int16_t)rnd();
        b16[i] = (int16_t)rnd();
        a8[i] = (uint8_t)rnd();
        b8[i] = (uint8_t)rnd();
        /* Small integers scaled by powers of two: products and sums are exact. */
        af[i] = (float)((int32_t)(rnd() % 2001) - 1000) / 64.0f;
        bf[i] = (float)((int32_t)(rnd() % 2001) - 1000) / 32.0f;
        cf[i] = (float)((int32_t)(rnd() % 2001) - 1000) / 16.0f;
        ad[i] = (double)((int32_t)rnd()) / 4096.0;
        bd[i] = (double)((int32_t)rnd()) / 8192.0;
    }
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            ma[i][j] = (float)((int32_t)(rnd() % 65) - 32) / 8.0f;
            mb[i][j] = (float)((int32_t)(rnd() % 65) - 32) / 4.0f;
        }
    int_ops();
    for (int i = 0; i < N; i++)
        mix((uint64_t)(uint32_t)c32[i] | (uint64_t)(uint16_t)a16[i] << 32 | (uint64_t)c8[i] << 48 | (uint64_t)b8[i] << 56);
    for (int i = 0; i < N; i++)
        mix((uint64_t)a64[i] ^ (uint64_t)(uint16_t)b16[i]);
    printf("int checksum %016llx\n", (unsigned long long)hash);
    reductions();
    fp_ops();
    matmul();
    printf("total %016llx\n", (unsigned long long)hash);
    return 0;
}
