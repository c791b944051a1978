/* libplugin.so: a guest shared library the dlopen rom loads at run time. */
#include <stdio.h>
#include <string.h>

static int calls;
int plugin_counter = 100;

__attribute__((constructor)) static void plugin_init(void) { printf("plugin: constructor ran\n"); }

int plugin_add(int a, int b) {
    calls++;
    return a + b + plugin_counter;
}

const char *plugin_name(void) { return "libplugin"; }

int plugin_calls(void) { return calls; }

size_t plugin_strlen(const char *s) { return strlen(s); }
