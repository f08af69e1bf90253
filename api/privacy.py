"""Keep residents out of logs, and security headers on every response."""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, request

#: A resident record id ("r-" and 16 hex digits), as it appears in request paths.
_RESIDENT_ID = re.compile(r"\br-[0-9a-f]{16}\b")


PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class RedactResidentIds(logging.Filter):
    """Replaces resident ids in log lines (access logs print request paths) with "r-…"."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _RESIDENT_ID.sub("r-…", record.msg)
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(_RESIDENT_ID.sub("r-…", a) if isinstance(a, str) else a for a in args)
        return True


def install(app: Flask) -> None:
    redact = RedactResidentIds()
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactResidentIds) for f in logger.filters):
            logger.addFilter(redact)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        if response.mimetype == "text/html" and request.path == "/docs":
            # The docs page has inline styles only; nothing is loaded from elsewhere.
            headers.setdefault("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        elif response.mimetype == "text/html":
            # Pages load their one stylesheet and one script from this site, and nothing inline:
            # text someone typed can never run as script or restyle a page.
            headers.setdefault("Content-Security-Policy", PAGE_POLICY)
            headers.setdefault("Cache-Control", "no-store")  # pages show personal data
        else:
            headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        if request.path.startswith("/api/v1/residents"):
            headers.setdefault("Cache-Control", "no-store")  # personal data: never cached
        return response
