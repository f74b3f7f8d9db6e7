#!/usr/bin/env bash
# The test command of the README: install what is missing (Debian packages and the pinned
# npm peers), build the debug preset (instrumented with ASan+UBSan: every test runs under
# the sanitizers; CMakePresets.json), lint the Cloud API spec (tether validate, Spectral,
# Redocly, example checks), check it against the released version (no unannounced
# breaking change), then run every test with CTest, with a throwaway PostgreSQL 15 on loopback
# for the storage tests (tools/pg-throwaway.sh; stopped when this script ends).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

tools/setup.sh --npm
# Configured every time: a tree configured before the preset changed picks the change up.
cmake --preset debug >/dev/null
cmake --build --preset debug -j "$(nproc)"
TETHER=build/debug/generator/tether tools/lint/lint-spec.sh
TETHER=build/debug/generator/tether tools/check-compat.sh
tools/pg-throwaway.sh run ctest --preset debug -j "$(nproc)"
