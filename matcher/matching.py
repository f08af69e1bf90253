"""Matching at scale: residents for a vacancy, vacancies for a resident.

Cost per request must grow far slower than the population. Each resident is a sparse row
over features (credentials held, professions of recognised qualifications, skill, occupation
and qualification concepts); each vacancy a weighted vector over the same features (what its
requirements ask for, and the professions whose route reaches its credentials). One sparse
product ranks everyone; only the top candidates get the exact :meth:`Assessor.assess`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp

from .assessment import Assessment, Assessor, ResidentEvidence
from .credentials import expression_ids
from .profile import Resident
from .requirements import ParsedVacancy, Requirement
from .taxonomy import Taxonomy
from .workplaces import Workplaces


@dataclass(frozen=True, slots=True)
class MatchSettings:
    #: Candidates assessed exactly per request, as a multiple of the results asked for
    #: (never fewer than ``min_candidates``).
    candidate_factor: int = 4
    min_candidates: int = 100
    #: Weight of being on the route to a credential the vacancy requires (able to enter it,
    #: or holding a step along it), relative to the fit weights, which the vector mirrors.
    route_weight: float = 0.35


def _resident_features(
    evidence: ResidentEvidence, taxonomy: Taxonomy, full_years: float, workplaces: Workplaces
) -> dict[str, float]:
    """Feature -> value (1 for what is held; years-scaled, like fit, for work experience and the
    settings it was in; half for skills a job implies)."""
    features: dict[str, float] = {f"concept:{c}": 0.5 for c in evidence.implied_skills}
    features.update({f"cred:{c}": 1.0 for c in evidence.held})
    features.update({f"prof:{p}": 1.0 for p in evidence.professions})
    features.update({f"concept:{c}": 1.0 for c in evidence.skill_concepts})
    features.update({f"concept:{q.concept_id}": 1.0 for _, q in evidence.qualifications if q is not None})
    for ev, years, _ in evidence.experience:
        if not ev.concept_id:
            continue
        value = max(0.2, min(1.0, years / full_years))
        occupation = taxonomy[ev.concept_id]
        settings = [f"setting:{s}" for s in workplaces.settings_of(occupation)]
        for feature in (f"concept:{ev.concept_id}", f"family:{occupation.attributes.get('family')}", *settings):
            features[feature] = max(features.get(feature, 0.0), value)
    return features


@dataclass(frozen=True, slots=True)
class Ranked:
    """One result of a match: the assessment and who or what it is about."""

    index: int
    assessment: Assessment

    def sort_key(self) -> tuple[int, float, float]:
        """Eligible now by fit; then open but for the right to work; then the nearest by weeks
        of pathway (no route last); those who may not work in the UK after everyone else."""
        a = self.assessment
        if a.eligible_now:
            return (0, 0.0, -a.fit)
        if a.subject_to:
            return (1, 0.0, -a.fit)
        weeks = a.weeks_to_ready
        return (2 if not a.blocked_by else 3, float("inf") if weeks is None else float(weeks), -a.fit)


class _FeatureSpace:
    def __init__(self) -> None:
        self.columns: dict[str, int] = {}

    def column(self, feature: str) -> int:
        if feature not in self.columns:
            self.columns[feature] = len(self.columns)
        return self.columns[feature]


class ResidentIndex:
    """Residents' evidence and their sparse feature matrix; build once, query many times."""

    def __init__(
        self,
        assessor: Assessor,
        residents: Sequence[Resident],
        *,
        today: date | None = None,
        settings: MatchSettings | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.assessor = assessor
        self.today = today or date.today()
        self.settings = settings or MatchSettings()
        self.space = _FeatureSpace()
        self.residents: list[Resident] = []
        self.evidence: list[ResidentEvidence] = []
        #: False for rows whose resident was changed or removed since (tombstones).
        self.alive = np.zeros(0, dtype=bool)
        #: Resident id -> its live row (residents without an id cannot be updated).
        self.row_of: dict[str, int] = {}
        self.matrix = sp.csr_matrix((0, 1), dtype=np.float32)
        self._append(list(residents), progress=progress)

    def _append(self, residents: list[Resident], *, progress: Callable[[int], None] | None = None) -> None:
        evidence = self.assessor.evidence_many(residents, today=self.today, progress=progress)
        start = len(self.residents)
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        full_years = self.assessor.settings.experience_full_years
        for offset, item in enumerate(evidence):
            for feature, value in _resident_features(
                item, self.assessor.taxonomy, full_years, self.assessor.workplaces
            ).items():
                rows.append(offset)
                cols.append(self.space.column(feature))
                values.append(value)
        width = max(1, len(self.space.columns))
        block = sp.csr_matrix(
            (np.asarray(values, dtype=np.float32), (rows, cols)), shape=(len(residents), width), dtype=np.float32
        )
        existing = self.matrix
        existing.resize((existing.shape[0], width))  # new features: new, empty columns
        self.matrix = sp.vstack([existing, block], format="csr", dtype=np.float32)
        self.residents.extend(residents)
        self.evidence.extend(evidence)
        self.alive = np.concatenate([self.alive, np.ones(len(residents), dtype=bool)])
        for offset, resident in enumerate(residents):
            if resident.id is not None:
                self.row_of[resident.id] = start + offset

    def update(self, changed: Sequence[Resident] = (), removed: Iterable[str] = ()) -> None:
        """Apply changes without rebuilding: changed and removed residents' rows become
        tombstones (never candidates again) and the changed ones are appended afresh."""
        for resident_id in [*removed, *(r.id for r in changed if r.id is not None)]:
            row = self.row_of.pop(resident_id, None)
            if row is not None:
                self.alive[row] = False
                self.matrix.data[self.matrix.indptr[row] : self.matrix.indptr[row + 1]] = 0.0
        if changed:
            self._append(list(changed))

    @property
    def live(self) -> int:
        """How many residents the index holds (tombstones excluded)."""
        return int(self.alive.sum())

    def vacancy_vector(self, vacancy: ParsedVacancy) -> np.ndarray:
        """Weights over resident features that mirror the fit formula (dense: features are few).

        Requirements everyone meets at application (on-the-job training, employer checks) carry
        no weight: they cannot tell residents apart.
        """
        fit = self.assessor.settings
        weights = np.zeros(self.matrix.shape[1], dtype=np.float32)

        def add(feature: str, weight: float) -> None:
            column = self.space.columns.get(feature)
            if column is not None:
                weights[column] += weight

        def telling(r: Requirement) -> bool:
            # Only criteria judged from the profile tell residents apart: qualities, conditions
            # and checks are for the interview or after an offer.
            return not r.on_the_job and r.understood and r.assessed == "profile" and r.kind not in ("check", "language")

        essential = [r for r in vacancy.requirements if r.essential and telling(r)]
        desirable = [r for r in vacancy.requirements if not r.essential and telling(r)]
        graph = self.assessor.graph
        for group, share in ((essential, fit.essential), (desirable, fit.desirable)):
            for requirement in group:
                weight = share / len(group)
                if requirement.credential:
                    add(f"cred:{requirement.credential}", weight)
                    if requirement.essential and requirement.credential in graph:
                        self._route(requirement.credential, add)
                for setting in requirement.settings:
                    add(f"setting:{setting}", weight / len(requirement.settings))
                if requirement.concept_id:
                    add(f"concept:{requirement.concept_id}", weight)
                    concept = self.assessor.taxonomy.get(requirement.concept_id)
                    family = concept.attributes.get("family") if concept is not None else None
                    if requirement.kind == "experience" and family:
                        add(f"family:{family}", weight)
        if vacancy.occupation_id:
            add(f"concept:{vacancy.occupation_id}", fit.experience)
        skills = [r for r in vacancy.requirements if r.kind == "skill" and r.concept_id]
        for requirement in skills:
            add(f"concept:{requirement.concept_id}", fit.skills / len(skills))
        return weights

    def _route(self, credential_id: str, add: Callable[[str, float], None]) -> None:
        """Residents on the route to a credential: who can enter it, who holds steps along it."""
        graph = self.assessor.graph
        credential = graph[credential_id]
        weight = self.settings.route_weight
        for name in (credential.id, *(credential.extra.get("variants") or ())):
            entry = graph[name].entry if name in graph else None
            wanted = (entry or {}).get("profession")
            for profession in [wanted] if isinstance(wanted, str) else wanted or []:
                add(f"prof:{profession}", weight)
        steps: set[str] = set()
        frontier = expression_ids(credential.requires)
        while frontier:  # every step below it, not only the direct ones (PLAB 1 under GMC)
            step = frontier.pop()
            if step in steps or step not in graph:
                continue
            steps.add(step)
            frontier |= expression_ids(graph[step].requires)
        # Each step held brings a resident nearer: it must outweigh every desirable criterion
        # together, or retrieval would prefer a well-skilled newcomer to someone one exam away.
        for step in steps:
            add(f"cred:{step}", weight)

    def candidates(self, vacancy: ParsedVacancy, count: int) -> np.ndarray:
        """Row numbers of the ``count`` residents whose features best cover the vacancy."""
        scores = self.matrix @ self.vacancy_vector(vacancy)
        scores[~self.alive] = -np.inf
        count = min(count, self.live)
        if count <= 0:
            return np.zeros(0, dtype=np.int64)
        top = np.argpartition(-scores, count - 1)[:count]
        return top[np.argsort(-scores[top], kind="stable")]

    def match_vacancy(self, vacancy: ParsedVacancy, *, limit: int = 20) -> list[Ranked]:
        """Eligible residents first by fit, then the nearest by pathway weeks (those blocked last)."""
        count = max(self.settings.min_candidates, limit * self.settings.candidate_factor)
        ranked = [
            Ranked(int(row), self.assessor.assess(self.evidence[row], vacancy, today=self.today))
            for row in self.candidates(vacancy, count)
        ]
        ranked.sort(key=Ranked.sort_key)
        return ranked[:limit]

    def pipeline(
        self, vacancy: ParsedVacancy, *, horizons: Sequence[int] = (13, 26, 52), count: int = 500
    ) -> dict[str, int]:
        """How many residents are eligible now, and how many more will be within each horizon
        (weeks) by their pathway: the recruiter's pipeline. Counts only, of the ``count``
        residents retrieval puts nearest the vacancy."""
        counts = {
            "eligible_now": 0,
            "subject_to_right_to_work": 0,
            **{f"within_{weeks}_weeks": 0 for weeks in horizons},
        }
        for row in self.candidates(vacancy, count):
            assessment = self.assessor.assess(self.evidence[row], vacancy, today=self.today)
            if assessment.eligible_now:
                counts["eligible_now"] += 1
                continue
            if assessment.subject_to:  # open once the right to work is shown (as the list says)
                counts["subject_to_right_to_work"] += 1
                continue
            for weeks in horizons:
                if reachable_within(assessment, weeks):
                    counts[f"within_{weeks}_weeks"] += 1
        return counts

    def assess_all(self, vacancy: ParsedVacancy, *, limit: int = 20) -> list[Ranked]:
        """The exhaustive reference: assess every resident (for tests and benchmarks)."""
        ranked = [
            Ranked(row, self.assessor.assess(ev, vacancy, today=self.today))
            for row, ev in enumerate(self.evidence)
            if self.alive[row]
        ]
        ranked.sort(key=Ranked.sort_key)
        return ranked[:limit]


@dataclass(frozen=True, slots=True)
class ResidentMatches:
    open_now: list[Ranked]
    reachable: list[Ranked]
    #: Without the right to work: jobs whose every other gap the routes close, to train towards
    #: while waiting (never shown as open).
    when_allowed: list[Ranked] = field(default_factory=list)


def is_open_now(assessment: Assessment) -> bool:
    """Eligible now, or eligible once the right to work is shown (it is not known to be missing)."""
    return assessment.eligible_now or bool(assessment.subject_to)


def reachable_within(assessment: Assessment, weeks: int) -> bool:
    """Not open now, but every unmet essential criterion is closed by a pathway of at most
    ``weeks`` (the one readiness rule for pages, API and CLI)."""
    ready = assessment.weeks_to_ready
    return not is_open_now(assessment) and ready is not None and ready <= weeks


def match_resident(
    assessor: Assessor,
    resident: Resident | ResidentEvidence,
    vacancies: Iterable[ParsedVacancy],
    *,
    reachable_within_weeks: int = 52,
    today: date | None = None,
) -> ResidentMatches:
    """Vacancies open to a resident now, and those reachable within N weeks (with pathways)."""
    today = today or date.today()
    evidence = resident if isinstance(resident, ResidentEvidence) else assessor.evidence(resident, today=today)
    open_now: list[Ranked] = []
    reachable: list[Ranked] = []
    when_allowed: list[Ranked] = []
    for position, vacancy in enumerate(vacancies):
        assessment = assessor.assess(evidence, vacancy, today=today)
        if is_open_now(assessment):
            open_now.append(Ranked(position, assessment))
        elif reachable_within(assessment, reachable_within_weeks):
            reachable.append(Ranked(position, assessment))
        elif assessment.blocked_by and all(g.closable for g in assessment.gaps):
            weeks = assessment.pathway.total_weeks if assessment.pathway is not None else 0
            if weeks <= reachable_within_weeks:
                when_allowed.append(Ranked(position, assessment))
    open_now.sort(key=Ranked.sort_key)
    reachable.sort(key=Ranked.sort_key)
    when_allowed.sort(
        key=lambda r: (r.assessment.pathway.total_weeks if r.assessment.pathway else 0, -r.assessment.fit)
    )
    return ResidentMatches(open_now, reachable, when_allowed)
