/* This file runs the front end over every input on worker threads that pull
 * files from one queue, storing each outcome at its input's index. */
#include "cli.h"

#include <pthread.h>
#include <string.h>

#include "limits.h"
#include "util/mem.h"

typedef struct Queue {
    pthread_mutex_t lock;
    size_t next;                 /* next input to hand out; guarded by lock */
    const FeOptions *fo;
    const char *const *files;
    size_t nfiles;
    CliParsed *out;              /* nfiles items; item i written only by the worker that took i */
} Queue;

static void *worker(void *arg)
{
    Queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        size_t i = q->next < q->nfiles ? q->next++ : q->nfiles;
        pthread_mutex_unlock(&q->lock);
        if (i == q->nfiles)
            return NULL;
        CliParsed *p = &q->out[i];
        p->status = fe_parse(q->fo, q->files[i], &p->summary, &p->diags);
        if (p->status != FE_OK && p->summary) {
            sum_free(p->summary);
            p->summary = NULL;
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

int cli_parse_files(const FeOptions *fo, const char *const *files, size_t nfiles, unsigned jobs,
                    CliParsed **out, DiagSink *diags)
{
    CliParsed *res = mem_calloc(nfiles ? nfiles : 1, sizeof *res);
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

    Queue q = {.fo = fo, .files = files, .nfiles = nfiles, .out = res};
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
    pthread_mutex_destroy(&q.lock);
    mem_free(threads);
    *out = res;
    return 0;
}
