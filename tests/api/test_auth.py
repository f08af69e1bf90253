"""Bearer tokens and roles: 401 without a valid token, 403 for the wrong role, one error shape.

Every endpoint must declare its access policy (``allow`` or ``public``); the URL-map walk below
fails for any endpoint added without one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from api.cli import main
from api.models import ApiToken
from tests.api.support import OTHER_TRUST, TRUST, IssuedToken, ResidentUser, assert_error

MISSING_RESIDENT = "r-0000000000000000"
MISSING_VACANCY = "v-0000000000000000"
#: A request each guarded endpoint answers once the caller is let in (ids that do not exist are fine:
#: the policy is checked before anything is looked up).
GUARDED = [
    ("post", "/api/v1/residents"),
    ("get", "/api/v1/residents"),
    ("get", f"/api/v1/residents/{MISSING_RESIDENT}"),
    ("put", f"/api/v1/residents/{MISSING_RESIDENT}"),
    ("delete", f"/api/v1/residents/{MISSING_RESIDENT}"),
    ("put", f"/api/v1/residents/{MISSING_RESIDENT}/consents"),
    ("get", f"/api/v1/residents/{MISSING_RESIDENT}/matches"),
    ("post", "/api/v1/vacancies"),
    ("get", "/api/v1/vacancies"),
    ("get", f"/api/v1/vacancies/{MISSING_VACANCY}"),
    ("put", f"/api/v1/vacancies/{MISSING_VACANCY}"),
    ("delete", f"/api/v1/vacancies/{MISSING_VACANCY}"),
    ("get", f"/api/v1/vacancies/{MISSING_VACANCY}/matches"),
]
GUARDED_IDS = [f"{method.upper()} {path}" for method, path in GUARDED]
REVOKE_PREFIX = re.compile(r"id (\S+)\.\.\.")


def send(client: FlaskClient, method: str, path: str, headers: dict[str, str] | None = None) -> object:
    kwargs: dict[str, object] = {"headers": headers or {}}
    if method in ("post", "put"):
        kwargs["json"] = {}
    return getattr(client, method)(path, **kwargs)


def set_token(app: Flask, token_id: int, **values: object) -> None:
    with Session(app.extensions["useit_db"]) as session, session.begin():
        session.execute(update(ApiToken).where(ApiToken.id == token_id).values(**values))


# -- every endpoint declares who may call it -------------------------------------------------------


def test_every_endpoint_declares_an_access_policy(db_app: Flask) -> None:
    missing = [
        rule.endpoint
        for rule in db_app.url_map.iter_rules()
        if rule.endpoint != "static" and not hasattr(db_app.view_functions[rule.endpoint], "access_policy")
    ]
    assert missing == [], f"endpoints without @allow(...) or @public: {missing}"


def test_policies_name_known_roles(db_app: Flask) -> None:
    for rule in db_app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        roles = db_app.view_functions[rule.endpoint].access_policy["roles"]
        assert roles == "public" or (roles and set(roles) <= {"adviser", "recruiter", "resident", "admin"}), rule


def test_every_guarded_endpoint_in_the_url_map_refuses_an_anonymous_caller(
    db_app: Flask, db_client: FlaskClient
) -> None:
    """Walks the URL map, so a guarded endpoint added later is covered without editing this test."""
    checked = []
    for rule in db_app.url_map.iter_rules():
        view = db_app.view_functions[rule.endpoint]
        if rule.endpoint == "static" or view.access_policy["roles"] == "public" or view.access_policy.get("web"):
            continue  # pages send people to sign in instead (tests/api/web/test_access.py)
        path = rule.build({name: "x-0000000000000000" for name in rule.arguments}, append_unknown=False)[1]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            assert_error(send(db_client, method.lower(), path), 401, "unauthorised")
            checked.append(f"{method} {rule.rule}")
    assert len(checked) >= len(GUARDED)


# -- who the caller is ---------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), GUARDED, ids=GUARDED_IDS)
def test_no_token_is_401(db_client: FlaskClient, method: str, path: str) -> None:
    assert_error(send(db_client, method, path), 401, "unauthorised")


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "uim_not-a-scheme", "Token uim_abc", "Bearer\tuim_abc"],
    ids=["basic", "bearer-alone", "bearer-blank", "no-scheme", "token-scheme", "tab-separated"],
)
@pytest.mark.parametrize(("method", "path"), GUARDED[:3] + GUARDED[7:9], ids=GUARDED_IDS[:3] + GUARDED_IDS[7:9])
def test_malformed_authorization_header_is_401(db_client: FlaskClient, method: str, path: str, header: str) -> None:
    assert_error(send(db_client, method, path, {"Authorization": header}), 401, "unauthorised")


@pytest.mark.parametrize(("method", "path"), GUARDED, ids=GUARDED_IDS)
def test_unknown_token_is_401(db_client: FlaskClient, method: str, path: str) -> None:
    headers = {"Authorization": "Bearer uim_" + "A" * 43}
    assert_error(send(db_client, method, path, headers), 401, "unauthorised")


@pytest.mark.parametrize(
    "change",
    [
        {"revoked_at": datetime.now(UTC) - timedelta(seconds=1)},
        {"expires_at": datetime.now(UTC) - timedelta(seconds=1)},
        {"expires_at": datetime.now(UTC) - timedelta(days=400)},
    ],
    ids=["revoked", "expired", "long-expired"],
)
@pytest.mark.parametrize(("method", "path"), GUARDED[:2] + GUARDED[8:9], ids=GUARDED_IDS[:2] + GUARDED_IDS[8:9])
def test_revoked_or_expired_token_is_401(
    db_app: Flask,
    db_client: FlaskClient,
    issue: Callable[..., IssuedToken],
    method: str,
    path: str,
    change: dict[str, datetime],
) -> None:
    token = issue(role="admin")
    assert db_client.get("/api/v1/residents", headers=token.headers).status_code == 200
    set_token(db_app, token.token_id, **change)
    body = assert_error(send(db_client, method, path, token.headers), 401, "unauthorised")
    assert ("revoked" if "revoked_at" in change else "expired") in body["message"]


def test_token_expiring_later_still_works(
    db_app: Flask, db_client: FlaskClient, issue: Callable[..., IssuedToken]
) -> None:
    token = issue(role="adviser")
    set_token(db_app, token.token_id, expires_at=datetime.now(UTC) + timedelta(minutes=5))
    assert db_client.get("/api/v1/residents", headers=token.headers).status_code == 200


def test_scheme_is_case_insensitive(db_client: FlaskClient, issue: Callable[..., IssuedToken]) -> None:
    token = issue(role="adviser")
    assert db_client.get("/api/v1/residents", headers={"Authorization": f"bearer {token.secret}"}).status_code == 200


def test_only_the_hash_of_a_token_is_stored(db_app: Flask, issue: Callable[..., IssuedToken]) -> None:
    token = issue(role="adviser")
    with Session(db_app.extensions["useit_db"]) as session:
        record = session.get(ApiToken, token.token_id)
        assert record is not None
        assert token.secret not in (record.token_hash, record.prefix)
        assert token.secret.startswith(record.prefix)
        assert len(record.prefix) < len(token.secret) // 2


# -- what the caller's role allows ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        ("recruiter", "post", "/api/v1/residents"),
        ("recruiter", "get", "/api/v1/residents"),
        ("recruiter", "get", f"/api/v1/residents/{MISSING_RESIDENT}"),
        ("recruiter", "put", f"/api/v1/residents/{MISSING_RESIDENT}"),
        ("recruiter", "delete", f"/api/v1/residents/{MISSING_RESIDENT}"),
        ("recruiter", "put", f"/api/v1/residents/{MISSING_RESIDENT}/consents"),
        ("recruiter", "get", f"/api/v1/residents/{MISSING_RESIDENT}/matches"),
        ("resident", "post", "/api/v1/residents"),
        ("resident", "get", "/api/v1/residents"),
        ("resident", "post", "/api/v1/vacancies"),
        ("resident", "put", f"/api/v1/vacancies/{MISSING_VACANCY}"),
        ("resident", "delete", f"/api/v1/vacancies/{MISSING_VACANCY}"),
        ("resident", "get", f"/api/v1/vacancies/{MISSING_VACANCY}/matches"),
        ("adviser", "delete", f"/api/v1/residents/{MISSING_RESIDENT}"),
        ("adviser", "post", "/api/v1/vacancies"),
        ("adviser", "put", f"/api/v1/vacancies/{MISSING_VACANCY}"),
        ("adviser", "delete", f"/api/v1/vacancies/{MISSING_VACANCY}"),
    ],
)
def test_wrong_role_is_403(
    db_client: FlaskClient,
    issue: Callable[..., IssuedToken],
    resident: ResidentUser,
    role: str,
    method: str,
    path: str,
) -> None:
    headers = {
        "recruiter": lambda: issue(role="recruiter", employer=TRUST).headers,
        "resident": lambda: resident.headers,
        "adviser": lambda: issue(role="adviser").headers,
    }[role]()
    body = assert_error(send(db_client, method, path, headers), 403, "forbidden")
    assert role in body["message"]


def test_a_resident_whose_record_is_erased_loses_their_token(
    db_client: FlaskClient, resident: ResidentUser, admin_headers: dict[str, str]
) -> None:
    assert db_client.get(f"/api/v1/residents/{resident.id}", headers=resident.headers).status_code == 200
    assert db_client.delete(f"/api/v1/residents/{resident.id}", headers=admin_headers).status_code == 204
    assert_error(db_client.get("/api/v1/vacancies", headers=resident.headers), 401, "unauthorised")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/assess", {"resident": {}, "vacancy": {"title": "Porter"}}),
        ("/api/v1/pathways", {"goals": ["care-certificate"]}),
        ("/api/v1/normalise", {"kind": "skill", "text": "taking bloods"}),
    ],
)
def test_stateless_endpoints_are_public(db_client: FlaskClient, path: str, body: dict[str, object]) -> None:
    assert db_client.post(path, json=body).status_code == 200


# -- tokens from the command line ----------------------------------------------------------------


class Useit:
    """Runs ``useit`` against the module's database, keeping the engines the command makes.

    The commands never dispose their engines; the pooled connections are closed here, so they are
    not collected (with a ResourceWarning on PostgreSQL) in the middle of some later test.
    """

    def __init__(self, runner: CliRunner, database_url: str) -> None:
        self.runner, self.database_url = runner, database_url
        self.engines: list[Engine] = []

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(main, list(args), env={"DATABASE_URL": self.database_url})

    def dispose(self) -> None:
        for engine in self.engines:
            engine.dispose()


@pytest.fixture
def useit(runner: CliRunner, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Useit]:
    import api.db

    cli = Useit(runner, database_url)
    make_engine = api.db.make_engine

    def tracked(url: str) -> Engine:
        engine = make_engine(url)
        cli.engines.append(engine)
        return engine

    monkeypatch.setattr(api.db, "make_engine", tracked)
    try:
        yield cli
    finally:
        cli.dispose()


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--role", "recruiter"], "--employer"),
        (["--role", "resident"], "--resident"),
        (["--role", "adviser", "--employer", OTHER_TRUST], "--employer applies to recruiters only"),
        (["--role", "resident", "--resident", MISSING_RESIDENT], f"no resident with id {MISSING_RESIDENT!r}"),
    ],
    ids=["recruiter-without-employer", "resident-without-record", "adviser-with-employer", "unknown-resident"],
)
def test_token_create_with_a_missing_or_wrong_option_exits_2(useit: Useit, args: list[str], problem: str) -> None:
    result = useit("token", "create", *args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert problem in result.stderr
    assert result.stdout == ""


def test_token_from_the_cli_authenticates_until_revoked(useit: Useit, db_client: FlaskClient) -> None:
    created = useit("token", "create", "--role", "adviser", "--name", "cli adviser")
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert re.fullmatch(r"uim_[A-Za-z0-9_-]{40,}", secret), created.stdout
    assert secret not in created.stderr
    headers = {"Authorization": f"Bearer {secret}"}
    assert db_client.get("/api/v1/residents", headers=headers).status_code == 200
    assert_error(db_client.post("/api/v1/vacancies", json={}, headers=headers), 403, "forbidden")

    prefix = REVOKE_PREFIX.search(created.stderr)
    assert prefix is not None, created.stderr
    revoked = useit("token", "revoke", prefix.group(1))
    assert revoked.exit_code == 0, revoked.output
    body = assert_error(db_client.get("/api/v1/residents", headers=headers), 401, "unauthorised")
    assert "revoked" in body["message"]


def test_recruiter_token_from_the_cli_is_bound_to_its_employer(useit: Useit, db_client: FlaskClient) -> None:
    created = useit("token", "create", "--role", "recruiter", "--employer", OTHER_TRUST)
    assert created.exit_code == 0, created.output
    headers = {"Authorization": f"Bearer {created.stdout.strip()}"}
    body = {"reference": "x", "employer": TRUST, "title": "Porter"}
    error = assert_error(db_client.post("/api/v1/vacancies", json=body, headers=headers), 403, "forbidden")
    assert "own employer" in error["message"]


def test_token_revoke_of_an_unknown_prefix_exits_2(useit: Useit) -> None:
    result = useit("token", "revoke", "uim_nosuchtok")
    assert result.exit_code == 2, result.output
    assert "no token starts with 'uim_nosuchtok'" in result.stderr


def test_token_revoke_treats_the_prefix_literally(
    useit: Useit, db_client: FlaskClient, issue: Callable[..., IssuedToken]
) -> None:
    token = issue(role="adviser")
    result = useit("token", "revoke", "%")
    assert result.exit_code == 2, result.output
    assert "no token starts with '%'" in result.stderr
    assert db_client.get("/api/v1/residents", headers=token.headers).status_code == 200


def test_token_commands_leave_no_connection_open(useit: Useit) -> None:
    created = useit("token", "create", "--role", "adviser")
    assert created.exit_code == 0, created.output
    prefix = REVOKE_PREFIX.search(created.stderr)
    assert prefix is not None
    assert useit("token", "revoke", prefix.group(1)).exit_code == 0
    assert len(useit.engines) == 2
    assert [engine.pool.checkedin() for engine in useit.engines] == [0, 0]
