/* cJSON building helpers shared by the JSON and SARIF back ends (private to
 * reports/): a put that records failure once, and exact unsigned numbers. */
#ifndef STACKCHECK_REPORTS_JSON_UTIL_H
#define STACKCHECK_REPORTS_JSON_UTIL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Largest integer a JSON reader keeps exactly in a double (2^53 - 1). */
#define RPT_JSON_MAX_SAFE_INT 9007199254740991u

/* Adds `item` to `parent` (an object when key is set, else an array) and
 * returns it. On any failure (item or parent NULL, cJSON out of memory)
 * deletes item, sets *failed and returns NULL, so a builder can chain puts
 * and check one sticky flag at the end. */
cJSON *rpt_json_put(bool *failed, cJSON *parent, const char *key, cJSON *item);

/* An unsigned number written exactly (as raw digits, not through a
 * double), clamped to RPT_JSON_MAX_SAFE_INT. NULL when memory runs out. */
cJSON *rpt_json_u64(uint64_t v);

/* Prints `doc` (indented, then a newline) to `out` and deletes it. Returns
 * 0, or -1 when `failed` is set or printing runs out of memory (doc is
 * deleted either way). Write errors are left to the caller's check. */
int rpt_json_emit(cJSON *doc, bool failed, FILE *out);

#endif
