"""Free-text adverts, as recruiters paste them from NHS Jobs, Trac, a trust's site or a PDF pack.

The reader walks the advert line by line. Headings divide it into parts ("Job overview", "Person
specification", "About us", "Contact details"); the person specification is read for criteria,
the details for "Label: value" fields, and every other line is skipped with the reason. Criteria
may sit under "Essential"/"Desirable" headings in their many forms ("Essential Skills:",
"Qualifications - Essential", "Desirable Criteria includes:"), carry their own "(E)"/"(D)", or sit
in a table flattened to tabs, pipes or runs of spaces. How each is assessed ("(A/I)", "Assessed
by: T", a table column) is kept at the end of the criterion, written one way ("(A/I)"), for
:func:`vacancies.markers.read_markers` to read downstream.

:func:`parse_advert` returns an :class:`ImportReport` whose ``advert`` says, line by line, what
was read and what was skipped and why; it never raises on any text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from vacancies.markers import read_markers, with_methods

from .advert_lines import (
    Label,
    Part,
    advert_contract,
    advert_hours,
    advert_location,
    closing_sentence,
    is_layout,
    is_legend,
    label,
    looks_like_hours,
    part_heading,
    part_opener,
    plain,
    says_nothing_is_required,
    section_heading,
    topic_heading,
)
from .advert_tables import Cell, Table, is_mark, is_rule, methods_of, row_cells, split_kind, table_heading
from .fields import (
    DEFAULT_LIMITS,
    IntakeLimits,
    _band,
    _closing_date,
    _contract,
    _hours,
    _Invalid,
    _salary,
    _text,
    _working_pattern,
)
from .record import _BULLET, _strip_bullet, _validate
from .report import AdvertReading, ImportReport, ReadLine, SkippedLines, _Problems, _report

#: Label names the reader uses for fields it finds without a label (NHS Jobs' headline, Trac's heading).
_LABEL_NAMES = {"title": "Job title", "employer": "Employer", "closing_date": "Closing date", "band": "Band"}
#: Fields whose value may run over several lines under a label alone on its line.
_MULTI_LINE = ("hours", "working_pattern", "location")
_WHY = {
    "about the job": "{part}: describes the job, not a requirement",
    "about the employer": "{part}: about the employer and its benefits",
    "how to apply": "{part}: how to apply",
    "contact details": "{part}: contact details are not imported",
    "notes and checks": "{part}: a note or a pre-employment check, not a criterion to shortlist on",
    "prose": "text outside the person specification that is not a 'Label: value' line",
}
_SHOWN = 80  # characters of a skipped line shown in the report
_NUMBER_CELL = re.compile(r"^\d{1,2}\s*(?:/|\|)\s+")


@dataclass(slots=True)
class _Item:
    """A criterion being read; continuation lines and table cells may still add to it."""

    section: str | None
    text: str
    methods: list[str]
    heading: str | None
    line: int
    end_line: int
    bulleted: bool = False
    column: str | None = None  # the table column it came from
    note: str | None = None


@dataclass(slots=True)
class _Pending:
    """A label alone on its line (NHS Jobs and Trac pages), waiting for its value below."""

    label: Label
    line: int
    end_line: int
    values: list[tuple[int, str]] = field(default_factory=list)  # (line, text)


@dataclass(slots=True)
class _Field:
    name: str
    value: str
    line: int


def parse_advert(text: str, *, limits: IntakeLimits | None = None) -> ImportReport:
    """An advert pasted as text: its details as "Label: value" lines (or a label and its value on
    the next line, as NHS Jobs and Trac pages paste), then its person specification.

    Criteria are the lines of the person specification under an Essential or Desirable heading,
    or marked (E)/(D), or in the Essential/Desirable columns of a table; sub-headings such as
    "Qualifications" are kept as each criterion's context. The report says what was read and
    what was skipped, line by line.
    """
    reader = _AdvertReader(limits or DEFAULT_LIMITS)
    return reader.read(text.removeprefix("\ufeff"))


class _AdvertReader:
    def __init__(self, limits: IntakeLimits) -> None:
        self.limits = limits
        self.problems = _Problems(limits.max_problems)
        self.fields: dict[str, _Field] = {}  # record field -> as given
        self.patterns: list[tuple[str, int]] = []  # working patterns the hours gave
        self.reads: list[tuple[int, int, ReadLine]] = []  # (line, order, read) for fields and headings
        self.skips: dict[int, tuple[str | None, str, str, str]] = {}  # line -> (part, reason, why, text)
        self.items: list[_Item] = []
        self.order = 0
        self.part = Part(None, "top")
        self.section: str | None = None
        self.heading: str | None = None
        self.headings_outside = False
        self.previous_was_topic = False
        self.topic_items: list[_Item] = []
        self.table: Table | None = None
        self.pending: _Pending | None = None
        self.topic_above: tuple[int, str] | None = None  # a topic heading skipped outside the specification
        self.previous_line = 0
        self.sections_seen: set[str] = set()

    # -- the walk ------------------------------------------------------------------------------
    def read(self, text: str) -> ImportReport:
        if not text.strip():
            self.problems.add(None, None, "the advert is empty")
            return _report([], self.problems, what="advert", advert=AdvertReading())
        lines = text.splitlines()
        headline = _headline(lines)
        numbers = [number for number, raw in enumerate(lines, start=1) if raw.strip()]
        for number in numbers:
            raw = lines[number - 1]
            was_topic = self.previous_was_topic
            self.previous_was_topic = False
            self._line(number, raw, headline, was_topic)
            self.previous_line = number
        self._close_pending()
        return self._finish(numbers)

    def _line(self, number: int, raw: str, headline: dict[int, tuple[str, str]], was_topic: bool) -> None:
        if self.pending is not None:
            if self._continues_pending(raw):
                self.pending.values.append((number, plain(raw)))
                self.pending.end_line = number
                if self.pending.label.field not in _MULTI_LINE and self.pending.label.field is not None:
                    self._close_pending()
                return
            self._close_pending()
        if number in headline:
            name, value = headline[number]
            self._set(name, _LABEL_NAMES[name], value, number, number, strict=True, note="the page's headline")
            return
        if (part := part_heading(raw)) is not None:
            self._open(part, number, raw)
            return
        if (part := part_opener(raw)) is not None:
            self._open(part, number, raw, heading=False)
            self._skip(number, raw)
            return
        in_table_row = self.table is not None and split_kind(raw) is not None
        if self.part.kind != "contact" and not in_table_row and (found := section_heading(raw)) is not None:
            if self.part.kind != "spec":
                self._open(Part(None, "spec"), number, raw, heading=False)
                if self.topic_above is not None and self.topic_above[0] == self.previous_line:
                    # "Knowledge and experience" then "Essential", before any person specification heading
                    line, name = self.topic_above
                    self.skips.pop(line, None)
                    self._read_heading(line, "", text=name)
                    self.heading, was_topic = name, True
            self.headings_outside = self.headings_outside or was_topic
            self.section = found.section
            self.sections_seen.add(found.section)
            self.heading = found.topic or (self.heading if self.headings_outside else None)
            self.topic_items = []
            self._read_heading(number, raw)
            if found.rest:
                self._criterion(number, found.rest, raw_line=raw)
            return
        if self.part.kind == "contact":
            self._skip(number, raw)
            return
        if self.part.kind == "spec" and self._spec_line(number, raw):
            return
        found_label = label(raw)
        if found_label is not None and (found_label.known or self.part.kind in ("top", "details")):
            self._label(found_label, number, raw)
            return
        if self.part.kind != "prose" and (table := table_heading(raw)) is not None:
            self._open(Part(None, "spec"), number, raw, heading=False)
            self.table = table
            self._read_heading(number, raw, text=_cells_text(raw))
            return
        if self.part.kind == "employer_heading":
            self._employer_heading(number, raw)
            return
        if (topic := topic_heading(raw)) is not None and topic[1] is None:
            self.topic_above = (number, topic[0])
        self._skip(number, raw)

    def _open(self, part: Part, number: int, raw: str, *, heading: bool = True) -> None:
        self._close_pending()
        self.part = part
        self.table = None
        if part.kind == "spec":
            self.section = None
            self.heading = None
            self.headings_outside = False
        if heading:
            self._read_heading(number, raw)

    # -- the person specification --------------------------------------------------------------
    def _spec_line(self, number: int, raw: str) -> bool:
        """Reads a line of the person specification; False for a label that ends it."""
        if is_legend(raw):
            self._skip(number, raw, "legend", "the key to the advert's markers")
            return True
        if is_layout(raw) or is_rule(raw):
            self._skip(number, raw, "layout", "page layout (a logo, a table rule, a page number)")
            return True
        if (table := table_heading(raw)) is not None:
            self.table = table
            self.topic_items = []
            self._read_heading(number, raw, text=_cells_text(raw))
            return True
        found_label = label(raw)
        if found_label is not None and found_label.known and topic_heading(raw) is None:
            if found_label.field is None:  # "Interview date: 6 January 2027" among the criteria
                why = f"'{found_label.name}' is not a field this service imports"
                self._skip(number, raw, "not imported", why)
                return True
            self.part = Part(None, "details")  # "Closing date: ..." after the criteria: back in the details
            self.table = None
            return False
        if self.table is not None and (cells := row_cells(self.table, raw)) is not None:
            self._table_row(number, cells)
            return True
        if (topic := topic_heading(raw)) is not None:
            name, rest = topic
            self.heading = name
            self.topic_items = []
            self._read_heading(number, raw, text=name)
            if rest:
                self._criterion(number, rest, raw_line=raw)
            else:
                self.previous_was_topic = True
            return True
        self._criterion(number, raw, raw_line=raw)
        return True

    def _criterion(self, number: int, line: str, *, raw_line: str) -> None:
        leading_section = re.match(r"^\s*[(\[](?:E|D)[)\]]", line)
        bulleted = bool(_BULLET.match(line)) and not leading_section
        body = _strip_bullet(line) if bulleted else line.strip()
        if numbered := _NUMBER_CELL.match(body):  # "1 / Relevant experience ... / A.I" (a numbered table row)
            body, bulleted = body[numbered.end() :], True
        marked = read_markers(body)
        last = self.items[-1] if self.items else None
        adjacent = last is not None and last.end_line == self.previous_line and last.column is None
        if not marked.text:
            if (marked.methods or marked.section) and last is not None and adjacent:
                self._extend(last, number, "", list(marked.methods), marked.section)
            else:
                self._skip(number, raw_line, "layout", "no words to read")
            return
        indented = raw_line[:1].isspace()
        if (
            last is not None
            and adjacent
            and not bulleted
            and (marked.text[:1].islower() or marked.text[:1] in "(&")
            and (last.bulleted or indented or last.section is None)
            and not (marked.section and last.section and marked.section != last.section)
        ):
            self._extend(last, number, marked.text, list(marked.methods), marked.section)
            return
        if says_nothing_is_required(marked.text):
            self._skip(number, raw_line, "not a requirement", "says that nothing is required")
            return
        self._add(number, marked.text, list(marked.methods), marked.section, bulleted=bulleted)

    def _add(
        self,
        number: int,
        text: str,
        methods: list[str],
        own_section: str | None,
        *,
        bulleted: bool = False,
        column: str | None = None,
        section: str | None = None,
    ) -> None:
        under = section or self.section
        note = None
        if own_section and under and own_section != under:
            note = f"moved to {own_section}: the line says so"
        item = _Item(own_section or under, text, methods, self.heading, number, number, bulleted, column, note)
        self.items.append(item)
        self.topic_items.append(item)

    @staticmethod
    def _extend(item: _Item, number: int, text: str, methods: list[str], section: str | None) -> None:
        if text:
            item.text = f"{item.text} {text}"
        item.methods.extend(method for method in methods if method not in item.methods)
        if section and item.section is None:
            item.section = section
        item.end_line = number

    def _table_row(self, number: int, cells: list[Cell]) -> None:
        topic = " ".join(cell.text for cell in cells if cell.kind == "topic")
        rest = [cell for cell in cells if cell.kind != "topic"]
        ticked = [cell for cell in rest if cell.kind in ("essential", "desirable") and is_mark(cell.text)]
        if topic and ticked and not any(cell.kind == "criterion" for cell in rest):
            # "Criteria | Essential | Desirable" with ticks: the first column is the criterion itself.
            rest.insert(0, Cell("criterion", topic))
            topic = ""
        if topic:
            if topic[:1].islower() and self.heading and self.topic_items:  # "Personal" / "qualities"
                renamed = f"{self.heading} {topic}"
                for item in self.topic_items:
                    if item.heading == self.heading:
                        item.heading = renamed
                self.heading = renamed
            else:
                self.heading = topic
                self.topic_items = []
        if not rest:
            self._read_heading(number, "", text=topic or "")
            return
        methods: list[str] = []
        row_section: str | None = None
        texts: list[tuple[str, str | None, str]] = []  # (column, section, text)
        criterion = None
        for cell in rest:
            if cell.kind == "method":
                methods.extend(methods_of(cell.text) or ())
            elif cell.kind == "section":
                row_section = read_markers(cell.text).section or row_section
            elif cell.kind in ("essential", "desirable"):
                if is_mark(cell.text):
                    row_section = cell.kind
                else:
                    texts.append((cell.kind, cell.kind, cell.text))
            else:
                criterion = f"{criterion} {cell.text}" if criterion else cell.text
        if criterion:
            texts.insert(0, ("criterion", row_section, criterion))
        if not texts:  # only how it is assessed, or only E/D: belongs to the criterion above
            above = self._row_above(None)
            if above is not None:
                self._extend(above, number, "", methods, row_section)
            else:
                self._skip(number, "", "layout", "a table row with no criterion")
            return
        continues = (
            not topic
            and not methods
            and row_section is None
            and len(texts) == 1
            and ((self.table is not None and self.table.split == "spaces") or texts[0][2][:1].islower())
        )
        if continues and (above := self._row_above(texts[0][0])) is not None:
            self._extend(above, number, read_markers(texts[0][2]).text or texts[0][2], [], None)
            return
        for column, section, text in texts:
            marked = read_markers(text)
            if not marked.text:
                continue
            if says_nothing_is_required(marked.text):
                self._skip(number, text, "not a requirement", "says that nothing is required")
                continue
            self._add(
                number,
                marked.text,
                [*marked.methods, *(m for m in methods if m not in marked.methods)],
                marked.section,
                column=column,
                section=section,
            )

    def _row_above(self, column: str | None) -> _Item | None:
        """The criterion the previous row gave in ``column`` (any column when None)."""
        for item in reversed(self.items):
            if item.end_line != self.previous_line:
                return None
            if column is None or item.column == column:
                return item
        return None

    # -- details -------------------------------------------------------------------------------
    def _label(self, found: Label, number: int, raw: str) -> None:
        if not found.value:
            self.pending = _Pending(found, number, number)
            return
        self._value(found, number, number, [found.value], strict=self.part.kind in ("top", "details"))

    def _continues_pending(self, raw: str) -> bool:
        """Whether ``raw`` is (more of) the value of the label alone above it."""
        assert self.pending is not None
        if not plain(raw):
            return False  # "**", "#": nothing to read as a value
        found = label(raw)
        if part_heading(raw) or part_opener(raw) or section_heading(raw) or (found is not None and found.known):
            return False
        values = self.pending.values
        if not values:
            return True
        kind = self.pending.label.field
        if kind == "hours":
            return looks_like_hours(raw)
        if kind == "location":
            return len(values) < 6 and len(raw.strip()) <= 80
        return kind is None and len(values) < 6 and len(raw.strip()) <= 60

    def _close_pending(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        if not pending.values:
            why = f"'{pending.label.name}' has no value below it"
            self._skip(pending.line, pending.label.name, "not imported", why)
            return
        if pending.label.field is None:
            why = f"'{pending.label.name}' is not a field this service imports"
            self._skip(pending.line, pending.label.name, "not imported", why)
            for number, text in pending.values:
                self._skip(number, text, "not imported", why)
            return
        values = [text for _, text in pending.values]
        self._value(pending.label, pending.line, pending.end_line, values, strict=True)

    def _value(self, found: Label, first: int, last: int, values: list[str], *, strict: bool) -> None:
        name, kind = found.name, found.field
        if kind is None:
            self._skip(first, f"{name}: {values[0]}", "not imported", f"'{name}' is not a field this service imports")
            return
        value, note = " ".join(values), None
        if kind == "hours":
            hours, patterns, remark = advert_hours(values)
            note = _left_out(remark)
            if patterns:
                self.patterns.extend((pattern, first) for pattern in patterns)
                note = "; ".join(part for part in (f"working pattern: {', '.join(patterns)}", note) if part)
            if hours is None:
                self._read(first, last, "working_pattern", ", ".join(patterns), note=note)
                return
            value = hours
        elif kind == "working_pattern":
            value = ", ".join(values)
        elif kind == "location":
            value, left_out = advert_location(values)
            note = _left_out(left_out)
        elif kind == "contract":
            value, remark = advert_contract(value)
            note = _left_out(remark)
        self._set(kind, name, value, first, last, strict=strict, note=note)

    def _set(self, kind: str, name: str, value: str, first: int, last: int, *, strict: bool, note: str | None) -> None:
        error = self._check(kind, value)
        if error is not None and not strict:
            self._skip(first, value, "value not read", f"'{name}' here is not read: {error}")
            return
        given = self.fields.get(kind)
        if given is not None:
            if self._same(kind, given.value, value):
                self._read(first, last, kind, value, note=f"as on line {given.line}")
            elif strict:
                self.problems.add(first, name, f"given twice with different values (also on line {given.line})")
                self._read(first, last, kind, value, note=note)
            else:
                self._skip(first, value, "value not read", f"'{name}' here differs from line {given.line}")
            return
        self.fields[kind] = _Field(name, value, first)
        self._read(first, last, kind, value, note=note)

    def _check(self, kind: str, value: str) -> str | None:
        limits = self.limits
        parsers: dict[str, Any] = {
            "band": _band,
            "contract": _contract,
            "hours": lambda v: _hours(v, limits),
            "hours_per_week": lambda v: _hours(v, limits),
            "salary": _salary,
            "closing_date": lambda v: _closing_date(v, limits),
            "working_pattern": _working_pattern,
        }
        parse = parsers.get(kind, lambda v: _text(v, limits.max_text_chars, numbers=True))
        try:
            parse(value)
        except _Invalid as exc:
            return str(exc)
        return None

    def _same(self, kind: str, first: str, second: str) -> bool:
        if " ".join(first.split()).casefold() == " ".join(second.split()).casefold():
            return True
        if kind in ("band", "closing_date", "hours", "salary", "contract"):
            return self._check(kind, first) is None and self._parsed(kind, first) == self._parsed(kind, second)
        return False

    def _parsed(self, kind: str, value: str) -> object:
        try:
            return {
                "band": _band,
                "closing_date": lambda v: _closing_date(v, self.limits),
                "hours": lambda v: _hours(v, self.limits)[0],
                "salary": _salary,
                "contract": _contract,
            }[kind](value)
        except _Invalid:
            return None

    def _employer_heading(self, number: int, raw: str) -> None:
        """Trac's 'Employer heading': the employer's logo, then the job title, then the band."""
        text = plain(raw)
        if is_layout(raw):
            self._skip(number, raw, "layout", "page layout (a logo, a table rule, a page number)")
        elif "title" not in self.fields and text != getattr(self.fields.get("employer"), "value", None):
            self._set("title", _LABEL_NAMES["title"], text, number, number, strict=False, note="the employer heading")
        elif self._check("band", text) is None and re.search(r"\bband\b", text, re.IGNORECASE):
            self._set("band", _LABEL_NAMES["band"], text, number, number, strict=False, note="the employer heading")
        else:
            self._skip(number, raw)

    # -- what was read and skipped -------------------------------------------------------------
    def _read(self, first: int, last: int, kind: str, text: str, *, note: str | None = None) -> None:
        self.order += 1
        self.reads.append((first, self.order, ReadLine(first, last, kind, text, note=note)))

    def _read_heading(self, number: int, raw: str, *, text: str | None = None) -> None:
        self._read(number, number, "heading", text if text is not None else plain(raw).rstrip(":").strip())

    def _skip(self, number: int, raw: str, reason: str | None = None, why: str | None = None) -> None:
        reason = reason or self.part.reason
        if why is None:
            why = _WHY.get(reason, _WHY["prose"]).format(part=self.part.name or "this part")
        shown = " ".join(plain(raw).split())
        shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
        self.skips.setdefault(number, (self.part.name, reason, why, shown))

    def _finish(self, numbers: list[int]) -> ImportReport:
        data: dict[str, Any] = {f.name: f.value for f in self.fields.values()}
        lines_of = {f.name: f.line for f in self.fields.values()}
        if self.patterns:
            given = self.fields.get("working_pattern")
            words = [given.value] if given else []
            words += [pattern for pattern, _ in self.patterns]
            name = given.name if given else "Working pattern"
            data[name] = ", ".join(words)
            lines_of.setdefault(name, self.patterns[0][1])
        kept: dict[str, list[_Item]] = {"essential": [], "desirable": []}
        criteria_reads: list[tuple[int, int, ReadLine]] = []
        unsectioned: set[int] = set()
        for order, item in enumerate(self.items):
            if item.section is None:
                for number in range(item.line, item.end_line + 1):
                    unsectioned.add(number)
                    self._skip(
                        number,
                        item.text if number == item.line else "",
                        "no section",
                        "no Essential/Desirable heading or (E)/(D) marker says whether this is essential or desirable",
                    )
                continue
            kept[item.section].append(item)
            text = with_methods(item.text, item.methods)
            read = ReadLine(item.line, item.end_line, item.section, text, heading=item.heading, note=item.note)
            criteria_reads.append((item.line, 10**9 + order, read))  # after a heading on the same line
        for section, items in kept.items():
            if items:
                data[section] = [with_methods(item.text, item.methods) for item in items]
                if any(item.heading for item in items):
                    data[f"{section}_context"] = [item.heading for item in items]
        if not kept["essential"]:
            why = "lists no criteria" if "essential" in self.sections_seen else "was not found"
            self.problems.add(None, "essential", f"the 'Essential' section {why}: the person specification is required")
        record, record_problems = _validate(data, self.limits)
        for where, message in record_problems:
            self.problems.add(_line_of(where, lines_of, kept), where, message)
        # A heading on a line whose criterion had no section ("Skills: team work" before any Essential) goes too.
        reads = [entry for entry in self.reads if not (entry[2].field == "heading" and entry[0] in unsectioned)]
        reading = AdvertReading(
            tuple(read for _, _, read in sorted([*reads, *criteria_reads], key=lambda entry: entry[:2])),
            _runs(self.skips, numbers),
        )
        return _report([record] if record is not None else [], self.problems, what="advert", advert=reading)


def _cells_text(raw: str) -> str:
    """A table's heading row as 'Criteria | Essential | Desirable | Method of assessment'."""
    return " | ".join(cell.strip() for cell in re.split(r"\t|\||\s{2,}", plain(raw)) if cell.strip())


def _left_out(remark: str | None) -> str | None:
    return f"left out: {remark!r}" if remark else None


def _line_of(name: str | None, lines_of: dict[str, int], kept: dict[str, list[_Item]]) -> int | None:
    if name is None:
        return None
    if name in lines_of:
        return lines_of[name]
    found = re.fullmatch(r"(essential|desirable)\[(\d+)\]", name)
    if found and int(found[2]) < len(kept[found[1]]):
        return kept[found[1]][int(found[2])].line
    return None


def _runs(skips: dict[int, tuple[str | None, str, str, str]], numbers: list[int]) -> tuple[SkippedLines, ...]:
    """Skipped lines in runs: next to each other (blank lines aside), in one part, for one reason."""
    runs: list[SkippedLines] = []
    previous: int | None = None
    for number in numbers:
        skip = skips.get(number)
        if skip is None:
            previous = None
            continue
        part, reason, why, text = skip
        last = runs[-1] if runs else None
        if previous is not None and last is not None and (last.part, last.reason, last.why) == (part, reason, why):
            runs[-1] = SkippedLines(last.line, number, part, reason, why, last.text)
        else:
            runs.append(SkippedLines(number, number, part, reason, why, text))
        previous = number
    return tuple(runs)


def _headline(lines: list[str]) -> dict[int, tuple[str, str]]:
    """NHS Jobs pages start 'Employer', 'Job title', 'The closing date is 12 December 2026'."""
    seen: list[int] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if len(seen) >= 12:
            return {}
        closing = closing_sentence(raw)
        if closing is not None:
            found = {number: ("closing_date", closing)}
            above = [at for at in seen[-2:] if _could_be_headline(lines[at - 1])]
            if len(above) >= 1 and above[-1] == seen[-1]:
                found[above[-1]] = ("title", plain(lines[above[-1] - 1]))
                if len(above) == 2:
                    found[above[0]] = ("employer", plain(lines[above[0] - 1]))
            return found
        seen.append(number)
    return {}


def _could_be_headline(raw: str) -> bool:
    text = plain(raw)
    return 0 < len(text) <= 120 and label(raw) is None and part_heading(raw) is None and ":" not in text
