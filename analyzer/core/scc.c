/* This file finds the strongly connected components of the linked call
 * graph with an iterative Tarjan (explicit stacks, no recursion), numbering
 * them in reverse topological order: callees before callers; over every
 * edge, or over the certain edges only. */
#include <string.h>

#include "core/analyze.h"
#include "core/core_int.h"
#include "util/mem.h"

typedef struct Frame {
    uint32_t node;
    uint32_t next_edge; /* index into cg->edges of the next out-edge to look at */
} Frame;

static long scc_compute_sel(const CallGraph *cg, uint32_t *scc_of, bool certain_only)
{
    uint32_t n = cg->nfuncs;
    if (n == 0)
        return 0;
    long rc = -1;
    uint32_t *index = mem_alloc_array(n, sizeof *index);
    uint32_t *low = mem_alloc_array(n, sizeof *low);
    uint32_t *stack = mem_alloc_array(n, sizeof *stack);
    Frame *calls = mem_alloc_array(n, sizeof *calls);
    bool *on_stack = mem_calloc(n, sizeof *on_stack);
    if (!index || !low || !stack || !calls || !on_stack)
        goto done;
    for (uint32_t i = 0; i < n; i++)
        index[i] = CG_NONE;
    uint32_t next_index = 0, sp = 0, nscc = 0;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != CG_NONE)
            continue;
        uint32_t depth = 0;
        calls[depth++] = (Frame){root, cg->funcs[root].edge_begin};
        index[root] = low[root] = next_index++;
        stack[sp++] = root;
        on_stack[root] = true;
        while (depth > 0) {
            Frame *fr = &calls[depth - 1];
            uint32_t v = fr->node;
            uint32_t end = cg->funcs[v].edge_begin + cg->funcs[v].nedges;
            if (fr->next_edge < end) {
                const CgEdge *ed = &cg->edges[fr->next_edge++];
                uint32_t w = ed->callee;
                if (w == CG_NONE || (certain_only && !ed->certain))
                    continue;
                if (index[w] == CG_NONE) {
                    index[w] = low[w] = next_index++;
                    stack[sp++] = w;
                    on_stack[w] = true;
                    calls[depth++] = (Frame){w, cg->funcs[w].edge_begin};
                } else if (on_stack[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            /* v is finished. */
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    on_stack[w] = false;
                    scc_of[w] = nscc;
                } while (w != v);
                nscc++;
            }
            depth--;
            if (depth > 0) {
                uint32_t u = calls[depth - 1].node;
                if (low[v] < low[u])
                    low[u] = low[v];
            }
        }
    }
    rc = (long)nscc;
done:
    mem_free(index);
    mem_free(low);
    mem_free(stack);
    mem_free(calls);
    mem_free(on_stack);
    return rc;
}

long scc_compute(const CallGraph *cg, uint32_t *scc_of)
{
    return scc_compute_sel(cg, scc_of, false);
}

void scc_table_fini(SccTable *t)
{
    mem_free(t->scc_of);
    mem_free(t->members);
    mem_free(t->begin);
    mem_free(t->cyclic);
    memset(t, 0, sizeof *t);
}

int scc_table_build(const CallGraph *cg, SccTable *t, bool certain_only)
{
    memset(t, 0, sizeof *t);
    t->certain_only = certain_only;
    uint32_t n = cg->nfuncs;
    t->scc_of = mem_alloc_array(n ? n : 1, sizeof *t->scc_of);
    if (!t->scc_of)
        goto fail;
    long ns = scc_compute_sel(cg, t->scc_of, certain_only);
    if (ns < 0)
        goto fail;
    t->nscc = (uint32_t)ns;
    t->members = mem_alloc_array(n ? n : 1, sizeof *t->members);
    t->begin = mem_calloc((size_t)t->nscc + 1, sizeof *t->begin);
    t->cyclic = mem_calloc(t->nscc ? t->nscc : 1, sizeof *t->cyclic);
    if (!t->members || !t->begin || !t->cyclic)
        goto fail;
    /* Counting sort of the functions by SCC keeps each SCC's members ascending. */
    for (uint32_t f = 0; f < n; f++)
        t->begin[t->scc_of[f] + 1]++;
    for (uint32_t s = 0; s < t->nscc; s++)
        t->begin[s + 1] += t->begin[s];
    uint32_t *fill = mem_alloc_array(t->nscc ? t->nscc : 1, sizeof *fill);
    if (!fill)
        goto fail;
    memcpy(fill, t->begin, (size_t)t->nscc * sizeof *fill);
    for (uint32_t f = 0; f < n; f++)
        t->members[fill[t->scc_of[f]]++] = f;
    mem_free(fill);
    for (uint32_t s = 0; s < t->nscc; s++)
        if (t->begin[s + 1] - t->begin[s] > 1)
            t->cyclic[s] = true;
    for (uint32_t e = 0; e < cg->nedges; e++)
        if (cg->edges[e].callee == cg->edges[e].caller && (!certain_only || cg->edges[e].certain))
            t->cyclic[t->scc_of[cg->edges[e].caller]] = true;
    return 0;
fail:
    scc_table_fini(t);
    return -1;
}
