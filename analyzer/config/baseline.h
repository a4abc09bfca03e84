/* The --baseline comparison: reads an earlier JSON report (with cJSON) and
 * turns what got worse since then into regressions: entries whose bound
 * grew, and findings that are new (matched by rule, function and message,
 * never by line, so edits above a finding do not make it new). */
#ifndef STACKCHECK_CONFIG_BASELINE_H
#define STACKCHECK_CONFIG_BASELINE_H

#include <stddef.h>

#include "core/result.h"

typedef struct Baseline Baseline;

/* Reads the report at `path` ("stackcheck-report/1"). On success sets *out
 * (free with baseline_free) and returns 0. On failure returns -1 with a
 * one-line reason in err ("'entries[2].bytes': expected a non-negative
 * integer"); the caller prefixes the file name. */
int baseline_load(const char *path, Baseline **out, char *err, size_t errsize);

/* Same contract over text already in memory. */
int baseline_parse(const char *text, size_t len, Baseline **out, char *err, size_t errsize);

void baseline_free(Baseline *b);

/* Compares `r` with the baseline: fills r->regressions, sets
 * r->has_baseline, and adds one RULE_REGRESSION finding per regression
 * (then re-sorts the findings). Suppressed findings are never new. Returns
 * the number of regressions, or -1 when memory runs out. */
long baseline_compare(const Baseline *b, Result *r);

#endif
