"""Helpers shared by the API tests: the employers, tokens, request bodies and the error shape."""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

REPO_ROOT = Path(__file__).resolve().parents[2]
TRUST = "Sandwell and West Birmingham Hospitals NHS Trust"
OTHER_TRUST = "Other Trust"
#: Far enough ahead that a vacancy stays open whenever the tests run.
OPEN_UNTIL = "2099-12-31"


@dataclass(frozen=True)
class IssuedToken:
    """A token made for a test: its secret, its record's id (to revoke or expire it) and its user."""

    secret: str
    token_id: int
    user_id: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}


@dataclass(frozen=True)
class ResidentUser:
    """A resident's record (as the API returned it on creation) and that resident's own token."""

    record: dict[str, Any]
    token: IssuedToken

    @property
    def id(self) -> str:
        return str(self.record["id"])

    @property
    def headers(self) -> dict[str, str]:
        return self.token.headers


def unique(prefix: str) -> str:
    """A reference or marker no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def assert_error(response: TestResponse, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape: exactly ``code``, ``message`` and ``errors``."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"code", "message", "errors"}
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["errors"], list)
    if code is not None:
        assert body["code"] == code
    return body


def hca_profile(**changes: Any) -> dict[str, Any]:
    """A healthcare assistant eligible for the trust's HCA post: right to work and the Care Certificate."""
    tag = uuid.uuid4().hex[:8]
    profile: dict[str, Any] = {
        "name": f"Asha Test {tag}",
        "contact": f"asha-{tag}@example.org",
        "skills": ["teamwork", "personal care", "doing obs"],
        "experience": [{"title": "Healthcare Assistant", "years": 2, "country": "GB"}],
        "qualifications": [],
        "language_tests": [],
        "credentials": ["care-certificate"],
        "right_to_work": "yes",
        "postcode": "B66 2QT",
        "hours": "full_time",
    }
    profile.update(changes)
    return profile


def mbbs_profile() -> dict[str, Any]:
    """A Pakistani-trained doctor (MBBS) working as a care assistant: the GMC route lies ahead."""
    return {
        "skills": ["can take bloods", "clerking patients", "doing obs"],
        "experience": [{"title": "Medical Officer", "years": 6, "country": "PK"}],
        "qualifications": [{"title": "MBBS", "country": "PK", "year": 2013}],
        "credentials": ["care-certificate"],
        "right_to_work": "yes",
        "postcode": "B66 3PA",
        "hours": "full_time",
    }


def fixture_vacancy(vacancy_id: str) -> dict[str, Any]:
    """A vacancy from fixtures/vacancies.json, by its id there."""
    records = json.loads((REPO_ROOT / "fixtures" / "vacancies.json").read_text(encoding="utf-8"))["vacancies"]
    return copy.deepcopy(next(v for v in records if v["id"] == vacancy_id))


def vacancy_body(source: str = "v-001", *, employer: str = TRUST, **changes: Any) -> dict[str, Any]:
    """A fixture vacancy as a new advert: a unique reference, open until 2099, for ``employer``."""
    body = fixture_vacancy(source)
    del body["id"]
    body.update(reference=unique(source), employer=employer, closing_date=OPEN_UNTIL)
    body.update(changes)
    return body


def count_rows(app: Flask) -> dict[str, int]:
    """Rows in every table of the service's schema."""
    from api.models import Base

    with Session(app.extensions["useit_db"]) as session:
        return {
            name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()
        }
