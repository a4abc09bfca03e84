/* This file links the per-TU summaries into one call graph: definitions keyed
 * by USR (static ones by TU index and USR), calls resolved to definitions or
 * to external callees. */
#include <string.h>

#include "core/core_int.h"
#include "core/graph.h"
#include "util/mem.h"
#include "util/vec.h"

typedef struct Linker {
    CgFunc *funcs;
    size_t nfuncs, capfuncs;
    CgEdge *edges;
    size_t nedges, capedges;
    CgDuplicate *dups;
    size_t ndups, capdups;
    Hmap ext;      /* external USR -> definition */
    Hmap internal; /* (USR, tu) -> static definition */
    Hmap outside;  /* callee USR -> external (undefined) function */
} Linker;

static void linker_fini(Linker *l)
{
    mem_free(l->funcs);
    mem_free(l->edges);
    mem_free(l->dups);
    hmap_fini(&l->ext);
    hmap_fini(&l->internal);
    hmap_fini(&l->outside);
}

static const char *usr_or_name(const char *usr, const char *name)
{
    if (usr && usr[0])
        return usr;
    return name ? name : "";
}

/* Adds every definition; a second external definition becomes a duplicate. */
static int add_definitions(Linker *l, TuSummary *const *tus, size_t ntus)
{
    for (size_t t = 0; t < ntus; t++) {
        const TuSummary *tu = tus[t];
        for (uint32_t i = 0; i < tu->nfuncs; i++) {
            const SumFunction *d = &tu->funcs[i];
            const char *key = usr_or_name(d->usr, d->name);
            bool ext = d->linkage == SUM_LINK_EXTERNAL;
            Hmap *m = ext ? &l->ext : &l->internal;
            uint32_t tag = ext ? 0 : (uint32_t)t;
            uint32_t have = hmap_get(m, key, tag);
            if (have != CG_NONE) {
                CgDuplicate *dup = VEC_PUSH(l->dups, l->ndups, l->capdups);
                if (!dup)
                    return -1;
                *dup = (CgDuplicate){have, (uint32_t)t, d};
                continue;
            }
            if (l->nfuncs >= CG_NONE - 1)
                return -1;
            uint32_t idx = (uint32_t)l->nfuncs;
            CgFunc *f = VEC_PUSH(l->funcs, l->nfuncs, l->capfuncs);
            if (!f)
                return -1;
            *f = (CgFunc){.name = d->name, .usr = d->usr, .linkage = d->linkage, .loc = d->loc,
                          .def = d, .tu = (uint32_t)t, .noreturn = d->is_noreturn};
            if (hmap_put(m, key, tag, idx) != 0)
                return -1;
        }
    }
    return 0;
}

/* Resolves one direct call made from TU `tu`; creates an external function
 * when nothing defines the callee. Returns the callee or CG_NONE (memory). */
static uint32_t resolve_direct(Linker *l, uint32_t tu, const SumCall *c, bool *oom)
{
    const char *key = usr_or_name(c->callee_usr, c->callee_name);
    uint32_t got = CG_NONE;
    if (c->callee_internal)
        got = hmap_get(&l->internal, key, tu);
    if (got == CG_NONE)
        got = hmap_get(&l->ext, key, 0);
    if (got == CG_NONE && !c->callee_internal)
        got = hmap_get(&l->internal, key, tu);
    if (got != CG_NONE)
        return got;
    got = hmap_get(&l->outside, key, 0);
    if (got != CG_NONE)
        return got;
    if (l->nfuncs >= CG_NONE - 1) {
        *oom = true;
        return CG_NONE;
    }
    uint32_t idx = (uint32_t)l->nfuncs;
    CgFunc *f = VEC_PUSH(l->funcs, l->nfuncs, l->capfuncs);
    if (!f || hmap_put(&l->outside, key, 0, idx) != 0) {
        *oom = true;
        return CG_NONE;
    }
    *f = (CgFunc){.name = c->callee_name ? c->callee_name : key, .usr = key,
                  .linkage = SUM_LINK_EXTERNAL, .loc = c->loc, .def = NULL, .tu = CG_NONE,
                  .noreturn = c->callee_noreturn};
    return idx;
}

static int add_edges(Linker *l, size_t ndefs)
{
    for (size_t i = 0; i < ndefs; i++) {
        /* l->funcs may move while externals are appended: index each time. */
        const SumFunction *d = l->funcs[i].def;
        uint32_t tu = l->funcs[i].tu;
        l->funcs[i].edge_begin = (uint32_t)l->nedges;
        for (uint32_t k = 0; k < d->ncalls; k++) {
            const SumCall *c = &d->calls[k];
            if (!c->reachable)
                continue;
            uint32_t callee = CG_NONE;
            if (c->kind == SUM_CALL_DIRECT) {
                bool oom = false;
                callee = resolve_direct(l, tu, c, &oom);
                if (oom)
                    return -1;
            }
            if (l->nedges >= CG_NONE)
                return -1;
            CgEdge *e = VEC_PUSH(l->edges, l->nedges, l->capedges);
            if (!e)
                return -1;
            *e = (CgEdge){(uint32_t)i, callee, c};
        }
        l->funcs[i].nedges = (uint32_t)l->nedges - l->funcs[i].edge_begin;
    }
    for (size_t i = ndefs; i < l->nfuncs; i++)
        l->funcs[i].edge_begin = (uint32_t)l->nedges;
    return 0;
}

int cg_link(TuSummary *const *tus, size_t ntus, CallGraph **out)
{
    Linker l;
    memset(&l, 0, sizeof l);
    hmap_init(&l.ext);
    hmap_init(&l.internal);
    hmap_init(&l.outside);
    CallGraph *cg = mem_calloc(1, sizeof *cg);
    int rc = -1;
    if (!cg)
        goto done;
    arena_init(&cg->arena);
    size_t ndefs = 0;
    for (size_t t = 0; t < ntus; t++)
        ndefs += tus[t]->nfuncs;
    if (hmap_reserve(&l.ext, ndefs) != 0 ||
        vec_reserve_n((void **)&l.funcs, ndefs, &l.capfuncs, sizeof *l.funcs) != 0)
        goto done;
    if (add_definitions(&l, tus, ntus) != 0)
        goto done;
    if (add_edges(&l, l.nfuncs) != 0)
        goto done;
    cg->tus = tus;
    cg->ntus = ntus;
    cg->nfuncs = (uint32_t)l.nfuncs;
    cg->nedges = (uint32_t)l.nedges;
    cg->ndups = (uint32_t)l.ndups;
    if (l.nfuncs && !(cg->funcs = arena_memdup(&cg->arena, l.funcs, l.nfuncs, sizeof *l.funcs)))
        goto done;
    if (l.nedges && !(cg->edges = arena_memdup(&cg->arena, l.edges, l.nedges, sizeof *l.edges)))
        goto done;
    if (l.ndups && !(cg->dups = arena_memdup(&cg->arena, l.dups, l.ndups, sizeof *l.dups)))
        goto done;
    *out = cg;
    cg = NULL;
    rc = 0;
done:
    cg_free(cg);
    linker_fini(&l);
    return rc;
}

void cg_free(CallGraph *cg)
{
    if (!cg)
        return;
    arena_fini(&cg->arena);
    mem_free(cg);
}

uint32_t cg_find_by_name(const CallGraph *cg, const char *name)
{
    for (uint32_t i = 0; i < cg->nfuncs; i++)
        if (cg->funcs[i].name && strcmp(cg->funcs[i].name, name) == 0)
            return i;
    return CG_NONE;
}
