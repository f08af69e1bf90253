"""Every endpoint against every kind of caller, generated from the app's URL map.

Expectations come from each endpoint's declared policy (``allow``/``public``) plus two rules
about ownership: a resident reaches only their own record (another's is 404, so ids cannot be
probed), and a recruiter changes or sees candidates only for their own employer's vacancies.
A new endpoint is covered automatically; one without a declared policy fails here.
"""

from __future__ import annotations

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
