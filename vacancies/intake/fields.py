"""One field at a time: the loose values adverts and spreadsheets give ("Band 5", "Fixed-Term: 12
months", "£29,970 - £36,483 a year", "31 December 2026") to one canonical value, or :class:`_Invalid`
saying why not and what would do."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime


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
#: Not on Agenda for Change: doctors' and dentists' grades have no band.
_OFF_AFC = re.compile(
    r"^(?:non[\s\-]*afc|not\s+afc|medical\s*(?:and|&)\s*dental|n/?a|not\s+applicable|(?:locum\s+)?(?:specialty|"
    r"specialist|associate\s+specialist|staff\s+grade|trust\s+grade)\s+(?:doctor|dentist)|specialist|consultant|"
    r"(?:specialty\s+)?registrar|clinical\s+fellow|(?:st|ct|fy|f)\s*[1-8](?:\s*[-–/+]\s*(?:st|ct|fy|f)?\s*[1-8])?\+?|"
    r"foundation\s+(?:year\s*)?[12]|core\s+trainee)$",
    re.I,
)


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
    r"^(?:(?P<pattern>full[\s\-]*time|part[\s\-]*time)\s*[-–—:,]?\s*)?(?:up\s+to\s+)?(?P<h>\d{1,3}(?:\.\d+)?)\s*"
    r"(?:h|hrs?|hours?)?\.?(?:\s*(?:per|a|/)\s*(?:week|wk))?\.?$",
    re.IGNORECASE,
)


def _hours(value: object, limits: IntakeLimits) -> tuple[float | None, str | None]:
    """Hours a week, and a pattern word ("Full time") when the hours say one: "Full time",
    "37.5", "37.5 hours per week", "Part time 22.5 hrs", "Full time - 37.5 hours per week"."""
    if isinstance(value, bool):
        raise _Invalid(f"a number of hours a week, got {_show(value)}")
    pattern = None
    if isinstance(value, str):
        pattern = _pattern_word(value.strip())
        if pattern in ("full_time", "part_time"):
            return None, pattern
        found = _HOURS.match(" ".join(value.split()))
        if not found:
            raise _Invalid(f"one number of hours a week such as '37.5' or '37.5 hours per week', got {_show(value)}")
        value = float(found["h"])
        pattern = _pattern_word(found["pattern"]) if found["pattern"] else None
    if not isinstance(value, int | float) or value != value:  # NaN is a float too
        raise _Invalid(f"a number of hours a week, got {_show(value)}")
    hours = round(float(value), 2)
    if not 0 < hours <= limits.max_hours:
        raise _Invalid(f"hours a week must be more than 0 and at most {limits.max_hours:g}, got {value:g}")
    return hours, pattern


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


#: "14/12/2026 23:59", "31 December 2026 at 11.59pm": the time is dropped.
_TIME = re.compile(
    r"(?:\s*,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\s+(?:at\s+)?(?:midnight|noon|\d{1,2}\s*[ap]\.?m\.?))$",
    re.I,
)


def _read_date(text: str) -> date:
    text = _TIME.sub("", text)
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
