/* Dynamically linked hello: the dynamic linker, libc.so.6 and the start-up auxv. */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

int main(int argc, char **argv) {
    printf("hello from a dynamically linked guest\n");
    /* AT_BASE is the dynamic linker's load address; AT_ENTRY the program's entry. */
    printf("AT_BASE set: %s\n", getauxval(AT_BASE) != 0 ? "yes" : "no");
    printf("AT_ENTRY set: %s\n", getauxval(AT_ENTRY) != 0 ? "yes" : "no");
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    return 0;
}
