/* The linked whole-program call graph: every function defined in any input
 * (static ones per TU) plus every external callee, and one edge per counted
 * call site. Built by cg_link from the TU summaries; read-only afterwards. */
#ifndef STACKCHECK_CORE_GRAPH_H
#define STACKCHECK_CORE_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "summary/sum_index.h"
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
    bool library;            /* defined in a library member (--library): never an
                                entry of its own, and its findings are left out
                                unless the graph's report_library is set */
    uint8_t lib_status;      /* an external the library's own bound stands for
                                (SumBoundStatus, 0: none): its member was not
                                read; lib_bytes is its inclusive worst case */
    uint64_t lib_bytes;
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
    size_t nprogram;         /* tus[0 .. nprogram) are the program's, the rest
                                library members */
    bool report_library;     /* --report-library: library functions get findings */
} CallGraph;

/* True when findings about function f are left out: a library function
 * without --report-library. Its problems still reach the program's bounds
 * and their reasons. */
static inline bool cg_quiet(const CallGraph *cg, uint32_t f)
{
    return f < cg->nfuncs && cg->funcs[f].library && !cg->report_library;
}

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

/* cg_link_hints over the program's summaries (tus[0 .. nprogram)) and
 * library members pulled for it (the rest, in cg_pull's order). A member's
 * definition of a name the program or an earlier member defines is dropped
 * silently (the program's own definition overrides the library's; of two
 * libraries the first wins). Library functions the program cannot reach
 * (by any edge, from any of its functions) are left out of the graph, with
 * the externals only they call; a function started as a thread by the
 * program, one whose address the program takes, and one named in `roots`
 * (nroots function names: entries named explicitly) count as reached;
 * thread starts inside library code do not. */
int cg_link_program(TuSummary *const *tus, size_t ntus, size_t nprogram, const char *const *roots,
                    size_t nroots, const IndirectHint *hints, size_t nhints, CallGraph **out);

/* A library member pulled by cg_pull: its summary (owned by the caller once
 * returned) and where it came from. */
typedef struct CgPulled {
    TuSummary *tu;
    uint32_t lib;            /* index into the libraries given */
    uint32_t member;         /* index into that library's members */
} CgPulled;

/* Loads member `member` of library `lib` into *out (a new summary). Returns
 * 0; 1 when it cannot be read (the loader says why); -1 when memory runs
 * out. */
typedef int (*CgLoadMember)(void *ctx, uint32_t lib, uint32_t member, TuSummary **out);

/* Pulls library members for the program's nprog summaries like a linker
 * pulls archive members: each external function the program names (a
 * direct call, a function passed as an argument, a sole pointer target, an
 * address taken, or one of the nroots function names in `roots`: entries
 * named explicitly) and nothing loaded defines is looked up in the indexes,
 * the first library defining it wins, its member is loaded with `load`,
 * and what that member names is looked up in turn (a member stands for the
 * names the symbol table gives it only: an earlier library's definition of
 * a name it also defines is pulled all the same, and wins in the link). Sets *out (mem_free the
 * array; the summaries are the caller's) to the members loaded, sorted by
 * library then member, and returns 0; returns load's 1, 2 with *bad_lib set
 * when a lookup met a damaged entry of that library's index, or -1 when
 * memory runs out (everything loaded is freed then). */
int cg_pull(TuSummary *const *prog, size_t nprog, const char *const *roots, size_t nroots,
            const SumIndex *const *libs, size_t nlibs, CgLoadMember load, void *ctx, CgPulled **out,
            size_t *nout, uint32_t *bad_lib);

/* A library function a run takes the library's own bound for instead of
 * its member (cg_pull_bounded). `key` is its USR, borrowed from the index. */
typedef struct CgBound {
    const char *key;
    uint32_t bytes;
    uint8_t status;          /* SumBoundStatus */
} CgBound;

/* cg_pull, and when `use_bounds` (one library, and nothing in the run that
 * could change a library bound: the caller's to decide) a name whose symbol
 * carries the library's own bound (sum_index_bound) is not pulled: it is
 * listed in *bounds (mem_free it; *nbounds items) and stays an external of
 * that cost. Only while the program defines no function the library
 * defines (an override may sit inside any bound's call tree): then every
 * name is pulled, as by cg_pull. Names in `roots` are always pulled. */
int cg_pull_bounded(TuSummary *const *prog, size_t nprog, const char *const *roots, size_t nroots,
                    const SumIndex *const *libs, size_t nlibs, CgLoadMember load, void *ctx, bool use_bounds,
                    CgPulled **out, size_t *nout, CgBound **bounds, size_t *nbounds, uint32_t *bad_lib);

/* Gives each external of cg that one of the n bounds names (by USR) that
 * bound (CgFunc.lib_status, lib_bytes) and marks it a library function.
 * Returns 0, or -1 when memory runs out. */
int cg_set_bounds(CallGraph *cg, const CgBound *b, size_t n);

#endif
