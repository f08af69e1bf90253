"""Who is using the web pages: a signed session cookie that names one API token.

People sign in with the access code (an API token) an administrator or adviser gave them, or
that the resident checker issued when they chose to save their results. The cookie holds only
the token's row id; every request re-reads that row, so revoking or expiring a token signs its
pages out at once. Pages declare who may see them with :func:`page_for` or :func:`public_page`,
the same ``access_policy`` attribute the API's endpoints carry, so the access tests cover both.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for
from sqlalchemy import select

from ..auth import ROLES, Principal, hash_token, is_live
from ..models import ApiToken, User

F = TypeVar("F", bound=Callable[..., Any])
_SESSION_KEY = "token_id"


def sign_in(code: str) -> Principal | None:
    """Start a session for the holder of ``code``; None (and no session) when it is not valid."""
    factory = current_app.extensions["useit_sessions"]
    with factory() as db:
        row = db.execute(
            select(ApiToken, User).join(User).where(ApiToken.token_hash == hash_token(code.strip()))
        ).first()
    if row is None or not is_live(row[0]):
        return None
    api_token, user = row
    session.clear()  # a new session id for a new identity (no fixation)
    session[_SESSION_KEY] = api_token.id
    session.permanent = True
    g.web_principal = Principal(user.id, user.role, user.employer, user.resident_id)
    return g.web_principal


def sign_out() -> None:
    session.clear()
    g.web_principal = None


def web_principal() -> Principal | None:
    """The signed-in person, or None; a revoked or expired token ends the session."""
    if "web_principal" in g:
        return g.web_principal
    found: Principal | None = None
    token_id = session.get(_SESSION_KEY)
    if isinstance(token_id, int):
        factory = current_app.extensions["useit_sessions"]
        with factory() as db:
            row = db.execute(select(ApiToken, User).join(User).where(ApiToken.id == token_id)).first()
        if row is not None and is_live(row[0]):
            user = row[1]
            found = Principal(user.id, user.role, user.employer, user.resident_id)
        else:
            session.clear()
    g.web_principal = found
    return found


def page_for(*roles: str) -> Callable[[F], F]:
    """Only these roles may open the page: anyone else signed out goes to the sign-in page,
    anyone signed in with another role gets a plain "not for you" page (403)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            who = web_principal()
            if who is None:
                return redirect(url_for("web_auth.sign_in_page", next=request.full_path.rstrip("?")))
            if who.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        guarded.access_policy = {"roles": roles, "web": True}  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def public_page(view: F) -> F:
    view.access_policy = {"roles": "public", "web": True}  # type: ignore[attr-defined]
    return view


def me() -> Principal:
    """The signed-in person on a page guarded by :func:`page_for`."""
    who = web_principal()
    assert who is not None
    return who


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site (no open redirect to another host)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


# Cross-site request forgery: every form carries a token bound to the session.
_CSRF_KEY = "csrf"


def csrf_token() -> str:
    token = session.get(_CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[_CSRF_KEY] = token
    return token


def check_csrf() -> None:
    """400 for a form post without this session's token (another site cannot make one)."""
    if request.method != "POST":
        return
    expected = session.get(_CSRF_KEY)
    given = request.form.get("csrf_token", "")
    if not isinstance(expected, str) or not hmac.compare_digest(expected, given):
        abort(400, description="This form has expired. Go back, reload the page and try again.")
