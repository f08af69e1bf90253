"""vacancies.intake.report: what an import found, in every format."""

from __future__ import annotations

import json

from tests.vacancies.intake_support import (
    ARABIC,
    POLISH,
)
from vacancies.intake import (
    ImportReport,
    Problem,
    parse_advert,
    parse_csv,
    parse_json,
)


# -- Unicode ------------------------------------------------------------------------------------
def test_unicode_is_preserved_in_every_format() -> None:
    title = "Asystent/ka opieki — مساعد رعاية"
    csv_text = f'Reference,Job title,Employer,Essential\nR-1,{title},SWBH,"{POLISH}\n{ARABIC}"\n'
    json_text = json.dumps([{"reference": "R-1", "title": title, "employer": "SWBH", "essential": [POLISH, ARABIC]}])
    advert_text = f"Job title: {title}\nReference: R-1\nEmployer: SWBH\nEssential\n- {POLISH}\n- {ARABIC}\n"
    for report in (parse_csv(csv_text), parse_json(json_text), parse_advert(advert_text)):
        assert report.ok, report.problems
        [vacancy] = report.records
        assert (vacancy.title, vacancy.essential) == (title, [POLISH, ARABIC])
        assert json.loads(json.dumps(report.to_dict(), ensure_ascii=False))["vacancies"][0]["essential"] == [
            POLISH,
            ARABIC,
        ]


# -- reports ------------------------------------------------------------------------------------
def test_report_to_dict_is_json_and_ok_needs_records_and_no_problems() -> None:
    good = parse_csv("Reference,Job title,Employer\nR-1,Porter,SWBH\n")
    assert good.to_dict() == {
        "ok": True,
        "count": 1,
        "vacancies": [good.records[0].to_contract()],
        "problems": [],
    }
    bad = parse_csv("Reference,Job title,Employer,Band\nR-1,Porter,SWBH,Band 0\n")
    assert json.loads(json.dumps(bad.to_dict())) == {
        "ok": False,
        "count": 0,
        "vacancies": [],
        "problems": [{"line": 2, "field": "Band", "message": bad.problems[0].message}],
    }
    assert not ImportReport().ok


def test_problem_reads_as_one_line() -> None:
    assert str(Problem(4, "Band", "not a band")) == "line 4, Band: not a band"
    assert str(Problem(None, "title", "required")) == "title: required"
    assert str(Problem(None, None, "the file is empty")) == "the file is empty"
