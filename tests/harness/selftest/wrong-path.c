/* Harness self-test, wrong on purpose (must FAIL): the deepest path goes
 * through big, not small. */
/* stackcheck-selftest: /entry 'main' path is main -> big/ */
/* stackcheck-args: --target x86_64-linux-gnu */

static int small(int n) { return n; }

static int big(int n)
{
    char buf[1024];
    buf[n & 1023] = 1;
    return buf[0];
}

int main(void) { return small(1) + big(2); }
/* expect-path: main main -> small */
