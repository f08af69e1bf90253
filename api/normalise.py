"""``POST /api/v1/normalise``: free text to taxonomy concepts (the normalise contract)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from .auth import public
from .contract import NormaliseResponse
from .errors import APIError
from .openapi import documented
from .schemas import NormaliseRequest, validate

bp = Blueprint("normalise", __name__)


def json_body() -> object:
    if not request.is_json:
        raise APIError(415, "unsupported_media_type", "send a JSON body with Content-Type: application/json")
    body = request.get_json(silent=True)
    if body is None:
        raise APIError(400, "bad_json", "the request body is not valid JSON (UTF-8)")
    return body


@bp.post("/normalise")
@public
@documented(body=NormaliseRequest, response=NormaliseResponse)
def normalise() -> ResponseReturnValue:
    payload = validate(NormaliseRequest, json_body())
    texts = [payload.text] if payload.text is not None else list(payload.texts or [])
    results = current_app.extensions["useit_engine"].normalise(
        texts, kind=payload.kind, country=payload.country, limit=payload.limit, cutoff=payload.cutoff
    )
    records = [result.to_dict() for result in results]
    if payload.text is not None:
        return jsonify(records[0])
    return jsonify({"results": records})
