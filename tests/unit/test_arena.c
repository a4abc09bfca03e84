/* Unit tests for arenas (util/arena.c): zeroed, aligned allocations, and
 * the huge-page pool that long-lived arenas take their chunks from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/arena.h"

static void fill_and_check(Arena *a, size_t size, unsigned char byte)
{
    unsigned char *p = arena_alloc(a, size);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
    for (size_t i = 0; i < size; i += 4096)
        assert_int_equal(p[i], 0); /* zeroed */
    memset(p, byte, size);
}

static void test_plain_arena(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    for (int i = 0; i < 100; i++)
        fill_and_check(&a, 1000 + (size_t)i * 997, (unsigned char)i);
    assert_string_equal(arena_printf(&a, "%s-%d", "x", 42), "x-42");
    arena_fini(&a);
}

static void test_pool(void **state)
{
    (void)state;
    arena_pool_begin();
    Arena a, b, plain;
    arena_init_pooled(&a);
    arena_init_pooled(&b);
    arena_init(&plain);
    /* small and big requests, two arenas interleaved, one bigger than a
     * pool region (64 MiB) and one bigger than a quarter of it */
    for (int i = 0; i < 200; i++) {
        fill_and_check(&a, 5000, 1);
        fill_and_check(&b, 70000, 2);
    }
    fill_and_check(&a, (size_t)20 << 20, 3);
    fill_and_check(&b, (size_t)80 << 20, 4);
    fill_and_check(&a, 100, 5);
    fill_and_check(&plain, 100, 6);
    arena_fini(&a);
    arena_fini(&b);
    arena_pool_end();
    /* a plain arena outlives the pool; a pooled one made after the end
     * falls back to malloc */
    fill_and_check(&plain, 200000, 7);
    arena_fini(&plain);
    Arena late;
    arena_init_pooled(&late);
    fill_and_check(&late, 100000, 8);
    arena_fini(&late);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_arena),
        cmocka_unit_test(test_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
