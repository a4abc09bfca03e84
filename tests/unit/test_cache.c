/* Unit tests for the summary cache: a hit when nothing changed, a miss when
 * any file the parse read changed, and a corrupt entry (a torn file, a
 * damaged binary summary body) is a miss, never an error. Also the atomic
 * file writer it relies on. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache/cache.h"
#include "summary/summary_bin.h"
#include "util/fileio.h"
#include "util/mem.h"

static char dir[64];
static char src[128], hdr[128], cdir[128];

static void write_text(const char *path, const char *text)
{
    char err[128];
    assert_int_equal(file_write_atomic(path, text, strlen(text), err, sizeof err), 0);
}

static void write_raw(const char *path, const void *data, size_t len)
{
    char err[128];
    assert_int_equal(file_write_atomic(path, data, len, err, sizeof err), 0);
}

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/sc-cache-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(src, sizeof src, "%s/a.c", dir);
    snprintf(hdr, sizeof hdr, "%s/h.h", dir);
    snprintf(cdir, sizeof cdir, "%s/cache", dir);
    write_text(src, "#include \"h.h\"\nint main(void) { return f(); }\n");
    write_text(hdr, "static inline int f(void) { return 0; }\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static TuSummary *summary(void)
{
    TuSummary *s = sum_new(src, "x86_64-linux-gnu");
    s->ndeps = 2;
    s->deps = arena_alloc(&s->arena, 2 * sizeof *s->deps);
    s->deps[0] = arena_strdup(&s->arena, src);
    s->deps[1] = arena_strdup(&s->arena, hdr);
    s->nfuncs = 1;
    s->funcs = arena_alloc(&s->arena, sizeof *s->funcs);
    s->funcs[0].name = "main";
    s->funcs[0].usr = "c:@F@main";
    s->funcs[0].nblocks = 1;
    s->funcs[0].blocks = arena_alloc(&s->arena, sizeof *s->funcs[0].blocks);
    s->funcs[0].blocks[0].exit = SUM_EXIT_RETURN;
    return s;
}

static void key_for(const char *target, CacheKey *k)
{
    const char *args[] = {"-DX=1"};
    CacheInputs in = {src, NULL, args, 1, target, "1.0", "clang 19"};
    cache_key(&in, k);
}

static void test_hit_and_misses(void **state)
{
    (void)state;
    CacheKey k, k2;
    key_for("x86_64-linux-gnu", &k);
    key_for("arm-none-eabi", &k2);
    assert_string_not_equal(k.hex, k2.hex);
    TuSummary *out = NULL;
    assert_int_equal(cache_get(cdir, &k, "1.0", &out), 0); /* empty cache */

    TuSummary *s = summary();
    char err[256];
    assert_int_equal(cache_put(cdir, &k, s, "1.0", "clang 19", err, sizeof err), 0);
    assert_int_equal(cache_get(cdir, &k, "1.0", &out), 1);
    assert_int_equal(out->nfuncs, 1);
    assert_string_equal(out->funcs[0].name, "main");
    sum_free(out);
    out = NULL;
    assert_int_equal(cache_get(cdir, &k2, "1.0", &out), 0);    /* other target */
    assert_int_equal(cache_get(cdir, &k, "2.0", &out), 0);     /* other version */

    /* A changed header invalidates the entry; restoring it revalidates. */
    write_text(hdr, "static inline int f(void) { return 1; }\n");
    /* Within one process the hash of the header is remembered... */
    assert_int_equal(cache_get(cdir, &k, "1.0", &out), 1);
    sum_free(out);
    out = NULL;
    /* ...until forgotten, as between two runs. */
    cache_forget_hashes();
    assert_int_equal(cache_get(cdir, &k, "1.0", &out), 0);
    write_text(hdr, "static inline int f(void) { return 0; }\n");
    cache_forget_hashes();
    assert_int_equal(cache_get(cdir, &k, "1.0", &out), 1);
    sum_free(out);
    out = NULL;

    /* A torn or damaged entry is a miss. */
    char path[512];
    snprintf(path, sizeof path, "%s/%.2s/%s.entry", cdir, k.hex, k.hex + 2);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(file_read_all(path, 1 << 20, &text, &len, err, sizeof err), 0);
    for (size_t cut = 0; cut < len; cut += len / 7 + 1) {
        FILE *f = fopen(path, "wb");
        fwrite(text, 1, cut, f);
        fclose(f);
        assert_int_equal(cache_get(cdir, &k, "1.0", &out), 0);
    }
    /* A damaged binary body (after the "--" line) is a miss too: a bad
     * magic, a trailing byte, an index out of range, a JSON body. */
    char *body = strstr(text, "\n--\n");
    assert_non_null(body);
    body += 4;
    assert_true(sum_is_bin(body, len - (size_t)(body - text)));
    char *copy = mem_alloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = 0;
    write_raw(path, copy, len + 1); /* trailing byte */
    assert_int_equal(cache_get(cdir, &k, "1.0", &out), 0);
    copy[body - text] ^= 1; /* magic */
    write_raw(path, copy, len);
    assert_int_equal(cache_get(cdir, &k, "1.0", &out), 0);
    copy[body - text] ^= 1;
    write_raw(path, copy, len); /* intact again: a hit */
    assert_int_equal(cache_get(cdir, &k, "1.0", &out), 1);
    sum_free(out);
    out = NULL;
    /* The body ends with the deps: the last byte is the second dep's
     * string index; 0 is NULL, where a path is needed. */
    copy[len - 1] = 0;
    write_raw(path, copy, len);
    assert_int_equal(cache_get(cdir, &k, "1.0", &out), 0);
    size_t hlen = (size_t)(body - text);
    memcpy(copy + hlen, "{\"format\":\"stackcheck-summary\"}", 32);
    write_raw(path, copy, hlen + 32);
    assert_int_equal(cache_get(cdir, &k, "1.0", &out), 0);
    mem_free(copy);
    mem_free(text);
    /* And storing again repairs it. */
    assert_int_equal(cache_put(cdir, &k, s, "1.0", "clang 19", err, sizeof err), 0);
    assert_int_equal(cache_get(cdir, &k, "1.0", &out), 1);
    sum_free(out);
    sum_free(s);
    cache_forget_hashes();
}

static void test_file_io_errors(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    char err[256];
    assert_int_equal(file_read_all(dir, 100, &buf, &len, err, sizeof err), -1);
    assert_string_equal(err, "is a directory");
    assert_int_equal(file_read_all("/dev/null", 100, &buf, &len, err, sizeof err), -1);
    assert_string_equal(err, "not a regular file");
    assert_int_equal(file_read_all(src, 3, &buf, &len, err, sizeof err), -1);
    assert_non_null(strstr(err, "larger than"));
    assert_int_equal(file_write_atomic("/nonexistent-dir/x", "a", 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file"));
}

/* A compile database round-trips through the cache, keyed by its bytes. */
static void test_compile_database(void **state)
{
    (void)state;
    char dbfile[192];
    snprintf(dbfile, sizeof dbfile, "%s/compile_commands.json", dir);
    write_text(dbfile, "[]\n");
    Cdb *db = NULL;
    assert_int_equal(cache_get_cdb(cdir, dir, "fe 1", "1.0", &db), 0);
    Cdb in = {.path = dbfile, .n = 1};
    char a1[] = "-DX=1", a2[] = "-I/inc";
    char *args[] = {a1, a2};
    char cc[] = "arm-none-eabi-gcc";
    CdbEntry e = {.file = src, .directory = dir, .compiler = cc, .args = args, .nargs = 2};
    in.items = &e;
    cache_put_cdb(cdir, dir, "fe 1", "1.0", &in);
    assert_int_equal(cache_get_cdb(cdir, dir, "fe 1", "1.0", &db), 1);
    assert_string_equal(db->path, dbfile);
    assert_int_equal(db->n, 1);
    assert_string_equal(db->items[0].file, src);
    assert_string_equal(db->items[0].directory, dir);
    assert_int_equal(db->items[0].nargs, 2);
    assert_string_equal(db->items[0].args[1], "-I/inc");
    assert_string_equal(db->items[0].compiler, "arm-none-eabi-gcc");
    cdb_free(db);
    db = NULL;
    /* Another front end, tool version or database content: a miss. */
    assert_int_equal(cache_get_cdb(cdir, dir, "fe 2", "1.0", &db), 0);
    assert_int_equal(cache_get_cdb(cdir, dir, "fe 1", "2.0", &db), 0);
    write_text(dbfile, "[ ]\n");
    assert_int_equal(cache_get_cdb(cdir, dir, "fe 1", "1.0", &db), 0);
    assert_null(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hit_and_misses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_io_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compile_database, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
