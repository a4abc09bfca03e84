/* Unit tests of the recursion depth read from the code (core/depth.c,
 * through analyze_run): a counter parameter entered with constants gives
 * (limit - start) / step + 2 trips, in both directions; a depth counter in
 * memory gives limit / inc + 2; and each condition that must hold is
 * broken once (no constant entry, an entry point, a call that does not
 * move the counter, mixed directions, a signed-free overflow, a counter
 * written by a helper, unknown writes), every one leaving the cycle
 * unbounded. A declared max_depth wins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/analyze.h"
#include "sumbuild.h"

/* `void visit(int n) { if (n OP k) visit(n + step); }` called from main as
 * visit(start) (has_start false: visit(argc)). */
static TuSummary *counter_prog(SumCmp op, int64_t k, int64_t step, int64_t start, bool has_start)
{
    TuSummary *t = sb_tu("d.c", 2);
    SumFunction *v = sb_func(t, "visit", NULL, SUM_LINK_INTERNAL, 1);
    sb_param(t, v, "n", SUM_CLASS_INT, 4, false);
    sb_local(t, v, "buf", 64, 16, false);
    SumCall *c = sb_call(t, v, "visit", v->usr, true);
    sb_arg(t, c, SUM_CLASS_INT, 4, 0, step);
    c->nfacts = 1;
    c->facts = arena_alloc(&t->arena, sizeof *c->facts);
    c->facts[0] = (SumGuard){0, op, k, NULL};
    SumFunction *m = sb_func(t, "main", NULL, SUM_LINK_EXTERNAL, 1);
    SumCall *mc = sb_call(t, m, "visit", v->usr, true);
    SumArg *a = sb_arg(t, mc, SUM_CLASS_INT, 4, -1, 0);
    a->has_value = has_start;
    a->value = start;
    return t;
}

/* Runs the analyses; returns main's entry (copied) and the frame of
 * `visit` (or of the function named `cyc`). */
static EntryResult run_main(TuSummary *t, const AnalysisOptions *extra, const char *cyc, uint64_t *frame,
                            char *why, size_t whysize)
{
    TuSummary *tus[] = {t};
    CallGraph *cg = NULL;
    Result *r = NULL;
    assert_int_equal(cg_link(tus, 1, &cg), 0);
    AnalysisOptions o = extra ? *extra : (AnalysisOptions){0};
    o.target = target_default();
    assert_int_equal(analyze_run(cg, &o, &r), 0);
    EntryResult e = {0};
    bool found = false;
    for (size_t i = 0; i < r->nentries; i++)
        if (strcmp(cg->funcs[r->entries[i].func].name, "main") == 0) {
            e = r->entries[i];
            found = true;
        }
    assert_true(found);
    *frame = 0;
    for (uint32_t f = 0; f < cg->nfuncs; f++)
        if (strcmp(cg->funcs[f].name, cyc) == 0)
            *frame += r->funcs[f].frame;
    if (why) {
        why[0] = '\0';
        for (uint32_t k = 0; k < e.nreasons; k++)
            if (e.reasons[k]->kind == REASON_DEPTH)
                snprintf(why, whysize, "%s", e.reasons[k]->text);
    }
    e.reasons = NULL; /* the result's arena goes */
    e.nreasons = 0;
    result_free(r);
    cg_free(cg);
    sum_free(t);
    return e;
}

static uint64_t main_frame(void)
{
    /* main's own frame, from a program with no recursion */
    TuSummary *t = sb_tu("d.c", 1);
    sb_func(t, "main", NULL, SUM_LINK_EXTERNAL, 0);
    uint64_t fr = 0;
    EntryResult e = run_main(t, NULL, "main", &fr, NULL, 0);
    assert_int_equal(e.bytes, fr);
    return fr;
}

static void test_counter_param_up(void **state)
{
    (void)state;
    uint64_t vf, mf = main_frame();
    char why[512];
    /* visit(1) while n <= 12, n + 1: 12 calls that count, 13 activations. */
    EntryResult e = run_main(counter_prog(SUM_CMP_LE, 12, 1, 1, true), NULL, "visit", &vf, why, sizeof why);
    assert_int_equal(e.status, BOUND_ESTIMATED);
    assert_true(e.bytes >= 13 * vf);
    assert_int_equal(e.bytes - 13 * vf <= mf + 64, true);
    assert_non_null(strstr(why, "at most 13 calls deep"));
    assert_non_null(strstr(why, "counter 'n' of 'visit' grows by 1"));
    /* n < 12 with n + 3 from 0: calls at 0, 3, 6, 9: 4, so 5 activations. */
    e = run_main(counter_prog(SUM_CMP_LT, 12, 3, 0, true), NULL, "visit", &vf, why, sizeof why);
    assert_int_equal(e.status, BOUND_ESTIMATED);
    assert_non_null(strstr(why, "at most 5 calls deep"));
    /* Entered past the limit: no call counts, 1 activation. */
    e = run_main(counter_prog(SUM_CMP_LE, 12, 1, 20, true), NULL, "visit", &vf, why, sizeof why);
    assert_int_equal(e.status, BOUND_ESTIMATED);
    assert_non_null(strstr(why, "at most 1 calls deep"));
}

static void test_counter_param_down(void **state)
{
    (void)state;
    uint64_t vf;
    char why[512];
    /* visit(5) while n > 0, n - 1: 5 calls, 6 activations. */
    EntryResult e = run_main(counter_prog(SUM_CMP_GT, 0, -1, 5, true), NULL, "visit", &vf, why, sizeof why);
    assert_int_equal(e.status, BOUND_ESTIMATED);
    assert_non_null(strstr(why, "shrinks by 1"));
    assert_non_null(strstr(why, "at most 6 calls deep"));
    /* n >= 2 with n - 2 from 9: calls at 9, 7, 5, 3: 5 activations. */
    e = run_main(counter_prog(SUM_CMP_GE, 2, -2, 9, true), NULL, "visit", &vf, why, sizeof why);
    assert_non_null(strstr(why, "at most 5 calls deep"));
}

static void test_counter_param_refused(void **state)
{
    (void)state;
    uint64_t vf;
    /* Not entered with a constant. */
    EntryResult e = run_main(counter_prog(SUM_CMP_LE, 12, 1, 0, false), NULL, "visit", &vf, NULL, 0);
    assert_int_equal(e.status, BOUND_UNBOUNDED);
    /* Moving away from the limit (a fact n <= 12, step -1). */
    e = run_main(counter_prog(SUM_CMP_LE, 12, -1, 1, true), NULL, "visit", &vf, NULL, 0);
    assert_int_equal(e.status, BOUND_UNBOUNDED);
    /* Not moved at all. */
    e = run_main(counter_prog(SUM_CMP_LE, 12, 0, 1, true), NULL, "visit", &vf, NULL, 0);
    assert_int_equal(e.status, BOUND_UNBOUNDED);
    /* A limit the type cannot go past: n <= INT_MAX with n + 1 wraps. */
    e = run_main(counter_prog(SUM_CMP_LE, INT32_MAX, 1, 0, true), NULL, "visit", &vf, NULL, 0);
    assert_int_equal(e.status, BOUND_UNBOUNDED);
    /* visit is an entry of its own (--entry): it may start anywhere. */
    const char *entries[] = {"visit"};
    AnalysisOptions o = {.entries = entries, .nentries = 1};
    e = run_main(counter_prog(SUM_CMP_LE, 12, 1, 1, true), &o, "visit", &vf, NULL, 0);
    assert_int_equal(e.status, BOUND_UNBOUNDED);
    /* A second call that passes n unchanged: a cycle that does not count. */
    TuSummary *t = counter_prog(SUM_CMP_LE, 12, 1, 1, true);
    SumFunction *v = &t->funcs[0];
    SumCall *c2 = &v->calls[0]; /* room for one call: rebuild with two */
    SumCall *calls = arena_alloc(&t->arena, 2 * sizeof *calls);
    calls[0] = *c2;
    calls[1] = *c2;
    calls[1].args = arena_alloc(&t->arena, sizeof *calls[1].args);
    calls[1].args[0] = (SumArg){.size = 4, .cls = SUM_CLASS_INT, .param = 0, .offset = 0};
    v->calls = calls;
    v->ncalls = 2;
    e = run_main(t, NULL, "visit", &vf, NULL, 0);
    assert_int_equal(e.status, BOUND_UNBOUNDED);
}

static void test_declared_wins(void **state)
{
    (void)state;
    uint64_t vf;
    NamedBytes md[] = {{"visit", 4}};
    AnalysisOptions o = {.max_depth = md, .nmax_depth = 1};
    char why[512];
    EntryResult e = run_main(counter_prog(SUM_CMP_LE, 12, 1, 1, true), &o, "visit", &vf, why, sizeof why);
    assert_int_equal(e.status, BOUND_ESTIMATED);
    assert_string_equal(why, ""); /* no reason read from the code */
    uint64_t with4 = e.bytes;
    e = run_main(counter_prog(SUM_CMP_LE, 12, 1, 1, true), NULL, "visit", &vf, NULL, 0);
    assert_int_equal(e.bytes - with4, 9 * vf); /* 13 trips against 4 */
}

/* parse_value(p) -> parse_array(p) -> parse_value(p), parse_array counting
 * with `counter` (NULL: none), parse_value writing `pv_writes` (NULL:
 * nothing), and a helper called by parse_array writing `helper_writes`. */
static TuSummary *member_prog(const SumCounter *counter, const char *pv_writes, const char *helper_writes,
                              bool unknown)
{
    TuSummary *t = sb_tu("m.c", 4);
    SumFunction *pv = sb_func(t, "parse_value", NULL, SUM_LINK_INTERNAL, 1);
    sb_param(t, pv, "in", SUM_CLASS_POINTER, 8, false);
    SumFunction *pa = sb_func(t, "parse_array", NULL, SUM_LINK_INTERNAL, 2);
    sb_param(t, pa, "in", SUM_CLASS_POINTER, 8, false);
    SumFunction *h = sb_func(t, "skip", NULL, SUM_LINK_INTERNAL, 0);
    sb_param(t, h, "in", SUM_CLASS_POINTER, 8, false);
    SumCall *c = sb_call(t, pv, "parse_array", pa->usr, true);
    sb_arg(t, c, SUM_CLASS_POINTER, 8, 0, 0);
    c = sb_call(t, pa, "skip", h->usr, true);
    sb_arg(t, c, SUM_CLASS_POINTER, 8, 0, 0);
    c = sb_call(t, pa, "parse_value", pv->usr, true);
    sb_arg(t, c, SUM_CLASS_POINTER, 8, 0, 0);
    if (counter) {
        SumCounter *k = arena_alloc(&t->arena, sizeof *k);
        *k = *counter;
        k->field = arena_strdup(&t->arena, counter->field);
        c->counter = k;
    }
    pa->nwrites = 1;
    pa->writes = arena_alloc(&t->arena, sizeof *pa->writes);
    pa->writes[0] = "struct in.depth";
    if (pv_writes) {
        pv->nwrites = 1;
        pv->writes = arena_alloc(&t->arena, sizeof *pv->writes);
        pv->writes[0] = arena_strdup(&t->arena, pv_writes);
    }
    if (helper_writes) {
        h->nwrites = 1;
        h->writes = arena_alloc(&t->arena, sizeof *h->writes);
        h->writes[0] = arena_strdup(&t->arena, helper_writes);
    }
    pv->writes_unknown = unknown;
    SumFunction *m = sb_func(t, "main", NULL, SUM_LINK_EXTERNAL, 1);
    c = sb_call(t, m, "parse_value", pv->usr, true);
    sb_arg(t, c, SUM_CLASS_POINTER, 8, -1, 0);
    return t;
}

static void test_counter_member(void **state)
{
    (void)state;
    uint64_t fr;
    char why[512];
    SumCounter k = {.field = "struct in.depth", .param = 0, .limit = 99, .inc = 1, .check = {"m.c", 7, 9}};
    /* At most 99 at the check, +1: 100 calls that count, 101 trips. */
    EntryResult e = run_main(member_prog(&k, NULL, NULL, false), NULL, "parse_value", &fr, why, sizeof why);
    assert_int_equal(e.status, BOUND_ESTIMATED);
    assert_non_null(strstr(why, "depth counter 'struct in.depth' of 'parse_array', checked at m.c:7 "
                                "(at most 99 there)"));
    assert_non_null(strstr(why, "at most 101 calls deep"));
    /* +2 a time: 50 + 1 calls that count. */
    k.inc = 2;
    e = run_main(member_prog(&k, NULL, NULL, false), NULL, "parse_value", &fr, why, sizeof why);
    assert_non_null(strstr(why, "at most 51 calls deep"));
    k.inc = 1;
    /* No counter: unbounded. */
    e = run_main(member_prog(NULL, NULL, NULL, false), NULL, "parse_value", &fr, NULL, 0);
    assert_int_equal(e.status, BOUND_UNBOUNDED);
    /* parse_value (no check of its own) writes the member. */
    e = run_main(member_prog(&k, "struct in.depth", NULL, false), NULL, "parse_value", &fr, NULL, 0);
    assert_int_equal(e.status, BOUND_UNBOUNDED);
    /* A helper below the cycle writes it. */
    e = run_main(member_prog(&k, NULL, "struct in.depth", false), NULL, "parse_value", &fr, NULL, 0);
    assert_int_equal(e.status, BOUND_UNBOUNDED);
    /* ... another member is fine. */
    e = run_main(member_prog(&k, NULL, "struct in.pos", false), NULL, "parse_value", &fr, NULL, 0);
    assert_int_equal(e.status, BOUND_ESTIMATED);
    /* A function of the cycle stores through unknown memory. */
    e = run_main(member_prog(&k, NULL, NULL, true), NULL, "parse_value", &fr, NULL, 0);
    assert_int_equal(e.status, BOUND_UNBOUNDED);
    /* The counter of another parameter than the one passed on. */
    SumCounter k2 = k;
    k2.param = 1;
    TuSummary *t = member_prog(&k2, NULL, NULL, false);
    sb_param(t, &t->funcs[1], "other", SUM_CLASS_POINTER, 8, false);
    e = run_main(t, NULL, "parse_value", &fr, NULL, 0);
    assert_int_equal(e.status, BOUND_UNBOUNDED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counter_param_up),     cmocka_unit_test(test_counter_param_down),
        cmocka_unit_test(test_counter_param_refused), cmocka_unit_test(test_declared_wins),
        cmocka_unit_test(test_counter_member),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
