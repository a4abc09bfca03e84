/* Unit tests for the --baseline reader and comparison (config/baseline.c):
 * bad reports, grown bounds, new findings matched without lines or byte
 * counts, and allocation failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/baseline.h"
#include "util/mem.h"

static const char OLD[] =
    "{\"schema\": \"stackcheck-report/1\","
    " \"entries\": [{\"function\": \"main\", \"file\": \"a.c\", \"bytes\": 100, \"status\": \"estimated\"},"
    "              {\"function\": \"isr\", \"file\": \"a.c\", \"bytes\": 40, \"status\": \"estimated\"}],"
    " \"findings\": [{\"rule\": \"recursion\", \"function\": \"walk\", \"line\": 3,"
    "                 \"message\": \"'walk' is recursive: walk -> walk\"},"
    "               {\"rule\": \"unbounded-stack\", \"function\": \"main\", \"line\": 9,"
    "                 \"message\": \"'main' has no finite stack bound (at least 96 bytes)\"}]}";

static void parse_bad(const char *text, const char *reason_part)
{
    Baseline *b = NULL;
    char err[256];
    assert_int_equal(baseline_parse(text, strlen(text), &b, err, sizeof err), -1);
    assert_null(b);
    if (!strstr(err, reason_part))
        fail_msg("reason '%s' does not mention '%s'", err, reason_part);
}

static void test_bad_reports(void **state)
{
    (void)state;
    parse_bad("[", "not valid JSON");
    parse_bad("{\"schema\": \"stackcheck-report/2\", \"entries\": [], \"findings\": []}", "'schema'");
    parse_bad("{\"schema\": \"stackcheck-report/1\", \"findings\": []}", "'entries'");
    parse_bad("{\"schema\": \"stackcheck-report/1\", \"entries\": [{\"function\": \"m\", \"bytes\": 1.5,"
              " \"status\": \"exact\"}], \"findings\": []}",
              "'entries[0].bytes'");
    parse_bad("{\"schema\": \"stackcheck-report/1\", \"entries\": [{\"function\": \"m\", \"bytes\": 1,"
              " \"status\": \"great\"}], \"findings\": []}",
              "'entries[0].status'");
    parse_bad("{\"schema\": \"stackcheck-report/1\", \"entries\": [], \"findings\": [{\"rule\": 3}]}",
              "'findings[0].rule'");
    Baseline *b = NULL;
    char err[256];
    assert_int_equal(baseline_load("/nonexistent/old.json", &b, err, sizeof err), -1);
}

/* A graph of three defined functions: main, isr, walk (no edges). */
static CallGraph *make_graph(void)
{
    static SumFunction defs[3];
    CallGraph *cg = mem_calloc(1, sizeof *cg);
    assert_non_null(cg);
    cg->funcs = mem_calloc(3, sizeof *cg->funcs);
    assert_non_null(cg->funcs);
    const char *names[3] = {"main", "isr", "walk"};
    for (uint32_t i = 0; i < 3; i++) {
        cg->funcs[i].name = names[i];
        cg->funcs[i].loc = (SumLoc){"a.c", 10 * (i + 1), 5};
        cg->funcs[i].def = &defs[i];
    }
    cg->nfuncs = 3;
    return cg;
}

static Result *make_result(const CallGraph *cg, uint64_t main_bytes, unsigned walk_line, unsigned at_least)
{
    Result *r = result_new(cg, NULL);
    assert_non_null(r);
    r->entries = arena_alloc(&r->arena, 2 * sizeof *r->entries);
    assert_non_null(r->entries);
    r->entries[0] = (EntryResult){.func = 0, .bytes = main_bytes, .status = BOUND_ESTIMATED};
    r->entries[1] = (EntryResult){.func = 1, .bytes = 40, .status = BOUND_ESTIMATED};
    r->nentries = 2;
    SumLoc wl = {"a.c", walk_line, 5}, ml = {"a.c", 10, 5};
    assert_non_null(result_add_finding(r, RULE_RECURSION, "walk", wl, NULL, 0, "'walk' is recursive: walk -> walk"));
    assert_non_null(result_add_finding(r, RULE_UNBOUNDED_STACK, "main", ml, NULL, 0,
                                       "'main' has no finite stack bound (at least %u bytes)", at_least));
    result_sort(r);
    return r;
}

static Baseline *load_old(void)
{
    Baseline *b = NULL;
    char err[256];
    if (baseline_parse(OLD, strlen(OLD), &b, err, sizeof err) != 0)
        fail_msg("baseline refused: %s", err);
    return b;
}

static void free_graph(CallGraph *cg)
{
    mem_free(cg->funcs);
    mem_free(cg);
}

static void test_unchanged_and_moved(void **state)
{
    (void)state;
    Baseline *b = load_old();
    CallGraph *cg = make_graph();
    /* walk's finding moved to line 7 and main's lower bound changed: not new. */
    Result *r = make_result(cg, 100, 7, 128);
    assert_int_equal(baseline_compare(b, r), 0);
    assert_true(r->has_baseline);
    assert_int_equal(r->nfindings, 2);
    result_free(r);
    free_graph(cg);
    baseline_free(b);
}

static void test_grown_and_new(void **state)
{
    (void)state;
    Baseline *b = load_old();
    CallGraph *cg = make_graph();
    Result *r = make_result(cg, 150, 3, 96);
    SumLoc nl = {"a.c", 30, 5};
    assert_non_null(result_add_finding(r, RULE_NON_CONVERGENT, "walk", nl, NULL, 0, "'walk' cannot stop"));
    /* A suppressed new finding is never a regression. */
    Finding *s = result_add_finding(r, RULE_DYNAMIC_FRAME, "isr", nl, NULL, 0, "'isr' has a VLA");
    assert_non_null(s);
    s->suppressed = true;
    assert_int_equal(baseline_compare(b, r), 2);
    assert_int_equal(r->regressions[0].kind, REGRESSION_BOUND_GREW);
    assert_string_equal(r->regressions[0].function, "main");
    assert_int_equal(r->regressions[0].old_bytes, 100);
    assert_int_equal(r->regressions[0].new_bytes, 150);
    assert_non_null(strstr(r->regressions[0].message, "from 100 B to 150 B (+50.0%)"));
    assert_int_equal(r->regressions[1].kind, REGRESSION_NEW_FINDING);
    assert_string_equal(r->regressions[1].rule, "non-convergent-recursion");
    size_t nreg = 0;
    for (size_t i = 0; i < r->nfindings; i++)
        nreg += r->findings[i].rule == RULE_REGRESSION;
    assert_int_equal(nreg, 2);
    result_free(r);
    free_graph(cg);
    baseline_free(b);
}

/* A report written since budgets have a state and reasons have fixes
 * (entries[].budget_state, entries[].fixes[], findings[].fix) loads the
 * same as OLD, which has none of them. */
static const char NEW[] =
    "{\"schema\": \"stackcheck-report/1\","
    " \"entries\": [{\"function\": \"main\", \"file\": \"a.c\", \"bytes\": 100, \"status\": \"estimated\","
    "               \"budget\": 4096, \"budget_state\": \"fits\", \"reasons\": [], \"fixes\": []},"
    "              {\"function\": \"isr\", \"file\": \"a.c\", \"bytes\": 40, \"status\": \"estimated\","
    "               \"reasons\": [\"'lib' has no known stack cost\"],"
    "               \"fixes\": [{\"reason\": \"'lib' has no known stack cost\", \"kind\": \"external\","
    "                          \"fix\": \"\\\"externals\\\": {\\\"lib\\\": BYTES} in stackcheck.json\"}]}],"
    " \"findings\": [{\"rule\": \"recursion\", \"function\": \"walk\", \"line\": 3,"
    "                 \"message\": \"'walk' is recursive: walk -> walk\"},"
    "               {\"rule\": \"unbounded-stack\", \"function\": \"main\", \"line\": 9,"
    "                 \"message\": \"'main' has no finite stack bound (at least 96 bytes)\","
    "                 \"fix\": \"none needed\"}]}";

static void test_new_fields(void **state)
{
    (void)state;
    Baseline *b = NULL;
    char err[256];
    if (baseline_parse(NEW, strlen(NEW), &b, err, sizeof err) != 0)
        fail_msg("baseline refused: %s", err);
    CallGraph *cg = make_graph();
    /* As test_grown_and_new: main grew from 100 to 150, nothing else. */
    Result *r = make_result(cg, 150, 7, 128);
    assert_int_equal(baseline_compare(b, r), 1);
    assert_int_equal(r->regressions[0].old_bytes, 100);
    result_free(r);
    free_graph(cg);
    baseline_free(b);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    CallGraph *cg = make_graph();
    for (unsigned long n = 1; n < 60; n++) {
        Baseline *b = NULL;
        char err[256];
        mem_fail_after(n);
        int rc = baseline_parse(OLD, strlen(OLD), &b, err, sizeof err);
        mem_fail_after(0);
        if (rc != 0)
            continue;
        Result *r = make_result(cg, 150, 3, 96);
        mem_fail_after(n);
        long got = baseline_compare(b, r);
        mem_fail_after(0);
        assert_true(got == -1 || got == 1);
        result_free(r);
        baseline_free(b);
    }
    free_graph(cg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_reports),
        cmocka_unit_test(test_unchanged_and_moved),
        cmocka_unit_test(test_grown_and_new),
        cmocka_unit_test(test_new_fields),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
