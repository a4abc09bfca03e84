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
    char *compiler;   /* argv[0] as the database writes it (owned; "" when
                         there is none): the compiler that builds the file */
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

/* Frees what entry e owns (not e itself). */
void cdb_entry_free(CdbEntry *e);

/* The target a compile command builds for, as clang would take it: the
 * last --target=T, --target T or -target T among its arguments, else the
 * compiler's name prefix (arm-none-eabi-gcc, aarch64-linux-gnu-gcc-12:
 * the part before gcc, cc, clang, g++ or c++ and an optional -VERSION,
 * when it holds a '-' like a triple: ccache-gcc names none; compiler may
 * be NULL). Writes it into buf and returns 1, or returns 0
 * when the command names no target (the compiler's own default) or it does
 * not fit. *m32 is set when the arguments hold -m32 (after any -m64), which
 * makes x86-64 compilers build for i686. */
int cdb_command_triple(const char *compiler, const char *const *args, size_t nargs, char *buf,
                       size_t size, int *m32);

/* Returns the entry whose file is `path` (compared after making `path`
 * absolute against the current directory and normalizing . and ..), or
 * NULL. */
const CdbEntry *cdb_find(const Cdb *db, const char *path);

/* Writes the absolute, normalized form of `path` (relative to `base`, or to
 * the current directory when base is NULL) into buf. Purely lexical: no
 * symlinks are followed. Returns 0, or -1 when it does not fit. */
int cdb_abspath(const char *base, const char *path, char *buf, size_t size);

#endif
