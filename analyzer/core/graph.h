/* The linked whole-program call graph: every function defined in any input
 * (static ones per TU) plus every external callee, and one edge per counted
 * call site. Built by cg_link from the TU summaries; read-only afterwards. */
#ifndef STACKCHECK_CORE_GRAPH_H
#define STACKCHECK_CORE_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "summary/summary.h"
#include "util/arena.h"

#define CG_NONE UINT32_MAX

typedef struct CgFunc {
    const char *name;        /* borrowed from a summary or cg arena */
    const char *usr;         /* ditto */
    SumLinkage linkage;
    SumLoc loc;              /* definition; for externals the first call */
    const SumFunction *def;  /* NULL: external (no definition in the inputs) */
    uint32_t tu;             /* index of the defining summary; CG_NONE for externals */
    uint32_t edge_begin;     /* out-edges: edges[edge_begin .. edge_begin+nedges) */
    uint32_t nedges;
    bool noreturn;           /* declared or known never to return */
} CgFunc;

/* How an edge's callee was found. The first three give one target known
 * exactly; the others are inferences (what the pointer may hold). */
typedef enum CgHow {
    CG_HOW_DIRECT,     /* the callee is named at the call */
    CG_HOW_SOLE,       /* a local pointer whose only value is one function */
    CG_HOW_DECLARED,   /* a targets() comment or config "indirect" entry */
    CG_HOW_MEMBER,     /* functions stored into the member called through */
    CG_HOW_PARAM,      /* functions passed at the parameter called through */
    CG_HOW_TYPE,       /* address-taken functions of the pointee type */
    CG_HOW_NONE        /* unresolved: callee is CG_NONE */
} CgHow;

/* One counted call (reachable call sites only). Invariant: caller < nfuncs;
 * callee < nfuncs or CG_NONE for an unresolved indirect call. An edge is
 * certain when the call happens whenever it is reached and goes to this
 * callee: a direct call, or a pointer call with exactly one target known
 * exactly (CG_HOW_SOLE, or CG_HOW_DECLARED naming one function). Every other
 * edge is possible: the stack bound counts it, claims that recursion can
 * never end never rest on it. */
typedef struct CgEdge {
    uint32_t caller;
    uint32_t callee;
    const SumCall *call;     /* the call site, borrowed from the summary */
    uint8_t how;             /* CgHow */
    bool certain;
} CgEdge;

/* A second definition of an external function (ODR-like conflict). */
typedef struct CgDuplicate {
    uint32_t func;           /* the definition kept */
    uint32_t tu;             /* the TU of the ignored one */
    const SumFunction *def;  /* the ignored definition */
} CgDuplicate;

typedef struct CallGraph {
    Arena arena;             /* owns the arrays below and any strings made here */
    TuSummary *const *tus;   /* borrowed: must outlive the graph */
    size_t ntus;
    CgFunc *funcs;           /* definitions first in input order, then externals */
    uint32_t nfuncs;
    CgEdge *edges;           /* grouped by caller, in call-site order */
    uint32_t nedges;
    CgDuplicate *dups;
    uint32_t ndups;
    uint32_t *thread_starts; /* functions passed as the start routine of
                                pthread_create / thrd_create (arena, unique,
                                ascending); entries of their own */
    uint32_t nthread_starts;
} CallGraph;

/* Links `ntus` summaries (borrowed; they must outlive the graph) into one
 * call graph. On success sets *out to a new graph the caller frees with
 * cg_free and returns 0; returns -1 when memory runs out (*out untouched). */
int cg_link(TuSummary *const *tus, size_t ntus, CallGraph **out);
void cg_free(CallGraph *cg);

/* Returns the index of the first function named `name` (definitions before
 * externals), or CG_NONE. */
uint32_t cg_find_by_name(const CallGraph *cg, const char *name);

/* Declared targets of indirect calls (config "indirect"): `site` is a call
 * site "FILE:LINE" (FILE compared by path, path suffix or basename) or a
 * struct member "tag.member" (also "struct tag.member"). A declared target
 * set replaces what the linker would infer. Strings borrowed. */
typedef struct IndirectHint {
    const char *site;
    const char *const *targets; /* function names */
    size_t ntargets;
} IndirectHint;

/* cg_link with declared indirect targets (`hints` borrowed for the call;
 * the graph keeps no pointer into them). Same contract as cg_link. */
int cg_link_hints(TuSummary *const *tus, size_t ntus, const IndirectHint *hints, size_t nhints,
                  CallGraph **out);

#endif
