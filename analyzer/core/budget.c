/* This file matches names against NamedBytes patterns and checks each
 * entry point's worst case against its stack budget: it fits (an upper
 * bound under the budget), exceeds (even a lower bound is over), or is
 * unverified (a lower bound under it: nothing proven). */
#include <fnmatch.h>

#include "core/core_int.h"
#include "util/mem.h"

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

/* Appends "REASON (settle: FIX)" for each reason of e not in `seen` (ids
 * already written; NULL: write all), joined by "; ". */
static void add_reasons(StrBuf *sb, const EntryResult *e, bool *seen, bool *first)
{
    for (uint32_t k = 0; k < e->nreasons; k++) {
        const BoundReason *b = e->reasons[k];
        if (seen && seen[b->id])
            continue;
        if (seen)
            seen[b->id] = true;
        sbuf_add(sb, "%s%s (settle: %s)", *first ? "" : "; ", b->text, b->fix);
        *first = false;
    }
}

/* The largest reason id of the run, plus one (a flag array's size). */
static size_t reason_ids(const Result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nreasons; i++)
        if (r->reasons[i]->id >= n)
            n = (size_t)r->reasons[i]->id + 1;
    return n;
}

/* A combined total that fits while some entry is a lower bound: that entry
 * may be the real worst task (or interrupt), so nothing is proven. The
 * finding is on the first such entry of the table, and names each. */
static int stack_unverified(const AnalysisOptions *opt, Result *r)
{
    const CallGraph *cg = r->cg;
    StrBuf sb;
    sbuf_init(&sb);
    int rc = -1;
    size_t nids = reason_ids(r);
    bool *seen = mem_calloc(nids ? nids : 1, sizeof *seen);
    if (!seen)
        goto done;
    uint32_t at = UINT32_MAX;
    bool first = true;
    for (size_t i = 0; i < r->nentries; i++) {
        const EntryResult *e = &r->entries[i];
        if (e->status < BOUND_INCOMPLETE)
            continue;
        if (at == UINT32_MAX)
            at = (uint32_t)i;
        sbuf_add(&sb, "%s'%s' is %s", at == i ? "" : ", ", cg->funcs[e->func].name,
                 bound_status_name(e->status));
    }
    if (at == UINT32_MAX) {
        rc = 0;
        goto done;
    }
    sbuf_add(&sb, ": ");
    for (size_t i = 0; i < r->nentries; i++)
        if (r->entries[i].status >= BOUND_INCOMPLETE)
            add_reasons(&sb, &r->entries[i], seen, &first);
    if (first)
        sbuf_add(&sb, "reasons not collected");
    if (sb.failed)
        goto done;
    const CgFunc *f = &cg->funcs[r->entries[at].func];
    Finding *x = result_add_finding(
        r, RULE_BUDGET_UNVERIFIED, f->name, f->loc, NULL, 0,
        "the stack fits its size of %llu only as far as known: the total, at least %llu bytes, is a "
        "lower bound because %s",
        (unsigned long long)opt->stack_size, (unsigned long long)r->stack_total, sbuf_str(&sb));
    if (!x)
        goto done;
    rc = 0;
done:
    mem_free(seen);
    sbuf_fini(&sb);
    return rc;
}

/* The combined check: worst task entry + nesting x worst interrupt entry
 * + exception frame <= stack_size (config). */
static int stack_check(const AnalysisOptions *opt, Result *r)
{
    r->stack_task_entry = r->stack_irq_entry = UINT32_MAX;
    if (opt->stack_size == 0)
        return 0;
    const CallGraph *cg = r->cg;
    r->stack_status = BOUND_EXACT;
    for (size_t i = 0; i < r->nentries; i++) {
        const EntryResult *e = &r->entries[i];
        uint32_t *best = e->kind == ENTRY_INTERRUPT ? &r->stack_irq_entry : &r->stack_task_entry;
        if (*best == UINT32_MAX || e->bytes > r->entries[*best].bytes)
            *best = (uint32_t)i;
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
    if (total <= opt->stack_size) {
        /* A total of lower bounds under the size proves nothing: an
         * incomplete or unbounded entry may be the real worst. */
        r->stack_state = r->stack_status >= BOUND_INCOMPLETE ? BUDGET_UNVERIFIED : BUDGET_FITS;
        return r->stack_state == BUDGET_UNVERIFIED ? stack_unverified(opt, r) : 0;
    }
    r->stack_state = BUDGET_EXCEEDS;
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
    StrBuf sb;
    sbuf_init(&sb);
    int rc = -1;
    for (size_t i = 0; i < r->nentries; i++) {
        EntryResult *e = &r->entries[i];
        const CgFunc *f = &cg->funcs[e->func];
        const NamedBytes *b = budget_match(opt->budgets, opt->nbudgets, f->name);
        if (!b)
            continue;
        e->has_budget = true;
        e->budget = b->value;
        Finding *x = NULL;
        if (e->bytes > b->value) {
            /* Over even as a lower bound: exceeded, whatever the status. */
            e->budget_state = BUDGET_EXCEEDS;
            x = result_add_finding(r, RULE_BUDGET_EXCEEDED, f->name, f->loc, NULL, 0,
                                   "'%s' needs %s%llu bytes of stack, over its budget of %llu "
                                   "(by %llu bytes)",
                                   f->name, e->status >= BOUND_INCOMPLETE ? "at least " : "",
                                   (unsigned long long)e->bytes, (unsigned long long)b->value,
                                   (unsigned long long)(e->bytes - b->value));
        } else if (e->status >= BOUND_INCOMPLETE) {
            /* Under the budget, but only as a lower bound: a gate that
             * passed here would pass on a guess. */
            e->budget_state = BUDGET_UNVERIFIED;
            sb.n = 0;
            bool first = true;
            add_reasons(&sb, e, NULL, &first);
            if (first)
                sbuf_add(&sb, "reasons not collected");
            if (sb.failed)
                goto done;
            x = result_add_finding(r, RULE_BUDGET_UNVERIFIED, f->name, f->loc, NULL, 0,
                                   "'%s' fits its budget of %llu only as far as known: %llu bytes is a "
                                   "lower bound (%s): %s",
                                   f->name, (unsigned long long)b->value, (unsigned long long)e->bytes,
                                   bound_status_name(e->status), sbuf_str(&sb));
        } else {
            e->budget_state = BUDGET_FITS;
            continue;
        }
        if (!x)
            goto done;
        x->entry = (uint32_t)i + 1;
    }
    rc = 0;
done:
    sbuf_fini(&sb);
    return rc;
}
