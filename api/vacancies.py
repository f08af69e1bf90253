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
from pydantic import RootModel
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from matcher import InvalidInputError, ParsedVacancy
from matcher import Vacancy as VacancyProfile
from vacancies.criteria import PARSER_VERSION

from . import examples
from .auth import Principal, allow, current
from .contract import VacancyIn, VacancyUpdateIn
from .errors import APIError
from .index import recruiter_evidence, resident_index
from .limits import text_budget_problems
from .models import Consent, Resident, Vacancy, VacancyRequirement
from .normalise import json_body
from .openapi import documented, limit_params, param
from .recruiter_view import blind_ranking, pseudonym, recruiter_assessment
from .schemas import validate
from .store import audit, limit_arg, page_args, postcode_district, query_flag, transaction

bp = Blueprint("vacancies", __name__)


class VacancyImport(RootModel[list[VacancyIn]]):
    """Vacancies to import: a JSON array (``{"vacancies": [...]}`` is read too)."""


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


def validated_vacancy(body: object, who: Principal | None, *, update: bool = False) -> dict[str, Any]:
    """The one validation every path into storage uses (API, pages, CLI, bulk import): the record
    to store, with its criteria parsed, or a 422 naming every problem (403 for a recruiter posting
    for another employer). The contract's ``id`` serves as the advert reference when ``reference``
    is not given; the vacancy's own id and version are the server's."""
    if not isinstance(body, dict):
        raise APIError(
            422, "validation_error", "invalid vacancy", [{"location": "body", "message": "expected a JSON object"}]
        )
    body = dict(body)
    if "reference" not in body and body.get("id") is not None:
        body["reference"] = str(body["id"])
    problems: list[dict[str, Any]] = []  # a new vacancy's "id" is checked as text, then left out
    try:
        payload = validate(VacancyUpdateIn if update else VacancyIn, body)
    except APIError as exc:
        problems += exc.errors
    else:
        if who is not None and who.role == "recruiter" and payload.employer != who.employer:
            raise APIError(403, "forbidden", "recruiters can only post vacancies for their own employer")
    problems += text_budget_problems(body)
    record = {k: v for k, v in body.items() if k not in ("id", "version")}
    parsed = None
    if not problems:
        try:
            parsed = current_app.extensions["useit_engine"].parser.parse_vacancy(VacancyProfile.from_dict(record))
        except InvalidInputError as exc:
            problems += [{"location": "body", "message": p} for p in exc.problems]
    if problems or parsed is None:
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


class _DryRun(Exception):
    """Raised inside a dry run's transaction so that everything it did is rolled back."""

    def __init__(self, counts: dict[str, int]) -> None:
        super().__init__("dry run")
        self.counts = counts


def import_records(
    records: list[dict[str, Any]], who: Principal | None, *, dry_run: bool = False, problems: list[Any] | None = None
) -> dict[str, Any]:
    """Validate and store vacancies (insert, or update by reference): all or none, with the same
    validation as every other path into storage. A dry run does everything the real import does,
    in a transaction it then rolls back, so it answers exactly as the import would (another
    employer's reference is refused in both). ``problems`` are the file's own (from the parser)."""
    problems = list(problems or [])
    validated = []
    for position, record in enumerate(records, start=1):
        try:
            validated.append(validated_vacancy(record, who))
        except APIError as exc:
            if exc.status == 403:
                problems.append({"location": f"record {position}", "field": "employer", "message": exc.message})
            else:
                problems += [
                    {"location": f"record {position}", "field": e.get("location"), "message": e.get("message")}
                    for e in exc.errors
                ]
    if problems or not records:
        if not records and not problems:
            problems.append({"location": "file", "field": None, "message": "no vacancies found"})
        raise APIError(
            422, "validation_error", "nothing was imported: fix every problem listed and send the file again", problems
        )
    try:
        with transaction() as session:
            counts = upsert_vacancies(session, validated, who)
            if who is not None:
                audit(session, who, "import", "vacancy", [str(r["reference"]) for r in validated])
            if dry_run:
                raise _DryRun(counts)
    except _DryRun as rolled_back:
        counts = rolled_back.counts
    except IntegrityError:
        raise APIError(409, "conflict", "a reference appears twice; nothing was imported") from None
    references = [str(r["reference"]) for r in validated]
    # What each record becomes: the vacancy as stored and its criteria as read (a dry run is for
    # checking exactly that before anything is stored).
    would_be = [
        {
            "vacancy": {k: v for k, v in r.items() if not k.startswith("_")},
            "requirements": [q.to_dict() for q in r["_parsed"].requirements] if "_parsed" in r else [],
        }
        for r in validated
    ]
    return {"dry_run": dry_run, "valid": len(validated), "references": references, "vacancies": would_be, **counts}


def upsert_vacancies(session: Session, records: list[dict[str, Any]], who: Principal | None) -> dict[str, int]:
    """Insert or update (by reference) records from :func:`validated_vacancy`, in the caller's
    transaction; 403 naming every record whose reference is another employer's."""
    counts = {"created": 0, "updated": 0}
    refused = []
    for position, record in enumerate(records, start=1):
        # Records not yet through validated_vacancy (a caller's own list) go through it here.
        record = dict(record) if "_parsed" in record else validated_vacancy(record, who)
        reference = str(record["reference"])
        row = session.scalar(
            select(Vacancy).where(Vacancy.reference == reference).options(selectinload(Vacancy.requirements))
        )
        if row is None:
            row = Vacancy(reference=reference, employer="", title="", record={})
            session.add(row)
            counts["created"] += 1
        else:
            if who is not None and who.role == "recruiter" and row.employer != who.employer:
                refused.append(
                    {
                        "location": f"record {position}",
                        "field": "reference",
                        "message": "this reference is another employer's vacancy",
                    }
                )
                continue
            counts["updated"] += 1
        _apply(row, record)
        session.flush()
    if refused:
        raise APIError(403, "forbidden", "some references belong to another employer; nothing was imported", refused)
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
@documented(body=VacancyIn, example=examples.vacancy)
def create_vacancy() -> ResponseReturnValue:
    """Post a vacancy; its criteria are read and stored with it.

    A recruiter posts only for their own employer; a reference already taken is a 409.
    """
    body = _record(post_vacancy(json_body(), current()))
    return jsonify(body), 201, {"Location": f"/api/v1/vacancies/{body['id']}"}


def post_vacancy(body: object, who: Principal) -> Vacancy:
    """Validate, parse and store a new vacancy in one transaction (422, 403 or 409 otherwise)."""
    record = validated_vacancy(body, who)
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
@documented(
    query={"dry_run": param("true: report what would happen, write nothing", enum=["true", "false"])},
    raw={
        "application/json": {"model": VacancyImport, "example": lambda: [examples.vacancy()]},
        "text/csv": {"schema": {"type": "string"}, "example": examples.CSV},
        "text/plain": {"schema": {"type": "string"}, "example": examples.ADVERT},
    },
)
def import_vacancies() -> ResponseReturnValue:
    """Import many vacancies at once: JSON, CSV (NHS Jobs columns) or a free-text advert; all or none.

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
    dry_run = query_flag("dry_run")
    body = import_records([r.to_contract() for r in report.records], who, dry_run=dry_run, problems=problems)
    # A pasted advert also says, line by line, what was read and what was skipped and why.
    if report.advert is not None:
        body["advert"] = report.advert.to_dict()
    return jsonify(body)


@bp.get("/vacancies")
@allow("adviser", "recruiter", "resident", "admin")
@documented(
    query={
        "page": param("From 1", type="integer", minimum=1, maximum=1_000_000),
        **limit_params("Items per page, 1-100 (default 20)", maximum=100, aliases=("per_page",)),
        "employer": "Exact employer name",
        "band": "AfC band",
        "q": "Words in the title",
        "open": param("true: only those not yet closed", enum=["true", "false"]),
    }
)
def list_vacancies() -> ResponseReturnValue:
    """Vacancies, a page at a time, by employer, band, words in the title, or open only."""
    page, per_page = page_args()
    query = select(Vacancy).order_by(Vacancy.closing_date, Vacancy.id)
    if employer := request.args.get("employer"):
        query = query.where(Vacancy.employer == employer)
    if band := request.args.get("band"):
        query = query.where(Vacancy.band == band)
    if text := request.args.get("q"):
        query = query.where(func.lower(Vacancy.title).contains(text.lower(), autoescape=True))
    if query_flag("open"):
        query = query.where(or_(Vacancy.closing_date.is_(None), Vacancy.closing_date >= date.today()))
    with transaction() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
        items = [_record(r) for r in rows]
    return jsonify({"items": items, "page": page, "limit": per_page, "per_page": per_page, "total": total})


@bp.get("/vacancies/<vacancy_id>")
@allow("adviser", "recruiter", "resident", "admin")
def get_vacancy(vacancy_id: str) -> ResponseReturnValue:
    """One vacancy as posted, with its version and each criterion as read (``requirements``)."""
    with transaction() as session:
        row = _load(session, vacancy_id)
        body = _record(row)
        body["requirements"] = [r.to_dict() for r in _parse(row).requirements]
    return jsonify(body)


@bp.put("/vacancies/<vacancy_id>")
@allow("recruiter", "admin")
@documented(body=VacancyUpdateIn, example=examples.vacancy_update)
def update_vacancy(vacancy_id: str) -> ResponseReturnValue:
    """Replace a vacancy, at the version read (409 if someone changed it since); its owner only."""
    return jsonify(_record(change_vacancy(vacancy_id, json_body(), current())))


def change_vacancy(vacancy_id: str, body: Any, who: Principal) -> Vacancy:
    """Replace a vacancy (API and pages): its owner only, at the version the caller read."""
    with transaction() as session:  # whose vacancy it is decides first, whatever the body says
        _own(_load(session, vacancy_id), who)
    record = validated_vacancy(body, who, update=True)
    version = body["version"]
    try:
        with transaction() as session:
            row = _load(session, vacancy_id)
            _own(row, who)
            if row.version != version:
                raise APIError(409, "conflict", "this vacancy was changed by someone else; reload it and try again")
            _apply(row, record)
            audit(session, who, "update", "vacancy", [row.id])
            session.flush()
    except IntegrityError:
        raise APIError(409, "conflict", "another vacancy already has this reference") from None
    except StaleDataError:  # another update won the race between the version check and the write
        raise APIError(409, "conflict", "this vacancy was changed by someone else; reload it and try again") from None
    return row


@bp.delete("/vacancies/<vacancy_id>")
@allow("recruiter", "admin")
def delete_vacancy(vacancy_id: str) -> ResponseReturnValue:
    """Withdraw (delete) a vacancy; its owner only."""
    remove_vacancy(vacancy_id, current())
    return "", 204


def remove_vacancy(vacancy_id: str, who: Principal) -> str:
    """Delete (withdraw) a vacancy, its owner only; returns its title."""
    with transaction() as session:
        row = _load(session, vacancy_id)
        _own(row, who)
        title = row.title
        session.delete(row)
        audit(session, who, "delete", "vacancy", [vacancy_id])
    return title


@bp.get("/vacancies/<vacancy_id>/matches")
@allow("adviser", "recruiter", "admin")
@documented(query=limit_params("Candidates, 1-200 (default 20)", maximum=200, aliases=("top",)))
def vacancy_matches(vacancy_id: str) -> ResponseReturnValue:
    """Ranked residents for a vacancy: eligible first by fit, then the nearest by pathway weeks.

    A recruiter sees candidates pseudonymised unless they agreed to share with the employer, and
    assessed without special-category data; every read is audited.
    """
    limit = limit_arg(default=20, low=1, high=200) or 20
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
    """Ranked residents for a vacancy, as a recruiter or adviser may see them; every read is audited.

    Advisers and admins see each resident and their full assessment. A recruiter's ranking and
    assessments are made without special-category data and cut to the listed fields
    (:mod:`api.recruiter_view`); they see a pseudonym and a postcode district unless the
    resident consented to share with this employer. Consent and pseudonym epochs are read
    fresh, so a withdrawal takes effect on the next request, under a new pseudonym.
    """
    parsed = _parse(row)
    index, residents = resident_index(session)
    recruiter = who.role == "recruiter"
    if recruiter:
        ranked = blind_ranking(index, parsed, limit=limit, evidence_of=recruiter_evidence(index))
    else:
        ranked = index.match_vacancy(parsed, limit=limit)
    ids = [residents[r.index].id for r in ranked]
    # Read (and, on PostgreSQL, hold against erasure until this transaction ends) the residents
    # still stored: one erased since the index was read is neither shown nor written to the audit log.
    epochs = dict(
        session.execute(
            select(Resident.id, Resident.consent_epoch)
            .where(Resident.id.in_(ids))
            .with_for_update(read=True, key_share=True)
        ).all()
    )
    consented = set(
        session.scalars(
            select(Consent.resident_id).where(Consent.resident_id.in_(ids), Consent.employer == row.employer)
        )
    )
    items = []
    identified_ids, pseudonymised_ids = [], []
    for r in ranked:
        stored = residents[r.index]
        if stored.id not in epochs:
            continue
        identified = not recruiter or stored.id in consented
        assessment = r.assessment.to_dict()
        candidate: dict[str, Any] = {"assessment": recruiter_assessment(assessment) if recruiter else assessment}
        if identified:
            candidate.update(
                {"resident": stored.id, "name": stored.name, "contact": stored.contact, "postcode": stored.postcode}
            )
            identified_ids.append(stored.id)
        else:
            candidate.update(
                {
                    "resident": pseudonym(stored.id, row.employer, epochs[stored.id]),
                    "postcode_district": postcode_district(stored.postcode),
                }
            )
            pseudonymised_ids.append(stored.id)
        items.append(candidate)
    audit(session, who, "read_match", "resident", identified_ids)
    # A pseudonymised read is still a read of the resident's data: it shows in their export.
    audit(session, who, "read_match_pseudonymised", "resident", pseudonymised_ids)
    return items
