#!/bin/bash
# Compares stackcheck's AST frame estimate with gcc -O0 -fstack-usage on every
# fixture (x86-64), twice: with the default model (--estimate-for any) and
# with --estimate-for gcc. It fails if any estimate of either is below gcc's
# figure (issue 2 item 6, issue 6 item 5), or if the gcc model's median
# estimate / gcc ratio is above 1.3. Dynamic frames (VLA, alloca) are left
# out; "dynamic,bounded" figures (stack arguments pushed for a call) count.
# Env: STACKCHECK (the binary), SC_SOURCE_DIR (the source tree; default: this
# script's ../..). Usage by hand: STACKCHECK=build/dev/stackcheck bash tests/cli/fixture_vs_gcc.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
SC_SOURCE_DIR=${SC_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
STACKCHECK=${STACKCHECK:-$SC_SOURCE_DIR/build/dev/stackcheck}

if ! command -v gcc >/dev/null 2>&1; then
    echo "fixture_vs_gcc: gcc not found" >&2
    exit 1
fi
case "$(gcc -dumpmachine)" in
    x86_64-*) ;;
    *) echo "fixture_vs_gcc: gcc does not target x86-64 ($(gcc -dumpmachine)); nothing to compare"; exit 0 ;;
esac
if [ ! -x "$STACKCHECK" ]; then
    echo "fixture_vs_gcc: stackcheck binary '$STACKCHECK' is missing" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$STACKCHECK" "$SC_SOURCE_DIR" "$tmp" <<'PY'
import json, os, statistics, subprocess, sys
stackcheck, src, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(src, "tests", "harness"))
from run_fixture import Fixture, HarnessError, iter_fixtures, load_rule_ids

fixtures_dir = os.path.join(src, "fixtures")
rule_ids = load_rule_ids()
MODELS = ("any", "gcc")
MAX_MEDIAN = {"gcc": 1.3}
rows = {m: [] for m in MODELS}
failures, skipped = [], []
def compare(rel, fx, args, gcc, model):
    """Runs stackcheck with --estimate-for model on one fixture and adds a
    row per function gcc also reports (a failure when it is below gcc)."""
    cmd = [stackcheck, "--format", "json", "--estimate-for", model] + args \
        + [os.path.relpath(i, fx.dir) for i in fx.inputs]
    p = subprocess.run(cmd, cwd=fx.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        failures.append("%s: stackcheck exited %d: %s" % (rel, p.returncode,
                        p.stderr.decode("utf-8", "replace").strip()))
        return
    try:
        report = json.loads(p.stdout.decode("utf-8"))
    except ValueError as e:
        failures.append("%s: stackcheck's JSON does not parse: %s" % (rel, e))
        return
    for fn in report.get("functions", []):
        frame = fn.get("frame") or {}
        key = (os.path.realpath(os.path.join(fx.dir, fn.get("file", ""))), fn.get("name"))
        cands = gcc.get(key, [])
        # Same name and file: statics in headers appear once per includer;
        # pick the one on the same line.
        cands = [c for c in cands if c[0] == fn.get("line")] or cands
        if not cands:
            continue
        gline, gbytes, gdyn = cands[0]
        if gdyn or frame.get("dynamic"):
            continue
        est = frame.get("bytes")
        if not isinstance(est, int):
            failures.append("%s: %s has no frame bytes" % (rel, fn.get("name")))
            continue
        rows[model].append((rel, fn.get("name"), gbytes, est, est / gbytes if gbytes else float("inf")))
        if est < gbytes:
            failures.append("%s: %s: --estimate-for %s: estimate %d B is below gcc -O0's %d B"
                            % (rel, fn.get("name"), model, est, gbytes))

n = 0
for path, rel in iter_fixtures(fixtures_dir):
    try:
        fx = Fixture(path, rule_ids)
    except HarnessError as e:
        failures.append("%s: bad fixture: %s" % (rel, e))
        continue
    args = fx.args
    if "--target" in args and not args[args.index("--target") + 1].startswith("x86_64"):
        skipped.append("%s (target %s)" % (rel, args[args.index("--target") + 1]))
        continue
    # gcc's figures, one compile per input, in the fixture's folder so the
    # .su file names match the paths stackcheck reports.
    gcc = {}   # (realpath file, function) -> [(line, bytes, dynamic)]
    ok = True
    for inp in fx.inputs:
        n += 1
        obj = os.path.join(tmp, "%d.o" % n)
        su = os.path.join(tmp, "%d.su" % n)
        p = subprocess.run(["gcc", "-O0", "-fstack-usage", "-w", "-c",
                            os.path.relpath(inp, fx.dir), "-o", obj],
                           cwd=fx.dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if p.returncode != 0:
            skipped.append("%s (gcc cannot compile %s)" % (rel, os.path.relpath(inp, fx.dir)))
            ok = False
            break
        with open(su, encoding="utf-8") as f:
            for line in f:
                loc, size, quals = line.rstrip("\n").split("\t")
                parts = loc.split(":")
                func = parts[-1]
                file_ = ":".join(parts[:-3]) if len(parts) >= 4 else parts[0]
                fline = int(parts[-3]) if len(parts) >= 4 else int(parts[1])
                key = (os.path.realpath(os.path.join(fx.dir, file_)), func)
                gcc.setdefault(key, []).append((fline, int(size), quals == "dynamic"))
    if not ok:
        continue
    for model in MODELS:
        compare(rel, fx, args, gcc, model)

# One table: gcc's figure and each model's estimate, side by side.
table = {}
for model in MODELS:
    for r in rows[model]:
        table.setdefault((r[0], r[1], r[2]), {})[model] = r[3]
w = max([len("fixture")] + [len(k[0]) for k in table])
v = max([len("function")] + [len(k[1]) for k in table])
print("| %-*s | %-*s | %6s |%s" % (w, "fixture", v, "function", "gcc",
      "".join(" %8s | %5s |" % (m, "ratio") for m in MODELS)))
print("|%s|%s|%s|%s" % ("-" * (w + 2), "-" * (v + 2), "-" * 8, "----------|-------|" * len(MODELS)))
for (fx_, fn_, g), ests in table.items():
    print("| %-*s | %-*s | %6d |%s" % (w, fx_, v, fn_, g, "".join(
        " %8s | %5s |" % ((ests[m], "%.2f" % (ests[m] / g if g else float("inf"))) if m in ests else ("-", "-"))
        for m in MODELS)))
print()
for model in MODELS:
    ratios = [r[4] for r in rows[model] if r[4] != float("inf")]
    if not ratios:
        failures.append("--estimate-for %s: no function of any fixture could be compared" % model)
        continue
    med = statistics.median(ratios)
    print("--estimate-for %s: %d functions; estimate / gcc -O0 ratio: min %.2f, median %.2f, max %.2f; "
          "%d below gcc" % (model, len(rows[model]), min(ratios), med, max(ratios),
                            len([r for r in rows[model] if r[3] < r[2]])))
    if model in MAX_MEDIAN and med > MAX_MEDIAN[model]:
        failures.append("--estimate-for %s: median ratio %.2f is above %.2f" % (model, med, MAX_MEDIAN[model]))
for s in skipped:
    print("skipped: " + s)
for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
PY
