"""Requirements: what a vacancy's criteria ask for, in a form the engine can check.

``vacancies/`` turns free-text and structured criteria into these; ``matcher.assessment``
checks each against a resident and records the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REQUIREMENT_KINDS = (
    "credential",
    "skill",
    "qualification",
    "experience",
    "language",
    "check",
    "quality",
    "condition",
)
#: Where a criterion is judged: from the resident's profile (it can stop "eligible now"), at
#: interview (personal qualities, willingness, abilities shown in person) or after an offer
#: (pre-employment checks). Only ``profile`` criteria decide eligibility.
ASSESSED = ("profile", "interview", "after_offer")
#: Method-of-assessment markers adverts print ("(A)", "(I)", "Application/Interview").
ASSESSMENT_METHODS = ("application", "interview", "test", "references", "certificates", "presentation")


@dataclass(frozen=True, slots=True)
class Requirement:
    text: str
    kind: str
    essential: bool
    #: Taxonomy concept (skill, occupation or qualification) or credential id it stands for.
    concept_id: str | None = None
    label: str | None = None
    #: For credentials and checks: the canonical credential id.
    credential: str | None = None
    #: For experience: years asked for (0 when unstated).
    years: float = 0.0
    #: For qualifications: the level asked for and whether "or equivalent" was written.
    level: int | None = None
    profession: str | None = None
    or_equivalent: bool = False
    #: "Willingness to complete ..." criteria: provided by the employer after starting.
    on_the_job: bool = False
    #: Normalisation score of the criterion text (provenance).
    score: float | None = None
    #: Where it is judged (see :data:`ASSESSED`).
    assessed: str = "profile"
    #: False when the text could not be read: it then never blocks, and the employer checks it.
    understood: bool = True
    #: Credential ids any one of which meets the criterion ("RN/RMN/RNLD", "NMC registered nurse
    #: or midwife"); ``credential`` is the first of them.
    alternatives: tuple[str, ...] = ()
    #: How the advert says it is assessed (see :data:`ASSESSMENT_METHODS`), when it says.
    methods: tuple[str, ...] = ()
    #: For experience of a setting or activity: curated setting ids, any one of which meets it
    #: ("a hospital or care home setting": hospital, care-home).
    settings: tuple[str, ...] = ()
    #: For experience: only UK (or NHS) experience counts, because the text says so.
    uk_only: bool = False
    #: For experience: "recent" experience (within the last few years) is asked for.
    recent: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def credentials(self) -> tuple[str, ...]:
        """Every credential id that meets this criterion (one, several alternatives, or none)."""
        if self.alternatives:
            return self.alternatives
        return (self.credential,) if self.credential else ()

    @property
    def decides_eligibility(self) -> bool:
        """Essential, read, and judged from the profile: the criteria a shortlister screens on."""
        return self.essential and self.understood and self.assessed == "profile"

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "text": self.text,
            "kind": self.kind,
            "concept_id": self.concept_id if self.concept_id else self.credential,
            "label": self.label,
            "essential": self.essential,
            "assessed": self.assessed,
            "understood": self.understood,
        }
        if len(self.alternatives) > 1:
            record["any_of"] = list(self.alternatives)
        if self.methods:
            record["methods"] = list(self.methods)
        if self.kind == "experience":
            record["experience"] = {
                "settings": list(self.settings),
                "years": self.years,
                "recent": self.recent,
                "uk_only": self.uk_only,
            }
        return record

    def to_record(self) -> dict[str, Any]:
        """Every field, for storing a parsed vacancy (see :meth:`from_record`)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Requirement:
        fields = {k: v for k, v in record.items() if k in cls.__dataclass_fields__}
        for name in ("alternatives", "methods", "settings"):  # stored as JSON lists
            if name in fields:
                fields[name] = tuple(fields[name] or ())
        return cls(**fields)


@dataclass(frozen=True, slots=True)
class ParsedVacancy:
    """A vacancy with its criteria turned into requirements (``vacancies.parse_vacancy``)."""

    id: str | None
    title: str
    requirements: tuple[Requirement, ...]
    occupation_id: str | None = None
    profession: str | None = None
    band: str | None = None
    employer: str | None = None
    #: Version of the criteria parser that made it (a stored parse from an older one is redone).
    parser: int = 0
    record: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready form, so a vacancy parsed once when written need not be parsed again."""
        return {
            "id": self.id,
            "title": self.title,
            "requirements": [r.to_record() for r in self.requirements],
            "occupation_id": self.occupation_id,
            "profession": self.profession,
            "band": self.band,
            "employer": self.employer,
            "parser": self.parser,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ParsedVacancy:
        return cls(
            id=record.get("id"),
            title=record["title"],
            requirements=tuple(Requirement.from_record(r) for r in record.get("requirements") or ()),
            occupation_id=record.get("occupation_id"),
            profession=record.get("profession"),
            band=record.get("band"),
            employer=record.get("employer"),
            parser=int(record.get("parser") or 0),
        )
