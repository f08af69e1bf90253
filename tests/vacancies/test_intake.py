"""vacancies.intake: adverts from JSON, CSV and pasted text to validated vacancy records."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from vacancies.intake import (
    CRITERION_KINDS,
    WORKING_PATTERNS,
    ImportReport,
    IntakeLimits,
    Problem,
    VacancyRecord,
    parse_advert,
    parse_csv,
    parse_file,
    parse_json,
    write_csv,
)

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


def test_required_fields_are_reported_together() -> None:
    report = parse_json(json.dumps([{"band": "Band 5"}]))
    assert_rejected(report)
    assert {p.field for p in report.problems} == {"reference", "title", "employer"}
    assert all(p.message.startswith("required") for p in report.problems)


def test_the_model_validator_reports_every_field_problem_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        VacancyRecord.model_validate(
            {
                "reference": "R-1",
                "title": " ",
                "employer": TRUST,
                "band": "Band 12",
                "hours": 90,
                "closing_date": "soon",
            }
        )
    [error] = caught.value.errors()
    fields = [name for name, _ in error["ctx"]["problems"]]
    assert fields == ["title", "band", "hours", "closing_date"]
    for name in fields:
        assert name in str(caught.value)


def test_a_record_is_frozen_and_revalidates_to_itself() -> None:
    vacancy = record(band="Band 5", salary="£29,970 - £36,483 a year", closing_date="31/12/2026", hours="37.5")
    with pytest.raises(ValidationError):
        vacancy.band = "6"
    assert VacancyRecord.model_validate(vacancy.model_dump()) == vacancy
    assert VacancyRecord.model_validate(vacancy) == vacancy


def test_an_unknown_field_is_reported() -> None:
    assert field_problems(colour="blue") == [
        ("colour", "unknown field; expected one of: " + ", ".join(sorted_fields()))
    ]


def sorted_fields() -> list[str]:
    from vacancies.intake import _ALIASES

    return list(_ALIASES)


def test_a_field_given_twice_with_different_values_is_reported() -> None:
    [(name, message)] = field_problems(id="R-2")
    assert name == "id"
    assert "given twice" in message


def test_text_fields_lose_extra_whitespace_but_keep_their_characters() -> None:
    vacancy = record(title="  Pielęgniarka\n  /  Staff   Nurse ", site="Midland Metropolitan\tUniversity Hospital")
    assert vacancy.title == "Pielęgniarka / Staff Nurse"
    assert vacancy.site == "Midland Metropolitan University Hospital"


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"title": "Porter\x00"}, "title", "control characters"),
        ({"title": "x" * 301}, "title", "longer than 300"),
        ({"reference": "R" * 101}, "reference", "longer than 100"),
        ({"employer": ["SWBH"]}, "employer", "must be text"),
        ({"essential": ["x" * 2001]}, "essential[0]", "longer than 2,000"),
        ({"essential": ["ok", ""]}, "essential[1]", "must not be empty"),
        ({"essential": [42]}, "essential[0]", "must be text or an object"),
        ({"essential": "x;" * 201}, "essential", "at most 200"),
        ({"desirable": {"kind": "skill"}}, "desirable", "must be a list"),
        ({"essential": [{"kind": "wish", "text": "x"}]}, "essential[0]", "kind must be one of"),
        ({"essential": [{"kind": "credential"}]}, "essential[0]", "needs an 'id'"),
        ({"essential": [{"kind": "skill"}]}, "essential[0]", "needs a 'text'"),
        ({"essential": [{"kind": "experience", "text": "HCA", "years": -1}]}, "essential[0]", "'years'"),
    ],
)
def test_bad_text_and_criteria_are_reported(fields: dict[str, Any], field: str, reason: str) -> None:
    [(name, message)] = field_problems(**fields)
    assert name == field
    assert reason in message


def test_criterion_kinds_match_the_engine() -> None:
    from matcher.requirements import REQUIREMENT_KINDS

    assert CRITERION_KINDS == REQUIREMENT_KINDS


# -- the DESIGN.md contract ---------------------------------------------------------------------
def test_to_contract_gives_the_design_vacancy_and_the_extra_fields() -> None:
    vacancy = record(
        band="Band 5",
        staff_group="Nursing and Midwifery Registered",
        specialty="Acute Medicine",
        site="Midland Metropolitan University Hospital",
        town="Smethwick",
        contract="Fixed-Term: 12 months",
        working_pattern="Full time, Flexible working",
        hours="37.5 hours per week",
        salary="£29,970 - £36,483 a year",
        closing_date="31 December 2026",
        essential=["Current NMC registration", {"kind": "skill", "text": "venepuncture"}],
        desirable="Experience of acute care",
    )
    contract = vacancy.to_contract()
    assert contract.keys() >= CONTRACT_KEYS
    assert contract["id"] == "C9-389-26-0001"
    assert contract["location"] == "Midland Metropolitan University Hospital, Smethwick"
    assert (contract["hours"], contract["contract"], contract["closing_date"]) == (
        "full_time",
        "fixed_term",
        "2026-12-31",
    )
    assert contract["essential"] == ["Current NMC registration", {"kind": "skill", "text": "venepuncture"}]
    assert contract["desirable"] == ["Experience of acute care"]
    assert contract["working_pattern"] == ["full_time", "flexible"]
    assert (contract["hours_per_week"], contract["salary_min"], contract["salary_max"]) == (37.5, 29970, 36483)
    assert (contract["contract_months"], contract["salary_hourly"], contract["specialty"]) == (
        12,
        False,
        "Acute Medicine",
    )
    json.dumps(contract)


def test_the_contract_is_accepted_by_the_engine() -> None:
    from matcher.profile import Vacancy

    contract = parse_file(SAMPLES / "advert_staff_nurse.txt").records[0].to_contract()
    vacancy = Vacancy.from_dict(contract)
    assert (vacancy.id, vacancy.band, vacancy.hours) == ("C9-389-26-0401", "5", "full_time")
    assert vacancy.extra["essential_context"][0] == "Qualifications"


@pytest.mark.parametrize(
    ("fields", "hours"),
    [
        ({"hours": "37.5"}, "full_time"),
        ({"hours": "40"}, "full_time"),
        ({"hours": "22.5", "working_pattern": "Full time"}, "part_time"),
        ({"working_pattern": "Full time, Flexible working"}, "full_time"),
        ({"working_pattern": "Part time"}, "part_time"),
        ({"working_pattern": "Full time, Part time"}, None),
        ({}, None),
    ],
)
def test_contract_hours_come_from_the_hours_or_the_pattern(fields: dict[str, Any], hours: str | None) -> None:
    assert record(**fields).to_contract()["hours"] == hours


@pytest.mark.parametrize(
    ("site", "town", "location"),
    [
        ("City Hospital", "Birmingham", "City Hospital, Birmingham"),
        ("City Hospital", None, "City Hospital"),
        (None, "Smethwick", "Smethwick"),
        (
            "Midland Metropolitan University Hospital, Smethwick",
            "Smethwick",
            "Midland Metropolitan University Hospital, Smethwick",
        ),
        (None, None, None),
    ],
)
def test_location_is_site_and_town(site: str | None, town: str | None, location: str | None) -> None:
    assert record(site=site, town=town).to_contract()["location"] == location


def test_a_contract_location_splits_into_site_and_town() -> None:
    vacancy = record(location="Midland Metropolitan University Hospital, Smethwick")
    assert (vacancy.site, vacancy.town) == ("Midland Metropolitan University Hospital", "Smethwick")
    assert record(location="City Hospital").site == "City Hospital"


def test_the_shipped_vacancy_fixtures_import_and_keep_their_contract() -> None:
    original = json.loads(FIXTURE_VACANCIES.read_text(encoding="utf-8"))["vacancies"]
    report = parse_file(FIXTURE_VACANCIES)
    assert report.ok, report.problems
    for before, after in zip(original, (r.to_contract() for r in report.records), strict=True):
        assert {key: after[key] for key in CONTRACT_KEYS} == before


# -- JSON ---------------------------------------------------------------------------------------
def test_json_sample_imports() -> None:
    report = parse_file(SAMPLES / "vacancies.json")
    assert report.ok, report.problems
    pharmacy, midwife = report.records
    assert (pharmacy.band, pharmacy.hours, pharmacy.salary_min, pharmacy.salary_max) == ("2", 37.5, 23615, 23615)
    assert (midwife.band, midwife.contract, midwife.contract_months) == ("6", "fixed_term", 12)
    assert (midwife.site, midwife.town, midwife.closing_date) == (
        "Midland Metropolitan University Hospital",
        "Smethwick",
        date(2027, 1, 8),
    )
    assert midwife.essential[0] == {"kind": "credential", "id": "nmc-registration-midwife"}


def test_json_accepts_an_array_or_a_vacancies_object() -> None:
    items = [{"reference": "R-1", "title": "Porter", "employer": TRUST}]
    assert parse_json(json.dumps(items)).ok
    assert parse_json(json.dumps({"vacancies": items, "source": "test"})).ok


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('[{"reference": "R-1",\n "title": }]', 2, "not valid JSON"),
        ('{"reference": "R-1"}', None, "expected a JSON array"),
        ('{"vacancies": {"reference": "R-1"}}', None, "expected a JSON array"),
        ("[]", None, "holds no vacancies"),
        ("  \n", None, "empty"),
        ("[" * 100_000, None, "nested too deeply"),
    ],
)
def test_unusable_json_is_reported(text: str, line: int | None, reason: str) -> None:
    report = parse_json(text)
    assert_rejected(report)
    assert report.problems[0].line == line
    assert reason in report.problems[0].message


def test_json_problems_name_the_line_each_vacancy_starts_on() -> None:
    text = json.dumps(
        {
            "source": "test",
            "vacancies": [
                {"reference": "R-1", "title": "Porter", "employer": TRUST},
                "not an object",
                {"reference": "R-3", "title": "Porter", "employer": TRUST, "band": "Band 99"},
                {"reference": "r-1", "title": "Porter", "employer": TRUST},
            ],
        },
        indent=2,
    )
    report = parse_json(text)
    assert_rejected(report)
    assert where(report) == [(9, None), (10, "band"), (16, "reference")]
    assert "must be an object" in report.problems[0].message
    assert report.problems[2].message == "duplicate reference 'r-1' (line 4 and line 16)"


# -- CSV ----------------------------------------------------------------------------------------
def test_csv_sample_imports() -> None:
    report = parse_file(SAMPLES / "vacancies.csv")
    assert report.ok, report.problems
    hca, nurse, domestic, clerk = report.records
    assert hca.essential == [
        "Ability to communicate effectively in English with patients, relatives and colleagues",
        "Care Certificate or willingness to complete it within 12 weeks of starting",
        "Able to work as part of a team",
    ]
    assert hca.desirable == ["Experience of personal care in a hospital, care home or the community", "Punjabi or Urdu"]
    assert (nurse.band, nurse.salary_min, nurse.salary_max, nurse.closing_date) == (
        "5",
        29970,
        36483,
        date(2026, 12, 31),
    )
    assert (domestic.contract, domestic.salary_min, domestic.salary_hourly) == ("bank", 12.21, True)
    assert domestic.essential == [
        "Able to follow cleaning schedules and infection control procedures",
        "Good communication skills",
    ]
    assert (clerk.band, clerk.contract, clerk.contract_months, clerk.hours) == ("3", "fixed_term", 12, 22.5)
    assert clerk.to_contract()["hours"] == "part_time"
    assert clerk.desirable[1] == '=HYPERLINK("https://www.nhs.uk","NHS") awareness'


def test_bad_rows_sample_reports_every_row_and_imports_nothing() -> None:
    report = parse_file(SAMPLES / "vacancies_bad_rows.csv")
    assert_rejected(report)
    assert where(report) == [
        (1, "Colour"),
        (3, "Band"),
        (5, "Job title"),
        (5, "Contract"),
        (5, "Hours"),
        (5, "Salary"),
        (5, "Closing date"),
        (6, "Closing date"),
        (6, "Reference"),
    ]
    assert "unknown column" in report.problems[0].message
    assert "(line 2 and line 6)" in report.problems[-1].message


@pytest.mark.parametrize(
    "header",
    [
        "Reference,Job title,Employer,Closing date",
        "REFERENCE,JOB TITLE,EMPLOYER,CLOSING DATE",
        "Job reference,title,Employer name,closing_date",
        "Reference:, Job Title ,Employer,Closing Date:",
        "ref,job-title,organisation,closes",
    ],
)
def test_csv_column_names_are_tolerant(header: str) -> None:
    report = parse_csv(f"{header}\nR-1,Porter,{TRUST},14/12/2026\n")
    assert report.ok, report.problems
    assert (report.records[0].title, report.records[0].closing_date) == ("Porter", date(2026, 12, 14))


def test_csv_tolerates_a_bom_crlf_blank_lines_and_empty_trailing_columns() -> None:
    text = "\ufeffReference,Job title,Employer,,\r\n\r\nR-1,Porter,SWBH,,\r\nR-2,Cleaner,SWBH,,\r\n\r\n"
    report = parse_csv(text)
    assert report.ok, report.problems
    assert [r.reference for r in report.records] == ["R-1", "R-2"]


def test_csv_quoted_multiline_cells_keep_physical_line_numbers() -> None:
    text = (
        f"{HEADER}\n"
        'R-1,Porter,SWBH,Band 2,37.5,,,"- Able to lift\n- Able to push\n- Team work",\n'
        'R-2,Porter,SWBH,Band 22,37.5,,,"one\ntwo",\n'
        "R-3,Porter,SWBH,Band 2,99,,,,\n"
    )
    report = parse_csv(text)
    assert where(report) == [(5, "Band"), (7, "Hours")]
    assert report.records == []


@pytest.mark.parametrize(
    ("cell", "criteria"),
    [
        ('"one\ntwo\nthree"', ["one", "two", "three"]),
        ('"one; two; three"', ["one", "two", "three"]),
        ('"one | two|three"', ["one", "two", "three"]),
        ('"• one\n* two\n1. three\n2) four"', ["one", "two", "three", "four"]),
        ('"GCSE English; or Functional Skills\nTeam work"', ["GCSE English; or Functional Skills", "Team work"]),
        (
            '"{""kind"": ""skill"", ""text"": ""venepuncture""}\nTeam work"',
            [{"kind": "skill", "text": "venepuncture"}, "Team work"],
        ),
        ('"one\n\n-\n  two  "', ["one", "two"]),
        ('"one; two\n"', ["one; two"]),
        ('"1.5 years in a ward; 3 years\' experience"', ["1.5 years in a ward", "3 years' experience"]),
    ],
)
def test_csv_criteria_cells_split_on_newlines_semicolons_and_bars(cell: str, criteria: list[Any]) -> None:
    report = parse_csv(f"Reference,Job title,Employer,Essential\nR-1,Porter,SWBH,{cell}\n")
    assert report.ok, report.problems
    assert report.records[0].essential == criteria


@pytest.mark.parametrize(
    ("text", "expected", "reason"),
    [
        (f"{HEADER}\nR-1,Porter,SWBH\n", [(2, None)], "3 cells, but the header has 9"),
        (f"{HEADER}\nR-1,Porter,SWBH,,,,,,,extra\n", [(2, None)], "10 cells"),
        (f'{HEADER}\nR-1,Porter,SWBH,,,,,"Team work,\nR-2,Porter,SWBH,,,,,,\n', [(2, None)], "never closed"),
        (f'{HEADER}\nR-1,"Por"ter,SWBH,,,,,,\nR-2,Porter,SWBH,,,,,,\n', [(2, None)], "must be doubled"),
        ("Reference;Job title;Employer\nR-1;Porter;SWBH\n", [(1, None)], "semicolons"),
        ("Reference\tJob title\tEmployer\nR-1\tPorter\tSWBH\n", [(1, None)], "tabs"),
        (f"{HEADER}\n", [(None, None)], "holds no vacancies"),
        ("", [(None, None)], "empty"),
        ("\ufeff \n \n", [(None, None)], "empty"),
        ("Reference,Job title,Employer,Band,Band\nR-1,Porter,SWBH,2,3\n", [(1, "Band")], "same column"),
        ("Reference,Job title,Employer,\nR-1,Porter,SWBH,stray\n", [(2, None)], "no name"),
        ("Job title,Band\nPorter,Band 2\nCleaner,Band 2\n", [(1, None), (1, None)], "column"),
    ],
)
def test_malformed_csv_is_reported(text: str, expected: list[tuple[int | None, str | None]], reason: str) -> None:
    report = parse_csv(text)
    assert_rejected(report)
    assert where(report) == expected
    assert reason in report.problems[0].message


def test_a_missing_required_column_is_reported_once_not_per_row() -> None:
    report = parse_csv("Job title,Employer\nPorter,SWBH\nCleaner,SWBH\n")
    assert [(p.line, p.message) for p in report.problems] == [
        (1, "no 'Reference' column (the advert reference is required)")
    ]


def test_a_blank_required_cell_names_the_column() -> None:
    report = parse_csv("Reference,Job title,Employer\nR-1,,SWBH\n")
    assert [(p.line, p.field, p.message) for p in report.problems] == [(2, "Job title", "required: the job title")]


def test_one_bad_row_imports_nothing() -> None:
    text = "Reference,Job title,Employer,Band\n" + "".join(f"R-{n},Porter,SWBH,Band 2\n" for n in range(50))
    assert len(parse_csv(text).records) == 50
    report = parse_csv(text + "R-50,Porter,SWBH,Band 11\n")
    assert_rejected(report)
    assert where(report) == [(52, "Band")]


def test_reporting_stops_after_the_problem_limit() -> None:
    text = "Reference,Job title,Employer,Band\n" + "".join(f"R-{n},Porter,SWBH,Band 99\n" for n in range(500))
    report = parse_csv(text, limits=IntakeLimits(max_problems=20))
    assert len(report.problems) == 21
    assert "stopped after 20 problems" in report.problems[-1].message


def test_formula_looking_cells_are_kept_as_text() -> None:
    formulas = [
        '=HYPERLINK("http://evil.example","Click")',
        "=1+1",
        "+44 121 507 4344",
        "@SUM(A1:A9)",
        "=cmd|' /C calc'!A0",
    ]
    rows = "".join(
        f'R-{n},"{f.replace(chr(34), chr(34) * 2)}",SWBH,"{f.replace(chr(34), chr(34) * 2)}\n"\n'
        for n, f in enumerate(formulas)
    )
    report = parse_csv("Reference,Job title,Employer,Essential\n" + rows)
    assert report.ok, report.problems
    assert [r.title for r in report.records] == formulas
    assert [r.essential for r in report.records] == [[f] for f in formulas]
    assert report.records[1].to_contract()["title"] == "=1+1"


# -- Unicode ------------------------------------------------------------------------------------
def test_unicode_is_preserved_in_every_format() -> None:
    title = "Asystent/ka opieki — مساعد رعاية"
    csv_text = f'Reference,Job title,Employer,Essential\nR-1,{title},SWBH,"{POLISH}\n{ARABIC}"\n'
    json_text = json.dumps([{"reference": "R-1", "title": title, "employer": "SWBH", "essential": [POLISH, ARABIC]}])
    advert_text = f"Job title: {title}\nReference: R-1\nEmployer: SWBH\nEssential\n- {POLISH}\n- {ARABIC}\n"
    for report in (parse_csv(csv_text), parse_json(json_text), parse_advert(advert_text)):
        assert report.ok, report.problems
        [vacancy] = report.records
        assert (vacancy.title, vacancy.essential) == (title, [POLISH, ARABIC])
        assert json.loads(json.dumps(report.to_dict(), ensure_ascii=False))["vacancies"][0]["essential"] == [
            POLISH,
            ARABIC,
        ]


def test_advert_sample_keeps_polish_and_arabic() -> None:
    [vacancy] = parse_file(SAMPLES / "advert_staff_nurse.txt").records
    assert "język polski" in vacancy.desirable[1]
    assert "العربية" in vacancy.desirable[1]


# -- free-text adverts --------------------------------------------------------------------------
def test_advert_sample_with_labels_and_headings_inside_sections() -> None:
    report = parse_file(SAMPLES / "advert_staff_nurse.txt")
    assert report.ok, report.problems
    [vacancy] = report.records
    assert (vacancy.reference, vacancy.title, vacancy.employer) == (
        "C9-389-26-0401",
        "Staff Nurse - Acute Medical Unit",
        TRUST,
    )
    assert (vacancy.band, vacancy.contract, vacancy.hours, vacancy.closing_date) == (
        "5",
        "permanent",
        37.5,
        date(2026, 12, 31),
    )
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.working_pattern) == (
        29970,
        36483,
        ["full_time", "flexible"],
    )
    assert vacancy.essential == [
        "Current NMC registration as an adult nurse",
        "Evidence of continuing professional development",
        "Experience of caring for acutely unwell adults, including patients with complex needs",
        "Able to recognise and escalate a deteriorating patient (NEWS2)",
        "Effective written and spoken communication in English",
    ]
    assert vacancy.essential_context == [
        "Qualifications",
        "Qualifications",
        "Experience",
        "Knowledge and skills",
        "Knowledge and skills",
    ]
    assert len(vacancy.desirable) == 2
    assert vacancy.desirable_context == []


def test_advert_sample_pasted_from_an_nhs_jobs_page() -> None:
    report = parse_file(SAMPLES / "advert_porter.txt")
    assert report.ok, report.problems
    [vacancy] = report.records
    assert (vacancy.reference, vacancy.title, vacancy.employer, vacancy.band) == (
        "C9-389-26-0402",
        "Porter",
        TRUST,
        "2",
    )
    assert (vacancy.site, vacancy.town, vacancy.closing_date) == (
        "Midland Metropolitan University Hospital",
        "Smethwick",
        date(2026, 12, 14),
    )
    assert vacancy.working_pattern == ["full_time", "shifts"]
    assert vacancy.essential == ["Good standard of spoken English", "Able to work as part of a team"]
    assert vacancy.desirable == [
        "NVQ Level 2 in Health and Social Care",
        "Experience of moving and handling people safely",
    ]
    assert vacancy.essential_context == ["Qualifications", "Experience"]
    assert vacancy.desirable_context == ["Qualifications", "Experience"]


ADVERT_HEAD = "Job title: Porter\nReference: R-1\nEmployer: SWBH\n"


@pytest.mark.parametrize(
    "spec",
    [
        "Essential criteria\n- Team work\n- Lifting\nDesirable criteria\n- NVQ 2",
        "ESSENTIAL\n* Team work\n* Lifting\nDESIRABLE\n* NVQ 2",
        "Essential:\n1. Team work\n2. Lifting\n\nDesirable:\n1) NVQ 2",
        "## Essential\n• Team work\n• Lifting\n## Desirable\n• NVQ 2",
        "**Essential**\nTeam work\nLifting\n\n**Desirable**\nNVQ 2",
        "Essential: Team work\nLifting\nDesirable: NVQ 2",
        "Essential criteria\nQualifications:\n- Team work\nExperience: Lifting\nDesirable\n- NVQ 2",
    ],
)
def test_advert_person_specification_variants(spec: str) -> None:
    report = parse_advert(ADVERT_HEAD + "\n" + spec + "\n")
    assert report.ok, report.problems
    [vacancy] = report.records
    assert (vacancy.essential, vacancy.desirable) == (["Team work", "Lifting"], ["NVQ 2"])


@pytest.mark.parametrize(
    "head",
    [
        "Job title: Porter\nReference: R-1\nEmployer: SWBH\nBand: Band 2\nClosing date: 14/12/2026",
        "JOB TITLE: Porter\nREFERENCE: R-1\nEMPLOYER: SWBH\nBAND: AfC Band 2\nCLOSING DATE: 14 December 2026",
        "Job title\tPorter\nJob reference\tR-1\nEmployer\tSWBH\nBand\tband 2\nClosing date\t2026-12-14",
        "**Job title:** Porter\n**Reference:** R-1\n**Employer:** SWBH\n**Band:** 2\n**Closing date:** 14/12/2026",
        "Job title\nPorter\nReference number\nR-1\nEmployer name\nSWBH\nBand\nBand 2\nClosing date\n14/12/2026",
    ],
)
def test_advert_label_variants(head: str) -> None:
    report = parse_advert(head + "\n\nEssential\n- Team work\n")
    assert report.ok, report.problems
    [vacancy] = report.records
    assert (vacancy.title, vacancy.reference, vacancy.employer, vacancy.band) == ("Porter", "R-1", "SWBH", "2")
    assert vacancy.closing_date == date(2026, 12, 14)


def test_advert_prose_and_unknown_labels_are_ignored() -> None:
    text = (
        ADVERT_HEAD + "Date posted: 25 November 2026\nPay scheme: Agenda for change\n\nJob summary\n"
        "Please note: we welcome applications from refugees.\n\nEssential\n- Team work\n\n"
        "Disclosure and Barring Service Check\nThis post is subject to a DBS check.\n"
    )
    [vacancy] = parse_advert(text).records
    assert vacancy.essential == ["Team work"]


def test_advert_labels_after_the_specification_end_it() -> None:
    text = "Job title: Porter\nEmployer: SWBH\nEssential\n- Team work\nDesirable\n- NVQ 2\nReference: R-1\n"
    [vacancy] = parse_advert(text).records
    assert (vacancy.reference, vacancy.desirable) == ("R-1", ["NVQ 2"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Employer: SWBH\nEssential\n- Team work\n", [(None, "reference"), (None, "title")]),
        (ADVERT_HEAD + "\nJob summary\nWe move patients.\n", [(None, "essential")]),
        (ADVERT_HEAD + "Essential criteria\n\nDesirable\n- NVQ 2\n", [(None, "essential")]),
        (ADVERT_HEAD + "Band: Band 12\nEssential\n- Team work\n", [(4, "Band")]),
        (ADVERT_HEAD + "Closing date: 31/02/2027\nEssential\n- Team work\n", [(4, "Closing date")]),
        (ADVERT_HEAD + "Essential\n- Team work\n- " + "x" * 2001 + "\n", [(6, "essential[1]")]),
        (ADVERT_HEAD + "Band: 2\nBand: 3\nEssential\n- Team work\n", [(5, "Band")]),
        ("", [(None, None)]),
    ],
)
def test_bad_adverts_are_reported(text: str, expected: list[tuple[int | None, str | None]]) -> None:
    report = parse_advert(text)
    assert_rejected(report)
    assert sorted(where(report), key=str) == sorted(expected, key=str)


def test_a_missing_title_or_reference_says_so() -> None:
    report = parse_advert("Employer: SWBH\nEssential\n- Team work\n")
    messages = {p.field: p.message for p in report.problems}
    assert messages == {"reference": "required: the advert reference", "title": "required: the job title"}


def test_wrapped_bullet_lines_join_their_criterion() -> None:
    text = (
        ADVERT_HEAD + "Essential\n- Experience of caring for adults\n  with complex needs\n- Team work\nand honesty\n"
    )
    [vacancy] = parse_advert(text).records
    assert vacancy.essential == ["Experience of caring for adults with complex needs", "Team work and honesty"]


# -- files --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("v.json", '[{"reference": "R-1", "title": "Porter", "employer": "SWBH"}]'),
        ("v.JSON", '{"vacancies": [{"reference": "R-1", "title": "Porter", "employer": "SWBH"}]}'),
        ("v.csv", "Reference,Job title,Employer\nR-1,Porter,SWBH\n"),
        ("v.txt", "Job title: Porter\nReference: R-1\nEmployer: SWBH\nEssential\n- Team work\n"),
        (
            "v.md",
            "# Porter\n**Job title:** Porter\n**Reference:** R-1\n**Employer:** SWBH\n## Essential\n- Team work\n",
        ),
    ],
)
def test_parse_file_chooses_the_parser_by_extension(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + content.encode("utf-8"))  # with a BOM, as Excel saves it
    report = parse_file(path)
    assert report.ok, report.problems
    assert report.records[0].reference == "R-1"


@pytest.mark.parametrize(
    ("name", "content", "line", "reason"),
    [
        ("v.csv", b"Reference,Job title,Employer\nR-1,Caf\xe9 assistant,SWBH\n", 2, "not valid UTF-8"),
        ("v.json", b"\xff\xfe[\x00]\x00", None, "UTF-16"),
        ("v.csv", b"", None, "is empty"),
        ("v.txt", b"  \n\n", None, "is empty"),
        ("v.xlsx", b"PK\x03\x04", None, "save a spreadsheet as CSV"),
        ("v.pdf", b"%PDF", None, "use a .json, .csv, .txt or .md file"),
    ],
)
def test_unreadable_files_are_reported(
    tmp_path: Path, name: str, content: bytes, line: int | None, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = parse_file(path)
    assert_rejected(report)
    [problem] = report.problems
    assert problem.line == line
    assert reason in problem.message


def test_a_missing_file_or_a_directory_is_reported(tmp_path: Path) -> None:
    assert "file not found" in parse_file(tmp_path / "nope.csv").problems[0].message
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert "is a directory" in parse_file(folder).problems[0].message


def test_a_file_over_ten_megabytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.write(b"Reference,Job title,Employer\n")
        handle.truncate(10 * 1024 * 1024 + 1)
    [problem] = parse_file(path).problems
    assert "larger than 10 MB" in problem.message
    at_limit = tmp_path / "limit.csv"
    at_limit.write_bytes(b"Reference,Job title,Employer\nR-1,Porter,SWBH\n")
    assert parse_file(at_limit, limits=IntakeLimits(max_file_bytes=at_limit.stat().st_size)).ok


# -- reports ------------------------------------------------------------------------------------
def test_report_to_dict_is_json_and_ok_needs_records_and_no_problems() -> None:
    good = parse_csv("Reference,Job title,Employer\nR-1,Porter,SWBH\n")
    assert good.to_dict() == {
        "ok": True,
        "count": 1,
        "vacancies": [good.records[0].to_contract()],
        "problems": [],
    }
    bad = parse_csv("Reference,Job title,Employer,Band\nR-1,Porter,SWBH,Band 0\n")
    assert json.loads(json.dumps(bad.to_dict())) == {
        "ok": False,
        "count": 0,
        "vacancies": [],
        "problems": [{"line": 2, "field": "Band", "message": bad.problems[0].message}],
    }
    assert not ImportReport().ok


def test_problem_reads_as_one_line() -> None:
    assert str(Problem(4, "Band", "not a band")) == "line 4, Band: not a band"
    assert str(Problem(None, "title", "required")) == "title: required"
    assert str(Problem(None, None, "the file is empty")) == "the file is empty"


# -- properties ---------------------------------------------------------------------------------
@given(st.text(max_size=400))
@settings(max_examples=200, deadline=None)
def test_parse_csv_never_raises_on_arbitrary_text(text: str) -> None:
    report = parse_csv(text)
    assert report.problems or report.records
    assert not (report.problems and report.records)


_CELL = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(',"\n\r;|£-'), max_size=30)


@given(st.lists(st.lists(_CELL, min_size=0, max_size=12), max_size=6))
@settings(max_examples=200, deadline=None)
def test_parse_csv_never_raises_on_arbitrary_rows_under_a_real_header(rows: list[list[str]]) -> None:
    lines = [",".join(f'"{cell.replace(chr(34), chr(34) * 2)}"' for cell in row) for row in rows]
    report = parse_csv("\n".join([HEADER, *lines]))
    for problem in report.problems:
        assert problem.line is None or 1 <= problem.line <= report_lines(report, lines)


def report_lines(report: ImportReport, lines: list[str]) -> int:
    return 1 + sum(line.count("\n") + line.count("\r") + 1 for line in lines)


@given(st.text(max_size=600))
@settings(max_examples=200, deadline=None)
def test_parse_advert_never_raises_on_arbitrary_text(text: str) -> None:
    report = parse_advert(text)
    assert report.problems or report.records


_ADVERT_LINE = st.sampled_from(
    [
        "Job title: Porter",
        "Reference: R-1",
        "Employer: SWBH",
        "Band: Band 2",
        "Band",
        "Essential",
        "Desirable criteria:",
        "Experience",
        "Qualifications: NVQ",
        "- Team work",
        "  continued",
        "Employer details",
        "Closing date\t31/02/2027",
        "",
    ]
)


@given(st.lists(_ADVERT_LINE | st.text(max_size=40), max_size=30))
@settings(max_examples=200, deadline=None)
def test_parse_advert_never_raises_on_shuffled_advert_lines(lines: list[str]) -> None:
    report = parse_advert("\n".join(lines))
    assert report.problems or report.records


@given(st.text(max_size=300) | st.recursive(st.none() | st.booleans() | st.integers() | st.text(), st.lists))
@settings(max_examples=200, deadline=None)
def test_parse_json_never_raises(value: object) -> None:
    report = parse_json(value if isinstance(value, str) else json.dumps(value))
    assert report.problems or report.records


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


@given(st.lists(valid_records(), min_size=1, max_size=5, unique_by=lambda r: r.reference.casefold()))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_a_csv_written_from_valid_records_reads_back_the_same(records: list[VacancyRecord]) -> None:
    report = parse_csv(write_csv(records))
    assert report.problems == []
    assert report.records == records


@given(valid_records())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_the_contract_reads_back_as_the_same_record(vacancy: VacancyRecord) -> None:
    report = parse_json(json.dumps([vacancy.to_contract()]))
    assert report.problems == []
    assert report.records == [vacancy]


@pytest.mark.parametrize("danger", ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_spreadsheet_exports_do_not_run_formulas(danger: str) -> None:
    from vacancies.intake import spreadsheet_safe, write_csv

    assert spreadsheet_safe(danger).startswith("'")
    record = parse_json(
        json.dumps([{"reference": "X-1", "title": danger, "employer": "Trust", "essential": [danger]}])
    ).records[0]
    exported = write_csv([record], for_spreadsheets=True)
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert all(cell[:1] not in ("=", "+", "-", "@", "\t") for cell in cells if cell)
    # Files the service reads back keep the text exactly.
    assert parse_csv(write_csv([record])).records[0].title == danger.strip()
