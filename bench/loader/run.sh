#!/usr/bin/env bash
# Loader benchmark: load + IR with tether against `redocly bundle` (the peer, npm
# @redocly/cli pinned in tools/package.json) on the same files, in one run. Prints both
# times and the ratio, and writes results.md and results.svg beside this script; the
# figures go into docs/benchmarks.md. Not a test: nothing here asserts a speed.
#
#   bench/loader/run.sh [runs]      (default 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-5}"
shared="${TETHER_SHARED_DATA:-$root/../shared/data}"
[ -d "$shared/openapi" ] || { echo "bench/loader: $shared/openapi not found" >&2; exit 2; }

"$root/tools/setup.sh" --npm
command -v hyperfine >/dev/null || { echo "bench/loader: hyperfine missing (tools/setup.sh installs it)" >&2; exit 2; }
if [ ! -f "$root/build/release/CMakeCache.txt" ]; then cmake --preset release -S "$root" >/dev/null; fi
cmake --build "$root/build/release" --target tether tether_loader_bench >/dev/null
tether="$root/build/release/generator/tether"
redocly="$root/tools/node_modules/.bin/redocly"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$here/make_big_spec.py" "$shared/openapi/apis-guru/kubernetes.io.json" "$work/big-10mb.json" 10
specs=("$shared/openapi/apis-guru/kubernetes.io.json" "$shared/openapi/digitalocean/DigitalOcean-public.v2.yaml" "$work/big-10mb.json")
names=("kubernetes.io.json (4 MB, 1 file)" "DigitalOcean (multi-file YAML)" "synthetic 10 MB JSON")

"$root/build/release/bench/loader/tether_loader_bench" --runs "$runs" "${specs[@]}" >"$work/inprocess.jsonl"
for i in "${!specs[@]}"; do
  hyperfine --runs "$runs" --warmup 1 --style none --export-json "$work/cli-$i.json" \
    -n tether-generate "$tether generate '${specs[$i]}' --ir $work/ir.json" \
    -n tether-bundle "$tether bundle '${specs[$i]}' -o $work/t.json" \
    -n redocly-bundle "$redocly bundle '${specs[$i]}' -o $work/r.json" >/dev/null
done

python3 - "$work" "$here" "$("$redocly" --version)" "${names[@]}" <<'PY'
import json, sys, platform
work, here, peer_version, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
inproc = [json.loads(l) for l in open(f"{work}/inprocess.jsonl")]
rows = []
for i, name in enumerate(names):
    cli = {r["command"]: r["median"] * 1000 for r in json.load(open(f"{work}/cli-{i}.json"))["results"]}
    p = inproc[i]
    rows.append((name, p["bytes"], p["files"], p["operations"], p["load_ms"] + p["ir_ms"],
                 cli["tether-generate"], cli["tether-bundle"], cli["redocly-bundle"]))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
with open(f"{here}/results.md", "w") as md:
    md.write(f"Machine: {cpu}, {len(open('/proc/cpuinfo').read().split('processor')) - 1} cores. "
             f"Peer: @redocly/cli {peer_version}. Medians of the runs; whole commands timed with hyperfine.\n\n")
    md.write("| spec | size | files | operations | tether load+IR in-process | `tether generate` | `tether bundle` | `redocly bundle` | redocly / tether bundle |\n")
    md.write("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for name, size, files, ops, inproc_ms, gen, bun, peer in rows:
        md.write(f"| {name} | {size/1048576:.1f} MB | {files} | {ops} | {inproc_ms:.0f} ms | {gen:.0f} ms | {bun:.0f} ms | {peer:.0f} ms | **{peer/bun:.1f}x** |\n")
with open(f"{work}/chart.dat", "w") as dat:
    for i, (name, *_rest) in enumerate(rows):
        dat.write(f'"{name}" {rows[i][5]:.1f} {rows[i][6]:.1f} {rows[i][7]:.1f}\n')
for name, size, files, ops, inproc_ms, gen, bun, peer in rows:
    print(f"{name}: load+IR {inproc_ms:.0f} ms in-process; tether bundle {bun:.0f} ms vs redocly bundle {peer:.0f} ms -> {peer/bun:.1f}x faster")
PY

gnuplot <<GP
set terminal svg size 820,420 dynamic font "sans,11" background rgb "white"
set output "$here/results.svg"
set title "Spec loading: wall time of whole commands (lower is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set ylabel "milliseconds (median)"
set yrange [0:*]
set key top left
set xtics noenhanced
plot "$work/chart.dat" using 2:xtic(1) title "tether generate (load + IR)" lc rgb "#2b7bba", \
     "" using 3 title "tether bundle" lc rgb "#5fa8d3", \
     "" using 4 title "redocly bundle (peer)" lc rgb "#d95f02"
GP
echo "bench/loader: wrote $here/results.md and $here/results.svg"
