#!/usr/bin/env bash
# The test command of the README: install what is missing (Debian packages and the pinned
# npm peers), build the debug preset, run every test with CTest, then lint the Cloud API
# spec (tether validate, Spectral, Redocly, example checks).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

tools/setup.sh --npm
[ -f build/debug/CMakeCache.txt ] || cmake --preset debug >/dev/null
cmake --build --preset debug -j "$(nproc)"
TETHER=build/debug/generator/tether tools/lint/lint-spec.sh
ctest --preset debug -j "$(nproc)"
