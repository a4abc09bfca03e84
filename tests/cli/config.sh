# The config file (--config FILE and ./stackcheck.json) and the in-source
# annotations, through the real binary: every key with a good and a bad value
# (exit 2, one line naming the file and the key), max_depth (config and
# annotate) making a recursive bound finite, suppressions by function glob, by
# file glob and by `stackcheck: ignore[rule]` comment, and exit statuses 0/1/2.
source "$(dirname "$0")/common.bash"

TGT=(--target x86_64-linux-gnu)
PY=${SC_PYTHON:-python3}
cd "$T" || fail "cannot enter $T"

cat >prog.c <<'C'
int printf(const char *fmt, ...);

int helper(int x)
{
    char buf[48];
    buf[0] = (char)x;
    return buf[0];
}

int isr_timer(void)
{
    return helper(1);
}

int isr_uart(void)
{
    return helper(2);
}

int walk(int n)
{
    char b[100];
    b[0] = (char)n;
    if (n <= 0)
        return b[0];
    return walk(n - 1);
}

int main(int argc, char **argv)
{
    (void)argv;
    printf("hi");
    return helper(3) + walk(argc + 3); /* a depth the code does not bound */
}
C

# json_query FILE EXPR: evaluates a Python expression over the JSON report
# `d` (entries by name in `e`, functions in `fn`), prints the result.
json_query() {
    "$PY" - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
e = {x["function"]: x for x in d["entries"]}
fn = {x["name"]: x for x in d["functions"]}
print(eval(sys.argv[2]))
PY
}

# bad_config NAME JSON KEY: the config is rejected with exit 2 and exactly
# one line "stackcheck: error: NAME: 'KEY': ...", nothing on stdout.
bad_config() {
    local name=$1 json=$2 key=$3
    printf '%s\n' "$json" >"$name"
    run "${TGT[@]}" --config "$name" prog.c
    expect_rc 2
    [ "$(wc -l <"$T/err")" -eq 1 ] || fail "expected one stderr line for $json"
    grep -q "^stackcheck: error: $name: '$key'" "$T/err" || fail "error does not name file $name and key '$key' for $json"
    [ ! -s "$T/out" ] || fail "stdout is not empty for a bad config"
}

check "without a config: main is unbounded (walk recursion), printf unknown, exit 0"
run "${TGT[@]}" --format json prog.c
expect_rc 0
cp out base.json
[ "$(json_query base.json 'e["main"]["status"]')" = unbounded ] || fail "main should be unbounded without a config"
WALK=$(json_query base.json 'fn["walk"]["frame"]["bytes"]')
MAIN=$(json_query base.json 'fn["main"]["frame"]["bytes"]')
HELPER=$(json_query base.json 'fn["helper"]["frame"]["bytes"]')
[ "$(json_query base.json '"helper" in e')" = False ] || fail "helper is not an entry by default"

check "entries: a plain name and a glob add entry points; 'budgets' pattern and default"
cat >good.json <<'J'
{
  "entries": ["helper", "isr_*"],
  "budgets": {"isr_*": 16, "default": 1000000},
  "externals": {"printf": 512},
  "max_depth": {"walk": 10}
}
J
run "${TGT[@]}" --config good.json --format json prog.c
expect_rc 1
cp out good.out.json
[ "$(json_query good.out.json '"helper" in e')" = True ] || fail "'entries' did not add helper"
[ "$(json_query good.out.json 'e["isr_timer"]["budget"]')" = 16 ] || fail "isr_* budget not applied"
[ "$(json_query good.out.json 'e["main"]["budget"]')" = 1000000 ] || fail "default budget not applied"
[ "$(json_query good.out.json 'sorted(f["function"] for f in d["findings"] if f["rule"] == "budget-exceeded")')" = "['isr_timer', 'isr_uart']" ] ||
    fail "budget-exceeded should name exactly isr_timer and isr_uart"

check "externals + max_depth: main's bound is finite and counts printf and depth x walk"
[ "$(json_query good.out.json 'e["main"]["status"]')" = estimated ] || fail "main should be estimated with externals and max_depth"
[ "$(json_query good.out.json 'fn["printf"]["frame"]')" = "{'bytes': 512, 'source': 'config', 'dynamic': False}" ] ||
    fail "printf frame should come from the config"
want=$((MAIN + 10 * WALK))
[ $((MAIN + 512)) -gt "$want" ] && want=$((MAIN + 512))
[ "$(json_query good.out.json 'e["main"]["bytes"]')" = "$want" ] || fail "main bytes should be $want"

check "externals alone: printf costed but walk still unbounded; max_depth alone: incomplete (printf)"
printf '{"externals": {"printf": 512}}\n' >ext.json
run "${TGT[@]}" --config ext.json --format json prog.c
expect_rc 0
[ "$(json_query out 'e["main"]["status"]')" = unbounded ] || fail "main should stay unbounded without max_depth"
printf '{"max_depth": {"w*": 3}}\n' >md.json
run "${TGT[@]}" --config md.json --format json prog.c
expect_rc 0
[ "$(json_query out 'e["main"]["status"]')" = incomplete ] || fail "main should be incomplete (printf unknown)"
[ "$(json_query out 'fn["walk"]["max_stack"]["bytes"]')" = $((3 * WALK)) ] || fail "walk max_stack should be 3 x its frame"

check "suppress by function glob: the recursion finding is kept in JSON as suppressed, gone from text"
printf '{"suppress": [{"rule": "recursion", "function": "wa*"}]}\n' >sup.json
run "${TGT[@]}" --config sup.json --format json prog.c
expect_rc 0
[ "$(json_query out '[(f["rule"], f["suppressed"]) for f in d["findings"] if f["rule"] == "recursion"]')" = "[('recursion', True)]" ] ||
    fail "recursion finding should be present and suppressed"
run "${TGT[@]}" --config sup.json prog.c
grep -q '\[recursion\]' out && fail "a suppressed finding is shown in text"
out_has "[unbounded-stack]"

check "suppress by file glob silences every rule in that file; SARIF marks it suppressed"
printf '{"suppress": [{"rule": "*", "file": "*prog.c"}]}\n' >supf.json
run "${TGT[@]}" --config supf.json --format json prog.c
[ "$(json_query out 'all(f["suppressed"] for f in d["findings"]) and len(d["findings"]) > 0')" = True ] ||
    fail "every finding in prog.c should be suppressed"
run "${TGT[@]}" --config supf.json --format sarif prog.c
[ "$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; print(all(x.get("suppressions") for x in r) and len(r) > 0)' out)" = True ] ||
    fail "SARIF results should carry suppressions"

check "suppressed findings never fail the run: budget-exceeded suppressed exits 0"
printf '{"budgets": {"default": 16}, "suppress": [{"rule": "budget-exceeded", "function": "*"}]}\n' >supb.json
run "${TGT[@]}" --config supb.json prog.c
expect_rc 0
printf '{"budgets": {"default": 16}}\n' >nosupb.json
run "${TGT[@]}" --config nosupb.json prog.c
expect_rc 1

check "./stackcheck.json is read by default, --config overrides it"
cp good.json stackcheck.json
run "${TGT[@]}" --format json prog.c
expect_rc 1
[ "$(json_query out '"helper" in e')" = True ] || fail "./stackcheck.json was not read"
run "${TGT[@]}" --config ext.json --format json prog.c
expect_rc 0
[ "$(json_query out '"helper" in e')" = False ] || fail "--config should replace ./stackcheck.json"
printf '{"budgets": {"main": -1}}\n' >stackcheck.json
run "${TGT[@]}" prog.c
expect_rc 2
err_has "stackcheck: error: stackcheck.json: 'budgets.main'"
rm -f stackcheck.json

check "bad values of every key: exit 2 naming the file and the key"
# (one or two per key here; tests/unit/test_config.c covers every reason)
bad_config c1.json '{"entries": "main"}' entries
bad_config c3.json '{"entries": ["nosuch"]}' 'entries\[0\]'
bad_config c4.json '{"budgets": {"main": -5}}' budgets.main
bad_config c7.json '{"externals": {"printf": -1}}' externals.printf
bad_config c10.json '{"max_depth": {"walk": true}}' max_depth.walk
bad_config c11.json '{"suppress": [{"rule": "no-such-rule", "function": "f"}]}' 'suppress\[0\].rule'
bad_config c13.json '{"suppress": [{"rule": "recursion", "line": "3"}]}' 'suppress\[0\].line'
bad_config c15.json '{"budget": {"main": 10}}' budget
bad_config c16.json '{"estimate_for": "icc"}' estimate_for
bad_config c17.json '{"estimate_for": 1}' estimate_for
bad_config c18.json '{"estimate_for": "GCC"}' estimate_for

check "estimate_for: the config picks the compiler model; --estimate-for wins over it"
# A leaf with a 100-byte array: gcc keeps it in the red zone, so the models
# differ (clang's frame, gcc's padding of the same locals).
cat >model.c <<'C'
int leafy(int x) { char b[100]; int i; int *p = &i; b[0] = (char)x; *p = b[0]; return i; }
int two(int a) { return leafy(a) + leafy(a + 1); }
int main(void) { return two(1); }
C
frame_with() { # frame_with ARGS...: prints the frames of leafy, two, main
    run "${TGT[@]}" --format json "$@" model.c
    expect_rc 0
    json_query out '(fn["leafy"]["frame"]["bytes"], fn["two"]["frame"]["bytes"], fn["main"]["frame"]["bytes"])'
}
ANY=$(frame_with)
[ "$(frame_with --estimate-for any)" = "$ANY" ] || fail "--estimate-for any is not the default"
GCC=$(frame_with --estimate-for gcc)
CLANG=$(frame_with --estimate-for clang)
[ "$GCC" != "$CLANG" ] || fail "the gcc and clang models give the same frames ($GCC)"
printf '{"estimate_for": "gcc"}\n' >gcc.json
[ "$(frame_with --config gcc.json)" = "$GCC" ] || fail "estimate_for gcc in the config was not applied"
[ "$(frame_with --config gcc.json --estimate-for clang)" = "$CLANG" ] || fail "--estimate-for should win over the config"
printf '{"estimate_for": "clang"}\n' >clang.json
[ "$(frame_with --config clang.json)" = "$CLANG" ] || fail "estimate_for clang in the config was not applied"
# other targets have no gcc model: gcc is any there
[ "$(TGT=(--target arm-none-eabi); frame_with --estimate-for gcc)" = "$(TGT=(--target arm-none-eabi); frame_with)" ] ||
    fail "on arm-none-eabi --estimate-for gcc should equal any"

check "unreadable and malformed configs: exit 2 naming the file"
run "${TGT[@]}" --config missing.json prog.c
expect_rc 2
err_has "stackcheck: error: missing.json: "
printf '{"budgets": ' >trunc.json
run "${TGT[@]}" --config trunc.json prog.c
expect_rc 2
err_has "stackcheck: error: trunc.json: not valid JSON"

check "annotate(\"stackcheck:max_depth=N\") makes a cycle finite: N x the cycle's frames"
cat >ann.c <<'C'
__attribute__((annotate("stackcheck:max_depth=8"))) int ping(int n);

int pong(int n)
{
    char b[40];
    b[0] = (char)n;
    if (n <= 0)
        return b[0];
    return ping(n - 1);
}

__attribute__((annotate("stackcheck:max_depth=8"))) int ping(int n)
{
    if (n <= 0)
        return 0;
    return pong(n - 1) + 1;
}

int main(int argc, char **argv)
{
    (void)argv;
    return ping(argc); /* a depth the code does not bound */
}
C
run "${TGT[@]}" --format json ann.c
expect_rc 0
[ "$(json_query out 'e["main"]["status"]')" = estimated ] || fail "annotated cycle should give an estimated bound"
[ "$(json_query out 'e["main"]["bytes"] == fn["main"]["frame"]["bytes"] + 8 * (fn["ping"]["frame"]["bytes"] + fn["pong"]["frame"]["bytes"])')" = True ] ||
    fail "main bytes should be main + 8 x (ping + pong)"
sed 's/__attribute__((annotate("stackcheck:max_depth=8"))) //' ann.c >noann.c
run "${TGT[@]}" --format json noann.c
[ "$(json_query out 'e["main"]["status"]')" = unbounded ] || fail "without the annotation the bound is unbounded"

check "// stackcheck: ignore[rule] on the line above silences that finding only; exit 1 -> 0"
cat >ign.c <<'C'
// stackcheck: ignore[missing-base-case]
int down(int n)
{
    return down(n - 1);
}

int main(void)
{
    return down(3);
}
C
sed '1d' ign.c >noign.c
run "${TGT[@]}" noign.c
expect_rc 1
out_has "[missing-base-case]"
run "${TGT[@]}" ign.c
expect_rc 0
grep -q 'missing-base-case' out && fail "ignore comment did not silence missing-base-case"
out_has "[recursion]"

check "an ignore comment is found wherever it sits in a big file (across a 64 KiB read)"
# The marker is looked for in 64 KiB chunks: put it across the first seam.
"$PY" - >bigign.c <<'PY'
head = "/*" + "x" * (65536 - 10 - 2 - 3) + "*/\n"   # the marker starts at 65536 - 10
print(head + "// stackcheck: ignore[missing-base-case]\nint down(int n)\n{\n    return down(n - 1);\n}\n"
      "int main(void) { return down(3); }")
PY
run "${TGT[@]}" bigign.c
expect_rc 0
grep -q 'missing-base-case' out && fail "the ignore comment across the seam was missed"

check "README's complete stackcheck.json example is accepted and applied"
"$PY" - "$SC_SOURCE_DIR/README.md" >readme.json <<'PY' || fail "no json example in README's Configuration section"
import re, sys
sec = open(sys.argv[1]).read().split("## Configuration (stackcheck.json)", 1)[1].split("\n## ", 1)[0]
sys.stdout.write(re.search(r"```json\n(.*?)```", sec, re.S).group(1))
PY
cat >fw.c <<'C'
int printf(const char *fmt, ...);
struct node { struct node *left; };
int tree_walk(struct node *n) { return n ? tree_walk(n->left) + 1 : 0; }
void isr_tick(void) { char b[16]; b[0] = 1; (void)b; }
void worker_thread(void) { char b[64]; b[0] = 0; printf("%s", b); }
int main(void) { worker_thread(); return tree_walk(0); }
C
run "${TGT[@]}" --config readme.json --format json fw.c
expect_rc 0
[ "$(json_query out '(e["main"]["budget"], e["isr_tick"]["budget"], e["worker_thread"]["budget"], e["main"]["status"], [f["suppressed"] for f in d["findings"] if f["rule"] == "recursion"])')" = "(8192, 512, 4096, 'estimated', [True])" ] ||
    fail "README example not applied as documented"

echo "PASS"
