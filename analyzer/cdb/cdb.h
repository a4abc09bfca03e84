/* The compile database: reads BUILD_DIR/compile_commands.json through
 * libclang's compilation database and turns each command into what the
 * front end needs (the file, its working directory, clang arguments). */
#ifndef STACKCHECK_CDB_CDB_H
#define STACKCHECK_CDB_CDB_H

#include <stddef.h>

/* Longest path handled (a compile database's file or folder). */
#define CDB_PATH_MAX 4096

typedef struct CdbEntry {
    char *file;       /* absolute, normalized path of the source (owned) */
    char *directory;  /* the command's working directory (owned) */
    char **args;      /* clang arguments for the front end (owned): without
                         argv[0], the source, -c, -o FILE, dependency-file
                         flags (-M*) and warning flags (-W*); relative
                         include paths made absolute against directory */
    size_t nargs;
} CdbEntry;

typedef struct Cdb {
    char *path;       /* the compile_commands.json read (owned) */
    CdbEntry *items;  /* owned; in database order, one per source file
                         (the first command wins when a file repeats) */
    size_t n;
} Cdb;

/* Reads DIR/compile_commands.json. The JSON is first checked by us, so that
 * a bad database gets a real reason (libclang only says "cannot load");
 * then libclang's compilation database splits the commands (both the
 * "arguments" and the "command" form). On success sets *out (free with
 * cdb_free) and returns 0; otherwise returns -1 with a one-line reason in
 * err naming the file. Not thread-safe: call from the main thread. */
int cdb_load(const char *dir, Cdb **out, char *err, size_t errsize);

void cdb_free(Cdb *db);

/* Returns the entry whose file is `path` (compared after making `path`
 * absolute against the current directory and normalizing . and ..), or
 * NULL. */
const CdbEntry *cdb_find(const Cdb *db, const char *path);

/* Writes the absolute, normalized form of `path` (relative to `base`, or to
 * the current directory when base is NULL) into buf. Purely lexical: no
 * symlinks are followed. Returns 0, or -1 when it does not fit. */
int cdb_abspath(const char *base, const char *path, char *buf, size_t size);

#endif
