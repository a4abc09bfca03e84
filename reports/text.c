/* This file writes the text report: findings in the compiler's format,
 * then the table of entry points with their worst-case stack and path. */
#include "report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "util/diag.h"
#include "util/mem.h"

/* A growable NUL-terminated string; `failed` is sticky. */
typedef struct StrBuf {
    char *s;
    size_t n, cap;
    bool failed;
} StrBuf;

static void sb_addf(StrBuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void sb_addf(StrBuf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0) {
        b->failed = true;
        return;
    }
    size_t need = b->n + (size_t)len + 1;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need)
            cap *= 2;
        char *s = mem_realloc(b->s, cap);
        if (!s) {
            b->failed = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
}

/* Prints "file:line:col: " (nothing when the location has no file). */
static void print_loc(FILE *out, SumLoc loc)
{
    if (!loc.file || !loc.file[0]) {
        fputs("stackcheck: ", out);
        return;
    }
    char buf[4096];
    diag_format_loc(buf, sizeof buf, loc.file, loc.line, loc.col);
    fprintf(out, "%s: ", buf);
}

/* Returns how many findings were shown. */
static size_t print_findings(const Result *r, FILE *out)
{
    size_t shown = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        const Finding *f = &r->findings[i];
        if (f->suppressed)
            continue;
        shown++;
        print_loc(out, f->loc);
        fprintf(out, "%s: %s [%s]\n", rule_severity_name(f->severity), f->message,
                rule_table[f->rule].id);
        for (uint32_t k = 0; k < f->nrelated; k++) {
            print_loc(out, f->related[k].loc);
            fprintf(out, "note: %s\n", f->related[k].message);
        }
    }
    return shown;
}

static bool is_lower_bound(BoundStatus s) { return s == BOUND_INCOMPLETE || s == BOUND_UNBOUNDED; }

static void add_bytes(StrBuf *b, uint64_t bytes, bool lower)
{
    sb_addf(b, "%s%" PRIu64 " B", lower ? ">= " : "", bytes);
}

/* One row of the entry table, each cell a string. */
enum { COL_ENTRY, COL_BYTES, COL_STATUS, COL_BUDGET, COL_PATH, NCOLS };

static void print_padded(FILE *out, const char *s, size_t width)
{
    size_t len = strlen(s);
    fputs(s, out);
    for (; len < width; len++)
        fputc(' ', out);
}

static int print_entries(const Result *r, FILE *out)
{
    static const char *const heads[NCOLS] = {"entry", "worst stack", "status", "budget",
                                             "deepest path"};
    const CallGraph *cg = r->cg;
    int rc = -1;
    bool any_budget = false;
    for (size_t i = 0; i < r->nentries; i++)
        any_budget |= r->entries[i].has_budget;

    StrBuf *cells = mem_calloc(r->nentries ? r->nentries * NCOLS : 1, sizeof *cells);
    if (!cells)
        return -1;
    size_t width[NCOLS];
    for (int c = 0; c < NCOLS; c++)
        width[c] = strlen(heads[c]);

    for (size_t i = 0; i < r->nentries; i++) {
        const EntryResult *e = &r->entries[i];
        StrBuf *row = &cells[i * NCOLS];
        sb_addf(&row[COL_ENTRY], "%s%s", cg->funcs[e->func].name,
                e->kind == ENTRY_THREAD ? " (thread)" : e->kind == ENTRY_INTERRUPT ? " (interrupt)" : "");
        add_bytes(&row[COL_BYTES], e->bytes, is_lower_bound(e->status));
        sb_addf(&row[COL_STATUS], "%s", bound_status_name(e->status));
        if (e->has_budget) {
            /* The verdict beside the figure: only "fits" is a proof. */
            add_bytes(&row[COL_BUDGET], e->budget, false);
            if (e->budget_state != BUDGET_NONE)
                sb_addf(&row[COL_BUDGET], " %s", budget_state_name(e->budget_state));
        } else
            sb_addf(&row[COL_BUDGET], "-");
        sb_addf(&row[COL_PATH], "%s", "");
        PathStep steps[SC_MAX_PATH_STEPS];
        uint32_t nsteps = result_entry_path(r, e, steps);
        for (uint32_t k = 0; k < nsteps; k++) {
            const PathStep *st = &steps[k];
            if (st->repeat) /* the cycle closes: its frames are counted once above */
                sb_addf(&row[COL_PATH], " -> %s ...", cg->funcs[st->func].name);
            else
                sb_addf(&row[COL_PATH], "%s%s (%" PRIu64 ")", k ? " -> " : "",
                        cg->funcs[st->func].name, st->frame);
        }
        if (e->path_truncated)
            sb_addf(&row[COL_PATH], " -> ... (path truncated)");
        for (int c = 0; c < NCOLS; c++) {
            if (row[c].failed)
                goto done;
            if (row[c].n > width[c])
                width[c] = row[c].n;
        }
    }

    for (int c = 0; c < NCOLS; c++) {
        if (c == COL_BUDGET && !any_budget)
            continue;
        if (c == COL_PATH) {
            fprintf(out, "%s\n", heads[c]);
        } else {
            print_padded(out, heads[c], width[c]);
            fputs("  ", out);
        }
    }
    for (size_t i = 0; i < r->nentries; i++) {
        const EntryResult *e = &r->entries[i];
        StrBuf *row = &cells[i * NCOLS];
        for (int c = 0; c < NCOLS; c++) {
            if (c == COL_BUDGET && !any_budget)
                continue;
            if (c == COL_PATH) {
                fprintf(out, "%s\n", row[c].s);
            } else {
                print_padded(out, row[c].s, width[c]);
                fputs("  ", out);
            }
        }
        if (e->status != BOUND_EXACT && e->status != BOUND_ESTIMATED && e->nreasons) {
            print_padded(out, "", width[COL_ENTRY] + 2);
            fputs("reasons: ", out);
            for (uint32_t k = 0; k < e->nreasons; k++)
                fprintf(out, "%s%s", k ? "; " : "", e->reasons[k]->text);
            fputc('\n', out);
        }
    }
    if (r->has_stack_check) {
        const char *tn = r->stack_task_entry < r->nentries
                             ? cg->funcs[r->entries[r->stack_task_entry].func].name : "none";
        const char *in = r->stack_irq_entry < r->nentries
                             ? cg->funcs[r->entries[r->stack_irq_entry].func].name : "none";
        /* A total made of lower bounds fits only as far as it is known. */
        bool lower = is_lower_bound(r->stack_status);
        bool unverified = r->stack_state == BUDGET_UNVERIFIED;
        const char *verdict = r->stack_state == BUDGET_EXCEEDS ? "exceeded"
                              : unverified ? "unverified: fits as far as known, the total is a lower bound ("
                              : "fits";
        fprintf(out, "stack: %s %" PRIu64 " + %" PRIu64 " x %s %" PRIu64 " + exception frame %" PRIu64
                     " = %s%" PRIu64 " B of %" PRIu64 " B (%s%s%s)\n",
                tn, r->stack_task, r->stack_nesting, in, r->stack_irq, r->stack_exception,
                lower ? "at least " : "", r->stack_total, r->stack_size, verdict,
                unverified ? bound_status_name(r->stack_status) : "", unverified ? ")" : "");
    }
    /* What settles each reason, once for the run however many entries
     * share it (Result.reasons). */
    if (r->nreasons)
        fputc('\n', out);
    for (size_t i = 0; i < r->nreasons; i++)
        fprintf(out, r->reasons[i]->kind == REASON_DEPTH ? "note: %s; %s\n" : "note: %s; to settle it: %s\n",
                r->reasons[i]->text, r->reasons[i]->fix);
    rc = 0;
done:
    for (size_t i = 0; i < r->nentries * NCOLS; i++)
        mem_free(cells[i].s);
    mem_free(cells);
    return rc;
}

static void print_count(FILE *out, size_t n, const char *what, bool *first)
{
    if (!n)
        return;
    fprintf(out, "%s%zu %s%s", *first ? "" : ", ", n, what, n == 1 ? "" : "s");
    *first = false;
}

static void print_summary(const Result *r, const ReportOptions *opt, FILE *out)
{
    size_t count[3] = {0, 0, 0};
    for (size_t i = 0; i < r->nfindings; i++)
        if (!r->findings[i].suppressed && (unsigned)r->findings[i].severity < 3)
            count[r->findings[i].severity]++;
    bool first = true;
    print_count(out, count[SEV_ERROR], "error", &first);
    print_count(out, count[SEV_WARNING], "warning", &first);
    print_count(out, count[SEV_NOTE], "note", &first);
    fputs(first ? "no findings\n" : "\n", out);
    if (r->incomplete_inputs)
        fputs("some input files were not analyzed: every bound is a lower bound\n", out);

    size_t nfail = rpt_count_failing(r, opt);
    if (!nfail)
        return;
    bool defaults[RULE_COUNT];
    const bool *fail_on = opt ? opt->fail_on : NULL;
    if (!fail_on) {
        rpt_default_fail_on(defaults);
        fail_on = defaults;
    }
    bool seen[RULE_COUNT] = {false};
    for (size_t i = 0; i < r->nfindings; i++) {
        const Finding *f = &r->findings[i];
        if (!f->suppressed && fail_on[f->rule])
            seen[f->rule] = true;
    }
    fprintf(out, "%zu finding%s the run (", nfail, nfail == 1 ? " fails" : "s fail");
    first = true;
    for (size_t k = 0; k < RULE_COUNT; k++) {
        if (!seen[k])
            continue;
        fprintf(out, "%s%s", first ? "" : ", ", rule_table[k].id);
        first = false;
    }
    fputs("); exit 1\n", out);
}

int rpt_write_text(const Result *r, const ReportOptions *opt, FILE *out)
{
    size_t shown = print_findings(r, out);
    if (opt && opt->quiet)
        return 0;
    if (shown)
        fputc('\n', out);
    if (r->nentries) {
        if (print_entries(r, out) != 0)
            return -1;
        fputc('\n', out);
    }
    print_summary(r, opt, out);
    return 0;
}
