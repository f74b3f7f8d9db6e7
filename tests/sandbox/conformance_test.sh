#!/usr/bin/env bash
# The conformance runner against the sandbox: start tether-sandbox (SQLite, or PostgreSQL
# when the third argument is "postgres": a schema of its own on $TETHER_TEST_POSTGRES_URL),
# run the Cloud API suites (operations and flows) together with tether-conform's generated
# checks for every operation (cross-tenant ones too: the sandbox starts with a second
# tenant whose key is --token2) with a fixed seed, 4 workers, and require zero findings
# (exit 0). The suites tagged `rate-limit` spend a key's whole budget: they run in a second
# pass against a second sandbox started with a low limit. Findings, if any, are printed
# with their curl reproductions.
#
#   tests/sandbox/conformance_test.sh SANDBOX CONFORM sqlite|postgres OPENAPI_JSON [SEED] [SUITES] [CLOCK_SPEED]
#
# SUITES defaults to conformance/suites/cloud; CLOCK_SPEED (sandbox seconds per real
# second, default 10) makes the lifecycles the flow suites poll for finish in seconds
# while leaving a deployment unfinished long enough to be canceled.
# Without PostgreSQL the postgres case skips (exit 77), except under CI=true.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sandbox=$1 conform=$2 backend=$3 openapi=$4 seed=${5:-1}
suites=${6:-$here/../../conformance/suites/cloud} speed=${7:-10}
work=$(mktemp -d)
pids=()
schemas=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  for s in "${schemas[@]}"; do
    psql "$TETHER_TEST_POSTGRES_URL" -q -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$backend" = "postgres" ] && [ -z "${TETHER_TEST_POSTGRES_URL:-}" ]; then
  echo "conformance_test: SKIPPED: TETHER_TEST_POSTGRES_URL is not set (tools/pg-throwaway.sh run sets it)"
  [ "${CI:-}" = "true" ] && exit 1
  exit 77
fi

# database NAME: a SQLite file, or a fresh schema of its own on PostgreSQL.
database() {
  if [ "$backend" != "postgres" ]; then
    echo "$work/$1.db"
    return
  fi
  local schema="tether_conform_$1_$$"
  schemas+=("$schema")
  psql "$TETHER_TEST_POSTGRES_URL" -q -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
  local sep='?'
  case "$TETHER_TEST_POSTGRES_URL" in *\?*) sep='&' ;; esac
  echo "${TETHER_TEST_POSTGRES_URL}${sep}options=-csearch_path%3D$schema"
}

# start NAME RATE_LIMIT: a sandbox on its own database; sets $port.
start() {
  local name=$1 limit=$2 db
  db=$(database "$name")
  TETHER_SANDBOX_ADMIN_KEY=$key TETHER_SANDBOX_OTHER_TENANT_KEY=$key2 "$sandbox" --database "$db" --port 0 --key-file "$work/$name.key" \
    --rate-limit "$limit" --clock-speed "$speed" --quiet >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  port=$("$here/../../tools/sandbox-port.sh" "$work/$name.out" "$work/$name.err") ||
    { echo "conformance_test: the $name sandbox did not start"; exit 1; }
}

# conform NAME ARGS...: one tether-conform run; its log tail is printed, its status kept.
status=0
conform() {
  local name=$1
  shift
  local rc=0
  (cd "$work" && "$conform" run --spec "$openapi" --base-url "http://127.0.0.1:$port" --token "$key" --token2 "$key2" \
    --suite "$suites" --quiet --json "$work/$name.json" "$@") >"$work/$name.log" 2>&1 || rc=$?
  echo "== $name (exit $rc)"
  # The findings (each with its reproduction), then the summary.
  grep -A 3 '^\[[a-z-]*\] ' "$work/$name.log" | head -n 80 || true
  tail -n 25 "$work/$name.log"
  [ "$rc" -eq 0 ] || status=$rc
}

newkey() { echo "sk_test_$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"; }
# Two tenants: the second one's key drives the cross-tenant (bola) checks.
key=$(newkey) key2=$(newkey)

# Main pass: every suite but rate-limit, with the generated checks; the limit is high so
# that nothing else is refused.
start main 100000
conform main --seed "$seed" --workers 4 --exclude-tag rate-limit

# Rate-limit pass: a second sandbox that refuses after 20 requests per window.
start limited 20
conform limited --tag rate-limit --no-generated

for name in main limited; do
  if grep -q '"level":"error"' "$work/$name.err"; then
    echo "conformance_test: the $name sandbox logged errors:"; grep '"level":"error"' "$work/$name.err" | head -20
    status=1
  fi
done
exit "$status"
