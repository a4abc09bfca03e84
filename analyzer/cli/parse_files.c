/* This file runs the front end over every input on worker threads that pull
 * files from one queue (each answered from the summary cache when it can),
 * storing each outcome at its input's index, and draws the progress line. */
#define _POSIX_C_SOURCE 200809L /* getcwd */
#include "cli.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
    const size_t *order;         /* the inputs, biggest file first */
    const CliParseOptions *po;
    const char *cwd;             /* the current folder: part of every cache key */
    CliParsed *out;              /* nfiles items; item i written only by the worker that took i */
    FILE *progress;              /* where the progress line goes (the real stderr) */
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
            .clang_version = po->frontend_id,
        };
        cache_key(&ci, &key);
        if (cache_get(po->cache_dir, &key, po->tool_version, &p->summary) == 1) {
            p->status = FE_OK;
            p->from_cache = true;
            return;
        }
    }
    char err[1024];
    const FeApi *fe = cli_frontend(err, sizeof err);
    if (!fe) {
        diag_add(&p->diags, DIAG_ERROR, in->path, 0, 0, "%s", err);
        p->status = FE_EINPUT;
        return;
    }
    p->status = fe->parse(&in->fo, in->path, &p->summary, &p->diags);
    if (p->status != FE_OK && p->summary) {
        sum_free(p->summary);
        p->summary = NULL;
    }
    if (p->status == FE_OK && po->cache_dir) {
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
        if (cache_put(po->cache_dir, &key, p->summary, po->tool_version, p->summary->clang_version,
                      err, sizeof err) != 0)
            diag_add(&p->diags, DIAG_WARNING, in->path, 0, 0, "not cached: %s", err);
    }
}

static void *worker(void *arg)
{
    Queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        size_t i = q->next < q->nfiles ? q->order[q->next++] : q->nfiles;
        pthread_mutex_unlock(&q->lock);
        if (i == q->nfiles)
            return NULL;
        parse_one(q, i);
        if (q->po->progress) {
            /* One line, redrawn in place; \033[K clears what a longer
             * name left behind. */
            pthread_mutex_lock(&q->lock);
            q->done++;
            fprintf(q->progress, "\r[%zu/%zu] %s\033[K", q->done, q->nfiles, q->in[i].path);
            fflush(q->progress);
            pthread_mutex_unlock(&q->lock);
        }
    }
}

/* Input indexes by file size, biggest first (ties and unreadable files in
 * input order): with files pulled in this order, no worker is left parsing
 * a big file alone at the end. */
typedef struct SizedInput {
    size_t index;
    long long size;
} SizedInput;

static int cmp_sized(const void *a, const void *b)
{
    const SizedInput *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static size_t *schedule(const CliInput *in, size_t n)
{
    SizedInput *v = mem_alloc_array(n ? n : 1, sizeof *v);
    size_t *order = mem_alloc_array(n ? n : 1, sizeof *order);
    if (!v || !order) {
        mem_free(v);
        mem_free(order);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char buf[4096];
        const char *path = in[i].path;
        if (path[0] != '/' && in[i].fo.working_dir &&
            snprintf(buf, sizeof buf, "%s/%s", in[i].fo.working_dir, path) < (int)sizeof buf)
            path = buf;
        struct stat st;
        v[i].index = i;
        v[i].size = stat(path, &st) == 0 ? (long long)st.st_size : 0;
    }
    qsort(v, n, sizeof *v, cmp_sized);
    for (size_t i = 0; i < n; i++)
        order[i] = v[i].index;
    mem_free(v);
    return order;
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
    size_t *order = threads ? schedule(in, nfiles) : NULL;
    if (!order) {
        mem_free(threads);
        mem_free(res);
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < nfiles; i++)
        diag_init(&res[i].diags);

    /* Without -p, a relative path and relative -I mean different files
     * in another folder, so the folder is part of the key. */
    char cwd[4096];
    Queue q = {.in = in, .nfiles = nfiles, .order = order, .po = po, .out = res,
               .cwd = getcwd(cwd, sizeof cwd) ? cwd : NULL};
    if (pthread_mutex_init(&q.lock, NULL) != 0) {
        mem_free(order);
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
    CliStderrFilter filter;
    cli_stderr_filter_begin(&filter);
    q.progress = filter.direct;
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
        fputs("\r\033[K", q.progress);
        fflush(q.progress);
    }
    cli_stderr_filter_end(&filter);
    pthread_mutex_destroy(&q.lock);
    mem_free(order);
    mem_free(threads);
    *out = res;
    return 0;
}
