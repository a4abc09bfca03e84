/* Unit tests of linking: USR identity across TUs, static functions per TU
 * (same basename USR in two folders, header static inline), duplicates,
 * externals, indirect calls, scale and allocation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/graph.h"
#include "sumbuild.h"
#include "util/mem.h"

static uint32_t edge_callee(const CallGraph *cg, uint32_t f, uint32_t k)
{
    assert_true(k < cg->funcs[f].nedges);
    return cg->edges[cg->funcs[f].edge_begin + k].callee;
}

static void test_static_same_basename(void **state)
{
    (void)state;
    /* d1/u.c and d2/u.c each define static helper (USR c:u.c@F@helper) and
     * an external caller; each call must reach its own helper. */
    TuSummary *a = sb_tu("d1/u.c", 4), *b = sb_tu("d2/u.c", 4);
    SumFunction *ha = sb_func(a, "helper", "c:u.c@F@helper", SUM_LINK_INTERNAL, 0);
    SumFunction *fa = sb_func(a, "fa", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(a, fa, "helper", "c:u.c@F@helper", true);
    SumFunction *hb = sb_func(b, "helper", "c:u.c@F@helper", SUM_LINK_INTERNAL, 0);
    SumFunction *fb = sb_func(b, "fb", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(b, fb, "helper", "c:u.c@F@helper", true);
    TuSummary *tus[] = {a, b};
    CallGraph *cg = NULL;
    assert_int_equal(cg_link(tus, 2, &cg), 0);
    assert_int_equal(cg->nfuncs, 4);
    assert_int_equal(cg->ndups, 0);
    assert_ptr_equal(cg->funcs[0].def, ha);
    assert_ptr_equal(cg->funcs[2].def, hb);
    assert_int_equal(edge_callee(cg, 1, 0), 0);
    assert_int_equal(edge_callee(cg, 3, 0), 2);
    assert_int_equal(cg->funcs[2].tu, 1);
    assert_int_equal(cg_find_by_name(cg, "fb"), 3);
    assert_int_equal(cg_find_by_name(cg, "nope"), CG_NONE);
    cg_free(cg);
    sum_free(a);
    sum_free(b);
}

static void test_external_across_tus_and_header_inline(void **state)
{
    (void)state;
    /* a.c: main calls work (defined in b.c) and inl (static inline from a
     * header, also in b.c with the same USR); b.c: work calls inl and puts. */
    TuSummary *a = sb_tu("a.c", 4), *b = sb_tu("b.c", 4);
    sb_func(a, "inl", "c:h.h@F@inl", SUM_LINK_INTERNAL, 0);
    SumFunction *m = sb_func(a, "main", NULL, SUM_LINK_EXTERNAL, 3);
    sb_call(a, m, "work", NULL, false);
    sb_call(a, m, "inl", "c:h.h@F@inl", true);
    SumCall *dead = sb_call(a, m, "gone", NULL, false);
    dead->reachable = false;
    sb_func(b, "inl", "c:h.h@F@inl", SUM_LINK_INTERNAL, 0);
    SumFunction *w = sb_func(b, "work", NULL, SUM_LINK_EXTERNAL, 3);
    sb_call(b, w, "inl", "c:h.h@F@inl", true);
    SumCall *p1 = sb_call(b, w, "puts", NULL, false);
    p1->callee_noreturn = false;
    sb_icall(b, w, "ops->read", "int (int)");
    SumFunction *w2 = sb_func(b, "work2", NULL, SUM_LINK_EXTERNAL, 2);
    sb_call(b, w2, "puts", NULL, false);
    SumCall *ex = sb_call(b, w2, "exit", NULL, false);
    ex->callee_noreturn = true;
    TuSummary *tus[] = {a, b};
    CallGraph *cg = NULL;
    assert_int_equal(cg_link(tus, 2, &cg), 0);
    /* 5 definitions, then externals puts and exit. */
    assert_int_equal(cg->nfuncs, 7);
    assert_int_equal(cg->funcs[1].nedges, 2); /* the unreachable call is dropped */
    assert_int_equal(edge_callee(cg, 1, 0), 3);
    assert_int_equal(edge_callee(cg, 1, 1), 0);
    assert_int_equal(edge_callee(cg, 3, 0), 2);
    uint32_t puts_i = edge_callee(cg, 3, 1);
    assert_int_equal(puts_i, 5);
    assert_null(cg->funcs[5].def);
    assert_string_equal(cg->funcs[5].name, "puts");
    assert_int_equal(cg->funcs[5].loc.line, p1->loc.line);
    assert_int_equal(cg->funcs[5].tu, CG_NONE);
    assert_int_equal(edge_callee(cg, 3, 2), CG_NONE);
    assert_int_equal(edge_callee(cg, 4, 0), 5); /* one external per USR */
    assert_true(cg->funcs[edge_callee(cg, 4, 1)].noreturn);
    for (uint32_t e = 0; e < cg->nedges; e++)
        assert_true(cg->edges[e].caller < cg->nfuncs);
    cg_free(cg);
    sum_free(a);
    sum_free(b);
}

static void test_duplicates(void **state)
{
    (void)state;
    TuSummary *a = sb_tu("a.c", 2), *b = sb_tu("b.c", 2);
    SumFunction *fa = sb_func(a, "f", NULL, SUM_LINK_EXTERNAL, 0);
    SumFunction *fb = sb_func(b, "f", NULL, SUM_LINK_EXTERNAL, 0);
    SumFunction *g = sb_func(b, "g", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(b, g, "f", NULL, false);
    TuSummary *tus[] = {a, b};
    CallGraph *cg = NULL;
    assert_int_equal(cg_link(tus, 2, &cg), 0);
    assert_int_equal(cg->nfuncs, 2);
    assert_int_equal(cg->ndups, 1);
    assert_int_equal(cg->dups[0].func, 0);
    assert_int_equal(cg->dups[0].tu, 1);
    assert_ptr_equal(cg->dups[0].def, fb);
    assert_ptr_equal(cg->funcs[0].def, fa);
    assert_ptr_equal(cg->funcs[1].def, g);
    assert_int_equal(edge_callee(cg, 1, 0), 0);
    cg_free(cg);
    sum_free(a);
    sum_free(b);
}

/* An extern inline defined in a shared header (glibc's atoi) reaches every
 * includer's summary at the same place: one function, no conflict. */
static void test_header_extern_inline_not_duplicate(void **state)
{
    (void)state;
    TuSummary *a = sb_tu("a.c", 1), *b = sb_tu("b.c", 1);
    SumFunction *fa = sb_func(a, "atoi", NULL, SUM_LINK_EXTERNAL, 0);
    SumFunction *fb = sb_func(b, "atoi", NULL, SUM_LINK_EXTERNAL, 0);
    fa->loc = (SumLoc){"/usr/include/stdlib.h", 362, 1};
    fb->loc = (SumLoc){"/usr/include/stdlib.h", 362, 1};
    TuSummary *tus[] = {a, b};
    CallGraph *cg = NULL;
    assert_int_equal(cg_link(tus, 2, &cg), 0);
    assert_int_equal(cg->nfuncs, 1);
    assert_int_equal(cg->ndups, 0);
    cg_free(cg);
    sum_free(a);
    sum_free(b);
}

static void test_million_functions(void **state)
{
    (void)state;
    uint32_t n = 1000000;
    TuSummary *t = sb_tu("big.c", n);
    char name[32];
    for (uint32_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "f%u", i);
        SumFunction *f = sb_func(t, name, NULL, SUM_LINK_EXTERNAL, 1);
        snprintf(name, sizeof name, "f%u", i + 1 < n ? i + 1 : 0);
        sb_call(t, f, name, NULL, false);
    }
    TuSummary *tus[] = {t};
    CallGraph *cg = NULL;
    clock_t t0 = clock();
    assert_int_equal(cg_link(tus, 1, &cg), 0);
    print_message("linking 1,000,000 functions: %.3f s\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
    assert_int_equal(cg->nfuncs, n);
    assert_int_equal(cg->nedges, n);
    assert_int_equal(edge_callee(cg, n - 1, 0), 0);
    assert_int_equal(edge_callee(cg, 5, 0), 6);
    cg_free(cg);
    sum_free(t);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    TuSummary *a = sb_tu("a.c", 3);
    SumFunction *m = sb_func(a, "main", NULL, SUM_LINK_EXTERNAL, 2);
    sb_call(a, m, "f", NULL, false);
    sb_call(a, m, "printf", NULL, false);
    SumFunction *f = sb_func(a, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(a, f, "main", NULL, false);
    TuSummary *tus[] = {a};
    /* Fail each allocation in turn until linking succeeds. */
    int ok = 0;
    for (unsigned long k = 1; k < 200 && !ok; k++) {
        CallGraph *cg = NULL;
        mem_fail_after(k);
        int rc = cg_link(tus, 1, &cg);
        mem_fail_after(0);
        if (rc == 0) {
            ok = 1;
            cg_free(cg);
        } else {
            assert_int_equal(rc, -1);
            assert_null(cg);
        }
    }
    assert_true(ok);
    sum_free(a);
}

/* Edge kinds: direct and sole-target calls and one-name declarations are
 * certain; member, parameter and type inference and declarations of two or
 * more names are possible. */
static void test_certain_and_possible(void **state)
{
    (void)state;
    TuSummary *t = sb_tu("a.c", 8);
    SumFunction *m = sb_func(t, "m", NULL, SUM_LINK_EXTERNAL, 7);
    sb_func(t, "g", NULL, SUM_LINK_EXTERNAL, 0);
    sb_func(t, "h", NULL, SUM_LINK_EXTERNAL, 0);
    sb_call(t, m, "g", NULL, false);                                    /* 0: direct */
    SumCall *c = sb_icall(t, m, "ops->read", "void (void)");            /* 1: member */
    c->field = "struct ops.read";
    c = sb_icall(t, m, "p", "void (void)");                             /* 2: sole target */
    c->sole_usr = "c:@F@h";
    c->sole_name = "h";
    c = sb_icall(t, m, "q", "void (void)");                             /* 3: one declared */
    c->targets = "g";
    c = sb_icall(t, m, "r", "void (void)");                             /* 4: two declared */
    c->targets = "g,h";
    sb_icall(t, m, "s", "void (void)");                                 /* 5: by type */
    c = sb_icall(t, m, "u", "int (char)");                              /* 6: unresolved */
    t->nrefs = 3;
    t->refs = arena_alloc(&t->arena, 3 * sizeof *t->refs);
    t->refs[0] = (SumFnRef){"c:@F@g", "g", false, "void (void)", "struct ops.read"};
    t->refs[1] = (SumFnRef){"c:@F@g", "g", false, "void (void)", NULL};
    t->refs[2] = (SumFnRef){"c:@F@h", "h", false, "void (void)", NULL};
    TuSummary *tus[] = {t};
    CallGraph *cg = NULL;
    assert_int_equal(cg_link(tus, 1, &cg), 0);
    const CgFunc *fm = &cg->funcs[0];
    /* 0, 1, 2, 3, then two edges for 4 and for 5 (g and h), then 6. */
    assert_int_equal(fm->nedges, 9);
    static const struct {
        const char *callee;
        CgHow how;
        bool certain;
    } want[] = {{"g", CG_HOW_DIRECT, true},   {"g", CG_HOW_MEMBER, false},  {"h", CG_HOW_SOLE, true},
                {"g", CG_HOW_DECLARED, true}, {"g", CG_HOW_DECLARED, false}, {"h", CG_HOW_DECLARED, false},
                {"g", CG_HOW_TYPE, false},    {"h", CG_HOW_TYPE, false},    {NULL, CG_HOW_NONE, false}};
    for (uint32_t k = 0; k < fm->nedges; k++) {
        const CgEdge *e = &cg->edges[fm->edge_begin + k];
        if (want[k].callee)
            assert_string_equal(cg->funcs[e->callee].name, want[k].callee);
        else
            assert_int_equal(e->callee, CG_NONE);
        assert_int_equal(e->how, want[k].how);
        assert_int_equal(e->certain, want[k].certain);
    }
    cg_free(cg);
    sum_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_same_basename),
        cmocka_unit_test(test_external_across_tus_and_header_inline),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_header_extern_inline_not_duplicate),
        cmocka_unit_test(test_million_functions),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_certain_and_possible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
