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

/* A checked index of `n` summaries, in a buffer the caller frees (*bytes). */
static SumIndex index_of(TuSummary **tus, size_t n, const char *target, char **bytes)
{
    const char *files[8];
    char names[8][128];
    for (size_t i = 0; i < n; i++) {
        sum_index_member_name("/src", tus[i]->path, names[i], sizeof names[i]);
        files[i] = names[i];
    }
    size_t len = 0;
    *bytes = sum_index_to_bin(tus, files, NULL, n, target, "test", NULL, &len);
    assert_non_null(*bytes);
    SumIndex x;
    char err[256];
    if (sum_index_parse(*bytes, len, "test", &x, err, sizeof err) != 0)
        fail_msg("index does not read back: %s", err);
    return x;
}

static void test_round_trip(void **state)
{
    (void)state;
    TuSummary *t[2] = {tu("lib/a.c", "a1 a2 @hidden", "x"), tu("lib/b.c", "b1", "")};
    char *bytes;
    SumIndex x = index_of(t, 2, "arm-none-eabi", &bytes);
    assert_string_equal(x.target, "arm-none-eabi");
    assert_string_equal(x.tool_version, "test");
    assert_int_equal(x.nmembers, 2);
    assert_int_equal(x.nsyms, 3); /* the static function is not a symbol */
    SumIndexMember m;
    char err[256];
    assert_int_equal(sum_index_check(&x, err, sizeof err), 0);
    assert_int_equal(sum_index_member(&x, 0, &m, err, sizeof err), 0);
    assert_string_equal(m.source, "lib/a.c");
    assert_string_equal(m.dir, "");
    assert_int_equal(m.nsyms, 2);
    assert_int_equal(strncmp(m.file, "a.c-", 4), 0);
    const char *name, *usr;
    uint32_t mem;
    assert_int_equal(sum_index_sym(&x, 0, &name, &usr, &mem, err, sizeof err), 0);
    assert_string_equal(name, "a1");
    assert_string_equal(usr, "c:@F@a1");
    assert_int_equal(mem, 0);
    assert_int_equal(sum_index_find(&x, "c:@F@a2"), 0);
    assert_int_equal(sum_index_find(&x, "c:@F@b1"), 1);
    assert_int_equal(sum_index_find(&x, "c:@F@hidden"), SUM_INDEX_NONE);
    assert_int_equal(sum_index_find(&x, "c:lib/a.c@F@hidden"), SUM_INDEX_NONE);
    assert_int_equal(sum_index_find(&x, "c:@F@x"), SUM_INDEX_NONE);
    /* Own bounds, one per symbol in order; none by default. */
    SumIndexBound bd;
    assert_int_equal(sum_index_bound(&x, 0, &bd, err, sizeof err), 0);
    assert_int_equal(bd.status, SUM_BOUND_NONE);
    assert_int_equal(bd.bytes, 0);
    mem_free(bytes);
    {
        const char *files[2];
        char names[2][128];
        for (size_t i = 0; i < 2; i++) {
            sum_index_member_name("/src", t[i]->path, names[i], sizeof names[i]);
            files[i] = names[i];
        }
        SumIndexBound b[3] = {{0, SUM_BOUND_NONE}, {4096, SUM_BOUND_ESTIMATED}, {UINT32_MAX - 1, SUM_BOUND_EXACT}};
        size_t blen = 0;
        char *bb = sum_index_to_bin(t, files, NULL, 2, "arm-none-eabi", "test", b, &blen);
        SumIndex y;
        assert_int_equal(sum_index_parse(bb, blen, "test", &y, err, sizeof err), 0);
        assert_int_equal(sum_index_check(&y, err, sizeof err), 0);
        uint32_t sym = 99;
        assert_int_equal(sum_index_find_sym(&y, "c:@F@a2", &sym), 0);
        assert_int_equal(sym, 1);
        assert_int_equal(sum_index_bound(&y, 1, &bd, err, sizeof err), 0);
        assert_int_equal(bd.status, SUM_BOUND_ESTIMATED);
        assert_int_equal(bd.bytes, 4096);
        assert_int_equal(sum_index_bound(&y, 2, &bd, err, sizeof err), 0);
        assert_int_equal(bd.status, SUM_BOUND_EXACT);
        assert_int_equal(bd.bytes, UINT32_MAX - 1);
        assert_int_not_equal(sum_index_bound(&y, 3, &bd, err, sizeof err), 0);
        /* A status out of range, and bytes without a status, are damage. */
        unsigned char *s1 = (unsigned char *)bb + (y.syms - (const unsigned char *)bb) + 4 * 5 * 1;
        s1[16] = 3;
        assert_int_not_equal(sum_index_bound(&y, 1, &bd, err, sizeof err), 0);
        assert_non_null(strstr(err, "bound status 3 out of range"));
        assert_int_not_equal(sum_index_check(&y, err, sizeof err), 0);
        s1[16] = 0;
        assert_int_not_equal(sum_index_bound(&y, 1, &bd, err, sizeof err), 0);
        mem_free(bb);
    }
    /* Two members defining one USR: the first keeps the name. */
    sum_free(t[1]);
    t[1] = tu("lib/c.c", "a2 c1", "");
    x = index_of(t, 2, "x86_64-linux-gnu", &bytes);
    assert_int_equal(sum_index_find(&x, "c:@F@a2"), 0);
    assert_int_equal(sum_index_find(&x, "c:@F@c1"), 1);
    mem_free(bytes);
    /* Empty: no member, no symbol, one bucket. */
    size_t len = 0;
    bytes = sum_index_to_bin(t, NULL, NULL, 0, "x86_64-linux-gnu", "test", NULL, &len);
    assert_int_equal(sum_index_parse(bytes, len, "test", &x, err, sizeof err), 0);
    assert_int_equal(x.nmembers, 0);
    assert_int_equal(sum_index_find(&x, "c:@F@a1"), SUM_INDEX_NONE);
    mem_free(bytes);
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

/* Header word w (0: layout version) and table offsets of the layout. */
#define HDR(w) (8 + 4 * (w))
#define MEMBERS 48

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* `len` bytes must be refused with a message containing `want`: by the
 * header check, or by the full check of the tables (what a reader meets
 * entry by entry). */
static void refused(const void *data, size_t len, const char *tool, const char *want, const char *what)
{
    SumIndex x;
    char err[256] = "";
    if (sum_index_parse(data, len, tool, &x, err, sizeof err) == 0 && sum_index_check(&x, err, sizeof err) == 0)
        fail_msg("%s: accepted", what);
    if (!strstr(err, want))
        fail_msg("%s: message '%s' lacks '%s'", what, err, want);
}

static void test_rejections(void **state)
{
    (void)state;
    TuSummary *t[2] = {tu("lib/a.c", "a1 a2", ""), tu("lib/b.c", "b1", "")};
    const char *files[2] = {"a.scs", "b.scs"};
    size_t len = 0;
    unsigned char *good = (unsigned char *)sum_index_to_bin(t, files, NULL, 2, "x86_64-linux-gnu", "test", NULL, &len);
    assert_non_null(good);
    unsigned char *b = mem_alloc(len + 8);
    assert_non_null(b);
    uint32_t nm = get32(good + HDR(3)), ns = get32(good + HDR(4)), nb = get32(good + HDR(5));
    size_t syms = MEMBERS + 20 * nm, buckets = syms + 20 * ns, strings = buckets + 4 * nb;
#define FRESH() memcpy(b, good, len)
    refused("", 0, "test", "not a stackcheck library index", "empty");
    refused("{\"schema\": 1}", 13, "test", "not a stackcheck library index", "JSON");
    refused(good, 20, "test", "truncated at byte 20", "truncated header");
    refused(good, len - 1, "test", "truncated at byte", "truncated");
    FRESH();
    memset(b + len, 0, 8);
    refused(b, len + 8, "test", "8 bytes after the end", "trailing");
    FRESH(); b[3] ^= 1;
    refused(b, len, "test", "not a stackcheck library index", "magic");
    FRESH(); put32(b + HDR(0), 1);
    refused(b, len, "test", "index layout 1, this stackcheck reads 2", "layout");
    FRESH(); put32(b + HDR(1), 2);
    refused(b, len, "test", "summary format 2", "format");
    FRESH(); put32(b + HDR(2), 9);
    refused(b, len, "test", "layout 9", "binary layout");
    refused(good, len, "other", "written by stackcheck test, this is other", "tool version");
    FRESH(); put32(b + HDR(5), 3);
    refused(b, len, "test", "not a power of two", "buckets");
    FRESH(); put32(b + HDR(3), 1u << 30);
    refused(b, len, "test", "counts out of range", "huge count");
    FRESH(); put32(b + HDR(8), 0);
    refused(b, len, "test", "bad header strings", "empty target");
    FRESH(); put32(b + HDR(9), 1);
    refused(b, len, "test", "bad header strings", "reserved word");
    FRESH(); b[strings] = 'x';
    refused(b, len, "test", "string table", "table start");
    FRESH(); b[len - 1] = 'x';
    refused(b, len, "test", "string table", "table end");
    FRESH(); put32(b + MEMBERS, get32(b + MEMBERS) + 1); /* inside a string */
    refused(b, len, "test", "member 0: bad string offset", "mid-string offset");
    FRESH(); put32(b + MEMBERS + 4, 0xffffff);
    refused(b, len, "test", "member 0: bad string offset", "offset past the table");
    FRESH();
    {
        /* Rename a member to "../x.scs" in place (same length as "a.scs"
         * plus three: use b.scs's string and point at a new one is not
         * possible; damage the name's first byte instead). */
        uint32_t off = get32(b + MEMBERS + 8);
        b[strings + off] = '.';
    }
    refused(b, len, "test", "member 0: summary name '..scs' is not a plain file name", "hidden name");
    FRESH();
    {
        uint32_t off = get32(b + MEMBERS + 20 + 8);
        b[strings + off + 1] = '/';
    }
    refused(b, len, "test", "member 1: summary name 'b/scs' is not a plain file name", "slash");
    FRESH(); put32(b + MEMBERS + 12, 1);
    refused(b, len, "test", "member 0: functions 1..+2 out of order", "sym range");
    FRESH(); put32(b + MEMBERS + 20 + 16, 5);
    refused(b, len, "test", "member 1: functions 2..+5 out of range", "sym count");
    FRESH(); put32(b + syms + 8, 1);
    refused(b, len, "test", "function 0: bad name, USR or member", "sym member");
    FRESH(); put32(b + syms + 4, 0);
    refused(b, len, "test", "function 0: bad name, USR or member", "empty usr");
    FRESH(); put32(b + buckets, ns + 1);
    refused(b, len, "test", "bucket 0 out of range", "bucket");
    /* Read entry by entry, the same damage is met where it is used. */
    SumIndex v;
    char verr[256];
    SumIndexMember vm;
    FRESH(); put32(b + MEMBERS + 8, get32(b + MEMBERS + 8) + 1);
    assert_int_equal(sum_index_parse(b, len, "test", &v, verr, sizeof verr), 0);
    assert_int_equal(sum_index_member(&v, 0, &vm, verr, sizeof verr), -1);
    assert_non_null(strstr(verr, "member 0: bad string offset"));
    assert_int_equal(sum_index_member(&v, 1, &vm, verr, sizeof verr), 0);
    assert_int_equal(sum_index_member(&v, 2, &vm, verr, sizeof verr), -1);
    FRESH();
    for (uint32_t k = 0; k < nb; k++)
        if (get32(b + buckets + 4 * k))
            put32(b + buckets + 4 * k, ns + 7);
    assert_int_equal(sum_index_parse(b, len, "test", &v, verr, sizeof verr), 0);
    assert_int_equal(sum_index_find(&v, "c:@F@a1"), SUM_INDEX_BAD);
    FRESH(); put32(b + syms + 8, 9); /* a1's member out of range */
    assert_int_equal(sum_index_parse(b, len, "test", &v, verr, sizeof verr), 0);
    assert_int_equal(sum_index_find(&v, "c:@F@a1"), SUM_INDEX_BAD);
    assert_int_equal(sum_index_find(&v, "c:@F@b1"), 1);
    /* NULL tool_version: any stackcheck's index (summarize's cleanup). */
    SumIndex x;
    char err[256];
    assert_int_equal(sum_index_parse(good, len, NULL, &x, err, sizeof err), 0);
#undef FRESH
    mem_free(b);
    mem_free(good);
    sum_free(t[0]);
    sum_free(t[1]);
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
    char *b0, *b1;
    SumIndex x0 = index_of(L.tus[0], 4, "x86_64-linux-gnu", &b0);
    SumIndex x1 = index_of(L.tus[1], 1, "x86_64-linux-gnu", &b1);
    const SumIndex *libs[2] = {&x0, &x1};
    TuSummary *prog = tu("main.c", "main over", "puts sq over only1");

    CgPulled *p = NULL;
    size_t np = 0;
    uint32_t bad = 0;
    assert_int_equal(cg_pull(&prog, 1, NULL, 0, libs, 2, load, &L, &p, &np, &bad), 0);
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
    assert_int_equal(cg_link_program(all, 5, 1, NULL, 0, NULL, 0, &cg), 0);
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

    /* An entry named explicitly (walk) is pulled and kept although nothing
     * calls it, and so is a function whose address the program takes
     * (lonely, as in an interrupt vector table). */
    TuSummary *prog2 = tu("main2.c", "main", "puts");
    prog2->nrefs = 1;
    prog2->refs = arena_alloc(&prog2->arena, sizeof *prog2->refs);
    prog2->refs[0] = (SumFnRef){.usr = "c:@F@lonely", .name = "lonely", .fn_type = "void (void)"};
    const char *roots[1] = {"walk"};
    assert_int_equal(cg_pull(&prog2, 1, roots, 1, libs, 2, load, &L, &p, &np, &bad), 0);
    assert_int_equal(np, 3); /* io.c, w.c, b.c */
    TuSummary *all2[4] = {prog2, p[0].tu, p[1].tu, p[2].tu};
    assert_int_equal(cg_link_program(all2, 4, 1, roots, 1, NULL, 0, &cg), 0);
    assert_true(cg->funcs[cg_find_by_name(cg, "walk")].library);
    assert_true(cg->funcs[cg_find_by_name(cg, "lonely")].library);
    assert_int_equal(cg_find_by_name(cg, "big"), CG_NONE); /* same member, not reached */
    cg_free(cg);
    for (size_t i = 0; i < np; i++)
        sum_free(p[i].tu);
    mem_free(p);
    sum_free(prog2);

    /* A member that cannot be loaded stops the pull; nothing leaks. */
    L.fail_member = 1;
    L.loads = 0;
    assert_int_equal(cg_pull(&prog, 1, NULL, 0, libs, 2, load, &L, &p, &np, &bad), 1);
    /* A damaged bucket met by a lookup stops it too, naming the library. */
    L.fail_member = -1;
    for (uint32_t k = 0; k < x1.nbuckets; k++)
        if (((unsigned char *)b1)[48 + 20 * x1.nmembers + 20 * x1.nsyms + 4 * k])
            ((unsigned char *)b1)[48 + 20 * x1.nmembers + 20 * x1.nsyms + 4 * k] = 0xff;
    assert_int_equal(cg_pull(&prog, 1, NULL, 0, libs, 2, load, &L, &p, &np, &bad), 2);
    assert_int_equal(bad, 1);

    sum_free(prog);
    mem_free(b0);
    mem_free(b1);
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
    size_t len = 0;
    char *bin = sum_index_to_bin(t, files, dirs, 2, "x86_64-linux-gnu", "fuzz", NULL, &len);
    char path[4096], err[256];
    snprintf(path, sizeof path, "%s/two.scsi", dir);
    int rc = bin ? file_write_atomic(path, bin, len, err, sizeof err) : -1;
    mem_free(bin);
    bin = sum_index_to_bin(t, files, dirs, 0, "arm-none-eabi", "fuzz", NULL, &len);
    snprintf(path, sizeof path, "%s/empty.scsi", dir);
    if (rc == 0)
        rc = bin ? file_write_atomic(path, bin, len, err, sizeof err) : -1;
    mem_free(bin);
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
