/* The on-disk form of a TU summary: versioned JSON, written by
 * --emit-summary and the cache, read back by `stackcheck link`. */
#ifndef STACKCHECK_SUMMARY_SUMMARY_JSON_H
#define STACKCHECK_SUMMARY_SUMMARY_JSON_H

#include <stddef.h>

#include "summary/summary.h"

/* The "format" field of every serialized summary. */
#define SUM_FORMAT_NAME "stackcheck-summary"

/* Returns a new NUL-terminated JSON text for `s` (free with mem_free), or
 * NULL when memory runs out. The header records the format, its version,
 * `tool_version` and `clang_version` (both copied into the text). */
char *sum_to_json(const TuSummary *s, const char *tool_version, const char *clang_version);

/* Reads a summary from `len` bytes of JSON text. The header is checked field
 * by field: format name, format version and the stackcheck version must
 * equal this build's (`tool_version`). Every index is range-checked, so a
 * summary that reads is safe to link. On success sets *out to a new summary
 * (free with sum_free) and returns 0; otherwise returns -1 and writes a
 * one-line reason ("format version 2, this stackcheck reads 1", "field
 * 'functions[3].calls[0].block' is out of range") into err. */
int sum_from_json(const char *text, size_t len, const char *tool_version, TuSummary **out, char *err,
                  size_t errsize);

#endif
