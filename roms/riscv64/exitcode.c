/* exitcode: exits with the status given as argv[1] (default 42), printing nothing
 * except one line naming the status. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int code = argc > 1 ? atoi(argv[1]) : 42;
    printf("exiting with %d\n", code);
    fflush(stdout);
    exit(code);
}
