# The rule table is the one source of rule ids: README.md (a row of its
# Rules table each), --help and the JSON report schema must name every rule
# of analyzer/core/rules.def.
source "$(dirname "$0")/common.bash"

ids=$(sed -n 's/^RULE([A-Z_]*, *"\([^"]*\)".*/\1/p' "$SC_SOURCE_DIR/analyzer/core/rules.def")
[ -n "$ids" ] || fail "no rule ids found in rules.def"

check "README.md's Rules table has a row for every rule id"
for id in $ids; do
    grep -qF -- "| \`$id\` |" "$SC_SOURCE_DIR/README.md" || fail "README.md's Rules table has no row for rule '$id'"
done

check "the JSON report schema's findings[].rule names every rule id"
schema="$SC_SOURCE_DIR/reports/stackcheck-report.schema.json"
rules=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["properties"]["findings"]["items"]["properties"]["rule"]["enum"]))' "$schema") ||
    fail "cannot read findings[].rule from $schema"
for id in $ids; do
    case " $rules " in *" $id "*) ;; *) fail "the report schema does not list rule '$id'" ;; esac
done

check "--help names every rule id"
run --help
expect_rc 0
for id in $ids; do out_has "$id"; done

echo "PASS"
