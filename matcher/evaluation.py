"""Evaluation sets and accuracy at k, shared by benchmarks/quality.py and the notebooks.

Readers for the public benchmark files in ``../shared/data/eval`` (never shipped with the
project), the two baselines every result is compared against, and acc@k.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils
from sklearn.feature_extraction.text import TfidfVectorizer

from .errors import TaxonomyError
from .taxonomy import Taxonomy

#: A ranker maps query texts to, for each, concept ids best first.
Ranker = Callable[[Sequence[str]], list[list[str]]]
_UNSCOREABLE = {"LABEL NOT PRESENT", "UNDERSPECIFIED", ""}


@dataclass(frozen=True, slots=True)
class EvalSet:
    """Queries with one gold concept id each (resolved against a taxonomy)."""

    name: str
    kind: str
    queries: tuple[str, ...]
    gold: tuple[str, ...]
    #: Rows of the source file whose gold label the taxonomy does not contain.
    unresolved: int = 0


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


def rapidfuzz_baseline(taxonomy: Taxonomy, kind: str, *, k: int = 5, pool: int = 50, workers: int = -1) -> Ranker:
    """rapidfuzz WRatio against every label (full scan), rapidfuzz's default processor."""
    texts, owners = _labels(taxonomy, kind)
    processed = [utils.default_process(t) for t in texts]
    pool = max(1, min(pool, len(texts)))

    def rank(queries: Sequence[str]) -> list[list[str]]:
        out: list[list[str]] = []
        for start in range(0, len(queries), 256):
            chunk = [utils.default_process(q) for q in queries[start : start + 256]]
            scores = process.cdist(chunk, processed, scorer=fuzz.WRatio, dtype=np.uint8, workers=workers)
            for row in scores.astype(np.int16):  # signed: negating uint8 would wrap
                top = np.argpartition(-row, pool - 1)[:pool]
                order = top[np.lexsort((top, -row[top]))]
                out.append(_dedupe_concepts(order.tolist(), owners, k))
        return out

    return rank


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
