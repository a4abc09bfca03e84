/* Harness self-test, wrong on purpose (must FAIL): an expectation that no
 * finding matches (there is no dynamic frame here). */
/* stackcheck-selftest: /missing finding: .*dynamic-frame/ */
/* stackcheck-args: --target x86_64-linux-gnu */

static int leaf(int n) /* expect: warning dynamic-frame */
{
    return n + 1;
}

int main(void) { return leaf(3); }
