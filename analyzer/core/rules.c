/* This file holds the rule table generated from rules.def. */
#include "core/rules.h"

#include <string.h>

const RuleInfo rule_table[RULE_COUNT] = {
#define RULE(e, id, sev, short_desc, help) [e] = {id, sev, short_desc, help},
#include "core/rules.def"
#undef RULE
};

RuleId rule_from_id(const char *id)
{
    for (size_t i = 0; i < RULE_COUNT; i++)
        if (strcmp(rule_table[i].id, id) == 0)
            return (RuleId)i;
    return RULE_COUNT;
}

const char *rule_severity_name(Severity s)
{
    switch (s) {
    case SEV_NOTE: return "note";
    case SEV_WARNING: return "warning";
    case SEV_ERROR: return "error";
    }
    return "error";
}
