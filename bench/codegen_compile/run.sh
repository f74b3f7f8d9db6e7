#!/usr/bin/env bash
# Compile-time benchmark of the generated C++: how long a spec's generated code takes to
# compile, and how much memory the largest translation unit needs, as the number of parts
# (`tether generate --parts N`: units per kind of code) grows. The point of the parts is a
# 1000-operation spec that compiles in parallel with bounded memory per unit.
#
# Specs: the synthetic 1000-operation spec (bench/codegen/make_ops_spec.py) and the Cloud
# API. Each spec is generated in full (models, validators, server, client) for every N in
# PARTS, then every .cpp is compiled with `g++ -std=c++20 -O0 -c` (the flags of a debug
# build without debug info), 2 at a time (the CI machine's cores), each under
# /usr/bin/time for its wall time and peak resident memory.
#
# There is no peer on the same input: OpenAPI Generator's C++ targets need a JVM and a jar
# from Maven Central, which this machine cannot reach. The baseline is one unit per kind
# (--parts 1), the layout most generators write.
#
#   bench/codegen_compile/run.sh [parts...]      (default: 1 2 4 8; TETHER=<binary> to skip
#                                                 building the release tether)
#
# Writes results.md and results.svg beside this script; bench/report.sh puts them into
# docs/benchmarks.md. Not a test: nothing here asserts a time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(1 2 4 8)
jobs=2

# Generation is not what is timed here: any built tether will do (TETHER=...).
tether="${TETHER:-}"
if [ -z "$tether" ]; then
  if [ ! -f "$root/build/release/CMakeCache.txt" ]; then cmake --preset release -S "$root" >/dev/null; fi
  cmake --build "$root/build/release" --target tether >/dev/null
  tether="$root/build/release/generator/tether"
fi
includes=()
for module in model schema http server client; do includes+=("-I$root/runtime/$module/include"); done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ops="${OPS:-1000}"  # OPS=20 CLOUD=0: a smoke run of the script itself
python3 "$root/bench/codegen/make_ops_spec.py" "$ops" "$work/ops.json"
specs=("$work/ops.json")
names=("synthetic, $ops operations")
if [ "${CLOUD:-1}" != 0 ]; then
  specs+=("$root/spec/openapi.yaml")
  names+=("Cloud API")
fi

# compile_all DIR: compiles every .cpp of DIR, $jobs at a time; writes DIR/times (one
# "elapsed user system kilobytes file" line per unit) and prints the build's wall time.
compile_all() {
  local dir="$1" start end
  start=$(date +%s.%N)
  find "$dir" -name '*.cpp' -print0 | sort -z |
    xargs -0 -P "$jobs" -I{} /usr/bin/time -a -o "$dir/times" -f "%e %U %S %M {}" \
      g++ -std=c++20 -O0 -c "${includes[@]}" -I"$dir" {} -o {}.o
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.1f}')"
}

: >"$work/rows"
for i in "${!specs[@]}"; do
  for n in "${parts[@]}"; do
    dir="$work/$i-$n"
    "$tether" generate "${specs[$i]}" --cpp "$dir" --namespace bench --parts "$n" --no-format >/dev/null
    wall=$(compile_all "$dir")
    python3 - "$dir/times" "${names[$i]}" "$n" "$wall" >>"$work/rows" <<'PY'
import sys
times, name, n, wall = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
units = [l.split() for l in open(times) if l.strip()]
cpu = sum(float(u[1]) + float(u[2]) for u in units)
slowest = max(float(u[0]) for u in units)
peak = max(int(u[3]) for u in units) / 1024
print(f"{name}\t{n}\t{len(units)}\t{cpu:.0f}\t{wall:.0f}\t{slowest:.0f}\t{peak:.0f}")
PY
    echo "bench/codegen_compile: ${names[$i]}, --parts $n: $(tail -n 1 "$work/rows" | cut -f3-)" >&2
  done
done

python3 - "$work/rows" "$here" "$jobs" <<'PY'
import sys, platform, subprocess
rows_path, here, jobs = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [l.rstrip("\n").split("\t") for l in open(rows_path) if l.strip()]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
gxx = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
base = {r[0]: r for r in rows if r[1] == "1"}
with open(f"{here}/results.md", "w") as md:
    md.write(f"Machine: {cpu}. Compiler: {gxx}, `-std=c++20 -O0 -c`, {jobs} units at a time. "
             "Models, validators, server stubs and client bindings, generated with `--parts N`; "
             "no peer (see run.sh), the baseline is one unit per kind (`--parts 1`).\n\n")
    md.write("| spec | `--parts` | units | CPU time | wall time, 2 jobs | slowest unit | peak memory of a unit | wall vs `--parts 1` | peak memory vs `--parts 1` |\n")
    md.write("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for name, n, units, cpu_s, wall, slowest, peak in rows:
        b = base.get(name)
        wall_ratio = f"{float(b[4]) / float(wall):.2f}x faster" if b else "-"
        peak_ratio = f"{float(peak) / float(b[6]):.2f}x" if b else "-"
        md.write(f"| {name} | {n} | {units} | {cpu_s} s | {wall} s | {slowest} s | {peak} MB | {wall_ratio} | {peak_ratio} |\n")
with open(f"{here}/chart.dat", "w") as dat:
    for name, n, units, cpu_s, wall, slowest, peak in rows:
        dat.write(f'"{name.split(",")[0]} / {n}" {wall} {peak}\n')
PY

gnuplot <<GP
set terminal svg size 760,380 font "sans,11" background rgb "white"
set output "$here/results.svg"
set title "Compiling the generated code: wall time (2 jobs) and peak memory of the largest unit, by --parts"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "seconds"
set y2label "MB"
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set key top right
set xtics noenhanced rotate by -20
plot "$here/chart.dat" using 2:xtic(1) title "wall time, s" lc rgb "#2b6cb0" axes x1y1, \
     '' using 3 title "peak memory of a unit, MB" lc rgb "#c05621" axes x1y2
GP
rm -f "$here/chart.dat"
echo "bench/codegen_compile: wrote $here/results.md and $here/results.svg"
