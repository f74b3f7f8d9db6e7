#!/usr/bin/env python3
"""Compiles every .cpp of one generated directory, JOBS at a time, each unit under limits,
and appends one TSV line per unit to OUT:

    spec  unit  status  cpu_s  wall_s  peak_kb  lines  bytes

plus a row "spec + planned 0 0 0 UNITS 0" at the start (how many units the spec has) and,
when every unit was compiled in this run, a row "spec * build cpu_s wall_s 0 0 0" with the
whole build's CPU and wall time.

status is ok, failed (a compile error: the generated code is broken), cpu-limit (the
unit used its whole --cpu budget: cpu_s is a lower bound), mem-limit (it needed more than
--mem-mb: peak_kb is a lower bound), wall-limit (killed by the wall clock, both are lower
bounds) or skipped (the spec's --budget of CPU seconds was spent before it started: the unit
was not compiled, and the spec's totals are lower bounds).

Units already in OUT for SPEC are not compiled again, so an interrupted run resumes
where it stopped, and a later run with a larger --budget compiles the skipped units
(delete a unit's lines to measure it again, e.g. under a larger --cpu). Units run smallest first,
so that a budget cuts the largest ones. Compile errors go to OUT.errors.

    compile_units.py --spec NAME --dir DIR --out OUT.tsv [--jobs 2] [--cpu S] [--wall S]
                     [--mem-mb M] [--budget S] [--nice N] -- COMPILER FLAGS...
The unit's path, "-c", "-o", "/dev/null" are appended to COMPILER FLAGS.
"""
import argparse
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "codegen"))
import limited  # noqa: E402


def recorded(out, spec):
    """Units of spec with a result in out; a unit that was skipped (budget) or killed by the
    wall clock has none yet, so a later run compiles it (its new row replaces the old one)."""
    if not os.path.exists(out):
        return set()
    done = {}
    with open(out) as f:
        for line in f:
            cols = line.split("\t")
            if not line.startswith("#") and cols[0] == spec:
                done[cols[1]] = cols[2]
    return {unit for unit, status in done.items() if status not in ("skipped", "wall-limit")}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cpu", type=float)
    ap.add_argument("--wall", type=float)
    ap.add_argument("--mem-mb", type=int)
    ap.add_argument("--budget", type=float, help="CPU seconds for the whole spec")
    ap.add_argument("--nice", type=int, default=0)
    ap.add_argument("compiler", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    compiler = a.compiler[1:] if a.compiler[:1] == ["--"] else a.compiler
    if not compiler:
        ap.error("no compiler command")

    done = recorded(a.out, a.spec)
    every = [f for f in os.listdir(a.dir) if f.endswith(".cpp")]
    with open(a.out, "a") as f:
        # How many units the spec has, so that a report of a run still going (or stopped)
        # knows the spec's figures are partial: a row with unit "+".
        f.write(f"{a.spec}\t+\tplanned\t0\t0\t0\t{len(every)}\t0\n")
    units = sorted((f for f in every if f not in done),
                   key=lambda f: (os.path.getsize(os.path.join(a.dir, f)), f))
    lock = threading.Lock()
    spent = [0.0]

    def one(unit):
        path = os.path.join(a.dir, unit)
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            lines = sum(1 for _ in f)
        with lock:
            over = a.budget is not None and spent[0] >= a.budget
        if over:
            r = {"status": "skipped", "cpu_s": 0.0, "wall_s": 0.0, "peak_kb": 0, "stderr": ""}
        else:
            r = limited.run(compiler + [path, "-c", "-o", "/dev/null"], a.cpu, a.wall, a.mem_mb, a.nice)
        with lock:
            spent[0] += r["cpu_s"]
            with open(a.out, "a") as f:
                f.write(f'{a.spec}\t{unit}\t{r["status"]}\t{r["cpu_s"]:.1f}\t{r["wall_s"]:.1f}\t'
                        f'{r["peak_kb"]}\t{lines}\t{size}\n')
            if r["status"] == "failed":
                with open(a.out + ".errors", "a") as f:
                    f.write(f"== {a.spec} {unit}\n{r['stderr'][-4000:]}\n")
            print(f'compile {a.spec} {unit}: {r["status"]}, {r["cpu_s"]:.0f} s CPU, '
                  f'{r["wall_s"]:.0f} s wall, {r["peak_kb"] // 1024} MB', file=sys.stderr, flush=True)

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=a.jobs) as pool:
        list(pool.map(one, units))
    if not done and units:
        # The whole build's wall time, only when this run compiled every unit (a resumed
        # run's would mean nothing): one row with unit "*".
        with open(a.out, "a") as f:
            f.write(f"{a.spec}\t*\tbuild\t{spent[0]:.1f}\t{time.monotonic() - start:.1f}\t0\t0\t0\n")


if __name__ == "__main__":
    main()
