/* This file is stackcheck's main: options -> summarize each TU (parallel)
 * -> link -> analyze -> report -> exit code, as in DESIGN.md's pipeline. */
#include "cli.h"

#include <errno.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/graph.h"
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
static int add_parse_errors(Result *r, const CliOptions *o, const CliParsed *parsed)
{
    for (size_t i = 0; i < o->nfiles; i++) {
        if (parsed[i].status == FE_OK)
            continue;
        const DiagMsg *m = first_error(&parsed[i].diags);
        SumLoc loc = {o->files[i], 0, 0};
        if (m && m->file && strcmp(m->file, o->files[i]) == 0) {
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

static int run(const CliOptions *o, const char *clang_version)
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

    /* Builtin headers: found once here, handed to every parse. */
    char resdir[CLI_STR_MAX];
    FeOptions fo = {
        .target = o->target_triple,
        .args = o->clang_args,
        .nargs = o->nclang_args,
        .resource_dir = fe_find_resource_dir(resdir, sizeof resdir) == 0 ? resdir : NULL,
    };

    /* Open the destination first: an unwritable -o fails before any work. */
    if (cli_output_open(&out, o->output, &diags) != 0)
        goto done;
    out_open = true;

    /* 1. Summarize each TU, in parallel; report in input order. */
    if (cli_parse_files(&fo, o->files, o->nfiles, o->jobs, &parsed, &diags) != 0)
        goto done;
    size_t nfailed = 0;
    for (size_t i = 0; i < o->nfiles; i++) {
        diag_print(&parsed[i].diags, stderr);
        if (parsed[i].status == FE_OK)
            continue;
        nfailed++;
        if (parsed[i].diags.nerrors == 0) /* never fail silently */
            diag_add(&diags, DIAG_ERROR, o->files[i], 0, 0, "cannot analyze this file");
    }
    if (nfailed && !o->keep_going) {
        diag_add(&diags, DIAG_ERROR, NULL, 0, 0,
                 "%zu of %zu input file%s could not be analyzed; nothing was reported "
                 "(--keep-going analyzes the rest)",
                 nfailed, o->nfiles, o->nfiles == 1 ? "" : "s");
        goto done;
    }
    tus = mem_calloc(o->nfiles ? o->nfiles : 1, sizeof *tus);
    if (!tus)
        goto oom;
    size_t ntus = 0;
    for (size_t i = 0; i < o->nfiles; i++)
        if (parsed[i].status == FE_OK)
            tus[ntus++] = parsed[i].summary;

    /* 2. Link one call graph. */
    if (cg_link(tus, ntus, &cg) != 0)
        goto oom;
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

    /* 3. Analyze. */
    AnalysisOptions ao = {
        .target = o->target,
        .entries = o->entries,
        .nentries = o->nentries,
        .budgets = o->budgets,
        .nbudgets = o->nbudgets,
        .incomplete_inputs = nfailed > 0,
    };
    if (analyze_run(cg, &ao, &r) != 0)
        goto oom;
    if (nfailed) {
        r->incomplete_inputs = true;
        if (add_parse_errors(r, o, parsed) != 0)
            goto oom;
    }

    /* 4. Report. */
    ReportOptions ro = {
        .tool_version = STACKCHECK_VERSION,
        .clang_version = clang_version,
        .inputs = o->files,
        .ninputs = o->nfiles,
        .fail_on = o->fail_on,
        .quiet = o->quiet,
    };
    if (rpt_write(o->format, r, &ro, out.fp) != 0)
        goto oom;
    out_open = false;
    if (cli_output_commit(&out, &diags) != 0)
        goto done;

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
    cg_free(cg);
    mem_free(tus);
    cli_parsed_free(parsed, o->nfiles);
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

int main(int argc, char **argv)
{
    /* cJSON allocates through util/mem.c like the rest of stackcheck. */
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);

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
    char clang_version[CLI_STR_MAX];
    fe_clang_version(clang_version, sizeof clang_version);
    int code;
    switch (o.action) {
    case CLI_HELP:
        cli_print_help(stdout);
        code = CLI_EXIT_OK;
        break;
    case CLI_VERSION:
        printf("stackcheck %s (libclang: %s)\n", STACKCHECK_VERSION, clang_version);
        code = CLI_EXIT_OK;
        break;
    case CLI_RUN:
    default:
        code = run(&o, clang_version);
        break;
    }
    cli_options_fini(&o);
    return close_stdout(code);
}
