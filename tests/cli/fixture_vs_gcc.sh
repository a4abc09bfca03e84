#!/bin/bash
# Compares stackcheck's AST frame estimate with gcc -O0 -fstack-usage on every
# fixture (x86-64) and fails if any estimate is below gcc's figure (issue 2
# item 6). Dynamic frames (VLA, alloca) are left out.
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
rows, failures, skipped = [], [], []
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
                gcc.setdefault(key, []).append((fline, int(size), "dynamic" in quals))
    if not ok:
        continue
    cmd = [stackcheck, "--format", "json"] + args + [os.path.relpath(i, fx.dir) for i in fx.inputs]
    p = subprocess.run(cmd, cwd=fx.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        failures.append("%s: stackcheck exited %d: %s" % (rel, p.returncode,
                        p.stderr.decode("utf-8", "replace").strip()))
        continue
    try:
        report = json.loads(p.stdout.decode("utf-8"))
    except ValueError as e:
        failures.append("%s: stackcheck's JSON does not parse: %s" % (rel, e))
        continue
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
        rows.append((rel, fn.get("name"), gbytes, est, est / gbytes if gbytes else float("inf")))
        if est < gbytes:
            failures.append("%s: %s: estimate %d B is below gcc -O0's %d B"
                            % (rel, fn.get("name"), est, gbytes))

w = max([len("fixture")] + [len(r[0]) for r in rows])
v = max([len("function")] + [len(r[1]) for r in rows])
print("| %-*s | %-*s | %6s | %8s | %5s |" % (w, "fixture", v, "function", "gcc", "estimate", "ratio"))
print("|%s|%s|%s|%s|%s|" % ("-" * (w + 2), "-" * (v + 2), "-" * 8, "-" * 10, "-" * 7))
for r in rows:
    print("| %-*s | %-*s | %6d | %8d | %5.2f |" % (w, r[0], v, r[1], r[2], r[3], r[4]))
ratios = [r[4] for r in rows if r[4] != float("inf")]
if ratios:
    print("\n%d functions; estimate / gcc -O0 ratio: min %.2f, median %.2f, max %.2f"
          % (len(rows), min(ratios), statistics.median(ratios), max(ratios)))
for s in skipped:
    print("skipped: " + s)
if not rows:
    failures.append("no function of any fixture could be compared")
for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
PY
