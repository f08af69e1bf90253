"""Tune the re-ranking weights by coordinate ascent on the Decorte VALIDATION sets only.

The TECH test set is held out: it is printed for information, never used to choose. Prints
the settings to put in ``matcher/settings.py`` (weights are tuning, kept in one place).
"""

from __future__ import annotations

import argparse
import time

from _common import ESCO_DIR, EVAL_DIR, require

from matcher import Normaliser, NormaliserSettings
from matcher.esco import import_esco
from matcher.evaluation import accuracy_at, read_decorte

GRID: dict[str, list[float]] = {
    "weight_char": [0.1, 0.2, 0.3, 0.4, 0.5],
    "weight_word": [0.15, 0.25, 0.35, 0.45, 0.55],
    "weight_fuzz": [0.15, 0.25, 0.35, 0.45, 0.55],
    "weight_preferred": [0.0, 0.05, 0.1, 0.2, 0.3, 0.4],
    "preferred_bonus": [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3],
    "prior_weight": [0.0, 0.02, 0.04, 0.08, 0.12, 0.2],
    "alias_penalty": [0.005, 0.05, 0.1, 0.15, 0.2, 0.3],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    require(ESCO_DIR, "ESCO v1.1.1")
    taxonomy = import_esco(ESCO_DIR, mode="replace")
    normaliser = Normaliser(taxonomy, kinds=["skill"])
    d = EVAL_DIR / "decorte"
    validation = [
        read_decorte(d / "tech_validation_annotations.csv", taxonomy),
        read_decorte(d / "house_validation_annotations.csv", taxonomy),
    ]
    test = read_decorte(d / "tech_test_annotations.csv", taxonomy)

    def score(settings: NormaliserSettings, sets: list) -> float:  # type: ignore[type-arg]
        normaliser.settings = settings  # re-ranking weights only: the index is unchanged
        total = 0.0
        for evalset in sets:
            results = normaliser.normalise_many(list(evalset.queries), kind="skill", cutoff=0.0)
            total += accuracy_at([[m.concept_id for m in r.matches] for r in results], evalset.gold)[1]
        return total / len(sets)

    best = NormaliserSettings()
    best_score = score(best, validation)
    print(f"start: validation {best_score:.4f}  test {score(best, [test]):.4f}")
    start = time.perf_counter()
    for round_ in range(args.rounds):
        for name, values in GRID.items():
            for value in values:
                candidate = best.replace(**{name: value})
                value_score = score(candidate, validation)
                if value_score > best_score + 1e-9:
                    best, best_score = candidate, value_score
            print(f"round {round_ + 1} {name}={getattr(best, name)}: validation {best_score:.4f}", flush=True)
    print(f"done in {time.perf_counter() - start:.0f} s: validation {best_score:.4f}  test {score(best, [test]):.4f}")
    print({name: getattr(best, name) for name in GRID})


if __name__ == "__main__":
    main()
