/* Unit tests for the summary's binary form: a round trip keeps every field
 * (checked through the JSON writer), the header is checked field by field,
 * and truncated, damaged or hostile input is refused with a reason, never a
 * crash or an allocation out of proportion to the input.
 * `test_summary_bin --write-seeds DIR` writes the fuzzer's seed corpus
 * (tests/fuzz/corpus/summary_bin) with the stackcheck version "fuzz". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "summary/summary.h"
#include "summary/summary_bin.h"
#include "summary/summary_json.h"
#include "sumbuild.h"
#include "util/fileio.h"
#include "util/mem.h"

#define MAX53 UINT64_C(9007199254740991)

/* A summary that uses every field: three functions, NULL next to "" strings,
 * int64 extremes, guards (and known-but-empty guards), targets, refs with
 * and without a field, and deps. */
static TuSummary *make_summary(void)
{
    TuSummary *s = sum_new("src/a.c", "x86_64-linux-gnu");
    assert_non_null(s);
    Arena *a = &s->arena;
    const char *file = arena_strdup(a, "src/a.c");
    const char *hdr = arena_strdup(a, "inc/h.h");
    s->nfuncs = 3;
    s->funcs = arena_alloc(a, 3 * sizeof *s->funcs);

    SumFunction *f = &s->funcs[0];
    f->name = "f";
    f->usr = "c:@F@f";
    f->linkage = SUM_LINK_EXTERNAL;
    f->loc = (SumLoc){file, 3, 6};
    f->end = (SumLoc){file, UINT32_MAX, UINT32_MAX};
    f->returns_void = true;
    f->is_variadic = true;
    f->address_taken = true;
    f->max_depth = MAX53;
    f->writes_unknown = true;
    f->nwrites = 2;
    f->writes = arena_alloc(a, 2 * sizeof *f->writes);
    f->writes[0] = "struct node.i";
    f->writes[1] = "";
    f->nparams = 3;
    f->params = arena_alloc(a, 3 * sizeof *f->params);
    f->params[0] = (SumParam){"n", 4, 4, SUM_CLASS_INT, false, false};
    f->params[1] = (SumParam){"", 8, 8, SUM_CLASS_POINTER, false, true};
    f->params[2] = (SumParam){"u", MAX53, 1, SUM_CLASS_OTHER, true, false};
    f->nlocals = 2;
    f->locals = arena_alloc(a, 2 * sizeof *f->locals);
    f->locals[0] = (SumLocal){"v", 0, 16, true, {NULL, 0, 0}};
    f->locals[1] = (SumLocal){"big", MAX53, MAX53, false, {hdr, 7, 1}};
    f->nblocks = 4;
    f->blocks = arena_alloc(a, 4 * sizeof *f->blocks);
    f->nsucc = 4;
    f->succ = arena_alloc(a, 4 * sizeof *f->succ);
    f->succ[0] = 1;
    f->succ[1] = 2;
    f->succ[2] = 3;
    f->succ[3] = 3;
    f->blocks[0] = (SumBlock){0, 2, SUM_EXIT_NONE};
    f->blocks[1] = (SumBlock){2, 1, SUM_EXIT_NONE};
    f->blocks[2] = (SumBlock){3, 0, SUM_EXIT_NORETURN};
    f->blocks[3] = (SumBlock){3, 1, SUM_EXIT_RETURN};
    f->ncalls = 4;
    f->calls = arena_alloc(a, 4 * sizeof *f->calls);
    SumCall *c = &f->calls[0];
    c->kind = SUM_CALL_DIRECT;
    c->callee_usr = "c:@F@f";
    c->callee_name = "f";
    c->loc = (SumLoc){file, 5, 9};
    c->block = 1;
    c->reachable = true;
    c->nargs = 4;
    c->args = arena_alloc(a, 4 * sizeof *c->args);
    c->args[0] = (SumArg){.size = 4, .cls = SUM_CLASS_INT, .param = 0, .offset = -1,
                          .fn_usr = "c:h.h@F@g", .fn_name = "g", .fn_internal = true};
    c->args[1] = (SumArg){.size = 8, .cls = SUM_CLASS_POINTER, .param = -1, .offset = INT64_MIN,
                          .fn_usr = "c:@F@f", .fn_name = "f", .fn_internal = false};
    c->args[2] = (SumArg){.size = MAX53, .cls = SUM_CLASS_AGGREGATE, .param = 2, .offset = INT64_MAX,
                          .in_place = true};
    c->args[3] = (SumArg){.size = 0, .cls = SUM_CLASS_FLOAT, .param = -1, .offset = 0};
    c->guards_known = true;
    c->nguards = 6;
    c->guards = arena_alloc(a, 6 * sizeof *c->guards);
    c->guards[0] = (SumGuard){0, SUM_CMP_LT, 1, NULL};
    c->guards[1] = (SumGuard){2, SUM_CMP_LE, INT64_MIN, NULL};
    c->guards[2] = (SumGuard){2, SUM_CMP_GT, INT64_MAX, ""};
    c->guards[3] = (SumGuard){0, SUM_CMP_GE, -9007199254740993LL, NULL};
    c->guards[4] = (SumGuard){1, SUM_CMP_EQ, 0, "struct node.i"};
    c->guards[5] = (SumGuard){0, SUM_CMP_NE, -1, NULL};
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
    c = &f->calls[1];
    c->kind = SUM_CALL_DIRECT;
    c->callee_usr = "c:@F@exit";
    c->callee_name = "exit";
    c->callee_internal = true;
    c->callee_noreturn = true;
    c->loc = (SumLoc){hdr, 9, 3};
    c->block = 2;
    c->reachable = false;
    c->guards_known = true; /* known, and none needed */
    c = &f->calls[2];
    c->kind = SUM_CALL_INDIRECT;
    c->callee_name = ""; /* "" and NULL stay apart */
    c->fn_type = "void (void)";
    c->loc = (SumLoc){NULL, 0, 0};
    c->block = 3;
    c->reachable = true;
    c->via_param = 2;
    c->targets = "";
    c->sole_usr = "c:a.c@F@f"; /* a local pointer whose one value is a static */
    c->sole_name = "f";
    c->sole_internal = true;
    c = &f->calls[3];
    c->kind = SUM_CALL_INDIRECT;
    c->callee_usr = "c:@F@odd"; /* kept for an indirect call too */
    c->callee_name = NULL;
    c->fn_type = NULL;
    c->field = "";
    c->loc = (SumLoc){file, 1, 1};
    c->block = 0;
    c->reachable = true;
    c->via_param = 3;
    c->sole_usr = "c:@F@odd";
    c->sole_name = "";

    SumFunction *g = &s->funcs[1];
    sb_sample_g(a, g, hdr);
    g->is_noreturn = true;
    g->is_interrupt = true;

    /* An empty function: no params, locals, blocks or calls. */
    SumFunction *e = &s->funcs[2];
    e->name = "";
    e->usr = "";
    e->ret_size = MAX53;
    e->ret_cls = SUM_CLASS_OTHER;

    s->nrefs = 3;
    s->refs = arena_alloc(a, 3 * sizeof *s->refs);
    s->refs[0] = (SumFnRef){"c:h.h@F@g", "g", true, "int (int)", NULL};
    s->refs[1] = (SumFnRef){"c:h.h@F@g", "g", true, "int (int)", "struct ops.read"};
    s->refs[2] = (SumFnRef){"c:@F@f", NULL, false, NULL, ""};
    s->ndeps = 2;
    s->deps = arena_alloc(a, 2 * sizeof *s->deps);
    s->deps[0] = file;
    s->deps[1] = "/usr/include/stdio.h";
    return s;
}

/* Checks what any accepted summary must satisfy, as the fuzz target does,
 * and that its JSON form reads back: the binary reader accepts nothing the
 * JSON reader would refuse. */
static void check_invariants(const TuSummary *s, const char *version)
{
    for (uint32_t i = 0; i < s->nfuncs; i++) {
        const SumFunction *f = &s->funcs[i];
        assert_non_null(f->name);
        assert_non_null(f->usr);
        uint32_t total = 0;
        for (uint32_t b = 0; b < f->nblocks; b++) {
            assert_int_equal(f->blocks[b].succ_begin, total);
            assert_true(f->blocks[b].exit <= SUM_EXIT_NORETURN);
            total += f->blocks[b].nsucc;
            for (uint32_t e = 0; e < f->blocks[b].nsucc; e++)
                assert_true(f->succ[f->blocks[b].succ_begin + e] < f->nblocks);
        }
        assert_int_equal(total, f->nsucc);
        for (uint32_t c = 0; c < f->ncalls; c++) {
            const SumCall *call = &f->calls[c];
            assert_true(call->block < f->nblocks);
            assert_true(call->via_param <= f->nparams);
            if (call->kind == SUM_CALL_DIRECT)
                assert_true(call->callee_usr && call->callee_name);
            for (uint32_t k = 0; k < call->nargs; k++) {
                assert_true(call->args[k].param >= -1 && call->args[k].param < (int32_t)f->nparams);
                assert_true(call->args[k].cls <= SUM_CLASS_OTHER);
            }
            for (uint32_t k = 0; k < call->nguards; k++) {
                assert_true(call->guards[k].param < f->nparams);
                assert_true(call->guards[k].op <= SUM_CMP_NE);
            }
        }
    }
    for (uint32_t i = 0; i < s->ndeps; i++)
        assert_non_null(s->deps[i]);
    char *json = sum_to_json(s, version, s->clang_version);
    assert_non_null(json);
    TuSummary *back = NULL;
    char err[256];
    if (sum_from_json(json, strlen(json), version, &back, err, sizeof err) != 0)
        fail_msg("accepted in binary, refused as JSON: %s", err);
    sum_free(back);
    mem_free(json);
}

static void test_round_trip(void **state)
{
    (void)state;
    TuSummary *s = make_summary();
    size_t len = 0;
    char *bin = sum_to_bin(s, "1.2.3", "clang 19", &len);
    assert_non_null(bin);
    assert_true(sum_is_bin(bin, len));
    TuSummary *back = NULL;
    char err[256];
    if (sum_from_bin(bin, len, "1.2.3", &back, err, sizeof err) != 0)
        fail_msg("refused: %s", err);
    assert_string_equal(back->clang_version, "clang 19");
    /* Every field, through the JSON writer. */
    char *want = sum_to_json(s, "1.2.3", "clang 19");
    char *have = sum_to_json(back, "1.2.3", back->clang_version);
    assert_string_equal(want, have);
    /* What JSON leaves out or cannot tell apart. */
    assert_int_equal(back->ndeps, 2);
    assert_string_equal(back->deps[0], "src/a.c");
    assert_string_equal(back->deps[1], "/usr/include/stdio.h");
    const SumFunction *f = &back->funcs[0];
    assert_null(f->calls[3].callee_name);
    assert_string_equal(f->calls[2].callee_name, "");
    assert_string_equal(f->calls[2].targets, "");
    assert_null(f->calls[3].targets);
    assert_string_equal(f->calls[3].field, "");
    assert_null(f->locals[0].loc.file);
    assert_true(f->calls[1].guards_known);
    assert_int_equal(f->calls[1].nguards, 0);
    assert_false(back->funcs[1].calls[0].guards_known);
    assert_int_equal(f->calls[0].args[1].offset, INT64_MIN);
    assert_int_equal(f->calls[0].args[2].offset, INT64_MAX);
    assert_true(f->calls[0].args[2].in_place);
    assert_false(f->calls[0].args[1].in_place);
    assert_int_equal(f->calls[0].guards[1].value, INT64_MIN);
    assert_int_equal(f->calls[0].guards[2].value, INT64_MAX);
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
    /* Member guards and written keys ("" and NULL stay apart). */
    assert_string_equal(f->calls[0].guards[4].field, "struct node.i");
    assert_string_equal(f->calls[0].guards[2].field, "");
    assert_null(f->calls[0].guards[0].field);
    assert_true(f->writes_unknown);
    assert_false(back->funcs[1].writes_unknown);
    assert_int_equal(f->nwrites, 2);
    assert_string_equal(f->writes[0], "struct node.i");
    assert_string_equal(f->writes[1], "");
    assert_int_equal(back->funcs[1].nwrites, 0);
    assert_string_equal(f->calls[2].sole_usr, "c:a.c@F@f");
    assert_string_equal(f->calls[2].sole_name, "f");
    assert_true(f->calls[2].sole_internal);
    assert_string_equal(f->calls[3].sole_usr, "c:@F@odd");
    assert_string_equal(f->calls[3].sole_name, "");
    assert_false(f->calls[3].sole_internal);
    assert_null(f->calls[0].sole_usr);
    assert_null(back->funcs[1].calls[0].sole_name);
    assert_int_equal(f->end.line, UINT32_MAX);
    assert_null(back->refs[2].name);
    assert_string_equal(back->refs[2].field, "");
    /* One string, one copy: both locations share the table's pointer. */
    assert_ptr_equal(f->loc.file, f->end.file);
    check_invariants(back, "1.2.3");
    /* Writing the read-back summary gives the same bytes. */
    size_t len2 = 0;
    char *again = sum_to_bin(back, "1.2.3", "clang 19", &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(bin, again, len);
    mem_free(again);
    mem_free(want);
    mem_free(have);
    mem_free(bin);
    sum_free(back);
    sum_free(s);

    /* An empty summary reads back too. */
    s = sum_new(NULL, NULL);
    bin = sum_to_bin(s, NULL, NULL, &len);
    assert_non_null(bin);
    assert_int_equal(sum_from_bin(bin, len, "", &back, err, sizeof err), 0);
    assert_string_equal(back->path, "");
    assert_string_equal(back->clang_version, "");
    assert_int_equal(back->nfuncs, 0);
    sum_free(back);
    mem_free(bin);
    sum_free(s);
}

static void expect_refused(const void *data, size_t len, const char *version, const char *reason)
{
    TuSummary *out = NULL;
    char err[256];
    assert_int_equal(sum_from_bin(data, len, version, &out, err, sizeof err), -1);
    assert_null(out);
    if (strncmp(err, "binary summary: ", 16) != 0 || strchr(err, '\n'))
        fail_msg("reason '%s' is not one 'binary summary: ' line", err);
    if (!strstr(err, reason))
        fail_msg("reason '%s' does not mention '%s'", err, reason);
}

static void test_header(void **state)
{
    (void)state;
    TuSummary *s = make_summary();
    size_t len = 0;
    char *bin = sum_to_bin(s, "1.2.3", "clang 19", &len);
    assert_non_null(bin);
    const char *json = "{\"format\":\"stackcheck-summary\"}";
    assert_false(sum_is_bin(json, strlen(json)));
    assert_false(sum_is_bin(bin, SUM_BIN_MAGIC_LEN - 1));
    expect_refused(json, strlen(json), "1.2.3", "not a stackcheck binary summary");
    expect_refused("", 0, "1.2.3", "not a stackcheck binary summary");
    expect_refused(bin, 7, "1.2.3", "not a stackcheck binary summary");
    bin[3] ^= 0x20;
    expect_refused(bin, len, "1.2.3", "not a stackcheck binary summary");
    bin[3] ^= 0x20;
    /* The versions follow the magic, one byte each here. */
    assert_int_equal((unsigned char)bin[8], SUM_FORMAT_VERSION);
    assert_int_equal((unsigned char)bin[9], SUM_BIN_VERSION);
    bin[8] = 99;
    expect_refused(bin, len, "1.2.3", "format version 99, this stackcheck reads 4");
    bin[8] = 3; /* before depth counters: an old cache entry is a miss */
    expect_refused(bin, len, "1.2.3", "format version 3, this stackcheck reads 4");
    bin[8] = SUM_FORMAT_VERSION;
    bin[9] = 7;
    expect_refused(bin, len, "1.2.3", "layout version 7, this stackcheck reads 3");
    bin[9] = SUM_BIN_VERSION;
    expect_refused(bin, len, "1.2.4", "written by stackcheck 1.2.3, this is 1.2.4");
    expect_refused(bin, len, "1.2", "written by stackcheck 1.2.3, this is 1.2");
    /* No version to check against: any writer is accepted. */
    TuSummary *out = NULL;
    char err[256];
    assert_int_equal(sum_from_bin(bin, len, NULL, &out, err, sizeof err), 0);
    sum_free(out);
    /* Trailing bytes are refused. */
    char *longer = mem_alloc(len + 1);
    memcpy(longer, bin, len);
    longer[len] = 0;
    expect_refused(longer, len + 1, "1.2.3", "1 trailing bytes");
    mem_free(longer);
    mem_free(bin);
    sum_free(s);
}

/* Every proper prefix of a valid encoding is refused cleanly. */
static void test_truncation(void **state)
{
    (void)state;
    TuSummary *s = make_summary();
    size_t len = 0;
    char *bin = sum_to_bin(s, "1", "c", &len);
    assert_non_null(bin);
    for (size_t cut = 0; cut < len; cut++) {
        /* A private copy of exactly `cut` bytes: ASan sees any overread. */
        char *part = mem_alloc(cut ? cut : 1);
        memcpy(part, bin, cut);
        TuSummary *out = NULL;
        char err[256];
        err[0] = '\0';
        assert_int_equal(sum_from_bin(part, cut, "1", &out, err, sizeof err), -1);
        assert_null(out);
        assert_true(strncmp(err, "binary summary: ", 16) == 0);
        mem_free(part);
    }
    expect_refused(bin, 20, "1", "truncated at byte"); /* inside the string table */
    expect_refused(bin, len - 1, "1", "binary summary: "); /* the last dep */
    mem_free(bin);
    sum_free(s);
}

/* Any byte replaced by a few others: refused, or accepted with every
 * invariant intact (ASan checks the reads). */
static void test_damaged_bytes(void **state)
{
    (void)state;
    TuSummary *s = make_summary();
    size_t len = 0;
    char *bin = sum_to_bin(s, "1", "c", &len);
    assert_non_null(bin);
    size_t accepted = 0, refused = 0;
    for (size_t i = SUM_BIN_MAGIC_LEN; i < len; i++) {
        unsigned char saved = (unsigned char)bin[i];
        const unsigned char repl[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, (unsigned char)(saved ^ 1),
                                      (unsigned char)(saved + 1), (unsigned char)(saved - 1)};
        for (size_t k = 0; k < sizeof repl; k++) {
            if (repl[k] == saved)
                continue;
            bin[i] = (char)repl[k];
            TuSummary *out = NULL;
            char err[256];
            if (sum_from_bin(bin, len, "1", &out, err, sizeof err) == 0) {
                check_invariants(out, "1");
                sum_free(out);
                accepted++;
            } else {
                assert_true(strncmp(err, "binary summary: ", 16) == 0);
                refused++;
            }
        }
        bin[i] = (char)saved;
    }
    assert_true(refused > 0 && accepted > 0);
    mem_free(bin);
    sum_free(s);
}

/* ---- hand-made encodings: one value at a time made out of range ---- */

/* A minimal valid encoding, as the varints that follow the magic and the
 * stackcheck version. Each position is named so that a test can replace
 * one value. Strings: 1 "a.c", 2 "f". */
enum {
    V_FORMAT, V_LAYOUT, V_CLANG_LEN,
    V_NSTR, V_STR_BYTES, V_S0, V_S1, V_S2, V_S3, V_S4, V_S5,
    V_PATH, V_TARGET, V_NFUNCS,
    V_F_NAME, V_F_USR, V_F_FLAGS, V_F_LOC_FILE, V_F_LOC_LINE, V_F_LOC_COL,
    V_F_END_FILE, V_F_END_LINE, V_F_END_COL, V_F_MAX_DEPTH, V_F_RET_SIZE, V_F_RET_CLS,
    V_NPARAMS, V_P_NAME, V_P_SIZE, V_P_ALIGN, V_P_BITS,
    V_NLOCALS, V_L_NAME, V_L_SIZE, V_L_ALIGN, V_L_VLA, V_L_FILE, V_L_LINE, V_L_COL,
    V_NBLOCKS, V_NSUCC, V_B0, V_B0_SUCC, V_B1,
    V_NCALLS, V_C_FLAGS, V_C_USR, V_C_NAME, V_C_TYPE, V_C_FIELD, V_C_TARGETS,
    V_C_FILE, V_C_LINE, V_C_COL, V_C_BLOCK, V_C_VIA, V_NARGS,
    V_A_SIZE, V_A_BITS, V_A_PARAM, V_A_OFFSET, V_A_FN_USR, V_A_FN_NAME,
    V_NGUARDS, V_G_PARAM, V_G_OP, V_G_VALUE, V_G_FIELD,
    V_NWRITES, V_W_KEY,
    V_NREFS, V_R_USR, V_R_NAME, V_R_INTERNAL, V_R_TYPE, V_R_FIELD,
    V_NDEPS, V_DEP,
    V_COUNT
};

static const uint64_t minimal[V_COUNT] = {
    [V_FORMAT] = SUM_FORMAT_VERSION, [V_LAYOUT] = SUM_BIN_VERSION, [V_CLANG_LEN] = 0,
    [V_NSTR] = 2, [V_STR_BYTES] = 6, [V_S0] = 'a', [V_S1] = '.', [V_S2] = 'c', [V_S3] = 0,
    [V_S4] = 'f', [V_S5] = 0,
    [V_PATH] = 1, [V_TARGET] = 1, [V_NFUNCS] = 1,
    [V_F_NAME] = 2, [V_F_USR] = 2, [V_F_FLAGS] = 0, [V_F_LOC_FILE] = 1, [V_F_LOC_LINE] = 1,
    [V_F_LOC_COL] = 1, [V_F_END_FILE] = 1, [V_F_END_LINE] = 2, [V_F_END_COL] = 1,
    [V_F_MAX_DEPTH] = 0, [V_F_RET_SIZE] = 0, [V_F_RET_CLS] = 0,
    [V_NPARAMS] = 1, [V_P_NAME] = 2, [V_P_SIZE] = 4, [V_P_ALIGN] = 4, [V_P_BITS] = 0,
    [V_NLOCALS] = 1, [V_L_NAME] = 2, [V_L_SIZE] = 8, [V_L_ALIGN] = 8, [V_L_VLA] = 0,
    [V_L_FILE] = 1, [V_L_LINE] = 1, [V_L_COL] = 1,
    [V_NBLOCKS] = 2, [V_NSUCC] = 1, [V_B0] = (1 << 2) | SUM_EXIT_NONE, [V_B0_SUCC] = 1,
    [V_B1] = SUM_EXIT_RETURN,
    [V_NCALLS] = 1, [V_C_FLAGS] = 8 | 16 /* reachable, guards known */, [V_C_USR] = 2,
    [V_C_NAME] = 2, [V_C_TYPE] = 0, [V_C_FIELD] = 0, [V_C_TARGETS] = 0, [V_C_FILE] = 1,
    [V_C_LINE] = 1, [V_C_COL] = 1, [V_C_BLOCK] = 1, [V_C_VIA] = 0, [V_NARGS] = 1,
    [V_A_SIZE] = 4, [V_A_BITS] = 8 /* a function designator */, [V_A_PARAM] = 1 /* param 0 */,
    [V_A_OFFSET] = 1 /* zigzag: -1 */, [V_A_FN_USR] = 2, [V_A_FN_NAME] = 2,
    [V_NGUARDS] = 1, [V_G_PARAM] = 0, [V_G_OP] = SUM_CMP_LT, [V_G_VALUE] = 2 /* zigzag: 1 */,
    [V_G_FIELD] = 0, [V_NWRITES] = 1, [V_W_KEY] = 2,
    [V_NREFS] = 1, [V_R_USR] = 2, [V_R_NAME] = 2, [V_R_INTERNAL] = 0, [V_R_TYPE] = 0,
    [V_R_FIELD] = 0,
    [V_NDEPS] = 1, [V_DEP] = 1,
};

/* Encodes `vals` into buf with the stackcheck version `tool`, leaving out
 * positions [skip_lo, skip_hi) (skip_lo == skip_hi: none); returns the
 * length. The string table's bytes are raw bytes, not varints. */
static size_t encode_vals(unsigned char *buf, const uint64_t *vals, const char *tool, int skip_lo,
                          int skip_hi)
{
    size_t n = 0;
    memcpy(buf, SUM_BIN_MAGIC, SUM_BIN_MAGIC_LEN);
    n = SUM_BIN_MAGIC_LEN;
    for (int i = 0; i < V_COUNT; i++) {
        uint64_t v = vals[i];
        if (i >= skip_lo && i < skip_hi)
            continue;
        if (i == V_CLANG_LEN) { /* the tool's version comes before it */
            buf[n++] = (unsigned char)strlen(tool);
            memcpy(buf + n, tool, strlen(tool));
            n += strlen(tool);
        }
        if (i >= V_S0 && i <= V_S5) {
            buf[n++] = (unsigned char)v;
            continue;
        }
        while (v >= 0x80) {
            buf[n++] = (unsigned char)(v | 0x80);
            v >>= 7;
        }
        buf[n++] = (unsigned char)v;
    }
    return n;
}

/* `minimal` with value `which` replaced (V_COUNT: none), version "t". */
static size_t encode(unsigned char *buf, int which, uint64_t value)
{
    uint64_t vals[V_COUNT];
    memcpy(vals, minimal, sizeof vals);
    if (which < V_COUNT)
        vals[which] = value;
    return encode_vals(buf, vals, "t", 0, 0);
}

/* `minimal` with call flags `flags` and the sole target's string
 * references `usr` and `name` after the call's targets (one byte each). */
static size_t encode_sole(unsigned char *buf, uint64_t flags, unsigned char usr, unsigned char name)
{
    uint64_t vals[V_COUNT];
    memcpy(vals, minimal, sizeof vals);
    vals[V_C_FLAGS] = flags;
    size_t n = encode_vals(buf, vals, "t", V_C_FILE, V_COUNT);
    buf[n++] = usr;
    buf[n++] = name;
    unsigned char rest[512];
    size_t m = encode_vals(rest, vals, "t", 0, V_C_FILE); /* the magic, then the rest */
    memcpy(buf + n, rest + SUM_BIN_MAGIC_LEN, m - SUM_BIN_MAGIC_LEN);
    return n + m - SUM_BIN_MAGIC_LEN;
}

static void refuse_value(int which, uint64_t value, const char *reason)
{
    unsigned char buf[512];
    size_t n = encode(buf, which, value);
    expect_refused(buf, n, "t", reason);
}

static void test_out_of_range(void **state)
{
    (void)state;
    unsigned char buf[512];
    size_t n = encode(buf, V_COUNT, 0);
    TuSummary *out = NULL;
    char err[256];
    if (sum_from_bin(buf, n, "t", &out, err, sizeof err) != 0)
        fail_msg("the minimal encoding is refused: %s", err);
    check_invariants(out, "t");
    assert_string_equal(out->path, "a.c");
    assert_string_equal(out->funcs[0].calls[0].args[0].fn_usr, "f");
    assert_int_equal(out->funcs[0].calls[0].args[0].offset, -1);
    assert_int_equal(out->funcs[0].calls[0].guards[0].value, 1);
    assert_int_equal(out->funcs[0].blocks[1].exit, SUM_EXIT_RETURN);
    sum_free(out);

    refuse_value(V_C_BLOCK, 2, "binary summary: function 0 call 0: block 2 out of range");
    refuse_value(V_B0_SUCC, 2, "binary summary: function 0 block 0: successor 2 out of range");
    refuse_value(V_B0, (1 << 2) | 3, "function 0 block 0: exit 3 out of range");
    refuse_value(V_B0, (2 << 2), "function 0 block 0: 2 successors exceed the function's 1");
    refuse_value(V_B1, (1 << 2) | SUM_EXIT_RETURN, "function 0 block 1: 1 successors exceed");
    refuse_value(V_NSUCC, 0, "successors exceed");
    refuse_value(V_NSUCC, 2, "function 0: blocks hold 1 successors, not 2");
    refuse_value(V_NBLOCKS, 1, "function 0 block 0: successor 1 out of range");
    refuse_value(V_A_PARAM, 2, "function 0 call 0 arg 0: param 1 out of range");
    refuse_value(V_G_PARAM, 1, "function 0 call 0 guard 0: param 1 out of range");
    refuse_value(V_G_OP, SUM_CMP_NE + 1, "guard 0: op 6 out of range");
    refuse_value(V_C_VIA, 2, "function 0 call 0: via_param 2 out of range");
    refuse_value(V_F_LOC_FILE, 3, "function 0: loc: string 3 out of range");
    refuse_value(V_C_FILE, 3, "function 0 call 0: loc: string 3 out of range");
    refuse_value(V_L_FILE, 3, "function 0 local 0: loc: string 3 out of range");
    refuse_value(V_F_LOC_LINE, UINT64_C(4294967296), "function 0: loc 4294967296 out of range");
    refuse_value(V_F_END_COL, UINT64_C(4294967296), "function 0: end 4294967296 out of range");
    refuse_value(V_F_NAME, 0, "function 0: name is missing");
    refuse_value(V_F_USR, 3, "function 0: usr: string 3 out of range");
    refuse_value(V_PATH, 0, "binary summary: path is missing");
    refuse_value(V_TARGET, 9, "binary summary: target: string 9 out of range");
    refuse_value(V_F_FLAGS, 512, "function 0: flags 512 out of range");
    refuse_value(V_G_FIELD, 3, "function 0 call 0 guard 0: field: string 3 out of range");
    refuse_value(V_W_KEY, 0, "function 0 write 0: key is missing");
    refuse_value(V_W_KEY, 3, "function 0 write 0: key: string 3 out of range");
    refuse_value(V_C_FLAGS, 512, "call 0: flags 512 out of range");
    refuse_value(V_C_FLAGS, 64 | 8 | 16, "call 0: flags 88 out of range"); /* sole internal alone */
    refuse_value(V_C_FLAGS, 32 | 8 | 16, "function 0 call 0: a sole target of a direct call");
    refuse_value(V_F_RET_CLS, SUM_CLASS_OTHER + 1, "return class 5 out of range");
    refuse_value(V_F_RET_SIZE, MAX53 + 1, "return size 9007199254740992 out of range");
    refuse_value(V_F_MAX_DEPTH, UINT64_MAX, "max_depth 18446744073709551615 out of range");
    refuse_value(V_P_BITS, 5, "function 0 param 0: bits 5 out of range");
    refuse_value(V_P_BITS, 32, "param 0: bits 32 out of range");
    refuse_value(V_P_SIZE, MAX53 + 1, "param 0: size 9007199254740992 out of range");
    refuse_value(V_P_NAME, 0, "param 0: name is missing");
    refuse_value(V_L_VLA, 2, "local 0: vla 2 out of range");
    refuse_value(V_L_ALIGN, MAX53 + 1, "local 0: align 9007199254740992 out of range");
    refuse_value(V_A_BITS, 16 | 8 | 7, "arg 0: bits 31 out of range");
    refuse_value(V_A_BITS, 128 | 8, "arg 0: bits 136 out of range");
    refuse_value(V_A_SIZE, MAX53 + 1, "arg 0: size");
    refuse_value(V_A_FN_USR, 0, "arg 0: fn_usr is missing");
    refuse_value(V_A_FN_NAME, 0, "arg 0: fn_name is missing");
    refuse_value(V_C_USR, 0, "function 0 call 0: a direct call without a callee");
    refuse_value(V_C_NAME, 0, "call 0: a direct call without a callee");
    refuse_value(V_R_USR, 0, "binary summary: ref 0: usr is missing");
    refuse_value(V_R_INTERNAL, 2, "ref 0: internal 2 out of range");
    refuse_value(V_R_FIELD, 3, "ref 0: field: string 3 out of range");
    refuse_value(V_DEP, 0, "dep 0: path is missing");
    refuse_value(V_NSTR, 3, "string table: string 2 is not terminated");
    refuse_value(V_NSTR, 1, "string table: 2 bytes after the last string");
    refuse_value(V_S5, 'x', "string table: string 1 is not terminated");
    refuse_value(V_NSTR, 7, "string table: 7 strings in 6 bytes");
    refuse_value(V_S1, 0, "string table: 2 bytes after the last string");

    /* fn_internal without a function designator (JSON has no way to say it). */
    uint64_t vals[V_COUNT];
    memcpy(vals, minimal, sizeof vals);
    vals[V_A_BITS] = 16;
    n = encode_vals(buf, vals, "t", V_A_FN_USR, V_A_FN_NAME + 1);
    expect_refused(buf, n, "t", "arg 0: bits 16 out of range");
    /* Without the designator the argument reads. */
    vals[V_A_BITS] = 0;
    n = encode_vals(buf, vals, "t", V_A_FN_USR, V_A_FN_NAME + 1);
    assert_int_equal(sum_from_bin(buf, n, "t", &out, err, sizeof err), 0);
    assert_null(out->funcs[0].calls[0].args[0].fn_usr);
    sum_free(out);
    /* A guard in a function without parameters. */
    memcpy(vals, minimal, sizeof vals);
    vals[V_NPARAMS] = 0;
    vals[V_A_PARAM] = 0;
    n = encode_vals(buf, vals, "t", V_P_NAME, V_P_BITS + 1);
    expect_refused(buf, n, "t", "function 0 call 0 guard 0: param 0 out of range");
    /* Guards unknown: no count follows, so the guard's values are extra. */
    memcpy(vals, minimal, sizeof vals);
    vals[V_C_FLAGS] = 8;
    n = encode_vals(buf, vals, "t", V_NGUARDS, V_G_FIELD + 1);
    assert_int_equal(sum_from_bin(buf, n, "t", &out, err, sizeof err), 0);
    assert_false(out->funcs[0].calls[0].guards_known);
    assert_int_equal(out->funcs[0].calls[0].nguards, 0);
    sum_free(out);
    n = encode_vals(buf, vals, "t", 0, 0);
    expect_refused(buf, n, "t", "binary summary: ");
    /* An indirect call needs no callee. */
    memcpy(vals, minimal, sizeof vals);
    vals[V_C_FLAGS] = 1 | 8 | 16;
    vals[V_C_USR] = 0;
    vals[V_C_NAME] = 0;
    n = encode_vals(buf, vals, "t", 0, 0);
    assert_int_equal(sum_from_bin(buf, n, "t", &out, err, sizeof err), 0);
    assert_int_equal(out->funcs[0].calls[0].kind, SUM_CALL_INDIRECT);
    sum_free(out);
    /* An indirect call with a sole target: its usr and name follow targets. */
    n = encode_sole(buf, 1 | 8 | 16 | 32 | 64, 2, 2);
    if (sum_from_bin(buf, n, "t", &out, err, sizeof err) != 0)
        fail_msg("a sole target is refused: %s", err);
    check_invariants(out, "t");
    assert_string_equal(out->funcs[0].calls[0].sole_usr, "f");
    assert_string_equal(out->funcs[0].calls[0].sole_name, "f");
    assert_true(out->funcs[0].calls[0].sole_internal);
    assert_int_equal(out->funcs[0].calls[0].loc.line, 1);
    sum_free(out);
    n = encode_sole(buf, 1 | 8 | 16 | 32, 2, 1);
    assert_int_equal(sum_from_bin(buf, n, "t", &out, err, sizeof err), 0);
    assert_string_equal(out->funcs[0].calls[0].sole_name, "a.c");
    assert_false(out->funcs[0].calls[0].sole_internal);
    sum_free(out);
    n = encode_sole(buf, 1 | 8 | 16 | 32, 0, 2);
    expect_refused(buf, n, "t", "function 0 call 0: sole_usr is missing");
    n = encode_sole(buf, 1 | 8 | 16 | 32, 2, 0);
    expect_refused(buf, n, "t", "function 0 call 0: sole_name is missing");
    n = encode_sole(buf, 1 | 8 | 16 | 32, 3, 2);
    expect_refused(buf, n, "t", "call 0: sole_usr: string 3 out of range");
    /* A libclang version with a NUL byte. */
    memcpy(vals, minimal, sizeof vals);
    vals[V_CLANG_LEN] = 1;
    n = encode_vals(buf, vals, "t", 0, 0);
    size_t at = SUM_BIN_MAGIC_LEN + 5; /* after the versions, "t" and the length */
    assert_int_equal(buf[at - 1], 1);
    memmove(buf + at + 1, buf + at, n - at);
    buf[at] = 0;
    expect_refused(buf, n + 1, "t", "the libclang version holds a NUL byte");
}

/* Counts far beyond what the input could hold are refused before any
 * allocation (an attempt would abort under ASan or read "out of memory"). */
static void test_huge_counts(void **state)
{
    (void)state;
    const uint64_t huge[] = {UINT64_C(1000), UINT64_C(2147483647), UINT64_C(4294967295),
                             UINT64_C(1) << 40, UINT64_MAX};
    const int where[] = {V_NFUNCS, V_NPARAMS, V_NLOCALS, V_NBLOCKS, V_NSUCC, V_NCALLS, V_NARGS,
                         V_NGUARDS, V_NWRITES, V_NREFS, V_NDEPS};
    for (size_t h = 0; h < sizeof huge / sizeof *huge; h++)
        for (size_t w = 0; w < sizeof where / sizeof *where; w++) {
            unsigned char buf[512];
            size_t n = encode(buf, where[w], huge[h]);
            TuSummary *out = NULL;
            char err[256];
            assert_int_equal(sum_from_bin(buf, n, "t", &out, err, sizeof err), -1);
            if (!strstr(err, "exceeds the") || strstr(err, "out of memory"))
                fail_msg("count %d = %llu: '%s'", where[w], (unsigned long long)huge[h], err);
        }
    /* The string table's and the header's own sizes. */
    refuse_value(V_STR_BYTES, UINT64_C(1) << 40, "binary summary: truncated at byte");
    refuse_value(V_NSTR, UINT64_C(1) << 40, "strings in 6 bytes");
    refuse_value(V_CLANG_LEN, UINT64_C(1) << 40, "binary summary: truncated at byte");
    /* 22 bytes claiming 2^31 - 1 functions. */
    const unsigned char tiny[] = {'S', 'C', 'S', 'U', 'M', 'B', 0, 1, SUM_FORMAT_VERSION, SUM_BIN_VERSION,
                                  0, 0, 1, 1, 0, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x07};
    expect_refused(tiny, sizeof tiny, "", "binary summary: function count 2147483647 exceeds the 0 bytes left");
    /* A varint longer than 64 bits. */
    unsigned char big[32];
    memcpy(big, SUM_BIN_MAGIC, 8);
    memset(big + 8, 0xff, 9);
    big[17] = 0x02;
    expect_refused(big, 18, "", "binary summary: number too large at byte 8");
    big[17] = 0x01; /* 2^64 - 1: a format version, refused as such */
    expect_refused(big, 18, "", "format version 18446744073709551615");
}

static void test_allocation_failures(void **state)
{
    (void)state;
    TuSummary *s = make_summary();
    size_t len = 0;
    char *bin = sum_to_bin(s, "1", "c", &len);
    assert_non_null(bin);
    for (unsigned long n = 1; n < 60; n++) {
        TuSummary *out = NULL;
        char err[256];
        mem_fail_after(n);
        int rc = sum_from_bin(bin, len, "1", &out, err, sizeof err);
        mem_fail_after(0);
        if (rc == 0)
            sum_free(out);
        else
            assert_non_null(strstr(err, "binary summary: out of memory"));
    }
    for (unsigned long n = 1; n < 20; n++) {
        size_t l2 = 0;
        mem_fail_after(n);
        char *t = sum_to_bin(s, "1", "c", &l2);
        mem_fail_after(0);
        if (t) {
            assert_int_equal(l2, len);
            assert_memory_equal(t, bin, len);
        }
        mem_free(t);
    }
    mem_free(bin);
    sum_free(s);
}

/* A summary with many functions sharing few strings: the table keeps each
 * once, and it reads back. */
static void test_many_strings(void **state)
{
    (void)state;
    TuSummary *s = sum_new("big.c", "x86_64-linux-gnu");
    assert_non_null(s);
    const uint32_t n = 5000;
    s->funcs = arena_alloc(&s->arena, n * sizeof *s->funcs);
    s->nfuncs = n;
    for (uint32_t i = 0; i < n; i++) {
        SumFunction *f = &s->funcs[i];
        f->name = arena_printf(&s->arena, "fn%u", i);
        f->usr = arena_printf(&s->arena, "c:@F@fn%u", i);
        f->loc = (SumLoc){arena_strdup(&s->arena, "big.c"), i + 1, 5}; /* a new pointer each time */
        f->end = f->loc;
    }
    size_t len = 0;
    char *bin = sum_to_bin(s, "1", "c", &len);
    assert_non_null(bin);
    TuSummary *back = NULL;
    char err[256];
    assert_int_equal(sum_from_bin(bin, len, "1", &back, err, sizeof err), 0);
    assert_int_equal(back->nfuncs, n);
    assert_string_equal(back->funcs[n - 1].usr, "c:@F@fn4999");
    assert_ptr_equal(back->funcs[0].loc.file, back->funcs[n - 1].loc.file);
    char *want = sum_to_json(s, "1", "c"), *have = sum_to_json(back, "1", "c");
    assert_string_equal(want, have);
    mem_free(want);
    mem_free(have);
    mem_free(bin);
    sum_free(back);
    sum_free(s);
}

/* --write-seeds DIR: the fuzzer's seeds, written with this build's writer. */
static int write_seeds(const char *dir)
{
    char path[4096], err[256];
    TuSummary *s = make_summary();
    size_t len = 0;
    char *bin = sum_to_bin(s, "fuzz", "clang 19", &len);
    snprintf(path, sizeof path, "%s/full.scs", dir);
    int rc = bin ? file_write_atomic(path, bin, len, err, sizeof err) : -1;
    mem_free(bin);
    sum_free(s);
    unsigned char buf[512];
    size_t n = encode_vals(buf, minimal, "fuzz", 0, 0);
    snprintf(path, sizeof path, "%s/minimal.scs", dir);
    if (rc == 0)
        rc = file_write_atomic(path, buf, n, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", path, err);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0)
        return write_seeds(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_damaged_bytes),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_huge_counts),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_many_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
