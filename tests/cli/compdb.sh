# -p BUILD_DIR: both database forms, each file with its own flags and
# folder (relative -I, GCC-only warning flags, -o/-c dropped), FILE
# arguments filter the database; a missing or malformed database and a FILE
# not in it exit 2 with the reason. A cross compiler's database: the target
# from the compiler's name or --target in the commands (-m32 too), GCC-only
# flags clang does not know said once and ignored, more than one target or
# one without a model refused; --frames compiler runs the entry's compiler.
# Without -p, --target=T or -m32 for clang after -- is the run's target.
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

# A GCC cross build for a Cortex-M4: the target comes from the compiler's
# name; -mcpu and the other Arm flags need it, and the GCC-only -f flags
# (unknown to clang) are said once each for the two files, then ignored.
X="$T/cross"
mkdir -p "$X/src" "$X/build"
cat >"$X/src/m.c" <<'C'
int step(long n);
int main(void) { char buf[40]; buf[0] = (char)step(sizeof(void *)); return buf[0]; }
C
cat >"$X/src/s.c" <<'C'
int step(long n) { long v[3]; v[0] = n; return (int)v[0]; }
C
cross_db() { # CC1 CC2: m.c built by CC1, s.c by CC2
    cat >"$X/build/compile_commands.json" <<JSON
[
 {"directory": "$X/build",
  "arguments": ["$1", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=soft", "-specs=nano.specs",
                "-fno-tree-loop-distribute-patterns", "-fconserve-stack", "-Os", "-c", "../src/m.c", "-o", "m.o"],
  "file": "../src/m.c"},
 {"directory": "$X/build",
  "command": "$2 -mcpu=cortex-m4 -mthumb -fconserve-stack -ffunction-sections -c ../src/s.c -o s.o",
  "file": "../src/s.c"}
]
JSON
}

check "-p, cross compiler: the target is the compiler's (arm-none-eabi-gcc), GCC-only flags said once"
cross_db arm-none-eabi-gcc /opt/tc/bin/arm-none-eabi-gcc-12.2.1
run -p "$X/build" --format json
expect_rc 0
out_has '"target":	"arm-none-eabi"'
cp "$T/out" "$T/inferred.json"
[ "$(grep -c "clang does not know the flag '-fconserve-stack'" "$T/err")" -eq 1 ] ||
    fail "-fconserve-stack (in both files) not said exactly once"
err_has "clang does not know the flag '-fno-tree-loop-distribute-patterns'"
[ "$(wc -l <"$T/err")" -eq 2 ] || fail "expected the two flag warnings only"

check "-p, cross compiler: the same report as --target arm-none-eabi"
run -p "$X/build" --format json --target arm-none-eabi
expect_rc 0
cmp -s "$T/out" "$T/inferred.json" || fail "inferred target differs from --target arm-none-eabi"

check "-p, Arm flags for the host's compiler: exit 2, and the message says to pass --target"
cross_db gcc gcc
run -p "$X/build"
expect_rc 2
err_has "for target '"
err_has "pass --target TRIPLE for the target this file is built for"

check "-p, files built for two targets: exit 2 naming both; --target or a FILE filter settles it"
cross_db arm-none-eabi-gcc cc
sed -i 's/-mcpu=cortex-m4 -mthumb -fconserve-stack -ffunction-sections/-fconserve-stack/' "$X/build/compile_commands.json"
run -p "$X/build"
expect_rc 2
err_has "builds for more than one target ($X/src/m.c for arm-none-eabi, $X/src/s.c for the compiler's default)"
run -p "$X/build" --target arm-none-eabi
expect_rc 0
(cd "$X" && timeout 20 "$STACKCHECK" -p build --format json src/m.c >"$T/out" 2>"$T/err")
RC=$?
expect_rc 0
out_has '"target":	"arm-none-eabi"'

check "-p, a cross compiler for a target without a model: exit 2 naming it"
cross_db xtensa-esp32-elf-gcc xtensa-esp32-elf-gcc
run -p "$X/build"
expect_rc 2
err_has "$X/src/m.c: error: built for 'xtensa-esp32-elf' (xtensa-esp32-elf-gcc), a target stackcheck has no model of"

check "-p, --target in the commands (clang) and -m32 (gcc) name the target too"
one_entry_target() { # EXPECTED ARGV...: s.c alone, built by ARGV
    local words
    words=$(printf '"%s", ' "${@:2}")
    cat >"$X/build/compile_commands.json" <<JSON
[{"directory": "$X/build", "arguments": [${words} "-c", "../src/s.c"], "file": "../src/s.c"}]
JSON
    run -p "$X/build" --format json
    expect_rc 0
    out_has "\"target\":	\"$1\""
}
one_entry_target riscv32-unknown-elf clang --target=riscv32-unknown-elf
one_entry_target aarch64-linux-gnu clang -target aarch64-linux-gnu
one_entry_target i686-linux-gnu gcc -m32

check "without -p: a target given to clang after -- is the run's (frames follow it)"
run --format json "$X/src/s.c" -- --target=arm-none-eabi
expect_rc 0
out_has '"target":	"arm-none-eabi"'
cp "$T/out" "$T/after-dashdash.json"
run --format json --target arm-none-eabi "$X/src/s.c"
cmp -s "$T/out" "$T/after-dashdash.json" || fail "-- --target=arm-none-eabi differs from --target arm-none-eabi"
run --format json "$X/src/s.c" -- -m32
out_has '"target":	"i686-linux-gnu"'
run "$X/src/s.c" -- -target xtensa-esp32-elf
expect_rc 2
err_has "unknown target 'xtensa-esp32-elf' (given to clang after --)"

check "-p, --frames compiler runs the entry's own compiler (CC overrides it)"
mkdir -p "$X/tc"
cat >"$X/tc/mycc" <<SH
#!/bin/sh
touch "$X/tc/ran"
exec gcc "\$@"
SH
chmod +x "$X/tc/mycc"
cat >"$X/build/compile_commands.json" <<JSON
[{"directory": "$X/build", "arguments": ["../tc/mycc", "-O0", "-c", "../src/m.c"], "file": "../src/m.c"},
 {"directory": "$X/build", "arguments": ["../tc/mycc", "-O0", "-c", "../src/s.c"], "file": "../src/s.c"}]
JSON
(unset CC; timeout 20 "$STACKCHECK" -p "$X/build" --target x86_64-linux-gnu --frames compiler >"$T/out" 2>"$T/err")
RC=$?
expect_rc 0
[ -f "$X/tc/ran" ] || fail "the database's compiler was not run"
out_has 'exact'
rm -f "$X/tc/ran"
CC=gcc run -p "$X/build" --target x86_64-linux-gnu --frames compiler
expect_rc 0
[ ! -f "$X/tc/ran" ] || fail "\$CC did not override the database's compiler"
out_has 'exact'

check "without -p the flags are missing and the parse fails (the test can fail)"
run --target x86_64-linux-gnu "$P/src/a.c"
expect_rc 2

echo "PASS"
