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

/* The combined check: worst task entry + nesting x worst interrupt entry
 * + exception frame <= stack_size (config). */
static int stack_check(const AnalysisOptions *opt, Result *r)
{
    r->stack_task_entry = r->stack_irq_entry = UINT32_MAX;
    if (opt->stack_size == 0)
        return 0;
    const CallGraph *cg = r->cg;
    bool unbounded = false;
    r->stack_status = BOUND_EXACT;
    for (size_t i = 0; i < r->nentries; i++) {
        const EntryResult *e = &r->entries[i];
        uint32_t *best = e->kind == ENTRY_INTERRUPT ? &r->stack_irq_entry : &r->stack_task_entry;
        if (*best == UINT32_MAX || e->bytes > r->entries[*best].bytes)
            *best = (uint32_t)i;
        unbounded = unbounded || e->status == BOUND_UNBOUNDED;
        r->stack_status = bound_worse(r->stack_status, e->status);
    }
    r->has_stack_check = true;
    r->stack_size = opt->stack_size;
    r->stack_nesting = opt->interrupt_nesting;
    r->stack_exception = opt->exception_frame;
    r->stack_task = r->stack_task_entry == UINT32_MAX ? 0 : r->entries[r->stack_task_entry].bytes;
    r->stack_irq = r->stack_irq_entry == UINT32_MAX ? 0 : r->entries[r->stack_irq_entry].bytes;
    uint64_t irq = 0, total = r->stack_task;
    if (r->stack_irq && r->stack_nesting > UINT64_MAX / r->stack_irq)
        irq = UINT64_MAX;
    else
        irq = r->stack_irq * r->stack_nesting;
    total = total > UINT64_MAX - irq ? UINT64_MAX : total + irq;
    total = total > UINT64_MAX - r->stack_exception ? UINT64_MAX : total + r->stack_exception;
    r->stack_total = total;
    if (total <= opt->stack_size && !unbounded)
        return 0;
    uint32_t at = r->stack_task_entry != UINT32_MAX ? r->stack_task_entry : r->stack_irq_entry;
    if (at == UINT32_MAX)
        return 0;
    const CgFunc *f = &cg->funcs[r->entries[at].func];
    const char *taskname = r->stack_task_entry == UINT32_MAX ? "none" : f->name;
    const char *irqname = r->stack_irq_entry == UINT32_MAX
                              ? "none" : cg->funcs[r->entries[r->stack_irq_entry].func].name;
    Finding *x = result_add_finding(
        r, RULE_BUDGET_EXCEEDED, f->name, f->loc, NULL, 0,
        "the stack needs %s%llu bytes, over its size of %llu: worst task '%s' %llu + %llu x "
        "worst interrupt '%s' %llu + exception frame %llu",
        r->stack_status >= BOUND_INCOMPLETE ? "at least " : "", (unsigned long long)total,
        (unsigned long long)opt->stack_size, taskname, (unsigned long long)r->stack_task,
        (unsigned long long)r->stack_nesting, irqname, (unsigned long long)r->stack_irq,
        (unsigned long long)r->stack_exception);
    return x ? 0 : -1;
}

int budget_check(const AnalysisOptions *opt, Result *r)
{
    if (stack_check(opt, r) != 0)
        return -1;
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
