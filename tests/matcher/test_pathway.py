"""matcher.pathway: ordered steps to the credentials a resident lacks, on the critical path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.credentials import CredentialGraph, expression_ids
from matcher.pathway import Pathway, PlanContext, describe_steps, effective_held, plan_pathway

DOCTOR = frozenset({"doctor"})
GMC_ROUTE = ["english-gmc", "plab-1", "plab-2", "gmc-registration"]


def plan(graph: CredentialGraph, goal: str, **context: Any) -> Pathway:
    context.setdefault("held", frozenset())
    pathway = plan_pathway(graph, [goal], PlanContext(**context))
    assert pathway is not None
    return pathway


def ids(pathway: Pathway | None) -> list[str]:
    return [] if pathway is None else [s.credential for s in pathway.steps]


def in_order(sequence: list[str], wanted: list[str]) -> bool:
    return [x for x in sequence if x in wanted] == wanted


# -- doctors -------------------------------------------------------------------------------------
def test_gmc_route_from_nothing_is_ordered(credential_graph: CredentialGraph) -> None:
    pathway = plan(credential_graph, "gmc-registration", professions=DOCTOR)
    steps = ids(pathway)
    assert set(GMC_ROUTE) <= set(steps)
    assert in_order(steps, GMC_ROUTE), steps
    assert steps[-1] == "gmc-registration"
    assert pathway.unreachable == ()
    by_id = describe_steps(pathway)
    assert by_id["plab-1"].after == ("english-gmc",)
    assert by_id["plab-2"].after == ("plab-1",)
    for step in pathway.steps:
        assert step.source, step.credential
        assert step.as_of, step.credential


@pytest.mark.parametrize(
    ("held", "order"),
    [("plab-1", ["plab-2", "gmc-registration"]), ("english-gmc", ["plab-1", "plab-2", "gmc-registration"])],
)
def test_held_credentials_are_not_planned(credential_graph: CredentialGraph, held: str, order: list[str]) -> None:
    pathway = plan(credential_graph, "gmc-registration", held=frozenset({held}), professions=DOCTOR)
    steps = ids(pathway)
    assert held not in steps
    assert in_order(steps, order), steps
    for step in pathway.steps:
        assert held not in step.after


def test_plab_1_held_still_needs_english_for_registration(credential_graph: CredentialGraph) -> None:
    # PLAB 1 implies English was passed once, but registration itself asks for a valid result.
    steps = ids(plan(credential_graph, "gmc-registration", held=frozenset({"plab-1"}), professions=DOCTOR))
    assert "plab-1" not in steps
    assert "english-gmc" in steps


def test_total_weeks_is_the_critical_path_and_cost_the_sum(credential_graph: CredentialGraph) -> None:
    pathway = plan(credential_graph, "gmc-registration", professions=DOCTOR)
    weeks = {s.credential: s.weeks for s in pathway.steps}
    # Independent steps (verification, internship) run alongside English and PLAB.
    assert pathway.total_weeks < sum(weeks.values())
    assert pathway.total_weeks == sum(weeks[c] for c in GMC_ROUTE)
    assert pathway.total_cost_gbp == pytest.approx(sum(s.cost_gbp or 0.0 for s in pathway.steps))
    record = pathway.to_dict()
    assert record["total_weeks"] == pathway.total_weeks
    assert [s["credential"] for s in record["steps"]] == ids(pathway)


def test_refugees_sit_plab_1_free(credential_graph: CredentialGraph) -> None:
    standard = plan(credential_graph, "gmc-registration", professions=DOCTOR)
    refugee = plan(credential_graph, "gmc-registration", professions=DOCTOR, statuses=frozenset({"refugee"}))
    plab_1 = describe_steps(refugee)["plab-1"]
    assert plab_1.cost_gbp == 0
    assert any("concession" in note for note in plab_1.notes)
    assert describe_steps(standard)["plab-1"].cost_gbp == credential_graph["plab-1"].cost_gbp > 0
    assert refugee.total_cost_gbp == pytest.approx(standard.total_cost_gbp - credential_graph["plab-1"].cost_gbp)
    assert ids(refugee) == ids(standard)


def test_a_route_without_its_entry_qualification_is_unreachable(credential_graph: CredentialGraph) -> None:
    pathway = plan(credential_graph, "gmc-registration", professions=frozenset())
    assert pathway.steps == ()
    [unreachable] = pathway.unreachable
    assert unreachable.credential == "gmc-registration"
    assert "doctor" in unreachable.reason
    assert pathway.to_dict()["unreachable"] == [{"credential": "gmc-registration", "reason": unreachable.reason}]


def test_nothing_to_do_is_no_pathway(credential_graph: CredentialGraph) -> None:
    held = frozenset({"gmc-registration"})
    assert plan_pathway(credential_graph, ["gmc-registration"], PlanContext(held, DOCTOR)) is None
    assert plan_pathway(credential_graph, [], PlanContext(frozenset())) is None


def test_right_to_work_is_never_a_step(credential_graph: CredentialGraph) -> None:
    pathway = plan(credential_graph, "right-to-work")
    assert pathway.steps == ()
    assert [u.credential for u in pathway.unreachable] == ["right-to-work"]


def test_unreachable_reasons_belong_to_their_own_goal(credential_graph: CredentialGraph) -> None:
    pathway = plan_pathway(credential_graph, ["gmc-registration", "gphc-registration"], PlanContext(frozenset()))
    assert pathway is not None
    reasons = {u.credential: u.reason for u in pathway.unreachable}
    assert "gmc" not in reasons["gphc-registration"]
    assert "gphc" not in reasons["gmc-registration"]
    assert "pharmacist" in reasons["gphc-registration"]


# -- nurses, allied health, waivers --------------------------------------------------------------
def test_nmc_route_is_ordered(credential_graph: CredentialGraph) -> None:
    steps = ids(plan(credential_graph, "nmc-registration-nurse", professions=frozenset({"nurse"})))
    assert in_order(steps, ["english-nmc", "nmc-cbt", "nmc-osce", "nmc-registration-nurse"]), steps


def test_hcpc_registration_for_an_slt_uses_the_slt_variant(credential_graph: CredentialGraph) -> None:
    pathway = plan(credential_graph, "hcpc-registration", professions=frozenset({"speech and language therapist"}))
    steps = ids(pathway)
    assert "english-hcpc-slt" in steps
    assert "english-hcpc" not in steps
    assert steps[-1] == "hcpc-registration-slt"
    assert pathway.unreachable == ()


def test_hcpc_registration_for_a_biomedical_scientist_needs_ibms(credential_graph: CredentialGraph) -> None:
    steps = ids(plan(credential_graph, "hcpc-registration", professions=frozenset({"biomedical scientist"})))
    assert in_order(steps, ["ibms-certificate", "hcpc-registration-biomedical-scientist"])
    assert "english-hcpc" in steps


def test_hcpc_registration_for_a_physiotherapist(credential_graph: CredentialGraph) -> None:
    # The HCPC register has a part per profession: a physiotherapist joins that part.
    steps = ids(plan(credential_graph, "hcpc-registration", professions=frozenset({"physiotherapist"})))
    assert steps == ["english-hcpc", "hcpc-registration-physiotherapist"]


def test_a_uk_physiotherapy_graduate_needs_no_english_test(credential_graph: CredentialGraph) -> None:
    pathway = plan(
        credential_graph,
        "hcpc-registration",
        professions=frozenset({"physiotherapist"}),
        qualifications=frozenset({"qual-bsc-physiotherapy-uk"}),
    )
    assert ids(pathway) == ["hcpc-registration-physiotherapist"]
    assert "english-hcpc" in effective_held(credential_graph, (), ["qual-bsc-physiotherapy-uk"])


def test_the_slt_english_level_counts_as_the_general_one(credential_graph: CredentialGraph) -> None:
    held = effective_held(credential_graph, ["english-hcpc-slt", "hcpc-registration-slt"])
    assert {"english-hcpc", "hcpc-registration"} <= held
    assert (
        plan_pathway(credential_graph, ["hcpc-registration"], PlanContext(frozenset({"hcpc-registration-slt"}))) is None
    )


def test_mrcp_holders_skip_plab(credential_graph: CredentialGraph) -> None:
    steps = ids(
        plan(credential_graph, "gmc-registration", professions=DOCTOR, qualifications=frozenset({"qual-mrcp-uk"}))
    )
    assert not {"plab-1", "plab-2"} & set(steps)
    assert "english-gmc" in steps


# -- suggested-first steps: Functional Skills Level 1 before Level 2 -----------------------------
FS_L1 = ["functional-skills-english-l1", "functional-skills-maths-l1"]
FS_L2 = ["functional-skills-english-l2", "functional-skills-maths-l2"]
NO_QUALIFICATIONS: frozenset[int] = frozenset()


def test_no_qualification_puts_level_1_before_level_2(credential_graph: CredentialGraph) -> None:
    pathway = plan(credential_graph, "functional-skills-english-l2", qualification_levels=NO_QUALIFICATIONS)
    assert ids(pathway) == ["functional-skills-english-l1", "functional-skills-english-l2"]
    level_1, level_2 = pathway.steps
    assert level_1.after == ()
    assert level_2.after == ("functional-skills-english-l1",)
    # One after the other: both lie on the critical path, and both are paid for.
    assert pathway.total_weeks == level_1.weeks + level_2.weeks
    assert level_1.weeks == credential_graph["functional-skills-english-l1"].weeks
    assert pathway.total_cost_gbp == pytest.approx((level_1.cost_gbp or 0.0) + (level_2.cost_gbp or 0.0))
    assert level_1.source
    assert level_1.unconfirmed
    assert any(note.startswith("suggested first:") for note in level_1.notes)
    assert not any(note.startswith("suggested first:") for note in level_2.notes)


def plan_many(graph: CredentialGraph, goals: list[str], **context: Any) -> Pathway:
    context.setdefault("held", frozenset())
    pathway = plan_pathway(graph, goals, PlanContext(**context))
    assert pathway is not None
    return pathway


def test_the_nursing_associate_route_no_longer_needs_level_2_english_and_maths(
    credential_graph: CredentialGraph,
) -> None:
    # Since 11 Feb 2025 apprentices aged 19+ need not achieve level 2 English and maths
    # (DOMAIN.md, audit of 2026-12-01): the national route has no Functional Skills step, even
    # for a resident with no qualification at all.
    steps = ids(plan(credential_graph, "nmc-registration-nursing-associate", qualification_levels=NO_QUALIFICATIONS))
    assert steps == ["nursing-associate-fdsc", "nmc-registration-nursing-associate"]
    assert "employer may still ask" in (credential_graph["nursing-associate-fdsc"].extra.get("note") or "") or (
        "employers still ask" in (credential_graph["nursing-associate-fdsc"].extra.get("note") or "")
    )


def test_level_1_steps_lie_on_the_critical_path_when_an_employer_asks_for_level_2(
    credential_graph: CredentialGraph,
) -> None:
    # A trainee nursing associate advert that asks for level 2 English and maths names them itself.
    without = plan_many(credential_graph, FS_L2, qualification_levels=NO_QUALIFICATIONS)
    with_level_2 = plan_many(credential_graph, FS_L2, qualification_levels=frozenset({2}))
    steps = ids(without)
    for subject in ("english", "maths"):
        assert in_order(steps, [f"functional-skills-{subject}-l1", f"functional-skills-{subject}-l2"]), steps
    assert set(steps) - set(ids(with_level_2)) == set(FS_L1)
    assert without.total_weeks == with_level_2.total_weeks + (
        credential_graph["functional-skills-english-l1"].weeks or 0
    )


@pytest.mark.parametrize("levels", [frozenset({1}), frozenset({2}), frozenset({1, 6}), frozenset({7})])
def test_a_qualification_at_level_1_or_above_means_no_level_1_step(
    credential_graph: CredentialGraph, levels: frozenset[int]
) -> None:
    pathway = plan_many(credential_graph, FS_L2, qualification_levels=levels)
    assert not set(FS_L1) & set(ids(pathway))
    assert set(FS_L2) <= set(ids(pathway))


def test_unknown_qualification_levels_suggest_nothing(credential_graph: CredentialGraph) -> None:
    # A caller that does not say what the resident holds gets no step guessed for them.
    assert sorted(ids(plan_many(credential_graph, FS_L2))) == sorted(FS_L2)


@pytest.mark.parametrize("held", FS_L1)
def test_holding_a_level_1_credential_drops_the_level_1_steps(credential_graph: CredentialGraph, held: str) -> None:
    # Functional Skills Level 1 is itself a qualification at level 1: neither subject's Level 1
    # is suggested any more, and the held one is never planned.
    pathway = plan_many(credential_graph, FS_L2, held=frozenset({held}), qualification_levels=NO_QUALIFICATIONS)
    assert sorted(ids(pathway)) == sorted(FS_L2)
    for step in pathway.steps:
        assert held not in step.after


def test_a_level_1_step_already_planned_appears_once_before_level_2(credential_graph: CredentialGraph) -> None:
    goals = ["functional-skills-english-l2", "functional-skills-english-l1"]
    pathway = plan_pathway(credential_graph, goals, PlanContext(frozenset(), qualification_levels=NO_QUALIFICATIONS))
    assert ids(pathway) == ["functional-skills-english-l1", "functional-skills-english-l2"]
    # Without the suggestion the two are independent and run side by side.
    side_by_side = plan_pathway(credential_graph, goals, PlanContext(frozenset(), qualification_levels=frozenset({1})))
    assert side_by_side is not None
    assert side_by_side.total_weeks == credential_graph["functional-skills-english-l2"].weeks


# -- a tiny graph in tmp_path --------------------------------------------------------------------
def write_graph(tmp_path: Path, credentials: list[dict[str, Any]]) -> CredentialGraph:
    path = tmp_path / "credentials.json"
    path.write_text(json.dumps({"credentials": credentials, "english_requirements": []}), encoding="utf-8")
    return CredentialGraph.load(path)


def test_zero_week_steps_still_follow_their_prerequisites(tmp_path: Path) -> None:
    # Both steps start and finish in week 0: only the prerequisite link can order them.
    graph = write_graph(
        tmp_path,
        [
            {"id": "z-check", "label": "Check", "kind": "check", "weeks": 0},
            {
                "id": "a-registration",
                "label": "Registration",
                "kind": "registration",
                "requires": "z-check",
                "weeks": 0,
            },
        ],
    )
    assert ids(plan(graph, "a-registration")) == ["z-check", "a-registration"]


def test_a_suggestion_with_no_route_is_dropped_not_a_block(tmp_path: Path) -> None:
    graph = write_graph(
        tmp_path,
        [
            {"id": "gate", "label": "Gate", "kind": "gate"},
            {
                "id": "course",
                "label": "Course",
                "kind": "course",
                "weeks": 3,
                "suggested_first": [{"id": "gate", "when": {"no_qualification_at_or_above_level": 1}}],
            },
        ],
    )
    pathway = plan(graph, "course", qualification_levels=frozenset())
    assert ids(pathway) == ["course"]
    assert pathway.unreachable == ()
    assert pathway.total_weeks == 3


# -- properties over the real graph --------------------------------------------------------------
_GRAPH = CredentialGraph.load_default()
_REGISTRATIONS = sorted(c.id for c in _GRAPH if c.kind == "registration")
#: Registrations, and the steps that suggest a step first (Functional Skills Level 2).
_GOALS = sorted({*_REGISTRATIONS, *(c.id for c in _GRAPH if c.suggested_first)})
_ALL_IDS = sorted(c.id for c in _GRAPH)
_PROFESSIONS = sorted(
    {
        p
        for c in _GRAPH
        if c.entry
        for p in (
            [c.entry["profession"]] if isinstance(c.entry.get("profession"), str) else c.entry.get("profession") or []
        )
    }
)
_statuses = st.sets(st.sampled_from(["refugee", "asylum_seeker"]), max_size=1)
#: Levels of the resident's qualifications: not known, none, or some.
_levels = st.one_of(st.none(), st.frozensets(st.integers(1, 8), max_size=2))

#: (goal, held, professions, statuses, qualification levels)
Case = tuple[str, frozenset[str], frozenset[str], frozenset[str], frozenset[int] | None]


def context_of(case: Case, *, held: frozenset[str] | None = None) -> PlanContext:
    _, case_held, professions, statuses, levels = case
    return PlanContext(held if held is not None else case_held, professions, statuses, qualification_levels=levels)


@st.composite
def plans(draw: st.DrawFn) -> Case:
    goal = draw(st.sampled_from(_GOALS))
    others = [c for c in _ALL_IDS if c != goal]
    held = frozenset(draw(st.sets(st.sampled_from(others), max_size=6)))
    # Usually the profession that opens the goal's route; sometimes others, or none at all.
    professions = set(draw(st.sets(st.sampled_from(_PROFESSIONS), max_size=2)))
    entry = (_GRAPH[goal].entry or {}).get("profession")
    if entry and draw(st.integers(0, 3)):
        professions.add(entry if isinstance(entry, str) else draw(st.sampled_from(sorted(entry))))
    return goal, held, frozenset(professions), frozenset(draw(_statuses)), draw(_levels)


@given(plans())
@settings(max_examples=150, deadline=None)
def test_every_step_comes_after_its_prerequisites(case: Case) -> None:
    goal, held, _, _, levels = case
    pathway = plan_pathway(_GRAPH, [goal], context_of(case))
    if pathway is None:
        return
    position = {s.credential: i for i, s in enumerate(pathway.steps)}
    have = effective_held(_GRAPH, held)
    held_levels = {level for c in have if c in _GRAPH for level in [_GRAPH[c].level] if level is not None}
    for step in pathway.steps:
        assert step.credential not in have
        for before in step.after:
            assert position[before] < position[step.credential], (goal, ids(pathway))
        # Every prerequisite is either held already or an earlier step.
        for needed in expression_ids(_GRAPH[step.credential].requires):
            assert needed in have or position.get(needed, len(position)) < position[step.credential], (
                step.credential,
                needed,
                ids(pathway),
            )
        # A suggestion whose condition holds is planned (unless held), and first.
        for suggestion in _GRAPH[step.credential].suggested_first:
            if levels is not None and suggestion.applies(levels | held_levels) and suggestion.id not in have:
                assert position.get(suggestion.id, len(position)) < position[step.credential], ids(pathway)
    assert pathway.total_cost_gbp == pytest.approx(sum(s.cost_gbp or 0.0 for s in pathway.steps))


@given(plans(), st.sampled_from(_ALL_IDS))
@settings(max_examples=150, deadline=None)
def test_holding_more_never_lengthens_the_route(case: Case, extra: str) -> None:
    goal, held = case[:2]
    before = plan_pathway(_GRAPH, [goal], context_of(case))
    after = plan_pathway(_GRAPH, [goal], context_of(case, held=held | {extra}))
    assert set(ids(after)) <= set(ids(before)), (extra, ids(before), ids(after))
    weeks_before = before.total_weeks if before else 0
    weeks_after = after.total_weeks if after else 0
    assert weeks_after <= weeks_before


@given(plans())
@settings(max_examples=150, deadline=None)
def test_total_weeks_lies_between_the_longest_step_and_the_sum(case: Case) -> None:
    pathway = plan_pathway(_GRAPH, [case[0]], context_of(case))
    if pathway is None or not pathway.steps:
        return
    weeks = [s.weeks for s in pathway.steps]
    assert max(weeks) <= pathway.total_weeks <= sum(weeks)


@given(plans(), st.integers(1, 8))
@settings(max_examples=150, deadline=None)
def test_a_further_qualification_never_lengthens_the_route(case: Case, level: int) -> None:
    goal, held, professions, statuses, levels = case
    known = levels or frozenset()
    unknown = plan_pathway(_GRAPH, [goal], PlanContext(held, professions, statuses))
    before = plan_pathway(_GRAPH, [goal], PlanContext(held, professions, statuses, qualification_levels=known))
    after = plan_pathway(_GRAPH, [goal], PlanContext(held, professions, statuses, qualification_levels=known | {level}))
    # Nothing is suggested when the levels are not known, so knowing them only adds steps.
    assert set(ids(unknown)) <= set(ids(before))
    assert set(ids(after)) <= set(ids(before)), (level, ids(before), ids(after))
    assert (after.total_weeks if after else 0) <= (before.total_weeks if before else 0)
