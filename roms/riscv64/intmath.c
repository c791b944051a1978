/* intmath: RISC-V integer division edge cases (divide by zero, INT_MIN / -1) via inline
 * asm, since C makes them undefined, plus high multiplies checked against __int128.
 * On aarch64 each RISC-V operation is built from A64 instructions (SDIV/UDIV, MSUB for
 * remainders, SMULH/UMULH); names and output format follow the RISC-V original. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __riscv
#define OP_OUT "=r"
#define OP_CLOBBERS
#else /* __aarch64__: some sequences need a scratch register and set flags */
#define OP_OUT "=&r"
#define OP_CLOBBERS "x9", "cc"
#endif

#define OP(name, insn)                                                                 \
    static int64_t name(int64_t a, int64_t b)                                          \
    {                                                                                  \
        int64_t r;                                                                     \
        __asm__ volatile(insn : OP_OUT(r) : "r"(a), "r"(b) : OP_CLOBBERS);              \
        return r;                                                                      \
    }

#ifdef __riscv
OP(div_, "div %0, %1, %2")
OP(divu_, "divu %0, %1, %2")
OP(rem_, "rem %0, %1, %2")
OP(remu_, "remu %0, %1, %2")
OP(divw_, "divw %0, %1, %2")
OP(divuw_, "divuw %0, %1, %2")
OP(remw_, "remw %0, %1, %2")
OP(remuw_, "remuw %0, %1, %2")
OP(mul_, "mul %0, %1, %2")
OP(mulh_, "mulh %0, %1, %2")
OP(mulhu_, "mulhu %0, %1, %2")
OP(mulhsu_, "mulhsu %0, %1, %2")
OP(mulw_, "mulw %0, %1, %2")
#else /* __aarch64__ */
OP(div_, "sdiv %0, %1, %2")
OP(divu_, "udiv %0, %1, %2")
OP(rem_, "sdiv %0, %1, %2\n\tmsub %0, %0, %2, %1")
OP(remu_, "udiv %0, %1, %2\n\tmsub %0, %0, %2, %1")
OP(divw_, "sdiv %w0, %w1, %w2\n\tsxtw %0, %w0")
OP(divuw_, "udiv %w0, %w1, %w2\n\tsxtw %0, %w0")
OP(remw_, "sdiv %w0, %w1, %w2\n\tmsub %w0, %w0, %w2, %w1\n\tsxtw %0, %w0")
OP(remuw_, "udiv %w0, %w1, %w2\n\tmsub %w0, %w0, %w2, %w1\n\tsxtw %0, %w0")
OP(mul_, "mul %0, %1, %2")
OP(mulh_, "smulh %0, %1, %2")
OP(mulhu_, "umulh %0, %1, %2")
OP(mulhsu_, "umulh %0, %1, %2\n\tcmp %1, #0\n\tcsel x9, %2, xzr, lt\n\tsub %0, %0, x9")
OP(mulw_, "mul %w0, %w1, %w2\n\tsxtw %0, %w0")
#endif /* __aarch64__ */

static const int64_t vals[] = { 0, 1, -1, 2, -2, 7, -7, 3, INT64_MIN, INT64_MAX, INT32_MIN,
                                INT32_MAX, 0x80000000LL, 0xffffffffLL, 0x123456789abcdefLL,
                                -0x123456789abcdefLL };
#define NV (sizeof vals / sizeof vals[0])

int main(void)
{
    unsigned long bad = 0;
    uint64_t h = 14695981039346656037ULL;
    for (unsigned i = 0; i < NV; i++)
        for (unsigned j = 0; j < NV; j++) {
            int64_t a = vals[i], b = vals[j];
            int64_t r[13] = { div_(a, b), divu_(a, b), rem_(a, b), remu_(a, b), divw_(a, b),
                              divuw_(a, b), remw_(a, b), remuw_(a, b), mul_(a, b), mulh_(a, b),
                              mulhu_(a, b), mulhsu_(a, b), mulw_(a, b) };
            for (int k = 0; k < 13; k++)
                h = (h ^ (uint64_t)r[k]) * 1099511628211ULL;
            /* cross-check with C where C is defined */
            __int128 s = (__int128)a * b;
            unsigned __int128 u = (unsigned __int128)(uint64_t)a * (uint64_t)b;
            __int128 su = (__int128)a * (__int128)(unsigned __int128)(uint64_t)b;
            if (r[8] != (int64_t)(uint64_t)u || r[9] != (int64_t)(s >> 64) ||
                r[10] != (int64_t)(uint64_t)(u >> 64) || r[11] != (int64_t)(su >> 64))
                bad++, printf("mul mismatch %lld %lld\n", (long long)a, (long long)b);
            if (b != 0 && !(a == INT64_MIN && b == -1)) {
                if (r[0] != a / b || r[2] != a % b)
                    bad++, printf("div mismatch %lld %lld\n", (long long)a, (long long)b);
            }
            if (b != 0 && (r[1] != (int64_t)((uint64_t)a / (uint64_t)b) ||
                           r[3] != (int64_t)((uint64_t)a % (uint64_t)b)))
                bad++, printf("divu mismatch %lld %lld\n", (long long)a, (long long)b);
            if (r[12] != (int64_t)(int32_t)(uint32_t)((uint64_t)a * (uint64_t)b))
                bad++, printf("mulw mismatch\n");
        }
    printf("table hash %016llx\n", (unsigned long long)h);

    /* the edge cases, spelled out */
    printf("div 7/0 = %lld\n", (long long)div_(7, 0));
    printf("divu 7/0 = %llx\n", (unsigned long long)divu_(7, 0));
    printf("rem 7%%0 = %lld\n", (long long)rem_(7, 0));
    printf("remu -7%%0 = %lld\n", (long long)remu_(-7, 0));
    printf("div INT64_MIN/-1 = %llx\n", (unsigned long long)div_(INT64_MIN, -1));
    printf("rem INT64_MIN%%-1 = %lld\n", (long long)rem_(INT64_MIN, -1));
    printf("divw 7/0 = %lld\n", (long long)divw_(7, 0));
    printf("divuw 7/0 = %llx\n", (unsigned long long)divuw_(7, 0));
    printf("remw 0x100000007%%0 = %lld\n", (long long)remw_(0x100000007LL, 0));
    printf("remuw -7%%0 = %llx\n", (unsigned long long)remuw_(-7, 0));
    printf("divw INT32_MIN/-1 = %llx\n", (unsigned long long)divw_(INT32_MIN, -1));
    printf("remw INT32_MIN%%-1 = %lld\n", (long long)remw_(INT32_MIN, -1));
    printf("divw ignores high bits: %lld\n", (long long)divw_(0x7fffffff00000010LL, 0x100000002LL));
    printf("divuw 0xffffffff/1 = %llx\n", (unsigned long long)divuw_(0xffffffffLL, 1));
    printf("mulh -1*-1 = %lld mulhu -1*-1 = %llx mulhsu -1*-1 = %lld\n", (long long)mulh_(-1, -1),
           (unsigned long long)mulhu_(-1, -1), (long long)mulhsu_(-1, -1));
    printf("mulh MIN*MIN = %llx mulw 0x10000*0x10000 = %lld\n",
           (unsigned long long)mulh_(INT64_MIN, INT64_MIN), (long long)mulw_(0x10000, 0x10000));

    /* C-level arithmetic that compilers turn into shifts and multiplies */
    volatile int64_t x = -1000000007;
    volatile uint64_t y = 0xfedcba9876543210ULL;
    printf("c: %lld %lld %llu %llu %lld %lld\n", (long long)(x / 10), (long long)(x % 10),
           (unsigned long long)(y / 1000), (unsigned long long)(y % 1000), (long long)(x >> 3),
           (long long)(x / 8));
    printf("bad %lu\n", bad);
    return bad ? 1 : 0;
}
