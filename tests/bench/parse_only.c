/* The floor no libclang tool can beat: parse every file of a compile
 * database with libclang (the same options stackcheck uses) and dispose of
 * it, nothing else.
 *
 * Usage: parse_only [-j N] [--walk] [--only FILE] BUILD_DIR [RESOURCE_DIR]
 *
 * --walk also visits every cursor of every function body with a visitor
 * that does nothing (top-level declarations other than function definitions
 * are skipped): the floor of any tool that reads the code through
 * libclang's cursor API. --only FILE parses only the database entries whose
 * file is FILE (as the database spells it): with libclang's load, the floor
 * of a rerun after FILE changed.
 *
 * With -j N, libclang is loaded once and N forked processes pull files from
 * one shared queue, biggest file first (stackcheck's schedule). Processes,
 * not threads: nothing is shared but the queue, so this is the most that N
 * cores of this machine give to parsing these files, with their sizes. */
#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct Shared {
    unsigned next;   /* next index into order[]; taken with __atomic_fetch_add */
    unsigned parsed; /* files parsed without error */
} Shared;

static enum CXChildVisitResult walk_body(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)c;
    (void)parent;
    (void)data;
    return CXChildVisit_Recurse;
}

/* Top level: recurse into function definitions only. */
static enum CXChildVisitResult walk_top(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl && clang_isCursorDefinition(c))
        clang_visitChildren(c, walk_body, data);
    return CXChildVisit_Continue;
}

static int walk;

static int parse_one(CXCompileCommands cmds, unsigned i, const char *resdir)
{
    CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, i);
    unsigned na = clang_CompileCommand_getNumArgs(cmd);
    const char **args = calloc(na + 4, sizeof *args);
    CXString *strs = calloc(na ? na : 1, sizeof *strs);
    unsigned k = 0;
    for (unsigned a = 0; a < na; a++) {
        strs[a] = clang_CompileCommand_getArg(cmd, a);
        args[k++] = clang_getCString(strs[a]);
    }
    if (resdir) {
        args[k++] = "-resource-dir";
        args[k++] = resdir;
    }
    args[k++] = "-w"; /* as stackcheck: no warnings computed */
    CXString dir = clang_CompileCommand_getDirectory(cmd);
    /* Relative paths in the command are relative to its directory. */
    if (chdir(clang_getCString(dir)) != 0)
        perror("chdir");
    CXIndex index = clang_createIndex(0, 0);
    CXTranslationUnit tu = NULL;
    enum CXErrorCode rc = clang_parseTranslationUnit2FullArgv(
        index, NULL, args, (int)k, NULL, 0,
        CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles, &tu);
    if (walk && tu)
        clang_visitChildren(clang_getTranslationUnitCursor(tu), walk_top, NULL);
    clang_disposeTranslationUnit(tu);
    clang_disposeIndex(index);
    clang_disposeString(dir);
    for (unsigned a = 0; a < na; a++)
        clang_disposeString(strs[a]);
    free(strs);
    free(args);
    return rc == CXError_Success;
}

typedef struct Sized {
    unsigned index;
    long long size;
} Sized;

static int cmp_sized(const void *a, const void *b)
{
    const Sized *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* File indexes, biggest file first (stat relative to each entry's folder);
 * with `only`, just the entries whose file is `only` (*n is updated). */
static unsigned *schedule(CXCompileCommands cmds, unsigned *np, const char *only)
{
    unsigned n = *np;
    Sized *v = calloc(n ? n : 1, sizeof *v);
    unsigned *order = calloc(n ? n : 1, sizeof *order);
    if (!v || !order)
        exit(2);
    for (unsigned i = 0; i < n; i++) {
        CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, i);
        CXString dir = clang_CompileCommand_getDirectory(cmd);
        CXString file = clang_CompileCommand_getFilename(cmd);
        const char *f = clang_getCString(file);
        char path[8192];
        if (f[0] == '/')
            snprintf(path, sizeof path, "%s", f);
        else
            snprintf(path, sizeof path, "%s/%s", clang_getCString(dir), f);
        struct stat st;
        v[i].index = i;
        v[i].size = stat(path, &st) == 0 ? (long long)st.st_size : 0;
        if (only && strcmp(f, only) != 0)
            v[i].size = -1; /* sorted last, then cut */
        clang_disposeString(file);
        clang_disposeString(dir);
    }
    qsort(v, n, sizeof *v, cmp_sized);
    unsigned m = 0;
    for (unsigned i = 0; i < n; i++)
        if (v[i].size >= 0)
            order[m++] = v[i].index;
    *np = m;
    free(v);
    return order;
}

int main(int argc, char **argv)
{
    unsigned jobs = 1;
    const char *only = NULL;
    int a = 1;
    for (;;) {
        if (a + 1 < argc && strcmp(argv[a], "-j") == 0) {
            jobs = (unsigned)atoi(argv[a + 1]);
            a += 2;
        } else if (a + 1 < argc && strcmp(argv[a], "--only") == 0) {
            only = argv[a + 1];
            a += 2;
        } else if (a < argc && strcmp(argv[a], "--walk") == 0) {
            walk = 1;
            a++;
        } else {
            break;
        }
    }
    if (a >= argc || jobs < 1) {
        fprintf(stderr, "usage: parse_only [-j N] [--walk] [--only FILE] BUILD_DIR [RESOURCE_DIR]\n");
        return 2;
    }
    const char *builddir = argv[a];
    const char *resdir = a + 1 < argc ? argv[a + 1] : NULL;
    CXCompilationDatabase_Error err;
    CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(builddir, &err);
    if (err != CXCompilationDatabase_NoError) {
        fprintf(stderr, "parse_only: cannot load %s/compile_commands.json\n", builddir);
        return 2;
    }
    CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(db);
    unsigned n = clang_CompileCommands_getSize(cmds);
    unsigned *order = schedule(cmds, &n, only);
    if (n == 0) {
        fprintf(stderr, "parse_only: %s is not in %s/compile_commands.json\n", only, builddir);
        return 2;
    }
    Shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    sh->next = 0;
    sh->parsed = 0;
    for (unsigned w = 0; w < jobs; w++) {
        pid_t pid = jobs == 1 ? 0 : fork();
        if (pid < 0) {
            perror("fork");
            return 2;
        }
        if (pid > 0)
            continue;
        for (;;) {
            unsigned k = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED);
            if (k >= n)
                break;
            if (parse_one(cmds, order[k], resdir))
                __atomic_fetch_add(&sh->parsed, 1, __ATOMIC_RELAXED);
        }
        if (jobs > 1)
            _exit(0);
    }
    while (jobs > 1 && wait(NULL) > 0)
        ;
    unsigned parsed = sh->parsed;
    clang_CompileCommands_dispose(cmds);
    clang_CompilationDatabase_dispose(db);
    free(order);
    printf("parsed %u of %u\n", parsed, n);
    return parsed == n ? 0 : 1;
}
