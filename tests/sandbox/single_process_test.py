#!/usr/bin/env python3
"""A SQLite file is served by one sandbox process (issue 19, sandbox/app/file_lock.h).

  - a second sandbox on the same file, by the same path or another spelling of it (a
    symlink, "dir/../dir/file"), exits non-zero before listening, with one line naming the
    file, the pid of the process serving it, and PostgreSQL for replicas; the first one
    serves on, undisturbed;
  - after the first stops (SIGTERM), a new one starts on the file and finds its data; after
    that one is killed with SIGKILL, the next starts at once (the kernel drops the lock);
  - a PostgreSQL target takes no lock (no lock file is made; with no server there it fails
    to connect instead).

    tests/sandbox/single_process_test.py SANDBOX_BINARY
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sandbox_process import NO_REEXEC, Exited, Sandbox, random_key, request  # noqa: E402


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def refused(binary, work, database, env, holder):
    """Starts a sandbox on `database`, which must be refused because `holder` serves it."""
    try:
        intruder = Sandbox(binary, work, database, env).start()
    except Exited as e:
        lines = e.stderr.strip().splitlines()
        real = os.path.realpath(holder.database)
        print(f"single process: {database}: exit {e.returncode}: {lines[-1] if lines else ''}")
        expect(e.returncode != 0, "the refused sandbox exited with 0")
        expect(len(lines) == 1, f"the refusal is not one line: {lines}")
        for part in (real, "another process", f"pid {holder.proc.pid}", "PostgreSQL"):
            expect(part in lines[0], f"the refusal does not say {part!r}: {lines[0]}")
        return
    intruder.stop()
    raise AssertionError(f"a second sandbox started on {database} while pid {holder.proc.pid} serves it")


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        key = random_key()
        env = {"TETHER_SANDBOX_ADMIN_KEY": key, **NO_REEXEC}
        db = os.path.join(work, "data", "sandbox.db")
        first = Sandbox(binary, work, db, env).start()
        try:
            with open(db + ".lock") as f:
                expect(f.read().strip() == str(first.proc.pid), "the lock file does not hold the pid of its holder")
            status, _, project = request(first.url, "POST", "/v1/projects", key, {"name": "kept"})
            expect(status == 201, f"create answered {status}")

            os.symlink(os.path.join(work, "data"), os.path.join(work, "link"))
            for spelling in (db, os.path.join(work, "link", "sandbox.db"),
                             os.path.join(work, "data", "..", "data", "sandbox.db")):
                refused(binary, work, spelling, env, first)
            status, _, _ = request(first.url, "GET", f"/v1/projects/{project['id']}", key)
            expect(status == 200, f"the first sandbox, after the refusals, answered {status}")
        finally:
            expect(first.stop() == 0, "the first sandbox did not stop cleanly")

        second = Sandbox(binary, work, db, env).start()
        status, _, body = request(second.url, "GET", f"/v1/projects/{project['id']}", key)
        expect(status == 200 and body["name"] == "kept", f"after a restart the project reads {status} {body}")
        second.kill9()
        print("single process: a sandbox starts after the previous one stopped, and right after a kill -9")
        third = Sandbox(binary, work, db, env).start()
        refused(binary, work, db, env, third)
        expect(third.stop() == 0, "the third sandbox did not stop cleanly")

        # PostgreSQL: no lock file (nothing listens on port 1, so the start fails to connect).
        before = set(os.listdir(work))
        result = subprocess.run([binary, "--database", "postgresql://127.0.0.1:1/none", "--port", "0", "--quiet",
                                 "--key-file", os.path.join(work, "master.key")],
                                cwd=work, env=dict(os.environ, **env), capture_output=True, text=True, timeout=60)
        expect(result.returncode != 0, "a sandbox started on a PostgreSQL URL where nothing listens")
        expect("another process" not in result.stderr, f"a PostgreSQL target was locked: {result.stderr}")
        expect(set(os.listdir(work)) == before, f"a PostgreSQL target made files: {set(os.listdir(work)) - before}")
        print("single process: passed")
        return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, RuntimeError) as e:
        print(f"single process: FAILED: {e}")
        sys.exit(1)
