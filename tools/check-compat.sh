#!/usr/bin/env bash
# Fails on an unannounced breaking change: `tether diff` compares the newest released
# spec (spec/released/openapi-<version>.json) with spec/; breaking changes are allowed
# only with a new major version in info.version (recorded in spec/CHANGELOG.md).
#
#   TETHER=path/to/tether tools/check-compat.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tether=${TETHER:-build/debug/generator/tether}
released=$(ls spec/released/openapi-*.json | sort -V | tail -n 1)
released_version=$(basename "$released" .json | sed 's/^openapi-//')
current_version=$(sed -n 's/^  version: *//p' spec/openapi.yaml | head -n 1 | tr -d "'\"")
echo "check-compat: $released_version (released) -> $current_version (spec/)"
set +e
"$tether" diff "$released" spec/openapi.yaml
status=$?
set -e
case $status in
  0) echo "check-compat: no breaking change" ;;
  1)
    if [ "${current_version%%.*}" -gt "${released_version%%.*}" ]; then
      echo "check-compat: breaking changes announced by the major version $current_version"
    else
      echo "check-compat: unannounced breaking change; keep the API compatible, or bump the major version and record it in spec/CHANGELOG.md" >&2
      exit 1
    fi ;;
  *) exit "$status" ;;
esac
