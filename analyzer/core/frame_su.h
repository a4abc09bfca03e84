/* Compiler-measured frames: the `-fstack-usage` (.su) files of GCC
 * (`file:line:col:function<TAB>bytes<TAB>qualifiers`) and clang
 * (`file:line:function<TAB>...`), read into a table the frame model looks
 * functions up in by file basename, line and name. Plain C, no libclang. */
#ifndef STACKCHECK_CORE_FRAME_SU_H
#define STACKCHECK_CORE_FRAME_SU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

typedef enum SuQual {
    SU_STATIC,          /* "static": the frame is exactly `bytes` */
    SU_DYNAMIC_BOUNDED, /* "dynamic,bounded": varies, at most `bytes` */
    SU_DYNAMIC          /* "dynamic": at least `bytes`, no bound */
} SuQual;

typedef struct SuEntry {
    const char *file;   /* basename of the source file (table arena) */
    unsigned line;      /* 1-based line of the function's name */
    unsigned col;       /* 1-based column (GCC); 0 when not given (clang) */
    const char *name;   /* function name as written in the .su file (arena) */
    uint64_t bytes;
    SuQual qual;
} SuEntry;

/* Every .su line read so far. Owns its strings through `arena`. */
typedef struct SuTable {
    Arena arena;
    SuEntry *v;         /* mem.h; sorted by frame_su_sort */
    size_t n, cap;
    size_t bad_lines;   /* lines that were not a .su record (skipped) */
    bool sorted;
} SuTable;

void frame_su_init(SuTable *t);
void frame_su_fini(SuTable *t);

/* Adds the records of one .su text (`len` bytes, need not be NUL-terminated).
 * Lines that are not records are counted in bad_lines and skipped. Returns
 * 0, or -1 when memory runs out (the table keeps what was added). */
int frame_su_parse(SuTable *t, const char *text, size_t len);

/* Reads every *.su file under `dir` (folders walked with an explicit stack).
 * Returns the number of files read, or -1 with a one-line reason in err
 * ("cannot open folder: ...", "out of memory"). */
long frame_su_load_dir(SuTable *t, const char *dir, char *err, size_t errsize);

/* Sorts the table for frame_su_find (call once after the last parse).
 * When two records share file, line and name, the largest frame wins. */
void frame_su_sort(SuTable *t);

/* The record for the function `name` defined at `line` of a file whose
 * basename is that of `file`; also matches GCC's clone names ("f.part.0",
 * "f.constprop.0") when no exact name is present. NULL when none. */
const SuEntry *frame_su_find(const SuTable *t, const char *file, unsigned line, const char *name);

#endif
