/* This file matches names against NamedBytes patterns and checks each
 * entry point's worst case against its stack budget. */
#include <fnmatch.h>

#include "core/core_int.h"

const NamedBytes *budget_match(const NamedBytes *list, size_t n, const char *name)
{
    const NamedBytes *dflt = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!list[i].pattern) {
            if (!dflt)
                dflt = &list[i];
            continue;
        }
        if (name && fnmatch(list[i].pattern, name, 0) == 0)
            return &list[i];
    }
    return dflt;
}

int budget_check(const AnalysisOptions *opt, Result *r)
{
    const CallGraph *cg = r->cg;
    for (size_t i = 0; i < r->nentries; i++) {
        EntryResult *e = &r->entries[i];
        const CgFunc *f = &cg->funcs[e->func];
        const NamedBytes *b = budget_match(opt->budgets, opt->nbudgets, f->name);
        if (!b)
            continue;
        e->has_budget = true;
        e->budget = b->value;
        Finding *x = NULL;
        if (e->status == BOUND_UNBOUNDED) {
            x = result_add_finding(r, RULE_BUDGET_EXCEEDED, f->name, f->loc, NULL, 0,
                                   "'%s' has no finite stack bound (at least %llu bytes), so it "
                                   "cannot be shown to fit its budget of %llu",
                                   f->name, (unsigned long long)e->bytes,
                                   (unsigned long long)b->value);
        } else if (e->bytes > b->value) {
            x = result_add_finding(r, RULE_BUDGET_EXCEEDED, f->name, f->loc, NULL, 0,
                                   "'%s' needs %s%llu bytes of stack, over its budget of %llu "
                                   "(by %llu bytes)",
                                   f->name, e->status == BOUND_INCOMPLETE ? "at least " : "",
                                   (unsigned long long)e->bytes, (unsigned long long)b->value,
                                   (unsigned long long)(e->bytes - b->value));
        } else {
            continue;
        }
        if (!x)
            return -1;
    }
    return 0;
}
