#!/usr/bin/env bash
# Sandbox load benchmark (issue 6): wrk on loopback, 64 connections for 30 s each, against
#   - tether-sandbox (SQLite, release build): an authenticated GET of a real project and an
#     authenticated POST creating a project (a new name and Idempotency-Key per request), on
#     its default event-loop transport and again on the cpp-httplib transport
#     (--http-engine httplib), to show what the transport costs;
#   - Prism's mock server (npm @stoplight/prism-cli, pinned in tools/package.json) serving
#     the same spec (generated/openapi.json) with the same requests: the peer;
#   - a bare cpp-httplib hello-world (hello_server.cpp, set up like the sandbox's server):
#     the ceiling.
# All in one run; it reports requests/s, p50/p99 latency and each server's peak RSS
# (VmHWM), and writes results.md and results.svg beside this script (docs/benchmarks.md
# shows them). Not a test: nothing here asserts a speed. wrk and the servers share the
# machine's cores; the targets apply to that setup.
#
#   bench/sandbox_load/run.sh [seconds]      (default 30)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-30}"
case "$seconds" in '' | *[!0-9]*) echo "usage: bench/sandbox_load/run.sh [seconds]" >&2; exit 2 ;; esac
connections=64
# One wrk thread: wrk shares the 2 cores with the server under test, and a second thread of
# it is a fourth busy thread on 2 cores, whose scheduling shows up in every server's p99 (the
# bare ceiling's too). The sandbox and the ceiling are also measured with two (the setting of
# earlier runs), so both are on record.
wrk_threads=1
loops=2     # the sandbox's event loops (--threads): one per core
threads=64  # httplib servers' workers, one per connection: cpp-httplib holds a worker per open connection

command -v wrk >/dev/null || { echo "bench/sandbox_load: wrk missing (tools/setup.sh installs it)" >&2; exit 2; }
command -v gnuplot >/dev/null || { echo "bench/sandbox_load: gnuplot missing (tools/setup.sh installs it)" >&2; exit 2; }
"$root/tools/setup.sh" --npm
prism="$root/tools/node_modules/.bin/prism"
if [ ! -f "$root/build/release/CMakeCache.txt" ]; then cmake --preset release -S "$root" >/dev/null; fi
flock /tmp/tether-build.lock cmake --build "$root/build/release" -j2 --target tether-sandbox tether_sandbox_hello_server >/dev/null
sandbox="$root/build/release/sandbox/tether-sandbox"
hello="$root/build/release/bench/sandbox_load/tether_sandbox_hello_server"

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Waits until the server started as "$1" prints its port in file "$2"; prints the port.
port_of() {
  for _ in $(seq 1 300); do
    if port=$(grep -o '127\.0\.0\.1:[0-9]*' "$2" 2>/dev/null | head -1 | cut -d: -f2) && [ -n "$port" ]; then
      echo "$port"
      return
    fi
    sleep 0.1
  done
  echo "bench/sandbox_load: $1 did not start; its output:" >&2
  cat "$2" >&2
  exit 1
}

key="sk_test_$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9 | head -c 32)"
TETHER_SANDBOX_ADMIN_KEY="$key" "$sandbox" --database "$work/sandbox.db" --key-file "$work/master.key" --port 0 \
  --threads "$loops" --rate-limit 1000000000 --quiet >"$work/sandbox.out" 2>&1 &
pids+=($!)
sandbox_pid=$!
sandbox_port=$(port_of tether-sandbox "$work/sandbox.out")

TETHER_SANDBOX_ADMIN_KEY="$key" "$sandbox" --database "$work/sandbox-httplib.db" --key-file "$work/master.key" \
  --port 0 --http-engine httplib --threads "$threads" --rate-limit 1000000000 --quiet >"$work/sandbox-httplib.out" 2>&1 &
pids+=($!)
sandbox_httplib_pid=$!
sandbox_httplib_port=$(port_of tether-sandbox-httplib "$work/sandbox-httplib.out")

"$hello" --port 0 --threads "$threads" >"$work/hello.out" 2>&1 &
pids+=($!)
hello_pid=$!
hello_port=$(port_of hello_server "$work/hello.out")

prism_port=$(free_port)
# -v error: Prism logs every request at its default level; the peer runs without that cost,
# as the sandbox runs with --quiet.
"$prism" mock "$root/generated/openapi.json" -h 127.0.0.1 -p "$prism_port" -v error >"$work/prism.out" 2>&1 &
pids+=($!)
prism_pid=$!
for _ in $(seq 1 600); do
  curl -s -o /dev/null "http://127.0.0.1:$prism_port/" && break
  sleep 0.1
done

# The GET reads a project that exists; the same path goes to Prism (any id answers there).
create_project() {
  curl -sf -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"name":"load-benchmark"}' "http://127.0.0.1:$1/v1/projects" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}
project=$(create_project "$sandbox_port")
export BENCH_KEY="$key" BENCH_PATH="/v1/projects/$project"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# One wrk run: name, port, script[, wrk threads]; its figures (report.lua's line) go to
# runs.jsonl.
run() {
  echo "bench/sandbox_load: $1 ($seconds s, $connections connections)" >&2
  wrk -t"${4:-$wrk_threads}" -c"$connections" -d"${seconds}s" --latency -s "$here/$3" "http://127.0.0.1:$2" >"$work/$1.txt" 2>&1 ||
    { cat "$work/$1.txt" >&2; exit 1; }
  python3 - "$1" "$work/$1.txt" >>"$work/runs.jsonl" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
line = next(l for l in open(path) if l.startswith("WRK_JSON "))
figures = json.loads(line[len("WRK_JSON "):])
figures["name"] = name
print(json.dumps(figures))
PY
}
run hello-get "$hello_port" get.lua
run hello-post "$hello_port" post.lua
run sandbox-get "$sandbox_port" get.lua
run sandbox-post "$sandbox_port" post.lua
BENCH_PATH="/v1/projects/$(create_project "$sandbox_httplib_port")" run sandbox_httplib-get "$sandbox_httplib_port" get.lua
run sandbox_httplib-post "$sandbox_httplib_port" post.lua
run prism-get "$prism_port" get.lua
run prism-post "$prism_port" post.lua
run sandbox-get-t2 "$sandbox_port" get.lua 2
run hello-get-t2 "$hello_port" get.lua 2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Peak resident memory of a process and its children (Prism's CLI may fork), in MB.
peak_mb() {
  local total=0 pid
  for pid in $1 $(pgrep -P "$1" || true); do
    total=$((total + $(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")))
  done
  echo $((total / 1024))
}
{
  echo "sandbox $(peak_mb "$sandbox_pid")"
  echo "sandbox_httplib $(peak_mb "$sandbox_httplib_pid")"
  echo "hello $(peak_mb "$hello_pid")"
  echo "prism $(peak_mb "$prism_pid")"
} >"$work/rss.txt"
rows=$(sqlite3 "$work/sandbox.db" "SELECT COUNT(*) FROM resources WHERE kind = 'project'" 2>/dev/null || echo "?")

python3 "$here/report.py" "$work/runs.jsonl" "$work/rss.txt" "$here" \
  --seconds "$seconds" --connections "$connections" --wrk-threads "$wrk_threads" --loops "$loops" --threads "$threads" \
  --prism "$("$prism" --version)" --wrk "$(wrk -v 2>&1 | head -1)" \
  --load-before "$load_before" --load-after "$load_after" --projects "$rows"
gnuplot -e "dir='$here'; wrk_threads=$wrk_threads" "$here/chart.gp" && rm -f "$here/chart.dat"
echo "bench/sandbox_load: wrote $here/results.md and $here/results.svg"
