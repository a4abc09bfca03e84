/* This file reads compile_commands.json: our own check of the JSON for
 * clear errors, then libclang's compilation database for the commands. */
#define _POSIX_C_SOURCE 200809L
#include "cdb/cdb.h"

#include <clang-c/CXCompilationDatabase.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/mem.h"
#include "util/vec.h"

/* Largest compile_commands.json read: 1 GiB holds millions of commands. */
#define CDB_MAX_BYTES (1024ul * 1024ul * 1024ul)


/* Checks the JSON ourselves, so that each problem gets a real reason. */
static int check_json(const char *path, char *err, size_t errsize)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return diag_errf(err, errsize, "%s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return diag_errf(err, errsize, "%s: not a regular file", path);
    if ((unsigned long long)st.st_size > CDB_MAX_BYTES)
        return diag_errf(err, errsize, "%s: larger than 1 GiB", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return diag_errf(err, errsize, "%s: %s", path, strerror(errno));
    char *text = mem_alloc((size_t)st.st_size + 1);
    if (!text) {
        fclose(f);
        return diag_errf(err, errsize, "%s: out of memory", path);
    }
    size_t len = fread(text, 1, (size_t)st.st_size, f);
    fclose(f);
    text[len] = '\0';
    cJSON *root = cJSON_ParseWithLength(text, len);
    mem_free(text);
    int rc = 0;
    if (!root) {
        rc = diag_errf(err, errsize, "%s: not valid JSON", path);
    } else if (!cJSON_IsArray(root)) {
        rc = diag_errf(err, errsize, "%s: expected a JSON array of compile commands", path);
    } else {
        int i = 0;
        for (const cJSON *e = root->child; e; e = e->next, i++) {
            const cJSON *dir = cJSON_GetObjectItemCaseSensitive(e, "directory");
            const cJSON *file = cJSON_GetObjectItemCaseSensitive(e, "file");
            const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(e, "command");
            const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "arguments");
            if (!cJSON_IsObject(e)) {
                rc = diag_errf(err, errsize, "%s: entry %d is not an object", path, i);
                break;
            }
            if (!cJSON_IsString(dir) || !cJSON_IsString(file)) {
                rc = diag_errf(err, errsize, "%s: entry %d has no \"directory\" or \"file\" string", path, i);
                break;
            }
            if (!cJSON_IsString(cmd) && !cJSON_IsArray(args)) {
                rc = diag_errf(err, errsize, "%s: entry %d has neither \"command\" nor \"arguments\"", path, i);
                break;
            }
            for (const cJSON *a = args ? args->child : NULL; a; a = a->next)
                if (!cJSON_IsString(a)) {
                    rc = diag_errf(err, errsize, "%s: entry %d: \"arguments\" holds a non-string", path, i);
                    break;
                }
            if (rc)
                break;
        }
    }
    cJSON_Delete(root);
    return rc;
}

static char *copy_cx(CXString s)
{
    const char *c = clang_getCString(s);
    char *d = mem_strdup(c ? c : "");
    clang_disposeString(s);
    return d;
}

/* Flags whose value is a path, as a separate argument or glued on. */
static const char *const path_flags[] = {"-I", "-isystem", "-iquote", "-idirafter", "-include",
                                         "-imacros", "-F", "--sysroot", "-isysroot", NULL};
/* Flags to drop together with their separate value. */
static const char *const drop_with_value[] = {"-o", "-MF", "-MT", "-MQ", "-Xlinker", NULL};

static bool in_list(const char *const *list, const char *a)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], a) == 0)
            return true;
    return false;
}

static int push_arg(CdbEntry *e, size_t *cap, char *a)
{
    if (!a || vec_reserve((void **)&e->args, e->nargs, cap, sizeof *e->args)) {
        mem_free(a);
        return -1;
    }
    e->args[e->nargs++] = a;
    return 0;
}

/* Returns `flag` + the absolute form of `value` as a new string. */
static char *abs_flag(const char *flag, const char *value, const char *dir)
{
    char abs[CDB_PATH_MAX];
    if (value[0] == '/' || value[0] == '=' || cdb_abspath(dir, value, abs, sizeof abs))
        snprintf(abs, sizeof abs, "%s", value);
    size_t n = strlen(flag) + strlen(abs) + 1;
    char *s = mem_alloc(n);
    if (s)
        snprintf(s, n, "%s%s", flag, abs);
    return s;
}

static int fill_entry(CdbEntry *e, CXCompileCommand cmd)
{
    size_t cap = 0;
    e->directory = copy_cx(clang_CompileCommand_getDirectory(cmd));
    char *file = copy_cx(clang_CompileCommand_getFilename(cmd));
    e->compiler = clang_CompileCommand_getNumArgs(cmd) > 0
                      ? copy_cx(clang_CompileCommand_getArg(cmd, 0))
                      : mem_strdup("");
    if (!e->directory || !file || !e->compiler) {
        mem_free(file);
        return -1;
    }
    char abs[CDB_PATH_MAX];
    if (cdb_abspath(e->directory, file, abs, sizeof abs)) {
        mem_free(file);
        return -1;
    }
    e->file = mem_strdup(abs);
    unsigned n = clang_CompileCommand_getNumArgs(cmd);
    int rc = e->file ? 0 : -1;
    for (unsigned i = 1; rc == 0 && i < n; i++) { /* argv[0] is the compiler */
        char *a = copy_cx(clang_CompileCommand_getArg(cmd, i));
        if (!a) {
            rc = -1;
            break;
        }
        char aabs[CDB_PATH_MAX];
        bool is_source = strcmp(a, file) == 0 ||
                         (cdb_abspath(e->directory, a, aabs, sizeof aabs) == 0 && strcmp(aabs, e->file) == 0);
        if (is_source || strcmp(a, "-c") == 0 || strncmp(a, "-W", 2) == 0 ||
            strcmp(a, "-MD") == 0 || strcmp(a, "-MMD") == 0 || strcmp(a, "-MP") == 0 ||
            strcmp(a, "-M") == 0 || strcmp(a, "-MM") == 0 || strcmp(a, "--") == 0) {
            mem_free(a);
            continue;
        }
        if (in_list(drop_with_value, a)) {
            mem_free(a);
            i++; /* and its value */
            continue;
        }
        if (strncmp(a, "-o", 2) == 0) {
            mem_free(a);
            continue;
        }
        if (in_list(path_flags, a) && i + 1 < n) {
            char *v = copy_cx(clang_CompileCommand_getArg(cmd, ++i));
            if (!v) {
                mem_free(a);
                rc = -1;
                break;
            }
            rc = push_arg(e, &cap, a);
            if (rc == 0)
                rc = push_arg(e, &cap, abs_flag("", v, e->directory));
            mem_free(v);
            continue;
        }
        /* -Ifoo glued form. */
        if (strncmp(a, "-I", 2) == 0 && a[2]) {
            char *g = abs_flag("-I", a + 2, e->directory);
            mem_free(a);
            rc = push_arg(e, &cap, g);
            continue;
        }
        rc = push_arg(e, &cap, a);
    }
    mem_free(file);
    return rc;
}

/* A set of file paths (borrowed strings), open addressing, to drop repeated
 * files in linear time. */
typedef struct SeenSet {
    const char **slots;
    size_t cap; /* a power of two, or 0 */
    size_t n;
} SeenSet;

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Returns 1 when s was already present, 0 when inserted, -1 on failure. */
static int seen_insert(SeenSet *set, const char *s)
{
    if (2 * (set->n + 1) > set->cap) {
        size_t ncap = set->cap ? set->cap * 2 : 64;
        const char **slots = mem_calloc(ncap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slots[i])
                continue;
            size_t j = hash_str(set->slots[i]) & (ncap - 1);
            while (slots[j])
                j = (j + 1) & (ncap - 1);
            slots[j] = set->slots[i];
        }
        mem_free(set->slots);
        set->slots = slots;
        set->cap = ncap;
    }
    size_t j = hash_str(s) & (set->cap - 1);
    while (set->slots[j]) {
        if (strcmp(set->slots[j], s) == 0)
            return 1;
        j = (j + 1) & (set->cap - 1);
    }
    set->slots[j] = s;
    set->n++;
    return 0;
}

int cdb_load(const char *dir, Cdb **out, char *err, size_t errsize)
{
    char path[CDB_PATH_MAX];
    struct stat st;
    if (stat(dir, &st) != 0)
        return diag_errf(err, errsize, "%s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return diag_errf(err, errsize, "%s: not a directory (-p takes the build directory)", dir);
    int n = snprintf(path, sizeof path, "%s/compile_commands.json", dir);
    if (n < 0 || (size_t)n >= sizeof path)
        return diag_errf(err, errsize, "%s: path too long", dir);
    if (access(path, F_OK) != 0)
        return diag_errf(err, errsize, "%s: no compile_commands.json (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or use bear)", dir);
    if (check_json(path, err, errsize))
        return -1;

    CXCompilationDatabase_Error dberr = CXCompilationDatabase_NoError;
    CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(dir, &dberr);
    if (!db || dberr != CXCompilationDatabase_NoError) {
        if (db)
            clang_CompilationDatabase_dispose(db);
        return diag_errf(err, errsize, "%s: libclang cannot load this compile database", path);
    }
    CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(db);
    unsigned count = cmds ? clang_CompileCommands_getSize(cmds) : 0;
    Cdb *res = mem_calloc(1, sizeof *res);
    size_t cap = 0;
    SeenSet seen_set = {NULL, 0, 0};
    int rc = res ? 0 : -1;
    if (res && !(res->path = mem_strdup(path)))
        rc = -1;
    for (unsigned i = 0; rc == 0 && i < count; i++) {
        CdbEntry e;
        memset(&e, 0, sizeof e);
        if (fill_entry(&e, clang_CompileCommands_getCommand(cmds, i)) ||
            vec_reserve((void **)&res->items, res->n, &cap, sizeof *res->items)) {
            cdb_entry_free(&e);
            rc = -1;
            break;
        }
        /* A file compiled twice (two configurations) is analyzed once,
         * with its first command. */
        int seen = seen_insert(&seen_set, e.file);
        if (seen < 0)
            rc = -1;
        if (seen != 0) {
            cdb_entry_free(&e);
            continue;
        }
        res->items[res->n++] = e;
    }
    mem_free(seen_set.slots);
    if (cmds)
        clang_CompileCommands_dispose(cmds);
    clang_CompilationDatabase_dispose(db);
    if (rc) {
        cdb_free(res);
        return diag_errf(err, errsize, "%s: out of memory", path);
    }
    *out = res;
    return 0;
}
