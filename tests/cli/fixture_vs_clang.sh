#!/bin/bash
# Targets (issue 5 item 2): each of the six supported triples parses and
# gives target-dependent frames; then, on every fixture, stackcheck's frame
# estimate is compared with clang-19 --target=T -O0 -fstack-usage for 32-bit
# ARM and x86-64, and the run fails if any estimate is below clang's figure.
# Fixtures that clang cannot compile for a target (libc headers on a bare
# arm-none-eabi) are skipped with the reason printed. Dynamic frames are left
# out. Env: STACKCHECK, SC_SOURCE_DIR. Under CTest only the frame-heavy
# fixture folders are compared, to stay fast; `--all` (or SC_ALL_FIXTURES=1)
# compares every fixture.
set -u
here=$(cd "$(dirname "$0")" && pwd)
SC_SOURCE_DIR=${SC_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
STACKCHECK=${STACKCHECK:-$SC_SOURCE_DIR/build/dev/stackcheck}
CLANG=${SC_CLANG:-clang-19}

if ! command -v "$CLANG" >/dev/null 2>&1; then
    echo "fixture_vs_clang: $CLANG not found" >&2
    exit 1
fi
if [ ! -x "$STACKCHECK" ]; then
    echo "fixture_vs_clang: stackcheck binary '$STACKCHECK' is missing" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

all=${SC_ALL_FIXTURES:-0}
[ "${1:-}" = "--all" ] && all=1

python3 - "$STACKCHECK" "$SC_SOURCE_DIR" "$tmp" "$CLANG" "$all" <<'PY'
import json, os, statistics, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
stackcheck, src, tmp, clang, all_fixtures = sys.argv[1:6]
QUICK_DIRS = ("stack", "budget", "seed", "multifile", "deadcode")
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(src, "tests", "harness"))
from run_fixture import Fixture, HarnessError, iter_fixtures, load_rule_ids

failures, skipped = [], []

def frames(cmd, cwd):
    """Runs stackcheck; returns {name: frame dict} or None (failure noted)."""
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        failures.append("%s: exit %d: %s" % (" ".join(cmd[1:]), p.returncode,
                        p.stderr.decode("utf-8", "replace").strip()))
        return None
    try:
        rep = json.loads(p.stdout.decode("utf-8"))
    except ValueError as e:
        failures.append("%s: JSON does not parse: %s" % (" ".join(cmd[1:]), e))
        return None
    return rep.get("functions", [])

# 1. Every supported triple parses, and frames follow the target: eight
#    pointers take 32 bytes on 32-bit targets and 64 on 64-bit ones.
probe = os.path.join(tmp, "probe.c")
with open(probe, "w") as f:
    f.write("int use(void **p);\n"
            "int ptrs(void) { void *p[8]; return use(p); }\n"
            "int main(void) { return ptrs(); }\n")
triples = {"x86_64-linux-gnu": 8, "i686-linux-gnu": 4, "aarch64-linux-gnu": 8,
           "arm-none-eabi": 4, "thumbv7em-none-eabi": 4, "riscv32-unknown-elf": 4,
           "riscv64-linux-gnu": 8}
sizes = {}
for t, ptr in triples.items():
    fns = frames([stackcheck, "--format", "json", "--target", t, probe], tmp)
    if fns is None:
        continue
    fr = [fn.get("frame") or {} for fn in fns if fn.get("name") == "ptrs"]
    b = fr[0].get("bytes") if fr else None
    if not isinstance(b, int) or b < 8 * ptr:
        failures.append("--target %s: frame of ptrs is %r, below 8 pointers of %d B" % (t, b, ptr))
        continue
    sizes[t] = b
    print("target %-20s ptrs() frame %4d B" % (t, b))
if len(set(sizes.values())) < 2:
    failures.append("frames do not depend on the target: %r" % sizes)
for t32 in ("i686-linux-gnu", "arm-none-eabi", "riscv32-unknown-elf"):
    if t32 in sizes and "x86_64-linux-gnu" in sizes and sizes[t32] >= sizes["x86_64-linux-gnu"]:
        failures.append("%s frame (%d) is not smaller than x86-64's (%d)"
                        % (t32, sizes[t32], sizes["x86_64-linux-gnu"]))

# 2. Fixtures: estimate >= clang -O0 -fstack-usage, per target. To stay
#    fast, clang compiles many inputs per process (batches of distinct
#    basenames, since objects and .su files are named after them) and the
#    stackcheck runs go in parallel.
fixtures_dir = os.path.join(src, "fixtures")
rule_ids = load_rule_ids()
fixtures = []
for path, rel in iter_fixtures(fixtures_dir):
    if all_fixtures != "1" and rel.split(os.sep)[0] not in QUICK_DIRS:
        continue
    try:
        fx = Fixture(path, rule_ids)
    except HarnessError as e:
        failures.append("%s: bad fixture: %s" % (rel, e))
        continue
    args = list(fx.args)
    if "--target" in args:
        k = args.index("--target")
        del args[k:k + 2]
    if any(a.startswith("--frames") for a in args):
        skipped.append("%s (pins --frames)" % rel)
        continue
    fixtures.append((rel, fx, args))

inputs = sorted({os.path.realpath(i) for _, fx, _ in fixtures for i in fx.inputs})
batches = []
for inp in inputs:
    base = os.path.basename(inp)
    for b in batches:
        if base not in b:
            b[base] = inp
            break
    else:
        batches.append({base: inp})

def compile_batch(job):
    target, k, batch = job
    d = os.path.join(tmp, "%s-%d" % (target, k))
    os.makedirs(d)
    p = subprocess.run([clang, "--target=" + target, "-O0", "-fstack-usage", "-w", "-c"]
                       + sorted(batch.values()), cwd=d, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    msgs = p.stdout.decode("utf-8", "replace").splitlines()
    out = {}
    for base, inp in batch.items():
        su = os.path.join(d, base[:-2] + ".su")
        if not os.path.exists(su):
            why = [m for m in msgs if m.startswith(inp + ":") and "error" in m]
            out[inp] = why[0][len(inp) + 1:] if why else "no .su written"
            continue
        recs = []
        with open(su, encoding="utf-8") as f:
            for line in f:
                loc, size, quals = line.rstrip("\n").split("\t")
                parts = loc.split(":")
                # clang-19: file:line:func (gcc adds a column)
                func = parts[-1]
                lno = int(parts[-3]) if len(parts) >= 4 and parts[-3].isdigit() else int(parts[-2])
                recs.append((func, lno, int(size), "dynamic" in quals))
        out[inp] = recs
    return target, out

def run_sc(job):
    target, rel, fx, args = job
    return target, rel, fx, frames([stackcheck, "--format", "json", "--target", target] + args
                                   + [os.path.relpath(i, fx.dir) for i in fx.inputs], fx.dir)

targets = ("arm-none-eabi", "x86_64-linux-gnu")
ref = {t: {} for t in targets}   # target -> input -> records, or the reason it failed
workers = max(2, os.cpu_count() or 2)
with ThreadPoolExecutor(workers) as pool:
    for target, out in pool.map(compile_batch, [(t, k, b) for t in targets for k, b in enumerate(batches)]):
        ref[target].update(out)
    jobs = []
    for target in targets:
        for rel, fx, args in fixtures:
            bad = [i for i in fx.inputs if isinstance(ref[target][os.path.realpath(i)], str)]
            if bad:
                skipped.append("%s on %s (clang cannot compile %s:%s)"
                               % (rel, target, os.path.relpath(bad[0], fx.dir),
                                  ref[target][os.path.realpath(bad[0])]))
                continue
            jobs.append((target, rel, fx, args))
    results = list(pool.map(run_sc, jobs))

rows = {t: [] for t in targets}
for target, rel, fx, fns in results:
    if fns is None:
        continue
    recs = [r for i in fx.inputs for r in ref[target][os.path.realpath(i)]]
    for fn in fns:
        frame = fn.get("frame") or {}
        cands = [r for r in recs if r[0] == fn.get("name")]
        cands = [r for r in cands if r[1] == fn.get("line")] or cands
        if not cands:
            continue
        _, _, cbytes, cdyn = cands[0]
        if cdyn or frame.get("dynamic"):
            continue
        est = frame.get("bytes")
        if not isinstance(est, int):
            failures.append("%s on %s: %s has no frame bytes" % (rel, target, fn.get("name")))
            continue
        rows[target].append((rel, fn.get("name"), cbytes, est))
        if est < cbytes:
            failures.append("%s on %s: %s: estimate %d B is below clang -O0's %d B"
                            % (rel, target, fn.get("name"), est, cbytes))
for target in targets:
    ratios = [r[3] / r[2] for r in rows[target] if r[2]]
    if ratios:
        print("%s: %d functions compared; estimate / clang -O0: min %.2f, median %.2f, max %.2f"
              % (target, len(rows[target]), min(ratios), statistics.median(ratios), max(ratios)))
    else:
        failures.append("%s: no function of any fixture could be compared" % target)
for s in skipped:
    print("skipped: " + s)
for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
PY
