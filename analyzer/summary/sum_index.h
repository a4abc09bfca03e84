/* The index of a library folder written by `stackcheck summarize`: like an
 * archive's symbol table, it names each member summary (one .scs per
 * translation unit), the source it came from and the external functions it
 * defines, so that a run linked against the library reads this one file at
 * startup and only the members it pulls. JSON; the layout is in
 * docs/summary-format.md. */
#ifndef STACKCHECK_SUMMARY_SUM_INDEX_H
#define STACKCHECK_SUMMARY_SUM_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "summary/summary.h"
#include "util/arena.h"

/* The index's name inside a library folder. */
#define SUM_INDEX_FILE "index.json"
/* Its "schema": bump the number on any change to the layout. */
#define SUM_INDEX_SCHEMA "stackcheck-library-index/1"

/* One external-linkage function a member defines. */
typedef struct SumIndexSym {
    const char *name;        /* arena */
    const char *usr;         /* arena; the linker's key */
} SumIndexSym;

/* One member: a translation unit's summary file. */
typedef struct SumIndexMember {
    const char *source;      /* arena: the source file as the summary names it */
    const char *dir;         /* arena: the folder its compile command ran in ("" when
                                not known): .su files are looked for beside the
                                source relative to it */
    const char *file;        /* arena: the summary's file name inside the folder
                                (a plain name ending in ".scs") */
    uint32_t sym_begin;      /* its functions: syms[sym_begin .. sym_begin + nsyms) */
    uint32_t nsyms;
} SumIndexMember;

typedef struct SumIndex {
    Arena arena;             /* owns everything below */
    const char *target;      /* the triple every member was summarized for */
    const char *tool_version; /* the stackcheck that wrote it */
    SumIndexMember *members; /* in the order summarize was given the files */
    uint32_t nmembers;
    SumIndexSym *syms;       /* grouped by member */
    uint32_t nsyms;
} SumIndex;

/* The summary file name for `source` (as the compile database or the command
 * line names it, joined to `dir` when relative): its base name with every
 * byte other than [A-Za-z0-9._-] made '_', a '-', 16 hex digits of a hash of
 * the full path, and ".scs". Deterministic; two sources of one base name in
 * different folders get different names. Writes into buf (size bytes). */
void sum_index_member_name(const char *dir, const char *source, char *buf, size_t size);

/* Returns the index of `n` summaries as a new NUL-terminated JSON text (free
 * with mem_free), or NULL when memory runs out. files[i] is the member file
 * name of tus[i]; dirs[i] its compile folder (NULL: ""). */
char *sum_index_to_json(TuSummary *const *tus, const char *const *files, const char *const *dirs,
                        size_t n, const char *target, const char *tool_version);

/* Reads an index from `len` bytes of JSON as strictly as the summaries are
 * read: the schema, both format versions, the stackcheck version (equal to
 * `tool_version` unless that is NULL), every member's file name (plain,
 * ending in .scs, unique), every string and array. On success sets *out (free
 * with sum_index_free) and returns 0; otherwise returns -1 with a one-line
 * reason in err ("not a stackcheck library index", "member 3: 'file' must
 * be a plain name ending in .scs", "out of memory"). */
int sum_index_parse(const char *text, size_t len, const char *tool_version, SumIndex **out, char *err,
                    size_t errsize);
void sum_index_free(SumIndex *x);

#endif
