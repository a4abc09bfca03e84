/* Rule ids and severities, generated from rules.def. */
#ifndef STACKCHECK_CORE_RULES_H
#define STACKCHECK_CORE_RULES_H

#include <stddef.h>

typedef enum Severity { SEV_NOTE, SEV_WARNING, SEV_ERROR } Severity;

typedef enum RuleId {
#define RULE(e, id, sev, short_desc, help) e,
#include "core/rules.def"
#undef RULE
    RULE_COUNT
} RuleId;

typedef struct RuleInfo {
    const char *id;         /* "missing-base-case" */
    Severity severity;      /* default severity */
    const char *short_desc; /* one line, lower case, no period */
    const char *help;       /* a paragraph */
} RuleInfo;

/* The rule table, RULE_COUNT entries, in rules.def order. */
extern const RuleInfo rule_table[RULE_COUNT];

/* Returns the rule whose id is `id`, or RULE_COUNT when none. */
RuleId rule_from_id(const char *id);

/* "note", "warning", "error". */
const char *rule_severity_name(Severity s);

#endif
