/* This file reports recursion that cannot stop once it starts: around a
 * cycle of calls whose guards are known, one parameter (or one integer
 * member read through a pointer parameter that nothing can write) is
 * tracked; when the set of values the guards allow is closed under the
 * change the cycle makes to it, the base case can never be taken. Only
 * certain cases are reported, over certain calls only. */
#include <string.h>

#include "core/core_int.h"
#include "limits.h"
#include "util/mem.h"

/* Longest cycle searched, and work allowed per SCC (edge visits). */
#define CONV_MAX_CYCLE 4u
#define CONV_MAX_WORK 100000u
/* SCCs larger than this are not searched. */
#define CONV_MAX_SCC 64u

typedef struct Interval {
    bool has_lo, has_hi;
    int64_t lo, hi;
    uint32_t nne;
    int64_t ne[SC_MAX_GUARDS * CONV_MAX_CYCLE];
} Interval;

static bool add_off(int64_t a, int64_t b, int64_t *out)
{
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
        return false;
    *out = a + b;
    return true;
}

/* Narrows s by `x OP k`. Returns false when the bound is not representable. */
static bool narrow(Interval *s, SumCmp op, int64_t k)
{
    switch (op) {
    case SUM_CMP_LT:
        if (k == INT64_MIN)
            return false;
        k -= 1;
        /* fall through */
    case SUM_CMP_LE:
        if (!s->has_hi || k < s->hi)
            s->hi = k;
        s->has_hi = true;
        return true;
    case SUM_CMP_GT:
        if (k == INT64_MAX)
            return false;
        k += 1;
        /* fall through */
    case SUM_CMP_GE:
        if (!s->has_lo || k > s->lo)
            s->lo = k;
        s->has_lo = true;
        return true;
    case SUM_CMP_EQ:
        if (!s->has_hi || k < s->hi)
            s->hi = k;
        if (!s->has_lo || k > s->lo)
            s->lo = k;
        s->has_lo = s->has_hi = true;
        return true;
    case SUM_CMP_NE:
        if (s->nne >= sizeof s->ne / sizeof s->ne[0])
            return false;
        s->ne[s->nne++] = k;
        return true;
    }
    return false;
}

static const char *op_text(SumCmp op)
{
    switch (op) {
    case SUM_CMP_LT: return "<";
    case SUM_CMP_LE: return "<=";
    case SUM_CMP_GT: return ">";
    case SUM_CMP_GE: return ">=";
    case SUM_CMP_EQ: return "==";
    case SUM_CMP_NE: return "!=";
    }
    return "?";
}

static bool interval_empty(const Interval *s)
{
    if (s->has_lo && s->has_hi && s->lo > s->hi)
        return true;
    if (s->has_lo && s->has_hi && s->lo == s->hi)
        for (uint32_t i = 0; i < s->nne; i++)
            if (s->ne[i] == s->lo)
                return true;
    return false;
}

/* The caller's parameter `cur` at the step of edge e, when the step can be
 * followed: the caller is defined, the call's guards are known, and the
 * parameter exists and is unmodified. NULL otherwise. */
static const SumParam *step_param(const CallGraph *cg, const CgEdge *e, uint32_t cur)
{
    const SumFunction *fd = cg->funcs[e->caller].def;
    if (!fd || !e->call->guards_known || cur >= fd->nparams || fd->params[cur].modified)
        return NULL;
    return &fd->params[cur];
}

/* The argument of edge e's call that carries caller parameter `cur` on
 * (the first that is exactly `cur + offset`), when the callee is defined
 * with a parameter there; CG_NONE otherwise. */
static uint32_t passed_on(const CallGraph *cg, const CgEdge *e, uint32_t cur)
{
    const SumCall *c = e->call;
    const SumFunction *cd = e->callee == CG_NONE ? NULL : cg->funcs[e->callee].def;
    for (uint32_t a = 0; a < c->nargs; a++)
        if (c->args[a].param >= 0 && (uint32_t)c->args[a].param == cur)
            return cd && a < cd->nparams ? a : CG_NONE;
    return CG_NONE;
}

/* Checks one cycle (edges[0..n), edges[0] leaves f0) for the member `field`
 * (a key, "struct tag.member") read through pointer parameter p0: the
 * pointer goes around unchanged (so does the member's value, when nothing
 * writes it: field_frozen), and the guards are over that member or over
 * the pointer itself. Returns true when the guards can hold together, so
 * that once they do the cycle repeats. */
static bool cycle_stuck_field(const CallGraph *cg, const uint32_t *edges, uint32_t n,
                              uint32_t p0, const char *field)
{
    Interval s, sp; /* the member's values, the pointer's */
    memset(&s, 0, sizeof s);
    memset(&sp, 0, sizeof sp);
    uint32_t cur = p0;
    uint32_t nfield = 0;
    for (uint32_t i = 0; i < n; i++) {
        const CgEdge *e = &cg->edges[edges[i]];
        const SumCall *c = e->call;
        const SumParam *par = step_param(cg, e, cur);
        if (!par || par->cls != SUM_CLASS_POINTER)
            return false;
        for (uint32_t g = 0; g < c->nguards; g++) {
            const SumGuard *gd = &c->guards[g];
            if (gd->param != cur)
                return false;
            if (gd->field && strcmp(gd->field, field) != 0)
                return false; /* another member: not tracked */
            if (!narrow(gd->field ? &s : &sp, gd->op, gd->value))
                return false;
            nfield += gd->field != NULL;
        }
        uint32_t next = passed_on(cg, e, cur);
        if (next == CG_NONE || c->args[next].offset != 0 || c->args[next].cls != SUM_CLASS_POINTER)
            return false;
        cur = next;
    }
    return cur == p0 && nfield > 0 && !interval_empty(&s) && !interval_empty(&sp);
}

/* The member's name in its key "struct tag.member". */
static const char *member_of(const char *key)
{
    const char *dot = strrchr(key, '.');
    return dot ? dot + 1 : key;
}

/* Whether no code that can run from the cycle's functions (edges[0..n)
 * callers) on may write the member `field` or leave the recursion: every
 * function reachable over all edges, certain and possible, is defined (an
 * external may write anything, call back or exit), has no unresolved call
 * and no noreturn exit, does not write the key and writes nothing unknown.
 * Walks with an explicit stack; false past SC_MAX_CONV_REACH functions.
 * Returns 1 yes, 0 no, -1 out of memory. */
static int field_frozen(const CallGraph *cg, const uint32_t *edges, uint32_t n, const char *field)
{
    uint8_t *seen = mem_calloc(cg->nfuncs, 1);
    uint32_t *stk = mem_calloc(cg->nfuncs, sizeof *stk);
    int rc = -1;
    if (!seen || !stk)
        goto done;
    uint32_t depth = 0, visited = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = cg->edges[edges[i]].caller;
        if (!seen[c]) {
            seen[c] = 1;
            stk[depth++] = c;
        }
    }
    rc = 0;
    while (depth > 0) {
        uint32_t fn = stk[--depth];
        if (++visited > SC_MAX_CONV_REACH)
            goto done;
        const CgFunc *cf = &cg->funcs[fn];
        const SumFunction *d = cf->def;
        if (!d || d->writes_unknown)
            goto done;
        /* A block ending in a noreturn builtin (__builtin_longjmp, trap)
         * may leave the recursion by another way than returning. */
        for (uint32_t b = 0; b < d->nblocks; b++)
            if (d->blocks[b].exit == SUM_EXIT_NORETURN)
                goto done;
        /* By member name, not the whole key: a struct that shares p's
         * common initial members (the same names, `struct node.kind` and
         * `struct leaf.kind`) may write them through a cast pointer. */
        for (uint32_t w = 0; w < d->nwrites; w++)
            if (!d->writes[w] || strcmp(member_of(d->writes[w]), member_of(field)) == 0)
                goto done;
        for (uint32_t e = cf->edge_begin; e < cf->edge_begin + cf->nedges; e++) {
            uint32_t to = cg->edges[e].callee;
            if (to == CG_NONE)
                goto done;
            if (!seen[to]) {
                seen[to] = 1;
                stk[depth++] = to;
            }
        }
    }
    rc = 1;
done:
    mem_free(seen);
    mem_free(stk);
    return rc;
}

/* Checks one cycle (edges[0..n), edges[0] leaves f0) for parameter p0.
 * Returns true when it provably cannot stop; fills *d_out. */
static bool cycle_stuck(const CallGraph *cg, const uint32_t *edges, uint32_t n, uint32_t p0,
                        int64_t *d_out)
{
    Interval s;
    memset(&s, 0, sizeof s);
    uint32_t cur = p0;
    int64_t d = 0;
    uint32_t nguards = 0;
    bool unsig = false, ptr = false;
    for (uint32_t i = 0; i < n; i++) {
        const CgEdge *e = &cg->edges[edges[i]];
        const SumCall *c = e->call;
        const SumParam *par = step_param(cg, e, cur);
        if (!par)
            return false;
        if (par->cls == SUM_CLASS_POINTER)
            ptr = true;
        else if (par->cls != SUM_CLASS_INT)
            return false;
        if (par->is_unsigned)
            unsig = true;
        for (uint32_t g = 0; g < c->nguards; g++) {
            const SumGuard *gd = &c->guards[g];
            if (gd->param != cur || gd->field)
                return false;
            int64_t k;
            if (!add_off(gd->value, d == INT64_MIN ? 0 : -d, &k) || d == INT64_MIN)
                return false;
            if (!narrow(&s, gd->op, k))
                return false;
        }
        nguards += c->nguards;
        uint32_t next = passed_on(cg, e, cur);
        if (next == CG_NONE || !add_off(d, c->args[next].offset, &d))
            return false;
        cur = next;
    }
    if (cur != p0 || nguards == 0)
        return false;
    if (interval_empty(&s))
        return false; /* the guards can never hold together: nothing to say */
    *d_out = d;
    if (d == 0)
        return true;
    if (unsig || ptr || s.nne > 0)
        return false;
    return d < 0 ? !s.has_lo : !s.has_hi;
}

/* Reports the cycle for p0, changed by d around it (a member guarded
 * through p0 is spelled from its guards; d is then 0). */
static int report(const CallGraph *cg, const uint32_t *edges, uint32_t n, uint32_t p0, int64_t d,
                  Result *r)
{
    int rc = -1;
    StrBuf g, arg, cyc;
    sbuf_init(&g);
    sbuf_init(&arg);
    sbuf_init(&cyc);
    ResRelated rel[CONV_MAX_CYCLE];
    const CgFunc *f0 = &cg->funcs[cg->edges[edges[0]].caller];
    /* f0 has the lowest index of the cycle, and program functions come
     * before library ones: a quiet f0 means a cycle of library code. */
    if (cg_quiet(cg, cg->edges[edges[0]].caller))
        return 0;
    uint32_t cur = p0;
    for (uint32_t i = 0; i < n; i++) {
        const CgEdge *e = &cg->edges[edges[i]];
        const SumFunction *fd = cg->funcs[e->caller].def;
        const SumParam *par = &fd->params[cur];
        const char *pname = par->name && par->name[0] ? par->name : "<unnamed>";
        for (uint32_t k = 0; k < e->call->nguards; k++) {
            const SumGuard *gd = &e->call->guards[k];
            if (g.n)
                sbuf_add(&g, " && ");
            if (gd->field)
                sbuf_add(&g, "%s->%s %s %lld", pname, member_of(gd->field), op_text(gd->op),
                         (long long)gd->value);
            else if (par->cls == SUM_CLASS_POINTER && gd->value == 0)
                sbuf_add(&g, "%s %s NULL", pname, op_text(gd->op));
            else
                sbuf_add(&g, "%s %s %lld", pname, op_text(gd->op), (long long)gd->value);
        }
        rel[i] = (ResRelated){cg->funcs[e->caller].name, e->call->loc, "recursive call here"};
        cur = passed_on(cg, e, cur); /* the cycle was checked: never CG_NONE */
    }
    const char *p0name = f0->def->params[p0].name;
    if (!p0name || !p0name[0])
        p0name = "<unnamed>";
    if (d == 0)
        sbuf_add(&arg, "%s", p0name);
    else if (d < 0)
        sbuf_add(&arg, "%s - %llu", p0name, (unsigned long long)(0 - (uint64_t)d));
    else
        sbuf_add(&arg, "%s + %lld", p0name, (long long)d);
    if (n > 1) {
        sbuf_add(&cyc, " (passed around %s", f0->name);
        for (uint32_t i = 0; i < n; i++)
            sbuf_add(&cyc, " -> %s", cg->funcs[cg->edges[edges[i]].callee].name);
        sbuf_add(&cyc, ")");
    }
    if (g.failed || arg.failed || cyc.failed)
        goto done;
    if (!result_add_finding(r, RULE_NON_CONVERGENT, f0->name, f0->loc, rel, n,
                            "'%s' cannot stop once it recurses: guard '%s' stays true for "
                            "argument '%s'%s",
                            f0->name, sbuf_str(&g), sbuf_str(&arg), sbuf_str(&cyc)))
        goto done;
    rc = 0;
done:
    sbuf_fini(&g);
    sbuf_fini(&arg);
    sbuf_fini(&cyc);
    return rc;
}

typedef struct DfsFrame {
    uint32_t node;
    uint32_t next_edge;
    uint32_t via;  /* edge that led here; CG_NONE for f0 */
} DfsFrame;

/* Searches cycles through f0 whose other members have larger indexes.
 * Returns 1 when one was reported, 0 when none, -1 on memory failure. */
static int search_from(const CallGraph *cg, const SccTable *st, uint32_t f0, uint32_t *work,
                       Result *r)
{
    const SumFunction *d0 = cg->funcs[f0].def;
    if (!d0 || d0->nparams == 0)
        return 0;
    DfsFrame stk[CONV_MAX_CYCLE + 1];
    uint32_t depth = 0;
    stk[depth++] = (DfsFrame){f0, cg->funcs[f0].edge_begin, CG_NONE};
    uint32_t s = st->scc_of[f0];
    while (depth > 0) {
        DfsFrame *fr = &stk[depth - 1];
        const CgFunc *fn = &cg->funcs[fr->node];
        if (fr->next_edge >= fn->edge_begin + fn->nedges || *work >= CONV_MAX_WORK) {
            depth--;
            continue;
        }
        uint32_t e = fr->next_edge++;
        (*work)++;
        const CgEdge *ed = &cg->edges[e];
        if (!ed->certain || ed->callee == CG_NONE || st->scc_of[ed->callee] != s ||
            !ed->call->guards_known)
            continue;
        if (ed->callee == f0) {
            uint32_t cyc[CONV_MAX_CYCLE];
            uint32_t n = 0;
            for (uint32_t i = 1; i < depth; i++)
                cyc[n++] = stk[i].via;
            cyc[n++] = e;
            for (uint32_t p = 0; p < d0->nparams; p++) {
                int64_t dd = 0;
                if (cycle_stuck(cg, cyc, n, p, &dd))
                    return report(cg, cyc, n, p, dd, r) == 0 ? 1 : -1;
                /* A member read through p: the first key guarded on the
                 * cycle that passes is the only one (a second key fails
                 * cycle_stuck_field). */
                const char *key = NULL;
                for (uint32_t i = 0; i < n && !key; i++) {
                    const SumCall *ci = cg->edges[cyc[i]].call;
                    for (uint32_t g = 0; g < ci->nguards && !key; g++)
                        if (ci->guards[g].field &&
                            cycle_stuck_field(cg, cyc, n, p, ci->guards[g].field))
                            key = ci->guards[g].field;
                }
                if (key) {
                    int fz = field_frozen(cg, cyc, n, key);
                    if (fz < 0)
                        return -1;
                    if (fz)
                        return report(cg, cyc, n, p, 0, r) == 0 ? 1 : -1;
                }
            }
            continue;
        }
        if (ed->callee < f0 || depth >= CONV_MAX_CYCLE)
            continue;
        bool on = false;
        for (uint32_t i = 0; i < depth; i++)
            on = on || stk[i].node == ed->callee;
        if (on)
            continue;
        stk[depth++] = (DfsFrame){ed->callee, cg->funcs[ed->callee].edge_begin, e};
    }
    return 0;
}

int converge_check(const CallGraph *cg, const SccTable *st, const bool *no_base, Result *r)
{
    for (uint32_t s = 0; s < st->nscc; s++) {
        if (!st->cyclic[s] || no_base[s] || st->begin[s + 1] - st->begin[s] > CONV_MAX_SCC)
            continue;
        uint32_t work = 0;
        for (uint32_t m = st->begin[s]; m < st->begin[s + 1]; m++)
            if (search_from(cg, st, st->members[m], &work, r) < 0)
                return -1;
    }
    return 0;
}
