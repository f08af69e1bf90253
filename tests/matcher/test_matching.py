"""matcher.matching: ranked residents for a vacancy (retrieval + exact scoring), vacancies for a resident."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from fixtures.generate import generate_residents
from matcher.assessment import Assessor
from matcher.matching import Ranked, ResidentIndex, match_resident
from matcher.profile import Resident, Vacancy
from matcher.requirements import ParsedVacancy
from vacancies.criteria import CriteriaParser

TODAY = date(2026, 11, 25)

VACANCIES: dict[str, dict[str, Any]] = {
    "healthcare-assistant": {
        "id": "v-hca",
        "title": "Healthcare Assistant",
        "band": "2",
        "essential": [
            "Ability to communicate effectively in English",
            "Care Certificate or willingness to complete it",
            "Enhanced DBS check",
        ],
        "desirable": [
            "Experience of providing personal care",
            {"kind": "skill", "text": "patient observations"},
            "GCSE English and maths grade 4 (C) or Functional Skills Level 2",
        ],
    },
    "trainee-nursing-associate": {
        "id": "v-tna",
        "title": "Trainee Nursing Associate",
        "band": "3",
        "essential": [
            "GCSE English and maths grade 4 (C) or Functional Skills Level 2",
            "Care Certificate or willingness to complete it",
            "Enhanced DBS check",
        ],
        "desirable": ["Experience as a healthcare assistant"],
    },
    "phlebotomist": {
        "id": "v-phleb",
        "title": "Phlebotomist",
        "band": "3",
        "essential": [{"kind": "skill", "text": "venepuncture"}, "Enhanced DBS check"],
        "desirable": [{"kind": "skill", "text": "infection prevention and control"}],
    },
    "staff-nurse": {
        "id": "v-nurse",
        "title": "Staff Nurse",
        "band": "5",
        "essential": ["Current NMC registration"],
        "desirable": [{"kind": "skill", "text": "venepuncture"}],
    },
    "clinical-fellow": {
        "id": "v-doctor",
        "title": "Clinical Fellow",
        "essential": ["Full GMC registration with a licence to practise", "Enhanced DBS check"],
    },
    # As SWBH advertises it: registration, acute experience and several desirable skills.
    "staff-nurse-advert": {
        "id": "v-nurse-amu",
        "title": "Staff Nurse - Acute Medical Unit",
        "band": "5",
        "essential": [
            "Current NMC registration as a Registered Nurse (Adult)",
            "Experience of acute care, including as a student or overseas",
            {"kind": "check", "id": "dbs-enhanced"},
        ],
        "desirable": [
            {"kind": "skill", "text": "IV therapy"},
            {"kind": "skill", "text": "venepuncture"},
            {"kind": "experience", "text": "staff nurse", "years": 1},
            {"kind": "skill", "text": "Urdu"},
        ],
    },
}


@pytest.fixture(scope="module")
def residents() -> list[Resident]:
    return [Resident.from_dict(r) for r in generate_residents(2000, seed=3)]


@pytest.fixture(scope="module")
def index(assessor: Assessor, residents: list[Resident]) -> ResidentIndex:
    return ResidentIndex(assessor, residents, today=TODAY)


@pytest.fixture(scope="module")
def vacancies(criteria_parser: CriteriaParser) -> dict[str, ParsedVacancy]:
    return {name: criteria_parser.parse_vacancy(Vacancy.from_dict(v)) for name, v in VACANCIES.items()}


def assert_ranked_in_order(ranked: list[Ranked]) -> None:
    """Eligible first by fit (highest first); then the rest, unblocked by pathway weeks, blocked last."""
    eligible = [r.assessment.eligible_now for r in ranked]
    assert eligible == sorted(eligible, reverse=True), "an ineligible resident ranks above an eligible one"
    fits = [r.assessment.fit for r in ranked if r.assessment.eligible_now]
    assert fits == sorted(fits, reverse=True)
    rest = [r for r in ranked if not r.assessment.eligible_now]
    blocked = [bool(r.assessment.blocked_by) for r in rest]
    assert blocked == sorted(blocked)
    weeks = [r.sort_key()[1] for r in rest if not r.assessment.blocked_by]
    assert weeks == sorted(weeks)
    keys = [r.sort_key() for r in ranked]
    assert keys == sorted(keys)


@pytest.mark.parametrize(("name", "limit"), [("phlebotomist", 400), ("healthcare-assistant", 20), ("staff-nurse", 50)])
def test_match_vacancy_ranks_eligible_first_then_by_weeks(
    index: ResidentIndex,
    residents: list[Resident],
    vacancies: dict[str, ParsedVacancy],
    name: str,
    limit: int,
) -> None:
    ranked = index.match_vacancy(vacancies[name], limit=limit)
    assert len(ranked) == limit
    assert len({r.index for r in ranked}) == limit
    for r in ranked:
        assert r.assessment.resident_id == residents[r.index].id
    assert_ranked_in_order(ranked)


def test_the_phlebotomist_ranking_mixes_eligible_and_not(
    index: ResidentIndex, vacancies: dict[str, ParsedVacancy]
) -> None:
    # Guards the ordering test above: it must see both groups to mean anything.
    ranked = index.match_vacancy(vacancies["phlebotomist"], limit=400)
    eligible = sum(r.assessment.eligible_now for r in ranked)
    assert 0 < eligible < len(ranked)


@pytest.mark.parametrize("name", sorted(VACANCIES))
def test_no_resident_without_the_right_to_work_is_ever_eligible(
    index: ResidentIndex, residents: list[Resident], vacancies: dict[str, ParsedVacancy], name: str
) -> None:
    everyone = index.assess_all(vacancies[name], limit=len(residents))
    assert len(everyone) == len(residents)
    statuses = Counter(residents[r.index].right_to_work for r in everyone)
    assert statuses["no"] > 0
    assert statuses["unknown"] > 0
    for r in everyone:
        right_to_work = residents[r.index].right_to_work
        if right_to_work != "yes":
            assert not r.assessment.eligible_now, residents[r.index].id
        assert (r.assessment.blocked_by == ("right-to-work",)) == (right_to_work == "no")
    assert_ranked_in_order(everyone)


RETRIEVAL_CASES = [
    pytest.param("healthcare-assistant", id="healthcare-assistant (entry level)"),
    pytest.param("trainee-nursing-associate", id="trainee-nursing-associate"),
    pytest.param("staff-nurse", id="staff-nurse"),
    pytest.param("clinical-fellow", id="clinical-fellow"),
    pytest.param("staff-nurse-advert", id="staff-nurse-advert"),
]


@pytest.mark.parametrize("name", RETRIEVAL_CASES)
def test_retrieval_reaches_the_quality_of_assessing_everyone(
    index: ResidentIndex, vacancies: dict[str, ParsedVacancy], name: str
) -> None:
    vacancy = vacancies[name]
    retrieved = index.match_vacancy(vacancy, limit=20)
    exhaustive = index.assess_all(vacancy, limit=20)
    worst = (max(r.sort_key() for r in retrieved), max(r.sort_key() for r in exhaustive))
    assert Counter(r.sort_key() for r in retrieved) == Counter(r.sort_key() for r in exhaustive), worst


def test_nothing_left_to_train_for_ranks_nearest(assessor: Assessor, vacancies: dict[str, ParsedVacancy]) -> None:
    vacancy = vacancies["trainee-nursing-associate"]
    gcses = [{"title": "GCSE English grade 4", "country": "GB"}, {"title": "GCSE Maths grade 4", "country": "GB"}]
    unconfirmed = Resident.from_dict({"id": "a", "qualifications": gcses, "right_to_work": "unknown"})
    needs_courses = Resident.from_dict({"id": "b", "right_to_work": "yes"})
    first = Ranked(0, assessor.assess(unconfirmed, vacancy, today=TODAY))
    second = Ranked(1, assessor.assess(needs_courses, vacancy, today=TODAY))
    assert all(r.met for r in first.assessment.requirements if r.requirement.decides_eligibility)
    assert first.assessment.subject_to == ("right-to-work",)
    assert second.assessment.pathway is not None
    # No qualifications at all: Functional Skills Level 1 is suggested before Level 2.
    graph = assessor.graph
    assert second.assessment.pathway.total_weeks == (
        (graph["functional-skills-english-l1"].weeks or 0) + (graph["functional-skills-english-l2"].weeks or 0)
    )
    assert first.sort_key() < second.sort_key()


# -- vacancies for one resident ------------------------------------------------------------------
NURSE: dict[str, Any] = {
    "id": "r-nurse",
    "skills": ["can take bloods", "patient observations"],
    "qualifications": [{"title": "BSc Nursing", "country": "PH", "year": 2015}],
    "experience": [{"title": "Staff Nurse", "years": 6, "country": "PH"}],
    "language_tests": [
        {
            "test": "IELTS Academic",
            "overall": 7.0,
            "listening": 7.5,
            "reading": 7.0,
            "writing": 6.5,
            "speaking": 7.0,
            "date": "2026-03-01",
        }
    ],
    "right_to_work": "yes",
}
FOR_ONE_RESIDENT = ["healthcare-assistant", "trainee-nursing-associate", "staff-nurse", "clinical-fellow"]


@pytest.mark.parametrize(
    ("within", "reachable"),
    [
        (52, {"staff-nurse"}),
        (20, set()),
        (10, set()),
    ],
)
def test_match_resident_splits_open_now_and_reachable(
    assessor: Assessor, vacancies: dict[str, ParsedVacancy], within: int, reachable: set[str]
) -> None:
    found = match_resident(
        assessor,
        Resident.from_dict(NURSE),
        [vacancies[n] for n in FOR_ONE_RESIDENT],
        reachable_within_weeks=within,
        today=TODAY,
    )
    # Her BSc Nursing and IELTS at the NMC's level count as level 2 maths and English, so the
    # trainee nursing associate post is open now too.
    assert {FOR_ONE_RESIDENT[r.index] for r in found.open_now} == {"healthcare-assistant", "trainee-nursing-associate"}
    assert all(r.assessment.eligible_now for r in found.open_now)
    assert {FOR_ONE_RESIDENT[r.index] for r in found.reachable} == reachable
    for r in found.reachable:
        assert not r.assessment.eligible_now
        assert r.assessment.pathway is not None
        assert r.assessment.pathway.total_weeks <= within
        assert r.assessment.pathway.unreachable == ()
    assert [r.sort_key() for r in found.reachable] == sorted(r.sort_key() for r in found.reachable)


def test_nothing_is_open_now_without_the_right_to_work(assessor: Assessor, vacancies: dict[str, ParsedVacancy]) -> None:
    found = match_resident(
        assessor,
        Resident.from_dict({**NURSE, "right_to_work": "no"}),
        [vacancies[n] for n in FOR_ONE_RESIDENT],
        today=TODAY,
    )
    assert found.open_now == []
    for r in found.reachable:
        assert r.assessment.blocked_by == ("right-to-work",)
        assert not r.assessment.eligible_now


def test_an_updated_index_ranks_like_a_fresh_one(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    from dataclasses import replace as change

    from fixtures.generate import generate_residents
    from matcher.matching import ResidentIndex as Index

    people = [Resident.from_dict(r) for r in generate_residents(600, seed=11)]
    index = Index(assessor, people[:500], today=TODAY)
    removed = [p.id for p in people[:40] if p.id]
    edited = [change(p, right_to_work="yes", credentials=frozenset({"care-certificate"})) for p in people[40:80]]
    added = people[500:]
    index.update(changed=[*edited, *added], removed=removed)
    final = [*edited, *people[80:500], *added]
    fresh = Index(assessor, final, today=TODAY)
    assert index.live == fresh.live == len(final)
    vacancy = criteria_parser.parse_vacancy(
        Vacancy.from_dict(
            {"title": "Healthcare Assistant", "essential": ["Care Certificate"], "desirable": ["Phlebotomy"]}
        )
    )
    updated_top = [(index.residents[r.index].id, r.sort_key()) for r in index.match_vacancy(vacancy, limit=30)]
    fresh_top = [(fresh.residents[r.index].id, r.sort_key()) for r in fresh.match_vacancy(vacancy, limit=30)]
    assert sorted(k for _, k in updated_top) == sorted(k for _, k in fresh_top)
    assert not {i for i, _ in updated_top} & set(removed)  # removed residents are never candidates
