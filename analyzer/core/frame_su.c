/* This file reads -fstack-usage (.su) output of GCC and clang into a table
 * and looks functions up in it by file basename, line and name. */
#define _POSIX_C_SOURCE 200809L
#include "core/frame_su.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/fileio.h"
#include "util/mem.h"
#include "util/vec.h"

/* Largest .su file read: far beyond a real one (a few KiB per source). */
#define SU_MAX_BYTES (64u * 1024u * 1024u)
/* Deepest folder tree and most files walked under su=DIR. */
#define SU_MAX_FILES 1000000u

void frame_su_init(SuTable *t)
{
    memset(t, 0, sizeof *t);
    arena_init(&t->arena);
}

void frame_su_fini(SuTable *t)
{
    arena_fini(&t->arena);
    mem_free(t->v);
    memset(t, 0, sizeof *t);
}

static const char *base_name(const char *p, size_t n, size_t *bn)
{
    size_t k = n;
    while (k > 0 && p[k - 1] != '/')
        k--;
    *bn = n - k;
    return p + k;
}

/* Parses a decimal number of p[0..n) (all digits, n >= 1). */
static bool parse_u64(const char *p, size_t n, uint64_t *out)
{
    if (n == 0 || n > 19)
        return false;
    uint64_t v = 0;
    for (size_t k = 0; k < n; k++) {
        if (p[k] < '0' || p[k] > '9')
            return false;
        v = v * 10 + (uint64_t)(p[k] - '0');
    }
    *out = v;
    return true;
}

/* The last ':' in p[0..n), or NULL. */
static const char *last_colon(const char *p, size_t n)
{
    for (size_t k = n; k > 0; k--)
        if (p[k - 1] == ':')
            return p + k - 1;
    return NULL;
}

/* One line: LOC \t BYTES \t QUAL, LOC = path:line[:col]:name. */
static int parse_line(SuTable *t, const char *p, size_t n)
{
    const char *tab1 = memchr(p, '\t', n);
    if (!tab1)
        return 1;
    size_t locn = (size_t)(tab1 - p);
    const char *rest = tab1 + 1;
    size_t restn = n - locn - 1;
    const char *tab2 = memchr(rest, '\t', restn);
    size_t bytesn = tab2 ? (size_t)(tab2 - rest) : restn;
    const char *qual = tab2 ? tab2 + 1 : rest + restn;
    size_t qualn = tab2 ? restn - bytesn - 1 : 0;
    while (qualn && (qual[qualn - 1] == '\r' || qual[qualn - 1] == ' '))
        qualn--;
    uint64_t bytes;
    if (!parse_u64(rest, bytesn, &bytes))
        return 1;
    SuQual q;
    if (qualn == 6 && memcmp(qual, "static", 6) == 0)
        q = SU_STATIC;
    else if (qualn == 7 && memcmp(qual, "dynamic", 7) == 0)
        q = SU_DYNAMIC;
    else if (qualn == 15 && memcmp(qual, "dynamic,bounded", 15) == 0)
        q = SU_DYNAMIC_BOUNDED;
    else
        return 1;
    /* name after the last ':', then one or two numbers before it. */
    const char *c1 = last_colon(p, locn);
    if (!c1 || c1 + 1 == p + locn)
        return 1;
    const char *name = c1 + 1;
    size_t namen = (size_t)(p + locn - name);
    const char *c2 = last_colon(p, (size_t)(c1 - p));
    uint64_t a = 0, b = 0;
    if (!c2 || !parse_u64(c2 + 1, (size_t)(c1 - c2 - 1), &a))
        return 1;
    const char *pathend = c2;
    unsigned line = 0, col = 0;
    const char *c3 = last_colon(p, (size_t)(c2 - p));
    if (c3 && parse_u64(c3 + 1, (size_t)(c2 - c3 - 1), &b)) {
        /* GCC: path:line:col:name */
        if (b > UINT32_MAX || a > UINT32_MAX)
            return 1;
        line = (unsigned)b;
        col = (unsigned)a;
        pathend = c3;
    } else {
        if (a > UINT32_MAX)
            return 1;
        line = (unsigned)a;
    }
    if (pathend == p || line == 0)
        return 1;
    size_t bn;
    const char *base = base_name(p, (size_t)(pathend - p), &bn);
    if (bn == 0)
        return 1;
    SuEntry *e = VEC_PUSH(t->v, t->n, t->cap);
    if (!e)
        return -1;
    e->file = arena_strndup(&t->arena, base, bn);
    e->name = arena_strndup(&t->arena, name, namen);
    if (!e->file || !e->name) {
        t->n--;
        return -1;
    }
    e->line = line;
    e->col = col;
    e->bytes = bytes;
    e->qual = q;
    t->sorted = false;
    return 0;
}

int frame_su_parse(SuTable *t, const char *text, size_t len)
{
    size_t k = 0;
    while (k < len) {
        const char *nl = memchr(text + k, '\n', len - k);
        size_t n = nl ? (size_t)(nl - (text + k)) : len - k;
        if (n > 0) {
            int rc = parse_line(t, text + k, n);
            if (rc < 0)
                return -1;
            if (rc > 0)
                t->bad_lines++;
        }
        k += n + 1;
    }
    return 0;
}

static int cmp_entry(const void *pa, const void *pb)
{
    const SuEntry *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    c = strcmp(a->file, b->file);
    if (c)
        return c;
    /* Largest first: a duplicate record keeps the larger frame. */
    return a->bytes > b->bytes ? -1 : a->bytes < b->bytes;
}

void frame_su_sort(SuTable *t)
{
    if (t->n > 1)
        qsort(t->v, t->n, sizeof *t->v, cmp_entry);
    t->sorted = true;
}

/* Is `su` the name `name` or one of GCC's clones of it ("name.part.0")? */
static bool clone_of(const char *su, const char *name)
{
    size_t n = strlen(name);
    return strncmp(su, name, n) == 0 && su[n] == '.';
}

const SuEntry *frame_su_find(const SuTable *t, const char *file, unsigned line, const char *name)
{
    if (!t || !t->sorted || !file || !name || t->n == 0)
        return NULL;
    size_t bn;
    const char *base = base_name(file, strlen(file), &bn);
    /* First record of `line`. */
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->v[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    const SuEntry *clone = NULL;
    for (size_t k = lo; k < t->n && t->v[k].line == line; k++) {
        const SuEntry *e = &t->v[k];
        if (strlen(e->file) != bn || memcmp(e->file, base, bn) != 0)
            continue;
        if (strcmp(e->name, name) == 0)
            return e;
        if (!clone && clone_of(e->name, name))
            clone = e;
    }
    return clone;
}

static bool ends_with_su(const char *s)
{
    size_t n = strlen(s);
    return n > 3 && strcmp(s + n - 3, ".su") == 0;
}

long frame_su_load_dir(SuTable *t, const char *dir, char *err, size_t errsize)
{
    char **stack = NULL;
    size_t n = 0, cap = 0;
    long files = 0;
    long rc = -1;
    char *root = mem_strdup(dir);
    if (!root || vec_reserve_n((void **)&stack, 1, &cap, sizeof *stack) != 0) {
        mem_free(root);
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    stack[n++] = root;
    bool first = true;
    while (n > 0) {
        char *path = stack[--n];
        DIR *d = opendir(path);
        if (!d) {
            if (first) {
                snprintf(err, errsize, "cannot open folder: %s", strerror(errno));
                mem_free(path);
                goto done;
            }
            mem_free(path);
            continue;
        }
        first = false;
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            size_t need = strlen(path) + strlen(de->d_name) + 2;
            char *child = mem_alloc(need);
            if (!child) {
                closedir(d);
                mem_free(path);
                snprintf(err, errsize, "out of memory");
                goto done;
            }
            snprintf(child, need, "%s/%s", path, de->d_name);
            struct stat st;
            if (lstat(child, &st) != 0) {
                mem_free(child);
                continue;
            }
            if (S_ISDIR(st.st_mode)) {
                if (vec_reserve_n((void **)&stack, n + 1, &cap, sizeof *stack) != 0) {
                    mem_free(child);
                    closedir(d);
                    mem_free(path);
                    snprintf(err, errsize, "out of memory");
                    goto done;
                }
                stack[n++] = child;
                continue;
            }
            if (S_ISREG(st.st_mode) && ends_with_su(de->d_name) && (size_t)files < SU_MAX_FILES) {
                char *text = NULL;
                size_t len = 0;
                char ferr[128];
                if (file_read_all(child, SU_MAX_BYTES, &text, &len, ferr, sizeof ferr) == 0) {
                    int prc = frame_su_parse(t, text, len);
                    mem_free(text);
                    if (prc != 0) {
                        mem_free(child);
                        closedir(d);
                        mem_free(path);
                        snprintf(err, errsize, "out of memory");
                        goto done;
                    }
                    files++;
                }
            }
            mem_free(child);
        }
        closedir(d);
        mem_free(path);
    }
    rc = files;
done:
    while (n > 0)
        mem_free(stack[--n]);
    mem_free(stack);
    return rc;
}
