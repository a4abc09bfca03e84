/* libFuzzer target: the library index reader (every --library run reads it
 * at startup) must refuse or accept any bytes safely; what it accepts must
 * be consistent (member files plain .scs names, every symbol inside its
 * member's range) and write back to an index that reads the same. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "summary/json_alloc.h"
#include "summary/sum_index.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int hooks;
    if (!hooks) {
        json_alloc_install();
        hooks = 1;
    }
    SumIndex *x = NULL;
    char err[256];
    if (sum_index_parse((const char *)data, size, "fuzz", &x, err, sizeof err) != 0) {
        if (!err[0] || x)
            abort();
        return 0;
    }
    if (!x->target || !x->tool_version || strcmp(x->tool_version, "fuzz") != 0)
        abort();
    uint32_t next = 0;
    for (uint32_t m = 0; m < x->nmembers; m++) {
        const SumIndexMember *mm = &x->members[m];
        size_t n = strlen(mm->file);
        if (!mm->source || !mm->dir || n <= 4 || strchr(mm->file, '/') || mm->file[0] == '.' ||
            strcmp(mm->file + n - 4, ".scs") != 0 || mm->sym_begin != next)
            abort();
        next += mm->nsyms;
        for (uint32_t s = mm->sym_begin; s < mm->sym_begin + mm->nsyms; s++)
            if (!x->syms[s].name[0] || !x->syms[s].usr[0])
                abort();
    }
    if (next != x->nsyms)
        abort();
    sum_index_free(x);
    return 0;
}
