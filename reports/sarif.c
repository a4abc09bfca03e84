/* This file writes the SARIF 2.1.0 report: the rule table as
 * tool.driver.rules, each finding as a result with its call chain as
 * relatedLocations, paths relative to %SRCROOT%. */
#define _XOPEN_SOURCE 700 /* getcwd */
#include "json_util.h"
#include "report.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "util/mem.h"

/* Bytes of a path buffer (Linux PATH_MAX; <limits.h> is shadowed by
 * analyzer/limits.h on the include path). */
#define SARIF_PATH_MAX 4096

typedef struct SarifCtx {
    const Result *r;
    char root[SARIF_PATH_MAX + 1]; /* source root folder, absolute, ends with '/' */
    bool failed;             /* sticky */
} SarifCtx;

static cJSON *put(SarifCtx *s, cJSON *parent, const char *key, cJSON *item)
{
    return rpt_json_put(&s->failed, parent, key, item);
}

static cJSON *jnum(uint64_t v) { return rpt_json_u64(v); }

static cJSON *jtext(const char *text)
{
    cJSON *o = cJSON_CreateObject();
    if (o && !cJSON_AddStringToObject(o, "text", text ? text : "")) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static const char *level_name(Severity s)
{
    switch (s) {
    case SEV_NOTE: return "note";
    case SEV_WARNING: return "warning";
    case SEV_ERROR: return "error";
    }
    return "error";
}

/* Percent-encodes `path` into a URI reference (unreserved characters and
 * '/' kept). Returns a new string (mem_free) or NULL. */
static char *uri_encode(const char *prefix, const char *path)
{
    size_t plen = strlen(prefix), n = strlen(path);
    if (n > (SIZE_MAX - plen - 1) / 3)
        return NULL;
    char *buf = mem_alloc(plen + n * 3 + 1);
    if (!buf)
        return NULL;
    memcpy(buf, prefix, plen);
    char *p = buf + plen;
    for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr("-._~/", *c)) {
            *p++ = (char)*c;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            *p++ = '%';
            *p++ = hex[*c >> 4];
            *p++ = hex[*c & 15];
        }
    }
    *p = '\0';
    return buf;
}

/* An artifactLocation for `file`: relative to %SRCROOT% when the path is
 * relative or under the root, an absolute file:// URI otherwise. */
static cJSON *artifact(SarifCtx *s, const char *file)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    const char *rel = file;
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    size_t rlen = strlen(s->root);
    bool under = file[0] != '/' || (strncmp(file, s->root, rlen) == 0);
    if (file[0] == '/' && under)
        rel = file + rlen;
    char *uri = under ? uri_encode("", rel) : uri_encode("file://", file);
    if (!uri || !cJSON_AddStringToObject(o, "uri", uri) ||
        (under && !cJSON_AddStringToObject(o, "uriBaseId", "%SRCROOT%"))) {
        mem_free(uri);
        cJSON_Delete(o);
        return NULL;
    }
    mem_free(uri);
    return o;
}

/* A location object for `loc`, or an empty object when it has no file. */
static cJSON *location(SarifCtx *s, SumLoc loc, SumLoc end, const char *function)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (loc.file && loc.file[0]) {
        cJSON *phys = put(s, o, "physicalLocation", cJSON_CreateObject());
        put(s, phys, "artifactLocation", artifact(s, loc.file));
        if (loc.line) {
            cJSON *region = put(s, phys, "region", cJSON_CreateObject());
            put(s, region, "startLine", jnum(loc.line));
            if (loc.col)
                put(s, region, "startColumn", jnum(loc.col));
            if (end.line >= loc.line && end.line) {
                put(s, region, "endLine", jnum(end.line));
                if (end.col && (end.line > loc.line || end.col >= loc.col))
                    put(s, region, "endColumn", jnum(end.col));
            }
        }
    }
    if (function) {
        cJSON *logs = put(s, o, "logicalLocations", cJSON_CreateArray());
        cJSON *lg = put(s, logs, NULL, cJSON_CreateObject());
        put(s, lg, "name", cJSON_CreateString(function));
        put(s, lg, "kind", cJSON_CreateString("function"));
    }
    return o;
}

/* FNV-1a 64 over the parts that identify a finding across commits: rule,
 * function, file and message (not the line, which moves with edits). */
static uint64_t fnv(uint64_t h, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        h ^= *c;
        h *= UINT64_C(1099511628211);
    }
    h ^= 0xff; /* field separator */
    h *= UINT64_C(1099511628211);
    return h;
}

static void put_rules(SarifCtx *s, cJSON *driver)
{
    cJSON *rules = put(s, driver, "rules", cJSON_CreateArray());
    for (size_t i = 0; i < RULE_COUNT && !s->failed; i++) {
        const RuleInfo *ri = &rule_table[i];
        cJSON *o = put(s, rules, NULL, cJSON_CreateObject());
        put(s, o, "id", cJSON_CreateString(ri->id));
        put(s, o, "shortDescription", jtext(ri->short_desc));
        put(s, o, "fullDescription", jtext(ri->help));
        put(s, o, "help", jtext(ri->help));
        cJSON *conf = put(s, o, "defaultConfiguration", cJSON_CreateObject());
        put(s, conf, "level", cJSON_CreateString(level_name(ri->severity)));
    }
}

/* With --baseline: is finding f one of the regressions (new since then)? */
static bool finding_is_new(const Result *r, const Finding *f)
{
    if (f->rule == RULE_REGRESSION)
        return true;
    for (size_t i = 0; i < r->nregressions; i++) {
        const Regression *g = &r->regressions[i];
        if (g->kind == REGRESSION_NEW_FINDING && g->message == f->message && g->loc.line == f->loc.line &&
            strcmp(g->rule, rule_table[f->rule].id) == 0)
            return true;
    }
    return false;
}

/* results[i] */
static cJSON *result_json(void *ctx, size_t i)
{
    SarifCtx *s = ctx;
    const Finding *f = &s->r->findings[i];
    cJSON *o = cJSON_CreateObject();
    put(s, o, "ruleId", cJSON_CreateString(rule_table[f->rule].id));
    put(s, o, "ruleIndex", jnum((uint64_t)f->rule));
    put(s, o, "level", cJSON_CreateString(level_name(f->severity)));
    put(s, o, "message", jtext(f->message));
    cJSON *locs = put(s, o, "locations", cJSON_CreateArray());
    put(s, locs, NULL, location(s, f->loc, f->end, f->function));
    if (f->nrelated) {
        cJSON *rel = put(s, o, "relatedLocations", cJSON_CreateArray());
        for (uint32_t k = 0; k < f->nrelated && !s->failed; k++) {
            const ResRelated *rr = &f->related[k];
            cJSON *lo = put(s, rel, NULL, location(s, rr->loc, (SumLoc){0}, rr->function));
            put(s, lo, "id", jnum(k + 1));
            put(s, lo, "message", jtext(rr->message));
        }
    }
    uint64_t h = UINT64_C(14695981039346656037);
    h = fnv(h, rule_table[f->rule].id);
    h = fnv(h, f->function);
    h = fnv(h, f->loc.file);
    /* A cycle's message names its size and one chain, which change when the
     * cycle grows or shrinks: its fingerprint is the cycle's kind instead. */
    if (f->has_certain)
        h = fnv(h, f->certain ? "certain" : "possible");
    else
        h = fnv(h, f->message);
    char hex[17];
    snprintf(hex, sizeof hex, "%016" PRIx64, h);
    cJSON *fp = put(s, o, "partialFingerprints", cJSON_CreateObject());
    put(s, fp, "stackcheckFinding/v1", cJSON_CreateString(hex));
    if (s->r->has_baseline)
        put(s, o, "baselineState", cJSON_CreateString(finding_is_new(s->r, f) ? "new" : "unchanged"));
    /* What settles a gap goes in the property bag, not in result.fixes:
     * a SARIF fix is artifactChanges, byte regions to replace that a
     * viewer may apply as they are, and ours are a stackcheck.json member
     * (a file stackcheck does not read the layout of, and may not exist)
     * or a comment whose figure (N, BYTES) or names (f, g) only the user
     * knows. Applied blindly, either would prove a bound that is not one. */
    const EntryResult *e = f->entry && f->entry <= s->r->nentries ? &s->r->entries[f->entry - 1] : NULL;
    if (f->has_certain || f->fix || (e && e->nreasons)) {
        cJSON *props = put(s, o, "properties", cJSON_CreateObject());
        if (f->has_certain)
            put(s, props, "certain", cJSON_CreateBool(f->certain));
        if (f->fix)
            put(s, props, "fix", cJSON_CreateString(f->fix));
        if (e && e->nreasons) {
            cJSON *fixes = put(s, props, "fixes", cJSON_CreateArray());
            for (uint32_t k = 0; k < e->nreasons && !s->failed; k++) {
                cJSON *fo = put(s, fixes, NULL, cJSON_CreateObject());
                put(s, fo, "reason", cJSON_CreateString(e->reasons[k]->text));
                put(s, fo, "kind", cJSON_CreateString(reason_kind_name(e->reasons[k]->kind)));
                put(s, fo, "fix", cJSON_CreateString(e->reasons[k]->fix));
            }
        }
    }
    if (f->suppressed) {
        cJSON *sup = put(s, o, "suppressions", cJSON_CreateArray());
        cJSON *so = put(s, sup, NULL, cJSON_CreateObject());
        put(s, so, "kind", cJSON_CreateString("external"));
    }
    if (s->failed) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Stands for run.results in the printed skeleton: a control character,
 * which cJSON escapes inside every string, so it is found nowhere else. */
#define RESULTS_MARK "\x01"

/* Prints the skeleton `doc` (deleted here) with the results streamed in
 * place of its RESULTS_MARK, one finding at a time: a million findings do
 * not become one tree. The bytes are those cJSON_Print gives for the
 * whole document. */
static int emit_with_results(SarifCtx *s, cJSON *doc, FILE *out)
{
    char *text = s->failed ? NULL : cJSON_Print(doc);
    cJSON_Delete(doc);
    char *mark = text ? strstr(text, RESULTS_MARK) : NULL;
    if (!mark) {
        cJSON_free(text);
        return -1;
    }
    /* The elements' members sit one level deeper than the key's line. */
    const char *line = mark;
    while (line > text && line[-1] != '\n')
        line--;
    int depth = 0;
    while (line[depth] == '\t')
        depth++;
    fwrite(text, 1, (size_t)(mark - text), out);
    rpt_json_stream_array(out, depth + 1, s->r->nfindings, result_json, s, &s->failed);
    fputs(mark + strlen(RESULTS_MARK), out);
    fputc('\n', out);
    cJSON_free(text);
    return s->failed ? -1 : 0;
}

int rpt_write_sarif(const Result *r, const ReportOptions *opt, FILE *out)
{
    SarifCtx s = {.r = r};
    const char *root = opt ? opt->srcroot : NULL;
    char cwd[SARIF_PATH_MAX];
    if (!root)
        root = getcwd(cwd, sizeof cwd) ? cwd : "/";
    size_t len = strlen(root);
    if (len + 2 > sizeof s.root)
        return -1;
    memcpy(s.root, root, len + 1);
    if (len == 0 || s.root[len - 1] != '/')
        strcat(s.root, "/");

    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return -1;
    put(&s, doc, "$schema", cJSON_CreateString("https://json.schemastore.org/sarif-2.1.0.json"));
    put(&s, doc, "version", cJSON_CreateString("2.1.0"));
    cJSON *runs = put(&s, doc, "runs", cJSON_CreateArray());
    cJSON *run = put(&s, runs, NULL, cJSON_CreateObject());
    cJSON *tool = put(&s, run, "tool", cJSON_CreateObject());
    cJSON *driver = put(&s, tool, "driver", cJSON_CreateObject());
    put(&s, driver, "name", cJSON_CreateString("stackcheck"));
    put(&s, driver, "version", cJSON_CreateString(opt && opt->tool_version ? opt->tool_version : "0"));
    put_rules(&s, driver);
    char *rooturi = uri_encode("file://", s.root);
    cJSON *bases = put(&s, run, "originalUriBaseIds", cJSON_CreateObject());
    cJSON *srcroot = put(&s, bases, "%SRCROOT%", cJSON_CreateObject());
    put(&s, srcroot, "uri", rooturi ? cJSON_CreateString(rooturi) : NULL);
    mem_free(rooturi);
    put(&s, run, "results", cJSON_CreateRaw(RESULTS_MARK));
    cJSON *inv = put(&s, run, "invocations", cJSON_CreateArray());
    cJSON *io = put(&s, inv, NULL, cJSON_CreateObject());
    put(&s, io, "executionSuccessful", cJSON_CreateBool(!r->incomplete_inputs));

    return emit_with_results(&s, doc, out);
}
