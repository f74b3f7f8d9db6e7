#!/usr/bin/env python3
"""The conformance runner's mutation test (issue 7): the sandbox breaks the Cloud API's
contract in one way at a time (its test-only --fault flag, sandbox/app/faults.h), and
tether-conform must fail (exit 1) with the check that names that breach. With no fault the
same run must pass (exit 0), so a check that fires on everything cannot pass this test.

    mutation_test.py SANDBOX CONFORM OPENAPI_JSON SUITES_DIR [FAULT...]

Each run: a fresh SQLite sandbox with two tenants (an admin key each, so the cross-tenant
checks run), `tether-conform run` with the suites and generated kinds that exercise the
fault, a fixed seed and 4 workers. The table printed at the end lists, per
fault, the expected check, the exit status and every check that fired."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sandbox_process import Sandbox, random_key  # noqa: E402

# fault -> (the check that must report it, suite tags, generated kinds). Each run is
# narrowed to the suites and generated kinds that exercise the fault, to keep it short; the
# run without a fault takes all of them together, so each narrowed run's zero is proven.
FAULTS = {
    "wrong-status": ("expected-status", ["projects"], []),
    "missing-field": ("response-schema", ["projects"], ["examples"]),
    "wrong-type": ("response-schema", ["projects"], ["examples"]),
    "undocumented-status": ("status-documented", ["projects"], []),
    "wrong-content-type": ("content-type", ["projects"], []),
    "missing-header": ("response-header", ["projects"], []),
    "auth-ignored": ("auth", [], ["auth"]),
    "foreign-tenant-visible": ("bola", [], ["bola"]),
    "page-skipped": ("pagination", ["pagination"], []),
    "idempotency-ignored": ("idempotency", ["idempotency"], []),
    "deleted-readable": ("use-after-delete", [], ["use-after-delete"]),
    "server-error": ("server-error", ["projects"], []),
}
FAULTS["none"] = (None, sorted({t for _, tags, _ in FAULTS.values() for t in tags}),
                  sorted({k for _, _, kinds in FAULTS.values() for k in kinds}))


def run_one(sandbox_bin, conform_bin, openapi, suites, fault, work):
    check, tags, kinds = FAULTS[fault]
    key, other = random_key(), random_key()
    folder = os.path.join(work, fault)
    os.makedirs(folder)
    sandbox = Sandbox(sandbox_bin, folder, os.path.join(folder, "sandbox.db"),
                      env={"TETHER_SANDBOX_ADMIN_KEY": key, "TETHER_SANDBOX_OTHER_TENANT_KEY": other},
                      args=["--rate-limit", "100000", "--clock-speed", "60", "--fault", fault])
    sandbox.start(timeout=30)
    report = os.path.join(folder, "report.json")
    try:
        command = [conform_bin, "run", "--spec", openapi, "--base-url", sandbox.url, "--token", key,
                   "--token2", other, "--seed", "1", "--workers", "4", "--quiet",
                   "--json", report, "--cassette-out", os.path.join(folder, "cassette.jsonl")]
        if tags:
            command += ["--suite", suites, "--tag", *tags]
        command += ["--kinds", *kinds] if kinds else ["--no-generated"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    finally:
        sandbox.stop()
    fired = {}
    try:
        with open(report) as f:
            for case in json.load(f)["cases"]:
                for finding in case.get("findings", []):
                    fired[finding["check"]] = fired.get(finding["check"], 0) + 1
    except (OSError, ValueError, KeyError) as e:
        fired = {f"(no report: {e})": 1}
    if check is None:
        ok = done.returncode == 0 and not fired
    else:
        ok = done.returncode == 1 and check in fired
    return ok, done, fired


def main():
    if len(sys.argv) < 5:
        print(__doc__)
        return 2
    sandbox_bin, conform_bin, openapi, suites = sys.argv[1:5]
    chosen = sys.argv[5:] or ["none"] + [f for f in FAULTS if f != "none"]
    failures = 0
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for fault in chosen:
            ok, done, fired = run_one(sandbox_bin, conform_bin, openapi, suites, fault, work)
            expected = FAULTS[fault][0] or "(none: exit 0)"
            rows.append((fault, expected, done.returncode, fired, ok))
            if not ok:
                failures += 1
                print(f"--- {fault}: expected {expected}, exit {done.returncode}; tether-conform said:")
                print(done.stdout[-4000:])
                print(done.stderr[-2000:])
    print(f"{'fault':24} {'expected check':18} {'exit':4}  result  checks that fired")
    for fault, expected, code, fired, ok in rows:
        checks = ", ".join(f"{k} x{v}" for k, v in sorted(fired.items())) or "-"
        print(f"{fault:24} {expected:18} {code:<4}  {'ok' if ok else 'MISSED':6}  {checks}")
    print(f"{len(rows) - failures} of {len(rows)} runs as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
