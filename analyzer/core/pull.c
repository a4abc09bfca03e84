/* This file picks the library members a program needs, the way a linker
 * pulls archive members: every function the program names but does not
 * define is looked up in the libraries' indexes (the first library that
 * defines it wins), that member is loaded, and the functions it names but
 * nobody defines yet are looked up in turn, until nothing new is named. */
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/graph.h"
#include "util/mem.h"
#include "util/vec.h"

typedef struct Puller {
    Hmap defined;   /* external USR -> 1: defined by the program or a pulled member */
    Hmap named;     /* external USR -> 1: already on the worklist */
    const SumIndex *const *libs;
    size_t nlibs;
    const uint32_t *first; /* per library: the global index of its member 0 */
    uint32_t bad;          /* the library whose index was damaged, or CG_NONE */
    const char **work;
    size_t nwork, capwork;
    CgPulled *out;
    size_t nout, capout;
    uint8_t *loaded; /* per global member */
    bool overrides;  /* the program defines a function a library defines */
    CgBound *bounds; /* names taken at the library's own bound */
    size_t nbounds, capbounds;
} Puller;

/* The global index of the member that defines `key`: the first library's
 * that does (its index's hash table, a few probes each), or CG_NONE. */
static uint32_t owner(Puller *p, const char *key)
{
    for (size_t l = 0; l < p->nlibs; l++) {
        uint32_t m = sum_index_find(p->libs[l], key);
        if (m == SUM_INDEX_BAD && p->bad == CG_NONE)
            p->bad = (uint32_t)l;
        if (m != SUM_INDEX_NONE && m != SUM_INDEX_BAD)
            return p->first[l] + m;
    }
    return CG_NONE;
}

static const char *key_of(const char *usr, const char *name)
{
    return usr && usr[0] ? usr : name ? name : "";
}

/* Names `key` as needed unless something defines it or it was named. */
static int need(Puller *p, const char *key)
{
    if (!key[0] || hmap_get(&p->defined, key, 0) != CG_NONE || hmap_get(&p->named, key, 0) != CG_NONE)
        return 0;
    const char **slot = VEC_PUSH(p->work, p->nwork, p->capwork);
    if (!slot || hmap_put(&p->named, key, 0, 1) != 0)
        return -1;
    *slot = key;
    return 0;
}

/* Records what `tu` defines, then what it names: direct callees, functions
 * passed as arguments, sole pointer targets and address-taken functions
 * (each a symbol reference a linker would resolve). Calls that pointers may
 * make pull nothing: their targets come from the members pulled anyway.
 * `g` is the member's global index, CG_NONE for the program's TUs: a member
 * defines only the names the symbol table gives it, so that a later
 * library's member pulled for another name never hides an earlier
 * library's definition (the earlier one is pulled too, and the linker keeps
 * it: the first library wins whatever the order names come up in). */
static int add_tu(Puller *p, const TuSummary *tu, uint32_t g)
{
    for (uint32_t i = 0; i < tu->nfuncs; i++) {
        const SumFunction *d = &tu->funcs[i];
        const char *key = key_of(d->usr, d->name);
        if (d->linkage != SUM_LINK_EXTERNAL)
            continue;
        uint32_t own = owner(p, key);
        if (g != CG_NONE && own != g)
            continue;
        if (g == CG_NONE && own != CG_NONE)
            p->overrides = true;
        if (hmap_put(&p->defined, key, 0, 1) != 0)
            return -1;
    }
    for (uint32_t i = 0; i < tu->nfuncs; i++) {
        const SumFunction *d = &tu->funcs[i];
        for (uint32_t k = 0; k < d->ncalls; k++) {
            const SumCall *c = &d->calls[k];
            if (!c->reachable)
                continue;
            if (c->kind == SUM_CALL_DIRECT && !c->callee_internal &&
                need(p, key_of(c->callee_usr, c->callee_name)) != 0)
                return -1;
            if (c->sole_usr && !c->sole_internal && need(p, key_of(c->sole_usr, c->sole_name)) != 0)
                return -1;
            for (uint32_t a = 0; a < c->nargs; a++)
                if (c->args[a].fn_usr && !c->args[a].fn_internal &&
                    need(p, key_of(c->args[a].fn_usr, c->args[a].fn_name)) != 0)
                    return -1;
        }
    }
    for (uint32_t i = 0; i < tu->nrefs; i++)
        if (!tu->refs[i].internal && need(p, key_of(tu->refs[i].usr, tu->refs[i].name)) != 0)
            return -1;
    return 0;
}

static int cmp_pulled(const void *pa, const void *pb)
{
    const CgPulled *a = pa, *b = pb;
    if (a->lib != b->lib)
        return a->lib < b->lib ? -1 : 1;
    return a->member < b->member ? -1 : a->member > b->member;
}

int cg_pull(TuSummary *const *prog, size_t nprog, const char *const *roots, size_t nroots,
            const SumIndex *const *libs, size_t nlibs, CgLoadMember load, void *ctx, CgPulled **out,
            size_t *nout, uint32_t *bad_lib)
{
    CgBound *b = NULL;
    size_t nb = 0;
    int rc = cg_pull_bounded(prog, nprog, roots, nroots, libs, nlibs, load, ctx, false, out, nout, &b, &nb,
                             bad_lib);
    mem_free(b);
    return rc;
}

int cg_pull_bounded(TuSummary *const *prog, size_t nprog, const char *const *roots, size_t nroots,
                    const SumIndex *const *libs, size_t nlibs, CgLoadMember load, void *ctx, bool use_bounds,
                    CgPulled **out, size_t *nout, CgBound **bounds, size_t *nbounds, uint32_t *bad_lib)
{
    *bounds = NULL;
    *nbounds = 0;
    Hmap rootset;
    hmap_init(&rootset);
    Puller p;
    memset(&p, 0, sizeof p);
    hmap_init(&p.defined);
    hmap_init(&p.named);
    p.libs = libs;
    p.nlibs = nlibs;
    p.bad = CG_NONE;
    int rc = -1;
    char **keys = NULL;
    size_t nmembers = 0;
    for (size_t l = 0; l < nlibs; l++)
        nmembers += libs[l]->nmembers;
    uint32_t *first = mem_alloc_array(nlibs + 1, sizeof *first);
    p.loaded = mem_calloc(nmembers ? nmembers : 1, 1);
    if (!first || !p.loaded || nmembers >= CG_NONE)
        goto done;
    /* Nothing is built over the indexes: each name is looked up in their
     * own hash tables, library by library (the first that defines it
     * wins), so a run pays for the names it needs, not for the library. */
    first[0] = 0;
    for (size_t l = 0; l < nlibs; l++)
        first[l + 1] = first[l] + libs[l]->nmembers;
    p.first = first;
    for (size_t t = 0; t < nprog; t++)
        if (add_tu(&p, prog[t], CG_NONE) != 0)
            goto done;
    /* Entries named explicitly are named as a C function of external
     * linkage is: libclang's USR "c:@F@name". */
    keys = mem_calloc(nroots ? nroots : 1, sizeof *keys);
    if (!keys)
        goto done;
    for (size_t k = 0; k < nroots; k++) {
        size_t len = strlen(roots[k]);
        if (!(keys[k] = mem_alloc(len + 6)))
            goto done;
        memcpy(keys[k], "c:@F@", 5);
        memcpy(keys[k] + 5, roots[k], len + 1);
        if (need(&p, keys[k]) != 0 || hmap_put(&rootset, keys[k], 0, 1) != 0)
            goto done;
    }
    use_bounds = use_bounds && nlibs == 1 && !p.overrides;
    while (p.nwork) {
        const char *key = p.work[--p.nwork];
        if (hmap_get(&p.defined, key, 0) != CG_NONE)
            continue;
        uint32_t g = owner(&p, key);
        if (p.bad != CG_NONE)
            break;
        if (g == CG_NONE || p.loaded[g])
            continue; /* an external: nobody defines it */
        if (use_bounds && hmap_get(&rootset, key, 0) == CG_NONE) {
            uint32_t sym = 0;
            SumIndexBound bd;
            char berr[128];
            (void)sum_index_find_sym(libs[0], key, &sym);
            if (sum_index_bound(libs[0], sym, &bd, berr, sizeof berr) != 0) {
                p.bad = 0;
                break;
            }
            if (bd.status != SUM_BOUND_NONE) {
                const char *u = NULL, *nm = NULL;
                uint32_t mem = 0;
                if (sum_index_sym(libs[0], sym, &nm, &u, &mem, berr, sizeof berr) != 0) {
                    p.bad = 0;
                    break;
                }
                CgBound *slot = VEC_PUSH(p.bounds, p.nbounds, p.capbounds);
                if (!slot || hmap_put(&p.defined, u, 0, 1) != 0)
                    goto done;
                *slot = (CgBound){u, bd.bytes, bd.status};
                continue; /* its member is not needed */
            }
        }
        p.loaded[g] = 1;
        uint32_t l = 0;
        while (first[l + 1] <= g)
            l++;
        TuSummary *tu = NULL;
        int lr = load(ctx, l, g - first[l], &tu);
        if (lr != 0) {
            rc = lr < 0 ? -1 : 1;
            goto done;
        }
        CgPulled *slot = VEC_PUSH(p.out, p.nout, p.capout);
        if (!slot) {
            sum_free(tu);
            goto done;
        }
        *slot = (CgPulled){tu, l, g - first[l]};
        if (add_tu(&p, tu, g) != 0)
            goto done;
        if (p.bad != CG_NONE)
            break;
    }
    if (p.bad != CG_NONE) {
        *bad_lib = p.bad;
        rc = 2;
        goto done;
    }
    /* Library order, then index order: the linker keeps the first
     * definition it sees, so the first library given wins there too. */
    if (p.nout > 1)
        qsort(p.out, p.nout, sizeof *p.out, cmp_pulled);
    *out = p.out;
    *nout = p.nout;
    p.out = NULL;
    p.nout = 0;
    *bounds = p.bounds;
    *nbounds = p.nbounds;
    p.bounds = NULL;
    rc = 0;
done:
    mem_free(p.bounds);
    hmap_fini(&rootset);
    for (size_t i = 0; i < p.nout; i++)
        sum_free(p.out[i].tu);
    mem_free(p.out);
    mem_free(p.work);
    mem_free(p.loaded);
    mem_free(first);
    for (size_t k = 0; keys && k < nroots; k++)
        mem_free(keys[k]);
    mem_free(keys);
    hmap_fini(&p.defined);
    hmap_fini(&p.named);
    return rc;
}

/* Gives each external the library's own bound stands for its cost
 * (CgFunc.lib_*): a library function, never an entry. */
int cg_set_bounds(CallGraph *cg, const CgBound *b, size_t n)
{
    if (n == 0)
        return 0;
    Hmap m;
    hmap_init(&m);
    if (hmap_reserve(&m, n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (hmap_put(&m, b[i].key, 0, (uint32_t)i) != 0) {
            hmap_fini(&m);
            return -1;
        }
    for (uint32_t f = 0; f < cg->nfuncs; f++) {
        CgFunc *fn = &cg->funcs[f];
        uint32_t i = fn->def || !fn->usr ? CG_NONE : hmap_get(&m, fn->usr, 0);
        if (i == CG_NONE)
            continue;
        fn->lib_status = b[i].status;
        fn->lib_bytes = b[i].bytes;
        fn->library = true;
    }
    hmap_fini(&m);
    return 0;
}
