/* This file links the per-TU summaries into one call graph: definitions keyed
 * by USR (static ones by TU index and USR), direct calls resolved to
 * definitions or external callees, indirect calls to their possible targets. */
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/graph.h"
#include "limits.h"
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
    const IndirectHint *hints; /* borrowed: declared indirect targets */
    size_t nhints;
    size_t nprogram; /* TUs from here on are library members */
    const char *const *roots; /* borrowed: library functions named as entries */
    size_t nroots;
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
                /* A library member's definition of a name the program (or
                 * an earlier library) defines is overridden, as a linker
                 * never pulls it: no conflict to report. */
                if (t >= l->nprogram)
                    continue;
                /* The same definition seen again through a shared header
                 * (glibc's extern inline atoi, pthread_equal, ...) is one
                 * function, not a conflict: keep the first, say nothing. */
                const SumLoc *a = &l->funcs[have].loc;
                if (a->file && d->loc.file && a->line == d->loc.line && a->col == d->loc.col &&
                    strcmp(a->file, d->loc.file) == 0)
                    continue;
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
                          .def = d, .tu = (uint32_t)t, .noreturn = d->is_noreturn,
                          .library = t >= l->nprogram};
            if (hmap_put(m, key, tag, idx) != 0)
                return -1;
        }
    }
    return 0;
}

/* The definition a reference from TU `tu` names, or CG_NONE. */
static uint32_t find_def(const Linker *l, uint32_t tu, const char *key, bool internal)
{
    uint32_t got = CG_NONE;
    if (internal)
        got = hmap_get(&l->internal, key, tu);
    if (got == CG_NONE)
        got = hmap_get(&l->ext, key, 0);
    if (got == CG_NONE && !internal)
        got = hmap_get(&l->internal, key, tu);
    return got;
}

/* Resolves a reference to a function (`usr`, `name`) made from TU `tu`;
 * creates an external function when nothing defines it. Returns the
 * function, or CG_NONE with *oom set when memory runs out. */
static uint32_t resolve_fn(Linker *l, uint32_t tu, const char *usr, const char *name, bool internal,
                           bool noreturn, SumLoc loc, bool *oom)
{
    const char *key = usr_or_name(usr, name);
    uint32_t got = find_def(l, tu, key, internal);
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
    *f = (CgFunc){.name = name ? name : key, .usr = key, .linkage = SUM_LINK_EXTERNAL,
                  .loc = loc, .def = NULL, .tu = CG_NONE, .noreturn = noreturn};
    return idx;
}

static uint32_t resolve_direct(Linker *l, uint32_t tu, const SumCall *c, bool *oom)
{
    return resolve_fn(l, tu, c->callee_usr, c->callee_name, c->callee_internal,
                      c->callee_noreturn, c->loc, oom);
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
            bool direct = c->kind == SUM_CALL_DIRECT;
            *e = (CgEdge){(uint32_t)i, callee, c, direct ? CG_HOW_DIRECT : CG_HOW_NONE, direct};
        }
        l->funcs[i].nedges = (uint32_t)l->nedges - l->funcs[i].edge_begin;
    }
    for (size_t i = ndefs; i < l->nfuncs; i++)
        l->funcs[i].edge_begin = (uint32_t)l->nedges;
    return 0;
}

/* ---- indirect calls ---- */

/* One function reference keyed by its type or member, from TU `tu`. */
typedef struct RefKey {
    const char *key;
    uint32_t tu;
    const SumFnRef *ref;
} RefKey;

typedef struct Indirect {
    RefKey *by_type, *by_field;      /* sorted by key */
    size_t ntype, nfield;
    uint8_t *taken;                  /* per definition: address taken anywhere */
    uint32_t *rbeg, *redge;          /* direct edges into each definition */
    uint32_t *pairs;                 /* parameter worklist: (func, param) */
    size_t npairs, cappairs;
    uint32_t *tg;                    /* targets of the call being resolved */
    size_t ntg, captg;
} Indirect;

static int cmp_refkey(const void *pa, const void *pb)
{
    const RefKey *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    if (c)
        return c;
    return a->tu < b->tu ? -1 : a->tu > b->tu;
}

static int cmp_u32(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return a < b ? -1 : a > b;
}

/* The first item of the sorted `v` whose key is `key`, or n. */
static size_t refkey_lower(const RefKey *v, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void indirect_fini(Indirect *x)
{
    mem_free(x->by_type);
    mem_free(x->by_field);
    mem_free(x->taken);
    mem_free(x->rbeg);
    mem_free(x->redge);
    mem_free(x->pairs);
    mem_free(x->tg);
}

static int indirect_init(Indirect *x, Linker *l, TuSummary *const *tus, size_t ntus, size_t ndefs)
{
    size_t nt = 0, nf = 0;
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t]->nrefs; i++) {
            if (tus[t]->refs[i].field)
                nf++;
            else if (tus[t]->refs[i].fn_type)
                nt++;
        }
    x->by_type = mem_alloc_array(nt ? nt : 1, sizeof *x->by_type);
    x->by_field = mem_alloc_array(nf ? nf : 1, sizeof *x->by_field);
    x->taken = mem_calloc(ndefs ? ndefs : 1, 1);
    x->rbeg = mem_calloc(ndefs + 1, sizeof *x->rbeg);
    x->redge = mem_alloc_array(l->nedges ? l->nedges : 1, sizeof *x->redge);
    if (!x->by_type || !x->by_field || !x->taken || !x->rbeg || !x->redge)
        return -1;
    for (size_t t = 0; t < ntus; t++)
        for (uint32_t i = 0; i < tus[t]->nrefs; i++) {
            const SumFnRef *r = &tus[t]->refs[i];
            if (r->field) {
                x->by_field[x->nfield++] = (RefKey){r->field, (uint32_t)t, r};
            } else if (r->fn_type) {
                x->by_type[x->ntype++] = (RefKey){r->fn_type, (uint32_t)t, r};
                uint32_t d = find_def(l, (uint32_t)t, usr_or_name(r->usr, r->name), r->internal);
                if (d != CG_NONE && d < ndefs)
                    x->taken[d] = 1;
            }
        }
    if (x->ntype > 1)
        qsort(x->by_type, x->ntype, sizeof *x->by_type, cmp_refkey);
    if (x->nfield > 1)
        qsort(x->by_field, x->nfield, sizeof *x->by_field, cmp_refkey);
    /* Direct edges into each definition (counting sort by callee). */
    for (size_t e = 0; e < l->nedges; e++) {
        uint32_t c = l->edges[e].callee;
        if (c != CG_NONE && c < ndefs)
            x->rbeg[c + 1]++;
    }
    for (size_t i = 0; i < ndefs; i++)
        x->rbeg[i + 1] += x->rbeg[i];
    uint32_t *fill = mem_alloc_array(ndefs ? ndefs : 1, sizeof *fill);
    if (!fill)
        return -1;
    if (ndefs)
        memcpy(fill, x->rbeg, ndefs * sizeof *fill);
    for (size_t e = 0; e < l->nedges; e++) {
        uint32_t c = l->edges[e].callee;
        if (c != CG_NONE && c < ndefs)
            x->redge[fill[c]++] = (uint32_t)e;
    }
    mem_free(fill);
    return 0;
}

static int push_target(Indirect *x, uint32_t f)
{
    uint32_t *slot = VEC_PUSH(x->tg, x->ntg, x->captg);
    if (!slot)
        return -1;
    *slot = f;
    return 0;
}

/* Adds every function of the sorted `v` keyed `key` to the targets. */
static int add_keyed(Linker *l, Indirect *x, const RefKey *v, size_t n, const char *key, SumLoc loc)
{
    for (size_t k = refkey_lower(v, n, key); k < n && strcmp(v[k].key, key) == 0; k++) {
        const SumFnRef *r = v[k].ref;
        bool oom = false;
        uint32_t f = resolve_fn(l, v[k].tu, r->usr, r->name, r->internal, false, loc, &oom);
        if (oom || push_target(x, f) != 0)
            return -1;
    }
    return 0;
}

static int push_pair(Indirect *x, uint32_t f, uint32_t p)
{
    for (size_t k = 0; k + 1 < x->npairs; k += 2)
        if (x->pairs[k] == f && x->pairs[k + 1] == p)
            return 0;
    if (x->npairs / 2 >= SC_MAX_PARAM_TRACE)
        return 1;
    if (vec_reserve_n((void **)&x->pairs, x->npairs + 2, &x->cappairs, sizeof *x->pairs) != 0)
        return -1;
    x->pairs[x->npairs++] = f;
    x->pairs[x->npairs++] = p;
    return 0;
}

/* The functions passed at parameter `p` of definition `f` by its direct
 * callers, following parameters passed along (`g(cb)` inside `h(cb)`).
 * Returns 1 when some value is not known (a caller passes something else,
 * `f` is called through a pointer or by nobody), 0 when all are, -1 on
 * memory. */
static int trace_param(Linker *l, Indirect *x, uint32_t f, uint32_t p, size_t ndefs)
{
    bool unknown = false;
    x->npairs = 0;
    if (push_pair(x, f, p) != 0)
        return -1;
    for (size_t k = 0; k < x->npairs; k += 2) {
        uint32_t g = x->pairs[k], q = x->pairs[k + 1];
        if (g >= ndefs || x->taken[g] || x->rbeg[g] == x->rbeg[g + 1] ||
            q >= l->funcs[g].def->nparams || l->funcs[g].def->params[q].modified) {
            unknown = true;
            continue;
        }
        for (uint32_t r = x->rbeg[g]; r < x->rbeg[g + 1]; r++) {
            const CgEdge *e = &l->edges[x->redge[r]];
            const SumCall *c = e->call;
            const SumArg *a = q < c->nargs ? &c->args[q] : NULL;
            if (a && a->fn_usr) {
                bool oom = false;
                uint32_t t = resolve_fn(l, l->funcs[e->caller].tu, a->fn_usr, a->fn_name,
                                        a->fn_internal, false, c->loc, &oom);
                if (oom || push_target(x, t) != 0)
                    return -1;
            } else if (a && a->param >= 0 && a->offset == 0 && a->cls == SUM_CLASS_POINTER) {
                int rc = push_pair(x, e->caller, (uint32_t)a->param);
                if (rc < 0)
                    return -1;
                if (rc > 0)
                    unknown = true;
            } else {
                unknown = true;
            }
        }
    }
    return unknown ? 1 : 0;
}

/* The definition named `name` (len bytes), a static one of TU `tu` first;
 * CG_NONE when no input defines it. */
static uint32_t find_by_name(const Linker *l, uint32_t tu, const char *name, size_t len,
                             size_t ndefs)
{
    uint32_t any = CG_NONE;
    for (size_t i = 0; i < ndefs; i++) {
        const CgFunc *fn = &l->funcs[i];
        if (!fn->name || strlen(fn->name) != len || strncmp(fn->name, name, len) != 0)
            continue;
        if (fn->linkage == SUM_LINK_INTERNAL && fn->tu != tu)
            continue;
        if (fn->linkage == SUM_LINK_INTERNAL || any == CG_NONE)
            any = (uint32_t)i;
        if (fn->linkage == SUM_LINK_INTERNAL)
            break;
    }
    return any;
}

/* Does hint `site` ("FILE:LINE" or "tag.member") name the call `c`? */
static bool hint_matches(const char *site, const SumCall *c)
{
    const char *colon = strrchr(site, ':');
    if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        if (!c->loc.file || strtoul(colon + 1, NULL, 10) != c->loc.line)
            return false;
        size_t fl = (size_t)(colon - site), cl = strlen(c->loc.file);
        const char *base = strrchr(c->loc.file, '/');
        base = base ? base + 1 : c->loc.file;
        if (cl == fl && strncmp(c->loc.file, site, fl) == 0)
            return true;
        if (cl > fl && c->loc.file[cl - fl - 1] == '/' && strncmp(c->loc.file + cl - fl, site, fl) == 0)
            return true;
        return strlen(base) == fl && strncmp(base, site, fl) == 0;
    }
    if (!c->field)
        return false;
    const char *fd = c->field;
    if (strcmp(fd, site) == 0)
        return true;
    if (strncmp(fd, "struct ", 7) == 0)
        fd += 7;
    else if (strncmp(fd, "union ", 6) == 0)
        fd += 6;
    return strcmp(fd, site) == 0;
}

/* Adds the functions of a declared target list: `names` split at commas
 * (source annotation) or the hint's array. Unknown names are skipped. */
static int add_named(Linker *l, Indirect *x, uint32_t tu, const char *names, const IndirectHint *h,
                     size_t ndefs)
{
    if (h) {
        for (size_t k = 0; k < h->ntargets; k++) {
            uint32_t t = find_by_name(l, tu, h->targets[k], strlen(h->targets[k]), ndefs);
            if (t != CG_NONE && push_target(x, t) != 0)
                return -1;
        }
        return 0;
    }
    for (const char *p = names; *p;) {
        size_t n = strcspn(p, ",");
        uint32_t t = find_by_name(l, tu, p, n, ndefs);
        if (t != CG_NONE && push_target(x, t) != 0)
            return -1;
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* Fills x->tg with the possible targets of the indirect call `c` made by
 * definition `f` (sorted, unique; empty when none is known) and *how with
 * the way they were found. A declared list (source comment, then config
 * call site, then config member) wins; else the one function a local
 * pointer holds (the front end's sole target); else the functions stored
 * into the member called through; else those passed at the parameter
 * called through; else every address-taken function of the call's type. */
static int indirect_targets(Linker *l, Indirect *x, uint32_t f, const SumCall *c, size_t ndefs,
                            CgHow *how)
{
    x->ntg = 0;
    uint32_t tu = l->funcs[f].tu;
    *how = CG_HOW_DECLARED;
    if (c->targets)
        return add_named(l, x, tu, c->targets, NULL, ndefs);
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < l->nhints; k++) {
            const char *site = l->hints[k].site;
            bool is_site = strchr(site, ':') != NULL;
            if (is_site == (pass == 0) && hint_matches(site, c))
                return add_named(l, x, tu, NULL, &l->hints[k], ndefs);
        }
    if (c->sole_usr) {
        bool oom = false;
        uint32_t t = resolve_fn(l, tu, c->sole_usr, c->sole_name, c->sole_internal, false, c->loc, &oom);
        *how = CG_HOW_SOLE;
        return oom || push_target(x, t) != 0 ? -1 : 0;
    }
    *how = CG_HOW_MEMBER;
    if (c->field && add_keyed(l, x, x->by_field, x->nfield, c->field, c->loc) != 0)
        return -1;
    bool by_type = x->ntg == 0;
    if (x->ntg == 0 && c->via_param) {
        *how = CG_HOW_PARAM;
        int rc = trace_param(l, x, f, c->via_param - 1, ndefs);
        if (rc < 0)
            return -1;
        by_type = rc > 0;
    }
    if (by_type && c->fn_type) {
        /* Parameter tracing that found some values but not all adds the
         * type's functions: the set is then the type's. */
        *how = CG_HOW_TYPE;
        if (add_keyed(l, x, x->by_type, x->ntype, c->fn_type, c->loc) != 0)
            return -1;
    }
    return 0;
}

/* Sorts the targets and drops repeats. */
static void unique_targets(Indirect *x)
{
    if (x->ntg > 1) {
        qsort(x->tg, x->ntg, sizeof *x->tg, cmp_u32);
        size_t w = 1;
        for (size_t k = 1; k < x->ntg; k++)
            if (x->tg[k] != x->tg[w - 1])
                x->tg[w++] = x->tg[k];
        x->ntg = w;
    }
}

/* Replaces each unresolved indirect edge by one edge per possible target
 * (none known: the CG_NONE edge stays). Edges stay grouped by caller. */
static int resolve_indirect(Linker *l, TuSummary *const *tus, size_t ntus, size_t ndefs)
{
    Indirect x;
    memset(&x, 0, sizeof x);
    CgEdge *out = NULL;
    size_t nout = 0, capout = 0;
    int rc = -1;
    if (indirect_init(&x, l, tus, ntus, ndefs) != 0)
        goto done;
    if (vec_reserve_n((void **)&out, l->nedges ? l->nedges : 1, &capout, sizeof *out) != 0)
        goto done;
    for (size_t i = 0; i < ndefs; i++) {
        uint32_t begin = l->funcs[i].edge_begin, n = l->funcs[i].nedges;
        l->funcs[i].edge_begin = (uint32_t)nout;
        for (uint32_t e = begin; e < begin + n; e++) {
            CgEdge ed = l->edges[e];
            size_t k = 0, nt = 1;
            if (ed.callee == CG_NONE && ed.call->kind == SUM_CALL_INDIRECT) {
                CgHow how = CG_HOW_NONE;
                if (indirect_targets(l, &x, (uint32_t)i, ed.call, ndefs, &how) != 0)
                    goto done;
                unique_targets(&x);
                nt = x.ntg ? x.ntg : 1;
                if (x.ntg) {
                    ed.how = (uint8_t)how;
                    ed.certain = x.ntg == 1 && (how == CG_HOW_SOLE || how == CG_HOW_DECLARED);
                }
            }
            for (k = 0; k < nt; k++) {
                if (nout >= CG_NONE)
                    goto done;
                CgEdge *slot = VEC_PUSH(out, nout, capout);
                if (!slot)
                    goto done;
                *slot = ed;
                if (ed.callee == CG_NONE && x.ntg && ed.call->kind == SUM_CALL_INDIRECT)
                    slot->callee = x.tg[k];
            }
            x.ntg = 0;
        }
        l->funcs[i].nedges = (uint32_t)nout - l->funcs[i].edge_begin;
    }
    for (size_t i = ndefs; i < l->nfuncs; i++) {
        l->funcs[i].edge_begin = (uint32_t)nout;
        l->funcs[i].nedges = 0;
    }
    mem_free(l->edges);
    l->edges = out;
    l->nedges = nout;
    l->capedges = capout;
    out = NULL;
    rc = 0;
done:
    mem_free(out);
    indirect_fini(&x);
    return rc;
}

/* The start routines passed to pthread_create (argument 3) and thrd_create
 * (argument 2), resolved like any function reference. */
static int find_thread_starts(Linker *l, uint32_t **out, size_t *nout)
{
    size_t n = 0, cap = 0;
    uint32_t *v = NULL;
    for (size_t e = 0; e < l->nedges; e++) {
        const CgEdge *ed = &l->edges[e];
        if (ed->callee == CG_NONE || ed->call->kind != SUM_CALL_DIRECT || l->funcs[ed->caller].library)
            continue;
        const char *name = l->funcs[ed->callee].name;
        uint32_t arg;
        if (name && strcmp(name, "pthread_create") == 0)
            arg = 2;
        else if (name && strcmp(name, "thrd_create") == 0)
            arg = 1;
        else
            continue;
        const SumCall *c = ed->call;
        if (arg >= c->nargs || !c->args[arg].fn_usr)
            continue;
        bool oom = false;
        uint32_t f = resolve_fn(l, l->funcs[ed->caller].tu, c->args[arg].fn_usr,
                                c->args[arg].fn_name, c->args[arg].fn_internal, false, c->loc, &oom);
        uint32_t *slot = oom ? NULL : VEC_PUSH(v, n, cap);
        if (!slot) {
            mem_free(v);
            return -1;
        }
        *slot = f;
    }
    if (n > 1) {
        qsort(v, n, sizeof *v, cmp_u32);
        size_t w = 1;
        for (size_t k = 1; k < n; k++)
            if (v[k] != v[w - 1])
                v[w++] = v[k];
        n = w;
    }
    *out = v;
    *nout = n;
    return 0;
}

/* Leaves out the library functions no function of the program reaches, and
 * the externals only they call: a pulled member brings every function it
 * defines, but only those the program uses belong in its reports. Seeds are
 * the program's definitions, the thread starts (all started by program
 * code), the functions whose address the program takes (an interrupt
 * vector table naming a library's handler) and the roots (entries named
 * explicitly); the walk keeps an explicit stack. Renumbers functions, edges and
 * thread starts in their order. Duplicates are the program's only (library
 * ones are dropped silently), so they are always kept. */
static int drop_unreached(Linker *l, TuSummary *const *tus, uint32_t *starts, size_t *nstarts)
{
    size_t n = l->nfuncs;
    bool any = false;
    for (size_t i = 0; i < n && !any; i++)
        any = l->funcs[i].library;
    if (!any)
        return 0;
    uint32_t *map = mem_alloc_array(n ? n : 1, sizeof *map);
    uint32_t *stack = mem_alloc_array(n ? n : 1, sizeof *stack);
    if (!map || !stack) {
        mem_free(map);
        mem_free(stack);
        return -1;
    }
    size_t top = 0;
    for (size_t i = 0; i < n; i++) {
        bool seed = l->funcs[i].def && !l->funcs[i].library;
        map[i] = seed ? 0 : CG_NONE;
        if (seed)
            stack[top++] = (uint32_t)i;
    }
    for (size_t k = 0; k < *nstarts; k++)
        if (map[starts[k]] == CG_NONE) {
            map[starts[k]] = 0;
            stack[top++] = starts[k];
        }
    for (size_t t = 0; t < l->nprogram; t++)
        for (uint32_t k = 0; k < tus[t]->nrefs; k++) {
            const SumFnRef *r = &tus[t]->refs[k];
            uint32_t f = find_def(l, (uint32_t)t, usr_or_name(r->usr, r->name), r->internal);
            if (f != CG_NONE && map[f] == CG_NONE) {
                map[f] = 0;
                stack[top++] = f;
            }
        }
    for (size_t i = 0; i < n && l->nroots; i++) {
        if (map[i] != CG_NONE || !l->funcs[i].library)
            continue;
        for (size_t k = 0; k < l->nroots; k++)
            if (l->funcs[i].name && strcmp(l->funcs[i].name, l->roots[k]) == 0) {
                map[i] = 0;
                stack[top++] = (uint32_t)i;
                break;
            }
    }
    while (top) {
        const CgFunc *f = &l->funcs[stack[--top]];
        for (uint32_t e = f->edge_begin; e < f->edge_begin + f->nedges; e++) {
            uint32_t c = l->edges[e].callee;
            if (c != CG_NONE && map[c] == CG_NONE) {
                map[c] = 0;
                stack[top++] = c;
            }
        }
    }
    /* Keep in order: kept functions get their new numbers, their edges
     * move down with them (edges stay grouped by caller, in order). */
    size_t nf = 0, ne = 0;
    for (size_t i = 0; i < n; i++)
        if (map[i] != CG_NONE)
            map[i] = (uint32_t)nf++;
    for (size_t i = 0; i < n; i++) {
        if (map[i] == CG_NONE)
            continue;
        CgFunc f = l->funcs[i];
        uint32_t begin = (uint32_t)ne;
        for (uint32_t e = f.edge_begin; e < f.edge_begin + f.nedges; e++) {
            CgEdge ed = l->edges[e];
            ed.caller = map[i];
            ed.callee = ed.callee == CG_NONE ? CG_NONE : map[ed.callee];
            l->edges[ne++] = ed;
        }
        f.edge_begin = begin;
        l->funcs[map[i]] = f;
    }
    for (size_t k = 0; k < l->ndups; k++)
        l->dups[k].func = map[l->dups[k].func];
    for (size_t k = 0; k < *nstarts; k++)
        starts[k] = map[starts[k]];
    l->nfuncs = nf;
    l->nedges = ne;
    mem_free(map);
    mem_free(stack);
    return 0;
}

int cg_link(TuSummary *const *tus, size_t ntus, CallGraph **out)
{
    return cg_link_hints(tus, ntus, NULL, 0, out);
}

int cg_link_hints(TuSummary *const *tus, size_t ntus, const IndirectHint *hints, size_t nhints,
                  CallGraph **out)
{
    return cg_link_program(tus, ntus, ntus, NULL, 0, hints, nhints, out);
}

int cg_link_program(TuSummary *const *tus, size_t ntus, size_t nprogram, const char *const *roots,
                    size_t nroots, const IndirectHint *hints, size_t nhints, CallGraph **out)
{
    Linker l;
    memset(&l, 0, sizeof l);
    l.hints = hints;
    l.nhints = nhints;
    l.nprogram = nprogram;
    l.roots = roots;
    l.nroots = nroots;
    hmap_init(&l.ext);
    hmap_init(&l.internal);
    hmap_init(&l.outside);
    CallGraph *cg = mem_calloc(1, sizeof *cg);
    int rc = -1;
    if (!cg)
        goto done;
    arena_init_pooled(&cg->arena);
    size_t ndefs = 0;
    for (size_t t = 0; t < ntus; t++)
        ndefs += tus[t]->nfuncs;
    if (hmap_reserve(&l.ext, ndefs) != 0 ||
        vec_reserve_n((void **)&l.funcs, ndefs, &l.capfuncs, sizeof *l.funcs) != 0)
        goto done;
    if (add_definitions(&l, tus, ntus) != 0)
        goto done;
    size_t ndefined = l.nfuncs; /* without the duplicates */
    if (add_edges(&l, ndefined) != 0 || resolve_indirect(&l, tus, ntus, ndefined) != 0)
        goto done;
    uint32_t *starts = NULL;
    size_t nstarts = 0;
    if (find_thread_starts(&l, &starts, &nstarts) != 0)
        goto done;
    /* Externals created for start routines have no out-edges. */
    for (size_t i = ndefined; i < l.nfuncs; i++)
        if (l.funcs[i].nedges == 0)
            l.funcs[i].edge_begin = (uint32_t)l.nedges;
    if (drop_unreached(&l, tus, starts, &nstarts) != 0) {
        mem_free(starts);
        goto done;
    }
    if (nstarts) {
        cg->thread_starts = arena_memdup(&cg->arena, starts, nstarts, sizeof *starts);
        cg->nthread_starts = (uint32_t)nstarts;
    }
    mem_free(starts);
    if (nstarts && !cg->thread_starts)
        goto done;
    cg->tus = tus;
    cg->ntus = ntus;
    cg->nprogram = nprogram;
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
