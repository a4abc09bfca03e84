/* This file routes cJSON's allocations to util/mem.c or a thread's arena. */
#include "summary/json_alloc.h"

#include <cjson/cJSON.h>

#include "util/mem.h"

static _Thread_local Arena *scope_arena;

static void *hook_alloc(size_t n)
{
    return scope_arena ? arena_alloc_uninit(scope_arena, n) : mem_alloc(n);
}

static void hook_free(void *p)
{
    if (!scope_arena)
        mem_free(p);
}

void json_alloc_install(void)
{
    cJSON_Hooks hooks = {hook_alloc, hook_free};
    cJSON_InitHooks(&hooks);
}

void json_alloc_begin(Arena *a) { scope_arena = a; }

void json_alloc_end(void) { scope_arena = NULL; }
