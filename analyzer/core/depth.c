/* This file reads a recursion's depth bound from the code, for cycles that
 * carry a counter (issue 15):
 *   (a) a counter parameter: every call around the cycle passes the
 *       caller's counter moved by a constant in one direction, the calls that
 *       move it are made only while it is within a constant limit (the
 *       front end's bound facts), and the cycle is entered only through
 *       calls that pass constants (`visit(1)` ... `if (level > 12) return;
 *       ... visit(level + 1)`);
 *   (b) a depth counter in memory: an unsigned member read through a pointer
 *       that every call around the cycle passes on unchanged (or an
 *       unsigned global or static variable), incremented
 *       and checked against a constant before the calls that close the
 *       cycle (SumCounter), written nowhere else in the cycle or below it
 *       but by the decrements the front end allowed (cJSON's
 *       `input_buffer->depth`).
 * In both, the calls that do not move the counter must not form a cycle of
 * their own, so that between two calls that do, each function of the cycle
 * is on the stack at most once: a bound of D trips is D times the frames of
 * all members (path.c). Anything else stays unbounded. */
#include <fnmatch.h>
#include <string.h>

#include "core/core_int.h"
#include "util/mem.h"

/* SCCs larger than this are not looked at. */
#define DEPTH_MAX_SCC 64u

/* The members of SCC s as a small local index: member k is
 * st->members[st->begin[s] + k]. */
static uint32_t local_of(const SccTable *st, uint32_t s, uint32_t f)
{
    for (uint32_t m = st->begin[s]; m < st->begin[s + 1]; m++)
        if (st->members[m] == f)
            return m - st->begin[s];
    return UINT32_MAX;
}

/* Whether the edges of SCC s that are not in `counting` (one flag per edge
 * index, an edge of the graph) form no cycle: Kahn's algorithm over the
 * members. */
static bool rest_acyclic(const CallGraph *cg, const SccTable *st, uint32_t s, const bool *counting,
                         uint32_t *indeg, uint32_t *queue)
{
    uint32_t n = st->begin[s + 1] - st->begin[s];
    memset(indeg, 0, n * sizeof *indeg);
    for (uint32_t k = 0; k < n; k++) {
        const CgFunc *fn = &cg->funcs[st->members[st->begin[s] + k]];
        for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
            uint32_t c = cg->edges[e].callee;
            if (c != CG_NONE && st->scc_of[c] == s && !counting[e])
                indeg[local_of(st, s, c)]++;
        }
    }
    uint32_t head = 0, tail = 0;
    for (uint32_t k = 0; k < n; k++)
        if (indeg[k] == 0)
            queue[tail++] = k;
    while (head < tail) {
        const CgFunc *fn = &cg->funcs[st->members[st->begin[s] + queue[head++]]];
        for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
            uint32_t c = cg->edges[e].callee;
            if (c != CG_NONE && st->scc_of[c] == s && !counting[e] && --indeg[local_of(st, s, c)] == 0)
                queue[tail++] = local_of(st, s, c);
        }
    }
    return tail == n;
}

/* Assigns each member of SCC s a parameter: `first` for the first member,
 * then along the cycle's calls the callee's parameter that receives the
 * caller's one (SumArg.param, of class `cls`, with offset 0 when `exact`).
 * Every call inside the SCC must pass it. Returns false when some call does
 * not. par has one item per member (local index). */
static bool assign_params(const CallGraph *cg, const SccTable *st, uint32_t s, uint32_t first,
                          SumClass cls, bool exact, uint32_t *par, uint32_t *queue)
{
    uint32_t n = st->begin[s + 1] - st->begin[s];
    for (uint32_t k = 0; k < n; k++)
        par[k] = UINT32_MAX;
    par[0] = first;
    uint32_t head = 0, tail = 0;
    queue[tail++] = 0;
    while (head < tail) {
        uint32_t k = queue[head++];
        const CgFunc *fn = &cg->funcs[st->members[st->begin[s] + k]];
        for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
            const CgEdge *ed = &cg->edges[e];
            if (ed->callee == CG_NONE || st->scc_of[ed->callee] != s)
                continue;
            uint32_t g = local_of(st, s, ed->callee);
            const SumCall *c = ed->call;
            const SumFunction *gd = cg->funcs[ed->callee].def;
            uint32_t want = UINT32_MAX;
            for (uint32_t a = 0; a < c->nargs && want == UINT32_MAX; a++)
                if (c->args[a].param == (int32_t)par[k] && c->args[a].cls == cls &&
                    (!exact || c->args[a].offset == 0) && (par[g] == UINT32_MAX || par[g] == a))
                    want = a;
            if (want == UINT32_MAX || !gd || want >= gd->nparams || gd->params[want].modified ||
                gd->params[want].cls != cls)
                return false;
            if (par[g] == UINT32_MAX) {
                par[g] = want;
                queue[tail++] = g;
            }
        }
    }
    for (uint32_t k = 0; k < n; k++)
        if (par[k] == UINT32_MAX)
            return false;
    return true;
}

/* Whether f can be entered other than through the calls the graph knows:
 * an entry point of any kind, or a function whose address is taken. */
static bool entered_from_outside(const CallGraph *cg, uint32_t f, const AnalysisOptions *opt)
{
    const CgFunc *fn = &cg->funcs[f];
    if (!fn->def || fn->def->address_taken || fn->def->is_interrupt || strcmp(fn->name, "main") == 0)
        return true;
    for (size_t i = 0; i < opt->nentries; i++)
        if (opt->entries[i] && strcmp(opt->entries[i], fn->name) == 0)
            return true;
    for (size_t i = 0; i < opt->ninterrupts; i++)
        if (opt->interrupts[i] && fnmatch(opt->interrupts[i], fn->name, 0) == 0)
            return true;
    for (uint32_t k = 0; k < cg->nthread_starts; k++)
        if (cg->thread_starts[k] == f)
            return true;
    return false;
}

/* The range of an integer parameter's values. */
static void param_range(const SumParam *p, int64_t *lo, int64_t *hi)
{
    unsigned bits = p->size >= 1 && p->size <= 8 ? (unsigned)p->size * 8 : 64;
    if (p->is_unsigned) {
        *lo = 0;
        *hi = bits >= 63 ? INT64_MAX : (int64_t)((UINT64_C(1) << bits) - 1);
    } else {
        *lo = bits == 64 ? INT64_MIN : -(int64_t)(UINT64_C(1) << (bits - 1));
        *hi = bits == 64 ? INT64_MAX : (int64_t)((UINT64_C(1) << (bits - 1)) - 1);
    }
}

typedef struct Scratch {
    uint32_t *par, *queue, *indeg;
    bool *counting;     /* per edge of the graph */
} Scratch;

/* (a) A counter parameter. On success sets *depth (trips) and *why. */
static bool counter_param(const CallGraph *cg, const SccTable *st, uint32_t s, const AnalysisOptions *opt,
                          Scratch *x, Result *r, uint64_t *depth, const char **why)
{
    uint32_t n = st->begin[s + 1] - st->begin[s];
    for (uint32_t k = 0; k < n; k++)
        if (entered_from_outside(cg, st->members[st->begin[s] + k], opt))
            return false;
    const SumFunction *d0 = cg->funcs[st->members[st->begin[s]]].def;
    for (uint32_t first = 0; first < d0->nparams; first++) {
        if (d0->params[first].cls != SUM_CLASS_INT || d0->params[first].modified ||
            !assign_params(cg, st, s, first, SUM_CLASS_INT, false, x->par, x->queue))
            continue;
        /* The direction: every call moves the counter one way or not at all. */
        int dir = 0;
        bool ok = true;
        for (uint32_t k = 0; k < n && ok; k++) {
            const CgFunc *fn = &cg->funcs[st->members[st->begin[s] + k]];
            for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges && ok; e++) {
                const CgEdge *ed = &cg->edges[e];
                if (ed->callee == CG_NONE || st->scc_of[ed->callee] != s)
                    continue;
                int64_t d = ed->call->args[x->par[local_of(st, s, ed->callee)]].offset;
                if (d == INT64_MIN) { /* not negated below */
                    ok = false;
                    break;
                }
                int sd = d > 0 ? 1 : d < 0 ? -1 : 0;
                if (sd && dir && sd != dir)
                    ok = false;
                if (sd)
                    dir = sd;
            }
        }
        if (!ok || dir == 0)
            continue;
        /* In the direction of travel (values negated when it goes down):
         * each call that moves the counter by dmin or more and is made only
         * while it is at most hi_e counts a trip. */
        int64_t hmax = INT64_MIN, dmin = INT64_MAX;
        const SumCall *at = NULL;
        int64_t at_limit = 0;
        for (uint32_t k = 0; k < n && ok; k++) {
            uint32_t f = st->members[st->begin[s] + k];
            const CgFunc *fn = &cg->funcs[f];
            uint32_t cp = x->par[k];
            for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
                const CgEdge *ed = &cg->edges[e];
                x->counting[e] = false;
                if (ed->callee == CG_NONE || st->scc_of[ed->callee] != s)
                    continue;
                uint32_t gp = x->par[local_of(st, s, ed->callee)];
                int64_t d = ed->call->args[gp].offset * dir;
                if (d <= 0)
                    continue;
                bool has = false;
                int64_t h = 0;
                for (uint32_t i = 0; i < ed->call->nfacts + ed->call->nguards; i++) {
                    const SumGuard *g = i < ed->call->nfacts ? &ed->call->facts[i]
                                                             : &ed->call->guards[i - ed->call->nfacts];
                    if (g->param != cp || g->field)
                        continue;
                    int64_t v = g->value;
                    SumCmp op = g->op;
                    if (dir < 0) { /* x OP v on -x: flip */
                        if (v == INT64_MIN)
                            continue;
                        v = -v;
                        op = op == SUM_CMP_LT ? SUM_CMP_GT : op == SUM_CMP_LE ? SUM_CMP_GE
                             : op == SUM_CMP_GT ? SUM_CMP_LT : op == SUM_CMP_GE ? SUM_CMP_LE : op;
                    }
                    int64_t hv;
                    if (op == SUM_CMP_LT && v > INT64_MIN)
                        hv = v - 1;
                    else if (op == SUM_CMP_LE || op == SUM_CMP_EQ)
                        hv = v;
                    else
                        continue;
                    if (!has || hv < h)
                        h = hv;
                    has = true;
                }
                if (!has)
                    continue;
                /* The moved value must still fit the callee's parameter. */
                int64_t lo, hi;
                param_range(&cg->funcs[ed->callee].def->params[gp], &lo, &hi);
                int64_t real_hi = dir > 0 ? h : -h; /* the last value allowed, as written */
                if ((dir > 0 && real_hi > hi - d) || (dir < 0 && real_hi < lo + d)) {
                    ok = false;
                    break;
                }
                x->counting[e] = true;
                if (h > hmax)
                    hmax = h;
                if (d < dmin)
                    dmin = d;
                if (!at) {
                    at = ed->call;
                    at_limit = real_hi;
                }
            }
        }
        if (!ok || !at || !rest_acyclic(cg, st, s, x->counting, x->indeg, x->queue))
            continue;
        /* Entered with constants only, within the parameter's type. */
        bool entered = false;
        int64_t v0 = INT64_MAX;
        for (uint32_t e = 0; e < cg->nedges && ok; e++) {
            const CgEdge *ed = &cg->edges[e];
            if (ed->callee == CG_NONE || st->scc_of[ed->callee] != s || st->scc_of[ed->caller] == s)
                continue;
            uint32_t gp = x->par[local_of(st, s, ed->callee)];
            const SumParam *sp = &cg->funcs[ed->callee].def->params[gp];
            int64_t lo, hi;
            param_range(sp, &lo, &hi);
            if (gp >= ed->call->nargs || !ed->call->args[gp].has_value ||
                ed->call->args[gp].value < lo || ed->call->args[gp].value > hi ||
                (dir < 0 && ed->call->args[gp].value == INT64_MIN)) {
                ok = false;
                break;
            }
            int64_t v = ed->call->args[gp].value * dir;
            if (v < v0)
                v0 = v;
            entered = true;
        }
        if (!ok || !entered)
            continue;
        /* Calls that move it: at most (hmax - v0) / dmin + 1. */
        uint64_t trips = hmax < v0 ? 0 : ((uint64_t)hmax - (uint64_t)v0) / (uint64_t)dmin + 1;
        *depth = trips == UINT64_MAX ? UINT64_MAX : trips + 1;
        const SumParam *cpar = &d0->params[first];
        *why = arena_printf(&r->arena,
                            "counter '%s' of '%s' %s by %lld or more per call, the call at %s:%u "
                            "made only while %s %s %lld, entered with constants: at most %llu calls deep",
                            cpar->name && *cpar->name ? cpar->name : "?", cg->funcs[st->members[st->begin[s]]].name,
                            dir > 0 ? "grows" : "shrinks", (long long)dmin, at->loc.file ? at->loc.file : "?",
                            at->loc.line, cpar->name && *cpar->name ? cpar->name : "?", dir > 0 ? "<=" : ">=",
                            (long long)at_limit, (unsigned long long)*depth);
        return *why != NULL;
    }
    return false;
}

/* Whether function f or anything it calls outside SCC s writes member key
 * `key` (SumFunction.writes): a walk with an explicit queue and a stamp per
 * function. */
static bool below_writes(const CallGraph *cg, const SccTable *st, uint32_t s, const char *key,
                         uint32_t *stamp, uint32_t mark, uint32_t *queue)
{
    uint32_t head = 0, tail = 0;
    for (uint32_t m = st->begin[s]; m < st->begin[s + 1]; m++) {
        const CgFunc *fn = &cg->funcs[st->members[m]];
        for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
            uint32_t c = cg->edges[e].callee;
            if (c != CG_NONE && st->scc_of[c] != s && stamp[c] != mark) {
                stamp[c] = mark;
                queue[tail++] = c;
            }
        }
    }
    while (head < tail) {
        const CgFunc *fn = &cg->funcs[queue[head++]];
        if (fn->def)
            for (uint32_t w = 0; w < fn->def->nwrites; w++)
                if (fn->def->writes[w] && strcmp(fn->def->writes[w], key) == 0)
                    return true;
        for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
            uint32_t c = cg->edges[e].callee;
            if (c != CG_NONE && st->scc_of[c] != s && stamp[c] != mark) {
                stamp[c] = mark;
                queue[tail++] = c;
            }
        }
    }
    return false;
}

/* (b) A depth counter in memory. */
static bool counter_member(const CallGraph *cg, const SccTable *st, uint32_t s, Scratch *x,
                           uint32_t *stamp, uint32_t mark, uint32_t *bigq, Result *r, uint64_t *depth,
                           const char **why)
{
    uint32_t n = st->begin[s + 1] - st->begin[s];
    const SumCounter *k0 = NULL;
    uint32_t k0_local = 0;
    for (uint32_t k = 0; k < n && !k0; k++) {
        const CgFunc *fn = &cg->funcs[st->members[st->begin[s] + k]];
        for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges && !k0; e++) {
            const CgEdge *ed = &cg->edges[e];
            if (ed->callee != CG_NONE && st->scc_of[ed->callee] == s && ed->call->counter) {
                k0 = ed->call->counter;
                k0_local = k;
            }
        }
    }
    if (!k0)
        return false;
    uint32_t f0 = st->members[st->begin[s] + k0_local];
    if (!k0->global) {
        /* The pointer is passed on unchanged around the cycle.
         * assign_params starts from member 0: try each of its pointer
         * parameters, keeping the one that reaches f0 as the counter's. */
        const SumFunction *d0 = cg->funcs[st->members[st->begin[s]]].def;
        bool assigned = false;
        for (uint32_t first = 0; d0 && first < d0->nparams && !assigned; first++)
            assigned = d0->params[first].cls == SUM_CLASS_POINTER && !d0->params[first].modified &&
                       assign_params(cg, st, s, first, SUM_CLASS_POINTER, true, x->par, x->queue) &&
                       x->par[k0_local] == k0->param;
        if (!assigned)
            return false;
    }
    uint64_t lmax = 0;
    uint32_t imin = UINT32_MAX;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t f = st->members[st->begin[s] + k];
        const CgFunc *fn = &cg->funcs[f];
        if (!fn->def || fn->def->writes_unknown)
            return false;
        bool checks = false;
        for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
            const CgEdge *ed = &cg->edges[e];
            x->counting[e] = false;
            if (ed->callee == CG_NONE || st->scc_of[ed->callee] != s)
                continue;
            const SumCounter *kc = ed->call->counter;
            if (!kc || kc->global != k0->global || (!kc->global && kc->param != x->par[k]) ||
                strcmp(kc->field, k0->field) != 0)
                continue;
            x->counting[e] = true;
            checks = true;
            if (kc->limit > lmax)
                lmax = kc->limit;
            if (kc->inc < imin)
                imin = kc->inc;
        }
        /* A function that does not count must not write the counter. */
        for (uint32_t w = 0; !checks && w < fn->def->nwrites; w++)
            if (fn->def->writes[w] && strcmp(fn->def->writes[w], k0->field) == 0)
                return false;
    }
    if (imin == UINT32_MAX || !rest_acyclic(cg, st, s, x->counting, x->indeg, x->queue) ||
        below_writes(cg, st, s, k0->field, stamp, mark, bigq))
        return false;
    /* n checks passed with the count at n - 1 increments or more: at most
     * lmax / imin + 1 calls that count. */
    uint64_t trips = lmax / imin + 1;
    *depth = trips == UINT64_MAX ? UINT64_MAX : trips + 1;
    const char *fname = cg->funcs[f0].name;
    const char *at = k0->global ? strrchr(k0->field, '@') : NULL; /* "var c:f.c@depth" */
    *why = arena_printf(&r->arena,
                        "depth counter '%s'%s of '%s', checked at %s:%u (at most %llu there) and "
                        "incremented before each recursive call: at most %llu calls deep",
                        at ? at + 1 : k0->field, k0->global ? " (a variable of static storage)" : "", fname, k0->check.file ? k0->check.file : "?", k0->check.line,
                        (unsigned long long)lmax, (unsigned long long)*depth);
    return *why != NULL;
}

int depth_read(const CallGraph *cg, const SccTable *st, const AnalysisOptions *opt, Result *r,
               uint64_t *depth, const char **why)
{
    int rc = -1;
    Scratch x = {0};
    uint32_t *stamp = NULL, *bigq = NULL;
    x.par = mem_alloc_array(DEPTH_MAX_SCC, sizeof *x.par);
    x.queue = mem_alloc_array(DEPTH_MAX_SCC, sizeof *x.queue);
    x.indeg = mem_alloc_array(DEPTH_MAX_SCC, sizeof *x.indeg);
    x.counting = mem_calloc(cg->nedges ? cg->nedges : 1, sizeof *x.counting);
    if (!x.par || !x.queue || !x.indeg || !x.counting)
        goto done;
    uint32_t mark = 0;
    for (uint32_t s = 0; s < st->nscc; s++) {
        depth[s] = 0;
        why[s] = NULL;
        uint32_t n = st->begin[s + 1] - st->begin[s];
        if (!st->cyclic[s] || n > DEPTH_MAX_SCC)
            continue;
        bool defined = true;
        for (uint32_t m = st->begin[s]; m < st->begin[s + 1]; m++)
            defined = defined && cg->funcs[st->members[m]].def;
        if (!defined)
            continue;
        if (counter_param(cg, st, s, opt, &x, r, &depth[s], &why[s]))
            continue;
        depth[s] = 0;
        if (!stamp) {
            stamp = mem_calloc(cg->nfuncs ? cg->nfuncs : 1, sizeof *stamp);
            bigq = mem_alloc_array(cg->nfuncs ? cg->nfuncs : 1, sizeof *bigq);
            if (!stamp || !bigq)
                goto done;
        }
        if (!counter_member(cg, st, s, &x, stamp, ++mark, bigq, r, &depth[s], &why[s])) {
            depth[s] = 0;
            why[s] = NULL;
        }
    }
    rc = 0;
done:
    mem_free(x.par);
    mem_free(x.queue);
    mem_free(x.indeg);
    mem_free(x.counting);
    mem_free(stamp);
    mem_free(bigq);
    return rc;
}
