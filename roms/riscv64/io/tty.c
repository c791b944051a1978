/* tty: the terminal ioctls an interactive shell uses, on a pseudo-terminal from
 * posix_openpt: TCGETS/TCSETS* through tcgetattr/tcsetattr (raw and canonical modes),
 * TIOCSWINSZ/TIOCGWINSZ, FIONREAD, and in a child that starts a session: TIOCSCTTY,
 * TIOCGSID, TIOCGPGRP/TIOCSPGRP. Without /dev/ptmx it says so and passes. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "common.h"

/* The child's checks, as exit codes. */
static int session_child(const char *name)
{
    if (setsid() < 0)
        return 1;
    int s = open(name, O_RDWR | O_NOCTTY);
    if (s < 0)
        return 2;
    if (ioctl(s, TIOCSCTTY, 0) != 0)
        return 3;
    pid_t sid = -1;
    if (ioctl(s, TIOCGSID, &sid) != 0 || sid != getsid(0))
        return 4;
    pid_t pg = -1;
    if (ioctl(s, TIOCGPGRP, &pg) != 0 || pg != getpgrp())
        return 5;
    if (tcsetpgrp(s, getpgrp()) != 0 || tcgetpgrp(s) != getpgrp())
        return 6;
    pid_t bad = 0x7ffffff0;
    if (ioctl(s, TIOCSPGRP, &bad) != -1 || errno != ESRCH)
        return 7;
    return 0;
}

int main(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) {
        printf("no pseudo-terminals here (%s): skipped\n", strerror(errno));
        return 0;
    }
    check(grantpt(m) == 0 && unlockpt(m) == 0, "grantpt, unlockpt (TIOCSPTLCK)");
    char name[64];
    check(ptsname_r(m, name, sizeof name) == 0 && strncmp(name, "/dev/pts/", 9) == 0, "ptsname (TIOCGPTN)");
    int s = open(name, O_RDWR | O_NOCTTY);
    check(s >= 0 && isatty(s), "open the terminal, isatty (TCGETS)");

    struct termios t, t2;
    check(tcgetattr(s, &t) == 0 && (t.c_lflag & ICANON) && (t.c_lflag & ECHO), "tcgetattr: canonical, echo");
    check(cfgetospeed(&t) == B38400, "default speed 38400");
    t2 = t;
    cfmakeraw(&t2);
    t2.c_cc[VMIN] = 1;
    t2.c_cc[VTIME] = 0;
    check(tcsetattr(s, TCSANOW, &t2) == 0, "tcsetattr TCSANOW raw (TCSETS)");
    struct termios r;
    check(tcgetattr(s, &r) == 0 && !(r.c_lflag & (ICANON | ECHO)) && r.c_cc[VMIN] == 1 && (r.c_cflag & CS8),
          "raw mode reads back");
    check(tcsetattr(s, TCSADRAIN, &t) == 0, "tcsetattr TCSADRAIN (TCSETSW)");
    check(tcsetattr(s, TCSAFLUSH, &t) == 0, "tcsetattr TCSAFLUSH (TCSETSF)");
    check(tcgetattr(s, &r) == 0 && r.c_lflag == t.c_lflag && r.c_iflag == t.c_iflag && r.c_oflag == t.c_oflag &&
              r.c_cflag == t.c_cflag && memcmp(r.c_cc, t.c_cc, sizeof t.c_cc) == 0,
          "canonical mode restored exactly");

    struct winsize ws = {.ws_row = 24, .ws_col = 80, .ws_xpixel = 640, .ws_ypixel = 480}, wr;
    check(ioctl(m, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ on the master");
    check(ioctl(s, TIOCGWINSZ, &wr) == 0 && wr.ws_row == 24 && wr.ws_col == 80 && wr.ws_xpixel == 640 && wr.ws_ypixel == 480,
          "TIOCGWINSZ on the terminal");

    /* Canonical input: the terminal sees a line once it ends. */
    check(write(m, "hello\n", 6) == 6, "type a line into the master");
    struct pollfd pf = {s, POLLIN, 0};
    check(poll(&pf, 1, 5000) == 1, "the terminal becomes readable");
    int n = -1;
    check(ioctl(s, FIONREAD, &n) == 0 && n == 6, "FIONREAD counts the line");
    char b[16] = {0};
    check(read(s, b, sizeof b) == 6 && memcmp(b, "hello\n", 6) == 0, "read the line");
    /* Echo comes back on the master. */
    pf.fd = m;
    check(poll(&pf, 1, 5000) == 1 && read(m, b, sizeof b) > 0 && memcmp(b, "hello", 5) == 0, "the echo on the master");

    pid_t pg = 0;
    check_err(ioctl(s, TIOCGPGRP, &pg), ENOTTY, "TIOCGPGRP on a terminal that is not ours");
    check_err(ioctl(s, TCGETS, bad_ptr), EFAULT, "TCGETS into a bad pointer");

    pid_t pid = fork();
    if (pid == 0)
        _exit(session_child(name));
    int st = -1;
    check(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "the session child exits");
    if (WEXITSTATUS(st) != 0)
        printf("     session child failed at step %d\n", WEXITSTATUS(st));
    check(WEXITSTATUS(st) == 0, "TIOCSCTTY, TIOCGSID, TIOCGPGRP, TIOCSPGRP in a new session");
    close(s);
    close(m);
    printf("%d failures\n", failures);
    return failures;
}
