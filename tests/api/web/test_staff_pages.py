"""Advisers' and recruiters' pages: candidates with evidence, plans, posting, pipeline, consent."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import AuditEntry, Vacancy
from tests.api.support import OTHER_TRUST, TRUST, IssuedToken, count_rows, hca_profile, mbbs_profile, vacancy_body

from .pages import post_form, sign_in, text


@pytest.fixture(scope="module")
def hca_post(db_app: Flask, issue: Callable[..., IssuedToken]) -> tuple[str, list[dict[str, str]]]:
    """The trust's HCA vacancy and three eligible residents with names."""
    client = db_app.test_client()
    admin = issue(role="admin").headers
    vacancy = client.post("/api/v1/vacancies", json=vacancy_body("v-001"), headers=admin).get_json()["id"]
    people = [client.post("/api/v1/residents", json=hca_profile(), headers=admin).get_json() for _ in range(3)]
    return vacancy, people


@pytest.fixture
def adviser(db_app: Flask, issue: Callable[..., IssuedToken]) -> FlaskClient:
    browser = db_app.test_client()
    sign_in(browser, issue(role="adviser").secret)
    return browser


@pytest.fixture
def recruiter(db_app: Flask, issue: Callable[..., IssuedToken]) -> FlaskClient:
    browser = db_app.test_client()
    sign_in(browser, issue(role="recruiter", employer=TRUST).secret)
    return browser


def _audited(app: Flask, resident_id: str, action: str) -> int:
    with Session(app.extensions["useit_db"]) as session:
        return len(
            session.scalars(
                select(AuditEntry).where(AuditEntry.resource_id == resident_id, AuditEntry.action == action)
            ).all()
        )


def test_adviser_sees_named_candidates_with_evidence_and_the_read_is_audited(
    db_app: Flask, adviser: FlaskClient, hca_post: tuple[str, list[dict[str, str]]]
) -> None:
    vacancy, people = hca_post
    before = _audited(db_app, people[0]["id"], "read_match")
    page = adviser.get(f"/adviser/vacancies/{vacancy}?limit=50")
    assert page.status_code == 200
    words = text(page)
    for person in people:
        assert person["name"] in words
    assert "Meets every essential requirement" in words
    assert "Evidence for each requirement" in words
    assert "Care Certificate" in words
    assert _audited(db_app, people[0]["id"], "read_match") == before + 1


def test_the_plan_is_printable_and_audited(
    db_app: Flask, adviser: FlaskClient, hca_post: tuple[str, list[dict[str, str]]]
) -> None:
    _, people = hca_post
    before = _audited(db_app, people[1]["id"], "read")
    page = adviser.get(f"/adviser/residents/{people[1]['id']}/plan")
    assert page.status_code == 200
    words = text(page)
    assert f"Routes into NHS jobs for {people[1]['name']}" in words
    assert "Healthcare Assistant" in words
    assert "£25,272 a year (2026/27 pay, to be confirmed)" in words  # band 2: 2025/26 + 3.3%, derived
    assert "Immigration status" in words
    assert "data-print" in page.get_data(as_text=True)
    assert _audited(db_app, people[1]["id"], "read") == before + 1


def test_adviser_finds_residents_by_name_and_vacancies_by_title(
    adviser: FlaskClient, hca_post: tuple[str, list[dict[str, str]]]
) -> None:
    _, people = hca_post
    found = text(adviser.get("/adviser/residents", query_string={"q": people[2]["name"]}))
    assert "1 resident matching" in found
    assert people[2]["name"] in found
    assert "Healthcare Assistant" in text(adviser.get("/adviser", query_string={"q": "healthcare ASSISTANT"}))
    assert "0 open vacancies" in text(adviser.get("/adviser", query_string={"q": "%"}))  # a wildcard is just text


def test_a_missing_resident_or_vacancy_is_a_404_page(adviser: FlaskClient) -> None:
    for url in ("/adviser/residents/r-0000000000000000/plan", "/adviser/vacancies/v-0000000000000000"):
        response = adviser.get(url)
        assert response.status_code == 404
        assert response.mimetype == "text/html"


def test_recruiter_sees_candidates_pseudonymised_until_they_consent(
    db_app: Flask, recruiter: FlaskClient, hca_post: tuple[str, list[dict[str, str]]], issue: Callable[..., IssuedToken]
) -> None:
    vacancy, people = hca_post
    page = recruiter.get(f"/recruiter/vacancies/{vacancy}")
    assert page.status_code == 200
    words = text(page)
    for person in people:
        assert person["name"] not in words
        assert person["contact"] not in words
    assert "Candidate " in words
    assert "lives in B66" in words
    assert "B66 2QT" not in words
    # One resident agrees to share with the trust: that one is named, the others stay anonymous.
    resident_token = issue(role="resident", resident_id=people[0]["id"])
    consent = db_app.test_client().put(
        f"/api/v1/residents/{people[0]['id']}/consents", json={"employers": [TRUST]}, headers=resident_token.headers
    )
    assert consent.status_code == 200
    words = text(recruiter.get(f"/recruiter/vacancies/{vacancy}"))
    assert people[0]["name"] in words
    assert people[1]["name"] not in words


def test_pipeline_counts_who_will_be_ready(
    db_app: Flask, recruiter: FlaskClient, hca_post: tuple[str, list[dict[str, str]]]
) -> None:
    vacancy, _ = hca_post
    words = text(recruiter.get(f"/recruiter/vacancies/{vacancy}"))
    counts = dict(re.findall(r"(Ready now|Ready within \d+ months) (\d+)", words))
    assert set(counts) == {"Ready now", "Ready within 3 months", "Ready within 6 months", "Ready within 12 months"}
    ready = [int(counts[k]) for k in ("Ready now", "Ready within 3 months", "Ready within 6 months")]
    assert ready[0] >= 3  # the three eligible residents
    assert ready == sorted(ready)  # cumulative: never fewer later


def test_posting_a_vacancy_names_every_problem_and_writes_nothing(db_app: Flask, recruiter: FlaskClient) -> None:
    before = count_rows(db_app)["vacancies"]
    response = post_form(recruiter, "/recruiter/vacancies/new", {"closing_date": "2020-01-01", "band": "12345678901"})
    assert response.status_code == 422
    words = text(response)
    for message in (
        "Job title: enter the job title",
        "Closing date: the date has passed",
        "Essential criteria: give at least one",
        "Band: at most 10 characters",
    ):
        assert message in words
    assert count_rows(db_app)["vacancies"] == before


def test_posting_a_vacancy_stores_it_parsed_and_shows_how_it_was_read(db_app: Flask, recruiter: FlaskClient) -> None:
    closes = (date.today() + timedelta(days=30)).isoformat()
    form = {
        "title": "Phlebotomist <script>alert(1)</script>",
        "band": "3",
        "closing_date": closes,
        "hours": "full_time",
        "contract": "permanent",
        "essential-0-text": "Venepuncture experience",
        "essential-6-text": "GCSE English and maths grade 4 or Functional Skills Level 2",  # an added row
        "desirable-0-text": "Care Certificate",
    }
    before = count_rows(db_app)["vacancies"]
    # First how each criterion will be read, nothing stored; then posted as read.
    preview = post_form(recruiter, "/recruiter/vacancies/new", form)
    assert preview.status_code == 200
    said = text(preview)
    assert "How we will read your criteria" in said
    assert "Functional Skills English Level 2" in said
    assert count_rows(db_app)["vacancies"] == before
    read = re.search(r'name="read" value="([0-9a-f]+)"', preview.get_data(as_text=True))
    assert read
    response = post_form(recruiter, "/recruiter/vacancies/new", {**form, "action": "post", "read": read.group(1)})
    assert response.status_code == 303
    page = recruiter.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    words = text(page)
    assert "Your vacancy is posted" in words
    assert "Functional Skills English Level 2" in words
    assert "Care Certificate" in words
    assert "£25,760 to £27,476 a year (2026/27 pay, to be confirmed)" in words
    vacancy_id = response.headers["Location"].split("/")[-1].split("?")[0]
    with Session(db_app.extensions["useit_db"]) as session:
        row = session.get(Vacancy, vacancy_id)
        assert row is not None
        assert row.employer == TRUST
        assert row.parsed
        assert len(row.parsed["requirements"]) >= 3


def test_a_recruiter_cannot_see_another_employers_vacancy(
    db_app: Flask, issue: Callable[..., IssuedToken], hca_post: tuple[str, list[dict[str, str]]]
) -> None:
    browser = db_app.test_client()
    sign_in(browser, issue(role="recruiter", employer=OTHER_TRUST).secret)
    assert browser.get(f"/recruiter/vacancies/{hca_post[0]}").status_code == 403
    assert "Healthcare Assistant" not in text(browser.get("/recruiter"))


def test_insights_page_charts_the_credential_that_unlocks_most(
    db_app: Flask, issue: Callable[..., IssuedToken], adviser: FlaskClient
) -> None:
    """Two care workers one Functional Skills English course away from a trainee nursing associate post."""
    client = db_app.test_client()
    admin = issue(role="admin").headers
    for _ in range(2):
        resident = {
            "skills": ["personal care", "moving and handling"],
            "experience": [{"title": "Healthcare assistant", "years": 3, "country": "GB"}],
            "qualifications": [{"title": "GCSE Maths grade 5", "country": "GB"}],
            "right_to_work": "yes",
        }
        assert client.post("/api/v1/residents", json=resident, headers=admin).status_code == 201
    vacancy = vacancy_body(
        "v-001",
        title="Trainee Nursing Associate",
        band="3",
        essential=["GCSE English grade 4 (C) or Functional Skills Level 2 English"],
        desirable=[],
    )
    assert client.post("/api/v1/vacancies", json=vacancy, headers=admin).status_code == 201
    page = adviser.get("/insights")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html
    assert 'role="img"' in html
    row = re.search(r"Functional Skills English Level 2 \([^)]*\) (\d+) (\d+)", text(page))
    assert row, text(page)
    assert int(row.group(1)) >= 2


def test_insights_page_shows_supply_and_demand_by_occupation_and_area(
    db_app: Flask, adviser: FlaskClient, hca_post: tuple[str, list[dict[str, str]]]
) -> None:
    page = adviser.get("/insights")
    words = text(page)
    assert "Supply and demand by occupation" in words
    row = re.search(r"Healthcare assistant (\d+) (\d+) (\d+) (\d+)\+? £25,272", words)
    assert row, words
    demand, _supply, _related, eligible = (int(g) for g in row.groups())
    assert demand >= 1
    assert eligible >= 3  # the three eligible HCAs
    assert "B66" in words  # residents by postcode district, never a full postcode
    assert "B66 2QT" not in words
    html = page.get_data(as_text=True)
    assert '<title id="residents-with-the-background-against-open-vacancies-title">' in html
    assert '<title id="registered-residents-by-postcode-district-title">' in html


def test_searches_treat_wildcards_as_plain_text(
    adviser: FlaskClient, hca_post: tuple[str, list[dict[str, str]]]
) -> None:
    for wildcard in ("%", "_", "\\"):
        assert "0 residents" in text(adviser.get("/adviser/residents", query_string={"q": wildcard}))
        assert "0 open vacancies" in text(adviser.get("/adviser", query_string={"q": wildcard}))
    assert "1 resident matching" in text(adviser.get("/adviser/residents", query_string={"q": hca_post[1][0]["name"]}))


def _preview_then_post(client: FlaskClient, url: str, form: dict[str, str], **extra: str) -> tuple[int, str, str]:
    preview = post_form(client, url, form)
    read = re.search(r'name="read" value="([0-9a-f]+)"', preview.get_data(as_text=True))
    assert read, text(preview)
    response = post_form(client, url, {**form, "action": "post", "read": read.group(1), **extra})
    return response.status_code, response.headers.get("Location", ""), text(response)


def _vacancy_form(**changes: str) -> dict[str, str]:
    return {
        "title": "Ward Clerk",
        "band": "2",
        "closing_date": (date.today() + timedelta(days=30)).isoformat(),
        "essential-0-text": "GCSE English and maths grade 4 or Functional Skills Level 2",
        "essential-1-text": "Good with people in a flurbish way",
        **changes,
    }


def test_the_preview_warns_of_criteria_it_could_not_read(db_app: Flask, recruiter: FlaskClient) -> None:
    before = count_rows(db_app)["vacancies"]
    preview = post_form(recruiter, "/recruiter/vacancies/new", _vacancy_form(**{"essential-1-text": "Zorblax qwerty"}))
    words = text(preview)
    assert "We could not read 1 criterion" in words
    assert "Zorblax qwerty" in words
    # Criteria changed after the preview are read again before anything is stored.
    changed = _vacancy_form(**{"essential-1-text": "Phlebotomy"})
    read = re.search(r'name="read" value="([0-9a-f]+)"', preview.get_data(as_text=True))
    assert read
    again = post_form(recruiter, "/recruiter/vacancies/new", {**changed, "action": "post", "read": read.group(1)})
    assert again.status_code == 200
    assert "How we will read your criteria" in text(again)
    assert count_rows(db_app)["vacancies"] == before


def test_posting_the_same_vacancy_twice_asks_first(db_app: Flask, recruiter: FlaskClient) -> None:
    form = _vacancy_form(title="Housekeeper")
    status, _, _ = _preview_then_post(recruiter, "/recruiter/vacancies/new", form)
    assert status == 303
    before = count_rows(db_app)["vacancies"]
    status, _, words = _preview_then_post(recruiter, "/recruiter/vacancies/new", form)
    assert status == 200  # asked, not posted
    assert "You already have this vacancy open" in words
    assert count_rows(db_app)["vacancies"] == before
    status, _, _ = _preview_then_post(recruiter, "/recruiter/vacancies/new", form, duplicate_ok="yes")
    assert status == 303
    assert count_rows(db_app)["vacancies"] == before + 1


def test_a_recruiter_changes_and_withdraws_a_vacancy(db_app: Flask, recruiter: FlaskClient) -> None:
    status, location, _ = _preview_then_post(recruiter, "/recruiter/vacancies/new", _vacancy_form(title="Porter"))
    assert status == 303
    vacancy_id = location.split("/")[-1].split("?")[0]
    edit_url = f"/recruiter/vacancies/{vacancy_id}/edit"
    form_page = recruiter.get(edit_url)
    assert form_page.status_code == 200
    html = form_page.get_data(as_text=True)
    assert 'value="Porter"' in html
    version = re.search(r'name="version" value="(\d+)"', html)
    assert version
    changed = _vacancy_form(title="Porter (nights)", version=version.group(1))
    status, location, words = _preview_then_post(recruiter, edit_url, changed)
    assert status == 303, words
    assert "Your changes are saved" in text(recruiter.get(location))
    with Session(db_app.extensions["useit_db"]) as session:
        row = session.get(Vacancy, vacancy_id)
        assert row is not None
        assert row.title == "Porter (nights)"
    # An edit from a page read before that change is refused, not silently applied.
    status, _, words = _preview_then_post(recruiter, edit_url, {**changed, "title": "Porter (days)"})
    assert status == 409 or "changed by someone else" in words

    before = count_rows(db_app)["vacancies"]
    unticked = post_form(recruiter, f"/recruiter/vacancies/{vacancy_id}/withdraw", {}, form_page=location)
    assert unticked.status_code == 303
    assert "has not been withdrawn" in text(recruiter.get(unticked.headers["Location"]))
    assert count_rows(db_app)["vacancies"] == before
    gone = post_form(recruiter, f"/recruiter/vacancies/{vacancy_id}/withdraw", {"confirm": "yes"}, form_page=location)
    assert gone.status_code == 303
    assert "Porter (nights) has been withdrawn" in text(recruiter.get(gone.headers["Location"]))
    assert count_rows(db_app)["vacancies"] == before - 1
    assert recruiter.get(f"/recruiter/vacancies/{vacancy_id}").status_code == 404


def test_another_employers_recruiter_cannot_change_or_withdraw(
    db_app: Flask, issue: Callable[..., IssuedToken], hca_post: tuple[str, list[dict[str, str]]]
) -> None:
    other = db_app.test_client()
    sign_in(other, issue(role="recruiter", employer=OTHER_TRUST).secret)
    assert other.get(f"/recruiter/vacancies/{hca_post[0]}/edit").status_code == 403
    refused = post_form(
        other, f"/recruiter/vacancies/{hca_post[0]}/withdraw", {"confirm": "yes"}, form_page="/recruiter"
    )
    assert refused.status_code == 403


def test_candidates_say_in_words_where_they_stand_and_the_pipeline_agrees(
    db_app: Flask, issue: Callable[..., IssuedToken], recruiter: FlaskClient
) -> None:
    """Three HCAs ready now, two more ready once they show their right to work, one a Care
    Certificate away: the list says so of each, and the pipeline counts the same."""
    client = db_app.test_client()
    admin = issue(role="admin").headers
    vacancy = client.post(
        "/api/v1/vacancies", json=vacancy_body("v-001", title=f"HCA {id(client)}"), headers=admin
    ).get_json()["id"]
    for right in ("yes", "yes", "yes", "unknown", "unknown"):
        client.post("/api/v1/residents", json={**hca_profile(), "right_to_work": right}, headers=admin)
    words = text(recruiter.get(f"/recruiter/vacancies/{vacancy}"))
    assert "In order: first those ready now" in words
    listed_now = words.count("Ready now: meets every essential requirement")
    listed_rtw = words.count("Ready now, once they show the right to work in the UK")
    assert listed_now >= 3
    assert listed_rtw >= 2
    counts = dict(re.findall(r"(Ready now|Ready within \d+ months) (\d+)", words))
    assert int(counts["Ready now"]) >= listed_now + listed_rtw


def test_an_adviser_finds_residents_by_profession_qualification_country_english_and_readiness(
    db_app: Flask, issue: Callable[..., IssuedToken], adviser: FlaskClient, hca_post: tuple[str, list[dict[str, str]]]
) -> None:
    client = db_app.test_client()
    admin = issue(role="admin").headers
    tag = uuid.uuid4().hex[:6]
    doctor = {
        **mbbs_profile(),
        "name": f"Doctor {tag}",
        "language_tests": [
            {
                "test": "IELTS Academic",
                "overall": 7.5,
                "listening": 7.5,
                "reading": 7.5,
                "writing": 7.5,
                "speaking": 7.5,
                "date": (date.today() - timedelta(days=30)).isoformat(),
            }
        ],
    }
    assert client.post("/api/v1/residents", json=doctor, headers=admin).status_code == 201
    carer = hca_profile(name=f"Carer {tag}")
    assert client.post("/api/v1/residents", json=carer, headers=admin).status_code == 201

    def found(**filters: str) -> str:
        response = adviser.get("/adviser/residents", query_string=filters)
        assert response.status_code == 200
        return text(response)

    by_profession = found(profession="doctor")
    assert f"Doctor {tag}" in by_profession
    assert f"Carer {tag}" not in by_profession
    by_qualification = found(qualification="mbbs")
    assert f"Doctor {tag}" in by_qualification
    assert f"Carer {tag}" not in by_qualification
    by_country = found(country="PK")
    assert f"Doctor {tag}" in by_country
    assert f"Carer {tag}" not in by_country
    assert "Pakistan" in by_country  # the list shows where, in words
    meets = found(english="regulator")
    assert f"Doctor {tag}" in meets
    assert f"Carer {tag}" not in meets
    ready_now = found(ready="now")
    assert f"Carer {tag}" in ready_now  # the HCA post is open to them now
    assert "Can apply now" in ready_now
    assert f"Carer {tag}" not in found(ready="later")
    assert f"Carer {tag}" not in found(ready="year")
    # Filters combine, and the pages keep them.
    both = found(profession="doctor", country="GB")
    assert f"Doctor {tag}" not in both
