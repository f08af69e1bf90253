"""Shape engine results for the pages: plain English, money and time people can read.

Nothing here decides anything; it re-presents the contract's assessment (met and unmet
requirements with evidence, pathway steps, bridge roles) with the details a person needs next:
where to get each step, what a band pays, how long "60 weeks" is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import current_app

from matcher.credentials import CredentialGraph
from matcher.pay import PayBands
from matcher.volunteering import load_volunteering


def graph() -> CredentialGraph:
    return current_app.extensions["useit_engine"].assessor.graph


def pay_bands() -> PayBands:
    found = current_app.extensions.get("useit_pay_bands")
    if found is None:
        found = current_app.extensions["useit_pay_bands"] = PayBands.load_default()
    return found


def gbp(value: float | None) -> str:
    if value is None:
        return "cost not known"
    if value == 0:
        return "no cost"
    return f"£{value:,.0f}"


def duration(weeks: float | None) -> str:
    if weeks is None:
        return "time not known"
    weeks = round(weeks)
    if weeks == 0:
        return "now"
    if weeks < 9:
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    months = round(weeks / 4.345)
    if months < 24:
        return f"{weeks} weeks (about {months} months)"
    return f"{weeks} weeks (about {weeks / 52.18:.1f} years)"


def band_pay(band: str | None) -> str | None:
    """ "£32,074 to £39,043 a year (2026/27 pay, to be confirmed)" from the pay fixture, with the
    pay year and whether the figures are confirmed; None off the scale (doctors) or unknown."""
    if not band:
        return None
    scale = pay_bands()
    found = scale.get(band)
    if found is None:
        return None
    low, high = found
    figure = f"£{low:,.0f} a year" if low == high else f"£{low:,.0f} to £{high:,.0f} a year"
    sure = scale.band(band)
    tbc = ", to be confirmed" if sure is not None and sure.confidence != "official" else ""
    return f"{figure} ({scale.year} pay{tbc})"


def pay_year() -> str:
    """What the pages' pay figures are: "2026/27 pay (derived from 2025/26 + 3.3%, to be confirmed)"."""
    return pay_bands().label


def pay_range(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "–"
    return gbp(low) if low == high else f"{gbp(low)} to {gbp(high)}"


@dataclass(frozen=True, slots=True)
class Step:
    credential: str
    label: str
    weeks: int
    cost: str
    where: str | None
    notes: tuple[str, ...]
    unconfirmed: bool
    source: str | None
    #: "December 2026": when the step's facts were last checked.
    checked: str | None = None
    #: Whether the time and the fee are from an official page ("to be confirmed" when not).
    weeks_tbc: bool = False
    cost_tbc: bool = False
    #: Why a figure is to be confirmed, as the fixture says ("GBP 268: third-party PLAB guides ...").
    cost_basis: str | None = None


#: How the engine labels a step's notes, and how a resident reads them.
_NOTE_LABELS = {"suggested first: ": "Why this step first: ", "concession: ": "Help with the fee: "}


def plain_note(note: str) -> str:
    """A step's note as a resident reads it: the engine's labels ("concession: ") in words."""
    for label, words in _NOTE_LABELS.items():
        if note.startswith(label):
            rest = note[len(label) :]
            return words + rest[:1].upper() + rest[1:]
    return note


def total_cost(value: float | None) -> str:
    """ "costing £1,234", or "at no cost": never "costing no cost"."""
    if value is None:
        return "at a cost we do not know"
    return "at no cost" if value == 0 else f"costing {gbp(value)}"


def _figure(step: dict[str, Any], name: str) -> dict[str, Any]:
    return next((f for f in step.get("facts") or [] if f.get("figure") == name), {})


def steps(pathway: dict[str, Any] | None) -> list[Step]:
    """The pathway's ordered steps, each with where to get it (the credential's provider hint)."""
    if not pathway:
        return []
    known = graph()
    found = []
    for step in pathway.get("steps", []):
        credential = step["credential"]
        hint = known[credential].provider_hint if credential in known else None
        found.append(
            Step(
                credential=credential,
                label=step["label"],
                weeks=step["weeks"],
                cost=gbp(step.get("cost_gbp")),
                where=hint,
                notes=tuple(plain_note(str(n)) for n in step.get("notes") or ()),
                unconfirmed=bool(step.get("unconfirmed")),
                source=step.get("source"),
                checked=step.get("checked"),
                weeks_tbc=bool(_figure(step, "weeks").get("to_be_confirmed", step.get("unconfirmed"))),
                cost_tbc=bool(_figure(step, "cost_gbp").get("to_be_confirmed", step.get("unconfirmed"))),
                cost_basis=_figure(step, "cost_gbp").get("note"),
            )
        )
    return found


def bridge_roles(assessments: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bridge roles across several assessments, each once, in the order first suggested."""
    seen: dict[str, dict[str, Any]] = {}
    for assessment in assessments:
        for role in assessment.get("bridge_roles") or []:
            seen.setdefault(role["occupation_id"], role)
    return list(seen.values())


#: Where each criterion is judged, in the words a resident or recruiter reads.
JUDGED = {
    "profile": "From the application",
    "interview": "At interview",
    "after_offer": "After an offer",
}
#: What each kind of criterion is, in plain words (the recruiter's "how we read your criteria").
KINDS = {
    "credential": "registration or certificate",
    "qualification": "qualification",
    "experience": "experience",
    "skill": "skill or knowledge",
    "language": "English",
    "check": "pre-employment check",
    "quality": "personal quality",
    "condition": "condition of the job",
}


def requirement_rows(assessment: dict[str, Any]) -> list[dict[str, Any]]:
    """Essential first, then desirable; within each, criteria judged from the application first
    (unmet before met), then those shown at interview, checked after an offer, or not read."""
    # A structured criterion ({"kind": "credential", "id": "dbs-enhanced"}) has its id for text:
    # people read the credential's name instead.
    rows = [
        {**r, "text": credential_label(r["concept_id"]) or r["text"]} if r.get("text") == r.get("concept_id") else r
        for r in assessment.get("requirements") or []
    ]
    order = {"profile": 0, "interview": 1, "after_offer": 2}
    return sorted(
        rows,
        key=lambda r: (
            not r["essential"],
            not r.get("understood", True),
            order.get(r.get("assessed", "profile"), 0),
            r["met"],
        ),
    )


def verdict(requirement: dict[str, Any]) -> str:
    """The "Met?" cell: yes or no for what the application shows; where the rest is judged."""
    if not requirement.get("understood", True):
        return "The employer will check"
    assessed = requirement.get("assessed", "profile")
    if assessed == "profile" or (requirement["met"] and requirement.get("kind") not in ("quality", "condition")):
        return "Yes" if requirement["met"] else "No"
    return "Shown at interview" if assessed == "interview" else "Checked after an offer"


def later(assessment: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Essential criteria not judged from the application, grouped: shown at interview, checked
    after an offer, and not read (the employer checks them)."""
    out: dict[str, list[dict[str, Any]]] = {"interview": [], "after_offer": [], "unread": []}
    for r in assessment.get("requirements") or []:
        if not r["essential"]:
            continue
        if not r.get("understood", True):
            out["unread"].append(r)
        elif r.get("assessed") in ("interview", "after_offer"):
            out[r["assessed"]].append(r)
    return out


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind)


def judged_label(assessed: str | None) -> str:
    return JUDGED.get(assessed or "profile", assessed or "")


def volunteering() -> list[dict[str, Any]]:
    """What a resident who may not work yet can do meanwhile (fixtures/volunteering.json)."""
    return [v.to_dict() for v in _volunteering()]


@lru_cache(maxsize=1)
def _volunteering() -> tuple[Any, ...]:
    return load_volunteering()


def credential_label(credential_id: str | None) -> str | None:
    known = graph()
    return known[credential_id].label if credential_id and credential_id in known else credential_id


def ready_in(assessment: dict[str, Any]) -> int | None:
    """Weeks until the resident could meet every essential requirement judged from the
    application, or None when open now, blocked, or some gap has no route: the engine's
    ``weeks_to_ready``, the rule the pipeline counts by (``matcher.matching.reachable_within``)."""
    if assessment.get("eligible_now") or assessment.get("eligible_subject_to") or assessment.get("blocked_by"):
        return None
    weeks = assessment.get("weeks_to_ready")
    return int(weeks) if weeks else None


def evidence_text(evidence: dict[str, Any] | None) -> str:
    """What the evidence says, with credential ids as their names ("holds Care Certificate")."""
    if not evidence:
        return "–"
    said = str(evidence.get("text") or "")
    if said.startswith("holds "):
        said = "holds " + (credential_label(said[6:]) or said[6:])
    return said


def standing(assessment: dict[str, Any]) -> str:
    """Where a candidate stands, in words, by the rule the list is ordered by
    (``matcher.matching.Ranked.sort_key``) and the pipeline counts by."""
    if assessment.get("eligible_now"):
        return "Ready now: meets every essential requirement judged from an application"
    if assessment.get("eligible_subject_to"):
        return "Ready now, once they show the right to work in the UK (checked before anyone starts)"
    blocked = [credential_label(b) or b for b in assessment.get("blocked_by") or []]
    if blocked:
        return f"Not able to start without: {', '.join(str(b) for b in blocked)} (no course changes this)"
    weeks = ready_in(assessment)
    if weeks is not None:
        goals: list[str] = []
        for gap in assessment.get("gaps") or []:
            for goal in gap.get("closed_by") or []:
                label = str(credential_label(goal) or goal)
                if label not in goals:
                    goals.append(label)
        what = " and ".join(goals) if goals else "the steps in their plan"
        sentence = f"{what} in about {duration(weeks)}"
        return sentence[0].upper() + sentence[1:]
    open_gaps = [g for g in assessment.get("gaps") or [] if not g.get("closable")]
    if open_gaps:
        return f"Not yet eligible: {open_gaps[0].get('text')} (no course we know of gives it)"
    return "Not yet eligible"


def gaps(assessment: dict[str, Any]) -> list[str]:
    """Each unmet essential criterion judged from the application: what closes it, or why no course does."""
    return [str(g["reason"]) for g in assessment.get("gaps") or []]


def country_name(code: str) -> str:
    from .forms import COUNTRIES

    return COUNTRIES.get(code, code)


def status_label(status: str | None) -> str:
    """An immigration status in plain words ("Refugee status or humanitarian protection")."""
    from .forms import IMMIGRATION_STATUSES

    return IMMIGRATION_STATUSES.get(status or "", "Not given")


def install(app: Any) -> None:
    app.add_template_filter(status_label)
    app.add_template_filter(country_name)
    app.add_template_filter(gbp)
    app.add_template_filter(total_cost)
    app.add_template_filter(duration)
    app.add_template_filter(band_pay)
    app.add_template_global(pay_year)
    app.add_template_global(steps)
    app.add_template_global(pay_range)
    app.add_template_global(requirement_rows)
    app.add_template_global(gaps)
    app.add_template_global(standing)
    app.add_template_global(credential_label)
    app.add_template_global(ready_in)
    app.add_template_global(evidence_text)
    app.add_template_global(verdict)
    app.add_template_global(later)
    app.add_template_global(kind_label)
    app.add_template_global(judged_label)
