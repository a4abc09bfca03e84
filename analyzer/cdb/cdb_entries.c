/* This file holds the compile database's plain-data side: path
 * normalization, lookup and freeing. It does not need libclang, so the
 * stackcheck binary uses it without loading the front end (cdb.c). */
#define _POSIX_C_SOURCE 200809L
#include "cdb/cdb.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"


int cdb_abspath(const char *base, const char *path, char *buf, size_t size)
{
    char cwd[CDB_PATH_MAX];
    char tmp[2 * CDB_PATH_MAX + 2];
    if (path[0] == '/') {
        if (strlen(path) >= sizeof tmp)
            return -1;
        strcpy(tmp, path);
    } else {
        if (!base) {
            if (!getcwd(cwd, sizeof cwd))
                return -1;
            base = cwd;
        }
        int n = snprintf(tmp, sizeof tmp, "%s/%s", base, path);
        if (n < 0 || (size_t)n >= sizeof tmp)
            return -1;
    }
    /* Normalize lexically: drop "." and empty parts, let ".." pop one. */
    size_t out = 0;
    const char *p = tmp;
    if (size < 2)
        return -1;
    while (*p) {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        size_t len = (size_t)(e - p);
        if (len == 0)
            break;
        if (len == 1 && p[0] == '.') {
            /* skip */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (out > 0 && buf[out - 1] != '/')
                out--;
            if (out > 0)
                out--; /* the slash */
        } else {
            if (out + 1 + len + 1 > size)
                return -1;
            buf[out++] = '/';
            memcpy(buf + out, p, len);
            out += len;
        }
        p = e;
    }
    if (out == 0)
        buf[out++] = '/';
    buf[out] = '\0';
    return 0;
}

void cdb_entry_free(CdbEntry *e)
{
    for (size_t k = 0; k < e->nargs; k++)
        mem_free(e->args[k]);
    mem_free(e->args);
    mem_free(e->file);
    mem_free(e->directory);
    mem_free(e->compiler);
}

void cdb_free(Cdb *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < db->n; i++)
        cdb_entry_free(&db->items[i]);
    mem_free(db->items);
    mem_free(db->path);
    mem_free(db);
}

/* Whether `s` is a compiler's own name: gcc, cc, clang, g++ or c++, with
 * an optional -VERSION (digits and dots). */
static bool compiler_name(const char *s)
{
    static const char *const names[] = {"gcc", "cc", "clang", "g++", "c++", NULL};
    for (size_t i = 0; names[i]; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(s, names[i], n) != 0)
            continue;
        const char *v = s + n;
        if (*v == '\0')
            return true;
        if (*v++ != '-' || *v == '\0')
            continue;
        while (*v && ((*v >= '0' && *v <= '9') || *v == '.'))
            v++;
        if (*v == '\0')
            return true;
    }
    return false;
}

int cdb_command_triple(const char *compiler, const char *const *args, size_t nargs, char *buf,
                       size_t size, int *m32)
{
    const char *t = NULL;
    *m32 = 0;
    for (size_t k = 0; k < nargs; k++) {
        const char *a = args[k];
        if (strncmp(a, "--target=", 9) == 0)
            t = a + 9;
        else if ((strcmp(a, "--target") == 0 || strcmp(a, "-target") == 0) && k + 1 < nargs)
            t = args[++k];
        else if (strcmp(a, "-m32") == 0)
            *m32 = 1;
        else if (strcmp(a, "-m64") == 0)
            *m32 = 0;
    }
    size_t n = 0;
    if (t) {
        n = strlen(t);
    } else if (compiler) {
        const char *base = strrchr(compiler, '/');
        base = base ? base + 1 : compiler;
        for (const char *d = strchr(base, '-'); d; d = strchr(d + 1, '-')) {
            /* A prefix that is not a triple (ccache-gcc) names no target. */
            if (compiler_name(d + 1) && memchr(base, '-', (size_t)(d - base))) {
                t = base;
                n = (size_t)(d - base);
                break;
            }
        }
    }
    if (!t || n == 0 || n >= size)
        return 0;
    memcpy(buf, t, n);
    buf[n] = '\0';
    return 1;
}

const CdbEntry *cdb_find(const Cdb *db, const char *path)
{
    char abs[CDB_PATH_MAX];
    if (cdb_abspath(NULL, path, abs, sizeof abs))
        return NULL;
    /* Linear: called once per FILE argument; a hash is not worth it below
     * hundreds of thousands of entries. */
    for (size_t i = 0; i < db->n; i++)
        if (strcmp(db->items[i].file, abs) == 0)
            return &db->items[i];
    return NULL;
}
