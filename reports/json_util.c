/* This file holds the cJSON helpers shared by the JSON and SARIF reports. */
#include "json_util.h"

#include <inttypes.h>
#include <stdio.h>

cJSON *rpt_json_put(bool *failed, cJSON *parent, const char *key, cJSON *item)
{
    if (!item || !parent) {
        cJSON_Delete(item);
        *failed = true;
        return NULL;
    }
    cJSON_bool ok = key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item);
    if (!ok) {
        cJSON_Delete(item);
        *failed = true;
        return NULL;
    }
    return item;
}

cJSON *rpt_json_u64(uint64_t v)
{
    char buf[32];
    if (v > RPT_JSON_MAX_SAFE_INT)
        v = RPT_JSON_MAX_SAFE_INT;
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    return cJSON_CreateRaw(buf);
}

int rpt_json_emit(cJSON *doc, bool failed, FILE *out)
{
    char *text = failed ? NULL : cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        return -1;
    fputs(text, out);
    fputc('\n', out);
    cJSON_free(text);
    return 0;
}
