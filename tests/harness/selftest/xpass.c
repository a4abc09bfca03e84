/* Harness self-test, wrong on purpose (must FAIL): marked known-failing,
 * but every expectation holds, so it is an XPASS. */
/* stackcheck-selftest: /XPASS/ */
/* stackcheck-args: --target x86_64-linux-gnu */
/* stackcheck-exit: 1 */
/* expect-known-fail: 3 harness self-test of XPASS */

static int down(int n) /* expect: error missing-base-case */ /* expect: warning recursion */
{
    return down(n - 1);
}

int main(void) { return down(3); } /* expect: warning unbounded-stack */
