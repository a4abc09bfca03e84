# Nothing lost: stackcheck -o out.json --cache DIR killed with SIGKILL at
# random moments, in a loop. out.json is always absent, the old content or
# one complete JSON report; the cache never holds a torn entry (the next run
# reads it and reports exactly what a cache-free run reports). A killed run
# may leave its own temporary file (.stackcheck-* beside -o, *.tmp.* in the
# cache); they never pile up beyond one per killed run.
source "$(dirname "$0")/common.bash"

ROUNDS=${SC_KILL_ROUNDS:-8}
S="$T/src"
mkdir -p "$S"
# Two generated files of 800 small functions each (a run of under a
# second), and a main that calls into both.
"$SC_PYTHON" - "$S" <<'PY' || fail "generating sources"
import sys
for i in (1, 2):
    with open("%s/f%d.c" % (sys.argv[1], i), "w") as f:
        f.write("int g%d_0(int x) { return x + 1; }\n" % i)
        for k in range(1, 800):
            f.write("int g%d_%d(int x) { char b[%d]; b[0] = (char)x; return g%d_%d(b[0]) + 1; }\n"
                    % (i, k, (k % 7) * 8 + 8, i, k - 1))
with open("%s/main.c" % sys.argv[1], "w") as f:
    f.write("int g1_799(int x);\nint g2_799(int x);\n"
            "int main(void) { return g1_799(1) + g2_799(2); }\n")
PY
OUT="$T/o/out.json"
C="$T/cache"
mkdir -p "$T/o"
OLD='{"old": "a report from an earlier run"}'
printf '%s\n' "$OLD" >"$OUT"

# check_state: out.json is absent, the old content or a complete report.
check_state() {
    [ -e "$OUT" ] || return 0
    [ "$(cat "$OUT")" = "$OLD" ] && return 0
    "$SC_PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["entries"]' "$OUT" \
        2>/dev/null || fail "torn or invalid $OUT after a kill: $(head -c 200 "$OUT")"
}
count_tmp() {
    local n1 n2
    n1=$(find "$T/o" -name '.stackcheck-*' | wc -l)
    n2=$(find "$C" -name '*.tmp.*' 2>/dev/null | wc -l)
    echo $((n1 + n2))
}

check "one uninterrupted run, to time it"
start=$(date +%s%N)
timeout 120 "$STACKCHECK" -j 2 --format json --cache "$C" -o "$OUT" "$S"/*.c >"$T/out" 2>"$T/err"
RC=$?
expect_rc 0
ms=$((($(date +%s%N) - start) / 1000000))
echo "  a full run takes ${ms} ms"
rm -rf "$C"
printf '%s\n' "$OLD" >"$OUT"

check "$ROUNDS runs killed with SIGKILL at random moments"
kills=0
for r in $(seq 1 "$ROUNDS"); do
    # New content every round, so the cache is written again.
    printf '/* round %d */\n' "$r" >>"$S/f$((r % 2 + 1)).c"
    "$STACKCHECK" -j 2 --format json --cache "$C" -o "$OUT" "$S"/*.c >/dev/null 2>&1 &
    pid=$!
    # Sleep a random point of the run: 0 .. 90% of a full run.
    delay=$(awk -v ms="$ms" -v r="$RANDOM" 'BEGIN { printf "%.3f", (r / 32767.0) * ms * 0.9 / 1000 }')
    sleep "$delay"
    if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
    wait "$pid" 2>/dev/null
    check_state
    n=$(count_tmp)
    [ "$n" -le $((kills * 3)) ] || fail "$n temporary files after $kills killed runs"
    echo "  round $r: killed after ${delay}s; temporary files so far: $n"
done
echo "  $kills of $ROUNDS runs were killed before they ended"

check "the next run works, and reads the cache to the same report as a run without it"
before=$(count_tmp)
run -j 2 --format json --cache "$C" -o "$OUT" "$S"/*.c
expect_rc 0
cp "$OUT" "$T/cached.json"
run -j 2 --format json -o "$T/fresh.json" "$S"/*.c
expect_rc 0
cmp -s "$T/cached.json" "$T/fresh.json" || fail "the cache after kills changed the report"
[ "$(count_tmp)" -le "$before" ] || fail "a complete run left a temporary file"
"$SC_PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["entries"][0]["bytes"] > 0' "$OUT" \
    || fail "final report invalid"

echo "PASS"
