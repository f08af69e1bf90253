"""Assess a resident against a vacancy: requirements met or unmet with evidence, fit, pathway.

:class:`Assessor` holds the fitted normaliser, the credential graph and the bridge roles;
build it once and call :meth:`Assessor.assess` per pair. Resident evidence (normalised skills,
recognised qualifications, English verdicts, credentials held) is computed once per resident
by :meth:`Assessor.evidence` and reused across vacancies.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from .countries import load_countries
from .credentials import CredentialGraph
from .english import EnglishContext
from .errors import TaxonomyError
from .normaliser import Normaliser
from .pathway import Pathway, PlanContext, effective_held, plan_pathway
from .profile import OET_GRADES, Resident
from .qualifications import QualificationRecogniser, RecognisedQualification
from .requirements import ParsedVacancy, Requirement
from .taxonomy import Taxonomy, default_fixtures_dir

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "eligible_now": self.eligible_now,
            "fit": round(self.fit, 4),
            "blocked_by": list(self.blocked_by),
            "requirements": [r.to_dict() for r in self.requirements],
            "pathway": self.pathway.to_dict() if self.pathway else None,
            "bridge_roles": [dict(b) for b in self.bridge_roles],
            "explanation": self.explanation,
        }


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
    ) -> None:
        self.taxonomy = taxonomy
        self.normaliser = normaliser
        self.recogniser = QualificationRecogniser(normaliser)
        self.graph = graph
        self.bridges = list(bridges)
        self.general_english = dict(general_english or {})
        self.settings = settings or FitSettings()
        self._experience_credentials = [c for c in graph if c.extra.get("met_by_experience")]
        self._countries = load_countries()

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
                    f"{years:g} years' work as a {rule.get('profession')}", credential.id, None
                )
        recognised_ids = [q.concept_id for _, q in qualifications if q is not None]
        for credential_id in effective_held(self.graph, held, recognised_ids) - set(held):
            held[credential_id] = Evidence(f"counts as {credential_id}", credential_id, None)
        statuses = {resident.immigration_status} if resident.immigration_status else set()
        skill_concepts = {e.concept_id: e for e in skills if e.concept_id and (e.score or 0) >= cutoff}
        return ResidentEvidence(
            resident=resident,
            skills=skills,
            experience=experience,
            qualifications=qualifications,
            held=held,
            professions=frozenset(professions),
            statuses=frozenset(statuses),
            skill_concepts=skill_concepts,
            english_notes=english_notes,
        )

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
        countries = self._countries
        context = EnglishContext(
            qualifications=tuple(
                (qual.profession, held_qual.country or qual.country, held_qual.taught_in_english, held_qual.year)
                for (_, qual), held_qual in zip(qualifications, resident.qualifications, strict=True)
                if qual is not None and qual.profession
            ),
            this_year=today.year,
            experience=tuple(
                (
                    self.taxonomy[ev.concept_id].attributes.get("profession") if ev.concept_id else None,
                    self.taxonomy[ev.concept_id].attributes.get("family") if ev.concept_id else None,
                    years,
                    country,
                )
                for ev, years, country in experience
            ),
            stated=resident.english_evidence,
            english_countries={
                name: frozenset(c.code for c in countries if name in c.majority_english_speaking_for)
                for name in countries.english_lists
            },
        )
        notes: dict[str, tuple[str, ...]] = {}
        for requirement_id in self.graph.english:
            verdict = self.graph.evaluate_english(requirement_id, resident.language_tests, today, context)
            if verdict.met:
                said = _describe_test(verdict.evidence) if verdict.evidence is not None else str(verdict.route)
                held.setdefault(requirement_id, Evidence(said, requirement_id, None))
                continue
            found = [n[0].upper() + n[1:] + "." for n in verdict.plain if resident.language_tests]
            who = self.graph.english[requirement_id].rules.who
            found += [
                f"Another route may be open to you: {p}. Ask {who} (and your employer)." for p in verdict.possible
            ]
            if found:
                notes[requirement_id] = tuple(dict.fromkeys(found))
        return notes

    # -- assessment -------------------------------------------------------------------------
    def assess(
        self, resident: Resident | ResidentEvidence, vacancy: ParsedVacancy, *, today: date | None = None
    ) -> Assessment:
        today = today or date.today()
        evidence = resident if isinstance(resident, ResidentEvidence) else self.evidence(resident, today=today)
        results = tuple(self._check(self._labelled(r), evidence, today) for r in vacancy.requirements)
        rtw = evidence.resident.right_to_work
        blocked = (RIGHT_TO_WORK,) if rtw == "no" else ()
        essentials = [r for r in results if r.requirement.essential]
        eligible = all(r.met for r in essentials) and rtw == "yes"

        goals = [
            r.requirement.credential
            for r in essentials
            if not r.met
            and r.requirement.credential
            and r.requirement.credential in self.graph
            and r.requirement.credential != RIGHT_TO_WORK
        ]
        pathway = plan_pathway(self.graph, goals, evidence.plan_context()) if goals else None
        bridges = () if eligible or blocked else self._bridges(vacancy, evidence, goals)
        fit = self._fit(results, evidence, vacancy)
        return Assessment(
            eligible_now=eligible,
            fit=fit,
            blocked_by=blocked,
            requirements=results,
            pathway=pathway,
            bridge_roles=bridges,
            explanation=_explain(vacancy, eligible, blocked, rtw, results, pathway, bridges),
            resident_id=evidence.resident.id,
            vacancy_id=vacancy.id,
        )

    def _labelled(self, requirement: Requirement) -> Requirement:
        """Credential requirements carry the credential's plain-English label."""
        if requirement.credential and requirement.credential in self.graph:
            return replace(requirement, label=self.graph[requirement.credential].label)
        return requirement

    def _check(self, requirement: Requirement, evidence: ResidentEvidence, today: date) -> RequirementResult:
        kind = requirement.kind
        if requirement.on_the_job and not (requirement.credential and requirement.credential in evidence.held):
            return RequirementResult(requirement, True, None, "completed after starting; the employer provides it")
        if kind in ("credential", "check"):
            credential = requirement.credential or ""
            if credential in evidence.held:
                return RequirementResult(requirement, True, evidence.held[credential])
            if credential == RIGHT_TO_WORK:
                note = "right to work not confirmed" if evidence.resident.right_to_work == "unknown" else None
                return RequirementResult(requirement, False, None, note)
            if requirement.on_the_job:
                return RequirementResult(requirement, True, None, "completed after starting; the employer provides it")
            if credential in self.graph and self.graph[credential].extra.get("after_offer"):
                # A pre-employment check (DBS, references) is made after an offer, however the
                # advert wrote it: it never stops anyone applying.
                return RequirementResult(requirement, True, None, "checked by the employer after an offer")
            return RequirementResult(requirement, False, None)
        if kind == "language":
            return self._general_english(requirement, evidence)
        if kind == "skill":
            found = evidence.skill_concepts.get(requirement.concept_id or "")
            return RequirementResult(requirement, found is not None, found)
        if kind == "experience":
            return self._experience(requirement, evidence)
        if kind == "qualification":
            return self._qualification(requirement, evidence)
        return RequirementResult(requirement, False, None, f"unknown requirement kind {kind!r}")

    def _general_english(self, requirement: Requirement, evidence: ResidentEvidence) -> RequirementResult:
        rules = self.general_english
        # Any regulator's English level (or Functional Skills Level 2) meets an advert's general English.
        for credential in (*self.graph.english, "functional-skills-english-l2"):
            if credential in evidence.held:
                return RequirementResult(requirement, True, evidence.held[credential])
        order = {g: i for i, g in enumerate(OET_GRADES)}
        stated = requirement.extra.get("ielts_overall")
        if stated is not None:
            # The advert names its own IELTS score: that, not the entry-level rule, decides.
            for test in evidence.resident.language_tests:
                if (
                    test.family == "ielts"
                    and not test.is_general
                    and float(test.components.get("overall", 0) or 0) >= stated
                ):
                    return RequirementResult(requirement, True, Evidence(_describe_test(test), None, None))
            return RequirementResult(requirement, False, None, f"needs IELTS {stated:g} overall")
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
            return RequirementResult(requirement, True, Evidence(f"{uk_years:g} years' work in the UK", None, None))
        return RequirementResult(
            requirement, False, None, "no English test, UK qualification in English or UK work history"
        )

    def _experience(self, requirement: Requirement, evidence: ResidentEvidence) -> RequirementResult:
        wanted = requirement.concept_id
        if wanted is None:
            return RequirementResult(requirement, False, None, "could not tell what experience is asked for")
        concept = self.taxonomy.get(wanted)
        if concept is not None and concept.kind == "occupation":
            family = concept.attributes.get("family")
            matching = [
                (ev, years)
                for ev, years, _ in evidence.experience
                if ev.concept_id == wanted
                or (family and ev.concept_id and self.taxonomy[ev.concept_id].attributes.get("family") == family)
            ]
        else:
            # A skill or setting ("acute care"): the resident names it as a skill, or a job title
            # of theirs normalises to it.
            matching = [(ev, years) for ev, years, _ in evidence.experience if ev.concept_id == wanted]
            skill = evidence.skill_concepts.get(wanted)
            if skill is not None and not matching:
                total = sum(years for _, years, _ in evidence.experience)
                matching = [(skill, total)]
        years = sum(y for _, y in matching)
        if matching and years >= requirement.years:
            best = max(matching, key=lambda item: item[1])[0]
            return RequirementResult(requirement, True, best)
        note = f"{years:g} of {requirement.years:g} years" if matching else None
        return RequirementResult(requirement, False, matching[0][0] if matching else None, note)

    def _qualification(self, requirement: Requirement, evidence: ResidentEvidence) -> RequirementResult:
        """Met by the award itself; by one of the same profession at the level or above; and,
        where the advert says "or equivalent", by any award at the level or above."""
        for title, qual in evidence.qualifications:
            if qual is None:
                continue
            same = qual.concept_id == requirement.concept_id
            level_ok = requirement.level is not None and qual.level is not None and qual.level >= requirement.level
            same_profession = requirement.profession is not None and qual.profession == requirement.profession
            if same or (level_ok and (same_profession or requirement.or_equivalent)):
                return RequirementResult(requirement, True, Evidence(title, qual.concept_id, qual.confidence))
        return RequirementResult(requirement, False, None)

    def _fit(self, results: Sequence[RequirementResult], evidence: ResidentEvidence, vacancy: ParsedVacancy) -> float:
        s = self.settings
        essential = [r for r in results if r.requirement.essential]
        desirable = [r for r in results if not r.requirement.essential]
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
        skills_part = len(wanted & set(evidence.skill_concepts)) / len(wanted) if wanted else 0.5
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
    pathway: Pathway | None,
    bridges: Sequence[Mapping[str, Any]],
) -> str:
    title = vacancy.title
    unmet = [r for r in results if r.requirement.essential and not r.met]
    if eligible:
        missing = sum(1 for r in results if not r.requirement.essential and not r.met)
        extra = (
            " You meet all the desirable criteria too."
            if not missing
            else f" {missing} desirable criteria are not met yet; they help at shortlisting."
        )
        return f"You meet every essential requirement for {title}, so you can apply now." + extra
    sentences: list[str] = []
    if blocked:
        sentences.append(
            f"You cannot be offered {title} until you have the right to work in the UK; no course changes that."
        )
    elif right_to_work == "unknown":
        sentences.append(f"Your right to work in the UK needs to be confirmed before you can be offered {title}.")
    gaps = [r.requirement.label or r.requirement.text for r in unmet if r.requirement.credential != RIGHT_TO_WORK]
    if gaps:
        shown = ", ".join(gaps[:3]) + (f" and {len(gaps) - 3} more" if len(gaps) > 3 else "")
        sentences.append(f"For {title} you still need: {shown}.")
    if pathway is not None and pathway.steps:
        cost = (
            f"costs at least £{pathway.total_cost_gbp:,.0f} (some fees are unknown)"
            if pathway.cost_unknown_for
            else f"costs about £{pathway.total_cost_gbp:,.0f}"
        )
        sentences.append(
            f"The quickest route has {len(pathway.steps)} steps over about {pathway.total_weeks} weeks and {cost}."
        )
    if pathway is not None and pathway.unreachable:
        sentences.append(
            "Part of it needs a qualification you have not told us about: " + pathway.unreachable[0].reason + "."
        )
    if bridges:
        sentences.append(f"Meanwhile you could work as {bridges[0]['label'].lower()}, which leads towards this role.")
    return " ".join(sentences[:3]) if sentences else f"You do not yet meet the essential requirements for {title}."
