"""useit-match engine: plain data in, plain data out (no Flask, no SQLAlchemy)."""

from __future__ import annotations

from .errors import InvalidInputError, MatcherError, TaxonomyError
from .normaliser import Normaliser
from .results import Match, NormaliseResult
from .settings import KINDS, NormaliserSettings
from .taxonomy import Concept, Taxonomy

__all__ = [
    "KINDS",
    "Concept",
    "InvalidInputError",
    "Match",
    "MatcherError",
    "NormaliseResult",
    "Normaliser",
    "NormaliserSettings",
    "Taxonomy",
    "TaxonomyError",
]
