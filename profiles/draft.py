"""What extraction returns: a draft profile, and every item with the words it came from.

Nothing here is a saved resident. The draft ``profile`` always passes
``matcher.Resident.from_dict`` (items that need an answer first, such as an English test
without all four parts, stay out of it and say what is ``missing``), and ``right_to_work`` is
always "unknown": what the text suggests is a hint the resident confirms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Kinds of item, in the order a resident reads them.
ITEM_KINDS = (
    "experience",
    "qualification",
    "language_test",
    "credential",
    "skill",
    "language",
    "right_to_work",
    "immigration_status",
    "postcode",
    "hours",
)


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of the text that was read (for a file, the text read from it)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Item:
    """One thing found, the words it came from, and how sure the extractor is (0-1)."""

    kind: str
    value: dict[str, Any]
    span: Span
    confidence: float
    #: Fields the resident must give before the item can count ("listening", "title", ...).
    missing: tuple[str, ...] = ()
    #: Plain-language note for the resident ("we guessed the job title from the workplace").
    note: str | None = None
    #: How it was found ("date range", "exact label", "fuzzy label", "phrase", ...).
    method: str = ""

    def to_dict(self, *, number: int, in_profile: bool) -> dict[str, Any]:
        return {
            "id": f"item-{number}",
            "kind": self.kind,
            "value": self.value,
            "span": self.span.to_dict(),
            "confidence": round(self.confidence, 3),
            "method": self.method,
            "in_profile": in_profile,
            "missing": list(self.missing),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft profile for a resident to confirm; see the module docstring."""

    profile: dict[str, Any]
    items: tuple[Item, ...]
    in_profile: tuple[bool, ...]
    source: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "items": [
                item.to_dict(number=n, in_profile=kept)
                for n, (item, kept) in enumerate(zip(self.items, self.in_profile, strict=True), start=1)
            ],
            "source": self.source,
            "warnings": list(self.warnings),
        }
