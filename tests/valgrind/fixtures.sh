#!/usr/bin/env bash
# valgrind memcheck over the whole fixture suite: every fixture runs through
# tests/harness/run_fixture.py with stackcheck under valgrind, so a memory
# error or a leak (exit 99) is a fixture mismatch. CTest label `valgrind`;
# skipped (exit 77) unless SC_VALGRIND=1, since it takes minutes.
# Usage: SC_VALGRIND=1 STACKCHECK=build/ci/stackcheck tests/valgrind/fixtures.sh [FIXTURE...]
set -uo pipefail
if [ "${SC_VALGRIND:-0}" != 1 ]; then
    echo "valgrind: skipped (set SC_VALGRIND=1 to run)"
    exit 77
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
py=${SC_PYTHON:-python3}
command -v valgrind >/dev/null || { echo "valgrind: not installed" >&2; exit 1; }
[ -x "${STACKCHECK:-}" ] || { echo "valgrind: STACKCHECK is not the stackcheck binary" >&2; exit 1; }
# The harness runs from other folders: a relative STACKCHECK is made absolute.
STACKCHECK=$(cd "$(dirname "$STACKCHECK")" && pwd)/$(basename "$STACKCHECK")
if nm "$STACKCHECK" 2>/dev/null | grep -q __asan_init; then
    echo "valgrind: $STACKCHECK is an ASan build; use the release build" >&2
    exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/stackcheck-vg.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# The harness runs this wrapper as if it were stackcheck. Exit 99 marks a
# valgrind error; the log keeps the details.
cat >"$work/stackcheck" <<EOF
#!/bin/sh
exec valgrind --quiet --error-exitcode=99 --suppressions="$root/tests/valgrind/ld.so.supp" --leak-check=full --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect --log-file="$work/vg.%p.log" "$STACKCHECK" "\$@"
EOF
chmod +x "$work/stackcheck"

if [ $# -gt 0 ]; then
    printf '%s\n' "$@" >"$work/list"
else
    (cd "$root/fixtures" && find . -name '*.c' -not -path '*.parts/*' | sed 's|^\./||' | sort) >"$work/list"
fi
n=$(wc -l <"$work/list")
jobs=${SC_VALGRIND_JOBS:-$(nproc)}
echo "valgrind: $n fixtures, $jobs at a time"
# Each fixture gets 10x its usual timeout: valgrind is slow.
export work py root SC_FIXTURE_TIMEOUT_SCALE=10
xargs -P "$jobs" -I{} sh -c '
    cd "$root/fixtures" && out=$("$py" "$root/tests/harness/run_fixture.py" "$work/stackcheck" "{}" 2>&1)
    rc=$?
    if [ $rc -ne 0 ]; then printf "FAIL %s (exit %s)\n%s\n" "{}" "$rc" "$out"; echo "{}" >>"$work/failed"; fi
' <"$work/list"
for log in "$work"/vg.*.log; do
    [ -s "$log" ] && { echo "--- $log"; head -n 60 "$log"; }
done
if [ -s "$work/failed" ]; then
    echo "valgrind: $(wc -l <"$work/failed") of $n fixtures failed under memcheck" >&2
    exit 1
fi
echo "valgrind: all $n fixtures clean under memcheck"
