/* This file writes the JSON report ("stackcheck-report/1"): one
 * deterministic document over the Result, laid out by cJSON and written
 * element by element, described by reports/stackcheck-report.schema.json. */
#include "json_util.h"
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

/* Byte counts above 2^53 - 1 (saturated sums) are written as that value
 * (rpt_json_u64); their status says the figure is not a real bound. */

/* Builder state: `failed` is sticky and checked once at the end. */
typedef struct JsonCtx {
    const Result *r;
    const ReportOptions *opt;
    bool failed;
} JsonCtx;

/* Adds `item` to `parent` (an object when key is set, else an array).
 * Returns item, or NULL after recording the failure (item deleted). */
static cJSON *put(JsonCtx *j, cJSON *parent, const char *key, cJSON *item)
{
    return rpt_json_put(&j->failed, parent, key, item);
}

static cJSON *jstr(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

/* An exact unsigned integer (printed as raw text: cJSON's doubles would
 * print large values with an exponent). */
static cJSON *jnum(uint64_t v) { return rpt_json_u64(v); }

/* A 1-based line or column; null when unknown (0). */
static cJSON *jline(unsigned v) { return v ? jnum(v) : cJSON_CreateNull(); }

static cJSON *jfile(SumLoc loc) { return jstr(loc.file && loc.file[0] ? loc.file : NULL); }

/* functions[i] */
static cJSON *function_json(void *ctx, size_t i)
{
    JsonCtx *j = ctx;
    const CallGraph *cg = j->r->cg;
    const CgFunc *f = &cg->funcs[i];
    const FuncResult *fr = &j->r->funcs[i];
    cJSON *o = cJSON_CreateObject();
    put(j, o, "name", jstr(f->name));
    put(j, o, "usr", jstr(f->usr));
    put(j, o, "file", jfile(f->loc));
    put(j, o, "line", jline(f->loc.line));
    put(j, o, "column", jline(f->loc.col));
    put(j, o, "linkage", jstr(f->linkage == SUM_LINK_INTERNAL ? "internal" : "external"));
    put(j, o, "external", cJSON_CreateBool(f->def == NULL));
    put(j, o, "library", cJSON_CreateBool(f->library));
    cJSON *frame = put(j, o, "frame", cJSON_CreateObject());
    put(j, frame, "bytes", jnum(fr->frame));
    put(j, frame, "source", jstr(frame_source_name(fr->frame_src)));
    put(j, frame, "dynamic", cJSON_CreateBool(fr->dynamic));
    put(j, o, "recursive", cJSON_CreateBool(fr->recursive));
    put(j, o, "recursion_certain",
        fr->recursive ? cJSON_CreateBool(fr->recursion_certain) : cJSON_CreateNull());
    cJSON *ms = put(j, o, "max_stack", cJSON_CreateObject());
    put(j, ms, "bytes", jnum(fr->max_stack));
    put(j, ms, "status", jstr(bound_status_name(fr->status)));
    cJSON *calls = put(j, o, "calls", cJSON_CreateArray());
    for (uint32_t e = f->edge_begin; e < f->edge_begin + f->nedges && !j->failed; e++) {
        const CgEdge *edge = &cg->edges[e];
        cJSON *c = put(j, calls, NULL, cJSON_CreateObject());
        put(j, c, "callee", jstr(edge->callee == CG_NONE ? NULL : cg->funcs[edge->callee].name));
        SumLoc loc = edge->call ? edge->call->loc : (SumLoc){0};
        put(j, c, "file", jfile(loc));
        put(j, c, "line", jline(loc.line));
        put(j, c, "column", jline(loc.col));
        put(j, c, "indirect", cJSON_CreateBool(edge->call && edge->call->kind == SUM_CALL_INDIRECT));
        put(j, c, "certain", cJSON_CreateBool(edge->certain));
    }
    return o;
}

/* entries[i], with its deepest path (walked here, not stored). */
static cJSON *entry_json(void *ctx, size_t i)
{
    JsonCtx *j = ctx;
    const CallGraph *cg = j->r->cg;
    const EntryResult *e = &j->r->entries[i];
    const CgFunc *f = &cg->funcs[e->func];
    cJSON *o = cJSON_CreateObject();
    put(j, o, "function", jstr(f->name));
    put(j, o, "file", jfile(f->loc));
    put(j, o, "line", jline(f->loc.line));
    put(j, o, "bytes", jnum(e->bytes));
    put(j, o, "status", jstr(bound_status_name(e->status)));
    if (e->has_budget) {
        put(j, o, "budget", jnum(e->budget));
        put(j, o, "budget_state", jstr(budget_state_name(e->budget_state)));
    }
    static const char *const kinds[] = {"main", "root", "user", "thread", "interrupt"};
    if ((size_t)e->kind < sizeof kinds / sizeof kinds[0])
        put(j, o, "kind", jstr(kinds[e->kind]));
    cJSON *path = put(j, o, "path", cJSON_CreateArray());
    PathStep steps[SC_MAX_PATH_STEPS];
    uint32_t nsteps = result_entry_path(j->r, e, steps);
    for (uint32_t k = 0; k < nsteps && !j->failed; k++) {
        const PathStep *st = &steps[k];
        const CgFunc *sf = &cg->funcs[st->func];
        cJSON *s = put(j, path, NULL, cJSON_CreateObject());
        put(j, s, "function", jstr(sf->name));
        put(j, s, "file", jfile(sf->loc));
        put(j, s, "line", jline(sf->loc.line));
        put(j, s, "frame_bytes", jnum(st->frame));
        put(j, s, "call_file", jfile(st->call));
        put(j, s, "call_line", jline(st->call.line));
        if (st->repeat)
            put(j, s, "repeat", cJSON_CreateTrue());
    }
    if (e->path_truncated)
        put(j, o, "path_truncated", cJSON_CreateTrue());
    /* reasons[] stays the strings it always was (tools read it); fixes[]
     * is parallel to it, one object per reason with what settles it. */
    cJSON *reasons = put(j, o, "reasons", cJSON_CreateArray());
    for (uint32_t k = 0; k < e->nreasons && !j->failed; k++)
        put(j, reasons, NULL, jstr(e->reasons[k]->text));
    cJSON *fixes = put(j, o, "fixes", cJSON_CreateArray());
    for (uint32_t k = 0; k < e->nreasons && !j->failed; k++) {
        cJSON *fo = put(j, fixes, NULL, cJSON_CreateObject());
        put(j, fo, "reason", jstr(e->reasons[k]->text));
        put(j, fo, "kind", jstr(reason_kind_name(e->reasons[k]->kind)));
        put(j, fo, "fix", jstr(e->reasons[k]->fix));
    }
    return o;
}

/* findings[i] */
static cJSON *finding_json(void *ctx, size_t i)
{
    JsonCtx *j = ctx;
    const Finding *f = &j->r->findings[i];
    SumLoc end = f->end.line ? f->end : f->loc;
    cJSON *o = cJSON_CreateObject();
    put(j, o, "rule", jstr(rule_table[f->rule].id));
    put(j, o, "severity", jstr(rule_severity_name(f->severity)));
    put(j, o, "function", jstr(f->function));
    put(j, o, "file", jfile(f->loc));
    put(j, o, "line", jline(f->loc.line));
    put(j, o, "column", jline(f->loc.col));
    put(j, o, "end_line", jline(end.line));
    put(j, o, "end_column", jline(end.col));
    put(j, o, "message", jstr(f->message));
    put(j, o, "suppressed", cJSON_CreateBool(f->suppressed));
    if (f->has_certain)
        put(j, o, "certain", cJSON_CreateBool(f->certain));
    if (f->fix)
        put(j, o, "fix", jstr(f->fix));
    cJSON *rel = put(j, o, "related", cJSON_CreateArray());
    for (uint32_t k = 0; k < f->nrelated && !j->failed; k++) {
        const ResRelated *rr = &f->related[k];
        cJSON *ro = put(j, rel, NULL, cJSON_CreateObject());
        put(j, ro, "function", jstr(rr->function));
        put(j, ro, "file", jfile(rr->loc));
        put(j, ro, "line", jline(rr->loc.line));
        put(j, ro, "column", jline(rr->loc.col));
        put(j, ro, "message", jstr(rr->message));
    }
    return o;
}

/* What got worse since --baseline (empty without one). */
static cJSON *regression_json(void *ctx, size_t i)
{
    JsonCtx *j = ctx;
    const Regression *g = &j->r->regressions[i];
    cJSON *o = cJSON_CreateObject();
    bool grew = g->kind == REGRESSION_BOUND_GREW;
    put(j, o, "kind", jstr(grew ? "bound-grew" : "new-finding"));
    put(j, o, "function", jstr(g->function));
    put(j, o, "file", jfile(g->loc));
    put(j, o, "line", jline(g->loc.line));
    put(j, o, "message", jstr(g->message));
    if (grew) {
        put(j, o, "old_bytes", jnum(g->old_bytes));
        put(j, o, "new_bytes", jnum(g->new_bytes));
        /* Growth in percent, one decimal; null when the old bound was 0. */
        double pct = g->old_bytes && g->new_bytes > g->old_bytes
                         ? (double)(g->new_bytes - g->old_bytes) * 100.0 / (double)g->old_bytes
                         : 0.0;
        char buf[64];
        snprintf(buf, sizeof buf, "%.1f", pct);
        put(j, o, "growth_percent", g->old_bytes ? cJSON_CreateRaw(buf) : cJSON_CreateNull());
        put(j, o, "old_status", jstr(bound_status_name(g->old_status)));
        put(j, o, "new_status", jstr(bound_status_name(g->new_status)));
    } else {
        put(j, o, "rule", jstr(g->rule));
    }
    return o;
}

/* The document is written as it is built, one element of each big array
 * at a time (a million functions were 15 GB of cJSON nodes as one tree);
 * rpt_json_emit_at keeps the bytes those cJSON_Print gives for the whole
 * tree. */
typedef struct Writer {
    JsonCtx *j;
    FILE *out;
    bool first_key; /* no root key written yet */
} Writer;

/* Writes `item` as a root member's value and deletes it. */
static void emit(Writer *w, cJSON *item, int depth)
{
    if (w->j->failed) {
        cJSON_Delete(item);
        return;
    }
    if (rpt_json_emit_at(item, depth, w->out) != 0)
        w->j->failed = true;
}

/* Starts the root member `key` (a fixed ASCII name: no escaping). */
static void key(Writer *w, const char *name)
{
    fputs(w->first_key ? "{\n\t\"" : ",\n\t\"", w->out);
    fputs(name, w->out);
    fputs("\":\t", w->out);
    w->first_key = false;
}

/* The root member `name`: an array of n elements, each built by `make`. */
static void emit_array(Writer *w, const char *name, size_t n, RptJsonMake make)
{
    key(w, name);
    rpt_json_stream_array(w->out, 2, n, make, w->j, &w->j->failed);
}

int rpt_write_json(const Result *r, const ReportOptions *opt, FILE *out)
{
    JsonCtx j = {r, opt, false};
    Writer w = {&j, out, true};
    key(&w, "schema");
    emit(&w, jstr("stackcheck-report/1"), 1);
    cJSON *tool = cJSON_CreateObject();
    put(&j, tool, "name", jstr("stackcheck"));
    put(&j, tool, "version", jstr(opt && opt->tool_version ? opt->tool_version : ""));
    put(&j, tool, "libclang", jstr(opt && opt->clang_version ? opt->clang_version : ""));
    key(&w, "tool");
    emit(&w, tool, 1);
    key(&w, "target");
    emit(&w, jstr(r->target ? r->target->triple : NULL), 1);
    cJSON *inputs = cJSON_CreateArray();
    for (size_t i = 0; opt && i < opt->ninputs && !j.failed; i++)
        put(&j, inputs, NULL, jstr(opt->inputs[i]));
    key(&w, "inputs");
    emit(&w, inputs, 1);
    key(&w, "incomplete_inputs");
    emit(&w, cJSON_CreateBool(r->incomplete_inputs), 1);
    emit_array(&w, "functions", r->cg->nfuncs, function_json);
    emit_array(&w, "entries", r->nentries, entry_json);
    emit_array(&w, "findings", r->nfindings, finding_json);
    emit_array(&w, "regressions", r->nregressions, regression_json);
    size_t count[3] = {0, 0, 0};
    for (size_t i = 0; i < r->nfindings; i++) {
        const Finding *f = &r->findings[i];
        if (!f->suppressed && (unsigned)f->severity < 3)
            count[f->severity]++;
    }
    cJSON *sum = cJSON_CreateObject();
    put(&j, sum, "errors", jnum(count[SEV_ERROR]));
    put(&j, sum, "warnings", jnum(count[SEV_WARNING]));
    put(&j, sum, "notes", jnum(count[SEV_NOTE]));
    put(&j, sum, "failed", cJSON_CreateBool(rpt_count_failing(r, opt) > 0));
    key(&w, "summary");
    emit(&w, sum, 1);
    fputs("\n}\n", out);
    return j.failed ? -1 : 0;
}
