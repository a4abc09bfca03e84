/* Harness self-test, wrong on purpose (must FAIL, harness error): an exact
 * byte count needs a pinned --target. */
/* stackcheck-selftest: /HARNESS ERROR: .*needs a pinned --target/ */

static int leaf(int n) { return n + 1; }

int main(void) { return leaf(3); }
/* expect-bound: main estimated 32 */
