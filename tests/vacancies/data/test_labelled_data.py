"""The labelled data the criteria reader is judged against, checked for consistency.

tests/vacancies/data/person_spec_criteria.json (person-specification lines as adverts write them,
labelled as a fair shortlisting panel reads them), fixtures/experience_settings.json (the settings
experience criteria name and which occupations meet them), and the shipped sample adverts, personas
and expected outcomes that cite them. These tests check the data against itself and against the
project's reference data; they do not run the engine, so they hold whatever the engine does.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from matcher.profile import Resident, Vacancy

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures"
CORPUS = json.loads((Path(__file__).parent / "person_spec_criteria.json").read_text(encoding="utf-8"))
SETTINGS = json.loads((FIXTURES / "experience_settings.json").read_text(encoding="utf-8"))
CREDENTIALS = {c["id"] for c in json.loads((FIXTURES / "credentials.json").read_text(encoding="utf-8"))["credentials"]}
PROPOSED = {p["id"]: p for p in CORPUS["proposed_credential_ids"]}
OCCUPATIONS = {
    o["id"]: o
    for o in json.loads((FIXTURES / "taxonomy" / "occupations.json").read_text(encoding="utf-8"))["occupations"]
}
VACANCIES = json.loads((FIXTURES / "vacancies.json").read_text(encoding="utf-8"))["vacancies"]
RESIDENTS = json.loads((FIXTURES / "residents.json").read_text(encoding="utf-8"))["residents"]
OUTCOMES = json.loads((FIXTURES / "expected_outcomes.json").read_text(encoding="utf-8"))

KINDS = {"credential", "qualification", "experience", "skill", "language", "check", "quality", "condition"}
CRITERIA: list[dict[str, Any]] = CORPUS["criteria"]
BY_TEXT = {c["text"]: c for c in CRITERIA}
SETTING_BY_ID = {s["id"]: s for s in SETTINGS["settings"]}


def label(criterion: dict[str, Any]) -> str:
    return criterion["text"][:60]


# -- the corpus of criteria ---------------------------------------------------------------------


def test_the_corpus_is_dated_sourced_and_large_enough() -> None:
    assert CORPUS["source"].strip()
    date.fromisoformat(CORPUS["as_of"])
    assert len(CRITERIA) >= 250
    assert len(BY_TEXT) == len(CRITERIA), "a line is labelled twice"


@pytest.mark.parametrize("criterion", CRITERIA, ids=label)
def test_each_criterion_is_labelled_consistently(criterion: dict[str, Any]) -> None:
    assert criterion["section"] in ("essential", "desirable")
    assert criterion["why"].strip()
    assert criterion["origin"].strip()
    if not criterion["understood"]:
        assert criterion["kind"] is None
        assert criterion["assessed"] is None
        return
    kind, assessed = criterion["kind"], criterion["assessed"]
    assert kind in KINDS
    assert assessed in ("profile", "interview", "after_offer")
    # DOMAIN.md, person specifications: qualities and willingness are judged at interview, checks after an offer.
    if kind in ("quality", "condition"):
        assert assessed == "interview"
    if kind == "check":
        assert assessed == "after_offer"
    if kind in ("credential", "check"):
        assert criterion["credentials"], "a registration or check names the credential ids that meet it"
    for cid in criterion["credentials"]:
        assert cid in CREDENTIALS or cid in PROPOSED, cid
    marker = criterion["marker"]
    if marker is not None:
        letters = marker.split("/")
        assert set(letters) <= set("ACIRTP")
        # A criterion judged only at interview, by a test or from references is never screened from the form.
        if kind in ("skill", "experience", "qualification") and not set(letters) & {"A", "C"}:
            assert assessed == "interview"
    if kind == "experience":
        assert criterion["setting"]
        for sid in criterion["setting_ids"]:
            assert sid in SETTING_BY_ID, sid
        assert criterion["years"] is None or criterion["years"] > 0
    else:
        assert not criterion["setting_ids"]
    if criterion["uk_only"] or criterion["recent"]:
        assert kind == "experience"
    if kind == "qualification":
        qualification = criterion["qualification"]
        assert qualification["field"]
        assert qualification["level"] is None or 1 <= qualification["level"] <= 8
        assert isinstance(qualification["or_equivalent"], bool)
        for route in qualification.get("routes", []):
            assert route
            assert all(cid in CREDENTIALS for cid in route), route
    else:
        assert criterion["qualification"] is None


def test_markers_are_read_as_printed() -> None:
    assert BY_TEXT["Knowledge of infection control (I)"]["marker"] == "I"
    assert BY_TEXT["Previous experience of working in a similar role - Application/Interview"]["marker"] == "A/I"
    assert BY_TEXT["Good knowledge of infection control - Assessed by: I"]["marker"] == "I"
    assert BY_TEXT["Venepuncture"]["marker"] is None
    for criterion in CRITERIA:
        if criterion["marker"]:
            tail = criterion["text"][-40:]
            words = {"A": "Applic", "I": "Interv", "T": "Test", "C": "Certif", "R": "Refer"}
            for letter in criterion["marker"].split("/"):
                assert letter in tail or words.get(letter, "?") in tail, criterion["text"]


def test_every_kind_and_place_is_represented() -> None:
    counts = {kind: sum(1 for c in CRITERIA if c["kind"] == kind) for kind in KINDS}
    assert min(counts.values()) >= 10, counts
    assert sum(1 for c in CRITERIA if not c["understood"]) >= 8
    assert {c["assessed"] for c in CRITERIA if c["understood"]} == {"profile", "interview", "after_offer"}
    assert sum(1 for c in CRITERIA if c["uk_only"]) >= 5
    assert sum(1 for c in CRITERIA if c["qualification"] and c["qualification"]["or_equivalent"]) >= 15


@pytest.mark.parametrize(
    ("text", "kind", "credentials"),
    [
        ("RN/RMN/RNLD", "credential", 3),
        ("Current NMC PIN", "credential", 1),
        ("HPC/HCPC registered (A)", "credential", 1),
        ("NMC registered nurse or midwife", "credential", 2),
        ("GPhC registered pharmacy technician", "credential", 1),
        ("GDC registered dental nurse", "credential", 1),
        ("Registered with Social Work England (A)", "credential", 1),
        ("RTW", "check", 1),
        ("Satisfactory CRB check", "check", 1),
        ("Eligible to work in the UK", "check", 1),
        ("Registered Nurse (Adult) with current NMC registration", "credential", 1),
        ("MRCP(UK) or equivalent (A/C)", "qualification", 0),
        ("Full UK driving licence", "condition", 0),
        ("Experience of working as part of a team (A/I)", "quality", 0),
        ("Degree in Pharmacy (MPharm) or OSPAP and a foundation year", "qualification", 0),
    ],
)
def test_the_issues_examples_are_labelled_as_a_panel_reads_them(text: str, kind: str, credentials: int) -> None:
    criterion = BY_TEXT[text]
    assert criterion["kind"] == kind
    assert len(criterion["credentials"]) == credentials


def test_the_ospap_route_closes_the_pharmacy_degree_line() -> None:
    line = BY_TEXT["Degree in Pharmacy (MPharm) or OSPAP and a foundation year"]["qualification"]
    assert ["ospap", "pharmacy-foundation-year"] in line["routes"]
    assert line["or_equivalent"] is False  # 'or OSPAP' is a route, not 'any pharmacy degree'


def test_uk_only_is_what_the_words_say() -> None:
    assert BY_TEXT["UK experience of working under the Mental Health Act 1983 (A/I)"]["uk_only"]
    assert BY_TEXT["NHS experience"]["uk_only"]
    assert not BY_TEXT["Experience of acute care, including as a student or overseas"]["uk_only"]
    assert not BY_TEXT["Experience of working in an office environment, ideally in the NHS (A)"]["uk_only"]


def test_proposed_credential_ids_are_new_sourced_and_point_at_known_ids() -> None:
    assert PROPOSED
    for proposal in PROPOSED.values():
        # A proposal the credential graph has adopted since is kept: the corpus still cites it.
        assert proposal["label"].strip()
        assert proposal["source"].strip()
        for cid in proposal["counts_as"]:
            assert cid in CREDENTIALS, cid
    used = {cid for c in CRITERIA for cid in c["credentials"]}
    assert set(PROPOSED) <= used, "a proposal no criterion needs"


def test_every_line_of_the_sample_adverts_is_labelled() -> None:
    unlabelled = [
        (v["id"], item)
        for v in VACANCIES
        for section in ("essential", "desirable")
        for item in v[section]
        if isinstance(item, str) and item not in BY_TEXT
    ]
    assert not unlabelled


# -- the experience settings ----------------------------------------------------------------------


@cache
def settings_met_by(occupation: str) -> frozenset[str]:
    """Every setting an occupation's experience meets, following broader links."""
    direct = {s["id"] for s in SETTINGS["settings"] if occupation in s["met_by_occupations"]}
    found = set(direct)
    changed = True
    while changed:
        changed = False
        for s in SETTINGS["settings"]:
            if s["id"] not in found and found & set(s["met_by_settings"]):
                found.add(s["id"])
                changed = True
    return frozenset(found)


def test_settings_are_dated_and_well_formed() -> None:
    assert SETTINGS["source"].strip()
    date.fromisoformat(SETTINGS["as_of"])
    ids = [s["id"] for s in SETTINGS["settings"]]
    assert len(ids) == len(set(ids))
    for s in SETTINGS["settings"]:
        assert re.fullmatch(r"setting-[a-z0-9-]+", s["id"])
        assert s["label"].strip()
        assert s["phrases"]
        assert s["source"].strip()
        assert s["confidence"] in ("high", "medium", "low")
        assert isinstance(s["nhs_only"], bool)
        for occupation in s["met_by_occupations"]:
            assert occupation in OCCUPATIONS, occupation
        for narrower in s["met_by_settings"]:
            assert narrower in SETTING_BY_ID
            assert narrower != s["id"]
        assert s["met_by_occupations"] or s["met_by_settings"] or s.get("how_met"), s["id"]


def test_settings_have_no_cycles() -> None:
    def walk(sid: str, path: tuple[str, ...]) -> None:
        assert sid not in path, (*path, sid)
        for narrower in SETTING_BY_ID[sid]["met_by_settings"]:
            walk(narrower, (*path, sid))

    for sid in SETTING_BY_ID:
        walk(sid, ())


@pytest.mark.parametrize(
    ("occupation", "meets", "does_not_meet"),
    [
        # A Medical Officer abroad (resident doctor) has worked in acute care on hospital wards.
        (
            "occ-resident-doctor",
            {"setting-acute-care", "setting-hospital-ward", "setting-health-or-social-care"},
            set(),
        ),
        (
            "occ-registered-nurse-adult",
            {"setting-acute-care", "setting-personal-care", "setting-nursing-practice"},
            set(),
        ),
        (
            "occ-care-worker",
            {"setting-health-or-social-care", "setting-personal-care", "setting-care-home"},
            {"setting-acute-care", "setting-nhs"},
        ),
        ("occ-cleaner", {"setting-cleaning"}, {"setting-health-or-social-care"}),
        (
            "occ-domestic-assistant",
            {"setting-cleaning", "setting-healthcare-cleaning", "setting-hospital-ward"},
            {"setting-acute-care"},
        ),
        ("occ-ward-clerk", {"setting-office", "setting-hospital-ward", "setting-healthcare"}, {"setting-acute-care"}),
        ("occ-retail-assistant", {"setting-customer-facing", "setting-retail"}, {"setting-catering"}),
        ("occ-kitchen-porter", {"setting-catering", "setting-cleaning"}, set()),
        ("occ-warehouse-operative", {"setting-manual-work", "setting-stock-control"}, {"setting-customer-facing"}),
        ("occ-taxi-driver", {"setting-customer-facing", "setting-driving"}, set()),
        ("occ-home-carer", {"setting-domiciliary-care", "setting-community", "setting-social-care"}, set()),
        ("occ-community-pharmacist", {"setting-pharmacy"}, set()),
        ("occ-mental-health-nurse", {"setting-mental-health", "setting-nursing-practice"}, {"setting-acute-care"}),
    ],
)
def test_jobs_meet_the_settings_a_recruiter_would_accept(
    occupation: str, meets: set[str], does_not_meet: set[str]
) -> None:
    found = settings_met_by(occupation)
    assert meets <= found, meets - found
    assert not (does_not_meet & found), does_not_meet & found


def test_only_the_nhs_itself_meets_nhs_experience() -> None:
    nhs = [s for s in SETTINGS["settings"] if s["nhs_only"]]
    assert [s["id"] for s in nhs] == ["setting-nhs"]
    assert not nhs[0]["met_by_occupations"]  # no title shows it: the same titles exist abroad and privately


# -- the sample adverts, personas and outcomes ------------------------------------------------------

SHIPPED_TITLES = {
    "v-001": "Healthcare Assistant - Adult Inpatient Wards",
    "v-002": "Senior Healthcare Assistant - Emergency Department",
    "v-003": "Domestic Assistant - Facilities",
    "v-004": "Porter",
    "v-005": "Catering Assistant",
    "v-006": "Ward Clerk - Medical Wards",
    "v-007": "Phlebotomist - Outpatients and Wards",
    "v-008": "Pharmacy Assistant - Dispensary",
    "v-009": "Pharmacy Technician - Medicines Optimisation",
    "v-010": "Staff Nurse - Acute Medical Unit",
    "v-011": "Pre-registration International Nurse (awaiting NMC registration)",
    "v-012": "Midwife - Delivery Suite",
    "v-013": "Clinical Fellow (Resident Doctor) - Acute Medicine",
    "v-014": "Specialty Doctor - General Internal Medicine",
    "v-015": "Rotational Pharmacist",
    "v-016": "Physiotherapist - Rotational",
    "v-017": "Biomedical Scientist - Blood Sciences",
    "v-018": "Medical Laboratory Assistant - Specimen Reception",
    "v-019": "Trainee Nursing Associate (apprenticeship)",
    "v-020": "Trainee Dental Nurse - Oral and Maxillofacial Surgery",
    "v-021": "Specialty Dentist - Oral Surgery",
    "v-022": "Home Care Assistant",
    "v-023": "Receptionist / Patient Services Administrator",
}


def test_sample_adverts_keep_their_ids_and_roles() -> None:
    ids = [v["id"] for v in VACANCIES]
    assert ids == [f"v-{n:03d}" for n in range(1, len(ids) + 1)]
    assert len(ids) >= 31
    for vacancy in VACANCIES:
        Vacancy.from_dict(vacancy)
        if vacancy["id"] in SHIPPED_TITLES:
            assert vacancy["title"] == SHIPPED_TITLES[vacancy["id"]]


def test_sample_adverts_mix_what_real_ones_do() -> None:
    kinds_per_advert = []
    for vacancy in VACANCIES:
        kinds = {BY_TEXT[i]["kind"] for i in vacancy["essential"] if isinstance(i, str) and i in BY_TEXT}
        kinds_per_advert.append(kinds)
    assert sum(1 for k in kinds_per_advert if k & {"quality", "condition"}) >= 0.9 * len(VACANCIES)
    assert sum(1 for k in kinds_per_advert if "experience" in k) >= 15
    markers = [BY_TEXT[i]["marker"] for v in VACANCIES for i in v["essential"] if isinstance(i, str)]
    assert sum(1 for m in markers if m) >= 0.7 * len(markers)


def test_personas_are_valid_and_numbered_in_order() -> None:
    ids = [r["id"] for r in RESIDENTS]
    assert ids == [f"r-{n:03d}" for n in range(1, len(ids) + 1)]
    assert len(ids) >= 39
    for record in RESIDENTS:
        assert record["persona"].strip()
        Resident.from_dict(record)
    statuses = {r["right_to_work"] for r in RESIDENTS}
    assert statuses == {"yes", "no", "unknown"}


def test_outcomes_treat_right_to_work_no_and_unknown_differently() -> None:
    rtw = {r["id"]: r["right_to_work"] for r in RESIDENTS}
    for case in OUTCOMES["cases"]:
        status = rtw[case["resident"]]
        if status == "no":
            assert case["blocked_by"] == ["right-to-work"], case
            assert not case["eligible_now"], case
        else:
            assert "right-to-work" not in case["blocked_by"], case
        if status == "unknown":
            assert not case["eligible_now"], case
            assert "right-to-work" in case["pathway_must_not_contain"], case


def test_outcomes_name_known_steps_and_date_their_changes() -> None:
    updated = date.fromisoformat(OUTCOMES["updated"])
    for case in OUTCOMES["cases"]:
        for cid in (case["pathway"] or []) + case["pathway_must_not_contain"]:
            assert cid in CREDENTIALS, cid
        if "as_of" in case:
            assert date.fromisoformat(case["as_of"]) <= updated
        if case["eligible_now"]:
            assert case["pathway"] is None
            assert case["blocked_by"] == []
    assert sum(1 for c in OUTCOMES["cases"] if "as_of" in c) >= 30
