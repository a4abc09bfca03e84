/* The result of a run: per-function frames and inclusive worst cases, per
 * entry worst cases with their paths, and findings. Analyses fill it; the
 * reports read it through a const pointer and never change it. */
#ifndef STACKCHECK_CORE_RESULT_H
#define STACKCHECK_CORE_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/graph.h"
#include "core/rules.h"
#include "core/target.h"
#include "util/arena.h"
#include "limits.h"

typedef enum FrameSource { FRAME_SRC_ESTIMATE, FRAME_SRC_SU, FRAME_SRC_COMPILER, FRAME_SRC_CONFIG,
                           FRAME_SRC_UNKNOWN,
                           FRAME_SRC_LIBRARY /* a library function's own bound (its member not
                                                read): `frame` is its whole worst case */
} FrameSource;

/* Ordered from best to worst: combining two statuses takes the max. */
typedef enum BoundStatus { BOUND_EXACT, BOUND_ESTIMATED, BOUND_INCOMPLETE, BOUND_UNBOUNDED } BoundStatus;

typedef struct ResRelated {
    const char *function;    /* the function the note is in; may be NULL */
    SumLoc loc;
    const char *message;     /* result arena */
} ResRelated;

typedef struct Finding {
    RuleId rule;
    Severity severity;
    const char *function;    /* the function it is about; NULL for none */
    SumLoc loc;              /* where it points */
    SumLoc end;              /* end of the range (0 line: same as loc) */
    const char *message;     /* result arena; lower case, no period, names quoted */
    uint32_t nrelated;
    ResRelated *related;     /* the call chain or the recursive calls */
    bool suppressed;         /* silenced by config or a source comment: kept for JSON, not shown or failing */
    bool has_certain;        /* recursion findings: `certain` is meaningful */
    bool certain;            /* the cycle is one of certain calls (else it needs a possible one) */
    uint32_t entry;          /* findings about an entry's bound (unbounded-stack, budget-*):
                                1 + its index into Result.entries, whose reasons SARIF
                                attaches; 0 (as zeroed) for every other finding */
    const char *fix;         /* findings that are one cause of a gap (dynamic-frame,
                                unknown-stack-cost, unresolved-indirect-call): what
                                settles it, as in BoundReason.fix; NULL otherwise */
} Finding;

/* Per function, parallel to cg->funcs. */
typedef struct FuncResult {
    uint64_t frame;          /* bytes of this function's own frame */
    FrameSource frame_src;
    bool dynamic;            /* VLA or alloca: frame is a lower bound */
    bool recursive;          /* member of a cycle (of any calls) */
    uint32_t scc;            /* SCC index (one per function for acyclic ones) */
    uint64_t max_stack;      /* inclusive worst case from this function down, bytes (saturating) */
    BoundStatus status;      /* of max_stack */
    uint32_t next;           /* the callee on the deepest path from here, CG_NONE at the end */
    const SumCall *next_call;/* the call site of that step, NULL at the end */
    bool recursion_certain;  /* member of a cycle of certain calls */
    bool depth_read;         /* max_stack counts a recursion depth read from
                                the code (depth.c), here or below */
} FuncResult;

typedef struct PathStep {
    uint32_t func;           /* index into cg->funcs */
    uint64_t frame;          /* bytes charged for this step */
    SumLoc call;             /* the call site that leads here (line 0 for the entry) */
    bool repeat;             /* this step closes a cycle: the function is already
                                on the path; frame is 0 (not counted again) */
} PathStep;

typedef enum EntryKind { ENTRY_MAIN, ENTRY_ROOT, ENTRY_USER, ENTRY_THREAD, ENTRY_INTERRUPT } EntryKind;

/* A budget's verdict. Only an upper bound (exact or estimated) can prove a
 * fit: an incomplete or unbounded figure that fits is a lower bound under
 * the budget, which proves nothing (budget-unverified). */
typedef enum BudgetState { BUDGET_NONE, BUDGET_FITS, BUDGET_EXCEEDS, BUDGET_UNVERIFIED } BudgetState;

/* What kind of gap a reason is, each with its own way to settle it. */
typedef enum ReasonKind { REASON_INPUTS, REASON_RECURSION, REASON_DYNAMIC, REASON_EXTERNAL,
                          REASON_INDIRECT,
                          REASON_DEPTH /* not a gap: a recursion depth read from the code
                                          (depth.c) that makes the bound an estimate */
} ReasonKind;

/* Why a bound is not exact, and what would make it so. Interned: entries
 * that share a reason share one BoundReason (result arena). */
typedef struct BoundReason {
    ReasonKind kind;
    const char *text;        /* e.g. "recursion in 'f' (no depth bound)": the wording
                                reports and tools have always read, unchanged */
    const char *fix;         /* the config line or source change that settles it */
    uint32_t id;             /* its number among the run's reasons, in the order
                                they were found (path.c keeps one flag per id) */
} BoundReason;

typedef struct EntryResult {
    uint32_t func;
    EntryKind kind;
    uint64_t bytes;          /* worst case, saturating at UINT64_MAX */
    BoundStatus status;
    bool has_budget;
    uint64_t budget;         /* bytes, when has_budget */
    BudgetState budget_state;/* when has_budget (else BUDGET_NONE) */
    uint32_t npath;          /* steps of the deepest path, at most SC_MAX_PATH_STEPS */
    PathStep *path;          /* NULL: the path follows FuncResult.next from func
                                (read it with result_entry_path); set: these
                                npath steps, path[0] being the entry (tests) */
    uint32_t nreasons;
    const BoundReason **reasons; /* why the bound is not exact, with what would settle each */
    bool path_truncated;     /* the path goes on past SC_MAX_PATH_STEPS steps */
} EntryResult;

/* A change for the worse since a --baseline report (also reported as a
 * RULE_REGRESSION finding). */
typedef enum RegressionKind { REGRESSION_BOUND_GREW, REGRESSION_NEW_FINDING } RegressionKind;

typedef struct Regression {
    RegressionKind kind;
    const char *function;    /* the entry, or the finding's function (may be NULL) */
    SumLoc loc;              /* the entry's definition, or the finding's location */
    const char *rule;        /* new finding: its rule id; NULL for a grown bound */
    const char *message;     /* result arena: the new finding's message, or what grew */
    uint64_t old_bytes;      /* grown bound: before and now (saturating) */
    uint64_t new_bytes;
    BoundStatus old_status;
    BoundStatus new_status;
} Regression;

typedef struct Result {
    Arena arena;             /* owns every array and string below */
    const CallGraph *cg;     /* borrowed */
    const Target *target;
    FuncResult *funcs;       /* cg->nfuncs items */
    EntryResult *entries;    /* sorted by bytes, largest first, then name */
    size_t nentries;
    Finding *findings;       /* sorted by file, line, column, rule */
    size_t nfindings;
    size_t findings_cap;
    bool incomplete_inputs;  /* some files were not analyzed (--keep-going) */
    const BoundReason **reasons; /* every distinct reason of the entries, once, in the
                                    order the entry table first shows it */
    size_t nreasons;
    bool has_baseline;       /* --baseline was given: regressions below are meaningful */
    Regression *regressions; /* result arena; in output order */
    size_t nregressions;
    /* The combined check (config "stack_size"): the worst task entry plus
     * `stack_nesting` times the worst interrupt entry plus the exception
     * frame, against stack_size. Bytes, saturating. */
    bool has_stack_check;
    uint64_t stack_size, stack_task, stack_irq, stack_nesting, stack_exception, stack_total;
    BoundStatus stack_status;  /* of stack_total: the worst of every entry's, since
                                  an incomplete entry may be the real worst */
    BudgetState stack_state;   /* the check's verdict, as for an entry's budget */
    uint32_t stack_task_entry, stack_irq_entry; /* index into entries; UINT32_MAX: none */
} Result;

/* Returns a new empty result over `cg`, or NULL. Free with result_free. */
Result *result_new(const CallGraph *cg, const Target *target);
void result_free(Result *r);

/* Appends a finding; the message is formatted into the result arena, and
 * `related` (nrelated items) is copied. Returns the finding or NULL when
 * memory runs out. */
Finding *result_add_finding(Result *r, RuleId rule, const char *function, SumLoc loc,
                            const ResRelated *related, uint32_t nrelated, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* Writes the deepest path of entry `e` into out (room for e->npath steps,
 * at most SC_MAX_PATH_STEPS): out[0] is the entry, each next step the
 * callee of the deepest call (FuncResult.next) with that call's site; a
 * step that reaches a function already on the path closes a cycle (repeat,
 * frame 0) and ends it. Returns e->npath. Paths are not stored per entry:
 * on a million functions they were a gigabyte of mostly shared steps. */
uint32_t result_entry_path(const Result *r, const EntryResult *e, PathStep *out);

/* Sorts findings into their output order (file, line, column, rule, message). */
void result_sort(Result *r);

/* Combining statuses: the worse of the two. */
static inline BoundStatus bound_worse(BoundStatus a, BoundStatus b) { return a > b ? a : b; }

/* Saturating add of stack bytes. */
static inline uint64_t stack_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

const char *bound_status_name(BoundStatus s);   /* "exact", "estimated", ... */
const char *budget_state_name(BudgetState s);   /* "fits", "exceeds", "unverified"; "" for none */
const char *reason_kind_name(ReasonKind k);     /* "inputs", "recursion", "dynamic", "external", "indirect", "depth" */
const char *frame_source_name(FrameSource s);   /* "estimate", "su", "compiler", "config", "unknown",
                                                   "library" */

#endif
