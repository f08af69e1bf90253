"""The process's index of stored residents, shared by matches and insights.

Built once per worker, then kept current without rebuilding: every write to residents bumps a
counter in the same transaction (``store.bump``); when a worker sees a new value it applies
just what changed (residents added, updated since its last sync, or erased) to its index.
A new day rebuilds it (English results expire by date).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher import Resident as ResidentProfile
from matcher import ResidentIndex
from matcher.assessment import ResidentEvidence

from .models import Resident
from .recruiter_view import blind
from .store import data_version, stored_profile

_lock = threading.Lock()
#: Rows updated this long before the last sync are looked at again (clock and commit skew).
_MARGIN = timedelta(seconds=10)
#: When this share of the index's rows are tombstones, it is rebuilt (bounds memory).
_COMPACT_AT = 0.2


@dataclass(slots=True)
class _Cached:
    stamp: int
    index: ResidentIndex
    rows: list[Resident]  # aligned with the index's rows (tombstoned rows included)
    synced_at: datetime
    versions: dict[str, int]  # the version of each resident the index holds
    #: Row -> the resident's evidence without special-category data, made when first needed.
    blind: dict[int, ResidentEvidence] = field(default_factory=dict)


def _profile(row: Resident) -> ResidentProfile:
    return stored_profile(row)


def recruiter_evidence(index: ResidentIndex) -> Callable[[int], ResidentEvidence]:
    """Row -> the evidence a recruiter's assessment is made from: the index's own evidence, or,
    for a resident with special-category data, evidence made from a copy without it (cached with
    the index, whose rows never change once written)."""
    cached: _Cached | None = current_app.extensions.get("useit_index")
    store: dict[int, ResidentEvidence] = cached.blind if cached is not None and cached.index is index else {}

    def evidence_of(row: int) -> ResidentEvidence:
        resident = index.residents[row]
        stripped = blind(resident)
        if stripped is resident:
            return index.evidence[row]
        found = store.get(row)
        if found is None:
            found = store[row] = index.assessor.evidence(stripped, today=index.today)
        return found

    return evidence_of


def resident_index(session: Session) -> tuple[ResidentIndex, list[Resident]]:
    stamp = data_version(session, "residents")
    with _lock:
        cached: _Cached | None = current_app.extensions.get("useit_index")
        if cached is not None and cached.index.today == date.today():
            if cached.stamp != stamp:
                _catch_up(session, cached, stamp)
            if cached.index.live >= len(cached.rows) * (1 - _COMPACT_AT):
                return cached.index, cached.rows
        synced_at = datetime.now(UTC)
        rows = list(session.scalars(select(Resident).order_by(Resident.id)).all())
        index = ResidentIndex(current_app.extensions["useit_engine"].assessor, [_profile(r) for r in rows])
        versions = {r.id: r.version for r in rows}
        current_app.extensions["useit_index"] = _Cached(stamp, index, rows, synced_at, versions)
        return index, rows


def _catch_up(session: Session, cached: _Cached, stamp: int) -> None:
    synced_at = datetime.now(UTC)
    stored = set(session.scalars(select(Resident.id)))
    known = set(cached.index.row_of)
    new_ids = stored - known
    changed = {
        r.id: r for r in session.scalars(select(Resident).where(Resident.updated_at >= cached.synced_at - _MARGIN))
    }
    missing = sorted(new_ids - set(changed))
    for start in range(0, len(missing), 1_000):  # added without a recent timestamp (bulk loads)
        for row in session.scalars(select(Resident).where(Resident.id.in_(missing[start : start + 1_000]))):
            changed[row.id] = row
    # Only what this index does not already hold at that version (the margin re-reads some).
    fresh = [changed[i] for i in sorted(changed) if cached.versions.get(i) != changed[i].version]
    gone = sorted(known - stored)
    cached.index.update(changed=[_profile(r) for r in fresh], removed=gone)
    cached.rows.extend(fresh)
    cached.versions.update({r.id: r.version for r in fresh})
    for resident_id in gone:
        cached.versions.pop(resident_id, None)
    cached.stamp, cached.synced_at = stamp, synced_at
