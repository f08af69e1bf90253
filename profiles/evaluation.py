"""Field-level precision and recall of drafts against the profiles a careful adviser wrote, and
the simple baseline they are compared with (used by ``benchmarks/extract.py`` and the tests).

Each field a draft fills is a prediction; each field the adviser filled is a gold field. Jobs,
qualifications and tests are first paired (title to title), then every field of a pair is
compared: a job title or qualification agrees when both normalise to the same concept (or read
nearly the same), years within half a year (or 15%), employers and institutions when one holds
the other. Skills agree by concept, credentials by id, languages by name.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from matcher import Normaliser
from matcher.qualifications import QualificationRecogniser
from matcher.text import normalise_text

from .dates import periods
from .draft import Draft
from .lexicon import load_lexicon
from .skills import language_names

GROUPS = ("experience", "qualifications", "language_tests", "credentials", "skills", "languages", "status")
PARTS = ("listening", "reading", "writing", "speaking", "overall")
#: The day the fixtures were written ("2019 - present" runs to it).
FIXTURES_TODAY = date(2026, 12, 1)


@dataclass(slots=True)
class Tally:
    correct: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Tally) -> None:
        self.correct += other.correct
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Scores:
    groups: dict[str, Tally] = field(default_factory=lambda: {g: Tally() for g in GROUPS})

    def add(self, other: Scores) -> None:
        for name, tally in other.groups.items():
            self.groups[name].add(tally)

    @property
    def total(self) -> Tally:
        out = Tally()
        for tally in self.groups.values():
            out.add(tally)
        return out


def load_case(path: Path) -> tuple[str, dict[str, Any]]:
    """A fixture's text and the adviser's profile beside it."""
    return path.read_text(encoding="utf-8"), json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def predicted_profile(draft: Draft) -> dict[str, Any]:
    """What the draft pre-fills, in the fixtures' shape (every item shown, partial tests too)."""
    out: dict[str, Any] = {
        "experience": [],
        "qualifications": [],
        "language_tests": [],
        "credentials": [],
        "skills": [],
        "languages": [],
        "right_to_work_hint": None,
        "immigration_status_hint": None,
        "postcode": None,
        "hours": "any",
    }
    for item in draft.items:
        value = item.value
        if item.kind == "experience":
            out["experience"].append({k: v for k, v in value.items() if v is not None})
        elif item.kind == "qualification":
            record = {k: value.get(k) for k in ("title", "institution", "country", "year")}
            out["qualifications"].append({k: v for k, v in record.items() if v is not None})
        elif item.kind == "language_test":
            out["language_tests"].append(dict(value))
        elif item.kind == "credential":
            out["credentials"].append(value["id"])
        elif item.kind == "skill":
            out["skills"].append(value["concept_id"])
        elif item.kind == "language":
            out["languages"].append(value["language"])
        elif item.kind == "right_to_work" and out["right_to_work_hint"] is None:
            out["right_to_work_hint"] = value["hint"]
        elif item.kind == "immigration_status":
            out["immigration_status_hint"] = value["hint"]
        elif item.kind == "postcode":
            out["postcode"] = value["postcode"]
        elif item.kind == "hours":
            out["hours"] = value["hours"]
    return out


class Scorer:
    """Compares predicted profiles with gold ones (concepts through one fitted normaliser)."""

    def __init__(self, normaliser: Normaliser) -> None:
        self.normaliser = normaliser
        self.recogniser = QualificationRecogniser(normaliser)
        self.skill_ids = {c.label.casefold(): c.id for c in normaliser.taxonomy.concepts("skill")}
        self._occupation: dict[str, str | None] = {}
        self._qualification: dict[tuple[str, str | None], str | None] = {}

    def occupation(self, title: str) -> str | None:
        if title not in self._occupation:
            best = self.normaliser.normalise(title, kind="occupation").best if normalise_text(title) else None
            self._occupation[title] = best.concept_id if best else None
        return self._occupation[title]

    def qualification(self, title: str, country: str | None) -> str | None:
        key = (title, country)
        if key not in self._qualification:
            best = self.recogniser.best(title, country) if normalise_text(title) else None
            self._qualification[key] = best.concept_id if best else None
        return self._qualification[key]

    def same_title(self, a: str | None, b: str | None, *, kind: str, country: str | None = None) -> bool:
        if not a or not b:
            return False
        if fuzz.token_set_ratio(a.casefold(), b.casefold()) >= 85:
            return True
        if kind == "occupation":
            first, second = self.occupation(a), self.occupation(b)
        else:
            first, second = self.qualification(a, country), self.qualification(b, country)
        return first is not None and first == second

    def score(self, predicted: dict[str, Any], gold: dict[str, Any]) -> Scores:
        scores = Scores()
        scores.groups["experience"] = self._pairs(
            predicted["experience"], gold["experience"], ("title", "employer", "country", "years"), "occupation"
        )
        scores.groups["qualifications"] = self._pairs(
            predicted["qualifications"], gold["qualifications"], ("title", "institution", "country", "year"), "qual"
        )
        scores.groups["language_tests"] = self._tests(predicted["language_tests"], gold["language_tests"])
        scores.groups["credentials"] = _sets(predicted["credentials"], gold["credentials"])
        gold_skills = [self.skill_ids[s.casefold()] for s in gold["skills"]]
        scores.groups["skills"] = _sets(predicted["skills"], gold_skills)
        scores.groups["languages"] = _sets(predicted["languages"], gold["languages"])
        status = Tally()
        for name in ("right_to_work_hint", "immigration_status_hint", "postcode", "hours"):
            blank = "any" if name == "hours" else None
            p, g = predicted.get(name, blank), gold.get(name, blank)
            status.predicted += p != blank
            status.gold += g != blank
            status.correct += p != blank and p == g
        scores.groups["status"] = status
        return scores

    def _agree(self, name: str, p: Any, g: Any, kind: str, country: str | None) -> bool:
        if name == "title":
            return self.same_title(
                p, g, kind="occupation" if kind == "occupation" else "qualification", country=country
            )
        if name in ("employer", "institution"):
            return fuzz.partial_ratio(str(p).casefold(), str(g).casefold()) >= 85
        if name == "years":
            return abs(float(p) - float(g)) <= max(0.5, 0.15 * float(g))
        return bool(p == g)

    def _pairs(
        self, predicted: list[dict[str, Any]], gold: list[dict[str, Any]], fields: tuple[str, ...], kind: str
    ) -> Tally:
        tally = Tally()
        tally.predicted = sum(1 for p in predicted for f in fields if p.get(f) is not None)
        tally.gold = sum(1 for g in gold for f in fields if g.get(f) is not None)
        options = []
        for i, p in enumerate(predicted):
            for j, g in enumerate(gold):
                country = g.get("country")
                agree = {
                    f: p.get(f) is not None and g.get(f) is not None and self._agree(f, p[f], g[f], kind, country)
                    for f in fields
                }
                if agree["title"] or agree.get("employer") or agree.get("institution"):
                    options.append((sum(agree.values()) + agree["title"], i, j, agree))
        used_p: set[int] = set()
        used_g: set[int] = set()
        for _weight, i, j, agree in sorted(options, key=lambda o: -o[0]):
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            tally.correct += sum(agree.values())
        return tally

    def _tests(self, predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> Tally:
        tally = Tally()
        keys = ("test", *PARTS, "date")
        tally.predicted = sum(1 for p in predicted for k in keys if p.get(k) is not None)
        tally.gold = sum(1 for g in gold for k in keys if g.get(k) is not None)
        used: set[int] = set()
        for g in gold:
            for i, p in enumerate(predicted):
                if i in used or _family(p.get("test")) != _family(g.get("test")):
                    continue
                used.add(i)
                tally.correct += sum(1 for k in keys if g.get(k) is not None and p.get(k) == g.get(k))
                break
        return tally


def _family(name: object) -> str:
    text = str(name or "").casefold()
    return "oet" if "oet" in text else "ielts" if "ielts" in text else text


def _sets(predicted: Iterable[str], gold: Iterable[str]) -> Tally:
    p, g = set(predicted), set(gold)
    return Tally(correct=len(p & g), predicted=len(p), gold=len(g))


# -- the simple baseline ----------------------------------------------------------------------
_IELTS = re.compile(r"\bIELTS\b\D{0,20}?(\d(?:\.5)?)", re.IGNORECASE)
_FULL_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def baseline_profile(text: str, normaliser: Normaliser) -> dict[str, Any]:
    """What a simple reader gets: each line or sentence normalised whole (as a skill, a job and a
    qualification), keywords for credentials, languages and status, no context rules."""
    lexicon = load_lexicon()
    units = [u.strip() for line in text.splitlines() for u in re.split(r"(?<=[.!?])\s+", line) if u.strip()]
    units = [u for u in units if normalise_text(u)][:400]
    out: dict[str, Any] = predicted_profile(Draft(profile={}, items=(), in_profile=()))
    if not units:
        return out
    capped = [u[:2_000] for u in units]
    skills = normaliser.normalise_many(capped, kind="skill", limit=1)
    jobs = normaliser.normalise_many(capped, kind="occupation", limit=1)
    quals = QualificationRecogniser(normaliser).recognise_many(capped, [None] * len(capped), limit=1)
    for unit, skill, job, qual in zip(units, skills, jobs, quals, strict=True):
        if skill.best is not None:
            out["skills"].append(skill.best.concept_id)
        if job.best is not None and job.best.score >= 0.6:
            found = periods(unit, lexicon_today())
            record: dict[str, Any] = {"title": job.best.label, "country": lexicon.country_of(unit)}
            if found:
                record["years"] = found[0].years
            out["experience"].append({k: v for k, v in record.items() if v is not None})
        if qual and qual[0].confidence >= 0.6:
            year = _YEAR.search(unit)
            record = {
                "title": qual[0].label,
                "country": lexicon.country_of(unit),
                "year": int(year.group(0)) if year else None,
            }
            out["qualifications"].append({k: v for k, v in record.items() if v is not None})
    for match in _IELTS.finditer(text):
        out["language_tests"].append({"test": "IELTS Academic", "overall": float(match.group(1))})
    for credential in lexicon.credentials:
        if any(p.search(text) for p in credential.patterns) and credential.id not in out["credentials"]:
            out["credentials"].append(credential.id)
    names: Counter[str] = Counter()
    known = language_names(normaliser)  # the same names the extractor knows
    for match in known.pattern.finditer(text):
        names[known.concept[match.group(0).casefold()][2]] += 1
    out["languages"] = list(names)
    for rule in lexicon.right_to_work:
        if rule.pattern.search(text):
            out["right_to_work_hint"] = out["right_to_work_hint"] or rule.hint
            out["immigration_status_hint"] = out["immigration_status_hint"] or rule.immigration_status
    postcode = _FULL_POSTCODE.search(text)
    out["postcode"] = postcode.group(0) if postcode else None
    lowered = text.casefold()
    out["hours"] = (
        "part_time"
        if "part time" in lowered or "part-time" in lowered
        else "full_time"
        if "full time" in lowered or "full-time" in lowered
        else "any"
    )
    return out


def lexicon_today() -> date:
    """The fixtures' "today" (they were written on 1 Dec 2026)."""
    return FIXTURES_TODAY
