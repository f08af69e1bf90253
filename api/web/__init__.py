"""Server-rendered pages for people: residents, advisers and recruiters (Flask and Jinja only).

No front-end build: HTML forms that work without JavaScript, one stylesheet, and one small
script that adds suggestions as you type and "add another row". Pages share the API's engine,
database functions, access rules and audit; they sign people in with a session cookie instead
of a bearer header.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, request

from ..config import default_instance_dir
from . import adviser, adviser_drafts, auth_pages, insights, own_words, present, recruiter, resident
from .access import csrf_token, web_principal

BLUEPRINTS = (auth_pages.bp, resident.bp, own_words.bp, adviser.bp, adviser_drafts.bp, recruiter.bp, insights.bp)


def is_page_request() -> bool:
    """Whether the current request is for a page (errors then render as pages, not JSON)."""
    if request.blueprint and request.blueprint.startswith("web_"):
        return True
    if request.blueprint is None and not request.path.startswith(("/api/", "/openapi.json", "/healthz")):
        best = request.accept_mimetypes.best_match(["application/json", "text/html"])
        return best == "text/html"
    return False


def _secret_key(app: Flask) -> str:
    """From USEIT_SECRET_KEY, else one made once and kept in the instance folder (readable by
    the service's user only), so sessions survive restarts and every worker shares it."""
    if key := os.environ.get("USEIT_SECRET_KEY"):
        return key
    path = Path(default_instance_dir()) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def install(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)
    # Flask's own defaults (a 31-day cookie, no SameSite) are too loose for personal data.
    app.config.update(
        SESSION_COOKIE_NAME="useit_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Behind TLS in production set USEIT_SECURE_COOKIES=1; plain http on 127.0.0.1 needs it off.
        SESSION_COOKIE_SECURE=os.environ.get("USEIT_SECURE_COOKIES") == "1",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
    )
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    present.install(app)
    app.add_template_global(csrf_token)
    app.add_template_global(web_principal, "signed_in")
