/* Unit tests of the iterative Tarjan SCC computation: small graphs, and a
 * 1,000,000-node chain and cycle that would overflow a recursive version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "core/analyze.h"
#include "core/graph.h"
#include "util/mem.h"

/* Builds a bare graph of n nodes from (caller, callee) pairs sorted by caller. */
static CallGraph *make_graph(uint32_t n, const uint32_t (*pairs)[2], uint32_t npairs)
{
    CallGraph *cg = calloc(1, sizeof *cg);
    cg->funcs = calloc(n ? n : 1, sizeof *cg->funcs);
    cg->edges = calloc(npairs ? npairs : 1, sizeof *cg->edges);
    cg->nfuncs = n;
    cg->nedges = npairs;
    uint32_t k = 0;
    for (uint32_t f = 0; f < n; f++) {
        cg->funcs[f].name = "f";
        cg->funcs[f].edge_begin = k;
        while (k < npairs && pairs[k][0] == f) {
            cg->edges[k] = (CgEdge){f, pairs[k][1], NULL, CG_HOW_DIRECT, true};
            k++;
        }
        cg->funcs[f].nedges = k - cg->funcs[f].edge_begin;
    }
    return cg;
}

static void free_graph(CallGraph *cg)
{
    free(cg->funcs);
    free(cg->edges);
    free(cg);
}

/* Checks that every edge goes to an SCC id <= its caller's (reverse topological). */
static void check_order(const CallGraph *cg, const uint32_t *scc)
{
    for (uint32_t e = 0; e < cg->nedges; e++)
        if (cg->edges[e].callee != CG_NONE)
            assert_true(scc[cg->edges[e].callee] <= scc[cg->edges[e].caller]);
}

static void test_dag(void **state)
{
    (void)state;
    /* 0 -> 1 -> 3, 0 -> 2 -> 3, 2 -> unresolved */
    static const uint32_t p[][2] = {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {2, CG_NONE}};
    CallGraph *cg = make_graph(4, p, 5);
    uint32_t scc[4];
    assert_int_equal(scc_compute(cg, scc), 4);
    check_order(cg, scc);
    assert_int_equal(scc[3], 0);
    assert_int_equal(scc[0], 3);
    free_graph(cg);
}

static void test_self_loop(void **state)
{
    (void)state;
    static const uint32_t p[][2] = {{0, 0}, {0, 1}};
    CallGraph *cg = make_graph(2, p, 2);
    uint32_t scc[2];
    assert_int_equal(scc_compute(cg, scc), 2);
    assert_int_not_equal(scc[0], scc[1]);
    check_order(cg, scc);
    free_graph(cg);
}

static void test_cycles(void **state)
{
    (void)state;
    /* 0 <-> 1 (2-cycle), 1 -> 2 -> 3 -> 4 -> 2 (3-cycle), 4 -> 5 */
    static const uint32_t p[][2] = {{0, 1}, {1, 0}, {1, 2}, {2, 3}, {3, 4}, {4, 2}, {4, 5}};
    CallGraph *cg = make_graph(6, p, 7);
    uint32_t scc[6];
    assert_int_equal(scc_compute(cg, scc), 3);
    assert_int_equal(scc[0], scc[1]);
    assert_int_equal(scc[2], scc[3]);
    assert_int_equal(scc[3], scc[4]);
    assert_int_not_equal(scc[0], scc[2]);
    assert_int_equal(scc[5], 0);
    check_order(cg, scc);
    free_graph(cg);
}

static void test_nested(void **state)
{
    (void)state;
    /* An outer cycle 0 -> 1 -> 2 -> 0 containing an inner 1 <-> 2, plus a
     * separate cycle 3 <-> 4 called from 2. */
    static const uint32_t p[][2] = {{0, 1}, {1, 2}, {2, 0}, {2, 1}, {2, 3}, {3, 4}, {4, 3}};
    CallGraph *cg = make_graph(5, p, 7);
    uint32_t scc[5];
    assert_int_equal(scc_compute(cg, scc), 2);
    assert_int_equal(scc[0], scc[1]);
    assert_int_equal(scc[1], scc[2]);
    assert_int_equal(scc[3], scc[4]);
    assert_int_equal(scc[3], 0);
    free_graph(cg);
}

static double seconds(void) { return (double)clock() / CLOCKS_PER_SEC; }

static void test_million_chain(void **state)
{
    (void)state;
    uint32_t n = 1000000;
    uint32_t (*p)[2] = malloc((size_t)(n - 1) * sizeof *p);
    for (uint32_t i = 0; i + 1 < n; i++) {
        p[i][0] = i;
        p[i][1] = i + 1;
    }
    CallGraph *cg = make_graph(n, (const uint32_t(*)[2])p, n - 1);
    uint32_t *scc = malloc(n * sizeof *scc);
    double t0 = seconds();
    assert_int_equal(scc_compute(cg, scc), n);
    print_message("1,000,000-node chain: %.3f s\n", seconds() - t0);
    assert_int_equal(scc[n - 1], 0);
    assert_int_equal(scc[0], n - 1);
    free(scc);
    free(p);
    free_graph(cg);
}

static void test_million_cycle(void **state)
{
    (void)state;
    uint32_t n = 1000000;
    uint32_t (*p)[2] = malloc((size_t)n * sizeof *p);
    for (uint32_t i = 0; i < n; i++) {
        p[i][0] = i;
        p[i][1] = (i + 1) % n;
    }
    CallGraph *cg = make_graph(n, (const uint32_t(*)[2])p, n);
    uint32_t *scc = malloc(n * sizeof *scc);
    double t0 = seconds();
    assert_int_equal(scc_compute(cg, scc), 1);
    print_message("1,000,000-node cycle: %.3f s\n", seconds() - t0);
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(scc[i], 0);
    free(scc);
    free(p);
    free_graph(cg);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    static const uint32_t p[][2] = {{0, 1}, {1, 0}};
    CallGraph *cg = make_graph(2, p, 2);
    uint32_t scc[2];
    mem_fail_after(2);
    assert_int_equal(scc_compute(cg, scc), -1);
    mem_fail_after(0);
    free_graph(cg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dag),           cmocka_unit_test(test_self_loop),
        cmocka_unit_test(test_cycles),        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_million_chain), cmocka_unit_test(test_million_cycle),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
