"""Assess a resident against a vacancy: requirements met or unmet with evidence, fit, pathway.

:class:`Assessor` holds the fitted normaliser, the credential graph and the bridge roles;
build it once and call :meth:`Assessor.assess` per pair. Resident evidence (normalised skills,
recognised qualifications, English verdicts, credentials held) is computed once per resident
by :meth:`Assessor.evidence` and reused across vacancies.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from .countries import load_countries
from .credentials import CredentialGraph
from .english import EnglishContext
from .errors import TaxonomyError
from .normaliser import Normaliser
from .occupation_skills import OccupationSkills
from .pathway import Pathway, PlanContext, effective_held, plan_pathway
from .profile import OET_GRADES, Resident
from .qualifications import QualificationRecogniser, RecognisedQualification
from .requirements import ParsedVacancy, Requirement
from .taxonomy import Concept, Taxonomy, default_fixtures_dir
from .text import normalise_text
from .workplaces import Workplaces

RIGHT_TO_WORK = "right-to-work"


@dataclass(frozen=True, slots=True)
class FitSettings:
    """How fit (0-1) is composed; essential coverage dominates by construction."""

    essential: float = 0.70
    desirable: float = 0.15
    experience: float = 0.10
    skills: float = 0.05
    #: Years of directly relevant experience at which the experience part is full.
    experience_full_years: float = 5.0
    #: Score a resident's phrase needs for its concept to count as evidence.
    evidence_cutoff: float = 0.6
    #: Evidence score given to a skill implied by a job or a qualification (weaker than the
    #: resident's own words, which keep their normalisation score).
    implied_score: float = 0.5


@dataclass(frozen=True, slots=True)
class Evidence:
    text: str
    concept_id: str | None
    score: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "concept_id": self.concept_id,
            "score": None if self.score is None else round(self.score, 4),
        }


@dataclass(frozen=True, slots=True)
class RequirementResult:
    requirement: Requirement
    met: bool
    evidence: Evidence | None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        record = self.requirement.to_dict()
        record["met"] = self.met
        record["evidence"] = self.evidence.to_dict() if self.evidence else None
        if self.note:
            record["note"] = self.note
        return record


@dataclass(frozen=True, slots=True)
class Gap:
    """An unmet essential criterion judged from the profile, and what closes it."""

    text: str
    kind: str
    #: True when the pathway's steps close it (or it already counts once equivalences apply).
    closable: bool
    #: The pathway steps that close it (empty when none does).
    steps: tuple[str, ...]
    #: Plain words: "on your route below", or why no course closes it.
    reason: str
    #: The credential whose route closes it (one of the alternatives a criterion names, or a
    #: registration that shows a qualification); empty when none does.
    closed_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "closable": self.closable,
            "closed_by": list(self.closed_by),
            "steps": list(self.steps),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    eligible_now: bool
    fit: float
    blocked_by: tuple[str, ...]
    requirements: tuple[RequirementResult, ...]
    pathway: Pathway | None
    bridge_roles: tuple[Mapping[str, Any], ...]
    explanation: str
    resident_id: str | None = None
    vacancy_id: str | None = None
    #: Every unmet essential criterion judged from the profile, with what closes it.
    gaps: tuple[Gap, ...] = ()
    #: Not blocked, and every gap is closed by the pathway (true when eligible now).
    reachable: bool = False
    #: Open questions that alone stand between the resident and "eligible now" (right to work
    #: not yet confirmed): the job is shown as open, with what to show.
    subject_to: tuple[str, ...] = ()

    @property
    def weeks_to_ready(self) -> int | None:
        """Weeks until every profile criterion is met: 0 when nothing is left to train for,
        the pathway's critical path when it closes every gap, None when no route closes them."""
        if not self.reachable:
            return None
        return self.pathway.total_weeks if self.pathway is not None else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "eligible_now": self.eligible_now,
            "fit": round(self.fit, 4),
            "blocked_by": list(self.blocked_by),
            "requirements": [r.to_dict() for r in self.requirements],
            "pathway": self.pathway.to_dict() if self.pathway else None,
            "bridge_roles": [dict(b) for b in self.bridge_roles],
            "explanation": self.explanation,
            "eligible_subject_to": list(self.subject_to),
            "reachable": self.reachable,
            "weeks_to_ready": self.weeks_to_ready,
            "gaps": [g.to_dict() for g in self.gaps],
        }


class ImpliedSkills(Mapping[str, Evidence]):
    """Skill id -> evidence, for the core skills of a resident's jobs and qualifications that the
    resident did not write. Each source holds the occupation's shared skill set, so a hundred
    thousand residents do not each carry a dict of twenty-five evidence records."""

    __slots__ = ("_sources", "_written")

    def __init__(
        self, sources: tuple[tuple[str, tuple[str, ...], frozenset[str], float], ...], written: Mapping[str, Any]
    ) -> None:
        self._sources = sources
        self._written = written

    def __getitem__(self, skill: str) -> Evidence:
        if skill not in self._written:
            for said, _, skills, score in self._sources:
                if skill in skills:
                    return Evidence(said, skill, score)
        raise KeyError(skill)

    def __contains__(self, skill: object) -> bool:
        return skill not in self._written and any(skill in skills for _, _, skills, _ in self._sources)

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for _, ordered, _, _ in self._sources:
            for skill in ordered:
                if skill not in seen and skill not in self._written:
                    seen.add(skill)
                    yield skill

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True, slots=True)
class ResidentEvidence:
    """Everything about a resident the assessment needs, normalised once."""

    resident: Resident
    skills: tuple[Evidence, ...]
    experience: tuple[tuple[Evidence, float, str | None], ...]  # (occupation evidence, years, country)
    qualifications: tuple[tuple[str, RecognisedQualification | None], ...]
    held: Mapping[str, Evidence]  # credential id -> how it is held
    professions: frozenset[str]
    statuses: frozenset[str]
    skill_concepts: Mapping[str, Evidence] = field(default_factory=dict)
    #: Core skills of the resident's jobs and recognised qualifications ("from 5 years as Staff
    #: Nurse"): weaker evidence, used where the resident did not write the skill.
    implied_skills: Mapping[str, Evidence] = field(default_factory=dict)
    #: Per English requirement not met: what fell short, in plain words, and other routes that
    #: may be open ("your writing 6.5 is below the 7.0 the GMC asks for").
    english_notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def plan_context(self) -> PlanContext:
        """What the pathway planner needs about this resident, qualification levels included
        (a resident with none at level 1 or above is suggested Functional Skills Level 1 first)."""
        recognised = [q for _, q in self.qualifications if q is not None]
        return PlanContext(
            held=frozenset(self.held),
            professions=self.professions,
            statuses=self.statuses,
            qualifications=frozenset(q.concept_id for q in recognised),
            qualification_levels=frozenset(q.level for q in recognised if q.level is not None),
            step_notes=self.english_notes,
        )


class _Prepared:
    """One of a vacancy's requirements, labelled, with what is the same for every resident."""

    __slots__ = ("_meets", "nhs_only", "requirement", "role_names", "settings")

    def __init__(
        self,
        requirement: Requirement,
        *,
        nhs_only: bool,
        settings: frozenset[str],
        role_names: tuple[str, ...] = (),
    ) -> None:
        self.requirement = requirement
        self.nhs_only = nhs_only
        self.settings = settings
        #: Folded names of the roles an experience criterion asks for ("carer", "care assistant").
        self.role_names = role_names
        #: Occupation id -> whether work in it meets the requirement.
        self._meets: dict[str, bool] = {}

    def title_names_role(self, title: str) -> bool:
        """A job whose own title names a role asked for ("Volunteer carer" for "experience as a
        carer, paid or voluntary"), whatever occupation the whole title reads as."""
        if not self.role_names:
            return False
        padded = _padded(title)
        return any(f" {name} " in padded for name in self.role_names)

    def job_meets(self, concept: Concept, judge: Callable[[Requirement, Concept], bool]) -> bool:
        known = self._meets.get(concept.id)
        if known is None:
            known = self._meets[concept.id] = judge(self.requirement, concept)
        return known


class Assessor:
    def __init__(
        self,
        taxonomy: Taxonomy,
        normaliser: Normaliser,
        graph: CredentialGraph,
        *,
        bridges: Sequence[Mapping[str, Any]] = (),
        general_english: Mapping[str, Any] | None = None,
        settings: FitSettings | None = None,
        workplaces: Workplaces | None = None,
        occupation_skills: OccupationSkills | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.normaliser = normaliser
        self.recogniser = QualificationRecogniser(normaliser)
        self.graph = graph
        self.bridges = list(bridges)
        self.general_english = dict(general_english or {})
        self.settings = settings or FitSettings()
        self._experience_credentials = [c for c in graph if c.extra.get("met_by_experience")]
        self._equivalent_credentials = [c for c in graph if isinstance(c.extra.get("equivalents"), Mapping)]
        self.workplaces = workplaces or Workplaces.load_default(taxonomy)
        self.occupation_skills = occupation_skills or OccupationSkills.load_default(taxonomy)
        # A vacancy's requirements are labelled once (by the vacancy object's identity, which
        # the entry keeps alive), and the same qualification closed once, for every resident.
        self._prepared: dict[int, tuple[ParsedVacancy, tuple[_Prepared, ...]]] = {}
        self._closing: dict[tuple[str | None, int | None, bool], list[str]] = {}
        self._countries = load_countries()
        self._english_verdicts: dict[tuple[Any, ...], tuple[Evidence | None, tuple[str, ...]]] = {}
        self._counts_as: dict[str, Evidence] = {}
        self._sets: dict[frozenset[str], frozenset[str]] = {}
        #: The longest time in a UK job any English route asks for: beyond it, more years of a job
        #: that is not professional practice change no verdict (and are never quoted).
        self._uk_years_cap = max(
            (
                float(route.get("uk_role_years", 1))
                for rules in graph.english_rules.values()
                for route in rules.other_evidence
            ),
            default=1.0,
        )
        #: Each regulator's list of majority English-speaking countries: name -> country codes.
        self._english_countries = {
            name: frozenset(c.code for c in self._countries if name in c.majority_english_speaking_for)
            for name in self._countries.english_lists
        }

    @classmethod
    def load_default(cls, taxonomy: Taxonomy | None = None, normaliser: Normaliser | None = None) -> Assessor:
        taxonomy = taxonomy or Taxonomy.load_default()
        normaliser = normaliser or Normaliser(taxonomy)
        fixtures = default_fixtures_dir()
        try:
            bridges = json.loads((fixtures / "bridges.json").read_text(encoding="utf-8"))["bridges"]
            rules = json.loads((fixtures / "criteria_rules.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError) as exc:
            raise TaxonomyError(f"cannot read assessment fixtures in {fixtures}: {exc}") from exc
        return cls(
            taxonomy,
            normaliser,
            CredentialGraph.load(Path(fixtures) / "credentials.json"),
            bridges=bridges,
            general_english=rules.get("general_english"),
        )

    # -- resident evidence ------------------------------------------------------------------
    def evidence(self, resident: Resident, *, today: date) -> ResidentEvidence:
        return self.evidence_many([resident], today=today)[0]

    def evidence_many(
        self, residents: Sequence[Resident], *, today: date, progress: Callable[[int], None] | None = None
    ) -> list[ResidentEvidence]:
        """Evidence for many residents; each distinct phrase is normalised once for the lot."""
        skill_texts = sorted({t for r in residents for t in r.skills})
        titles = sorted({e.title for r in residents for e in r.experience})
        quals = sorted({(q.title, q.country or "") for r in residents for q in r.qualifications})
        skills_by_text = (
            dict(zip(skill_texts, self.normaliser.normalise_many(skill_texts, kind="skill", limit=1), strict=True))
            if skill_texts
            else {}
        )
        titles_by_text = (
            dict(zip(titles, self.normaliser.normalise_many(titles, kind="occupation", limit=1), strict=True))
            if titles
            else {}
        )
        recognised = (
            self.recogniser.recognise_many([t for t, _ in quals], [c or None for _, c in quals], limit=1)
            if quals
            else []
        )
        quals_by_key = dict(zip(quals, recognised, strict=True))
        out: list[ResidentEvidence] = []
        for position, resident in enumerate(residents):
            out.append(self._evidence(resident, skills_by_text, titles_by_text, quals_by_key, today))
            if progress is not None and (position + 1) % 1_000 == 0:
                progress(1_000)
        if progress is not None and len(residents) % 1_000:
            progress(len(residents) % 1_000)
        return out

    def _evidence(
        self,
        resident: Resident,
        skills_by_text: Mapping[str, Any],
        titles_by_text: Mapping[str, Any],
        quals_by_key: Mapping[tuple[str, str], list[RecognisedQualification]],
        today: date,
    ) -> ResidentEvidence:
        cutoff = self.settings.evidence_cutoff
        skills = tuple(
            Evidence(text, best.concept_id if best else None, best.score if best else None)
            for text in resident.skills
            for best in [skills_by_text[text].best]
        )
        experience = tuple(
            (Evidence(e.title, best.concept_id if best else None, best.score if best else None), e.years, e.country)
            for e in resident.experience
            for best in [titles_by_text[e.title].best]
        )
        qualifications = tuple(
            (q.title, found[0] if found else None)
            for q in resident.qualifications
            for found in [quals_by_key[(q.title, q.country or "")]]
        )
        held: dict[str, Evidence] = {c: Evidence(f"holds {c}", c, None) for c in resident.credentials}
        professions: set[str] = set()
        for title, qual in qualifications:
            if qual is None:
                continue
            if qual.profession:
                professions.add(qual.profession)
            for satisfied in qual.satisfies:
                held.setdefault(satisfied, Evidence(title, qual.concept_id, qual.confidence))
        english_notes = self._english(resident, qualifications, experience, held, today)
        if resident.right_to_work == "yes":
            held[RIGHT_TO_WORK] = Evidence("right to work: yes", RIGHT_TO_WORK, None)
        for credential in self._experience_credentials:
            rule = credential.extra["met_by_experience"]
            if credential.id in held:
                continue
            years = sum(
                y
                for ev, y, _ in experience
                if ev.concept_id and self.taxonomy[ev.concept_id].attributes.get("profession") == rule.get("profession")
            )
            if years > 0 and years >= float(rule.get("min_years", 0)):
                held[credential.id] = Evidence(
                    f"{_years_of_work(years)} as a {rule.get('profession')}", credential.id, None
                )
        self._equivalents(held, qualifications)
        recognised_ids = [q.concept_id for _, q in qualifications if q is not None]
        for credential_id in effective_held(self.graph, held, recognised_ids) - set(held):
            counts = self._counts_as.get(credential_id)
            if counts is None:
                said = f"counts as {self.graph[credential_id].label}"
                counts = self._counts_as[credential_id] = Evidence(said, credential_id, None)
            held[credential_id] = counts  # one shared record: residents hold the same few
        statuses = {resident.immigration_status} if resident.immigration_status else set()
        skill_concepts = {e.concept_id: e for e in skills if e.concept_id and (e.score or 0) >= cutoff}
        implied = self._implied_skills(resident, experience, qualifications, skill_concepts)
        return ResidentEvidence(
            resident=resident,
            skills=skills,
            experience=experience,
            qualifications=qualifications,
            held=held,
            professions=self._shared_set(professions),
            statuses=self._shared_set(statuses),
            skill_concepts=skill_concepts,
            implied_skills=implied,
            english_notes=english_notes,
        )

    def _equivalents(
        self, held: dict[str, Evidence], qualifications: Sequence[tuple[str, RecognisedQualification | None]]
    ) -> None:
        """Credentials shown by what is equivalent (``equivalents`` in the credential graph): a
        regulator's English level counts as level 2 English, a health degree as level 2 maths, so a
        doctor with an MBBS and IELTS 7.0 is not sent to Functional Skills."""
        for credential in self._equivalent_credentials:
            rule = credential.extra["equivalents"]
            if credential.id in held:
                continue
            shown = next((held[c] for c in rule.get("credentials") or () if c in held), None)
            if shown is not None:
                held[credential.id] = Evidence(f"{shown.text} (counts as {credential.label})", credential.id, None)
                continue
            level = rule.get("qualification_level_at_least")
            professions = set(rule.get("professions") or ())
            for title, qual in qualifications:
                if (
                    qual is not None
                    and level is not None
                    and qual.level is not None
                    and qual.level >= int(level)
                    and (not professions or qual.profession in professions)
                ):
                    held[credential.id] = Evidence(
                        f"{title} (counts as {credential.label})", credential.id, qual.confidence
                    )
                    break

    def _implied_skills(
        self,
        resident: Resident,
        experience: Sequence[tuple[Evidence, float, str | None]],
        qualifications: Sequence[tuple[str, RecognisedQualification | None]],
        written: Mapping[str, Evidence],
    ) -> ImpliedSkills:
        """Core skills of each job (longest first) and of each recognised professional qualification."""
        cutoff = self.settings.evidence_cutoff
        score = self.settings.implied_score
        sources: list[tuple[str, tuple[str, ...], frozenset[str], float]] = []
        jobs = sorted(
            zip(experience, resident.experience, strict=True), key=lambda item: -item[0][1]
        )  # the longest job explains a skill best
        for (job_ev, years, _), job in jobs:
            concept = self.taxonomy.get(job_ev.concept_id) if job_ev.concept_id else None
            if concept is None or (job_ev.score or 0) < cutoff:
                continue
            said = f"from {_years(years)} as {job.title}" if years else f"from your work as {job.title}"
            skills = self.occupation_skills.for_occupation(concept)
            if skills:
                sources.append((said, skills, self.occupation_skills.skill_set(skills, occupation=concept), score))
        for title, qual in qualifications:
            if qual is None or not qual.profession:
                continue
            skills = self.occupation_skills.for_profession(qual.profession)
            if skills:
                shared = self.occupation_skills.skill_set(skills, profession=qual.profession)
                sources.append((f"from your {title}", skills, shared, score))
        return ImpliedSkills(tuple(sources), written)

    def _english_job(
        self, ev: Evidence, years: float, country: str | None
    ) -> tuple[str | None, str | None, float, str | None] | None:
        concept = self.taxonomy.get(ev.concept_id) if ev.concept_id else None
        profession = concept.attributes.get("profession") if concept is not None else None
        if profession is None and country != "GB":
            return None
        family = concept.attributes.get("family") if concept is not None else None
        if profession is None:
            years = min(years, self._uk_years_cap)  # residents share far more verdicts
        return (profession, family, years, country)

    def _english(
        self,
        resident: Resident,
        qualifications: Sequence[tuple[str, RecognisedQualification | None]],
        experience: Sequence[tuple[Evidence, float, str | None]],
        held: dict[str, Evidence],
        today: date,
    ) -> dict[str, tuple[str, ...]]:
        """Each regulator's English requirement judged on the resident's tests and other evidence
        (matcher.english); met ones are held, unmet ones give plain notes for the pathway step."""
        context = EnglishContext(
            qualifications=tuple(
                (qual.profession, held_qual.country or qual.country, held_qual.taught_in_english, held_qual.year)
                for (_, qual), held_qual in zip(qualifications, resident.qualifications, strict=True)
                if qual is not None and qual.profession
            ),
            this_year=today.year,
            # Only jobs an English route can turn on: professional practice (abroad or here) and
            # UK work (a UK employer's reference); the rest never change a verdict.
            experience=tuple(sorted(filter(None, (self._english_job(*job) for job in experience)), key=repr)),
            stated=resident.english_evidence,
            english_countries=self._english_countries,
        )
        notes: dict[str, tuple[str, ...]] = {}
        # Residents share few combinations of tests, qualifications and work that English turns
        # on (most have no test): judge each combination once, and share what it gives (the
        # evidence held, the plain notes) between the residents who have it.
        tests = tuple((t.test, tuple(sorted(t.components.items())), t.taken) for t in resident.language_tests)
        shared = (tests, context.qualifications, context.experience, context.stated, today)
        for requirement_id in self.graph.english:
            key = (requirement_id, shared)
            judged = self._english_verdicts.get(key)
            if judged is None:
                verdict = self.graph.evaluate_english(requirement_id, resident.language_tests, today, context)
                judged = self._english_outcome(requirement_id, verdict, bool(resident.language_tests))
                if len(self._english_verdicts) >= 50_000:
                    self._english_verdicts.clear()
                self._english_verdicts[key] = judged
            evidence, found = judged
            if evidence is not None:
                held.setdefault(requirement_id, evidence)
            elif found:
                notes[requirement_id] = found
        return notes

    def _shared_set(self, items: set[str]) -> frozenset[str]:
        """One frozenset per distinct set of professions or statuses, shared by the residents
        who have it (most have none or one)."""
        key = frozenset(items)
        return self._sets.setdefault(key, key)

    def _english_outcome(
        self, requirement_id: str, verdict: Any, has_tests: bool
    ) -> tuple[Evidence | None, tuple[str, ...]]:
        """What one English verdict gives a resident: the evidence held, or the plain notes."""
        if verdict.met:
            said = _describe_test(verdict.evidence) if verdict.evidence is not None else str(verdict.route)
            return Evidence(said, requirement_id, None), ()
        found = [n[0].upper() + n[1:] + "." for n in verdict.plain if has_tests]
        who = self.graph.english_rules[requirement_id].who
        found += [f"Another route may be open to you: {p}. Ask {who} (and your employer)." for p in verdict.possible]
        return None, tuple(dict.fromkeys(found))

    # -- assessment -------------------------------------------------------------------------
    def assess(
        self, resident: Resident | ResidentEvidence, vacancy: ParsedVacancy, *, today: date | None = None
    ) -> Assessment:
        """Judge a resident against a vacancy as a fair shortlister would: right to work and
        every essential criterion judged from the profile decide "eligible now"; criteria
        judged at interview or after an offer are listed with the resident's evidence, never
        held against them; every unmet essential has a step in the pathway or a plain reason."""
        today = today or date.today()
        evidence = resident if isinstance(resident, ResidentEvidence) else self.evidence(resident, today=today)
        results = tuple(self._check(p, evidence, today) for p in self._prepare(vacancy))
        rtw = evidence.resident.right_to_work
        blocked = (RIGHT_TO_WORK,) if rtw == "no" else ()
        deciding = [r for r in results if r.requirement.decides_eligibility]
        meets_all = all(r.met for r in deciding)
        eligible = meets_all and rtw == "yes"
        subject_to = (RIGHT_TO_WORK,) if meets_all and rtw == "unknown" else ()
        context = evidence.plan_context()
        routes = {id(r): self._route(r, evidence, context) for r in deciding if not r.met}
        goals = [goal for steps in routes.values() for goal in steps]
        pathway = plan_pathway(self.graph, goals, context) if goals else None
        gaps = tuple(self._gap(r, routes.get(id(r), ()), pathway, evidence) for r in deciding if not r.met)
        reachable = not blocked and all(g.closable for g in gaps)
        bridges = () if eligible or subject_to else self._bridges(vacancy, evidence, goals)
        fit = self._fit(results, evidence, vacancy)
        return Assessment(
            eligible_now=eligible,
            fit=fit,
            blocked_by=blocked,
            requirements=results,
            pathway=pathway,
            bridge_roles=bridges,
            explanation=_explain(vacancy, eligible, blocked, rtw, results, gaps, pathway, bridges),
            resident_id=evidence.resident.id,
            vacancy_id=vacancy.id,
            gaps=gaps,
            reachable=reachable,
            subject_to=subject_to,
        )

    def _prepare(self, vacancy: ParsedVacancy) -> tuple[_Prepared, ...]:
        """The vacancy's requirements, labelled, with what is the same for every resident worked
        out once: a match assesses hundreds of residents against one vacancy."""
        entry = self._prepared.get(id(vacancy))
        if entry is not None and entry[0] is vacancy:
            return entry[1]
        prepared = tuple(self._prepare_one(self._label(r, vacancy)) for r in vacancy.requirements)
        if len(self._prepared) >= 4096:
            self._prepared.clear()
        self._prepared[id(vacancy)] = (vacancy, prepared)
        return prepared

    def _prepare_one(self, requirement: Requirement) -> _Prepared:
        roles: list[str] = []
        if requirement.kind == "experience" and not requirement.settings:
            for occupation_id in requirement.extra.get("occupations") or ():
                concept = self.taxonomy.get(occupation_id)
                if concept is not None:
                    roles.extend(name for name in map(normalise_text, concept.labels) if len(name) >= 4)
        return _Prepared(
            requirement,
            nhs_only=any(self.workplaces[s].nhs_only for s in requirement.settings if s in self.workplaces),
            settings=frozenset(requirement.settings),
            role_names=tuple(dict.fromkeys(roles)),
        )

    def _label(self, requirement: Requirement, vacancy: ParsedVacancy) -> Requirement:
        """Credential requirements carry the credential's plain-English label (all alternatives);
        an English criterion stating a regulator's exact IELTS levels is that regulator's English."""
        if requirement.kind == "language" and not requirement.credentials and requirement.extra.get("ielts"):
            same = self._english_with(requirement.extra["ielts"], vacancy)
            if same:
                requirement = replace(requirement, credential=same)
        named = [self.graph[c].label for c in requirement.credentials if c in self.graph]
        if named:
            return replace(requirement, label=" or ".join(dict.fromkeys(named)))
        return requirement

    def _check(self, prepared: _Prepared, evidence: ResidentEvidence, today: date) -> RequirementResult:
        requirement = prepared.requirement
        if not requirement.understood:
            return RequirementResult(requirement, False, None, NOT_UNDERSTOOD)
        kind = requirement.kind
        if requirement.on_the_job:
            held = next((evidence.held[c] for c in requirement.credentials if c in evidence.held), None)
            return RequirementResult(requirement, True, held, None if held else ON_THE_JOB)
        if kind in ("credential", "check") or (kind == "language" and requirement.credentials):
            return self._credential(requirement, evidence)
        if kind == "language":
            return self._general_english(requirement, evidence)
        if kind in ("skill", "quality", "condition"):
            found = self._skill_evidence(requirement.concept_id, evidence)
            note = {"quality": AT_INTERVIEW, "condition": AT_INTERVIEW}.get(kind)
            if requirement.assessed == "interview" and kind == "skill":
                note = AT_INTERVIEW
            return RequirementResult(requirement, found is not None, found, note)
        if kind == "experience" and requirement.extra.get("lived"):
            return RequirementResult(requirement, False, None, AT_INTERVIEW)  # never asked of a profile
        if kind == "experience":
            return self._experience(prepared, evidence, today)
        if kind == "qualification":
            return self._qualification(requirement, evidence)
        return RequirementResult(requirement, False, None, f"unknown requirement kind {kind!r}")

    def _credential(self, requirement: Requirement, evidence: ResidentEvidence) -> RequirementResult:
        for credential in requirement.credentials:
            if credential in evidence.held:
                return RequirementResult(requirement, True, evidence.held[credential])
            shown = self._field_shown(credential, evidence)
            if shown is not None:
                return RequirementResult(requirement, True, shown)
        if requirement.credential == RIGHT_TO_WORK:
            rtw = evidence.resident.right_to_work
            note = RIGHT_TO_WORK_UNKNOWN if rtw == "unknown" else RIGHT_TO_WORK_NO if rtw == "no" else None
            return RequirementResult(requirement, False, None, note)
        if requirement.assessed == "after_offer" or any(
            self.graph[c].extra.get("after_offer") for c in requirement.credentials if c in self.graph
        ):
            # A pre-employment check (DBS, references) is made after an offer, however the advert
            # wrote it: it never stops anyone applying.
            return RequirementResult(requirement, False, None, AFTER_OFFER)
        if requirement.assessed == "interview":
            return RequirementResult(requirement, False, None, AT_INTERVIEW)
        # An English level not yet met: which part fell short, in plain words.
        notes = [n for c in requirement.credentials for n in evidence.english_notes.get(c, ())]
        return RequirementResult(requirement, False, None, notes[0] if notes else None)

    def _field_shown(self, credential_id: str, evidence: ResidentEvidence) -> Evidence | None:
        """A field of a register shown by the register held and work or a qualification in the
        field (NMC registration and years as a mental health nurse: registered in that field)."""
        rule = self.graph[credential_id].extra.get("field_evidence") if credential_id in self.graph else None
        if not isinstance(rule, Mapping) or rule.get("holds") not in evidence.held:
            return None
        for ev, years, _ in evidence.experience:
            if ev.concept_id in (rule.get("occupations") or ()):
                return Evidence(f"{self.graph[rule['holds']].label}, {_years(years)} as {ev.text}", credential_id, None)
        for title, qual in evidence.qualifications:
            if qual is not None and qual.concept_id in (rule.get("qualifications") or ()):
                return Evidence(f"{self.graph[rule['holds']].label}, {title}", credential_id, None)
        return None

    def _english_with(self, stated: Mapping[str, float], vacancy: ParsedVacancy) -> str | None:
        """The regulator's English requirement whose IELTS levels are exactly those stated (the
        vacancy's profession breaks a tie: the HCPC and the GDC ask for the same levels)."""
        if set(stated) != {"overall", "listening", "reading", "writing", "speaking"}:
            return None
        matching = [
            requirement.id
            for requirement in self.graph.english.values()
            for accepted in requirement.accepted
            if "ielts" in str(accepted.get("test", "")).casefold()
            and all(float(accepted.get(part) or 0) == float(value) for part, value in stated.items())
        ]
        if len(matching) > 1 and vacancy.profession:
            preferred = [m for m in matching if self.graph[m].profession == vacancy.profession]
            matching = preferred or matching
        return matching[0] if matching else None

    def _skill_evidence(self, concept_id: str | None, evidence: ResidentEvidence) -> Evidence | None:
        """What the resident wrote first; else what their jobs and qualifications imply."""
        if not concept_id:
            return None
        return evidence.skill_concepts.get(concept_id) or evidence.implied_skills.get(concept_id)

    def _general_english(self, requirement: Requirement, evidence: ResidentEvidence) -> RequirementResult:
        rules = self.general_english
        stated = requirement.extra.get("ielts_overall")
        # Any regulator's English level (or Functional Skills Level 2) meets an advert's general
        # English; an advert stating its own IELTS levels is judged on them below.
        for credential in (*self.graph.english, "functional-skills-english-l2"):
            if credential in evidence.held and stated is None:
                return RequirementResult(requirement, True, evidence.held[credential])
        order = {g: i for i, g in enumerate(OET_GRADES)}
        if stated is not None:
            # The advert names its own IELTS levels: those, not the entry-level rule, decide.
            levels = dict(requirement.extra.get("ielts") or {"overall": stated})
            for test in evidence.resident.language_tests:
                if (
                    test.family == "ielts"
                    and not test.is_general
                    and all(float(test.components.get(part, 0) or 0) >= float(v) for part, v in levels.items())
                ):
                    return RequirementResult(requirement, True, Evidence(_describe_test(test), None, None))
            wanted = ", ".join(f"{part} {float(v):g}" for part, v in levels.items())
            return RequirementResult(requirement, False, None, f"needs IELTS Academic with {wanted}")
        for test in evidence.resident.language_tests:
            if test.family == "ielts" and float(test.components.get("overall", 0) or 0) >= float(
                rules.get("ielts_overall", 6.0)
            ):
                return RequirementResult(requirement, True, Evidence(_describe_test(test), None, None))
            if test.family == "oet":
                floor = order.get(str(rules.get("oet_all_at_least", "C")), 2)
                if all(
                    order.get(str(test.components.get(p)), -1) >= floor
                    for p in ("listening", "reading", "writing", "speaking")
                ):
                    return RequirementResult(requirement, True, Evidence(_describe_test(test), None, None))
        uk_years = sum(years for _, years, country in evidence.experience if country == "GB")
        if uk_years >= float(rules.get("uk_experience_years", 1)):
            return RequirementResult(requirement, True, Evidence(f"{_years_of_work(uk_years)} in the UK", None, None))
        spoken = evidence.skill_concepts.get("skill-spoken-english")
        if spoken is not None:
            return RequirementResult(requirement, True, spoken, AT_INTERVIEW)
        return RequirementResult(
            requirement,
            False,
            None,
            AT_INTERVIEW
            if requirement.assessed == "interview"
            else "no English test, UK qualification in English or UK work history",
        )

    # -- experience -------------------------------------------------------------------------
    def _experience(self, prepared: _Prepared, evidence: ResidentEvidence, today: date) -> RequirementResult:
        """Experience of a setting or activity, or of a role: years add up across the jobs that
        meet it. Overseas work counts unless the criterion restricts it to the UK or the NHS."""
        requirement = prepared.requirement
        jobs = zip(evidence.experience, evidence.resident.experience, strict=True)
        counted: list[tuple[Evidence, float]] = []
        excluded: list[str] = []
        cutoff = self.settings.evidence_cutoff
        for (job_ev, years, country), job in jobs:
            concept = self.taxonomy.get(job_ev.concept_id) if job_ev.concept_id else None
            by_title = prepared.title_names_role(job.title)
            if by_title and (concept is None or (job_ev.score or 0) < cutoff):
                concept = self.taxonomy.get(requirement.concept_id or "")
            elif concept is None or (job_ev.score or 0) < cutoff:
                continue
            if concept is None:
                continue
            named = self.workplaces.named_in(f"{job.title} {job.employer or ''}") if prepared.settings else frozenset()
            if prepared.nhs_only:
                # No job title shows NHS work alone: the title or employer must name the NHS.
                if not prepared.settings & named or country not in (None, "GB"):
                    excluded.append(f"{job.title} was not NHS work in the UK")
                    continue
            elif not (by_title or prepared.job_meets(concept, self._job_meets) or prepared.settings & named):
                continue
            if requirement.uk_only and country not in (None, "GB"):
                excluded.append(f"{job.title} ({country}) was outside the UK")
                continue
            window = requirement.extra.get("recent_years")
            if window and job.until is not None and job.until < today.year - float(window):
                excluded.append(f"{job.title} ended in {job.until}")
                continue
            counted.append((Evidence(f"{_years(years)} as {job.title}", concept.id, job_ev.score), years))
        years = sum(y for _, y in counted)
        if counted and years >= requirement.years:
            best = max(counted, key=lambda item: item[1])[0]
            return RequirementResult(requirement, True, best)
        skill = self._experience_skill(requirement, evidence)
        if skill is not None and not requirement.years and not requirement.uk_only:
            return RequirementResult(requirement, True, skill)
        student = self._student_placement(requirement, evidence)
        if student is not None and requirement.years <= 1:
            return RequirementResult(requirement, True, student)
        if counted:
            return RequirementResult(requirement, False, counted[0][0], f"{years:g} of {requirement.years:g} years")
        note = "; ".join(excluded) if excluded else None
        return RequirementResult(requirement, False, skill or student, note)

    def _job_meets(self, requirement: Requirement, concept: Concept) -> bool:
        if requirement.settings:
            return any(
                self.workplaces.met_by_occupation(s, concept) for s in requirement.settings if s in self.workplaces
            )
        wanted = self.taxonomy.get(requirement.concept_id) if requirement.concept_id else None
        if wanted is None:
            return not requirement.extra.get("similar_role", False)  # "any work experience"
        if wanted.kind == "occupation":
            named = [self.taxonomy.get(o) for o in requirement.extra.get("occupations") or (wanted.id,)]
            return any(
                o is not None
                and (
                    concept.id == o.id
                    or bool(
                        o.attributes.get("family") and concept.attributes.get("family") == o.attributes.get("family")
                    )
                )
                for o in named
            )
        # A skill or activity ("experience of venepuncture"): jobs whose core skills include it.
        return wanted.id in self.occupation_skills.for_occupation(concept)

    def _experience_skill(self, requirement: Requirement, evidence: ResidentEvidence) -> Evidence | None:
        """The resident names the activity as a skill ("dementia care", "venepuncture")."""
        if requirement.settings:
            found = [
                self.workplaces.met_by_skill(s, evidence.skill_concepts)
                for s in requirement.settings
                if s in self.workplaces
            ]
            hit = next((f for f in found if f), None)
            return evidence.skill_concepts[hit] if hit else None
        concept = self.taxonomy.get(requirement.concept_id) if requirement.concept_id else None
        if concept is not None and concept.kind == "skill":
            return evidence.skill_concepts.get(concept.id)
        return None

    def _student_placement(self, requirement: Requirement, evidence: ResidentEvidence) -> Evidence | None:
        """ "Including as a student": a qualification whose training includes placements there."""
        if not requirement.extra.get("students") or not requirement.settings:
            return None
        professions = set().union(
            *(self.workplaces.student_professions(s) for s in requirement.settings if s in self.workplaces)
        )
        for title, qual in evidence.qualifications:
            if qual is not None and qual.profession in professions:
                return Evidence(f"placements during your {title}", qual.concept_id, qual.confidence)
        return None

    # -- qualifications ---------------------------------------------------------------------
    def _qualification(self, requirement: Requirement, evidence: ResidentEvidence) -> RequirementResult:
        """Met by the award itself; by one of the same profession at the level or above; where
        the advert says "or equivalent", by one in the same field at the level or above; by a
        registration that shows it (a GPhC registration shows a pharmacy degree the GPhC accepts)."""
        field = requirement.extra.get("field")
        for title, qual in evidence.qualifications:
            if qual is None:
                continue
            found = Evidence(title, qual.concept_id, qual.confidence)
            if qual.concept_id == requirement.concept_id:
                return RequirementResult(requirement, True, found)
            theirs = self.taxonomy.get(qual.concept_id)
            fields = _fields(theirs) if theirs is not None else set()
            level_ok = requirement.level is None or (qual.level is not None and qual.level >= requirement.level)
            same_field = not field or field in fields
            same_profession = requirement.profession is not None and qual.profession == requirement.profession
            # An award from abroad of the same profession and field (a BSc Nursing from Manila for
            # "BSc Nursing"): the regulator's route, not the title, decides equivalence.
            if same_profession and same_field and level_ok and (requirement.or_equivalent or _overseas(theirs)):
                return RequirementResult(requirement, True, found)
            if requirement.or_equivalent and level_ok and field and field in fields:
                return RequirementResult(requirement, True, found)
            if level_ok and requirement.level is not None and not field and not requirement.profession:
                return RequirementResult(requirement, True, found)  # "a degree", "level 3": any subject
        for credential in self._closing_credentials(requirement):
            if credential in evidence.held:
                return RequirementResult(requirement, True, evidence.held[credential])
        if requirement.extra.get("or_equivalent_experience"):
            return self._equivalent_experience(requirement, evidence)
        return RequirementResult(requirement, False, None)

    def _equivalent_experience(self, requirement: Requirement, evidence: ResidentEvidence) -> RequirementResult:
        """ "... or equivalent experience": years of work in the field (the settings the parser
        found for it) add up to what is asked; the panel explores it at interview."""
        settings = [s for s in requirement.extra.get("equivalent_settings") or () if s in self.workplaces]
        need = float(requirement.extra.get("equivalent_years", 2))
        counted: list[tuple[str, float]] = []
        for (job_ev, years, _country), job in zip(evidence.experience, evidence.resident.experience, strict=True):
            concept = self.taxonomy.get(job_ev.concept_id) if job_ev.concept_id else None
            if concept is None or (job_ev.score or 0) < self.settings.evidence_cutoff:
                continue
            if settings:
                named = self.workplaces.named_in(f"{job.title} {job.employer or ''}")
                if not any(self.workplaces.met_by_occupation(s, concept) or s in named for s in settings):
                    continue
            counted.append((job.title, years))
        total = sum(years for _, years in counted)
        if counted and total >= need:
            titles = ", ".join(title for title, _ in counted[:2])
            said = f"{_years_of_work(total)} in the field ({titles})"
            return RequirementResult(requirement, True, Evidence(said, None, None), AT_INTERVIEW)
        note = f"{total:g} of {need:g} years' relevant work" if counted else None
        return RequirementResult(requirement, False, None, note)

    def _closing_credentials(self, requirement: Requirement) -> list[str]:
        """Credentials that show the qualification asked for ("MPharm or OSPAP": the OSPAP route)."""
        if not requirement.profession:
            return []
        key = (requirement.profession, requirement.level, requirement.or_equivalent)
        known = self._closing.get(key)
        if known is not None:
            return known
        out: list[str] = []
        for credential in self.graph:
            meets = credential.extra.get("meets_qualification")
            if not isinstance(meets, Mapping) or meets.get("profession") != requirement.profession:
                continue
            if meets.get("only_or_equivalent") and not requirement.or_equivalent:
                continue
            level = meets.get("level")
            if requirement.level is not None and (level is None or int(level) < requirement.level):
                continue
            out.append(credential.id)
        self._closing[key] = out
        return out

    # -- routes and gaps --------------------------------------------------------------------
    def _route(self, result: RequirementResult, evidence: ResidentEvidence, context: PlanContext) -> tuple[str, ...]:
        """The credential goals that would close an unmet criterion: the alternative whose own route
        is open and quickest; for a qualification, a credential that shows it."""
        requirement = result.requirement
        if requirement.kind in ("credential", "check", "language"):
            options = [c for c in requirement.credentials if c in self.graph and c != RIGHT_TO_WORK]
        elif requirement.kind == "qualification":
            options = self._closing_credentials(requirement)
        else:
            return ()
        if len(options) <= 1:
            return tuple(options)
        best: tuple[tuple[int, int, float], str] | None = None
        for option in options:
            plan = plan_pathway(self.graph, [option], context)
            if plan is None:
                return (option,)  # already held once equivalences apply
            if plan.unreachable:
                continue
            key = (plan.total_weeks, len(plan.steps), plan.total_cost_gbp)
            if best is None or key < best[0]:
                best = (key, option)
        return (best[1],) if best else (options[0],)

    def _gap(
        self,
        result: RequirementResult,
        goals: Sequence[str],
        pathway: Pathway | None,
        evidence: ResidentEvidence,
    ) -> Gap:
        requirement = result.requirement
        label = requirement.label or requirement.text
        if requirement.credential == RIGHT_TO_WORK:
            return Gap(requirement.text, requirement.kind, False, (), "right to work in the UK: no course gives it")
        if goals and pathway is not None:
            blocked = [u for u in pathway.unreachable if u.credential in goals or _variant_of(self.graph, u, goals)]
            if not blocked:
                steps = tuple(s.credential for s in pathway.steps)
                return Gap(
                    requirement.text, requirement.kind, True, steps, f"{label}: on your route below", tuple(goals)
                )
            return Gap(requirement.text, requirement.kind, False, (), f"{label}: {_plain_reason(blocked[0].reason)}")
        if goals:  # held once equivalences apply
            return Gap(requirement.text, requirement.kind, True, (), f"{label}: already counts", tuple(goals))
        return Gap(requirement.text, requirement.kind, False, (), _no_course_reason(requirement, result))

    def _fit(self, results: Sequence[RequirementResult], evidence: ResidentEvidence, vacancy: ParsedVacancy) -> float:
        """Ranking score from the criteria judged on the profile (qualities shown at interview
        and after-offer checks neither add nor take away)."""
        s = self.settings
        judged = [r for r in results if r.requirement.understood and r.requirement.assessed == "profile"]
        essential = [r for r in judged if r.requirement.essential]
        desirable = [r for r in judged if not r.requirement.essential]
        essential_part = sum(r.met for r in essential) / len(essential) if essential else 1.0
        desirable_part = sum(r.met for r in desirable) / len(desirable) if desirable else 0.5
        relevant = sum(
            years
            for ev, years, _ in evidence.experience
            if vacancy.occupation_id and ev.concept_id == vacancy.occupation_id
        )
        experience_part = min(1.0, relevant / s.experience_full_years)
        wanted = {
            r.requirement.concept_id for r in results if r.requirement.kind == "skill" and r.requirement.concept_id
        }
        have = sum(1 for w in wanted if w in evidence.skill_concepts or w in evidence.implied_skills)
        skills_part = have / len(wanted) if wanted else 0.5
        return (
            s.essential * essential_part
            + s.desirable * desirable_part
            + s.experience * experience_part
            + s.skills * skills_part
        )

    def _bridges(
        self, vacancy: ParsedVacancy, evidence: ResidentEvidence, goals: Iterable[str]
    ) -> tuple[Mapping[str, Any], ...]:
        targets = {vacancy.profession} if vacancy.profession else set()
        for goal in goals:
            profession = self.graph[goal].profession
            if profession:
                targets.add(profession)
        if not targets:
            return ()
        out: list[dict[str, Any]] = []
        for bridge in self.bridges:
            if bridge.get("target_profession") not in targets:
                continue
            occupation = self.taxonomy.get(str(bridge.get("occupation_id")))
            if occupation is None or occupation.id == vacancy.occupation_id:
                continue
            # DBS checks are made by the employer after an offer; they do not close a bridge.
            needs = [c for c in bridge.get("requires") or [] if c not in evidence.held and not c.startswith("dbs-")]
            if needs:
                continue
            band = occupation.attributes.get("band_min")
            out.append(
                {"occupation_id": occupation.id, "label": occupation.label, "band": band, "why": bridge.get("why")}
            )
        return tuple(out)


#: Notes shown beside criteria that are not judged from the profile.
AT_INTERVIEW = "shown at interview"
AFTER_OFFER = "checked by the employer after an offer"
ON_THE_JOB = "completed after starting; the employer provides it"
NOT_UNDERSTOOD = "we could not read this criterion: the employer will check it"
RIGHT_TO_WORK_UNKNOWN = "you will need to show your right to work in the UK"
RIGHT_TO_WORK_NO = "needs the right to work in the UK"


def _fields(concept: Concept) -> set[str]:
    """The fields a qualification belongs to: its own (``field``), its profession, and health and
    social care for every health profession's award."""
    out = {str(concept.attributes["field"])} if concept.attributes.get("field") else set()
    profession = concept.attributes.get("profession")
    if profession:
        out |= {str(profession), "health and social care"}
    return out


def _overseas(concept: Concept | None) -> bool:
    """An award from abroad of the same profession (a BSc Nursing from Manila for "BSc Nursing"):
    the regulator's route, not the title, decides whether it is equivalent."""
    return concept is not None and not concept.attributes.get("uk", True)


def _variant_of(graph: CredentialGraph, unreachable: Any, goals: Sequence[str]) -> bool:
    return any(unreachable.credential in (graph[g].extra.get("variants") or ()) for g in goals if g in graph)


@lru_cache(maxsize=65_536)
def _padded(title: str) -> str:
    """A job title as words between spaces, for whole-word lookups (titles repeat across residents
    and vacancies)."""
    return f" {normalise_text(title)} "


def _years(years: float) -> str:
    """ "1 year", "2.5 years": a count people read aloud ("1 year's work", "6 years' work")."""
    return f"{years:g} year" if years == 1 else f"{years:g} years"


def _years_of_work(years: float) -> str:
    """ "1 year's work", "6 years' work"."""
    return f"{_years(years)}'s work" if years == 1 else f"{_years(years)}' work"


def _plain_reason(reason: str) -> str:
    """ "gmc-registration: needs a recognised doctor qualification ..." -> the words after the id."""
    return reason.split(": ", 1)[1] if ": " in reason else reason


def _no_course_reason(requirement: Requirement, result: RequirementResult) -> str:
    label = requirement.label or requirement.text
    if requirement.kind == "experience":
        years = f"{requirement.years:g} years' " if requirement.years else ""
        where = " in the UK" if requirement.uk_only else ""
        return f"{years}experience of {label}{where} comes from work, not a course" + (
            f" ({result.note})" if result.note else ""
        )
    if requirement.kind == "skill":
        return f"{label}: shown by training or work; tell us if you have done it"
    if requirement.kind == "qualification":
        return f"{label}: a qualification we cannot plan a course for yet; ask an adviser"
    if requirement.kind == "language":
        return f"{label}: {result.note}" if result.note else f"{label}: an English test result"
    return f"{label}: no course we know of gives it"


def _describe_test(test: Any) -> str:
    parts = ", ".join(f"{k} {v}" for k, v in test.components.items())
    when = f" ({test.taken.isoformat()})" if test.taken else ""
    return f"{test.test}: {parts}{when}"


def _explain(
    vacancy: ParsedVacancy,
    eligible: bool,
    blocked: Sequence[str],
    right_to_work: str,
    results: Sequence[RequirementResult],
    gaps: Sequence[Gap],
    pathway: Pathway | None,
    bridges: Sequence[Mapping[str, Any]],
) -> str:
    title = vacancy.title
    later = [r for r in results if r.requirement.essential and r.requirement.assessed != "profile"]
    unread = [r for r in results if r.requirement.essential and not r.requirement.understood]
    if eligible or (right_to_work == "unknown" and not gaps):
        judged = f"You meet every essential requirement for {title} that is judged from an application"
        opening = (
            f"{judged}, so you can apply now."
            if eligible
            else f"{judged}; you will need to show your right to work in the UK."
        )
        extra = []
        if later:
            extra.append(
                f"{len(later)} more {'is' if len(later) == 1 else 'are'} shown at interview or checked after an offer."
            )
        if unread:
            extra.append(
                f"The employer will check {len(unread)} criterion{'s' if len(unread) > 1 else ''} we could not read."
            )
        return " ".join([opening, *extra])
    sentences: list[str] = []
    if blocked:
        sentences.append(
            f"You cannot be offered {title} until you have the right to work in the UK; no course changes that."
        )
    elif right_to_work == "unknown":
        sentences.append(f"You will need to show your right to work in the UK before you can be offered {title}.")
    named = [g for g in gaps if not g.text or g.reason]
    needs = [
        r.requirement.label or r.requirement.text
        for r in results
        if r.requirement.decides_eligibility and not r.met and r.requirement.credential != RIGHT_TO_WORK
    ]
    if needs:
        shown = ", ".join(needs[:3]) + (f" and {len(needs) - 3} more" if len(needs) > 3 else "")
        sentences.append(f"For {title} you still need: {shown}.")
    if pathway is not None and pathway.steps:
        cost = (
            f"costs at least £{pathway.total_cost_gbp:,.0f} (some fees are unknown)"
            if pathway.cost_unknown_for
            else f"costs about £{pathway.total_cost_gbp:,.0f}"
            if pathway.total_cost_gbp
            else "has no fees to pay"
        )
        count = len(pathway.steps)
        steps = f"{count} step{'s' if count != 1 else ''}"
        sentences.append(f"The quickest route has {steps} over about {pathway.total_weeks} weeks and {cost}.")
    closed = [g for g in named if not g.closable and g.kind != "check"]
    if closed:
        sentences.append(closed[0].reason[0].upper() + closed[0].reason[1:] + ".")
    if bridges:
        sentences.append(f"Meanwhile you could work as {bridges[0]['label'].lower()}, which leads towards this role.")
    return " ".join(sentences[:4]) if sentences else f"You do not yet meet the essential requirements for {title}."
