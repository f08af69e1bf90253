"""Recognise a qualification from what a resident wrote and where it was awarded.

"M.B.B.S., King Edward Medical University, Lahore" from Pakistan is a primary medical
qualification that opens the GMC route; "MD" from Syria is one too, while "MD" from India is
a postgraduate specialist degree held by someone who already has an MBBS. The text is matched
by the :class:`~matcher.normaliser.Normaliser` (which also tries each comma- or bracket-
separated part, so institution names mixed in do no harm); the country then moves awards given
there up and awards given only elsewhere down.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .countries import load_countries
from .errors import InvalidInputError
from .normaliser import Normaliser
from .results import Match, NormaliseResult

#: "grade D", "grade 3", "(C)": a grade the text states, for awards with a minimum grade.
_STATED_GRADE = re.compile(r"\bgrade\s*([A-G]\*?|[1-9])\b|\(([A-G]\*?|[1-9])\)", re.IGNORECASE)
_LETTER_RANK = {"G": 1, "F": 2, "E": 3, "D": 4, "C": 5, "B": 6, "A": 7, "A*": 8}
#: "Level 3", "level-2", "L3", "RQF 4": a level the text states.
_STATED_LEVEL = re.compile(r"\b(?:level|lvl|rqf|nvq|l)\s*-?\s*([1-8])\b", re.IGNORECASE)
_ANYWHERE = "*"


def normalise_country(country: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code in upper case from a code or an English name (``"uk"`` -> ``"GB"``,
    ``"Pakistan"`` -> ``"PK"``), or None; a country not in fixtures/countries.json raises."""
    if country is None or not str(country).strip():
        return None
    found = load_countries().find(str(country))
    if found is None:
        raise InvalidInputError(
            f"country: {str(country).strip()!r} is not a country we know; give an ISO 3166 code such as PK or NG, "
            "or an English name such as Pakistan"
        )
    return found


@dataclass(frozen=True, slots=True)
class RecognisedQualification:
    """A qualification concept with what it means for UK registration."""

    concept_id: str
    label: str
    confidence: float
    method: str
    profession: str | None
    regulator: str | None
    level: int | None
    country: str | None
    uk: bool
    satisfies: tuple[str, ...]
    source: str | None
    as_of: str | None
    unconfirmed: bool
    matched_label: str
    #: The award's minimum grade rule, when it has one (GCSE grade 4/C).
    grade_rule: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept_id": self.concept_id,
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "method": self.method,
            "profession": self.profession,
            "regulator": self.regulator,
            "level": self.level,
            "country": self.country,
            "uk": self.uk,
            "satisfies": list(self.satisfies),
            "source": self.source,
            "as_of": self.as_of,
            "unconfirmed": self.unconfirmed,
            "matched_label": self.matched_label,
        }


class QualificationRecogniser:
    """Text plus country -> recognised qualification(s), best first."""

    def __init__(self, normaliser: Normaliser) -> None:
        self.normaliser = normaliser
        self.taxonomy = normaliser.taxonomy
        self.settings = normaliser.settings

    def recognise(
        self, text: str, country: str | None = None, *, limit: int = 3, cutoff: float | None = None
    ) -> list[RecognisedQualification]:
        """Ranked recognitions for one qualification (empty when nothing clears the cutoff)."""
        return self.recognise_many([text], [country], limit=limit, cutoff=cutoff)[0]

    def best(self, text: str, country: str | None = None) -> RecognisedQualification | None:
        found = self.recognise(text, country, limit=1)
        return found[0] if found else None

    def recognise_many(
        self,
        texts: Sequence[str],
        countries: Sequence[str | None],
        *,
        limit: int = 3,
        cutoff: float | None = None,
    ) -> list[list[RecognisedQualification]]:
        """Recognise many at once (one sparse product for the lot)."""
        if len(texts) != len(countries):
            raise InvalidInputError("texts and countries must be the same length")
        problems: list[str] = []
        codes: list[str | None] = []
        for position, country in enumerate(countries):
            try:
                codes.append(normalise_country(country))
            except InvalidInputError as exc:
                problems.append(f"text {position + 1}: {exc.message}")
                codes.append(None)
        problems.extend(self.normaliser.check_texts(texts))
        if problems:
            raise InvalidInputError("cannot recognise qualifications", problems)
        cutoff = self.settings.cutoff if cutoff is None else cutoff
        pool = max(limit, self.settings.limit) * 2
        results = self.normaliser.normalise_many(texts, kind="qualification", limit=pool, cutoff=0.0)
        return [
            [_apply_grade(r, text) for r in self._rank(result, code, limit, cutoff, _stated_levels(text))]
            for result, code, text in zip(results, codes, texts, strict=True)
        ]

    def normalise_with_attributes(
        self, texts: Sequence[str], country: str | None = None, *, limit: int | None = None, cutoff: float | None = None
    ) -> list[NormaliseResult]:
        """Normalise results of the contract for kind ``qualification`` (with profession, regulator, ...)."""
        limit = self.settings.limit if limit is None else limit
        ranked = self.recognise_many(texts, [country] * len(texts), limit=limit, cutoff=cutoff)
        out: list[NormaliseResult] = []
        for text, recognitions in zip(texts, ranked, strict=True):
            matches = tuple(
                Match(
                    concept_id=r.concept_id,
                    label=r.label,
                    score=r.confidence,
                    method=r.method,
                    esco_uri=self.taxonomy[r.concept_id].esco_uri,
                    soc2020=self.taxonomy[r.concept_id].soc2020,
                    matched_label=r.matched_label,
                    extra={
                        "profession": r.profession,
                        "regulator": r.regulator,
                        "level": r.level,
                        "country": r.country,
                    },
                )
                for r in recognitions
            )
            out.append(NormaliseResult(text, "qualification", matches))
        return out

    def _rank(
        self, result: NormaliseResult, country: str | None, limit: int, cutoff: float, levels: set[int]
    ) -> list[RecognisedQualification]:
        adjusted: list[tuple[float, Match]] = []
        for match in result.matches:
            concept = self.taxonomy[match.concept_id]
            awarded_in = set(concept.attributes.get("countries") or [])
            score = match.score
            if country and awarded_in:
                if country in awarded_in:
                    score += self.settings.country_bonus
                elif _ANYWHERE not in awarded_in:
                    score -= self.settings.country_penalty
            level = concept.attributes.get("level")
            if levels and isinstance(level, int) and level not in levels:
                score -= self.settings.level_mismatch_penalty
            adjusted.append((score, match))
        # Rank on the uncapped score (a boosted exact match must still beat a boosted part
        # match); report confidence capped to 0-1.
        adjusted.sort(key=lambda item: (-item[0], item[1].concept_id))
        out: list[RecognisedQualification] = []
        for score, match in adjusted:
            if score < cutoff or len(out) == limit:
                break
            out.append(self._recognised(match, min(score, 1.0), country))
        return out

    def _recognised(self, match: Match, score: float, country: str | None) -> RecognisedQualification:
        concept = self.taxonomy[match.concept_id]
        attributes = concept.attributes
        # The country the award is from: the resident's, when the award is given there (or
        # anywhere); otherwise the one country that awards it, if there is just one.
        countries = list(attributes.get("countries") or [])
        if not (country and (country in countries or _ANYWHERE in countries)):
            specific = [c for c in countries if c != _ANYWHERE]
            country = specific[0] if len(specific) == 1 else None
        level = attributes.get("level")
        return RecognisedQualification(
            concept_id=concept.id,
            label=concept.label,
            confidence=max(0.0, score),
            method=match.method,
            profession=attributes.get("profession"),
            regulator=attributes.get("regulator"),
            level=int(level) if isinstance(level, int) else None,
            country=country,
            uk=bool(attributes.get("uk", False)),
            satisfies=tuple(attributes.get("satisfies") or ()),
            source=attributes.get("source"),
            as_of=attributes.get("as_of"),
            unconfirmed=bool(attributes.get("unconfirmed", False)),
            matched_label=match.matched_label,
            grade_rule=dict(attributes.get("min_grade") or {}),
        )


def _stated_levels(text: str) -> set[int]:
    return {int(m) for m in _STATED_LEVEL.findall(text)}


def _grade_below(stated: str, minimum: dict[str, object]) -> bool:
    if stated.isdigit():
        return int(stated) < int(str(minimum.get("numbers", 0)))
    letter = stated.upper()
    return _LETTER_RANK.get(letter, 0) < _LETTER_RANK.get(str(minimum.get("letters", "G")).upper(), 0)


def _apply_grade(found: RecognisedQualification, text: str) -> RecognisedQualification:
    """An award with a minimum grade (GCSE 4/C) held at a lower stated grade is the lower award:
    its level drops and it no longer counts as, say, Functional Skills Level 2."""
    minimum = found.grade_rule
    if not minimum:
        return found
    grades = [a or b for a, b in _STATED_GRADE.findall(text)]
    if not grades or not all(_grade_below(g, minimum) for g in grades):
        return found
    below = minimum.get("below_level")
    satisfies = tuple(str(c) for c in minimum.get("below_satisfies") or ())
    # A lower band it still meets (GCSE grade 3/D: the level 1 standard some adverts ask for).
    for band in minimum.get("lower") or ():
        if isinstance(band, dict) and not any(_grade_below(g, band) for g in grades):
            satisfies = (*satisfies, *(str(c) for c in band.get("satisfies") or ()))
            break
    return replace(
        found,
        level=int(below) if isinstance(below, int) else found.level,
        satisfies=satisfies,
        label=f"{found.label}: held at grade {grades[0].upper()}, below the minimum",
    )
