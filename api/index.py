"""The process's index of stored residents, shared by matches and insights.

Built once per worker and rebuilt only when residents change: every write to residents bumps
a counter in the same transaction (``store.bump``), and each use reads it by primary key.
"""

from __future__ import annotations

import threading
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher import Resident as ResidentProfile
from matcher import ResidentIndex

from .models import Resident
from .store import data_version

_lock = threading.Lock()


def resident_index(session: Session) -> tuple[ResidentIndex, list[Resident]]:
    stamp = data_version(session, "residents")
    with _lock:
        cached = current_app.extensions.get("useit_index")
        if cached is not None and cached[0] == stamp and cached[1].today == date.today():
            return cached[1], cached[2]
        rows = list(session.scalars(select(Resident).order_by(Resident.id)).all())
        profiles = [ResidentProfile.from_dict({"id": r.id, **r.profile}) for r in rows]
        index = ResidentIndex(current_app.extensions["useit_engine"].assessor, profiles, today=date.today())
        current_app.extensions["useit_index"] = (stamp, index, rows)
        return index, rows
