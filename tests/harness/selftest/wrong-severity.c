/* Harness self-test, wrong on purpose (must FAIL): missing-base-case is an
 * error, expected here as a warning. */
/* stackcheck-selftest: /unexpected finding: wrong-severity\.c:7:\d+: error: .*\[missing-base-case\]/ */
/* stackcheck-args: --target x86_64-linux-gnu */
/* stackcheck-exit: 1 */

static int down(int n) /* expect: warning missing-base-case */ /* expect: warning recursion */
{
    return down(n - 1);
}

int main(void) { return down(3); } /* expect: warning unbounded-stack */
