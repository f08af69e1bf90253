"""Requirements: what a vacancy's criteria ask for, in a form the engine can check.

``vacancies/`` turns free-text and structured criteria into these; ``matcher.assessment``
checks each against a resident and records the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REQUIREMENT_KINDS = ("credential", "skill", "qualification", "experience", "language", "check")


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
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "concept_id": self.concept_id if self.concept_id else self.credential,
            "label": self.label,
            "essential": self.essential,
        }

    def to_record(self) -> dict[str, Any]:
        """Every field, for storing a parsed vacancy (see :meth:`from_record`)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Requirement:
        return cls(**{k: v for k, v in record.items() if k in cls.__dataclass_fields__})


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
        )
