/* Harness self-test, wrong on purpose (must FAIL): the recursion findings
 * point at the function name, expected one line below. */
/* stackcheck-selftest: /unexpected finding: wrong-line\.c:7:\d+: error: .*\[missing-base-case\]/ */
/* stackcheck-args: --target x86_64-linux-gnu */
/* stackcheck-exit: 1 */

static int down(int n) /* expect@+1: error missing-base-case */ /* expect@+1: warning recursion */
{
    return down(n - 1);
}

int main(void) { return down(3); } /* expect: warning unbounded-stack */
