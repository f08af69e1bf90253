"""``POST /api/v1/normalise``: free text to taxonomy concepts (the normalise contract)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from . import examples
from .auth import public
from .contract import NormaliseResponse
from .errors import APIError
from .limits import check_time, text_budget_problems
from .openapi import documented
from .schemas import NormaliseRequest, validate

bp = Blueprint("normalise", __name__)
#: Texts normalised per engine call (the time box is checked between calls).
_CHUNK = 100


def json_body() -> object:
    if not request.is_json:
        raise APIError(415, "unsupported_media_type", "send a JSON body with Content-Type: application/json")
    body = request.get_json(silent=True)
    if body is None:
        raise APIError(400, "bad_json", "the request body is not valid JSON (UTF-8)")
    return body


@bp.post("/normalise")
@public
@documented(body=NormaliseRequest, response=NormaliseResponse, example=examples.normalise)
def normalise() -> ResponseReturnValue:
    """Normalise free text (skills, occupations, qualifications) to concepts of the taxonomy.

    ``text`` gives one result, ``texts`` (up to 1,000) a list; each result's matches come best first
    with score, method, ESCO URI and SOC 2020 code, and for qualifications the profession,
    regulator, level and country. Stateless.
    """
    payload = validate(NormaliseRequest, json_body())
    texts = [payload.text] if payload.text is not None else list(payload.texts or [])
    if problems := text_budget_problems(texts):
        raise APIError(422, "validation_error", "the request is not valid", problems)
    engine = current_app.extensions["useit_engine"]
    records = []
    for start in range(0, len(texts), _CHUNK):  # a time box is checked between chunks
        check_time()
        results = engine.normalise(
            texts[start : start + _CHUNK],
            kind=payload.kind,
            country=payload.country,
            limit=payload.limit,
            cutoff=payload.cutoff,
        )
        records += [result.to_dict() for result in results]
    if payload.text is not None:
        return jsonify(records[0])
    return jsonify({"results": records})
