#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: install what is missing, build (release),
# check the Cloud API spec, regenerate generated/ (the published openapi.json/.yaml and the
# C++ the generator renders), start the sandbox on its embedded SQLite default, run the
# conformance runner against it (the Cloud API suites and the generated checks), stop the
# sandbox, and write out/report.md.
#
# Outputs in out/: report.md (the summary), validate.log, cloud-api.ir.json,
# conformance.html (the runner's report), conformance.json and conformance.xml (JUnit),
# conformance.log (its findings with curl reproductions), sandbox.log (the sandbox's JSON request log), sandbox.db (its data).
# Exit status: 0 when the spec is valid and the sandbox honours the contract; else 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

tools/setup.sh --npm
[ -f build/release/CMakeCache.txt ] || cmake --preset release >/dev/null
echo "main: building (release): tether"
cmake --build build/release --target tether >/dev/null
tether=build/release/generator/tether

mkdir -p out
echo "main: validating spec/openapi.yaml"
set +e
"$tether" validate --strict spec/openapi.yaml 2>out/validate.log
validate_status=$?
set -e
cat out/validate.log >&2
# Regenerate before building what compiles generated/cpp: the generator rewrites only files
# whose text changed, so a second run of this job rebuilds nothing.
TETHER=$tether tools/regenerate.sh
echo "main: building (release): tether-sandbox, tether-conform"
cmake --build build/release --target tether-sandbox tether-conform >/dev/null
"$tether" generate spec/openapi.yaml --ir out/cloud-api.ir.json

# The sandbox on a fresh SQLite file, with scripted test-mode admin keys for two tenants
# (sk_test_: the runner refuses live keys unless told otherwise; the second tenant's key
# drives the cross-tenant checks), on a free loopback port. Its rate limit is raised for
# this run: the checks send thousands of requests in seconds, a load the default 100 per
# minute would refuse (the rate-limit suite runs in the tests, against a sandbox of its
# own). Its clock runs 10x, so lifecycles (deployments, databases) finish in seconds.
rm -f out/sandbox.db out/sandbox.db-wal out/sandbox.db-shm
newkey() { echo "sk_test_$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"; }
key=$(newkey) key2=$(newkey)
TETHER_SANDBOX_ADMIN_KEY=$key TETHER_SANDBOX_OTHER_TENANT_KEY=$key2 build/release/sandbox/tether-sandbox \
  --database out/sandbox.db --port 0 \
  --key-file out/sandbox.key --openapi generated/openapi.json --docs-dir tools/node_modules/redoc/bundles \
  --rate-limit 100000 --clock-speed 10 \
  >out/sandbox.out 2>out/sandbox.log &
sandbox_pid=$!
trap 'kill -TERM $sandbox_pid 2>/dev/null || true' EXIT
port=$(tools/sandbox-port.sh out/sandbox.out out/sandbox.log) || { echo "main: the sandbox did not start" >&2; exit 1; }
echo "main: sandbox listening on http://127.0.0.1:$port (docs: /docs)"

echo "main: running the Cloud API suites and the generated checks against the sandbox"
set +e
build/release/conformance/tether-conform run --spec generated/openapi.json --base-url "http://127.0.0.1:$port" \
  --token "$key" --token2 "$key2" --suite conformance/suites/cloud --exclude-tag rate-limit \
  --seed 1 --workers 4 --json out/conformance.json --junit out/conformance.xml --html out/conformance.html \
  --cassette-out out/conformance.cassette.jsonl --quiet >out/conformance.log 2>&1
conform_status=$?
set -e
kill -TERM "$sandbox_pid"
wait "$sandbox_pid" || true
trap - EXIT

python3 - "$validate_status" "$conform_status" <<'PY'
import json, sys
validate_status, conform_status = int(sys.argv[1]), int(sys.argv[2])
ir = json.load(open("out/cloud-api.ir.json"))
try:
    conform = json.load(open("out/conformance.json"))["summary"]
except (OSError, ValueError, KeyError):
    conform = None
by_tag = {}
for op in ir["operations"]:
    for tag in op["tags"] or ["(untagged)"]:
        by_tag[tag] = by_tag.get(tag, 0) + 1
named = sum(1 for t in ir["types"] if t.get("named"))
if conform is None:
    conform_line = f"did not run (exit {conform_status}), see out/conformance.log"
else:
    conform_line = (f"{conform['cases']} cases, {conform['passed']} passed, {conform['failed']} failed, "
                    f"{conform['findings']} findings, {conform['requests']} requests"
                    + (" (conformant)" if conform_status == 0 else "; findings in out/conformance.log"))
lines = [
    f"# Main job report: {ir['title']} {ir['version']}",
    "",
    f"- Spec check (`tether validate --strict spec/openapi.yaml`): "
    + ("passed, 0 errors, 0 warnings" if validate_status == 0 else "FAILED, see out/validate.log"),
    f"- Operations: {len(ir['operations'])}; webhook events: {len(ir['webhooks'])}; named schemas: {named}; "
    f"IR types: {len(ir['types'])}",
    "- Published: `generated/openapi.json`, `generated/openapi.yaml`; C++: `generated/cpp/`",
    f"- Conformance of the sandbox (SQLite): {conform_line}",
    "  (suites in `conformance/suites/cloud` and generated checks; HTML: `out/conformance.html`, "
    "JSON: `out/conformance.json`, JUnit: `out/conformance.xml`, sandbox log: `out/sandbox.log`)",
    "",
    "| tag | operations |",
    "|---|---:|",
] + [f"| {tag} | {count} |" for tag, count in by_tag.items()]
open("out/report.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines[:7]))
PY
echo "main: report written to out/report.md"
[ "$validate_status" -eq 0 ] && [ "$conform_status" -eq 0 ]
