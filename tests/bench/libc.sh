#!/usr/bin/env bash
# The summaries of a real C library, built from its Debian source package
# (not part of the test suite: minutes of building; issue 15).
#
#   newlib-arm    newlib (libc, libm) for arm-none-eabi with Debian's cross
#                 gcc: the library gcc-arm-none-eabi links (the Debian
#                 package's configure options, one multilib: the default
#                 one, what arm-none-eabi-gcc links with no -mcpu: armv4t,
#                 ARM state, soft float)
#   musl-x86_64   musl's libc.a for x86-64 with the system gcc
#
# Each is built by the library's own configure and make, under bear, which
# records every compile command with its folder. The compile database
# stackcheck reads (BUILD/compile_commands.json, next to bear's own record
# compile_commands.bear.json) is that record less what stackcheck cannot
# read: assembler files (their functions are externals: listed with the
# symbols their objects define) and the commands of another compiler (the
# host tools of a cross build). A file the build compiles more than once
# with other flags (newlib's mallocr.c: malloc, free, realloc ... one object
# each) keeps its first command, and each further object gets its own
# translation unit, BUILD/sc-variants/OBJECT.c, one line that includes the
# source, compiled with that object's command: stackcheck reads one command
# per file. Of two commands making objects of one name (a generic source
# and its machine/ARCH version), the one whose object the built libc.a or
# libm.a holds is kept, as `ar` replaced the other. Then:
#
#   stackcheck summarize -p BUILD -o OUTDIR -j JOBS --target TRIPLE
#
# writes one summary per translation unit into OUTDIR; a program is then
# linked against them with `stackcheck -p build --library OUTDIR`. Last,
# tests/bench/asm_stack.py reads the assembler objects and writes
# OUTDIR/externals.conf, a config with the cost of each assembler function
# that provably never moves the stack pointer (a leaf: the return address
# on x86-64, nothing on ARM); the others stay externals of unknown cost.
# Not *.json: `stackcheck link OUTDIR` reads every *.json there as a
# summary.
#
# The sources (Debian's patches applied) and the builds are kept under the
# cache folder ($cache/libc): a second run reuses a finished build. Exit 0
# when the summaries (or, with --check, the report) are written; 2 on a
# usage error, or when a step fails (one line: the step and its log).
#
# Usage: tests/bench/libc.sh [--stackcheck BIN] [--cache DIR] [--check]
#                            newlib-arm|musl-x86_64 OUTDIR
#   --stackcheck BIN  the binary (default: $STACKCHECK, else
#                     build/release/stackcheck)
#   --check           instead of summarize: one stackcheck run over the
#                     whole database (--keep-going), its JSON report in
#                     OUTDIR/check.json; prints how many files parse, why the
#                     others do not, and the target
#   --rebuild         build again even when a finished build is cached
#   JOBS              make -j and summarize -j (default 2)
#   SC_BENCH_CACHE    the cache folder (default ~/.cache/stackcheck-bench)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=projects.sh
. "$here/projects.sh"
bench_defaults
# shellcheck disable=SC2034 # read by projects.sh
bench_tool=libc.sh
sc="${STACKCHECK:-$build/stackcheck}"
jobs="${JOBS:-2}"
check=0
rebuild=0
lib=""
outdir=""

usage() {
  echo "usage: tests/bench/libc.sh [--stackcheck BIN] [--cache DIR] [--check] [--rebuild] newlib-arm|musl-x86_64 OUTDIR" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --stackcheck) [ $# -ge 2 ] || usage; sc=$2; shift 2 ;;
    --cache) [ $# -ge 2 ] || usage; cache=$2; shift 2 ;;
    --check) check=1; shift ;;
    --rebuild) rebuild=1; shift ;;
    -h|--help) sed -n '2,45p' "$0"; exit 0 ;;
    -*) echo "libc.sh: unknown option '$1'" >&2; usage ;;
    *)
      if [ -z "$lib" ]; then lib=$1
      elif [ -z "$outdir" ]; then outdir=$1
      else echo "libc.sh: one library and one OUTDIR ('$1' is a third argument)" >&2; usage
      fi
      shift ;;
  esac
done
[ -n "$lib" ] || usage
case "$lib" in
  newlib-arm) pkg=newlib; cc_name=arm-none-eabi-gcc; nm=arm-none-eabi-nm; triple=arm-none-eabi ;;
  musl-x86_64) pkg=musl; cc_name=gcc; nm="nm"; triple=x86_64-linux-gnu ;;
  *) echo "libc.sh: unknown library '$lib' (newlib-arm or musl-x86_64)" >&2; usage ;;
esac
[ -n "$outdir" ] || { echo "libc.sh: no OUTDIR" >&2; usage; }
case "$jobs" in ''|*[!0-9]*|0) echo "libc.sh: JOBS must be a positive number, not '$jobs'" >&2; exit 2 ;; esac

[ -x "$sc" ] || { echo "libc.sh: no stackcheck at $sc (cmake --preset release && cmake --build --preset release, or --stackcheck BIN)" >&2; exit 2; }
# The summarize command is newer than this script: say so before minutes
# of building (--check needs only what every stackcheck has).
if [ "$check" = 0 ] && ! "$sc" --help 2>&1 | grep -qw summarize; then
  echo "libc.sh: $sc has no 'summarize' command (its --help names none); build a stackcheck that has it, or run with --check to parse the database only" >&2
  exit 2
fi

work="$cache/libc/$lib"
src="$cache/libc/src/$pkg"
BUILD="$work/build"
logs="$work/logs"
mkdir -p "$logs"

# fail STEP LOG: the one line of a failed step
fail() { echo "libc.sh: $lib: step '$1' failed; log: $2" >&2; exit 2; }
# step NAME CMD...: runs CMD with its output in $logs/NAME.log
step() {
  local name=$1; shift
  "$@" >"$logs/$name.log" 2>&1 || fail "$name" "$logs/$name.log"
}

# The packages: bear and the compiler (the cross gcc and binutils for newlib).
packages=(dpkg-dev bear make gcc python3)
[ "$lib" = newlib-arm ] && packages+=(gcc-arm-none-eabi binutils-arm-none-eabi)
step packages bench_need_packages "${packages[@]}"
if [ "$lib" = musl-x86_64 ]; then
  machine=$(gcc -dumpmachine 2>/dev/null || true)
  case "$machine" in
    x86_64-*) ;;
    *) echo "libc.sh: $lib: the system gcc builds for '${machine:-nothing}', not x86-64; musl-x86_64 needs an x86-64 gcc" >&2; exit 2 ;;
  esac
fi

# The source package, with Debian's patches (dpkg-source -x): the source
# Debian builds its binary packages from. apt checked the files against the
# signed archive; dpkg-source's own check of the .dsc's signature needs
# debian-keyring, and without it is a warning in the log.
if [ ! -d "$src" ]; then
  step apt-setup bench_apt_setup
  step download bench_download "$pkg"
  rm -rf "$src.tmp"
  mkdir -p "$(dirname "$src")"
  dsc=$(find "$cache/src" -maxdepth 1 -name "${pkg}_*.dsc" | sort | head -n 1)
  step unpack dpkg-source -x "$dsc" "$src.tmp"
  mv "$src.tmp" "$src"
  rm -f "$(dirname "$src")/${pkg}"_*.orig.tar.* # dpkg-source's copy
fi

configure_newlib() {
  local t=arm-none-eabi
  # debian/rules' CONFIGURE_FLAGS (the full libc.a, not the nano one) and
  # its target tools, without its install paths; one multilib.
  "$src/configure" --target=$t --prefix=/usr/lib \
    --disable-newlib-supplied-syscalls --disable-nls \
    --enable-newlib-io-long-long --enable-newlib-register-fini \
    --disable-multilib \
    CFLAGS_FOR_TARGET="-g -O2 -ffunction-sections -fdata-sections" \
    CC_FOR_TARGET=$t-gcc GCC_FOR_TARGET=$t-gcc AR_FOR_TARGET=$t-ar AS_FOR_TARGET=$t-as \
    LD_FOR_TARGET=$t-ld NM_FOR_TARGET=$t-nm OBJDUMP_FOR_TARGET=$t-objdump \
    RANLIB_FOR_TARGET=$t-ranlib READELF_FOR_TARGET=$t-readelf STRIP_FOR_TARGET=$t-strip
}

# The build, under bear, from an empty folder (bear records only what make
# compiles: a build resumed halfway would leave the rest out).
if [ "$rebuild" = 1 ] || [ ! -f "$BUILD/.sc-built" ]; then
  rm -rf "$BUILD"
  mkdir -p "$BUILD"
  t0=$EPOCHREALTIME
  cd "$BUILD"
  case "$lib" in
    newlib-arm)
      step configure configure_newlib
      # The target's configure scripts run outside bear: their test
      # programs are no part of the library.
      step configure-target make -j "$jobs" configure-target-newlib
      step build bear --output compile_commands.bear.json -- make -j "$jobs" all-target-newlib ;;
    musl-x86_64)
      # musl's own configure (x86-64 from gcc); only the C library archive.
      step configure "$src/configure" CC=gcc
      step build bear --output compile_commands.bear.json -- make -j "$jobs" lib/libc.a ;;
  esac
  cd - >/dev/null
  secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
  echo "$secs" > "$BUILD/.sc-built"
  echo "libc.sh: $lib: built in $secs s (make -j $jobs), in $BUILD" >&2
else
  echo "libc.sh: $lib: reusing the build in $BUILD (built in $(cat "$BUILD/.sc-built") s; --rebuild builds again)" >&2
fi

# The compile database stackcheck reads, from bear's record.
dbfilter() {
  python3 - "$BUILD" "$cc_name" "$nm" <<'EOF'
import json, os, subprocess, sys
build, cc_name, nm = sys.argv[1:4]
raw = json.load(open(os.path.join(build, "compile_commands.bear.json")))
if not raw:
    sys.exit("bear recorded no compile command")
def argv(e):
    return e["arguments"] if "arguments" in e else e["command"].split()
def absfile(e):
    return os.path.normpath(os.path.join(e["directory"], e["file"]))
other, asm, keep = [], [], []
for e in raw:
    if os.path.basename(argv(e)[0]) != cc_name:
        other.append(e)
    elif os.path.splitext(e["file"])[1] in (".s", ".S", ".sx", ".asm"):
        asm.append(e)
    else:
        keep.append(e)
for e in keep:
    if not os.path.isdir(e["directory"]) or not os.path.isfile(absfile(e)):
        sys.exit("%s: not found (folder %s)" % (e["file"], e["directory"]))
# Two commands making objects of one name (newlib's libc/string/strcpy.c
# and libc/machine/arm/strcpy.c, both lib_a-strcpy.o): the archive keeps
# one, the one `ar` put in last. Keep the command whose object is the
# member the built libc.a or libm.a holds, byte for byte.
def objpath(e):
    args = argv(e)
    o = e.get("output") or (args[args.index("-o") + 1] if "-o" in args else None)
    return os.path.normpath(os.path.join(e["directory"], o)) if o else None
ar = nm[:-2] + "ar" if nm.endswith("nm") else "ar"
archives = [os.path.join(d, f) for d, _, fs in os.walk(build) for f in fs if f in ("libc.a", "libm.a")]
byname = {}
for e in keep:
    o = objpath(e)
    if o:
        byname.setdefault(os.path.basename(o), []).append(e)
counts = {}
for a in archives:
    r = subprocess.run([ar, "t", a], capture_output=True, text=True)
    for m in r.stdout.split():
        counts[(a, m)] = counts.get((a, m), 0) + 1
replaced = []
for name, es in sorted(byname.items()):
    if len(es) < 2:
        continue
    member = None
    for a in archives:
        # An archive holding that name twice (musl's libc.a has both
        # malloc/free.lo and mallocng/free.lo) kept both: nothing replaced.
        if counts.get((a, name), 0) != 1:
            continue
        r = subprocess.run([ar, "p", a, name], capture_output=True)
        if r.returncode == 0 and r.stdout:
            member = r.stdout
            break
    if member is None:
        continue
    held = [e for e in es if os.path.isfile(objpath(e)) and open(objpath(e), "rb").read() == member]
    if len(held) != 1:
        continue
    for e in es:
        if e is not held[0]:
            keep.remove(e)
            replaced.append(os.path.relpath(absfile(e), os.path.commonpath([absfile(e), absfile(held[0])])))
# A file compiled again with other flags: its own translation unit, named
# after the object, that includes the source.
seen, out, variants, vfiles = set(), [], 0, set()
for e in keep:
    f = absfile(e)
    if f in seen:
        obj, args = e.get("output"), argv(e)
        if obj is None and "-o" in args:
            obj = args[args.index("-o") + 1]
        if obj is None:
            sys.exit("%s: compiled twice, and a command names no object" % e["file"])
        obj = os.path.normpath(os.path.join(e["directory"], obj))
        stub = os.path.join(build, "sc-variants", os.path.relpath(obj, build))
        stub = os.path.splitext(stub)[0] + ".c"
        os.makedirs(os.path.dirname(stub), exist_ok=True)
        text = '/* %s: %s compiled again for %s */\n#include "%s"\n' % (
            "libc.sh", os.path.basename(f), os.path.relpath(obj, build), f)
        if not os.path.isfile(stub) or open(stub).read() != text:
            open(stub, "w").write(text)
        e = dict(e)
        e["arguments"] = [stub if a == e["file"] or (not os.path.isabs(a) and
                          os.path.normpath(os.path.join(e["directory"], a)) == f) else a
                          for a in argv(e)]
        e.pop("command", None)
        e["file"] = stub
        variants += 1
        vfiles.add(f)
    else:
        seen.add(f)
    out.append(e)
tmp = os.path.join(build, "compile_commands.json.tmp")
json.dump(out, open(tmp, "w"), indent=1)
os.replace(tmp, os.path.join(build, "compile_commands.json"))
# What the assembler files define (their objects' global symbols).
syms = []
for e in asm:
    o = e.get("output")
    if o and os.path.isfile(os.path.join(e["directory"], o)):
        r = subprocess.run([nm, "-g", "--defined-only", os.path.join(e["directory"], o)],
                           capture_output=True, text=True)
        syms += [l.split()[-1] for l in r.stdout.splitlines() if len(l.split()) >= 3]
print("compile commands recorded by bear: %d" % len(raw))
if other:
    print("left out, another compiler than %s (host tools): %d (%s)" % (
        cc_name, len(other), " ".join(sorted(set(os.path.basename(e["file"]) for e in other)))))
if asm:
    print("left out, assembler: %d files, defining %s" % (len(asm), " ".join(sorted(set(syms))) or "?"))
if replaced:
    print("left out, replaced in the archive by an object of the same name: %d (%s)" % (
        len(replaced), " ".join(sorted(replaced))))
if variants:
    print("compiled again with other flags: %d files, %d more translation units in sc-variants/ (%s)" % (
        len(vfiles), variants, " ".join(sorted(os.path.basename(f) for f in vfiles))))
print("translation units in compile_commands.json: %d" % len(out))
EOF
}
step database dbfilter
sed "s/^/libc.sh: $lib: /" "$logs/database.log" >&2

mkdir -p "$outdir"
if [ "$check" = 1 ]; then
  # Every file of the database in one run: the ones that do not parse
  # become parse-error findings (exit 2 only for a run that failed).
  rc=0
  "$sc" -q -p "$BUILD" --keep-going -j "$jobs" --format json -o "$outdir/check.json" \
    >"$logs/check.log" 2>&1 || rc=$?
  if [ "$rc" -ge 2 ] || [ ! -s "$outdir/check.json" ]; then fail check "$logs/check.log"; fi
  python3 - "$outdir/check.json" "$lib" <<'EOF'
import collections, json, sys
r = json.load(open(sys.argv[1]))
lib = sys.argv[2]
pe = [x for x in r["findings"] if x["rule"] == "parse-error"]
n = len(r["inputs"])
fns = [f for f in r["functions"] if not f.get("external")]
ext = sorted(f["name"] for f in r["functions"] if f.get("external"))
print("libc.sh: %s: target %s; %d translation units: %d parse, %d do not" % (
    lib, r["target"], n, n - len(pe), len(pe)))
for msg, k in collections.Counter(x["message"] for x in pe).most_common():
    print("libc.sh: %s:   %d: %s" % (lib, k, msg))
print("libc.sh: %s: %d functions defined, %d externals: %s" % (lib, len(fns), len(ext), " ".join(ext)))
EOF
  echo "libc.sh: $lib: report in $outdir/check.json" >&2
  exit 0
fi

# The target named, though the database implies it: musl's commands run the
# system gcc, which names none, and summaries written for "the compiler's
# default" do not match a program's resolved x86_64-linux-gnu.
step summarize "$sc" summarize -p "$BUILD" -o "$outdir" -j "$jobs" --target "$triple"
echo "libc.sh: $lib: summaries in $outdir (log: $logs/summarize.log)" >&2

# The assembler functions that provably never move the stack pointer, read
# from their objects (asm_stack.py): a config of externals for them.
case "$lib" in
  newlib-arm) arch=arm; objdump=arm-none-eabi-objdump ;;
  *) arch=x86_64; objdump=objdump ;;
esac
step asm-stack python3 "$here/asm_stack.py" --arch "$arch" --objdump "$objdump" --nm "$nm" \
  "$BUILD/compile_commands.bear.json" "$outdir/externals.conf"
grep '^asm_stack.py' "$logs/asm-stack.log" | sed "s/^asm_stack.py/libc.sh: $lib/" >&2
echo "libc.sh: $lib: costs of those assembler functions in $outdir/externals.conf (pass it with --config, or copy its entries into your stackcheck.json)" >&2
