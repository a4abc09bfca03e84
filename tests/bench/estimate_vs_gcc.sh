#!/usr/bin/env bash
# Compares stackcheck's AST frame estimate with gcc -O0 -fstack-usage on real
# projects (issue 6 item 5; not part of the test suite).
#
# For each project PKG it compiles every file of
# $SCBENCH/db/PKG/compile_commands.json with gcc -O0 -fstack-usage (the
# entry's own -I/-D/... flags, in the entry's folder, objects and .su files
# in a temporary folder: nothing is written under $SCBENCH), runs
#   stackcheck -p $SCBENCH/db/PKG --frames estimate --estimate-for MODEL --format json
# and matches the functions by file, line and name. It prints, per project
# and model: functions compared, % with estimate >= gcc, min / median / max
# of estimate / gcc, and every function whose estimate is below gcc's figure
# with both figures. Frames gcc calls "dynamic" (VLA, alloca) and dynamic
# estimates are left out; "dynamic,bounded" figures (stack arguments pushed
# before a call) are compared as they are.
#
# Usage: tests/bench/estimate_vs_gcc.sh [--models "gcc any"] [-j N] STACKCHECK PKG...
#   e.g. tests/bench/estimate_vs_gcc.sh build/release/stackcheck zlib cjson lua5.4 sqlite3 mbedtls
# Env: SCBENCH (default /tmp/scbench: work/PKG sources, db/PKG databases),
#      GCC (default gcc).
# Exit status: 0 when every project met the targets (>= 98% at or above gcc,
# median <= 1.3) for the first model, 1 when one did not, 2 on a usage or
# setup error.
set -euo pipefail

models="gcc any"
jobs=2
while [ $# -gt 0 ]; do
    case "$1" in
        --models) models=$2; shift 2 ;;
        -j) jobs=$2; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        -*) echo "estimate_vs_gcc: unknown option '$1'" >&2; exit 2 ;;
        *) break ;;
    esac
done
if [ $# -lt 2 ]; then
    echo "usage: estimate_vs_gcc.sh [--models \"gcc any\"] [-j N] STACKCHECK PKG..." >&2
    exit 2
fi
sc=$1
shift
[ -x "$sc" ] || { echo "estimate_vs_gcc: no stackcheck binary at '$sc'" >&2; exit 2; }
GCC=${GCC:-gcc}
command -v "$GCC" >/dev/null 2>&1 || { echo "estimate_vs_gcc: '$GCC' not found" >&2; exit 2; }
case "$("$GCC" -dumpmachine)" in
    x86_64-*) ;;
    *) echo "estimate_vs_gcc: $GCC does not target x86-64 ($("$GCC" -dumpmachine))" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$sc" "${SCBENCH:-/tmp/scbench}" "$tmp" "$GCC" "$jobs" "$models" "$@" <<'PY'
import json, os, shlex, statistics, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

sc, bench, tmp, gcc, jobs, models = sys.argv[1:7]
pkgs = sys.argv[7:]
jobs = max(1, int(jobs))
models = models.split()
TARGET_PCT, TARGET_MEDIAN = 98.0, 1.3

def gcc_argv(entry, obj):
    """The database entry's command as a gcc -O0 -fstack-usage compile into obj."""
    args = entry.get("arguments") or shlex.split(entry.get("command", ""))
    src = entry["file"]
    out = [gcc, "-O0", "-fstack-usage", "-w"]
    i = 1
    while i < len(args):
        a = args[i]
        if a in ("-o", "-MF", "-MT", "-MQ"):
            i += 2
            continue
        if a == "-c" or a == src or a.startswith("-O") or a in ("-MD", "-MMD", "-MP", "-M", "-MM") \
                or a.startswith("-fstack-usage") or a.startswith("-g"):
            i += 1
            continue
        out.append(a)
        i += 1
    return out + ["-c", src, "-o", obj]

def compile_one(job):
    """Compiles one entry; returns (records, error)."""
    k, entry, d = job
    obj = os.path.join(d, "%d.o" % k)
    su = os.path.join(d, "%d.su" % k)
    p = subprocess.run(gcc_argv(entry, obj), cwd=entry["directory"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0 or not os.path.exists(su):
        msg = p.stdout.decode("utf-8", "replace").strip().splitlines()
        return [], "%s: gcc failed: %s" % (entry["file"], msg[0] if msg else "no .su written")
    recs = []
    with open(su, encoding="utf-8", errors="replace") as f:
        for line in f:
            loc, size, quals = line.rstrip("\n").split("\t")
            file_, lno, _col, func = loc.rsplit(":", 3)
            path = os.path.realpath(os.path.join(entry["directory"], file_))
            recs.append(((path, int(lno), func), int(size), quals))
    return recs, None

def run_stackcheck(pkg, model):
    cmd = [sc, "-p", os.path.join(bench, "db", pkg), "--frames", "estimate", "--estimate-for", model,
           "--format", "json", "--keep-going", "-q", "-j", str(jobs)]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError("%s: stackcheck exited %d: %s" % (pkg, p.returncode, err[-1] if err else ""))
    est = {}
    for fn in json.loads(p.stdout.decode("utf-8"))["functions"]:
        fr = fn.get("frame") or {}
        if fn.get("external") or not isinstance(fr.get("bytes"), int) or fr.get("source") != "estimate":
            continue
        key = (os.path.realpath(fn["file"]), fn["line"], fn["name"])
        old = est.get(key)
        # A static inline in a header appears once per includer: keep the largest.
        if old is None or fr["bytes"] > old[0]:
            est[key] = (fr["bytes"], bool(fr.get("dynamic")))
    return est

def pct(n, d):
    return 100.0 * n / d if d else 0.0

status = 0
tables = {m: [] for m in models}
below_lists = {m: [] for m in models}
notes = []
for pkg in pkgs:
    dbf = os.path.join(bench, "db", pkg, "compile_commands.json")
    if not os.path.exists(dbf):
        notes.append("%s: no compile database at %s (skipped)" % (pkg, dbf))
        continue
    with open(dbf, encoding="utf-8") as f:
        entries = json.load(f)
    d = os.path.join(tmp, pkg)
    os.makedirs(d)
    gccfig = {}
    with ThreadPoolExecutor(jobs) as pool:
        for recs, err in pool.map(compile_one, [(k, e, d) for k, e in enumerate(entries)]):
            if err:
                notes.append("%s: %s" % (pkg, err))
            for key, size, quals in recs:
                old = gccfig.get(key)
                if old is None or size > old[0]:
                    gccfig[key] = (size, quals)
    for model in models:
        try:
            est = run_stackcheck(pkg, model)
        except (RuntimeError, ValueError) as e:
            notes.append(str(e))
            status = 1
            continue
        ratios, below, skipped_dyn = [], [], 0
        for key, (gbytes, quals) in sorted(gccfig.items()):
            if key not in est:
                continue
            ebytes, edyn = est[key]
            if quals == "dynamic" or edyn:
                skipped_dyn += 1
                continue
            ratios.append(ebytes / gbytes if gbytes else float("inf"))
            if ebytes < gbytes:
                below.append((key, gbytes, ebytes))
        unmatched = len([k for k in gccfig if k not in est])
        n = len(ratios)
        ok = n - len(below)
        row = (pkg, n, pct(ok, n), min(ratios) if ratios else 0, statistics.median(ratios) if ratios else 0,
               max(ratios) if ratios else 0, skipped_dyn, unmatched)
        tables[model].append(row)
        below_lists[model].append((pkg, below))
        if model == models[0] and (not n or row[2] < TARGET_PCT or row[4] > TARGET_MEDIAN):
            status = 1

for model in models:
    print("--estimate-for %s (estimate / gcc -O0 -fstack-usage, x86-64)" % model)
    print("| project | compared | >= gcc | min | median | max | dynamic (left out) | gcc only |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for pkg, n, p, mn, med, mx, dyn, un in tables[model]:
        print("| %s | %d | %.1f%% | %.2f | %.2f | %.2f | %d | %d |" % (pkg, n, p, mn, med, mx, dyn, un))
    for pkg, below in below_lists[model]:
        for (path, line, name), g, e in below:
            print("  below gcc: %s %s:%d %s: estimate %d B, gcc %d B" % (pkg, path, line, name, e, g))
    print()
for n in notes:
    print("note: " + n)
sys.exit(status)
PY
