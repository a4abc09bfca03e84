# Self-analysis: stackcheck on its own sources (analyzer/**/*.c, reports/*.c)
# with the build's compile_commands.json. No recursion in our code, and a
# stack budget for main that the run enforces.
source "$(dirname "$0")/common.bash"

# main's measured bound was 42,192 bytes (estimated frames, `incomplete`:
# libc and libclang have no known cost) when this test was written; the
# budget leaves ~55% headroom for growth. Raise it deliberately, in review.
BUDGET=65536

DB="${SC_BUILD_DIR:-}"
[ -f "$DB/compile_commands.json" ] || fail "no compile_commands.json in SC_BUILD_DIR='$DB'"
cd "$SC_SOURCE_DIR" || fail "cd"
files=()
while IFS= read -r f; do files+=("$f"); done < <(find analyzer reports -name '*.c' | sort)
[ "${#files[@]}" -ge 30 ] || fail "found only ${#files[@]} source files"

check "stackcheck -p BUILD --budget main=$BUDGET on its ${#files[@]} own sources"
timeout 120 "$STACKCHECK" -p "$DB" --format json --budget "main=$BUDGET" "${files[@]}" \
    >"$T/out" 2>"$T/err" </dev/null
RC=$?
[ "$RC" -ne 124 ] || fail "timed out"
expect_rc 0
"$SC_PYTHON" - "$T/out" "$BUDGET" "${#files[@]}" <<'PY' || fail "self-analysis found a problem"
import json, sys
doc = json.load(open(sys.argv[1]))
budget, nfiles = int(sys.argv[2]), int(sys.argv[3])
assert not doc["incomplete_inputs"], "some sources did not parse"
assert len(doc["inputs"]) == nfiles, (len(doc["inputs"]), nfiles)
bad = [f for f in doc["findings"]
       if f["rule"] in ("recursion", "missing-base-case", "non-convergent-recursion",
                        "budget-exceeded", "unbounded-stack", "dynamic-frame", "parse-error")]
for f in bad:
    print("  %s:%s: %s [%s]" % (f["file"], f["line"], f["message"], f["rule"]))
assert not bad, "%d forbidden finding(s) in our own code" % len(bad)
rec = [f["name"] for f in doc["functions"] if f["recursive"]]
assert not rec, "recursive functions: %s" % rec
main = [e for e in doc["entries"] if e["function"] == "main"]
assert len(main) == 1, "no main entry"
print("  main: %d bytes (%s), budget %d" % (main[0]["bytes"], main[0]["status"], budget))
assert 0 < main[0]["bytes"] <= budget
# Under the budget, but proven only when the bound is an upper bound.
want = "fits" if main[0]["status"] in ("exact", "estimated") else "unverified"
assert main[0]["budget_state"] == want, (main[0]["status"], main[0].get("budget_state"))
PY

check "the budget is enforced: main=1024 fails the run (exit 1, budget-exceeded)"
timeout 120 "$STACKCHECK" -p "$DB" -q --budget main=1024 "${files[@]}" >"$T/out" 2>"$T/err" </dev/null
RC=$?
expect_rc 1
out_has "[budget-exceeded]"

echo "PASS"
