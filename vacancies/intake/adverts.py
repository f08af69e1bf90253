"""Free-text adverts: "Label: value" details, then Essential and Desirable criteria."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .fields import DEFAULT_LIMITS, IntakeLimits
from .record import _BULLET, _FIELD_OF, _key, _strip_bullet, _validate
from .report import ImportReport, _Problems, _report

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
