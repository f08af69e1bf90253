"""TF-IDF features of queries, from a fitted vocabulary and idf held as plain arrays.

The normaliser fits its vocabularies with scikit-learn's ``TfidfVectorizer`` when it builds an
index, but turns queries into vectors here: a persisted index then needs neither scikit-learn
(about a second to import) nor pickled objects to start. The arithmetic is the vectoriser's own
(``char_wb`` n-grams or a given analyser, sublinear tf, idf, l2 norm); a test checks that both
give the same vectors for every label of the curated taxonomy.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

_WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside word boundaries, padded with a space (scikit-learn's ``char_wb``)."""
    text = _WHITE_SPACES.sub(" ", text.lower())
    grams: list[str] = []
    append = grams.append
    for word in text.split():
        word = " " + word + " "
        length = len(word)
        for n in range(low, high + 1):
            offset = 0
            append(word[offset : offset + n])
            while offset + n < length:
                offset += 1
                append(word[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return grams


class TfidfFeatures:
    """A fitted TF-IDF vocabulary: feature names in column order and their idf weights."""

    __slots__ = ("_vocabulary", "analyser", "idf", "names")

    def __init__(self, names: Sequence[str], idf: np.ndarray, analyser: Callable[[str], list[str]]) -> None:
        self.names: tuple[str, ...] = tuple(names)
        self.idf = np.asarray(idf, dtype=np.float32)
        self.analyser = analyser
        self._vocabulary = {name: column for column, name in enumerate(self.names)}
        if len(self.idf) != len(self.names):
            raise ValueError("one idf weight per feature name is needed")

    @property
    def size(self) -> int:
        return len(self.names)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """One unit-length row per text (all zeros when no feature of it is known)."""
        vocabulary = self._vocabulary
        analyser = self.analyser
        indptr = [0]
        indices: list[int] = []
        counts: list[int] = []
        for text in texts:
            found = Counter(column for gram in analyser(text) if (column := vocabulary.get(gram)) is not None)
            indices.extend(found.keys())
            counts.extend(found.values())
            indptr.append(len(indices))
        data = np.log(np.asarray(counts, dtype=np.float32)) + np.float32(1.0)
        column_array = np.asarray(indices, dtype=np.int32)
        data *= self.idf[column_array]
        pointer = np.asarray(indptr, dtype=np.int64)
        lengths = np.diff(pointer)
        squares = np.zeros(len(texts), dtype=np.float32)
        non_empty = lengths > 0
        if data.size:
            squares[non_empty] = np.add.reduceat(data * data, pointer[:-1][non_empty])
        norms = np.sqrt(squares)
        norms[norms == 0] = 1.0
        data /= np.repeat(norms, lengths)
        matrix = sp.csr_matrix((data, column_array, pointer), shape=(len(texts), self.size))
        matrix.sort_indices()
        return matrix
