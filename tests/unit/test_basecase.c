/* Unit tests of the missing-base-case analysis: direct recursion and cycles
 * of 2 and 3 functions, with and without an exit, and noreturn exits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/analyze.h"
#include "sumbuild.h"

static const SumExit RET = SUM_EXIT_RETURN, NONE = SUM_EXIT_NONE, NORET = SUM_EXIT_NORETURN;

/* Gives f the CFG "if (cond) <exit block 1> else <block 2: call, then exit>":
 * block 0 -> {1, 2}; block 1 ends with `exit1`; block 2 holds f's calls and
 * returns. The calls must already be added; they move to block 2. */
static void branch_cfg(TuSummary *t, SumFunction *f, SumExit exit1)
{
    SumExit ex[3] = {NONE, exit1, RET};
    static const int succ[] = {1, 2, -1, -1, -1};
    sb_cfg(t, f, 3, ex, succ);
    for (uint32_t i = 0; i < f->ncalls; i++)
        f->calls[i].block = 2;
}

/* Gives f an entry block that only falls into a block holding its calls. */
static void always_calls_cfg(TuSummary *t, SumFunction *f)
{
    SumExit ex[2] = {NONE, RET};
    static const int succ[] = {1, -1, -1};
    sb_cfg(t, f, 2, ex, succ);
    for (uint32_t i = 0; i < f->ncalls; i++)
        f->calls[i].block = 1;
}

static size_t analyze_count(TuSummary *t, RuleId rule, const char **first_msg)
{
    TuSummary *tus[] = {t};
    CallGraph *cg = NULL;
    Result *r = NULL;
    assert_int_equal(cg_link(tus, 1, &cg), 0);
    AnalysisOptions o = {.target = target_default()};
    assert_int_equal(analyze_run(cg, &o, &r), 0);
    size_t n = 0;
    static char buf[512];
    for (size_t i = 0; i < r->nfindings; i++) {
        if (r->findings[i].rule != rule)
            continue;
        if (n == 0 && first_msg) {
            snprintf(buf, sizeof buf, "%s", r->findings[i].message);
            *first_msg = buf;
        }
        if (rule == RULE_MISSING_BASE_CASE) {
            assert_true(r->findings[i].nrelated >= 1);
            assert_string_equal(r->findings[i].related[0].message, "recursive call here");
        }
        n++;
    }
    result_free(r);
    cg_free(cg);
    return n;
}

static void test_direct(void **state)
{
    (void)state;
    const char *msg = NULL;
    /* void f(void) { f(); } */
    TuSummary *t = sb_tu("a.c", 1);
    SumFunction *f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(t, f, "f", NULL, false);
    always_calls_cfg(t, f);
    assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, &msg), 1);
    assert_string_equal(msg, "'f' can never stop recursing: no path returns without calling 'f' again");
    sum_free(t);
    /* if (n == 0) return; f(n - 1); */
    t = sb_tu("a.c", 1);
    f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(t, f, "f", NULL, false);
    branch_cfg(t, f, RET);
    assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, NULL), 0);
    sum_free(t);
    /* the call in the entry block itself blocks every path */
    t = sb_tu("a.c", 1);
    f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(t, f, "f", NULL, false);
    assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, NULL), 1);
    sum_free(t);
}

static void test_noreturn_exit(void **state)
{
    (void)state;
    /* if (n == 0) exit(0); f(n - 1);  -- block 1 ends at exit() */
    TuSummary *t = sb_tu("a.c", 1);
    SumFunction *f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 2);
    sb_call(t, f, "f", NULL, false);
    SumCall *ex = sb_call(t, f, "exit", NULL, false);
    ex->callee_noreturn = true;
    branch_cfg(t, f, NORET);
    ex->block = 1;
    assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, NULL), 0);
    sum_free(t);
    /* an infinite loop with no exit: block 0 -> 1 -> 1, the call in 1 */
    t = sb_tu("a.c", 1);
    f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(t, f, "f", NULL, false);
    SumExit exits[2] = {NONE, NONE};
    static const int succ[] = {1, -1, 1, -1};
    sb_cfg(t, f, 2, exits, succ);
    f->calls[0].block = 1;
    assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, NULL), 1);
    sum_free(t);
}

static void test_mutual(void **state)
{
    (void)state;
    const char *msg = NULL;
    /* 2-cycle, neither can stop */
    TuSummary *t = sb_tu("a.c", 2);
    SumFunction *f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(t, f, "g", NULL, false);
    always_calls_cfg(t, f);
    SumFunction *g = sb_func(t, "g", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(t, g, "f", NULL, false);
    always_calls_cfg(t, g);
    assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, &msg), 2);
    assert_non_null(strstr(msg, "'f', 'g'"));
    sum_free(t);
    /* 2-cycle with an exit in g */
    t = sb_tu("a.c", 2);
    f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(t, f, "g", NULL, false);
    always_calls_cfg(t, f);
    g = sb_func(t, "g", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(t, g, "f", NULL, false);
    branch_cfg(t, g, RET);
    assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, NULL), 0);
    sum_free(t);
    /* 3-cycle f -> g -> h -> f: no exit, then the only exit in h */
    for (int with_exit = 0; with_exit < 2; with_exit++) {
        t = sb_tu("a.c", 3);
        const char *names[] = {"f", "g", "h"};
        for (int i = 0; i < 3; i++) {
            SumFunction *x = sb_func(t, names[i], NULL, SUM_LINK_EXTERNAL, 1);
            sb_call(t, x, names[(i + 1) % 3], NULL, false);
            if (i == 2 && with_exit)
                branch_cfg(t, x, RET);
            else
                always_calls_cfg(t, x);
        }
        assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, NULL), with_exit ? 0 : 3);
        sum_free(t);
    }
}

static void test_call_out_of_scc_does_not_block(void **state)
{
    (void)state;
    /* f: entry block calls log() (outside the cycle) then returns or recurses */
    TuSummary *t = sb_tu("a.c", 1);
    SumFunction *f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 2);
    sb_call(t, f, "log", NULL, false);
    sb_call(t, f, "f", NULL, false);
    branch_cfg(t, f, RET);
    f->calls[0].block = 0;
    assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, NULL), 0);
    sum_free(t);
}

/* Possible calls (inferred pointer targets) never make a termination claim:
 * a shim that always calls through the member it fills is recursive, not
 * missing a base case; a certain self-call beside it still is. */
static void test_possible_calls_do_not_block(void **state)
{
    (void)state;
    /* shim: ops->close(below) on every path, and shim is stored into ops.close */
    TuSummary *t = sb_tu("a.c", 2);
    SumFunction *f = sb_func(t, "shim", NULL, SUM_LINK_EXTERNAL, 1);
    SumCall *c = sb_icall(t, f, "below->ops->close", "void (void)");
    c->field = "struct ops.close";
    always_calls_cfg(t, f);
    t->nrefs = 1;
    t->refs = arena_alloc(&t->arena, sizeof *t->refs);
    t->refs[0] = (SumFnRef){"c:@F@shim", "shim", false, "void (void)", "struct ops.close"};
    assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, NULL), 0);
    assert_int_equal(analyze_count(t, RULE_RECURSION, NULL), 1);
    /* the same shim, and a certain self-call on every path of g: g's is an error */
    SumFunction *g = sb_func(t, "g", NULL, SUM_LINK_EXTERNAL, 2);
    sb_call(t, g, "g", NULL, false);
    c = sb_icall(t, g, "below->ops->close", "void (void)");
    c->field = "struct ops.close";
    always_calls_cfg(t, g);
    const char *msg = NULL;
    assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, &msg), 1);
    assert_string_equal(msg, "'g' can never stop recursing: no path returns without calling 'g' again");
    sum_free(t);
    /* a certain 2-cycle f <-> h whose only way out of h is a possible call
     * back into f: the possible call is a way out, so no finding */
    t = sb_tu("a.c", 2);
    f = sb_func(t, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(t, f, "h", NULL, false);
    always_calls_cfg(t, f);
    SumFunction *h = sb_func(t, "h", NULL, SUM_LINK_EXTERNAL, 2);
    sb_call(t, h, "f", NULL, false);
    c = sb_icall(t, h, "fp", "void (void)");
    branch_cfg(t, h, RET);
    h->calls[1].block = 1; /* the exit block makes the pointer call, then returns */
    t->nrefs = 1;
    t->refs = arena_alloc(&t->arena, sizeof *t->refs);
    t->refs[0] = (SumFnRef){"c:@F@f", "f", false, "void (void)", NULL};
    assert_int_equal(analyze_count(t, RULE_MISSING_BASE_CASE, NULL), 0);
    sum_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_direct),
        cmocka_unit_test(test_noreturn_exit),
        cmocka_unit_test(test_mutual),
        cmocka_unit_test(test_call_out_of_scc_does_not_block),
        cmocka_unit_test(test_possible_calls_do_not_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
