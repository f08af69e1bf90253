"""Person-specification tables flattened to text: a heading row, then one row per line.

Copying a Word or PDF table gives cells separated by tabs, by pipes (markdown, converters) or by
runs of spaces (``pdftotext -layout``). The heading row says what each column holds: a topic
("Qualifications"), the criterion, essential and desirable criteria side by side, an E/D column,
and how each is assessed. Rows are read by column position (tabs, pipes) or by where each cell
starts under the heading (spaces, where empty cells leave no mark).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vacancies.markers import read_markers

from .advert_lines import words_of

_COLUMN_NAMES: dict[str, str] = {}
for _kind, _names in {
    "topic": "attribute; attributes; area; areas; factor; factors; category; heading; section; person specification; "
    "entry criteria; requirements; requirement; criteria; criterion",
    "essential": "essential; essential criteria; essential requirements",
    "desirable": "desirable; desirable criteria; desirable requirements",
    "section": "e d; essential desirable; essential or desirable; e or d; e d criteria",
    "method": "method of assessment; methods of assessment; how assessed; assessment; assessment method; assessed by; "
    "how evidenced; evidence; when evaluated; when is this evaluated; m o a; moa; how identified; how tested; method; "
    "how measured; measured by",
}.items():
    for _name in _names.split(";"):
        _COLUMN_NAMES[words_of(_name)] = _kind
_CRITERION_NAMES = {"criteria", "criterion", "requirements", "requirement"}
_MARKS = re.compile(r"^(?:[✓✔✗xX*•●]|yes|y|e|d|essential|desirable)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Table:
    """The columns of a flattened table: how rows split, and each column's kind and start."""

    split: str  # "tab", "pipe" or "spaces"
    kinds: tuple[str, ...]
    starts: tuple[int, ...]  # for "spaces": where each heading starts on its line


@dataclass(frozen=True, slots=True)
class Cell:
    kind: str
    text: str


def _split(line: str, how: str) -> list[tuple[int, str]]:
    """(where it starts, text) for each cell of a row."""
    if how == "tab":
        cells, at = [], 0
        for text in line.split("\t"):
            cells.append((at, text.strip()))
            at += len(text) + 1
        return cells
    if how == "pipe":
        body = line.strip()
        body = body[1:] if body.startswith("|") else body
        body = body[:-1] if body.endswith("|") else body
        return [(at, text.strip()) for at, text in enumerate(body.split("|"))]
    return [(found.start(), found[0]) for found in re.finditer(r"\S+(?: \S+)*", line)]


def split_kind(line: str) -> str | None:
    """How a line splits into cells, if it does."""
    if "\t" in line.strip("\t ") or line.startswith("\t"):
        return "tab"
    if line.count("|") >= 2:
        return "pipe"
    if re.search(r"\S {2,}\S", line):
        return "spaces"
    return None


def table_heading(line: str) -> Table | None:
    """The table a heading row opens: every cell names a column, and one says E, D or assessment."""
    how = split_kind(line)
    if how is None:
        return None
    cells = _split(line, how)
    named = [(at, words_of(text)) for at, text in cells if text]
    if len(named) < 2 or any(name not in _COLUMN_NAMES for _, name in named):
        return None
    kinds = {_COLUMN_NAMES[name] for _, name in named}
    if not {"essential", "desirable", "section", "method"} & kinds:
        return None
    # "Criteria" is the criterion itself beside an E/D column or beside another topic column ("Area |
    # Criteria | Essential | Desirable", ticked), and a topic beside Essential/Desirable text columns.
    topics = sum(1 for _, name in named if _COLUMN_NAMES[name] == "topic")
    criterion_column = topics > 1 or not {"essential", "desirable"} & kinds

    def kind_of(name: str) -> str:
        if not name:
            return ""
        return "criterion" if name in _CRITERION_NAMES and criterion_column else _COLUMN_NAMES[name]

    if how == "spaces":  # empty cells leave no mark: where a heading starts is the column
        return Table(how, tuple(kind_of(name) for _, name in named), tuple(at for at, _ in named))
    return Table(how, tuple(kind_of(words_of(text)) for _, text in cells), ())


def is_rule(line: str) -> bool:
    """A markdown table's rule row: |---|:---|."""
    return bool(re.fullmatch(r"\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*", line))


def row_cells(table: Table, line: str) -> list[Cell] | None:
    """The non-empty cells of a row, by column; None when the line does not split as the table does."""
    if table.split == "spaces":
        if "\t" in line or line.count("|") >= 2:
            return None
        cells = []
        for at, text in _split(line, "spaces"):
            nearest = min(range(len(table.starts)), key=lambda column: abs(table.starts[column] - at))
            cells.append(Cell(table.kinds[nearest], text))
        return _merge(cells)
    if split_kind(line) != table.split:
        return None
    found = _split(line, table.split)
    return _merge(
        [Cell(table.kinds[at] if at < len(table.kinds) else "", text) for at, (_, text) in enumerate(found) if text]
    )


def _merge(cells: list[Cell]) -> list[Cell]:
    """Two cells that landed in one column (a wide cell in a space-padded table) are one text."""
    merged: list[Cell] = []
    for cell in cells:
        if merged and merged[-1].kind == cell.kind:
            merged[-1] = Cell(cell.kind, f"{merged[-1].text} {cell.text}")
        else:
            merged.append(cell)
    return merged


def is_mark(text: str) -> bool:
    """A tick or a letter in an Essential or Desirable column, rather than a criterion."""
    return bool(_MARKS.match(text.strip()))


def methods_of(text: str) -> tuple[str, ...] | None:
    """The methods an assessment cell names ("Application form, certificates" -> A, C), or None."""
    found = read_markers(text)
    return found.methods if not found.text and found.methods else None
