"""Every page against every kind of visitor, generated from the URL map.

A page declares who may see it (``page_for``/``public_page``). Signed out, a guarded page sends
the visitor to sign in (and back afterwards); signed in with another role it is a plain 403
page; a recruiter sees only their own employer's vacancies. A new page is covered
automatically, and one without a declared policy fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask

from tests.api.support import OTHER_TRUST, TRUST, IssuedToken, mbbs_profile, vacancy_body

from .pages import csrf, post_form, sign_in, text

VISITORS = ["none", "resident", "recruiter", "other-recruiter", "adviser", "admin"]
#: Pages scoped to one employer's vacancy.
EMPLOYER_SCOPED = {
    "web_recruiter.vacancy",
    "web_recruiter.edit_vacancy",
    "web_recruiter.save_vacancy",
    "web_recruiter.withdraw_vacancy",
}


def _pages(app: Flask) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static" or not view.access_policy.get("web"):
            continue
        unknown = set(rule.arguments) - {"resident_id", "vacancy_id", "draft_id"}
        assert not unknown, f"{rule.rule}: teach this test how to fill {sorted(unknown)}"
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, path, rule.endpoint))
    return sorted(found)


def _draft(app: Flask) -> str:
    """A draft profile read from a CV, waiting for an adviser."""
    from sqlalchemy.orm import Session

    from api.drafts import add_draft

    with Session(app.extensions["useit_db"]) as session, session.begin():
        return add_draft(session, {"profile": {}, "items": [], "source": {}, "warnings": []}, "cv.pdf", None).id


def test_every_page_is_declared_and_the_main_ones_exist(db_app: Flask) -> None:
    pages = {path for _, path, _ in _pages(db_app)}
    for path in ("/", "/check", "/sign-in", "/me", "/adviser", "/recruiter", "/recruiter/vacancies/new", "/insights"):
        assert path in pages


def test_the_page_matrix(db_app: Flask, issue: Callable[..., IssuedToken]) -> None:
    admin = issue(role="admin")
    client = db_app.test_client()
    created = client.post("/api/v1/vacancies", json=vacancy_body(), headers=admin.headers)
    vacancy_id = created.get_json()["id"]
    resident = client.post("/api/v1/residents", json={"right_to_work": "yes"}, headers=admin.headers).get_json()
    draft_id = _draft(db_app)
    tokens = {
        "resident": issue(role="resident", resident_id=resident["id"]),
        "recruiter": issue(role="recruiter", employer=TRUST),
        "other-recruiter": issue(role="recruiter", employer=OTHER_TRUST),
        "adviser": issue(role="adviser"),
        "admin": admin,
    }
    failures = []
    for method, path, endpoint in _pages(db_app):
        policy = db_app.view_functions[endpoint].access_policy["roles"]
        for visitor in VISITORS:
            if endpoint in ("web_resident.erase_mine", "web_auth.sign_out_submit"):
                continue  # both end the visitor's session: tested on their own below
            browser = db_app.test_client()
            if visitor != "none":
                sign_in(browser, tokens[visitor].secret)
            url = path.replace("{vacancy_id}", vacancy_id).replace("{resident_id}", resident["id"])
            url = url.replace("{draft_id}", draft_id)
            kwargs: dict[str, Any] = {}
            if method == "POST":
                kwargs["data"] = {"csrf_token": csrf(browser)}
            response = browser.open(url, method=method, **kwargs)
            status = response.status_code
            role = None if visitor == "none" else visitor.replace("other-", "")
            if policy == "public":  # a sign-in without a code is the one public 401
                ok = status < 500 and status != 403 and (status != 401 or endpoint == "web_auth.sign_in_submit")
            elif role is None:
                ok = status == 302 and response.headers["Location"].startswith("/sign-in?next=")
            elif role not in policy or (visitor == "other-recruiter" and endpoint in EMPLOYER_SCOPED):
                ok = status == 403 and "This page is not open to you" in text(response)
            else:
                ok = status < 500 and status not in (302, 401, 403)
            if not ok:
                failures.append(f"{method} {path} as {visitor}: got {status}")
    assert not failures, "\n".join(failures)


def test_signing_in_returns_to_the_page_asked_for_but_never_to_another_site(
    db_app: Flask, issue: Callable[..., IssuedToken]
) -> None:
    adviser = issue(role="adviser")
    browser = db_app.test_client()
    assert browser.get("/insights").headers["Location"] == "/sign-in?next=/insights"
    response = post_form(browser, "/sign-in", {"code": adviser.secret, "next": "/insights"})
    assert response.headers["Location"] == "/insights"
    for hostile in ("//evil.example/", "https://evil.example/", "javascript:alert(1)", "\\\\evil"):
        browser = db_app.test_client()
        response = post_form(browser, "/sign-in", {"code": adviser.secret, "next": hostile})
        assert response.headers["Location"] == "/adviser", hostile


def test_a_bad_code_is_401_and_names_the_problem(db_app: Flask) -> None:
    browser = db_app.test_client()
    for code, message in (("", "Enter your access code"), ("uim_nonsense", "not valid")):
        response = post_form(browser, "/sign-in", {"code": code})
        assert response.status_code == 401
        assert message in text(response)


def test_revoking_a_token_signs_its_pages_out(db_app: Flask, issue: Callable[..., IssuedToken]) -> None:
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from api.models import ApiToken

    adviser = issue(role="adviser")
    browser = db_app.test_client()
    sign_in(browser, adviser.secret)
    assert browser.get("/adviser").status_code == 200
    with Session(db_app.extensions["useit_db"]) as session, session.begin():
        token = session.get(ApiToken, adviser.token_id)
        assert token is not None
        token.revoked_at = datetime.now(UTC)
    assert browser.get("/adviser").status_code == 302


def test_signing_out_ends_the_session(db_app: Flask, issue: Callable[..., IssuedToken]) -> None:
    browser = db_app.test_client()
    sign_in(browser, issue(role="adviser").secret)
    assert post_form(browser, "/sign-out", {}, form_page="/adviser").status_code == 302
    assert browser.get("/adviser").status_code == 302


def test_the_session_cookie_is_http_only_and_same_site(db_app: Flask, issue: Callable[..., IssuedToken]) -> None:
    browser = db_app.test_client()
    response = post_form(browser, "/sign-in", {"code": issue(role="adviser").secret})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_are_never_cached_and_cannot_run_inline_script(db_app: Flask) -> None:
    response = db_app.test_client().get("/check")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script>" not in response.get_data(as_text=True)  # the one script is a file


def test_pages_get_error_pages_and_programs_get_json(db_app: Flask) -> None:
    client = db_app.test_client()
    page = client.get("/no-such-page", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404
    assert page.mimetype == "text/html"
    assert "We could not find that page" in text(page)
    api = client.get("/api/v1/no-such-thing", headers={"Accept": "text/html"})
    assert api.status_code == 404
    assert api.is_json


# -- Classes of problem found by the probe of issue 15, over every page -----------------------------


def _signed_in_visitors(db_app: Flask, issue: Callable[..., IssuedToken]) -> tuple[dict[str, Any], str, str]:
    admin = issue(role="admin")
    client = db_app.test_client()
    recruiter = issue(role="recruiter", employer=TRUST)
    vacancy_id = client.post("/api/v1/vacancies", json=vacancy_body("v-013"), headers=recruiter.headers).get_json()[
        "id"
    ]
    # Twins, one a refugee doctor (PLAB 1 would be free for them): nothing on a recruiter's page may differ.
    resident_ids = []
    for status in (None, "refugee"):
        body = {**mbbs_profile(), **({"immigration_status": status} if status else {})}
        resident_ids.append(client.post("/api/v1/residents", json=body, headers=admin.headers).get_json()["id"])
    tokens = {
        "resident": issue(role="resident", resident_id=resident_ids[1]),
        "recruiter": recruiter,
        "adviser": issue(role="adviser"),
        "admin": admin,
    }
    return tokens, vacancy_id, resident_ids[1]


def test_no_page_may_be_cached_and_no_recruiters_page_shows_immigration_status(
    db_app: Flask, issue: Callable[..., IssuedToken]
) -> None:
    tokens, vacancy_id, resident_id = _signed_in_visitors(db_app, issue)
    failures = []
    for method, path, endpoint in _pages(db_app):
        if method != "GET":
            continue
        policy = db_app.view_functions[endpoint].access_policy["roles"]
        visitors = ["recruiter"] if policy == "public" else [r for r in policy if r in tokens]
        for visitor in visitors:
            browser = db_app.test_client()
            sign_in(browser, tokens[visitor].secret)
            url = path.replace("{vacancy_id}", vacancy_id).replace("{resident_id}", resident_id)
            response = browser.get(url)
            if response.headers.get("Cache-Control") != "no-store":
                failures.append(f"GET {path} as {visitor}: Cache-Control {response.headers.get('Cache-Control')!r}")
            # Public pages are the resident's own form (its status question lists the choices);
            # every page a recruiter reaches as a recruiter must not show status.
            if visitor == "recruiter" and policy != "public":
                shown = response.get_data(as_text=True).casefold()
                for leak in ("concession", "refugee", "asylum"):
                    if leak in shown:
                        failures.append(f"GET {path} as recruiter shows {leak!r}")
    assert not failures, "\n".join(failures)


def test_saving_results_accepts_only_what_the_api_would(db_app: Flask, issue: Callable[..., IssuedToken]) -> None:
    """The public "save my results" path, with its hidden profile field tampered with."""
    import json

    from tests.api.support import count_rows

    taken = db_app.test_client().post(
        "/api/v1/residents", json={"right_to_work": "yes"}, headers=issue(role="admin").headers
    )
    before = count_rows(db_app)
    failures = []
    for hostile in (
        {"id": taken.get_json()["id"]},
        {"version": 3},
        {"role": "admin"},
        {"postcode": "B66 " + "9" * 86},
        {"immigration_status": "x" * 5_000},
        {"skills": ["bloods\r\nSet-Cookie: x"]},
    ):
        browser = db_app.test_client()
        data = {"profile": json.dumps({**mbbs_profile(), **hostile}), "consent": "yes"}
        response = post_form(browser, "/check/save", data, form_page="/check")
        if response.status_code != 422:
            failures.append(f"{sorted(hostile)}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert count_rows(db_app) == before
