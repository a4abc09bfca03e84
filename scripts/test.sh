#!/bin/bash
# Installs missing dependencies, then configures, builds and runs every test
# under the CI presets: `ci` (release, -Werror) and `ci-asan` (ASan + UBSan).
# Usage: bash scripts/test.sh   (exit 0 only when both pass)
# SC_VALGRIND=1 also runs valgrind memcheck over every fixture in the `ci`
# preset (test valgrind.fixtures, otherwise skipped): about 13 CPU-minutes
# (~6.5 min on 2 cores), over CI's 5-minute allowance, so CI leaves it off.
set -uo pipefail
echo "test: valgrind memcheck over the fixtures: ${SC_VALGRIND:-0} (SC_VALGRIND=1 runs it)"
cd "$(dirname "$0")/.."

bash scripts/setup.sh --deps-only || exit 1

failed=()
for preset in ci ci-asan; do
    echo "=== preset $preset ==="
    if cmake --preset "$preset" && cmake --build --preset "$preset" && ctest --preset "$preset"; then
        echo "=== preset $preset: passed ==="
    else
        echo "=== preset $preset: FAILED ==="
        failed+=("$preset")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "test: failed presets: ${failed[*]}"
    exit 1
fi
echo "test: all presets passed"
