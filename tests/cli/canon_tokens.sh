# The cache's canonical form of a source (comments blanked, trailing blanks
# gone) must leave clang's tokens exactly where they were: for every
# fixture, and for sources written to trip it up, `clang -dump-tokens` of
# the file and of its canonical form list the same tokens at the same
# lines and columns, with the same flags (StartOfLine decides whether a
# '#' starts a directive). The one difference allowed: the eof token
# (trailing blanks are gone).
source "$(dirname "$0")/common.bash"
[ -x "${SC_CANON_DUMP:-}" ] || fail "SC_CANON_DUMP is not set to sc_canon_dump"
command -v clang-19 >/dev/null || { echo "SKIP: no clang-19"; exit 0; }

mkdir -p "$T/tricky"
cat >"$T/tricky/comments.c" <<'C'
/* license
 * header */
#include <stddef.h> // std
#define STR(x) #x /* stringize */
#define TWO(a, b) \
    ((a) /* first */ + \
     (b)) // second
static const char *s = "/* not a comment */ // nor this";
static const char c = '"'; /* a quote */ static const char d = '\'';
static int n = 1'000 + 0x1p+3 /* C23 separator, hex float */;
int f(int x) { return TWO(x, /* in a macro argument */ 2) /**/ + n; }
// a line comment \
   that goes on
int g(void) { return f(1) + (int)sizeof STR(/* x */ y); }
/* trailing */
#define SPLIT 1 /* a comment
                   over two lines: the directive goes on */ + 2
int h(void) { return SPLIT; }
C
# Both trees hold the same relative paths, so one clang process per tree
# lists every file's tokens with identical locations (headers included,
# which are the same on both sides).
n=0; nocanon=0; files=(); incs=()
while IFS= read -r f; do
    rel=$(basename "$(dirname "$f")")/$(basename "$f")
    mkdir -p "$T/o/${rel%/*}" "$T/c/${rel%/*}"
    if ! "$SC_CANON_DUMP" "$f" >"$T/c/$rel"; then nocanon=$((nocanon + 1)); continue; fi
    cp "$f" "$T/o/$rel"
    files+=("$rel")
    incs+=(-I "$(dirname "$f")")
    n=$((n + 1))
done < <(find "$SC_SOURCE_DIR/fixtures" "$T/tricky" -name '*.c' | sort)
for side in o c; do
    (cd "$T/$side" && clang-19 -std=gnu2x -fsyntax-only -Xclang -dump-tokens "${incs[@]}" "${files[@]}" 2>&1) |
        grep -v '^eof ' >"$T/$side.tokens" &
done
wait
grep -q 'Loc=<tricky/comments.c:14:' "$T/o.tokens" || fail "no tokens dumped: $(head -3 "$T/o.tokens")"
cmp -s "$T/o.tokens" "$T/c.tokens" || fail "tokens moved in the canonical form: $(diff "$T/o.tokens" "$T/c.tokens" | head -6)"
check "canonical form keeps every token in place: $n files compared, $nocanon without a form"
[ "$n" -ge 50 ] || fail "only $n files compared"
