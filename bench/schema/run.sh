#!/usr/bin/env bash
# Schema validation benchmark: tether's runtime engine, tether's generated validators (C++
# emitted from the same compiled programs), ajv (Ajv2020 + ajv-formats, precompiled) and
# valijson (draft 7, on the cases it can express) on the same schemas and instances, in one
# run. Prints instances/second and the ratios, checks every engine agrees on every
# instance, and writes results.md and results.svg (gnuplot) next to this script. Not a
# test: nothing here asserts a speed.
#
#   bench/schema/run.sh [seconds-per-case [repeats]]      (defaults 1 and 3)
#
# The machine is shared, so the C++ side and ajv take turns `repeats` times and each
# engine's best rate per case is reported (best of N: the run least disturbed by others).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-1}"
repeats="${2:-3}"
shared="${TETHER_SHARED_DATA:-$root/../shared/data}"

# 1. Cases: the Cloud API's resources with the spec's own examples (generated/openapi.json),
# the committed ones, and the Kubernetes Deployment built from shared data.
PYTHONDONTWRITEBYTECODE=1 python3 "$here/make_cloud_cases.py" "$root/generated/openapi.json" "$here/cases/generated" >/dev/null
cases=("$here/cases/generated/cloud-project.json" "$here/cases/generated/cloud-service.json"
       "$here/cases/generated/cloud-deployment.json" "$here/cases/store-order.json" "$here/cases/composed.json")
if [ -f "$shared/openapi/apis-guru/kubernetes.io.json" ]; then
  mkdir -p "$here/cases/generated"
  PYTHONDONTWRITEBYTECODE=1 python3 "$here/make_k8s_case.py" "$shared/openapi/apis-guru/kubernetes.io.json" \
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
for ((r = 0; r < repeats; ++r)); do
  "$bench" --seconds "$seconds" "${cases[@]}" >>"$out"
  NODE_PATH="$node_path" node "$here/ajv_bench.cjs" --seconds "$seconds" "${cases[@]}" >>"$out"
done
ajv_version="$(NODE_PATH="$node_path" node -e 'console.log(require("ajv/package.json").version)')"

# 4. Report.
python3 - "$out" "$here" "$ajv_version" "$repeats" "$seconds" <<'PY'
import json, subprocess, sys, platform
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
here, ajv_version, repeats, seconds = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
by_case = {}
for l in lines:  # best of the repeats per case and engine
    best = by_case.setdefault(l["case"], {}).get(l["engine"])
    if best is None or l.get("instances_per_second", 0) > best.get("instances_per_second", 0):
        by_case[l["case"]][l["engine"]] = l
nan = float("nan")
rows = []
for name, engines in by_case.items():
    t, g, a, v = engines["tether"], engines.get("generated"), engines["ajv"], engines.get("valijson")
    rate = lambda e: e["instances_per_second"] if e and "instances_per_second" in e else nan
    tr, gr, ar = rate(t), rate(g), rate(a)
    vr = rate(v)
    note = v.get("unsupported", "") if v else "not run"
    agree = t["results"] == a["results"] and (g is None or g["results"] == a["results"])
    # valijson is compared on what it ran; a different answer is shown, not hidden.
    v_agree = None if v is None or "results" not in v else v["results"] == a["results"]
    rows.append(dict(name=name, n=len(t["results"]), t=tr, g=gr, a=ar, v=vr, note=note, agree=agree, v_agree=v_agree))
    print(f"{name}: runtime {tr:,.0f}/s, generated {gr:,.0f}/s, ajv {ar:,.0f}/s, valijson "
          f"{('%s' % note) if note else f'{vr:,.0f}/s'}; runtime/ajv {tr/ar:.2f}x, generated/ajv {gr/ar:.2f}x"
          + ("" if note else f", runtime/valijson {tr/vr:.1f}x, generated/valijson {gr/vr:.1f}x")
          + f"; results agree: {agree}" + ("" if v_agree is None else f" (valijson: {v_agree})"))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
valijson_version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libvalijson-dev"], capture_output=True,
                                  text=True).stdout.strip() or "unknown"
fmt = lambda x: "n/a" if x != x else f"{x:,.0f}"
ratio = lambda x, y, d=2: "n/a" if x != x or y != y else f"{x / y:.{d}f}x"
with open(f"{here}/results.md", "w") as md:
    md.write("<!-- written by bench/schema/run.sh; do not edit -->\n")
    md.write("### Schema validation throughput: tether runtime engine, tether generated validators, ajv, valijson\n\n")
    md.write(f"Machine: {cpu}; node {node}; ajv {ajv_version} (Ajv2020 + ajv-formats, precompiled); "
             f"valijson {valijson_version} (Debian, draft 7, schema converted by bench/schema/draft7.h); "
             "tether runtime engine and generated C++ validators (tether::emit), fast boolean mode, "
             f"RelWithDebInfo; best of {repeats} alternating runs of {seconds} s per case and engine. Formats are asserted by tether and ajv; valijson asserts only date, time "
             "and date-time. Instances per second, higher is better; targets: generated/ajv >= 2, "
             "runtime/ajv >= 1, both >= 10x valijson.\n\n")
    md.write("| case | instances | runtime | generated | ajv | valijson | runtime / ajv | generated / ajv "
             "| runtime / valijson | generated / valijson | same results |\n")
    md.write("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n")
    for r in rows:
        same = "yes" if r["agree"] else "NO"
        if r["v_agree"] is False:
            same += " (valijson: no)"
        md.write(f"| {r['name']} | {r['n']} | {fmt(r['t'])} | {fmt(r['g'])} | {fmt(r['a'])} | "
                 f"{('n/a: ' + r['note']) if r['note'] else fmt(r['v'])} | {ratio(r['t'], r['a'])} | {ratio(r['g'], r['a'])} | "
                 f"{ratio(r['t'], r['v'], 1)} | {ratio(r['g'], r['v'], 1)} | {same} |\n")
    md.write("\n\"same results\": tether's two back ends and ajv give the same answer on every instance. "
             "Where valijson answers differently it is valijson's known limits, measured anyway: it applies "
             "`format: date-time` to `null` in a `[\"string\", \"null\"]` type (Cloud API Deployment), fails "
             "`propertyNames` next to `type` behind a `$ref` (the Cloud API's Labels), decides `multipleOf: 0.01` "
             "in binary floating point, and does not assert uuid/email/uri formats (store order). valijson "
             "builds a std::regex for every date/time format check, hence its low rates on the Cloud API.\n")
with open(f"{here}/.results.dat", "w") as dat:
    for i, r in enumerate(rows):
        v = 0 if r["v"] != r["v"] else r["v"]
        dat.write(f"{i} \"{r['name'].split(' (')[0]}\" {r['t']:.0f} {r['g']:.0f} {r['a']:.0f} {v:.0f}\n")
PY

gnuplot <<GP
set terminal svg size 1100,460 dynamic enhanced font "sans,11" background rgb "white"
set output "$here/results.svg"
set title "Schema validation throughput (instances/second, log scale, higher is better; valijson 0 = n/a)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel "instances / second"
set logscale y
set yrange [1000:*]
set format y "%.0s%c"
set key top right
set grid ytics
set xtics rotate by -20
plot "$here/.results.dat" using 3:xtic(2) title "tether (runtime)", "" using 4 title "tether (generated)", \
     "" using 5 title "ajv", "" using 6 title "valijson (draft 7)"
GP
rm -f "$here/.results.dat"
echo "wrote $here/results.md and $here/results.svg"
