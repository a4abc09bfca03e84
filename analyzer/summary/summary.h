/* The per-translation-unit summary: everything the analyses need to know
 * about one parsed file, as plain C data (no libclang types), so that it can
 * be cached, serialized and produced in parallel. */
#ifndef STACKCHECK_SUMMARY_H
#define STACKCHECK_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"

/* Version of the summary format; bump on any change to these structs that
 * a serialized summary would carry. */
#define SUM_FORMAT_VERSION 4

/* A source position. `file` is an arena string owned by the summary (the
 * path as clang spelled it: the FILE argument for the main file, the
 * include path for headers). line and col are 1-based; 0 means unknown. */
typedef struct SumLoc {
    const char *file;
    unsigned line;
    unsigned col;
} SumLoc;

typedef enum SumLinkage {
    SUM_LINK_EXTERNAL, /* one definition program-wide, keyed by USR */
    SUM_LINK_INTERNAL  /* static: keyed by (TU path, USR) */
} SumLinkage;

/* Scalar class of a parameter or argument, for the calling convention and
 * for the convergence check. */
typedef enum SumClass {
    SUM_CLASS_INT,      /* integer, enum, bool (signedness in is_unsigned) */
    SUM_CLASS_POINTER,  /* data or function pointer */
    SUM_CLASS_FLOAT,    /* float, double, long double */
    SUM_CLASS_AGGREGATE,/* struct, union, array passed by value (large args) */
    SUM_CLASS_OTHER     /* complex, vectors, anything else */
} SumClass;

typedef struct SumParam {
    const char *name;   /* arena; "" when unnamed */
    uint64_t size;      /* bytes for the target; 0 when unknown */
    uint64_t align;     /* bytes; 0 when unknown */
    SumClass cls;
    bool is_unsigned;   /* integer class only */
    bool modified;      /* assigned, incremented or address-taken in the body
                           (or an inline asm operand): the convergence check
                           ignores such parameters. Not set for an integer
                           parameter whose one change is a ++/-- passed
                           directly as an argument that nothing reads from
                           that call on (`f(n--)`: the call sees n's entry
                           value) */
} SumParam;

/* A local variable with automatic storage (static locals are not on the
 * stack and are not recorded). */
typedef struct SumLocal {
    const char *name;   /* arena */
    uint64_t size;      /* bytes; 0 when dynamic (VLA) */
    uint64_t align;     /* bytes */
    bool vla;           /* variable-length array: the frame is dynamic */
    SumLoc loc;
} SumLocal;

typedef enum SumCmp {
    SUM_CMP_LT, SUM_CMP_LE, SUM_CMP_GT, SUM_CMP_GE, SUM_CMP_EQ, SUM_CMP_NE
} SumCmp;

/* A fact that holds whenever control reaches a call: `param OP value`, over
 * the caller's parameter with index `param` (never a modified one); or,
 * when `field` is set, `param->member OP value`: `param` is an unmodified
 * pointer parameter and the guard reads one integer member through it
 * (`p->i`, `(*p).i`), named by its key "struct tag.member". */
typedef struct SumGuard {
    uint32_t param;
    SumCmp op;
    int64_t value;
    const char *field;       /* arena; NULL: the parameter itself */
} SumGuard;

/* One argument at a call site. */
typedef struct SumArg {
    uint64_t size;      /* bytes of the argument's type for the target */
    SumClass cls;
    /* How the argument relates to the caller's parameters: when `param` >= 0
     * the argument is exactly `caller param #param + offset` (offset 0 for
     * the parameter passed unchanged); -1 when anything else. */
    int32_t param;
    int64_t offset;
    /* When the argument is exactly a function designator (`f` or `&f`,
     * through casts): that function, for callbacks and thread start
     * routines. NULL otherwise. Arena strings. */
    const char *fn_usr;
    const char *fn_name;
    bool fn_internal;        /* that function has internal linkage */
    /* The argument names a local variable or a parameter of the caller
     * directly (through parentheses and implicit casts): -O0 code copies a
     * struct passed by value straight from it into the call's argument
     * area, with no temporary copy of its own (the frame model). */
    bool in_place;
    /* The argument is the integer constant `value` (as written, before the
     * conversion to the parameter's type): what a recursion's counter is
     * entered with (`visit(1)`). */
    bool has_value;
    int64_t value;
} SumArg;

/* A depth counter in memory at a call (SumCall.counter): the integer member
 * `field` read through the unmodified pointer parameter `param` (or, when
 * `global`, a variable of static storage), of an unsigned type, that the caller increments by `inc` (>= 1) on every path
 * from its entry to the call and compares with a constant on that path, so
 * that whenever the check let control go on the counter was at most `limit`.
 * Between the check and the call the body writes the member only by those
 * increments; its other writes of the member (of any object) are decrements
 * after the call, never more than `inc` on a path, reached only through the
 * increment (fe_cfg.c depth_counter). */
typedef struct SumCounter {
    const char *field;       /* arena: "struct tag.member"; for a global, "var " + its USR */
    bool global;             /* a variable of static storage (an unsigned integer
                                global or static), not a member: `param` unused */
    uint32_t param;
    uint64_t limit;
    uint32_t inc;
    SumLoc check;            /* the comparison */
} SumCounter;

typedef enum SumCallKind {
    SUM_CALL_DIRECT,   /* callee named: callee_usr/callee_name set */
    SUM_CALL_INDIRECT  /* through a pointer: type (and field) set */
} SumCallKind;

typedef struct SumCall {
    SumCallKind kind;
    const char *callee_usr;  /* direct: the callee's USR (arena) */
    const char *callee_name; /* direct: its name; indirect: the callee
                                expression as written, e.g. "ops->read" */
    bool callee_internal;    /* direct: callee has internal linkage, so the
                                linker looks for it in this TU only */
    bool callee_noreturn;    /* callee never returns (the block ends here) */
    const char *fn_type;     /* indirect: the pointee function type spelling */
    const char *field;       /* indirect through a struct member:
                                "struct tag.member" (or "typedefname.member");
                                NULL otherwise */
    SumLoc loc;              /* the call expression's start */
    uint32_t block;          /* index into SumFunction.blocks */
    bool reachable;          /* false: its block cannot be reached from entry
                                (after return, if (0), ...). Not counted. */
    uint32_t nargs;
    SumArg *args;            /* arena, nargs items */
    /* Convergence facts: when guards_known, at the first arrival at this
     * call within an invocation all `guards` hold on the parameters' entry
     * values (and the argument relations hold), and whenever they all hold
     * on entry that first arrival certainly happens (no earlier exit can be
     * taken; a while or for body is entered once its condition, a guard,
     * held). When false the check ignores this call. */
    bool guards_known;
    uint32_t nguards;
    SumGuard *guards;        /* arena */
    /* Bound facts: over unmodified parameters (never members), facts that
     * hold whenever this call is reached, on any arrival, taken from the
     * enclosing conditions and the earlier exits with no jump target
     * between them and the call (weaker than guards: the call need not be
     * reached when they hold). What the recursion depth of a counter
     * parameter is read from. */
    uint32_t nfacts;
    SumGuard *facts;         /* arena */
    /* A depth counter in memory checked and incremented before this call;
     * NULL when none. Arena. */
    const SumCounter *counter;
    /* Indirect: 1 + index of the caller's parameter the call goes through
     * (`cb(x)` with `cb` a parameter); 0 when it is not a parameter. */
    uint32_t via_param;
    /* Indirect: targets from a `// stackcheck: targets(a, b)` comment on
     * the call's line, as written ("a,b"); NULL when there is none. */
    const char *targets;
    /* Indirect: the one function the called pointer can hold, when the front
     * end knows it exactly: a local or static local pointer variable whose
     * only value is one function designator (its initializer or its one
     * assignment), or a file-scope static one initialized so, that is
     * otherwise only called through in its scope (never assigned again,
     * never address-taken, never passed on or read). The linker makes such
     * a call a certain edge. NULL otherwise. Arena strings. */
    const char *sole_usr;
    const char *sole_name;
    bool sole_internal;      /* that function has internal linkage */
} SumCall;

typedef enum SumExit {
    SUM_EXIT_NONE,     /* falls through to its successors */
    SUM_EXIT_RETURN,   /* return statement or the end of the body */
    SUM_EXIT_NORETURN  /* ends at a call that never returns */
} SumExit;

/* A basic block of the function's control-flow graph. Block 0 is the entry.
 * Calls belong to blocks through SumCall.block; within a block, calls run in
 * the order of SumFunction.calls. A block ending in a noreturn call has no
 * successors. */
typedef struct SumBlock {
    uint32_t succ_begin; /* index into SumFunction.succ */
    uint32_t nsucc;
    SumExit exit;
} SumBlock;

typedef struct SumFunction {
    const char *name;        /* arena */
    const char *usr;         /* arena */
    SumLinkage linkage;
    SumLoc loc;              /* the function name in its definition */
    SumLoc end;              /* the end of the definition (closing brace) */
    bool returns_void;
    bool is_variadic;
    bool is_noreturn;        /* declared noreturn */
    bool address_taken;      /* its address is taken somewhere in this TU */
    bool has_alloca;         /* calls alloca/__builtin_alloca: dynamic frame */
    bool is_interrupt;       /* carries an interrupt attribute */
    uint64_t max_depth;      /* from annotate("stackcheck:max_depth=N"); 0 none */
    uint64_t ret_size;       /* bytes of the return type; 0 for void */
    SumClass ret_cls;
    uint32_t nparams;
    SumParam *params;        /* arena */
    uint32_t nlocals;
    SumLocal *locals;        /* arena */
    uint32_t ncalls;
    SumCall *calls;          /* arena, in source order */
    uint32_t nblocks;
    SumBlock *blocks;        /* arena; blocks[0] is the entry */
    uint32_t nsucc;
    uint32_t *succ;          /* arena; successor block indexes */
    /* Memory the body may write, for member guards and depth counters: the
     * keys ("struct tag.member") of every member assigned, incremented or
     * address-taken through any object, and ("var " + USR) of every scalar
     * variable of static storage stored into; writes_unknown when it may
     * also write memory no key names (a store through `*q` or `a[i]`, to a
     * static array or struct, of a whole struct or union, into a union
     * member, a memory builtin or memcpy/memset/memmove, inline assembly). */
    uint32_t nwrites;
    const char **writes;     /* arena, nwrites unique keys */
    bool writes_unknown;
    /* Declared `__attribute__((alias("target")))` (musl's weak_alias, a
     * startup file's weak IRQ handlers): no code of its own, so no frame;
     * its one call is to the target, a function defined in the same TU. */
    bool is_alias;
} SumFunction;

/* A function whose address is taken in this TU (field NULL), or a store of
 * a function into a struct member (field set): a designated or positional
 * initializer, an element of an array of structs, `x.f = fn`, `p->f = fn`.
 * What the linker resolves indirect calls with. */
typedef struct SumFnRef {
    const char *usr;         /* arena: the function's USR */
    const char *name;        /* arena */
    bool internal;           /* internal linkage: keyed by (TU, USR) */
    const char *fn_type;     /* arena: canonical function type spelling,
                                "int (int)", as SumCall.fn_type spells it */
    const char *field;       /* arena: "struct tag.member" as SumCall.field
                                spells it; NULL for a plain address-taken */
} SumFnRef;

/* The summary of one translation unit. Owns everything through `arena`.
 * Invariant: every pointer inside points into `arena` (or is NULL). */
typedef struct TuSummary {
    Arena arena;
    const char *path;        /* the file as given on the command line */
    const char *target;      /* target triple the sizes are for */
    const char *clang_version; /* arena or NULL: the libclang that parsed it */
    uint32_t nfuncs;
    SumFunction *funcs;      /* definitions, in source order */
    uint32_t ndeps;
    const char **deps;       /* arena; every file the parse read (the main
                                file first, then each header), as clang
                                named them: what the cache validates */
    uint32_t nrefs;
    SumFnRef *refs;          /* arena; address-taken functions (one each)
                                and stores into struct members */
} TuSummary;

/* Returns a new empty summary for `path` and `target` (copied), or NULL when
 * memory runs out. Free with sum_free. */
TuSummary *sum_new(const char *path, const char *target);
void sum_free(TuSummary *s);

#endif
