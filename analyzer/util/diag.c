/* This file collects operational diagnostics and prints them in the
 * compiler's format. */
#include "util/diag.h"

#include <stdarg.h>
#include <string.h>

#include "util/mem.h"
#include "util/vec.h"

void diag_init(DiagSink *d) { memset(d, 0, sizeof *d); }

void diag_fini(DiagSink *d)
{
    for (size_t i = 0; i < d->n; i++) {
        mem_free(d->items[i].file);
        mem_free(d->items[i].text);
    }
    mem_free(d->items);
    memset(d, 0, sizeof *d);
}

void diag_add(DiagSink *d, DiagLevel level, const char *file, unsigned line, unsigned col,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0) {
        d->failed = 1;
        return;
    }
    char *text = mem_alloc((size_t)len + 1);
    char *fcopy = file ? mem_strdup(file) : NULL;
    DiagMsg *m = (text && (fcopy || !file)) ? VEC_PUSH(d->items, d->n, d->cap) : NULL;
    if (!m) {
        mem_free(text);
        mem_free(fcopy);
        d->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(text, (size_t)len + 1, fmt, ap);
    va_end(ap);
    m->level = level;
    m->file = fcopy;
    m->line = file ? line : 0;
    m->col = file ? col : 0;
    m->text = text;
    if (level == DIAG_ERROR)
        d->nerrors++;
}

void diag_move(DiagSink *dst, DiagSink *src)
{
    for (size_t i = 0; i < src->n; i++) {
        DiagMsg *m = VEC_PUSH(dst->items, dst->n, dst->cap);
        if (!m) {
            dst->failed = 1;
            mem_free(src->items[i].file);
            mem_free(src->items[i].text);
            continue;
        }
        *m = src->items[i];
        if (m->level == DIAG_ERROR)
            dst->nerrors++;
    }
    if (src->failed)
        dst->failed = 1;
    mem_free(src->items);
    memset(src, 0, sizeof *src);
}

const char *diag_level_name(DiagLevel l)
{
    switch (l) {
    case DIAG_NOTE: return "note";
    case DIAG_WARNING: return "warning";
    case DIAG_ERROR: return "error";
    }
    return "error";
}

int diag_format_loc(char *buf, size_t size, const char *file, unsigned line, unsigned col)
{
    if (line && col)
        return snprintf(buf, size, "%s:%u:%u", file, line, col);
    if (line)
        return snprintf(buf, size, "%s:%u", file, line);
    return snprintf(buf, size, "%s", file);
}

void diag_print(const DiagSink *d, FILE *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const DiagMsg *m = &d->items[i];
        if (m->file) {
            char loc[4096];
            diag_format_loc(loc, sizeof loc, m->file, m->line, m->col);
            fprintf(out, "%s: %s: %s\n", loc, diag_level_name(m->level), m->text);
        } else {
            fprintf(out, "stackcheck: %s: %s\n", diag_level_name(m->level), m->text);
        }
    }
    if (d->failed)
        fprintf(out, "stackcheck: error: out of memory while recording diagnostics\n");
}

int diag_errf(char *err, size_t errsize, const char *fmt, ...)
{
    if (errsize == 0)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsize, fmt, ap);
    va_end(ap);
    return -1;
}
