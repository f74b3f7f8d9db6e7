#!/usr/bin/env python3
"""Writes results.md and results.svg of the compile benchmark from now.tsv (the generator
measured) and baseline.tsv (the generator before issue 17), both written by run.sh through
compile_units.py. A figure that a limit cut short is printed as a lower bound ("> x"), and
so is a spec total that contains one or a skipped unit.

    report.py DIR
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "codegen"))
import chart  # noqa: E402

LIMITED_CPU = {"cpu-limit", "wall-limit", "skipped"}
LIMITED_MEM = {"mem-limit", "cpu-limit", "wall-limit", "skipped"}


def load(path):
    """{spec: {"units": {unit: row}, "build": row or None}}, in the order of the file;
    a unit measured twice (a resumed run) keeps its last row."""
    specs = {}
    if not os.path.exists(path):
        return specs
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        spec, unit, status, cpu, wall, peak, lines, size = line.rstrip("\n").split("\t")
        s = specs.setdefault(spec, {"units": {}, "build": None, "planned": 0})
        row = {"status": status, "cpu": float(cpu), "wall": float(wall), "peak": int(peak) / 1024,
               "lines": int(lines), "bytes": int(size), "unit": unit}
        if unit == "+":
            s["planned"] = int(lines)
        elif unit == "*":
            s["build"] = row
        else:
            s["units"][unit] = row
    return specs


def summary(s):
    units = list(s["units"].values())
    measured = [u for u in units if u["status"] != "skipped"]
    cpu = sum(u["cpu"] for u in units)
    missing = max(s["planned"] - len(units), 0)  # not measured yet: a run still going or stopped
    cpu_lb = missing > 0 or any(u["status"] in LIMITED_CPU for u in units)
    slow = max(measured, key=lambda u: u["cpu"]) if measured else None
    big = max(measured, key=lambda u: u["peak"]) if measured else None
    return {
        "units": len(units) + missing, "skipped": len(units) - len(measured), "missing": missing,
        "failed": [u["unit"] for u in units if u["status"] == "failed"],
        "cpu": cpu, "cpu_lb": cpu_lb,
        "wall": s["build"]["wall"] if s["build"] else None,
        "slow": slow, "big": big,
        "lines": sum(u["lines"] for u in units),
    }


def fmt(x, lower, unit):
    return f"{'> ' if lower else ''}{x:.0f} {unit}"


def unit_cell(u, key, unit, partial):
    """The unit's figure, a lower bound when its limit stopped it or when units of the spec
    were not measured (one of them may be slower or larger)."""
    if not u:
        return "-"
    lower = partial or u["status"] in (LIMITED_CPU if key == "cpu" else LIMITED_MEM)
    return f"{fmt(u[key], lower, unit)} (`{u['unit']}`)"


def main():
    here = sys.argv[1]
    now, base = load(f"{here}/now.tsv"), load(f"{here}/baseline.tsv")
    names = list(dict.fromkeys(list(base) + list(now)))
    header = [l[2:].strip() for l in open(f"{here}/baseline.tsv") if l.startswith("#")] if base else []
    header_now = [l[2:].strip() for l in open(f"{here}/now.tsv") if l.startswith("#")] if now else []
    rows, chart_rows = [], []
    for name in names:
        n = summary(now[name]) if name in now else None
        b = summary(base[name]) if name in base else None
        ratio = "-"
        if n and b and n["cpu"] > 0 and not n["cpu_lb"]:
            r = b["cpu"] / n["cpu"]
            ratio = f"**{'> ' if b['cpu_lb'] else ''}{r:.1f}x**"
        cells = [f"`{name}`"]
        for s in (n, b):
            if not s:
                cells += ["-"] * 4
                continue
            units = f"{s['units']}" + (f" ({s['skipped']} skipped)" if s["skipped"] else "")
            units += f" ({s['missing']} not measured yet)" if s["missing"] else ""
            if s["failed"]:
                units += f" ({len(s['failed'])} failed to compile)"
            partial = bool(s["missing"] or s["skipped"])
            cells += [units, fmt(s["cpu"], s["cpu_lb"], "s"), unit_cell(s["slow"], "cpu", "s", partial),
                      unit_cell(s["big"], "peak", "MB", partial)]
        cells.insert(9, ratio)
        cells.append(fmt(n["wall"], False, "s") if n and n["wall"] is not None else "-")
        rows.append(cells)
        chart_rows.append((name, n["cpu"] if n else 0, b["cpu"] if b else 0, bool(b and b["cpu_lb"])))

    with open(f"{here}/results.md", "w") as md:
        md.write("Every `.cpp` of `tether generate SPEC --cpp DIR --no-format` (models, validators, server stubs, "
                 "client bindings; default `--parts`) compiled with `g++ -std=c++20 -O0 -c`, 2 units at a time, "
                 "each under a CPU-time limit and an address-space limit. CPU time is user + sys of all units "
                 "(it does not depend on how busy the machine is; wall times do). **Targets: CPU at most a third "
                 "of the baseline's, no unit above 1 GB.** \"> x\" is a lower bound: a unit stopped by its limit, "
                 "or a spec whose largest units were not compiled within its CPU budget (those count as 0 s). "
                 "The baseline is the generator before issue 17 (commit 25382d9), measured once and kept in "
                 "`bench/codegen_compile/baseline.tsv`.\n\n")
        gen = lambda hs, side: {h.split(f" {side}: ", 1)[1].split(" (")[0] for h in hs if f" {side}: " in h}  # noqa: E731
        if gen(header_now, "now") & gen(header, "baseline"):
            md.write("**A trial run of the script: \"now\" is the baseline generator itself**, so the ratios only show "
                     "how much the measurement moves between runs; rerun `bench/codegen_compile/run.sh` with the new "
                     "generator.\n\n")
        md.write("| spec | units now | CPU now | slowest unit now | largest peak now | units before | CPU before | "
                 "slowest unit before | largest peak before | CPU before / now | build wall now |\n")
        md.write("|---|---:|---:|---|---|---:|---:|---|---|---:|---:|\n")
        for cells in rows:
            md.write("| " + " | ".join(cells) + " |\n")
        md.write("\nRuns recorded:\n\n")
        for h in header_now + header:
            md.write(f"- {h}\n")
        if not now:
            md.write("\nNo run of the generator now yet: `bench/codegen_compile/run.sh` writes now.tsv.\n")

    chart.bars(f"{here}/results.svg", "Compiling the generated code: CPU seconds (g++ -O0, log scale; >: before is a lower bound)",
               "CPU seconds (user + sys)",
               [("before (25382d9)", "#c05621"), ("now", "#2b6cb0"), ("target: 1/3 of before", "#a0aec0")],
               [(name + (" >" if lb else ""), (cb, cn, cb / 3)) for name, cn, cb, lb in chart_rows])
    print(f"bench/codegen_compile: wrote {here}/results.md and {here}/results.svg", file=sys.stderr)


if __name__ == "__main__":
    main()
