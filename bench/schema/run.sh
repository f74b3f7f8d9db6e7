#!/usr/bin/env bash
# Schema validation benchmark: tether's runtime engine, tether's generated validators (C++
# emitted from the same compiled programs) and ajv (Ajv2020 + ajv-formats, precompiled) on
# the same schemas and instances, in one run. Prints instances/second and the ratios, checks
# every engine agrees on every instance, and writes results.md and results.svg (gnuplot)
# next to this script. Not a test: nothing here asserts a speed.
#
#   bench/schema/run.sh [seconds-per-case]      (default 2)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-2}"
shared="${TETHER_SHARED_DATA:-$root/../shared/data}"

# 1. Cases: the committed ones plus the Kubernetes Deployment built from shared data.
cases=("$here/cases/store-order.json" "$here/cases/composed.json")
if [ -f "$shared/openapi/apis-guru/kubernetes.io.json" ]; then
  mkdir -p "$here/cases/generated"
  python3 "$here/make_k8s_case.py" "$shared/openapi/apis-guru/kubernetes.io.json" \
    "$here/cases/generated/k8s-deployment.json" >/dev/null
  cases+=("$here/cases/generated/k8s-deployment.json")
fi

# 2. The C++ side, optimized (TETHER_BENCH_BUILD: another configured release build folder).
build="${TETHER_BENCH_BUILD:-$root/build/release}"
if [ ! -f "$build/CMakeCache.txt" ]; then cmake --preset release -S "$root" >/dev/null; fi
cmake --build "$build" --target tether_schema_bench >/dev/null
bench="$build/bench/schema/tether_schema_bench"

# 3. ajv: pinned (exact versions + lock file) in tools/package.json; installed on demand.
if [ ! -d "$root/tools/node_modules/ajv" ] || [ ! -d "$root/tools/node_modules/ajv-formats" ]; then
  (cd "$root/tools" && npm ci --silent)
fi
node_path="$root/tools/node_modules"

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$bench" --seconds "$seconds" "${cases[@]}" >>"$out"
NODE_PATH="$node_path" node "$here/ajv_bench.cjs" --seconds "$seconds" "${cases[@]}" >>"$out"
ajv_version="$(NODE_PATH="$node_path" node -e 'console.log(require("ajv/package.json").version)')"

# 4. Report.
python3 - "$out" "$here" "$ajv_version" <<'PY'
import json, subprocess, sys, platform
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
here, ajv_version = sys.argv[2], sys.argv[3]
by_case = {}
for l in lines:
    by_case.setdefault(l["case"], {})[l["engine"]] = l
rows = []
for name, engines in by_case.items():
    t, g, a = engines["tether"], engines.get("generated"), engines["ajv"]
    agree = t["results"] == a["results"] and (g is None or g["results"] == a["results"])
    tr = t["instances_per_second"] / a["instances_per_second"]
    gi = g["instances_per_second"] if g else float("nan")
    gr = gi / a["instances_per_second"]
    rows.append((name, t["instances_per_second"], gi, a["instances_per_second"], tr, gr, agree, len(t["results"])))
    print(f"{name}: runtime {t['instances_per_second']:,.0f}/s, generated {gi:,.0f}/s, ajv {a['instances_per_second']:,.0f}/s, "
          f"runtime/ajv = {tr:.2f}x, generated/ajv = {gr:.2f}x, results agree: {agree}")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
with open(f"{here}/results.md", "w") as md:
    md.write("<!-- written by bench/schema/run.sh; do not edit -->\n")
    md.write("### Schema validation throughput: tether runtime engine, tether generated validators, ajv\n\n")
    md.write(f"Machine: {cpu}; node {node}; ajv {ajv_version} (Ajv2020 + ajv-formats, precompiled); "
             "tether runtime engine and generated C++ validators (tether::emit), fast boolean mode, "
             "RelWithDebInfo; formats asserted by all.\n\n")
    md.write("| case | instances | runtime (instances/s) | generated (instances/s) | ajv (instances/s) "
             "| runtime / ajv | generated / ajv | same results |\n")
    md.write("|---|---:|---:|---:|---:|---:|---:|:---:|\n")
    for name, t, g, a, tr, gr, agree, n in rows:
        md.write(f"| {name} | {n} | {t:,.0f} | {g:,.0f} | {a:,.0f} | {tr:.2f}x | {gr:.2f}x | {'yes' if agree else 'NO'} |\n")
with open(f"{here}/.results.dat", "w") as dat:
    for i, (name, t, g, a, tr, gr, agree, n) in enumerate(rows):
        dat.write(f"{i} \"{name.split(' (')[0]}\" {t:.0f} {g:.0f} {a:.0f}\n")
PY

gnuplot <<GP
set terminal svg size 900,420 dynamic enhanced font "sans,11"
set output "$here/results.svg"
set title "Schema validation throughput (instances/second, higher is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel "instances / second"
set format y "%.0s%c"
set key top right
set grid ytics
plot "$here/.results.dat" using 3:xtic(2) title "tether (runtime)", "" using 4 title "tether (generated)", \
     "" using 5 title "ajv"
GP
rm -f "$here/.results.dat"
echo "wrote $here/results.md and $here/results.svg"
