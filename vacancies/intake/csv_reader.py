"""CSV files in NHS Jobs' columns, and writing records back in the same layout."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence

from .fields import DEFAULT_LIMITS, WORKING_PATTERNS, IntakeLimits
from .record import _COLUMNS, _FIELD_OF, _REQUIRED, Criterion, VacancyRecord, _key, _References, _validate
from .report import ImportReport, _Problems, _report


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
