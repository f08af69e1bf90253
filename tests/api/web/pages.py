"""Helpers for the page tests: forms with their CSRF token, signing in, reading text."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: FlaskClient, url: str = "/sign-in") -> str:
    """This session's form token, as a page carries it."""
    page = client.get(url).get_data(as_text=True)
    found = _CSRF.search(page)
    assert found, f"no form token on {url}"
    return found.group(1)


def post_form(client: FlaskClient, url: str, data: dict[str, Any], *, form_page: str | None = None) -> TestResponse:
    return client.post(url, data={**data, "csrf_token": csrf(client, form_page or url)})


def sign_in(client: FlaskClient, secret: str) -> TestResponse:
    response = post_form(client, "/sign-in", {"code": secret})
    assert response.status_code == 302, text(response)
    return response


def text(response: TestResponse) -> str:
    """The page's words, without markup (what a person reads)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def doctor_form(**changes: Any) -> dict[str, Any]:
    """The checker filled in by a doctor trained in Pakistan, with a recent IELTS below the GMC's bar."""
    return {**DOCTOR_FORM, "t-0-date": (date.today() - timedelta(days=200)).isoformat(), **changes}


DOCTOR_FORM: dict[str, Any] = {
    "q-0-title": "MBBS",
    "q-0-country": "PK",
    "q-0-year": "2013",
    "x-0-title": "Medical Officer",
    "x-0-years": "6",
    "x-0-country": "PK",
    "t-0-test": "IELTS Academic",
    "t-0-listening": "7.5",
    "t-0-reading": "7",
    "t-0-writing": "6.5",
    "t-0-speaking": "7",
    "t-0-overall": "7",
    "t-0-date": "2026-03-14",
    "skills": "taking bloods, ECGs\ncannulas",
    "credentials": ["care-certificate"],
    "right_to_work": "yes",
    "hours": "full_time",
    "postcode": "B66 3PA",
    "within": "156",
}
