"""Recruiters: their vacancies, posting one (after seeing how each criterion is read), changing and
withdrawing it, pseudonymised candidates and the readiness pipeline."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from matcher import ParsedVacancy

from ..auth import Principal
from ..errors import APIError
from ..index import recruiter_evidence, resident_index
from ..models import Vacancy
from ..recruiter_view import blind_pipeline
from ..store import transaction
from ..vacancies import change_vacancy, load_vacancy, post_vacancy, ranked_candidates, remove_vacancy, validated_vacancy
from . import present
from .access import check_csrf, me, page_for
from .forms import CRITERIA_ROWS, row_numbers, vacancy_from_form

bp = Blueprint("web_recruiter", __name__)
bp.before_request(check_csrf)
#: The pipeline's horizons: ready within 3, 6 and 12 months.
PIPELINE = ((13, "3 months"), (26, "6 months"), (52, "12 months"))
#: Candidates listed on a vacancy's page (the pipeline counts everyone near the vacancy).
LISTED = 20


@bp.get("/recruiter")
@page_for("recruiter", "admin")
def vacancies() -> ResponseReturnValue:
    who = me()
    query = select(Vacancy).order_by(Vacancy.closing_date.desc(), Vacancy.title)
    if who.role == "recruiter":
        query = query.where(Vacancy.employer == who.employer)
    with transaction() as session:
        rows = session.scalars(query).all()
    return render_template(
        "web/recruiter_vacancies.html", rows=rows, today=date.today(), withdrawn=request.args.get("withdrawn")
    )


def _form_context(
    form: MultiDict[str, str],
    problems: list[tuple[str, str]],
    *,
    editing: Vacancy | None = None,
    preview: ParsedVacancy | None = None,
    duplicates: list[Vacancy] | None = None,
) -> dict[str, object]:
    return {
        "form": form,
        "problems": problems,
        "problem_fields": {field for field, _ in problems},
        "rows": {s: len(row_numbers(form, s, CRITERIA_ROWS)) for s in ("essential", "desirable")},
        "employer": me().employer,
        "editing": editing,
        "preview": preview,
        "unread": [r for r in preview.requirements if not r.understood] if preview else [],
        "duplicates": duplicates or [],
    }


def _criterion_text(criterion: Any) -> str:
    """A stored criterion as the form shows it (a structured one by its words or its name)."""
    if isinstance(criterion, str):
        return criterion
    if isinstance(criterion, dict):
        return str(criterion.get("text") or present.credential_label(criterion.get("id")) or "")
    return str(criterion)


def _form_from_vacancy(row: Vacancy) -> MultiDict[str, str]:
    record = row.record or {}
    form: MultiDict[str, str] = MultiDict()
    for name in ("title", "band", "staff_group", "location", "hours", "contract", "closing_date"):
        if record.get(name):
            form.add(name, str(record[name]))
    form.add("reference", row.reference)
    if who_is_admin():
        form.add("employer", row.employer)
    for section in ("essential", "desirable"):
        for i, criterion in enumerate(record.get(section) or []):
            form.add(f"{section}-{i}-text", _criterion_text(criterion))
    return form


def who_is_admin() -> bool:
    return me().role == "admin"


def _duplicates(record: dict[str, Any], *, besides: str | None = None) -> list[Vacancy]:
    """Open vacancies of the same employer with the same title and essential criteria: posting
    one of them again is more often a slip than a second post."""
    essential = sorted(_criterion_text(c).strip().lower() for c in record.get("essential") or [])
    with transaction() as session:
        rows = session.scalars(
            select(Vacancy).where(
                Vacancy.employer == record["employer"],
                func.lower(Vacancy.title) == str(record["title"]).strip().lower(),
                Vacancy.id != (besides or ""),
            )
        ).all()
    today = date.today()
    return [
        row
        for row in rows
        if (row.closing_date is None or row.closing_date >= today)
        and sorted(_criterion_text(c).strip().lower() for c in (row.record or {}).get("essential") or []) == essential
    ]


def _criteria_digest(record: dict[str, Any]) -> str:
    words = json.dumps([record.get("essential") or [], record.get("desirable") or []], ensure_ascii=False)
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:16]


def _problems(exc: APIError) -> list[tuple[str, str]]:
    return [(str(e.get("location", "title")), str(e.get("message"))) for e in exc.errors] or [
        ("reference" if exc.status == 409 else "title", exc.message)
    ]


def _vacancy_form(form: MultiDict[str, str], who: Principal, *, editing: Vacancy | None) -> ResponseReturnValue:
    """Read the form; show how each criterion is read ("Check how it is read"), and store it only
    when asked to ("Post" or "Save"), and for a likely duplicate only once the recruiter says so."""
    read = vacancy_from_form(form, employer=who.employer if who.role == "recruiter" else None)
    problems = list(read.problems)
    preview = None
    if not problems:
        try:
            # Read as it would be stored (a reference is made at posting, so a stand-in here).
            preview = validated_vacancy({"reference": "PREVIEW", **read.record}, who)["_parsed"]
        except APIError as exc:
            problems = _problems(exc)
    if problems:
        return render_template("web/vacancy_form.html", **_form_context(form, problems, editing=editing)), 422
    duplicates = _duplicates(read.record, besides=editing.id if editing else None)
    # Stored only when the criteria are those the recruiter last saw read (changed ones are shown again).
    seen = _criteria_digest(read.record)
    wants_to_store = form.get("action") == "post" and form.get("read") == seen
    if not wants_to_store or (duplicates and form.get("duplicate_ok") != "yes"):
        context = _form_context(form, [], editing=editing, preview=preview, duplicates=duplicates)
        return render_template("web/vacancy_form.html", read_digest=seen, **context)
    record = read.record
    try:
        if editing is None:
            record.setdefault("reference", f"WEB-{date.today():%Y%m%d}-{secrets.token_hex(3).upper()}")
            row = post_vacancy(record, who)
            return redirect(url_for("web_recruiter.vacancy", vacancy_id=row.id, posted=1), 303)
        record.setdefault("reference", editing.reference)
        version = form.get("version", "")
        row = change_vacancy(editing.id, {**record, "version": int(version) if version.isdigit() else -1}, who)
        return redirect(url_for("web_recruiter.vacancy", vacancy_id=row.id, updated=1), 303)
    except APIError as exc:  # the API's own checks: a taken reference, another employer, a newer version
        problems = _problems(exc)
    return render_template("web/vacancy_form.html", **_form_context(form, problems, editing=editing)), 422


@bp.get("/recruiter/vacancies/new")
@page_for("recruiter", "admin")
def new_vacancy() -> ResponseReturnValue:
    return render_template("web/vacancy_form.html", **_form_context(MultiDict(), []))


@bp.post("/recruiter/vacancies/new")
@page_for("recruiter", "admin")
def post_new_vacancy() -> ResponseReturnValue:
    return _vacancy_form(request.form, me(), editing=None)


@bp.get("/recruiter/vacancies/<vacancy_id>/edit")
@page_for("recruiter", "admin")
def edit_vacancy(vacancy_id: str) -> ResponseReturnValue:
    with transaction() as session:
        row, _ = load_vacancy(session, vacancy_id, me())
    form = _form_from_vacancy(row)
    form.add("version", str(row.version))
    return render_template("web/vacancy_form.html", **_form_context(form, [], editing=row))


@bp.post("/recruiter/vacancies/<vacancy_id>/edit")
@page_for("recruiter", "admin")
def save_vacancy(vacancy_id: str) -> ResponseReturnValue:
    with transaction() as session:
        row, _ = load_vacancy(session, vacancy_id, me())
    return _vacancy_form(request.form, me(), editing=row)


@bp.post("/recruiter/vacancies/<vacancy_id>/withdraw")
@page_for("recruiter", "admin")
def withdraw_vacancy(vacancy_id: str) -> ResponseReturnValue:
    who = me()
    if request.form.get("confirm") != "yes":
        with transaction() as session:
            load_vacancy(session, vacancy_id, who)  # 404 or 403 before anything else
        return redirect(url_for("web_recruiter.vacancy", vacancy_id=vacancy_id, withdraw="confirm") + "#withdraw", 303)
    title = remove_vacancy(vacancy_id, who)
    return redirect(url_for("web_recruiter.vacancies", withdrawn=title), 303)


def pipeline_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Cumulative, as a recruiter plans: everyone ready by then, including those ready now."""
    # "Ready now" counts those the list shows as ready once they show the right to work, too.
    now = counts["eligible_now"] + counts.get("subject_to_right_to_work", 0)
    rows = [("Ready now", now)]
    for weeks, label in PIPELINE:
        rows.append((f"Ready within {label}", now + counts[f"within_{weeks}_weeks"]))
    return rows


@bp.get("/recruiter/vacancies/<vacancy_id>")
@page_for("recruiter", "admin")
def vacancy(vacancy_id: str) -> ResponseReturnValue:
    """Ranked candidates (pseudonymised unless they consented) and who will be ready when."""
    who = me()
    with transaction() as session:
        row, parsed = load_vacancy(session, vacancy_id, who)
        items = ranked_candidates(session, row, who, limit=LISTED)
        index, _ = resident_index(session)
        horizons = [weeks for weeks, _ in PIPELINE]
        # Counted as the list is ranked: for a recruiter without special-category data.
        if who.role == "recruiter":
            counts = blind_pipeline(index, parsed, horizons=horizons, evidence_of=recruiter_evidence(index))
        else:
            counts = index.pipeline(parsed, horizons=horizons)
    return render_template(
        "web/recruiter_vacancy.html",
        vacancy=row,
        parsed=parsed,
        items=items,
        listed=LISTED,
        pipeline=pipeline_rows(counts),
        posted=request.args.get("posted") == "1",
        updated=request.args.get("updated") == "1",
        withdraw_unconfirmed=request.args.get("withdraw") == "confirm",
    )
