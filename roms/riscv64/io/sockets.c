/* sockets: AF_UNIX socketpairs (data, scatter/gather sendmsg/recvmsg, SCM_RIGHTS descriptor
 * passing, SCM_CREDENTIALS), a TCP server and a forked client over 127.0.0.1 on an
 * ephemeral port, UDP sendto/recvfrom and sendmmsg/recvmmsg, getsockname/getpeername,
 * setsockopt/getsockopt with int, linger and timeval values, shutdown, a unix datagram
 * socket bound to a path, and the errors the kernel gives for bad arguments. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <stddef.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static void unix_pair(void)
{
    int sv[2];
    check(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
    check((fcntl(sv[0], F_GETFD) & FD_CLOEXEC) != 0, "socketpair SOCK_CLOEXEC");
    check(write(sv[0], "hello", 5) == 5, "write to a socketpair");
    char buf[16] = {0};
    check(read(sv[1], buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0, "read it back");

    /* Scatter/gather: three iovecs out, two in of other sizes. */
    struct iovec out[3] = {{"abc", 3}, {"", 0}, {"defgh", 5}};
    struct msghdr m = {.msg_iov = out, .msg_iovlen = 3};
    check(sendmsg(sv[0], &m, 0) == 8, "sendmsg with 3 iovecs");
    char a[2], b[10] = {0};
    struct iovec in[2] = {{a, 2}, {b, sizeof b}};
    struct msghdr r = {.msg_iov = in, .msg_iovlen = 2};
    ssize_t n = recvmsg(sv[1], &r, 0);
    check(n == 8 && memcmp(a, "ab", 2) == 0 && memcmp(b, "cdefgh", 6) == 0, "recvmsg scatters into 2 iovecs");
    check(r.msg_flags == 0 && r.msg_controllen == 0, "recvmsg flags and controllen 0");

    /* SCM_RIGHTS: pass a pipe's read end; the received descriptor reads the pipe. */
    int p[2];
    check(pipe(p) == 0, "pipe");
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct iovec one = {"x", 1};
    struct msghdr s = {.msg_iov = &one, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&s);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &p[0], sizeof(int));
    check(sendmsg(sv[0], &s, 0) == 1, "sendmsg SCM_RIGHTS");
    close(p[0]);

    union {
        char buf[CMSG_SPACE(sizeof(int)) + 64];
        struct cmsghdr align;
    } rctl;
    memset(&rctl, 0, sizeof rctl);
    char x;
    struct iovec rone = {&x, 1};
    struct msghdr rm = {.msg_iov = &rone, .msg_iovlen = 1, .msg_control = rctl.buf, .msg_controllen = sizeof rctl.buf};
    check(recvmsg(sv[1], &rm, MSG_CMSG_CLOEXEC) == 1 && x == 'x', "recvmsg SCM_RIGHTS");
    struct cmsghdr *rc = CMSG_FIRSTHDR(&rm);
    check(rc && rc->cmsg_level == SOL_SOCKET && rc->cmsg_type == SCM_RIGHTS && rc->cmsg_len == CMSG_LEN(sizeof(int)),
          "control message is SCM_RIGHTS with one descriptor");
    check(rm.msg_controllen == CMSG_SPACE(sizeof(int)), "msg_controllen is CMSG_SPACE(int)");
    int got = -1;
    if (rc)
        memcpy(&got, CMSG_DATA(rc), sizeof got);
    check(got >= 0 && (fcntl(got, F_GETFD) & FD_CLOEXEC) != 0, "received descriptor is open, MSG_CMSG_CLOEXEC applied");
    check(write(p[1], "through", 7) == 7, "write into the pipe");
    char pb[8] = {0};
    check(got >= 0 && read(got, pb, 7) == 7 && memcmp(pb, "through", 7) == 0, "the passed descriptor reads the pipe");
    close(got);
    close(p[1]);

    /* Too small a control buffer: MSG_CTRUNC. */
    check(pipe(p) == 0, "pipe again");
    memcpy(CMSG_DATA(c), &p[0], sizeof(int));
    check(sendmsg(sv[0], &s, 0) == 1, "sendmsg SCM_RIGHTS again");
    struct msghdr tm = {.msg_iov = &rone, .msg_iovlen = 1, .msg_control = rctl.buf, .msg_controllen = 4};
    check(recvmsg(sv[1], &tm, 0) == 1 && (tm.msg_flags & MSG_CTRUNC) != 0, "short control buffer sets MSG_CTRUNC");
    close(p[0]);
    close(p[1]);

    /* SCM_CREDENTIALS: the kernel checks and reports the sender's credentials. */
    int on = 1;
    check(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == 0, "SO_PASSCRED");
    union {
        char buf[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } cctl;
    memset(&cctl, 0, sizeof cctl);
    struct msghdr cs = {.msg_iov = &one, .msg_iovlen = 1, .msg_control = cctl.buf, .msg_controllen = sizeof cctl.buf};
    struct cmsghdr *cc = CMSG_FIRSTHDR(&cs);
    cc->cmsg_level = SOL_SOCKET;
    cc->cmsg_type = SCM_CREDENTIALS;
    cc->cmsg_len = CMSG_LEN(sizeof(struct ucred));
    struct ucred me = {getpid(), getuid(), getgid()};
    memcpy(CMSG_DATA(cc), &me, sizeof me);
    check(sendmsg(sv[0], &cs, 0) == 1, "sendmsg SCM_CREDENTIALS");
    memset(&rctl, 0, sizeof rctl);
    struct msghdr cr = {.msg_iov = &rone, .msg_iovlen = 1, .msg_control = rctl.buf, .msg_controllen = sizeof rctl.buf};
    check(recvmsg(sv[1], &cr, 0) == 1, "recvmsg with SO_PASSCRED");
    struct cmsghdr *crc = CMSG_FIRSTHDR(&cr);
    struct ucred them = {0, 0, 0};
    if (crc && crc->cmsg_type == SCM_CREDENTIALS)
        memcpy(&them, CMSG_DATA(crc), sizeof them);
    check(them.pid == getpid() && them.uid == getuid() && them.gid == getgid(), "SCM_CREDENTIALS names this process");
    struct ucred peer;
    socklen_t pl = sizeof peer;
    check(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &peer, &pl) == 0 && pl == sizeof peer && peer.pid == getpid(),
          "SO_PEERCRED");

    /* shutdown: the peer reads end of file, writes get EPIPE. */
    check(shutdown(sv[0], SHUT_WR) == 0, "shutdown SHUT_WR");
    check(read(sv[1], buf, sizeof buf) == 0, "peer reads end of file");
    check_err(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE, "send after SHUT_WR");
    close(sv[0]);
    close(sv[1]);
}

static int same_addr(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
    return a->sin_family == b->sin_family && a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
}

static void tcp(void)
{
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    check(ls >= 0, "socket AF_INET SOCK_STREAM");
    int one = 1, v = 0;
    socklen_t vl = sizeof v;
    check(setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0, "setsockopt SO_REUSEADDR");
    check(getsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &v, &vl) == 0 && v == 1 && vl == sizeof v, "getsockopt SO_REUSEADDR");
    vl = sizeof v;
    check(getsockopt(ls, SOL_SOCKET, SO_TYPE, &v, &vl) == 0 && v == SOCK_STREAM, "getsockopt SO_TYPE");
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    check(bind(ls, (struct sockaddr *)&addr, sizeof addr) == 0, "bind 127.0.0.1:0");
    check(listen(ls, 4) == 0, "listen");
    struct sockaddr_in bound;
    socklen_t bl = sizeof bound;
    check(getsockname(ls, (struct sockaddr *)&bound, &bl) == 0 && bl == sizeof bound, "getsockname");
    check(bound.sin_port != 0 && bound.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "bound to an ephemeral port");
    vl = sizeof v;
    check(getsockopt(ls, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl) == 0 && v == 1, "SO_ACCEPTCONN");

    pid_t pid = fork();
    if (pid == 0) {
        /* The client: its own checks decide its exit status; it prints nothing. */
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0 || connect(s, (struct sockaddr *)&bound, sizeof bound) != 0)
            _exit(10);
        int nd = 1;
        if (setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &nd, sizeof nd) != 0)
            _exit(11);
        if (send(s, "ping", 4, 0) != 4)
            _exit(12);
        char b[8];
        if (recv(s, b, 4, MSG_WAITALL) != 4 || memcmp(b, "pong", 4) != 0)
            _exit(13);
        if (shutdown(s, SHUT_WR) != 0)
            _exit(14);
        if (recv(s, b, sizeof b, 0) != 0)
            _exit(15);
        _exit(0);
    }
    check(pid > 0, "fork a client");
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    int cs = accept4(ls, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
    check(cs >= 0 && pl == sizeof peer, "accept4");
    check((fcntl(cs, F_GETFD) & FD_CLOEXEC) != 0, "accept4 SOCK_CLOEXEC");
    check(peer.sin_family == AF_INET && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "client address is 127.0.0.1");
    struct sockaddr_in gp;
    socklen_t gl = sizeof gp;
    check(getpeername(cs, (struct sockaddr *)&gp, &gl) == 0 && same_addr(&gp, &peer), "getpeername matches accept");
    struct sockaddr_in local;
    socklen_t ll = sizeof local;
    check(getsockname(cs, (struct sockaddr *)&local, &ll) == 0 && same_addr(&local, &bound), "getsockname is the listener's");
    /* A short address buffer is filled partly; the real length comes back. */
    char small[4];
    socklen_t sl = sizeof small;
    check(getpeername(cs, (struct sockaddr *)small, &sl) == 0 && sl == sizeof(struct sockaddr_in), "short buffer gets the full length");
    char b[8] = {0};
    check(recv(cs, b, 4, MSG_WAITALL) == 4 && memcmp(b, "ping", 4) == 0, "server receives ping");
    check(send(cs, "pong", 4, 0) == 4, "server sends pong");
    check(recv(cs, b, sizeof b, 0) == 0, "server reads end of file after client shutdown");
    close(cs);
    int st = -1;
    check(waitpid(pid, &st, 0) == pid, "waitpid");
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "client checks passed");

    /* struct linger and a timeval option round-trip. */
    struct linger lg = {1, 7}, lg2;
    socklen_t lgl = sizeof lg2;
    check(setsockopt(ls, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == 0, "setsockopt SO_LINGER");
    check(getsockopt(ls, SOL_SOCKET, SO_LINGER, &lg2, &lgl) == 0 && lg2.l_onoff == 1 && lg2.l_linger == 7, "getsockopt SO_LINGER");
    vl = sizeof v;
    check(getsockopt(ls, SOL_SOCKET, SO_ERROR, &v, &vl) == 0 && v == 0, "SO_ERROR");
    close(ls);

    /* Connecting to a port nobody listens on. */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    check_err(connect(s, (struct sockaddr *)&bound, sizeof bound), ECONNREFUSED, "connect to a closed port");
    close(s);
}

static void udp(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    check(a >= 0 && b >= 0, "two UDP sockets");
    check((fcntl(b, F_GETFL) & O_NONBLOCK) != 0, "SOCK_NONBLOCK");
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    check(bind(a, (struct sockaddr *)&any, sizeof any) == 0 && bind(b, (struct sockaddr *)&any, sizeof any) == 0, "bind both");
    struct sockaddr_in aa, ba;
    socklen_t l = sizeof aa;
    check(getsockname(a, (struct sockaddr *)&aa, &l) == 0, "getsockname a");
    l = sizeof ba;
    check(getsockname(b, (struct sockaddr *)&ba, &l) == 0, "getsockname b");
    char buf[32];
    check_err(recv(b, buf, sizeof buf, 0), EAGAIN, "recv on an empty non-blocking socket");
    check(sendto(a, "datagram", 8, 0, (struct sockaddr *)&ba, sizeof ba) == 8, "sendto");
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    memset(buf, 0, sizeof buf);
    ssize_t n = -1;
    for (int i = 0; i < 1000 && n < 0; i++) {
        n = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n < 0)
            usleep(1000);
    }
    check(n == 8 && memcmp(buf, "datagram", 8) == 0, "recvfrom");
    check(fl == sizeof from && same_addr(&from, &aa), "recvfrom reports the sender");

    /* A truncated datagram: MSG_TRUNC gives the real length. */
    check(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ba, sizeof ba) == 10, "sendto 10 bytes");
    usleep(10000);
    check(recv(b, buf, 4, MSG_TRUNC) == 10, "recv MSG_TRUNC returns the datagram's length");

    /* sendmmsg three datagrams, recvmmsg them in one call. */
    check(connect(a, (struct sockaddr *)&ba, sizeof ba) == 0, "connect a UDP socket");
    struct iovec iov[3] = {{"one", 3}, {"three", 5}, {"seventeen", 9}};
    struct mmsghdr out[3];
    memset(out, 0, sizeof out);
    for (int i = 0; i < 3; i++) {
        out[i].msg_hdr.msg_iov = &iov[i];
        out[i].msg_hdr.msg_iovlen = 1;
    }
    check(sendmmsg(a, out, 3, 0) == 3, "sendmmsg 3");
    check(out[0].msg_len == 3 && out[1].msg_len == 5 && out[2].msg_len == 9, "sendmmsg msg_len");
    usleep(10000);
    char rb[4][16];
    struct iovec riov[4];
    struct mmsghdr in[4];
    struct sockaddr_in names[4];
    memset(in, 0, sizeof in);
    for (int i = 0; i < 4; i++) {
        riov[i] = (struct iovec){rb[i], sizeof rb[i]};
        in[i].msg_hdr.msg_iov = &riov[i];
        in[i].msg_hdr.msg_iovlen = 1;
        in[i].msg_hdr.msg_name = &names[i];
        in[i].msg_hdr.msg_namelen = sizeof names[i];
    }
    int got = recvmmsg(b, in, 4, MSG_DONTWAIT, NULL);
    check(got == 3, "recvmmsg gets 3");
    check(got == 3 && in[0].msg_len == 3 && in[1].msg_len == 5 && in[2].msg_len == 9, "recvmmsg msg_len");
    check(got == 3 && memcmp(rb[2], "seventeen", 9) == 0, "recvmmsg data");
    check(got == 3 && in[1].msg_hdr.msg_namelen == sizeof names[1] && same_addr(&names[1], &aa), "recvmmsg names the sender");
    close(a);
    close(b);
}

static void unix_path(void)
{
    char dir[] = "/tmp/remu-sockets-XXXXXX";
    check(mkdtemp(dir) != NULL, "mkdtemp");
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/sock", dir);
    socklen_t len = offsetof(struct sockaddr_un, sun_path) + strlen(sa.sun_path) + 1;
    int s = socket(AF_UNIX, SOCK_DGRAM, 0), c = socket(AF_UNIX, SOCK_DGRAM, 0);
    check(bind(s, (struct sockaddr *)&sa, len) == 0, "bind a unix socket to a path");
    struct sockaddr_un got;
    socklen_t gl = sizeof got;
    check(getsockname(s, (struct sockaddr *)&got, &gl) == 0 && gl == len && strcmp(got.sun_path, sa.sun_path) == 0,
          "getsockname gives the path back");
    check(sendto(c, "unix", 4, 0, (struct sockaddr *)&sa, len) == 4, "sendto the path");
    char b[8] = {0};
    check(recv(s, b, sizeof b, 0) == 4 && memcmp(b, "unix", 4) == 0, "recv on the path socket");
    check_err(bind(c, (struct sockaddr *)&sa, len), EADDRINUSE, "bind the same path again");
    close(s);
    close(c);
    unlink(sa.sun_path);
    rmdir(dir);
}

static void errors(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_storage ss = {0};
    ss.ss_family = AF_INET;
    check_err(bind(s, (struct sockaddr *)&ss, sizeof ss + 1), EINVAL, "bind with addrlen 129");
    check_err(bind(s, (struct sockaddr *)&ss, -1), EINVAL, "bind with addrlen -1");
    check_err(connect(s, (struct sockaddr *)bad_ptr, 16), EFAULT, "connect with a bad address pointer");
    check_err(accept(s, NULL, NULL), EINVAL, "accept on a socket that is not listening");
    check_err(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (void *)bad_ptr, 4), EFAULT, "setsockopt with a bad value pointer");
    socklen_t bad = -1;
    int v;
    check_err(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &bad), EINVAL, "getsockopt with optlen -1");
    check_err(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, (socklen_t *)bad_ptr), EFAULT, "getsockopt with a bad length pointer");
    check_err(getsockopt(s, SOL_SOCKET, 9999, &v, &(socklen_t){4}), ENOPROTOOPT, "getsockopt of an unknown option");
    check_err(getsockname(0 + 1000, (struct sockaddr *)&ss, &(socklen_t){sizeof ss}), EBADF, "getsockname of a closed descriptor");
    int p[2];
    pipe(p);
    check_err(getsockname(p[0], (struct sockaddr *)&ss, &(socklen_t){sizeof ss}), ENOTSOCK, "getsockname of a pipe");
    check_err(shutdown(s, 7), EINVAL, "shutdown with a bad how");
    check_err(shutdown(s, SHUT_RDWR), ENOTCONN, "shutdown an unconnected socket");
    check_err(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT, "socket of an unknown family");

    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    static struct iovec many[1025];
    for (int i = 0; i < 1025; i++)
        many[i] = (struct iovec){"", 0};
    struct msghdr m = {.msg_iov = many, .msg_iovlen = 1025};
    check_err(sendmsg(sv[0], &m, 0), EMSGSIZE, "sendmsg with 1025 iovecs");
    check_err(sendmsg(sv[0], (struct msghdr *)bad_ptr, 0), EFAULT, "sendmsg with a bad msghdr pointer");
    struct iovec badv = {(void *)bad_ptr, 4};
    struct msghdr bm = {.msg_iov = &badv, .msg_iovlen = 1};
    check_err(sendmsg(sv[0], &bm, 0), EFAULT, "sendmsg with a bad buffer");
    check_err(recvmsg(sv[1], &(struct msghdr){.msg_iov = many, .msg_iovlen = 1}, MSG_DONTWAIT), EAGAIN, "recvmsg on an empty socket");
    check_err(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (int *)bad_ptr), EFAULT, "socketpair with a bad pointer");
    close(sv[0]);
    close(sv[1]);
    close(p[0]);
    close(p[1]);
    close(s);
}

int main(void)
{
    unix_pair();
    tcp();
    udp();
    unix_path();
    errors();
    printf("%d failures\n", failures);
    return failures;
}
