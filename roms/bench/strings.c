/* strings: string-heavy work: builds records with snprintf, tokenises them with strchr
 * and strtok_r-style scanning, measures with strlen, compares with memcmp/strcmp, and
 * searches with strstr. Prints a checksum that is the same on every architecture (all
 * character arithmetic is done on unsigned char). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUNDS 480000

static const char *const names[] = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
                                      "golf", "hotel", "india", "juliett", "kilo", "lima" };

int main(void)
{
    char line[256], copy[256], prev[256] = "";
    uint64_t check = 1469598103934665603ULL;
    uint32_t seed = 42;
    unsigned long fields = 0, hits = 0, equal = 0;
    for (int r = 0; r < ROUNDS; r++) {
        seed = seed * 1664525u + 1013904223u;
        const char *a = names[seed % 12], *b = names[(seed >> 8) % 12];
        int n = snprintf(line, sizeof line, "%s=%u;%s=%d;path=/usr/%s/lib/%s.so;x=%x;%s", a,
                         seed % 1000, b, (int)(seed >> 20) - 2048, a, b, seed, b);
        check = (check ^ (uint64_t)n) * 1099511628211ULL;
        /* tokenise on ';' with strchr, then split key=value */
        memcpy(copy, line, (size_t)n + 1);
        char *p = copy;
        while (p) {
            char *semi = strchr(p, ';');
            if (semi)
                *semi = 0;
            char *eq = strchr(p, '=');
            size_t klen = eq ? (size_t)(eq - p) : strlen(p);
            size_t vlen = eq ? strlen(eq + 1) : 0;
            fields++;
            check = (check ^ (klen * 131 + vlen)) * 1099511628211ULL;
            for (const unsigned char *u = (const unsigned char *)p; *u; u++)
                check += *u;
            p = semi ? semi + 1 : NULL;
        }
        if (strstr(line, "lib/echo") || strstr(line, "hotel;"))
            hits++;
        if (memcmp(line, prev, 8) == 0)
            equal++;
        int c = strcmp(line, prev);
        check = (check ^ (uint64_t)(c < 0 ? 1 : c > 0 ? 2 : 3)) * 1099511628211ULL;
        strcpy(prev, line);
        /* a reversed copy and a case-changed copy */
        size_t len = strlen(line);
        for (size_t i = 0; i < len; i++)
            copy[i] = line[len - 1 - i];
        copy[len] = 0;
        for (unsigned char *u = (unsigned char *)copy; *u; u++)
            if (*u >= 'a' && *u <= 'z')
                *u = (unsigned char)(*u - 32);
        const char *dot = strrchr(copy, '.');
        check = (check ^ (uint64_t)(dot ? dot - copy : -1)) * 1099511628211ULL;
    }
    printf("fields %lu hits %lu equal %lu checksum %016llx\n", fields, hits, equal,
           (unsigned long long)check);
    return 0;
}
