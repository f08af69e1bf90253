"""Shared helpers and strategies for the vacancies.intake tests."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st
from pydantic import ValidationError

from vacancies.intake import WORKING_PATTERNS, ImportReport, VacancyRecord, parse_json

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "intake"
FIXTURE_VACANCIES = Path(__file__).resolve().parents[2] / "fixtures" / "vacancies.json"
TRUST = "Sandwell and West Birmingham Hospitals NHS Trust"
CONTRACT_KEYS = {
    "id",
    "employer",
    "title",
    "band",
    "staff_group",
    "location",
    "hours",
    "contract",
    "closing_date",
    "essential",
    "desirable",
}
HEADER = "Reference,Job title,Employer,Band,Hours,Salary,Closing date,Essential criteria,Desirable criteria"
POLISH = "Znajomość języka polskiego (mile widziane: Łódź, Gdańsk)"
ARABIC = "إجادة اللغة العربية"


def record(**fields: Any) -> VacancyRecord:
    return VacancyRecord.model_validate({"reference": "C9-389-26-0001", "title": "Porter", "employer": TRUST, **fields})


def field_problems(**fields: Any) -> list[tuple[str | None, str]]:
    """The (field, message) pairs a vacancy with these fields is rejected for."""
    report = parse_json(json.dumps([{"reference": "R-1", "title": "Porter", "employer": TRUST, **fields}]))
    assert not report.records
    return [(p.field, p.message) for p in report.problems]


def assert_rejected(report: ImportReport) -> None:
    assert report.problems
    assert report.records == []
    assert not report.ok


def where(report: ImportReport) -> list[tuple[int | None, str | None]]:
    return [(p.line, p.field) for p in report.problems]


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)
_CRITERION = (
    _TEXT
    | st.fixed_dictionaries({"kind": st.sampled_from(["skill", "experience"]), "text": _TEXT})
    | (st.fixed_dictionaries({"kind": st.just("credential"), "id": st.sampled_from(["dbs-enhanced", "nmc-cbt"])}))
)


@st.composite
def valid_records(draw: st.DrawFn) -> VacancyRecord:
    hourly = draw(st.booleans())
    if hourly:
        low = draw(st.integers(100, 99_999)) / 100
        high = draw(st.sampled_from([None, low, low + draw(st.integers(0, 1000)) / 100]))
    else:
        low = draw(st.integers(1_000, 500_000))
        high = draw(st.sampled_from([None, low, min(500_000, low + draw(st.integers(0, 50_000)))]))
    contract = draw(st.sampled_from([None, "permanent", "fixed_term", "bank", "secondment"]))
    fields = {
        "reference": draw(_TEXT),
        "title": draw(_TEXT),
        "employer": draw(_TEXT),
        "band": draw(st.sampled_from([None, *map(str, range(1, 10)), "8a", "8b", "8c", "8d"])),
        "staff_group": draw(st.none() | _TEXT),
        "specialty": draw(st.none() | _TEXT),
        "site": draw(st.none() | _TEXT),
        "town": draw(st.none() | _TEXT),
        "contract": contract,
        "contract_months": draw(st.none() | st.integers(1, 120)) if contract in ("fixed_term", "secondment") else None,
        "working_pattern": draw(st.lists(st.sampled_from(list(WORKING_PATTERNS)), unique=True, max_size=4)),
        "hours": draw(st.none() | st.integers(1, 4800).map(lambda n: n / 100)),
        "salary_min": draw(st.sampled_from([None, low])) if high is not None else low,
        "salary_max": high,
        "salary_hourly": hourly,
        "closing_date": draw(st.none() | st.dates(date(2000, 1, 1), date(2100, 12, 31))),
        "essential": draw(st.lists(_CRITERION, max_size=5)),
        "desirable": draw(st.lists(_CRITERION, max_size=3)),
    }
    try:
        return VacancyRecord.model_validate(fields)
    except ValidationError:
        assume(False)
        raise
