"""Limits on what one caller can make the service do: rate limits, text budgets, time boxes.

- **Rate limits** (flask-limiter, per client address): every public endpoint that does real
  work (normalising, assessing, planning, checking routes, saving) and bulk import have a limit
  of their own (:data:`LIMITED_ENDPOINTS`); the access tests fail for a new public endpoint
  that has neither a limit nor a place in :data:`CHEAP_PUBLIC_ENDPOINTS`.
- **Failed authentication** is counted per route and client address and per route and
  credential (:func:`failed_authentication`); only a request whose credentials fail is ever
  refused for it, so valid tokens and codes always get through, even from an address (a proxy,
  a library's wifi) where someone else is guessing.
- **Text budgets**: a request carries at most ``USEIT_MAX_REQUEST_TEXT`` characters of free
  text (:func:`text_budget_problems`) and a vacancy at most :data:`MAX_CRITERIA` essential and
  as many desirable criteria (:func:`criteria_problems`, also in the OpenAPI document), so no
  request can buy seconds of CPU.
- **Time box**: work that loops (normalising many texts, checking routes against every open
  vacancy) calls :func:`check_time` between steps and gives up with a 503 once the request has
  run for ``USEIT_REQUEST_TIME_BOX`` seconds. gunicorn's ``--timeout`` is the backstop.

Storage is in memory per worker by default; set ``USEIT_RATELIMIT_STORAGE`` (e.g. a
``redis://`` URL) so several gunicorn workers share counts.
"""

from __future__ import annotations

import hashlib
import os
import time
from typing import Any

from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse

from .errors import APIError

#: Endpoints with a limit of their own, and the config key that sets it.
LIMITED_ENDPOINTS = {
    "vacancies.import_vacancies": "USEIT_IMPORT_LIMIT",
    # Public work: anyone can call these, and each costs real CPU.
    "normalise.normalise": "USEIT_PUBLIC_LIMIT",
    "assess.assess": "USEIT_PUBLIC_LIMIT",
    "assess.pathways": "USEIT_PUBLIC_LIMIT",
    # Suggestions as you type: many small calls.
    "taxonomy.search": "USEIT_SEARCH_LIMIT",
    # Checking routes assesses every open vacancy, and saving creates a record.
    "web_resident.check_submit": "USEIT_CHECK_LIMIT",
    "web_resident.save": "USEIT_SAVE_LIMIT",
    # Reading a CV parses a file and normalises hundreds of phrases.
    "profile_extract.extract_profile": "USEIT_EXTRACT_LIMIT",
    "web_words.read_words": "USEIT_EXTRACT_LIMIT",
}
#: Public endpoints that do no real work (a page from a template, a cached document, a ping),
#: so need no limit of their own. Anything public and not here must be in LIMITED_ENDPOINTS.
CHEAP_PUBLIC_ENDPOINTS = frozenset(
    {
        "health.healthz",
        "openapi.openapi_document",
        "openapi.docs",
        "web_auth.home",
        "web_auth.sign_in_page",
        "web_auth.sign_in_submit",  # failed codes are limited by failed_authentication
        "web_auth.sign_out_submit",
        "web_resident.check",
        "web_words.words",  # the page with the box and the upload; reading them is limited
    }
)

#: Criteria per list (essential, desirable) of one vacancy: NHS person specifications have
#: about 10 to 30 in all. Reading a criterion costs about 20 ms of CPU the first time.
MAX_CRITERIA = 40

DEFAULTS = {
    "USEIT_IMPORT_LIMIT": "30 per hour",
    "USEIT_PUBLIC_LIMIT": "30 per minute",
    "USEIT_SEARCH_LIMIT": "300 per minute",
    "USEIT_CHECK_LIMIT": "30 per minute",
    "USEIT_SAVE_LIMIT": "10 per hour",
    "USEIT_EXTRACT_LIMIT": "30 per minute",
    # Failed authentication, per route: from one address, and with one credential.
    "USEIT_AUTH_FAILURE_LIMIT": "20 per minute",
    "USEIT_AUTH_FAILURE_PER_CREDENTIAL_LIMIT": "5 per minute",
    "USEIT_MAX_REQUEST_TEXT": 30_000,
    "USEIT_REQUEST_TIME_BOX": 10.0,
}


def _setting(name: str) -> Any:
    return current_app.config.get(name, DEFAULTS[name])


def install(app: Flask) -> Limiter:
    """Attach the limits; call after the blueprints are registered."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", os.environ.get("USEIT_RATELIMIT_STORAGE", "memory://"))
    for name, default in DEFAULTS.items():
        raw = os.environ.get(name)
        value: Any = default if raw is None else type(default)(raw)
        app.config.setdefault(name, value)
    limiter = Limiter(get_remote_address, app=app, headers_enabled=True)
    for endpoint, key in LIMITED_ENDPOINTS.items():
        view = app.view_functions[endpoint]

        def limit(key: str = key) -> str:
            return str(current_app.config[key])

        limited = limiter.limit(limit)(view)
        limited.rate_limit = key  # type: ignore[attr-defined]  # for the access tests
        app.view_functions[endpoint] = limited  # type: ignore[assignment]

    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.monotonic()

    return limiter


def failed_authentication(credential: str) -> None:
    """Count a failed authentication with ``credential`` on this route; 429 once either count
    (per address, per credential) is over its limit. Call only when authentication failed."""
    app = current_app
    if not app.config.get("RATELIMIT_ENABLED", True):
        return
    limiter: Limiter = app.extensions["useit_limiter"]
    route = request.endpoint or request.path
    fingerprint = hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest()[:16]
    over = False
    for key, identity in (
        ("USEIT_AUTH_FAILURE_LIMIT", f"address:{get_remote_address()}"),
        ("USEIT_AUTH_FAILURE_PER_CREDENTIAL_LIMIT", f"credential:{fingerprint}"),
    ):
        item = parse(str(app.config[key]))
        if not limiter.limiter.hit(item, "useit-auth-failures", route, identity):
            over = True
    if over:
        raise APIError(429, "too_many_requests", "too many failed attempts: wait a minute and try again")


def _characters(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_characters(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_characters(v) for v in value)
    return 0


def text_budget_problems(*records: Any) -> list[dict[str, str]]:
    """A problem when the records together carry more free text than one request may."""
    problems = []
    limit = int(_setting("USEIT_MAX_REQUEST_TEXT"))
    total = sum(_characters(r) for r in records)
    if total > limit:
        problems.append(
            {
                "location": "body",
                "message": f"at most {limit:,} characters of text in one request, got {total:,}",
                "type": "too_much_text",
            }
        )
    return problems


def criteria_problems(record: Any) -> list[dict[str, str]]:
    """A problem for each criteria list longer than one vacancy may have (MAX_CRITERIA each)."""
    if not isinstance(record, dict):
        return []
    return [
        {"location": section, "message": f"at most {MAX_CRITERIA} criteria, got {len(items)}", "type": "too_long"}
        for section in ("essential", "desirable")
        if isinstance(items := record.get(section), list) and len(items) > MAX_CRITERIA
    ]


def check_time() -> None:
    """503 once this request has worked for longer than its time box (call between steps)."""
    started = g.get("request_started")
    if started is not None and time.monotonic() - started > float(_setting("USEIT_REQUEST_TIME_BOX")):
        raise APIError(503, "too_slow", "this request needed more time than one request may have; send less")
