"""matcher.english: regulators' English rules as of the audit of 2026-12-01 (DOMAIN.md), in plain words.

Expected outcomes are derived from the rules as DOMAIN.md states them, not from the code: the
GPhC's 7.0 in every part, the NMC's 12-month combining with its minimum scores (IELTS and OET),
and the NMC's other routes (qualification taught in English, practice in a majority
English-speaking country, supporting information from a UK employer).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.assessment import Assessor
from matcher.credentials import CredentialGraph
from matcher.profile import LanguageTest, Resident, Vacancy
from vacancies.criteria import CriteriaParser

TODAY = date(2026, 11, 25)
PARTS = ("listening", "reading", "writing", "speaking")


def ielts(taken: date, overall: float = 7.0, **parts: float) -> LanguageTest:
    return LanguageTest("IELTS Academic", {"overall": overall, **{p: parts.get(p, 7.0) for p in PARTS}}, taken)


def oet(taken: date, **grades: str) -> LanguageTest:
    return LanguageTest("OET", {p: grades.get(p, "B") for p in PARTS}, taken)


# -- plain words ---------------------------------------------------------------------------------
def test_residents_read_which_part_fell_short_in_plain_words(credential_graph: CredentialGraph) -> None:
    verdict = credential_graph.evaluate_english("english-gmc", [ielts(date(2026, 3, 1), 7.5, writing=6.5)], TODAY)
    assert not verdict.met
    assert verdict.plain == ("your writing 6.5 is below the 7.0 the GMC asks for",)
    nmc = credential_graph.evaluate_english("english-nmc", [oet(date(2026, 3, 1), writing="C")], TODAY)
    assert nmc.plain == ("your writing grade C is below the grade C+ the NMC asks for",)
    gphc = credential_graph.evaluate_english("english-ospap", [ielts(date(2026, 3, 1), 7.0, speaking=6.5)], TODAY)
    assert gphc.plain == ("your speaking 6.5 is below the 7.0 the GPhC asks for",)


# -- GPhC ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("part", PARTS)
def test_a_pharmacist_with_7_overall_and_6_5_in_one_part_needs_english(
    credential_graph: CredentialGraph, part: str
) -> None:
    result = ielts(date(2026, 3, 1), 7.0, **{part: 6.5})
    verdict = credential_graph.evaluate_english("english-ospap", [result], TODAY)
    assert not verdict.met
    assert verdict.shortfalls == (f"{part} 6.5 below 7",)


def test_gphc_never_combines_sittings(credential_graph: CredentialGraph) -> None:
    first = ielts(date(2026, 2, 1), 7.0, writing=6.5)
    second = ielts(date(2026, 4, 1), 7.0, reading=6.5)
    assert not credential_graph.evaluate_english("english-ospap", [first, second], TODAY).met
    assert credential_graph.evaluate_english("english-ospap", [oet(date(2026, 4, 1))], TODAY).met


def test_the_pharmacist_pathway_includes_english_at_7_overall_with_one_part_6_5(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    resident = Resident.from_dict(
        {
            "qualifications": [{"title": "BPharm", "country": "Syria"}],
            "language_tests": [
                {
                    "test": "IELTS Academic",
                    "overall": 7.0,
                    "listening": 7.5,
                    "reading": 7.0,
                    "writing": 6.5,
                    "speaking": 7.0,
                    "date": "2026-06-01",
                }
            ],
            "right_to_work": "yes",
        }
    )
    vacancy = criteria_parser.parse_vacancy(
        Vacancy.from_dict({"title": "Pharmacist", "essential": [{"kind": "credential", "id": "gphc-registration"}]})
    )
    steps = {s.credential: s for s in assessor.assess(resident, vacancy, today=TODAY).pathway.steps}
    assert "english-ospap" in steps
    assert "Your writing 6.5 is below the 7.0 the GPhC asks for." in steps["english-ospap"].notes
    assert steps["english-ospap"].checked == "December 2026"
    assert {f["figure"] for f in steps["english-ospap"].facts} >= {"cost_gbp", "weeks"}


# -- NMC: two sittings -----------------------------------------------------------------------------
@pytest.mark.parametrize(("months_apart", "met"), [(4, True), (10, True), (12, True), (14, False)])
def test_an_nmc_applicant_may_combine_two_sittings_up_to_12_months_apart(
    credential_graph: CredentialGraph, months_apart: int, met: bool
) -> None:
    second_taken = date(2026, 10, 1)
    first_taken = date(second_taken.year - (1 if months_apart > 9 else 0), (10 - months_apart - 1) % 12 + 1, 1)
    first = ielts(first_taken, reading=6.5)  # reading short
    second = ielts(second_taken, writing=6.0)  # writing short, but not below the 6.0 minimum
    verdict = credential_graph.evaluate_english("english-nmc", [first, second], TODAY)
    assert verdict.met is met, (first_taken, second_taken, verdict)


@pytest.mark.parametrize(
    ("first_parts", "second_parts", "met"),
    [
        ({"reading": 6.5}, {"writing": 6.0}, True),
        ({"reading": 6.0}, {"writing": 6.0}, False),  # reading 6.0 is below the 6.5 minimum
        ({"reading": 6.5}, {"writing": 5.5}, False),  # writing 5.5 is below the 6.0 minimum
        ({"reading": 6.5, "listening": 6.5}, {"reading": 6.5}, False),  # reading never reached 7.0
    ],
)
def test_nmc_combining_needs_no_score_below_the_minimum(
    credential_graph: CredentialGraph, first_parts: dict[str, float], second_parts: dict[str, float], met: bool
) -> None:
    sittings = [ielts(date(2026, 2, 1), **first_parts), ielts(date(2026, 6, 1), **second_parts)]
    assert credential_graph.evaluate_english("english-nmc", sittings, TODAY).met is met


@pytest.mark.parametrize(
    ("first", "second", "met"),
    [
        ({"reading": "C+"}, {"writing": "C"}, True),  # each part reached once; nothing below C+ (writing C)
        ({"reading": "C"}, {"writing": "C"}, False),  # reading C is below the C+ minimum
        ({"writing": "D"}, {"reading": "C+"}, False),  # writing D is below the C minimum
    ],
)
def test_nmc_combines_oet_sittings_too(
    credential_graph: CredentialGraph, first: dict[str, str], second: dict[str, str], met: bool
) -> None:
    sittings = [oet(date(2026, 1, 10), **first), oet(date(2026, 7, 10), **second)]
    assert credential_graph.evaluate_english("english-nmc", sittings, TODAY).met is met


def test_the_gmc_never_combines(credential_graph: CredentialGraph) -> None:
    sittings = [ielts(date(2026, 2, 1), 7.5, reading=6.5), ielts(date(2026, 5, 1), 7.5, writing=6.5)]
    assert not credential_graph.evaluate_english("english-gmc", sittings, TODAY).met


_scores = st.sampled_from([5.5, 6.0, 6.5, 7.0, 7.5, 8.0])


@settings(max_examples=150, deadline=None)
@given(
    first=st.fixed_dictionaries({p: _scores for p in PARTS}),
    second=st.fixed_dictionaries({p: _scores for p in PARTS}),
    gap_days=st.integers(min_value=0, max_value=600),
)
def test_combining_follows_the_nmc_rule(
    credential_graph: CredentialGraph, first: dict[str, float], second: dict[str, float], gap_days: int
) -> None:
    """Met exactly when one sitting meets every part, or when the two are within 12 months, no
    score in either is below the minimum, and each part reaches the required score in one of them."""
    required = {"listening": 7.0, "reading": 7.0, "writing": 6.5, "speaking": 7.0}
    minimum = {"listening": 6.5, "reading": 6.5, "writing": 6.0, "speaking": 6.5}
    older = date(2025, 8, 1)
    newer = older + timedelta(days=gap_days)
    if newer > TODAY:
        return
    sittings = [ielts(older, **first), ielts(newer, **second)]

    def alone(parts: dict[str, float], taken: date) -> bool:
        return all(parts[p] >= required[p] for p in PARTS) and (TODAY - taken).days <= 730

    within = (newer.year - older.year) * 12 + newer.month - older.month + (newer.day - older.day) / 31 <= 12
    combined = (
        within
        and all(s[p] >= minimum[p] for s in (first, second) for p in PARTS)
        and all(max(first[p], second[p]) >= required[p] for p in PARTS)
        and (TODAY - older).days <= 730
    )
    expected = alone(first, older) or alone(second, newer) or combined
    assert credential_graph.evaluate_english("english-nmc", sittings, TODAY).met is expected


# -- NMC: other evidence ---------------------------------------------------------------------------
def _nurse(assessor: Assessor, **profile: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "qualifications": [{"title": "BSc Nursing", "country": "Philippines"}],
        "right_to_work": "yes",
    }
    resident = Resident.from_dict({**base, **profile})
    evidence = assessor.evidence(resident, today=TODAY)
    return {"held": evidence.held, "notes": evidence.english_notes}


def test_a_nursing_degree_taught_in_english_in_a_majority_english_country_meets_the_nmc(assessor: Assessor) -> None:
    found = _nurse(assessor, qualifications=[{"title": "BSc Nursing", "country": "Jamaica", "taught_in_english": True}])
    assert "english-nmc" in found["held"]
    assert "taught and examined in English" in found["held"]["english-nmc"].text


def test_trained_in_english_elsewhere_needs_a_uk_employers_supporting_information(assessor: Assessor) -> None:
    taught = [{"title": "BSc Nursing", "country": "Philippines", "taught_in_english": True}]
    care = [{"title": "Care assistant", "years": 2, "country": "GB"}]
    without_reference = _nurse(assessor, qualifications=taught, experience=care)
    assert "english-nmc" not in without_reference["held"]
    assert any(
        "SIFE" in n and "Ask the NMC (and your employer)" in n for n in without_reference["notes"]["english-nmc"]
    )
    with_reference = _nurse(
        assessor, qualifications=taught, experience=care, english_evidence=["uk_employer_reference"]
    )
    assert "english-nmc" in with_reference["held"]
    too_short = _nurse(
        assessor,
        qualifications=taught,
        experience=[{"title": "Care assistant", "years": 0.5, "country": "GB"}],
        english_evidence=["uk_employer_reference"],
    )
    assert "english-nmc" not in too_short["held"]  # SIFE needs 12 months in a UK health or care job


def test_a_year_of_nursing_in_a_majority_english_speaking_country_meets_the_nmc(assessor: Assessor) -> None:
    assert "english-nmc" in _nurse(assessor, experience=[{"title": "Staff Nurse", "years": 2, "country": "US"}])["held"]
    # Dubai is not on the NMC's list, however long the practice.
    assert (
        "english-nmc"
        not in _nurse(assessor, experience=[{"title": "Staff Nurse", "years": 5, "country": "AE"}])["held"]
    )


def test_two_near_misses_with_sife_meet_the_nmc(assessor: Assessor) -> None:
    tests = [
        {
            "test": "IELTS Academic",
            "overall": 7.0,
            "listening": 7.0,
            "reading": 7.0,
            "writing": 6.5,
            "speaking": 6.5,
            "date": "2026-01-10",
        },
        {
            "test": "IELTS Academic",
            "overall": 7.0,
            "listening": 7.5,
            "reading": 7.0,
            "writing": 6.5,
            "speaking": 6.5,
            "date": "2026-07-10",
        },
    ]
    care = [{"title": "Healthcare assistant", "years": 1.5, "country": "GB"}]
    assert "english-nmc" not in _nurse(assessor, language_tests=tests, experience=care)["held"]
    held = _nurse(assessor, language_tests=tests, experience=care, english_evidence=["uk_employer_reference"])["held"]
    assert "english-nmc" in held


# -- HCPC ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("country", "met"), [("Australia", True), ("Ireland", True), ("Nigeria", False), ("India", False)]
)
def test_an_hcpc_primary_qualification_from_a_qualifying_country_evidences_english(
    assessor: Assessor, country: str, met: bool
) -> None:
    resident = Resident.from_dict({"qualifications": [{"title": "BSc Physiotherapy", "country": country}]})
    assert ("english-hcpc" in assessor.evidence(resident, today=TODAY).held) is met


# -- GMC -------------------------------------------------------------------------------------------
def _doctor(assessor: Assessor, **profile: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"qualifications": [{"title": "MBBS", "country": "Pakistan", "year": 2012}]}
    evidence = assessor.evidence(Resident.from_dict({**base, **profile}), today=TODAY)
    return {"held": evidence.held, "notes": evidence.english_notes}


def test_a_recent_medical_degree_taught_in_english_meets_the_gmc_but_an_old_one_does_not(assessor: Assessor) -> None:
    recent = [{"title": "MBBS", "country": "Pakistan", "year": 2025, "taught_in_english": True}]
    assert "english-gmc" in _doctor(assessor, qualifications=recent)["held"]
    old = [{"title": "MBBS", "country": "Pakistan", "year": 2012, "taught_in_english": True}]
    found = _doctor(assessor, qualifications=old)
    assert "english-gmc" not in found["held"]  # the GMC wants evidence less than two years old


def test_the_gmc_structured_reference_is_a_route_to_ask_about_never_assumed(assessor: Assessor) -> None:
    found = _doctor(
        assessor,
        experience=[{"title": "Healthcare assistant", "years": 2, "country": "GB"}],
        english_evidence=["uk_employer_reference"],
    )
    assert "english-gmc" not in found["held"]
    assert any("structured reference" in n for n in found["notes"]["english-gmc"])
