"""The semantic model: trained here from label pairs, saved checked, and an opt-in re-rank."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matcher import Concept, Normaliser, NormaliserSettings, Taxonomy
from matcher.semantic import SemanticModel, fine_tune, taxonomy_documents, taxonomy_pairs, train

#: A toy world where "obs" and "vital signs" mean the same thing only because a concept says so.
TOY = Taxonomy(
    [
        Concept("skill-obs", "skill", "patient observations", ("obs", "vital signs", "taking observations")),
        Concept("skill-pulse-ox", "skill", "pulse oximetry", ("oxygen saturation", "sats", "pulse ox")),
        Concept("skill-hoist", "skill", "hoist use", ("hoisting", "using a hoist", "ceiling hoist")),
        Concept("skill-feeding", "skill", "enteral feeding", ("peg feeds", "tube feeding", "peg feeding")),
        Concept("skill-team", "skill", "teamwork", ("team player", "working in a team", "team working")),
        Concept("skill-drugs", "skill", "medication administration", ("drug round", "giving medicines", "meds round")),
    ]
)


@pytest.fixture(scope="module")
def toy_model() -> SemanticModel:
    model = train(taxonomy_documents(TOY), dimensions=5, min_documents=1)
    return fine_tune(model, list(taxonomy_pairs(TOY)), epochs=30, batch=8, rate=0.05)


def test_words_of_one_concept_end_up_near_each_other(toy_model: SemanticModel) -> None:
    obs, signs, hoist = toy_model.embed(["obs", "vital signs", "hoisting"])
    assert float(obs @ signs) > float(obs @ hoist) + 0.3


def test_unknown_words_give_a_zero_vector(toy_model: SemanticModel) -> None:
    [vector] = toy_model.embed(["zzzz qqqq"])
    assert not vector.any()


def test_training_is_deterministic() -> None:
    first = train(taxonomy_documents(TOY), dimensions=4, min_documents=1)
    second = train(taxonomy_documents(TOY), dimensions=4, min_documents=1)
    assert np.array_equal(first.vectors, second.vectors)


def test_a_saved_model_loads_with_its_checksum(toy_model: SemanticModel, tmp_path: Path) -> None:
    path = toy_model.save(tmp_path / "model.npz")
    loaded = SemanticModel.load(path)
    assert loaded.words == toy_model.words
    assert np.allclose(loaded.vectors, toy_model.vectors, atol=1e-2)  # stored as float16


def test_a_tampered_model_is_refused(toy_model: SemanticModel, tmp_path: Path) -> None:
    path = toy_model.save(tmp_path / "model.npz")
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    arrays["vectors"] = arrays["vectors"] * 2
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="SHA-256"):
        SemanticModel.load(path)


def test_the_semantic_re_rank_is_opt_in_and_leaves_exact_matches_alone(toy_model: SemanticModel) -> None:
    lexical = Normaliser(TOY, kinds=["skill"])
    semantic = Normaliser(TOY, kinds=["skill"], semantic=toy_model)
    assert lexical.semantic is None
    assert semantic.semantic is toy_model
    for text in ("sats", "hoisting", "team player"):
        assert (
            semantic.normalise(text, kind="skill").best.concept_id
            == lexical.normalise(text, kind="skill").best.concept_id
        )  # type: ignore[union-attr]
    # A zero weight turns the channel off.
    off = Normaliser(TOY, kinds=["skill"], semantic=toy_model, settings=NormaliserSettings(weight_semantic=0.0))
    assert off.semantic is None


def test_a_heavily_weighted_semantic_score_changes_the_ranking(toy_model: SemanticModel) -> None:
    """ "vital sats" is nearer "sats" by its letters, nearer the observations concept by the model."""
    settings = NormaliserSettings(weight_semantic=2.0, cutoff=0.0)
    lexical = Normaliser(TOY, kinds=["skill"], settings=settings).normalise("vital sats", kind="skill").best
    semantic = (
        Normaliser(TOY, kinds=["skill"], semantic=toy_model, settings=settings)
        .normalise("vital sats", kind="skill")
        .best
    )
    assert lexical is not None
    assert semantic is not None
    assert (lexical.concept_id, semantic.concept_id) == ("skill-pulse-ox", "skill-obs")


@pytest.mark.parametrize(
    "damage",
    [lambda data: b"damaged", lambda data: data[: len(data) // 2], lambda data: b""],
    ids=["garbage", "truncated", "empty"],
)
def test_an_unreadable_model_is_a_value_error(toy_model: SemanticModel, tmp_path: Path, damage: object) -> None:
    path = toy_model.save(tmp_path / "model.npz")
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    with pytest.raises(ValueError, match="not a usable semantic model"):
        SemanticModel.load(path)


def test_a_plain_numpy_array_saved_as_a_model_is_a_value_error(tmp_path: Path) -> None:
    import numpy as np

    path = tmp_path / "model.npz"
    with path.open("wb") as handle:
        np.save(handle, np.zeros(3))  # an .npy, not an .npz: np.load gives an array, not a mapping
    with pytest.raises(ValueError, match="not a usable semantic model"):
        SemanticModel.load(path)


def test_saving_a_model_leaves_no_temporary_file_even_when_it_fails(toy_model: SemanticModel, tmp_path: Path) -> None:
    toy_model.save(tmp_path / "model.npz")
    (tmp_path / "taken").mkdir()
    with pytest.raises(IsADirectoryError):
        toy_model.save(tmp_path / "taken")  # a folder of that name: the rename fails
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz", "taken"]
