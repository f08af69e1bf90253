"""Speed: 20,000 job-ad skill phrases normalised against full ESCO skills, on one core.

Prints the build (index fit, and the encoder's label vectors) beside the load from disk (what a
second process reads), phrases per second in the default (semantic) and the lexical mode, peak
memory, and the same phrases/s for a rapidfuzz WRatio full scan (the naive baseline) on a
sample, measured in this run. The phrases are distinct once normalised.
Targets (issue 12): semantic >= 1,000 and lexical >= 2,500 phrases/s on one core, build with
label vectors <= 120 s, load from disk <= 3 s, peak memory <= 1.5 GB.
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
from matcher.evaluation import compare_speed, read_skillspan_phrases, time_phrases, typo_phrases
from matcher.text import normalise_text


def phrases(count: int, seed: int) -> list[str]:
    """Real skill phrases from SkillSpan, cycled with seeded typos until there are ``count``."""
    base = read_skillspan_phrases(EVAL_DIR / "skillspan" / "skillspan_train.jsonl")
    base += read_skillspan_phrases(EVAL_DIR / "skillspan" / "skillspan_dev.jsonl")
    base = [p for p in base if normalise_text(p)]  # a few spans are bare punctuation
    return typo_phrases(base, count, seed=seed)


def distinct(phrases_: list[str], count: int, seed: int) -> list[str]:
    """``count`` phrases, no two alike once normalised (so no cache could answer one for another)."""
    seen: set[str] = set()
    out: list[str] = []
    for phrase in typo_phrases(phrases_, count * 4, seed=seed):
        key = normalise_text(phrase)
        if key not in seen:
            seen.add(key)
            out.append(phrase)
            if len(out) == count:
                return out
    raise SystemExit(f"only {len(out):,} distinct phrases could be made")


def rate_of(normaliser: Normaliser, texts: list[str], desc: str) -> float:
    with tqdm(total=len(texts), desc=desc, unit=" phrases", disable=None) as bar:
        speed, _ = time_phrases(
            desc,
            lambda part: normaliser.normalise_many(part, kind="skill"),
            texts,
            chunk=normaliser.settings.batch_size,
            progress=bar.update,
        )
    return speed.per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phrases", type=int, default=20_000)
    parser.add_argument("--baseline-sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--semantic-model",
        default=None,
        help="also time a word-vector model (useit semantic train) instead of the encoder",
    )
    args = parser.parse_args()
    require(ESCO_DIR, "ESCO v1.1.1")
    require(EVAL_DIR / "skillspan", "SkillSpan phrases")
    from api.engine import load_semantic_model

    encoder = load_semantic_model()  # the default mode's encoder (make install builds it)
    texts = distinct(phrases(args.phrases, args.seed), args.phrases, args.seed)
    skills = Taxonomy([c for c in read_esco(ESCO_DIR) if c.kind == "skill"], name="esco-skills")
    rss_before = peak_rss_mb()
    scratch = tempfile.TemporaryDirectory(prefix="useit-speed-")
    folder = scratch.name
    start = time.perf_counter()
    Normaliser(skills, kinds=["skill"], index_dir=folder)  # fits and saves the lexical index
    fit = time.perf_counter() - start
    start = time.perf_counter()
    Normaliser(skills, kinds=["skill"], index_dir=folder, semantic=encoder)  # embeds and saves the labels
    vectors = time.perf_counter() - start
    start = time.perf_counter()
    lexical = Normaliser(skills, kinds=["skill"], index_dir=folder)
    load = time.perf_counter() - start
    start = time.perf_counter()
    semantic = Normaliser(skills, kinds=["skill"], index_dir=folder, semantic=encoder)
    semantic_load = time.perf_counter() - start
    assert lexical.index_sources == {"skill": "loaded"}
    labels = lexical.label_count("skill")

    sample = min(args.baseline_sample, len(texts))
    with tqdm(total=sample, desc="rapidfuzz full scan", unit=" phrases", disable=None) as theirs_bar:
        speed = compare_speed(lexical, skills, texts, baseline_sample=sample, baseline_progress=theirs_bar.update)
    baseline = speed.rapidfuzz.per_second
    semantic_rate = rate_of(semantic, texts, "useit semantic (default)")
    lexical_rate = rate_of(lexical, texts, "useit lexical")
    rows = [
        [
            "useit Normaliser, semantic (the default)",
            f"{len(texts):,}",
            f"{semantic_rate:,.0f}",
            f"{semantic_rate / baseline:,.0f}x",
            ">= 1,000",
        ],
        [
            "useit Normaliser, lexical",
            f"{len(texts):,}",
            f"{lexical_rate:,.0f}",
            f"{lexical_rate / baseline:,.0f}x",
            ">= 2,500",
        ],
    ]
    if args.semantic_model:
        from matcher.semantic import SemanticModel

        words = Normaliser(skills, kinds=["skill"], index_dir=folder, semantic=SemanticModel.load(args.semantic_model))
        rate = rate_of(words, texts, "useit + word vectors")
        rows.append(
            [
                "useit Normaliser + word vectors (trained here)",
                f"{len(texts):,}",
                f"{rate:,.0f}",
                f"{rate / baseline:,.0f}x",
                "",
            ]
        )
    rows.append(["rapidfuzz WRatio full scan", f"{sample:,} (sample)", f"{baseline:,.1f}", "1x", ""])

    print(
        f"ESCO skills: {len(skills):,} concepts, {labels:,} distinct labels; "
        f"{len(texts):,} distinct phrases (SkillSpan)"
    )
    print(table(rows, ["method (1 core)", "phrases", "phrases/s", "vs baseline", "target"]))
    print(
        f"build: index fit and save {fit:.1f} s + label vectors {vectors:.1f} s = {fit + vectors:.1f} s"
        " (target <= 120 s)"
    )
    print(
        f"load from disk: lexical index {load:.2f} s | index, label vectors and encoder {semantic_load:.2f} s"
        " (target <= 3 s)"
    )
    print(f"peak memory (RSS): {peak_rss_mb():,.0f} MB (target <= 1,500 MB; {rss_before:,.0f} MB before the index)")
    scratch.cleanup()
    print(f"phrases with a match above the cutoff (lexical): {speed.matched:.1%}")
    for name, rate, floor in (("semantic", semantic_rate, 1_000), ("lexical", lexical_rate, 2_500)):
        print(f"{name} target >= {floor:,} phrases/s: {'met' if rate >= floor else 'NOT met'}")


if __name__ == "__main__":
    main()
