"""Insights endpoints: training that unlocks jobs (with salaries) and supply and demand.

This module's database holds the shipped personas and vacancies only (each test module gets a
fresh one), so counts can be exact where they do not depend on today's date.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from matcher.pay import load_pay_bands

from .support import REPO_ROOT, TRUST, IssuedToken, assert_error, unique, vacancy_body

RESIDENTS = json.loads((REPO_ROOT / "fixtures" / "residents.json").read_text(encoding="utf-8"))["residents"]
VACANCIES = json.loads((REPO_ROOT / "fixtures" / "vacancies.json").read_text(encoding="utf-8"))["vacancies"]
PAY_FILE = REPO_ROOT / "fixtures" / "pay_bands.json"
PAY = {band: list(found.points_gbp) for band, found in load_pay_bands(PAY_FILE).bands.items()}
TRAINING, SUPPLY_DEMAND = "/api/v1/insights/training", "/api/v1/insights/supply-demand"


@pytest.fixture(scope="module")
def stored(db_app: Flask, admin_headers: dict[str, str]) -> list[str]:
    """The shipped personas and vacancies, stored through the API; returns the residents' ids."""
    db_client = db_app.test_client()
    ids = []
    for record in RESIDENTS:
        body = {k: v for k, v in record.items() if k not in ("id", "persona")}
        response = db_client.post("/api/v1/residents", json=body, headers=admin_headers)
        assert response.status_code == 201, response.get_data(as_text=True)
        ids.append(response.get_json()["id"])
    for record in VACANCIES:
        body = vacancy_body(record["id"], employer=record["employer"])
        assert db_client.post("/api/v1/vacancies", json=body, headers=admin_headers).status_code == 201
    return ids


def test_training_insights_carry_salaries_and_stay_compatible(
    db_client: FlaskClient, adviser_headers: dict[str, str], stored: list[str]
) -> None:
    response = db_client.get(TRAINING, headers=adviser_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["residents"], body["open_vacancies"]) == (len(RESIDENTS), len(VACANCIES))
    assert body["pay"]["year"] == "2026/27"
    assert body["credentials"]
    for item in body["credentials"]:
        assert {"credential", "label", "residents_unlocked", "vacancies_unlocked", "bands"} <= set(item)
        assert {"typical_weeks", "typical_cost_gbp"} <= set(item)
        assert "vacancies" not in item
        priced = [PAY[b] for b in item["bands"] if b in PAY]
        expected = (min(min(p) for p in priced), max(max(p) for p in priced)) if priced else (None, None)
        assert (item["salary_min_gbp"], item["salary_max_gbp"]) == expected, item
    found = {item["credential"]: item for item in body["credentials"]}
    assert found["gmc-registration"]["residents_unlocked"] == 6
    assert found["gmc-registration"]["salary_min_gbp"] is None  # doctors are not on Agenda for Change


def test_training_insights_list_the_vacancies_when_asked(
    db_client: FlaskClient, admin_headers: dict[str, str], stored: list[str]
) -> None:
    body = db_client.get(TRAINING + "?with_vacancies=true&top=3", headers=admin_headers).get_json()
    assert len(body["credentials"]) == 3
    # GMC registration ties with others on residents unlocked: look for it among more.
    body = db_client.get(TRAINING + "?with_vacancies=true&top=10", headers=admin_headers).get_json()
    gmc = next(i for i in body["credentials"] if i["credential"] == "gmc-registration")
    assert {v["title"] for v in gmc["vacancies"]} == {
        "Clinical Fellow (Resident Doctor) - Acute Medicine",
        "Specialty Doctor - General Internal Medicine",
    }
    assert set(gmc["vacancies"][0]) == {"id", "title", "band"}


def test_supply_and_demand(db_client: FlaskClient, adviser_headers: dict[str, str], stored: list[str]) -> None:
    response = db_client.get(SUPPLY_DEMAND, headers=adviser_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["residents"], body["open_vacancies"]) == (len(RESIDENTS), len(VACANCIES))
    occupations = {o["occupation_id"]: o for o in body["occupations"]}
    nurse = occupations["occ-staff-nurse"]
    assert (nurse["demand"], nurse["supply"], nurse["eligible_now"]) == (1, 10, 2)
    assert (nurse["salary_min_gbp"], nurse["salary_max_gbp"]) == (32_074, 39_043)
    districts = {d["district"]: d["residents"] for d in body["areas"]["districts"]}
    assert districts == dict(Counter(r["postcode"].split()[0] for r in RESIDENTS))
    towns = {t["town"]: t["vacancies"] for t in body["areas"]["towns"]}
    assert towns == {"Smethwick": 17, "Birmingham": 11, "West Bromwich": 5, "Oldbury": 1}
    assert body["pay"]["scale"] == "NHS Agenda for Change"


def test_insights_name_no_resident(db_client: FlaskClient, admin_headers: dict[str, str], stored: list[str]) -> None:
    text = db_client.get(SUPPLY_DEMAND, headers=admin_headers).get_data(as_text=True)
    text += db_client.get(TRAINING + "?with_vacancies=true&top=100", headers=admin_headers).get_data(as_text=True)
    for resident_id in stored:
        assert resident_id not in text
    for record in RESIDENTS:
        assert record["postcode"] not in text


def test_erased_residents_leave_the_counts(
    db_client: FlaskClient, admin_headers: dict[str, str], stored: list[str]
) -> None:
    before = db_client.get(TRAINING, headers=admin_headers).get_json()["residents"]
    created = db_client.post(
        "/api/v1/residents", json={"right_to_work": "yes", "postcode": "B66 1AA"}, headers=admin_headers
    )
    resident_id = created.get_json()["id"]
    assert db_client.get(TRAINING, headers=admin_headers).get_json()["residents"] == before + 1
    assert db_client.delete(f"/api/v1/residents/{resident_id}", headers=admin_headers).status_code == 204
    assert db_client.get(TRAINING, headers=admin_headers).get_json()["residents"] == before
    assert db_client.get(SUPPLY_DEMAND, headers=admin_headers).get_json()["residents"] == before


def test_a_closed_vacancy_is_not_demand(
    db_client: FlaskClient, admin_headers: dict[str, str], stored: list[str]
) -> None:
    closed = {
        "reference": unique("CLOSED"),
        "title": "Porter",
        "employer": TRUST,
        "closing_date": "2020-01-01",
        "location": "Nowhere Hospital, Closedtown",
    }
    assert db_client.post("/api/v1/vacancies", json=closed, headers=admin_headers).status_code == 201
    body = db_client.get(SUPPLY_DEMAND, headers=admin_headers).get_json()
    assert body["open_vacancies"] == len(VACANCIES)
    assert "Closedtown" not in {t["town"] for t in body["areas"]["towns"]}


@pytest.mark.parametrize("url", [TRAINING, SUPPLY_DEMAND])
@pytest.mark.parametrize(("caller", "status"), [("none", 401), ("recruiter", 403), ("resident", 403)])
def test_insights_are_for_advisers_and_admins(
    db_client: FlaskClient,
    recruiter_headers: dict[str, str],
    issue: Callable[..., IssuedToken],
    stored: list[str],
    url: str,
    caller: str,
    status: int,
) -> None:
    resident_headers = issue(role="resident", resident_id=stored[0]).headers  # a stored persona's own token
    headers = {"none": {}, "recruiter": recruiter_headers, "resident": resident_headers}[caller]
    assert_error(db_client.get(url, headers=headers), status)


@pytest.mark.parametrize(
    "query",
    [
        TRAINING + "?top=0",
        TRAINING + "?top=101",
        TRAINING + "?top=ten",
        TRAINING + "?with_vacancies=yes",
        SUPPLY_DEMAND + "?top=0",
        SUPPLY_DEMAND + "?top=501",
        SUPPLY_DEMAND + "?top=",
    ],
)
def test_bad_queries_are_422(db_client: FlaskClient, adviser_headers: dict[str, str], query: str) -> None:
    body = assert_error(db_client.get(query, headers=adviser_headers), 422, "validation_error")
    assert body["errors"][0]["location"].startswith("query.")


def test_the_openapi_document_declares_both_responses(db_client: FlaskClient) -> None:
    document = db_client.get("/openapi.json").get_json()
    for path, model in ((TRAINING, "TrainingInsightsOut"), (SUPPLY_DEMAND, "SupplyDemandOut")):
        operation = document["paths"][path]["get"]
        assert sorted(operation["x-roles"]) == ["admin", "adviser"]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(model)
    schemas = document["components"]["schemas"]
    assert {"salary_min_gbp", "salary_max_gbp", "vacancies"} <= set(schemas["CredentialInsightOut"]["properties"])
    assert {"demand", "supply", "eligible_now"} <= set(schemas["OccupationBalanceOut"]["properties"])
