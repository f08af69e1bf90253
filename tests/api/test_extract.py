"""POST /api/v1/profile/extract: text or a CV file in, a draft profile with spans out, nothing kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.models import Resident

DATA = Path(__file__).resolve().parents[1] / "extract" / "data"
STORY = (DATA / "stories" / "s01_nurse_pakistan.txt").read_text(encoding="utf-8")


def _residents(app: Flask) -> int:
    with app.extensions["useit_sessions"]() as session:
        return session.scalar(select(func.count()).select_from(Resident)) or 0


def test_text_in_draft_out_with_spans(app: Flask, client: FlaskClient) -> None:
    before = _residents(app)
    response = client.post("/api/v1/profile/extract", json={"text": STORY, "today": "2026-12-01"})
    assert response.status_code == 200
    body = response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    assert body["profile"]["right_to_work"] == "unknown"
    assert {"title": "carer", "years": 3.5, "country": "GB"} in body["profile"]["experience"]
    for item in body["items"]:
        assert STORY[item["span"]["start"] : item["span"]["end"]] == item["span"]["text"]
    test = next(i for i in body["items"] if i["kind"] == "language_test")
    assert test["missing"] == ["listening", "reading", "speaking"]
    assert test["in_profile"] is False
    assert _residents(app) == before  # stateless


def test_the_draft_can_be_assessed_as_it_is(client: FlaskClient) -> None:
    draft = client.post("/api/v1/profile/extract", json={"text": STORY}).get_json()
    vacancy = {"title": "Healthcare Assistant", "essential": ["Experience of personal care"]}
    assert client.post("/api/v1/assess", json={"resident": draft["profile"], "vacancy": vacancy}).status_code == 200


@pytest.mark.parametrize("kind", ["pdf", "docx", "txt"])
def test_a_cv_file_as_multipart(client: FlaskClient, kind: str) -> None:
    path = DATA / "cvs" / f"c07_nurse_philippines.{kind}"
    response = client.post(
        "/api/v1/profile/extract",
        data={"file": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["source"]["kind"] == kind
    assert "nmc-registration-nurse" in body["profile"]["credentials"]


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, 415, "wrong_type"),
        (b"", 422, "empty"),
        (b"%PDF-1.4\n" + b" " * (2 * 1024 * 1024 + 10), 413, "too_large"),
    ],
    ids=["picture", "empty", "oversize"],
)
def test_bad_files_get_one_clear_error(client: FlaskClient, data: bytes, status: int, code: str) -> None:
    body, content_type = _multipart(data, "cv.pdf")
    response = client.post("/api/v1/profile/extract", data=body, content_type=content_type)
    assert response.status_code == status
    body = response.get_json()
    assert body["code"] == code
    assert body["errors"][0]["location"] == "file"


def _multipart(data: bytes, name: str = "cv.txt") -> tuple[bytes, str]:
    """A multipart body built here (the test client spools big bodies to temporary files)."""
    boundary = "----useit-test-boundary"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
    head += "Content-Type: application/octet-stream\r\n\r\n"
    return head.encode() + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_body_far_over_the_limit_is_413(client: FlaskClient) -> None:
    body, content_type = _multipart(b"x" * (3 * 1024 * 1024))
    assert client.post("/api/v1/profile/extract", data=body, content_type=content_type).status_code == 413


def test_uploads_are_never_written_to_disk(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import werkzeug.formparser

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload was spooled to a temporary file")

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", refuse)
    text = (DATA / "cvs" / "c03_carer_uk.txt").read_bytes()
    body, content_type = _multipart(text + b"\n" + b" " * (1_500_000 - len(text)))  # past werkzeug's 500 KB spool size
    response = client.post("/api/v1/profile/extract", data=body, content_type=content_type)
    assert response.status_code == 200
    assert "care-certificate" in response.get_json()["profile"]["credentials"]


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"json": {"text": ""}}, 422),
        ({"json": {"text": "   "}}, 422),
        ({"json": {"txt": "typo"}}, 422),
        ({"data": "text=hello", "content_type": "text/plain"}, 415),
        ({"data": "{not json", "content_type": "application/json"}, 400),
        ({"data": {}, "content_type": "multipart/form-data"}, 422),
    ],
    ids=["empty", "blank", "unknown-field", "wrong-type", "bad-json", "no-file"],
)
def test_bad_requests(client: FlaskClient, kwargs: dict, status: int) -> None:
    response = client.post("/api/v1/profile/extract", **kwargs)
    assert response.status_code == status
    assert set(response.get_json()) == {"code", "message", "errors"}


def test_documented_with_json_and_file_bodies(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    operation = document["paths"]["/api/v1/profile/extract"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    assert operation["security"] == []
    schemas = document["components"]["schemas"]
    assert schemas["ExtractRequest"]["examples"]
    assert schemas["ExtractResponse"]["examples"]
    assert schemas["ExtractUpload"]["properties"]["file"]["format"] == "binary"


def test_rate_limited_like_other_public_work(app: Flask) -> None:
    from api.limits import LIMITED_ENDPOINTS

    assert LIMITED_ENDPOINTS["profile_extract.extract_profile"] == "USEIT_EXTRACT_LIMIT"
    assert app.config["USEIT_EXTRACT_LIMIT"] == "30 per minute"
