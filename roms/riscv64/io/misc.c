/* misc: file calls real programs make around their I/O, in a temporary directory:
 * statfs/fstatfs, utimensat/futimens, fchmod/fchmodat/fchown/fchownat/umask,
 * truncate/ftruncate, fsync/fdatasync/sync/syncfs, sendfile, copy_file_range, splice/tee,
 * memfd_create, flock and fcntl locks, getrusage, times, sched_getaffinity, FIONBIO and
 * FIONREAD on a pipe. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static char dir[] = "/tmp/remu-misc-XXXXXX";
static char pbuf[4][128];

static const char *in_dir(int slot, const char *name)
{
    snprintf(pbuf[slot], sizeof pbuf[slot], "%s/%s", dir, name);
    return pbuf[slot];
}

static void fs_info(void)
{
    struct statfs a, b;
    check(statfs(dir, &a) == 0 && a.f_bsize > 0 && a.f_namelen > 0, "statfs");
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    check(fstatfs(fd, &b) == 0 && a.f_type == b.f_type && a.f_bsize == b.f_bsize && a.f_blocks == b.f_blocks &&
              a.f_namelen == b.f_namelen && memcmp(&a.f_fsid, &b.f_fsid, sizeof a.f_fsid) == 0,
          "fstatfs agrees with statfs");
    check_err(statfs("/nonexistent/remu", &a), ENOENT, "statfs of a missing path");
    check_err(fstatfs(fd, (struct statfs *)bad_ptr), EFAULT, "fstatfs into a bad buffer");
    check(fsync(fd) == 0 && fdatasync(fd) == 0 && syncfs(fd) == 0, "fsync, fdatasync, syncfs");
    sync();
    close(fd);
}

static void attributes(void)
{
    mode_t old = umask(077);
    check(umask(022) == 077, "umask returns the previous mask");
    const char *f = in_dir(0, "attr");
    int fd = open(f, O_CREAT | O_RDWR, 0666);
    struct stat st;
    check(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0644, "umask 022 applies to a new file");
    check(fchmod(fd, 0640) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0640, "fchmod 0640");
    check(fchmodat(AT_FDCWD, f, 0600, 0) == 0 && stat(f, &st) == 0 && (st.st_mode & 07777) == 0600, "fchmodat 0600");
    check(fchown(fd, getuid(), getgid()) == 0, "fchown to ourselves");
    check(fchownat(AT_FDCWD, f, -1, -1, AT_SYMLINK_NOFOLLOW) == 0, "fchownat with -1, -1");

    struct timespec ts[2] = {{1000000000, 123456789}, {1234567890, 987654321}};
    check(utimensat(AT_FDCWD, f, ts, 0) == 0, "utimensat");
    check(stat(f, &st) == 0 && st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789 &&
              st.st_mtim.tv_sec == 1234567890 && st.st_mtim.tv_nsec == 987654321,
          "stat sees both times");
    struct timespec omit[2] = {{0, UTIME_OMIT}, {42, 0}};
    check(futimens(fd, omit) == 0 && fstat(fd, &st) == 0 && st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 42,
          "futimens with UTIME_OMIT");
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    check_err(utimensat(AT_FDCWD, f, bad, 0), EINVAL, "utimensat with tv_nsec 10^9");
    check_err(utimensat(AT_FDCWD, f, (struct timespec *)bad_ptr, 0), EFAULT, "utimensat with a bad times pointer");

    check(ftruncate(fd, 10) == 0 && fstat(fd, &st) == 0 && st.st_size == 10, "ftruncate to 10");
    check(truncate(f, 100000) == 0 && stat(f, &st) == 0 && st.st_size == 100000, "truncate to 100000");
    check_err(ftruncate(fd, -1), EINVAL, "ftruncate to -1");
    check_err(truncate(in_dir(1, "missing"), 0), ENOENT, "truncate a missing file");
    close(fd);
    unlink(f);
    umask(old);
}

static int file_with(const char *name, const char *data)
{
    int fd = open(in_dir(3, name), O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(fd, data, strlen(data));
    lseek(fd, 0, SEEK_SET);
    return fd;
}

static void copies(void)
{
    int src = file_with("src", "0123456789abcdefghij");
    int dst = file_with("dst", "");
    off_t off = 5;
    check(sendfile(dst, src, &off, 6) == 6 && off == 11, "sendfile 6 bytes from offset 5");
    check(lseek(src, 0, SEEK_CUR) == 0, "sendfile with an offset leaves the file position");
    char b[32] = {0};
    check(pread(dst, b, sizeof b, 0) == 6 && memcmp(b, "56789a", 6) == 0, "sendfile copied the bytes");
    int p[2];
    pipe(p);
    check(sendfile(p[1], src, NULL, 4) == 4 && lseek(src, 0, SEEK_CUR) == 4, "sendfile into a pipe moves the position");
    check(read(p[0], b, 4) == 4 && memcmp(b, "0123", 4) == 0, "the pipe holds them");

    loff_t in = 10, out = 0;
    int d2 = file_with("dst2", "");
    check(copy_file_range(src, &in, d2, &out, 10, 0) == 10 && in == 20 && out == 10, "copy_file_range 10 bytes");
    memset(b, 0, sizeof b);
    check(pread(d2, b, sizeof b, 0) == 10 && memcmp(b, "abcdefghij", 10) == 0, "copy_file_range copied them");
    check_err(copy_file_range(src, &in, d2, &out, 1, 99), EINVAL, "copy_file_range with flags");

    /* splice file -> pipe -> file, tee pipe -> pipe. */
    loff_t so = 0;
    check(splice(src, &so, p[1], NULL, 8, 0) == 8 && so == 8, "splice file to pipe");
    int q[2];
    pipe(q);
    check(tee(p[0], q[1], 8, 0) == 8, "tee pipe to pipe");
    loff_t doff = 0;
    int d3 = file_with("dst3", "");
    check(splice(p[0], NULL, d3, &doff, 8, 0) == 8 && doff == 8, "splice pipe to file");
    memset(b, 0, sizeof b);
    check(read(q[0], b, 8) == 8 && memcmp(b, "01234567", 8) == 0, "tee duplicated the data");
    memset(b, 0, sizeof b);
    check(pread(d3, b, sizeof b, 0) == 8 && memcmp(b, "01234567", 8) == 0, "splice wrote the file");
    check_err(splice(src, NULL, d3, NULL, 4, 0), EINVAL, "splice between two files");
    close(q[0]);
    close(q[1]);
    close(p[0]);
    close(p[1]);
    close(src);
    close(dst);
    close(d2);
    close(d3);
}

static void memfd(void)
{
    int m = memfd_create("remu-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    check(m >= 0 && (fcntl(m, F_GETFD) & FD_CLOEXEC), "memfd_create");
    check(write(m, "memory", 6) == 6 && lseek(m, 0, SEEK_SET) == 0, "write into the memfd");
    char b[8] = {0};
    check(read(m, b, 6) == 6 && memcmp(b, "memory", 6) == 0, "read it back");
    struct stat st;
    check(fstat(m, &st) == 0 && st.st_size == 6 && S_ISREG(st.st_mode), "fstat: a 6-byte regular file");
    check(fcntl(m, F_ADD_SEALS, F_SEAL_GROW) == 0 && fcntl(m, F_GET_SEALS) == F_SEAL_GROW, "F_ADD_SEALS");
    check_err(ftruncate(m, 100), EPERM, "a sealed memfd cannot grow");
    char *map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, m, 0);
    check(map != MAP_FAILED && memcmp(map, "memory", 6) == 0, "mmap the memfd");
    munmap(map, 4096);
    close(m);
    check_err(memfd_create("x", 0x1000), EINVAL, "memfd_create with an unknown flag");
}

static void locks(void)
{
    const char *f = in_dir(0, "lock");
    int a = open(f, O_CREAT | O_RDWR, 0600), b = open(f, O_RDWR);
    check(flock(a, LOCK_EX) == 0, "flock LOCK_EX");
    check_err(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK, "a second open file cannot take it");
    check(flock(b, LOCK_SH | LOCK_NB) == -1, "nor share it");
    check(flock(a, LOCK_UN) == 0 && flock(b, LOCK_SH | LOCK_NB) == 0, "after unlock it can");
    check_err(flock(a, 0), EINVAL, "flock with operation 0");
    flock(b, LOCK_UN);

    /* fcntl record locks: the parent holds one, the child waits (F_SETLKW) until it goes. */
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    check(fcntl(a, F_SETLK, &fl) == 0, "F_SETLK write lock");
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        int c = open(f, O_RDWR);
        struct flock probe = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
        if (fcntl(c, F_GETLK, &probe) != 0 || probe.l_type != F_WRLCK || probe.l_pid != getppid())
            _exit(1);
        struct flock w = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
        if (fcntl(c, F_SETLK, &w) != -1 || (errno != EAGAIN && errno != EACCES))
            _exit(2);
        write(p[1], "w", 1);
        if (fcntl(c, F_SETLKW, &w) != 0)
            _exit(3);
        _exit(0);
    }
    char x;
    check(read(p[0], &x, 1) == 1, "child saw the lock held");
    usleep(20000);
    fl.l_type = F_UNLCK;
    check(fcntl(a, F_SETLK, &fl) == 0, "unlock");
    int st;
    check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child's F_SETLKW got the lock");
    close(p[0]);
    close(p[1]);
    close(a);
    close(b);
    unlink(f);
}

static void process_info(void)
{
    struct rusage ru;
    check(getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec < 1000000 &&
              ru.ru_maxrss > 0,
          "getrusage(RUSAGE_SELF)");
    check(getrusage(RUSAGE_CHILDREN, &ru) == 0, "getrusage(RUSAGE_CHILDREN)");
    check_err(getrusage(99, &ru), EINVAL, "getrusage(99)");
    check_err(getrusage(RUSAGE_SELF, (struct rusage *)bad_ptr), EFAULT, "getrusage into a bad buffer");
    struct tms t;
    clock_t c = times(&t);
    check(c != (clock_t)-1 && t.tms_utime >= 0 && t.tms_stime >= 0, "times");
    check(times(NULL) != (clock_t)-1, "times(NULL)");
    cpu_set_t set;
    CPU_ZERO(&set);
    check(sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) >= 1, "sched_getaffinity");
    check(sched_setaffinity(0, sizeof set, &set) == 0, "sched_setaffinity to the same set");
    check_err(syscall(SYS_sched_getaffinity, 0, 3, &set), EINVAL, "sched_getaffinity with a 3-byte mask");
}

static void pipe_ioctls(void)
{
    int p[2];
    pipe(p);
    int on = 1, n = -1;
    check(ioctl(p[0], FIONBIO, &on) == 0 && (fcntl(p[0], F_GETFL) & O_NONBLOCK), "FIONBIO sets O_NONBLOCK");
    char b[8];
    check_err(read(p[0], b, sizeof b), EAGAIN, "non-blocking read of an empty pipe");
    write(p[1], "12345", 5);
    check(ioctl(p[0], FIONREAD, &n) == 0 && n == 5, "FIONREAD counts 5 bytes");
    check_err(ioctl(p[0], TCGETS, b), ENOTTY, "TCGETS on a pipe");
    check_err(ioctl(p[0], FIONREAD, bad_ptr), EFAULT, "FIONREAD into a bad pointer");
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    fs_info();
    attributes();
    copies();
    memfd();
    locks();
    process_info();
    pipe_ioctls();
    const char *names[] = {"src", "dst", "dst2", "dst3"};
    for (int i = 0; i < 4; i++)
        unlink(in_dir(0, names[i]));
    check(rmdir(dir) == 0, "the temporary directory is empty at the end");
    printf("%d failures\n", failures);
    return failures;
}
