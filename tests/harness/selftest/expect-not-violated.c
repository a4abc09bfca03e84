/* Harness self-test, wrong on purpose (must FAIL): expect-not forbids the
 * recursion finding that is also expected on this line. */
/* stackcheck-selftest: /forbidden finding .*\[recursion\]/ */
/* stackcheck-args: --target x86_64-linux-gnu */

static int down(int n) /* expect: warning recursion */ /* expect-not: recursion */
{
    return n <= 0 ? 0 : down(n - 1);
}

int main(void) { return down(3); } /* expect: warning unbounded-stack */
