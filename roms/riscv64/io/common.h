/* Shared by the io roms: one line per check ("ok  : what" or "FAIL: what (errno)"); the
 * exit status is the number of failures. Nothing printed depends on pids, ports, paths
 * or times, so the output compares byte for byte across runs and emulators. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures;

/* An address no guest maps, hidden from the compiler so it does not warn about it. */
static void *volatile bad_ptr = (void *)8;

static void check(int ok, const char *what)
{
    if (ok) {
        printf("ok  : %s\n", what);
    } else {
        printf("FAIL: %s (errno %d %s)\n", what, errno, strerror(errno));
        failures++;
    }
    fflush(stdout);
}

/* A call that must fail with errno `want`. */
static void check_err(long r, int want, const char *what)
{
    int e = errno;
    if (r == -1 && e == want) {
        printf("ok  : %s -> %s\n", what, strerrorname_np(want));
    } else {
        printf("FAIL: %s returned %ld errno %d, want %s\n", what, r, e, strerrorname_np(want));
        failures++;
    }
    fflush(stdout);
}
