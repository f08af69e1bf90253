"""Hostile input to every parser: they report problems, never crash (Hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import InvalidInputError, Resident, Vacancy
from matcher.qualifications import QualificationRecogniser
from matcher.requirements import REQUIREMENT_KINDS
from vacancies.criteria import CriteriaParser

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
LANGUAGE_TEST = st.fixed_dictionaries(
    {},
    optional={
        "test": st.sampled_from(["IELTS Academic", "IELTS GT", "OET", "TOEFL", ""]) | st.text(max_size=10),
        "overall": JSON,
        "listening": JSON,
        "reading": JSON,
        "writing": st.sampled_from(["B", "C+", 6.5, 7, "7.0", -1, 9.5, None]) | JSON,
        "speaking": JSON,
        "date": st.sampled_from(["2026-02-30", "2026-01-01", "yesterday", ""]) | JSON,
    },
)


def problems_of(call: Any) -> list[str] | None:
    """None when ``call()`` succeeds; the problems it reports when it refuses the input.

    Any other exception propagates and fails the test: that is the crash these tests look for.
    """
    try:
        call()
    except InvalidInputError as exc:
        return exc.problems
    return None


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(
    profile=st.dictionaries(
        st.sampled_from(
            ["skills", "experience", "qualifications", "credentials", "right_to_work", "hours", "postcode", "id"]
        ),
        JSON,
        max_size=6,
    ),
    tests=st.lists(LANGUAGE_TEST, max_size=3),
)
def test_resident_profiles_are_accepted_or_refused_with_reasons(profile: dict[str, Any], tests: list[Any]) -> None:
    problems = problems_of(lambda: Resident.from_dict({**profile, "language_tests": tests}))
    if problems is not None:
        assert problems
        assert all(isinstance(p, str) and p for p in problems)


@FAST
@given(
    vacancy=st.dictionaries(
        st.sampled_from(["title", "essential", "desirable", "band", "id", "employer"]), JSON, max_size=6
    )
)
def test_vacancies_are_accepted_or_refused_with_reasons(vacancy: dict[str, Any]) -> None:
    problems = problems_of(lambda: Vacancy.from_dict(vacancy))
    assert problems is None or problems


@FAST
@given(
    criterion=st.text(max_size=300)
    | st.dictionaries(st.sampled_from(["kind", "id", "text", "years"]), JSON, max_size=4)
)
def test_criteria_parse_or_are_refused(criteria_parser: CriteriaParser, criterion: Any) -> None:
    if isinstance(criterion, str) and not criterion.strip():
        return
    found: list[Any] = []
    problems = problems_of(lambda: found.extend(criteria_parser.parse(criterion, essential=True)))
    if problems is not None:
        assert problems
        return
    assert found
    assert all(r.kind in REQUIREMENT_KINDS for r in found)


@FAST
@given(text=st.text(min_size=1, max_size=300), country=st.none() | st.text(max_size=4))
def test_qualification_recognition_never_crashes(
    recogniser: QualificationRecogniser, text: str, country: str | None
) -> None:
    found: list[Any] = []
    problems = problems_of(lambda: found.extend(recogniser.recognise(text, country)))
    if problems is not None:
        assert problems
        return
    for item in found:
        assert 0.0 <= item.confidence <= 1.0
        assert item.level is None or 1 <= item.level <= 8


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script> nurse", '=HYPERLINK("x")', "'; DROP TABLE residents; --", "\u202eesruN"]
)
def test_hostile_strings_are_just_text(criteria_parser: CriteriaParser, text: str) -> None:
    requirements = criteria_parser.parse(text, essential=True)
    assert requirements[0].text == text
