"""JSON files: an array of vacancy objects, or ``{"vacancies": [...]}``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from .fields import DEFAULT_LIMITS, IntakeLimits, _show
from .record import VacancyRecord, _References, _validate
from .report import ImportReport, _Problems, _report


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
