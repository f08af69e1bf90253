"""/check in the resident's own words, and advisers' drafts from CVs: pre-filled, checked, kept only on saving."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.models import ProfileDraft, Resident
from tests.api.support import IssuedToken

from .pages import csrf, sign_in, text

DATA = Path(__file__).resolve().parents[2] / "extract" / "data"
STORY = (DATA / "stories" / "s03_carer_no_quals.txt").read_text(encoding="utf-8")


def _count(app: Flask, model: type) -> int:
    with Session(app.extensions["useit_db"]) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _value(html: str, name: str) -> str | None:
    found = re.search(rf'<input id="{re.escape(name)}" name="[^"]+" type="[^"]+" value="([^"]*)"', html)
    return unescape(found.group(1)) if found else None


def test_check_starts_with_a_choice(db_app: Flask) -> None:
    page = text(db_app.test_client().get("/check"))
    assert "Tell us in your own words" in page
    assert "Fill in the form" in page


def test_a_story_fills_in_the_form_with_where_each_answer_came_from(db_app: Flask) -> None:
    browser = db_app.test_client()
    before = _count(db_app, Resident)
    response = browser.post("/check/words", data={"text": STORY, "csrf_token": csrf(browser, "/check/words")})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _value(html, "x-1-title") == "cleaner"
    assert _value(html, "x-1-years") == "2"
    assert _value(html, "postcode") == "B66"
    assert 'value="care-certificate" checked' in html
    words = text(response)
    assert "We filled in the form from your words" in words
    assert "From your words: “Before that I was a cleaner in a school for 2 years.”" in words
    assert "personal care: from your words, “helping with washing”" in words
    assert _count(db_app, Resident) == before  # nothing is stored


def test_a_cv_file_says_from_your_cv(db_app: Flask) -> None:
    browser = db_app.test_client()
    pdf = (DATA / "cvs" / "c01_nurse_pakistan.pdf").read_bytes()
    response = browser.post(
        "/check/words",
        data={"file": (io.BytesIO(pdf), "cv.pdf"), "csrf_token": csrf(browser, "/check/words")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "From your CV: “Staff Nurse, Lahore General Hospital, 2016-2021”" in text(response)
    html = response.get_data(as_text=True)
    # The right to work is never answered for the resident: no choice is made for them, and the
    # hint sits beside the question.
    assert not re.search(r'name="right_to_work"[^>]*value="(yes|no|unknown)"[^>]*checked', html)
    assert "Skilled Worker dependant visa" in text(response)


def test_a_scan_is_refused_with_what_to_do(db_app: Flask) -> None:
    browser = db_app.test_client()
    response = browser.post(
        "/check/words",
        data={
            "file": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "cv.png"),
            "csrf_token": csrf(browser, "/check/words"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "we could not read text in this file; type it or ask an adviser" in text(response)


def test_nothing_sent_asks_for_words_or_a_file(db_app: Flask) -> None:
    browser = db_app.test_client()
    response = browser.post("/check/words", data={"text": " ", "csrf_token": csrf(browser, "/check/words")})
    assert response.status_code == 422
    assert "Write something about your work and studies" in text(response)


def test_removed_rows_are_left_out_when_checking(db_app: Flask) -> None:
    browser = db_app.test_client()
    token = csrf(browser, "/check")
    form = {
        "csrf_token": token,
        "x-0-title": "Staff Nurse",
        "x-0-years": "5",
        "x-0-country": "PK",
        "t-0-test": "IELTS Academic",
        "t-0-overall": "7",
        "t-0-writing": "6.5",
        "right_to_work": "yes",
        "remove": "t-0",
    }
    response = browser.post("/check", data=form)
    assert response.status_code == 200, text(response)
    assert "Your routes into NHS jobs" in text(response)
    del form["remove"]
    assert browser.post("/check", data=form).status_code == 422  # the half-filled test needs its parts


def test_an_adviser_reads_a_cv_checks_it_and_saves_a_resident(db_app: Flask, issue: Callable[..., IssuedToken]) -> None:
    browser = db_app.test_client()
    sign_in(browser, issue(role="adviser").secret)
    docx = (DATA / "cvs" / "c07_nurse_philippines.docx").read_bytes()
    residents = _count(db_app, Resident)
    response = browser.post(
        "/adviser/drafts",
        data={"file": (io.BytesIO(docx), "maria-cv.docx"), "csrf_token": csrf(browser, "/adviser/drafts")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    review = response.headers["Location"]
    assert "maria-cv.docx" in text(browser.get("/adviser/drafts"))
    page = browser.get(review)
    assert "From your CV: “NMC PIN: 24C0456P (Registered Nurse - Adult)”" in text(page)
    assert _count(db_app, Resident) == residents  # a draft is not a resident

    html = page.get_data(as_text=True)
    form = {
        m.group(1): unescape(m.group(2))
        for m in re.finditer(r'<input id="[^"]+" name="([^"]+)" type="(?:text|date)" value="([^"]*)"', html)
    }
    for menu in re.finditer(r'<select id="[^"]+" name="([^"]+)">(.*?)</select>', html, re.S):
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)<', menu.group(2))
        if chosen:
            form[menu.group(1)] = chosen.group(1) if chosen.group(1) is not None else chosen.group(2)
    form.update({"csrf_token": csrf(browser, review), "credentials": "nmc-registration-nurse", "right_to_work": "yes"})
    refused = browser.post(review, data=form)
    assert refused.status_code == 422
    assert "Tick the box once the resident has checked these answers" in text(refused)

    saved = browser.post(review, data={**form, "consent": "yes", "name": "Maria (invented)"})
    assert saved.status_code == 302, text(saved)[:3000]
    assert "/plan" in saved.headers["Location"]
    assert _count(db_app, Resident) == residents + 1
    with Session(db_app.extensions["useit_db"]) as session:
        assert session.get(ProfileDraft, review.rsplit("/", 1)[1]) is None  # confirmed: the draft is gone
