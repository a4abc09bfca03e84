#!/bin/bash
# Installs missing dependencies, then configures, builds and runs every test
# under the CI presets: `ci` (release, -Werror) and `ci-asan` (ASan + UBSan).
# Usage: bash scripts/test.sh   (exit 0 only when both pass)
set -uo pipefail
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
