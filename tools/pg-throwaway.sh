#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: initdb into a fresh folder, start it with
# pg_ctl on 127.0.0.1 at a free port (its Unix socket in the same folder), create the
# database `tether_test`, and later stop it and delete the folder. Installs nothing:
# tools/setup.sh installs postgresql-15 (Debian's binaries live in /usr/lib/postgresql/*/bin;
# 15 is preferred; PG_BIN overrides).
#
#   tools/pg-throwaway.sh start DIR [OWNER_PID]   DIR must be empty or not exist
#   tools/pg-throwaway.sh url DIR                 prints postgresql://tether@127.0.0.1:PORT/tether_test
#   tools/pg-throwaway.sh stop DIR                idempotent: a missing or dead server is fine
#   tools/pg-throwaway.sh run CMD [ARG...]        start, run CMD with TETHER_TEST_POSTGRES_URL
#                                                 set, stop (on any exit), exit with CMD's status
#
# It is a test database and nothing else: trust authentication on loopback only, fsync
# and synchronous commit off (a crash may lose it, which does not matter here). initdb
# refuses to run as root, so as root the server runs as Debian's `postgres` user.
# `start` also leaves a watchdog that stops the server when OWNER_PID (default: the
# caller) is gone, so a caller killed with -9 does not leave a server behind.
# `run` respects a TETHER_TEST_POSTGRES_URL already set (then it starts nothing); when no
# server can be started it prints why and runs CMD anyway (the PostgreSQL cases skip),
# except under CI=true, where that is an error.
set -euo pipefail
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

die() { echo "pg-throwaway: $*" >&2; exit 1; }

find_bin() {
  if [ -n "${PG_BIN:-}" ]; then [ -x "$PG_BIN/pg_ctl" ] && echo "$PG_BIN"; return; fi
  if [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then echo /usr/lib/postgresql/15/bin; return; fi
  local best
  best=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n | tail -n 1 || true)
  [ -n "$best" ] && [ -x "$best/pg_ctl" ] || return 1
  echo "$best"
}

# Runs a command as the server's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Kills what is left of a server whose postmaster died (kill -9): its processes all have
# the data folder as their working directory.
kill_leftovers() {
  local data=$1 p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/cwd" 2>/dev/null)" = "$data" ] && kill -9 "${p#/proc/}" 2>/dev/null || true
  done
}

cmd_start() {
  # start_dir is global: the EXIT trap below may run outside this function.
  start_dir=$1
  local dir=$1 owner=${2:-$PPID} bin port tries=0
  bin=$(find_bin) || die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (install postgresql-15: tools/setup.sh)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  start_dir=$dir
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root and there is no 'postgres' user to run the server"
    chown postgres: "$dir"
    chmod 700 "$dir"
  fi
  # A failed start leaves nothing behind.
  trap 'status=$?; [ "$status" -eq 0 ] || cmd_stop "$start_dir"; exit "$status"' EXIT
  as_owner "$bin/initdb" -D "$dir/data" --username=tether --auth=trust --encoding=UTF8 \
    --locale=C --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  cat >>"$dir/data/postgresql.conf" <<EOF

# tools/pg-throwaway.sh: a throwaway test server, loopback only, durability off.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # A free port: skip the ones something listens on; retry if another start took it meanwhile.
  while :; do
    tries=$((tries + 1))
    [ "$tries" -le 20 ] || { cat "$dir/server.log" >&2 || true; die "could not start the server"; }
    port=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    rm -f "$dir/server.log"
    if as_owner "$bin/pg_ctl" start -D "$dir/data" -w -t 60 -l "$dir/server.log" -o "-p $port" >/dev/null 2>&1; then
      break
    fi
    grep -q 'could not bind\|could not create lock file\|already in use' "$dir/server.log" 2>/dev/null ||
      { cat "$dir/server.log" >&2 || true; die "pg_ctl start failed"; }
  done
  as_owner "$bin/createdb" -h "$dir" -p "$port" -U tether tether_test
  echo "$bin" >"$dir/bin"
  echo "postgresql://tether@127.0.0.1:$port/tether_test" >"$dir/url"
  trap - EXIT
  # The watchdog: detached, its output in the folder, gone once the folder is.
  setsid bash -c 'while [ -d "$2" ] && kill -0 "$3" 2>/dev/null; do sleep 1; done
                  [ -d "$2" ] && exec "$1" stop "$2"; exit 0' \
    watchdog "$self" "$dir" "$owner" </dev/null >>"$dir/watchdog.log" 2>&1 &
  echo $! >"$dir/watchdog.pid"
}

cmd_url() {
  [ -f "$1/url" ] || die "no server in $1"
  cat "$1/url"
}

cmd_stop() {
  local dir=$1 bin wd
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/data/postmaster.pid" ]; then
    bin=$(cat "$dir/bin" 2>/dev/null || find_bin || true)
    if [ -n "$bin" ]; then
      as_owner "$bin/pg_ctl" stop -D "$dir/data" -m fast -w -t 30 >/dev/null 2>&1 ||
        as_owner "$bin/pg_ctl" stop -D "$dir/data" -m immediate -w -t 10 >/dev/null 2>&1 || true
    fi
  fi
  [ -d "$dir/data" ] && kill_leftovers "$dir/data"
  if [ -f "$dir/watchdog.pid" ]; then
    wd=$(cat "$dir/watchdog.pid")
    # Unless we are the watchdog (it execs this stop).
    [ "$wd" != "$$" ] && kill "$wd" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

cmd_run() {
  [ $# -gt 0 ] || die "usage: tools/pg-throwaway.sh run CMD [ARG...]"
  if [ -n "${TETHER_TEST_POSTGRES_URL:-}" ]; then
    "$@"
    return
  fi
  local status=0
  # run_dir is global: the EXIT trap runs after this function has returned.
  run_dir=$(mktemp -d "${TMPDIR:-/tmp}/tether-pg.XXXXXX")
  trap 'cmd_stop "$run_dir"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if "$self" start "$run_dir" $$; then
    TETHER_TEST_POSTGRES_URL=$(cmd_url "$run_dir")
    export TETHER_TEST_POSTGRES_URL
    echo "pg-throwaway: PostgreSQL for the tests at $TETHER_TEST_POSTGRES_URL"
  elif [ "${CI:-}" = true ]; then
    die "no PostgreSQL server for the tests (CI=true requires one)"
  else
    echo "pg-throwaway: no PostgreSQL server; the PostgreSQL test cases will skip" >&2
  fi
  "$@" || status=$?
  return "$status"
}

case "${1:-}" in
  start) [ $# -ge 2 ] || die "usage: start DIR [OWNER_PID]"; cmd_start "$2" "${3:-$PPID}" ;;
  url) [ $# -eq 2 ] || die "usage: url DIR"; cmd_url "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: stop DIR"; cmd_stop "$2" ;;
  run) shift; cmd_run "$@" ;;
  *) echo "usage: tools/pg-throwaway.sh start DIR [OWNER_PID] | url DIR | stop DIR | run CMD [ARG...]" >&2; exit 2 ;;
esac
