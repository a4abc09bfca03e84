/* This file computes frames, the inclusive worst case of every function over
 * the SCC condensation (callees first), and the entry points with their
 * deepest paths and the reasons a bound is not exact; it also reports the
 * findings about bounds (unbounded, dynamic, unresolved, unknown cost,
 * duplicate definitions). */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "limits.h"
#include "util/mem.h"
#include "util/vec.h"

/* Total edge visits spent collecting reasons over all entries; past it the
 * remaining entries get their status but no reasons list. */
#define PATH_REASON_WORK (5u * 1000u * 1000u)
/* How a reason that explains an estimate (a depth read from the code, not
 * a gap in the bound) begins: the unbounded-stack message leaves it out. */
#define DEPTH_READ_PREFIX "recursion depth read from the code: "
/* Reasons kept per entry. */
#define PATH_MAX_REASONS 8u

static uint64_t stack_mul(uint64_t a, uint64_t b)
{
    if (a != 0 && b > UINT64_MAX / a)
        return UINT64_MAX;
    return a * b;
}

static BoundStatus own_status(const CgFunc *fn, const FuncResult *fr)
{
    if (fr->dynamic)
        return BOUND_UNBOUNDED;
    switch (fr->frame_src) {
    case FRAME_SRC_LIBRARY: return fn->lib_status == SUM_BOUND_EXACT ? BOUND_EXACT : BOUND_ESTIMATED;
    case FRAME_SRC_SU:
    case FRAME_SRC_COMPILER: return BOUND_EXACT;
    case FRAME_SRC_ESTIMATE:
    case FRAME_SRC_CONFIG: return BOUND_ESTIMATED;
    case FRAME_SRC_UNKNOWN: return BOUND_INCOMPLETE;
    }
    return BOUND_INCOMPLETE;
}

static void compute_frames(const CallGraph *cg, const AnalysisOptions *opt, Result *r)
{
    for (uint32_t i = 0; i < cg->nfuncs; i++) {
        const CgFunc *f = &cg->funcs[i];
        FuncResult *fr = &r->funcs[i];
        const SuEntry *su = f->def && opt->frames_su
                                ? frame_su_find(opt->frames_su, f->def->loc.file, f->def->loc.line,
                                                f->def->name)
                                : NULL;
        if (su) {
            fr->frame = su->bytes;
            fr->frame_src = opt->frames_from_compiler ? FRAME_SRC_COMPILER : FRAME_SRC_SU;
            fr->dynamic = su->qual == SU_DYNAMIC;
        } else if (f->def) {
            bool dyn = false;
            fr->frame = frame_estimate(f->def, opt->target, opt->estimate_for, &dyn);
            fr->frame_src = FRAME_SRC_ESTIMATE;
            fr->dynamic = dyn;
        } else if (f->lib_status != SUM_BOUND_NONE) {
            /* The library's own bound: the whole call tree below it, so
             * nothing is added (it has no edges). */
            fr->frame = f->lib_bytes;
            fr->frame_src = FRAME_SRC_LIBRARY;
        } else {
            const NamedBytes *nb = budget_match(opt->externals, opt->nexternals, f->name);
            fr->frame = nb ? nb->value : 0;
            fr->frame_src = nb ? FRAME_SRC_CONFIG : FRAME_SRC_UNKNOWN;
        }
    }
    /* -fstack-usage leaves out the red zone a leaf may use, and a leaf of
     * the machine code is not only a leaf of the source: when no callee of
     * f has a compiler frame of its own (each was inlined, expanded like
     * memcpy, or is external), f may be the innermost frame and use the
     * red zone (seen at -O2: sqlite3Atoi64 once compare2pow63 is inlined).
     * A call through an unresolved pointer is a real call. */
    for (uint32_t i = 0; opt->target->red_zone && i < cg->nfuncs; i++) {
        FuncResult *fr = &r->funcs[i];
        if (fr->frame_src != FRAME_SRC_SU && fr->frame_src != FRAME_SRC_COMPILER)
            continue;
        const CgFunc *f = &cg->funcs[i];
        bool maybe_leaf = true;
        for (uint32_t e = f->edge_begin; maybe_leaf && e < f->edge_begin + f->nedges; e++) {
            uint32_t c = cg->edges[e].callee;
            maybe_leaf = c != CG_NONE && r->funcs[c].frame_src != FRAME_SRC_SU &&
                         r->funcs[c].frame_src != FRAME_SRC_COMPILER;
        }
        if (maybe_leaf)
            fr->frame = stack_add(fr->frame, opt->target->red_zone);
    }
}

/* The depth bound of SCC s: the largest declared for any member, 0 when none. */
static uint64_t scc_depth_bound(const CallGraph *cg, const SccTable *st, uint32_t s,
                                const AnalysisOptions *opt)
{
    uint64_t n = 0;
    for (uint32_t m = st->begin[s]; m < st->begin[s + 1]; m++) {
        const CgFunc *f = &cg->funcs[st->members[m]];
        if (f->def && f->def->max_depth > n)
            n = f->def->max_depth;
        const NamedBytes *nb = budget_match(opt->max_depth, opt->nmax_depth, f->name);
        if (nb && nb->value > n)
            n = nb->value;
    }
    return n;
}

static void worst_acyclic(const CallGraph *cg, uint32_t f, Result *r)
{
    const CgFunc *fn = &cg->funcs[f];
    FuncResult *fr = &r->funcs[f];
    BoundStatus st = own_status(fn, fr);
    uint64_t best = 0;
    bool have = false;
    for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
        const CgEdge *ed = &cg->edges[e];
        if (ed->callee == CG_NONE) {
            st = bound_worse(st, BOUND_INCOMPLETE);
            continue;
        }
        const FuncResult *c = &r->funcs[ed->callee];
        st = bound_worse(st, c->status);
        fr->depth_read = fr->depth_read || c->depth_read;
        if (!have || c->max_stack > best) {
            have = true;
            best = c->max_stack;
            fr->next = ed->callee;
            fr->next_call = ed->call;
        }
    }
    fr->max_stack = stack_add(fr->frame, best);
    fr->status = st;
}

static void worst_cyclic(const CallGraph *cg, const SccTable *st, uint32_t s,
                         const AnalysisOptions *opt, uint64_t read_depth, ChainCtx *cc, bool *unbounded,
                         Result *r)
{
    BoundStatus status = BOUND_EXACT;
    uint64_t best_exit = 0, all_frames = 0;
    bool depth_read = false;
    for (uint32_t m = st->begin[s]; m < st->begin[s + 1]; m++) {
        uint32_t f = st->members[m];
        const CgFunc *fn = &cg->funcs[f];
        status = bound_worse(status, own_status(fn, &r->funcs[f]));
        all_frames = stack_add(all_frames, r->funcs[f].frame);
        for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
            const CgEdge *ed = &cg->edges[e];
            if (ed->callee == CG_NONE) {
                status = bound_worse(status, BOUND_INCOMPLETE);
                continue;
            }
            if (st->scc_of[ed->callee] == s)
                continue;
            const FuncResult *c = &r->funcs[ed->callee];
            status = bound_worse(status, c->status);
            depth_read = depth_read || c->depth_read;
            if (c->max_stack > best_exit)
                best_exit = c->max_stack;
        }
    }
    /* A declared bound (config max_depth, the annotate attribute) wins over
     * one read from the code, which makes the bound an estimate. */
    uint64_t depth = scc_depth_bound(cg, st, s, opt);
    if (depth == 0 && read_depth > 0) {
        depth = read_depth;
        depth_read = true;
        status = bound_worse(status, BOUND_ESTIMATED);
    }
    *unbounded = depth == 0;
    if (depth == 0)
        status = BOUND_UNBOUNDED;
    for (uint32_t m = st->begin[s]; m < st->begin[s + 1]; m++) {
        uint32_t f = st->members[m];
        FuncResult *fr = &r->funcs[f];
        Chain ch;
        chain_find(cc, f, &ch);
        uint64_t cost;
        if (depth > 0) {
            /* N trips through the heaviest simple cycle, bounded above by N
             * times the frames of all members. */
            cost = stack_mul(depth, all_frames);
        } else {
            /* One trip around f's chain: a lower bound. */
            cost = fr->frame;
            for (uint32_t i = 0; i + 1 < ch.nedges; i++)
                cost = stack_add(cost, r->funcs[cg->edges[ch.edges[i]].callee].frame);
        }
        fr->max_stack = stack_add(cost, best_exit);
        fr->status = status;
        fr->depth_read = depth_read;
        if (ch.nedges > 0) {
            fr->next = cg->edges[ch.edges[0]].callee;
            fr->next_call = cg->edges[ch.edges[0]].call;
        }
    }
}

/* What settles each kind of gap. Placeholders are capitals (N, BYTES) or
 * f, g: stackcheck cannot know a depth, a library's stack use or a
 * pointer's targets, and a made-up figure pasted into the config would
 * prove a bound that is not one. */

static const char *fix_external(Arena *a, const char *name)
{
    return arena_printf(a, "\"externals\": {\"%s\": BYTES} in stackcheck.json, BYTES being the most "
                           "stack '%s' uses",
                        name, name);
}

static const char *fix_recursion(Arena *a, const char *name)
{
    return arena_printf(a, "\"max_depth\": {\"%s\": N} in stackcheck.json, or "
                           "__attribute__((annotate(\"stackcheck:max_depth=N\"))) on '%s'; N, the "
                           "deepest it recurses, is yours to choose",
                        name, name);
}

static const char *fix_dynamic(Arena *a, const char *name)
{
    /* Neither the config nor an annotation gives a frame's size: only the
     * code or a compiler that bounds it ("dynamic,bounded") can. */
    return arena_printf(a, "no config key bounds a dynamic frame: give the variable-length array or "
                           "alloca in '%s' a fixed size, or measure frames with --frames compiler "
                           "(a frame gcc reports as dynamic,bounded is finite)",
                        name);
}

/* `more`: other unresolved calls in the same function (each has its own
 * unresolved-indirect-call note with its own fix). */
static const char *fix_indirect(Arena *a, SumLoc loc, uint32_t more)
{
    const char *file = loc.file && loc.file[0] ? loc.file : "FILE";
    char tail[96] = "";
    if (more)
        snprintf(tail, sizeof tail, " (and likewise for its %u other unresolved call%s)", more,
                 more == 1 ? "" : "s");
    return arena_printf(a, "// stackcheck: targets(f, g) on the call's line %s:%u, or \"indirect\": "
                           "{\"%s:%u\": [\"f\", \"g\"]} in stackcheck.json, naming the functions it "
                           "can call%s",
                        file, loc.line, file, loc.line, tail);
}

static const char *fix_inputs(Arena *a)
{
    return arena_strdup(a, "fix the errors of the files reported as parse-error: --keep-going "
                           "analyzed the rest without them");
}

/* Per-run scratch for entries. */
typedef struct EntryCtx {
    const CallGraph *cg;
    const SccTable *st;
    const bool *scc_unbounded;
    const char *const *depth_why; /* per SCC: the depth read from the code (depth.c), or NULL */
    const uint32_t *closing;  /* per SCC: Cycles.closing */
    Result *r;
    uint32_t *stamp;      /* per function */
    uint32_t *scc_stamp;  /* per SCC */
    uint32_t *queue;
    uint32_t cur;
    uint64_t work;
    /* Reasons are made once and shared: one per function and kind
     * (dynamic, external, indirect, and recursion met at that member: the
     * text names the member an entry reaches first, as it always did), one
     * per SCC whose cycle needs a possible call (its text names the
     * closing call), one for the inputs; `all` holds them by id. The
     * tables hold 1 + an id (0: none yet): a million functions cost 16 MB
     * of them, not 32. */
    uint32_t *scc_reason;             /* per SCC */
    uint32_t *fn_reason;              /* FN_REASON_KINDS per function */
    const BoundReason *inputs_reason;
    const BoundReason **all;
    size_t nall, capall;
} EntryCtx;

#define FN_REASON_KINDS 4u
static uint32_t fn_reason_slot(ReasonKind k)
{
    return k == REASON_DYNAMIC ? 0u : k == REASON_EXTERNAL ? 1u : k == REASON_INDIRECT ? 2u : 3u;
}

/* A new reason with its fix (both may be NULL: out of memory), numbered
 * in x->all. Returns it or NULL. */
static const BoundReason *new_reason(EntryCtx *x, ReasonKind kind, const char *text, const char *fix)
{
    if (!text || !fix)
        return NULL;
    BoundReason *b = arena_alloc(&x->r->arena, sizeof *b);
    const BoundReason **slot = b ? VEC_PUSH(x->all, x->nall, x->capall) : NULL;
    if (!slot)
        return NULL;
    *b = (BoundReason){kind, text, fix, (uint32_t)(x->nall - 1)};
    *slot = b;
    return b;
}

/* The reason of kind k (dynamic, external or indirect) about function f. */
static const BoundReason *fn_reason(EntryCtx *x, uint32_t f, ReasonKind k)
{
    uint32_t *slot = &x->fn_reason[(size_t)f * FN_REASON_KINDS + fn_reason_slot(k)];
    if (*slot)
        return x->all[*slot - 1];
    const CallGraph *cg = x->cg;
    const CgFunc *fn = &cg->funcs[f];
    Arena *a = &x->r->arena;
    const BoundReason *b;
    if (k == REASON_DYNAMIC) {
        b = new_reason(x, k, arena_printf(a, "dynamic frame in '%s'", fn->name), fix_dynamic(a, fn->name));
    } else if (k == REASON_EXTERNAL) {
        b = new_reason(x, k, arena_printf(a, "'%s' has no known stack cost", fn->name),
                       fix_external(a, fn->name));
    } else {
        const SumCall *first = NULL;
        uint32_t more = 0;
        for (uint32_t e = fn->edge_begin; e < fn->edge_begin + fn->nedges; e++) {
            if (cg->edges[e].callee != CG_NONE)
                continue;
            if (first)
                more++;
            else
                first = cg->edges[e].call;
        }
        b = new_reason(x, k, arena_printf(a, "unresolved indirect call in '%s'", fn->name),
                       fix_indirect(a, first ? first->loc : (SumLoc){0}, more));
    }
    if (b)
        *slot = b->id + 1;
    return b;
}

/* The reason of SCC s (no depth bound), met first at member f. */
static const BoundReason *scc_reason(EntryCtx *x, uint32_t s, uint32_t f)
{
    uint32_t *slot = x->closing[s] != CG_NONE
                         ? &x->scc_reason[s]
                         : &x->fn_reason[(size_t)f * FN_REASON_KINDS + fn_reason_slot(REASON_RECURSION)];
    if (*slot)
        return x->all[*slot - 1];
    const CallGraph *cg = x->cg;
    Arena *a = &x->r->arena;
    const char *text, *fix;
    if (x->closing[s] != CG_NONE) {
        /* A possible cycle may be no cycle at all: declaring the closing
         * call's real targets can remove it. */
        const CgEdge *ed = &cg->edges[x->closing[s]];
        const char *caller = cg->funcs[ed->caller].name;
        const char *how = cycle_edge_text(cg, x->closing[s], x->r);
        text = how ? arena_printf(a, "possible recursion through %s in '%s' (no depth bound)", how, caller)
                   : NULL;
        const char *depth = fix_recursion(a, caller);
        SumLoc at = ed->call ? ed->call->loc : (SumLoc){0};
        fix = depth ? arena_printf(a, "%s; or, if that call cannot reach the cycle, // stackcheck: "
                                      "targets(f, g) on its line %s:%u naming the functions it can call",
                                   depth, at.file && at.file[0] ? at.file : "FILE", at.line)
                    : NULL;
    } else {
        text = arena_printf(a, "recursion in '%s' (no depth bound)", cg->funcs[f].name);
        fix = fix_recursion(a, cg->funcs[f].name);
    }
    const BoundReason *b = new_reason(x, REASON_RECURSION, text, fix);
    if (b)
        *slot = b->id + 1;
    return b;
}

/* The reason of SCC s whose depth was read from the code (an estimate,
 * not a gap: it names the guard; a declared max_depth replaces it). The
 * SCC's slot is free: such an SCC is never unbounded. */
static const BoundReason *depth_reason(EntryCtx *x, uint32_t s)
{
    uint32_t *slot = &x->scc_reason[s];
    if (*slot)
        return x->all[*slot - 1];
    Arena *a = &x->r->arena;
    const char *name = x->cg->funcs[x->st->members[x->st->begin[s]]].name;
    const BoundReason *b =
        new_reason(x, REASON_DEPTH, arena_printf(a, DEPTH_READ_PREFIX "%s", x->depth_why[s]),
                   arena_printf(a, "a declared \"max_depth\": {\"%s\": N} in stackcheck.json "
                                   "replaces it",
                                name));
    if (b)
        *slot = b->id + 1;
    return b;
}

static int add_reason(const BoundReason **reasons, uint32_t *n, const BoundReason *b)
{
    if (!b)
        return -1;
    if (*n < PATH_MAX_REASONS)
        reasons[(*n)++] = b;
    return 0;
}

static int collect_reasons(EntryCtx *x, EntryResult *e, bool incomplete_inputs)
{
    const CallGraph *cg = x->cg;
    Result *r = x->r;
    const BoundReason *tmp[PATH_MAX_REASONS];
    uint32_t n = 0;
    if (incomplete_inputs && !x->inputs_reason)
        x->inputs_reason = new_reason(x, REASON_INPUTS,
                                      arena_strdup(&r->arena, "some input files were not analyzed"),
                                      fix_inputs(&r->arena));
    if (incomplete_inputs && add_reason(tmp, &n, x->inputs_reason) != 0)
        return -1;
    if ((e->status > BOUND_ESTIMATED || r->funcs[e->func].depth_read) && x->work < PATH_REASON_WORK) {
        x->cur++;
        uint32_t head = 0, tail = 0;
        x->queue[tail++] = e->func;
        x->stamp[e->func] = x->cur;
        while (head < tail && n < PATH_MAX_REASONS && x->work < PATH_REASON_WORK) {
            uint32_t f = x->queue[head++];
            const CgFunc *fn = &cg->funcs[f];
            const FuncResult *fr = &r->funcs[f];
            if (fr->status <= BOUND_ESTIMATED && !fr->depth_read)
                continue; /* nothing below it to explain */
            uint32_t s = x->st->scc_of[f];
            if (x->depth_why[s] && x->scc_stamp[s] != x->cur) {
                x->scc_stamp[s] = x->cur;
                if (add_reason(tmp, &n, depth_reason(x, s)) != 0)
                    return -1;
            }
            if (x->scc_unbounded[s] && x->scc_stamp[s] != x->cur) {
                x->scc_stamp[s] = x->cur;
                if (add_reason(tmp, &n, scc_reason(x, s, f)) != 0)
                    return -1;
            }
            if (fr->dynamic && add_reason(tmp, &n, fn_reason(x, f, REASON_DYNAMIC)) != 0)
                return -1;
            if (!fn->def && fr->frame_src == FRAME_SRC_UNKNOWN &&
                add_reason(tmp, &n, fn_reason(x, f, REASON_EXTERNAL)) != 0)
                return -1;
            bool unresolved = false;
            for (uint32_t k = fn->edge_begin; k < fn->edge_begin + fn->nedges; k++) {
                x->work++;
                uint32_t w = cg->edges[k].callee;
                if (w == CG_NONE) {
                    unresolved = true;
                    continue;
                }
                if (x->stamp[w] != x->cur) {
                    x->stamp[w] = x->cur;
                    x->queue[tail++] = w;
                }
            }
            if (unresolved && add_reason(tmp, &n, fn_reason(x, f, REASON_INDIRECT)) != 0)
                return -1;
        }
    }
    if (n) {
        e->reasons = arena_memdup(&r->arena, tmp, n, sizeof *tmp);
        if (!e->reasons)
            return -1;
        e->nreasons = n;
    }
    return 0;
}

static int build_path(EntryCtx *x, EntryResult *e)
{
    Result *r = x->r;
    x->cur++;
    uint32_t n = 0;
    for (uint32_t f = e->func;; f = r->funcs[f].next) {
        n++;
        if (x->stamp[f] == x->cur || r->funcs[f].next == CG_NONE)
            break;
        if (n == SC_MAX_PATH_STEPS) {
            /* The rest is still reachable step by step through each
             * function's deepest callee (FuncResult.next). */
            e->path_truncated = true;
            break;
        }
        x->stamp[f] = x->cur;
    }
    e->npath = n; /* the steps themselves: result_entry_path */
    return 0;
}

static int cmp_entry(const void *pa, const void *pb, const CallGraph *cg)
{
    const EntryResult *a = pa, *b = pb;
    if (a->bytes != b->bytes)
        return a->bytes > b->bytes ? -1 : 1;
    int c = strcmp(cg->funcs[a->func].name, cg->funcs[b->func].name);
    if (c)
        return c;
    return a->func < b->func ? -1 : a->func > b->func;
}

/* qsort has no context pointer in C11, so each entry is sorted inside a
 * wrapper that carries the graph. */
typedef struct EntryKey {
    EntryResult e;
    const CallGraph *cg;
} EntryKey;

static int cmp_key(const void *pa, const void *pb)
{
    const EntryKey *a = pa, *b = pb;
    return cmp_entry(&a->e, &b->e, a->cg);
}

static int push_entry(EntryResult **v, size_t *n, size_t *cap, uint8_t *is_entry, uint32_t f, EntryKind k)
{
    if (f == CG_NONE || is_entry[f])
        return 0;
    is_entry[f] = 1;
    EntryResult *e = VEC_PUSH(*v, *n, *cap);
    if (!e)
        return -1;
    e->func = f;
    e->kind = k;
    return 0;
}

/* Whether an uncalled function is an entry point of its own. Not: an
 * external (no definition), or a static function defined in a header
 * (every includer gets a copy; unused ones are noise, e.g. glibc's
 * __bswap_16). An address-taken function that no resolved indirect call
 * reaches (stored but never called through) is a root too. */
static bool root_eligible(const CallGraph *cg, uint32_t f)
{
    const CgFunc *fn = &cg->funcs[f];
    if (!fn->def)
        return false;
    if (fn->linkage == SUM_LINK_INTERNAL && fn->loc.file && fn->tu < cg->ntus &&
        strcmp(fn->loc.file, cg->tus[fn->tu]->path) != 0)
        return false;
    return true;
}

static int make_entries(const CallGraph *cg, const SccTable *st, const uint32_t *closing,
                        const AnalysisOptions *opt, const bool *scc_unbounded,
                        const char *const *depth_why, Result *r)
{
    int rc = -1;
    EntryResult *v = NULL;
    size_t n = 0, cap = 0;
    EntryKey *keys = NULL;
    bool *shown = NULL;
    EntryCtx x;
    memset(&x, 0, sizeof x);
    x.cg = cg;
    x.st = st;
    x.scc_unbounded = scc_unbounded;
    x.depth_why = depth_why;
    x.closing = closing;
    x.r = r;
    uint8_t *is_entry = mem_calloc(cg->nfuncs ? cg->nfuncs : 1, 1);
    bool *called = mem_calloc(st->nscc ? st->nscc : 1, sizeof *called);
    x.stamp = mem_calloc(cg->nfuncs ? cg->nfuncs : 1, sizeof *x.stamp);
    x.scc_stamp = mem_calloc(st->nscc ? st->nscc : 1, sizeof *x.scc_stamp);
    x.queue = mem_alloc_array(cg->nfuncs ? cg->nfuncs : 1, sizeof *x.queue);
    x.scc_reason = mem_calloc(st->nscc ? st->nscc : 1, sizeof *x.scc_reason);
    x.fn_reason = mem_calloc(cg->nfuncs ? (size_t)cg->nfuncs * FN_REASON_KINDS : 1, sizeof *x.fn_reason);
    if (!is_entry || !called || !x.stamp || !x.scc_stamp || !x.queue || !x.scc_reason || !x.fn_reason)
        goto done;
    uint32_t m = CG_NONE;
    /* Library functions are never entries of their own (a library's main
     * or interrupt handler included): only --entry or a config entry that
     * names one makes it an entry, and a thread the program starts. */
    for (uint32_t i = 0; i < cg->nfuncs && m == CG_NONE; i++)
        if (cg->funcs[i].def && !cg->funcs[i].library && strcmp(cg->funcs[i].name, "main") == 0)
            m = i;
    if (push_entry(&v, &n, &cap, is_entry, m, ENTRY_MAIN) != 0)
        goto done;
    for (size_t i = 0; i < opt->nentries; i++)
        if (opt->entries[i] &&
            push_entry(&v, &n, &cap, is_entry, cg_find_by_name(cg, opt->entries[i]), ENTRY_USER) != 0)
            goto done;
    /* Thread start routines run on their own stacks; interrupt handlers
     * (attribute or config pattern) land on top of a task's. */
    for (uint32_t k = 0; k < cg->nthread_starts; k++)
        if (cg->funcs[cg->thread_starts[k]].def &&
            push_entry(&v, &n, &cap, is_entry, cg->thread_starts[k], ENTRY_THREAD) != 0)
            goto done;
    for (uint32_t f = 0; f < cg->nfuncs; f++) {
        const CgFunc *fn = &cg->funcs[f];
        if (!fn->def || fn->library)
            continue;
        bool irq = fn->def->is_interrupt;
        for (size_t k = 0; !irq && k < opt->ninterrupts; k++)
            irq = opt->interrupts[k] && fnmatch(opt->interrupts[k], fn->name, 0) == 0;
        if (irq && push_entry(&v, &n, &cap, is_entry, f, ENTRY_INTERRUPT) != 0)
            goto done;
    }
    for (uint32_t e = 0; e < cg->nedges; e++) {
        const CgEdge *ed = &cg->edges[e];
        if (ed->callee != CG_NONE && st->scc_of[ed->callee] != st->scc_of[ed->caller])
            called[st->scc_of[ed->callee]] = true;
    }
    for (uint32_t s = 0; s < st->nscc; s++) {
        if (called[s])
            continue;
        for (uint32_t k = st->begin[s]; k < st->begin[s + 1]; k++) {
            uint32_t f = st->members[k];
            if (!root_eligible(cg, f) || cg->funcs[f].library)
                continue;
            if (push_entry(&v, &n, &cap, is_entry, f, ENTRY_ROOT) != 0)
                goto done;
            break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        EntryResult *e = &v[i];
        const FuncResult *fr = &r->funcs[e->func];
        e->bytes = fr->max_stack;
        e->status = fr->status;
        if (opt->incomplete_inputs)
            e->status = bound_worse(e->status, BOUND_INCOMPLETE);
        if (build_path(&x, e) != 0 || collect_reasons(&x, e, opt->incomplete_inputs) != 0)
            goto done;
    }
    if (n) {
        keys = mem_alloc_array(n, sizeof *keys);
        if (!keys)
            goto done;
        for (size_t i = 0; i < n; i++)
            keys[i] = (EntryKey){v[i], cg};
        qsort(keys, n, sizeof *keys, cmp_key);
        r->entries = arena_alloc(&r->arena, n * sizeof *r->entries);
        if (!r->entries)
            goto done;
        for (size_t i = 0; i < n; i++)
            r->entries[i] = keys[i].e;
    }
    r->nentries = n;
    /* Each distinct reason once for the run, in the order the entry table
     * first shows it (the text report's notes, so a reason that a hundred
     * entries share is settled in one line). */
    if (x.nall) {
        shown = mem_calloc(x.nall, sizeof *shown);
        r->reasons = arena_alloc(&r->arena, x.nall * sizeof *r->reasons);
        if (!shown || !r->reasons)
            goto done;
        for (size_t i = 0; i < n; i++) {
            const EntryResult *e = &r->entries[i];
            for (uint32_t k = 0; k < e->nreasons; k++) {
                const BoundReason *b = e->reasons[k];
                if (!shown[b->id]) {
                    shown[b->id] = true;
                    r->reasons[r->nreasons++] = b;
                }
            }
        }
    }
    rc = 0;
done:
    mem_free(shown);
    mem_free(keys);
    mem_free(v);
    mem_free(is_entry);
    mem_free(called);
    mem_free(x.stamp);
    mem_free(x.scc_stamp);
    mem_free(x.queue);
    mem_free(x.scc_reason);
    mem_free(x.fn_reason);
    mem_free(x.all);
    return rc;
}

static int report_bounds(const CallGraph *cg, Result *r)
{
    StrBuf sb;
    sbuf_init(&sb);
    int rc = -1;
    for (size_t i = 0; i < r->nentries; i++) {
        const EntryResult *e = &r->entries[i];
        if (e->status != BOUND_UNBOUNDED)
            continue;
        const CgFunc *f = &cg->funcs[e->func];
        sb.n = 0;
        for (uint32_t k = 0, shown = 0; k < e->nreasons; k++)
            if (e->reasons[k]->kind != REASON_DEPTH) /* explains an estimate, not a gap */
                sbuf_add(&sb, "%s%s", shown++ ? "; " : ": ", e->reasons[k]->text);
        if (sb.failed)
            goto done;
        Finding *x = result_add_finding(r, RULE_UNBOUNDED_STACK, f->name, f->loc, NULL, 0,
                                        "'%s' has no finite stack bound (at least %llu bytes)%s", f->name,
                                        (unsigned long long)e->bytes, sbuf_str(&sb));
        if (!x)
            goto done;
        x->entry = (uint32_t)i + 1;
    }
    for (uint32_t i = 0; i < cg->nfuncs; i++) {
        const CgFunc *f = &cg->funcs[i];
        const FuncResult *fr = &r->funcs[i];
        if (f->def && fr->dynamic && !cg_quiet(cg, i)) {
            const SumLocal *vla = NULL;
            for (uint32_t k = 0; k < f->def->nlocals && !vla; k++)
                if (f->def->locals[k].vla)
                    vla = &f->def->locals[k];
            Finding *x;
            if (vla)
                x = result_add_finding(r, RULE_DYNAMIC_FRAME, f->name, vla->loc.line ? vla->loc : f->loc,
                                       NULL, 0, "'%s' has a frame of dynamic size: variable-length "
                                       "array '%s'", f->name, vla->name ? vla->name : "");
            else
                x = result_add_finding(r, RULE_DYNAMIC_FRAME, f->name, f->loc, NULL, 0,
                                       "'%s' has a frame of dynamic size: it calls alloca", f->name);
            if (!x || !(x->fix = fix_dynamic(&r->arena, f->name)))
                goto done;
        }
        if (!f->def && fr->frame_src == FRAME_SRC_UNKNOWN) {
            Finding *x = result_add_finding(r, RULE_UNKNOWN_STACK_COST, f->name, f->loc, NULL, 0,
                                            "'%s' has no known stack cost", f->name);
            if (!x || !(x->fix = fix_external(&r->arena, f->name)))
                goto done;
        }
    }
    for (uint32_t k = 0; k < cg->nedges; k++) {
        const CgEdge *ed = &cg->edges[k];
        if (ed->callee != CG_NONE || cg_quiet(cg, ed->caller))
            continue;
        const SumCall *c = ed->call;
        Finding *x = result_add_finding(r, RULE_UNRESOLVED_INDIRECT, cg->funcs[ed->caller].name, c->loc, NULL, 0,
                                        "call through '%s' of type '%s' is not resolved; bounds through "
                                        "it are incomplete",
                                        c->callee_name ? c->callee_name : "?", c->fn_type ? c->fn_type : "?");
        if (!x || !(x->fix = fix_indirect(&r->arena, c->loc, 0)))
            goto done;
    }
    for (uint32_t k = 0; k < cg->ndups; k++) {
        const CgDuplicate *d = &cg->dups[k];
        const CgFunc *kept = &cg->funcs[d->func];
        ResRelated rel = {kept->name, kept->loc, "the definition analyzed is here"};
        if (!result_add_finding(r, RULE_DUPLICATE_DEFINITION, d->def->name, d->def->loc, &rel, 1,
                                "'%s' is defined more than once; this definition is ignored",
                                d->def->name))
            goto done;
    }
    rc = 0;
done:
    sbuf_fini(&sb);
    return rc;
}

int path_compute(const CallGraph *cg, const Cycles *cy, const AnalysisOptions *opt, Result *r)
{
    const SccTable *st = &cy->all;
    int rc = -1;
    ChainCtx cc;
    if (chain_ctx_init(&cc, cg, st) != 0)
        return -1;
    bool *unb = mem_calloc(st->nscc ? st->nscc : 1, sizeof *unb);
    uint64_t *rdepth = mem_calloc(st->nscc ? st->nscc : 1, sizeof *rdepth);
    const char **why = mem_calloc(st->nscc ? st->nscc : 1, sizeof *why);
    if (!unb || !rdepth || !why || depth_read(cg, st, opt, r, rdepth, why) != 0)
        goto done;
    compute_frames(cg, opt, r);
    for (uint32_t s = 0; s < st->nscc; s++) {
        if (st->cyclic[s])
            worst_cyclic(cg, st, s, opt, rdepth[s], &cc, &unb[s], r);
        else
            worst_acyclic(cg, st->members[st->begin[s]], r);
        /* A declared bound replaced the one read from the code. */
        if (why[s] && !r->funcs[st->members[st->begin[s]]].depth_read)
            why[s] = NULL;
        if (why[s] && scc_depth_bound(cg, st, s, opt) > 0)
            why[s] = NULL;
    }
    if (make_entries(cg, st, cy->closing, opt, unb, why, r) != 0 || report_bounds(cg, r) != 0)
        goto done;
    rc = 0;
done:
    mem_free(unb);
    mem_free(rdepth);
    mem_free(why);
    chain_ctx_fini(&cc);
    return rc;
}
