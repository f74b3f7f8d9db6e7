#!/usr/bin/env bash
# Code generation benchmark (issue 17), in one run, on the specs of bench/codegen/specs.py
# (the Cloud API, Kubernetes, DigitalOcean, the synthetic 1000-operation spec, Stripe and
# the five largest specs of the APIs.guru corpus): per spec, the lines and bytes that
# `tether generate` writes now and before the issue (commit 25382d9) with the reduction
# factor; the time of `tether generate` with its default settings and its peak memory;
# openapi-typescript (the peer, pinned in tools/package.json) on the same file, with the
# ratio. Targets: lines at most 1/5 of the baseline on each spec; default generate at
# least 5x faster than openapi-typescript; peak memory under 1 GB.
# Writes results.md, results.svg (lines, before/after) and time.svg (generate vs peer)
# beside this script; bench/report.sh puts them into docs/benchmarks.md. Raw figures go to
# results.jsonl. Not a test: nothing here asserts a speed.
#
#   bench/codegen/run.sh
#
# Environment: RUNS (default 3; one when a run takes over 20 s), TIMEOUT (seconds per
# command, default 900), GEN_ARGS (extra arguments of `tether generate`, default none: the
# default settings are what is timed), SPECS="cloud kubernetes ..." (names from specs.py,
# default all), OPENAPI_TYPESCRIPT (the peer's binary, default tools/node_modules, set up
# by tools/setup.sh --npm), plus what env.sh reads: TETHER, BASELINE_TETHER, TETHER_CORPUS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
peer="${OPENAPI_TYPESCRIPT:-}"
if [ -z "$peer" ]; then
  "$root/tools/setup.sh" --npm
  peer="$root/tools/node_modules/.bin/openapi-typescript"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$here/specs.py" codegen "$root" "$shared" "$corpus" "$work" >"$work/specs"
wanted=" ${SPECS:-$(cut -f1 "$work/specs" | tr '\n' ' ')} "
# shellcheck disable=SC2206
gen_args=(${GEN_ARGS:-})
: >"$work/results.jsonl"
while IFS=$'\t' read -r name path; do
  case "$wanted" in *" $name "*) ;; *) continue ;; esac
  echo "bench/codegen: $name" >&2
  python3 "$here/measure.py" "$name" "$path" "$work" "$tether" "$base_tether" "$peer" \
    "${RUNS:-3}" "${TIMEOUT:-900}" "${gen_args[@]}" | tee -a "$work/results.jsonl" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("  now", r["now"].get("lines"), "lines", r["now"]["status"], round(r["now"]["wall_s"],2), "s;", "before", r["base"].get("lines"), "lines; peer", r["peer"]["status"], round(r["peer"]["wall_s"],2), "s")' >&2
done <"$work/specs"
cp "$work/results.jsonl" "$here/results.jsonl"
python3 "$here/report.py" "$here" "$tether" "$base_tether" "$("$peer" --version 2>/dev/null | tail -n 1)"
