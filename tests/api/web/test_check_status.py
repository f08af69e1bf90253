"""/check (issue 11): the right to work is asked plainly, the immigration status decides it where it
can and brings the concessions a refugee is owed, every country can be chosen, and each step says
when its figures were checked and which are to be confirmed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.support import IssuedToken, vacancy_body

from .pages import doctor_form, post_form, text


@pytest.fixture(scope="module")
def gmc_post(db_app: Flask, issue: Callable[..., IssuedToken]) -> str:
    response = db_app.test_client().post(
        "/api/v1/vacancies", json=vacancy_body("v-013"), headers=issue(role="admin").headers
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def test_the_right_to_work_is_never_assumed(db_client: FlaskClient, gmc_post: str) -> None:
    page = db_client.get("/check").get_data(as_text=True)
    assert 'type="radio"' in page
    assert "checked" not in page.split("Do you have the right to work in the UK?")[1].split("</fieldset>")[0]
    response = post_form(db_client, "/check", doctor_form(right_to_work=""))
    assert response.status_code == 422
    assert "Right to work: choose Yes, No or I'm not sure" in text(response)


def test_a_status_that_settles_the_right_to_work_is_enough(db_client: FlaskClient, gmc_post: str) -> None:
    response = post_form(db_client, "/check", doctor_form(right_to_work="", immigration_status="refugee"))
    assert response.status_code == 200, text(response)
    page = text(response)
    # A refugee doctor sits PLAB 1 free (first two attempts) and may get help with GMC fees.
    assert "sit PLAB 1 free" in page
    assert "help with registration fees" in page
    assert "With refugee status or humanitarian protection some fees are waived" in page


def test_an_asylum_seekers_shortage_occupation_route_is_information_not_assumed(
    db_client: FlaskClient, gmc_post: str
) -> None:
    response = post_form(db_client, "/check", doctor_form(right_to_work="", immigration_status="asylum_seeker"))
    assert response.status_code == 200, text(response)
    page = text(response)
    assert "shortage occupation list: we do not assume you have it" in page
    assert "You can apply for 0 open jobs now" in page


def test_not_sure_shows_every_job_with_what_to_check(db_client: FlaskClient, gmc_post: str) -> None:
    page = text(post_form(db_client, "/check", doctor_form(right_to_work="unknown")))
    assert "You are not sure about your right to work in the UK, so every job is shown" in page


def test_a_contradiction_is_named(db_client: FlaskClient) -> None:
    response = post_form(db_client, "/check", doctor_form(right_to_work="no", immigration_status="british_irish"))
    assert response.status_code == 422
    assert "contradicts immigration_status 'british_irish'" in text(response)


def test_every_country_can_be_chosen_and_a_made_up_one_is_refused(db_client: FlaskClient) -> None:
    page = db_client.get("/check").get_data(as_text=True)
    for code, name in (("SO", "Somalia"), ("VE", "Venezuela"), ("UA", "Ukraine"), ("ZZ", "Other")):
        assert f'value="{code}"' in page, name
        assert name in page
    response = post_form(db_client, "/check", doctor_form(**{"q-0-country": "XX"}))
    assert response.status_code == 422
    assert "Qualification 1: choose the country from the list" in text(response)


def test_steps_say_when_their_figures_were_checked(db_client: FlaskClient, gmc_post: str) -> None:
    page = text(post_form(db_client, "/check", doctor_form()))
    route = page[page.index("Clinical Fellow") :]
    assert "checked December 2026" in route
    assert "fee to be confirmed" in route  # PLAB fees are third-party figures
    assert "Your writing 6.5 is below the 7.0 the GMC asks for." in route
    assert "Pay is 2026/27 pay (derived from 2025/26 + 3.3%, to be confirmed)" in page


def test_toefl_and_other_english_evidence_are_read(db_client: FlaskClient) -> None:
    form = doctor_form(
        **{
            "t-0-test": "TOEFL iBT",
            "t-0-listening": "25",
            "t-0-reading": "26",
            "t-0-writing": "24",
            "t-0-speaking": "31",
            "t-0-overall": "106",
            "english_evidence": ["uk_employer_reference", "made_up"],
        }
    )
    response = post_form(db_client, "/check", form)
    assert response.status_code == 422
    assert "English test 1 speaking: enter a number from 0 to 30" in text(response)
