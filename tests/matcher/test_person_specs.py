"""Person specifications read as a shortlisting panel reads them (issue 10), end to end.

Criteria are worded as NHS Jobs adverts word them (tests/vacancies/data/person_spec_criteria.json
holds the labelled corpus); residents as people describe themselves. Each test names the
numbered point of the issue it holds.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.assessment import Assessment, Assessor
from matcher.matching import is_open_now, match_resident, reachable_within
from matcher.profile import Resident, Vacancy
from vacancies.criteria import CriteriaParser

TODAY = date(2026, 12, 1)

#: Qualities and conditions as real person specifications print them.
QUALITIES = [
    "Compassionate and caring, treating patients with dignity and respect (I)",
    "Reliable, with a good attendance record (I)",
    "Able to work as part of a busy team (I)",
    "Excellent communication and interpersonal skills (A/I)",
    "Well organised and able to prioritise own workload (I)",
    "Enthusiastic and self-motivated",
    "Demonstrates the Trust values: caring, respectful, accountable",
]
CONDITIONS = [
    "Willing to work shifts including nights, weekends and bank holidays (I)",
    "Ability to travel between sites in a timely manner",
    "Full UK driving licence and access to a car for work",
    "Physically able to undertake manual handling duties and stand for long periods",
    "Willingness to undertake further training",
]

HCA_ADVERT: dict[str, Any] = {
    "id": "v-hca",
    "title": "Healthcare Assistant - Adult Inpatient Wards",
    "band": "2",
    "staff_group": "Additional Clinical Services",
    "essential": [
        "Care Certificate, or willingness to complete it within 12 weeks of starting (A)",
        "Ability to communicate effectively in English with patients, relatives and colleagues (A/I)",
        "Able to work as part of a team (I)",
        "Willing to work a 24/7 rota including nights and weekends (I)",
        "Enhanced DBS check",
    ],
    "desirable": [
        "Experience of providing personal care in a hospital, care home or the community (A)",
        "GCSE English and maths grade 4 (C) or Functional Skills Level 2 (A/C)",
    ],
}
STAFF_NURSE_ADVERT: dict[str, Any] = {
    "id": "v-nurse",
    "title": "Staff Nurse - Acute Medical Unit",
    "band": "5",
    "staff_group": "Nursing and Midwifery Registered",
    "essential": [
        "Current NMC registration as a Registered Nurse (Adult) (A)",
        "Experience of acute care, including as a student or overseas (A/I)",
        "Compassionate, with the ability to stay calm under pressure (I)",
        "Willing to work internal rotation to nights (I)",
    ],
    "desirable": ["Venepuncture and cannulation (A)", "IV therapy (A)"],
}
OVERSEAS_NURSE: dict[str, Any] = {
    "id": "r-ph-nurse",
    "qualifications": [{"title": "BSN", "country": "PH", "year": 2016}],
    "experience": [{"title": "Staff Nurse, medical-surgical ward", "years": 6, "country": "PH"}],
    "language_tests": [
        {"test": "OET", "listening": "B", "reading": "B", "writing": "C+", "speaking": "B", "date": "2026-06-01"}
    ],
    "skills": ["doing obs", "wound dressings"],
    "right_to_work": "yes",
}
UK_CLEANER: dict[str, Any] = {
    "id": "r-cleaner",
    "experience": [
        {"title": "Office cleaner", "years": 9, "country": "GB"},
        {"title": "Care assistant in a nursing home", "years": 2, "country": "GB"},
    ],
    "right_to_work": "yes",
}


def assess(assessor: Assessor, parser: CriteriaParser, resident: dict[str, Any], vacancy: dict[str, Any]) -> Assessment:
    return assessor.assess(Resident.from_dict(resident), parser.parse_vacancy(Vacancy.from_dict(vacancy)), today=TODAY)


def by_text(result: Assessment, start: str) -> Any:
    return next(r for r in result.requirements if r.requirement.text.startswith(start))


# -- 1. every criterion has a kind and a place where it is judged --------------------------------
@pytest.mark.parametrize("text", QUALITIES)
def test_qualities_are_judged_at_interview(criteria_parser: CriteriaParser, text: str) -> None:
    [requirement] = criteria_parser.parse(text, essential=True)
    assert (requirement.kind, requirement.assessed) == ("quality", "interview")
    assert not requirement.decides_eligibility


@pytest.mark.parametrize("text", CONDITIONS)
def test_conditions_are_judged_at_interview(criteria_parser: CriteriaParser, text: str) -> None:
    [requirement] = criteria_parser.parse(text, essential=True)
    assert (requirement.kind, requirement.assessed) == ("condition", "interview")


@pytest.mark.parametrize(
    ("text", "assessed", "methods"),
    [
        ("Venepuncture skills (A)", "profile", ("application",)),
        ("Venepuncture skills (I)", "interview", ("interview",)),
        (
            "Knowledge of infection prevention and control - Application/Interview",
            "profile",
            ("application", "interview"),
        ),
        ("Experience of working on a hospital ward\tE\tI", "interview", ("interview",)),
        ("Basic IT skills Assessed by: T", "interview", ("test",)),
        ("Two satisfactory references (R)", "after_offer", ("references",)),
    ],
)
def test_method_of_assessment_markers_are_respected(
    criteria_parser: CriteriaParser, text: str, assessed: str, methods: tuple[str, ...]
) -> None:
    [requirement] = criteria_parser.parse(text, essential=True)
    assert requirement.assessed == assessed
    assert requirement.methods == methods


def test_a_criterion_not_read_never_blocks_and_says_the_employer_checks(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    vacancy = {**HCA_ADVERT, "essential": [*HCA_ADVERT["essential"], "Xyzzy plugh frobnication certificate"]}
    result = assess(assessor, criteria_parser, UK_CLEANER, vacancy)
    unread = by_text(result, "Xyzzy")
    assert not unread.requirement.understood
    assert "employer will check" in (unread.note or "")
    assert result.eligible_now
    assert "could not read" in result.explanation


# -- 2. eligibility is what a shortlister would decide ------------------------------------------
def test_a_uk_resident_with_care_work_is_eligible_for_an_entry_post(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    result = assess(assessor, criteria_parser, UK_CLEANER, HCA_ADVERT)
    assert result.eligible_now
    # The team quality and the rota are listed for the interview; DBS after an offer.
    assert by_text(result, "Able to work as part of a team").requirement.assessed == "interview"
    assert by_text(result, "Enhanced DBS").requirement.assessed == "after_offer"
    assert by_text(result, "Experience of providing personal care").met  # from the nursing-home job


# -- 3. experience criteria are settings and activities -----------------------------------------
@pytest.mark.parametrize(
    ("text", "setting"),
    [
        ("Experience of acute care, including as a student or overseas", "setting-acute-care"),
        ("NHS experience", "setting-nhs"),
        ("Experience in a health or social care setting", "setting-health-or-social-care"),
        ("Experience of working with people with dementia", "setting-dementia-care"),
        ("Experience in an office environment", "setting-office"),
        ("Previous experience in a catering kitchen", "setting-catering-kitchen"),
    ],
)
def test_experience_names_a_setting_not_a_job_title(criteria_parser: CriteriaParser, text: str, setting: str) -> None:
    [requirement] = criteria_parser.parse(text, essential=True)
    assert requirement.kind == "experience"
    assert setting in requirement.settings
    assert requirement.concept_id is None


def test_years_and_recency_are_read(criteria_parser: CriteriaParser) -> None:
    [requirement] = criteria_parser.parse("At least one year's recent experience in a care home", essential=True)
    assert (requirement.years, requirement.recent) == (1.0, True)
    assert "setting-care-home" in requirement.settings


def test_overseas_experience_counts_unless_restricted(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    open_to_all = assess(assessor, criteria_parser, OVERSEAS_NURSE, STAFF_NURSE_ADVERT)
    assert by_text(open_to_all, "Experience of acute care").met
    restricted = {**STAFF_NURSE_ADVERT, "essential": ["UK experience of working in an acute hospital (A)"]}
    result = assess(assessor, criteria_parser, OVERSEAS_NURSE, restricted)
    acute = by_text(result, "UK experience")
    assert acute.requirement.uk_only
    assert not acute.met
    assert "outside the UK" in (acute.note or "")


def test_nhs_experience_needs_the_nhs_named(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    vacancy = {"title": "Ward Clerk", "band": "2", "essential": ["Previous NHS experience (A)"]}
    private = {"experience": [{"title": "Healthcare assistant, private hospital", "years": 3, "country": "GB"}]}
    nhs = {"experience": [{"title": "Bank HCA", "employer": "Sandwell and West Birmingham NHS Trust", "years": 2}]}
    assert not assess(assessor, criteria_parser, {**private, "right_to_work": "yes"}, vacancy).eligible_now
    assert assess(assessor, criteria_parser, {**nhs, "right_to_work": "yes"}, vacancy).eligible_now


def test_a_student_placement_counts_where_the_advert_says_so(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    graduate = {"qualifications": [{"title": "BSc (Hons) Adult Nursing", "country": "GB"}], "right_to_work": "yes"}
    result = assess(assessor, criteria_parser, graduate, STAFF_NURSE_ADVERT)
    acute = by_text(result, "Experience of acute care")
    assert acute.met
    assert acute.evidence is not None
    assert "placements" in acute.evidence.text


# -- 4. experience implies skills ---------------------------------------------------------------
def test_an_experienced_nurse_is_not_told_she_lacks_what_nurses_do(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    vacancy = {**STAFF_NURSE_ADVERT, "desirable": ["Medication administration (A)", "IV therapy (A)"]}
    result = assess(assessor, criteria_parser, OVERSEAS_NURSE, vacancy)
    medication = by_text(result, "Medication administration")
    assert medication.met
    assert medication.evidence is not None
    assert medication.evidence.text.startswith("from 6 years as Staff Nurse")
    # Weaker than her own words: "doing obs" keeps its normalisation score, implied ones are lower.
    assert medication.evidence.score is not None
    assert medication.evidence.score < 0.6


# -- 5. registrations and alternatives ----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "credentials"),
    [
        ("NMC registered nurse or midwife", {"nmc-registration-nurse", "nmc-registration-midwife"}),
        ("HCPC registered Physiotherapist", {"hcpc-registration-physiotherapist"}),
        ("HPC/HCPC registered", {"hcpc-registration"}),
        ("Current NMC PIN", {"nmc-registration-nurse"}),
        ("RTW in the UK", {"right-to-work"}),
        ("CRB / DBS check", {"dbs-enhanced", "dbs-standard"}),
    ],
)
def test_registrations_and_checks_are_read(criteria_parser: CriteriaParser, text: str, credentials: set[str]) -> None:
    [requirement] = criteria_parser.parse(text, essential=True)
    assert set(requirement.credentials) & credentials


def test_either_register_meets_an_either_criterion(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    vacancy = {"title": "Research Nurse / Midwife", "band": "6", "essential": ["NMC registered nurse or midwife"]}
    midwife = {"credentials": ["nmc-registration-midwife"], "right_to_work": "yes"}
    assert assess(assessor, criteria_parser, midwife, vacancy).eligible_now


def test_postgraduate_medical_qualifications_are_qualifications(criteria_parser: CriteriaParser) -> None:
    [requirement] = criteria_parser.parse("MRCP(UK) or equivalent postgraduate qualification", essential=False)
    assert requirement.kind == "qualification"
    assert requirement.concept_id == "qual-mrcp-uk"


# -- 6. routes close qualification gaps ---------------------------------------------------------
def test_the_ospap_route_closes_mpharm_or_ospap(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    pharmacist = {
        "qualifications": [{"title": "BPharm", "country": "SY", "year": 2009}],
        "experience": [{"title": "Community pharmacist", "years": 10, "country": "SY"}],
        "right_to_work": "yes",
    }
    vacancy = {
        "title": "Rotational Pharmacist",
        "band": "6",
        "essential": ["MPharm degree, or OSPAP and a foundation year (A/C)", "Registered pharmacist with the GPhC (A)"],
    }
    result = assess(assessor, criteria_parser, pharmacist, vacancy)
    assert not result.eligible_now
    assert result.reachable
    assert all(g.closable for g in result.gaps)
    qualification = next(g for g in result.gaps if g.kind == "qualification")
    assert "ospap" in qualification.closed_by


@pytest.mark.parametrize(
    ("held", "criterion", "met"),
    [
        ("BSc Nursing", "BSc Nursing or equivalent", True),
        ("Level 3 Diploma in Adult Care", "NVQ Level 3 in Health and Social Care or equivalent", True),
        ("A levels", "NVQ Level 3 in Health and Social Care or equivalent", False),  # same level, other field
        ("MBBS", "MRCP(UK) or equivalent", False),
        ("FCPS Medicine", "MRCP(UK) or equivalent", True),
    ],
)
def test_or_equivalent_means_the_same_field_at_the_level(
    assessor: Assessor, criteria_parser: CriteriaParser, held: str, criterion: str, met: bool
) -> None:
    country = "PK" if held in ("MBBS", "FCPS Medicine") else "PH" if held == "BSc Nursing" else "GB"
    resident = {"qualifications": [{"title": held, "country": country}], "right_to_work": "yes"}
    result = assess(assessor, criteria_parser, resident, {"title": "Post", "essential": [criterion]})
    assert result.requirements[0].met is met


def test_every_unmet_essential_has_a_step_or_a_plain_reason(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    vacancy = {
        "title": "Staff Nurse",
        "band": "5",
        "essential": [*STAFF_NURSE_ADVERT["essential"], "2 years' UK experience as a registered nurse"],
    }
    result = assess(assessor, criteria_parser, OVERSEAS_NURSE, vacancy)
    unmet = [r for r in result.requirements if r.requirement.decides_eligibility and not r.met]
    assert len(result.gaps) == len(unmet) == 2
    closable = {g.text: g for g in result.gaps}
    assert closable["Current NMC registration as a Registered Nurse (Adult) (A)"].closable
    experience = closable["2 years' UK experience as a registered nurse"]
    assert not experience.closable
    assert "comes from work" in experience.reason
    assert not result.reachable  # one gap no course closes


# -- 7. right to work ---------------------------------------------------------------------------
def test_unknown_right_to_work_leaves_the_job_open_subject_to_it(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    result = assess(assessor, criteria_parser, {**UK_CLEANER, "right_to_work": "unknown"}, HCA_ADVERT)
    assert not result.eligible_now
    assert result.subject_to == ("right-to-work",)
    assert is_open_now(result)
    assert "right to work" in result.explanation


def test_no_right_to_work_blocks_but_shows_the_training_route(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    vacancies = [criteria_parser.parse_vacancy(Vacancy.from_dict(v)) for v in (HCA_ADVERT, STAFF_NURSE_ADVERT)]
    nurse = Resident.from_dict({**OVERSEAS_NURSE, "right_to_work": "no"})
    found = match_resident(assessor, nurse, vacancies, reachable_within_weeks=104, today=TODAY)
    assert not found.open_now
    assert not found.reachable
    assert [vacancies[r.index].id for r in found.when_allowed] == ["v-hca", "v-nurse"]
    assert all(r.assessment.blocked_by == ("right-to-work",) for r in found.when_allowed)


# -- 8. titles with band and staff group --------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "band", "staff_group", "occupation"),
    [
        ("Specialty Dentist - Oral Surgery", None, "Medical and Dental", "occ-dentist"),
        ("Consultant in Acute Medicine", None, "Medical and Dental", "occ-consultant-doctor"),
        ("Senior Staff Nurse (RMN)", "6", "Nursing and Midwifery Registered", "occ-mental-health-nurse"),
        ("Band 5 Staff Nurse", None, None, "occ-staff-nurse"),
        ("Clinical Support Worker - Acute Medicine (Band 3)", "3", None, "occ-healthcare-assistant"),
    ],
)
def test_titles_are_read_with_band_and_staff_group(
    criteria_parser: CriteriaParser, title: str, band: str | None, staff_group: str | None, occupation: str
) -> None:
    parsed = criteria_parser.parse_vacancy(
        Vacancy.from_dict({"title": title, "band": band, "staff_group": staff_group, "essential": []})
    )
    assert parsed.occupation_id == occupation


# -- properties ---------------------------------------------------------------------------------
_RESIDENTS = [UK_CLEANER, OVERSEAS_NURSE, {"right_to_work": "yes"}, {**UK_CLEANER, "right_to_work": "unknown"}]


@given(
    resident=st.sampled_from(_RESIDENTS),
    vacancy=st.sampled_from([HCA_ADVERT, STAFF_NURSE_ADVERT]),
    added=st.lists(st.sampled_from(QUALITIES + CONDITIONS), min_size=1, max_size=4),
    essential=st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_adding_a_quality_or_condition_never_changes_eligible_now(
    assessor: Assessor,
    criteria_parser: CriteriaParser,
    resident: dict[str, Any],
    vacancy: dict[str, Any],
    added: list[str],
    essential: bool,
) -> None:
    section = "essential" if essential else "desirable"
    more = copy.deepcopy(vacancy)
    more[section] = [*more.get(section, []), *added]
    before = assess(assessor, criteria_parser, resident, vacancy)
    after = assess(assessor, criteria_parser, resident, more)
    assert after.eligible_now == before.eligible_now
    assert after.subject_to == before.subject_to
    assert after.reachable == before.reachable


_SETTINGS_CRITERIA = [
    "Experience of acute care",
    "Experience in a health or social care setting",
    "Experience of providing personal care",
    "Experience of working in a hospital",
]
_OVERSEAS_JOBS = [
    {"title": "Staff Nurse", "years": 5, "country": "PH"},
    {"title": "Medical Officer", "years": 4, "country": "PK"},
    {"title": "Care assistant", "years": 3, "country": "NG"},
    {"title": "Healthcare assistant", "years": 2, "country": "IN"},
]


@given(
    criterion=st.sampled_from(_SETTINGS_CRITERIA),
    jobs=st.lists(st.sampled_from(_OVERSEAS_JOBS), min_size=1, max_size=3, unique_by=lambda j: j["title"]),
    restriction=st.sampled_from(["UK experience", "Recent UK experience", "NHS experience"]),
)
@settings(max_examples=40, deadline=None)
def test_restricting_experience_to_the_uk_never_makes_an_overseas_only_resident_eligible(
    assessor: Assessor, criteria_parser: CriteriaParser, criterion: str, jobs: list[dict[str, Any]], restriction: str
) -> None:
    resident = {"experience": jobs, "right_to_work": "yes"}
    restricted = f"{restriction}: {criterion[0].lower()}{criterion[1:]}"
    result = assess(assessor, criteria_parser, resident, {"title": "Post", "essential": [restricted]})
    assert not result.eligible_now, restricted
    assert not reachable_within(result, 520)


# -- roles named with "paid or voluntary", English in everyday words -----------------------------
def _one(assessor: Assessor, parser: CriteriaParser, jobs: list[dict[str, Any]], criterion: str, **vacancy: Any) -> Any:
    resident = {"experience": jobs, "right_to_work": "yes"}
    result = assess(
        assessor, parser, resident, {"title": "Healthcare Assistant", "band": "2", **vacancy, "essential": [criterion]}
    )
    return result.requirements[0]


@pytest.mark.parametrize(
    "criterion",
    [
        "Previous experience as a healthcare assistant or carer, paid or voluntary (A)",
        "Experience as a carer, paid or voluntary",
        "Experience of working as a care assistant or support worker (paid or unpaid)",
    ],
)
def test_paid_or_voluntary_beside_a_role_asks_for_that_role_however_it_was_done(
    assessor: Assessor, criteria_parser: CriteriaParser, criterion: str
) -> None:
    [requirement] = criteria_parser.parse(criterion, essential=True)
    assert requirement.kind == "experience"
    assert "setting-volunteering" not in requirement.settings  # "paid or voluntary" is how, not what
    volunteer = _one(
        assessor, criteria_parser, [{"title": "Volunteer carer, Age UK", "years": 2, "country": "GB"}], criterion
    )
    assert volunteer.met, "a volunteer carer's title names the role"
    assert "Volunteer carer" in volunteer.evidence.text
    paid = _one(
        assessor,
        criteria_parser,
        [{"title": "Care assistant in a nursing home", "years": 1, "country": "NG"}],
        criterion,
    )
    assert paid.met
    unrelated = _one(assessor, criteria_parser, [{"title": "Office cleaner", "years": 9, "country": "GB"}], criterion)
    assert not unrelated.met, "nine years' cleaning is not experience as a carer"
    volunteering_elsewhere = _one(
        assessor, criteria_parser, [{"title": "Volunteer, food bank", "years": 3, "country": "GB"}], criterion
    )
    assert not volunteering_elsewhere.met, "volunteering is not caring unless it was caring"


def test_care_experience_paid_or_voluntary_is_a_care_setting(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    [requirement] = criteria_parser.parse("Previous care experience (paid or voluntary)", essential=True)
    assert requirement.settings == ("setting-health-or-social-care",)
    [public] = criteria_parser.parse("Experience, paid or voluntary, of working with the public", essential=True)
    assert "setting-customer-facing" in public.settings
    cashier = _one(assessor, criteria_parser, [{"title": "Cashier, Tesco", "years": 3, "country": "GB"}], public.text)
    assert cashier.met


@pytest.mark.parametrize(
    "criterion",
    [
        "Ability to read, write and speak English",
        "Ability to read and write English to a standard needed to follow job sheets and record tasks (A/I)",
    ],
)
def test_reading_and_writing_english_is_the_general_english_check(
    criteria_parser: CriteriaParser, criterion: str
) -> None:
    [requirement] = criteria_parser.parse(criterion, essential=True)
    assert (requirement.kind, requirement.understood) == ("language", True)
    assert requirement.credential is None  # no regulator's test is asked for


# -- qualification levels stated in words, and equivalent experience ----------------------------
@pytest.mark.parametrize(
    ("criterion", "level"),
    [
        ("Educated to Master's level or equivalent experience", 7),
        ("Degree level qualification or equivalent experience in a healthcare environment", 6),
        ("Degree or postgraduate diploma in a health-related subject", 6),  # the lower alternative
        ("Postgraduate qualification in clinical pharmacy or equivalent", 7),
        ("Degree in Pharmacy (MPharm)", 7),  # the award named decides
        ("Recognised midwifery qualification (degree, diploma or equivalent) (A/C)", None),  # a diploma is enough
    ],
)
def test_the_level_a_criterion_states_in_words_is_asked_for(
    criteria_parser: CriteriaParser, criterion: str, level: int | None
) -> None:
    [requirement] = criteria_parser.parse(criterion, essential=True)
    assert requirement.kind == "qualification"
    assert requirement.understood
    assert requirement.level == level


def test_a_subject_not_read_is_left_to_the_employer_not_widened_to_any_award(criteria_parser: CriteriaParser) -> None:
    [requirement] = criteria_parser.parse("NVQ Level 2 in Cleaning and Support Services (A/C)", essential=True)
    assert not requirement.understood or requirement.concept_id is not None


def test_a_bachelors_degree_does_not_meet_a_postgraduate_criterion(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    vacancy = {
        "title": "Specialist Pharmacist",
        "band": "7",
        "essential": ["Postgraduate qualification in clinical pharmacy or equivalent"],
    }
    bpharm = assess(
        assessor,
        criteria_parser,
        {"qualifications": [{"title": "B.Pharm", "country": "PK", "year": 2012}], "right_to_work": "yes"},
        vacancy,
    )
    assert not bpharm.requirements[0].met
    masters = assess(
        assessor,
        criteria_parser,
        {"qualifications": [{"title": "MSc Public Health", "country": "GB", "year": 2015}], "right_to_work": "yes"},
        {**vacancy, "essential": ["Educated to Master's level or equivalent experience"]},
    )
    assert masters.requirements[0].met


@pytest.mark.parametrize(
    ("jobs", "met"),
    [
        ([{"title": "Pharmacy assistant, Boots", "years": 3, "country": "GB"}], True),
        (
            [
                {"title": "Dispenser", "years": 1, "country": "PK"},
                {"title": "Pharmacy assistant", "years": 1, "country": "GB"},
            ],
            True,
        ),
        ([{"title": "Office cleaner", "years": 9, "country": "GB"}], False),  # work, but not in pharmacy
        ([{"title": "Pharmacy assistant", "years": 1, "country": "GB"}], False),  # not the two years
    ],
)
def test_equivalent_experience_is_work_in_the_field_for_the_years_asked(
    assessor: Assessor, criteria_parser: CriteriaParser, jobs: list[dict[str, Any]], met: bool
) -> None:
    criterion = "NVQ Level 3 in Pharmacy Services or equivalent experience"
    result = _one(assessor, criteria_parser, jobs, criterion, title="Pharmacy Assistant", band="3")
    assert result.met is met
    if met:
        assert "interview" in (result.note or "")


def test_lived_experience_is_heard_at_interview_never_read_from_a_profile(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    criterion = "Lived experience of mental health difficulties, as a service user or carer (A/I)"
    [requirement] = criteria_parser.parse(criterion, essential=True)
    assert (requirement.kind, requirement.assessed) == ("experience", "interview")
    assert not requirement.decides_eligibility
    carer = _one(assessor, criteria_parser, [{"title": "Carer", "years": 5, "country": "GB"}], criterion)
    assert not carer.met
    assert "interview" in (carer.note or "")
    # Caring for a relative is not special-category history: it is still read from the profile.
    [relative] = criteria_parser.parse("Personal experience of caring for a family member", essential=True)
    assert relative.assessed == "profile"


@pytest.mark.parametrize(
    ("title", "met"),
    [
        ("Hospital Pharmacist, Mayo Hospital", True),
        ("Community pharmacist", False),  # a pharmacy, but not a hospital's
        ("Pharmacy assistant, Boots", False),
    ],
)
def test_hospital_pharmacy_is_not_any_pharmacy(
    assessor: Assessor, criteria_parser: CriteriaParser, title: str, met: bool
) -> None:
    jobs = [{"title": title, "years": 3, "country": "PK"}]
    result = _one(assessor, criteria_parser, jobs, "Experience of hospital pharmacy (A)", title="Rotational Pharmacist")
    assert result.met is met
    either = _one(assessor, criteria_parser, jobs, "Experience of working in a hospital or community pharmacy (A)")
    assert either.met


def test_experience_of_doing_a_skill_is_that_skill(criteria_parser: CriteriaParser) -> None:
    """'Experience of undertaking clinical observations including NEWS2' (a real advert's line) was
    not understood: the doing is not the skill."""
    [requirement] = criteria_parser.parse(
        "Experience of undertaking clinical observations including NEWS2 (A)", essential=False
    )
    assert requirement.understood
    assert requirement.concept_id == "skill-patient-observations"
