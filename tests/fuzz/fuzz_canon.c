/* libFuzzer target: the cache's canonical form of a source (cache/canon.c)
 * takes any bytes safely, is never longer than its input, and is a fixed
 * point: the canonical form of a canonical form is itself (so blanking
 * never exposes something that a second pass would read differently). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache/canon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *once = malloc(size + 1), *twice = malloc(size + 1);
    if (!once || !twice)
        abort();
    size_t n = canon_source((const char *)data, size, once);
    if (n != (size_t)-1) {
        if (n > size)
            abort();
        size_t m = canon_source(once, n, twice);
        if (m != n || memcmp(once, twice, n) != 0)
            abort();
    }
    free(once);
    free(twice);
    return 0;
}
