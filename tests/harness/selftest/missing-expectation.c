/* Harness self-test, wrong on purpose (must FAIL): stackcheck reports a
 * recursion warning on down() that no expectation states. */
/* stackcheck-selftest: /unexpected finding: .*\[recursion\]/ */
/* stackcheck-args: --target x86_64-linux-gnu */
/* stackcheck-exit: 1 */

static int down(int n) /* expect: error missing-base-case */
{
    return down(n - 1);
}

int main(void) { return down(3); } /* expect: warning unbounded-stack */
