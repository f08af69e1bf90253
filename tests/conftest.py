"""Shared fixtures: the engine objects are expensive, so each is built once per session."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from matcher import Normaliser, ParsedVacancy, Resident, ResidentIndex, Taxonomy, Vacancy
from matcher.assessment import Assessor
from matcher.credentials import CredentialGraph
from matcher.qualifications import QualificationRecogniser
from tests.api.support import OTHER_TRUST, TRUST, IssuedToken, ResidentUser
from vacancies.criteria import CriteriaParser

REPO_ROOT = Path(__file__).resolve().parents[1]
ESCO_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "esco"

#: Environment variables the app and the CLI read; cleared so a developer's shell cannot leak in.
_APP_ENV = (
    "DATABASE_URL",
    "USEIT_TAXONOMY_DIR",
    "USEIT_MAX_CONTENT_LENGTH",
    "USEIT_FIXTURES_DIR",
    "USEIT_NORMALISER_MODE",
    "USEIT_SEMANTIC_MODEL",
)


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return Taxonomy.load_default()


@pytest.fixture(scope="session")
def normaliser(taxonomy: Taxonomy) -> Normaliser:
    return Normaliser(taxonomy)


@pytest.fixture(scope="session")
def semantic_normaliser(taxonomy: Taxonomy) -> Normaliser:
    """The normaliser as the service runs it by default: with the encoder make install builds."""
    import os

    from api.engine import encoder_dir
    from matcher.encoder import Encoder

    folder = encoder_dir()
    if not (folder / "manifest.json").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"make install builds the encoder at {folder}; it is missing")
        pytest.skip(f"no encoder at {folder}: run `useit semantic build`")
    return Normaliser(taxonomy, semantic=Encoder.load(folder))


@pytest.fixture(scope="session")
def recogniser(normaliser: Normaliser) -> QualificationRecogniser:
    return QualificationRecogniser(normaliser)


@pytest.fixture(scope="session")
def credential_graph() -> CredentialGraph:
    return CredentialGraph.load_default()


@pytest.fixture(scope="session")
def assessor(taxonomy: Taxonomy, normaliser: Normaliser) -> Assessor:
    return Assessor.load_default(taxonomy, normaliser)


@pytest.fixture(scope="session")
def criteria_parser(normaliser: Normaliser) -> CriteriaParser:
    return CriteriaParser(normaliser)


@pytest.fixture(scope="session")
def esco_dir() -> Path:
    if not (ESCO_DIR / "skills_en.csv").is_file():
        pytest.skip(f"ESCO v1.1.1 not found at {ESCO_DIR}: ESCO tests skipped")
    return ESCO_DIR


@pytest.fixture(scope="session")
def esco_taxonomy(esco_dir: Path) -> Taxonomy:
    from matcher.esco import import_esco

    return import_esco(esco_dir, mode="replace")


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for the session: normalise is stateless, and fitting the engine per test costs ~0.5 s."""
    from api import create_app
    from api.db import upgrade

    instance = tmp_path_factory.mktemp("instance")
    url = f"sqlite:///{instance / 'test.db'}"
    with pytest.MonkeyPatch.context() as patch:
        for name in _APP_ENV:
            patch.delenv(name, raising=False)
        patch.setenv("USEIT_INSTANCE_DIR", str(instance))
        upgrade(url)
        # Rate limits have tests of their own (test_limits.py); elsewhere they would trip on the
        # many deliberate 401s.
        yield create_app(test_config={"DATABASE_URL": url, "TESTING": True, "RATELIMIT_ENABLED": False})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in _APP_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("USEIT_INSTANCE_DIR", str(tmp_path / "instance"))
    return CliRunner()


# -- The service database: the same tests on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL --

#: Backends the database tests run on. PostgreSQL is generated only when TEST_DATABASE_URL names one
#: (CI always sets it), so a missing server is never a silent skip.
DATABASE_BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])]


def _reset_postgres(url: str, schema: str = "public") -> None:
    """Drop and recreate ``schema``: each module starts from an empty database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()


@pytest.fixture(scope="module", params=DATABASE_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated to the newest revision, fresh for each test module and backend."""
    from api.db import upgrade

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('database') / 'useit.db'}"
    else:
        url = os.environ["TEST_DATABASE_URL"]
        _reset_postgres(url)
    upgrade(url)
    return url


@pytest.fixture(params=DATABASE_BACKENDS)
def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no schema at all) for one test: a new SQLite file, or a new PostgreSQL schema.

    The PostgreSQL schema is reached through ``search_path`` so it never disturbs the module's database.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    base = os.environ["TEST_DATABASE_URL"]
    schema = f"fresh_{uuid.uuid4().hex[:12]}"
    _reset_postgres(base, schema)
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path={schema}"
    finally:
        from sqlalchemy import create_engine, text

        engine = create_engine(base)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="module")
def db_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app per backend per module (fitting the engine costs ~1 s); tests isolate by fresh records."""
    from api import create_app

    with pytest.MonkeyPatch.context() as patch:
        for name in _APP_ENV:
            patch.delenv(name, raising=False)
        patch.setenv("USEIT_INSTANCE_DIR", str(tmp_path_factory.mktemp("instance")))
        app = create_app(test_config={"DATABASE_URL": database_url, "TESTING": True, "RATELIMIT_ENABLED": False})
        yield app
    # Close pooled connections, so the next module can drop the PostgreSQL schema without waiting.
    app.extensions["useit_db"].dispose()


@pytest.fixture
def db_client(db_app: Flask) -> FlaskClient:
    return db_app.test_client()


@pytest.fixture(scope="module")
def issue(db_app: Flask) -> Callable[..., IssuedToken]:
    """``issue(role=..., employer=..., resident_id=...)``: a new user and token, straight in the database."""
    from sqlalchemy.orm import sessionmaker

    from api.auth import issue_token

    sessions = sessionmaker(db_app.extensions["useit_db"])

    def make(*, role: str, name: str | None = None, **kwargs: Any) -> IssuedToken:
        with sessions() as session, session.begin():
            secret, record = issue_token(session, role=role, name=name or f"test {role}", **kwargs)
            return IssuedToken(secret, record.id, record.user_id)

    return make


@pytest.fixture(scope="module")
def admin_headers(issue: Callable[..., IssuedToken]) -> dict[str, str]:
    return issue(role="admin").headers


@pytest.fixture(scope="module")
def adviser_headers(issue: Callable[..., IssuedToken]) -> dict[str, str]:
    return issue(role="adviser").headers


@pytest.fixture(scope="module")
def recruiter_headers(issue: Callable[..., IssuedToken]) -> dict[str, str]:
    """A recruiter of the hospital trust next door."""
    return issue(role="recruiter", employer=TRUST).headers


@pytest.fixture(scope="module")
def other_recruiter_headers(issue: Callable[..., IssuedToken]) -> dict[str, str]:
    return issue(role="recruiter", employer=OTHER_TRUST).headers


def _new_resident_record(client: FlaskClient, headers: dict[str, str]) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:8]
    body = {
        "name": f"Test Resident {tag}",
        "contact": f"resident-{tag}@example.org",
        "skills": ["teamwork", "personal care"],
        "right_to_work": "yes",
        "postcode": "B66 2QT",
        "hours": "any",
    }
    response = client.post("/api/v1/residents", json=body, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture
def resident(
    db_client: FlaskClient, adviser_headers: dict[str, str], issue: Callable[..., IssuedToken]
) -> ResidentUser:
    """A resident user bound to a record created for this test (free to update or erase)."""
    record = _new_resident_record(db_client, adviser_headers)
    return ResidentUser(record, issue(role="resident", resident_id=record["id"]))


@pytest.fixture
def other_resident(
    db_client: FlaskClient, adviser_headers: dict[str, str], issue: Callable[..., IssuedToken]
) -> ResidentUser:
    """Another resident, with a record of their own."""
    record = _new_resident_record(db_client, adviser_headers)
    return ResidentUser(record, issue(role="resident", resident_id=record["id"]))


@pytest.fixture
def other_resident_headers(other_resident: ResidentUser) -> dict[str, str]:
    return other_resident.headers


# -- The shipped personas and vacancies (fixtures/residents.json, vacancies.json) ---------------

#: The date fixtures/expected_outcomes.json was derived for (English results are in date then).
FIXTURES_TODAY = date(2026, 11, 25)


def _shipped(name: str) -> list[dict[str, Any]]:
    return json.loads((REPO_ROOT / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))[name]


@pytest.fixture(scope="session")
def shipped_residents() -> list[Resident]:
    return [Resident.from_dict(record) for record in _shipped("residents")]


@pytest.fixture(scope="session")
def shipped_vacancies(assessor: Assessor) -> list[tuple[Vacancy, ParsedVacancy]]:
    """Each shipped vacancy as given (with its location) and parsed (with its occupation)."""
    parser = CriteriaParser(assessor.normaliser, known_credentials=frozenset(assessor.graph.credentials))
    vacancies = [Vacancy.from_dict(record) for record in _shipped("vacancies")]
    return [(v, parser.parse_vacancy(v)) for v in vacancies]


@pytest.fixture(scope="session")
def shipped_index(assessor: Assessor, shipped_residents: list[Resident]) -> ResidentIndex:
    """The shipped personas indexed as of FIXTURES_TODAY (do not update it: build your own)."""
    return ResidentIndex(assessor, shipped_residents, today=FIXTURES_TODAY)


@pytest.fixture(scope="module")
def shipped_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An instance directory whose SQLite database holds the shipped personas and vacancies.

    Point ``USEIT_INSTANCE_DIR`` at it to run ``useit`` commands on it.
    """
    from api.cli import main
    from api.config import Config
    from api.db import make_engine, session_scope
    from api.models import Resident as ResidentRow

    instance = tmp_path_factory.mktemp("shipped")
    with pytest.MonkeyPatch.context() as patch:
        for name in _APP_ENV:
            patch.delenv(name, raising=False)
        patch.setenv("USEIT_INSTANCE_DIR", str(instance))
        runner = CliRunner()
        assert runner.invoke(main, ["db", "init"]).exit_code == 0
        database = make_engine(Config.from_env().database_url)
        with session_scope(database) as session:
            for record in _shipped("residents"):
                profile = {k: v for k, v in record.items() if k not in ("id", "persona")}
                session.add(
                    ResidentRow(
                        id=record["id"],
                        profile=profile,
                        postcode=record.get("postcode"),
                        right_to_work=record.get("right_to_work", "unknown"),
                    )
                )
        database.dispose()
        imported = runner.invoke(main, ["vacancies", "import", str(REPO_ROOT / "fixtures" / "vacancies.json")])
        assert imported.exit_code == 0, imported.output
    return instance
