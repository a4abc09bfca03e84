/* Unit tests for the stderr filter (analyzer/cli/stderr_filter.c): while it
 * is on, libclang's crash dump is dropped and everything else written to
 * fd 2 reaches the real stderr unchanged, however the writes are split. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"

#define DUMP                                                                                       \
    "libclang: crash detected during parsing: {\n"                                                 \
    "  'source_filename' : 'x.c'\n"                                                                \
    "  'command_line_args' : ['clang'],\n"                                                         \
    "  'unsaved_files' : [],\n"                                                                    \
    "  'options' : 16896,\n"                                                                       \
    "}\n"

/* Runs the filter with the real stderr sent to a temporary file, writes
 * `text` to fd 2 in pieces of `piece` bytes (0: one write) and `direct`
 * to the filter's direct stream; returns what reached the real stderr. */
static char *filtered(const char *text, size_t piece, const char *direct, bool *was_on)
{
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);

    CliStderrFilter f;
    cli_stderr_filter_begin(&f);
    *was_on = f.on;
    size_t n = strlen(text);
    for (size_t k = 0; k < n;) {
        size_t m = piece && piece < n - k ? piece : n - k;
        assert_int_equal(write(STDERR_FILENO, text + k, m), (ssize_t)m);
        k += m;
    }
    if (direct) {
        fputs(direct, f.direct);
        fflush(f.direct);
    }
    cli_stderr_filter_end(&f);
    assert_false(f.on);

    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    assert_int_equal(fseek(tmp, 0, SEEK_END), 0);
    long size = ftell(tmp);
    assert_true(size >= 0);
    rewind(tmp);
    char *buf = calloc((size_t)size + 1, 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, tmp), (size_t)size);
    fclose(tmp);
    return buf;
}

static void expect(const char *text, const char *want)
{
    static const size_t pieces[] = {0, 1, 2, 3, 7, 41, 4096};
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
        bool on = false;
        char *got = filtered(text, pieces[i], NULL, &on);
        assert_true(on);
        assert_string_equal(got, want);
        free(got);
    }
}

static void test_plain_text_passes(void **state)
{
    (void)state;
    expect("one line\n", "one line\n");
    expect("two\nlines\n", "two\nlines\n");
    expect("no newline at the end", "no newline at the end");
    expect("", "");
    expect("\n\n\r\n", "\n\n\r\n");
}

static void test_dump_is_dropped(void **state)
{
    (void)state;
    expect(DUMP, "");
    expect("before\n" DUMP "after\n", "before\nafter\n");
    expect(DUMP DUMP "x.c: error: libclang crashed\n", "x.c: error: libclang crashed\n");
    /* A line of "}" with more on it does not end the block. */
    expect("libclang: crash detected during parsing: {\n  }\n }\n}x\n}\nkept\n", "kept\n");
}

static void test_near_misses_pass(void **state)
{
    (void)state;
    expect("libclang: crash detected during parsing\n", "libclang: crash detected during parsing\n");
    expect("libclang: something else\n", "libclang: something else\n");
    expect("libclang: crash detected during parsing: {", "libclang: crash detected during parsing: {");
    expect("say libclang: crash detected during parsing: {\n}\n",
           "say libclang: crash detected during parsing: {\n}\n");
    expect("libclang:", "libclang:");
}

static void test_direct_stream(void **state)
{
    (void)state;
    bool on = false;
    char *got = filtered("", 0, "\r[1/2] a.c\033[K", &on);
    assert_true(on);
    assert_string_equal(got, "\r[1/2] a.c\033[K");
    free(got);
}

static void test_off_without_crash_recovery(void **state)
{
    (void)state;
    setenv("LIBCLANG_DISABLE_CRASH_RECOVERY", "1", 1);
    bool on = true;
    char *got = filtered(DUMP, 0, "direct\n", &on);
    unsetenv("LIBCLANG_DISABLE_CRASH_RECOVERY");
    assert_false(on);
    assert_string_equal(got, DUMP "direct\n");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_passes),
        cmocka_unit_test(test_dump_is_dropped),
        cmocka_unit_test(test_near_misses_pass),
        cmocka_unit_test(test_direct_stream),
        cmocka_unit_test(test_off_without_crash_recovery),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
