"""SQLAlchemy 2.0 typed models. Schema changes go through Alembic (migrations/).

Residents' records hold sensitive data (immigration status, health qualifications): ids are
random (never guessable), every read by someone other than the resident is audited, and the
audit log keeps no identifying data once a resident is erased.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """A random, unguessable id ("r-3f9c...")."""
    return f"{prefix}-{secrets.token_hex(8)}"


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


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


class Resident(Base):
    """A resident's profile (the DESIGN.md contract) plus identity kept apart from it."""

    __tablename__ = "residents"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("r"))
    #: The contract profile without its id: skills, experience, qualifications, tests, ...
    profile: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Identifying data, never shown to a recruiter without consent.
    name: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(10))
    right_to_work: Mapped[str] = mapped_column(String(10), default="unknown", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    #: Optimistic locking: an update carrying a stale version is refused (409), never lost.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: Bumped at every change of consent: recruiters' pseudonyms are keyed on it, so a recruiter
    #: cannot recognise a candidate who withdrew consent under the pseudonym seen before.
    consent_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    consents: Mapped[list[Consent]] = relationship(back_populates="resident", cascade="all, delete-orphan")
    credentials: Mapped[list[ResidentCredential]] = relationship(
        back_populates="resident", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class ResidentCredential(Base):
    """A UK credential a resident holds, by canonical id (for filtering and insights)."""

    __tablename__ = "resident_credentials"
    __table_args__ = (UniqueConstraint("resident_id", "credential_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    resident_id: Mapped[str] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[str] = mapped_column(String(80), index=True)

    resident: Mapped[Resident] = relationship(back_populates="credentials")


class Consent(Base):
    """A resident's consent to share their identity with one employer (withdrawable)."""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("resident_id", "employer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    resident_id: Mapped[str] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), index=True)
    employer: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    resident: Mapped[Resident] = relationship(back_populates="consents")


class Vacancy(Base):
    __tablename__ = "vacancies"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("v"))
    #: The employer's advert reference; re-importing it updates rather than duplicates.
    reference: Mapped[str] = mapped_column(String(80), unique=True)
    employer: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(300))
    band: Mapped[str | None] = mapped_column(String(4), index=True)
    staff_group: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(300))
    hours: Mapped[str | None] = mapped_column(String(20))
    contract: Mapped[str | None] = mapped_column(String(20))
    closing_date: Mapped[date | None] = mapped_column(Date, index=True)
    #: The full contract record (essential and desirable criteria as given).
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The criteria as parsed when the vacancy was written (ParsedVacancy.to_record), so
    #: matching never re-parses them; null for rows written before it existed.
    parsed: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    requirements: Mapped[list[VacancyRequirement]] = relationship(
        back_populates="vacancy", cascade="all, delete-orphan", order_by="VacancyRequirement.position"
    )

    __mapper_args__ = {"version_id_col": version}


class VacancyRequirement(Base):
    """One parsed requirement of a vacancy (kept for search and insights)."""

    __tablename__ = "vacancy_requirements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    vacancy_id: Mapped[str] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    essential: Mapped[bool]
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    concept_id: Mapped[str | None] = mapped_column(String(80), index=True)
    credential: Mapped[str | None] = mapped_column(String(80), index=True)

    vacancy: Mapped[Vacancy] = relationship(back_populates="requirements")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # adviser | recruiter | resident | admin
    #: A recruiter's employer (exactly as vacancies name it).
    employer: Mapped[str | None] = mapped_column(String(200))
    #: A resident user's own record.
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")


class ApiToken(Base):
    """A bearer token, stored only as its SHA-256 hash (the token itself is shown once)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, to tell tokens apart in listings without revealing them.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="tokens")


class WebSession(Base):
    """A signed-in browser: the session cookie names it (by a random id, stored here only as a
    hash). Signing out ends it here, so a copy of the cookie is worth nothing afterwards; it
    also ends a fixed time after signing in, however busy the session (an absolute lifetime)."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Who read or changed which record, when. No names, contact details or profile data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    resource_type: Mapped[str] = mapped_column(String(20))
    #: The record's id; replaced by "erased" when a resident is erased.
    resource_id: Mapped[str | None] = mapped_column(String(40), index=True)


class DataVersion(Base):
    """A counter per data set, bumped in the same transaction as every write to it, so that
    a worker can tell whether its in-memory index is current with one primary-key read."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class ProfileDraft(Base):
    """A profile read from a CV that an adviser has not yet confirmed (issue 14).

    Kept apart from ``residents`` so nothing unconfirmed can reach matching, insights, exports
    or recruiters: no query of residents can see it. Confirming creates a resident and deletes
    the draft; drafts expire (``expires_at``) and are purged when drafts are next listed.
    """

    __tablename__ = "profile_drafts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("d"))
    #: The file the CV came from, to tell drafts apart (often holds a name: advisers only).
    source_name: Mapped[str] = mapped_column(String(255))
    #: ``profiles.Draft.to_dict()``: the draft profile and every item with its words and confidence.
    draft: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Who made it (a user id); null when imported from the command line.
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
