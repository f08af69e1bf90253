"""Rate limits: failed authentication and bulk import (each test builds its own limited app)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import sessionmaker

from api import create_app
from api.auth import issue_token
from api.db import upgrade

from .support import assert_error


def _app(tmp_path: Path, **config: object) -> Flask:
    url = f"sqlite:///{tmp_path / 'limits.db'}"
    upgrade(url)
    return create_app(test_config={"DATABASE_URL": url, **config})


def _token(app: Flask, role: str, **kwargs: str) -> str:
    with sessionmaker(app.extensions["useit_db"])() as session, session.begin():
        secret, _ = issue_token(session, role=role, name="limits", **kwargs)
    return secret


def test_repeated_failed_authentication_is_slowed_but_valid_tokens_get_through(tmp_path: Path) -> None:
    app = _app(tmp_path, USEIT_AUTH_FAILURE_LIMIT="3 per minute")
    client = app.test_client()
    good = {"Authorization": f"Bearer {_token(app, 'adviser')}"}
    for _ in range(5):  # honest calls do not count towards the limit
        assert client.get("/api/v1/vacancies", headers=good).status_code == 200
    for guess in range(3):
        assert_error(client.get("/api/v1/vacancies", headers={"Authorization": f"Bearer uim_guess{guess}"}), 401)
    assert_error(client.get("/api/v1/vacancies", headers={"Authorization": "Bearer uim_guess9"}), 429)
    # Someone guessing from the same address (a proxy, a library's wifi) locks out no one else.
    assert client.get("/api/v1/vacancies", headers=good).status_code == 200
    # Counted per route: the same address's failures elsewhere start from nothing.
    assert_error(client.get("/api/v1/residents", headers={"Authorization": "Bearer uim_guess"}), 401)
    app.extensions["useit_db"].dispose()


def test_one_bad_credential_is_refused_sooner_than_the_address(tmp_path: Path) -> None:
    limits = {"USEIT_AUTH_FAILURE_LIMIT": "50 per minute", "USEIT_AUTH_FAILURE_PER_CREDENTIAL_LIMIT": "2 per minute"}
    app = _app(tmp_path, **limits)
    client = app.test_client()
    stolen = {"Authorization": "Bearer uim_revoked_or_guessed"}
    for _ in range(2):
        assert_error(client.get("/api/v1/vacancies", headers=stolen), 401)
    assert_error(client.get("/api/v1/vacancies", headers=stolen), 429)
    assert_error(client.get("/api/v1/vacancies", headers={"Authorization": "Bearer uim_other"}), 401)
    app.extensions["useit_db"].dispose()


def test_bulk_import_is_limited(tmp_path: Path) -> None:
    app = _app(tmp_path, USEIT_IMPORT_LIMIT="2 per minute")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(app, 'admin')}", "Content-Type": "text/csv"}
    for _ in range(2):
        assert client.post("/api/v1/vacancies/import?dry_run=true", data=b"x", headers=headers).status_code == 422
    assert_error(client.post("/api/v1/vacancies/import?dry_run=true", data=b"x", headers=headers), 429)
    # Other endpoints are not affected.
    assert client.get("/api/v1/vacancies", headers={"Authorization": headers["Authorization"]}).status_code == 200
    app.extensions["useit_db"].dispose()


def test_guessing_access_codes_on_the_sign_in_page_is_slowed(tmp_path: Path) -> None:
    from .web.pages import csrf, text

    app = _app(tmp_path, USEIT_AUTH_FAILURE_LIMIT="3 per minute")
    client = app.test_client()
    token = csrf(client)
    for guess in range(3):
        assert client.post("/sign-in", data={"code": f"uim_guess{guess}", "csrf_token": token}).status_code == 401
    limited = client.post("/sign-in", data={"code": "uim_guess", "csrf_token": token})
    assert limited.status_code == 429
    assert "Too many attempts" in text(limited)  # a page for a person, not JSON
    # A valid code still signs in from the same address.
    good = client.post("/sign-in", data={"code": _token(app, "adviser"), "csrf_token": token})
    assert good.status_code == 302
    app.extensions["useit_db"].dispose()


def test_the_public_checker_is_limited_per_address(tmp_path: Path) -> None:
    from .web.pages import csrf

    app = _app(tmp_path, USEIT_CHECK_LIMIT="2 per minute")
    client = app.test_client()
    form = {"skills": "cleaning", "right_to_work": "yes", "csrf_token": csrf(client, "/check")}
    for _ in range(2):
        assert client.post("/check", data=form).status_code == 200
    assert client.post("/check", data=form).status_code == 429
    assert client.get("/check").status_code == 200  # reading the form is not limited
    app.extensions["useit_db"].dispose()


@pytest.mark.parametrize("proxies", [None, "1"])
def test_behind_a_proxy_each_client_is_counted_on_its_own(tmp_path: Path, proxies: str | None) -> None:
    """With USEIT_PROXIES=1, X-Forwarded-For names the client, so one client's failed guesses do
    not lock out another behind the same proxy; without it the header is ignored (anyone could
    send it) and every request counts against the proxy's own address."""
    config: dict[str, object] = {"USEIT_AUTH_FAILURE_LIMIT": "3 per minute"}
    if proxies:
        config["USEIT_PROXIES"] = proxies
    client = _app(tmp_path, **config).test_client()

    def guess(n: int, client_address: str) -> int:
        headers = {"Authorization": f"Bearer uim_guess{n}", "X-Forwarded-For": client_address}
        return client.get("/api/v1/vacancies", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code

    assert [guess(n, "203.0.113.9") for n in range(3)] == [401, 401, 401]
    assert guess(3, "203.0.113.9") == 429
    assert guess(4, "198.51.100.7") == (401 if proxies else 429)


def test_a_bad_proxy_count_stops_the_service_starting() -> None:
    from api import create_app

    with pytest.raises(ValueError, match="USEIT_PROXIES"):
        create_app(test_config={"DATABASE_URL": "sqlite://", "TESTING": True, "USEIT_PROXIES": "many"})
