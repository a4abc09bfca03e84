/* This file walks one parsed TU with a single clang_visitChildren and copies
 * every function definition (facts, locals, a plain tree of its body) into
 * the TU summary; fe_cfg.c turns each plain tree into blocks and calls. */
#include <stdlib.h>
#include <string.h>

#include "frontend/fe_int.h"
#include "limits.h"
#include "util/mem.h"
#include "util/vec.h"

/* What an open cursor is to us. */
enum { M_OUT, M_FUNC, M_SKIP, M_BODY };

typedef struct Open {
    CXCursor c;
    enum CXCursorKind ck;
    int32_t node;     /* plain-tree node, or -1 */
    uint32_t idx;     /* index among the parent's children */
    uint32_t nkids;   /* children seen so far */
    uint8_t mode;
    bool uneval;      /* inside sizeof, _Generic's controller, typeof */
    bool init_known;  /* VarDecl: `init` computed */
    CXCursor init;
    bool has_member;  /* a MemberRef child was seen (designated initializer) */
    CXCursor member;  /* its FieldDecl */
    CXCursor kid0;    /* the first child (left side of an assignment) */
    bool op_assign;   /* a BinaryOperator `=` */
} Open;

/* Facts about one function declaration, cached per canonical cursor. */
typedef struct Callee {
    bool used;
    bool nr_known, noreturn;
    bool addr_taken;
    bool internal;
    FeCallRole role;
    CXCursor canon;
    unsigned hash;
    const char *usr, *name; /* summary arena */
    const char *fn_type;    /* canonical type spelling, once address-taken */
} Callee;

static int cmp_opt_str(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) : (a != NULL) - (b != NULL);
}

/* Orders address-taken functions by USR (then name and type, so that the
 * order never depends on the table's). */
static int cmp_callee_usr(const void *pa, const void *pb)
{
    const Callee *a = pa, *b = pb;
    int c = strcmp(a->usr, b->usr);
    if (c == 0)
        c = cmp_opt_str(a->name, b->name);
    return c ? c : cmp_opt_str(a->fn_type, b->fn_type);
}

/* A file-scope static function pointer initialized to one function: a sole
 * target for the calls through it when, in the whole TU, nothing else uses
 * it (no other assignment, no &p, no read: only calls through it). */
typedef struct FileStatic {
    CXCursor var;          /* its canonical declaration */
    unsigned hash;         /* clang_hashCursor(var) */
    const char *usr, *name; /* the function (summary arena) */
    bool internal;
    bool bad;              /* used other than by a call through it */
} FileStatic;

/* A function declared as another name of one: `f __attribute__((alias("g")))`. */
typedef struct Alias {
    const char *usr, *name;  /* the alias (summary arena) */
    const char *target;      /* the aliased function's name */
    SumLoc loc;
    bool internal;
} Alias;

typedef struct VCtx {
    CXTranslationUnit tu;
    TuSummary *sum;
    const char *path;
    DiagSink *diags;
    FeStatus status;
    Open *open;
    size_t nopen, capopen;
    FeFunc ff;
    SumFunction cur;       /* the function being collected */
    bool have_body;
    bool has_uattr;        /* an UnexposedAttr child: tokenize for _Noreturn/interrupt */
    CXCursor fcursor;
    SumFunction *funcs;
    size_t nfuncs, capfuncs;
    Callee *tab;           /* open addressing, cap a power of two */
    size_t ntab, captab;
    FeNames names;         /* interned file names (fe_names.c) */
    const char **deps;
    size_t ndeps, capdeps;
    SumFnRef *stores;      /* functions stored into struct members */
    size_t nstores, capstores;
    bool inline_atomics;   /* the target expands __sync_* / __atomic_* inline */
    FileStatic *fstatic;   /* file-scope static function pointers tracked */
    size_t nfstatic, capfstatic;
    uint32_t *fs_pending;  /* triples: function index, call index, 1 + fstatic index */
    size_t nfs_pending, capfs_pending;
    Alias *aliases;        /* alias declarations of the main file */
    size_t naliases, capaliases;
    CXFile main_file;      /* the TU's main file, for them */
} VCtx;

static const char *cx_copy(VCtx *v, CXString s)
{
    const char *c = clang_getCString(s);
    char *r = arena_strdup(&v->sum->arena, c ? c : "");
    clang_disposeString(s);
    return r;
}

static const char *field_key(VCtx *v, CXCursor fd) { return fe_field_key(&v->names, fd); }

static bool is_ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

static bool range_has_token(CXTranslationUnit tu, CXSourceRange range, const char *const *words)
{
    CXToken *toks = NULL;
    unsigned n = 0;
    bool found = false;
    if (!fe_tokenize_short(tu, range, &toks, &n))
        return false;
    for (unsigned i = 0; i < n && !found; i++) {
        CXTokenKind k = clang_getTokenKind(toks[i]);
        if (k != CXToken_Identifier && k != CXToken_Keyword)
            continue;
        CXString s = clang_getTokenSpelling(tu, toks[i]);
        const char *c = clang_getCString(s);
        for (size_t w = 0; c && words[w] && !found; w++)
            found = strcmp(c, words[w]) == 0;
        clang_disposeString(s);
    }
    if (toks)
        clang_disposeTokens(tu, toks, n);
    return found;
}

/* The tokens before a declaration's name: where _Noreturn, [[noreturn]] and
 * most attributes sit. */
static bool decl_head_has(CXTranslationUnit tu, CXCursor d, const char *const *words)
{
    if (clang_Cursor_isNull(d))
        return false;
    CXSourceRange ext = clang_getCursorExtent(d);
    CXSourceRange head = clang_getRange(clang_getRangeStart(ext), clang_getCursorLocation(d));
    return range_has_token(tu, head, words);
}

static const char *const NORETURN_WORDS[] = {"_Noreturn", "noreturn", "__noreturn__", NULL};

static bool name_is_noreturn(const char *n)
{
    static const char *const names[] = {
        "exit",  "_Exit",        "abort",       "quick_exit", "longjmp",      "siglongjmp",
        "_longjmp", "__longjmp_chk", "pthread_exit", "thrd_exit", "__assert_fail", "err",
        "errx",  "verr",         "verrx",       NULL};
    for (size_t i = 0; names[i]; i++)
        if (strcmp(n, names[i]) == 0)
            return true;
    return false;
}

static bool type_is_noreturn(CXType t)
{
    CXString s = clang_getTypeSpelling(t);
    const char *c = clang_getCString(s);
    bool r = c && strstr(c, "noreturn") != NULL;
    clang_disposeString(s);
    return r;
}

static bool decl_is_noreturn(CXTranslationUnit tu, CXCursor ref, const char *name)
{
    if (name && name_is_noreturn(name))
        return true;
    if (type_is_noreturn(clang_getCursorType(ref)))
        return true;
    CXCursor canon = clang_getCanonicalCursor(ref);
    CXCursor def = clang_getCursorDefinition(ref);
    if (decl_head_has(tu, ref, NORETURN_WORDS))
        return true;
    if (!clang_equalCursors(canon, ref) && decl_head_has(tu, canon, NORETURN_WORDS))
        return true;
    if (!clang_Cursor_isNull(def) && !clang_equalCursors(def, ref) &&
        !clang_equalCursors(def, canon) && decl_head_has(tu, def, NORETURN_WORDS))
        return true;
    return false;
}

/* Finds or adds the cache entry of function declaration `ref`. NULL when
 * memory runs out. */
static Callee *callee_get(VCtx *v, CXCursor ref)
{
    CXCursor canon = clang_getCanonicalCursor(ref);
    unsigned h = clang_hashCursor(canon);
    if (v->ntab * 2 >= v->captab) {
        size_t ncap = v->captab ? v->captab * 2 : 256;
        Callee *nt = mem_calloc(ncap, sizeof *nt);
        if (!nt)
            return NULL;
        for (size_t i = 0; i < v->captab; i++) {
            if (!v->tab[i].used)
                continue;
            size_t j = v->tab[i].hash & (ncap - 1);
            while (nt[j].used)
                j = (j + 1) & (ncap - 1);
            nt[j] = v->tab[i];
        }
        mem_free(v->tab);
        v->tab = nt;
        v->captab = ncap;
    }
    size_t j = h & (v->captab - 1);
    while (v->tab[j].used) {
        if (v->tab[j].hash == h && clang_equalCursors(v->tab[j].canon, canon))
            return &v->tab[j];
        j = (j + 1) & (v->captab - 1);
    }
    Callee e;
    memset(&e, 0, sizeof e);
    e.canon = canon;
    e.hash = h;
    e.name = cx_copy(v, clang_getCursorSpelling(ref));
    e.usr = cx_copy(v, clang_getCursorUSR(ref));
    if (!e.name || !e.usr)
        return NULL;
    e.internal = clang_getCursorLinkage(ref) == CXLinkage_Internal;
    e.role = FC_RECORD;
    if (strncmp(e.name, "__builtin_", 10) == 0) {
        if (strncmp(e.name, "__builtin_alloca", 16) == 0)
            e.role = FC_ALLOCA;
        else if (strcmp(e.name, "__builtin_unreachable") == 0 ||
                 strcmp(e.name, "__builtin_trap") == 0 ||
                 strcmp(e.name, "__builtin_longjmp") == 0)
            e.role = FC_TRAP; /* __builtin_longjmp jumps to its __builtin_setjmp */
        else
            e.role = FC_BUILTIN;
    } else if (strcmp(e.name, "alloca") == 0) {
        e.role = FC_ALLOCA;
    } else if (v->inline_atomics &&
               (strncmp(e.name, "__sync_", 7) == 0 || strncmp(e.name, "__atomic_", 9) == 0 ||
                strncmp(e.name, "__c11_atomic_", 13) == 0)) {
        /* GCC's and clang's atomic builtins: instructions, not calls, on
         * x86 and AArch64 (on older Arm and small cores they call libgcc). */
        e.role = FC_BUILTIN;
    }
    e.used = true;
    v->tab[j] = e;
    v->ntab++;
    return &v->tab[j];
}

/* Joins the tokens of `range` into an arena string ("ops->read"); NULL
 * with *ok set when the range cannot be tokenized (macro expansions). */
static const char *range_text(VCtx *v, CXSourceRange range, bool *ok_range)
{
    CXToken *toks = NULL;
    unsigned n = 0;
    *ok_range = fe_tokenize_short(v->tu, range, &toks, &n) && n > 0;
    if (!*ok_range) {
        if (toks)
            clang_disposeTokens(v->tu, toks, n);
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    bool ok = true, prev_word = false;
    for (unsigned i = 0; i < n && ok; i++) {
        CXString s = clang_getTokenSpelling(v->tu, toks[i]);
        const char *c = clang_getCString(s);
        size_t cl = c ? strlen(c) : 0;
        bool word = cl > 0 && is_ident_char(c[0]);
        size_t need = len + cl + 2;
        if (vec_reserve_n((void **)&buf, need, &cap, 1) != 0) {
            ok = false;
        } else {
            if (word && prev_word)
                buf[len++] = ' ';
            if (cl)
                memcpy(buf + len, c, cl);
            len += cl;
            buf[len] = '\0';
        }
        prev_word = word && cl > 0 && is_ident_char(c[cl - 1]);
        clang_disposeString(s);
    }
    if (toks)
        clang_disposeTokens(v->tu, toks, n);
    const char *r = ok ? arena_strndup(&v->sum->arena, buf ? buf : "", len) : NULL;
    mem_free(buf);
    return r;
}

/* ---- file-scope static function pointers ---- */

/* The tracked file static that `ref` (one of its declarations) is, or NULL. */
static FileStatic *fs_lookup(VCtx *v, CXCursor ref)
{
    if (!v->nfstatic || clang_getCursorKind(ref) != CXCursor_VarDecl ||
        clang_Cursor_hasVarDeclGlobalStorage(ref) != 1)
        return NULL;
    CXCursor canon = clang_getCanonicalCursor(ref);
    unsigned h = clang_hashCursor(canon);
    for (size_t i = 0; i < v->nfstatic; i++)
        if (v->fstatic[i].hash == h && clang_equalCursors(v->fstatic[i].var, canon))
            return &v->fstatic[i];
    return NULL;
}

static enum CXChildVisitResult last_child(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    *(CXCursor *)data = c;
    return CXChildVisit_Continue;
}

/* The function an initializer designates (`f`, `&f`, through parentheses
 * and casts), or a null cursor. */
static CXCursor init_function(CXCursor e)
{
    for (int step = 0; step < 64 && !clang_Cursor_isNull(e); step++) {
        enum CXCursorKind k = clang_getCursorKind(e);
        if (k == CXCursor_DeclRefExpr) {
            CXCursor r = clang_getCursorReferenced(e);
            return clang_getCursorKind(r) == CXCursor_FunctionDecl ? r : clang_getNullCursor();
        }
        if (k == CXCursor_UnaryOperator && clang_getCursorUnaryOperatorKind(e) != CXUnaryOperator_AddrOf)
            break;
        if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr && k != CXCursor_CStyleCastExpr &&
            k != CXCursor_UnaryOperator)
            break;
        CXCursor child = clang_getNullCursor();
        clang_visitChildren(e, last_child, &child);
        e = child;
    }
    return clang_getNullCursor();
}

/* Tracks the top-level declaration `c` when it is a file-scope static,
 * non-volatile function pointer whose definition's initializer designates
 * one function (once per variable, up to SC_MAX_FILE_STATICS). -1: memory. */
static int fs_track(VCtx *v, CXCursor c)
{
    if (clang_Cursor_getStorageClass(c) != CX_SC_Static || v->nfstatic >= SC_MAX_FILE_STATICS)
        return 0;
    CXType t = clang_getCursorType(c);
    CXType ct = clang_getCanonicalType(t);
    if (ct.kind != CXType_Pointer || clang_isVolatileQualifiedType(ct))
        return 0;
    CXType pt = clang_getCanonicalType(clang_getPointeeType(ct));
    if (pt.kind != CXType_FunctionProto && pt.kind != CXType_FunctionNoProto)
        return 0;
    if (fs_lookup(v, c))
        return 0; /* a redeclaration */
    CXCursor def = clang_getCursorDefinition(c);
    CXCursor fn = clang_Cursor_isNull(def) ? def : init_function(clang_Cursor_getVarDeclInitializer(def));
    if (clang_Cursor_isNull(fn))
        return 0;
    Callee *e = callee_get(v, fn);
    FileStatic *s = e ? VEC_PUSH(v->fstatic, v->nfstatic, v->capfstatic) : NULL;
    if (!s)
        return -1;
    s->var = clang_getCanonicalCursor(c);
    s->hash = clang_hashCursor(s->var);
    s->usr = e->usr;
    s->name = e->name;
    s->internal = e->internal;
    s->bad = false;
    return 0;
}

/* Marks the file static that DeclRefExpr `c` names as used otherwise than
 * by a call through it. */
static void fs_spoil(VCtx *v, CXCursor c)
{
    FileStatic *s = fs_lookup(v, clang_getCursorReferenced(c));
    if (s)
        s->bad = true;
}

/* The calls the function just added (v->funcs' last) makes through file
 * statics, kept for fs_finish. -1: memory. */
static int fs_note_calls(VCtx *v)
{
    FeFunc *f = &v->ff;
    uint32_t fi = (uint32_t)(v->nfuncs - 1);
    for (size_t k = 0; k + 1 < f->nfs_calls; k += 2) {
        if (vec_reserve_n((void **)&v->fs_pending, v->nfs_pending + 3, &v->capfs_pending,
                          sizeof *v->fs_pending) != 0)
            return -1;
        v->fs_pending[v->nfs_pending++] = fi;
        v->fs_pending[v->nfs_pending++] = f->fs_calls[k];
        v->fs_pending[v->nfs_pending++] = f->fs_calls[k + 1];
    }
    return 0;
}

/* At the end of the TU, when every use has been seen: the calls through a
 * file static nothing spoiled get its function as their sole target. */
static void fs_finish(VCtx *v)
{
    for (size_t k = 0; k + 2 < v->nfs_pending; k += 3) {
        const FileStatic *s = &v->fstatic[v->fs_pending[k + 2] - 1];
        SumFunction *fn = &v->funcs[v->fs_pending[k]];
        uint32_t ci = v->fs_pending[k + 1];
        if (s->bad || ci >= fn->ncalls || fn->calls[ci].kind != SUM_CALL_INDIRECT)
            continue;
        fn->calls[ci].sole_usr = s->usr;
        fn->calls[ci].sole_name = s->name;
        fn->calls[ci].sole_internal = s->internal;
    }
}

/* C library functions whose __builtin_ form GCC emits as a call to the
 * function itself (when it does not expand it inline): inside their own
 * definition, `__builtin_malloc(n)` is a call to that very `malloc`. */
static bool is_lib_builtin(const char *n)
{
    static const char *const names[] = {
        "malloc",  "calloc",  "realloc", "free",    "aligned_alloc", "abort",   "exit",
        "_exit",   "_Exit",   "memcpy",  "memmove", "memset",        "memcmp",  "memchr",
        "mempcpy", "bcmp",    "bcopy",   "bzero",   "strlen",        "strnlen", "strcpy",
        "strncpy", "stpcpy",  "stpncpy", "strcat",  "strncat",       "strcmp",  "strncmp",
        "strchr",  "strrchr", "strstr",  "strspn",  "strcspn",       "strpbrk", "strdup",
        "strndup", "printf",  "fprintf", "sprintf", "snprintf",      "vprintf", "vfprintf",
        "vsprintf", "vsnprintf", "puts",  "fputs",   "putchar",       "fputc",   "fwrite",
        NULL};
    for (size_t i = 0; names[i]; i++)
        if (strcmp(n, names[i]) == 0)
            return true;
    return false;
}

/* Node i as a function designator (`f` or `&f`, through parentheses and
 * casts): the DeclRefExpr node of the function, or -1. */
static int32_t fn_designator(const FeFunc *f, int32_t i)
{
    int32_t s = fe_strip(f, i, true);
    if (s >= 0 && f->nodes[s].ck == CXCursor_UnaryOperator &&
        f->nodes[s].op == CXUnaryOperator_AddrOf && f->nodes[s].nchild == 1)
        s = fe_strip(f, f->nodes[s].first, true);
    if (s < 0 || f->nodes[s].ck != CXCursor_DeclRefExpr)
        return -1;
    CXCursor r = clang_getCursorReferenced(f->nodes[s].cur);
    return clang_getCursorKind(r) == CXCursor_FunctionDecl ? s : -1;
}

/* The DeclRefExpr a callee expression names, through parentheses, casts
 * and `*` (`(*p)(x)`); -1 when it is anything else. */
static int32_t callee_ref(const FeFunc *f, int32_t callee)
{
    int32_t s = fe_strip(f, callee, true);
    while (s >= 0 && f->nodes[s].ck == CXCursor_UnaryOperator &&
           f->nodes[s].op == CXUnaryOperator_Deref && f->nodes[s].nchild == 1)
        s = fe_strip(f, f->nodes[s].first, true);
    return s >= 0 && f->nodes[s].ck == CXCursor_DeclRefExpr ? s : -1;
}

/* How the DeclRefExpr at node k is used: 1 as the callee of a call (through
 * parentheses, casts and `*`), 2 as the left side of a plain `=` (through
 * parentheses; *assign is then the BinaryOperator), 0 anything else. */
static int ref_use(const FeFunc *f, int32_t k, int32_t *assign)
{
    int32_t child = k;
    bool parens_only = true;
    for (int32_t p = f->nodes[k].parent; p >= 0; child = p, p = f->nodes[p].parent) {
        const FeNode *pn = &f->nodes[p];
        if (pn->kind == FN_CALL)
            return pn->first == child ? 1 : 0;
        if (pn->ck == CXCursor_BinaryOperator && pn->op == CXBinaryOperator_Assign) {
            if (!parens_only || pn->first != child || pn->nchild != 2)
                return 0;
            *assign = p;
            return 2;
        }
        if (pn->ck == CXCursor_ParenExpr && pn->nchild == 1)
            continue;
        parens_only = false;
        if ((pn->ck == CXCursor_UnexposedExpr && pn->nchild == 1) ||
            (pn->ck == CXCursor_CStyleCastExpr && pn->last == child) ||
            (pn->ck == CXCursor_UnaryOperator && pn->op == CXUnaryOperator_Deref &&
             pn->nchild == 1))
            continue;
        return 0;
    }
    return 0;
}

/* The one function the local variable declared at node vi can hold: its
 * initializer, or (with none) its one plain assignment, when that is a
 * function designator and every other reference to the variable in the
 * body is a call through it (so it is never assigned again, incremented,
 * address-taken, passed, stored or read otherwise). The function's
 * DeclRefExpr node, or -1. Memoized in the node. Automatic and static
 * locals only (an extern declaration names a global; a volatile one may
 * change behind the program's back). */
static int32_t sole_value(FeFunc *f, int32_t vi)
{
    FeNode *vn = &f->nodes[vi];
    if (vn->sole != -2)
        return vn->sole;
    vn->sole = -1;
    CXCursor var = vn->cur;
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(var);
    if ((sc != CX_SC_None && sc != CX_SC_Auto && sc != CX_SC_Register && sc != CX_SC_Static) ||
        clang_isVolatileQualifiedType(clang_getCursorType(var)))
        return -1;
    for (size_t k = 0; k < f->noffrefs; k++)
        if (clang_equalCursors(clang_getCursorReferenced(f->offrefs[k]), var))
            return -1; /* sizeof p, typeof(p): not understood, refused */
    int32_t value = -1;
    CXCursor init = clang_Cursor_getVarDeclInitializer(var);
    bool has_init = !clang_Cursor_isNull(init);
    if (has_init) {
        int32_t in = -1;
        for (int32_t k = vn->first; k >= 0 && in < 0; k = f->nodes[k].next)
            if (clang_equalCursors(f->nodes[k].cur, init))
                in = k;
        if (in < 0 || (value = fn_designator(f, in)) < 0)
            return -1;
    }
    uint32_t nassign = 0;
    for (size_t k = 0; k < f->nnodes; k++) {
        const FeNode *n = &f->nodes[k];
        if (n->ck != CXCursor_DeclRefExpr ||
            !clang_equalCursors(clang_getCursorReferenced(n->cur), var))
            continue;
        int32_t as = -1;
        int use = ref_use(f, (int32_t)k, &as);
        if (use == 1)
            continue;
        if (use != 2 || has_init || ++nassign > 1 || (value = fn_designator(f, f->nodes[as].last)) < 0)
            return -1;
    }
    if (value < 0)
        return -1; /* neither initialized nor assigned */
    vn->sole = value;
    return value;
}

/* Fills f->cinfo[node.call] for the CallExpr at node i. -1: out of memory. */
static int classify_call(VCtx *v, int32_t i)
{
    FeFunc *f = &v->ff;
    FeNode *nd = &f->nodes[i];
    FeCallInfo *ci = VEC_PUSH(f->cinfo, f->ncinfo, f->capcinfo);
    if (!ci)
        return -1;
    nd = &f->nodes[i];
    nd->call = (int32_t)(f->ncinfo - 1);
    CXCursor ref = clang_getCursorReferenced(nd->cur);
    if ((clang_Cursor_isNull(ref) || clang_getCursorKind(ref) != CXCursor_FunctionDecl) && nd->first >= 0) {
        /* `(f)(x)`, as musl calls `(__syscall_cp)(n, ...)` to keep a macro
         * of the same name from expanding: libclang names no callee, but it
         * is a direct call of f. */
        int32_t s0 = fe_strip(f, nd->first, false);
        if (s0 >= 0 && f->nodes[s0].ck == CXCursor_DeclRefExpr)
            ref = clang_getCursorReferenced(f->nodes[s0].cur);
    }
    if (!clang_Cursor_isNull(ref) && clang_getCursorKind(ref) == CXCursor_FunctionDecl) {
        Callee *e = callee_get(v, ref);
        if (!e)
            return -1;
        if (e->role == FC_BUILTIN && strncmp(e->name, "__builtin_", 10) == 0 &&
            strcmp(e->name + 10, v->cur.name) == 0 && is_lib_builtin(v->cur.name)) {
            /* GCC's semantics: __builtin_malloc inside malloc's own
             * definition is a call to that malloc, so the function calls
             * itself (only this self case; elsewhere a builtin is not a
             * call of ours). */
            ci->role = FC_RECORD;
            ci->kind = SUM_CALL_DIRECT;
            ci->usr = v->cur.usr;
            ci->name = v->cur.name;
            ci->internal = v->cur.linkage == SUM_LINK_INTERNAL;
            ci->noreturn = v->cur.is_noreturn || type_is_noreturn(clang_getCursorType(ref));
            return 0;
        }
        if (e->role == FC_RECORD && !e->nr_known) {
            e->noreturn = decl_is_noreturn(v->tu, ref, e->name);
            e->nr_known = true;
        }
        ci->role = e->role;
        ci->kind = SUM_CALL_DIRECT;
        ci->usr = e->usr;
        ci->name = e->name;
        ci->internal = e->internal;
        ci->noreturn = e->noreturn;
        return 0;
    }
    ci->role = FC_RECORD;
    ci->kind = SUM_CALL_INDIRECT;
    int32_t callee = nd->first;
    if (callee < 0) {
        ci->name = "";
        ci->fn_type = "";
        return 0;
    }
    CXCursor cc = f->nodes[callee].cur;
    CXType t = clang_getCanonicalType(clang_getCursorType(cc));
    if (t.kind == CXType_Pointer)
        t = clang_getCanonicalType(clang_getPointeeType(t));
    ci->noreturn = type_is_noreturn(t);
    ci->fn_type = cx_copy(v, clang_getTypeSpelling(t));
    bool ranged = false;
    int32_t s = fe_strip(f, callee, false);
    ci->name = range_text(v, clang_getCursorExtent(cc), &ranged);
    if (!ranged) /* inside a macro: the variable or member name */
        ci->name = cx_copy(v, clang_getCursorSpelling(f->nodes[s].cur));
    if (!ci->fn_type || !ci->name)
        return -1;
    if (f->nodes[s].ck == CXCursor_MemberRefExpr) {
        CXCursor fd = clang_getCursorReferenced(f->nodes[s].cur);
        if (!clang_Cursor_isNull(fd) && clang_getCursorKind(fd) == CXCursor_FieldDecl) {
            ci->field = field_key(v, fd);
            if (!ci->field)
                return -1;
        }
    }
    int32_t sp = fe_strip(f, callee, true);
    if (f->nodes[sp].ck == CXCursor_UnaryOperator && f->nodes[sp].first >= 0)
        sp = fe_strip(f, f->nodes[sp].first, true); /* (*cb)(x) */
    if (f->nodes[sp].param >= 0)
        ci->via_param = (uint32_t)f->nodes[sp].param + 1;
    /* A local pointer whose one value is a known function: a certain
     * target. */
    int32_t r = callee_ref(f, callee);
    if (r < 0)
        return 0;
    CXCursor var = clang_getCursorReferenced(f->nodes[r].cur);
    if (clang_getCursorKind(var) != CXCursor_VarDecl)
        return 0;
    for (size_t k = 0; k < f->nnodes; k++) {
        if (f->nodes[k].ck != CXCursor_VarDecl || !clang_equalCursors(f->nodes[k].cur, var))
            continue;
        int32_t fnode = sole_value(f, (int32_t)k);
        if (fnode < 0)
            return 0;
        Callee *e = callee_get(v, clang_getCursorReferenced(f->nodes[fnode].cur));
        if (!e)
            return -1;
        ci->sole_usr = e->usr;
        ci->sole_name = e->name;
        ci->sole_internal = e->internal;
        return 0;
    }
    /* Not declared in this body: a file-scope static, settled at the end of
     * the TU (fs_finish). */
    FileStatic *fs = fs_lookup(v, var);
    if (fs)
        ci->file_static = (uint32_t)(fs - v->fstatic) + 1;
    return 0;
}

typedef struct FieldPick {
    uint32_t want;
    uint32_t *seen;
    CXCursor *found;
} FieldPick;

static enum CXChildVisitResult pick_field(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    FieldPick *fp = data;
    if (clang_getCursorKind(c) != CXCursor_FieldDecl)
        return CXChildVisit_Continue;
    if (*fp->seen == fp->want) {
        *fp->found = c;
        return CXChildVisit_Break;
    }
    (*fp->seen)++;
    return CXChildVisit_Continue;
}

static int32_t param_index(const FeFunc *f, CXCursor ref)
{
    for (size_t p = 0; p < f->nparams; p++)
        if (clang_equalCursors(f->params[p], ref))
            return (int32_t)p;
    return -1;
}

/* The struct member a function designator (child `idx` of the open cursor
 * `j`) is stored into: a designated or positional initializer, or the left
 * side of `x.f = fn` / `p->f = fn`. A null cursor when it is not a store
 * into a member. */
static CXCursor store_field(const VCtx *v, size_t j, uint32_t idx)
{
    for (;;) {
        const Open *o = &v->open[j];
        switch ((int)o->ck) {
        case CXCursor_UnexposedExpr:
            if (o->has_member) /* DesignatedInitExpr: .member = value */
                return o->member;
            break;
        case CXCursor_ParenExpr: case CXCursor_CStyleCastExpr: case CXCursor_UnaryOperator:
            break;
        case CXCursor_InitListExpr: {
            CXType t = clang_getCanonicalType(clang_getCursorType(o->c));
            if (t.kind != CXType_Record)
                return clang_getNullCursor();
            CXCursor decl = clang_getTypeDeclaration(t);
            uint32_t k = 0;
            CXCursor found = clang_getNullCursor();
            /* Fields in declaration order: the idx-th is the one initialized. */
            FieldPick fp = {idx, &k, &found};
            clang_visitChildren(decl, pick_field, &fp);
            return found;
        }
        case CXCursor_BinaryOperator:
            if (idx == 1 && o->op_assign &&
                clang_getCursorKind(o->kid0) == CXCursor_MemberRefExpr) {
                CXCursor fd = clang_getCursorReferenced(o->kid0);
                if (clang_getCursorKind(fd) == CXCursor_FieldDecl)
                    return fd;
            }
            return clang_getNullCursor();
        default:
            return clang_getNullCursor();
        }
        if (j == 0)
            return clang_getNullCursor();
        idx = o->idx;
        j--;
    }
}

/* Records that the function `e` is stored into the member `fd`. */
static int add_store(VCtx *v, const Callee *e, CXCursor fd)
{
    const char *key = field_key(v, fd);
    SumFnRef *r = key ? VEC_PUSH(v->stores, v->nstores, v->capstores) : NULL;
    if (!r)
        return -1;
    *r = (SumFnRef){e->usr, e->name, e->internal, e->fn_type, key};
    return 0;
}

/* Whether the one ++/-- at node m is the only change of the integer
 * parameter p that the guards and argument relations must know of: it is
 * an argument of a
 * call C (through parentheses and implicit casts), and p is not referenced
 * from C on (C's other arguments and callee, anything after C) nor inside
 * a call C is an argument of. Then every call whose guards are known and
 * that tests or passes p is reached, the first time, before the change:
 * what it sees is p's entry value (fe_cfg.c arg_relation gives C's own
 * argument `n--` as n + 0, `--n` as n - 1). */
static bool incdec_at_entry(const FeFunc *f, int32_t m, int32_t p)
{
    /* Integers only: a pointer parameter may be called through, and the
     * linker's callback inference needs every call through it to see what
     * the callers passed, in every iteration of a loop too. */
    if (f->nodes[m].op > CXUnaryOperator_PreDec || f->fn->params[p].cls != SUM_CLASS_INT)
        return false; /* &p */
    int32_t child = m, c = f->nodes[m].parent;
    while (c >= 0 && f->nodes[c].nchild == 1 &&
           (f->nodes[c].ck == CXCursor_ParenExpr || f->nodes[c].ck == CXCursor_UnexposedExpr)) {
        child = c;
        c = f->nodes[c].parent;
    }
    if (c < 0 || f->nodes[c].kind != FN_CALL || f->nodes[c].first == child)
        return false;
    int32_t operand = fe_strip(f, f->nodes[m].first, false);
    /* The outermost call C sits in: references inside it all count. */
    int32_t from = c;
    for (int32_t a = f->nodes[c].parent; a >= 0; a = f->nodes[a].parent)
        if (f->nodes[a].kind == FN_CALL)
            from = a;
    for (size_t k = 0; k < f->nnodes; k++)
        if (f->nodes[k].param == p && (int32_t)k != operand &&
            (int32_t)k >= from)
            return false;
    return true;
}

/* Builtins that read only their arguments' values and write no memory;
 * every other builtin may (memcpy, __atomic_store, va_start...). */
static bool builtin_writes_nothing(const char *n)
{
    static const char *const exact[] = {
        "__builtin_expect", "__builtin_expect_with_probability", "__builtin_constant_p",
        "__builtin_assume", "__builtin_abs", "__builtin_labs", "__builtin_llabs", NULL};
    static const char *const prefix[] = {"__builtin_clz", "__builtin_ctz", "__builtin_popcount",
                                         "__builtin_parity", "__builtin_ffs", "__builtin_bswap",
                                         NULL};
    for (size_t i = 0; exact[i]; i++)
        if (strcmp(n, exact[i]) == 0)
            return true;
    for (size_t i = 0; prefix[i]; i++)
        if (strncmp(n, prefix[i], strlen(prefix[i])) == 0)
            return true;
    return false;
}

/* Records the member `fd` (a FieldDecl) as written. A member of a union
 * shares its bytes with the union's other members, which no key relates:
 * that write is unknown. */
static int add_write_key(VCtx *v, const char *key);

static int add_write(VCtx *v, CXCursor fd)
{
    if (clang_getCursorKind(clang_getCursorSemanticParent(fd)) == CXCursor_UnionDecl)
        v->cur.writes_unknown = true;
    return add_write_key(v, field_key(v, fd));
}

/* Records `key` (a member's, or a variable's: fe_var_key) as written. */
static int add_write_key(VCtx *v, const char *key)
{
    FeFunc *f = &v->ff;
    if (!key)
        return -1;
    for (size_t i = 0; i < f->nwrites; i++)
        if (strcmp(f->writes[i], key) == 0)
            return 0;
    const char **slot = VEC_PUSH(f->writes, f->nwrites, f->capwrites);
    if (!slot)
        return -1;
    *slot = key;
    return 0;
}

/* Whether the DeclRefExpr node at `t` names a parameter or a variable with
 * automatic storage: storage that a pointer passed in from outside the
 * function's activation cannot designate (the analyzed call chain is the
 * only code running, and a suspended activation writes nothing). */
static bool names_automatic(const FeFunc *f, int32_t t)
{
    if (f->nodes[t].param >= 0)
        return true;
    CXCursor ref = clang_getCursorReferenced(f->nodes[t].cur);
    enum CXCursorKind k = clang_getCursorKind(ref);
    return k == CXCursor_ParmDecl ||
           (k == CXCursor_VarDecl && clang_Cursor_hasVarDeclGlobalStorage(ref) == 0);
}

/* Whether node t is `a[i]` over a local array `a` of automatic storage:
 * its own storage (an index out of bounds is undefined). */
static bool local_array_element(const FeFunc *f, int32_t t)
{
    if (f->nodes[t].ck != CXCursor_ArraySubscriptExpr || f->nodes[t].nchild != 2)
        return false;
    int32_t a = fe_strip(f, f->nodes[t].first, false);
    if (a < 0 || f->nodes[a].ck != CXCursor_DeclRefExpr || f->nodes[a].param >= 0)
        return false;
    CXCursor ref = clang_getCursorReferenced(f->nodes[a].cur);
    CXType at = clang_getCanonicalType(clang_getCursorType(ref));
    return clang_getCursorKind(ref) == CXCursor_VarDecl &&
           clang_Cursor_hasVarDeclGlobalStorage(ref) == 0 &&
           (at.kind == CXType_ConstantArray || at.kind == CXType_VariableArray ||
            at.kind == CXType_IncompleteArray);
}

/* Whether DeclRefExpr `ref` names a variable of static storage of a scalar
 * type (integer, pointer, floating): a store to it writes that variable
 * only. */
static bool static_scalar(CXCursor ref)
{
    CXCursor var = clang_getCursorReferenced(ref);
    if (clang_getCursorKind(var) != CXCursor_VarDecl || clang_Cursor_hasVarDeclGlobalStorage(var) != 1)
        return false;
    SumClass k = fe_type_class(clang_getCanonicalType(clang_getCursorType(var)), NULL);
    return k == SUM_CLASS_INT || k == SUM_CLASS_POINTER || k == SUM_CLASS_FLOAT;
}

/* Fills what the body may write (SumFunction.writes, writes_unknown): the
 * member keys of every store and address-of through any object, and the
 * keys of the static scalars it stores into; anything a key does not name
 * makes the writes unknown. Runs after the calls are
 * classified. */
static int note_writes(VCtx *v)
{
    FeFunc *f = &v->ff;
    for (size_t i = 0; i < f->nnodes; i++) {
        const FeNode *nd = &f->nodes[i];
        if (nd->ck == CXCursor_GCCAsmStmt || nd->ck == CXCursor_MSAsmStmt) {
            v->cur.writes_unknown = true;
            continue;
        }
        if (nd->kind == FN_CALL && nd->call >= 0) {
            const FeCallInfo *ci = &f->cinfo[nd->call];
            const char *n = ci->name ? ci->name : "";
            if ((ci->role == FC_BUILTIN && !builtin_writes_nothing(n)) ||
                (ci->kind == SUM_CALL_DIRECT &&
                 (strcmp(n, "memcpy") == 0 || strcmp(n, "memset") == 0 ||
                  strcmp(n, "memmove") == 0)))
                v->cur.writes_unknown = true;
            continue;
        }
        int32_t target = -1;
        bool addr = false;
        if ((nd->ck == CXCursor_BinaryOperator || nd->ck == CXCursor_CompoundAssignOperator) &&
            nd->op >= CXBinaryOperator_Assign && nd->op <= CXBinaryOperator_OrAssign) {
            target = nd->first >= 0 ? fe_strip(f, nd->first, false) : -1;
        } else if (nd->ck == CXCursor_UnaryOperator && nd->op >= CXUnaryOperator_PostInc &&
                   nd->op <= CXUnaryOperator_AddrOf) {
            target = nd->first >= 0 ? fe_strip(f, nd->first, false) : -1;
            addr = nd->op == CXUnaryOperator_AddrOf;
        } else {
            continue;
        }
        if (target < 0) {
            v->cur.writes_unknown = true;
            continue;
        }
        const FeNode *tn = &f->nodes[target];
        CXType tt = clang_getCanonicalType(clang_getCursorType(tn->cur));
        if (!addr && tt.kind == CXType_Record)
            v->cur.writes_unknown = true; /* a whole struct or union */
        if (tn->ck == CXCursor_MemberRefExpr) {
            CXCursor fd = clang_getCursorReferenced(tn->cur);
            if (clang_getCursorKind(fd) != CXCursor_FieldDecl)
                v->cur.writes_unknown = true;
            else if (add_write(v, fd) != 0)
                return -1;
        } else if (!addr && tn->ck == CXCursor_DeclRefExpr && static_scalar(tn->cur)) {
            /* A global or static scalar is an object of its own: no member
             * or other variable shares its bytes (a depth counter). */
            if (add_write_key(v, fe_var_key(&v->names, clang_getCanonicalCursor(
                                                       clang_getCursorReferenced(tn->cur)))) != 0)
                return -1;
        } else if (!addr && !(tn->ck == CXCursor_DeclRefExpr && names_automatic(f, target)) &&
                   !local_array_element(f, target)) {
            /* *q, a[i], a variable of static storage...; a plain &x hands
             * out a pointer whose stores are unknown where they happen */
            v->cur.writes_unknown = true;
        }
    }
    return 0;
}

/* Pass over the finished plain tree: parameter references, modified
 * parameters and call classification. */
static int prepare_body(VCtx *v)
{
    FeFunc *f = &v->ff;
    for (size_t i = 0; i < f->nnodes; i++) {
        FeNode *nd = &f->nodes[i];
        if (nd->ck != CXCursor_DeclRefExpr || (!f->nparams && !v->nfstatic))
            continue;
        CXCursor ref = clang_getCursorReferenced(nd->cur);
        enum CXCursorKind rk = clang_getCursorKind(ref);
        if (rk == CXCursor_ParmDecl && f->nparams) {
            nd->param = param_index(f, ref);
        } else if (rk == CXCursor_VarDecl && v->nfstatic) {
            /* A file static used here other than as a callee: no sole target. */
            FileStatic *fs = fs_lookup(v, ref);
            int32_t as = -1;
            if (fs && ref_use(f, (int32_t)i, &as) != 1)
                fs->bad = true;
        }
    }
    if (f->nparams && vec_reserve_n((void **)&f->pmods, f->nparams, &f->cappmods,
                                    sizeof *f->pmods) != 0)
        return -1;
    for (size_t p = 0; p < f->nparams; p++)
        f->pmods[p] = -1;
    for (size_t i = 0; i < f->nnodes; i++) {
        FeNode *nd = &f->nodes[i];
        int32_t target = -1;
        bool incdec = false;
        if (nd->ck == CXCursor_BinaryOperator || nd->ck == CXCursor_CompoundAssignOperator) {
            if (nd->op >= CXBinaryOperator_Assign && nd->op <= CXBinaryOperator_OrAssign &&
                nd->first >= 0)
                target = fe_strip(f, nd->first, false);
        } else if (nd->ck == CXCursor_UnaryOperator) {
            if ((nd->op >= CXUnaryOperator_PostInc && nd->op <= CXUnaryOperator_AddrOf) &&
                nd->first >= 0) {
                target = fe_strip(f, nd->first, false);
                incdec = nd->op <= CXUnaryOperator_PreDec;
            }
        }
        if (target >= 0 && f->nodes[target].param >= 0) {
            int32_t *pm = &f->pmods[f->nodes[target].param];
            *pm = incdec && *pm == -1 ? (int32_t)i : -2;
        }
        if (nd->param >= 0) {
            /* An operand of inline assembly may be written ("=r"(n)). */
            int32_t a = nd->parent;
            while (a >= 0 && f->nodes[a].nchild == 1 &&
                   (f->nodes[a].ck == CXCursor_ParenExpr || f->nodes[a].ck == CXCursor_UnexposedExpr))
                a = f->nodes[a].parent;
            if (a >= 0 && (f->nodes[a].ck == CXCursor_GCCAsmStmt || f->nodes[a].ck == CXCursor_MSAsmStmt))
                f->pmods[nd->param] = -2;
        }
        if (nd->kind == FN_CALL && classify_call(v, (int32_t)i) != 0)
            return -1;
    }
    for (size_t p = 0; p < f->nparams; p++)
        if (f->pmods[p] == -2 ||
            (f->pmods[p] >= 0 && !incdec_at_entry(f, f->pmods[p], (int32_t)p)))
            v->cur.params[p].modified = true;
    return note_writes(v);
}

static void fail(VCtx *v, FeStatus st)
{
    if (v->status == FE_OK)
        v->status = st;
}

/* Starts collecting the function definition `c`. */
static int func_begin(VCtx *v, CXCursor c)
{
    SumFunction *fn = &v->cur;
    memset(fn, 0, sizeof *fn);
    v->have_body = false;
    v->has_uattr = false;
    v->fcursor = c;
    v->ff.nnodes = v->ff.ncinfo = v->ff.nlocals = v->ff.ncalls = v->ff.nparams = 0;
    v->ff.noffrefs = 0;
    v->ff.nfs_calls = 0;
    v->ff.nwrites = 0;
    fn->name = cx_copy(v, clang_getCursorSpelling(c));
    fn->usr = cx_copy(v, clang_getCursorUSR(c));
    if (!fn->name || !fn->usr)
        return -1;
    fn->linkage = clang_getCursorLinkage(c) == CXLinkage_Internal ? SUM_LINK_INTERNAL
                                                                   : SUM_LINK_EXTERNAL;
    fn->loc = fe_loc(&v->names, clang_getCursorLocation(c));
    fn->end = fe_loc(&v->names, clang_getRangeEnd(clang_getCursorExtent(c)));
    CXType ft = clang_getCursorType(c);
    CXType rt = clang_getCursorResultType(c);
    fn->returns_void = clang_getCanonicalType(rt).kind == CXType_Void;
    fn->is_variadic = clang_isFunctionTypeVariadic(ft) != 0;
    fn->is_noreturn = type_is_noreturn(ft);
    if (!fn->returns_void) {
        uint64_t al;
        fe_type_size(rt, &fn->ret_size, &al);
        fn->ret_cls = fe_type_class(rt, NULL);
    } else {
        fn->ret_cls = SUM_CLASS_OTHER;
    }
    int np = clang_Cursor_getNumArguments(c);
    if (np > 0) {
        fn->nparams = (uint32_t)np;
        fn->params = arena_alloc(&v->sum->arena, (size_t)np * sizeof *fn->params);
        if (!fn->params || vec_reserve_n((void **)&v->ff.params, (size_t)np, &v->ff.capparams,
                                         sizeof *v->ff.params) != 0)
            return -1;
        v->ff.nparams = (size_t)np;
        for (int i = 0; i < np; i++) {
            CXCursor p = clang_Cursor_getArgument(c, (unsigned)i);
            v->ff.params[i] = p;
            SumParam *sp = &fn->params[i];
            sp->name = cx_copy(v, clang_getCursorSpelling(p));
            if (!sp->name)
                return -1;
            CXType pt = clang_getCursorType(p);
            fe_type_size(pt, &sp->size, &sp->align);
            sp->cls = fe_type_class(pt, &sp->is_unsigned);
        }
    }
    return 0;
}

static int func_end(VCtx *v)
{
    SumFunction *fn = &v->cur;
    FeFunc *f = &v->ff;
    if (v->has_uattr) {
        static const char *const intr[] = {"interrupt", "__interrupt__", NULL};
        CXCursor canon = clang_getCanonicalCursor(v->fcursor);
        CXSourceRange ext = clang_getCursorExtent(v->fcursor);
        CXSourceLocation bstart = clang_getCursorLocation(v->fcursor);
        if (v->have_body && f->nnodes > 0)
            bstart = clang_getRangeStart(clang_getCursorExtent(f->nodes[0].cur));
        CXSourceRange head = clang_getRange(clang_getRangeStart(ext), bstart);
        if (range_has_token(v->tu, head, intr) ||
            (!clang_equalCursors(canon, v->fcursor) &&
             range_has_token(v->tu, clang_getCursorExtent(canon), intr)))
            fn->is_interrupt = true;
        if (!fn->is_noreturn && decl_is_noreturn(v->tu, v->fcursor, NULL))
            fn->is_noreturn = true;
    }
    if (v->have_body && f->nnodes > 0) {
        f->tu = v->tu;
        f->sum = v->sum;
        f->fn = fn;
        if (prepare_body(v) != 0 || fe_cfg_build(f, &v->names) != 0 || v->status != FE_OK)
            return -1;
    } else {
        /* No body (cannot happen for a definition): one returning block. */
        fn->nblocks = 1;
        fn->blocks = arena_alloc(&v->sum->arena, sizeof *fn->blocks);
        if (!fn->blocks)
            return -1;
        fn->blocks[0].exit = SUM_EXIT_RETURN;
    }
    if (f->nwrites) {
        fn->writes = arena_memdup(&v->sum->arena, f->writes, f->nwrites, sizeof *f->writes);
        if (!fn->writes)
            return -1;
        fn->nwrites = (uint32_t)f->nwrites;
    }
    if (f->nlocals) {
        fn->locals = arena_memdup(&v->sum->arena, f->locals, f->nlocals, sizeof *f->locals);
        if (!fn->locals)
            return -1;
        fn->nlocals = (uint32_t)f->nlocals;
    }
    SumFunction *slot = VEC_PUSH(v->funcs, v->nfuncs, v->capfuncs);
    if (!slot)
        return -1;
    *slot = *fn;
    if (fs_note_calls(v) != 0)
        return -1;
    return v->status == FE_OK ? 0 : -1;
}

static uint8_t node_kind(enum CXCursorKind ck, CXCursor c, uint8_t *op)
{
    *op = 0;
    switch ((int)ck) {
    case CXCursor_CompoundStmt: return FN_COMPOUND;
    case CXCursor_IfStmt: return FN_IF;
    case CXCursor_WhileStmt: return FN_WHILE;
    case CXCursor_DoStmt: return FN_DO;
    case CXCursor_ForStmt: return FN_FOR;
    case CXCursor_SwitchStmt: return FN_SWITCH;
    case CXCursor_CaseStmt: return FN_CASE;
    case CXCursor_DefaultStmt: return FN_DEFAULT;
    case CXCursor_BreakStmt: return FN_BREAK;
    case CXCursor_ContinueStmt: return FN_CONTINUE;
    case CXCursor_ReturnStmt: return FN_RETURN;
    case CXCursor_GotoStmt: return FN_GOTO;
    case CXCursor_LabelStmt: return FN_LABEL;
    case CXCursor_ConditionalOperator: return FN_COND;
    case CXCursor_GenericSelectionExpr: return FN_GENERIC;
    case CXCursor_CallExpr: return FN_CALL;
    case CXCursor_UnaryExpr: return FN_LEAF;
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator:
        *op = (uint8_t)clang_getCursorBinaryOperatorKind(c);
        if (*op == CXBinaryOperator_LAnd)
            return FN_LAND;
        if (*op == CXBinaryOperator_LOr)
            return FN_LOR;
        return FN_SEQ;
    case CXCursor_UnaryOperator:
        *op = (uint8_t)clang_getCursorUnaryOperatorKind(c);
        return FN_SEQ;
    default:
        return FN_SEQ;
    }
}

static int32_t add_node(VCtx *v, CXCursor c, enum CXCursorKind ck, int32_t parent)
{
    FeFunc *f = &v->ff;
    FeNode *nd = VEC_PUSH(f->nodes, f->nnodes, f->capnodes);
    if (!nd)
        return -2;
    int32_t i = (int32_t)(f->nnodes - 1);
    nd->cur = c;
    nd->ck = ck;
    nd->kind = node_kind(ck, c, &nd->op);
    nd->parent = parent;
    nd->first = nd->last = nd->next = -1;
    nd->param = -1;
    nd->call = -1;
    nd->sole = -2;
    nd->end = (uint32_t)f->nnodes;
    if (parent >= 0) {
        FeNode *p = &f->nodes[parent];
        if (p->last >= 0)
            f->nodes[p->last].next = i;
        else
            p->first = i;
        p->last = i;
        p->nchild++;
    }
    return i;
}

static int add_local(VCtx *v, CXCursor c)
{
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(c);
    if (sc != CX_SC_None && sc != CX_SC_Auto && sc != CX_SC_Register)
        return 0;
    SumLocal *l = VEC_PUSH(v->ff.locals, v->ff.nlocals, v->ff.caplocals);
    if (!l)
        return -1;
    l->name = cx_copy(v, clang_getCursorSpelling(c));
    if (!l->name)
        return -1;
    CXType t = clang_getCursorType(c);
    CXType ct = clang_getCanonicalType(t);
    long long s = clang_Type_getSizeOf(t);
    long long a = clang_Type_getAlignOf(t);
    l->vla = ct.kind == CXType_VariableArray || s < 0;
    l->size = s > 0 ? (uint64_t)s : 0;
    l->align = a > 0 ? (uint64_t)a : 0;
    if (l->vla && l->align == 0)
        l->align = 16;
    if (l->vla) {
        l->size = 0;
        /* The element alignment of a VLA. */
        CXType e = clang_getArrayElementType(ct);
        long long ea = clang_Type_getAlignOf(e);
        if (ea > 0)
            l->align = (uint64_t)ea;
    }
    l->loc = fe_loc(&v->names, clang_getCursorLocation(c));
    return 0;
}

/* Is the child `idx` of the stack top (ending at `top`) the callee of a
 * CallExpr, through parentheses and implicit casts? */
static bool is_callee(const VCtx *v, size_t top, uint32_t idx)
{
    size_t j = top + 1;
    uint32_t ci = idx;
    while (j > 0) {
        const Open *o = &v->open[j - 1];
        if (o->ck == CXCursor_CallExpr)
            return ci == 0;
        if ((o->ck != CXCursor_UnexposedExpr && o->ck != CXCursor_ParenExpr) || ci != 0)
            return false;
        ci = o->idx;
        j--;
    }
    return false;
}

static void pop_one(VCtx *v)
{
    Open *o = &v->open[v->nopen - 1];
    if (o->node >= 0)
        v->ff.nodes[o->node].end = (uint32_t)v->ff.nnodes;
    if (o->mode == M_FUNC && v->status == FE_OK && func_end(v) != 0)
        fail(v, FE_ENOMEM);
    v->nopen--;
}

static void parse_annotate(VCtx *v, CXCursor c)
{
    CXString s = clang_getCursorSpelling(c);
    const char *t = clang_getCString(s);
    static const char key[] = "stackcheck:max_depth=";
    if (t && strncmp(t, key, sizeof key - 1) == 0) {
        char *endp = NULL;
        unsigned long long n = strtoull(t + sizeof key - 1, &endp, 10);
        if (endp && endp != t + sizeof key - 1 && *endp == '\0')
            v->cur.max_depth = n;
    }
    clang_disposeString(s);
}

/* Outside function bodies, declarations that hold no code and no address
 * of a function: prototypes, struct, union and enum declarations, typedefs.
 * Headers are mostly these; not walking them is most of the walk saved. */
static bool no_code_inside(CXCursor c, enum CXCursorKind ck)
{
    if (ck == CXCursor_StructDecl || ck == CXCursor_UnionDecl || ck == CXCursor_EnumDecl ||
        ck == CXCursor_TypedefDecl)
        return true;
    return ck == CXCursor_FunctionDecl && !clang_isCursorDefinition(c);
}

/* Whether open cursor `o` is `parent`, asked about 1 M times per sqlite3.c.
 * libclang hands a child the very cursor it handed us for the parent, so
 * equal bits mean equal cursors. clang_equalCursors compares the kind and
 * the node (data[0]) and ignores only some of the other bits, so cursors
 * that differ there are different; only the rest need the call. */
static bool is_parent(const CXCursor *o, CXCursor parent)
{
    if (o->kind != parent.kind || o->data[0] != parent.data[0])
        return false;
    if (o->xdata == parent.xdata && o->data[1] == parent.data[1] && o->data[2] == parent.data[2])
        return true;
    return clang_equalCursors(*o, parent) != 0;
}

/* Records prototype `c` when it declares an alias (`__attribute__((alias(
 * "target")))`, read from clang's printing of the declaration: libclang has
 * no cursor for the attribute). Only declarations with attributes in the
 * main file are looked at: headers declare thousands of prototypes. */
static int note_alias(VCtx *v, CXCursor c)
{
    CXPrintingPolicy pol = clang_getCursorPrintingPolicy(c);
    CXString ps = clang_getCursorPrettyPrinted(c, pol);
    clang_PrintingPolicy_dispose(pol);
    const char *text = clang_getCString(ps);
    static const char key[] = "__attribute__((alias(\"";
    const char *at = text ? strstr(text, key) : NULL;
    int rc = 0;
    if (at) {
        at += sizeof key - 1;
        const char *end = strchr(at, '"');
        Alias *a = end && end > at ? VEC_PUSH(v->aliases, v->naliases, v->capaliases) : NULL;
        if (end && end > at && !a) {
            rc = -1;
        } else if (a) {
            a->target = arena_strndup(&v->sum->arena, at, (size_t)(end - at));
            a->usr = cx_copy(v, clang_getCursorUSR(c));
            a->name = cx_copy(v, clang_getCursorSpelling(c));
            a->loc = fe_loc(&v->names, clang_getCursorLocation(c));
            a->internal = clang_getCursorLinkage(c) == CXLinkage_Internal;
            if (!a->target || !a->usr || !a->name)
                rc = -1;
        }
    }
    clang_disposeString(ps);
    return rc;
}

/* Turns each alias whose target this TU defines into a function of no frame
 * whose one call is to the target (SumFunction.is_alias). An alias
 * declared twice counts once; one whose target is elsewhere is left out
 * (it stays an external of the program). */
static int add_aliases(VCtx *v)
{
    Arena *ar = &v->sum->arena;
    for (size_t i = 0; i < v->naliases; i++) {
        const Alias *a = &v->aliases[i];
        bool seen = false;
        for (size_t k = 0; k < v->nfuncs && !seen; k++)
            seen = strcmp(v->funcs[k].usr, a->usr) == 0;
        const SumFunction *t = NULL;
        for (size_t k = 0; k < v->nfuncs && !t; k++)
            if (!v->funcs[k].is_alias && strcmp(v->funcs[k].name, a->target) == 0)
                t = &v->funcs[k];
        if (seen || !t)
            continue;
        SumCall *call = arena_alloc(ar, sizeof *call);
        SumBlock *blk = arena_alloc(ar, sizeof *blk);
        if (!call || !blk)
            return -1;
        memset(call, 0, sizeof *call);
        call->kind = SUM_CALL_DIRECT;
        call->callee_usr = t->usr;
        call->callee_name = t->name;
        call->callee_internal = t->linkage == SUM_LINK_INTERNAL;
        call->callee_noreturn = t->is_noreturn;
        call->loc = a->loc;
        call->reachable = true;
        call->guards_known = true;
        *blk = (SumBlock){0, 0, SUM_EXIT_RETURN};
        SumFunction fn;
        memset(&fn, 0, sizeof fn);
        fn.name = a->name;
        fn.usr = a->usr;
        fn.linkage = a->internal ? SUM_LINK_INTERNAL : SUM_LINK_EXTERNAL;
        fn.loc = a->loc;
        fn.end = a->loc;
        fn.returns_void = t->returns_void;
        fn.is_variadic = t->is_variadic;
        fn.is_noreturn = t->is_noreturn;
        fn.ret_size = t->ret_size;
        fn.ret_cls = t->ret_cls;
        fn.ncalls = 1;
        fn.calls = call;
        fn.nblocks = 1;
        fn.blocks = blk;
        fn.is_alias = true;
        /* VEC_PUSH may move v->funcs: t is not used past here. */
        SumFunction *slot = VEC_PUSH(v->funcs, v->nfuncs, v->capfuncs);
        if (!slot)
            return -1;
        *slot = fn;
    }
    return 0;
}

/* Whether c was written in the main file, also through a macro expanded
 * there (musl's weak_alias(old, new)). */
static bool in_main_file(VCtx *v, CXCursor c)
{
    CXFile f = NULL;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    if (!v->main_file) {
        CXString sp = clang_getTranslationUnitSpelling(v->tu);
        v->main_file = clang_getFile(v->tu, clang_getCString(sp));
        clang_disposeString(sp);
    }
    return f && v->main_file && clang_File_isEqual(f, v->main_file);
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent, CXClientData data)
{
    VCtx *v = data;
    while (v->nopen > 0 && !is_parent(&v->open[v->nopen - 1].c, parent)) {
        pop_one(v);
        if (v->status != FE_OK)
            return CXChildVisit_Break;
    }
    if (v->nopen >= SC_MAX_AST_DEPTH) {
        SumLoc l = fe_loc(&v->names, clang_getCursorLocation(c));
        diag_add(v->diags, DIAG_ERROR, l.file ? l.file : v->path, l.line, l.col,
                 "code nested deeper than %u levels is not analyzed", SC_MAX_AST_DEPTH);
        fail(v, FE_EPARSE);
        return CXChildVisit_Break;
    }
    enum CXCursorKind ck = clang_getCursorKind(c);
    Open *p = v->nopen ? &v->open[v->nopen - 1] : NULL;
    if ((!p || p->mode == M_OUT) && no_code_inside(c, ck)) {
        if (p)
            p->nkids++; /* keeps the indexes of its siblings */
        if (ck == CXCursor_FunctionDecl && clang_Cursor_hasAttrs(c) && in_main_file(v, c) &&
            note_alias(v, c) != 0) {
            fail(v, FE_ENOMEM);
            return CXChildVisit_Break;
        }
        return CXChildVisit_Continue;
    }
    /* The new open cursor is built in place, in the slot past the top
     * (reserved first, so that `p` stays valid), and counted at the end. */
    if (vec_reserve((void **)&v->open, v->nopen, &v->capopen, sizeof *v->open) != 0) {
        fail(v, FE_ENOMEM);
        return CXChildVisit_Break;
    }
    p = v->nopen ? &v->open[v->nopen - 1] : NULL;
    Open *o = &v->open[v->nopen];
    memset(o, 0, sizeof *o);
    o->c = c;
    o->ck = ck;
    o->node = -1;
    o->mode = M_OUT;
    if (ck == CXCursor_BinaryOperator)
        o->op_assign = clang_getCursorBinaryOperatorKind(c) == CXBinaryOperator_Assign;
    if (p) {
        o->idx = p->nkids++;
        o->uneval = p->uneval || p->ck == CXCursor_UnaryExpr ||
                    (p->ck == CXCursor_GenericSelectionExpr && o->idx == 0);
        if (!o->uneval && clang_isExpression(ck)) {
            if (p->ck == CXCursor_VarDecl) {
                if (!p->init_known) {
                    p->init = clang_Cursor_getVarDeclInitializer(p->c);
                    p->init_known = true;
                }
                if (!clang_equalCursors(c, p->init) &&
                    clang_getCanonicalType(clang_getCursorType(p->c)).kind !=
                        CXType_VariableArray)
                    o->uneval = true;
            } else if (p->ck == CXCursor_FieldDecl || p->ck == CXCursor_TypedefDecl ||
                       p->ck == CXCursor_ParmDecl) {
                o->uneval = true;
            }
        }
    }
    if (ck == CXCursor_DeclRefExpr && !o->uneval && p) {
        CXCursor ref = clang_getCursorReferenced(c);
        if (clang_getCursorKind(ref) == CXCursor_FunctionDecl &&
            !is_callee(v, v->nopen - 1, o->idx)) {
            Callee *e = callee_get(v, ref);
            if (e && !e->fn_type)
                e->fn_type = cx_copy(v, clang_getTypeSpelling(
                                            clang_getCanonicalType(clang_getCursorType(ref))));
            if (!e || !e->fn_type) {
                fail(v, FE_ENOMEM);
                return CXChildVisit_Break;
            }
            e->addr_taken = true;
            CXCursor fd = store_field(v, v->nopen - 1, o->idx);
            if (!clang_Cursor_isNull(fd) && add_store(v, e, fd) != 0) {
                fail(v, FE_ENOMEM);
                return CXChildVisit_Break;
            }
        }
    }
    if (p) {
        if (o->idx == 0)
            p->kid0 = c;
        if (ck == CXCursor_MemberRef) {
            CXCursor fd = clang_getCursorReferenced(c);
            if (clang_getCursorKind(fd) == CXCursor_FieldDecl) {
                p->has_member = true;
                p->member = fd;
            }
        }
    }
    uint8_t pmode = p ? p->mode : M_OUT;
    if (pmode == M_OUT) {
        if (ck == CXCursor_FunctionDecl && clang_isCursorDefinition(c)) {
            if (func_begin(v, c) != 0) {
                fail(v, FE_ENOMEM);
                return CXChildVisit_Break;
            }
            o->mode = M_FUNC;
        }
    } else if (pmode == M_FUNC) {
        o->mode = M_SKIP;
        if (ck == CXCursor_CompoundStmt && !v->have_body) {
            v->have_body = true;
            o->node = add_node(v, c, ck, -1);
            o->mode = M_BODY;
        } else if (ck == CXCursor_AnnotateAttr) {
            parse_annotate(v, c);
        } else if (ck == CXCursor_UnexposedAttr) {
            v->has_uattr = true;
        }
    } else if (pmode == M_BODY) {
        o->mode = M_SKIP;
        /* An attribute of a local may run code no call shows (cleanup(fn)
         * calls fn at the end of the scope): what the body writes is not
         * known. */
        if (clang_isAttribute(ck) && p->ck == CXCursor_VarDecl)
            v->cur.writes_unknown = true;
        if (!o->uneval && p->ck != CXCursor_UnaryExpr &&
            (clang_isExpression(ck) || clang_isStatement(ck) || ck == CXCursor_VarDecl)) {
            o->node = add_node(v, c, ck, p->node);
            o->mode = M_BODY;
            if (o->node >= 0 && ck == CXCursor_VarDecl && add_local(v, c) != 0)
                o->node = -2;
        }
    } else {
        o->mode = M_SKIP;
    }
    if (o->node == -2) {
        fail(v, FE_ENOMEM);
        return CXChildVisit_Break;
    }
    if (!p && ck == CXCursor_VarDecl && fs_track(v, c) != 0) {
        fail(v, FE_ENOMEM);
        return CXChildVisit_Break;
    }
    if (ck == CXCursor_DeclRefExpr && o->node < 0 && v->nfstatic)
        fs_spoil(v, c); /* outside the plain tree: a global initializer, sizeof, ... */
    if (ck == CXCursor_DeclRefExpr && o->node < 0 && v->have_body &&
        (pmode == M_BODY || pmode == M_SKIP)) {
        CXCursor *r = VEC_PUSH(v->ff.offrefs, v->ff.noffrefs, v->ff.capoffrefs);
        if (!r) {
            fail(v, FE_ENOMEM);
            return CXChildVisit_Break;
        }
        *r = c;
    }
    v->nopen++;
    return CXChildVisit_Recurse;
}

static void inclusion(CXFile f, CXSourceLocation *stack, unsigned n, CXClientData data)
{
    (void)stack;
    (void)n;
    VCtx *v = data;
    if (v->status != FE_OK)
        return;
    const char *name = fe_file_name(&v->names, f);
    /* Names are interned per file, so a repeated inclusion has the same
     * pointer. */
    for (size_t k = 0; name && k < v->ndeps; k++)
        if (v->deps[k] == name)
            return;
    const char **slot = name ? VEC_PUSH(v->deps, v->ndeps, v->capdeps) : NULL;
    if (!slot) {
        fail(v, FE_ENOMEM);
        return;
    }
    *slot = name;
}

static void vctx_fini(VCtx *v)
{
    mem_free(v->open);
    mem_free(v->funcs);
    mem_free(v->tab);
    fe_names_fini(&v->names);
    mem_free(v->deps);
    mem_free(v->stores);
    mem_free(v->ff.params);
    mem_free(v->ff.nodes);
    mem_free(v->ff.cinfo);
    mem_free(v->ff.locals);
    mem_free(v->ff.calls);
    mem_free(v->ff.ann_lines);
    mem_free(v->ff.fs_calls);
    mem_free(v->fstatic);
    mem_free(v->fs_pending);
    mem_free(v->aliases);
    mem_free(v->ff.offrefs);
    mem_free(v->ff.pmods);
    mem_free(v->ff.writes);
}

FeStatus fe_visit_tu(CXTranslationUnit tu, TuSummary *sum, const char *path, DiagSink *diags)
{
    VCtx v;
    memset(&v, 0, sizeof v);
    v.tu = tu;
    {
        CXTargetInfo ti = clang_getTranslationUnitTargetInfo(tu);
        if (ti) {
            CXString t = clang_TargetInfo_getTriple(ti);
            const char *c = clang_getCString(t);
            v.inline_atomics = c && (strncmp(c, "x86_64", 6) == 0 || strncmp(c, "aarch64", 7) == 0);
            clang_disposeString(t);
            clang_TargetInfo_dispose(ti);
        }
    }
    v.sum = sum;
    v.path = path;
    v.diags = diags;
    v.status = FE_OK;
    v.names = (FeNames){.sum = sum, .status = &v.status};
    v.names.keys = mem_calloc(FE_FIELD_KEY_CACHE, sizeof *v.names.keys);
    if (!v.names.keys)
        v.status = FE_ENOMEM;
    if (v.status == FE_OK)
        clang_visitChildren(clang_getTranslationUnitCursor(tu), visit, &v);
    while (v.nopen > 0 && v.status == FE_OK)
        pop_one(&v);
    if (v.status == FE_OK) {
        /* Address-taken: match each function against the referenced ones
         * (compacted to the front of the table, which is not used again). */
        size_t nat = 0;
        for (size_t j = 0; j < v.captab; j++)
            if (v.tab[j].used && v.tab[j].addr_taken)
                v.tab[nat++] = v.tab[j];
        /* By USR: the table's order follows cursor hashes, which change
         * from run to run, and a summary must be the same every time (a
         * build artifact: remote caches key on it). */
        if (nat > 1)
            qsort(v.tab, nat, sizeof *v.tab, cmp_callee_usr);
        for (size_t i = 0; i < v.nfuncs; i++) {
            size_t lo = 0, hi = nat; /* the first entry with this USR */
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(v.tab[mid].usr, v.funcs[i].usr) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < nat && strcmp(v.tab[lo].usr, v.funcs[i].usr) == 0)
                v.funcs[i].address_taken = true;
        }
        /* The linker's facts: each address-taken function once, then every
         * store into a member. */
        size_t nrefs = nat + v.nstores;
        if (nrefs && nrefs <= UINT32_MAX) {
            sum->refs = arena_alloc(&sum->arena, nrefs * sizeof *sum->refs);
            if (!sum->refs)
                fail(&v, FE_ENOMEM);
            for (size_t j = 0; sum->refs && j < nat; j++)
                sum->refs[j] = (SumFnRef){v.tab[j].usr, v.tab[j].name, v.tab[j].internal,
                                          v.tab[j].fn_type, NULL};
            for (size_t j = 0; sum->refs && j < v.nstores; j++)
                sum->refs[nat + j] = v.stores[j];
            if (sum->refs)
                sum->nrefs = (uint32_t)nrefs;
        }
        fs_finish(&v);
        if (v.status == FE_OK && add_aliases(&v) != 0)
            fail(&v, FE_ENOMEM);
        if (v.nfuncs) {
            sum->funcs = arena_memdup(&sum->arena, v.funcs, v.nfuncs, sizeof *v.funcs);
            if (!sum->funcs)
                fail(&v, FE_ENOMEM);
            sum->nfuncs = (uint32_t)v.nfuncs;
        }
    }
    if (v.status == FE_OK) {
        clang_getInclusions(tu, inclusion, &v);
        if (v.status == FE_OK && v.ndeps) {
            sum->deps = arena_memdup(&sum->arena, v.deps, v.ndeps, sizeof *v.deps);
            if (!sum->deps)
                fail(&v, FE_ENOMEM);
            sum->ndeps = (uint32_t)v.ndeps;
        }
    }
    FeStatus st = v.status;
    vctx_fini(&v);
    return st;
}
