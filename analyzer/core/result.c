/* This file creates and frees results, appends findings to them, sorts the
 * findings, and names statuses and frame sources. */
#include "core/result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/vec.h"

Result *result_new(const CallGraph *cg, const Target *target)
{
    Result *r = mem_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    arena_init_pooled(&r->arena);
    r->cg = cg;
    r->target = target;
    if (cg && cg->nfuncs) {
        r->funcs = arena_alloc(&r->arena, (size_t)cg->nfuncs * sizeof *r->funcs);
        if (!r->funcs) {
            result_free(r);
            return NULL;
        }
        for (uint32_t i = 0; i < cg->nfuncs; i++) {
            r->funcs[i].next = CG_NONE;
            r->funcs[i].scc = i;
        }
    }
    return r;
}

void result_free(Result *r)
{
    if (!r)
        return;
    mem_free(r->findings);
    arena_fini(&r->arena);
    mem_free(r);
}

Finding *result_add_finding(Result *r, RuleId rule, const char *function, SumLoc loc,
                            const ResRelated *related, uint32_t nrelated, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = len >= 0 ? arena_alloc(&r->arena, (size_t)len + 1) : NULL;
    if (msg)
        vsnprintf(msg, (size_t)len + 1, fmt, ap2);
    va_end(ap2);
    if (!msg)
        return NULL;
    ResRelated *rel = NULL;
    if (nrelated) {
        rel = arena_memdup(&r->arena, related, nrelated, sizeof *related);
        if (!rel)
            return NULL;
    }
    Finding *f = VEC_PUSH(r->findings, r->nfindings, r->findings_cap);
    if (!f)
        return NULL;
    f->rule = rule;
    f->severity = rule < RULE_COUNT ? rule_table[rule].severity : SEV_ERROR;
    f->function = function;
    f->loc = loc;
    f->message = msg;
    f->nrelated = nrelated;
    f->related = rel;
    return f;
}

static int cmp_str(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_finding(const void *pa, const void *pb)
{
    const Finding *a = pa, *b = pb;
    int c = cmp_str(a->loc.file, b->loc.file);
    if (c)
        return c;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    if (a->rule != b->rule)
        return a->rule < b->rule ? -1 : 1;
    c = cmp_str(a->message, b->message);
    if (c)
        return c;
    return cmp_str(a->function, b->function);
}

void result_sort(Result *r)
{
    if (r->nfindings > 1)
        qsort(r->findings, r->nfindings, sizeof *r->findings, cmp_finding);
}

uint32_t result_entry_path(const Result *r, const EntryResult *e, PathStep *out)
{
    uint32_t n = e->npath;
    if (e->path) {
        memcpy(out, e->path, (size_t)n * sizeof *out);
        return n;
    }
    SumLoc none = {NULL, 0, 0}, call = none;
    uint32_t f = e->func;
    for (uint32_t i = 0; i < n && f != CG_NONE; i++) {
        /* Only the last step can close a cycle: the path ends there. */
        bool repeat = false;
        for (uint32_t k = 0; i + 1 == n && k < i && !repeat; k++)
            repeat = out[k].func == f;
        out[i] = (PathStep){f, repeat ? 0 : r->funcs[f].frame, call, repeat};
        call = r->funcs[f].next_call ? r->funcs[f].next_call->loc : none;
        f = r->funcs[f].next;
    }
    return n;
}

const char *bound_status_name(BoundStatus s)
{
    switch (s) {
    case BOUND_EXACT: return "exact";
    case BOUND_ESTIMATED: return "estimated";
    case BOUND_INCOMPLETE: return "incomplete";
    case BOUND_UNBOUNDED: return "unbounded";
    }
    return "unbounded";
}

const char *budget_state_name(BudgetState s)
{
    switch (s) {
    case BUDGET_NONE: return "";
    case BUDGET_FITS: return "fits";
    case BUDGET_EXCEEDS: return "exceeds";
    case BUDGET_UNVERIFIED: return "unverified";
    }
    return "";
}

const char *reason_kind_name(ReasonKind k)
{
    switch (k) {
    case REASON_INPUTS: return "inputs";
    case REASON_RECURSION: return "recursion";
    case REASON_DYNAMIC: return "dynamic";
    case REASON_EXTERNAL: return "external";
    case REASON_INDIRECT: return "indirect";
    case REASON_DEPTH: return "depth";
    }
    return "inputs";
}

const char *frame_source_name(FrameSource s)
{
    switch (s) {
    case FRAME_SRC_ESTIMATE: return "estimate";
    case FRAME_SRC_SU: return "su";
    case FRAME_SRC_COMPILER: return "compiler";
    case FRAME_SRC_CONFIG: return "config";
    case FRAME_SRC_LIBRARY: return "library";
    case FRAME_SRC_UNKNOWN: return "unknown";
    }
    return "unknown";
}
