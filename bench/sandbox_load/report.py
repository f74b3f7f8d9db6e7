#!/usr/bin/env python3
"""Writes results.md and chart.dat (for chart.gp) from one run of run.sh: the wrk figures
(runs.jsonl, one JSON line per run, from report.lua) and the servers' peak RSS (rss.txt).

    report.py RUNS_JSONL RSS_TXT OUT_DIR --seconds S --connections C --wrk-threads W --loops L --threads T
              --prism VERSION --wrk VERSION --load-before L --load-after L --projects N
"""
import argparse
import datetime
import json
import os
import platform
import subprocess

SERVERS = [("sandbox", "tether-sandbox (SQLite, event loop)"), ("sandbox_httplib", "tether-sandbox (SQLite, httplib transport)"),
           ("prism", "Prism mock (peer)"), ("hello", "bare cpp-httplib (ceiling)")]
CHART_LABELS = {"sandbox": "sandbox", "sandbox_httplib": "sandbox on httplib", "prism": "Prism",
                "hello": "httplib ceiling"}
# Issue 6's targets for the authenticated GET.
TARGET_GET_RPS = 20000
TARGET_P99_MS = 5.0
TARGET_OF_CEILING = 0.5
TARGET_OVER_PRISM = 10.0


def machine():
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Linux {platform.release()}"


def verdict(ok):
    return "met" if ok else "**not met**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs")
    ap.add_argument("rss")
    ap.add_argument("out")
    for flag in ("seconds", "connections", "wrk-threads", "loops", "threads", "prism", "wrk", "load-before", "load-after", "projects"):
        ap.add_argument("--" + flag, required=True)
    a = ap.parse_args()
    runs = {r["name"]: r for r in map(json.loads, open(a.runs))}
    rss = dict(line.split() for line in open(a.rss) if line.strip())
    missing = [f"{s}-{m}" for s, _ in SERVERS for m in ("get", "post") if f"{s}-{m}" not in runs]
    if missing:
        raise SystemExit(f"report.py: no figures for {', '.join(missing)}")

    sg, sp = runs["sandbox-get"], runs["sandbox-post"]
    hg, hp = runs["hello-get"], runs["hello-post"]
    pg, pp = runs["prism-get"], runs["prism-post"]
    of_ceiling = sg["rps"] / hg["rps"]
    over_prism_get = sg["rps"] / pg["rps"]
    over_prism_post = sp["rps"] / pp["rps"]
    compiler = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]

    out = []
    out.append(f"Machine: {machine()}. Compiler: {compiler}, release build (`-O2`). "
               f"{a.wrk}; Prism {a.prism}. Run {datetime.date.today().isoformat()}: each row is "
               f"`wrk -t{a.wrk_threads} -c{a.connections} -d{a.seconds}s --latency` on loopback, one after another in "
               f"one run; wrk and the server share the cores. Load average {a.load_before} before the run, "
               f"{a.load_after} after (the machine is shared: other builds may have run beside it).")
    out.append("")
    out.append(f"Requests: **GET** `/v1/projects/{{id}}` (a project that exists) and **POST** `/v1/projects` "
               f"(a new name and `Idempotency-Key` per request: each one creates a project, its production "
               f"environment, an event and an idempotency record; {a.projects} projects at the end), both with "
               f"`Authorization: Bearer sk_test_...` (bench/sandbox_load/get.lua, post.lua). The sandbox runs on "
               f"SQLite with `--quiet` and a rate limit it does not reach: on its default event-loop transport with "
               f"`--threads {a.loops}` (loops), and on the httplib transport with `--http-engine httplib --threads "
               f"{a.threads}` (a worker per connection); the hello-world answers a fixed JSON body with that httplib "
               f"setup ({a.threads} workers); Prism runs "
               f"`prism mock generated/openapi.json -v error` (static examples, auth presence checked only).")
    out.append("")
    out.append("| server | request | requests/s | p50 | p99 | max | non-2xx | socket errors | peak RSS |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for server, label in SERVERS:
        for method in ("get", "post"):
            r = runs[f"{server}-{method}"]
            out.append(f"| {label} | {method.upper()} | {r['rps']:,.0f} | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms "
                       f"| {r['max_ms']:.0f} ms | {r['non2xx']} | {r['errors']} | {rss[server]} MB |")
    out.append("")
    out.append("Peak RSS is the process's VmHWM after both of its runs (Prism: the node process and its children).")
    out.append("")
    out.append("| target (issue 6, authenticated GET) | measured | |")
    out.append("|---|---:|---|")
    out.append(f"| at least {TARGET_GET_RPS:,} requests/s | {sg['rps']:,.0f} | {verdict(sg['rps'] >= TARGET_GET_RPS)} |")
    out.append(f"| p99 under {TARGET_P99_MS:g} ms | {sg['p99_ms']:.2f} ms | {verdict(sg['p99_ms'] < TARGET_P99_MS)} |")
    out.append(f"| at least {TARGET_OF_CEILING:g}x the bare ceiling | {of_ceiling:.2f}x | "
               f"{verdict(of_ceiling >= TARGET_OF_CEILING)} |")
    out.append(f"| at least {TARGET_OVER_PRISM:g}x Prism | {over_prism_get:.1f}x | "
               f"{verdict(over_prism_get >= TARGET_OVER_PRISM)} |")
    out.append("")
    st2, ht2 = runs.get("sandbox-get-t2"), runs.get("hello-get-t2")
    if st2 and ht2:
        out.append(f"With two wrk threads (`-t2`, the setting of earlier runs; a fourth busy thread on the 2 cores) the "
                   f"same GET gives the sandbox {st2['rps']:,.0f} requests/s, p50 {st2['p50_ms']:.2f} ms, p99 "
                   f"{st2['p99_ms']:.2f} ms, and the bare ceiling {ht2['rps']:,.0f} requests/s, p99 "
                   f"{ht2['p99_ms']:.2f} ms ({st2['rps'] / ht2['rps']:.2f}x).")
        out.append("")
    out.append(f"POST: the sandbox answers {over_prism_post:.1f}x Prism's rate and {sp['rps'] / hp['rps']:.2f}x the "
               f"ceiling's, p99 {sp['p99_ms']:.2f} ms.")
    # What the figures say about the sandbox's design (profile, changes, what is left):
    # written by hand in notes.md, kept next to the figures it explains.
    notes = os.path.join(a.out, "notes.md")
    if os.path.exists(notes):
        out.append("")
        out.append(open(notes).read().rstrip("\n"))
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write("\n".join(out) + "\n")
    with open(os.path.join(a.out, "chart.dat"), "w") as f:
        f.write("# server get_rps post_rps get_p99_ms post_p99_ms\n")
        for server, label in SERVERS:
            g, p = runs[f"{server}-get"], runs[f"{server}-post"]
            f.write(f"\"{CHART_LABELS[server]}\" {g['rps']:.1f} {p['rps']:.1f} {g['p99_ms']:.3f} {p['p99_ms']:.3f}\n")


if __name__ == "__main__":
    main()
