"""Plan the route to unmet credentials: fewest and fastest steps, prerequisites first.

For each goal the planner takes the credential's prerequisites (AND of all, OR of
alternatives), skipping what the resident already holds. Among alternatives it picks the one
whose own steps finish soonest (then fewest steps, then cheapest). Steps are ordered so every
step comes after its prerequisites. ``total_weeks`` is the critical path: steps that can run
side by side do not add up. Costs apply documented concessions (refugees sit PLAB 1 free).

A credential's ``suggested_first`` steps (Functional Skills Level 1 before Level 2) are soft
prerequisites: planned, and ordered first, only when their condition holds for this resident
(no recognised qualification at the stated level or above) and they are not already held.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .credentials import Credential, CredentialGraph, Expr, SuggestedFirst, concession_applies, expression_ids


@dataclass(frozen=True, slots=True)
class Step:
    credential: str
    label: str
    weeks: int
    cost_gbp: float | None
    after: tuple[str, ...]
    source: str | None
    as_of: str | None
    provider_type: str | None = None
    notes: tuple[str, ...] = ()
    unconfirmed: bool = False
    #: The weakest confidence among the step's route, fee and time (official, third_party,
    #: derived, unconfirmed); "checked" is the month its facts were last checked ("December 2026").
    confidence: str = "unconfirmed"
    checked: str | None = None
    #: Each figure with its provenance: {"figure", "value", "source", "as_of", "checked",
    #: "confidence", "to_be_confirmed", "note", "effective"}.
    facts: tuple[Mapping[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "credential": self.credential,
            "label": self.label,
            "weeks": self.weeks,
            "cost_gbp": self.cost_gbp,
            "after": list(self.after),
            "source": self.source,
            "as_of": self.as_of,
            "provider_type": self.provider_type,
            "notes": list(self.notes),
            "unconfirmed": self.unconfirmed,
            "confidence": self.confidence,
            "checked": self.checked,
            "facts": [dict(f) for f in self.facts],
        }


#: Weakest first: a step is as sure as its least sure figure.
_CONFIDENCE_ORDER = ("unconfirmed", "third_party", "derived", "official")


def checked_month(as_of: str | None) -> str | None:
    """ "2026-12-01" -> "December 2026" (None when not a date)."""
    try:
        return date.fromisoformat(str(as_of)).strftime("%B %Y") if as_of else None
    except ValueError:
        return None


def step_facts(
    credential: Credential, cost: float | None, concession: str | None, statuses: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], ...]:
    """The step's fee and time (and attempt limit) with where each comes from and how sure it is;
    a concession's fee is as sure as the concession's own source."""
    out: list[dict[str, Any]] = []
    values: dict[str, Any] = {"cost_gbp": cost, "weeks": credential.weeks}
    if credential.extra.get("max_attempts") is not None:
        values["max_attempts"] = credential.extra["max_attempts"]
    applied = next(
        (
            c
            for c in credential.concessions
            if concession and concession_applies(c, statuses) and c.get("cost_gbp") is not None
        ),
        None,
    )
    for name, value in values.items():
        fact = applied if name == "cost_gbp" and applied is not None else credential.fact(name)
        confidence = str(fact.get("confidence") or "unconfirmed")
        record = {
            "figure": name,
            "value": value,
            "source": fact.get("source"),
            "as_of": fact.get("as_of"),
            "checked": checked_month(fact.get("as_of")),
            "confidence": confidence,
            "to_be_confirmed": confidence != "official",
            "note": fact.get("note"),
            "effective": fact.get("effective"),
        }
        if name == "cost_gbp" and concession:
            record["note"] = f"{concession} (usual fee: {credential.cost_gbp})"
        out.append(record)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Unreachable:
    credential: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"credential": self.credential, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Pathway:
    steps: tuple[Step, ...]
    total_weeks: int
    total_cost_gbp: float
    #: Goals no training can reach for this resident (no qualification opening the route).
    unreachable: tuple[Unreachable, ...] = field(default=())
    #: Steps whose fee is not known: the total is then a lower bound.
    cost_unknown_for: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "steps": [s.to_dict() for s in self.steps],
            "total_weeks": self.total_weeks,
            "total_cost_gbp": round(self.total_cost_gbp, 2),
            "cost_unknown_for": list(self.cost_unknown_for),
            "unreachable": [u.to_dict() for u in self.unreachable],
        }


@dataclass(frozen=True, slots=True)
class PlanContext:
    """What the planner needs to know about the resident."""

    held: frozenset[str]
    #: Professions of the resident's recognised qualifications ("doctor", "nurse", ...).
    professions: frozenset[str] = frozenset()
    #: Statuses that concessions key on ("refugee").
    statuses: frozenset[str] = frozenset()
    #: Recognised qualification concept ids (for waivers: UK graduates skip overseas tests).
    qualifications: frozenset[str] = frozenset()
    #: RQF/FHEQ levels of the recognised qualifications (empty: none at any level), for the
    #: conditions of suggested-first steps; held credentials with a level (Functional Skills)
    #: count too. None when not known: then nothing is suggested.
    qualification_levels: frozenset[int] | None = None
    #: Notes about this resident for a step (credential id -> notes), e.g. which English score
    #: fell short: "your writing 6.5 is below the 7.0 the GMC asks for".
    step_notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class _Planner:
    def __init__(self, graph: CredentialGraph, context: PlanContext) -> None:
        self.graph = graph
        self.context = context
        self._memo: dict[str, frozenset[str] | None] = {}
        self.blocked: dict[str, str] = {}
        # Suggested-first conditions look at qualification levels; a held credential that is
        # itself a qualification (Functional Skills Level 1) counts at its level.
        levels = context.qualification_levels
        held_levels = (graph[c].level for c in context.held if c in graph)
        self.levels = None if levels is None else levels | {level for level in held_levels if level is not None}

    def entry_open(self, credential: Credential) -> tuple[bool, str]:
        entry = credential.entry
        if not entry:
            return True, ""
        wanted = entry.get("profession") or entry.get("professions")
        if wanted is None:
            return True, ""
        options = {wanted} if isinstance(wanted, str) else set(wanted)
        if not options & self.context.professions:
            return False, f"needs a recognised {' or '.join(sorted(options))} qualification to start this route"
        # A field of a profession's register (mental health nursing) opens only to a qualification in it.
        qualifications = set(entry.get("qualifications") or ())
        if qualifications and not qualifications & self.context.qualifications:
            return (
                False,
                "needs a qualification in this field of practice: "
                "the regulator registers you in the field you trained in",
            )
        return True, ""

    def closure(self, expr: Expr | None) -> frozenset[str] | None:
        """Credentials to gain so that ``expr`` holds; None when no route exists."""
        if expr is None:
            return frozenset()
        if isinstance(expr, str):
            return self.closure_of(expr)
        if "all" in expr:
            out: set[str] = set()
            for item in expr["all"]:
                part = self.closure(item)
                if part is None:
                    return None
                out |= part
            return frozenset(out)
        options = [self.closure(item) for item in expr.get("any", ())]
        feasible = [o for o in options if o is not None]
        if not feasible:
            return None
        return min(
            feasible, key=lambda steps: (self.critical_weeks(steps), len(steps), self.cost(steps), sorted(steps))
        )

    def closure_of(self, credential_id: str) -> frozenset[str] | None:
        if credential_id in self.context.held:
            return frozenset()
        if credential_id in self._memo:
            return self._memo[credential_id]
        self._memo[credential_id] = None  # guards against a cycle the loader would have refused
        credential = self.graph[credential_id]
        result: frozenset[str] | None
        if credential.is_gate:
            self.blocked[credential_id] = "a gate no training can meet"
            result = None
        elif credential.extra.get("no_planned_route"):
            self.blocked[credential_id] = str(credential.extra["no_planned_route"])
            result = None
        else:
            is_open, why = self.entry_open(credential)
            if not is_open:
                self.blocked[credential_id] = why
                result = None
            else:
                below = self.closure(credential.requires)
                result = None if below is None else below | {credential_id} | self.suggested_closure(credential_id)
        self._memo[credential_id] = result
        return result

    def suggested(self, credential_id: str) -> tuple[SuggestedFirst, ...]:
        """The credential's suggested-first entries whose condition holds for this resident."""
        levels = self.levels
        if levels is None:
            return ()
        return tuple(s for s in self.graph[credential_id].suggested_first if s.applies(levels))

    def suggested_closure(self, credential_id: str) -> frozenset[str]:
        """Steps the suggestions add; a suggestion with no route is dropped, as it is only advice."""
        out: set[str] = set()
        for suggestion in self.suggested(credential_id):
            out |= self.closure_of(suggestion.id) or frozenset()
        return frozenset(out)

    def prerequisites_within(self, credential_id: str, steps: frozenset[str]) -> tuple[str, ...]:
        """Direct prerequisites of a step that are themselves steps (the chosen alternatives),
        suggested-first steps included."""
        before = expression_ids(self.graph[credential_id].requires) | {s.id for s in self.suggested(credential_id)}
        return tuple(sorted(before & steps))

    def finish_weeks(self, steps: frozenset[str]) -> dict[str, int]:
        finish: dict[str, int] = {}

        def visit(node: str) -> int:
            if node not in finish:
                before = [visit(p) for p in self.prerequisites_within(node, steps)]
                finish[node] = (self.graph[node].weeks or 0) + max(before, default=0)
            return finish[node]

        for node in steps:
            visit(node)
        return finish

    def critical_weeks(self, steps: frozenset[str]) -> int:
        return max(self.finish_weeks(steps).values(), default=0)

    def cost(self, steps: frozenset[str]) -> float:
        return sum(self.graph[s].cost_for(self.context.statuses)[0] or 0.0 for s in steps)


def effective_held(graph: CredentialGraph, held: Iterable[str], qualifications: Iterable[str] = ()) -> frozenset[str]:
    """What a resident holds once equivalences apply.

    ``counts_as`` (an SLT's HCPC registration is an HCPC registration; the SLT English level
    meets the general one) and ``waived_by`` (graduates of a UK-approved programme skip the
    overseas English test; MRCP holders skip PLAB) both widen what is held.
    """
    key = (frozenset(held), frozenset(qualifications))
    cache = graph.widened
    found = cache.get(key)
    if found is not None:
        return found
    out = {c for c in key[0]}
    quals = set(key[1])
    for credential in graph:
        for waiver in credential.extra.get("waived_by") or ():
            if quals & set(waiver.get("qualifications") or ()):
                out |= set(waiver.get("waives") or ())
    changed = True
    while changed:
        changed = False
        for credential_id in list(out):
            if credential_id in graph:
                for other in graph[credential_id].extra.get("counts_as") or ():
                    if other not in out:
                        out.add(other)
                        changed = True
    found = frozenset(out)
    if len(cache) < 100_000:  # residents share a few combinations of what they hold
        cache[key] = found
    return found


def plan_pathway(graph: CredentialGraph, goals: Iterable[str], context: PlanContext) -> Pathway | None:
    """The pathway to every goal credential not yet held; None when nothing is needed.

    Plans are pure functions of the graph, the goals and the context, and residents share a
    few combinations of what they hold, so each is planned once per graph (the result is
    immutable)."""
    goals = tuple(dict.fromkeys(goals))
    key = (
        goals,
        context.held,
        context.professions,
        context.statuses,
        context.qualifications,
        context.qualification_levels,
        tuple(sorted((k, tuple(v)) for k, v in context.step_notes.items())),
    )
    cache = graph.plans
    if key in cache:
        return cache[key]
    plan = _plan_pathway(graph, goals, context)
    if len(cache) < 100_000:
        cache[key] = plan
    return plan


def _plan_pathway(graph: CredentialGraph, goals: tuple[str, ...], context: PlanContext) -> Pathway | None:
    held = effective_held(graph, context.held, context.qualifications)
    context = replace(context, held=held)
    planner = _Planner(graph, context)
    needed: set[str] = set()
    unreachable: list[Unreachable] = []
    for goal in dict.fromkeys(goals):
        if goal in context.held:
            continue
        # A goal with variants (HCPC registration for an SLT or a biomedical scientist) is
        # reached through the variant whose route this resident can enter.
        for variant in graph[goal].extra.get("variants") or ():
            if variant in graph and planner.entry_open(graph[variant])[0]:
                goal = variant
                break
        steps = planner.closure_of(goal)
        if steps is None:
            under = _ids_below(graph, goal)
            reasons = [f"{cid}: {why}" for cid, why in planner.blocked.items() if cid in under]
            unreachable.append(Unreachable(goal, "; ".join(reasons) or "no route in the credential graph"))
        else:
            needed |= steps
    if not needed and not unreachable:
        return None
    chosen = frozenset(needed)
    finish = planner.finish_weeks(chosen)
    order = _topological(chosen, planner, finish)
    # Why a suggested-first step is on the plan: the advice of the step it comes before.
    advice: dict[str, list[SuggestedFirst]] = {}
    for credential_id in order:
        for suggestion in planner.suggested(credential_id):
            if suggestion.id in chosen:
                advice.setdefault(suggestion.id, []).append(suggestion)
    steps_out: list[Step] = []
    total_cost = 0.0
    for credential_id in order:
        credential = graph[credential_id]
        cost, concession = credential.cost_for(context.statuses)
        total_cost += cost or 0.0
        notes = [str(limit.get("note")) for limit in credential.time_limits if limit.get("note")]
        if concession:
            notes.append(f"concession: {concession}")
        notes.extend(credential.status_notes(context.statuses))
        notes.extend(context.step_notes.get(credential_id, ()))
        suggestions = advice.get(credential_id, [])
        notes.extend(dict.fromkeys(f"suggested first: {s.note}" for s in suggestions if s.note))
        facts = step_facts(credential, cost, concession, context.statuses)
        confidences = [credential.confidence or "unconfirmed", *(f["confidence"] for f in facts)]
        confidences += ["unconfirmed" for s in suggestions if s.unconfirmed]
        weakest = min(confidences, key=lambda c: _CONFIDENCE_ORDER.index(c) if c in _CONFIDENCE_ORDER else 0)
        steps_out.append(
            Step(
                credential=credential_id,
                label=credential.label,
                weeks=credential.weeks or 0,
                cost_gbp=cost,
                after=planner.prerequisites_within(credential_id, chosen),
                source=credential.source,
                as_of=credential.as_of,
                provider_type=credential.provider_type,
                notes=tuple(notes),
                unconfirmed=credential.unconfirmed or any(s.unconfirmed for s in suggestions),
                confidence=weakest,
                checked=checked_month(min((str(f["as_of"]) for f in facts if f["as_of"]), default=credential.as_of)),
                facts=facts,
            )
        )
    unknown = tuple(step.credential for step in steps_out if step.cost_gbp is None)
    return Pathway(tuple(steps_out), max(finish.values(), default=0), total_cost, tuple(unreachable), unknown)


def _ids_below(graph: CredentialGraph, goal: str) -> set[str]:
    """The goal and every credential in its prerequisite tree."""
    seen: set[str] = set()
    frontier = [goal]
    while frontier:
        node = frontier.pop()
        if node in seen or node not in graph:
            continue
        seen.add(node)
        frontier.extend(expression_ids(graph[node].requires))
    return seen


def _topological(steps: frozenset[str], planner: _Planner, finish: Mapping[str, int]) -> list[str]:
    """Every step after its prerequisites; among those ready, the earliest start first."""
    graph = planner.graph
    waiting = {s: set(planner.prerequisites_within(s, steps)) for s in steps}
    ready = [s for s, before in waiting.items() if not before]
    order: list[str] = []
    while ready:
        ready.sort(key=lambda c: (finish[c] - (graph[c].weeks or 0), finish[c], c))
        step = ready.pop(0)
        order.append(step)
        for other, before in waiting.items():
            if step in before:
                before.discard(step)
                if not before and other not in order and other not in ready:
                    ready.append(other)
    return order


def describe_steps(pathway: Pathway | None) -> Mapping[str, Step]:
    """Steps by credential id (handy for explanations and tests)."""
    return {} if pathway is None else {s.credential: s for s in pathway.steps}
