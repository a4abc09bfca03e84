/* libFuzzer target: the -fstack-usage (.su) reader must take any bytes
 * without crashing, leaking or reading out of bounds, and what it keeps must
 * be searchable. */
#include <stddef.h>
#include <stdint.h>

#include "core/frame_su.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SuTable t;
    frame_su_init(&t);
    if (frame_su_parse(&t, (const char *)data, size) == 0) {
        frame_su_sort(&t);
        for (size_t k = 0; k < t.n && k < 8; k++)
            (void)frame_su_find(&t, t.v[k].file, t.v[k].line, t.v[k].name);
        (void)frame_su_find(&t, "a.c", 1, "main");
    }
    frame_su_fini(&t);
    return 0;
}
