/* This file turns the command line into the front end's work list (each
 * file with its own flags, from -p BUILD_DIR or the command line) and, for
 * `stackcheck link`, reads the summaries that stand in for parsing. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cdb/cdb.h"
#include "core/target.h"
#include "summary/summary_bin.h"
#include "summary/summary_json.h"
#include "util/fileio.h"
#include "cache/cache.h"
#include "util/mem.h"
#include "util/vec.h"
#include "version.h"

/* Largest summary file `link` reads. */
#define CLI_MAX_SUMMARY (1024u * 1024u * 1024u)
/* Most threads reading summaries at once (-j beyond it gains nothing). */
#define CLI_MAX_READERS 64

void cli_inputs_fini(CliInputs *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++)
        mem_free(w->argv[i]);
    mem_free(w->argv);
    mem_free(w->items);
    mem_free(w->paths);
    cdb_free(w->db);
    memset(w, 0, sizeof *w);
}

/* Gives input i the entry's arguments followed by the command line's. */
static int add_entry(CliInputs *w, size_t i, const CdbEntry *e, const CliOptions *o, const FeOptions *base)
{
    const char **argv = mem_alloc_array(e->nargs + o->nclang_args + 1, sizeof *argv);
    if (!argv)
        return -1;
    size_t n = 0;
    for (size_t k = 0; k < e->nargs; k++)
        argv[n++] = e->args[k];
    for (size_t k = 0; k < o->nclang_args; k++)
        argv[n++] = o->clang_args[k];
    w->argv[i] = argv;
    w->items[i].path = e->file;
    w->items[i].fo = *base;
    w->items[i].fo.args = argv;
    w->items[i].fo.nargs = n;
    w->items[i].fo.working_dir = e->directory;
    w->items[i].compiler = e->compiler;
    w->paths[i] = e->file;
    return 0;
}

const Target *cli_command_target(const char *compiler, const char *const *args, size_t nargs,
                                 char *buf, size_t size)
{
    int m32 = 0;
    if (!cdb_command_triple(compiler, args, nargs, buf, size, &m32))
        buf[0] = '\0';
    const Target *t = buf[0] ? target_lookup(buf) : target_default();
    if (m32 && t == target_lookup("x86_64-linux-gnu")) {
        snprintf(buf, size, "i686-linux-gnu");
        t = target_lookup(buf);
    }
    return t;
}

/* -p without --target: the one target the selected entries build for
 * becomes the run's (see cli_inputs_make). */
static int infer_target(CliInputs *w, const CdbEntry *const *sel, size_t n, DiagSink *diags)
{
    const Target *first = NULL;
    char first_triple[sizeof w->triple] = "", run_triple[sizeof w->triple] = "";
    for (size_t i = 0; i < n; i++) {
        char t[sizeof w->triple];
        const Target *m = cli_command_target(sel[i]->compiler, (const char *const *)sel[i]->args,
                                             sel[i]->nargs, t, sizeof t);
        if (!m) {
            diag_add(diags, DIAG_ERROR, sel[i]->file, 0, 0,
                     "built for '%s' (%s), a target stackcheck has no model of; pass --target "
                     "TRIPLE to analyze it as one it has",
                     t, sel[i]->compiler);
            return -1;
        }
        if (i == 0) {
            first = m;
            snprintf(first_triple, sizeof first_triple, "%s", t);
        } else if (m != first) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0,
                     "the compile database builds for more than one target (%s for %s, %s for "
                     "%s); pass --target TRIPLE, or name the files to analyze",
                     sel[0]->file, first_triple[0] ? first_triple : "the compiler's default",
                     sel[i]->file, t[0] ? t : "the compiler's default");
            return -1;
        }
        if (!run_triple[0] && t[0])
            snprintf(run_triple, sizeof run_triple, "%s", t);
    }
    if (run_triple[0]) {
        w->target = first;
        snprintf(w->triple, sizeof w->triple, "%s", run_triple);
        for (size_t i = 0; i < w->n; i++)
            w->items[i].fo.target = w->triple;
    }
    return 0;
}

/* The compile database of -p: libclang's reading of it, through the front
 * end; with --cache, kept there under the database's content (then an
 * unchanged database is read without loading libclang at all). */
static int load_cdb(const CliOptions *o, CliInputs *w, char *err, size_t errsize)
{
    char id[512];
    if (o->cache_dir) {
        cli_frontend_identity(id, sizeof id);
        if (cache_get_cdb(o->cache_dir, o->compdb_dir, id, STACKCHECK_VERSION, &w->db) == 1)
            return 0;
    }
    const FeApi *fe = cli_frontend(err, errsize);
    if (!fe || fe->cdb_load(o->compdb_dir, &w->db, err, errsize) != 0)
        return -1;
    if (o->cache_dir)
        cache_put_cdb(o->cache_dir, o->compdb_dir, id, STACKCHECK_VERSION, w->db);
    return 0;
}

int cli_inputs_make(const CliOptions *o, const FeOptions *base, CliInputs *w, DiagSink *diags)
{
    memset(w, 0, sizeof *w);
    char err[1024];
    if (o->compdb_dir && load_cdb(o, w, err, sizeof err) != 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s", err);
        return -1;
    }
    size_t n = w->db && o->nfiles == 0 ? w->db->n : o->nfiles;
    w->items = mem_calloc(n ? n : 1, sizeof *w->items);
    w->paths = mem_calloc(n ? n : 1, sizeof *w->paths);
    w->argv = mem_calloc(n ? n : 1, sizeof *w->argv);
    if (!w->items || !w->paths || !w->argv)
        goto oom;
    if (!w->db) {
        for (size_t i = 0; i < n; i++) {
            w->items[i].path = o->files[i];
            w->items[i].fo = *base;
            w->paths[i] = o->files[i];
        }
        w->n = n;
        return 0;
    }
    if (n == 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: has no entries", w->db->path);
        return -1;
    }
    const CdbEntry **sel = mem_alloc_array(n, sizeof *sel);
    if (!sel)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        const CdbEntry *e = o->nfiles ? cdb_find(w->db, o->files[i]) : &w->db->items[i];
        if (!e) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: not in %s", o->files[i], w->db->path);
            mem_free(sel);
            return -1;
        }
        sel[i] = e;
        if (add_entry(w, i, e, o, base) != 0) {
            mem_free(sel);
            goto oom;
        }
        w->n = i + 1;
    }
    int rc = o->target_triple ? 0 : infer_target(w, sel, n, diags);
    mem_free(sel);
    return rc;
oom:
    diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether `name` is a summary's file name: *.json or *.scs, not hidden. */
static bool summary_name(const char *name)
{
    size_t len = strlen(name);
    return name[0] != '.' && ((len > 5 && strcmp(name + len - 5, ".json") == 0) ||
                              (len > 4 && strcmp(name + len - 4, ".scs") == 0));
}

/* Appends DIR's *.json and *.scs files (sorted by name) to *names, built in
 * arena. */
static int list_dir(const char *dir, Arena *arena, const char ***names, size_t *n, size_t *cap,
                    DiagSink *diags)
{
    DIR *d = opendir(dir);
    if (!d) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: cannot open this folder", dir);
        return -1;
    }
    size_t first = *n;
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        /* A library folder's index is not a summary: `link LIBDIR` links
         * every member. */
        if (!summary_name(de->d_name) || strcmp(de->d_name, SUM_INDEX_FILE) == 0)
            continue;
        const char *p = arena_printf(arena, "%s/%s", dir, de->d_name);
        const char **slot = p ? VEC_PUSH(*names, *n, *cap) : NULL;
        if (!slot)
            rc = -1;
        else
            *slot = p;
    }
    closedir(d);
    if (rc != 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
        return -1;
    }
    if (*n == first) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: holds no summary (*.json or *.scs)", dir);
        return -1;
    }
    qsort(*names + first, *n - first, sizeof **names, cmp_str);
    return 0;
}

/* Summary files read by several threads, each taking the next index. */
typedef struct SummaryReads {
    pthread_mutex_t lock;
    size_t next;                 /* guarded by lock */
    const char *const *names;
    size_t n;
    const char *tool_version;
    CliParsed *res;              /* item i written only by the thread that took i */
    char **errs;                 /* likewise: the reason item i failed, or NULL */
} SummaryReads;

static void *read_summaries(void *arg)
{
    SummaryReads *sr = arg;
    for (;;) {
        pthread_mutex_lock(&sr->lock);
        size_t i = sr->next < sr->n ? sr->next++ : sr->n;
        pthread_mutex_unlock(&sr->lock);
        if (i == sr->n)
            return NULL;
        char err[1024];
        char *text = NULL;
        size_t len = 0;
        /* Either form, told by its first bytes whatever the file's name. */
        if (file_read_all(sr->names[i], CLI_MAX_SUMMARY, &text, &len, err, sizeof err) != 0 ||
            (sum_is_bin(text, len)
                 ? sum_from_bin(text, len, sr->tool_version, &sr->res[i].summary, err, sizeof err)
                 : sum_from_json(text, len, sr->tool_version, &sr->res[i].summary, err, sizeof err)) != 0)
            sr->errs[i] = mem_strdup(err[0] ? err : "out of memory");
        mem_free(text);
    }
}

int cli_load_summaries(const CliOptions *o, const char *tool_version, CliParsed **out, const char ***paths,
                       size_t *nout, Arena *arena, DiagSink *diags)
{
    const char **names = NULL;
    size_t n = 0, cap = 0;
    CliParsed *res = NULL;
    const char **src = NULL;
    char **errs = NULL;
    int rc = -1;
    for (size_t i = 0; i < o->nfiles; i++) {
        struct stat st;
        if (stat(o->files[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (list_dir(o->files[i], arena, &names, &n, &cap, diags) != 0)
                goto done;
            continue;
        }
        const char **slot = VEC_PUSH(names, n, cap);
        if (!slot)
            goto oom;
        *slot = o->files[i];
    }
    res = mem_calloc(n ? n : 1, sizeof *res);
    src = mem_calloc(n ? n : 1, sizeof *src);
    if (!res || !src)
        goto oom;
    for (size_t i = 0; i < n; i++)
        diag_init(&res[i].diags);
    /* Read on -j threads (a million functions are hundreds of MB of
     * JSON); the first failure in input order is the one reported. */
    errs = mem_calloc(n ? n : 1, sizeof *errs);
    if (!errs)
        goto oom;
    SummaryReads sr = {.names = names, .n = n, .tool_version = tool_version, .res = res, .errs = errs};
    if (pthread_mutex_init(&sr.lock, NULL) != 0)
        goto oom;
    size_t nthreads = o->jobs > 1 ? o->jobs : 1;
    if (nthreads > n)
        nthreads = n ? n : 1;
    pthread_t threads[CLI_MAX_READERS];
    if (nthreads > CLI_MAX_READERS)
        nthreads = CLI_MAX_READERS;
    size_t started = 0;
    while (started + 1 < nthreads && pthread_create(&threads[started], NULL, read_summaries, &sr) == 0)
        started++;
    read_summaries(&sr); /* the main thread reads too */
    for (size_t t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    pthread_mutex_destroy(&sr.lock);
    for (size_t i = 0; i < n; i++) {
        if (errs[i] || !res[i].summary) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: not a usable summary: %s", names[i],
                     errs[i] ? errs[i] : "out of memory");
            goto done;
        }
        res[i].status = FE_OK;
        /* The report names the sources, as a direct run would. */
        src[i] = res[i].summary->path;
    }
    *out = res;
    *paths = src;
    *nout = n;
    res = NULL;
    src = NULL;
    rc = 0;
    goto done;
oom:
    diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
done:
    for (size_t i = 0; errs && i < n; i++)
        mem_free(errs[i]);
    mem_free(errs);
    cli_parsed_free(res, n);
    mem_free(src);
    mem_free(names);
    return rc;
}
