"""What an import found: the records, every problem with its line and field, and (for an advert)
what was read and what was skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .record import VacancyRecord


#: Why an advert's lines were not imported. Stable codes a client can count or colour.
SKIP_REASONS = (
    "not imported",  # a label (and its value) this service does not import: "Pay scheme", "Date posted"
    "about the job",  # job summary, main duties: describe the job, not requirements
    "about the employer",  # about us, benefits, the employer's heading
    "how to apply",  # what next, documents to download, interview dates
    "contact details",  # names, emails, telephone numbers: never imported
    "notes and checks",  # "Please note", DBS and sponsorship paragraphs
    "prose",  # other text outside the person specification
    "value not read",  # "Hours: various shifts" in prose: a label whose value cannot be read
    "not a requirement",  # "No previous experience required" under Essential
    "no section",  # a criterion that no heading or (E)/(D) marks essential or desirable
    "legend",  # "Key: A = application form, I = interview"
    "layout",  # logos, table rules, page numbers
)


@dataclass(frozen=True, slots=True)
class ReadLine:
    """Lines an advert reader imported: a field, a criterion, or a heading that gave them structure."""

    line: int
    end_line: int
    #: A record field ("title", "band", ...), "essential", "desirable", or "heading".
    field: str
    #: The value or criterion as imported (criteria with their method marker, e.g. "(A/I)").
    text: str
    #: The sub-heading a criterion sat under ("Qualifications"), if any.
    heading: str | None = None
    #: What the reader did beyond copying: "moved to desirable: the line says (D)", remarks left out.
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "end_line": self.end_line,
            "field": self.field,
            "text": self.text,
            "heading": self.heading,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class SkippedLines:
    """A run of lines an advert reader did not import, with the part of the advert and why."""

    line: int
    end_line: int
    #: The advert's part they sat in, as it heads it ("Job overview", "Contact details"), if any.
    part: str | None
    reason: str  # one of SKIP_REASONS
    why: str
    #: The first line, shortened: enough to find it in the advert.
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "end_line": self.end_line,
            "part": self.part,
            "reason": self.reason,
            "why": self.why,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class AdvertReading:
    """What a free-text advert reader made of every line: read (in order) or skipped (in runs)."""

    read: tuple[ReadLine, ...] = ()
    skipped: tuple[SkippedLines, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"read": [item.to_dict() for item in self.read], "skipped": [item.to_dict() for item in self.skipped]}


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
    #: For a free-text advert: what was read and what was skipped, line by line (also when rejected).
    advert: AdvertReading | None = None

    @property
    def ok(self) -> bool:
        return bool(self.records) and not self.problems

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": self.ok,
            "count": len(self.records),
            "vacancies": [record.to_contract() for record in self.records],
            "problems": [problem.to_dict() for problem in self.problems],
        }
        if self.advert is not None:
            out["advert"] = self.advert.to_dict()
        return out


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


def _report(
    records: list[VacancyRecord], problems: _Problems, *, what: str, advert: AdvertReading | None = None
) -> ImportReport:
    if not records and not problems.items:
        problems.add(None, None, f"the {what} holds no vacancies")
    return ImportReport([] if problems.items else records, problems.items, advert)
