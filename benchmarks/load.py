"""Bounded load test: 16 clients for 2 minutes against gunicorn + PostgreSQL on loopback.

Mixes reads (matches for a vacancy, a resident's record), stateless assessments and writes
(new residents; updates with the version read just before). Reports p50/p95 per operation,
errors (any 5xx, or any status the operation should never get) and the gunicorn workers'
memory sampled every 10 s (it should stay flat). Only loopback addresses are used; the run
stops by itself. The PostgreSQL database given (--postgres or BENCH_DATABASE_URL) is WIPED.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import signal
import statistics
import threading
import time
from collections import defaultdict
from pathlib import Path

from _common import table
from tqdm import tqdm

_spec = importlib.util.spec_from_file_location("api_bench", Path(__file__).with_name("api.py"))
assert _spec is not None
assert _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

#: Operation -> (weight, statuses it should get).
OPERATIONS = {
    "matches": (35, {200}),
    "read_resident": (20, {200}),
    "assess": (20, {200}),
    "create_resident": (10, {201}),
    "update_resident": (15, {200}),
}


def worker_rss_mb(master: int) -> float:
    total = 0.0
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL"), required=False)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not args.postgres:
        parser.error("give --postgres URL (or BENCH_DATABASE_URL): a database this test may wipe")

    from sqlalchemy import create_engine, select

    from api.models import Resident

    vacancy_ids, people, adverts, token = bench.load(args.postgres, args.residents, args.vacancies, args.seed)
    engine = create_engine(args.postgres)
    with engine.connect() as connection:
        resident_ids = [row[0] for row in connection.execute(select(Resident.id).limit(args.clients * 50))]
    engine.dispose()
    process = bench.serve(args.postgres, args.workers)
    results: dict[str, list[tuple[float, int]]] = defaultdict(list)
    memory: list[float] = []
    try:
        bench.run("matches", args.workers * 2, args.workers * 4, vacancy_ids, people, adverts, token, args.seed)
        stop = time.time() + args.seconds

        def sample() -> None:
            while time.time() < stop:
                memory.append(worker_rss_mb(process.pid))
                time.sleep(10)

        def client(number: int) -> None:
            rng = random.Random(args.seed + number)
            mine = resident_ids[number :: args.clients]  # each client updates its own residents
            names = list(OPERATIONS)
            weights = [OPERATIONS[n][0] for n in names]
            while time.time() < stop:
                operation = rng.choices(names, weights)[0]
                if operation == "matches":
                    outcome = bench.call(
                        "GET", f"/api/v1/vacancies/{rng.choice(vacancy_ids)}/matches?limit=20", None, token
                    )
                elif operation == "read_resident":
                    outcome = bench.call("GET", f"/api/v1/residents/{rng.choice(resident_ids)}", None, token)
                elif operation == "assess":
                    body = {"resident": rng.choice(people), "vacancy": rng.choice(adverts), "today": "2026-11-25"}
                    outcome = bench.call("POST", "/api/v1/assess", json.dumps(body).encode(), token)
                elif operation == "create_resident":
                    profile = {k: v for k, v in rng.choice(people).items() if k != "id"}
                    outcome = bench.call("POST", "/api/v1/residents", json.dumps(profile).encode(), token)
                else:
                    target = rng.choice(mine)
                    current = bench.get_json(f"/api/v1/residents/{target}", token)
                    update = {k: v for k, v in current.items() if k not in ("id", "consents")}
                    update["skills"] = [*update.get("skills", [])[:4], rng.choice(["phlebotomy", "first aid", "Urdu"])]
                    outcome = bench.call("PUT", f"/api/v1/residents/{target}", json.dumps(update).encode(), token)
                results[operation].append(outcome)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        threads.append(threading.Thread(target=sample))
        for thread in threads:
            thread.start()
        # Seconds elapsed, on standard error and only when it is a terminal (disable=None).
        with tqdm(total=round(args.seconds), desc="load test", unit="s", disable=None) as bar:
            while any(thread.is_alive() for thread in threads):
                time.sleep(1)
                bar.update(min(1, bar.total - bar.n))
        for thread in threads:
            thread.join()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)

    rows = []
    total = errors = 0
    for operation, outcomes in sorted(results.items()):
        latencies = sorted(o[0] for o in outcomes)
        bad = sum(1 for o in outcomes if o[1] not in OPERATIONS[operation][1])
        total += len(outcomes)
        errors += bad
        rows.append(
            [
                operation,
                f"{len(outcomes):,}",
                f"{statistics.median(latencies) * 1000:.0f}",
                f"{statistics.quantiles(latencies, n=20)[18] * 1000:.0f}",
                str(bad),
            ]
        )
    print(table(rows, ["operation", "requests", "p50 ms", "p95 ms", "errors"]))
    print(
        f"{total:,} requests in {args.seconds:.0f} s from {args.clients} clients"
        f" ({total / args.seconds:.1f}/s); errors: {errors}"
    )
    if memory:
        print(f"gunicorn workers' memory (MB, every 10 s): {' '.join(f'{m:.0f}' for m in memory)}")


if __name__ == "__main__":
    main()
