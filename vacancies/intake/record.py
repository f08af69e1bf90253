"""The vacancy record: field names as files write them, criteria lists, and :class:`VacancyRecord`,
which accepts what adverts say and stores one canonical form."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from .fields import (
    DEFAULT_LIMITS,
    IntakeLimits,
    _band,
    _blank,
    _closing_date,
    _contract,
    _flag,
    _hours,
    _Invalid,
    _money,
    _months,
    _salary,
    _show,
    _text,
    _working_pattern,
)
from .report import _Problems

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
Criterion = str | dict[str, Any]


# -- field names --------------------------------------------------------------------------------
def _key(name: str) -> str:
    """'Essential criteria:' -> 'essential_criteria' (case, spaces and punctuation ignored)."""
    return re.sub(r"[^0-9a-z]+", "_", name.replace("\ufeff", "").casefold()).strip("_")


# Input fields (some are not model fields: salary, location, hours_per_week) and the names files use.
_ALIASES: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "job_reference", "reference_number", "job_ref", "ref", "vacancy_reference", "id"),
    "title": ("title", "job_title", "role", "post", "post_title", "position", "vacancy_title"),
    "employer": ("employer", "employer_name", "organisation", "organization", "trust"),
    "band": ("band", "afc_band", "pay_band", "grade"),
    "staff_group": ("staff_group",),
    "specialty": ("specialty", "speciality", "specialty_function", "main_area", "department"),
    "site": ("site", "hospital"),
    "town": ("town", "city", "town_city"),
    "location": ("location", "job_location", "job_locations"),
    "contract": ("contract", "contract_type", "type_of_contract", "contract_duration"),
    "contract_months": ("contract_months", "contract_length_months"),
    "working_pattern": ("working_pattern", "working_patterns"),
    "hours": ("hours",),
    "hours_per_week": ("hours_per_week", "weekly_hours", "hours_a_week"),
    "salary": ("salary", "salary_range", "salary_scale", "pay", "pay_range"),
    "salary_min": ("salary_min", "minimum_salary"),
    "salary_max": ("salary_max", "maximum_salary"),
    "salary_hourly": ("salary_hourly", "hourly"),
    "closing_date": ("closing_date", "closing", "closes", "close_date", "deadline", "closing_date_for_applications"),
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
    # "Hours: Full time" with no number anywhere, or "Part time 22.5 hrs"; not the contract's
    # "hours": "part_time" beside its "hours_per_week", which says the same thing.
    if hours_word and (hours is not None or weekly is None) and hours_word not in pattern:
        pattern.append(hours_word)
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
