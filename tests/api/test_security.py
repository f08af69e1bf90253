"""What the independent probe of issue 15 found, each as a test that failed before the fix.

The classes of problem (what a recruiter sees about a non-consenting candidate, what each
storage path accepts, caching, rate limits) are also in the generated matrices:
tests/api/test_access_matrix.py and tests/api/web/test_access.py.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import AuditEntry, Resident
from api.privacy import RedactResidentIds
from api.recruiter_view import RECRUITER_FIELDS

from .support import REPO_ROOT, TRUST, IssuedToken, assert_error, count_rows, mbbs_profile, unique, vacancy_body
from .test_residents import a_district
from .web.pages import csrf, post_form, sign_in, text

URL = "/api/v1/residents"
#: Immigration statuses a resident may give (the richer list the /check form is gaining too).
STATUSES = [
    "refugee",
    "asylum_seeker",
    "settled",
    "visa_holder",
    "british_irish",
    "prefer_not_to_say",
]


def _candidates(client: FlaskClient, vacancy_id: str, headers: dict[str, str], district: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/vacancies/{vacancy_id}/matches?limit=200", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    return [
        c
        for c in response.get_json()["candidates"]
        if c.get("postcode_district") == district or str(c.get("postcode", "")).startswith(district + " ")
    ]


@pytest.fixture
def doctors_post(db_client: FlaskClient, recruiter_headers: dict[str, str]) -> str:
    """The trust's Clinical Fellow post (GMC registration essential: PLAB lies ahead)."""
    response = db_client.post("/api/v1/vacancies", json=vacancy_body("v-013"), headers=recruiter_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return str(response.get_json()["id"])


def _twins(
    client: FlaskClient, headers: dict[str, str], statuses: list[str | None], **changes: Any
) -> tuple[str, list[str]]:
    """Doctors alike in everything but immigration status, in a district of their own."""
    district = a_district()
    ids = []
    for status in statuses:
        body = {
            **mbbs_profile(),
            "postcode": f"{district} 3PA",
            "name": unique("Dr"),
            "contact": unique("c"),
            **changes,
        }
        if status is not None:
            body["immigration_status"] = status
        response = client.post(URL, json=body, headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)
        ids.append(str(response.get_json()["id"]))
    return district, ids


# -- High: what a recruiter sees about a candidate ----------------------------------------------


def test_candidates_differing_only_in_immigration_status_look_identical_to_a_recruiter(
    db_client: FlaskClient, adviser_headers: dict[str, str], recruiter_headers: dict[str, str], doctors_post: str
) -> None:
    district, _ = _twins(db_client, adviser_headers, [None, *STATUSES])
    seen = _candidates(db_client, doctors_post, recruiter_headers, district)
    assert len(seen) == 1 + len(STATUSES)
    pseudonyms = {c.pop("resident") for c in seen}
    assert len(pseudonyms) == len(seen)  # each still their own candidate
    as_bytes = {json.dumps(c, sort_keys=True) for c in seen}
    assert len(as_bytes) == 1, "a recruiter can tell them apart"
    shown = as_bytes.pop()
    for leak in ("concession", "Refugee", "refugee", "asylum", "free for"):
        assert leak not in shown
    # The fee a recruiter sees is the published one, whoever the candidate is.
    steps = {s["credential"]: s for s in json.loads(shown)["assessment"]["pathway"]["steps"]}
    assert steps["plab-1"]["cost_gbp"] > 0
    # Advisers, who help a refugee doctor claim the concession, still see it.
    advised = _candidates(db_client, doctors_post, adviser_headers, district)
    assert any("concession" in json.dumps(c) for c in advised)


def test_a_recruiter_receives_only_the_listed_fields_and_never_the_residents_own_words(
    db_client: FlaskClient, adviser_headers: dict[str, str], recruiter_headers: dict[str, str], doctors_post: str
) -> None:
    district, _ = _twins(db_client, adviser_headers, ["refugee"])
    (candidate,) = _candidates(db_client, doctors_post, recruiter_headers, district)
    assert set(candidate) == {"resident", "postcode_district", "assessment"}
    assessment = candidate["assessment"]
    assert set(assessment) <= {
        "eligible_now",
        "fit",
        "blocked_by",
        "requirements",
        "pathway",
        "bridge_roles",
        "explanation",
        "eligible_subject_to",
        "reachable",
        "weeks_to_ready",
        "gaps",
    }
    for requirement in assessment["requirements"]:
        evidence = requirement["evidence"]
        # "Medical Officer" (the resident's words) is shown as the taxonomy's name for it.
        assert not evidence or evidence["text"] != "Medical Officer"
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for field in RECRUITER_FIELDS:
        assert field in readme, f"README: say why a recruiter receives {field}"


def test_the_recruiters_page_shows_twins_alike(
    db_app: Flask, db_client: FlaskClient, adviser_headers: dict[str, str], issue: Callable[..., IssuedToken]
) -> None:
    recruiter = issue(role="recruiter", employer=TRUST)
    created = db_client.post("/api/v1/vacancies", json=vacancy_body("v-013"), headers=recruiter.headers)
    vacancy_id = created.get_json()["id"]
    # Strong on the post's desirable criteria, so both are among the 20 the page shows.
    skills = ["advanced life support", "acute medicine", "clinical audit", "can take bloods"]
    district, _ = _twins(db_client, adviser_headers, [None, "refugee"], skills=skills)
    browser = db_app.test_client()
    sign_in(browser, recruiter.secret)
    page = browser.get(f"/recruiter/vacancies/{vacancy_id}")
    assert page.headers["Cache-Control"] == "no-store"
    blocks = re.findall(
        r'<li class="candidate.*?</li>\s*(?=<li class="candidate|</ol>)', page.get_data(as_text=True), re.S
    )
    twins = [re.sub(r"Candidate [0-9a-f]{6}", "Candidate …", b).strip() for b in blocks if f"lives in {district}" in b]
    assert len(twins) == 2
    assert twins[0] == twins[1]
    assert "concession" not in page.get_data(as_text=True)


def test_pseudonyms_are_keyed_and_cannot_be_computed_from_an_id(
    db_client: FlaskClient, adviser_headers: dict[str, str], recruiter_headers: dict[str, str], doctors_post: str
) -> None:
    district, (rid,) = _twins(db_client, adviser_headers, [None])
    (candidate,) = _candidates(db_client, doctors_post, recruiter_headers, district)
    unkeyed = "cand-" + hashlib.sha256(f"{TRUST}\x00{rid}".encode()).hexdigest()[:12]
    assert candidate["resident"] != unkeyed
    assert rid not in json.dumps(candidate)


def test_pseudonymised_reads_are_audited_and_shown_to_the_resident(
    db_client: FlaskClient,
    adviser_headers: dict[str, str],
    recruiter_headers: dict[str, str],
    doctors_post: str,
    issue: Callable[..., IssuedToken],
) -> None:
    district, (rid,) = _twins(db_client, adviser_headers, [None])
    _candidates(db_client, doctors_post, recruiter_headers, district)
    own = issue(role="resident", resident_id=rid).headers
    trail = db_client.get(f"{URL}/{rid}/export", headers=own).get_json()["access_log"]
    assert {"role": "recruiter", "action": "read_match_pseudonymised"} in [
        {"role": e["role"], "action": e["action"]} for e in trail
    ]


# -- High: what each storage path accepts ---------------------------------------------------------


def _save(db_app: Flask, profile: object, **form: str) -> tuple[int, str]:
    browser = db_app.test_client()
    data = {"profile": json.dumps(profile), "consent": "yes", **form}
    response = post_form(browser, "/check/save", data, form_page="/check")
    return response.status_code, text(response)


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        ({"id": "TAKEN"}, "id"),
        ({"version": 1}, "version"),
        ({"role": "admin", "employer": TRUST}, "role"),
        ({"postcode": "B66 " + "9" * 86}, "postcode"),
        ({"immigration_status": "x" * 5_000}, "immigration_status"),
        ({"skills": ["x" * 2_000]}, "skills"),
    ],
    ids=["another-residents-id", "version", "unknown-keys", "long-postcode", "long-status", "long-skill"],
)
def test_save_my_results_refuses_a_tampered_profile(
    db_app: Flask, db_client: FlaskClient, resident: Any, tamper: dict[str, Any], named: str
) -> None:
    tamper = {k: (resident.id if v == "TAKEN" else v) for k, v in tamper.items()}
    before = count_rows(db_app)
    status, page = _save(db_app, {**mbbs_profile(), **tamper})
    assert status == 422
    assert named in page
    assert count_rows(db_app) == before  # nothing stored, no token issued


def test_saved_results_get_an_id_from_the_server(db_app: Flask) -> None:
    status, _ = _save(db_app, mbbs_profile())
    assert status == 200
    with Session(db_app.extensions["useit_db"]) as session:
        profiles = session.scalars(select(Resident.profile)).all()
    assert not any({"id", "version", "consents"} & set(p) for p in profiles)


def test_a_residents_put_refuses_unknown_keys(db_client: FlaskClient, resident: Any) -> None:
    body = {**resident.record, "role": "admin", "employer": TRUST}
    error = assert_error(db_client.put(f"{URL}/{resident.id}", json=body, headers=resident.headers), 422)
    assert sorted(e["location"] for e in error["errors"]) == ["employer", "role"]
    assert "role" not in db_client.get(f"{URL}/{resident.id}", headers=resident.headers).get_json()


def test_another_records_id_in_an_update_is_refused(
    db_client: FlaskClient, resident: Any, other_resident: Any, adviser_headers: dict[str, str]
) -> None:
    body = {**resident.record, "id": other_resident.id}
    error = assert_error(db_client.put(f"{URL}/{resident.id}", json=body, headers=adviser_headers), 422)
    assert [e["location"] for e in error["errors"]] == ["id"]


def test_an_overlong_imported_title_is_422_not_a_server_error(
    db_client: FlaskClient, recruiter_headers: dict[str, str]
) -> None:
    record = {**vacancy_body(), "title": "Healthcare Assistant " * 300}
    record["id"] = record.pop("reference")
    response = db_client.post("/api/v1/vacancies/import", json=[record], headers=recruiter_headers)
    error = assert_error(response, 422)
    assert any(e["field"] == "title" for e in error["errors"])


def test_a_dry_run_refuses_another_employers_reference_as_the_import_does(
    db_client: FlaskClient, recruiter_headers: dict[str, str], other_recruiter_headers: dict[str, str]
) -> None:
    theirs = db_client.post("/api/v1/vacancies", json=vacancy_body(), headers=recruiter_headers).get_json()
    record = {**vacancy_body(employer="Other Trust"), "id": theirs["reference"]}
    del record["reference"]
    url = "/api/v1/vacancies/import"
    dry = assert_error(db_client.post(url + "?dry_run=true", json=[record], headers=other_recruiter_headers), 403)
    real = assert_error(db_client.post(url, json=[record], headers=other_recruiter_headers), 403)
    assert (
        dry["errors"]
        == real["errors"]
        == [{"location": "record 1", "field": "reference", "message": "this reference is another employer's vacancy"}]
    )


def test_after_erasure_a_resident_is_gone_at_once_and_never_written_back_to_the_log(
    db_app: Flask,
    db_client: FlaskClient,
    adviser_headers: dict[str, str],
    recruiter_headers: dict[str, str],
    doctors_post: str,
    issue: Callable[..., IssuedToken],
) -> None:
    district, (gone, kept) = _twins(db_client, adviser_headers, [None, None])
    assert len(_candidates(db_client, doctors_post, adviser_headers, district)) == 2  # the index holds both
    own = issue(role="resident", resident_id=gone).headers
    assert db_client.delete(f"{URL}/{gone}", headers=own).status_code == 204
    for headers in (adviser_headers, recruiter_headers):
        left = _candidates(db_client, doctors_post, headers, district)
        assert len(left) == 1
    assert _candidates(db_client, doctors_post, adviser_headers, district)[0]["resident"] == kept
    with Session(db_app.extensions["useit_db"]) as session:
        assert not session.scalars(select(AuditEntry).where(AuditEntry.resource_id == gone)).all()


# -- Medium: the cost of one request ---------------------------------------------------------------


def test_assess_refuses_more_criteria_or_text_than_one_request_may_carry(client: FlaskClient) -> None:
    resident = {"skills": ["care"], "right_to_work": "yes"}
    many = {"title": "Nurse", "essential": [f"criterion {i}" for i in range(41)]}
    error = assert_error(client.post("/api/v1/assess", json={"resident": resident, "vacancy": many}), 422)
    assert [e["location"] for e in error["errors"]] == ["vacancy.essential"]
    long = {"title": "Nurse", "essential": ["x" * 1_999] * 20}
    error = assert_error(client.post("/api/v1/assess", json={"resident": resident, "vacancy": long}), 422)
    assert "characters of text in one request" in error["errors"][0]["message"]


def test_normalise_refuses_more_text_than_one_request_may_carry(client: FlaskClient) -> None:
    body = {"kind": "skill", "texts": ["taking bloods and doing obs on the ward " * 2] * 500}
    error = assert_error(client.post("/api/v1/normalise", json=body), 422)
    assert "characters of text" in error["errors"][0]["message"]


def test_work_past_its_time_box_is_a_503(app: Flask) -> None:
    app.config["USEIT_REQUEST_TIME_BOX"] = 0.0
    try:
        body = {"kind": "skill", "texts": ["venepuncture"] * 10}
        assert_error(app.test_client().post("/api/v1/normalise", json=body), 503, "too_slow")
    finally:
        app.config["USEIT_REQUEST_TIME_BOX"] = 10.0


# -- Low -------------------------------------------------------------------------------------------


def test_a_replayed_cookie_after_sign_out_reads_nothing(db_app: Flask, issue: Callable[..., IssuedToken]) -> None:
    browser = db_app.test_client()
    sign_in(browser, issue(role="adviser").secret)
    cookie = browser.get_cookie("useit_session")
    assert cookie is not None
    assert post_form(browser, "/sign-out", {}, form_page="/adviser").status_code == 302
    thief = db_app.test_client()
    thief.set_cookie("useit_session", cookie.value)
    assert thief.get("/adviser").status_code == 302  # to the sign-in page


def test_a_session_ends_at_its_absolute_lifetime_and_is_not_renewed(
    db_app: Flask, issue: Callable[..., IssuedToken]
) -> None:
    from datetime import UTC, datetime, timedelta

    from api.models import WebSession

    browser = db_app.test_client()
    sign_in(browser, issue(role="adviser").secret)
    assert browser.get("/adviser").status_code == 200
    response = browser.get("/adviser")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers  # each request does not extend the cookie
    with Session(db_app.extensions["useit_db"]) as session, session.begin():
        for row in session.scalars(select(WebSession)):
            row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    assert browser.get("/adviser").status_code == 302


@pytest.mark.parametrize("hostile", ["/adviser\r\nSet-Cookie: x=1", "/a\nb", "/\x00", "/\\evil.example", "/%0d%0a"])
def test_next_with_control_characters_is_never_a_server_error(
    db_app: Flask, issue: Callable[..., IssuedToken], hostile: str
) -> None:
    browser = db_app.test_client()
    assert browser.get("/sign-in", query_string={"next": hostile}).status_code == 200
    response = post_form(browser, "/sign-in", {"code": issue(role="adviser").secret, "next": hostile})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location in ("/adviser", hostile)
    assert not any(ord(c) < 32 for c in location)
    assert "\\" not in location


def test_query_strings_never_reach_the_logs() -> None:
    werkzeug = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        "",
        0,
        '%s - - "%s" %s',
        ("127.0.0.1", "GET /adviser/residents?q=Asha+Begum HTTP/1.1", 200),
        None,
    )
    RedactResidentIds().filter(werkzeug)
    assert "Asha" not in werkzeug.getMessage()
    atoms = {"r": "GET /api/v1/residents?postcode=B66+2QT HTTP/1.1", "q": "postcode=B66+2QT", "f": "http://x/?q=Asha"}
    gunicorn = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, '"%(r)s" %(q)s %(f)s', (), None)
    gunicorn.args = atoms
    RedactResidentIds().filter(gunicorn)
    assert "B66" not in gunicorn.getMessage()
    assert "Asha" not in gunicorn.getMessage()


def test_my_data_is_never_cached(db_app: Flask, db_client: FlaskClient, resident: Any) -> None:
    browser = db_app.test_client()
    sign_in(browser, resident.token.secret)
    response = browser.get("/me/data")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_the_sqlite_files_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api import create_app
    from api.db import upgrade

    folder = tmp_path / "instance"
    monkeypatch.setenv("USEIT_INSTANCE_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    old = os.umask(0o022)
    try:
        url = f"sqlite:///{folder / 'useit.db'}"
        upgrade(url)
        app = create_app(test_config={"DATABASE_URL": url, "RATELIMIT_ENABLED": False})
        assert app.test_client().get("/api/v1/vacancies").status_code == 401  # opens the database
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = [folder / "useit.db", folder / "useit.db-wal", folder / "useit.db-shm", folder / "secret_key"]
    for path in files:
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert (folder / "useit.db").exists()
    app.extensions["useit_db"].dispose()


def test_recruiters_read_every_advert_as_the_readme_says(
    db_client: FlaskClient, recruiter_headers: dict[str, str], other_recruiter_headers: dict[str, str]
) -> None:
    ours = db_client.post("/api/v1/vacancies", json=vacancy_body(), headers=recruiter_headers).get_json()
    assert db_client.get(f"/api/v1/vacancies/{ours['id']}", headers=other_recruiter_headers).status_code == 200
    matches = db_client.get(f"/api/v1/vacancies/{ours['id']}/matches", headers=other_recruiter_headers)
    assert matches.status_code == 403
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "recruiters read every vacancy (adverts are public)" in readme


def test_the_checker_refuses_what_saving_would_refuse(db_app: Flask) -> None:
    browser = db_app.test_client()
    form = {"skills": "x" * 201, "right_to_work": "yes", "csrf_token": csrf(browser, "/check")}
    response = browser.post("/check", data=form)
    assert response.status_code == 422
    assert "Skills" in text(response)
