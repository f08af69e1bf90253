"""vacancies.criteria: person-specification criteria, free text or structured, to requirements."""

from __future__ import annotations

from typing import Any

import pytest

from matcher import InvalidInputError
from matcher.profile import Vacancy
from matcher.requirements import Requirement
from vacancies.criteria import CriteriaParser


def parse_one(parser: CriteriaParser, criterion: str | dict[str, Any], *, essential: bool = True) -> Requirement:
    [requirement] = parser.parse(criterion, essential=essential)
    return requirement


@pytest.mark.parametrize(
    ("text", "kind", "credential"),
    [
        ("Current NMC registration", "credential", "nmc-registration-nurse"),
        # The adult field of the NMC register (the NMC registers each nurse in a field of practice).
        ("Registered Nurse (Adult)", "credential", "nmc-registration-nurse-adult"),
        ("RGN", "credential", "nmc-registration-nurse-adult"),
        ("NMC registered midwife", "credential", "nmc-registration-midwife"),
        ("Registered Nursing Associate (NMC)", "credential", "nmc-registration-nursing-associate"),
        ("Full GMC registration with a licence to practise", "credential", "gmc-registration"),
        ("Full registration with a licence to practise", "credential", "gmc-registration"),
        ("PLAB 2", "credential", "plab-2"),
        ("Registered pharmacist with the GPhC", "credential", "gphc-registration"),
        ("GDC registered dentist", "credential", "gdc-registration"),
        ("HCPC registered Physiotherapist", "credential", "hcpc-registration-physiotherapist"),
        ("Passed the NMC CBT", "credential", "nmc-cbt"),
        ("Care Certificate", "credential", "care-certificate"),
        ("Enhanced DBS check", "check", "dbs-enhanced"),
        ("Right to work in the UK", "check", "right-to-work"),
        ("Eligible to work in the UK", "check", "right-to-work"),
    ],
)
def test_credential_phrasings(criteria_parser: CriteriaParser, text: str, kind: str, credential: str) -> None:
    requirement = parse_one(criteria_parser, text)
    assert (requirement.kind, requirement.credential) == (kind, credential)
    assert requirement.text == text
    assert requirement.essential is True
    assert requirement.on_the_job is False


@pytest.mark.parametrize(
    "text",
    [
        "GCSE English and maths grade 4 (C) or Functional Skills Level 2",
        "GCSE English and maths at grade 4 (C) or equivalent",
        "Functional Skills Level 2 in maths and English",
    ],
)
def test_english_and_maths_is_both_functional_skills(criteria_parser: CriteriaParser, text: str) -> None:
    requirements = criteria_parser.parse(text, essential=True)
    assert [(r.kind, r.credential) for r in requirements] == [
        ("credential", "functional-skills-english-l2"),
        ("credential", "functional-skills-maths-l2"),
    ]


@pytest.mark.parametrize(
    ("text", "credential"),
    [
        ("Level 2 English", "functional-skills-english-l2"),
        ("Functional Skills maths Level 2", "functional-skills-maths-l2"),
    ],
)
def test_english_or_maths_alone(criteria_parser: CriteriaParser, text: str, credential: str) -> None:
    assert parse_one(criteria_parser, text).credential == credential


def test_one_criterion_can_name_two_credentials(criteria_parser: CriteriaParser) -> None:
    requirements = criteria_parser.parse("IBMS Certificate of Competence and HCPC registration", essential=True)
    assert [r.credential for r in requirements] == ["ibms-certificate", "hcpc-registration"]


@pytest.mark.parametrize(
    "text",
    [
        "Care Certificate or willingness to complete it",
        "Willingness to work towards the Care Certificate",
        "Care Certificate, or prepared to undertake it within 12 weeks",
    ],
)
def test_willingness_to_complete_is_on_the_job(criteria_parser: CriteriaParser, text: str) -> None:
    # A willingness, shown at interview; the credential it names is kept for the evidence.
    requirement = parse_one(criteria_parser, text)
    assert (requirement.kind, requirement.credential, requirement.on_the_job, requirement.assessed) == (
        "condition",
        "care-certificate",
        True,
        "interview",
    )


@pytest.mark.parametrize(
    ("text", "concept_id", "years"),
    [
        ("2 years' experience as a healthcare assistant", "occ-healthcare-assistant", 2.0),
        ("Minimum of 1 year experience as an HCA", "occ-healthcare-assistant", 1.0),
        ("Experience as a healthcare assistant", "occ-healthcare-assistant", 0.0),
    ],
)
def test_experience(criteria_parser: CriteriaParser, text: str, concept_id: str, years: float) -> None:
    requirement = parse_one(criteria_parser, text)
    assert (requirement.kind, requirement.concept_id, requirement.years) == ("experience", concept_id, years)
    assert requirement.label


@pytest.mark.parametrize(
    ("text", "concept_id", "level", "or_equivalent"),
    [
        ("NVQ Level 3 in Health and Social Care or equivalent", "qual-nvq-l3-health-social-care", 3, True),
        ("NVQ Level 3 in Health and Social Care", "qual-nvq-l3-health-social-care", 3, False),
        ("Degree in Pharmacy (MPharm)", "qual-mpharm-uk", 7, False),
    ],
)
def test_qualifications(
    criteria_parser: CriteriaParser, text: str, concept_id: str, level: int, or_equivalent: bool
) -> None:
    requirement = parse_one(criteria_parser, text)
    assert (requirement.kind, requirement.concept_id, requirement.level, requirement.or_equivalent) == (
        "qualification",
        concept_id,
        level,
        or_equivalent,
    )


def test_als_certificate_is_the_als_provider_credential_not_an_award(criteria_parser: CriteriaParser) -> None:
    # Adverts name the Resuscitation Council UK's ALS provider certificate: a course a doctor or
    # nurse can book, not a qualification.
    requirement = parse_one(criteria_parser, "ALS certificate")
    assert (requirement.kind, requirement.credential) == ("credential", "als-provider")


@pytest.mark.parametrize(
    "text",
    [
        "Ability to communicate effectively in English",
        "Good command of written and spoken English",
        "IELTS 7.0 or OET B",
    ],
)
def test_english_language(criteria_parser: CriteriaParser, text: str) -> None:
    requirement = parse_one(criteria_parser, text)
    assert requirement.kind == "language"
    assert requirement.credential is None


@pytest.mark.parametrize(
    ("text", "concept_id"), [("venepuncture", "skill-venepuncture"), ("Excel", "skill-microsoft-excel")]
)
def test_anything_else_is_a_skill(criteria_parser: CriteriaParser, text: str, concept_id: str) -> None:
    requirement = parse_one(criteria_parser, text, essential=False)
    assert (requirement.kind, requirement.concept_id, requirement.essential) == ("skill", concept_id, False)
    assert requirement.score is not None
    assert 0.0 < requirement.score <= 1.0


# -- structured criteria -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        (
            {"kind": "credential", "id": "nmc-registration-nurse"},
            {"kind": "credential", "credential": "nmc-registration-nurse", "text": "nmc-registration-nurse"},
        ),
        (
            # A DBS check is a check, however the criterion names its kind: it comes after an offer.
            {"kind": "credential", "id": "dbs-enhanced", "text": "Enhanced DBS"},
            {"kind": "check", "credential": "dbs-enhanced", "text": "Enhanced DBS", "assessed": "after_offer"},
        ),
        ({"kind": "check", "id": "dbs-enhanced"}, {"kind": "check", "credential": "dbs-enhanced"}),
        ({"kind": "skill", "text": "venepuncture"}, {"kind": "skill", "concept_id": "skill-venepuncture"}),
        (
            {"kind": "experience", "text": "healthcare assistant", "years": 2},
            {"kind": "experience", "concept_id": "occ-healthcare-assistant", "years": 2.0},
        ),
        ({"kind": "experience", "text": "acute care", "years": 1}, {"kind": "experience", "years": 1.0}),
        (
            {"kind": "qualification", "text": "NVQ Level 3 in Health and Social Care"},
            {"kind": "qualification", "concept_id": "qual-nvq-l3-health-social-care", "level": 3},
        ),
        ({"kind": "language", "text": "Good spoken English"}, {"kind": "language", "credential": None}),
    ],
)
def test_structured_criteria(
    criteria_parser: CriteriaParser, criterion: dict[str, Any], expected: dict[str, Any]
) -> None:
    requirement = parse_one(criteria_parser, criterion, essential=False)
    assert requirement.essential is False
    for name, value in expected.items():
        assert getattr(requirement, name) == value, name


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        ({"kind": "badge", "text": "x"}, "unknown criterion kind 'badge'"),
        ({"kind": "credential"}, "a credential criterion needs an 'id'"),
        ({"kind": "check", "id": "  "}, "a check criterion needs an 'id'"),
        ({"kind": "skill"}, "a skill criterion needs a 'text'"),
        ({"kind": "experience", "text": "acute care", "years": -1}, "'years' must be a non-negative number"),
        ({"kind": "experience", "text": "acute care", "years": True}, "'years' must be a non-negative number"),
        ({"kind": "experience", "text": "acute care", "years": "two"}, "'years' must be a non-negative number"),
    ],
)
def test_bad_structured_criteria(criteria_parser: CriteriaParser, criterion: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        criteria_parser.parse(criterion, essential=True)


# -- whole vacancies -----------------------------------------------------------------------------
def test_parse_vacancy_keeps_order_sections_and_title(criteria_parser: CriteriaParser) -> None:
    vacancy = Vacancy.from_dict(
        {
            "id": "v-9",
            "title": "Staff Nurse",
            "band": "5",
            "employer": "SWBH",
            "essential": ["Current NMC registration", {"kind": "check", "id": "dbs-enhanced"}],
            "desirable": ["venepuncture"],
        }
    )
    parsed = criteria_parser.parse_vacancy(vacancy)
    assert (parsed.id, parsed.title, parsed.band, parsed.employer) == ("v-9", "Staff Nurse", "5", "SWBH")
    assert [(r.credential or r.concept_id, r.essential) for r in parsed.requirements] == [
        ("nmc-registration-nurse", True),
        ("dbs-enhanced", True),
        ("skill-venepuncture", False),
    ]
    assert parsed.occupation_id == "occ-staff-nurse"
    assert parsed.profession == "nurse"


def test_parse_vacancy_reports_every_bad_criterion_at_once(criteria_parser: CriteriaParser) -> None:
    vacancy = Vacancy.from_dict(
        {
            "title": "Porter",
            "essential": [
                "Enhanced DBS check",
                {"kind": "badge", "text": "x"},
                {"kind": "credential"},
            ],
            "desirable": [{"kind": "experience", "text": "portering", "years": -2}, "Able to work as part of a team"],
        }
    )
    with pytest.raises(InvalidInputError) as excinfo:
        criteria_parser.parse_vacancy(vacancy)
    problems = excinfo.value.problems
    assert len(problems) == 3, problems
    assert problems[0].startswith("essential[1]: unknown criterion kind 'badge'")
    assert problems[1].startswith("essential[2]: a credential criterion needs an 'id'")
    assert problems[2].startswith("desirable[0]: an experience criterion's 'years'")
