#!/usr/bin/env bash
# Accuracy benchmark against gcc (not part of the test suite).
#
# For each project (fetched and prepared as tests/bench/run.sh does, see
# projects.sh) and for -O0 and -O2: compiles every file of the compile
# database with gcc -fstack-usage -fcallgraph-info=su, links gcc's call
# graphs (.ci) across files and computes the worst case of every root
# (a function nobody calls) from gcc's own frames; a root is complete when
# everything it reaches has a frame, no call is indirect and nothing recurses.
# Then runs stackcheck -p DB --frames su=DIR on the same .su files and
# compares each complete root's worst case with stackcheck's max_stack of
# that function, explaining every difference. Also: the AST estimate
# (--frames estimate) of each function's own frame against gcc -O0's, and,
# on lua5.4 and sqlite3, the recursive SCCs of gcc's -O0 graph and of
# stackcheck's. Prints the tables on stdout.
# CC_GCC names the gcc to use (default gcc).
#
# Usage: tests/bench/accuracy.sh [--build DIR] [--cache DIR] [--projects "zlib lua5.4 ..."]
#                                [--work DIR (kept; default: a temporary folder)]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=projects.sh
. "$here/projects.sh"
bench_defaults
work=
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --projects) projects=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "accuracy.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

for pkg in $projects; do
  case "$pkg" in
    zlib|cjson|lua5.4|sqlite3|mbedtls) ;;
    *) echo "accuracy.sh: no recipe for project '$pkg' (zlib cjson lua5.4 sqlite3 mbedtls)" >&2; exit 2 ;;
  esac
done

sc="$build/stackcheck"
[ -x "$sc" ] || { echo "accuracy.sh: no stackcheck at $sc (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
"$sc" --version >/dev/null || { echo "accuracy.sh: $sc does not run" >&2; exit 2; }
cc=${CC_GCC:-gcc}
command -v python3 >/dev/null || { echo "accuracy.sh: python3 is missing" >&2; exit 2; }
probe=$(mktemp -d "${TMPDIR:-/tmp}/sc-accuracy-probe.XXXXXX")
echo 'int f(void); int g(void) { return f(); }' > "$probe/p.c"
if ! "$cc" -O0 -fstack-usage -fcallgraph-info=su -c "$probe/p.c" -o "$probe/p.o" 2>/dev/null \
   || [ ! -s "$probe/p.ci" ] || [ ! -s "$probe/p.su" ]; then
  rm -rf "$probe"
  echo "accuracy.sh: '$cc' cannot write -fstack-usage / -fcallgraph-info=su output (gcc >= 10 needed)" >&2; exit 2
fi
rm -rf "$probe"

bench_tool=accuracy.sh
bench_need_packages gcc python3 dpkg-dev xz-utils bzip2 tcl || exit 2
bench_apt_setup

if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/sc-accuracy.XXXXXX")
  trap 'rm -rf "$work"' EXIT
else
  mkdir -p "$work"
fi
helper=(python3 "$here/gcc_callgraph.py")

estopt=()
if "$sc" --help 2>&1 | grep -q -- '--estimate-for'; then
  estopt=(--estimate-for gcc)
fi

# stackcheck OUT ARGS...: exit 0 or 1 (findings) is a report; anything else is broken.
run_sc() {
  local out=$1 rc=0; shift
  "$sc" -q -j 2 "$@" --format json -o "$out" >/dev/null 2>"$out.err" || rc=$?
  if [ "$rc" -gt 1 ] || [ ! -s "$out" ]; then
    echo "accuracy.sh: stackcheck $* failed (exit $rc):" >&2; tail -n 5 "$out.err" >&2; exit 2
  fi
}

start=$SECONDS
results=()
for pkg in $projects; do
  db="$work/db/$pkg"
  prepare "$pkg" "$db" >/dev/null
  for lv in O0 O2; do
    "${helper[@]}" compile --cc "$cc" --db "$db" --level="-$lv" --out "$work/$pkg/$lv" -j 2
    run_sc "$work/$pkg/sc-$lv.json" -p "$db" --frames "su=$work/$pkg/$lv"
  done
  run_sc "$work/$pkg/estimate.json" -p "$db" --frames estimate "${estopt[@]}"
  cyc=()
  case "$pkg" in lua5.4|sqlite3) cyc=(--cycles) ;; esac
  "${helper[@]}" analyze --project "$pkg" --level=-O0 --ci "$work/$pkg/O0" --report "$work/$pkg/sc-O0.json" \
    --estimate "$work/$pkg/estimate.json" --su0 "$work/$pkg/O0" "${cyc[@]}" --out "$work/$pkg/O0.result.json"
  "${helper[@]}" analyze --project "$pkg" --level=-O2 --ci "$work/$pkg/O2" --report "$work/$pkg/sc-O2.json" \
    --out "$work/$pkg/O2.result.json"
  results+=("$work/$pkg/O0.result.json" "$work/$pkg/O2.result.json")
done

printf '# stackcheck accuracy against gcc (%s; %s; estimate run with: %s; %d s)\n' \
  "$("$sc" --version | head -n 1)" "$("$cc" --version | head -n 1)" "${estopt[*]:-no extra option}" $((SECONDS - start))
"${helper[@]}" report "${results[@]}"
