"""Taxonomy search (suggestions as you type) and training insights."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from matcher import KINDS
from matcher.insights import training_insights

from .auth import allow, public
from .errors import APIError
from .index import resident_index
from .openapi import documented
from .store import transaction
from .vacancies import open_vacancies

bp = Blueprint("taxonomy", __name__)


@bp.get("/taxonomy/search")
@public
@documented(query={"q": "Text to search for", "kind": "skill, occupation or qualification", "limit": "1-50"})
def search() -> ResponseReturnValue:
    """Concepts whose labels match ``q`` (``kind`` one of skill, occupation, qualification)."""
    q = (request.args.get("q") or "").strip()
    kind = request.args.get("kind", "skill")
    raw_limit = request.args.get("limit", "10")
    problems = []
    if not q:
        problems.append({"location": "query.q", "message": "required: the text to search for"})
    elif len(q) > 200:
        problems.append({"location": "query.q", "message": "at most 200 characters"})
    if kind not in KINDS:
        problems.append({"location": "query.kind", "message": f"one of {', '.join(KINDS)}"})
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 50:
        problems.append({"location": "query.limit", "message": "a whole number from 1 to 50"})
    if problems:
        raise APIError(422, "validation_error", "the query is not valid", problems)
    engine = current_app.extensions["useit_engine"]
    result = engine.normalise([q], kind=kind, limit=int(raw_limit), cutoff=0.3)[0]
    return jsonify({"q": q, "kind": kind, "results": [m.to_dict() for m in result.matches]})


@bp.get("/insights/training")
@allow("adviser", "admin")
def insights() -> ResponseReturnValue:
    """Which single credential would make the most registered residents eligible for open vacancies."""
    with transaction() as session:
        index, _ = resident_index(session)
        vacancies = open_vacancies(session, date.today())
    found = training_insights(index, vacancies)
    return jsonify({"residents": len(index.residents), "open_vacancies": len(vacancies), "credentials": found})
