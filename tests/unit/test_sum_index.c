/* Unit tests for library folders: the index's round trip and every
 * rejection of its reader, member names, cg_pull (pulls what is named, the
 * first library wins, nothing for pointers), and the link of a program with
 * library members (overrides, unreached functions left out, quiet findings).
 * `test_sum_index --write-seeds DIR` writes the fuzzer's seed corpus
 * (tests/fuzz/corpus/sum_index) with the stackcheck version "fuzz". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/graph.h"
#include "summary/sum_index.h"
#include "summary/summary.h"
#include "summary/summary_bin.h"
#include "util/fileio.h"
#include "util/mem.h"

/* A summary of `path` defining the external functions named in `defs`
 * (space separated), each calling every name in `calls` (space separated;
 * "@name" is a static function instead). */
static TuSummary *tu(const char *path, const char *defs, const char *calls)
{
    TuSummary *s = sum_new(path, "x86_64-linux-gnu");
    assert_non_null(s);
    Arena *a = &s->arena;
    const char *file = arena_strdup(a, path);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", defs);
    size_t nd = 0;
    const char *names[8];
    for (char *t = strtok(buf, " "); t && nd < 8; t = strtok(NULL, " "))
        names[nd++] = arena_strdup(a, t);
    char cbuf[256];
    snprintf(cbuf, sizeof cbuf, "%s", calls);
    size_t nc = 0;
    const char *callees[8];
    for (char *t = strtok(cbuf, " "); t && nc < 8; t = strtok(NULL, " "))
        callees[nc++] = arena_strdup(a, t);
    s->nfuncs = (uint32_t)nd;
    s->funcs = arena_alloc(a, (nd ? nd : 1) * sizeof *s->funcs);
    for (size_t i = 0; i < nd; i++) {
        SumFunction *f = &s->funcs[i];
        bool internal = names[i][0] == '@';
        f->name = internal ? names[i] + 1 : names[i];
        f->usr = arena_printf(a, "c:%s@F@%s", internal ? path : "", f->name);
        f->linkage = internal ? SUM_LINK_INTERNAL : SUM_LINK_EXTERNAL;
        f->loc = (SumLoc){file, (unsigned)(10 * i + 1), 5};
        f->nblocks = 1;
        f->blocks = arena_alloc(a, sizeof *f->blocks);
        f->blocks[0].exit = SUM_EXIT_RETURN;
        f->ncalls = (uint32_t)nc;
        f->calls = arena_alloc(a, (nc ? nc : 1) * sizeof *f->calls);
        for (size_t k = 0; k < nc; k++) {
            SumCall *c = &f->calls[k];
            c->kind = SUM_CALL_DIRECT;
            c->callee_name = callees[k];
            c->callee_usr = arena_printf(a, "c:@F@%s", callees[k]);
            c->loc = (SumLoc){file, (unsigned)(10 * i + 2 + k), 9};
            c->reachable = true;
        }
    }
    return s;
}

static SumIndex *index_of(TuSummary **tus, size_t n, const char *target)
{
    const char *files[8];
    char names[8][128];
    for (size_t i = 0; i < n; i++) {
        sum_index_member_name("/src", tus[i]->path, names[i], sizeof names[i]);
        files[i] = names[i];
    }
    char *json = sum_index_to_json(tus, files, NULL, n, target, "test");
    assert_non_null(json);
    SumIndex *x = NULL;
    char err[256];
    int rc = sum_index_parse(json, strlen(json), "test", &x, err, sizeof err);
    if (rc != 0)
        fail_msg("index does not read back: %s", err);
    mem_free(json);
    return x;
}

static void test_round_trip(void **state)
{
    (void)state;
    TuSummary *t[2] = {tu("lib/a.c", "a1 a2 @hidden", "x"), tu("lib/b.c", "b1", "")};
    SumIndex *x = index_of(t, 2, "arm-none-eabi");
    assert_string_equal(x->target, "arm-none-eabi");
    assert_string_equal(x->tool_version, "test");
    assert_int_equal(x->nmembers, 2);
    assert_int_equal(x->nsyms, 3); /* the static function is not a symbol */
    assert_string_equal(x->members[0].source, "lib/a.c");
    assert_int_equal(x->members[0].nsyms, 2);
    assert_string_equal(x->syms[0].name, "a1");
    assert_string_equal(x->syms[0].usr, "c:@F@a1");
    assert_string_equal(x->syms[x->members[1].sym_begin].name, "b1");
    assert_string_equal(x->members[1].dir, "");
    sum_index_free(x);
    sum_free(t[0]);
    sum_free(t[1]);
}

static void test_member_names(void **state)
{
    (void)state;
    char a[128], b[128], c[128], d[128];
    sum_index_member_name("/w", "src/util.c", a, sizeof a);
    sum_index_member_name("/w", "lib/util.c", b, sizeof b);
    sum_index_member_name("/x", "../w/src/util.c", c, sizeof c);
    sum_index_member_name("/w", "src/util.c", d, sizeof d);
    assert_string_equal(a, d); /* deterministic */
    assert_string_not_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(strncmp(a, "util.c-", 7), 0);
    assert_int_equal(strlen(a), strlen("util.c-") + 16 + 4);
    sum_index_member_name("/w", "odd name$.c", a, sizeof a);
    assert_int_equal(strncmp(a, "odd_name_.c-", 12), 0);
    sum_index_member_name("/w", ".hidden.c", a, sizeof a);
    assert_true(a[0] != '.');
}

/* Each text must be refused with a message containing `want`. */
static void refused(const char *text, const char *want)
{
    SumIndex *x = NULL;
    char err[256] = "";
    if (sum_index_parse(text, strlen(text), "test", &x, err, sizeof err) == 0)
        fail_msg("accepted: %s", text);
    assert_null(x);
    if (!strstr(err, want))
        fail_msg("for %s: message '%s' lacks '%s'", text, err, want);
}

#define HEAD "\"schema\":\"stackcheck-library-index/1\",\"format\":3,\"binary_layout\":2,\"stackcheck\":\"test\",\"target\":\"x86_64-linux-gnu\""
#define M(defs) "{\"source\":\"a.c\",\"dir\":\"\",\"summary\":\"a.scs\",\"defines\":" defs "}"

static void test_rejections(void **state)
{
    (void)state;
    refused("", "not a stackcheck library index");
    refused("[1,2]", "not a stackcheck library index");
    refused("{\"entries\":[]}", "not a stackcheck library index");
    refused("{" HEAD ",\"members\":[", "not a stackcheck library index"); /* truncated */
    refused("{\"schema\":\"stackcheck-library-index/9\"}", "index schema 'stackcheck-library-index/9'");
    refused("{\"schema\":\"stackcheck-library-index/1\",\"format\":2,\"binary_layout\":2}", "'format' is 2");
    refused("{\"schema\":\"stackcheck-library-index/1\",\"format\":3,\"binary_layout\":1}", "'binary_layout' is 1");
    refused("{\"schema\":\"stackcheck-library-index/1\",\"format\":3,\"binary_layout\":2,\"stackcheck\":\"old\","
            "\"target\":\"x\",\"members\":[]}",
            "written by stackcheck old, this is test");
    refused("{\"schema\":\"stackcheck-library-index/1\",\"format\":3,\"binary_layout\":2,\"stackcheck\":\"test\","
            "\"members\":[]}",
            "'target'");
    refused("{" HEAD "}", "'members': expected an array");
    refused("{" HEAD ",\"members\":[1]}", "member 0: expected an object");
    refused("{" HEAD ",\"members\":[{\"dir\":\"\",\"summary\":\"a.scs\",\"defines\":[]}]}", "member 0: 'source'");
    refused("{" HEAD ",\"members\":[{\"source\":\"a.c\",\"summary\":\"a.scs\",\"defines\":[]}]}", "member 0: 'dir'");
    refused("{" HEAD ",\"members\":[{\"source\":\"a.c\",\"dir\":\"\",\"summary\":\"../a.scs\",\"defines\":[]}]}",
            "member 0: 'summary' must be a plain file name ending in .scs");
    refused("{" HEAD ",\"members\":[{\"source\":\"a.c\",\"dir\":\"\",\"summary\":\".a.scs\",\"defines\":[]}]}",
            "plain file name");
    refused("{" HEAD ",\"members\":[{\"source\":\"a.c\",\"dir\":\"\",\"summary\":\"a.json\",\"defines\":[]}]}",
            "plain file name");
    refused("{" HEAD ",\"members\":[" M("{}") "]}", "member 0: 'defines': expected an array");
    refused("{" HEAD ",\"members\":[" M("[[\"f\"]]") "]}", "member 0: 'defines[0]'");
    refused("{" HEAD ",\"members\":[" M("[[\"f\",\"c:@F@f\",\"x\"]]") "]}", "'defines[0]'");
    refused("{" HEAD ",\"members\":[" M("[[\"f\",\"\"]]") "]}", "'defines[0]'");
    refused("{" HEAD ",\"members\":[" M("[[\"f\",\"c:@F@f\"],7]") "]}", "'defines[1]'");
    refused("{" HEAD ",\"members\":[" M("[]") "," M("[]") "]}", "two members name the summary 'a.scs'");
    refused("{" HEAD ",\"members\":[],\"extra\":1}", "'extra': unknown key");
    /* The same text with a valid member reads. */
    const char *ok = "{" HEAD ",\"members\":[" M("[[\"f\",\"c:@F@f\"]]") "]}";
    SumIndex *x = NULL;
    char err[256];
    assert_int_equal(sum_index_parse(ok, strlen(ok), "test", &x, err, sizeof err), 0);
    assert_int_equal(x->nsyms, 1);
    sum_index_free(x);
    /* NULL tool_version: any stackcheck's index (summarize's cleanup). */
    const char *other = "{\"schema\":\"stackcheck-library-index/1\",\"format\":3,\"binary_layout\":2,"
                        "\"stackcheck\":\"old\",\"target\":\"x\",\"members\":[]}";
    assert_int_equal(sum_index_parse(other, strlen(other), NULL, &x, err, sizeof err), 0);
    sum_index_free(x);
}

/* Library members for cg_pull: tus of each library, handed out by copy. */
typedef struct Libs {
    TuSummary *tus[2][4];
    int loads;
    int fail_member; /* global member to fail, or -1 */
} Libs;

static int load(void *ctx, uint32_t lib, uint32_t member, TuSummary **out)
{
    Libs *L = ctx;
    L->loads++;
    if ((int)(lib * 4 + member) == L->fail_member)
        return 1;
    /* A fresh copy through the binary form, as a run reads it. */
    size_t len = 0;
    char *bin = sum_to_bin(L->tus[lib][member], "t", NULL, &len);
    char err[256];
    assert_int_equal(sum_from_bin(bin, len, "t", out, err, sizeof err), 0);
    mem_free(bin);
    return 0;
}

static void test_pull_and_link(void **state)
{
    (void)state;
    Libs L = {.fail_member = -1};
    /* lib 0: puts -> write_r (a stub nobody defines); sq and over (also
     * the program's), both calling big; walk (recursive, never named); big
     * and lonely (pulled with big, reached by nobody). lib 1: puts again
     * (lib 0 wins although only1 pulls this member first), only1. */
    L.tus[0][0] = tu("l0/io.c", "puts", "write_r");
    L.tus[0][1] = tu("l0/m.c", "sq over", "big");
    L.tus[0][2] = tu("l0/w.c", "walk", "walk");
    L.tus[0][3] = tu("l0/b.c", "big lonely", "");
    L.tus[1][0] = tu("l1/io.c", "puts only1", "");
    SumIndex *x0 = index_of(L.tus[0], 4, "x86_64-linux-gnu");
    SumIndex *x1 = index_of(L.tus[1], 1, "x86_64-linux-gnu");
    const SumIndex *libs[2] = {x0, x1};
    TuSummary *prog = tu("main.c", "main over", "puts sq over only1");

    CgPulled *p = NULL;
    size_t np = 0;
    assert_int_equal(cg_pull(&prog, 1, libs, 2, load, &L, &p, &np), 0);
    /* io.c and m.c of lib 0 (m.c named by sq), b.c (named by m.c), l1/io.c
     * (only1); never w.c. */
    assert_int_equal(np, 4);
    assert_int_equal(p[0].lib, 0);
    assert_int_equal(p[0].member, 0);
    assert_int_equal(p[1].member, 1);
    assert_int_equal(p[2].member, 3);
    assert_int_equal(p[3].lib, 1);
    assert_int_equal(L.loads, 4);

    TuSummary *all[5] = {prog, p[0].tu, p[1].tu, p[2].tu, p[3].tu};
    CallGraph *cg = NULL;
    assert_int_equal(cg_link_program(all, 5, 1, NULL, 0, &cg), 0);
    assert_int_equal(cg->ndups, 0); /* overrides are silent */
    uint32_t over = cg_find_by_name(cg, "over");
    assert_int_not_equal(over, CG_NONE);
    assert_false(cg->funcs[over].library);
    assert_int_equal(cg->funcs[over].tu, 0);
    uint32_t puts = cg_find_by_name(cg, "puts");
    assert_true(cg->funcs[puts].library);
    assert_string_equal(cg->funcs[puts].loc.file, "l0/io.c"); /* the first library wins */
    /* lonely came with big's member but nothing reaches it: not in the
     * graph; big is reached through sq. */
    assert_true(cg->funcs[cg_find_by_name(cg, "big")].library);
    assert_int_equal(cg_find_by_name(cg, "lonely"), CG_NONE);
    assert_int_equal(cg_find_by_name(cg, "walk"), CG_NONE);
    uint32_t w = cg_find_by_name(cg, "write_r");
    assert_int_not_equal(w, CG_NONE);
    assert_null(cg->funcs[w].def);
    assert_false(cg->funcs[w].library);
    for (uint32_t e = 0; e < cg->nedges; e++)
        assert_true(cg->edges[e].caller < cg->nfuncs &&
                    (cg->edges[e].callee == CG_NONE || cg->edges[e].callee < cg->nfuncs));
    for (uint32_t f = 0; f < cg->nfuncs; f++)
        assert_true(cg_quiet(cg, f) == cg->funcs[f].library);
    cg->report_library = true;
    assert_false(cg_quiet(cg, puts));
    cg_free(cg);
    for (size_t i = 0; i < np; i++)
        sum_free(p[i].tu);
    mem_free(p);

    /* A member that cannot be loaded stops the pull; nothing leaks. */
    L.fail_member = 1;
    L.loads = 0;
    assert_int_equal(cg_pull(&prog, 1, libs, 2, load, &L, &p, &np), 1);

    sum_free(prog);
    sum_index_free(x0);
    sum_index_free(x1);
    for (int l = 0; l < 2; l++)
        for (int m = 0; m < 4; m++)
            sum_free(L.tus[l][m]);
}

/* --write-seeds DIR: the fuzzer's seeds, written with this build's writer. */
static int write_seeds(const char *dir)
{
    TuSummary *t[2] = {tu("lib/a.c", "a1 a2 @hidden", "x"), tu("lib/b.c", "b1", "")};
    const char *files[2] = {"a.c-0000000000000001.scs", "b.c-0000000000000002.scs"};
    const char *dirs[2] = {"/src", NULL};
    char *json = sum_index_to_json(t, files, dirs, 2, "x86_64-linux-gnu", "fuzz");
    char path[4096], err[256];
    snprintf(path, sizeof path, "%s/two.json", dir);
    int rc = json ? file_write_atomic(path, json, strlen(json), err, sizeof err) : -1;
    mem_free(json);
    json = sum_index_to_json(t, files, dirs, 0, "arm-none-eabi", "fuzz");
    snprintf(path, sizeof path, "%s/empty.json", dir);
    if (rc == 0)
        rc = json ? file_write_atomic(path, json, strlen(json), err, sizeof err) : -1;
    mem_free(json);
    sum_free(t[0]);
    sum_free(t[1]);
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
        cmocka_unit_test(test_member_names),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_pull_and_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
