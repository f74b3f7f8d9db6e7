#!/usr/bin/env python3
"""Scale-out: two sandbox processes on one PostgreSQL, behind nginx (round robin), behave
as one service. Through nginx:
  - both processes answer (nginx names the upstream in a header, so the test sees it);
  - a POST retried with the same Idempotency-Key lands on the other process and is replayed
    (same body, Idempotent-Replayed: true), and only one resource exists;
  - the rate limit is one bucket per key: with a limit of 6 per hour, the seventh request
    is refused with 429 whichever process takes it.

    tests/sandbox/scale_out_test.py SANDBOX_BINARY
It needs TETHER_TEST_POSTGRES_URL (tools/pg-throwaway.sh run sets it) and nginx; without
them it skips (exit 77) with a message, except under CI=true, where that fails.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sandbox_process import Sandbox, random_key, request  # noqa: E402


def skip(why):
    print(f"scale_out: SKIPPED: {why}")
    sys.exit(1 if os.environ.get("CI") == "true" else 77)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    binary = sys.argv[1]
    url = os.environ.get("TETHER_TEST_POSTGRES_URL")
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not url:
        skip("TETHER_TEST_POSTGRES_URL is not set (run under tools/pg-throwaway.sh run)")
    if not nginx:
        skip("nginx is not installed (tools/setup.sh installs it)")
    schema = f"tether_scale_{os.getpid()}"
    psql_url = url
    subprocess.run(["psql", psql_url, "-q", "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"],
                   check=True, capture_output=True)
    database = url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    with tempfile.TemporaryDirectory() as work:
        key = random_key()
        # One master key for both: a secret sealed by one process must open in the other.
        env = {"TETHER_SANDBOX_ADMIN_KEY": key, "TETHER_SANDBOX_MASTER_KEY": os.urandom(32).hex()}
        limit = ["--rate-limit", "6", "--rate-window", "3600"]
        first = Sandbox(binary, work, database, env, limit).start()  # migrates and bootstraps
        second = Sandbox(binary, work, database, env, limit).start()
        port = free_port()
        conf = os.path.join(work, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""
daemon off;
worker_processes 1;
error_log {work}/nginx-error.log;
pid {work}/nginx.pid;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fcgi;
  uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  upstream sandboxes {{ server 127.0.0.1:{first.port}; server 127.0.0.1:{second.port}; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://sandboxes;
      proxy_next_upstream off;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
""")
        proxy = subprocess.Popen([nginx, "-c", conf, "-p", work], stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        failures = []
        try:
            for _ in range(50):
                try:
                    request(base, "GET", "/healthz", key)
                    break
                except OSError:
                    time.sleep(0.1)
            # A second key, with its own bucket, to look at the state once the first is empty.
            _, _, made = request(base, "POST", "/v1/api-keys", key, {"name": "observer", "scopes": ["read"], "mode": "test"})
            observer = made["secret"]
            # Idempotency across the two processes.
            headers = {"Idempotency-Key": "0b5e4f7a-9c1d-4e2f-8a3b-5c6d7e8f9a0b"}
            s1, h1, b1 = request(base, "POST", "/v1/projects", key, {"name": "shared"}, headers)
            s2, h2, b2 = request(base, "POST", "/v1/projects", key, {"name": "shared"}, headers)
            upstreams = {h1.get("X-Upstream"), h2.get("X-Upstream")}
            print(f"scale_out: the two POSTs went to {sorted(upstreams)}: {s1}, {s2}")
            if len(upstreams) != 2:
                failures.append("nginx did not spread the two requests over both processes")
            if not (s1 == 201 and s2 == 201 and b1 == b2 and h2.get("Idempotent-Replayed") == "true"):
                failures.append(f"the retry was not replayed: {s1} {s2} {h2.get('Idempotent-Replayed')}")
            # Rate limit across the two: 3 requests spent above, 3 more pass, the next is 429.
            statuses = [request(base, "GET", "/v1/projects", key)[0] for _ in range(4)]
            print(f"scale_out: four more requests with a limit of 6: {statuses}")
            if statuses != [200, 200, 200, 429]:
                failures.append(f"the rate limit did not hold across the processes: {statuses}")
            status, _, page = request(base, "GET", "/v1/projects?name=shared", observer)
            count = len(page["data"]) if status == 200 else -1
            print(f"scale_out: projects named 'shared': {count}")
            if count != 1:
                failures.append(f"the idempotent POST made {count} projects")
        finally:
            proxy.terminate()
            proxy.wait(timeout=10)
            for s in (first, second):
                s.stop()
            subprocess.run(["psql", psql_url, "-q", "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE"],
                           capture_output=True)
        for f in failures:
            print(f"scale_out: FAILED: {f}")
        print("scale_out: " + ("passed" if not failures else "FAILED"))
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
