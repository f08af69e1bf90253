"""vacancies.intake.record: VacancyRecord, field names, criteria lists and the DESIGN.md contract."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError

from tests.vacancies.intake_support import (
    CONTRACT_KEYS,
    FIXTURE_VACANCIES,
    SAMPLES,
    TRUST,
    assert_rejected,
    field_problems,
    record,
    valid_records,
)
from vacancies.intake import (
    CRITERION_KINDS,
    VacancyRecord,
    parse_file,
    parse_json,
)


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
    from vacancies.intake.record import _ALIASES

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


@given(valid_records())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_the_contract_reads_back_as_the_same_record(vacancy: VacancyRecord) -> None:
    report = parse_json(json.dumps([vacancy.to_contract()]))
    assert report.problems == []
    assert report.records == [vacancy]
