#!/bin/bash
# CTest wrapper: runs tests/compare_compilers.sh with the built binary, so
# stackcheck must find every infinite recursion gcc and clang find on the
# fixtures, and nothing on the correct (-ok) twins.
here=$(cd "$(dirname "$0")" && pwd)
src=${SC_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
exec bash "$src/tests/compare_compilers.sh" "${STACKCHECK:?STACKCHECK is not set}"
