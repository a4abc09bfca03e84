#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-19 (-fsanitize=fuzzer,address,
# undefined) and runs each for SECONDS (default 10) on its corpus under
# tests/fuzz/corpus/NAME. A crash or leak fails the run and leaves the
# input as crash-* in the work folder: copy it into the corpus as a
# regression input. Usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
# Targets: config summary summary_bin cdb baseline su canon sum_index (all by default). CTest runs 6 s
# each (label fuzz); longer runs by hand or nightly, e.g.
#   SC_FUZZ_WORK=/tmp/fz tests/fuzz/run.sh 3600 summary   (one hour)
#   tests/fuzz/run.sh 600                                 (10 min per target)
# SC_FUZZ_WORK keeps the grown corpus between runs. The summary_bin seeds
# come from the unit test's writer (rewrite them after a layout change):
#   build/dev/tests/test_summary_bin --write-seeds tests/fuzz/corpus/summary_bin
# and the sum_index seeds from its unit test's writer:
#   build/dev/tests/test_sum_index --write-seeds tests/fuzz/corpus/sum_index
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-10}; shift || true
targets=${*:-config summary summary_bin cdb baseline su canon sum_index}
work=${SC_FUZZ_WORK:-$(mktemp -d)}
a="$root/analyzer"
inc="-iquote $a -isystem $(llvm-config-19 --includedir)"
flags="-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
util="$a/util/mem.c $a/util/vec.c $a/util/arena.c $a/util/diag.c $a/util/fileio.c"
gen="$work/generated"; mkdir -p "$gen"
printf '#define STACKCHECK_VERSION "fuzz"\n' > "$gen/version.h"
for t in $targets; do
  case "$t" in
    config)  srcs="$util $a/config/config.c $a/core/rules.c $a/core/target.c" ; libs="-lcjson" ;;
    summary) srcs="$util $a/summary/summary.c $a/summary/summary_json.c $a/summary/json_alloc.c" ; libs="-lcjson -lm" ;;
    canon)   srcs="$a/cache/canon.c" ; libs="" ;;
    summary_bin) srcs="$util $a/summary/summary.c $a/summary/summary_bin.c $a/summary/summary_json.c $a/summary/json_alloc.c" ; libs="-lcjson -lm" ;;
    baseline) srcs="$util $a/config/baseline.c $a/core/result.c $a/core/rules.c $a/core/strbuf.c" ; libs="-lcjson -lm" ;;
    su)      srcs="$util $a/core/frame_su.c" ; libs="" ;;
    sum_index) srcs="$util $a/summary/sum_index.c" ; libs="" ;;
    cdb)     srcs="$util $a/cdb/cdb.c $a/cdb/cdb_entries.c" ; libs="-lcjson -L$(llvm-config-19 --libdir) -lclang -Wl,-rpath,$(llvm-config-19 --libdir)" ;;
    *) echo "run.sh: unknown fuzz target '$t'" >&2; exit 2 ;;
  esac
  echo "== fuzz_$t: building"
  # shellcheck disable=SC2086
  clang-19 $flags $inc -iquote "$gen" "$here/fuzz_$t.c" $srcs $libs -lm -o "$work/fuzz_$t"
  mkdir -p "$work/corpus-$t"
  cp -r "$here/corpus/$t/." "$work/corpus-$t/" 2>/dev/null || true
  echo "== fuzz_$t: running ${secs}s"
  (cd "$work" && ASAN_OPTIONS=detect_leaks=1 "./fuzz_$t" -max_total_time="$secs" -max_len=65536 \
     -print_final_stats=0 "corpus-$t" "$here/corpus/$t" 2>&1 | tail -n 3)
  rc=${PIPESTATUS[0]}
  if ls "$work"/crash-* "$work"/leak-* >/dev/null 2>&1; then
    echo "fuzz_$t: FOUND A FAILING INPUT in $work (copy it into tests/fuzz/corpus/$t/)" >&2
    exit 1
  fi
  [ "$rc" = 0 ] || { echo "fuzz_$t: fuzzer exited $rc" >&2; exit 1; }
done
echo "fuzz: all targets ran ${secs}s without a failure"
