# --frames (issue 6 item 4), through the real binary: .su files in GCC's
# (file:line:col:function) and clang's (file:line:function) formats under
# su=DIR, beside the input (auto), and from running the compiler (compiler,
# argv without a shell); the red zone added to leaves; `exact` only when every
# frame on the path is compiler-measured; dynamic frames; bad values.
source "$(dirname "$0")/common.bash"

TGT=(--target x86_64-linux-gnu)
cd "$T" || fail "cannot enter $T"
mkdir src su gsu
cat >src/s.c <<'C'
static int leaf(int x) { char b[100]; b[0] = (char)x; return b[x & 1]; }
int mid(int x) { char c[40]; c[0] = (char)leaf(x); return c[0] + leaf(x + 1); }
int main(void) { return mid(1); }
C
printf 's.c:1:12:leaf\t24\tstatic\ns.c:2:5:mid\t96\tstatic\ns.c:3:5:main\t16\tstatic\n' >gsu/s.su
printf 'src/s.c:2:mid\t72\tstatic\nsrc/s.c:1:leaf\t8\tstatic\nsrc/s.c:3:main\t24\tstatic\n' >su/s.su

check "su=DIR, GCC format: exact, leaf gets the 128-byte red zone"
run "${TGT[@]}" --frames su=gsu src/s.c
expect_rc 0
out_has "main   264 B        exact   main (16) -> mid (96) -> leaf (152)"

check "su=DIR, clang format"
run "${TGT[@]}" --frames su=su src/s.c
expect_rc 0
out_has "main   232 B        exact   main (24) -> mid (72) -> leaf (136)"

check "JSON names the frame source"
run "${TGT[@]}" --frames su=gsu --format json src/s.c
grep -qE '"source":[[:space:]]*"su"' "$T/out" || fail "no frame source su in JSON"

check "a function missing from the .su files keeps its estimate: estimated, not exact"
printf 's.c:1:12:leaf\t24\tstatic\ns.c:3:5:main\t16\tstatic\n' >gsu/s.su
run "${TGT[@]}" --frames su=gsu src/s.c
# mid has no compiler frame, so it may have been inlined into main, which
# is then a leaf of the machine code: main's figure gets the red zone too.
grep -qE "estimated  main \(144\) -> mid \([0-9]+\) -> leaf \(152\)" "$T/out" ||
    fail "mid's frame is not the estimate, main lacks the red zone, or the path is not main -> mid -> leaf"

check "a function whose every callee has a compiler frame gets no red zone"
printf 's.c:1:12:leaf\t24\tstatic\ns.c:2:5:mid\t96\tstatic\ns.c:3:5:main\t16\tstatic\n' >gsu/s.su
run "${TGT[@]}" --frames su=gsu src/s.c
out_has "main (16) -> mid (96) -> leaf (152)"

check "a dynamic frame makes the bound unbounded"
printf 's.c:1:12:leaf\t24\tdynamic\ns.c:2:5:mid\t96\tstatic\ns.c:3:5:main\t16\tstatic\n' >gsu/s.su
run "${TGT[@]}" --frames su=gsu src/s.c
out_has "unbounded"

check "auto: a .su beside the input is used; --frames estimate ignores it"
cp su/s.su src/s.su
run "${TGT[@]}" src/s.c
out_has "main   232 B        exact"
run "${TGT[@]}" --frames estimate src/s.c
out_has "estimated"
rm src/s.su

check "bad --frames values and an unreadable su=DIR exit 2"
run "${TGT[@]}" --frames sometimes src/s.c
expect_rc 2
err_has "option '--frames': expected auto, estimate, su=DIR or compiler"
run "${TGT[@]}" --frames su=nowhere src/s.c
expect_rc 2
err_has "stackcheck: error: nowhere: cannot open folder"

if command -v gcc >/dev/null; then
    check "compiler: gcc's own figures (plus the red zone for the leaf)"
    (cd src && gcc -O0 -fstack-usage -c s.c -o "$T/ref.o") || fail "gcc failed"
    leaf=$(awk -F'\t' '/:leaf\t/ {print $2}' "$T/ref.su")
    mid=$(awk -F'\t' '/:mid\t/ {print $2}' "$T/ref.su")
    CC=gcc run "${TGT[@]}" --frames compiler src/s.c
    expect_rc 0
    out_has "mid ($mid) -> leaf ($((leaf + 128)))"
    out_has "exact"
    [ -z "$(ls src)" ] || [ "$(ls src)" = "s.c" ] || fail "compiler mode left files beside the source: $(ls src)"

    check "compiler: a compile that fails keeps the estimate, with a warning"
    CC=false run "${TGT[@]}" --frames compiler src/s.c
    expect_rc 0
    err_has "no frames from the compiler ('false' failed)"
    out_has "estimated"

    check "compiler: a compiler that is not there says so, and keeps the estimate"
    CC="$T/no-such-cc" run "${TGT[@]}" --frames compiler src/s.c
    expect_rc 0
    err_has "no frames from the compiler ('$T/no-such-cc' could not run)"
    out_has "estimated"

    check "compiler: the command is an argv, never a shell"
    CC='gcc; touch pwned' run "${TGT[@]}" --frames compiler src/s.c
    [ ! -e pwned ] && [ ! -e src/pwned ] || fail "the compile command went through a shell"
fi
echo "PASS"
