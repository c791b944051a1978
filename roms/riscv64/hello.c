/* hello: the smallest useful guest program. Prints one line, exits 0. */
#include <stdio.h>

int main(void)
{
    puts("hello, world");
    return 0;
}
