"""vacancies.intake.files: reading a file by its extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.vacancies.intake_support import (
    assert_rejected,
)
from vacancies.intake import (
    IntakeLimits,
    parse_file,
)


# -- files --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("v.json", '[{"reference": "R-1", "title": "Porter", "employer": "SWBH"}]'),
        ("v.JSON", '{"vacancies": [{"reference": "R-1", "title": "Porter", "employer": "SWBH"}]}'),
        ("v.csv", "Reference,Job title,Employer\nR-1,Porter,SWBH\n"),
        ("v.txt", "Job title: Porter\nReference: R-1\nEmployer: SWBH\nEssential\n- Team work\n"),
        (
            "v.md",
            "# Porter\n**Job title:** Porter\n**Reference:** R-1\n**Employer:** SWBH\n## Essential\n- Team work\n",
        ),
    ],
)
def test_parse_file_chooses_the_parser_by_extension(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + content.encode("utf-8"))  # with a BOM, as Excel saves it
    report = parse_file(path)
    assert report.ok, report.problems
    assert report.records[0].reference == "R-1"


@pytest.mark.parametrize(
    ("name", "content", "line", "reason"),
    [
        ("v.csv", b"Reference,Job title,Employer\nR-1,Caf\xe9 assistant,SWBH\n", 2, "not valid UTF-8"),
        ("v.json", b"\xff\xfe[\x00]\x00", None, "UTF-16"),
        ("v.csv", b"", None, "is empty"),
        ("v.txt", b"  \n\n", None, "is empty"),
        ("v.xlsx", b"PK\x03\x04", None, "save a spreadsheet as CSV"),
        ("v.pdf", b"%PDF", None, "use a .json, .csv, .txt or .md file"),
    ],
)
def test_unreadable_files_are_reported(
    tmp_path: Path, name: str, content: bytes, line: int | None, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = parse_file(path)
    assert_rejected(report)
    [problem] = report.problems
    assert problem.line == line
    assert reason in problem.message


def test_a_missing_file_or_a_directory_is_reported(tmp_path: Path) -> None:
    assert "file not found" in parse_file(tmp_path / "nope.csv").problems[0].message
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert "is a directory" in parse_file(folder).problems[0].message


def test_a_file_over_ten_megabytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.write(b"Reference,Job title,Employer\n")
        handle.truncate(10 * 1024 * 1024 + 1)
    [problem] = parse_file(path).problems
    assert "larger than 10 MB" in problem.message
    at_limit = tmp_path / "limit.csv"
    at_limit.write_bytes(b"Reference,Job title,Employer\nR-1,Porter,SWBH\n")
    assert parse_file(at_limit, limits=IntakeLimits(max_file_bytes=at_limit.stat().st_size)).ok
