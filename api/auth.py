"""Bearer tokens and roles.

Tokens are random, shown once, and stored only as their SHA-256 hash; they can expire and be
revoked. Roles: ``adviser``, ``recruiter`` (bound to one employer), ``resident`` (bound to one
resident record) and ``admin``. Every endpoint declares its policy with :func:`allow` (or
:func:`public`), so a test can walk the URL map and find any endpoint without one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import APIError
from .limits import failed_authentication
from .models import ApiToken, User

ROLES = ("adviser", "recruiter", "resident", "admin")
TOKEN_PREFIX = "uim_"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the user behind the token."""

    user_id: int
    role: str
    employer: str | None = None
    resident_id: str | None = None


#: Residents' access codes: Crockford's base32 (no I, L, O or U, so nothing to confuse with 1, 0
#: or a rude word), four groups of five, read and typed in any case. 100 random bits: with at most
#: a handful of failed sign-ins a minute per address and per code (api/limits.py), and only the
#: SHA-256 kept, guessing one is out of reach even for someone holding a copy of the database.
ACCESS_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ACCESS_CODE_GROUPS, ACCESS_CODE_GROUP_SIZE = 4, 5
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_access_code() -> str:
    """A code a person can copy by hand: ``7K3QD-M9XPA-2RTVW-H4NCE``."""
    groups = (
        "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_GROUP_SIZE))
        for _ in range(ACCESS_CODE_GROUPS)
    )
    return "-".join(groups)


def canonical_secret(secret: str) -> str:
    """The one spelling of a secret that is hashed. An API token (``uim_...``) is taken exactly as
    given; an access code is read as a person types it: any case, with or without spaces and
    dashes, O for 0 and I or L for 1."""
    secret = secret.strip()
    if secret.startswith(TOKEN_PREFIX):
        return secret
    letters = "".join(secret.upper().split()).replace("-", "").translate(_LOOK_ALIKES)
    size = ACCESS_CODE_GROUPS * ACCESS_CODE_GROUP_SIZE
    if len(letters) != size or any(c not in ACCESS_CODE_ALPHABET for c in letters):
        return secret
    return "-".join(letters[i : i + ACCESS_CODE_GROUP_SIZE] for i in range(0, size, ACCESS_CODE_GROUP_SIZE))


def hash_token(token: str) -> str:
    return hashlib.sha256(canonical_secret(token).encode("utf-8")).hexdigest()


def issue_token(
    session: Session,
    *,
    role: str,
    name: str,
    employer: str | None = None,
    resident_id: str | None = None,
    expires_in_days: int | None = 90,
) -> tuple[str, ApiToken]:
    """Create a user and a token for it; returns the token (shown once) and its record. A resident's
    is an access code (:func:`new_access_code`), also a bearer token for the API."""
    problems = []
    if role not in ROLES:
        problems.append(f"role must be one of {', '.join(ROLES)}")
    if role == "recruiter" and not employer:
        problems.append("a recruiter token needs --employer (the employer's name as vacancies give it)")
    if role == "resident" and not resident_id:
        problems.append("a resident token needs --resident (the resident's record id)")
    if role not in ("recruiter",) and employer:
        problems.append("--employer applies to recruiters only")
    if role != "resident" and resident_id:
        problems.append("--resident applies to residents only")
    if expires_in_days is not None and expires_in_days < 1:
        problems.append("expiry must be at least one day")
    if problems:
        raise ValueError("; ".join(problems))
    user = User(name=name, role=role, employer=employer, resident_id=resident_id)
    # Residents get a code they can copy by hand; staff and programs a long bearer token. Only the
    # first group of a code is kept in clear (to revoke it by), leaving 80 unknown bits.
    if role == "resident":
        token = new_access_code()
        shown = token[:ACCESS_CODE_GROUP_SIZE]
    else:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        shown = token[:12]
    expires = datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
    record = ApiToken(user=user, token_hash=hash_token(token), prefix=shown, expires_at=expires)
    session.add_all([user, record])
    session.flush()
    return token, record


def is_live(api_token: ApiToken, now: datetime | None = None) -> bool:
    """Neither revoked nor expired (stored times without a zone are UTC)."""
    if api_token.revoked_at is not None:
        return False
    expires = api_token.expires_at
    now = now or datetime.now(UTC)
    return expires is None or (expires if expires.tzinfo else expires.replace(tzinfo=UTC)) > now


def principal() -> Principal | None:
    """The caller, from the request's bearer token (cached on ``g``); None when anonymous."""
    if "principal" in g:
        return g.principal
    found: Principal | None = None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise APIError(401, "unauthorised", "use an 'Authorization: Bearer <token>' header")
        session = current_app.extensions["useit_sessions"]()
        try:
            row = session.execute(
                select(ApiToken, User).join(User).where(ApiToken.token_hash == hash_token(token.strip()))
            ).first()
        finally:
            session.close()
        now = datetime.now(UTC)
        problem = (
            "the token is not valid"
            if row is None
            else "the token has been revoked"
            if row[0].revoked_at is not None
            else "the token has expired"
            if not is_live(row[0], now)
            else None
        )
        if problem is not None:
            failed_authentication(token.strip())  # 429 once this address or token has failed too often
            raise APIError(401, "unauthorised", problem)
        assert row is not None
        user = row[1]
        found = Principal(user.id, user.role, user.employer, user.resident_id)
    g.principal = found
    return found


def allow(*roles: str) -> Callable[[F], F]:
    """Only these roles may call the endpoint: 401 without a token, 403 for another role."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            caller = principal()
            if caller is None:
                raise APIError(401, "unauthorised", "this needs a bearer token")
            if caller.role not in roles:
                raise APIError(403, "forbidden", f"this is not open to the {caller.role} role")
            return view(*args, **kwargs)

        guarded.access_policy = {"roles": roles}  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Open to anyone, with or without a token (stateless endpoints that store nothing)."""
    view.access_policy = {"roles": "public"}  # type: ignore[attr-defined]
    return view


def current() -> Principal:
    """The caller of an endpoint guarded by :func:`allow` (never None there)."""
    caller = principal()
    assert caller is not None
    return caller
