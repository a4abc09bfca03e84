/* Unit tests of the worst-case path computation through analyze_run: the
 * heaviest path that is not the longest, sibling max, statuses, depth
 * bounds, entries and reasons, budgets, a 1,000,000-function chain and an
 * allocation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "limits.h"

#include "core/analyze.h"
#include "sumbuild.h"
#include "util/mem.h"

typedef struct Run {
    TuSummary *tu;
    CallGraph *cg;
    Result *r;
} Run;

static void run(Run *x, const AnalysisOptions *extra)
{
    TuSummary *tus[] = {x->tu};
    assert_int_equal(cg_link(tus, 1, &x->cg), 0);
    AnalysisOptions o = {.target = target_default()};
    if (extra) {
        o = *extra;
        o.target = target_default();
    }
    assert_int_equal(analyze_run(x->cg, &o, &x->r), 0);
}

static void done(Run *x)
{
    result_free(x->r);
    cg_free(x->cg);
    sum_free(x->tu);
}

static const FuncResult *fres(const Run *x, const char *name)
{
    uint32_t i = cg_find_by_name(x->cg, name);
    assert_int_not_equal(i, CG_NONE);
    return &x->r->funcs[i];
}

static const EntryResult *entry(const Run *x, const char *name)
{
    for (size_t i = 0; i < x->r->nentries; i++)
        if (strcmp(x->cg->funcs[x->r->entries[i].func].name, name) == 0)
            return &x->r->entries[i];
    fail_msg("no entry %s", name);
    return NULL;
}

static size_t count_rule(const Run *x, RuleId rule)
{
    size_t n = 0;
    for (size_t i = 0; i < x->r->nfindings; i++)
        n += x->r->findings[i].rule == rule;
    return n;
}

static void test_heaviest_not_longest(void **state)
{
    (void)state;
    /* main -> a -> b -> c -> d (small frames), main -> big (4000-byte local). */
    Run x = {sb_tu("p.c", 8), NULL, NULL};
    SumFunction *m = sb_func(x.tu, "main", NULL, SUM_LINK_EXTERNAL, 2);
    sb_call(x.tu, m, "a", NULL, false);
    sb_call(x.tu, m, "big", NULL, false);
    const char *chain[] = {"a", "b", "c", "d"};
    for (int i = 0; i < 4; i++) {
        SumFunction *f = sb_func(x.tu, chain[i], NULL, SUM_LINK_EXTERNAL, 1);
        if (i < 3)
            sb_call(x.tu, f, chain[i + 1], NULL, false);
    }
    SumFunction *big = sb_func(x.tu, "big", NULL, SUM_LINK_EXTERNAL, 0);
    sb_local(x.tu, big, "buf", 4000, 1, false);
    run(&x, NULL);
    const FuncResult *fm = fres(&x, "main"), *fb = fres(&x, "big");
    assert_int_equal(fm->next, cg_find_by_name(x.cg, "big"));
    assert_int_equal(fm->max_stack, fm->frame + fb->frame);
    assert_int_equal(fm->status, BOUND_ESTIMATED);
    /* sibling max, not sum */
    uint64_t chain_sum = 0;
    for (int i = 0; i < 4; i++)
        chain_sum += fres(&x, chain[i])->frame;
    assert_true(fm->max_stack < fm->frame + fb->frame + chain_sum);
    assert_int_equal(x.r->nentries, 1);
    const EntryResult *e = entry(&x, "main");
    assert_int_equal(e->kind, ENTRY_MAIN);
    assert_int_equal(e->bytes, fm->max_stack);
    PathStep steps[SC_MAX_PATH_STEPS];
    assert_int_equal(result_entry_path(x.r, e, steps), 2);
    assert_null(e->path); /* not stored: followed on demand */
    assert_int_equal(steps[0].call.line, 0);
    assert_int_equal(steps[1].func, cg_find_by_name(x.cg, "big"));
    assert_int_equal(steps[1].call.line, m->calls[1].loc.line);
    assert_false(steps[1].repeat);
    assert_int_equal(e->nreasons, 0);
    done(&x);
}

static void test_statuses(void **state)
{
    (void)state;
    /* ext calls printf (unknown); ind calls through a pointer; dyn has a VLA;
     * rec recurses; cfg calls memcpy (configured). Each is a root. */
    Run x = {sb_tu("s.c", 8), NULL, NULL};
    SumFunction *ext = sb_func(x.tu, "ext", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, ext, "printf", NULL, false);
    SumFunction *ind = sb_func(x.tu, "ind", NULL, SUM_LINK_EXTERNAL, 1);
    sb_icall(x.tu, ind, "ops->read", "int (int)");
    SumFunction *dyn = sb_func(x.tu, "dyn", NULL, SUM_LINK_EXTERNAL, 0);
    sb_local(x.tu, dyn, "v", 0, 4, true);
    sb_local(x.tu, dyn, "k", 64, 4, false);
    SumFunction *rec = sb_func(x.tu, "rec", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, rec, "rec", NULL, false);
    SumFunction *cfg = sb_func(x.tu, "cfg", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, cfg, "memcpy", NULL, false);
    NamedBytes exts[] = {{"mem*", 48}};
    AnalysisOptions o = {.externals = exts, .nexternals = 1};
    run(&x, &o);
    assert_int_equal(fres(&x, "ext")->status, BOUND_INCOMPLETE);
    assert_int_equal(fres(&x, "printf")->frame_src, FRAME_SRC_UNKNOWN);
    assert_int_equal(fres(&x, "ind")->status, BOUND_INCOMPLETE);
    assert_int_equal(fres(&x, "dyn")->status, BOUND_UNBOUNDED);
    assert_true(fres(&x, "dyn")->dynamic);
    assert_true(fres(&x, "dyn")->frame >= 80);
    assert_int_equal(fres(&x, "rec")->status, BOUND_UNBOUNDED);
    assert_int_equal(fres(&x, "rec")->max_stack, fres(&x, "rec")->frame);
    assert_true(fres(&x, "rec")->recursive);
    assert_int_equal(fres(&x, "cfg")->status, BOUND_ESTIMATED);
    assert_int_equal(fres(&x, "memcpy")->frame_src, FRAME_SRC_CONFIG);
    assert_int_equal(fres(&x, "cfg")->max_stack, fres(&x, "cfg")->frame + 48);
    assert_int_equal(x.r->nentries, 5);
    const EntryResult *e = entry(&x, "ext");
    assert_int_equal(e->nreasons, 1);
    /* Each reason keeps its old wording, with its kind and what settles it. */
    assert_string_equal(e->reasons[0]->text, "'printf' has no known stack cost");
    assert_int_equal(e->reasons[0]->kind, REASON_EXTERNAL);
    assert_non_null(strstr(e->reasons[0]->fix, "\"externals\": {\"printf\": BYTES} in stackcheck.json"));
    const BoundReason *ri = entry(&x, "ind")->reasons[0];
    assert_string_equal(ri->text, "unresolved indirect call in 'ind'");
    assert_int_equal(ri->kind, REASON_INDIRECT);
    /* The call's own place: s.c, line 100 x ind's line + its index. */
    char want[160];
    unsigned line = ind->calls[0].loc.line;
    snprintf(want, sizeof want, "// stackcheck: targets(f, g) on the call's line s.c:%u, or \"indirect\": "
             "{\"s.c:%u\": [\"f\", \"g\"]}", line, line);
    assert_non_null(strstr(ri->fix, want));
    assert_null(strstr(ri->fix, "other unresolved")); /* its only one */
    const BoundReason *rd = entry(&x, "dyn")->reasons[0];
    assert_string_equal(rd->text, "dynamic frame in 'dyn'");
    assert_int_equal(rd->kind, REASON_DYNAMIC);
    assert_non_null(strstr(rd->fix, "no config key bounds a dynamic frame"));
    const BoundReason *rr = entry(&x, "rec")->reasons[0];
    assert_string_equal(rr->text, "recursion in 'rec' (no depth bound)");
    assert_int_equal(rr->kind, REASON_RECURSION);
    assert_non_null(strstr(rr->fix, "\"max_depth\": {\"rec\": N} in stackcheck.json"));
    assert_non_null(strstr(rr->fix, "annotate(\"stackcheck:max_depth=N\")"));
    /* The run's list: each reason once. */
    assert_int_equal(x.r->nreasons, 4);
    for (size_t i = 0; i < x.r->nreasons; i++)
        for (size_t k = i + 1; k < x.r->nreasons; k++)
            assert_ptr_not_equal(x.r->reasons[i], x.r->reasons[k]);
    /* The causes' own findings carry the same fixes. */
    for (size_t i = 0; i < x.r->nfindings; i++) {
        const Finding *fd = &x.r->findings[i];
        if (fd->rule == RULE_UNKNOWN_STACK_COST)
            assert_string_equal(fd->fix, e->reasons[0]->fix);
        else if (fd->rule == RULE_DYNAMIC_FRAME)
            assert_string_equal(fd->fix, rd->fix);
        else if (fd->rule == RULE_UNRESOLVED_INDIRECT)
            assert_string_equal(fd->fix, ri->fix);
        else
            assert_null(fd->fix);
    }
    assert_int_equal(entry(&x, "rec")->npath, 2); /* rec -> rec, then stop */
    PathStep rs[SC_MAX_PATH_STEPS];
    assert_int_equal(result_entry_path(x.r, entry(&x, "rec"), rs), 2);
    assert_false(rs[0].repeat);
    assert_true(rs[1].repeat); /* the cycle closes: not counted again */
    assert_int_equal(rs[1].frame, 0);
    assert_int_equal(rs[1].func, rs[0].func);
    assert_int_equal(count_rule(&x, RULE_UNKNOWN_STACK_COST), 1);
    assert_int_equal(count_rule(&x, RULE_UNRESOLVED_INDIRECT), 1);
    assert_int_equal(count_rule(&x, RULE_DYNAMIC_FRAME), 1);
    assert_int_equal(count_rule(&x, RULE_UNBOUNDED_STACK), 2);
    assert_int_equal(count_rule(&x, RULE_RECURSION), 1);
    /* entries sorted by bytes, largest first */
    for (size_t i = 1; i < x.r->nentries; i++)
        assert_true(x.r->entries[i - 1].bytes >= x.r->entries[i].bytes);
    done(&x);
}

static void test_depth_bound_and_budget(void **state)
{
    (void)state;
    /* main -> f <-> g, g -> leaf; max_depth 10 on f from the options. */
    Run x = {sb_tu("d.c", 4), NULL, NULL};
    SumFunction *m = sb_func(x.tu, "main", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, m, "f", NULL, false);
    SumFunction *f = sb_func(x.tu, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, f, "g", NULL, false);
    SumFunction *g = sb_func(x.tu, "g", NULL, SUM_LINK_EXTERNAL, 2);
    sb_call(x.tu, g, "f", NULL, false);
    sb_call(x.tu, g, "leaf", NULL, false);
    SumFunction *leaf = sb_func(x.tu, "leaf", NULL, SUM_LINK_EXTERNAL, 0);
    sb_local(x.tu, leaf, "b", 200, 1, false);
    NamedBytes depth[] = {{"f", 10}};
    NamedBytes budgets[] = {{"other", 1}, {NULL, 100}};
    AnalysisOptions o = {.max_depth = depth, .nmax_depth = 1, .budgets = budgets, .nbudgets = 2};
    run(&x, &o);
    const FuncResult *ff = fres(&x, "f"), *fg = fres(&x, "g"), *fl = fres(&x, "leaf");
    assert_int_equal(ff->status, BOUND_ESTIMATED);
    assert_int_equal(ff->max_stack, 10 * (ff->frame + fg->frame) + fl->max_stack);
    const FuncResult *fm = fres(&x, "main");
    assert_int_equal(fm->max_stack, fm->frame + ff->max_stack);
    assert_int_equal(x.r->nentries, 1);
    const EntryResult *e = entry(&x, "main");
    assert_true(e->has_budget);
    assert_int_equal(e->budget, 100);
    assert_int_equal(count_rule(&x, RULE_BUDGET_EXCEEDED), 1);
    assert_int_equal(count_rule(&x, RULE_RECURSION), 1); /* one finding per cycle */
    assert_true(ff->recursive && fg->recursive && ff->recursion_certain && fg->recursion_certain);
    assert_int_equal(count_rule(&x, RULE_UNBOUNDED_STACK), 0);
    /* path main -> f -> g -> f, the cycle shown once */
    assert_int_equal(e->npath, 4);
    done(&x);

    /* The same through the annotation, and without any bound. */
    x = (Run){sb_tu("d.c", 4), NULL, NULL};
    m = sb_func(x.tu, "main", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, m, "f", NULL, false);
    f = sb_func(x.tu, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, f, "f", NULL, false);
    f->max_depth = 3;
    run(&x, NULL);
    assert_int_equal(fres(&x, "f")->max_stack, 3 * fres(&x, "f")->frame);
    assert_int_equal(entry(&x, "main")->status, BOUND_ESTIMATED);
    done(&x);
}

static const Finding *only_finding(const Run *x, RuleId rule)
{
    const Finding *f = NULL;
    for (size_t i = 0; i < x->r->nfindings; i++) {
        if (x->r->findings[i].rule != rule)
            continue;
        assert_null(f);
        f = &x->r->findings[i];
    }
    return f;
}

/* main -> lib (no source) and, when `rec`, main -> walk -> walk. */
static void budget_run(Run *x, bool rec, const AnalysisOptions *o)
{
    *x = (Run){sb_tu("b.c", 4), NULL, NULL};
    SumFunction *m = sb_func(x->tu, "main", NULL, SUM_LINK_EXTERNAL, 2);
    sb_local(x->tu, m, "buf", 64, 1, false);
    sb_call(x->tu, m, "lib", NULL, false);
    if (rec) {
        sb_call(x->tu, m, "walk", NULL, false);
        SumFunction *w = sb_func(x->tu, "walk", NULL, SUM_LINK_EXTERNAL, 1);
        sb_call(x->tu, w, "walk", NULL, false);
    }
    run(x, o);
}

static void test_budget_states(void **state)
{
    (void)state;
    NamedBytes roomy[] = {{NULL, 100000}}, tight[] = {{NULL, 8}}, lib[] = {{"lib", 32}};
    Run x;

    /* Incomplete under the budget: unverified, a warning naming the
     * reason and its fix; not budget-exceeded. */
    budget_run(&x, false, &(AnalysisOptions){.budgets = roomy, .nbudgets = 1});
    const EntryResult *e = entry(&x, "main");
    assert_int_equal(e->status, BOUND_INCOMPLETE);
    assert_int_equal(e->budget_state, BUDGET_UNVERIFIED);
    const Finding *f = only_finding(&x, RULE_BUDGET_UNVERIFIED);
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_int_equal(f->entry, 1); /* entries[0] */
    assert_non_null(strstr(f->message, "'main' fits its budget of 100000 only as far as known"));
    assert_non_null(strstr(f->message, "(incomplete): 'lib' has no known stack cost (settle: \"externals\": "
                                       "{\"lib\": BYTES} in stackcheck.json"));
    assert_null(only_finding(&x, RULE_BUDGET_EXCEEDED));
    done(&x);

    /* The same with lib's cost configured: an upper bound, so it fits. */
    budget_run(&x, false, &(AnalysisOptions){.budgets = roomy, .nbudgets = 1, .externals = lib, .nexternals = 1});
    e = entry(&x, "main");
    assert_int_equal(e->status, BOUND_ESTIMATED);
    assert_int_equal(e->budget_state, BUDGET_FITS);
    assert_null(only_finding(&x, RULE_BUDGET_UNVERIFIED));
    assert_null(only_finding(&x, RULE_BUDGET_EXCEEDED));
    done(&x);

    /* Unbounded (recursion) under the budget: unverified too, both
     * reasons with their fixes. */
    budget_run(&x, true, &(AnalysisOptions){.budgets = roomy, .nbudgets = 1});
    e = entry(&x, "main");
    assert_int_equal(e->status, BOUND_UNBOUNDED);
    assert_int_equal(e->budget_state, BUDGET_UNVERIFIED);
    f = only_finding(&x, RULE_BUDGET_UNVERIFIED);
    assert_non_null(f);
    assert_non_null(strstr(f->message, "lower bound (unbounded)"));
    assert_non_null(strstr(f->message, "recursion in 'walk' (no depth bound) (settle: \"max_depth\": {\"walk\": N}"));
    assert_non_null(strstr(f->message, "'lib' has no known stack cost (settle: "));
    assert_null(only_finding(&x, RULE_BUDGET_EXCEEDED));
    done(&x);

    /* Over the budget even as a lower bound: exceeded only. */
    budget_run(&x, true, &(AnalysisOptions){.budgets = tight, .nbudgets = 1});
    e = entry(&x, "main");
    assert_int_equal(e->budget_state, BUDGET_EXCEEDS);
    f = only_finding(&x, RULE_BUDGET_EXCEEDED);
    assert_non_null(f);
    assert_non_null(strstr(f->message, "needs at least "));
    assert_null(only_finding(&x, RULE_BUDGET_UNVERIFIED));
    done(&x);

    /* The config's stack_size: a total that fits but has an incomplete
     * entry in it is unverified; with lib's cost it fits. */
    budget_run(&x, false, &(AnalysisOptions){.stack_size = 100000, .interrupt_nesting = 1});
    assert_int_equal(x.r->stack_state, BUDGET_UNVERIFIED);
    f = only_finding(&x, RULE_BUDGET_UNVERIFIED);
    assert_non_null(f);
    assert_non_null(strstr(f->message, "the stack fits its size of 100000 only as far as known"));
    assert_non_null(strstr(f->message, "'main' is incomplete: 'lib' has no known stack cost (settle: "));
    assert_int_equal(entry(&x, "main")->budget_state, BUDGET_NONE);
    done(&x);
    budget_run(&x, false, &(AnalysisOptions){.stack_size = 100000, .externals = lib, .nexternals = 1});
    assert_int_equal(x.r->stack_state, BUDGET_FITS);
    assert_null(only_finding(&x, RULE_BUDGET_UNVERIFIED));
    done(&x);
    budget_run(&x, false, &(AnalysisOptions){.stack_size = 8});
    assert_int_equal(x.r->stack_state, BUDGET_EXCEEDS);
    assert_non_null(only_finding(&x, RULE_BUDGET_EXCEEDED));
    assert_null(only_finding(&x, RULE_BUDGET_UNVERIFIED));
    done(&x);
}

static void test_reason_names_member_reached(void **state)
{
    (void)state;
    /* f <-> g; e1 -> f and e2 -> g: each entry's reason names the member it
     * reaches first (as before reasons were shared), and a third entry
     * reaching f shares e1's reason. */
    Run x = {sb_tu("m.c", 5), NULL, NULL};
    SumFunction *f = sb_func(x.tu, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, f, "g", NULL, false);
    SumFunction *g = sb_func(x.tu, "g", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, g, "f", NULL, false);
    SumFunction *e1 = sb_func(x.tu, "e1", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, e1, "f", NULL, false);
    SumFunction *e2 = sb_func(x.tu, "e2", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, e2, "g", NULL, false);
    SumFunction *e3 = sb_func(x.tu, "e3", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, e3, "f", NULL, false);
    run(&x, NULL);
    assert_string_equal(entry(&x, "e1")->reasons[0]->text, "recursion in 'f' (no depth bound)");
    assert_string_equal(entry(&x, "e2")->reasons[0]->text, "recursion in 'g' (no depth bound)");
    assert_non_null(strstr(entry(&x, "e2")->reasons[0]->fix, "\"max_depth\": {\"g\": N}"));
    assert_ptr_equal(entry(&x, "e3")->reasons[0], entry(&x, "e1")->reasons[0]);
    assert_int_equal(x.r->nreasons, 2);
    done(&x);
}

static void test_entries_and_incomplete_inputs(void **state)
{
    (void)state;
    Run x = {sb_tu("e.c", 4), NULL, NULL};
    SumFunction *m = sb_func(x.tu, "main", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, m, "h", NULL, false);
    sb_func(x.tu, "h", NULL, SUM_LINK_EXTERNAL, 0);
    sb_func(x.tu, "isr", NULL, SUM_LINK_EXTERNAL, 0);
    const char *extra[] = {"h", "unknown_name"};
    AnalysisOptions o = {.entries = extra, .nentries = 2, .incomplete_inputs = true};
    run(&x, &o);
    assert_int_equal(x.r->nentries, 3);
    assert_int_equal(entry(&x, "h")->kind, ENTRY_USER);
    assert_int_equal(entry(&x, "isr")->kind, ENTRY_ROOT);
    assert_int_equal(entry(&x, "main")->status, BOUND_INCOMPLETE);
    assert_string_equal(entry(&x, "main")->reasons[0]->text, "some input files were not analyzed");
    assert_int_equal(entry(&x, "main")->reasons[0]->kind, REASON_INPUTS);
    assert_non_null(strstr(entry(&x, "main")->reasons[0]->fix, "parse-error"));
    /* Shared by every entry: one reason, one note. */
    assert_ptr_equal(entry(&x, "isr")->reasons[0], entry(&x, "main")->reasons[0]);
    assert_int_equal(x.r->nreasons, 1);
    assert_string_equal(x.cg->funcs[x.r->entries[0].func].name, "main");
    done(&x);
}

static void test_empty_and_duplicates(void **state)
{
    (void)state;
    Run x = {sb_tu("empty.c", 0), NULL, NULL};
    run(&x, NULL);
    assert_int_equal(x.r->nentries, 0);
    assert_int_equal(x.r->nfindings, 0);
    done(&x);

    TuSummary *a = sb_tu("a.c", 1), *b = sb_tu("b.c", 1);
    sb_func(a, "f", NULL, SUM_LINK_EXTERNAL, 0);
    sb_func(b, "f", NULL, SUM_LINK_EXTERNAL, 0);
    TuSummary *tus[] = {a, b};
    CallGraph *cg = NULL;
    Result *r = NULL;
    assert_int_equal(cg_link(tus, 2, &cg), 0);
    AnalysisOptions o = {.target = target_default()};
    assert_int_equal(analyze_run(cg, &o, &r), 0);
    assert_int_equal(r->nfindings, 1);
    assert_int_equal(r->findings[0].rule, RULE_DUPLICATE_DEFINITION);
    assert_string_equal(r->findings[0].loc.file, "b.c");
    assert_int_equal(r->findings[0].nrelated, 1);
    assert_string_equal(r->findings[0].related[0].loc.file, "a.c");
    result_free(r);
    cg_free(cg);
    sum_free(a);
    sum_free(b);
}

static void test_million_chain(void **state)
{
    (void)state;
    uint32_t n = 1000000;
    Run x = {sb_tu("big.c", n), NULL, NULL};
    char name[32];
    for (uint32_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "f%u", i);
        SumFunction *f = sb_func(x.tu, name, NULL, SUM_LINK_EXTERNAL, 1);
        if (i + 1 < n) {
            snprintf(name, sizeof name, "f%u", i + 1);
            sb_call(x.tu, f, name, NULL, false);
        }
    }
    clock_t t0 = clock();
    run(&x, NULL);
    print_message("link + analyze of a 1,000,000-function chain: %.3f s\n",
                  (double)(clock() - t0) / CLOCKS_PER_SEC);
    assert_int_equal(x.r->nentries, 1);
    const EntryResult *e = &x.r->entries[0];
    /* The bound covers the whole chain; the path keeps its first steps. */
    assert_int_equal(e->npath, SC_MAX_PATH_STEPS);
    PathStep steps[SC_MAX_PATH_STEPS];
    assert_int_equal(result_entry_path(x.r, e, steps), SC_MAX_PATH_STEPS);
    assert_true(e->path_truncated);
    assert_int_equal(x.r->funcs[steps[SC_MAX_PATH_STEPS - 1].func].next,
                     steps[SC_MAX_PATH_STEPS - 1].func + 1);
    assert_int_equal(e->status, BOUND_ESTIMATED);
    /* every frame is 32 bytes: return address + saved rbp, and one slot
     * for the -O0 temporary of its one call, rounded to 16 (the last
     * function, a leaf, is 16) */
    assert_int_equal(e->bytes, (uint64_t)(n - 1) * 32 + 16);
    done(&x);
}

static void test_million_cycle(void **state)
{
    (void)state;
    /* f0 -> f1 -> ... -> f999999 -> f0, entered from main: no quadratic
     * chain search, no deep recursion. */
    uint32_t n = 1000000;
    Run x = {sb_tu("cyc.c", n + 1), NULL, NULL};
    char name[32];
    SumFunction *m = sb_func(x.tu, "main", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, m, "f0", NULL, false);
    for (uint32_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "f%u", i);
        SumFunction *f = sb_func(x.tu, name, NULL, SUM_LINK_EXTERNAL, 1);
        snprintf(name, sizeof name, "f%u", (i + 1) % n);
        sb_call(x.tu, f, name, NULL, false);
    }
    clock_t t0 = clock();
    run(&x, NULL);
    print_message("link + analyze of a 1,000,000-function cycle: %.3f s\n",
                  (double)(clock() - t0) / CLOCKS_PER_SEC);
    assert_int_equal(x.r->nentries, 1);
    assert_int_equal(x.r->entries[0].status, BOUND_UNBOUNDED);
    assert_int_equal(count_rule(&x, RULE_RECURSION), 1); /* one finding per cycle */
    assert_true(fres(&x, "f5")->recursive);
    assert_true(fres(&x, "f999999")->recursion_certain);
    done(&x);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    Run x = {sb_tu("a.c", 4), NULL, NULL};
    SumFunction *m = sb_func(x.tu, "main", NULL, SUM_LINK_EXTERNAL, 3);
    sb_call(x.tu, m, "f", NULL, false);
    sb_call(x.tu, m, "printf", NULL, false);
    sb_icall(x.tu, m, "p", "void (void)");
    SumFunction *f = sb_func(x.tu, "f", NULL, SUM_LINK_EXTERNAL, 1);
    sb_call(x.tu, f, "f", NULL, false);
    TuSummary *tus[] = {x.tu};
    assert_int_equal(cg_link(tus, 1, &x.cg), 0);
    NamedBytes budgets[] = {{NULL, 10}};
    AnalysisOptions o = {.target = target_default(), .budgets = budgets, .nbudgets = 1};
    int ok = 0;
    for (unsigned long k = 1; k < 400 && !ok; k++) {
        Result *r = NULL;
        mem_fail_after(k);
        int rc = analyze_run(x.cg, &o, &r);
        mem_fail_after(0);
        if (rc == 0) {
            ok = 1;
            x.r = r;
        } else {
            assert_int_equal(rc, -1);
            assert_null(r);
        }
    }
    assert_true(ok);
    done(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heaviest_not_longest),
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_depth_bound_and_budget),
        cmocka_unit_test(test_budget_states),
        cmocka_unit_test(test_reason_names_member_reached),
        cmocka_unit_test(test_entries_and_incomplete_inputs),
        cmocka_unit_test(test_empty_and_duplicates),
        cmocka_unit_test(test_million_chain),
        cmocka_unit_test(test_million_cycle),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
