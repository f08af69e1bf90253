"""Training insights: which single credential would make the most residents eligible.

For every open vacancy, the residents the index retrieves are assessed; a resident whose only
unmet essential requirements are credentials on one route (and who has the right to work)
is "one credential away". Counting those per missing credential says which course or exam,
funded for the area, would unlock the most jobs, and at which bands.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .matching import ResidentIndex
from .requirements import ParsedVacancy


@dataclass(slots=True)
class CredentialInsight:
    credential: str
    label: str
    residents: set[int] = field(default_factory=set)
    vacancies: set[str] = field(default_factory=set)
    bands: set[str] = field(default_factory=set)
    weeks: list[int] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "credential": self.credential,
            "label": self.label,
            "residents_unlocked": len(self.residents),
            "vacancies_unlocked": len(self.vacancies),
            "bands": sorted(self.bands, key=_band_order),
            "typical_weeks": _median(self.weeks),
            "typical_cost_gbp": _median(self.costs),
        }


def _band_order(band: str) -> tuple[int, str]:
    digits = "".join(ch for ch in band if ch.isdigit())
    return (int(digits) if digits else 99, band)


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def training_insights(
    index: ResidentIndex, vacancies: Iterable[tuple[str, ParsedVacancy]], *, per_vacancy: int = 200, top: int = 10
) -> list[dict[str, Any]]:
    """The credentials that would make the most residents newly eligible, best first."""
    graph = index.assessor.graph
    found: dict[str, CredentialInsight] = {}
    for vacancy_id, vacancy in vacancies:
        for row in index.candidates(vacancy, per_vacancy):
            assessment = index.assessor.assess(index.evidence[int(row)], vacancy, today=index.today)
            if assessment.eligible_now or assessment.blocked_by:
                continue
            if index.evidence[int(row)].resident.right_to_work != "yes":
                continue
            unmet = [r for r in assessment.requirements if r.requirement.essential and not r.met]
            missing = {r.requirement.credential for r in unmet}
            if not unmet or None in missing or len(missing) != 1:
                continue
            credential = next(iter(missing))
            assert credential is not None
            if credential not in graph:
                continue
            insight = found.setdefault(credential, CredentialInsight(credential, graph[credential].label))
            insight.residents.add(int(row))
            insight.vacancies.add(vacancy_id)
            if vacancy.band:
                insight.bands.add(vacancy.band)
            if assessment.pathway is not None:
                insight.weeks.append(assessment.pathway.total_weeks)
                insight.costs.append(assessment.pathway.total_cost_gbp)
    ranked = sorted(found.values(), key=lambda i: (-len(i.residents), -len(i.vacancies), i.credential))
    return [i.to_dict() for i in ranked[:top]]
