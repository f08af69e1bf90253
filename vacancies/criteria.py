"""Turn person-specification criteria into requirements.

Free text ("Current NMC registration", "GCSE English and maths grade 4 (C) or Functional
Skills Level 2", "2 years' experience as a healthcare assistant") and structured criteria
(``{"kind": "credential", "id": "dbs-enhanced"}``) both become :class:`Requirement` records.
The patterns that recognise credentials are data (``fixtures/criteria_rules.json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from matcher import InvalidInputError, Match, Normaliser, TaxonomyError
from matcher.qualifications import QualificationRecogniser
from matcher.requirements import REQUIREMENT_KINDS, ParsedVacancy, Requirement
from matcher.taxonomy import default_fixtures_dir

_YEARS = re.compile(r"(\d+(?:\.\d+)?)\s*\+?\s*(?:years?|yrs?)", re.IGNORECASE)
_EXPERIENCE = re.compile(r"\bexperien(?:ce|ced)\b", re.IGNORECASE)
_IELTS_SCORE = re.compile(r"\bIELTS\b[^0-9]{0,40}?\b([4-9](?:\.[05])?)\b", re.IGNORECASE)
_EQUIVALENT = re.compile(r"\bor equivalent\b|\bor an? equivalent\b", re.IGNORECASE)
_QUALIFICATION = re.compile(
    r"\b(degree|diploma|NVQ|qualification|qualified|GCSE|A.level|BTEC|certificate|level [1-8]"
    r"|BSc|MSc|MBBS|MPharm|HND|HNC)\b",
    re.IGNORECASE,
)
_EXPERIENCE_NOISE = re.compile(
    r"\b(previous|recent|proven|demonstrable|relevant|substantial|significant|minimum( of)?|at least|"
    r"years?|yrs?|experien(ce|ced)|of|in|as|an?|the|working|work(ed)?|within|with|including|"
    r"and/or|or more|\d+(\.\d+)?\+?)\b|['’]s?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    kind: str
    credentials: tuple[str, ...]
    stop: bool
    only_with: re.Pattern[str] | None


class CriteriaParser:
    """Parses criteria with the normaliser and the rules fixture; build once, reuse."""

    def __init__(
        self,
        normaliser: Normaliser,
        *,
        rules_path: str | Path | None = None,
        known_credentials: frozenset[str] | None = None,
    ) -> None:
        self.normaliser = normaliser
        #: When given, a structured criterion naming another credential id is refused.
        self.known_credentials = known_credentials
        self.recogniser = QualificationRecogniser(normaliser)
        path = Path(rules_path) if rules_path else default_fixtures_dir() / "criteria_rules.json"
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            self.rules = [
                _Rule(
                    re.compile(rule["pattern"], re.IGNORECASE),
                    rule["kind"],
                    tuple(rule.get("credentials") or ()),
                    bool(rule.get("stop", True)),
                    re.compile(rule["only_with"], re.IGNORECASE) if rule.get("only_with") else None,
                )
                for rule in document["rules"]
            ]
            self.on_the_job = re.compile(document["on_the_job_pattern"], re.IGNORECASE)
        except (OSError, ValueError, KeyError, re.error) as exc:
            raise TaxonomyError(f"cannot read criteria rules {path}: {exc}") from exc

    # -- one criterion ----------------------------------------------------------------------
    def parse(self, criterion: str | Mapping[str, Any], *, essential: bool) -> list[Requirement]:
        if isinstance(criterion, Mapping):
            found = [self._structured(criterion, essential)]
            text = str(criterion.get("text") or "")
        else:
            text = criterion.strip()
            found = self._free_text(text, essential)
        # "Willingness to complete ..." / "commitment to undertake ...": whatever it names, the
        # employer provides it after starting, so it is met at application.
        if text and self.on_the_job.search(text):
            found = [replace(r, on_the_job=True) for r in found]
        return found

    def _structured(self, item: Mapping[str, Any], essential: bool) -> Requirement:
        kind = str(item.get("kind"))
        if kind not in REQUIREMENT_KINDS:
            raise InvalidInputError(f"unknown criterion kind {kind!r}; expected one of: {', '.join(REQUIREMENT_KINDS)}")
        text = str(item.get("text") or item.get("id") or "").strip()
        if kind in ("credential", "check"):
            credential = str(item.get("id") or "").strip()
            if not credential:
                raise InvalidInputError(f"a {kind} criterion needs an 'id' (a canonical credential id)")
            if self.known_credentials is not None and credential not in self.known_credentials:
                raise InvalidInputError(f"unknown credential id {credential!r} (see fixtures/credentials.json)")
            return Requirement(text or credential, kind, essential, credential=credential, label=credential)
        if not text:
            raise InvalidInputError(f"a {kind} criterion needs a 'text'")
        if kind == "experience":
            years = item.get("years", 0)
            if isinstance(years, bool) or not isinstance(years, int | float) or years < 0:
                raise InvalidInputError("an experience criterion's 'years' must be a non-negative number")
            return self._experience(text, essential, float(years), original=text)
        if kind == "qualification":
            return self._qualification(text, essential)
        if kind == "language":
            # A named community language ("Punjabi") is a skill; English is the general check.
            if "english" in text.casefold():
                return Requirement(text, "language", essential)
            return self._skill(text, essential)
        return self._skill(text, essential)

    def _free_text(self, text: str, essential: bool) -> list[Requirement]:
        on_the_job = bool(self.on_the_job.search(text))
        found: list[Requirement] = []
        for rule in self.rules:
            if not rule.pattern.search(text):
                continue
            if rule.only_with is not None and not rule.only_with.search(text):
                continue
            if rule.kind == "language":
                stated = _IELTS_SCORE.search(text)
                extra = {"ielts_overall": float(stated.group(1))} if stated else {}
                found.append(Requirement(text, "language", essential, extra=extra))
            for credential in rule.credentials:
                found.append(
                    Requirement(
                        text, rule.kind, essential, credential=credential, label=credential, on_the_job=on_the_job
                    )
                )
            if rule.stop:
                break
        if found:
            return found
        years = _YEARS.search(text)
        if _EXPERIENCE.search(text) or years:
            return [self._experience(text, essential, float(years.group(1)) if years else 0.0, original=text)]
        if _QUALIFICATION.search(text):
            return [self._qualification(text, essential)]
        return [self._skill(text, essential)]

    def _experience(self, text: str, essential: bool, years: float, *, original: str) -> Requirement:
        subject = " ".join(_EXPERIENCE_NOISE.sub(" ", text).split()) or text
        occupation = self.normaliser.normalise(subject, kind="occupation", limit=1).best
        skill = self.normaliser.normalise(subject, kind="skill", limit=1).best
        best = occupation if occupation and (not skill or occupation.score >= skill.score) else skill
        return Requirement(
            original,
            "experience",
            essential,
            concept_id=best.concept_id if best else None,
            label=best.label if best else subject,
            years=years,
            score=best.score if best else None,
            extra={"subject": subject},
        )

    def _qualification(self, text: str, essential: bool) -> Requirement:
        best = self.recogniser.best(text)
        # "ALS certificate" names a skill (advanced life support), not an award: when the skill
        # reading is the stronger one, it is a skill requirement.
        skill = self.normaliser.normalise(text, kind="skill", limit=1).best
        if skill is not None and (best is None or skill.score > best.confidence):
            return self._skill(text, essential, found=skill)
        return Requirement(
            text,
            "qualification",
            essential,
            concept_id=best.concept_id if best else None,
            label=best.label if best else None,
            level=best.level if best else None,
            profession=best.profession if best else None,
            or_equivalent=bool(_EQUIVALENT.search(text)),
            score=best.confidence if best else None,
        )

    def _skill(self, text: str, essential: bool, *, found: Match | None = None) -> Requirement:
        best = found if found is not None else self.normaliser.normalise(text, kind="skill", limit=1).best
        return Requirement(
            text,
            "skill",
            essential,
            concept_id=best.concept_id if best else None,
            label=best.label if best else None,
            score=best.score if best else None,
        )

    # -- a whole vacancy --------------------------------------------------------------------
    def parse_vacancy(self, vacancy: Any) -> ParsedVacancy:
        """Parse a :class:`matcher.profile.Vacancy`; every bad criterion is reported at once."""
        requirements: list[Requirement] = []
        problems: list[str] = []
        for section, essential in (("essential", True), ("desirable", False)):
            for position, criterion in enumerate(getattr(vacancy, section)):
                try:
                    requirements.extend(self.parse(criterion, essential=essential))
                except InvalidInputError as exc:
                    problems.extend(f"{section}[{position}]: {p}" for p in exc.problems)
        if problems:
            raise InvalidInputError("invalid vacancy criteria", problems)
        occupation = self.normaliser.normalise(vacancy.title, kind="occupation", limit=1).best
        profession = None
        if occupation is not None:
            concept = self.normaliser.taxonomy[occupation.concept_id]
            profession = concept.attributes.get("profession")
        return ParsedVacancy(
            id=vacancy.id,
            title=vacancy.title,
            requirements=tuple(requirements),
            occupation_id=occupation.concept_id if occupation else None,
            profession=profession,
            band=vacancy.band,
            employer=vacancy.employer,
        )
