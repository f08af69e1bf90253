"""The schema and what is stored: migrations, taxonomy loading, and endpoints that store nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, inspect, select, text, update
from sqlalchemy.engine import Engine

from api.db import load_taxonomy, make_engine, session_scope, upgrade
from api.models import Base, TaxonomyConcept
from matcher import Taxonomy
from tests.api.support import assert_error, count_rows, fixture_vacancy, hca_profile, mbbs_profile, vacancy_body

TABLES = set(Base.metadata.tables)


@pytest.fixture
def fresh_engine(fresh_database_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_database_url)
    yield engine
    engine.dispose()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from api.db import MIGRATIONS_DIR

    return str(ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head())


def schema_of(engine: Engine) -> dict[str, list[str]]:
    inspector = inspect(engine)
    return {
        table: sorted(c["name"] for c in inspector.get_columns(table))
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


# -- migrations ----------------------------------------------------------------------------------


def test_upgrade_builds_every_table_and_is_idempotent(fresh_database_url: str, fresh_engine: Engine) -> None:
    upgrade(fresh_database_url)
    first = schema_of(fresh_engine)
    assert set(first) == TABLES
    for name, table in Base.metadata.tables.items():
        assert first[name] == sorted(c.name for c in table.columns), name
    with session_scope(fresh_engine) as session:
        session.add(TaxonomyConcept(id="skill-test", kind="skill", label="test", alt_labels=[], attributes={}))

    upgrade(fresh_database_url)
    upgrade(fresh_database_url)
    assert schema_of(fresh_engine) == first
    with fresh_engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]
        assert connection.execute(select(TaxonomyConcept.label)).scalars().all() == ["test"]


def test_the_module_database_is_at_head_and_upgrade_again_keeps_its_data(
    database_url: str, db_client: FlaskClient, adviser_headers: dict[str, str]
) -> None:
    created = db_client.post("/api/v1/residents", json=hca_profile(), headers=adviser_headers).get_json()
    upgrade(database_url)
    assert db_client.get(f"/api/v1/residents/{created['id']}", headers=adviser_headers).get_json() == created
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
    finally:
        engine.dispose()


def test_upgrade_accepts_a_url_with_a_percent_sign(fresh_database_url: str, tmp_path: Path) -> None:
    if fresh_database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / '100%' / 'useit.db'}"
    else:  # the same search_path option, percent-encoded as URLs often are
        url = fresh_database_url.replace("search_path=", "search_path%3D")
    upgrade(url)
    engine = make_engine(url)
    try:
        assert set(schema_of(engine)) == TABLES
    finally:
        engine.dispose()


# -- the taxonomy ----------------------------------------------------------------------------------


def test_load_taxonomy_twice_updates_rather_than_duplicates(
    fresh_database_url: str, fresh_engine: Engine, taxonomy: Taxonomy
) -> None:
    upgrade(fresh_database_url)
    concepts = list(taxonomy)
    assert load_taxonomy(fresh_engine, taxonomy) == {"inserted": len(concepts), "updated": 0}
    some = concepts[0]
    with session_scope(fresh_engine) as session:
        session.execute(update(TaxonomyConcept).where(TaxonomyConcept.id == some.id).values(label="tampered"))

    assert load_taxonomy(fresh_engine, taxonomy) == {"inserted": 0, "updated": len(concepts)}
    with session_scope(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(TaxonomyConcept)) == len(concepts)
        assert session.scalar(select(func.count(func.distinct(TaxonomyConcept.id)))) == len(concepts)
        row = session.get(TaxonomyConcept, some.id)
        assert row is not None
        assert row.label == some.label
        assert row.kind == some.kind
        assert row.alt_labels == list(some.alt_labels)
        assert row.attributes == dict(some.attributes)
        kinds = dict(session.execute(select(TaxonomyConcept.kind, func.count()).group_by(TaxonomyConcept.kind)).all())
    assert kinds == {kind: n for kind, n in taxonomy.counts().items() if n}


# -- endpoints that store nothing --------------------------------------------------------------------


def test_assess_stores_nothing(db_app: Flask, db_client: FlaskClient, adviser_headers: dict[str, str]) -> None:
    db_client.post("/api/v1/residents", json=hca_profile(), headers=adviser_headers)  # not an empty database
    before = count_rows(db_app)
    resident = {k: v for k, v in hca_profile().items() if k not in ("name", "contact")}
    vacancy = fixture_vacancy("v-001")
    for headers in ({}, adviser_headers):
        response = db_client.post(
            "/api/v1/assess", json={"resident": resident, "vacancy": vacancy, "today": "2026-11-01"}, headers=headers
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert body["eligible_now"] is True
        assert body["blocked_by"] == []
        assert 0.0 <= body["fit"] <= 1.0
    blocked = db_client.post(
        "/api/v1/assess", json={"resident": {**resident, "right_to_work": "no"}, "vacancy": vacancy}
    ).get_json()
    assert (blocked["eligible_now"], blocked["blocked_by"]) == (False, ["right-to-work"])
    assert count_rows(db_app) == before


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"resident": {}, "vacancy": {}}, 422, "validation_error"),
        ({"resident": {"right_to_work": "maybe"}, "vacancy": {"title": "Porter"}}, 422, "validation_error"),
        ({"resident": {}}, 422, "validation_error"),
        ({"resident": {}, "vacancy": {"title": "Porter"}, "store": True}, 422, "validation_error"),
    ],
    ids=["no-title", "bad-resident", "no-vacancy", "extra-field"],
)
def test_invalid_assess_is_422_and_stores_nothing(
    db_app: Flask, db_client: FlaskClient, payload: dict[str, Any], status: int, code: str
) -> None:
    before = count_rows(db_app)
    assert_error(db_client.post("/api/v1/assess", json=payload), status, code)
    assert count_rows(db_app) == before


def test_assess_lists_problems_in_both_records(db_client: FlaskClient) -> None:
    payload = {"resident": {"right_to_work": "maybe", "hours": "nights"}, "vacancy": {"essential": "x"}}
    body = assert_error(db_client.post("/api/v1/assess", json=payload), 422, "validation_error")
    locations = [e["location"] for e in body["errors"]]
    assert sum(m.startswith("resident.") for m in locations) == 2
    assert sum(m.startswith("vacancy.") for m in locations) == 2


def test_pathway_to_gmc_registration_is_ordered_and_stores_nothing(db_app: Flask, db_client: FlaskClient) -> None:
    before = count_rows(db_app)
    response = db_client.post(
        "/api/v1/pathways", json={"goals": ["gmc-registration"], "resident": mbbs_profile(), "today": "2026-11-01"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["goals"] == ["gmc-registration"]
    pathway = body["pathway"]
    steps = [step["credential"] for step in pathway["steps"]]
    assert steps[-1] == "gmc-registration"
    assert {"plab-1", "plab-2"} <= set(steps)
    assert steps.index("plab-1") < steps.index("plab-2")
    for position, step in enumerate(pathway["steps"]):
        assert set(step["after"]) <= set(steps[:position]), step  # every step after its prerequisites
        assert step["weeks"] >= 0
        assert step["cost_gbp"] >= 0
        assert step["source"]
        assert step["as_of"]
    assert pathway["total_weeks"] > 0
    assert pathway["total_cost_gbp"] == pytest.approx(sum(s["cost_gbp"] for s in pathway["steps"]), abs=0.01)
    assert pathway["unreachable"] == []
    assert count_rows(db_app) == before


def test_pathway_skips_what_the_resident_already_holds(db_client: FlaskClient) -> None:
    resident = {**mbbs_profile(), "credentials": ["care-certificate", "plab-1"]}
    steps = [
        s["credential"]
        for s in db_client.post(
            "/api/v1/pathways", json={"goals": ["gmc-registration"], "resident": resident}
        ).get_json()["pathway"]["steps"]
    ]
    assert "plab-1" not in steps
    assert "plab-2" in steps


@pytest.mark.parametrize(
    ("payload", "code", "locations"),
    [
        ({"goals": ["gmc-registration", "astronaut-licence"]}, "validation_error", ["body"]),
        ({"goals": ["astronaut-licence", "wizard"]}, "validation_error", ["body", "body"]),
        ({"goals": []}, "validation_error", ["goals"]),
        ({"goals": "gmc-registration"}, "validation_error", ["goals"]),
        ({"resident": mbbs_profile()}, "validation_error", ["goals"]),
        (
            {"goals": ["gmc-registration"], "resident": {"right_to_work": "maybe"}},
            "validation_error",
            ["resident.right_to_work"],
        ),
    ],
    ids=["one-unknown-goal", "two-unknown-goals", "no-goals", "goals-not-list", "goals-missing", "bad-resident"],
)
def test_invalid_pathway_request_is_422(
    db_client: FlaskClient, payload: dict[str, Any], code: str, locations: list[str]
) -> None:
    body = assert_error(db_client.post("/api/v1/pathways", json=payload), 422, code)
    assert [e["location"] for e in body["errors"]] == locations
    if code == "validation_error" and "goals" in payload and "astronaut-licence" in payload["goals"]:
        assert any("astronaut-licence" in e["message"] for e in body["errors"])


def test_stored_vacancies_and_residents_survive_a_new_app(
    database_url: str, db_client: FlaskClient, adviser_headers: dict[str, str], recruiter_headers: dict[str, str]
) -> None:
    """What one app (process) writes, another on the same database reads: nothing lives only in memory."""
    from api import create_app

    resident = db_client.post("/api/v1/residents", json=hca_profile(), headers=adviser_headers).get_json()
    vacancy = db_client.post("/api/v1/vacancies", json=vacancy_body(), headers=recruiter_headers).get_json()
    other = create_app(test_config={"DATABASE_URL": database_url, "TESTING": True})
    try:
        client = other.test_client()
        assert client.get(f"/api/v1/residents/{resident['id']}", headers=adviser_headers).get_json() == resident
        fetched = client.get(f"/api/v1/vacancies/{vacancy['id']}", headers=recruiter_headers).get_json()
        assert {k: v for k, v in fetched.items() if k != "requirements"} == vacancy
        matches = client.get(f"/api/v1/vacancies/{vacancy['id']}/matches?limit=200", headers=adviser_headers)
        assert resident["id"] in {c["resident"] for c in matches.get_json()["candidates"]}
    finally:
        other.extensions["useit_db"].dispose()


def test_pathways_and_assess_plan_the_same_route(db_client: FlaskClient) -> None:
    """A resident with no qualifications is suggested Functional Skills Level 1 first by both."""
    resident = {"skills": ["cleaning"], "right_to_work": "yes"}
    planned = db_client.post(
        "/api/v1/pathways", json={"goals": ["functional-skills-english-l2"], "resident": resident}
    ).get_json()["pathway"]
    vacancy = {"title": "Ward clerk", "essential": ["Functional Skills Level 2 English"]}
    assessed = db_client.post("/api/v1/assess", json={"resident": resident, "vacancy": vacancy}).get_json()["pathway"]
    steps = [s["credential"] for s in planned["steps"]]
    assert steps == ["functional-skills-english-l1", "functional-skills-english-l2"]
    assert [s["credential"] for s in assessed["steps"]] == steps
