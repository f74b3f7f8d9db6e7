#!/usr/bin/env bash
# Checks that the main job is incremental: after a build, regenerating generated/ from an
# unchanged spec touches no file and the build has nothing left to do. This is what makes a
# second run of tools/main.sh rebuild nothing (the generator rewrites only files whose text
# changed, tools/regenerate.sh renders in place, the build has no always-run steps).
#
#   tools/check-incremental.sh [build-dir]     (default build/debug, as CI leaves it)
# Exit status 0 when nothing was rebuilt; 1 with Ninja's explanation otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build="${1:-build/debug}"
[ -f "$build/build.ninja" ] || { echo "check-incremental: $build is not a Ninja build folder" >&2; exit 2; }

before=$(find generated -type f -printf '%T@ %p\n' | sort)
TETHER="$build/generator/tether" tools/regenerate.sh >/dev/null
after=$(find generated -type f -printf '%T@ %p\n' | sort)
if [ "$before" != "$after" ]; then
  echo "check-incremental: regenerating an unchanged spec touched these files:" >&2
  diff <(echo "$before") <(echo "$after") | grep '^[<>]' >&2 || true
  exit 1
fi
# A real build, not `ninja -n`: the CONFIGURE_DEPENDS globs make a dry run always plan a
# re-run of CMake, while the real glob check finds nothing changed and does nothing.
log=$(ninja -C "$build" -d explain 2>&1)
if grep -qE '^\[[0-9]+/[0-9]+\] (Building|Linking|Generating|Re-running)' <<<"$log"; then
  echo "check-incremental: the build in $build did work after regenerating:" >&2
  grep -E "explain|^\[" <<<"$log" | head -n 40 >&2
  exit 1
fi
echo "check-incremental: regenerating touched no file and $build has no work to do"
