/* This file loads the front end module (libstackcheck-clang.so, which links
 * libclang) on first use, and names it for cache keys without loading it. */
#define _GNU_SOURCE /* dladdr-free: readlink of /proc/self/exe */
#include "cli.h"

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SC_LLVM_VERSION
#define SC_LLVM_VERSION "unknown"
#endif
#ifndef SC_LIBCLANG_PATH
#define SC_LIBCLANG_PATH ""
#endif

#define MODULE_NAME "libstackcheck-clang.so"

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const FeApi *loaded;
static char load_error[1024];

/* STACKCHECK_FRONTEND, else the module next to this executable (the build
 * tree), else ../lib/stackcheck/ from it (an installed tree: cmake
 * --install puts the binary in bin/ and the module there). */
static int module_path(char *buf, size_t size)
{
    const char *env = getenv("STACKCHECK_FRONTEND");
    if (env && *env) {
        if (strlen(env) >= size)
            return -1;
        strcpy(buf, env);
        return 0;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    int m = snprintf(buf, size, "%s/%s", exe, MODULE_NAME);
    if (m < 0 || (size_t)m >= size)
        return -1;
    if (access(buf, F_OK) == 0)
        return 0;
    m = snprintf(buf, size, "%s/../lib/stackcheck/%s", exe, MODULE_NAME);
    if (m < 0 || (size_t)m >= size)
        return -1;
    if (access(buf, F_OK) == 0)
        return 0;
    m = snprintf(buf, size, "%s/%s", exe, MODULE_NAME); /* named in the error */
    return m < 0 || (size_t)m >= size ? -1 : 0;
}

static void load(void)
{
    char path[4096];
    if (module_path(path, sizeof path) != 0) {
        snprintf(load_error, sizeof load_error, "cannot find the front end module %s", MODULE_NAME);
        return;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "cannot load the front end: %.900s", why ? why : path);
        return;
    }
    const FeApi *(*get)(void);
    *(void **)&get = dlsym(h, FE_API_SYMBOL);
    const FeApi *api = get ? get() : NULL;
    if (!api || api->abi != FE_API_ABI || api->summary_size != sizeof(TuSummary) ||
        api->diags_size != sizeof(DiagSink) || api->options_size != sizeof(FeOptions)) {
        snprintf(load_error, sizeof load_error,
                 "%.900s: not the front end of this stackcheck (rebuild both together)", path);
        dlclose(h);
        return;
    }
    loaded = api; /* kept loaded until exit */
}

const FeApi *cli_frontend(char *err, size_t errsize)
{
    pthread_once(&load_once, load);
    if (!loaded && errsize)
        snprintf(err, errsize, "%s", load_error);
    return loaded;
}

bool cli_frontend_failed(char *err, size_t errsize)
{
    /* load_error is written once, inside pthread_once, before any reader
     * can get here (every loader went through pthread_once first). */
    if (loaded || !load_error[0])
        return false;
    snprintf(err, errsize, "%s", load_error);
    return true;
}

/* "size:mtime" of a file, or "-" when it cannot be read. */
static void stamp(const char *path, char *buf, size_t size)
{
    struct stat st;
    if (!path[0] || stat(path, &st) != 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%jd:%jd.%09ld", (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec,
                 st.st_mtim.tv_nsec);
}

void cli_frontend_identity(char *buf, size_t size)
{
    char path[4096], mod[96], lib[96];
    if (module_path(path, sizeof path) != 0)
        path[0] = '\0';
    stamp(path, mod, sizeof mod);
    stamp(SC_LIBCLANG_PATH, lib, sizeof lib);
    snprintf(buf, size, "llvm %s module %s libclang %s", SC_LLVM_VERSION, mod, lib);
}
