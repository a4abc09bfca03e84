/* This file writes TU summaries as versioned JSON and reads them back with
 * every field type- and range-checked. */
#include "summary/summary_json.h"

#include "summary/json_alloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"

/* ---- writing ---- */

/* A small table of file names so that each path is written once. */
typedef struct FileTable {
    const char **names; /* borrowed from the summary's arena */
    size_t n, cap;
} FileTable;

static long file_index(FileTable *t, const char *name)
{
    if (!name)
        return -1;
    /* Summaries name few files (the TU and its headers); the last hit is
     * nearly always the right one, so a linear scan from the end is cheap. */
    for (size_t i = t->n; i-- > 0;)
        if (t->names[i] == name || strcmp(t->names[i], name) == 0)
            return (long)i;
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 16;
        const char **p = mem_realloc_array(t->names, ncap, sizeof *p);
        if (!p)
            return -2;
        t->names = p;
        t->cap = ncap;
    }
    t->names[t->n] = name;
    return (long)t->n++;
}

typedef struct Writer {
    FileTable files;
    int failed; /* sticky: an allocation failed */
} Writer;

static cJSON *add(Writer *w, cJSON *parent, cJSON *item)
{
    if (!item) {
        w->failed = 1;
        return NULL;
    }
    if (!parent || !cJSON_AddItemToArray(parent, item)) {
        cJSON_Delete(item);
        w->failed = 1;
        return NULL;
    }
    return item;
}

static void put(Writer *w, cJSON *obj, const char *key, cJSON *item)
{
    if (!item) {
        w->failed = 1;
        return;
    }
    if (!obj || !cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        w->failed = 1;
    }
}

static cJSON *num(double v) { return cJSON_CreateNumber(v); }

/* A signed 64-bit value: a JSON number when a double holds it exactly
 * (|v| < 2^53), else a decimal string (`x == INT64_MIN` guards in sqlite). */
static cJSON *i64(int64_t v)
{
    if (v >= -9007199254740991 && v <= 9007199254740991)
        return cJSON_CreateNumber((double)v);
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    return cJSON_CreateString(buf);
}

static cJSON *loc_json(Writer *w, SumLoc loc)
{
    long fi = file_index(&w->files, loc.file);
    if (fi == -2) {
        w->failed = 1;
        return NULL;
    }
    cJSON *a = cJSON_CreateArray();
    if (!a)
        return NULL;
    add(w, a, num((double)fi));
    add(w, a, num(loc.line));
    add(w, a, num(loc.col));
    return a;
}

static cJSON *str_or_null(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

static cJSON *call_json(Writer *w, const SumCall *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    put(w, o, "kind", cJSON_CreateString(c->kind == SUM_CALL_DIRECT ? "direct" : "indirect"));
    put(w, o, "usr", str_or_null(c->callee_usr));
    put(w, o, "name", str_or_null(c->callee_name));
    put(w, o, "internal", cJSON_CreateBool(c->callee_internal));
    put(w, o, "noreturn", cJSON_CreateBool(c->callee_noreturn));
    put(w, o, "type", str_or_null(c->fn_type));
    put(w, o, "field", str_or_null(c->field));
    put(w, o, "loc", loc_json(w, c->loc));
    put(w, o, "block", num(c->block));
    put(w, o, "reachable", cJSON_CreateBool(c->reachable));
    cJSON *args = cJSON_CreateArray();
    for (uint32_t i = 0; args && i < c->nargs; i++) {
        cJSON *a = add(w, args, cJSON_CreateArray());
        add(w, a, num((double)c->args[i].size));
        add(w, a, num(c->args[i].cls));
        add(w, a, num(c->args[i].param));
        add(w, a, i64(c->args[i].offset));
        if (c->args[i].fn_usr) { /* a function passed: [.., usr, name, internal] */
            add(w, a, cJSON_CreateString(c->args[i].fn_usr));
            add(w, a, str_or_null(c->args[i].fn_name));
            add(w, a, cJSON_CreateBool(c->args[i].fn_internal));
        }
    }
    put(w, o, "args", args);
    if (c->via_param)
        put(w, o, "via_param", num(c->via_param));
    if (c->targets)
        put(w, o, "targets", cJSON_CreateString(c->targets));
    uint32_t ninpl = 0; /* the in-place arguments, by index, when any */
    for (uint32_t i = 0; i < c->nargs; i++)
        ninpl += c->args[i].in_place;
    if (ninpl) {
        cJSON *inpl = cJSON_CreateArray();
        for (uint32_t i = 0; inpl && i < c->nargs; i++)
            if (c->args[i].in_place)
                add(w, inpl, num(i));
        put(w, o, "in_place", inpl);
    }
    if (c->sole_usr) { /* the one target known exactly: [usr, name, internal] */
        cJSON *so = cJSON_CreateArray();
        add(w, so, cJSON_CreateString(c->sole_usr));
        add(w, so, str_or_null(c->sole_name));
        add(w, so, cJSON_CreateBool(c->sole_internal));
        put(w, o, "sole", so);
    }
    if (c->guards_known) {
        cJSON *gs = cJSON_CreateArray();
        for (uint32_t i = 0; gs && i < c->nguards; i++) {
            cJSON *g = add(w, gs, cJSON_CreateArray());
            add(w, g, num(c->guards[i].param));
            add(w, g, num(c->guards[i].op));
            add(w, g, i64(c->guards[i].value));
            if (c->guards[i].field) /* a member guard: [param, op, value, key] */
                add(w, g, cJSON_CreateString(c->guards[i].field));
        }
        put(w, o, "guards", gs);
    }
    uint32_t nconst = 0; /* constant arguments: [[index, value], ...] */
    for (uint32_t i = 0; i < c->nargs; i++)
        nconst += c->args[i].has_value;
    if (nconst) {
        cJSON *cs = cJSON_CreateArray();
        for (uint32_t i = 0; cs && i < c->nargs; i++) {
            if (!c->args[i].has_value)
                continue;
            cJSON *p = add(w, cs, cJSON_CreateArray());
            add(w, p, num(i));
            add(w, p, i64(c->args[i].value));
        }
        put(w, o, "consts", cs);
    }
    if (c->nfacts) { /* bound facts: [param, op, value] */
        cJSON *fs = cJSON_CreateArray();
        for (uint32_t i = 0; fs && i < c->nfacts; i++) {
            cJSON *g = add(w, fs, cJSON_CreateArray());
            add(w, g, num(c->facts[i].param));
            add(w, g, num(c->facts[i].op));
            add(w, g, i64(c->facts[i].value));
        }
        put(w, o, "facts", fs);
    }
    if (c->counter) { /* [param, key, limit, inc, check loc] */
        const SumCounter *k = c->counter;
        cJSON *ko = cJSON_CreateArray();
        add(w, ko, num(k->global ? -1 : (double)k->param));
        add(w, ko, cJSON_CreateString(k->field));
        add(w, ko, i64((int64_t)k->limit));
        add(w, ko, num(k->inc));
        add(w, ko, loc_json(w, k->check));
        put(w, o, "counter", ko);
    }
    return o;
}

static cJSON *function_json(Writer *w, const SumFunction *f)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    put(w, o, "name", cJSON_CreateString(f->name ? f->name : ""));
    put(w, o, "usr", cJSON_CreateString(f->usr ? f->usr : ""));
    put(w, o, "linkage", cJSON_CreateString(f->linkage == SUM_LINK_INTERNAL ? "internal" : "external"));
    put(w, o, "loc", loc_json(w, f->loc));
    put(w, o, "end", loc_json(w, f->end));
    cJSON *flags = cJSON_CreateArray();
    if (flags) {
        if (f->returns_void) add(w, flags, cJSON_CreateString("void"));
        if (f->is_variadic) add(w, flags, cJSON_CreateString("variadic"));
        if (f->is_noreturn) add(w, flags, cJSON_CreateString("noreturn"));
        if (f->address_taken) add(w, flags, cJSON_CreateString("address_taken"));
        if (f->has_alloca) add(w, flags, cJSON_CreateString("alloca"));
        if (f->is_interrupt) add(w, flags, cJSON_CreateString("interrupt"));
        if (f->writes_unknown) add(w, flags, cJSON_CreateString("writes_unknown"));
        if (f->is_alias) add(w, flags, cJSON_CreateString("alias"));
    }
    put(w, o, "flags", flags);
    put(w, o, "max_depth", num((double)f->max_depth));
    cJSON *ret = cJSON_CreateArray();
    add(w, ret, num((double)f->ret_size));
    add(w, ret, num(f->ret_cls));
    put(w, o, "ret", ret);

    cJSON *params = cJSON_CreateArray();
    for (uint32_t i = 0; params && i < f->nparams; i++) {
        const SumParam *p = &f->params[i];
        cJSON *a = add(w, params, cJSON_CreateArray());
        add(w, a, cJSON_CreateString(p->name ? p->name : ""));
        add(w, a, num((double)p->size));
        add(w, a, num((double)p->align));
        add(w, a, num(p->cls));
        add(w, a, cJSON_CreateBool(p->is_unsigned));
        add(w, a, cJSON_CreateBool(p->modified));
    }
    put(w, o, "params", params);

    cJSON *locals = cJSON_CreateArray();
    for (uint32_t i = 0; locals && i < f->nlocals; i++) {
        const SumLocal *l = &f->locals[i];
        cJSON *a = add(w, locals, cJSON_CreateArray());
        add(w, a, cJSON_CreateString(l->name ? l->name : ""));
        add(w, a, num((double)l->size));
        add(w, a, num((double)l->align));
        add(w, a, cJSON_CreateBool(l->vla));
        add(w, a, loc_json(w, l->loc));
    }
    put(w, o, "locals", locals);

    cJSON *blocks = cJSON_CreateArray();
    for (uint32_t i = 0; blocks && i < f->nblocks; i++) {
        const SumBlock *b = &f->blocks[i];
        cJSON *a = add(w, blocks, cJSON_CreateArray());
        add(w, a, num(b->exit));
        for (uint32_t k = 0; k < b->nsucc; k++)
            add(w, a, num(f->succ[b->succ_begin + k]));
    }
    put(w, o, "blocks", blocks);

    cJSON *calls = cJSON_CreateArray();
    for (uint32_t i = 0; calls && i < f->ncalls; i++)
        add(w, calls, call_json(w, &f->calls[i]));
    put(w, o, "calls", calls);
    if (f->nwrites) {
        cJSON *wr = cJSON_CreateArray();
        for (uint32_t i = 0; wr && i < f->nwrites; i++)
            add(w, wr, cJSON_CreateString(f->writes[i] ? f->writes[i] : ""));
        put(w, o, "writes", wr);
    }
    return o;
}

char *sum_to_json(const TuSummary *s, const char *tool_version, const char *clang_version)
{
    Writer w;
    memset(&w, 0, sizeof w);
    char *text = NULL;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    put(&w, root, "format", cJSON_CreateString(SUM_FORMAT_NAME));
    put(&w, root, "version", num(SUM_FORMAT_VERSION));
    put(&w, root, "stackcheck", cJSON_CreateString(tool_version ? tool_version : ""));
    put(&w, root, "libclang", cJSON_CreateString(clang_version ? clang_version : ""));
    put(&w, root, "path", cJSON_CreateString(s->path ? s->path : ""));
    put(&w, root, "target", cJSON_CreateString(s->target ? s->target : ""));
    cJSON *funcs = cJSON_CreateArray();
    for (uint32_t i = 0; funcs && i < s->nfuncs; i++)
        add(&w, funcs, function_json(&w, &s->funcs[i]));
    /* The file table is complete only after every location was written. */
    cJSON *files = cJSON_CreateArray();
    for (size_t i = 0; files && i < w.files.n; i++)
        add(&w, files, cJSON_CreateString(w.files.names[i]));
    put(&w, root, "files", files);
    put(&w, root, "functions", funcs);
    cJSON *refs = cJSON_CreateArray();
    for (uint32_t i = 0; refs && i < s->nrefs; i++) {
        const SumFnRef *f = &s->refs[i];
        cJSON *a = add(&w, refs, cJSON_CreateArray());
        add(&w, a, cJSON_CreateString(f->usr ? f->usr : ""));
        add(&w, a, str_or_null(f->name));
        add(&w, a, cJSON_CreateBool(f->internal));
        add(&w, a, str_or_null(f->fn_type));
        add(&w, a, str_or_null(f->field));
    }
    put(&w, root, "refs", refs);
    if (!w.failed)
        text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    mem_free(w.files.names);
    if (!text)
        return NULL;
    /* cJSON allocates with malloc; hand back memory the caller frees with
     * mem_free (same allocator underneath, but keep the contract honest). */
    char *copy = mem_strdup(text);
    cJSON_free(text);
    return copy;
}

/* ---- reading ---- */

typedef struct Reader {
    TuSummary *s;
    const char **files; /* arena copies; nfiles items */
    size_t nfiles;
    char *err;
    size_t errsize;
    int failed;         /* an error was written to err */
} Reader;

static int fail(Reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int fail(Reader *r, const char *fmt, ...)
{
    if (!r->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err, r->errsize, fmt, ap);
        va_end(ap);
        r->failed = 1;
    }
    return -1;
}

/* Reads a number that must be an integer in [lo, hi]. */
static int get_int(Reader *r, const cJSON *item, double lo, double hi, const char *what, int64_t *out)
{
    if (!cJSON_IsNumber(item))
        return fail(r, "field '%s' is not a number", what);
    double v = item->valuedouble;
    if (!isfinite(v) || v != floor(v) || v < lo || v > hi)
        return fail(r, "field '%s' is out of range", what);
    *out = (int64_t)v;
    return 0;
}

/* Reads what i64() wrote: a number within +-2^53, or a decimal string. */
static int get_i64(Reader *r, const cJSON *item, const char *what, int64_t *out)
{
    if (!cJSON_IsString(item))
        return get_int(r, item, -9007199254740991.0, 9007199254740991.0, what, out);
    const char *s = item->valuestring;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
        return fail(r, "field '%s' is out of range", what);
    *out = (int64_t)v;
    return 0;
}

static const cJSON *field(Reader *r, const cJSON *obj, const char *key, const char *ctx)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!it)
        fail(r, "field '%s.%s' is missing", ctx, key);
    return it;
}

static const char *get_str(Reader *r, const cJSON *item, int nullable, const char *what)
{
    if (nullable && cJSON_IsNull(item))
        return NULL;
    if (!cJSON_IsString(item) || !item->valuestring) {
        fail(r, "field '%s' is not a string", what);
        return NULL;
    }
    const char *s = arena_strdup(&r->s->arena, item->valuestring);
    if (!s)
        fail(r, "out of memory");
    return s;
}

static int get_bool(Reader *r, const cJSON *item, const char *what, bool *out)
{
    if (!cJSON_IsBool(item))
        return fail(r, "field '%s' is not a boolean", what);
    *out = cJSON_IsTrue(item);
    return 0;
}

#define U32MAX 4294967295.0
#define I53 9007199254740991.0

static int get_loc(Reader *r, const cJSON *item, const char *what, SumLoc *out)
{
    int64_t fi, line, col;
    if (!cJSON_IsArray(item) || cJSON_GetArraySize(item) != 3)
        return fail(r, "field '%s' is not a location", what);
    if (get_int(r, cJSON_GetArrayItem(item, 0), -1, (double)r->nfiles - 1, what, &fi) ||
        get_int(r, cJSON_GetArrayItem(item, 1), 0, U32MAX, what, &line) ||
        get_int(r, cJSON_GetArrayItem(item, 2), 0, U32MAX, what, &col))
        return -1;
    out->file = fi < 0 ? NULL : r->files[fi];
    out->line = (unsigned)line;
    out->col = (unsigned)col;
    return 0;
}

/* Checks that `item` is an array and returns its size, or -1. */
static int array_size(Reader *r, const cJSON *item, const char *what)
{
    if (!cJSON_IsArray(item)) {
        fail(r, "field '%s' is not an array", what);
        return -1;
    }
    return cJSON_GetArraySize(item);
}

static void *arena_array(Reader *r, size_t n, size_t size)
{
    if (n == 0)
        return NULL;
    void *p = arena_alloc(&r->s->arena, n * size);
    if (!p)
        fail(r, "out of memory");
    return p;
}

/* A guard [param, op, value] (and its member key as a fourth item when
 * `field`), or a bound fact (three items only). */
static int read_guard(Reader *r, const cJSON *g, const SumFunction *f, bool field, const char *what,
                      SumGuard *out)
{
    int64_t param, op, val;
    int gn = array_size(r, g, what);
    const char *gf = NULL;
    if (field && gn == 4 && !(gf = get_str(r, cJSON_GetArrayItem(g, 3), 0, what)))
        return fail(r, "field '%s' is not a valid guard", what);
    if ((gn != 3 && !(field && gn == 4)) ||
        get_int(r, cJSON_GetArrayItem(g, 0), 0, (double)f->nparams - 1, what, &param) ||
        get_int(r, cJSON_GetArrayItem(g, 1), 0, SUM_CMP_NE, what, &op) ||
        get_i64(r, cJSON_GetArrayItem(g, 2), what, &val))
        return fail(r, "field '%s' is not a valid %s", what, field ? "guard" : "fact");
    *out = (SumGuard){(uint32_t)param, (SumCmp)op, val, gf};
    return 0;
}

static int read_call(Reader *r, const cJSON *o, SumFunction *f, SumCall *c, const char *ctx)
{
    char what[160];
    int64_t v;
    const cJSON *kind = field(r, o, "kind", ctx);
    if (!kind)
        return -1;
    const char *k = cJSON_GetStringValue(kind);
    if (k && strcmp(k, "direct") == 0)
        c->kind = SUM_CALL_DIRECT;
    else if (k && strcmp(k, "indirect") == 0)
        c->kind = SUM_CALL_INDIRECT;
    else
        return fail(r, "field '%s.kind' is not 'direct' or 'indirect'", ctx);
    snprintf(what, sizeof what, "%.100s.usr", ctx);
    const cJSON *it = field(r, o, "usr", ctx);
    if (!it) return -1;
    c->callee_usr = get_str(r, it, 1, what);
    snprintf(what, sizeof what, "%.100s.name", ctx);
    if (!(it = field(r, o, "name", ctx))) return -1;
    c->callee_name = get_str(r, it, 1, what);
    if (c->kind == SUM_CALL_DIRECT && (!c->callee_usr || !c->callee_name))
        return fail(r, "field '%s' is a direct call without a callee", ctx);
    snprintf(what, sizeof what, "%.100s.type", ctx);
    if (!(it = field(r, o, "type", ctx))) return -1;
    c->fn_type = get_str(r, it, 1, what);
    snprintf(what, sizeof what, "%.100s.field", ctx);
    if (!(it = field(r, o, "field", ctx))) return -1;
    c->field = get_str(r, it, 1, what);
    snprintf(what, sizeof what, "%.100s.internal", ctx);
    if (!(it = field(r, o, "internal", ctx)) || get_bool(r, it, what, &c->callee_internal)) return -1;
    snprintf(what, sizeof what, "%.100s.noreturn", ctx);
    if (!(it = field(r, o, "noreturn", ctx)) || get_bool(r, it, what, &c->callee_noreturn)) return -1;
    snprintf(what, sizeof what, "%.100s.reachable", ctx);
    if (!(it = field(r, o, "reachable", ctx)) || get_bool(r, it, what, &c->reachable)) return -1;
    snprintf(what, sizeof what, "%.100s.loc", ctx);
    if (!(it = field(r, o, "loc", ctx)) || get_loc(r, it, what, &c->loc)) return -1;
    snprintf(what, sizeof what, "%.100s.block", ctx);
    if (!(it = field(r, o, "block", ctx)) ||
        get_int(r, it, 0, f->nblocks ? (double)f->nblocks - 1 : -1, what, &v))
        return fail(r, "field '%s' is out of range", what);
    c->block = (uint32_t)v;

    snprintf(what, sizeof what, "%.100s.args", ctx);
    if (!(it = field(r, o, "args", ctx))) return -1;
    int n = array_size(r, it, what);
    if (n < 0) return -1;
    c->nargs = (uint32_t)n;
    c->args = arena_array(r, (size_t)n, sizeof *c->args);
    if (n && !c->args) return -1;
    for (int i = 0; i < n; i++) {
        const cJSON *a = cJSON_GetArrayItem(it, i);
        int64_t size, cls, param, off;
        snprintf(what, sizeof what, "%.100s.args[%d]", ctx, i);
        int na = array_size(r, a, what);
        if ((na != 4 && na != 7) ||
            get_int(r, cJSON_GetArrayItem(a, 0), 0, I53, what, &size) ||
            get_int(r, cJSON_GetArrayItem(a, 1), 0, SUM_CLASS_OTHER, what, &cls) ||
            get_int(r, cJSON_GetArrayItem(a, 2), -1, (double)f->nparams - 1, what, &param) ||
            get_i64(r, cJSON_GetArrayItem(a, 3), what, &off))
            return fail(r, "field '%s' is not a valid argument", what);
        c->args[i] = (SumArg){(uint64_t)size, (SumClass)cls, (int32_t)param, off, NULL, NULL, false, false, false, 0};
        if (na == 7) {
            SumArg *sa = &c->args[i];
            if (!(sa->fn_usr = get_str(r, cJSON_GetArrayItem(a, 4), 0, what)) ||
                !(sa->fn_name = get_str(r, cJSON_GetArrayItem(a, 5), 0, what)) ||
                get_bool(r, cJSON_GetArrayItem(a, 6), what, &sa->fn_internal))
                return -1;
        }
    }
    const cJSON *vp = cJSON_GetObjectItemCaseSensitive(o, "via_param");
    if (vp) {
        snprintf(what, sizeof what, "%.100s.via_param", ctx);
        if (get_int(r, vp, 1, (double)f->nparams, what, &v)) return -1;
        c->via_param = (uint32_t)v;
    }
    const cJSON *tg = cJSON_GetObjectItemCaseSensitive(o, "targets");
    if (tg) {
        snprintf(what, sizeof what, "%.100s.targets", ctx);
        if (!(c->targets = get_str(r, tg, 0, what))) return -1;
    }
    const cJSON *ip = cJSON_GetObjectItemCaseSensitive(o, "in_place");
    if (ip) {
        snprintf(what, sizeof what, "%.100s.in_place", ctx);
        n = array_size(r, ip, what);
        if (n < 0) return -1;
        for (int i = 0; i < n; i++) {
            int64_t ix;
            if (get_int(r, cJSON_GetArrayItem(ip, i), 0, (double)c->nargs - 1, what, &ix))
                return -1;
            c->args[ix].in_place = true;
        }
    }
    const cJSON *so = cJSON_GetObjectItemCaseSensitive(o, "sole");
    if (so) {
        snprintf(what, sizeof what, "%.100s.sole", ctx);
        if (c->kind != SUM_CALL_INDIRECT)
            return fail(r, "field '%s' is a sole target of a direct call", what);
        if (array_size(r, so, what) != 3 ||
            !(c->sole_usr = get_str(r, cJSON_GetArrayItem(so, 0), 0, what)) ||
            !(c->sole_name = get_str(r, cJSON_GetArrayItem(so, 1), 0, what)) ||
            get_bool(r, cJSON_GetArrayItem(so, 2), what, &c->sole_internal))
            return fail(r, "field '%s' is not [usr, name, internal]", what);
    }

    const cJSON *gs = cJSON_GetObjectItemCaseSensitive(o, "guards");
    if (gs) {
        snprintf(what, sizeof what, "%.100s.guards", ctx);
        n = array_size(r, gs, what);
        if (n < 0) return -1;
        c->guards_known = true;
        c->nguards = (uint32_t)n;
        c->guards = arena_array(r, (size_t)n, sizeof *c->guards);
        if (n && !c->guards) return -1;
        for (int i = 0; i < n; i++) {
            snprintf(what, sizeof what, "%.100s.guards[%d]", ctx, i);
            if (read_guard(r, cJSON_GetArrayItem(gs, i), f, true, what, &c->guards[i]) != 0)
                return -1;
        }
    }
    const cJSON *cs = cJSON_GetObjectItemCaseSensitive(o, "consts");
    if (cs) {
        snprintf(what, sizeof what, "%.100s.consts", ctx);
        n = array_size(r, cs, what);
        if (n < 0) return -1;
        for (int i = 0; i < n; i++) {
            const cJSON *p = cJSON_GetArrayItem(cs, i);
            int64_t ix, val;
            if (array_size(r, p, what) != 2 ||
                get_int(r, cJSON_GetArrayItem(p, 0), 0, (double)c->nargs - 1, what, &ix) ||
                get_i64(r, cJSON_GetArrayItem(p, 1), what, &val))
                return fail(r, "field '%s' is not a list of [index, value]", what);
            c->args[ix].has_value = true;
            c->args[ix].value = val;
        }
    }
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(o, "facts");
    if (fs) {
        snprintf(what, sizeof what, "%.100s.facts", ctx);
        n = array_size(r, fs, what);
        if (n < 0) return -1;
        c->nfacts = (uint32_t)n;
        c->facts = arena_array(r, (size_t)n, sizeof *c->facts);
        if (n && !c->facts) return -1;
        for (int i = 0; i < n; i++) {
            snprintf(what, sizeof what, "%.100s.facts[%d]", ctx, i);
            if (read_guard(r, cJSON_GetArrayItem(fs, i), f, false, what, &c->facts[i]) != 0)
                return -1;
        }
    }
    const cJSON *ko = cJSON_GetObjectItemCaseSensitive(o, "counter");
    if (ko) {
        snprintf(what, sizeof what, "%.100s.counter", ctx);
        SumCounter *cn = arena_array(r, 1, sizeof *cn);
        if (!cn) return -1;
        int64_t param, limit, inc;
        if (array_size(r, ko, what) != 5 ||
            get_int(r, cJSON_GetArrayItem(ko, 0), -1, (double)f->nparams - 1, what, &param) ||
            !(cn->field = get_str(r, cJSON_GetArrayItem(ko, 1), 0, what)) ||
            get_i64(r, cJSON_GetArrayItem(ko, 2), what, &limit) || limit < 0 ||
            get_int(r, cJSON_GetArrayItem(ko, 3), 1, UINT32_MAX, what, &inc) ||
            get_loc(r, cJSON_GetArrayItem(ko, 4), what, &cn->check))
            return fail(r, "field '%s' is not [param, key, limit, inc, loc]", what);
        cn->global = param < 0;
        cn->param = param < 0 ? 0 : (uint32_t)param;
        cn->limit = (uint64_t)limit;
        cn->inc = (uint32_t)inc;
        c->counter = cn;
    }
    return 0;
}

static int read_function(Reader *r, const cJSON *o, SumFunction *f, const char *ctx)
{
    char what[160];
    const cJSON *it;
    int64_t v;
    if (!cJSON_IsObject(o))
        return fail(r, "field '%s' is not an object", ctx);
    snprintf(what, sizeof what, "%.100s.name", ctx);
    if (!(it = field(r, o, "name", ctx)) || !(f->name = get_str(r, it, 0, what))) return -1;
    snprintf(what, sizeof what, "%.100s.usr", ctx);
    if (!(it = field(r, o, "usr", ctx)) || !(f->usr = get_str(r, it, 0, what))) return -1;
    if (!(it = field(r, o, "linkage", ctx))) return -1;
    const char *lk = cJSON_GetStringValue(it);
    if (lk && strcmp(lk, "internal") == 0)
        f->linkage = SUM_LINK_INTERNAL;
    else if (lk && strcmp(lk, "external") == 0)
        f->linkage = SUM_LINK_EXTERNAL;
    else
        return fail(r, "field '%s.linkage' is not 'internal' or 'external'", ctx);
    snprintf(what, sizeof what, "%.100s.loc", ctx);
    if (!(it = field(r, o, "loc", ctx)) || get_loc(r, it, what, &f->loc)) return -1;
    snprintf(what, sizeof what, "%.100s.end", ctx);
    if (!(it = field(r, o, "end", ctx)) || get_loc(r, it, what, &f->end)) return -1;
    snprintf(what, sizeof what, "%.100s.flags", ctx);
    if (!(it = field(r, o, "flags", ctx))) return -1;
    int n = array_size(r, it, what);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++) {
        const char *fl = cJSON_GetStringValue(cJSON_GetArrayItem(it, i));
        if (!fl) return fail(r, "field '%s' holds a non-string", what);
        if (strcmp(fl, "void") == 0) f->returns_void = true;
        else if (strcmp(fl, "variadic") == 0) f->is_variadic = true;
        else if (strcmp(fl, "noreturn") == 0) f->is_noreturn = true;
        else if (strcmp(fl, "address_taken") == 0) f->address_taken = true;
        else if (strcmp(fl, "alloca") == 0) f->has_alloca = true;
        else if (strcmp(fl, "interrupt") == 0) f->is_interrupt = true;
        else if (strcmp(fl, "writes_unknown") == 0) f->writes_unknown = true;
        else if (strcmp(fl, "alias") == 0) f->is_alias = true;
        else return fail(r, "field '%s' holds the unknown flag '%s'", what, fl);
    }
    snprintf(what, sizeof what, "%.100s.max_depth", ctx);
    if (!(it = field(r, o, "max_depth", ctx)) || get_int(r, it, 0, I53, what, &v)) return -1;
    f->max_depth = (uint64_t)v;
    snprintf(what, sizeof what, "%.100s.ret", ctx);
    if (!(it = field(r, o, "ret", ctx))) return -1;
    int64_t rs, rc;
    if (array_size(r, it, what) != 2 || get_int(r, cJSON_GetArrayItem(it, 0), 0, I53, what, &rs) ||
        get_int(r, cJSON_GetArrayItem(it, 1), 0, SUM_CLASS_OTHER, what, &rc))
        return fail(r, "field '%s' is not [size, class]", what);
    f->ret_size = (uint64_t)rs;
    f->ret_cls = (SumClass)rc;

    snprintf(what, sizeof what, "%.100s.params", ctx);
    if (!(it = field(r, o, "params", ctx)) || (n = array_size(r, it, what)) < 0) return -1;
    f->nparams = (uint32_t)n;
    f->params = arena_array(r, (size_t)n, sizeof *f->params);
    if (n && !f->params) return -1;
    const cJSON *a = it->child; /* walk the list: GetArrayItem is O(i) */
    for (int i = 0; i < n; i++, a = a->next) {
        SumParam *p = &f->params[i];
        int64_t size, align, cls;
        snprintf(what, sizeof what, "%.100s.params[%d]", ctx, i);
        if (array_size(r, a, what) != 6 || !(p->name = get_str(r, cJSON_GetArrayItem(a, 0), 0, what)) ||
            get_int(r, cJSON_GetArrayItem(a, 1), 0, I53, what, &size) ||
            get_int(r, cJSON_GetArrayItem(a, 2), 0, I53, what, &align) ||
            get_int(r, cJSON_GetArrayItem(a, 3), 0, SUM_CLASS_OTHER, what, &cls) ||
            get_bool(r, cJSON_GetArrayItem(a, 4), what, &p->is_unsigned) ||
            get_bool(r, cJSON_GetArrayItem(a, 5), what, &p->modified))
            return fail(r, "field '%s' is not a valid parameter", what);
        p->size = (uint64_t)size;
        p->align = (uint64_t)align;
        p->cls = (SumClass)cls;
    }

    snprintf(what, sizeof what, "%.100s.locals", ctx);
    if (!(it = field(r, o, "locals", ctx)) || (n = array_size(r, it, what)) < 0) return -1;
    f->nlocals = (uint32_t)n;
    f->locals = arena_array(r, (size_t)n, sizeof *f->locals);
    if (n && !f->locals) return -1;
    a = it->child;
    for (int i = 0; i < n; i++, a = a->next) {
        SumLocal *l = &f->locals[i];
        int64_t size, align;
        snprintf(what, sizeof what, "%.100s.locals[%d]", ctx, i);
        if (array_size(r, a, what) != 5 || !(l->name = get_str(r, cJSON_GetArrayItem(a, 0), 0, what)) ||
            get_int(r, cJSON_GetArrayItem(a, 1), 0, I53, what, &size) ||
            get_int(r, cJSON_GetArrayItem(a, 2), 0, I53, what, &align) ||
            get_bool(r, cJSON_GetArrayItem(a, 3), what, &l->vla) ||
            get_loc(r, cJSON_GetArrayItem(a, 4), what, &l->loc))
            return fail(r, "field '%s' is not a valid local", what);
        l->size = (uint64_t)size;
        l->align = (uint64_t)align;
    }

    /* Blocks: count successors first, then fill the flat successor array. */
    snprintf(what, sizeof what, "%.100s.blocks", ctx);
    const cJSON *blocks = field(r, o, "blocks", ctx);
    if (!blocks || (n = array_size(r, blocks, what)) < 0) return -1;
    f->nblocks = (uint32_t)n;
    f->blocks = arena_array(r, (size_t)n, sizeof *f->blocks);
    if (n && !f->blocks) return -1;
    size_t total = 0;
    const cJSON *b = blocks->child;
    for (int i = 0; i < n; i++, b = b->next) {
        int m = array_size(r, b, what);
        if (m < 1) return fail(r, "field '%s[%d]' is not [exit, successors...]", what, i);
        total += (size_t)m - 1;
    }
    if (total > UINT32_MAX) return fail(r, "field '%s' has too many edges", what);
    f->nsucc = (uint32_t)total;
    f->succ = arena_array(r, total, sizeof *f->succ);
    if (total && !f->succ) return -1;
    uint32_t pos = 0;
    b = blocks->child;
    for (int i = 0; i < n; i++, b = b->next) {
        int m = cJSON_GetArraySize(b);
        int64_t ex;
        snprintf(what, sizeof what, "%.100s.blocks[%d]", ctx, i);
        if (get_int(r, cJSON_GetArrayItem(b, 0), 0, SUM_EXIT_NORETURN, what, &ex)) return -1;
        f->blocks[i] = (SumBlock){pos, (uint32_t)(m - 1), (SumExit)ex};
        for (int k = 1; k < m; k++) {
            if (get_int(r, cJSON_GetArrayItem(b, k), 0, (double)n - 1, what, &v)) return -1;
            f->succ[pos++] = (uint32_t)v;
        }
    }

    snprintf(what, sizeof what, "%.100s.calls", ctx);
    if (!(it = field(r, o, "calls", ctx)) || (n = array_size(r, it, what)) < 0) return -1;
    f->ncalls = (uint32_t)n;
    f->calls = arena_array(r, (size_t)n, sizeof *f->calls);
    if (n && !f->calls) return -1;
    const cJSON *c = it->child;
    for (int i = 0; i < n; i++, c = c->next) {
        snprintf(what, sizeof what, "%.100s.calls[%d]", ctx, i);
        if (!cJSON_IsObject(c)) return fail(r, "field '%s' is not an object", what);
        if (read_call(r, c, f, &f->calls[i], what)) return -1;
    }

    /* Optional: the member keys the body writes. */
    const cJSON *wr = cJSON_GetObjectItemCaseSensitive(o, "writes");
    if (wr) {
        snprintf(what, sizeof what, "%.100s.writes", ctx);
        if ((n = array_size(r, wr, what)) < 0) return -1;
        f->nwrites = (uint32_t)n;
        f->writes = arena_array(r, (size_t)n, sizeof *f->writes);
        if (n && !f->writes) return -1;
        a = wr->child;
        for (int i = 0; i < n; i++, a = a->next) {
            snprintf(what, sizeof what, "%.100s.writes[%d]", ctx, i);
            if (!(f->writes[i] = get_str(r, a, 0, what))) return -1;
        }
    }
    return 0;
}

static int read_header(Reader *r, const cJSON *root, const char *tool_version)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (!cJSON_IsString(it) || strcmp(it->valuestring, SUM_FORMAT_NAME) != 0)
        return fail(r, "not a stackcheck summary (no \"format\": \"%s\")", SUM_FORMAT_NAME);
    it = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!cJSON_IsNumber(it))
        return fail(r, "summary has no format version");
    if (it->valuedouble != SUM_FORMAT_VERSION)
        return fail(r, "summary format version %g, this stackcheck reads %d", it->valuedouble,
                    SUM_FORMAT_VERSION);
    it = cJSON_GetObjectItemCaseSensitive(root, "stackcheck");
    if (!cJSON_IsString(it))
        return fail(r, "summary does not say which stackcheck wrote it");
    if (tool_version && strcmp(it->valuestring, tool_version) != 0)
        return fail(r, "summary was written by stackcheck %.40s, this is %s", it->valuestring,
                    tool_version);
    it = cJSON_GetObjectItemCaseSensitive(root, "libclang");
    if (!cJSON_IsString(it))
        return fail(r, "summary does not say which libclang parsed it");
    return 0;
}

int sum_from_json(const char *text, size_t len, const char *tool_version, TuSummary **out, char *err,
                  size_t errsize)
{
    Reader r;
    memset(&r, 0, sizeof r);
    r.err = err;
    r.errsize = errsize;
    if (errsize)
        err[0] = '\0';
    int rc = -1;
    /* The tree lives in its own arena (see json_alloc.h), dropped at once. */
    Arena tree;
    arena_init(&tree);
    json_alloc_begin(&tree);
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!root || !cJSON_IsObject(root)) {
        fail(&r, "not valid JSON");
        goto done;
    }
    if (read_header(&r, root, tool_version))
        goto done;
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(root, "path");
    const cJSON *target = cJSON_GetObjectItemCaseSensitive(root, "target");
    if (!cJSON_IsString(path) || !cJSON_IsString(target)) {
        fail(&r, "field 'path' or 'target' is missing");
        goto done;
    }
    r.s = sum_new(path->valuestring, target->valuestring);
    if (!r.s) {
        fail(&r, "out of memory");
        goto done;
    }
    r.s->clang_version =
        arena_strdup(&r.s->arena, cJSON_GetObjectItemCaseSensitive(root, "libclang")->valuestring);
    if (!r.s->clang_version)
        goto done;
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(root, "files");
    int nfiles = array_size(&r, files, "files");
    if (nfiles < 0)
        goto done;
    r.nfiles = (size_t)nfiles;
    r.files = arena_array(&r, r.nfiles, sizeof *r.files);
    if (nfiles && !r.files)
        goto done;
    const cJSON *fe = files->child;
    for (int i = 0; i < nfiles; i++, fe = fe->next)
        if (!(r.files[i] = get_str(&r, fe, 0, "files[]")))
            goto done;
    const cJSON *funcs = cJSON_GetObjectItemCaseSensitive(root, "functions");
    int nfuncs = array_size(&r, funcs, "functions");
    if (nfuncs < 0)
        goto done;
    r.s->nfuncs = (uint32_t)nfuncs;
    r.s->funcs = arena_array(&r, (size_t)nfuncs, sizeof *r.s->funcs);
    if (nfuncs && !r.s->funcs)
        goto done;
    const cJSON *fo = funcs->child;
    for (int i = 0; i < nfuncs; i++, fo = fo->next) {
        char ctx[64];
        snprintf(ctx, sizeof ctx, "functions[%d]", i);
        if (read_function(&r, fo, &r.s->funcs[i], ctx))
            goto done;
    }
    const cJSON *refs = cJSON_GetObjectItemCaseSensitive(root, "refs");
    int nrefs = array_size(&r, refs, "refs");
    if (nrefs < 0)
        goto done;
    r.s->nrefs = (uint32_t)nrefs;
    r.s->refs = arena_array(&r, (size_t)nrefs, sizeof *r.s->refs);
    if (nrefs && !r.s->refs)
        goto done;
    const cJSON *a = refs->child;
    for (int i = 0; i < nrefs; i++, a = a->next) {
        SumFnRef *f = &r.s->refs[i];
        if (array_size(&r, a, "refs[]") != 5) {
            fail(&r, "field 'refs[%d]' is not [usr, name, internal, type, field]", i);
            goto done;
        }
        if (!(f->usr = get_str(&r, cJSON_GetArrayItem(a, 0), 0, "refs[].usr")) ||
            get_bool(&r, cJSON_GetArrayItem(a, 2), "refs[].internal", &f->internal))
            goto done;
        f->name = get_str(&r, cJSON_GetArrayItem(a, 1), 1, "refs[].name");
        f->fn_type = get_str(&r, cJSON_GetArrayItem(a, 3), 1, "refs[].type");
        f->field = get_str(&r, cJSON_GetArrayItem(a, 4), 1, "refs[].field");
        if (r.failed)
            goto done;
    }
    if (r.failed)
        goto done;
    *out = r.s;
    r.s = NULL;
    rc = 0;
done:
    if (rc && !r.failed)
        fail(&r, "out of memory");
    sum_free(r.s);
    cJSON_Delete(root);
    json_alloc_end();
    arena_fini(&tree);
    return rc;
}
