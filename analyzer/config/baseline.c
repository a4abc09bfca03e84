/* This file reads an earlier JSON report for --baseline and compares a new
 * Result with it: grown entry bounds and new findings become regressions. */
#include "config/baseline.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/fileio.h"
#include "util/diag.h"
#include "util/mem.h"

/* The largest baseline read: a report of a very large program. */
#define BASELINE_MAX_BYTES (512u * 1024u * 1024u)
/* Byte counts in JSON reports stop at 2^53 - 1 (exact in a double). */
#define BASELINE_MAX_SAFE UINT64_C(9007199254740991)

typedef struct BaseEntry {
    const char *function;
    const char *file;        /* may be NULL */
    uint64_t bytes;
    BoundStatus status;
} BaseEntry;

/* One old finding, keyed by rule id, function ("" for none) and message
 * with its numbers outside quotes replaced by '#' (see norm_message). */
typedef struct BaseFinding {
    const char *rule;
    const char *function;
    const char *message;
} BaseFinding;

/* A function named by an old recursion finding (its own, or one on its
 * chain), with the finding's kind: a cycle is matched by its members, so
 * one that grew or shrank by a function (and so moved its finding to
 * another first member or changed its chain) is not new. */
typedef struct BaseCycleName {
    const char *function;
    int certain;             /* 1 certain, 0 possible, -1 not said (older report) */
} BaseCycleName;

struct Baseline {
    Arena arena;
    BaseEntry *entries;
    size_t nentries;
    BaseFinding *findings;   /* sorted by cmp_finding */
    size_t nfindings;
    BaseCycleName *cycle_names; /* sorted by function name */
    size_t ncycle_names, capcycle_names;
};

static int cmp_cycle_name(const void *a, const void *b)
{
    return strcmp(((const BaseCycleName *)a)->function, ((const BaseCycleName *)b)->function);
}


/* Copies msg into the arena with each digit run outside '...' quotes
 * replaced by '#': a finding whose only change is a byte count ("at least
 * 96 bytes" -> "at least 128 bytes") is not new (its grown bound is reported
 * on its own), while names such as 'f2' still tell findings apart. */
static char *norm_message(Arena *a, const char *msg)
{
    char *out = arena_alloc(a, strlen(msg) + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    bool quoted = false;
    for (const char *p = msg; *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        if (!quoted && *p >= '0' && *p <= '9') {
            out[k++] = '#';
            while (p[1] >= '0' && p[1] <= '9')
                p++;
            continue;
        }
        out[k++] = *p;
    }
    out[k] = '\0';
    return out;
}

static int cmp_finding(const void *a, const void *b)
{
    const BaseFinding *x = a, *y = b;
    int c = strcmp(x->rule, y->rule);
    if (!c)
        c = strcmp(x->function, y->function);
    if (!c)
        c = strcmp(x->message, y->message);
    return c;
}

static int parse_status(const char *s, BoundStatus *out)
{
    static const BoundStatus all[] = {BOUND_EXACT, BOUND_ESTIMATED, BOUND_INCOMPLETE, BOUND_UNBOUNDED};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(s, bound_status_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    }
    return -1;
}

/* A member string of `o` copied into the arena; "" (optional) or NULL. */
static const char *get_str(Baseline *b, const cJSON *o, const char *key, bool optional, int *bad)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(it))
        return arena_strdup(&b->arena, it->valuestring);
    if (optional && (!it || cJSON_IsNull(it)))
        return "";
    *bad = 1;
    return NULL;
}

static int read_entries(Baseline *b, const cJSON *arr, char *err, size_t errsize)
{
    if (!cJSON_IsArray(arr))
        return diag_errf(err, errsize, "'entries': expected an array (is this a stackcheck --format json report?)");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    b->entries = n ? arena_alloc(&b->arena, n * sizeof *b->entries) : NULL;
    if (n && !b->entries)
        return diag_errf(err, errsize, "out of memory");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        BaseEntry *e = &b->entries[i];
        int bad = 0;
        if (!cJSON_IsObject(it))
            return diag_errf(err, errsize, "'entries[%zu]': expected an object", i);
        e->function = get_str(b, it, "function", false, &bad);
        if (bad)
            return diag_errf(err, errsize, "'entries[%zu].function': expected a string", i);
        e->file = get_str(b, it, "file", true, &bad);
        if (bad)
            return diag_errf(err, errsize, "'entries[%zu].file': expected a string", i);
        if (!e->function || !e->file)
            return diag_errf(err, errsize, "out of memory");
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(it, "bytes");
        if (!cJSON_IsNumber(by) || !isfinite(by->valuedouble) || by->valuedouble < 0 ||
            by->valuedouble != floor(by->valuedouble) || by->valuedouble > (double)BASELINE_MAX_SAFE)
            return diag_errf(err, errsize, "'entries[%zu].bytes': expected a non-negative integer", i);
        e->bytes = (uint64_t)by->valuedouble;
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(it, "status");
        if (!cJSON_IsString(st) || parse_status(st->valuestring, &e->status) != 0)
            return diag_errf(err, errsize, "'entries[%zu].status': expected exact, estimated, incomplete or unbounded",
                        i);
    }
    b->nentries = n;
    return 0;
}

static int push_cycle_name(Baseline *b, const char *fn, int certain)
{
    if (!fn || !fn[0])
        return 0;
    if (b->ncycle_names == b->capcycle_names) {
        size_t nc = b->capcycle_names ? 2 * b->capcycle_names : 16;
        BaseCycleName *v = arena_alloc(&b->arena, nc * sizeof *v);
        if (!v)
            return -1;
        if (b->ncycle_names)
            memcpy(v, b->cycle_names, b->ncycle_names * sizeof *v);
        b->cycle_names = v;
        b->capcycle_names = nc;
    }
    b->cycle_names[b->ncycle_names++] = (BaseCycleName){fn, certain};
    return 0;
}

/* Records the function of the recursion finding `it` and the functions of
 * its chain (related[].function; malformed items are skipped: the chain
 * only widens what matches). */
static int add_cycle_names(Baseline *b, const cJSON *it, const char *function)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "certain");
    int certain = cJSON_IsBool(c) ? cJSON_IsTrue(c) : -1;
    if (push_cycle_name(b, function, certain) != 0)
        return -1;
    const cJSON *rel = cJSON_GetObjectItemCaseSensitive(it, "related");
    for (const cJSON *r = cJSON_IsArray(rel) ? rel->child : NULL; r; r = r->next) {
        const cJSON *fn = cJSON_GetObjectItemCaseSensitive(r, "function");
        if (!cJSON_IsString(fn))
            continue;
        const char *name = arena_strdup(&b->arena, fn->valuestring);
        if (!name || push_cycle_name(b, name, certain) != 0)
            return -1;
    }
    return 0;
}

static int read_findings(Baseline *b, const cJSON *arr, char *err, size_t errsize)
{
    if (!cJSON_IsArray(arr))
        return diag_errf(err, errsize, "'findings': expected an array (is this a stackcheck --format json report?)");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    b->findings = n ? arena_alloc(&b->arena, n * sizeof *b->findings) : NULL;
    if (n && !b->findings)
        return diag_errf(err, errsize, "out of memory");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        BaseFinding *f = &b->findings[i];
        int bad = 0;
        if (!cJSON_IsObject(it))
            return diag_errf(err, errsize, "'findings[%zu]': expected an object", i);
        static const char *const keys[] = {"rule", "function", "message"};
        const char *v[3];
        for (size_t k = 0; k < 3; k++) {
            v[k] = get_str(b, it, keys[k], k == 1, &bad);
            if (bad)
                return diag_errf(err, errsize, "'findings[%zu].%s': expected a string", i, keys[k]);
            if (!v[k])
                return diag_errf(err, errsize, "out of memory");
        }
        const char *norm = norm_message(&b->arena, v[2]);
        if (!norm)
            return diag_errf(err, errsize, "out of memory");
        *f = (BaseFinding){v[0], v[1], norm};
        if (strcmp(v[0], "recursion") == 0 && add_cycle_names(b, it, v[1]) != 0)
            return diag_errf(err, errsize, "out of memory");
    }
    b->nfindings = n;
    if (n)
        qsort(b->findings, n, sizeof *b->findings, cmp_finding);
    if (b->ncycle_names > 1)
        qsort(b->cycle_names, b->ncycle_names, sizeof *b->cycle_names, cmp_cycle_name);
    return 0;
}

int baseline_parse(const char *text, size_t len, Baseline **out, char *err, size_t errsize)
{
    if (errsize)
        err[0] = '\0';
    Baseline *b = mem_calloc(1, sizeof *b);
    if (!b)
        return diag_errf(err, errsize, "out of memory");
    arena_init(&b->arena);
    int rc = -1;
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!root) {
        diag_errf(err, errsize, "not valid JSON");
        goto done;
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsObject(root) || !cJSON_IsString(schema) ||
        strcmp(schema->valuestring, "stackcheck-report/1") != 0) {
        diag_errf(err, errsize, "'schema': expected \"stackcheck-report/1\" (a stackcheck --format json report)");
        goto done;
    }
    if (read_entries(b, cJSON_GetObjectItemCaseSensitive(root, "entries"), err, errsize) != 0 ||
        read_findings(b, cJSON_GetObjectItemCaseSensitive(root, "findings"), err, errsize) != 0)
        goto done;
    *out = b;
    b = NULL;
    rc = 0;
done:
    cJSON_Delete(root);
    baseline_free(b);
    return rc;
}

int baseline_load(const char *path, Baseline **out, char *err, size_t errsize)
{
    char *text = NULL;
    size_t len = 0;
    if (file_read_all(path, BASELINE_MAX_BYTES, &text, &len, err, errsize) != 0)
        return -1;
    int rc = baseline_parse(text, len, out, err, errsize);
    mem_free(text);
    return rc;
}

void baseline_free(Baseline *b)
{
    if (!b)
        return;
    arena_fini(&b->arena);
    mem_free(b);
}

/* The old entry for function `name` defined in `file`: same name and file
 * first, else the only entry of that name. */
static const BaseEntry *find_entry(const Baseline *b, const char *name, const char *file)
{
    const BaseEntry *by_name = NULL;
    size_t nname = 0;
    for (size_t i = 0; i < b->nentries; i++) {
        const BaseEntry *e = &b->entries[i];
        if (strcmp(e->function, name) != 0)
            continue;
        if (file && strcmp(e->file, file) == 0)
            return e;
        by_name = e;
        nname++;
    }
    return nname == 1 ? by_name : NULL;
}

static Regression *push_regression(Result *r, size_t *cap)
{
    if (r->nregressions == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        Regression *v = arena_alloc(&r->arena, ncap * sizeof *v);
        if (!v)
            return NULL;
        if (r->nregressions)
            memcpy(v, r->regressions, r->nregressions * sizeof *v);
        r->regressions = v;
        *cap = ncap;
    }
    Regression *g = &r->regressions[r->nregressions++];
    memset(g, 0, sizeof *g);
    return g;
}

static int compare_entries(const Baseline *b, Result *r, size_t *cap)
{
    const CallGraph *cg = r->cg;
    for (size_t i = 0; i < r->nentries; i++) {
        const EntryResult *e = &r->entries[i];
        const CgFunc *f = &cg->funcs[e->func];
        const BaseEntry *old = find_entry(b, f->name, f->loc.file);
        if (!old)
            continue; /* a new entry point is not a regression */
        uint64_t now = e->bytes > BASELINE_MAX_SAFE ? BASELINE_MAX_SAFE : e->bytes;
        bool grew = now > old->bytes;
        bool worse = e->status > old->status;
        if (!grew && !worse)
            continue;
        Regression *g = push_regression(r, cap);
        if (!g)
            return -1;
        g->kind = REGRESSION_BOUND_GREW;
        g->function = f->name;
        g->loc = f->loc;
        g->old_bytes = old->bytes;
        g->new_bytes = now;
        g->old_status = old->status;
        g->new_status = e->status;
        char pct[64] = "";
        if (grew && old->bytes)
            snprintf(pct, sizeof pct, " (+%.1f%%)", (double)(now - old->bytes) * 100.0 / (double)old->bytes);
        if (grew && worse)
            g->message = arena_printf(&r->arena,
                                      "worst-case stack of '%s' grew from %" PRIu64 " B to %" PRIu64
                                      " B%s and its bound went from %s to %s since the baseline",
                                      f->name, old->bytes, now, pct, bound_status_name(old->status),
                                      bound_status_name(e->status));
        else if (grew)
            g->message = arena_printf(&r->arena,
                                      "worst-case stack of '%s' grew from %" PRIu64 " B to %" PRIu64
                                      " B%s since the baseline",
                                      f->name, old->bytes, now, pct);
        else
            g->message = arena_printf(&r->arena, "bound of '%s' went from %s to %s since the baseline",
                                      f->name, bound_status_name(old->status), bound_status_name(e->status));
        if (!g->message)
            return -1;
    }
    return 0;
}

/* The first item of the sorted array `base` (n items of `size` bytes) not
 * below `key` by `cmp`, or n. */
static size_t lower_bound(const void *base, size_t n, size_t size, const void *key,
                          int (*cmp)(const void *, const void *))
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp((const char *)base + mid * size, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Does the baseline hold a finding of `rule` about `function`, whatever
 * its message? */
static bool has_rule_function(const Baseline *b, const char *rule, const char *function)
{
    BaseFinding key = {rule, function, ""};
    size_t lo = lower_bound(b->findings, b->nfindings, sizeof *b->findings, &key, cmp_finding);
    return lo < b->nfindings && strcmp(b->findings[lo].rule, rule) == 0 &&
           strcmp(b->findings[lo].function, function) == 0;
}

/* Marks known[certain * nscc + s] for every SCC s with a member named by
 * an old recursion finding of that kind (an old finding that did not say
 * its kind marks both). */
static void mark_known_cycles(const Baseline *b, const Result *r, bool *known, size_t nscc)
{
    const CallGraph *cg = r->cg;
    for (uint32_t i = 0; i < cg->nfuncs; i++) {
        if (!r->funcs[i].recursive || !cg->funcs[i].name)
            continue;
        BaseCycleName key = {cg->funcs[i].name, 0};
        size_t lo = lower_bound(b->cycle_names, b->ncycle_names, sizeof *b->cycle_names, &key,
                                cmp_cycle_name);
        for (; lo < b->ncycle_names && strcmp(b->cycle_names[lo].function, key.function) == 0; lo++) {
            int c = b->cycle_names[lo].certain;
            if (c != 0)
                known[nscc + r->funcs[i].scc] = true;
            if (c != 1)
                known[r->funcs[i].scc] = true;
        }
    }
}

/* The function a finding is about (by name and location), or CG_NONE. */
static uint32_t finding_func(const Result *r, const Finding *f)
{
    const CallGraph *cg = r->cg;
    for (uint32_t i = 0; f->function && i < cg->nfuncs; i++) {
        const CgFunc *fn = &cg->funcs[i];
        if (fn->name && fn->loc.line == f->loc.line && strcmp(fn->name, f->function) == 0 &&
            (fn->loc.file == f->loc.file ||
             (fn->loc.file && f->loc.file && strcmp(fn->loc.file, f->loc.file) == 0)))
            return i;
    }
    return CG_NONE;
}

/* Is the new finding f an old one? Matched by rule, function and message
 * (numbers outside quotes aside); a missing-base-case error by rule and
 * function (its message lists the cycle); a recursion finding by any
 * member of its cycle that an old recursion finding of the same kind
 * named. */
static int finding_known(const Baseline *b, const Result *r, const Finding *f, const bool *known, Arena *tmp)
{
    const char *norm = norm_message(tmp, f->message ? f->message : "");
    if (!norm)
        return -1;
    const char *rule = rule_table[f->rule].id, *fn = f->function ? f->function : "";
    BaseFinding key = {rule, fn, norm};
    if (b->nfindings && bsearch(&key, b->findings, b->nfindings, sizeof key, cmp_finding))
        return 1;
    if (f->rule == RULE_MISSING_BASE_CASE && has_rule_function(b, rule, fn))
        return 1;
    if (f->rule == RULE_RECURSION && known && r->cg) {
        uint32_t i = finding_func(r, f);
        size_t nscc = r->cg->nfuncs;
        if (i != CG_NONE && known[(f->has_certain && f->certain ? nscc : 0) + r->funcs[i].scc])
            return 1;
    }
    return 0;
}

static int compare_findings(const Baseline *b, Result *r, size_t *cap)
{
    size_t n = r->nfindings; /* findings added below are not compared */
    Arena tmp;
    arena_init(&tmp);
    int rc = -1;
    bool *known = NULL;
    if (b->ncycle_names && r->cg && r->funcs) {
        size_t nscc = r->cg->nfuncs; /* SCC indexes are below the function count */
        known = mem_calloc(2 * nscc + 1, sizeof *known);
        if (!known)
            goto done;
        mark_known_cycles(b, r, known, nscc);
    }
    for (size_t i = 0; i < n; i++) {
        const Finding *f = &r->findings[i];
        if (f->suppressed || f->rule == RULE_REGRESSION)
            continue;
        int k = finding_known(b, r, f, known, &tmp);
        if (k < 0)
            goto done;
        if (k)
            continue;
        const char *rule = rule_table[f->rule].id;
        Regression *g = push_regression(r, cap);
        if (!g)
            goto done;
        g->kind = REGRESSION_NEW_FINDING;
        g->function = f->function;
        g->loc = f->loc;
        g->rule = rule;
        g->message = f->message;
    }
    rc = 0;
done:
    mem_free(known);
    arena_fini(&tmp);
    return rc;
}

long baseline_compare(const Baseline *b, Result *r)
{
    size_t cap = r->nregressions;
    r->has_baseline = true;
    if (compare_entries(b, r, &cap) != 0 || compare_findings(b, r, &cap) != 0)
        return -1;
    for (size_t i = 0; i < r->nregressions; i++) {
        const Regression *g = &r->regressions[i];
        Finding *f;
        if (g->kind == REGRESSION_BOUND_GREW)
            f = result_add_finding(r, RULE_REGRESSION, g->function, g->loc, NULL, 0, "%s", g->message);
        else
            f = result_add_finding(r, RULE_REGRESSION, g->function, g->loc, NULL, 0,
                                   "new since the baseline (%s): %s", g->rule, g->message);
        if (!f)
            return -1;
    }
    result_sort(r);
    return (long)r->nregressions;
}
