"""matcher.evaluation: accuracy at k, the baselines, the evaluation sets (read and built), speed."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from matcher import Concept, Normaliser, Taxonomy, TaxonomyError
from matcher.evaluation import (
    RAPIDFUZZ,
    SHARED_DATA_ENV,
    TFIDF,
    USEIT,
    EvalSet,
    Ranker,
    accuracy_at,
    compare,
    compare_speed,
    compare_steps,
    golden_set,
    hold_out_alt_labels,
    rank_useit,
    rapidfuzz_baseline,
    read_decorte,
    read_education,
    read_jobbert,
    sample_set,
    shared_data_dir,
    tfidf_baseline,
    time_phrases,
    typo_phrases,
)
from matcher.text import normalise_text


@pytest.fixture
def tiny() -> Taxonomy:
    return Taxonomy(
        [
            Concept("skill-venepuncture", "skill", "venepuncture", ("taking bloods", "phlebotomy")),
            Concept("skill-obs", "skill", "patient observations", ("doing obs", "vital signs")),
            Concept("skill-handling", "skill", "manual handling", ("moving and handling",)),
            Concept("skill-postgres", "skill", "PostgreSQL", ("postgres",)),
            Concept("occ-hca", "occupation", "Healthcare assistant", ("HCA",), esco_uri="http://esco/occ/hca"),
            Concept("occ-porter", "occupation", "Porter", (), esco_uri="http://esco/occ/porter"),
        ]
    )


@pytest.mark.parametrize(
    ("ranked", "gold", "ks", "expected"),
    [
        ([["a", "b"], ["c", "a"], ["x", "y"]], ["a", "a", "z"], (1, 2), {1: 1 / 3, 2: 2 / 3}),
        ([["a"], ["b"]], ["a", "b"], (1, 5), {1: 1.0, 5: 1.0}),
        ([[], ["b", "a"]], ["a", "a"], (1, 2), {1: 0.0, 2: 0.5}),
        ([["a", "b", "c"]], ["c"], (1, 2, 3), {1: 0.0, 2: 0.0, 3: 1.0}),
    ],
)
def test_accuracy_at(ranked: list[list[str]], gold: list[str], ks: tuple[int, ...], expected: dict[int, float]) -> None:
    assert accuracy_at(ranked, gold, ks) == pytest.approx(expected)


def test_accuracy_at_with_no_queries_is_nan() -> None:
    result = accuracy_at([], [], (1, 5))
    assert set(result) == {1, 5}
    assert all(math.isnan(v) for v in result.values())


def test_accuracy_at_refuses_lists_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="zip"):
        accuracy_at([["a"]], ["a", "b"])


@pytest.mark.parametrize("make_baseline", [tfidf_baseline, rapidfuzz_baseline], ids=["tfidf", "rapidfuzz"])
def test_baselines_return_k_distinct_concepts_best_first(
    taxonomy: Taxonomy, make_baseline: Callable[..., Ranker]
) -> None:
    rank = make_baseline(taxonomy, "skill", k=5)
    ranked = rank(["venepuncture", "doing obs", "lifting patients safely"])
    assert len(ranked) == 3
    for ids in ranked:
        assert len(ids) == 5
        assert len(set(ids)) == 5
        assert all(i in taxonomy and taxonomy[i].kind == "skill" for i in ids)
    assert ranked[0][0] == "skill-venepuncture"
    assert ranked[1][0] == "skill-patient-observations"


def test_tfidf_baseline_on_a_tiny_taxonomy(tiny: Taxonomy) -> None:
    rank = tfidf_baseline(tiny, "skill", k=2)
    ranked = rank(["taking bloods", "postgres database", "xqzv"])
    assert [r[:1] for r in ranked] == [["skill-venepuncture"], ["skill-postgres"], []]
    assert all(len(r) == len(set(r)) <= 2 for r in ranked)
    # Only skills are ranked, never the occupations of the same taxonomy.
    assert all(i.startswith("skill-") for r in ranked for i in r)


def test_rapidfuzz_baseline_on_a_tiny_taxonomy(tiny: Taxonomy) -> None:
    rank = rapidfuzz_baseline(tiny, "skill", k=2)
    assert [r[0] for r in rank(["taking bloods", "postgres database"])] == ["skill-venepuncture", "skill-postgres"]


def _write_rows(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_read_decorte_skips_unscoreable_rows(tiny: Taxonomy, tmp_path: Path) -> None:
    path = _write_rows(
        tmp_path / "tech_test_annotations.csv",
        ["sentence", "span", "sub_span", "label"],
        [
            {"sentence": "django postgresql redis", "span": "django", "sub_span": "", "label": "LABEL NOT PRESENT"},
            {"sentence": "django postgresql redis", "span": "postgresql", "sub_span": "", "label": "PostgreSQL"},
            {
                "sentence": "must take bloods",
                "span": "must take bloods",
                "sub_span": "take bloods",
                "label": "venepuncture",
            },
            {"sentence": "good with people", "span": "people", "sub_span": "", "label": "UNDERSPECIFIED"},
            {"sentence": "blank", "span": "blank", "sub_span": "", "label": ""},
            {"sentence": "lift patients", "span": "lift patients", "sub_span": "", "label": "MANUAL HANDLING"},
            {"sentence": "rust", "span": "rust", "sub_span": "", "label": "Rust (programming)"},
        ],
    )
    evaluation = read_decorte(path, tiny)
    assert evaluation.name == "tech_test_annotations"
    assert evaluation.kind == "skill"
    # The narrower sub-span is the query when there is one; labels resolve without regard to case.
    assert evaluation.queries == ("postgresql", "take bloods", "lift patients")
    assert evaluation.gold == ("skill-postgres", "skill-venepuncture", "skill-handling")
    assert evaluation.unresolved == 1


def test_read_jobbert_resolves_titles_by_esco_uri(tiny: Taxonomy, tmp_path: Path) -> None:
    path = _write_rows(
        tmp_path / "titles.csv",
        ["vacancyTitle", "conceptUri"],
        [
            {"vacancyTitle": "HCA - nights", "conceptUri": "http://esco/occ/hca"},
            {"vacancyTitle": "", "conceptUri": "http://esco/occ/porter"},
            {"vacancyTitle": "Astronaut", "conceptUri": "http://esco/occ/astronaut"},
            {"vacancyTitle": "Hospital porter", "conceptUri": "http://esco/occ/porter"},
        ],
    )
    evaluation = read_jobbert(path, tiny)
    assert evaluation.queries == ("HCA - nights", "Hospital porter")
    assert evaluation.gold == ("occ-hca", "occ-porter")
    assert evaluation.unresolved == 2


def test_read_education_keeps_entries_with_a_level(tmp_path: Path) -> None:
    path = tmp_path / "education.json"
    path.write_text(
        json.dumps(
            [
                {
                    "edu": [{"degree": "BSc", "major": "Nursing"}, {"degree": "", "major": "x"}, {"degree": "MSc"}],
                    "edu_norm": [{"level": 6}, {"level": 7}, {"level": None}],
                }
            ]
        ),
        encoding="utf-8",
    )
    [item] = read_education(path)
    assert (item.degree, item.major, item.level) == ("BSc", "Nursing", 6)


@pytest.mark.parametrize("reader", [read_decorte, read_jobbert])
def test_missing_evaluation_file_is_a_taxonomy_error(
    tiny: Taxonomy, tmp_path: Path, reader: Callable[..., EvalSet]
) -> None:
    with pytest.raises(TaxonomyError, match="evaluation file not found"):
        reader(tmp_path / "missing.csv", tiny)


# -- evaluation sets from the shipped taxonomy, the comparison and the speed measurement ---------
def test_shared_data_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(SHARED_DATA_ENV, raising=False)
    assert shared_data_dir() == Path(__file__).resolve().parents[3] / "shared" / "data"
    monkeypatch.setenv(SHARED_DATA_ENV, str(tmp_path))
    assert shared_data_dir() == tmp_path


@pytest.mark.parametrize("kind", ["skill", "occupation", "qualification"])
def test_golden_set_is_every_alternative_label(taxonomy: Taxonomy, kind: str) -> None:
    evaluation = golden_set(taxonomy, kind)
    expected = [(label, c.id) for c in taxonomy.concepts(kind) for label in c.alt_labels]
    assert list(zip(evaluation.queries, evaluation.gold, strict=True)) == expected
    assert evaluation.kind == kind
    if kind == "qualification":
        assert len(evaluation.countries) == len(evaluation.queries)
        assert None in evaluation.countries  # awards given anywhere ("*") carry no country
        assert "PK" in evaluation.countries
    else:
        assert evaluation.countries == ()


def test_hold_out_alt_labels(taxonomy: Taxonomy) -> None:
    reduced, sets = hold_out_alt_labels(taxonomy, seed=3)
    assert set(sets) == {"skill", "occupation", "qualification"}
    assert len(reduced) == len(taxonomy)
    held = 0
    for evaluation in sets.values():
        assert len(set(evaluation.gold)) == len(evaluation.gold)  # one label per concept at most
        for text, concept_id in zip(evaluation.queries, evaluation.gold, strict=True):
            assert text in taxonomy[concept_id].alt_labels
            # Gone from the index, and no label the concept keeps reads the same once normalised.
            assert normalise_text(text) not in {normalise_text(label) for label in reduced[concept_id].labels}
            held += 1
    assert sum(len(c.labels) for c in reduced) == sum(len(c.labels) for c in taxonomy) - held
    assert len(sets["qualification"].countries) == len(sets["qualification"].queries)
    assert hold_out_alt_labels(taxonomy, seed=3)[1] == sets
    assert hold_out_alt_labels(taxonomy, seed=4)[1] != sets


def test_sample_set_keeps_order_and_countries(taxonomy: Taxonomy) -> None:
    evaluation = golden_set(taxonomy, "qualification")
    sample = sample_set(evaluation, 50, seed=1)
    assert len(sample.queries) == len(sample.gold) == len(sample.countries) == 50
    rows = list(zip(evaluation.queries, evaluation.gold, evaluation.countries, strict=True))
    remaining = iter(rows)
    # In the set's own order: each sampled row is found after the one before it.
    assert all(row in remaining for row in zip(sample.queries, sample.gold, sample.countries, strict=True))
    assert sample.name == f"{evaluation.name} (sample 50)"
    assert sample_set(evaluation, 10**6) is evaluation


def test_compare_reports_every_method_and_its_progress(tiny: Taxonomy) -> None:
    evaluation = EvalSet("tiny", "skill", ("taking bloods", "doing obs", "xqzv kwpl"), ("skill-venepuncture",) * 3)
    reported: list[int] = []
    result = compare(evaluation, tiny, Normaliser(tiny), progress=reported.append)
    assert sum(reported) == compare_steps(evaluation) == 12
    assert (result.name, result.kind, result.queries) == ("tiny", "skill", 3)
    assert result.useit[1] == pytest.approx(1 / 3)
    assert result.answered[1] <= result.useit[1]
    assert result.rapidfuzz is not None
    assert list(result.scores(1)) == [USEIT, RAPIDFUZZ, TFIDF]
    quick = compare(evaluation, tiny, Normaliser(tiny), rapidfuzz=False)
    assert quick.rapidfuzz is None
    assert list(quick.scores(5)) == [USEIT, TFIDF]
    assert compare_steps(evaluation, rapidfuzz=False) == 9


def test_useit_beats_both_baselines_on_phrasings_it_has_not_seen(taxonomy: Taxonomy) -> None:
    reduced, sets = hold_out_alt_labels(taxonomy)
    normaliser = Normaliser(reduced)
    for kind, evaluation in sets.items():
        result = compare(evaluation, reduced, normaliser)
        scores = result.scores(1)
        assert scores[USEIT] > max(scores[RAPIDFUZZ], scores[TFIDF]), (kind, scores)


def test_rank_useit_recognises_qualifications_in_their_country(normaliser: Normaliser, taxonomy: Taxonomy) -> None:
    evaluation = golden_set(taxonomy, "qualification")
    assert accuracy_at(rank_useit(normaliser, evaluation), evaluation.gold)[5] >= 0.95


def test_typo_phrases() -> None:
    base = ["venepuncture", "obs", "manual handling"]
    phrases = typo_phrases(base, 9, seed=2)
    assert len(phrases) == 9
    assert phrases[:3] == base
    assert phrases[4] == "obs"  # too short for a typo
    for phrase, original in zip(phrases[3:], base * 2, strict=True):
        assert sorted(phrase) == sorted(original)
    assert phrases[3] != "venepuncture"
    assert typo_phrases(base, 9, seed=2) == phrases
    with pytest.raises(ValueError, match="at least one"):
        typo_phrases([], 3)


def test_time_phrases_keeps_order_and_reports_progress() -> None:
    reported: list[int] = []
    throughput, results = time_phrases(
        "upper", lambda part: [t.upper() for t in part], ["a", "b", "c"], chunk=2, progress=reported.append
    )
    assert results == ["A", "B", "C"]
    assert reported == [2, 1]
    assert (throughput.method, throughput.phrases) == ("upper", 3)
    assert throughput.per_second > 0


def test_compare_speed_on_the_curated_skills(normaliser: Normaliser, taxonomy: Taxonomy) -> None:
    texts = typo_phrases(golden_set(taxonomy, "skill").queries, 600)
    ours: list[int] = []
    theirs: list[int] = []
    speed = compare_speed(
        normaliser, taxonomy, texts, baseline_sample=60, useit_progress=ours.append, baseline_progress=theirs.append
    )
    assert (speed.useit.phrases, speed.rapidfuzz.phrases) == (600, 60)
    assert (sum(ours), sum(theirs)) == (600, 60)
    assert speed.useit.method == USEIT
    assert speed.rapidfuzz.method == RAPIDFUZZ
    assert 0.9 < speed.matched <= 1.0
    assert speed.ratio == pytest.approx(speed.useit.per_second / speed.rapidfuzz.per_second)
