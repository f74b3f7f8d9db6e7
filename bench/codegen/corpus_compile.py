#!/usr/bin/env python3
"""The corpus compile sweep of bench/codegen/corpus_compile.sh: for every spec of CORPUS,
`TETHER generate SPEC --cpp DIR --parts 1 -q`, then every generated .cpp compiled as one
unit with `CXX -std=c++20 -fsyntax-only -Wall -Wextra` (the same unit the corpus tests
compile, without -Werror so that warnings are counted, not fatal), JOBS specs at a time,
each step under a wall-clock limit. Records per spec:

    spec  status  generate_cpu_s  compile_cpu_s  compile_peak_kb  warnings  first error line

status: ok, warnings (compiles, with warnings), generate-failed, compile-failed,
wall-limit. Resumable: specs already in OUT.tsv are not run again (delete it to start over).

    corpus_compile.py CORPUS OUT.tsv TETHER CXX INCLUDES JOBS TIMEOUT NICE
"""
import os
import re
import shutil
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import limited  # noqa: E402
from corpus import specs  # noqa: E402


def main():
    corpus, out, tether, cxx, includes, jobs, timeout, nice = sys.argv[1:9]
    done = set()
    if os.path.exists(out):
        with open(out) as f:
            done = {line.split("\t", 1)[0] for line in f if not line.startswith("#")}
    else:
        with open(out, "w") as f:
            f.write(f"# {tether} generate --parts 1 -q; {cxx} -std=c++20 -fsyntax-only -Wall -Wextra; "
                    f"timeout {timeout} s, {jobs} jobs, nice {nice}\n")
    todo = [s for s in specs(corpus) if s not in done]
    lock = threading.Lock()
    count = [len(done)]
    total = len(done) + len(todo)

    def one(rel):
        work = tempfile.mkdtemp(prefix="tether-corpus-compile-")
        try:
            src = os.path.join(work, "src")
            g = limited.run([tether, "generate", os.path.join(corpus, rel), "--cpp", src, "--parts", "1", "-q"],
                            wall=float(timeout), nice=int(nice))
            c = None
            if g["rc"] == 0:
                units = sorted(f for f in os.listdir(src) if f.endswith(".cpp"))
                with open(os.path.join(src, "all.cpp"), "w") as unit:
                    unit.writelines(f'#include "{u}"\n' for u in units)
                c = limited.run([cxx, "-std=c++20", "-fsyntax-only", "-Wall", "-Wextra"] + includes.split()
                                + [os.path.join(src, "all.cpp")], wall=float(timeout), nice=int(nice))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if g["rc"] != 0:
            status = "wall-limit" if g["status"] == "wall-limit" else "generate-failed"
            text, warnings = g["stderr"], 0
        else:
            warnings = len(re.findall(r"warning: ", c["stderr"]))
            status = c["status"] if c["status"] == "wall-limit" else "compile-failed" if c["rc"] != 0 \
                else "warnings" if warnings else "ok"
            text = c["stderr"]
        err = "" if status == "ok" else next(
            (l.strip() for l in text.splitlines() if "error" in l or "warning" in l), "")
        err = err.replace("\t", " ")[:200]
        with lock:
            with open(out, "a") as f:
                f.write(f"{rel}\t{status}\t{g['cpu_s']:.2f}\t{(c or {}).get('cpu_s', 0):.2f}\t"
                        f"{(c or {}).get('peak_kb', 0)}\t{warnings}\t{err}\n")
            count[0] += 1
            if count[0] % 25 == 0 or status not in ("ok", "warnings"):
                print(f"bench/codegen corpus compile: {count[0]}/{total} ({rel}: {status})", flush=True)

    with ThreadPoolExecutor(max_workers=int(jobs)) as pool:
        list(pool.map(one, todo))


if __name__ == "__main__":
    main()
