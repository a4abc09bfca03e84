/* The report back ends: each formats one read-only Result. The only code
 * that formats findings for users. */
#ifndef STACKCHECK_REPORTS_REPORT_H
#define STACKCHECK_REPORTS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/result.h"

typedef enum ReportFormat { RPT_TEXT, RPT_JSON, RPT_SARIF, RPT_DOT } ReportFormat;

typedef struct ReportOptions {
    const char *tool_version;     /* STACKCHECK_VERSION */
    const char *clang_version;    /* libclang's version string */
    const char *const *inputs;    /* the input files as given */
    size_t ninputs;
    const char *srcroot;          /* SARIF %SRCROOT% base; NULL: the current folder */
    bool verbose;                 /* text: also show notes of every rule */
    const bool *fail_on;          /* RULE_COUNT flags: rules whose findings fail the run
                                     (--fail-on); NULL: the default set */
    bool quiet;                   /* text: findings only, no entry table or summary */
} ReportOptions;

/* Parses "text", "json", "sarif", "dot"; returns 0 and sets *out, or -1. */
int rpt_parse_format(const char *name, ReportFormat *out);

/* Fills fail_on (RULE_COUNT flags) with the default --fail-on set:
 * missing-base-case, non-convergent-recursion, budget-exceeded. */
void rpt_default_fail_on(bool *fail_on);

/* Returns the number of findings of `r` that fail the run under
 * opt->fail_on (suppressed findings never do). */
size_t rpt_count_failing(const Result *r, const ReportOptions *opt);

/* Writes the report of `r` in `fmt` to `out`. Returns 0, or -1 when memory
 * runs out (write errors are left to the caller's ferror/fclose check). */
int rpt_write(ReportFormat fmt, const Result *r, const ReportOptions *opt, FILE *out);

/* The individual back ends (same contract as rpt_write). */
int rpt_write_text(const Result *r, const ReportOptions *opt, FILE *out);
int rpt_write_json(const Result *r, const ReportOptions *opt, FILE *out);
int rpt_write_sarif(const Result *r, const ReportOptions *opt, FILE *out);
int rpt_write_dot(const Result *r, const ReportOptions *opt, FILE *out);

#endif
