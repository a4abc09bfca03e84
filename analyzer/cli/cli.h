/* The command line's private interface: exit codes, parsed options, the
 * parallel front-end driver and the atomic report output. */
#ifndef STACKCHECK_CLI_CLI_H
#define STACKCHECK_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/analyze.h"
#include "core/rules.h"
#include "frontend/fe.h"
#include "report.h"
#include "summary/summary.h"
#include "util/arena.h"
#include "util/diag.h"

/* Exit status of the stackcheck binary. */
typedef enum CliExit {
    CLI_EXIT_OK = 0,       /* nothing fails */
    CLI_EXIT_FINDINGS = 1, /* a non-suppressed finding of a --fail-on rule */
    CLI_EXIT_FAILURE = 2   /* the run failed: usage, input, parse, output */
} CliExit;

typedef enum CliAction { CLI_RUN, CLI_HELP, CLI_VERSION } CliAction;

/* Everything the command line asked for. Strings point into argv or into
 * `arena`; arrays are owned (freed by cli_options_fini). */
typedef struct CliOptions {
    Arena arena;             /* owns option strings built here ("-Idir") */
    CliAction action;
    const char **files;      /* FILE arguments as given, duplicates removed */
    size_t nfiles, files_cap;
    const char **clang_args; /* -I/-D/-U/-std= in order, then everything after -- */
    size_t nclang_args, clang_args_cap;
    const char *target_triple; /* --target as given; NULL: the default */
    const Target *target;    /* never NULL after a successful parse */
    const char **entries;    /* --entry names */
    size_t nentries, entries_cap;
    NamedBytes *budgets;     /* --budget: patterns in order, the default last */
    size_t nbudgets, budgets_cap;
    ReportFormat format;
    const char *output;      /* -o FILE; NULL or "-": stdout */
    unsigned jobs;           /* -j; >= 1 */
    bool keep_going;
    bool quiet;
    bool fail_on[RULE_COUNT];
} CliOptions;

/* Parses argv into *o (which it initializes; free with cli_options_fini
 * whatever the result). Returns 0 on success; -1 on a usage error with a
 * one-line message (lower case, no period) in err; -2 when memory runs out. */
int cli_parse_args(int argc, char **argv, CliOptions *o, char *err, size_t errsize);
void cli_options_fini(CliOptions *o);

/* Writes the --help text (every option and every rule id) to out. */
void cli_print_help(FILE *out);

/* Parses a byte count: a positive integer with an optional K, KiB, M or
 * MiB suffix (1024-based). Returns 0 and sets *out, or -1. */
int cli_parse_bytes(const char *s, uint64_t *out);

/* Per-input outcome of the front end, parallel to the input list. */
typedef struct CliParsed {
    FeStatus status;
    TuSummary *summary;      /* owned; NULL unless status == FE_OK */
    DiagSink diags;          /* what the front end said about this file */
} CliParsed;

/* Parses every file with fe_parse on `jobs` worker threads pulling from one
 * queue; results are stored per input index, so nothing depends on the
 * order in which workers finish. Sets *out to a new array of nfiles items
 * (free with cli_parsed_free) and returns 0; -1 when memory or threads run
 * out (then a message is in diags). */
int cli_parse_files(const FeOptions *fo, const char *const *files, size_t nfiles, unsigned jobs,
                    CliParsed **out, DiagSink *diags);
void cli_parsed_free(CliParsed *p, size_t n);

/* A report destination: stdout, or a temporary file next to `path` that is
 * renamed over it on success (an interrupted run never leaves a truncated
 * report). */
typedef struct CliOutput {
    FILE *fp;                /* where to write */
    const char *path;        /* target path; NULL for stdout */
    char *tmp_path;          /* owned; the temporary file, NULL for stdout */
} CliOutput;

/* Opens the destination. Returns 0, or -1 with the reason in diags. */
int cli_output_open(CliOutput *o, const char *path, DiagSink *diags);
/* Flushes, syncs, closes and renames into place. Returns 0, or -1 with the
 * reason in diags (the temporary file is then removed). */
int cli_output_commit(CliOutput *o, DiagSink *diags);
/* Drops the output: closes and removes the temporary file. */
void cli_output_discard(CliOutput *o);

#endif
