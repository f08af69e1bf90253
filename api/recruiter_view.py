"""What a recruiter sees about a candidate: computed without special-category data, and only
the fields listed here.

A recruiter ranks residents for their employer's vacancies. Whether or not a resident has
agreed to share who they are, nothing a recruiter receives may depend on the resident's
immigration status (special-category data for this service): not the ranking, not a pathway's
costs or notes, not a concession, not the explanation. So recruiters' assessments are made from
a copy of the resident with every special-category field removed (:func:`blind`), whatever its
value, and everything derived from it goes with it. Advisers, who help the resident claim a
concession, and the resident themself see the full assessment.

What a recruiter receives is a whitelist (:data:`RECRUITER_FIELDS`, also in the README with the
reason for each): a field the engine adds later reaches recruiters only once it is listed here.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from typing import Any

from flask import current_app

from matcher import Resident as ResidentProfile
from matcher import ResidentIndex
from matcher.assessment import ResidentEvidence
from matcher.matching import Ranked, reachable_within
from matcher.requirements import ParsedVacancy

#: Fields of a resident's profile that are special-category data for this service: removed,
#: whatever their value, before anything is computed for a recruiter.
SPECIAL_CATEGORY_FIELDS = ("immigration_status",)

#: Every field a recruiter receives about a candidate, and why. Nested objects list their own
#: fields; anything not listed is dropped before the response is made.
RECRUITER_FIELDS: dict[str, str] = {
    "resident": "a per-employer pseudonym (cand-...) until the resident consents to share with this employer, "
    "then their record id; lets the recruiter refer to a candidate when asking an adviser to introduce them",
    "postcode_district": "the outward code only (B66), without consent: enough to judge the commute, "
    "not enough to find a house",
    "name, contact, postcode": "only with the resident's consent to share with this employer",
    "assessment.eligible_now, fit, blocked_by": "whether the candidate meets every essential requirement now, "
    "the ranking score, and gates no training fixes (right to work, which an employer must check by law)",
    "assessment.eligible_subject_to, reachable, weeks_to_ready": "whether only the right to work is left to show, "
    "and how far the candidate is from eligible: the recruiter's pipeline",
    "assessment.gaps[]: text, kind, closable, closed_by, steps, reason": "each unmet essential criterion and "
    "whether training closes it, in the recruiter's own words (computed without immigration status)",
    "assessment.requirements[]: text, kind, concept_id, label, essential, met, assessed, understood, note, "
    "any_of, methods, experience (settings, years, recent, uk_only)": (
        "the recruiter's own criteria and whether each is met: the point of the shortlist"
    ),
    "assessment.requirements[].evidence: text, concept_id, score": "what meets the criterion, as the "
    "taxonomy's name for it (never the resident's own words, which can carry anything)",
    "assessment.pathway: steps[] (credential, label, weeks, cost_gbp, after, source, as_of, provider_type, "
    "notes, unconfirmed, confidence, checked), total_weeks, total_cost_gbp, cost_unknown_for, "
    "unreachable[] (credential, reason)": (
        "how far the candidate is from eligible and what training closes the gap, at the published fees: "
        "no concession or note that depends on immigration status"
    ),
    "assessment.bridge_roles[]: occupation_id, label, band, why": "jobs the candidate could do meanwhile",
    "assessment.explanation": "the plain-language summary, written from the same blind assessment",
}

#: The whitelist as a shape: None keeps a value as it is; a dict keeps those keys of an object;
#: a one-item list applies its shape to every item.
_SHAPE: dict[str, Any] = {
    "eligible_now": None,
    "fit": None,
    "blocked_by": None,
    "eligible_subject_to": None,
    "reachable": None,
    "weeks_to_ready": None,
    "gaps": [{"text": None, "kind": None, "closable": None, "closed_by": None, "steps": None, "reason": None}],
    "requirements": [
        {
            "text": None,
            "kind": None,
            "concept_id": None,
            "label": None,
            "essential": None,
            "met": None,
            "assessed": None,
            "understood": None,
            "note": None,
            "any_of": None,
            "methods": None,
            "experience": {"settings": None, "years": None, "recent": None, "uk_only": None},
            "evidence": {"text": None, "concept_id": None, "score": None},
        }
    ],
    "pathway": {
        "steps": [
            {
                "credential": None,
                "label": None,
                "weeks": None,
                "cost_gbp": None,
                "after": None,
                "source": None,
                "as_of": None,
                "provider_type": None,
                "notes": None,
                "unconfirmed": None,
                "confidence": None,
                "checked": None,
            }
        ],
        "total_weeks": None,
        "total_cost_gbp": None,
        "cost_unknown_for": None,
        "unreachable": [{"credential": None, "reason": None}],
    },
    "bridge_roles": [{"occupation_id": None, "label": None, "band": None, "why": None}],
    "explanation": None,
}


def _project(value: Any, shape: Any) -> Any:
    if shape is None or value is None:
        return value
    if isinstance(shape, list):
        return [_project(item, shape[0]) for item in value] if isinstance(value, list) else None
    if isinstance(value, dict):
        return {key: _project(value[key], inner) for key, inner in shape.items() if key in value}
    return None


def blind(resident: ResidentProfile) -> ResidentProfile:
    """The resident without any special-category field (the same object when there is none)."""
    known = {f.name for f in fields(resident)}
    present = {name: None for name in SPECIAL_CATEGORY_FIELDS if name in known and getattr(resident, name)}
    return replace(resident, **present) if present else resident


def recruiter_assessment(assessment: dict[str, Any]) -> dict[str, Any]:
    """An assessment (made from a :func:`blind` resident) cut to the fields a recruiter receives.

    Evidence text becomes the taxonomy's name for the concept that meets the criterion: the
    resident's own wording of a skill, job or qualification can carry anything about them.
    """
    shown: dict[str, Any] = _project(assessment, _SHAPE)
    taxonomy = current_app.extensions["useit_engine"].taxonomy
    for requirement in shown.get("requirements") or []:
        evidence = requirement.get("evidence")
        if evidence and evidence.get("concept_id") in taxonomy:
            evidence["text"] = taxonomy[evidence["concept_id"]].label
    return shown


def blind_ranking(
    index: ResidentIndex,
    vacancy: ParsedVacancy,
    *,
    limit: int,
    evidence_of: Callable[[int], ResidentEvidence],
) -> list[Ranked]:
    """Residents for a vacancy as :meth:`ResidentIndex.match_vacancy` ranks them, but with every
    candidate assessed from ``evidence_of(row)`` (blind evidence), so the order cannot depend on
    special-category data either. Retrieval itself never reads it (features are credentials,
    professions, skills, jobs and qualifications)."""
    settings = index.settings
    count = max(settings.min_candidates, limit * settings.candidate_factor)
    ranked = [
        Ranked(int(row), index.assessor.assess(evidence_of(int(row)), vacancy, today=index.today))
        for row in index.candidates(vacancy, count)
    ]
    ranked.sort(key=Ranked.sort_key)
    return ranked[:limit]


def blind_pipeline(
    index: ResidentIndex,
    vacancy: ParsedVacancy,
    *,
    horizons: Sequence[int],
    evidence_of: Callable[[int], ResidentEvidence],
    count: int = 500,
) -> dict[str, int]:
    """:meth:`ResidentIndex.pipeline` from blind evidence (the recruiter's readiness counts)."""
    counts = {"eligible_now": 0, "subject_to_right_to_work": 0, **{f"within_{weeks}_weeks": 0 for weeks in horizons}}
    for row in index.candidates(vacancy, count):
        assessment = index.assessor.assess(evidence_of(int(row)), vacancy, today=index.today)
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


def pseudonym(resident_id: str, employer: str, epoch: int) -> str:
    """A per-employer pseudonym: an HMAC under the server's secret, so nobody can compute one from
    an id, of the resident's consent epoch, so a new one is used after every change of consent
    (a recruiter cannot keep following a candidate who withdrew)."""
    key: bytes = current_app.extensions["useit_pseudonym_key"]
    message = f"{employer}\x00{resident_id}\x00{epoch}".encode()
    return "cand-" + hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def pseudonym_key(secret: str) -> bytes:
    """The HMAC key for pseudonyms, derived from the configured secret (kept for no other use)."""
    return hmac.new(secret.encode(), b"useit pseudonyms v1", hashlib.sha256).digest()
