/* fileio: file-system round trip in a fresh directory made with mkdtemp under /tmp.
 * create, write, read back, fstat/stat sizes, lseek, rename, unlink, readdir (sorted),
 * rmdir. Prints each check; exits 0 only if every check passed. Names printed are
 * relative to the temporary directory, so the output is deterministic. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char path_buf[4][512];

static const char *in_dir(int slot, const char *dir, const char *name)
{
    snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", dir, name);
    return path_buf[slot];
}

int main(void)
{
    char dir[] = "/tmp/remu-fileio-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    check(strncmp(dir, "/tmp/remu-fileio-", 17) == 0 && strlen(dir) == 23, "mkdtemp made a name");

    struct stat st;
    check(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "stat dir is a directory");
    check((st.st_mode & 0777) == 0700, "mkdtemp mode is 0700");

    /* write a file with write(2), in pieces */
    const char *a = in_dir(0, dir, "alpha.txt");
    int fd = open(a, O_CREAT | O_EXCL | O_WRONLY, 0644);
    check(fd >= 0, "open O_CREAT|O_EXCL alpha.txt");
    char data[10000];
    for (int i = 0; i < (int)sizeof data; i++)
        data[i] = (char)('a' + (i * 7) % 26);
    size_t done = 0;
    while (done < sizeof data) {
        size_t chunk = sizeof data - done < 3000 ? sizeof data - done : 3000;
        ssize_t n = write(fd, data + done, chunk);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    check(done == sizeof data, "wrote 10000 bytes");
    check(fstat(fd, &st) == 0 && st.st_size == 10000, "fstat size 10000");
    check(S_ISREG(st.st_mode), "fstat regular file");
    check(close(fd) == 0, "close");
    check(open(a, O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 && errno == EEXIST, "O_EXCL again gives EEXIST");

    /* read back with read(2) and pread, lseek */
    fd = open(a, O_RDONLY);
    check(fd >= 0, "open O_RDONLY");
    char back[10000 + 16];
    ssize_t got = 0, n;
    /* never ask for more than the buffer holds: qemu-user fails with EFAULT when the
     * buffer range reaches unmapped memory even at end of file */
    while ((n = read(fd, back + got, sizeof back - got < 4096 ? sizeof back - got : 4096)) > 0)
        got += n;
    check(got == 10000 && memcmp(back, data, 10000) == 0, "read back identical");
    check(read(fd, back, 16) == 0, "read at EOF returns 0");
    check(lseek(fd, 5000, SEEK_SET) == 5000, "lseek SEEK_SET 5000");
    check(read(fd, back, 10) == 10 && memcmp(back, data + 5000, 10) == 0, "read after lseek");
    check(lseek(fd, -10, SEEK_END) == 9990, "lseek SEEK_END -10");
    check(pread(fd, back, 4, 100) == 4 && memcmp(back, data + 100, 4) == 0, "pread at 100");
    check(lseek(fd, 0, SEEK_CUR) == 9990, "pread left offset alone");
    close(fd);

    /* stdio: fopen/fprintf/fgets */
    const char *b = in_dir(1, dir, "beta.txt");
    FILE *f = fopen(b, "w");
    check(f != NULL, "fopen w beta.txt");
    for (int i = 0; i < 100; i++)
        fprintf(f, "line %d of %d\n", i, 100);
    check(fclose(f) == 0, "fclose");
    f = fopen(b, "r");
    char line[64];
    int lines = 0, good = 1;
    while (fgets(line, sizeof line, f)) {
        char want[64];
        snprintf(want, sizeof want, "line %d of %d\n", lines, 100);
        good &= strcmp(line, want) == 0;
        lines++;
    }
    fclose(f);
    check(lines == 100 && good, "fgets read 100 matching lines");
    check(stat(b, &st) == 0 && st.st_size == 1490, "stat size of beta.txt is 1490");

    /* append, truncate */
    fd = open(b, O_WRONLY | O_APPEND);
    check(write(fd, "tail\n", 5) == 5, "append write");
    close(fd);
    check(stat(b, &st) == 0 && st.st_size == 1495, "size after append 1495");
    check(truncate(b, 100) == 0 && stat(b, &st) == 0 && st.st_size == 100, "truncate to 100");

    /* subdirectory, rename, listing */
    const char *sub = in_dir(2, dir, "sub");
    check(mkdir(sub, 0755) == 0, "mkdir sub");
    check(mkdir(sub, 0755) < 0 && errno == EEXIST, "mkdir sub again gives EEXIST");
    char c_path[600];
    snprintf(c_path, sizeof c_path, "%s/gamma.bin", sub);
    fd = open(c_path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    check(fd >= 0 && write(fd, "\0\1\2\3", 4) == 4, "create sub/gamma.bin");
    close(fd);
    const char *a2 = in_dir(3, dir, "delta.txt");
    check(rename(a, a2) == 0, "rename alpha.txt -> delta.txt");
    check(access(a, F_OK) < 0 && errno == ENOENT, "alpha.txt gone (ENOENT)");
    check(stat(a2, &st) == 0 && st.st_size == 10000, "delta.txt has size 10000");

    DIR *d = opendir(dir);
    check(d != NULL, "opendir");
    char *names[32];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) && count < 32)
        names[count++] = strdup(e->d_name);
    closedir(d);
    qsort(names, count, sizeof names[0], cmp_str);
    printf("listing:");
    for (int i = 0; i < count; i++)
        printf(" %s", names[i]);
    printf("\n");
    check(count == 5, "directory has 5 entries incl . and ..");
    for (int i = 0; i < count; i++)
        free(names[i]);

    /* clean up */
    check(rmdir(dir) < 0 && errno == ENOTEMPTY, "rmdir non-empty gives ENOTEMPTY");
    check(unlink(c_path) == 0, "unlink sub/gamma.bin");
    check(rmdir(sub) == 0, "rmdir sub");
    check(unlink(a2) == 0, "unlink delta.txt");
    check(unlink(b) == 0, "unlink beta.txt");
    check(unlink(b) < 0 && errno == ENOENT, "unlink again gives ENOENT");
    check(rmdir(dir) == 0, "rmdir temp dir");
    check(stat(dir, &st) < 0 && errno == ENOENT, "temp dir gone");

    printf("%s (%d failures)\n", failures ? "FAILED" : "all good", failures);
    return failures ? 1 : 0;
}
