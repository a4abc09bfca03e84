# Machine reports parsed back: JSON against reports/stackcheck-report.schema.json,
# SARIF against the official 2.1.0 schema (tests/data), DOT through graphviz.
source "$(dirname "$0")/common.bash"

python3 -c 'import jsonschema' 2>/dev/null || fail "python3-jsonschema is not installed"

write_good "$T/good.c"
cat >"$T/rec.c" <<'C'
int puts(const char *s);

int down(int n)
{
    if (n < 1) {
        puts("x");
        down(n - 1);
    }
    return 0;
}

int main(void)
{
    return down(3);
}
C
inputs=("$T/good.c" "$T/rec.c")

check "--format json validates against the report schema"
run --format json --budget main=100000 --entry work "${inputs[@]}"
[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "json run failed (exit $RC)"
python3 - "$SC_SOURCE_DIR/reports/stackcheck-report.schema.json" "$T/out" "$T/good.c" <<'PY' || fail "JSON report is invalid"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
doc = json.load(open(sys.argv[2]))
cls(schema).validate(doc)
assert doc["schema"] == "stackcheck-report/1"
assert doc["tool"]["name"] == "stackcheck"
assert sys.argv[3] in doc["inputs"]
names = {f["name"] for f in doc["functions"]}
assert {"main", "work", "leaf"} <= names, names
entries = {e["function"]: e for e in doc["entries"]}
assert "work" in entries and "main" in entries, entries.keys()
assert entries["main"]["budget"] == 100000
assert entries["main"]["path"][0]["function"] == "main"
byt = [e["bytes"] for e in doc["entries"]]
assert byt == sorted(byt, reverse=True), byt
PY

check "JSON output is deterministic (two runs, byte-identical)"
cp "$T/out" "$T/first.json"
run --format json --budget main=100000 --entry work "${inputs[@]}"
cmp -s "$T/first.json" "$T/out" || fail "two JSON runs differ"

check "--format sarif validates against the SARIF 2.1.0 schema"
schema="$SC_SOURCE_DIR/tests/data/sarif-schema-2.1.0.json"
[ -f "$schema" ] || fail "missing $schema"
run --format sarif "${inputs[@]}"
[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "sarif run failed (exit $RC)"
python3 - "$schema" "$T/out" "$SC_SOURCE_DIR/analyzer/core/rules.def" <<'PY' || fail "SARIF report is invalid"
import json, re, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.Draft4Validator(schema).validate(doc)
assert doc["version"] == "2.1.0"
run = doc["runs"][0]
ids = re.findall(r'^RULE\([A-Z_]+,\s*"([^"]+)"', open(sys.argv[3]).read(), re.M)
rules = run["tool"]["driver"]["rules"]
assert [r["id"] for r in rules] == ids, ([r["id"] for r in rules], ids)
for r in rules:
    assert r["shortDescription"]["text"] and r["help"]["text"]
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
for res in run["results"]:
    assert res["partialFingerprints"], res
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
PY

check "SARIF paths are relative to %SRCROOT% when run from the source folder"
(cd "$T" && timeout 20 "$STACKCHECK" --format sarif good.c rec.c >"$T/rel.sarif" 2>/dev/null)
python3 - "$T/rel.sarif" <<'PY' || fail "SARIF uses absolute paths for relative inputs"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
for res in run["results"]:
    for loc in res["locations"]:
        art = loc.get("physicalLocation", {}).get("artifactLocation")
        if art:
            assert art["uriBaseId"] == "%SRCROOT%" and not art["uri"].startswith("/"), art
PY

check "--format dot renders with graphviz"
run --format dot "${inputs[@]}"
[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "dot run failed (exit $RC)"
head -n 1 "$T/out" | grep -q '^digraph ' || fail "not a digraph"
out_has "main"
if command -v dot >/dev/null 2>&1; then
    dot -Tsvg "$T/out" >"$T/graph.svg" 2>"$T/dot.err" || fail "dot -Tsvg failed: $(cat "$T/dot.err")"
    grep -q '<svg' "$T/graph.svg" || fail "dot produced no SVG"
else
    echo "note: graphviz not installed; DOT not rendered"
fi

echo "PASS"
