#!/usr/bin/env python3
"""Runs one command under limits and measures it: wall time, CPU time (user + sys of the
command and every descendant it waited for) and peak resident memory (the largest
resident set among them). The command runs under `/usr/bin/time -f '%e %U %S %M'`, whose
figures are the ones kept: measured from this Python process, a child's peak would
include the resident set of the Python fork it started as (about 15 MB).

Limits, each optional:
  --cpu S     CPU seconds (RLIMIT_CPU, inherited by children: g++'s cc1plus is killed by
              SIGXCPU past S); the measured CPU time is then a lower bound, "> S s".
  --wall S    wall seconds; the whole process group is killed past S (a machine shared
              with other builds can starve a `nice`d job, so keep it well above --cpu).
  --mem-mb M  address space per process (RLIMIT_AS, like `ulimit -v`); a compiler that
              needs more fails with "out of memory", and its peak is a lower bound.

Used as a module by the benchmarks (run()), or from the shell:
    limited.py [--cpu S] [--wall S] [--mem-mb M] [--nice N] -- COMMAND...
prints one line "status rc wall_s cpu_s peak_kb" (status: ok, failed, cpu-limit,
wall-limit, mem-limit) and exits 0.
"""
import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time

TIME = "/usr/bin/time"


def _classify(rc, cpu, stderr, limits):
    """Names why a command stopped; a limit is only blamed when its trace is there."""
    text = stderr.lower()
    if limits.get("wall_hit"):
        return "wall-limit"
    if limits.get("cpu") and (rc in (-signal.SIGXCPU, -signal.SIGKILL) or "cpu time limit" in text
                              or cpu >= limits["cpu"] - 0.5):
        if rc != 0:
            return "cpu-limit"
    if limits.get("mem_mb") and rc != 0 and ("out of memory" in text or "memory exhausted" in text
                                             or "cannot allocate" in text or "bad_alloc" in text
                                             or "memoryerror" in text):
        return "mem-limit"
    return "ok" if rc == 0 else "failed"


def run(cmd, cpu=None, wall=None, mem_mb=None, nice=0, cwd=None, stdout=subprocess.DEVNULL):
    """Runs cmd (a list) once; returns a dict: status, rc, wall_s, cpu_s, peak_kb, stderr."""
    def limit():
        if nice:
            os.nice(nice)
        if cpu:
            # The hard limit a little above the soft one: SIGXCPU first (a clear message),
            # SIGKILL if it is ignored.
            resource.setrlimit(resource.RLIMIT_CPU, (int(cpu), int(cpu) + 5))
        if mem_mb:
            resource.setrlimit(resource.RLIMIT_AS, (mem_mb << 20, mem_mb << 20))

    report = tempfile.NamedTemporaryFile(prefix="limited-", suffix=".time", delete=False)
    report.close()
    start = time.monotonic()
    proc = subprocess.Popen([TIME, "-f", "%e %U %S %M", "-o", report.name] + list(cmd), cwd=cwd, stdout=stdout, stderr=subprocess.PIPE,
                            preexec_fn=limit, start_new_session=True)
    state = {"cpu": cpu, "mem_mb": mem_mb, "wall_hit": False}

    def on_wall():
        state["wall_hit"] = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(wall, on_wall) if wall else None
    if timer:
        timer.start()
    # stderr is read to its end before reaping, so a chatty compiler cannot block on a full pipe.
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    if timer:
        timer.cancel()
    rc = os.waitstatus_to_exitcode(status)
    cpu_s, peak_kb = usage.ru_utime + usage.ru_stime, usage.ru_maxrss  # if time's report is missing
    with open(report.name) as f:
        lines = f.read().splitlines()
    os.unlink(report.name)
    if lines and len(lines[-1].split()) == 4:
        _, user, system, peak = lines[-1].split()
        cpu_s, peak_kb = float(user) + float(system), int(peak)
    for line in lines:
        if line.startswith("Command terminated by signal"):
            rc = -int(line.split()[-1])  # time itself exits 128 + N
    proc.returncode = rc
    return {"status": _classify(rc, cpu_s, err, state), "rc": rc,
            "wall_s": elapsed, "cpu_s": cpu_s, "peak_kb": peak_kb, "stderr": err}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cpu", type=float)
    ap.add_argument("--wall", type=float)
    ap.add_argument("--mem-mb", type=int)
    ap.add_argument("--nice", type=int, default=0)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command")
    r = run(cmd, a.cpu, a.wall, a.mem_mb, a.nice)
    sys.stderr.write(r["stderr"][-2000:])
    print(f'{r["status"]} {r["rc"]} {r["wall_s"]:.2f} {r["cpu_s"]:.2f} {r["peak_kb"]}')


if __name__ == "__main__":
    main()
