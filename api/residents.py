"""Residents: create, read, update, erase, list; consent to share; matches for a resident.

A resident sees only their own record (another record is "not found", never "forbidden", so
ids cannot be probed). Every read of a resident's record by someone else is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from matcher import InvalidInputError, match_resident
from matcher import Resident as ResidentProfile
from matcher.matching import Ranked, ResidentMatches
from matcher.profile import normalise_profile

from . import examples
from .auth import Principal, allow, current
from .contract import ResidentIn, ResidentUpdateIn
from .errors import APIError
from .limits import check_time, text_budget_problems
from .models import AuditEntry, Consent, Resident, ResidentCredential
from .normalise import json_body
from .openapi import documented, limit_params, param
from .schemas import validate
from .store import audit, bump, like_escaped, page_args, resident_record, stored_profile, transaction, whole_number
from .vacancies import open_vacancies

bp = Blueprint("residents", __name__)
#: Vacancies assessed per step of a resident's routes (the time box is checked between steps).
_ROUTES_CHUNK = 250
_IDENTITY = ("name", "contact")


class ConsentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")
    employers: list[Annotated[str, Field(max_length=200)]] = Field(
        max_length=50, description="Employers the resident agrees may see who they are"
    )


#: Keys the server assigns: a new record may not carry them.
SERVER_KEYS = ("id", "version", "consents")


def validated_resident(
    body: object, *, resident_id: str | None = None
) -> tuple[dict[str, Any], dict[str, Any], int | None]:
    """The one validation every path into storage uses (API, pages, CLI, import): the profile to
    store, the identity kept apart from it, and the version an update read (None for a new record).

    Unknown keys are refused; a new record may not carry an id, version or consents (the server
    assigns them); an update (``resident_id`` given) must send the version it read and may send
    the record's own id back. Every problem is named in one 422.
    """
    if not isinstance(body, dict):
        raise APIError(
            422, "validation_error", "invalid resident", [{"location": "body", "message": "expected a JSON object"}]
        )
    problems: list[dict[str, Any]] = []
    if resident_id is None:
        problems += [
            {"location": key, "message": "assigned by the server: leave it out", "type": "server_assigned"}
            for key in SERVER_KEYS
            if key in body
        ]
        body = {k: v for k, v in body.items() if k not in SERVER_KEYS}
        model: type[ResidentIn] = ResidentIn
    else:
        if "id" in body and body["id"] != resident_id:
            problems.append({"location": "id", "message": "not this record's id: ids are assigned by the server"})
        model = ResidentUpdateIn
    try:
        parsed = validate(model, body)
    except APIError as exc:
        problems += exc.errors
        parsed = None
    else:
        problems += text_budget_problems(parsed.model_dump(mode="json", exclude={"name", "contact"}))
    normalised: dict[str, Any] = {}
    if parsed is not None and not problems:
        try:
            # The engine's own rules, should the contract miss one; countries stored as ISO codes,
            # and the right to work the immigration status settles when it is not stated (issue 11).
            normalised = normalise_profile(parsed.model_dump(mode="json", exclude_unset=True, exclude=set(_IDENTITY)))
        except InvalidInputError as exc:
            problems += [{"location": "body", "message": p} for p in exc.problems]
    if problems or parsed is None:
        raise APIError(422, "validation_error", "invalid resident", problems)
    fields = parsed.model_dump(mode="json", exclude_unset=True)
    identity = {k: fields.get(k) for k in _IDENTITY}
    profile = {k: v for k, v in normalised.items() if k not in (*_IDENTITY, *SERVER_KEYS)}
    return profile, identity, getattr(parsed, "version", None)


def _not_theirs(resident_id: str, who: Principal) -> None:
    """404 for a resident asking about someone else: decided before anything else is looked at."""
    if who.role == "resident" and who.resident_id != resident_id:
        raise APIError(404, "not_found", "no such resident")


def _load(session: Session, resident_id: str, who: Principal, *, for_update: bool = False) -> Resident:
    """The record, or 404 for a resident asking about someone else (no probing by id)."""
    _not_theirs(resident_id, who)
    row = session.get(
        Resident, resident_id, options=[selectinload(Resident.consents), selectinload(Resident.credentials)]
    )
    if row is None:
        raise APIError(404, "not_found", "no such resident")
    return row


def _sync_credentials(session: Session, row: Resident) -> None:
    row.credentials.clear()
    session.flush()
    for credential in sorted(set(row.profile.get("credentials") or [])):
        row.credentials.append(ResidentCredential(credential_id=credential))


@bp.post("/residents")
@allow("adviser", "admin")
@documented(body=ResidentIn, example=examples.resident)
def create_resident() -> ResponseReturnValue:
    """Register a resident: the profile (DESIGN.md contract) with name and contact kept apart.

    The server assigns the id and version; every problem with the body is listed in one 422.
    """
    body = json_body()
    who = current()
    with transaction() as session:
        row = add_resident(session, body)
        audit(session, who, "create", "resident", [row.id])
        body = resident_record(row)
    return jsonify(body), 201, {"Location": f"/api/v1/residents/{body['id']}"}


def add_resident(session: Session, body: object) -> Resident:
    """Validate (:func:`validated_resident`) and store a new resident, with an id the server
    assigns; the caller audits who did it, in the same transaction."""
    profile, identity, _ = validated_resident(body)
    row = Resident(
        profile=profile,
        name=identity.get("name"),
        contact=identity.get("contact"),
        postcode=profile.get("postcode"),
        right_to_work=profile.get("right_to_work", "unknown"),
    )
    session.add(row)
    session.flush()
    _sync_credentials(session, row)
    bump(session, "residents")
    session.flush()
    return row


@bp.get("/residents")
@allow("adviser", "admin")
@documented(
    query={
        "page": param("From 1", type="integer", minimum=1, maximum=1_000_000),
        **limit_params("Items per page, 1-100 (default 20)", maximum=100, aliases=("per_page",)),
        "right_to_work": param("yes, no or unknown", enum=["yes", "no", "unknown"]),
        "credential": "A canonical credential id held",
        "postcode": "Postcode prefix, e.g. B66",
    }
)
def list_residents() -> ResponseReturnValue:
    """Registered residents, a page at a time, filtered by right to work, a credential held or a
    postcode prefix. Every resident listed is recorded in the audit trail."""
    page, per_page = page_args()
    who = current()
    query = select(Resident).options(selectinload(Resident.consents)).order_by(Resident.created_at, Resident.id)
    if (rtw := request.args.get("right_to_work")) is not None:
        if rtw not in ("yes", "no", "unknown"):
            raise APIError(
                422,
                "validation_error",
                "the query is not valid",
                [{"location": "query.right_to_work", "message": "yes, no or unknown"}],
            )
        query = query.where(Resident.right_to_work == rtw)
    if credential := request.args.get("credential"):
        query = query.where(
            Resident.id.in_(
                select(ResidentCredential.resident_id).where(ResidentCredential.credential_id == credential)
            )
        )
    if district := request.args.get("postcode"):
        prefix = like_escaped(district.strip().upper())
        query = query.where(func.upper(Resident.postcode).like(prefix + "%", escape="\\"))
    with transaction() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
        audit(session, who, "list", "resident", [r.id for r in rows])
        items = [resident_record(r) for r in rows]
    return jsonify({"items": items, "page": page, "limit": per_page, "per_page": per_page, "total": total})


@bp.get("/residents/<resident_id>")
@allow("resident", "adviser", "admin")
def get_resident(resident_id: str) -> ResponseReturnValue:
    """One resident's record, with its version (send it back to update) and consents.

    A resident may read only their own record (another's is 404); an adviser's read is audited.
    """
    who = current()
    with transaction() as session:
        row = _load(session, resident_id, who)
        if who.role != "resident":
            audit(session, who, "read", "resident", [row.id])
        body = resident_record(row)
    return jsonify(body)


@bp.put("/residents/<resident_id>")
@allow("resident", "adviser", "admin")
@documented(body=ResidentUpdateIn, example=examples.resident_update)
def update_resident(resident_id: str) -> ResponseReturnValue:
    """Replace a resident's record, at the version read (409 if someone changed it since)."""
    _not_theirs(resident_id, current())
    profile, identity, version = validated_resident(json_body(), resident_id=resident_id)
    who = current()
    try:
        with transaction() as session:
            row = _load(session, resident_id, who)
            if row.version != version:
                raise APIError(409, "conflict", "this record was changed by someone else; reload it and try again")
            store_update(session, row, profile, identity, who)
            result = resident_record(row)
    except StaleDataError:
        raise APIError(409, "conflict", "this record was changed by someone else; reload it and try again") from None
    return jsonify(result)


def store_update(
    session: Session, row: Resident, profile: dict[str, Any], identity: dict[str, Any], who: Principal
) -> None:
    """Replace a resident's answers and identity (both already validated), audited."""
    row.profile = profile
    row.name, row.contact = identity["name"], identity["contact"]
    row.postcode = profile.get("postcode")
    row.right_to_work = profile.get("right_to_work", "unknown")
    _sync_credentials(session, row)
    audit(session, who, "update", "resident", [row.id])
    bump(session, "residents")
    session.flush()


@bp.delete("/residents/<resident_id>")
@allow("resident", "admin")
def erase_resident(resident_id: str) -> ResponseReturnValue:
    """Hard delete of the record and everything derived; the audit trail keeps no id of it."""
    who = current()
    with transaction() as session:
        erase(session, _load(session, resident_id, who), who)
    return "", 204


def erase(session: Session, row: Resident, who: Principal) -> None:
    """Hard delete; earlier audit entries lose the id, and the erasure itself names none."""
    resident_id = row.id
    session.delete(row)
    session.execute(update(AuditEntry).where(AuditEntry.resource_id == resident_id).values(resource_id="erased"))
    audit(session, who, "erase", "resident", ["erased"])
    bump(session, "residents")


@bp.get("/residents/<resident_id>/export")
@allow("resident", "admin")
def export_resident(resident_id: str) -> ResponseReturnValue:
    """Everything held about a resident, as JSON: the record, consents, credentials and who read it."""
    who = current()
    with transaction() as session:
        body = export_body(session, _load(session, resident_id, who), who)
    response = jsonify(body)
    response.headers["Content-Disposition"] = f'attachment; filename="useit-{resident_id}.json"'
    return response


def export_body(session: Session, row: Resident, who: Principal) -> dict[str, Any]:
    """Everything held about a resident, including who read the record (audited if not theirs)."""
    trail = session.scalars(select(AuditEntry).where(AuditEntry.resource_id == row.id).order_by(AuditEntry.at)).all()
    body = {
        "resident": resident_record(row),
        "credentials": sorted(c.credential_id for c in row.credentials),
        "consents": [{"employer": c.employer, "granted_at": c.granted_at.isoformat()} for c in row.consents],
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "access_log": [{"at": e.at.isoformat(), "role": e.actor_role, "action": e.action} for e in trail],
    }
    if who.role != "resident":
        audit(session, who, "export", "resident", [row.id])
    return body


@bp.put("/residents/<resident_id>/consents")
@allow("resident", "adviser", "admin")
@documented(body=ConsentRequest, example=examples.consents)
def set_consents(resident_id: str) -> ResponseReturnValue:
    """Replace the employers the resident shares their identity with; takes effect at once."""
    _not_theirs(resident_id, current())
    payload = validate(ConsentRequest, json_body())
    who = current()
    with transaction() as session:
        row = _load(session, resident_id, who)
        consents = replace_consents(session, row, payload.employers, who)
    return jsonify({"id": resident_id, "consents": consents})


def replace_consents(session: Session, row: Resident, employers: list[str], who: Principal) -> list[str]:
    """The employers the resident now shares their name and contact details with (audited)."""
    wanted = {e.strip() for e in employers if e.strip()}
    if wanted != {c.employer for c in row.consents}:
        row.consent_epoch += 1  # every recruiter's pseudonym for this resident changes
    for consent in list(row.consents):
        if consent.employer not in wanted:
            row.consents.remove(consent)
    have = {c.employer for c in row.consents}
    for employer in sorted(wanted - have):
        row.consents.append(Consent(employer=employer))
    audit(session, who, "consent", "resident", [row.id])
    session.flush()
    return sorted(c.employer for c in row.consents)


@bp.get("/residents/<resident_id>/matches")
@allow("resident", "adviser", "admin")
@documented(
    query={
        "within_weeks": param(
            "Reachable within this many weeks (0-520, default 52)", type="integer", minimum=0, maximum=520
        )
    }
)
def resident_matches(resident_id: str) -> ResponseReturnValue:
    """Vacancies open to the resident now, and those reachable within N weeks with pathways."""
    weeks = whole_number(request.args.get("within_weeks"), default=52, low=0, high=520, name="within_weeks")
    who = current()
    with transaction() as session:
        row = _load(session, resident_id, who)
        if who.role != "resident":
            audit(session, who, "read_matches", "resident", [row.id])
        profile = stored_profile(row)
        routes = resident_routes(session, profile, within_weeks=weeks)
    return jsonify({"resident": resident_id, **routes})


def load_resident(session: Session, resident_id: str, who: Principal) -> Resident:
    """A stored resident the caller may see (404 otherwise); reads by others are audited."""
    row = _load(session, resident_id, who)
    if who.role != "resident":
        audit(session, who, "read", "resident", [row.id])
    return row


def resident_routes(
    session: Session, profile: ResidentProfile, *, within_weeks: int, today: date | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Open vacancies the resident can apply for now, and those reachable within N weeks.

    Works for a stored resident and for an anonymous one (the web checker stores nothing).
    """
    today = today or date.today()
    vacancies = open_vacancies(session, today)
    assessor = current_app.extensions["useit_engine"].assessor
    evidence = assessor.evidence(profile, today=today)
    open_now: list[Ranked] = []
    reachable: list[Ranked] = []
    for start in range(0, len(vacancies), _ROUTES_CHUNK):  # the time box is checked between chunks
        check_time()
        chunk = [v for _, v in vacancies[start : start + _ROUTES_CHUNK]]
        part = match_resident(assessor, evidence, chunk, reachable_within_weeks=within_weeks, today=today)
        open_now += [Ranked(r.index + start, r.assessment) for r in part.open_now]
        reachable += [Ranked(r.index + start, r.assessment) for r in part.reachable]
    found = ResidentMatches(sorted(open_now, key=Ranked.sort_key), sorted(reachable, key=Ranked.sort_key))

    def item(ranked: Any) -> dict[str, Any]:
        vacancy_id, parsed = vacancies[ranked.index]
        return {
            "vacancy": vacancy_id,
            "title": parsed.title,
            "employer": parsed.employer,
            "band": parsed.band,
            "assessment": ranked.assessment.to_dict(),
        }

    return {
        "open_now": [item(r) for r in found.open_now],
        "reachable": [item(r) for r in found.reachable],
        # Without the right to work: jobs to train towards meanwhile (never shown as open).
        "when_allowed": [item(r) for r in found.when_allowed],
    }
