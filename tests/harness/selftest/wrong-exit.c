/* Harness self-test, wrong on purpose (must FAIL): missing-base-case fails
 * the run (exit 1), but exit 0 is expected (the default). */
/* stackcheck-selftest: /exit status 1, expected 0/ */
/* stackcheck-args: --target x86_64-linux-gnu */

static int down(int n) /* expect: error missing-base-case */ /* expect: warning recursion */
{
    return down(n - 1);
}

int main(void) { return down(3); } /* expect: warning unbounded-stack */
