"""The engine objects one app uses: built once per process at app creation, never per request."""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from matcher import KINDS, Normaliser, NormaliseResult, ParsedVacancy, Taxonomy, TaxonomyError, Vacancy
from matcher.assessment import Assessor
from matcher.qualifications import QualificationRecogniser
from matcher.semantic import SemanticModel
from vacancies.criteria import CriteriaParser

from .config import default_instance_dir


def semantic_model_path() -> Path:
    """``$USEIT_SEMANTIC_MODEL``, else ``instance/semantic-model.npz`` (``useit semantic train`` writes it)."""
    override = os.environ.get("USEIT_SEMANTIC_MODEL")
    return Path(override) if override else default_instance_dir() / "semantic-model.npz"


def load_semantic_model() -> SemanticModel:
    """The semantic model, checked; a missing or damaged file is the user's to fix (TaxonomyError)."""
    path = semantic_model_path()
    if not path.is_file():
        raise TaxonomyError(
            f"no semantic model at {path}",
            [f"build it with `useit semantic train --out {path}`, or use --mode lexical"],
        )
    try:
        return SemanticModel.load(path)
    except (OSError, ValueError, KeyError) as exc:
        raise TaxonomyError(f"cannot read the semantic model {path}: {exc}") from exc


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
        semantic: SemanticModel | None = None,
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
