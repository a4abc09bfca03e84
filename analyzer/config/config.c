/* This file reads stackcheck.json strictly and applies suppressions from it
 * and from `stackcheck: ignore[...]` source comments to a finished result. */
#define _GNU_SOURCE /* memmem */
#include "config/config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/mem.h"
#include "util/vec.h"

/* The largest config file read (bytes): far beyond any real one, and it
 * keeps a mistaken path (a core dump, /dev/zero) from eating memory. */
#define CONFIG_MAX_BYTES (16u * 1024u * 1024u)
#define BYTES_MAX 9007199254740991.0 /* 2^53 - 1: exact in a JSON number */

typedef struct Parser {
    Config *c;
    char *err;
    size_t errsize;
    int failed;
} Parser;

static int fail(Parser *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int fail(Parser *p, const char *fmt, ...)
{
    if (!p->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err, p->errsize, fmt, ap);
        va_end(ap);
        p->failed = 1;
    }
    return -1;
}

bool config_glob_match(const char *pattern, const char *name)
{
    return pattern && name && fnmatch(pattern, name, 0) == 0;
}

static const char *dup(Parser *p, const char *s)
{
    const char *d = arena_strdup(&p->c->arena, s);
    if (!d)
        fail(p, "out of memory");
    return d;
}

/* Reads a non-negative integer that fits a JSON number exactly. */
static int get_count(Parser *p, const cJSON *it, const char *key, const char *sub, uint64_t *out,
                     const char *what)
{
    if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || it->valuedouble != floor(it->valuedouble) ||
        it->valuedouble < 0 || it->valuedouble > BYTES_MAX)
        return fail(p, "'%s%s%s': expected %s", key, sub ? "." : "", sub ? sub : "", what);
    *out = (uint64_t)it->valuedouble;
    return 0;
}

/* An object of name -> non-negative integer, e.g. budgets or externals. */
static int read_named(Parser *p, const cJSON *obj, const char *key, bool allow_default, NamedBytes **out,
                      size_t *nout, const char *what)
{
    if (!cJSON_IsObject(obj))
        return fail(p, "'%s': expected an object of name: %s", key, what);
    size_t n = (size_t)cJSON_GetArraySize(obj);
    NamedBytes *v = n ? arena_alloc(&p->c->arena, n * sizeof *v) : NULL;
    if (n && !v)
        return fail(p, "out of memory");
    size_t k = 0;
    NamedBytes def = {NULL, 0};
    bool have_def = false;
    for (const cJSON *it = obj->child; it; it = it->next) {
        uint64_t val = 0;
        if (!it->string || !it->string[0])
            return fail(p, "'%s': empty name", key);
        if (get_count(p, it, key, it->string, &val, what))
            return -1;
        if (allow_default && strcmp(it->string, "default") == 0) {
            def.value = val;
            have_def = true;
            continue;
        }
        const char *name = dup(p, it->string);
        if (!name)
            return -1;
        v[k++] = (NamedBytes){name, val};
    }
    /* The default goes last: first match wins, and NULL matches all. */
    if (have_def)
        v[k++] = def;
    *out = v;
    *nout = k;
    return 0;
}

/* An array of non-empty strings (function names or glob patterns), e.g.
 * "entries" and "interrupts". */
static int read_names(Parser *p, const cJSON *arr, const char *key, const char ***out, size_t *nout)
{
    if (!cJSON_IsArray(arr))
        return fail(p, "'%s': expected an array of function names or patterns", key);
    size_t n = (size_t)cJSON_GetArraySize(arr);
    const char **v = n ? arena_alloc(&p->c->arena, n * sizeof *v) : NULL;
    if (n && !v)
        return fail(p, "out of memory");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        if (!cJSON_IsString(it) || !it->valuestring[0])
            return fail(p, "'%s[%zu]': expected a function name or pattern", key, i);
        if (!(v[i] = dup(p, it->valuestring)))
            return -1;
    }
    *out = v;
    *nout = n;
    return 0;
}

/* "libraries": ["lib/newlib", "/opt/sdk/libc"]: folders written by
 * `stackcheck summarize`. A relative one is relative to the config file's
 * folder (where it was written), not to wherever stackcheck runs. */
static int read_libraries(Parser *p, const cJSON *arr)
{
    if (!cJSON_IsArray(arr))
        return fail(p, "'libraries': expected an array of folder names");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    const char **v = n ? arena_alloc(&p->c->arena, n * sizeof *v) : NULL;
    if (n && !v)
        return fail(p, "out of memory");
    const char *slash = strrchr(p->c->path, '/');
    int dirlen = slash ? (int)(slash - p->c->path) : 0;
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        if (!cJSON_IsString(it) || !it->valuestring[0])
            return fail(p, "'libraries[%zu]': expected a folder name", i);
        const char *s = it->valuestring;
        v[i] = s[0] == '/' || !slash ? arena_strdup(&p->c->arena, s)
                                     : arena_printf(&p->c->arena, "%.*s/%s", dirlen ? dirlen : 1,
                                                    dirlen ? p->c->path : "/", s);
        if (!v[i])
            return fail(p, "out of memory");
    }
    p->c->libraries = v;
    p->c->nlibraries = n;
    return 0;
}

/* "indirect": {"file.c:120": ["a", "b"], "dev_ops.read": ["x"]} */
static int read_indirect(Parser *p, const cJSON *obj)
{
    if (!cJSON_IsObject(obj))
        return fail(p, "'indirect': expected an object of call site or member: [function names]");
    size_t n = (size_t)cJSON_GetArraySize(obj);
    IndirectHint *v = n ? arena_alloc(&p->c->arena, n * sizeof *v) : NULL;
    if (n && !v)
        return fail(p, "out of memory");
    size_t k = 0;
    for (const cJSON *it = obj->child; it; it = it->next, k++) {
        const char *site = it->string;
        if (!site || !site[0] || !strpbrk(site, ":."))
            return fail(p, "'indirect': key '%s' is neither FILE:LINE nor struct.member",
                        site ? site : "");
        if (!cJSON_IsArray(it))
            return fail(p, "'indirect.%s': expected an array of function names", site);
        size_t nt = (size_t)cJSON_GetArraySize(it);
        const char **t = nt ? arena_alloc(&p->c->arena, nt * sizeof *t) : NULL;
        if (nt && !t)
            return fail(p, "out of memory");
        size_t i = 0;
        for (const cJSON *e = it->child; e; e = e->next, i++) {
            if (!cJSON_IsString(e) || !e->valuestring[0])
                return fail(p, "'indirect.%s[%zu]': expected a function name", site, i);
            if (!(t[i] = dup(p, e->valuestring)))
                return -1;
        }
        const char *s = dup(p, site);
        if (!s)
            return -1;
        v[k] = (IndirectHint){s, t, nt};
    }
    p->c->indirect = v;
    p->c->nindirect = n;
    return 0;
}

static int read_suppress(Parser *p, const cJSON *arr)
{
    if (!cJSON_IsArray(arr))
        return fail(p, "'suppress': expected an array of {\"rule\", \"function\" or \"file\"} objects");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    Suppression *v = n ? arena_alloc(&p->c->arena, n * sizeof *v) : NULL;
    if (n && !v)
        return fail(p, "out of memory");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        if (!cJSON_IsObject(it))
            return fail(p, "'suppress[%zu]': expected an object", i);
        v[i].rule = RULE_COUNT;
        bool have_rule = false;
        for (const cJSON *f = it->child; f; f = f->next) {
            if (!cJSON_IsString(f) || !f->valuestring[0])
                return fail(p, "'suppress[%zu].%s': expected a string", i, f->string);
            if (strcmp(f->string, "rule") == 0) {
                have_rule = true;
                if (strcmp(f->valuestring, "*") == 0)
                    continue;
                v[i].rule = rule_from_id(f->valuestring);
                if (v[i].rule == RULE_COUNT)
                    return fail(p, "'suppress[%zu].rule': unknown rule '%s'", i, f->valuestring);
            } else if (strcmp(f->string, "function") == 0) {
                if (!(v[i].function = dup(p, f->valuestring)))
                    return -1;
            } else if (strcmp(f->string, "file") == 0) {
                if (!(v[i].file = dup(p, f->valuestring)))
                    return -1;
            } else {
                return fail(p, "'suppress[%zu].%s': unknown key (expected rule, function, file)", i,
                            f->string);
            }
        }
        if (!have_rule)
            return fail(p, "'suppress[%zu]': missing \"rule\" (a rule id or \"*\")", i);
        if (!v[i].function && !v[i].file)
            return fail(p, "'suppress[%zu]': give \"function\" or \"file\" (a glob)", i);
    }
    p->c->suppress = v;
    p->c->nsuppress = n;
    return 0;
}

int config_parse(const char *text, size_t len, const char *path, Config **out, char *err, size_t errsize)
{
    Parser p;
    memset(&p, 0, sizeof p);
    p.err = err;
    p.errsize = errsize;
    if (errsize)
        err[0] = '\0';
    int rc = -1;
    cJSON *root = cJSON_ParseWithLength(text, len);
    p.c = mem_calloc(1, sizeof *p.c);
    if (!p.c) {
        fail(&p, "out of memory");
        goto done;
    }
    arena_init(&p.c->arena);
    p.c->path = dup(&p, path ? path : "");
    p.c->interrupt_nesting = 1;
    if (!p.c->path)
        goto done;
    if (!root) {
        /* cJSON's error pointer is global state; count the line ourselves
         * from the position it gives only when it points into our text. */
        fail(&p, "not valid JSON");
        goto done;
    }
    if (!cJSON_IsObject(root)) {
        fail(&p, "expected a JSON object at the top level");
        goto done;
    }
    for (const cJSON *it = root->child; it; it = it->next) {
        const char *k = it->string;
        int r;
        if (strcmp(k, "entries") == 0)
            r = read_names(&p, it, k, &p.c->entries, &p.c->nentries);
        else if (strcmp(k, "budgets") == 0)
            r = read_named(&p, it, k, true, &p.c->budgets, &p.c->nbudgets,
                           "a non-negative integer number of bytes");
        else if (strcmp(k, "externals") == 0)
            r = read_named(&p, it, k, false, &p.c->externals, &p.c->nexternals,
                           "a non-negative integer number of bytes");
        else if (strcmp(k, "max_depth") == 0)
            r = read_named(&p, it, k, false, &p.c->max_depth, &p.c->nmax_depth,
                           "a non-negative integer recursion depth");
        else if (strcmp(k, "suppress") == 0)
            r = read_suppress(&p, it);
        else if (strcmp(k, "indirect") == 0)
            r = read_indirect(&p, it);
        else if (strcmp(k, "libraries") == 0)
            r = read_libraries(&p, it);
        else if (strcmp(k, "interrupts") == 0)
            r = read_names(&p, it, k, &p.c->interrupts, &p.c->ninterrupts);
        else if (strcmp(k, "stack_size") == 0)
            r = get_count(&p, it, k, NULL, &p.c->stack_size, "a non-negative integer number of bytes");
        else if (strcmp(k, "interrupt_nesting") == 0)
            r = get_count(&p, it, k, NULL, &p.c->interrupt_nesting, "a non-negative integer count");
        else if (strcmp(k, "exception_frame") == 0)
            r = get_count(&p, it, k, NULL, &p.c->exception_frame,
                          "a non-negative integer number of bytes");
        else if (strcmp(k, "estimate_for") == 0) {
            r = cJSON_IsString(it) && estimate_model_parse(it->valuestring, &p.c->estimate_for) == 0
                    ? 0
                    : fail(&p, "'%s': expected \"any\", \"gcc\" or \"clang\"", k);
            p.c->has_estimate_for = r == 0;
        } else if (k[0] == '$' || strcmp(k, "comment") == 0)
            r = 0; /* "$schema" and "comment" are for people and editors */
        else
            r = fail(&p, "'%s': unknown key (expected entries, budgets, externals, max_depth, "
                         "suppress, indirect, interrupts, stack_size, interrupt_nesting, "
                         "exception_frame, estimate_for, libraries)", k);
        if (r)
            goto done;
    }
    *out = p.c;
    p.c = NULL;
    rc = 0;
done:
    config_free(p.c);
    cJSON_Delete(root);
    return rc;
}

int config_load(const char *path, Config **out, char *err, size_t errsize)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errsize, "%s", strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errsize, "%s", S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
        return -1;
    }
    if ((uintmax_t)st.st_size > CONFIG_MAX_BYTES) {
        snprintf(err, errsize, "larger than %u bytes", CONFIG_MAX_BYTES);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s", strerror(errno));
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1;
    char *buf = mem_alloc(cap);
    if (!buf) {
        fclose(f);
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    size_t len = fread(buf, 1, cap - 1, f);
    int rd_err = ferror(f);
    fclose(f);
    if (rd_err) {
        mem_free(buf);
        snprintf(err, errsize, "read error");
        return -1;
    }
    buf[len] = '\0';
    int rc = config_parse(buf, len, path, out, err, errsize);
    mem_free(buf);
    return rc;
}

void config_free(Config *c)
{
    if (!c)
        return;
    arena_fini(&c->arena);
    mem_free(c);
}

/* ---- suppressions ---- */

/* The text of source files, loaded once per run for ignore comments. */
typedef struct SourceText {
    const char *path; /* borrowed from the finding */
    char *text;       /* owned; NULL when unreadable */
    size_t len;
    size_t *lines;    /* owned; offset of each line's start (line 1 at [0]) */
    size_t nlines;
} SourceText;

typedef struct SourceCache {
    SourceText *items;
    size_t n, cap;
} SourceCache;

/* The comment that suppresses findings on its line or the next. */
#define IGNORE_MARKER "stackcheck: ignore"

/* Does the rest of f contain `marker`? Read in chunks that overlap by the
 * marker's length, so a marker across two chunks is found. */
static bool file_has(FILE *f, const char *marker)
{
    enum { CHUNK = 64 * 1024 };
    char *buf = mem_alloc(CHUNK); /* on the heap: stackcheck keeps its own stack small */
    size_t m = strlen(marker), keep = 0;
    if (!buf)
        return true; /* read the whole text instead */
    bool found = false;
    for (;;) {
        size_t n = fread(buf + keep, 1, CHUNK - keep, f), have = keep + n;
        if (memmem(buf, have, marker, m)) {
            found = true;
            break;
        }
        if (n == 0 || have < m)
            break;
        keep = m - 1;
        memmove(buf, buf + have - keep, keep);
    }
    mem_free(buf);
    return found;
}

static SourceText *source_get(SourceCache *sc, const char *path)
{
    for (size_t i = 0; i < sc->n; i++)
        if (strcmp(sc->items[i].path, path) == 0)
            return &sc->items[i];
    SourceText *s = VEC_PUSH(sc->items, sc->n, sc->cap);
    if (!s)
        return NULL;
    s->path = path;
    struct stat st;
    FILE *f = NULL;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size < CONFIG_MAX_BYTES * 16u)
        f = fopen(path, "rb");
    /* Most files have no ignore comment at all: one pass over small
     * chunks for the marker spares them the whole text and its index. */
    if (f && file_has(f, IGNORE_MARKER)) {
        rewind(f);
        s->text = mem_alloc((size_t)st.st_size + 1);
        if (s->text) {
            s->len = fread(s->text, 1, (size_t)st.st_size, f);
            s->text[s->len] = '\0';
        }
    }
    if (f)
        fclose(f);
    /* Index the line starts once: findings in big files (sqlite3.c has
     * thousands) would otherwise rescan the text for each one. */
    size_t cap = 0;
    for (size_t i = 0; s->text && i <= s->len; i++) {
        if (i != 0 && s->text[i - 1] != '\n')
            continue;
        if (vec_reserve((void **)&s->lines, s->nlines, &cap, sizeof *s->lines)) {
            mem_free(s->text); /* no index, no comments: the finding stays */
            s->text = NULL;
            break;
        }
        s->lines[s->nlines++] = i;
    }
    return s;
}

/* Returns the start of 1-based line `line` in s, and its length. */
static const char *line_at(const SourceText *s, unsigned line, size_t *len)
{
    if (!s->text || line == 0 || line > s->nlines)
        return NULL;
    const char *p = s->text + s->lines[line - 1], *end = s->text + s->len;
    const char *e = memchr(p, '\n', (size_t)(end - p));
    *len = (size_t)((e ? e : end) - p);
    return p;
}

/* Does this line carry `stackcheck: ignore[...]` naming `rule`? */
static bool line_ignores(const char *ln, size_t len, const char *rule)
{
    const size_t mlen = sizeof IGNORE_MARKER - 1;
    for (size_t i = 0; i + mlen <= len; i++) {
        if (memcmp(ln + i, IGNORE_MARKER, mlen) != 0)
            continue;
        size_t j = i + mlen;
        if (j >= len || ln[j] != '[')
            return true; /* bare "stackcheck: ignore": every rule */
        j++;
        /* A comma-separated list of rule ids, or "*". */
        while (j < len && ln[j] != ']') {
            while (j < len && (ln[j] == ' ' || ln[j] == ','))
                j++;
            size_t k = j;
            while (k < len && ln[k] != ',' && ln[k] != ']' && ln[k] != ' ')
                k++;
            if ((k - j == 1 && ln[j] == '*') || (k - j == strlen(rule) && memcmp(ln + j, rule, k - j) == 0))
                return true;
            j = k;
        }
    }
    return false;
}

static bool source_ignores(SourceCache *sc, const Finding *f, int *oom)
{
    if (!f->loc.file || !f->loc.line)
        return false;
    SourceText *s = source_get(sc, f->loc.file);
    if (!s) {
        *oom = 1;
        return false;
    }
    const char *rule = rule_table[f->rule].id;
    for (unsigned d = 0; d < 2 && d < f->loc.line; d++) {
        size_t len = 0;
        const char *ln = line_at(s, f->loc.line - d, &len);
        if (!ln)
            continue;
        /* The line above counts only when it is a comment of its own: a
         * trailing comment belongs to the code on its line. */
        if (d == 1) {
            size_t k = 0;
            while (k < len && (ln[k] == ' ' || ln[k] == '\t'))
                k++;
            if (k + 1 >= len || ln[k] != '/' || (ln[k + 1] != '/' && ln[k + 1] != '*'))
                continue;
        }
        if (line_ignores(ln, len, rule))
            return true;
    }
    return false;
}

static bool config_suppresses(const Config *c, const Finding *f)
{
    for (size_t i = 0; c && i < c->nsuppress; i++) {
        const Suppression *s = &c->suppress[i];
        if (s->rule != RULE_COUNT && s->rule != f->rule)
            continue;
        if (s->function && !config_glob_match(s->function, f->function))
            continue;
        if (s->file && !config_glob_match(s->file, f->loc.file))
            continue;
        return true;
    }
    return false;
}

long config_apply_suppressions(const Config *c, Result *r)
{
    SourceCache sc;
    memset(&sc, 0, sizeof sc);
    long count = 0;
    int oom = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        Finding *f = &r->findings[i];
        if (f->suppressed)
            continue;
        if (config_suppresses(c, f) || source_ignores(&sc, f, &oom)) {
            f->suppressed = true;
            count++;
        }
    }
    for (size_t i = 0; i < sc.n; i++) {
        mem_free(sc.items[i].text);
        mem_free(sc.items[i].lines);
    }
    mem_free(sc.items);
    return oom ? -1 : count;
}
