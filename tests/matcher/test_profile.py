"""matcher.profile: residents and vacancies as validated data, every problem reported at once."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from matcher import InvalidInputError
from matcher.profile import Resident, Vacancy

#: The resident profile exactly as DESIGN.md shows it.
DESIGN_RESIDENT: dict[str, Any] = {
    "id": "r-123",
    "skills": ["can take bloods", "patient observations", "Excel"],
    "experience": [{"title": "Staff Nurse", "years": 6, "country": "PH"}],
    "qualifications": [{"title": "BSc Nursing", "country": "PH", "year": 2015}],
    "language_tests": [
        {
            "test": "IELTS Academic",
            "overall": 7.0,
            "listening": 7.5,
            "reading": 7.0,
            "writing": 6.5,
            "speaking": 7.0,
            "date": "2026-03-01",
        },
        {"test": "OET", "listening": "B", "reading": "B", "writing": "C+", "speaking": "B"},
    ],
    "credentials": ["plab-1"],
    "right_to_work": "yes",
    "postcode": "B66 2QT",
    "hours": "full_time",
}

#: A vacancy in the DESIGN.md shape, with free-text and structured criteria.
DESIGN_VACANCY: dict[str, Any] = {
    "id": "v-1",
    "employer": "Sandwell and West Birmingham Hospitals NHS Trust",
    "title": " Staff Nurse ",
    "band": "5",
    "staff_group": "Nursing and Midwifery Registered",
    "location": "Midland Metropolitan University Hospital, Smethwick",
    "hours": "full_time",
    "contract": "permanent",
    "closing_date": "2026-12-31",
    "essential": [
        "NMC registered nurse",
        {"kind": "credential", "id": "nmc-registration-nurse"},
        {"kind": "experience", "text": "acute care", "years": 1},
    ],
    "desirable": ["Experience of acute care", {"kind": "skill", "text": "venepuncture"}],
}


def problems_of(excinfo: pytest.ExceptionInfo[InvalidInputError]) -> list[str]:
    return list(excinfo.value.problems)


# -- the contract examples ----------------------------------------------------------------------
def test_design_resident_is_accepted() -> None:
    resident = Resident.from_dict(DESIGN_RESIDENT)
    assert resident.id == "r-123"
    assert resident.skills == ("can take bloods", "patient observations", "Excel")
    [job] = resident.experience
    assert (job.title, job.years, job.country) == ("Staff Nurse", 6.0, "PH")
    [qualification] = resident.qualifications
    assert (qualification.title, qualification.country, qualification.year) == ("BSc Nursing", "PH", 2015)
    ielts, oet = resident.language_tests
    assert ielts.family == "ielts"
    assert ielts.taken == date(2026, 3, 1)
    assert dict(ielts.components) == {
        "overall": 7.0,
        "listening": 7.5,
        "reading": 7.0,
        "writing": 6.5,
        "speaking": 7.0,
    }
    assert oet.family == "oet"
    assert oet.taken is None
    assert dict(oet.components) == {"listening": "B", "reading": "B", "writing": "C+", "speaking": "B"}
    assert resident.credentials == frozenset({"plab-1"})
    assert (resident.right_to_work, resident.postcode, resident.hours) == ("yes", "B66 2QT", "full_time")


def test_an_empty_resident_gets_safe_defaults() -> None:
    resident = Resident.from_dict({})
    assert resident.id is None
    assert resident.skills == resident.experience == resident.qualifications == resident.language_tests == ()
    assert resident.credentials == frozenset()
    # Right to work is never assumed: unknown until someone confirms it.
    assert resident.right_to_work == "unknown"
    assert resident.hours == "any"


def test_design_vacancy_is_accepted() -> None:
    vacancy = Vacancy.from_dict(DESIGN_VACANCY)
    assert vacancy.id == "v-1"
    assert vacancy.title == "Staff Nurse"
    assert vacancy.band == "5"
    assert vacancy.closing_date == "2026-12-31"
    assert vacancy.essential == tuple(DESIGN_VACANCY["essential"])
    assert vacancy.desirable == tuple(DESIGN_VACANCY["desirable"])


def test_vacancy_keeps_unknown_fields_as_extra() -> None:
    vacancy = Vacancy.from_dict({"title": "Porter", "id": 7, "salary": "GBP 23,615", "reference": "REF-1"})
    assert vacancy.id == "7"
    assert dict(vacancy.extra) == {"salary": "GBP 23,615", "reference": "REF-1"}


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("uk", "GB"),
        ("UK", "GB"),
        ("pk", "PK"),
        ("", None),
        ("Pakistan", "PK"),
        ("the Philippines", "PH"),
        ("Ivory Coast", "CI"),
        ("Syrian Arab Republic", "SY"),
        ("England", "GB"),
        ("Other", "ZZ"),
    ],
)
def test_countries_are_normalised(written: str, stored: str | None) -> None:
    resident = Resident.from_dict({"experience": [{"title": "Cleaner", "years": 2, "country": written}]})
    assert resident.experience[0].country == stored


@pytest.mark.parametrize(
    ("band", "accepted"),
    [
        (0, True),
        (6.5, True),
        (7, True),
        (9, True),
        (7.3, False),
        (10, False),
        (-0.5, False),
        (True, False),
        ("7", False),
    ],
)
def test_ielts_bands_are_half_bands_from_0_to_9(band: object, accepted: bool) -> None:
    test = {"test": "IELTS Academic", "listening": 7.0, "reading": 7.0, "writing": band, "speaking": 7.0}
    if accepted:
        assert Resident.from_dict({"language_tests": [test]}).language_tests[0].components["writing"] == band
    else:
        with pytest.raises(InvalidInputError) as excinfo:
            Resident.from_dict({"language_tests": [test]})
        assert problems_of(excinfo) == [
            f"language_tests[0].writing: an IELTS band from 0 to 9 in half bands, got {band!r}"
        ]


@pytest.mark.parametrize(("grade", "stored"), [("B", "B"), ("c+", "C+"), (" A ", "A"), ("E", "E")])
def test_oet_grades_are_letters(grade: str, stored: str) -> None:
    test = {"test": "OET", "listening": "B", "reading": "B", "writing": grade, "speaking": "B"}
    assert Resident.from_dict({"language_tests": [test]}).language_tests[0].components["writing"] == stored


# -- every problem at once -----------------------------------------------------------------------
#: (change to the DESIGN resident, the one problem it must cause)
RESIDENT_PROBLEMS: list[tuple[str, dict[str, Any], str]] = [
    ("right_to_work", {"right_to_work": "maybe"}, "right_to_work: must be one of yes, no, unknown, got 'maybe'"),
    ("hours", {"hours": "nights"}, "hours: must be one of full_time, part_time, any, got 'nights'"),
    ("skills-not-list", {"skills": "Excel"}, "skills: must be a list"),
    ("skill-empty", {"skills": ["Excel", "  "]}, "skills[1]: must be a non-empty string"),
    ("credentials-not-list", {"credentials": "plab-1"}, "credentials: must be a list"),
    (
        "experience-country",
        {"experience": [{"title": "Staff Nurse", "years": 6, "country": "Philipines and Dubai"}]},
        "experience[0].country: 'Philipines and Dubai' is not a country we know",
    ),
    (
        "experience-years",
        {"experience": [{"title": "Staff Nurse", "years": -1}]},
        "experience[0].years: a number from 0 to 70, got -1",
    ),
    (
        "qualification-year",
        {"qualifications": [{"title": "BSc Nursing", "year": "2015"}]},
        "qualifications[0].year: a year such as 2015, got '2015'",
    ),
    ("qualification-title", {"qualifications": [{"country": "PH"}]}, "qualifications[0].title: required"),
    (
        "ielts-band",
        {"language_tests": [{"test": "IELTS Academic", "listening": 7, "reading": 7, "writing": 7, "speaking": 7.3}]},
        "language_tests[0].speaking: an IELTS band from 0 to 9 in half bands, got 7.3",
    ),
    (
        "oet-grade",
        {"language_tests": [{"test": "OET", "listening": "B", "reading": "B", "writing": "Z", "speaking": "B"}]},
        "language_tests[0].writing: an OET grade (E, D, C, C+, B, A), got 'Z'",
    ),
    (
        "test-date",
        {
            "language_tests": [
                {"test": "OET", "listening": "B", "reading": "B", "writing": "B", "speaking": "B", "date": "1/3/2026"}
            ]
        },
        "language_tests[0].date: a date as YYYY-MM-DD, got '1/3/2026'",
    ),
    (
        "test-component-missing",
        {"language_tests": [{"test": "OET", "listening": "B", "reading": "B", "writing": "B"}]},
        "language_tests[0].speaking: required",
    ),
    ("test-name-missing", {"language_tests": [{"overall": 7.0}]}, "language_tests[0].test: required"),
]


@pytest.mark.parametrize(
    ("change", "problem"), [(c, p) for _, c, p in RESIDENT_PROBLEMS], ids=[i for i, _, _ in RESIDENT_PROBLEMS]
)
def test_each_resident_problem_is_named(change: dict[str, Any], problem: str) -> None:
    data = {**copy.deepcopy(DESIGN_RESIDENT), **change}
    with pytest.raises(InvalidInputError) as excinfo:
        Resident.from_dict(data)
    assert excinfo.value.message == "invalid resident profile"
    assert len(problems_of(excinfo)) == 1
    assert problems_of(excinfo)[0].startswith(problem)


def test_every_resident_problem_is_reported_in_one_error() -> None:
    data: dict[str, Any] = {
        "skills": "Excel",
        "right_to_work": "maybe",
        "experience": [{"title": "Nurse", "years": 3, "country": "Atlantis"}],
        "qualifications": [{"title": "BSc Nursing", "country": "P1", "year": 2015}],
        "language_tests": [
            {
                "test": "IELTS Academic",
                "overall": 7.3,
                "listening": 10,
                "reading": 7.0,
                "writing": 6.5,
                "speaking": 7.0,
                "date": "2026-02-30",
            },
            {"test": "OET", "listening": "B", "reading": "Z", "writing": "C+"},
        ],
    }
    with pytest.raises(InvalidInputError) as excinfo:
        Resident.from_dict(data)
    problems = problems_of(excinfo)
    expected_starts = [
        "skills: must be a list",
        "experience[0].country:",
        "qualifications[0].country:",
        "language_tests[0].listening: an IELTS band",
        "language_tests[0].overall: an IELTS band",
        "language_tests[0].date:",
        "language_tests[1].reading: an OET grade",
        "language_tests[1].speaking: required",
        "right_to_work:",
    ]
    assert len(problems) == len(expected_starts), problems
    for start in expected_starts:
        assert any(p.startswith(start) for p in problems), (start, problems)
    # The message lists them all, so a log line or a CLI shows every one.
    for problem in problems:
        assert problem in str(excinfo.value)


@pytest.mark.parametrize("data", [None, [], "resident", 3])
def test_a_resident_must_be_an_object(data: object) -> None:
    with pytest.raises(InvalidInputError, match="must be a JSON object"):
        Resident.from_dict(data)


VACANCY_PROBLEMS: list[tuple[str, dict[str, Any], str]] = [
    ("title-missing", {"title": None}, "title: required, a non-empty string"),
    ("title-blank", {"title": "   "}, "title: required, a non-empty string"),
    ("criterion-empty", {"essential": ["NMC registered nurse", "  "]}, "essential[1]: empty criterion"),
    (
        "structured-without-kind",
        {"desirable": [{"text": "venepuncture"}]},
        "desirable[0]: a structured criterion needs a 'kind'",
    ),
    ("criterion-not-text", {"essential": [42]}, "essential[0]: must be text or an object"),
    ("section-not-list", {"desirable": "venepuncture"}, "desirable: must be a list"),
    ("band-not-text", {"band": ["5"]}, "band: must be a string"),
]


@pytest.mark.parametrize(
    ("change", "problem"), [(c, p) for _, c, p in VACANCY_PROBLEMS], ids=[i for i, _, _ in VACANCY_PROBLEMS]
)
def test_each_vacancy_problem_is_named(change: dict[str, Any], problem: str) -> None:
    data = {**copy.deepcopy(DESIGN_VACANCY), **change}
    with pytest.raises(InvalidInputError) as excinfo:
        Vacancy.from_dict(data)
    assert excinfo.value.message == "invalid vacancy"
    assert problems_of(excinfo) == [problem]


def test_every_vacancy_problem_is_reported_in_one_error() -> None:
    data = {
        "title": "",
        "essential": ["", {"text": "venepuncture"}, 5, "NMC registered nurse"],
        "desirable": [{"kind": 3}, "  "],
    }
    with pytest.raises(InvalidInputError) as excinfo:
        Vacancy.from_dict(data)
    assert problems_of(excinfo) == [
        "title: required, a non-empty string",
        "essential[0]: empty criterion",
        "essential[1]: a structured criterion needs a 'kind'",
        "essential[2]: must be text or an object",
        "desirable[0]: a structured criterion needs a 'kind'",
        "desirable[1]: empty criterion",
    ]


@pytest.mark.parametrize("data", [None, ["Porter"], "Porter"])
def test_a_vacancy_must_be_an_object(data: object) -> None:
    with pytest.raises(InvalidInputError, match="must be a JSON object"):
        Vacancy.from_dict(data)
