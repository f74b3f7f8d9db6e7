#!/usr/bin/env bash
# Generation benchmark: `tether generate` (models, validators, server and client C++) against
# openapi-typescript (the peer, npm, pinned in tools/package.json) on the same specs, in one
# run: the largest shared specs and a synthetic spec of 1000 operations. Prints both times
# and the ratio, and writes results.md and results.svg beside this script; bench/report.sh
# puts them into docs/benchmarks.md. Not a test: nothing here asserts a speed.
#
# tether is timed with --no-format (what the generator does); clang-format, an external
# pass over the text, is timed separately as "+ clang-format".
#
#   bench/codegen/run.sh [runs]      (default 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-5}"
shared="${TETHER_SHARED_DATA:-$root/../shared/data}"
[ -d "$shared/openapi" ] || { echo "bench/codegen: $shared/openapi not found" >&2; exit 2; }

"$root/tools/setup.sh" --npm
command -v hyperfine >/dev/null || { echo "bench/codegen: hyperfine missing (tools/setup.sh installs it)" >&2; exit 2; }
if [ ! -f "$root/build/release/CMakeCache.txt" ]; then cmake --preset release -S "$root" >/dev/null; fi
cmake --build "$root/build/release" --target tether >/dev/null
tether="$root/build/release/generator/tether"
peer="$root/tools/node_modules/.bin/openapi-typescript"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$here/make_ops_spec.py" 1000 "$work/ops-1000.json"
specs=("$shared/openapi/apis-guru/kubernetes.io.json" "$shared/openapi/digitalocean/DigitalOcean-public.v2.yaml"
       "$work/ops-1000.json")
names=("Kubernetes (4 MB JSON)" "DigitalOcean (multi-file YAML)" "synthetic, 1000 operations")

for i in "${!specs[@]}"; do
  ops=$("$tether" generate "${specs[$i]}" --ir - | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["operations"]))')
  echo "$ops" >"$work/ops-$i"
  hyperfine --runs "$runs" --warmup 1 --style none --export-json "$work/run-$i.json" \
    -n tether "rm -rf $work/cpp && $tether generate '${specs[$i]}' --cpp $work/cpp --no-format" \
    -n tether-formatted "rm -rf $work/cppf && $tether generate '${specs[$i]}' --cpp $work/cppf" \
    -n openapi-typescript "$peer '${specs[$i]}' -o $work/out.ts --silent" >/dev/null
done

python3 - "$work" "$here" "$("$peer" --version 2>/dev/null | tail -n 1)" "${names[@]}" <<'PY'
import json, sys, platform, subprocess
work, here, peer_version, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
rows = []
for i, name in enumerate(names):
    r = {x["command"]: x["median"] * 1000 for x in json.load(open(f"{work}/run-{i}.json"))["results"]}
    ops = int(open(f"{work}/ops-{i}").read())
    rows.append((name, ops, r["tether"], r["tether-formatted"], r["openapi-typescript"]))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
cores = open("/proc/cpuinfo").read().count("processor\t:")
with open(f"{here}/results.md", "w") as md:
    md.write(f"Machine: {cpu}, {cores} cores. Peer: openapi-typescript {peer_version}. Medians of the runs, "
             "whole commands timed with hyperfine. tether writes C++ models, validators, server stubs and "
             "client bindings; openapi-typescript writes one TypeScript file of types.\n\n")
    md.write("| spec | operations | `tether generate --no-format` | `tether generate` (+ clang-format) | openapi-typescript | openapi-typescript / tether |\n")
    md.write("|---|---:|---:|---:|---:|---:|\n")
    for name, ops, t, tf, p in rows:
        md.write(f"| {name} | {ops} | {t:.0f} ms | {tf:.0f} ms | {p:.0f} ms | **{p/t:.1f}x** |\n")
with open(f"{work}/chart.dat", "w") as dat:
    for name, ops, t, tf, p in rows:
        dat.write(f'"{name}" {t:.1f} {tf:.1f} {p:.1f}\n')
for name, ops, t, tf, p in rows:
    print(f"{name} ({ops} operations): tether {t:.0f} ms (formatted {tf:.0f} ms) vs openapi-typescript {p:.0f} ms -> {p/t:.1f}x")
PY

gnuplot <<GP
set terminal svg size 760,360 font "sans,11" background rgb "white"
set output "$here/results.svg"
set title "Generation time (median ms, lower is better)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "ms"
set yrange [0:*]
set key top left
set xtics noenhanced
plot "$work/chart.dat" using 2:xtic(1) title "tether generate --no-format" lc rgb "#2b6cb0", \
     '' using 3 title "tether generate + clang-format" lc rgb "#90cdf4", \
     '' using 4 title "openapi-typescript" lc rgb "#c05621"
GP
echo "bench/codegen: wrote $here/results.md and $here/results.svg"
