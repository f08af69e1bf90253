"""The free-text reader against fixtures/intake/adverts: 13 NHS adverts in the layouts NHS Jobs,
Trac, trusts' sites and PDF packs print, and what a recruiter expects read and skipped in each
(expected.json, written from the adverts before the reader)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vacancies.intake import parse_file
from vacancies.intake.report import SKIP_REASONS
from vacancies.markers import read_markers

ADVERTS = Path(__file__).resolve().parents[2] / "fixtures" / "intake" / "adverts"
EXPECTED: dict[str, dict[str, Any]] = json.loads((ADVERTS / "expected.json").read_text(encoding="utf-8"))["adverts"]


def test_every_advert_has_expectations_and_every_expectation_an_advert() -> None:
    assert sorted(path.name for path in ADVERTS.glob("*.txt")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_advert_imports_with_the_fields_a_recruiter_reads(name: str) -> None:
    expected = EXPECTED[name]
    report = parse_file(ADVERTS / name)
    assert report.ok, [str(problem) for problem in report.problems]
    [vacancy] = report.records
    contract = vacancy.to_contract()
    assert {key: contract[key] for key in expected["vacancy"]} == expected["vacancy"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_advert_gives_the_criteria_a_recruiter_reads(name: str) -> None:
    expected = EXPECTED[name]
    [vacancy] = parse_file(ADVERTS / name).records
    for section in ("essential", "desirable"):
        criteria = getattr(vacancy, section)
        context = getattr(vacancy, f"{section}_context") or [None] * len(criteria)
        assert [[text, heading] for text, heading in zip(criteria, context, strict=True)] == expected[section]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_advert_report_says_what_was_skipped_and_why(name: str) -> None:
    reading = parse_file(ADVERTS / name).advert
    assert reading is not None
    assert [[run.line, run.end_line, run.reason] for run in reading.skipped] == EXPECTED[name]["skipped"]
    assert all(run.reason in SKIP_REASONS and run.why for run in reading.skipped)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_line_of_the_advert_is_read_or_skipped_never_both(name: str) -> None:
    lines = (ADVERTS / name).read_text(encoding="utf-8").splitlines()
    reading = parse_file(ADVERTS / name).advert
    assert reading is not None
    read = {n for item in reading.read for n in range(item.line, item.end_line + 1) if lines[n - 1].strip()}
    skipped = {n for run in reading.skipped for n in range(run.line, run.end_line + 1) if lines[n - 1].strip()}
    assert read | skipped == {n for n, line in enumerate(lines, start=1) if line.strip()}
    assert not read & skipped


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_criterion_keeps_its_method_marker_for_the_criteria_parser(name: str) -> None:
    [vacancy] = parse_file(ADVERTS / name).records
    for criterion in [*vacancy.essential, *vacancy.desirable]:
        assert isinstance(criterion, str)
        found = read_markers(criterion)
        assert found.section is None  # E/D went into the list it sits in
        assert criterion in (found.text, f"{found.text} ({'/'.join(m[0].upper() for m in found.methods)})")
