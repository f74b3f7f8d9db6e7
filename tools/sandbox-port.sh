#!/usr/bin/env bash
# Waits for a tether-sandbox started with --port 0 to say where it listens, and prints the
# port. The scripts that start sandboxes (tools/main.sh, tests/sandbox/*.sh, bench/*) share
# this instead of each polling its own way.
#
#   port=$(tools/sandbox-port.sh STDOUT_FILE STDERR_FILE [SECONDS])
#
# Exit 1, with the sandbox's stderr on stderr, when nothing was said within SECONDS (30).
set -euo pipefail
out=$1 err=$2 seconds=${3:-30}
for _ in $(seq 1 $((seconds * 10))); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$out" 2>/dev/null)
  if [ -n "$port" ]; then
    echo "$port"
    exit 0
  fi
  sleep 0.1
done
echo "the sandbox did not start within ${seconds} s:" >&2
cat "$err" >&2 2>/dev/null || true
exit 1
