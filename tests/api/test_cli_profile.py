"""``useit profile extract`` and ``useit profile import-cvs``: drafts from CVs, bad files named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select

from api.cli import main
from api.models import ProfileDraft, Resident

DATA = Path(__file__).resolve().parents[1] / "extract" / "data"


def _count(url: str, model: type) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(model)).scalar_one()
    finally:
        engine.dispose()


def test_extract_a_pdf_prints_the_draft(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["profile", "extract", str(DATA / "cvs" / "c09_gp_pakistan.pdf"), "--today", "2026-12-01"]
    )
    assert result.exit_code == 0, result.output
    draft = json.loads(result.stdout)
    assert draft["source"]["kind"] == "pdf"
    assert sorted(draft["profile"]["credentials"]) == ["plab-1", "plab-2"]
    assert draft["profile"]["right_to_work"] == "unknown"


def test_extract_standard_input(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["profile", "extract", "-"], input="I worked as a porter at City Hospital for 2 years."
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["profile"]["experience"] == [{"title": "porter", "years": 2.0, "country": "GB"}]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["profile", "extract", "no-such-file.pdf"], "file not found"),
        (["profile", "extract", "-"], "no text to read"),
        (["profile", "extract", "x.txt", "--today", "tomorrow"], "--today must be a date"),
        (["profile", "import-cvs", "no-such-folder"], "not a folder"),
    ],
)
def test_bad_input_is_a_message_and_status_2(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, args, input="   ")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_import_a_folder_into_drafts_never_residents(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cvs"
    folder.mkdir()
    for name in ("c01_nurse_pakistan.pdf", "c03_carer_uk.docx", "c10_porter_iraq.txt"):
        shutil.copy(DATA / "cvs" / name, folder / name)
    (folder / "scan.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (folder / "notes.md").write_text("not a CV")
    url = f"sqlite:///{tmp_path / 'useit.db'}"
    monkeypatch.setenv("DATABASE_URL", url)

    dry = runner.invoke(main, ["profile", "import-cvs", str(folder), "--dry-run", "--quiet"])
    assert dry.exit_code == 2  # the picture is named, nothing stored
    assert "would make 3 draft profiles from 4 files" in dry.stdout

    result = runner.invoke(main, ["profile", "import-cvs", str(folder), "--quiet"])
    assert result.exit_code == 2
    assert "made 3 draft profiles from 4 files" in result.stdout
    assert "scan.pdf: this is a picture" in result.stderr
    assert "skipped 1 other files: notes.md" in result.stderr
    assert _count(url, ProfileDraft) == 3
    assert _count(url, Resident) == 0
