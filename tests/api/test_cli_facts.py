"""``useit facts``: the fixtures' dated facts by age and confidence, as a table or JSON."""

from __future__ import annotations

import json

from click.testing import CliRunner

from api.cli import main


def test_the_table_lists_every_fact_least_sure_first() -> None:
    result = CliRunner().invoke(main, ["facts", "--today", "2026-12-01"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["confidence", "checked", "file"]
    assert lines[1].startswith("unconfirmed")
    assert "facts:" in lines[-1]
    assert any("plab-1" in line and "cost_gbp" in line and "third_party" in line for line in lines)


def test_filters_by_confidence_and_age_in_json() -> None:
    result = CliRunner().invoke(main, ["facts", "--format", "json", "--confidence", "derived", "--today", "2026-12-01"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["facts"]
    assert {f["confidence"] for f in body["facts"]} == {"derived"}
    assert body["problems"] == []
    old = json.loads(
        CliRunner().invoke(main, ["facts", "--format", "json", "--older-than", "12", "--today", "2026-12-01"]).stdout
    )
    # Only what was last checked a year or more ago: the NMC's test-combining page, seen 3 Sep 2025.
    assert old["facts"]
    assert all(f["as_of"] <= "2025-12-01" for f in old["facts"])
    later = json.loads(
        CliRunner().invoke(main, ["facts", "--format", "json", "--older-than", "12", "--today", "2027-12-02"]).stdout
    )
    assert len(later["facts"]) > len(old["facts"])


def test_bad_options_exit_2_without_a_traceback() -> None:
    for args in (["facts", "--confidence", "likely"], ["facts", "--older-than", "-1"], ["facts", "--today", "soon"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
