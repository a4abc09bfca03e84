/* Private declarations shared by the analyses in analyzer/core: a string
 * hash map for linking, the SCC membership table, and the per-step entry
 * points analyze_run chains together. Nothing outside analyzer/core includes it. */
#ifndef STACKCHECK_CORE_CORE_INT_H
#define STACKCHECK_CORE_CORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/analyze.h"
#include "core/graph.h"
#include "core/result.h"
#include "core/target.h"
#include "summary/summary.h"

/* --- hashmap.c: open-addressing map from (string, tag) to a uint32_t --- */

typedef struct HmapSlot {
    const char *key;  /* borrowed; NULL marks an empty slot */
    uint64_t hash;
    uint32_t tag;     /* second key part (TU index, or 0) */
    uint32_t value;
} HmapSlot;

typedef struct Hmap {
    HmapSlot *slots;  /* owned (mem.h); cap items, cap a power of two */
    size_t cap;
    size_t n;
} Hmap;

void hmap_init(Hmap *m);
void hmap_fini(Hmap *m);
/* Returns the value stored for (key, tag), or CG_NONE. */
uint32_t hmap_get(const Hmap *m, const char *key, uint32_t tag);
/* Makes room for n entries without rehashing. Returns 0 or -1 (memory). */
int hmap_reserve(Hmap *m, size_t n);
/* Stores (key, tag) -> value; the key is borrowed and must outlive the map.
 * Replaces an existing value. Returns 0, or -1 when memory runs out. */
int hmap_put(Hmap *m, const char *key, uint32_t tag, uint32_t value);

/* --- strbuf.c: a growable string for building messages --- */

typedef struct StrBuf {
    char *p;          /* owned (mem.h); NUL-terminated when n > 0 */
    size_t n, cap;
    bool failed;      /* sticky: memory ran out */
} StrBuf;

void sbuf_init(StrBuf *b);
void sbuf_fini(StrBuf *b);
/* Appends printf-formatted text; on failure sets b->failed. */
void sbuf_add(StrBuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The text so far ("" when empty). */
const char *sbuf_str(const StrBuf *b);

/* --- scc.c: the SCCs as member lists --- */

typedef struct SccTable {
    uint32_t nscc;
    uint32_t *scc_of;     /* owned; per function */
    uint32_t *members;    /* owned; function indexes grouped by SCC, ascending within one */
    uint32_t *begin;      /* owned; nscc + 1 items: members of s are members[begin[s] .. begin[s+1]) */
    bool *cyclic;         /* owned; per SCC: two or more members, or a self-loop */
    bool certain_only;    /* built over the certain edges only */
} SccTable;

/* Fills t from cg, over every edge or (certain_only) over the certain edges
 * only. Returns 0, or -1 when memory runs out (t then holds nothing to
 * free). Free with scc_table_fini. */
int scc_table_build(const CallGraph *cg, SccTable *t, bool certain_only);
void scc_table_fini(SccTable *t);

/* --- frame.c --- */

/* Returns the AST estimate of f's frame on t in bytes under compiler model
 * m (a target without a gcc model treats gcc as any); sets *dynamic when
 * the frame has a VLA or alloca (the figure is then the static part). */
uint64_t frame_estimate(const SumFunction *f, const Target *t, EstimateModel m, bool *dynamic);

/* The two views of recursion: every edge (what the stack bound must count)
 * and certain edges only (what a claim that recursion cannot end may rest
 * on). A certain SCC lies inside one SCC of `all`. */
typedef struct Cycles {
    SccTable all;
    SccTable certain;
    /* Per SCC of `all`: when its cycle needs a possible call (it is not one
     * cyclic certain SCC), the possible edge that closes the chain its
     * recursion finding shows; CG_NONE otherwise. Owned. */
    uint32_t *closing;
} Cycles;

/* --- recursion.c: cycles and their chains --- */

/* One concrete chain from member f around its cycle back to f: the edges
 * taken, in order. */
typedef struct Chain {
    uint32_t *edges;      /* owned by the caller of chain_find; nedges items */
    uint32_t nedges;
    bool truncated;       /* the SCC was too large for a shortest chain: the
                             chain is the walk through the SCC's root */
} Chain;

/* Scratch space for chain searches over one graph. Searches walk states
 * (function, whether a possible edge was taken): 2 * nfuncs of them. */
typedef struct ChainCtx {
    const CallGraph *cg;
    const SccTable *st;     /* chains stay inside its SCCs and, when it is a
                               certain table, take certain edges only */
    uint32_t *parent_edge;  /* per state: the edge that reached it */
    uint32_t *parent_state; /* per state: the state that edge left */
    uint32_t *queue;        /* states */
    uint32_t *stamp;        /* per state: search number that visited it */
    uint32_t cur_stamp;
    uint32_t *buf;          /* chain output buffer (nfuncs + 1 items) */
} ChainCtx;

int chain_ctx_init(ChainCtx *c, const CallGraph *cg, const SccTable *st);
void chain_ctx_fini(ChainCtx *c);
/* Finds the shortest chain of edges from f back to f inside f's SCC (f must
 * be in a cyclic SCC). out->edges points into c's buffer (valid until the
 * next call). */
void chain_find(ChainCtx *c, uint32_t f, Chain *out);
/* As chain_find, but the chain takes at least one possible edge (f's SCC
 * must hold one). */
void chain_find_possible(ChainCtx *c, uint32_t f, Chain *out);

/* "'ops->read' (targets of member 'ops.read')": the pointer call of edge e
 * and how its targets were found, in r's arena; NULL when memory runs out. */
const char *cycle_edge_text(const CallGraph *cg, uint32_t e, Result *r);

/* Builds both SCC tables and reports RULE_RECURSION once per cycle: each
 * cyclic certain SCC (certain) and each cyclic SCC of `all` that needs a
 * possible call (possible), on its first function by file and line. Fills
 * r->funcs[].recursive, .recursion_certain and .scc, and cy (free it with
 * cycles_fini, also after a failure). Returns 0 or -1 (memory). */
int recursion_report(const CallGraph *cg, Cycles *cy, Result *r);
void cycles_fini(Cycles *cy);

/* --- basecase.c --- */

/* Reports RULE_MISSING_BASE_CASE over the certain SCCs `st` (a path is a
 * way out unless it passes a certain call back into the SCC); sets
 * no_base[s] for every cyclic SCC s without a base case (no_base has
 * st->nscc items, caller storage). Returns 0 or -1 (memory). */
int base_check(const CallGraph *cg, const SccTable *st, Result *r, bool *no_base);

/* --- converge.c --- */

/* Reports RULE_NON_CONVERGENT over the cyclic certain SCCs `st` with a
 * base case, following certain edges only. Returns 0 or -1 (memory). */
int converge_check(const CallGraph *cg, const SccTable *st, const bool *no_base, Result *r);

/* --- depth.c --- */

/* Reads a recursion depth bound from the code for each cyclic SCC of `st`
 * (the one of every edge) that carries a counter parameter or a depth
 * counter in memory: depth[s] trips (0: none) and why[s], the evidence, in
 * r's arena (NULL: none). depth and why have st->nscc items, caller
 * storage. Returns 0 or -1 (memory). */
int depth_read(const CallGraph *cg, const SccTable *st, const AnalysisOptions *opt, Result *r,
               uint64_t *depth, const char **why);

/* --- path.c --- */

/* Frames, inclusive worst cases, entries with their paths and reasons, and
 * the findings about bounds (unbounded, dynamic, unresolved, unknown cost,
 * duplicates, budgets). Returns 0 or -1 (memory). */
int path_compute(const CallGraph *cg, const Cycles *cy, const AnalysisOptions *opt, Result *r);

/* --- budget.c --- */

/* Returns the first NamedBytes whose pattern matches name (fnmatch), else
 * the first one with a NULL pattern, else NULL. */
const NamedBytes *budget_match(const NamedBytes *list, size_t n, const char *name);

/* Sets each entry's budget and reports RULE_BUDGET_EXCEEDED. Returns 0 or -1. */
int budget_check(const AnalysisOptions *opt, Result *r);

#endif
