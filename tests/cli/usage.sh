# CLI usage: --help, --version, and every usage error (exit 2, one line
# naming the problem plus the Try line).
source "$(dirname "$0")/common.bash"

write_good "$T/good.c"

check "--help exits 0 and lists every option and every rule id"
run --help
expect_rc 0
for opt in --help --version -I -D -U -std= --target --entry --budget --format -o -j --keep-going --fail-on --quiet; do
    out_has "$opt"
done
ids=$(sed -n 's/^RULE([A-Z_]*, *"\([^"]*\)".*/\1/p' "$SC_SOURCE_DIR/analyzer/core/rules.def")
[ -n "$ids" ] || fail "no rule ids found in rules.def"
for id in $ids; do out_has "$id"; done
[ ! -s "$T/err" ] || fail "--help wrote to stderr"

check "-h is --help"
run -h
expect_rc 0
out_has "usage: stackcheck"

check "--version exits 0: 'stackcheck X.Y.Z (libclang: ...)'"
run --version
expect_rc 0
grep -qE '^stackcheck [0-9]+\.[0-9]+\.[0-9]+ \(libclang: .+\)$' "$T/out" || fail "bad --version line"

check "unknown long option"
expect_usage "--no-such-option" --no-such-option "$T/good.c"
check "unknown short option"
expect_usage "-Z" -Z "$T/good.c"
check "missing argument"
expect_usage "-o" "$T/good.c" -o
expect_usage "--budget" "$T/good.c" --budget
check "bad --budget values"
expect_usage "--budget" --budget abc "$T/good.c"
expect_usage "--budget" --budget 0 "$T/good.c"
expect_usage "--budget" --budget -5 "$T/good.c"
expect_usage "--budget" --budget main=12X "$T/good.c"
expect_usage "--budget" --budget =100 "$T/good.c"
expect_usage "--budget" --budget 99999999999999999999999 "$T/good.c"
check "bad --format"
expect_usage "xml" --format xml "$T/good.c"
check "bad --target"
expect_usage "no-such-triple" --target no-such-triple "$T/good.c"
check "bad -j"
expect_usage "-j" -j 0 "$T/good.c"
expect_usage "-j" -j many "$T/good.c"
expect_usage "-j" -j 2x "$T/good.c"
check "unknown rule in --fail-on"
expect_usage "no-such-rule" --fail-on recursion,no-such-rule "$T/good.c"
check "no input files"
expect_usage "no input files"
expect_usage "no input files" -j 2
check "bad --estimate-for names the option and the value"
expect_usage "--estimate-for" --estimate-for icc "$T/good.c"
expect_usage "'GCC'" --estimate-for GCC "$T/good.c"
expect_usage "--estimate-for" "$T/good.c" --estimate-for
check "unknown --entry names the function"
expect_usage "nosuchfn" --entry nosuchfn "$T/good.c"

check "good budgets and options are accepted"
run --budget 64K --budget 'ma*=1MiB' --budget work=100000 -j 2 -I "$T" -DX=1 -UY -std=c11 --std=c11 "$T/good.c" -- -DZ=2
expect_rc 0
for m in any gcc clang; do
    run --estimate-for "$m" "$T/good.c"
    expect_rc 0
done
run --help
grep -qF -- "--estimate-for any|gcc|clang" "$T/out" || fail "--help does not list --estimate-for"

echo "PASS"
