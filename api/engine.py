"""The engine objects one app uses: built once per process at app creation, never per request."""

from __future__ import annotations

import json
import os
import sys
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from matcher import KINDS, Normaliser, NormaliseResult, ParsedVacancy, Taxonomy, TaxonomyError, Vacancy
from matcher.assessment import Assessor
from matcher.encoder import Encoder
from matcher.qualifications import QualificationRecogniser
from matcher.semantic import Embedder, SemanticModel
from vacancies.criteria import CriteriaParser

from .config import default_instance_dir


def semantic_model_path() -> Path | None:
    """``$USEIT_SEMANTIC_MODEL`` when set: a word-vector model ``useit semantic train`` wrote, used
    instead of the default encoder (measured in the README; kept for comparison)."""
    override = os.environ.get("USEIT_SEMANTIC_MODEL")
    return Path(override) if override else None


def semantic_mode() -> bool:
    """Whether the normaliser runs in its semantic mode: ``$USEIT_NORMALISER_MODE`` (semantic, the
    default, or lexical). Anything else is the user's to fix (TaxonomyError, exit status 2)."""
    mode = os.environ.get("USEIT_NORMALISER_MODE") or "semantic"
    if mode not in ("lexical", "semantic"):
        raise TaxonomyError(f"USEIT_NORMALISER_MODE must be lexical or semantic, got {mode!r}")
    return mode == "semantic"


def encoder_dir() -> Path:
    """``$USEIT_ENCODER_DIR``, else ``share/useit-match/encoder`` inside the Python environment:
    ``make install`` builds it there (``useit semantic build``), so it goes with the install."""
    override = os.environ.get("USEIT_ENCODER_DIR")
    return Path(override) if override else Path(sys.prefix) / "share" / "useit-match" / "encoder"


def encoder_pin_path() -> Path:
    """The pin of the encoder's source package (version and SHA-256s), a fixture."""
    return Path(__file__).resolve().parent.parent / "fixtures" / "encoder.json"


@lru_cache(maxsize=4)
def _encoder(folder: str) -> Encoder:
    return Encoder.load(folder)


def load_semantic_model(*, threads: int | None = None) -> Embedder:
    """The semantic channel's model, checked: the encoder (default), or the word-vector model
    ``$USEIT_SEMANTIC_MODEL`` names. A missing or damaged one is the user's to fix (TaxonomyError),
    never a silent fall back to the lexical mode."""
    path = semantic_model_path()
    if path is not None:
        if not path.is_file():
            raise TaxonomyError(
                f"no semantic model at {path} (USEIT_SEMANTIC_MODEL)",
                [f"build it with `useit semantic train --out {path}`, or unset USEIT_SEMANTIC_MODEL"],
            )
        try:
            return SemanticModel.load(path)
        except (OSError, ValueError, KeyError) as exc:
            raise TaxonomyError(f"cannot read the semantic model {path}: {exc}") from exc
    folder = encoder_dir()
    if not (folder / "manifest.json").is_file():
        raise TaxonomyError(
            f"no sentence encoder at {folder}",
            [
                "build it with `useit semantic build` (make install does), or use the lexical mode"
                " (--mode lexical, USEIT_NORMALISER_MODE=lexical)"
            ],
        )
    try:
        # A worker shares one encoder per process; a one-off build (threads) gets its own.
        return _encoder(str(folder)) if threads is None else Encoder.load(folder, threads=threads)
    except (OSError, ValueError) as exc:
        raise TaxonomyError(
            f"cannot read the sentence encoder in {folder}: {exc}", ["build it again with `useit semantic build`"]
        ) from exc


def index_dir_for(taxonomy_dir: str | os.PathLike[str] | None) -> Path:
    """Where the fitted normaliser index of a taxonomy is kept: beside an imported taxonomy, and
    in the instance folder for the curated default (files are named by the taxonomy's content
    hash, so an edited taxonomy is fitted again)."""
    return Path(taxonomy_dir) if taxonomy_dir else default_instance_dir()


@dataclass(slots=True)
class Engine:
    taxonomy: Taxonomy
    normaliser: Normaliser
    qualifications: QualificationRecogniser
    _assessor: Assessor | None = field(default=None, repr=False)
    _parser: CriteriaParser | None = field(default=None, repr=False)
    _parsed_cache: OrderedDict[str, ParsedVacancy] = field(default_factory=OrderedDict, repr=False)

    @classmethod
    def build(
        cls,
        taxonomy: Taxonomy,
        *,
        kinds: Iterable[str] = KINDS,
        index_dir: str | os.PathLike[str] | None = None,
        semantic: Embedder | None = None,
    ) -> Engine:
        """The normaliser for ``kinds`` (the CLI asks only for the kind it needs), loaded from
        ``index_dir`` when an index of this taxonomy is saved there, else fitted (and saved)."""
        normaliser = Normaliser(taxonomy, kinds=kinds, index_dir=index_dir, semantic=semantic)
        return cls(taxonomy, normaliser, QualificationRecogniser(normaliser))

    @classmethod
    def load(cls, taxonomy_dir: str | None = None, *, kinds: Iterable[str] = KINDS, semantic: bool = False) -> Engine:
        """The engine of a taxonomy directory (default: the curated one), its index loaded from
        disk; with ``semantic``, the semantic model too (:func:`semantic_model_path`)."""
        taxonomy = Taxonomy.load_dir(taxonomy_dir) if taxonomy_dir else Taxonomy.load_default()
        model = load_semantic_model() if semantic else None
        return cls.build(taxonomy, kinds=kinds, index_dir=index_dir_for(taxonomy_dir), semantic=model)

    def describe_mode(self) -> dict[str, str]:
        """The normaliser's mode for /healthz: semantic (and with which model) or lexical."""
        model = self.normaliser.semantic
        if model is None:
            return {"mode": "lexical"}
        name = "all-MiniLM-L6-v2 (ONNX)" if isinstance(model, Encoder) else "word vectors (useit semantic train)"
        return {"mode": "semantic", "model": name, "sha256": model.identity}

    @property
    def assessor(self) -> Assessor:
        if self._assessor is None:
            self._assessor = Assessor.load_default(self.taxonomy, self.normaliser)
        return self._assessor

    @property
    def parser(self) -> CriteriaParser:
        if self._parser is None:
            self._parser = CriteriaParser(self.normaliser, known_credentials=frozenset(self.assessor.graph.credentials))
        return self._parser

    def parse_vacancy(self, vacancy: Vacancy) -> ParsedVacancy:
        """Parse criteria, remembering the last few hundred adverts (advisers assess many
        residents against the same one)."""
        key = json.dumps(
            [vacancy.id, vacancy.title, vacancy.band, vacancy.employer, vacancy.essential, vacancy.desirable],
            sort_keys=True,
            default=str,
        )
        cache = self._parsed_cache
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        parsed = self.parser.parse_vacancy(vacancy)
        cache[key] = parsed
        if len(cache) > 512:
            cache.popitem(last=False)
        return parsed

    def normalise(
        self, texts: list[str], *, kind: str, country: str | None = None, limit: int = 5, cutoff: float | None = None
    ) -> list[NormaliseResult]:
        """Normalise results of the contract; qualifications carry profession, regulator, level, country."""
        if kind == "qualification":
            return self.qualifications.normalise_with_attributes(texts, country, limit=limit, cutoff=cutoff)
        return self.normaliser.normalise_many(texts, kind=kind, limit=limit, cutoff=cutoff)
