#!/usr/bin/env bash
# Renders generated/ from spec/: the published bundle (generated/openapi.json and
# generated/openapi.yaml) and the C++ the generator makes of it (generated/cpp/: models,
# validators, server stubs, client bindings; namespace cloud). CI runs it and fails when the result differs from what is
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
# Rendered in place: the generator rewrites only the files whose text changed and removes
# the ones it no longer makes, so regenerating an unchanged spec touches no file and the
# next build of the sandbox compiles nothing (.ci/run checks this).
"$TETHER" generate spec/openapi.yaml --cpp generated/cpp --namespace cloud --source spec/openapi.yaml
echo "regenerate: wrote generated/openapi.json, generated/openapi.yaml and generated/cpp/"
