#!/usr/bin/env python3
"""Durability of the sandbox on SQLite: kill -9 at a random point of a concurrent write
load, twenty times over on the same database, and after each kill check that every
acknowledged write is there, that no write is half-applied, and that Idempotency-Key
records and resources agree.

Each round, WRITERS clients create projects as fast as they can; three creates in four
carry an Idempotency-Key (a keyed create writes the project, its `production`
environment, a `project.created` event and the key's record). After a delay drawn from a
seeded generator (the seed is printed: --seed reproduces the kill points) the sandbox is
killed with SIGKILL. Then, on the dead file, read directly (sqlite3, read-only):
  - every project whose creation was acknowledged (201), in any round so far, is there
    with its name;
  - every project, acknowledged or not (a write can commit just before the kill and lose
    only its response), has its production environment and its creation event, and every
    production environment its project: a transaction is all or nothing;
  - every project is one a client asked for, under its own name;
  - idempotency records and projects agree: a key is a UUID made from the name of the
    project its create makes, so every record 'done' (always with a 201) must have its
    project, every project created with a key its record, and every acknowledged keyed
    create's record must be 'done'.
The sandbox restarts on the same file, and through the API:
  - projects acknowledged in the round (up to 48, drawn) read back (200, their name);
  - a retry, with the same key and body, of every keyed create of the round committed with
    its record 'done' but its response lost at the kill, and of some acknowledged ones (of
    the round and of earlier rounds), replays: 201, Idempotent-Replayed: true, and the id of
    the project in the file (so the stored, sealed, response names that project, and the
    retry made no second one). A create replayed after a lost response counts as
    acknowledged from then on.
Counts are printed per round and in total.

With --atomic-keyed-creates (as ctest runs it) no record may be left 'in_flight' at all:
the group committer (sandbox/app/group_commit.h) writes the claim of a key, the create and
the stored response as one unit. Without it the test also passes on the write path before
that, where a keyed create was three transactions (claim the key, create, record the
response) and a kill between them left records 'in_flight', with or without their project:
those are only counted ("keyed, record left in flight", "key claimed, nothing created"; a
retry under such a key answers 409 until the record expires).

    tests/sandbox/durability_test.py SANDBOX_BINARY [--seed N] [--rounds N] [--writers N]
                                     [--atomic-keyed-creates]
"""
import argparse
import http.client
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sandbox_process import NO_REEXEC, Sandbox, random_key, request  # noqa: E402

KILL_AFTER = (0.05, 0.6)  # seconds of write load before the kill, drawn each round
# Retries per round: of keyed creates acknowledged in the round, and in earlier rounds
# (drawn at random); those whose response the kill lost are all retried.
REPLAYS_ACKNOWLEDGED, REPLAYS_EARLIER = 24, 8
READS = 48  # acknowledged creates of the round read back through the API (the file check reads all)
NO_RESPONSE = (OSError, http.client.HTTPException, ValueError)  # the kill cut the exchange


class Failure(Exception):
    pass


class Ledger:
    """What the clients sent and what was acknowledged, across rounds."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = {}           # name -> Idempotency-Key or None
        self.acknowledged = {}   # project id -> (name, key, round)
        self.errors = []

    def keyed_acknowledged(self, rnd=None):
        return [(pid, name, key) for pid, (name, key, r) in self.acknowledged.items()
                if key is not None and (rnd is None or r == rnd)]


def key_of(name):
    """The Idempotency-Key of the keyed create of `name` (a UUID, as the spec wants)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"tether-durability:{name}"))


def write_load(sandbox, key, ledger, rnd, writers, kill_after):
    """WRITERS threads create projects until the sandbox is killed after kill_after seconds."""
    stop = threading.Event()

    def writer(n):
        i = 0
        while not stop.is_set():
            name = f"r{rnd:02d}-w{n:02d}-{i}"
            idem = key_of(name) if i % 4 != 3 else None
            i += 1
            with ledger.lock:
                ledger.sent[name] = idem
            try:
                status, _, body = request(sandbox.url, "POST", "/v1/projects", key, {"name": name},
                                          headers={"Idempotency-Key": idem} if idem else None, timeout=5)
            except NO_RESPONSE:
                continue  # no response: not acknowledged
            with ledger.lock:
                if status == 201:
                    ledger.acknowledged[body["id"]] = (name, idem, rnd)
                else:
                    ledger.errors.append(f"creating {name} answered {status}: {body}")
                    stop.set()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    time.sleep(kill_after)
    sandbox.kill9()
    stop.set()
    for t in threads:
        t.join()
    if ledger.errors:
        raise Failure("a create failed during the load: " + ledger.errors[0])


def check_file(db, ledger, rnd, atomic):
    """The database as the kill left it, read-only. Returns the counts, and this round's
    keys whose record is 'done' with the project each one's create made: their replays,
    checked after the restart, show that the stored (sealed) response names that project."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        projects = dict(con.execute("SELECT id, name FROM resources WHERE kind = 'project'"))
        production = {r[0] for r in con.execute(
            "SELECT parent_id FROM resources WHERE kind = 'environment' AND name = 'production'")}
        created_events = {r[0] for r in con.execute(
            "SELECT json_extract(body, '$.data.object.id') FROM events WHERE type = 'project.created'")}
        records = {r[0]: r[1:] for r in con.execute(
            "SELECT idempotency_key, state, response_status FROM idempotency_keys")}
    finally:
        con.close()
    by_name = {name: pid for pid, name in projects.items()}
    problems = []

    missing = [pid for pid, (name, _, _) in ledger.acknowledged.items() if projects.get(pid) != name]
    if missing:
        problems.append(f"{len(missing)} acknowledged creates missing, e.g. {missing[:3]}")
    half = sorted(pid for pid in projects if pid not in production or pid not in created_events)
    half += sorted(f"environment of {pid}" for pid in production if pid not in projects)
    if half:
        problems.append(f"{len(half)} half-applied creates (no production environment, no event, or an "
                        f"environment without its project), e.g. {half[:3]}")
    unknown = [pid for pid, name in projects.items() if name not in ledger.sent]
    if unknown or len(by_name) != len(projects):
        problems.append(f"projects no client asked for, or a name twice: {unknown[:3]}")

    # A key is made from the name of the project its create makes, so a record names its
    # project by the name in the file, whatever its sealed response says.
    name_of = {idem: name for name, idem in ledger.sent.items() if idem is not None}
    this_round = f"r{rnd:02d}-"
    done, in_flight_created, in_flight_empty = [], 0, 0
    for idem, (state, status) in records.items():
        name = name_of.get(idem)
        if name is None:
            problems.append(f"an idempotency record no client made: {idem}")
        elif state == "done":
            if status != 201 or name not in by_name:
                problems.append(f"record {idem} is done with {status}, but project {name} does not exist")
            elif name.startswith(this_round):
                done.append((by_name[name], name, idem))
        elif name in by_name:
            in_flight_created += name.startswith(this_round)
            if atomic:
                problems.append(f"record {idem} is still in flight though its project {by_name[name]} exists")
        else:
            in_flight_empty += name.startswith(this_round)
            if atomic:
                problems.append(f"record {idem} is still in flight: a claim committed without its create")
    for pid, name in projects.items():
        idem = ledger.sent.get(name)
        if idem is not None and idem not in records:
            problems.append(f"project {pid} was created with key {idem}, which has no record")
    for pid, name, idem in ledger.keyed_acknowledged():
        if records.get(idem, (None,))[0] != "done":
            problems.append(f"acknowledged keyed create {pid} ({idem}): record {records.get(idem)}, not done")
    if problems:
        raise Failure("; ".join(problems[:6]))
    # Per round, but for the first two (the whole file).
    unacknowledged = [pid for pid, name in projects.items()
                      if name.startswith(this_round) and pid not in ledger.acknowledged]
    counts = {"projects": len(projects), "records": len(records),
              "committed, response lost": len(unacknowledged),
              "of which keyed, record done": sum(1 for pid, _, _ in done if pid not in ledger.acknowledged),
              "of which keyed, record left in flight": in_flight_created,
              "key claimed, nothing created": in_flight_empty}
    return counts, done


def check_api(sandbox, key, ledger, rnd, done, rng):
    """After the restart: this round's acknowledged creates (some) read back; retrying keyed creates
    whose record is done (every one whose response was lost, some acknowledged) replays.
    Four clients at a time: these requests are a good part of the test's time."""
    def read_back(entry):
        pid, name = entry
        status, _, body = request(sandbox.url, "GET", f"/v1/projects/{pid}", key)
        if status != 200 or body.get("name") != name:
            return f"acknowledged project {pid} ({name}) reads {status} {body}"

    def replay(entry):
        pid, name, idem = entry
        status, headers, body = request(sandbox.url, "POST", "/v1/projects", key, {"name": name},
                                        headers={"Idempotency-Key": idem})
        replayed = {k.lower(): v for k, v in headers.items()}.get("idempotent-replayed")
        if status != 201 or replayed != "true" or (body or {}).get("id") != pid:
            return (f"retrying the create of {pid} with key {idem} answered {status} (Idempotent-Replayed: "
                    f"{replayed}, id {(body or {}).get('id')}), not a replay of {pid}")

    earlier = [entry for entry in ledger.keyed_acknowledged() if ledger.acknowledged[entry[0]][2] != rnd]
    lost = [entry for entry in done if entry[0] not in ledger.acknowledged]
    acknowledged = [entry for entry in done if entry[0] in ledger.acknowledged]
    retries = (lost + rng.sample(acknowledged, min(REPLAYS_ACKNOWLEDGED, len(acknowledged))) +
               rng.sample(earlier, min(REPLAYS_EARLIER, len(earlier))))
    reads = [(pid, name) for pid, (name, _, r) in ledger.acknowledged.items() if r == rnd]
    reads = rng.sample(reads, min(READS, len(reads)))
    with ThreadPoolExecutor(4) as pool:
        problems = [p for p in pool.map(read_back, reads) if p] + [p for p in pool.map(replay, retries) if p]
    if problems:
        raise Failure("; ".join(problems[:4]))
    for pid, name, idem in lost:  # acknowledged now, by the replay
        ledger.acknowledged.setdefault(pid, (name, idem, rnd))
    return len(retries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("DURABILITY_SEED", "0")) or None)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--writers", type=int, default=12)
    parser.add_argument("--atomic-keyed-creates", action="store_true",
                        help="no idempotency record may be left 'in_flight' by a kill (claim, create and "
                             "response are one commit)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1, 2**31)
    rng = random.Random(seed)
    kill_points = [rng.uniform(*KILL_AFTER) for _ in range(args.rounds)]  # drawn first: the seed fixes them
    print(f"durability: seed {seed} (reproduce the kill points: --seed {seed} or DURABILITY_SEED={seed}); "
          f"{args.rounds} rounds of {args.writers} writers")
    started = time.monotonic()
    ledger = Ledger()
    totals = {}
    with tempfile.TemporaryDirectory() as work:
        key = random_key()
        env = {"TETHER_SANDBOX_ADMIN_KEY": key, **NO_REEXEC}  # 21 starts are most of this test's time
        db = os.path.join(work, "sandbox.db")

        def start():
            return Sandbox(args.binary, work, db, env, ["--rate-limit", "1000000"]).start()

        sandbox = start()
        rnd = 0
        try:
            for rnd, kill_after in enumerate(kill_points, start=1):
                before = len(ledger.acknowledged)
                write_load(sandbox, key, ledger, rnd, args.writers, kill_after)
                acknowledged = len(ledger.acknowledged) - before
                counts, done = check_file(db, ledger, rnd, args.atomic_keyed_creates)
                restart = time.monotonic()
                sandbox = start()
                restart = time.monotonic() - restart
                replays = check_api(sandbox, key, ledger, rnd, done, rng)
                counts = {"acknowledged": acknowledged, **counts, "replays": replays}
                for name, value in counts.items():
                    if name not in ("projects", "records"):
                        totals[name] = totals.get(name, 0) + value
                print(f"durability: round {rnd}: kill -9 after {kill_after:.3f} s, restarted in {restart:.1f} s; " +
                      ", ".join(f"{k}: {v}" for k, v in counts.items()) +
                      "; acknowledged and missing: 0; half-applied: 0", flush=True)
        except (Failure, RuntimeError) + NO_RESPONSE as e:
            print(f"durability: FAILED in round {rnd} (seed {seed}): {type(e).__name__}: {e}")
            return 1
        finally:
            if sandbox.proc.poll() is None:
                sandbox.stop()
    elapsed = time.monotonic() - started
    print("durability: total: " + ", ".join(f"{k}: {v}" for k, v in totals.items()) +
          f"; {len(ledger.acknowledged)} acknowledged creates all present; acknowledged and missing: 0; "
          f"half-applied: 0; {elapsed:.1f} s")
    keyed = len(ledger.keyed_acknowledged())
    if len(ledger.acknowledged) < 40 or keyed < 20:
        print(f"durability: FAILED (seed {seed}): {len(ledger.acknowledged)} creates acknowledged "
              f"({keyed} keyed): too few to mean anything")
        return 1
    print("durability: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
