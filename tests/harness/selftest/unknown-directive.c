/* Harness self-test, wrong on purpose (must FAIL, harness error): a
 * misspelled directive must not be ignored. */
/* stackcheck-selftest: /HARNESS ERROR: .*unknown directive 'expect-warning'/ */
/* stackcheck-args: --target x86_64-linux-gnu */

static int leaf(int n) /* expect-warning: recursion */
{
    return n + 1;
}

int main(void) { return leaf(3); }
