"""fixtures.generate: a seeded, realistic synthetic population for scale tests and benchmarks."""

from __future__ import annotations

import json
import re
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


# -- realistic mixes (DOMAIN.md; fixtures/experience_settings.json) --------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _occupation_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for occupation in json.loads((FIXTURES / "taxonomy" / "occupations.json").read_text(encoding="utf-8"))[
        "occupations"
    ]:
        for name in (occupation["label"], *occupation.get("alt_labels", [])):
            names.setdefault(name.lower(), occupation["id"])
    return names


def _settings_of() -> dict[str, set[str]]:
    """Occupation id -> every setting its experience meets (following broader links)."""
    settings = json.loads((FIXTURES / "experience_settings.json").read_text(encoding="utf-8"))["settings"]
    found: dict[str, set[str]] = {}
    for setting in settings:
        for occupation in setting["met_by_occupations"]:
            found.setdefault(occupation, set()).add(setting["id"])
    for held in found.values():
        changed = True
        while changed:
            changed = False
            for setting in settings:
                if setting["id"] not in held and held & set(setting["met_by_settings"]):
                    held.add(setting["id"])
                    changed = True
    return found


def _occupation_of(title: str, names: dict[str, str]) -> str | None:
    """A job title as people write it ('Cleaner - Tesco (nights)') -> the occupation its first part names."""
    return names.get(re.split(r" - | \(", title)[0].strip().lower())


def test_every_job_title_names_an_occupation_the_taxonomy_knows(population: list[dict[str, Any]]) -> None:
    names = _occupation_names()
    unknown = {e["title"] for r in population for e in r["experience"] if _occupation_of(e["title"], names) is None}
    assert not unknown


def test_jobs_meet_the_settings_entry_posts_ask_for(population: list[dict[str, Any]]) -> None:
    # Band 2-3 adverts ask for experience of a setting: cleaning, catering or hospitality (housekeeper),
    # dealing with the public (security, ward clerk), a health or social care setting (trainee nursing
    # associate). The residents' jobs reach those settings through what the jobs involve.
    names, settings_of = _occupation_names(), _settings_of()

    def settings(record: dict[str, Any]) -> set[str]:
        return {
            s for e in record["experience"] for s in settings_of.get(_occupation_of(e["title"], names) or "", set())
        }

    entry = {"setting-cleaning", "setting-catering", "setting-hospitality", "setting-customer-facing"}
    care = "setting-health-or-social-care"
    without = [r for r in population if not r["qualifications"]]
    assert share(without, lambda r: settings(r) & entry) > 0.5
    assert share(population, lambda r: care in settings(r)) > 0.35
    assert share(population, lambda r: "setting-acute-care" in settings(r)) > 0.05  # overseas clinicians and HCAs


def test_people_describe_themselves_in_their_own_words(population: list[dict[str, Any]]) -> None:
    written = {s for r in population for s in r["skills"]}
    for phrase in ("doing obs", "hoovering and mopping", "can take bloods", "using the till", "caring for a relative"):
        assert phrase in written
    titles = {e["title"] for r in population for e in r["experience"]}
    assert any(" - " in t or "(" in t for t in titles)  # 'Cleaner - Tesco (nights)', 'Healthcare assistant (bank)'
    gcse = {q["title"] for r in population for q in r["qualifications"] if "GCSE" in q["title"]}
    assert "GCSE English" in gcse  # no grade written
    assert any("grade 3" in t or "(D)" in t or "grade 2" in t for t in gcse)  # below grade 4


def test_some_are_already_registered_and_some_right_to_work_is_unknown(population: list[dict[str, Any]]) -> None:
    # A recruiter's pipeline shows someone 'ready now' when the population holds registered staff.
    assert share(population, lambda r: "nmc-registration-nurse" in r["credentials"]) > 0.002
    assert share(population, lambda r: "gmc-registration" in r["credentials"]) > 0.0
    assert 0.01 < share(population, lambda r: r["right_to_work"] == "unknown") < 0.06
    refugees = [r for r in population if r.get("immigration_status") == "refugee"]
    assert refugees
    assert all(r["right_to_work"] != "no" for r in refugees)


def _corpus() -> dict[str, dict[str, Any]]:
    path = Path(__file__).resolve().parent / "vacancies" / "data" / "person_spec_criteria.json"
    return {c["text"]: c for c in json.loads(path.read_text(encoding="utf-8"))["criteria"]}


def test_generated_adverts_use_real_wording_qualities_conditions_and_markers() -> None:
    adverts = list(generate_vacancies(200, seed=SEED))
    corpus = _corpus()
    lines = [item for v in adverts for item in v["essential"] if isinstance(item, str)]
    # Markers printed the ways adverts print them.
    assert any(line.endswith(("(A)", "(A/I)", "(I)")) for line in lines)
    assert any(re.search(r" [AICT](/[AICT])+$", line) for line in lines)
    assert any(re.search(r" - (Application|Interview)", line) for line in lines)
    # The added lines are personal qualities and conditions as labelled in the corpus.
    added = [line for line in lines if line in corpus and corpus[line]["kind"] in ("quality", "condition")]
    assert {corpus[line]["kind"] for line in added} == {"quality", "condition"}
    for advert in adverts:
        Vacancy.from_dict(advert)
        plain = [
            re.sub(r"\s*(\([AICRT/]+\)|[AICRT](/[AICRT])+|- [A-Z][a-z]+(/[A-Z][a-z]+)*)$", "", i).lower()
            for i in advert["essential"]
            if isinstance(i, str)
        ]
        assert len(plain) == len(set(plain)), advert["essential"]  # never the same line twice
