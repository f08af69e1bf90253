"""``useit assess`` and ``useit match``: Assessment JSON out, every input problem named, exit 2, no traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from api.cli import main

TODAY = "2026-11-25"
CONTRACT_KEYS = {"eligible_now", "fit", "blocked_by", "requirements", "pathway", "bridge_roles", "explanation"}

NURSE: dict[str, Any] = {
    "id": "r-nurse",
    "skills": ["can take bloods", "patient observations"],
    "qualifications": [{"title": "BSc Nursing", "country": "PH", "year": 2015}],
    "experience": [{"title": "Staff Nurse", "years": 6, "country": "PH"}],
    "language_tests": [
        {
            "test": "IELTS Academic",
            "overall": 7.0,
            "listening": 7.5,
            "reading": 7.0,
            "writing": 6.5,
            "speaking": 7.0,
            "date": "2026-03-01",
        }
    ],
    "right_to_work": "yes",
}
STAFF_NURSE: dict[str, Any] = {
    "id": "v-nurse",
    "title": "Staff Nurse",
    "band": "5",
    "essential": ["Current NMC registration", {"kind": "check", "id": "dbs-enhanced"}],
    "desirable": [{"kind": "skill", "text": "venepuncture"}],
}
HCA: dict[str, Any] = {
    "id": "v-hca",
    "title": "Healthcare Assistant",
    "band": "2",
    "essential": ["Ability to communicate effectively in English", "Care Certificate or willingness to complete it"],
    "desirable": [{"kind": "skill", "text": "patient observations"}],
}
RESIDENTS: list[dict[str, Any]] = [
    NURSE,
    {
        "id": "r-porter",
        "skills": ["lifting and carrying"],
        "experience": [{"title": "Porter", "years": 2, "country": "GB"}],
        "right_to_work": "yes",
    },
    {"id": "r-asylum", **{k: v for k, v in NURSE.items() if k != "id"}, "right_to_work": "no"},
    {"id": "r-new", "skills": ["cleaning"], "right_to_work": "unknown"},
]


def write_json(path: Path, data: object) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def write_jsonl(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def assert_user_error(result: Result, *messages: str) -> None:
    """Exit status 2, every message on standard error, nothing on standard output, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    for message in messages:
        assert message in result.stderr, (message, result.stderr)


# -- assess --------------------------------------------------------------------------------------
def test_assess_prints_the_assessment(runner: CliRunner, tmp_path: Path) -> None:
    resident = write_json(tmp_path / "resident.json", NURSE)
    vacancy = write_json(tmp_path / "vacancy.json", STAFF_NURSE)
    result = runner.invoke(main, ["assess", "--resident", resident, "--vacancy", vacancy, "--today", TODAY])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert set(record) == CONTRACT_KEYS | {"eligible_subject_to", "reachable", "weeks_to_ready", "gaps"}
    assert record["eligible_now"] is False
    assert record["blocked_by"] == []
    assert [r["concept_id"] for r in record["requirements"]] == [
        "nmc-registration-nurse",
        "dbs-enhanced",
        "skill-venepuncture",
    ]
    steps = [s["credential"] for s in record["pathway"]["steps"]]
    assert steps[-1] == "nmc-registration-nurse"
    assert "english-nmc" not in steps
    assert "Staff Nurse" in record["explanation"]


def test_assess_depends_on_today(runner: CliRunner, tmp_path: Path) -> None:
    # The IELTS result from 2026-03-01 has expired by 2028-06-01: English comes back into the route.
    resident = write_json(tmp_path / "resident.json", NURSE)
    vacancy = write_json(tmp_path / "vacancy.json", STAFF_NURSE)
    result = runner.invoke(main, ["assess", "--resident", resident, "--vacancy", vacancy, "--today", "2028-06-01"])
    assert result.exit_code == 0, result.output
    assert "english-nmc" in [s["credential"] for s in json.loads(result.stdout)["pathway"]["steps"]]


def test_assess_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    vacancy = write_json(tmp_path / "vacancy.json", STAFF_NURSE)
    missing = str(tmp_path / "nobody.json")
    result = runner.invoke(main, ["assess", "--resident", missing, "--vacancy", vacancy, "--today", TODAY])
    assert_user_error(result, "resident file not found", "nobody.json")


def test_assess_invalid_json_names_line_and_column(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "resident.json"
    bad.write_text('{"id": "r-1",\n  "skills": [1,\n}', encoding="utf-8")
    vacancy = write_json(tmp_path / "vacancy.json", STAFF_NURSE)
    result = runner.invoke(main, ["assess", "--resident", str(bad), "--vacancy", vacancy, "--today", TODAY])
    assert_user_error(result, "is not valid JSON", "line 3, column 1")


def test_assess_lists_every_problem_of_both_inputs(runner: CliRunner, tmp_path: Path) -> None:
    resident = write_json(
        tmp_path / "resident.json",
        {
            "skills": "Excel",
            "right_to_work": "maybe",
            "language_tests": [{"test": "IELTS Academic", "overall": 7.3, "listening": 7, "reading": 7, "writing": 7}],
        },
    )
    vacancy = write_json(tmp_path / "vacancy.json", {"title": "", "essential": [{"text": "no kind"}]})
    result = runner.invoke(main, ["assess", "--resident", resident, "--vacancy", vacancy, "--today", TODAY])
    assert_user_error(
        result,
        "invalid resident or vacancy",
        "resident: skills: must be a list",
        "resident: right_to_work:",
        "resident: language_tests[0].overall:",
        "resident: language_tests[0].speaking: required",
        "vacancy: title: required",
        "vacancy: essential[0]: a structured criterion needs a 'kind'",
    )


def test_assess_reports_bad_criteria(runner: CliRunner, tmp_path: Path) -> None:
    resident = write_json(tmp_path / "resident.json", NURSE)
    vacancy = write_json(
        tmp_path / "vacancy.json",
        {"title": "Porter", "essential": [{"kind": "badge"}], "desirable": [{"kind": "credential"}]},
    )
    result = runner.invoke(main, ["assess", "--resident", resident, "--vacancy", vacancy, "--today", TODAY])
    assert_user_error(result, "essential[0]: unknown criterion kind 'badge'", "desirable[0]: a credential criterion")


def test_assess_reports_an_unknown_credential_id(runner: CliRunner, tmp_path: Path) -> None:
    resident = write_json(tmp_path / "resident.json", NURSE)
    vacancy = write_json(
        tmp_path / "vacancy.json",
        {"title": "Staff Nurse", "essential": [{"kind": "credential", "id": "nmc-registraton-nurse"}]},
    )
    result = runner.invoke(main, ["assess", "--resident", resident, "--vacancy", vacancy, "--today", TODAY])
    assert_user_error(result, "nmc-registraton-nurse")


def test_assess_bad_today(runner: CliRunner, tmp_path: Path) -> None:
    resident = write_json(tmp_path / "resident.json", NURSE)
    vacancy = write_json(tmp_path / "vacancy.json", STAFF_NURSE)
    result = runner.invoke(main, ["assess", "--resident", resident, "--vacancy", vacancy, "--today", "25/11/2026"])
    assert_user_error(result, "--today must be a date as YYYY-MM-DD")


# -- match ---------------------------------------------------------------------------------------
def test_match_writes_one_line_per_vacancy(runner: CliRunner, tmp_path: Path) -> None:
    residents = write_jsonl(tmp_path / "residents.jsonl", [json.dumps(r) for r in RESIDENTS])
    vacancies = write_jsonl(tmp_path / "vacancies.jsonl", [json.dumps(HCA), "", json.dumps(STAFF_NURSE)])
    out = tmp_path / "matches.jsonl"
    result = runner.invoke(
        main,
        ["match", "--residents", residents, "--vacancies", vacancies, "--out", str(out), "--today", TODAY, "--quiet"],
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(line["vacancy"], line["title"]) for line in lines] == [
        ("v-hca", "Healthcare Assistant"),
        ("v-nurse", "Staff Nurse"),
    ]
    hca, nurse = lines
    assert {m["resident"] for m in hca["matches"]} == {r["id"] for r in RESIDENTS}
    eligible = [m["resident"] for m in hca["matches"] if m["eligible_now"]]
    assert set(eligible) == {"r-nurse", "r-porter"}
    # Eligible residents come first; the one without the right to work is blocked and last.
    assert [m["eligible_now"] for m in hca["matches"]][: len(eligible)] == [True] * len(eligible)
    assert hca["matches"][-1]["resident"] == "r-asylum"
    assert hca["matches"][-1]["blocked_by"] == ["right-to-work"]
    for match in nurse["matches"]:
        assert set(match) >= {"resident", "eligible_now", "fit", "blocked_by", "pathway_weeks", "pathway_steps"}
        assert match["eligible_now"] is False
    [first] = [m for m in nurse["matches"] if m["resident"] == "r-nurse"]
    assert first["pathway_steps"][-1] == "nmc-registration-nurse"
    assert first["pathway_weeks"] > 0
    assert first["route"] == "pathway"
    assert not (tmp_path / "matches.jsonl.tmp").exists()
    # Three answers, told apart: ready now (0 weeks), N weeks away, and no route (null, never 0).
    by_id = {m["resident"]: m for m in hca["matches"]}
    assert by_id["r-porter"]["route"] == "eligible_now"
    assert by_id["r-porter"]["weeks_to_ready"] == 0
    assert by_id["r-asylum"]["route"] == "no_route"
    assert by_id["r-asylum"]["weeks_to_ready"] is None
    assert by_id["r-asylum"]["pathway_weeks"] is None


def test_match_top_limits_the_residents_per_vacancy(runner: CliRunner, tmp_path: Path) -> None:
    residents = write_jsonl(tmp_path / "residents.jsonl", [json.dumps(r) for r in RESIDENTS])
    vacancies = write_jsonl(tmp_path / "vacancies.jsonl", [json.dumps(HCA)])
    out = tmp_path / "matches.jsonl"
    args = ["match", "--residents", residents, "--vacancies", vacancies, "--out", str(out), "--limit", "2"]
    result = runner.invoke(main, [*args, "--today", TODAY, "--quiet"])
    assert result.exit_code == 0, result.output
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [m["eligible_now"] for m in line["matches"]] == [True, True]


def test_match_reports_every_bad_line_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    residents = write_jsonl(
        tmp_path / "residents.jsonl",
        [json.dumps(NURSE), '{"id": "r-2", "skills": [', json.dumps(RESIDENTS[1]), '{"right_to_work": "maybe"}'],
    )
    vacancies = write_jsonl(tmp_path / "vacancies.jsonl", [json.dumps(HCA)])
    out = tmp_path / "matches.jsonl"
    result = runner.invoke(
        main,
        ["match", "--residents", residents, "--vacancies", vacancies, "--out", str(out), "--today", TODAY, "--quiet"],
    )
    assert_user_error(result, "nothing was matched", "line 2: not valid JSON", "line 4: right_to_work:")
    assert not out.exists()
    assert not (tmp_path / "matches.jsonl.tmp").exists()


def test_match_missing_and_empty_files(runner: CliRunner, tmp_path: Path) -> None:
    vacancies = write_jsonl(tmp_path / "vacancies.jsonl", [json.dumps(HCA)])
    out = str(tmp_path / "matches.jsonl")
    missing = runner.invoke(
        main, ["match", "--residents", str(tmp_path / "none.jsonl"), "--vacancies", vacancies, "--out", out, "--quiet"]
    )
    assert_user_error(missing, "residents file not found")
    empty = write_jsonl(tmp_path / "empty.jsonl", [""])
    result = runner.invoke(main, ["match", "--residents", empty, "--vacancies", vacancies, "--out", out, "--quiet"])
    assert_user_error(result, "holds no records")
    assert not Path(out).exists()
