/* This file implements bump-pointer arenas made of linked chunks, and the
 * pool of huge-page regions big runs take their chunks from. */
#define _DEFAULT_SOURCE /* madvise, MAP_ANONYMOUS */
#include "util/arena.h"

#include <pthread.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "limits.h"
#include "util/mem.h"

struct ArenaChunk {
    ArenaChunk *next; /* older chunk */
    size_t size;      /* usable bytes in data */
    bool pooled;      /* from the pool: released by arena_pool_end */
    _Alignas(16) unsigned char data[];
};

/* The pool: regions mapped once, carved front to back, unmapped together. */
#define POOL_HUGE ((size_t)2 << 20)
#define POOL_REGION ((size_t)64 << 20)

typedef struct PoolRegion {
    struct PoolRegion *next;
    size_t size;  /* mapped bytes, this header included */
    size_t used;
} PoolRegion;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static bool pool_on;
static PoolRegion *pool_regions; /* newest first */

void arena_pool_begin(void)
{
    pthread_mutex_lock(&pool_lock);
    pool_on = true;
    pthread_mutex_unlock(&pool_lock);
}

void arena_pool_end(void)
{
    pthread_mutex_lock(&pool_lock);
    pool_on = false;
    while (pool_regions) {
        PoolRegion *next = pool_regions->next;
        munmap(pool_regions, pool_regions->size);
        pool_regions = next;
    }
    pthread_mutex_unlock(&pool_lock);
}

/* Maps a region of at least `need` bytes after its header, 2 MiB-aligned
 * (huge pages need aligned 2 MiB ranges); NULL when mapping fails. */
static PoolRegion *pool_map(size_t need)
{
    size_t size = need + sizeof(PoolRegion) > POOL_REGION ? need + sizeof(PoolRegion) : POOL_REGION;
    size = (size + POOL_HUGE - 1) & ~(POOL_HUGE - 1);
    unsigned char *raw = mmap(NULL, size + POOL_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    /* Keep the aligned part, give the ends back. */
    size_t lead = (POOL_HUGE - ((uintptr_t)raw & (POOL_HUGE - 1))) & (POOL_HUGE - 1);
    if (lead)
        munmap(raw, lead);
    if (POOL_HUGE - lead)
        munmap(raw + lead + size, POOL_HUGE - lead);
    PoolRegion *r = (PoolRegion *)(void *)(raw + lead);
#ifdef MADV_HUGEPAGE
    (void)madvise(r, size, MADV_HUGEPAGE); /* a hint: without it, small pages */
#endif
    r->size = size;
    r->used = (sizeof(PoolRegion) + 15) & ~(size_t)15;
    return r;
}

/* A chunk of `bytes` from the pool, or NULL when the pool is off or out of
 * memory (the caller then mallocs). */
static ArenaChunk *pool_chunk(size_t bytes)
{
    ArenaChunk *c = NULL;
    bytes = (bytes + 15) & ~(size_t)15;
    pthread_mutex_lock(&pool_lock);
    if (pool_on) {
        PoolRegion *r = pool_regions;
        if (!r || r->size - r->used < bytes) {
            PoolRegion *n = pool_map(bytes);
            if (n && bytes > POOL_REGION / 4 && r) {
                /* A big one gets a region of its own, behind the current. */
                n->next = r->next;
                r->next = n;
                r = n;
            } else if (n) {
                n->next = pool_regions;
                pool_regions = r = n;
            } else {
                r = NULL;
            }
        }
        if (r) {
            c = (ArenaChunk *)(void *)((unsigned char *)r + r->used);
            r->used += bytes;
            c->pooled = true;
        }
    }
    pthread_mutex_unlock(&pool_lock);
    return c;
}

void arena_init(Arena *a) { memset(a, 0, sizeof *a); }

void arena_init_pooled(Arena *a)
{
    arena_init(a);
    a->pooled = 1;
}

void arena_fini(Arena *a)
{
    ArenaChunk *c = a->head;
    while (c) {
        ArenaChunk *next = c->next;
        if (!c->pooled)
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
        ArenaChunk *c = a->pooled ? pool_chunk(sizeof(ArenaChunk) + csize) : NULL;
        if (!c) {
            c = mem_alloc(sizeof(ArenaChunk) + csize);
            if (!c)
                return NULL;
            c->pooled = false;
        }
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
