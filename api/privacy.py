"""Keep residents out of logs (ids and query strings), and security headers on every response."""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping

from flask import Flask, Response, request

#: A resident record id ("r-" and 16 hex digits), as it appears in request paths.
_RESIDENT_ID = re.compile(r"\br-[0-9a-f]{16}\b")


PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


#: A query string in a logged request line or URL: "?q=Asha%20Begum&postcode=B66 2QT".
_QUERY = re.compile(r"\?[^\s\"]*")


def redact(text: str) -> str:
    """A log line's text without resident ids or query strings (which carry names, postcodes)."""
    return _QUERY.sub("?…", _RESIDENT_ID.sub("r-…", text))


class RedactResidentIds(logging.Filter):
    """Keeps resident ids and query strings out of log lines (access logs print request lines).

    werkzeug passes the request line as an argument; gunicorn's access log passes a mapping of
    atoms (``r`` request line, ``q`` query string, ``U`` path, ``f`` referer, ...).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, MutableMapping):
            # In place: gunicorn's mapping answers "-" for atoms it lacks, which a dict would not.
            for key, value in list(record.args.items()):
                if key == "q" and value:  # the query string itself
                    record.args[key] = "…"
                elif isinstance(value, str):
                    record.args[key] = redact(value)
        elif record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
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
        else:
            headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        if request.endpoint != "static":
            # Every answer but the stylesheet and script is for one caller, and many carry names,
            # postcodes or assessments: no browser or proxy may keep a copy.
            headers.setdefault("Cache-Control", "no-store")
        return response
