"""Matching with another checkout's engine on this checkout's generated data, for before/after.

    git worktree add --detach ../before 25594e5
    python benchmarks/compare_engines.py ../before 100000 1000
    python benchmarks/compare_engines.py . 100000 1000

Generates residents and vacancies with this checkout's fixtures/generate.py (seed 7), then imports
``matcher`` and ``vacancies`` from ENGINE (a checkout of any version) and prints one JSON line: index
build time, match_vacancy top-50 p50/p95 over the first 200 vacancies, the batch of top-20 for
every vacancy, and peak memory. Run the engines one after the other, alternating, on a quiet
machine: each run is one process, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from _common import REPO, peak_rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("engine", type=Path, help="a checkout whose matcher/ and vacancies/ are measured")
    parser.add_argument("residents", type=int)
    parser.add_argument("vacancies", type=int)
    args = parser.parse_args()
    engine = args.engine.resolve()
    if not (engine / "matcher").is_dir() or not (engine / "vacancies").is_dir():
        parser.exit(2, f"error: {engine} is not a checkout of this project (no matcher/ or vacancies/)\n")

    sys.path.insert(0, str(REPO))
    from fixtures.generate import generate_residents, generate_vacancies

    adverts = generate_vacancies(args.vacancies, seed=7)
    people = list(generate_residents(args.residents, seed=7))
    # The engine's own packages from here on (its fixtures are found from its own files).
    for name in [m for m in sys.modules if m.split(".")[0] in ("fixtures", "matcher", "vacancies")]:
        del sys.modules[name]
    sys.path.insert(0, str(engine))
    import matcher
    from matcher.assessment import Assessor
    from matcher.matching import ResidentIndex
    from matcher.profile import Resident, Vacancy
    from vacancies.criteria import CriteriaParser

    assert Path(matcher.__file__).resolve().is_relative_to(engine), matcher.__file__
    today = date(2026, 11, 25)
    assessor = Assessor.load_default()
    reader = CriteriaParser(assessor.normaliser)
    parsed = [reader.parse_vacancy(Vacancy.from_dict(v)) for v in adverts]
    residents = [Resident.from_dict(r) for r in people]
    start = time.perf_counter()
    index = ResidentIndex(assessor, residents, today=today)
    build = time.perf_counter() - start
    latencies = []
    for vacancy in parsed[:200]:
        start = time.perf_counter()
        index.match_vacancy(vacancy, limit=50)
        latencies.append(time.perf_counter() - start)
    start = time.perf_counter()
    for vacancy in parsed:
        index.match_vacancy(vacancy, limit=20)
    batch = time.perf_counter() - start
    print(
        json.dumps(
            {
                "engine": str(engine),
                "residents": args.residents,
                "vacancies": len(parsed),
                "build_s": round(build, 2),
                "p50_ms": round(statistics.median(latencies) * 1000, 1),
                "p95_ms": round(statistics.quantiles(latencies, n=20)[18] * 1000, 1),
                "batch_s": round(batch, 1),
                "peak_mb": round(peak_rss_mb()),
            }
        )
    )


if __name__ == "__main__":
    main()
