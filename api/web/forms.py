"""Turn the pages' HTML forms into the JSON records of the contract, naming every problem.

A form that cannot be read comes back with every problem in plain English and the person's
answers kept, never a half-read record. Rows left empty are skipped; a row half filled in is
a problem ("Qualification 2: say which country").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from matcher import InvalidInputError
from matcher import Resident as ResidentProfile
from matcher import Vacancy as VacancyProfile
from matcher.countries import load_countries
from matcher.profile import STATUS_RIGHT_TO_WORK, normalise_profile

#: Rows shown on the resident form (JavaScript adds more, up to the engine's list limit).
QUALIFICATION_ROWS, EXPERIENCE_ROWS, TEST_ROWS, CRITERIA_ROWS = 3, 3, 2, 5
MAX_ROWS = 30
ENGLISH_TESTS = ("IELTS Academic", "IELTS General Training", "OET", "TOEFL iBT")
IELTS_PARTS = ("listening", "reading", "writing", "speaking")
#: Credentials a resident can simply tick (the rest come from qualifications and tests).
TICKABLE = (
    "care-certificate",
    "functional-skills-english-l2",
    "functional-skills-maths-l2",
    "functional-skills-english-l1",
    "functional-skills-maths-l1",
    "nmc-registration-nurse",
    "nmc-registration-midwife",
    "gmc-registration",
    "gphc-registration",
    "gdc-registration",
    "hcpc-registration",
    "dbs-enhanced",
    # Exams passed on the way to registration: a resident's own words often name them
    # ("PLAB 1 passed 2025"), and a draft read from them must be able to carry them.
    "plab-1",
    "plab-2",
    "nmc-cbt",
    "nmc-osce",
    "ore-1",
    "ore-2",
    "ospap",
)
#: Every ISO 3166 country by name, "Other" last (fixtures/countries.json): where a resident
#: qualified or worked can be anywhere.
COUNTRIES = dict(load_countries().choices())
#: Offered first: the UK and the main source countries of overseas health qualifications in the
#: area (DOMAIN.md).
COMMON_COUNTRIES = ("GB", "AF", "BD", "ER", "GH", "IN", "IR", "IQ", "NG", "PK", "PH", "PL", "RO", "SD", "SY", "ZW")
RIGHT_TO_WORK = {"yes": "Yes", "no": "No", "unknown": "I'm not sure"}
#: The profile's immigration statuses, in plain words (matcher.profile.IMMIGRATION_STATUSES).
IMMIGRATION_STATUSES = {
    "british_irish": "British or Irish citizen",
    "settled": "Settled or pre-settled status (EU Settlement Scheme), or indefinite leave to remain",
    "refugee": "Refugee status or humanitarian protection",
    "asylum_seeker": "Asylum seeker (waiting for a decision)",
    "visa_holder": "A visa (for example work, student or family)",
    "prefer_not_to_say": "I prefer not to say",
}
#: English evidence other than a test (matcher.profile.ENGLISH_EVIDENCE), in plain words.
ENGLISH_EVIDENCE = {
    "qualification_taught_in_english": (
        "My professional qualification (nursing, medicine, ...) was taught and examined in English"
    ),
    "uk_employer_reference": (
        "I have worked 12 months or more for a UK health or care employer who would vouch for my English"
    ),
}
HOURS = {"any": "Any hours", "full_time": "Full time", "part_time": "Part time"}
_TEXT_LIMIT = 200
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$|^[A-Z]{1,2}[0-9][0-9A-Z]?$")


@dataclass(slots=True)
class FormResult:
    """A record read from a form, or the problems that stop it (each naming its field)."""

    record: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field id, message)

    def add(self, field_id: str, message: str) -> None:
        self.problems.append((field_id, message))


def _text(form: MultiDict[str, str], name: str) -> str:
    return (form.get(name) or "").strip()


def row_numbers(form: MultiDict[str, str], prefix: str, shown: int) -> range:
    """Row numbers present in the form: those shown plus any a script added."""
    found = [int(m.group(1)) for key in form for m in [re.fullmatch(rf"{prefix}-(\d+)-\w+", key)] if m]
    return range(min(max([shown - 1, *found]) + 1, MAX_ROWS))


def _number(raw: str, result: FormResult, field_id: str, label: str, *, low: float, high: float) -> float | None:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        result.add(field_id, f"{label}: enter a number, like 2 or 1.5")
        return None
    if not low <= value <= high:
        result.add(field_id, f"{label}: enter a number from {low:g} to {high:g}")
        return None
    return value


def _long(result: FormResult, field_id: str, label: str, value: str, limit: int = _TEXT_LIMIT) -> None:
    if len(value) > limit:
        result.add(field_id, f"{label}: at most {limit} characters")


def resident_from_form(form: MultiDict[str, str]) -> FormResult:
    """The resident checker's answers as a resident profile (nothing is stored here)."""
    result = FormResult()
    record: dict[str, Any] = {}

    qualifications = []
    for i in row_numbers(form, "q", QUALIFICATION_ROWS):
        title, country, year = (_text(form, f"q-{i}-{part}") for part in ("title", "country", "year"))
        if not (title or year):
            continue
        label = f"Qualification {i + 1}"
        if not title:
            result.add(f"q-{i}-title", f"{label}: say what the qualification is")
        _long(result, f"q-{i}-title", label, title)
        item: dict[str, Any] = {"title": title}
        if country:
            if country.upper() not in COUNTRIES:
                result.add(f"q-{i}-country", f"{label}: choose the country from the list")
            item["country"] = country.upper()
        if year:
            if not re.fullmatch(r"(19|20)\d\d", year):
                result.add(f"q-{i}-year", f"{label}: the year as four digits, like 2014")
            else:
                item["year"] = int(year)
        qualifications.append(item)
    record["qualifications"] = qualifications

    experience = []
    for i in row_numbers(form, "x", EXPERIENCE_ROWS):
        title, years, country = (_text(form, f"x-{i}-{part}") for part in ("title", "years", "country"))
        if not (title or years):
            continue
        label = f"Job {i + 1}"
        if not title:
            result.add(f"x-{i}-title", f"{label}: say what the job was")
        _long(result, f"x-{i}-title", label, title)
        item = {"title": title}
        if years:
            value = _number(years, result, f"x-{i}-years", f"{label} years", low=0, high=60)
            if value is not None:
                item["years"] = value
        if country:
            if country.upper() not in COUNTRIES:
                result.add(f"x-{i}-country", f"{label}: choose the country from the list")
            item["country"] = country.upper()
        experience.append(item)
    record["experience"] = experience

    tests = []
    for i in row_numbers(form, "t", TEST_ROWS):
        name = _text(form, f"t-{i}-test")
        parts = {p: _text(form, f"t-{i}-{p}") for p in (*IELTS_PARTS, "overall", "date")}
        if not name and not any(parts.values()):
            continue
        label = f"English test {i + 1}"
        if name not in ENGLISH_TESTS:
            result.add(f"t-{i}-test", f"{label}: choose which test you took")
            continue
        test: dict[str, Any] = {"test": name}
        for part in (*IELTS_PARTS, "overall"):
            raw = parts[part]
            if not raw:
                if part != "overall":
                    result.add(f"t-{i}-{part}", f"{label}: enter your {part} result")
                continue
            if name == "TOEFL iBT":
                top = 120 if part == "overall" else 30
                what = "total" if part == "overall" else part
                value = _number(raw, result, f"t-{i}-{part}", f"{label} {what}", low=0, high=top)
                if value is not None:
                    if value != int(value):
                        result.add(f"t-{i}-{part}", f"{label} {what}: TOEFL scores are whole numbers")
                    else:
                        test[part] = int(value)
                continue
            if name == "OET":
                if part == "overall":
                    continue
                grade = raw.upper()
                if grade not in ("A", "B", "C+", "C", "D", "E"):
                    result.add(f"t-{i}-{part}", f"{label} {part}: an OET grade (A, B, C+, C, D or E)")
                else:
                    test[part] = grade
            else:
                value = _number(raw, result, f"t-{i}-{part}", f"{label} {part}", low=0, high=9)
                if value is not None:
                    if value * 2 != int(value * 2):
                        result.add(f"t-{i}-{part}", f"{label} {part}: IELTS scores go in half bands, like 6.5")
                    else:
                        test[part] = value
        if parts["date"]:
            try:
                taken = date.fromisoformat(parts["date"])
            except ValueError:
                result.add(f"t-{i}-date", f"{label}: the date you took it, as a date")
            else:
                if taken > date.today():
                    result.add(f"t-{i}-date", f"{label}: the date cannot be in the future")
                test["date"] = taken.isoformat()
        tests.append(test)
    record["language_tests"] = tests

    skills_text = _text(form, "skills")
    _long(result, "skills", "Skills", skills_text, 5_000)
    record["skills"] = [s.strip() for s in re.split(r"[,\n;]", skills_text) if s.strip()][: MAX_ROWS * 3]
    record["credentials"] = [c for c in form.getlist("credentials") if c in TICKABLE]

    status = _text(form, "immigration_status")
    if status:
        if status not in IMMIGRATION_STATUSES:
            result.add("immigration_status", "Immigration status: choose one of the answers")
        else:
            record["immigration_status"] = status
    # Asked plainly, never assumed: a blank answer is a problem unless the status settles it.
    rtw = _text(form, "right_to_work")
    if not rtw:
        if STATUS_RIGHT_TO_WORK.get(status) is None:
            result.add(
                "right_to_work",
                "Right to work: choose Yes, No or I'm not sure (if you are not sure, we still show you every job)",
            )
        rtw = "unknown"
    elif rtw not in RIGHT_TO_WORK:
        result.add("right_to_work", "Right to work: choose one of the answers")
    record["right_to_work"] = rtw
    record["english_evidence"] = [e for e in form.getlist("english_evidence") if e in ENGLISH_EVIDENCE]
    hours = _text(form, "hours") or "any"
    if hours not in HOURS:
        result.add("hours", "Hours: choose one of the answers")
    record["hours"] = hours
    postcode = _text(form, "postcode").upper()
    if postcode:
        if not _POSTCODE.match(postcode):
            result.add("postcode", "Postcode: enter a UK postcode like B66 2QT, or just the first part (B66)")
        else:
            record["postcode"] = postcode

    if not (qualifications or experience or tests or record["skills"] or record["credentials"]):
        result.add("q-0-title", "Tell us at least one thing: a qualification, a job, an English test or a skill")

    if not result.problems:
        try:
            # The engine's own checks, should the form's miss one; the right to work the status settles.
            record = normalise_profile(record)
        except InvalidInputError as exc:
            for problem in exc.problems:
                result.add("right_to_work" if problem.startswith("right_to_work") else "q-0-title", problem)
    result.record = record
    return result


def resident_from_json(raw: str) -> FormResult:
    """A profile carried from the results page to "save my results" (re-checked, never trusted)."""
    result = FormResult()
    try:
        record = json.loads(raw)
        ResidentProfile.from_dict(record)
    except InvalidInputError as exc:
        # Name what was wrong (the answers came back from the visitor's browser, changed).
        result.add(
            "profile", f"Your answers could not be read ({'; '.join(exc.problems)}). Go back and check them again."
        )
        return result
    except ValueError:
        result.add("profile", "Your answers could not be read. Go back and check them again.")
        return result
    result.record = record
    return result


def vacancy_from_form(form: MultiDict[str, str], *, employer: str | None) -> FormResult:
    """A recruiter's vacancy, with essential and desirable criteria one per line or row."""
    result = FormResult()
    record: dict[str, Any] = {}
    title = _text(form, "title")
    if not title:
        result.add("title", "Job title: enter the job title")
    _long(result, "title", "Job title", title)
    record["title"] = title
    record["employer"] = employer or _text(form, "employer")
    if not record["employer"]:
        result.add("employer", "Employer: enter the employer's name")
    reference = _text(form, "reference")
    if reference:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._/-]{0,63}", reference):
            result.add("reference", "Reference: letters, digits, spaces and . _ / - only, at most 64")
        record["reference"] = reference
    for name, label, limit in (
        ("band", "Band", 10),
        ("staff_group", "Staff group", 100),
        ("location", "Location", 200),
    ):
        value = _text(form, name)
        _long(result, name, label, value, limit)
        if value:
            record[name] = value
    hours = _text(form, "hours")
    if hours:
        if hours not in ("full_time", "part_time", "any"):
            result.add("hours", "Hours: choose one of the answers")
        record["hours"] = hours
    contract = _text(form, "contract")
    if contract:
        if contract not in ("permanent", "fixed_term", "bank"):
            result.add("contract", "Contract: choose one of the answers")
        record["contract"] = contract
    closing = _text(form, "closing_date")
    if not closing:
        result.add("closing_date", "Closing date: enter the date applications close")
    else:
        try:
            closes = date.fromisoformat(closing)
        except ValueError:
            result.add("closing_date", "Closing date: enter a date")
        else:
            if closes < date.today():
                result.add("closing_date", "Closing date: the date has passed")
            record["closing_date"] = closes.isoformat()
    for section, label in (("essential", "Essential"), ("desirable", "Desirable")):
        items = []
        for i in row_numbers(form, section, CRITERIA_ROWS):
            text = _text(form, f"{section}-{i}-text")
            if text:
                _long(result, f"{section}-{i}-text", f"{label} criterion {i + 1}", text, 500)
                items.append(text)
        record[section] = items
    if not record["essential"]:
        result.add("essential-0-text", "Essential criteria: give at least one")
    if not result.problems:
        try:
            VacancyProfile.from_dict(record)
        except InvalidInputError as exc:
            for problem in exc.problems:
                result.add("title", problem)
    result.record = record
    return result


def _number_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


#: What the checker's form shows of each row; a stored row may hold more (a CV's employer, when a
#: job ended, whether a degree was taught in English), which the form must not lose.
ROW_PARTS = {"qualifications": ("title", "country", "year"), "experience": ("title", "years", "country")}
#: The record's fields the form shows at all.
FORM_FIELDS = frozenset(
    {*ROW_PARTS, "language_tests", "skills", "credentials", "english_evidence"}
    | {"immigration_status", "right_to_work", "hours", "postcode"}
)


def keep_what_the_form_hides(stored: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """``record`` read from the form, with what the form never showed kept from ``stored``: fields
    it has no box for, and the hidden parts of a qualification or job whose title is unchanged."""
    merged = {k: v for k, v in stored.items() if k not in FORM_FIELDS and k not in ("id", "version")}
    merged.update(record)
    for name, shown in ROW_PARTS.items():
        before = list(stored.get(name) or [])
        rows = []
        for i, row in enumerate(record.get(name) or []):
            old = before[i] if i < len(before) else None
            same = old is not None and str(old.get("title", "")).casefold() == str(row.get("title", "")).casefold()
            rows.append({**{k: v for k, v in old.items() if k not in shown}, **row} if same and old else row)
        if name in record:
            merged[name] = rows
    return merged


def form_from_record(record: dict[str, Any]) -> MultiDict[str, str]:
    """The checker's form filled in from a resident record: the inverse of :func:`resident_from_form`,
    so answers carried to "save" (or stored) can be shown again and changed."""
    form: MultiDict[str, str] = MultiDict()
    for i, item in enumerate((record.get("qualifications") or [])[:MAX_ROWS]):
        for part in ROW_PARTS["qualifications"]:
            if item.get(part) is not None:
                form.add(f"q-{i}-{part}", _number_text(item[part]))
    for i, item in enumerate((record.get("experience") or [])[:MAX_ROWS]):
        for part in ROW_PARTS["experience"]:
            if item.get(part) is not None:
                form.add(f"x-{i}-{part}", _number_text(item[part]))
    for i, item in enumerate((record.get("language_tests") or [])[:MAX_ROWS]):
        for part in ("test", *IELTS_PARTS, "overall", "date"):
            if item.get(part) is not None:
                form.add(f"t-{i}-{part}", _number_text(item[part]))
    if record.get("skills"):
        form.add("skills", "\n".join(str(s) for s in record["skills"]))
    for credential in record.get("credentials") or []:
        if credential in TICKABLE:
            form.add("credentials", credential)
    for evidence in record.get("english_evidence") or []:
        form.add("english_evidence", evidence)
    for name in ("immigration_status", "right_to_work", "hours", "postcode"):
        if record.get(name):
            form.add(name, str(record[name]))
    return form
