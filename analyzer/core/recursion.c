/* This file finds one concrete call chain around each cycle member (BFS
 * inside its SCC) and reports every member of every cycle as recursive. */
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
    c->parent_edge = mem_alloc_array(n, sizeof *c->parent_edge);
    c->queue = mem_alloc_array(n, sizeof *c->queue);
    c->stamp = mem_calloc(n, sizeof *c->stamp);
    c->buf = mem_alloc_array(n, sizeof *c->buf);
    if (!c->parent_edge || !c->queue || !c->stamp || !c->buf) {
        chain_ctx_fini(c);
        return -1;
    }
    return 0;
}

void chain_ctx_fini(ChainCtx *c)
{
    mem_free(c->parent_edge);
    mem_free(c->queue);
    mem_free(c->stamp);
    mem_free(c->buf);
    memset(c, 0, sizeof *c);
}

static bool same_scc(const ChainCtx *c, uint32_t a, uint32_t b)
{
    return b != CG_NONE && c->st->scc_of[a] == c->st->scc_of[b];
}

void chain_find(ChainCtx *c, uint32_t f, Chain *out)
{
    const CallGraph *cg = c->cg;
    uint32_t s = c->st->scc_of[f];
    out->edges = c->buf;
    out->nedges = 0;
    out->truncated = false;
    if (c->st->begin[s + 1] - c->st->begin[s] > CHAIN_BFS_MAX_SCC) {
        const CgFunc *fn = &cg->funcs[f];
        for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
            if (same_scc(c, f, cg->edges[e].callee)) {
                c->buf[0] = e;
                out->nedges = 1;
                out->truncated = cg->edges[e].callee != f;
                return;
            }
        }
        return;
    }
    if (++c->cur_stamp == 0) {
        memset(c->stamp, 0, ((size_t)cg->nfuncs + 1) * sizeof *c->stamp);
        c->cur_stamp = 1;
    }
    uint32_t head = 0, tail = 0;
    c->stamp[f] = c->cur_stamp;
    c->parent_edge[f] = CG_NONE;
    c->queue[tail++] = f;
    while (head < tail) {
        uint32_t u = c->queue[head++];
        const CgFunc *fu = &cg->funcs[u];
        for (uint32_t e = fu->edge_begin; e < fu->edge_begin + fu->nedges; e++) {
            uint32_t w = cg->edges[e].callee;
            if (!same_scc(c, f, w))
                continue;
            if (w == f) {
                /* Found: the path to u, then e. Count it, then fill backwards. */
                uint32_t len = 1;
                for (uint32_t v = u; v != f; v = cg->edges[c->parent_edge[v]].caller)
                    len++;
                uint32_t i = len;
                c->buf[--i] = e;
                for (uint32_t v = u; v != f; v = cg->edges[c->parent_edge[v]].caller)
                    c->buf[--i] = c->parent_edge[v];
                out->nedges = len;
                return;
            }
            if (c->stamp[w] == c->cur_stamp)
                continue;
            c->stamp[w] = c->cur_stamp;
            c->parent_edge[w] = e;
            c->queue[tail++] = w;
        }
    }
}

static const char *callee_name(const CallGraph *cg, uint32_t e)
{
    uint32_t w = cg->edges[e].callee;
    return w == CG_NONE ? "?" : cg->funcs[w].name;
}

int recursion_report(const CallGraph *cg, const SccTable *st, Result *r)
{
    ChainCtx c;
    if (chain_ctx_init(&c, cg, st) != 0)
        return -1;
    int rc = -1;
    StrBuf sb;
    sbuf_init(&sb);
    ResRelated *rel = NULL;
    size_t relcap = 0;
    for (uint32_t s = 0; s < st->nscc; s++) {
        if (!st->cyclic[s])
            continue;
        uint32_t size = st->begin[s + 1] - st->begin[s];
        for (uint32_t m = st->begin[s]; m < st->begin[s + 1]; m++) {
            uint32_t f = st->members[m];
            r->funcs[f].recursive = true;
            Chain ch;
            chain_find(&c, f, &ch);
            sb.n = 0;
            sbuf_add(&sb, "'%s' is recursive: %s", cg->funcs[f].name, cg->funcs[f].name);
            for (uint32_t i = 0; i < ch.nedges; i++)
                sbuf_add(&sb, " -> %s", callee_name(cg, ch.edges[i]));
            if (ch.truncated)
                sbuf_add(&sb, " -> ... -> %s (a cycle of %u functions)", cg->funcs[f].name, size);
            if (sb.failed)
                goto done;
            if (ch.nedges > relcap) {
                ResRelated *nr = mem_realloc_array(rel, ch.nedges, sizeof *rel);
                if (!nr)
                    goto done;
                rel = nr;
                relcap = ch.nedges;
            }
            for (uint32_t i = 0; i < ch.nedges; i++) {
                const CgEdge *e = &cg->edges[ch.edges[i]];
                const char *msg = arena_printf(&r->arena, "call to '%s' here", callee_name(cg, ch.edges[i]));
                if (!msg)
                    goto done;
                rel[i] = (ResRelated){cg->funcs[e->caller].name, e->call->loc, msg};
            }
            if (!result_add_finding(r, RULE_RECURSION, cg->funcs[f].name, cg->funcs[f].loc, rel,
                                    ch.nedges, "%s", sbuf_str(&sb)))
                goto done;
        }
    }
    rc = 0;
done:
    mem_free(rel);
    sbuf_fini(&sb);
    chain_ctx_fini(&c);
    return rc;
}
