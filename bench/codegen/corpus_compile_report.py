#!/usr/bin/env python3
"""Summarizes corpus-compile.tsv (bench/codegen/corpus_compile.sh) into corpus-compile.md:
how many specs of the corpus were run, how many compile, failures and warnings by class,
CPU time and the compiler's largest peak.

    corpus_compile_report.py DIR
"""
import collections
import os
import re
import sys


def main():
    here = sys.argv[1]
    rows = []
    with open(os.path.join(here, "corpus-compile.tsv")) as f:
        header = f.readline().lstrip("# ").strip()
        for line in f:
            p = line.rstrip("\n").split("\t")
            rows.append({"spec": p[0], "status": p[1], "gen": float(p[2]), "cc": float(p[3]),
                         "peak": int(p[4]), "warnings": int(p[5]), "err": p[6] if len(p) > 6 else ""})
    corpus = 1322
    by_status = collections.Counter(r["status"] for r in rows)
    compiled = by_status["ok"] + by_status["warnings"]
    classes = collections.Counter()
    for r in rows:
        if r["status"] in ("warnings", "compile-failed"):
            m = re.search(r"\[(-W[^\]]+)\]", r["err"])
            kind = m.group(1) if m else ("error" if r["status"] == "compile-failed" else "warning")
            classes[(r["status"], kind)] += 1
    out = ["### Compiling the whole corpus (`bench/codegen/corpus_compile.sh`)", "",
           f"`{header}`", "",
           f"{len(rows)} of the corpus's {corpus} specs run"
           + ("" if len(rows) >= corpus else " (the sweep is resumable; the rest were not run yet)") + ".", "",
           "| specs run | compile | of which with warnings | generate fails | compile fails | time limit "
           "| CPU generate | CPU compile | largest compiler peak |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
           f"| {len(rows)} | {compiled} ({100.0 * compiled / max(1, len(rows)):.1f}%) | {by_status['warnings']} "
           f"| {by_status['generate-failed']} | {by_status['compile-failed']} | {by_status['wall-limit']} "
           f"| {sum(r['gen'] for r in rows):.0f} s | {sum(r['cc'] for r in rows):.0f} s "
           f"| {max((r['peak'] for r in rows), default=0) / 1024:.0f} MB |", ""]
    if classes:
        out += ["| outcome | class | specs | example |", "|---|---|---:|---|"]
        for (status, kind), n in classes.most_common():
            example = next(r for r in rows if r["status"] == status and (kind in r["err"] or kind in ("error", "warning")))
            out.append(f"| {status} | `{kind}` | {n} | {example['spec']}: `{example['err'][:120].replace('|', '/')}` |")
        out.append("")
    failed = [r for r in rows if r["status"] in ("generate-failed", "compile-failed", "wall-limit")]
    for r in failed[:20]:
        out.append(f"- {r['spec']} ({r['status']}): `{r['err'][:160].replace('|', '/')}`")
    if failed:
        out.append("")
    # What a resumed sweep cannot say itself: which generator and runtime each stretch of
    # rows was measured with (written by hand beside the table, kept across re-runs).
    notes = os.path.join(here, "corpus-compile-notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            out += [f.read().strip(), ""]
    with open(os.path.join(here, "corpus-compile.md"), "w") as f:
        f.write("\n".join(out))
    print(f"bench/codegen: wrote {os.path.join(here, 'corpus-compile.md')}")


if __name__ == "__main__":
    main()
