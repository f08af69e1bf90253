"""Vacancies: create, read, update, delete, list; ranked candidates for a vacancy.

Recruiters manage their own employer's vacancies and see candidates pseudonymised (no name,
contact or full postcode) unless the resident consented to share with that employer.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from matcher import InvalidInputError, ParsedVacancy
from matcher import Vacancy as VacancyProfile
from vacancies.criteria import PARSER_VERSION

from .auth import Principal, allow, current
from .contract import VacancyIn
from .errors import APIError
from .index import resident_index
from .models import Consent, Vacancy, VacancyRequirement
from .normalise import json_body
from .openapi import documented
from .store import audit, page_args, postcode_district, pseudonym, too_long, transaction, whole_number

bp = Blueprint("vacancies", __name__)


def _parse(row: Vacancy) -> ParsedVacancy:
    """A stored vacancy parsed into requirements, cached per process by id (at its version)."""
    cache: dict[str, tuple[int, ParsedVacancy]] = current_app.extensions.setdefault("useit_parsed", {})
    found = cache.get(row.id)
    if found is None or found[0] != row.version:
        # A parse stored by an older criteria parser is read again: the same words may now be
        # read differently (a quality that used to block everyone).
        if row.parsed and int(row.parsed.get("parser") or 0) == PARSER_VERSION:
            parsed = replace(ParsedVacancy.from_record(row.parsed), id=row.id)
        else:
            profile = VacancyProfile.from_dict({**row.record, "id": row.id})
            parsed = current_app.extensions["useit_engine"].parser.parse_vacancy(profile)
        found = cache[row.id] = (row.version, parsed)  # replaces the superseded version
    return found[1]


def _is_open(today: date) -> Any:
    return or_(Vacancy.closing_date.is_(None), Vacancy.closing_date >= today)


def open_vacancies(session: Session, today: date) -> list[tuple[str, ParsedVacancy]]:
    """Every open vacancy, parsed. Only ids and versions are read on each call; whole rows only
    for vacancies this process has not parsed at their current version (new or changed)."""
    cache: dict[str, tuple[int, ParsedVacancy]] = current_app.extensions.setdefault("useit_parsed", {})
    current = session.execute(select(Vacancy.id, Vacancy.version).where(_is_open(today)).order_by(Vacancy.id)).all()
    stale = [vacancy_id for vacancy_id, version in current if cache.get(vacancy_id, (None,))[0] != version]
    for start in range(0, len(stale), 500):
        for row in session.scalars(select(Vacancy).where(Vacancy.id.in_(stale[start : start + 500]))):
            _parse(row)
    # A vacancy deleted between the two reads is simply left out.
    return [(vacancy_id, cache[vacancy_id][1]) for vacancy_id, _ in current if vacancy_id in cache]


def open_vacancy_locations(session: Session, today: date) -> dict[str, str | None]:
    """Vacancy id -> the advert's location ("Midland Metropolitan University Hospital, Smethwick")."""
    return {
        vacancy_id: location
        for vacancy_id, location in session.execute(select(Vacancy.id, Vacancy.location).where(_is_open(today)))
    }


def _record(row: Vacancy) -> dict[str, Any]:
    return {**row.record, "id": row.id, "reference": row.reference, "version": row.version}


def _validated(body: object, who: Principal) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise APIError(
            422, "validation_error", "invalid vacancy", [{"location": "body", "message": "expected a JSON object"}]
        )
    problems: list[dict[str, str]] = []
    reference = body.get("reference") or body.get("id")
    if not isinstance(reference, str) or not reference.strip() or len(reference) > 80:
        problems.append({"location": "reference", "message": "required: the advert reference (at most 80 characters)"})
    employer = body.get("employer")
    if not isinstance(employer, str) or not employer.strip():
        problems.append({"location": "employer", "message": "required"})
    elif who.role == "recruiter" and employer != who.employer:
        raise APIError(403, "forbidden", "recruiters can only post vacancies for their own employer")
    closing = body.get("closing_date")
    if closing is not None:
        try:
            date.fromisoformat(str(closing))
        except ValueError:
            problems.append({"location": "closing_date", "message": "a date as YYYY-MM-DD"})
    band = body.get("band")
    if band is not None and (not isinstance(band, str) or len(band) > 4):
        problems.append({"location": "band", "message": "an Agenda for Change band such as '3' or '8a'"})
    problems += too_long(
        body,
        {"title": 300, "employer": 200, "staff_group": 100, "location": 300, "hours": 20, "contract": 20},
    )
    record = {k: v for k, v in body.items() if k not in ("id", "version")}
    record["reference"] = reference  # the contract's "id" serves as the reference
    try:
        parsed = current_app.extensions["useit_engine"].parser.parse_vacancy(VacancyProfile.from_dict(record))
    except InvalidInputError as exc:
        problems += [{"location": "body", "message": p} for p in exc.problems]
        parsed = None
    if problems:
        raise APIError(422, "validation_error", "invalid vacancy", problems)
    record["_parsed"] = parsed
    return record


def _apply(row: Vacancy, record: dict[str, Any]) -> None:
    parsed: ParsedVacancy = record.pop("_parsed")
    closing = record.get("closing_date")
    row.reference = str(record.get("reference") or row.reference)
    row.employer = str(record["employer"])
    row.title = str(record["title"])
    row.band = record.get("band")
    row.staff_group = record.get("staff_group")
    row.location = record.get("location")
    row.hours = record.get("hours")
    row.contract = record.get("contract")
    row.closing_date = date.fromisoformat(str(closing)) if closing else None
    row.record = record
    row.parsed = parsed.to_record()
    row.requirements.clear()
    for position, requirement in enumerate(parsed.requirements):
        row.requirements.append(
            VacancyRequirement(
                position=position,
                essential=requirement.essential,
                kind=requirement.kind,
                text=requirement.text,
                concept_id=requirement.concept_id,
                credential=requirement.credential,
            )
        )


def upsert_vacancies(session: Session, records: list[dict[str, Any]], who: Principal | None) -> dict[str, int]:
    """Insert or update (by reference) every record, in the caller's transaction."""
    counts = {"created": 0, "updated": 0}
    engine = current_app.extensions["useit_engine"]
    for record in records:
        parsed = engine.parser.parse_vacancy(VacancyProfile.from_dict(record))
        reference = str(record.get("reference") or record.get("id"))
        row = session.scalar(
            select(Vacancy).where(Vacancy.reference == reference).options(selectinload(Vacancy.requirements))
        )
        if row is None:
            row = Vacancy(reference=reference, employer="", title="", record={})
            session.add(row)
            counts["created"] += 1
        else:
            if who is not None:
                _own(row, who)
            counts["updated"] += 1
        _apply(row, {**record, "reference": reference, "_parsed": parsed})
    session.flush()
    return counts


def _load(session: Session, vacancy_id: str) -> Vacancy:
    row = session.get(Vacancy, vacancy_id, options=[selectinload(Vacancy.requirements)])
    if row is None:
        raise APIError(404, "not_found", "no such vacancy")
    return row


def _own(row: Vacancy, who: Principal) -> None:
    if who.role == "recruiter" and row.employer != who.employer:
        raise APIError(403, "forbidden", "this vacancy belongs to another employer")


@bp.post("/vacancies")
@allow("recruiter", "admin")
@documented(body=VacancyIn)
def create_vacancy() -> ResponseReturnValue:
    body = _record(post_vacancy(json_body(), current()))
    return jsonify(body), 201, {"Location": f"/api/v1/vacancies/{body['id']}"}


def post_vacancy(body: object, who: Principal) -> Vacancy:
    """Validate, parse and store a new vacancy in one transaction (422, 403 or 409 otherwise)."""
    record = _validated(body, who)
    try:
        with transaction() as session:
            row = Vacancy(reference=str(record.get("reference") or record.get("id")), employer="", title="", record={})
            _apply(row, record)
            session.add(row)
            session.flush()
            audit(session, who, "create", "vacancy", [row.id])
    except IntegrityError:
        raise APIError(409, "conflict", "a vacancy with this reference exists; update it instead") from None
    return row


@bp.post("/vacancies/import")
@allow("recruiter", "admin")
@documented(query={"dry_run": "true: report what would happen, write nothing"})
def import_vacancies() -> ResponseReturnValue:
    """Bulk import: JSON, CSV (NHS Jobs columns) or a free-text advert; all rows or none.

    The format follows the Content-Type (application/json, text/csv, text/plain). Re-importing
    a reference updates that vacancy instead of duplicating it. A dry run answers with what each
    row or advert would become (the vacancy and its requirements); an advert's answer also says
    what was read and what was skipped, line by line.
    """
    from vacancies.intake import parse_advert, parse_csv, parse_json

    who = current()
    kind = (request.mimetype or "").lower()
    parsers = {"application/json": parse_json, "text/csv": parse_csv, "text/plain": parse_advert}
    if kind not in parsers:
        raise APIError(415, "unsupported_media_type", "send application/json, text/csv or text/plain")
    try:
        text = request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError:
        raise APIError(400, "bad_encoding", "the body is not valid UTF-8") from None
    report = parsers[kind](text)
    problems = [
        {"location": f"line {p.line}" if p.line else "file", "field": p.field, "message": p.message}
        for p in report.problems
    ]
    contracts = [r.to_contract() for r in report.records]
    would_be: list[dict[str, Any]] = []  # what each record becomes, for a dry run
    for position, record in enumerate(contracts):
        if who.role == "recruiter" and record.get("employer") != who.employer:
            problems.append(
                {
                    "location": f"record {position + 1}",
                    "field": "employer",
                    "message": "recruiters can only import their own employer's vacancies",
                }
            )
        try:
            parsed = current_app.extensions["useit_engine"].parser.parse_vacancy(VacancyProfile.from_dict(record))
        except InvalidInputError as exc:
            problems += [{"location": f"record {position + 1}", "field": None, "message": p} for p in exc.problems]
        else:
            would_be.append({"vacancy": record, "requirements": [r.to_dict() for r in parsed.requirements]})
    if problems or not contracts:
        if not contracts and not problems:
            problems.append({"location": "file", "field": None, "message": "no vacancies found"})
        raise APIError(
            422, "validation_error", "nothing was imported: fix every problem listed and send the file again", problems
        )
    # A pasted advert also says, line by line, what was read and what was skipped and why.
    reading = {"advert": report.advert.to_dict()} if report.advert is not None else {}
    if request.args.get("dry_run") == "true":
        references = [c.get("id") for c in contracts]
        return jsonify(
            {"dry_run": True, "valid": len(contracts), "references": references, "vacancies": would_be, **reading}
        )
    with transaction() as session:
        counts = upsert_vacancies(session, contracts, who)
        audit(session, who, "import", "vacancy", [str(c.get("id")) for c in contracts])
    return jsonify({"dry_run": False, **counts, **reading})


@bp.get("/vacancies")
@allow("adviser", "recruiter", "resident", "admin")
@documented(
    query={
        "page": "From 1",
        "per_page": "1-100",
        "employer": "Exact employer name",
        "band": "AfC band",
        "q": "Words in the title",
        "open": "true: only those not yet closed",
    }
)
def list_vacancies() -> ResponseReturnValue:
    page, per_page = page_args()
    query = select(Vacancy).order_by(Vacancy.closing_date, Vacancy.id)
    if employer := request.args.get("employer"):
        query = query.where(Vacancy.employer == employer)
    if band := request.args.get("band"):
        query = query.where(Vacancy.band == band)
    if text := request.args.get("q"):
        query = query.where(func.lower(Vacancy.title).contains(text.lower(), autoescape=True))
    if request.args.get("open") == "true":
        query = query.where(or_(Vacancy.closing_date.is_(None), Vacancy.closing_date >= date.today()))
    with transaction() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
        items = [_record(r) for r in rows]
    return jsonify({"items": items, "page": page, "per_page": per_page, "total": total})


@bp.get("/vacancies/<vacancy_id>")
@allow("adviser", "recruiter", "resident", "admin")
def get_vacancy(vacancy_id: str) -> ResponseReturnValue:
    with transaction() as session:
        row = _load(session, vacancy_id)
        body = _record(row)
        body["requirements"] = [r.to_dict() for r in _parse(row).requirements]
    return jsonify(body)


@bp.put("/vacancies/<vacancy_id>")
@allow("recruiter", "admin")
@documented(body=VacancyIn)
def update_vacancy(vacancy_id: str) -> ResponseReturnValue:
    who = current()
    with transaction() as session:  # whose vacancy it is decides first, whatever the body says
        _own(_load(session, vacancy_id), who)
    body = json_body()
    version = body.get("version") if isinstance(body, dict) else None
    if isinstance(version, bool) or not isinstance(version, int):
        raise APIError(
            422,
            "validation_error",
            "invalid vacancy",
            [{"location": "version", "message": "send the version you last read (an integer)"}],
        )
    record = _validated(body, who)
    try:
        with transaction() as session:
            row = _load(session, vacancy_id)
            _own(row, who)
            if row.version != version:
                raise APIError(409, "conflict", "this vacancy was changed by someone else; reload it and try again")
            _apply(row, record)
            audit(session, who, "update", "vacancy", [row.id])
            session.flush()
            result = _record(row)
    except IntegrityError:
        raise APIError(409, "conflict", "another vacancy already has this reference") from None
    except StaleDataError:  # another update won the race between the version check and the write
        raise APIError(409, "conflict", "this vacancy was changed by someone else; reload it and try again") from None
    return jsonify(result)


@bp.delete("/vacancies/<vacancy_id>")
@allow("recruiter", "admin")
def delete_vacancy(vacancy_id: str) -> ResponseReturnValue:
    who = current()
    with transaction() as session:
        row = _load(session, vacancy_id)
        _own(row, who)
        session.delete(row)
        audit(session, who, "delete", "vacancy", [vacancy_id])
    return "", 204


@bp.get("/vacancies/<vacancy_id>/matches")
@allow("adviser", "recruiter", "admin")
@documented(query={"limit": "Candidates, 1-200 (default 20)"})
def vacancy_matches(vacancy_id: str) -> ResponseReturnValue:
    """Ranked residents: eligible first by fit, then the nearest by pathway weeks."""
    limit = whole_number(request.args.get("limit"), default=20, low=1, high=200, name="limit")
    who = current()
    with transaction() as session:
        row = _load(session, vacancy_id)
        _own(row, who)
        items = ranked_candidates(session, row, who, limit=limit)
    return jsonify({"vacancy": vacancy_id, "title": row.title, "candidates": items})


def load_vacancy(session: Session, vacancy_id: str, who: Principal) -> tuple[Vacancy, ParsedVacancy]:
    """A vacancy the caller may see candidates for, parsed; 404 or 403 otherwise."""
    row = _load(session, vacancy_id)
    _own(row, who)
    return row, _parse(row)


def ranked_candidates(session: Session, row: Vacancy, who: Principal, *, limit: int) -> list[dict[str, Any]]:
    """Ranked residents for a vacancy, as a recruiter or adviser may see them; reads are audited.

    Recruiters see a pseudonym and a postcode district unless the resident consented to share
    with this employer. Consent is read fresh, so a withdrawal takes effect on the next request.
    """
    parsed = _parse(row)
    index, residents = resident_index(session)
    ranked = index.match_vacancy(parsed, limit=limit)
    ids = [residents[r.index].id for r in ranked]
    consented = set(
        session.scalars(
            select(Consent.resident_id).where(Consent.resident_id.in_(ids), Consent.employer == row.employer)
        )
    )
    items = []
    for r in ranked:
        # The index's rows are current: every resident write bumps the version it is
        # rebuilt on (erasure included).
        stored = residents[r.index]
        identified = who.role != "recruiter" or stored.id in consented
        candidate: dict[str, Any] = {"assessment": r.assessment.to_dict()}
        if identified:
            candidate.update(
                {"resident": stored.id, "name": stored.name, "contact": stored.contact, "postcode": stored.postcode}
            )
        else:
            candidate.update(
                {
                    "resident": pseudonym(stored.id, row.employer),
                    "postcode_district": postcode_district(stored.postcode),
                }
            )
        items.append(candidate)
    audit(
        session,
        who,
        "read_match",
        "resident",
        [i["resident"] for i in items if not i["resident"].startswith("cand-")],
    )
    return items
