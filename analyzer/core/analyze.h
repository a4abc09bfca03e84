/* The analyses over a linked call graph: cycles, base cases, convergence,
 * frames, worst-case paths and budgets. They never print: everything they
 * find goes into the Result. */
#ifndef STACKCHECK_CORE_ANALYZE_H
#define STACKCHECK_CORE_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame_su.h"
#include "core/graph.h"
#include "core/result.h"
#include "core/target.h"

/* A name or glob pattern (fnmatch syntax) with a number. */
typedef struct NamedBytes {
    const char *pattern;     /* NULL: the default for everything unmatched */
    uint64_t value;
} NamedBytes;

typedef struct AnalysisOptions {
    const Target *target;            /* required */
    const char *const *entries;      /* extra entry names (--entry, config) */
    size_t nentries;
    const NamedBytes *budgets;       /* first matching pattern wins */
    size_t nbudgets;
    const NamedBytes *externals;     /* stack cost of external callees */
    size_t nexternals;
    const NamedBytes *max_depth;     /* recursion depth bound per function */
    size_t nmax_depth;
    bool incomplete_inputs;          /* files were skipped: every bound is incomplete */
    const IndirectHint *indirect;    /* declared indirect-call targets (config
                                        "indirect"); used by cg_link_hints */
    size_t nindirect;
    const char *const *interrupts;   /* glob patterns: interrupt entries (config) */
    size_t ninterrupts;
    uint64_t stack_size;             /* bytes; 0: no combined budget check */
    uint64_t interrupt_nesting;      /* interrupts that can stack up (K) */
    uint64_t exception_frame;        /* bytes the hardware pushes per interrupt */
    const SuTable *frames_su;        /* compiler-measured frames (sorted); NULL: none */
    bool frames_from_compiler;       /* they came from --frames compiler (source name) */
    EstimateModel estimate_for;      /* the compiler the AST estimate models; ESTIMATE_ANY (0)
                                        by default: the larger of gcc's and clang's frames */
} AnalysisOptions;

/* Runs every analysis. On success sets *out to a new Result (free with
 * result_free) and returns 0; -1 when memory runs out. */
int analyze_run(const CallGraph *cg, const AnalysisOptions *opt, Result **out);

/* --- the individual analyses, exported for unit tests --- */

/* Iterative Tarjan over cg: fills scc_of[f] (SCC index per function, in
 * reverse topological order: callees' SCCs get lower indexes than their
 * callers') and returns the number of SCCs, or -1 when memory runs out.
 * scc_of has cg->nfuncs items, caller storage. */
long scc_compute(const CallGraph *cg, uint32_t *scc_of);

#endif
