"""Changing answers on /me/answers must not lose what the checker's form never shows."""

from __future__ import annotations

from api.web.forms import form_from_record, keep_what_the_form_hides, resident_from_form

STORED = {
    "experience": [
        {"title": "Staff Nurse", "employer": "Lahore General Hospital", "years": 6, "country": "PK", "until": 2021},
        {"title": "Care assistant", "employer": "Oak Lodge", "years": 2, "country": "GB"},
    ],
    "qualifications": [{"title": "BSc Nursing", "country": "PK", "year": 2014, "taught_in_english": True}],
    "right_to_work": "yes",
}


def test_a_saved_form_keeps_employers_end_years_and_teaching_language() -> None:
    read = resident_from_form(form_from_record(STORED))
    assert "employer" not in read.record["experience"][0]  # the form alone loses them
    kept = keep_what_the_form_hides(STORED, read.record)
    assert kept["experience"][0]["employer"] == "Lahore General Hospital"
    assert kept["experience"][0]["until"] == 2021
    assert kept["experience"][1]["employer"] == "Oak Lodge"
    assert kept["qualifications"][0]["taught_in_english"] is True


def test_a_job_the_resident_retitled_or_removed_takes_nothing_from_the_old_one() -> None:
    form = form_from_record(STORED)
    form["x-0-title"] = "Healthcare assistant"
    del form["x-1-title"], form["x-1-years"], form["x-1-country"]
    kept = keep_what_the_form_hides(STORED, resident_from_form(form).record)
    assert kept["experience"] == [{"title": "Healthcare assistant", "years": 6, "country": "PK"}]
    # A field the form shows and the resident changed is theirs.
    form = form_from_record(STORED)
    form["x-0-country"] = "IN"
    assert keep_what_the_form_hides(STORED, resident_from_form(form).record)["experience"][0]["country"] == "IN"
