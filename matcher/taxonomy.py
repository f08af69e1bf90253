"""The taxonomy: occupations, skills and qualifications as concepts with labels.

A taxonomy is a directory of JSON files (``occupations.json``, ``skills.json``,
``qualifications.json``; see fixtures/README.md). The curated default ships in
``fixtures/taxonomy``; ``matcher.esco`` builds the same structure from the ESCO download.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import TaxonomyError
from .settings import KINDS, check_kind

#: File name and top-level list key of each kind in a taxonomy directory.
FILES: dict[str, tuple[str, str]] = {
    "occupation": ("occupations.json", "occupations"),
    "skill": ("skills.json", "skills"),
    "qualification": ("qualifications.json", "qualifications"),
}
_CORE_KEYS = {"id", "label", "alt_labels", "esco_uri", "soc2020", "prior"}


def default_fixtures_dir() -> Path:
    """Where the shipped fixtures are: ``$USEIT_FIXTURES_DIR`` or ``fixtures/`` beside the package."""
    override = os.environ.get("USEIT_FIXTURES_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "fixtures"


@dataclass(frozen=True, slots=True)
class Concept:
    """One occupation, skill or qualification, with every label it is known by."""

    id: str
    kind: str
    label: str
    alt_labels: tuple[str, ...] = ()
    esco_uri: str | None = None
    soc2020: str | None = None
    #: 0-1 popularity (e.g. how many ESCO occupations need a skill); breaks near ties.
    prior: float = 0.0
    #: Everything else the record carries (band range, regulator, level, countries, ...).
    attributes: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def labels(self) -> tuple[str, ...]:
        """Preferred label first, then the alternatives."""
        return (self.label, *self.alt_labels)

    def to_record(self) -> dict[str, Any]:
        """The JSON record this concept was (or would be) loaded from."""
        record: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "alt_labels": list(self.alt_labels),
            "esco_uri": self.esco_uri,
            "soc2020": self.soc2020,
        }
        if self.prior:
            record["prior"] = round(self.prior, 4)
        record.update(self.attributes)
        return record


class Taxonomy:
    """Concepts of each kind, looked up by id; immutable once built."""

    def __init__(
        self, concepts: Iterable[Concept], *, name: str = "custom", metadata: Mapping[str, Any] | None = None
    ) -> None:
        self.name = name
        self.metadata: dict[str, Any] = dict(metadata or {})
        self._by_kind: dict[str, list[Concept]] = {kind: [] for kind in KINDS}
        self._by_id: dict[str, Concept] = {}
        problems: list[str] = []
        for concept in concepts:
            if concept.kind not in self._by_kind:
                problems.append(f"{concept.id}: unknown kind {concept.kind!r}")
                continue
            if concept.id in self._by_id:
                problems.append(f"{concept.id}: duplicate concept id")
                continue
            self._by_id[concept.id] = concept
            self._by_kind[concept.kind].append(concept)
        if problems:
            raise TaxonomyError("inconsistent taxonomy", problems)

    # -- lookup ---------------------------------------------------------------------------
    def concepts(self, kind: str) -> list[Concept]:
        """Every concept of ``kind``, in file order."""
        return list(self._by_kind[check_kind(kind)])

    def get(self, concept_id: str) -> Concept | None:
        return self._by_id.get(concept_id)

    def __getitem__(self, concept_id: str) -> Concept:
        try:
            return self._by_id[concept_id]
        except KeyError:
            raise KeyError(f"no concept {concept_id!r} in taxonomy {self.name!r}") from None

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._by_id

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def counts(self) -> dict[str, int]:
        return {kind: len(items) for kind, items in self._by_kind.items()}

    def by_esco_uri(self, kind: str) -> dict[str, Concept]:
        """Concepts of ``kind`` keyed by ESCO URI; where several share a URI, the first in file order."""
        out: dict[str, Concept] = {}
        for concept in self._by_kind[check_kind(kind)]:
            if concept.esco_uri:
                out.setdefault(concept.esco_uri, concept)
        return out

    # -- loading and saving ---------------------------------------------------------------
    @classmethod
    def load_default(cls) -> Taxonomy:
        """The curated health taxonomy shipped in ``fixtures/taxonomy``."""
        return cls.load_dir(default_fixtures_dir() / "taxonomy", name="curated")

    @classmethod
    def load_dir(cls, directory: str | os.PathLike[str], *, name: str | None = None) -> Taxonomy:
        """Load every kind file present in ``directory``; report all problems at once."""
        path = Path(directory)
        if not path.is_dir():
            raise TaxonomyError(f"taxonomy directory not found or not a directory: {path}")
        concepts: list[Concept] = []
        problems: list[str] = []
        metadata: dict[str, Any] = {}
        seen_ids: dict[str, str] = {}
        found = False
        for kind, (filename, key) in FILES.items():
            file = path / filename
            if not file.exists():
                continue
            found = True
            try:
                with file.open(encoding="utf-8") as handle:
                    document = json.load(handle)
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                problems.append(f"{file}: cannot read: {exc}")
                continue
            if not isinstance(document, dict) or not isinstance(document.get(key), list):
                problems.append(f"{file}: expected a JSON object with a list under {key!r}")
                continue
            metadata[kind] = {k: v for k, v in document.items() if k != key}
            for position, record in enumerate(document[key]):
                where = f"{filename}[{position}]"
                concept = _concept_from_record(kind, record, where, problems)
                if concept is None:
                    continue
                if concept.id in seen_ids:
                    problems.append(f"{where}: duplicate concept id {concept.id!r} (first in {seen_ids[concept.id]})")
                    continue
                seen_ids[concept.id] = where
                concepts.append(concept)
        if not found:
            names = ", ".join(f for f, _ in FILES.values())
            raise TaxonomyError(f"no taxonomy files in {path}: expected at least one of {names}")
        if problems:
            raise TaxonomyError(f"invalid taxonomy in {path}", problems)
        return cls(concepts, name=name or path.name, metadata=metadata)

    def save_dir(self, directory: str | os.PathLike[str]) -> Path:
        """Write one JSON file per non-empty kind (atomically, file by file)."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        for kind, (filename, key) in FILES.items():
            items = self._by_kind[kind]
            if not items:
                continue
            document = dict(self.metadata.get(kind, {}))
            document[key] = [c.to_record() for c in items]
            tmp = path / (filename + ".tmp")
            with tmp.open("w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False, separators=(",", ":"))
            tmp.replace(path / filename)
        return path


def _concept_from_record(kind: str, record: Any, where: str, problems: list[str]) -> Concept | None:
    if not isinstance(record, dict):
        problems.append(f"{where}: expected an object")
        return None
    found_problem = False
    concept_id, label = record.get("id"), record.get("label")
    if not isinstance(concept_id, str) or not concept_id.strip():
        problems.append(f"{where}: missing or empty 'id'")
        found_problem = True
    if not isinstance(label, str) or not label.strip():
        problems.append(f"{where} ({concept_id}): missing or empty 'label'")
        found_problem = True
    alt = record.get("alt_labels") or []
    if not isinstance(alt, list) or not all(isinstance(a, str) for a in alt):
        problems.append(f"{where} ({concept_id}): 'alt_labels' must be a list of strings")
        found_problem = True
    prior = record.get("prior", 0.0)
    if not isinstance(prior, (int, float)) or not 0.0 <= prior <= 1.0:
        problems.append(f"{where} ({concept_id}): 'prior' must be a number from 0 to 1")
        found_problem = True
    if found_problem:
        return None
    assert isinstance(concept_id, str) and isinstance(label, str)
    alt_labels = tuple(a.strip() for a in alt if a.strip() and a.strip() != label.strip())
    return Concept(
        id=concept_id.strip(),
        kind=kind,
        label=label.strip(),
        alt_labels=alt_labels,
        esco_uri=record.get("esco_uri") or None,
        soc2020=str(record["soc2020"]) if record.get("soc2020") else None,
        prior=float(prior),
        attributes={k: v for k, v in record.items() if k not in _CORE_KEYS},
    )
