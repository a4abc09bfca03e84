# Fetching and preparing the benchmark projects, shared by tests/bench/run.sh
# (speed) and tests/bench/accuracy.sh (accuracy against gcc). Source it; it
# defines functions only and runs nothing.
#
# The caller sets `here` (tests/bench) and may then call bench_defaults
# before reading its options; it sets:
#   cache      the cache folder (SC_BENCH_CACHE, default ~/.cache/stackcheck-bench)
#   bench_tool the script's name, for messages (default: run.sh)
#
# bench_defaults              root, build (build/release), cache, projects

# bench_need_packages PKG...  installs the missing Debian packages when root,
#                             else prints the apt-get line and returns 2
# bench_apt_setup             a private apt configuration under $cache (the
#                             system's is not touched) and one apt-get update
# fetch PKG                   downloads and unpacks a source package; prints
#                             its folder ($cache/work/PKG)
# compdb DIR OUT FLAGS FILE...  writes OUT/compile_commands.json
# prepare PKG [DBDIR]         fetch, then the compile database of PKG in DBDIR
#                             (default $cache/db/PKG); prints the source folder

bench_defaults() {
  root=$(cd "$here/../.." && pwd)
  build="$root/build/release"
  cache="${SC_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stackcheck-bench}"
  projects="zlib cjson lua5.4 sqlite3 mbedtls"
}

bench_need_packages() {
  local need=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
      echo "${bench_tool:-run.sh}: missing packages; run: sudo apt-get install -y ${need[*]}" >&2
      return 2
    fi
  fi
}

bench_apt_setup() {
  mkdir -p "$cache"/{apt/lists/partial,apt/cache/archives/partial,src,work}
  cat > "$cache/apt/sources.list" <<'EOF'
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
EOF
  aptopts=(-o Dir::Etc::SourceList="$cache/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
           -o Dir::State::Lists="$cache/apt/lists" -o Dir::Cache="$cache/apt/cache"
           -o APT::Sandbox::User=root)
  if [ ! -f "$cache/apt/updated" ]; then
    apt-get "${aptopts[@]}" update -qq >/dev/null && touch "$cache/apt/updated"
  fi
}

# fetch PKG -> prints the unpacked source folder
fetch() {
  local pkg=$1 dir
  if ! ls "$cache/src/${pkg}"_*.dsc >/dev/null 2>&1; then
    (cd "$cache/src" && apt-get "${aptopts[@]}" source --download-only -qq "$pkg" >/dev/null 2>&1)
  fi
  dir="$cache/work/$pkg"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir.tmp"
    local orig
    orig=$(ls "$cache/src/${pkg}"_*.orig.tar.* | grep -v -- '-www' | head -n 1)
    tar -xf "$orig" -C "$dir.tmp"
    mv "$dir.tmp"/* "$dir" && rmdir "$dir.tmp"
  fi
  echo "$dir"
}

# compdb DIR BUILDDIR FLAGS FILE... : writes BUILDDIR/compile_commands.json
compdb() {
  local dir=$1 out=$2 flags=$3; shift 3
  mkdir -p "$out"
  python3 - "$dir" "$out" "$flags" "$@" <<'EOF'
import json, os, shlex, sys
d, out, flags, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
json.dump([{"directory": d, "file": f,
            "arguments": ["cc"] + shlex.split(flags) + ["-c", f, "-o", f + ".o"]} for f in files],
          open(os.path.join(out, "compile_commands.json"), "w"), indent=1)
EOF
}

# prepare PKG [DBDIR] -> prints the source folder
prepare() {
  local pkg=$1 db=${2:-$cache/db/$1} dir files
  dir=$(fetch "$pkg")
  case "$pkg" in
    zlib)
      files=$(cd "$dir" && ls *.c | grep -v -E '^(example|minigzip)' ) ;
      compdb "$dir" "$db" "-I. -DZ_HAVE_UNISTD_H" $files ;;
    cjson)
      compdb "$dir" "$db" "-I." cJSON.c cJSON_Utils.c ;;
    lua5.4)
      files=$(cd "$dir" && ls src/*.c)
      compdb "$dir" "$db" "-Isrc -DLUA_USE_LINUX -DLUA_COMPAT_5_3" $files ;;
    sqlite3)
      if [ ! -f "$dir/sqlite3.c" ]; then
        (cd "$dir" && ./configure >/dev/null 2>&1 && make sqlite3.c >/dev/null 2>&1)
      fi
      compdb "$dir" "$db" "-I. -DSQLITE_THREADSAFE=1" sqlite3.c shell.c ;;
    mbedtls)
      files=$(cd "$dir" && ls library/*.c)
      compdb "$dir" "$db" "-Iinclude -Ilibrary" $files ;;
    *) echo "${bench_tool:-run.sh}: no recipe for $pkg" >&2; return 1 ;;
  esac
  echo "$dir"
}
