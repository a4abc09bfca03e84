/* This file implements the growable string the analyses build finding
 * messages in. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "util/mem.h"
#include "util/vec.h"

void sbuf_init(StrBuf *b) { memset(b, 0, sizeof *b); }

void sbuf_fini(StrBuf *b)
{
    mem_free(b->p);
    memset(b, 0, sizeof *b);
}

void sbuf_add(StrBuf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0 || vec_reserve_n((void **)&b->p, b->n + (size_t)len + 1, &b->cap, 1) != 0) {
        b->failed = true;
        va_end(ap2);
        return;
    }
    vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap2);
    va_end(ap2);
    b->n += (size_t)len;
}

const char *sbuf_str(const StrBuf *b) { return b->n ? b->p : ""; }
