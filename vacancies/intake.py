"""Vacancy intake: NHS adverts from JSON, CSV or pasted text to validated vacancy records.

Every parser returns an :class:`ImportReport` and never raises on bad input: each problem is
reported with the physical line it came from (where there is one) and the field as the file
names it, and a file with any problem imports nothing, so a recruiter fixes the file and
imports it again rather than untangling a half-finished import.

:class:`VacancyRecord` accepts what adverts actually say ("Band 5", "Fixed-Term: 12 months",
"£29,970 - £36,483 a year", "31 December 2026") and stores one canonical form;
:meth:`VacancyRecord.to_contract` gives the DESIGN.md Vacancy object. This module is pure:
no Flask, no SQLAlchemy, no I/O except :func:`parse_file`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

__all__ = [
    "CONTRACTS",
    "CRITERION_KINDS",
    "DEFAULT_LIMITS",
    "WORKING_PATTERNS",
    "ImportReport",
    "IntakeLimits",
    "Problem",
    "VacancyRecord",
    "parse_advert",
    "parse_csv",
    "parse_file",
    "parse_json",
    "write_csv",
]


@dataclass(frozen=True, slots=True)
class IntakeLimits:
    """Every bound the intake checks, in one place."""

    max_file_bytes: int = 10 * 1024 * 1024
    #: Reporting stops here: a file this broken needs fixing as a whole, not line by line.
    max_problems: int = 200
    max_text_chars: int = 300
    max_reference_chars: int = 100
    max_criterion_chars: int = 2_000
    max_criteria: int = 200
    #: Weekly hours above the Working Time Regulations' 48-hour average are a typing error.
    max_hours: float = 48.0
    #: Agenda for Change full time (DOMAIN.md).
    full_time_hours: float = 37.5
    earliest_closing_date: date = date(2000, 1, 1)
    latest_closing_date: date = date(2100, 12, 31)
    annual_salary_range: tuple[int, int] = (1_000, 500_000)
    hourly_salary_range: tuple[float, float] = (1.0, 1_000.0)


DEFAULT_LIMITS = IntakeLimits()

#: The criterion kinds matcher.requirements.REQUIREMENT_KINDS accepts (a test keeps the two equal).
#: Not imported from there: importing ``matcher`` loads the whole engine, about a second.
CRITERION_KINDS = (
    "credential",
    "skill",
    "qualification",
    "experience",
    "language",
    "check",
    "quality",
    "condition",
)
CONTRACTS = ("permanent", "fixed_term", "bank", "secondment")
#: Canonical working pattern -> the label NHS Jobs shows (and write_csv writes).
WORKING_PATTERNS: Mapping[str, str] = {
    "full_time": "Full time",
    "part_time": "Part time",
    "flexible": "Flexible working",
    "job_share": "Job share",
    "compressed_hours": "Compressed hours",
    "annualised_hours": "Annualised hours",
    "term_time": "Term time hours",
    "remote": "Home or remote working",
    "shifts": "Shift work",
    "nights": "Nights",
    "weekends": "Weekends",
}
_PATTERN_SYNONYMS = {
    "fulltime": "full_time",
    "ft": "full_time",
    "parttime": "part_time",
    "pt": "part_time",
    "flexible": "flexible",
    "flexible hours": "flexible",
    "flexi time": "flexible",
    "flexitime": "flexible",
    "job sharing": "job_share",
    "annualized hours": "annualised_hours",
    "term time": "term_time",
    "term time only": "term_time",
    "remote working": "remote",
    "remote": "remote",
    "home working": "remote",
    "shifts": "shifts",
    "shift work": "shifts",
    "rotational shifts": "shifts",
    "night shifts": "nights",
    "night work": "nights",
    "weekend working": "weekends",
}

Criterion = str | dict[str, Any]


# -- problems and reports -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: where (line, field as the file names it) and why."""

    line: int | None
    field: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"line {self.line}" if self.line else "", self.field or "") if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import found. ``records`` is empty whenever there is any problem."""

    records: list[VacancyRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.records) and not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "count": len(self.records),
            "vacancies": [record.to_contract() for record in self.records],
            "problems": [problem.to_dict() for problem in self.problems],
        }


class _Problems:
    """Collects problems up to the limit, then notes that it stopped."""

    def __init__(self, limit: int) -> None:
        self.items: list[Problem] = []
        self.limit = limit

    @property
    def full(self) -> bool:
        return len(self.items) >= self.limit

    def add(self, line: int | None, field_name: str | None, message: str) -> None:
        if len(self.items) < self.limit:
            self.items.append(Problem(line, field_name, message))
            if self.full:
                self.items.append(Problem(None, None, f"stopped after {self.limit} problems; fix these and try again"))


def _report(records: list[VacancyRecord], problems: _Problems, *, what: str) -> ImportReport:
    if not records and not problems.items:
        problems.add(None, None, f"the {what} holds no vacancies")
    return ImportReport([] if problems.items else records, problems.items)


# -- field names --------------------------------------------------------------------------------
def _key(name: str) -> str:
    """'Essential criteria:' -> 'essential_criteria' (case, spaces and punctuation ignored)."""
    return re.sub(r"[^0-9a-z]+", "_", name.replace("\ufeff", "").casefold()).strip("_")


# Input fields (some are not model fields: salary, location, hours_per_week) and the names files use.
_ALIASES: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "job_reference", "reference_number", "job_ref", "ref", "vacancy_reference", "id"),
    "title": ("title", "job_title", "role"),
    "employer": ("employer", "employer_name", "organisation", "organization", "trust"),
    "band": ("band", "afc_band", "pay_band", "grade"),
    "staff_group": ("staff_group",),
    "specialty": ("specialty", "speciality", "specialty_function", "main_area", "department"),
    "site": ("site", "hospital"),
    "town": ("town", "city", "town_city"),
    "location": ("location", "job_location", "job_locations"),
    "contract": ("contract", "contract_type", "type_of_contract"),
    "contract_months": ("contract_months", "contract_length_months"),
    "working_pattern": ("working_pattern", "working_patterns"),
    "hours": ("hours",),
    "hours_per_week": ("hours_per_week", "weekly_hours", "hours_a_week"),
    "salary": ("salary", "salary_range", "pay"),
    "salary_min": ("salary_min", "minimum_salary"),
    "salary_max": ("salary_max", "maximum_salary"),
    "salary_hourly": ("salary_hourly", "hourly"),
    "closing_date": ("closing_date", "closing", "closes", "close_date", "deadline"),
    "essential": ("essential", "essential_criteria"),
    "desirable": ("desirable", "desirable_criteria"),
    "essential_context": ("essential_context",),
    "desirable_context": ("desirable_context",),
}
_FIELD_OF = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
#: Column headings write_csv writes, in order (and the names problems suggest).
_COLUMNS: dict[str, str] = {
    "reference": "Reference",
    "title": "Job title",
    "employer": "Employer",
    "band": "Band",
    "staff_group": "Staff group",
    "specialty": "Specialty",
    "site": "Site",
    "town": "Town",
    "contract": "Contract",
    "working_pattern": "Working pattern",
    "hours": "Hours",
    "salary": "Salary",
    "closing_date": "Closing date",
    "essential": "Essential criteria",
    "desirable": "Desirable criteria",
}
_REQUIRED = {"reference": "the advert reference", "title": "the job title", "employer": "the employer"}


# -- one field at a time ------------------------------------------------------------------------
class _Invalid(ValueError):
    """A field value that cannot be used; the message says why and what would do."""


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


#: Unicode categories Cc (control characters) and Cs (unpaired surrogates, which JSON escapes can make).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _text(value: object, limit: int, *, numbers: bool = False) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int) or (isinstance(value, int) and not numbers):
        raise _Invalid(f"must be text, got {_show(value)}")
    text = " ".join(str(value).split())
    if not text:
        raise _Invalid("must not be empty")
    if _CONTROL.search(text):
        raise _Invalid("contains control characters or unpaired surrogates")
    if len(text) > limit:
        raise _Invalid(f"longer than {limit:,} characters")
    return text


_BAND = re.compile(
    r"^(?:nhs\s+)?(?:(?:afc|agenda\s+for\s+change)\s*[:\-]?\s*)?(?:band\s*[:\-]?\s*)?(?P<band>[1-9]|8\s*[a-d])$",
    re.IGNORECASE,
)
_OFF_AFC = re.compile(r"^(?:non[\s\-]*afc|not\s+afc|medical\s*(?:and|&)\s*dental|n/?a|not\s+applicable)$", re.I)


def _band(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _Invalid(f"must be text such as 'Band 5', got {_show(value)}")
    text = " ".join(value.split())
    if _OFF_AFC.match(text):
        return None  # not on Agenda for Change (doctors, for instance): no band
    found = _BAND.match(text)
    if not found:
        raise _Invalid(f"not an Agenda for Change band (1-9 or 8a-8d, e.g. 'Band 5'), got {_show(value)}")
    return found["band"].replace(" ", "").casefold()


_CONTRACT = re.compile(
    r"^(?P<kind>permanent|fixed[\s\-_]*term|bank|secondment)\b\s*[:\-–(,]?\s*"
    r"(?:(?P<length>\d{1,3})\s*(?P<unit>months?|years?))?\s*\)?\s*$",
    re.IGNORECASE,
)


def _contract(value: object) -> tuple[str, int | None]:
    if not isinstance(value, str):
        raise _Invalid(f"must be text such as 'Permanent', got {_show(value)}")
    found = _CONTRACT.match(" ".join(value.split()))
    if not found:
        raise _Invalid(
            f"not a contract type (Permanent, Fixed term, Fixed term: 12 months, Bank, Secondment), got {_show(value)}"
        )
    kind = re.sub(r"[\s\-_]+", "_", found["kind"].casefold())
    months = None
    if found["length"]:
        months = int(found["length"]) * (12 if found["unit"].casefold().startswith("year") else 1)
    return kind, months


def _months(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 120:
        raise _Invalid(f"a number of months from 1 to 120, got {_show(value)}")
    return value


def _pattern_word(word: str) -> str | None:
    key = " ".join(re.sub(r"[\-_]", " ", word.casefold()).split())
    for canonical, label in WORKING_PATTERNS.items():
        if key in (canonical.replace("_", " "), label.casefold()):
            return canonical
    return _PATTERN_SYNONYMS.get(key)


def _working_pattern(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    found: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise _Invalid(f"must be text such as 'Full time, Flexible working', got {_show(item)}")
        for word in re.split(r"[,;|/\n]|\band\b|&", item):
            if not word.strip():
                continue
            canonical = _pattern_word(word)
            if canonical is None:
                known = ", ".join(WORKING_PATTERNS.values())
                raise _Invalid(f"unknown working pattern {_show(word.strip())}; known: {known}")
            if canonical not in found:
                found.append(canonical)
    return found


_HOURS = re.compile(
    r"^(?:up\s+to\s+)?(?P<h>\d{1,3}(?:\.\d+)?)\s*(?:h|hrs?|hours?)?\.?"
    r"(?:\s*(?:per|a|/)\s*(?:week|wk))?\.?$",
    re.IGNORECASE,
)


def _hours(value: object, limits: IntakeLimits) -> tuple[float | None, str | None]:
    """Hours a week, or a pattern word ("Full time") when that is what the hours column says."""
    if isinstance(value, bool):
        raise _Invalid(f"a number of hours a week, got {_show(value)}")
    if isinstance(value, str):
        pattern = _pattern_word(value.strip())
        if pattern in ("full_time", "part_time"):
            return None, pattern
        found = _HOURS.match(" ".join(value.split()))
        if not found:
            raise _Invalid(f"one number of hours a week such as '37.5' or '37.5 hours per week', got {_show(value)}")
        value = float(found["h"])
    if not isinstance(value, int | float) or value != value:  # NaN is a float too
        raise _Invalid(f"a number of hours a week, got {_show(value)}")
    hours = round(float(value), 2)
    if not 0 < hours <= limits.max_hours:
        raise _Invalid(f"hours a week must be more than 0 and at most {limits.max_hours:g}, got {value:g}")
    return hours, None


_AMOUNT = r"£?\s*\d[\d,]*(?:\.\d+)?\s*(?:k\b)?"
_SALARY = re.compile(
    rf"^(?P<prefix>from|up\s+to)?\s*(?P<a>{_AMOUNT})(?:\s*(?:-|–|—|to)\s*(?P<b>{_AMOUNT}))?(?P<rest>.*)$",
    re.IGNORECASE,
)
_HOURLY = re.compile(r"(?:\bper|\ban|\ba|/)\s*(?:hour|hr)s?\b|\bhourly\b|\bp/?h\b", re.IGNORECASE)
_ANNUAL = re.compile(r"(?:\bper|\ba|/)\s*(?:year|yr|annum)\b|\bp\.?a\b\.?|\bannual(?:ly)?\b", re.IGNORECASE)
_OTHER_PERIOD = re.compile(r"(?:\bper|\ba|/)\s*(?:month|week|day|session)\b|\b(?:monthly|weekly|daily)\b", re.I)


def _amount(text: str) -> float:
    digits = text.replace("£", "").replace(",", "").strip()
    thousands = digits.casefold().endswith("k")
    number = float(digits.rstrip("kK").strip())
    return number * 1000 if thousands else number


def _salary(value: object) -> tuple[float | None, float | None, bool]:
    """'£29,970 - £36,483 a year' -> (29970, 36483, False); '£25.50 per hour' -> (25.5, 25.5, True)."""
    if not isinstance(value, str):
        raise _Invalid(f"must be text such as '£29,970 - £36,483 a year', got {_show(value)}")
    text = " ".join(value.split())
    found = _SALARY.match(text)
    if not found:
        raise _Invalid(
            f"no amount found in {_show(value)}; write e.g. '£29,970 - £36,483 a year' or '£25.50 per hour', "
            "or leave it empty"
        )
    rest = found["rest"]
    if "£" in rest or re.match(r"\s*\d", rest):
        raise _Invalid(f"give one amount or a range of two, got {_show(value)}")
    hourly, annual = bool(_HOURLY.search(rest)), bool(_ANNUAL.search(rest))
    if hourly and annual:
        raise _Invalid(f"says both hourly and yearly: {_show(value)}")
    if not (hourly or annual) and _OTHER_PERIOD.search(rest):
        raise _Invalid(f"only yearly or hourly pay can be imported, got {_show(value)}")
    low, high = _amount(found["a"]), _amount(found["b"]) if found["b"] else None
    if not (hourly or annual):
        if low < 1000:
            raise _Invalid(f"say whether {_show(value)} is per hour or a year")
        annual = True
    prefix = (found["prefix"] or "").casefold()
    if high is None:
        if prefix == "from":
            return low, None, hourly
        if prefix.startswith("up"):
            return None, low, hourly
        high = low
    return low, high, hourly


def _money(value: object) -> float:
    if isinstance(value, str) and re.fullmatch(_AMOUNT, value.strip(), re.IGNORECASE):
        return _amount(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise _Invalid(f"an amount in pounds such as 29970, got {_show(value)}")
    return float(value)


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in ("true", "yes", "y", "1", "false", "no", "n", "0"):
        return value.strip().casefold() in ("true", "yes", "y", "1")
    raise _Invalid(f"true or false, got {_show(value)}")


_MONTH_NUMBER = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_ISO_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DAY_MONTH_YEAR = re.compile(rf"^{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+(\d{{4}})$", re.I)
_MONTH_DAY_YEAR = re.compile(rf"^{_WEEKDAY}([a-z]+)\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$", re.I)


def _closing_date(value: object, limits: IntakeLimits) -> date:
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, str):
        found = _read_date(" ".join(value.split()))
    else:
        raise _Invalid(f"a date such as 2026-12-31, 31/12/2026 or 31 December 2026, got {_show(value)}")
    if found < limits.earliest_closing_date:
        raise _Invalid(f"{found.isoformat()} is before {limits.earliest_closing_date.year}; check the year")
    if found > limits.latest_closing_date:
        raise _Invalid(f"{found.isoformat()} is after {limits.latest_closing_date.isoformat()}; check the year")
    return found


def _read_date(text: str) -> date:
    parts: tuple[int, int, int] | None = None  # year, month, day
    if found := _ISO_DATE.match(text):
        parts = (int(found[1]), int(found[2]), int(found[3]))
    elif found := _UK_DATE.match(text):
        parts = (int(found[3]), int(found[2]), int(found[1]))
    elif (found := _DAY_MONTH_YEAR.match(text)) and found[2].casefold() in _MONTH_NUMBER:
        parts = (int(found[3]), _MONTH_NUMBER[found[2].casefold()], int(found[1]))
    elif (found := _MONTH_DAY_YEAR.match(text)) and found[1].casefold() in _MONTH_NUMBER:
        parts = (int(found[3]), _MONTH_NUMBER[found[1].casefold()], int(found[2]))
    if parts is None:
        raise _Invalid(f"not a date; write 2026-12-31, 31/12/2026 or 31 December 2026, got {_show(text)}")
    try:
        return date(*parts)
    except ValueError:
        raise _Invalid(f"not a real date (day/month/year), got {_show(text)}") from None


# -- criteria -----------------------------------------------------------------------------------
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦●‣–—]+\s*|\(?\d{1,2}[.)]\s+|\(?[a-zA-Z]\)\s+)")


def _strip_bullet(text: str) -> str:
    while (stripped := _BULLET.sub("", text, count=1)) != text:
        text = stripped
    return text


def _structured_line(line: str) -> dict[str, Any] | None:
    """A cell line holding a structured criterion as JSON: {"kind": "skill", "text": "venepuncture"}."""
    if not line.startswith("{"):
        return None
    try:
        item = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return item if isinstance(item, dict) and "kind" in item else None


def _split_criteria(cell: str) -> list[Criterion]:
    """A cell of criteria: one per line when it has a line break, else separated by ';' or '|'.

    Splitting on ';' within a line only when the cell is one line keeps criteria that contain a
    semicolon whole in the usual spreadsheet layout (one criterion per line in the cell).
    """
    whole = cell.strip()
    if structured := _structured_line(whole):
        return [structured]
    # Any line break, even a trailing one, makes the cell one criterion per line.
    pieces = cell.splitlines() if len((cell + ".").splitlines()) > 1 else re.split(r"[;|]", cell)
    out: list[Criterion] = []
    for piece in pieces:
        text = piece.strip()
        item = _structured_line(text)
        if item is not None:
            out.append(item)
            continue
        text = _strip_bullet(" ".join(text.split()))
        if text:
            out.append(text)
    return out


def _criterion(item: object, limits: IntakeLimits) -> Criterion:
    if isinstance(item, str):
        text = _strip_bullet(" ".join(item.split()))
        return _text(text, limits.max_criterion_chars)
    if not isinstance(item, Mapping):
        raise _Invalid(f"must be text or an object such as {{'kind': 'skill', 'text': ...}}, got {_show(item)}")
    kind = item.get("kind")
    if kind not in CRITERION_KINDS:
        raise _Invalid(f"kind must be one of {', '.join(CRITERION_KINDS)}, got {_show(kind)}")
    out = dict(item)
    if kind in ("credential", "check"):
        if not isinstance(item.get("id"), str) or not item["id"].strip():
            raise _Invalid(f"a {kind} criterion needs an 'id' (a canonical credential id such as 'dbs-enhanced')")
        out["id"] = _text(item["id"], limits.max_text_chars)
    elif "text" not in item:
        raise _Invalid(f"a {kind} criterion needs a 'text'")
    if "text" in item:
        out["text"] = _text(item["text"], limits.max_criterion_chars)
    if kind == "experience" and "years" in item:
        years = item["years"]
        if isinstance(years, bool) or not isinstance(years, int | float) or not 0 <= years <= 70:
            raise _Invalid(f"an experience criterion's 'years' must be a number from 0 to 70, got {_show(years)}")
    return out


def _criteria(
    value: object, name: str, limits: IntakeLimits, problems: list[tuple[str | None, str]]
) -> list[Criterion]:
    items = _split_criteria(value) if isinstance(value, str) else value
    if not isinstance(items, list):
        problems.append((name, f"must be a list of criteria, got {_show(value)}"))
        return []
    if len(items) > limits.max_criteria:
        problems.append((name, f"at most {limits.max_criteria} criteria, got {len(items)}"))
        return []
    out: list[Criterion] = []
    for position, item in enumerate(items):
        try:
            out.append(_criterion(item, limits))
        except _Invalid as exc:
            problems.append((f"{name}[{position}]", str(exc)))
    return out


# -- the record ---------------------------------------------------------------------------------
class VacancyRecord(BaseModel):
    """One advert, canonical. Build with ``VacancyRecord.model_validate(mapping)``.

    The mapping may use the names adverts and spreadsheets use ("Job title", "Closing date",
    "Salary", "Location", "id") and their loose values; the ``mode="before"`` validator turns
    them into the fields below and reports every problem at once.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    reference: str = Field(description="The advert reference, e.g. 'C9-389-24-0123'.")
    title: str
    employer: str
    band: str | None = Field(default=None, description="Agenda for Change band: '1'..'9', '8a'..'8d'.")
    staff_group: str | None = None
    specialty: str | None = None
    site: str | None = None
    town: str | None = None
    contract: Literal["permanent", "fixed_term", "bank", "secondment"] | None = None
    contract_months: int | None = Field(default=None, description="Length of a fixed-term contract or secondment.")
    working_pattern: list[str] = Field(default_factory=list, description="Canonical patterns, e.g. ['full_time'].")
    hours: float | None = Field(default=None, description="Hours a week.")
    salary_min: int | float | None = Field(default=None, description="GBP: whole pounds a year, or pounds an hour.")
    salary_max: int | float | None = None
    salary_hourly: bool = False
    closing_date: date | None = None
    essential: list[Criterion] = Field(default_factory=list)
    desirable: list[Criterion] = Field(default_factory=list)
    #: The sub-heading ("Qualifications", "Experience") each criterion sat under, when an advert had them.
    essential_context: list[str | None] = Field(default_factory=list)
    desirable_context: list[str | None] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, BaseModel):
            data = data.model_dump()
        if not isinstance(data, Mapping):
            problem = (None, f"a vacancy must be an object with named fields, got {_show(data)}")
            raise PydanticCustomError("vacancy_record", "{summary}", {"summary": problem[1], "problems": [problem]})
        context = info.context if isinstance(info.context, Mapping) else {}
        limits = context.get("limits")
        clean, problems = _normalise_record(data, limits if isinstance(limits, IntakeLimits) else DEFAULT_LIMITS)
        if problems:
            summary = "; ".join(f"{name}: {message}" if name else message for name, message in problems)
            raise PydanticCustomError("vacancy_record", "{summary}", {"summary": summary, "problems": problems})
        return clean

    @property
    def location(self) -> str | None:
        """'site, town', without repeating a town the site already names."""
        parts = [part for part in (self.site, self.town) if part]
        if self.site and self.town and self.town.casefold() in (p.strip().casefold() for p in self.site.split(",")):
            parts = [self.site]
        return ", ".join(parts) or None

    @property
    def hours_kind(self) -> str | None:
        """'full_time' or 'part_time' from the weekly hours, else from the working pattern."""
        if self.hours is not None:
            return "full_time" if self.hours >= DEFAULT_LIMITS.full_time_hours else "part_time"
        full, part = "full_time" in self.working_pattern, "part_time" in self.working_pattern
        if full != part:
            return "full_time" if full else "part_time"
        return None  # neither, or both offered: the advert does not say

    def to_contract(self) -> dict[str, Any]:
        """The DESIGN.md Vacancy object (id is the reference), plus the fields the contract lacks."""
        return {
            "id": self.reference,
            "employer": self.employer,
            "title": self.title,
            "band": self.band,
            "staff_group": self.staff_group,
            "location": self.location,
            "hours": self.hours_kind,
            "contract": self.contract,
            "closing_date": self.closing_date.isoformat() if self.closing_date else None,
            "essential": [dict(c) if isinstance(c, dict) else c for c in self.essential],
            "desirable": [dict(c) if isinstance(c, dict) else c for c in self.desirable],
            "specialty": self.specialty,
            "site": self.site,
            "town": self.town,
            "contract_months": self.contract_months,
            "working_pattern": list(self.working_pattern),
            "hours_per_week": self.hours,
            "salary_min": self.salary_min,
            "salary_max": self.salary_max,
            "salary_hourly": self.salary_hourly,
            "essential_context": list(self.essential_context),
            "desirable_context": list(self.desirable_context),
        }


def _normalise_record(
    data: Mapping[Any, Any], limits: IntakeLimits
) -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
    """Loose input -> the model's fields, and every problem as (field as given, message)."""
    problems: list[tuple[str | None, str]] = []
    given: dict[str, tuple[str, Any]] = {}  # input field -> (name as written, value)
    names: dict[str, str] = {}  # input field -> name as written, blank or not
    for key, value in data.items():
        name = str(key)
        canonical = _FIELD_OF.get(_key(name))
        if canonical is None:
            problems.append((name, f"unknown field; expected one of: {', '.join(_ALIASES)}"))
            continue
        names.setdefault(canonical, name)
        if _blank(value):
            continue
        elif canonical in given:
            other, previous = given[canonical]
            if previous != value:
                problems.append((name, f"given twice, as {other!r} and {name!r}, with different values"))
        else:
            given[canonical] = (name, value)

    failed: set[str] = set()

    def take(canonical: str, parse: Callable[[Any], Any]) -> Any:
        if canonical not in given:
            return None
        name, value = given[canonical]
        try:
            return parse(value)
        except _Invalid as exc:
            problems.append((name, str(exc)))
            failed.add(canonical)
            return None

    def name_of(canonical: str) -> str:
        return given[canonical][0] if canonical in given else names.get(canonical, canonical)

    out: dict[str, Any] = {
        "reference": take("reference", lambda v: _text(v, limits.max_reference_chars, numbers=True)),
        "title": take("title", lambda v: _text(v, limits.max_text_chars)),
        "employer": take("employer", lambda v: _text(v, limits.max_text_chars)),
    }
    problems.extend((name_of(name), f"required: {what}") for name, what in _REQUIRED.items() if name not in given)
    for canonical in ("staff_group", "specialty", "site", "town"):
        out[canonical] = take(canonical, lambda v: _text(v, limits.max_text_chars))
    location = take("location", lambda v: _text(v, limits.max_text_chars))
    if location and "site" not in given and "town" not in given:
        # 'Midland Metropolitan University Hospital, Smethwick': the last part is the town.
        site, _, town = location.rpartition(",")
        out["site"], out["town"] = (site.strip(), town.strip()) if site.strip() else (location, None)
    out["band"] = take("band", _band)

    contract = take("contract", _contract)
    out["contract"], months = contract if contract else (None, None)
    explicit_months = take("contract_months", _months)
    if months and explicit_months and months != explicit_months:
        problems.append((name_of("contract_months"), f"{explicit_months} months, but the contract says {months}"))
    out["contract_months"] = explicit_months or months
    if out["contract_months"] and out["contract"] in ("permanent", "bank"):
        problems.append((name_of("contract"), f"a {out['contract']} contract has no length"))

    pattern = take("working_pattern", _working_pattern) or []
    hours, hours_word = take("hours", lambda v: _hours(v, limits)) or (None, None)
    weekly, _ = take("hours_per_week", lambda v: _hours(v, limits)) or (None, None)
    if hours is not None and weekly is not None and hours != weekly:
        problems.append((name_of("hours_per_week"), f"{weekly:g} hours a week, but hours says {hours:g}"))
    if hours_word and hours is None and weekly is None and hours_word not in pattern:
        pattern.append(hours_word)  # "Hours: Full time" when no number is given
    out["working_pattern"], out["hours"] = pattern, hours if hours is not None else weekly

    _salary_fields(given, take, name_of, failed, problems, out, limits)
    out["closing_date"] = take("closing_date", lambda v: _closing_date(v, limits))

    for section in ("essential", "desirable"):
        out[section] = _criteria(given[section][1], given[section][0], limits, problems) if section in given else []
        context_name = f"{section}_context"
        context = take(context_name, lambda v: _context(v, limits))
        if context and len(context) != len(out[section]):
            problems.append((name_of(context_name), f"needs one entry per {section} criterion ({len(out[section])})"))
        out[context_name] = context or []
    return out, problems


def _context(value: object, limits: IntakeLimits) -> list[str | None]:
    if not isinstance(value, list):
        raise _Invalid(f"must be a list of headings (or nulls), got {_show(value)}")
    return [None if _blank(item) else _text(item, limits.max_text_chars) for item in value]


def _salary_fields(
    given: Mapping[str, tuple[str, Any]],
    take: Callable[[str, Callable[[Any], Any]], Any],
    name_of: Callable[[str], str],
    failed: set[str],
    problems: list[tuple[str | None, str]],
    out: dict[str, Any],
    limits: IntakeLimits,
) -> None:
    if "salary" in given and ("salary_min" in given or "salary_max" in given):
        problems.append((name_of("salary"), "give either salary or salary_min/salary_max, not both"))
        return
    if "salary" in given:
        low, high, hourly = take("salary", _salary) or (None, None, False)
        where = where_low = where_high = name_of("salary")
    else:
        low, high = take("salary_min", _money), take("salary_max", _money)
        hourly = bool(take("salary_hourly", _flag))
        where, where_low, where_high = name_of("salary_hourly"), name_of("salary_min"), name_of("salary_max")
    if failed & {"salary", "salary_min", "salary_max", "salary_hourly"}:
        return
    bottom, top = limits.hourly_salary_range if hourly else limits.annual_salary_range
    unit = "an hour" if hourly else "a year"
    for amount, name in ((low, where_low), (high, where_high)):
        if amount is not None and not bottom <= amount <= top:
            problems.append((name, f"£{amount:,.2f} {unit} is outside £{bottom:,g} to £{top:,g}; check the figure"))
            return
    if low is not None and high is not None and low > high:
        problems.append((where, f"the minimum (£{low:,.2f}) is above the maximum (£{high:,.2f})"))
        return
    if hourly and low is None and high is None:
        problems.append((where, "hourly is set but no salary is given"))
        return

    def pounds(amount: float | None) -> int | float | None:
        if amount is None:
            return None
        return round(amount, 2) if hourly else round(amount)

    out["salary_min"], out["salary_max"], out["salary_hourly"] = pounds(low), pounds(high), hourly


def _validate(data: object, limits: IntakeLimits) -> tuple[VacancyRecord | None, list[tuple[str | None, str]]]:
    try:
        return VacancyRecord.model_validate(data, context={"limits": limits}), []
    except ValidationError as exc:
        problems: list[tuple[str | None, str]] = []
        for error in exc.errors():
            listed = (error.get("ctx") or {}).get("problems")
            if error["type"] == "vacancy_record" and isinstance(listed, list):
                problems.extend(listed)
            else:  # a field the before-validator let through (a defect of ours, but still reported)
                problems.append((".".join(str(part) for part in error["loc"]) or None, error["msg"]))
        return None, problems


def _reference_of(data: Mapping[Any, Any]) -> tuple[str, str] | None:
    """(field as written, reference) a raw row gives, whether or not the rest of the row is valid."""
    for key, value in data.items():
        if _FIELD_OF.get(_key(str(key))) != "reference" or isinstance(value, bool) or not isinstance(value, str | int):
            continue
        reference = " ".join(str(value).split())
        return (str(key), reference) if reference else None
    return None


class _References:
    """Two adverts with one reference in a file are a problem naming where each is."""

    def __init__(self, problems: _Problems) -> None:
        self.first: dict[str, str] = {}
        self.problems = problems

    def check(self, data: Mapping[Any, Any], line: int | None, where: str) -> None:
        found = _reference_of(data)
        if found is None:
            return
        name, reference = found
        key = reference.casefold()
        if key in self.first:
            self.problems.add(line, name, f"duplicate reference {reference!r} ({self.first[key]} and {where})")
        else:
            self.first[key] = where


# -- JSON ---------------------------------------------------------------------------------------
def parse_json(text: str, *, limits: IntakeLimits | None = None) -> ImportReport:
    """A JSON array of vacancy objects, or ``{"vacancies": [...]}`` (other top-level keys ignored)."""
    limits = limits or DEFAULT_LIMITS
    problems = _Problems(limits.max_problems)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        problems.add(None, None, "the JSON file is empty")
        return _report([], problems, what="JSON file")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(exc.lineno, None, f"not valid JSON: {exc.msg} (column {exc.colno})")
        return _report([], problems, what="JSON file")
    except RecursionError:
        problems.add(None, None, "not usable JSON: nested too deeply")
        return _report([], problems, what="JSON file")
    items = document.get("vacancies") if isinstance(document, dict) else document
    if not isinstance(items, list):
        problems.add(None, None, 'expected a JSON array of vacancies, or {"vacancies": [...]}')
        return _report([], problems, what="JSON file")
    lines: list[int | None] = list(_array_item_lines(text))
    if len(lines) != len(items):
        lines = [None] * len(items)
    found: list[VacancyRecord] = []
    references = _References(problems)
    for number, (item, line) in enumerate(zip(items, lines, strict=True), start=1):
        if problems.full:
            break
        prefix = "" if line else f"vacancy {number}: "
        if not isinstance(item, dict):
            problems.add(line, None, f"{prefix}each vacancy must be an object, got {_show(item)}")
            continue
        record, record_problems = _validate(item, limits)
        for name, message in record_problems:
            problems.add(line, name, prefix + message)
        references.check(item, line, f"line {line}" if line else f"vacancy {number}")
        if record is not None:
            found.append(record)
    return _report(found, problems, what="JSON file")


def _array_item_lines(text: str) -> Iterator[int]:
    """The line each vacancy object starts on (the top-level array, or the 'vacancies' one).

    The text is already known to be valid JSON; anything unexpected yields nothing more and the
    caller falls back to numbering vacancies instead.
    """
    decoder = json.JSONDecoder()
    space = re.compile(r"\s*")

    def skip(at: int) -> int:
        match = space.match(text, at)
        return match.end() if match else at

    def items(at: int) -> list[int]:
        lines: list[int] = []
        counted, line = 0, 1
        at = skip(at + 1)
        while at < len(text) and text[at] != "]":
            line += text.count("\n", counted, at)
            counted = at
            lines.append(line)
            _, at = decoder.raw_decode(text, at)
            at = skip(at)
            if text.startswith(",", at):
                at = skip(at + 1)
        return lines

    try:
        at = skip(0)
        if text.startswith("[", at):
            yield from items(at)
        elif text.startswith("{", at):
            at, found = skip(at + 1), list[int]()
            while at < len(text) and text[at] != "}":
                key, at = decoder.raw_decode(text, at)
                at = skip(skip(at) + 1)  # the ':'
                if key == "vacancies" and text.startswith("[", at):
                    found = items(at)  # the last one wins, as in json.loads
                _, at = decoder.raw_decode(text, at)
                at = skip(at)
                if text.startswith(",", at):
                    at = skip(at + 1)
            yield from found
    except (ValueError, RecursionError):
        return


# -- CSV ----------------------------------------------------------------------------------------
def parse_csv(text: str, *, limits: IntakeLimits | None = None) -> ImportReport:
    """NHS Jobs-style CSV: a header row of column names, then one vacancy per row.

    Column names are matched ignoring case, spaces and punctuation ("Job title", "title",
    "Closing date:"). Quoted cells may span lines; problems name the line each row starts on.
    """
    limits = limits or DEFAULT_LIMITS
    problems = _Problems(limits.max_problems)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        problems.add(None, None, "the CSV file is empty")
        return _report([], problems, what="CSV file")
    rows = _csv_rows(text)
    header: list[str | None] | None = None
    labels: list[str] = []
    missing: set[str] = set()
    found: list[VacancyRecord] = []
    references = _References(problems)
    for line, cells, error in rows:
        if problems.full:
            break
        if error is not None:
            problems.add(line, None, error)
            if header is None:
                return _report([], problems, what="CSV file")
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header, labels, missing = _csv_header(cells, line, problems)
            if not header:
                return _report([], problems, what="CSV file")
            continue
        record = _csv_row(cells, line, header, labels, missing, limits, problems, references)
        if record is not None:
            found.append(record)
    if header is None:
        problems.add(None, None, "the CSV file has no header row")
    return _report(found, problems, what="CSV file")


def _csv_rows(text: str) -> Iterator[tuple[int, list[str], str | None]]:
    """(line the row starts on, cells, error) for every row, carrying on after a malformed one."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                message = "a quoted cell is never closed (a '\"' is missing before the end of the file)"
            elif "expected after" in str(exc):
                message = 'a quote inside a cell must be doubled ("") and the whole cell quoted'
            elif "field larger than field limit" in str(exc):
                message = f"a cell is longer than {csv.field_size_limit():,} characters"
            else:
                message = f"badly formed CSV: {exc}"
            yield previous + 1, [], message
            if reader.line_num == previous:  # no progress: stop rather than loop
                return
            previous = reader.line_num
            continue
        yield previous + 1, cells, None
        previous = reader.line_num


def _csv_header(cells: list[str], line: int, problems: _Problems) -> tuple[list[str | None], list[str], set[str]]:
    if len(cells) == 1 and (";" in cells[0] or "\t" in cells[0]):
        separator = "semicolons" if ";" in cells[0] else "tabs"
        problems.add(line, None, f"the columns are separated by {separator}; save the file as CSV with commas")
        return [], [], set()
    header: list[str | None] = []
    seen: dict[str, str] = {}
    for cell in cells:
        label = " ".join(cell.split())
        canonical = _FIELD_OF.get(_key(label)) if label else None
        if not label:
            header.append(None)  # spreadsheets export empty trailing columns; their cells must be empty
        elif canonical is None:
            problems.add(line, label, f"unknown column; known columns: {', '.join(_COLUMNS.values())}")
            header.append(None)
        elif canonical in seen:
            problems.add(line, label, f"the same column as {seen[canonical]!r}")
            header.append(None)
        else:
            seen[canonical] = label
            header.append(label)
    missing = {name for name in _REQUIRED if name not in seen}
    for name in sorted(missing, key=list(_REQUIRED).index):
        problems.add(line, None, f"no {_COLUMNS[name]!r} column ({_REQUIRED[name]} is required)")
    return header, [cell.strip() for cell in cells], missing


def _csv_row(
    cells: list[str],
    line: int,
    header: list[str | None],
    labels: list[str],
    missing: set[str],
    limits: IntakeLimits,
    problems: _Problems,
    references: _References,
) -> VacancyRecord | None:
    if len(cells) != len(header) and (len(cells) < len(header) or any(c.strip() for c in cells[len(header) :])):
        problems.add(line, None, f"{len(cells)} cells, but the header has {len(header)} columns")
        return None
    data: dict[str, str] = {}
    for position, (name, cell) in enumerate(zip(header, cells, strict=False)):
        if name is not None:
            data[name] = cell
        elif cell.strip() and not labels[position]:
            problems.add(line, None, f"a value in column {position + 1}, which has no name")
    record, record_problems = _validate(data, limits)
    for name, message in record_problems:
        if name not in missing:  # a missing column is reported once, at the header
            problems.add(line, name, message)
    references.check(data, line, f"line {line}")
    return record


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will show as text: one starting with = + - @ (or a tab or carriage
    return) would be run as a formula (CSV injection), so it gets a leading apostrophe."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def write_csv(records: Sequence[VacancyRecord], *, for_spreadsheets: bool = False) -> str:
    """Records as CSV in the layout :func:`parse_csv` reads (headings context is not written).

    ``for_spreadsheets=True`` escapes cells that a spreadsheet would run as formulas; leave it
    off for files this service reads back (the text is then exactly as given).
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_COLUMNS.values())
    for record in records:
        row = [
            record.reference,
            record.title,
            record.employer,
            f"Band {record.band}" if record.band else "",
            record.staff_group or "",
            record.specialty or "",
            record.site or "",
            record.town or "",
            _contract_text(record),
            ", ".join(WORKING_PATTERNS[p] for p in record.working_pattern),
            f"{record.hours:g}" if record.hours is not None else "",
            _salary_text(record),
            record.closing_date.isoformat() if record.closing_date else "",
            _criteria_cell(record.essential),
            _criteria_cell(record.desirable),
        ]
        writer.writerow([spreadsheet_safe(c) for c in row] if for_spreadsheets else row)
    return out.getvalue()


def _contract_text(record: VacancyRecord) -> str:
    if record.contract is None:
        return ""
    label = record.contract.replace("_", " ").capitalize()
    return f"{label}: {record.contract_months} months" if record.contract_months else label


def _salary_text(record: VacancyRecord) -> str:
    def money(amount: float) -> str:
        return f"£{amount:,.2f}" if record.salary_hourly else f"£{round(amount):,}"

    unit = "per hour" if record.salary_hourly else "a year"
    low, high = record.salary_min, record.salary_max
    if low is not None and high is not None:
        return f"{money(low)} - {money(high)} {unit}" if low != high else f"{money(low)} {unit}"
    if low is not None:
        return f"from {money(low)} {unit}"
    if high is not None:
        return f"up to {money(high)} {unit}"
    return ""


def _criteria_cell(criteria: Sequence[Criterion]) -> str:
    lines = [json.dumps(c, ensure_ascii=False) if isinstance(c, dict) else c for c in criteria]
    cell = "\n".join(lines)
    # One line holding ';' or '|' would be split there on reading; a line break keeps it whole.
    return cell + "\n" if len(lines) == 1 and re.search(r"[;|]", cell) else cell


# -- free-text adverts --------------------------------------------------------------------------
_SECTION = re.compile(
    r"^(?P<section>essential|desirable)(?:\s+(?:criteria|requirements))?\s*(?:\((?:e|d)\))?\s*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_SUBHEADINGS = {
    "qualifications",
    "qualification",
    "qualifications and training",
    "education",
    "education and qualifications",
    "education and training",
    "training",
    "experience",
    "knowledge",
    "skills",
    "knowledge and skills",
    "skills and knowledge",
    "skills and abilities",
    "knowledge and experience",
    "abilities",
    "personal qualities",
    "personal attributes",
    "attributes",
    "values",
    "values and behaviours",
    "communication",
    "other",
    "other requirements",
    "additional requirements",
}
#: Headings that end the person specification (NHS Jobs pages continue with these).
_AFTER_SPECIFICATION = {
    "employer details",
    "documents to download",
    "apply online now",
    "apply now",
    "additional information",
    "disclosure and barring service check",
    "certificate of sponsorship",
    "uk registration",
    "employer certification accreditation badges",
    "job description",
    "job summary",
    "main duties of the job",
    "about us",
    "job responsibilities",
    "further information",
    "contact details",
}
#: Fields an advert states in its person specification, never as "Label: value".
_NOT_ADVERT_LABELS = ("essential", "desirable", "essential_context", "desirable_context")
_LABEL_LINE = re.compile(r"^(?P<key>[^\t:]{1,40}?)\s*(?::|\t)\s*(?P<value>.*)$")


def _plain(line: str) -> str:
    """A line without markdown emphasis or heading marks, for recognising headings and labels."""
    line = re.sub(r"\*\*|__", "", line).strip()
    return re.sub(r"^#+\s*", "", line).strip()


def parse_advert(text: str, *, limits: IntakeLimits | None = None) -> ImportReport:
    """An advert pasted as text: "Label: value" lines, then Essential and Desirable criteria.

    Labels are read anywhere outside the person specification, as "Job title: ...", with a tab,
    or on a line of their own followed by the value (as NHS Jobs pages paste). Criteria are the
    lines under an "Essential" or "Desirable" heading, bulleted, numbered or plain; sub-headings
    such as "Qualifications" or "Experience" are kept as each criterion's context.
    """
    limits = limits or DEFAULT_LIMITS
    problems = _Problems(limits.max_problems)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        problems.add(None, None, "the advert is empty")
        return _report([], problems, what="advert")
    data: dict[str, Any] = {}
    lines_of: dict[str, int] = {}
    criteria: dict[str, list[tuple[str, str | None, int, bool]]] = {"essential": [], "desirable": []}
    sections_seen: set[str] = set()
    section: str | None = None
    heading: str | None = None
    pending: tuple[str, int] | None = None  # a label on its own line, waiting for its value
    # NHS Jobs puts sub-headings outside ("Qualifications", then "Essential", "Desirable");
    # other adverts inside ("Essential", then "Qualifications", "Experience").
    headings_outside = after_heading = False

    def header(name: str, value: str, line: int) -> None:
        canonical = _FIELD_OF.get(_key(name))
        if canonical is None or canonical in _NOT_ADVERT_LABELS:
            return
        for other in data:
            if _FIELD_OF.get(_key(other)) == canonical:
                if " ".join(str(data[other]).split()) != " ".join(value.split()):
                    problems.add(line, name, f"given twice with different values (also on line {lines_of[other]})")
                return
        data[name], lines_of[name] = value, line

    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        plain = _plain(raw)
        bare = plain.rstrip(":").strip()
        if pending is not None:
            if not _SECTION.match(plain):
                header(pending[0], plain, pending[1])
                pending = None
                continue
            pending = None
        was_heading, after_heading = after_heading, False
        if found := _SECTION.match(plain):
            headings_outside = headings_outside or was_heading
            section, heading = found["section"].casefold(), heading if headings_outside else None
            sections_seen.add(section)
            if found["rest"] and found["rest"].strip():
                criteria[section].append((_strip_bullet(found["rest"].strip()), heading, number, False))
            continue
        if _key(bare).replace("_", " ") in _AFTER_SPECIFICATION or _key(bare) == "person_specification":
            section = heading = None
            continue
        if section is not None:
            label = _LABEL_LINE.match(plain)
            if bare.casefold() in _SUBHEADINGS:
                heading, after_heading = bare, True
                continue
            if label and label["key"].strip().casefold() in _SUBHEADINGS:
                heading = label["key"].strip()
                rest = _strip_bullet(label["value"].strip())
                if rest:
                    criteria[section].append((rest, heading, number, False))
                continue
            if label and _FIELD_OF.get(_key(label["key"]), _NOT_ADVERT_LABELS[0]) not in _NOT_ADVERT_LABELS:
                section = heading = None  # back in the advert's details
            else:
                _add_criterion(criteria[section], raw, heading, number)
                continue
        if bare.casefold() in _SUBHEADINGS:
            heading, after_heading = bare, True
            continue
        label = _LABEL_LINE.match(plain)
        if label and label["value"].strip():
            header(label["key"].strip(), label["value"].strip(), number)
        elif _FIELD_OF.get(_key(bare), _NOT_ADVERT_LABELS[0]) not in _NOT_ADVERT_LABELS and len(bare) <= 40:
            pending = (bare, number)
    for section_name in ("essential", "desirable"):
        items = criteria[section_name]
        if items:
            data[section_name] = [text for text, _, _, _ in items]
            if any(context for _, context, _, _ in items):
                data[f"{section_name}_context"] = [context for _, context, _, _ in items]
    if not criteria["essential"]:
        why = "lists no criteria" if "essential" in sections_seen else "was not found"
        problems.add(None, "essential", f"the 'Essential' section {why}: the person specification is required")
    record, record_problems = _validate(data, limits)
    for name, message in record_problems:
        problems.add(_advert_line(name, lines_of, criteria), name, message)
    return _report([record] if record is not None else [], problems, what="advert")


def _add_criterion(items: list[tuple[str, str | None, int, bool]], raw: str, heading: str | None, line: int) -> None:
    bulleted = bool(_BULLET.match(raw))
    text = " ".join(_strip_bullet(raw).split())
    if not text:
        return
    if items and items[-1][3] and not bulleted and (raw[:1].isspace() or text[:1].islower()):
        # The wrapped second line of a bulleted criterion.
        previous, context, start, _ = items[-1]
        items[-1] = (f"{previous} {text}", context, start, True)
        return
    items.append((text, heading, line, bulleted))


def _advert_line(
    name: str | None, lines_of: Mapping[str, int], criteria: Mapping[str, list[tuple[str, str | None, int, bool]]]
) -> int | None:
    if name is None:
        return None
    if name in lines_of:
        return lines_of[name]
    found = re.fullmatch(r"(essential|desirable)\[(\d+)\]", name)
    if found and int(found[2]) < len(criteria[found[1]]):
        return criteria[found[1]][int(found[2])][2]
    return None


# -- files --------------------------------------------------------------------------------------
_PARSERS: dict[str, Callable[..., ImportReport]] = {
    ".json": parse_json,
    ".csv": parse_csv,
    ".txt": parse_advert,
    ".md": parse_advert,
}


def parse_file(path: str | Path, *, limits: IntakeLimits | None = None) -> ImportReport:
    """Read one file and parse it by its extension (.json, .csv, .txt or .md)."""
    limits = limits or DEFAULT_LIMITS
    path = Path(path)
    problems = _Problems(limits.max_problems)

    def failed(message: str, line: int | None = None) -> ImportReport:
        problems.add(line, None, message)
        return ImportReport([], problems.items)

    parse = _PARSERS.get(path.suffix.casefold())
    if parse is None:
        hint = " (save a spreadsheet as CSV UTF-8)" if path.suffix.casefold() in (".xlsx", ".xls", ".ods") else ""
        return failed(f"cannot import {path.name!r}: use a .json, .csv, .txt or .md file{hint}")
    try:
        with path.open("rb") as handle:
            content = handle.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        return failed(f"file not found: {path}")
    except IsADirectoryError:
        return failed(f"{path} is a directory, not a file")
    except OSError as exc:
        return failed(f"cannot read {path}: {exc.strerror or exc}")
    if len(content) > limits.max_file_bytes:
        return failed(
            f"{path.name} is larger than {limits.max_file_bytes / (1024 * 1024):g} MB; split it into smaller files"
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return failed(f"{path.name} is UTF-16 text; save it as UTF-8")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return failed(f"{path.name} is not valid UTF-8 (byte {exc.start + 1}); save it as UTF-8", line)
    if not text.strip():
        return failed(f"{path.name} is empty")
    return parse(text, limits=limits)
