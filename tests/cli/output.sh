# Report output: -o is atomic and equals stdout, write errors exit 2 and
# leave no file behind, --budget fails the run, -j never changes the output.
source "$(dirname "$0")/common.bash"

write_good "$T/good.c"

# no_temp DIR: no leftover temporary report in DIR
no_temp() {
    ! ls -A "$1" 2>/dev/null | grep -q '^\.stackcheck-' || fail "temporary file left in $1"
}

check "-o writes the same bytes as stdout (text, json)"
for fmt in text json; do
    run --format "$fmt" "$T/good.c"
    expect_rc 0
    cp "$T/out" "$T/stdout.$fmt"
    mkdir -p "$T/o"
    run --format "$fmt" -o "$T/o/report.$fmt" "$T/good.c"
    expect_rc 0
    [ ! -s "$T/out" ] || fail "-o also wrote to stdout"
    cmp -s "$T/stdout.$fmt" "$T/o/report.$fmt" || fail "-o output differs from stdout ($fmt)"
    no_temp "$T/o"
done

check "-o replaces an existing file"
echo old >"$T/o/old.txt"
run -o "$T/o/old.txt" "$T/good.c"
expect_rc 0
cmp -s "$T/stdout.text" "$T/o/old.txt" || fail "existing -o file not replaced"

check "-o in a missing folder: exit 2, the file named, nothing created"
run -o "$T/no/such/dir/report.txt" "$T/good.c"
expect_rc 2
err_has "$T/no/such/dir/report.txt"
[ ! -e "$T/no" ] || fail "something was created"

check "-o under a regular file: exit 2"
touch "$T/plainfile"
run -o "$T/plainfile/report.txt" "$T/good.c"
expect_rc 2
err_has "$T/plainfile/report.txt"

check "-o naming a directory: exit 2, no temporary file left"
mkdir "$T/isdir"
run -o "$T/isdir" "$T/good.c"
expect_rc 2
err_has "$T/isdir"
no_temp "$T"

if [ "$(id -u)" -ne 0 ]; then
    check "-o in a read-only folder: exit 2, nothing left"
    mkdir "$T/ro"
    chmod 555 "$T/ro"
    run -o "$T/ro/report.txt" "$T/good.c"
    expect_rc 2
    err_has "$T/ro/report.txt"
    [ -z "$(ls -A "$T/ro")" ] || fail "read-only folder is not empty"
else
    check "-o in an unwritable folder as root (/proc): exit 2"
    run -o /proc/stackcheck-report.txt "$T/good.c"
    expect_rc 2
    err_has "/proc/stackcheck-report.txt"
fi

check "a failed run leaves the -o target untouched"
echo keep >"$T/o/keep.txt"
run -o "$T/o/keep.txt" "$T/good.c" "$T/missing.c"
expect_rc 2
[ "$(cat "$T/o/keep.txt")" = keep ] || fail "-o target changed by a failed run"
no_temp "$T/o"

if [ -w /dev/full ]; then
    check "a write error on stdout exits 2"
    timeout 20 "$STACKCHECK" "$T/good.c" >/dev/full 2>"$T/err"
    RC=$?
    expect_rc 2
    err_has "error"
fi

check "stdout closed by the caller: exit 2, and the report lands in no file stackcheck opens"
mkdir -p "$T/closed-cache"
timeout 20 "$STACKCHECK" --cache "$T/closed-cache" "$T/good.c" >&- 2>"$T/err"
RC=$?
expect_rc 2
err_has "to standard output"
! grep -rqs "deepest path" "$T/closed-cache" || fail "the report was written into the cache"
run --cache "$T/closed-cache" "$T/good.c"
expect_rc 0
out_has "main"

check "stdout closed by the caller, report to -o: the run does not need stdout (exit 0, the report in the file)"
timeout 20 "$STACKCHECK" -o "$T/o/closed.txt" "$T/good.c" >&- 2>"$T/err"
RC=$?
expect_rc 0
grep -q "main" "$T/o/closed.txt" || fail "the -o report lacks main"
[ ! -s "$T/err" ] || fail "stderr: $(cat "$T/err")"

check "stderr closed by the caller: the run still reports on stdout"
timeout 20 "$STACKCHECK" "$T/good.c" >"$T/out" 2>&-
RC=$?
expect_rc 0
out_has "main"

check "stdin closed by the caller: no effect"
timeout 20 "$STACKCHECK" "$T/good.c" >"$T/out" 2>"$T/err" <&-
RC=$?
expect_rc 0
out_has "main"

check "--budget exceeded: exit 1 with budget-exceeded"
run --budget 16 "$T/good.c"
expect_rc 1
out_has "[budget-exceeded]"
out_has "budget-exceeded); exit 1"
run --budget 'main=16' --format json "$T/good.c"
expect_rc 1
python3 - "$T/out" <<'PY' || fail "JSON lacks the budget or the finding"
import json, sys
d = json.load(open(sys.argv[1]))
assert any(f["rule"] == "budget-exceeded" for f in d["findings"])
assert [e["budget"] for e in d["entries"] if e["function"] == "main"] == [16]
assert d["summary"]["failed"] is True
PY
check "--budget met: exit 0"
run --budget 1M "$T/good.c"
expect_rc 0
check "--fail-on '' turns the gate off"
run --budget 16 --fail-on '' "$T/good.c"
expect_rc 0

check "-j 1 and -j 2 give byte-identical output on many files"
mkdir "$T/multi"
for i in 1 2 3 4 5 6 7 8; do
    {
        echo "int f$i(int n);"
        [ "$i" -lt 8 ] && echo "int f$((i + 1))(int n);"
        echo "int f$i(int n)"
        echo "{"
        echo "    char pad[$((i * 16))];"
        echo "    pad[0] = (char)n;"
        [ "$i" -lt 8 ] && echo "    return f$((i + 1))(pad[0]);"
        [ "$i" -eq 8 ] && echo "    return pad[0];"
        echo "}"
    } >"$T/multi/f$i.c"
done
cat >"$T/multi/main.c" <<'C'
int f1(int n);
int main(void)
{
    return f1(1);
}
C
files=("$T/multi/main.c" "$T"/multi/f?.c)
for fmt in text json dot; do
    run -j 1 --format "$fmt" "${files[@]}"
    expect_rc 0
    cp "$T/out" "$T/j1.$fmt"
    run -j 2 --format "$fmt" "${files[@]}"
    expect_rc 0
    cmp -s "$T/j1.$fmt" "$T/out" || fail "-j 1 and -j 2 differ ($fmt)"
    run -j 8 --format "$fmt" "${files[@]}"
    cmp -s "$T/j1.$fmt" "$T/out" || fail "-j 1 and -j 8 differ ($fmt)"
done

echo "PASS"
