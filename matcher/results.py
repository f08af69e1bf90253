"""Result records: frozen, with provenance, and serialisable to the JSON contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Match:
    """One concept a text was matched to, and how."""

    concept_id: str
    label: str
    score: float
    #: "exact" (the preferred label), "alias" (an alternative label), "stem" (the same words
    #: once stemmed and reordered) or "fuzzy" (retrieved and re-ranked by similarity).
    method: str
    esco_uri: str | None = None
    soc2020: str | None = None
    #: The label of the concept that the text matched (provenance for "alias" and "fuzzy").
    matched_label: str = ""
    #: Extra fields for the kind (qualifications: profession, regulator, level, country).
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "concept_id": self.concept_id,
            "label": self.label,
            "score": round(self.score, 4),
            "method": self.method,
            "esco_uri": self.esco_uri,
            "soc2020": self.soc2020,
            "matched_label": self.matched_label,
        }
        record.update(self.extra)
        return record


@dataclass(frozen=True, slots=True)
class NormaliseResult:
    """The matches for one input text, best first; empty when nothing cleared the cutoff."""

    text: str
    kind: str
    matches: tuple[Match, ...]

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "matches": [m.to_dict() for m in self.matches]}
