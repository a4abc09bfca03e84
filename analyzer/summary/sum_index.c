/* This file writes a library folder's index (summarize) and reads it back
 * strictly (every run given --library reads it at startup). */
#include "summary/sum_index.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary/json_alloc.h"
#include "summary/summary_bin.h"
#include "util/mem.h"

/* Most members and functions an index holds: what a uint32_t index and the
 * JSON reader's int-sized arrays carry. */
#define INDEX_MAX_COUNT 2147483647u

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

char *sum_index_to_json(TuSummary *const *tus, const char *const *files, const char *const *dirs,
                        size_t n, const char *target, const char *tool_version)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *members = cJSON_CreateArray();
    char *text = NULL;
    if (!root || !members) {
        cJSON_Delete(root);
        cJSON_Delete(members);
        return NULL;
    }
    if (!cJSON_AddStringToObject(root, "schema", SUM_INDEX_SCHEMA) ||
        !cJSON_AddNumberToObject(root, "format", SUM_FORMAT_VERSION) ||
        !cJSON_AddNumberToObject(root, "binary_layout", SUM_BIN_VERSION) ||
        !cJSON_AddStringToObject(root, "stackcheck", tool_version ? tool_version : "") ||
        !cJSON_AddStringToObject(root, "target", target ? target : "")) {
        cJSON_Delete(members);
        goto done;
    }
    cJSON_AddItemToObject(root, "members", members);
    for (size_t i = 0; i < n; i++) {
        cJSON *m = cJSON_CreateObject();
        cJSON *defs = cJSON_CreateArray();
        if (!m || !defs) {
            cJSON_Delete(m);
            cJSON_Delete(defs);
            goto done;
        }
        cJSON_AddItemToArray(members, m);
        if (!cJSON_AddStringToObject(m, "source", tus[i]->path ? tus[i]->path : "") ||
            !cJSON_AddStringToObject(m, "dir", dirs && dirs[i] ? dirs[i] : "") ||
            !cJSON_AddStringToObject(m, "summary", files[i])) {
            cJSON_Delete(defs);
            goto done;
        }
        cJSON_AddItemToObject(m, "defines", defs);
        for (uint32_t f = 0; f < tus[i]->nfuncs; f++) {
            const SumFunction *d = &tus[i]->funcs[f];
            if (d->linkage != SUM_LINK_EXTERNAL)
                continue;
            const char *pair[2] = {d->name ? d->name : "", d->usr ? d->usr : ""};
            cJSON *p = cJSON_CreateStringArray(pair, 2);
            if (!p)
                goto done;
            cJSON_AddItemToArray(defs, p);
        }
    }
    text = cJSON_PrintUnformatted(root);
done:
    cJSON_Delete(root);
    if (!text)
        return NULL;
    /* cJSON's buffer came from its hooks (util/mem.c): hand it on as is. */
    return text;
}

typedef struct Reader {
    SumIndex *x;
    char *err;
    size_t errsize;
    bool failed;
} Reader;

static int failf(Reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int failf(Reader *r, const char *fmt, ...)
{
    if (!r->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err, r->errsize, fmt, ap);
        va_end(ap);
        r->failed = true;
    }
    return -1;
}

/* The string member `key` of `obj` copied into the index arena; `what` names
 * the object in the message. */
static const char *get_str(Reader *r, const cJSON *obj, const char *key, const char *what, bool nonempty)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(it) || (nonempty && !it->valuestring[0])) {
        failf(r, "%s'%s': expected a%s string", what, key, nonempty ? " non-empty" : "");
        return NULL;
    }
    const char *s = arena_strdup(&r->x->arena, it->valuestring);
    if (!s)
        failf(r, "out of memory");
    return s;
}

static int expect_number(Reader *r, const cJSON *root, const char *key, int want)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!cJSON_IsNumber(it))
        return failf(r, "'%s': expected a number", key);
    if (it->valuedouble != (double)want)
        return failf(r, "'%s' is %g, this stackcheck reads %d (summarize the library again)", key,
                     it->valuedouble, want);
    return 0;
}

/* A member file name: a plain name ending in ".scs", never hidden, so an
 * index can only name files inside its own folder. */
static bool plain_scs_name(const char *s)
{
    size_t n = strlen(s);
    return n > 4 && s[0] != '.' && !strchr(s, '/') && strcmp(s + n - 4, ".scs") == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int read_members(Reader *r, const cJSON *arr)
{
    SumIndex *x = r->x;
    int nm = cJSON_GetArraySize(arr);
    size_t nsyms = 0;
    for (const cJSON *m = arr->child; m; m = m->next) {
        const cJSON *defs = cJSON_GetObjectItemCaseSensitive(m, "defines");
        if (cJSON_IsArray(defs))
            nsyms += (size_t)cJSON_GetArraySize(defs);
    }
    if ((unsigned)nm > INDEX_MAX_COUNT || nsyms > INDEX_MAX_COUNT)
        return failf(r, "too many members or functions");
    x->members = nm ? arena_alloc(&x->arena, (size_t)nm * sizeof *x->members) : NULL;
    x->syms = nsyms ? arena_alloc(&x->arena, nsyms * sizeof *x->syms) : NULL;
    const char **names = mem_alloc_array(nm ? (size_t)nm : 1, sizeof *names);
    if ((nm && !x->members) || (nsyms && !x->syms) || !names) {
        mem_free(names);
        return failf(r, "out of memory");
    }
    uint32_t i = 0, k = 0;
    for (const cJSON *m = arr->child; m; m = m->next, i++) {
        char what[48];
        snprintf(what, sizeof what, "member %u: ", i);
        if (!cJSON_IsObject(m)) {
            failf(r, "member %u: expected an object", i);
            break;
        }
        SumIndexMember *mm = &x->members[i];
        if (!(mm->source = get_str(r, m, "source", what, true)) || !(mm->dir = get_str(r, m, "dir", what, false)) ||
            !(mm->file = get_str(r, m, "summary", what, true)))
            break;
        if (!plain_scs_name(mm->file)) {
            failf(r, "member %u: 'summary' must be a plain file name ending in .scs, not '%s'", i, mm->file);
            break;
        }
        names[i] = mm->file;
        const cJSON *defs = cJSON_GetObjectItemCaseSensitive(m, "defines");
        if (!cJSON_IsArray(defs)) {
            failf(r, "member %u: 'defines': expected an array of [name, usr] pairs", i);
            break;
        }
        mm->sym_begin = k;
        for (const cJSON *p = defs->child; p; p = p->next) {
            const cJSON *a = cJSON_IsArray(p) ? p->child : NULL, *b = a ? a->next : NULL;
            if (!cJSON_IsString(a) || !cJSON_IsString(b) || b->next || !a->valuestring[0] ||
                !b->valuestring[0]) {
                failf(r, "member %u: 'defines[%u]': expected a [name, usr] pair of non-empty strings", i,
                      k - mm->sym_begin);
                break;
            }
            SumIndexSym *s = &x->syms[k++];
            if (!(s->name = arena_strdup(&x->arena, a->valuestring)) ||
                !(s->usr = arena_strdup(&x->arena, b->valuestring))) {
                failf(r, "out of memory");
                break;
            }
        }
        if (r->failed)
            break;
        mm->nsyms = k - mm->sym_begin;
    }
    if (!r->failed && nm > 1) {
        qsort(names, (size_t)nm, sizeof *names, cmp_str);
        for (int j = 1; j < nm; j++)
            if (strcmp(names[j - 1], names[j]) == 0) {
                failf(r, "two members name the summary '%s'", names[j]);
                break;
            }
    }
    mem_free(names);
    x->nmembers = i;
    x->nsyms = k;
    return r->failed ? -1 : 0;
}

int sum_index_parse(const char *text, size_t len, const char *tool_version, SumIndex **out, char *err,
                    size_t errsize)
{
    SumIndex *x = mem_calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    arena_init(&x->arena);
    Reader r = {x, err, errsize, false};
    /* The tree lives in its own arena (see json_alloc.h), dropped at once. */
    Arena tree;
    arena_init(&tree);
    json_alloc_begin(&tree);
    cJSON *root = cJSON_ParseWithLength(text, len);
    const cJSON *schema = root ? cJSON_GetObjectItemCaseSensitive(root, "schema") : NULL;
    if (!cJSON_IsObject(root) || !cJSON_IsString(schema) || strcmp(schema->valuestring, SUM_INDEX_SCHEMA) != 0) {
        if (cJSON_IsString(schema) && strncmp(schema->valuestring, "stackcheck-library-index/", 25) == 0)
            failf(&r, "index schema '%.40s', this stackcheck reads '%s' (summarize the library again)",
                  schema->valuestring, SUM_INDEX_SCHEMA);
        else
            failf(&r, "not a stackcheck library index");
        goto done;
    }
    if (expect_number(&r, root, "format", SUM_FORMAT_VERSION) || expect_number(&r, root, "binary_layout", SUM_BIN_VERSION))
        goto done;
    if (!(x->tool_version = get_str(&r, root, "stackcheck", "", true)) ||
        !(x->target = get_str(&r, root, "target", "", true)))
        goto done;
    if (tool_version && strcmp(x->tool_version, tool_version) != 0) {
        failf(&r, "written by stackcheck %.40s, this is %s (summarize the library again)", x->tool_version,
              tool_version);
        goto done;
    }
    const cJSON *members = cJSON_GetObjectItemCaseSensitive(root, "members");
    if (!cJSON_IsArray(members)) {
        failf(&r, "'members': expected an array");
        goto done;
    }
    if (read_members(&r, members) != 0)
        goto done;
    for (const cJSON *it = root->child; it; it = it->next) {
        const char *k = it->string;
        if (strcmp(k, "schema") && strcmp(k, "format") && strcmp(k, "binary_layout") && strcmp(k, "stackcheck") &&
            strcmp(k, "target") && strcmp(k, "members")) {
            failf(&r, "'%.40s': unknown key", k);
            goto done;
        }
    }
done:
    json_alloc_end();
    arena_fini(&tree);
    if (r.failed) {
        sum_index_free(x);
        return -1;
    }
    *out = x;
    return 0;
}

void sum_index_free(SumIndex *x)
{
    if (!x)
        return;
    arena_fini(&x->arena);
    mem_free(x);
}
