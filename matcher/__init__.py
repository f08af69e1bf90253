"""useit-match engine: plain data in, plain data out (no Flask, no SQLAlchemy).

Normalise text to the taxonomy (:class:`Normaliser`, :class:`QualificationRecogniser`),
assess residents against vacancies (:class:`Assessor`), plan pathways (:func:`plan_pathway`)
and match at scale (:class:`ResidentIndex`, :func:`match_resident`).
"""

from __future__ import annotations

from .assessment import Assessment, Assessor, FitSettings
from .credentials import CredentialGraph
from .errors import InvalidInputError, MatcherError, TaxonomyError
from .matching import MatchSettings, ResidentIndex, match_resident
from .normaliser import Normaliser
from .pathway import Pathway, PlanContext, plan_pathway
from .profile import Resident, Vacancy
from .qualifications import QualificationRecogniser
from .requirements import ParsedVacancy, Requirement
from .results import Match, NormaliseResult
from .settings import KINDS, NormaliserSettings
from .taxonomy import Concept, Taxonomy

__all__ = [
    "KINDS",
    "Assessment",
    "Assessor",
    "Concept",
    "CredentialGraph",
    "FitSettings",
    "InvalidInputError",
    "Match",
    "MatchSettings",
    "MatcherError",
    "NormaliseResult",
    "Normaliser",
    "NormaliserSettings",
    "ParsedVacancy",
    "Pathway",
    "PlanContext",
    "QualificationRecogniser",
    "Requirement",
    "Resident",
    "ResidentIndex",
    "Taxonomy",
    "TaxonomyError",
    "Vacancy",
    "match_resident",
    "plan_pathway",
]
