"""One error shape for every failure: ``{"code", "message", "errors": [...]}``."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, jsonify, render_template
from flask.typing import ResponseReturnValue
from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from matcher import InvalidInputError, MatcherError

bp = Blueprint("errors", __name__)
log = logging.getLogger(__name__)


class APIError(Exception):
    """An error with an HTTP status, a stable code and the list of problems."""

    def __init__(self, status: int, code: str, message: str, errors: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.errors = errors or []


def error_response(status: int, code: str, message: str, errors: list[Any] | None = None) -> ResponseReturnValue:
    """The one JSON error shape; a request for a web page gets an error page instead."""
    from .web import is_page_request  # the pages import this module

    if is_page_request():
        return _page_error(status)
    return jsonify({"code": code, "message": message, "errors": errors or []}), status


def validation_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {
            "location": ".".join(str(part) for part in error["loc"]) or "body",
            "message": error["msg"],
            "type": error["type"],
        }
        for error in exc.errors(include_url=False, include_input=False)
    ]


#: What a person reading a page is told, by status (the API's messages are for programs).
_PAGE_MESSAGES = {
    400: "Something in that request could not be read.",
    401: "You need to sign in to see this page.",
    403: "This page is not open to you.",
    404: "We could not find that page. It may have been removed, or the address may be wrong.",
    405: "That is not something this page can do.",
    409: "Someone changed this while you were working on it. Reload the page and try again.",
    413: "That was too much to send at once.",
    422: "Something in that request could not be read.",
    429: "Too many attempts. Wait a minute and try again.",
    500: "Something went wrong on our side. It has been logged.",
    503: "The service cannot reach its database just now. Try again in a few minutes.",
}


def _page_error(status: int, detail: str | None = None) -> tuple[str, int]:
    message = _PAGE_MESSAGES.get(status, "Something went wrong.")
    return render_template("web/error.html", status=status, message=message, detail=detail), status


def register(app: Flask) -> None:
    @app.errorhandler(APIError)
    def _api_error(exc: APIError) -> ResponseReturnValue:
        return error_response(exc.status, exc.code, exc.message, exc.errors)

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError) -> ResponseReturnValue:
        return error_response(422, "validation_error", "the request is not valid", validation_errors(exc))

    @app.errorhandler(InvalidInputError)
    def _invalid(exc: InvalidInputError) -> ResponseReturnValue:
        errors = [{"location": "body", "message": p} for p in exc.problems]
        return error_response(422, "validation_error", exc.message, errors)

    @app.errorhandler(MatcherError)
    def _matcher(exc: MatcherError) -> ResponseReturnValue:
        log.error("engine error: %s", exc.message)
        return error_response(503, "engine_unavailable", "the matching engine cannot serve this request now")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> ResponseReturnValue:
        code = (exc.name or "error").lower().replace(" ", "_")
        status = exc.code or 500
        from .web import is_page_request

        if is_page_request():
            detail = exc.description if status == 400 else None
            page, _ = _page_error(status, detail)
            return page, status, [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        body = jsonify({"code": code, "message": exc.description or exc.name or "error", "errors": []})
        # Keep what the exception says beyond the body: Allow on 405, Retry-After on 429.
        extra = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        return body, status, extra

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_down(exc: Exception) -> ResponseReturnValue:
        # The pool pings connections before use, so the service recovers by itself when
        # the database returns; until then every request says so plainly.
        log.error("database unavailable: %s", type(exc).__name__)
        return error_response(503, "database_unavailable", "the database cannot be reached; try again shortly")

    @app.errorhandler(RecursionError)
    def _too_deep(exc: RecursionError) -> ResponseReturnValue:
        return error_response(400, "bad_json", "the JSON body is nested too deeply")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> ResponseReturnValue:
        # Log the type only: a message may carry a resident's data.
        log.exception("unexpected %s", type(exc).__name__)
        return error_response(500, "internal_error", "something went wrong on our side; it has been logged")
