/* The command line's private interface: exit codes, parsed options, the
 * parallel front-end driver and the atomic report output. */
#ifndef STACKCHECK_CLI_CLI_H
#define STACKCHECK_CLI_CLI_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/analyze.h"
#include "core/graph.h"
#include "summary/sum_index.h"
#include "core/rules.h"
#include "frontend/fe_api.h"
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
/* --frames: where function frames come from. */
typedef enum CliFrames {
    CLI_FRAMES_AUTO,     /* .su files next to the inputs where present, else estimate */
    CLI_FRAMES_ESTIMATE, /* the AST estimate only */
    CLI_FRAMES_SU,       /* .su files under frames_dir */
    CLI_FRAMES_COMPILER  /* run each compile command with -fstack-usage */
} CliFrames;

typedef struct CliOptions {
    Arena arena;             /* owns option strings built here ("-Idir") */
    CliAction action;
    const char **files;      /* FILE arguments as given, duplicates removed */
    size_t nfiles, files_cap;
    const char **clang_args; /* -I/-D/-U/-std= in order, then everything after -- */
    size_t nclang_args, clang_args_cap;
    const char *target_triple; /* --target as given (or to clang after --);
                                  NULL: the default */
    const Target *target;    /* never NULL after a successful parse */
    char clang_triple[128];  /* the target given to clang after --, if any */
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
    const char *config;      /* --config FILE; NULL: ./stackcheck.json when present */
    const char *baseline;    /* --baseline OLD.json; NULL: none */
    const char *compdb_dir;  /* -p BUILD_DIR; NULL: none */
    const char *cache_dir;   /* --cache DIR; NULL: none */
    const char *emit_summary; /* --emit-summary OUT.json; NULL: a normal run */
    bool link;               /* `stackcheck link`: FILEs are summaries or folders */
    bool stats;              /* --stats: files parsed and from cache, on stderr */
    CliFrames frames;        /* --frames; CLI_FRAMES_AUTO by default (0) */
    const char *frames_dir;  /* --frames su=DIR: DIR (borrowed from argv) */
    EstimateModel estimate_for; /* --estimate-for; ESTIMATE_ANY by default (0) */
    bool estimate_for_set;   /* --estimate-for was given: it wins over the config's */
    bool summarize;          /* `stackcheck summarize`: write a library folder (-o DIR) */
    const char **libraries;  /* --library folders, in order */
    size_t nlibraries, libraries_cap;
    bool report_library;     /* --report-library: library functions get findings */
} CliOptions;

/* The front end module (see frontend/fe_api.h), loaded on first use;
 * thread-safe. Returns NULL with a one-line reason in err when it cannot
 * be loaded. */
const FeApi *cli_frontend(char *err, size_t errsize);

/* True when a load was tried and failed (the reason goes into err). */
bool cli_frontend_failed(char *err, size_t errsize);

/* Names the front end and its libclang by version, size and modification
 * time, without loading them (ccache's "compiler_check = mtime"): part of
 * every cache key, so a rebuilt module or an upgraded libclang never
 * serves old summaries. */
void cli_frontend_identity(char *buf, size_t size);

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
    bool from_cache;         /* the summary came from --cache, not a parse */
} CliParsed;

/* One file for the front end, with its own options (from -p, or the
 * command line's). Strings are borrowed. */
typedef struct CliInput {
    const char *path;        /* as handed to fe_parse */
    FeOptions fo;
    const char *compiler;    /* -p: the entry's compiler (argv[0]); else NULL */
} CliInput;

/* How cli_parse_inputs runs. */
typedef struct CliParseOptions {
    unsigned jobs;           /* worker threads; 0 counts as 1 */
    const char *cache_dir;   /* --cache DIR; NULL: no cache */
    const char *tool_version; /* for cache keys and entries */
    const char *frontend_id; /* cli_frontend_identity(): for cache keys */
    bool progress;           /* draw "[i/n] file" on stderr (a terminal) */
} CliParseOptions;

/* Summarizes every input on `jobs` worker threads pulling from one queue,
 * biggest file first (the last file to start then is a small one, so the
 * workers finish together); each is answered from the cache (--cache) when
 * it can, else parsed by the front end, loaded on the first parse. Results
 * are stored per input index, so nothing depends on the order in which
 * workers finish; a failed cache store is a warning in that file's diags.
 * Sets *out to a new array of nfiles items (free with cli_parsed_free) and
 * returns 0; -1 when memory or threads run out (then a message is in
 * diags). */
int cli_parse_inputs(const CliInput *in, size_t nfiles, const CliParseOptions *po, CliParsed **out,
                     DiagSink *diags);
void cli_parsed_free(CliParsed *p, size_t n);

/* While files are parsed, stderr passes through a filter that drops the
 * crash dump libclang prints when it recovers from a crash (the file is
 * reported in one line instead); everything else is copied as it comes.
 * Off when LIBCLANG_DISABLE_CRASH_RECOVERY is set, or when a pipe or a
 * thread cannot be had. Our own output during the parse (the progress
 * line) goes to `direct`. stderr_filter.c. */
typedef struct CliStderrFilter {
    bool on;
    int real_fd;  /* the real stderr, while on */
    int read_fd;  /* the pipe's read end, while on */
    pthread_t thread;
    FILE *direct; /* the real stderr, past the filter (stderr when off) */
} CliStderrFilter;
void cli_stderr_filter_begin(CliStderrFilter *f);
void cli_stderr_filter_end(CliStderrFilter *f);

/* A report destination: stdout, or a temporary file next to `path` that is
 * renamed over it on success (an interrupted run never leaves a truncated
 * report). */
typedef struct CliOutput {
    FILE *fp;                /* where to write */
    const char *path;        /* target path; NULL for stdout */
    char *tmp_path;          /* owned; the temporary file, NULL for stdout */
    bool direct;             /* fp writes `path` itself (a device or FIFO: never
                                renamed over), closed by commit/discard */
} CliOutput;

/* Opens the destination. Returns 0, or -1 with the reason in diags. */
int cli_output_open(CliOutput *o, const char *path, DiagSink *diags);
/* Flushes, syncs, closes and renames into place. Returns 0, or -1 with the
 * reason in diags (the temporary file is then removed). */
int cli_output_commit(CliOutput *o, DiagSink *diags);
/* Drops the output: closes and removes the temporary file. */
void cli_output_discard(CliOutput *o);

/* The front end's work list: one CliInput per file, in report order. */
typedef struct CliInputs {
    CliInput *items;         /* owned array of n */
    const char **paths;      /* owned array of n: the paths the report names */
    const char ***argv;      /* owned array of n owned arrays (-p: the entry's
                                arguments, then the command line's); NULL items
                                borrow the command line's */
    size_t n;
    struct Cdb *db;          /* owned; -p's database, NULL without -p */
    const Target *target;    /* -p without --target: the target the database
                                builds for, when its commands name one; NULL:
                                the run's own */
    char triple[128];        /* that target's triple, as the database names it */
} CliInputs;

/* Fills *w (free with cli_inputs_fini whatever the result): without -p the
 * FILEs with `base`; with -p every database entry, or only the FILEs, each
 * with its entry's arguments and folder. With -p and no --target, the
 * commands' own target (cli_command_target: --target in the arguments, else
 * a cross compiler's name such as arm-none-eabi-gcc; -m32 on x86-64)
 * becomes the run's: w->target, and every file is parsed for it. Returns
 * 0, or -1 with the reason in diags (a bad database; "FILE: not in
 * DIR/compile_commands.json"; the files build for more than one target, or
 * for one stackcheck has no model of). */
int cli_inputs_make(const CliOptions *o, const FeOptions *base, CliInputs *w, DiagSink *diags);

/* The target a compile command builds for (cdb_command_triple, with -m32
 * taking x86-64 to i686): its model, NULL when stackcheck has none, and its
 * triple in buf, "" when the command names none (then the default's
 * model). */
const Target *cli_command_target(const char *compiler, const char *const *args, size_t nargs,
                                 char *buf, size_t size);
void cli_inputs_fini(CliInputs *w);

/* `stackcheck link`: reads every summary named by o->files, JSON or binary
 * (told by its first bytes; a folder stands for its *.json and *.scs files,
 * by name). Sets *out (nout items, free with
 * cli_parsed_free) and *paths (the source path of each, borrowed from the
 * summaries; free the array with mem_free) and returns 0; -1 with
 * "FILE: not a usable summary: reason" in diags. Folder listings are
 * built in `arena`. */
int cli_load_summaries(const CliOptions *o, const char *tool_version, CliParsed **out, const char ***paths,
                       size_t *nout, Arena *arena, DiagSink *diags);

/* --frames: fills `t` (initialized by the caller) with compiler-measured
 * frames for the n inputs: .su files beside them (auto), under
 * o->frames_dir (su=DIR), or from running the compiler ($CC, else the
 * compile database entry's, else cc) with -fstack-usage into a temporary
 * folder (compiler; a file whose compile
 * fails gets a warning and keeps its estimate). In auto mode the nlib
 * library members `lib` (path: the member's source, working_dir: the folder
 * it was compiled in) are looked for beside their sources too; the other
 * modes treat them as su=DIR and compiler do (su=DIR matches them by file
 * name and line, compiler leaves them estimated). Sorts the table. Returns 0;
 * 1 when su=DIR cannot be read (the error is in diags); -1 when memory runs
 * out. */
int cli_load_frames(const CliOptions *o, const CliInput *in, size_t n, const CliInput *lib, size_t nlib,
                    SuTable *t, DiagSink *diags);

/* Library folders (library.c): their indexes, read at startup. */
typedef struct CliLibs {
    const char **dirs;       /* owned array of n; the strings are borrowed */
    SumIndex *idx;           /* owned array of n views of `bytes` */
    void **map;              /* owned array of n: each index file, mapped */
    size_t *maplen;          /* owned array of n: their sizes */
    size_t n;
    const char *tool_version;
} CliLibs;

/* Reads DIR/index.scsi of each of the n folders (in order: the first that
 * defines a function wins). Returns 0, or -1 with "PATH: reason" in diags
 * (a folder that does not exist, one without an index, an index that is not
 * one or names no summary). Free with cli_libs_fini whatever the result. */
int cli_libs_open(CliLibs *L, const char *const *dirs, size_t n, const char *tool_version, DiagSink *diags);

/* Checks every library was summarized for the run's target t (named
 * `triple` in the message). Returns 0, or -1 with
 * "DIR/index.scsi: summaries for A, this run is for B" in diags. */
int cli_libs_check_target(const CliLibs *L, const Target *t, const char *triple, DiagSink *diags);

/* cg_pull_bounded over the libraries: loads the members the program's nprog
 * summaries need, and those defining the nroots entry names `roots`; with
 * use_bounds, a function whose bound the library carries is not loaded but
 * listed in *bounds (mem_free it). Returns 0 (*out: mem_free the array, sum_free each
 * summary), or -1 with the reason in diags ("DIR/x.scs: not a usable
 * summary: ..." for a member file that is missing, foreign or corrupt). */
int cli_libs_pull(const CliLibs *L, TuSummary *const *prog, size_t nprog, const char *const *roots,
                  size_t nroots, bool use_bounds, CgPulled **out, size_t *nout, CgBound **bounds,
                  size_t *nbounds, DiagSink *diags);
void cli_libs_fini(CliLibs *L);

/* `stackcheck summarize`: writes each parsed input's summary (the others,
 * failed under --keep-going, are left out) into `dir` (created when
 * missing) as NAME.scs, then DIR/index.scsi naming them, then removes the
 * member files of the folder's old index that the new one does not name.
 * With own_bounds, the index also keeps the library's own bounds (its
 * functions whose call tree is the library's alone, analyzed on their own).
 * Returns 0, or -1 with the reason in diags. */
int cli_summarize(const char *dir, CliParsed *parsed, const CliInput *in, size_t n, const char *triple,
                  const char *tool_version, bool own_bounds, DiagSink *diags);

#endif
