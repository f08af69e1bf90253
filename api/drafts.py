"""Draft profiles read from CVs, held for an adviser to review (never a resident until confirmed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import ProfileDraft

#: How long an unreviewed draft is kept (it holds what a CV said about someone).
DRAFT_DAYS = 30


def add_draft(session: Session, draft: dict[str, Any], source_name: str, created_by: int | None) -> ProfileDraft:
    row = ProfileDraft(
        source_name=source_name[:255],
        draft=draft,
        created_by=created_by,
        expires_at=datetime.now(UTC) + timedelta(days=DRAFT_DAYS),
    )
    session.add(row)
    session.flush()
    return row


def purge_expired(session: Session) -> int:
    result = session.execute(delete(ProfileDraft).where(ProfileDraft.expires_at < datetime.now(UTC)))
    return int(getattr(result, "rowcount", 0) or 0)


def list_drafts(session: Session, *, limit: int = 200) -> list[ProfileDraft]:
    purge_expired(session)
    return list(session.scalars(select(ProfileDraft).order_by(ProfileDraft.created_at.desc()).limit(limit)))
