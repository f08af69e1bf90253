"""What an import found: the records, every problem with its line and field, and (for an advert)
what was read and what was skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .record import VacancyRecord


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
