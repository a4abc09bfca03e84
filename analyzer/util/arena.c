/* This file implements bump-pointer arenas made of linked chunks. */
#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "limits.h"
#include "util/mem.h"

struct ArenaChunk {
    ArenaChunk *next; /* older chunk */
    size_t size;      /* usable bytes in data */
    _Alignas(16) unsigned char data[];
};

void arena_init(Arena *a) { memset(a, 0, sizeof *a); }

void arena_fini(Arena *a)
{
    ArenaChunk *c = a->head;
    while (c) {
        ArenaChunk *next = c->next;
        mem_free(c);
        c = next;
    }
    memset(a, 0, sizeof *a);
}

void *arena_alloc_uninit(Arena *a, size_t size)
{
    if (size > SIZE_MAX - 15)
        return NULL;
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    if (!a->head || a->head->size - a->used < size) {
        size_t csize = size > SC_ARENA_CHUNK ? size : SC_ARENA_CHUNK;
        if (csize > SIZE_MAX - sizeof(ArenaChunk))
            return NULL;
        ArenaChunk *c = mem_alloc(sizeof(ArenaChunk) + csize);
        if (!c)
            return NULL;
        c->size = csize;
        c->next = a->head;
        a->head = c;
        a->used = 0;
    }
    void *p = a->head->data + a->used;
    a->used += size;
    a->total += size;
    return p;
}

void *arena_alloc(Arena *a, size_t size)
{
    void *p = arena_alloc_uninit(a, size);
    if (p)
        memset(p, 0, (size + 15) & ~(size_t)15);
    return p;
}

void *arena_memdup(Arena *a, const void *src, size_t n, size_t size)
{
    if (n == 0 || (size && n > SIZE_MAX / size))
        return NULL;
    void *p = arena_alloc(a, n * size);
    if (p)
        memcpy(p, src, n * size);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    if (!s || n == SIZE_MAX)
        return NULL;
    char *p = arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return s ? arena_strndup(a, s, strlen(s)) : NULL; }

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
