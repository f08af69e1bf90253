"""Every endpoint against every kind of caller, generated from the app's URL map.

Expectations come from each endpoint's declared policy (``allow``/``public``) plus two rules
about ownership: a resident reaches only their own record (another's is 404, so ids cannot be
probed), and a recruiter changes or sees candidates only for their own employer's vacancies.
A new endpoint is covered automatically; one without a declared policy fails here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .support import OPEN_UNTIL, TRUST, IssuedToken, unique

CALLERS = ["none", "resident", "other-resident", "recruiter", "other-recruiter", "adviser", "admin"]
#: Endpoints scoped to one employer's vacancy: another employer's recruiter is refused.
EMPLOYER_SCOPED = {"vacancies.update_vacancy", "vacancies.delete_vacancy", "vacancies.vacancy_matches"}
#: Body sent to endpoints that take one (validation comes after the access check).
BODY: dict[str, Any] = {"probe": True}


def _role(caller: str) -> str | None:
    return {"none": None, "other-resident": "resident", "other-recruiter": "recruiter"}.get(caller, caller)


def _expected(app: Flask, endpoint: str, caller: str, path: str) -> str:
    policy = app.view_functions[endpoint].access_policy["roles"]
    if policy == "public":
        return "allowed"
    role = _role(caller)
    if role is None:
        return "unauthorised"
    if role not in policy:
        return "forbidden"
    if caller == "other-resident" and "{resident_id}" in path:
        return "not-found"
    if caller == "other-recruiter" and endpoint in EMPLOYER_SCOPED:
        return "forbidden"
    return "allowed"


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or app.view_functions[rule.endpoint].access_policy.get("web"):
            continue  # pages have their own matrix (tests/api/web/test_access.py)
        unknown = set(rule.arguments) - {"resident_id", "vacancy_id"}
        assert not unknown, f"{rule.rule}: teach this test how to fill {sorted(unknown)}"
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, path, rule.endpoint))
    return sorted(found)


def test_the_matrix(
    db_app: Flask,
    db_client: FlaskClient,
    issue: Callable[..., IssuedToken],
    adviser_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    def new_resident() -> str:
        response = db_client.post("/api/v1/residents", json={"right_to_work": "yes"}, headers=adviser_headers)
        assert response.status_code == 201
        return str(response.get_json()["id"])

    def new_vacancy() -> str:
        body = {"reference": unique("ACL"), "title": "Porter", "employer": TRUST, "closing_date": OPEN_UNTIL}
        response = db_client.post("/api/v1/vacancies", json=body, headers=admin_headers)
        assert response.status_code == 201
        return str(response.get_json()["id"])

    own_resident, shared_vacancy = new_resident(), new_vacancy()
    headers = {
        "none": {},
        "resident": issue(role="resident", resident_id=own_resident).headers,
        "other-resident": issue(role="resident", resident_id=new_resident()).headers,
        "recruiter": issue(role="recruiter", employer=TRUST).headers,
        "other-recruiter": issue(role="recruiter", employer="Another Trust").headers,
        "adviser": adviser_headers,
        "admin": admin_headers,
    }
    status_of = {"unauthorised": {401}, "forbidden": {403}, "not-found": {404}}
    failures = []
    for method, path, endpoint in _routes(db_app):
        for caller in CALLERS:
            caller_headers = headers[caller]
            resident_id, vacancy_id = own_resident, shared_vacancy
            if method == "DELETE":  # fresh records, so a deletion never spoils the next call
                resident_id, vacancy_id = new_resident(), new_vacancy()
                if caller == "resident":
                    caller_headers = issue(role="resident", resident_id=resident_id).headers
            url = path.replace("{resident_id}", resident_id).replace("{vacancy_id}", vacancy_id)
            expected = _expected(db_app, endpoint, caller, path)
            kwargs: dict[str, Any] = {"headers": caller_headers}
            if method in ("POST", "PUT"):
                kwargs["json"] = BODY
            status = db_client.open(url, method=method, **kwargs).status_code
            ok = status in status_of[expected] if expected in status_of else status not in (401, 403, 500)
            if not ok:
                failures.append(f"{method} {path} as {caller}: got {status}, expected {expected}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("guess", ["r-0000000000000000", "r-1", "1", "..%2F..%2Fetc"])
def test_guessed_resident_ids_reach_nothing(
    db_client: FlaskClient, adviser_headers: dict[str, str], guess: str
) -> None:
    assert db_client.get(f"/api/v1/residents/{guess}", headers=adviser_headers).status_code == 404


# -- Classes of problem found by the probe of issue 15, over every endpoint ------------------------


def test_every_public_endpoint_that_does_work_is_rate_limited(db_app: Flask) -> None:
    """API and pages: a public endpoint has a limit of its own unless it is listed as doing no work."""
    from api.limits import CHEAP_PUBLIC_ENDPOINTS

    unlimited = [
        endpoint
        for endpoint, view in db_app.view_functions.items()
        if endpoint != "static"
        and view.access_policy["roles"] == "public"
        and endpoint not in CHEAP_PUBLIC_ENDPOINTS
        and not getattr(view, "rate_limit", None)
    ]
    assert not unlimited, f"public and unlimited: {unlimited} (add to api.limits.LIMITED_ENDPOINTS)"


def test_no_response_of_any_endpoint_may_be_cached(db_client: FlaskClient, admin_headers: dict[str, str]) -> None:
    db_app = db_client.application
    created = db_client.post("/api/v1/residents", json={"right_to_work": "yes"}, headers=admin_headers)
    resident_id = created.get_json()["id"]
    body = {"reference": unique("NS"), "title": "Porter", "employer": TRUST, "closing_date": OPEN_UNTIL}
    vacancy_id = db_client.post("/api/v1/vacancies", json=body, headers=admin_headers).get_json()["id"]
    failures = []
    for method, path, _ in _routes(db_app):
        if method != "GET":
            continue
        url = path.replace("{resident_id}", resident_id).replace("{vacancy_id}", vacancy_id)
        response = db_client.get(url, headers=admin_headers)
        if response.headers.get("Cache-Control") != "no-store":
            failures.append(f"GET {path}: Cache-Control {response.headers.get('Cache-Control')!r}")
    assert not failures, "\n".join(failures)


#: Every API endpoint that writes a record, and the body it is sent to test what it accepts.
STORAGE_PATHS = {
    "residents.create_resident",
    "residents.update_resident",
    "vacancies.create_vacancy",
    "vacancies.update_vacancy",
    "vacancies.import_vacancies",
}
#: Endpoints with a body that store nothing a client shapes (consents are a list of names).
NOT_STORAGE = {
    "residents.set_consents",
    "normalise.normalise",
    "assess.assess",
    "assess.pathways",
    # Reads a paragraph or a CV into a draft it returns; stores nothing (tests/api/test_extract_api.py).
    "profile_extract.extract_profile",
}


def test_every_endpoint_with_a_body_is_a_known_storage_path_or_stores_nothing(db_app: Flask) -> None:
    unknown = sorted(
        {endpoint for method, _, endpoint in _routes(db_app) if method in ("POST", "PUT")} - STORAGE_PATHS - NOT_STORAGE
    )
    assert not unknown, f"teach test_what_each_storage_path_accepts about {unknown}"


@pytest.mark.parametrize(
    ("kind", "hostile", "named"),
    [
        ("resident", {"id": "r-0123456789abcdef"}, "id"),
        ("resident", {"role": "admin"}, "role"),
        ("resident", {"postcode": "B66 " + "9" * 86}, "postcode"),
        ("resident", {"immigration_status": "x" * 5_000}, "immigration_status"),
        ("resident", {"name": "Asha\r\nBegum"}, "name"),
        ("vacancy", {"title": "Porter " * 1_000}, "title"),
        ("vacancy", {"essential": ["x"] * 41}, "essential"),
        ("vacancy", {"band": "band 5 (AfC)"}, "band"),
    ],
    ids=[
        "client-id",
        "unknown-key",
        "long-postcode",
        "long-status",
        "control-chars",
        "long-title",
        "41-criteria",
        "band",
    ],
)
def test_what_each_storage_path_accepts(
    db_client: FlaskClient, admin_headers: dict[str, str], kind: str, hostile: dict[str, Any], named: str
) -> None:
    """The API's creates and updates, and bulk import, refuse the same input with a 422 naming it
    (the pages' save path and the CLI: tests/api/test_security.py, tests/api/web/test_access.py)."""
    from .support import count_rows, hca_profile, vacancy_body

    before = count_rows(db_client.application)
    failures = []
    if kind == "resident":
        created = db_client.post("/api/v1/residents", json=hca_profile(), headers=admin_headers).get_json()
        before = count_rows(db_client.application)
        calls = [
            ("POST /residents", "/api/v1/residents", "POST", {**hca_profile(), **hostile}),
            ("PUT /residents/{id}", f"/api/v1/residents/{created['id']}", "PUT", {**created, **hostile}),
        ]
    else:
        created = db_client.post("/api/v1/vacancies", json=vacancy_body(), headers=admin_headers).get_json()
        before = count_rows(db_client.application)
        record = {**vacancy_body(), **hostile}
        record["id"] = record.pop("reference")
        calls = [
            ("POST /vacancies", "/api/v1/vacancies", "POST", {**vacancy_body(), **hostile}),
            ("PUT /vacancies/{id}", f"/api/v1/vacancies/{created['id']}", "PUT", {**created, **hostile}),
            ("POST /vacancies/import", "/api/v1/vacancies/import", "POST", [record]),
            ("POST /vacancies/import?dry_run", "/api/v1/vacancies/import?dry_run=true", "POST", [record]),
        ]
    for label, url, method, body in calls:
        response = db_client.open(url, method=method, json=body, headers=admin_headers)
        said = json.dumps(response.get_json())
        if response.status_code != 422 or named not in said:
            failures.append(f"{label}: {response.status_code} {said[:200]}")
    assert not failures, "\n".join(failures)
    assert count_rows(db_client.application) == before
