"""Speed: 20,000 job-ad skill phrases normalised against full ESCO skills, on one core.

Prints the index's fit time beside its load time from disk (the saved index a second process
reads), phrases per second, peak memory, and the same phrases/s for a rapidfuzz WRatio full scan
(the naive baseline) on a sample, measured in this run.
Targets (issues 2 and 12): >= 2,000 phrases/s on one core, build < 30 s, load from disk <= 3 s,
peak memory < 1.5 GB.
"""

from __future__ import annotations

import os

# One core: pin every numeric library to a single thread before numpy is imported.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import argparse
import tempfile
import time

from _common import ESCO_DIR, EVAL_DIR, peak_rss_mb, require, table
from tqdm import tqdm

from matcher import Normaliser, Taxonomy
from matcher.esco import read_esco
from matcher.evaluation import compare_speed, read_skillspan_phrases, typo_phrases
from matcher.text import normalise_text


def phrases(count: int, seed: int) -> list[str]:
    """Real skill phrases from SkillSpan, cycled with seeded typos until there are ``count``."""
    base = read_skillspan_phrases(EVAL_DIR / "skillspan" / "skillspan_train.jsonl")
    base += read_skillspan_phrases(EVAL_DIR / "skillspan" / "skillspan_dev.jsonl")
    base = [p for p in base if normalise_text(p)]  # a few spans are bare punctuation
    return typo_phrases(base, count, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phrases", type=int, default=20_000)
    parser.add_argument("--baseline-sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--semantic-model", default=None, help="also time the semantic mode (useit semantic train)")
    args = parser.parse_args()
    require(ESCO_DIR, "ESCO v1.1.1")
    require(EVAL_DIR / "skillspan", "SkillSpan phrases")

    texts = phrases(args.phrases, args.seed)
    skills = Taxonomy([c for c in read_esco(ESCO_DIR) if c.kind == "skill"], name="esco-skills")
    rss_before = peak_rss_mb()
    scratch = tempfile.TemporaryDirectory(prefix="useit-speed-")
    folder = scratch.name
    # The saved index is loaded here, and again by the semantic mode below.
    start = time.perf_counter()
    Normaliser(skills, kinds=["skill"], index_dir=folder)  # fits and saves
    build = time.perf_counter() - start
    start = time.perf_counter()
    normaliser = Normaliser(skills, kinds=["skill"], index_dir=folder)
    load = time.perf_counter() - start
    assert normaliser.index_sources == {"skill": "loaded"}
    labels = normaliser.label_count("skill")

    # Bars on standard error, only when it is a terminal (disable=None); the timings are the
    # same either way (one update per chunk).
    sample = min(args.baseline_sample, len(texts))
    with (
        tqdm(total=len(texts), desc="useit", unit=" phrases", disable=None) as ours_bar,
        tqdm(total=sample, desc="rapidfuzz full scan", unit=" phrases", disable=None) as theirs_bar,
    ):
        speed = compare_speed(
            normaliser,
            skills,
            texts,
            baseline_sample=sample,
            useit_progress=ours_bar.update,
            baseline_progress=theirs_bar.update,
        )
    ours_rate, theirs_rate, matched = speed.useit.per_second, speed.rapidfuzz.per_second, speed.matched
    semantic_rows: list[list[str]] = []
    if args.semantic_model:
        from matcher.semantic import SemanticModel

        start = time.perf_counter()
        model = SemanticModel.load(args.semantic_model)
        # The lexical index loads from disk as above; what this times is the model and its label vectors.
        semantic = Normaliser(skills, kinds=["skill"], index_dir=folder, semantic=model)
        semantic_start = time.perf_counter() - start
        start = time.perf_counter()
        semantic.normalise_many(texts, kind="skill")
        rate = len(texts) / (time.perf_counter() - start)
        semantic_rows.append(
            [
                "useit Normaliser + semantic",
                f"{len(texts):,}",
                f"{rate:,.0f}",
                f"{rate / theirs_rate:,.0f}x (model and label vectors {semantic_start:.1f} s)",
            ]
        )

    print(f"ESCO skills: {len(skills):,} concepts, {labels:,} distinct labels; {len(texts):,} phrases (SkillSpan)")
    print(
        table(
            [
                ["useit Normaliser (lexical)", f"{len(texts):,}", f"{ours_rate:,.0f}", f"{speed.ratio:,.0f}x"],
                *semantic_rows,
                ["rapidfuzz WRatio full scan", f"{sample:,} (sample)", f"{theirs_rate:,.1f}", "1x"],
            ],
            ["method (1 core)", "phrases", "phrases/s", "vs baseline"],
        )
    )
    print(f"index: fit and save {build:.1f} s (target < 30 s) | load from disk {load:.2f} s (target <= 3 s)")
    print(f"peak memory (RSS): {peak_rss_mb():,.0f} MB (target < 1,500 MB; {rss_before:,.0f} MB before the index)")
    scratch.cleanup()
    print(f"phrases with a match above the cutoff: {matched:.1%}")
    print(f"target >= 2,000 phrases/s: {'met' if ours_rate >= 2_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
