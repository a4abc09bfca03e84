/* Harness self-test, wrong on purpose (must FAIL): expect-no-function names
 * a function the report's function table holds. */
/* stackcheck-selftest: /function 'leaf' is in the report/ */
/* stackcheck-args: --target x86_64-linux-gnu */

static int leaf(int x) { return x + 1; }

int main(void) { return leaf(1); }
/* expect-no-function: leaf */
