# The rule table is the one source of rule ids: README.md, --help and the
# SARIF rules must name every rule of analyzer/core/rules.def.
source "$(dirname "$0")/common.bash"

ids=$(sed -n 's/^RULE([A-Z_]*, *"\([^"]*\)".*/\1/p' "$SC_SOURCE_DIR/analyzer/core/rules.def")
[ -n "$ids" ] || fail "no rule ids found in rules.def"

check "README.md names every rule id"
for id in $ids; do
    grep -qF -- "$id" "$SC_SOURCE_DIR/README.md" || fail "README.md does not mention rule '$id'"
done

check "--help names every rule id"
run --help
expect_rc 0
for id in $ids; do out_has "$id"; done

echo "PASS"
