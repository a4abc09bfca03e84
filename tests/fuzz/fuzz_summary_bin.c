/* libFuzzer target: the binary summary reader (the cache's entries and
 * `stackcheck link`'s .scs input) must refuse or accept any bytes safely;
 * what it accepts must be internally consistent, and its JSON form must read
 * back (the binary reader accepts nothing the JSON reader refuses). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "summary/json_alloc.h"
#include "summary/summary_bin.h"
#include "summary/summary_json.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int hooks;
    if (!hooks) {
        json_alloc_install();
        hooks = 1;
    }
    TuSummary *s = NULL;
    char err[256];
    if (sum_from_bin(data, size, "fuzz", &s, err, sizeof err) != 0) {
        if (strncmp(err, "binary summary: ", 16) != 0)
            abort();
        return 0;
    }
    for (uint32_t i = 0; i < s->nfuncs; i++) {
        const SumFunction *f = &s->funcs[i];
        if (!f->name || !f->usr)
            abort();
        uint32_t total = 0;
        for (uint32_t b = 0; b < f->nblocks; b++) {
            if (f->blocks[b].succ_begin != total || f->blocks[b].exit > SUM_EXIT_NORETURN)
                abort();
            total += f->blocks[b].nsucc;
            for (uint32_t e = 0; e < f->blocks[b].nsucc; e++)
                if (f->succ[f->blocks[b].succ_begin + e] >= f->nblocks)
                    abort();
        }
        if (total != f->nsucc)
            abort();
        for (uint32_t c = 0; c < f->ncalls; c++) {
            const SumCall *call = &f->calls[c];
            if (call->block >= f->nblocks || call->via_param > f->nparams)
                abort();
            if (call->kind == SUM_CALL_DIRECT && (!call->callee_usr || !call->callee_name))
                abort();
            for (uint32_t a = 0; a < call->nargs; a++)
                if (call->args[a].param < -1 || call->args[a].param >= (int32_t)f->nparams ||
                    call->args[a].cls > SUM_CLASS_OTHER)
                    abort();
            for (uint32_t g = 0; g < call->nguards; g++)
                if (call->guards[g].param >= f->nparams || call->guards[g].op > SUM_CMP_NE)
                    abort();
        }
    }
    for (uint32_t i = 0; i < s->ndeps; i++)
        if (!s->deps[i])
            abort();
    /* Same summary through JSON: it must read back, and write the same. */
    char *json = sum_to_json(s, "fuzz", s->clang_version);
    TuSummary *back = NULL;
    if (json && sum_from_json(json, strlen(json), "fuzz", &back, err, sizeof err) != 0)
        abort();
    if (back) {
        char *again = sum_to_json(back, "fuzz", back->clang_version);
        if (again && strcmp(json, again) != 0)
            abort();
        mem_free(again);
    }
    sum_free(back);
    mem_free(json);
    sum_free(s);
    return 0;
}
