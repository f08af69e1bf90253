"""The words extraction looks for, read once from ``fixtures/extraction/lexicon.json`` (data,
with its source and date, not code) plus country names from pycountry (ISO 3166)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

LEXICON_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "extraction" / "lexicon.json"

#: Country names people write that ISO does not list under that name.
_COUNTRY_ALIASES = {
    "GB": ["UK", "U.K.", "United Kingdom", "England", "Britain", "Great Britain", "Scotland", "Wales"],
    "US": ["USA", "U.S.A.", "United States", "America"],
    "AE": ["UAE", "U.A.E."],
    "SA": ["KSA", "Saudi"],
    "KR": ["South Korea"],
    "CD": ["DR Congo", "DRC"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "RU": ["Russia"],
    "TZ": ["Tanzania"],
    "VN": ["Vietnam"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "MD": ["Moldova"],
    "PS": ["Palestine"],
    "TR": ["Turkey"],
}
#: Country names that are also common words or names in CVs: only matched capitalised.
_CASE_SENSITIVE = {
    "Chad",
    "Jordan",
    "Georgia",
    "Guinea",
    "Niger",
    "Jersey",
    "Turkey",
    "America",
    "Wales",
    "Oman",
    "Mali",
}


@dataclass(frozen=True, slots=True)
class CredentialRule:
    id: str
    patterns: tuple[re.Pattern[str], ...]
    needs_pass: bool
    context: re.Pattern[str] | None
    not_context: re.Pattern[str] | None
    weak_unless: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class StatusRule:
    pattern: re.Pattern[str]
    hint: str
    note: str
    immigration_status: str | None


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Lexicon:
    headings: dict[str, str]  # heading text (folded) -> section kind
    organisation: re.Pattern[str]
    uk_organisation: re.Pattern[str]
    workplace_titles: dict[str, str]
    workplace: re.Pattern[str]
    intent: re.Pattern[str]
    passed: re.Pattern[str]
    credentials: tuple[CredentialRule, ...]
    right_to_work: tuple[StatusRule, ...]
    qualification_cue: re.Pattern[str]
    subjects: re.Pattern[str]
    places: re.Pattern[str]  # any place: country or town
    place_country: dict[str, str]  # folded place -> ISO code
    title_heads: frozenset[str]
    award_subjects: frozenset[str]
    activity_titles: tuple[tuple[re.Pattern[str], str], ...]
    profession_titles: dict[str, str]
    health_workplace: re.Pattern[str]
    source: str
    as_of: str

    def countries_in(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, ISO code) of every place named in ``text``."""
        found = []
        for match in self.places.finditer(text):
            code = self.place_country.get(match.group(0).casefold())
            if code is None:
                continue
            if (
                match.group(0) in _CASE_SENSITIVE
                or match.group(0).casefold() in {c.casefold() for c in _CASE_SENSITIVE}
            ) and not match.group(0)[0].isupper():
                continue
            found.append((match.start(), match.end(), code))
        return found

    def activity_title(self, text: str) -> tuple[str, tuple[int, int]] | None:
        """The job title the work described in ``text`` implies, and where it is said."""
        for pattern, title in self.activity_titles:
            found = pattern.search(text)
            if found:
                return title, (found.start(), found.end())
        return None

    def country_of(self, text: str) -> str | None:
        found = self.countries_in(text)
        return found[-1][2] if found else None


@cache
def load_lexicon(path: str | None = None) -> Lexicon:
    data: dict[str, Any] = json.loads(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
    headings = {text.casefold(): kind for kind, texts in data["headings"].items() for text in texts}
    place_country: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)):
            if name:
                place_country.setdefault(name.casefold(), country.alpha_2)
    for code, names in _COUNTRY_ALIASES.items():
        for name in names:
            place_country[name.casefold()] = code
    for code, names in data["places"].items():
        if code.startswith("_"):
            continue
        for name in names:
            place_country[name.casefold()] = code
    # Short all-capital codes (UK, USA, KSA) must be capitals; names are matched in any case.
    names = sorted(place_country, key=len, reverse=True)
    pattern = r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])"
    places = re.compile(pattern, re.IGNORECASE)
    credentials = tuple(
        CredentialRule(
            id=rule["id"],
            patterns=tuple(re.compile(p, re.IGNORECASE) for p in rule["patterns"]),
            needs_pass=rule.get("needs") == "pass",
            context=re.compile(rule["context"], re.IGNORECASE) if rule.get("context") else None,
            not_context=re.compile(rule["not_context"], re.IGNORECASE) if rule.get("not_context") else None,
            weak_unless=re.compile(rule["weak_unless"], re.IGNORECASE) if rule.get("weak_unless") else None,
        )
        for rule in data["held_credentials"]
    )
    statuses = tuple(
        StatusRule(re.compile(r["pattern"], re.IGNORECASE), r["hint"], r["note"], r.get("immigration_status"))
        for r in data["right_to_work"]
    )
    workplace_titles = {k: v for k, v in data["workplace_titles"].items() if not k.startswith("_")}
    intent_words = [w.strip() for w in data["intent_cues"]]
    return Lexicon(
        headings=headings,
        organisation=re.compile(r"\b(?:" + _alternation(data["organisation_words"]) + r")\b", re.IGNORECASE),
        uk_organisation=re.compile(r"\b(?:" + _alternation(data["uk_organisations"]) + r")\b", re.IGNORECASE),
        workplace_titles=workplace_titles,
        workplace=re.compile(r"\b(?:" + _alternation(list(workplace_titles)) + r")\b", re.IGNORECASE),
        intent=re.compile(r"(?<!\w)(?:" + _alternation(intent_words) + r")(?!\w)", re.IGNORECASE),
        passed=re.compile(r"\b(?:" + _alternation(data["pass_cues"]) + r")\b|✓", re.IGNORECASE),
        credentials=credentials,
        right_to_work=statuses,
        qualification_cue=_cue_pattern(data["qualification_cues"]),
        subjects=re.compile(r"\b(?:" + _alternation(data["subjects"]) + r")\b", re.IGNORECASE),
        places=places,
        place_country=place_country,
        title_heads=frozenset(w.casefold() for w in data.get("title_heads", [])),
        award_subjects=frozenset(w.casefold() for w in data.get("award_subjects", {}).get("words", [])),
        profession_titles={
            k: v for k, v in data.get("profession_titles", {}).get("titles", {}).items() if not k.startswith("_")
        },
        health_workplace=re.compile(data.get("profession_titles", {}).get("workplace", r"(?!)"), re.IGNORECASE),
        activity_titles=tuple(
            (re.compile(rule["pattern"], re.IGNORECASE), rule["title"])
            for rule in data.get("activity_titles", {}).get("rules", [])
        ),
        source=data["source"],
        as_of=data["as_of"],
    )


def _cue_pattern(cues: list[str]) -> re.Pattern[str]:
    """Qualification words, in any case ("mbbs", "bsc nursing", "diploma") except the short or
    common-word ones, which must be written as awards are ("MA", "A level", "Access to")."""
    strict = [c for c in cues if len(c) <= 2 or re.match(r"(?i)(?:a|as|o|t)[- ]levels?$|access to$", c)]
    loose = [c for c in cues if c not in strict]
    return re.compile(r"(?<![\w.])(?:(?i:" + _alternation(loose) + r")|" + _alternation(strict) + r")(?![\w])")
