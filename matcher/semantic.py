"""A small semantic model for the normaliser: static word vectors trained here, from open data.

What it is: latent semantic analysis over *concepts*. Every concept of ESCO (skills and
occupations: preferred, alternative and hidden labels, optionally the description), every
SOC 2020 unit group (the titles its coding index files under it) and every concept of the
curated taxonomy (with its everyday phrasings) is one document; a stemmed word's vector is its
row of the truncated SVD of the TF-IDF word-by-document matrix. Words used for the same concept
("obs", "observations", "vital signs") end up near each other even when they share no letters.

The vectors are then fine-tuned contrastively (:func:`fine_tune`, InfoNCE with in-batch
negatives) on 152,000 label pairs: ESCO alternative and hidden labels with their preferred label,
SOC 2020 coding-index titles with their unit group's name, curated everyday phrasings with their
concept's label.

A text's vector is the idf-weighted sum of its words' vectors, unit length (zero when no word is
known). The normaliser compares a query's vector with each candidate label's and blends that
cosine into its re-ranking score (opt-in: measured, it does not beat the lexical normaliser; see
the README). No torch and no download: numpy at query time, and a model of about 3 MB built by
``useit semantic train`` in a few minutes on one core.

Files are ``.npz`` arrays (no pickle): the vocabulary, idf weights and float16 vectors, and a
SHA-256 of the arrays is checked when loading.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import scipy.sparse as sp

from .index_store import pack_strings, unpack_strings, write_npz
from .taxonomy import Taxonomy
from .text import normalise_text, stems

FORMAT = 1


class Embedder(Protocol):
    """What the normaliser needs of a semantic model: unit vectors for texts, and a checksum
    that names the model (label vectors saved for one model are never read for another)."""

    @property
    def identity(self) -> str: ...

    def embed(self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None) -> np.ndarray: ...


def _words(text: str) -> list[str]:
    return stems(normalise_text(text))


class SemanticModel:
    """Stemmed-word vectors with idf weights; :meth:`embed` turns texts into unit vectors."""

    def __init__(self, words: Sequence[str], idf: np.ndarray, vectors: np.ndarray, *, info: dict | None = None) -> None:
        if len(words) != len(idf) or len(words) != vectors.shape[0]:
            raise ValueError("one idf weight and one vector per word are needed")
        self.words = list(words)
        self.idf = np.asarray(idf, dtype=np.float32)
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.info = dict(info or {})
        self._column = {word: column for column, word in enumerate(self.words)}

    @property
    def dimensions(self) -> int:
        return int(self.vectors.shape[1])

    def weights(self, texts: Sequence[str], analyse: Callable[[str], list[str]] = _words) -> sp.csr_matrix:
        """Texts by words: idf per known word occurrence (the bag the vector is summed from)."""
        column = self._column
        indptr = [0]
        indices: list[int] = []
        for text in texts:
            indices.extend(c for w in analyse(text) if (c := column.get(w)) is not None)
            indptr.append(len(indices))
        cols = np.asarray(indices, dtype=np.int32)
        data = self.idf[cols]
        matrix = sp.csr_matrix((data, cols, np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(self.words)))
        matrix.sum_duplicates()
        return matrix

    def embed(
        self,
        texts: Sequence[str],
        analyse: Callable[[str], list[str]] = _words,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Unit vectors (float32, one row per text; all zeros when no word of it is known)."""
        vectors = _unit(np.asarray(self.weights(texts, analyse) @ self.vectors, dtype=np.float32))
        if progress is not None:
            progress(len(texts))
        return vectors

    @property
    def identity(self) -> str:
        """The SHA-256 of the model's arrays."""
        return _checksum(self.words, self.idf, self.vectors.astype(np.float16))

    # -- files ----------------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        vectors = self.vectors.astype(np.float16)
        contents = {
            "format": np.asarray(FORMAT),
            "words": pack_strings(self.words),
            "idf": self.idf,
            "vectors": vectors,
            "info": pack_strings([json.dumps(self.info, sort_keys=True)]),
            "sha256": pack_strings([_checksum(self.words, self.idf, vectors)]),
        }
        return write_npz(Path(path), contents)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SemanticModel:
        """The model saved at ``path``; ValueError when it is not one (unreadable, truncated, of
        another format) or its checksum fails; OSError when it cannot be opened."""
        with Path(path).open("rb") as handle:
            try:
                with np.load(handle, allow_pickle=False) as stored:
                    if int(stored["format"]) != FORMAT:
                        raise ValueError(f"semantic model format {int(stored['format'])}, expected {FORMAT}")
                    words = unpack_strings(stored["words"])
                    idf, vectors = stored["idf"], stored["vectors"]
                    [checksum] = unpack_strings(stored["sha256"])
                    [info] = unpack_strings(stored["info"])
            # A plain .npy file, or entries of the wrong shape, raise TypeError.
            except (ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
                raise ValueError(f"{path}: not a usable semantic model ({exc})") from exc
        if _checksum(words, idf, vectors) != checksum:
            raise ValueError(f"{path}: the semantic model's SHA-256 does not match its contents")
        return cls(words, idf, vectors, info=json.loads(info))


def _checksum(words: Sequence[str], idf: np.ndarray, vectors: np.ndarray) -> str:
    digest = hashlib.sha256("\n".join(words).encode())
    digest.update(np.ascontiguousarray(idf, dtype=np.float32).tobytes())
    digest.update(np.ascontiguousarray(vectors, dtype=np.float16).tobytes())
    return digest.hexdigest()


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


# -- training ---------------------------------------------------------------------------------------
def esco_documents(esco_dir: str | os.PathLike[str], *, descriptions: bool = False) -> Iterable[str]:
    """One document per released ESCO skill and occupation: its labels (and its description)."""
    for name in ("skills_en.csv", "occupations_en.csv"):
        with (Path(esco_dir) / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("status", "released") != "released":
                    continue
                parts = [row["preferredLabel"], row.get("altLabels") or "", row.get("hiddenLabels") or ""]
                if descriptions:
                    parts.append(row.get("description") or "")
                yield "\n".join(parts)


def soc_documents(coding_index: str | os.PathLike[str]) -> Iterable[str]:
    """One document per SOC 2020 unit group: every title its coding index files under it."""
    groups: dict[str, list[str]] = {}
    with Path(coding_index).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code, title = (row.get("soc_2020") or "").strip(), (row.get("indexocc") or "").strip()
            if code and title:
                groups.setdefault(code, []).append(title + " " + (row.get("add") or ""))
    return ("\n".join(titles) for titles in groups.values())


def taxonomy_documents(taxonomy: Taxonomy) -> Iterable[str]:
    """One document per concept of a taxonomy: all its labels."""
    for concept in taxonomy:
        yield "\n".join(concept.labels)


def train(documents: Iterable[str], *, dimensions: int = 160, min_documents: int = 2, seed: int = 7) -> SemanticModel:
    """Fit word vectors by truncated SVD of the TF-IDF word-by-document matrix (deterministic)."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = list(documents)
    vectoriser = TfidfVectorizer(analyzer=_words, min_df=min_documents, sublinear_tf=True, dtype=np.float32)
    matrix = vectoriser.fit_transform(docs)  # documents x words
    svd = TruncatedSVD(n_components=dimensions, algorithm="randomized", n_iter=7, random_state=seed)
    svd.fit(matrix)
    # A word's vector: its loadings on the components, scaled by their singular values.
    vectors = (svd.components_.T * svd.singular_values_).astype(np.float32)
    words = vectoriser.get_feature_names_out().tolist()
    info = {"documents": len(docs), "words": len(words), "dimensions": dimensions, "min_documents": min_documents}
    return SemanticModel(words, vectoriser.idf_.astype(np.float32), vectors, info=info)


def esco_pairs(esco_dir: str | os.PathLike[str]) -> Iterable[tuple[str, str]]:
    """(alternative or hidden label, preferred label) of every released ESCO skill and occupation."""
    for name in ("skills_en.csv", "occupations_en.csv"):
        with (Path(esco_dir) / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("status", "released") != "released":
                    continue
                preferred = row["preferredLabel"]
                for cell in (row.get("altLabels") or "", row.get("hiddenLabels") or ""):
                    for label in cell.replace(" | ", "\n").split("\n"):
                        if label.strip() and label.strip() != preferred:
                            yield label.strip(), preferred


def soc_pairs(coding_index: str | os.PathLike[str], structure: str | os.PathLike[str]) -> Iterable[tuple[str, str]]:
    """(coding index title, its SOC 2020 unit group's name)."""
    names: dict[str, str] = {}
    with Path(structure).open(encoding="utf-8-sig", newline="") as handle:
        for cells in csv.reader(handle):
            code = next((c.strip() for c in cells[:4] if c.strip().isdigit() and len(c.strip()) == 4), None)
            if code and len(cells) > 4 and cells[4].strip():
                names.setdefault(code, cells[4].strip())
    with Path(coding_index).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code, title = (row.get("soc_2020") or "").strip(), (row.get("indexocc") or "").strip()
            if code in names and title:
                yield title, names[code]


def taxonomy_pairs(taxonomy: Taxonomy) -> Iterable[tuple[str, str]]:
    """(alternative label, preferred label) of every concept of a taxonomy."""
    for concept in taxonomy:
        for label in concept.alt_labels:
            yield label, concept.label


def fine_tune(
    model: SemanticModel,
    pairs: Sequence[tuple[str, str]],
    *,
    epochs: int = 3,
    batch: int = 256,
    rate: float = 0.05,
    temperature: float = 0.05,
    seed: int = 7,
    progress: Callable[[int], None] | None = None,
) -> SemanticModel:
    """Contrastive fine-tuning of the word vectors (InfoNCE, in-batch negatives, both directions):
    a label's vector is pulled towards its own concept's preferred label and away from the other
    concepts' in the batch. Plain numpy with Adam; deterministic for a seed."""
    rng = np.random.default_rng(seed)
    left = model.weights([a for a, _ in pairs])
    right = model.weights([b for _, b in pairs])
    keep = np.flatnonzero((left.getnnz(axis=1) > 0) & (right.getnnz(axis=1) > 0))
    left, right = left[keep], right[keep]
    vectors = model.vectors.astype(np.float32).copy()
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True).mean() or 1.0
    first = np.zeros_like(vectors)
    second = np.zeros_like(vectors)
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(keep))
        for start in range(0, len(order), batch):
            chosen = order[start : start + batch]
            if len(chosen) < 2:
                continue
            wa, wb = left[chosen], right[chosen]
            a, b = np.asarray(wa @ vectors), np.asarray(wb @ vectors)
            na = np.linalg.norm(a, axis=1, keepdims=True) + 1e-8
            nb = np.linalg.norm(b, axis=1, keepdims=True) + 1e-8
            ua, ub = a / na, b / nb
            logits = ua @ ub.T / temperature
            grad = np.zeros_like(logits)
            for matrix, transpose in ((logits, False), (logits.T, True)):
                shifted = np.exp(matrix - matrix.max(axis=1, keepdims=True))
                soft = shifted / shifted.sum(axis=1, keepdims=True)
                soft[np.arange(len(chosen)), np.arange(len(chosen))] -= 1.0
                grad += soft.T if transpose else soft
            grad /= 2 * len(chosen) * temperature
            d_ua, d_ub = grad @ ub, grad.T @ ua
            d_a = (d_ua - ua * np.sum(d_ua * ua, axis=1, keepdims=True)) / na
            d_b = (d_ub - ub * np.sum(d_ub * ub, axis=1, keepdims=True)) / nb
            gradient = np.asarray(wa.T @ d_a + wb.T @ d_b, dtype=np.float32)
            step += 1
            first = 0.9 * first + 0.1 * gradient
            second = 0.999 * second + 0.001 * gradient * gradient
            vectors -= rate * (first / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
            if progress is not None:
                progress(len(chosen))
    info = dict(model.info, fine_tuned_pairs=len(keep), epochs=epochs, temperature=temperature)
    return SemanticModel(model.words, model.idf, vectors, info=info)


def build_from_shared_data(
    data_dir: str | os.PathLike[str],
    curated: Taxonomy,
    *,
    dimensions: int = 160,
    epochs: int = 6,
    rate: float = 0.01,
    seed: int = 7,
    progress: Callable[[str, int, int], None] | None = None,
) -> SemanticModel:
    """The whole recipe, from the shared data folder (``esco/`` and ``soc2020/``) and the curated
    taxonomy: LSA over concepts, then contrastive fine-tuning on label pairs. ``progress`` is
    called with (stage, done, total)."""
    data = Path(data_dir)
    esco, soc = data / "esco", data / "soc2020"
    index, structure = soc / "soc2020_coding_index_2020-02.csv", soc / "soc2020_structure_2020-02.csv"
    for needed in (esco / "skills_en.csv", esco / "occupations_en.csv", index, structure):
        if not needed.is_file():
            raise FileNotFoundError(2, "training data not found", str(needed))
    documents = [
        *esco_documents(esco, descriptions=True),
        *soc_documents(index),
        *taxonomy_documents(curated),
    ]
    if progress is not None:
        progress("word vectors (LSA)", 0, 1)
    model = train(documents, dimensions=dimensions, seed=seed)
    if progress is not None:
        progress("word vectors (LSA)", 1, 1)
    pairs = [*esco_pairs(esco), *soc_pairs(index, structure), *taxonomy_pairs(curated)]
    done = 0

    def tuned(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress("contrastive fine-tuning", done, len(pairs) * epochs)

    tuned_model = fine_tune(model, pairs, epochs=epochs, rate=rate, seed=seed, progress=tuned)
    tuned_model.info.update({"data": ["ESCO v1.1.1 labels and descriptions", "SOC 2020 coding index", "curated"]})
    return tuned_model
