/* This file finds the cycles of the call graph in two views (every edge, and
 * certain edges only), one concrete call chain around each (BFS inside its
 * SCC), and reports each cycle once: certain, or possible naming the pointer
 * call that closes it. */
#include <string.h>

#include "core/core_int.h"
#include "util/mem.h"

/* Past this many members a shortest chain per member would cost quadratic
 * time; such SCCs get a one-step chain marked truncated. */
#define CHAIN_BFS_MAX_SCC 4096u

int chain_ctx_init(ChainCtx *c, const CallGraph *cg, const SccTable *st)
{
    memset(c, 0, sizeof *c);
    c->cg = cg;
    c->st = st;
    size_t n = (size_t)cg->nfuncs + 1;
    c->parent_edge = mem_alloc_array(2 * n, sizeof *c->parent_edge);
    c->parent_state = mem_alloc_array(2 * n, sizeof *c->parent_state);
    c->queue = mem_alloc_array(2 * n, sizeof *c->queue);
    c->stamp = mem_calloc(2 * n, sizeof *c->stamp);
    c->buf = mem_alloc_array(n, sizeof *c->buf);
    if (!c->parent_edge || !c->parent_state || !c->queue || !c->stamp || !c->buf) {
        chain_ctx_fini(c);
        return -1;
    }
    return 0;
}

void chain_ctx_fini(ChainCtx *c)
{
    mem_free(c->parent_edge);
    mem_free(c->parent_state);
    mem_free(c->queue);
    mem_free(c->stamp);
    mem_free(c->buf);
    memset(c, 0, sizeof *c);
}

/* May a chain inside f's SCC take edge e? */
static bool edge_in_scc(const ChainCtx *c, uint32_t f, uint32_t e)
{
    const CgEdge *ed = &c->cg->edges[e];
    if (ed->callee == CG_NONE || c->st->scc_of[ed->callee] != c->st->scc_of[f])
        return false;
    return ed->certain || !c->st->certain_only;
}

/* The one-step chain of an SCC too large to search: f's first edge inside
 * it (a possible one first when `want_possible`). */
static void chain_step(ChainCtx *c, uint32_t f, bool want_possible, Chain *out)
{
    const CgFunc *fn = &c->cg->funcs[f];
    uint32_t pick = CG_NONE;
    for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
        if (!edge_in_scc(c, f, e))
            continue;
        if (pick == CG_NONE)
            pick = e;
        if (!want_possible || !c->cg->edges[e].certain) {
            pick = e;
            break;
        }
    }
    if (pick == CG_NONE)
        return;
    c->buf[0] = pick;
    out->nedges = 1;
    out->truncated = c->cg->edges[pick].callee != f;
}

/* Breadth-first search over states (function, a possible edge was taken),
 * state = function * 2 + flag, from (f, 0) back to f, arriving with flag
 * `want_possible`. */
static void chain_bfs(ChainCtx *c, uint32_t f, bool want_possible, Chain *out)
{
    const CallGraph *cg = c->cg;
    if (++c->cur_stamp == 0) {
        memset(c->stamp, 0, 2 * ((size_t)cg->nfuncs + 1) * sizeof *c->stamp);
        c->cur_stamp = 1;
    }
    uint32_t head = 0, tail = 0, s0 = f * 2;
    c->stamp[s0] = c->cur_stamp;
    c->queue[tail++] = s0;
    while (head < tail) {
        uint32_t su = c->queue[head++];
        const CgFunc *fu = &cg->funcs[su / 2];
        for (uint32_t e = fu->edge_begin; e < fu->edge_begin + fu->nedges; e++) {
            if (!edge_in_scc(c, f, e))
                continue;
            uint32_t w = cg->edges[e].callee;
            uint32_t fl = want_possible ? ((su % 2) | !cg->edges[e].certain) : 0;
            if (w == f && fl == (uint32_t)want_possible) {
                /* Found: the path to su, then e. Count it, then fill backwards. */
                uint32_t len = 1;
                for (uint32_t v = su; v != s0; v = c->parent_state[v])
                    len++;
                uint32_t i = len;
                c->buf[--i] = e;
                for (uint32_t v = su; v != s0; v = c->parent_state[v])
                    c->buf[--i] = c->parent_edge[v];
                out->nedges = len;
                return;
            }
            uint32_t sw = w * 2 + fl;
            if (w == f || c->stamp[sw] == c->cur_stamp)
                continue;
            c->stamp[sw] = c->cur_stamp;
            c->parent_edge[sw] = e;
            c->parent_state[sw] = su;
            c->queue[tail++] = sw;
        }
    }
}

static void chain_search(ChainCtx *c, uint32_t f, bool want_possible, Chain *out)
{
    uint32_t s = c->st->scc_of[f];
    out->edges = c->buf;
    out->nedges = 0;
    out->truncated = false;
    if (c->st->begin[s + 1] - c->st->begin[s] > CHAIN_BFS_MAX_SCC)
        chain_step(c, f, want_possible, out);
    else
        chain_bfs(c, f, want_possible, out);
}

void chain_find(ChainCtx *c, uint32_t f, Chain *out)
{
    chain_search(c, f, false, out);
}

void chain_find_possible(ChainCtx *c, uint32_t f, Chain *out)
{
    chain_search(c, f, true, out);
}

static const char *callee_name(const CallGraph *cg, uint32_t e)
{
    uint32_t w = cg->edges[e].callee;
    return w == CG_NONE ? "?" : cg->funcs[w].name;
}

/* "struct tag.member" as "tag.member", the way config hints name it. */
static const char *member_text(const char *field)
{
    if (strncmp(field, "struct ", 7) == 0)
        return field + 7;
    if (strncmp(field, "union ", 6) == 0)
        return field + 6;
    return field;
}

const char *cycle_edge_text(const CallGraph *cg, uint32_t e, Result *r)
{
    const CgEdge *ed = &cg->edges[e];
    const SumCall *c = ed->call;
    const char *expr = c->callee_name && c->callee_name[0] ? c->callee_name : "?";
    switch ((CgHow)ed->how) {
    case CG_HOW_MEMBER:
        return arena_printf(&r->arena, "'%s' (targets of member '%s')", expr,
                            c->field ? member_text(c->field) : "?");
    case CG_HOW_PARAM: {
        const SumFunction *d = cg->funcs[ed->caller].def;
        uint32_t p = c->via_param ? c->via_param - 1 : 0;
        const char *pn = d && p < d->nparams && d->params[p].name[0] ? d->params[p].name : "?";
        return arena_printf(&r->arena, "'%s' (functions passed as parameter '%s' of '%s')", expr, pn,
                            cg->funcs[ed->caller].name);
    }
    case CG_HOW_TYPE:
        return arena_printf(&r->arena, "'%s' (address-taken functions of type '%s')", expr,
                            c->fn_type ? c->fn_type : "?");
    case CG_HOW_DECLARED:
        return arena_printf(&r->arena, "'%s' (declared targets)", expr);
    case CG_HOW_DIRECT:
    case CG_HOW_SOLE:
    case CG_HOW_NONE:
        break;
    }
    return arena_printf(&r->arena, "'%s'", expr);
}

/* The member of SCC s (of st) that comes first by file, line and column
 * (then by index): where the cycle is reported. */
static uint32_t first_member(const CallGraph *cg, const SccTable *st, uint32_t s)
{
    uint32_t best = st->members[st->begin[s]];
    for (uint32_t m = st->begin[s] + 1; m < st->begin[s + 1]; m++) {
        uint32_t f = st->members[m];
        const SumLoc *a = &cg->funcs[f].loc, *b = &cg->funcs[best].loc;
        int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
        if (c == 0)
            c = a->line != b->line ? (a->line < b->line ? -1 : 1) : (a->col < b->col ? -1 : a->col > b->col);
        if (c < 0)
            best = f;
    }
    return best;
}

typedef struct RecCtx {
    const CallGraph *cg;
    Result *r;
    StrBuf sb;
    ResRelated *rel;
    size_t relcap;
} RecCtx;

/* Reports the cycle of SCC s of st (whose chain ctx is c) on its first
 * member; `possible`: the chain must take a possible edge, named in the
 * message, and stored into *closing. */
static int report_cycle(RecCtx *x, ChainCtx *c, uint32_t s, bool possible, uint32_t *closing)
{
    const CallGraph *cg = x->cg;
    const SccTable *st = c->st;
    uint32_t f = first_member(cg, st, s);
    uint32_t size = st->begin[s + 1] - st->begin[s];
    const char *name = cg->funcs[f].name;
    Chain ch;
    if (possible)
        chain_find_possible(c, f, &ch);
    else
        chain_find(c, f, &ch);
    uint32_t close = CG_NONE;
    for (uint32_t i = 0; i < ch.nedges && possible; i++)
        if (!cg->edges[ch.edges[i]].certain) {
            close = ch.edges[i];
            break;
        }
    StrBuf *sb = &x->sb;
    sb->n = 0;
    if (size == 1)
        sbuf_add(sb, possible ? "'%s' may be recursive: %s" : "'%s' is recursive: %s", name, name);
    else
        sbuf_add(sb, "'%s' is part of a %scycle of %u functions: %s", name, possible ? "possible " : "",
                 size, name);
    for (uint32_t i = 0; i < ch.nedges; i++)
        sbuf_add(sb, " -> %s", callee_name(cg, ch.edges[i]));
    if (ch.truncated)
        sbuf_add(sb, " -> ... -> %s", name);
    if (close != CG_NONE) {
        const char *how = cycle_edge_text(cg, close, x->r);
        if (!how)
            return -1;
        sbuf_add(sb, ", through %s", how);
    }
    if (sb->failed)
        return -1;
    if (ch.nedges > x->relcap) {
        ResRelated *nr = mem_realloc_array(x->rel, ch.nedges, sizeof *x->rel);
        if (!nr)
            return -1;
        x->rel = nr;
        x->relcap = ch.nedges;
    }
    for (uint32_t i = 0; i < ch.nedges; i++) {
        const CgEdge *e = &cg->edges[ch.edges[i]];
        const char *msg = arena_printf(&x->r->arena, e->certain ? "call to '%s' here" : "possible call to '%s' here",
                                       callee_name(cg, ch.edges[i]));
        if (!msg)
            return -1;
        x->rel[i] = (ResRelated){cg->funcs[e->caller].name, e->call->loc, msg};
    }
    /* A cycle of library functions only is the library's to report
     * (--report-library); one through the program is the program's. */
    bool quiet = true;
    for (uint32_t k = st->begin[s]; k < st->begin[s + 1] && quiet; k++)
        quiet = cg_quiet(cg, st->members[k]);
    Finding *fd = quiet ? NULL
                        : result_add_finding(x->r, RULE_RECURSION, name, cg->funcs[f].loc, x->rel, ch.nedges,
                                             "%s", sbuf_str(sb));
    if (!quiet && !fd)
        return -1;
    if (fd) {
        fd->has_certain = true;
        fd->certain = !possible;
    }
    if (closing)
        *closing = close;
    return 0;
}

void cycles_fini(Cycles *cy)
{
    scc_table_fini(&cy->all);
    scc_table_fini(&cy->certain);
    mem_free(cy->closing);
    cy->closing = NULL;
}

int recursion_report(const CallGraph *cg, Cycles *cy, Result *r)
{
    memset(cy, 0, sizeof *cy);
    if (scc_table_build(cg, &cy->all, false) != 0 || scc_table_build(cg, &cy->certain, true) != 0)
        return -1;
    const SccTable *all = &cy->all, *cert = &cy->certain;
    cy->closing = mem_alloc_array(all->nscc ? all->nscc : 1, sizeof *cy->closing);
    if (!cy->closing)
        return -1;
    for (uint32_t f = 0; f < cg->nfuncs; f++) {
        r->funcs[f].scc = all->scc_of[f];
        r->funcs[f].recursive = all->cyclic[all->scc_of[f]];
        r->funcs[f].recursion_certain = cert->cyclic[cert->scc_of[f]];
    }
    ChainCtx ca, cc;
    bool ca_ok = chain_ctx_init(&ca, cg, all) == 0;
    bool cc_ok = ca_ok && chain_ctx_init(&cc, cg, cert) == 0;
    RecCtx x = {cg, r, {0}, NULL, 0};
    sbuf_init(&x.sb);
    int rc = -1;
    if (!cc_ok)
        goto done;
    for (uint32_t s = 0; s < cert->nscc; s++)
        if (cert->cyclic[s] && report_cycle(&x, &cc, s, false, NULL) != 0)
            goto done;
    for (uint32_t s = 0; s < all->nscc; s++) {
        cy->closing[s] = CG_NONE;
        if (!all->cyclic[s])
            continue;
        /* One cyclic certain SCC that covers the whole SCC: certain only. */
        uint32_t f0 = all->members[all->begin[s]];
        uint32_t cs = cert->scc_of[f0];
        if (cert->cyclic[cs] && cert->begin[cs + 1] - cert->begin[cs] == all->begin[s + 1] - all->begin[s])
            continue;
        if (report_cycle(&x, &ca, s, true, &cy->closing[s]) != 0)
            goto done;
    }
    rc = 0;
done:
    mem_free(x.rel);
    sbuf_fini(&x.sb);
    if (ca_ok)
        chain_ctx_fini(&ca);
    if (cc_ok)
        chain_ctx_fini(&cc);
    return rc;
}
