"""English evidence against a regulator's requirement: test results, and the other routes.

Thresholds and routes are data (``english_requirements`` in fixtures/credentials.json). A test
result meets a requirement when one accepted test meets every threshold in one sitting, in date;
where the regulator allows it (the NMC), two sittings within the window combine, but only when
no score in either sitting is below the regulator's minimum. Other routes (a qualification taught
and examined in English, registered practice in a majority English-speaking country, a UK
employer's reference) are evaluated from what the resident says and their work history.

Every shortfall is said twice: tersely for staff ("writing 6.5 below 7") and in plain words for
the resident ("your writing 6.5 is below the 7.0 the GMC asks for").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .profile import IELTS_PARTS, LanguageTest, language_test_family

#: Score names as residents read them.
_PART_WORDS = {"overall": "overall score", "total": "total score"}


@dataclass(frozen=True, slots=True)
class EnglishContext:
    """What about the resident, beyond test results, the other English routes look at."""

    #: (profession, country code, taught in English: True/False/None, year awarded or None) per
    #: recognised professional qualification.
    qualifications: tuple[tuple[str, str | None, bool | None, int | None], ...] = ()
    #: The year it is now (for routes that need recent evidence).
    this_year: int | None = None
    #: (profession or None, family or None, years, country code) per job in the work history.
    experience: tuple[tuple[str | None, str | None, float, str | None], ...] = ()
    #: ENGLISH_EVIDENCE the resident states.
    stated: frozenset[str] = frozenset()
    #: Country codes each list ("nmc", "hcpc") counts as majority English-speaking.
    english_countries: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EnglishVerdict:
    met: bool
    evidence: LanguageTest | None
    #: Why the best result falls short ("writing 6.5 below 7"; "taken 2023-01-04, ...").
    shortfalls: tuple[str, ...] = ()
    #: The same in plain words for the resident ("your writing 6.5 is below the 7.0 the GMC asks for").
    plain: tuple[str, ...] = ()
    #: When met by a route other than a test: what the evidence is, in words.
    route: str | None = None
    #: Other routes that may be open and need something the engine cannot know (an employer
    #: willing to give a reference): information, never counted as met.
    possible: tuple[str, ...] = ()


def months_between(start: date, end: date) -> float:
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 31


def _fmt(value: Any) -> str:
    return f"{float(value):.1f}" if isinstance(value, int | float) and float(value) < 10 else f"{value}"


def _score(value: Any) -> str:
    return f"{float(value):g}" if isinstance(value, int | float) else str(value)


@dataclass(frozen=True, slots=True)
class EnglishRules:
    """One regulator's English requirement, read from ``english_requirements``."""

    id: str
    regulator: str | None
    validity_months: int | None
    accepted: tuple[Mapping[str, Any], ...]
    combining_sittings: Mapping[str, Any] | None = None
    other_evidence: tuple[Mapping[str, Any], ...] = ()
    #: "the GMC", used in plain sentences.
    who: str = "the regulator"

    # -- one sitting ----------------------------------------------------------------------------
    def shortfalls(
        self, accepted: Mapping[str, Any], test: LanguageTest, oet_rank: Mapping[str, int]
    ) -> tuple[list[str], list[str]]:
        """(terse, plain) shortfalls of one result against one accepted test's thresholds."""
        terse: list[str] = []
        plain: list[str] = []
        for part in (*IELTS_PARTS, "overall"):
            needed = accepted.get(part)
            if needed is None:
                continue
            have = test.components.get(part)
            word = _PART_WORDS.get(part, part)
            if have is None:
                terse.append(f"{part} missing")
                plain.append(f"your {test.test} result has no {word}; {self.who} asks for {_score(needed)}")
            elif test.family == "oet":
                if oet_rank.get(str(have), -1) < oet_rank.get(str(needed), 99):
                    terse.append(f"{part} {have} below {needed}")
                    plain.append(f"your {word} grade {have} is below the grade {needed} {self.who} asks for")
            elif float(have) < float(needed):
                terse.append(f"{part} {float(have):g} below {float(needed):g}")
                plain.append(f"your {word} {_fmt(have)} is below the {_fmt(needed)} {self.who} asks for")
        return terse, plain

    def judge(
        self, test: LanguageTest, today: date, oet_rank: Mapping[str, int]
    ) -> tuple[Mapping[str, Any], list[str], list[str]] | None:
        """The closest accepted test this result is of, with its (terse, plain) shortfalls."""
        best: tuple[Mapping[str, Any], list[str], list[str]] | None = None
        for accepted in self.accepted:
            if language_test_family(str(accepted.get("test", ""))) != test.family:
                continue
            if test.is_general and "general" not in str(accepted["test"]).casefold():
                terse = ["IELTS General Training is not accepted; IELTS Academic is"]
                plain = [f"{self.who} accepts IELTS Academic, not IELTS General Training"]
            else:
                terse, plain = self.shortfalls(accepted, test, oet_rank)
            if self.validity_months and test.taken is not None:
                age = months_between(test.taken, today)
                if age > self.validity_months:
                    terse.append(f"taken {test.taken.isoformat()}, more than {self.validity_months} months ago")
                    plain.append(
                        f"your {test.test} from {test.taken.strftime('%B %Y')} is more than "
                        f"{self.validity_months} months old; {self.who} accepts results up to "
                        f"{self.validity_months} months old"
                    )
                elif age < 0:
                    terse.append(f"dated {test.taken.isoformat()}, in the future")
                    plain.append(f"your {test.test} is dated {test.taken.isoformat()}, which is in the future")
            if best is None or len(terse) < len(best[1]):
                best = (accepted, terse, plain)
        return best

    # -- two sittings ---------------------------------------------------------------------------
    def combined(self, tests: Sequence[LanguageTest], oet_rank: Mapping[str, int]) -> list[LanguageTest]:
        """Pairs of sittings of the same test that may combine: within the window, every part
        sat both times, and no score in either sitting below the minimum for combining."""
        rule = self.combining_sittings
        if not rule or int(rule.get("max_sittings", 1)) < 2:
            return []
        window = float(rule.get("within_months", 0))
        minimums: Mapping[str, Mapping[str, Any]] = rule.get("minimum_scores") or {}
        out: list[LanguageTest] = []
        for i, first in enumerate(tests):
            for second in tests[i + 1 :]:
                if first.family != second.family or first.is_general or second.is_general:
                    continue
                if first.taken is None or second.taken is None:
                    continue
                if abs(months_between(first.taken, second.taken)) > window:
                    continue
                floor = next((m for name, m in minimums.items() if language_test_family(name) == first.family), None)
                if floor is None:
                    continue  # this test cannot be combined
                if any(not self._at_least(t, floor, oet_rank) for t in (first, second)):
                    continue
                parts = {
                    part: self._better(first.components[part], second.components[part], first.family, oet_rank)
                    for part in IELTS_PARTS
                    if part in first.components and part in second.components
                }
                if (
                    rule.get("overall_each_sitting")
                    and "overall" in first.components
                    and "overall" in second.components
                ):
                    # The overall score is not combined: each sitting must reach it on its own.
                    parts["overall"] = min(float(first.components["overall"]), float(second.components["overall"]))
                older = min(first.taken, second.taken)  # validity runs from the earlier sitting
                label = (
                    f"{first.test} (two sittings combined: {first.taken.isoformat()} and {second.taken.isoformat()})"
                )
                out.append(LanguageTest(label, parts, older))
        return out

    @staticmethod
    def _at_least(test: LanguageTest, floor: Mapping[str, Any], oet_rank: Mapping[str, int]) -> bool:
        for part in IELTS_PARTS:
            have, needed = test.components.get(part), floor.get(part)
            if needed is None:
                continue
            if have is None:
                return False
            if test.family == "oet":
                if oet_rank.get(str(have), -1) < oet_rank.get(str(needed), 99):
                    return False
            elif float(have) < float(needed):
                return False
        return True

    @staticmethod
    def _better(a: Any, b: Any, family: str, oet_rank: Mapping[str, int]) -> Any:
        if family == "oet":
            return a if oet_rank.get(str(a), -1) >= oet_rank.get(str(b), -1) else b
        return max(float(a), float(b))

    # -- other evidence -------------------------------------------------------------------------
    def other_routes(
        self, context: EnglishContext, near_miss: bool
    ) -> tuple[tuple[Mapping[str, Any], str] | None, list[str]]:
        """The first other route the resident meets (with what meets it), and routes that may be
        open but need an employer's agreement the engine cannot know."""
        possible: list[str] = []
        for route in self.other_evidence:
            kind = route.get("kind")
            professions = set(route.get("professions") or ())
            countries = context.english_countries.get(str(route.get("countries") or ""), frozenset())
            reference = route.get("with_employer_reference")
            has_reference = "uk_employer_reference" in context.stated
            uk_years = sum(
                years
                for _, family, years, country in context.experience
                # A UK health or care job, by occupation family (the route names the families).
                if country == "GB" and family in set(route.get("uk_role_families") or ())
            )
            reference_ok = has_reference and uk_years >= float(route.get("uk_role_years", 1))
            met: str | None = None
            label = str(route.get("label") or route.get("id"))
            if kind == "qualification_taught_in_english":
                for profession, country, taught, year in context.qualifications:
                    if professions and profession not in professions:
                        continue
                    in_english = (
                        taught is True
                        or (taught is None and "qualification_taught_in_english" in context.stated)
                        or (taught is None and bool(route.get("assume_taught_in_english")))
                    )
                    if not in_english:
                        continue
                    if route.get("countries") and country not in countries:
                        continue
                    recent = route.get("recent_years")
                    if recent is not None and (
                        year is None or context.this_year is None or context.this_year - year > int(recent)
                    ):
                        possible.append(label)  # only if recent: the year is unknown or too long ago
                        continue
                    if reference and not reference_ok:
                        if uk_years >= float(route.get("uk_role_years", 1)) and not has_reference:
                            possible.append(label)
                        continue
                    met = f"{profession} qualification taught and examined in English"
                    break
            elif kind == "registered_practice":
                years = sum(
                    y
                    for profession, _, y, country in context.experience
                    if profession in professions and country in countries
                )
                if years >= float(route.get("min_years", 1)):
                    who = "/".join(sorted(professions))
                    met = f"{years:g} years' practice as a {who} in a majority English-speaking country"
            elif kind == "test_near_miss" and near_miss:
                if reference_ok:
                    met = (
                        "test results within half a band of the required scores, "
                        "with your UK employer's supporting information"
                    )
                elif uk_years >= float(route.get("uk_role_years", 1)):
                    possible.append(label)
            elif kind == "employer_reference" and uk_years >= float(route.get("uk_role_years", 1)):
                # The regulator weighs a reference case by case: it is a route to ask about, never
                # counted as met by the engine.
                possible.append(label)
            if met:
                return (route, met), possible
        return None, possible

    def near_miss(self, tests: Sequence[LanguageTest], oet_rank: Mapping[str, int]) -> bool:
        """Two sittings, and the best falls short in one part only by half a band (or grade)."""
        rule = next((r for r in self.other_evidence if r.get("kind") == "test_near_miss"), None)
        if rule is None or len(tests) < int(rule.get("sittings", 2)):
            return False
        for test in tests:
            for accepted in self.accepted:
                if language_test_family(str(accepted.get("test", ""))) != test.family or test.is_general:
                    continue
                gaps = []
                for part in IELTS_PARTS:
                    needed, have = accepted.get(part), test.components.get(part)
                    if needed is None or have is None:
                        continue
                    if test.family == "oet":
                        gap = oet_rank.get(str(needed), 99) - oet_rank.get(str(have), -1)
                        gaps.append(gap if gap > 0 else 0)
                    else:
                        gaps.append(max(0.0, float(needed) - float(have)) * 2)  # in half bands
                short = [g for g in gaps if g > 0]
                if len(short) == 1 and short[0] <= 1:
                    return True
        return False

    # -- all together ---------------------------------------------------------------------------
    def evaluate(
        self,
        tests: Iterable[LanguageTest],
        today: date,
        oet_rank: Mapping[str, int],
        context: EnglishContext | None = None,
    ) -> EnglishVerdict:
        sittings = list(tests)
        best: tuple[LanguageTest, list[str], list[str]] | None = None
        for test in [*sittings, *self.combined(sittings, oet_rank)]:
            judged = self.judge(test, today, oet_rank)
            if judged is None:
                continue
            _, terse, plain = judged
            if not terse:
                return EnglishVerdict(True, test)
            if best is None or len(terse) < len(best[1]):
                best = (test, terse, plain)
        possible: list[str] = []
        if context is not None:
            found, possible = self.other_routes(context, self.near_miss(sittings, oet_rank))
            if found is not None:
                return EnglishVerdict(True, None, route=found[1])
        if best is None:
            accepted = ", ".join(dict.fromkeys(str(a.get("test")) for a in self.accepted))
            reason = "no accepted English test result"
            plain_none = f"no English test result yet; {self.who} accepts {accepted}"
            if sittings:
                taken = ", ".join(dict.fromkeys(t.test for t in sittings))
                plain_none = f"{self.who} does not accept {taken}; it accepts {accepted}"
            return EnglishVerdict(False, None, (reason,), (plain_none,), possible=tuple(possible))
        return EnglishVerdict(False, best[0], tuple(best[1]), tuple(best[2]), possible=tuple(possible))
