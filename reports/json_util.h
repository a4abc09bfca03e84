/* cJSON building helpers shared by the JSON and SARIF back ends (private to
 * reports/): a put that records failure once, exact unsigned numbers, and
 * writing a document's big arrays one element at a time. */
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

/* Writes `item` as cJSON_Print lays it out, nested `depth` levels deep in
 * a document printed by cJSON (outside strings, which escape their line
 * breaks, each line break gets `depth` more tabs), and deletes it. Returns
 * -1, with item deleted, when item is NULL or printing runs out of memory. */
int rpt_json_emit_at(cJSON *item, int depth, FILE *out);

/* Builds one element of a streamed array; NULL on failure. */
typedef cJSON *(*RptJsonMake)(void *ctx, size_t i);

/* Writes "[e0, e1, ...]" for an array value nested `depth` levels deep (the
 * depth its elements' members are printed at, less one), each element
 * built by make(ctx, i) and written at once: its cJSON nodes and text live
 * in an arena of their own, dropped after it (summary/json_alloc.h), so
 * memory holds one element, never the array. Stops at the first failure,
 * which sets *failed; does nothing when *failed is already set. */
void rpt_json_stream_array(FILE *out, int depth, size_t n, RptJsonMake make, void *ctx,
                           bool *failed);

#endif
