#!/usr/bin/env bash
# Compile-time benchmark of the generated C++ (issue 17): the whole generated code of
# Kubernetes, the synthetic 1000-operation spec and the largest specs of the corpus
# (bench/codegen/specs.py says which and why), every .cpp compiled with
# `g++ -std=c++20 -O0 -c`, 2 units at a time. Per spec: CPU time (user + sys of every
# unit), wall time of the build, the slowest unit and the peak memory of the largest unit,
# now against the generator before the issue (commit 25382d9), with the ratio.
# Targets: at most a third of the baseline's CPU time, no unit above 1 GB.
#
#   bench/codegen_compile/run.sh             the generator now (TETHER=binary, else
#                                             build/release) into now.tsv (started afresh
#                                             unless RESUME=1), then the report
#   bench/codegen_compile/run.sh --baseline  the baseline generator into baseline.tsv
#                                             (committed; resumes: units already there are
#                                             kept), then the report
#   bench/codegen_compile/run.sh --report    only the report (results.md, results.svg)
#
# Environment: SPECS="kubernetes ops1000 ..." (names from specs.py; default: all),
# CPU_LIMIT=S per unit (default 900: a unit stopped there is recorded as "> S s", a lower
# bound), MEM_MB=M per unit (default 6144, like `ulimit -v`: a unit that needs more is
# recorded as "> M MB"), WALL_LIMIT=S per unit (default 4x CPU_LIMIT), BUDGET=S CPU seconds
# per spec (default none: units beyond it are skipped and the spec's totals become lower
# bounds), NICE=N (default 19 with --baseline, else 0), JOBS (default 2), plus what
# bench/codegen/env.sh reads (TETHER, BASELINE_TETHER, TETHER_CORPUS).
# Not a test: nothing here asserts a time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mode="${1:-now}"
case "$mode" in now|--baseline|--report) ;; *) sed -n '2,25p' "$0" >&2; exit 2 ;; esac

if [ "$mode" != --report ]; then
  # Each side needs only its own generator.
  if [ "$mode" = --baseline ]; then need_tether=0; else need_base=0; fi
  source "$here/../codegen/env.sh"
  work="${BENCH_WORK:-$(mktemp -d)}"
  [ -n "${BENCH_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
  mkdir -p "$work"
  if [ "$mode" = --baseline ]; then
    gen="$base_tether"; runtime="$base_src/runtime"; out="$here/baseline.tsv"; side=baseline
    nice_level="${NICE:-19}"
  else
    gen="$tether"; runtime="$root/runtime"; out="$here/now.tsv"; side=now
    nice_level="${NICE:-0}"
    [ -n "${RESUME:-}" ] || rm -f "$out" "$out.errors"
  fi
  cpu_limit="${CPU_LIMIT:-900}"; mem_mb="${MEM_MB:-6144}"; wall_limit="${WALL_LIMIT:-$((cpu_limit * 4))}"
  includes=()
  for inc in "$runtime"/*/include; do includes+=("-I$inc"); done  # every runtime module's headers

  python3 "$here/../codegen/specs.py" compile "$root" "$shared" "$corpus" "$work" >"$work/specs"
  wanted=" ${SPECS:-$(cut -f1 "$work/specs" | tr '\n' ' ')} "
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) $side: $gen ($("$gen" --version 2>/dev/null | head -n 1))," \
       "$(g++ --version | head -n 1), -std=c++20 -O0 -c, ${JOBS:-2} jobs, nice $nice_level," \
       "per unit: CPU $cpu_limit s, memory $mem_mb MB, wall $wall_limit s; spec budget ${BUDGET:-none};" \
       "bench/codegen_compile/run.sh $mode" >>"$out"
  while IFS=$'\t' read -r name path; do
    case "$wanted" in *" $name "*) ;; *) continue ;; esac
    dir="$work/$side/${name//\//_}"
    rm -rf "$dir"
    echo "bench/codegen_compile: $side, $name: generating" >&2
    "$gen" generate "$path" --cpp "$dir" --no-format >/dev/null
    python3 "$here/compile_units.py" --spec "$name" --dir "$dir" --out "$out" --jobs "${JOBS:-2}" \
      --cpu "$cpu_limit" --wall "$wall_limit" --mem-mb "$mem_mb" --nice "$nice_level" \
      ${BUDGET:+--budget "$BUDGET"} -- g++ -std=c++20 -O0 "${includes[@]}" -I"$dir"
    rm -rf "$dir"
  done <"$work/specs"
fi

python3 "$here/report.py" "$here"
