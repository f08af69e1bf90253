"""``useit insights``: which training unlocks most jobs, and supply and demand, as reports.

Reads the service database exactly as ``useit db ...`` finds it (``DATABASE_URL``; by default
the SQLite file under ``instance/``). Plain text tables by default; ``--format json`` gives the
API's JSON and ``--format csv`` one table for a spreadsheet. Counts only: no resident is named.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import click

from matcher import ParsedVacancy, ResidentIndex

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("table", "json", "csv")
SECTIONS = ("occupation", "district", "town")


@dataclass(slots=True)
class Population:
    """What the reports read: the residents' index and the open vacancies with their locations."""

    index: ResidentIndex | None
    vacancies: list[tuple[str, ParsedVacancy]] = field(default_factory=list)
    locations: dict[str, str | None] = field(default_factory=dict)
    #: Why there is nothing to report (no database, no tables, no rows), or None.
    empty_because: str | None = None


def _report_options(view: F) -> F:
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default="table",
            show_default=True,
            help="table: text for people; json: as the API returns it; csv: one table for a spreadsheet.",
        ),
        click.option(
            "--limit",
            "--top",
            "top",
            default=10,
            show_default=True,
            type=click.IntRange(1, 1_000),
            help="Rows per table (--top is its older name).",
        ),
        click.option("--today", default=None, help="Report as of this date (YYYY-MM-DD; default today)."),
        click.option("--quiet", is_flag=True, help="No progress bars (drawn on standard error, only to a terminal)."),
    ]
    for option in reversed(options):
        view = option(view)
    return view


@click.group("insights")
def insights() -> None:
    """Reports for advisers and funders from the service database (counts only, no names)."""


@insights.command("training")
@_report_options
@click.option("--with-vacancies", is_flag=True, help="List the vacancies each credential unlocks (ids and titles).")
def training(fmt: str, top: int, today: str | None, quiet: bool, with_vacancies: bool) -> None:
    """Which single credential or course would make the most residents eligible for open vacancies.

    A resident counts when it is the only essential requirement they miss for a vacancy, they
    have the right to work and their qualifications let them start the route. Each credential
    shows the bands it unlocks and the salary range they span (Agenda for Change).
    """
    from matcher.insights import load_pay_bands, training_insights

    from .cli import user_errors

    as_of = _date(today)
    population = load_population(as_of, quiet=quiet)
    with user_errors():
        pay = load_pay_bands()
        found: list[dict[str, Any]] = []
        if population.index is not None and population.vacancies:
            with _bar(len(population.vacancies), "assessing vacancies", "vacancy", quiet) as bar:
                found = training_insights(
                    population.index,
                    population.vacancies,
                    top=top,
                    pay=pay,
                    with_vacancies=with_vacancies,
                    progress=bar.update,
                )
    residents = population.index.live if population.index is not None else 0
    if fmt == "json":
        _note_if_empty(population, err=True)
        report = {
            "residents": residents,
            "open_vacancies": len(population.vacancies),
            "credentials": found,
            "pay": pay.provenance(),
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        _note_if_empty(population, err=True)
        headers = ["credential", "label", "residents_unlocked", "vacancies_unlocked", "bands"]
        headers += ["typical_weeks", "typical_cost_gbp", "salary_min_gbp", "salary_max_gbp"]
        headers += ["vacancies"] if with_vacancies else []
        rows = [
            [
                item["credential"],
                item["label"],
                item["residents_unlocked"],
                item["vacancies_unlocked"],
                ";".join(item["bands"]),
                _blank(item["typical_weeks"]),
                _blank(item["typical_cost_gbp"]),
                _blank(item["salary_min_gbp"]),
                _blank(item["salary_max_gbp"]),
            ]
            + (["; ".join(f"{v['id']}: {v['title']}" for v in item["vacancies"])] if with_vacancies else [])
            for item in found
        ]
        click.echo(_csv(headers, rows), nl=False)
        return
    if _note_if_empty(population):
        return
    click.echo("Training that would make the most residents eligible for open vacancies")
    click.echo(_summary(residents, len(population.vacancies), as_of, pay.provenance()))
    click.echo("")
    if not found:
        click.echo("No single credential stands between any resident and an open vacancy.")
        return
    table_rows = [
        [
            str(position),
            _cut(item["label"], 52),
            _count(item["residents_unlocked"]),
            _count(item["vacancies_unlocked"]),
            ", ".join(item["bands"]) or "-",
            _salary(item["salary_min_gbp"], item["salary_max_gbp"]),
            _count(item["typical_weeks"]),
            _money(item["typical_cost_gbp"]),
        ]
        for position, item in enumerate(found, start=1)
    ]
    headers = ["#", "credential or course", "residents", "vacancies", "bands", "salary (GBP)", "weeks", "cost (GBP)"]
    click.echo(_table(headers, table_rows, right={0, 2, 3, 6, 7}))
    if with_vacancies:
        click.echo("")
        for position, item in enumerate(found, start=1):
            titles = "; ".join(f"{v['id']} {v['title']}" for v in item["vacancies"])
            click.echo(f"{position}. {item['credential']}: {titles}")
    click.echo("")
    click.echo(
        "residents: one credential away (the only essential requirement they miss; right to work; route open "
        "to them). weeks and cost: median pathway to it. Salary: entry to top pay of the bands unlocked."
    )


@insights.command("supply-demand")
@_report_options
@click.option(
    "--by",
    "sections",
    type=click.Choice(SECTIONS),
    multiple=True,
    help="Tables to show (repeatable; default all three). CSV holds one: the first given, or occupation.",
)
def supply_demand(fmt: str, top: int, today: str | None, quiet: bool, sections: tuple[str, ...]) -> None:
    """Open vacancies by occupation and town against residents' backgrounds and postcode districts."""
    from matcher.insights import SupplyDemand, load_pay_bands, supply_and_demand

    from .cli import user_errors

    as_of = _date(today)
    population = load_population(as_of, quiet=quiet)
    with user_errors():
        pay = load_pay_bands()
        if population.index is not None:
            with _bar(len(population.vacancies), "assessing vacancies", "vacancy", quiet) as bar:
                report = supply_and_demand(
                    population.index,
                    population.vacancies,
                    locations=population.locations,
                    top=top,
                    pay=pay,
                    progress=bar.update,
                )
        else:
            report = SupplyDemand(0, 0, 0, 0, (), (), (), pay.provenance())
    if fmt == "json":
        _note_if_empty(population, err=True)
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        _note_if_empty(population, err=True)
        click.echo(_supply_demand_csv(report, sections[0] if sections else "occupation"), nl=False)
        return
    if _note_if_empty(population):
        return
    click.echo("Supply and demand: open vacancies against residents")
    click.echo(_summary(report.residents, report.open_vacancies, as_of, report.pay))
    unclassified = report.unclassified_vacancies
    click.echo(
        f"{_count(report.eligible_now)} residents are eligible now for at least one open vacancy"
        + (f"; {unclassified} vacancies matched no occupation." if unclassified else ".")
    )
    for section in sections or SECTIONS:
        click.echo("")
        click.echo(_supply_demand_table(report, section))


def _supply_demand_table(report: Any, section: str) -> str:
    if section == "occupation":
        rows = [
            [
                _cut(o.label, 40),
                _count(o.demand),
                _count(o.supply),
                _count(o.supply_related),
                _count(o.eligible_now) + ("+" if o.eligible_now_capped else ""),
                ", ".join(o.bands) or "-",
                _salary(o.salary_min_gbp, o.salary_max_gbp),
            ]
            for o in report.occupations
        ]
        headers = ["occupation", "vacancies", "supply", "related", "eligible now", "bands", "salary (GBP)"]
        note = (
            "supply: residents with it in their work history or a qualification of its profession; related: "
            "work in the same family; eligible now: for at least one of its vacancies (+: at least)."
        )
        return "By occupation\n" + _table(headers, rows, right={1, 2, 3, 4}) + "\n" + note
    if section == "district":
        rows = [
            [d.district or "(no postcode)", _count(d.residents), _count(d.right_to_work), _count(d.eligible_now)]
            for d in report.districts
        ]
        headers = ["postcode district", "residents", "right to work", "eligible now"]
        return "Residents by postcode district\n" + _table(headers, rows, right={1, 2, 3})
    rows = [
        [t.town or "(no location)", _count(t.vacancies), _cut(", ".join(s.site or "-" for s in t.sites), 60)]
        for t in report.towns
    ]
    return "Open vacancies by town\n" + _table(["town", "vacancies", "sites"], rows, right={1})


def _supply_demand_csv(report: Any, section: str) -> str:
    if section == "occupation":
        headers = ["occupation_id", "label", "family", "soc2020", "nhs", "bands", "salary_min_gbp", "salary_max_gbp"]
        headers += ["demand", "supply", "supply_related", "eligible_now", "eligible_now_capped"]
        rows = [
            [
                o.occupation_id,
                o.label,
                _blank(o.family),
                _blank(o.soc2020),
                str(o.nhs).lower(),
                ";".join(o.bands),
                _blank(o.salary_min_gbp),
                _blank(o.salary_max_gbp),
                o.demand,
                o.supply,
                o.supply_related,
                o.eligible_now,
                str(o.eligible_now_capped).lower(),
            ]
            for o in report.occupations
        ]
        return _csv(headers, rows)
    if section == "district":
        rows = [[_blank(d.district), d.residents, d.right_to_work, d.eligible_now] for d in report.districts]
        return _csv(["district", "residents", "right_to_work", "eligible_now"], rows)
    rows = [[_blank(t.town), _blank(s.site), s.vacancies] for t in report.towns for s in t.sites]
    return _csv(["town", "site", "vacancies"], rows)


# -- reading the database ------------------------------------------------------------------------


def load_population(today: date, *, quiet: bool) -> Population:
    """The stored residents (indexed, with a progress bar) and the vacancies open on ``today``.

    No database file, no tables or no rows give an empty population with the reason, not an error.
    """
    from sqlalchemy import inspect, select
    from sqlalchemy.exc import SQLAlchemyError

    from . import create_app
    from .cli import fail, user_errors
    from .config import Config
    from .models import Resident
    from .store import stored_profile, transaction
    from .vacancies import open_vacancies, open_vacancy_locations

    url = Config.from_env().database_url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        path = url.removeprefix("sqlite:///")
        if not os.path.exists(path):
            reason = f"no residents or vacancies (no database at {path}; run 'useit db init', then add them)"
            return Population(None, empty_because=reason)
    with user_errors():
        app = create_app()
    database = app.extensions["useit_db"]
    try:
        if not inspect(database).has_table("residents"):
            return Population(None, empty_because="no residents or vacancies (no tables; run 'useit db init')")
        with app.app_context(), transaction() as session:
            rows = list(session.scalars(select(Resident).order_by(Resident.id)))
            vacancies = open_vacancies(session, today)
            locations = open_vacancy_locations(session, today)
        with user_errors():
            profiles = [stored_profile(row) for row in rows]
            assessor = app.extensions["useit_engine"].assessor
            with _bar(len(profiles), "indexing residents", "resident", quiet) as bar:
                index = ResidentIndex(assessor, profiles, today=today, progress=bar.update)
    except SQLAlchemyError as exc:
        fail(f"database error: {type(exc).__name__}: {getattr(exc, 'orig', None) or exc}")
    finally:
        database.dispose()
    because: str | None = None
    if not profiles and not vacancies:
        because = "no residents and no open vacancies"
    elif not profiles:
        because = "no residents yet"
    elif not vacancies:
        because = f"no vacancies open on {today.isoformat()}"
    return Population(index if profiles else None, vacancies, locations, because)


# -- formatting ----------------------------------------------------------------------------------


def _date(text: str | None) -> date:
    from .cli import fail

    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--today must be a date as YYYY-MM-DD, got {text!r}")


def _bar(total: int, desc: str, unit: str, quiet: bool) -> Any:
    from tqdm import tqdm

    # disable=None: drawn only when standard error is a terminal, so pipes and logs stay clean.
    return tqdm(total=total, desc=desc, unit=unit, disable=True if quiet else None)


def _note_if_empty(population: Population, *, err: bool = False) -> bool:
    """Say plainly why there is nothing to report; True when there is nothing."""
    if population.empty_because is None:
        return False
    click.echo(f"nothing to report yet: {population.empty_because}.", err=err)
    return True


def _summary(residents: int, vacancies: int, as_of: date, pay: dict[str, Any] | Any) -> str:
    return (
        f"{_count(residents)} residents, {_count(vacancies)} open vacancies on {as_of.isoformat()}. "
        f"Pay: {pay['scale']}, {pay['country']} {pay['year']} (as of {pay['as_of']})."
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: set[int]) -> str:
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(c).rjust(widths[i]) if i in right else str(c).ljust(widths[i]) for i, c in enumerate(cells)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    from vacancies.intake import spreadsheet_safe

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([spreadsheet_safe(c) if isinstance(c, str) else c for c in row])
    return out.getvalue()


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _count(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _salary(low: int | None, high: int | None) -> str:
    if low is None or high is None:
        return "-"
    return f"{low:,}" if low == high else f"{low:,}-{high:,}"


def _blank(value: Any) -> Any:
    return "" if value is None else value
