"""fixtures.generate: a seeded, realistic synthetic population for scale tests and benchmarks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fixtures.generate import generate_residents, generate_vacancies, main
from matcher.profile import Resident, Vacancy

COUNT = 2000
SEED = 3

TEMPLATES: list[dict[str, Any]] = [
    {
        "id": "t-1",
        "title": "Healthcare Assistant",
        "band": "2",
        "essential": ["Care Certificate or willingness to complete it"],
        "desirable": [{"kind": "skill", "text": "venepuncture"}],
    },
    {"id": "t-2", "title": "Porter", "band": "2", "essential": ["Enhanced DBS check"]},
]


@pytest.fixture(scope="module")
def population() -> list[dict[str, Any]]:
    return list(generate_residents(COUNT, seed=SEED))


def share(population: list[dict[str, Any]], test: Any) -> float:
    return sum(1 for r in population if test(r)) / len(population)


def test_the_same_seed_gives_the_same_population(population: list[dict[str, Any]]) -> None:
    assert list(generate_residents(COUNT, seed=SEED)) == population
    assert list(generate_residents(COUNT, seed=SEED + 1)) != population
    # A longer run starts with the shorter one: the n-th resident does not depend on the count.
    assert list(generate_residents(100, seed=SEED)) == population[:100]


def test_ids_are_unique(population: list[dict[str, Any]]) -> None:
    ids = [r["id"] for r in population]
    assert len(set(ids)) == len(ids) == COUNT


def test_every_record_is_a_valid_resident(population: list[dict[str, Any]]) -> None:
    for record in population:
        resident = Resident.from_dict(record)
        assert resident.id == record["id"]


def test_over_40_percent_hold_no_qualification(population: list[dict[str, Any]]) -> None:
    # DOMAIN.md: over 40% of residents in the project area have no formal qualifications.
    assert share(population, lambda r: not r["qualifications"]) > 0.40


def test_some_are_overseas_qualified(population: list[dict[str, Any]]) -> None:
    overseas = share(population, lambda r: any(q.get("country") not in (None, "GB") for q in r["qualifications"]))
    assert 0.05 < overseas < 0.30
    # ... some with an English test result near the regulators' thresholds, some with PLAB 1 held.
    assert share(population, lambda r: r["language_tests"]) > 0.05
    assert share(population, lambda r: "plab-1" in r["credentials"]) > 0.0


def test_some_have_no_right_to_work(population: list[dict[str, Any]]) -> None:
    statuses = [r["right_to_work"] for r in population]
    assert {"yes", "no", "unknown"} == set(statuses)
    assert 0 < statuses.count("no") < statuses.count("yes")
    # Those without the right to work are asylum seekers, as DOMAIN.md describes.
    for record in population:
        if record["right_to_work"] == "no":
            assert record.get("immigration_status") == "asylum_seeker"


def test_vacancies_are_deterministic_and_valid() -> None:
    first = list(generate_vacancies(30, seed=SEED, templates=TEMPLATES))
    assert first == list(generate_vacancies(30, seed=SEED, templates=TEMPLATES))
    assert len({v["id"] for v in first}) == 30
    for record in first:
        Vacancy.from_dict(record)
    # Each vacancy is a copy: changing one never changes the templates.
    first[0]["essential"].append("changed")
    assert TEMPLATES[0]["essential"] == ["Care Certificate or willingness to complete it"]


def test_the_command_writes_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shipped = Path(__file__).resolve().parents[1] / "fixtures" / "vacancies.json"
    if not shipped.is_file():
        pytest.skip("fixtures/vacancies.json (the vacancy templates) is not there yet")
    assert main(["--residents", "25", "--vacancies", "5", "--seed", "3", "--out", str(tmp_path)]) == 0
    residents = (tmp_path / "residents.jsonl").read_text(encoding="utf-8").splitlines()
    vacancies = (tmp_path / "vacancies.jsonl").read_text(encoding="utf-8").splitlines()
    assert (len(residents), len(vacancies)) == (25, 5)
    for line in residents:
        Resident.from_dict(json.loads(line))
    for line in vacancies:
        Vacancy.from_dict(json.loads(line))
    assert "wrote 25 residents and 5 vacancies" in capsys.readouterr().out


def test_the_command_refuses_negative_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--residents", "-1", "--out", str(tmp_path)]) == 2
    assert "must not be negative" in capsys.readouterr().err
    assert not (tmp_path / "residents.jsonl").exists()
