/* The configuration file (stackcheck.json): entries, budgets, external
 * stack costs, recursion depth bounds, suppressions and the estimate's
 * compiler model, read with cJSON and checked strictly (unknown keys, wrong
 * types and negative sizes are errors). Also applies suppressions, from the config and from
 * `stackcheck: ignore[rule]` comments in the sources, to a finished Result. */
#ifndef STACKCHECK_CONFIG_CONFIG_H
#define STACKCHECK_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/analyze.h"
#include "core/result.h"
#include "core/rules.h"

/* One suppression: findings of `rule` (RULE_COUNT: any rule) in functions
 * matching `function` and files matching `file` (glob patterns; NULL
 * matches anything). */
typedef struct Suppression {
    RuleId rule;
    const char *function; /* owned by the Config's arena */
    const char *file;
} Suppression;

typedef struct Config {
    Arena arena;               /* owns every string and array below */
    const char *path;          /* the file it was read from */
    const char **entries;      /* entry names or glob patterns */
    size_t nentries;
    NamedBytes *budgets;       /* "default" becomes pattern NULL, listed last */
    size_t nbudgets;
    NamedBytes *externals;
    size_t nexternals;
    NamedBytes *max_depth;
    size_t nmax_depth;
    Suppression *suppress;
    size_t nsuppress;
    IndirectHint *indirect;    /* "indirect": call site or member -> targets */
    size_t nindirect;
    const char **interrupts;   /* "interrupts": glob patterns of interrupt entries */
    size_t ninterrupts;
    const char **libraries;    /* "libraries": library folders, relative ones
                                  resolved against the config file's folder */
    size_t nlibraries;
    uint64_t stack_size;       /* "stack_size" bytes; 0 when absent */
    uint64_t interrupt_nesting;/* "interrupt_nesting"; 1 when absent */
    uint64_t exception_frame;  /* "exception_frame" bytes; 0 when absent */
    EstimateModel estimate_for;/* "estimate_for": "any", "gcc" or "clang" */
    bool has_estimate_for;     /* the key is present (--estimate-for still wins) */
} Config;

/* Reads the config file at `path`. On success sets *out to a new Config
 * (free with config_free) and returns 0. On failure returns -1 and writes a
 * one-line reason naming the key ("'budgets.main': expected a non-negative
 * integer number of bytes") into err; the caller prefixes the file name.
 * A missing file is an error here: the caller decides whether the default
 * ./stackcheck.json is optional. */
int config_load(const char *path, Config **out, char *err, size_t errsize);

/* Parses config text that is already in memory (same contract). */
int config_parse(const char *text, size_t len, const char *path, Config **out, char *err,
                 size_t errsize);

void config_free(Config *c);

/* Returns true when `name` matches glob `pattern` (fnmatch, no flags). */
bool config_glob_match(const char *pattern, const char *name);

/* Marks as suppressed every finding of `r` that a suppression of `c` (may be
 * NULL) matches, or that carries a `stackcheck: ignore[rule-id]` comment on
 * its own line or the line above (`ignore[*]` or `ignore` alone: every rule).
 * Source files are read as plain text; unreadable ones are skipped. Returns
 * the number of findings newly suppressed, or -1 when memory runs out. */
long config_apply_suppressions(const Config *c, Result *r);

#endif
