/* The front end as the stackcheck binary sees it: one table of functions
 * exported by the shared module libstackcheck-clang.so, which alone links
 * libclang. Loading libclang (and LLVM) costs about 0.1 s of relocations
 * before main even starts; a run answered from the cache needs none of it,
 * so the binary loads the module only when a file must be parsed or a
 * compile database read (analyzer/cli/frontend.c). */
#ifndef STACKCHECK_FRONTEND_FE_API_H
#define STACKCHECK_FRONTEND_FE_API_H

#include "cdb/cdb.h"
#include "frontend/fe.h"

/* Bumped whenever FeApi or a type it passes changes. */
#define FE_API_ABI 1
#define FE_API_SYMBOL "stackcheck_frontend_api"

typedef struct FeApi {
    unsigned abi;                  /* FE_API_ABI of the module */
    size_t summary_size;           /* sizeof(TuSummary) there: a stale module fails */
    size_t diags_size;             /* sizeof(DiagSink) */
    size_t options_size;           /* sizeof(FeOptions) */
    FeStatus (*parse)(const FeOptions *opt, const char *path, TuSummary **out, DiagSink *diags);
    void (*clang_version)(char *buf, size_t size);
    int (*cdb_load)(const char *dir, Cdb **out, char *err, size_t errsize);
} FeApi;

/* Exported by the module. */
const FeApi *stackcheck_frontend_api(void);

#endif
