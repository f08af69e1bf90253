"""Vacancy intake: NHS adverts from JSON, CSV or pasted text to validated vacancy records.

Every parser returns an :class:`ImportReport` and never raises on bad input: each problem is
reported with the physical line it came from (where there is one) and the field as the file
names it, and a file with any problem imports nothing, so a recruiter fixes the file and
imports it again rather than untangling a half-finished import.

:class:`VacancyRecord` accepts what adverts actually say ("Band 5", "Fixed-Term: 12 months",
"£29,970 - £36,483 a year", "31 December 2026") and stores one canonical form;
:meth:`VacancyRecord.to_contract` gives the DESIGN.md Vacancy object. The package is pure:
no Flask, no SQLAlchemy, no I/O except :func:`parse_file`. Its modules follow what each reads:
``fields`` (one value), ``record`` (one vacancy), ``json_reader``, ``csv_reader``, ``adverts``
(free text) and ``files``; ``report`` says what an import found.
"""

from .adverts import parse_advert
from .csv_reader import parse_csv, spreadsheet_safe, write_csv
from .fields import CONTRACTS, DEFAULT_LIMITS, WORKING_PATTERNS, IntakeLimits
from .files import parse_file
from .json_reader import parse_json
from .record import CRITERION_KINDS, VacancyRecord
from .report import ImportReport, Problem

__all__ = [
    "CONTRACTS",
    "CRITERION_KINDS",
    "DEFAULT_LIMITS",
    "WORKING_PATTERNS",
    "ImportReport",
    "IntakeLimits",
    "Problem",
    "VacancyRecord",
    "parse_advert",
    "parse_csv",
    "parse_file",
    "parse_json",
    "spreadsheet_safe",
    "write_csv",
]
