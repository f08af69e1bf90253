"""The fitted normaliser index saved to disk: loaded when it fits the taxonomy, fitted again when not."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from matcher import Concept, Normaliser, NormaliserSettings, Taxonomy
from matcher.features import char_wb_ngrams
from matcher.index_store import pack_strings, unpack_strings

PHRASES = ["taking bloods", "doing obs", "venepunture", "manual handling of patients", "team player"]


def _best(normaliser: Normaliser, texts: list[str], kind: str = "skill") -> list[tuple[str | None, float | None]]:
    return [
        (r.best.concept_id, round(r.best.score, 6)) if r.best else (None, None)
        for r in normaliser.normalise_many(texts, kind=kind)
    ]


def _files(folder: Path, kind: str = "skill") -> list[Path]:
    return sorted(folder.glob(f"normaliser-index-{kind}-*.npz"))


def test_query_vectors_are_the_fitted_vectoriser_s_own(normaliser: Normaliser) -> None:
    """Queries are vectorised without scikit-learn: every label comes out as the fit made it."""
    for kind in ("skill", "occupation", "qualification"):
        index = normaliser._index(kind)
        assert index.char_features is not None
        assert index.word_features is not None
        char = index.char_features.transform(index.label_text)
        word = index.word_features.transform(index.label_text)
        assert abs(char - index.char_matrix).max() < 1e-5
        assert abs(word - index.word_matrix).max() < 1e-5


@pytest.mark.parametrize("text", ["ab", "a", "obs  x", "Ward Clerk", "c++ c#", "licență în moașe", "x\ty"])
def test_char_ngrams_are_scikit_learn_s(text: str) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    for low, high in ((3, 5), (2, 4)):
        analyser = TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high)).build_analyzer()
        assert char_wb_ngrams(text, low, high) == analyser(text)


def test_a_second_normaliser_loads_the_saved_index_and_answers_the_same(taxonomy: Taxonomy, tmp_path: Path) -> None:
    first = Normaliser(taxonomy, index_dir=tmp_path)
    assert first.index_sources == {"skill": "fitted", "occupation": "fitted", "qualification": "fitted"}
    assert len(list(tmp_path.glob("normaliser-index-*.npz"))) == 3
    second = Normaliser(taxonomy, index_dir=tmp_path)
    assert second.index_sources == {"skill": "loaded", "occupation": "loaded", "qualification": "loaded"}
    assert _best(second, PHRASES) == _best(first, PHRASES)
    jobs = ["HCA", "staff nurse (band 5)", "porter"]
    assert _best(second, jobs, "occupation") == _best(first, jobs, "occupation")


def test_a_changed_taxonomy_is_fitted_again_and_its_old_index_removed(tmp_path: Path) -> None:
    before = Taxonomy([Concept("skill-a", "skill", "venepuncture"), Concept("skill-b", "skill", "hoisting")])
    Normaliser(before, kinds=["skill"], index_dir=tmp_path)
    [old] = _files(tmp_path)
    after = Taxonomy(
        [Concept("skill-a", "skill", "venepuncture", ("taking bloods",)), Concept("skill-b", "skill", "hoisting")]
    )
    changed = Normaliser(after, kinds=["skill"], index_dir=tmp_path)
    assert changed.index_sources == {"skill": "fitted"}
    assert changed.normalise("taking bloods", kind="skill").best.concept_id == "skill-a"  # type: ignore[union-attr]
    [new] = _files(tmp_path)
    assert new != old
    assert Normaliser(after, kinds=["skill"], index_dir=tmp_path).index_sources == {"skill": "loaded"}


def test_changed_index_settings_fit_again(taxonomy: Taxonomy, tmp_path: Path) -> None:
    Normaliser(taxonomy, kinds=["skill"], index_dir=tmp_path)
    other = NormaliserSettings(char_ngram_range=(3, 4))
    assert Normaliser(taxonomy, kinds=["skill"], settings=other, index_dir=tmp_path).index_sources == {
        "skill": "fitted"
    }
    # Query-time settings do not touch the index.
    query_only = NormaliserSettings(cutoff=0.7, char_ngram_range=(3, 4))
    assert Normaliser(taxonomy, kinds=["skill"], settings=query_only, index_dir=tmp_path).index_sources == {
        "skill": "loaded"
    }


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"not an index"),
        lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
        lambda path: path.write_bytes(b""),
    ],
    ids=["garbage", "truncated", "empty"],
)
def test_a_corrupt_index_is_fitted_again_and_replaced(
    taxonomy: Taxonomy, tmp_path: Path, damage: object, caplog: pytest.LogCaptureFixture
) -> None:
    fitted = Normaliser(taxonomy, kinds=["skill"], index_dir=tmp_path)
    [path] = _files(tmp_path)
    damage(path)  # type: ignore[operator]
    with caplog.at_level(logging.WARNING, logger="matcher.index_store"):
        again = Normaliser(taxonomy, kinds=["skill"], index_dir=tmp_path)
    assert again.index_sources == {"skill": "fitted"}
    assert "unusable" in caplog.text
    assert _best(again, PHRASES) == _best(fitted, PHRASES)
    assert Normaliser(taxonomy, kinds=["skill"], index_dir=tmp_path).index_sources == {"skill": "loaded"}


def test_an_index_saved_for_other_concepts_under_the_same_name_is_not_trusted(tmp_path: Path) -> None:
    """A file renamed (or copied) to another taxonomy's key carries its own key inside and is refused."""
    one = Taxonomy([Concept("skill-a", "skill", "venepuncture")])
    two = Taxonomy([Concept("skill-b", "skill", "hoisting")])
    Normaliser(one, kinds=["skill"], index_dir=tmp_path)
    [first] = _files(tmp_path)
    saved = first.read_bytes()
    Normaliser(two, kinds=["skill"], index_dir=tmp_path)
    [second] = _files(tmp_path)
    second.write_bytes(saved)
    reloaded = Normaliser(two, kinds=["skill"], index_dir=tmp_path)
    assert reloaded.index_sources == {"skill": "fitted"}
    assert reloaded.normalise("hoisting", kind="skill").best.concept_id == "skill-b"  # type: ignore[union-attr]


def test_an_unwritable_index_folder_still_normalises(taxonomy: Taxonomy, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    normaliser = Normaliser(taxonomy, kinds=["skill"], index_dir=blocked / "index")
    assert normaliser.index_sources == {"skill": "fitted"}
    assert normaliser.normalise("taking bloods", kind="skill").best.label == "venepuncture"  # type: ignore[union-attr]


def test_a_kind_with_no_concepts_round_trips(tmp_path: Path) -> None:
    tiny = Taxonomy([Concept("skill-a", "skill", "venepuncture")])
    Normaliser(tiny, index_dir=tmp_path)
    loaded = Normaliser(tiny, index_dir=tmp_path)
    assert loaded.index_sources["occupation"] == "loaded"
    assert loaded.normalise("porter", kind="occupation").matches == ()
    assert loaded.normalise("venepuncture", kind="skill").best.concept_id == "skill-a"  # type: ignore[union-attr]


def test_packed_strings_round_trip() -> None:
    for items in ([], [""], ["a", "", "b c", "é"]):
        assert unpack_strings(pack_strings(items)) == items
    with pytest.raises(ValueError, match="newlines"):
        pack_strings(["two\nlines"])
    assert isinstance(pack_strings(["x"]), np.ndarray)
