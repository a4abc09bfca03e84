/* This file keeps TU summaries on disk under a hash of what decides the
 * parse, and validates each entry by the content hashes of the files that
 * parse read (ccache's "direct mode"). Entry paths come only from the hex
 * key, so nothing from the input can steer a write outside the folder. */
#define _POSIX_C_SOURCE 200809L
#include "cache/cache.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache/canon.h"
#include "summary/summary_bin.h"
#include "util/fileio.h"
#include "util/mem.h"

#define CACHE_MAX_ENTRY (256u * 1024u * 1024u)
#define CACHE_MAX_SOURCE (1024u * 1024u * 1024u)
#define CACHE_MAGIC "stackcheck-cache 4"

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

/* Content hash of bytes: two 64-bit multiply-xor streams over 8-byte
 * words (eight times fewer steps than bytewise FNV; a header is read by
 * every file of a project, so this runs over megabytes per run). */
typedef struct ContentHash {
    uint64_t a, b;
    size_t len;
} ContentHash;

static void ch_init(ContentHash *h, uint64_t seed)
{
    h->a = 0x243f6a8885a308d3u;
    h->b = 0x13198a2e03707344u ^ seed;
    h->len = 0;
}

/* Adds n bytes; every call but the last must add a multiple of 8. */
static void ch_update(ContentHash *h, const unsigned char *p, size_t n)
{
    uint64_t a = h->a, b = h->b;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        a = (a ^ w) * 0x9e3779b97f4a7c15u;
        a ^= a >> 32;
        b = ((b ^ w) << 23 | (b ^ w) >> 41) * 0xc2b2ae3d27d4eb4fu + 0x165667b19e3779f9u;
    }
    if (i < n) {
        uint64_t t = 0;
        memcpy(&t, p + i, n - i);
        a = (a ^ t) * 0x9e3779b97f4a7c15u;
        b = (b ^ t) * 0xc2b2ae3d27d4eb4fu;
    }
    h->a = a;
    h->b = b;
    h->len += n;
}

static void ch_final(const ContentHash *h, char hex[33])
{
    uint64_t a = h->a ^ h->len, b = h->b;
    snprintf(hex, 33, "%016" PRIx64 "%016" PRIx64, mix(a ^ (b << 1)), mix(b + a));
}

static void content_hash(const unsigned char *p, size_t len, uint64_t seed, char hex[33])
{
    ContentHash h;
    ch_init(&h, seed);
    ch_update(&h, p, len);
    ch_final(&h, hex);
}

/* The two hashes of a file the cache compares: of its bytes (cheap, and
 * what nearly always matches) and of its canonical form (canon.h: what the
 * preprocessor's output depends on), computed only when the bytes differ. */
enum { SEED_BYTES = 0, SEED_CANON = 1, SEED_NO_CANON = 2 };

/* Hashes already computed in this run, by path: every file of a project
 * reads the same headers, which are then read and hashed once. Files are
 * taken not to change during one run. Guarded by memo_lock (parse workers
 * share it); an entry that cannot be added is simply recomputed later. */
typedef struct HashMemo {
    char *path;
    char raw[33];
    char canon[33]; /* "" until needed */
} HashMemo;

static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static HashMemo *memo;
static size_t memo_n, memo_cap; /* memo_cap: a power of two, or 0 */

static uint64_t path_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The slot of path in memo (empty when absent); memo_lock held. */
static HashMemo *memo_slot(HashMemo *tab, size_t cap, const char *path)
{
    size_t i = (size_t)path_hash(path) & (cap - 1);
    while (tab[i].path && strcmp(tab[i].path, path) != 0)
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

/* Copies what the memo knows of path into raw and canon (either "" when
 * unknown); false when it knows nothing. */
static bool memo_get(const char *path, char raw[33], char canon[33])
{
    bool found = false;
    pthread_mutex_lock(&memo_lock);
    if (memo_cap) {
        HashMemo *m = memo_slot(memo, memo_cap, path);
        if (m->path) {
            memcpy(raw, m->raw, 33);
            memcpy(canon, m->canon, 33);
            found = true;
        }
    }
    pthread_mutex_unlock(&memo_lock);
    return found;
}

static void memo_put(const char *path, const char raw[33], const char canon[33])
{
    pthread_mutex_lock(&memo_lock);
    if (2 * (memo_n + 1) > memo_cap) { /* keep the table at most half full */
        size_t ncap = memo_cap ? 2 * memo_cap : 256;
        HashMemo *tab = mem_calloc(ncap, sizeof *tab);
        if (!tab)
            goto out;
        for (size_t i = 0; i < memo_cap; i++)
            if (memo[i].path)
                *memo_slot(tab, ncap, memo[i].path) = memo[i];
        mem_free(memo);
        memo = tab;
        memo_cap = ncap;
    }
    HashMemo *m = memo_slot(memo, memo_cap, path);
    if (!m->path && (m->path = mem_strdup(path)) != NULL)
        memo_n++;
    if (m->path) {
        memcpy(m->raw, raw, 33);
        memcpy(m->canon, canon, 33);
    }
out:
    pthread_mutex_unlock(&memo_lock);
}

void cache_forget_hashes(void)
{
    pthread_mutex_lock(&memo_lock);
    for (size_t i = 0; i < memo_cap; i++)
        mem_free(memo[i].path);
    mem_free(memo);
    memo = NULL;
    memo_n = memo_cap = 0;
    pthread_mutex_unlock(&memo_lock);
}

/* The hash of a file's canonical form; a file without one (canon.h) gets
 * a hash of its bytes under another seed, so it still compares. */
static int canon_hash(const char *buf, size_t len, char hex[33])
{
    char *out = mem_alloc(len ? len : 1);
    if (!out)
        return -1;
    size_t n = canon_source(buf, len, out);
    if (n == (size_t)-1)
        content_hash((const unsigned char *)buf, len, SEED_NO_CANON, hex);
    else
        content_hash((const unsigned char *)out, n, SEED_CANON, hex);
    mem_free(out);
    return 0;
}

/* The hash of a file's bytes, not remembered; -1 when it cannot be read.
 * Read through a 64 KiB buffer: the bytes are needed once, and an 8 MB
 * source read whole costs more in fresh pages than in hashing. */
static int read_and_hash(const char *path, char hex[33])
{
    enum { CHUNK = 64 * 1024 };
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    struct stat st;
    if (fd < 0)
        return -1;
    unsigned char *buf = NULL; /* on the heap: stackcheck keeps its own stack small */
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (unsigned long long)st.st_size > CACHE_MAX_SOURCE ||
        !(buf = mem_alloc(CHUNK))) {
        close(fd);
        return -1;
    }
    ContentHash h;
    ch_init(&h, SEED_BYTES);
    for (;;) {
        size_t n = 0;
        while (n < CHUNK) { /* whole chunks: a multiple of 8 until the end */
            ssize_t r = read(fd, buf + n, CHUNK - n);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                close(fd);
                mem_free(buf);
                return -1;
            }
            if (r == 0)
                break;
            n += (size_t)r;
        }
        ch_update(&h, buf, n);
        if (n < CHUNK)
            break;
    }
    close(fd);
    mem_free(buf);
    ch_final(&h, hex);
    return 0;
}

/* The hashes of a file (canon NULL: its bytes only), remembered for the
 * rest of the run; -1 when it cannot be read. */
static int file_hashes(const char *path, char raw[33], char *canon)
{
    char mraw[33], mcanon[33];
    bool known = memo_get(path, mraw, mcanon);
    if (known && (!canon || mcanon[0])) {
        memcpy(raw, mraw, 33);
        if (canon)
            memcpy(canon, mcanon, 33);
        return 0;
    }
    mcanon[0] = '\0';
    if (!canon) {
        if (read_and_hash(path, raw))
            return -1;
    } else {
        char *buf = NULL;
        size_t len = 0;
        char err[128];
        if (file_read_all(path, CACHE_MAX_SOURCE, &buf, &len, err, sizeof err))
            return -1;
        content_hash((const unsigned char *)buf, len, SEED_BYTES, raw);
        int rc = canon_hash(buf, len, mcanon);
        mem_free(buf);
        if (rc)
            return -1;
        memcpy(canon, mcanon, 33);
    }
    memo_put(path, raw, mcanon);
    return 0;
}

static int entry_path(const char *dir, const CacheKey *key, char *buf, size_t size, int with_subdir_only)
{
    int n = with_subdir_only ? snprintf(buf, size, "%s/%.2s", dir, key->hex)
                             : snprintf(buf, size, "%s/%.2s/%s.entry", dir, key->hex, key->hex + 2);
    return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

/* Entry layout: line 1 "<CACHE_MAGIC> <tool version>", then one line per
 * dependency "<32 hex: its bytes> <32 hex: its canonical form> <path>",
 * then a line "--", then the summary in binary form (summary_bin.h) to the
 * end of the file. A path with '\n' is refused at store time. A dependency
 * whose bytes changed but whose canonical form did not (a comment was
 * edited) still validates the entry, which is then rewritten with the new
 * bytes' hash. */
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
    bool refresh = false;
    for (;;) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            goto done; /* torn or damaged: a miss */
        if (nl - p == 2 && memcmp(p, "--", 2) == 0) {
            p = nl + 1;
            break;
        }
        /* "<bytes hash> <canonical hash> <path>" */
        if (nl - p < 67 || p[32] != ' ' || p[65] != ' ')
            goto done;
        *nl = '\0';
        char raw[33], canon[33];
        if (file_hashes(p + 66, raw, NULL))
            goto done; /* a dependency vanished */
        if (memcmp(p, raw, 32) != 0) {
            /* Its bytes changed: does what the preprocessor sees? */
            if (file_hashes(p + 66, raw, canon) || memcmp(p + 33, canon, 32) != 0)
                goto done;
            memcpy(p, raw, 32); /* same parse: the entry learns the new bytes */
            refresh = true;
        }
        *nl = '\n';
        p = nl + 1;
    }
    TuSummary *s = NULL;
    if (sum_from_bin(p, (size_t)(end - p), tool_version, &s, err, sizeof err) == 0) {
        *out = s;
        hit = 1;
        /* Best effort: the next run then matches on the bytes alone. */
        if (refresh)
            (void)file_write_atomic(path, text, len, err, sizeof err);
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

    size_t blen = 0;
    char *bin = sum_to_bin(s, tool_version, clang_version, &blen);
    if (!bin) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    size_t cap = blen + 256;
    for (uint32_t i = 0; i < s->ndeps; i++)
        cap += strlen(s->deps[i]) + 72;
    char *buf = mem_alloc(cap);
    if (!buf) {
        mem_free(bin);
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    int rc = 0;
    size_t n = (size_t)snprintf(buf, cap, "%s %s\n", CACHE_MAGIC, tool_version ? tool_version : "");
    for (uint32_t i = 0; i < s->ndeps && rc == 0; i++) {
        char raw[33], canon[33];
        if (strchr(s->deps[i], '\n') || file_hashes(s->deps[i], raw, canon)) {
            /* A file we cannot hash now cannot validate the entry later. */
            snprintf(err, errsize, "%s: cannot be hashed for the cache", s->deps[i]);
            rc = -1;
            break;
        }
        n += (size_t)snprintf(buf + n, cap - n, "%s %s %s\n", raw, canon, s->deps[i]);
    }
    if (rc == 0) {
        n += (size_t)snprintf(buf + n, cap - n, "--\n");
        memcpy(buf + n, bin, blen);
        n += blen;
        rc = file_write_atomic(path, buf, n, err, errsize);
    }
    mem_free(buf);
    mem_free(bin);
    return rc;
}

/* The compile database entry: its key covers the database's bytes, so a
 * hit needs no further validation. Layout: the header line, then JSON
 * {"path": P, "items": [{"file": F, "directory": D, "compiler": C,
 * "args": [...]}, ...]}; an entry without one of them is a miss. */
static int cdb_key(const char *build_dir, const char *frontend_id, const char *tool_version,
                   CacheKey *key)
{
    char path[4096], cwd[4096], hex[33];
    if (snprintf(path, sizeof path, "%s/compile_commands.json", build_dir) >= (int)sizeof path ||
        !getcwd(cwd, sizeof cwd))
        return -1;
    if (read_and_hash(path, hex)) /* not memoized: read once per run */
        return -1;
    const char *args[] = {"compile database", hex};
    CacheInputs in = {.path = path, .working_dir = cwd, .args = args, .nargs = 2,
                      .tool_version = tool_version, .clang_version = frontend_id};
    cache_key(&in, key);
    memcpy(key->hex + 30, "db", 2); /* a compile database entry never collides with a summary's */
    return 0;
}

static char *dup_json_str(const cJSON *o, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(it) ? mem_strdup(it->valuestring) : NULL;
}

int cache_get_cdb(const char *dir, const char *build_dir, const char *frontend_id,
                  const char *tool_version, Cdb **out)
{
    CacheKey key;
    char path[4096];
    if (cdb_key(build_dir, frontend_id, tool_version, &key) || entry_path(dir, &key, path, sizeof path, 0))
        return 0;
    char *text = NULL, err[128];
    size_t len = 0;
    if (file_read_all(path, CACHE_MAX_ENTRY, &text, &len, err, sizeof err))
        return 0;
    char header[128];
    snprintf(header, sizeof header, "%s %s\n", CACHE_MAGIC, tool_version ? tool_version : "");
    size_t hlen = strlen(header);
    cJSON *root = len > hlen && memcmp(text, header, hlen) == 0
                      ? cJSON_ParseWithLength(text + hlen, len - hlen)
                      : NULL;
    mem_free(text);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
    Cdb *db = cJSON_IsArray(items) ? mem_calloc(1, sizeof *db) : NULL;
    int n = cJSON_GetArraySize(items);
    if (!db || !(db->path = dup_json_str(root, "path")) ||
        !(db->items = mem_calloc(n ? (size_t)n : 1, sizeof *db->items)))
        goto bad;
    const cJSON *it = items->child;
    for (int i = 0; i < n; i++, it = it->next) {
        CdbEntry *e = &db->items[db->n++];
        const cJSON *args = cJSON_GetObjectItemCaseSensitive(it, "args");
        int na = cJSON_GetArraySize(args);
        if (!(e->file = dup_json_str(it, "file")) || !(e->directory = dup_json_str(it, "directory")) ||
            !(e->compiler = dup_json_str(it, "compiler")) || !cJSON_IsArray(args) ||
            !(e->args = mem_calloc(na ? (size_t)na : 1, sizeof *e->args)))
            goto bad;
        const cJSON *a = args->child;
        for (int k = 0; k < na; k++, a = a->next) {
            if (!cJSON_IsString(a) || !(e->args[e->nargs] = mem_strdup(a->valuestring)))
                goto bad;
            e->nargs++;
        }
    }
    cJSON_Delete(root);
    *out = db;
    return 1;
bad: /* damaged or out of memory: a miss */
    cdb_free(db);
    cJSON_Delete(root);
    return 0;
}

void cache_put_cdb(const char *dir, const char *build_dir, const char *frontend_id,
                   const char *tool_version, const Cdb *db)
{
    CacheKey key;
    char path[4096], err[256];
    if (cdb_key(build_dir, frontend_id, tool_version, &key) || entry_path(dir, &key, path, sizeof path, 1))
        return;
    if ((mkdir(dir, 0777) != 0 && errno != EEXIST) || (mkdir(path, 0777) != 0 && errno != EEXIST))
        return;
    entry_path(dir, &key, path, sizeof path, 0);
    cJSON *root = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(root, "items");
    bool ok = items && cJSON_AddStringToObject(root, "path", db->path);
    for (size_t i = 0; ok && i < db->n; i++) {
        const CdbEntry *e = &db->items[i];
        cJSON *o = cJSON_CreateObject();
        ok = o && cJSON_AddItemToArray(items, o) && cJSON_AddStringToObject(o, "file", e->file) &&
             cJSON_AddStringToObject(o, "directory", e->directory) &&
             cJSON_AddStringToObject(o, "compiler", e->compiler ? e->compiler : "");
        cJSON *args = ok ? cJSON_AddArrayToObject(o, "args") : NULL;
        ok = args != NULL;
        for (size_t k = 0; ok && k < e->nargs; k++) {
            cJSON *a = cJSON_CreateString(e->args[k]);
            ok = a && cJSON_AddItemToArray(args, a);
        }
    }
    char *json = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!json)
        return;
    char header[128];
    int hn = snprintf(header, sizeof header, "%s %s\n", CACHE_MAGIC, tool_version ? tool_version : "");
    size_t jlen = strlen(json);
    char *buf = mem_alloc((size_t)hn + jlen);
    if (buf) {
        memcpy(buf, header, (size_t)hn);
        memcpy(buf + hn, json, jlen);
        (void)file_write_atomic(path, buf, (size_t)hn + jlen, err, sizeof err); /* best effort */
        mem_free(buf);
    }
    cJSON_free(json);
}
