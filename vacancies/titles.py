"""Read a vacancy title as a recruiter does: the role, with its band and staff group.

NHS titles put the role first and the ward or specialty after a dash ("Specialty Dentist - Oral
Surgery", "Staff Nurse - Acute Medical Unit"), name a register in brackets ("Senior Staff Nurse
(RMN)") and carry a band ("Band 5 Staff Nurse"). Each part is normalised; the reading whose
words the title contains, and whose band range and staff group agree with the advert's, wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher import Normaliser
from matcher.taxonomy import Concept
from matcher.workplaces import fold

_BAND = re.compile(r"\b(?:agenda for change\s+)?(?:afc\s+)?band\s*([1-9])\s*([a-d])?\b", re.IGNORECASE)
_SPLIT = re.compile(r"\s+[-–—|:]\s+|\s*\|\s*")
_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_SLASH = re.compile(r"\s+/\s+|\s+or\s+")
#: Register codes in brackets say which field of a profession the post is for.
_REGISTER_CODE = re.compile(r"^\s*(RMN|RNLD|RNMH|RGN|RSCN|RN|RM|RNA|ODP|HCPC|NMC)\b", re.IGNORECASE)
_STOP = {"and", "of", "in", "the", "for", "a", "an", "to", "with", "&"}
_BAND_ORDER = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8a": 8, "8b": 9, "8c": 10, "8d": 11, "9": 12}


@dataclass(frozen=True, slots=True)
class Title:
    occupation_id: str | None
    label: str | None
    score: float
    #: Which part of the title decided it ("head", "brackets", "alternative" or "whole").
    part: str | None = None


def _words(text: str) -> set[str]:
    return {w for w in fold(text).split() if w not in _STOP}


def _band_rank(band: str | None) -> int | None:
    if not band:
        return None
    found = _BAND.search(f"band {band}") if not str(band).lower().startswith("band") else _BAND.search(str(band))
    if not found:
        return None
    return _BAND_ORDER.get(found.group(1) + (found.group(2) or "").lower())


def read_title(normaliser: Normaliser, title: str, *, band: str | None = None, staff_group: str | None = None) -> Title:
    """The occupation a vacancy title names, weighed with the advert's band and staff group."""
    stated = _BAND.search(title)
    band = band or (stated.group(1) + (stated.group(2) or "") if stated else None)
    plain = " ".join(_BAND.sub(" ", title).split())
    head = _SPLIT.split(plain)[0]
    brackets = [a or b for a, b in _BRACKETS.findall(plain)]
    head_clean = " ".join(_BRACKETS.sub(" ", head).split()) or head
    parts: list[tuple[str, str]] = [(head_clean, "head")]
    alternatives = [p for p in _SLASH.split(head_clean) if p.strip()]
    if len(alternatives) > 1:
        parts += [(p.strip(), "alternative") for p in alternatives]
    parts += [(b.strip(), "brackets") for b in brackets if b.strip()]
    parts.append((plain, "whole"))
    texts = [text for text, _ in parts]
    results = normaliser.normalise_many(texts, kind="occupation", limit=5)
    head_words = _words(head_clean)
    rank = _band_rank(band)
    best: tuple[float, Concept, float, str] | None = None
    head_family: str | None = None
    for (_, part), result in zip(parts, results, strict=True):
        for match in result.matches:
            concept = normaliser.taxonomy[match.concept_id]
            adjusted = match.score * {"head": 1.0, "alternative": 0.97, "brackets": 0.9, "whole": 0.85}[part]
            if any(_words(label) and _words(label) <= head_words for label in concept.labels):
                adjusted += 0.08  # every word of one of its names is in the title's role part
            group = concept.attributes.get("staff_group")
            if staff_group and group:
                adjusted += 0.05 if fold(group) == fold(staff_group) else -0.10
            low, high = (_band_rank(concept.attributes.get(k)) for k in ("band_min", "band_max"))
            if rank is not None and low is not None and high is not None:
                adjusted += 0.05 if low <= rank <= high else -0.15
            if part == "head" and head_family is None:
                head_family = concept.attributes.get("family")
            if part == "brackets" and _REGISTER_CODE.match(_) and concept.attributes.get("family") == head_family:
                adjusted += 0.25  # "(RMN)": the field of the profession the head names
            if best is None or adjusted > best[0]:
                best = (adjusted, concept, match.score, part)
    if best is None:
        return Title(None, None, 0.0)
    _, concept, score, part = best
    return Title(concept.id, concept.label, score, part)
