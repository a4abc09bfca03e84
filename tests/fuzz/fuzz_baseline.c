/* libFuzzer target: the --baseline reader (an earlier JSON report) must
 * refuse or accept any bytes without crashing, leaking or reading out of
 * bounds. */
#include <stddef.h>
#include <stdint.h>

#include "config/baseline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Baseline *b = NULL;
    char err[256];
    if (baseline_parse((const char *)data, size, &b, err, sizeof err) == 0)
        baseline_free(b);
    return 0;
}
