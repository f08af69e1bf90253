"""Taxonomy search (suggestions as you type) and insights: training that unlocks jobs, supply and demand."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from matcher import KINDS
from matcher.insights import load_pay_bands, supply_and_demand, training_insights

from .auth import allow, public
from .contract import WORDS, SupplyDemandOut, TrainingInsightsOut
from .errors import APIError
from .index import resident_index
from .openapi import documented, param
from .store import query_flag, transaction, whole_number
from .vacancies import open_vacancies, open_vacancy_locations

bp = Blueprint("taxonomy", __name__)


@bp.get("/taxonomy/search")
@public
@documented(
    query={
        "q": param("Text to search for", required=True, minLength=1, maxLength=200, pattern=WORDS),
        "kind": param("skill, occupation or qualification", enum=list(KINDS)),
        "limit": param("1-50", type="integer", minimum=1, maximum=50),
    }
)
def search() -> ResponseReturnValue:
    """Concepts whose labels match ``q`` (``kind`` one of skill, occupation, qualification)."""
    raw_q = request.args.get("q") or ""
    q = raw_q.strip()
    kind = request.args.get("kind", "skill")
    raw_limit = request.args.get("limit", "10")
    problems = []
    if not q:
        problems.append({"location": "query.q", "message": "required: the text to search for"})
    elif len(raw_q) > 200:
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
@documented(
    query={
        "top": param("Credentials to list, 1-100 (default 10)", type="integer", minimum=1, maximum=100),
        "with_vacancies": param(
            "true: list the vacancies each credential unlocks (ids and titles)", enum=["true", "false"]
        ),
    },
    response=TrainingInsightsOut,
)
def insights() -> ResponseReturnValue:
    """Which single credential would make the most registered residents eligible for open vacancies.

    Each credential carries the bands it unlocks and the salary range they span (Agenda for
    Change, from the shipped pay bands named under ``pay``). Counts only: no resident is named.
    """
    top = whole_number(request.args.get("top"), default=10, low=1, high=100, name="top")
    with_vacancies = query_flag("with_vacancies")
    pay = load_pay_bands()
    with transaction() as session:
        index, _ = resident_index(session)
        vacancies = open_vacancies(session, date.today())
    found = training_insights(index, vacancies, top=top, pay=pay, with_vacancies=with_vacancies)
    return jsonify(
        {"residents": index.live, "open_vacancies": len(vacancies), "credentials": found, "pay": pay.provenance()}
    )


@bp.get("/insights/supply-demand")
@allow("adviser", "admin")
@documented(
    query={
        "top": param(
            "Rows per list (occupations, districts, towns), 1-500 (default all)", type="integer", minimum=1, maximum=500
        )
    },
    response=SupplyDemandOut,
)
def supply_demand() -> ResponseReturnValue:
    """Open vacancies by occupation and town against residents' backgrounds and postcode districts.

    Per occupation: demand (open vacancies), supply (residents with it in their work history or
    a qualification of its profession), related supply and residents eligible now. Per area:
    residents by postcode district, vacancies by town. Counts only: no resident is named.
    """
    raw_top = request.args.get("top")
    top = None if raw_top is None else whole_number(raw_top, default=0, low=1, high=500, name="top")
    with transaction() as session:
        index, _ = resident_index(session)
        today = date.today()
        vacancies = open_vacancies(session, today)
        locations = open_vacancy_locations(session, today)
    report = supply_and_demand(index, vacancies, locations=locations, top=top, pay=load_pay_bands())
    return jsonify(report.to_dict())
