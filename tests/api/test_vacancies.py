"""Vacancies: create, read, list, update, delete by the employer's recruiters; ranked candidates."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.models import VacancyRequirement
from tests.api.support import OTHER_TRUST, TRUST, assert_error, hca_profile, unique, vacancy_body

URL = "/api/v1/vacancies"
VACANCY_ID = re.compile(r"v-[0-9a-f]{16}")


def post(client: FlaskClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def requirement_rows(app: Flask, vacancy_id: str) -> int:
    with Session(app.extensions["useit_db"]) as session:
        query = select(func.count()).select_from(VacancyRequirement).where(VacancyRequirement.vacancy_id == vacancy_id)
        return session.scalar(query) or 0


# -- create --------------------------------------------------------------------------------------


def test_a_recruiter_posts_for_their_own_employer(
    db_app: Flask, db_client: FlaskClient, recruiter_headers: dict[str, str]
) -> None:
    body = vacancy_body("v-001")
    response = db_client.post(URL, json=body, headers=recruiter_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert VACANCY_ID.fullmatch(created["id"])
    assert response.headers["Location"] == f"{URL}/{created['id']}"
    assert (created["reference"], created["employer"], created["version"]) == (body["reference"], TRUST, 1)
    for key in ("title", "band", "closing_date", "essential", "desirable"):
        assert created[key] == body[key]
    parsed = db_client.get(f"{URL}/{created['id']}", headers=recruiter_headers).get_json()["requirements"]
    assert requirement_rows(db_app, created["id"]) == len(parsed) >= len(body["essential"]) + len(body["desirable"])


def test_an_admin_posts_for_any_employer(db_client: FlaskClient, admin_headers: dict[str, str]) -> None:
    created = post(db_client, admin_headers, vacancy_body("v-022", employer=OTHER_TRUST))
    assert created["employer"] == OTHER_TRUST


def test_a_recruiter_cannot_post_for_another_employer(
    db_client: FlaskClient, recruiter_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    body = vacancy_body(employer=OTHER_TRUST)
    error = assert_error(db_client.post(URL, json=body, headers=recruiter_headers), 403, "forbidden")
    assert "own employer" in error["message"]
    listed = db_client.get(URL, query_string={"q": body["title"], "per_page": 100}, headers=admin_headers).get_json()
    assert body["reference"] not in {v["reference"] for v in listed["items"]}


def test_a_duplicate_reference_is_409(db_client: FlaskClient, recruiter_headers: dict[str, str]) -> None:
    body = vacancy_body()
    post(db_client, recruiter_headers, body)
    again = {**vacancy_body("v-004"), "reference": body["reference"]}
    error = assert_error(db_client.post(URL, json=again, headers=recruiter_headers), 409, "conflict")
    assert "reference" in error["message"]


def test_the_contract_id_serves_as_the_reference(db_client: FlaskClient, recruiter_headers: dict[str, str]) -> None:
    body = vacancy_body()
    body["id"] = body.pop("reference")
    response = db_client.post(URL, json=body, headers=recruiter_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["reference"] == body["id"]


@pytest.mark.parametrize(
    ("changes", "locations"),
    [
        ({"reference": None}, ["reference"]),
        ({"reference": "x" * 81}, ["reference"]),
        ({"title": ""}, ["title"]),
        ({"closing_date": "next Friday"}, ["closing_date"]),
        ({"band": "band 5"}, ["band"]),
        ({"essential": "NMC registered nurse"}, ["essential"]),
        ({"essential": ["", 5]}, ["essential.0.text", "essential.1"]),
        ({"employer": ""}, ["employer"]),
        (
            {"reference": "", "title": None, "closing_date": "2026-13-01", "band": 5, "desirable": [{"text": "x"}]},
            ["band", "closing_date", "desirable.0.structured.kind", "reference", "title"],
        ),
    ],
    ids=[
        "no-reference",
        "long-reference",
        "no-title",
        "closing-date",
        "band",
        "criteria-not-list",
        "bad-criteria",
        "no-employer",
        "five-problems",
    ],
)
def test_an_invalid_vacancy_is_422_listing_every_problem(
    db_client: FlaskClient, admin_headers: dict[str, str], changes: dict[str, Any], locations: list[str]
) -> None:
    body = assert_error(db_client.post(URL, json=vacancy_body(**changes), headers=admin_headers), 422)
    assert sorted(e["location"] for e in body["errors"]) == sorted(locations)
    assert all(e["message"] for e in body["errors"])


def test_an_overlong_title_is_422(db_client: FlaskClient, recruiter_headers: dict[str, str]) -> None:
    response = db_client.post(URL, json=vacancy_body(title="Healthcare Assistant " * 20), headers=recruiter_headers)
    assert_error(response, 422, "validation_error")


# -- read and list -------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["adviser_headers", "recruiter_headers", "other_recruiter_headers", "resident"])
def test_get_includes_the_parsed_requirements(
    db_client: FlaskClient, request: pytest.FixtureRequest, recruiter_headers: dict[str, str], reader: str
) -> None:
    created = post(db_client, recruiter_headers, vacancy_body("v-001"))
    value = request.getfixturevalue(reader)
    headers = value.headers if reader == "resident" else value
    response = db_client.get(f"{URL}/{created['id']}", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert {k: v for k, v in body.items() if k != "requirements"} == created
    requirements = body["requirements"]
    # The contract's fields, and where each is judged and whether it was read (additive).
    base = {"text", "kind", "concept_id", "label", "essential", "assessed", "understood"}
    assert all(base <= set(r) <= base | {"any_of", "methods", "experience"} for r in requirements)
    assert {r["text"] for r in requirements if r["essential"]} == set(created["essential"])
    care = [r for r in requirements if r["concept_id"] == "care-certificate"]
    assert care
    # "Care Certificate, or willingness to complete it": a willingness, shown at interview.
    assert (care[0]["kind"], care[0]["assessed"]) == ("condition", "interview")
    assert care[0]["essential"] is True
    assert any(not r["essential"] for r in requirements)


def test_unknown_vacancy_is_404(db_client: FlaskClient, adviser_headers: dict[str, str]) -> None:
    assert_error(db_client.get(f"{URL}/v-0000000000000000", headers=adviser_headers), 404, "not_found")


def test_list_filters_by_employer_band_text_and_open(
    db_client: FlaskClient, recruiter_headers: dict[str, str], other_recruiter_headers: dict[str, str]
) -> None:
    tag = unique("porter").replace("-", "")
    ours_open = post(db_client, recruiter_headers, vacancy_body("v-004", title=f"Porter {tag}", band="2"))["id"]
    ours_closed = post(
        db_client,
        recruiter_headers,
        vacancy_body("v-004", title=f"Night Porter {tag}", band="2", closing_date="2001-03-31"),
    )["id"]
    theirs = post(
        db_client,
        other_recruiter_headers,
        vacancy_body("v-004", employer=OTHER_TRUST, title=f"Senior porter {tag.upper()}", band="3"),
    )["id"]
    post(db_client, recruiter_headers, vacancy_body("v-004", title="Porter", band="2"))

    def ids(**query: str) -> list[str]:
        response = db_client.get(URL, query_string={"q": tag, **query}, headers=recruiter_headers)
        assert response.status_code == 200
        body = response.get_json()
        assert body["total"] == len(body["items"])
        return [item["id"] for item in body["items"]]

    assert set(ids()) == {ours_open, ours_closed, theirs}
    assert set(ids(q=tag.upper())) == {ours_open, ours_closed, theirs}
    assert set(ids(employer=TRUST)) == {ours_open, ours_closed}
    assert ids(employer=OTHER_TRUST) == [theirs]
    assert set(ids(band="2")) == {ours_open, ours_closed}
    assert ids(band="3") == [theirs]
    assert set(ids(open="true")) == {ours_open, theirs}
    assert ids(open="true", employer=TRUST, band="2") == [ours_open]
    assert ids(q=f"{tag}-nothing") == []


def test_list_pages(db_client: FlaskClient, recruiter_headers: dict[str, str]) -> None:
    tag = unique("ward clerk").replace("-", "")
    made = {
        post(db_client, recruiter_headers, vacancy_body("v-006", title=f"Ward Clerk {tag}"))["id"] for _ in range(3)
    }
    pages = [
        db_client.get(URL, query_string={"q": tag, "per_page": 2, "page": page}, headers=recruiter_headers).get_json()
        for page in (1, 2)
    ]
    assert [(p["page"], p["per_page"], p["total"], len(p["items"])) for p in pages] == [(1, 2, 3, 2), (2, 2, 3, 1)]
    assert {item["id"] for p in pages for item in p["items"]} == made
    assert_error(db_client.get(URL, query_string={"per_page": 101}, headers=recruiter_headers), 422, "validation_error")


@pytest.mark.parametrize("text", ["%", "_"])
def test_list_text_search_is_literal(db_client: FlaskClient, recruiter_headers: dict[str, str], text: str) -> None:
    post(db_client, recruiter_headers, vacancy_body("v-004"))
    body = db_client.get(URL, query_string={"q": text}, headers=recruiter_headers).get_json()
    assert body["total"] == 0  # no title holds a '%' or an '_'


# -- update and delete ---------------------------------------------------------------------------


def test_update_with_the_current_version(
    db_app: Flask, db_client: FlaskClient, recruiter_headers: dict[str, str]
) -> None:
    created = post(db_client, recruiter_headers, vacancy_body("v-001"))
    changed = {**created, "band": "3", "essential": [*created["essential"], "Enhanced DBS check"]}
    response = db_client.put(f"{URL}/{created['id']}", json=changed, headers=recruiter_headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["version"], body["band"], body["reference"]) == (2, "3", created["reference"])
    fetched = db_client.get(f"{URL}/{created['id']}", headers=recruiter_headers).get_json()
    assert "Enhanced DBS check" in {r["text"] for r in fetched["requirements"]}
    assert requirement_rows(db_app, created["id"]) == len(fetched["requirements"])
    assert {r["text"] for r in fetched["requirements"] if r["essential"]} == set(changed["essential"])


def test_update_with_a_stale_version_is_409_and_changes_nothing(
    db_client: FlaskClient, recruiter_headers: dict[str, str]
) -> None:
    created = post(db_client, recruiter_headers, vacancy_body("v-001"))
    current = db_client.put(f"{URL}/{created['id']}", json={**created, "band": "3"}, headers=recruiter_headers)
    assert current.status_code == 200
    stale = {**created, "title": "Something else"}  # version 1 again
    assert_error(db_client.put(f"{URL}/{created['id']}", json=stale, headers=recruiter_headers), 409, "conflict")
    fetched = db_client.get(f"{URL}/{created['id']}", headers=recruiter_headers).get_json()
    assert {k: v for k, v in fetched.items() if k != "requirements"} == current.get_json()


@pytest.mark.parametrize("version", [None, "2", True], ids=["missing", "string", "bool"])
def test_update_needs_an_integer_version(
    db_client: FlaskClient, recruiter_headers: dict[str, str], version: object
) -> None:
    created = post(db_client, recruiter_headers, vacancy_body())
    body = {**created, "version": version}
    if version is None:
        del body["version"]
    error = assert_error(db_client.put(f"{URL}/{created['id']}", json=body, headers=recruiter_headers), 422)
    assert [e["location"] for e in error["errors"]] == ["version"]


def test_update_of_an_unknown_vacancy_is_404(db_client: FlaskClient, admin_headers: dict[str, str]) -> None:
    body = {**vacancy_body(), "version": 1}
    assert_error(db_client.put(f"{URL}/v-0000000000000000", json=body, headers=admin_headers), 404, "not_found")


def test_update_to_a_reference_in_use_is_409(db_client: FlaskClient, recruiter_headers: dict[str, str]) -> None:
    first = post(db_client, recruiter_headers, vacancy_body())
    second = post(db_client, recruiter_headers, vacancy_body())
    clash = {**second, "reference": first["reference"]}
    assert_error(db_client.put(f"{URL}/{second['id']}", json=clash, headers=recruiter_headers), 409, "conflict")


def test_another_employers_recruiter_cannot_update_delete_or_see_matches(
    db_client: FlaskClient, recruiter_headers: dict[str, str], other_recruiter_headers: dict[str, str]
) -> None:
    created = post(db_client, recruiter_headers, vacancy_body())
    url = f"{URL}/{created['id']}"
    # Even claiming their own employer in the body does not let them take it over.
    for body in ({**created, "title": "Taken"}, {**created, "employer": OTHER_TRUST}):
        assert_error(db_client.put(url, json=body, headers=other_recruiter_headers), 403, "forbidden")
    assert_error(db_client.delete(url, headers=other_recruiter_headers), 403, "forbidden")
    assert_error(db_client.get(f"{url}/matches", headers=other_recruiter_headers), 403, "forbidden")
    fetched = db_client.get(url, headers=recruiter_headers).get_json()
    assert {k: v for k, v in fetched.items() if k != "requirements"} == created


def test_a_recruiter_cannot_move_a_vacancy_to_another_employer(
    db_client: FlaskClient, recruiter_headers: dict[str, str]
) -> None:
    created = post(db_client, recruiter_headers, vacancy_body())
    moved = {**created, "employer": OTHER_TRUST}
    assert_error(db_client.put(f"{URL}/{created['id']}", json=moved, headers=recruiter_headers), 403, "forbidden")


@pytest.mark.parametrize("deleter", ["recruiter_headers", "admin_headers"])
def test_delete(db_app: Flask, db_client: FlaskClient, request: pytest.FixtureRequest, deleter: str) -> None:
    created = post(db_client, request.getfixturevalue("recruiter_headers"), vacancy_body())
    headers = request.getfixturevalue(deleter)
    response = db_client.delete(f"{URL}/{created['id']}", headers=headers)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert_error(db_client.get(f"{URL}/{created['id']}", headers=headers), 404, "not_found")
    assert_error(db_client.delete(f"{URL}/{created['id']}", headers=headers), 404, "not_found")
    assert requirement_rows(db_app, created["id"]) == 0


# -- matches for a vacancy -------------------------------------------------------------------------


def create_resident(client: FlaskClient, headers: dict[str, str], **changes: Any) -> str:
    response = client.post("/api/v1/residents", json=hca_profile(**changes), headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return str(response.get_json()["id"])


def test_an_eligible_hca_ranks_before_one_without_the_right_to_work(
    db_client: FlaskClient, adviser_headers: dict[str, str], recruiter_headers: dict[str, str]
) -> None:
    # Created first, so an order that merely follows creation would put them ahead.
    blocked = create_resident(db_client, adviser_headers, right_to_work="no")
    eligible = create_resident(db_client, adviser_headers)
    vacancy = post(db_client, recruiter_headers, vacancy_body("v-001"))
    response = db_client.get(f"{URL}/{vacancy['id']}/matches", query_string={"limit": 200}, headers=adviser_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["vacancy"], body["title"]) == (vacancy["id"], vacancy["title"])
    order = [c["resident"] for c in body["candidates"]]
    assert eligible in order
    assert blocked in order
    assert order.index(eligible) < order.index(blocked)
    by_id = {c["resident"]: c for c in body["candidates"]}
    assert by_id[eligible]["assessment"]["eligible_now"] is True
    assert by_id[blocked]["assessment"]["eligible_now"] is False
    assert "right-to-work" in by_id[blocked]["assessment"]["blocked_by"]
    assert by_id[eligible]["name"] is not None
    # Eligible candidates come first, each group best fit first.
    flags = [c["assessment"]["eligible_now"] for c in body["candidates"]]
    assert flags == sorted(flags, reverse=True)


def test_limit_caps_the_candidates(
    db_client: FlaskClient, adviser_headers: dict[str, str], recruiter_headers: dict[str, str]
) -> None:
    for _ in range(3):
        create_resident(db_client, adviser_headers)
    vacancy = post(db_client, recruiter_headers, vacancy_body("v-001"))
    body = db_client.get(f"{URL}/{vacancy['id']}/matches?limit=2", headers=recruiter_headers).get_json()
    assert len(body["candidates"]) == 2


@pytest.mark.parametrize(
    "limit",
    [
        "0",
        "201",
        "x",
        "-1",
        "2.5",
        "",
        pytest.param(
            "²",
        ),
    ],
    ids=["zero", "over-200", "letters", "negative", "decimal", "empty", "superscript-two"],
)
def test_limit_is_validated(db_client: FlaskClient, recruiter_headers: dict[str, str], limit: str) -> None:
    vacancy = post(db_client, recruiter_headers, vacancy_body())
    response = db_client.get(f"{URL}/{vacancy['id']}/matches", query_string={"limit": limit}, headers=recruiter_headers)
    body = assert_error(response, 422, "validation_error")
    assert [e["location"] for e in body["errors"]] == ["query.limit"]


def test_matches_for_an_unknown_vacancy_is_404(db_client: FlaskClient, adviser_headers: dict[str, str]) -> None:
    assert_error(db_client.get(f"{URL}/v-0000000000000000/matches", headers=adviser_headers), 404, "not_found")


def test_matches_follow_changes_to_residents(
    db_client: FlaskClient, adviser_headers: dict[str, str], recruiter_headers: dict[str, str]
) -> None:
    """The process caches its resident index: a new resident, or one who gains the right to work, shows."""
    vacancy = post(db_client, recruiter_headers, vacancy_body("v-001"))
    url = f"{URL}/{vacancy['id']}/matches?limit=200"
    db_client.get(url, headers=adviser_headers)  # warm the cache
    rid = create_resident(db_client, adviser_headers, right_to_work="unknown")
    candidates = {c["resident"]: c for c in db_client.get(url, headers=adviser_headers).get_json()["candidates"]}
    assert candidates[rid]["assessment"]["eligible_now"] is False
    record = db_client.get(f"/api/v1/residents/{rid}", headers=adviser_headers).get_json()
    updated = db_client.put(
        f"/api/v1/residents/{rid}", json={**record, "right_to_work": "yes"}, headers=adviser_headers
    )
    assert updated.status_code == 200
    candidates = {c["resident"]: c for c in db_client.get(url, headers=adviser_headers).get_json()["candidates"]}
    assert candidates[rid]["assessment"]["eligible_now"] is True


def test_open_vacancies_reparse_a_changed_vacancy_and_drop_a_deleted_one(
    db_app: Flask, db_client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    from datetime import date

    from api.store import transaction
    from api.vacancies import open_vacancies

    created = db_client.post("/api/v1/vacancies", json=vacancy_body("v-001"), headers=admin_headers).get_json()

    def parsed_titles() -> dict[str, str]:
        with db_app.app_context(), transaction() as session:
            return {vacancy_id: parsed.title for vacancy_id, parsed in open_vacancies(session, date.today())}

    assert parsed_titles()[created["id"]] == created["title"]  # parsed once, then cached
    changed = {**created, "title": "Senior Healthcare Assistant"}
    assert db_client.put(f"/api/v1/vacancies/{created['id']}", json=changed, headers=admin_headers).status_code == 200
    assert parsed_titles()[created["id"]] == "Senior Healthcare Assistant"  # a new version is parsed again
    assert db_client.delete(f"/api/v1/vacancies/{created['id']}", headers=admin_headers).status_code == 204
    assert created["id"] not in parsed_titles()


def test_limit_is_the_one_name_and_the_older_ones_still_work(
    db_client: FlaskClient, adviser_headers: dict[str, str]
) -> None:
    for alias in ("limit", "per_page"):
        body = db_client.get(f"/api/v1/vacancies?{alias}=1", headers=adviser_headers).get_json()
        assert body["limit"] == body["per_page"] == 1
    clash = db_client.get("/api/v1/vacancies?limit=1&per_page=2", headers=adviser_headers)
    assert clash.status_code == 422
    assert {e["location"] for e in clash.get_json()["errors"]} == {"query.limit", "query.per_page"}
    unknown = db_client.get("/api/v1/vacancies?limt=1", headers=adviser_headers)
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"][0]["location"] == "query.limt"
    top = db_client.get("/api/v1/taxonomy/search?q=nurse&top=2")
    assert top.status_code == 200
    assert len(top.get_json()["results"]) <= 2


def test_one_code_for_invalid_input(db_client: FlaskClient, recruiter_headers: dict[str, str]) -> None:
    """The engine's refusal and the schema's refusal of a body are the same kind of failure."""
    assess = db_client.post("/api/v1/pathways", json={"goals": ["astronaut-licence"]})
    post = db_client.post("/api/v1/vacancies", json={"title": 5}, headers=recruiter_headers)
    assert assess.status_code == post.status_code == 422
    assert assess.get_json()["code"] == post.get_json()["code"] == "validation_error"
