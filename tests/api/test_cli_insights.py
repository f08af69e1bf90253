"""``useit insights training|supply-demand``: tables, JSON and CSV from the service database."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from api.cli import main
from api.cli_insights import _bar

from .support import REPO_ROOT

TODAY = "2026-11-25"  # fixtures/expected_outcomes.json's date: every shipped vacancy is open
RESIDENTS = json.loads((REPO_ROOT / "fixtures" / "residents.json").read_text(encoding="utf-8"))["residents"]


@pytest.fixture
def shipped(shipped_database: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose ``useit`` reads the database holding the shipped personas and vacancies."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("USEIT_INSTANCE_DIR", str(shipped_database))
    return CliRunner()


def _run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(main, ["insights", *args])
    assert "Traceback" not in result.output
    return result


def test_training_table(shipped: CliRunner) -> None:
    result = _run(shipped, "training", "--today", TODAY, "--quiet")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Training that would make the most residents eligible for open vacancies"
    assert "41 residents, 34 open vacancies on 2026-11-25" in lines[1]
    ranked = {line.split()[0]: line for line in lines[2:] if line.split() and line.split()[0].isdigit()}
    first = ranked["1"]
    assert "Care Certificate" in first  # seven trained abroad are one certificate from a senior HCA post
    gmc = next(line for line in ranked.values() if "GMC full registration" in line)
    # residents, vacancies (the clinical fellow and specialty doctor posts), bands, salary, weeks,
    # typical cost (fees as of Dec 2026; refugees sit PLAB 1 free)
    assert gmc.split()[-6:] == ["6", "2", "-", "-", "60", "1,769"]
    nurse = next(line for line in lines if "NMC registration as a nurse, adult field" in line)
    assert "32,074-39,043" in nurse  # band 5 in 2026/27, from fixtures/pay_bands.json
    assert nurse.split()[-5] == "1"  # the acute staff nurse post


def test_training_json_is_the_api_shape(shipped: CliRunner) -> None:
    result = _run(shipped, "training", "--today", TODAY, "--format", "json", "--top", "3", "--with-vacancies")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["residents"], body["open_vacancies"]) == (41, 34)
    credentials = [c["credential"] for c in body["credentials"]]
    assert len(credentials) == 3
    assert credentials[0] == "care-certificate"
    assert body["credentials"][0]["bands"] == ["3"]  # the senior healthcare assistant post
    # GMC registration ties with others on residents unlocked (6): look for it among more.
    result = _run(shipped, "training", "--today", TODAY, "--format", "json", "--top", "10", "--with-vacancies")
    gmc = next(c for c in json.loads(result.stdout)["credentials"] if c["credential"] == "gmc-registration")
    assert {v["title"] for v in gmc["vacancies"]} == {
        "Clinical Fellow (Resident Doctor) - Acute Medicine",
        "Specialty Doctor - General Internal Medicine",
    }
    assert body["pay"]["year"] == "2026/27"


def test_training_csv(shipped: CliRunner) -> None:
    result = _run(shipped, "training", "--today", TODAY, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["credential"] == "care-certificate"
    gmc = next(r for r in rows if r["credential"] == "gmc-registration")
    assert gmc["residents_unlocked"] == "6"
    assert gmc["salary_min_gbp"] == ""  # doctors are not on Agenda for Change
    nurse = next(r for r in rows if r["credential"] == "nmc-registration-nurse-adult")
    assert (nurse["bands"], nurse["salary_min_gbp"], nurse["salary_max_gbp"]) == ("5", "32074", "39043")


def test_supply_demand_table(shipped: CliRunner) -> None:
    result = _run(shipped, "supply-demand", "--today", TODAY, "--quiet")
    assert result.exit_code == 0, result.output
    text = result.stdout
    for heading in ("By occupation", "Residents by postcode district", "Open vacancies by town"):
        assert heading in text
    nurse = next(line for line in text.splitlines() if line.startswith("Staff nurse"))
    assert nurse.split()[2:6] == ["1", "10", "10", "2"]  # vacancies, supply, related, eligible now
    b66 = next(line for line in text.splitlines() if line.startswith("B66 "))
    assert b66.split()[1] == "14"
    assert "Smethwick" in text
    for record in RESIDENTS:
        assert record["id"] not in text
        assert record["postcode"] not in text


def test_supply_demand_json_and_csv(shipped: CliRunner) -> None:
    body = json.loads(_run(shipped, "supply-demand", "--today", TODAY, "--format", "json", "--top", "3").stdout)
    assert len(body["occupations"]) == 3
    assert {d["district"] for d in body["areas"]["districts"]} == {"B66", "B18", "B67"}
    occupations = list(
        csv.DictReader(io.StringIO(_run(shipped, "supply-demand", "--today", TODAY, "--format", "csv").stdout))
    )
    assert set(occupations[0]) >= {"occupation_id", "demand", "supply", "supply_related", "eligible_now"}
    districts = _run(shipped, "supply-demand", "--today", TODAY, "--format", "csv", "--by", "district").stdout
    assert districts.splitlines()[0] == "district,residents,right_to_work,eligible_now"
    assert "B66,14," in districts
    towns = _run(shipped, "supply-demand", "--today", TODAY, "--format", "csv", "--by", "town").stdout
    assert "Smethwick,Midland Metropolitan University Hospital,16" in towns


def test_supply_demand_shows_only_the_tables_asked_for(shipped: CliRunner) -> None:
    text = _run(shipped, "supply-demand", "--today", TODAY, "--by", "town").stdout
    assert "Open vacancies by town" in text
    assert "By occupation" not in text


def test_no_vacancies_open_on_the_day(shipped: CliRunner) -> None:
    result = _run(shipped, "training", "--today", "2099-01-01")
    assert result.exit_code == 0
    assert "no vacancies open on 2099-01-01" in result.stdout


def test_no_database_yet(runner: CliRunner) -> None:
    result = runner.invoke(main, ["insights", "training"])
    assert result.exit_code == 0, result.output
    assert "nothing to report yet: no residents or vacancies" in result.stdout
    assert "useit db init" in result.stdout


@pytest.mark.parametrize("command", ["training", "supply-demand"])
def test_an_empty_database(runner: CliRunner, command: str) -> None:
    assert runner.invoke(main, ["db", "init"]).exit_code == 0
    result = runner.invoke(main, ["insights", command])
    assert result.exit_code == 0, result.output
    assert "nothing to report yet: no residents and no open vacancies" in result.stdout
    as_json = runner.invoke(main, ["insights", command, "--format", "json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["residents"] == 0  # still valid JSON for programs
    assert "nothing to report yet" in as_json.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["training", "--format", "xml"], "Invalid value for '--format'"),
        (["training", "--top", "0"], "Invalid value for '--limit' / '--top'"),
        (["training", "--top", "many"], "Invalid value for '--limit' / '--top'"),
        (["supply-demand", "--by", "county"], "Invalid value for '--by'"),
        (["training", "--today", "25/11/2026"], "--today must be a date as YYYY-MM-DD"),
        (["training", "--colour"], "No such option"),
        (["forecast"], "No such command"),
    ],
)
def test_bad_options_exit_2_with_a_message(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, ["insights", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("quiet", "drawn"), [(False, True), (True, False)])
def test_progress_bar_on_a_terminal_unless_quiet(monkeypatch: pytest.MonkeyPatch, quiet: bool, drawn: bool) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with _bar(3, "indexing residents", "resident", quiet) as bar:
        bar.update(3)
    assert ("indexing residents" in terminal.getvalue()) is drawn
