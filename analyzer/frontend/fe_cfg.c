/* This file turns the plain tree of one function body into basic blocks,
 * call sites (with argument relations and entry guards) and reachability,
 * with explicit work stacks only. */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "frontend/fe_int.h"
#include "limits.h"
#include "util/mem.h"
#include "util/vec.h"

#define NO_BLOCK UINT32_MAX

typedef struct Edge {
    uint32_t from, to;
} Edge;

typedef struct Frame {
    int32_t node;
    uint32_t state;
    int32_t x[4];
    uint32_t b[4];
} Frame;

typedef struct Target {
    uint32_t brk, cont; /* cont NO_BLOCK for a switch */
} Target;

typedef struct Switch {
    uint32_t disp;
    bool has_default;
} Switch;

typedef struct Label {
    CXSourceLocation loc;
    uint32_t block;
} Label;

typedef struct Cfg {
    FeFunc *f;
    FeNames *names;          /* where call locations are interned */
    uint8_t *bx; /* SumExit per block */
    size_t nb, capb;
    Edge *e;
    size_t ne, cape;
    Frame *st;
    size_t nst, capst;
    Target *tg;
    size_t ntg, captg;
    Switch *sw;
    size_t nsw, capsw;
    Label *lb;
    size_t nlb, caplb;
    uint32_t *igoto;  /* blocks ending in a computed goto */
    size_t nigoto, capigoto;
    uint32_t *leaves; /* prefix counts of leaving nodes, nnodes + 1 */
    int32_t *lastgoto; /* per node: the last goto label before it in
                          pre-order, -1 when none */
    int32_t *lastcase; /* per node: the last case or default label before
                          it in pre-order, -1 when none */
    int32_t *previnc;  /* per block item: the nearest earlier item of its
                          block that increments something (member_step), -1
                          when none: depth_counter's candidates */
    uint32_t cur;
    bool failed;
} Cfg;

int32_t fe_strip(const FeFunc *f, int32_t i, bool casts)
{
    while (i >= 0) {
        const FeNode *n = &f->nodes[i];
        if (n->nchild == 1 && (n->ck == CXCursor_ParenExpr || n->ck == CXCursor_UnexposedExpr ||
                               (casts && n->ck == CXCursor_CStyleCastExpr)))
            i = n->first;
        else if (casts && n->ck == CXCursor_CStyleCastExpr && n->nchild >= 1)
            i = n->last;
        else
            break;
    }
    return i;
}

static int eval_cursor(CXCursor c, int64_t *v)
{
    CXEvalResult r = clang_Cursor_Evaluate(c);
    if (!r)
        return 0;
    int ok = 0;
    if (clang_EvalResult_getKind(r) == CXEval_Int) {
        *v = (int64_t)clang_EvalResult_getAsLongLong(r);
        ok = 1;
    }
    clang_EvalResult_dispose(r);
    return ok;
}

int fe_eval_int(const FeFunc *f, int32_t i, int64_t *v)
{
    if (i < 0)
        return 0;
    /* Expressions that mention a parameter or call are never constant;
     * skipping them saves clang's evaluator. */
    for (uint32_t k = (uint32_t)i; k < f->nodes[i].end; k++)
        if (f->nodes[k].param >= 0 || f->nodes[k].kind == FN_CALL)
            return 0;
    if (eval_cursor(f->nodes[i].cur, v))
        return 1;
    int32_t s = fe_strip(f, i, true);
    return s != i && eval_cursor(f->nodes[s].cur, v);
}

static uint32_t new_block(Cfg *c)
{
    uint8_t *b = VEC_PUSH(c->bx, c->nb, c->capb);
    if (!b) {
        c->failed = true;
        return 0;
    }
    *b = SUM_EXIT_NONE;
    return (uint32_t)(c->nb - 1);
}

static void edge(Cfg *c, uint32_t from, uint32_t to)
{
    Edge *e = VEC_PUSH(c->e, c->ne, c->cape);
    if (!e) {
        c->failed = true;
        return;
    }
    e->from = from;
    e->to = to;
}

/* Ends the current block with `kind` and opens a fresh (unreachable) one. */
static void end_block(Cfg *c, SumExit kind)
{
    c->bx[c->cur] = (uint8_t)kind;
    c->cur = new_block(c);
}

static void push(Cfg *c, int32_t node)
{
    if (node < 0)
        return;
    Frame *fr = VEC_PUSH(c->st, c->nst, c->capst);
    if (!fr) {
        c->failed = true;
        return;
    }
    fr->node = node;
}

static uint32_t label_block(Cfg *c, CXSourceLocation loc)
{
    for (size_t i = 0; i < c->nlb; i++)
        if (clang_equalLocations(c->lb[i].loc, loc))
            return c->lb[i].block;
    uint32_t b = new_block(c);
    Label *l = VEC_PUSH(c->lb, c->nlb, c->caplb);
    if (!l) {
        c->failed = true;
        return b;
    }
    l->loc = loc;
    l->block = b;
    return b;
}

/* Constant truth value of a condition: 1, 0, or -1 when unknown. */
static int cond_value(const FeFunc *f, int32_t n)
{
    int64_t v;
    if (n < 0)
        return 1; /* for (;;) */
    return fe_eval_int(f, n, &v) ? (v != 0) : -1;
}

static bool is_leave(const FeFunc *f, const FeNode *n)
{
    switch (n->kind) {
    case FN_RETURN: case FN_GOTO: case FN_BREAK: case FN_CONTINUE: case FN_LABEL:
        return true;
    case FN_CALL: {
        const FeCallInfo *ci = &f->cinfo[n->call];
        return ci->role == FC_TRAP || (ci->role == FC_RECORD && ci->noreturn);
    }
    default:
        return n->ck == CXCursor_IndirectGotoStmt;
    }
}

static bool subtree_leaves(const Cfg *c, int32_t i)
{
    return c->leaves[c->f->nodes[i].end] - c->leaves[i] > 0;
}

static bool param_usable(const FeFunc *f, int32_t n)
{
    if (n < 0 || f->nodes[n].param < 0)
        return false;
    const SumParam *p = &f->fn->params[f->nodes[n].param];
    return !p->modified && (p->cls == SUM_CLASS_INT || p->cls == SUM_CLASS_POINTER);
}

static SumCmp negate_cmp(SumCmp op)
{
    switch (op) {
    case SUM_CMP_LT: return SUM_CMP_GE;
    case SUM_CMP_LE: return SUM_CMP_GT;
    case SUM_CMP_GT: return SUM_CMP_LE;
    case SUM_CMP_GE: return SUM_CMP_LT;
    case SUM_CMP_EQ: return SUM_CMP_NE;
    case SUM_CMP_NE: return SUM_CMP_EQ;
    }
    return op;
}

static SumCmp flip_cmp(SumCmp op)
{
    switch (op) {
    case SUM_CMP_LT: return SUM_CMP_GT;
    case SUM_CMP_LE: return SUM_CMP_GE;
    case SUM_CMP_GT: return SUM_CMP_LT;
    case SUM_CMP_GE: return SUM_CMP_LE;
    case SUM_CMP_EQ: return SUM_CMP_EQ;
    case SUM_CMP_NE: return SUM_CMP_NE;
    }
    return op;
}

static bool cmp_of(uint8_t op, SumCmp *out)
{
    switch (op) {
    case CXBinaryOperator_LT: *out = SUM_CMP_LT; return true;
    case CXBinaryOperator_LE: *out = SUM_CMP_LE; return true;
    case CXBinaryOperator_GT: *out = SUM_CMP_GT; return true;
    case CXBinaryOperator_GE: *out = SUM_CMP_GE; return true;
    case CXBinaryOperator_EQ: *out = SUM_CMP_EQ; return true;
    case CXBinaryOperator_NE: *out = SUM_CMP_NE; return true;
    default: return false;
    }
}

typedef struct Guards {
    SumGuard g[SC_MAX_GUARDS];
    uint32_t n;
    FeNames *names;          /* where member keys are interned */
    bool oom;                /* a key could not be copied */
} Guards;

static bool add_guard(Guards *gs, int32_t param, SumCmp op, int64_t v, const char *field)
{
    if (gs->n >= SC_MAX_GUARDS)
        return false;
    gs->g[gs->n].param = (uint32_t)param;
    gs->g[gs->n].op = op;
    gs->g[gs->n].value = v;
    gs->g[gs->n].field = field;
    gs->n++;
    return true;
}

/* The values of integer type `t` (canonical, integer class): false when its
 * range is not known (a bit-field's width is given by `bits` > 0). */
static bool int_range(CXType t, int bits, int64_t *lo, int64_t *hi)
{
    if (t.kind == CXType_Enum)
        t = clang_getCanonicalType(clang_getEnumDeclIntegerType(clang_getTypeDeclaration(t)));
    bool uns = false;
    if (fe_type_class(t, &uns) != SUM_CLASS_INT)
        return false;
    long long size = clang_Type_getSizeOf(t);
    int w = t.kind == CXType_Bool ? 1 : bits > 0 ? bits : size > 0 && size <= 8 ? (int)size * 8 : 0;
    if (w <= 0 || w > 64)
        return false;
    if (uns) {
        *lo = 0;
        *hi = w >= 63 ? INT64_MAX : (int64_t)((UINT64_C(1) << w) - 1);
    } else {
        *lo = w == 64 ? INT64_MIN : -(int64_t)(UINT64_C(1) << (w - 1));
        *hi = w == 64 ? INT64_MAX : (int64_t)((UINT64_C(1) << (w - 1)) - 1);
    }
    return true;
}

/* Node n (stripped) as `p->m` or `(*p).m`: p an unmodified pointer
 * parameter, m a non-volatile integer member of a struct (not a union,
 * whose members share bytes). Sets *param and *fd. */
static bool member_usable(const FeFunc *f, int32_t n, int32_t *param, CXCursor *fd)
{
    if (n < 0 || f->nodes[n].ck != CXCursor_MemberRefExpr || f->nodes[n].nchild != 1)
        return false;
    int32_t b = fe_strip(f, f->nodes[n].first, false);
    if (b < 0)
        return false;
    CXType bt = clang_getCanonicalType(clang_getCursorType(f->nodes[b].cur));
    if (bt.kind == CXType_Record) { /* (*p).m */
        if (f->nodes[b].ck != CXCursor_UnaryOperator || f->nodes[b].op != CXUnaryOperator_Deref ||
            f->nodes[b].nchild != 1)
            return false;
        b = fe_strip(f, f->nodes[b].first, false);
    } else if (bt.kind != CXType_Pointer) { /* p->m */
        return false;
    }
    if (b < 0 || f->nodes[b].param < 0)
        return false;
    const SumParam *sp = &f->fn->params[f->nodes[b].param];
    if (sp->modified || sp->cls != SUM_CLASS_POINTER)
        return false;
    CXCursor m = clang_getCursorReferenced(f->nodes[n].cur);
    if (clang_getCursorKind(m) != CXCursor_FieldDecl ||
        clang_getCursorKind(clang_getCursorSemanticParent(m)) != CXCursor_StructDecl)
        return false;
    CXType t = clang_getCanonicalType(clang_getCursorType(f->nodes[n].cur));
    if (clang_isVolatileQualifiedType(t) || fe_type_class(t, NULL) != SUM_CLASS_INT)
        return false;
    *param = f->nodes[b].param;
    *fd = m;
    return true;
}

/* Adds the member guard `mem OP k` (`mem` the member node) when it is
 * exact: a comparison (`side` its unstripped operand; -1 for a truth test,
 * exact in any type) is made in a signed type that holds every value of the
 * member, and the guard alone can hold for some value of the member's type.
 * False when not understood. */
static bool add_member_guard(const FeFunc *f, Guards *gs, int32_t side, int32_t mem, int32_t p,
                             CXCursor fd, SumCmp op, int64_t k)
{
    CXType mt = clang_getCanonicalType(clang_getCursorType(f->nodes[mem].cur));
    int64_t clo = INT64_MIN, chi = INT64_MAX, lo, hi;
    if (!int_range(mt, clang_getFieldDeclBitWidth(fd), &lo, &hi))
        return false;
    if (side >= 0) {
        CXType ct = clang_getCanonicalType(clang_getCursorType(f->nodes[side].cur));
        bool cuns = true;
        if (fe_type_class(ct, &cuns) != SUM_CLASS_INT || cuns || !int_range(ct, 0, &clo, &chi) ||
            lo < clo || hi > chi)
            return false;
    }
    bool can = true;
    switch (op) {
    case SUM_CMP_LT: can = k > lo; break;
    case SUM_CMP_LE: can = k >= lo; break;
    case SUM_CMP_GT: can = k < hi; break;
    case SUM_CMP_GE: can = k <= hi; break;
    case SUM_CMP_EQ: can = k >= lo && k <= hi; break;
    case SUM_CMP_NE: can = lo < hi || k != lo; break;
    }
    if (!can)
        return false;
    const char *key = fe_field_key(gs->names, fd);
    if (!key) {
        gs->oom = true;
        return false;
    }
    /* An unnamed struct is spelled with its location, "struct (unnamed at
     * h.h:3:9)", which another TU may spell differently: no key to join. */
    if (strchr(key, '('))
        return false;
    return add_guard(gs, p, op, k, key);
}

/* Adds the facts condition `cn` gives (or its negation). False when the
 * condition is not understood. A && B is walked with a small explicit
 * stack; its negation is a disjunction and not understood. */
static bool cond_guards(const FeFunc *f, int32_t cn, bool negate, Guards *gs)
{
    int32_t stack[SC_MAX_GUARDS + 1];
    size_t ns = 0;
    stack[ns++] = cn;
    while (ns > 0) {
        int32_t x = fe_strip(f, stack[--ns], false);
        if (x < 0)
            return false;
        const FeNode *n = &f->nodes[x];
        SumCmp op;
        int32_t mp;
        CXCursor mfd;
        if (n->kind == FN_LAND) {
            if (negate || n->nchild != 2 || ns + 2 > SC_MAX_GUARDS + 1)
                return false;
            stack[ns++] = n->last;
            stack[ns++] = n->first;
        } else if (n->ck == CXCursor_BinaryOperator && cmp_of(n->op, &op) && n->nchild == 2) {
            int32_t l = fe_strip(f, n->first, false), r = fe_strip(f, n->last, false);
            int64_t k;
            int32_t p;
            CXCursor fd;
            if (param_usable(f, l) && fe_eval_int(f, n->last, &k)) {
                p = f->nodes[l].param;
            } else if (param_usable(f, r) && fe_eval_int(f, n->first, &k)) {
                p = f->nodes[r].param;
                op = flip_cmp(op);
            } else if (member_usable(f, l, &p, &fd) && fe_eval_int(f, n->last, &k)) {
                if (!add_member_guard(f, gs, n->first, l, p, fd, negate ? negate_cmp(op) : op, k))
                    return false;
                continue;
            } else if (member_usable(f, r, &p, &fd) && fe_eval_int(f, n->first, &k)) {
                op = flip_cmp(op);
                if (!add_member_guard(f, gs, n->last, r, p, fd, negate ? negate_cmp(op) : op, k))
                    return false;
                continue;
            } else {
                return false;
            }
            if (!add_guard(gs, p, negate ? negate_cmp(op) : op, k, NULL))
                return false;
        } else if (n->ck == CXCursor_UnaryOperator && n->op == CXUnaryOperator_LNot &&
                   n->nchild == 1) {
            int32_t in = fe_strip(f, n->first, false);
            int32_t p;
            CXCursor fd;
            if (param_usable(f, in)) {
                if (!add_guard(gs, f->nodes[in].param, negate ? SUM_CMP_NE : SUM_CMP_EQ, 0, NULL))
                    return false;
            } else if (!member_usable(f, in, &p, &fd) ||
                       !add_member_guard(f, gs, -1, in, p, fd,
                                         negate ? SUM_CMP_NE : SUM_CMP_EQ, 0)) {
                return false;
            }
        } else if (param_usable(f, x)) {
            if (!add_guard(gs, f->nodes[x].param, negate ? SUM_CMP_EQ : SUM_CMP_NE, 0, NULL))
                return false;
        } else if (member_usable(f, x, &mp, &mfd)) {
            if (!add_member_guard(f, gs, -1, x, mp, mfd, negate ? SUM_CMP_EQ : SUM_CMP_NE, 0))
                return false;
        } else {
            return false;
        }
    }
    return true;
}

/* `if (COND) return ...;` or `if (COND) exit(...);` without else. */
static bool is_exit_if(const Cfg *c, int32_t s)
{
    const FeFunc *f = c->f;
    const FeNode *n = &f->nodes[s];
    if (n->kind != FN_IF || n->nchild != 2 || subtree_leaves(c, n->first))
        return false;
    int32_t t = n->last;
    if (f->nodes[t].kind == FN_COMPOUND && f->nodes[t].nchild == 1)
        t = f->nodes[t].first;
    const FeNode *tn = &f->nodes[t];
    if (tn->kind == FN_RETURN)
        return true;
    int32_t call = fe_strip(f, t, false);
    return call >= 0 && f->nodes[call].kind == FN_CALL && is_leave(f, &f->nodes[call]);
}

static void for_parts(const Cfg *c, int32_t i, int32_t x[4]);

/* The facts a loop condition gives its body on the first iteration (none
 * for a constant true condition or `for (;;)`). */
static bool loop_guards(const Cfg *c, int32_t cond, Guards *gs)
{
    return cond < 0 || cond_value(c->f, cond) == 1 || cond_guards(c->f, cond, false, gs);
}

/* Computes the entry guards of the call at node `ci`: facts over parameter
 * values that hold at the first arrival at the call, such that whenever
 * they hold on entry the call is certainly reached (the parameters used
 * are unmodified up to there, fe_visit.c). Inside a loop that is the first
 * iteration: a while or for body is entered after its condition was tested
 * once, a do body unconditionally. */
static bool call_guards(const Cfg *c, int32_t ci, Guards *gs)
{
    const FeFunc *f = c->f;
    int32_t child = ci;
    int32_t p = f->nodes[ci].parent;
    while (p >= 0) {
        const FeNode *pn = &f->nodes[p];
        bool first = pn->first == child;
        switch (pn->kind) {
        case FN_SEQ: case FN_COMPOUND: case FN_CALL: case FN_RETURN: case FN_LEAF:
            for (int32_t s = pn->first; s >= 0 && s != child; s = f->nodes[s].next) {
                if (!subtree_leaves(c, s))
                    continue;
                if (pn->kind != FN_COMPOUND || !is_exit_if(c, s) ||
                    !cond_guards(f, f->nodes[s].first, true, gs))
                    return false;
            }
            break;
        case FN_IF:
            if (first)
                break;
            if (!cond_guards(f, pn->first, f->nodes[pn->first].next != child, gs))
                return false;
            break;
        case FN_LAND: case FN_LOR: case FN_COND:
            if (!first)
                return false;
            break;
        case FN_WHILE: /* children: condition, body */
            if (!first && (pn->nchild != 2 || !loop_guards(c, pn->first, gs)))
                return false;
            break;
        case FN_DO: /* children: body, condition (reached after a body) */
            if (!first)
                return false;
            break;
        case FN_FOR: {
            int32_t x[4];
            for_parts(c, p, x);
            if (child == x[0])
                break;
            if (x[0] >= 0 && subtree_leaves(c, x[0]))
                return false;
            if (child == x[1]) {
                /* for_parts guesses in a macro: should this be the
                 * increment, a body that cannot leave still reaches it. */
                if (subtree_leaves(c, x[3]))
                    return false;
                break;
            }
            if (child != x[3] || x[3] == x[1] || x[3] == x[2] || !loop_guards(c, x[1], gs))
                return false; /* the increment runs after a body */
            break;
        }
        case FN_SWITCH: case FN_CASE: case FN_DEFAULT:
        case FN_BREAK: case FN_CONTINUE: case FN_GOTO: case FN_LABEL: case FN_GENERIC:
        default:
            return false;
        }
        child = p;
        p = pn->parent;
    }
    return true;
}

/* Whether node a is built of literals and enumerators only (through
 * parentheses, casts and operators): the arguments worth handing to clang's
 * evaluator, which is too slow to run on every argument. */
static bool constant_shaped(const FeFunc *f, int32_t a)
{
    for (uint32_t k = (uint32_t)a; k < f->nodes[a].end; k++) {
        const FeNode *n = &f->nodes[k];
        enum CXCursorKind k2 = n->ck;
        if (k2 == CXCursor_DeclRefExpr) {
            if (clang_getCursorKind(clang_getCursorReferenced(n->cur)) != CXCursor_EnumConstantDecl)
                return false;
        } else if (k2 != CXCursor_IntegerLiteral && k2 != CXCursor_CharacterLiteral &&
                   k2 != CXCursor_ParenExpr && k2 != CXCursor_UnexposedExpr &&
                   k2 != CXCursor_CStyleCastExpr && k2 != CXCursor_UnaryOperator &&
                   k2 != CXCursor_BinaryOperator) {
            return false;
        }
    }
    return true;
}

static SumArg arg_relation(const FeFunc *f, int32_t a, bool *oom)
{
    SumArg r;
    memset(&r, 0, sizeof r);
    uint64_t al;
    CXType t = clang_getCursorType(f->nodes[a].cur);
    fe_type_size(t, &r.size, &al);
    r.cls = fe_type_class(t, NULL);
    r.param = -1;
    int32_t fs = fe_strip(f, a, true);
    if (f->nodes[fs].ck == CXCursor_UnaryOperator && f->nodes[fs].op == CXUnaryOperator_AddrOf &&
        f->nodes[fs].first >= 0)
        fs = fe_strip(f, f->nodes[fs].first, true);
    if (f->nodes[fs].ck == CXCursor_DeclRefExpr) {
        CXCursor ref = clang_getCursorReferenced(f->nodes[fs].cur);
        if (clang_getCursorKind(ref) == CXCursor_FunctionDecl) {
            Arena *ar = &f->sum->arena;
            CXString us = clang_getCursorUSR(ref), ns = clang_getCursorSpelling(ref);
            const char *u = clang_getCString(us), *nm = clang_getCString(ns);
            r.fn_usr = arena_strdup(ar, u ? u : "");
            r.fn_name = arena_strdup(ar, nm ? nm : "");
            r.fn_internal = clang_getCursorLinkage(ref) == CXLinkage_Internal;
            clang_disposeString(us);
            clang_disposeString(ns);
            if (!r.fn_usr || !r.fn_name)
                *oom = true;
        }
    }
    int64_t k0;
    if (r.cls == SUM_CLASS_INT && constant_shaped(f, a) && fe_eval_int(f, a, &k0)) {
        r.has_value = true;
        r.value = k0;
    }
    int32_t s = fe_strip(f, a, false);
    const FeNode *n = &f->nodes[s];
    if (n->param >= 0) {
        r.param = n->param;
        r.in_place = true;
        return r;
    }
    if (n->ck == CXCursor_DeclRefExpr) {
        /* A local variable with automatic storage: its frame slot is what
         * the argument area is copied from. */
        CXCursor ref = clang_getCursorReferenced(n->cur);
        if (clang_getCursorKind(ref) == CXCursor_VarDecl && clang_Cursor_hasVarDeclGlobalStorage(ref) == 0)
            r.in_place = true;
    }
    if (n->ck == CXCursor_UnaryOperator && n->nchild == 1 && n->op >= CXUnaryOperator_PostInc &&
        n->op <= CXUnaryOperator_PreDec) {
        /* `n--` passes n, `--n` passes n - 1; fe_visit.c leaves such an n
         * unmodified only when this is its one change and nothing looks at
         * n from this call on, so n here is still its entry value. */
        int32_t in = fe_strip(f, n->first, false);
        int32_t p = in >= 0 ? f->nodes[in].param : -1;
        if (p < 0 || f->fn->params[p].modified)
            return r;
        const SumParam *sp = &f->fn->params[p];
        bool post = n->op == CXUnaryOperator_PostInc || n->op == CXUnaryOperator_PostDec;
        if (sp->cls != SUM_CLASS_INT)
            return r;
        if (post) {
            r.param = p;
        } else if (clang_getCanonicalType(clang_getCursorType(f->params[p])).kind != CXType_Bool) {
            r.param = p;
            r.offset = n->op == CXUnaryOperator_PreInc ? 1 : -1;
        }
        return r;
    }
    if (n->ck == CXCursor_BinaryOperator && n->nchild == 2 &&
        (n->op == CXBinaryOperator_Add || n->op == CXBinaryOperator_Sub)) {
        int32_t l = fe_strip(f, n->first, false), rr = fe_strip(f, n->last, false);
        int64_t k;
        bool lint = l >= 0 && f->nodes[l].param >= 0 &&
                    f->fn->params[f->nodes[l].param].cls == SUM_CLASS_INT;
        bool rint = rr >= 0 && f->nodes[rr].param >= 0 &&
                    f->fn->params[f->nodes[rr].param].cls == SUM_CLASS_INT;
        if (lint && fe_eval_int(f, n->last, &k)) {
            r.param = f->nodes[l].param;
            r.offset = n->op == CXBinaryOperator_Add ? k : -k;
        } else if (rint && n->op == CXBinaryOperator_Add && fe_eval_int(f, n->first, &k)) {
            r.param = f->nodes[rr].param;
            r.offset = k;
        }
    }
    return r;
}

/* The targets named by a `stackcheck: targets(a, b)` comment on `line` of
 * `file`, as "a,b" in the summary arena; NULL when there is none. Sets
 * *oom when memory runs out. */
static const char *annotated_targets(FeFunc *f, CXFile file, unsigned line, bool *oom)
{
    static const char key[] = "stackcheck: targets(";
    if (!file || line == 0)
        return NULL;
    if (!f->ann_file || !clang_File_isEqual(f->ann_file, file)) {
        size_t size = 0;
        const char *buf = clang_getFileContents(f->tu, file, &size);
        f->ann_file = file;
        f->ann_buf = buf;
        f->ann_size = buf ? size : 0;
        f->ann_nlines = 0;
        f->ann_has = false;
        /* Only files that mention the key get a line table (sqlite3.c is
         * 9 MB: memmem, not a loop of memcmp). */
        f->ann_has = buf && memmem(buf, size, key, sizeof key - 1) != NULL;
        for (size_t k = 0; f->ann_has && k <= size && k <= UINT32_MAX; k++) {
            if (k == 0 || buf[k - 1] == '\n') {
                if (vec_reserve_n((void **)&f->ann_lines, f->ann_nlines + 1, &f->ann_caplines,
                                  sizeof *f->ann_lines) != 0) {
                    *oom = true;
                    f->ann_file = NULL;
                    return NULL;
                }
                f->ann_lines[f->ann_nlines++] = (uint32_t)k;
            }
        }
    }
    if (!f->ann_has || line > f->ann_nlines)
        return NULL;
    size_t b = f->ann_lines[line - 1];
    size_t e = line < f->ann_nlines ? f->ann_lines[line] : f->ann_size;
    const char *p = NULL;
    const char *hit = memmem(f->ann_buf + b, e - b, key, sizeof key - 1);
    if (hit)
        p = hit + sizeof key - 1;
    if (!p)
        return NULL;
    char out[512];
    size_t n = 0;
    for (; p < f->ann_buf + e && *p != ')' && n + 1 < sizeof out; p++)
        if (*p != ' ' && *p != '\t')
            out[n++] = *p;
    if (p >= f->ann_buf + e || *p != ')')
        return NULL; /* unterminated: not an annotation */
    const char *r = arena_strndup(&f->sum->arena, out, n);
    if (!r)
        *oom = true;
    return r;
}

/* Whether node i is a jump target: a label, case or default. */
static bool is_jump_target(const FeNode *n)
{
    return n->kind == FN_LABEL || n->kind == FN_CASE || n->kind == FN_DEFAULT;
}

/* Whether a fact taken at node s (a statement or condition whose parent is
 * an ancestor of the call at ci) holds whenever the call is reached: no jump
 * lands between them past s. A goto may come from anywhere, so no label may
 * lie between; a case or default label between them matters only when its
 * switch holds s as well (a switch that starts after s is entered through
 * s). */
static bool fact_ok(const Cfg *c, int32_t ci, int32_t s)
{
    const FeFunc *f = c->f;
    if (s < 0 || s <= c->lastgoto[ci])
        return false;
    for (int32_t j = c->lastcase[ci]; j > s; j = c->lastcase[j]) {
        int32_t sw = f->nodes[j].parent;
        while (sw >= 0 && f->nodes[sw].kind != FN_SWITCH)
            sw = f->nodes[sw].parent;
        if (sw < s)
            return false;
    }
    return true;
}

/* Whether statement t can only end by leaving the function: a return, a
 * call that never returns, or a block that ends in one and holds no break,
 * continue, goto or jump target (so it cannot fall through or go on
 * elsewhere in the function). */
static bool always_leaves(const Cfg *c, int32_t t)
{
    const FeFunc *f = c->f;
    int32_t top = t;
    while (t >= 0 && f->nodes[t].kind == FN_COMPOUND)
        t = f->nodes[t].last;
    if (t < 0)
        return false;
    bool leaves = f->nodes[t].kind == FN_RETURN;
    if (!leaves) {
        int32_t call = fe_strip(f, t, false);
        leaves = call >= 0 && f->nodes[call].kind == FN_CALL && is_leave(f, &f->nodes[call]) &&
                 f->nodes[call].kind != FN_LABEL;
    }
    if (!leaves)
        return false;
    for (uint32_t k = (uint32_t)top; k < f->nodes[top].end; k++) {
        const FeNode *n = &f->nodes[k];
        if (n->kind == FN_BREAK || n->kind == FN_CONTINUE || n->kind == FN_GOTO || is_jump_target(n) ||
            n->ck == CXCursor_IndirectGotoStmt)
            return false;
    }
    return true;
}

/* `if (COND) <always leaves>` without else: its negated condition holds
 * after it. */
static bool is_leaving_if(const Cfg *c, int32_t s)
{
    const FeNode *n = &c->f->nodes[s];
    return n->kind == FN_IF && n->nchild == 2 && !subtree_leaves(c, n->first) &&
           always_leaves(c, n->last);
}

/* Adds the parameter facts of condition `cn` (or of its negation) to gs:
 * for a conjunction, the conjuncts understood. Member guards are left out. */
static void cond_facts(const FeFunc *f, int32_t cn, bool negate, Guards *gs)
{
    Guards t;
    t.n = 0;
    t.names = gs->names;
    t.oom = false;
    (void)cond_guards(f, cn, negate, &t); /* what it added holds either way */
    if (t.oom)
        gs->oom = true;
    for (uint32_t k = 0; k < t.n; k++)
        if (!t.g[k].field)
            (void)add_guard(gs, (int32_t)t.g[k].param, t.g[k].op, t.g[k].value, NULL);
}

/* The bound facts of the call at node ci (SumCall.facts): parameter facts
 * that hold whenever it is reached, from the conditions that enclose it and
 * the leaving ifs before it. A fact is taken only from a node after the last
 * jump target before the call: control that reaches the call from there
 * passed it. */
static void call_facts(const Cfg *c, int32_t ci, Guards *gs)
{
    const FeFunc *f = c->f;
    int32_t child = ci;
    for (int32_t p = f->nodes[ci].parent; p >= 0; child = p, p = f->nodes[p].parent) {
        const FeNode *pn = &f->nodes[p];
        switch (pn->kind) {
        case FN_COMPOUND:
            for (int32_t s = pn->first; s >= 0 && s != child; s = f->nodes[s].next)
                if (fact_ok(c, ci, s) && is_leaving_if(c, s))
                    cond_facts(f, f->nodes[s].first, true, gs);
            break;
        case FN_IF:
            if (pn->first != child && fact_ok(c, ci, pn->first))
                cond_facts(f, pn->first, f->nodes[pn->first].next != child, gs);
            break;
        case FN_LAND: case FN_LOR:
            if (pn->first != child && fact_ok(c, ci, pn->first) && pn->nchild == 2)
                cond_facts(f, pn->first, pn->kind == FN_LOR, gs);
            break;
        case FN_COND:
            if (pn->first != child && fact_ok(c, ci, pn->first) && pn->nchild == 3)
                cond_facts(f, pn->first, f->nodes[pn->first].next != child, gs);
            break;
        case FN_WHILE:
            if (pn->first != child && fact_ok(c, ci, pn->first) && pn->nchild == 2 &&
                cond_value(f, pn->first) != 1)
                cond_facts(f, pn->first, false, gs);
            break;
        case FN_FOR: {
            if (!fact_ok(c, ci, p))
                break; /* its condition is before a jump target */
            int32_t x[4];
            for_parts(c, p, x);
            if (child == x[3] && fact_ok(c, ci, x[1]) && x[3] != x[1] && cond_value(f, x[1]) != 1)
                cond_facts(f, x[1], false, gs);
            break;
        }
        default:
            break;
        }
    }
}

/* Node n (stripped) as an increment or decrement statement of a member:
 * `m++`, `++m`, `m--`, `--m`, `m += k`, `m -= k` with k a positive constant.
 * Sets *mem (the member node) and *delta (+k or -k). */
static bool member_step(const FeFunc *f, int32_t n, int32_t *mem, int64_t *delta)
{
    n = fe_strip(f, n, false);
    if (n < 0)
        return false;
    const FeNode *x = &f->nodes[n];
    if (x->ck == CXCursor_UnaryOperator && x->nchild == 1 && x->op >= CXUnaryOperator_PostInc &&
        x->op <= CXUnaryOperator_PreDec) {
        *mem = fe_strip(f, x->first, false);
        *delta = x->op == CXUnaryOperator_PostInc || x->op == CXUnaryOperator_PreInc ? 1 : -1;
        return *mem >= 0;
    }
    int64_t k;
    if (x->ck == CXCursor_CompoundAssignOperator && x->nchild == 2 &&
        (x->op == CXBinaryOperator_AddAssign || x->op == CXBinaryOperator_SubAssign) &&
        fe_eval_int(f, x->last, &k) && k > 0 && k <= INT32_MAX) {
        *mem = fe_strip(f, x->first, false);
        *delta = x->op == CXBinaryOperator_AddAssign ? k : -k;
        return *mem >= 0;
    }
    return false;
}

/* Node n (stripped) as a counter: `p->m` / `(*p).m` (member_usable: *param
 * the parameter, *cur the FieldDecl), or a non-volatile integer variable of
 * static storage (a global or a static local: *param -1, *cur its canonical
 * VarDecl). */
static bool counter_usable(const FeFunc *f, int32_t n, int32_t *param, CXCursor *cur)
{
    if (member_usable(f, n, param, cur))
        return true;
    if (n < 0 || f->nodes[n].ck != CXCursor_DeclRefExpr || f->nodes[n].param >= 0)
        return false;
    CXCursor v = clang_getCursorReferenced(f->nodes[n].cur);
    if (clang_getCursorKind(v) != CXCursor_VarDecl || clang_Cursor_hasVarDeclGlobalStorage(v) != 1)
        return false;
    CXType t = clang_getCanonicalType(clang_getCursorType(v));
    if (clang_isVolatileQualifiedType(t) || fe_type_class(t, NULL) != SUM_CLASS_INT)
        return false;
    *param = -1;
    *cur = clang_getCanonicalCursor(v);
    return true;
}

/* Whether node t (stripped) names counter `cur` (counter_usable's): the
 * member through any object, or the variable. */
static bool names_counter(const FeFunc *f, int32_t t, CXCursor cur)
{
    enum CXCursorKind k = f->nodes[t].ck;
    if (k != CXCursor_MemberRefExpr && k != CXCursor_DeclRefExpr)
        return false;
    CXCursor r = clang_getCursorReferenced(f->nodes[t].cur);
    if (clang_getCursorKind(r) == CXCursor_VarDecl)
        r = clang_getCanonicalCursor(r);
    return clang_equalCursors(r, cur) != 0;
}

/* Condition cn (or its negation) as `m <= limit` over the member node `mem`
 * refers to (same parameter, same member) with a constant: sets *limit. */
static bool member_limit(const FeFunc *f, int32_t cn, bool negate, int32_t param, CXCursor fd,
                         uint64_t *limit)
{
    int32_t x = fe_strip(f, cn, false);
    if (x < 0)
        return false;
    const FeNode *n = &f->nodes[x];
    SumCmp op;
    if (n->ck != CXCursor_BinaryOperator || !cmp_of(n->op, &op) || n->nchild != 2)
        return false;
    int32_t l = fe_strip(f, n->first, false), r = fe_strip(f, n->last, false);
    int32_t p, side;
    CXCursor mfd;
    int64_t k;
    if (counter_usable(f, l, &p, &mfd) && fe_eval_int(f, n->last, &k)) {
        side = l;
    } else if (counter_usable(f, r, &p, &mfd) && fe_eval_int(f, n->first, &k)) {
        side = r;
        op = flip_cmp(op);
    } else {
        return false;
    }
    (void)side;
    if (p != param || !clang_equalCursors(mfd, fd))
        return false;
    if (negate)
        op = negate_cmp(op);
    switch (op) {
    case SUM_CMP_LT: if (k < 1) return false; *limit = (uint64_t)k - 1; return true;
    case SUM_CMP_LE:
    case SUM_CMP_EQ: if (k < 0) return false; *limit = (uint64_t)k; return true;
    case SUM_CMP_GT: case SUM_CMP_GE: case SUM_CMP_NE: return false;
    }
    return false;
}

/* The depth counter of the call at node ci (SumCounter): an unsigned integer
 * member read through an unmodified pointer parameter, incremented by one
 * statement `p->m++` (or `+= k`) and checked against a constant (`if
 * (p->m >= LIMIT) return ...;`, or an enclosing `if (p->m < LIMIT)`), both
 * before the call after the last jump target before it, so on every path
 * to it. Every other write of that member, through any object, anywhere in
 * the body, must be a decrement statement through the same parameter after
 * the call, inside the block of the increment and after it, outside any
 * loop that starts after the increment, no case label of an earlier switch
 * and no goto before the increment able to reach it, decrementing at most
 * the increment in all: then each activation leaves the counter no lower
 * than it found it, and the counter grows on every way around a cycle
 * through this call. Returns 0 (found or not), -1 when memory runs out. */
/* One increment statement before a call: the member node, its parameter and
 * FieldDecl, the amount, and the block it is an item of. */
typedef struct IncCand {
    int32_t node, block, mem, param;
    CXCursor fd;
    int64_t inc;
} IncCand;

static int counter_for(Cfg *c, int32_t ci, const IncCand *cand, SumCounter *out, bool *found);

static int depth_counter(Cfg *c, int32_t ci, SumCounter *out, bool *found)
{
    const FeFunc *f = c->f;
    *found = false;
    /* The increments: statements before the call in the blocks around it
     * that no jump passes (fact_ok); each is tried in turn. */
    int32_t child = ci;
    for (int32_t p = f->nodes[ci].parent; p >= 0; child = p, p = f->nodes[p].parent) {
        if (f->nodes[p].kind != FN_COMPOUND)
            continue;
        for (int32_t s = c->previnc[child]; s >= 0; s = c->previnc[s]) {
            IncCand k;
            if (!fact_ok(c, ci, s) || !member_step(f, s, &k.mem, &k.inc) || k.inc <= 0 ||
                !counter_usable(f, k.mem, &k.param, &k.fd))
                continue;
            int64_t lo, hi;
            CXType mt = clang_getCanonicalType(clang_getCursorType(f->nodes[k.mem].cur));
            int bits = clang_getCursorKind(k.fd) == CXCursor_FieldDecl ? clang_getFieldDeclBitWidth(k.fd) : 0;
            if (!int_range(mt, bits, &lo, &hi) || lo != 0)
                continue; /* the count starts at 0 or more only when unsigned */
            k.node = s;
            k.block = p;
            if (counter_for(c, ci, &k, out, found) != 0)
                return -1;
            if (*found)
                return 0;
        }
    }
    return 0;
}

/* depth_counter for one increment: its check and the member's other
 * writes. */
static int counter_for(Cfg *c, int32_t ci, const IncCand *cand, SumCounter *out, bool *found)
{
    const FeFunc *f = c->f;
    int32_t inc_node = cand->node, inc_block = cand->block, mem = cand->mem, param = cand->param;
    int64_t inc = cand->inc;
    CXCursor fd = cand->fd;
    int32_t child;
    /* The check, on the same path. */
    uint64_t limit = 0;
    int32_t check = -1;
    child = ci;
    for (int32_t p = f->nodes[ci].parent; p >= 0 && check < 0; child = p, p = f->nodes[p].parent) {
        const FeNode *pn = &f->nodes[p];
        if (pn->kind == FN_COMPOUND) {
            for (int32_t s = pn->first; s >= 0 && s != child && check < 0; s = f->nodes[s].next)
                if (fact_ok(c, ci, s) && is_leaving_if(c, s) &&
                    member_limit(f, f->nodes[s].first, true, param, fd, &limit))
                    check = f->nodes[s].first;
        } else if (pn->kind == FN_IF && pn->first != child && fact_ok(c, ci, pn->first) &&
                   f->nodes[pn->first].next == child &&
                   member_limit(f, pn->first, false, param, fd, &limit)) {
            check = pn->first;
        }
    }
    if (check < 0)
        return 0;
    /* Every other write of the member. */
    int64_t dec = 0;
    for (uint32_t k = 0; k < f->nnodes; k++) {
        const FeNode *n = &f->nodes[k];
        if ((n->kind == FN_GOTO || n->ck == CXCursor_IndirectGotoStmt) && (int32_t)k < inc_node)
            return 0;
        int32_t target = -1;
        if ((n->ck == CXCursor_BinaryOperator || n->ck == CXCursor_CompoundAssignOperator) &&
            n->op >= CXBinaryOperator_Assign && n->op <= CXBinaryOperator_OrAssign && n->first >= 0)
            target = fe_strip(f, n->first, false);
        else if (n->ck == CXCursor_UnaryOperator && n->op >= CXUnaryOperator_PostInc &&
                 n->op <= CXUnaryOperator_AddrOf && n->first >= 0)
            target = fe_strip(f, n->first, false);
        if (target < 0 || !names_counter(f, target, fd))
            continue;
        if (target == mem)
            continue; /* the increment itself */
        /* A decrement statement through the same parameter, after the call. */
        int32_t m, pp;
        int64_t d;
        CXCursor mfd;
        int32_t st = (int32_t)k; /* the statement: a block's item, or a label's (`out: p->m--;`) */
        while (st >= 0 && f->nodes[st].parent >= 0 && f->nodes[f->nodes[st].parent].kind != FN_COMPOUND &&
               !is_jump_target(&f->nodes[f->nodes[st].parent]))
            st = f->nodes[st].parent;
        if (st < 0 || !member_step(f, st, &m, &d) || m != target || d >= 0 ||
            !counter_usable(f, m, &pp, &mfd) || pp != param || st <= ci ||
            st < f->nodes[inc_node].next || (uint32_t)st >= f->nodes[inc_block].end)
            return 0;
        for (int32_t a = f->nodes[st].parent; a >= 0 && a != inc_block; a = f->nodes[a].parent) {
            uint8_t ak = f->nodes[a].kind;
            if (ak == FN_WHILE || ak == FN_DO || ak == FN_FOR)
                return 0;
        }
        dec -= d;
    }
    if (dec > inc)
        return 0;
    /* A case label after the increment whose switch started before it. */
    for (uint32_t k = f->nodes[inc_node].end; k < f->nodes[inc_block].end; k++) {
        if (f->nodes[k].kind != FN_CASE && f->nodes[k].kind != FN_DEFAULT)
            continue;
        int32_t sw = f->nodes[k].parent;
        while (sw >= 0 && f->nodes[sw].kind != FN_SWITCH)
            sw = f->nodes[sw].parent;
        if (sw < inc_node)
            return 0;
    }
    const char *key;
    if (param < 0) {
        key = fe_var_key(c->names, fd);
    } else {
        key = fe_field_key(c->names, fd);
        if (key && strchr(key, '('))
            return 0; /* an unnamed struct: no key another TU spells alike */
    }
    if (!key)
        return -1;
    out->field = key;
    out->global = param < 0;
    out->param = param < 0 ? 0 : (uint32_t)param;
    out->limit = limit;
    out->inc = (uint32_t)inc;
    out->check = fe_loc(c->names, clang_getRangeStart(clang_getCursorExtent(f->nodes[check].cur)));
    *found = true;
    return 0;
}

static void do_call(Cfg *c, int32_t i)
{
    FeFunc *f = c->f;
    const FeNode *n = &f->nodes[i];
    const FeCallInfo *ci = &f->cinfo[n->call];
    switch (ci->role) {
    case FC_BUILTIN:
        return;
    case FC_ALLOCA:
        f->fn->has_alloca = true;
        return;
    case FC_TRAP:
        end_block(c, SUM_EXIT_NORETURN);
        return;
    case FC_RECORD:
        break;
    }
    SumCall *sc = VEC_PUSH(f->calls, f->ncalls, f->capcalls);
    if (!sc) {
        c->failed = true;
        return;
    }
    Arena *ar = &f->sum->arena;
    sc->kind = ci->kind;
    sc->callee_usr = ci->kind == SUM_CALL_DIRECT ? ci->usr : NULL;
    sc->callee_name = ci->name;
    sc->callee_internal = ci->internal;
    sc->callee_noreturn = ci->noreturn;
    sc->fn_type = ci->fn_type;
    sc->field = ci->field;
    sc->via_param = ci->kind == SUM_CALL_INDIRECT ? ci->via_param : 0;
    if (ci->kind == SUM_CALL_INDIRECT && ci->sole_usr) {
        sc->sole_usr = ci->sole_usr;
        sc->sole_name = ci->sole_name;
        sc->sole_internal = ci->sole_internal;
    }
    if (ci->kind == SUM_CALL_INDIRECT && ci->file_static) {
        if (vec_reserve_n((void **)&f->fs_calls, f->nfs_calls + 2, &f->capfs_calls,
                          sizeof *f->fs_calls) != 0) {
            c->failed = true;
            return;
        }
        f->fs_calls[f->nfs_calls++] = (uint32_t)(f->ncalls - 1);
        f->fs_calls[f->nfs_calls++] = ci->file_static;
    }
    if (ci->kind == SUM_CALL_INDIRECT) {
        CXFile file = NULL;
        unsigned line = 0;
        clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(n->cur)), &file, &line,
                                   NULL, NULL);
        sc->targets = annotated_targets(f, file, line, &c->failed);
    }
    sc->loc = fe_loc(c->names, clang_getRangeStart(clang_getCursorExtent(n->cur)));
    sc->block = c->cur;
    if (n->nchild > 1) {
        sc->nargs = n->nchild - 1;
        sc->args = arena_alloc(ar, (size_t)sc->nargs * sizeof *sc->args);
        if (!sc->args) {
            c->failed = true;
            return;
        }
        uint32_t k = 0;
        for (int32_t a = f->nodes[n->first].next; a >= 0; a = f->nodes[a].next)
            sc->args[k++] = arg_relation(f, a, &c->failed);
    }
    Guards gs;
    gs.n = 0;
    gs.names = c->names;
    gs.oom = false;
    bool known = call_guards(c, i, &gs);
    if (gs.oom)
        c->failed = true;
    if (known) {
        sc->guards_known = true;
        sc->nguards = gs.n;
        if (gs.n) {
            sc->guards = arena_memdup(ar, gs.g, gs.n, sizeof *gs.g);
            if (!sc->guards)
                c->failed = true;
        }
    }
    /* What the recursion depth is read from: bound facts when an argument
     * is a parameter moved by a constant, and a depth counter (of a member
     * or a global: looked for at every call, among the block items that
     * increment something). */
    bool moved = false;
    for (uint32_t k = 0; k < sc->nargs; k++)
        moved = moved || (sc->args[k].param >= 0 && sc->args[k].cls == SUM_CLASS_INT);
    if (moved) {
        Guards fs;
        fs.n = 0;
        fs.names = c->names;
        fs.oom = false;
        call_facts(c, i, &fs);
        if (fs.oom)
            c->failed = true;
        if (fs.n) {
            sc->nfacts = fs.n;
            sc->facts = arena_memdup(ar, fs.g, fs.n, sizeof *fs.g);
            if (!sc->facts)
                c->failed = true;
        }
    }
    {
        SumCounter k;
        bool found = false;
        if (depth_counter(c, i, &k, &found) != 0)
            c->failed = true;
        if (found && !(sc->counter = arena_memdup(ar, &k, 1, sizeof k)))
            c->failed = true;
    }
    if (ci->noreturn)
        end_block(c, SUM_EXIT_NORETURN);
}

/* Splits a for statement's children into init, cond, inc (x[0..2], -1
 * when absent) and body (x[3]). With one or two header parts present, the
 * semicolons of the header tell which is which. */
static void for_parts(const Cfg *c, int32_t i, int32_t x[4])
{
    const FeFunc *f = c->f;
    const FeNode *n = &f->nodes[i];
    int32_t kids[3];
    uint32_t nk = 0;
    x[0] = x[1] = x[2] = -1;
    x[3] = n->last;
    for (int32_t k = n->first; k >= 0 && k != n->last && nk < 3; k = f->nodes[k].next)
        kids[nk++] = k;
    if (nk == 3) {
        x[0] = kids[0];
        x[1] = kids[1];
        x[2] = kids[2];
        return;
    }
    if (nk == 0)
        return;
    /* Offsets of the two header semicolons. */
    unsigned semi[2] = {0, 0};
    unsigned nsemi = 0;
    CXSourceRange ext = clang_getCursorExtent(n->cur);
    CXSourceLocation bstart = clang_getRangeStart(clang_getCursorExtent(f->nodes[n->last].cur));
    CXToken *toks = NULL;
    unsigned nt = 0;
    fe_tokenize_short(f->tu, clang_getRange(clang_getRangeStart(ext), bstart), &toks, &nt);
    int depth = 0;
    for (unsigned t = 0; t < nt && nsemi < 2; t++) {
        if (clang_getTokenKind(toks[t]) != CXToken_Punctuation)
            continue;
        CXString s = clang_getTokenSpelling(f->tu, toks[t]);
        const char *sp = clang_getCString(s);
        if (sp && (strcmp(sp, "(") == 0 || strcmp(sp, "{") == 0 || strcmp(sp, "[") == 0))
            depth++;
        else if (sp && (strcmp(sp, ")") == 0 || strcmp(sp, "}") == 0 || strcmp(sp, "]") == 0))
            depth--;
        else if (sp && strcmp(sp, ";") == 0 && depth == 1)
            clang_getSpellingLocation(clang_getTokenLocation(f->tu, toks[t]), NULL, NULL, NULL,
                                      &semi[nsemi++]);
        clang_disposeString(s);
    }
    if (toks)
        clang_disposeTokens(f->tu, toks, nt);
    for (uint32_t k = 0; k < nk; k++) {
        unsigned off = 0;
        clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(f->nodes[kids[k]].cur)),
                                  NULL, NULL, NULL, &off);
        int part;
        if (nsemi == 2)
            part = off < semi[0] ? 0 : off < semi[1] ? 1 : 2;
        else if (f->nodes[kids[k]].ck == CXCursor_DeclStmt)
            part = 0; /* no usable semicolons (macro): guess */
        else
            part = k == 0 && nk == 2 ? 0 : 1;
        if (x[part] < 0)
            x[part] = kids[k];
    }
}

static void push_target(Cfg *c, uint32_t brk, uint32_t cont)
{
    Target *t = VEC_PUSH(c->tg, c->ntg, c->captg);
    if (!t) {
        c->failed = true;
        return;
    }
    t->brk = brk;
    t->cont = cont;
}

/* One step of the work loop on the top frame. */
static void step(Cfg *c)
{
    FeFunc *f = c->f;
    Frame *fr = &c->st[c->nst - 1];
    int32_t i = fr->node;
    const FeNode *n = &f->nodes[i];
    uint32_t s = fr->state++;
    switch (n->kind) {
    case FN_IF:
        if (s == 0) {
            push(c, n->first);
        } else if (s == 1) {
            int cv = cond_value(f, n->first);
            uint32_t t = new_block(c), j = new_block(c);
            uint32_t e = n->nchild >= 3 ? new_block(c) : j;
            if (cv != 0)
                edge(c, c->cur, t);
            if (cv != 1)
                edge(c, c->cur, e);
            fr->b[0] = j;
            fr->b[1] = e;
            c->cur = t;
            push(c, f->nodes[n->first].next);
        } else if (s == 2) {
            edge(c, c->cur, fr->b[0]);
            if (n->nchild >= 3) {
                c->cur = fr->b[1];
                push(c, n->last);
            } else {
                c->cur = fr->b[0];
                c->nst--;
            }
        } else {
            edge(c, c->cur, fr->b[0]);
            c->cur = fr->b[0];
            c->nst--;
        }
        return;
    case FN_WHILE:
        if (s == 0) {
            uint32_t h = new_block(c);
            edge(c, c->cur, h);
            c->cur = h;
            fr->b[0] = h;
            push(c, n->first);
        } else if (s == 1) {
            int cv = cond_value(f, n->first);
            uint32_t b = new_block(c), x = new_block(c);
            if (cv != 0)
                edge(c, c->cur, b);
            if (cv != 1)
                edge(c, c->cur, x);
            fr->b[1] = x;
            push_target(c, x, fr->b[0]);
            c->cur = b;
            if (n->nchild >= 2)
                push(c, n->last);
        } else {
            edge(c, c->cur, fr->b[0]);
            c->ntg--;
            c->cur = fr->b[1];
            c->nst--;
        }
        return;
    case FN_DO:
        if (s == 0) {
            uint32_t b = new_block(c), cb = new_block(c), x = new_block(c);
            edge(c, c->cur, b);
            fr->b[0] = b;
            fr->b[1] = cb;
            fr->b[2] = x;
            push_target(c, x, cb);
            c->cur = b;
            push(c, n->first);
        } else if (s == 1) {
            edge(c, c->cur, fr->b[1]);
            c->cur = fr->b[1];
            if (n->nchild >= 2)
                push(c, n->last);
        } else {
            int cv = n->nchild >= 2 ? cond_value(f, n->last) : -1;
            if (cv != 0)
                edge(c, c->cur, fr->b[0]);
            if (cv != 1)
                edge(c, c->cur, fr->b[2]);
            c->ntg--;
            c->cur = fr->b[2];
            c->nst--;
        }
        return;
    case FN_FOR:
        if (s == 0) {
            for_parts(c, i, fr->x);
            push(c, fr->x[0]);
        } else if (s == 1) {
            uint32_t h = new_block(c);
            edge(c, c->cur, h);
            c->cur = h;
            fr->b[0] = h;
            push(c, fr->x[1]);
        } else if (s == 2) {
            int cv = cond_value(f, fr->x[1]);
            uint32_t b = new_block(c), x = new_block(c), inc = new_block(c);
            if (cv != 0)
                edge(c, c->cur, b);
            if (cv != 1)
                edge(c, c->cur, x);
            fr->b[1] = x;
            fr->b[2] = inc;
            push_target(c, x, inc);
            c->cur = b;
            push(c, fr->x[3]);
        } else if (s == 3) {
            edge(c, c->cur, fr->b[2]);
            c->cur = fr->b[2];
            push(c, fr->x[2]);
        } else {
            edge(c, c->cur, fr->b[0]);
            c->ntg--;
            c->cur = fr->b[1];
            c->nst--;
        }
        return;
    case FN_SWITCH:
        if (s == 0) {
            push(c, n->first);
        } else if (s == 1) {
            uint32_t x = new_block(c);
            Switch *sw = VEC_PUSH(c->sw, c->nsw, c->capsw);
            if (!sw) {
                c->failed = true;
                return;
            }
            sw->disp = c->cur;
            fr->b[0] = c->cur;
            fr->b[1] = x;
            push_target(c, x, NO_BLOCK);
            c->cur = new_block(c);
            if (n->nchild >= 2)
                push(c, n->last);
        } else {
            edge(c, c->cur, fr->b[1]);
            if (!c->sw[c->nsw - 1].has_default)
                edge(c, fr->b[0], fr->b[1]);
            c->nsw--;
            c->ntg--;
            c->cur = fr->b[1];
            c->nst--;
        }
        return;
    case FN_CASE:
    case FN_DEFAULT:
        if (s == 0) {
            uint32_t b = new_block(c);
            edge(c, c->cur, b);
            if (c->nsw) {
                edge(c, c->sw[c->nsw - 1].disp, b);
                if (n->kind == FN_DEFAULT)
                    c->sw[c->nsw - 1].has_default = true;
            }
            c->cur = b;
            if (n->nchild >= (n->kind == FN_CASE ? 2u : 1u))
                push(c, n->last);
        } else {
            c->nst--;
        }
        return;
    case FN_COND:
        if (s == 0) {
            push(c, n->first);
        } else if (s == 1) {
            int cv = cond_value(f, n->first);
            uint32_t a = new_block(c), b = new_block(c), j = new_block(c);
            if (cv != 0)
                edge(c, c->cur, a);
            if (cv != 1)
                edge(c, c->cur, b);
            fr->b[0] = b;
            fr->b[1] = j;
            c->cur = a;
            if (n->nchild >= 2)
                push(c, f->nodes[n->first].next);
        } else if (s == 2) {
            edge(c, c->cur, fr->b[1]);
            c->cur = fr->b[0];
            if (n->nchild >= 3)
                push(c, n->last);
        } else {
            edge(c, c->cur, fr->b[1]);
            c->cur = fr->b[1];
            c->nst--;
        }
        return;
    case FN_LAND:
    case FN_LOR:
        if (s == 0) {
            push(c, n->first);
        } else if (s == 1) {
            uint32_t r = new_block(c), j = new_block(c);
            edge(c, c->cur, r);
            edge(c, c->cur, j);
            fr->b[0] = j;
            c->cur = r;
            if (n->nchild >= 2)
                push(c, n->last);
        } else {
            edge(c, c->cur, fr->b[0]);
            c->cur = fr->b[0];
            c->nst--;
        }
        return;
    case FN_GENERIC:
        if (s == 0) {
            fr->b[0] = c->cur;
            fr->b[1] = new_block(c);
            fr->x[0] = n->first;
            fr->x[1] = 0;
            return;
        }
        if (fr->x[1])
            edge(c, c->cur, fr->b[1]);
        if (fr->x[0] >= 0) {
            uint32_t a = new_block(c);
            edge(c, fr->b[0], a);
            c->cur = a;
            int32_t k = fr->x[0];
            fr->x[0] = f->nodes[k].next;
            fr->x[1] = 1;
            push(c, k);
        } else {
            if (!fr->x[1])
                edge(c, fr->b[0], fr->b[1]);
            c->cur = fr->b[1];
            c->nst--;
        }
        return;
    case FN_BREAK:
        if (c->ntg)
            edge(c, c->cur, c->tg[c->ntg - 1].brk);
        end_block(c, SUM_EXIT_NONE);
        c->nst--;
        return;
    case FN_CONTINUE:
        for (size_t k = c->ntg; k > 0; k--)
            if (c->tg[k - 1].cont != NO_BLOCK) {
                edge(c, c->cur, c->tg[k - 1].cont);
                break;
            }
        end_block(c, SUM_EXIT_NONE);
        c->nst--;
        return;
    case FN_GOTO: {
        CXCursor lab = clang_getCursorReferenced(n->cur);
        if (!clang_Cursor_isNull(lab))
            edge(c, c->cur, label_block(c, clang_getCursorLocation(lab)));
        end_block(c, SUM_EXIT_NONE);
        c->nst--;
        return;
    }
    case FN_LABEL:
        if (s == 0) {
            uint32_t b = label_block(c, clang_getCursorLocation(n->cur));
            edge(c, c->cur, b);
            c->cur = b;
            fr->x[0] = n->first;
            return;
        }
        break; /* then a plain sequence over the substatement */
    default:
        if (s == 0) {
            fr->x[0] = n->first;
            return;
        }
        break;
    }
    /* Sequential evaluation of the children, then the node itself. */
    if (fr->x[0] >= 0) {
        int32_t k = fr->x[0];
        fr->x[0] = f->nodes[k].next;
        push(c, k);
        return;
    }
    c->nst--;
    if (n->kind == FN_CALL) {
        do_call(c, i);
    } else if (n->kind == FN_RETURN) {
        end_block(c, SUM_EXIT_RETURN);
    } else if (n->ck == CXCursor_IndirectGotoStmt) {
        /* goto *p: may land on any label (edges added at the end). */
        uint32_t *g = VEC_PUSH(c->igoto, c->nigoto, c->capigoto);
        if (!g) {
            c->failed = true;
            return;
        }
        *g = c->cur;
        end_block(c, SUM_EXIT_NONE);
    }
}

static void cfg_fini(Cfg *c)
{
    mem_free(c->bx);
    mem_free(c->e);
    mem_free(c->st);
    mem_free(c->tg);
    mem_free(c->sw);
    mem_free(c->lb);
    mem_free(c->igoto);
    mem_free(c->leaves);
    mem_free(c->lastgoto);
    mem_free(c->lastcase);
    mem_free(c->previnc);
}

/* Copies blocks and edges into the arena (successor lists by block) and
 * marks each call reachable or not. */
static int finish(Cfg *c)
{
    FeFunc *f = c->f;
    SumFunction *fn = f->fn;
    Arena *ar = &f->sum->arena;
    size_t nb = c->nb;
    fn->nblocks = (uint32_t)nb;
    fn->blocks = arena_alloc(ar, nb * sizeof *fn->blocks);
    if (!fn->blocks)
        return -1;
    for (size_t k = 0; k < c->ne; k++)
        fn->blocks[c->e[k].from].nsucc++;
    uint32_t acc = 0;
    for (size_t b = 0; b < nb; b++) {
        fn->blocks[b].succ_begin = acc;
        fn->blocks[b].exit = (SumExit)c->bx[b];
        acc += fn->blocks[b].nsucc;
        fn->blocks[b].nsucc = 0;
    }
    fn->nsucc = (uint32_t)c->ne;
    if (c->ne) {
        fn->succ = arena_alloc(ar, c->ne * sizeof *fn->succ);
        if (!fn->succ)
            return -1;
        for (size_t k = 0; k < c->ne; k++) {
            SumBlock *b = &fn->blocks[c->e[k].from];
            fn->succ[b->succ_begin + b->nsucc++] = c->e[k].to;
        }
    }
    /* Reachability from block 0 with an explicit stack (reusing bx as the
     * seen mark: the exits are already copied). */
    uint32_t *stack = mem_alloc_array(nb, sizeof *stack);
    if (!stack)
        return -1;
    memset(c->bx, 0, nb);
    size_t ns = 0;
    stack[ns++] = 0;
    c->bx[0] = 1;
    while (ns > 0) {
        uint32_t b = stack[--ns];
        const SumBlock *bl = &fn->blocks[b];
        for (uint32_t k = 0; k < bl->nsucc; k++) {
            uint32_t t = fn->succ[bl->succ_begin + k];
            if (!c->bx[t]) {
                c->bx[t] = 1;
                stack[ns++] = t;
            }
        }
    }
    mem_free(stack);
    for (size_t k = 0; k < f->ncalls; k++)
        f->calls[k].reachable = c->bx[f->calls[k].block] != 0;
    if (f->ncalls) {
        fn->calls = arena_memdup(ar, f->calls, f->ncalls, sizeof *f->calls);
        if (!fn->calls)
            return -1;
        fn->ncalls = (uint32_t)f->ncalls;
    }
    return 0;
}

int fe_cfg_build(FeFunc *f, FeNames *names)
{
    Cfg c;
    memset(&c, 0, sizeof c);
    c.f = f;
    c.names = names;
    int rc = -1;
    c.leaves = mem_alloc_array(f->nnodes + 1, sizeof *c.leaves);
    if (!c.leaves)
        goto done;
    c.leaves[0] = 0;
    for (size_t k = 0; k < f->nnodes; k++)
        c.leaves[k + 1] = c.leaves[k] + (is_leave(f, &f->nodes[k]) ? 1u : 0u);
    c.lastgoto = mem_alloc_array(f->nnodes + 1, sizeof *c.lastgoto);
    c.lastcase = mem_alloc_array(f->nnodes + 1, sizeof *c.lastcase);
    if (!c.lastgoto || !c.lastcase)
        goto done;
    c.previnc = mem_alloc_array(f->nnodes + 1, sizeof *c.previnc);
    if (!c.previnc)
        goto done;
    for (size_t k = 0; k < f->nnodes; k++)
        c.previnc[k] = -1;
    for (size_t k = 0; k < f->nnodes; k++) {
        if (f->nodes[k].kind != FN_COMPOUND)
            continue;
        int32_t last = -1;
        for (int32_t ch = f->nodes[k].first; ch >= 0; ch = f->nodes[ch].next) {
            c.previnc[ch] = last;
            int32_t m;
            int64_t d;
            if (member_step(f, ch, &m, &d) && d > 0)
                last = ch;
        }
    }
    for (size_t k = 0, lg = (size_t)-1, lc = (size_t)-1; k < f->nnodes; k++) {
        c.lastgoto[k] = lg == (size_t)-1 ? -1 : (int32_t)lg;
        c.lastcase[k] = lc == (size_t)-1 ? -1 : (int32_t)lc;
        if (f->nodes[k].kind == FN_LABEL)
            lg = k;
        else if (f->nodes[k].kind == FN_CASE || f->nodes[k].kind == FN_DEFAULT)
            lc = k;
    }
    c.cur = new_block(&c);
    push(&c, 0);
    while (c.nst > 0 && !c.failed)
        step(&c);
    if (c.failed)
        goto done;
    if (c.bx[c.cur] == SUM_EXIT_NONE)
        c.bx[c.cur] = SUM_EXIT_RETURN;
    for (size_t g = 0; g < c.nigoto; g++)
        for (size_t l = 0; l < c.nlb; l++)
            edge(&c, c.igoto[g], c.lb[l].block);
    if (c.failed)
        goto done;
    rc = finish(&c);
done:
    cfg_fini(&c);
    return rc;
}
