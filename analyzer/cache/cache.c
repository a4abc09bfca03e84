/* This file keeps TU summaries on disk under a hash of what decides the
 * parse, and validates each entry by the content hashes of the files that
 * parse read (ccache's "direct mode"). Entry paths come only from the hex
 * key, so nothing from the input can steer a write outside the folder. */
#define _POSIX_C_SOURCE 200809L
#include "cache/cache.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "summary/summary_json.h"
#include "util/fileio.h"
#include "util/mem.h"

#define CACHE_MAX_ENTRY (256u * 1024u * 1024u)
#define CACHE_MAX_SOURCE (1024u * 1024u * 1024u)
#define CACHE_MAGIC "stackcheck-cache 1"

/* Two independent 64-bit FNV-1a streams with a final mix: not
 * cryptographic, which a cache of one's own files does not need. */
typedef struct Hash128 {
    uint64_t a, b;
} Hash128;

static void h_init(Hash128 *h)
{
    h->a = 1469598103934665603u;
    h->b = 0x9e3779b97f4a7c15u;
}

static void h_bytes(Hash128 *h, const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t a = h->a, b = h->b;
    for (size_t i = 0; i < n; i++) {
        a = (a ^ p[i]) * 1099511628211u;
        b = (b ^ p[i]) * 0x100000001b3u + 0x632be59bd9b4e019u;
        b ^= b >> 29;
    }
    h->a = a;
    h->b = b;
}

/* Strings are hashed with their terminating NUL so "ab","c" != "a","bc". */
static void h_str(Hash128 *h, const char *s)
{
    if (!s)
        s = "";
    h_bytes(h, s, strlen(s) + 1);
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53u;
    x ^= x >> 33;
    return x;
}

void cache_key(const CacheInputs *in, CacheKey *out)
{
    Hash128 h;
    h_init(&h);
    h_str(&h, CACHE_MAGIC);
    h_str(&h, in->tool_version);
    h_str(&h, in->clang_version);
    h_str(&h, in->target);
    h_str(&h, in->working_dir);
    h_str(&h, in->path);
    for (size_t i = 0; i < in->nargs; i++)
        h_str(&h, in->args[i]);
    snprintf(out->hex, sizeof out->hex, "%016" PRIx64 "%016" PRIx64, mix(h.a ^ (h.b << 1)), mix(h.b + h.a));
}

/* Content hash of a file as 32 hex digits; -1 when it cannot be read. */
static int file_hash(const char *path, char hex[33])
{
    char *buf = NULL;
    size_t len = 0;
    char err[128];
    if (file_read_all(path, CACHE_MAX_SOURCE, &buf, &len, err, sizeof err))
        return -1;
    Hash128 h;
    h_init(&h);
    h_bytes(&h, buf, len);
    mem_free(buf);
    snprintf(hex, 33, "%016" PRIx64 "%016" PRIx64, mix(h.a), mix(h.b ^ len));
    return 0;
}

static int entry_path(const char *dir, const CacheKey *key, char *buf, size_t size, int with_subdir_only)
{
    int n = with_subdir_only ? snprintf(buf, size, "%s/%.2s", dir, key->hex)
                             : snprintf(buf, size, "%s/%.2s/%s.json", dir, key->hex, key->hex + 2);
    return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

/* Entry layout: line 1 "stackcheck-cache 1 <tool version>", then one line
 * per dependency "<32 hex> <path>", then a line "--", then the summary's
 * JSON. Paths cannot hold a newline in a way clang would open... but a
 * path with '\n' is refused at store time anyway. */
int cache_get(const char *dir, const CacheKey *key, const char *tool_version, TuSummary **out)
{
    char path[4096];
    if (entry_path(dir, key, path, sizeof path, 0))
        return 0;
    char *text = NULL;
    size_t len = 0;
    char err[256];
    if (file_read_all(path, CACHE_MAX_ENTRY, &text, &len, err, sizeof err))
        return 0;
    int hit = 0;
    char *p = text, *end = text + len;
    char *nl = memchr(p, '\n', (size_t)(end - p));
    char header[128];
    snprintf(header, sizeof header, "%s %s", CACHE_MAGIC, tool_version ? tool_version : "");
    if (!nl || (size_t)(nl - p) != strlen(header) || memcmp(p, header, strlen(header)) != 0)
        goto done;
    p = nl + 1;
    for (;;) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            goto done; /* torn or damaged: a miss */
        *nl = '\0';
        if (strcmp(p, "--") == 0) {
            p = nl + 1;
            break;
        }
        if (strlen(p) < 34 || p[32] != ' ')
            goto done;
        char want[33], have[33];
        memcpy(want, p, 32);
        want[32] = '\0';
        if (file_hash(p + 33, have) || strcmp(want, have) != 0)
            goto done; /* a dependency changed or vanished */
        p = nl + 1;
    }
    TuSummary *s = NULL;
    if (sum_from_json(p, (size_t)(end - p), tool_version, &s, err, sizeof err) == 0) {
        *out = s;
        hit = 1;
    }
done:
    mem_free(text);
    return hit;
}

int cache_put(const char *dir, const CacheKey *key, const TuSummary *s, const char *tool_version,
              const char *clang_version, char *err, size_t errsize)
{
    char path[4096];
    if (entry_path(dir, key, path, sizeof path, 1)) {
        snprintf(err, errsize, "cache path too long");
        return -1;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(err, errsize, "%s: %s", dir, strerror(errno));
        return -1;
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return -1;
    }
    entry_path(dir, key, path, sizeof path, 0);

    char *json = sum_to_json(s, tool_version, clang_version);
    if (!json) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    size_t jlen = strlen(json);
    size_t cap = jlen + 256;
    for (uint32_t i = 0; i < s->ndeps; i++)
        cap += strlen(s->deps[i]) + 40;
    char *buf = mem_alloc(cap);
    if (!buf) {
        mem_free(json);
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    int rc = 0;
    size_t n = (size_t)snprintf(buf, cap, "%s %s\n", CACHE_MAGIC, tool_version ? tool_version : "");
    for (uint32_t i = 0; i < s->ndeps && rc == 0; i++) {
        char hex[33];
        if (strchr(s->deps[i], '\n') || file_hash(s->deps[i], hex)) {
            /* A file we cannot hash now cannot validate the entry later. */
            snprintf(err, errsize, "%s: cannot be hashed for the cache", s->deps[i]);
            rc = -1;
            break;
        }
        n += (size_t)snprintf(buf + n, cap - n, "%s %s\n", hex, s->deps[i]);
    }
    if (rc == 0) {
        n += (size_t)snprintf(buf + n, cap - n, "--\n");
        memcpy(buf + n, json, jlen);
        n += jlen;
        rc = file_write_atomic(path, buf, n, err, errsize);
    }
    mem_free(buf);
    mem_free(json);
    return rc;
}
