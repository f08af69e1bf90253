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
from .openapi import documented, limit_params, param
from .store import limit_arg, query_flag, transaction
from .vacancies import open_vacancies, open_vacancy_locations

bp = Blueprint("taxonomy", __name__)


@bp.get("/taxonomy/search")
@public
@documented(
    query={
        "q": param("Text to search for", required=True, minLength=1, maxLength=200, pattern=WORDS),
        "kind": param("skill, occupation or qualification", enum=list(KINDS)),
        **limit_params("Concepts, 1-50 (default 10)", maximum=50, aliases=("top",)),
    }
)
def search() -> ResponseReturnValue:
    """Concepts whose labels match ``q`` (``kind`` one of skill, occupation, qualification)."""
    raw_q = request.args.get("q") or ""
    q = raw_q.strip()
    kind = request.args.get("kind", "skill")
    problems = []
    try:
        limit = limit_arg(default=10, low=1, high=50) or 10
    except APIError as exc:
        problems += exc.errors
        limit = 10
    if not q:
        problems.append({"location": "query.q", "message": "required: the text to search for"})
    elif len(raw_q) > 200:
        problems.append({"location": "query.q", "message": "at most 200 characters"})
    if kind not in KINDS:
        problems.append({"location": "query.kind", "message": f"one of {', '.join(KINDS)}"})
    if problems:
        raise APIError(422, "validation_error", "the query is not valid", problems)
    engine = current_app.extensions["useit_engine"]
    result = engine.normalise([q], kind=kind, limit=limit, cutoff=0.3)[0]
    return jsonify({"q": q, "kind": kind, "results": [m.to_dict() for m in result.matches]})


@bp.get("/insights/training")
@allow("adviser", "admin")
@documented(
    query={
        **limit_params("Credentials to list, 1-100 (default 10)", maximum=100, aliases=("top",)),
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
    top = limit_arg(default=10, low=1, high=100) or 10
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
        **limit_params(
            "Rows per list (occupations, districts, towns), 1-500 (default all)", maximum=500, aliases=("top",)
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
    top = limit_arg(default=None, low=1, high=500)
    with transaction() as session:
        index, _ = resident_index(session)
        today = date.today()
        vacancies = open_vacancies(session, today)
        locations = open_vacancy_locations(session, today)
    report = supply_and_demand(index, vacancies, locations=locations, top=top, pay=load_pay_bands())
    return jsonify(report.to_dict())
