"""API latency under gunicorn on loopback, with 100,000 residents and 2,000 vacancies loaded.

For each backend (SQLite file; PostgreSQL when TEST_DATABASE_URL or --postgres is given):
load a generated population, start gunicorn, warm every worker's index, then measure p50 and
p95 of ``GET /api/v1/vacancies/{id}/matches`` and ``POST /api/v1/assess`` at 1, 8 and 32
concurrent clients (a bounded number of requests each). Target (issue 4): p95 <= 200 ms at
8 clients on 2 cores. Only loopback addresses are used. Also the resident's page ``POST /check``
(the same engine work as the JSON API's matches for a resident, against every open vacancy,
plus rendering), each client with its own session and form token.

The PostgreSQL database given (``--postgres`` or ``BENCH_DATABASE_URL``) is WIPED (its public
schema is dropped): give it one of its own, e.g. ``createdb bench``, never the tests' database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _common import REPO, table
from tqdm import tqdm

PORT = 8765


def load(
    url: str, residents: int, vacancies: int, seed: int
) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]], str]:
    """Fill the database; returns vacancy ids, sample profiles, sample vacancies and an adviser token."""
    from sqlalchemy import create_engine, insert, text
    from sqlalchemy.orm import Session

    from api.auth import issue_token
    from api.db import upgrade
    from api.models import Resident, Vacancy, VacancyRequirement, new_id
    from fixtures.generate import generate_residents, generate_vacancies
    from matcher import Normaliser, Taxonomy
    from matcher import Vacancy as VacancyProfile
    from vacancies.criteria import CriteriaParser

    if url.startswith("postgresql"):
        with create_engine(url).begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
    upgrade(url)
    engine = create_engine(url)
    # Progress bars go to standard error, only when it is a terminal (disable=None).
    people = list(tqdm(generate_residents(residents, seed=seed), total=residents, desc="generating", disable=None))
    rows = [
        {
            "id": new_id("r"),
            "profile": {k: v for k, v in p.items() if k != "id"},
            "postcode": p.get("postcode"),
            "right_to_work": p["right_to_work"],
            "version": 1,
        }
        for p in people
    ]
    parser = CriteriaParser(Normaliser(Taxonomy.load_default()))
    adverts = list(generate_vacancies(vacancies, seed=seed))
    with Session(engine) as session, session.begin():
        with tqdm(total=len(rows), desc="inserting residents", disable=None) as bar:
            for start in range(0, len(rows), 5_000):
                chunk = rows[start : start + 5_000]
                session.execute(insert(Resident), chunk)
                bar.update(len(chunk))
        vacancy_ids = []
        for advert in tqdm(adverts, desc="inserting vacancies", disable=None):
            parsed = parser.parse_vacancy(VacancyProfile.from_dict(advert))
            row = Vacancy(
                reference=advert["id"],
                employer=advert.get("employer") or "Sandwell and West Birmingham Hospitals NHS Trust",
                title=advert["title"],
                band=advert.get("band"),
                record={**advert, "reference": advert["id"]},
                requirements=[
                    VacancyRequirement(
                        position=i,
                        essential=r.essential,
                        kind=r.kind,
                        text=r.text,
                        concept_id=r.concept_id,
                        credential=r.credential,
                    )
                    for i, r in enumerate(parsed.requirements)
                ],
            )
            session.add(row)
            session.flush()
            vacancy_ids.append(row.id)
        token, _ = issue_token(session, role="adviser", name="benchmark")
    return vacancy_ids, people[:500], adverts[:50], token


def serve(url: str, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "USEIT_INSTANCE_DIR": tempfile.mkdtemp(),
        "USEIT_CHECK_LIMIT": "1000000 per minute",  # every benchmark client shares one address
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "300",
            "--log-level",
            "warning",
            "api:create_app()",
        ],
        cwd=REPO,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("gunicorn did not start")


_local = threading.local()


def call(method: str, path: str, body: bytes | None, token: str) -> tuple[float, int]:
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        _local.connection = None
        status = 0
    return time.perf_counter() - start, status


def check_form(person: dict[str, Any]) -> dict[str, str]:
    """A generated resident as the checker's form fields (what a person would type)."""
    form = {"skills": "\n".join(person.get("skills") or []), "right_to_work": person.get("right_to_work", "unknown")}
    for i, q in enumerate((person.get("qualifications") or [])[:3]):
        form.update({f"q-{i}-title": q["title"], f"q-{i}-country": q.get("country") or ""})
    for i, x in enumerate((person.get("experience") or [])[:3]):
        form.update({f"x-{i}-title": x["title"], f"x-{i}-years": str(x.get("years") or ""), f"x-{i}-country": ""})
    if not any(k.startswith(("q-", "x-")) for k in form) and not form["skills"]:
        form["skills"] = "cleaning"
    return form


def post_check(person: dict[str, Any]) -> tuple[float, int]:
    """POST /check as a person would: a session and form token first (not timed), then the form."""
    import re
    from urllib.parse import urlencode

    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    if getattr(_local, "form_token", None) is None:
        connection.request("GET", "/check")
        response = connection.getresponse()
        page = response.read().decode()
        _local.cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
        _local.form_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    body = urlencode({**check_form(person), "csrf_token": _local.form_token}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": _local.cookie}
    start = time.perf_counter()
    try:
        connection.request("POST", "/check", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        _local.connection = None
        status = 0
    return time.perf_counter() - start, status


def get_json(path: str, token: str) -> Any:
    """GET ``path`` and parse the JSON body (on this thread's kept-alive connection)."""
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    return json.loads(connection.getresponse().read())


def run(
    kind: str,
    clients: int,
    requests: int,
    vacancy_ids: list[str],
    people: list[dict[str, Any]],
    adverts: list[dict[str, Any]],
    token: str,
    seed: int,
) -> dict[str, Any]:
    rng = random.Random(seed + clients)

    def one(_: int) -> tuple[float, int]:
        if kind == "matches":
            return call("GET", f"/api/v1/vacancies/{rng.choice(vacancy_ids)}/matches?limit=20", None, token)
        if kind == "check page":
            return post_check(rng.choice(people))
        payload = {"resident": rng.choice(people), "vacancy": rng.choice(adverts), "today": "2026-11-25"}
        return call("POST", "/api/v1/assess", json.dumps(payload).encode(), token)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        calls = pool.map(one, range(requests))
        results = list(tqdm(calls, total=requests, desc=f"{kind}, {clients} clients", leave=False, disable=None))
    latencies = sorted(r[0] for r in results)
    errors = sum(1 for r in results if r[1] != 200)
    return {
        "p50": statistics.median(latencies) * 1000,
        "p95": statistics.quantiles(latencies, n=20)[18] * 1000,
        "errors": errors,
        "requests": requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200, help="requests per concurrency level and endpoint")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_DATABASE_URL"), help="PostgreSQL URL of a database it may wipe"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-sqlite", action="store_true", help="measure PostgreSQL only")
    args = parser.parse_args()
    backends = [] if args.skip_sqlite else [("SQLite", f"sqlite:///{tempfile.mkdtemp()}/bench.db")]
    if args.postgres:
        backends.append(("PostgreSQL", args.postgres))
    rows = []
    for name, url in backends:
        start = time.perf_counter()
        vacancy_ids, people, adverts, token = load(url, args.residents, args.vacancies, args.seed)
        print(
            f"{name}: loaded {args.residents:,} residents and {args.vacancies:,} vacancies"
            f" in {time.perf_counter() - start:.0f} s",
            flush=True,
        )
        process = serve(url, args.workers)
        try:
            start = time.perf_counter()
            run(
                "matches", args.workers * 2, args.workers * 4, vacancy_ids, people, adverts, token, args.seed
            )  # warm every worker
            print(f"{name}: workers warmed (index built) in {time.perf_counter() - start:.0f} s", flush=True)
            for clients in [int(c) for c in args.clients.split(",")]:
                for kind in ("matches", "assess", "check page"):
                    r = run(kind, clients, args.requests, vacancy_ids, people, adverts, token, args.seed)
                    rows.append(
                        [
                            name,
                            kind,
                            str(clients),
                            f"{r['p50']:.0f}",
                            f"{r['p95']:.0f}",
                            f"{r['errors']}/{r['requests']}",
                        ]
                    )
                    print("  ", rows[-1], flush=True)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    print()
    print(table(rows, ["backend", "endpoint", "clients", "p50 ms", "p95 ms", "errors"]))
    print("Target: p95 <= 200 ms at 8 clients on 2 cores (matches, assess). The check page assesses the")
    print("resident against every open vacancy and renders the routes: compare it with assess, one vacancy.")


if __name__ == "__main__":
    main()
