/* This file writes TU summaries in the compact binary form and reads them
 * back, without a tree, with every index, enum, flag and count checked as
 * sum_from_json checks them (docs/summary-format.md gives the layout). */
#include "summary/summary_bin.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"

/* Largest size, alignment, return size or max_depth a summary holds: what a
 * JSON number carries exactly (2^53 - 1). The JSON reader refuses more, so
 * this one does too, and a summary read here always writes as JSON that
 * reads back. */
#define BIN_MAX_SIZE UINT64_C(9007199254740991)

/* Largest count of anything (functions, calls, arguments...): the JSON
 * reader's arrays hold an int, and an argument's parameter index must fit
 * SumArg.param (int32_t). */
#define BIN_MAX_COUNT UINT64_C(2147483647)

/* Fewest bytes one item takes (one per varint or string reference). A count
 * is refused when even items this small would not fit in the bytes left, so
 * no input can make the reader allocate much more than its own size (a
 * SumFunction is ~200 bytes for at least 17 read: about 12x at worst). Keep
 * in step with the layout below and docs/summary-format.md. */
enum {
    MIN_FUNCTION = 18, /* name usr flags loc(3) end(3) max_depth ret_size ret_class
                          nparams nlocals nblocks nsucc ncalls nwrites */
    MIN_PARAM = 4,     /* name size align bits */
    MIN_LOCAL = 7,     /* name size align vla loc(3) */
    MIN_BLOCK = 1,     /* (nsucc << 2 | exit) */
    MIN_SUCC = 1,      /* block index */
    MIN_CALL = 12,     /* bits usr name type field targets loc(3) block via_param nargs
                          (sole usr and name follow targets only with CALL_SOLE) */
    MIN_ARG = 4,       /* size bits param+1 offset */
    MIN_GUARD = 4,     /* param op value field */
    MIN_FACT = 3,      /* param op value */
    MIN_REF = 5,       /* usr name internal type field */
    MIN_DEP = 1,       /* path */
    MIN_WRITE = 1      /* member key */
};

/* Bits of a function's flags varint. ORDER FUNCTION FLAGS: the layout in
 * docs/summary-format.md and tests/bench/gen_summaries.py. */
enum {
    FN_INTERNAL = 1 << 0,
    FN_VOID = 1 << 1,
    FN_VARIADIC = 1 << 2,
    FN_NORETURN = 1 << 3,
    FN_ADDRESS_TAKEN = 1 << 4,
    FN_ALLOCA = 1 << 5,
    FN_INTERRUPT = 1 << 6,
    FN_WRITES_UNKNOWN = 1 << 7,
    FN_ALIAS = 1 << 8,
    FN_ALL = (1 << 9) - 1
};

/* Bits of a call's flags varint. */
enum {
    CALL_INDIRECT = 1 << 0,
    CALL_INTERNAL = 1 << 1,
    CALL_NORETURN = 1 << 2,
    CALL_REACHABLE = 1 << 3,
    CALL_GUARDS = 1 << 4, /* guards_known: nguards and the guards follow */
    CALL_SOLE = 1 << 5,   /* indirect with a sole target: its usr and name
                             follow targets */
    CALL_SOLE_INTERNAL = 1 << 6, /* only with CALL_SOLE */
    CALL_FACTS = 1 << 7,  /* nfacts and the bound facts follow the guards */
    CALL_COUNTER = 1 << 8, /* the depth counter follows the facts */
    CALL_ALL = (1 << 9) - 1
};

/* A parameter's and an argument's bits varint: the class in bits 0-2, then
 * two booleans. */
enum {
    CLS_MASK = 7,
    PARAM_UNSIGNED = 1 << 3,
    PARAM_MODIFIED = 1 << 4,
    ARG_HAS_FN = 1 << 3,      /* a function designator: fn_usr, fn_name follow */
    ARG_FN_INTERNAL = 1 << 4, /* only with ARG_HAS_FN */
    PARAM_BITS_ALL = (1 << 5) - 1,
    ARG_IN_PLACE = 1 << 5,    /* SumArg.in_place */
    ARG_HAS_VALUE = 1 << 6,   /* SumArg.has_value: the value follows the offset */
    ARG_BITS_ALL = (1 << 7) - 1
};

/* ---- writing ---- */

/* A growable byte buffer with a sticky failure flag. */
typedef struct Out {
    unsigned char *p; /* owned (mem_alloc) */
    size_t n, cap;    /* bytes */
    bool failed;      /* an allocation failed: the content is incomplete */
} Out;

static bool out_reserve(Out *o, size_t more)
{
    if (o->cap - o->n >= more)
        return true;
    if (o->failed)
        return false;
    size_t ncap = o->cap ? o->cap : 4096;
    while (ncap - o->n < more) {
        if (ncap > SIZE_MAX / 2) {
            o->failed = true;
            return false;
        }
        ncap *= 2;
    }
    unsigned char *np = mem_realloc(o->p, ncap);
    if (!np) {
        o->failed = true;
        return false;
    }
    o->p = np;
    o->cap = ncap;
    return true;
}

static void put_u(Out *o, uint64_t v)
{
    if (!out_reserve(o, 10))
        return;
    unsigned char *p = o->p + o->n;
    while (v >= 0x80) {
        *p++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (unsigned char)v;
    o->n = (size_t)(p - o->p);
}

/* Zigzag: 0, -1, 1, -2, ... as 0, 1, 2, 3, ... */
static void put_s(Out *o, int64_t v)
{
    put_u(o, v < 0 ? (((uint64_t)-(v + 1)) << 1) | 1 : (uint64_t)v << 1);
}

static void put_bytes(Out *o, const void *data, size_t n)
{
    if (n && out_reserve(o, n)) {
        memcpy(o->p + o->n, data, n);
        o->n += n;
    }
}

/* The string table being built: each distinct string once, in order of
 * first use. A string's reference is its index + 1 (0 stands for NULL). */
typedef struct Interned {
    const char *s;  /* borrowed from the summary */
    size_t len;     /* bytes, without the NUL */
    uint64_t hash;
} Interned;

typedef struct Strings {
    Interned *items;   /* owned; n used of cap */
    size_t n, cap;
    uint32_t *slots;   /* owned; open addressing over items: 0 empty, else index + 1 */
    size_t nslots;     /* a power of two, or 0 */
    size_t bytes;      /* the table's size: every string with its NUL */
    const char *last;  /* the last string looked up (locations repeat one
                          file pointer), and its reference */
    uint64_t last_ref;
    bool failed;       /* sticky: an allocation failed */
} Strings;

static uint64_t str_hash(const char *s, size_t *len)
{
    uint64_t h = 1469598103934665603u;
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    *len = (size_t)(p - (const unsigned char *)s);
    return h ^ (h >> 29);
}

static bool strings_grow(Strings *t)
{
    size_t ncap = t->nslots ? t->nslots * 2 : 1024;
    if (ncap > (size_t)UINT32_MAX)
        return false;
    uint32_t *slots = mem_calloc(ncap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        size_t k = (size_t)t->items[i].hash & (ncap - 1);
        while (slots[k])
            k = (k + 1) & (ncap - 1);
        slots[k] = (uint32_t)(i + 1);
    }
    mem_free(t->slots);
    t->slots = slots;
    t->nslots = ncap;
    return true;
}

/* The reference of `s` (0 for NULL), adding it to the table when new. */
static uint64_t str_ref(Strings *t, const char *s)
{
    if (!s)
        return 0;
    if (s == t->last)
        return t->last_ref;
    size_t len;
    uint64_t h = str_hash(s, &len);
    if (2 * (t->n + 1) > t->nslots && !strings_grow(t)) {
        t->failed = true;
        return 0;
    }
    size_t k = (size_t)h & (t->nslots - 1);
    for (uint32_t i; (i = t->slots[k]) != 0; k = (k + 1) & (t->nslots - 1)) {
        const Interned *it = &t->items[i - 1];
        if (it->hash == h && it->len == len && memcmp(it->s, s, len) == 0) {
            t->last = s;
            t->last_ref = i;
            return i;
        }
    }
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 256;
        Interned *items = mem_realloc_array(t->items, ncap, sizeof *items);
        if (!items) {
            t->failed = true;
            return 0;
        }
        t->items = items;
        t->cap = ncap;
    }
    t->items[t->n] = (Interned){s, len, h};
    t->slots[k] = (uint32_t)(t->n + 1);
    t->n++;
    t->bytes += len + 1;
    t->last = s;
    t->last_ref = t->n;
    return t->n;
}

typedef struct Writer {
    Out body;     /* everything after the string table */
    Strings strs;
} Writer;

static void put_str(Writer *w, const char *s) { put_u(&w->body, str_ref(&w->strs, s)); }

static void put_loc(Writer *w, SumLoc loc)
{
    put_str(w, loc.file);
    put_u(&w->body, loc.line);
    put_u(&w->body, loc.col);
}

static void put_call(Writer *w, const SumCall *c)
{
    Out *o = &w->body;
    put_u(o, (c->kind == SUM_CALL_INDIRECT ? CALL_INDIRECT : 0) | (c->callee_internal ? CALL_INTERNAL : 0) |
                 (c->callee_noreturn ? CALL_NORETURN : 0) | (c->reachable ? CALL_REACHABLE : 0) |
                 (c->guards_known ? CALL_GUARDS : 0) | (c->nfacts ? CALL_FACTS : 0) |
                 (c->counter ? CALL_COUNTER : 0) |
                 /* As in JSON, a sole target is kept only with its USR. */
                 (c->sole_usr ? CALL_SOLE | (c->sole_internal ? CALL_SOLE_INTERNAL : 0) : 0));
    put_str(w, c->callee_usr);
    put_str(w, c->callee_name);
    put_str(w, c->fn_type);
    put_str(w, c->field);
    put_str(w, c->targets);
    if (c->sole_usr) {
        put_str(w, c->sole_usr);
        put_str(w, c->sole_name);
    }
    put_loc(w, c->loc);
    put_u(o, c->block);
    put_u(o, c->via_param);
    put_u(o, c->nargs);
    for (uint32_t i = 0; i < c->nargs; i++) {
        const SumArg *a = &c->args[i];
        /* As in JSON, a function designator is kept only with its USR. */
        unsigned bits = (unsigned)a->cls & CLS_MASK;
        if (a->fn_usr)
            bits |= ARG_HAS_FN | (a->fn_internal ? ARG_FN_INTERNAL : 0);
        if (a->in_place)
            bits |= ARG_IN_PLACE;
        if (a->has_value)
            bits |= ARG_HAS_VALUE;
        put_u(o, a->size);
        put_u(o, bits);
        put_u(o, (uint64_t)((int64_t)a->param + 1));
        put_s(o, a->offset);
        if (a->has_value)
            put_s(o, a->value);
        if (a->fn_usr) {
            put_str(w, a->fn_usr);
            put_str(w, a->fn_name);
        }
    }
    if (c->guards_known) {
        put_u(o, c->nguards);
        for (uint32_t i = 0; i < c->nguards; i++) {
            put_u(o, c->guards[i].param);
            put_u(o, c->guards[i].op);
            put_s(o, c->guards[i].value);
            put_str(w, c->guards[i].field);
        }
    }
    if (c->nfacts) {
        put_u(o, c->nfacts);
        for (uint32_t i = 0; i < c->nfacts; i++) {
            put_u(o, c->facts[i].param);
            put_u(o, c->facts[i].op);
            put_s(o, c->facts[i].value);
        }
    }
    if (c->counter) {
        put_u(o, c->counter->global ? 0 : (uint64_t)c->counter->param + 1);
        put_str(w, c->counter->field);
        put_u(o, c->counter->limit);
        put_u(o, c->counter->inc);
        put_loc(w, c->counter->check);
    }
}

static void put_function(Writer *w, const SumFunction *f)
{
    Out *o = &w->body;
    put_str(w, f->name ? f->name : "");
    put_str(w, f->usr ? f->usr : "");
    put_u(o, (f->linkage == SUM_LINK_INTERNAL ? FN_INTERNAL : 0) | (f->returns_void ? FN_VOID : 0) |
                 (f->is_variadic ? FN_VARIADIC : 0) | (f->is_noreturn ? FN_NORETURN : 0) |
                 (f->address_taken ? FN_ADDRESS_TAKEN : 0) | (f->has_alloca ? FN_ALLOCA : 0) |
                 (f->is_interrupt ? FN_INTERRUPT : 0) |
                 (f->writes_unknown ? FN_WRITES_UNKNOWN : 0) | (f->is_alias ? FN_ALIAS : 0));
    put_loc(w, f->loc);
    put_loc(w, f->end);
    put_u(o, f->max_depth);
    put_u(o, f->ret_size);
    put_u(o, f->ret_cls);
    put_u(o, f->nparams);
    for (uint32_t i = 0; i < f->nparams; i++) {
        const SumParam *p = &f->params[i];
        put_str(w, p->name ? p->name : "");
        put_u(o, p->size);
        put_u(o, p->align);
        put_u(o, ((unsigned)p->cls & CLS_MASK) | (p->is_unsigned ? PARAM_UNSIGNED : 0) |
                     (p->modified ? PARAM_MODIFIED : 0));
    }
    put_u(o, f->nlocals);
    for (uint32_t i = 0; i < f->nlocals; i++) {
        const SumLocal *l = &f->locals[i];
        put_str(w, l->name ? l->name : "");
        put_u(o, l->size);
        put_u(o, l->align);
        put_u(o, l->vla);
        put_loc(w, l->loc);
    }
    /* Successors are written block by block, so the reader rebuilds the
     * flat array with each block's run in order (as the JSON reader does). */
    uint64_t nsucc = 0;
    for (uint32_t i = 0; i < f->nblocks; i++)
        nsucc += f->blocks[i].nsucc;
    put_u(o, f->nblocks);
    put_u(o, nsucc);
    for (uint32_t i = 0; i < f->nblocks; i++) {
        const SumBlock *b = &f->blocks[i];
        put_u(o, (uint64_t)b->nsucc << 2 | (unsigned)b->exit);
        for (uint32_t k = 0; k < b->nsucc; k++)
            put_u(o, f->succ[b->succ_begin + k]);
    }
    put_u(o, f->ncalls);
    for (uint32_t i = 0; i < f->ncalls; i++)
        put_call(w, &f->calls[i]);
    put_u(o, f->nwrites);
    for (uint32_t i = 0; i < f->nwrites; i++)
        put_str(w, f->writes[i] ? f->writes[i] : "");
}

char *sum_to_bin(const TuSummary *s, const char *tool_version, const char *clang_version, size_t *len)
{
    Writer w;
    memset(&w, 0, sizeof w);
    Out all = {0};
    Out *o = &w.body;
    put_str(&w, s->path ? s->path : "");
    put_str(&w, s->target ? s->target : "");
    put_u(o, s->nfuncs);
    for (uint32_t i = 0; i < s->nfuncs; i++)
        put_function(&w, &s->funcs[i]);
    put_u(o, s->nrefs);
    for (uint32_t i = 0; i < s->nrefs; i++) {
        const SumFnRef *r = &s->refs[i];
        put_str(&w, r->usr ? r->usr : "");
        put_str(&w, r->name);
        put_u(o, r->internal);
        put_str(&w, r->fn_type);
        put_str(&w, r->field);
    }
    put_u(o, s->ndeps);
    for (uint32_t i = 0; i < s->ndeps; i++)
        put_str(&w, s->deps[i] ? s->deps[i] : "");
    if (o->failed || w.strs.failed)
        goto done;

    /* Header and string table, then the body: sized once, copied once. */
    const char *tv = tool_version ? tool_version : "", *cv = clang_version ? clang_version : "";
    size_t tlen = strlen(tv), clen = strlen(cv);
    if (!out_reserve(&all, SUM_BIN_MAGIC_LEN + 6 * 10 + tlen + clen + w.strs.bytes + o->n))
        goto done;
    put_bytes(&all, SUM_BIN_MAGIC, SUM_BIN_MAGIC_LEN);
    put_u(&all, SUM_FORMAT_VERSION);
    put_u(&all, SUM_BIN_VERSION);
    put_u(&all, tlen);
    put_bytes(&all, tv, tlen);
    put_u(&all, clen);
    put_bytes(&all, cv, clen);
    put_u(&all, w.strs.n);
    put_u(&all, w.strs.bytes);
    for (size_t i = 0; i < w.strs.n; i++)
        put_bytes(&all, w.strs.items[i].s, w.strs.items[i].len + 1);
    put_bytes(&all, o->p, o->n);
done:
    mem_free(o->p);
    mem_free(w.strs.items);
    mem_free(w.strs.slots);
    if (o->failed || w.strs.failed || all.failed || !all.p) {
        mem_free(all.p);
        return NULL;
    }
    *len = all.n;
    return (char *)all.p;
}

/* ---- reading ---- */

typedef struct Reader {
    const unsigned char *start, *p, *end; /* the input; p: next byte */
    TuSummary *s;        /* being built; owned until handed over */
    const char **strs;   /* owned (mem_alloc); nstrs + 1 items: strs[0] is
                            NULL, strs[i] the table's string i - 1 (arena) */
    uint64_t nstrs;
    /* Where the reader is, used only to word an error: */
    long func, call;     /* indexes, -1 outside one */
    const char *part;    /* "param", "local", "block", "arg", "guard", "ref",
                            "dep", "write" or NULL */
    uint64_t part_index;
    char *err;
    size_t errsize;
    bool failed;         /* an error was written to err */
} Reader;

static void failf(Reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Records the first error, prefixed with where it happened, and stops the
 * reading (every later read sees no bytes left). */
static void failf(Reader *r, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    r->p = r->end;
    if (!r->errsize)
        return;
    char where[96] = "";
    size_t n = 0;
    if (r->func >= 0)
        n += (size_t)snprintf(where + n, sizeof where - n, " function %ld", r->func);
    if (r->call >= 0 && n < sizeof where)
        n += (size_t)snprintf(where + n, sizeof where - n, " call %ld", r->call);
    if (r->part && n < sizeof where)
        n += (size_t)snprintf(where + n, sizeof where - n, " %s %" PRIu64, r->part, r->part_index);
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(r->err, r->errsize, "binary summary:%s%s %s", where, where[0] ? ":" : "", what);
}

static void truncated(Reader *r, const unsigned char *at)
{
    size_t off = (size_t)(at - r->start);
    r->func = r->call = -1;
    r->part = NULL;
    failf(r, "truncated at byte %zu", off);
}

static uint64_t get_u_slow(Reader *r)
{
    const unsigned char *p = r->p;
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (p == r->end) {
            truncated(r, r->p);
            return 0;
        }
        unsigned b = *p++;
        if (shift == 63 && b > 1) {
            failf(r, "number too large at byte %zu", (size_t)(r->p - r->start));
            return 0;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        if (b < 0x80)
            break;
    }
    r->p = p;
    return v;
}

/* An unsigned varint; 0 once the reader failed. */
static inline uint64_t get_u(Reader *r)
{
    if (r->p < r->end && *r->p < 0x80)
        return *r->p++;
    return get_u_slow(r);
}

static inline int64_t get_s(Reader *r)
{
    uint64_t u = get_u(r);
    return (u & 1) ? -(int64_t)(u >> 1) - 1 : (int64_t)(u >> 1);
}

/* A varint that must be <= max; `what` names it in the error. */
static inline uint64_t get_max(Reader *r, uint64_t max, const char *what)
{
    uint64_t v = get_u(r);
    if (v > max) {
        failf(r, "%s %" PRIu64 " out of range", what, v);
        return 0;
    }
    return v;
}

static inline bool get_bool(Reader *r, const char *what) { return get_max(r, 1, what) != 0; }

/* A count of items of at least min_bytes each, which must fit in the bytes
 * left: checked before the caller allocates for them. */
static inline uint32_t get_count(Reader *r, size_t min_bytes, const char *what)
{
    uint64_t v = get_u(r);
    if (v > BIN_MAX_COUNT || v > (uint64_t)(r->end - r->p) / min_bytes) {
        if (!r->failed)
            failf(r, "%s count %" PRIu64 " exceeds the %zu bytes left", what, v, (size_t)(r->end - r->p));
        return 0;
    }
    return (uint32_t)v;
}

/* A string reference: NULL for 0 when `nullable`, else a table string. */
static inline const char *get_str(Reader *r, bool nullable, const char *what)
{
    uint64_t i = get_u(r);
    if (i - 1 < r->nstrs)
        return r->strs[i];
    if (i == 0 && (nullable || r->failed))
        return NULL;
    if (i == 0)
        failf(r, "%s is missing (null)", what);
    else
        failf(r, "%s: string %" PRIu64 " out of range (%" PRIu64 " strings)", what, i, r->nstrs);
    return NULL;
}

static inline void get_loc(Reader *r, SumLoc *loc, const char *what)
{
    loc->file = get_str(r, true, what);
    loc->line = (unsigned)get_max(r, UINT32_MAX, what);
    loc->col = (unsigned)get_max(r, UINT32_MAX, what);
}

/* n zeroed items of `size` bytes from the summary's arena; NULL for none. */
static void *arena_array(Reader *r, size_t n, size_t size)
{
    if (n == 0 || r->failed)
        return NULL;
    void *p = n <= SIZE_MAX / size ? arena_alloc(&r->s->arena, n * size) : NULL;
    if (!p) {
        r->func = r->call = -1;
        r->part = NULL;
        failf(r, "out of memory");
    }
    return p;
}

/* n guards (with their member key when `field`) or bound facts into out,
 * each part named `part` in messages. */
static void read_guards(Reader *r, const SumFunction *f, const char *part, SumGuard *out, uint32_t n,
                        bool field)
{
    r->part = part;
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        r->part_index = i;
        uint64_t param = get_u(r);
        if (param >= f->nparams) {
            if (!r->failed)
                failf(r, "param %" PRIu64 " out of range", param);
            break;
        }
        out[i].param = (uint32_t)param;
        out[i].op = (SumCmp)get_max(r, SUM_CMP_NE, "op");
        out[i].value = get_s(r);
        out[i].field = field ? get_str(r, true, "field") : NULL;
    }
    r->part = NULL;
}

static int read_call(Reader *r, const SumFunction *f, SumCall *c)
{
    uint64_t bits = get_max(r, CALL_ALL, "flags");
    c->kind = (bits & CALL_INDIRECT) ? SUM_CALL_INDIRECT : SUM_CALL_DIRECT;
    c->callee_internal = (bits & CALL_INTERNAL) != 0;
    c->callee_noreturn = (bits & CALL_NORETURN) != 0;
    c->reachable = (bits & CALL_REACHABLE) != 0;
    c->guards_known = (bits & CALL_GUARDS) != 0;
    c->callee_usr = get_str(r, true, "usr");
    c->callee_name = get_str(r, true, "name");
    if (c->kind == SUM_CALL_DIRECT && (!c->callee_usr || !c->callee_name) && !r->failed)
        failf(r, "a direct call without a callee");
    c->fn_type = get_str(r, true, "type");
    c->field = get_str(r, true, "field");
    c->targets = get_str(r, true, "targets");
    if ((bits & CALL_SOLE_INTERNAL) && !(bits & CALL_SOLE)) {
        failf(r, "flags %" PRIu64 " out of range", bits);
        return -1;
    }
    if (bits & CALL_SOLE) {
        if (c->kind != SUM_CALL_INDIRECT) {
            failf(r, "a sole target of a direct call");
            return -1;
        }
        c->sole_usr = get_str(r, false, "sole_usr");
        c->sole_name = get_str(r, false, "sole_name");
        c->sole_internal = (bits & CALL_SOLE_INTERNAL) != 0;
    }
    get_loc(r, &c->loc, "loc");
    uint64_t block = get_u(r);
    if (block >= f->nblocks) {
        if (!r->failed)
            failf(r, "block %" PRIu64 " out of range", block);
        return -1;
    }
    c->block = (uint32_t)block;
    c->via_param = (uint32_t)get_max(r, f->nparams, "via_param");
    c->nargs = get_count(r, MIN_ARG, "arg");
    c->args = arena_array(r, c->nargs, sizeof *c->args);
    r->part = "arg";
    for (uint32_t i = 0; i < c->nargs && !r->failed; i++) {
        SumArg *a = &c->args[i];
        r->part_index = i;
        a->size = get_max(r, BIN_MAX_SIZE, "size");
        uint64_t ab = get_u(r);
        if ((ab & CLS_MASK) > SUM_CLASS_OTHER || ab > ARG_BITS_ALL ||
            ((ab & ARG_FN_INTERNAL) && !(ab & ARG_HAS_FN))) {
            failf(r, "bits %" PRIu64 " out of range", ab);
            break;
        }
        a->cls = (SumClass)(ab & CLS_MASK);
        a->in_place = (ab & ARG_IN_PLACE) != 0;
        uint64_t param = get_u(r); /* the parameter's index + 1; 0: none */
        if (param > f->nparams) {
            if (!r->failed)
                failf(r, "param %" PRIu64 " out of range", param - 1);
            break;
        }
        a->param = (int32_t)param - 1;
        a->offset = get_s(r);
        if (ab & ARG_HAS_VALUE) {
            a->has_value = true;
            a->value = get_s(r);
        }
        if (ab & ARG_HAS_FN) {
            a->fn_usr = get_str(r, false, "fn_usr");
            a->fn_name = get_str(r, false, "fn_name");
            a->fn_internal = (ab & ARG_FN_INTERNAL) != 0;
        }
    }
    r->part = NULL;
    if (c->guards_known) {
        c->nguards = get_count(r, MIN_GUARD, "guard");
        c->guards = arena_array(r, c->nguards, sizeof *c->guards);
        read_guards(r, f, "guard", c->guards, c->nguards, true);
    }
    if (bits & CALL_FACTS) {
        c->nfacts = get_count(r, MIN_FACT, "fact");
        if (c->nfacts == 0 && !r->failed)
            failf(r, "an empty list of facts");
        c->facts = arena_array(r, c->nfacts, sizeof *c->facts);
        read_guards(r, f, "fact", c->facts, c->nfacts, false);
    }
    if (bits & CALL_COUNTER) {
        SumCounter *k = arena_array(r, 1, sizeof *k);
        if (!k)
            return -1;
        uint64_t param = get_u(r); /* 1 + the parameter; 0: a global */
        if (param > f->nparams) {
            if (!r->failed)
                failf(r, "counter param %" PRIu64 " out of range", param - 1);
            return -1;
        }
        k->global = param == 0;
        k->param = param ? (uint32_t)param - 1 : 0;
        k->field = get_str(r, false, "counter field");
        k->limit = get_max(r, INT64_MAX, "counter limit");
        uint64_t inc = get_max(r, UINT32_MAX, "counter inc");
        if (inc == 0 && !r->failed)
            failf(r, "a counter incremented by 0");
        k->inc = (uint32_t)inc;
        get_loc(r, &k->check, "counter check");
        c->counter = k;
    }
    return r->failed ? -1 : 0;
}

static int read_function(Reader *r, SumFunction *f)
{
    f->name = get_str(r, false, "name");
    f->usr = get_str(r, false, "usr");
    uint64_t bits = get_max(r, FN_ALL, "flags");
    f->linkage = (bits & FN_INTERNAL) ? SUM_LINK_INTERNAL : SUM_LINK_EXTERNAL;
    f->returns_void = (bits & FN_VOID) != 0;
    f->is_variadic = (bits & FN_VARIADIC) != 0;
    f->is_noreturn = (bits & FN_NORETURN) != 0;
    f->address_taken = (bits & FN_ADDRESS_TAKEN) != 0;
    f->has_alloca = (bits & FN_ALLOCA) != 0;
    f->is_interrupt = (bits & FN_INTERRUPT) != 0;
    f->writes_unknown = (bits & FN_WRITES_UNKNOWN) != 0;
    f->is_alias = (bits & FN_ALIAS) != 0;
    get_loc(r, &f->loc, "loc");
    get_loc(r, &f->end, "end");
    f->max_depth = get_max(r, BIN_MAX_SIZE, "max_depth");
    f->ret_size = get_max(r, BIN_MAX_SIZE, "return size");
    f->ret_cls = (SumClass)get_max(r, SUM_CLASS_OTHER, "return class");

    f->nparams = get_count(r, MIN_PARAM, "param");
    f->params = arena_array(r, f->nparams, sizeof *f->params);
    r->part = "param";
    for (uint32_t i = 0; i < f->nparams && !r->failed; i++) {
        SumParam *p = &f->params[i];
        r->part_index = i;
        p->name = get_str(r, false, "name");
        p->size = get_max(r, BIN_MAX_SIZE, "size");
        p->align = get_max(r, BIN_MAX_SIZE, "align");
        uint64_t pb = get_u(r);
        if ((pb & CLS_MASK) > SUM_CLASS_OTHER || pb > PARAM_BITS_ALL) {
            failf(r, "bits %" PRIu64 " out of range", pb);
            break;
        }
        p->cls = (SumClass)(pb & CLS_MASK);
        p->is_unsigned = (pb & PARAM_UNSIGNED) != 0;
        p->modified = (pb & PARAM_MODIFIED) != 0;
    }
    r->part = NULL;

    f->nlocals = get_count(r, MIN_LOCAL, "local");
    f->locals = arena_array(r, f->nlocals, sizeof *f->locals);
    r->part = "local";
    for (uint32_t i = 0; i < f->nlocals && !r->failed; i++) {
        SumLocal *l = &f->locals[i];
        r->part_index = i;
        l->name = get_str(r, false, "name");
        l->size = get_max(r, BIN_MAX_SIZE, "size");
        l->align = get_max(r, BIN_MAX_SIZE, "align");
        l->vla = get_bool(r, "vla");
        get_loc(r, &l->loc, "loc");
    }
    r->part = NULL;

    /* Blocks with their successors inline; the total comes first so the
     * flat array is allocated once, and must match exactly. */
    f->nblocks = get_count(r, MIN_BLOCK, "block");
    uint32_t nsucc = get_count(r, MIN_SUCC, "successor");
    f->blocks = arena_array(r, f->nblocks, sizeof *f->blocks);
    f->succ = arena_array(r, nsucc, sizeof *f->succ);
    f->nsucc = nsucc;
    uint32_t pos = 0;
    r->part = "block";
    for (uint32_t i = 0; i < f->nblocks && !r->failed; i++) {
        r->part_index = i;
        uint64_t h = get_u(r);
        uint64_t m = h >> 2;
        if ((h & 3) > SUM_EXIT_NORETURN) {
            failf(r, "exit %" PRIu64 " out of range", h & 3);
            break;
        }
        if (m > nsucc - pos) {
            failf(r, "%" PRIu64 " successors exceed the function's %" PRIu32, m, nsucc);
            break;
        }
        f->blocks[i] = (SumBlock){pos, (uint32_t)m, (SumExit)(h & 3)};
        for (uint32_t k = 0; k < (uint32_t)m; k++) {
            uint64_t b = get_u(r);
            if (b >= f->nblocks) {
                if (!r->failed)
                    failf(r, "successor %" PRIu64 " out of range", b);
                break;
            }
            f->succ[pos++] = (uint32_t)b;
        }
    }
    if (!r->failed && pos != nsucc) {
        r->part = NULL;
        failf(r, "blocks hold %" PRIu32 " successors, not %" PRIu32, pos, nsucc);
    }
    r->part = NULL;

    f->ncalls = get_count(r, MIN_CALL, "call");
    f->calls = arena_array(r, f->ncalls, sizeof *f->calls);
    for (uint32_t i = 0; i < f->ncalls && !r->failed; i++) {
        r->call = (long)i;
        read_call(r, f, &f->calls[i]);
    }
    r->call = -1;

    f->nwrites = get_count(r, MIN_WRITE, "write");
    f->writes = arena_array(r, f->nwrites, sizeof *f->writes);
    r->part = "write";
    for (uint32_t i = 0; i < f->nwrites && !r->failed; i++) {
        r->part_index = i;
        f->writes[i] = get_str(r, false, "key");
    }
    r->part = NULL;
    return r->failed ? -1 : 0;
}

/* Checks the header and copies the libclang version into the summary. */
static int read_header(Reader *r, const char *tool_version)
{
    r->p += SUM_BIN_MAGIC_LEN; /* checked by the caller */
    uint64_t v = get_u(r);
    if (!r->failed && v != SUM_FORMAT_VERSION)
        failf(r, "format version %" PRIu64 ", this stackcheck reads %d", v, SUM_FORMAT_VERSION);
    v = get_u(r);
    if (!r->failed && v != SUM_BIN_VERSION)
        failf(r, "layout version %" PRIu64 ", this stackcheck reads %d", v, SUM_BIN_VERSION);
    const unsigned char *at = r->p;
    uint64_t n = get_u(r);
    if (r->failed)
        return -1;
    if (n > (uint64_t)(r->end - r->p)) {
        truncated(r, at);
        return -1;
    }
    const char *tool = (const char *)r->p;
    r->p += n;
    if (tool_version && (n != strlen(tool_version) || memcmp(tool, tool_version, n) != 0)) {
        failf(r, "written by stackcheck %.*s, this is %s", (int)(n < 40 ? n : 40), tool,
              tool_version);
        return -1;
    }
    at = r->p;
    n = get_u(r);
    if (r->failed)
        return -1;
    if (n > (uint64_t)(r->end - r->p)) {
        truncated(r, at);
        return -1;
    }
    if (memchr(r->p, '\0', n)) {
        failf(r, "the libclang version holds a NUL byte");
        return -1;
    }
    r->s->clang_version = arena_strndup(&r->s->arena, (const char *)r->p, n);
    r->p += n;
    if (!r->s->clang_version) {
        failf(r, "out of memory");
        return -1;
    }
    return 0;
}

/* Copies the string table into the arena at once and indexes it. */
static int read_strings(Reader *r)
{
    uint64_t n = get_u(r);
    const unsigned char *at = r->p;
    uint64_t bytes = get_u(r);
    if (r->failed)
        return -1;
    if (bytes > (uint64_t)(r->end - r->p)) {
        truncated(r, at);
        return -1;
    }
    if (n > bytes) {
        failf(r, "string table: %" PRIu64 " strings in %" PRIu64 " bytes", n, bytes);
        return -1;
    }
    char *blob = bytes ? arena_alloc_uninit(&r->s->arena, (size_t)bytes) : NULL;
    r->strs = mem_alloc_array((size_t)n + 1, sizeof *r->strs);
    if ((bytes && !blob) || !r->strs) {
        failf(r, "out of memory");
        return -1;
    }
    r->strs[0] = NULL;
    r->nstrs = 0;
    if (bytes == 0) /* then n == 0 too */
        return 0;
    memcpy(blob, r->p, (size_t)bytes);
    r->p += bytes;
    const char *q = blob, *qend = blob + bytes;
    for (uint64_t i = 1; i <= n; i++) {
        const char *z = memchr(q, '\0', (size_t)(qend - q));
        if (!z) {
            failf(r, "string table: string %" PRIu64 " is not terminated", i - 1);
            return -1;
        }
        r->strs[i] = q;
        q = z + 1;
    }
    if (q != qend) {
        failf(r, "string table: %zu bytes after the last string", (size_t)(qend - q));
        return -1;
    }
    r->nstrs = n;
    return 0;
}

int sum_from_bin(const void *data, size_t len, const char *tool_version, TuSummary **out, char *err,
                 size_t errsize)
{
    Reader r;
    memset(&r, 0, sizeof r);
    r.func = r.call = -1;
    r.err = err;
    r.errsize = errsize;
    if (errsize)
        err[0] = '\0';
    int rc = -1;
    if (!sum_is_bin(data, len)) {
        failf(&r, "not a stackcheck binary summary (no \"SCSUMB\" magic)");
        goto done;
    }
    r.start = r.p = data;
    r.end = r.start + len;
    r.s = sum_new("", "");
    if (!r.s) {
        failf(&r, "out of memory");
        goto done;
    }
    if (read_header(&r, tool_version) || read_strings(&r))
        goto done;
    TuSummary *s = r.s;
    s->path = get_str(&r, false, "path");
    s->target = get_str(&r, false, "target");
    s->nfuncs = get_count(&r, MIN_FUNCTION, "function");
    s->funcs = arena_array(&r, s->nfuncs, sizeof *s->funcs);
    for (uint32_t i = 0; i < s->nfuncs && !r.failed; i++) {
        r.func = (long)i;
        read_function(&r, &s->funcs[i]);
    }
    r.func = -1;
    s->nrefs = get_count(&r, MIN_REF, "ref");
    s->refs = arena_array(&r, s->nrefs, sizeof *s->refs);
    r.part = "ref";
    for (uint32_t i = 0; i < s->nrefs && !r.failed; i++) {
        SumFnRef *f = &s->refs[i];
        r.part_index = i;
        f->usr = get_str(&r, false, "usr");
        f->name = get_str(&r, true, "name");
        f->internal = get_bool(&r, "internal");
        f->fn_type = get_str(&r, true, "type");
        f->field = get_str(&r, true, "field");
    }
    r.part = NULL;
    s->ndeps = get_count(&r, MIN_DEP, "dep");
    const char **deps = arena_array(&r, s->ndeps, sizeof *s->deps);
    s->deps = deps;
    r.part = "dep";
    for (uint32_t i = 0; i < s->ndeps && !r.failed; i++) {
        r.part_index = i;
        deps[i] = get_str(&r, false, "path");
    }
    r.part = NULL;
    if (!r.failed && r.p != r.end)
        failf(&r, "%zu trailing bytes at byte %zu", (size_t)(r.end - r.p), (size_t)(r.p - r.start));
    if (r.failed)
        goto done;
    *out = r.s;
    r.s = NULL;
    rc = 0;
done:
    sum_free(r.s);
    mem_free(r.strs);
    return rc;
}

int sum_is_bin(const void *data, size_t len)
{
    return len >= SUM_BIN_MAGIC_LEN && memcmp(data, SUM_BIN_MAGIC, SUM_BIN_MAGIC_LEN) == 0;
}
