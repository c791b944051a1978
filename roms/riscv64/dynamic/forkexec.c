/* fork, execve and wait: children that exit, that are killed by a signal, that exec guest
 * programs (this one again with its argv[0] renamed, a static rom, a `#!` script whose
 * interpreter is a guest program), and execve failures with the kernel's errno.
 *
 * Run from the repository root: forkexec roms/riscv64/dynamic/forkexec
 *   roms/riscv64/exitcode roms/riscv64/dynamic/guest-script
 * (the aarch64 build: the same with roms/aarch64/...). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

extern char **environ;

static void report(const char *what, int status) {
    if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: status %#x\n", what, status);
    fflush(stdout);
}

static void run_and_wait(const char *what, char *path, char **argv, char **envp) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execve(path, argv, envp);
        printf("%s: execve failed: %s\n", what, strerror(errno));
        fflush(stdout);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        printf("%s: waitpid failed: %s\n", what, strerror(errno));
        return;
    }
    report(what, status);
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "child") == 0) {
        /* The exec'd copy of this program. */
        printf("child: argv[0]=%s argc=%d", argv[0], argc);
        for (int i = 2; i < argc; i++) printf(" [%s]", argv[i]);
        const char *v = getenv("FORKEXEC_VAR");
        printf(" FORKEXEC_VAR=%s PATH %s\n", v ? v : "(unset)", getenv("PATH") ? "set" : "unset");
        return 3;
    }
    if (argc < 4) {
        fprintf(stderr, "usage: forkexec SELF EXITCODE-ROM SCRIPT\n");
        return 2;
    }

    /* A child that exits: the parent sees its status; memory is copied, not shared. */
    int shared = 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        shared = 99;
        printf("in the child: getppid matches: %s\n", getppid() > 1 ? "yes" : "no");
        fflush(stdout);
        _exit(shared - 90);
    }
    int status;
    pid_t got = wait(&status);
    printf("wait returned the child: %s\n", got == pid ? "yes" : "no");
    report("plain child", status);
    printf("parent's variable untouched: %d\n", shared);

    /* A pipe between parent and child. */
    int fds[2];
    if (pipe(fds) != 0) return 1;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const char msg[] = "through the pipe";
        write(fds[1], msg, sizeof msg);
        _exit(0);
    }
    close(fds[1]);
    char buf[64] = {0};
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    waitpid(pid, &status, 0);
    printf("read %zd bytes: %s\n", n, buf);

    /* A child killed by a signal; waitid sees it too. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        raise(SIGUSR1);
        _exit(0);
    }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_PID, pid, &si, WEXITED) == 0)
        printf("waitid: pid matches %s, code %s, signal %d\n", si.si_pid == pid ? "yes" : "no",
               si.si_code == CLD_KILLED ? "CLD_KILLED" : "other", si.si_status);

    /* execve of guest programs. */
    char *self_argv[] = {"renamed-child", "child", "a b", "", NULL};
    char *self_env[] = {"FORKEXEC_VAR=from parent", NULL};
    run_and_wait("exec self", argv[1], self_argv, self_env);

    char *exit_argv[] = {argv[2], "7", NULL};
    run_and_wait("exec exitcode 7", argv[2], exit_argv, environ);

    char *script_argv[] = {"my-script", "x y", NULL};
    run_and_wait("exec script", argv[3], script_argv, environ);

    /* execve failures. */
    char *none_argv[] = {"none", NULL};
    errno = 0;
    printf("missing file: %s\n", execve("/nonexistent/program", none_argv, environ) == -1 ? strerror(errno) : "?");
    printf("a directory: %s\n", execve("/", none_argv, environ) == -1 ? strerror(errno) : "?");
    /* An ELF header for AArch64 (e_machine 183): a third architecture. */
    char tmp[] = "/tmp/remu-forkexec-XXXXXX";
    int fd = mkstemp(tmp);
    unsigned char hdr[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    hdr[16] = 2;  /* ET_EXEC */
#ifdef __aarch64__
    hdr[18] = 22; /* built for aarch64, the third architecture is s390 (EM_S390) */
#else
    hdr[18] = 183;
#endif
    write(fd, hdr, sizeof hdr);
    close(fd);
    chmod(tmp, 0755);
    printf("another architecture: %s\n", execve(tmp, none_argv, environ) == -1 ? strerror(errno) : "?");
    unlink(tmp);

    /* system(): posix_spawn of the host's /bin/sh. */
    fflush(stdout);
    int rc = system("echo from the shell; exit 5");
    report("system", rc);
    return 0;
}
