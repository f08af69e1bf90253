"""The resident's pages: check routes without an account, save only by choice, see and delete."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.support import IssuedToken, count_rows, vacancy_body

from .pages import csrf, doctor_form, post_form, sign_in, text


@pytest.fixture(scope="module")
def doctor_vacancy(db_app: Flask, issue: Callable[..., IssuedToken]) -> str:
    """The trust's clinical fellow post (GMC registration essential) and its HCA post, open."""
    client = db_app.test_client()
    admin = issue(role="admin").headers
    ids = []
    for source in ("v-013", "v-001"):
        response = client.post("/api/v1/vacancies", json=vacancy_body(source), headers=admin)
        assert response.status_code == 201, response.get_data(as_text=True)
        ids.append(response.get_json()["id"])
    return ids[0]


def test_the_checker_shows_a_doctors_route_and_stores_nothing(
    db_app: Flask, db_client: FlaskClient, doctor_vacancy: str
) -> None:
    before = count_rows(db_app)
    response = post_form(db_client, "/check", doctor_form())
    assert response.status_code == 200, text(response)
    page = text(response)
    assert "Jobs you could reach within 3 years" in page
    route = page[page.index("Clinical Fellow") :]
    # The GMC route in order, each step with its time, cost and where to get it.
    assert route.index("English test for doctors") < route.index("PLAB 1") < route.index("PLAB 2")
    assert "Where:" in route
    assert "£" in route
    assert "weeks" in route
    assert "Jobs you could do while you train" in page
    assert "Healthcare assistant" in page
    assert count_rows(db_app) == before  # nothing kept, not even an audit line


def test_the_checker_names_every_problem_and_keeps_the_answers(db_client: FlaskClient) -> None:
    form = doctor_form(**{"x-0-years": "lots", "t-0-reading": "7.3", "q-1-year": "20x", "postcode": "not a postcode"})
    response = post_form(db_client, "/check", form)
    assert response.status_code == 422
    page = text(response)
    assert "There are 5 problems" in page
    for message in (
        "Job 1 years: enter a number",
        "English test 1 reading: IELTS scores go in half bands",
        "Qualification 2: say what the qualification is",
        "Qualification 2: the year as four digits",
        "Postcode: enter a UK postcode",
    ):
        assert message in page
    html = response.get_data(as_text=True)
    assert 'href="#x-0-years"' in html  # each problem links to its field
    assert 'id="x-0-years"' in html
    assert 'value="lots"' in html
    assert 'aria-invalid="true"' in html


def test_an_empty_form_says_what_to_fill_in(db_client: FlaskClient) -> None:
    response = post_form(db_client, "/check", {"right_to_work": "yes"})
    assert response.status_code == 422
    assert "Tell us at least one thing" in text(response)


def test_rows_added_by_the_script_are_read(db_client: FlaskClient, doctor_vacancy: str) -> None:
    """Row 7 of jobs (added with "Add another") counts like the three shown."""
    form = doctor_form(**{"x-0-title": "", "x-0-years": "", "x-0-country": ""})
    form.update({"x-6-title": "Medical Officer", "x-6-years": "6", "x-6-country": "PK"})
    page = text(post_form(db_client, "/check", form))
    assert "Job 7" in page  # the form comes back with the row, to edit
    assert "Clinical Fellow" in page


def test_a_form_without_its_token_is_refused(db_client: FlaskClient) -> None:
    response = db_client.post("/check", data=doctor_form())
    assert response.status_code == 400
    assert "This form has expired" in text(response)


def _save(client: FlaskClient, **extra: str) -> tuple[str, str]:
    results = post_form(client, "/check", doctor_form())
    profile = re.search(r'name="profile" value="([^"]+)"', results.get_data(as_text=True))
    assert profile
    from html import unescape

    response = client.post(
        "/check/save",
        data={"profile": unescape(profile.group(1)), "csrf_token": csrf(client, "/check"), **extra},
    )
    return response.status_code, text(response)


def test_saving_needs_consent_and_then_stores_nothing(db_app: Flask, db_client: FlaskClient) -> None:
    before = count_rows(db_app)
    status, page = _save(db_client)
    assert status == 422
    assert "Tick the box to agree" in page
    assert "nothing has been saved" in page
    assert count_rows(db_app) == before


def test_saving_gives_a_code_that_signs_in_and_deleting_removes_everything(
    db_app: Flask, db_client: FlaskClient, doctor_vacancy: str
) -> None:
    before = count_rows(db_app)["residents"]
    status, page = _save(db_client, consent="yes", name="Amina Test", contact="amina@example.org")
    assert status == 200, page
    # A code to copy by hand: four groups of five, Crockford's letters and digits (no I, L, O or U).
    code = re.search(r"\b[0-9A-HJKMNP-TV-Z]{5}(?:-[0-9A-HJKMNP-TV-Z]{5}){3}\b", page)
    assert code, page
    assert "uim_" not in page
    assert count_rows(db_app)["residents"] == before + 1

    mine = db_client.get("/me")  # signed in already
    assert mine.status_code == 200
    assert "Clinical Fellow" in text(mine)
    data = db_client.get("/me/data")
    assert data.headers["Content-Disposition"].startswith("attachment")
    held = json.loads(data.get_data(as_text=True))
    assert held["resident"]["name"] == "Amina Test"
    assert held["resident"]["qualifications"][0]["title"] == "MBBS"

    # Typed as a person would: small letters, spaces for dashes, O for 0 and l for 1.
    typed = code.group(0).lower().replace("-", " ").replace("0", "O").replace("1", "l")
    other = db_app.test_client()  # the code works from another device
    sign_in(other, typed)
    assert other.get("/me").status_code == 200
    wrong = code.group(0)[:-1] + ("2" if code.group(0)[-1] != "2" else "3")
    assert post_form(db_app.test_client(), "/sign-in", {"code": wrong}).status_code == 401

    unconfirmed = post_form(db_client, "/me/erase", {}, form_page="/me")
    assert unconfirmed.status_code == 302  # back to the page, nothing deleted, and it says why
    assert count_rows(db_app)["residents"] == before + 1
    said = text(db_client.get(unconfirmed.headers["Location"]))
    assert "Nothing has been deleted" in said
    assert "Tick the box to say you understand" in said
    erased = post_form(db_client, "/me/erase", {"confirm": "yes"}, form_page="/me")
    assert erased.status_code == 200
    assert "Your data has been deleted" in text(erased)
    assert count_rows(db_app)["residents"] == before
    # The code no longer works anywhere, and the other device is signed out.
    assert other.get("/me").status_code == 302
    assert post_form(db_app.test_client(), "/sign-in", {"code": code.group(0)}).status_code == 401


def test_saving_without_the_tick_keeps_the_answers_and_the_results(db_app: Flask, db_client: FlaskClient) -> None:
    before = count_rows(db_app)
    status, page = _save(db_client, name="Amina Test", contact="amina@example.org", within="156")
    assert status == 422
    assert count_rows(db_app) == before
    # Still the results page: the routes, the answers to change, the name typed, the error by the box.
    assert "Your routes into NHS jobs" in page
    assert "Jobs you could reach within 3 years" in page
    assert "Start again" not in page
    html = db_client.post(
        "/check/save",
        data={
            "profile": json.dumps(
                {"qualifications": [{"title": "MBBS", "country": "PK", "year": 2013}], "right_to_work": "yes"}
            ),
            "name": "Amina Test",
            "csrf_token": csrf(db_client, "/check"),
        },
    ).get_data(as_text=True)
    assert 'href="#consent"' in html
    assert 'id="consent"' in html
    assert 'id="consent-error"' in html
    assert html.index('id="consent-error"') < html.index('id="consent"')  # beside the box, not only on top
    assert 'value="Amina Test"' in html
    assert 'id="q-0-title" name="q-0-title" type="text" value="MBBS"' in html
    assert "We cannot send it by email or text" in html  # no sender configured: it says so


def test_a_resident_changes_answers_and_chooses_who_sees_their_details(
    db_app: Flask, db_client: FlaskClient, doctor_vacancy: str
) -> None:
    status, page = _save(db_client, consent="yes", name="Amina Test", contact="amina@example.org")
    assert status == 200, page
    form_page = db_client.get("/me/answers")
    assert form_page.status_code == 200
    html = form_page.get_data(as_text=True)
    assert "Change my answers" in text(form_page)
    assert 'value="MBBS"' in html
    assert 'value="Medical Officer"' in html

    changed = doctor_form(**{"x-0-title": "Healthcare assistant", "x-0-years": "2", "x-0-country": "GB"})
    bad = post_form(db_client, "/me/answers", {**changed, "postcode": "not a postcode"})
    assert bad.status_code == 422
    assert "Postcode: enter a UK postcode" in text(bad)
    saved = post_form(db_client, "/me/answers", changed)
    assert saved.status_code == 303
    mine = db_client.get(saved.headers["Location"])
    assert "Your answers are saved" in text(mine)
    held = json.loads(db_client.get("/me/data").get_data(as_text=True))
    assert held["resident"]["experience"][0]["title"] == "Healthcare assistant"
    assert held["resident"]["name"] == "Amina Test"  # identity kept as it was
    assert held["consents"] == []

    employer = re.search(r'name="employer" type="checkbox" value="([^"]+)"', mine.get_data(as_text=True))
    assert employer, "the page offers the employers with jobs here"
    shared = post_form(db_client, "/me/sharing", {"employer": [employer.group(1), "Someone Else Ltd"]}, form_page="/me")
    assert shared.status_code == 303
    held = json.loads(db_client.get("/me/data").get_data(as_text=True))
    assert [c["employer"] for c in held["consents"]] == [employer.group(1)]  # only employers offered
    assert f"You agreed to share your name and contact details with: {employer.group(1)}" in text(db_client.get("/me"))
    withdrawn = post_form(db_client, "/me/sharing", {}, form_page="/me")
    assert withdrawn.status_code == 303
    assert json.loads(db_client.get("/me/data").get_data(as_text=True))["consents"] == []


def test_a_tampered_profile_is_not_saved(db_app: Flask, db_client: FlaskClient) -> None:
    before = count_rows(db_app)
    response = db_client.post(
        "/check/save",
        data={"profile": json.dumps({"right_to_work": "perhaps"}), "consent": "yes", "csrf_token": csrf(db_client)},
    )
    assert response.status_code == 422
    assert count_rows(db_app) == before


def test_a_long_list_of_jobs_is_cut_to_the_best_with_a_count_of_the_rest(
    db_app: Flask, db_client: FlaskClient, issue: Callable[..., IssuedToken]
) -> None:
    admin = issue(role="admin").headers
    for _ in range(14):
        assert db_client.post("/api/v1/vacancies", json=vacancy_body("v-001"), headers=admin).status_code == 201
    form = {
        "x-0-title": "Healthcare assistant",
        "x-0-years": "2",
        "x-0-country": "GB",
        "skills": "personal care, teamwork, doing obs",
        "credentials": ["care-certificate"],
        "right_to_work": "yes",
    }
    response = post_form(db_client, "/check", form)
    html = response.get_data(as_text=True)
    assert html.count('<li class="job">') == 12
    shown_more = re.search(r"And (\d+) more open jobs? you could apply for", text(response))
    assert shown_more
    assert int(shown_more.group(1)) >= 2
