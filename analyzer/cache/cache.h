/* The summary cache (--cache DIR): one entry per (file, flags, target,
 * versions), validated by the content of every file the parse read, so a
 * warm run parses nothing and a changed header re-parses only its
 * includers. */
#ifndef STACKCHECK_CACHE_CACHE_H
#define STACKCHECK_CACHE_CACHE_H

#include <stddef.h>

#include "cdb/cdb.h"
#include "summary/summary.h"

typedef struct CacheKey {
    char hex[33]; /* 128-bit key as 32 lowercase hex digits */
} CacheKey;

/* The inputs that decide a parse besides the files' contents. */
typedef struct CacheInputs {
    const char *path;           /* the file as given */
    const char *working_dir;    /* NULL: the current directory */
    const char *const *args;    /* clang arguments */
    size_t nargs;
    const char *target;         /* NULL: host */
    const char *tool_version;
    const char *clang_version;
} CacheInputs;

/* Content hashes of files are remembered for the rest of the process (a
 * header shared by many files is hashed once per run); this forgets them,
 * for a process that changes files between lookups (tests). */
void cache_forget_hashes(void);

/* Computes the key of `in` (no file is read). */
void cache_key(const CacheInputs *in, CacheKey *out);

/* Looks the key up in `dir`. Returns 1 and sets *out (free with sum_free)
 * when an entry exists and every file it depends on still has the content it
 * had; 0 when there is no usable entry (absent, stale, corrupt or from
 * another version: the caller parses and stores again); never fails
 * otherwise. */
int cache_get(const char *dir, const CacheKey *key, const char *tool_version, TuSummary **out);

/* Stores `s` under `key` atomically, with the content hash of each of
 * s->deps. Creates `dir` when missing. Returns 0, or -1 with a reason in
 * err (the run goes on without caching that file). */
int cache_put(const char *dir, const CacheKey *key, const TuSummary *s, const char *tool_version,
              const char *clang_version, char *err, size_t errsize);

/* The compile database of BUILD_DIR as read by libclang (cdb_load), kept
 * under the bytes of its compile_commands.json, the current folder, the
 * front end's identity and the tool version. get returns 1 and sets *out
 * (free with cdb_free), or 0 (absent or damaged: load it and put it);
 * put is best effort (a failure is silent: the next run loads again). */
int cache_get_cdb(const char *dir, const char *build_dir, const char *frontend_id,
                  const char *tool_version, Cdb **out);
void cache_put_cdb(const char *dir, const char *build_dir, const char *frontend_id,
                   const char *tool_version, const Cdb *db);

#endif
