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
} Arena;

/* init/fini pair in caller storage; fini frees every object at once. */
void arena_init(Arena *a);
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
