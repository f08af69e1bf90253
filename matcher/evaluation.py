"""Evaluation sets, accuracy at k and speed, shared by the benchmarks and the notebooks.

Readers for the public benchmark files in ``../shared/data/eval`` (never shipped with the
project); evaluation sets built from the shipped taxonomy itself (so they always run); the two
baselines every result is compared against; acc@k; and phrases per second, ours beside the
baseline's, measured in the same process.
"""

from __future__ import annotations

import csv
import json
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import numpy as np
from rapidfuzz import fuzz, process, utils
from sklearn.feature_extraction.text import TfidfVectorizer

from .errors import TaxonomyError
from .normaliser import Normaliser
from .qualifications import QualificationRecogniser
from .taxonomy import Concept, Taxonomy
from .text import normalise_text

#: A ranker maps query texts to, for each, concept ids best first.
Ranker = Callable[[Sequence[str]], list[list[str]]]
#: Called with how many more queries (or phrases) are done, e.g. a tqdm bar's ``update``.
Progress = Callable[[int], None]
T = TypeVar("T")
_UNSCOREABLE = {"LABEL NOT PRESENT", "UNDERSPECIFIED", ""}
_ANYWHERE = "*"
#: Queries per timed call of the full-scan baseline: each call converts every label again, so a
#: few large calls; but a bar should still move every few seconds.
_BASELINE_CHUNK = 50
#: The environment variable naming the shared reference data folder (benchmarks and notebooks).
SHARED_DATA_ENV = "USEIT_SHARED_DATA"
#: Method names as the benchmarks, the notebooks and the README print them.
USEIT = "useit"
RAPIDFUZZ = "rapidfuzz WRatio full scan"
TFIDF = "TF-IDF char (3,4)"


def shared_data_dir() -> Path:
    """The shared reference data: ``$USEIT_SHARED_DATA``, else ``../shared/data`` beside the repository.

    Nothing there is shipped with the project; callers check that what they need exists.
    """
    override = os.environ.get(SHARED_DATA_ENV)
    return Path(override) if override else Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass(frozen=True, slots=True)
class EvalSet:
    """Queries with one gold concept id each (resolved against a taxonomy)."""

    name: str
    kind: str
    queries: tuple[str, ...]
    gold: tuple[str, ...]
    #: Rows of the source file whose gold label the taxonomy does not contain.
    unresolved: int = 0
    #: For qualifications: where each was awarded (ISO code, or None), aligned with ``queries``;
    #: empty otherwise.
    countries: tuple[str | None, ...] = ()


def sample_set(evalset: EvalSet, size: int, *, seed: int = 7) -> EvalSet:
    """A seeded sample of ``size`` queries, in their original order (the whole set when smaller)."""
    if size >= len(evalset.queries):
        return evalset
    picked = sorted(random.Random(seed).sample(range(len(evalset.queries)), size))
    return EvalSet(
        f"{evalset.name} (sample {size:,})",
        evalset.kind,
        tuple(evalset.queries[i] for i in picked),
        tuple(evalset.gold[i] for i in picked),
        countries=tuple(evalset.countries[i] for i in picked) if evalset.countries else (),
    )


def _awarded_in(concept: Concept) -> str | None:
    """The first country a qualification is awarded in, as the golden test gives it (None: anywhere)."""
    countries = concept.attributes.get("countries") or [_ANYWHERE]
    return None if countries[0] == _ANYWHERE else countries[0]


def golden_set(taxonomy: Taxonomy, kind: str) -> EvalSet:
    """Every alternative label of ``kind`` as a query for its own concept (the golden test's set).

    Self-recovery: each phrasing is also in the index, so this checks that nothing is lost
    (a floor), not how well unseen text is matched; see :func:`hold_out_alt_labels` for that.
    Qualification queries carry the first country the award is given in.
    """
    queries: list[str] = []
    gold: list[str] = []
    countries: list[str | None] = []
    for concept in taxonomy.concepts(kind):
        for label in concept.alt_labels:
            queries.append(label)
            gold.append(concept.id)
            countries.append(_awarded_in(concept))
    return EvalSet(
        f"{kind}: every alternative label",
        kind,
        tuple(queries),
        tuple(gold),
        countries=tuple(countries) if kind == "qualification" else (),
    )


def hold_out_alt_labels(taxonomy: Taxonomy, *, seed: int = 7) -> tuple[Taxonomy, dict[str, EvalSet]]:
    """Take one alternative label out of each concept and ask for that concept with it.

    Returns the taxonomy without the held-out labels (fit every method on it) and, for each kind,
    the held-out labels as an evaluation set: phrasings no method has seen, as a resident might
    write them. A label is only held out when it differs, once normalised, from every label its
    concept keeps (so "R.G.N." is never asked of a concept still holding "RGN").
    """
    rng = random.Random(seed)
    kept: list[Concept] = []
    held: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    for concept in taxonomy:
        forms = Counter(normalise_text(label) for label in concept.labels)
        candidates = [i for i, label in enumerate(concept.alt_labels) if forms[normalise_text(label)] == 1]
        if candidates:
            i = rng.choice(candidates)
            held[concept.kind].append((concept.alt_labels[i], concept.id, _awarded_in(concept)))
            concept = replace(concept, alt_labels=concept.alt_labels[:i] + concept.alt_labels[i + 1 :])
        kept.append(concept)
    reduced = Taxonomy(kept, name=f"{taxonomy.name}, one label per concept held out", metadata=taxonomy.metadata)
    sets = {
        kind: EvalSet(
            f"{kind}: held-out alternative labels",
            kind,
            tuple(text for text, _, _ in rows),
            tuple(concept_id for _, concept_id, _ in rows),
            countries=tuple(country for _, _, country in rows) if kind == "qualification" else (),
        )
        for kind, rows in held.items()
    }
    return reduced, sets


def _require(path: Path) -> Path:
    if not path.is_file():
        raise TaxonomyError(f"evaluation file not found: {path}")
    return path


def read_decorte(path: str | os.PathLike[str], taxonomy: Taxonomy, *, name: str | None = None) -> EvalSet:
    """Decorte et al. skill spans -> ESCO skill preferred label.

    Rows labelled ``LABEL NOT PRESENT`` or ``UNDERSPECIFIED`` are not scoreable and are left
    out; where an annotator narrowed the span (``sub_span``) the narrower text is the query.
    """
    by_label: dict[str, str] = {}
    for concept in taxonomy.concepts("skill"):
        by_label.setdefault(concept.label.casefold(), concept.id)
    queries: list[str] = []
    gold: list[str] = []
    unresolved = 0
    with _require(Path(path)).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            label = (row.get("label") or "").strip()
            if label in _UNSCOREABLE:
                continue
            concept_id = by_label.get(label.casefold())
            if concept_id is None:
                unresolved += 1
                continue
            queries.append((row.get("sub_span") or "").strip() or row["span"].strip())
            gold.append(concept_id)
    return EvalSet(name or Path(path).stem, "skill", tuple(queries), tuple(gold), unresolved)


def read_jobbert(path: str | os.PathLike[str], taxonomy: Taxonomy, *, name: str = "jobbert_validation") -> EvalSet:
    """JobBERT vacancy titles -> ESCO occupation URI (labels assigned automatically; noisy)."""
    by_uri = {uri: c.id for uri, c in taxonomy.by_esco_uri("occupation").items()}
    queries: list[str] = []
    gold: list[str] = []
    unresolved = 0
    with _require(Path(path)).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            concept = by_uri.get((row.get("conceptUri") or "").strip())
            title = (row.get("vacancyTitle") or "").strip()
            if concept is None or not title:
                unresolved += 1
                continue
            queries.append(title)
            gold.append(concept)
    return EvalSet(name, "occupation", tuple(queries), tuple(gold), unresolved)


@dataclass(frozen=True, slots=True)
class EducationItem:
    degree: str
    major: str
    level: int  # ISCED 2011 level as annotated


def read_education(path: str | os.PathLike[str]) -> list[EducationItem]:
    """Avature education entries (degree, major) with their annotated ISCED level."""
    with _require(Path(path)).open(encoding="utf-8") as handle:
        records = json.load(handle)
    items: list[EducationItem] = []
    for record in records:
        for edu, norm in zip(record.get("edu", []), record.get("edu_norm", []), strict=False):
            level = norm.get("level")
            degree = (edu.get("degree") or "").strip()
            if isinstance(level, int) and degree:
                items.append(EducationItem(degree, (edu.get("major") or "").strip(), level))
    return items


def accuracy_at(ranked: Sequence[Sequence[str]], gold: Sequence[str], ks: Sequence[int] = (1, 5)) -> dict[int, float]:
    """Share of queries whose gold id is among the first k ranked ids, for each k."""
    if not gold:
        return {k: float("nan") for k in ks}
    return {k: sum(g in r[:k] for r, g in zip(ranked, gold, strict=True)) / len(gold) for k in ks}


def _dedupe_concepts(label_positions: Sequence[int], label_concepts: Sequence[str], k: int) -> list[str]:
    out: list[str] = []
    for position in label_positions:
        concept = label_concepts[position]
        if concept not in out:
            out.append(concept)
            if len(out) == k:
                break
    return out


def _labels(taxonomy: Taxonomy, kind: str) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    owners: list[str] = []
    for concept in taxonomy.concepts(kind):
        for label in dict.fromkeys(concept.labels):
            texts.append(label)
            owners.append(concept.id)
    return texts, owners


def tfidf_baseline(taxonomy: Taxonomy, kind: str, *, k: int = 5, pool: int = 50) -> Ranker:
    """Plain TF-IDF over character (3,4)-grams, nearest label (the data README's baseline)."""
    texts, owners = _labels(taxonomy, kind)
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(3, 4), dtype=np.float32)
    matrix_t = vectoriser.fit_transform(texts).T.tocsr()

    def rank(queries: Sequence[str]) -> list[list[str]]:
        out: list[list[str]] = []
        for start in range(0, len(queries), 1024):
            scores = (vectoriser.transform(queries[start : start + 1024]) @ matrix_t).tocsr()
            for row in range(scores.shape[0]):
                s, e = scores.indptr[row], scores.indptr[row + 1]
                cols, vals = scores.indices[s:e], scores.data[s:e]
                if len(cols) > pool:
                    top = np.argpartition(-vals, pool - 1)[:pool]
                    cols, vals = cols[top], vals[top]
                order = cols[np.lexsort((cols, -vals))]
                out.append(_dedupe_concepts(order.tolist(), owners, k))
        return out

    return rank


def rapidfuzz_baseline(
    taxonomy: Taxonomy,
    kind: str,
    *,
    k: int = 5,
    pool: int = 50,
    workers: int = -1,
    progress: Progress | None = None,
) -> Ranker:
    """rapidfuzz WRatio against every label (full scan), rapidfuzz's default processor.

    ``progress`` is called with the size of each chunk of queries ranked (the scan is slow:
    a few queries a second per core against full ESCO).
    """
    texts, owners = _labels(taxonomy, kind)
    processed = [utils.default_process(t) for t in texts]
    pool = max(1, min(pool, len(texts)))

    def rank(queries: Sequence[str]) -> list[list[str]]:
        out: list[list[str]] = []
        for start in range(0, len(queries), 64):
            chunk = [utils.default_process(q) for q in queries[start : start + 64]]
            scores = process.cdist(chunk, processed, scorer=fuzz.WRatio, dtype=np.uint8, workers=workers)
            for row in scores.astype(np.int16):  # signed: negating uint8 would wrap
                top = np.argpartition(-row, pool - 1)[:pool]
                order = top[np.lexsort((top, -row[top]))]
                out.append(_dedupe_concepts(order.tolist(), owners, k))
            if progress is not None:
                progress(len(chunk))
        return out

    return rank


def rank_useit(
    normaliser: Normaliser, evalset: EvalSet, *, limit: int = 5, cutoff: float | None = 0.0
) -> list[list[str]]:
    """Our concept ids for each query, best first: the Normaliser, or for qualifications the
    QualificationRecogniser given where each was awarded.

    ``cutoff`` 0 always answers, like the baselines; None uses the default cutoff, where "no
    match" is an answer (and counts as wrong).
    """
    queries = list(evalset.queries)
    if evalset.kind == "qualification":
        countries = list(evalset.countries) or [None] * len(queries)
        found = QualificationRecogniser(normaliser).recognise_many(queries, countries, limit=limit, cutoff=cutoff)
        return [[r.concept_id for r in row] for row in found]
    results = normaliser.normalise_many(queries, kind=evalset.kind, limit=limit, cutoff=cutoff)
    return [[m.concept_id for m in r.matches] for r in results]


@dataclass(frozen=True, slots=True)
class Comparison:
    """acc@1 and acc@5 of useit and of both baselines on one evaluation set, measured in one run."""

    name: str
    kind: str
    queries: int
    useit: Mapping[int, float]
    #: useit at its default cutoff, where "no match" counts as wrong.
    answered: Mapping[int, float]
    tfidf: Mapping[int, float]
    #: None when the full-scan baseline was not run (too slow for the set's size).
    rapidfuzz: Mapping[int, float] | None

    def scores(self, k: int = 1) -> dict[str, float]:
        """acc@k by method name (useit, rapidfuzz, TF-IDF), leaving out a baseline not run."""
        out = {USEIT: self.useit[k]}
        if self.rapidfuzz is not None:
            out[RAPIDFUZZ] = self.rapidfuzz[k]
        out[TFIDF] = self.tfidf[k]
        return out


def compare_steps(evalset: EvalSet, *, rapidfuzz: bool = True) -> int:
    """How many units :func:`compare` reports to its ``progress`` for ``evalset`` (a bar's total)."""
    return len(evalset.queries) * (4 if rapidfuzz else 3)


def compare(
    evalset: EvalSet,
    taxonomy: Taxonomy,
    normaliser: Normaliser,
    *,
    rapidfuzz: bool = True,
    workers: int = -1,
    progress: Progress | None = None,
) -> Comparison:
    """Score useit (always answering, then at its default cutoff) and both baselines on ``evalset``.

    The baselines are fitted here on ``taxonomy``, which must be the one ``normaliser`` was
    fitted on. ``rapidfuzz=False`` leaves out the full scan (too slow for large sets);
    ``workers`` is its thread count (-1: every core).
    """
    queries = list(evalset.queries)

    def done(count: int) -> None:
        if progress is not None:
            progress(count)

    full = accuracy_at(rank_useit(normaliser, evalset, cutoff=0.0), evalset.gold)
    done(len(queries))
    answered = accuracy_at(rank_useit(normaliser, evalset, cutoff=None), evalset.gold)
    done(len(queries))
    tfidf = accuracy_at(tfidf_baseline(taxonomy, evalset.kind)(queries), evalset.gold)
    done(len(queries))
    fuzzy = None
    if rapidfuzz:
        rank = rapidfuzz_baseline(taxonomy, evalset.kind, workers=workers, progress=progress)
        fuzzy = accuracy_at(rank(queries), evalset.gold)
    return Comparison(evalset.name, evalset.kind, len(queries), full, answered, tfidf, fuzzy)


def typo_phrases(base: Sequence[str], count: int, *, seed: int = 7) -> list[str]:
    """``count`` phrases: ``base`` in order, then cycled again with a seeded typo in each.

    The typo is a transposition of two neighbouring characters (the commonest), made in
    phrases longer than four characters.
    """
    if not base:
        raise ValueError("typo_phrases needs at least one base phrase")
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        phrase = base[len(out) % len(base)]
        if len(out) >= len(base) and len(phrase) > 4:
            i = rng.randrange(len(phrase) - 1)
            phrase = phrase[:i] + phrase[i + 1] + phrase[i] + phrase[i + 2 :]
        out.append(phrase)
    return out


@dataclass(frozen=True, slots=True)
class Throughput:
    """How many phrases one method matched, and in how many seconds."""

    method: str
    phrases: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.phrases / self.seconds if self.seconds > 0 else float("inf")


def time_phrases(
    method: str,
    run: Callable[[list[str]], list[T]],
    texts: Sequence[str],
    *,
    chunk: int,
    progress: Progress | None = None,
) -> tuple[Throughput, list[T]]:
    """Run ``run`` over ``texts`` chunk by chunk; its throughput and every result, in order."""
    results: list[T] = []
    start = time.perf_counter()
    for first in range(0, len(texts), chunk):
        part = list(texts[first : first + chunk])
        results.extend(run(part))
        if progress is not None:
            progress(len(part))
    return Throughput(method, len(texts), time.perf_counter() - start), results


@dataclass(frozen=True, slots=True)
class SpeedComparison:
    """Phrases per second of useit and of the rapidfuzz full scan, measured one after the other."""

    useit: Throughput
    rapidfuzz: Throughput
    #: Share of the phrases useit matched above its default cutoff.
    matched: float

    @property
    def ratio(self) -> float:
        """How many times faster useit was."""
        return self.useit.per_second / self.rapidfuzz.per_second


def compare_speed(
    normaliser: Normaliser,
    taxonomy: Taxonomy,
    texts: Sequence[str],
    *,
    kind: str = "skill",
    baseline_sample: int = 300,
    useit_progress: Progress | None = None,
    baseline_progress: Progress | None = None,
) -> SpeedComparison:
    """useit on every text (default settings) beside a rapidfuzz WRatio full scan on one worker
    over the first ``baseline_sample`` texts (the scan is too slow for more).

    ``normaliser`` must already be fitted on ``taxonomy``; fitting is not timed here. useit runs
    in chunks of its own batch size, so the chunks are the ones it would use anyway.
    """
    ours, results = time_phrases(
        USEIT,
        lambda part: normaliser.normalise_many(part, kind=kind),
        texts,
        chunk=normaliser.settings.batch_size,
        progress=useit_progress,
    )
    baseline = rapidfuzz_baseline(taxonomy, kind, workers=1)
    theirs, _ = time_phrases(
        RAPIDFUZZ, baseline, texts[:baseline_sample], chunk=_BASELINE_CHUNK, progress=baseline_progress
    )
    matched = sum(1 for r in results if r.matches)
    return SpeedComparison(ours, theirs, matched / len(results) if results else 0.0)


def read_skillspan_phrases(path: str | os.PathLike[str]) -> list[str]:
    """Skill and knowledge spans (BIO tags) from a SkillSpan JSON-lines file, in file order."""
    phrases: list[str] = []
    with _require(Path(path)).open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            tokens = record.get("tokens") or []
            for tags in (record.get("tags_skill") or [], record.get("tags_knowledge") or []):
                span: list[str] = []
                for token, tag in zip(tokens, tags, strict=False):
                    if tag == "B" or (tag == "I" and not span):
                        if span:
                            phrases.append(" ".join(span))
                        span = [token]
                    elif tag == "I":
                        span.append(token)
                    elif span:
                        phrases.append(" ".join(span))
                        span = []
                if span:
                    phrases.append(" ".join(span))
    return phrases


def rqf_to_isced(level: int | None) -> int | None:
    """Comparable ISCED 2011 level of an RQF/FHEQ level (secondary school awards are ISCED 3)."""
    if level is None:
        return None
    return {1: 3, 2: 3, 3: 3, 4: 5, 5: 5, 6: 6, 7: 7, 8: 8}.get(level)
