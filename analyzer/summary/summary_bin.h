/* The compact binary form of a TU summary (".scs"): a checked header, one
 * table of distinct strings, then every field as a LEB128 varint. What the
 * cache stores and what `stackcheck link` reads fastest; the layout is in
 * docs/summary-format.md. */
#ifndef STACKCHECK_SUMMARY_SUMMARY_BIN_H
#define STACKCHECK_SUMMARY_SUMMARY_BIN_H

#include <stddef.h>

#include "summary/summary.h"

/* The first bytes of every binary summary (the last one is not text, so a
 * text file never starts with it). */
#define SUM_BIN_MAGIC "SCSUMB\0\1"
#define SUM_BIN_MAGIC_LEN 8u

/* Version of the binary layout; bump on any change to it. The header also
 * records SUM_FORMAT_VERSION (the summary structs), checked the same way. */
#define SUM_BIN_VERSION 3

/* Returns a new buffer of *len bytes holding `s` in binary form (free with
 * mem_free), or NULL when memory runs out (*len is then unspecified). The
 * header records both versions, `tool_version` and `clang_version` (NULL is
 * written as ""). `s` is only read. */
char *sum_to_bin(const TuSummary *s, const char *tool_version, const char *clang_version, size_t *len);

/* Reads a summary from `len` bytes of binary form, as strictly as
 * sum_from_json: the header (magic, both versions, and the stackcheck version
 * equal to `tool_version` unless that is NULL), every index, enum, flag and
 * count; a count is checked against the bytes left before anything is
 * allocated, and trailing bytes are an error. `data` is only read and need
 * not be aligned or NUL-terminated. On success sets *out to a new summary
 * (free with sum_free; every string lives in its arena) and returns 0;
 * otherwise returns -1, leaves *out alone and writes a one-line reason
 * ("binary summary: truncated at byte 1234", "binary summary: function 3
 * call 0: block 9 out of range", "... out of memory") into err. */
int sum_from_bin(const void *data, size_t len, const char *tool_version, TuSummary **out, char *err,
                 size_t errsize);

/* Returns 1 when the `len` bytes at `data` start with SUM_BIN_MAGIC, else 0:
 * how readers tell the binary form from JSON, whatever the file's name. */
int sum_is_bin(const void *data, size_t len);

#endif
