"""Tune the re-ranking weights by coordinate ascent on VALIDATION data only.

Validation: Decorte TECH and HOUSE validation (skills) and, with ``--semantic``, a seeded 3,000-title
tuning half of JobBERT validation (occupations) and the curated taxonomy's held-out alternative
labels (one per concept taken out of the index, skills and occupations: the service's own
taxonomy, as residents phrase it); the objective is their mean acc@1. Held out and
printed for information, never used to choose: Decorte TECH test, and 3,000 other JobBERT titles.

``--semantic`` tunes the default (semantic) mode with the sentence encoder ``make install`` builds:
each distinct text is embedded once and remembered, so a trial costs only the re-ranking. Prints
the settings to put in ``matcher/settings.py`` (weights are tuning, kept in one place).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence

import numpy as np
from _common import ESCO_DIR, EVAL_DIR, require

from matcher import Normaliser, NormaliserSettings, Taxonomy
from matcher.esco import import_esco
from matcher.evaluation import EvalSet, accuracy_at, hold_out_alt_labels, read_decorte, read_jobbert

LEXICAL_GRID: dict[str, list[float]] = {
    "weight_char": [0.1, 0.2, 0.3, 0.4, 0.5],
    "weight_word": [0.15, 0.25, 0.35, 0.45, 0.55],
    "weight_fuzz": [0.15, 0.25, 0.35, 0.45, 0.55],
    "weight_preferred": [0.0, 0.05, 0.1, 0.2, 0.3, 0.4],
    "preferred_bonus": [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3],
    "prior_weight": [0.0, 0.02, 0.04, 0.08, 0.12, 0.2],
    "alias_penalty": [0.005, 0.05, 0.1, 0.15, 0.2, 0.3],
}
SEMANTIC_GRID: dict[str, list[float]] = {
    "weight_semantic": [0.5, 1.0, 1.5, 2.0, 3.0, 4.0],
    "semantic_candidates": [0, 5, 10, 20],
    "semantic_weight_char": [0.1, 0.3, 0.5],
    "weight_word": [0.25, 0.45, 0.65],
    "weight_fuzz": [0.15, 0.35, 0.55],
    "weight_preferred": [0.0, 0.1, 0.3],
    "preferred_bonus": [0.0, 0.05, 0.1, 0.2],
    "semantic_prior_weight": [0.0, 0.04, 0.1],
}


class Remembered:
    """An encoder whose vectors are remembered per text (tuning re-ranks the same texts often)."""

    def __init__(self, model: object) -> None:
        self.model = model
        self.identity = model.identity  # type: ignore[attr-defined]
        self.seen: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if missing:
            self.seen.update(zip(missing, self.model.embed(missing, progress=progress), strict=True))  # type: ignore[attr-defined]
        return np.array([self.seen[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)


def halves(evalset: EvalSet, size: int, seed: int = 11) -> tuple[EvalSet, EvalSet]:
    """Two disjoint seeded samples of ``size`` queries: one to tune on, one held out."""
    order = list(range(len(evalset.queries)))
    random.Random(seed).shuffle(order)

    def part(picked: list[int], name: str) -> EvalSet:
        picked = sorted(picked)
        return EvalSet(
            f"{evalset.name} ({name})",
            evalset.kind,
            tuple(evalset.queries[i] for i in picked),
            tuple(evalset.gold[i] for i in picked),
        )

    return part(order[:size], "tuning half"), part(order[size : 2 * size], "held out")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--semantic", action="store_true", help="tune the semantic mode (the default)")
    parser.add_argument("--jobbert", type=int, default=3_000, help="titles in each JobBERT half")
    args = parser.parse_args()
    require(ESCO_DIR, "ESCO v1.1.1")
    taxonomy = import_esco(ESCO_DIR, mode="replace")
    d = EVAL_DIR / "decorte"
    validation = [
        read_decorte(d / "tech_validation_annotations.csv", taxonomy, name="TECH validation"),
        read_decorte(d / "house_validation_annotations.csv", taxonomy, name="HOUSE validation"),
    ]
    held_out = [read_decorte(d / "tech_test_annotations.csv", taxonomy, name="TECH test")]
    kinds = ["skill"]
    semantic = None
    grid = LEXICAL_GRID
    if args.semantic:
        from api.engine import load_semantic_model

        semantic = Remembered(load_semantic_model())
        tuning, other = halves(read_jobbert(EVAL_DIR / "jobbert" / "titles_validation.csv", taxonomy), args.jobbert)
        validation.append(tuning)
        held_out.append(other)
        kinds.append("occupation")
        grid = SEMANTIC_GRID
    start = time.perf_counter()
    normaliser = Normaliser(taxonomy, kinds=kinds, semantic=semantic)
    by_set: dict[str, Normaliser] = {}
    if args.semantic:
        reduced, held = hold_out_alt_labels(Taxonomy.load_default())
        curated = Normaliser(reduced, kinds=["skill", "occupation"], semantic=semantic)
        for kind in ("skill", "occupation"):
            evalset = held[kind]
            validation.append(evalset)
            by_set[evalset.name] = curated
    print(f"indexed in {time.perf_counter() - start:.0f} s", flush=True)

    def scores(settings: NormaliserSettings, sets: list[EvalSet]) -> list[float]:
        found = []
        for evalset in sets:
            chosen = by_set.get(evalset.name, normaliser)
            chosen.settings = settings  # re-ranking settings only: the index is unchanged
            results = chosen.normalise_many(list(evalset.queries), kind=evalset.kind, cutoff=0.0)
            found.append(accuracy_at([[m.concept_id for m in r.matches] for r in results], evalset.gold)[1])
        return found

    def show(settings: NormaliserSettings) -> str:
        return "  ".join(
            f"{s.name} {v:.3f}"
            for s, v in zip(validation + held_out, scores(settings, validation + held_out), strict=True)
        )

    best = NormaliserSettings()
    best_score = float(np.mean(scores(best, validation)))
    print(f"start: {show(best)}", flush=True)
    for round_ in range(args.rounds):
        for name, values in grid.items():
            for value in values:
                candidate = best.replace(**{name: value})
                value_score = float(np.mean(scores(candidate, validation)))
                if value_score > best_score + 1e-9:
                    best, best_score = candidate, value_score
            print(f"round {round_ + 1} {name}={getattr(best, name)}: validation mean {best_score:.4f}", flush=True)
    print(f"done in {time.perf_counter() - start:.0f} s: {show(best)}")
    print({name: getattr(best, name) for name in grid})


if __name__ == "__main__":
    main()
