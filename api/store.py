"""Database helpers shared by the blueprints: sessions, audit, serialising records."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from flask import current_app, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher import Resident as ResidentProfile

from .auth import Principal
from .errors import APIError
from .models import AuditEntry, DataVersion, Resident

#: What the audit log says instead of an erased resident's id.
ERASED = "erased"
#: Page sizes for list endpoints.
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 20, 100


@contextmanager
def transaction() -> Iterator[Session]:
    """One transaction per request that writes: committed on success, rolled back on any error."""
    factory = current_app.extensions["useit_sessions"]
    with factory() as session, session.begin():
        yield session


def audit(session: Session, who: Principal, action: str, resource_type: str, ids: Sequence[str | None]) -> None:
    """Record reads and writes of records; ids only, never names or profile data.

    A resident's id is written only while the resident is stored: the rows are read with a
    key-share lock (PostgreSQL), so an erasure either waits for this transaction, and then
    rewrites what it wrote, or has finished, and then the id is left out. Nothing re-writes an
    erased resident's id into the log.
    """
    if resource_type == "resident":
        named = [i for i in ids if i and i != ERASED]
        if named:
            stored = set(
                session.scalars(
                    select(Resident.id).where(Resident.id.in_(named)).with_for_update(read=True, key_share=True)
                )
            )
            ids = [i for i in ids if i not in named or i in stored]
    if not ids:
        return
    session.add_all(
        AuditEntry(
            actor_user_id=who.user_id, actor_role=who.role, action=action, resource_type=resource_type, resource_id=i
        )
        for i in ids
    )


def whole_number(raw: str | None, *, default: int, low: int, high: int, name: str) -> int:
    """A query-string integer in [low, high], or a 422 naming the parameter (never a 500)."""
    text = default if raw is None else raw
    if isinstance(text, int):
        return text
    if not re.fullmatch(r"[0-9]{1,9}", text) or not low <= int(text) <= high:
        raise APIError(
            422,
            "validation_error",
            "the query is not valid",
            [{"location": f"query.{name}", "message": f"a whole number from {low} to {high}"}],
        )
    return int(text)


def query_flag(name: str) -> bool:
    """A query-string ``true``/``false`` (default false), or a 422 naming the parameter."""
    raw = request.args.get(name, "false")
    if raw not in ("true", "false"):
        raise APIError(
            422,
            "validation_error",
            "the query is not valid",
            [{"location": f"query.{name}", "message": "true or false"}],
        )
    return raw == "true"


def too_long(values: dict[str, object], limits: dict[str, int]) -> list[dict[str, str]]:
    """Problems for text fields longer than their database columns hold."""
    return [
        {"location": name, "message": f"at most {limit} characters"}
        for name, limit in limits.items()
        if isinstance(values.get(name), str) and len(str(values[name])) > limit
    ]


def like_escaped(text: str) -> str:
    """``text`` for a LIKE pattern with ``escape="\\"``: its own % and _ match only themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: How many items to return is ``limit`` on every endpoint; the names some endpoints used first
#: are still read, as aliases (documented as deprecated).
LIMIT_ALIASES = ("per_page", "top")


def limit_arg(*, default: int | None, low: int, high: int) -> int | None:
    """``limit`` (or an older name for it) from the query string, or 422 naming the parameter;
    two names with different values are a problem, not a guess."""
    given = [(name, request.args[name]) for name in ("limit", *LIMIT_ALIASES) if name in request.args]
    problems = []
    values = {}
    for name, raw in given:
        if re.fullmatch(r"[0-9]{1,7}", raw) and low <= int(raw) <= high:
            values[name] = int(raw)
        else:
            problems.append({"location": f"query.{name}", "message": f"a whole number from {low} to {high}"})
    if not problems and len(set(values.values())) > 1:
        problems = [
            {"location": f"query.{name}", "message": "limit and its older names differ: give one of them"}
            for name in values
        ]
    if problems:
        raise APIError(422, "validation_error", "the query is not valid", problems)
    return next(iter(values.values())) if values else default


def page_args() -> tuple[int, int]:
    """``page`` (from 1) and ``limit`` (1..100; ``per_page`` is its older name) from the query
    string, or 422."""
    problems = []
    raw = request.args.get("page")
    page = 1
    if raw is not None:
        if re.fullmatch(r"[0-9]{1,7}", raw) and 1 <= int(raw) <= 1_000_000:
            page = int(raw)
        else:
            problems.append({"location": "query.page", "message": "a whole number from 1 to 1000000"})
    try:
        limit = limit_arg(default=DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE)
    except APIError as exc:
        problems += exc.errors
        limit = DEFAULT_PAGE_SIZE
    if problems:
        raise APIError(422, "validation_error", "the query is not valid", problems)
    assert limit is not None
    return page, limit


def stored_profile(row: Resident) -> ResidentProfile:
    """The engine's resident for a stored row. The row's id always wins over anything the stored
    profile holds (records written before ids were stripped from profiles may still carry one)."""
    return ResidentProfile.from_dict({**row.profile, "id": row.id})


def resident_record(row: Resident, *, identified: bool = True) -> dict[str, Any]:
    """The resident as the API returns it; without name and contact when not ``identified``."""
    record: dict[str, Any] = {**row.profile, "id": row.id, "version": row.version}
    record["consents"] = sorted(c.employer for c in row.consents)
    if identified:
        record["name"] = row.name
        record["contact"] = row.contact
        record["postcode"] = row.postcode
    return record


def postcode_district(postcode: str | None) -> str | None:
    """ "B66 2QT" -> "B66": enough for travel, not enough to find a house."""
    if not postcode:
        return None
    return postcode.strip().upper().split(" ")[0] if " " in postcode.strip() else postcode.strip().upper()[:-3] or None


def bump(session: Session, name: str) -> None:
    """Mark data set ``name`` changed (call in the transaction that changes it)."""
    row = session.get(DataVersion, name, with_for_update=True)
    if row is None:
        session.add(DataVersion(name=name, version=1))
    else:
        row.version += 1


def data_version(session: Session, name: str) -> int:
    row = session.get(DataVersion, name)
    return row.version if row is not None else 0
