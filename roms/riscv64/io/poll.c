/* poll: poll/ppoll/pselect6/select on pipes, epoll (level and edge triggered, MOD/DEL,
 * 64-bit data round trips, which catch an untranslated packed x86-64 epoll_event),
 * eventfd (counter and semaphore modes), timerfd (one-shot, periodic, gettime, old value),
 * inotify (create/modify/close/delete events in a temporary directory), and the errors
 * the kernel gives for bad arguments. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "common.h"

static void pipes(void)
{
    int p[2];
    check(pipe2(p, O_CLOEXEC) == 0, "pipe2");
    struct pollfd f[2] = {{p[0], POLLIN, -1}, {p[1], POLLOUT, -1}};
    check(poll(f, 2, 0) == 1 && f[0].revents == 0 && f[1].revents == POLLOUT, "poll: write end writable, read end not readable");
    check(write(p[1], "abc", 3) == 3, "write 3 bytes");
    check(poll(f, 1, -1) == 1 && f[0].revents == POLLIN, "poll: read end readable");
    f[0].revents = -1;
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    struct timespec ts = {1, 0};
    check(ppoll(f, 1, &ts, &mask) == 1 && f[0].revents == POLLIN, "ppoll with a timeout and a signal mask");

    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(p[0], &rd);
    FD_SET(p[1], &wr);
    struct timespec zero = {0, 0};
    check(pselect(p[1] + 1, &rd, &wr, NULL, &zero, &mask) == 2 && FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr),
          "pselect: both ready");
    char b[4];
    check(read(p[0], b, 3) == 3, "drain the pipe");
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    struct timeval tv = {0, 20000};
    check(select(p[0] + 1, &rd, NULL, NULL, &tv) == 0 && !FD_ISSET(p[0], &rd), "select times out on an empty pipe");
    struct timespec shortwait = {0, 10000000};
    check(ppoll(f, 1, &shortwait, NULL) == 0 && f[0].revents == 0, "ppoll times out on an empty pipe");
    close(p[1]);
    check(poll(f, 1, -1) == 1 && (f[0].revents & POLLHUP), "poll: POLLHUP after the write end closes");
    f[0].fd = -1;
    check(poll(f, 1, 0) == 0 && f[0].revents == 0, "poll ignores a negative descriptor");
    f[0].fd = 1000;
    check(poll(f, 1, 0) == 1 && f[0].revents == POLLNVAL, "poll: POLLNVAL for a closed descriptor");
    close(p[0]);
}

static void epoll(void)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    check(ep >= 0 && (fcntl(ep, F_GETFD) & FD_CLOEXEC), "epoll_create1(EPOLL_CLOEXEC)");
    int lt[2], et[2], third[2];
    pipe(lt);
    pipe(et);
    pipe(third);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ull};
    check(epoll_ctl(ep, EPOLL_CTL_ADD, lt[0], &ev) == 0, "EPOLL_CTL_ADD level-triggered");
    ev = (struct epoll_event){.events = EPOLLIN | EPOLLET, .data.u64 = 0xfedcba9876543210ull};
    check(epoll_ctl(ep, EPOLL_CTL_ADD, et[0], &ev) == 0, "EPOLL_CTL_ADD edge-triggered");
    ev = (struct epoll_event){.events = EPOLLOUT, .data.u64 = 0x8000000000000003ull};
    check(epoll_ctl(ep, EPOLL_CTL_ADD, third[1], &ev) == 0, "EPOLL_CTL_ADD a write end");
    check_err(epoll_ctl(ep, EPOLL_CTL_ADD, lt[0], &ev), EEXIST, "EPOLL_CTL_ADD twice");

    struct epoll_event out[8];
    memset(out, 0xa5, sizeof out);
    int n = epoll_wait(ep, out, 8, 0);
    check(n == 1 && out[0].events == EPOLLOUT && out[0].data.u64 == 0x8000000000000003ull, "only the write end is ready");
    ev = (struct epoll_event){.events = EPOLLIN, .data.u64 = 0x0123456789abcdefull};
    check(epoll_ctl(ep, EPOLL_CTL_MOD, third[1], &ev) == 0, "EPOLL_CTL_MOD to EPOLLIN");
    check(epoll_wait(ep, out, 8, 0) == 0, "nothing ready");

    write(lt[1], "l", 1);
    write(et[1], "e", 1);
    n = epoll_wait(ep, out, 8, 1000);
    uint64_t seen = 0;
    for (int i = 0; i < n; i++)
        seen ^= out[i].data.u64;
    check(n == 2 && seen == (0x1122334455667788ull ^ 0xfedcba9876543210ull), "both pipes ready, data round-trips");
    printf("     data: %016llx %016llx\n", (unsigned long long)(out[0].data.u64 < out[1].data.u64 ? out[0].data.u64 : out[1].data.u64),
           (unsigned long long)(out[0].data.u64 < out[1].data.u64 ? out[1].data.u64 : out[0].data.u64));
    n = epoll_wait(ep, out, 8, 0);
    check(n == 1 && out[0].data.u64 == 0x1122334455667788ull && out[0].events == EPOLLIN,
          "level-triggered reported again, edge-triggered not");
    write(et[1], "E", 1);
    n = epoll_wait(ep, out, 1, 0);
    check(n == 1, "maxevents 1 returns one event");
    n = epoll_wait(ep, out, 8, 0);
    check(n >= 1, "the rest stay ready");
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR2);
    n = epoll_pwait(ep, out, 8, 0, &mask);
    check(n == 1 && out[0].data.u64 == 0x1122334455667788ull, "epoll_pwait with a mask: edge-triggered consumed");
    check(epoll_ctl(ep, EPOLL_CTL_DEL, lt[0], NULL) == 0, "EPOLL_CTL_DEL with a NULL event");
    check(epoll_wait(ep, out, 8, 0) == 0, "nothing ready after DEL");
    check_err(epoll_ctl(ep, EPOLL_CTL_DEL, lt[0], NULL), ENOENT, "EPOLL_CTL_DEL twice");
    check_err(epoll_wait(ep, out, 0, 0), EINVAL, "epoll_wait with maxevents 0");
    check_err(epoll_ctl(ep, EPOLL_CTL_ADD, et[1], (struct epoll_event *)bad_ptr), EFAULT, "EPOLL_CTL_ADD with a bad event pointer");
    check_err(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL, "an epoll set cannot watch itself");
    check_err(epoll_wait(lt[0], out, 8, 0), EINVAL, "epoll_wait on a pipe");
    ev = (struct epoll_event){.events = EPOLLIN, .data.u64 = 3};
    epoll_ctl(ep, EPOLL_CTL_ADD, third[0], &ev);
    write(third[1], "t", 1);
    /* A bad buffer with an event ready: EFAULT, and the event stays ready. */
    check_err(epoll_wait(ep, (struct epoll_event *)bad_ptr, 1, 0), EFAULT, "epoll_wait into a bad buffer");
    check(epoll_wait(ep, out, 8, 0) == 1 && out[0].data.u64 == 3, "the level-triggered event is still ready");
    close(ep);
    close(lt[0]);
    close(lt[1]);
    close(et[0]);
    close(et[1]);
    close(third[0]);
    close(third[1]);
}

static void eventfds(void)
{
    int e = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    check(e >= 0, "eventfd");
    uint64_t v = 2;
    check(write(e, &v, 8) == 8, "eventfd add 2");
    v = 5;
    check(write(e, &v, 8) == 8, "eventfd add 5");
    v = 0;
    check(read(e, &v, 8) == 8 && v == 7, "eventfd read sums to 7");
    check_err(read(e, &v, 8), EAGAIN, "eventfd empty");
    check_err(read(e, &v, 4), EINVAL, "eventfd read of 4 bytes");
    close(e);

    int s = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
    int ok = 1;
    for (int i = 0; i < 3; i++)
        ok &= read(s, &v, 8) == 8 && v == 1;
    check(ok, "semaphore mode reads 1 three times");
    check_err(read(s, &v, 8), EAGAIN, "then the semaphore is empty");
    struct pollfd pf = {s, POLLIN | POLLOUT, 0};
    check(poll(&pf, 1, 0) == 1 && pf.revents == POLLOUT, "poll: writable, not readable");
    close(s);
    /* A blocking read that a write from the other side wakes. */
    int b = eventfd(0, 0);
    if (fork() == 0) {
        usleep(20000);
        uint64_t one = 42;
        write(b, &one, 8);
        _exit(0);
    }
    check(read(b, &v, 8) == 8 && v == 42, "blocking eventfd read woken by a child");
    close(b);
}

static void timerfds(void)
{
    int t = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    check(t >= 0, "timerfd_create");
    /* 100 ms: long enough that even a loaded machine reads it back before it fires. */
    struct itimerspec one = {{0, 0}, {0, 100000000}}, old;
    check(timerfd_settime(t, 0, &one, &old) == 0 && old.it_value.tv_sec == 0 && old.it_value.tv_nsec == 0,
          "timerfd_settime one-shot, old value disarmed");
    struct itimerspec cur;
    check(timerfd_gettime(t, &cur) == 0 && cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0 &&
              cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 100000000,
          "timerfd_gettime: armed, no interval");
    uint64_t n = 0;
    check(read(t, &n, 8) == 8 && n == 1, "one-shot read blocks, then counts 1");
    check(timerfd_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "disarmed after firing");

    struct itimerspec per = {{0, 5000000}, {0, 5000000}};
    check(timerfd_settime(t, 0, &per, NULL) == 0, "timerfd_settime periodic 5 ms");
    uint64_t total = 0;
    for (int i = 0; i < 3; i++) {
        n = 0;
        read(t, &n, 8);
        total += n;
    }
    check(total >= 3, "three reads count at least three expirations");
    usleep(30000);
    n = 0;
    check(read(t, &n, 8) == 8 && n >= 2, "after sleeping several periods one read counts them all");
    check(timerfd_gettime(t, &cur) == 0 && cur.it_interval.tv_nsec == 5000000 && cur.it_value.tv_nsec <= 5000000,
          "timerfd_gettime: the interval");
    struct itimerspec off = {{0, 0}, {0, 0}};
    check(timerfd_settime(t, 0, &off, &old) == 0 && old.it_interval.tv_nsec == 5000000, "disarm returns the old interval");
    close(t);

    int nb = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    check_err(read(nb, &n, 8), EAGAIN, "non-blocking read of an unarmed timer");
    struct itimerspec bad = {{0, 0}, {0, 1000000000}};
    check_err(timerfd_settime(nb, 0, &bad, NULL), EINVAL, "tv_nsec of 10^9");
    check_err(timerfd_settime(nb, 0, (struct itimerspec *)bad_ptr, NULL), EFAULT, "bad itimerspec pointer");
    check_err(timerfd_create(12345, 0), EINVAL, "timerfd_create with a bad clock");
    close(nb);
}

static const char *event_name(uint32_t m)
{
    switch (m & ~IN_ISDIR) {
    case IN_CREATE: return "IN_CREATE";
    case IN_MODIFY: return "IN_MODIFY";
    case IN_CLOSE_WRITE: return "IN_CLOSE_WRITE";
    case IN_DELETE: return "IN_DELETE";
    case IN_MOVED_FROM: return "IN_MOVED_FROM";
    case IN_MOVED_TO: return "IN_MOVED_TO";
    case IN_IGNORED: return "IN_IGNORED";
    default: return "other";
    }
}

static void inotify(void)
{
    char dir[] = "/tmp/remu-inotify-XXXXXX";
    check(mkdtemp(dir) != NULL, "mkdtemp");
    int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    check(in >= 0, "inotify_init1");
    int wd = inotify_add_watch(in, dir, IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO);
    check(wd >= 0, "inotify_add_watch");
    char path[64], path2[64];
    snprintf(path, sizeof path, "%s/file", dir);
    snprintf(path2, sizeof path2, "%s/moved", dir);
    int f = open(path, O_CREAT | O_WRONLY, 0600);
    write(f, "x", 1);
    close(f);
    rename(path, path2);
    unlink(path2);
    char buf[4096] __attribute__((aligned(8)));
    ssize_t len = read(in, buf, sizeof buf);
    check(len > 0, "read inotify events");
    uint32_t cookie = 0;
    for (char *p = buf; len > 0 && p < buf + len;) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("     event %s %s%s\n", event_name(e->mask), e->len ? e->name : "", e->wd == wd ? "" : " (wrong wd)");
        if (e->mask & IN_MOVED_FROM)
            cookie = e->cookie;
        if (e->mask & IN_MOVED_TO)
            check(e->cookie == cookie && cookie != 0, "rename events share a cookie");
        p += sizeof *e + e->len;
    }
    check_err(read(in, buf, sizeof buf), EAGAIN, "no more events");
    check_err(read(in, buf, 8), EAGAIN, "a short buffer with no events is EAGAIN");
    check(inotify_rm_watch(in, wd) == 0, "inotify_rm_watch");
    len = read(in, buf, sizeof buf);
    check(len == sizeof(struct inotify_event) && (((struct inotify_event *)buf)->mask & IN_IGNORED), "IN_IGNORED after rm_watch");
    check_err(inotify_rm_watch(in, wd), EINVAL, "inotify_rm_watch twice");
    check_err(inotify_add_watch(in, "/nonexistent/remu", IN_CREATE), ENOENT, "watch a missing path");
    check_err(inotify_add_watch(in, dir, 0), EINVAL, "watch with an empty mask");
    close(in);
    rmdir(dir);
}

static void errors(void)
{
    check_err(poll((struct pollfd *)bad_ptr, 1, 0), EFAULT, "poll with a bad array");
    struct pollfd f = {0, POLLIN, 0};
    sigset_t m;
    sigemptyset(&m);
    check_err(syscall(SYS_ppoll, &f, 1, NULL, &m, 4), EINVAL, "ppoll with sigsetsize 4");
    check_err(syscall(SYS_ppoll, &f, 1, (struct timespec *)bad_ptr, NULL, 8), EFAULT, "ppoll with a bad timeout");
    struct timespec bad = {0, -1};
    check_err(syscall(SYS_ppoll, &f, 1, &bad, NULL, 8), EINVAL, "ppoll with a negative tv_nsec");
    check_err(select(-1, NULL, NULL, NULL, NULL), EINVAL, "select with n -1");
    check_err(pselect(1, (fd_set *)bad_ptr, NULL, NULL, NULL, NULL), EFAULT, "pselect with a bad set");
}

int main(void)
{
    pipes();
    epoll();
    eventfds();
    timerfds();
    inotify();
    errors();
    printf("%d failures\n", failures);
    return failures;
}
