#!/bin/bash
# Installs what stackcheck needs on Debian 12 (apt-get when root; otherwise it
# prints the exact install line and stops), builds the release preset, and runs
# stackcheck on the bundled example.  Usage: bash scripts/setup.sh [--deps-only]
set -euo pipefail
cd "$(dirname "$0")/.."

deps_only=0
case "${1:-}" in
    "") ;;
    --deps-only) deps_only=1 ;;
    -h|--help) echo "usage: bash scripts/setup.sh [--deps-only]"; exit 0 ;;
    *) echo "setup: unknown argument '$1' (usage: bash scripts/setup.sh [--deps-only])" >&2; exit 2 ;;
esac

# Build: compiler, libc headers, pkg-config, CMake, Ninja, LLVM 19's libclang
# (llvm-19 carries llvm-config-19), cJSON, cmocka. Tests: python3 (fixture
# harness), python3-jsonschema (SARIF/JSON schema checks), graphviz (DOT),
# clang-19 (compiler comparison, builtin headers), time (/usr/bin/time: peak
# memory in cli.hostile), valgrind (valgrind.fixtures, SC_VALGRIND=1).
packages=(gcc libc6-dev pkg-config cmake ninja-build python3 python3-jsonschema graphviz
          clang-19 llvm-19 libclang-19-dev libcjson-dev libcmocka-dev time valgrind)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "setup: this script installs Debian packages (dpkg-query not found); install by hand:" >&2
    echo "  ${packages[*]}" >&2
    exit 1
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "setup: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y "${missing[@]}" </dev/null
    else
        echo "setup: missing packages: ${missing[*]}"
        echo "setup: install them with:"
        echo "sudo apt-get install -y ${missing[*]}"
        exit 1
    fi
else
    echo "setup: all packages present"
fi

if [ "$deps_only" -eq 1 ]; then
    exit 0
fi

cmake --preset release
cmake --build --preset release

echo
echo "\$ build/release/stackcheck examples/seed.c"
set +e
build/release/stackcheck examples/seed.c
rc=$?
set -e
echo
case $rc in
    0|1) echo "setup: done. stackcheck exited $rc on the example (1 is expected: recursive_printer's" \
              "recursion can never stop, a failing finding). The binary is build/release/stackcheck." ;;
    *) echo "setup: stackcheck failed on the example (exit $rc)" >&2; exit 1 ;;
esac
