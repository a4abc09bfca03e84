/* The canonical form of a C source file for the cache: the file with what
 * cannot change the preprocessor's output taken out, so that an edit to a
 * comment, or trailing blanks, does not make a file parse again.
 *
 * The form keeps every byte outside comments where it was (line and byte
 * column), replaces the text of each ordinary comment with blanks (a block
 * comment over several lines keeps its line breaks and its delimiters, so
 * that it still reads as one blank without a line break: a directive goes
 * on past it), removes trailing blanks from each line and blank lines at
 * the end of the file. The form lexes like the file, so two files with
 * the same canonical form have the same tokens at the same lines and
 * columns in the same directives: they preprocess to the same token stream
 * with the same locations, the "preprocessed content" the cache key stands
 * for, computed without running the preprocessor.
 *
 * Kept verbatim, because they carry meaning:
 * - comments that contain "stackcheck" (`// stackcheck: targets(f, g)`);
 * - string and character literals, and `<...>` header names of #include,
 *   #include_next and #import (`<a//b.h>` holds no comment).
 * Files where a comment's delimiter could be split by a line splice (a
 * backslash-newline right after '/' or '*') or could hide behind a
 * trigraph ("??/"), files with a raw string literal (R"(...)", a GNU
 * extension), files with an unterminated block comment, a backslash right
 * before a comment, a splice inside a directive's name, '%:' or header
 * name, or a carriage return not followed by a line feed have no canonical
 * form: the caller hashes their bytes. */
#ifndef STACKCHECK_CACHE_CANON_H
#define STACKCHECK_CACHE_CANON_H

#include <stddef.h>

/* Writes the canonical form of the `len` bytes at `in` to `out` (room for
 * `len` bytes) and returns its length, or (size_t)-1 when the file has no
 * canonical form (see above). */
size_t canon_source(const char *in, size_t len, char *out);

#endif
