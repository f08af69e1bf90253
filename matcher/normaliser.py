"""Normalise free text to taxonomy concepts.

Three stages, cheapest first:

1. exact lookup of the normalised text among every label (preferred, then alternative), and of
   its stemmed, reordered words ("taking bloods" = "bloods, take");
2. candidate retrieval with one sparse product per batch of queries: TF-IDF over character
   n-grams (robust to typos and word forms) stacked with TF-IDF over stemmed words (robust to
   word order and extra words); only the top ``candidates`` labels of each query are kept
   (``argpartition`` on the sparse row, never a dense scan of all labels);
3. re-ranking of those candidates by a blend of the two cosines and a rapidfuzz token score,
   with a small preference for preferred labels and popular concepts; labels are folded into
   their concept (best label wins) and anything under the cutoff is dropped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz

from . import index_store
from .errors import InvalidInputError
from .features import TfidfFeatures, char_wb_ngrams
from .results import Match, NormaliseResult
from .semantic import Embedder
from .settings import KINDS, NormaliserSettings, check_kind
from .taxonomy import Concept, Taxonomy
from .text import normalise_text, stems, strip_filler

#: Scores by method. Every exact-family score beats every fuzzy score (fuzzy is capped below).
_EXACT, _ALIAS, _STEM, _FUZZY_CAP = 1.0, 0.98, 0.96, 0.95
#: Room within a method's score band for breaking ties between concepts.
_TIE = 0.005


_SEGMENT_SPLIT = re.compile(r"\s*(?:[/|,;()\[\]]|\s-\s|\b(?:cum|from|at)\b)\s*", re.IGNORECASE)


def segments(text: str) -> list[str]:
    """The parts of a text between separators, when there is more than one."""
    parts = [p.strip() for p in _SEGMENT_SPLIT.split(text) if p and p.strip()]
    return parts if len(parts) > 1 else []


_HYPHENATED = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def _stem_key(normalised: str) -> str:
    return " ".join(sorted(stems(normalised)))


def _stem_analyser(normalised: str) -> list[str]:
    return stems(normalised)


@dataclass(slots=True)
class _KindIndex:
    """Everything needed to normalise text of one kind; built once, read-only afterwards."""

    concepts: list[Concept]
    label_text: list[str]  # normalised label strings
    label_concept: np.ndarray  # int32: label -> concept position
    label_preferred: np.ndarray  # bool
    preferred_text: list[str]  # normalised preferred label per concept
    prior: np.ndarray  # float32 per concept
    exact: dict[str, list[int]]  # normalised label -> label positions
    stem_exact: dict[str, list[int]]
    stem_keys: list[str]  # sorted stems of each label (the key of ``stem_exact``)
    char_features: TfidfFeatures | None
    char_matrix: sp.csr_matrix | None  # labels x character n-grams (unit rows)
    word_features: TfidfFeatures | None
    word_matrix: sp.csr_matrix | None  # labels x stemmed words (unit rows)
    retrieval_t: sp.csr_matrix | None  # (kept n-grams + kept words) x labels
    keep_char: np.ndarray | None  # feature columns used for retrieval
    keep_word: np.ndarray | None

    @classmethod
    def build(cls, concepts: Sequence[Concept], settings: NormaliserSettings) -> _KindIndex:
        """Fit the index (scikit-learn fits the vocabularies; queries never need it)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        label_text: list[str] = []
        label_concept: list[int] = []
        label_preferred: list[bool] = []
        exact: dict[str, list[int]] = {}
        stem_exact: dict[str, list[int]] = {}
        preferred_text: list[str] = []
        for position, concept in enumerate(concepts):
            seen: set[str] = set()
            preferred_text.append(normalise_text(concept.label))
            for rank, raw in enumerate(concept.labels):
                # "e-commerce" is also written "ecommerce": index the joined form too.
                variants = [normalise_text(raw)]
                if _HYPHENATED.search(raw):
                    variants.append(normalise_text(_HYPHENATED.sub("", raw)))
                for text in variants:
                    if not text or text in seen:
                        continue
                    seen.add(text)
                    index = len(label_text)
                    label_text.append(text)
                    label_concept.append(position)
                    label_preferred.append(rank == 0)
                    exact.setdefault(text, []).append(index)
                    stem_exact.setdefault(_stem_key(text), []).append(index)
        char_features = word_features = None
        char_matrix = word_matrix = retrieval_t = None
        keep_char = keep_word = None
        if label_text:
            char_vectoriser = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=settings.char_ngram_range,
                sublinear_tf=True,
                max_df=settings.max_df if len(label_text) >= 2_000 else 1.0,
                dtype=np.float32,
            )
            char_matrix = char_vectoriser.fit_transform(label_text).tocsr()
            word_vectoriser = TfidfVectorizer(analyzer=_stem_analyser, sublinear_tf=True, dtype=np.float32)
            word_matrix = word_vectoriser.fit_transform(label_text).tocsr()
            most = max(settings.retrieval_min_postings, int(settings.retrieval_max_df * len(label_text)))
            keep_char = _columns_in_at_most(char_matrix, most)
            keep_word = _columns_in_at_most(word_matrix, most)
            retrieval_t = sp.hstack(
                [char_matrix[:, keep_char], word_matrix[:, keep_word] * settings.word_weight], format="csr"
            ).T.tocsr()
            char_features = TfidfFeatures(
                char_vectoriser.get_feature_names_out().tolist(), char_vectoriser.idf_, _char_analyser(settings)
            )
            word_features = TfidfFeatures(
                word_vectoriser.get_feature_names_out().tolist(), word_vectoriser.idf_, _stem_analyser
            )
        return cls(
            concepts=list(concepts),
            label_text=label_text,
            label_concept=np.asarray(label_concept, dtype=np.int32),
            label_preferred=np.asarray(label_preferred, dtype=bool),
            preferred_text=preferred_text,
            prior=np.asarray([c.prior for c in concepts], dtype=np.float32),
            exact=exact,
            stem_exact=stem_exact,
            stem_keys=[_stem_key(text) for text in label_text],
            char_features=char_features,
            char_matrix=char_matrix,
            word_features=word_features,
            word_matrix=word_matrix,
            retrieval_t=retrieval_t,
            keep_char=keep_char,
            keep_word=keep_word,
        )

    @property
    def size(self) -> int:
        return len(self.label_text)

    # -- persistence (plain arrays; see matcher.index_store) ------------------------------
    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {
            "label_text": index_store.pack_strings(self.label_text),
            "label_concept": self.label_concept,
            "label_preferred": self.label_preferred,
            "preferred_text": index_store.pack_strings(self.preferred_text),
            "stem_keys": index_store.pack_strings(self.stem_keys),
        }
        if self.char_features is not None and self.word_features is not None:
            assert self.char_matrix is not None and self.word_matrix is not None and self.retrieval_t is not None
            assert self.keep_char is not None and self.keep_word is not None
            arrays["char_names"] = index_store.pack_strings(self.char_features.names)
            arrays["char_idf"] = self.char_features.idf
            arrays["word_names"] = index_store.pack_strings(self.word_features.names)
            arrays["word_idf"] = self.word_features.idf
            arrays.update(index_store.pack_csr("char_matrix", self.char_matrix))
            arrays.update(index_store.pack_csr("word_matrix", self.word_matrix))
            arrays.update(index_store.pack_csr("retrieval_t", self.retrieval_t))
            arrays["keep_char"] = self.keep_char
            arrays["keep_word"] = self.keep_word
        return arrays

    @classmethod
    def from_arrays(
        cls, concepts: Sequence[Concept], settings: NormaliserSettings, arrays: Mapping[str, np.ndarray]
    ) -> _KindIndex:
        """The index :meth:`to_arrays` saved; raises ValueError or KeyError when they do not fit."""
        label_text = index_store.unpack_strings(arrays["label_text"])
        stem_keys = index_store.unpack_strings(arrays["stem_keys"])
        preferred_text = index_store.unpack_strings(arrays["preferred_text"])
        label_concept = np.asarray(arrays["label_concept"], dtype=np.int32)
        label_preferred = np.asarray(arrays["label_preferred"], dtype=bool)
        if not (len(label_text) == len(stem_keys) == len(label_concept) == len(label_preferred)):
            raise ValueError("label arrays of different lengths")
        if len(preferred_text) != len(concepts) or (len(label_concept) and int(label_concept.max()) >= len(concepts)):
            raise ValueError("labels do not fit the taxonomy's concepts")
        exact: dict[str, list[int]] = {}
        stem_exact: dict[str, list[int]] = {}
        for position, (text, key) in enumerate(zip(label_text, stem_keys, strict=True)):
            exact.setdefault(text, []).append(position)
            stem_exact.setdefault(key, []).append(position)
        char_features = word_features = None
        char_matrix = word_matrix = retrieval_t = None
        keep_char = keep_word = None
        if label_text:
            char_features = TfidfFeatures(
                index_store.unpack_strings(arrays["char_names"]), arrays["char_idf"], _char_analyser(settings)
            )
            word_features = TfidfFeatures(
                index_store.unpack_strings(arrays["word_names"]), arrays["word_idf"], _stem_analyser
            )
            char_matrix = index_store.unpack_csr("char_matrix", arrays)
            word_matrix = index_store.unpack_csr("word_matrix", arrays)
            retrieval_t = index_store.unpack_csr("retrieval_t", arrays)
            keep_char = np.asarray(arrays["keep_char"])
            keep_word = np.asarray(arrays["keep_word"])
            n_labels = len(label_text)
            if (
                char_matrix.shape != (n_labels, char_features.size)
                or word_matrix.shape != (n_labels, word_features.size)
                or retrieval_t.shape != (len(keep_char) + len(keep_word), n_labels)
            ):
                raise ValueError("matrix shapes do not fit the labels and features")
        return cls(
            concepts=list(concepts),
            label_text=label_text,
            label_concept=label_concept,
            label_preferred=label_preferred,
            preferred_text=preferred_text,
            prior=np.asarray([c.prior for c in concepts], dtype=np.float32),
            exact=exact,
            stem_exact=stem_exact,
            stem_keys=stem_keys,
            char_features=char_features,
            char_matrix=char_matrix,
            word_features=word_features,
            word_matrix=word_matrix,
            retrieval_t=retrieval_t,
            keep_char=keep_char,
            keep_word=keep_word,
        )


def _char_analyser(settings: NormaliserSettings) -> Callable[[str], list[str]]:
    low, high = settings.char_ngram_range
    return partial(char_wb_ngrams, low=low, high=high)


def _index_settings(settings: NormaliserSettings) -> dict[str, object]:
    """The settings a fitted index depends on (the rest apply at query time)."""
    return {
        "char_ngram_range": list(settings.char_ngram_range),
        "max_df": settings.max_df,
        "retrieval_max_df": settings.retrieval_max_df,
        "retrieval_min_postings": settings.retrieval_min_postings,
        "word_weight": settings.word_weight,
    }


def _columns_in_at_most(matrix: sp.csr_matrix, most: int) -> np.ndarray:
    """Columns (features) that occur in at most ``most`` rows (labels)."""
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return np.flatnonzero(document_frequency <= most)


def _top_columns(scores: sp.csr_matrix, k: int) -> list[np.ndarray]:
    """For each row, the columns of its ``k`` largest entries (all of them when fewer)."""
    scores = scores.tocsr()
    out: list[np.ndarray] = []
    for row in range(scores.shape[0]):
        start, end = scores.indptr[row], scores.indptr[row + 1]
        columns = scores.indices[start:end]
        if end - start > k:
            columns = columns[np.argpartition(-scores.data[start:end], k - 1)[:k]]
        out.append(columns)
    return out


def _pairwise_cosine(
    queries: sp.csr_matrix, labels: sp.csr_matrix, rows: np.ndarray, columns: np.ndarray
) -> np.ndarray:
    """Cosine of query ``rows[i]`` with label ``columns[i]`` for every pair (unit-length rows)."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.float32)
    products = queries[rows].multiply(labels[columns])
    return np.asarray(products.sum(axis=1), dtype=np.float32).ravel()


#: Label vectors embedded in this process, by kind and key: a second normaliser of the same small
#: taxonomy (the curated one: a CLI command, a test) does not embed its labels again. Large ones
#: (ESCO) are read from their index folder instead.
_REMEMBERED_VECTORS: dict[tuple[str, str], np.ndarray] = {}
_REMEMBER_AT_MOST = 20_000


class _LabelVectors:
    """A kind's label vectors from the semantic model, and what the dense candidate source needs:
    each concept's centroid (the unit mean of its labels' vectors) and its labels in order."""

    def __init__(self, index: _KindIndex, vectors: np.ndarray) -> None:
        self.labels = np.ascontiguousarray(vectors, dtype=np.float32)
        self._label_concept = index.label_concept
        self._concepts = len(index.concepts)

    @cached_property
    def concept_labels(self) -> np.ndarray:
        """Label columns grouped by concept (``concept_start`` says where each concept's labels begin)."""
        return np.argsort(self._label_concept, kind="stable").astype(np.int64)

    @cached_property
    def concept_start(self) -> np.ndarray:
        counts = np.bincount(self._label_concept, minlength=self._concepts)
        return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

    @cached_property
    def centroids(self) -> np.ndarray:
        """Each concept's unit mean label vector: made on the dense candidates' first use only."""
        label_concept, concepts = self._label_concept, self._concepts
        owners = sp.csr_matrix(
            (np.ones(len(label_concept), dtype=np.float32), (label_concept, np.arange(len(label_concept)))),
            shape=(concepts, len(label_concept)),
        )
        centroids = np.asarray(owners @ self.labels, dtype=np.float32)
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return centroids / norms

    @classmethod
    def obtain(
        cls,
        model: Embedder,
        kind: str,
        index: _KindIndex,
        directory: str | os.PathLike[str] | None,
        key: str,
        progress: Callable[[str, int, int], None] | None,
    ) -> _LabelVectors:
        """Read from ``directory`` when saved there for this index and this very model, else
        embed every label (reporting ``progress``) and save them there."""
        vector_key = index_store.vectors_key(key, model.identity)
        remembered = _REMEMBERED_VECTORS.get((kind, vector_key))
        if remembered is not None:
            if directory is not None and not index_store.vectors_path(directory, kind, vector_key).is_file():
                index_store.save_vectors(directory, kind, vector_key, remembered)
            return cls(index, remembered)
        if directory is not None:
            stored = index_store.load_vectors(directory, kind, vector_key, len(index.label_text))
            if stored is not None:
                return cls(index, stored)
        total = len(index.label_text)
        done = 0

        def step(count: int) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(f"{kind} label vectors", done, total)

        # Rounded as they are saved (float16), so a normaliser that embedded them and one that
        # read them back rank alike.
        vectors = model.embed(index.label_text, progress=step).astype(np.float16).astype(np.float32)
        if directory is not None:
            index_store.save_vectors(directory, kind, vector_key, vectors)
        if total <= _REMEMBER_AT_MOST:
            _REMEMBERED_VECTORS[(kind, vector_key)] = vectors
            while len(_REMEMBERED_VECTORS) > 8:
                _REMEMBERED_VECTORS.pop(next(iter(_REMEMBERED_VECTORS)))
        return cls(index, vectors)

    def dense_candidates(self, queries: np.ndarray, count: int) -> list[np.ndarray]:
        """Per query row, label columns of the ``count`` concepts nearest by centroid: for each,
        its label nearest to the query (words that share no letters with any label still land)."""
        if count <= 0 or not len(self.centroids):
            return [np.zeros(0, dtype=np.int64) for _ in range(len(queries))]
        count = min(count, len(self.centroids))
        scores = queries @ self.centroids.T
        top = np.argpartition(-scores, count - 1, axis=1)[:, :count]
        found: list[np.ndarray] = []
        for row, concepts in enumerate(top):
            columns = [self.concept_labels[self.concept_start[c] : self.concept_start[c + 1]] for c in concepts]
            labels = np.concatenate(columns)
            similarity = self.labels[labels] @ queries[row]
            best: list[int] = []
            start = 0
            for block in columns:
                best.append(int(block[int(np.argmax(similarity[start : start + len(block)]))]))
                start += len(block)
            found.append(np.asarray(best, dtype=np.int64))
        return found


class Normaliser:
    """Maps free text to taxonomy concepts. Fit once (per app, not per request), then query.

    >>> from matcher import Normaliser, Taxonomy
    >>> normaliser = Normaliser(Taxonomy.load_default())
    >>> normaliser.normalise("taking bloods", kind="skill").best.label
    'venepuncture'
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        *,
        settings: NormaliserSettings | None = None,
        kinds: Iterable[str] = KINDS,
        fuzz_scorer: Callable[..., float] = fuzz.token_sort_ratio,
        index_dir: str | os.PathLike[str] | None = None,
        semantic: Embedder | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        """Fit the index of each kind, or, with ``index_dir``, load the one saved there for this
        very taxonomy and settings (fitting and saving it when there is none, or it is stale or
        unreadable). ``index_sources`` then says, per kind, ``"loaded"`` or ``"fitted"``.

        With a ``semantic`` model, candidates are also re-ranked by the cosine of the text's
        vector with each candidate label's (``settings.weight_semantic``); without one the
        normaliser is lexical only (the default: the model measured no better, see README)."""
        self.taxonomy = taxonomy
        self.settings = settings or NormaliserSettings()
        self.fuzz_scorer = fuzz_scorer
        self.semantic = semantic if semantic is not None and self.settings.weight_semantic > 0 else None
        self._indexes: dict[str, _KindIndex] = {}
        self.index_sources: dict[str, str] = {}
        # The content hash names saved files and label vectors: computed only when either is used.
        keyed = index_dir is not None or self.semantic is not None
        keys: dict[str, str] = {}
        for kind in kinds:
            check_kind(kind)
            concepts = taxonomy.concepts(kind)
            key = keys[kind] = index_store.index_key(kind, concepts, _index_settings(self.settings)) if keyed else ""
            if index_dir is None:
                self._indexes[kind] = _KindIndex.build(concepts, self.settings)
                self.index_sources[kind] = "fitted"
                continue
            loaded = index_store.load(index_dir, kind, key, partial(_KindIndex.from_arrays, concepts, self.settings))
            if loaded is not None:
                self._indexes[kind] = loaded
                self.index_sources[kind] = "loaded"
                continue
            built = _KindIndex.build(concepts, self.settings)
            index_store.save(index_dir, kind, key, built.to_arrays())
            self._indexes[kind] = built
            self.index_sources[kind] = "fitted"
        self._vectors: dict[str, _LabelVectors] = {}
        if self.semantic is not None:
            for kind, index in self._indexes.items():
                self._vectors[kind] = _LabelVectors.obtain(self.semantic, kind, index, index_dir, keys[kind], progress)

    def label_count(self, kind: str) -> int:
        """How many distinct normalised labels the index holds for ``kind``."""
        return self._index(kind).size

    def _index(self, kind: str) -> _KindIndex:
        check_kind(kind)
        if kind not in self._indexes:
            raise InvalidInputError(f"this normaliser was not fitted for kind {kind!r}")
        return self._indexes[kind]

    # -- public API -----------------------------------------------------------------------
    def normalise(
        self, text: str, *, kind: str, limit: int | None = None, cutoff: float | None = None
    ) -> NormaliseResult:
        """Best matches for one text; see :meth:`normalise_many`."""
        return self.normalise_many([text], kind=kind, limit=limit, cutoff=cutoff)[0]

    def normalise_many(
        self,
        texts: Sequence[str],
        *,
        kind: str,
        limit: int | None = None,
        cutoff: float | None = None,
    ) -> list[NormaliseResult]:
        """Best matches for each text, in input order; one sparse product per chunk.

        Raises :class:`InvalidInputError` naming every unusable text (not a string, empty,
        longer than ``settings.max_text_length``) before doing any work.
        """
        index = self._index(kind)
        limit = self.settings.limit if limit is None else limit
        cutoff = self.settings.cutoff if cutoff is None else cutoff
        problems = self.check_texts(texts)
        if not isinstance(limit, int) or limit < 1:
            problems.append(f"limit must be a positive integer, got {limit!r}")
        if not isinstance(cutoff, (int, float)) or not 0.0 <= cutoff <= 1.0:
            problems.append(f"cutoff must be between 0 and 1, got {cutoff!r}")
        if problems:
            raise InvalidInputError("cannot normalise", problems)
        results: list[NormaliseResult] = []
        size = self.settings.batch_size
        for start in range(0, len(texts), size):
            chunk = texts[start : start + size]
            results.extend(self._normalise_chunk(index, chunk, kind, limit, float(cutoff)))
        return results

    def check_texts(self, texts: Sequence[object]) -> list[str]:
        """Every problem with ``texts`` as input (empty list when all are usable)."""
        problems: list[str] = []
        if isinstance(texts, str) or not isinstance(texts, Sequence):
            return ["texts must be a list of strings"]
        longest = self.settings.max_text_length
        for position, text in enumerate(texts):
            where = f"text {position + 1}"
            if not isinstance(text, str):
                problems.append(f"{where}: expected a string, got {type(text).__name__}")
            elif not text.strip():
                problems.append(f"{where}: empty text")
            elif len(text) > longest:
                problems.append(f"{where}: {len(text):,} characters; the limit is {longest:,}")
            elif not normalise_text(text):
                problems.append(f"{where}: no letters or digits to match")
        return problems

    # -- internals ------------------------------------------------------------------------
    def _normalise_chunk(
        self, index: _KindIndex, texts: Sequence[str], kind: str, limit: int, cutoff: float
    ) -> list[NormaliseResult]:
        settings = self.settings
        filler = settings.filler(kind)
        # Each text becomes one or more query rows: the whole, then its parts.
        owner: list[int] = []
        whole: list[bool] = []
        normalised: list[str] = []
        for position, text in enumerate(texts):
            pieces = [text]
            if kind in settings.segment_kinds:
                pieces += segments(text)
            for number, piece in enumerate(pieces):
                norm = normalise_text(piece)
                if norm:
                    owner.append(position)
                    whole.append(number == 0)
                    normalised.append(norm)
        queries = [strip_filler(n, filler) for n in normalised]
        bests: list[dict[int, tuple[float, str, int]]] = [{} for _ in texts]
        if index.size and queries:
            assert index.char_features is not None and index.word_features is not None
            assert index.char_matrix is not None and index.word_matrix is not None
            assert index.retrieval_t is not None
            char_queries = index.char_features.transform(queries)
            word_queries = index.word_features.transform(queries)
            retrieval_queries = sp.hstack(
                [char_queries[:, index.keep_char], word_queries[:, index.keep_word] * settings.word_weight],
                format="csr",
            )
            candidates = _top_columns(retrieval_queries @ index.retrieval_t, settings.candidates)
            query_vectors: np.ndarray | None = None
            if self.semantic is not None:
                vectors = self._vectors[kind]
                query_vectors = self.semantic.embed(queries)
                if settings.semantic_candidates:
                    dense = vectors.dense_candidates(query_vectors, settings.semantic_candidates)
                    candidates = [np.union1d(found, extra) for found, extra in zip(candidates, dense, strict=True)]
            rows = np.repeat(np.arange(len(queries)), [len(c) for c in candidates])
            columns = np.concatenate(candidates) if candidates else np.zeros(0, dtype=np.int64)
            char_cos = _pairwise_cosine(char_queries, index.char_matrix, rows, columns)
            word_cos = _pairwise_cosine(word_queries, index.word_matrix, rows, columns)
            offsets = np.concatenate([[0], np.cumsum([len(c) for c in candidates])])
            semantic: np.ndarray | None = None  # the lexical mode adds no semantic term at all
            if self.semantic is not None:
                semantic = np.zeros(len(columns), dtype=np.float32)
            if query_vectors is not None and len(columns):
                # Query by query: a few dozen label rows against one vector, never a copy of the
                # query's vector for every candidate.
                labels = self._vectors[kind].labels
                for row in range(len(queries)):
                    start, end = offsets[row], offsets[row + 1]
                    if end > start:
                        semantic[start:end] = labels[columns[start:end]] @ query_vectors[row]
            for row, query in enumerate(queries):
                penalty = 0.0 if whole[row] else settings.segment_penalty
                best = bests[owner[row]]
                self._exact_hits(index, normalised[row], query, best, penalty)
                pair = slice(offsets[row], offsets[row + 1])
                self._fuzzy_hits(
                    index,
                    query,
                    columns[pair],
                    char_cos[pair],
                    word_cos[pair],
                    None if semantic is None else semantic[pair],
                    best,
                    penalty,
                )
        results: list[NormaliseResult] = []
        for text, best in zip(texts, bests, strict=True):
            ranked = sorted(
                best.items(),
                key=lambda item: (-item[1][0], -float(index.prior[item[0]]), index.concepts[item[0]].id),
            )
            matches = tuple(
                self._match(index, concept, score, method, label)
                for concept, (score, method, label) in ranked[:limit]
                if score >= cutoff
            )
            results.append(NormaliseResult(text, kind, matches))
        return results

    @staticmethod
    def _offer(best: dict[int, tuple[float, str, int]], concept: int, score: float, method: str, label: int) -> None:
        current = best.get(concept)
        if current is None or score > current[0]:
            best[concept] = (score, method, label)

    def _exact_hits(
        self,
        index: _KindIndex,
        normalised: str,
        query: str,
        best: dict[int, tuple[float, str, int]],
        penalty: float,
    ) -> None:
        scorer = self.fuzz_scorer
        # The text as written first; without its filler words ("good", "skills") a shade lower,
        # so "Trainee nursing associate" is never beaten by "nursing associate".
        variants = [(normalised, penalty)]
        if query != normalised:
            variants.append((query, penalty + _TIE))
        for text, lower in variants:
            for label in index.exact.get(text, ()):
                concept = int(index.label_concept[label])
                if index.label_preferred[label]:
                    self._offer(best, concept, _EXACT - lower, "exact", label)
                else:
                    # Shared aliases: the concept whose own name resembles the text first.
                    likeness = scorer(query, index.preferred_text[concept]) / 100.0
                    alias_score = _ALIAS - self.settings.alias_penalty * (1 - likeness) - lower
                    self._offer(best, concept, alias_score, "alias", label)
            if " " not in text:
                # One word: stems collide too easily ("care" and "careful" both stem to "care").
                continue
            for label in index.stem_exact.get(_stem_key(text), ()):
                concept = int(index.label_concept[label])
                likeness = scorer(query, index.preferred_text[concept]) / 100.0
                self._offer(best, concept, _STEM - _TIE * (1 - likeness) - lower, "stem", label)

    def _fuzzy_hits(
        self,
        index: _KindIndex,
        query: str,
        columns: np.ndarray,
        char_cos: np.ndarray,
        word_cos: np.ndarray,
        semantic: np.ndarray | None,
        best: dict[int, tuple[float, str, int]],
        penalty: float,
    ) -> None:
        # In the semantic mode, its own weights for the lexical terms it blends with the cosine.
        settings = self.settings.blend(semantic is not None)
        if len(columns) == 0:
            return
        scorer = self.fuzz_scorer
        fuzzy = np.fromiter((scorer(query, index.label_text[c]) for c in columns), dtype=np.float32, count=len(columns))
        concepts = index.label_concept[columns]
        likeness: dict[int, float] = {}
        for concept in concepts.tolist():
            if concept not in likeness:
                likeness[concept] = scorer(query, index.preferred_text[concept]) / 100.0
        preferred_sim = np.fromiter((likeness[c] for c in concepts.tolist()), dtype=np.float32, count=len(concepts))
        # A weighted average of the similarities (1.0 only for the same text), so that strong
        # but different candidates do not all saturate the fuzzy cap; then small preferences.
        total = settings.weight_preferred + settings.weight_char + settings.weight_word + settings.weight_fuzz
        weighted = (
            settings.weight_preferred * preferred_sim
            + settings.weight_char * char_cos
            + settings.weight_word * word_cos
            + settings.weight_fuzz * fuzzy / 100.0
        )
        if semantic is not None:
            weighted = weighted + settings.weight_semantic * np.clip(semantic, 0.0, 1.0)
            total += settings.weight_semantic
        similarity = weighted / (total or 1.0)
        score = (
            similarity
            + settings.preferred_bonus * index.label_preferred[columns]
            + settings.prior_weight * index.prior[concepts]
        )
        score = np.minimum(score, _FUZZY_CAP) - penalty
        for label, concept, value in zip(columns.tolist(), concepts.tolist(), score.tolist(), strict=True):
            self._offer(best, concept, value, "fuzzy", label)

    def _match(self, index: _KindIndex, concept_pos: int, score: float, method: str, label: int) -> Match:
        concept = index.concepts[concept_pos]
        return Match(
            concept_id=concept.id,
            label=concept.label,
            score=float(score),
            method=method,
            esco_uri=concept.esco_uri,
            soc2020=concept.soc2020,
            matched_label=index.label_text[label],
        )
