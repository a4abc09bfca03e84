/* Unit tests of the .su reader (analyzer/core/frame_su.c): GCC and clang
 * line formats, the three qualifiers, lookups by file basename, line and
 * name (GCC clone names too), malformed lines, and allocation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/frame_su.h"
#include "util/mem.h"

static const char GCC_SU[] = "src/s.c:1:12:leaf\t24\tstatic\n"
                             "src/s.c:2:5:mid\t96\tstatic\n"
                             "/abs/v.c:7:3:vla\t48\tdynamic\n"
                             "x.c:9:1:b.part.0\t64\tdynamic,bounded\r\n";
static const char CLANG_SU[] = "s.c:2:mid\t72\tstatic\n"
                               "other/s.c:1:leaf\t8\tstatic";

static void test_formats(void **state)
{
    (void)state;
    SuTable t;
    frame_su_init(&t);
    assert_int_equal(frame_su_parse(&t, GCC_SU, strlen(GCC_SU)), 0);
    assert_int_equal(frame_su_parse(&t, CLANG_SU, strlen(CLANG_SU)), 0);
    assert_int_equal(t.n, 6);
    assert_int_equal(t.bad_lines, 0);
    frame_su_sort(&t);
    const SuEntry *e = frame_su_find(&t, "/home/u/src/s.c", 1, "leaf");
    assert_non_null(e);
    assert_int_equal(e->bytes, 24); /* the larger of gcc's 24 and clang's 8 */
    e = frame_su_find(&t, "s.c", 2, "mid");
    assert_non_null(e);
    assert_int_equal(e->bytes, 96);
    assert_int_equal(e->col, 5);
    e = frame_su_find(&t, "v.c", 7, "vla");
    assert_non_null(e);
    assert_int_equal(e->qual, SU_DYNAMIC);
    e = frame_su_find(&t, "x.c", 9, "b"); /* GCC clone name */
    assert_non_null(e);
    assert_int_equal(e->qual, SU_DYNAMIC_BOUNDED);
    assert_int_equal(e->bytes, 64);
    assert_null(frame_su_find(&t, "s.c", 3, "leaf"));     /* wrong line */
    assert_null(frame_su_find(&t, "t.c", 1, "leaf"));     /* wrong file */
    assert_null(frame_su_find(&t, "s.c", 1, "lea"));      /* wrong name */
    assert_null(frame_su_find(&t, "x.c", 9, "b.pa"));     /* not a clone of b.pa */
    frame_su_fini(&t);
}

static void test_bad_lines(void **state)
{
    (void)state;
    static const char BAD[] = "no tabs here\n"
                              "a.c:1:f\tx12\tstatic\n"      /* bytes not a number */
                              "a.c:1:f\t12\tsometimes\n"    /* unknown qualifier */
                              "a.c:f\t12\tstatic\n"         /* no line */
                              ":1:f\t12\tstatic\n"          /* no file */
                              "a.c:0:f\t12\tstatic\n"       /* line 0 */
                              "a.c:1:\t12\tstatic\n"        /* no name */
                              "a.c:99999999999:f\t1\tstatic\n"
                              "\n"
                              "a.c:3:g\t16\tstatic";        /* good, no newline */
    SuTable t;
    frame_su_init(&t);
    assert_int_equal(frame_su_parse(&t, BAD, strlen(BAD)), 0);
    assert_int_equal(t.n, 1);
    assert_int_equal(t.bad_lines, 8);
    frame_su_sort(&t);
    assert_non_null(frame_su_find(&t, "a.c", 3, "g"));
    frame_su_fini(&t);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    bool failed_once = false;
    for (unsigned long n = 1; n < 12; n++) {
        SuTable t;
        frame_su_init(&t);
        mem_fail_after(n);
        int rc = frame_su_parse(&t, GCC_SU, strlen(GCC_SU));
        mem_fail_after(0);
        assert_true(rc == 0 || rc == -1);
        failed_once |= rc == -1;
        frame_su_sort(&t);
        frame_su_fini(&t);
    }
    assert_true(failed_once);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
