/* libFuzzer target: the summary reader (the input of `stackcheck link` and
 * the cache) must refuse or accept any bytes safely; what it accepts must be
 * internally consistent. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "summary/json_alloc.h"
#include "summary/summary_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* As in stackcheck: cJSON's tree comes from an arena while a summary is read. */
    static int hooks;
    if (!hooks) {
        json_alloc_install();
        hooks = 1;
    }
    TuSummary *s = NULL;
    char err[256];
    if (sum_from_json((const char *)data, size, "fuzz", &s, err, sizeof err) != 0)
        return 0;
    for (uint32_t i = 0; i < s->nfuncs; i++) {
        const SumFunction *f = &s->funcs[i];
        for (uint32_t b = 0; b < f->nblocks; b++)
            for (uint32_t e = 0; e < f->blocks[b].nsucc; e++)
                if (f->succ[f->blocks[b].succ_begin + e] >= f->nblocks)
                    abort();
        for (uint32_t c = 0; c < f->ncalls; c++) {
            if (f->calls[c].block >= f->nblocks)
                abort();
            for (uint32_t a = 0; a < f->calls[c].nargs; a++)
                if (f->calls[c].args[a].param >= (int32_t)f->nparams)
                    abort();
        }
    }
    sum_free(s);
    return 0;
}
