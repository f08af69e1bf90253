"""vacancies.intake.fields: one value at a time, as adverts and spreadsheets write them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.vacancies.intake_support import (
    TRUST,
    field_problems,
    record,
)
from vacancies.intake import VacancyRecord


# -- one field at a time ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Band 5", "5"),
        ("band 8a", "8a"),
        ("AfC Band 3", "3"),
        ("Agenda for Change band 4", "4"),
        ("Band 8A", "8a"),
        ("8 d", "8d"),
        ("9", "9"),
        (2, "2"),
        ("  Band   6 ", "6"),
        ("Non AfC", None),
        ("Medical and Dental", None),
        ("NHS AfC: Band 2", "2"),
        ("Specialty Doctor", None),
        ("Specialty Dentist", None),
        ("Consultant", None),
        ("ST3", None),
        ("ST1-ST2", None),
        ("Foundation Year 1", None),
        ("", None),
        (None, None),
    ],
)
def test_band_variants_normalise(raw: object, expected: str | None) -> None:
    assert record(band=raw).band == expected


@pytest.mark.parametrize("raw", ["Band 10", "Band 8e", "Band 5/6", "Band 0", "five", True, 5.5])
def test_bad_bands_are_reported(raw: object) -> None:
    [(name, message)] = field_problems(band=raw)
    assert name == "band"
    assert "band" in message.casefold()


@pytest.mark.parametrize(
    ("raw", "contract", "months"),
    [
        ("Permanent", "permanent", None),
        ("Fixed term", "fixed_term", None),
        ("Fixed-Term: 12 months", "fixed_term", 12),
        ("fixed term (2 years)", "fixed_term", 24),
        ("fixed_term", "fixed_term", None),
        ("Bank", "bank", None),
        ("Secondment: 6 months", "secondment", 6),
    ],
)
def test_contract_variants_normalise(raw: str, contract: str, months: int | None) -> None:
    vacancy = record(contract=raw)
    assert (vacancy.contract, vacancy.contract_months) == (contract, months)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("Zero hours", "not a contract type"),
        ("Permanent: 12 months", "has no length"),
        ("Bank: 6 months", "has no length"),
        ("Fixed term: 6 weeks", "not a contract type"),
    ],
)
def test_bad_contracts_are_reported(raw: str, reason: str) -> None:
    [(name, message)] = field_problems(contract=raw)
    assert name == "contract"
    assert reason in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Full time, Flexible working", ["full_time", "flexible"]),
        ("Full-time", ["full_time"]),
        (["full_time", "flexible"], ["full_time", "flexible"]),
        ("Part time / Job share", ["part_time", "job_share"]),
        ("Home or remote working; Compressed hours", ["remote", "compressed_hours"]),
        ("Full time and part time, full time", ["full_time", "part_time"]),
    ],
)
def test_working_pattern_variants_normalise(raw: object, expected: list[str]) -> None:
    assert record(working_pattern=raw).working_pattern == expected


def test_an_unknown_working_pattern_is_reported() -> None:
    [(name, message)] = field_problems(working_pattern="Full time, Whenever")
    assert name == "working_pattern"
    assert "'Whenever'" in message


@pytest.mark.parametrize(
    ("raw", "hours"),
    [
        ("37.5", 37.5),
        ("37.5 hours per week", 37.5),
        ("22.5 hrs/week", 22.5),
        ("Up to 30 hours a week", 30.0),
        (37.5, 37.5),
        (16, 16.0),
        ("48", 48.0),
        ("Part time 22.5 hrs", 22.5),
        ("Full time - 37.5 hours per week", 37.5),
        ("Part-time: 30 hours a week", 30.0),
    ],
)
def test_hours_variants_normalise(raw: object, hours: float) -> None:
    assert record(hours=raw).hours == hours


@pytest.mark.parametrize("raw", ["0", 0, -5, "48.5", 60, "22.5 - 37.5", "lots", True, float("nan")])
def test_bad_hours_are_reported(raw: object) -> None:
    [(name, message)] = field_problems(hours=raw)
    assert name == "hours"
    assert "hours" in message


def test_hours_that_say_full_time_become_the_working_pattern() -> None:
    vacancy = record(hours="Full time")
    assert (vacancy.hours, vacancy.working_pattern) == (None, ["full_time"])
    vacancy = record(hours="Part time 22.5 hrs", working_pattern="Flexible working")
    assert (vacancy.hours, vacancy.working_pattern) == (22.5, ["flexible", "part_time"])


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("Post Title", "title"),
        ("Position", "title"),
        ("Contract duration", "contract"),
        ("SALARY SCALE", "salary"),
        ("Closing date for applications", "closing_date"),
    ],
)
def test_field_names_recruitment_packs_use(name: str, field: str) -> None:
    values = {"title": "Porter", "contract": "Permanent", "salary": "£24,465 a year", "closing_date": "31/12/2026"}
    fields = {"reference": "R-1", "employer": TRUST, name: values[field]}
    if field != "title":
        fields["title"] = "Porter"
    vacancy = VacancyRecord.model_validate(fields)
    assert getattr(vacancy, "salary_min" if field == "salary" else field) is not None


@pytest.mark.parametrize(
    ("raw", "low", "high", "hourly"),
    [
        ("£29,970 - £36,483 a year", 29970, 36483, False),
        ("£24,071 to £25,674 per annum", 24071, 25674, False),
        ("£24,071 to £25,674 a year per annum pro rata", 24071, 25674, False),
        ("£25.50 per hour", 25.5, 25.5, True),
        ("£12.21 - £13.00 an hour", 12.21, 13.0, True),
        ("£23,615", 23615, 23615, False),
        ("£30k - £35k p.a.", 30000, 35000, False),
        ("from £43,742 a year", 43742, None, False),
        ("up to £50,056 a year", None, 50056, False),
    ],
)
def test_salary_variants_normalise(raw: str, low: float | None, high: float | None, hourly: bool) -> None:
    vacancy = record(salary=raw)
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.salary_hourly) == (low, high, hourly)


def test_annual_salaries_are_whole_pounds() -> None:
    vacancy = record(salary="£29,970.40 - £36,483.60 a year")
    assert (vacancy.salary_min, vacancy.salary_max) == (29970, 36484)
    assert isinstance(vacancy.salary_min, int)


def test_salary_may_be_given_as_numbers() -> None:
    vacancy = record(salary_min=37338, salary_max="£44,962")
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.salary_hourly) == (37338, 44962, False)
    hourly = record(salary_min=12.5, salary_max=14, salary_hourly="yes")
    assert (hourly.salary_min, hourly.salary_max, hourly.salary_hourly) == (12.5, 14, True)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"salary": "Competitive"}, "no amount found"),
        ({"salary": "Negotiable, depending on experience"}, "no amount found"),
        ({"salary": "£25"}, "per hour or a year"),
        ({"salary": "£36,483 - £29,970 a year"}, "above the maximum"),
        ({"salary": "£2,000 per month"}, "only yearly or hourly"),
        ({"salary": "£25 per hour a year"}, "both hourly and yearly"),
        ({"salary": "£5,000,000 a year"}, "outside"),
        ({"salary": "£0.50 per hour"}, "outside"),
        ({"salary": "£23,615 a year plus £1,000 bonus"}, "one amount or a range"),
        ({"salary": "£23,615 a year", "salary_min": 23615}, "not both"),
        ({"salary_hourly": True}, "no salary"),
        ({"salary_min": "lots"}, "amount in pounds"),
    ],
)
def test_bad_salaries_are_reported(fields: dict[str, Any], reason: str) -> None:
    [(name, message)] = field_problems(**fields)
    assert name is not None
    assert name.startswith("salary")
    assert reason in message


@pytest.mark.parametrize(
    "raw",
    [
        "2026-12-31",
        "31/12/2026",
        "31.12.2026",
        "31 December 2026",
        "31st Dec 2026",
        "Thursday 31 December 2026",
        "December 31, 2026",
        "31/12/2026 23:59",
        "31 December 2026 at 11.59pm",
        "31/12/2026 midnight",
        date(2026, 12, 31),
    ],
)
def test_closing_date_variants_normalise(raw: object) -> None:
    assert record(closing_date=raw).closing_date == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1999-12-31", "before 2000"),
        ("31 December 1999", "before 2000"),
        ("31/02/2027", "not a real date"),
        ("12/31/2026", "not a real date"),
        ("31/12/26", "not a date"),
        ("next Friday", "not a date"),
        ("31 Decembuary 2026", "not a date"),
        ("2201-01-01", "after"),
        (20261231, "a date such as"),
    ],
)
def test_bad_closing_dates_are_reported(raw: object, reason: str) -> None:
    [(name, message)] = field_problems(closing_date=raw)
    assert name == "closing_date"
    assert reason in message
