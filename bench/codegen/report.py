#!/usr/bin/env python3
"""Writes results.md, results.svg (generated lines before/now, log scale) and time.svg
(default `tether generate` vs openapi-typescript, log scale) from results.jsonl, which
bench/codegen/run.sh wrote with measure.py.

    report.py DIR TETHER BASE PEER_VERSION
"""
import json
import platform
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chart  # noqa: E402

KINDS = ("models", "validators", "server", "client")


def k(n):
    if n < 1000:
        return str(n)
    return f"{n / 1000:.0f}k" if n >= 10000 else f"{n / 1000:.1f}k"


def secs(r):
    if r["status"] != "ok":
        return f"{r['status']} ({r.get('error') or 'rc ' + str(r.get('rc'))})"
    return f"{r['wall_s']:.2f} s" if r["wall_s"] < 10 else f"{r['wall_s']:.0f} s"


def size(n):
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def mb(kb):
    return f"{kb / 1024:.0f} MB"


def main():
    here, tether, base, peer_version = sys.argv[1:5]
    rows = [json.loads(l) for l in open(f"{here}/results.jsonl") if l.strip()]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
               platform.machine())
    args = " ".join(rows[0]["now"].get("args") or []) if rows else ""
    with open(f"{here}/results.md", "w") as md:
        md.write(f"Machine: {cpu}, 2 cores (shared). Now: `{tether}`; before: `{base}` (commit 25382d9, "
                 f"the generator before issue 17). Peer: openapi-typescript {peer_version}, which writes one "
                 "TypeScript file of types (tether writes C++ models, validators, server stubs and client bindings). "
                 f"\"generate now\" is `tether generate SPEC --cpp DIR{' ' + args if args else ''}` "
                 f"{'(GEN_ARGS: not the default settings)' if args else '(the default settings)'}, the median of up to 3 runs "
                 "(1 when a run takes over 20 s), with the peak resident memory of the process and its children; "
                 "lines before are counted on `--no-format` output, as in the issue. "
                 "**Targets: lines at most 1/5 of before (\"before / now\" at least 5x), default generate at least "
                 "5x faster than openapi-typescript, peak memory under 1 GB.**\n\n")
        loads = [r["load"] for r in rows if "load" in r]
        if loads:
            md.write(f"Load average (1 min) when each spec started: {min(loads):.1f} to {max(loads):.1f} on 2 cores"
                     f"{'; the machine was busy, so the times are inflated (the ratios less so)' if max(loads) > 2.5 else ''}.\n\n")
        if os.path.realpath(tether) == os.path.realpath(base):
            md.write("**A trial run of the script: \"now\" is the baseline binary itself**, so every reduction is 1.0x; "
                     "rerun `bench/codegen/run.sh` with the new generator.\n\n")
        md.write("| spec | input | lines now | lines before | before / now | bytes now | bytes before | generate now "
                 "| peak memory now | openapi-typescript | peer / tether | before: generate `--no-format`, peak |\n")
        md.write("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
        for r in rows:
            n, b, p = r["now"], r["base"], r["peer"]
            red = f"**{b['lines'] / n['lines']:.1f}x**" if n.get("lines") and b.get("lines") else "-"
            ratio = f"**{p['wall_s'] / n['wall_s']:.1f}x**" if n["status"] == "ok" and p["status"] == "ok" else "-"
            lines = lambda x: k(x["lines"]) if x.get("lines") else "-"  # noqa: E731
            size_of = lambda x: f"{x['bytes'] / 1e6:.1f} MB" if x.get("lines") else "-"  # noqa: E731
            cells = [f"`{r['name']}`", size(r["bytes_in"]), lines(n), lines(b), red, size_of(n), size_of(b),
                     secs(n), mb(n["peak_kb"]), secs(p), ratio, f"{secs(b)}, {mb(b['peak_kb'])}"]
            md.write("| " + " | ".join(cells) + " |\n")
        md.write("\nLines per kind of file, now / before:\n\n")
        md.write("| spec | " + " | ".join(KINDS) + " | other |\n|---|" + "---:|" * (len(KINDS) + 1) + "\n")
        for r in rows:
            n, b = r["now"].get("kinds"), r["base"].get("kinds")
            if n and b:
                md.write(f"| `{r['name']}` | " + " | ".join(f"{k(n[x])} / {k(b[x])}" for x in KINDS + ("other",)) + " |\n")
        failed = [r for r in rows if r["peer"]["status"] != "ok"]
        if failed:
            md.write("\nSpecs the peer cannot handle: " + "; ".join(
                f"`{r['name']}` ({r['peer']['status']}: {r['peer'].get('error', '')})" for r in failed) + ".\n")

    # The target as a third, grey bar: "now" below it meets the target.
    target = ("target: 1/5 of before", "#a0aec0")
    chart.bars(f"{here}/results.svg", "Generated lines, before (25382d9) and now (log scale, lower is better)",
               "lines", [("before", "#c05621"), ("now", "#2b6cb0"), target],
               [(r["name"], (r["base"].get("lines"), r["now"].get("lines"),
                             r["base"]["lines"] / 5 if r["base"].get("lines") else None)) for r in rows],
               yformat="%.0s%c")
    label = "tether generate" + (f" {args}" if args else " (default settings)")
    ok = lambda x: x["wall_s"] if x["status"] == "ok" else None  # noqa: E731
    chart.bars(f"{here}/time.svg", "Generation time, s (log scale, lower is better)", "seconds",
               [(label, "#2b6cb0"), ("openapi-typescript", "#c05621"), ("target: 1/5 of openapi-typescript", "#a0aec0")],
               [(r["name"], (ok(r["now"]), ok(r["peer"]), ok(r["peer"]) and ok(r["peer"]) / 5)) for r in rows])
    print(f"bench/codegen: wrote {here}/results.md, results.svg and time.svg", file=sys.stderr)


if __name__ == "__main__":
    main()
