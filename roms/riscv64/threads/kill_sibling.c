/* kill_sibling: pthread_kill with a default-fatal signal at another thread ends the whole
 * process with that signal (SIGTERM: status 143); SIGCHLD (default ignore) does nothing. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, sleeper, NULL);
    printf("SIGCHLD to sibling: %d\n", pthread_kill(t, SIGCHLD));
    printf("sending SIGTERM to sibling\n");
    fflush(stdout);
    pthread_kill(t, SIGTERM);
    for (;;)
        pause();
}
