"""``useit db demo``: the shipped sample vacancies and residents, and access codes to try the pages.

For trying the service on a laptop (``make run`` calls it with ``--if-empty``), never for a
production database: the residents are the synthetic personas in ``fixtures/residents.json``.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import click

from matcher.taxonomy import default_fixtures_dir

#: Sample adverts whose closing date has passed are kept open this much longer, so the demo
#: always has vacancies to match against.
KEEP_OPEN = timedelta(days=28)
DEMO_EMPLOYER = "Sandwell and West Birmingham Hospitals NHS Trust"


def _sample_vacancies(today: date) -> list[dict[str, object]]:
    records = json.loads((default_fixtures_dir() / "vacancies.json").read_text(encoding="utf-8"))["vacancies"]
    for record in records:
        closing = record.get("closing_date")
        if closing and date.fromisoformat(closing) < today:
            record["closing_date"] = (today + KEEP_OPEN).isoformat()
        record["reference"] = f"DEMO-{record['id']}"
    return records


def _sample_residents() -> list[tuple[str, dict[str, object]]]:
    records = json.loads((default_fixtures_dir() / "residents.json").read_text(encoding="utf-8"))["residents"]
    found = []
    for number, record in enumerate(records, start=1):
        profile = {k: v for k, v in record.items() if k not in ("id", "persona")}
        found.append((f"Sample resident {number}", profile))
    return found


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has vacancies or residents.")
def demo(if_empty: bool) -> None:
    """Load sample vacancies and residents, and print access codes for a demo adviser, recruiter
    and admin (also written to instance/demo-access-codes.txt, readable by you only)."""
    from sqlalchemy import func, select

    from . import create_app
    from .auth import issue_token
    from .cli import user_errors
    from .config import Config, default_instance_dir
    from .db import upgrade
    from .models import Resident, Vacancy
    from .residents import add_resident
    from .store import transaction
    from .vacancies import upsert_vacancies, validated_vacancy

    with user_errors():
        upgrade(Config.from_env().database_url)
        app = create_app()
        with app.app_context(), transaction() as session:
            held = (session.scalar(select(func.count()).select_from(Vacancy)) or 0) + (
                session.scalar(select(func.count()).select_from(Resident)) or 0
            )
            if held and if_empty:
                click.echo("the database already holds data: sample data not loaded")
                return
            # The same validation as every other path into storage.
            records = [validated_vacancy(record, None) for record in _sample_vacancies(date.today())]
            counts = upsert_vacancies(session, records, None)
            residents = _sample_residents()
            for name, profile in residents:
                add_resident(session, {**profile, "name": name})
            codes = {
                role: issue_token(session, role=role, name=f"demo {role}", employer=employer, expires_in_days=30)[0]
                for role, employer in (("adviser", None), ("recruiter", DEMO_EMPLOYER), ("admin", None))
            }
    path = Path(default_instance_dir()) / "demo-access-codes.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        for role, code in codes.items():
            handle.write(f"{role}: {code}\n")
    click.echo(
        f"sample data: {counts['created'] + counts['updated']} vacancies, {len(residents)} residents "
        f"(synthetic personas; never load this into a production database)"
    )
    click.echo(f"demo access codes (30 days; also in {path}):")
    for role, code in codes.items():
        click.echo(f"  {role:<9} {code}")
