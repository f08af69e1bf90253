"""Shared fixtures: the engine objects are expensive, so each is built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from matcher import Normaliser, Taxonomy
from matcher.qualifications import QualificationRecogniser

REPO_ROOT = Path(__file__).resolve().parents[1]
ESCO_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "esco"

#: Environment variables the app and the CLI read; cleared so a developer's shell cannot leak in.
_APP_ENV = ("DATABASE_URL", "USEIT_TAXONOMY_DIR", "USEIT_MAX_CONTENT_LENGTH", "USEIT_FIXTURES_DIR")


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return Taxonomy.load_default()


@pytest.fixture(scope="session")
def normaliser(taxonomy: Taxonomy) -> Normaliser:
    return Normaliser(taxonomy)


@pytest.fixture(scope="session")
def recogniser(normaliser: Normaliser) -> QualificationRecogniser:
    return QualificationRecogniser(normaliser)


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
        yield create_app(test_config={"DATABASE_URL": url, "TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in _APP_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("USEIT_INSTANCE_DIR", str(tmp_path / "instance"))
    return CliRunner()
