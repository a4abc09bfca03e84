/* libFuzzer target: the library index reader (every --library run reads it
 * at startup) must refuse or accept any bytes safely; what it accepts must
 * be consistent (member files plain .scs names, every symbol inside its
 * member's range) and every lookup must end with a member or none. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "summary/sum_index.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SumIndex x;
    char err[256] = "";
    if (sum_index_parse(data, size, "fuzz", &x, err, sizeof err) != 0) {
        if (!err[0])
            abort();
        return 0;
    }
    if (!x.target[0] || strcmp(x.tool_version, "fuzz") != 0)
        abort();
    /* Entry by entry, as a run reads it: each accessor either refuses with
     * a reason or gives what it promises, and lookups end. */
    for (uint32_t m = 0; m < x.nmembers; m++) {
        SumIndexMember mm;
        err[0] = '\0';
        if (sum_index_member(&x, m, &mm, err, sizeof err) != 0) {
            if (!err[0])
                abort();
            continue;
        }
        size_t n = strlen(mm.file);
        if (!mm.source[0] || n <= 4 || strchr(mm.file, '/') || mm.file[0] == '.' ||
            strcmp(mm.file + n - 4, ".scs") != 0 || mm.sym_begin > x.nsyms || mm.nsyms > x.nsyms - mm.sym_begin)
            abort();
    }
    for (uint32_t s = 0; s < x.nsyms; s++) {
        const char *name, *usr;
        uint32_t owner;
        if (sum_index_sym(&x, s, &name, &usr, &owner, err, sizeof err) != 0)
            continue;
        if (!name[0] || !usr[0] || owner >= x.nmembers)
            abort();
        uint32_t found = sum_index_find(&x, usr);
        if (found != SUM_INDEX_NONE && found != SUM_INDEX_BAD && found >= x.nmembers)
            abort();
    }
    uint32_t none = sum_index_find(&x, "c:@F@not-in-any-index");
    if (none != SUM_INDEX_NONE && none != SUM_INDEX_BAD && none >= x.nmembers)
        abort();
    /* The full check accepts only what every accessor accepts. */
    if (sum_index_check(&x, err, sizeof err) == 0) {
        for (uint32_t m = 0; m < x.nmembers; m++) {
            SumIndexMember mm;
            if (sum_index_member(&x, m, &mm, err, sizeof err) != 0)
                abort();
        }
    }
    return 0;
}
