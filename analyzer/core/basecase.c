/* This file checks each recursive SCC of certain calls for a base case: a
 * path from some member's entry block to a return or noreturn exit that
 * passes no certain call back into the SCC. Without one, every member gets
 * a missing-base-case error. Possible calls (inferred pointer targets) may
 * not happen, so they never block a way out. */
#include <string.h>

#include "core/core_int.h"
#include "util/mem.h"

typedef struct BaseScratch {
    uint8_t *state;   /* per block: 0 unseen, 1 seen, 2 blocked */
    uint32_t *queue;
    size_t cap;
} BaseScratch;

static int scratch_fit(BaseScratch *b, size_t n)
{
    if (n <= b->cap)
        return 0;
    uint8_t *s = mem_realloc(b->state, n);
    if (!s)
        return -1;
    b->state = s;
    uint32_t *q = mem_realloc_array(b->queue, n, sizeof *q);
    if (!q)
        return -1;
    b->queue = q;
    b->cap = n;
    return 0;
}

/* Returns 1 when f has a base case, 0 when not, -1 when memory runs out. */
static int has_base_case(const CallGraph *cg, const SccTable *st, uint32_t f, BaseScratch *b)
{
    const CgFunc *fn = &cg->funcs[f];
    const SumFunction *d = fn->def;
    if (!d || d->nblocks == 0)
        return 1; /* no control flow known: assume it can end (stay silent) */
    if (scratch_fit(b, d->nblocks) != 0)
        return -1;
    memset(b->state, 0, d->nblocks);
    uint32_t s = st->scc_of[f];
    for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
        const CgEdge *ed = &cg->edges[e];
        if (ed->certain && ed->callee != CG_NONE && st->scc_of[ed->callee] == s &&
            ed->call->block < d->nblocks)
            b->state[ed->call->block] = 2;
    }
    if (b->state[0] == 2)
        return 0;
    uint32_t head = 0, tail = 0;
    b->state[0] = 1;
    b->queue[tail++] = 0;
    while (head < tail) {
        uint32_t k = b->queue[head++];
        const SumBlock *blk = &d->blocks[k];
        if (blk->exit == SUM_EXIT_RETURN || blk->exit == SUM_EXIT_NORETURN)
            return 1;
        for (uint32_t i = 0; i < blk->nsucc; i++) {
            uint32_t si = blk->succ_begin + i;
            if (si >= d->nsucc)
                break;
            uint32_t nb = d->succ[si];
            if (nb >= d->nblocks || b->state[nb] != 0)
                continue;
            b->state[nb] = 1;
            b->queue[tail++] = nb;
        }
    }
    return 0;
}

static int report_scc(const CallGraph *cg, const SccTable *st, uint32_t s, Result *r)
{
    int rc = -1;
    StrBuf cyc;
    sbuf_init(&cyc);
    ResRelated *rel = NULL;
    uint32_t nmem = st->begin[s + 1] - st->begin[s];
    /* The cycle's names, for the message of mutual recursion. */
    uint32_t shown = nmem > 8 ? 8 : nmem;
    for (uint32_t i = 0; i < shown; i++)
        sbuf_add(&cyc, "%s'%s'", i ? ", " : "", cg->funcs[st->members[st->begin[s] + i]].name);
    if (nmem > shown)
        sbuf_add(&cyc, " and %u more", nmem - shown);
    if (cyc.failed)
        goto done;
    for (uint32_t m = st->begin[s]; m < st->begin[s + 1]; m++) {
        uint32_t f = st->members[m];
        const CgFunc *fn = &cg->funcs[f];
        uint32_t nrel = 0;
        mem_free(rel);
        rel = mem_alloc_array(fn->nedges ? fn->nedges : 1, sizeof *rel);
        if (!rel)
            goto done;
        const char *first_callee = NULL;
        for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
            const CgEdge *ed = &cg->edges[e];
            if (!ed->certain || ed->callee == CG_NONE || st->scc_of[ed->callee] != s)
                continue;
            if (!first_callee)
                first_callee = cg->funcs[ed->callee].name;
            rel[nrel++] = (ResRelated){fn->name, ed->call->loc, "recursive call here"};
        }
        if (cg_quiet(cg, f))
            continue;
        Finding *x;
        if (nmem == 1)
            x = result_add_finding(r, RULE_MISSING_BASE_CASE, fn->name, fn->loc, rel, nrel,
                                   "'%s' can never stop recursing: no path returns without "
                                   "calling '%s' again",
                                   fn->name, first_callee ? first_callee : fn->name);
        else
            x = result_add_finding(r, RULE_MISSING_BASE_CASE, fn->name, fn->loc, rel, nrel,
                                   "'%s' can never stop recursing: no function of the cycle "
                                   "%s returns without calling back into it",
                                   fn->name, sbuf_str(&cyc));
        if (!x)
            goto done;
    }
    rc = 0;
done:
    mem_free(rel);
    sbuf_fini(&cyc);
    return rc;
}

int base_check(const CallGraph *cg, const SccTable *st, Result *r, bool *no_base)
{
    BaseScratch b = {NULL, NULL, 0};
    int rc = -1;
    for (uint32_t s = 0; s < st->nscc; s++) {
        no_base[s] = false;
        if (!st->cyclic[s])
            continue;
        bool found = false;
        for (uint32_t m = st->begin[s]; m < st->begin[s + 1] && !found; m++) {
            int h = has_base_case(cg, st, st->members[m], &b);
            if (h < 0)
                goto done;
            found = h == 1;
        }
        if (found)
            continue;
        no_base[s] = true;
        if (report_scc(cg, st, s, r) != 0)
            goto done;
    }
    rc = 0;
done:
    mem_free(b.state);
    mem_free(b.queue);
    return rc;
}
