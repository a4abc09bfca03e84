# --cache: a warm run parses nothing, a changed header re-parses only its
# includers, a corrupt entry is rebuilt, an unwritable cache only warns.
# --emit-summary + `link` give the same report as a direct run, from JSON
# and from binary (.scs) summaries; a bad summary exits 2 naming it.
# Progress is drawn only on a terminal, -q silences it.
source "$(dirname "$0")/common.bash"

P="$T/proj"
mkdir -p "$P"
cat >"$P/shared.h" <<'C'
int helper(int n);
C
cat >"$P/only_b.h" <<'C'
#define B_SIZE 64
C
cat >"$P/a.c" <<'C'
#include "shared.h"
int main(void) { return helper(3); }
C
cat >"$P/b.c" <<'C'
#include "shared.h"
#include "only_b.h"
int helper(int n) { char buf[B_SIZE]; buf[0] = (char)n; return buf[0]; }
C
cat >"$P/c.c" <<'C'
int lonely(int n) { return n ? lonely(n - 1) : 0; }
C
cd "$P" || fail "cd"
FILES=(a.c b.c c.c)

check "--cache: a cold run parses every file"
run --cache "$T/cache" --stats --target x86_64-linux-gnu "${FILES[@]}"
expect_rc 0
err_has "parsed 3 files, 0 from cache"
cp "$T/out" "$T/cold.txt"

check "--cache: a warm run parses nothing and reports the same"
run --cache "$T/cache" --stats --target x86_64-linux-gnu "${FILES[@]}"
expect_rc 0
err_has "parsed 0 files, 3 from cache"
cmp -s "$T/cold.txt" "$T/out" || fail "warm report differs from the cold one"

check "--cache: a changed header re-parses only its includers"
echo '#define B_EXTRA 1' >>"$P/only_b.h"
run --cache "$T/cache" --stats --target x86_64-linux-gnu "${FILES[@]}"
expect_rc 0
err_has "parsed 1 file, 2 from cache"
echo 'int shared_extra(void);' >>"$P/shared.h"
run --cache "$T/cache" --stats --target x86_64-linux-gnu "${FILES[@]}"
expect_rc 0
err_has "parsed 2 files, 1 from cache"

check "--cache: a comment edit changes no token: nothing is parsed again"
cp "$T/out" "$T/before_comment.txt"
printf '/* a comment */   \n\n// another\n' >>"$P/shared.h"
sed -i 's/^int lonely/int lonely/; $a /* trailing comment */' "$P/c.c"
run --cache "$T/cache" --stats --target x86_64-linux-gnu "${FILES[@]}"
expect_rc 0
err_has "parsed 0 files, 3 from cache"
cmp -s "$T/before_comment.txt" "$T/out" || fail "report changed after a comment edit"
# The entries learnt the new bytes: the next run matches on them alone
# (the canonical form is not even computed: same result, checked by count).
run --cache "$T/cache" --stats --target x86_64-linux-gnu "${FILES[@]}"
err_has "parsed 0 files, 3 from cache"

check "--cache: a comment that moves a token (line or column) parses again"
sed -i '1s|^|/* moved */ |' "$P/c.c"
run --cache "$T/cache" --stats --target x86_64-linux-gnu "${FILES[@]}"
expect_rc 0
err_has "parsed 1 file, 2 from cache"
grep -q '^c.c:1:17: warning' "$T/out" || fail "column not moved by the comment: $(head -1 "$T/out")"
sed -i '1s|^|// a line above\n|' "$P/c.c"
run --cache "$T/cache" --stats --target x86_64-linux-gnu "${FILES[@]}"
err_has "parsed 1 file, 2 from cache"
grep -q '^c.c:2:17: warning' "$T/out" || fail "line not moved by the comment: $(head -1 "$T/out")"

check "--cache: a stackcheck comment is never blanked out"
printf '/* stackcheck: a note */\n' >>"$P/c.c"
run --cache "$T/cache" --stats --target x86_64-linux-gnu "${FILES[@]}"
err_has "parsed 1 file, 2 from cache"

check "--cache: other flags or target are another entry"
run --cache "$T/cache" --stats --target i686-linux-gnu "${FILES[@]}"
expect_rc 0
err_has "parsed 3 files, 0 from cache"

check "--cache: a corrupt entry is ignored and rebuilt"
for f in $(find "$T/cache" -type f); do echo 'garbage' >"$f"; done
run --cache "$T/cache" --stats --target x86_64-linux-gnu "${FILES[@]}"
expect_rc 0
err_has "parsed 3 files, 0 from cache"
run --cache "$T/cache" --stats --target x86_64-linux-gnu "${FILES[@]}"
err_has "parsed 0 files, 3 from cache"

# LD_DEBUG=files names every library the loader opens, dlopen included.
libclang_loads() { LD_DEBUG=files "$STACKCHECK" "$@" 2>&1 >/dev/null </dev/null | grep -c 'file=libclang'; }
if [ "$(libclang_loads --target x86_64-linux-gnu "${FILES[@]}")" -gt 0 ]; then
    check "--cache: a warm run does not even load libclang"
    [ "$(libclang_loads --cache "$T/cache" --target x86_64-linux-gnu "${FILES[@]}")" -eq 0 ] ||
        fail "a run answered from the cache loaded libclang"
    check "--cache with -p: the compile database comes from the cache too"
    python3 - "$P" >"$P/compile_commands.json" <<'PY'
import json, sys
d = sys.argv[1]
print(json.dumps([{"directory": d, "file": f, "arguments": ["cc", "--target=x86_64-linux-gnu", "-c", f]}
                  for f in ("a.c", "b.c", "c.c")]))
PY
    run -p "$P" --cache "$T/cache"
    expect_rc 0
    cp "$T/out" "$T/p-cold.txt"
    [ "$(libclang_loads -p "$P" --cache "$T/cache")" -eq 0 ] ||
        fail "a -p run answered from the cache loaded libclang"
    run -p "$P" --cache "$T/cache" --stats
    err_has "parsed 0 files, 3 from cache"
    cmp -s "$T/p-cold.txt" "$T/out" || fail "the warm -p report differs from the cold one"
    echo '[{"directory": "'"$P"'", "file": "a.c", "arguments": ["cc", "-DONLY_A", "-c", "a.c"]}]' \
        >"$P/compile_commands.json"
    run -p "$P" --cache "$T/cache" --stats
    expect_rc 0
    err_has "parsed 1 file, 0 from cache"
    rm -f "$P/compile_commands.json"
else
    echo "note: LD_DEBUG names no library here; the no-libclang checks are skipped"
fi

check "a front end module that cannot be loaded: one line, exit 2"
run_env() { env "$@" >"$T/out" 2>"$T/err" </dev/null; RC=$?; }
run_env STACKCHECK_FRONTEND="$P/a.c" "$STACKCHECK" --target x86_64-linux-gnu "${FILES[@]}"
expect_rc 2
err_has "cannot load the front end: $P/a.c"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "more than one line for a missing front end"
run_env STACKCHECK_FRONTEND="$T/none.so" "$STACKCHECK" -p "$P" --cache "$T/cache2"
expect_rc 2
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "more than one line for a missing front end (-p)"

check "installed layout: bin/stackcheck finds lib/stackcheck/libstackcheck-clang.so"
mod="$(dirname "$STACKCHECK")/libstackcheck-clang.so"
[ -f "$mod" ] || fail "no front end module next to $STACKCHECK"
mkdir -p "$T/inst/bin" "$T/inst/lib/stackcheck" "$T/lonely"
cp "$STACKCHECK" "$T/inst/bin/" && cp "$mod" "$T/inst/lib/stackcheck/" && cp "$STACKCHECK" "$T/lonely/"
run_env "$T/inst/bin/stackcheck" --target x86_64-linux-gnu "${FILES[@]}"
expect_rc 0
check "a binary without its module: one line naming it, exit 2"
run_env "$T/lonely/stackcheck" --target x86_64-linux-gnu "${FILES[@]}"
expect_rc 2
err_has "cannot load the front end: $T/lonely/libstackcheck-clang.so"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "more than one line for a binary without its module"

check "--cache that cannot be written: a warning, the run goes on"
touch "$T/plainfile"
run --cache "$T/plainfile/cache" --target x86_64-linux-gnu "${FILES[@]}"
expect_rc 0
err_has "warning: not cached"
out_has "main"

check "--emit-summary + link gives the same report as a direct run (text, json, sarif)"
mkdir -p "$T/sum"
for f in "${FILES[@]}"; do
    run --emit-summary "$T/sum/${f%.c}.json" --target x86_64-linux-gnu "$f"
    expect_rc 0
    [ -s "$T/sum/${f%.c}.json" ] || fail "no summary for $f"
done
for fmt in text json sarif; do
    run --format "$fmt" --target x86_64-linux-gnu --budget 64 "${FILES[@]}"
    cp "$T/out" "$T/direct.$fmt"
    DRC=$RC
    run link --format "$fmt" --target x86_64-linux-gnu --budget 64 "$T/sum/a.json" "$T/sum/b.json" "$T/sum/c.json"
    expect_rc "$DRC"
    cmp -s "$T/direct.$fmt" "$T/out" || fail "link and direct reports differ ($fmt)"
    # A folder stands for its summaries in name order (a, b, c).
    run link --format "$fmt" --target x86_64-linux-gnu --budget 64 "$T/sum"
    cmp -s "$T/direct.$fmt" "$T/out" || fail "link DIR and direct reports differ ($fmt)"
done
[ "$DRC" -eq 1 ] || fail "the budget should have failed the run"

check "--emit-summary OUT.scs (binary) + link gives the same report too"
mkdir -p "$T/scs" "$T/mixed"
for f in "${FILES[@]}"; do
    run --emit-summary "$T/scs/${f%.c}.scs" --target x86_64-linux-gnu "$f"
    expect_rc 0
    [ "$(head -c 6 "$T/scs/${f%.c}.scs")" = SCSUMB ] || fail "$f: the .scs summary is not binary"
done
# Told apart by content, not name: a binary summary called .json reads too.
cp "$T/scs/b.scs" "$T/b-binary.json"
cp "$T/sum/a.json" "$T/scs/b.scs" "$T/mixed/" && cp "$T/scs/c.scs" "$T/mixed/c.scs"
for fmt in text json sarif; do
    run link --format "$fmt" --target x86_64-linux-gnu --budget 64 "$T/scs/a.scs" "$T/scs/b.scs" "$T/scs/c.scs"
    expect_rc "$DRC"
    cmp -s "$T/direct.$fmt" "$T/out" || fail "link of .scs and direct reports differ ($fmt)"
    run link --format "$fmt" --target x86_64-linux-gnu --budget 64 "$T/scs"
    cmp -s "$T/direct.$fmt" "$T/out" || fail "link DIR of .scs and direct reports differ ($fmt)"
    run link --format "$fmt" --target x86_64-linux-gnu --budget 64 "$T/sum/a.json" "$T/b-binary.json" "$T/scs/c.scs"
    cmp -s "$T/direct.$fmt" "$T/out" || fail "link of mixed forms and direct reports differ ($fmt)"
    run link --format "$fmt" --target x86_64-linux-gnu --budget 64 "$T/mixed"
    cmp -s "$T/direct.$fmt" "$T/out" || fail "link of a folder of *.json and *.scs differs ($fmt)"
done

check "--emit-summary is reproducible: the same file gives the same bytes every run"
"$SC_PYTHON" -c "
print('typedef int (*fp)(int);')
for i in range(30): print('static int f%d(int x) { return x + %d; }' % (i, i))
print('fp table[] = {' + ', '.join('f%d' % i for i in range(30)) + '};')
print('int main(void) { int s = 0; for (int i = 0; i < 30; i++) s += table[i](i); return s; }')" >"$T/refs.c"
for i in 1 2 3; do
    run --emit-summary "$T/refs$i.json" "$T/refs.c"
    expect_rc 0
    run --emit-summary "$T/refs$i.scs" "$T/refs.c"
    expect_rc 0
done
for ext in json scs; do
    cmp -s "$T/refs1.$ext" "$T/refs2.$ext" && cmp -s "$T/refs1.$ext" "$T/refs3.$ext" ||
        fail "three runs wrote different .$ext summaries of the same file"
done

check "link: a corrupt binary summary exits 2 with one line naming it"
head -c 100 "$T/scs/b.scs" >"$T/torn.scs"
run link "$T/scs/a.scs" "$T/torn.scs"
expect_rc 2
err_has "$T/torn.scs: not a usable summary: binary summary: truncated at byte"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "more than one line for a torn binary summary"
# The byte after the magic is the format version.
{ head -c 8 "$T/scs/b.scs"; printf '\143'; tail -c +10 "$T/scs/b.scs"; } >"$T/future.scs"
run link "$T/future.scs"
expect_rc 2
err_has "$T/future.scs: not a usable summary: binary summary: format version 99, this stackcheck reads"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "more than one line for a binary summary of another version"
{ cat "$T/scs/c.scs"; printf 'x'; } >"$T/trailing.scs"
run link "$T/trailing.scs"
expect_rc 2
err_has "$T/trailing.scs: not a usable summary: binary summary: 1 trailing bytes"

check "link: a bad or foreign summary exits 2 naming it"
echo '{"format": "something-else"}' >"$T/foreign.json"
run link "$T/sum/a.json" "$T/foreign.json"
expect_rc 2
err_has "$T/foreign.json: not a usable summary"
head -c 100 "$T/sum/b.json" >"$T/torn.json"
run link "$T/torn.json"
expect_rc 2
err_has "$T/torn.json"
run link "$T/missing.json"
expect_rc 2
err_has "$T/missing.json"
mkdir -p "$T/emptydir"
run link "$T/emptydir"
expect_rc 2
err_has "$T/emptydir"

check "a summary with 64-bit guard values (beyond 2^53) reads back"
cat >"$P/big.c" <<'C'
int down(long long n) { if (n == -9223372036854775807LL - 1) return 0; return down(n - 9007199254740993LL); }
C
run --emit-summary "$T/big.json" big.c
expect_rc 0
run link "$T/big.json"
[ "$RC" -ne 2 ] || fail "the summary of big.c does not read back"
cp "$T/out" "$T/big-json.txt"
run --emit-summary "$T/big.scs" big.c
expect_rc 0
run link "$T/big.scs"
[ "$RC" -ne 2 ] || fail "the binary summary of big.c does not read back"
cmp -s "$T/big-json.txt" "$T/out" || fail "big.c: the .scs and .json summaries give different reports"

check "--emit-summary of a file that does not parse: exit 2, nothing written"
echo 'int broken(' >"$P/broken.c"
run --emit-summary "$T/sum/broken.json" broken.c
expect_rc 2
[ ! -e "$T/sum/broken.json" ] || fail "a summary was written for a broken file"

check "progress: nothing on stderr when it is not a terminal"
run --target x86_64-linux-gnu "${FILES[@]}"
! grep -q '\[1/3\]' "$T/err" || fail "progress drawn on a non-terminal"
if command -v script >/dev/null 2>&1; then
    check "progress: [i/n] file on a terminal, and -q silences it"
    script -qec "'$STACKCHECK' -j 1 --target x86_64-linux-gnu ${FILES[*]} 2>&1 >/dev/null" /dev/null >"$T/tty" </dev/null
    grep -qE '\[3/3\] [abc].c' "$T/tty" || fail "no progress line on a terminal: $(cat -v "$T/tty")"
    script -qec "'$STACKCHECK' -q -j 1 --target x86_64-linux-gnu ${FILES[*]} 2>&1 >/dev/null" /dev/null >"$T/tty" </dev/null
    ! grep -qF '[1/3]' "$T/tty" || fail "-q did not silence the progress line"
fi

echo "PASS"
