"""Database helpers shared by the blueprints: sessions, audit, serialising records."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from flask import current_app, request
from sqlalchemy.orm import Session

from .auth import Principal
from .errors import APIError
from .models import AuditEntry, DataVersion, Resident

#: Page sizes for list endpoints.
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 20, 100


@contextmanager
def transaction() -> Iterator[Session]:
    """One transaction per request that writes: committed on success, rolled back on any error."""
    factory = current_app.extensions["useit_sessions"]
    with factory() as session, session.begin():
        yield session


def audit(session: Session, who: Principal, action: str, resource_type: str, ids: Sequence[str | None]) -> None:
    """Record reads and writes of records; ids only, never names or profile data."""
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


def page_args() -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (1..100) from the query string, or 422."""
    problems = []
    values = {}
    for name, default, top in (("page", 1, 1_000_000), ("per_page", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)):
        raw = request.args.get(name, str(default))
        try:
            value = int(raw)
            if not 1 <= value <= top:
                raise ValueError
            values[name] = value
        except ValueError:
            problems.append({"location": f"query.{name}", "message": f"must be a whole number from 1 to {top}"})
    if problems:
        raise APIError(422, "validation_error", "the query is not valid", problems)
    return values["page"], values["per_page"]


def resident_record(row: Resident, *, identified: bool = True) -> dict[str, Any]:
    """The resident as the API returns it; without name and contact when not ``identified``."""
    record: dict[str, Any] = {"id": row.id, **row.profile, "version": row.version}
    record["consents"] = sorted(c.employer for c in row.consents)
    if identified:
        record["name"] = row.name
        record["contact"] = row.contact
        record["postcode"] = row.postcode
    return record


def pseudonym(resident_id: str, employer: str) -> str:
    """A stable per-employer pseudonym: the same candidate, unlinkable across employers."""
    digest = hashlib.sha256(f"{employer}\x00{resident_id}".encode()).hexdigest()[:12]
    return f"cand-{digest}"


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
