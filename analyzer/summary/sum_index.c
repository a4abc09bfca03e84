/* This file writes a library folder's index (summarize) and reads it for
 * --library: the header is checked at once, every other entry when it is
 * used, and lookups go through the index's own hash table, so a run that
 * needs a few dozen names out of thousands reads a few pages of it. */
#include "summary/sum_index.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary/summary_bin.h"
#include "util/mem.h"

/* Header: magic, then ten little-endian u32: layout version, summary
 * format, binary layout, members, symbols, buckets, string bytes, the
 * stackcheck version and the target (string offsets), reserved (0). */
enum {
    HDR_WORDS = 10,
    HDR_BYTES = SUM_INDEX_MAGIC_LEN + 4 * HDR_WORDS,
    MEMBER_WORDS = 5, /* source dir file sym_begin nsyms */
    SYM_WORDS = 5     /* name usr member bound_bytes bound_status */
};

/* Most members, symbols or buckets: far beyond a C library (newlib has
 * ~2,000 files), and small enough that no size computed here overflows. */
#define INDEX_MAX_COUNT (1u << 26)

void sum_index_member_name(const char *dir, const char *source, char *buf, size_t size)
{
    /* FNV-1a over "dir/source" (the full path when source is relative):
     * stable across runs and machines, unlike a pointer or a counter. */
    uint64_t h = 1469598103934665603ull;
    bool rel = source[0] != '/' && dir && dir[0];
    for (int part = rel ? 0 : 1; part < 2; part++) {
        const char *s = part == 0 ? dir : source;
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
            h ^= *p;
            h *= 1099511628211ull;
        }
        if (part == 0) {
            h ^= '/';
            h *= 1099511628211ull;
        }
    }
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    char clean[64];
    size_t k = 0;
    for (const char *p = base; *p && k + 1 < sizeof clean; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-';
        clean[k++] = ok ? c : '_';
    }
    clean[k] = '\0';
    if (k == 0) /* never "" */
        clean[k++] = 'x', clean[k] = '\0';
    if (clean[0] == '.') /* never a hidden file */
        clean[0] = '_';
    snprintf(buf, size, "%s-%016llx.scs", clean, (unsigned long long)h);
}

/* FNV-1a, 32 bits: the bucket of a USR. Part of the layout. */
static uint32_t hash_usr(const char *s)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return h;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* ---- writer ---- */

typedef struct Strings {
    char *v;
    size_t n, cap;
    bool failed;
} Strings;

/* Appends s (NUL-terminated) and returns its offset. */
static uint32_t add_str(Strings *t, const char *s)
{
    size_t len = strlen(s) + 1;
    if (t->failed || t->n + len > UINT32_MAX) {
        t->failed = true;
        return 0;
    }
    if (t->n + len > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->n + len)
            cap *= 2;
        char *nv = mem_realloc(t->v, cap);
        if (!nv) {
            t->failed = true;
            return 0;
        }
        t->v = nv;
        t->cap = cap;
    }
    memcpy(t->v + t->n, s, len);
    uint32_t off = (uint32_t)t->n;
    t->n += len;
    return off;
}

char *sum_index_to_bin(TuSummary *const *tus, const char *const *files, const char *const *dirs, size_t n,
                       const char *target, const char *tool_version, const SumIndexBound *bounds, size_t *len)
{
    size_t nsyms = 0;
    for (size_t i = 0; i < n; i++)
        for (uint32_t f = 0; f < tus[i]->nfuncs; f++)
            nsyms += tus[i]->funcs[f].linkage == SUM_LINK_EXTERNAL;
    if (n > INDEX_MAX_COUNT || nsyms >= INDEX_MAX_COUNT / 2)
        return NULL;
    /* At most half full: a probe ends within a few slots. */
    size_t nb = 1;
    while (nb < 2 * nsyms)
        nb *= 2;
    Strings st = {0};
    (void)add_str(&st, ""); /* offset 0 is "" */
    uint32_t tv = add_str(&st, tool_version ? tool_version : "");
    uint32_t tg = add_str(&st, target ? target : "");
    unsigned char *tables = mem_calloc(4 * (MEMBER_WORDS * n + SYM_WORDS * nsyms + nb) + 1, 1);
    const char **usrs = mem_alloc_array(nsyms ? nsyms : 1, sizeof *usrs);
    char *out = NULL;
    if (!tables || !usrs)
        goto done;
    unsigned char *mem = tables, *sym = mem + 4 * MEMBER_WORDS * n, *bkt = sym + 4 * SYM_WORDS * nsyms;
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char *m = mem + 4 * MEMBER_WORDS * i;
        put32(m, add_str(&st, tus[i]->path ? tus[i]->path : ""));
        put32(m + 4, add_str(&st, dirs && dirs[i] ? dirs[i] : ""));
        put32(m + 8, add_str(&st, files[i]));
        put32(m + 12, k);
        for (uint32_t f = 0; f < tus[i]->nfuncs; f++) {
            const SumFunction *d = &tus[i]->funcs[f];
            if (d->linkage != SUM_LINK_EXTERNAL)
                continue;
            const char *usr = d->usr && d->usr[0] ? d->usr : d->name ? d->name : "";
            unsigned char *s = sym + 4 * SYM_WORDS * k;
            put32(s, add_str(&st, d->name ? d->name : ""));
            put32(s + 4, add_str(&st, usr));
            put32(s + 8, (uint32_t)i);
            put32(s + 12, bounds && bounds[k].status ? bounds[k].bytes : 0);
            put32(s + 16, bounds ? bounds[k].status : SUM_BOUND_NONE);
            usrs[k] = usr;
            /* The first definition of a USR keeps the bucket. */
            uint32_t mask = (uint32_t)nb - 1;
            for (uint32_t b = hash_usr(usr) & mask;; b = (b + 1) & mask) {
                uint32_t have = get32(bkt + 4 * b);
                if (have == 0) {
                    put32(bkt + 4 * b, k + 1);
                    break;
                }
                if (strcmp(usrs[have - 1], usr) == 0)
                    break;
            }
            k++;
        }
        put32(m + 16, k - get32(m + 12));
    }
    if (st.failed)
        goto done;
    size_t tlen = 4 * (MEMBER_WORDS * n + SYM_WORDS * nsyms + nb);
    size_t total = HDR_BYTES + tlen + st.n;
    if (total > UINT32_MAX || !(out = mem_alloc(total)))
        goto done;
    memcpy(out, SUM_INDEX_MAGIC, SUM_INDEX_MAGIC_LEN);
    uint32_t hdr[HDR_WORDS] = {SUM_INDEX_VERSION, SUM_FORMAT_VERSION, SUM_BIN_VERSION, (uint32_t)n,
                               (uint32_t)nsyms, (uint32_t)nb, (uint32_t)st.n, tv, tg, 0};
    for (int w = 0; w < HDR_WORDS; w++)
        put32((unsigned char *)out + SUM_INDEX_MAGIC_LEN + 4 * w, hdr[w]);
    memcpy(out + HDR_BYTES, tables, tlen);
    memcpy(out + HDR_BYTES + tlen, st.v, st.n);
    *len = total;
done:
    mem_free(tables);
    mem_free(usrs);
    mem_free(st.v);
    return out;
}

/* ---- reader ---- */

static int failf(char *err, size_t errsize, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int failf(char *err, size_t errsize, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsize, fmt, ap);
    va_end(ap);
    return -1;
}

/* The string at offset `off`, or NULL unless `off` starts a string of the
 * table (offset 0, or just after a NUL; the table ends in a NUL). */
static const char *str_at(const SumIndex *x, uint32_t off)
{
    if (off >= x->nstrings || (off > 0 && x->strings[off - 1] != '\0'))
        return NULL;
    return x->strings + off;
}

/* A member file name: a plain name ending in ".scs", never hidden, so an
 * index can only name files inside its own folder. */
static bool plain_scs_name(const char *s)
{
    size_t n = strlen(s);
    return n > 4 && s[0] != '.' && !strchr(s, '/') && strcmp(s + n - 4, ".scs") == 0;
}

int sum_index_parse(const void *data, size_t len, const char *tool_version, SumIndex *x, char *err,
                    size_t errsize)
{
    const unsigned char *d = data;
    memset(x, 0, sizeof *x);
    if (len < SUM_INDEX_MAGIC_LEN || memcmp(d, SUM_INDEX_MAGIC, SUM_INDEX_MAGIC_LEN) != 0)
        return failf(err, errsize, "not a stackcheck library index");
    if (len < HDR_BYTES)
        return failf(err, errsize, "truncated at byte %zu", len);
    uint32_t h[HDR_WORDS];
    for (int w = 0; w < HDR_WORDS; w++)
        h[w] = get32(d + SUM_INDEX_MAGIC_LEN + 4 * w);
    if (h[0] != SUM_INDEX_VERSION)
        return failf(err, errsize, "index layout %u, this stackcheck reads %d (summarize the library again)", h[0],
                     SUM_INDEX_VERSION);
    if (h[1] != SUM_FORMAT_VERSION || h[2] != SUM_BIN_VERSION)
        return failf(err, errsize,
                     "summary format %u layout %u, this stackcheck reads %d layout %d (summarize the library again)",
                     h[1], h[2], SUM_FORMAT_VERSION, SUM_BIN_VERSION);
    uint32_t nm = h[3], ns = h[4], nb = h[5], nstr = h[6];
    if (nm > INDEX_MAX_COUNT || ns > INDEX_MAX_COUNT || nb > INDEX_MAX_COUNT)
        return failf(err, errsize, "counts out of range");
    if (nb == 0 || (nb & (nb - 1)) != 0 || nb <= ns)
        return failf(err, errsize, "%u buckets for %u functions: not a power of two above it", nb, ns);
    uint64_t want = (uint64_t)HDR_BYTES + 4ull * (MEMBER_WORDS * (uint64_t)nm + SYM_WORDS * (uint64_t)ns + nb) + nstr;
    if (want > len)
        return failf(err, errsize, "truncated at byte %zu", len);
    if (want < len)
        return failf(err, errsize, "%zu bytes after the end", (size_t)(len - want));
    x->data = d;
    x->len = len;
    x->nmembers = nm;
    x->nsyms = ns;
    x->nbuckets = nb;
    x->members = d + HDR_BYTES;
    x->syms = x->members + 4 * MEMBER_WORDS * (size_t)nm;
    x->buckets = x->syms + 4 * SYM_WORDS * (size_t)ns;
    x->strings = (const char *)(x->buckets + 4 * (size_t)nb);
    x->nstrings = nstr;
    if (nstr == 0 || x->strings[0] != '\0' || x->strings[nstr - 1] != '\0')
        return failf(err, errsize, "string table does not start and end with a NUL");
    x->tool_version = str_at(x, h[7]);
    x->target = str_at(x, h[8]);
    if (!x->tool_version || !x->tool_version[0] || !x->target || !x->target[0] || h[9] != 0)
        return failf(err, errsize, "bad header strings");
    if (tool_version && strcmp(x->tool_version, tool_version) != 0)
        return failf(err, errsize, "written by stackcheck %.40s, this is %s (summarize the library again)",
                     x->tool_version, tool_version);
    return 0;
}

int sum_index_member(const SumIndex *x, uint32_t i, SumIndexMember *out, char *err, size_t errsize)
{
    if (i >= x->nmembers)
        return failf(err, errsize, "member %u out of range", i);
    const unsigned char *m = x->members + 4 * MEMBER_WORDS * (size_t)i;
    out->source = str_at(x, get32(m));
    out->dir = str_at(x, get32(m + 4));
    out->file = str_at(x, get32(m + 8));
    out->sym_begin = get32(m + 12);
    out->nsyms = get32(m + 16);
    if (!out->source || !out->source[0] || !out->dir || !out->file)
        return failf(err, errsize, "member %u: bad string offset", i);
    if (!plain_scs_name(out->file))
        return failf(err, errsize, "member %u: summary name '%.80s' is not a plain file name ending in .scs", i,
                     out->file);
    if (out->sym_begin > x->nsyms || out->nsyms > x->nsyms - out->sym_begin)
        return failf(err, errsize, "member %u: functions %u..+%u out of range", i, out->sym_begin, out->nsyms);
    return 0;
}

int sum_index_sym(const SumIndex *x, uint32_t i, const char **name, const char **usr, uint32_t *member, char *err,
                  size_t errsize)
{
    if (i >= x->nsyms)
        return failf(err, errsize, "function %u out of range", i);
    const unsigned char *s = x->syms + 4 * SYM_WORDS * (size_t)i;
    *name = str_at(x, get32(s));
    *usr = str_at(x, get32(s + 4));
    *member = get32(s + 8);
    if (!*name || !(*name)[0] || !*usr || !(*usr)[0] || *member >= x->nmembers)
        return failf(err, errsize, "function %u: bad name, USR or member", i);
    return 0;
}

uint32_t sum_index_find(const SumIndex *x, const char *usr) { return sum_index_find_sym(x, usr, NULL); }

int sum_index_bound(const SumIndex *x, uint32_t i, SumIndexBound *out, char *err, size_t errsize)
{
    if (i >= x->nsyms)
        return failf(err, errsize, "function %u out of range", i);
    const unsigned char *s = x->syms + 4 * SYM_WORDS * (size_t)i;
    uint32_t st = get32(s + 16);
    if (st > SUM_BOUND_ESTIMATED || (st == SUM_BOUND_NONE && get32(s + 12) != 0))
        return failf(err, errsize, "function %u: bound status %u out of range", i, st);
    out->bytes = get32(s + 12);
    out->status = (uint8_t)st;
    return 0;
}

uint32_t sum_index_find_sym(const SumIndex *x, const char *usr, uint32_t *sym)
{
    uint32_t mask = x->nbuckets - 1;
    /* Checked: nbuckets > nsyms, so an empty bucket exists; the count
     * bounds the walk all the same. Each bucket and symbol is checked as
     * it is read. */
    uint32_t b = hash_usr(usr) & mask;
    for (uint32_t probes = 0; probes < x->nbuckets; probes++, b = (b + 1) & mask) {
        uint32_t v = get32(x->buckets + 4 * (size_t)b);
        if (v == 0)
            return SUM_INDEX_NONE;
        if (v > x->nsyms)
            return SUM_INDEX_BAD;
        const unsigned char *s = x->syms + 4 * SYM_WORDS * (size_t)(v - 1);
        const char *u = str_at(x, get32(s + 4));
        uint32_t m = get32(s + 8);
        if (!u || !u[0] || m >= x->nmembers)
            return SUM_INDEX_BAD;
        if (strcmp(u, usr) == 0) {
            if (sym)
                *sym = v - 1;
            return m;
        }
    }
    return SUM_INDEX_NONE;
}

int sum_index_check(const SumIndex *x, char *err, size_t errsize)
{
    uint32_t next = 0;
    for (uint32_t i = 0; i < x->nmembers; i++) {
        SumIndexMember m;
        if (sum_index_member(x, i, &m, err, errsize) != 0)
            return -1;
        if (m.sym_begin != next)
            return failf(err, errsize, "member %u: functions %u..+%u out of order", i, m.sym_begin, m.nsyms);
        for (uint32_t k = m.sym_begin; k < m.sym_begin + m.nsyms; k++) {
            const char *name, *usr;
            uint32_t owner;
            SumIndexBound bd;
            if (sum_index_sym(x, k, &name, &usr, &owner, err, errsize) != 0 ||
                sum_index_bound(x, k, &bd, err, errsize) != 0)
                return -1;
            if (owner != i)
                return failf(err, errsize, "function %u: bad name, USR or member", k);
        }
        next += m.nsyms;
    }
    if (next != x->nsyms)
        return failf(err, errsize, "members hold %u functions, the header says %u", next, x->nsyms);
    for (uint32_t i = 0; i < x->nbuckets; i++)
        if (get32(x->buckets + 4 * (size_t)i) > x->nsyms)
            return failf(err, errsize, "bucket %u out of range", i);
    return 0;
}
