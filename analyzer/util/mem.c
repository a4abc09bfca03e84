/* This file wraps the C allocator with overflow checks and a test hook that
 * fails the Nth allocation (SQLite's and Lua's fault-injection idea). */
#define _DEFAULT_SOURCE /* madvise */
#include "util/mem.h"

#include <stdint.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

/* Countdown to an injected failure; 0 means off. Tests only, so the one
 * piece of global mutable state the style guide allows here. */
static unsigned long fail_countdown;

static int should_fail(void)
{
    if (fail_countdown == 0)
        return 0;
    if (--fail_countdown == 0)
        return 1;
    return 0;
}

void mem_fail_after(unsigned long n) { fail_countdown = n; }

/* A block of several megabytes (the graph's arrays and tables on a big
 * program) is written once from end to end: let the kernel back it with
 * 2 MiB pages (see arena_pool_begin) rather than fault it in 4 KiB at a
 * time. Only the 2 MiB-aligned middle can be huge; a hint, never an error. */
static void *hint_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (p && size >= 4 * huge) {
        uintptr_t b = ((uintptr_t)p + huge - 1) & ~(huge - 1), e = ((uintptr_t)p + size) & ~(huge - 1);
        if (e > b)
            (void)madvise((void *)b, e - b, MADV_HUGEPAGE);
    }
#endif
    return p;
}

void *mem_alloc(size_t size)
{
    if (should_fail())
        return NULL;
    return hint_huge(malloc(size ? size : 1), size);
}

void *mem_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    if (n == 0 || size == 0)
        return calloc(1, 1);
    return hint_huge(calloc(n, size), size && n > SIZE_MAX / size ? 0 : n * size);
}

void *mem_realloc(void *p, size_t size)
{
    if (should_fail())
        return NULL;
    return hint_huge(realloc(p, size ? size : 1), size);
}

void *mem_alloc_array(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return mem_alloc(n * size);
}

void *mem_realloc_array(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return mem_realloc(p, n * size);
}

void mem_free(void *p) { free(p); }

char *mem_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = mem_alloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *mem_strdup(const char *s) { return s ? mem_strndup(s, strlen(s)) : NULL; }
