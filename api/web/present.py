"""Shape engine results for the pages: plain English, money and time people can read.

Nothing here decides anything; it re-presents the contract's assessment (met and unmet
requirements with evidence, pathway steps, bridge roles) with the details a person needs next:
where to get each step, what a band pays, how long "60 weeks" is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from matcher.credentials import CredentialGraph
from matcher.pay import PayBands


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
                notes=tuple(step.get("notes") or ()),
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


def requirement_rows(assessment: dict[str, Any]) -> list[dict[str, Any]]:
    """Essential first, then desirable; unmet before met within each, for scanning a shortlist."""
    rows = list(assessment.get("requirements") or [])
    return sorted(rows, key=lambda r: (not r["essential"], r["met"]))


def credential_label(credential_id: str | None) -> str | None:
    known = graph()
    return known[credential_id].label if credential_id and credential_id in known else credential_id


#: Requirement kinds met by gaining a credential (the only gaps a pathway can close).
CREDENTIAL_KINDS = frozenset({"credential", "language", "check"})


def ready_in(assessment: dict[str, Any]) -> int | None:
    """Weeks until the resident could meet every essential requirement, or None when a gap has
    no route (experience, skills) or the route is closed; the rule the pipeline counts by
    (``matcher.matching.reachable_within``)."""
    pathway = assessment.get("pathway")
    if assessment.get("eligible_now") or not pathway or pathway.get("unreachable") or assessment.get("blocked_by"):
        return None
    if any(
        r["essential"] and not r["met"] and r["kind"] not in CREDENTIAL_KINDS
        for r in assessment.get("requirements") or []
    ):
        return None
    return int(pathway["total_weeks"])


def evidence_text(evidence: dict[str, Any] | None) -> str:
    """What the evidence says, with credential ids as their names ("holds Care Certificate")."""
    if not evidence:
        return "–"
    said = str(evidence.get("text") or "")
    if said.startswith("holds "):
        said = "holds " + (credential_label(said[6:]) or said[6:])
    return said


def gaps(assessment: dict[str, Any]) -> list[str]:
    return [r["label"] or r["text"] for r in assessment.get("requirements") or [] if r["essential"] and not r["met"]]


def status_label(status: str | None) -> str:
    """An immigration status in plain words ("Refugee status or humanitarian protection")."""
    from .forms import IMMIGRATION_STATUSES

    return IMMIGRATION_STATUSES.get(status or "", "Not given")


def install(app: Any) -> None:
    app.add_template_filter(status_label)
    app.add_template_filter(gbp)
    app.add_template_filter(duration)
    app.add_template_filter(band_pay)
    app.add_template_global(pay_year)
    app.add_template_global(steps)
    app.add_template_global(pay_range)
    app.add_template_global(requirement_rows)
    app.add_template_global(gaps)
    app.add_template_global(credential_label)
    app.add_template_global(ready_in)
    app.add_template_global(evidence_text)
