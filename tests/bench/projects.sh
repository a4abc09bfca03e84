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
# bench_download PKG          downloads a source package into $cache/src
# fetch PKG                   downloads and unpacks a source package (its
#                             upstream tarball); prints its folder
#                             ($cache/work/PKG)
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

# bench_download PKG: the source package's files (.dsc, tarballs) into
# $cache/src, once
bench_download() {
  local pkg=$1
  if ! ls "$cache/src/${pkg}"_*.dsc >/dev/null 2>&1; then
    (cd "$cache/src" && apt-get "${aptopts[@]}" source --download-only -qq "$pkg" >/dev/null 2>&1)
  fi
}

# fetch PKG -> prints the unpacked source folder
fetch() {
  local pkg=$1 dir
  bench_download "$pkg"
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
    # The projects of tests/bench/realcode.sh (termination findings on real
    # code): each is the library with its own program where it has one.
    mujs)
      files=$(cd "$dir" && ls js*.c utf*.c regexp.c main.c)
      compdb "$dir" "$db" "-std=c99" $files ;;
    jimtcl)
      # autosetup's configure writes jim-config.h and jimautoconf.h; make
      # turns the Tcl extensions into C (_*.c, needs tclsh): the files
      # jimsh is linked from.
      if [ ! -f "$dir/_initjimsh.c" ]; then
        (cd "$dir" && ./configure >/dev/null 2>&1 && make -j "$(nproc)" jimsh >/dev/null 2>&1)
      fi
      files=$(cd "$dir" && sed -n 's/^OBJS := //; T; :a; /\\$/ { N; ba }; s/\\\n//g; p' Makefile |
              tr ' ' '\n' | sed -n 's/\.o$//p' |
              while read -r o; do if [ -f "$o.c" ]; then echo "$o.c"; else echo "_$o.c"; fi; done)
      compdb "$dir" "$db" "-I. -D_GNU_SOURCE" $files jimsh.c _initjimsh.c ;;
    expat)
      # CMake's configure step writes expat_config.h (no build).
      if [ ! -f "$dir/expat/_sc_build/expat_config.h" ]; then
        (cd "$dir/expat" && cmake -S . -B _sc_build -DEXPAT_BUILD_TESTS=OFF -DEXPAT_BUILD_DOCS=OFF \
           -DEXPAT_BUILD_EXAMPLES=OFF >/dev/null 2>&1)
      fi
      files=$(cd "$dir/expat" && ls lib/xmlparse.c lib/xmlrole.c lib/xmltok.c \
              xmlwf/xmlwf.c xmlwf/xmlfile.c xmlwf/codepage.c xmlwf/readfilemap.c)
      compdb "$dir/expat" "$db" "-I_sc_build -Ilib -DHAVE_EXPAT_CONFIG_H -DXML_ENABLE_VISIBILITY=1" $files ;;
    libyaml)
      files=$(cd "$dir" && ls src/*.c)
      compdb "$dir" "$db" '-Iinclude -DYAML_VERSION_MAJOR=0 -DYAML_VERSION_MINOR=2 -DYAML_VERSION_PATCH=5 -DYAML_VERSION_STRING=\"0.2.5\"' $files ;;
    cmark)
      # CMake's configure step writes config.h, cmark_version.h and
      # cmark_export.h (no build).
      if [ ! -f "$dir/_sc_build/src/config.h" ]; then
        (cd "$dir" && cmake -S . -B _sc_build -DCMARK_TESTS=OFF -DCMARK_SHARED=OFF >/dev/null 2>&1)
      fi
      files=$(cd "$dir" && ls src/*.c)
      compdb "$dir" "$db" "-Isrc -I_sc_build/src -DCMARK_STATIC_DEFINE" $files ;;
    bzip2)
      compdb "$dir" "$db" "-D_FILE_OFFSET_BITS=64" blocksort.c huffman.c crctable.c randtable.c \
        compress.c decompress.c bzlib.c bzip2.c ;;
    lz4)
      files=$(cd "$dir" && ls lib/*.c programs/*.c)
      compdb "$dir" "$db" "-Ilib" $files ;;
    tinyscheme)
      compdb "$dir" "$db" "-I. -DSUN_DL=1 -DUSE_DL=1 -DUSE_MATH=1 -DUSE_ASCII_NAMES=0" scheme.c dynload.c ;;
    libzstd)
      # The library without its x86-64 assembly and legacy formats.
      files=$(cd "$dir" && ls lib/common/*.c lib/compress/*.c lib/decompress/*.c lib/dictBuilder/*.c)
      compdb "$dir" "$db" "-Ilib -Ilib/common -DZSTD_DISABLE_ASM -DZSTD_LEGACY_SUPPORT=0" $files ;;
    jansson|xz-utils)
      # The project's own CMake build writes the compile database (and the
      # generated headers); each file once, the programs xz links and not
      # xzdec (a second main, the same tuklib files again).
      if [ ! -f "$dir/_sc_build/compile_commands.json" ]; then
        (cd "$dir" && cmake -S . -B _sc_build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DBUILD_TESTING=OFF \
           -DJANSSON_EXAMPLES=OFF -DJANSSON_WITHOUT_TESTS=ON -DJANSSON_BUILD_DOCS=OFF >/dev/null 2>&1)
      fi
      mkdir -p "$db"
      python3 -c 'import json, re, sys
seen = set()
d = [e for e in json.load(open(sys.argv[1])) if not re.search(r"/src/(xzdec|lzmainfo)/", e["file"])
     and not (e["file"] in seen or seen.add(e["file"]))]
json.dump(d, open(sys.argv[2], "w"), indent=1)' "$dir/_sc_build/compile_commands.json" "$db/compile_commands.json" ;;
    lwip)
      # The TCP/IP stack for a Cortex-M4 with newlib (gcc-arm-none-eabi's
      # headers), bare metal (NO_SYS: the raw API, no threads). Debian ships
      # no port: a minimal arch/cc.h and lwipopts.h are written here.
      bench_need_packages gcc-arm-none-eabi libnewlib-arm-none-eabi || return 2
      mkdir -p "$dir/sc-port/arch"
      cat > "$dir/sc-port/arch/cc.h" <<'EOF'
/* stackcheck benchmark port: bare-metal Cortex-M, newlib */
#ifndef SC_PORT_ARCH_CC_H
#define SC_PORT_ARCH_CC_H
#include <stdio.h>
#include <stdlib.h>
#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) do { printf("assert: %s\n", x); abort(); } while (0)
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_RAND() ((u32_t)rand())
#endif
EOF
      cat > "$dir/sc-port/lwipopts.h" <<'EOF'
/* stackcheck benchmark port: every raw-API feature of the stack on */
#ifndef SC_PORT_LWIPOPTS_H
#define SC_PORT_LWIPOPTS_H
#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define MEM_ALIGNMENT 4
#define MEM_SIZE 16000
#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define LWIP_RAW 1
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_ALTCP 1
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_DHCP 1
#define LWIP_AUTOIP 1
#define LWIP_DHCP_AUTOIP_COOP 1
#define LWIP_IGMP 1
#define LWIP_DNS 1
#define LWIP_IPV6_MLD 1
#define LWIP_IPV6_DHCP6 1
#define LWIP_IPV6_FRAG 1
#define IP_REASSEMBLY 1
#define IP_FRAG 1
#define LWIP_HAVE_LOOPIF 1
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
#define LWIP_NUM_NETIF_CLIENT_DATA 2
#define LWIP_STATS 0
#define PPP_SUPPORT 1
#define PPPOS_SUPPORT 1
#define PPPOE_SUPPORT 1
#define PPPOL2TP_SUPPORT 1
#define PAP_SUPPORT 1
#define CHAP_SUPPORT 1
#define MSCHAP_SUPPORT 1
#define EAP_SUPPORT 1
#define CCP_SUPPORT 1
#define MPPE_SUPPORT 1
#define VJ_SUPPORT 1
#define PPP_IPV6_SUPPORT 1
#define LWIP_MDNS_RESPONDER 1
#define LWIP_HTTPD_CGI 1
#define LWIP_HTTPD_SSI 1
#define MEMP_NUM_SYS_TIMEOUT 16
#endif
EOF
      files=$(cd "$dir" && ls src/core/*.c src/core/ipv4/*.c src/core/ipv6/*.c src/netif/ethernet.c \
              src/netif/slipif.c src/netif/ppp/*.c src/netif/ppp/polarssl/*.c src/apps/sntp/sntp.c \
              src/apps/mdns/mdns.c src/apps/mqtt/mqtt.c src/apps/lwiperf/lwiperf.c \
              src/apps/tftp/tftp_server.c src/apps/netbiosns/netbiosns.c src/apps/smtp/smtp.c \
              src/apps/http/httpd.c src/apps/http/fs.c | grep -v -E '/pppapi\.c$')
      compdb "$dir" "$db" "--target=arm-none-eabi -mcpu=cortex-m4 -mthumb -isystem /usr/lib/arm-none-eabi/include -Isc-port -Isrc/include" $files ;;
    *) echo "${bench_tool:-run.sh}: no recipe for $pkg" >&2; return 1 ;;
  esac
  echo "$dir"
}
