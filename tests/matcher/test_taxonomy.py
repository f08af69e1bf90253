"""matcher.taxonomy: the curated default, loading with every problem reported, saving."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from matcher import KINDS, Concept, Taxonomy, TaxonomyError
from matcher.taxonomy import FILES


def write_kind(directory: Path, kind: str, records: list[Any], **top: Any) -> Path:
    filename, key = FILES[kind]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / filename
    path.write_text(json.dumps({"source": "test", "as_of": "2026-01-01", **top, key: records}), encoding="utf-8")
    return path


def test_default_has_the_health_taxonomy(taxonomy: Taxonomy) -> None:
    counts = taxonomy.counts()
    assert counts["occupation"] >= 120
    assert counts["skill"] >= 500
    assert counts["qualification"] >= 100
    assert taxonomy.name == "curated"
    assert len(taxonomy) == sum(counts.values())


def test_default_ids_are_unique_and_prefixed_by_kind(taxonomy: Taxonomy) -> None:
    prefixes = {"occupation": "occ-", "skill": "skill-", "qualification": "qual-"}
    ids = [c.id for c in taxonomy]
    assert len(ids) == len(set(ids))
    wrong = [c.id for c in taxonomy if not c.id.startswith(prefixes[c.kind]) or c.id != c.id.lower()]
    assert wrong == []


def test_default_files_carry_source_and_date(taxonomy: Taxonomy) -> None:
    for kind in KINDS:
        assert taxonomy.metadata[kind]["source"]
        assert taxonomy.metadata[kind]["as_of"]


def test_default_qualifications_say_where_they_are_awarded(taxonomy: Taxonomy) -> None:
    missing = [c.id for c in taxonomy.concepts("qualification") if not c.attributes.get("countries")]
    assert missing == []


def test_alternative_labels_never_repeat_the_preferred_label(taxonomy: Taxonomy) -> None:
    assert [c.id for c in taxonomy if c.label in c.alt_labels] == []


def test_lookup(taxonomy: Taxonomy) -> None:
    hca = taxonomy["occ-healthcare-assistant"]
    assert hca.kind == "occupation"
    assert hca.label == "Healthcare assistant"
    assert "HCA" in hca.alt_labels
    assert hca.labels[0] == hca.label
    assert "occ-healthcare-assistant" in taxonomy
    assert taxonomy.get("occ-no-such-thing") is None
    with pytest.raises(KeyError, match="occ-no-such-thing"):
        taxonomy["occ-no-such-thing"]


def test_concepts_of_an_unknown_kind_are_refused(taxonomy: Taxonomy) -> None:
    with pytest.raises(ValueError, match="unknown kind 'job'"):
        taxonomy.concepts("job")


def test_load_dir_reports_every_problem_at_once(tmp_path: Path) -> None:
    write_kind(
        tmp_path,
        "skill",
        [
            {"id": "skill-ok", "label": "venepuncture"},
            {"label": "no id here"},
            {"id": "skill-bad-prior", "label": "manual handling", "prior": 7},
        ],
    )
    write_kind(tmp_path, "occupation", [{"id": "occ-no-label", "alt_labels": "HCA"}, "not an object"])
    with pytest.raises(TaxonomyError) as caught:
        Taxonomy.load_dir(tmp_path)
    problems = "\n".join(caught.value.problems)
    assert len(caught.value.problems) == 5
    assert "skills.json[1]: missing or empty 'id'" in problems
    assert "skills.json[2] (skill-bad-prior): 'prior' must be a number from 0 to 1" in problems
    assert "occupations.json[0] (occ-no-label): missing or empty 'label'" in problems
    assert "occupations.json[0] (occ-no-label): 'alt_labels' must be a list of strings" in problems
    assert "occupations.json[1]: expected an object" in problems
    assert str(tmp_path) in str(caught.value)


def test_load_dir_reports_unreadable_and_malformed_files_together(tmp_path: Path) -> None:
    (tmp_path / "skills.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "occupations.json").write_text(json.dumps({"jobs": []}), encoding="utf-8")
    (tmp_path / "qualifications.json").write_bytes(b'{"qualifications": ["\xff"]}')
    with pytest.raises(TaxonomyError) as caught:
        Taxonomy.load_dir(tmp_path)
    problems = caught.value.problems
    assert len(problems) == 3
    assert any("skills.json: cannot read" in p for p in problems)
    assert any("occupations.json: expected a JSON object with a list under 'occupations'" in p for p in problems)
    assert any("qualifications.json: cannot read" in p for p in problems)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    write_kind(tmp_path, "skill", [{"id": "skill-a", "label": "a"}, {"id": "skill-a", "label": "b"}])
    with pytest.raises(TaxonomyError) as caught:
        Taxonomy.load_dir(tmp_path)
    assert caught.value.problems == ["skills.json[1]: duplicate concept id 'skill-a' (first in skills.json[0])"]


def test_duplicate_ids_are_reported_with_other_problems(tmp_path: Path) -> None:
    write_kind(
        tmp_path,
        "skill",
        [{"id": "skill-a", "label": "a"}, {"id": "skill-a", "label": "b"}, {"id": "skill-c", "label": ""}],
    )
    with pytest.raises(TaxonomyError) as caught:
        Taxonomy.load_dir(tmp_path)
    problems = "\n".join(caught.value.problems)
    assert "skill-c" in problems
    assert "skill-a" in problems


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing", "taxonomy directory not found or not a directory"),
        (lambda d: d, "no taxonomy files in"),
        (lambda d: _a_file(d), "taxonomy directory not found or not a directory"),
    ],
    ids=["missing", "empty", "a-file"],
)
def test_load_dir_refuses_a_directory_it_cannot_use(tmp_path: Path, make: Any, message: str) -> None:
    with pytest.raises(TaxonomyError, match=message):
        Taxonomy.load_dir(make(tmp_path))


def _a_file(directory: Path) -> Path:
    path = directory / "skills.json"
    path.write_text("{}", encoding="utf-8")
    return path


def test_load_dir_reads_only_the_kinds_present(tmp_path: Path) -> None:
    write_kind(
        tmp_path,
        "skill",
        [
            {
                "id": " skill-x ",
                "label": "  excel ",
                "alt_labels": ["Excel", "  ", "spreadsheets", "excel"],
                "prior": 0.5,
            }
        ],
    )
    loaded = Taxonomy.load_dir(tmp_path, name="tiny")
    assert loaded.name == "tiny"
    assert loaded.counts() == {"skill": 1, "occupation": 0, "qualification": 0}
    concept = loaded["skill-x"]
    # Ids and labels are trimmed; blank alternatives and copies of the preferred label are dropped.
    assert concept.label == "excel"
    assert concept.alt_labels == ("Excel", "spreadsheets")
    assert concept.prior == 0.5
    assert loaded.metadata["skill"] == {"source": "test", "as_of": "2026-01-01"}


def test_save_dir_then_load_dir_round_trips_exactly(taxonomy: Taxonomy, tmp_path: Path) -> None:
    saved = taxonomy.save_dir(tmp_path / "copy")
    assert sorted(p.name for p in saved.iterdir()) == ["occupations.json", "qualifications.json", "skills.json"]
    loaded = Taxonomy.load_dir(saved)
    assert [c.id for c in loaded] == [c.id for c in taxonomy]
    for original, copy in zip(taxonomy, loaded, strict=True):
        assert copy == original
        # Concept equality leaves out attributes (band, regulator, countries ...): compare them too.
        assert dict(copy.attributes) == dict(original.attributes), original.id
    assert loaded.metadata == taxonomy.metadata


def test_save_dir_writes_only_non_empty_kinds_and_no_temporary_files(tmp_path: Path) -> None:
    tiny = Taxonomy([Concept("skill-a", "skill", "a", ("b",), prior=0.25)], metadata={"skill": {"source": "x"}})
    tiny.save_dir(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["skills.json"]
    document = json.loads((tmp_path / "skills.json").read_text(encoding="utf-8"))
    assert document["source"] == "x"
    assert document["skills"] == [
        {"id": "skill-a", "label": "a", "alt_labels": ["b"], "esco_uri": None, "soc2020": None, "prior": 0.25}
    ]


def test_constructor_reports_every_inconsistency() -> None:
    concepts = [
        Concept("skill-a", "skill", "a"),
        Concept("skill-a", "skill", "again"),
        Concept("job-x", "job", "x"),
    ]
    with pytest.raises(TaxonomyError) as caught:
        Taxonomy(concepts)
    assert caught.value.problems == ["skill-a: duplicate concept id", "job-x: unknown kind 'job'"]


def test_by_esco_uri_keeps_the_first_concept_for_a_shared_uri(taxonomy: Taxonomy) -> None:
    uri = "http://data.europa.eu/esco/occupation/shared"
    tiny = Taxonomy(
        [
            Concept("occ-first", "occupation", "first", esco_uri=uri),
            Concept("occ-second", "occupation", "second", esco_uri=uri),
            Concept("occ-none", "occupation", "none"),
            Concept("skill-same-uri", "skill", "a skill", esco_uri=uri),
        ]
    )
    assert tiny.by_esco_uri("occupation") == {uri: tiny["occ-first"]}
    assert tiny.by_esco_uri("skill") == {uri: tiny["skill-same-uri"]}


def test_by_esco_uri_on_the_default_prefers_file_order(taxonomy: Taxonomy) -> None:
    occupations = taxonomy.concepts("occupation")
    shared = [uri for uri, n in Counter(c.esco_uri for c in occupations if c.esco_uri).items() if n > 1]
    assert shared, "the curated taxonomy maps several nursing roles to ESCO's one general nurse"
    by_uri = taxonomy.by_esco_uri("occupation")
    for uri in shared:
        assert by_uri[uri] == next(c for c in occupations if c.esco_uri == uri)
