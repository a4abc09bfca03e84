/* Unit tests for the config file reader (every key, good and bad values)
 * and for suppressions from the config and from source comments. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "util/mem.h"

static Config *parse_ok(const char *text)
{
    Config *c = NULL;
    char err[256];
    int rc = config_parse(text, strlen(text), "stackcheck.json", &c, err, sizeof err);
    if (rc != 0)
        fail_msg("config refused: %s", err);
    return c;
}

static void parse_bad(const char *text, const char *reason_part)
{
    Config *c = NULL;
    char err[256];
    assert_int_equal(config_parse(text, strlen(text), "x.json", &c, err, sizeof err), -1);
    assert_null(c);
    if (!strstr(err, reason_part))
        fail_msg("reason '%s' does not mention '%s'", err, reason_part);
}

static void test_complete_config(void **state)
{
    (void)state;
    Config *c = parse_ok("{\"$schema\": \"x\", \"entries\": [\"isr_*\", \"task\"],"
                         " \"budgets\": {\"default\": 4096, \"main\": 8192, \"isr_*\": 512},"
                         " \"externals\": {\"printf\": 512, \"memcpy\": 0},"
                         " \"max_depth\": {\"walk\": 32},"
                         " \"suppress\": [{\"rule\": \"recursion\", \"function\": \"walk*\"},"
                         "               {\"rule\": \"*\", \"file\": \"vendor/*\"}]}");
    assert_int_equal(c->nentries, 2);
    assert_string_equal(c->entries[0], "isr_*");
    assert_int_equal(c->nbudgets, 3);
    assert_string_equal(c->budgets[0].pattern, "main");
    assert_int_equal(c->budgets[0].value, 8192);
    assert_string_equal(c->budgets[1].pattern, "isr_*");
    assert_null(c->budgets[2].pattern); /* the default, last */
    assert_int_equal(c->budgets[2].value, 4096);
    assert_int_equal(c->nexternals, 2);
    assert_int_equal(c->externals[1].value, 0);
    assert_int_equal(c->nmax_depth, 1);
    assert_int_equal(c->max_depth[0].value, 32);
    assert_int_equal(c->nsuppress, 2);
    assert_int_equal(c->suppress[0].rule, RULE_RECURSION);
    assert_int_equal(c->suppress[1].rule, RULE_COUNT);
    assert_string_equal(c->suppress[1].file, "vendor/*");
    config_free(c);
    config_free(parse_ok("{}"));
}

static void test_indirect_and_interrupts(void **state)
{
    (void)state;
    Config *c = parse_ok("{\"indirect\": {\"file.c:120\": [\"a\", \"b\"], \"dev_ops.read\": [\"x\"]},"
                         " \"interrupts\": [\"isr_*\"], \"stack_size\": 8192,"
                         " \"interrupt_nesting\": 2, \"exception_frame\": 32}");
    assert_int_equal(c->nindirect, 2);
    assert_string_equal(c->indirect[0].site, "file.c:120");
    assert_int_equal(c->indirect[0].ntargets, 2);
    assert_string_equal(c->indirect[0].targets[1], "b");
    assert_string_equal(c->indirect[1].site, "dev_ops.read");
    assert_string_equal(c->indirect[1].targets[0], "x");
    assert_int_equal(c->ninterrupts, 1);
    assert_string_equal(c->interrupts[0], "isr_*");
    assert_int_equal(c->stack_size, 8192);
    assert_int_equal(c->interrupt_nesting, 2);
    assert_int_equal(c->exception_frame, 32);
    config_free(c);
    c = parse_ok("{}");
    assert_int_equal(c->interrupt_nesting, 1); /* one interrupt at a time by default */
    assert_int_equal(c->stack_size, 0);
    config_free(c);
    parse_bad("{\"indirect\": []}", "'indirect'");
    parse_bad("{\"indirect\": {\"nosite\": [\"a\"]}}", "neither FILE:LINE nor struct.member");
    parse_bad("{\"indirect\": {\"a.c:3\": \"f\"}}", "'indirect.a.c:3'");
    parse_bad("{\"indirect\": {\"a.c:3\": [1]}}", "'indirect.a.c:3[0]'");
    parse_bad("{\"interrupts\": [\"\"]}", "'interrupts[0]'");
    parse_bad("{\"stack_size\": -1}", "'stack_size'");
    parse_bad("{\"interrupt_nesting\": 1.5}", "'interrupt_nesting'");
    parse_bad("{\"exception_frame\": \"32\"}", "'exception_frame'");
}

static void test_estimate_for(void **state)
{
    (void)state;
    const char *names[] = {"any", "gcc", "clang"};
    const EstimateModel models[] = {ESTIMATE_ANY, ESTIMATE_GCC, ESTIMATE_CLANG};
    for (size_t i = 0; i < 3; i++) {
        char text[64];
        snprintf(text, sizeof text, "{\"estimate_for\": \"%s\"}", names[i]);
        Config *c = parse_ok(text);
        assert_true(c->has_estimate_for);
        assert_int_equal(c->estimate_for, models[i]);
        config_free(c);
    }
    Config *c = parse_ok("{}");
    assert_false(c->has_estimate_for);
    assert_int_equal(c->estimate_for, ESTIMATE_ANY);
    config_free(c);
    parse_bad("{\"estimate_for\": \"icc\"}", "'estimate_for': expected \"any\", \"gcc\" or \"clang\"");
    parse_bad("{\"estimate_for\": \"\"}", "'estimate_for'");
    parse_bad("{\"estimate_for\": [\"gcc\"]}", "'estimate_for'");
    parse_bad("{\"estimate_for\": null}", "'estimate_for'");
}

static void test_bad_configs(void **state)
{
    (void)state;
    parse_bad("", "not valid JSON");
    parse_bad("{\"budgets\": {\"main\": 1,}", "not valid JSON");
    parse_bad("[]", "top level");
    parse_bad("{\"budget\": {}}", "'budget': unknown key");
    parse_bad("{\"entries\": \"main\"}", "'entries'");
    parse_bad("{\"entries\": [1]}", "'entries[0]'");
    parse_bad("{\"budgets\": {\"main\": -1}}", "'budgets.main'");
    parse_bad("{\"budgets\": {\"main\": \"4K\"}}", "'budgets.main'");
    parse_bad("{\"budgets\": {\"main\": 1.5}}", "'budgets.main'");
    parse_bad("{\"budgets\": []}", "'budgets'");
    parse_bad("{\"externals\": {\"printf\": -512}}", "'externals.printf'");
    parse_bad("{\"externals\": {\"printf\": true}}", "'externals.printf'");
    parse_bad("{\"max_depth\": {\"f\": -2}}", "'max_depth.f'");
    parse_bad("{\"max_depth\": 3}", "'max_depth'");
    parse_bad("{\"suppress\": {}}", "'suppress'");
    parse_bad("{\"suppress\": [{\"rule\": \"nope\", \"function\": \"f\"}]}", "unknown rule 'nope'");
    parse_bad("{\"suppress\": [{\"function\": \"f\"}]}", "missing \"rule\"");
    parse_bad("{\"suppress\": [{\"rule\": \"recursion\"}]}", "give \"function\" or \"file\"");
    parse_bad("{\"suppress\": [{\"rule\": \"recursion\", \"func\": \"f\"}]}", "'suppress[0].func'");
}

static void test_load_errors(void **state)
{
    (void)state;
    Config *c = NULL;
    char err[256];
    assert_int_equal(config_load("/nonexistent/stackcheck.json", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file"));
    assert_int_equal(config_load("/tmp", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "directory"));
    char path[] = "/tmp/sc-config-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "{\"externals\": {\"printf\": 256}}";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(config_load(path, &c, err, sizeof err), 0);
    assert_int_equal(c->externals[0].value, 256);
    config_free(c);
    unlink(path);
}

static void test_suppressions(void **state)
{
    (void)state;
    char path[] = "/tmp/sc-src-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *src = "int a;\n"
                      "// stackcheck: ignore[recursion]\n"
                      "int f(int n) { return f(n); }\n"
                      "int g(int n) { return g(n); } // stackcheck: ignore[missing-base-case, recursion]\n"
                      "int h(int n) { return h(n); }\n";
    assert_int_equal(write(fd, src, strlen(src)), (ssize_t)strlen(src));
    close(fd);

    Result *r = result_new(NULL, NULL);
    assert_non_null(r);
    SumLoc l3 = {path, 3, 5}, l4 = {path, 4, 5}, l5 = {path, 5, 5};
    result_add_finding(r, RULE_RECURSION, "f", l3, NULL, 0, "'f' is recursive");
    result_add_finding(r, RULE_MISSING_BASE_CASE, "f", l3, NULL, 0, "'f' never stops");
    result_add_finding(r, RULE_MISSING_BASE_CASE, "g", l4, NULL, 0, "'g' never stops");
    result_add_finding(r, RULE_RECURSION, "h", l5, NULL, 0, "'h' is recursive");
    result_add_finding(r, RULE_RECURSION, "walk_tree", l5, NULL, 0, "'walk_tree' is recursive");

    assert_int_equal(config_apply_suppressions(NULL, r), 2);
    assert_true(r->findings[0].suppressed);   /* comment above */
    assert_false(r->findings[1].suppressed);  /* other rule */
    assert_true(r->findings[2].suppressed);   /* comment on the line, list */
    assert_false(r->findings[3].suppressed);
    Config *c = parse_ok("{\"suppress\": [{\"rule\": \"recursion\", \"function\": \"walk_*\"}]}");
    assert_int_equal(config_apply_suppressions(c, r), 1);
    assert_true(r->findings[4].suppressed);
    assert_false(r->findings[3].suppressed);
    config_free(c);
    result_free(r);
    unlink(path);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    const char *text = "{\"entries\": [\"a\"], \"budgets\": {\"default\": 1, \"m\": 2},"
                       " \"suppress\": [{\"rule\": \"recursion\", \"file\": \"x\"}]}";
    for (unsigned long n = 1; n < 40; n++) {
        Config *c = NULL;
        char err[256];
        mem_fail_after(n);
        int rc = config_parse(text, strlen(text), "x", &c, err, sizeof err);
        mem_fail_after(0);
        if (rc == 0)
            config_free(c);
        else
            assert_non_null(strstr(err, "out of memory"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complete_config),
        cmocka_unit_test(test_indirect_and_interrupts),
        cmocka_unit_test(test_estimate_for),
        cmocka_unit_test(test_bad_configs),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_suppressions),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
