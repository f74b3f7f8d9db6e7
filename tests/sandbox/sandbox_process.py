"""Starting and talking to tether-sandbox processes from the process-level tests
(durability_test.py, scale_out_test.py): start on a free loopback port, wait for it, send
JSON requests, stop with a signal."""
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request


# GLIBC_TUNABLES as the sandbox sets it for itself (main.cpp): already set, it spares the
# sandbox re-executing itself, which is half of its start in an ASan build. For tests that
# start many sandboxes.
NO_REEXEC = {"GLIBC_TUNABLES": "glibc.malloc.tcache_max=8192:glibc.malloc.tcache_count=1000"}


class Exited(RuntimeError):
    """The sandbox exited before it listened: its exit status and what it wrote on stderr."""

    def __init__(self, returncode, stderr):
        last = stderr.strip().splitlines()[-1] if stderr.strip() else "(nothing on stderr)"
        super().__init__(f"the sandbox exited with {returncode}: {last}")
        self.returncode, self.stderr = returncode, stderr


class Sandbox:
    def __init__(self, binary, workdir, database, env=None, args=()):
        self.binary, self.workdir, self.database = binary, workdir, database
        self.env = dict(os.environ, **(env or {}))
        self.args = list(args)
        self.proc = None
        self.port = None

    def start(self, timeout=20):
        out = open(os.path.join(self.workdir, f"sandbox-{time.monotonic_ns()}.out"), "w+")
        self.log = open(os.path.join(self.workdir, f"sandbox-{time.monotonic_ns()}.log"), "w")
        self.proc = subprocess.Popen(
            [self.binary, "--database", self.database, "--port", "0", "--quiet",
             "--key-file", os.path.join(self.workdir, "master.key")] + self.args,
            stdout=out, stderr=self.log, env=self.env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            out.seek(0)
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", out.read())
            if m:
                self.port = int(m.group(1))
                return self
            if self.proc.poll() is not None:
                self.log.close()
                with open(self.log.name) as log:
                    raise Exited(self.proc.returncode, log.read())
            time.sleep(0.05)
        raise RuntimeError("the sandbox did not start in time")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise RuntimeError("the sandbox did not stop within 15 s of SIGTERM")
        return self.proc.returncode if self.proc else None


def request(base, method, path, key, body=None, headers=None, timeout=10):
    """(status, headers, parsed JSON or None); raises OSError when there is no response."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read()
            return r.status, dict(r.headers), json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        text = e.read()
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return e.code, dict(e.headers), parsed


def random_key(mode="test"):
    return f"sk_{mode}_" + os.urandom(18).hex()[:28]
