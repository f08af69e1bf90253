"""The normaliser's semantic mode, with a stand-in model whose vectors the test chooses: the
cosine moves the ranking, the dense candidates find what letters cannot, label vectors are saved
beside the index and read back (never embedded twice), and the lexical mode is untouched."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from matcher import Normaliser, NormaliserSettings, Taxonomy
from matcher.errors import InvalidInputError
from matcher.taxonomy import Concept

TAXONOMY = Taxonomy(
    [
        Concept("skill-venepuncture", "skill", "venepuncture", ("drawing blood samples",)),
        Concept("skill-blood-pressure", "skill", "blood pressure measurement"),
        Concept("skill-bed-making", "skill", "bed making"),
    ]
)
#: Where each text points: venepuncture's labels and "taking blood" together, the rest apart.
DIRECTIONS = {
    "venepuncture": 0,
    "drawing blood samples": 0,
    "taking blood": 0,
    "needle in the arm": 0,
    "blood pressure measurement": 1,
    "bed making": 2,
}


class StandIn:
    """A model that places texts where :data:`DIRECTIONS` says, and counts what it embeds."""

    identity = "stand-in-1"

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None) -> np.ndarray:
        self.embedded.extend(texts)
        vectors = np.zeros((len(texts), 4), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row, DIRECTIONS.get(text, 3)] = 1.0
        if progress is not None:
            progress(len(texts))
        return vectors


def test_the_cosine_moves_the_ranking_and_the_lexical_mode_is_untouched() -> None:
    lexical = Normaliser(TAXONOMY, kinds=["skill"])
    semantic = Normaliser(TAXONOMY, kinds=["skill"], semantic=StandIn())
    # By letters, "taking blood" is not venepuncture's ("bed making" shares more); by meaning, it is.
    assert lexical.normalise("taking blood", kind="skill", cutoff=0.0).best.label != "venepuncture"
    assert semantic.normalise("taking blood", kind="skill", cutoff=0.0).best.label == "venepuncture"
    # An exact label is exact in either mode.
    assert semantic.normalise("bed making", kind="skill").best.method == "exact"


def test_dense_candidates_add_concepts_the_words_did_not_retrieve() -> None:
    narrow = NormaliserSettings(candidates=1, limit=1, cutoff=0.0)
    without = Normaliser(TAXONOMY, kinds=["skill"], semantic=StandIn(), settings=narrow)
    with_dense = Normaliser(
        TAXONOMY, kinds=["skill"], semantic=StandIn(), settings=narrow.replace(semantic_candidates=1)
    )
    # One lexical candidate only, and not venepuncture; the nearest concept by vector joins it.
    found = without.normalise("needle in the arm", kind="skill").best
    assert found is None or found.label != "venepuncture"
    assert with_dense.normalise("needle in the arm", kind="skill").best.label == "venepuncture"


def test_label_vectors_are_saved_beside_the_index_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matcher import normaliser

    monkeypatch.setattr(normaliser, "_REMEMBERED_VECTORS", {})  # nothing embedded earlier in this process
    first = StandIn()
    Normaliser(TAXONOMY, kinds=["skill"], semantic=first, index_dir=tmp_path)
    assert sorted(first.embedded) == sorted(
        ["venepuncture", "drawing blood samples", "blood pressure measurement", "bed making"]
    )
    assert len(list(tmp_path.glob("label-vectors-skill-*.npz"))) == 1

    class Other(StandIn):
        identity = "stand-in-2"

    # Another model never reads the first one's vectors; the same model embeds no label again.
    monkeypatch.setattr(normaliser, "_REMEMBERED_VECTORS", {})
    other = Other()
    Normaliser(TAXONOMY, kinds=["skill"], semantic=other, index_dir=tmp_path)
    assert len(other.embedded) == 4
    monkeypatch.setattr(normaliser, "_REMEMBERED_VECTORS", {})
    again = Other()
    result = Normaliser(TAXONOMY, kinds=["skill"], semantic=again, index_dir=tmp_path).normalise(
        "taking blood", kind="skill"
    )
    assert again.embedded == ["taking blood"]  # the query only
    assert result.best.label == "venepuncture"
    # A damaged file is embedded again, with a warning, never an error.
    monkeypatch.setattr(normaliser, "_REMEMBERED_VECTORS", {})
    for path in tmp_path.glob("label-vectors-skill-*.npz"):
        path.write_bytes(b"damaged")
    fresh = Other()
    Normaliser(TAXONOMY, kinds=["skill"], semantic=fresh, index_dir=tmp_path)
    assert len(fresh.embedded) == 4


def test_semantic_settings_are_checked() -> None:
    with pytest.raises(InvalidInputError) as error:
        NormaliserSettings(semantic_candidates=-1, semantic_weight_char=-0.5, semantic_prior_weight=2.0)
    problems = " ".join(error.value.problems)
    assert "semantic_candidates" in problems
    assert "semantic_weight_char" in problems
    assert "semantic_prior_weight" in problems
