#!/usr/bin/env bash
# Runs tether-conform's generated checks (--seed 1) against Stoplight Prism's mock server
# (pinned in tools/package.json) for the OAI petstore examples: a mock nobody here wrote.
# For each spec: starts `prism mock` on a free loopback port, runs the checks, writes the
# JSON, HTML and text reports to OUT_DIR/<spec>.{json,html,txt}, and stops Prism again.
# The outcome is analysed in docs/conformance-prism.md.
#
#   tools/prism-petstore.sh [OUT_DIR [TETHER_CONFORM_ARGS...]]   (default: out/prism-petstore)
#     e.g. tools/prism-petstore.sh out/p --no-problem-json
#   TETHER_CONFORM=path/to/tether-conform      (default: build/release, else build/debug)
#   PETSTORE_DIR=folder holding petstore.yaml  (default: the OAI examples in /work/shared/data)
#
# Exit code 0 when every run finished (findings are the result, not an error); 2 when a
# tool is missing or Prism did not start.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/out/prism-petstore}
shift $(( $# > 0 ? 1 : 0 ))
extra=("$@")
examples=${PETSTORE_DIR:-/work/shared/data/openapi/oai/examples/v3.0}
prism=$root/tools/node_modules/.bin/prism

conform=${TETHER_CONFORM:-}
if [ -z "$conform" ]; then
  for candidate in "$root/build/release/conformance/tether-conform" "$root/build/debug/conformance/tether-conform"; do
    if [ -x "$candidate" ]; then conform=$candidate; break; fi
  done
fi
[ -n "$conform" ] && [ -x "$conform" ] || { echo "prism-petstore: build tether-conform first" >&2; exit 2; }
[ -x "$prism" ] || { echo "prism-petstore: $prism missing: run tools/setup.sh --npm" >&2; exit 2; }
mkdir -p "$out"

prism_pid=
stop_prism() {
  if [ -n "$prism_pid" ]; then
    kill "$prism_pid" 2>/dev/null || true
    wait "$prism_pid" 2>/dev/null || true
    prism_pid=
  fi
}
trap stop_prism EXIT INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts Prism for one spec and waits (up to 60 s) until it answers on its port.
start_prism() {
  local spec=$1 port=$2 log=$3
  "$prism" mock --host 127.0.0.1 --port "$port" "$spec" >"$log" 2>&1 &
  prism_pid=$!
  for _ in $(seq 1 600); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then return 0; fi
    kill -0 "$prism_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "prism-petstore: Prism did not start for $spec; its log:" >&2
  cat "$log" >&2
  return 1
}

echo "tether-conform: $conform"
echo "prism:          $("$prism" --version)"
for name in petstore petstore-expanded; do
  spec=$examples/$name.yaml
  [ -f "$spec" ] || { echo "prism-petstore: $spec missing (set PETSTORE_DIR)" >&2; exit 2; }
  port=$(free_port)
  start_prism "$spec" "$port" "$out/$name.prism.log" || exit 2
  set +e
  "$conform" run --spec "$spec" --base-url "http://127.0.0.1:$port" --seed 1 --quiet \
    --json "$out/$name.json" --html "$out/$name.html" --cassette-out "$out/$name.cassette.jsonl" ${extra[@]+"${extra[@]}"} \
    >"$out/$name.txt" 2>&1
  rc=$?
  set -e
  stop_prism
  echo
  echo "== $name.yaml (exit code $rc; reports in $out/$name.{json,html,txt})"
  # The summary table: everything after the last finding.
  sed -n '/^kind /,$p' "$out/$name.txt"
  [ "$rc" -le 1 ] || { echo "prism-petstore: tether-conform failed on $name (exit $rc)" >&2; exit 2; }
done
