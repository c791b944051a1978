/* atomics: C11 atomics on 8-, 16-, 32- and 64-bit objects (single-threaded): fetch_add,
 * fetch_sub, fetch_and, fetch_or, fetch_xor, exchange, compare_exchange loops, plus the
 * AMO min/max forms via inline asm since C has no atomic min/max. The same source builds for
 * riscv64 (AMOMIN/AMOMAX) and aarch64 (LSE LDSMIN/LDSMAX/LDUMIN/LDUMAX); the labels keep
 * the RISC-V names so both arches print the same. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define AMO(name, insn, T)                                                             \
    static T name(T *p, T v)                                                           \
    {                                                                                  \
        T old;                                                                         \
        __asm__ volatile(insn : "=r"(old) : "r"(p), "r"(v) : "memory");                 \
        return old;                                                                    \
    }

#ifdef __riscv
AMO(amomin_w, "amomin.w %0, %2, (%1)", int32_t)
AMO(amomax_w, "amomax.w %0, %2, (%1)", int32_t)
AMO(amominu_w, "amominu.w %0, %2, (%1)", int32_t)
AMO(amomaxu_w, "amomaxu.w %0, %2, (%1)", int32_t)
AMO(amomin_d, "amomin.d %0, %2, (%1)", int64_t)
AMO(amomax_d, "amomax.d %0, %2, (%1)", int64_t)
AMO(amominu_d, "amominu.d %0, %2, (%1)", int64_t)
AMO(amomaxu_d, "amomaxu.d %0, %2, (%1)", int64_t)
#else /* __aarch64__ */
AMO(amomin_w, "ldsmin %w2, %w0, [%1]", int32_t)
AMO(amomax_w, "ldsmax %w2, %w0, [%1]", int32_t)
AMO(amominu_w, "ldumin %w2, %w0, [%1]", int32_t)
AMO(amomaxu_w, "ldumax %w2, %w0, [%1]", int32_t)
AMO(amomin_d, "ldsmin %2, %0, [%1]", int64_t)
AMO(amomax_d, "ldsmax %2, %0, [%1]", int64_t)
AMO(amominu_d, "ldumin %2, %0, [%1]", int64_t)
AMO(amomaxu_d, "ldumax %2, %0, [%1]", int64_t)
#endif /* __aarch64__ */

#define SHOW32(label, old, obj) \
    printf("%-10s old=%08x new=%08x\n", label, (uint32_t)(old), (uint32_t)atomic_load(obj))
#define SHOW64(label, old, obj)                                                \
    printf("%-10s old=%016llx new=%016llx\n", label, (unsigned long long)(old), \
           (unsigned long long)atomic_load(obj))

int main(void)
{
    _Atomic uint32_t a32 = 0x0000fff0;
    SHOW32("add32", atomic_fetch_add(&a32, 0x20), &a32);
    SHOW32("sub32", atomic_fetch_sub(&a32, 0x10020), &a32);
    SHOW32("and32", atomic_fetch_and(&a32, 0xf0f0f0f0), &a32);
    SHOW32("or32", atomic_fetch_or(&a32, 0x0000000f), &a32);
    SHOW32("xor32", atomic_fetch_xor(&a32, 0xffffffff), &a32);
    SHOW32("xchg32", atomic_exchange(&a32, 0x80000000u), &a32);
    SHOW32("add32 wrap", atomic_fetch_add(&a32, 0x80000001u), &a32);

    _Atomic uint64_t a64 = 0xfffffffffffffff0ULL;
    SHOW64("add64", atomic_fetch_add(&a64, 0x20), &a64);
    SHOW64("sub64", atomic_fetch_sub(&a64, 0x100000000ULL), &a64);
    SHOW64("and64", atomic_fetch_and(&a64, 0x0f0f0f0f0f0f0f0fULL), &a64);
    SHOW64("or64", atomic_fetch_or(&a64, 0x8000000000000000ULL), &a64);
    SHOW64("xor64", atomic_fetch_xor(&a64, 0xffffffff00000000ULL), &a64);
    SHOW64("xchg64", atomic_exchange(&a64, 42), &a64);

    /* sub-word atomics: gcc emits masked lr.w/sc.w loops */
    _Atomic uint8_t a8 = 250;
    _Atomic uint16_t a16 = 65530;
    uint8_t o8 = atomic_fetch_add(&a8, 10);
    uint16_t o16 = atomic_fetch_add(&a16, 10);
    printf("u8 add old=%u new=%u, u16 add old=%u new=%u\n", o8, atomic_load(&a8), o16,
           atomic_load(&a16));
    o8 = atomic_exchange(&a8, 0xab);
    uint8_t e8 = 0xab;
    int ok8 = atomic_compare_exchange_strong(&a8, &e8, 0xcd);
    printf("u8 xchg old=%u, cas ok=%d now=%02x\n", o8, ok8, atomic_load(&a8));

    /* compare-exchange: success and failure */
    uint32_t exp32 = 5;
    int ok = atomic_compare_exchange_strong(&a32, &exp32, 6);
    printf("cas32 expect 5: ok=%d expected-now=%08x value=%08x\n", ok, exp32,
           (uint32_t)atomic_load(&a32));
    ok = atomic_compare_exchange_strong(&a32, &exp32, 6);
    printf("cas32 again:    ok=%d expected-now=%08x value=%08x\n", ok, exp32,
           (uint32_t)atomic_load(&a32));
    uint64_t exp64 = 42;
    ok = atomic_compare_exchange_strong(&a64, &exp64, 0xdeadbeefcafebabeULL);
    printf("cas64: ok=%d value=%016llx\n", ok, (unsigned long long)atomic_load(&a64));

    /* weak CAS loop computing a product, and a CAS-loop maximum */
    _Atomic uint64_t prod = 1;
    for (uint64_t i = 1; i <= 20; i++) {
        uint64_t cur = atomic_load(&prod);
        while (!atomic_compare_exchange_weak(&prod, &cur, cur * i))
            ;
    }
    printf("20! via cas loop = %llu\n", (unsigned long long)atomic_load(&prod));
    _Atomic int64_t mx = INT64_MIN;
    static const int64_t cand[] = { -5, 17, -100, 3, 99, 98, -1 };
    for (unsigned i = 0; i < sizeof cand / sizeof cand[0]; i++) {
        int64_t cur = atomic_load(&mx);
        while (cur < cand[i] && !atomic_compare_exchange_weak(&mx, &cur, cand[i]))
            ;
    }
    printf("cas max = %lld\n", (long long)atomic_load(&mx));

    /* AMO min/max signedness */
    int32_t w = -5;
    int32_t o = amomin_w(&w, 3);
    printf("amomin.w  old=%d new=%d\n", o, w);
    o = amomax_w(&w, 3);
    printf("amomax.w  old=%d new=%d\n", o, w);
    w = -5;
    o = amominu_w(&w, 3);
    printf("amominu.w old=%d new=%d\n", o, w);
    o = amomaxu_w(&w, -1);
    printf("amomaxu.w old=%d new=%d\n", o, w);
    int64_t d = -5;
    int64_t od = amomin_d(&d, 3);
    printf("amomin.d  old=%lld new=%lld\n", (long long)od, (long long)d);
    od = amomax_d(&d, 3);
    printf("amomax.d  old=%lld new=%lld\n", (long long)od, (long long)d);
    d = -5;
    od = amominu_d(&d, 3);
    printf("amominu.d old=%lld new=%lld\n", (long long)od, (long long)d);
    od = amomaxu_d(&d, -1);
    printf("amomaxu.d old=%lld new=%lld\n", (long long)od, (long long)d);

    /* flags and fences */
    atomic_flag fl = ATOMIC_FLAG_INIT;
    int t1 = atomic_flag_test_and_set(&fl);
    int t2 = atomic_flag_test_and_set(&fl);
    atomic_flag_clear(&fl);
    int t3 = atomic_flag_test_and_set(&fl);
    atomic_thread_fence(memory_order_seq_cst);
    printf("flag: %d %d %d, lock-free 1/2/4/8: %d %d %d %d\n", t1, t2, t3,
           (int)atomic_is_lock_free(&a8), (int)atomic_is_lock_free(&a16),
           (int)atomic_is_lock_free(&a32), (int)atomic_is_lock_free(&a64));
    return 0;
}
