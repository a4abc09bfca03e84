/* Operational diagnostics (not findings): a run-owned sink of messages for
 * stderr, and the one function that formats a "file:line:col" prefix. */
#ifndef STACKCHECK_UTIL_DIAG_H
#define STACKCHECK_UTIL_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum DiagLevel { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR } DiagLevel;

typedef struct DiagMsg {
    DiagLevel level;
    char *file;      /* owned; NULL when the message has no location */
    unsigned line;   /* 1-based; 0: no line */
    unsigned col;    /* 1-based; 0: no column */
    char *text;      /* owned; lower case, no final period */
} DiagMsg;

typedef struct DiagSink {
    DiagMsg *items;  /* owned */
    size_t n, cap;
    size_t nerrors;  /* messages at DIAG_ERROR */
    int failed;      /* sticky: a message could not be stored (out of memory) */
} DiagSink;

void diag_init(DiagSink *d);
void diag_fini(DiagSink *d);

/* Adds a message. `file` may be NULL (then line/col are ignored); it and the
 * formatted text are copied. On allocation failure sets d->failed. */
void diag_add(DiagSink *d, DiagLevel level, const char *file, unsigned line, unsigned col,
              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Moves every message of `src` to the end of `dst` (src is left empty). */
void diag_move(DiagSink *dst, DiagSink *src);

/* Prints every message, in insertion order, one per line:
 *   "file:line:col: error: text"   with a location
 *   "stackcheck: error: text"       without */
void diag_print(const DiagSink *d, FILE *out);

/* Formats the location prefix "file:line:col" (or "file:line", or "file")
 * into buf (always NUL-terminated). The only place that spells that format.
 * Returns what snprintf returns. */
int diag_format_loc(char *buf, size_t size, const char *file, unsigned line, unsigned col);

const char *diag_level_name(DiagLevel l);   /* "note", "warning", "error" */

/* Formats a one-line reason into the caller's buffer `err` (always
 * NUL-terminated when errsize > 0) and returns -1, so that a reader can
 * `return diag_errf(err, errsize, "...", ...);` on failure. */
int diag_errf(char *err, size_t errsize, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
