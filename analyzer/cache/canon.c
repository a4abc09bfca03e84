/* This file computes the canonical form of a source file (canon.h): one
 * pass of a small lexer that knows only what decides where a comment is:
 * comments, string and character literals, C23 digit separators (`1'000`
 * is no character literal) and #include header names. Bytes that decide
 * nothing are copied in runs. */
#define _GNU_SOURCE /* memmem */
#include "cache/canon.h"

#include <stdbool.h>
#include <string.h>

typedef struct Canon {
    const char *in;
    size_t len;
    char *out;
    bool marks;  /* the file names stackcheck somewhere */
    bool fail;   /* no canonical form after all (see copy_comment) */
    size_t o;    /* bytes written */
    size_t line; /* o at the start of the current output line */
} Canon;

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (unsigned char)c >= 0x80;
}

/* Writes a line break, dropping the blanks that end the line. */
static void emit_break(Canon *c)
{
    while (c->o > c->line && is_blank(c->out[c->o - 1]))
        c->o--;
    c->out[c->o++] = '\n';
    c->line = c->o;
}

static void emit(Canon *c, char ch)
{
    if (ch == '\n')
        emit_break(c);
    else
        c->out[c->o++] = ch;
}

/* Length of a line splice (backslash, blanks, line break) at i; 0 if none. */
static size_t splice_at(const char *in, size_t len, size_t i)
{
    if (i >= len || in[i] != '\\')
        return 0;
    size_t j = i + 1; /* clang allows blanks in between (with a warning) */
    while (j < len && is_blank(in[j]))
        j++;
    return j < len && in[j] == '\n' ? j + 1 - i : 0;
}

/* Copies the line splices at *i, if any (they come before any lexing:
 * a backslash-newline inside a literal or after a backslash is one too). */
static void copy_splices(Canon *c, size_t *i)
{
    size_t sp;
    while ((sp = splice_at(c->in, c->len, *i)) != 0)
        for (size_t k = 0; k < sp; k++)
            emit(c, c->in[(*i)++]);
}

/* Files where a comment delimiter could be split by a splice or hidden
 * behind a trigraph, and files with a carriage return that ends a line on
 * its own (clang counts it as a line break; here it is a blank): hashed as
 * bytes. */
static bool unsafe(const char *in, size_t len)
{
    for (const char *p = in, *end = in + len; (p = memchr(p, '\r', (size_t)(end - p))) != NULL; p++)
        if (p + 1 == end || p[1] != '\n')
            return true;
    for (const char *p = in, *end = in + len; (p = memchr(p, '\\', (size_t)(end - p))) != NULL; p++) {
        size_t i = (size_t)(p - in);
        if (i > 0 && (in[i - 1] == '/' || in[i - 1] == '*') && splice_at(in, len, i))
            return true;
    }
    for (const char *p = in, *end = in + len; (p = memchr(p, '?', (size_t)(end - p))) != NULL; p++)
        if (p + 2 < end && p[1] == '?' && p[2] != '\0' && strchr("=/'()!<>-", p[2]))
            return true;
    return false;
}

/* The end of the comment that starts at i ("/ *" or "//"): one past its
 * last byte. A line comment goes on over spliced line breaks. */
static size_t comment_end(const char *in, size_t len, size_t i)
{
    if (in[i + 1] == '*') {
        for (size_t j = i + 3; j < len; j++) {
            const char *e = memchr(in + j, '/', len - j);
            if (!e)
                break;
            j = (size_t)(e - in);
            if (in[j - 1] == '*')
                return j + 1;
        }
        return len;
    }
    size_t j = i + 2;
    for (;;) {
        const char *nl = memchr(in + j, '\n', len - j);
        if (!nl)
            return len;
        size_t k = (size_t)(nl - in);
        size_t b = k;
        while (b > j && is_blank(in[b - 1]))
            b--;
        if (b > j && in[b - 1] == '\\') {
            j = k + 1; /* spliced: the comment goes on */
            continue;
        }
        return k;
    }
}

/* Copies or blanks the comment at i and returns the index after it. A
 * comment naming stackcheck is kept. A comment on one line becomes blanks.
 * A block comment over several lines keeps its delimiters and line breaks
 * and only its text is blanked: in C it is one blank *without* a line
 * break, so `#define X 1 /<star> ... <star>/ + 2` goes on past the break
 * and a '#' after it starts no directive. Kept delimiters make the
 * canonical form lex like the file (the fuzz target checks that it is a
 * fixed point), so two files with one canonical form lex alike. */
static size_t copy_comment(Canon *c, size_t i)
{
    size_t end = comment_end(c->in, c->len, i);
    if (c->marks && memmem(c->in + i, end - i, "stackcheck", 10) != NULL) {
        for (; i < end; i++)
            emit(c, c->in[i]);
        return end;
    }
    size_t b = c->o;
    while (b > c->line && is_blank(c->out[b - 1]))
        b--;
    if (b > c->line && c->out[b - 1] == '\\') {
        /* `\ /<star>x<star>/` then a line break is no splice, but with the
         * comment blanked and the line's end trimmed it would read as one. */
        c->fail = true;
        return end;
    }
    size_t text = i, text_end = end;
    if (c->in[i + 1] == '*' && (end - i < 4 || c->in[end - 2] != '*' || c->in[end - 1] != '/')) {
        c->fail = true; /* unterminated: clang refuses the file anyway */
        return end;
    }
    if (c->in[i + 1] == '*' && memchr(c->in + i, '\n', end - i)) {
        emit(c, c->in[text++]);
        emit(c, c->in[text++]);
        text_end = end - 2; /* its end is kept below */
    }
    while (text < text_end) {
        const char *nl = memchr(c->in + text, '\n', text_end - text);
        size_t stop = nl ? (size_t)(nl - c->in) : text_end;
        memset(c->out + c->o, ' ', stop - text);
        c->o += stop - text;
        text = stop;
        if (nl) {
            emit_break(c);
            text++;
        }
    }
    for (; text_end < end; text_end++)
        emit(c, c->in[text_end]);
    return end;
}

/* Copies a string or character literal starting at i (the quote); it ends
 * at the matching quote or at a line break (which stays for the caller).
 * Returns the index after it. */
static size_t copy_literal(Canon *c, size_t i)
{
    char q = c->in[i];
    emit(c, c->in[i++]);
    for (;;) {
        copy_splices(c, &i);
        if (i >= c->len || c->in[i] == '\n')
            return i;
        char ch = c->in[i++];
        emit(c, ch);
        if (ch == q)
            return i;
        if (ch == '\\') {
            copy_splices(c, &i);
            if (i < c->len && c->in[i] != '\n')
                emit(c, c->in[i++]); /* the escaped byte */
        }
    }
}

/* The start of the word (letters, digits, '_', '.', and a sign after an
 * exponent letter) that ends just before i. */
static size_t word_start(const char *in, size_t i)
{
    size_t s = i;
    while (s > 0 && (is_ident(in[s - 1]) || in[s - 1] == '.' ||
                     ((in[s - 1] == '+' || in[s - 1] == '-') && s > 1 && strchr("eEpP", in[s - 2]))))
        s--;
    return s;
}

/* Is the quote at i a C23 digit separator (1'000), inside a pp-number? */
static bool digit_separator(const char *in, size_t len, size_t i)
{
    if (i + 1 >= len || !is_ident(in[i + 1]) || i == 0)
        return false;
    size_t s = word_start(in, i);
    return s < i && ((in[s] >= '0' && in[s] <= '9') || (in[s] == '.' && in[s + 1] >= '0' && in[s + 1] <= '9'));
}

/* Is the quote at i the start of a raw string literal (R"delim(...)delim",
 * a GNU extension in C), which can hold quotes and line breaks? */
static bool raw_string(const char *in, size_t i)
{
    static const char *const prefixes[] = {"R", "LR", "uR", "UR", "u8R"};
    size_t s = i;
    while (s > 0 && is_ident(in[s - 1]))
        s--;
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++)
        if (strlen(prefixes[k]) == i - s && memcmp(in + s, prefixes[k], i - s) == 0)
            return true;
    return false;
}

/* Copies the blanks, line splices and block comments at i (what may come
 * before a directive's '#' and between its parts: all of them are gone or
 * one blank before the preprocessor looks for a directive); returns the
 * index after them. */
static size_t copy_blanks(Canon *c, size_t i)
{
    for (;;) {
        while (i < c->len && is_blank(c->in[i]))
            emit(c, c->in[i++]);
        if (splice_at(c->in, c->len, i))
            copy_splices(c, &i);
        else if (i + 1 < c->len && c->in[i] == '/' && c->in[i + 1] == '*')
            i = copy_comment(c, i);
        else
            return i;
    }
}

/* At the start of a line (i after a line break): copies what comes before
 * the first token (blanks, splices, block comments) and, for a directive,
 * its '#', its name and, for #include, #include_next and #import, a <...>
 * header name verbatim. A directive's '#' is the first token of its
 * logical line, so `/<star> c <star>/ #include <a//b.h>`, with a comment
 * over several lines too, and `\`-newline `#include <a//b.h>` are
 * directives with a header name: were the '#' read only after blanks, the
 * header name would read as `<a` and a line comment, and once the comment
 * is blanked the second pass would see the directive (no fixed point).
 * Returns the index to go on from, or (size_t)-1 when a splice splits the
 * directive's '%:', name or header name. */
static size_t copy_line_start(Canon *c, size_t i)
{
    const char *in = c->in;
    size_t len = c->len;
    i = copy_blanks(c, i);
    if (i < len && in[i] == '#')
        emit(c, in[i++]);
    else if (i + 1 < len && in[i] == '%' && in[i + 1] == ':') {
        emit(c, in[i++]);
        emit(c, in[i++]);
    } else if (i < len && in[i] == '%') {
        size_t j = i + 1, sp;
        while ((sp = splice_at(in, len, j)) != 0)
            j += sp;
        return j > i + 1 && j < len && in[j] == ':' ? (size_t)-1 : i; /* `%`, splice, `:` */
    } else
        return i;
    i = copy_blanks(c, i); /* blanks, splices and block comments may come before the name */
    size_t s = i;
    while (i < len && is_ident(in[i])) {
        emit(c, in[i++]);
        if (splice_at(in, len, i))
            return (size_t)-1;
    }
    size_t n = i - s;
    if (!((n == 7 && memcmp(in + s, "include", 7) == 0) || (n == 12 && memcmp(in + s, "include_next", 12) == 0) ||
          (n == 6 && memcmp(in + s, "import", 6) == 0)))
        return i;
    i = copy_blanks(c, i);
    if (i < len && in[i] == '<')
        while (i < len && in[i] != '\n') {
            if (splice_at(in, len, i))
                return (size_t)-1;
            emit(c, in[i]);
            if (in[i++] == '>')
                break;
        }
    return i;
}

/* The bytes that need a decision; everything else is copied in runs. */
static const bool special[256] = {['/'] = true, ['"'] = true, ['\''] = true, ['\\'] = true, ['\n'] = true};

size_t canon_source(const char *in, size_t len, char *out)
{
    if (unsafe(in, len))
        return (size_t)-1;
    Canon c = {.in = in, .len = len, .out = out, .marks = memmem(in, len, "stackcheck", 10) != NULL};
    size_t i = copy_line_start(&c, 0);
    while (i != (size_t)-1 && i < len) {
        size_t j = i;
        while (j < len && !special[(unsigned char)in[j]])
            j++;
        memcpy(out + c.o, in + i, j - i);
        c.o += j - i;
        i = j;
        if (i >= len)
            break;
        char ch = in[i];
        size_t sp;
        if (ch == '\n') {
            emit_break(&c);
            i = copy_line_start(&c, i + 1);
        } else if (ch == '/' && i + 1 < len && (in[i + 1] == '*' || in[i + 1] == '/')) {
            i = copy_comment(&c, i); /* a block comment is a blank: the line goes on */
        } else if ((sp = splice_at(in, len, i)) != 0) {
            for (size_t k = 0; k < sp; k++)
                emit(&c, in[i + k]); /* the logical line goes on */
            i += sp;
        } else if (ch == '"' && raw_string(in, i)) {
            return (size_t)-1;
        } else if (ch == '\'' && digit_separator(in, len, i)) {
            emit(&c, in[i++]);
        } else if (ch == '"' || ch == '\'') {
            i = copy_literal(&c, i);
        } else {
            emit(&c, in[i++]);
        }
    }
    if (i == (size_t)-1 || c.fail)
        return (size_t)-1;
    while (c.o > 0 && (is_blank(out[c.o - 1]) || out[c.o - 1] == '\n'))
        c.o--;
    return c.o;
}
