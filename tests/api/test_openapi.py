"""The OpenAPI document: valid 3.1, complete, and honest about who may call what."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate


def test_document_is_valid_openapi_3_1(client: FlaskClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises with the first schema violation


def test_every_route_is_documented_with_its_policy(app: Flask, client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or app.view_functions[rule.endpoint].access_policy.get("web"):
            continue  # pages are for people, not part of the API
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        assert path in document["paths"], f"{rule.rule} is missing from /openapi.json"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            operation = document["paths"][path][method.lower()]
            policy = app.view_functions[rule.endpoint].access_policy["roles"]
            if policy == "public":
                assert operation["security"] == []
            else:
                assert operation["security"] == [{"bearer": []}]
                assert sorted(operation["x-roles"]) == sorted(policy)


def test_request_bodies_come_from_the_contract_models(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    assess = document["paths"]["/api/v1/assess"]["post"]
    ref = assess["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/AssessRequest")
    assert {"resident", "vacancy"} <= set(document["components"]["schemas"]["AssessRequest"]["properties"])
    ok = assess["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ok.endswith("/AssessmentOut")
    assert "422" in assess["responses"]


def test_docs_page_lists_endpoints_and_roles(client: FlaskClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/api/v1/vacancies/{vacancy_id}/matches" in page
    assert "Roles: adviser, recruiter, admin" in page
    assert "Open to anyone" in page


def test_pages_are_not_in_the_api_document(client: FlaskClient) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    assert "/check" not in paths
    assert not [p for p in paths if not p.startswith("/api/v1/") and p not in ("/healthz", "/openapi.json", "/docs")]
