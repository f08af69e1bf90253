"""Rate limits: failed authentication (per client address, across every route) and bulk import.

One limiter per app (tests build many apps). Storage is in memory per worker by default; set
``USEIT_RATELIMIT_STORAGE`` (e.g. a ``redis://`` URL) so several gunicorn workers share counts.
"""

from __future__ import annotations

import os

from flask import Flask, Response, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

#: Endpoints with a limit of their own (bulk work), and the config key that sets it.
LIMITED_ENDPOINTS = {
    "vacancies.import_vacancies": "USEIT_IMPORT_LIMIT",
    # Public pages that do real work: checking routes assesses every open vacancy, and saving
    # creates a record, so neither may be driven in a loop from one address.
    "web_resident.check_submit": "USEIT_CHECK_LIMIT",
    "web_resident.save": "USEIT_SAVE_LIMIT",
    # Reading a CV parses a file and normalises hundreds of phrases.
    "profile_extract.extract_profile": "USEIT_EXTRACT_LIMIT",
    "web_words.read_words": "USEIT_EXTRACT_LIMIT",
}


def _failed_authentication(response: Response) -> bool:
    return response.status_code == 401


def install(app: Flask) -> Limiter:
    """Attach the limits; call after the blueprints are registered."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", os.environ.get("USEIT_RATELIMIT_STORAGE", "memory://"))
    # Only 401 responses count towards this: guessing tokens is slowed, honest use is not.
    app.config.setdefault("RATELIMIT_APPLICATION", os.environ.get("USEIT_AUTH_FAILURE_LIMIT", "20 per minute"))
    app.config.setdefault("USEIT_IMPORT_LIMIT", os.environ.get("USEIT_IMPORT_LIMIT", "30 per hour"))
    app.config.setdefault("USEIT_CHECK_LIMIT", os.environ.get("USEIT_CHECK_LIMIT", "30 per minute"))
    app.config.setdefault("USEIT_SAVE_LIMIT", os.environ.get("USEIT_SAVE_LIMIT", "10 per hour"))
    app.config.setdefault("USEIT_EXTRACT_LIMIT", os.environ.get("USEIT_EXTRACT_LIMIT", "30 per minute"))
    limiter = Limiter(
        get_remote_address, app=app, application_limits_deduct_when=_failed_authentication, headers_enabled=True
    )
    for endpoint, key in LIMITED_ENDPOINTS.items():
        view = app.view_functions[endpoint]

        def limit(key: str = key) -> str:
            return str(current_app.config[key])

        app.view_functions[endpoint] = limiter.limit(limit)(view)  # type: ignore[assignment]
    return limiter
