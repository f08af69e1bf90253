"""The JSON API: ``GET /healthz`` and ``POST /api/v1/normalise``; one error shape, never a 500."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from matcher import Taxonomy

URL = "/api/v1/normalise"
CONTRACT_MATCH_KEYS = {"concept_id", "label", "score", "method", "esco_uri", "soc2020"}
QUALIFICATION_KEYS = {"profession", "regulator", "level", "country"}


class _Sha256:
    """Equal to any SHA-256 hex digest."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and re.fullmatch(r"[0-9a-f]{64}", other) is not None

    def __repr__(self) -> str:
        return "<any SHA-256>"


ANY_SHA256 = _Sha256()


def assert_error(response: TestResponse, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["errors"], list)
    return body


def test_healthz(client: FlaskClient, taxonomy: Taxonomy) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "taxonomy": {"name": "curated", "concepts": taxonomy.counts()},
        # The default mode, with the encoder make install builds (its SHA-256, as loaded).
        "normaliser": {"mode": "semantic", "model": "all-MiniLM-L6-v2 (ONNX)", "sha256": ANY_SHA256},
    }


def test_normalise_one_text(client: FlaskClient) -> None:
    response = client.post(URL, json={"kind": "skill", "text": "taking bloods"})
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["text", "kind", "matches"]
    assert (body["text"], body["kind"]) == ("taking bloods", "skill")
    assert 1 <= len(body["matches"]) <= 5
    for match in body["matches"]:
        assert match.keys() >= CONTRACT_MATCH_KEYS
        assert not QUALIFICATION_KEYS & match.keys()
    assert body["matches"][0]["concept_id"] == "skill-venepuncture"
    scores = [m["score"] for m in body["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_normalise_many_texts(client: FlaskClient) -> None:
    texts = ["HCA", "xqzv kwpl", "SALT"]
    response = client.post(URL, json={"kind": "occupation", "texts": texts, "limit": 2})
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["results"]
    assert [r["text"] for r in body["results"]] == texts
    assert all(r["kind"] == "occupation" and len(r["matches"]) <= 2 for r in body["results"])
    assert [r["matches"][0]["concept_id"] if r["matches"] else None for r in body["results"]] == [
        "occ-healthcare-assistant",
        None,
        "occ-speech-and-language-therapist",
    ]


def test_normalise_gives_the_same_answer_as_the_engine(client: FlaskClient, app: Flask) -> None:
    engine = app.extensions["useit_engine"]
    expected = engine.normalise(["doing obs"], kind="skill", limit=3)[0].to_dict()
    assert client.post(URL, json={"kind": "skill", "text": "doing obs", "limit": 3}).get_json() == expected


def test_normalise_a_qualification_with_a_country(client: FlaskClient) -> None:
    response = client.post(URL, json={"kind": "qualification", "text": "M.B.B.S.", "country": "pk"})
    assert response.status_code == 200
    matches = response.get_json()["matches"]
    for match in matches:
        assert match.keys() >= CONTRACT_MATCH_KEYS | QUALIFICATION_KEYS
    best = matches[0]
    assert {k: best[k] for k in ("concept_id", "profession", "regulator", "level", "country")} == {
        "concept_id": "qual-mbbs-overseas",
        "profession": "doctor",
        "regulator": "GMC",
        "level": 7,
        "country": "PK",
    }


@pytest.mark.parametrize(
    ("country", "expected"), [("SY", "qual-md-primary-overseas"), ("IN", "qual-md-postgraduate-south-asia")]
)
def test_country_changes_which_md_it_is(client: FlaskClient, country: str, expected: str) -> None:
    body = client.post(URL, json={"kind": "qualification", "text": "MD", "country": country}).get_json()
    assert body["matches"][0]["concept_id"] == expected


def test_uk_award_for_a_nigerian_resident_reports_gb(client: FlaskClient) -> None:
    body = client.post(URL, json={"kind": "qualification", "text": "GCSE English grade 4", "country": "NG"}).get_json()
    assert (body["matches"][0]["concept_id"], body["matches"][0]["country"]) == ("qual-gcse-english-grade-4", "GB")


def test_nothing_clears_the_cutoff(client: FlaskClient) -> None:
    body = client.post(URL, json={"kind": "skill", "text": "taking bloods", "cutoff": 1.0}).get_json()
    assert body == {"text": "taking bloods", "kind": "skill", "matches": []}


def test_request_without_a_json_content_type_is_415(client: FlaskClient) -> None:
    body = assert_error(
        client.post(URL, data='{"kind": "skill", "text": "x"}', content_type="text/plain"),
        415,
        "unsupported_media_type",
    )
    assert "application/json" in body["message"]


@pytest.mark.parametrize(
    "data",
    [b"{not json", b"", b"null", b'{"kind": "skill", "text": "\xff\xfe"}', b"\xef\xbb\xbf\xff"],
    ids=["broken", "empty", "null", "invalid-utf8", "bom-then-garbage"],
)
def test_invalid_json_is_400(client: FlaskClient, data: bytes) -> None:
    assert_error(client.post(URL, data=data, content_type="application/json"), 400, "bad_json")


@pytest.mark.parametrize(
    ("payload", "locations"),
    [
        ({"kind": "job", "text": "nurse"}, ["kind"]),
        ({"kind": "skill", "text": "nurse", "texts": ["nurse"]}, ["body"]),
        ({"kind": "skill"}, ["body"]),
        ({"kind": "skill", "text": "nurse", "limit": 0}, ["limit"]),
        ({"kind": "skill", "text": "nurse", "limit": 51}, ["limit"]),
        ({"kind": "skill", "text": "nurse", "cutoff": 1.5}, ["cutoff"]),
        ({"kind": "skill", "text": "nurse", "colour": "blue"}, ["colour"]),
        ({"kind": "skill", "text": "x" * 2_001}, ["text"]),
        ({"kind": "skill", "text": ""}, ["text"]),
        ({"kind": "skill", "texts": []}, ["texts"]),
        ({"kind": "skill", "texts": ["ok", 5]}, ["texts.1"]),
        ({"kind": "qualification", "text": "MBBS", "country": "Narnia"}, ["country"]),
        ({"kind": "qualification", "text": "MBBS", "country": "P1"}, ["country"]),
        ([1, 2], ["body"]),
        ("nurse", ["body"]),
        (
            {"kind": "job", "text": "x" * 2_001, "limit": 0, "colour": "blue"},
            ["kind", "text", "limit", "colour"],
        ),
    ],
    ids=[
        "wrong-kind",
        "text-and-texts",
        "neither",
        "limit-0",
        "limit-51",
        "cutoff-1.5",
        "extra-field",
        "text-2001",
        "text-empty",
        "texts-empty",
        "texts-not-strings",
        "country-name",
        "country-digit",
        "array",
        "string",
        "four-problems",
    ],
)
def test_invalid_request_is_422_with_every_problem(client: FlaskClient, payload: object, locations: list[str]) -> None:
    body = assert_error(client.post(URL, json=payload), 422, "validation_error")
    assert [e["location"] for e in body["errors"]] == locations
    assert all(e["message"] for e in body["errors"])


def test_missing_text_is_listed_with_the_other_problems(client: FlaskClient) -> None:
    body = assert_error(client.post(URL, json={"kind": "job", "limit": 0}), 422, "validation_error")
    assert [e["location"] for e in body["errors"]] == ["kind", "limit", "body"]


@pytest.mark.parametrize(
    ("payload", "problems"),
    [
        ({"kind": "skill", "text": "   "}, ["text 1: empty text"]),
        ({"kind": "skill", "text": "!!! ..."}, ["text 1: no letters or digits to match"]),
        (
            {"kind": "skill", "texts": ["", "taking bloods", "x" * 2_001, "?"]},
            [
                "text 1: empty text",
                "text 3: 2,001 characters; the limit is 2,000",
                "text 4: no letters or digits to match",
            ],
        ),
    ],
    ids=["whitespace", "punctuation", "every-bad-text"],
)
def test_unusable_text_is_422_naming_each_one(
    client: FlaskClient, payload: dict[str, Any], problems: list[str]
) -> None:
    # The OpenAPI document states the rule (a letter or digit, at most 2,000 characters), so the
    # request is refused as it is read, naming each bad text.
    body = assert_error(client.post(URL, json=payload), 422, "validation_error")
    assert len(body["errors"]) == len(problems)


def test_country_with_a_skill_is_refused(client: FlaskClient) -> None:
    assert_error(
        client.post(URL, json={"kind": "skill", "text": "taking bloods", "country": "PK"}), 422, "validation_error"
    )


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/v1/nothing-here", 404, "not_found"),
        ("get", "/no-such-page", 404, "not_found"),  # a program (no Accept: text/html) gets JSON
        ("get", URL, 405, "method_not_allowed"),
        ("delete", URL, 405, "method_not_allowed"),
        ("post", "/healthz", 405, "method_not_allowed"),
    ],
)
def test_unknown_url_or_method_has_the_error_shape(
    client: FlaskClient, method: str, url: str, status: int, code: str
) -> None:
    assert_error(getattr(client, method)(url), status, code)


def test_body_over_the_size_limit_is_413(client: FlaskClient, app: Flask) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    data = b'{"kind": "skill", "text": "' + b"x" * limit + b'"}'
    assert_error(client.post(URL, data=data, content_type="application/json"), 413, "request_entity_too_large")


def test_chunked_body_over_the_size_limit_is_a_client_error(client: FlaskClient, app: Flask) -> None:
    # No Content-Length: the limit is enforced while reading. Werkzeug then truncates the body, so the
    # answer is 400 (not valid JSON) rather than 413, but it must be a 4xx in the error shape, never a 500.
    data = b'{"kind": "skill", "text": "' + b"x" * app.config["MAX_CONTENT_LENGTH"] + b'"}'
    response = client.post(
        URL,
        input_stream=io.BytesIO(data),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code in (400, 413)
    assert set(response.get_json()) == {"code", "message", "errors"}


def test_app_refuses_to_start_on_a_broken_taxonomy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api import create_app
    from matcher import TaxonomyError

    monkeypatch.setenv("USEIT_INSTANCE_DIR", str(tmp_path))
    (tmp_path / "skills.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="cannot read"):
        create_app(test_config={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "USEIT_TAXONOMY_DIR": str(tmp_path)})


def test_healthz_reports_an_unreachable_database_as_503(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api import create_app

    monkeypatch.setenv("USEIT_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("USEIT_TAXONOMY_DIR", raising=False)
    app = create_app(test_config={"DATABASE_URL": "sqlite:///" + str(tmp_path / "missing-dir" / "x.db")})
    shutil.rmtree(tmp_path / "missing-dir")  # the folder (and an empty 0600 file) are made at start-up
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["status"], body["database"]) == ("degraded", "unreachable")


def test_a_second_app_loads_the_normaliser_index_the_first_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """API workers read the fitted index from the instance folder rather than fitting it."""
    from api import create_app
    from matcher import normaliser

    monkeypatch.setenv("USEIT_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("USEIT_TAXONOMY_DIR", raising=False)
    config = {"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "TESTING": True}
    first = create_app(test_config=config).extensions["useit_engine"].normaliser
    assert set(first.index_sources.values()) == {"fitted"}
    assert len(list(tmp_path.glob("normaliser-index-*.npz"))) == 3

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("fitted again")

    monkeypatch.setattr(normaliser._KindIndex, "build", classmethod(refuse))
    second = create_app(test_config=config).extensions["useit_engine"].normaliser
    assert second.index_sources == {"skill": "loaded", "occupation": "loaded", "qualification": "loaded"}
    best = second.normalise("taking bloods", kind="skill").best
    assert best is not None
    assert best.label == "venepuncture"


def test_the_api_runs_the_normaliser_in_semantic_mode_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api import create_app
    from matcher import Taxonomy, TaxonomyError
    from matcher.encoder import Encoder
    from matcher.semantic import SemanticModel, taxonomy_documents, train

    monkeypatch.setenv("USEIT_INSTANCE_DIR", str(tmp_path))
    for name in ("USEIT_TAXONOMY_DIR", "USEIT_NORMALISER_MODE", "USEIT_SEMANTIC_MODEL"):
        monkeypatch.delenv(name, raising=False)
    config = {"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "TESTING": True}
    engine = create_app(test_config=config).extensions["useit_engine"]
    assert isinstance(engine.normaliser.semantic, Encoder)
    [result] = engine.normalise(["looking after old people"], kind="skill")
    assert result.best is not None
    assert result.best.label == "elderly care"
    # The label vectors were saved beside the index: the next worker reads them.
    assert list(tmp_path.glob("label-vectors-skill-*.npz"))

    # Without the encoder the service does not start, and says why (no silent lexical fall back).
    monkeypatch.setenv("USEIT_ENCODER_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(TaxonomyError, match="no sentence encoder"):
        create_app(test_config=config)
    monkeypatch.setenv("USEIT_NORMALISER_MODE", "lexical")
    assert create_app(test_config=config).extensions["useit_engine"].normaliser.semantic is None

    # A word-vector model trained here can stand in for the encoder.
    monkeypatch.setenv("USEIT_NORMALISER_MODE", "semantic")
    monkeypatch.setenv("USEIT_SEMANTIC_MODEL", str(tmp_path / "model.npz"))
    with pytest.raises(TaxonomyError, match="no semantic model"):
        create_app(test_config=config)
    train(taxonomy_documents(Taxonomy.load_default()), dimensions=16).save(tmp_path / "model.npz")
    engine = create_app(test_config=config).extensions["useit_engine"]
    assert isinstance(engine.normaliser.semantic, SemanticModel)
    [result] = engine.normalise(["taking bloods"], kind="skill")
    assert result.best is not None
    assert result.best.label == "venepuncture"
