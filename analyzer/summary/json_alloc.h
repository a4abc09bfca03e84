/* cJSON allocates through these hooks: util/mem.c normally, or a caller's
 * arena for the duration of a scope on this thread, which turns a large
 * parse (a summary with 100,000 nodes) from one malloc and one free per
 * node into bump-pointer allocation dropped at once. */
#ifndef STACKCHECK_SUMMARY_JSON_ALLOC_H
#define STACKCHECK_SUMMARY_JSON_ALLOC_H

#include "util/arena.h"

/* Installs the hooks (once, before any thread uses cJSON). */
void json_alloc_install(void);

/* Until json_alloc_end, cJSON allocations of this thread come from a and
 * its frees do nothing: build and drop only trees whose memory is a. Without
 * json_alloc_install the scope changes nothing (cJSON keeps malloc). */
void json_alloc_begin(Arena *a);
void json_alloc_end(void);

#endif
