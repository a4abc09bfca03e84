/* This file parses stackcheck's command line (getopt_long) into CliOptions
 * and prints --help. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/target.h"
#include "limits.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/vec.h"

/* Bytes of a canonical path buffer (Linux PATH_MAX; <limits.h> is shadowed
 * by analyzer/limits.h on the include path). */
#define CLI_PATH_MAX 4096

/* Most worker threads -j accepts; more only waste memory. */
#define CLI_MAX_JOBS 1024u

enum {
    OPT_VERSION = 0x100,
    OPT_TARGET,
    OPT_ENTRY,
    OPT_BUDGET,
    OPT_FORMAT,
    OPT_KEEP_GOING,
    OPT_FAIL_ON,
    OPT_STD,
    OPT_CACHE,
    OPT_EMIT_SUMMARY,
    OPT_STATS,
    OPT_CONFIG,
    OPT_BASELINE,
    OPT_FRAMES,
    OPT_ESTIMATE_FOR,
    OPT_LIBRARY,
    OPT_REPORT_LIBRARY,
};

static const struct option long_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"target", required_argument, NULL, OPT_TARGET},
    {"entry", required_argument, NULL, OPT_ENTRY},
    {"budget", required_argument, NULL, OPT_BUDGET},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"output", required_argument, NULL, 'o'},
    {"jobs", required_argument, NULL, 'j'},
    {"keep-going", no_argument, NULL, OPT_KEEP_GOING},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"quiet", no_argument, NULL, 'q'},
    {"std", required_argument, NULL, OPT_STD},
    {"compile-commands", required_argument, NULL, 'p'},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"emit-summary", required_argument, NULL, OPT_EMIT_SUMMARY},
    {"stats", no_argument, NULL, OPT_STATS},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"frames", required_argument, NULL, OPT_FRAMES},
    {"estimate-for", required_argument, NULL, OPT_ESTIMATE_FOR},
    {"library", required_argument, NULL, OPT_LIBRARY},
    {"report-library", no_argument, NULL, OPT_REPORT_LIBRARY},
    {NULL, 0, NULL, 0},
};

void cli_print_help(FILE *out)
{
    fputs("usage: stackcheck [options] FILE... [-- CLANG_ARGS...]\n"
          "       stackcheck [options] -p BUILD_DIR [FILE...]\n"
          "       stackcheck --emit-summary OUT [options] FILE [-- CLANG_ARGS...]\n"
          "       stackcheck link [options] SUMMARY... | DIR\n"
          "       stackcheck summarize -o DIR [options] (-p BUILD_DIR [FILE...] | FILE...)\n"
          "\n"
          "Finds recursion that cannot end and the worst-case stack use of each entry point\n"
          "of a C program, across all the given files.\n"
          "\n"
          "options:\n"
          "  -h, --help              show this help and exit\n"
          "      --version           show the version of stackcheck and libclang and exit\n"
          "  -I DIR                  add DIR to the include search path (passed to clang)\n"
          "  -D NAME[=VALUE]         define a macro (passed to clang)\n"
          "  -U NAME                 undefine a macro (passed to clang)\n"
          "  -std=STD, --std=STD     C standard, e.g. c11 (passed to clang)\n"
          "      --target TRIPLE     frames and type sizes for that target\n"
          "                          (default: one given to clang after --, else the\n"
          "                          one -p's compile database builds for, else the\n"
          "                          host's)\n"
          "      --entry NAME        add an entry point (repeatable)\n"
          "      --budget [ENTRY=]BYTES\n"
          "                          stack budget for ENTRY (a name or glob; all entries\n"
          "                          when omitted); BYTES may end in K, KiB, M or MiB\n"
          "      --format FORMAT     text (default), json, sarif or dot\n"
          "  -o, --output FILE       write the report to FILE (atomically) instead of stdout\n"
          "  -j, --jobs N            parse N files in parallel (default: online cores)\n"
          "      --keep-going        analyze the files that parse; the others become\n"
          "                          parse-error findings and every bound is incomplete\n"
          "      --fail-on LIST      comma-separated rule ids whose findings exit 1 (default:\n"
          "                          missing-base-case,non-convergent-recursion,\n"
          "                          budget-exceeded)\n"
          "  -q, --quiet             text report: findings only, no entry table or summary;\n"
          "                          no progress line\n"
          "  -p, --compile-commands BUILD_DIR\n"
          "                          parse each file with its flags and folder from\n"
          "                          BUILD_DIR/compile_commands.json: every file in it, or\n"
          "                          only the FILEs given (each must be in it)\n"
          "      --cache DIR         keep per-file summaries in DIR; unchanged files (and\n"
          "                          headers) are not parsed again, nor files whose\n"
          "                          edits only touched comments\n"
          "      --stats             print 'parsed N files, M from cache' on stderr\n"
          "      --emit-summary OUT.json|OUT.scs\n"
          "                          parse the one FILE and write its summary to OUT\n"
          "                          (for `stackcheck link`) instead of a report: JSON,\n"
          "                          or the compact binary form when OUT ends in .scs\n"
          "  link                    first argument: analyze summaries written by\n"
          "                          --emit-summary (files of either form, or folders of\n"
          "                          *.json and *.scs)\n"
          "  summarize               first argument: write one binary summary per input\n"
          "                          file and an index (DIR/index.scsi) into the folder\n"
          "                          -o DIR, for --library; files no longer given are\n"
          "                          removed from it\n"
          "      --library DIR       link the program against the library folder DIR\n"
          "                          (repeatable; the first that defines a name wins):\n"
          "                          only what the program calls is pulled in; library\n"
          "                          functions are never entries and get no findings\n"
          "      --report-library    give library functions findings too\n"
          "      --config FILE       read entries, budgets, externals, max_depth and\n"
          "                          suppressions from FILE (default: ./stackcheck.json\n"
          "                          when present)\n"
          "      --baseline OLD.json compare with an earlier --format json report: entries\n"
          "                          whose bound grew and new findings become 'regression'\n"
          "                          findings (--fail-on regression fails on them)\n"
          "      --frames MODE       where frames come from: auto (default: .su files\n"
          "                          next to each input, else the AST estimate),\n"
          "                          estimate, su=DIR (-fstack-usage output under DIR),\n"
          "                          compiler (run the compile command with -fstack-usage)\n"
          "      --estimate-for any|gcc|clang\n"
          "                          the compiler whose -O0 frames the AST estimate models:\n"
          "                          any (default: the larger of gcc's and clang's), gcc\n"
          "                          (x86-64; elsewhere the same as any) or clang\n"
          "  --                      pass every later argument to clang unchanged\n"
          "\n"
          "rules:\n",
          out);
    for (size_t i = 0; i < RULE_COUNT; i++)
        fprintf(out, "  %-26s %-7s %s\n", rule_table[i].id, rule_severity_name(rule_table[i].severity),
                rule_table[i].short_desc);
    fputs("\n"
          "exit status: 0 nothing fails, 1 a finding of a --fail-on rule, 2 the run failed\n",
          out);
}


int cli_parse_bytes(const char *s, uint64_t *out)
{
    if (!isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    char *end;
    uintmax_t v = strtoumax(s, &end, 10);
    if (errno || v == 0 || v > UINT64_MAX)
        return -1;
    uint64_t mul = 1;
    if (*end) {
        if (strcmp(end, "K") == 0 || strcmp(end, "KiB") == 0 || strcmp(end, "k") == 0)
            mul = 1024;
        else if (strcmp(end, "M") == 0 || strcmp(end, "MiB") == 0)
            mul = 1024 * 1024;
        else
            return -1;
    }
    if ((uint64_t)v > UINT64_MAX / mul)
        return -1;
    *out = (uint64_t)v * mul;
    return 0;
}

static int push_str(const char ***items, size_t *n, size_t *cap, const char *s)
{
    const char **slot = VEC_PUSH(*items, *n, *cap);
    if (!slot)
        return -1;
    *slot = s;
    return 0;
}

/* Adds "<flag><value>" to the clang arguments. */
static int add_clang_flag(CliOptions *o, const char *flag, const char *value)
{
    char *s = arena_printf(&o->arena, "%s%s", flag, value);
    return s ? push_str(&o->clang_args, &o->nclang_args, &o->clang_args_cap, s) : -1;
}

static int parse_budget(CliOptions *o, const char *arg, char *err, size_t errsize)
{
    const char *eq = strrchr(arg, '=');
    const char *num = eq ? eq + 1 : arg;
    uint64_t bytes;
    if (cli_parse_bytes(num, &bytes) != 0) {
        (void)diag_errf(err, errsize, "invalid --budget '%s': expected [ENTRY=]BYTES with BYTES a positive integer (K, KiB, M or MiB allowed)", arg);
        return -1;
    }
    const char *pattern = NULL;
    if (eq) {
        if (eq == arg) {
            (void)diag_errf(err, errsize, "invalid --budget '%s': empty entry name", arg);
            return -1;
        }
        pattern = arena_strndup(&o->arena, arg, (size_t)(eq - arg));
        if (!pattern)
            return -2;
    }
    NamedBytes *b = VEC_PUSH(o->budgets, o->nbudgets, o->budgets_cap);
    if (!b)
        return -2;
    b->pattern = pattern;
    b->value = bytes;
    return 0;
}

static int parse_fail_on(CliOptions *o, const char *arg, char *err, size_t errsize)
{
    bool set[RULE_COUNT] = {false};
    const char *p = arg;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len) {
            char id[128];
            if (len >= sizeof id)
                len = sizeof id - 1;
            memcpy(id, p, len);
            id[len] = '\0';
            RuleId r = rule_from_id(id);
            if (r == RULE_COUNT) {
                (void)diag_errf(err, errsize, "unknown rule '%s' in --fail-on", id);
                return -1;
            }
            set[r] = true;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    memcpy(o->fail_on, set, sizeof set);
    return 0;
}

static int parse_jobs(const char *arg, unsigned *out)
{
    if (!isdigit((unsigned char)arg[0]))
        return -1;
    errno = 0;
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || *end || v == 0 || v > CLI_MAX_JOBS)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* Names the option getopt complained about, as the user typed it. */
static void name_bad_option(char **args, int ind, int opt, char *buf, size_t size)
{
    if (opt > 0 && opt < 0x100 && isprint(opt)) {
        snprintf(buf, size, "-%c", opt);
        return;
    }
    for (const struct option *lo = long_opts; lo->name; lo++) {
        if (opt && lo->val == opt) {
            snprintf(buf, size, "--%s", lo->name);
            return;
        }
    }
    const char *a = ind > 0 ? args[ind - 1] : "";
    size_t len = strcspn(a, "=");
    snprintf(buf, size, "%.*s", (int)len, a);
}

typedef struct FileKey {
    const char *key;  /* canonical path (or the path as given) */
    size_t index;     /* position on the command line */
} FileKey;

static int cmp_file_key(const void *a, const void *b)
{
    const FileKey *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_index(const void *a, const void *b)
{
    const FileKey *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Removes later duplicates of the same file (by canonical path), keeping
 * the command-line order. */
static int dedupe_files(CliOptions *o)
{
    if (o->nfiles < 2)
        return 0;
    FileKey *keys = mem_alloc_array(o->nfiles, sizeof *keys);
    if (!keys)
        return -1;
    for (size_t i = 0; i < o->nfiles; i++) {
        char buf[CLI_PATH_MAX];
        const char *canon = realpath(o->files[i], buf) ? arena_strdup(&o->arena, buf) : o->files[i];
        if (!canon) {
            mem_free(keys);
            return -1;
        }
        keys[i] = (FileKey){canon, i};
    }
    qsort(keys, o->nfiles, sizeof *keys, cmp_file_key);
    size_t n = 0;
    for (size_t i = 0; i < o->nfiles; i++)
        if (n == 0 || strcmp(keys[n - 1].key, keys[i].key) != 0)
            keys[n++] = keys[i];
    qsort(keys, n, sizeof *keys, cmp_index);
    for (size_t i = 0; i < n; i++)
        o->files[i] = o->files[keys[i].index];
    o->nfiles = n;
    mem_free(keys);
    return 0;
}

void cli_options_fini(CliOptions *o)
{
    mem_free(o->files);
    mem_free(o->clang_args);
    mem_free(o->entries);
    mem_free(o->budgets);
    mem_free(o->libraries);
    arena_fini(&o->arena);
    memset(o, 0, sizeof *o);
}

int cli_parse_args(int argc, char **argv, CliOptions *o, char *err, size_t errsize)
{
    memset(o, 0, sizeof *o);
    arena_init(&o->arena);
    o->format = RPT_TEXT;
    rpt_default_fail_on(o->fail_on);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = ncpu < 1 ? 1u : ncpu > (long)CLI_MAX_JOBS ? CLI_MAX_JOBS : (unsigned)ncpu;
    err[0] = '\0';

    /* Options end at the first "--"; what follows goes to clang. getopt
     * sees a copy in which clang's "-std=X" is spelled "--std=X". */
    int dashdash = argc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            dashdash = i;
            break;
        }
    }
    char **args = arena_alloc(&o->arena, sizeof *args * ((size_t)dashdash + 1));
    if (!args)
        return -2;
    /* `stackcheck link ...`: getopt keeps non-options in order, so the
     * subcommand comes out as the first FILE and is dropped there. */
    o->link = argc > 1 && strcmp(argv[1], "link") == 0;
    o->summarize = argc > 1 && strcmp(argv[1], "summarize") == 0;
    for (int i = 0; i < dashdash; i++) {
        args[i] = argv[i];
        if (strncmp(argv[i], "-std=", 5) == 0 && !(args[i] = arena_printf(&o->arena, "-%s", argv[i])))
            return -2;
    }
    args[dashdash] = NULL;

    char bad[256];
    int c;
    int rc = 0;
    opterr = 0;
    optind = 1;
    while (rc == 0 && (c = getopt_long(dashdash, args, ":hI:D:U:o:j:qp:", long_opts, NULL)) != -1) {
        switch (c) {
        case 'h': o->action = CLI_HELP; break;
        case OPT_VERSION: o->action = CLI_VERSION; break;
        case 'I':
            if (!optarg[0]) {
                (void)diag_errf(err, errsize, "option '-I' requires a folder");
                rc = -1;
            } else if (add_clang_flag(o, "-I", optarg) != 0) {
                rc = -2;
            }
            break;
        case 'D':
            if (!optarg[0] || optarg[0] == '=') {
                (void)diag_errf(err, errsize, "option '-D' requires a macro name");
                rc = -1;
            } else if (add_clang_flag(o, "-D", optarg) != 0) {
                rc = -2;
            }
            break;
        case 'U':
            if (!optarg[0]) {
                (void)diag_errf(err, errsize, "option '-U' requires a macro name");
                rc = -1;
            } else if (add_clang_flag(o, "-U", optarg) != 0) {
                rc = -2;
            }
            break;
        case OPT_STD:
            if (!optarg[0]) {
                (void)diag_errf(err, errsize, "option '-std=' requires a standard, e.g. c11");
                rc = -1;
            } else if (add_clang_flag(o, "-std=", optarg) != 0) {
                rc = -2;
            }
            break;
        case OPT_TARGET:
            o->target_triple = optarg;
            o->target = target_lookup(optarg);
            if (!o->target) {
                (void)diag_errf(err, errsize, "unknown target '%s'", optarg);
                rc = -1;
            }
            break;
        case OPT_ENTRY:
            if (!optarg[0]) {
                (void)diag_errf(err, errsize, "option '--entry' requires a function name");
                rc = -1;
            } else if (push_str(&o->entries, &o->nentries, &o->entries_cap, optarg) != 0) {
                rc = -2;
            }
            break;
        case OPT_BUDGET: rc = parse_budget(o, optarg, err, errsize); break;
        case OPT_FORMAT:
            if (rpt_parse_format(optarg, &o->format) != 0) {
                (void)diag_errf(err, errsize, "unknown format '%s' (expected text, json, sarif or dot)", optarg);
                rc = -1;
            }
            break;
        case 'o':
            if (!optarg[0]) {
                (void)diag_errf(err, errsize, "option '-o' requires a file name");
                rc = -1;
            }
            o->output = optarg;
            break;
        case 'j':
            if (parse_jobs(optarg, &o->jobs) != 0) {
                (void)diag_errf(err, errsize, "invalid -j '%s': expected a number from 1 to %u", optarg, CLI_MAX_JOBS);
                rc = -1;
            }
            break;
        case OPT_KEEP_GOING: o->keep_going = true; break;
        case OPT_FAIL_ON: rc = parse_fail_on(o, optarg, err, errsize); break;
        case 'q': o->quiet = true; break;
        case 'p':
            if (!optarg[0]) {
                (void)diag_errf(err, errsize, "option '-p' requires a build folder");
                rc = -1;
            }
            o->compdb_dir = optarg;
            break;
        case OPT_CACHE:
            if (!optarg[0]) {
                (void)diag_errf(err, errsize, "option '--cache' requires a folder");
                rc = -1;
            }
            o->cache_dir = optarg;
            break;
        case OPT_EMIT_SUMMARY:
            if (!optarg[0]) {
                (void)diag_errf(err, errsize, "option '--emit-summary' requires a file name");
                rc = -1;
            }
            o->emit_summary = optarg;
            break;
        case OPT_STATS: o->stats = true; break;
        case OPT_CONFIG:
            if (!optarg[0]) {
                (void)diag_errf(err, errsize, "option '--config' requires a file name");
                rc = -1;
            }
            o->config = optarg;
            break;
        case OPT_FRAMES:
            if (strcmp(optarg, "auto") == 0) {
                o->frames = CLI_FRAMES_AUTO;
            } else if (strcmp(optarg, "estimate") == 0) {
                o->frames = CLI_FRAMES_ESTIMATE;
            } else if (strcmp(optarg, "compiler") == 0) {
                o->frames = CLI_FRAMES_COMPILER;
            } else if (strncmp(optarg, "su=", 3) == 0 && optarg[3]) {
                o->frames = CLI_FRAMES_SU;
                o->frames_dir = optarg + 3;
            } else {
                (void)diag_errf(err, errsize, "option '--frames': expected auto, estimate, su=DIR or compiler, not '%s'",
                        optarg);
                rc = -1;
            }
            break;
        case OPT_ESTIMATE_FOR:
            if (estimate_model_parse(optarg, &o->estimate_for) != 0) {
                (void)diag_errf(err, errsize, "option '--estimate-for': expected any, gcc or clang, not '%s'",
                        optarg);
                rc = -1;
            }
            o->estimate_for_set = true;
            break;
        case OPT_LIBRARY:
            if (!optarg[0]) {
                (void)diag_errf(err, errsize, "option '--library' requires a folder");
                rc = -1;
            } else if (push_str(&o->libraries, &o->nlibraries, &o->libraries_cap, optarg) != 0) {
                rc = -2;
            }
            break;
        case OPT_REPORT_LIBRARY: o->report_library = true; break;
        case OPT_BASELINE:
            if (!optarg[0]) {
                (void)diag_errf(err, errsize, "option '--baseline' requires a file name");
                rc = -1;
            }
            o->baseline = optarg;
            break;
        case ':':
            name_bad_option(args, optind, optopt, bad, sizeof bad);
            (void)diag_errf(err, errsize, "option '%s' requires an argument", bad);
            rc = -1;
            break;
        case '?':
        default:
            name_bad_option(args, optind, optopt, bad, sizeof bad);
            (void)diag_errf(err, errsize, "unknown option '%s'", bad);
            rc = -1;
            break;
        }
    }
    if (rc != 0)
        return rc;
    if (o->action != CLI_RUN)
        return 0;

    for (int i = optind + (o->link || o->summarize ? 1 : 0); i < dashdash; i++)
        if (push_str(&o->files, &o->nfiles, &o->files_cap, args[i]) != 0)
            return -2;
    for (int i = dashdash + 1; i < argc; i++)
        if (push_str(&o->clang_args, &o->nclang_args, &o->clang_args_cap, argv[i]) != 0)
            return -2;
    if (o->link && o->compdb_dir) {
        (void)diag_errf(err, errsize, "'link' reads summaries: -p does not apply");
        return -1;
    }
    if (o->summarize && (!o->output || strcmp(o->output, "-") == 0)) {
        (void)diag_errf(err, errsize, "'summarize' writes a folder: give it with -o DIR");
        return -1;
    }
    if (o->summarize && (o->emit_summary || o->nlibraries)) {
        (void)diag_errf(err, errsize, "'summarize' takes neither --emit-summary nor --library");
        return -1;
    }
    if (o->emit_summary && (o->link || o->nfiles != 1)) {
        (void)diag_errf(err, errsize, "--emit-summary takes exactly one FILE (and not 'link')");
        return -1;
    }
    if (o->nfiles == 0 && !o->compdb_dir) {
        (void)diag_errf(err, errsize, "no input files");
        return -1;
    }
    if (o->nfiles > SC_MAX_FILES) {
        (void)diag_errf(err, errsize, "too many input files (at most %u)", SC_MAX_FILES);
        return -1;
    }
    if (!o->target && o->nclang_args) {
        /* --target=T, -target T or -m32 for clang after --: clang parses
         * for that target, so the frames follow it, as with --target. */
        const Target *t = cli_command_target(NULL, o->clang_args, o->nclang_args, o->clang_triple,
                                             sizeof o->clang_triple);
        if (!t) {
            (void)diag_errf(err, errsize, "unknown target '%s' (given to clang after --)",
                            o->clang_triple);
            return -1;
        }
        if (o->clang_triple[0]) {
            o->target = t;
            o->target_triple = o->clang_triple;
        }
    }
    if (!o->target)
        o->target = target_default();

    /* Budgets with a pattern first (first match wins), the default last;
     * of several defaults the last one given counts. */
    size_t n = 0;
    const NamedBytes *dflt = NULL;
    NamedBytes last_default = {0};
    for (size_t i = 0; i < o->nbudgets; i++) {
        if (o->budgets[i].pattern)
            o->budgets[n++] = o->budgets[i];
        else
            last_default = o->budgets[i], dflt = &last_default;
    }
    if (dflt)
        o->budgets[n++] = *dflt;
    o->nbudgets = n;
    return dedupe_files(o) == 0 ? 0 : -2;
}
