/* The front end: parses one C file with libclang and copies out its
 * summary. The only module that includes clang-c/Index.h. */
#ifndef STACKCHECK_FRONTEND_FE_H
#define STACKCHECK_FRONTEND_FE_H

#include <stddef.h>

#include "summary/summary.h"
#include "util/diag.h"

typedef struct FeOptions {
    const char *target;          /* target triple for clang (-target); NULL: host */
    const char *const *args;     /* extra clang arguments (-I, -D, -U, -std=, after --) */
    size_t nargs;
    const char *working_dir;     /* resolve relative paths against it; NULL: cwd */
    const char *resource_dir;    /* clang's builtin headers (stddef.h); NULL: libclang's default */
} FeOptions;

typedef enum FeStatus {
    FE_OK = 0,
    FE_EINPUT,    /* unreadable, a directory, not a regular file, not C: diag says why */
    FE_EPARSE,    /* clang reported errors: its diagnostics are in the sink */
    FE_ECRASH,    /* libclang crashed on this file */
    FE_ENOMEM
} FeStatus;

/* Parses `path` and, on FE_OK, sets *out to a new summary (free with
 * sum_free). Every problem is explained in `diags` (one or more lines naming
 * the file). Thread-safe: each call owns its own index and TU. */
FeStatus fe_parse(const FeOptions *opt, const char *path, TuSummary **out, DiagSink *diags);

/* Writes the libclang version string ("Debian clang version 19.1.7") into
 * buf (always NUL-terminated). */
void fe_clang_version(char *buf, size_t size);

/* Finds the resource directory that holds clang's builtin headers
 * (stddef.h, stdarg.h) for this libclang, writes it into buf and returns 0;
 * -1 when none is found (parsing then relies on libclang's default). */
int fe_find_resource_dir(char *buf, size_t size);

#endif
