/* Arenas hold objects that die together (one TU's summary, the linked
 * graph's strings); there is no per-object free. */
#ifndef STACKCHECK_UTIL_ARENA_H
#define STACKCHECK_UTIL_ARENA_H

#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;

typedef struct Arena {
    ArenaChunk *head; /* newest chunk; owned */
    size_t used;      /* bytes used in head */
    size_t total;     /* bytes handed out over the arena's life */
    int pooled;       /* takes chunks from the pool while it is on */
} Arena;

/* Big runs (`stackcheck link` over a million functions) fill hundreds of
 * megabytes of arenas once, and on 4 KiB pages most of that time is page
 * faults. Between arena_pool_begin and arena_pool_end, new chunks of every
 * arena made with arena_init_pooled come from shared 2 MiB-aligned regions that the kernel may back
 * with transparent huge pages (madvise(MADV_HUGEPAGE), which the default
 * "madvise" mode honours); each fault then maps 2 MiB instead of 4 KiB.
 * Pooled chunks are not freed one by one: arena_pool_end releases them all,
 * and must come after every arena that used the pool is finished. So only
 * arenas that live to the end of the run are pooled (summaries, the graph,
 * the result), never short-lived ones (a JSON tree being read). Thread
 * safe. A pool that cannot map memory falls back to malloc. */
void arena_pool_begin(void);
void arena_pool_end(void);

/* init/fini pair in caller storage; fini frees every object at once. */
void arena_init(Arena *a);
/* arena_init for an arena that lives until the run ends: pooled. */
void arena_init_pooled(Arena *a);
void arena_fini(Arena *a);

/* Returns size zeroed bytes aligned for any type, or NULL on failure. */
void *arena_alloc(Arena *a, size_t size);
/* Like arena_alloc, without the zeroing (for callers that write it all). */
void *arena_alloc_uninit(Arena *a, size_t size);
/* Returns an arena copy of n elements of size bytes (NULL on failure or
 * overflow; NULL also for n == 0). */
void *arena_memdup(Arena *a, const void *src, size_t n, size_t size);
/* Returns an arena copy of s (NULL on failure; NULL when s is NULL). */
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(Arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
