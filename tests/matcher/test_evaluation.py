"""matcher.evaluation: accuracy at k, the two baselines, and the evaluation-set readers."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from matcher import Concept, Taxonomy, TaxonomyError
from matcher.evaluation import (
    EvalSet,
    Ranker,
    accuracy_at,
    rapidfuzz_baseline,
    read_decorte,
    read_education,
    read_jobbert,
    tfidf_baseline,
)


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
