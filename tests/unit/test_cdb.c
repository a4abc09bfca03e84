/* Unit tests for the compile database reader: both command forms, path
 * handling, filtering of flags, and a clear reason for each bad database. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdb/cdb.h"

static char dir[64];

static void write_db(const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/compile_commands.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/sc-cdb-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/compile_commands.json", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

static bool has_arg(const CdbEntry *e, const char *a)
{
    for (size_t i = 0; i < e->nargs; i++)
        if (strcmp(e->args[i], a) == 0)
            return true;
    return false;
}

static void test_both_forms(void **state)
{
    (void)state;
    char text[1024];
    snprintf(text, sizeof text,
             "[{\"directory\": \"/src/proj/build\", \"file\": \"../a.c\","
             "  \"arguments\": [\"gcc\", \"-Iinc\", \"-I\", \"../other\", \"-DX=1\", \"-Wall\","
             "                  \"-Werror\", \"-MD\", \"-MF\", \"a.d\", \"-c\", \"-o\", \"a.o\", \"../a.c\"]},"
             " {\"directory\": \"/src/proj\", \"file\": \"/src/proj/b.c\","
             "  \"command\": \"cc -std=c99 -isystem sys -D'Y=\\\"s p\\\"' -c b.c -o b.o\"},"
             " {\"directory\": \"/src/proj\", \"file\": \"a.c\", \"command\": \"cc -DTWICE -c a.c\"}]");
    write_db(text);
    Cdb *db = NULL;
    char err[256];
    assert_int_equal(cdb_load(dir, &db, err, sizeof err), 0);
    assert_int_equal(db->n, 2); /* a.c once: the first command wins */
    const CdbEntry *a = &db->items[0];
    assert_string_equal(a->file, "/src/proj/a.c");
    assert_string_equal(a->directory, "/src/proj/build");
    assert_true(has_arg(a, "-I/src/proj/build/inc"));
    assert_true(has_arg(a, "-I"));
    assert_true(has_arg(a, "/src/proj/other"));
    assert_true(has_arg(a, "-DX=1"));
    assert_false(has_arg(a, "-Wall"));
    assert_false(has_arg(a, "-Werror"));
    assert_false(has_arg(a, "-MF"));
    assert_false(has_arg(a, "a.d"));
    assert_false(has_arg(a, "-c"));
    assert_false(has_arg(a, "a.o"));
    assert_false(has_arg(a, "../a.c"));
    assert_false(has_arg(a, "-DTWICE"));
    const CdbEntry *b = &db->items[1];
    assert_true(has_arg(b, "-std=c99"));
    assert_true(has_arg(b, "/src/proj/sys"));
    assert_true(has_arg(b, "-DY=\"s p\""));
    assert_false(has_arg(b, "b.c"));
    assert_string_equal(a->compiler, "gcc");
    assert_string_equal(b->compiler, "cc");
    assert_ptr_equal(cdb_find(db, "/src/proj/b.c"), b);
    assert_ptr_equal(cdb_find(db, "/src/proj/x/../a.c"), a);
    assert_null(cdb_find(db, "/src/proj/c.c"));
    cdb_free(db);
}

/* The triple a command names, or "" (its compiler's default), and -m32. */
static void expect_triple(const char *compiler, const char *args, const char *want, int want_m32)
{
    char cc[128], argbuf[256];
    snprintf(cc, sizeof cc, "%s", compiler);
    snprintf(argbuf, sizeof argbuf, "%s", args);
    char *argv[16];
    size_t n = 0;
    for (char *t = strtok(argbuf, " "); t && n < 16; t = strtok(NULL, " "))
        argv[n++] = t;
    char got[64] = "";
    int m32 = -1;
    int rc = cdb_command_triple(cc, (const char *const *)argv, n, got, sizeof got, &m32);
    if (rc == 0)
        got[0] = '\0';
    if (strcmp(got, want) != 0 || m32 != want_m32)
        fail_msg("%s %s: got '%s' m32=%d, want '%s' m32=%d", compiler, args, got, m32, want, want_m32);
}

static void test_entry_triple(void **state)
{
    (void)state;
    expect_triple("arm-none-eabi-gcc", "-mcpu=cortex-m4", "arm-none-eabi", 0);
    expect_triple("/opt/tc/bin/arm-none-eabi-gcc", "-O2", "arm-none-eabi", 0);
    expect_triple("aarch64-linux-gnu-gcc-12", "-O2", "aarch64-linux-gnu", 0);
    expect_triple("riscv64-unknown-elf-gcc-13.2.0", "-O2", "riscv64-unknown-elf", 0);
    expect_triple("x86_64-linux-gnu-g++", "-m32", "x86_64-linux-gnu", 1);
    expect_triple("xtensa-esp32-elf-cc", "-O2", "xtensa-esp32-elf", 0);
    expect_triple("gcc", "-O2", "", 0);
    expect_triple("/usr/bin/cc", "-m32 -m64", "", 0);
    expect_triple("clang-19", "-O2", "", 0);
    expect_triple("my-wrapper", "-O2", "", 0);
    expect_triple("gcc-wrapper-x", "-O2", "", 0);
    expect_triple("ccache-gcc", "-O2", "", 0);     /* a prefix that is no triple */
    expect_triple("/opt/arm-gcc", "-O2", "", 0);
    /* An explicit target wins over the name; the last one counts. */
    expect_triple("arm-none-eabi-gcc", "--target=thumbv7em-none-eabi", "thumbv7em-none-eabi", 0);
    expect_triple("clang", "-target riscv32-unknown-elf -O2", "riscv32-unknown-elf", 0);
    expect_triple("clang", "--target x86_64-linux-gnu --target=i686-linux-gnu", "i686-linux-gnu", 0);
    expect_triple("clang", "-target", "", 0); /* no value */
    /* Too long for the buffer: none. */
    expect_triple("clang", "--target=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", 0);
}

static void expect_bad(const char *text, const char *reason_part)
{
    if (text)
        write_db(text);
    Cdb *db = NULL;
    char err[512];
    assert_int_equal(cdb_load(dir, &db, err, sizeof err), -1);
    assert_null(db);
    if (!strstr(err, reason_part))
        fail_msg("reason '%s' does not mention '%s'", err, reason_part);
}

static void test_bad_databases(void **state)
{
    (void)state;
    expect_bad(NULL, "no compile_commands.json");
    expect_bad("[{\"directory\": \"/\", ", "not valid JSON");
    expect_bad("{}", "expected a JSON array");
    expect_bad("[3]", "entry 0 is not an object");
    expect_bad("[{\"file\": \"a.c\", \"command\": \"cc a.c\"}]", "entry 0 has no \"directory\"");
    expect_bad("[{\"directory\": \"/\", \"file\": \"a.c\"}]", "neither \"command\" nor \"arguments\"");
    expect_bad("[{\"directory\": \"/\", \"file\": \"a.c\", \"arguments\": [1]}]", "non-string");
    Cdb *db = NULL;
    char err[512];
    assert_int_equal(cdb_load("/nonexistent-dir", &db, err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file"));
}

static void test_abspath(void **state)
{
    (void)state;
    char buf[256];
    assert_int_equal(cdb_abspath("/a/b", "../c/./d.c", buf, sizeof buf), 0);
    assert_string_equal(buf, "/a/c/d.c");
    assert_int_equal(cdb_abspath("/a", "/x//y/../z", buf, sizeof buf), 0);
    assert_string_equal(buf, "/x/z");
    assert_int_equal(cdb_abspath("/", "../..", buf, sizeof buf), 0);
    assert_string_equal(buf, "/");
    assert_int_equal(cdb_abspath("/a", "b", buf, 4), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_both_forms, setup, teardown),
        cmocka_unit_test(test_entry_triple),
        cmocka_unit_test_setup_teardown(test_bad_databases, setup, teardown),
        cmocka_unit_test(test_abspath),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
