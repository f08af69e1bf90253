"""Residents: create, read, list, update, erase; consent to share; matches for a resident; audit."""

from __future__ import annotations

import itertools
import json
import re
import string
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import AuditEntry, Consent, ResidentCredential
from tests.api.support import (
    OTHER_TRUST,
    TRUST,
    IssuedToken,
    ResidentUser,
    assert_error,
    count_rows,
    hca_profile,
    vacancy_body,
)

URL = "/api/v1/residents"
RESIDENT_ID = re.compile(r"r-[0-9a-f]{16}")


def create(client: FlaskClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post(URL, json=hca_profile(**changes), headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def audit_rows(app: Flask) -> list[AuditEntry]:
    with Session(app.extensions["useit_db"]) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def audit_actions(app: Flask, resident_id: str) -> list[tuple[str, str]]:
    return [(row.action, row.actor_role) for row in audit_rows(app) if row.resource_id == resident_id]


def a_district() -> str:
    """A postcode district no other test uses (the list filter matches postcode prefixes): a UK
    outward code's shape ("QK7W"), in an area that does not exist."""
    number = uuid.uuid4().int
    letters = string.ascii_uppercase
    return f"Q{letters[number % 26]}{number // 26 % 10}{letters[number // 260 % 26]}"


# -- create and read -----------------------------------------------------------------------------


@pytest.mark.parametrize("creator", ["adviser_headers", "admin_headers"])
def test_create_returns_201_location_and_a_random_id(
    db_client: FlaskClient, request: pytest.FixtureRequest, creator: str
) -> None:
    headers = request.getfixturevalue(creator)
    profile = hca_profile()
    response = db_client.post(URL, json=profile, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert RESIDENT_ID.fullmatch(body["id"])
    assert response.headers["Location"] == f"{URL}/{body['id']}"
    assert body["version"] == 1
    assert body["consents"] == []
    for key, value in profile.items():
        assert body[key] == value


def test_ids_are_not_sequential(db_client: FlaskClient, adviser_headers: dict[str, str]) -> None:
    ids = [create(db_client, adviser_headers)["id"] for _ in range(3)]
    assert len(set(ids)) == 3
    numbers = [int(i.removeprefix("r-"), 16) for i in ids]
    assert all(abs(a - b) > 1_000_000 for a, b in itertools.pairwise(numbers))


@pytest.mark.parametrize("key", ["id", "version", "consents"])
def test_ids_versions_and_consents_are_the_servers(
    db_app: Flask, db_client: FlaskClient, adviser_headers: dict[str, str], key: str
) -> None:
    value = {"id": "r-chosen-by-client", "version": 7, "consents": ["Other Trust"]}[key]
    before = count_rows(db_app)["residents"]
    response = db_client.post(URL, json=hca_profile(**{key: value}), headers=adviser_headers)
    body = assert_error(response, 422, "validation_error")
    assert [e["location"] for e in body["errors"]] == [key]
    assert "assigned by the server" in body["errors"][0]["message"]
    assert count_rows(db_app)["residents"] == before
    assert RESIDENT_ID.fullmatch(create(db_client, adviser_headers)["id"])


@pytest.mark.parametrize("reader", ["adviser_headers", "admin_headers"])
def test_adviser_and_admin_read_a_record(
    db_client: FlaskClient, request: pytest.FixtureRequest, adviser_headers: dict[str, str], reader: str
) -> None:
    created = create(db_client, adviser_headers)
    response = db_client.get(f"{URL}/{created['id']}", headers=request.getfixturevalue(reader))
    assert response.status_code == 200
    assert response.get_json() == created


def test_a_resident_reads_their_own_record(db_client: FlaskClient, resident: ResidentUser) -> None:
    response = db_client.get(f"{URL}/{resident.id}", headers=resident.headers)
    assert response.status_code == 200
    assert response.get_json() == resident.record


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("put", "", {"version": 1}),
        ("delete", "", None),
        ("put", "/consents", {"employers": [TRUST]}),
        ("get", "/matches", None),
    ],
    ids=["read", "update", "erase", "consent", "matches"],
)
def test_another_residents_record_is_404_not_403(
    db_app: Flask,
    db_client: FlaskClient,
    resident: ResidentUser,
    other_resident: ResidentUser,
    admin_headers: dict[str, str],
    method: str,
    suffix: str,
    body: dict[str, Any] | None,
) -> None:
    kwargs: dict[str, Any] = {"headers": resident.headers}
    if body is not None:
        kwargs["json"] = body
    response = getattr(db_client, method)(f"{URL}/{other_resident.id}{suffix}", **kwargs)
    assert_error(response, 404, "not_found")
    # Indistinguishable from an id that does not exist at all.
    missing = getattr(db_client, method)(f"{URL}/r-0000000000000000{suffix}", **kwargs)
    assert missing.get_json() == response.get_json()
    # And nothing changed.
    assert db_client.get(f"{URL}/{other_resident.id}", headers=admin_headers).get_json() == other_resident.record


@pytest.mark.parametrize("headers", ["recruiter_headers", "other_recruiter_headers"])
def test_recruiters_cannot_read_residents(
    db_client: FlaskClient, request: pytest.FixtureRequest, resident: ResidentUser, headers: str
) -> None:
    recruiter = request.getfixturevalue(headers)
    assert_error(db_client.get(f"{URL}/{resident.id}", headers=recruiter), 403, "forbidden")
    assert_error(db_client.get(URL, headers=recruiter), 403, "forbidden")


def test_unknown_resident_is_404(db_client: FlaskClient, admin_headers: dict[str, str]) -> None:
    assert_error(db_client.get(f"{URL}/r-0000000000000000", headers=admin_headers), 404, "not_found")


# -- invalid profiles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"right_to_work": "maybe"}, ["right_to_work"]),
        ({"hours": "nights"}, ["hours"]),
        ({"skills": "teamwork"}, ["skills"]),
        ({"experience": [{"years": 2}]}, ["experience.0.title"]),
        ({"postcode": 66}, ["postcode"]),
        ({"name": 5}, ["name"]),
        ({"contact": "x" * 201}, ["contact"]),
        (
            {"right_to_work": "maybe", "hours": "nights", "skills": "teamwork", "name": ["A"], "postcode": 66},
            ["skills", "right_to_work", "postcode", "hours", "name"],
        ),
    ],
    ids=["right-to-work", "hours", "skills-not-list", "experience-without-title", "postcode", "name", "contact", "all"],
)
def test_invalid_profile_is_422_listing_every_problem(
    db_app: Flask, db_client: FlaskClient, adviser_headers: dict[str, str], changes: dict[str, Any], problems: list[str]
) -> None:
    before = len(audit_rows(db_app))
    body = assert_error(db_client.post(URL, json=hca_profile(**changes), headers=adviser_headers), 422)
    assert len(body["errors"]) == len(problems), body["errors"]
    for error, problem in zip(body["errors"], problems, strict=True):
        assert problem in f"{error['location']} {error['message']}"
    assert len(audit_rows(db_app)) == before  # nothing was stored


@pytest.mark.parametrize("payload", [[hca_profile()], "resident", 5], ids=["array", "string", "number"])
def test_a_body_that_is_not_an_object_is_422(
    db_client: FlaskClient, adviser_headers: dict[str, str], payload: object
) -> None:
    assert_error(db_client.post(URL, json=payload, headers=adviser_headers), 422, "validation_error")


def test_an_overlong_postcode_is_422(db_client: FlaskClient, adviser_headers: dict[str, str]) -> None:
    response = db_client.post(URL, json=hca_profile(postcode="B66 2QT, Smethwick"), headers=adviser_headers)
    assert_error(response, 422, "validation_error")


# -- list ------------------------------------------------------------------------------------------


def test_list_pages_through_every_match_with_a_total(db_client: FlaskClient, adviser_headers: dict[str, str]) -> None:
    district = a_district()
    created = {create(db_client, adviser_headers, postcode=f"{district} {n}AB")["id"] for n in range(5)}
    seen: list[str] = []
    for page, size in ((1, 2), (2, 2), (3, 1)):
        response = db_client.get(
            URL, query_string={"postcode": district, "per_page": 2, "page": page}, headers=adviser_headers
        )
        assert response.status_code == 200
        body = response.get_json()
        assert (body["page"], body["per_page"], body["total"]) == (page, 2, 5)
        assert len(body["items"]) == size
        seen += [item["id"] for item in body["items"]]
    assert len(seen) == 5
    assert set(seen) == created
    beyond = db_client.get(URL, query_string={"postcode": district, "page": 4, "per_page": 2}, headers=adviser_headers)
    assert (beyond.get_json()["items"], beyond.get_json()["total"]) == ([], 5)


def test_list_filters(db_client: FlaskClient, adviser_headers: dict[str, str]) -> None:
    district = a_district()
    eligible = create(db_client, adviser_headers, postcode=f"{district} 1AA")["id"]
    no_right = create(db_client, adviser_headers, postcode=f"{district} 2AA", right_to_work="no")["id"]
    no_cert = create(db_client, adviser_headers, postcode=f"{district} 3AA", credentials=["dbs-enhanced"])["id"]
    create(db_client, adviser_headers, postcode="B66 2QT")

    def ids(**query: str) -> set[str]:
        response = db_client.get(URL, query_string={"postcode": district, **query}, headers=adviser_headers)
        assert response.status_code == 200
        body = response.get_json()
        assert body["total"] == len(body["items"])
        return {item["id"] for item in body["items"]}

    assert ids() == {eligible, no_right, no_cert}
    assert ids(postcode=district.lower()) == {eligible, no_right, no_cert}
    assert ids(right_to_work="yes") == {eligible, no_cert}
    assert ids(right_to_work="no") == {no_right}
    assert ids(credential="care-certificate") == {eligible, no_right}
    assert ids(credential="dbs-enhanced") == {no_cert}
    assert ids(credential="care-certificate", right_to_work="yes") == {eligible}
    assert ids(credential="gmc-registration") == set()


@pytest.mark.parametrize(
    ("query", "locations"),
    [
        ({"page": "0"}, ["query.page"]),
        ({"page": "x"}, ["query.page"]),
        ({"per_page": "0"}, ["query.per_page"]),
        ({"per_page": "101"}, ["query.per_page"]),
        ({"per_page": "-5"}, ["query.per_page"]),
        ({"page": "1.5", "per_page": "many"}, ["query.page", "query.per_page"]),
    ],
    ids=["page-0", "page-x", "per-page-0", "per-page-101", "per-page-negative", "both"],
)
def test_list_paging_is_validated(
    db_client: FlaskClient, adviser_headers: dict[str, str], query: dict[str, str], locations: list[str]
) -> None:
    body = assert_error(db_client.get(URL, query_string=query, headers=adviser_headers), 422, "validation_error")
    assert [e["location"] for e in body["errors"]] == locations


# -- update --------------------------------------------------------------------------------------


def test_update_with_the_current_version_bumps_it(
    db_client: FlaskClient, adviser_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    created = create(db_client, adviser_headers)
    changed = {**created, "credentials": ["care-certificate", "dbs-enhanced"], "postcode": "B67 5HF"}
    response = db_client.put(f"{URL}/{created['id']}", json=changed, headers=adviser_headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["version"] == created["version"] + 1
    assert (body["credentials"], body["postcode"]) == (["care-certificate", "dbs-enhanced"], "B67 5HF")
    assert db_client.get(f"{URL}/{created['id']}", headers=admin_headers).get_json() == body
    # The credential index follows the profile.
    listed = db_client.get(URL, query_string={"credential": "dbs-enhanced", "per_page": 100}, headers=admin_headers)
    assert created["id"] in {item["id"] for item in listed.get_json()["items"]}


def test_a_stale_version_is_409_and_changes_nothing(db_client: FlaskClient, adviser_headers: dict[str, str]) -> None:
    created = create(db_client, adviser_headers)
    first = db_client.put(f"{URL}/{created['id']}", json={**created, "hours": "part_time"}, headers=adviser_headers)
    assert first.status_code == 200
    current = first.get_json()
    stale = {**created, "right_to_work": "no", "name": "Someone Else"}  # still carries version 1
    assert_error(db_client.put(f"{URL}/{created['id']}", json=stale, headers=adviser_headers), 409, "conflict")
    assert db_client.get(f"{URL}/{created['id']}", headers=adviser_headers).get_json() == current


def test_a_resident_updates_their_own_record(db_client: FlaskClient, resident: ResidentUser) -> None:
    changed = {**resident.record, "skills": ["teamwork", "personal care", "hoisting"]}
    response = db_client.put(f"{URL}/{resident.id}", json=changed, headers=resident.headers)
    assert response.status_code == 200
    assert response.get_json()["skills"] == ["teamwork", "personal care", "hoisting"]
    assert response.get_json()["version"] == 2


@pytest.mark.parametrize("version", [None, "1", 1.5, True], ids=["missing", "string", "float", "bool"])
def test_update_needs_an_integer_version(
    db_client: FlaskClient, adviser_headers: dict[str, str], version: object
) -> None:
    created = create(db_client, adviser_headers)
    body = {**created, "hours": "part_time"}
    if version is None:
        del body["version"]
    else:
        body["version"] = version
    error = assert_error(db_client.put(f"{URL}/{created['id']}", json=body, headers=adviser_headers), 422)
    assert [e["location"] for e in error["errors"]] == ["version"]


def test_an_invalid_update_is_422_and_changes_nothing(db_client: FlaskClient, adviser_headers: dict[str, str]) -> None:
    created = create(db_client, adviser_headers)
    bad = {**created, "right_to_work": "maybe", "hours": "nights"}
    error = assert_error(db_client.put(f"{URL}/{created['id']}", json=bad, headers=adviser_headers), 422)
    assert len(error["errors"]) == 2
    assert db_client.get(f"{URL}/{created['id']}", headers=adviser_headers).get_json() == created


# -- erase -----------------------------------------------------------------------------------------


def resident_rows(app: Flask, resident_id: str) -> dict[str, int]:
    with Session(app.extensions["useit_db"]) as session:
        return {
            "credentials": len(
                session.scalars(select(ResidentCredential).where(ResidentCredential.resident_id == resident_id)).all()
            ),
            "consents": len(session.scalars(select(Consent).where(Consent.resident_id == resident_id)).all()),
            "audit": len(session.scalars(select(AuditEntry).where(AuditEntry.resource_id == resident_id)).all()),
        }


@pytest.mark.parametrize("eraser", ["self", "admin"])
def test_erase_removes_the_record_and_every_trace_of_its_id(
    db_app: Flask,
    db_client: FlaskClient,
    resident: ResidentUser,
    adviser_headers: dict[str, str],
    admin_headers: dict[str, str],
    recruiter_headers: dict[str, str],
    eraser: str,
) -> None:
    rid = resident.id
    # Leave traces: credentials, a consent, and audited reads, lists, matches and updates.
    update = {**resident.record, "credentials": ["care-certificate", "dbs-enhanced"]}
    assert db_client.put(f"{URL}/{rid}", json=update, headers=adviser_headers).status_code == 200
    assert (
        db_client.put(f"{URL}/{rid}/consents", json={"employers": [TRUST]}, headers=resident.headers).status_code == 200
    )
    assert db_client.get(f"{URL}/{rid}", headers=admin_headers).status_code == 200
    assert (
        db_client.get(
            URL, query_string={"credential": "dbs-enhanced", "per_page": 100}, headers=adviser_headers
        ).status_code
        == 200
    )
    assert db_client.get(f"{URL}/{rid}/matches", headers=adviser_headers).status_code == 200
    vacancy = db_client.post("/api/v1/vacancies", json=vacancy_body(), headers=recruiter_headers).get_json()
    matches = db_client.get(f"/api/v1/vacancies/{vacancy['id']}/matches?limit=200", headers=recruiter_headers)
    assert rid in {c["resident"] for c in matches.get_json()["candidates"]}  # consented: identified, audited
    before = resident_rows(db_app, rid)
    assert before["credentials"] == 2
    assert before["consents"] == 1
    assert before["audit"] >= 5

    headers = resident.headers if eraser == "self" else admin_headers
    response = db_client.delete(f"{URL}/{rid}", headers=headers)
    assert response.status_code == 204
    assert response.get_data() == b""

    assert_error(db_client.get(f"{URL}/{rid}", headers=admin_headers), 404, "not_found")
    assert resident_rows(db_app, rid) == {"credentials": 0, "consents": 0, "audit": 0}
    assert all(rid not in json.dumps([r.resource_id, r.action, r.resource_type]) for r in audit_rows(db_app))
    erased = [r for r in audit_rows(db_app) if r.resource_id == "erased"]
    assert ("erase", "resident" if eraser == "self" else "admin") in {(r.action, r.actor_role) for r in erased}
    assert len(erased) >= before["audit"] + 1
    # Recruiters' candidate lists forget the resident too.
    again = db_client.get(f"/api/v1/vacancies/{vacancy['id']}/matches?limit=200", headers=recruiter_headers)
    assert rid not in json.dumps(again.get_json())
    # A second erase finds nothing.
    assert_error(db_client.delete(f"{URL}/{rid}", headers=admin_headers), 404, "not_found")


# -- audit -----------------------------------------------------------------------------------------


def test_every_read_by_staff_is_audited_by_id_and_a_residents_own_reads_are_not(
    db_app: Flask,
    db_client: FlaskClient,
    adviser_headers: dict[str, str],
    admin_headers: dict[str, str],
    issue: Callable[..., IssuedToken],
) -> None:
    district = a_district()
    rid = create(db_client, adviser_headers, postcode=f"{district} 1AA")["id"]
    own = issue(role="resident", resident_id=rid).headers
    assert audit_actions(db_app, rid) == [("create", "adviser")]
    db_client.get(f"{URL}/{rid}", headers=adviser_headers)
    db_client.get(f"{URL}/{rid}", headers=admin_headers)
    db_client.get(f"{URL}/{rid}/matches", headers=admin_headers)
    db_client.get(URL, query_string={"postcode": district}, headers=adviser_headers)
    assert audit_actions(db_app, rid) == [
        ("create", "adviser"),
        ("read", "adviser"),
        ("read", "admin"),
        ("read_matches", "admin"),
        ("list", "adviser"),
    ]
    db_client.get(f"{URL}/{rid}", headers=own)
    db_client.get(f"{URL}/{rid}/matches", headers=own)
    assert len(audit_actions(db_app, rid)) == 5


def test_the_audit_log_holds_no_names_contacts_or_profiles(
    db_app: Flask, db_client: FlaskClient, adviser_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    created = create(db_client, adviser_headers, postcode="B70 9PL", skills=["sign language interpreting"])
    rid = created["id"]
    db_client.get(f"{URL}/{rid}", headers=admin_headers)
    db_client.put(f"{URL}/{rid}", json={**created, "contact": "07700 900123"}, headers=adviser_headers)
    db_client.get(URL, headers=adviser_headers)
    with Session(db_app.extensions["useit_db"]) as session:
        dump = json.dumps([[str(v) for v in row] for row in session.execute(select(AuditEntry.__table__)).all()])
    assert rid in dump
    for secret in (created["name"], created["contact"], "07700 900123", "B70 9PL", "sign language"):
        assert secret not in dump


# -- consent -------------------------------------------------------------------------------------


def candidate_in(client: FlaskClient, vacancy_id: str, headers: dict[str, str], district: str) -> dict[str, Any]:
    """The one candidate from ``district`` (unique to the test) in a vacancy's ranked list."""
    response = client.get(f"/api/v1/vacancies/{vacancy_id}/matches?limit=200", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    found = [
        c
        for c in response.get_json()["candidates"]
        if c.get("postcode_district") == district or str(c.get("postcode", "")).startswith(district + " ")
    ]
    assert len(found) == 1, response.get_json()["candidates"]
    return found[0]


def test_recruiters_see_a_pseudonym_until_consent_and_again_after_withdrawal(
    db_client: FlaskClient,
    adviser_headers: dict[str, str],
    recruiter_headers: dict[str, str],
    other_recruiter_headers: dict[str, str],
    issue: Callable[..., IssuedToken],
) -> None:
    district = a_district()
    created = create(db_client, adviser_headers, postcode=f"{district} 4QT")
    rid = created["id"]
    own = issue(role="resident", resident_id=rid).headers
    ours = db_client.post("/api/v1/vacancies", json=vacancy_body(), headers=recruiter_headers).get_json()
    theirs = db_client.post(
        "/api/v1/vacancies", json=vacancy_body(employer=OTHER_TRUST), headers=other_recruiter_headers
    ).get_json()

    def assert_pseudonymised(candidate: dict[str, Any]) -> str:
        assert set(candidate) == {"assessment", "resident", "postcode_district"}
        assert re.fullmatch(r"cand-[0-9a-f]+", candidate["resident"])
        assert candidate["postcode_district"] == district
        text = json.dumps(candidate)
        for secret in (rid, created["name"], created["contact"], created["postcode"]):
            assert secret not in text
        return str(candidate["resident"])

    first = assert_pseudonymised(candidate_in(db_client, ours["id"], recruiter_headers, district))
    elsewhere = assert_pseudonymised(candidate_in(db_client, theirs["id"], other_recruiter_headers, district))
    assert first != elsewhere  # unlinkable across employers
    assert assert_pseudonymised(candidate_in(db_client, ours["id"], recruiter_headers, district)) == first  # stable

    response = db_client.put(f"{URL}/{rid}/consents", json={"employers": [TRUST]}, headers=own)
    assert response.status_code == 200
    assert response.get_json() == {"id": rid, "consents": [TRUST]}
    identified = candidate_in(db_client, ours["id"], recruiter_headers, district)
    assert (identified["resident"], identified["name"], identified["contact"], identified["postcode"]) == (
        rid,
        created["name"],
        created["contact"],
        created["postcode"],
    )
    # Consent is per employer: the other trust still sees a pseudonym (a new one: every change of
    # consent starts a new pseudonym epoch for the resident).
    elsewhere_now = assert_pseudonymised(candidate_in(db_client, theirs["id"], other_recruiter_headers, district))
    assert elsewhere_now != elsewhere
    # Staff always see who it is.
    assert candidate_in(db_client, theirs["id"], adviser_headers, district)["resident"] == rid

    response = db_client.put(f"{URL}/{rid}/consents", json={"employers": []}, headers=own)
    assert response.get_json() == {"id": rid, "consents": []}
    # Withdrawn: a pseudonym again, but not the one seen before consent, so the recruiter cannot
    # go on following the person they came to know by name.
    after = assert_pseudonymised(candidate_in(db_client, ours["id"], recruiter_headers, district))
    assert after != first
    assert assert_pseudonymised(candidate_in(db_client, ours["id"], recruiter_headers, district)) == after


def test_consents_replace_the_list_and_show_on_the_record(
    db_client: FlaskClient, resident: ResidentUser, adviser_headers: dict[str, str]
) -> None:
    url = f"{URL}/{resident.id}/consents"
    assert db_client.put(url, json={"employers": [TRUST, OTHER_TRUST]}, headers=resident.headers).get_json() == {
        "id": resident.id,
        "consents": sorted([TRUST, OTHER_TRUST]),
    }
    response = db_client.put(url, json={"employers": [f"  {OTHER_TRUST} ", ""]}, headers=adviser_headers)
    assert response.get_json()["consents"] == [OTHER_TRUST]
    assert db_client.get(f"{URL}/{resident.id}", headers=resident.headers).get_json()["consents"] == [OTHER_TRUST]


@pytest.mark.parametrize(
    ("payload", "location"),
    [
        ({}, "employers"),
        ({"employers": TRUST}, "employers"),
        ({"employers": [5]}, "employers.0"),
        ({"employers": [TRUST] * 51}, "employers"),
        ({"employers": [], "colour": "blue"}, "colour"),
    ],
    ids=["missing", "string", "not-strings", "too-many", "extra-field"],
)
def test_invalid_consent_is_422(
    db_client: FlaskClient, resident: ResidentUser, payload: dict[str, Any], location: str
) -> None:
    body = assert_error(
        db_client.put(f"{URL}/{resident.id}/consents", json=payload, headers=resident.headers), 422, "validation_error"
    )
    assert [e["location"] for e in body["errors"]] == [location]


def test_an_overlong_consent_employer_is_422(db_client: FlaskClient, resident: ResidentUser) -> None:
    response = db_client.put(f"{URL}/{resident.id}/consents", json={"employers": ["E" * 201]}, headers=resident.headers)
    assert_error(response, 422, "validation_error")


# -- matches for a resident ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def resident_vacancies(db_client_module: FlaskClient, admin_headers: dict[str, str]) -> dict[str, str]:
    """An open HCA post, a closed one, and a trainee nursing associate post (16 weeks away for an HCA)."""
    made = {}
    for name, source, changes in (
        ("hca", "v-001", {}),
        ("closed", "v-001", {"closing_date": "2000-01-31"}),
        ("tna", "v-019", {}),
    ):
        response = db_client_module.post(
            "/api/v1/vacancies", json=vacancy_body(source, **changes), headers=admin_headers
        )
        assert response.status_code == 201, response.get_data(as_text=True)
        made[name] = response.get_json()["id"]
    return made


@pytest.fixture(scope="module")
def db_client_module(db_app: Flask) -> FlaskClient:
    return db_app.test_client()


def test_matches_for_a_resident_list_open_and_reachable_vacancies(
    db_client: FlaskClient, resident_vacancies: dict[str, str], adviser_headers: dict[str, str]
) -> None:
    rid = create(db_client, adviser_headers)["id"]
    response = db_client.get(f"{URL}/{rid}/matches", query_string={"within_weeks": 52}, headers=adviser_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"resident", "open_now", "reachable", "when_allowed"}
    assert body["resident"] == rid
    open_now = {item["vacancy"]: item for item in body["open_now"]}
    reachable = {item["vacancy"]: item for item in body["reachable"]}
    assert resident_vacancies["hca"] in open_now
    assert resident_vacancies["closed"] not in open_now | reachable
    assert open_now[resident_vacancies["hca"]]["assessment"]["eligible_now"] is True
    assert set(open_now[resident_vacancies["hca"]]) == {"vacancy", "title", "employer", "band", "assessment"}
    tna = reachable[resident_vacancies["tna"]]
    assert tna["assessment"]["eligible_now"] is False
    assert 0 < tna["assessment"]["pathway"]["total_weeks"] <= 52
    assert tna["assessment"]["pathway"]["steps"]
    for item in body["reachable"]:
        assert item["assessment"]["pathway"]["total_weeks"] <= 52

    soon = db_client.get(f"{URL}/{rid}/matches", query_string={"within_weeks": 0}, headers=adviser_headers).get_json()
    assert resident_vacancies["tna"] not in {item["vacancy"] for item in soon["reachable"]}
    assert resident_vacancies["hca"] in {item["vacancy"] for item in soon["open_now"]}


def test_a_resident_without_the_right_to_work_has_nothing_open_now(
    db_client: FlaskClient, resident_vacancies: dict[str, str], adviser_headers: dict[str, str]
) -> None:
    rid = create(db_client, adviser_headers, right_to_work="no")["id"]
    body = db_client.get(f"{URL}/{rid}/matches", headers=adviser_headers).get_json()
    assert body["open_now"] == []
    assert resident_vacancies["hca"] not in {item["vacancy"] for item in body["reachable"]}


def test_a_resident_sees_their_own_matches(
    db_client: FlaskClient, resident_vacancies: dict[str, str], resident: ResidentUser
) -> None:
    response = db_client.get(f"{URL}/{resident.id}/matches", headers=resident.headers)
    assert response.status_code == 200
    assert response.get_json()["resident"] == resident.id


@pytest.mark.parametrize(
    "within_weeks",
    [
        "-1",
        "521",
        "x",
        "1.5",
        "",
        " 4",
        pytest.param(
            "²",
        ),
    ],
    ids=["negative", "over-520", "letters", "decimal", "empty", "space", "superscript-two"],
)
def test_within_weeks_is_validated(
    db_client: FlaskClient, resident: ResidentUser, adviser_headers: dict[str, str], within_weeks: str
) -> None:
    response = db_client.get(
        f"{URL}/{resident.id}/matches", query_string={"within_weeks": within_weeks}, headers=adviser_headers
    )
    body = assert_error(response, 422, "validation_error")
    assert [e["location"] for e in body["errors"]] == ["query.within_weeks"]
