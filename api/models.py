"""SQLAlchemy 2.0 typed models. Schema changes go through Alembic (migrations/)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class TaxonomyConcept(Base):
    """A taxonomy concept as loaded from fixtures (or an ESCO import), for search and joins."""

    __tablename__ = "taxonomy_concepts"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    label: Mapped[str] = mapped_column(String(300))
    alt_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    esco_uri: Mapped[str | None] = mapped_column(String(200), index=True)
    soc2020: Mapped[str | None] = mapped_column(String(8))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
