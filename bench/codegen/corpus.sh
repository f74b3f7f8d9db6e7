#!/usr/bin/env bash
# Corpus sweep (issue 17): `tether generate` on every spec of the APIs.guru corpus (1,322
# specs, extracted into build/corpus when missing), recording exit status, time and peak
# memory per spec, each run bounded by a timeout; the sweep goes on after failures. Shows
# whether peak memory stays under 1 GB on every spec. Writes corpus.tsv (one line a spec)
# and corpus.md (the summary table, now against the recorded corpus-baseline.tsv) beside
# this script; bench/report.sh puts corpus.md into docs/benchmarks.md.
#
#   bench/codegen/corpus.sh             the generator now, default settings -> corpus.tsv
#   bench/codegen/corpus.sh --baseline  the generator before (25382d9), --no-format (its
#                                        default ran clang-format over every output)
#                                        -> corpus-baseline.tsv
#
# Environment: JOBS (default 2), TIMEOUT (seconds per spec, default 600), NICE (default 0),
# GEN_ARGS (extra arguments of `tether generate`), plus what env.sh reads (TETHER,
# BASELINE_TETHER, TETHER_CORPUS). Takes about 10 minutes on a quiet 2-core machine with
# the baseline generator (graph-beta alone: 2.5 minutes); a faster generator takes less.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mode="${1:-now}"
case "$mode" in now|--baseline) ;; *) sed -n '2,18p' "$0" >&2; exit 2 ;; esac
if [ "$mode" = --baseline ]; then need_tether=0; else need_base=0; fi  # each side needs only its generator
source "$here/env.sh"
if [ "$mode" = --baseline ]; then
  gen="$base_tether"; out="$here/corpus-baseline.tsv"; args="${GEN_ARGS:---no-format}"
else
  gen="$tether"; out="$here/corpus.tsv"; args="${GEN_ARGS:-}"
fi
# shellcheck disable=SC2086
python3 "$here/corpus.py" "$corpus" "$out" "$gen" "${JOBS:-2}" "${TIMEOUT:-600}" "${NICE:-0}" $args
python3 "$here/corpus_report.py" "$here"
