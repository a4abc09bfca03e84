/* libFuzzer target: the config file reader must refuse or accept any bytes
 * without crashing, leaking or reading out of bounds. */
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Config *c = NULL;
    char err[256];
    if (config_parse((const char *)data, size, "fuzz.json", &c, err, sizeof err) == 0)
        config_free(c);
    return 0;
}
