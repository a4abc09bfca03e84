/* This file drives one parse: checks the input file, runs libclang on a
 * big-stack thread, turns clang's errors into diagnostics and hands the TU to
 * the visitor (fe_visit.c). Also finds clang's resource directory. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/fe_int.h"
#include "limits.h"
#include "util/mem.h"

#ifndef SC_LLVM_LIBDIR
#define SC_LLVM_LIBDIR "/usr/lib/llvm-19/lib"
#endif
#ifndef SC_LLVM_MAJOR
#define SC_LLVM_MAJOR "19"
#endif

/* Bytes of a file inspected for binary content. */
#define FE_SNIFF_BYTES (64u * 1024u)

void fe_clang_version(char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    CXString s = clang_getClangVersion();
    const char *c = clang_getCString(s);
    snprintf(buf, size, "%s", c ? c : "unknown");
    clang_disposeString(s);
}

static bool has_stddef(const char *dir)
{
    char p[4096];
    struct stat st;
    if (snprintf(p, sizeof p, "%s/include/stddef.h", dir) >= (int)sizeof p)
        return false;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int fe_find_resource_dir(char *buf, size_t size)
{
    char cand[4096];
    if (!buf || size == 0)
        return -1;
    if (snprintf(cand, sizeof cand, "%s/clang/%s", SC_LLVM_LIBDIR, SC_LLVM_MAJOR) <
            (int)sizeof cand &&
        has_stddef(cand) && strlen(cand) < size) {
        snprintf(buf, size, "%s", cand);
        return 0;
    }
    /* Fallback: any <libdir>/clang/<version> holding the builtin headers
     * (the highest name wins, for determinism). */
    char base[4096];
    if (snprintf(base, sizeof base, "%s/clang", SC_LLVM_LIBDIR) >= (int)sizeof base)
        return -1;
    DIR *d = opendir(base);
    if (!d)
        return -1;
    int rc = -1;
    char best[256] = "";
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (snprintf(cand, sizeof cand, "%s/%s", base, de->d_name) >= (int)sizeof cand)
            continue;
        if (has_stddef(cand) && strlen(de->d_name) < sizeof best &&
            strcmp(de->d_name, best) > 0)
            snprintf(best, sizeof best, "%s", de->d_name);
    }
    closedir(d);
    if (best[0] && snprintf(cand, sizeof cand, "%s/%s", base, best) < (int)sizeof cand &&
        strlen(cand) < size) {
        snprintf(buf, size, "%s", cand);
        rc = 0;
    }
    return rc;
}

/* Checks `real` (the path to open) before libclang sees it; messages name
 * `shown` (the path as the user gave it). */
static FeStatus check_input(const FeOptions *opt, const char *real, const char *shown,
                            DiagSink *diags)
{
    struct stat st;
    if (stat(real, &st) != 0) {
        diag_add(diags, DIAG_ERROR, shown, 0, 0, "%s",
                 errno == ENOENT ? "no such file or directory" : strerror(errno));
        return FE_EINPUT;
    }
    if (S_ISDIR(st.st_mode)) {
        diag_add(diags, DIAG_ERROR, shown, 0, 0, "is a directory");
        return FE_EINPUT;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_add(diags, DIAG_ERROR, shown, 0, 0, "not a regular file");
        return FE_EINPUT;
    }
    int fd = open(real, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        diag_add(diags, DIAG_ERROR, shown, 0, 0, "%s", strerror(errno));
        return FE_EINPUT;
    }
    unsigned char buf[4096];
    size_t total = 0, bad = 0;
    bool nul = false;
    while (total < FE_SNIFF_BYTES && !nul) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            diag_add(diags, DIAG_ERROR, shown, 0, 0, "%s", strerror(e));
            return FE_EINPUT;
        }
        if (r == 0)
            break;
        for (ssize_t k = 0; k < r; k++) {
            unsigned char ch = buf[k];
            if (ch == 0)
                nul = true;
            else if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\f' &&
                     ch != '\v' && ch != 0x1b)
                bad++;
            else if (ch == 0x7f)
                bad++;
        }
        total += (size_t)r;
    }
    close(fd);
    if (nul || (total > 0 && bad * 10 > total)) {
        diag_add(diags, DIAG_ERROR, shown, 0, 0, "not a C source file (binary data)");
        return FE_EINPUT;
    }
    bool forced_lang = false;
    for (size_t k = 0; k < opt->nargs; k++)
        if (opt->args[k] && strncmp(opt->args[k], "-x", 2) == 0)
            forced_lang = true;
    const char *dot = strrchr(shown, '.');
    const char *slash = strrchr(shown, '/');
    bool ext_ok = dot && (!slash || dot > slash) &&
                  (strcmp(dot, ".c") == 0 || strcmp(dot, ".h") == 0 || strcmp(dot, ".i") == 0);
    if (!ext_ok && !forced_lang) {
        diag_add(diags, DIAG_ERROR, shown, 0, 0, "not a C source file (expected a .c file)");
        return FE_EINPUT;
    }
    /* Deeper bracket nesting than the parse thread's stack holds would
     * crash the whole run inside clang: refuse it for this file. */
    for (size_t k = 0; k < opt->nargs; k++) {
        const char *a = opt->args[k];
        if (a && strncmp(a, "-fbracket-depth=", 16) == 0 &&
            strtoull(a + 16, NULL, 10) > SC_MAX_BRACKET_DEPTH) {
            diag_add(diags, DIAG_ERROR, shown, 0, 0,
                     "'%s' is above %u, the deepest nesting stackcheck's parse thread can hold",
                     a, SC_MAX_BRACKET_DEPTH);
            return FE_EINPUT;
        }
    }
    return FE_OK;
}

/* Everything the parse thread needs and returns. */
typedef struct Job {
    const char *real;
    const char *shown;
    const char **argv; /* fe_parse's; flags clang does not know are taken out */
    int argc;
    TuSummary *sum;
    DiagSink *diags;
    FeStatus status;
    bool target_given; /* -target was passed (--target, or -p's database) */
} Job;

/* Flags clang's driver does not know ("unknown argument:
 * '-fconserve-stack'", or "unknown argument '-x'; did you mean '-y'?"):
 * GCC's own optimization and code generation flags in a GCC project's
 * database, none of which changes what stackcheck reads. The driver skips
 * its other checks of the command line after such an error (among them
 * "unsupported option '-mcpu=' for target ..."), so the file is parsed
 * again without them, and later files never get them: each is said once
 * per run, as a warning.
 *
 * unknown_flag copies the flag of such a diagnostic into buf. */
static bool unknown_flag(CXDiagnostic d, char *buf, size_t size)
{
    CXFile f = NULL;
    clang_getExpansionLocation(clang_getDiagnosticLocation(d), &f, NULL, NULL, NULL);
    if (f)
        return false;
    CXString ts = clang_getDiagnosticSpelling(d);
    const char *t = clang_getCString(ts);
    bool ok = false;
    if (t && strncmp(t, "unknown argument", 16) == 0) {
        const char *a = strchr(t, '\'');
        const char *b = a ? strchr(a + 1, '\'') : NULL;
        if (b && (size_t)(b - a - 1) < size) {
            memcpy(buf, a + 1, (size_t)(b - a - 1));
            buf[b - a - 1] = '\0';
            ok = true;
        }
    }
    clang_disposeString(ts);
    return ok;
}

/* The unknown flags said so far this run: a database of a thousand files
 * with the same flags gets one warning per flag. */
static pthread_mutex_t unknown_lock = PTHREAD_MUTEX_INITIALIZER;
static char unknown_said[SC_MAX_UNKNOWN_FLAGS][128];
static size_t unknown_nsaid;

/* Whether `flag` is one of the unknown flags said so far; with `record`,
 * a new one is added (true is then the caller's cue to say it). */
static bool unknown_flag_seen(const char *flag, bool record)
{
    bool seen = false;
    pthread_mutex_lock(&unknown_lock);
    for (size_t i = 0; i < unknown_nsaid && !seen; i++)
        seen = strcmp(unknown_said[i], flag) == 0;
    if (!seen && record && unknown_nsaid < SC_MAX_UNKNOWN_FLAGS)
        snprintf(unknown_said[unknown_nsaid++], sizeof unknown_said[0], "%s", flag);
    pthread_mutex_unlock(&unknown_lock);
    return seen;
}

/* Reports a TU's first error as ONE line (hostile input can cascade into
 * thousands: 50,000 unclosed braces), with how many more there were; an
 * error inside a header also names the input file that included it. */
static void report_clang_errors(CXTranslationUnit tu, Job *j)
{
    unsigned n = clang_getNumDiagnostics(tu);
    unsigned nerr = 0;
    for (unsigned k = 0; k < n; k++) {
        CXDiagnostic d = clang_getDiagnostic(tu, k);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error)
            nerr++;
        clang_disposeDiagnostic(d);
    }
    for (unsigned k = 0; k < n && j->status == FE_OK; k++) {
        CXDiagnostic d = clang_getDiagnostic(tu, k);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            CXFile f = NULL;
            unsigned line = 0, col = 0;
            clang_getExpansionLocation(clang_getDiagnosticLocation(d), &f, &line, &col, NULL);
            CXString ts = clang_getDiagnosticSpelling(d);
            const char *tc = clang_getCString(ts);
            char more[64] = "";
            if (nerr > 1)
                snprintf(more, sizeof more, " (and %u more error%s)", nerr - 1,
                         nerr == 2 ? "" : "s");
            if (f) {
                CXString fs = clang_getFileName(f);
                const char *fc = clang_getCString(fs);
                bool in_main = clang_Location_isFromMainFile(clang_getDiagnosticLocation(d)) != 0;
                diag_add(j->diags, DIAG_ERROR, fc ? fc : j->shown, line, col, "%s%s%s%s%s",
                         tc ? tc : "error", in_main ? "" : " (in a header included by ",
                         in_main ? "" : j->shown, in_main ? "" : ")", more);
                clang_disposeString(fs);
            } else {
                /* "unsupported option '-mcpu=' for target 'x86_64-pc-linux-gnu'":
                 * flags for another target than the host's. */
                bool hint = !j->target_given && tc && strstr(tc, " for target '");
                diag_add(j->diags, DIAG_ERROR, j->shown, 0, 0, "%s%s%s", tc ? tc : "error", more,
                         hint ? "; pass --target TRIPLE for the target this file is built for" : "");
            }
            clang_disposeString(ts);
            j->status = FE_EPARSE;
        }
        clang_disposeDiagnostic(d);
    }
}

/* After a parse: takes every flag clang did not know out of j->argv (said
 * once per run). Returns whether there was one: the file must be parsed
 * again. */
static bool drop_unknown_flags(CXTranslationUnit tu, Job *j)
{
    bool any = false;
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned k = 0; k < n; k++) {
        CXDiagnostic d = clang_getDiagnostic(tu, k);
        char flag[128];
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error && unknown_flag(d, flag, sizeof flag)) {
            int out = 0;
            for (int a = 0; a < j->argc; a++)
                if (strcmp(j->argv[a], flag) != 0)
                    j->argv[out++] = j->argv[a];
            if (out < j->argc) {
                any = true;
                j->argc = out;
                if (!unknown_flag_seen(flag, true))
                    diag_add(j->diags, DIAG_WARNING, NULL, 0, 0,
                             "clang does not know the flag '%s' (of GCC?); files are parsed without it",
                             flag);
            }
        }
        clang_disposeDiagnostic(d);
    }
    return any;
}

static void run_job(Job *j)
{
    CXIndex idx = clang_createIndex(0, 0);
    if (!idx) {
        diag_add(j->diags, DIAG_ERROR, j->shown, 0, 0, "libclang could not create an index");
        j->status = FE_EPARSE;
        return;
    }
    CXTranslationUnit tu = NULL;
    unsigned flags = CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
    enum CXErrorCode ec =
        clang_parseTranslationUnit2(idx, j->real, j->argv, j->argc, NULL, 0, flags, &tu);
    if (ec == CXError_Success && tu && drop_unknown_flags(tu, j)) {
        clang_disposeTranslationUnit(tu);
        tu = NULL;
        ec = clang_parseTranslationUnit2(idx, j->real, j->argv, j->argc, NULL, 0, flags, &tu);
    }
    switch (ec) {
    case CXError_Success:
        break;
    case CXError_Crashed:
        diag_add(j->diags, DIAG_ERROR, j->shown, 0, 0,
                 "libclang crashed while parsing this file (retry with "
                 "LIBCLANG_DISABLE_CRASH_RECOVERY=1 to debug)");
        j->status = FE_ECRASH;
        break;
    case CXError_InvalidArguments:
        diag_add(j->diags, DIAG_ERROR, j->shown, 0, 0, "libclang rejected the arguments");
        j->status = FE_EINPUT;
        break;
    case CXError_ASTReadError:
    case CXError_Failure:
    default:
        diag_add(j->diags, DIAG_ERROR, j->shown, 0, 0, "libclang could not parse this file");
        j->status = FE_EPARSE;
        break;
    }
    if (j->status == FE_OK && tu) {
        report_clang_errors(tu, j);
        if (j->status == FE_OK)
            j->status = fe_visit_tu(tu, j->sum, j->shown, j->diags);
    }
    if (tu)
        clang_disposeTranslationUnit(tu);
    clang_disposeIndex(idx);
}

/* libclang runs each parse on a thread of its own with an 8 MiB stack,
 * which deeply nested code overflows (a stack overflow escapes its crash
 * recovery and kills the process). LIBCLANG_NOTHREADS makes it parse on the
 * calling thread, which is our big-stack thread. Set once per process, before
 * the first parse of any thread (pthread_once orders every caller after it);
 * a value the user set is kept. */
static pthread_once_t nothreads_once = PTHREAD_ONCE_INIT;

static void set_nothreads(void) { setenv("LIBCLANG_NOTHREADS", "1", 0); }

static void *job_thread(void *arg)
{
    run_job(arg);
    return NULL;
}

FeStatus fe_parse(const FeOptions *opt, const char *path, TuSummary **out, DiagSink *diags)
{
    static const FeOptions none = {NULL, NULL, 0, NULL, NULL};
    if (!opt)
        opt = &none;
    *out = NULL;
    FeStatus st = FE_OK;
    char *real = NULL;
    const char **argv = NULL;
    TuSummary *sum = NULL;
    char resdir[4096];
    /* The file is checked at working_dir/path, but clang gets the path as
     * given with -working-directory, so locations spell it as the user did. */
    if (opt->working_dir && path[0] != '/') {
        size_t n = strlen(opt->working_dir) + strlen(path) + 2;
        real = mem_alloc(n);
        if (!real) {
            st = FE_ENOMEM;
            goto done;
        }
        snprintf(real, n, "%s/%s", opt->working_dir, path);
    }
    st = check_input(opt, real ? real : path, path, diags);
    if (st != FE_OK)
        goto done;
    argv = mem_alloc_array(opt->nargs + 10, sizeof *argv);
    sum = sum_new(path, opt->target);
    if (sum) {
        char version[256];
        fe_clang_version(version, sizeof version);
        sum->clang_version = arena_strdup(&sum->arena, version);
    }
    if (!argv || !sum || !sum->clang_version) {
        st = FE_ENOMEM;
        goto done;
    }
    int argc = 0;
    bool forced_lang = false;
    for (size_t k = 0; k < opt->nargs; k++)
        if (opt->args[k] && strncmp(opt->args[k], "-x", 2) == 0)
            forced_lang = true;
    const char *dot = strrchr(path, '.');
    if (!forced_lang && !(dot && (strcmp(dot, ".c") == 0 || strcmp(dot, ".i") == 0))) {
        argv[argc++] = "-x";
        argv[argc++] = "c";
    }
    if (opt->target) {
        argv[argc++] = "-target";
        argv[argc++] = opt->target;
    }
    const char *rd = opt->resource_dir;
    if (!rd && fe_find_resource_dir(resdir, sizeof resdir) == 0)
        rd = resdir;
    if (rd) {
        argv[argc++] = "-resource-dir";
        argv[argc++] = rd;
    }
    if (opt->working_dir) {
        argv[argc++] = "-working-directory";
        argv[argc++] = opt->working_dir;
    }
    /* No warnings: stackcheck reports clang's errors only, and a warning
     * costs work (-Wreturn-type, on by default, builds a CFG of every
     * function): 2-3% of a parse. It also means a project's -Werror does
     * not turn a warning into a file stackcheck refuses. */
    argv[argc++] = "-w";
    for (size_t k = 0; k < opt->nargs; k++)
        if (!unknown_flag_seen(opt->args[k], false)) /* one parse, not two */
            argv[argc++] = opt->args[k];

    Job job = {path, path, argv, argc, sum, diags, FE_OK, opt->target != NULL};
    pthread_once(&nothreads_once, set_nothreads);
    pthread_attr_t attr;
    pthread_t th;
    bool threaded = false;
    if (pthread_attr_init(&attr) == 0) {
        if (pthread_attr_setstacksize(&attr, SC_PARSE_THREAD_STACK) == 0 &&
            pthread_create(&th, &attr, job_thread, &job) == 0)
            threaded = true;
        pthread_attr_destroy(&attr);
    }
    if (threaded)
        pthread_join(th, NULL);
    else
        run_job(&job); /* no big stack available: parse here */
    st = job.status;
    if (st == FE_OK) {
        *out = sum;
        sum = NULL;
    }
done:
    if (st == FE_ENOMEM && diags)
        diag_add(diags, DIAG_ERROR, path, 0, 0, "out of memory");
    sum_free(sum);
    mem_free(argv);
    mem_free(real);
    return st;
}
