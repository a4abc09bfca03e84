#!/usr/bin/env bash
# Termination findings on real code (not part of the test suite; issue 14).
#
# Runs stackcheck on the five benchmark projects of run.sh and on more real
# C projects, all Debian source packages fetched and prepared by
# projects.sh (its own apt configuration under the cache folder: the
# system's is not touched): mujs, jimtcl and tinyscheme (interpreters),
# expat, libyaml, cmark and jansson (parsers), bzip2, lz4, libzstd and
# xz-utils (compression), and lwIP, the TCP/IP stack, built bare-metal for
# a Cortex-M4 (arm-none-eabi, newlib's headers).
# Per project it prints one row: functions (defined ones), recursive ones
# (and how many are on a cycle of certain calls / only through possible
# calls, when the report has `recursion_certain`), termination findings
# (missing-base-case and non-convergent-recursion, not suppressed),
# recursion findings and the wall time of the run. Then every termination
# finding with its verdict from realcode-verdicts.txt (UNREVIEWED when it
# has none). A benchmark, not a gate: it exits 0 once every project was
# analyzed (2 when a project could not be prepared or did not parse).
#
# Usage: tests/bench/realcode.sh [--stackcheck BIN] [--projects "zlib lwip ..."]
#                                [--json-out DIR] [--cache DIR]
#   --stackcheck BIN  the binary to run (default: build/release/stackcheck)
#   --json-out DIR    keep each project's JSON report as DIR/PROJECT.json
#                     (default: a folder under the cache, emptied first)
#   SC_BENCH_CACHE    the cache folder (default ~/.cache/stackcheck-bench)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=projects.sh
. "$here/projects.sh"
bench_defaults
bench_tool=realcode.sh
projects="$projects mujs jimtcl tinyscheme expat libyaml cmark jansson bzip2 lz4 libzstd xz-utils lwip"
sc="$build/stackcheck"
jsonout=""
verdicts="$here/realcode-verdicts.txt"
while [ $# -gt 0 ]; do
  case "$1" in
    --stackcheck) sc=$2; shift 2 ;;
    --projects) projects=$2; shift 2 ;;
    --json-out) jsonout=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "realcode.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -x "$sc" ] || { echo "realcode.sh: no stackcheck at $sc (cmake --preset release && cmake --build --preset release, or --stackcheck BIN)" >&2; exit 2; }

# Options of the run beyond -q -p DB --format json: the target of a cross
# build. No project needs --keep-going (every file parses).
sc_args() {
  case "$1" in
    lwip) echo "--target arm-none-eabi" ;;
  esac
}

bench_need_packages dpkg-dev xz-utils bzip2 tcl cmake || exit 2
bench_apt_setup
if [ -z "$jsonout" ]; then
  jsonout="$cache/realcode"
  rm -rf "$jsonout"
fi
mkdir -p "$jsonout"

start=$EPOCHREALTIME
failed=0
rows=""
list=""
printf '\n## stackcheck on real code (%s)\n\n' "$("$sc" --version | head -n 1)"
for pkg in $projects; do
  db="$cache/db/$pkg"
  if ! prepare "$pkg" "$db" >/dev/null; then
    echo "realcode.sh: $pkg: could not be prepared" >&2
    rows+="| $pkg | not prepared | | | | | |"$'\n'
    failed=1
    continue
  fi
  out="$jsonout/$pkg.json"
  err="$jsonout/$pkg.stderr"
  t0=$EPOCHREALTIME
  rc=0
  # shellcheck disable=SC2046
  "$sc" -q -p "$db" $(sc_args "$pkg") --format json -o "$out" 2>"$err" || rc=$?
  t1=$EPOCHREALTIME
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  # Exit 1 is a finding of a --fail-on rule (counted below); 2 is a failed
  # run: an input that did not parse, a bad database.
  if [ "$rc" -ge 2 ] || [ ! -s "$out" ]; then
    echo "realcode.sh: $pkg: stackcheck exited $rc:" >&2
    sed 's/^/  /' "$err" >&2
    rows+="| $pkg | failed (exit $rc) | | | | | $secs |"$'\n'
    failed=1
    continue
  fi
  if [ -s "$err" ]; then
    echo "realcode.sh: $pkg: stackcheck said on stderr:" >&2
    sed 's/^/  /' "$err" >&2
  fi
  res=$(python3 - "$out" "$pkg" "$secs" "$verdicts" <<'EOF'
import json, sys
path, pkg, secs, vpath = sys.argv[1:5]
r = json.load(open(path))
verdicts = {}
try:
    for line in open(vpath):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(None, 3)
        if len(parts) == 4:
            verdicts[tuple(parts[:3])] = parts[3]
except FileNotFoundError:
    pass
fns = [f for f in r["functions"] if not f.get("external")]
rec = [f for f in fns if f.get("recursive")]
if any("recursion_certain" in f for f in rec):
    certain = str(sum(1 for f in rec if f.get("recursion_certain")))
    possible = str(sum(1 for f in rec if f.get("recursion_certain") is False))
else:
    certain = possible = "-"
live = [x for x in r["findings"] if not x.get("suppressed")]
term = [x for x in live if x["rule"] in ("missing-base-case", "non-convergent-recursion")]
nrec = sum(1 for x in live if x["rule"] == "recursion")
print("ROW| %s | %d | %d | %s / %s | %d | %d | %s |" % (pkg, len(fns), len(rec), certain, possible,
                                                    len(term), nrec, secs))
for x in term:
    v = verdicts.get((pkg, x["rule"], x["function"]), "UNREVIEWED")
    print("FINDING| %s | %s | %s | %s:%s | %s |" % (pkg, x["rule"], x["function"],
                                                  x["file"].rsplit("/", 1)[-1], x["line"], v))
EOF
)
  rows+=$(printf '%s\n' "$res" | sed -n 's/^ROW//p')$'\n'
  f=$(printf '%s\n' "$res" | sed -n 's/^FINDING//p')
  [ -n "$f" ] && list+="$f"$'\n'
done

printf '| project | functions | recursive | certain / possible | termination findings | recursion findings | wall s |\n'
printf '|---|---|---|---|---|---|---|\n'
printf '%s' "$rows"
total=$(printf '%s' "$list" | grep -c '^|' || true)
printf '\n### termination findings\n\n'
if [ "$total" -gt 0 ]; then
  printf '| project | rule | function | at | verdict |\n|---|---|---|---|---|\n'
  printf '%s' "$list"
  reviewed=$(printf '%s' "$list" | grep -v -c '| UNREVIEWED |$' || true)
  printf '\n%s of %s reviewed (%s)\n' "$reviewed" "$total" "${verdicts#"$root"/}"
else
  printf 'none\n'
fi
printf '\nreports in %s; whole run %s s\n' "$jsonout" "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')"
printf 'total termination findings: %s\n' "$total"
[ "$failed" = 0 ] || exit 2
exit 0
