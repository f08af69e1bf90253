"""Bulk vacancy import (API and CLI), taxonomy search and training insights."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from api.cli import main

from .support import OPEN_UNTIL, REPO_ROOT, TRUST, assert_error, unique

INTAKE = REPO_ROOT / "fixtures" / "intake"
URL = "/api/v1/vacancies/import"


def _csv_with_fresh_references() -> tuple[str, str]:
    """The sample CSV with references no other test uses (so counts are this test's own)."""
    marker = unique("IMP")
    text = (INTAKE / "vacancies.csv").read_text(encoding="utf-8").replace("C9-389-26-01", f"{marker}-")
    return text, marker


def _count(client: FlaskClient, headers: dict[str, str], marker: str) -> int:
    items = client.get("/api/v1/vacancies?per_page=100", headers=headers).get_json()["items"]
    return sum(1 for item in items if str(item["reference"]).startswith(marker))


def test_csv_import_creates_then_updates_by_reference(
    db_client: FlaskClient, recruiter_headers: dict[str, str]
) -> None:
    text, marker = _csv_with_fresh_references()
    first = db_client.post(URL, data=text.encode(), headers={**recruiter_headers, "Content-Type": "text/csv"})
    assert first.status_code == 200, first.get_data(as_text=True)
    body = first.get_json()
    assert body | {"references": None, "vacancies": None} == {
        "dry_run": False,
        "valid": 4,
        "references": None,
        "vacancies": None,
        "created": 4,
        "updated": 0,
    }
    assert len(body["vacancies"]) == 4  # each with its criteria as read
    again = db_client.post(URL, data=text.encode(), headers={**recruiter_headers, "Content-Type": "text/csv"})
    assert (again.get_json()["created"], again.get_json()["updated"]) == (0, 4)
    assert _count(db_client, recruiter_headers, marker) == 4


def test_dry_run_reports_and_writes_nothing(db_client: FlaskClient, recruiter_headers: dict[str, str]) -> None:
    text, marker = _csv_with_fresh_references()
    response = db_client.post(
        URL + "?dry_run=true", data=text.encode(), headers={**recruiter_headers, "Content-Type": "text/csv"}
    )
    assert response.status_code == 200
    assert response.get_json()["valid"] == 4
    assert (response.get_json()["created"], response.get_json()["updated"]) == (4, 0)  # as the import would
    assert _count(db_client, recruiter_headers, marker) == 0


def test_a_file_with_bad_rows_imports_nothing_and_names_each_line(
    db_client: FlaskClient, recruiter_headers: dict[str, str]
) -> None:
    good, marker = _csv_with_fresh_references()
    bad = (INTAKE / "vacancies_bad_rows.csv").read_text(encoding="utf-8")
    body = assert_error(
        db_client.post(URL, data=bad.encode(), headers={**recruiter_headers, "Content-Type": "text/csv"}), 422
    )
    locations = {e["location"] for e in body["errors"]}
    assert {"line 3", "line 5"} <= locations
    assert "nothing was imported" in body["message"]
    # One bad row among good ones: still nothing written.
    lines = good.splitlines(keepends=True)
    mixed = "".join(lines) + f"{marker}-9,,{TRUST},Band 99,,,,,,,,,not a date,x,\n"
    assert_error(
        db_client.post(URL, data=mixed.encode(), headers={**recruiter_headers, "Content-Type": "text/csv"}), 422
    )
    assert _count(db_client, recruiter_headers, marker) == 0


def test_recruiters_import_only_their_own_employer(
    db_client: FlaskClient, recruiter_headers: dict[str, str], other_recruiter_headers: dict[str, str]
) -> None:
    text, marker = _csv_with_fresh_references()
    body = assert_error(
        db_client.post(URL, data=text.encode(), headers={**other_recruiter_headers, "Content-Type": "text/csv"}), 422
    )
    assert any(e["field"] == "employer" for e in body["errors"])
    assert _count(db_client, recruiter_headers, marker) == 0


def test_free_text_advert_and_json_import(db_client: FlaskClient, admin_headers: dict[str, str]) -> None:
    marker = unique("ADV")
    advert = (INTAKE / "advert_staff_nurse.txt").read_text(encoding="utf-8")
    reference = (
        next(line for line in advert.splitlines() if line.strip().lower().startswith("reference"))
        .split(":")[-1]
        .strip()
    )
    advert = advert.replace(reference, f"{marker}-1")
    response = db_client.post(URL, data=advert.encode(), headers={**admin_headers, "Content-Type": "text/plain"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["created"] == 1
    payload = [
        {
            "reference": f"{marker}-2",
            "title": "Domestic Assistant",
            "employer": TRUST,
            "band": "Band 2",
            "closing_date": OPEN_UNTIL,
            "essential": ["Ability to communicate effectively in English"],
        },
    ]
    response = db_client.post(URL, json=payload, headers=admin_headers)
    assert response.get_json()["created"] == 1
    assert _count(db_client, admin_headers, marker) == 2


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [("application/xml", b"<x/>", 415), ("text/csv", b"\xff\xfe\x00bad", 400), ("text/csv", b"", 422)],
    ids=["unsupported-type", "invalid-utf8", "empty"],
)
def test_bad_uploads_get_clear_errors(
    db_client: FlaskClient, admin_headers: dict[str, str], content_type: str, body: bytes, status: int
) -> None:
    assert_error(db_client.post(URL, data=body, headers={**admin_headers, "Content-Type": content_type}), status)


def test_advisers_and_residents_cannot_import(db_client: FlaskClient, adviser_headers: dict[str, str]) -> None:
    assert_error(db_client.post(URL, data=b"x", headers={**adviser_headers, "Content-Type": "text/csv"}), 403)


# -- the CLI ------------------------------------------------------------------------------------
def test_cli_import_dry_run_then_import(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["db", "init"]).exit_code == 0
    dry = runner.invoke(main, ["vacancies", "import", str(INTAKE / "vacancies.csv"), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "4 vacancies valid" in dry.output
    done = runner.invoke(main, ["vacancies", "import", str(INTAKE / "vacancies.csv")])
    assert done.exit_code == 0, done.output
    assert "4 created, 0 updated" in done.output
    again = runner.invoke(main, ["vacancies", "import", str(INTAKE / "vacancies.csv")])
    assert "0 created, 4 updated" in again.output


@pytest.mark.parametrize(
    ("name", "expected"),
    [("vacancies_bad_rows.csv", "line 3"), ("does-not-exist.csv", "does-not-exist.csv")],
    ids=["bad-rows", "missing-file"],
)
def test_cli_import_refuses_bad_files(runner: CliRunner, name: str, expected: str) -> None:
    result = runner.invoke(main, ["vacancies", "import", str(INTAKE / name)])
    assert result.exit_code == 2
    assert "nothing imported" in result.output
    assert expected in result.output
    assert "Traceback" not in result.output


# -- taxonomy search and insights ----------------------------------------------------------------
def test_taxonomy_search_suggests_concepts(db_client: FlaskClient) -> None:
    response = db_client.get("/api/v1/taxonomy/search?q=taking%20bloods&kind=skill&limit=3")
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert results[0]["concept_id"] == "skill-venepuncture"
    assert len(results) <= 3


@pytest.mark.parametrize(
    "query",
    ["", "?q=", "?q=nurse&kind=job", "?q=nurse&limit=0", "?q=nurse&limit=x", "?q=" + "a" * 201],
    ids=["no-q", "empty-q", "bad-kind", "limit-0", "limit-text", "too-long"],
)
def test_taxonomy_search_validates_its_query(db_client: FlaskClient, query: str) -> None:
    assert_error(db_client.get("/api/v1/taxonomy/search" + query), 422, "validation_error")


def test_training_insights_name_the_credential_that_unlocks_most(
    db_client: FlaskClient, adviser_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    for _ in range(2):
        resident = {
            "skills": ["personal care", "moving and handling"],
            "experience": [{"title": "Healthcare assistant", "years": 3, "country": "GB"}],
            "qualifications": [{"title": "GCSE Maths grade 5", "country": "GB"}],
            "right_to_work": "yes",
        }
        assert db_client.post("/api/v1/residents", json=resident, headers=adviser_headers).status_code == 201
    vacancy = {
        "reference": unique("TNA"),
        "title": "Trainee Nursing Associate",
        "employer": TRUST,
        "band": "3",
        "closing_date": OPEN_UNTIL,
        "essential": ["GCSE English grade 4 (C) or Functional Skills Level 2 English"],
    }
    assert db_client.post("/api/v1/vacancies", json=vacancy, headers=admin_headers).status_code == 201
    response = db_client.get("/api/v1/insights/training", headers=adviser_headers)
    assert response.status_code == 200
    found = {c["credential"]: c for c in response.get_json()["credentials"]}
    assert "functional-skills-english-l2" in found
    assert found["functional-skills-english-l2"]["residents_unlocked"] >= 2
    assert "3" in found["functional-skills-english-l2"]["bands"]


def test_training_insights_are_for_advisers(db_client: FlaskClient, recruiter_headers: dict[str, str]) -> None:
    assert_error(db_client.get("/api/v1/insights/training", headers=recruiter_headers), 403)
