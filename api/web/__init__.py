"""Server-rendered pages for people: residents, advisers and recruiters (Flask and Jinja only).

No front-end build: HTML forms that work without JavaScript, one stylesheet, and one small
script that adds suggestions as you type and "add another row". Pages share the API's engine,
database functions, access rules and audit; they sign people in with a session cookie instead
of a bearer header.
"""

from __future__ import annotations

import os

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

from ..config import instance_secret
from . import adviser, adviser_drafts, auth_pages, insights, own_words, present, recruiter, resident
from .access import SESSION_LIFETIME, csrf_token, web_principal

BLUEPRINTS = (auth_pages.bp, resident.bp, own_words.bp, adviser.bp, adviser_drafts.bp, recruiter.bp, insights.bp)


def is_page_request() -> bool:
    """Whether the current request is for a page (errors then render as pages, not JSON)."""
    if request.blueprint and request.blueprint.startswith("web_"):
        return True
    if request.blueprint is None and not request.path.startswith(("/api/", "/openapi.json", "/healthz")):
        best = request.accept_mimetypes.best_match(["application/json", "text/html"])
        return best == "text/html"
    return False


def install(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret("USEIT_SECRET_KEY", "secret_key")
    # Flask's own defaults (a 31-day cookie, no SameSite) are too loose for personal data.
    app.config.update(
        SESSION_COOKIE_NAME="useit_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Behind TLS in production set USEIT_SECURE_COOKIES=1; plain http on 127.0.0.1 needs it off.
        SESSION_COOKIE_SECURE=os.environ.get("USEIT_SECURE_COOKIES") == "1",
        # The cookie expires a fixed time after signing in, and is not renewed by each request;
        # the server ends the session then too (access.SESSION_LIFETIME), and at sign-out.
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        SESSION_REFRESH_EACH_REQUEST=False,
        # Forms are checked by the pages' blueprints (access.check_csrf), not every POST: the JSON
        # API authenticates with bearer tokens, which a browser never sends by itself. A form's
        # token lasts as long as a sign-in.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=int(SESSION_LIFETIME.total_seconds()),
    )
    CSRFProtect(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    present.install(app)
    app.add_template_global(csrf_token)
    app.add_template_global(web_principal, "signed_in")
