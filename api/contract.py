"""Pydantic models of the DESIGN.md contract, for validation at the edge and the OpenAPI document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel


class ErrorItem(BaseModel):
    location: str | None = None
    message: str
    type: str | None = None


class ErrorOut(BaseModel):
    """Every failure has this shape."""

    code: str
    message: str
    errors: list[ErrorItem | dict[str, Any]]


class ExperienceIn(BaseModel):
    title: str
    years: float = Field(default=0, ge=0, le=70)
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")


class QualificationIn(BaseModel):
    title: str
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    year: int | None = Field(default=None, ge=1940, le=2100)


class LanguageTestIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    test: str = Field(description="'IELTS Academic', 'IELTS General' or 'OET'")
    overall: float | None = None
    listening: float | str
    reading: float | str
    writing: float | str
    speaking: float | str
    date: str | None = Field(default=None, description="YYYY-MM-DD")


class ResidentIn(BaseModel):
    """A resident profile (DESIGN.md); ``name`` and ``contact`` are kept apart from matching."""

    model_config = ConfigDict(extra="forbid")
    skills: list[str] = Field(default_factory=list, max_length=200)
    experience: list[ExperienceIn] = Field(default_factory=list, max_length=200)
    qualifications: list[QualificationIn] = Field(default_factory=list, max_length=200)
    language_tests: list[LanguageTestIn] = Field(default_factory=list, max_length=50)
    credentials: list[str] = Field(default_factory=list, max_length=200)
    right_to_work: Literal["yes", "no", "unknown"] = "unknown"
    immigration_status: str | None = None
    postcode: str | None = None
    hours: Literal["full_time", "part_time", "any"] = "any"
    name: str | None = Field(default=None, max_length=200)
    contact: str | None = Field(default=None, max_length=200)
    version: int | None = Field(default=None, description="Required on update: the version last read")


class VacancyIn(BaseModel):
    """A vacancy (DESIGN.md): criteria as free text or structured objects."""

    model_config = ConfigDict(extra="allow")
    reference: str = Field(max_length=80, description="The employer's advert reference")
    employer: str
    title: str
    band: str | None = None
    staff_group: str | None = None
    location: str | None = None
    hours: str | None = None
    contract: str | None = None
    closing_date: str | None = Field(default=None, description="YYYY-MM-DD")
    essential: list[str | dict[str, Any]] = Field(default_factory=list)
    desirable: list[str | dict[str, Any]] = Field(default_factory=list)
    version: int | None = Field(default=None, description="Required on update: the version last read")


class MatchOut(BaseModel):
    concept_id: str
    label: str
    score: float
    method: str
    esco_uri: str | None
    soc2020: str | None
    matched_label: str | None = None
    profession: str | None = None
    regulator: str | None = None
    level: int | None = None
    country: str | None = None


class NormaliseResultOut(BaseModel):
    text: str
    kind: str
    matches: list[MatchOut]


class NormaliseBatchOut(BaseModel):
    results: list[NormaliseResultOut]


class NormaliseResponse(RootModel[NormaliseResultOut | NormaliseBatchOut]):
    """One result for ``text``; ``{"results": [...]}`` for ``texts``."""


class StepOut(BaseModel):
    credential: str
    label: str
    weeks: int
    cost_gbp: float | None
    after: list[str]
    source: str | None
    as_of: str | None
    provider_type: str | None = None
    notes: list[str] = Field(default_factory=list)
    unconfirmed: bool = False


class PathwayOut(BaseModel):
    steps: list[StepOut]
    total_weeks: int
    total_cost_gbp: float
    unreachable: list[dict[str, str]] = Field(default_factory=list)


class RequirementOut(BaseModel):
    text: str
    kind: str
    concept_id: str | None
    label: str | None
    essential: bool
    met: bool
    evidence: dict[str, Any] | None
    note: str | None = None


class AssessmentOut(BaseModel):
    eligible_now: bool
    fit: float = Field(ge=0, le=1)
    blocked_by: list[str]
    requirements: list[RequirementOut]
    pathway: PathwayOut | None
    bridge_roles: list[dict[str, Any]]
    explanation: str
