#!/usr/bin/env python3
"""Durability of the sandbox on SQLite: kill -9 during a write load, restart, and check
that every acknowledged write is there and that no write is half-applied.

Eight clients create projects as fast as they can (each createProject writes the project
and its `production` environment in one transaction, plus an event); after a second the
sandbox is killed with SIGKILL. After a restart on the same database:
  - every project whose creation was acknowledged (201) is readable, with its name;
  - every project that exists, acknowledged or not (a write can commit just before the kill
    and lose only its response), has its production environment: a transaction is all or
    nothing;
and the counts are printed.

    tests/sandbox/durability_test.py SANDBOX_BINARY
"""
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sandbox_process import Sandbox, random_key, request  # noqa: E402


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        key = random_key()
        env = {"TETHER_SANDBOX_ADMIN_KEY": key}
        db = os.path.join(work, "sandbox.db")
        sandbox = Sandbox(binary, work, db, env, ["--rate-limit", "1000000"]).start()
        acknowledged = {}  # id -> name
        lock = threading.Lock()
        stop = threading.Event()

        def writer(n):
            i = 0
            while not stop.is_set():
                name = f"w{n}-{i}"
                i += 1
                try:
                    status, _, body = request(sandbox.url, "POST", "/v1/projects", key, {"name": name}, timeout=5)
                except OSError:
                    continue  # the kill: no response, so not acknowledged
                if status == 201:
                    with lock:
                        acknowledged[body["id"]] = name
                elif status >= 500:
                    print(f"durability: FAILED: a write answered {status}: {body}")
                    os._exit(1)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        sandbox.kill9()
        stop.set()
        for t in threads:
            t.join()
        print(f"durability: {len(acknowledged)} writes acknowledged before kill -9")
        if len(acknowledged) < 20:
            print("durability: FAILED: too few writes before the kill to mean anything")
            return 1

        restarted = Sandbox(binary, work, db, env, ["--rate-limit", "1000000"]).start()
        try:
            missing = [pid for pid, name in acknowledged.items()
                       if (lambda r: r[0] != 200 or r[2]["name"] != name)(
                           request(restarted.url, "GET", f"/v1/projects/{pid}", key))]
            existing, cursor = [], None
            while True:
                path = "/v1/projects?limit=100" + (f"&cursor={cursor}" if cursor else "")
                status, _, page = request(restarted.url, "GET", path, key)
                assert status == 200, page
                existing += page["data"]
                if not page["meta"]["has_more"]:
                    break
                cursor = page["meta"]["next_cursor"]
            half = []
            for project in existing:
                envs = project["environment_ids"]
                status, _, env_body = request(restarted.url, "GET", f"/v1/environments/{envs[0]}", key)
                if status == 404 or (status == 200 and env_body["project_id"] != project["id"]):
                    half.append(project["id"])
                elif status != 200:
                    print(f"durability: FAILED: reading an environment answered {status}")
                    return 1
            extra = len(existing) - len(acknowledged)
            print(f"durability: after restart: {len(existing)} projects; acknowledged and missing: {len(missing)}; "
                  f"committed but unacknowledged at the kill: {extra}; half-applied: {len(half)}")
            ok = not missing and not half and extra >= 0
            print("durability: " + ("passed" if ok else "FAILED"))
            return 0 if ok else 1
        finally:
            restarted.stop()


if __name__ == "__main__":
    sys.exit(main())
