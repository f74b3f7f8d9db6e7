#!/usr/bin/env bash
# Throughput of the conformance runner: checked requests per second (responses received
# and checked against the contract) of `tether-conform run --workers 4` against the
# sandbox (release build, SQLite, loopback), and of Dredd 14.1.0 (tools/package.json)
# replaying the same operations' examples against the same sandbox in the same run.
#
# The shared operations: Dredd refuses the whole Cloud API document (its path parameters
# have no examples; see make_subset.py), so both tools get the GET operations that Dredd
# can replay (make_subset.py). tether-conform runs its generated checks on them with
# --read-only (examples, boundary values, negative data, auth probes), one seed per round;
# Dredd replays each documented response's example request, one process per round, with
# dredd-hooks.js adding the bearer token. A rate is responses over the tool's own timed
# span: tether-conform's durationMs (JSON report), Dredd's "Tests took" (both exclude
# loading the spec). The whole Cloud API with writes (generated/openapi.json) is measured
# too, for tether-conform alone.
#
#   bench/conformance/run.sh [ROUNDS]    (default 10 per tether-conform run; DREDD_ROUNDS=3;
#                                         SKIP_BUILD=1 uses the binaries as built;
#                                         TETHER_CONFORM, TETHER_SANDBOX: other release binaries)
#
# Writes results.md, results.svg and results.tsv beside this script; bench/report.sh puts
# them into docs/benchmarks.md. Not a test: nothing here asserts a rate.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds=${1:-10}
dredd_rounds=${DREDD_ROUNDS:-3}
workers=4

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  flock /tmp/tether-build.lock cmake --build "$root/build/release" -j2 --target tether-conform tether-sandbox >/dev/null
fi
conform="${TETHER_CONFORM:-$root/build/release/conformance/tether-conform}"
sandbox="${TETHER_SANDBOX:-$root/build/release/sandbox/tether-sandbox}"
dredd="$root/tools/node_modules/.bin/dredd"
[ -x "$dredd" ] || { echo "bench/conformance: $dredd missing: run tools/setup.sh --npm" >&2; exit 2; }

work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 "$here/make_subset.py" "$root/generated/openapi.json" "$work/subset.json"
key="sk_test_$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
TETHER_SANDBOX_ADMIN_KEY=$key "$sandbox" --database "$work/sandbox.db" --port 0 --key-file "$work/master.key" \
  --rate-limit 100000000 --quiet >"$work/out.txt" 2>"$work/err.txt" &
pid=$!
port=$("$root/tools/sandbox-port.sh" "$work/out.txt" "$work/err.txt") ||
  { echo "bench/conformance: the sandbox did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"

# conform_round SPEC SEED NAME [ARGS...]: one tether-conform run; appends
# "NAME responses ms findings" to $work/rows. Findings are not errors here (exit 1).
conform_round() {
  local spec=$1 seed=$2 name=$3
  shift 3
  (cd "$work" && "$conform" run --spec "$spec" --base-url "$base" --token "$key" --seed "$seed" --workers "$workers" \
    --quiet --cassette-out '' --json "$work/r.json" "$@" >"$work/conform.log" 2>&1) || true
  python3 - "$work/r.json" "$name" >>"$work/rows" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(sys.argv[2], s["requests"] - s["transportErrors"], f'{s["durationMs"]:.1f}', s["findings"])
PY
}

# dredd_round: one Dredd process; appends "dredd responses ms failing" (Dredd's own count
# and timing; a failing transaction was still sent and checked).
dredd_round() {
  (cd "$work" && TETHER_TOKEN=$key "$dredd" "$work/subset.json" "$base" --hookfiles "$here/dredd-hooks.js" \
    --reporter dot >"$work/dredd.log" 2>&1) || true
  python3 - "$work/dredd.log" >>"$work/rows" <<'PY'
import re, sys
log = open(sys.argv[1]).read()
counts = re.search(r"complete\S*: (\d+) passing, (\d+) failing, (\d+) errors, (\d+) skipped", log)
took = re.search(r"Tests took (\d+)ms", log)
if not counts or not took:
    sys.exit("bench/conformance: no Dredd summary in its log:\n" + log[-2000:])
passing, failing, errors, skipped = (int(g) for g in counts.groups())
print("dredd", passing + failing, took.group(1), failing)
PY
}

: >"$work/rows"
for seed in $(seq 1 "$rounds"); do
  conform_round "$work/subset.json" "$seed" tether-subset --read-only
  echo "bench/conformance: tether-conform, shared GETs, seed $seed: $(tail -n 1 "$work/rows")" >&2
done
for seed in $(seq 1 "$rounds"); do
  conform_round "$root/generated/openapi.json" "$seed" tether-full
  echo "bench/conformance: tether-conform, whole Cloud API, seed $seed: $(tail -n 1 "$work/rows")" >&2
done
for _ in $(seq 1 "$dredd_rounds"); do
  dredd_round
  echo "bench/conformance: Dredd, shared GETs: $(tail -n 1 "$work/rows")" >&2
done
# Control: the same sandbox answering plain sequential GETs from Node, Dredd's runtime.
node "$here/node_get_loop.cjs" "$base" "$key" /v1/projects 500 | awk '{print "node-loop", $1, $2, 0}' >>"$work/rows"
echo "bench/conformance: plain Node GET loop: $(tail -n 1 "$work/rows")" >&2
cp "$work/rows" "$here/results.tsv"
ops=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["paths"]))' "$work/subset.json")

python3 - "$work/rows" "$here" "$workers" "$ops" "$("$dredd" --version | head -n 1)" <<'PY'
import sys, platform
from collections import defaultdict
rows_path, here, workers, ops, dredd_version = sys.argv[1:6]
sums = defaultdict(lambda: [0, 0.0, 0, 0])  # responses, ms, findings, rounds
for line in open(rows_path):
    name, responses, ms, findings = line.split()
    s = sums[name]
    s[0] += int(responses); s[1] += float(ms); s[2] += int(findings); s[3] += 1
rate = {k: v[0] * 1000 / v[1] for k, v in sums.items() if v[1] > 0}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
labels = {"tether-subset": f"tether-conform, {workers} workers, the {ops} shared GET operations (`--read-only`)",
          "tether-full": f"tether-conform, {workers} workers, the whole Cloud API (all operations, writes included)",
          "dredd": f"Dredd {dredd_version.split()[1]}, the {ops} shared GET operations (one at a time)",
          "node-loop": "control: plain sequential GETs of `/v1/projects` from Node's `http` (no checks)"}
with open(f"{here}/results.md", "w") as md:
    md.write("Checked requests per second: responses received and checked against the contract, over each "
             "tool's own timed span (spec loading excluded), against the sandbox (release build, SQLite, "
             f"loopback, rate limit raised). Machine: {cpu}, 2 cores shared by the sandbox and the tool. "
             "Dredd cannot load the whole Cloud API (required path parameters without examples), so the shared "
             "operations are the GETs it can replay (`bench/conformance/make_subset.py`). "
             "Target: at least 2,000 checked requests per second with 4 workers.\n\n")
    md.write("| run | rounds | checked requests | time | checked requests/s | vs Dredd |\n|---|---:|---:|---:|---:|---:|\n")
    for key in ("tether-subset", "tether-full", "dredd", "node-loop"):
        if key not in sums:
            continue
        n, ms, findings, r = sums[key]
        ratio = f"{rate[key] / rate['dredd']:.0f}x" if "dredd" in rate and key == "tether-subset" else "-"
        md.write(f"| {labels[key]} | {r} | {n} | {ms / 1000:.2f} s | {rate[key]:,.0f} | {ratio} |\n")
    if "dredd" in sums and "node-loop" in rate:
        n, ms, failing, r = sums["dredd"]
        md.write(f"\nDredd makes one transaction per documented response and sends each operation's example "
                 f"request for all of them, so the ones expecting an error status fail ({failing // r} of {n // r} "
                 "per round); they were sent and checked all the same, so they count. Dredd sends one request at "
                 f"a time ({ms / n:.0f} ms per transaction); the control shows the same sandbox answering plain "
                 f"sequential GETs from Node at {rate['node-loop']:,.0f}/s, so that time is Dredd's own work. "
                 f"Per-round figures: `bench/conformance/results.tsv`.\n")
with open(f"{here}/chart.dat", "w") as dat:
    for key, short in (("tether-subset", "tether-conform (GETs)"), ("tether-full", "tether-conform (all ops)"),
                       ("dredd", "Dredd (GETs)")):
        if key in rate:
            dat.write(f'"{short}" {rate[key]:.0f}\n')
PY

gnuplot <<GP
set terminal svg size 760,340 font "sans,11" background rgb "white"
set output "$here/results.svg"
set title "Checked requests per second against the sandbox (loopback; tether-conform: 4 workers)"
set style fill solid 0.85 border -1
set boxwidth 0.6
set xrange [-0.6:2.6]
set ylabel "checked requests/s (log scale)"
set logscale y
set yrange [1:30000]
set grid ytics
set key off
set xtics noenhanced
plot "$here/chart.dat" using 0:2:xtic(1) with boxes lc rgb "#2b6cb0", "" using 0:2:2 with labels offset 0,0.8
GP
rm -f "$here/chart.dat"
echo "bench/conformance: wrote $here/results.md and results.svg" >&2
