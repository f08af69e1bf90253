"""What a resident would notice: each kind of item read from the way people write it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import Resident
from profiles import DocumentError, ProfileExtractor


def _values(extractor: ProfileExtractor, text: str, kind: str) -> list[dict]:
    return [i.value for i in extractor.extract(text).items if i.kind == kind]


def test_a_cv_line_becomes_a_job_with_years_and_country(extractor: ProfileExtractor) -> None:
    (job,) = _values(extractor, "Staff Nurse, Lahore General Hospital, 2016-2021", "experience")
    assert job == {"title": "Staff Nurse", "employer": "Lahore General Hospital", "country": "PK", "years": 5.0}


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("I worked as a porter at City Hospital from Jan 2019 - present.", 7.9),
        ("I was a cleaner in a school for 3 years.", 3.0),
        ("I worked as a healthcare assistant for 18 months.", 1.5),
        ("Since March 2021 I work as a pharmacy assistant in Boots.", 5.8),
    ],
)
def test_years_from_ranges_and_durations(extractor: ProfileExtractor, text: str, years: float) -> None:
    (job,) = _values(extractor, text, "experience")
    assert job["years"] == pytest.approx(years, abs=0.15)


def test_ielts_with_one_part_asks_for_the_rest(extractor: ProfileExtractor) -> None:
    draft = extractor.extract("IELTS 7 (W 6.5) in March 2026.")
    (test,) = [i for i in draft.items if i.kind == "language_test"]
    assert test.value == {"test": "IELTS Academic", "overall": 7.0, "writing": 6.5, "date": "2026-03-01"}
    assert test.missing == ("listening", "reading", "speaking")
    assert draft.profile["language_tests"] == []  # not counted until the resident gives all four


def test_oet_grades_in_a_row_are_listening_reading_writing_speaking(extractor: ProfileExtractor) -> None:
    (test,) = _values(extractor, "I got OET B B B C+ in September 2026.", "language_test")
    assert test == {
        "test": "OET",
        "listening": "B",
        "reading": "B",
        "writing": "B",
        "speaking": "C+",
        "date": "2026-09-01",
    }


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("PLAB 1 passed 2025", ["plab-1"]),
        ("I passed PLAB 1 in 2025, now I am preparing for PLAB 2.", ["plab-1"]),
        ("NMC: eligibility approved, CBT booked for January 2027", []),
        ("NMC PIN: 24C0456P", ["nmc-registration-nurse"]),
        ("GMC registration: not yet", []),
        ("I want to do OSPAP.", []),
        ("I have an enhanced DBS.", ["dbs-enhanced"]),
        ("PLAB 1 and PLAB 2 passed; GMC registration application in progress", ["plab-1", "plab-2"]),
    ],
)
def test_credentials_count_only_when_held(extractor: ProfileExtractor, text: str, held: list[str]) -> None:
    assert sorted(extractor.extract(text).profile["credentials"]) == held


def test_skills_from_a_sentence_of_care_work(extractor: ProfileExtractor) -> None:
    text = "I looked after elderly residents, helping with washing, dressing and meals."
    found = {v["label"] for v in _values(extractor, text, "skill")}
    assert {"personal care", "assisting with dressing", "feeding assistance", "elderly care"} <= found


def test_right_to_work_is_a_hint_never_an_answer(extractor: ProfileExtractor) -> None:
    draft = extractor.extract("I am waiting for Home Office decision on my asylum claim. I speak Tigrinya.")
    assert draft.profile["right_to_work"] == "unknown"
    (hint,) = [i for i in draft.items if i.kind == "right_to_work"]
    assert hint.value == {"hint": "no"}
    assert not draft.in_profile[draft.items.index(hint)]


def test_languages_only_where_people_say_they_speak_them(extractor: ProfileExtractor) -> None:
    draft = extractor.extract("I have GCSE English grade 4. I speak Urdu and Punjabi.")
    assert [
        v["language"] for v in _values(extractor, "I have GCSE English grade 4. I speak Urdu and Punjabi.", "language")
    ] == ["Urdu", "Punjabi"]
    assert "spoken English" not in draft.profile["skills"]


@pytest.mark.parametrize("text", ["", "   \n ", "!!!", 42])
def test_empty_text_is_refused(extractor: ProfileExtractor, text: object) -> None:
    with pytest.raises(DocumentError) as caught:
        extractor.extract(text)  # type: ignore[arg-type]
    assert caught.value.code == "empty"


def test_text_over_the_limit_is_refused(extractor: ProfileExtractor) -> None:
    with pytest.raises(DocumentError) as caught:
        extractor.extract("I was a nurse. " * 5_000)
    assert caught.value.code == "too_long"


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=3, max_size=400))
def test_any_text_gives_a_valid_draft_or_a_clear_refusal(extractor: ProfileExtractor, text: str) -> None:
    try:
        draft = extractor.extract(text)
    except DocumentError as exc:
        refused = exc.code
    else:
        refused = None
    if refused is not None:
        assert refused in ("empty", "too_long")
        return
    Resident.from_dict(draft.profile)
    for item in draft.items:
        assert text[item.span.start : item.span.end] == item.span.text


def test_a_cv_line_with_the_dates_first_and_a_colon(extractor: ProfileExtractor) -> None:
    text = "Work History\nJan 2014 – Dec 2022: General Dental Practitioner, Smile Dental Clinic, Baghdad, Iraq\n"
    text += "Education\nB.D.S., University of Baghdad College of Dentistry, 2013\n"
    (job,) = _values(extractor, text, "experience")
    assert job == {
        "title": "General Dental Practitioner",
        "employer": "Smile Dental Clinic",
        "country": "IQ",
        "years": 9.0,
    }


def test_a_status_line_saying_refugee_is_a_hint(extractor: ProfileExtractor) -> None:
    text = "Languages: Arabic, English\nImmigration status: Refugee (leave to remain until 2028)\n"
    draft = extractor.extract(text)
    assert {i.kind: i.value["hint"] for i in draft.items if "hint" in i.value} == {
        "right_to_work": "yes",
        "immigration_status": "refugee",
    }
    assert draft.profile["right_to_work"] == "unknown"


def test_a_job_in_a_cafe_keeps_its_duties_as_skills(extractor: ProfileExtractor) -> None:
    text = "here i work in cafe making coffee and cleaning tables since 2023. my english is intermediate."
    draft = extractor.extract(text)
    (job,) = _values(extractor, text, "experience")
    assert job["title"] == "Catering assistant"  # guessed from the workplace, with a note to check it
    assert job["employer"] == "cafe"
    assert {"barista", "general cleaning", "spoken English"} <= set(draft.profile["skills"])
