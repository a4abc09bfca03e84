/* This file dispatches a Result to the chosen report back end and holds the
 * --fail-on bookkeeping every back end and the command line share. */
#include "report.h"

#include <string.h>

int rpt_parse_format(const char *name, ReportFormat *out)
{
    static const struct {
        const char *name;
        ReportFormat fmt;
    } formats[] = {
        {"text", RPT_TEXT},
        {"json", RPT_JSON},
        {"sarif", RPT_SARIF},
        {"dot", RPT_DOT},
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(formats[i].name, name) == 0) {
            *out = formats[i].fmt;
            return 0;
        }
    }
    return -1;
}

void rpt_default_fail_on(bool *fail_on)
{
    for (size_t i = 0; i < RULE_COUNT; i++)
        fail_on[i] = false;
    fail_on[RULE_MISSING_BASE_CASE] = true;
    fail_on[RULE_NON_CONVERGENT] = true;
    fail_on[RULE_BUDGET_EXCEEDED] = true;
}

size_t rpt_count_failing(const Result *r, const ReportOptions *opt)
{
    bool defaults[RULE_COUNT];
    const bool *fail_on = opt ? opt->fail_on : NULL;
    if (!fail_on) {
        rpt_default_fail_on(defaults);
        fail_on = defaults;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        const Finding *f = &r->findings[i];
        if (!f->suppressed && (unsigned)f->rule < RULE_COUNT && fail_on[f->rule])
            n++;
    }
    return n;
}

int rpt_write(ReportFormat fmt, const Result *r, const ReportOptions *opt, FILE *out)
{
    switch (fmt) {
    case RPT_TEXT: return rpt_write_text(r, opt, out);
    case RPT_JSON: return rpt_write_json(r, opt, out); /* element by element, an arena each */
    case RPT_SARIF: return rpt_write_sarif(r, opt, out); /* results one by one, likewise */
    case RPT_DOT: return rpt_write_dot(r, opt, out);
    }
    return -1;
}
