#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: install what is missing, build, check the
# Cloud API spec, regenerate generated/ (the published openapi.json/.yaml), compile the
# spec to its IR, and write a report to out/report.md.
#
# The sandbox and the conformance run join this job as those pieces land (see README).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

tools/setup.sh
[ -f build/release/CMakeCache.txt ] || cmake --preset release >/dev/null
echo "main: building (release)"
cmake --build build/release --target tether >/dev/null
tether=build/release/generator/tether

mkdir -p out
echo "main: validating spec/openapi.yaml"
set +e
"$tether" validate --strict spec/openapi.yaml 2>out/validate.log
validate_status=$?
set -e
cat out/validate.log >&2
TETHER=$tether tools/regenerate.sh
"$tether" generate spec/openapi.yaml --ir out/cloud-api.ir.json

python3 - "$validate_status" <<'PY'
import json, sys
status = int(sys.argv[1])
ir = json.load(open("out/cloud-api.ir.json"))
by_tag = {}
for op in ir["operations"]:
    for tag in op["tags"] or ["(untagged)"]:
        by_tag[tag] = by_tag.get(tag, 0) + 1
named = sum(1 for t in ir["types"] if t.get("named"))
lines = [
    f"# Main job report: {ir['title']} {ir['version']}",
    "",
    f"- Spec check (`tether validate --strict spec/openapi.yaml`): "
    + ("passed, 0 errors, 0 warnings" if status == 0 else "FAILED, see out/validate.log"),
    f"- Operations: {len(ir['operations'])}; webhook events: {len(ir['webhooks'])}; named schemas: {named}; "
    f"IR types: {len(ir['types'])}",
    "- Published: `generated/openapi.json`, `generated/openapi.yaml`",
    "- IR: `out/cloud-api.ir.json`",
    "- Sandbox and conformance run: not part of the main job yet (their issues are open).",
    "",
    "| tag | operations |",
    "|---|---:|",
] + [f"| {tag} | {count} |" for tag, count in by_tag.items()]
open("out/report.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines[:6]))
PY
echo "main: report written to out/report.md"
exit "$validate_status"
