# A gate that proves (issue 15 items 3 and 5) through the real binary: a
# budget that only a lower bound fits is budget-unverified (exit 0 by
# default, exit 1 under --fail-on budget-unverified), the text table shows
# each budget's state (fits, exceeds, unverified), and every reason an
# entry's bound is incomplete or unbounded comes with what would settle it:
# once per run as a text note, as entries[].fixes[] in JSON (validated
# against the report schema), and in the SARIF results' property bags
# (validated against the official schema). The config lines the fixes name
# are then applied and must settle the bounds they are about.
source "$(dirname "$0")/common.bash"

TGT=(--target x86_64-linux-gnu)
PY=${SC_PYTHON:-python3}
cd "$T" || fail "cannot enter $T"

# One entry per kind of gap, one that is proven and one that is too big.
# The call through `hook` (line 39) has no target of its type anywhere.
cat >prog.c <<'C'
int lib_write(const char *buf, int n);
extern int (*hook)(long); extern int start;

int proven(int n)
{
    char buf[64];
    buf[n & 63] = 1;
    return buf[0];
}

int heavy(int n)
{
    char buf[2048];
    buf[n & 2047] = 1;
    return buf[0];
}

static int walk(int n)
{
    if (n <= 0)
        return 0;
    return walk(n - 1) + 1;
}

int rec_entry(void)
{
    return walk(start); /* a depth the code does not bound */
}

int dyn_entry(int n)
{
    char v[n];
    v[0] = 1;
    return v[0];
}

int ind_entry(void)
{
    return hook(2);
}

int other(void)
{
    char b[8];
    b[0] = 0;
    return lib_write(b, 1);
}

int main(void)
{
    char b[16];
    b[0] = 0;
    return lib_write(b, 1);
}
C
[ "$(sed -n 39p prog.c)" = "    return hook(2);" ] || fail "prog.c: the unresolved call moved off line 39"
BUDGETS=(--budget proven=4096 --budget main=65536 --budget rec_entry=65536)

check "budget-unverified alone exits 0; the table shows fits and unverified"
run "${TGT[@]}" "${BUDGETS[@]}" prog.c
expect_rc 0
out_has "warning: 'main' fits its budget of 65536 only as far as known: 48 bytes is a lower bound (incomplete): 'lib_write' has no known stack cost (settle: \"externals\": {\"lib_write\": BYTES} in stackcheck.json"
out_has "warning: 'rec_entry' fits its budget of 65536 only as far as known: 80 bytes is a lower bound (unbounded): recursion in 'walk' (no depth bound) (settle: \"max_depth\": {\"walk\": N}"
grep -Eq '^proven +96 B +estimated +4096 B fits ' out || fail "no 'fits' row for proven"
grep -Eq '^main +>= 48 B +incomplete +65536 B unverified ' out || fail "no 'unverified' row for main"
grep -Eq '^rec_entry +>= 80 B +unbounded +65536 B unverified ' out || fail "no 'unverified' row for rec_entry"
grep -q "budget-exceeded" out && fail "a budget that fits as a lower bound was reported exceeded"
[ "$(grep -c '\[budget-unverified\]' out)" = 2 ] || fail "expected 2 budget-unverified findings"

check "--fail-on budget-unverified makes the gate strict: exit 1"
run "${TGT[@]}" "${BUDGETS[@]}" --fail-on budget-unverified prog.c
expect_rc 1
out_has "2 findings fail the run (budget-unverified); exit 1"

check "a lower bound over the budget is exceeded (exit 1), never unverified; the table says exceeds"
run "${TGT[@]}" --budget heavy=64 --budget main=8 prog.c
expect_rc 1
grep -Eq '^heavy +2080 B +estimated +64 B exceeds ' out || fail "no 'exceeds' row for heavy"
grep -Eq '^main +>= 48 B +incomplete +8 B exceeds ' out || fail "no 'exceeds' row for main"
out_has "'main' needs at least 48 bytes of stack, over its budget of 8"
grep -q "budget-unverified" out && fail "an exceeded budget was also reported unverified"

check "text: each reason's fix once for the run, as a note, even when entries share it"
run "${TGT[@]}" prog.c
expect_rc 0
[ "$(grep -c "^note: 'lib_write' has no known stack cost; to settle it: \"externals\": {\"lib_write\": BYTES} in stackcheck.json" out)" = 1 ] ||
    fail "the lib_write fix should be one note (main and other share it)"
out_has "note: recursion in 'walk' (no depth bound); to settle it: \"max_depth\": {\"walk\": N} in stackcheck.json, or __attribute__((annotate(\"stackcheck:max_depth=N\"))) on 'walk'; N, the deepest it recurses, is yours to choose"
out_has "note: dynamic frame in 'dyn_entry'; to settle it: no config key bounds a dynamic frame"
out_has "note: unresolved indirect call in 'ind_entry'; to settle it: // stackcheck: targets(f, g) on the call's line prog.c:39, or \"indirect\": {\"prog.c:39\": [\"f\", \"g\"]} in stackcheck.json"
run "${TGT[@]}" -q prog.c
grep -q "to settle it" out && fail "-q printed the notes"

check "JSON: budget_state per budget, fixes[] parallel to reasons[] for each kind, findings' fix; schema-valid"
printf 'int broken(void) { return 1 +; }\n' >bad.c
run "${TGT[@]}" "${BUDGETS[@]}" --budget heavy=64 --format json --keep-going prog.c bad.c
expect_rc 1
"$PY" - "$SC_SOURCE_DIR/reports/stackcheck-report.schema.json" out <<'PY' || fail "JSON fixes are wrong"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.validators.validator_for(schema)(schema).validate(doc)
e = {x["function"]: x for x in doc["entries"]}
states = {k: v.get("budget_state") for k, v in e.items()}
assert states == {"heavy": "exceeds", "proven": "unverified", "main": "unverified", "rec_entry": "unverified",
                  "other": None, "dyn_entry": None, "ind_entry": None}, states  # --keep-going: all incomplete
for name, x in e.items():
    assert [f["reason"] for f in x["fixes"]] == x["reasons"], (name, x)
    assert all(isinstance(r, str) for r in x["reasons"]), name  # unchanged for old readers
kinds = {}
for x in e.values():
    for f in x["fixes"]:
        kinds.setdefault(f["kind"], f["fix"])
assert sorted(kinds) == ["dynamic", "external", "indirect", "inputs", "recursion"], sorted(kinds)
assert kinds["external"].startswith('"externals": {"lib_write": BYTES} in stackcheck.json'), kinds
assert kinds["recursion"].startswith('"max_depth": {"walk": N} in stackcheck.json'), kinds
assert kinds["dynamic"].startswith("no config key bounds a dynamic frame"), kinds
assert kinds["indirect"].startswith("// stackcheck: targets(f, g) on the call's line prog.c:39, or "
                                    '"indirect": {"prog.c:39": ["f", "g"]}'), kinds
assert "parse-error" in kinds["inputs"], kinds
fix = {f["rule"]: f.get("fix") for f in doc["findings"]}
assert fix["unknown-stack-cost"] == kinds["external"], fix
assert fix["dynamic-frame"] == kinds["dynamic"], fix
assert fix["unresolved-indirect-call"].startswith(kinds["indirect"]), fix
assert fix["recursion"] is None and fix["budget-unverified"] is None, fix
PY

check "SARIF validates; entry results carry their reasons' fixes, cause results their own, no fixes[]"
run "${TGT[@]}" "${BUDGETS[@]}" --format sarif prog.c
expect_rc 0
"$PY" - "$SC_SOURCE_DIR/tests/data/sarif-schema-2.1.0.json" out <<'PY' || fail "SARIF fixes are wrong"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.validators.validator_for(schema)(schema).validate(doc)
run = doc["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert "budget-unverified" in rules, rules
seen = set()
for r in run["results"]:
    # a SARIF fix must be applicable as it is (artifactChanges); ours are not
    assert "fixes" not in r, r
    p = r.get("properties", {})
    if r["ruleId"] in ("unbounded-stack", "budget-unverified"):
        fx = p["fixes"]
        assert fx and all(set(f) == {"reason", "kind", "fix"} for f in fx), r
        seen.add(r["ruleId"])
    if r["ruleId"] in ("unknown-stack-cost", "dynamic-frame", "unresolved-indirect-call"):
        assert p["fix"], r
        seen.add(r["ruleId"])
    if r["ruleId"] == "budget-unverified":
        assert r["level"] == "warning", r
assert seen == {"unbounded-stack", "budget-unverified", "unknown-stack-cost", "dynamic-frame",
                "unresolved-indirect-call"}, seen
PY

check "the config lines the fixes name settle their bounds: the strict gate passes"
printf '{"externals": {"lib_write": 64}, "max_depth": {"walk": 8}, "indirect": {"prog.c:39": ["proven"]}}\n' >settle.json
run "${TGT[@]}" --config settle.json "${BUDGETS[@]}" --budget ind_entry=65536 --fail-on budget-unverified prog.c
expect_rc 0
grep -Eq '^main +112 B +estimated +65536 B fits ' out || fail "the externals line did not settle main"
grep -Eq '^rec_entry +[0-9]+ B +estimated +65536 B fits ' out || fail "the max_depth line did not settle rec_entry"
grep -Eq '^ind_entry +[0-9]+ B +estimated +65536 B fits ' out || fail "the indirect line did not settle ind_entry"
grep -q "budget-unverified" out && fail "settled budgets still unverified"
out_has "note: dynamic frame in 'dyn_entry'" # no config settles a VLA: still said

check "the targets() comment the fix names settles the call too"
sed '39s|$| /* stackcheck: targets(proven) */|' prog.c >prog2.c
run "${TGT[@]}" --budget ind_entry=65536 --fail-on budget-unverified prog2.c
expect_rc 0
grep -Eq '^ind_entry +[0-9]+ B +estimated +65536 B fits ' out || fail "the targets comment did not settle ind_entry"

check "a possible cycle: max_depth on the caller, or the closing call's targets"
cat >poss.c <<'C'
struct ops { int (*step)(struct ops *, int); };

static int a(struct ops *o, int n)
{
    if (n <= 0)
        return 0;
    return o->step(o, n - 1);
}

static int b(struct ops *o, int n) { (void)o; return n; }

int run(int n)
{
    struct ops o1 = {a}, o2 = {b};
    return a(&o1, n) + a(&o2, n);
}
C
run "${TGT[@]}" --budget run=65536 poss.c
expect_rc 0
out_has "note: possible recursion through 'o->step' (targets of member 'ops.step') in 'a' (no depth bound); to settle it: \"max_depth\": {\"a\": N} in stackcheck.json"
out_has "or, if that call cannot reach the cycle, // stackcheck: targets(f, g) on its line poss.c:7"
printf '{"max_depth": {"a": 4}}\n' >poss.json
run "${TGT[@]}" --config poss.json --budget run=65536 --fail-on budget-unverified poss.c
expect_rc 0
grep -Eq '^run +[0-9]+ B +estimated +65536 B fits ' out || fail "max_depth on the caller did not settle run"

echo "PASS"
