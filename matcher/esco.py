"""Build a :class:`~matcher.taxonomy.Taxonomy` from the official ESCO CSV download.

Reads ``occupations_en.csv``, ``skills_en.csv`` and (for skill popularity and occupation
skill profiles) ``occupationSkillRelations.csv`` from the directory ESCO's portal produces.
Two modes:

* ``replace``: ESCO occupations and skills, plus the curated qualifications (ESCO has none);
* ``extend``: the curated taxonomy, with each ESCO concept either absorbed into the curated
  concept carrying its URI (its labels become alternative labels) or added as a new concept.

This service uses the ESCO classification of the European Commission.
"""

from __future__ import annotations

import csv
import math
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from .errors import TaxonomyError
from .taxonomy import Concept, Taxonomy

MODES = ("replace", "extend")
ESCO_ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
_REQUIRED = {
    "occupations_en.csv": {"conceptUri", "preferredLabel", "altLabels", "status"},
    "skills_en.csv": {"conceptUri", "preferredLabel", "altLabels", "status", "skillType"},
}
_RELATIONS = "occupationSkillRelations.csv"
#: Rows read between two calls of a ``progress`` callback (a call per row would cost more than the bar).
_PROGRESS_EVERY = 1_000


def _split_labels(cell: str | None) -> list[str]:
    # ESCO separates alternative labels by newlines in the CSV download and by " | " in
    # the collection files; accept both.
    if not cell:
        return []
    parts = cell.replace(" | ", "\n").split("\n")
    return [p.strip() for p in parts if p.strip()]


def _uuid(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def _rows(path: Path, required: set[str], progress: Callable[[int], None] | None = None) -> Iterator[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = required - set(reader.fieldnames or [])
            if missing:
                raise TaxonomyError(f"{path.name}: not an ESCO CSV; missing columns {', '.join(sorted(missing))}")
            if progress is None:
                yield from reader
                return
            unreported = 0
            for row in reader:
                yield row
                unreported += 1
                if unreported == _PROGRESS_EVERY:
                    progress(unreported)
                    unreported = 0
            progress(unreported)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise TaxonomyError(f"cannot read {path}: {exc}") from exc


def read_esco(directory: str | os.PathLike[str], *, progress: Callable[[int], None] | None = None) -> list[Concept]:
    """ESCO occupations and skills (released concepts only) as concepts.

    ``progress``, when given, is called with the number of CSV rows read since its last call
    (for a progress bar; about 140,000 rows in all for ESCO v1.1.1).
    """
    path = Path(directory)
    if not path.is_dir():
        raise TaxonomyError(f"ESCO directory not found or not a directory: {path}")
    missing = [name for name in _REQUIRED if not (path / name).is_file()]
    if missing:
        raise TaxonomyError(f"not an ESCO download: {path} lacks {', '.join(missing)}")

    essential: dict[str, list[str]] = defaultdict(list)
    optional: dict[str, list[str]] = defaultdict(list)
    weight: defaultdict[str, float] = defaultdict(float)
    relations = path / _RELATIONS
    if relations.is_file():
        for row in _rows(relations, {"occupationUri", "relationType", "skillUri"}, progress):
            is_essential = row["relationType"] == "essential"
            (essential if is_essential else optional)[row["occupationUri"]].append(row["skillUri"])
            # An essential link says more about a skill's reach than an optional one.
            weight[row["skillUri"]] += 1.0 if is_essential else 0.5
    top = max(weight.values(), default=1.0)

    concepts: list[Concept] = []
    for row in _rows(path / "occupations_en.csv", _REQUIRED["occupations_en.csv"], progress):
        if row["status"] != "released":
            continue
        uri = row["conceptUri"]
        alt = _split_labels(row.get("altLabels")) + _split_labels(row.get("hiddenLabels"))
        concepts.append(
            Concept(
                id=f"occ-esco-{_uuid(uri)}",
                kind="occupation",
                label=row["preferredLabel"].strip(),
                alt_labels=tuple(a for a in dict.fromkeys(alt) if a != row["preferredLabel"].strip()),
                esco_uri=uri,
                attributes={
                    "isco08": (row.get("iscoGroup") or "").strip() or None,
                    "esco_code": (row.get("code") or "").strip() or None,
                    "description": (row.get("description") or "").strip() or None,
                    "essential_skills": essential.get(uri, []),
                    "optional_skills": optional.get(uri, []),
                    "source": "ESCO v1.1.1",
                },
            )
        )
    for row in _rows(path / "skills_en.csv", _REQUIRED["skills_en.csv"], progress):
        if row["status"] != "released":
            continue
        uri = row["conceptUri"]
        alt = _split_labels(row.get("altLabels")) + _split_labels(row.get("hiddenLabels"))
        concepts.append(
            Concept(
                id=f"skill-esco-{_uuid(uri)}",
                kind="skill",
                label=row["preferredLabel"].strip(),
                alt_labels=tuple(a for a in dict.fromkeys(alt) if a != row["preferredLabel"].strip()),
                esco_uri=uri,
                prior=math.log1p(weight.get(uri, 0.0)) / math.log1p(top) if weight else 0.0,
                attributes={
                    "skill_type": row.get("skillType") or None,
                    "reuse_level": row.get("reuseLevel") or None,
                    "description": (row.get("description") or "").strip() or None,
                    "source": "ESCO v1.1.1",
                },
            )
        )
    if not concepts:
        raise TaxonomyError(f"no released concepts in {path}")
    return concepts


def import_esco(
    directory: str | os.PathLike[str],
    *,
    base: Taxonomy | None = None,
    mode: str = "replace",
    progress: Callable[[int], None] | None = None,
) -> Taxonomy:
    """A taxonomy from ESCO in ``mode`` ("replace" or "extend") relative to ``base`` (curated default).

    ``progress`` is passed to :func:`read_esco` (rows read).
    """
    if mode not in MODES:
        raise TaxonomyError(f"unknown import mode {mode!r}; expected one of: {', '.join(MODES)}")
    base = base if base is not None else Taxonomy.load_default()
    esco = read_esco(directory, progress=progress)
    metadata = {
        kind: {"source": "ESCO v1.1.1 CSV download", "licence_note": ESCO_ATTRIBUTION}
        for kind in ("occupation", "skill")
    }
    metadata["qualification"] = base.metadata.get("qualification", {})
    if mode == "replace":
        concepts = esco + base.concepts("qualification")
        return Taxonomy(concepts, name="esco", metadata=metadata)

    merged: list[Concept] = []
    # Several curated concepts may share a URI (eight nursing roles are ESCO's one general
    # nurse): the ESCO labels go to the first, so no label is duplicated.
    by_uri: dict[str, Concept] = {}
    for kind in ("occupation", "skill"):
        by_uri.update(base.by_esco_uri(kind))
    absorbed: dict[str, list[Concept]] = defaultdict(list)
    extra: list[Concept] = []
    for concept in esco:
        owner = by_uri.get(concept.esco_uri or "")
        if owner is not None and owner.kind == concept.kind:
            absorbed[owner.id].append(concept)
        else:
            extra.append(concept)
    for concept in base:
        parts = absorbed.get(concept.id)
        if parts:
            labels = [*concept.alt_labels]
            for part in parts:
                labels.extend(part.labels)
            alt = tuple(lbl for lbl in dict.fromkeys(labels) if lbl != concept.label)
            prior = max([concept.prior, *(p.prior for p in parts)])
            concept = replace(concept, alt_labels=alt, prior=prior)
        merged.append(concept)
    return Taxonomy(merged + extra, name="curated+esco", metadata=metadata)
