#!/usr/bin/env python3
"""The corpus sweep of bench/codegen/corpus.sh: `TETHER generate SPEC --cpp DIR [ARGS]` on
every spec of CORPUS (.json, .yaml, .yml files), JOBS at a time, each under a wall-clock
limit (TIMEOUT seconds; the sweep goes on after a failure or a timeout), recording per spec:

    spec  status  rc  wall_s  cpu_s  peak_kb  out_bytes  first error line

status: ok, failed (tether refused the spec or crashed: rc says which; a negative rc is
the signal that killed it) or wall-limit. Peak memory is the largest resident set of the
process and its children, as `/usr/bin/time -f %M` reports it.

    corpus.py CORPUS OUT.tsv TETHER JOBS TIMEOUT NICE [ARGS...]
"""
import os
import shutil
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import limited  # noqa: E402


def specs(corpus):
    found = []
    for dirpath, _, names in os.walk(corpus):
        found += [os.path.relpath(os.path.join(dirpath, f), corpus) for f in names
                  if f.endswith((".json", ".yaml", ".yml"))]
    return sorted(found)


def tree_bytes(d):
    return sum(os.path.getsize(os.path.join(p, f)) for p, _, fs in os.walk(d) for f in fs)


def main():
    corpus, out, tether, jobs, timeout, nice = sys.argv[1:7]
    args = sys.argv[7:]
    todo = specs(corpus)
    lock = threading.Lock()
    done = [0]
    with open(out, "w") as f:
        f.write(f"# {tether} generate SPEC --cpp DIR {' '.join(args)}; timeout {timeout} s, {jobs} jobs, nice {nice}\n")

    def one(rel):
        work = tempfile.mkdtemp(prefix="tether-corpus-")
        try:
            r = limited.run([tether, "generate", os.path.join(corpus, rel), "--cpp", work] + args,
                            wall=float(timeout), nice=int(nice))
            size = tree_bytes(work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        err = "" if r["rc"] == 0 else next((l.strip() for l in r["stderr"].splitlines() if l.strip()), "")
        err = err.replace("\t", " ")[:160]
        with lock:
            with open(out, "a") as f:
                f.write(f"{rel}\t{r['status']}\t{r['rc']}\t{r['wall_s']:.2f}\t{r['cpu_s']:.2f}\t{r['peak_kb']}\t{size}\t{err}\n")
            done[0] += 1
            if done[0] % 100 == 0 or r["peak_kb"] > 1 << 20:
                print(f"bench/codegen corpus: {done[0]}/{len(todo)} ({rel}: {r['status']}, "
                      f"{r['peak_kb'] >> 10} MB)", file=sys.stderr, flush=True)

    with ThreadPoolExecutor(max_workers=int(jobs)) as pool:
        list(pool.map(one, todo))


if __name__ == "__main__":
    main()
