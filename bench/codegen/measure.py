#!/usr/bin/env python3
"""Measures one spec for bench/codegen/run.sh and prints one JSON object on one line:

- now:  `TETHER generate SPEC --cpp DIR [GEN_ARGS]` (default settings unless GEN_ARGS):
        median wall time of RUNS runs (one run when the first takes over 20 s), the
        largest peak resident memory, exit status; lines and bytes of the output per kind.
- base: `BASE generate SPEC --cpp DIR --no-format` once: the same figures. Lines are
        counted on unformatted output, as the issue's baseline table was (clang-format
        changes the line count; the generator's default no longer runs it).
- peer: `openapi-typescript SPEC -o OUT.ts` (RUNS runs, same rule): median wall time,
        peak memory, exit status and its first error line when it fails.
Every command runs under a wall-clock limit (TIMEOUT seconds) and the script goes on when
one fails.

    measure.py NAME SPEC WORK TETHER BASE PEER RUNS TIMEOUT [GEN_ARGS...]
"""
import json
import os
import shutil
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import limited  # noqa: E402

KINDS = ("models", "validators", "server", "client")


def count(out_dir):
    """Lines and bytes per kind of generated file (by the file name's first word)."""
    per = {k: [0, 0] for k in KINDS + ("other",)}
    for dirpath, _, files in os.walk(out_dir):
        for f in files:
            kind = next((k for k in KINDS if f.startswith(k)), "other")
            with open(os.path.join(dirpath, f), "rb") as fh:
                data = fh.read()
            per[kind][0] += data.count(b"\n")
            per[kind][1] += len(data)
    total = [sum(v[0] for v in per.values()), sum(v[1] for v in per.values())]
    return {"lines": total[0], "bytes": total[1], "kinds": {k: v[0] for k, v in per.items()}}


def timed(cmd, runs, timeout, before=None):
    """Median wall, max peak (KB) and the first failure of up to `runs` runs."""
    walls, peaks = [], []
    for i in range(runs):
        if before:
            before()
        r = limited.run(cmd, wall=timeout)
        peaks.append(r["peak_kb"])
        if r["status"] != "ok":
            err = next((l for l in r["stderr"].splitlines() if l.strip()), "")
            return {"status": r["status"], "rc": r["rc"], "wall_s": r["wall_s"], "peak_kb": max(peaks),
                    "error": err[:200]}
        walls.append(r["wall_s"])
        if r["wall_s"] > 20:
            break
    return {"status": "ok", "wall_s": statistics.median(walls), "runs": len(walls), "peak_kb": max(peaks)}


def main():
    name, spec, work, tether, base, peer, runs, timeout = sys.argv[1:9]
    gen_args = sys.argv[9:]
    runs, timeout = int(runs), float(timeout)
    out = os.path.join(work, "out")
    fresh = lambda: shutil.rmtree(out, ignore_errors=True)  # noqa: E731
    # The load average says how busy the shared machine was: times are only comparable
    # within one run, and only when it stayed low.
    row = {"name": name, "spec": spec, "bytes_in": os.path.getsize(spec), "load": os.getloadavg()[0]}

    row["now"] = timed([tether, "generate", spec, "--cpp", out] + gen_args, runs, timeout, fresh)
    row["now"]["args"] = gen_args
    if row["now"]["status"] == "ok":
        row["now"].update(count(out))
    fresh()

    row["base"] = timed([base, "generate", spec, "--cpp", out, "--no-format"], 1, timeout, fresh)
    if row["base"]["status"] == "ok":
        row["base"].update(count(out))
    fresh()

    ts = os.path.join(work, "out.ts")
    row["peer"] = timed([peer, spec, "-o", ts, "--silent"], runs, timeout)
    if os.path.exists(ts):
        with open(ts, "rb") as fh:
            row["peer"]["lines"] = fh.read().count(b"\n")
        os.remove(ts)
    print(json.dumps(row))


if __name__ == "__main__":
    main()
