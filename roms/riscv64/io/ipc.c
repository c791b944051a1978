/* ipc: System V shared memory, semaphores and message queues, POSIX message queues
 * (with signal and thread notification) and pidfds, between threads and between a
 * parent and its forked children. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

/* How many /proc/self/maps lines name a System V segment. */
static int sysv_maps_lines(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int n = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strstr(line, "/SYSV00000000 (deleted)"))
            n++;
    }
    if (f)
        fclose(f);
    return n;
}

static void shared_memory(void)
{
    size_t size = 3 * 4096 + 100;
    int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
    check(id >= 0, "shmget");
    struct shmid_ds ds;
    check(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_segsz == size && ds.shm_nattch == 0 &&
              (ds.shm_perm.mode & 0777) == 0600 && ds.shm_cpid == getpid(),
          "shmctl IPC_STAT: size, attach count, mode, creator");

    char *p = shmat(id, NULL, 0);
    check(p != (void *)-1, "shmat anywhere");
    char *q = shmat(id, NULL, SHM_RDONLY);
    check(q != (void *)-1 && q != p, "shmat again, read-only, elsewhere");
    strcpy(p, "written through the first attachment");
    p[size - 1] = 'z';
    check(strcmp(q, "written through the first attachment") == 0 && q[size - 1] == 'z',
          "both attachments see the same pages, to the last byte");
    check(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 2, "attach count 2");
    check(sysv_maps_lines() == 2, "/proc/self/maps shows both attachments");

    pid_t child = fork();
    if (child == 0) {
        strcpy(p, "from the child");
        _exit(0);
    }
    int st;
    waitpid(child, &st, 0);
    check(WIFEXITED(st) && strcmp(q, "from the child") == 0, "a forked child writes the parent's segment");

    check_err((long)(intptr_t)shmat(id, p, 0), EINVAL, "shmat over an attachment without SHM_REMAP");
    check(shmat(id, p, SHM_REMAP) == p && strcmp(p, "from the child") == 0, "shmat with SHM_REMAP at a fixed address");
    check_err((long)(intptr_t)shmat(id, p + 1, 0), EINVAL, "shmat at an unaligned address");
    check_err(shmdt(q + 4096), EINVAL, "shmdt inside an attachment");
    check(shmdt(q) == 0, "shmdt");
    check_err(shmdt(q), EINVAL, "shmdt twice");
    check(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 1, "attach count back to 1");
    check(sysv_maps_lines() == 1, "/proc/self/maps shows one attachment");

    struct shminfo info;
    check(shmctl(0, IPC_INFO, (struct shmid_ds *)&info) >= 0 && info.shmmax > 0 && info.shmmni > 0, "shmctl IPC_INFO");
    check_err(shmctl(id, IPC_STAT, (struct shmid_ds *)bad_ptr), EFAULT, "shmctl IPC_STAT into a bad buffer");
    check(shmctl(id, IPC_RMID, NULL) == 0, "shmctl IPC_RMID (the segment stays while attached)");
    check(strcmp(p, "from the child") == 0 && shmdt(p) == 0, "detach the removed segment");
    check_err((long)(intptr_t)shmat(id, NULL, 0), EINVAL, "shmat of a removed segment");
}

static void semaphores(void)
{
    int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    check(id >= 0, "semget of 3");
    unsigned short set[3] = {1, 2, 3}, got[3] = {0};
    check(semctl(id, 0, SETALL, (union semun){.array = set}) == 0, "semctl SETALL");
    check(semctl(id, 0, GETALL, (union semun){.array = got}) == 0 && got[0] == 1 && got[1] == 2 && got[2] == 3,
          "semctl GETALL");
    check(semctl(id, 2, SETVAL, (union semun){.val = 7}) == 0 && semctl(id, 2, GETVAL) == 7, "SETVAL and GETVAL");
    struct semid_ds ds;
    check(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}) == 0 && ds.sem_nsems == 3 &&
              (ds.sem_perm.mode & 0777) == 0600 && ds.sem_ctime > 0,
          "semctl IPC_STAT: count, mode, change time");
    ds.sem_perm.mode = 0640;
    check(semctl(id, 0, IPC_SET, (union semun){.buf = &ds}) == 0, "semctl IPC_SET");
    check(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}) == 0 && (ds.sem_perm.mode & 0777) == 0640 &&
              ds.sem_nsems == 3,
          "the new mode is kept");

    struct sembuf down = {0, -1, 0}, down_nowait = {0, -1, IPC_NOWAIT}, up = {0, 1, 0};
    check(semop(id, &down, 1) == 0 && semctl(id, 0, GETVAL) == 0, "semop down");
    check(semctl(id, 0, GETPID) == getpid(), "GETPID is the last operator");
    check_err(semop(id, &down_nowait, 1), EAGAIN, "semop IPC_NOWAIT on zero");
    struct timespec ts = {0, 20 * 1000 * 1000};
    check_err(semtimedop(id, &down, 1, &ts), EAGAIN, "semtimedop times out");
    check_err(semop(id, (struct sembuf *)bad_ptr, 1), EFAULT, "semop with a bad array");

    /* A child waits on the semaphore until the parent raises it. */
    pid_t child = fork();
    if (child == 0)
        _exit(semop(id, &down, 1) == 0 ? 0 : 1);
    for (int i = 0; i < 200 && semctl(id, 0, GETNCNT) != 1; i++)
        usleep(5000);
    check(semctl(id, 0, GETNCNT) == 1, "GETNCNT sees the waiting child");
    check(semop(id, &up, 1) == 0, "semop up wakes it");
    int st;
    waitpid(child, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child got the semaphore");
    check(semctl(id, 0, IPC_RMID) == 0, "semctl IPC_RMID");
    check_err(semctl(id, 0, GETVAL), EINVAL, "a removed set");
}

struct text_msg {
    long type;
    char text[32];
};

static void message_queues(void)
{
    int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    check(id >= 0, "msgget");
    struct text_msg m = {2, "two"};
    check(msgsnd(id, &m, 4, 0) == 0, "msgsnd type 2");
    m = (struct text_msg){1, "one"};
    check(msgsnd(id, &m, 4, 0) == 0, "msgsnd type 1");
    struct msqid_ds ds;
    check(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 2 && ds.msg_cbytes == 8 && ds.msg_lspid == getpid(),
          "msgctl IPC_STAT: count, bytes, sender");
    check(msgrcv(id, &m, sizeof m.text, 1, 0) == 4 && m.type == 1 && strcmp(m.text, "one") == 0, "msgrcv by type");
    check(msgrcv(id, &m, 2, 0, 0) == -1 && errno == E2BIG, "msgrcv into a short buffer is E2BIG");
    check(msgrcv(id, &m, 2, 0, MSG_NOERROR) == 2 && m.type == 2 && memcmp(m.text, "tw", 2) == 0,
          "MSG_NOERROR truncates");
    check_err(msgrcv(id, &m, sizeof m.text, 0, IPC_NOWAIT), ENOMSG, "msgrcv IPC_NOWAIT on an empty queue");
    check_err(msgsnd(id, bad_ptr, 4, 0), EFAULT, "msgsnd from a bad buffer");
    check_err(msgrcv(id, &m, -1, 0, 0), EINVAL, "msgrcv with a negative size");

    pid_t child = fork();
    if (child == 0) {
        struct text_msg r;
        _exit(msgrcv(id, &r, sizeof r.text, 5, 0) == 6 && strcmp(r.text, "later") == 0 ? 0 : 1);
    }
    usleep(20000);
    m = (struct text_msg){5, "later"};
    check(msgsnd(id, &m, 6, 0) == 0, "msgsnd to a waiting child");
    int st;
    waitpid(child, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child received it");
    check(msgctl(id, IPC_RMID, NULL) == 0, "msgctl IPC_RMID");
}

static volatile sig_atomic_t notified;
static void on_usr1(int sig)
{
    (void)sig;
    notified = 1;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int thread_notified;
static void on_message(union sigval v)
{
    pthread_mutex_lock(&lock);
    thread_notified = v.sival_int;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}

static void posix_queues(void)
{
    char name[64];
    snprintf(name, sizeof name, "/remu-ipc-%d", (int)getpid());
    struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 64};
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    check(q != (mqd_t)-1, "mq_open O_CREAT");
    check(mq_send(q, "low", 4, 1) == 0 && mq_send(q, "high", 5, 5) == 0, "mq_send with two priorities");
    struct mq_attr now;
    check(mq_getattr(q, &now) == 0 && now.mq_curmsgs == 2 && now.mq_maxmsg == 4 && now.mq_msgsize == 64,
          "mq_getattr");
    char buf[64];
    unsigned prio = 0;
    check(mq_receive(q, buf, sizeof buf, &prio) == 5 && prio == 5 && strcmp(buf, "high") == 0,
          "mq_receive takes the highest priority first");
    check(mq_receive(q, buf, sizeof buf, &prio) == 4 && prio == 1 && strcmp(buf, "low") == 0, "then the other");
    check_err(mq_receive(q, buf, 8, &prio), EMSGSIZE, "mq_receive into a buffer below mq_msgsize");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    check_err(mq_timedreceive(q, buf, sizeof buf, &prio, &ts), ETIMEDOUT, "mq_timedreceive times out");

    signal(SIGUSR1, on_usr1);
    struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
    check(mq_notify(q, &sev) == 0, "mq_notify SIGEV_SIGNAL");
    check(mq_send(q, "ping", 5, 0) == 0, "a message for the notification");
    for (int i = 0; i < 200 && !notified; i++)
        usleep(5000);
    check(notified, "the signal arrived");
    check(mq_receive(q, buf, sizeof buf, NULL) == 5, "drain");

    sev = (struct sigevent){.sigev_notify = SIGEV_THREAD, .sigev_notify_function = on_message,
                            .sigev_value.sival_int = 77};
    check(mq_notify(q, &sev) == 0, "mq_notify SIGEV_THREAD");
    check(mq_send(q, "pong", 5, 0) == 0, "a message for the thread");
    pthread_mutex_lock(&lock);
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 10;
    while (!thread_notified && pthread_cond_timedwait(&cond, &lock, &ts) == 0) {
    }
    pthread_mutex_unlock(&lock);
    check(thread_notified == 77, "the notification thread ran with its value");

    check(mq_close(q) == 0 && mq_unlink(name) == 0, "mq_close and mq_unlink");
    check(mq_open(name, O_RDONLY) == (mqd_t)-1 && errno == ENOENT, "the queue is gone");
}

static int sys_pidfd_open(pid_t pid, unsigned flags)
{
    return syscall(SYS_pidfd_open, pid, flags);
}

static void pidfds(void)
{
    pid_t child = fork();
    if (child == 0) {
        for (;;)
            pause();
    }
    int pfd = sys_pidfd_open(child, 0);
    check(pfd >= 0, "pidfd_open of a child");
    struct pollfd p = {pfd, POLLIN, 0};
    check(poll(&p, 1, 0) == 0, "the pidfd is not readable while the child runs");
    check(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0) == 0, "pidfd_send_signal SIGTERM");
    check(poll(&p, 1, 10000) == 1 && (p.revents & POLLIN), "the pidfd becomes readable when it dies");
    int st;
    check(waitpid(child, &st, 0) == child && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "it died of SIGTERM");
    close(pfd);

    int pipefd[2];
    check(pipe(pipefd) == 0, "pipe");
    int self = sys_pidfd_open(getpid(), 0);
    int dup = syscall(SYS_pidfd_getfd, self, pipefd[1], 0);
    check(dup >= 0 && dup != pipefd[1], "pidfd_getfd copies a descriptor");
    char c = 0;
    check(write(dup, "x", 1) == 1 && read(pipefd[0], &c, 1) == 1 && c == 'x', "the copy writes the same pipe");
    check_err(syscall(SYS_pidfd_open, getpid(), 0x7fff0000), EINVAL, "pidfd_open with unknown flags");
    check_err(syscall(SYS_pidfd_send_signal, pipefd[0], 0, NULL, 0), EBADF, "pidfd_send_signal on a pipe");
    close(dup);
    close(self);
    close(pipefd[0]);
    close(pipefd[1]);
}

int main(void)
{
    shared_memory();
    semaphores();
    message_queues();
    posix_queues();
    pidfds();
    printf("%d failures\n", failures);
    return failures;
}
