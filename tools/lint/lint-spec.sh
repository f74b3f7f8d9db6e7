#!/usr/bin/env bash
# Lint the Cloud Platform API spec (spec/openapi.yaml and the files it references).
#
#   bash tools/lint/lint-spec.sh            # run from the repository root
#
# 0. tether's own `validate --strict` checks the split spec (errors and warnings fail).
# 1. tether bundles the split spec into one temporary file (what generated/openapi.json is).
# 2. Spectral (spectral:oas) lints the bundle; warnings fail the run.
# 3. Redocly (recommended rules) lints the split spec; warnings fail the run.
# 4. check-examples.mjs validates every example against its schema (ajv, JSON Schema 2020-12),
#    including the readOnly/writeOnly direction of request and response examples.
#
# Needs the pinned npm tools: (cd tools && npm ci).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
bin=tools/node_modules/.bin
if [[ ! -x $bin/spectral || ! -x $bin/redocly ]]; then
  echo "lint-spec: npm tools missing; run: (cd tools && npm ci)" >&2
  exit 2
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bundle=$tmp/openapi.bundled.json
status=0

tether=${TETHER:-build/debug/generator/tether}
if [[ ! -x $tether ]]; then
  echo "lint-spec: $tether not built; build it or set TETHER=path/to/tether" >&2
  exit 2
fi

echo "== tether validate --strict"
"$tether" validate --strict spec/openapi.yaml || status=1

echo "== tether bundle"
"$tether" bundle spec/openapi.yaml -o "$bundle" || exit 1

echo "== spectral lint (spectral:oas, fail on warnings)"
"$bin/spectral" lint --ruleset tools/lint/.spectral.yaml --fail-severity=warn "$bundle" || status=1

echo "== redocly lint (recommended, fail on warnings)"
"$bin/redocly" lint spec/openapi.yaml --config tools/lint/redocly.yaml --max-problems 1000 >"$tmp/redocly.log" 2>&1 || status=1
grep -v -e '^ *[║╔╚]' "$tmp/redocly.log" | sed '/^$/N;/^\n$/D'
if grep -qE 'Woohoo! Your API description is valid|Your API description is valid' "$tmp/redocly.log" &&
  ! grep -qE '[0-9]+ warnings?' "$tmp/redocly.log"; then
  :
else
  status=1
fi

echo "== examples (ajv 2020 + ajv-formats, readOnly/writeOnly direction)"
node tools/lint/check-examples.mjs "$bundle" || status=1

if [[ $status -ne 0 ]]; then
  echo "lint-spec: FAILED" >&2
else
  echo "lint-spec: OK (0 errors, 0 warnings)"
fi
exit $status
