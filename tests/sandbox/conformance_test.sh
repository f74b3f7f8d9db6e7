#!/usr/bin/env bash
# The conformance runner against the sandbox: start tether-sandbox (SQLite, or PostgreSQL
# when the second argument is "postgres": a schema of its own on $TETHER_TEST_POSTGRES_URL),
# run tether-conform's generated checks for every operation of the Cloud API with a fixed
# seed, and require zero findings (exit 0). The findings, if any, are printed with their
# curl reproductions.
#
#   tests/sandbox/conformance_test.sh SANDBOX CONFORM sqlite|postgres OPENAPI_JSON [SEED]
#
# Without PostgreSQL the postgres case skips (exit 77), except under CI=true.
set -euo pipefail
sandbox=$1 conform=$2 backend=$3 openapi=$4 seed=${5:-1}
work=$(mktemp -d)
pid=""
schema=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$schema" ]; then psql "$TETHER_TEST_POSTGRES_URL" -q -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

database="$work/sandbox.db"
if [ "$backend" = "postgres" ]; then
  if [ -z "${TETHER_TEST_POSTGRES_URL:-}" ]; then
    echo "conformance_test: SKIPPED: TETHER_TEST_POSTGRES_URL is not set (tools/pg-throwaway.sh run sets it)"
    [ "${CI:-}" = "true" ] && exit 1
    exit 77
  fi
  schema="tether_conform_$$"
  psql "$TETHER_TEST_POSTGRES_URL" -q -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
  sep='?'; case "$TETHER_TEST_POSTGRES_URL" in *\?*) sep='&' ;; esac
  database="${TETHER_TEST_POSTGRES_URL}${sep}options=-csearch_path%3D$schema"
fi

key="sk_test_$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
TETHER_SANDBOX_ADMIN_KEY=$key "$sandbox" --database "$database" --port 0 --key-file "$work/master.key" \
  --rate-limit 100000 --quiet >"$work/out.txt" 2>"$work/err.txt" &
pid=$!
port=""
for _ in $(seq 1 300); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/out.txt")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "conformance_test: the sandbox did not start:"; cat "$work/err.txt"; exit 1; }

status=0
(cd "$work" && "$conform" run --spec "$openapi" --base-url "http://127.0.0.1:$port" --token "$key" --seed "$seed" \
  --workers 4 --quiet --json "$work/report.json") >"$work/conform.log" 2>&1 || status=$?
tail -n 25 "$work/conform.log"
if grep -q '"level":"error"' "$work/err.txt"; then
  echo "conformance_test: the sandbox logged errors:"; grep '"level":"error"' "$work/err.txt" | head -20
  status=1
fi
exit "$status"
