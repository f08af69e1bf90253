"""Matching at scale on generated populations (fixtures/generate.py), beside exhaustive assessment.

For each population size: index build time; match_vacancy top-50 latency p50/p95 against
assessing every resident (same vacancies, same run); the whole batch (top-20 for every vacancy)
wall time; peak memory. Targets (issue 3, 2 cores, 100,000 residents and 2,000 vacancies):
p50 <= 50 ms, batch <= 120 s, peak memory <= 2 GB.

Each size runs in its own process so peak memory is that size's own.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import date

from _common import REPO, peak_rss_mb, table
from tqdm import tqdm


def measure(size: int, vacancies: int, latency_samples: int, exhaustive_samples: int, seed: int) -> dict[str, float]:
    from fixtures.generate import generate_residents, generate_vacancies
    from matcher.assessment import Assessor
    from matcher.matching import ResidentIndex
    from matcher.profile import Resident, Vacancy
    from vacancies.criteria import CriteriaParser

    today = date(2026, 11, 25)
    assessor = Assessor.load_default()
    parser = CriteriaParser(assessor.normaliser)
    parsed = [parser.parse_vacancy(Vacancy.from_dict(v)) for v in generate_vacancies(vacancies, seed=seed)]
    # Progress on standard error, only when it is a terminal (disable=None); it costs microseconds
    # against steps of milliseconds, and the per-request latencies are timed inside the loop.
    bar = {"disable": None, "leave": False}
    start = time.perf_counter()
    people = tqdm(generate_residents(size, seed=seed), total=size, desc=f"{size:,}: generating", **bar)
    residents = [Resident.from_dict(r) for r in people]
    generated = time.perf_counter() - start

    start = time.perf_counter()
    with tqdm(total=size, desc=f"{size:,}: indexing residents", **bar) as indexing:
        index = ResidentIndex(assessor, residents, today=today, progress=indexing.update)
    build = time.perf_counter() - start

    latencies = []
    for vacancy in tqdm(parsed[:latency_samples], desc=f"{size:,}: match_vacancy latency", **bar):
        start = time.perf_counter()
        index.match_vacancy(vacancy, limit=50)
        latencies.append(time.perf_counter() - start)
    exhaustive = []
    for vacancy in tqdm(parsed[:exhaustive_samples], desc=f"{size:,}: assess every resident", **bar):
        start = time.perf_counter()
        index.assess_all(vacancy, limit=50)
        exhaustive.append(time.perf_counter() - start)

    start = time.perf_counter()
    for vacancy in tqdm(parsed, desc=f"{size:,}: batch top-20", **bar):
        index.match_vacancy(vacancy, limit=20)
    batch = time.perf_counter() - start
    quantiles = statistics.quantiles(latencies, n=20)
    return {
        "size": size,
        "generate_s": generated,
        "build_s": build,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": quantiles[18] * 1000,
        "exhaustive_ms": statistics.median(exhaustive) * 1000,
        "batch_s": batch,
        "vacancies": len(parsed),
        "peak_mb": peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated population sizes")
    parser.add_argument("--vacancies", type=int, default=2_000)
    parser.add_argument("--latency-samples", type=int, default=200)
    parser.add_argument("--exhaustive-samples", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size
    args = parser.parse_args()
    if args.one:
        result = measure(args.one, args.vacancies, args.latency_samples, args.exhaustive_samples, args.seed)
        print(json.dumps(result))
        return
    rows = []
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        print(f"measuring {size:,} residents ...", flush=True)
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(size),
                "--vacancies",
                str(args.vacancies),
                "--latency-samples",
                str(args.latency_samples),
                "--exhaustive-samples",
                str(args.exhaustive_samples),
                "--seed",
                str(args.seed),
            ],
            # Standard error is the terminal's, so the child's progress bars (and any error) show there.
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            check=False,
        )
        if done.returncode != 0:
            print(f"measuring {size:,} residents failed (exit status {done.returncode}); its error is above")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(
            [
                f"{r['size']:,}",
                f"{r['build_s']:.1f} s",
                f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} ms",
                f"{r['exhaustive_ms']:,.0f} ms",
                f"{r['exhaustive_ms'] / r['p50_ms']:,.0f}x",
                f"{r['batch_s']:.1f} s ({r['vacancies']:,})",
                f"{r['peak_mb']:,.0f} MB",
            ]
        )
    print()
    print(
        table(
            rows,
            [
                "residents",
                "index build",
                "match_vacancy top-50 p50 / p95",
                "assess every resident",
                "speed-up",
                "batch top-20 (vacancies)",
                "peak memory",
            ],
        )
    )
    print("Targets at 100,000 residents on 2 cores: p50 <= 50 ms, batch <= 120 s, peak memory <= 2 GB.")


if __name__ == "__main__":
    main()
