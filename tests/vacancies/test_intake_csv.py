"""vacancies.intake.csv_reader: CSV files in NHS Jobs' columns, and writing them back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.vacancies.intake_support import (
    HEADER,
    SAMPLES,
    TRUST,
    assert_rejected,
    valid_records,
    where,
)
from vacancies.intake import (
    ImportReport,
    IntakeLimits,
    VacancyRecord,
    parse_csv,
    parse_file,
    parse_json,
    write_csv,
)


# -- CSV ----------------------------------------------------------------------------------------
def test_csv_sample_imports() -> None:
    report = parse_file(SAMPLES / "vacancies.csv")
    assert report.ok, report.problems
    hca, nurse, domestic, clerk = report.records
    assert hca.essential == [
        "Ability to communicate effectively in English with patients, relatives and colleagues",
        "Care Certificate or willingness to complete it within 12 weeks of starting",
        "Able to work as part of a team",
    ]
    assert hca.desirable == ["Experience of personal care in a hospital, care home or the community", "Punjabi or Urdu"]
    assert (nurse.band, nurse.salary_min, nurse.salary_max, nurse.closing_date) == (
        "5",
        29970,
        36483,
        date(2026, 12, 31),
    )
    assert (domestic.contract, domestic.salary_min, domestic.salary_hourly) == ("bank", 12.21, True)
    assert domestic.essential == [
        "Able to follow cleaning schedules and infection control procedures",
        "Good communication skills",
    ]
    assert (clerk.band, clerk.contract, clerk.contract_months, clerk.hours) == ("3", "fixed_term", 12, 22.5)
    assert clerk.to_contract()["hours"] == "part_time"
    assert clerk.desirable[1] == '=HYPERLINK("https://www.nhs.uk","NHS") awareness'


def test_bad_rows_sample_reports_every_row_and_imports_nothing() -> None:
    report = parse_file(SAMPLES / "vacancies_bad_rows.csv")
    assert_rejected(report)
    assert where(report) == [
        (1, "Colour"),
        (3, "Band"),
        (5, "Job title"),
        (5, "Contract"),
        (5, "Hours"),
        (5, "Salary"),
        (5, "Closing date"),
        (6, "Closing date"),
        (6, "Reference"),
    ]
    assert "unknown column" in report.problems[0].message
    assert "(line 2 and line 6)" in report.problems[-1].message


@pytest.mark.parametrize(
    "header",
    [
        "Reference,Job title,Employer,Closing date",
        "REFERENCE,JOB TITLE,EMPLOYER,CLOSING DATE",
        "Job reference,title,Employer name,closing_date",
        "Reference:, Job Title ,Employer,Closing Date:",
        "ref,job-title,organisation,closes",
    ],
)
def test_csv_column_names_are_tolerant(header: str) -> None:
    report = parse_csv(f"{header}\nR-1,Porter,{TRUST},14/12/2026\n")
    assert report.ok, report.problems
    assert (report.records[0].title, report.records[0].closing_date) == ("Porter", date(2026, 12, 14))


def test_csv_tolerates_a_bom_crlf_blank_lines_and_empty_trailing_columns() -> None:
    text = "\ufeffReference,Job title,Employer,,\r\n\r\nR-1,Porter,SWBH,,\r\nR-2,Cleaner,SWBH,,\r\n\r\n"
    report = parse_csv(text)
    assert report.ok, report.problems
    assert [r.reference for r in report.records] == ["R-1", "R-2"]


def test_csv_quoted_multiline_cells_keep_physical_line_numbers() -> None:
    text = (
        f"{HEADER}\n"
        'R-1,Porter,SWBH,Band 2,37.5,,,"- Able to lift\n- Able to push\n- Team work",\n'
        'R-2,Porter,SWBH,Band 22,37.5,,,"one\ntwo",\n'
        "R-3,Porter,SWBH,Band 2,99,,,,\n"
    )
    report = parse_csv(text)
    assert where(report) == [(5, "Band"), (7, "Hours")]
    assert report.records == []


@pytest.mark.parametrize(
    ("cell", "criteria"),
    [
        ('"one\ntwo\nthree"', ["one", "two", "three"]),
        ('"one; two; three"', ["one", "two", "three"]),
        ('"one | two|three"', ["one", "two", "three"]),
        ('"• one\n* two\n1. three\n2) four"', ["one", "two", "three", "four"]),
        ('"GCSE English; or Functional Skills\nTeam work"', ["GCSE English; or Functional Skills", "Team work"]),
        (
            '"{""kind"": ""skill"", ""text"": ""venepuncture""}\nTeam work"',
            [{"kind": "skill", "text": "venepuncture"}, "Team work"],
        ),
        ('"one\n\n-\n  two  "', ["one", "two"]),
        ('"one; two\n"', ["one; two"]),
        ('"1.5 years in a ward; 3 years\' experience"', ["1.5 years in a ward", "3 years' experience"]),
    ],
)
def test_csv_criteria_cells_split_on_newlines_semicolons_and_bars(cell: str, criteria: list[Any]) -> None:
    report = parse_csv(f"Reference,Job title,Employer,Essential\nR-1,Porter,SWBH,{cell}\n")
    assert report.ok, report.problems
    assert report.records[0].essential == criteria


@pytest.mark.parametrize(
    ("text", "expected", "reason"),
    [
        (f"{HEADER}\nR-1,Porter,SWBH\n", [(2, None)], "3 cells, but the header has 9"),
        (f"{HEADER}\nR-1,Porter,SWBH,,,,,,,extra\n", [(2, None)], "10 cells"),
        (f'{HEADER}\nR-1,Porter,SWBH,,,,,"Team work,\nR-2,Porter,SWBH,,,,,,\n', [(2, None)], "never closed"),
        (f'{HEADER}\nR-1,"Por"ter,SWBH,,,,,,\nR-2,Porter,SWBH,,,,,,\n', [(2, None)], "must be doubled"),
        ("Reference;Job title;Employer\nR-1;Porter;SWBH\n", [(1, None)], "semicolons"),
        ("Reference\tJob title\tEmployer\nR-1\tPorter\tSWBH\n", [(1, None)], "tabs"),
        (f"{HEADER}\n", [(None, None)], "holds no vacancies"),
        ("", [(None, None)], "empty"),
        ("\ufeff \n \n", [(None, None)], "empty"),
        ("Reference,Job title,Employer,Band,Band\nR-1,Porter,SWBH,2,3\n", [(1, "Band")], "same column"),
        ("Reference,Job title,Employer,\nR-1,Porter,SWBH,stray\n", [(2, None)], "no name"),
        ("Job title,Band\nPorter,Band 2\nCleaner,Band 2\n", [(1, None), (1, None)], "column"),
    ],
)
def test_malformed_csv_is_reported(text: str, expected: list[tuple[int | None, str | None]], reason: str) -> None:
    report = parse_csv(text)
    assert_rejected(report)
    assert where(report) == expected
    assert reason in report.problems[0].message


def test_a_missing_required_column_is_reported_once_not_per_row() -> None:
    report = parse_csv("Job title,Employer\nPorter,SWBH\nCleaner,SWBH\n")
    assert [(p.line, p.message) for p in report.problems] == [
        (1, "no 'Reference' column (the advert reference is required)")
    ]


def test_a_blank_required_cell_names_the_column() -> None:
    report = parse_csv("Reference,Job title,Employer\nR-1,,SWBH\n")
    assert [(p.line, p.field, p.message) for p in report.problems] == [(2, "Job title", "required: the job title")]


def test_one_bad_row_imports_nothing() -> None:
    text = "Reference,Job title,Employer,Band\n" + "".join(f"R-{n},Porter,SWBH,Band 2\n" for n in range(50))
    assert len(parse_csv(text).records) == 50
    report = parse_csv(text + "R-50,Porter,SWBH,Band 11\n")
    assert_rejected(report)
    assert where(report) == [(52, "Band")]


def test_reporting_stops_after_the_problem_limit() -> None:
    text = "Reference,Job title,Employer,Band\n" + "".join(f"R-{n},Porter,SWBH,Band 99\n" for n in range(500))
    report = parse_csv(text, limits=IntakeLimits(max_problems=20))
    assert len(report.problems) == 21
    assert "stopped after 20 problems" in report.problems[-1].message


def test_formula_looking_cells_are_kept_as_text() -> None:
    formulas = [
        '=HYPERLINK("http://evil.example","Click")',
        "=1+1",
        "+44 121 507 4344",
        "@SUM(A1:A9)",
        "=cmd|' /C calc'!A0",
    ]
    rows = "".join(
        f'R-{n},"{f.replace(chr(34), chr(34) * 2)}",SWBH,"{f.replace(chr(34), chr(34) * 2)}\n"\n'
        for n, f in enumerate(formulas)
    )
    report = parse_csv("Reference,Job title,Employer,Essential\n" + rows)
    assert report.ok, report.problems
    assert [r.title for r in report.records] == formulas
    assert [r.essential for r in report.records] == [[f] for f in formulas]
    assert report.records[1].to_contract()["title"] == "=1+1"


@given(st.text(max_size=400))
@settings(max_examples=200, deadline=None)
def test_parse_csv_never_raises_on_arbitrary_text(text: str) -> None:
    report = parse_csv(text)
    assert report.problems or report.records
    assert not (report.problems and report.records)


_CELL = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(',"\n\r;|£-'), max_size=30)


@given(st.lists(st.lists(_CELL, min_size=0, max_size=12), max_size=6))
@settings(max_examples=200, deadline=None)
def test_parse_csv_never_raises_on_arbitrary_rows_under_a_real_header(rows: list[list[str]]) -> None:
    lines = [",".join(f'"{cell.replace(chr(34), chr(34) * 2)}"' for cell in row) for row in rows]
    report = parse_csv("\n".join([HEADER, *lines]))
    for problem in report.problems:
        assert problem.line is None or 1 <= problem.line <= report_lines(report, lines)


def report_lines(report: ImportReport, lines: list[str]) -> int:
    return 1 + sum(line.count("\n") + line.count("\r") + 1 for line in lines)


@given(st.lists(valid_records(), min_size=1, max_size=5, unique_by=lambda r: r.reference.casefold()))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_a_csv_written_from_valid_records_reads_back_the_same(records: list[VacancyRecord]) -> None:
    report = parse_csv(write_csv(records))
    assert report.problems == []
    assert report.records == records


@pytest.mark.parametrize("danger", ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_spreadsheet_exports_do_not_run_formulas(danger: str) -> None:
    from vacancies.intake import spreadsheet_safe

    assert spreadsheet_safe(danger).startswith("'")
    record = parse_json(
        json.dumps([{"reference": "X-1", "title": danger, "employer": "Trust", "essential": [danger]}])
    ).records[0]
    exported = write_csv([record], for_spreadsheets=True)
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert all(cell[:1] not in ("=", "+", "-", "@", "\t") for cell in cells if cell)
    # Files the service reads back keep the text exactly.
    assert parse_csv(write_csv([record])).records[0].title == danger.strip()
