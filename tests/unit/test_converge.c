/* Unit tests of the non-convergent recursion check: flagged cases (n < 1
 * with n - 1, n != 0 unchanged, n > 100 with n + 1, if (p) f(p), a 2-function
 * cycle, p->i > 0 with p passed back and nothing writing p->i) and silent
 * ones (n > 0 with n - 1, n / 2, unsigned, p->next, guards on another
 * parameter; p->i written, external, unknown writes, unresolved calls). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/analyze.h"
#include "sumbuild.h"

/* Gives f "if (...) return; else <calls>": a base case exists on paper. */
static void branch_cfg(TuSummary *t, SumFunction *f)
{
    SumExit ex[3] = {SUM_EXIT_NONE, SUM_EXIT_RETURN, SUM_EXIT_RETURN};
    static const int succ[] = {1, 2, -1, -1, -1};
    sb_cfg(t, f, 3, ex, succ);
    for (uint32_t i = 0; i < f->ncalls; i++)
        f->calls[i].block = 2;
}

/* Builds `void name(T n) { if (n OP k) name(n + off); }` (arg_param -1:
 * something else). */
static TuSummary *self_rec(const char *name, SumClass cls, bool uns, SumCmp op, int64_t k,
                           int32_t arg_param, int64_t off)
{
    TuSummary *t = sb_tu("c.c", 1);
    SumFunction *f = sb_func(t, name, NULL, SUM_LINK_EXTERNAL, 1);
    sb_param(t, f, cls == SUM_CLASS_POINTER ? "p" : "n", cls, cls == SUM_CLASS_POINTER ? 8 : 4, uns);
    SumCall *c = sb_call(t, f, name, NULL, false);
    sb_arg(t, c, cls, cls == SUM_CLASS_POINTER ? 8 : 4, arg_param, off);
    sb_guard(t, c, 0, op, k);
    branch_cfg(t, f);
    return t;
}

/* Runs the analyses; returns the number of non-convergence findings and
 * copies the first message into msg. */
static size_t nonconv(TuSummary *t, char *msg, size_t msgsize)
{
    TuSummary *tus[] = {t};
    CallGraph *cg = NULL;
    Result *r = NULL;
    assert_int_equal(cg_link(tus, 1, &cg), 0);
    AnalysisOptions o = {.target = target_default()};
    assert_int_equal(analyze_run(cg, &o, &r), 0);
    size_t n = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        const Finding *f = &r->findings[i];
        assert_int_not_equal(f->rule, RULE_MISSING_BASE_CASE);
        if (f->rule != RULE_NON_CONVERGENT)
            continue;
        if (n == 0 && msg)
            snprintf(msg, msgsize, "%s", f->message);
        assert_true(f->nrelated >= 1);
        assert_string_equal(f->related[0].message, "recursive call here");
        n++;
    }
    result_free(r);
    cg_free(cg);
    sum_free(t);
    return n;
}

static void test_flagged_direct(void **state)
{
    (void)state;
    char msg[256];
    assert_int_equal(nonconv(self_rec("recursive_printer", SUM_CLASS_INT, false, SUM_CMP_LT, 1, 0, -1),
                             msg, sizeof msg), 1);
    assert_string_equal(msg, "'recursive_printer' cannot stop once it recurses: guard 'n < 1' "
                             "stays true for argument 'n - 1'");
    assert_int_equal(nonconv(self_rec("f", SUM_CLASS_INT, false, SUM_CMP_NE, 0, 0, 0), msg, sizeof msg), 1);
    assert_string_equal(msg, "'f' cannot stop once it recurses: guard 'n != 0' stays true for argument 'n'");
    assert_int_equal(nonconv(self_rec("f", SUM_CLASS_INT, false, SUM_CMP_GT, 100, 0, 2), msg, sizeof msg), 1);
    assert_string_equal(msg, "'f' cannot stop once it recurses: guard 'n > 100' stays true for argument 'n + 2'");
    assert_int_equal(nonconv(self_rec("f", SUM_CLASS_POINTER, false, SUM_CMP_NE, 0, 0, 0), msg, sizeof msg), 1);
    assert_string_equal(msg, "'f' cannot stop once it recurses: guard 'p != NULL' stays true for argument 'p'");
    /* unsigned, unchanged: stays true whatever the type */
    assert_int_equal(nonconv(self_rec("f", SUM_CLASS_INT, true, SUM_CMP_NE, 0, 0, 0), NULL, 0), 1);
}

static void test_silent(void **state)
{
    (void)state;
    /* if (n > 0) f(n - 1) converges */
    assert_int_equal(nonconv(self_rec("f", SUM_CLASS_INT, false, SUM_CMP_GT, 0, 0, -1), NULL, 0), 0);
    /* f(n / 2): the argument is not parameter + constant */
    assert_int_equal(nonconv(self_rec("f", SUM_CLASS_INT, false, SUM_CMP_NE, 0, -1, 0), NULL, 0), 0);
    /* unsigned n < 1 with n - 1 wraps around */
    assert_int_equal(nonconv(self_rec("f", SUM_CLASS_INT, true, SUM_CMP_LT, 1, 0, -1), NULL, 0), 0);
    /* f(p->next) */
    assert_int_equal(nonconv(self_rec("f", SUM_CLASS_POINTER, false, SUM_CMP_NE, 0, -1, 0), NULL, 0), 0);
    /* n != 5 with n - 1: leaves the set at 5 */
    assert_int_equal(nonconv(self_rec("f", SUM_CLASS_INT, false, SUM_CMP_NE, 5, 0, -1), NULL, 0), 0);
    /* n < 10 with n + 1 converges */
    assert_int_equal(nonconv(self_rec("f", SUM_CLASS_INT, false, SUM_CMP_LT, 10, 0, 1), NULL, 0), 0);
    /* guards unknown */
    TuSummary *t = self_rec("f", SUM_CLASS_INT, false, SUM_CMP_LT, 1, 0, -1);
    t->funcs[0].calls[0].guards_known = false;
    assert_int_equal(nonconv(t, NULL, 0), 0);
    /* modified parameter */
    t = self_rec("f", SUM_CLASS_INT, false, SUM_CMP_LT, 1, 0, -1);
    t->funcs[0].params[0].modified = true;
    assert_int_equal(nonconv(t, NULL, 0), 0);
    /* guard on another parameter: f(n, m) { if (m < 1) f(n - 1, m); } tracking n */
    t = sb_tu("c.c", 1);
    SumFunction *f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_param(t, f, "n", SUM_CLASS_INT, 4, false);
    sb_param(t, f, "m", SUM_CLASS_INT, 4, false);
    SumCall *c = sb_call(t, f, "f", NULL, false);
    sb_arg(t, c, SUM_CLASS_INT, 4, 0, -1);
    sb_arg(t, c, SUM_CLASS_INT, 4, -1, 0);
    sb_guard(t, c, 1, SUM_CMP_LT, 1);
    branch_cfg(t, f);
    assert_int_equal(nonconv(t, NULL, 0), 0);
}

static void test_two_function_cycle(void **state)
{
    (void)state;
    /* void f(int n) { if (n < 1) g(n - 1); }  void g(int m) { f(m); } */
    char msg[256];
    TuSummary *t = sb_tu("c.c", 2);
    SumFunction *f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_param(t, f, "n", SUM_CLASS_INT, 4, false);
    SumCall *c = sb_call(t, f, "g", NULL, false);
    sb_arg(t, c, SUM_CLASS_INT, 4, 0, -1);
    sb_guard(t, c, 0, SUM_CMP_LT, 1);
    branch_cfg(t, f);
    SumFunction *g = sb_func(t, "g", NULL, SUM_LINK_EXTERNAL, 1);
    sb_param(t, g, "m", SUM_CLASS_INT, 4, false);
    c = sb_call(t, g, "f", NULL, false);
    sb_arg(t, c, SUM_CLASS_INT, 4, 0, 0);
    c->guards_known = true;
    assert_int_equal(nonconv(t, msg, sizeof msg), 1);
    assert_string_equal(msg, "'f' cannot stop once it recurses: guard 'n < 1' stays true for "
                             "argument 'n - 1' (passed around f -> g -> f)");
    /* the convergent twin: n > 0 */
    t = sb_tu("c.c", 2);
    f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_param(t, f, "n", SUM_CLASS_INT, 4, false);
    c = sb_call(t, f, "g", NULL, false);
    sb_arg(t, c, SUM_CLASS_INT, 4, 0, -1);
    sb_guard(t, c, 0, SUM_CMP_GT, 0);
    branch_cfg(t, f);
    g = sb_func(t, "g", NULL, SUM_LINK_EXTERNAL, 1);
    sb_param(t, g, "m", SUM_CLASS_INT, 4, false);
    c = sb_call(t, g, "f", NULL, false);
    sb_arg(t, c, SUM_CLASS_INT, 4, 0, 0);
    c->guards_known = true;
    assert_int_equal(nonconv(t, NULL, 0), 0);
}

/* What g does in `f(struct node *p) { if (p->i > 0) { g(p); f(p); } }`. */
typedef enum GKind {
    G_NOTHING,      /* reads p only */
    G_WRITES_KEY,   /* p->i = ... */
    G_WRITES_OTHER, /* p->j = ...: another member */
    G_UNKNOWN,      /* *q = ..., memset, asm */
    G_EXTERNAL,     /* calls a function with no definition */
    G_UNRESOLVED,   /* calls through a pointer with no known target */
    G_DEEP_WRITE    /* calls h, which writes p->i */
} GKind;

static TuSummary *field_rec(GKind gk, int64_t f_off, const char *key2)
{
    TuSummary *t = sb_tu("c.c", 3);
    SumFunction *f = sb_func(t, "f", NULL, SUM_LINK_INTERNAL, 2);
    sb_param(t, f, "p", SUM_CLASS_POINTER, 8, false);
    SumCall *c = sb_call(t, f, "g", "c:c.c@F@g", true);
    sb_arg(t, c, SUM_CLASS_POINTER, 8, 0, 0);
    sb_field_guard(t, c, 0, "struct node.i", SUM_CMP_GT, 0);
    c = sb_call(t, f, "f", "c:c.c@F@f", true);
    sb_arg(t, c, SUM_CLASS_POINTER, 8, 0, f_off);
    sb_field_guard(t, c, 0, "struct node.i", SUM_CMP_GT, 0);
    if (key2)
        sb_field_guard(t, c, 0, key2, SUM_CMP_GT, 0);
    branch_cfg(t, f);
    SumFunction *g = sb_func(t, "g", NULL, SUM_LINK_INTERNAL, 1);
    sb_param(t, g, "q", SUM_CLASS_POINTER, 8, false);
    if (gk == G_WRITES_KEY || gk == G_WRITES_OTHER) {
        g->nwrites = 1;
        g->writes = arena_alloc(&t->arena, sizeof *g->writes);
        g->writes[0] = gk == G_WRITES_KEY ? "struct node.i" : "struct node.j";
    }
    g->writes_unknown = gk == G_UNKNOWN;
    if (gk == G_EXTERNAL)
        sb_call(t, g, "ext", NULL, false);
    if (gk == G_UNRESOLVED)
        sb_icall(t, g, "q->cb", "void (void)");
    if (gk == G_DEEP_WRITE) {
        sb_call(t, g, "h", "c:c.c@F@h", true);
        SumFunction *h = sb_func(t, "h", NULL, SUM_LINK_INTERNAL, 0);
        h->nwrites = 2;
        h->writes = arena_alloc(&t->arena, 2 * sizeof *h->writes);
        h->writes[0] = "struct other.k";
        h->writes[1] = "struct node.i";
    }
    return t;
}

static void test_field_guard(void **state)
{
    (void)state;
    char msg[256];
    TuSummary *t;
    assert_int_equal(nonconv(field_rec(G_NOTHING, 0, NULL), msg, sizeof msg), 1);
    assert_string_equal(msg, "'f' cannot stop once it recurses: guard 'p->i > 0' stays true for "
                             "argument 'p'");
    /* Another member written: p->i still cannot change. */
    assert_int_equal(nonconv(field_rec(G_WRITES_OTHER, 0, NULL), NULL, 0), 1);
    /* A member of that name in another struct (a common initial member
     * written through a cast pointer) counts as a write of p->i. */
    t = field_rec(G_NOTHING, 0, NULL);
    t->funcs[1].nwrites = 1;
    t->funcs[1].writes = arena_alloc(&t->arena, sizeof *t->funcs[1].writes);
    t->funcs[1].writes[0] = "struct leaf.i";
    assert_int_equal(nonconv(t, NULL, 0), 0);
    /* Whatever may write p->i, or anything unknown, silences it. */
    assert_int_equal(nonconv(field_rec(G_WRITES_KEY, 0, NULL), NULL, 0), 0);
    assert_int_equal(nonconv(field_rec(G_DEEP_WRITE, 0, NULL), NULL, 0), 0);
    assert_int_equal(nonconv(field_rec(G_UNKNOWN, 0, NULL), NULL, 0), 0);
    assert_int_equal(nonconv(field_rec(G_EXTERNAL, 0, NULL), NULL, 0), 0);
    assert_int_equal(nonconv(field_rec(G_UNRESOLVED, 0, NULL), NULL, 0), 0);
    /* The pointer passed changed (p + 1), or a second member guarded. */
    assert_int_equal(nonconv(field_rec(G_NOTHING, 1, NULL), NULL, 0), 0);
    assert_int_equal(nonconv(field_rec(G_NOTHING, 0, "struct node.j"), NULL, 0), 0);
    /* f itself writes p->i, or writes unknown memory. */
    t = field_rec(G_NOTHING, 0, NULL);
    t->funcs[0].writes_unknown = true;
    assert_int_equal(nonconv(t, NULL, 0), 0);
    t = field_rec(G_NOTHING, 0, NULL);
    t->funcs[0].nwrites = 1;
    t->funcs[0].writes = arena_alloc(&t->arena, sizeof *t->funcs[0].writes);
    t->funcs[0].writes[0] = "struct node.i";
    assert_int_equal(nonconv(t, NULL, 0), 0);
    /* g may leave by a noreturn builtin (__builtin_longjmp). */
    t = field_rec(G_NOTHING, 0, NULL);
    t->funcs[1].blocks[0].exit = SUM_EXIT_NORETURN;
    assert_int_equal(nonconv(t, NULL, 0), 0);
    /* A modified pointer parameter, or a member guard over an integer. */
    t = field_rec(G_NOTHING, 0, NULL);
    t->funcs[0].params[0].modified = true;
    assert_int_equal(nonconv(t, NULL, 0), 0);
    t = field_rec(G_NOTHING, 0, NULL);
    t->funcs[0].params[0].cls = SUM_CLASS_INT;
    assert_int_equal(nonconv(t, NULL, 0), 0);
    /* Guards that cannot hold together: p->i > 0 && p->i < 0. */
    t = field_rec(G_NOTHING, 0, NULL);
    sb_field_guard(t, &t->funcs[0].calls[1], 0, "struct node.i", SUM_CMP_LT, 0);
    assert_int_equal(nonconv(t, NULL, 0), 0);
    /* Around two functions, the guard on the second call only:
     * f(p) { g(p); }  g(q) { if (q->i > 0) f(q); } */
    t = sb_tu("c.c", 2);
    SumFunction *f = sb_func(t, "f", NULL, SUM_LINK_INTERNAL, 1);
    sb_param(t, f, "p", SUM_CLASS_POINTER, 8, false);
    SumCall *c = sb_call(t, f, "g", "c:c.c@F@g", true);
    sb_arg(t, c, SUM_CLASS_POINTER, 8, 0, 0);
    c->guards_known = true;
    SumFunction *g = sb_func(t, "g", NULL, SUM_LINK_INTERNAL, 1);
    sb_param(t, g, "q", SUM_CLASS_POINTER, 8, false);
    c = sb_call(t, g, "f", "c:c.c@F@f", true);
    sb_arg(t, c, SUM_CLASS_POINTER, 8, 0, 0);
    sb_field_guard(t, c, 0, "struct node.i", SUM_CMP_GT, 0);
    branch_cfg(t, g);
    assert_int_equal(nonconv(t, msg, sizeof msg), 1);
    assert_string_equal(msg, "'f' cannot stop once it recurses: guard 'q->i > 0' stays true for "
                             "argument 'p' (passed around f -> g -> f)");
    /* With p != NULL beside it: still stuck. */
    t = field_rec(G_NOTHING, 0, NULL);
    sb_guard(t, &t->funcs[0].calls[1], 0, SUM_CMP_NE, 0);
    assert_int_equal(nonconv(t, msg, sizeof msg), 1);
    assert_string_equal(msg, "'f' cannot stop once it recurses: guard 'p->i > 0 && p != NULL' "
                             "stays true for argument 'p'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_guard),
        cmocka_unit_test(test_flagged_direct),
        cmocka_unit_test(test_silent),
        cmocka_unit_test(test_two_function_cycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
