"""Pydantic models of the DESIGN.md contract, for validation at the edge and the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, RootModel, Tag
from pydantic.config import JsonDict, JsonValue

from matcher.profile import STATUS_RIGHT_TO_WORK
from matcher.requirements import REQUIREMENT_KINDS


class ErrorItem(BaseModel):
    location: str | None = None
    message: str
    type: str | None = None


class ErrorOut(BaseModel):
    """Every failure has this shape."""

    code: str
    message: str
    errors: list[ErrorItem | dict[str, Any]]


#: Limits every path into storage shares (API, pages, CLI, import): the pages' forms ask for no more.
TEXT_MAX = 200
ISO_COUNTRY = r"^[A-Za-z]{2}$"
#: A UK postcode, or just its outward code (the district): "B66 2QT", "B66".
UK_POSTCODE = r"^[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?([0-9][A-Za-z]{2})?$"
CREDENTIAL_ID = r"^[a-z0-9][a-z0-9-]{0,79}$"
IELTS_TESTS = ("IELTS Academic", "IELTS Academic UKVI", "IELTS General Training", "IELTS General Training UKVI")
OET_GRADES = ("A", "B", "C+", "C", "D", "E")

#: Printable text with something in it: no control characters (they have no place in a
#: name, title or skill, and would reach logs and pages).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
_SOME_TEXT = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"
#: Something to match: a letter or digit in it (the engine has nothing to read in "-" or "?").
WORDS = r"[^\W_]"
_PRINTABLE_WORDS = r"^[^\x00-\x1f\x7f]*[^\W_][^\x00-\x1f\x7f]*$"
Text = Annotated[str, Field(min_length=1, max_length=TEXT_MAX, pattern=_PRINTABLE_WORDS)]


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def whole(**bounds: int) -> Any:
    """An integer as JSON Schema means it, 2013 and 2013.0 alike (requests are validated
    strictly), within ``bounds`` (ge, le)."""
    return Annotated[int, Field(**bounds), BeforeValidator(_whole)]


IeltsBand = Annotated[float, Field(ge=0, le=9, multiple_of=0.5)]
ToeflPart = Annotated[int, Field(ge=0, le=30), BeforeValidator(_whole)]

_COUNTRY_DOC = (
    "Where: an ISO 3166-1 code (PK) or an English name (Pakistan); 'Other' for a place not listed. "
    "Stored as the ISO code; an unknown name is a 422 naming it."
)


def _country_enum(schema: dict[str, Any]) -> None:
    """The document lists the codes and names the server accepts (fixtures/countries.json), so
    a client, and schemathesis, know that any other text is refused; built when the document is."""
    from matcher.countries import load_countries

    values: set[str] = set()
    for country in load_countries():
        values |= {country.code, country.name, *(country.alt_names or ())}
        if country.alpha_3:
            values.add(country.alpha_3)
    schema["enum"] = sorted(values | {"UK"})


#: A country as people give it: a code or an English name (the server checks it against
#: fixtures/countries.json and names one it does not know).
Country = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        pattern=_PRINTABLE_WORDS,
        description=_COUNTRY_DOC,
        json_schema_extra=_country_enum,  # type: ignore[arg-type]
    ),
]
OetGrade = Literal["A", "B", "C+", "C", "D", "E"]


class ExperienceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")
    title: Text
    years: float = Field(default=0, ge=0, le=70)
    country: Country | None = None
    employer: Text | None = Field(default=None, description="Who it was for: an NHS trust's name shows NHS work")
    until: whole(ge=1940, le=2100) | Literal["present"] | None = Field(  # type: ignore[valid-type]
        default=None, description="The year it ended, or 'present' (for 'recent experience')"
    )


class QualificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")
    title: Text
    country: Country | None = None
    year: whole(ge=1940, le=2100) | None = None  # type: ignore[valid-type]
    taught_in_english: bool | None = Field(
        default=None, description="The resident says it was taught and examined in English (regulators' other route)"
    )


class IeltsIn(BaseModel):
    """An IELTS result: bands from 0 to 9 in half bands."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")
    test: Literal[IELTS_TESTS]  # type: ignore[valid-type]
    overall: IeltsBand | None = None
    listening: IeltsBand
    reading: IeltsBand
    writing: IeltsBand
    speaking: IeltsBand
    date: dt.date | None = Field(default=None, description="YYYY-MM-DD")


class OetIn(BaseModel):
    """An OET result: a grade for each part."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")
    test: Literal["OET"]
    listening: OetGrade
    reading: OetGrade
    writing: OetGrade
    speaking: OetGrade
    date: dt.date | None = Field(default=None, description="YYYY-MM-DD")


class ToeflIn(BaseModel):
    """A TOEFL iBT result (the HCPC accepts it): each part 0-30, the total 0-120."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")
    test: Literal["TOEFL iBT"]
    overall: whole(ge=0, le=120) | None = None  # type: ignore[valid-type]
    listening: ToeflPart
    reading: ToeflPart
    writing: ToeflPart
    speaking: ToeflPart
    date: dt.date | None = Field(default=None, description="YYYY-MM-DD")


LanguageTestIn = Annotated[IeltsIn | OetIn | ToeflIn, Field(discriminator="test")]


#: An immigration status that gives the right to work: the profile may not then say "no"
#: (matcher.profile.STATUS_RIGHT_TO_WORK), stated in the document as the server enforces it.
_GIVES_RIGHT_TO_WORK: list[JsonValue] = [k for k in sorted(STATUS_RIGHT_TO_WORK) if STATUS_RIGHT_TO_WORK[k] == "yes"]
_STATUS_RULE: JsonDict = {
    "allOf": [
        {
            "if": {
                "required": ["immigration_status"],
                "properties": {"immigration_status": {"enum": _GIVES_RIGHT_TO_WORK}},
            },
            "then": {"properties": {"right_to_work": {"not": {"const": "no"}}}},
        }
    ]
}


class ProfileIn(BaseModel):
    """A resident's profile (DESIGN.md) as the engine reads it: no id, no identity."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re", json_schema_extra=_STATUS_RULE)
    skills: list[Text] = Field(default_factory=list, max_length=200)
    experience: list[ExperienceIn] = Field(default_factory=list, max_length=200)
    qualifications: list[QualificationIn] = Field(default_factory=list, max_length=200)
    language_tests: list[LanguageTestIn] = Field(default_factory=list, max_length=50)
    credentials: list[Annotated[str, Field(pattern=CREDENTIAL_ID)]] = Field(default_factory=list, max_length=200)
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
            "pre-settled status), visa_holder, british_irish, prefer_not_to_say. Special-category data: nothing a "
            "recruiter receives depends on it. Decides the right to work when that is not stated, and concessions "
            "(refugees sit PLAB 1 free)."
        ),
    )
    english_evidence: list[Literal["qualification_taught_in_english", "uk_employer_reference"]] = Field(
        default_factory=list,
        max_length=2,
        description="English evidence other than a test: a professional qualification taught and examined in "
        "English; a UK health or care employer of 12 months who would vouch for your English (NMC SIFE, GMC "
        "structured reference)",
    )
    postcode: str | None = Field(default=None, max_length=8, pattern=UK_POSTCODE)
    hours: Literal["full_time", "part_time", "any"] = "any"


class ResidentIn(ProfileIn):
    """A resident as sent to ``POST /residents`` and ``PUT /residents/{id}``: the profile plus
    ``name`` and ``contact``, which are kept apart from matching. Ids and versions are the
    server's: a new record must not carry an ``id``; an update sends back the ``version`` it
    read (and may send the record's own ``id`` and ``consents`` unchanged, as read)."""

    name: str | None = Field(default=None, max_length=TEXT_MAX, pattern=PRINTABLE)
    contact: str | None = Field(default=None, max_length=TEXT_MAX, pattern=PRINTABLE)


class ResidentUpdateIn(ResidentIn):
    version: whole(ge=1) = Field(description="The version last read")  # type: ignore[valid-type]
    id: str | None = Field(default=None, max_length=40, description="Read-only: ignored when it is this record's")
    consents: list[str] | None = Field(default=None, max_length=50, description="Read-only: set with /consents")


#: Free text of a criterion: something printable in it (the engine reads up to 2,000 characters).
CriterionText = Annotated[str, Field(min_length=1, max_length=2_000, pattern=WORDS)]
#: A canonical credential id; the OpenAPI document lists the ones the credential graph knows.
CredentialRef = Annotated[str, Field(max_length=80, json_schema_extra={"x-credential-id": True})]


#: Where a criterion is judged, when the advert says so itself.
Assessed = Literal["profile", "interview", "after_offer"]


class CredentialCriterion(BaseModel):
    """``{"kind": "credential", "id": "nmc-registration-nurse"}`` (or ``check``: DBS and the like);
    ``"ids": [...]`` adds alternatives, any one of which meets it ("NMC registered nurse or midwife")."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")
    kind: Literal["credential", "check"]
    id: CredentialRef
    ids: list[CredentialRef] | None = Field(
        default=None, min_length=1, max_length=10, description="Other credentials that meet it as well as id"
    )
    text: CriterionText | None = None
    assessed: Assessed | None = None


class TextCriterion(BaseModel):
    """``{"kind": "experience", "text": "acute care", "years": 1}``, ``{"kind": "skill", "text": ...}``,
    ``{"kind": "quality", "text": "compassion"}``."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")
    kind: Literal[tuple(k for k in REQUIREMENT_KINDS if k not in ("credential", "check"))]  # type: ignore[misc]
    text: CriterionText
    years: float = Field(default=0, ge=0, le=70, description="Experience only")
    assessed: Assessed | None = None


def _criterion_shape(value: Any) -> str | None:
    if isinstance(value, str):
        return "text"
    if isinstance(value, CredentialCriterion):  # when serialising
        return "credential"
    if isinstance(value, TextCriterion):
        return "structured"
    if isinstance(value, dict):
        return "credential" if value.get("kind") in ("credential", "check") else "structured"
    return None


#: Free text, or a structured criterion (its ``kind`` says which shape): one problem per bad item.
Criterion = Annotated[
    Annotated[CriterionText, Tag("text")]
    | Annotated[CredentialCriterion, Tag("credential")]
    | Annotated[TextCriterion, Tag("structured")],
    Discriminator(
        _criterion_shape,
        custom_error_type="criterion",
        custom_error_message="a criterion is text, or an object with a 'kind'",
    ),
]
#: Criteria per list (essential, desirable); limits.MAX_CRITERIA says why.
MAX_CRITERIA = 40


class VacancySpecIn(BaseModel):
    """A vacancy as ``POST /assess`` reads it (DESIGN.md): criteria as free text or structured.
    Other fields (an import's salary, site, town, ...) are kept as given."""

    model_config = ConfigDict(extra="allow", regex_engine="python-re")
    id: str | None = Field(default=None, max_length=80, pattern=PRINTABLE)
    employer: str | None = Field(default=None, max_length=200, pattern=PRINTABLE)
    title: Annotated[str, Field(min_length=1, max_length=300, pattern=_PRINTABLE_WORDS)]
    band: str | None = Field(default=None, max_length=4, pattern=PRINTABLE)
    staff_group: str | None = Field(default=None, max_length=100, pattern=PRINTABLE)
    location: str | None = Field(default=None, max_length=300, pattern=PRINTABLE)
    hours: str | None = Field(default=None, max_length=20, pattern=PRINTABLE)
    contract: str | None = Field(default=None, max_length=20, pattern=PRINTABLE)
    closing_date: dt.date | None = Field(default=None, description="YYYY-MM-DD")
    essential: list[Criterion] = Field(default_factory=list, max_length=MAX_CRITERIA)
    desirable: list[Criterion] = Field(default_factory=list, max_length=MAX_CRITERIA)


class VacancyIn(VacancySpecIn):
    """A vacancy to store: its advert reference and employer are required; the id is the server's."""

    reference: Annotated[str, Field(min_length=1, max_length=80, pattern=_SOME_TEXT)] = Field(
        description="The employer's advert reference"
    )
    employer: Annotated[str, Field(min_length=1, max_length=200, pattern=_SOME_TEXT)]


class VacancyUpdateIn(VacancyIn):
    version: whole(ge=1) = Field(description="The version last read")  # type: ignore[valid-type]
    id: str | None = Field(default=None, max_length=80, description="Read-only: ignored when it is this record's")


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


class ExperienceReadOut(BaseModel):
    settings: list[str] = Field(description="Curated setting ids (fixtures/experience_settings.json), any of which")
    years: float
    recent: bool
    uk_only: bool = Field(description="Only UK (or NHS) work counts, because the criterion says so")


class RequirementOut(BaseModel):
    text: str
    kind: Literal["credential", "qualification", "experience", "skill", "language", "check", "quality", "condition"]
    concept_id: str | None
    label: str | None
    essential: bool
    met: bool
    assessed: Literal["profile", "interview", "after_offer"] = Field(
        description="Where it is judged: only 'profile' criteria decide eligible_now"
    )
    understood: bool = Field(description="false: the text was not read; it never blocks, the employer checks it")
    evidence: dict[str, Any] | None
    note: str | None = None
    any_of: list[str] | None = Field(default=None, description="Credentials any one of which meets it")
    methods: list[str] | None = Field(default=None, description="How the advert says it is assessed")
    experience: ExperienceReadOut | None = None


class GapOut(BaseModel):
    text: str
    kind: str
    closable: bool = Field(description="true: the pathway's steps close it")
    closed_by: list[str] = Field(description="The credential whose route closes it")
    steps: list[str]
    reason: str = Field(description="Plain words: on the route, or why no course closes it")


class AssessmentOut(BaseModel):
    eligible_now: bool = Field(description="Right to work and every essential criterion judged from the profile")
    fit: float = Field(ge=0, le=1)
    blocked_by: list[str]
    requirements: list[RequirementOut]
    pathway: PathwayOut | None
    bridge_roles: list[dict[str, Any]]
    explanation: str
    eligible_subject_to: list[str] = Field(
        default_factory=list, description="Open questions alone in the way, e.g. ['right-to-work'] when unknown"
    )
    reachable: bool = Field(default=False, description="Not blocked, and every gap is closed by the pathway")
    weeks_to_ready: int | None = Field(default=None, description="The pathway's critical path when reachable")
    gaps: list[GapOut] = Field(default_factory=list)


class PayProvenanceOut(BaseModel):
    """Which pay scale salaries come from (fixtures/pay_bands.json)."""

    scale: str
    country: str
    year: str
    source: str
    as_of: str
    unconfirmed_bands: list[str]


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
