/* Test helpers that build TuSummary values by hand, so the core's unit tests
 * need no front end. Everything lives in the summary's arena; capacities are
 * fixed when an array is first made (tests stay within them). */
#ifndef STACKCHECK_TESTS_SUMBUILD_H
#define STACKCHECK_TESTS_SUMBUILD_H

#include <stdio.h>
#include <string.h>

#include "summary/summary.h"
#include "util/arena.h"

#define SB_MAX_PARAMS 8u
#define SB_MAX_LOCALS 16u
#define SB_MAX_ARGS 8u
#define SB_MAX_GUARDS 4u

/* A summary for `path` with room for `maxfuncs` functions. */
static inline TuSummary *sb_tu(const char *path, uint32_t maxfuncs)
{
    TuSummary *t = sum_new(path, "x86_64-linux-gnu");
    if (t && maxfuncs)
        t->funcs = arena_alloc(&t->arena, (size_t)maxfuncs * sizeof *t->funcs);
    return t;
}

static inline SumLoc sb_loc(TuSummary *t, unsigned line, unsigned col)
{
    return (SumLoc){t->path, line, col};
}

/* Appends a function with room for `maxcalls` calls. USR NULL: "c:@F@name"
 * for external linkage, "c:<basename>@F@name" for internal. It starts with
 * one entry block that returns. */
static inline SumFunction *sb_func(TuSummary *t, const char *name, const char *usr, SumLinkage link,
                                   uint32_t maxcalls)
{
    SumFunction *f = &t->funcs[t->nfuncs];
    memset(f, 0, sizeof *f);
    f->name = arena_strdup(&t->arena, name);
    if (usr) {
        f->usr = arena_strdup(&t->arena, usr);
    } else if (link == SUM_LINK_EXTERNAL) {
        f->usr = arena_printf(&t->arena, "c:@F@%s", name);
    } else {
        const char *base = strrchr(t->path, '/');
        f->usr = arena_printf(&t->arena, "c:%s@F@%s", base ? base + 1 : t->path, name);
    }
    f->linkage = link;
    f->loc = sb_loc(t, t->nfuncs + 1, 5);
    f->returns_void = true;
    if (maxcalls)
        f->calls = arena_alloc(&t->arena, (size_t)maxcalls * sizeof *f->calls);
    f->nblocks = 1;
    f->blocks = arena_alloc(&t->arena, sizeof *f->blocks);
    f->blocks[0].exit = SUM_EXIT_RETURN;
    t->nfuncs++;
    return f;
}

/* Appends a reachable direct call in block 0 of f to the function whose USR
 * is `usr` (NULL: "c:@F@name"). */
static inline SumCall *sb_call(TuSummary *t, SumFunction *f, const char *name, const char *usr,
                               bool internal)
{
    SumCall *c = &f->calls[f->ncalls++];
    memset(c, 0, sizeof *c);
    c->kind = SUM_CALL_DIRECT;
    c->callee_name = arena_strdup(&t->arena, name);
    c->callee_usr = usr ? arena_strdup(&t->arena, usr) : arena_printf(&t->arena, "c:@F@%s", name);
    c->callee_internal = internal;
    c->loc = sb_loc(t, f->loc.line * 100 + f->ncalls, 9);
    c->reachable = true;
    return c;
}

/* Appends a reachable indirect call through `expr` of type `type`. */
static inline SumCall *sb_icall(TuSummary *t, SumFunction *f, const char *expr, const char *type)
{
    SumCall *c = &f->calls[f->ncalls++];
    memset(c, 0, sizeof *c);
    c->kind = SUM_CALL_INDIRECT;
    c->callee_name = arena_strdup(&t->arena, expr);
    c->fn_type = arena_strdup(&t->arena, type);
    c->loc = sb_loc(t, f->loc.line * 100 + f->ncalls, 9);
    c->reachable = true;
    return c;
}

static inline SumParam *sb_param(TuSummary *t, SumFunction *f, const char *name, SumClass cls,
                                 uint64_t size, bool is_unsigned)
{
    if (!f->params)
        f->params = arena_alloc(&t->arena, SB_MAX_PARAMS * sizeof *f->params);
    SumParam *p = &f->params[f->nparams++];
    *p = (SumParam){arena_strdup(&t->arena, name), size, size, cls, is_unsigned, false};
    return p;
}

static inline SumLocal *sb_local(TuSummary *t, SumFunction *f, const char *name, uint64_t size,
                                 uint64_t align, bool vla)
{
    if (!f->locals)
        f->locals = arena_alloc(&t->arena, SB_MAX_LOCALS * sizeof *f->locals);
    SumLocal *l = &f->locals[f->nlocals++];
    *l = (SumLocal){arena_strdup(&t->arena, name), size, align, vla, sb_loc(t, f->loc.line, 20)};
    return l;
}

/* Appends an argument: `param` >= 0 means caller param #param + offset. */
static inline SumArg *sb_arg(TuSummary *t, SumCall *c, SumClass cls, uint64_t size, int32_t param,
                             int64_t offset)
{
    if (!c->args)
        c->args = arena_alloc(&t->arena, SB_MAX_ARGS * sizeof *c->args);
    SumArg *a = &c->args[c->nargs++];
    *a = (SumArg){.size = size, .cls = cls, .param = param, .offset = offset};
    return a;
}

/* Marks c's guards as known and appends `param OP value`. */
static inline void sb_guard(TuSummary *t, SumCall *c, uint32_t param, SumCmp op, int64_t value)
{
    if (!c->guards)
        c->guards = arena_alloc(&t->arena, SB_MAX_GUARDS * sizeof *c->guards);
    c->guards_known = true;
    c->guards[c->nguards++] = (SumGuard){param, op, value, NULL};
}

/* Marks c's guards as known and appends `param->member OP value`, the
 * member named by `key` ("struct tag.member"; borrowed). */
static inline void sb_field_guard(TuSummary *t, SumCall *c, uint32_t param, const char *key,
                                  SumCmp op, int64_t value)
{
    sb_guard(t, c, param, op, value);
    c->guards[c->nguards - 1].field = key;
}

/* Replaces f's CFG: nblocks blocks with their exits; succ lists each
 * block's successors as a -1-terminated run, block after block
 * (e.g. {1, 2, -1,  -1,  -1} for 0 -> {1, 2}, 1 -> {}, 2 -> {}). */
static inline void sb_cfg(TuSummary *t, SumFunction *f, uint32_t nblocks, const SumExit *exits,
                          const int *succ)
{
    f->nblocks = nblocks;
    f->blocks = arena_alloc(&t->arena, nblocks * sizeof *f->blocks);
    uint32_t total = 0;
    for (uint32_t b = 0, i = 0; b < nblocks; b++, i++)
        for (; succ[i] >= 0; i++)
            total++;
    f->succ = arena_alloc(&t->arena, (total ? total : 1) * sizeof *f->succ);
    f->nsucc = total;
    uint32_t k = 0;
    for (uint32_t b = 0, i = 0; b < nblocks; b++, i++) {
        f->blocks[b].exit = exits[b];
        f->blocks[b].succ_begin = k;
        for (; succ[i] >= 0; i++)
            f->succ[k++] = (uint32_t)succ[i];
        f->blocks[b].nsucc = k - f->blocks[b].succ_begin;
    }
}

/* The summaries' JSON and binary tests share this function: a static `g`
 * in header `hdr` with a local array and a call through `ops->read`. */
static inline void sb_sample_g(Arena *a, SumFunction *g, const char *hdr)
{
    g->name = "g";
    g->usr = "c:h.h@F@g";
    g->linkage = SUM_LINK_INTERNAL;
    g->loc = (SumLoc){hdr, 1, 19};
    g->end = (SumLoc){hdr, 4, 1};
    g->has_alloca = true;
    g->max_depth = 64;
    g->ret_size = 4;
    g->ret_cls = SUM_CLASS_INT;
    g->nparams = 1;
    g->params = arena_alloc(a, sizeof *g->params);
    g->params[0] = (SumParam){"ops", 8, 8, SUM_CLASS_POINTER, false, false};
    g->nlocals = 1;
    g->locals = arena_alloc(a, sizeof *g->locals);
    g->locals[0] = (SumLocal){"buf", 4096, 16, false, {hdr, 2, 10}};
    g->nblocks = 1;
    g->blocks = arena_alloc(a, sizeof *g->blocks);
    g->blocks[0] = (SumBlock){0, 0, SUM_EXIT_RETURN};
    g->ncalls = 1;
    g->calls = arena_alloc(a, sizeof *g->calls);
    SumCall *c = &g->calls[0];
    c->kind = SUM_CALL_INDIRECT;
    c->callee_name = "ops->read";
    c->fn_type = "int (int)";
    c->field = "struct ops.read";
    c->loc = (SumLoc){hdr, 3, 12};
    c->reachable = true;
    c->via_param = 1;
    c->targets = "a,b";
}

#endif
