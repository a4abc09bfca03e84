/* Harness self-test, wrong on purpose (must FAIL): stackcheck-library names
 * a folder that does not exist (a harness error, never a silent no-op). */
/* stackcheck-selftest: /stackcheck-library wants an existing folder/ */
/* stackcheck-args: --target x86_64-linux-gnu */
/* stackcheck-library: library-missing.parts/lib --target x86_64-linux-gnu */

int main(void) { return 0; }
