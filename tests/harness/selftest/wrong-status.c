/* Harness self-test, wrong on purpose (must FAIL): main reaches recursion
 * entered with a value the code does not bound, so its bound is unbounded,
 * not estimated. */
/* stackcheck-selftest: /entry 'main' is unbounded/ */
/* stackcheck-args: --target x86_64-linux-gnu */

static int down(int n) /* expect: warning recursion */
{
    return n <= 0 ? 0 : down(n - 1);
}

int main(int argc, char **argv) { (void)argv; return down(argc); } /* expect: warning unbounded-stack */
/* expect-bound: main estimated */
