#!/bin/bash
# Compares recursion-termination findings of gcc -Winfinite-recursion,
# clang-19 -Winfinite-recursion and stackcheck on every fixture, prints a
# markdown table, and fails unless stackcheck finds everything the compilers
# find on flagged (-ko) fixtures and nothing on correct (-ok) twins (issue 3
# item 6).
# Usage: bash tests/compare_compilers.sh [STACKCHECK]   (default: $STACKCHECK,
# then build/release/stackcheck, then build/dev/stackcheck)
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=${SC_SOURCE_DIR:-$(cd "$here/.." && pwd)}
sc=${1:-${STACKCHECK:-}}
if [ -z "$sc" ]; then
    for cand in "$src/build/release/stackcheck" "$src/build/dev/stackcheck"; do
        if [ -x "$cand" ]; then sc=$cand; break; fi
    done
fi
if [ -z "$sc" ] || [ ! -x "$sc" ]; then
    echo "compare_compilers: no stackcheck binary (pass it as the first argument)" >&2
    exit 2
fi
for tool in gcc clang-19 python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "compare_compilers: $tool not found" >&2
        exit 2
    fi
done

python3 - "$sc" "$src" <<'PY'
import json, os, re, subprocess, sys
sc, src = sys.argv[1], sys.argv[2]
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(src, "tests", "harness"))
from run_fixture import Fixture, HarnessError, iter_fixtures, load_rule_ids

TERMINATION = ("missing-base-case", "non-convergent-recursion")
WARN_RE = re.compile(r"^(.*?):(\d+):(\d+): warning: .*\[-Winfinite-recursion\]")
HEAD_RE = re.compile(r"^[A-Za-z_].*?\b([A-Za-z_]\w*)\s*\(")


def function_heads(path):
    """(line, name) of each function definition head: a line at column 0
    that names something followed by '(' and is not a declaration. Enough
    for the fixtures' one-definition-per-head style."""
    heads = []
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            if line.startswith(("#", "{", "}", " ", "\t", "/", "*", "typedef", "struct")):
                continue
            code = re.sub(r"/\*.*?\*/", "", line).strip()
            m = HEAD_RE.match(code)
            if m and not code.endswith(";"):
                heads.append((no, m.group(1)))
    return heads


def enclosing(path, line, cache):
    if path not in cache:
        cache[path] = function_heads(path)
    name = None
    for no, fn in cache[path]:
        if no <= line:
            name = fn
    return name or "line %d" % line


def compiler(cmd, fx, cache):
    """Function names (with file) that one compiler flags."""
    found = set()
    for inp in fx.inputs:
        p = subprocess.run(cmd + [os.path.relpath(inp, fx.dir)], cwd=fx.dir,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for line in p.stdout.decode("utf-8", "replace").splitlines():
            m = WARN_RE.match(line)
            if m:
                full = os.path.realpath(os.path.join(fx.dir, m.group(1)))
                found.add((full, enclosing(full, int(m.group(2)), cache)))
    return found


fixtures_dir = os.path.join(src, "fixtures")
rule_ids = load_rule_ids()
rows, problems, cache = [], [], {}
for path, rel in iter_fixtures(fixtures_dir):
    try:
        fx = Fixture(path, rule_ids)
    except HarnessError as e:
        problems.append("%s: bad fixture: %s" % (rel, e))
        continue
    g = compiler(["gcc", "-Winfinite-recursion", "-c", "-o", os.devnull], fx, cache)
    c = compiler(["clang-19", "-Winfinite-recursion", "-fsyntax-only"], fx, cache)
    p = subprocess.run([sc, "--format", "json"] + fx.args
                       + [os.path.relpath(i, fx.dir) for i in fx.inputs],
                       cwd=fx.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    s = set()
    try:
        report = json.loads(p.stdout.decode("utf-8"))
        for f in report.get("findings", []):
            if f.get("rule") in TERMINATION and not f.get("suppressed"):
                full = os.path.realpath(os.path.join(fx.dir, f.get("file", "")))
                s.add((full, f.get("function") or "line %s" % f.get("line")))
    except ValueError:
        problems.append("%s: stackcheck gave no JSON report (exit %d): %s"
                        % (rel, p.returncode, p.stderr.decode("utf-8", "replace").strip()))
        s = None

    def cell(found):
        if found is None:
            return "(run failed)"
        return ", ".join(sorted(fn for _, fn in found)) or "-"

    rows.append((rel, cell(g), cell(c), cell(s)))
    if s is None:
        continue
    if rel.endswith("-ok.c"):
        if s:
            problems.append("%s: stackcheck flags a correct twin: %s" % (rel, cell(s)))
    else:
        missed = (g | c) - s
        if missed:
            problems.append("%s: stackcheck misses what a compiler finds: %s"
                            % (rel, cell(missed)))

headers = ("fixture", "gcc -Winfinite-recursion", "clang-19 -Winfinite-recursion",
           "stackcheck (missing-base-case, non-convergent-recursion)")
widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in rows:
    print("| " + " | ".join(v.ljust(w) for v, w in zip(r, widths)) + " |")
print()
print("Cells name the functions each tool reports as recursion that cannot end; "
      "'-' is none. A compiler finding on an -ok fixture is a compiler false positive.")
for p in problems:
    print("FAIL: " + p)
sys.exit(1 if problems else 0)
PY
