/* This file holds the cJSON helpers shared by the JSON and SARIF reports. */
#include "json_util.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "summary/json_alloc.h"
#include "util/arena.h"

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

int rpt_json_emit_at(cJSON *item, int depth, FILE *out)
{
    char *text = item ? cJSON_Print(item) : NULL;
    cJSON_Delete(item);
    if (!text)
        return -1;
    static const char tabs[] = "\t\t\t\t\t\t\t\t";
    if (depth < 0 || (size_t)depth >= sizeof tabs)
        depth = (int)sizeof tabs - 1;
    const char *p = text;
    for (const char *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
        fwrite(p, 1, (size_t)(nl - p) + 1, out);
        fwrite(tabs, 1, (size_t)depth, out);
    }
    fputs(p, out);
    cJSON_free(text);
    return 0;
}

void rpt_json_stream_array(FILE *out, int depth, size_t n, RptJsonMake make, void *ctx,
                           bool *failed)
{
    if (*failed)
        return;
    fputc('[', out);
    for (size_t i = 0; i < n && !*failed; i++) {
        if (i)
            fputs(", ", out);
        Arena a;
        arena_init(&a);
        json_alloc_begin(&a);
        if (rpt_json_emit_at(make(ctx, i), depth, out) != 0)
            *failed = true;
        json_alloc_end();
        arena_fini(&a);
    }
    fputc(']', out);
}
