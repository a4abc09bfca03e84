# Bad inputs: each gets a message naming the file and exit 2, never a crash
# or a hang; --keep-going analyzes the rest.
source "$(dirname "$0")/common.bash"

write_good "$T/good.c"
# A syntax error on line 3 (a missing ';'). SYNTAX marks the line for
# simple front-end stand-ins; clang ignores the comment.
cat >"$T/syntax.c" <<'C'
int main(void)
{
    int x = 1 /* SYNTAX */
    return x;
}
C
cp "$T/syntax.c" "$T/syntax2.c"

# expect_bad FILE-AS-NAMED ARGS...: exit 2, stderr names the file, stdout empty.
expect_bad() {
    local name=$1
    shift
    run "$@"
    expect_rc 2
    err_has "$name"
    [ ! -s "$T/out" ] || fail "a failed run wrote a report to stdout"
    ! grep -qiE 'segmentation|assert|sanitizer|abort' "$T/err" || fail "crash-like message on stderr"
}

check "missing file"
expect_bad "$T/missing.c" "$T/missing.c"

check "a directory"
mkdir "$T/dir.c"
expect_bad "$T/dir.c" "$T/dir.c"

check "a FIFO (must not hang)"
mkfifo "$T/fifo.c"
expect_bad "$T/fifo.c" "$T/fifo.c"

check "a device (/dev/null)"
expect_bad "/dev/null" /dev/null

check "a binary file"
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000>\000' >"$T/blob.c"
head -c 2048 /dev/urandom >>"$T/blob.c" 2>/dev/null || true
expect_bad "$T/blob.c" "$T/blob.c"

check "a text file that is not C (.txt)"
printf 'These are notes, not C.\n' >"$T/notes.txt"
expect_bad "$T/notes.txt" "$T/notes.txt"

check "a Python file (.py)"
printf 'def main():\n    print("hi")\n' >"$T/script.py"
expect_bad "$T/script.py" "$T/script.py"

check "a syntax error: clang's diagnostic with file:line:col, exit 2"
expect_bad "$T/syntax.c" "$T/syntax.c"
grep -qE "^$T/syntax\.c:3:[0-9]+: error: " "$T/err" || fail "no '$T/syntax.c:3:COL: error:' line"

# A file that crashes libclang (clang's own debugging pragma): libclang
# recovers, prints a dump of its own, and the parse returns CXError_Crashed.
# One line names the file; the dump is kept off stderr. libclang leaks what
# the crashed parse held, so LeakSanitizer is off for these runs.
printf 'int f(void) { return 1; }\n#pragma clang __debug crash\nint g(void) { return f(); }\n' >"$T/crash.c"
check "a file that crashes libclang: one line naming it, exit 2"
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" expect_bad "$T/crash.c" "$T/crash.c"
err_has "$T/crash.c: error: libclang crashed while parsing this file"
[ "$(wc -l <"$T/err")" -eq 2 ] || fail "expected the file's line and the summary line, got: $(cat "$T/err")"
! grep -q "crash detected during parsing" "$T/err" || fail "libclang's crash dump reached stderr"

check "a file that crashes libclang, --keep-going: the others are analyzed"
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" run --keep-going "$T/crash.c" "$T/good.c"
expect_rc 0
out_has "$T/crash.c"
out_has "[parse-error]"
out_has "main"
! grep -q "crash detected during parsing" "$T/err" || fail "libclang's crash dump reached stderr"

check "warnings are not errors, even under a project's -Werror (stackcheck reports clang's errors only)"
printf 'int f(int x) { if (x) return 1; }\nint main(void) { int unused; return f(1); }\n' >"$T/warns.c"
run "$T/warns.c" -- -Wall -Wextra -Werror
expect_rc 0
out_has "main"
[ ! -s "$T/err" ] || fail "warnings reached stderr: $(cat "$T/err")"

check "two bad files are both named, and a good one does not hide them"
expect_bad "$T/syntax.c" "$T/syntax.c" "$T/good.c" "$T/missing.c"
err_has "$T/missing.c"

check "two syntax errors, -j 1: both reported"
expect_bad "$T/syntax.c" -j 1 "$T/syntax.c" "$T/syntax2.c"
err_has "$T/syntax2.c"

check "--keep-going: the good file is analyzed, the bad one is a parse-error finding"
run --keep-going "$T/syntax.c" "$T/good.c"
[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "expected exit by findings (0 or 1), got $RC"
expect_rc 0
out_has "[parse-error]"
out_has "$T/syntax.c"
out_has "main"
err_has "$T/syntax.c"

check "--keep-going --fail-on parse-error fails by findings (exit 1)"
run --keep-going --fail-on parse-error "$T/syntax.c" "$T/good.c"
expect_rc 1

check "--keep-going JSON marks the parse error and the incomplete inputs"
run --keep-going --format json "$T/missing.c" "$T/good.c"
expect_rc 0
python3 - "$T/out" "$T/missing.c" <<'PY' || fail "JSON of --keep-going run is wrong"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["incomplete_inputs"] is True
pe = [f for f in doc["findings"] if f["rule"] == "parse-error"]
assert len(pe) == 1 and pe[0]["file"] == sys.argv[2], pe
PY

check "duplicate inputs are analyzed once"
run --format json "$T/good.c" "$T/good.c" "$T/../$(basename "$T")/good.c"
expect_rc 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["inputs"]) == 1, d["inputs"]' "$T/out" \
    || fail "duplicate inputs were not merged"

echo "PASS"
