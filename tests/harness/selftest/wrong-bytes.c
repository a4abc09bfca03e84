/* Harness self-test, wrong on purpose (must FAIL): no x86-64 frame is
 * 1 byte, so this byte count cannot match. */
/* stackcheck-selftest: /entry 'main' is estimated \d+ .*main estimated 1\)/ */
/* stackcheck-args: --target x86_64-linux-gnu */

static int leaf(int n)
{
    return n + 1;
}

int main(void) { return leaf(3); }
/* expect-bound: main estimated 1 */
