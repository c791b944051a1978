/* sieve: Sieve of Eratosthenes over a byte array, repeated; prints the prime count and a
 * checksum of the primes found. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 4000000
#define ROUNDS 50

int main(void)
{
    unsigned char *composite = malloc(LIMIT + 1);
    uint64_t check = 0;
    unsigned count = 0;
    for (int r = 0; r < ROUNDS; r++) {
        memset(composite, 0, LIMIT + 1);
        for (uint64_t i = 2; i * i <= LIMIT; i++)
            if (!composite[i])
                for (uint64_t j = i * i; j <= LIMIT; j += i)
                    composite[j] = 1;
        count = 0;
        for (uint64_t i = 2; i <= LIMIT; i++)
            if (!composite[i]) {
                count++;
                check = check * 31 + i;
            }
    }
    printf("primes below %d: %u checksum %016llx\n", LIMIT, count, (unsigned long long)check);
    free(composite);
    return 0;
}
