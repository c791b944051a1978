/* dlopen of a guest shared library (argv[1], e.g. roms/riscv64/dynamic/libplugin.so),
 * dlsym of functions and data, dlclose; and a clean dlerror for a missing library. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: dlopen LIBRARY\n");
        return 2;
    }
    void *none = dlopen("libdoes-not-exist.so", RTLD_NOW);
    printf("missing library: %s\n", none ? "loaded?!" : "NULL, as expected");

    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        printf("dlopen failed: %s\n", dlerror());
        return 1;
    }
    int (*add)(int, int) = (int (*)(int, int))dlsym(h, "plugin_add");
    const char *(*name)(void) = (const char *(*)(void))dlsym(h, "plugin_name");
    int (*ncalls)(void) = (int (*)(void))dlsym(h, "plugin_calls");
    unsigned long (*slen)(const char *) = (unsigned long (*)(const char *))dlsym(h, "plugin_strlen");
    int *counter = (int *)dlsym(h, "plugin_counter");
    if (!add || !name || !ncalls || !slen || !counter) {
        printf("dlsym failed: %s\n", dlerror());
        return 1;
    }
    printf("name=%s add(2,3)=%d\n", name(), add(2, 3));
    *counter = 1000;
    printf("after setting the counter: add(2,3)=%d calls=%d strlen=%lu\n", add(2, 3), ncalls(), slen("twelve chars"));
    printf("dlsym of a missing symbol: %s\n", dlsym(h, "no_such_symbol") ? "found?!" : "NULL");
    printf("dlclose=%d\n", dlclose(h));
    return 0;
}
