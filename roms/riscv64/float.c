/* float: printf formatting of doubles and floats, libm, the floating-point environment
 * (rounding modes, exception flags) and RISC-V conversion semantics for out-of-range
 * values, which C leaves undefined and so are done with inline fcvt instructions. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile double vd[] = { 0.0, -0.0, 1.0, -1.5, 0.1, 3.141592653589793, 1e300, 1e-300,
                                123456789.125, 5e-324, 2.5, -2.5, 0.5, 1.5, 65504.0 };

static void formats(void)
{
    for (unsigned i = 0; i < sizeof vd / sizeof vd[0]; i++) {
        double x = vd[i];
        printf("%%f=%f %%e=%e %%g=%g %%a=%a %%.17g=%.17g\n", x, x, x, x, x);
    }
    volatile double inf = INFINITY, nan_ = NAN;
    printf("inf: %f %e %g %a | -inf: %f\n", inf, inf, inf, inf, -inf);
    printf("nan: %f %g | -nan sign %d\n", nan_, nan_, signbit(-nan_) != 0);
    volatile float f = 1.0f / 3.0f;
    printf("float 1/3: %.9g %a\n", (double)f, (double)f);
    printf("FLT_MAX %g DBL_MAX %g DBL_MIN %g DBL_EPSILON %g\n", FLT_MAX, DBL_MAX, DBL_MIN,
           DBL_EPSILON);
    printf("widths: [%10.3f] [%-10.2e] [%+g] [% g] [%#g] [%010.4f]\n", 3.14159, 31415.9, 2.0,
           2.0, 2.0, -3.14159);
}

static void libm(void)
{
    static const double xs[] = { 0.0, 0.5, 1.0, 2.0, 3.0, 10.0, -0.75 };
    for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        volatile double x = xs[i];
        printf("x=%g sin=%.15g cos=%.15g exp=%.15g log=%.15g sqrt=%.15g atan=%.15g\n", x, sin(x),
               cos(x), exp(x), log(x), sqrt(x), atan(x));
    }
    volatile double a = 2.0, b = 0.5, c = 10.0, m = -2.5, p = 2.5, q = 2.4999;
    printf("pow: %.17g %.17g %.17g %.17g\n", pow(a, c), pow(c, b), pow(a, -c), pow(m, 3.0));
    printf("fma: %a %a\n", fma(0.1, 10.0, -1.0), fma(a, c, b));
    printf("floor: %g %g ceil: %g %g round: %g %g %g trunc: %g %g\n", floor(m), floor(p), ceil(m),
           ceil(p), round(m), round(p), round(q), trunc(m), trunc(p));
    printf("fmod: %g remainder: %g hypot: %g cbrt: %.17g\n", fmod(c, 3.0), remainder(c, 3.0),
           hypot(3.0, 4.0), cbrt(c));
    printf("sqrt(-1) isnan %d, log(0) %g, exp(1000) %g\n", isnan(sqrt(-a)) != 0, log(0.0 * a),
           exp(1000.0 * a));
    volatile float fx = 2.0f;
    printf("sqrtf: %.9g sinf: %.9g expf: %.9g\n", (double)sqrtf(fx), (double)sinf(fx),
           (double)expf(fx));
}

static const struct { int mode; const char *name; } modes[] = {
    { FE_TONEAREST, "nearest" },
    { FE_DOWNWARD, "down" },
    { FE_UPWARD, "up" },
    { FE_TOWARDZERO, "zero" },
};

static void rounding(void)
{
    volatile double one = 1.0, three = 3.0, neg = -1.0;
    static const double rv[] = { 2.5, -2.5, 1.5, 0.5, -0.5, 2.4, -2.6 };
    for (unsigned m = 0; m < 4; m++) {
        if (fesetround(modes[m].mode) != 0)
            printf("fesetround %s failed\n", modes[m].name);
        printf("mode %-7s get=%s:", modes[m].name, fegetround() == modes[m].mode ? "same" : "DIFF");
        for (unsigned i = 0; i < sizeof rv / sizeof rv[0]; i++) {
            volatile double x = rv[i];
            volatile double r = rint(x);
            volatile double n = nearbyint(x);
            printf(" %g/%g", r, n);
        }
        volatile double d1 = one / three;
        volatile double d2 = neg / three;
        volatile float f1 = (float)one / (float)three;
        volatile long l = lrint(rv[0]);
        printf(" 1/3=%a -1/3=%a f=%a lrint(2.5)=%ld\n", d1, d2, (double)f1, l);
    }
    fesetround(FE_TONEAREST);
}

static void flags(const char *what)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    printf("%-12s:%s%s%s%s%s%s\n", what, e & FE_INVALID ? " invalid" : "",
           e & FE_DIVBYZERO ? " divbyzero" : "", e & FE_OVERFLOW ? " overflow" : "",
           e & FE_UNDERFLOW ? " underflow" : "", e & FE_INEXACT ? " inexact" : "",
           e ? "" : " none");
}

static void exceptions(void)
{
    volatile double zero = 0.0, one = 1.0, three = 3.0, big = DBL_MAX, tiny = DBL_MIN, r;
    feclearexcept(FE_ALL_EXCEPT);
    r = one + one;
    flags("exact add");
    feclearexcept(FE_ALL_EXCEPT);
    r = one / zero;
    flags("1/0");
    feclearexcept(FE_ALL_EXCEPT);
    r = zero / zero;
    flags("0/0");
    feclearexcept(FE_ALL_EXCEPT);
    r = big * three;
    flags("max*3");
    feclearexcept(FE_ALL_EXCEPT);
    r = tiny / three;
    flags("min/3");
    feclearexcept(FE_ALL_EXCEPT);
    r = one / three;
    flags("1/3");
    feclearexcept(FE_ALL_EXCEPT);
    r = sqrt(-one);
    flags("sqrt(-1)");
    feclearexcept(FE_ALL_EXCEPT);
    feraiseexcept(FE_OVERFLOW | FE_DIVBYZERO);
    flags("raised");
    feclearexcept(FE_DIVBYZERO);
    flags("cleared one");
    fexcept_t saved;
    fegetexceptflag(&saved, FE_ALL_EXCEPT);
    feclearexcept(FE_ALL_EXCEPT);
    fesetexceptflag(&saved, FE_ALL_EXCEPT);
    flags("restored");
    feclearexcept(FE_ALL_EXCEPT);
    (void)r;
}

/* Conversions with explicit round-toward-zero, as C casts would use: RISC-V fcvt with rtz,
 * or aarch64 FCVTZS/FCVTZU reading the FPSR cumulative flags (IOC=1 DZC=2 OFC=4 UFC=8
 * IXC=16) instead of fflags. */
static int64_t cvt_w_d(double x, unsigned *fl)
{
    int64_t r;
#ifdef __riscv
    unsigned f;
    __asm__ volatile("csrw fflags, zero\n\tfcvt.w.d %0, %2, rtz\n\tcsrr %1, fflags"
                     : "=r"(r), "=r"(f) : "f"(x));
#else /* __aarch64__ */
    unsigned long f;
    __asm__ volatile("msr fpsr, xzr\n\tfcvtzs %w0, %d2\n\tsxtw %x0, %w0\n\tmrs %x1, fpsr"
                     : "=r"(r), "=r"(f) : "w"(x));
#endif /* __aarch64__ */
    *fl = f;
    return r;
}

static int64_t cvt_wu_d(double x, unsigned *fl)
{
    int64_t r;
#ifdef __riscv
    unsigned f;
    __asm__ volatile("csrw fflags, zero\n\tfcvt.wu.d %0, %2, rtz\n\tcsrr %1, fflags"
                     : "=r"(r), "=r"(f) : "f"(x));
#else /* __aarch64__ */
    unsigned long f;
    __asm__ volatile("msr fpsr, xzr\n\tfcvtzu %w0, %d2\n\tmrs %x1, fpsr"
                     : "=r"(r), "=r"(f) : "w"(x));
#endif /* __aarch64__ */
    *fl = f;
    return r;
}

static int64_t cvt_l_d(double x, unsigned *fl)
{
    int64_t r;
#ifdef __riscv
    unsigned f;
    __asm__ volatile("csrw fflags, zero\n\tfcvt.l.d %0, %2, rtz\n\tcsrr %1, fflags"
                     : "=r"(r), "=r"(f) : "f"(x));
#else /* __aarch64__ */
    unsigned long f;
    __asm__ volatile("msr fpsr, xzr\n\tfcvtzs %x0, %d2\n\tmrs %x1, fpsr"
                     : "=r"(r), "=r"(f) : "w"(x));
#endif /* __aarch64__ */
    *fl = f;
    return r;
}

static int64_t cvt_lu_d(double x, unsigned *fl)
{
    int64_t r;
#ifdef __riscv
    unsigned f;
    __asm__ volatile("csrw fflags, zero\n\tfcvt.lu.d %0, %2, rtz\n\tcsrr %1, fflags"
                     : "=r"(r), "=r"(f) : "f"(x));
#else /* __aarch64__ */
    unsigned long f;
    __asm__ volatile("msr fpsr, xzr\n\tfcvtzu %x0, %d2\n\tmrs %x1, fpsr"
                     : "=r"(r), "=r"(f) : "w"(x));
#endif /* __aarch64__ */
    *fl = f;
    return r;
}

static int64_t cvt_w_s(float x, unsigned *fl)
{
    int64_t r;
#ifdef __riscv
    unsigned f;
    __asm__ volatile("csrw fflags, zero\n\tfcvt.w.s %0, %2, rtz\n\tcsrr %1, fflags"
                     : "=r"(r), "=r"(f) : "f"(x));
#else /* __aarch64__ */
    unsigned long f;
    __asm__ volatile("msr fpsr, xzr\n\tfcvtzs %w0, %s2\n\tsxtw %x0, %w0\n\tmrs %x1, fpsr"
                     : "=r"(r), "=r"(f) : "w"(x));
#endif /* __aarch64__ */
    *fl = f;
    return r;
}

static void conversions(void)
{
    static const double xs[] = { 0.0, -0.0, 1.9, -1.9, 2147483647.0, 2147483648.0, -2147483648.0,
                                 -2147483649.0, 4294967295.0, 4294967296.0, 3e9, -3e9, 1e19,
                                 -1e19, 9.3e18, 1.8446744073709552e19, -0.5, INFINITY, -INFINITY,
                                 NAN };
    printf("fflags bits: NV=16 DZ=8 OF=4 UF=2 NX=1\n");
    for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        unsigned f1, f2, f3, f4, f5;
        int64_t w = cvt_w_d(x, &f1), wu = cvt_wu_d(x, &f2), l = cvt_l_d(x, &f3);
        int64_t lu = cvt_lu_d(x, &f4), ws = cvt_w_s((float)x, &f5);
        printf("%-12g w=%016llx/%u wu=%016llx/%u l=%016llx/%u lu=%016llx/%u w.s=%016llx/%u\n", x,
               (unsigned long long)w, f1, (unsigned long long)wu, f2, (unsigned long long)l, f3,
               (unsigned long long)lu, f4, (unsigned long long)ws, f5);
    }
    /* in-range C conversions both ways */
    volatile int64_t big = 9007199254740993LL; /* 2^53 + 1: not representable */
    volatile uint64_t ubig = 18446744073709551615ULL;
    volatile int32_t i32 = -123456789;
    volatile double d = -7.99;
    volatile float fl = 16777217.0f;
    printf("i64->d %.17g u64->d %.17g i32->f %.9g d->i %d d->u8 %u f %.9g\n", (double)big,
           (double)ubig, (double)(float)i32, (int)d, (unsigned)(unsigned char)(int)-d, (double)fl);
    volatile double negz = -0.0;
    uint64_t bits;
    double nz = negz;
    memcpy(&bits, &nz, 8);
    printf("-0.0 bits %016llx, -0.0 == 0.0 %d\n", (unsigned long long)bits, negz == 0.0);
}

int main(void)
{
    formats();
    libm();
    rounding();
    exceptions();
    conversions();
    return 0;
}
