"""Finding residents as an adviser thinks of them: by profession, qualification, country, English
and how ready they are for the open jobs, not only by name and postcode.

The facts come from the evidence the process's resident index already holds (qualifications
recognised, professions, credentials held, English results that meet a regulator's level), so a
search reads no profile twice. Readiness needs each resident matched against the open vacancies:
it is worked out for the residents the other filters leave (at most ``READINESS_LIMIT``), and
remembered per resident version, set of open vacancies and day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app

from matcher import ParsedVacancy, ResidentIndex
from matcher.assessment import ResidentEvidence
from matcher.matching import match_resident

#: The English a resident has shown, as an adviser asks about it, most useful first.
ENGLISH = {
    "regulator": "Meets a regulator's English level (IELTS or OET)",
    "level2": "Level 2 English (GCSE grade 4, Functional Skills or equivalent)",
    "below": "A test result below the levels asked, or other evidence only",
    "none": "No English test or evidence recorded",
}
READINESS = {
    "now": "Can apply for an open job now",
    "year": "Could be ready for an open job within a year",
    "later": "No open job within a year",
}
#: Residents whose readiness one search works out (matching each against every open vacancy).
READINESS_LIMIT = 400
_REGULATOR_ENGLISH_PREFIX = "english-"


@dataclass(frozen=True, slots=True)
class Facts:
    professions: tuple[str, ...]
    qualifications: tuple[str, ...]
    countries: tuple[str, ...]
    english: str


def facts_of(evidence: ResidentEvidence) -> Facts:
    resident = evidence.resident
    held = set(evidence.held)
    if any(c.startswith(_REGULATOR_ENGLISH_PREFIX) for c in held):
        english = "regulator"
    elif "functional-skills-english-l2" in held:
        english = "level2"
    elif resident.language_tests or resident.english_evidence:
        english = "below"
    else:
        english = "none"
    countries = {q.country for q in resident.qualifications if q.country}
    countries |= {country for _, _, country in evidence.experience if country}
    titles = [q.title for q in resident.qualifications]
    titles += [q.label for _, q in evidence.qualifications if q is not None and q.label]
    return Facts(
        professions=tuple(sorted(evidence.professions)),
        qualifications=tuple(dict.fromkeys(titles)),
        countries=tuple(sorted(c for c in countries if c)),
        english=english,
    )


def readiness(
    index: ResidentIndex,
    row: int,
    version: int,
    vacancies: list[tuple[str, ParsedVacancy]],
    today: date,
    signature: Any,
) -> tuple[str, int | None]:
    """("now" | "year" | "later", weeks to the nearest open job or None), remembered while
    ``signature`` (the day, and the open vacancies at their versions, built once per search) holds."""
    cache: dict[tuple[str, int], tuple[Any, tuple[str, int | None]]] = current_app.extensions.setdefault(
        "useit_readiness", {}
    )
    key = (index.residents[row].id or "", version)
    found = cache.get(key)
    if found is not None and found[0] == signature:
        return found[1]
    matches = match_resident(
        index.assessor, index.evidence[row], [v for _, v in vacancies], reachable_within_weeks=52, today=today
    )
    if matches.open_now:
        answer: tuple[str, int | None] = ("now", 0)
    elif matches.reachable:
        answer = ("year", min((r.assessment.weeks_to_ready or 0) for r in matches.reachable))
    else:
        answer = ("later", None)
    if len(cache) > 50_000:  # bounded: a worker's memory is not a store
        cache.clear()
    cache[key] = (signature, answer)
    return answer
