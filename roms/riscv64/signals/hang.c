/* hang: never ends by itself - "spin" loops without system calls, "deadlock" blocks
 * forever on a mutex it holds. For the test that Ctrl-C (SIGINT) still ends remu. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    printf("ready\n");
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "deadlock") == 0) {
        pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
        pthread_mutex_lock(&m);
        pthread_mutex_lock(&m);
    }
    for (volatile unsigned long i = 0;; i++)
        ;
}
