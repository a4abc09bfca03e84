/* This file is stackcheck's main: options -> summarize each TU (parallel)
 * -> link -> analyze -> report -> exit code, as in DESIGN.md's pipeline. */
#define _POSIX_C_SOURCE 200809L /* isatty */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cache/cache.h"
#include "config/baseline.h"
#include "config/config.h"
#include "core/graph.h"
#include "summary/json_alloc.h"
#include "summary/summary_bin.h"
#include "summary/summary_json.h"
#include "util/fileio.h"
#include "core/result.h"
#include "util/mem.h"
#include "version.h"

/* Bytes for the libclang version and resource folder strings. */
#define CLI_STR_MAX 4096

static int usage_error(const char *msg)
{
    fprintf(stderr, "stackcheck: error: %s\nTry 'stackcheck --help' for more information.\n", msg);
    return CLI_EXIT_FAILURE;
}

static int fatal(DiagSink *d)
{
    diag_print(d, stderr);
    return CLI_EXIT_FAILURE;
}

/* The first error a file got, for its parse-error finding. */
static const DiagMsg *first_error(const DiagSink *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].level == DIAG_ERROR)
            return &d->items[i];
    return NULL;
}

/* Adds a parse-error finding for every file that failed (--keep-going). */
static int add_parse_errors(Result *r, const char *const *files, size_t nfiles, const CliParsed *parsed)
{
    for (size_t i = 0; i < nfiles; i++) {
        if (parsed[i].status == FE_OK)
            continue;
        const DiagMsg *m = first_error(&parsed[i].diags);
        SumLoc loc = {files[i], 0, 0};
        if (m && m->file && strcmp(m->file, files[i]) == 0) {
            loc.line = m->line;
            loc.col = m->col;
        }
        if (!result_add_finding(r, RULE_PARSE_ERROR, NULL, loc, NULL, 0, "this file was not analyzed: %s",
                                m ? m->text : "it could not be parsed"))
            return -1;
    }
    result_sort(r);
    return 0;
}

/* The config file: --config FILE, else ./stackcheck.json when present.
 * Returns 0 (*out may stay NULL), or -1 with the reason in diags. */
static int load_config(const CliOptions *o, Config **out, DiagSink *diags)
{
    static const char default_path[] = "stackcheck.json";
    const char *path = o->config;
    struct stat st;
    if (!path) {
        if (stat(default_path, &st) != 0)
            return 0;
        path = default_path;
    }
    char err[1024];
    if (config_load(path, out, err, sizeof err) != 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: %s", path, err);
        return -1;
    }
    return 0;
}

/* True when s holds fnmatch wildcards. */
static bool is_glob(const char *s) { return strpbrk(s, "*?[") != NULL; }

/* Entry names: --entry first, then each config entry expanded against the
 * defined functions (a plain name must exist; a glob may match nothing).
 * Sets *out (mem_free it) and *n. Returns 0; -1 on out of memory; -2 with
 * the reason in diags for an unknown plain name. */
static int collect_entries(const CliOptions *o, const Config *c, const CallGraph *cg, const char ***out,
                           size_t *n, DiagSink *diags)
{
    size_t cap = o->nentries + 1;
    for (size_t i = 0; c && i < c->nentries; i++)
        cap += is_glob(c->entries[i]) ? cg->nfuncs : 1;
    const char **v = mem_alloc_array(cap, sizeof *v);
    if (!v)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < o->nentries; i++)
        v[k++] = o->entries[i];
    for (size_t i = 0; c && i < c->nentries; i++) {
        const char *pat = c->entries[i];
        if (!is_glob(pat)) {
            uint32_t f = cg_find_by_name(cg, pat);
            if (f == CG_NONE || !cg->funcs[f].def) {
                diag_add(diags, DIAG_ERROR, NULL, 0, 0,
                         "%s: 'entries[%zu]': no function '%s' is defined in the inputs", c->path, i, pat);
                mem_free(v);
                return -2;
            }
            v[k++] = pat;
            continue;
        }
        /* A pattern never makes a library function an entry; a plain
         * name may. */
        for (uint32_t f = 0; f < cg->nfuncs; f++)
            if (cg->funcs[f].def && !cg->funcs[f].library && config_glob_match(pat, cg->funcs[f].name))
                v[k++] = cg->funcs[f].name;
    }
    *out = v;
    *n = k;
    return 0;
}

/* Budgets, first match wins: command-line patterns, config patterns, then
 * the command line's default, else the config's. Sets *out (mem_free it). */
static int merge_budgets(const CliOptions *o, const Config *c, NamedBytes **out, size_t *n)
{
    size_t nc = c ? c->nbudgets : 0;
    NamedBytes *v = mem_alloc_array(o->nbudgets + nc + 1, sizeof *v);
    if (!v)
        return -1;
    size_t k = 0;
    const NamedBytes *dflt = NULL;
    for (size_t i = 0; i < o->nbudgets; i++) {
        if (o->budgets[i].pattern)
            v[k++] = o->budgets[i];
        else
            dflt = &o->budgets[i];
    }
    for (size_t i = 0; i < nc; i++) {
        if (c->budgets[i].pattern)
            v[k++] = c->budgets[i];
        else if (!dflt)
            dflt = &c->budgets[i];
    }
    if (dflt)
        v[k++] = *dflt;
    *out = v;
    *n = k;
    return 0;
}

/* --emit-summary: writes one file's summary atomically, in binary form when
 * the name ends in ".scs", else as JSON. */
static int emit_summary(const char *path, const TuSummary *s, DiagSink *diags)
{
    size_t plen = strlen(path), len = 0;
    bool binary = plen > 4 && strcmp(path + plen - 4, ".scs") == 0;
    char *data = binary ? sum_to_bin(s, STACKCHECK_VERSION, s->clang_version, &len)
                        : sum_to_json(s, STACKCHECK_VERSION, s->clang_version);
    if (!data) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
        return CLI_EXIT_FAILURE;
    }
    if (!binary)
        len = strlen(data);
    char err[1024];
    int rc = file_write_atomic(path, data, len, err, sizeof err);
    mem_free(data);
    if (rc != 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: %s", path, err);
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}

/* Phase timings for --stats: monotonic seconds since the previous mark. */
typedef struct {
    double last;
    double secs[5]; /* inputs, parse, link, analyses, report */
} PhaseClock;

enum { PH_INPUTS, PH_PARSE, PH_LINK, PH_ANALYSES, PH_REPORT };

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void phase_mark(PhaseClock *pc, int phase)
{
    double t = now_seconds();
    pc->secs[phase] += t - pc->last;
    pc->last = t;
}

/* The libclang the report names: the one that parsed the summaries (a
 * cached or linked summary records it), else the loaded front end's. */
static void report_clang_version(CliParsed *parsed, size_t n, char *buf, size_t size)
{
    for (size_t i = 0; i < n; i++)
        if (parsed[i].summary && parsed[i].summary->clang_version) {
            snprintf(buf, size, "%s", parsed[i].summary->clang_version);
            return;
        }
    char err[256];
    const FeApi *fe = cli_frontend(err, sizeof err);
    if (fe)
        fe->clang_version(buf, size);
    else
        snprintf(buf, size, "unknown");
}

static int run(const CliOptions *o)
{
    int code = CLI_EXIT_FAILURE;
    DiagSink diags;
    diag_init(&diags);
    CliParsed *parsed = NULL;
    TuSummary **tus = NULL;
    CallGraph *cg = NULL;
    Result *r = NULL;
    CliOutput out = {0};
    bool out_open = false;
    CliInputs inputs = {0};
    const char **link_paths = NULL;
    Arena link_arena;
    arena_init(&link_arena);
    /* Every arena of this run (summaries read here, the graph, the result)
     * takes its chunks from huge-page regions, released at the end. */
    arena_pool_begin();
    const char *const *files = NULL; /* what the report names, per input */
    size_t nfiles = 0;
    Config *cfg = NULL;
    Baseline *base = NULL;
    const char **entries = NULL;
    size_t nentries = 0;
    NamedBytes *budgets = NULL;
    size_t nbudgets = 0;
    SuTable su;
    frame_su_init(&su);
    CliLibs libs = {0};
    const char **lib_dirs = NULL;
    CgPulled *pulled = NULL;
    size_t npulled = 0;
    CgBound *bounds = NULL;
    size_t nbounds = 0;
    TuSummary **all = NULL;
    CliInput *lib_in = NULL;
    const char **roots = NULL;
    size_t nroots = 0;
    PhaseClock clock = {.last = now_seconds()};

    /* A bad config or baseline fails before any parsing. */
    if (load_config(o, &cfg, &diags) != 0)
        goto done;
    if (o->baseline) {
        char err[1024];
        if (baseline_load(o->baseline, &base, err, sizeof err) != 0) {
            diag_add(&diags, DIAG_ERROR, NULL, 0, 0, "%s: %s", o->baseline, err);
            goto done;
        }
    }

    /* Library indexes (command line first, then the config's), read now:
     * a bad folder fails before any parsing. */
    size_t nlibs = o->nlibraries + (cfg ? cfg->nlibraries : 0);
    if (nlibs && !o->summarize && !o->emit_summary) {
        lib_dirs = mem_alloc_array(nlibs, sizeof *lib_dirs);
        if (!lib_dirs)
            goto oom;
        for (size_t i = 0; i < o->nlibraries; i++)
            lib_dirs[i] = o->libraries[i];
        for (size_t i = 0; cfg && i < cfg->nlibraries; i++)
            lib_dirs[o->nlibraries + i] = cfg->libraries[i];
        if (cli_libs_open(&libs, lib_dirs, nlibs, STACKCHECK_VERSION, &diags) != 0)
            goto done;
    }

    /* The front end finds clang's builtin headers itself. */
    FeOptions fo = {
        .target = o->target_triple,
        .args = o->clang_args,
        .nargs = o->nclang_args,
    };
    char frontend_id[1024];
    cli_frontend_identity(frontend_id, sizeof frontend_id);

    /* The work list: files with their flags (-p), or summaries (link). */
    if (o->link) {
        if (cli_load_summaries(o, STACKCHECK_VERSION, &parsed, &link_paths, &nfiles, &link_arena,
                               &diags) != 0)
            goto done;
        files = link_paths;
    } else {
        if (cli_inputs_make(o, &fo, &inputs, &diags) != 0)
            goto done;
        files = inputs.paths;
        nfiles = inputs.n;
    }
    const Target *run_target = inputs.target ? inputs.target : o->target; /* -p may name it */
    const char *run_triple = o->target_triple ? o->target_triple
                             : inputs.target && inputs.triple[0] ? inputs.triple
                                                                 : run_target->triple;
    if (cli_libs_check_target(&libs, run_target, run_triple, &diags) != 0)
        goto done;

    /* Open the destination first: an unwritable -o fails before any work. */
    if (!o->emit_summary && !o->summarize) {
        if (cli_output_open(&out, o->output, &diags) != 0)
            goto done;
        out_open = true;
    }

    phase_mark(&clock, PH_INPUTS);

    /* 1. Summarize each TU, in parallel; report in input order. */
    CliParseOptions po = {
        .jobs = o->jobs,
        .cache_dir = o->cache_dir,
        .tool_version = STACKCHECK_VERSION,
        .frontend_id = frontend_id,
        .progress = !o->quiet && isatty(STDERR_FILENO),
    };
    if (!o->link && cli_parse_inputs(inputs.items, nfiles, &po, &parsed, &diags) != 0)
        goto done;
    char why[1024];
    if (!o->link && cli_frontend_failed(why, sizeof why)) { /* said once, not per file */
        diag_add(&diags, DIAG_ERROR, NULL, 0, 0, "%s", why);
        goto done;
    }
    size_t nfailed = 0, ncached = 0;
    for (size_t i = 0; i < nfiles; i++) {
        diag_print(&parsed[i].diags, stderr);
        ncached += parsed[i].from_cache;
        if (parsed[i].status == FE_OK)
            continue;
        nfailed++;
        if (parsed[i].diags.nerrors == 0) /* never fail silently */
            diag_add(&diags, DIAG_ERROR, files[i], 0, 0, "cannot analyze this file");
    }
    phase_mark(&clock, PH_PARSE);
    if (o->stats && !o->link)
        fprintf(stderr, "stackcheck: parsed %zu file%s, %zu from cache\n", nfiles - ncached,
                nfiles - ncached == 1 ? "" : "s", ncached);
    if (nfailed && !o->keep_going) {
        diag_add(&diags, DIAG_ERROR, NULL, 0, 0,
                 "%zu of %zu input file%s could not be analyzed; nothing was reported "
                 "(--keep-going analyzes the rest)",
                 nfailed, nfiles, nfiles == 1 ? "" : "s");
        goto done;
    }
    if (o->emit_summary) {
        code = emit_summary(o->emit_summary, parsed[0].summary, &diags);
        goto done;
    }
    if (o->summarize) {
        /* Files that failed (--keep-going) were reported and are left out:
         * the folder is written, and exit 1 says it is not the whole. */
        /* The library's own bounds use the AST estimate: a library whose
         * build left .su files beside its sources gets none, so that runs
         * read its members and use those frames, as they always did. */
        CliOptions auto_frames = *o;
        auto_frames.frames = CLI_FRAMES_AUTO;
        int src = cli_load_frames(&auto_frames, inputs.items, inputs.n, NULL, 0, &su, &diags);
        if (src < 0)
            goto oom;
        if (cli_summarize(o->output, parsed, inputs.items, nfiles, run_triple, STACKCHECK_VERSION, su.n == 0,
                          &diags) != 0)
            goto done;
        code = nfailed ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
        goto done;
    }
    tus = mem_calloc(nfiles ? nfiles : 1, sizeof *tus);
    if (!tus)
        goto oom;
    size_t ntus = 0;
    for (size_t i = 0; i < nfiles; i++)
        if (parsed[i].status == FE_OK)
            tus[ntus++] = parsed[i].summary;

    /* Library members the program needs, pulled as a linker pulls archive
     * members; they follow the program's summaries. */
    /* Entries named explicitly (--entry, a plain config entry) may be
     * library functions: they are pulled and kept like the program's. */
    roots = mem_alloc_array(o->nentries + (cfg ? cfg->nentries : 0) + 1, sizeof *roots);
    if (!roots)
        goto oom;
    for (size_t i = 0; i < o->nentries; i++)
        roots[nroots++] = o->entries[i];
    for (size_t i = 0; cfg && i < cfg->nentries; i++)
        if (!is_glob(cfg->entries[i]))
            roots[nroots++] = cfg->entries[i];
    /* A library's own bounds (computed at summarize time with the AST
     * estimate, no config) stand for what this run would compute only when
     * nothing here could change them: findings of library code asked for,
     * other frames, another estimate model, declared depths or targets. */
    bool use_bounds = libs.n == 1 && !o->report_library &&
                      (o->frames == CLI_FRAMES_AUTO || o->frames == CLI_FRAMES_ESTIMATE) &&
                      !o->estimate_for_set && !(cfg && cfg->has_estimate_for) &&
                      !(cfg && (cfg->nmax_depth || cfg->nindirect));
    if (cli_libs_pull(&libs, tus, ntus, roots, nroots, use_bounds, &pulled, &npulled, &bounds, &nbounds,
                      &diags) != 0)
        goto done;
    all = mem_alloc_array(ntus + npulled + 1, sizeof *all);
    lib_in = mem_calloc(npulled + 1, sizeof *lib_in);
    if (!all || !lib_in)
        goto oom;
    for (size_t i = 0; i < ntus; i++)
        all[i] = tus[i];
    for (size_t i = 0; i < npulled; i++) {
        SumIndexMember m;
        char merr[256];
        /* Checked when it was pulled: it cannot fail now. */
        if (sum_index_member(&libs.idx[pulled[i].lib], pulled[i].member, &m, merr, sizeof merr) != 0)
            goto oom;
        all[ntus + i] = pulled[i].tu;
        lib_in[i].path = m.source;
        lib_in[i].fo.working_dir = m.dir[0] ? m.dir : NULL;
    }
    if (o->stats && libs.n) {
        size_t nmembers = 0;
        for (size_t l = 0; l < libs.n; l++)
            nmembers += libs.idx[l].nmembers;
        fprintf(stderr, "stackcheck: linked %zu of %zu library summaries\n", npulled, nmembers);
    }

    /* Compiler-measured frames (--frames). */
    int frc = cli_load_frames(o, inputs.items, inputs.n, lib_in, npulled, &su, &diags);
    if (frc < 0)
        goto oom;
    if (frc > 0)
        goto done;

    /* 2. Link one call graph. */
    if (cg_link_program(all, ntus + npulled, ntus, roots, nroots, cfg ? cfg->indirect : NULL,
                        cfg ? cfg->nindirect : 0, &cg) != 0)
        goto oom;
    cg->report_library = o->report_library;
    if (cg_set_bounds(cg, bounds, nbounds) != 0)
        goto oom;
    phase_mark(&clock, PH_LINK);
    for (size_t i = 0; i < o->nentries; i++) {
        uint32_t f = cg_find_by_name(cg, o->entries[i]);
        if (f == CG_NONE || !cg->funcs[f].def) {
            char msg[512];
            snprintf(msg, sizeof msg, "unknown entry '%s': no function of that name is defined in the inputs",
                     o->entries[i]);
            diag_print(&diags, stderr);
            diag_fini(&diags);
            code = usage_error(msg);
            goto done;
        }
    }
    int erc = collect_entries(o, cfg, cg, &entries, &nentries, &diags);
    if (erc == -1)
        goto oom;
    if (erc != 0)
        goto done;
    if (merge_budgets(o, cfg, &budgets, &nbudgets) != 0)
        goto oom;

    /* 3. Analyze. */
    AnalysisOptions ao = {
        .target = run_target,
        .entries = entries,
        .nentries = nentries,
        .budgets = budgets,
        .nbudgets = nbudgets,
        .externals = cfg ? cfg->externals : NULL,
        .nexternals = cfg ? cfg->nexternals : 0,
        .max_depth = cfg ? cfg->max_depth : NULL,
        .nmax_depth = cfg ? cfg->nmax_depth : 0,
        .incomplete_inputs = nfailed > 0,
        .indirect = cfg ? cfg->indirect : NULL,
        .nindirect = cfg ? cfg->nindirect : 0,
        .interrupts = cfg ? cfg->interrupts : NULL,
        .ninterrupts = cfg ? cfg->ninterrupts : 0,
        .stack_size = cfg ? cfg->stack_size : 0,
        .interrupt_nesting = cfg ? cfg->interrupt_nesting : 1,
        .exception_frame = cfg ? cfg->exception_frame : 0,
        .frames_su = su.n ? &su : NULL,
        .frames_from_compiler = o->frames == CLI_FRAMES_COMPILER,
        .estimate_for = o->estimate_for_set ? o->estimate_for
                        : cfg && cfg->has_estimate_for ? cfg->estimate_for
                                                       : ESTIMATE_ANY,
    };
    if (analyze_run(cg, &ao, &r) != 0)
        goto oom;
    if (nfailed) {
        r->incomplete_inputs = true;
        if (add_parse_errors(r, files, nfiles, parsed) != 0)
            goto oom;
    }

    /* Suppressions (config and ignore comments), then the baseline, whose
     * regression findings can be suppressed in turn. */
    if (config_apply_suppressions(cfg, r) < 0)
        goto oom;
    if (base && (baseline_compare(base, r) < 0 || config_apply_suppressions(cfg, r) < 0))
        goto oom;

    phase_mark(&clock, PH_ANALYSES);

    /* 4. Report. */
    char clang_version[CLI_STR_MAX];
    report_clang_version(parsed, nfiles, clang_version, sizeof clang_version);
    ReportOptions ro = {
        .tool_version = STACKCHECK_VERSION,
        .clang_version = clang_version,
        .inputs = files,
        .ninputs = nfiles,
        .fail_on = o->fail_on,
        .quiet = o->quiet,
    };
    if (rpt_write(o->format, r, &ro, out.fp) != 0)
        goto oom;
    out_open = false;
    if (cli_output_commit(&out, &diags) != 0)
        goto done;
    phase_mark(&clock, PH_REPORT);
    if (o->stats)
        fprintf(stderr,
                "stackcheck: seconds: %s %.3f, %s %.3f, link %.3f, analyses %.3f, report %.3f\n",
                o->link ? "read summaries" : "inputs", clock.secs[PH_INPUTS],
                o->link ? "check" : "parse", clock.secs[PH_PARSE], clock.secs[PH_LINK],
                clock.secs[PH_ANALYSES], clock.secs[PH_REPORT]);

    /* 5. Exit code. */
    code = rpt_count_failing(r, &ro) ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
    goto done;

oom:
    diag_add(&diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
    code = CLI_EXIT_FAILURE;
done:
    if (out_open)
        cli_output_discard(&out);
    if (code == CLI_EXIT_FAILURE)
        fatal(&diags);
    else
        diag_print(&diags, stderr);
    diag_fini(&diags);
    result_free(r);
    mem_free(entries);
    mem_free(budgets);
    baseline_free(base);
    config_free(cfg);
    cg_free(cg);
    mem_free(tus);
    mem_free(all);
    mem_free(lib_in);
    mem_free(roots);
    for (size_t i = 0; i < npulled; i++)
        sum_free(pulled[i].tu);
    mem_free(pulled);
    mem_free(bounds);
    cli_libs_fini(&libs);
    mem_free(lib_dirs);
    cli_parsed_free(parsed, parsed ? nfiles : 0);
    mem_free(link_paths);
    cli_inputs_fini(&inputs);
    arena_fini(&link_arena);
    frame_su_fini(&su);
    cache_forget_hashes();
    arena_pool_end(); /* after every arena above is finished */
    return code;
}

/* Checks that everything reached stdout; a write error fails the run. A
 * failed run has already said why (including a failed report write). */
static int close_stdout(int code)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (code == CLI_EXIT_FAILURE)
            return code;
        fprintf(stderr, "stackcheck: error: cannot write to standard output: %s\n",
                strerror(errno ? errno : EIO));
        return CLI_EXIT_FAILURE;
    }
    return code;
}

/* A standard stream closed by the caller (`stackcheck ... >&-`) would make
 * the next file stackcheck opens fd 1 or 2, and the report or a message
 * would land in it (a cache entry, the -o temporary). Each closed one gets
 * /dev/null in the opposite direction (gnulib's stdopen), so that using it
 * fails as it did: a report to a closed stdout is still "cannot write to
 * standard output", exit 2. */
static void keep_std_fds_taken(void)
{
    /* In order from 0: open() takes the lowest free fd, which is then `fd`. */
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF)
            (void)open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
}

int main(int argc, char **argv)
{
    keep_std_fds_taken();
    /* cJSON allocates through util/mem.c like the rest of stackcheck, or
     * from an arena while a summary is read. */
    json_alloc_install();

    CliOptions o;
    char err[1024];
    int rc = cli_parse_args(argc, argv, &o, err, sizeof err);
    if (rc != 0) {
        cli_options_fini(&o);
        if (rc == -2) {
            fputs("stackcheck: error: out of memory\n", stderr);
            return CLI_EXIT_FAILURE;
        }
        return usage_error(err);
    }
    int code;
    switch (o.action) {
    case CLI_HELP:
        cli_print_help(stdout);
        code = CLI_EXIT_OK;
        break;
    case CLI_VERSION: {
        char clang_version[CLI_STR_MAX];
        const FeApi *fe = cli_frontend(err, sizeof err);
        if (fe)
            fe->clang_version(clang_version, sizeof clang_version);
        printf("stackcheck %s (libclang: %s)\n", STACKCHECK_VERSION, fe ? clang_version : err);
        code = CLI_EXIT_OK;
        break;
    }
    case CLI_RUN:
    default:
        code = run(&o);
        break;
    }
    cli_options_fini(&o);
    return close_stdout(code);
}
