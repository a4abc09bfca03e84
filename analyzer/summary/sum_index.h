/* The index of a library folder written by `stackcheck summarize`: like an
 * archive's symbol table, it names each member summary (one .scs per
 * translation unit), the source it came from and the external functions it
 * defines, with a hash table over their USRs, so that a run linked against
 * the library reads this one file at startup, looks up only the names the
 * program needs and loads only the members it pulls. Binary (a JSON index
 * of a 386-file library cost a 4 ms warm run 2 ms to parse); the layout is
 * in docs/summary-format.md. */
#ifndef STACKCHECK_SUMMARY_SUM_INDEX_H
#define STACKCHECK_SUMMARY_SUM_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "summary/summary.h"

/* The index's name inside a library folder. */
#define SUM_INDEX_FILE "index.scsi"

/* The first bytes of an index (the last one is not text). */
#define SUM_INDEX_MAGIC "SCLIBX\0\1"
#define SUM_INDEX_MAGIC_LEN 8u

/* Version of the index layout; bump on any change to it. The header also
 * records SUM_FORMAT_VERSION and SUM_BIN_VERSION (the members' forms). */
#define SUM_INDEX_VERSION 2

/* No member: what sum_index_find returns for a name the index lacks. */
#define SUM_INDEX_NONE UINT32_MAX

/* One member: a translation unit's summary file. Strings point into the
 * index's bytes. */
typedef struct SumIndexMember {
    const char *source;      /* the source file as the summary names it */
    const char *dir;         /* the folder its compile command ran in ("" when not
                                known): .su files are looked for beside the
                                source relative to it */
    const char *file;        /* the summary's file name inside the folder (a
                                plain name ending in ".scs") */
    uint32_t sym_begin;      /* its functions: symbols sym_begin .. + nsyms */
    uint32_t nsyms;
} SumIndexMember;

/* A checked view of an index's bytes (borrowed: they must outlive it). */
typedef struct SumIndex {
    const unsigned char *data;
    size_t len;
    const char *target;      /* the triple every member was summarized for */
    const char *tool_version; /* the stackcheck that wrote it */
    uint32_t nmembers;       /* in the order summarize was given the files */
    uint32_t nsyms;          /* external functions, grouped by member */
    uint32_t nbuckets;       /* hash table size, a power of two */
    const unsigned char *members, *syms, *buckets;
    const char *strings;
    uint32_t nstrings;       /* bytes of the string table */
} SumIndex;

/* The summary file name for `source` (as the compile database or the command
 * line names it, joined to `dir` when relative): its base name with every
 * byte other than [A-Za-z0-9._-] made '_', a '-', 16 hex digits of a hash of
 * the full path, and ".scs". Deterministic; two sources of one base name in
 * different folders get different names. Writes into buf (size bytes). */
void sum_index_member_name(const char *dir, const char *source, char *buf, size_t size);

/* A library function's own bound, computed when the library was summarized
 * (library.c): the inclusive worst case of a function whose whole call tree
 * is the library's, through calls known exactly. */
typedef enum SumBoundStatus { SUM_BOUND_NONE, SUM_BOUND_EXACT, SUM_BOUND_ESTIMATED } SumBoundStatus;

typedef struct SumIndexBound {
    uint32_t bytes;
    uint8_t status;          /* SumBoundStatus */
} SumIndexBound;

/* Returns a new buffer of *len bytes holding the index of `n` summaries
 * (free with mem_free), or NULL when memory runs out. files[i] is the member
 * file name of tus[i]; dirs[i] its compile folder (dirs or an item NULL:
 * ""). bounds (NULL: none) holds one item per symbol, in the order the
 * symbols are written: the external functions of tus[0] in order, then of
 * tus[1], ... Of two members defining one USR the hash table keeps the
 * first. */
char *sum_index_to_bin(TuSummary *const *tus, const char *const *files, const char *const *dirs, size_t n,
                       const char *target, const char *tool_version, const SumIndexBound *bounds, size_t *len);

/* A damaged entry met by sum_index_find. */
#define SUM_INDEX_BAD (UINT32_MAX - 1)

/* Checks the header of `len` bytes of an index as strictly as sum_from_bin
 * checks a summary's: the magic, the three versions, the stackcheck version
 * (equal to `tool_version` unless that is NULL), the counts against the
 * size (which must match exactly), the string table's ends and the header's
 * strings. The tables are checked entry by entry when they are used (below):
 * a run reads the few it needs of thousands; reading and checking the whole
 * index of a 386-file library made a 3.4 ms warm run 7 % slower, mapping it
 * and checking what is used 2.6 % (sum_index_check checks everything, for
 * tests and the fuzzer). On success fills *x (a view of `data`, which must outlive it) and
 * returns 0; otherwise returns -1 with a one-line reason in err ("not a
 * stackcheck library index", "truncated at byte 100", "index layout 2, this
 * stackcheck reads 1 (summarize the library again)"). */
int sum_index_parse(const void *data, size_t len, const char *tool_version, SumIndex *x, char *err,
                    size_t errsize);

/* Member i of a parsed index, checked: every string offset (the start of a
 * NUL-terminated string of the table), the file name (plain, ending in
 * .scs: an index names only files of its own folder) and its range of
 * functions. Returns 0, or -1 with the reason in err ("member 3: summary
 * name '../x.scs' is not a plain file name ending in .scs"). */
int sum_index_member(const SumIndex *x, uint32_t i, SumIndexMember *out, char *err, size_t errsize);

/* Symbol i: its name, USR and member, checked. Returns 0 or -1 (err). */
int sum_index_sym(const SumIndex *x, uint32_t i, const char **name, const char **usr, uint32_t *member, char *err,
                  size_t errsize);

/* The member that defines the function with USR `usr` (the first member
 * when several do), SUM_INDEX_NONE, or SUM_INDEX_BAD when a bucket or
 * symbol on the way is damaged. A few probes of the hash table. When sym is
 * not NULL and a member is found, *sym is the symbol's index. */
uint32_t sum_index_find(const SumIndex *x, const char *usr);
uint32_t sum_index_find_sym(const SumIndex *x, const char *usr, uint32_t *sym);

/* Symbol i's own bound (SumIndexBound); 0 when there is one, -1 with the
 * reason in err for a damaged entry (a status out of range). */
int sum_index_bound(const SumIndex *x, uint32_t i, SumIndexBound *out, char *err, size_t errsize);

/* Checks every table entry too (and that members' ranges tile the symbols
 * in order, each symbol naming its member, every bucket in range): what a
 * reader would meet anywhere. Returns 0, or -1 with the reason in err. */
int sum_index_check(const SumIndex *x, char *err, size_t errsize);

#endif
