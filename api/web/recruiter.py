"""Recruiters: their vacancies, posting one, pseudonymised candidates and the readiness pipeline."""

from __future__ import annotations

import secrets
from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ..errors import APIError
from ..index import resident_index
from ..models import Vacancy
from ..store import transaction
from ..vacancies import load_vacancy, post_vacancy, ranked_candidates
from .access import check_csrf, me, page_for
from .forms import CRITERIA_ROWS, row_numbers, vacancy_from_form

bp = Blueprint("web_recruiter", __name__)
bp.before_request(check_csrf)
#: The pipeline's horizons: ready within 3, 6 and 12 months.
PIPELINE = ((13, "3 months"), (26, "6 months"), (52, "12 months"))


@bp.get("/recruiter")
@page_for("recruiter", "admin")
def vacancies() -> ResponseReturnValue:
    who = me()
    query = select(Vacancy).order_by(Vacancy.closing_date.desc(), Vacancy.title)
    if who.role == "recruiter":
        query = query.where(Vacancy.employer == who.employer)
    with transaction() as session:
        rows = session.scalars(query).all()
    return render_template("web/recruiter_vacancies.html", rows=rows, today=date.today())


def _form_context(form: MultiDict[str, str], problems: list[tuple[str, str]]) -> dict[str, object]:
    return {
        "form": form,
        "problems": problems,
        "problem_fields": {field for field, _ in problems},
        "rows": {s: len(row_numbers(form, s, CRITERIA_ROWS)) for s in ("essential", "desirable")},
        "employer": me().employer,
    }


@bp.get("/recruiter/vacancies/new")
@page_for("recruiter", "admin")
def new_vacancy() -> ResponseReturnValue:
    return render_template("web/vacancy_form.html", **_form_context(MultiDict(), []))


@bp.post("/recruiter/vacancies/new")
@page_for("recruiter", "admin")
def post_new_vacancy() -> ResponseReturnValue:
    who = me()
    form = request.form
    read = vacancy_from_form(form, employer=who.employer if who.role == "recruiter" else None)
    problems = list(read.problems)
    if not problems:
        record = read.record
        record.setdefault("reference", f"WEB-{date.today():%Y%m%d}-{secrets.token_hex(3).upper()}")
        try:
            row = post_vacancy(record, who)
        except APIError as exc:  # the API's own checks: a taken reference, another employer
            problems = [(str(e.get("location", "title")), str(e.get("message"))) for e in exc.errors] or [
                ("reference" if exc.status == 409 else "title", exc.message)
            ]
        else:
            return redirect(url_for("web_recruiter.vacancy", vacancy_id=row.id, posted=1), 303)
    return render_template("web/vacancy_form.html", **_form_context(form, problems)), 422


@bp.get("/recruiter/vacancies/<vacancy_id>")
@page_for("recruiter", "admin")
def vacancy(vacancy_id: str) -> ResponseReturnValue:
    """Ranked candidates (pseudonymised unless they consented) and who will be ready when."""
    who = me()
    with transaction() as session:
        row, parsed = load_vacancy(session, vacancy_id, who)
        items = ranked_candidates(session, row, who, limit=20)
        index, _ = resident_index(session)
        counts = index.pipeline(parsed, horizons=[weeks for weeks, _ in PIPELINE])
    # Cumulative, as a recruiter plans: everyone ready by then, including those ready now.
    pipeline = [("Ready now", counts["eligible_now"])]
    for weeks, label in PIPELINE:
        pipeline.append((f"Ready within {label}", counts["eligible_now"] + counts[f"within_{weeks}_weeks"]))
    return render_template(
        "web/recruiter_vacancy.html",
        vacancy=row,
        parsed=parsed,
        items=items,
        pipeline=pipeline,
        posted=request.args.get("posted") == "1",
    )
