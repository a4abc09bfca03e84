/* This file writes library folders (`stackcheck summarize`) and reads them
 * (--library, config "libraries"): one binary summary per translation unit
 * and an index naming each one's external functions. A run reads only the
 * indexes at startup and only the members the program pulls. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "summary/summary_bin.h"
#include "util/fileio.h"
#include "util/mem.h"

/* Largest index and member read (bytes): far beyond a C library's. */
#define LIB_MAX_INDEX (256u * 1024u * 1024u)
#define LIB_MAX_MEMBER (1024u * 1024u * 1024u)

/* Maps the regular file `path` read-only: a run looks up a few dozen names,
 * so only the pages they touch are read (a 2,000-file library's index is a
 * megabyte). Returns 0, or -1 with the reason in err. */
static int map_file(const char *path, void **data, size_t *len, char *err, size_t errsize)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* never block on a FIFO */
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errsize, "%s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uintmax_t)st.st_size > LIB_MAX_INDEX) {
        snprintf(err, errsize, "%s", !S_ISREG(st.st_mode) ? "not a regular file"
                                     : st.st_size <= 0     ? "empty file"
                                                           : "too large");
        close(fd);
        return -1;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        snprintf(err, errsize, "%s", strerror(errno));
        return -1;
    }
    *data = p;
    *len = (size_t)st.st_size;
    return 0;
}

int cli_libs_open(CliLibs *L, const char *const *dirs, size_t n, const char *tool_version, DiagSink *diags)
{
    memset(L, 0, sizeof *L);
    L->tool_version = tool_version;
    if (n == 0)
        return 0;
    L->dirs = mem_calloc(n, sizeof *L->dirs);
    L->idx = mem_calloc(n, sizeof *L->idx);
    L->map = mem_calloc(n, sizeof *L->map);
    L->maplen = mem_calloc(n, sizeof *L->maplen);
    if (!L->dirs || !L->idx || !L->map || !L->maplen) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
        return -1;
    }
    L->n = n;
    for (size_t i = 0; i < n; i++) {
        L->dirs[i] = dirs[i];
        struct stat st;
        if (stat(dirs[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: library folder %s", dirs[i],
                     stat(dirs[i], &st) != 0 ? "does not exist" : "is not a folder");
            return -1;
        }
        size_t plen = strlen(dirs[i]) + sizeof SUM_INDEX_FILE + 1;
        char *path = mem_alloc(plen);
        if (!path) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
            return -1;
        }
        snprintf(path, plen, "%s/%s", dirs[i], SUM_INDEX_FILE);
        char err[1024];
        size_t len = 0;
        int rc = 0;
        /* The view borrows the bytes: they stay until cli_libs_fini. */
        if (stat(path, &st) != 0) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0,
                     "%s: no library index here (write one with 'stackcheck summarize -o %s')", path, dirs[i]);
            rc = -1;
        } else if (map_file(path, &L->map[i], &len, err, sizeof err) != 0 ||
                   (L->maplen[i] = len, sum_index_parse(L->map[i], len, tool_version, &L->idx[i], err, sizeof err)) != 0) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: not a usable library index: %s", path, err);
            rc = -1;
        } else if (L->idx[i].nmembers == 0) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: the library index names no summary", path);
            rc = -1;
        }
        mem_free(path);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int cli_libs_check_target(const CliLibs *L, const Target *t, const char *triple, DiagSink *diags)
{
    for (size_t i = 0; i < L->n; i++) {
        /* Models, not spellings: x86_64-linux-gnu and x86_64-pc-linux-gnu
         * are one target, and the sizes are the model's. */
        const Target *lt = target_lookup(L->idx[i].target);
        if (lt != t) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s/%s: summaries for %s, this run is for %s", L->dirs[i],
                     SUM_INDEX_FILE, L->idx[i].target, triple && triple[0] ? triple : t->triple);
            return -1;
        }
    }
    return 0;
}

typedef struct LoadCtx {
    const CliLibs *L;
    DiagSink *diags;
} LoadCtx;

/* CgLoadMember: reads one member summary; a missing, foreign or corrupt
 * file is an error naming it (found only when the member is pulled). */
static int load_member(void *ctx, uint32_t lib, uint32_t member, TuSummary **out)
{
    LoadCtx *c = ctx;
    const SumIndex *x = &c->L->idx[lib];
    SumIndexMember m;
    char err[1024] = "";
    if (sum_index_member(x, member, &m, err, sizeof err) != 0) {
        diag_add(c->diags, DIAG_ERROR, NULL, 0, 0, "%s/%s: not a usable library index: %s", c->L->dirs[lib],
                 SUM_INDEX_FILE, err);
        return 1;
    }
    size_t plen = strlen(c->L->dirs[lib]) + strlen(m.file) + 2;
    char *path = mem_alloc(plen);
    if (!path)
        return -1;
    snprintf(path, plen, "%s/%s", c->L->dirs[lib], m.file);
    char *text = NULL;
    size_t len = 0;
    int rc = 0;
    if (file_read_all(path, LIB_MAX_MEMBER, &text, &len, err, sizeof err) != 0) {
        diag_add(c->diags, DIAG_ERROR, NULL, 0, 0, "%s: library summary named by its index: %s", path, err);
        rc = 1;
    } else if (!sum_is_bin(text, len)) {
        diag_add(c->diags, DIAG_ERROR, NULL, 0, 0, "%s: not a usable summary: not a binary summary", path);
        rc = 1;
    } else if (sum_from_bin(text, len, c->L->tool_version, out, err, sizeof err) != 0) {
        diag_add(c->diags, DIAG_ERROR, NULL, 0, 0, "%s: not a usable summary: %s", path, err);
        rc = 1;
    } else if (target_lookup((*out)->target ? (*out)->target : "") != target_lookup(x->target)) {
        diag_add(c->diags, DIAG_ERROR, NULL, 0, 0, "%s: a summary for %s in a library for %s", path,
                 (*out)->target ? (*out)->target : "?", x->target);
        sum_free(*out);
        *out = NULL;
        rc = 1;
    }
    mem_free(text);
    mem_free(path);
    return rc;
}

int cli_libs_pull(const CliLibs *L, TuSummary *const *prog, size_t nprog, const char *const *roots,
                  size_t nroots, bool use_bounds, CgPulled **out, size_t *nout, CgBound **bounds,
                  size_t *nbounds, DiagSink *diags)
{
    *out = NULL;
    *nout = 0;
    *bounds = NULL;
    *nbounds = 0;
    if (L->n == 0)
        return 0;
    LoadCtx ctx = {L, diags};
    const SumIndex **v = mem_alloc_array(L->n, sizeof *v);
    if (!v) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < L->n; i++)
        v[i] = &L->idx[i];
    uint32_t bad = 0;
    int rc = cg_pull_bounded(prog, nprog, roots, nroots, v, L->n, load_member, &ctx, use_bounds, out, nout,
                             bounds, nbounds, &bad);
    mem_free(v);
    if (rc < 0)
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
    if (rc == 2)
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s/%s: not a usable library index: a damaged symbol entry",
                 L->dirs[bad], SUM_INDEX_FILE);
    return rc == 0 ? 0 : -1;
}

void cli_libs_fini(CliLibs *L)
{
    for (size_t i = 0; L->map && i < L->n; i++)
        if (L->map[i])
            munmap(L->map[i], L->maplen[i]);
    mem_free(L->map);
    mem_free(L->maplen);
    mem_free(L->idx);
    mem_free(L->dirs);
    memset(L, 0, sizeof *L);
}

/* ---- summarize ---- */

/* Removes the member files the old index named that the new one does not
 * (and only those: files no index names are not ours), so that the folder
 * matches its index. `old` is NULL when there was no readable index. */
static void remove_stale(const char *dir, const SumIndex *old, char *const *files, size_t m)
{
    size_t plen = strlen(dir) + 512;
    char *path = old ? mem_alloc(plen) : NULL;
    if (!path)
        return;
    for (uint32_t i = 0; i < old->nmembers; i++) {
        SumIndexMember om;
        char err[256];
        if (sum_index_member(old, i, &om, err, sizeof err) != 0)
            continue; /* damaged: never delete by a name it spells */
        bool keep = false;
        for (size_t k = 0; k < m && !keep; k++)
            keep = strcmp(files[k], om.file) == 0;
        snprintf(path, plen, "%s/%s", dir, om.file);
        if (!keep)
            (void)unlink(path);
    }
    mem_free(path);
}

/* Whether `name` is spelled as sum_index_member_name spells a member:
 * "...-" then 16 lower-case hex digits and ".scs". */
static bool member_like(const char *name)
{
    size_t n = strlen(name);
    if (n < 22 || strcmp(name + n - 4, ".scs") != 0 || name[n - 21] != '-')
        return false;
    for (size_t i = n - 20; i < n - 4; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return false;
    return true;
}

/* The folder's old index is ours (its magic) but of another layout or
 * version, so it names nothing readable: its members are every file spelled
 * like one, and those the new index does not name go. */
static void remove_stale_by_name(const char *dir, char *const *files, size_t m)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t plen = strlen(dir) + 512;
    char *path = mem_alloc(plen);
    struct dirent *de;
    while (path && (de = readdir(d)) != NULL) {
        if (!member_like(de->d_name))
            continue;
        bool keep = false;
        for (size_t k = 0; k < m && !keep; k++)
            keep = strcmp(files[k], de->d_name) == 0;
        snprintf(path, plen, "%s/%s", dir, de->d_name);
        if (!keep)
            (void)unlink(path);
    }
    mem_free(path);
    closedir(d);
}

/* Whether `dir` holds an index with our magic, readable or not. */
static bool has_our_index(const char *dir)
{
    size_t plen = strlen(dir) + sizeof SUM_INDEX_FILE + 1;
    char *path = mem_alloc(plen);
    if (!path)
        return false;
    snprintf(path, plen, "%s/%s", dir, SUM_INDEX_FILE);
    char magic[SUM_INDEX_MAGIC_LEN];
    FILE *fp = fopen(path, "rb");
    bool ours = fp && fread(magic, 1, sizeof magic, fp) == sizeof magic &&
                memcmp(magic, SUM_INDEX_MAGIC, SUM_INDEX_MAGIC_LEN) == 0;
    if (fp)
        fclose(fp);
    mem_free(path);
    return ours;
}

/* The index already in `dir`, of any stackcheck version, into *x (a view
 * of *bytes, mem_free them after); false when there is none or it does not
 * read (an older layout: remove_stale_by_name then finds its members). */
static bool read_old_index(const char *dir, SumIndex *x, char **bytes)
{
    size_t plen = strlen(dir) + sizeof SUM_INDEX_FILE + 1;
    char *path = mem_alloc(plen);
    *bytes = NULL;
    if (!path)
        return false;
    snprintf(path, plen, "%s/%s", dir, SUM_INDEX_FILE);
    char err[256];
    size_t len = 0;
    bool ok = file_read_all(path, LIB_MAX_INDEX, bytes, &len, err, sizeof err) == 0 &&
              sum_index_parse(*bytes, len, NULL, x, err, sizeof err) == 0;
    mem_free(path);
    return ok;
}

/* Orders function indexes by USR (trim_member's lookups). */
static const TuSummary *trim_sum;
static int cmp_fn_usr(const void *a, const void *b)
{
    return strcmp(trim_sum->funcs[*(const uint32_t *)a].usr, trim_sum->funcs[*(const uint32_t *)b].usr);
}

/* Marks the function `usr` names, when this TU defines it, and queues it. */
static void trim_mark(const TuSummary *s, const uint32_t *by_usr, const char *usr, bool *keep, uint32_t *work,
                      size_t *nw)
{
    if (!usr)
        return;
    size_t lo = 0, hi = s->nfuncs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->funcs[by_usr[mid]].usr, usr) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < s->nfuncs && strcmp(s->funcs[by_usr[lo]].usr, usr) == 0; lo++)
        if (!keep[by_usr[lo]]) {
            keep[by_usr[lo]] = true;
            work[(*nw)++] = by_usr[lo];
        }
}

/* What a library member does not need: the files its parse read (they
 * validate a cache entry; a member is never validated against sources) and
 * the static functions of headers that nothing in it calls or takes the
 * address of (every musl file carries copies of __syscall0 ... __syscall6
 * from syscall_arch.h). A program reaches a member's functions only through
 * the ones it keeps, so the bound is the same; reading a member costs about
 * half as much (the warm run's budget is per member pulled). */
static int trim_member(TuSummary *s)
{
    s->ndeps = 0;
    s->deps = NULL;
    if (s->nfuncs == 0)
        return 0;
    bool *keep = mem_calloc(s->nfuncs, sizeof *keep);
    uint32_t *work = mem_alloc_array(s->nfuncs, sizeof *work);
    uint32_t *by_usr = mem_alloc_array(s->nfuncs, sizeof *by_usr);
    if (!keep || !work || !by_usr) {
        mem_free(keep);
        mem_free(work);
        mem_free(by_usr);
        return -1;
    }
    for (uint32_t i = 0; i < s->nfuncs; i++)
        by_usr[i] = i;
    trim_sum = s; /* one thread: summarize writes its members in turn */
    qsort(by_usr, s->nfuncs, sizeof *by_usr, cmp_fn_usr);
    size_t nw = 0;
    for (uint32_t i = 0; i < s->nfuncs; i++) {
        const SumFunction *f = &s->funcs[i];
        if (f->linkage == SUM_LINK_EXTERNAL || !f->loc.file || !s->path || strcmp(f->loc.file, s->path) == 0) {
            keep[i] = true;
            work[nw++] = i;
        }
    }
    for (uint32_t r = 0; r < s->nrefs; r++) /* address-taken, stored into members */
        trim_mark(s, by_usr, s->refs[r].usr, keep, work, &nw);
    /* What the kept functions call or pass on, to a fixed point. */
    while (nw > 0) {
        const SumFunction *f = &s->funcs[work[--nw]];
        for (uint32_t c = 0; c < f->ncalls; c++) {
            const SumCall *call = &f->calls[c];
            trim_mark(s, by_usr, call->callee_usr, keep, work, &nw);
            trim_mark(s, by_usr, call->sole_usr, keep, work, &nw);
            for (uint32_t a = 0; a < call->nargs; a++)
                trim_mark(s, by_usr, call->args[a].fn_usr, keep, work, &nw);
        }
    }
    uint32_t m = 0;
    for (uint32_t i = 0; i < s->nfuncs; i++)
        if (keep[i])
            s->funcs[m++] = s->funcs[i];
    s->nfuncs = m;
    mem_free(keep);
    mem_free(work);
    mem_free(by_usr);
    return 0;
}


/* The library's own bounds, one per symbol in the index's order (NULL when
 * memory runs out): the members linked as one program and analyzed with
 * the AST estimate; a function gets its inclusive worst case when that is a
 * true upper bound and its whole call tree is the library's, through calls
 * known exactly (direct, or a pointer with one known value): no call
 * through a member, a parameter or a type, whose targets a program could
 * add to, and no external, whose cost a program's config gives. A run then
 * needs only this number (sum_index_bound), not the member (cg_pull). */
static SumIndexBound *library_bounds(TuSummary *const *tus, size_t m, const char *triple)
{
    size_t nsyms = 0, nf = 0;
    for (size_t t = 0; t < m; t++) {
        nf += tus[t]->nfuncs;
        for (uint32_t f = 0; f < tus[t]->nfuncs; f++)
            nsyms += tus[t]->funcs[f].linkage == SUM_LINK_EXTERNAL;
    }
    SumIndexBound *b = mem_calloc(nsyms ? nsyms : 1, sizeof *b);
    size_t *base = mem_alloc_array(m + 1, sizeof *base);
    uint32_t *idx = mem_alloc_array(nf ? nf : 1, sizeof *idx);
    CallGraph *cg = NULL;
    Result *r = NULL;
    bool *closed = NULL;
    bool ok = false;
    if (!b || !base || !idx || cg_link(tus, m, &cg) != 0)
        goto done;
    const Target *tg = target_lookup(triple ? triple : "");
    AnalysisOptions ao = {.target = tg ? tg : target_default()};
    if (analyze_run(cg, &ao, &r) != 0 || !(closed = mem_alloc_array(cg->nfuncs ? cg->nfuncs : 1, sizeof *closed)))
        goto done;
    for (uint32_t g = 0; g < cg->nfuncs; g++)
        closed[g] = cg->funcs[g].def != NULL;
    /* To a fixed point: a function is closed when every call it makes is
     * known exactly and goes to a closed function of the library. */
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t g = 0; g < cg->nfuncs; g++) {
            const CgFunc *fn = &cg->funcs[g];
            for (uint32_t e = fn->edge_begin; closed[g] && e < fn->edge_begin + fn->nedges; e++) {
                const CgEdge *ed = &cg->edges[e];
                if (ed->callee == CG_NONE || (ed->how != CG_HOW_DIRECT && ed->how != CG_HOW_SOLE) ||
                    !closed[ed->callee]) {
                    closed[g] = false;
                    changed = true;
                }
            }
        }
    }
    base[0] = 0;
    for (size_t t = 0; t < m; t++)
        base[t + 1] = base[t] + tus[t]->nfuncs;
    for (size_t i = 0; i < nf; i++)
        idx[i] = CG_NONE;
    for (uint32_t g = 0; g < cg->nfuncs; g++) {
        const CgFunc *fn = &cg->funcs[g];
        if (fn->def && fn->tu < m)
            idx[base[fn->tu] + (size_t)(fn->def - tus[fn->tu]->funcs)] = g;
    }
    size_t k = 0;
    for (size_t t = 0; t < m; t++)
        for (uint32_t f = 0; f < tus[t]->nfuncs; f++) {
            if (tus[t]->funcs[f].linkage != SUM_LINK_EXTERNAL)
                continue;
            uint32_t g = idx[base[t] + f];
            const FuncResult *fr = g != CG_NONE ? &r->funcs[g] : NULL;
            if (fr && closed[g] && fr->status <= BOUND_ESTIMATED && fr->max_stack < UINT32_MAX)
                b[k] = (SumIndexBound){(uint32_t)fr->max_stack,
                                       fr->status == BOUND_EXACT ? SUM_BOUND_EXACT : SUM_BOUND_ESTIMATED};
            k++;
        }
    ok = true;
done:
    mem_free(closed);
    result_free(r);
    cg_free(cg);
    mem_free(base);
    mem_free(idx);
    if (!ok) {
        mem_free(b);
        b = NULL;
    }
    return b;
}

int cli_summarize(const char *dir, CliParsed *parsed, const CliInput *in, size_t n, const char *triple,
                  const char *tool_version, bool own_bounds, DiagSink *diags)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (mkdir(dir, 0777) != 0) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: cannot create this folder: %s", dir, strerror(errno));
            return -1;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: not a folder", dir);
        return -1;
    }
    int rc = -1;
    TuSummary **tus = mem_calloc(n ? n : 1, sizeof *tus);
    char **files = mem_calloc(n ? n : 1, sizeof *files);
    const char **dirs = mem_calloc(n ? n : 1, sizeof *dirs);
    char *index = NULL;
    size_t m = 0;
    SumIndex old_view;
    char *old_bytes = NULL;
    const SumIndex *old = read_old_index(dir, &old_view, &old_bytes) ? &old_view : NULL;
    bool old_unreadable = !old && has_our_index(dir); /* before the new index replaces it */
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    if (!tus || !files || !dirs)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        if (parsed[i].status != FE_OK)
            continue; /* --keep-going: reported, left out */
        char name[128];
        sum_index_member_name(in[i].fo.working_dir ? in[i].fo.working_dir : cwd, in[i].path, name, sizeof name);
        /* Two inputs of one path are one file (deduplicated before): a
         * clash would take 2^64 tries. Refuse it rather than overwrite. */
        for (size_t k = 0; k < m; k++)
            if (strcmp(files[k], name) == 0) {
                diag_add(diags, DIAG_ERROR, in[i].path, 0, 0, "its summary name '%s' is taken by %s", name,
                         tus[k]->path);
                goto done;
            }
        if (!(files[m] = mem_strdup(name)))
            goto oom;
        tus[m] = parsed[i].summary;
        if (trim_member(tus[m]) != 0)
            goto oom;
        dirs[m] = in[i].fo.working_dir ? in[i].fo.working_dir : cwd;
        m++;
    }
    size_t index_len = 0;
    SumIndexBound *bounds = own_bounds ? library_bounds(tus, m, triple) : NULL;
    if (own_bounds && !bounds)
        goto oom;
    index = sum_index_to_bin(tus, (const char *const *)files, dirs, m, triple, tool_version, bounds, &index_len);
    mem_free(bounds);
    if (!index)
        goto oom;
    size_t plen = strlen(dir) + 256;
    char *path = mem_alloc(plen);
    if (!path)
        goto oom;
    char err[1024];
    /* Members first, the index last (each atomically): a run killed half
     * way leaves no index naming a file that is not there yet. */
    for (size_t k = 0; k < m; k++) {
        size_t len = 0;
        char *data = sum_to_bin(tus[k], tool_version, tus[k]->clang_version, &len);
        snprintf(path, plen, "%s/%s", dir, files[k]);
        int wr = data ? file_write_atomic(path, data, len, err, sizeof err) : -1;
        mem_free(data);
        if (!data) {
            mem_free(path);
            goto oom;
        }
        if (wr != 0) {
            diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: %s", path, err);
            mem_free(path);
            goto done;
        }
    }
    snprintf(path, plen, "%s/%s", dir, SUM_INDEX_FILE);
    if (file_write_atomic(path, index, index_len, err, sizeof err) != 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, "%s: %s", path, err);
        mem_free(path);
        goto done;
    }
    mem_free(path);
    if (old_unreadable)
        remove_stale_by_name(dir, files, m);
    else
        remove_stale(dir, old, files, m);
    rc = 0;
    goto done;
oom:
    diag_add(diags, DIAG_ERROR, NULL, 0, 0, "out of memory");
done:
    for (size_t k = 0; files && k < n; k++)
        mem_free(files[k]);
    mem_free(files);
    mem_free(tus);
    mem_free(dirs);
    mem_free(index);
    mem_free(old_bytes);
    return rc;
}
