#!/usr/bin/env bash
# Corpus compile sweep (issue 18): every spec of the APIs.guru corpus (1,322 specs, extracted
# into build/corpus when missing) generated with `tether generate --parts 1` and its whole
# output compiled as one unit with g++ -std=c++20 -fsyntax-only -Wall -Wextra. Records per
# spec the status (ok, warnings, generate-failed, compile-failed, wall-limit), CPU times and
# the compiler's peak memory in corpus-compile.tsv, and the summary (specs compiled,
# failures by class, CPU) in corpus-compile.md beside this script; bench/report.sh puts it
# into docs/benchmarks.md. Too long for CI (about an hour of CPU on 2 cores): CI compiles a
# rotating sample instead (tests/codegen/corpus_sample_test.cpp).
#
#   bench/codegen/corpus_compile.sh      resumes: specs already in corpus-compile.tsv are
#                                        skipped (delete it to start over)
#
# Environment: JOBS (default 2), TIMEOUT (seconds per step, default 900), NICE (default 0),
# CXX (default g++), plus what env.sh reads (TETHER, TETHER_CORPUS).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
need_base=0
source "$here/env.sh"
root="$(cd "$here/../.." && pwd)"
includes=""
for module in model schema http server client; do includes+=" -I$root/runtime/$module/include"; done
python3 "$here/corpus_compile.py" "$corpus" "$here/corpus-compile.tsv" "$tether" "${CXX:-g++}" "$includes" \
  "${JOBS:-2}" "${TIMEOUT:-900}" "${NICE:-0}"
python3 "$here/corpus_compile_report.py" "$here"
