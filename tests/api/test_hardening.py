"""Privacy in logs, security headers, faults, data export, backup and restore."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from api import create_app
from api.cli import main
from api.privacy import RedactResidentIds

from .support import ResidentUser, assert_error


def test_resident_ids_never_reach_the_logs() -> None:
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '"%s" %s',
        ("GET /api/v1/residents/r-0123456789abcdef HTTP/1.1", 200),
        None,
    )
    assert RedactResidentIds().filter(record)
    assert "r-0123456789abcdef" not in record.getMessage()
    assert "/api/v1/residents/r-… HTTP/1.1" in record.getMessage()


def test_security_headers_on_json_and_pages(client: FlaskClient) -> None:
    for path in ("/healthz", "/docs"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_resident_responses_are_never_cached(db_client: FlaskClient, resident: ResidentUser) -> None:
    response = db_client.get(f"/api/v1/residents/{resident.id}", headers=resident.headers)
    assert response.headers["Cache-Control"] == "no-store"


def test_deeply_nested_json_is_a_400_not_a_500(client: FlaskClient) -> None:
    body = "[" * 100_000 + "]" * 100_000
    assert_error(
        client.post("/api/v1/normalise", data=body, headers={"Content-Type": "application/json"}), 400, "bad_json"
    )


def test_an_unreachable_database_is_a_503() -> None:
    # Port 9 (discard) refuses connections: the database is down.
    app = create_app(test_config={"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/none"})
    client = app.test_client()
    response = client.get("/api/v1/residents", headers={"Authorization": "Bearer uim_none"})
    assert_error(response, 503, "database_unavailable")
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["database"] == "unreachable"
    # Endpoints that need no database keep working.
    assert client.post("/api/v1/normalise", json={"kind": "skill", "text": "obs"}).status_code == 200
    app.extensions["useit_db"].dispose()


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (CI sets TEST_DATABASE_URL)")
def test_the_service_recovers_when_the_database_drops_its_connections() -> None:
    url = os.environ["TEST_DATABASE_URL"]
    app = create_app(test_config={"DATABASE_URL": url})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # a pooled connection is now open
    killer = create_engine(url)
    with killer.begin() as connection:  # what a database restart does to open connections
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    killer.dispose()
    try:
        assert client.get("/healthz").status_code == 200  # pool_pre_ping reconnects
    finally:
        app.extensions["useit_db"].dispose()


def test_a_resident_exports_all_their_data(
    db_client: FlaskClient, resident: ResidentUser, adviser_headers: dict[str, str]
) -> None:
    db_client.get(f"/api/v1/residents/{resident.id}", headers=adviser_headers)  # an audited read
    db_client.put(
        f"/api/v1/residents/{resident.id}/consents", json={"employers": ["Trust A"]}, headers=resident.headers
    )
    response = db_client.get(f"/api/v1/residents/{resident.id}/export", headers=resident.headers)
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    export = response.get_json()
    assert export["resident"]["id"] == resident.id
    assert export["resident"]["name"] == resident.record["name"]
    assert [c["employer"] for c in export["consents"]] == ["Trust A"]
    assert any(entry["role"] == "adviser" and entry["action"] == "read" for entry in export["access_log"])


def test_export_is_for_the_resident_or_an_admin(
    db_client: FlaskClient,
    resident: ResidentUser,
    other_resident_headers: dict[str, str],
    adviser_headers: dict[str, str],
) -> None:
    assert_error(db_client.get(f"/api/v1/residents/{resident.id}/export", headers=other_resident_headers), 404)
    assert_error(db_client.get(f"/api/v1/residents/{resident.id}/export", headers=adviser_headers), 403)


# -- backup and restore (SQLite default) --------------------------------------------------------
def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(connection.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def test_backup_then_restore_gives_back_the_same_database(runner: CliRunner, tmp_path: Path) -> None:
    database = tmp_path / "instance" / "useit.db"
    assert runner.invoke(main, ["db", "init"]).exit_code == 0
    made = runner.invoke(main, ["token", "create", "--role", "adviser"])
    assert made.exit_code == 0
    before = _rows(database)
    backup = tmp_path / "backup.db"
    result = runner.invoke(main, ["db", "backup", str(backup)])
    assert result.exit_code == 0, result.output
    # Change the live database, then restore: everything is as it was at the backup.
    assert runner.invoke(main, ["token", "create", "--role", "admin"]).exit_code == 0
    assert _rows(database) != before
    refused = runner.invoke(main, ["db", "restore", str(backup)])
    assert refused.exit_code == 2
    assert "--yes" in refused.output
    restored = runner.invoke(main, ["db", "restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _rows(database) == before


@pytest.mark.parametrize("kind", ["missing", "not-a-database", "exists"])
def test_backup_and_restore_refuse_clearly(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    assert runner.invoke(main, ["db", "init"]).exit_code == 0
    if kind == "missing":
        result = runner.invoke(main, ["db", "restore", str(tmp_path / "nope.db"), "--yes"])
        expected = "not found"
    elif kind == "not-a-database":
        junk = tmp_path / "junk.db"
        junk.write_text("this is not SQLite")
        result = runner.invoke(main, ["db", "restore", str(junk), "--yes"])
        expected = "not a useit-match database backup"
    else:
        target = tmp_path / "exists.db"
        target.write_text("keep me")
        result = runner.invoke(main, ["db", "backup", str(target)])
        expected = "never overwrites"
        assert target.read_text() == "keep me"
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output
