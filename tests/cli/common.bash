# Shared helpers for the CLI tests (sourced, not a test itself: CTest runs
# only tests/cli/*.sh). Each test prints what it checks and stops at the
# first failure with a message.
set -u

if [ -z "${STACKCHECK:-}" ] || [ ! -x "$STACKCHECK" ]; then
    echo "FAIL: STACKCHECK is not set to the stackcheck binary" >&2
    exit 1
fi
SC_SOURCE_DIR=${SC_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TRY_LINE="Try 'stackcheck --help' for more information."

T=$(mktemp -d "${TMPDIR:-/tmp}/stackcheck-cli.XXXXXX") || exit 1
cleanup() { chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

check() { echo "check: $*"; }
fail() {
    echo "FAIL: $*" >&2
    if [ -f "$T/out" ]; then echo "--- stdout:" >&2; head -c 4000 "$T/out" >&2; fi
    if [ -f "$T/err" ]; then echo "--- stderr:" >&2; head -c 4000 "$T/err" >&2; fi
    exit 1
}

# run ARGS...: runs stackcheck (20 s limit) with stdout in $T/out, stderr
# in $T/err and the exit status in $RC.
run() {
    timeout 20 "$STACKCHECK" "$@" >"$T/out" 2>"$T/err" </dev/null
    RC=$?
    if [ "$RC" -eq 124 ]; then fail "timed out: stackcheck $*"; fi
}

expect_rc() { [ "$RC" -eq "$1" ] || fail "expected exit $1, got $RC"; }
# stderr / stdout contain a fixed string
err_has() { grep -qF -- "$1" "$T/err" || fail "stderr lacks '$1'"; }
out_has() { grep -qF -- "$1" "$T/out" || fail "stdout lacks '$1'"; }

# expect_usage WHAT ARGS...: exit 2, stderr is exactly one line naming WHAT
# then the Try line, stdout empty.
expect_usage() {
    local what=$1
    shift
    run "$@"
    expect_rc 2
    [ "$(wc -l <"$T/err")" -eq 2 ] || fail "expected 2 lines on stderr for: $*"
    head -n 1 "$T/err" | grep -qF -- "$what" || fail "first stderr line does not name '$what'"
    head -n 1 "$T/err" | grep -q '^stackcheck: error: ' || fail "first stderr line lacks 'stackcheck: error: '"
    [ "$(sed -n 2p "$T/err")" = "$TRY_LINE" ] || fail "second stderr line is not the Try line"
    [ ! -s "$T/out" ] || fail "stdout is not empty"
}

# A small valid program: main -> work -> leaf, one external call.
write_good() {
    cat >"$1" <<'C'
int leaf(int x);
int work(int n);

int leaf(int x)
{
    return x + 1;
}

int work(int n)
{
    char buf[256];
    buf[0] = (char)n;
    return leaf(buf[0]);
}

int main(void)
{
    return work(3);
}
C
}
