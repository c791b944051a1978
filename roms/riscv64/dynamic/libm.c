/* Dynamically linked libm: functions that live in libm.so.6, not in libc. */
#include <math.h>
#include <stdio.h>

int main(void) {
    volatile double xs[] = {0.5, 1.0, 2.0, 10.0, 123.456};
    for (int i = 0; i < 5; i++) {
        double x = xs[i];
        printf("x=%g sin=%.12f cos=%.12f exp=%.12g log=%.12f sqrt=%.12f cbrt=%.12f atan2=%.12f\n", x, sin(x),
               cos(x), exp(x), log(x), sqrt(x), cbrt(x), atan2(x, 3.0));
    }
    printf("pow(2, 0.5)=%.15f hypot(3,4)=%g fmod(10,3)=%g\n", pow(2, 0.5), hypot(3, 4), fmod(10, 3));
    printf("lgamma(5.5)=%.12f erf(0.3)=%.12f tgamma(6)=%g\n", lgamma(5.5), erf(0.3), tgamma(6));
    printf("floor(-2.5)=%g ceil(-2.5)=%g round(2.5)=%g trunc(-2.7)=%g\n", floor(-2.5), ceil(-2.5), round(2.5),
           trunc(-2.7));
    float f = 1.7f;
    printf("sinf(1.7)=%.6f expf(1.7)=%.6f logf(1.7)=%.6f\n", sinf(f), expf(f), logf(f));
    printf("isnan(sqrt(-1))=%d isinf(1/0)=%d\n", isnan(sqrt(-(double)xs[1])), isinf(1.0 / (xs[1] - 1.0)));
    return 0;
}
