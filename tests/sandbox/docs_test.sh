#!/usr/bin/env bash
# The sandbox's /docs page in a real browser: start tether-sandbox on a free loopback port
# (fresh SQLite database, Redoc from tools/node_modules), load /docs in headless Chromium
# (Debian's `chromium`), and check that Redoc rendered the operation list from
# /openapi.json: the summaries of operations of several tags are in the DOM. Then SIGTERM
# the sandbox and check that it stopped cleanly (exit status 0).
#
#   tests/sandbox/docs_test.sh SANDBOX_BINARY OPENAPI_JSON DOCS_DIR
#
# Without chromium or Redoc it skips (exit 77) with a message; under CI=true that fails.
set -euo pipefail
sandbox=$1 openapi=$2 docs=$3
skip() {
  echo "docs_test: SKIPPED: $1"
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  exit 77
}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || skip "chromium is not installed (tools/setup.sh installs it)"
[ -f "$docs/redoc.standalone.js" ] || skip "Redoc is not installed (tools/setup.sh --npm installs it)"

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$sandbox" --database "$work/sandbox.db" --port 0 --openapi "$openapi" --docs-dir "$docs" --quiet \
  >"$work/out.txt" 2>"$work/err.txt" &
pid=$!
port=$("$(dirname "$0")/../../tools/sandbox-port.sh" "$work/out.txt" "$work/err.txt") ||
  { echo "docs_test: the sandbox did not start"; exit 1; }

# --virtual-time-budget lets Redoc fetch the spec and render before the DOM is dumped.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --user-data-dir="$work/profile" --virtual-time-budget=20000 --dump-dom "http://127.0.0.1:$port/docs" \
  >"$work/dom.html" 2>"$work/chromium.log" || true

status=0
for summary in "List projects" "Create a project" "Trigger a deployment" "List webhook endpoints"; do
  if grep -q "$summary" "$work/dom.html"; then
    echo "docs_test: rendered: $summary"
  else
    echo "docs_test: FAILED: \"$summary\" is not in the rendered /docs page"
    status=1
  fi
done
if [ "$status" -ne 0 ]; then
  echo "--- DOM (first 40 lines)"; head -n 40 "$work/dom.html"
  echo "--- chromium log (last 20 lines)"; tail -n 20 "$work/chromium.log"
fi

# Graceful shutdown: SIGTERM, then the process exits by itself with status 0.
kill -TERM "$pid"
for _ in $(seq 1 300); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
  echo "docs_test: FAILED: the sandbox did not stop within 30 s of SIGTERM"
  exit 1
fi
wait "$pid" && echo "docs_test: the sandbox stopped cleanly on SIGTERM" || { echo "docs_test: FAILED: non-zero exit after SIGTERM"; status=1; }
pid=""
exit "$status"
