# Input is data, never code: file names, -D values and compile_commands.json
# entries full of shell syntax ($(...), `...`, ;, |, &&) run nothing. The
# source has no system/popen/exec* either (checked by grep).
source "$(dirname "$0")/common.bash"

W="$T/w"
mkdir "$W"
cd "$W" || fail "cd"

check "no shell call in stackcheck's sources; exec only of an argv array, in one place"
src=("$SC_SOURCE_DIR/analyzer" "$SC_SOURCE_DIR/reports")
if grep -rnE '\b(system|popen|wordexp)[[:space:]]*\(|"/bin/sh"|"sh"' "${src[@]}" \
    --include='*.c' --include='*.h' >"$T/grep"; then
    cat "$T/grep" >&2
    fail "a shell call appeared in the sources (issue 7: argv arrays only)"
fi
# --frames compiler runs the compiler with execvp(argv) in analyzer/cli/frames.c;
# any other exec or spawn site needs the same review.
if grep -rnE '\b(exec[lv]p?e?|posix_spawnp?|fork|vfork)[[:space:]]*\(' "${src[@]}" \
    --include='*.c' --include='*.h' | grep -vE '/analyzer/cli/frames\.c:[0-9]+: +(pid_t pid = fork\(\);|execvp\(argv\[0\], argv\);)' \
    >"$T/grep"; then
    cat "$T/grep" >&2
    fail "a new exec/spawn site: review it for shell use, then allow it here"
fi

# Hostile names, each a valid C file. None may create a pwned* file.
names=('$(touch pwned1).c' '`touch pwned2`.c' 'a;touch pwned3;.c' 'b|touch pwned4.c'
       'c&&touch pwned5&&.c' "d'\$(touch pwned6)'.c" 'e
touch pwned7.c')
for n in "${names[@]}"; do
    write_good "$W/$n"
done

check "file names with shell syntax are analyzed as files, one by one"
for n in "${names[@]}"; do
    run "$n"
    expect_rc 0
    out_has "main"
done
check "all at once, -j 2, JSON: each name reported verbatim"
run -j 2 --keep-going --format json "${names[@]}"
[ "$RC" -le 1 ] || fail "expected exit 0/1, got $RC"
"$SC_PYTHON" - "$T/out" "${names[@]}" <<'PY' || fail "a name was not reported verbatim"
import json, sys
doc = json.load(open(sys.argv[1]))
files = set(doc["inputs"]) | {f["file"] for f in doc["functions"]}
files |= {f["file"] for f in doc["findings"]}
missing = [n for n in sys.argv[2:] if n not in files]
assert not missing, missing
PY

check "-D values with shell syntax go to clang as plain arguments"
write_good "$W/good.c"
run -D 'X=$(touch pwned8)' -D 'Y=`touch pwned9`;touch pwned10' good.c
expect_rc 0

if "$STACKCHECK" --help 2>/dev/null | grep -q -- '--compile-commands'; then
    check "compile_commands.json with shell syntax in command, arguments and file"
    mkdir "$W/build"
    cp "$W/good.c" "$W/x;touch pwned11.c"
    "$SC_PYTHON" - "$W" <<'PY' >"$W/build/compile_commands.json"
import json, sys
w = sys.argv[1]
print(json.dumps([
    {"directory": w, "file": "good.c",
     "command": "cc -DZ=$(touch pwned12) -DQ=`touch pwned13` -c good.c -o /dev/null; touch pwned14"},
    {"directory": w, "file": "x;touch pwned11.c",
     "arguments": ["cc", "-D", "W=$(touch pwned15)", "-c", "x;touch pwned11.c"]},
]))
PY
    run -p "$W/build"
    [ "$RC" -le 1 ] || fail "-p: exit $RC"
fi

if "$STACKCHECK" --help 2>/dev/null | grep -q -- '--frames MODE'; then
    check "--frames compiler: -D values with shell syntax reach the compiler as argv, no shell"
    run --frames compiler -D 'X=$(touch pwned16)' -D 'Y=`touch pwned17`;touch pwned18' good.c
    [ "$RC" -le 1 ] || fail "--frames compiler: exit $RC"
fi

check "nothing was executed"
found=$(cd "$W" && ls -A | grep pwned | grep -v '\.c$' || true)
[ -z "$found" ] || fail "a shell ran: $found"
[ ! -e /tmp/pwned1 ] || true

echo "PASS"
