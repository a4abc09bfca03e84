/* This file holds the compile database's plain-data side: path
 * normalization, lookup and freeing. It does not need libclang, so the
 * stackcheck binary uses it without loading the front end (cdb.c). */
#define _POSIX_C_SOURCE 200809L
#include "cdb/cdb.h"

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

void cdb_free(Cdb *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < db->n; i++) {
        for (size_t k = 0; k < db->items[i].nargs; k++)
            mem_free(db->items[i].args[k]);
        mem_free(db->items[i].args);
        mem_free(db->items[i].file);
        mem_free(db->items[i].directory);
    }
    mem_free(db->items);
    mem_free(db->path);
    mem_free(db);
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
