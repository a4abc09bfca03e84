/* This file creates and frees per-TU summaries. */
#include "summary/summary.h"

#include "util/mem.h"

TuSummary *sum_new(const char *path, const char *target)
{
    TuSummary *s = mem_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    arena_init_pooled(&s->arena);
    s->path = arena_strdup(&s->arena, path ? path : "");
    s->target = arena_strdup(&s->arena, target ? target : "");
    if (!s->path || !s->target) {
        sum_free(s);
        return NULL;
    }
    return s;
}

void sum_free(TuSummary *s)
{
    if (!s)
        return;
    arena_fini(&s->arena);
    mem_free(s);
}
