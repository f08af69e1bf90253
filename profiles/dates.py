"""Dates and durations as CVs and residents write them, and the years they add up to.

"2016-2021" is 5 years; "Jan 2019 - present" runs to today; "since 2023" (no month) counts from
the middle of 2023; "3 years", "18 months", "one year" are durations. A month without a day is
the 1st of that month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"


# One date: "14/02/2026", "02/2026", "12 May 2026", "May 2026", "2026".
def _date(n: int) -> str:
    return (
        rf"(?:(?P<d{n}>\d{{1,2}})[/.-](?P<m{n}>\d{{1,2}})[/.-](?P<y{n}>{_YEAR})"
        rf"|(?P<mn{n}>\d{{1,2}})[/.-](?P<yn{n}>{_YEAR})"
        rf"|(?:(?P<dd{n}>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<mw{n}>{_MONTH}),?\s*(?P<yw{n}>{_YEAR})"
        rf"|(?P<yo{n}>{_YEAR}))"
    )


_NOW = r"(?P<now>present|now|current(?:ly)?|date|today|ongoing|till date|to date)"
_RANGE = re.compile(
    rf"(?<![\w/])(?:from\s+)?{_date(1)}\s*(?:-|–|—|to|until|till)\s*(?:{_date(2)}|{_NOW})(?![\w/])",
    re.IGNORECASE,
)
_SINCE = re.compile(rf"\b(?:since|from)\s+{_date(1)}(?!\s*(?:-|–|—|to\b|until\b))", re.IGNORECASE)
_ONE_DATE = re.compile(rf"(?<![\w/]){_date(1)}(?![\w/])", re.IGNORECASE)
_DURATION = re.compile(
    r"\b(?P<qual>nearly|almost|about|around|over|more than|less than)?\s*"
    r"(?P<n>\d{1,2}(?:\.\d)?|" + "|".join(NUMBERS) + r")\s*(?:\+\s*)?(?P<half>and a half\s+)?"
    r"(?P<unit>years?|yrs?|months?|mths?)(?:'|’)?(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Moment:
    year: int
    month: int | None = None
    day: int | None = None

    def as_date(self) -> date | None:
        """The date it names, or None when the month is not known."""
        if self.month is None:
            return None
        try:
            return date(self.year, self.month, self.day or 1)
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of time found in text: a range, "since ...", or a duration."""

    start: int
    end: int
    years: float
    kind: str  # "range", "since", "duration"
    first: Moment | None = None
    last: Moment | None = None  # None with kind "range"/"since": to today


def _moment(match: re.Match[str], n: int) -> Moment | None:
    group = match.groupdict()
    if group.get(f"y{n}"):
        return Moment(int(group[f"y{n}"]), int(group[f"m{n}"]), int(group[f"d{n}"]))
    if group.get(f"yn{n}"):
        return Moment(int(group[f"yn{n}"]), int(group[f"mn{n}"]))
    if group.get(f"yw{n}"):
        month = MONTHS[group[f"mw{n}"].rstrip(".").casefold()]
        day = int(group[f"dd{n}"]) if group.get(f"dd{n}") else None
        return Moment(int(group[f"yw{n}"]), month, day)
    if group.get(f"yo{n}"):
        return Moment(int(group[f"yo{n}"]))
    return None


def years_between(first: Moment, last: Moment | None, today: date) -> float:
    """Years from ``first`` to ``last`` (None: today), months counted inclusively; an unknown
    month is the middle of the year, so "2016-2021" is 5."""
    start = first.year * 12 + (first.month or 7) - 1
    end = today.year * 12 + today.month - 1 if last is None else last.year * 12 + (last.month or 6) - 1
    return round(max(0, end - start + 1) / 12, 1)


def periods(text: str, today: date) -> list[Period]:
    """Every range, "since ..." and duration in ``text``, left to right, none overlapping."""
    found: list[Period] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _RANGE.finditer(text):
        first = _moment(match, 1)
        last = None if match.group("now") else _moment(match, 2)
        if first is None or (last is not None and (last.year, last.month or 0) < (first.year, first.month or 0)):
            continue
        if last is not None and last.year > today.year:
            continue
        found.append(Period(match.start(), match.end(), years_between(first, last, today), "range", first, last))
        taken.append((match.start(), match.end()))
    for match in _SINCE.finditer(text):
        if not free(match.start(), match.end()):
            continue
        first = _moment(match, 1)
        if first is None or first.year > today.year:
            continue
        found.append(Period(match.start(), match.end(), years_between(first, None, today), "since", first, None))
        taken.append((match.start(), match.end()))
    for match in _DURATION.finditer(text):
        if not free(match.start(), match.end()):
            continue
        raw = match.group("n").casefold()
        amount = float(NUMBERS.get(raw, 0) or raw)
        if match.group("half"):
            amount += 0.5
        if match.group("unit").casefold().startswith("m"):
            amount /= 12
        found.append(Period(match.start("n"), match.end(), round(amount, 1), "duration"))
        taken.append((match.start(), match.end()))
    return sorted(found, key=lambda p: p.start)


def single_dates(text: str) -> list[tuple[int, int, Moment]]:
    """Every single date ("May 2026", "14/02/2026", "2015") with its offsets."""
    out = []
    for match in _ONE_DATE.finditer(text):
        moment = _moment(match, 1)
        if moment is not None:
            out.append((match.start(), match.end(), moment))
    return out


_RELATIVE = re.compile(rf"\b(?:last|this)\s+(?P<what>month|{_MONTH})(?!\w)", re.IGNORECASE)


def relative_date(text: str, today: date) -> tuple[int, int, date] | None:
    """A month named relative to today ("last June", "last month", "this March"): its first day,
    the most recent such month before today."""
    match = _RELATIVE.search(text)
    if match is None:
        return None
    what = match.group("what").rstrip(".").casefold()
    if what == "month":
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    else:
        month = MONTHS[what]
        year = today.year if month < today.month else today.year - 1
    return match.start(), match.end(), date(year, month, 1)
