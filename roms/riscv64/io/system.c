/* system: the calls around a program's I/O that ask about or change the process and the
 * system: credentials (with a thread running, so libc's all-threads broadcast runs),
 * capabilities, scheduling policy and priorities, I/O priority, memory locking and
 * residency, extended attributes, preadv2/pwritev2, readahead, sync_file_range, openat2,
 * execveat, and the privileged calls' argument checks. Every line holds for root and for an
 * ordinary user alike. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <grp.h>
#include <sys/fsuid.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common.h"

#ifndef PR_GET_AUXV
#define PR_GET_AUXV 0x41555856 /* Linux 6.4; newer than these headers */
#endif

static char dir[] = "/tmp/remu-system-XXXXXX";
static char pbuf[4][128];

static const char *in_dir(int slot, const char *name)
{
    snprintf(pbuf[slot], sizeof pbuf[slot], "%s/%s", dir, name);
    return pbuf[slot];
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int stop;

static void *idle_thread(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!stop)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void credentials(void)
{
    pthread_t t;
    check(pthread_create(&t, NULL, idle_thread, NULL) == 0, "a second thread");
    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
    check(getresuid(&ruid, &euid, &suid) == 0 && getresgid(&rgid, &egid, &sgid) == 0, "getresuid, getresgid");
    /* Each setter to the ids the process already has is allowed for anyone; libc makes
     * every one process-wide by signalling the other thread. */
    check(setuid(ruid) == 0 && setgid(rgid) == 0, "setuid, setgid to the real ids");
    check(setreuid(-1, -1) == 0 && setregid(-1, -1) == 0, "setreuid, setregid unchanged");
    check(setresuid(-1, euid, -1) == 0 && setresgid(-1, egid, -1) == 0, "setresuid, setresgid");
    check(setfsuid(-1) == (int)geteuid() && setfsgid(-1) == (int)getegid(), "setfsuid, setfsgid report the ids");
    uid_t r2, e2, s2;
    check(getresuid(&r2, &e2, &s2) == 0 && r2 == ruid && e2 == euid && s2 == suid, "the ids are unchanged");
    gid_t groups[64];
    int n = getgroups(64, groups);
    int r = setgroups(n, groups);
    check(r == 0 || (errno == EPERM && geteuid() != 0), "setgroups to the same list (EPERM unprivileged)");
    check_err(setgroups(-1, groups), EINVAL, "setgroups with a negative count");
    int r0 = setuid(0);
    check(geteuid() == 0 ? r0 == 0 : (r0 == -1 && errno == EPERM), "setuid(0): root may, others get EPERM");
    pthread_mutex_lock(&lock);
    stop = 1;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    check(pthread_join(t, NULL) == 0, "the thread ends");

    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    check(syscall(SYS_capget, &hdr, data) == 0, "capget version 3");
    check(syscall(SYS_capset, &hdr, data) == 0, "capset of the same sets");
    hdr.version = 0;
    check_err(syscall(SYS_capget, &hdr, data), EINVAL, "capget of an unknown version");
    check(hdr.version == _LINUX_CAPABILITY_VERSION_3, "which writes the preferred version back");
    hdr.version = 0;
    check(syscall(SYS_capget, &hdr, NULL) == 0 && hdr.version == _LINUX_CAPABILITY_VERSION_3,
          "capget without data asks for the version");
}

static void process_controls(void)
{
    uint64_t auxv[128];
    long n = prctl(PR_GET_AUXV, auxv, sizeof auxv, 0, 0);
    int pagesz = 0;
    for (long i = 0; i + 1 < n / 8 && i + 1 < 128; i += 2)
        if (auxv[i] == AT_PAGESZ)
            pagesz = auxv[i + 1] == getauxval(AT_PAGESZ);
    check(n > 0 && n % 16 == 0 && pagesz, "PR_GET_AUXV gives the auxiliary vector");
    check(prctl(PR_GET_AUXV, auxv, 8, 0, 0) == n, "with a short buffer it still gives the full size");
    check(prctl(PR_GET_SECUREBITS) >= 0 && prctl(PR_CAPBSET_READ, 0) >= 0, "securebits, bounding set");
    check(prctl(PR_GET_KEEPCAPS) == 0 && prctl(PR_GET_TIMERSLACK) > 0, "keepcaps, timer slack");
    int reaper = -1;
    check(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0 && prctl(PR_GET_CHILD_SUBREAPER, &reaper) == 0 && reaper == 1 &&
              prctl(PR_SET_CHILD_SUBREAPER, 0) == 0,
          "child subreaper set and read back");
    check_err(prctl(PR_GET_CHILD_SUBREAPER, bad_ptr), EFAULT, "PR_GET_CHILD_SUBREAPER into a bad pointer");
    check(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 0, 0, 0) == 0, "no ambient capabilities");
}

static int cleanup_ran;
static void on_cleanup(void *arg)
{
    (void)arg;
    cleanup_ran++;
}

static void *blocked_reader(void *arg)
{
    int fd = *(int *)arg;
    char c;
    pthread_cleanup_push(on_cleanup, NULL);
    for (;;)
        if (read(fd, &c, 1) < 0) /* a cancellation point: it never returns data */
            break;
    pthread_cleanup_pop(0);
    return NULL;
}

static void *spinner(void *arg)
{
    (void)arg;
    pthread_cleanup_push(on_cleanup, NULL);
    for (;;)
        pthread_testcancel();
    pthread_cleanup_pop(0);
    return NULL;
}

/* pthread_cancel: glibc sends signal 32 to the thread, whose handler unwinds it. */
static void cancellation(void)
{
    int p[2];
    check(pipe(p) == 0, "a pipe nobody writes");
    pthread_t a, b;
    void *ra = NULL, *rb = NULL;
    check(pthread_create(&a, NULL, blocked_reader, &p[0]) == 0 && pthread_create(&b, NULL, spinner, NULL) == 0,
          "a thread blocked in read and one spinning");
    usleep(20000);
    check(pthread_cancel(a) == 0 && pthread_join(a, &ra) == 0 && ra == PTHREAD_CANCELED,
          "cancel the one blocked in read");
    check(pthread_cancel(b) == 0 && pthread_join(b, &rb) == 0 && rb == PTHREAD_CANCELED,
          "cancel the spinning one at pthread_testcancel");
    check(cleanup_ran == 2, "both ran their cleanup handlers");
    close(p[0]);
    close(p[1]);
}

struct sched_attr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
};

static void scheduling(void)
{
    check(sched_get_priority_max(SCHED_FIFO) == 99 && sched_get_priority_min(SCHED_FIFO) == 1,
          "SCHED_FIFO priorities 1..99");
    check(sched_get_priority_max(SCHED_OTHER) == 0 && sched_get_priority_min(SCHED_RR) == 1, "others");
    check_err(sched_get_priority_max(12345), EINVAL, "an unknown policy");
    struct sched_param sp = {0};
    check(sched_getscheduler(0) == SCHED_OTHER, "sched_getscheduler");
    check(sched_setscheduler(0, SCHED_OTHER, &sp) == 0 && sched_setparam(0, &sp) == 0,
          "sched_setscheduler, sched_setparam to SCHED_OTHER");
    check_err(sched_setparam(0, (struct sched_param *)bad_ptr), EFAULT, "sched_setparam from a bad pointer");
    struct timespec ts;
    check(sched_rr_get_interval(0, &ts) == 0 && ts.tv_sec >= 0, "sched_rr_get_interval");
    struct sched_attr attr;
    memset(&attr, 0, sizeof attr);
    check(syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0) == 0 && attr.size >= 48 && attr.policy == SCHED_OTHER,
          "sched_getattr");
    int nice = attr.nice;
    memset(&attr, 0, sizeof attr);
    attr.size = 48;
    attr.policy = SCHED_OTHER;
    attr.nice = nice;
    check(syscall(SYS_sched_setattr, 0, &attr, 0) == 0, "sched_setattr to the same");
    check_err(syscall(SYS_sched_getattr, 0, &attr, 8, 0), EINVAL, "sched_getattr with a short size");

    /* IOPRIO_WHO_PROCESS = 1 */
    long prio = syscall(SYS_ioprio_get, 1, 0);
    check(prio >= 0, "ioprio_get");
    check(syscall(SYS_ioprio_set, 1, 0, prio) == 0, "ioprio_set to the same");
}

static void memory(void)
{
    char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(p != MAP_FAILED, "mmap 4 pages");
    p[0] = 1;
    p[2 * 4096] = 1;
    unsigned char vec[4];
    check(mincore(p, 4 * 4096, vec) == 0 && (vec[0] & 1) && !(vec[1] & 1) && (vec[2] & 1) && !(vec[3] & 1),
          "mincore: the touched pages are resident, the others not");
    check_err(mincore(p + 1, 4096, vec), EINVAL, "mincore of an unaligned address");
    munmap(p + 3 * 4096, 4096);
    check_err(mincore(p, 4 * 4096, vec), ENOMEM, "mincore over an unmapped page");
    check_err(mincore(p, 4096, bad_ptr), EFAULT, "mincore into a bad vector");
    check(mlock(p, 4096) == 0 && munlock(p, 4096) == 0, "mlock, munlock");
    check_err(syscall(SYS_mlock2, p, 4096, 0x100), EINVAL, "mlock2 with an unknown flag");
    check_err(mlockall(0), EINVAL, "mlockall without flags");
    check(munlockall() == 0, "munlockall");
    munmap(p, 3 * 4096);
}

static void attributes(void)
{
    const char *f = in_dir(0, "attrs");
    int fd = open(f, O_RDWR | O_CREAT, 0600);
    check(fd >= 0, "a file for attributes");
    check(setxattr(f, "user.remu", "value", 5, XATTR_CREATE) == 0, "setxattr");
    check_err(setxattr(f, "user.remu", "again", 5, XATTR_CREATE), EEXIST, "setxattr XATTR_CREATE of an existing one");
    check(fsetxattr(fd, "user.second", "2", 1, 0) == 0, "fsetxattr");
    char buf[64] = {0};
    check(getxattr(f, "user.remu", NULL, 0) == 5, "getxattr size query");
    check(getxattr(f, "user.remu", buf, sizeof buf) == 5 && memcmp(buf, "value", 5) == 0, "getxattr");
    check(fgetxattr(fd, "user.second", buf, sizeof buf) == 1 && buf[0] == '2', "fgetxattr");
    check_err(getxattr(f, "user.remu", buf, 2), ERANGE, "getxattr into a short buffer");
    check_err(getxattr(f, "user.none", buf, sizeof buf), ENODATA, "getxattr of a missing attribute");
    check_err(getxattr(f, "", buf, sizeof buf), ERANGE, "an empty name");
    char list[256];
    ssize_t len = listxattr(f, list, sizeof list);
    int seen = 0;
    for (ssize_t i = 0; i < len; i += strlen(list + i) + 1)
        seen += !strcmp(list + i, "user.remu") || !strcmp(list + i, "user.second");
    check(seen == 2 && flistxattr(fd, NULL, 0) == len, "listxattr, flistxattr");
    check(symlink("attrs", in_dir(1, "link")) == 0, "a symlink");
    check(lgetxattr(in_dir(1, "link"), "user.remu", buf, sizeof buf) == -1 && errno == ENODATA &&
              getxattr(in_dir(1, "link"), "user.remu", buf, sizeof buf) == 5,
          "lgetxattr reads the link, getxattr its target");
    check(llistxattr(in_dir(1, "link"), list, sizeof list) >= 0, "llistxattr");
    check_err(lsetxattr(in_dir(1, "link"), "user.remu", "x", 1, 0), EPERM, "user attributes on a symlink");
    check(removexattr(f, "user.remu") == 0 && fremovexattr(fd, "user.second") == 0, "removexattr, fremovexattr");
    check_err(lremovexattr(f, "user.remu"), ENODATA, "removing it again");
    check_err(getxattr("/nonexistent/remu", "user.remu", buf, sizeof buf), ENOENT, "getxattr of a missing path");
    close(fd);
    unlink(in_dir(1, "link"));
    unlink(f);
}

static void vector_io(void)
{
    const char *f = in_dir(0, "data");
    int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0600);
    check(fd >= 0 && write(fd, "0123456789", 10) == 10, "a file of ten bytes");
    char a[4], b[3];
    struct iovec iov[2] = {{a, 4}, {b, 3}};
    check(preadv2(fd, iov, 2, 2, 0) == 7 && !memcmp(a, "2345", 4) && !memcmp(b, "678", 3), "preadv2 at an offset");
    lseek(fd, 1, SEEK_SET);
    check(preadv2(fd, iov, 1, -1, 0) == 4 && !memcmp(a, "1234", 4) && lseek(fd, 0, SEEK_CUR) == 5,
          "preadv2 at -1 uses and moves the file position");
    struct iovec w = {"ab", 2};
    check(pwritev2(fd, &w, 1, 0, RWF_APPEND) == 2 && pread(fd, a, 4, 8) == 4 && !memcmp(a, "89ab", 4),
          "pwritev2 RWF_APPEND writes at the end");
    check(pwritev2(fd, &w, 1, 0, RWF_DSYNC) == 2 && pread(fd, a, 2, 0) == 2 && !memcmp(a, "ab", 2), "pwritev2 RWF_DSYNC");
    check_err(preadv2(fd, iov, 1, 0, 0x40000000), EOPNOTSUPP, "preadv2 with an unknown flag");
    check(readahead(fd, 0, 4096) == 0, "readahead");
    check(sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE) == 0, "sync_file_range");
    check_err(sync_file_range(fd, 0, 0, 0x80), EINVAL, "sync_file_range with an unknown flag");
    close(fd);
}

static long openat2_(int dfd, const char *path, struct open_how *how, size_t size)
{
    return syscall(SYS_openat2, dfd, path, how, size);
}

static void open2(void)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    check(symlink("data", in_dir(1, "data-link")) == 0, "a link to the data file");
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC};
    long fd = openat2_(dfd, "data", &how, sizeof how);
    check(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC), "openat2 relative to a directory, O_CLOEXEC");
    close(fd);
    how.resolve = RESOLVE_NO_SYMLINKS;
    check_err(openat2_(dfd, "data-link", &how, sizeof how), ELOOP, "RESOLVE_NO_SYMLINKS refuses a link");
    how.resolve = RESOLVE_BENEATH;
    check_err(openat2_(dfd, "../", &how, sizeof how), EXDEV, "RESOLVE_BENEATH refuses ..");
    fd = openat2_(dfd, "data-link", &how, sizeof how);
    check(fd >= 0, "RESOLVE_BENEATH follows a link inside");
    close(fd);
    how.resolve = 0;
    fd = openat2_(AT_FDCWD, in_dir(0, "data"), &how, sizeof how);
    check(fd >= 0, "openat2 of an absolute path");
    close(fd);
    check_err(openat2_(dfd, "data", &how, 8), EINVAL, "a struct open_how too small");
    struct {
        struct open_how how;
        uint64_t extra;
    } big = {{.flags = O_RDONLY}, 1};
    check_err(openat2_(dfd, "data", &big.how, sizeof big), E2BIG, "unknown nonzero fields");
    big.extra = 0;
    fd = openat2_(dfd, "data", &big.how, sizeof big);
    check(fd >= 0, "a larger struct with zero tail");
    close(fd);
    how = (struct open_how){.flags = O_RDONLY, .mode = 0644};
    check_err(openat2_(dfd, "data", &how, sizeof how), EINVAL, "a mode without O_CREAT");
    how = (struct open_how){.flags = O_WRONLY | O_CREAT | O_EXCL, .mode = 0640};
    fd = openat2_(dfd, "made", &how, sizeof how);
    struct stat st;
    check(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == (0640 & ~umask(022)), "openat2 O_CREAT with a mode");
    close(fd);
    unlink(in_dir(0, "made"));
    unlink(in_dir(1, "data-link"));
    close(dfd);
}

/* Runs execveat(dfd, path, flags) in a child; returns its exit status or -errno. */
static int run_execveat(int dfd, const char *path, int flags)
{
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0)
        return -1000;
    pid_t child = fork();
    if (child == 0) {
        char *argv[] = {"script", "arg", NULL};
        char *envp[] = {"REMU_TEST=1", NULL};
        syscall(SYS_execveat, dfd, path, argv, envp, flags);
        int e = errno;
        if (write(pipefd[1], &e, sizeof e) < 0)
            _exit(126);
        _exit(127);
    }
    close(pipefd[1]);
    int e = 0, st = 0;
    ssize_t got = read(pipefd[0], &e, sizeof e);
    close(pipefd[0]);
    waitpid(child, &st, 0);
    if (got == sizeof e)
        return -e;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -2000;
}

static void exec_at(void)
{
    const char *s = in_dir(0, "script.sh");
    int fd = open(s, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    const char text[] = "#!/bin/sh\n[ \"$1\" = arg ] && [ \"$REMU_TEST\" = 1 ] && exit 42\nexit 1\n";
    check(fd >= 0 && write(fd, text, sizeof text - 1) == sizeof text - 1, "a shell script");
    close(fd);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    check(run_execveat(dfd, "script.sh", 0) == 42, "execveat relative to a directory descriptor");
    check(run_execveat(AT_FDCWD, s, 0) == 42, "execveat of an absolute path");
    int sfd = open(s, O_RDONLY);
    check(run_execveat(sfd, "", AT_EMPTY_PATH) == 42, "execveat AT_EMPTY_PATH (fexecve)");
    close(sfd);
    check(symlink("script.sh", in_dir(1, "script-link")) == 0, "a link to the script");
    check(run_execveat(dfd, "script-link", 0) == 42, "execveat through a link");
    check(run_execveat(dfd, "script-link", AT_SYMLINK_NOFOLLOW) == -ELOOP, "AT_SYMLINK_NOFOLLOW on a link is ELOOP");
    check(run_execveat(dfd, "", 0) == -ENOENT, "an empty path without AT_EMPTY_PATH");
    check(run_execveat(dfd, "missing", 0) == -ENOENT, "a missing file");
    check(run_execveat(dfd, "script.sh", 0x8) == -EINVAL, "unknown flags");
    /* posix_spawn reports an exec failure through memory its vfork child shares with the
     * caller: the error comes back from posix_spawn itself, and no child is left. */
    pid_t pid = 0;
    char *argv[] = {"script", "arg", NULL};
    char *envp[] = {"REMU_TEST=1", NULL};
    check(posix_spawn(&pid, "/nonexistent/remu", NULL, NULL, argv, envp) == ENOENT, "posix_spawn of a missing program is ENOENT");
    check(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD, "and leaves no child");
    int st = 0;
    check(posix_spawn(&pid, s, NULL, NULL, argv, envp) == 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
              WEXITSTATUS(st) == 42,
          "posix_spawn of the script");
    unlink(in_dir(1, "script-link"));
    unlink(s);
    close(dfd);
}

static void privileged(void)
{
    struct timespec ts = {1, 0};
    check_err(clock_settime(CLOCK_MONOTONIC, &ts), EINVAL, "clock_settime of CLOCK_MONOTONIC");
    struct timex tx = {.modes = 0};
    check(adjtimex(&tx) >= 0 && tx.tick > 0, "adjtimex reads the clock's state");
    check(syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx) >= 0, "clock_adjtime reads it too");
    /* Nothing to set, but the kernel still asks for CAP_SYS_TIME. */
    long r = syscall(SYS_settimeofday, NULL, NULL);
    check(r == 0 || errno == EPERM, "settimeofday with nothing to set");
    check_err(chroot("/nonexistent/remu"), ENOENT, "chroot of a missing directory");
    check(unshare(0) == 0, "unshare of nothing");
    check(unshare(CLONE_FILES | CLONE_FS) == 0, "unshare of the descriptor table and cwd");
    check_err(setns(-1, 0), EBADF, "setns of a bad descriptor");
    /* SYSLOG_ACTION_SIZE_BUFFER: the size, or EPERM where dmesg is restricted. */
    r = syscall(SYS_syslog, 10, NULL, 0);
    check(r > 0 || errno == EPERM, "syslog SIZE_BUFFER");
    check_err(syscall(SYS_umount2, "/nonexistent/remu", 0), ENOENT, "umount2 of a missing path");
}

int main(void)
{
    umask(022);
    check(mkdtemp(dir) != NULL, "mkdtemp");
    credentials();
    cancellation();
    process_controls();
    scheduling();
    memory();
    attributes();
    vector_io();
    open2();
    exec_at();
    privileged();
    unlink(in_dir(0, "data"));
    check(rmdir(dir) == 0, "everything made is removed");
    printf("%d failures\n", failures);
    return failures;
}
