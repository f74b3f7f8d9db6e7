#!/usr/bin/env bash
# Installs what the project needs on Debian 12: the Debian packages listed in
# tools/debian-packages.txt (apt-get, only the missing ones) and, with --npm, the pinned
# npm peers of tools/package-lock.json (npm ci, only when the lock file changed).
# Idempotent, and quiet when everything is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

want_npm=0
for arg in "$@"; do
  case "$arg" in
    --npm) want_npm=1 ;;
    *) echo "usage: tools/setup.sh [--npm]" >&2; exit 2 ;;
  esac
done

missing=()
while read -r pkg; do
  [ -z "$pkg" ] && continue
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$root/tools/debian-packages.txt")

# Node.js and npm are only needed for the npm peers; a machine may already have them from
# another source (nodesource ships npm inside nodejs), so look for the commands.
if [ "$want_npm" -eq 1 ] && ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian package(s): ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if [ "$want_npm" -eq 1 ] && [ -f "$root/tools/package-lock.json" ]; then
  stamp="$root/tools/node_modules/.lock-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$root/tools/package-lock.json"; then
    echo "setup: installing the pinned npm peers (npm ci in tools/)"
    (cd "$root/tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$root/tools/package-lock.json" "$stamp"
  fi
fi
