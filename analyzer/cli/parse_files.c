/* This file runs the front end over every input on worker threads that pull
 * files from one queue (each answered from the summary cache when it can),
 * storing each outcome at its input's index, and draws the progress line. */
#define _POSIX_C_SOURCE 200809L /* getcwd */
#include "cli.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "cache/cache.h"
#include "limits.h"
#include "util/mem.h"

typedef struct Queue {
    pthread_mutex_t lock;
    size_t next;                 /* next input to hand out; guarded by lock */
    size_t done;                 /* inputs finished; guarded by lock */
    const CliInput *in;
    size_t nfiles;
    const CliParseOptions *po;
    const char *cwd;             /* the current folder: part of every cache key */
    CliParsed *out;              /* nfiles items; item i written only by the worker that took i */
} Queue;

/* Answers input i from the cache, or parses it and stores the result. */
static void parse_one(const Queue *q, size_t i)
{
    const CliInput *in = &q->in[i];
    const CliParseOptions *po = q->po;
    CliParsed *p = &q->out[i];
    CacheKey key;
    if (po->cache_dir) {
        CacheInputs ci = {
            .path = in->path,
            .working_dir = in->fo.working_dir ? in->fo.working_dir : q->cwd,
            .args = in->fo.args,
            .nargs = in->fo.nargs,
            .target = in->fo.target,
            .tool_version = po->tool_version,
            .clang_version = po->clang_version,
        };
        cache_key(&ci, &key);
        if (cache_get(po->cache_dir, &key, po->tool_version, &p->summary) == 1) {
            p->status = FE_OK;
            p->from_cache = true;
            return;
        }
    }
    p->status = fe_parse(&in->fo, in->path, &p->summary, &p->diags);
    if (p->status != FE_OK && p->summary) {
        sum_free(p->summary);
        p->summary = NULL;
    }
    if (p->status == FE_OK && po->cache_dir) {
        char err[512];
        /* The cache re-reads the dependencies from the current folder:
         * names clang gave relative to the entry's folder (-p) are made
         * absolute first. */
        for (uint32_t k = 0; in->fo.working_dir && k < p->summary->ndeps; k++) {
            const char *d = p->summary->deps[k];
            if (d[0] != '/') {
                const char *abs = arena_printf(&p->summary->arena, "%s/%s", in->fo.working_dir, d);
                if (abs)
                    p->summary->deps[k] = abs;
            }
        }
        if (cache_put(po->cache_dir, &key, p->summary, po->tool_version, po->clang_version, err,
                      sizeof err) != 0)
            diag_add(&p->diags, DIAG_WARNING, in->path, 0, 0, "not cached: %s", err);
    }
}

static void *worker(void *arg)
{
    Queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        size_t i = q->next < q->nfiles ? q->next++ : q->nfiles;
        pthread_mutex_unlock(&q->lock);
        if (i == q->nfiles)
            return NULL;
        parse_one(q, i);
        if (q->po->progress) {
            /* One line, redrawn in place; \033[K clears what a longer
             * name left behind. */
            pthread_mutex_lock(&q->lock);
            q->done++;
            fprintf(stderr, "\r[%zu/%zu] %s\033[K", q->done, q->nfiles, q->in[i].path);
            fflush(stderr);
            pthread_mutex_unlock(&q->lock);
        }
    }
}

void cli_parsed_free(CliParsed *p, size_t n)
{
    if (!p)
        return;
    for (size_t i = 0; i < n; i++) {
        sum_free(p[i].summary);
        diag_fini(&p[i].diags);
    }
    mem_free(p);
}

int cli_parse_inputs(const CliInput *in, size_t nfiles, const CliParseOptions *po, CliParsed **out,
                     DiagSink *diags)
{
    CliParsed *res = mem_calloc(nfiles ? nfiles : 1, sizeof *res);
    unsigned jobs = po->jobs ? po->jobs : 1;
    size_t nthreads = jobs < nfiles ? jobs : nfiles;
    if (nthreads == 0)
        nthreads = 1;
    pthread_t *threads = res ? mem_alloc_array(nthreads, sizeof *threads) : NULL;
    if (!threads) {
        mem_free(res);
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < nfiles; i++)
        diag_init(&res[i].diags);

    /* Without -p, a relative path and relative -I mean different files
     * in another folder, so the folder is part of the key. */
    char cwd[4096];
    Queue q = {.in = in, .nfiles = nfiles, .po = po, .out = res,
               .cwd = getcwd(cwd, sizeof cwd) ? cwd : NULL};
    if (pthread_mutex_init(&q.lock, NULL) != 0) {
        mem_free(threads);
        cli_parsed_free(res, nfiles);
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "cannot create a mutex");
        return -1;
    }
    /* Workers get a large stack: deeply nested C recurses deeply inside
     * clang (see SC_PARSE_THREAD_STACK). */
    pthread_attr_t attr;
    bool have_attr = pthread_attr_init(&attr) == 0;
    if (have_attr && pthread_attr_setstacksize(&attr, SC_PARSE_THREAD_STACK) != 0) {
        pthread_attr_destroy(&attr);
        have_attr = false;
    }
    size_t started = 0;
    for (; started < nthreads; started++) {
        int rc = pthread_create(&threads[started], have_attr ? &attr : NULL, worker, &q);
        if (rc != 0 && have_attr) /* the big stack may not be available */
            rc = pthread_create(&threads[started], NULL, worker, &q);
        if (rc != 0)
            break;
    }
    if (have_attr)
        pthread_attr_destroy(&attr);
    /* With no thread at all, the main thread does the work. */
    if (started == 0)
        worker(&q);
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    if (po->progress && nfiles) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    pthread_mutex_destroy(&q.lock);
    mem_free(threads);
    *out = res;
    return 0;
}

int cli_parse_files(const FeOptions *fo, const char *const *files, size_t nfiles, unsigned jobs,
                    CliParsed **out, DiagSink *diags)
{
    CliInput *in = mem_calloc(nfiles ? nfiles : 1, sizeof *in);
    if (!in) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < nfiles; i++) {
        in[i].path = files[i];
        in[i].fo = *fo;
    }
    CliParseOptions po = {.jobs = jobs};
    int rc = cli_parse_inputs(in, nfiles, &po, out, diags);
    mem_free(in);
    return rc;
}
