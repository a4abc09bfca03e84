/* Unit tests for the summary's JSON form: a round trip keeps every field,
 * and damaged or foreign input is refused with a reason, never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "summary/summary.h"
#include "summary/summary_json.h"
#include "sumbuild.h"
#include "util/mem.h"

/* A summary of two functions: f(int n) { if (n < 1) f(n - 1); } and a static
 * g with a local array and an indirect call. */
static TuSummary *make_summary(void)
{
    TuSummary *s = sum_new("a.c", "x86_64-linux-gnu");
    assert_non_null(s);
    Arena *a = &s->arena;
    s->nfuncs = 2;
    s->funcs = arena_alloc(a, 2 * sizeof *s->funcs);
    const char *file = arena_strdup(a, "a.c");
    const char *hdr = arena_strdup(a, "inc/h.h");

    SumFunction *f = &s->funcs[0];
    f->name = "f";
    f->usr = "c:@F@f";
    f->linkage = SUM_LINK_EXTERNAL;
    f->loc = (SumLoc){file, 3, 6};
    f->end = (SumLoc){file, 6, 1};
    f->returns_void = true;
    f->nparams = 1;
    f->params = arena_alloc(a, sizeof *f->params);
    f->params[0] = (SumParam){"n", 4, 4, SUM_CLASS_INT, false, false};
    f->nblocks = 3;
    f->blocks = arena_alloc(a, 3 * sizeof *f->blocks);
    f->nsucc = 3;
    f->succ = arena_alloc(a, 3 * sizeof *f->succ);
    f->succ[0] = 1;
    f->succ[1] = 2;
    f->succ[2] = 2;
    f->blocks[0] = (SumBlock){0, 2, SUM_EXIT_NONE};
    f->blocks[1] = (SumBlock){2, 1, SUM_EXIT_NONE};
    f->blocks[2] = (SumBlock){3, 0, SUM_EXIT_RETURN};
    f->ncalls = 1;
    f->calls = arena_alloc(a, sizeof *f->calls);
    SumCall *c = &f->calls[0];
    c->kind = SUM_CALL_DIRECT;
    c->callee_usr = "c:@F@f";
    c->callee_name = "f";
    c->loc = (SumLoc){file, 5, 9};
    c->block = 1;
    c->reachable = true;
    c->nargs = 1;
    c->args = arena_alloc(a, sizeof *c->args);
    c->args[0] = (SumArg){.size = 4, .cls = SUM_CLASS_INT, .param = 0, .offset = -1,
                          .fn_usr = "c:h.h@F@g", .fn_name = "g", .fn_internal = true, .in_place = true};
    c->guards_known = true;
    c->nguards = 2;
    c->guards = arena_alloc(a, 2 * sizeof *c->guards);
    c->guards[0] = (SumGuard){0, SUM_CMP_LT, 1, NULL};
    c->guards[1] = (SumGuard){0, SUM_CMP_GT, 0, "struct node.i"};
    /* What a recursion depth is read from (format 4). */
    c->args[0].has_value = true;
    c->args[0].value = INT64_MIN;
    c->nfacts = 2;
    c->facts = arena_alloc(a, 2 * sizeof *c->facts);
    c->facts[0] = (SumGuard){0, SUM_CMP_LE, 12, NULL};
    c->facts[1] = (SumGuard){0, SUM_CMP_NE, INT64_MAX, NULL};
    SumCounter *cnt = arena_alloc(a, sizeof *cnt);
    *cnt = (SumCounter){.field = "parse_buffer.depth", .param = 0, .limit = INT64_MAX, .inc = 3, .check = {c->loc.file, 7, 5}};
    c->counter = cnt;
    f->writes_unknown = true;
    f->nwrites = 2;
    f->writes = arena_alloc(a, 2 * sizeof *f->writes);
    f->writes[0] = "struct node.i";
    f->writes[1] = "union u.x";

    sb_sample_g(a, &s->funcs[1], hdr);
    SumCall *gc = &s->funcs[1].calls[0]; /* a pointer whose one value is g */
    gc->sole_usr = "c:h.h@F@g";
    gc->sole_name = "g";
    gc->sole_internal = true;
    s->nrefs = 2;
    s->refs = arena_alloc(a, 2 * sizeof *s->refs);
    s->refs[0] = (SumFnRef){"c:h.h@F@g", "g", true, "int (int)", NULL};
    s->refs[1] = (SumFnRef){"c:h.h@F@g", "g", true, "int (int)", "struct ops.read"};
    return s;
}

static void test_round_trip(void **state)
{
    (void)state;
    TuSummary *s = make_summary();
    char *text = sum_to_json(s, "1.2.3", "clang 19");
    assert_non_null(text);
    TuSummary *back = NULL;
    char err[256];
    assert_int_equal(sum_from_json(text, strlen(text), "1.2.3", &back, err, sizeof err), 0);
    assert_string_equal(back->path, "a.c");
    assert_string_equal(back->target, "x86_64-linux-gnu");
    assert_int_equal(back->nfuncs, 2);
    const SumFunction *f = &back->funcs[0];
    assert_string_equal(f->name, "f");
    assert_true(f->returns_void);
    assert_int_equal(f->loc.line, 3);
    assert_string_equal(f->loc.file, "a.c");
    assert_int_equal(f->nblocks, 3);
    assert_int_equal(f->blocks[0].nsucc, 2);
    assert_int_equal(f->succ[f->blocks[1].succ_begin], 2);
    assert_int_equal(f->blocks[2].exit, SUM_EXIT_RETURN);
    assert_int_equal(f->calls[0].args[0].offset, -1);
    assert_true(f->calls[0].args[0].in_place);
    assert_true(f->calls[0].guards_known);
    assert_int_equal(f->calls[0].guards[0].op, SUM_CMP_LT);
    assert_int_equal(f->calls[0].nguards, 2);
    assert_null(f->calls[0].guards[0].field);
    assert_string_equal(f->calls[0].guards[1].field, "struct node.i");
    assert_int_equal(f->calls[0].guards[1].op, SUM_CMP_GT);
    assert_true(f->calls[0].args[0].has_value);
    assert_int_equal(f->calls[0].args[0].value, INT64_MIN);
    assert_int_equal(f->calls[0].nfacts, 2);
    assert_int_equal(f->calls[0].facts[0].op, SUM_CMP_LE);
    assert_int_equal(f->calls[0].facts[1].value, INT64_MAX);
    assert_non_null(f->calls[0].counter);
    assert_string_equal(f->calls[0].counter->field, "parse_buffer.depth");
    assert_int_equal(f->calls[0].counter->limit, INT64_MAX);
    assert_int_equal(f->calls[0].counter->inc, 3);
    assert_int_equal(f->calls[0].counter->check.line, 7);
    assert_null(back->funcs[1].calls[0].counter);
    assert_true(f->writes_unknown);
    assert_int_equal(f->nwrites, 2);
    assert_string_equal(f->writes[0], "struct node.i");
    assert_string_equal(f->writes[1], "union u.x");
    const SumFunction *g = &back->funcs[1];
    assert_false(g->writes_unknown);
    assert_int_equal(g->nwrites, 0);
    assert_int_equal(g->linkage, SUM_LINK_INTERNAL);
    assert_string_equal(g->loc.file, "inc/h.h");
    assert_true(g->has_alloca);
    assert_int_equal(g->max_depth, 64);
    assert_int_equal(g->locals[0].size, 4096);
    assert_int_equal(g->calls[0].kind, SUM_CALL_INDIRECT);
    assert_string_equal(g->calls[0].field, "struct ops.read");
    assert_false(g->calls[0].guards_known);
    assert_int_equal(g->calls[0].via_param, 1);
    assert_string_equal(g->calls[0].targets, "a,b");
    assert_string_equal(g->calls[0].sole_usr, "c:h.h@F@g");
    assert_string_equal(g->calls[0].sole_name, "g");
    assert_true(g->calls[0].sole_internal);
    assert_null(f->calls[0].sole_usr);
    assert_null(f->calls[0].sole_name);
    assert_false(f->calls[0].sole_internal);
    assert_string_equal(f->calls[0].args[0].fn_usr, "c:h.h@F@g");
    assert_true(f->calls[0].args[0].fn_internal);
    assert_int_equal(back->nrefs, 2);
    assert_null(back->refs[0].field);
    assert_string_equal(back->refs[1].field, "struct ops.read");
    assert_string_equal(back->refs[1].fn_type, "int (int)");
    /* Writing the read-back summary gives the same text. */
    char *again = sum_to_json(back, "1.2.3", "clang 19");
    assert_string_equal(text, again);
    mem_free(again);
    mem_free(text);
    sum_free(back);
    sum_free(s);
}

static void expect_refused(const char *text, const char *version, const char *reason_part)
{
    TuSummary *out = NULL;
    char err[256];
    assert_int_equal(sum_from_json(text, strlen(text), version, &out, err, sizeof err), -1);
    assert_null(out);
    if (!strstr(err, reason_part))
        fail_msg("reason '%s' does not mention '%s'", err, reason_part);
}

/* The summary's text with its one occurrence of `from` replaced by `to`,
 * refused with a reason that mentions `reason_part`. */
static void expect_variant_refused(const char *text, const char *from, const char *to,
                                   const char *reason_part)
{
    const char *at = strstr(text, from);
    if (!at)
        fail_msg("'%s' is not in the summary", from);
    size_t pre = (size_t)(at - text), fl = strlen(from), tl = strlen(to);
    char *v = mem_alloc(strlen(text) - fl + tl + 1);
    assert_non_null(v);
    memcpy(v, text, pre);
    memcpy(v + pre, to, tl);
    strcpy(v + pre + tl, at + fl);
    expect_refused(v, "1", reason_part);
    mem_free(v);
}

static void test_refuses_bad_input(void **state)
{
    (void)state;
    char buf[256];
    expect_refused("", "1", "not valid JSON");
    expect_refused("[1,2", "1", "not valid JSON");
    expect_refused("{\"format\":\"other\"}", "1", "not a stackcheck summary");
    expect_refused("{\"format\":\"stackcheck-summary\",\"version\":99}", "1", "format version 99");
    snprintf(buf, sizeof buf,
             "{\"format\":\"stackcheck-summary\",\"version\":%d,\"stackcheck\":\"0.0.1\","
             "\"libclang\":\"x\"}",
             SUM_FORMAT_VERSION);
    expect_refused(buf, "1.2.3", "written by stackcheck 0.0.1");
    expect_refused("{\"format\":\"stackcheck-summary\",\"version\":1}", "1", "format version 1");
    /* A summary of the format before sole targets (a cache entry or a
     * distributed build's summary from an older stackcheck). */
    snprintf(buf, sizeof buf, "format version 2, this stackcheck reads %d", SUM_FORMAT_VERSION);
    expect_refused("{\"format\":\"stackcheck-summary\",\"version\":2}", "1", buf);
    assert_int_equal(SUM_FORMAT_VERSION, 4);

    /* Sole targets: [usr, name, internal], on indirect calls only. */
    TuSummary *s = make_summary();
    char *text = sum_to_json(s, "1", "c");
    assert_non_null(text);
    const char *sole = "\"sole\":[\"c:h.h@F@g\",\"g\",true]";
    assert_non_null(strstr(text, sole));
    expect_variant_refused(text, sole, "\"sole\":[\"c:h.h@F@g\",\"g\",1]", ".sole' is not a boolean");
    expect_variant_refused(text, sole, "\"sole\":[\"c:h.h@F@g\",null,true]", ".sole' is not");
    expect_variant_refused(text, sole, "\"sole\":[null,\"g\",true]", ".sole' is not");
    expect_variant_refused(text, sole, "\"sole\":[\"c:h.h@F@g\",\"g\"]", ".sole' is not [usr, name, internal]");
    expect_variant_refused(text, sole, "\"sole\":\"g\"", "functions[1].calls[0].sole' is not");
    expect_variant_refused(text, "\"kind\":\"direct\"",
                           "\"kind\":\"direct\",\"sole\":[\"c:@F@f\",\"f\",false]",
                           "functions[0].calls[0].sole' is a sole target of a direct call");
    /* Member guards carry their key as a fourth item; written keys are strings. */
    const char *mg = "[0,2,0,\"struct node.i\"]";
    assert_non_null(strstr(text, mg));
    expect_variant_refused(text, mg, "[0,2,0,7]", "guards[1]' is not a string");
    expect_variant_refused(text, mg, "[0,2,0,null]", "guards[1]' is not a string");
    expect_variant_refused(text, mg, "[0,2,0,\"k\",1]", "guards[1]' is not a valid guard");
    const char *wr = "\"writes\":[\"struct node.i\",\"union u.x\"]";
    assert_non_null(strstr(text, wr));
    expect_variant_refused(text, wr, "\"writes\":[\"struct node.i\",3]", "writes[1]' is not a string");
    expect_variant_refused(text, wr, "\"writes\":\"k\"", "writes' is not an array");
    expect_variant_refused(text, "\"writes_unknown\"", "\"writes_unknowns\"", "unknown flag 'writes_unknowns'");
    mem_free(text);
    sum_free(s);
}

/* Damaging any one number of a valid summary is either harmless or
 * refused; it never crashes (ASan checks the reads). */
static void test_damaged_numbers(void **state)
{
    (void)state;
    TuSummary *s = make_summary();
    char *text = sum_to_json(s, "1", "c");
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            continue;
        char saved = text[i];
        const char *repl[] = {"9", "-"};
        for (size_t k = 0; k < 2; k++) {
            text[i] = repl[k][0];
            TuSummary *out = NULL;
            char err[256];
            if (sum_from_json(text, len, "1", &out, err, sizeof err) == 0) {
                /* Accepted: every index must still be in range. */
                for (uint32_t fi = 0; fi < out->nfuncs; fi++) {
                    const SumFunction *f = &out->funcs[fi];
                    for (uint32_t b = 0; b < f->nblocks; b++)
                        for (uint32_t e = 0; e < f->blocks[b].nsucc; e++)
                            assert_true(f->succ[f->blocks[b].succ_begin + e] < f->nblocks);
                    for (uint32_t ci = 0; ci < f->ncalls; ci++)
                        assert_true(f->calls[ci].block < f->nblocks);
                }
                sum_free(out);
            }
        }
        text[i] = saved;
    }
    mem_free(text);
    sum_free(s);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    TuSummary *s = make_summary();
    char *text = sum_to_json(s, "1", "c");
    assert_non_null(text);
    /* Fail each allocation in turn: the reader reports out of memory or
     * succeeds, and leaks nothing (the ASan build checks). */
    for (unsigned long n = 1; n < 200; n++) {
        TuSummary *out = NULL;
        char err[256];
        mem_fail_after(n);
        int rc = sum_from_json(text, strlen(text), "1", &out, err, sizeof err);
        mem_fail_after(0);
        if (rc == 0)
            sum_free(out);
        else
            assert_non_null(strstr(err, "out of memory"));
    }
    for (unsigned long n = 1; n < 10; n++) {
        mem_fail_after(n);
        char *t = sum_to_json(s, "1", "c");
        mem_fail_after(0);
        mem_free(t);
    }
    mem_free(text);
    sum_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_refuses_bad_input),
        cmocka_unit_test(test_damaged_numbers),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
