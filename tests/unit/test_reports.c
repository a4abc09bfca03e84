/* Unit tests for the report back ends (text, JSON, SARIF, DOT) over a call
 * graph and result built by hand, plus --fail-on counting and allocation
 * failure in every back end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "core/result.h"
#include "core/target.h"
#include "report.h"
#include "util/mem.h"

/* The fixture: main -> rec (recursive), main -> printf (external),
 * main -> (*fp)() (unresolved), rec -> rec. */
typedef struct Fx {
    SumCall calls[4];
    CgFunc funcs[3];
    CgEdge edges[4];
    CallGraph cg;
    FuncResult fres[3];
    PathStep path[3];
    BoundReason why[2];
    const BoundReason *reasons[2];
    EntryResult entry;
    ResRelated related[1];
    Finding findings[4];
    Target target;
    Result r;
    bool fail_on[RULE_COUNT];
    ReportOptions opt;
    const char *inputs[1];
} Fx;

static SumLoc loc(unsigned line, unsigned col) { return (SumLoc){"a.c", line, col}; }

static int setup(void **state)
{
    Fx *fx = test_calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->calls[0] = (SumCall){.kind = SUM_CALL_DIRECT, .callee_name = "rec", .loc = loc(10, 12), .reachable = true};
    fx->calls[1] = (SumCall){.kind = SUM_CALL_DIRECT, .callee_name = "printf", .loc = loc(11, 5), .reachable = true};
    fx->calls[2] = (SumCall){.kind = SUM_CALL_INDIRECT, .callee_name = "fp", .loc = loc(12, 5), .reachable = true};
    fx->calls[3] = (SumCall){.kind = SUM_CALL_DIRECT, .callee_name = "rec", .loc = loc(4, 9), .reachable = true};
    static const SumFunction def = {0};
    fx->funcs[0] = (CgFunc){"main", "c:@F@main", SUM_LINK_EXTERNAL, loc(8, 5), &def, 0, 0, 3, false, false, 0, 0};
    fx->funcs[1] = (CgFunc){"rec", "c:a.c@F@rec", SUM_LINK_INTERNAL, loc(3, 12), &def, 0, 3, 1, false, false, 0, 0};
    fx->funcs[2] = (CgFunc){"printf", "c:@F@printf", SUM_LINK_EXTERNAL, loc(11, 5), NULL, CG_NONE, 4, 0, false, false, 0, 0};
    fx->edges[0] = (CgEdge){0, 1, &fx->calls[0], CG_HOW_DIRECT, true};
    fx->edges[1] = (CgEdge){0, 2, &fx->calls[1], CG_HOW_DIRECT, true};
    fx->edges[2] = (CgEdge){0, CG_NONE, &fx->calls[2], CG_HOW_NONE, false};
    fx->edges[3] = (CgEdge){1, 1, &fx->calls[3], CG_HOW_DIRECT, true};
    fx->cg = (CallGraph){.funcs = fx->funcs, .nfuncs = 3, .edges = fx->edges, .nedges = 4};

    fx->fres[0] = (FuncResult){64, FRAME_SRC_ESTIMATE, false, false, 2, 112, BOUND_UNBOUNDED, 1, &fx->calls[0], false, false};
    fx->fres[1] = (FuncResult){48, FRAME_SRC_ESTIMATE, false, true, 1, 48, BOUND_UNBOUNDED, CG_NONE, NULL, true, false};
    fx->fres[2] = (FuncResult){0, FRAME_SRC_UNKNOWN, false, false, 0, 0, BOUND_INCOMPLETE, CG_NONE, NULL, false, false};
    fx->path[0] = (PathStep){0, 64, {0}, false};
    fx->path[1] = (PathStep){1, 48, loc(10, 12), false};
    fx->path[2] = (PathStep){1, 0, loc(11, 5), true}; /* the cycle closes */
    fx->why[0] = (BoundReason){REASON_RECURSION, "recursion in 'rec' (no depth bound)",
                               "\"max_depth\": {\"rec\": N} in stackcheck.json", 0};
    fx->why[1] = (BoundReason){REASON_EXTERNAL, "'printf' has no known stack cost",
                               "\"externals\": {\"printf\": BYTES} in stackcheck.json", 1};
    fx->reasons[0] = &fx->why[0];
    fx->reasons[1] = &fx->why[1];
    fx->entry = (EntryResult){.func = 0, .kind = ENTRY_MAIN, .bytes = 112, .status = BOUND_UNBOUNDED,
                              .has_budget = true, .budget = 4096, .budget_state = BUDGET_UNVERIFIED,
                              .npath = 3, .path = fx->path, .nreasons = 2, .reasons = fx->reasons};
    fx->related[0] = (ResRelated){"rec", loc(4, 9), "recursive call here"};
    fx->findings[0] = (Finding){RULE_RECURSION, SEV_WARNING, "rec", loc(3, 12), {0},
                                "'rec' is recursive: rec -> rec", 1, fx->related, false, true, true, 0, NULL};
    fx->findings[1] = (Finding){RULE_MISSING_BASE_CASE, SEV_ERROR, "rec", loc(3, 12), {0},
                                "SUPPRESSED-ONE", 1, fx->related, true, false, false, 0, NULL};
    fx->findings[2] = (Finding){RULE_UNKNOWN_STACK_COST, SEV_NOTE, "main", loc(11, 5), loc(11, 10),
                                "'printf' has no known stack cost", 0, NULL, false, false, false, 0,
                                "\"externals\": {\"printf\": BYTES} in stackcheck.json"};
    fx->findings[3] = (Finding){RULE_UNRESOLVED_INDIRECT, SEV_NOTE, "main", loc(12, 5), {0},
                                "call through 'fp' could not be resolved", 0, NULL, false, false, false, 0, NULL};
    fx->target = (Target){.triple = "x86_64-linux-gnu", .ptr_size = 8};
    fx->r = (Result){.cg = &fx->cg, .target = &fx->target, .funcs = fx->fres, .entries = &fx->entry,
                     .nentries = 1, .findings = fx->findings, .nfindings = 4, .findings_cap = 4,
                     .reasons = fx->reasons, .nreasons = 2};
    rpt_default_fail_on(fx->fail_on);
    fx->inputs[0] = "a.c";
    fx->opt = (ReportOptions){.tool_version = "9.8.7", .clang_version = "clang 19", .inputs = fx->inputs,
                              .ninputs = 1, .srcroot = "/src", .fail_on = fx->fail_on};
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    test_free(*state);
    return 0;
}

/* Runs a back end into a NUL-terminated string (caller frees with free). */
static char *render(int (*fn)(const Result *, const ReportOptions *, FILE *), const Fx *fx, int *rc)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    *rc = fn(&fx->r, &fx->opt, f);
    long len = ftell(f);
    assert_true(len >= 0);
    rewind(f);
    char *buf = calloc(1, (size_t)len + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    return buf;
}

/* Renders with `fn`, which must succeed, and parses the JSON it wrote;
 * *text keeps the bytes (free it). */
static cJSON *render_doc(int (*fn)(const Result *, const ReportOptions *, FILE *), const Fx *fx,
                         char **text)
{
    int rc;
    *text = render(fn, fx, &rc);
    assert_int_equal(rc, 0);
    cJSON *doc = cJSON_Parse(*text);
    assert_non_null(doc);
    return doc;
}

static void test_parse_format(void **state)
{
    (void)state;
    ReportFormat f;
    assert_int_equal(rpt_parse_format("json", &f), 0);
    assert_int_equal(f, RPT_JSON);
    assert_int_equal(rpt_parse_format("sarif", &f), 0);
    assert_int_equal(f, RPT_SARIF);
    assert_int_equal(rpt_parse_format("dot", &f), 0);
    assert_int_equal(rpt_parse_format("text", &f), 0);
    assert_int_equal(f, RPT_TEXT);
    assert_int_equal(rpt_parse_format("xml", &f), -1);
    assert_int_equal(rpt_parse_format("", &f), -1);
}

static void test_count_failing(void **state)
{
    Fx *fx = *state;
    /* Default set: the only missing-base-case finding is suppressed. */
    assert_int_equal(rpt_count_failing(&fx->r, &fx->opt), 0);
    fx->fail_on[RULE_RECURSION] = true;
    assert_int_equal(rpt_count_failing(&fx->r, &fx->opt), 1);
    fx->findings[1].suppressed = false;
    assert_int_equal(rpt_count_failing(&fx->r, &fx->opt), 2);
    ReportOptions dflt = fx->opt;
    dflt.fail_on = NULL;
    assert_int_equal(rpt_count_failing(&fx->r, &dflt), 1);
}

static void test_text(void **state)
{
    Fx *fx = *state;
    int rc;
    char *s = render(rpt_write_text, fx, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "a.c:3:12: warning: 'rec' is recursive: rec -> rec [recursion]\n"
                              "a.c:4:9: note: recursive call here\n"));
    assert_non_null(strstr(s, "a.c:11:5: note: 'printf' has no known stack cost [unknown-stack-cost]\n"));
    assert_non_null(strstr(s, "[unresolved-indirect-call]"));
    assert_null(strstr(s, "SUPPRESSED-ONE"));
    assert_non_null(strstr(s, "entry"));
    assert_non_null(strstr(s, "deepest path"));
    assert_non_null(strstr(s, ">= 112 B"));
    assert_non_null(strstr(s, "unbounded"));
    assert_non_null(strstr(s, "4096 B"));
    assert_non_null(strstr(s, "main (64) -> rec (48) -> rec ...\n"));
    assert_non_null(strstr(s, "reasons: recursion in 'rec' (no depth bound); 'printf' has no known stack cost\n"));
    /* The budget's verdict beside it, and each reason's fix once. */
    assert_non_null(strstr(s, "4096 B unverified"));
    assert_non_null(strstr(s, "\nnote: recursion in 'rec' (no depth bound); to settle it: \"max_depth\": "
                              "{\"rec\": N} in stackcheck.json\n"
                              "note: 'printf' has no known stack cost; to settle it: \"externals\": "
                              "{\"printf\": BYTES} in stackcheck.json\n"));
    assert_non_null(strstr(s, "1 warning, 2 notes\n"));
    assert_null(strstr(s, "exit 1"));
    free(s);

    fx->fail_on[RULE_RECURSION] = true;
    s = render(rpt_write_text, fx, &rc);
    assert_non_null(strstr(s, "1 finding fails the run (recursion); exit 1\n"));
    free(s);

    fx->opt.quiet = true;
    s = render(rpt_write_text, fx, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "[recursion]"));
    assert_null(strstr(s, "deepest path"));
    assert_null(strstr(s, "exit 1"));
    free(s);
}

static void test_text_exact_bound(void **state)
{
    Fx *fx = *state;
    fx->entry.status = BOUND_ESTIMATED;
    fx->entry.has_budget = false;
    fx->entry.nreasons = 0;
    fx->r.nreasons = 0;
    fx->r.nfindings = 0;
    fx->fres[1].recursive = false;
    fx->entry.npath = 2; /* acyclic now: no step closes a cycle */
    int rc;
    char *s = render(rpt_write_text, fx, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, " 112 B "));
    assert_null(strstr(s, ">="));
    assert_null(strstr(s, "reasons:"));
    assert_null(strstr(s, "to settle it"));
    assert_null(strstr(s, "budget"));
    assert_non_null(strstr(s, "main (64) -> rec (48)\n"));
    assert_non_null(strstr(s, "no findings\n"));
    free(s);
}

static cJSON *item(const cJSON *o, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_non_null(v);
    return v;
}

static void test_json(void **state)
{
    Fx *fx = *state;
    fx->fres[1].max_stack = UINT64_MAX; /* saturated: clamped to 2^53 - 1 */
    char *s;
    cJSON *doc = render_doc(rpt_write_json, fx, &s);
    assert_non_null(strstr(s, "9007199254740991"));
    assert_string_equal(item(doc, "schema")->valuestring, "stackcheck-report/1");
    assert_string_equal(item(item(doc, "tool"), "version")->valuestring, "9.8.7");
    assert_string_equal(item(doc, "target")->valuestring, "x86_64-linux-gnu");
    cJSON *funcs = item(doc, "functions");
    assert_int_equal(cJSON_GetArraySize(funcs), 3);
    cJSON *main_fn = cJSON_GetArrayItem(funcs, 0);
    assert_string_equal(item(main_fn, "name")->valuestring, "main");
    assert_true(cJSON_IsFalse(item(main_fn, "external")));
    cJSON *calls = item(main_fn, "calls");
    assert_int_equal(cJSON_GetArraySize(calls), 3);
    assert_true(cJSON_IsNull(item(cJSON_GetArrayItem(calls, 2), "callee")));
    assert_true(cJSON_IsTrue(item(cJSON_GetArrayItem(calls, 2), "indirect")));
    cJSON *rec = cJSON_GetArrayItem(funcs, 1);
    assert_string_equal(item(rec, "linkage")->valuestring, "internal");
    assert_true(cJSON_IsTrue(item(rec, "recursive")));
    assert_true(cJSON_IsTrue(item(cJSON_GetArrayItem(funcs, 2), "external")));

    cJSON *e = cJSON_GetArrayItem(item(doc, "entries"), 0);
    assert_int_equal(item(e, "bytes")->valueint, 112);
    assert_int_equal(item(e, "budget")->valueint, 4096);
    assert_string_equal(item(e, "status")->valuestring, "unbounded");
    cJSON *path = item(e, "path");
    assert_int_equal(cJSON_GetArraySize(path), 3);
    assert_true(cJSON_IsNull(item(cJSON_GetArrayItem(path, 0), "call_line")));
    assert_int_equal(item(cJSON_GetArrayItem(path, 1), "call_line")->valueint, 10);
    assert_int_equal(item(cJSON_GetArrayItem(path, 1), "frame_bytes")->valueint, 48);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(path, 1), "repeat"));
    /* The step that closes the cycle is marked and not counted again. */
    assert_true(cJSON_IsTrue(item(cJSON_GetArrayItem(path, 2), "repeat")));
    assert_int_equal(item(cJSON_GetArrayItem(path, 2), "frame_bytes")->valueint, 0);
    assert_int_equal(cJSON_GetArraySize(item(e, "reasons")), 2);
    assert_string_equal(cJSON_GetArrayItem(item(e, "reasons"), 1)->valuestring, "'printf' has no known stack cost");
    assert_string_equal(item(e, "budget_state")->valuestring, "unverified");
    /* fixes[] parallel to reasons[] */
    cJSON *fixes = item(e, "fixes");
    assert_int_equal(cJSON_GetArraySize(fixes), 2);
    cJSON *fx1 = cJSON_GetArrayItem(fixes, 1);
    assert_string_equal(item(fx1, "reason")->valuestring, "'printf' has no known stack cost");
    assert_string_equal(item(fx1, "kind")->valuestring, "external");
    assert_string_equal(item(fx1, "fix")->valuestring, "\"externals\": {\"printf\": BYTES} in stackcheck.json");
    assert_string_equal(item(cJSON_GetArrayItem(fixes, 0), "kind")->valuestring, "recursion");

    cJSON *fs = item(doc, "findings");
    assert_int_equal(cJSON_GetArraySize(fs), 4);
    cJSON *f1 = cJSON_GetArrayItem(fs, 1);
    assert_true(cJSON_IsTrue(item(f1, "suppressed")));
    cJSON *f2 = cJSON_GetArrayItem(fs, 2);
    assert_int_equal(item(f2, "end_column")->valueint, 10);
    assert_string_equal(item(f2, "fix")->valuestring, "\"externals\": {\"printf\": BYTES} in stackcheck.json");
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(fs, 3), "fix"));
    cJSON *f0 = cJSON_GetArrayItem(fs, 0);
    assert_int_equal(item(f0, "end_line")->valueint, 3);
    assert_string_equal(item(cJSON_GetArrayItem(item(f0, "related"), 0), "message")->valuestring,
                        "recursive call here");
    cJSON *sum = item(doc, "summary");
    assert_int_equal(item(sum, "errors")->valueint, 0);
    assert_int_equal(item(sum, "warnings")->valueint, 1);
    assert_int_equal(item(sum, "notes")->valueint, 2);
    assert_true(cJSON_IsFalse(item(sum, "failed")));
    cJSON_Delete(doc);
    free(s);
}

static void test_sarif(void **state)
{
    Fx *fx = *state;
    char *s;
    /* An entry's finding: it carries that entry's reasons and fixes. */
    fx->findings[3] = (Finding){RULE_UNBOUNDED_STACK, SEV_WARNING, "main", loc(8, 5), {0},
                                "'main' has no finite stack bound", 0, NULL, false, false, false, 1, NULL};
    cJSON *doc = render_doc(rpt_write_sarif, fx, &s);
    assert_string_equal(item(doc, "version")->valuestring, "2.1.0");
    cJSON *run = cJSON_GetArrayItem(item(doc, "runs"), 0);
    cJSON *rules = item(item(item(run, "tool"), "driver"), "rules");
    assert_int_equal(cJSON_GetArraySize(rules), RULE_COUNT);
    assert_string_equal(item(item(item(run, "originalUriBaseIds"), "%SRCROOT%"), "uri")->valuestring,
                        "file:///src/");
    cJSON *results = item(run, "results");
    assert_int_equal(cJSON_GetArraySize(results), 4);
    cJSON *r0 = cJSON_GetArrayItem(results, 0);
    assert_string_equal(item(r0, "ruleId")->valuestring, "recursion");
    assert_string_equal(item(r0, "level")->valuestring, "warning");
    cJSON *art = item(item(cJSON_GetArrayItem(item(r0, "locations"), 0), "physicalLocation"), "artifactLocation");
    assert_string_equal(item(art, "uri")->valuestring, "a.c");
    assert_string_equal(item(art, "uriBaseId")->valuestring, "%SRCROOT%");
    assert_int_equal(cJSON_GetArraySize(item(r0, "relatedLocations")), 1);
    assert_non_null(item(item(r0, "partialFingerprints"), "stackcheckFinding/v1")->valuestring);
    assert_non_null(item(cJSON_GetArrayItem(results, 1), "suppressions"));
    /* Fixes go in the property bag: no result gets a SARIF fixes[] (see sarif.c). */
    for (int i = 0; i < cJSON_GetArraySize(results); i++)
        assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(results, i), "fixes"));
    assert_null(strstr(s, "artifactChanges"));
    cJSON *p2 = item(cJSON_GetArrayItem(results, 2), "properties");
    assert_string_equal(item(p2, "fix")->valuestring, "\"externals\": {\"printf\": BYTES} in stackcheck.json");
    cJSON *p3 = item(cJSON_GetArrayItem(results, 3), "properties");
    cJSON *sf = item(p3, "fixes");
    assert_int_equal(cJSON_GetArraySize(sf), 2);
    assert_string_equal(item(cJSON_GetArrayItem(sf, 0), "reason")->valuestring, "recursion in 'rec' (no depth bound)");
    assert_string_equal(item(cJSON_GetArrayItem(sf, 0), "fix")->valuestring,
                        "\"max_depth\": {\"rec\": N} in stackcheck.json");
    assert_null(cJSON_GetObjectItem(item(cJSON_GetArrayItem(results, 0), "properties"), "fixes"));
    cJSON_Delete(doc);
    free(s);
}

static void test_dot(void **state)
{
    Fx *fx = *state;
    int rc;
    char *s = render(rpt_write_dot, fx, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "digraph"));
    assert_non_null(strstr(s, "f0 -> f1 [penwidth=3, color=blue];"));
    assert_non_null(strstr(s, "f1 -> f1 [penwidth=3, color=red];")); /* on the path and a cycle */
    assert_non_null(strstr(s, "f0 -> f2 [style=dashed];"));
    assert_non_null(strstr(s, "shape=diamond"));
    assert_non_null(strstr(s, "peripheries=2"));
    free(s);
    /* rec's self-call as a possible (inferred) call: dotted */
    fx->edges[3].certain = false;
    fx->edges[3].how = CG_HOW_MEMBER;
    s = render(rpt_write_dot, fx, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "f1 -> f1 [penwidth=3, color=red, style=dotted];"));
    free(s);
    fx->edges[3].certain = true;
    fx->edges[3].how = CG_HOW_DIRECT;
}

/* Written element by element (JSON: every big array; SARIF: the results),
 * a report is laid out exactly as cJSON_Print lays out the whole tree
 * (numbers here stay below 2^53, which a reprint through doubles would
 * spell differently). */
static void check_layout(int (*fn)(const Result *, const ReportOptions *, FILE *), const Fx *fx)
{
    char *s;
    cJSON *doc = render_doc(fn, fx, &s);
    char *whole = cJSON_Print(doc);
    assert_non_null(whole);
    size_t n = strlen(whole);
    assert_int_equal(strlen(s), n + 1);
    assert_memory_equal(s, whole, n);
    assert_int_equal(s[n], '\n');
    cJSON_free(whole);
    cJSON_Delete(doc);
    free(s);
}

static void test_json_layout(void **state) { check_layout(rpt_write_json, *state); }

static void test_sarif_layout(void **state) { check_layout(rpt_write_sarif, *state); }

/* Every allocation of every back end may fail: each must return -1 (never
 * crash or leak) until enough allocations succeed. */
static void test_alloc_failure(void **state)
{
    Fx *fx = *state;
    int (*const fns[])(const Result *, const ReportOptions *, FILE *) = {
        rpt_write_text, rpt_write_json, rpt_write_sarif, rpt_write_dot};
    for (size_t k = 0; k < sizeof fns / sizeof fns[0]; k++) {
        int rc = -1;
        unsigned long n;
        for (n = 1; n < 100000 && rc != 0; n++) {
            FILE *f = tmpfile();
            assert_non_null(f);
            mem_fail_after(n);
            rc = fns[k](&fx->r, &fx->opt, f);
            mem_fail_after(0);
            fclose(f);
            assert_true(rc == 0 || rc == -1);
        }
        assert_int_equal(rc, 0);
    }
}

int main(void)
{
    /* cJSON allocates through util/mem.c, as in the stackcheck binary. */
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_format),
        cmocka_unit_test_setup_teardown(test_count_failing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_exact_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sarif, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sarif_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failure, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
