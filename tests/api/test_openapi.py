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


def test_every_operation_says_in_words_what_it_does(app: Flask, client: FlaskClient) -> None:
    """A summary a person reads (not the endpoint's name) and a description, for every operation;
    every JSON body typed by a schema of the contract."""
    document = client.get("/openapi.json").get_json()
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            summary = operation["summary"]
            assert summary not in endpoints, f"{method.upper()} {path}: summary is the endpoint's name"
            assert len(summary.split()) >= 3, (path, summary)
            assert "\n" not in summary
            assert operation["description"], (path, method)
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                if media in ("application/json", "multipart/form-data"):
                    assert "$ref" in content["schema"], f"{method.upper()} {path}: {media} body is a bare object"


def test_the_examples_are_requests_the_api_accepts(
    db_client: FlaskClient, admin_headers: dict[str, str], recruiter_headers: dict[str, str]
) -> None:
    """Each JSON example, sent as it stands, succeeds: an integrator can start from it."""
    document = db_client.get("/openapi.json").get_json()
    sent = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                if "example" not in content:
                    continue
                if "{" in path:
                    continue  # updates need a record first: their bodies are the create examples plus a version
                url = path + ("?dry_run=true" if path.endswith("/import") else "")
                headers = recruiter_headers if "/vacancies" in path else admin_headers
                example = content["example"]
                if media == "application/json":
                    response = db_client.open(url, method=method.upper(), json=example, headers=headers)
                else:
                    response = db_client.open(
                        url, method=method.upper(), data=example, content_type=media, headers=headers
                    )
                assert response.status_code in (200, 201), (method, path, media, response.get_json())
                sent += 1
    assert sent >= 8


def test_query_parameters_have_one_vocabulary(client: FlaskClient) -> None:
    """How many to return is ``limit`` everywhere; ``per_page`` and ``top`` are not parameters of
    their own (they are still read, as each ``limit`` says)."""
    document = client.get("/openapi.json").get_json()
    names = {
        parameter["name"]
        for operations in document["paths"].values()
        for operation in operations.values()
        for parameter in operation["parameters"]
        if parameter["in"] == "query"
    }
    assert "limit" in names
    assert not names & {"per_page", "top"}
