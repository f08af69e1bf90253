"""vacancies.intake.json_reader: JSON files of vacancies."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.vacancies.intake_support import (
    SAMPLES,
    TRUST,
    assert_rejected,
    where,
)
from vacancies.intake import (
    parse_file,
    parse_json,
)


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


@given(st.text(max_size=300) | st.recursive(st.none() | st.booleans() | st.integers() | st.text(), st.lists))
@settings(max_examples=200, deadline=None)
def test_parse_json_never_raises(value: object) -> None:
    report = parse_json(value if isinstance(value, str) else json.dumps(value))
    assert report.problems or report.records
