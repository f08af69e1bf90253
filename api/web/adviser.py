"""Advisers: open vacancies, ranked candidates with evidence and gaps, a resident's printable plan."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, or_, select

from ..index import resident_index
from ..models import Resident, Vacancy
from ..residents import load_resident
from ..store import audit, like_escaped, postcode_district, stored_profile, transaction
from ..vacancies import load_vacancy, open_vacancies, ranked_candidates
from . import adviser_finder as finder
from . import present
from .access import check_csrf, me, page_for
from .resident import DEFAULT_HORIZON, HORIZONS, routes_view

bp = Blueprint("web_adviser", __name__)
bp.before_request(check_csrf)
PAGE_SIZE = 25
LIMITS = (10, 20, 50, 100)


def _page() -> int:
    raw = request.args.get("page", "1")
    return max(1, min(int(raw), 10_000)) if raw.isdigit() else 1


def _containing(text: str) -> str:
    return f"%{like_escaped(text.lower())}%"


@bp.get("/adviser")
@page_for("adviser", "admin")
def vacancies() -> ResponseReturnValue:
    """Open vacancies, newest closing last, searchable by title or employer."""
    q = (request.args.get("q") or "").strip()[:100]
    page = _page()
    query = select(Vacancy).where(or_(Vacancy.closing_date.is_(None), Vacancy.closing_date >= date.today()))
    if q:
        query = query.where(
            or_(
                func.lower(Vacancy.title).like(_containing(q), escape="\\"),
                func.lower(Vacancy.employer).like(_containing(q), escape="\\"),
            )
        )
    with transaction() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(
            query.order_by(Vacancy.closing_date, Vacancy.title).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        ).all()
    return render_template(
        "web/adviser_vacancies.html", rows=rows, q=q, page=page, total=total, pages=max(1, -(-total // PAGE_SIZE))
    )


@bp.get("/adviser/vacancies/<vacancy_id>")
@page_for("adviser", "admin")
def candidates(vacancy_id: str) -> ResponseReturnValue:
    raw = request.args.get("limit", "20")
    limit = int(raw) if raw.isdigit() and int(raw) in LIMITS else 20
    who = me()
    with transaction() as session:
        row, _ = load_vacancy(session, vacancy_id, who)
        items = ranked_candidates(session, row, who, limit=limit)
    return render_template("web/adviser_candidates.html", vacancy=row, items=items, limit=limit, limits=LIMITS)


#: The filters of the residents' list (query parameters), besides ``q`` and ``page``.
FILTERS = ("profession", "qualification", "country", "english", "ready")


@bp.get("/adviser/residents")
@page_for("adviser", "admin")
def residents() -> ResponseReturnValue:
    """Registered residents, found by name or postcode district, profession, qualification,
    country, English and readiness; each read is audited."""
    q = (request.args.get("q") or "").strip()[:100]
    wanted = {name: (request.args.get(name) or "").strip()[:100] for name in FILTERS}
    page = _page()
    query = select(Resident)
    if q:
        query = query.where(
            or_(
                func.lower(Resident.name).like(_containing(q), escape="\\"),
                func.upper(Resident.postcode).like(like_escaped(q.upper()) + "%", escape="\\"),
            )
        )
    today = date.today()
    notice = None
    with transaction() as session:
        rows = session.scalars(query.order_by(Resident.created_at, Resident.id)).all()
        index, _ = resident_index(session)
        facts = {r.id: finder.facts_of(index.evidence[index.row_of[r.id]]) for r in rows if r.id in index.row_of}
        rows = [r for r in rows if r.id in facts]
        professions = sorted({p for f in facts.values() for p in f.professions})
        countries = sorted({c for f in facts.values() for c in f.countries}, key=present.country_name)
        if wanted["profession"]:
            rows = [r for r in rows if wanted["profession"] in facts[r.id].professions]
        if wanted["qualification"]:
            needle = wanted["qualification"].lower()
            rows = [r for r in rows if any(needle in t.lower() for t in facts[r.id].qualifications)]
        if wanted["country"]:
            rows = [r for r in rows if wanted["country"].upper() in facts[r.id].countries]
        if wanted["english"] in finder.ENGLISH:
            rows = [r for r in rows if facts[r.id].english == wanted["english"]]
        vacancies = open_vacancies(session, today)
        # Which open vacancies, at which versions: an edited vacancy makes remembered answers stale.
        versions = current_app.extensions["useit_parsed"]
        signature = (today, tuple((v, versions[v][0]) for v, _ in vacancies))
        ready: dict[str, tuple[str, int | None]] = {}

        def readiness_of(row: Resident) -> tuple[str, int | None]:
            if row.id not in ready:
                place = index.row_of[row.id]
                ready[row.id] = finder.readiness(index, place, row.version, vacancies, today, signature)
            return ready[row.id]

        if wanted["ready"] in finder.READINESS:
            if len(rows) > finder.READINESS_LIMIT:
                notice = (
                    f"{len(rows)} residents match the other filters: choose a profession, a country or"
                    f" English first, so that at most {finder.READINESS_LIMIT} are checked against the open jobs."
                )
            else:
                rows = [r for r in rows if readiness_of(r)[0] == wanted["ready"]]
        total = len(rows)
        shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        audit(session, me(), "list", "resident", [r.id for r in shown])
        listed = [
            {
                "id": r.id,
                "name": r.name,
                "district": postcode_district(r.postcode),
                "right_to_work": r.right_to_work,
                "immigration_status": (r.profile or {}).get("immigration_status"),
                "facts": facts[r.id],
                "ready": readiness_of(r),
            }
            for r in shown
        ]
    return render_template(
        "web/adviser_residents.html",
        rows=listed,
        q=q,
        wanted=wanted,
        professions=professions,
        countries=[(c, present.country_name(c)) for c in countries],
        english=finder.ENGLISH,
        readiness=finder.READINESS,
        notice=notice,
        page=page,
        total=total,
        pages=max(1, -(-total // PAGE_SIZE)),
    )


@bp.get("/adviser/residents/<resident_id>/plan")
@page_for("adviser", "admin")
def plan(resident_id: str) -> ResponseReturnValue:
    """A resident's plan: jobs open now, jobs reachable with each step, bridge jobs. Printable."""
    raw = request.args.get("within", "")
    within = int(raw) if raw.isdigit() and int(raw) in HORIZONS else DEFAULT_HORIZON
    who = me()
    with transaction() as session:
        row = load_resident(session, resident_id, who)
        profile = stored_profile(row)
        results = routes_view(session, profile, within, shown=50)  # an adviser goes through more
        person = {"id": row.id, "name": row.name, "district": postcode_district(row.postcode)}
    return render_template("web/plan.html", person=person, profile=row.profile, results=results, horizons=HORIZONS)
