/* This file is the one symbol libstackcheck-clang.so exports: the front
 * end's function table (see frontend/fe_api.h). */
#include "frontend/fe_api.h"

__attribute__((visibility("default"))) const FeApi *stackcheck_frontend_api(void)
{
    static const FeApi api = {
        .abi = FE_API_ABI,
        .summary_size = sizeof(TuSummary),
        .diags_size = sizeof(DiagSink),
        .options_size = sizeof(FeOptions),
        .parse = fe_parse,
        .clang_version = fe_clang_version,
        .cdb_load = cdb_load,
    };
    return &api;
}
