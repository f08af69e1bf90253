"""matcher.assessment: requirements met or unmet with evidence, fit, eligibility, pathway, bridges."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.assessment import Assessment, Assessor
from matcher.profile import Resident, Vacancy
from matcher.requirements import ParsedVacancy
from vacancies.criteria import CriteriaParser

TODAY = date(2026, 11, 25)

CONTRACT_KEYS = {"eligible_now", "fit", "blocked_by", "requirements", "pathway", "bridge_roles", "explanation"}
#: Added to the contract (DESIGN.md: additive) by the person-specification reading.
ADDED_KEYS = {"eligible_subject_to", "reachable", "weeks_to_ready", "gaps"}
REQUIREMENT_KEYS = {"text", "kind", "concept_id", "label", "essential", "met", "evidence", "assessed", "understood"}
OPTIONAL_REQUIREMENT_KEYS = {"note", "any_of", "methods", "experience"}
STEP_KEYS = {"credential", "label", "weeks", "cost_gbp", "after", "source", "as_of"}
BRIDGE_KEYS = {"occupation_id", "label", "band", "why"}

IELTS_7_WRITING_6_5 = {
    "test": "IELTS Academic",
    "overall": 7.0,
    "listening": 7.5,
    "reading": 7.0,
    "writing": 6.5,
    "speaking": 7.0,
    "date": "2026-03-01",
}
OET_B = {"test": "OET", "listening": "B", "reading": "B", "writing": "B", "speaking": "B", "date": "2026-05-20"}

DOCTOR: dict[str, Any] = {
    "id": "r-doctor",
    "qualifications": [{"title": "MBBS", "country": "PK", "year": 2012}],
    "experience": [{"title": "Medical Officer", "years": 5, "country": "PK"}],
    "language_tests": [IELTS_7_WRITING_6_5],
    "right_to_work": "yes",
}
NURSE: dict[str, Any] = {
    "id": "r-nurse",
    "skills": ["can take bloods", "patient observations"],
    "qualifications": [{"title": "BSc Nursing", "country": "PH", "year": 2015}],
    "experience": [{"title": "Staff Nurse", "years": 6, "country": "PH"}],
    "language_tests": [IELTS_7_WRITING_6_5],
    "right_to_work": "yes",
}
NO_QUALIFICATIONS: dict[str, Any] = {"id": "r-none", "skills": ["cleaning"], "right_to_work": "yes"}

HCA: dict[str, Any] = {
    "id": "v-hca",
    "title": "Healthcare Assistant",
    "band": "2",
    "essential": [
        "Care Certificate or willingness to complete it",
        "Enhanced DBS check",
        "Ability to communicate effectively in English",
    ],
    "desirable": [{"kind": "skill", "text": "venepuncture"}, {"kind": "skill", "text": "patient observations"}],
}
STAFF_NURSE: dict[str, Any] = {
    "id": "v-nurse",
    "title": "Staff Nurse - Acute Medical Unit",
    "band": "5",
    "essential": ["Current NMC registration", {"kind": "check", "id": "dbs-enhanced"}],
    "desirable": [{"kind": "skill", "text": "venepuncture"}],
}
CLINICAL_FELLOW: dict[str, Any] = {
    "id": "v-doctor",
    "title": "Clinical Fellow in Acute Medicine",
    "essential": ["Full GMC registration with a licence to practise"],
}


def with_changes(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(base), **changes}


def assess(assessor: Assessor, parser: CriteriaParser, resident: dict[str, Any], vacancy: dict[str, Any]) -> Assessment:
    return assessor.assess(Resident.from_dict(resident), parser.parse_vacancy(Vacancy.from_dict(vacancy)), today=TODAY)


def steps(assessment: Assessment) -> list[str]:
    return [] if assessment.pathway is None else [s.credential for s in assessment.pathway.steps]


def in_order(sequence: list[str], wanted: list[str]) -> bool:
    return [x for x in sequence if x in wanted] == wanted


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


# -- eligibility and right to work ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("right_to_work", "eligible", "blocked"),
    [("yes", True, []), ("no", False, ["right-to-work"]), ("unknown", False, [])],
)
def test_eligible_now_needs_every_essential_and_the_right_to_work(
    assessor: Assessor, criteria_parser: CriteriaParser, right_to_work: str, eligible: bool, blocked: list[str]
) -> None:
    result = assess(assessor, criteria_parser, with_changes(NURSE, right_to_work=right_to_work), HCA)
    assert all(r.met for r in result.requirements if r.requirement.decides_eligibility)
    assert result.eligible_now is eligible
    assert list(result.blocked_by) == blocked
    assert result.to_dict()["blocked_by"] == blocked
    # "unknown" is not "no": the job is open once the right to work is shown.
    assert list(result.subject_to) == (["right-to-work"] if right_to_work == "unknown" else [])


def test_one_unmet_essential_means_not_eligible(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    vacancy = with_changes(HCA, essential=[*HCA["essential"], "NVQ Level 2 in Health and Social Care or equivalent"])
    result = assess(assessor, criteria_parser, NO_QUALIFICATIONS, vacancy)
    unmet = [r.requirement.text for r in result.requirements if r.requirement.decides_eligibility and not r.met]
    assert unmet == ["NVQ Level 2 in Health and Social Care or equivalent"]
    assert not result.eligible_now
    assert result.blocked_by == ()
    [gap] = result.gaps
    assert gap.text == unmet[0]
    assert not gap.closable
    assert gap.reason


def test_english_as_a_general_ability_is_shown_at_interview(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    # No English test and no UK work history: a shortlister does not screen out on that; the
    # interview shows it.
    result = assess(assessor, criteria_parser, NO_QUALIFICATIONS, HCA)
    english = next(r for r in result.requirements if r.requirement.kind == "language")
    assert english.requirement.assessed == "interview"
    assert result.eligible_now


def test_a_year_of_uk_work_shows_enough_english_for_entry_roles(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    resident = with_changes(NO_QUALIFICATIONS, experience=[{"title": "Cleaner", "years": 2, "country": "GB"}])
    result = assess(assessor, criteria_parser, resident, HCA)
    assert result.eligible_now


def test_without_the_right_to_work_the_pathway_is_still_shown(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    vacancy = with_changes(STAFF_NURSE, essential=[*STAFF_NURSE["essential"], "Right to work in the UK"])
    result = assess(assessor, criteria_parser, with_changes(NURSE, right_to_work="no"), vacancy)
    assert not result.eligible_now
    assert result.blocked_by == ("right-to-work",)
    assert in_order(steps(result), ["nmc-cbt", "nmc-osce", "nmc-registration-nurse"])
    assert "right-to-work" not in steps(result)
    assert "right to work" in result.explanation


def test_unknown_right_to_work_is_not_a_block_but_is_explained(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    result = assess(assessor, criteria_parser, with_changes(NURSE, right_to_work="unknown"), STAFF_NURSE)
    assert not result.eligible_now
    assert result.blocked_by == ()
    assert result.pathway is not None
    assert "right to work" in result.explanation.lower()


# -- evidence ------------------------------------------------------------------------------------
def test_evidence_names_the_residents_own_phrase(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    result = assess(assessor, criteria_parser, NURSE, HCA)
    [bloods] = [r for r in result.requirements if r.requirement.concept_id == "skill-venepuncture"]
    assert bloods.met
    assert bloods.evidence is not None
    assert bloods.evidence.text == "can take bloods"
    assert bloods.evidence.concept_id == "skill-venepuncture"
    assert bloods.evidence.score is not None
    assert bloods.evidence.score >= assessor.settings.evidence_cutoff


def test_an_unmet_requirement_has_no_evidence(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    result = assess(assessor, criteria_parser, NO_QUALIFICATIONS, HCA)
    for record in result.to_dict()["requirements"]:
        if not record["met"]:
            assert record["evidence"] is None


def test_english_evidence_is_the_test_result(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    result = assess(assessor, criteria_parser, NURSE, HCA)
    [english] = [r for r in result.requirements if r.requirement.kind == "language"]
    assert english.met
    assert english.evidence is not None
    assert "IELTS Academic" in english.evidence.text
    assert "2026-03-01" in english.evidence.text


# -- routes for overseas professionals -----------------------------------------------------------
def test_doctor_with_ielts_7_needs_english_and_both_plabs(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    result = assess(assessor, criteria_parser, DOCTOR, CLINICAL_FELLOW)
    assert not result.eligible_now
    route = steps(result)
    assert in_order(route, ["english-gmc", "plab-1", "plab-2", "gmc-registration"]), route
    # Five years as a Medical Officer meet the 12-month internship rule.
    assert "gmc-internship" not in route
    assert "gmc-primary-qualification-verification" in route
    assert result.pathway is not None
    assert result.pathway.unreachable == ()


def test_doctor_with_oet_b_and_plab_1_needs_only_plab_2_and_registration(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    doctor = with_changes(DOCTOR, language_tests=[OET_B], credentials=["plab-1"])
    route = steps(assess(assessor, criteria_parser, doctor, CLINICAL_FELLOW))
    # The graph also asks for the medical degree to be verified at source before registration.
    assert set(route) == {"plab-2", "gmc-registration", "gmc-primary-qualification-verification"}
    assert in_order(route, ["plab-2", "gmc-registration"])


def test_doctor_with_an_expired_oet_needs_english_again(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    expired = {**OET_B, "date": "2024-06-01"}
    doctor = with_changes(DOCTOR, language_tests=[expired], credentials=["plab-1"])
    assert "english-gmc" in steps(assess(assessor, criteria_parser, doctor, CLINICAL_FELLOW))


def test_refugee_doctor_sits_plab_1_free(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    result = assess(assessor, criteria_parser, with_changes(DOCTOR, immigration_status="refugee"), CLINICAL_FELLOW)
    assert result.pathway is not None
    [plab_1] = [s for s in result.pathway.steps if s.credential == "plab-1"]
    assert plab_1.cost_gbp == 0


def test_philippine_nurse_with_ielts_7_skips_english(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    result = assess(assessor, criteria_parser, NURSE, STAFF_NURSE)
    route = steps(result)
    assert in_order(route, ["nmc-cbt", "nmc-osce", "nmc-registration-nurse"]), route
    assert "english-nmc" not in route
    assert not result.eligible_now


def test_bridge_roles_for_a_nurse_include_healthcare_assistant(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    result = assess(assessor, criteria_parser, NURSE, STAFF_NURSE)
    bridges = {b["occupation_id"]: b for b in result.bridge_roles}
    assert "occ-healthcare-assistant" in bridges
    assert bridges["occ-healthcare-assistant"]["why"]
    for bridge in result.to_dict()["bridge_roles"]:
        assert set(bridge) == BRIDGE_KEYS


def test_no_bridges_when_eligible_or_blocked(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    assert assess(assessor, criteria_parser, NURSE, HCA).bridge_roles == ()
    assert assess(assessor, criteria_parser, with_changes(NURSE, right_to_work="no"), STAFF_NURSE).bridge_roles == ()


def test_someone_without_a_medical_degree_cannot_start_the_gmc_route(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    result = assess(assessor, criteria_parser, NO_QUALIFICATIONS, CLINICAL_FELLOW)
    assert result.pathway is not None
    assert result.pathway.steps == ()
    assert [u.credential for u in result.pathway.unreachable] == ["gmc-registration"]


def test_a_uk_physiotherapy_graduate_only_registers(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    resident = {"qualifications": [{"title": "BSc (Hons) Physiotherapy", "country": "GB"}], "right_to_work": "yes"}
    vacancy = {"title": "Physiotherapist", "essential": ["HCPC registered Physiotherapist"]}
    assert steps(assess(assessor, criteria_parser, resident, vacancy)) == ["hcpc-registration-physiotherapist"]


# -- explanation and contract --------------------------------------------------------------------
EXPLAINED = [
    pytest.param(NURSE, HCA, id="eligible"),
    pytest.param(NURSE, STAFF_NURSE, id="pathway-and-bridge"),
    pytest.param(with_changes(NURSE, right_to_work="no"), STAFF_NURSE, id="blocked"),
    pytest.param(NO_QUALIFICATIONS, HCA, id="missing-english"),
    pytest.param(NO_QUALIFICATIONS, CLINICAL_FELLOW, id="unreachable"),
    pytest.param(DOCTOR, CLINICAL_FELLOW, id="doctor"),
    pytest.param(with_changes(NURSE, right_to_work="unknown"), HCA, id="right-to-work-unknown"),
]


@pytest.mark.parametrize(("resident", "vacancy"), EXPLAINED)
def test_explanation_is_short_and_names_the_vacancy(
    assessor: Assessor, criteria_parser: CriteriaParser, resident: dict[str, Any], vacancy: dict[str, Any]
) -> None:
    explanation = assess(assessor, criteria_parser, resident, vacancy).explanation
    assert explanation.strip()
    assert 1 <= len(sentences(explanation)) <= 3, explanation
    assert vacancy["title"] in explanation


@pytest.mark.parametrize(("resident", "vacancy"), [(NURSE, HCA), (NURSE, STAFF_NURSE), (DOCTOR, CLINICAL_FELLOW)])
def test_to_dict_has_exactly_the_contract_keys(
    assessor: Assessor, criteria_parser: CriteriaParser, resident: dict[str, Any], vacancy: dict[str, Any]
) -> None:
    record = assess(assessor, criteria_parser, resident, vacancy).to_dict()
    assert set(record) == CONTRACT_KEYS | ADDED_KEYS
    json.dumps(record)  # plain JSON, nothing else
    assert isinstance(record["eligible_now"], bool)
    assert 0.0 <= record["fit"] <= 1.0
    assert record["requirements"]
    for requirement in record["requirements"]:
        # A "note" may explain a verdict; alternatives, markers and experience details are added.
        assert REQUIREMENT_KEYS <= set(requirement) <= REQUIREMENT_KEYS | OPTIONAL_REQUIREMENT_KEYS
        assert isinstance(requirement["essential"], bool)
        assert isinstance(requirement["met"], bool)
        assert requirement["assessed"] in ("profile", "interview", "after_offer")
        assert isinstance(requirement["understood"], bool)
    for gap in record["gaps"]:
        assert set(gap) == {"text", "kind", "closable", "closed_by", "steps", "reason"}
        if requirement["evidence"] is not None:
            assert set(requirement["evidence"]) == {"text", "concept_id", "score"}
    if record["pathway"] is not None:
        assert {"steps", "total_weeks", "total_cost_gbp"} <= set(record["pathway"])
        for step in record["pathway"]["steps"]:
            assert set(step) >= STEP_KEYS
    assert isinstance(record["explanation"], str)


def test_credential_requirements_carry_the_graph_label(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    record = assess(assessor, criteria_parser, NURSE, STAFF_NURSE).to_dict()
    nmc = record["requirements"][0]
    assert nmc["concept_id"] == "nmc-registration-nurse"
    assert nmc["label"] == assessor.graph["nmc-registration-nurse"].label


# -- bugs ----------------------------------------------------------------------------------------
def test_dbs_written_as_a_credential_is_still_a_pre_employment_check(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    vacancy = with_changes(
        STAFF_NURSE, essential=["Current NMC registration", {"kind": "credential", "id": "dbs-enhanced"}]
    )
    registered = with_changes(NURSE, credentials=["nmc-registration-nurse"])
    result = assess(assessor, criteria_parser, registered, vacancy)
    assert result.eligible_now
    assert "dbs-enhanced" not in steps(result)


def test_a_named_qualification_is_not_met_by_any_same_level_one(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    vacancy = {"title": "Senior Healthcare Assistant", "essential": ["NVQ Level 3 in Health and Social Care"]}
    resident = {"qualifications": [{"title": "A levels", "country": "GB"}], "right_to_work": "yes"}
    [requirement] = assess(assessor, criteria_parser, resident, vacancy).requirements
    assert not requirement.met


def test_a_stated_ielts_score_is_the_threshold(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    vacancy = {"title": "Pre-registration Nurse", "essential": ["IELTS 7.0 overall"]}
    six = {"test": "IELTS Academic", "overall": 6.0, "listening": 6.0, "reading": 6.0, "writing": 6.0, "speaking": 6.0}
    resident = {"language_tests": [{**six, "date": "2026-06-01"}], "right_to_work": "yes"}
    [requirement] = assess(assessor, criteria_parser, resident, vacancy).requirements
    assert not requirement.met


def test_an_unknown_cost_is_not_presented_as_a_total(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    resident = {"qualifications": [{"title": "BMLS", "country": "NG"}], "right_to_work": "yes"}
    vacancy = {"title": "Biomedical Scientist", "essential": ["HCPC registration"]}
    result = assess(assessor, criteria_parser, resident, vacancy)
    assert result.pathway is not None
    assert any(s.cost_gbp is None for s in result.pathway.steps)
    assert "unknown" in result.explanation.lower()


def test_no_qualifications_suggests_level_1_before_level_2(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    vacancy = {"title": "Trainee Nursing Associate", "essential": ["GCSE English and maths grade 4 (C)"]}
    route = steps(assess(assessor, criteria_parser, NO_QUALIFICATIONS, vacancy))
    assert in_order(route, ["functional-skills-english-l1", "functional-skills-english-l2"]), route
    assert in_order(route, ["functional-skills-maths-l1", "functional-skills-maths-l2"]), route


ENGLISH_AND_MATHS: dict[str, Any] = {
    "title": "Trainee Nursing Associate",
    "essential": ["GCSE English and maths grade 4 (C)"],
}
LEVEL_1 = ["functional-skills-english-l1", "functional-skills-maths-l1"]


def test_level_1_steps_come_first_and_count_on_the_critical_path(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    result = assess(assessor, criteria_parser, NO_QUALIFICATIONS, ENGLISH_AND_MATHS)
    assert result.pathway is not None
    by_id = {s.credential: s for s in result.pathway.steps}
    assert set(by_id) == {*LEVEL_1, "functional-skills-english-l2", "functional-skills-maths-l2"}
    assert by_id["functional-skills-english-l2"].after == ("functional-skills-english-l1",)
    assert by_id["functional-skills-maths-l2"].after == ("functional-skills-maths-l1",)
    graph = assessor.graph
    # Level 1 then Level 2, the two subjects side by side.
    weeks = (graph["functional-skills-english-l1"].weeks or 0) + (graph["functional-skills-english-l2"].weeks or 0)
    assert result.pathway.total_weeks == weeks
    assert result.pathway.total_cost_gbp == pytest.approx(sum(s.cost_gbp or 0.0 for s in result.pathway.steps))
    assert f"about {weeks} weeks" in result.explanation
    record = result.to_dict()["pathway"]
    assert [s["credential"] for s in record["steps"]][:2] == LEVEL_1
    assert any(note.startswith("suggested first:") for note in record["steps"][0]["notes"])


@pytest.mark.parametrize(
    "qualification",
    [
        "GCSE Maths grade D",  # below grade 4/C it is a level 1 award, still level 1
        "GCSE English Language (grade 3)",
        "NVQ Level 2 in Health and Social Care",
        "Functional Skills English Level 1",
    ],
)
def test_a_qualification_at_level_1_or_above_means_no_level_1_step(
    assessor: Assessor, criteria_parser: CriteriaParser, qualification: str
) -> None:
    resident = with_changes(NO_QUALIFICATIONS, qualifications=[{"title": qualification, "country": "GB"}])
    route = steps(assess(assessor, criteria_parser, resident, ENGLISH_AND_MATHS))
    assert "functional-skills-maths-l2" in route
    assert not set(LEVEL_1) & set(route), route


def test_holding_functional_skills_level_1_means_no_level_1_step(
    assessor: Assessor, criteria_parser: CriteriaParser
) -> None:
    resident = with_changes(NO_QUALIFICATIONS, credentials=["functional-skills-english-l1"])
    result = assess(assessor, criteria_parser, resident, ENGLISH_AND_MATHS)
    assert steps(result) == ["functional-skills-english-l2", "functional-skills-maths-l2"]
    assert result.pathway is not None
    assert result.pathway.total_weeks == assessor.graph["functional-skills-english-l2"].weeks


def test_an_entry_level_esol_award_is_below_level_1(assessor: Assessor, criteria_parser: CriteriaParser) -> None:
    resident = with_changes(NO_QUALIFICATIONS, qualifications=[{"title": "ESOL Entry 3", "country": "GB"}])
    route = steps(assess(assessor, criteria_parser, resident, ENGLISH_AND_MATHS))
    assert in_order(route, ["functional-skills-english-l1", "functional-skills-english-l2"]), route


# -- properties ----------------------------------------------------------------------------------
_SKILLS = [
    "can take bloods",
    "patient observations",
    "personal care",
    "moving and handling",
    "infection control",
    "Excel",
    "customer service",
    "teamwork",
    "cleaning",
    "food hygiene",
]
_CREDENTIALS = ["care-certificate", "functional-skills-english-l2", "functional-skills-maths-l2", "nmc-cbt", "plab-1"]
_QUALIFICATIONS = [
    {"title": "BSc Nursing", "country": "PH"},
    {"title": "MBBS", "country": "PK"},
    {"title": "GCSE English grade 4", "country": "GB"},
    {"title": "NVQ Level 2 in Health and Social Care", "country": "GB"},
]
_EXPERIENCE = [
    {"title": "Healthcare assistant", "years": 2, "country": "GB"},
    {"title": "Staff Nurse", "years": 4, "country": "PH"},
    {"title": "Cleaner", "years": 1, "country": "GB"},
]
_VACANCIES = [
    HCA,
    STAFF_NURSE,
    CLINICAL_FELLOW,
    {
        "title": "Phlebotomist",
        "essential": [
            {"kind": "skill", "text": "venepuncture"},
            {"kind": "experience", "text": "healthcare assistant", "years": 1},
            "GCSE English and maths grade 4 (C) or Functional Skills Level 2",
        ],
        "desirable": [{"kind": "skill", "text": "infection prevention and control"}, "Care Certificate"],
    },
    {
        "title": "Catering Assistant",
        "essential": [{"kind": "skill", "text": "food hygiene"}, "Able to work as part of a team"],
        "desirable": [{"kind": "skill", "text": "customer service"}, {"kind": "skill", "text": "Microsoft Excel"}],
    },
]


@pytest.fixture(scope="module")
def parsed_vacancies(criteria_parser: CriteriaParser) -> list[ParsedVacancy]:
    return [criteria_parser.parse_vacancy(Vacancy.from_dict(v)) for v in _VACANCIES]


residents = st.fixed_dictionaries(
    {
        "skills": st.lists(st.sampled_from(_SKILLS), max_size=4, unique=True),
        "credentials": st.lists(st.sampled_from(_CREDENTIALS), max_size=2, unique=True),
        "qualifications": st.lists(st.sampled_from(_QUALIFICATIONS), max_size=2, unique_by=lambda q: q["title"]),
        "experience": st.lists(st.sampled_from(_EXPERIENCE), max_size=2, unique_by=lambda e: e["title"]),
        "language_tests": st.lists(st.sampled_from([IELTS_7_WRITING_6_5, OET_B]), max_size=1),
        "right_to_work": st.sampled_from(["yes", "no", "unknown"]),
    }
)


@given(resident=residents, which=st.integers(0, len(_VACANCIES) - 1), data=st.data())
@settings(max_examples=60, deadline=None)
def test_meeting_one_more_requirement_never_lowers_fit(
    assessor: Assessor,
    parsed_vacancies: list[ParsedVacancy],
    resident: dict[str, Any],
    which: int,
    data: st.DataObject,
) -> None:
    vacancy = parsed_vacancies[which]
    before = assessor.assess(Resident.from_dict(resident), vacancy, today=TODAY)
    assert 0.0 <= before.fit <= 1.0
    essentials = [r for r in before.requirements if r.requirement.decides_eligibility]
    assert before.eligible_now == (all(r.met for r in essentials) and resident["right_to_work"] == "yes")
    assert (before.blocked_by == ("right-to-work",)) == (resident["right_to_work"] == "no")
    gaps = [
        position
        for position, r in enumerate(before.requirements)
        if not r.met
        and (
            (r.requirement.kind == "skill" and r.requirement.label)
            or (r.requirement.kind == "credential" and r.requirement.credential in assessor.graph)
        )
    ]
    if not gaps:
        return
    position = data.draw(st.sampled_from(gaps))
    gap = before.requirements[position].requirement
    better = copy.deepcopy(resident)
    if gap.kind == "skill":
        better["skills"] = [*better["skills"], gap.label]
    else:
        better["credentials"] = [*better["credentials"], gap.credential]
    after = assessor.assess(Resident.from_dict(better), vacancy, today=TODAY)
    assert after.requirements[position].met, gap
    assert after.fit >= before.fit - 1e-9
    assert 0.0 <= after.fit <= 1.0
