"""The fitted normaliser index on disk, so a process starts by reading it rather than fitting it.

One ``.npz`` file (numpy arrays only, read with ``allow_pickle=False``) per kind, named after a
key that covers everything the index depends on: the concepts' ids, labels and priors in
order, the settings that shape the index, the code that builds it (its source text) and the
stemmer's version. A changed taxonomy, setting or release therefore finds no file of its key
and fits again; a file that cannot be read, or whose arrays do not fit the taxonomy, is fitted
again too (and replaced). Files are written to a temporary name and renamed, so a reader never
sees half a file, and several workers may race to write the same one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np
import scipy.sparse as sp

from .taxonomy import Concept

#: Bumped whenever the arrays' meaning changes in a way the source hash would not show.
FORMAT = 1
_PREFIX = "normaliser-index"
_SEPARATOR = "\n"
_log = logging.getLogger(__name__)
T = TypeVar("T")


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """The source of the modules that build and read an index, and the stemmer's version."""
    import snowballstemmer

    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in ("normaliser.py", "features.py", "text.py", "index_store.py"):
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # installed without sources: the release stands for the code
            from importlib.metadata import PackageNotFoundError, version

            try:
                digest.update(version("useit-match").encode())
            except PackageNotFoundError:
                digest.update(b"matcher")
            break
    digest.update(str(getattr(snowballstemmer, "__version__", "")).encode())
    return digest.hexdigest()


def index_key(kind: str, concepts: Sequence[Concept], settings: Mapping[str, object]) -> str:
    """The content hash an index of ``concepts`` is saved under."""
    digest = hashlib.sha256()
    digest.update(json.dumps([FORMAT, kind, dict(settings), _code_fingerprint()], sort_keys=True).encode())
    for concept in concepts:
        digest.update(json.dumps([concept.id, concept.labels, concept.prior], ensure_ascii=False).encode())
    return digest.hexdigest()


def path_for(directory: str | os.PathLike[str], kind: str, key: str) -> Path:
    return Path(directory) / f"{_PREFIX}-{kind}-{key[:24]}.npz"


def load(
    directory: str | os.PathLike[str], kind: str, key: str, build: Callable[[Mapping[str, np.ndarray]], T]
) -> T | None:
    """The index saved for ``key``, made by ``build`` from its arrays; None when there is none
    or it cannot be used (a warning says why, and the caller fits again)."""
    return _read(path_for(directory, kind, key), key, build, "normaliser index", "fitting")


def _read(path: Path, key: str, build: Callable[[Mapping[str, np.ndarray]], T], what: str, redo: str) -> T | None:
    """``build`` applied to the arrays saved at ``path`` under ``key``; None when there is no file,
    or it is unreadable, of another format or key, or ``build`` refuses it (a warning says why)."""
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        if int(arrays.pop("format")) != FORMAT or unpack_strings(arrays.pop("key")) != [key]:
            raise ValueError("saved for another taxonomy, model or version")
        return build(arrays)
    except Exception as exc:  # any unreadable or inconsistent file: do it again, never fail
        _log.warning("%s %s is unusable (%s: %s); %s again", what, path.name, type(exc).__name__, exc, redo)
        return None


def write_npz(target: Path, contents: Mapping[str, np.ndarray]) -> Path:
    """Write ``contents`` to ``target`` atomically: a temporary file of its own in the same folder,
    renamed into place, removed if anything fails. Readable by all, as a taxonomy file is: nothing
    in these files identifies anyone."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            np.savez(handle, **contents)  # type: ignore[arg-type]  # numpy types **kwds as allow_pickle too
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def save(directory: str | os.PathLike[str], kind: str, key: str, arrays: Mapping[str, np.ndarray]) -> Path | None:
    """Write the arrays atomically under ``key`` and remove this kind's older files; None (and a
    warning) when the directory cannot be written: the index then lives in memory only."""
    return _replace(
        path_for(directory, kind, key), f"{_PREFIX}-{kind}-*.npz", key, arrays, "the normaliser index", "fitted"
    )


def _replace(
    target: Path, siblings: str, key: str, arrays: Mapping[str, np.ndarray], what: str, redone: str
) -> Path | None:
    """Write ``arrays`` (with the format and ``key``) to ``target`` atomically, then remove the other
    files matching ``siblings`` in its folder; None, and a warning, when the folder is read-only."""
    try:
        write_npz(target, {"format": np.asarray(FORMAT), "key": pack_strings([key]), **arrays})
        for old in target.parent.glob(siblings):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError as exc:
        _log.warning("cannot save %s in %s (%s); it will be %s again next time", what, target.parent, exc, redone)
        return None
    return target


# -- plain-array encodings ---------------------------------------------------------------------
def pack_strings(items: Sequence[str]) -> np.ndarray:
    """Strings (without newlines) as one UTF-8 byte array; a list of fixed-width strings would
    take the longest one's width for every item."""
    if any(_SEPARATOR in item for item in items):
        raise ValueError("strings to pack must not contain newlines")
    encoded = (str(len(items)) + _SEPARATOR + _SEPARATOR.join(items)).encode("utf-8")
    return np.frombuffer(encoded, dtype=np.uint8)


def unpack_strings(array: np.ndarray) -> list[str]:
    count, _, body = np.asarray(array, dtype=np.uint8).tobytes().decode("utf-8").partition(_SEPARATOR)
    items = body.split(_SEPARATOR) if int(count) else []
    if len(items) != int(count):
        raise ValueError("packed strings are truncated")
    return items


def pack_csr(name: str, matrix: sp.csr_matrix) -> dict[str, np.ndarray]:
    return {
        f"{name}.data": matrix.data,
        f"{name}.indices": matrix.indices,
        f"{name}.indptr": matrix.indptr,
        f"{name}.shape": np.asarray(matrix.shape, dtype=np.int64),
    }


def unpack_csr(name: str, arrays: Mapping[str, np.ndarray]) -> sp.csr_matrix:
    shape = tuple(int(n) for n in arrays[f"{name}.shape"])
    matrix = sp.csr_matrix((arrays[f"{name}.data"], arrays[f"{name}.indices"], arrays[f"{name}.indptr"]), shape=shape)
    matrix.check_format(full_check=False)
    return matrix


# -- label vectors of a semantic model -----------------------------------------------------------
_VECTORS = "label-vectors"


def vectors_key(index_key: str, model_identity: str) -> str:
    """The key label vectors are saved under: the index's key and the model's own checksum."""
    return hashlib.sha256(f"{FORMAT}\n{index_key}\n{model_identity}".encode()).hexdigest()


def vectors_path(directory: str | os.PathLike[str], kind: str, key: str) -> Path:
    return Path(directory) / f"{_VECTORS}-{kind}-{key[:24]}.npz"


def load_vectors(directory: str | os.PathLike[str], kind: str, key: str, rows: int) -> np.ndarray | None:
    """The label vectors saved for ``key`` (float32, ``rows`` of them); None when there are none
    or they cannot be used (a warning says why, and the caller embeds again)."""

    def build(arrays: Mapping[str, np.ndarray]) -> np.ndarray:
        vectors = np.asarray(arrays["vectors"], dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != rows:
            raise ValueError(f"{vectors.shape} vectors for {rows} labels")
        return vectors

    return _read(vectors_path(directory, kind, key), key, build, "label vectors", "embedding")


def save_vectors(directory: str | os.PathLike[str], kind: str, key: str, vectors: np.ndarray) -> Path | None:
    """Write label vectors (as float16: half the size, the same ranking to three decimals) under
    ``key`` and remove this kind's older ones; None (and a warning) when the folder is read-only."""
    arrays = {"vectors": vectors.astype(np.float16)}
    return _replace(
        vectors_path(directory, kind, key), f"{_VECTORS}-{kind}-*.npz", key, arrays, "label vectors", "embedded"
    )
