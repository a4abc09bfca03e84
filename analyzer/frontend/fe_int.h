/* Private to the front end: the plain tree a function body is copied into
 * while the TU is alive, and the entry points shared by fe.c, fe_visit.c and
 * fe_cfg.c. Nothing outside analyzer/frontend includes this file. */
#ifndef STACKCHECK_FRONTEND_FE_INT_H
#define STACKCHECK_FRONTEND_FE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <clang-c/Index.h>

#include "frontend/fe.h"
#include "summary/summary.h"

/* Control-relevant node kinds; everything else is FN_SEQ (children are
 * evaluated in order, unconditionally). */
typedef enum FeNodeKind {
    FN_SEQ,
    FN_COMPOUND,
    FN_IF,
    FN_WHILE,
    FN_DO,
    FN_FOR,
    FN_SWITCH,
    FN_CASE,
    FN_DEFAULT,
    FN_BREAK,
    FN_CONTINUE,
    FN_RETURN,
    FN_GOTO,
    FN_LABEL,
    FN_COND,    /* ?: */
    FN_LAND,    /* && */
    FN_LOR,     /* || */
    FN_GENERIC, /* _Generic: child 0 unevaluated, the others alternatives */
    FN_CALL,
    FN_LEAF     /* sizeof/_Alignof: no evaluated children were recorded */
} FeNodeKind;

/* One node of the plain tree. Nodes are stored in pre-order in one array,
 * so the subtree of node i is exactly the index range [i, end). The cursor
 * is valid only while the TU lives (the tree never outlives a function's
 * processing). */
typedef struct FeNode {
    CXCursor cur;
    enum CXCursorKind ck;   /* libclang kind of cur */
    uint8_t kind;           /* FeNodeKind */
    int32_t parent;         /* -1 for the body */
    int32_t first, last;    /* children; -1 when none */
    int32_t next;           /* next sibling; -1 at the end */
    uint32_t nchild;
    uint32_t end;           /* one past the last node of the subtree */
    int32_t param;          /* DeclRefExpr to a parameter: its index; else -1 */
    int32_t call;           /* FN_CALL: index into FeFunc.cinfo; else -1 */
    uint8_t op;             /* Binary/CompoundAssign/UnaryOperator: libclang's
                               operator kind; else 0 */
    int32_t sole;           /* VarDecl: -2 not looked at yet, -1 no sole
                               function, else the node of the one function
                               designator it holds (fe_visit.c sole_value) */
} FeNode;

/* What the front end learned about one CallExpr before building the CFG. */
typedef enum FeCallRole {
    FC_RECORD,    /* a real call: becomes a SumCall */
    FC_BUILTIN,   /* __builtin_*, __sync_*, __atomic_* (not a call) */
    FC_ALLOCA,    /* alloca: sets has_alloca, not a call */
    FC_TRAP       /* __builtin_unreachable/__builtin_trap/__builtin_longjmp:
                     ends the block as a noreturn exit */
} FeCallRole;

typedef struct FeCallInfo {
    FeCallRole role;
    SumCallKind kind;
    const char *usr, *name, *fn_type, *field; /* summary arena */
    bool internal, noreturn;
    uint32_t via_param;      /* indirect through parameter #via_param - 1; 0 not */
    /* Indirect through a local whose one value is a known function (see
     * SumCall.sole_usr); NULL otherwise. Summary arena. */
    const char *sole_usr, *sole_name;
    bool sole_internal;
    /* Indirect through a file-scope static pointer the visitor tracks: 1 +
     * its index (fe_visit.c); the sole target is known only at the end of
     * the TU. 0 otherwise. */
    uint32_t file_static;
} FeCallInfo;

/* Per-function scratch state, reused across the functions of a TU. */
typedef struct FeFunc {
    CXTranslationUnit tu;
    TuSummary *sum;          /* where arena strings go */
    SumFunction *fn;         /* the function being filled */
    CXCursor *params;        /* nparams ParmDecl cursors */
    size_t nparams, capparams;
    FeNode *nodes;
    size_t nnodes, capnodes;
    FeCallInfo *cinfo;
    size_t ncinfo, capcinfo;
    /* Output vectors (copied into the arena at the end). */
    SumLocal *locals;
    size_t nlocals, caplocals;
    SumCall *calls;
    size_t ncalls, capcalls;
    /* DeclRefExprs inside the body that have no node (unevaluated operands
     * of sizeof, typeof, _Generic's controller...): a local referenced
     * there is not known to be only called through. */
    CXCursor *offrefs;
    size_t noffrefs, capoffrefs;
    /* Calls through tracked file-scope statics, as pairs (index into
     * calls, FeCallInfo.file_static): filled by fe_cfg.c, read by the
     * visitor at the end of the function. */
    uint32_t *fs_calls;
    size_t nfs_calls, capfs_calls;
    /* Per parameter while the body is prepared (fe_visit.c): -1 not
     * modified, -2 modified, k >= 0 modified only by the one ++/-- at
     * node k. */
    int32_t *pmods;
    size_t cappmods;
    /* Member keys the body writes (fe_visit.c note_writes), unique; the
     * summary arena holds the strings, mem.h the array. */
    const char **writes;
    size_t nwrites, capwrites;
    /* `stackcheck: targets(...)` comments: the last file looked at, whether
     * it has any, and its line starts (byte offsets, built on first use). */
    CXFile ann_file;
    const char *ann_buf;     /* libclang's buffer, valid while the TU lives */
    size_t ann_size;
    bool ann_has;
    uint32_t *ann_lines;     /* mem.h; ann_lines[k] = offset of line k + 1 */
    size_t ann_nlines, ann_caplines;
} FeFunc;

/* Longest source range (bytes) the front end tokenizes: declaration heads
 * (for _Noreturn, interrupt), callee expressions, for-statement headers. */
#define FE_MAX_TOKEN_BYTES 4096u

/* --- fe_names.c: libclang values as plain summary values, below both the
 * visitor and the CFG builder --- */

typedef struct FeFileName {
    CXFile f;
    const char *name;        /* the summary's arena */
} FeFileName;

/* Member keys cached by fe_field_key (a power of two). */
#define FE_FIELD_KEY_CACHE 1024u

typedef struct FeFieldKey {
    CXCursor fd;             /* the FieldDecl */
    unsigned hash;           /* clang_hashCursor(fd) */
    const char *key;         /* the summary's arena; NULL: empty slot */
} FeFieldKey;

/* The file names and member keys of one TU, interned in its summary's
 * arena. */
typedef struct FeNames {
    TuSummary *sum;          /* borrowed: where names are copied */
    FeStatus *status;        /* borrowed: set to FE_ENOMEM (once) when memory runs out */
    FeFileName *files;       /* owned (mem.h); one per file seen */
    size_t nfiles, capfiles;
    size_t lastfile;         /* the file looked up last */
    FeFieldKey *keys;        /* owned (mem.h): FE_FIELD_KEY_CACHE slots */
} FeNames;

/* The name of `f` as clang spells it, interned (one copy per file). NULL for
 * no file, or on allocation failure, which also sets *n->status (checked
 * once per function). */
const char *fe_file_name(FeNames *n, CXFile f);
/* The expansion location of `l` as a SumLoc (file interned as above). */
SumLoc fe_loc(FeNames *n, CXSourceLocation l);
void fe_names_fini(FeNames *n);

/* The scalar class of a type (and its signedness when is_unsigned is not
 * NULL); its size and alignment in bytes, 0 when libclang says unknown
 * (incomplete, VLA). */
SumClass fe_type_class(CXType t, bool *is_unsigned);
void fe_type_size(CXType t, uint64_t *size, uint64_t *align);

/* Tokenizes `range` when it lies within one file and is at most
 * FE_MAX_TOKEN_BYTES long (a range across a macro expansion would make clang
 * lex to the end of the file); false otherwise, with *toks NULL. The caller
 * disposes *toks with clang_disposeTokens. */
bool fe_tokenize_short(CXTranslationUnit tu, CXSourceRange range, CXToken **toks, unsigned *n);

/* "struct tag.member" for the FieldDecl `fd`, in the summary's arena: the
 * key that joins indirect calls through a member with stores into it, and
 * member guards with the members functions write. NULL when memory runs
 * out. */
const char *fe_field_key(FeNames *n, CXCursor fd);

/* "var " + the USR of variable `var` (of static storage), in the summary's
 * arena: the key of a global or static depth counter, as the body's writes
 * name it (SumFunction.writes). NULL when memory runs out. */
const char *fe_var_key(FeNames *n, CXCursor var);

/* --- fe_cfg.c --- */

/* Builds the CFG, calls, guards and argument relations of fn->fn from the
 * plain tree (nodes[0] is the body), with locations interned in `names`.
 * Returns 0, or -1 when memory runs out. */
int fe_cfg_build(FeFunc *f, FeNames *names);

/* Walks the whole TU (one clang_visitChildren) and fills `sum`. Returns
 * FE_OK, FE_ENOMEM, or FE_EPARSE with a message in `diags`. Run it on the
 * big-stack parse thread: libclang's visitor recurses. */
FeStatus fe_visit_tu(CXTranslationUnit tu, TuSummary *sum, const char *path, DiagSink *diags);

/* Strips ParenExpr and implicit-cast UnexposedExpr wrappers (and C casts when
 * `casts`) from node i; returns the inner node index. */
int32_t fe_strip(const FeFunc *f, int32_t i, bool casts);

/* Evaluates node i as an integer constant: 1 and *v set, or 0. */
int fe_eval_int(const FeFunc *f, int32_t i, int64_t *v);

#endif
