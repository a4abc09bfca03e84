# -p BUILD_DIR: both database forms, each file with its own flags and
# folder (relative -I, GCC-only warning flags, -o/-c dropped), FILE
# arguments filter the database; a missing or malformed database and a FILE
# not in it exit 2 with the reason.
source "$(dirname "$0")/common.bash"

P="$T/proj"
mkdir -p "$P/src/inc" "$P/build" "$P/other"
cat >"$P/src/inc/h.h" <<'C'
int helper(int n);
C
cat >"$P/src/a.c" <<'C'
#include "h.h"
#ifndef FROM_A
#error "FROM_A is set only in a.c's entry"
#endif
int main(void) { return helper(3); }
C
cat >"$P/src/b.c" <<'C'
#include "h.h"
#ifndef FROM_B
#error "FROM_B is set only in b.c's entry"
#endif
int helper(int n) { char buf[64]; buf[0] = (char)n; return buf[0]; }
C
cat >"$P/other/c.c" <<'C'
int lonely(void) { return 0; }
C
# One entry per form; include paths relative to the build folder; GCC-only
# warning flags clang does not know.
cat >"$P/build/compile_commands.json" <<JSON
[
 {"directory": "$P/build",
  "arguments": ["gcc", "-I../src/inc", "-DFROM_A", "-Wmaybe-uninitialized", "-Wlogical-op", "-c", "-o", "a.o", "../src/a.c"],
  "file": "../src/a.c"},
 {"directory": "$P/build",
  "command": "gcc -I ../src/inc -DFROM_B -Wduplicated-cond -Wno-stringop-truncation -O2 -c ../src/b.c -o b.o",
  "file": "../src/b.c"}
]
JSON

check "-p: every database entry is parsed with its own flags"
run -p "$P/build" --target x86_64-linux-gnu --format json
expect_rc 0
out_has '"helper"'
out_has '"main"'
! grep -q 'lonely' "$T/out" || fail "a file outside the database was analyzed"
grep -q 'warning' "$T/err" && fail "warnings on stderr: $(cat "$T/err")"

check "-p from another folder, relative BUILD_DIR"
(cd "$P" && timeout 20 "$STACKCHECK" -p build --target x86_64-linux-gnu >"$T/out" 2>"$T/err")
RC=$?
expect_rc 0
out_has ' -> helper ('

check "-p with FILE arguments: only those files"
(cd "$P" && timeout 20 "$STACKCHECK" -p build --target x86_64-linux-gnu --format json src/b.c >"$T/out" 2>"$T/err")
RC=$?
expect_rc 0
out_has '"helper"'
! grep -q '"main"' "$T/out" || fail "a.c was analyzed though only b.c was asked for"

check "-p with a FILE not in the database: exit 2 naming it"
(cd "$P" && timeout 20 "$STACKCHECK" -p build other/c.c >"$T/out" 2>"$T/err")
RC=$?
expect_rc 2
err_has "stackcheck: error: other/c.c: not in build/compile_commands.json"

check "-p without a database: exit 2 with the reason"
run -p "$P/other"
expect_rc 2
err_has "$P/other: no compile_commands.json"

check "-p on a missing folder: exit 2"
run -p "$P/no-such-dir"
expect_rc 2
err_has "$P/no-such-dir"

check "-p with a malformed database: exit 2 naming the file"
mkdir -p "$P/bad"
printf '[{"directory": "/tmp", "file": ' >"$P/bad/compile_commands.json"
run -p "$P/bad"
expect_rc 2
err_has "$P/bad/compile_commands.json"

check "-p with an empty database: exit 2"
mkdir -p "$P/empty"
echo '[]' >"$P/empty/compile_commands.json"
run -p "$P/empty"
expect_rc 2
err_has "compile_commands.json"

check "without -p the flags are missing and the parse fails (the test can fail)"
run --target x86_64-linux-gnu "$P/src/a.c"
expect_rc 2

echo "PASS"
