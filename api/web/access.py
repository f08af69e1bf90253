"""Who is using the web pages: a signed session cookie that names one API token.

People sign in with the access code (an API token) an administrator or adviser gave them, or
that the resident checker issued when they chose to save their results. The cookie holds only a
random session id; the server keeps the session (``web_sessions``) and re-reads it and its token
on every request, so signing out, the session's absolute lifetime, and revoking or expiring the
token each end it at once. Pages declare who may see them with :func:`page_for` or :func:`public_page`,
the same ``access_policy`` attribute the API's endpoints carry, so the access tests cover both.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy import select, update

from ..auth import ROLES, Principal, hash_token, is_live
from ..models import ApiToken, User, WebSession

F = TypeVar("F", bound=Callable[..., Any])
_SESSION_KEY = "sid"
#: How long a sign-in lasts, however busy the session: then the person signs in again.
SESSION_LIFETIME = timedelta(hours=8)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def sign_in(code: str) -> Principal | None:
    """Start a session for the holder of ``code``; None (and no session) when it is not valid."""
    factory = current_app.extensions["useit_sessions"]
    session_id = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with factory() as db, db.begin():
        row = db.execute(
            select(ApiToken, User).join(User).where(ApiToken.token_hash == hash_token(code.strip()))
        ).first()
        if row is None or not is_live(row[0]):
            return None
        api_token, user = row
        db.add(
            WebSession(
                id_hash=_hash(session_id), token_id=api_token.id, created_at=now, expires_at=now + SESSION_LIFETIME
            )
        )
    session.clear()  # a new session for a new identity (no fixation)
    session[_SESSION_KEY] = session_id
    session.permanent = True
    g.web_principal = Principal(user.id, user.role, user.employer, user.resident_id)
    return g.web_principal


def sign_out() -> None:
    """End the session on the server too: a copy of the cookie signs nobody in afterwards."""
    session_id = session.get(_SESSION_KEY)
    if isinstance(session_id, str):
        factory = current_app.extensions["useit_sessions"]
        with factory() as db, db.begin():
            db.execute(
                update(WebSession)
                .where(WebSession.id_hash == _hash(session_id), WebSession.ended_at.is_(None))
                .values(ended_at=datetime.now(UTC))
            )
    session.clear()
    g.web_principal = None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def web_principal() -> Principal | None:
    """The signed-in person, or None. The session must be one the server started and has not
    ended (signed out, past its lifetime), and its token must still be live (not revoked or
    expired)."""
    if "web_principal" in g:
        return g.web_principal
    found: Principal | None = None
    session_id = session.get(_SESSION_KEY)
    if isinstance(session_id, str):
        factory = current_app.extensions["useit_sessions"]
        with factory() as db:
            row = db.execute(
                select(WebSession, ApiToken, User)
                .join(ApiToken, WebSession.token_id == ApiToken.id)
                .join(User, ApiToken.user_id == User.id)
                .where(WebSession.id_hash == _hash(session_id))
            ).first()
        now = datetime.now(UTC)
        if row is not None and row[0].ended_at is None and _aware(row[0].expires_at) > now and is_live(row[1], now):
            user = row[2]
            found = Principal(user.id, user.role, user.employer, user.resident_id)
        else:
            session.pop(_SESSION_KEY, None)
    elif _SESSION_KEY not in session and "token_id" in session:
        session.pop("token_id")  # a cookie from before server-side sessions: sign in again
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
    """Only a path on this site: no other host, and nothing a browser or a header could read
    differently (control characters such as CR and LF, backslashes, which browsers take for "/")."""
    if not target or len(target) > 2_000:
        return default
    if any(ord(c) < 32 or ord(c) == 127 for c in target) or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


# Cross-site request forgery: every form carries a token bound to the session (Flask-WTF's
# CSRFProtect, installed in web.install; the JSON API, which takes bearer tokens, is not checked).


def csrf_token() -> str:
    """This session's form token (a signed, time-limited token bound to the session)."""
    return generate_csrf()


def check_csrf() -> None:
    """400 for a form post without this session's token (another site cannot make one), with
    words a person can act on."""
    if request.method != "POST":
        return
    try:
        current_app.extensions["csrf"].protect()
    except CSRFError:
        abort(400, description="This form has expired. Go back, reload the page and try again.")
