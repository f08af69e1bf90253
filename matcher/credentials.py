"""The credential graph: every UK credential a route needs, its prerequisites, time and cost.

Loaded from ``fixtures/credentials.json`` (data, each rule with its source and date; see
fixtures/README.md). Prerequisites are expressions: a credential id, ``{"all": [...]}``
or ``{"any": [...]}``. A credential may also name soft prerequisites (``suggested_first``)
that the planner adds only when their condition holds for the resident. English requirements
are evaluated here against a resident's test results: every component threshold of one
accepted test, within its validity.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .english import EnglishContext, EnglishRules, EnglishVerdict
from .errors import TaxonomyError
from .profile import OET_GRADES, LanguageTest
from .taxonomy import default_fixtures_dir

#: A prerequisite expression: an id, {"all": [expr, ...]} or {"any": [expr, ...]}.
Expr = str | Mapping[str, Any]


#: How sure a figure or rule is: the regulator's or government's own page; another site only;
#: computed from an official figure; or a curated estimate / rule not read at source.
CONFIDENCE = ("official", "third_party", "derived", "unconfirmed")

#: Conditions a ``suggested_first`` entry may state (its ``when``), all of which must hold.
SUGGESTION_CONDITIONS = frozenset({"no_qualification_at_or_above_level"})


@dataclass(frozen=True, slots=True)
class SuggestedFirst:
    """A soft prerequisite: a step usually taken first, suggested only when its condition holds.

    ``no_qualification_at_or_above_level`` n: suggested when the resident holds no recognised
    qualification at RQF/FHEQ level n or above (Functional Skills Level 1 before Level 2).
    """

    id: str
    no_qualification_at_or_above_level: int
    note: str | None = None
    source: str | None = None
    as_of: str | None = None
    unconfirmed: bool = False

    def applies(self, qualification_levels: Iterable[int]) -> bool:
        """Whether the suggestion holds for a resident whose recognised qualifications have these levels."""
        return all(level < self.no_qualification_at_or_above_level for level in qualification_levels)


@dataclass(frozen=True, slots=True)
class Credential:
    id: str
    label: str
    kind: str
    requires: Expr | None = None
    entry: Mapping[str, Any] | None = None
    weeks: int | None = None
    cost_gbp: float | None = None
    regulator: str | None = None
    profession: str | None = None
    provider_type: str | None = None
    provider_hint: str | None = None
    cost_note: str | None = None
    concessions: tuple[Mapping[str, Any], ...] = ()
    time_limits: tuple[Mapping[str, Any], ...] = ()
    suggested_first: tuple[SuggestedFirst, ...] = ()
    #: RQF level of a credential that is itself a qualification (Functional Skills): holding it
    #: counts as a qualification at that level for ``suggested_first`` conditions.
    level: int | None = None
    source: str | None = None
    as_of: str | None = None
    unconfirmed: bool = False
    #: How sure the route itself (prerequisites, entry) is: one of CONFIDENCE.
    confidence: str | None = None
    #: Provenance per figure: {"cost_gbp": {"source", "as_of", "confidence", "note", "effective"}, ...}.
    facts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, compare=False)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_gate(self) -> bool:
        """A gate (right to work) is met or not; no training changes it."""
        return self.kind == "gate"

    def cost_for(self, statuses: frozenset[str]) -> tuple[float | None, str | None]:
        """Cost after any documented concession for the resident (e.g. refugees), and why."""
        for concession in self.concessions:
            if concession_applies(concession, statuses) and concession.get("cost_gbp") is not None:
                return float(concession["cost_gbp"]), str(concession.get("note") or concession.get("who"))
        return self.cost_gbp, None

    def status_notes(self, statuses: frozenset[str]) -> tuple[str, ...]:
        """Help for the resident's status that has no fixed figure (the GMC's help with fees,
        the NMC's guidance for forcibly displaced applicants)."""
        return tuple(
            str(c["note"])
            for c in self.concessions
            if concession_applies(c, statuses) and c.get("cost_gbp") is None and c.get("note")
        )

    def fact(self, name: str) -> Mapping[str, Any]:
        """Provenance of one figure (``cost_gbp``, ``weeks``, ``max_attempts``); the record's own
        source, date and confidence when the figure has none of its own."""
        found = self.facts.get(name)
        if found:
            return found
        return {"source": self.source, "as_of": self.as_of, "confidence": self.confidence or "unconfirmed"}


def concession_applies(concession: Mapping[str, Any], statuses: frozenset[str]) -> bool:
    who = concession.get("who")
    groups = {who} if isinstance(who, str) else set(who or ())
    return bool(groups & statuses)


@dataclass(frozen=True, slots=True)
class EnglishRequirement:
    id: str
    regulator: str | None
    validity_months: int | None
    accepted: tuple[Mapping[str, Any], ...]
    source: str | None = None
    as_of: str | None = None
    #: {"max_sittings": 2, "within_months": 12, "minimum_scores": {test: {part: score}}}: the
    #: best parts of two sittings that close together count, when no score is below the minimum.
    combining_sittings: Mapping[str, Any] | None = None
    #: Routes other than a test (qualification taught in English, practice, employer reference).
    other_evidence: tuple[Mapping[str, Any], ...] = ()
    confidence: str | None = None
    #: "the GMC": how plain sentences name who asks ("the 7.0 the GMC asks for").
    who: str | None = None

    @property
    def rules(self) -> EnglishRules:
        return EnglishRules(
            id=self.id,
            regulator=self.regulator,
            validity_months=self.validity_months,
            accepted=self.accepted,
            combining_sittings=self.combining_sittings,
            other_evidence=self.other_evidence,
            who=self.who or (f"the {self.regulator}" if self.regulator else "the employer"),
        )


def expression_ids(expr: Expr | None) -> set[str]:
    """Every credential id named anywhere in an expression."""
    if expr is None:
        return set()
    if isinstance(expr, str):
        return {expr}
    out: set[str] = set()
    for key in ("all", "any"):
        for item in expr.get(key, ()):
            out |= expression_ids(item)
    return out


def expression_problems(expr: object) -> list[str]:
    """What is malformed in a prerequisite expression (an id, or one of all/any with a list)."""
    if expr is None or isinstance(expr, str):
        return [] if expr is None or expr.strip() else ["empty prerequisite id"]
    if not isinstance(expr, Mapping) or len(expr) != 1 or next(iter(expr)) not in ("all", "any"):
        return [f"a prerequisite must be an id or {{'all': [...]}} / {{'any': [...]}}, got {expr!r}"]
    items = next(iter(expr.values()))
    if not isinstance(items, list) or not items:
        return [f"'{next(iter(expr))}' needs a non-empty list"]
    return [p for item in items for p in expression_problems(item)]


def suggestion_problems(raw: object) -> list[str]:
    """What is malformed in a ``suggested_first`` list: [{"id", "when": {condition: value}}, ...]."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        return [f"suggested_first must be a list, got {raw!r}"]
    problems: list[str] = []
    for position, entry in enumerate(raw):
        where = f"suggested_first[{position}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str) or not entry["id"].strip():
            problems.append(f"{where}: needs an id")
            continue
        when = entry.get("when")
        if not isinstance(when, Mapping) or not when:
            problems.append(f"{where} ({entry['id']}): needs a 'when' condition")
            continue
        unknown = sorted(set(when) - SUGGESTION_CONDITIONS)
        if unknown:
            problems.append(f"{where} ({entry['id']}): unknown condition(s) {', '.join(unknown)}")
        level = when.get("no_qualification_at_or_above_level")
        if "no_qualification_at_or_above_level" in when and (
            isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 8
        ):
            problems.append(f"{where} ({entry['id']}): no_qualification_at_or_above_level must be a level 1-8")
    return problems


def _suggestions(raw: list[Mapping[str, Any]] | None) -> tuple[SuggestedFirst, ...]:
    """Typed ``suggested_first`` entries from records :func:`suggestion_problems` accepted."""
    return tuple(
        SuggestedFirst(
            id=entry["id"],
            no_qualification_at_or_above_level=int(entry["when"]["no_qualification_at_or_above_level"]),
            note=entry.get("note"),
            source=entry.get("source"),
            as_of=entry.get("as_of"),
            unconfirmed=bool(entry.get("unconfirmed", False)) or entry.get("confidence", "official") != "official",
        )
        for entry in raw or ()
    )


class CredentialGraph:
    """Credentials by id plus English requirements; validated on load (all problems at once)."""

    def __init__(
        self,
        credentials: Iterable[Credential],
        english: Iterable[EnglishRequirement],
        *,
        oet_order: Sequence[str] = OET_GRADES,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.credentials: dict[str, Credential] = {}
        problems: list[str] = []
        for credential in credentials:
            if credential.id in self.credentials:
                problems.append(f"{credential.id}: duplicate credential id")
            self.credentials[credential.id] = credential
        self.english: dict[str, EnglishRequirement] = {e.id: e for e in english}
        #: Each requirement's rules, built once (they are judged for every resident).
        self.english_rules = {e.id: e.rules for e in english}
        #: Plans and widened holdings, remembered per combination residents share
        #: (matcher.pathway: both are pure functions of this graph and their inputs).
        self.plans: dict[Any, Any] = {}
        self.widened: dict[tuple[frozenset[str], frozenset[str]], frozenset[str]] = {}
        self.oet_rank = {grade: rank for rank, grade in enumerate(oet_order)}
        self.metadata = dict(metadata or {})
        for credential in self.credentials.values():
            problems.extend(f"{credential.id}: {p}" for p in expression_problems(credential.requires))
            for name in sorted(expression_ids(credential.requires)):
                if name not in self.credentials:
                    problems.append(f"{credential.id}: requires unknown credential {name!r}")
            for suggestion in credential.suggested_first:
                if suggestion.id not in self.credentials:
                    problems.append(f"{credential.id}: suggests unknown credential {suggestion.id!r} first")
        for requirement in self.english.values():
            if requirement.id not in self.credentials:
                problems.append(f"{requirement.id}: English requirement without a credential of that id")
        problems.extend(self._cycles())
        if problems:
            raise TaxonomyError("invalid credential graph", problems)

    def _cycles(self) -> list[str]:
        state: dict[str, int] = {}
        found: list[str] = []

        def visit(node: str, path: list[str]) -> None:
            state[node] = 1
            # A suggested-first step is ordered before its credential like a prerequisite.
            credential = self.credentials[node]
            for nxt in sorted(expression_ids(credential.requires) | {s.id for s in credential.suggested_first}):
                if nxt not in self.credentials:
                    continue
                if state.get(nxt) == 1:
                    found.append("prerequisite cycle: " + " -> ".join([*path, node, nxt]))
                elif nxt not in state:
                    visit(nxt, [*path, node])
            state[node] = 2

        for node in sorted(self.credentials):
            if node not in state:
                visit(node, [])
        return found

    # -- access -----------------------------------------------------------------------------
    def __getitem__(self, credential_id: str) -> Credential:
        try:
            return self.credentials[credential_id]
        except KeyError:
            raise KeyError(f"unknown credential {credential_id!r}") from None

    def __contains__(self, credential_id: object) -> bool:
        return credential_id in self.credentials

    def __iter__(self) -> Iterator[Credential]:
        return iter(self.credentials.values())

    # -- English ----------------------------------------------------------------------------
    def evaluate_english(
        self,
        requirement_id: str,
        tests: Iterable[LanguageTest],
        today: date,
        context: EnglishContext | None = None,
    ) -> EnglishVerdict:
        """Whether the resident meets ``requirement_id``: one accepted, in-date test result
        meeting every threshold (or two sittings the regulator lets combine), or, given the
        resident's ``context``, one of the regulator's other routes (matcher.english)."""
        return self.english_rules[requirement_id].evaluate(tests, today, self.oet_rank, context)

    # -- loading ----------------------------------------------------------------------------
    @classmethod
    def load_default(cls) -> CredentialGraph:
        return cls.load(default_fixtures_dir() / "credentials.json")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> CredentialGraph:
        file = Path(path)
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TaxonomyError(f"cannot read credential graph {file}: {exc}") from exc
        problems: list[str] = []
        credentials: list[Credential] = []
        for position, record in enumerate(document.get("credentials") or []):
            where = f"credentials[{position}]"
            if (
                not isinstance(record, dict)
                or not record.get("id")
                or not record.get("label")
                or not record.get("kind")
            ):
                problems.append(f"{where}: needs id, label and kind")
                continue
            weeks = record.get("weeks")
            if weeks is not None and (not isinstance(weeks, int | float) or weeks < 0):
                problems.append(f"{where} ({record['id']}): weeks must be a non-negative number")
                continue
            level = record.get("level")
            if level is not None and (isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 8):
                problems.append(f"{where} ({record['id']}): level must be an RQF/FHEQ level 1-8")
                continue
            suggestion_issues = suggestion_problems(record.get("suggested_first"))
            if suggestion_issues:
                problems.extend(f"{where} ({record['id']}): {p}" for p in suggestion_issues)
                continue
            known = set(Credential.__dataclass_fields__) - {"extra"}
            facts = record.get("facts") if isinstance(record.get("facts"), Mapping) else {}
            confidence = record.get("confidence")
            if confidence is not None and confidence not in CONFIDENCE:
                problems.append(f"{where} ({record['id']}): confidence must be one of {', '.join(CONFIDENCE)}")
            for name, fact in facts.items():
                if not isinstance(fact, Mapping) or fact.get("confidence") not in CONFIDENCE:
                    problems.append(
                        f"{where} ({record['id']}): facts.{name} needs a confidence ({', '.join(CONFIDENCE)})"
                    )
            # "To be confirmed" whenever the route or one of its figures is not from an official page.
            unconfirmed = bool(record.get("unconfirmed", False)) or any(
                c not in (None, "official")
                for c in [confidence, *(f.get("confidence") for f in facts.values() if isinstance(f, Mapping))]
            )
            credentials.append(
                Credential(
                    id=record["id"],
                    label=record["label"],
                    kind=record["kind"],
                    requires=record.get("requires"),
                    entry=record.get("entry"),
                    weeks=round(weeks) if weeks is not None else None,
                    cost_gbp=float(record["cost_gbp"]) if record.get("cost_gbp") is not None else None,
                    regulator=record.get("regulator"),
                    profession=record.get("profession"),
                    provider_type=record.get("provider_type"),
                    provider_hint=record.get("provider_hint"),
                    cost_note=record.get("cost_note"),
                    concessions=tuple(record.get("concessions") or ()),
                    time_limits=tuple(record.get("time_limits") or ()),
                    suggested_first=_suggestions(record.get("suggested_first")),
                    level=level,
                    source=record.get("source"),
                    as_of=record.get("as_of"),
                    unconfirmed=unconfirmed,
                    confidence=confidence,
                    facts=facts,
                    extra={k: v for k, v in record.items() if k not in known},
                )
            )
        english = [
            EnglishRequirement(
                id=record["id"],
                regulator=record.get("regulator"),
                validity_months=record.get("validity_months"),
                accepted=tuple(record.get("accepted") or ()),
                source=record.get("source"),
                as_of=record.get("as_of"),
                combining_sittings=record.get("combining_sittings")
                if isinstance(record.get("combining_sittings"), Mapping)
                else None,
                other_evidence=tuple(r for r in record.get("other_evidence") or () if isinstance(r, Mapping)),
                confidence=record.get("confidence"),
                who=record.get("who"),
            )
            for record in document.get("english_requirements") or []
        ]
        metadata = {k: v for k, v in document.items() if k not in {"credentials", "english_requirements"}}
        try:
            graph = cls(
                credentials, english, oet_order=document.get("oet_grade_order") or OET_GRADES, metadata=metadata
            )
        except TaxonomyError as exc:
            problems.extend(exc.problems)  # record and graph problems, reported together
        if problems:
            raise TaxonomyError(f"invalid credential graph in {file}", problems)
        return graph
