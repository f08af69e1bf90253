"""Golden cases: personas x vacancies with outcomes derived by hand from DOMAIN.md.

fixtures/expected_outcomes.json names a resident (fixtures/residents.json) and a vacancy
(fixtures/vacancies.json) per case, with the expected eligibility, blocks, and the credentials
the pathway must contain (in this order) and must not contain.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from matcher.assessment import Assessor
from matcher.profile import Resident, Vacancy
from vacancies.criteria import CriteriaParser

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
_FILES = [FIXTURES / name for name in ("residents.json", "vacancies.json", "expected_outcomes.json")]

if not all(path.is_file() for path in _FILES):
    pytest.skip("fixtures/residents.json, vacancies.json or expected_outcomes.json not found", allow_module_level=True)

RESIDENTS: dict[str, dict[str, Any]] = {
    r["id"]: r for r in json.loads(_FILES[0].read_text(encoding="utf-8"))["residents"]
}
VACANCIES: dict[str, dict[str, Any]] = {
    v["id"]: v for v in json.loads(_FILES[1].read_text(encoding="utf-8"))["vacancies"]
}
EXPECTED = json.loads(_FILES[2].read_text(encoding="utf-8"))
TODAY = date.fromisoformat(EXPECTED["today"])
CASES = EXPECTED["cases"]


def test_the_cases_name_known_residents_and_vacancies() -> None:
    assert CASES
    for case in CASES:
        assert case["resident"] in RESIDENTS, case
        assert case["vacancy"] in VACANCIES, case
        assert case["why"].strip(), case
    ids = [(c["resident"], c["vacancy"]) for c in CASES]
    assert len(ids) == len(set(ids)), "a resident-vacancy pair appears twice"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['resident']}-{c['vacancy']}" for c in CASES])
def test_expected_outcome(assessor: Assessor, criteria_parser: CriteriaParser, case: dict[str, Any]) -> None:
    resident = Resident.from_dict(RESIDENTS[case["resident"]])
    vacancy = criteria_parser.parse_vacancy(Vacancy.from_dict(VACANCIES[case["vacancy"]]))
    result = assessor.assess(resident, vacancy, today=TODAY)
    why = case["why"]
    steps = [] if result.pathway is None else [s.credential for s in result.pathway.steps]

    assert result.eligible_now is case["eligible_now"], why
    assert list(result.blocked_by) == case["blocked_by"], why
    if case["pathway"] is None:
        assert steps == [], why
    else:
        missing = [c for c in case["pathway"] if c not in steps]
        assert not missing, (missing, steps, why)
        assert [c for c in steps if c in case["pathway"]] == case["pathway"], (steps, why)
    unwanted = [c for c in case["pathway_must_not_contain"] if c in steps]
    assert not unwanted, (unwanted, steps, why)
