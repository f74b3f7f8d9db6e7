#!/usr/bin/env bash
# Renders generated/ from spec/: the published bundle (generated/openapi.json and
# generated/openapi.yaml). CI runs it and fails when the result differs from what is
# committed, so generated/ never drifts from the spec or the generator.
#
#   tools/regenerate.sh                 # builds the release tether if needed
#   TETHER=path/to/tether tools/regenerate.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${TETHER:-}" ]; then
  [ -f build/release/CMakeCache.txt ] || cmake --preset release >/dev/null
  cmake --build build/release --target tether >/dev/null
  TETHER=build/release/generator/tether
fi
mkdir -p generated
"$TETHER" bundle spec/openapi.yaml -o generated/openapi.json --yaml generated/openapi.yaml
echo "regenerate: wrote generated/openapi.json and generated/openapi.yaml"
