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


_COUNTRY_DOC = (
    "Where: an ISO 3166-1 code (PK) or an English name (Pakistan); 'Other' for a place not listed. "
    "Stored as the ISO code; an unknown name is a 422 naming it."
)


class ExperienceIn(BaseModel):
    title: str
    years: float = Field(default=0, ge=0, le=70)
    country: str | None = Field(default=None, max_length=100, description=_COUNTRY_DOC)


class QualificationIn(BaseModel):
    title: str
    country: str | None = Field(default=None, max_length=100, description=_COUNTRY_DOC)
    year: int | None = Field(default=None, ge=1940, le=2100)
    taught_in_english: bool | None = Field(
        default=None, description="The resident says it was taught and examined in English (regulators' other route)"
    )


class LanguageTestIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    test: str = Field(description="'IELTS Academic', 'IELTS General', 'OET' or 'TOEFL iBT'")
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
    right_to_work: Literal["yes", "no", "unknown"] = Field(
        default="unknown",
        description="'unknown' is not 'no'; when not stated, the immigration status settles it where it can",
    )
    immigration_status: (
        Literal["refugee", "asylum_seeker", "settled", "visa_holder", "british_irish", "prefer_not_to_say"] | None
    ) = Field(
        default=None,
        description=(
            "refugee (refugee status or humanitarian protection), asylum_seeker (claim pending), settled (settled or "
            "pre-settled status), visa_holder, british_irish, prefer_not_to_say. Sensitive: never shown to recruiters. "
            "Decides the right to work when that is not stated, and concessions (refugees sit PLAB 1 free)."
        ),
    )
    english_evidence: list[Literal["qualification_taught_in_english", "uk_employer_reference"]] = Field(
        default_factory=list,
        max_length=2,
        description="English evidence other than a test: a professional qualification taught and examined in "
        "English; a UK health or care employer of 12 months who would vouch for your English (NMC SIFE, GMC "
        "structured reference)",
    )
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


class FactOut(BaseModel):
    """One figure of a step (fee, weeks, attempts) with where it comes from."""

    figure: str
    value: Any = None
    source: str | None = None
    as_of: str | None = None
    checked: str | None = None
    confidence: Literal["official", "third_party", "derived", "unconfirmed"]
    to_be_confirmed: bool
    note: str | None = None
    effective: str | None = None


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
    confidence: Literal["official", "third_party", "derived", "unconfirmed"] | None = Field(
        default=None, description="The least sure of the step's route, fee and time"
    )
    checked: str | None = Field(default=None, description="When its facts were last checked: 'December 2026'")
    facts: list[FactOut] = Field(default_factory=list, description="Each figure with its source and confidence")


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


class PayProvenanceOut(BaseModel):
    """Which pay scale salaries come from (fixtures/pay_bands.json)."""

    scale: str
    country: str
    year: str
    source: str
    as_of: str
    unconfirmed_bands: list[str]
    confidence: str | None = None
    derived_from: str | None = Field(default=None, description="For a derived year: the year it is computed from")
    label: str | None = Field(default=None, description="'2026/27 pay (derived from 2025/26 + 3.3%, to be confirmed)'")


class UnlockedVacancyOut(BaseModel):
    id: str
    title: str
    band: str | None


class CredentialInsightOut(BaseModel):
    credential: str
    label: str
    residents_unlocked: int
    vacancies_unlocked: int
    bands: list[str]
    typical_weeks: float | None
    typical_cost_gbp: float | None
    salary_min_gbp: int | None = Field(description="Lowest entry pay of the bands unlocked; null off Agenda for Change")
    salary_max_gbp: int | None = Field(description="Highest top pay of the bands unlocked")
    vacancies: list[UnlockedVacancyOut] | None = Field(default=None, description="Only with ?with_vacancies=true")


class TrainingInsightsOut(BaseModel):
    residents: int
    open_vacancies: int
    credentials: list[CredentialInsightOut]
    pay: PayProvenanceOut


class OccupationBalanceOut(BaseModel):
    occupation_id: str
    label: str
    family: str | None
    soc2020: str | None
    nhs: bool
    bands: list[str]
    salary_min_gbp: int | None
    salary_max_gbp: int | None
    demand: int = Field(description="Open vacancies whose title normalises to this occupation")
    supply: int = Field(description="Residents with it in their work history or a qualification of its profession")
    supply_related: int = Field(description="Residents with work in the same family, or of its profession")
    eligible_now: int = Field(description="Residents eligible now for at least one of its open vacancies")
    eligible_now_capped: bool = Field(description="true: eligible_now is a lower bound (retrieval limit reached)")


class DistrictBalanceOut(BaseModel):
    district: str | None = Field(description="Postcode district (outward code); null: no usable postcode")
    residents: int
    right_to_work: int
    eligible_now: int


class SiteDemandOut(BaseModel):
    site: str | None
    vacancies: int


class TownDemandOut(BaseModel):
    town: str | None = Field(description="From the advert's location; null: none given")
    vacancies: int
    sites: list[SiteDemandOut]


class AreasOut(BaseModel):
    districts: list[DistrictBalanceOut]
    towns: list[TownDemandOut]


class SupplyDemandOut(BaseModel):
    residents: int
    open_vacancies: int
    eligible_now: int
    unclassified_vacancies: int
    occupations: list[OccupationBalanceOut]
    areas: AreasOut
    pay: PayProvenanceOut
