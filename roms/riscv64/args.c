/* args: prints argc, every argv[i], and for each argv[i] (i >= 1) the value of the
 * environment variable of that name, or "(unset)". */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) {
        if (i == 0)
            printf("argv[0] is %s\n", argv[0] && argv[0][0] ? "set" : "empty");
        else
            printf("argv[%d]=[%s]\n", i, argv[i]);
    }
    for (int i = 1; i < argc; i++) {
        const char *v = getenv(argv[i]);
        if (v)
            printf("env %s=[%s]\n", argv[i], v);
        else
            printf("env %s (unset)\n", argv[i]);
    }
    printf("argv[argc] is %s\n", argv[argc] == NULL ? "NULL" : "not NULL");
    return 0;
}
