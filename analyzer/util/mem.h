/* All of stackcheck's heap allocation goes through here, so that tests can
 * make the Nth allocation fail and check that every module reports it. */
#ifndef STACKCHECK_UTIL_MEM_H
#define STACKCHECK_UTIL_MEM_H

#include <stddef.h>

/* Like malloc/calloc/realloc/free. Return NULL on failure (or when a test
 * asked for this allocation to fail); never exit. mem_realloc leaves `p`
 * untouched on failure. mem_alloc_array checks n * size for overflow. */
void *mem_alloc(size_t size);
void *mem_calloc(size_t n, size_t size);
void *mem_realloc(void *p, size_t size);
void *mem_alloc_array(size_t n, size_t size);
void *mem_realloc_array(void *p, size_t n, size_t size);
void mem_free(void *p);

/* Returns a new copy of s (NULL when s is NULL or on failure); free with mem_free. */
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);

/* Test hook: make the nth allocation from now fail (1 = the next one);
 * 0 turns failure injection off. Not thread-safe: tests only. */
void mem_fail_after(unsigned long n);

#endif
