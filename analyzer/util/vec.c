/* This file grows arrays geometrically with overflow-checked sizes. */
#include "util/vec.h"

#include <stdint.h>
#include <string.h>

#include "util/mem.h"

int vec_reserve_n(void **items, size_t need, size_t *cap, size_t elem_size)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    void *p = mem_realloc_array(*items, ncap, elem_size);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

int vec_reserve(void **items, size_t n, size_t *cap, size_t elem_size)
{
    if (n == SIZE_MAX)
        return -1;
    return vec_reserve_n(items, n + 1, cap, elem_size);
}
