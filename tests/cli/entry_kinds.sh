# Entry kinds and the combined stack check (issue 6 item 3), through the real
# binary on fixtures/entries: thread start routines (pthread_create,
# thrd_create) and interrupt handlers (attribute, config pattern) are entries
# of their own kind in the JSON and text reports, and the text report shows
# the combination "task + K x interrupt + exception frame" against stack_size.
source "$(dirname "$0")/common.bash"

PY=${SC_PYTHON:-python3}
FX="$SC_SOURCE_DIR/fixtures/entries"
cd "$FX" || fail "cannot enter $FX"

check "JSON entry kinds"
run --target x86_64-linux-gnu --config threads-irq-ko.json --format json threads-irq-ko.c
expect_rc 1
"$PY" - "$T/out" >"$T/want" <<'PY' || fail "wrong entry kinds"
import json, sys
d = json.load(open(sys.argv[1]))
kinds = {e["function"]: e.get("kind") for e in d["entries"]}
want = {"main": "main", "worker": "thread", "tworker": "thread",
        "isr_timer": "interrupt", "uart_irq": "interrupt"}
if kinds != want:
    sys.stderr.write("got %s want %s\n" % (kinds, want))
    sys.exit(1)
b = {e["function"]: e["bytes"] for e in d["entries"]}
w, i = b["worker"], b["isr_timer"]
# the combination line the text report must print (figures from the JSON)
# main's bound is incomplete (pthread_create has no known cost) and may be
# the real worst task: the total is then a lower bound, and says so.
lower = any(e["status"] in ("incomplete", "unbounded") for e in d["entries"])
total = w + 2 * i + 64
verdict = "exceeded" if total > 4096 else "fits"
print("stack: worker %d + 2 x isr_timer %d + exception frame 64 = %s%d B of 4096 B (%s"
      % (w, i, "at least " if lower else "", total, verdict))
PY

check "text report: kinds and the combination"
run --target x86_64-linux-gnu --config threads-irq-ko.json threads-irq-ko.c
expect_rc 1
out_has "worker (thread)"
out_has "uart_irq (interrupt)"
out_has "$(cat "$T/want")"
out_has "(exceeded)"

check "a total that fits but is made of lower bounds says so: unverified, a warning (exit 0), strict with --fail-on"
sed 's/"stack_size": *[0-9]*/"stack_size": 1000000/' threads-irq-ko.json >"$T/big.json"
grep -q '"stack_size": 1000000' "$T/big.json" || fail "cannot make a config with a big stack_size"
run --target x86_64-linux-gnu --config "$T/big.json" threads-irq-ko.c
expect_rc 0
out_has "B of 1000000 B (unverified: fits as far as known, the total is a lower bound (incomplete))"
out_has "= at least "
out_has "warning: the stack fits its size of 1000000 only as far as known"
out_has "'pthread_create' has no known stack cost (settle: \"externals\": {\"pthread_create\": BYTES}"
out_has "[budget-unverified]"
run --target x86_64-linux-gnu --config "$T/big.json" --fail-on budget-unverified threads-irq-ko.c
expect_rc 1
out_has "the run (budget-unverified); exit 1"

check "with every external's cost configured the total is proven: (fits), no finding"
"$PY" - threads-irq-ko.json "$T/proven.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["stack_size"] = 1000000
c["externals"] = {"pthread_create": 256, "thrd_create": 256}
json.dump(c, open(sys.argv[2], "w"))
PY
run --target x86_64-linux-gnu --config "$T/proven.json" --fail-on budget-unverified threads-irq-ko.c
expect_rc 0
out_has "B of 1000000 B (fits)"
grep -q "budget-unverified" "$T/out" && fail "a proven total reported budget-unverified"

check "no stack_size: no combination line"
run --target x86_64-linux-gnu threads-irq-ko.c
grep -q "^stack:" "$T/out" && fail "a combination line without stack_size"
out_has "isr_timer"
grep -qF "isr_timer (interrupt)" "$T/out" && fail "isr_timer is an interrupt without the config pattern"
echo "PASS"
