# The CI gate through the real binary: --fail-on, --baseline (grown bound and
# new finding detected, moved lines and an unchanged run report nothing,
# --fail-on regression exits 1, a bad baseline exits 2), regressions in text,
# JSON (validated against the report schema) and SARIF (validated against
# the official schema, with baselineState), and the README's editor snippet.
source "$(dirname "$0")/common.bash"

TGT=(--target x86_64-linux-gnu)
PY=${SC_PYTHON:-python3}
cd "$T" || fail "cannot enter $T"

cat >old.c <<'C'
int leaf(int x)
{
    char buf[32];
    buf[0] = (char)x;
    return buf[0];
}

int walk(int n)
{
    if (n <= 0)
        return 0;
    return walk(n - 1) + 1;
}

int main(int argc, char **argv)
{
    (void)argv;
    return leaf(3) + walk(argc); /* a depth the code does not bound */
}
C
# The new version: two lines inserted above walk (its finding moves but is
# not new), a bigger leaf frame (main's bound grows), and a new
# non-convergent recursion in 'grow'.
cat >new.c <<'C'
int leaf(int x)
{
    char buf[96];
    buf[0] = (char)x;
    return buf[0];
}


int walk(int n)
{
    if (n <= 0)
        return 0;
    return walk(n - 1) + 1;
}

int grow(int n)
{
    if (n < 1)
        grow(n - 1);
    return 0;
}

int main(int argc, char **argv)
{
    (void)argv;
    return leaf(3) + walk(argc) + grow(1);
}
C

check "--fail-on: default set; a listed rule fails; an unknown rule is a usage error"
run "${TGT[@]}" old.c
expect_rc 0
out_has "[recursion]"
run "${TGT[@]}" --fail-on recursion old.c
expect_rc 1
out_has "the run (recursion); exit 1"
run "${TGT[@]}" new.c
expect_rc 1
run "${TGT[@]}" --fail-on missing-base-case new.c
expect_rc 0
expect_usage "unknown rule 'nonsense' in --fail-on" --fail-on recursion,nonsense old.c

check "baseline of the old program; an unchanged run reports no regression (exit 0 under --fail-on regression)"
cp old.c prog.c
run "${TGT[@]}" --format json prog.c
expect_rc 0
cp out old.json
run "${TGT[@]}" --baseline old.json --fail-on regression prog.c
expect_rc 0
grep -q 'regression' out && fail "an unchanged run reported a regression"
run "${TGT[@]}" --baseline old.json --fail-on regression --format json prog.c
expect_rc 0
[ "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["regressions"])' out)" = "[]" ] ||
    fail "regressions[] should be empty for an unchanged run"

check "the new program: main's bound grew (bytes and %), 'grow' findings are new, walk's moved finding is not"
cp new.c prog.c
run "${TGT[@]}" --baseline old.json prog.c
expect_rc 1 # non-convergent-recursion fails by default
out_has "error: worst-case stack of 'main' grew from "
grep -q "grew from [0-9]* B to [0-9]* B (+[0-9.]*%) since the baseline \[regression\]" out ||
    fail "grown bound lacks bytes and percent"
out_has "new since the baseline (non-convergent-recursion): 'grow' cannot stop"
out_has "new since the baseline (recursion): 'grow' is recursive"
grep -q "new since the baseline (recursion): 'walk'" out && fail "walk's moved finding was reported as new"
cp out text.out

check "--fail-on regression exits 1 on regressions alone"
run "${TGT[@]}" --baseline old.json --fail-on regression prog.c
expect_rc 1
out_has "the run (regression); exit 1"

check "JSON: regressions[] validates against the report schema and carries the figures"
run "${TGT[@]}" --baseline old.json --format json prog.c
"$PY" - "$SC_SOURCE_DIR/reports/stackcheck-report.schema.json" out old.json <<'PY' || fail "JSON regressions are wrong"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
old = json.load(open(sys.argv[3]))
jsonschema.validators.validator_for(schema)(schema).validate(doc)
regs = doc["regressions"]
grew = [g for g in regs if g["kind"] == "bound-grew"]
assert [g["function"] for g in grew] == ["main"], grew
g = grew[0]
old_main = [e for e in old["entries"] if e["function"] == "main"][0]
new_main = [e for e in doc["entries"] if e["function"] == "main"][0]
assert g["old_bytes"] == old_main["bytes"] and g["new_bytes"] == new_main["bytes"], g
assert g["growth_percent"] == round((g["new_bytes"] - g["old_bytes"]) * 100 / g["old_bytes"], 1), g
new = sorted((g["rule"], g["function"]) for g in regs if g["kind"] == "new-finding")
# main's unbounded-stack message now also names 'grow' among its reasons: new.
assert new == [("non-convergent-recursion", "grow"), ("recursion", "grow"), ("unbounded-stack", "main")], new
assert sum(1 for f in doc["findings"] if f["rule"] == "regression") == len(regs)
PY

check "SARIF with a baseline validates and marks results new / unchanged"
run "${TGT[@]}" --baseline old.json --format sarif prog.c
"$PY" - "$SC_SOURCE_DIR/tests/data/sarif-schema-2.1.0.json" out <<'PY' || fail "SARIF regressions are wrong"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.validators.validator_for(schema)(schema).validate(doc)
run = doc["runs"][0]
assert "regression" in [r["id"] for r in run["tool"]["driver"]["rules"]]
res = run["results"]
state = {}
for r in res:
    state.setdefault(r["ruleId"], set()).add(r["baselineState"])
assert state["regression"] == {"new"}, state
assert "unchanged" in state["recursion"] and "new" in state["recursion"], state
PY

check "a bad baseline exits 2 naming the file"
printf '{"schema": "other"}\n' >bad.json
run "${TGT[@]}" --baseline bad.json prog.c
expect_rc 2
err_has "stackcheck: error: bad.json: 'schema'"
printf '{"schema": "stackcheck-report/1", "entries": [{"function": "main", "bytes": -1, "status": "exact"}], "findings": []}\n' >bad2.json
run "${TGT[@]}" --baseline bad2.json prog.c
expect_rc 2
err_has "stackcheck: error: bad2.json: 'entries[0].bytes'"
run "${TGT[@]}" --baseline nosuch.json prog.c
expect_rc 2
err_has "stackcheck: error: nosuch.json: "

check "a cycle that grows or shrinks by one function is not a new finding under --baseline"
# cyc3: b -> c -> d -> b, reported on b. cyc4 adds 'a' above b (the finding
# moves to a, its size and chain change); cyc2 drops d (b, the old first
# member, stays; the chain changes).
gen_cycle() {
    local names=("$@") n=${#names[@]} i
    for ((i = 0; i < n; i++)); do echo "int ${names[i]}(int n);"; done
    for ((i = 0; i < n; i++)); do
        printf 'int %s(int n)\n{\n    if (n <= 0)\n        return 0;\n    return %s(n - 1);\n}\n' \
            "${names[i]}" "${names[(i + 1) % n]}"
    done
    printf 'int main(void)\n{\n    return %s(3);\n}\n' "${names[0]}"
}
gen_cycle b c d >cyc.c
"$STACKCHECK" "${TGT[@]}" --format json -o cyc3.json cyc.c || fail "cyc3 report failed"
gen_cycle a b c d >cyc.c
# (main's bound and its unbounded-stack message may change: they are
# about the entry, and reported as such.)
run "${TGT[@]}" --baseline cyc3.json cyc.c
out_has "'a' is part of a cycle of 4 functions: a -> b -> c -> d -> a"
grep -q "new since the baseline (recursion)" out && fail "a grown cycle was reported as new: $(cat out)"
gen_cycle b c >cyc.c
run "${TGT[@]}" --baseline cyc3.json cyc.c
out_has "'b' is part of a cycle of 2 functions: b -> c -> b"
grep -q "new since the baseline (recursion)" out && fail "a shrunk cycle was reported as new: $(cat out)"
# A different cycle is still new.
printf 'int x(int n)\n{\n    if (n <= 0)\n        return 0;\n    return x(n - 1);\n}\nint main(void)\n{\n    return x(3);\n}\n' >cyc.c
run "${TGT[@]}" --baseline cyc3.json --fail-on regression cyc.c
expect_rc 1
out_has "new since the baseline (recursion): 'x' is recursive"

check "README 'Editor integration' snippet maps findings and max_stack"
readme="$SC_SOURCE_DIR/README.md"
"$PY" - "$readme" >snippet.py <<'PY' || fail "no python snippet in README's Editor integration section"
import re, sys
text = open(sys.argv[1]).read()
sec = text.split("## Editor integration", 1)[1].split("\n## ", 1)[0]
m = re.search(r"```python\n(.*?)```", sec, re.S)
sys.stdout.write(m.group(1))
PY
"$STACKCHECK" "${TGT[@]}" --format json prog.c >report.json
"$PY" snippet.py report.json >editor.out || fail "README snippet failed"
grep -q "^prog.c:[0-9]*:[0-9]*: warning: 'grow' cannot stop once it recurses" editor.out || fail "snippet did not map a finding: $(cat editor.out)"
grep -q "^prog.c:[0-9]*: hint: leaf: max stack [0-9]* B (estimated)" editor.out || fail "snippet did not map max_stack: $(cat editor.out)"

echo "PASS"
