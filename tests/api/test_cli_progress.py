"""Progress bars of the long commands: on standard error, only on a terminal, never with --quiet.

Standard output must stay exactly what it was (JSON where a command prints JSON), so the bars are
checked in real processes whose standard error is a pseudo-terminal and standard output a file.
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine

from api.cli import main
from api.db import load_taxonomy, upgrade
from fixtures.generate import generate_residents, generate_vacancies
from matcher import Taxonomy
from matcher.esco import read_esco

REPO_ROOT = Path(__file__).resolve().parents[2]
ESCO_COLUMNS = {
    "occupations_en.csv": ["conceptUri", "preferredLabel", "altLabels", "status"],
    "skills_en.csv": ["conceptUri", "preferredLabel", "altLabels", "status", "skillType"],
}


@pytest.fixture
def tiny_esco(tmp_path: Path) -> Path:
    """A two-file ESCO download: 2 occupations and 3 skills (one of them deprecated)."""
    folder = tmp_path / "esco"
    folder.mkdir()
    rows = {
        "occupations_en.csv": [
            ["http://data.europa.eu/esco/occupation/o1", "nurse", "staff nurse", "released"],
            ["http://data.europa.eu/esco/occupation/o2", "porter", "", "released"],
        ],
        "skills_en.csv": [
            ["http://data.europa.eu/esco/skill/s1", "perform venepuncture", "take blood", "released", "skill"],
            ["http://data.europa.eu/esco/skill/s2", "anatomy", "", "released", "knowledge"],
            ["http://data.europa.eu/esco/skill/s3", "old skill", "", "deprecated", "skill"],
        ],
    }
    for name, columns in ESCO_COLUMNS.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows[name])
    return folder


def run_with_terminal_stderr(
    args: list[str], tmp_path: Path, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run ``useit ARGS`` with standard error on a 100x40 pseudo-terminal; (status, stdout, stderr)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))  # rows 0 would hide every bar
    stdout_path = tmp_path / "stdout.txt"
    environment = {"PATH": "/usr/bin:/bin", "USEIT_INSTANCE_DIR": str(tmp_path / "instance"), **(env or {})}
    with stdout_path.open("wb") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", *args],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=slave,
            cwd=REPO_ROOT,
            env=environment,
        )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the process has closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    status = process.wait(timeout=60)
    return status, stdout_path.read_text(encoding="utf-8"), b"".join(chunks).decode("utf-8", "replace")


# -- the engine's progress callbacks ---------------------------------------------------------------
def test_read_esco_reports_every_row_it_reads(tiny_esco: Path) -> None:
    counts: list[int] = []
    concepts = read_esco(tiny_esco, progress=counts.append)
    assert sum(counts) == 5  # deprecated rows are read (and counted) before they are left out
    assert len(concepts) == 4


def test_load_taxonomy_reports_every_concept(tmp_path: Path, taxonomy: Taxonomy) -> None:
    url = f"sqlite:///{tmp_path / 'useit.db'}"
    upgrade(url)
    engine = create_engine(url)
    counts: list[int] = []
    try:
        load_taxonomy(engine, taxonomy, progress=counts.append)
    finally:
        engine.dispose()
    assert sum(counts) == len(taxonomy)


# -- not a terminal, or --quiet: nothing on standard error -----------------------------------------
@pytest.mark.parametrize("quiet", [[], ["--quiet"]], ids=["not-a-terminal", "quiet"])
def test_no_progress_without_a_terminal(runner: CliRunner, tiny_esco: Path, tmp_path: Path, quiet: list[str]) -> None:
    out = tmp_path / "taxonomy"
    imported = runner.invoke(main, ["taxonomy", "import-esco", str(tiny_esco), "--out", str(out), *quiet])
    assert imported.exit_code == 0, imported.output
    assert imported.stderr == ""
    assert imported.stdout.startswith("wrote 2 skills, 2 occupations")
    initialised = runner.invoke(
        main, ["db", "init", *quiet], env={"DATABASE_URL": f"sqlite:///{tmp_path / 'useit.db'}"}
    )
    assert initialised.exit_code == 0, initialised.output
    assert initialised.stderr == ""
    assert initialised.stdout.startswith("database ready")


# -- a terminal: the bars go to standard error, and standard output is unchanged ------------------
def test_import_esco_progress_on_a_terminal(tiny_esco: Path, tmp_path: Path) -> None:
    out = tmp_path / "taxonomy"
    status, stdout, stderr = run_with_terminal_stderr(
        ["taxonomy", "import-esco", str(tiny_esco), "--out", str(out)], tmp_path
    )
    assert status == 0, stderr
    assert "reading ESCO: 5 rows" in stderr
    assert stdout.splitlines()[0].startswith("wrote 2 skills, 2 occupations")
    assert "reading ESCO" not in stdout


def test_import_esco_quiet_on_a_terminal(tiny_esco: Path, tmp_path: Path) -> None:
    status, stdout, stderr = run_with_terminal_stderr(
        ["taxonomy", "import-esco", str(tiny_esco), "--out", str(tmp_path / "taxonomy"), "--quiet"], tmp_path
    )
    assert status == 0, stderr
    assert stderr.strip() == ""
    assert stdout.startswith("wrote 2 skills, 2 occupations")


def test_db_init_progress_on_a_terminal(tmp_path: Path, taxonomy: Taxonomy) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'useit.db'}"}
    status, stdout, stderr = run_with_terminal_stderr(["db", "init"], tmp_path, env)
    assert status == 0, stderr
    assert "loading taxonomy: 100%" in stderr
    assert f"{len(taxonomy)}/{len(taxonomy)}" in stderr
    assert stdout.startswith("database ready")
    assert "loading taxonomy" not in stdout


def test_match_progress_on_a_terminal(tmp_path: Path) -> None:
    residents = tmp_path / "residents.jsonl"
    residents.write_text("".join(json.dumps(r) + "\n" for r in generate_residents(30, seed=1)), encoding="utf-8")
    vacancies = tmp_path / "vacancies.jsonl"
    vacancies.write_text("".join(json.dumps(v) + "\n" for v in generate_vacancies(3, seed=1)), encoding="utf-8")
    out = tmp_path / "matches.jsonl"
    args = ["match", "--residents", str(residents), "--vacancies", str(vacancies), "--out", str(out)]
    status, stdout, stderr = run_with_terminal_stderr([*args, "--today", "2026-11-25"], tmp_path)
    assert status == 0, stderr
    assert "indexing residents: 100%" in stderr
    assert "matching vacancies: 100%" in stderr
    assert stdout == ""
    assert len([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]) == 3


def test_json_output_stays_json_on_a_terminal(tmp_path: Path) -> None:
    status, stdout, stderr = run_with_terminal_stderr(
        ["normalise", "--kind", "skill", "taking bloods", "obs"], tmp_path
    )
    assert status == 0, stderr
    assert [json.loads(line)["text"] for line in stdout.splitlines()] == ["taking bloods", "obs"]
