#!/usr/bin/env python3
"""Writes corpus.md, the small table of the corpus sweep (corpus.tsv now, corpus-baseline.tsv
before issue 17, both written by corpus.py): how many specs generate, fail or time out,
the largest peak memory and which specs go over 1 GB (the issue's target: none).

    corpus_report.py DIR
"""
import os
import sys

GB_KB = 1 << 20


def load(path):
    if not os.path.exists(path):
        return None, {}
    head, rows = "", {}
    for line in open(path):
        if line.startswith("#"):
            head = line[1:].strip()
            continue
        spec, status, rc, wall, cpu, peak, size, err = line.rstrip("\n").split("\t")
        rows[spec] = {"status": status, "rc": int(rc), "wall": float(wall), "cpu": float(cpu),
                      "peak": int(peak), "bytes": int(size), "err": err}
    return head, rows


def column(rows):
    if not rows:
        return None
    v = list(rows.values())
    top = max(rows, key=lambda s: rows[s]["peak"])
    slow = max(rows, key=lambda s: rows[s]["wall"])
    over = sorted((s for s in rows if rows[s]["peak"] > GB_KB), key=lambda s: -rows[s]["peak"])
    return {
        "specs": str(len(v)),
        "generated": str(sum(r["status"] == "ok" for r in v)),
        "refused with an error (exit 1..127)": str(sum(r["status"] == "failed" and r["rc"] > 0 for r in v)),
        "killed by a signal (crash)": str(sum(r["status"] == "failed" and r["rc"] < 0 for r in v)),
        "timed out": str(sum(r["status"] == "wall-limit" for r in v)),
        "largest peak memory": f"{rows[top]['peak'] / 1024:.0f} MB (`{top}`)",
        "specs over 1 GB": (", ".join(f"`{s}` ({rows[s]['peak'] / GB_KB:.1f} GB)" for s in over) or "none"),
        "slowest spec (wall)": f"{rows[slow]['wall']:.1f} s (`{slow}`)",
        "CPU time, all specs": f"{sum(r['cpu'] for r in v):.0f} s",
        "generated code, all specs": f"{sum(r['bytes'] for r in v) / 1e9:.2f} GB",
    }


def main():
    here = sys.argv[1]
    head_now, now = load(f"{here}/corpus.tsv")
    head_base, base = load(f"{here}/corpus-baseline.tsv")
    cn, cb = column(now), column(base)
    keys = list((cn or cb).keys())
    with open(f"{here}/corpus.md", "w") as md:
        md.write("### Corpus sweep (`bench/codegen/corpus.sh`)\n\n"
                 "`tether generate` on every spec of the APIs.guru corpus (1,322 specs), each under a wall-clock "
                 "limit, recording exit status, time and peak memory (what `/usr/bin/time -f %M` reports). "
                 "**Target: peak memory under 1 GB on every spec.** Full figures: `bench/codegen/corpus.tsv` "
                 "(now) and `corpus-baseline.tsv` (before).\n\n")
        md.write("| | now | before (25382d9) |\n|---|---|---|\n")
        for k in keys:
            md.write(f"| {k} | {cn[k] if cn else '-'} | {cb[k] if cb else '-'} |\n")
        if now and base:
            worse = sorted(s for s in now if now[s]["status"] != "ok" and base.get(s, {}).get("status") == "ok")
            if worse:
                md.write(f"\nSpecs that generated before and fail now ({len(worse)}): " +
                         ", ".join(f"`{s}` ({now[s]['err'] or now[s]['status']})" for s in worse[:20]) +
                         (" ..." if len(worse) > 20 else "") + "\n")
        md.write("\nRuns: " + "; ".join(f"{w}: `{h}`" for w, h in (("now", head_now), ("before", head_base)) if h) + "\n")
    print(f"bench/codegen: wrote {here}/corpus.md", file=sys.stderr)


if __name__ == "__main__":
    main()
